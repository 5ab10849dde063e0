"""Search folds 简 and 繁: the same table in Python and the browser, either script finds both, results as written."""

from __future__ import annotations

import json
import shutil
import subprocess
import unicodedata

import pytest

from conftest import MINIMAL_CONFIG, ROOT, make_project, run_mkdocs, serve
from gazette.safety import textnorm
from gazette.search import index as search
from gazette.search import words as search_words

SEARCH_JS = ROOT / "gazette" / "theme" / "assets" / "gazette" / "search.js"
NODE = shutil.which("node") or "/usr/bin/node"

# search.js in Node: the page it would run on is absent, so it only defines window.gazetteSearch.
NODE_FOLD = """
global.window = {}; global.document = { querySelector: function () { return null; } };
require(process.argv[1]);
let input = ""; process.stdin.on("data", d => input += d).on("end", () => {
  const job = JSON.parse(input), s = window.gazetteSearch;
  s.useFolding(job.pairs);
  process.stdout.write(JSON.stringify({fold: job.chars.map(s.fold), hans: job.chars.map(s.hans),
                                       text: s.fold(job.text), tokens: s.tokens(job.text)}));
});
"""


def han(c: str) -> bool:
    return "\u3400" <= c <= "\u9fff"


def test_python_and_javascript_fold_every_character_of_the_table_alike():
    if not shutil.which(NODE):
        pytest.skip("node 不可用")
    table = textnorm.t2s_table()
    chars = sorted(set(table) | set(table.values()))
    # compatibility ideographs and radicals that NFKC turns into a character of the table
    chars += [chr(c) for c in [*range(0x2E80, 0x2FE0), *range(0xF900, 0xFB00)]
              if unicodedata.normalize("NFKC", chr(c)) in table]
    text = "江臨市食品藥品監督管理局關於政務公開的通知 ＡＢＣ 薴麻"
    # the site's part of the table, for a site holding every simplified character
    pairs = search.browser_folding({search.fold(c) for c in chars})
    job = {"pairs": pairs, "chars": chars, "text": text}
    proc = subprocess.run([NODE, "-e", NODE_FOLD, str(SEARCH_JS)], input=json.dumps(job), capture_output=True,
                          text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    out = json.loads(proc.stdout)
    differ = [(c, py, js) for c, py, js in zip(chars, map(search.fold, chars), out["fold"]) if py != js]
    assert not differ, differ[:20]
    assert out["hans"] == [search.hans(c) for c in chars]
    assert out["text"] == search.fold(text) and sorted(out["tokens"]) == sorted(search.tokens(text))


def test_folding_follows_openccs_table_to_its_end_and_leaves_simplified_text_alone():
    table = textnorm.t2s_table()
    assert search.fold("食品藥品") == "食品药品" and search.fold("公開") == "公开"
    assert search.fold("薴") == search.fold("苧") == "苎"  # a chain, to its end
    for t, s in table.items():
        if han(t) and han(s):
            assert search.fold(t) == search.fold(s) and search.fold(search.fold(t)) == search.fold(t), t
    # A character the table does not name as traditional is never changed: simplified text is indexed as written.
    untouched = [chr(c) for c in range(0x4E00, 0xA000) if chr(c) not in table]
    assert "".join(map(search.fold, untouched)) == "".join(untouched)


SIMPLIFIED = """
---
title: 关于推进政务公开工作的通知
issuer: 测试市人民政府
published: 2024-03-01
doc_number: 测府发〔2024〕1号
column: 市政府文件
---

各乡镇人民政府：请依法主动公开政府信息，做好食品药品安全信息发布。
"""

TRADITIONAL = """
---
title: 測試市人民政府關於加強食品藥品安全監管的通知
issuer: 测试市人民政府
published: 2024-03-05
doc_number: 测府发〔2024〕2号
column: 市政府文件
---

各鄉鎮人民政府：現將食品藥品監管有關事項通知如下，監管結果依法向社會公開。
"""

OTHER = """
---
title: 关于开展春季植树活动的通知
issuer: 测试市人民政府
published: 2024-03-09
doc_number: 测府发〔2024〕3号
column: 市政府文件
---

各乡镇人民政府：现将植树造林有关事项通知如下。
"""

ISSUE = "---\npublished: 2024-03-01\ncolumns: [市政府文件]\n---\n"


@pytest.fixture(scope="module")
def mixed_site(tmp_path_factory):
    project = make_project(tmp_path_factory.mktemp("scripts"), {
        "gazette/2024/03/index.md": ISSUE, "gazette/2024/03/gongkai.md": SIMPLIFIED,
        "gazette/2024/03/shipin.md": TRADITIONAL, "gazette/2024/03/zhishu.md": OTHER}, MINIMAL_CONFIG)
    result = run_mkdocs(project, "--strict", timeout=120)
    assert result.ok, result.output
    server, stop = serve(result.site)
    yield result.site, server.url
    stop()


def test_the_browser_gets_the_pairs_of_the_characters_on_the_site_only(mixed_site):
    site, _ = mixed_site
    manifest = json.loads((site / search_words.INDEX_DIR / search_words.MANIFEST).read_text(encoding="utf-8"))
    pairs = manifest["t2s"]
    got = {pairs[i]: pairs[i + 1] for i in range(0, len(pairs), 2)}
    written = "".join(p.read_text(encoding="utf-8") for p in (site.parent / "docs").rglob("*.md"))
    # The query's 藥 and 開 fold to 药 and 开, which the site has; 龜 would fold to 龟, which it has not.
    assert got["藥"] == "药" and got["開"] == "开" and got["鄉"] == "乡"
    assert "龜" not in got and "龟" not in written
    on_site = {textnorm.t2s_table().get(c, c) for c in written} | set(written)
    assert set(got.values()) <= on_site
    assert len(pairs.encode("utf-8")) < 4096  # a few hundred pairs, not the 3,000 of the whole table


def search_hits(page, base: str, query: str) -> list[dict]:
    page.goto(base + "search/")
    page.fill("#gz-search-q", query)
    page.press("#gz-search-q", "Enter")
    page.wait_for_selector('.gz-search[data-state="done"]', timeout=30000)
    return page.eval_on_selector_all(".gz-search-hit", """els => els.map(e => ({
        title: e.querySelector('h2').innerText, excerpt: e.querySelector('.gz-search-hit__excerpt').innerText,
        marks: [...e.querySelectorAll('.gz-search-hit__excerpt mark')].map(m => m.innerText),
        title_marks: [...e.querySelectorAll('h2 mark')].map(m => m.innerText)}))""")


def test_either_script_finds_both_and_results_show_the_text_as_written(mixed_site, browser):
    _, base = mixed_site
    context = browser.new_context(locale="zh-CN")
    page = context.new_page()
    try:
        for query in ("食品药品", "食品藥品"):  # simplified and traditional: the same two pages
            found = search_hits(page, base, query)
            assert sorted(h["title"] for h in found) == ["关于推进政务公开工作的通知",
                                                          "測試市人民政府關於加強食品藥品安全監管的通知"], query
            by_title = {h["title"]: h for h in found}
            assert by_title["測試市人民政府關於加強食品藥品安全監管的通知"]["marks"] == ["食品藥品"]
            assert by_title["測試市人民政府關於加強食品藥品安全監管的通知"]["title_marks"] == ["食品藥品"]  # as written
            assert by_title["关于推进政务公开工作的通知"]["title_marks"] == []  # the query is in its text only
            assert by_title["关于推进政务公开工作的通知"]["marks"] == ["食品药品"]
            assert "現將食品藥品監管有關事項" in by_title["測試市人民政府關於加強食品藥品安全監管的通知"]["excerpt"]
        found = search_hits(page, base, "公開")  # traditional query, a simplified page first (its title has 公开)
        assert [h["title"] for h in found] == ["关于推进政务公开工作的通知", "測試市人民政府關於加強食品藥品安全監管的通知"]
        assert found[0]["marks"] == ["公开"] and found[1]["marks"] == ["公開"]
        assert search_hits(page, base, "植樹造林")[0]["marks"] == ["植树造林"]
        assert "繁体均可" in page.inner_text("label[for=gz-search-q]")  # the reader is told
        # A 文号 typed in traditional characters finds its document first.
        found = search_hits(page, base, "測府發〔2024〕2號")
        assert found and found[0]["title"] == "測試市人民政府關於加強食品藥品安全監管的通知"
        assert search_hits(page, base, "監管結果") and not search_hits(page, base, "監管植樹")
    finally:
        context.close()
