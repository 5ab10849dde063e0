"""ASCII addresses for editors' files and for index keys (issuers, genres, …)."""

from __future__ import annotations

import json
import os
import re
import struct

from gazette import forkpool
from gazette.content.docnumber import DocNumber


def _ascii(parts: list[str]) -> str:
    out = "-".join(p for p in (re.sub(r"[^a-z0-9]+", "-", p.lower()).strip("-") for p in parts) if p)
    return re.sub(r"-{2,}", "-", out).strip("-")


def suggest(stem: str, doc_number: DocNumber | None = None, limit: int = 48) -> str:
    """A valid slug for a file named `stem`: from its 文号 if it has one, else from pinyin."""
    from pypinyin import Style, lazy_pinyin  # its tables take a third of a second to load

    if doc_number is not None:
        initials = "".join(lazy_pinyin(doc_number.agency, style=Style.FIRST_LETTER, errors="ignore"))
        slug = _ascii([initials, str(doc_number.year or ""), str(doc_number.number)])
        if slug:
            return slug
    return _ascii(lazy_pinyin(stem, errors="default"))[:limit].rstrip("-") or "item"


def key_for(name: str) -> str:
    """A short stable ASCII key for an index entry, e.g. 江临市财政局 → jlsczj."""
    from pypinyin import Style, lazy_pinyin

    initials = "".join(lazy_pinyin(name, style=Style.FIRST_LETTER, errors="default"))
    return _ascii([initials])[:32] or "x"


def index_keys(names: list[str]) -> list[str]:
    return [key_for(name) for name in names]


class PinyinKeys:
    """`index_keys` from a forked child that loads pypinyin's tables while the build validates the
    files: loading them costs about 0.3 s of processor time, on the build's one-process path otherwise
    (a twentieth of a 2,000-item build). `keys` once, or `close`."""

    def __init__(self):
        self.pool: forkpool.Pool | None = None
        if not forkpool.available():
            return
        read, self.write = os.pipe()
        self.pool = forkpool.Pool("拼音")
        try:
            self.pool.start([read], lambda _part, fd: _keys_from(fd, self.write))
        finally:
            os.close(read)

    def keys(self, names: list[str]) -> list[str]:
        if self.pool is None:
            return index_keys(names)
        data = json.dumps(names).encode("utf-8")
        with os.fdopen(self.write, "wb") as fh:
            fh.write(struct.pack(">Q", len(data)) + data)
        pool, self.pool = self.pool, None
        return pool.join()[0]

    def close(self) -> None:
        if self.pool is not None:
            self.pool.kill()
            self.pool = None
            os.close(self.write)


def _keys_from(fd: int, write: int) -> list[str]:
    """In the child: load the tables, then read the names (a length, then JSON) and key them."""
    os.close(write)
    key_for("拼音")  # the tables load now, while the parent validates

    with os.fdopen(fd, "rb") as fh:
        head = fh.read(8)
        names = json.loads(fh.read(struct.unpack(">Q", head)[0])) if len(head) == 8 else []
    return index_keys(names)
