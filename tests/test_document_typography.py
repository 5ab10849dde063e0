"""An item read as a printed official document (GB/T 9704), on screen and on paper.

The 主送 line above the text is flush left while the text's paragraphs keep their two-character indent;
a colon-ended sentence is not taken for it. A typical notice (the sample site's 江财规〔2025〕1号) prints
on one A4 sheet, and a long document breaks between paragraphs with its 落款 whole and the QR code on
the same page as the date. A tiny site built once from the sample site's own documents; one browser.
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

from conftest import ROOT, make_project, run_mkdocs, serve

DOCS = ROOT / "docs"
NOTICE = "gazette/2025/06/jcg-2025-1"  # 市级各预算单位…：, five sections, 落款
APPOINTMENTS = "gazette/2025/06/renmian-2025-06"  # 主送, then 「经市人民政府…研究决定：」
ANNOUNCEMENT = "gazette/2024/07/jff-2024-15"  # no 主送: opens 「…通告如下：」
# A4's printable area in CSS px (print.css: 15 mm side and 12 mm top and bottom margins).
A4_WIDTH, A4_HEIGHT = (210 - 30) * 96 / 25.4, (297 - 24) * 96 / 25.4


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    files = {f"{p}.md": (DOCS / f"{p}.md").read_text(encoding="utf-8") for p in (NOTICE, APPOINTMENTS, ANNOUNCEMENT)}
    for issue in ("gazette/2025/06", "gazette/2024/07"):
        files[f"{issue}/index.md"] = (DOCS / issue / "index.md").read_text(encoding="utf-8")
    result = run_mkdocs(make_project(tmp_path_factory.mktemp("typo"), files))
    assert result.ok, result.output
    server, stop = serve(result.site)
    yield server
    stop()


@pytest.fixture(scope="module")
def tab(browser):
    context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
    yield context.new_page()
    context.close()


INDENTS = """() => [...document.querySelectorAll('.gz-body > p')].map(p => ({
    text: p.textContent.trim(), indent: parseFloat(getComputedStyle(p).textIndent),
    gap: (() => { const r = document.createRange(); r.selectNodeContents(p);
                  return r.getClientRects()[0].left - p.getBoundingClientRect().left; })()}))"""


@pytest.mark.parametrize("media", ["screen", "print"])
def test_the_addressee_line_is_flush_left_and_the_text_is_indented(site, tab, media):
    tab.emulate_media(media=media)
    tab.goto(site.url + NOTICE + "/")
    paras = tab.evaluate(INDENTS)
    assert paras[0]["text"] == "市级各预算单位，各县（市、区）财政局，各政府采购代理机构："
    assert paras[0]["indent"] == 0 and abs(paras[0]["gap"]) < 0.5, paras[0]  # 顶格
    assert paras[1]["text"].startswith("为贯彻落实") and paras[1]["indent"] >= 20 and paras[1]["gap"] >= 20, paras[1]

    # A 主送 above 「经市人民政府…研究决定：」: only the first is flush left.
    tab.goto(site.url + APPOINTMENTS + "/")
    paras = tab.evaluate(INDENTS)
    assert paras[0]["text"].endswith("各直属单位：") and paras[0]["indent"] == 0
    assert paras[1]["text"].endswith("研究决定：") and paras[1]["indent"] >= 20, paras[1]

    # A 通告 has no 主送: its opening sentence ends with a colon and keeps the indent.
    tab.goto(site.url + ANNOUNCEMENT + "/")
    first = tab.evaluate(INDENTS)[0]
    assert first["text"].endswith("通告如下：") and first["indent"] >= 20, first
    tab.emulate_media(media="screen")


def _pdf_pages(tab, url: str, pdf: Path) -> list[str]:
    tab.goto(url)
    tab.pdf(path=str(pdf), format="A4")
    return _pdf_text(pdf)


def _pdf_text(pdf: Path) -> list[str]:
    """Each page's text, without white space."""
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    n = int(re.search(r"^Pages:\s+(\d+)$", info, re.M).group(1))
    return [re.sub(r"\s+", "", subprocess.run(["pdftotext", "-f", str(i), "-l", str(i), str(pdf), "-"],
                                              capture_output=True, text=True, check=True).stdout)
            for i in range(1, n + 1)]


def test_a_notice_prints_on_one_a4_sheet_within_the_page_width(site, tab, tmp_path):
    tab.emulate_media(media="print")
    pages = _pdf_pages(tab, site.url + NOTICE + "/", tmp_path / "notice.pdf")
    assert len(pages) == 1, [p[-80:] for p in pages]
    assert all(t in pages[0] for t in ("市级各预算单位", "有效期5年", "扫码查阅", "本页网址"))
    # The particulars' two columns stay inside the page's width (no sideways scroll on the print preview).
    assert tab.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")

    pages = _pdf_pages(tab, site.url + ANNOUNCEMENT + "/", tmp_path / "announcement.pdf")
    assert len(pages) == 1 and "九、" in pages[0], len(pages)

    tab.emulate_media(media="screen")


# Where the end of the notice lies on paper: document coordinates of its last blocks, laid out at A4's width.
ENDS = """() => Object.fromEntries([['issuer', '.gz-sign__issuer'], ['date', '.gz-sign__date'], ['code', '.gz-qr'],
    ['address', '.gz-print-url']].map(([k, sel]) => {
      const r = document.querySelector(sel).getBoundingClientRect();
      return [k, [r.top + scrollY, r.bottom + scrollY]]; }))"""


def test_a_longer_document_breaks_between_paragraphs_with_its_signature_and_code_whole(site, tab, tmp_path):
    """The notice lengthened above its text, so that the sheet's end falls inside its 落款, its code or
    the address under the code: the closing line, the 落款, the code and the address go over together,
    and the paragraph above them stays on the first sheet."""
    tab.set_viewport_size({"width": round(A4_WIDTH), "height": 900})
    tab.emulate_media(media="print")
    problems = []
    try:
        tab.goto(site.url + NOTICE + "/")
        ends = tab.evaluate(ENDS)
        assert ends["address"][1] < A4_HEIGHT  # the notice alone fits on one sheet
        cuts = {"between issuer and date": (ends["issuer"][1] + ends["date"][0]) / 2,
                "through the date": sum(ends["date"]) / 2, "through the code": sum(ends["code"]) / 2,
                "through the address": sum(ends["address"]) / 2}
        for name, cut in cuts.items():
            tab.goto(site.url + NOTICE + "/")
            # Text above the body, as a longer document has: everything below moves down by its height.
            tab.evaluate("""h => { const d = document.createElement('div'); d.style.cssText = `height:${h}px;margin:0`;
                                   document.querySelector('.gz-meta').after(d); }""", A4_HEIGHT - cut)
            pdf = tmp_path / f"{name}.pdf"
            tab.pdf(path=str(pdf), format="A4")
            pages = _pdf_text(pdf)
            end = pages[-1]
            if len(pages) != 2 or not all(t in end for t in ("有效期5年", "江临市财政局", "2025年6月16日", "扫码查阅", "本页网址")):
                problems.append(f"{name}: {len(pages)} pages; " + " | ".join(p[-80:] for p in pages))
            elif "提起行政诉讼" not in pages[0] or "提起行政诉讼" in end:
                problems.append(f"{name}: more than the closing line went over: {end[:80]}")
    finally:
        tab.set_viewport_size({"width": 1280, "height": 900})
        tab.emulate_media(media="screen")
    assert not problems, "\n".join(problems)
