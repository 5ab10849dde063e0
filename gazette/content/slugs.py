"""ASCII addresses for editors' files and for index keys (issuers, genres, …)."""

from __future__ import annotations

import re

from pypinyin import Style, lazy_pinyin

from gazette.content.docnumber import DocNumber


def _ascii(parts: list[str]) -> str:
    out = "-".join(p for p in (re.sub(r"[^a-z0-9]+", "-", p.lower()).strip("-") for p in parts) if p)
    return re.sub(r"-{2,}", "-", out).strip("-")


def suggest(stem: str, doc_number: DocNumber | None = None, limit: int = 48) -> str:
    """A valid slug for a file named `stem`: from its 文号 if it has one, else from pinyin."""
    if doc_number is not None:
        initials = "".join(lazy_pinyin(doc_number.agency, style=Style.FIRST_LETTER, errors="ignore"))
        slug = _ascii([initials, str(doc_number.year or ""), str(doc_number.number)])
        if slug:
            return slug
    return _ascii(lazy_pinyin(stem, errors="default"))[:limit].rstrip("-") or "item"


def key_for(name: str) -> str:
    """A short stable ASCII key for an index entry, e.g. 江临市财政局 → jlsczj."""
    initials = "".join(lazy_pinyin(name, style=Style.FIRST_LETTER, errors="default"))
    return _ascii([initials])[:32] or "x"
