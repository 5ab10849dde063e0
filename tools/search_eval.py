"""How well the built site's search finds what a reader typed.

A developer tool, not part of the installed package (it needs Playwright:
`pip install -e '.[dev]'`). Run from the repository root, after `mkdocs build`:

    python tools/search_eval.py --site site --queries tools/search-queries-sample.txt

Serves the built site on localhost, runs each query in headless Chromium through
the site's own search page, and compares the results with substring ground truth
taken from the built HTML of every document (title, 文号, 发布机构, body). Prints
recall and precision per query and overall, the time to the first results (cold:
fresh browser, the index's manifest already loaded; warm: the same query again) and
the bytes fetched for a query beyond the manifest.

Simplified and traditional characters are one: the ground truth compares the texts and the
query converted to simplified by OpenCC's phrase-level `t2s` (not by the site's own table),
so 食品药品 should find 食品藥品 and the other way round. With `--other-script` every query
runs a second time converted to the other script (OpenCC `s2t` or `t2s`), and the two runs
must find the same pages.
"""

from __future__ import annotations

import argparse
import functools
import html
import http.server
import json
import os
import re
import shutil
import sys
import threading
import time
import unicodedata
from dataclasses import dataclass, field

from gazette.content import docnumber
from gazette.search import words as search_words
from gazette.search.index import text_of

HERE = os.path.dirname(os.path.abspath(__file__))
SAMPLE_QUERIES = os.path.join(HERE, "search-queries-sample.txt")
CORPUS_QUERIES = os.path.join(HERE, "search-queries-corpus.txt")
_INDEX_PATH = f"/{search_words.INDEX_DIR}/"
_ONCE = re.compile(re.escape(_INDEX_PATH + search_words.MANIFEST) + "$")  # fetched once per visit, not per query
# The word, bucket and filter files (not the page table or what results show): they grow with the site.
_WORDS = re.compile(re.escape(_INDEX_PATH) + r"[hbf]\d+\.bin$")
_H1 = re.compile(r"<h1[^>]*>(.*?)</h1>", re.S)
_ISSUER = re.compile(r'<th scope="row">发布机构</th><td>(.*?)</td>', re.S)
_DOCNO = re.compile(r'<td class="gz-docno">(.*?)</td>', re.S)
_SPACE_IN_HAN = re.compile(r"(?<=[\u3400-\u9fff])[ \t\r\u3000]+(?=[\u3400-\u9fff])")


def matchable(text: str) -> str:
    return _SPACE_IN_HAN.sub("", unicodedata.normalize("NFKC", text).lower())


@functools.lru_cache(maxsize=None)
def _opencc(config: str):
    import opencc

    return opencc.OpenCC(config).convert


def simplified(text: str) -> str:
    """`matchable(text)` in simplified characters, by OpenCC's phrase-level conversion."""
    return _opencc("t2s")(matchable(text))


def other_script(text: str) -> str:
    """A query in the other script: traditional if it has no traditional character, else simplified."""
    hans = _opencc("t2s")(text)
    return hans if hans != text else _opencc("s2t")(text)


@dataclass
class Doc:
    url: str  # site-relative, e.g. gazette/2023/05/slug/
    docno: str
    text: str  # simplified(): title, 文号, 发布机构, body


def _inner_div(page: str, marker: str) -> str:
    start = page.find(marker)
    if start < 0:
        return ""
    pos = start + len(marker)
    depth = 1
    for m in re.finditer(r"<(/?)div\b[^>]*>", page[pos:]):
        depth += -1 if m.group(1) else 1
        if depth == 0:
            return page[pos:pos + m.start()]
    return page[pos:]


def read_docs(site: str) -> list[Doc]:
    """Every document page of a built site with its searchable text, from the HTML a reader gets."""
    docs = []
    for folder, _, names in os.walk(site):
        for name in names:
            if not name.endswith(".html"):
                continue
            path = os.path.join(folder, name)
            with open(path, encoding="utf-8") as fh:
                page = fh.read()
            item = page.find('class="gz-item"')
            if item < 0:
                continue
            part = page[item:]
            title = _H1.search(part)
            issuer = _ISSUER.search(part)
            docno = _DOCNO.search(part)
            body = _inner_div(part, '<div class="gz-body">')
            fields = [html.unescape(re.sub(r"<[^>]+>", "", m.group(1))).strip() if m else ""
                      for m in (title, docno, issuer)]
            rel = os.path.relpath(path, site).replace(os.sep, "/")
            url = rel[: -len("index.html")] if rel.endswith("index.html") else rel
            docs.append(Doc(url, fields[1], simplified("\n".join(fields + [text_of(body)]))))
    return sorted(docs, key=lambda d: d.url)


