"""Feeds, robots.txt, the sitemap's dates and the OpenSearch description, as a feed reader,
a crawler and a browser read them (gazette/opendata/)."""

from __future__ import annotations

import posixpath
import re
import xml.etree.ElementTree as ET
from pathlib import Path

from types import SimpleNamespace

import feedparser
import yaml
from mkdocs.structure.files import Files

from conftest import ROOT, make_project, run_mkdocs
from gazette.build.config import GazetteConfig
from gazette.content.columns import read_columns
from gazette.content.records import Layout
from gazette.model import catalog as catalog_mod
from gazette.opendata.feeds import Feeds
from gazette.validation import Site, check_site

SITE_URL = "https://gk.jianglin.example.gov.cn/"
FEED_LINK = re.compile(r'<link rel="alternate" type="application/(?:atom|rss)\+xml" title="[^"]*" '
                       r'href="([^"]*)">')
SEARCH_LINK = re.compile(r'<link rel="search" type="application/opensearchdescription\+xml" title="[^"]+" '
                         r'href="([^"]*)">')


def front_matter(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8").split("---\n")[1])


def feeds_of(site: Path) -> list[Path]:
    return sorted([*site.rglob("atom.xml"), *site.rglob("rss.xml")])


def test_every_feed_parses_with_at_most_50_entries_newest_first(sample_site):
    feeds = feeds_of(sample_site)
    assert {"atom.xml", "rss.xml", "gazette/atom.xml", "disclosure/statutory/normative/atom.xml",
            "browse/issuer/jlsrmzf/rss.xml"} <= {f.relative_to(sample_site).as_posix() for f in feeds}
    for path in feeds:
        feed = feedparser.parse(path.read_bytes())
        assert not feed.bozo, (path, feed.get("bozo_exception"))
        assert feed.feed.title and feed.feed.link
        assert 0 < len(feed.entries) <= 50 or "disclosure/" in str(path), path
        dates = [e.published_parsed for e in feed.entries]
        assert dates == sorted(dates, reverse=True), path


def test_an_entry_carries_number_issuer_dates_and_summary(sample_site):
    site = feedparser.parse((sample_site / "atom.xml").read_bytes())
    numbered = [e for e in site.entries if e.get("dc_identifier")]
    assert numbered
    for entry in numbered:
        assert entry.author and entry.dc_identifier in entry.summary and "发布日期：" in entry.summary
    item = SITE_URL + "gazette/2025/06/jcg-2025-1/"
    meta = front_matter(ROOT / "docs" / "gazette" / "2025" / "06" / "jcg-2025-1.md")
    entry = next(e for e in site.entries if e.link == item)
    assert entry.id == item  # the canonical URL, stable from build to build
    assert entry.title == meta["title"]
    assert entry.dc_identifier == meta["doc_number"]
    assert entry.author == meta["issuer"]
    assert entry.published == meta["published"].isoformat() + "T00:00:00+08:00"
    written = meta["written"]
    assert f"成文日期：{written.year}年{written.month}月{written.day}日" in entry.summary
    assert meta["summary"] in entry.summary
    issues = feedparser.parse((sample_site / "gazette" / "rss.xml").read_bytes())
    newest = issues.entries[0]
    assert newest.link == SITE_URL + "gazette/2025/06/" and "共 5 篇" in newest.summary


def test_pages_name_their_own_feed_and_the_sites_and_every_link_resolves(sample_site):
    short_addresses = sample_site / "s"  # standalone redirect pages and sheets, not the theme's pages
    pages = sorted(p for p in sample_site.rglob("*.html") if short_addresses not in p.parents)
    for page in pages:
        html = page.read_text(encoding="utf-8")
        hrefs = FEED_LINK.findall(html)
        assert hrefs, page
        for href in hrefs + SEARCH_LINK.findall(html):
            base = sample_site if href.startswith("/") else page.parent
            assert (base / href.lstrip("/")).is_file(), (page, href)
    heads = {name: FEED_LINK.findall((sample_site / name).read_text(encoding="utf-8"))
             for name in ("index.html", "gazette/index.html", "disclosure/statutory/normative/index.html",
                          "browse/issuer/jlsrmzf/index.html", "gazette/2025/06/index.html")}
    assert heads["index.html"] == ["atom.xml", "rss.xml"]
    assert heads["gazette/index.html"] == ["atom.xml", "rss.xml", "../atom.xml", "../rss.xml"]
    assert heads["disclosure/statutory/normative/index.html"][0] == "atom.xml"
    assert heads["browse/issuer/jlsrmzf/index.html"][0] == "atom.xml"
    assert heads["gazette/2025/06/index.html"] == ["../../../atom.xml", "../../../rss.xml"]


def test_subscribe_page_lists_every_feed_and_the_home_page_links_to_it(sample_site):
    page = (sample_site / "subscribe" / "index.html").read_text(encoding="utf-8")
    assert "RSS 阅读器" in page and "浏览器" in page
    for path in feeds_of(sample_site):
        assert f'href="../{path.relative_to(sample_site).as_posix()}"' in page, path
    assert 'href="subscribe/">订阅' in (sample_site / "index.html").read_text(encoding="utf-8")


def test_robots_sitemap_dates_and_opensearch(sample_site):
    robots = (sample_site / "robots.txt").read_text(encoding="utf-8")
    assert f"Sitemap: {SITE_URL}sitemap.xml" in robots.splitlines()

    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    urls = {u.findtext("s:loc", namespaces=ns): u.findtext("s:lastmod", namespaces=ns)
            for u in ET.parse(sample_site / "sitemap.xml").getroot()}
    item = front_matter(ROOT / "docs" / "gazette" / "2025" / "06" / "jcg-2025-1.md")
    assert urls[SITE_URL + "gazette/2025/06/jcg-2025-1/"] == item["published"].isoformat() == "2025-06-18"
    assert urls[SITE_URL + "gazette/2025/06/"] == "2025-06-30"  # the issue's date
    normative = ROOT / "docs" / "disclosure" / "statutory" / "normative"
    newest = max(front_matter(p)["published"] for p in normative.glob("*.md") if p.name != "index.md")
    column = urls[SITE_URL + "disclosure/statutory/normative/"]
    assert column >= newest.isoformat()  # gazette items are listed there too

    root = ET.parse(sample_site / "opensearch.xml").getroot()
    o = "{http://a9.com/-/spec/opensearch/1.1/}"
    assert root.tag == o + "OpenSearchDescription" and root.findtext(o + "ShortName")
    html_url = next(u for u in root.iter(o + "Url") if u.get("type") == "text/html")
    assert html_url.get("template") == SITE_URL + "search/?q={searchTerms}"
    assert (sample_site / "search" / "index.html").is_file()


def write_feeds(docs: Path, out: Path, site_name: str, site_url: str | None, **options) -> None:
    """The feeds of a site written from its catalog in this process, as the build writes them."""
    cfg = GazetteConfig()
    cfg.load_dict(options)
    assert cfg.validate()[0] == []
    layout = Layout(cfg.gazette_dir, cfg.disclosure_dir, tuple(read_columns(cfg.columns, [])))
    site = Site(cfg, str(docs), "docs", layout, site_url, {}, ([], {}))
    records, report, _checker = check_site(site, bodies="never")
    assert not report.errors
    catalog = catalog_mod.build(records, gazette_name=cfg.gazette_name, gazette_dir=cfg.gazette_dir,
                                disclosure_dir=cfg.disclosure_dir, browse_dir=cfg.browse_dir,
                                columns=list(layout.columns))
    config = SimpleNamespace(site_name=site_name, site_url=site_url, docs_dir=str(docs),
                             use_directory_urls=True)
    Feeds(catalog, cfg, config, Files([])).write(str(out))


def test_feeds_bytes_depend_only_on_the_content(sample_site, tmp_path):
    """The sample site's feeds, written again twice from its catalog: the same bytes as the build's."""
    for n in (1, 2):
        write_feeds(ROOT / "docs", tmp_path / str(n), "江临市政府公报与政务公开", SITE_URL, gazette_name="江临政报")
    built = feeds_of(sample_site)
    again = feeds_of(tmp_path / "1")
    assert [p.relative_to(sample_site) for p in built] == [p.relative_to(tmp_path / "1") for p in again]
    for path in built:
        rel = path.relative_to(sample_site)
        first, second = (tmp_path / "1" / rel).read_bytes(), (tmp_path / "2" / rel).read_bytes()
        assert path.read_bytes() == first == second, rel


NO_SITE_URL = """\
site_name: 测试站点
theme:
  name: material
  language: zh
plugins:
  - gazette:
      gazette_name: 测试政报
      qr: false
      feeds: false
"""

FILES = {
    "robots.txt": "User-agent: *\nDisallow: /private/\n",
    "gazette/2024/01/index.md": "---\npublished: 2024-01-31\n---\n",
    "gazette/2024/01/a.md": """\
        ---
        title: 测试市人民政府关于甲的通知
        issuer: 测试市人民政府
        published: 2024-01-20
        written: 2024-01-18
        doc_number: 测政发〔2024〕1号
        column: 市政府文件
        ---

        ## 一、总则

        为做好**甲**工作，现通知如下。
        """,
    **{f"gazette/2024/01/b{n}.md": f"""\
        ---
        title: 测试市人民政府办公室关于乙{n}的通知
        issuer: 测试市人民政府办公室
        published: 2024-01-2{n}
        summary: 乙{n}的摘要。
        column: 市政府办公室文件
        ---

        正文。
        """ for n in range(1, 4)},
}


def test_without_site_url_links_are_relative_and_ids_stable(tmp_path):
    project = make_project(tmp_path, FILES)
    out = tmp_path / "feeds"
    write_feeds(project / "docs", out, "测试站点", None, gazette_name="测试政报", feed_entries=2)
    site = feedparser.parse((out / "atom.xml").read_bytes())
    assert not site.bozo
    assert [e.title for e in site.entries] == ["测试市人民政府办公室关于乙3的通知", "测试市人民政府办公室关于乙2的通知"]
    assert all(e.id.startswith("urn:uuid:") for e in site.entries)
    issuer = next(p for p in out.glob("browse/issuer/*/atom.xml") if "关于甲" in p.read_text(encoding="utf-8"))
    entry = feedparser.parse(issuer.read_bytes()).entries[0]
    assert entry.link == "../../../gazette/2024/01/a/"  # relative to the feed, as no site_url is set
    # No summary: the facts alone (an opening would read and render the body a second time).
    assert entry.summary == "文号：测政发〔2024〕1号；发布机构：测试市人民政府；成文日期：2024年1月18日；发布日期：2024年1月20日。"


def test_feeds_false_writes_none_and_a_sites_own_robots_txt_is_kept(tmp_path):
    result = run_mkdocs(make_project(tmp_path, FILES, NO_SITE_URL))
    assert result.ok, result.output
    site = result.site
    assert feeds_of(site) == []
    assert not (site / "subscribe").exists()
    home = (site / "index.html").read_text(encoding="utf-8")
    assert "application/atom+xml" not in home and "subscribe/" not in home
    assert 'template="search/?q={searchTerms}"' in (site / "opensearch.xml").read_text(encoding="utf-8")
    assert SEARCH_LINK.findall(home) == ["opensearch.xml"]
    assert (site / "robots.txt").read_text(encoding="utf-8") == FILES["robots.txt"]
    assert "docs 中已有 robots.txt" in result.output
