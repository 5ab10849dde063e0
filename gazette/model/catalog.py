"""The catalog: issues, items and indexes built once from the validated records.

Everything a page shows about other pages (tables of contents, previous and
next, counts, index entries, links between documents) is computed here once,
so rendering a page never scans the whole site.
"""

from __future__ import annotations

import heapq
from urllib.parse import quote
from dataclasses import dataclass, field
from typing import Callable

from gazette.content.columns import Column
from gazette.content.records import IssueRecord, ItemRecord, Records
from gazette.content.slugs import index_keys


def url_for(src: str, use_directory_urls: bool = True) -> str:
    """Site-relative URL of a docs-relative Markdown path, as MkDocs computes it."""
    stem = src[:-3]
    if not use_directory_urls:
        return stem + ".html"
    if stem == "index":
        return ""
    if stem.endswith("/index"):
        return stem[: -len("index")]
    return stem + "/"


def cn_date(value) -> str:
    """2013-12-10 → 2013年12月10日, the way official documents print dates."""
    if not value:
        return ""
    return f"{value.year}年{value.month}月{value.day}日"


@dataclass(eq=False)
class Item:
    record: ItemRecord
    url: str
    issue: "Issue | None" = None
    column: "ColumnNode | None" = None  # disclosure items
    group: "TocGroup | None" = None  # gazette items: the TOC group inside the issue
    prev: "Item | None" = None
    next: "Item | None" = None
    interprets: "Item | None" = None
    interpretations: list["Item"] = field(default_factory=list)
    supersedes: "Item | None" = None
    superseded_by: list["Item"] = field(default_factory=list)
    amends: list["Item"] = field(default_factory=list)  # the documents this one amends (修订/修正)
    amended_by: list["Item"] = field(default_factory=list)
    consultation_result: "Item | None" = None  # 意见征集: the item publishing its result
    result_of: list["Item"] = field(default_factory=list)  # the consultations whose result this item is
    attachments: list[tuple[str, str, str]] = field(default_factory=list)  # (title, url, 「PDF，1.2 MB」)

    def __getattr__(self, name):  # record fields read straight through: item.title, item.issuer …
        return getattr(self.record, name)

    @property
    def doc_number_text(self) -> str | None:
        return self.record.doc_number.text if self.record.doc_number else None

    @property
    def sort_newest(self) -> tuple:
        return (-self.record.published.toordinal(), self.record.id)


@dataclass(eq=False)
class TocGroup:
    name: str
    anchor: str
    items: list[Item] = field(default_factory=list)


@dataclass(eq=False)
class Issue:
    record: IssueRecord
    title: str
    url: str
    year: "Year | None" = None
    groups: list[TocGroup] = field(default_factory=list)
    items: list[Item] = field(default_factory=list)
    prev: "Issue | None" = None
    next: "Issue | None" = None
    pdf_url: str | None = None
    pdf_note: str = ""  # 「PDF，1.2 MB」

    def __getattr__(self, name):
        return getattr(self.record, name)

    @property
    def label(self) -> str:
        return f"第{self.record.number}期"


@dataclass(eq=False)
class Year:
    year: int
    url: str
    issues: list[Issue] = field(default_factory=list)

    @property
    def item_count(self) -> int:
        return sum(len(i.items) for i in self.issues)

    @property
    def label(self) -> str:
        return f"{self.year}年"


@dataclass(eq=False)
class IndexEntry:
    """One value of an index (an issuer, a genre, …) and its items, paginated."""

    name: str
    key: str
    items: list[Item]


@dataclass(eq=False)
class Index:
    key: str  # issuer, genre, subject, number
    title: str  # 按发布机构 …
    label: str  # 发布机构
    entries: list[IndexEntry]


@dataclass(eq=False)
class ColumnNode:
    column: Column
    url: str
    parent: "ColumnNode | None" = None
    children: list["ColumnNode"] = field(default_factory=list)
    items: list[Item] = field(default_factory=list)  # directly in this column
    all_items: list[Item] = field(default_factory=list)  # this column and its sub-columns, newest first

    @property
    def name(self) -> str:
        return self.column.name

    @property
    def ancestors(self) -> list["ColumnNode"]:
        out, node = [], self.parent
        while node:
            out.insert(0, node)
            node = node.parent
        return out


