"""Site search: built by `mkdocs build`, finds Chinese words and 文号 in Chromium, accessible, works under a sub-path."""

from __future__ import annotations

import gzip
import json
import re
import time
import urllib.parse
from pathlib import Path

import pytest

from conftest import MINIMAL_CONFIG, ROOT, make_project, run_mkdocs, run_tool, serve
from gazette.search import words as search_words
from gazette.content import docnumber
from gazette.search import index as search
from tools import corpus, search_eval

SAMPLE_QUERIES = ROOT / "tools" / "search-queries-sample.txt"


def search_for(page, base: str, query: str):
    page.goto(base + "search/")
    page.fill("#gz-search-q", query)
    page.press("#gz-search-q", "Enter")
    page.wait_for_selector('.gz-search[data-state="done"]', timeout=30000)


def hits(page) -> list[dict]:
    return page.eval_on_selector_all(".gz-search-hit", """els => els.map(e => ({
        title: e.querySelector('h2').innerText, href: e.querySelector('a').href,
        meta: e.querySelector('.gz-search-hit__meta').innerText,
        marks: [...e.querySelectorAll('mark')].map(m => m.innerText)}))""")


# -- the build -------------------------------------------------------------------


def index_dir(site: Path) -> Path:
    return site / search_words.INDEX_DIR


def shown_pages(site: Path) -> dict[str, dict]:
    """Every page in the index: its address → what its result shows."""
    return {entry["url"]: entry["meta"] for f in (index_dir(site) / search_words.SHOWN_DIR).glob("*.bin")
            for entry in json.loads(gzip.decompress(f.read_bytes())).values()}


def test_build_writes_index_search_page_and_header_box(sample_site):
    manifest = json.loads((index_dir(sample_site) / search_words.MANIFEST).read_text(encoding="utf-8"))
    assert manifest["pages"] > 60 and manifest["buckets"] >= 1 and manifest["filters"]["year"]
    assert list(index_dir(sample_site).glob("h*.bin")) and list(index_dir(sample_site).glob("b*.bin"))
    assert (sample_site / "search" / "index.html").is_file()
    # Material's lunr search is not there: nothing but our own search is loaded.
    assert not (sample_site / "search" / "search_index.json").exists()
    home = (sample_site / "index.html").read_text(encoding="utf-8")
    assert 'class="gz-searchbox"' in home and 'action="search/"' in home
    # The index words are in the index only: a document page a reader downloads carries none of them.
    doc = next(p for p in sample_site.rglob("index.html") if 'class="gz-item"' in p.read_text(encoding="utf-8"))
    text = doc.read_text(encoding="utf-8")
    title = re.search(r"<h1[^>]*>(.*?)</h1>", text, re.S).group(1)
    assert search.tokens(title) and not any(w in text for w in search.tokens(title))


def test_lists_and_issue_pages_are_not_in_the_index(sample_site):
    docs = {d.url for d in search_eval.read_docs(str(sample_site))}
    urls = set(shown_pages(sample_site))
    assert docs <= urls
    assert not any(u.endswith(("browse/", "gazette/")) or re.search(r"gazette/\d{4}/(\d{2}/)?$", u) for u in urls)
    # An editor's guide page standing in for a generated one is searchable.
    assert "disclosure/guide/" in urls


def test_tokens_are_bigrams_of_each_run():
    code = search.han_code
    assert search.tokens("行政复议") == [code("行") + code("政"), code("政") + code("复"), code("复") + code("议")]
    # Punctuation ends a run; a lone character is indexed by itself; other words get their own prefix.
    assert sorted(search.tokens("年，食品 ABC")) == sorted([code("年"), code("食") + code("品"), "zabc"])
    assert search.text_of("<p>食品\n药品</p><p>安全</p>") == "食品药品\n安全"
    # A page's index words also have every character as a word of its own.
    assert sorted(search.tokens("行政，年", unigrams=True)) == sorted(
        [code("行") + code("政"), code("行"), code("政"), code("年")])


