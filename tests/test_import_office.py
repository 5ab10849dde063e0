"""`gazette import` readers for Word and PDF: the text an editor wrote comes back as whole, located
paragraphs — automatic numbering made text, tables as rows, images as attachments; a PDF's
running header, footer and page numbers gone, wrapped lines joined, a scan reported — and a
broken file gives a Chinese message, never a traceback."""

from __future__ import annotations

import base64
import html
import io
import logging
import os
import re
import zipfile

import pytest

from conftest import SEEDS
from gazette.importer.readers import pdf as pdf_reader
from gazette.importer.readers import word
from gazette.importer.source import SourceError

docx = pytest.importorskip("docx")

CJK = re.compile(r"[\u4e00-\u9fff]")


def png(width=12, height=8, colour=(200, 30, 30)) -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (width, height), colour).save(out, "PNG")
    return out.getvalue()


# -- Word ----------------------------------------------------------------------------------------

def _multilevel_numbering(document) -> str:
    """A four-level list as Chinese official documents set it in Word (一、 （一） 1. （1））; its numId."""
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    levels = [("chineseCounting", "%1、"), ("chineseCounting", "（%2）"), ("decimal", "%3."), ("decimal", "（%4）")]
    lvl = "".join(f'<w:lvl w:ilvl="{i}"><w:start w:val="1"/><w:numFmt w:val="{fmt}"/><w:lvlText w:val="{text}"/>'
                  f'<w:lvlJc w:val="left"/></w:lvl>' for i, (fmt, text) in enumerate(levels))
    numbering = document.part.numbering_part.element
    numbering.insert(0, parse_xml(f'<w:abstractNum {nsdecls("w")} w:abstractNumId="90">'
                                  f'<w:multiLevelType w:val="multilevel"/>{lvl}</w:abstractNum>'))
    numbering.append(parse_xml(f'<w:num {nsdecls("w")} w:numId="90"><w:abstractNumId w:val="90"/></w:num>'))
    return "90"


def _numbered(document, num_id: str, level: int, text: str):
    paragraph = document.add_paragraph(text)
    num_pr = paragraph._p.get_or_add_pPr().get_or_add_numPr()
    num_pr.get_or_add_ilvl().val = level
    num_pr.get_or_add_numId().val = int(num_id)
    return paragraph


PICTURE = png()


@pytest.fixture(scope="module")
def notice(tmp_path_factory) -> str:
    """A notice as an office writes it in Word."""
    from docx.enum.style import WD_STYLE_TYPE
    from docx.shared import Inches

    d = docx.Document()
    num = _multilevel_numbering(d)
    d.add_heading("某市人民政府关于做好2024年防汛工作的通知", level=1)
    d.add_paragraph("各区人民政府，市政府各部门：")
    custom = d.styles.add_style("公文正文", WD_STYLE_TYPE.PARAGRAPH)  # a style mammoth does not know
    d.add_paragraph("为做好今年防汛工作，现将有关事项通知如下。", style=custom)
    _numbered(d, num, 0, "总体要求")
    d.add_paragraph("坚持人民至上、生命至上。")
    _numbered(d, num, 1, "工作目标")
    _numbered(d, num, 2, "汛前检查")
    _numbered(d, num, 3, "检查堤防")
    _numbered(d, num, 3, "检查水库")
    _numbered(d, num, 2, "汛中值守")
    _numbered(d, num, 1, "工作原则")
    _numbered(d, num, 0, "主要任务")
    _numbered(d, num, 1, "加强监测预警")
    d.add_paragraph("三、保障措施")
    d.add_paragraph("（一）加强组织领导。各区要落实防汛责任。")
    d.add_paragraph("1.明确责任人")
    table = d.add_table(rows=2, cols=3)
    for r, row in enumerate([["区", "责任人", "电话"], ["东城区", "张三", "12345"]]):
        for c, text in enumerate(row):
            table.cell(r, c).text = text
    d.add_picture(io.BytesIO(PICTURE), width=Inches(1))
    attachments = d.add_paragraph("附件：1.防汛责任人名单")
    attachments.add_run().add_break()
    attachments.add_run("2.防汛物资清单")
    d.add_paragraph("某市人民政府")
    d.add_paragraph("2024年3月8日")
    path = tmp_path_factory.mktemp("word") / "通知.docx"
    d.save(path)
    return str(path)


