"""An attacker's try (December 2026, second round): crafted files given to `gazette import`, data
and front matter in docs/, and query strings on the built site. Each hole found is closed at its
cause; each test here failed before its fix.

1. A web page's declared charset was looked up among all of Python's codecs: "rot13", "hex" or
   "zlib" stopped the import with a traceback, and "utf-7" or "unicode_escape" turned text a
   browser shows as it is into markup the reader then dropped. Only encodings browsers have count.
2. A PDF of a few hundred bytes inflating to hundreds of MB, or holding millions of operators,
   took gigabytes or minutes: pdfminer has no limit. Every reader now runs in a forked process
   with a memory and a time bound (importer/bounded.py); past either, a Chinese message.
3. An annual-report figure of any size passed: "1e999999999" 万元 printed in full made a page of
   a gigabyte. Figures past a trillion (or with more than 6 decimals) are refused at their line.
5. ?kiosk_idle=3000000 (or the same in mkdocs.yml) reloaded the page in a loop: past setTimeout's
   2^31 ms the idle reset fires at once. The idle time is bounded to an hour.
6. A site_url with "#", "?" or a password made every address (the printed QR codes too) lead to
   the home page; it is refused. A Chinese domain name is written in its ASCII form (xn--…).
"""

from __future__ import annotations

import json

import pytest

from conftest import ROOT, make_project, run_gazette, run_mkdocs
from test_attack_2026_12 import ITEM_HEAD

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


# ---------------------------------------------------------------- 2. PDF bombs
# A tiny PDF whose one content stream is inflated twice (/Filter [/FlateDecode /FlateDecode]):
# pdfminer inflates it whole, then parses every operator, with no limit of its own.


def _pdf(content: bytes, extra: bytes = b"") -> bytes:
    objs = [b"<< /Type /Catalog /Pages 2 0 R " + extra + b">>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R"
            b" /Resources << /Font << /F1 5 0 R >> >> >>",
            b"<< /Length %d /Filter [/FlateDecode /FlateDecode] >>\nstream\n" % len(content) + content
            + b"\nendstream",
            b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"]
    out, offsets = b"%PDF-1.4\n", []
    for n, obj in enumerate(objs, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % n + obj + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1) + b"".join(b"%010d 00000 n \n" % o for o in offsets)
    return out + b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objs) + 1, xref)


def _inflating(chunk: bytes, times: int) -> bytes:
    """`chunk` × `times`, deflated twice (a few hundred bytes for hundreds of MB)."""
    import zlib

    once = zlib.compressobj(9)
    parts = [once.compress(chunk) for _ in range(times)]
    parts.append(once.flush())
    return zlib.compress(b"".join(parts), 9)


def test_a_pdf_that_inflates_to_hundreds_of_mb_is_refused_past_the_memory_bound(tmp_path, monkeypatch):
    import time

    from gazette.importer import bounded

    monkeypatch.setattr(bounded, "MEMORY", 256 * 1024 * 1024)
    data = _pdf(_inflating(b" " * (1 << 20), 600))  # 600 MB of spaces
    assert len(data) < 4096
    start = time.monotonic()
    outcome, written = _import(tmp_path, "炸弹.pdf", data)
    assert time.monotonic() - start < 30
    assert outcome["status"] == "未导入" and not written
    assert "内存" in outcome["problems"][0]["message"], outcome["problems"]


def test_a_pdf_of_millions_of_operators_is_stopped_at_the_time_bound(tmp_path, monkeypatch):
    import time

    from gazette.importer import bounded

    monkeypatch.setattr(bounded, "SECONDS", 2)
    ops = b"BT /F1 1 Tf 0 0 Td (A) Tj ET\n" * 50_000  # unbounded: about 4 s for each 1.5 MB
    data = _pdf(_inflating(ops, 8), extra=b"/OpenAction << /S /JavaScript /JS (app.alert(1)) >> ")
    start = time.monotonic()
    outcome, written = _import(tmp_path, "慢.pdf", data)
    assert time.monotonic() - start < 15
    assert outcome["status"] == "未导入" and not written
    assert "2 秒" in outcome["problems"][0]["message"], outcome["problems"]


# ---------------------------------------------------------------- 3. annual-report data
# Anchors, deep nesting, NaN, negative counts, lists and non-string keys were already refused with
# a file:line message; a figure of any size was not: "1e999999999" 万元 passed the check and
# printed in full made the report's page a gigabyte (38 s of build).

REPORTS = ROOT / "docs/disclosure/annual-report"


