"""Item pages rendered by worker processes: the same site as one process makes, one search index
from every worker's pages, and a worker's failures and warnings handled as MkDocs' own (the
build fails, --strict counts them, the previous site stays)."""

from __future__ import annotations

import collections
import gzip
import hashlib
import json
import re
import shutil
from pathlib import Path

import pytest

from gazette.search import index as search
from gazette.search import words as search_words

from conftest import MINIMAL_CONFIG, ROOT, make_project, run_mkdocs
from tools import search_eval

SAMPLE_QUERIES = ROOT / "tools" / "search-queries-sample.txt"


def _sample_copy(tmp_path: Path, options: str) -> Path:
    """The repository's sample site with extra gazette plugin options."""
    project = tmp_path / "sample"
    shutil.copytree(ROOT / "docs", project / "docs")
    shutil.copytree(ROOT / "overrides", project / "overrides")
    config = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    assert "      gazette_name: 江临政报\n" in config
    config = config.replace("      gazette_name: 江临政报\n", "      gazette_name: 江临政报\n" + options)
    (project / "mkdocs.yml").write_text(config, encoding="utf-8")
    return project


INDEX = search_words.INDEX_DIR


def _shown_files(path: Path) -> bool:
    """What results show is written in files of the pages each process rendered one after another
    (and the table naming them): how the pages were shared out changes those, nothing else."""
    parts = path.parts
    return parts[0] == INDEX and (parts[1] == search_words.SHOWN_DIR or parts[1].startswith("d"))