@dataclass
class Query:
    text: str
    canonical: str | None = None  # a 文号's printed form: its document must come first
    pair: int | None = None  # with --other-script: the number shared by a query and its conversion


def read_queries(path: str, docs: list[Doc]) -> list[Query]:
    out: list[Query] = []
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            line = line.strip()
            if not line or line.startswith("#"):
                continue
            m = re.match(r"^@文号\s+(\d+)$", line)
            if m:
                numbered = [d for d in docs if d.docno and "〔" in d.docno]
                count = min(int(m.group(1)), len(numbered))
                for k in range(count):
                    d = numbered[(k * len(numbered)) // count]
                    p = docnumber.parse(d.docno)
                    for form in (d.docno, f"{p.agency}[{p.year}]{p.number}号", f"{p.agency} {p.year} {p.number}"):
                        out.append(Query(form, d.docno))
                continue
            out.append(Query(line, docnumber.normalise_query(line)))
    return out


def with_other_script(queries: list[Query], docs: list[Doc]) -> list[Query]:
    """Each query followed by the same in the other script (a 文号 among them: 江府發〔2023〕5號)."""
    out = []
    for n, q in enumerate(queries):
        other = other_script(q.text)
        canonical = docnumber.normalise_query(_opencc("t2s")(other)) if q.canonical else None
        if canonical and not any(d.docno == canonical for d in docs):
            canonical = q.canonical  # the document prints it in the other script
        out += [Query(q.text, q.canonical, n), Query(other, canonical, n)]
    return out


@dataclass
class Outcome:
    query: Query
    truth: set[str]
    found: list[str]  # verified results, in order
    raw: list[str]  # every page the index returned, before the check against the query
    cold_ms: float = 0.0
    warm_ms: float = 0.0
    query_bytes: int = 0
    index_bytes: int = 0  # of which index files (they grow with the site; fragments do not)
    first_ok: bool | None = None
    extra: dict = field(default_factory=dict)

    @property
    def recall(self) -> float:
        return len(self.truth & set(self.found)) / len(self.truth) if self.truth else 1.0

    @property
    def precision(self) -> float:
        return len(self.truth & set(self.found)) / len(self.found) if self.found else 1.0

    @property
    def raw_precision(self) -> float:
        return len(self.truth & set(self.raw)) / len(self.raw) if self.raw else 1.0


class _Server:
    def __init__(self, root: str, prefix: str = "/"):
        prefix = "/" + prefix.strip("/") + "/" if prefix.strip("/") else "/"

        class Handler(http.server.SimpleHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def translate_path(self, path):
                path = path.split("?", 1)[0]
                if not path.startswith(prefix):
                    return os.path.join(root, "__missing__")
                return super().translate_path("/" + path[len(prefix):])

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Handler, directory=root))
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}{prefix}"

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()


def find_chromium() -> str | None:
    """A Chromium to drive: $CHROMIUM, else the system's (Debian's chromium or another on PATH);
    None leaves the choice to Playwright (its own download, `playwright install chromium`)."""
    named = os.environ.get("CHROMIUM")
    if named:
        return named
    for name in ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable"):
        found = shutil.which(name)
        if found:
            return found
    return None


