"""An attacker's try (December 2026, second round): crafted files given to `gazette import`, data
and front matter in docs/, and query strings on the built site. Each hole found is closed at its
cause; each test here failed before its fix.

1. A web page's declared charset was looked up among all of Python's codecs: "rot13", "hex" or
   "zlib" stopped the import with a traceback, and "utf-7" or "unicode_escape" turned text a
   browser shows as it is into markup the reader then dropped. Only encodings browsers have count.
"""

from __future__ import annotations

import json

import pytest

from conftest import make_project, run_gazette

ARTICLE = "各乡镇人民政府：现将调整办公时间有关事项通知如下，请认真贯彻执行并做好相关工作安排。"


def _import(tmp_path, name: str, data: bytes) -> tuple[dict, str]:
    """`gazette import` of one file as JSON: the outcome and the Markdown written ("" if none)."""
    source = tmp_path / name
    source.write_bytes(data)
    project = tmp_path / "project"
    if not project.exists():
        make_project(tmp_path, {"disclosure/statutory/normative/.keep": ""})
    folder = project / "docs/disclosure/statutory/normative"
    proc = run_gazette("import", str(source), "--into", str(folder), "--format", "json", cwd=project, timeout=60)
    assert "Traceback" not in proc.stdout + proc.stderr
    (outcome,) = json.loads(proc.stdout)
    written = (project / outcome["output"]).read_text(encoding="utf-8") if outcome["output"] else ""
    return outcome, written


@pytest.mark.parametrize("charset", ["utf-7", "unicode_escape", "rot13", "hex"])
def test_a_charset_no_browser_has_is_ignored_as_a_browser_ignores_it(tmp_path, charset):
    shown = "+ADw-script+AD4-alert(1)+ADw-/script+AD4- \\x3cb\\x3e"  # what a browser shows
    article = "".join(f"&#{ord(c)};" for c in ARTICLE)  # an all-ASCII page: UTF-7 decodes it
    page = f'<html><head><meta charset="{charset}"></head><body><p>{shown}{article}</p></body></html>'
    outcome, written = _import(tmp_path, "page.html", page.encode("utf-8"))
    assert "+ADw-script+AD4-alert(1)" in written and ARTICLE in written
    assert any(charset in p["message"] and "编码" in p["message"] for p in outcome["problems"]), outcome["problems"]