@dataclass
class Catalog:
    gazette_name: str
    gazette_url: str
    disclosure_url: str
    browse_url: str
    years: list[Year]  # newest first
    issues: list[Issue]  # oldest first
    items: list[Item]
    by_src: dict[str, Item | Issue]
    by_id: dict[str, Item]
    indexes: list[Index]
    columns: list[ColumnNode]
    column_by_path: dict[str, ColumnNode]

    @property
    def latest_issue(self) -> Issue | None:
        return self.issues[-1] if self.issues else None

    def latest_items(self, n: int = 10) -> list[Item]:
        """The n newest documents of the whole site (gazette and disclosure), for the home page."""
        return heapq.nsmallest(n, self.items, key=Item.sort_newest.fget)

    @property
    def gazette_items(self) -> int:
        return sum(len(i.items) for i in self.issues)

    @property
    def example_doc_number(self) -> str | None:
        """The newest 文号 of this site, for the search page's hint (read once, on that page)."""
        numbered = (i for i in self.items if i.record.doc_number)
        newest = max(numbered, key=lambda i: (i.record.published, i.record.id), default=None)
        return newest.doc_number_text if newest else None


def _item_order(item: Item) -> tuple:
    r = item.record
    doc = r.doc_number.sort_key if r.doc_number else ("\uffff", 0, 0)
    return (r.published, doc, r.slug)


def build(records: Records, *, gazette_name: str, gazette_dir: str, disclosure_dir: str, browse_dir: str,
          columns: list[Column], url: Callable[[str], str] = url_for,
          keys: Callable[[list[str]], list[str]] = index_keys) -> Catalog:
    """`keys`: the index keys of names (slugs.index_keys, or a PinyinKeys' keys)."""
    items = [Item(r, url(r.src)) for r in records.items]
    by_id = {i.record.id: i for i in items}
    for item in items:
        item.attachments = [(a.title, url_file(a.src), file_note(a.src, a.size)) for a in item.record.attachments]

    # Gazette: issues, their TOC groups, and previous/next.
    issues = sorted((Issue(r, "", url(r.src)) for r in records.issues), key=lambda i: (i.record.year, i.record.number))
    issue_at = {(i.record.year, i.record.number): i for i in issues}
    for item in items:
        r = item.record
        if r.kind == "gazette":
            issue = issue_at.get((r.year, r.number))
            if issue is not None:
                item.issue = issue
                issue.items.append(item)
    years_by_number: dict[int, Year] = {}
    for prev, issue in zip([None, *issues], issues):
        r = issue.record
        issue.title = r.title or issue_title(gazette_name, r.year, r.number, r.serial)
        if r.pdf:
            issue.pdf_url = url_file(r.pdf)
            issue.pdf_note = file_note(r.pdf, r.pdf_size)
        issue.prev = prev
        if prev is not None:
            prev.next = issue
        year = years_by_number.get(r.year)
        if year is None:
            year = years_by_number[r.year] = Year(r.year, f"{gazette_dir}/{r.year}/")
        year.issues.append(issue)
        issue.year = year
        _group(issue)
    years = [years_by_number[y] for y in sorted(years_by_number, reverse=True)]

    # Disclosure: the column tree with its items.
    column_by_path: dict[str, ColumnNode] = {}

    def grow(col: Column, parent: ColumnNode | None) -> ColumnNode:
        node = ColumnNode(col, f"{disclosure_dir}/{col.path}/", parent)
        column_by_path[col.path] = node
        node.children = [grow(c, node) for c in col.children]
        return node

    tops = [grow(c, None) for c in columns]
    for item in items:
        if item.record.kind == "disclosure":
            node = column_by_path.get(item.record.column_path)
            if node is not None:
                item.column = node
                node.items.append(item)
        elif item.record.disclosure_column:
            # Listed in the column too, with its one address in the gazette (the standard text).
            node = column_by_path.get(item.record.disclosure_column)
            if node is not None:
                node.items.append(item)
    for node in column_by_path.values():
        node.items.sort(key=Item.sort_newest.fget)

    def collect(node: ColumnNode) -> list[Item]:
        gathered = list(node.items)
        for child in node.children:
            gathered.extend(collect(child))
        node.all_items = sorted(gathered, key=Item.sort_newest.fget)
        return gathered

    for top in tops:
        collect(top)

    # Links between documents.
    for item in items:
        r = item.record
        if r.interprets and r.interprets in by_id:
            target = by_id[r.interprets]
            item.interprets = target
            target.interpretations.append(item)
        if r.supersedes and r.supersedes in by_id:
            target = by_id[r.supersedes]
            item.supersedes = target
            target.superseded_by.append(item)
        for target in (by_id[t] for t in r.amends if t in by_id and t != r.id):
            item.amends.append(target)
            target.amended_by.append(item)
        result = (r.consultation or {}).get("result")
        if result and result in by_id and result != r.id:
            item.consultation_result = by_id[result]
            by_id[result].result_of.append(item)

    for item in items:
        item.amended_by.sort(key=lambda i: (i.record.published, i.record.id))  # the banner names them in order

    by_src: dict[str, Item | Issue] = {i.record.src: i for i in items}
    by_src.update({i.record.src: i for i in issues})
    return Catalog(
        gazette_name=gazette_name, gazette_url=f"{gazette_dir}/", disclosure_url=f"{disclosure_dir}/",
        browse_url=f"{browse_dir}/", years=years, issues=issues, items=items, by_src=by_src, by_id=by_id,
        indexes=_indexes(items, keys), columns=tops, column_by_path=column_by_path,
    )