def evaluate(site: str, queries_file: str, *, prefix: str = "/", timing: bool = True, browser=None,
             chromium: str | None = None, other: bool = False) -> list[Outcome]:
    docs = read_docs(site)
    queries = read_queries(queries_file, docs)
    if other:
        queries = with_other_script(queries, docs)
    doc_urls = {d.url for d in docs}
    server = _Server(site, prefix)
    base = server.url
    outcomes: list[Outcome] = []
    own = None
    try:
        if browser is None:
            from playwright.sync_api import sync_playwright

            own = sync_playwright().start()
            browser = own.chromium.launch(executable_path=chromium, args=["--no-sandbox", "--disable-gpu"])
        context = browser.new_context(locale="zh-CN")
        page = context.new_page()
        page.goto(base + "search/")
        page.wait_for_selector('.gz-search[data-ready="true"]', timeout=30000)
        for q in queries:
            target = q.canonical or q.text
            parts = simplified(target).split()
            truth = {d.url for d in docs if all(p in d.text for p in parts)}
            res = page.evaluate("q => window.gazetteSearch.all(q)", q.text)
            strip = len(prefix.rstrip("/")) + 1 if prefix.strip("/") else 1
            # Other pages (a guide, a column's introduction) may be found too; the ground truth
            # covers documents only, so only documents are scored.
            found = [u for u in (v[strip:] if v.startswith(prefix) else v for v in res["hits"]) if u in doc_urls]
            raw = [u for u in (v[strip:] if v.startswith(prefix) else v for v in res["raw"]) if u in doc_urls]
            o = Outcome(q, truth, found, raw)
            if q.canonical:
                own_doc = {d.url for d in docs if d.docno == q.canonical}
                o.first_ok = bool(found) and found[0] in own_doc if own_doc else None
            if timing:
                _time(browser, base, o)
            outcomes.append(o)
        context.close()
    finally:
        if own is not None:
            browser.close()
            own.stop()
        server.close()
    return outcomes


def _time(browser, base: str, o: Outcome) -> None:
    """Cold: a fresh browser profile with the manifest loaded; warm: the same query once more."""
    context = browser.new_context(locale="zh-CN")
    page = context.new_page()
    page.goto(base + "search/")
    page.wait_for_selector('.gz-search[data-ready="true"]', timeout=60000)
    sizes: list[tuple[str, int]] = []

    def on_response(resp):
        try:
            sizes.append((resp.url, len(resp.body())))
        except Exception:
            pass

    page.on("response", on_response)
    for attr in ("cold_ms", "warm_ms"):
        page.evaluate("document.querySelector('.gz-search').setAttribute('data-state', 'idle')")
        page.fill("#gz-search-q", o.query.text)
        page.press("#gz-search-q", "Enter")
        page.wait_for_selector('.gz-search[data-state="done"]', timeout=60000)
        setattr(o, attr, float(page.get_attribute(".gz-search", "data-ms") or 0))
    page.remove_listener("response", on_response)
    paths = [(url.split("?")[0], n) for url, n in sizes]
    o.query_bytes = sum(n for path, n in paths if _INDEX_PATH in path and not _ONCE.search(path))
    o.index_bytes = sum(n for path, n in paths if _WORDS.search(path))
    context.close()


def summary(outcomes: list[Outcome]) -> dict:
    truth = sum(len(o.truth) for o in outcomes)
    hit = sum(len(o.truth & set(o.found)) for o in outcomes)
    found = sum(len(o.found) for o in outcomes)
    raw = sum(len(o.raw) for o in outcomes)
    raw_hit = sum(len(o.truth & set(o.raw)) for o in outcomes)
    timed = [o for o in outcomes if o.cold_ms]
    firsts = [o.first_ok for o in outcomes if o.first_ok is not None]
    pairs: dict[int, list[set[str]]] = {}
    for o in outcomes:
        if o.query.pair is not None:
            pairs.setdefault(o.query.pair, []).append(set(o.found))
    return {
        "same_both_scripts": f"{sum(1 for p in pairs.values() if len(p) == 2 and p[0] == p[1])}/{len(pairs)}",
        "queries": len(outcomes),
        "recall": hit / truth if truth else 1.0,
        "precision": hit / found if found else 1.0,
        "raw_precision": raw_hit / raw if raw else 1.0,
        "docno_first": f"{sum(firsts)}/{len(firsts)}",
        "cold_ms_max": max((o.cold_ms for o in timed), default=0),
        "warm_ms_max": max((o.warm_ms for o in timed), default=0),
        "query_kb_max": round(max((o.query_bytes for o in timed), default=0) / 1024, 1),
        "index_kb_max": round(max((o.index_bytes for o in timed), default=0) / 1024, 1),
    }