# -- in the browser ----------------------------------------------------------------


def test_python_and_browser_agree_on_words_and_doc_numbers(sample_server, page):
    page.goto(sample_server.url + "search/")
    page.wait_for_selector('.gz-search[data-ready="true"]')
    samples = ["行政复议", "江临市人民政府关于2023年的通知", "ＡＢＣ１２３食品，药", "成办发〔2013〕56号", "A 行"]
    for s in samples:
        assert sorted(page.evaluate("s => gazetteSearch.tokens(s)", s)) == sorted(search.tokens(s)), s
    for raw in ["成办发〔2013〕56号", "成办发[2013]56号", "成办发 2013 56", "江府办发（2023）041号", "成办发2013", "行政复议"]:
        assert page.evaluate("s => gazetteSearch.normaliseDocNumber(s)", raw) == docnumber.normalise_query(raw), raw
    assert page.evaluate("s => gazetteSearch.docKey(s)", "成办发〔2013〕56号") == search.doc_key("成办发〔2013〕56号")
    for word in ["6hkag2", "zwh0d28rkl", "z2023", "7bc"]:
        for buckets in (1, 7, 1000):
            assert page.evaluate("a => gazetteSearch.bucketOf(a[0], a[1])", [word, buckets]) == \
                search_words.bucket_of(word, buckets), (word, buckets)


def test_header_box_leads_to_the_expected_first_result(sample_server, page):
    page.goto(sample_server.url)
    box = page.locator(".md-header .gz-searchbox input[name=q]")
    assert box.get_attribute("id") and page.locator(f"label[for={box.get_attribute('id')}]").count() == 1
    box.fill("天然气")
    box.press("Enter")
    page.wait_for_selector('.gz-search[data-state="done"]')
    found = hits(page)
    assert "天然气" in found[0]["title"] and "销售价格" in found[0]["title"]
    assert "天然气" in found[0]["marks"]
    assert "发布机构" in found[0]["meta"] and "发布日期" in found[0]["meta"]
    page.click(".gz-search-hit a")
    assert "天然气" in page.locator("h1").first.inner_text()


def test_the_query_is_marked_in_the_title_too_in_either_script(sample_server, sample_site, page):
    titles = {urllib.parse.urljoin(sample_server.url, url): meta["title"] for url, meta in shown_pages(sample_site).items()}
    for query in ("天然气", "天然氣"):  # typed in 简 or 繁: the title, written in 简, is marked as written
        search_for(page, sample_server.url, query)
        found = page.eval_on_selector_all(".gz-search-hit h2 a", """els => els.map(a => ({
            href: a.href, text: a.textContent, marks: [...a.querySelectorAll('mark')].map(m => m.textContent)}))""")
        first = found[0]
        assert "天然气" in first["text"]
        assert first["marks"] == ["天然气"], query
        assert first["text"] == titles[first["href"]]  # the title reads as it did, only marked
        for hit in found:  # every title holding the query marks it; none marks what it does not hold
            assert hit["text"] == titles[hit["href"]]
            assert hit["marks"] == ["天然气"] * hit["text"].count("天然气"), hit["text"]


def test_title_matches_come_first(sample_server, page):
    search_for(page, sample_server.url, "行政复议")
    found = hits(page)
    in_title = [("行政复议" in h["title"]) for h in found]
    assert in_title[0] and in_title == sorted(in_title, reverse=True)