def url_file(src: str) -> str:
    """A non-Markdown file's URL: its path, percent-encoded as MkDocs encodes `File.url`.

    Encoded, a file named `javascript:alert(1).pdf` or `a#b?.pdf` is a path and nothing else
    in an href: no scheme, no fragment, no query.
    """
    return quote(src)


FILE_TYPES = {"pdf": "PDF", "doc": "Word", "docx": "Word", "wps": "WPS", "xls": "Excel", "xlsx": "Excel",
              "et": "WPS表格", "ofd": "OFD", "zip": "ZIP压缩包", "rar": "RAR压缩包", "jpg": "图片", "jpeg": "图片",
              "png": "图片", "txt": "文本", "csv": "CSV表格", "yml": "YAML", "yaml": "YAML"}


def file_size(size: int) -> str:
    """1234567 → 1.2 MB, as download links on government sites state it (a reader on mobile data decides by it)."""
    if size >= 1024 * 1024:
        return f"{size / 1024 / 1024:.1f} MB"
    return f"{max(1, round(size / 1024))} KB"


def file_note(src: str, size: int) -> str:
    """What a download link says of its file: 「PDF，1.2 MB」 (the type from the name, the size from the file)."""
    ext = src.rsplit(".", 1)[-1].lower() if "." in src.rsplit("/", 1)[-1] else ""
    kind = FILE_TYPES.get(ext, ext.upper() or "文件")
    return f"{kind}，{file_size(size)}" if size else kind


def issue_title(gazette_name: str, year: int, number: int, serial: int | None) -> str:
    title = f"{gazette_name} {year}年第{number}期"
    if serial:
        title += f"（总第{serial}期）"
    return title


def _group(issue: Issue) -> None:
    """The issue's table of contents: its TOC groups in the order `columns:` gives, then the rest in first-seen order."""
    issue.items.sort(key=_item_order)
    order = list(dict.fromkeys(issue.record.toc_order))
    for item in issue.items:
        if item.record.toc_group not in order:
            order.append(item.record.toc_group)
    groups = {name: TocGroup(name, f"col-{n}") for n, name in enumerate(order, 1)}
    for item in issue.items:
        groups[item.record.toc_group].items.append(item)
        item.group = groups[item.record.toc_group]
    issue.groups = [g for g in groups.values() if g.items]
    ordered = [i for g in issue.groups for i in g.items]
    issue.items = ordered
    for prev, item in zip(ordered, ordered[1:]):
        prev.next, item.prev = item, prev


def _keyed(names: list[str], base: dict[str, str]) -> dict[str, str]:
    """Stable ASCII keys for index values (`base`: each name's key); collisions get -2, -3 in name order."""
    keys, taken = {}, {}
    for name in sorted(names):
        n = taken.get(base[name], 0) + 1
        taken[base[name]] = n
        keys[name] = base[name] if n == 1 else f"{base[name]}-{n}"
    return keys


def _indexes(items: list[Item], keys: Callable[[list[str]], list[str]]) -> list[Index]:
    kinds = (("issuer", "按发布机构", "发布机构", "issuer"), ("genre", "按文种", "文种", "genre"),
             ("subject", "按主题分类", "主题分类", "subject"))
    by_kind: list[dict[str, list[Item]]] = []
    for *_, attr in kinds:
        groups: dict[str, list[Item]] = {}
        for item in items:
            value = getattr(item.record, attr)
            if value:
                groups.setdefault(value, []).append(item)
        by_kind.append(groups)
    # 文号: one entry per 机关代字.
    agencies: dict[str, list[Item]] = {}
    for item in items:
        if item.record.doc_number:
            agencies.setdefault(item.record.doc_number.agency, []).append(item)
    names = sorted({name for groups in (*by_kind, agencies) for name in groups})
    base = dict(zip(names, keys(names)))  # every name's key at once
    out = []
    for (key, title, label, _attr), groups in zip(kinds, by_kind):
        keyed = _keyed(list(groups), base)
        entries = [IndexEntry(name, keyed[name], sorted(its, key=Item.sort_newest.fget)) for name, its in groups.items()]
        entries.sort(key=lambda e: (-len(e.items), e.key))
        out.append(Index(key, title, label, entries))
    keyed = _keyed(list(agencies), base)
    entries = [IndexEntry(name, keyed[name], sorted(its, key=lambda i: i.record.doc_number.sort_key))
               for name, its in agencies.items()]
    entries.sort(key=lambda e: e.key)
    out.append(Index("number", "按文号", "机关代字", entries))
    return out