def _site_from_config() -> str:
    from mkdocs.utils.yaml import yaml_load

    if os.path.isfile("mkdocs.yml"):
        with open("mkdocs.yml", "rb") as fh:
            return (yaml_load(fh) or {}).get("site_dir", "site")
    return "site"


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python tools/search_eval.py",
                                description="在无界面浏览器中评测站内搜索的召回率、准确率和速度（开发工具）")
    p.add_argument("--queries", help="查询文件（每行一个；默认为示例站点的查询集 tools/search-queries-sample.txt）")
    p.add_argument("--site", help="已构建的站点目录（默认取 mkdocs.yml 的 site_dir）")
    p.add_argument("--prefix", default="/", help="在此子路径下提供站点，例如 /gk/")
    p.add_argument("--no-timing", action="store_true", help="只评测召回率和准确率")
    p.add_argument("--other-script", action="store_true",
                   help="每个查询再转换成另一种字体（简→繁或繁→简，用 OpenCC）查一次，两次应找到相同的页面")
    p.add_argument("--format", choices=["text", "json"], default="text")
    p.add_argument("--min-recall", type=float, default=0.99)
    p.add_argument("--min-precision", type=float, default=0.90)
    p.add_argument("--chromium", help="Chromium 可执行文件（默认取环境变量 CHROMIUM，或 PATH 中的 chromium；"
                                      "都没有时用 Playwright 自带的浏览器）")
    args = p.parse_args(argv)
    try:
        import playwright  # noqa: F401
    except ImportError:
        print("search_eval 需要 Playwright：pip install -e '.[dev]'", file=sys.stderr)
        return 2
    site = args.site or _site_from_config()
    if not os.path.isfile(os.path.join(site, search_words.INDEX_DIR, search_words.MANIFEST)):
        print(f"{site}/ 中没有搜索索引：请先运行 mkdocs build。", file=sys.stderr)
        return 2
    queries = args.queries or SAMPLE_QUERIES
    if not os.path.isfile(queries):
        print(f"找不到查询文件 {queries}", file=sys.stderr)
        return 2
    chromium = args.chromium or find_chromium()
    if chromium and not os.path.exists(chromium):
        print(f"找不到 Chromium（{chromium}）。", file=sys.stderr)
        return 2
    start = time.perf_counter()
    try:
        import opencc  # noqa: F401
    except ImportError:
        print("search_eval 需要 opencc（简繁对照）：pip install -e '.[dev]'", file=sys.stderr)
        return 2
    outcomes = evaluate(site, queries, prefix=args.prefix, timing=not args.no_timing, chromium=chromium,
                        other=args.other_script)
    total = summary(outcomes)
    if args.format == "json":
        print(json.dumps({"summary": total, "queries": [
            {"query": o.query.text, "truth": len(o.truth), "found": len(o.found), "raw": len(o.raw),
             "recall": round(o.recall, 4), "precision": round(o.precision, 4), "raw_precision": round(o.raw_precision, 4),
             "first_ok": o.first_ok, "cold_ms": o.cold_ms, "warm_ms": o.warm_ms, "query_bytes": o.query_bytes,
             "index_bytes": o.index_bytes}
            for o in outcomes]}, ensure_ascii=False, indent=1))
    else:
        print(f"{'查询':<22}{'应找到':>6}{'找到':>6}{'召回率':>8}{'准确率':>8}{'未核对准确率':>10}"
              f"{'冷(ms)':>8}{'热(ms)':>8}{'KB':>7}{'索引KB':>8}  文号首位")
        for o in outcomes:
            first = "" if o.first_ok is None else ("是" if o.first_ok else "否")
            print(f"{o.query.text:<22}{len(o.truth):>6}{len(o.found):>6}{o.recall:>9.1%}{o.precision:>9.1%}"
                  f"{o.raw_precision:>11.1%}{o.cold_ms:>9.0f}{o.warm_ms:>9.0f}{o.query_bytes / 1024:>8.1f}"
                  f"{o.index_bytes / 1024:>9.1f}  {first}")
        print(f"合计 {total['queries']} 个查询：召回率 {total['recall']:.2%}，准确率 {total['precision']:.2%}"
              f"（核对前 {total['raw_precision']:.2%}），文号排第一 {total['docno_first']}"
              + (f"，简繁两种写法找到相同页面 {total['same_both_scripts']}" if args.other_script else "") + "；"
              f"最慢冷查询 {total['cold_ms_max']:.0f} ms，最慢热查询 {total['warm_ms_max']:.0f} ms，"
              f"单次查询最多下载 {total['query_kb_max']} KB（其中索引 {total['index_kb_max']} KB；不含一次性加载的搜索程序）。用时 {time.perf_counter() - start:.0f} 秒。")
    ok = total["recall"] >= args.min_recall and total["precision"] >= args.min_precision
    if not ok:
        print(f"未达到目标：召回率至少 {args.min_recall:.0%}，准确率至少 {args.min_precision:.0%}。", file=sys.stderr)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
