"""An attacker's try (December 2026): what a stolen editor account or a crafted import could still
publish past the checks, each closed at its cause.

1. Files of docs/ other than pages were published as they are: an .html, .svg or .xml file (or
   one a Word file's SVG picture became on import) runs its script from the site's own address.
   Only types no browser runs script in are published now (safety/filetypes.py); files
   mkdocs.yml names (extra_javascript …) are the administrator's.
2. Control characters, tag characters (U+E0020 …) and other default-ignorable code points
   between the characters of a spam term, a personal number or an address hid it from the
   checks, while the page shows it (Chromium draws them as nothing or a small box).
"""

from __future__ import annotations

import io
import json
import zipfile

import pytest

from conftest import MINIMAL_CONFIG, make_project, run_gazette, run_mkdocs

ITEM_HEAD = """\
---
title: 关于做好安全生产工作的通知
issuer: 测试县人民政府
published: 2025-06-12
genre: 通知
column: 县政府文件
---

"""

# Each line hides something with characters a reader does not see as letters (line in the file).
HIDDEN = {
    "欢迎光临百\x01家\x02乐娱乐城。": "spam-term",  # C0 controls, drawn as small boxes
    "澳门\U000E0020赌场\U000E0021开业。": "spam-term",  # tag characters: drawn as nothing
    "联系人身份证 11010519\x9b491231002X。": "id-number",  # a C1 control
    "详见 ww\x7fw.ev\u115fil.com 。": "external-domain",  # DEL and a Hangul filler inside an address
}
BODY = "".join(line + "\n\n" for line in HIDDEN)
SVG = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
ACTIVE = {  # files a browser runs script in, from the site's address
    "notice.html": b"<html><script>alert(1)</script></html>",
    "gazette/2025/01/chart.svg": SVG,
    "feed.xml": b'<x:script xmlns:x="http://www.w3.org/1999/xhtml">alert(1)</x:script>',
    "js/steal.js": b"alert(1)",
    "page.XHTML": b"<html/>",
}
INERT = {  # files an editor publishes, and one mkdocs.yml names
    "gazette/2025/01/attachment.pdf": b"%PDF-1.4\n%%EOF\n",
    "images/photo.PNG": b"\x89PNG\r\n\x1a\n",
    "CNAME": b"www.example.gov.cn\n",
    "robots.txt": b"User-agent: *\n",
    "js/extra.js": b"console.log(1)",
}
CONFIG = MINIMAL_CONFIG.replace("theme:", "extra_javascript: [js/extra.js]\ntheme:")


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    """One site with every hostile file and body: `gazette check` as JSON, then the build."""
    files = {**ACTIVE, **INERT,
             "gazette/2025/01/index.md": "---\npublished: 2025-06-30\ncolumns: [县政府文件]\n---\n",
             "gazette/2025/01/notice.md": ITEM_HEAD + BODY}
    project = make_project(tmp_path_factory.mktemp("attack"), files, CONFIG)
    check = run_gazette("check", "--format", "json", cwd=project)
    build = run_mkdocs(project)
    return project, json.loads(check.stdout), build


def _errors(report) -> dict[tuple[str, int], str]:
    return {(d["path"], d["line"]): d["code"] for d in report if d["level"] == "error"}


def test_files_that_run_script_are_refused_on_their_own_name_and_never_published(hostile):
    project, report, build = hostile
    errors = _errors(report)
    for src in ACTIVE:
        assert errors.get((f"docs/{src}", 1)) == "file-type", src
        assert f"docs/{src}:1: 「{src.rsplit('/', 1)[-1]}」是 ." in build.output  # the build says the same
    for src in INERT:
        assert not any(path == f"docs/{src}" for path, _line in errors), src
    assert not build.ok and "Traceback" not in build.output
    assert not build.site.exists()  # nothing was published


def test_characters_a_reader_does_not_see_hide_no_spam_number_or_address(hostile):
    project, report, _build = hostile
    errors = _errors(report)
    first = ITEM_HEAD.count("\n") + 1
    for n, (line, code) in enumerate(HIDDEN.items()):
        assert errors.get(("docs/gazette/2025/01/notice.md", first + 2 * n)) == code, repr(line)


@pytest.mark.parametrize("text", ["百\x1b家乐", "百\x1b家\x7f乐", "百\u00ad家\U000E0041乐", "百\ufff9家\U0001D173乐", "百\x85家\x9f乐"])
def test_folding_for_the_checks_drops_what_is_drawn_as_nothing_or_a_box(text):
    from gazette.safety import rules

    found = rules.Checker("", "").text_problems(text)
    assert [code for _a, _b, code, _m in found] == ["spam-term"]


def _docx_with_an_svg_picture() -> bytes:
    """A Word file whose picture is an SVG with a script (Word 2016 and later embed SVG pictures)."""
    import docx
    from docx.shared import Inches

    from test_import_office import PICTURE

    d = docx.Document()
    d.add_paragraph("测试县人民政府关于调整办公时间的通知")
    d.add_paragraph("各乡镇人民政府：现将调整办公时间有关事项通知如下。")
    d.add_picture(io.BytesIO(PICTURE), width=Inches(1))
    d.add_paragraph("测试县人民政府")
    d.add_paragraph("2025年3月8日")
    raw = io.BytesIO()
    d.save(raw)
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(raw.getvalue())) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            name = info.filename
            if name.startswith("word/media/") and name.endswith(".png"):
                name, data = name[:-4] + ".svg", SVG
            elif name in ("word/_rels/document.xml.rels", "[Content_Types].xml"):
                data = data.replace(b'.png"', b'.svg"').replace(b'Extension="png" ContentType="image/png"',
                                                              b'Extension="svg" ContentType="image/svg+xml"')
            dst.writestr(name, data)
    return out.getvalue()


def test_import_of_a_word_file_never_writes_its_svg_picture_into_docs(tmp_path):
    source = tmp_path / "通知.docx"
    source.write_bytes(_docx_with_an_svg_picture())
    project = make_project(tmp_path, {"disclosure/statutory/normative/.keep": ""})
    folder = project / "docs/disclosure/statutory/normative"
    proc = run_gazette("import", str(source), "--into", str(folder), "--format", "json", cwd=project)
    (outcome,) = json.loads(proc.stdout)
    assert [p.name for p in folder.iterdir() if not p.name.startswith(".")] == [outcome["output"].rsplit("/", 1)[-1]]
    assert any("SVG 格式" in p["message"] for p in outcome["problems"]), outcome["problems"]
    assert "<svg" not in (project / outcome["output"]).read_text(encoding="utf-8")