def test_filters_and_sort_narrow_and_order_results(sample_server, page):
    search_for(page, sample_server.url, "江临市人民政府")
    status = page.inner_text(".gz-search-status")
    everything = int(re.search(r"找到约? ?(\d+) 篇", status).group(1))
    page.click(".gz-search-filters summary")
    page.wait_for_selector('select[name=year] option[value="2023"]', state="attached")
    page.select_option("select[name=year]", "2023")
    page.wait_for_selector('.gz-search[data-state="done"]')
    page.wait_for_function("() => location.search.includes('year=2023')")
    page.wait_for_selector('.gz-search[data-state="done"]')
    narrowed = int(re.search(r"找到约? ?(\d+) 篇", page.inner_text(".gz-search-status")).group(1))
    assert 0 < narrowed < everything
    assert all("2023年" in h["meta"] for h in hits(page))

    page.select_option("select[name=year]", "")
    page.select_option("select[name=kind]", "政务公开")
    page.wait_for_function("() => location.search.includes('kind=')")
    page.wait_for_selector('.gz-search[data-state="done"]')
    assert all("类别：政务公开" in h["meta"] for h in hits(page)) and hits(page)

    page.select_option("select[name=kind]", "")
    page.check('input[name=sort][value=date]')
    page.wait_for_function("() => location.search.includes('sort=date')")
    page.wait_for_selector('.gz-search[data-state="done"]')
    dates = [re.search(r"发布日期：(\d+)年(\d+)月(\d+)日", h["meta"]).groups() for h in hits(page)]
    keys = [tuple(int(x) for x in d) for d in dates]
    assert len(keys) > 3 and keys == sorted(keys, reverse=True)


@pytest.mark.parametrize("typed", ["江医保〔2023〕2号", "江医保[2023]2号", "江医保 2023 2"])
def test_doc_number_typed_three_ways_finds_its_document_first(sample_server, page, typed):
    search_for(page, sample_server.url, typed)
    found = hits(page)
    assert "文号：江医保〔2023〕2号" in found[0]["meta"]
    # The interpretation that cites it is found too, after it.
    assert any("解读" in h["title"] for h in found[1:])


def test_recall_and_precision_targets_on_the_sample_queries(sample_site, browser):
    outcomes = search_eval.evaluate(str(sample_site), str(SAMPLE_QUERIES), timing=False, browser=browser)
    total = search_eval.summary(outcomes)
    missed = {o.query.text: sorted(o.truth - set(o.found)) for o in outcomes if o.recall < 1}
    assert total["recall"] >= 0.99, missed
    assert total["precision"] >= 0.90
    firsts = [o.first_ok for o in outcomes if o.query.canonical]
    assert len(firsts) >= 12 and all(firsts)
    assert sum(len(o.truth) for o in outcomes) > 100  # the set is not trivially small


def test_search_page_is_accessible_by_keyboard_with_large_targets(sample_server, page):
    search_for(page, sample_server.url, "养老服务")
    assert page.get_attribute(".gz-search-status", "aria-live") == "polite"
    assert "养老服务" in page.inner_text(".gz-search-status") or "篇" in page.inner_text(".gz-search-status")
    for sel in ["#gz-search-q", ".gz-search-form button[type=submit]", ".gz-search-filters summary",
                ".gz-search-hit a", ".gz-search-more"]:
        for box in [e.bounding_box() for e in page.query_selector_all(sel) if e.is_visible()]:
            assert box["height"] >= 44 and box["width"] >= 44, sel
    for sel in ["select", "#gz-search-q"]:
        for e in page.query_selector_all(f".gz-search {sel}"):
            assert page.evaluate("e => e.labels.length", e) == 1
    # Keyboard only: from the box, Tab reaches the first result.
    page.focus("#gz-search-q")
    for _ in range(8):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.closest('.gz-search-hit') !== null"):
            break
    assert page.evaluate("document.activeElement.closest('.gz-search-hit') !== null")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "/search/" not in page.url and page.locator(".gz-item").count() == 1