def _digests(site: Path) -> dict[str, str]:
    return {str(p.relative_to(site)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(site.rglob("*")) if p.is_file() and not _shown_files(p.relative_to(site))}


@pytest.fixture(scope="module")
def pooled_site(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("pooled")
    project = _sample_copy(tmp, "      workers: 3\n")  # item pages and their words from three workers
    result = run_mkdocs(project, "--strict")
    assert result.ok, result.output
    return result


def test_workers_write_the_same_site_as_one_process(pooled_site, tmp_path):
    single = run_mkdocs(_sample_copy(tmp_path, "      workers: 1\n"), "--strict")
    assert single.ok, single.output
    pooled, alone = _digests(pooled_site.site), _digests(single.site)
    assert pooled.keys() == alone.keys()
    assert any(name.startswith(INDEX) for name in pooled)  # the words, buckets and filters are the same bytes
    differing = [name for name in pooled if pooled[name] != alone[name]]
    assert differing == []
    assert shown_by_page(pooled_site.site) == shown_by_page(single.site)
    sitemap = (pooled_site.site / "sitemap.xml").read_text(encoding="utf-8")
    assert sitemap.count("<loc>") == alone_count(single.site) and "/gazette/2024/" in sitemap


def alone_count(site: Path) -> int:
    return (site / "sitemap.xml").read_text(encoding="utf-8").count("<loc>")


def shown_by_page(site: Path) -> list[dict]:
    """What each numbered page's result shows, in page number order (through the table)."""
    root = site / INDEX
    table = [name for t in sorted(root.glob("d*.json"), key=lambda p: int(p.stem[1:]))
             for name in json.loads(t.read_text(encoding="utf-8"))]
    files = {p.stem: json.loads(gzip.decompress(p.read_bytes())) for p in (root / search_words.SHOWN_DIR).glob("*.bin")}
    return [files[name][str(n)] if name else None for n, name in enumerate(table)]


def test_word_index_is_the_whole_index_and_works_from_a_sub_path(pooled_site, browser):
    root = pooled_site.site / INDEX
    words = json.loads((root / search_words.MANIFEST).read_text(encoding="utf-8"))
    table = [name for t in sorted(root.glob("d*.json"))
             for name in json.loads(t.read_text(encoding="utf-8"))]
    shown = {p.stem: json.loads(gzip.decompress(p.read_bytes()))
             for p in (root / search_words.SHOWN_DIR).glob("*.bin")}
    assert len(table) == words["pages"] >= len(search_eval.read_docs(str(pooled_site.site)))
    # Every page numbered is in the file the table names, with the address of a page that exists;
    # short pages share files.
    for number, name in enumerate(table):
        url = shown[name][str(number)]["url"]
        assert (pooled_site.site / url / "index.html").is_file(), url
    assert set(table) == set(shown) and len(shown) < len(table)
    hot = set(words["hot"])
    queries = search_eval.read_queries(str(SAMPLE_QUERIES), [])
    # Both kinds of word are in the set: words with a bitmap file of their own, words in buckets.
    kinds = {all(w in hot for w in search.tokens(q.text)) for q in queries if not q.canonical}
    assert kinds == {True, False}
    # Served from a sub-path: the word files and shown data are found relative to the page.
    outcomes = search_eval.evaluate(str(pooled_site.site), str(SAMPLE_QUERIES), prefix="/gk/", timing=False,
                                    browser=browser)
    total = search_eval.summary(outcomes)
    assert total["recall"] >= 0.99 and total["precision"] >= 0.9, total
    assert total["docno_first"].split("/")[0] == total["docno_first"].split("/")[1] != "0"


def test_word_index_finds_filters_and_orders(pooled_site, browser):
    """A query fetches only files of the index besides the page; it finds every page that has
    the words, title matches first or newest first, filtered; a single character finds exactly
    the pages that have it."""
    site = pooled_site.site
    manifest = json.loads((site / INDEX / search_words.MANIFEST).read_text(encoding="utf-8"))
    query = "人民政府"
    assert all(w in set(manifest["hot"]) for w in search.tokens(query))
    docs = search_eval.read_docs(str(site))
    truth = {d.url for d in docs if query in d.text}
    assert len(truth) >= 10

    def published(url: str) -> str:
        html = (site / url.strip("/") / "index.html").read_text(encoding="utf-8")
        return re.search(r'发布日期</th><td><time datetime="([\d-]+)"', html).group(1)

    def title(url: str) -> str:
        found = re.search(r"<h1[^>]*>(.*?)</h1>", (site / url.strip("/") / "index.html").read_text(encoding="utf-8"), re.S)
        return found.group(1) if found else ""

    server = search_eval._Server(str(site), "/")
    context = browser.new_context(locale="zh-CN")
    try:
        page = context.new_page()
        requested = []
        page.on("request", lambda r: requested.append(r.url))
        page.goto(server.url + "search/?q=" + query)
        page.wait_for_selector('.gz-search[data-state="done"]')
        titles = page.locator(".gz-search-hit__title").all_inner_texts()
        assert len(titles) == 10 and query in titles[0]  # a title holding the words comes first
        fetched = [u for u in requested if "/search-index/" in u]
        assert fetched and all(re.search(r"/search-index/(manifest\.json|[hbf]\d+\.bin|d\d+\.json|p/\w+\.bin)$", u)
                               for u in fetched), fetched
        found = page.evaluate("q => gazetteSearch.all(q)", query)["hits"]
        assert {u.lstrip("/") for u in found} >= truth
        by_date = [u for u in page.evaluate("q => gazetteSearch.all(q, {byDate: true})", query)["hits"]
                   if u.lstrip("/") in truth]
        dates = [published(u) for u in by_date]
        assert dates == sorted(dates, reverse=True) and len(set(dates)) > 1
        # A query of several parts: the titles holding more of the parts first, each tier newest first.
        mixed = page.evaluate("q => gazetteSearch.all(q)", "2025 通知")["hits"]
        held = [sum(part in title(u) for part in ("2025", "通知")) for u in mixed]
        assert held[0] == 2 and 1 in held and held == sorted(held, reverse=True), held
        top = [published(u) for u in mixed if held[mixed.index(u)] == 2]
        assert top == sorted(top, reverse=True)
        only = page.evaluate("q => gazetteSearch.all(q, {filters: {year: '2024'}})", query)["hits"]
        expected = {u for u in truth if published(u).startswith("2024")}
        assert expected and {u.lstrip("/") for u in only if u.lstrip("/") in truth} == expected
        counts = collections.Counter(c for d in docs for c in set(d.text) if "\u4e00" <= c <= "\u9fff")
        for char in ("税", min(counts, key=lambda c: (counts[c], c))):  # a common character and a rare one
            having = {d.url for d in docs if char in d.text}
            assert having and {u.lstrip("/") for u in page.evaluate("q => gazetteSearch.all(q)", char)["raw"]} == having
    finally:
        context.close()
        server.close()


# The hooks handle no page event (a page event keeps every page in MkDocs' loop): they change a
# template filter, which an item page's template calls in the worker that renders it.
HOOK_FAIL = """
import jinja2
from gazette.model.catalog import cn_date

@jinja2.pass_context
def failing(context, value):
    if context["page"].file.src_uri.endswith("tax-notice.md"):
        raise RuntimeError("模拟的渲染错误")
    return cn_date(value)

def on_env(env, **kwargs):
    env.filters["cn_date"] = failing
    return env
"""

HOOK_WARN = """
import logging
import jinja2
from gazette.model.catalog import cn_date
log = logging.getLogger("mkdocs.plugins.site-hook")

@jinja2.pass_context
def warning(context, value):
    if context["page"].file.src_uri.endswith("tax-notice.md") and value.day == 2:
        log.warning("条目页面上的一条警告")
    return cn_date(value)

def on_env(env, **kwargs):
    env.filters["cn_date"] = warning
    return env
"""

HOOK_PAGE_EVENT = """
def on_page_markdown(markdown, page, **kwargs):
    return markdown
"""

ISSUE = """
---
published: 2024-01-15
columns: [市政府文件]
---
"""


def _item(n: int) -> str:
    return f"""
---
title: 关于做好第{n}项春季农田水利建设工作的通知
issuer: 测试市人民政府
published: 2024-01-{n + 1:02d}
doc_number: 测府发〔2024〕{n}号
column: 市政府文件
---

各乡镇人民政府：现将第{n}项有关事项通知如下。
"""


def _hooked_project(tmp_path: Path, hook: str) -> Path:
    files = {"gazette/2024/01/index.md": ISSUE, "gazette/2024/01/tax-notice.md": _item(1)}
    files.update({f"gazette/2024/01/item-{n}.md": _item(n) for n in range(2, 7)})
    config = MINIMAL_CONFIG.replace("      gazette_name: 测试政报\n", "      gazette_name: 测试政报\n      workers: 2\n")
    project = make_project(tmp_path, files, config + "hooks:\n  - hook.py\n")
    (project / "hook.py").write_text(hook, encoding="utf-8")
    return project


PARALLEL = "个进程并行渲染"
IN_PROCESS = "条目页面在 MkDocs 进程中逐页渲染，不启用并行渲染"


def test_an_error_in_a_worker_fails_the_build_and_keeps_the_previous_site(tmp_path):
    project = _hooked_project(tmp_path, "def on_env(env, **kwargs):\n    return env\n")
    first = run_mkdocs(project)
    assert first.ok, first.output
    assert PARALLEL in first.output and IN_PROCESS not in first.output
    before = _digests(first.site)
    (project / "hook.py").write_text(HOOK_FAIL, encoding="utf-8")
    failed = run_mkdocs(project)
    assert not failed.ok
    assert "模拟的渲染错误" in failed.output and "Traceback" not in failed.output
    assert _digests(first.site) == before


def test_a_warning_while_rendering_an_item_is_shown_and_fails_a_strict_build(tmp_path):
    project = _hooked_project(tmp_path, HOOK_WARN)
    strict = run_mkdocs(project, "--strict", site=tmp_path / "strict-site")
    assert PARALLEL in strict.output  # rendered in a worker, and its warning shown once, in this process
    assert not strict.ok and strict.output.count("条目页面上的一条警告") == 1, strict.output
    assert not (tmp_path / "strict-site" / "index.html").exists()


def test_rendering_shortcuts_give_the_same_pages(tmp_path):
    """render_cache: Material's nav, tabs and footer are rendered once per folder depth for pages
    outside the nav, and its style, analytics, script and config blocks once per depth for every
    page. The pages must be exactly those Material renders page by page."""
    import subprocess
    import sys

    project = _sample_copy(tmp_path, "      workers: 1\n      search: false\n")
    cached = run_mkdocs(project, site=tmp_path / "cached")
    assert cached.ok, cached.output
    plain = subprocess.run(
        [sys.executable, "-c", "import sys, gazette.build.render_cache as r; r.install = lambda *a: None; "
         "from mkdocs.__main__ import cli; sys.argv[0] = 'mkdocs'; cli()",
         "build", "-f", str(project / "mkdocs.yml"), "-d", str(tmp_path / "plain")],
        cwd=project, capture_output=True, text=True, timeout=600)
    assert plain.returncode == 0, plain.stderr
    assert _digests(tmp_path / "cached") == _digests(tmp_path / "plain")
    item = next((tmp_path / "cached" / "gazette").rglob("*/index.html"))
    assert 'class="md-nav' in item.read_text(encoding="utf-8")  # the navigation is there


def test_a_hook_with_a_page_event_sees_every_page_in_the_mkdocs_process(tmp_path):
    project = _hooked_project(tmp_path, HOOK_PAGE_EVENT)
    result = run_mkdocs(project)
    assert result.ok, result.output
    assert "其他插件（hook.py）也处理页面事件" in result.output and IN_PROCESS in result.output
    assert PARALLEL not in result.output


def test_materials_search_plugin_indexes_every_item_page(tmp_path):
    """With another plugin handling page events (Material's search), every item page is rendered in
    the MkDocs process, where that plugin sees it."""
    files = {"gazette/2024/01/index.md": ISSUE}
    files.update({f"gazette/2024/01/item-{n}.md": _item(n) for n in range(1, 9)})
    config = MINIMAL_CONFIG.replace("plugins:\n  - gazette:\n      gazette_name: 测试政报\n",
                                    "plugins:\n  - search\n  - gazette:\n      gazette_name: 测试政报\n      workers: 2\n")
    assert "  - search\n" in config
    project = make_project(tmp_path, files, config)
    result = run_mkdocs(project, "--strict")
    assert result.ok, result.output
    assert "其他插件（material/search）也处理页面事件" in result.output and IN_PROCESS in result.output
    assert PARALLEL not in result.output
    index = json.loads((result.site / "search" / "search_index.json").read_text(encoding="utf-8"))
    locations = {d["location"].split("#")[0] for d in index["docs"]}
    items = {f"gazette/2024/01/item-{n}/" for n in range(1, 9)}
    assert items <= locations, sorted(locations)
    for n in range(1, 9):
        assert (result.site / "gazette" / "2024" / "01" / f"item-{n}" / "index.html").is_file()
    # Material's search box works from its script bundle, which a site without such a feature goes without.
    page = (result.site / "gazette" / "2024" / "01" / "item-1" / "index.html").read_text(encoding="utf-8")
    assert re.search(r'<script src="[./]*assets/javascripts/bundle\.\w+\.min\.js"', page)