def test_word_notice_comes_back_as_its_paragraphs_with_numbers_as_the_reader_sees_them(notice):
    source = word.read(notice)
    assert [line.text for line in source.lines] == [
        "某市人民政府关于做好2024年防汛工作的通知",
        "各区人民政府，市政府各部门：",
        "为做好今年防汛工作，现将有关事项通知如下。",
        "一、总体要求",
        "坚持人民至上、生命至上。",
        "（一）工作目标",
        "1.汛前检查",
        "（1）检查堤防",
        "（2）检查水库",
        "2.汛中值守",
        "（二）工作原则",
        "二、主要任务",  # the list goes on after a body paragraph, as Word shows it
        "（一）加强监测预警",  # a new section starts its sub-items again
        "三、保障措施",  # typed numbers stay as typed, never numbered twice
        "（一）加强组织领导。各区要落实防汛责任。",
        "1.明确责任人",
        "区\n责任人\n电话\n东城区\n张三\n12345",
        "![](image-1.png)",
        "附件：1.防汛责任人名单",
        "2.防汛物资清单",
        "某市人民政府",
        "2024年3月8日",
    ]
    assert source.lines[0].heading == 1 and all(line.heading == 0 for line in source.lines[1:])
    assert source.problems == []  # the unknown style is mammoth's concern, not the editor's


def test_word_lines_are_located_by_paragraph_and_carry_the_table_and_image(notice):
    source = word.read(notice)
    by_text = {line.text: line for line in source.lines}
    # one paragraph each, counted from 1; a manual line break keeps its paragraph's number
    assert [line.at for line in source.lines] == list(range(1, 20)) + [19, 20, 21]
    table = by_text["区\n责任人\n电话\n东城区\n张三\n12345"]
    assert table.rows == [["区", "责任人", "电话"], ["东城区", "张三", "12345"]]
    assert [(a.name, a.data, a.at) for a in source.attachments] == [("image-1.png", PICTURE, by_text["![](image-1.png)"].at)]


def _docx_bytes(notice) -> bytes:
    with open(notice, "rb") as f:
        return f.read()


def _rezip(notice, replace: dict[str, bytes], drop=()) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(notice) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            if info.filename in drop:
                continue
            dst.writestr(info.filename, replace.get(info.filename, src.read(info)))
        for name, data in replace.items():
            if name not in src.namelist():
                dst.writestr(name, data)
    return out.getvalue()


def _damaged_inside(notice) -> bytes:
    """The zip's directory intact, the compressed Word text overwritten (a bad disk, a broken download)."""
    data = bytearray(_docx_bytes(notice))
    with zipfile.ZipFile(notice) as z:
        info = z.getinfo("word/document.xml")
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra) + 40
    data[start:start + 200] = bytes(range(200))
    return bytes(data)


