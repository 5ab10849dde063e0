"""What search engines and browsers read besides the pages: robots.txt, the sitemap's dates
and an OpenSearch description (a browser searches the site from its address bar with it)."""

from __future__ import annotations

import datetime as dt
import html
import logging
import os

from mkdocs.exceptions import PluginError

from gazette.model.addresses import address, site_root
from gazette.model.catalog import Catalog
from gazette.search.index import SEARCH_SRC

log = logging.getLogger("mkdocs.plugins.gazette")

ROBOTS, OPENSEARCH = "robots.txt", "opensearch.xml"
SHORT_NAME_CHARS = 16  # OpenSearch's limit on ShortName, the name a browser shows for the search


def lastmod(catalog: Catalog, views: dict) -> dict[str, str]:
    """src → the date a page's content last changed, as the content tells it: an item's publication
    date, an issue's date, a list's newest entry. Pages without a date of their own are left out
    (the sitemap gives them MkDocs' build date, the newest content's: files.fix_build_date)."""
    dates = {src: entry.record.published for src, entry in catalog.by_src.items()}
    newest = max((i.record.published for i in catalog.latest_items(1)), default=None)
    if newest is not None:
        dates["index.md"] = newest  # the home page shows the newest documents
    for src, view in views.items():
        if src not in dates:
            date = _newest(view.context, newest)
            if date is not None:
                dates[src] = date
    return {src: date.isoformat() for src, date in dates.items()}


def _newest(context: dict, site_newest: dt.date | None) -> dt.date | None:
    """The newest date a list page shows, from what the view hands its template."""
    if "items" in context:  # a page of a list of documents
        dates = (i.record.published for i in context["items"])
    elif "year" in context:
        dates = (i.record.published for i in context["year"].issues)
    elif "entries" in context:  # a page of an index's entries (issuers, genres …) with their documents
        dates = (i.record.published for e in context["entries"] for i in e.items)
    elif "catalog" in context:  # the gazette's archive of issues
        dates = (i.record.published for i in context["catalog"].issues)
    elif "columns" in context or "indexes" in context:  # the disclosure and browse home pages: everything
        return site_newest
    else:
        return None
    return max(dates, default=None)


class CrawlerFiles:
    """robots.txt and opensearch.xml of one build: planned in on_files, written at post-build.
    A robots.txt (or opensearch.xml) of the site's own in docs/ is published as it is."""

    def __init__(self, catalog: Catalog, views: dict, options, config, files):
        self.lastmod = lastmod(catalog, views)
        self.site_name, self.site_url = config.site_name, config.site_url
        self.search_url = address(SEARCH_SRC, config.use_directory_urls) if options.search else None
        self.kept = [name for name in (ROBOTS, OPENSEARCH) if files.get_file_from_path(name) is not None]

    @property
    def opensearch(self) -> str | None:
        """The description's address, for the pages' heads: none without the 搜索 page."""
        return OPENSEARCH if self.search_url is not None else None

    def write(self, site_dir: str) -> None:
        outputs = {ROBOTS: self.robots()}
        if self.search_url is not None:
            outputs[OPENSEARCH] = self.opensearch_xml()
        for name in self.kept:
            hint = "，其中可写一行 Sitemap: 指向站点地图" if name == ROBOTS else ""
            log.info(f"docs 中已有 {name}：按原样发布，没有自动生成{hint}")
        try:
            for name, text in outputs.items():
                if name not in self.kept:
                    with open(os.path.join(site_dir, name), "w", encoding="utf-8", newline="\n") as fh:
                        fh.write(text)
        except OSError as exc:
            raise PluginError(f"无法写入 {name}：{exc}") from None

    def _absolute(self, path: str) -> str:
        """With site_url, the full address; without, the path from the site's root (robots.txt is
        read only at the root of a host, and the OpenSearch file resolves against its own address)."""
        if self.site_url:
            return site_root(self.site_url) + path
        return path

    def robots(self) -> str:
        sitemap = self._absolute("sitemap.xml") if self.site_url else "/sitemap.xml"
        return f"User-agent: *\nAllow: /\n\nSitemap: {sitemap}\n"

    def opensearch_xml(self) -> str:
        short = self.site_name[:SHORT_NAME_CHARS]
        template = self._absolute(self.search_url) + "?q={searchTerms}"
        lines = [
            '<?xml version="1.0" encoding="UTF-8"?>',
            '<OpenSearchDescription xmlns="http://a9.com/-/spec/opensearch/1.1/">',
            f"  <ShortName>{html.escape(short)}</ShortName>",
            f"  <Description>在{html.escape(self.site_name)}搜索文件：标题、正文或文号</Description>",
            "  <InputEncoding>UTF-8</InputEncoding>",
            "  <Language>zh-CN</Language>",
            f'  <Url type="text/html" method="get" template="{html.escape(template)}"/>',
        ]
        if self.site_url:
            lines.append(f'  <Url type="application/opensearchdescription+xml" rel="self" '
                         f'template="{html.escape(self._absolute(OPENSEARCH))}"/>')
        return "\n".join(lines + ["</OpenSearchDescription>", ""])
