"""Words most pages have, kept outside Pagefind: one bitmap of pages per word.

A bigram that one page in 16 or more holds costs Pagefind more to index (about 11 µs per
page that holds it) and the browser more to rank (a query of such words scored 20,000
results in every shard: half a second on 50,000 items) than a bitmap of the site's pages
costs to store (one bit per page: 6 KB for 50,000). So these "hot" words, chosen before
the build from a sample of the items, never go to Pagefind. Each gets a file in
pagefind/gazette-hot/: the pages whose title holds it (a list) and the pages that hold it
anywhere (a bitmap). The browser answers a query made only of hot words by ANDing bitmaps,
title matches first, then newest first (pages are numbered in that order), and reads each
result's Pagefind fragment through a table of page number → shard and fragment.

Which words are hot changes the index's size and speed, never what is found: every word is
either in Pagefind for every page or in the bitmaps for every page.
"""

from __future__ import annotations

import collections
import gzip
import json
import os
import struct
from typing import Iterable

from .search_repro import SIGNATURE, _read

HOT_DIR = "gazette-hot"
HOT_SHARE = 1 / 16  # a bitmap (one bit a page) is no larger than Pagefind's list of a word this common
DOC_CHUNK = 1000  # page numbers per file of the page → fragment table
SAMPLE = 500  # items read before the build to choose the hot words


def choose_hot(samples: Iterable[set[str]], share: float = HOT_SHARE) -> frozenset[str]:
    """The bigrams found in at least `share` of the sampled pages (each page's bigram codes)."""
    df: collections.Counter = collections.Counter()
    n = 0
    for words in samples:
        n += 1
        df.update(words)
    if n == 0:
        return frozenset()
    floor = max(2, share * n)
    return frozenset(w for w, k in df.items() if k >= floor)


class HotPostings:
    """One process's share: which of its pages hold which hot word (title, anywhere)."""

    def __init__(self, words: Iterable[str], pages: int):
        self.index = {w: i for i, w in enumerate(sorted(words))}
        self.size = (pages + 7) // 8
        self.bits: dict[int, bytearray] = {}
        self.titles: dict[int, list[int]] = collections.defaultdict(list)

    def add(self, page: int, title_words: Iterable[str], body_words: Iterable[str]) -> None:
        """A page's hot words (only hot words: record_html sorts them out)."""
        at, bit = page >> 3, 1 << (page & 7)
        index, bits = self.index, self.bits
        for w in title_words:
            self.titles[index[w]].append(page)
        for words in (title_words, body_words):
            for w in words:
                i = index[w]
                b = bits.get(i)
                if b is None:
                    b = bits[i] = bytearray(self.size)
                b[at] |= bit

    def result(self) -> dict:
        return {"bits": self.bits, "titles": dict(self.titles)}


def _or(a: bytes, b: bytes) -> bytes:
    return (int.from_bytes(a, "little") | int.from_bytes(b, "little")).to_bytes(len(a), "little")


def write(root: str, words: frozenset[str], pages: int, parts: list[dict], filters: dict[tuple[str, str], list[int]],
          shards: list[str], members: dict[str, list[tuple[int, str]]]) -> dict:
    """Write pagefind/gazette-hot/ and return its manifest (for gazette-common.json).

    `filters`: (key, value) → page numbers; `shards`: the bundles in the browser's order;
    `members`: bundle name → (page number, url) of every page in it."""
    out = os.path.join(root, HOT_DIR)
    os.makedirs(out, exist_ok=True)
    order = sorted(words)
    size = (pages + 7) // 8
    empty = bytes(size)
    for i, word in enumerate(order):
        bits: bytes = empty
        titles: list[int] = []
        for part in parts:
            b = part["bits"].get(i)
            if b is not None:
                bits = bytes(b) if bits is empty else _or(bits, b)
            titles.extend(part["titles"].get(i, ()))
        titles.sort()
        with open(os.path.join(out, word + ".bin"), "wb") as fh:
            fh.write(struct.pack(f"<I{len(titles)}I", len(titles), *titles) + bits)
    manifest_filters: dict[str, dict[str, list[int]]] = {}
    for n, (name, value) in enumerate(sorted(filters)):
        b = bytearray(size)
        for page in filters[name, value]:
            b[page >> 3] |= 1 << (page & 7)
        with open(os.path.join(out, f"f{n}.bin"), "wb") as fh:
            fh.write(b)
        manifest_filters.setdefault(name, {})[value] = [n, len(filters[name, value])]
    table: list[str | None] = [None] * pages
    for s, name in enumerate(shards):
        for page, fragment in _fragments(os.path.join(root, name), members.get(name, [])):
            if 0 <= page < pages:  # a page the plan did not number (added later by another plugin) has no bits
                table[page] = f"{s}:{fragment}"
    for k in range(0, pages, DOC_CHUNK):
        with open(os.path.join(out, f"d{k // DOC_CHUNK}.json"), "w", encoding="utf-8") as fh:
            json.dump(table[k:k + DOC_CHUNK], fh, separators=(",", ":"))
    return {"pages": pages, "words": order, "docs": DOC_CHUNK, "filters": manifest_filters}


def _fragment_url(bundle: str, fragment: str) -> str | None:
    try:
        with open(os.path.join(bundle, "fragment", fragment + ".pf_fragment"), "rb") as fh:
            data = gzip.decompress(fh.read())
        return json.loads(data[len(SIGNATURE):])["url"]
    except (OSError, ValueError, KeyError, EOFError):
        return None


def _fragments(bundle: str, pages: list[tuple[int, str]]) -> list[tuple[int, str]]:
    """(page number, fragment name) of a bundle's pages.

    Pagefind lists a bundle's fragments in its metadata in the order of their pages' URLs;
    the first and last are checked against that order, and if either differs every
    fragment is read instead."""
    if not pages:
        return []
    try:
        with open(os.path.join(bundle, "pagefind-entry.json"), encoding="utf-8") as fh:
            entry = json.load(fh)
        fragments = []
        for info in entry["languages"].values():
            meta = _read(os.path.join(bundle, f"pagefind.{info['hash']}.pf_meta"))
            fragments.extend(p[0] for p in meta[1])
    except (OSError, ValueError, KeyError, TypeError, IndexError):
        return []
    by_url = sorted(pages, key=lambda p: p[1].encode("utf-8"))
    if (len(fragments) == len(by_url) and _fragment_url(bundle, fragments[0]) == by_url[0][1]
            and _fragment_url(bundle, fragments[-1]) == by_url[-1][1]):
        return [(page, f) for (page, _), f in zip(by_url, fragments)]
    number = dict((url, page) for page, url in pages)
    found = []
    for f in fragments:
        url = _fragment_url(bundle, f)
        if url in number:
            found.append((number[url], f))
    return found
