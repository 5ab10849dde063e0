"""An item read as a printed official document (GB/T 9704), on screen and on paper.

The 主送 line above the text is flush left while the text's paragraphs keep their two-character indent;
a colon-ended sentence is not taken for it. A tiny site built once from the sample site's own documents;
one browser.
"""

from __future__ import annotations

import pytest

from conftest import ROOT, make_project, run_mkdocs, serve

DOCS = ROOT / "docs"
NOTICE = "gazette/2025/06/jcg-2025-1"  # 市级各预算单位…：, five sections, 落款
APPOINTMENTS = "gazette/2025/06/renmian-2025-06"  # 主送, then 「经市人民政府…研究决定：」
ANNOUNCEMENT = "gazette/2024/07/jff-2024-15"  # no 主送: opens 「…通告如下：」


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