@pytest.fixture(scope="module")
def subpath_site(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("subpath")
    corpus.generate(str(root / "p"), 15, site_url="https://gk.example.gov.cn/city/gk/")
    result = run_mkdocs(root / "p", "--strict")
    assert result.ok, result.output
    return result.site


def test_search_works_under_a_sub_path_from_its_own_origin(subpath_site, page):
    server, stop = serve(subpath_site, "/city/gk/")
    try:
        outside: list[str] = []
        page.on("request", lambda r: outside.append(r.url) if not r.url.startswith("http://127.0.0.1") else None)
        page.goto(server.url + "gazette/")
        page.fill(".md-header .gz-searchbox input", "工作")
        page.press(".md-header .gz-searchbox input", "Enter")
        page.wait_for_selector('.gz-search[data-state="done"]')
        assert page.url.startswith(server.url + "search/")
        found = hits(page)
        assert found and all(h["href"].startswith(server.url) for h in found)
        page.click(".gz-search-hit a")
        page.locator(".gz-item").wait_for()  # the click starts a navigation; wait for the item page
        assert page.locator(".gz-item").count() == 1
        assert not outside, outside  # no request leaves the site's origin
        assert any(p.startswith("/city/gk/search-index/") for p in server.requests)
    finally:
        stop()


def test_search_eval_command_reports_recall_precision_time_and_bytes(sample_site, tmp_path):
    queries = tmp_path / "q.txt"
    queries.write_text("# a word and a 文号\n养老服务\n@文号 1\n", encoding="utf-8")
    proc = run_tool("search_eval", "--site", str(sample_site), "--queries", str(queries))
    assert proc.returncode == 0, proc.stdout + proc.stderr
    lines = proc.stdout.splitlines()
    row = next(line for line in lines if line.startswith("养老服务"))
    truth, found, recall = row.split()[1:4]
    assert int(truth) > 5 and found == truth and recall == "100.0%"
    assert sum(1 for line in lines if line.rstrip().endswith("是")) == 3  # the 文号 three ways, each first
    summary = lines[-1]
    assert "召回率 100.00%" in summary and re.search(r"最多下载 [\d.]+ KB", summary)


def test_search_can_be_switched_off_for_quick_previews(tmp_path):
    corpus.generate(str(tmp_path / "p"), 6)
    config = tmp_path / "p" / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace("gazette_name: 江临政报", "gazette_name: 江临政报\n      search: false"),
                      encoding="utf-8")
    result = run_mkdocs(tmp_path / "p", "--strict")
    assert result.ok, result.output
    assert not index_dir(result.site).exists() and not (result.site / "search").exists()
    assert "gz-searchbox" not in (result.site / "index.html").read_text(encoding="utf-8")


def test_a_browser_without_gzip_streams_is_told_to_update(sample_server, browser):
    context = browser.new_context(locale="zh-CN")
    try:
        page = context.new_page()
        page.add_init_script("delete window.DecompressionStream")
        page.goto(sample_server.url + "search/?q=天然气")
        page.wait_for_selector('.gz-search[data-state="error"]')
        assert "浏览器版本过旧" in page.inner_text(".gz-search-status")
    finally:
        context.close()


# -- the smallest sites -------------------------------------------------------------

ITEM = """
---
title: 关于开展春季植树活动的通知
issuer: 测试市人民政府
published: 2024-03-01
doc_number: 测府发〔2024〕1号
column: 市政府文件
---

各乡镇人民政府：现将植树造林有关事项通知如下。
"""

ISSUE = """
---
published: 2024-03-01
columns: [市政府文件]
---
"""

GUIDE = """
# 办事指南

查阅公报可到市档案馆植树楼一层。
"""


