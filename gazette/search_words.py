"""The word index of large sites, kept outside Pagefind.

Measured on 50,000 items in ten Pagefind shards, a cold query spent half a second
in Pagefind's WebAssembly alone, reading one index chunk (20 to 40 KB) of every
shard, and fetched up to 390 KB; and Pagefind took about half the processor time
the search index added to a build. So on sites of `search_words_min_pages` pages or
more, the words are not given to Pagefind at all: Pagefind still writes each page's
fragment (what a result shows: url, title, 文号, excerpt text), and this module
writes the words, in files under pagefind/gazette-words/:

- a *hot* word (one that one page in 16 or more holds, chosen before the build from a
  sample of the items) gets a file of its own: the pages whose title
  holds it (a list) and a bitmap of every page that holds it (one bit a page: 6 KB
  for 50,000 pages), in `w<word>.bin`;
- every other word is in one of the bucket files `b<k>.bin` (gzip), chosen by a hash
  of the word: its title pages and its pages, as a list or, when that would be
  longer, as a bitmap;
- `f<n>.bin`: a bitmap of the pages of each filter value (年份, 栏目, …);
- `d<k>.json`: page number → Pagefind bundle and fragment, for showing a result.

Pages are numbered newest first, so a list of page numbers is in date order. The
browser (search.js `Words`) fetches one file per word of the query, ANDs them,
puts title matches first and reads the fragments of the results it shows. Every
Han character of a page is a word too (besides the bigrams), so a one-character
query finds exactly the pages that have it.
"""

from __future__ import annotations

import collections
import gzip
import json
import os
import struct
from array import array
from typing import Iterable

from .search_repro import SIGNATURE, _read

WORDS_DIR = "gazette-words"
HOT_SHARE = 1 / 16  # a bitmap (one bit a page) is no larger than a list of page numbers this long
DOC_CHUNK = 1000  # page numbers per file of the page → fragment table
SAMPLE = 200  # items read before the build to choose the hot words (a wrong choice costs size, never results)
BUCKET_BYTES = 48 * 1024  # uncompressed bytes of postings per bucket file (about 12 KB compressed)
MAX_WORD = 64  # longer "words" (a run of letters and digits) are not indexed


def choose_hot(samples: Iterable[set[str]], share: float = HOT_SHARE) -> frozenset[str]:
    """The words found in at least `share` of the sampled pages (each page's words)."""
    df: collections.Counter = collections.Counter()
    n = 0
    for words in samples:
        n += 1
        df.update(words)
    if n == 0:
        return frozenset()
    floor = max(2, share * n)
    return frozenset(w for w, k in df.items() if k >= floor)


def fnv1a(text: str) -> int:
    """FNV-1a (32 bit) over UTF-16 code units, as search.js `fnv1a` reads them (charCodeAt)."""
    h = 0x811C9DC5
    data = text.encode("utf-16-le", "surrogatepass")
    for i in range(0, len(data), 2):
        h = ((h ^ (data[i] | (data[i + 1] << 8))) * 0x01000193) & 0xFFFFFFFF
    return h


def bucket_of(word: str, buckets: int) -> int:
    """The bucket file of a word that has no file of its own (search.js `bucketOf`)."""
    return fnv1a(word) % buckets


class WordPostings:
    """One process's share of the index: which of its pages hold which word.

    Hot words as bitmaps of all pages (most pages have them), the others as lists."""

    def __init__(self, hot: Iterable[str], pages: int):
        self.index = {w: i for i, w in enumerate(sorted(hot))}
        self.size = (pages + 7) // 8
        self.bits: dict[int, bytearray] = {}
        self.hot_titles: dict[int, list[int]] = collections.defaultdict(list)
        self.lists: dict[str, array] = {}
        self.titles: dict[str, array] = {}

    def add(self, page: int, title_words: Iterable[str], body_words: Iterable[str]) -> None:
        """A page's words: those of its title (its 文号's key among them) and the others."""
        at, bit = page >> 3, 1 << (page & 7)
        index, bits, lists = self.index, self.bits, self.lists
        for w in title_words:
            i = index.get(w)
            if i is None:
                t = self.titles.get(w)
                if t is None:
                    if len(w) > MAX_WORD:
                        continue
                    t = self.titles[w] = array("I")
                t.append(page)
            else:
                self.hot_titles[i].append(page)
        for words in (title_words, body_words):
            for w in words:
                i = index.get(w)
                if i is None:
                    pages = lists.get(w)
                    if pages is None:
                        if len(w) > MAX_WORD:
                            continue
                        pages = lists[w] = array("I")
                    pages.append(page)
                else:
                    b = bits.get(i)
                    if b is None:
                        b = bits[i] = bytearray(self.size)
                    b[at] |= bit

    def result(self) -> dict:
        return {"bits": self.bits, "hot_titles": dict(self.hot_titles), "lists": self.lists, "titles": self.titles}


