"""Atom and RSS 2.0 feeds of the catalog's lists, and the 订阅 page that lists them.

A feed for each list a reader may follow, in the folder of the page showing that list: the
whole site's newest documents (beside the home page), the gazette's issues (beside its
archive), each disclosure column and each issuer (beside their list pages). They are written
once, after the pages, from the catalog (feedgen). Every date in a feed is a content date and
its entries come newest first, ties broken by ID: the same content gives the same bytes.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import posixpath
import re
import uuid
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from feedgen.feed import FeedGenerator
from mkdocs.exceptions import PluginError

from gazette.model.addresses import site_root
from gazette.model.catalog import Catalog, Issue, Item, cn_date, url_for
from gazette.model.views import View

log = logging.getLogger("mkdocs.plugins.gazette")

ATOM, RSS = "atom.xml", "rss.xml"
PAGE_SRC = "subscribe/index.md"  # the 订阅 page
GENERATOR = "gazette"  # no version: upgrading the package alone does not change a feed's bytes
_PAGED = re.compile(r"/page/\d+/index\.md$")  # the second and later pages of a list


@dataclass(eq=False)
class Feed:
    group: str  # its heading on the 订阅 page
    name: str  # what it lists, as the 订阅 page names it
    title: str  # the feed's own title, as a reader's list of subscriptions shows it
    page_src: str  # the page showing the same list: the feed lives in its folder
    entries: list  # Items or Issues, newest first
    unit: str = "篇"  # what an entry is: a document (篇) or an issue (期)
    page_url: str = ""  # site-relative

    @property
    def folder(self) -> str:
        folder = posixpath.dirname(self.page_src)
        return folder + "/" if folder else ""

    @property
    def atom(self) -> str:
        return self.folder + ATOM

    @property
    def rss(self) -> str:
        return self.folder + RSS


class Feeds:
    """The feeds of one build: planned from the catalog in on_files, named in every page's head
    (`links`), listed on the 订阅 page (a views.Contributor), written into the site at post-build."""

    def __init__(self, catalog: Catalog, options, config, files):
        self.catalog = catalog
        self.site_name, self.site_url = config.site_name, config.site_url
        self.directory_urls = config.use_directory_urls
        self.zone = ZoneInfo(options.timezone)
        self.size = max(1, options.feed_entries)
        # An empty feed is as new as the site's newest content: a date the content gives, not the clock.
        self.site_newest = max((e.record.published for e in (*catalog.latest_items(1), *catalog.issues[-1:])),
                               default=dt.date(1970, 1, 1))
        self.page_url = url_for(PAGE_SRC, self.directory_urls)  # the 订阅 page's
        self.feeds = self._plan(options)
        for feed in self.feeds:
            feed.page_url = url_for(feed.page_src, self.directory_urls)
        self.by_page = {feed.page_src: feed for feed in self.feeds}
        # An editor's own file on a feed's address is published as it is (and said so at post-build).
        self.kept = sorted(path for feed in self.feeds for path in (feed.atom, feed.rss)
                           if files.get_file_from_path(path) is not None)
        self.summaries: dict[Item, str] = {}  # an item is in several feeds: its summary is made once

    def _plan(self, options) -> list[Feed]:
        c, n, site = self.catalog, self.size, self.site_name
        feeds = [Feed("全站", "全站最新文件", f"{site}：最新文件", "index.md", c.latest_items(n)),
                 Feed("政府公报", f"《{c.gazette_name}》各期", f"{c.gazette_name}：最新各期",
                      f"{options.gazette_dir}/index.md", c.issues[-n:][::-1], "期")]
        for node in c.column_by_path.values():
            name = " · ".join(part.name for part in (*node.ancestors, node))
            feeds.append(Feed("政务公开栏目", name, f"{site}：{name}",
                              f"{options.disclosure_dir}/{node.column.path}/index.md", node.all_items[:n]))
        for index in c.indexes:
            if index.key == "issuer":
                feeds.extend(Feed("发布机构", entry.name, f"{site}：{entry.name}发布的文件",
                                  f"{options.browse_dir}/issuer/{entry.key}/index.md", entry.items[:n])
                             for entry in index.entries)
        return feeds

    # -- pages ----------------------------------------------------------------------

    def links(self, src: str) -> list[Feed]:
        """The feeds a page's head names: its own list's (on every page of the list), then the site's."""
        own, site = self.by_page.get(_PAGED.sub("/index.md", src)), self.feeds[0]
        return [own, site] if own is not None and own is not site else [site]

    def views(self, catalog, planner):
        groups: dict[str, list[Feed]] = {}
        for feed in self.feeds:
            groups.setdefault(feed.group, []).append(feed)
        yield View(PAGE_SRC, "订阅", "gazette/subscribe.html",
                   {"feed_groups": list(groups.items()), "feed_size": self.size},
                   [planner.home, ("订阅", "")], "用 RSS 阅读器或浏览器订阅本站的最新文件、各期公报、各栏目和各发布机构的更新")

    def column_context(self, node, pager) -> dict:
        return {}

    def item_context(self, item) -> dict:
        return {}

    # -- files ----------------------------------------------------------------------

    def write(self, site_dir: str) -> None:
        for path in self.kept:
            log.info(f"docs 中已有文件 {path}：按原样发布，没有在这里生成订阅源")
        try:
            for feed in self.feeds:
                self._write(feed, site_dir)
        except OSError as exc:
            raise PluginError(f"无法写入订阅源：{exc}") from None
        except ValueError as exc:  # a character XML cannot carry, in a name from mkdocs.yml the checks missed
            raise PluginError(f"订阅源中有 XML 不能容纳的字符，请检查 mkdocs.yml 中的名称（{exc}）") from None

    def _write(self, feed: Feed, site_dir: str) -> None:
        fg = FeedGenerator()
        fg.load_extension("dc")
        fg.id(self._id(feed.atom))
        fg.title(feed.title)
        fg.subtitle(f"{feed.name}，最多 {self.size} {feed.unit}，新的在前")
        fg.author(name=self.site_name)
        fg.language("zh-CN")
        fg.generator(GENERATOR)
        newest = self._time(max((entry.record.published for entry in feed.entries), default=self.site_newest))
        fg.updated(newest)
        fg.lastBuildDate(newest)
        for entry in feed.entries:
            self._entry(fg, feed, entry)
        os.makedirs(os.path.join(site_dir, feed.folder), exist_ok=True)
        # RSS has one <link>, the last one given: the self link first, then the page.
        for name, render in ((ATOM, fg.atom_str), (RSS, fg.rss_str)):
            path = feed.folder + name
            fg.link(href=self._url(path, feed), rel="self", replace=True)
            fg.link(href=self._url(feed.page_url, feed), rel="alternate")
            if path not in self.kept:
                with open(os.path.join(site_dir, path), "wb") as fh:
                    fh.write(render(pretty=True))

    def _entry(self, fg: FeedGenerator, feed: Feed, entry: Item | Issue) -> None:
        r = entry.record
        out = fg.add_entry(order="append")
        out.id(self._id(entry.url))
        out.link(href=self._url(entry.url, feed))
        out.published(self._time(r.published))
        out.updated(self._time(r.published))
        if isinstance(entry, Item):
            out.title(r.title)
            out.author(name=r.issuer)
            out.dc.dc_creator(r.issuer)
            if entry.doc_number_text:
                out.dc.dc_identifier(entry.doc_number_text)
            for term in (r.genre, r.subject):
                if term:
                    out.category(term=term)
            out.summary(self._summary(entry))
        else:
            out.title(entry.title)
            out.author(name=self.catalog.gazette_name)
            contents = "；".join(f"{group.name}：" + "、".join(i.record.title for i in group.items)
                                for group in entry.groups)
            out.summary(f"出版日期：{cn_date(r.published)}，共 {len(entry.items)} 篇。"
                        + (f"本期目录——{contents}。" if contents else ""))

    def _summary(self, item: Item) -> str:
        """What a reader's list shows of an item: 文号, issuer and dates, then its summary. (Not an opening
        made from the body: that would read and render every listed body a second time.)"""
        if item not in self.summaries:
            r = item.record
            facts = (("文号", item.doc_number_text), ("发布机构", r.issuer), ("成文日期", cn_date(r.written)),
                     ("发布日期", cn_date(r.published)))
            head = "；".join(f"{label}：{value}" for label, value in facts if value) + "。"
            self.summaries[item] = head + ("\n" + r.summary if r.summary else "")
        return self.summaries[item]

    def _time(self, date: dt.date) -> dt.datetime:
        return dt.datetime.combine(date, dt.time(), self.zone)

    def _id(self, path: str) -> str:
        """An entry's or feed's permanent ID: its canonical URL, or a UUID derived from its address."""
        if self.site_url:
            return self._absolute(path)
        return "urn:uuid:" + str(uuid.uuid5(uuid.NAMESPACE_URL, f"{self.site_name}/{path}"))

    def _url(self, path: str, feed: Feed) -> str:
        """A link in a feed: absolute with site_url, else relative to the feed's folder."""
        if self.site_url:
            return self._absolute(path)
        relative = posixpath.relpath("/" + path, "/" + feed.folder)
        return relative + "/" if path.endswith("/") or not path else relative

    def _absolute(self, path: str) -> str:
        return site_root(self.site_url) + path