@pytest.mark.parametrize("searchable", [0, 1, 2])
def test_a_new_site_builds_in_seconds_and_its_search_page_finds_its_pages(tmp_path, browser, searchable):
    """A site of just docs/index.md (nothing searchable: the home page is not indexed), then one
    document, then a document and an editor's page: each builds in seconds, and its search page
    answers from the index."""
    files = {}
    if searchable >= 1:
        files |= {"gazette/2024/03/index.md": ISSUE, "gazette/2024/03/tree-planting.md": ITEM}
    if searchable >= 2:
        files["guide.md"] = GUIDE
    project = make_project(tmp_path, files, MINIMAL_CONFIG)
    t0 = time.monotonic()
    result = run_mkdocs(project, "--strict", timeout=120)
    took = time.monotonic() - t0
    assert result.ok, result.output
    assert took < 30, took  # seconds on a busy machine; Python and MkDocs starting are most of it
    manifest = json.loads((index_dir(result.site) / search_words.MANIFEST).read_text(encoding="utf-8"))
    assert manifest["pages"] == searchable
    server, stop = serve(result.site)
    try:
        context = browser.new_context(locale="zh-CN")
        page = context.new_page()
        search_for(page, server.url, "植树")
        found = hits(page)
        status = page.inner_text(".gz-search-status")
        if searchable == 0:
            assert found == [] and "没有找到" in status
        else:
            assert len(found) == searchable, status
            assert "春季植树" in found[0]["title"] and "文号：测府发〔2024〕1号" in found[0]["meta"]
            assert all("植树" in h["marks"] for h in found)
        if searchable >= 2:
            assert found[1]["title"] == "办事指南"  # an editor's page after the documents
        search_for(page, server.url, "测府发 2024 1")
        assert len(hits(page)) == min(searchable, 1)
        context.close()
    finally:
        stop()


def test_removed_search_options_are_named_in_a_warning_not_a_crash(tmp_path):
    config = MINIMAL_CONFIG.replace("      gazette_name: 测试政报\n", "      gazette_name: 测试政报\n"
                                    "      search_shard_pages: 5000\n      search_words_min_pages: 1000\n")
    project = make_project(tmp_path, {}, config)
    result = run_mkdocs(project)
    assert result.ok, result.output
    for name in ("search_shard_pages", "search_words_min_pages"):
        assert f"gazette 插件的选项 {name} 已取消" in result.output and "请从 mkdocs.yml 中删去" in result.output
    assert "Traceback" not in result.output
    assert (index_dir(result.site) / search_words.MANIFEST).is_file()
    strict = run_mkdocs(project, "--strict", site=tmp_path / "strict")  # --strict stops at any warning, as MkDocs does
    assert not strict.ok and "search_shard_pages 已取消" in strict.output and "Traceback" not in strict.output


def test_an_abbreviation_finds_documents_printing_the_full_name(sample_server, page):
    from gazette.search import abbreviations

    table = dict(abbreviations.load())
    assert len(table) >= 30 and table["卫健委"] == "卫生健康委员会"
    requested = []
    page.on("request", lambda r: requested.append(r.url))
    search_for(page, sample_server.url, "卫生健康委员会")
    full = {h["href"] for h in hits(page)}
    requested.clear()
    search_for(page, sample_server.url, "卫健委")
    short = hits(page)
    assert full and full <= {h["href"] for h in short}
    assert all("卫生健康委员会" in h["marks"] or "卫健委" in h["marks"] for h in short)
    # A search page view (the page, its scripts and styles, the index's files) loads each file once.
    twice = [u for u in set(requested) if requested.count(u) > 1 and "favicon" not in u]  # the browser asks for that itself
    assert any(u.endswith("search.js") for u in requested) and not twice, twice


def test_a_pasted_page_of_text_is_searched_by_its_first_hundred_characters(sample_server, page):
    """A whole document pasted into the box, or a link carrying one, searches by its opening words,
    says so, and keeps the address short (servers refuse long ones)."""
    long_query = "天然气" + "价格管理" * 500  # 18 KB encoded: within what the test server takes
    page.goto(sample_server.url + "search/?q=" + urllib.parse.quote(long_query))
    page.wait_for_selector('.gz-search[data-state="done"]')
    assert "只按前 100 个字搜索" in page.locator(".gz-search [role=status]").inner_text()
    assert len(page.locator("#gz-search-q").input_value()) == 100
    assert len(page.url) < 2000
    assert page.locator("#gz-search-q").get_attribute("maxlength") == "100"
    page.goto(sample_server.url)
    assert page.locator(".md-header .gz-searchbox input[name=q]").get_attribute("maxlength") == "100"
