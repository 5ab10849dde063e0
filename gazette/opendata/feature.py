"""The plugin's open-data feature: a JSON file beside every document's page, the catalog's lists,
the schemas, and the 开放数据 page describing them.

A document's JSON is written while its page is rendered (in a render worker too), from the
same checked HTML the search index reads; the lists, the entry point and the schemas are
written once at the end of the build into the (staged) site folder.
"""

from __future__ import annotations

import json
import logging
import os
import time

from mkdocs.exceptions import PluginError

from gazette.model.addresses import site_root
from gazette.model.catalog import Item, url_for
from gazette.model.views import View
from gazette.opendata import documents, lists
from gazette.qr.codes import PREFIX as QR_PREFIX
from gazette.qr.codes import entry_key
from gazette.search.index import text_of

log = logging.getLogger("mkdocs.plugins.gazette")

SCHEMA_DIR = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "data", "schema")
PAGE_TITLE = "开放数据"
EXAMPLE_ENTRIES = 2  # entries of each list the 开放数据 page shows in its examples
SCHEMAS = (  # (name, what it describes), as the 开放数据 page lists them
    ("document", "每篇文件的 JSON"),
    ("list", "分页列表"),
    ("catalog", "总目录（入口文件）"),
    ("item-front-matter", "编辑写的文件头部（一篇）"),
    ("issue-front-matter", "编辑写的文件头部（一期）"),
)


def configure(options, config, qr) -> "OpenData | None":
    """Called from the plugin's on_config; None when `open_data: false`."""
    if not options.open_data:
        return None
    site_url = site_root(config.site_url) if config.site_url else None
    data_dir = options.open_data_dir.strip("/")
    feature = OpenData(data_dir, max(1, options.open_data_page_size), site_url, config.site_name, qr)
    feature.page_url = url_for(f"{data_dir}/index.md", config.use_directory_urls)  # the home page links it
    return feature


class OpenData:
    """Also a views.Contributor: it adds the 开放数据 page to the planned pages."""

    def __init__(self, data_dir: str, size: int, site_url: str | None, site_name: str, qr):
        self.data_dir, self.size, self.qr = data_dir, size, qr
        self.site_url, self.site_name = site_url, site_name
        self.catalog = None
        self.page_url = ""  # the 开放数据 page, site-relative
        self.start_worker()

    def start_worker(self) -> None:
        """Fresh counts: here, and in a render worker for its share of the pages."""
        self.seconds = 0.0
        self.count = 0

    # -- the 开放数据 page (views.Contributor) --------------------------------------

    def views(self, catalog, planner):
        self.catalog = catalog
        yield View(f"{self.data_dir}/index.md", PAGE_TITLE, "gazette/open-data.html",
                   {"open_data": self}, [planner.home, (PAGE_TITLE, "")],
                   "本站公报和政务公开文件的机器可读数据（JSON）及其数据结构说明")

    def column_context(self, node, pager) -> dict:
        return {}

    def item_context(self, item) -> dict:
        return {}

    def examples(self) -> dict:
        """What the page shows: parts of the real files as indented JSON (the template escapes them).
        Asked when the page is rendered, after the short addresses are assigned."""
        catalog = self.catalog
        all_groups = lists.groups(catalog)
        example = {
            "entry": f"{self.data_dir}/index.json",
            "catalog": lists.entry_point(catalog, all_groups, data_dir=self.data_dir, size=self.size,
                                         site_url=self.site_url, site_name=self.site_name,
                                         shown=EXAMPLE_ENTRIES),
            "schemas": [(name, what, f"{self.data_dir}/schema/{name}.schema.json") for name, what in SCHEMAS],
            "page_size": self.size,
            "site_url": self.site_url,
            "shown": EXAMPLE_ENTRIES,
        }
        first_year = all_groups["year"][0] if all_groups["year"] else None
        if first_year is not None:
            path, page = next(lists.list_pages(self.data_dir, "year", first_year, self.size, self.site_url))
            example["list_path"] = path
            example["list"] = {**page, "items": page["items"][:EXAMPLE_ENTRIES]}
            item = first_year.items[0]
            example["document_path"] = documents.json_path(item.url)
            example["document"] = self.document(item, "……")
        return {key: _indented(value) if isinstance(value, dict) else value for key, value in example.items()}

    # -- each document ------------------------------------------------------------

    def document(self, item: Item, text: str) -> dict:
        short = None
        if self.qr is not None and entry_key(item) in self.qr.codes:
            short = f"{self.qr.base}{QR_PREFIX}/{self.qr.codes[entry_key(item)]}/"
        return documents.document(item, text, self.catalog, self.data_dir, self.site_url, short)

    def page_content(self, html: str, page, site_dir: str) -> None:
        """A document's JSON beside its page, from the page's checked body."""
        item = self.catalog.by_src.get(page.file.src_uri) if self.catalog is not None else None
        if not isinstance(item, Item):
            return
        start = time.perf_counter()
        _write(site_dir, documents.json_path(item.url), documents.dumps(self.document(item, text_of(html))))
        self.count += 1
        self.seconds += time.perf_counter() - start

    def finish_worker(self) -> dict:
        return {"seconds": self.seconds, "count": self.count}

    def merge(self, result: dict) -> None:
        self.seconds += result["seconds"]
        self.count += result["count"]

    # -- at the end of the build ----------------------------------------------------

    def abandon(self) -> None:
        """A failed build: the per-document files went with the staged folder; nothing is held."""
        self.parts = []

    def finish(self, site_dir: str) -> None:
        """The lists, the entry point and the schemas, into the (staged) site folder."""
        if self.catalog is None:
            return
        start = time.perf_counter()
        written = 0
        for path, data in lists.catalog_files(self.catalog, data_dir=self.data_dir, size=self.size,
                                              site_url=self.site_url, site_name=self.site_name):
            _write(site_dir, path, data)
            written += 1
        for name, _what in SCHEMAS:
            with open(os.path.join(SCHEMA_DIR, f"{name}.schema.json"), "rb") as fh:
                _write(site_dir, f"{self.data_dir}/schema/{name}.schema.json", fh.read())
        log.debug("gazette-timing " + json.dumps({
            "feature": "open-data", "seconds": round(self.seconds + time.perf_counter() - start, 3),
            "documents": self.count, "lists": written}))


def _indented(data: dict) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2)


def _write(site_dir: str, path: str, data: bytes) -> None:
    target = os.path.join(site_dir, *path.split("/"))
    try:
        os.makedirs(os.path.dirname(target), exist_ok=True)
        with open(target, "wb") as fh:
            fh.write(data)
    except OSError as exc:  # the site folder cannot be written: a build error, not a traceback
        raise PluginError(f"无法写入开放数据文件 {path}：{exc.strerror or exc}") from None
