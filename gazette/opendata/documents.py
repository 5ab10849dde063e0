"""One document as JSON: its metadata from the catalog, its addresses and the plain text of its body.

Every address in these files is site-relative (`path`, `json`: relative to `site_url`, which the
file states), so a mirror or a sub-path deployment reads them the same; the document's own page
and short address are also given absolute (`url`, `short_url`) when site_url is set.
"""

from __future__ import annotations

import json

from gazette.model.catalog import Item, url_file


def json_path(page_url: str) -> str:
    """Site-relative address of a page's JSON: beside its index.html, or its .html file's twin."""
    if page_url.endswith(".html"):
        return page_url[: -len(".html")] + ".json"
    return page_url + "index.json"


def dumps(data: dict) -> bytes:
    """The bytes of an open-data file: compact (phones fetch them), keys in the order the code gives."""
    return (json.dumps(data, ensure_ascii=False, separators=(",", ":")) + "\n").encode("utf-8")


def entry(item: Item) -> dict:
    """What a list says of a document: enough to show a line of it, and where its page and JSON are."""
    r = item.record
    return {"id": r.id, "title": r.title, "doc_number": item.doc_number_text, "issuer": r.issuer,
            "published": r.published.isoformat(), "path": item.url, "json": json_path(item.url)}


def _reference(item: Item) -> dict:
    return {"id": item.record.id, "title": item.record.title, "doc_number": item.doc_number_text,
            "path": item.url, "json": json_path(item.url)}


def list_path(data_dir: str, dimension: str, key: str, page: int = 1) -> str:
    """Site-relative address of a page of a list, e.g. data/year/2025/1.json or data/column/rules/2.json."""
    return f"{data_dir}/{dimension}/{key}/{page}.json"


def issue_key(issue) -> str:
    return f"{issue.record.year}-{issue.record.number:02d}"


def _column(item: Item, catalog, data_dir: str) -> dict | None:
    """The disclosure column listing the document: its own, or the one a gazette article is also listed in."""
    node = item.column or catalog.column_by_path.get(item.record.disclosure_column or "")
    if node is None:
        return None
    key = node.column.path
    return {"key": key, "name": node.name, "path": node.url, "json": list_path(data_dir, "column", key)}


def document(item: Item, text: str, catalog, data_dir: str, site_url: str | None,
             short_url: str | None) -> dict:
    """The document's JSON (gazette/data/schema/document.schema.json)."""
    r = item.record
    doc = r.doc_number
    issue = item.issue
    return {
        "id": r.id,
        "kind": r.kind,
        "title": r.title,
        "doc_number": doc.text if doc else None,
        "doc_number_parts": {"agency": doc.agency, "year": doc.year, "number": doc.number} if doc else None,
        "index_no": r.index_no,
        "issuer": r.issuer,
        "genre": r.genre,
        "subject": r.subject,
        "validity": r.validity,
        "published": r.published.isoformat(),
        "written": r.written.isoformat() if r.written else None,
        "summary": r.summary,
        "issue": None if issue is None else {
            "year": issue.record.year, "number": issue.record.number, "serial": issue.record.serial,
            "title": issue.title, "published": issue.record.published.isoformat(), "group": r.toc_group,
            "path": issue.url, "json": list_path(data_dir, "issue", issue_key(issue))},
        "column": _column(item, catalog, data_dir),
        "relations": {
            "interprets": [_reference(item.interprets)] if item.interprets else [],
            "interpreted_by": [_reference(i) for i in item.interpretations],
            "amends": [_reference(i) for i in item.amends],
            "amended_by": [_reference(i) for i in item.amended_by],
            "supersedes": [_reference(item.supersedes)] if item.supersedes else [],
            "superseded_by": [_reference(i) for i in item.superseded_by],
        },
        "attachments": [{"title": a.title, "path": url_file(a.src), "size": a.size} for a in r.attachments],
        "site_url": site_url,
        "url": site_url + item.url if site_url else None,
        "path": item.url,
        "json": json_path(item.url),
        "short_url": short_url,
        "text": text,
    }

