"""Generated views: the pages the catalog adds to the site (archive, years, indexes, columns).

A view is data for one page: where it lives (`src`, as if it were a file in
docs/), its title, its template and the objects the template shows. Editors'
item and issue files get views too, pointing at their catalog entries.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Iterable, Protocol, Sequence

from gazette.model import charts
from gazette.model.catalog import Catalog, ColumnNode, Item


@dataclass
class Pager:
    number: int  # 1-based
    urls: list[str]  # every page of the list, site-relative
    total: int  # entries in the whole list

    @property
    def count(self) -> int:
        return len(self.urls)

    @property
    def prev_url(self) -> str | None:
        return self.urls[self.number - 2] if self.number > 1 else None

    @property
    def next_url(self) -> str | None:
        return self.urls[self.number] if self.number < self.count else None

    def title(self, name: str) -> str:
        """The list's title on this page: the page number after the first."""
        return name if self.number == 1 else f"{name}（第{self.number}页）"


@dataclass
class View:
    src: str  # docs-relative path the page pretends to have
    title: str
    template: str
    context: dict[str, Any] = field(default_factory=dict)
    breadcrumb: list[tuple[str, str]] = field(default_factory=list)  # (label, site-relative url); last is the page
    description: str | None = None


def paginate(base: str, entries: list, size: int) -> list[tuple[str, list, Pager]]:
    """Split a list into pages: base/index.md, base/page/2/index.md, …"""
    chunks = [entries[i : i + size] for i in range(0, len(entries), size)] or [[]]
    srcs = [f"{base}/index.md" if n == 1 else f"{base}/page/{n}/index.md" for n in range(1, len(chunks) + 1)]
    urls = [f"{base}/" if n == 1 else f"{base}/page/{n}/" for n in range(1, len(chunks) + 1)]
    return [(src, chunk, Pager(n, urls, len(entries))) for n, (src, chunk) in enumerate(zip(srcs, chunks), 1)]


class Contributor(Protocol):
    """A part of the site outside the model (the disclosure rules) adding pages, and data to planned pages."""

    def views(self, catalog: Catalog, planner: "Planner") -> Iterable[View]: ...
    def column_context(self, node: ColumnNode, pager: Pager) -> dict: ...
    def item_context(self, item: Item) -> dict: ...


class Planner:
    def __init__(self, catalog: Catalog, *, gazette_dir: str, disclosure_dir: str, browse_dir: str,
                 disclosure_name: str, page_size: int = 200, contributors: Sequence[Contributor] = ()):
        self.c = catalog
        self.contributors = tuple(contributors)
        self.g, self.d, self.b = gazette_dir, disclosure_dir, browse_dir
        self.disclosure_name = disclosure_name
        self.size = max(10, page_size)
        self.home = ("首页", "")
        self.gazette_crumb = ("政府公报", f"{gazette_dir}/")

    def plan(self) -> dict[str, View]:
        contributed = (view for contributor in self.contributors for view in contributor.views(self.c, self))
        views = (*self._gazette(), *self._browse(), *self._disclosure(), *contributed)
        return {view.src: view for view in views}  # a later view of an address replaces an earlier one

    def column_crumb(self, node: ColumnNode) -> list[tuple[str, str]]:
        return [self.home, (self.disclosure_name, f"{self.d}/")] + [(n.name, n.url) for n in (*node.ancestors, node)]

    # -- gazette ------------------------------------------------------------

    def _gazette(self):
        c = self.c
        bars = [(y.label, y.item_count) for y in sorted(c.years, key=lambda y: y.year)]
        chart = charts.bar_chart(bars, title=f"{c.gazette_name}各年刊载文件数")
        yield View(f"{self.g}/index.md", f"{c.gazette_name}总目录", "gazette/archive.html",
                   {"catalog": c, "chart": chart}, [self.home, ("政府公报", "")],
                   f"{c.gazette_name}创刊以来各年、各期目录")
        for year in c.years:
            yield View(f"{self.g}/{year.year}/index.md", f"{c.gazette_name} {year.year}年", "gazette/year.html",
                       {"year": year, "catalog": c}, [self.home, self.gazette_crumb, (year.label, "")])
        for issue in c.issues:
            yield View(issue.record.src, issue.title, "gazette/issue.html", {"issue": issue},
                       [self.home, self.gazette_crumb, (issue.year.label, issue.year.url), (issue.label, "")])

    def item_view(self, item: Item) -> View:
        """Views of items are made on demand: there may be 50,000 of them."""
        r = item.record
        if item.issue is not None:
            issue = item.issue
            crumb = [self.home, self.gazette_crumb, (issue.year.label, issue.year.url), (issue.label, issue.url)]
            if item.group is not None:
                crumb.append((item.group.name, f"{issue.url}#{item.group.anchor}"))
        elif item.column is not None:
            crumb = self.column_crumb(item.column)
        else:
            crumb = [self.home, (self.disclosure_name, f"{self.d}/")]
        crumb.append((r.title, ""))
        context = {"item": item, **self._contributed("item_context", item)}
        return View(r.src, r.title, "gazette/item.html", context, crumb, r.summary)

    def _contributed(self, hook: str, *args) -> dict:
        return {k: v for contributor in self.contributors for k, v in getattr(contributor, hook)(*args).items()}

    # -- indexes ------------------------------------------------------------

    def _browse(self):
        c, b = self.c, self.b
        browse_crumb = ("分类浏览", f"{b}/")
        yield View(f"{b}/index.md", "分类浏览", "gazette/browse.html", {"indexes": c.indexes},
                   [self.home, ("分类浏览", "")], "按发布机构、文种、主题分类和文号浏览全部文件")
        for index in c.indexes:
            base = f"{b}/{index.key}"
            for src, chunk, pager in paginate(base, index.entries, self.size):
                yield View(src, f"{index.title}浏览", "gazette/index-entries.html",
                           {"index": index, "entries": chunk, "pager": pager, "base": f"{base}/"},
                           [self.home, browse_crumb, (index.title, "")])
            for entry in index.entries:
                ebase = f"{base}/{entry.key}"
                for src, chunk, pager in paginate(ebase, entry.items, self.size):
                    yield View(src, pager.title(entry.name), "gazette/list.html",
                               {"index": index, "entry": entry, "items": chunk, "pager": pager,
                                "order": "number" if index.key == "number" else "newest"},
                               [self.home, browse_crumb, (index.title, f"{base}/"), (entry.name, "")])

    # -- disclosure ---------------------------------------------------------

    def _disclosure(self):
        c, d = self.c, self.d
        yield View(f"{d}/index.md", "政府信息公开", "gazette/disclosure.html", {"columns": c.columns},
                   [self.home, (self.disclosure_name, "")], "政府信息公开专栏：指南、制度、法定主动公开内容、政策解读、意见征集、年报、依申请公开")
        for node in c.column_by_path.values():
            base = f"{d}/{node.column.path}"
            crumb = self.column_crumb(node)[:-1] + [(node.name, "")]
            for src, chunk, pager in paginate(base, node.all_items, self.size):
                context = {"column": node, "items": chunk, "pager": pager,
                           **self._contributed("column_context", node, pager)}
                yield View(src, pager.title(node.name), "gazette/column.html", context, crumb)