def test_an_absurdly_large_figure_is_refused_at_its_line_and_never_printed(tmp_path):
    text = (REPORTS / "2020.yml").read_text(encoding="utf-8")
    amount, count = "政府集中采购: [2118, 27042.62]", "本年新收: [446,"
    assert amount in text and count in text
    text = text.replace(amount, "政府集中采购: [2118, 1e999999999]").replace(count, f"本年新收: [{'9' * 400},")
    lines = text.splitlines()
    at = {n for n, line in enumerate(lines, 1) if "1e999999999" in line or "9" * 400 in line}
    project = make_project(tmp_path, {"disclosure/annual-report/2020.md": (REPORTS / "2020.md").read_text(encoding="utf-8"),
                                      "disclosure/annual-report/2020.yml": text})
    check = run_gazette("check", "--format", "json", cwd=project)
    errors = {d["line"] for d in json.loads(check.stdout)
              if d["path"] == "docs/disclosure/annual-report/2020.yml" and d["code"] == "report-figure"}
    assert errors == at, check.stdout
    build = run_mkdocs(project, timeout=60)
    assert not build.ok and "Traceback" not in build.output
    assert "docs/disclosure/annual-report/2020.yml:%d:" % min(at) in build.output, build.output[-3000:]


# ---------------------------------------------------------------- 5. query strings on the built site
# ?kiosk=1&kiosk_idle=3000000 (or kiosk_idle_seconds: 3000000 in mkdocs.yml): 3·10⁹ ms is past
# setTimeout's 2³¹−1, so the idle reset fired at once and the page reloaded in a loop. The idle
# time is bounded to an hour where it is stored and where it is read.

ITEM = ITEM_HEAD + "各乡镇人民政府：请做好安全生产工作。\n"


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    from conftest import MINIMAL_CONFIG, serve

    config = MINIMAL_CONFIG + "      kiosk_idle_seconds: 3000000\n"  # an administrator's typo
    project = make_project(tmp_path_factory.mktemp("query"), {
        "gazette/2025/01/index.md": "---\npublished: 2025-06-30\ncolumns: [县政府文件]\n---\n",
        "gazette/2025/01/notice.md": ITEM}, config)
    build = run_mkdocs(project, timeout=120)
    assert build.ok, build.output
    server, stop = serve(build.site)
    yield server
    stop()


@pytest.mark.parametrize("query", ["?kiosk=1&kiosk_idle=3000000", "?kiosk=1"])
def test_a_huge_kiosk_idle_time_never_reloads_the_page_in_a_loop(served, page, query):
    loads = []
    page.on("load", lambda: loads.append(page.url))
    page.goto(served.url + query)
    page.wait_for_timeout(1500)
    assert len(loads) == 1, loads
    assert page.locator("[data-gz-idle-text]").text_content().strip() == "3600"


# ---------------------------------------------------------------- 6. mkdocs.yml mistakes
# Every address of the site is site_url + path: after a "#" or "?" each one (canonical links, the
# sitemap, the QR codes printed on paper) led to the home page; a Chinese domain name went into
# the sitemap and the QR codes as it was written. page_size 0, negative feed_entries and
# open_data_dir ../x already built or were refused with a message.

SITE_URL = "https://gk.example.gov.cn/"


@pytest.mark.parametrize("site_url", [SITE_URL + "#top", SITE_URL + "?from=qr", "https://admin:secret@gk.example.gov.cn/"])
def test_a_site_url_with_a_fragment_query_or_password_is_refused(tmp_path, site_url):
    from conftest import MINIMAL_CONFIG

    project = make_project(tmp_path, {}, MINIMAL_CONFIG.replace(SITE_URL, site_url))
    check = run_gazette("check", cwd=project)
    assert check.returncode != 0 and "Traceback" not in check.stdout + check.stderr
    assert f"site_url「{site_url}」" in check.stdout + check.stderr


def test_a_chinese_domain_name_is_written_in_its_ascii_form_everywhere(tmp_path):
    from conftest import MINIMAL_CONFIG

    project = make_project(tmp_path, {
        "gazette/2025/01/index.md": "---\npublished: 2025-06-30\ncolumns: [县政府文件]\n---\n",
        "gazette/2025/01/notice.md": ITEM}, MINIMAL_CONFIG.replace(SITE_URL, "https://政务公开.测试.政务/"))
    build = run_mkdocs(project, timeout=120)
    assert build.ok, build.output
    sitemap = (build.site / "sitemap.xml").read_text(encoding="utf-8")
    sheets = [p.read_text(encoding="utf-8") for p in (build.site / "s").glob("*/print.html")]
    assert sheets and "https://xn--" in sitemap
    for text in (sitemap, *sheets):
        assert "政务公开.测试" not in text
        assert "https://xn--" in text
