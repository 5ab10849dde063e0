"""The catalog as paged JSON lists (by year, issue, issuer and disclosure column) and one entry point.

Written once, at the end of the build, from the catalog: a list page holds at most `size`
documents (a phone fetches one page, not the whole catalog), and the entry point names every
list with its count and the addresses of its pages. The bytes depend only on the content and
the options: every order is fixed here, and nothing says when the build ran.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterator

from gazette.model.catalog import Catalog, Item
from gazette.opendata.documents import dumps, entry, issue_key, list_path

# The dimensions in the order the entry point lists them: (dimension, its key in the entry point).
DIMENSIONS = (("year", "years"), ("issue", "issues"), ("issuer", "issuers"), ("column", "columns"))
SCHEMA_NAMES = ("document", "list", "catalog", "item-front-matter", "issue-front-matter")


@dataclass
class Group:
    """One list: the documents of a year, an issue, an issuer or a column."""

    key: str
    name: str
    items: list[Item]
    about: dict = field(default_factory=dict)  # what the entry point says of it besides its count and pages


def groups(catalog: Catalog) -> dict[str, list[Group]]:
    """Each dimension's lists. Every document is in exactly one list of a dimension (a disclosure
    column lists the documents filed directly in it; its sub-columns have their own lists)."""
    by_year: dict[int, list[Item]] = {}
    for item in sorted(catalog.items, key=Item.sort_newest.fget):
        by_year.setdefault(item.record.published.year, []).append(item)
    issuers = next(index for index in catalog.indexes if index.key == "issuer")
    return {
        "year": [Group(str(year), f"{year}年", items)
                 for year, items in sorted(by_year.items(), reverse=True)],
        "issue": [Group(issue_key(i), i.title, i.items,
                        {"year": i.record.year, "number": i.record.number, "serial": i.record.serial,
                         "published": i.record.published.isoformat(), "path": i.url})
                  for i in reversed(catalog.issues)],
        "issuer": [Group(e.key, e.name, e.items, {"path": f"{catalog.browse_url}issuer/{e.key}/"})
                   for e in issuers.entries],
        "column": [Group(path, node.name, node.items,
                         {"parent": node.parent.column.path if node.parent else None, "path": node.url})
                   for path, node in catalog.column_by_path.items()],
    }


def page_paths(data_dir: str, dimension: str, group: Group, size: int) -> list[str]:
    return [list_path(data_dir, dimension, group.key, n) for n in range(1, -(-len(group.items) // size) + 1)]


def list_pages(data_dir: str, dimension: str, group: Group, size: int,
               site_url: str | None) -> Iterator[tuple[str, dict]]:
    """(site-relative path, content) of each page of a list, `size` documents a page, in the list's order."""
    paths = page_paths(data_dir, dimension, group, size)
    for n, path in enumerate(paths, 1):
        chunk = group.items[(n - 1) * size:n * size]
        yield path, {"site_url": site_url, "dimension": dimension, "key": group.key, "name": group.name,
                     "page": n, "pages": len(paths), "total": len(group.items),
                     "prev": paths[n - 2] if n > 1 else None, "next": paths[n] if n < len(paths) else None,
                     "items": [entry(i) for i in chunk]}


def entry_point(catalog: Catalog, all_groups: dict[str, list[Group]], *, data_dir: str, size: int,
                site_url: str | None, site_name: str, shown: int | None = None) -> dict:
    """The entry point: the site, the schemas, and every list with its count and page addresses
    (with `shown`, only the first lists of each dimension: the example on the 开放数据 page)."""
    start = {"site_name": site_name, "site_url": site_url, "gazette_name": catalog.gazette_name,
             "documents": len(catalog.items), "page_size": size,
             "schemas": {name: f"{data_dir}/schema/{name}.schema.json" for name in SCHEMA_NAMES}}
    for dimension, plural in DIMENSIONS:
        start[plural] = [{"key": g.key, "name": g.name, "count": len(g.items), **g.about,
                          "lists": page_paths(data_dir, dimension, g, size)}
                         for g in all_groups[dimension][:shown]]
    return start


def catalog_files(catalog: Catalog, *, data_dir: str, size: int, site_url: str | None,
                  site_name: str) -> Iterator[tuple[str, bytes]]:
    """(site-relative path, bytes) of every list page, then of the entry point `<data_dir>/index.json`."""
    all_groups = groups(catalog)
    for dimension, _plural in DIMENSIONS:
        for group in all_groups[dimension]:
            for path, page in list_pages(data_dir, dimension, group, size, site_url):
                yield path, dumps(page)
    yield f"{data_dir}/index.json", dumps(entry_point(catalog, all_groups, data_dir=data_dir, size=size,
                                                      site_url=site_url, site_name=site_name))