def _or(a: bytes, b: bytes) -> bytes:
    return (int.from_bytes(a, "little") | int.from_bytes(b, "little")).to_bytes(len(a), "little")


def _merged(arrays: list[array]) -> array:
    # Each process appends its pages in the order it renders them, not by number.
    if len(arrays) == 1:
        return array("I", sorted(arrays[0]))
    return array("I", sorted(x for a in arrays for x in a))


def _bitmap(pages: array, size: int) -> bytes:
    b = bytearray(size)
    for p in pages:
        b[p >> 3] |= 1 << (p & 7)
    return bytes(b)


def write(root: str, hot: frozenset[str], pages: int, parts: list[dict], filters: dict[tuple[str, str], list[int]],
          shards: list[str], members: dict[str, list[tuple[int, str]]]) -> dict:
    """Write pagefind/gazette-words/ and return its manifest (for gazette-common.json).

    `parts`: every process's WordPostings.result(); `filters`: (key, value) → page numbers;
    `shards`: the bundles in the browser's order; `members`: bundle name → (page number, url)
    of every page in it."""
    out = os.path.join(root, WORDS_DIR)
    os.makedirs(out, exist_ok=True)
    size = (pages + 7) // 8
    _write_hot(out, sorted(hot), size, parts)
    buckets = _write_buckets(out, size, parts)
    manifest_filters: dict[str, dict[str, list[int]]] = {}
    for n, (name, value) in enumerate(sorted(filters)):
        with open(os.path.join(out, f"f{n}.bin"), "wb") as fh:
            fh.write(_bitmap(array("I", filters[name, value]), size))
        manifest_filters.setdefault(name, {})[value] = [n, len(filters[name, value])]
    table: list[str | None] = [None] * pages
    for s, name in enumerate(shards):
        for page, fragment in _fragments(os.path.join(root, name), members.get(name, [])):
            if 0 <= page < pages:  # a page the plan did not number (added later by another plugin) has no words
                table[page] = f"{s}:{fragment}"
    for k in range(0, pages, DOC_CHUNK):
        with open(os.path.join(out, f"d{k // DOC_CHUNK}.json"), "w", encoding="utf-8") as fh:
            json.dump(table[k:k + DOC_CHUNK], fh, separators=(",", ":"))
    return {"pages": pages, "hot": sorted(hot), "buckets": buckets, "docs": DOC_CHUNK, "filters": manifest_filters}


def _write_hot(out: str, order: list[str], size: int, parts: list[dict]) -> None:
    """w<word>.bin: uint32 n, n title page numbers, then the bitmap of all pages."""
    empty = bytes(size)
    for i, word in enumerate(order):
        bits: bytes = empty
        titles: list[int] = []
        for part in parts:
            b = part["bits"].get(i)
            if b is not None:
                bits = bytes(b) if bits is empty else _or(bits, b)
            titles.extend(part["hot_titles"].get(i, ()))
        titles.sort()
        with open(os.path.join(out, f"w{word}.bin"), "wb") as fh:
            fh.write(struct.pack(f"<I{len(titles)}I", len(titles), *titles) + bits)


def _write_buckets(out: str, size: int, parts: list[dict]) -> int:
    """b<k>.bin (gzip): uint32 n; n entries (uint8 length, the word in ASCII, uint8 kind,
    uint32 title count, uint32 count); then each entry's data: its title pages (uint32),
    then its pages as uint32 numbers (kind 0) or a bitmap of `count` bytes (kind 1).
    Returns the number of buckets."""
    grouped: dict[str, list[array]] = collections.defaultdict(list)
    titled: dict[str, list[array]] = collections.defaultdict(list)
    total = 0
    for part in parts:
        for w, a in part["lists"].items():
            grouped[w].append(a)
            total += len(a)
        for w, a in part["titles"].items():
            titled[w].append(a)
    buckets = max(1, -(-4 * total // BUCKET_BYTES))
    content: list[list[tuple[str, array, array]]] = [[] for _ in range(buckets)]
    for w in sorted(grouped):
        t = titled.get(w)
        content[bucket_of(w, buckets)].append((w, _merged(grouped[w]), _merged(t) if t else array("I")))
    for k, entries in enumerate(content):
        head = [struct.pack("<I", len(entries))]
        body = []
        for w, found, titles in entries:
            as_bits = 4 * len(found) > size
            data = _bitmap(found, size) if as_bits else found.tobytes()
            head.append(struct.pack(f"<B{len(w)}sBII", len(w), w.encode("ascii"), int(as_bits), len(titles),
                                    len(data) if as_bits else len(found)))
            body.append(titles.tobytes())
            body.append(data)
        with open(os.path.join(out, f"b{k}.bin"), "wb") as fh:
            fh.write(gzip.compress(b"".join(head + body), compresslevel=6, mtime=0))
    return buckets


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