BROKEN_WORD = {
    "empty": lambda notice: b"",
    "random bytes": lambda notice: os.urandom(4096),
    "an old .doc renamed": lambda notice: b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 2048,
    "a zip that is no Word file": lambda notice: _rezip(notice, {}, drop=("word/document.xml",)),
    "cut off half way": lambda notice: _docx_bytes(notice)[: len(_docx_bytes(notice)) // 2],
    "damaged inside": _damaged_inside,
    "its text is not XML": lambda notice: _rezip(notice, {"word/document.xml": b"<w:document><w:body><w:p>"}),
    "a zip bomb": lambda notice: _rezip(notice, {"word/media/huge.bin": b"\0" * (20 * 1024 * 1024)}),
    "an entity bomb": lambda notice: _rezip(notice, {"word/document.xml": (
        b'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]>'
        b'<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r>'
        b'<w:t>&b;</w:t></w:r></w:p></w:body></w:document>')}),
}


@pytest.mark.parametrize("kind", BROKEN_WORD)
def test_a_broken_word_file_is_refused_in_chinese(kind, notice, tmp_path):
    path = tmp_path / "坏文件.docx"
    path.write_bytes(BROKEN_WORD[kind](notice))
    with pytest.raises(SourceError) as refused:
        word.read(str(path))
    assert "坏文件.docx" in str(refused.value) and CJK.search(str(refused.value).replace("坏文件", ""))


def test_a_picture_linked_to_a_file_outside_the_document_is_never_read(notice, tmp_path):
    secret = tmp_path / "secret.png"
    secret.write_bytes(png(3, 3))
    with zipfile.ZipFile(notice) as z:
        rels = z.read("word/_rels/document.xml.rels").decode()
    linked = re.sub(r'Target="media/([^"]+)"', f'Target="{secret.as_uri()}" TargetMode="External"', rels)
    assert linked != rels
    path = tmp_path / "linked.docx"
    path.write_bytes(_rezip(notice, {"word/_rels/document.xml.rels": linked.encode()}))
    source = word.read(str(path))
    assert source.attachments == [] and not any("![](" in line.text for line in source.lines)
    assert [message for _, message in source.problems if "图片" in message and "嵌入" in message]
    assert "2024年3月8日" in [line.text for line in source.lines]  # the rest of the document is read


def test_a_missing_word_file_is_refused_in_chinese(tmp_path):
    with pytest.raises(SourceError, match="无法打开"):
        word.read(str(tmp_path / "没有.docx"))


# -- PDF -----------------------------------------------------------------------------------------

TITLE = "某市人民政府办公室关于印发《某市政务公开工作实施方案（2024—2026年）》的通知"
PARAGRAPHS = [
    "各区人民政府，市政府各部门，各有关单位：",
    "《某市政务公开工作实施方案（2024—2026年）》已经市政府同意，现印发给你们，请认真贯彻落实。"
    "全面推进政务公开，让权力在阳光下运行，是党中央、国务院的重大决策部署。各地各部门要坚持以公开为常态、"
    "不公开为例外，推进决策、执行、管理、服务、结果公开，做到以公开促落实、以公开促规范、以公开促服务。",
    "一、总体要求",
    "认真贯彻落实《中华人民共和国政府信息公开条例》，2024年全市主动公开政府信息12345条，较上年增长5.2%，"
    "依申请公开办结率达到100%。坚持问题导向，聚焦群众关心关注的重点领域，进一步加大公开力度，"
    "提升公开质量，增强政府公信力和执行力，为建设法治政府、服务型政府提供有力支撑。",
    "（一）工作目标。",
    "到2026年，政务公开制度体系基本完善，公开内容覆盖权力运行全流程、政务服务全过程，"
    "政府网站和政务新媒体成为公开的第一平台，PDF、OFD等格式的文件均提供可检索的文字版本，"
    "群众获取政府信息更加便捷，政民互动更加顺畅，政务公开工作水平走在全省前列。"
    "各区各部门要对照目标任务，逐项细化分解，明确责任单位和完成时限，确保各项任务按期完成。",
    "二、主要任务",
    "加强政策解读，对涉及群众切身利益的重要政策，要通过新闻发布会、在线访谈、图文解读等方式，"
    "及时准确传递政策意图。要主动回应社会关切，对涉及本地区本部门的重大突发事件和政务舆情，"
    "按照规定时限发布权威信息，讲清事实真相、有关政策措施以及处理结果，做到及时回应、有效回应——这是底线。",
    "某市人民政府办公室",
    "2024年3月8日",
]
HEADER = "某市人民政府公报　2024年第3期"


def _notice_html() -> str:
    body = "".join(f'<p class="{"flush" if i == 0 else "sign" if i >= len(PARAGRAPHS) - 2 else ""}">{p}</p>'
                   for i, p in enumerate(PARAGRAPHS))
    return f"""<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><style>
        body {{ font-family: "Noto Serif CJK SC", serif; font-size: 16pt; line-height: 1.75; margin: 0; }}
        h1 {{ font-family: "Noto Sans CJK SC", sans-serif; font-size: 22pt; text-align: center; margin: 0 0 1em; }}
        p {{ margin: 0; text-indent: 2em; text-align: justify; }}
        p.flush {{ text-indent: 0; }}
        p.sign {{ text-align: right; text-indent: 0; }}
        </style></head><body><h1>{TITLE}</h1>{body}</body></html>"""


def _chrome(text: str, size: str = "10px", align: str = "center") -> str:
    return (f'<div style="font-family: \'Noto Sans CJK SC\'; font-size: {size}; width: 100%; text-align: {align};'
            f' margin: 0 25mm;">{text}</div>')


FOOTERS = {
    "dash": _chrome('- <span class="pageNumber"></span> -'),
    "of": _chrome('第 <span class="pageNumber"></span> 页 共 <span class="totalPages"></span> 页'),
}


def _seed_paragraphs(seed) -> list[str]:
    lines = [line.strip() for line in seed.read_text(encoding="utf-8").splitlines()]
    return [line for line in lines if line][:15]


@pytest.fixture(scope="module")
def pdfs(browser, tmp_path_factory) -> dict[str, str]:
    """The PDFs of this module, printed by one Chromium: a notice with a running header and
    page numbers (two footer styles), a scan, and a text page followed by a scanned one."""
    folder = tmp_path_factory.mktemp("pdf")
    context = browser.new_context(locale="zh-CN")
    page = context.new_page()
    out = {}
    margin = {"top": "32mm", "bottom": "28mm", "left": "25mm", "right": "25mm"}
    page.set_content(_notice_html())
    assert page.evaluate('document.fonts.check(\'16pt "Noto Serif CJK SC"\', "政")'), "没有中文字体"
    for name, footer in FOOTERS.items():
        out[name] = str(folder / f"{name}.pdf")
        page.pdf(path=out[name], format="A4", margin=margin, display_header_footer=True,
                 header_template=_chrome(HEADER), footer_template=footer)
    scan = base64.b64encode(png(600, 800, (235, 235, 225))).decode()
    page.set_content(f'<img src="data:image/png;base64,{scan}" style="width: 160mm">')
    out["scan"] = str(folder / "scan.pdf")
    page.pdf(path=out["scan"], format="A4")
    seeds = sorted(SEEDS.glob("*.txt")) if SEEDS.is_dir() else []
    if seeds:  # real gazette texts, set as an office sets them: 2 em indent, text as the browser breaks it
        paragraphs = [p for seed in seeds for p in _seed_paragraphs(seed)]
        page.set_content('<meta charset="utf-8"><style>body { font: 15pt/1.6 "Noto Serif CJK SC"; }'
                         ' p { margin: 0; text-indent: 2em; }</style>'
                         + "".join(f"<p>{html.escape(p)}</p>" for p in paragraphs))
        out["seeds"] = str(folder / "seeds.pdf")
        page.pdf(path=out["seeds"], format="A4", margin=margin, display_header_footer=True,
                 header_template=_chrome(HEADER), footer_template=FOOTERS["of"])
    page.set_content(f'<p style="font: 16pt \'Noto Serif CJK SC\'">第一页的文字。</p>'
                     f'<img src="data:image/png;base64,{scan}" style="display: block; width: 160mm; break-before: page">')
    out["mixed"] = str(folder / "mixed.pdf")
    page.pdf(path=out["mixed"], format="A4")
    context.close()
    return out


@pytest.mark.parametrize("footer", FOOTERS)
def test_pdf_paragraphs_come_back_whole_without_header_footer_or_page_numbers(pdfs, footer):
    import pdfplumber

    logging.getLogger("pdfminer").setLevel(logging.ERROR)  # Chromium's fonts have no bounding box: noise
    with pdfplumber.open(pdfs[footer]) as printed:
        pages = len(printed.pages)
        fonts = {c["fontname"] for c in printed.chars}
    assert pages >= 2  # the long paragraphs wrap and run onto a second page
    assert all("CJK" in font for font in fonts), fonts  # Chinese was set in a Chinese font, not boxes
    source = pdf_reader.read(pdfs[footer])
    assert [line.text for line in source.lines] == [TITLE, *PARAGRAPHS]
    assert source.problems == []
    assert (source.lines[0].page, source.lines[-1].page) == (1, pages)
    assert source.lines[0].at == 2  # under the running header, the page's first line
    assert source.lines[0].where == "第1页第2行"


def test_real_gazette_texts_come_back_paragraph_for_paragraph(pdfs):
    """Old sites' texts: 「门户」 not 「门戶」 (a radical the font shares), 「——」 not 「⸺」, numbers and
    brackets that line breaking moved down whole, traditional characters."""
    if "seeds" not in pdfs:
        pytest.skip(f"没有真实公文文本：{SEEDS}")
    expected = [p for seed in sorted(SEEDS.glob("*.txt")) for p in _seed_paragraphs(seed)]
    got = [line.text for line in pdf_reader.read(pdfs["seeds"]).lines]
    def squeeze(text):  # the texts' own spaces beside Chinese characters are not kept
        return re.sub(r"\s+", "", text)

    assert [squeeze(p) for p in got] == [squeeze(p) for p in expected]
    assert not [p for p in got if re.search(r"[\u4e00-\u9fff，。、] +[\u4e00-\u9fff，。、]", p)]


def test_a_pdf_without_a_text_layer_is_reported_as_a_scan(pdfs):
    source = pdf_reader.read(pdfs["scan"])
    assert source.lines == []
    assert len(source.problems) == 1 and "扫描件" in source.problems[0][1] and "OCR" in source.problems[0][1]


def test_a_scanned_page_among_text_pages_is_reported_by_its_number(pdfs):
    source = pdf_reader.read(pdfs["mixed"])
    assert [line.text for line in source.lines] == ["第一页的文字。"]
    assert [message for _, message in source.problems if "第2页" in message and "OCR" in message]


def _encrypted_pdf() -> bytes:
    """A PDF whose user password is not empty (its /U does not match the empty password)."""
    body = (b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n"
            b"2 0 obj << /Type /Pages /Kids [3 0 R] /Count 1 >> endobj\n"
            b"3 0 obj << /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >> endobj\n"
            b"4 0 obj << /Filter /Standard /V 1 /R 2 /O <" + b"11" * 32 + b"> /U <" + b"22" * 32 + b"> /P -4 >> endobj\n")
    return body + (b"trailer << /Root 1 0 R /Encrypt 4 0 R /ID [<" + b"33" * 16 + b"> <" + b"33" * 16 + b">] /Size 5 >>\n"
                   b"startxref\n" + str(len(body)).encode() + b"\n%%EOF\n")


BROKEN_PDF = {
    "empty": (lambda pdfs: b"", "空文件"),
    "random bytes": (lambda pdfs: os.urandom(4096), "不是 PDF"),
    "a Word file renamed": (lambda pdfs: b"PK\x03\x04" + os.urandom(1000), "不是 PDF"),
    "cut off": (lambda pdfs: open(pdfs["dash"], "rb").read()[:3000], "损坏"),
    "a header and garbage": (lambda pdfs: b"%PDF-1.7\n" + os.urandom(5000), "损坏"),
    "encrypted": (lambda pdfs: _encrypted_pdf(), "密码"),
}


@pytest.mark.parametrize("kind", BROKEN_PDF)
def test_a_broken_pdf_is_refused_in_chinese(kind, pdfs, tmp_path):
    make, says = BROKEN_PDF[kind]
    path = tmp_path / "坏文件.pdf"
    path.write_bytes(make(pdfs))
    with pytest.raises(SourceError) as refused:
        pdf_reader.read(str(path))
    assert says in str(refused.value) and "坏文件.pdf" in str(refused.value)


# -- the whole command on these files ------------------------------------------------------------


def _imported(tmp_path, source: str, *args: str):
    import json

    from conftest import make_project, run_gazette

    proj = make_project(tmp_path, {"disclosure/statutory/normative/.keep": ""})
    proc = run_gazette("import", source, "--into", "docs/disclosure/statutory/normative", "--format", "json", *args,
                       cwd=proj)
    return proj, proc, json.loads(proc.stdout)


def test_a_word_notice_imports_with_its_fields_numbers_table_and_picture(notice, tmp_path):
    import yaml

    from conftest import run_gazette

    proj, _proc, (o,) = _imported(tmp_path, notice, "--published", "2024-03-10")
    found = {k: v["value"] for k, v in o["found"].items()}
    assert found == {"title": "某市人民政府关于做好2024年防汛工作的通知", "issuer": "某市人民政府", "written": "2024-03-08",
                     "genre": "通知"}
    item = proj / o["output"]
    _, front, body = item.read_text(encoding="utf-8").split("---\n", 2)
    assert yaml.safe_load(front)["published"].isoformat() == "2024-03-10"
    assert "## 一、总体要求" in body and "## 二、主要任务" in body and "（一）工作目标" in body  # Word's numbering as text
    assert "| 东城区 | 张三 | 12345 |" in body  # the table, as a table
    pictures = [p for p in item.parent.iterdir() if p.suffix == ".png"]
    assert [p.name for p in pictures] == [f"{item.stem}-image-1.png"] and f"![]({pictures[0].name})" in body
    assert pictures[0].read_bytes() == PICTURE
    assert body.rstrip().endswith("某市人民政府\n\n2024年3月8日")
    # The 附件 it lists are named in the report with their lines: the files are the editor's to add.
    annexes = [(p["where"].rsplit(":", 1)[1], p["message"]) for p in o["problems"] if "附件" in p["message"]]
    assert [(w, "防汛责任人名单" in m, "防汛物资清单" in m) for w, m in annexes] == [(annexes[0][0], True, False),
                                                                         (annexes[0][0], False, True)]
    assert run_gazette("check", cwd=proj).returncode == 0


def test_spam_in_a_word_file_is_held_back_with_its_paragraph(tmp_path):
    d = docx.Document()
    d.add_paragraph("某县人民政府办公室关于优化政务服务的通知")
    d.add_paragraph("各乡镇人民政府：")
    d.add_paragraph("依托澳门新葡京娱乐平台整合政务服务入口。")
    d.add_paragraph("请认真贯彻执行。")
    path = tmp_path / "hijacked.docx"
    d.save(path)
    proj, proc, (o,) = _imported(tmp_path, str(path))
    assert proc.returncode == 1
    assert [(f["where"].rsplit(":", 1)[1], f["code"]) for f in o["flagged"]] == [("3", "spam-term")]
    body = (proj / o["output"]).read_text(encoding="utf-8")
    assert "新葡京" not in body and "请认真贯彻执行。" in body


def test_a_printed_pdf_imports_as_the_document_without_its_page_furniture(pdfs, tmp_path):
    proj, _proc, (o,) = _imported(tmp_path, pdfs["dash"])
    found = {k: v["value"] for k, v in o["found"].items()}
    assert found == {"title": TITLE, "issuer": "某市人民政府办公室", "written": "2024-03-08", "genre": "通知"}
    assert o["found"]["title"]["where"].endswith(":第1页第2行")  # under the running header
    body = (proj / o["output"]).read_text(encoding="utf-8").split("---\n", 2)[2]
    paragraphs = [p for p in body.split("\n\n") if p.strip()]
    assert [p.lstrip("# ").strip() for p in paragraphs] == PARAGRAPHS  # whole paragraphs, nothing else
    assert "公报" not in body and "- 2 -" not in body


def test_a_scanned_pdf_is_reported_not_guessed(pdfs, tmp_path):
    proj, proc, (o,) = _imported(tmp_path, pdfs["scan"])
    assert proc.returncode == 1 and o["status"] == "未导入" and o["output"] is None
    assert "文字识别" in o["problems"][0]["message"]
    assert not list((proj / "docs/disclosure/statutory/normative").glob("*.md"))
