"""The site's word index: the files under search-index/ that the browser searches.

A query fetches one small file per word and the data of the results it shows (on 50,000 items
about 180 KB, under 0.2 s cold). Pages are numbered newest first, so a list of pages is in date order.

- `manifest.json`: the page count, the hot words, the number of bucket files, the filter
  values with their file and page count, and the traditional → simplified pairs of the site's
  characters (index.browser_folding); fetched once per visit;
- `h<k>.bin` (gzip, `_pack`): the *hot* words (held by one page in 16 or more of a sample of the
  items) in alphabetical order, each as its title pages and a bitmap of its pages (6 KB for 50,000
  pages), as many to a file as make about 8 KB of bitmaps;
- `b<k>.bin` (gzip, `_pack`): every other word, in the bucket file its hash picks: its title pages
  and its pages, as a list or, when that would be longer, as a bitmap;
- `f<n>.bin`: a bitmap of the pages of each filter value (年份, 栏目, …);
- `p/<hash>.bin` (gzip JSON, page number → data): what the results of a few pages rendered one after
  another show (address, title, 文号, 发布机构, date, kind, the readable text that the excerpt is cut
  from and the result is checked against), about 16 KB, named by content so a browser may keep it;
- `d<k>.json`: page number → the name of its `p/` file.
"""

from __future__ import annotations

import collections
import concurrent.futures
import functools
import gzip
import hashlib
import itertools
import json
import os
import struct
from array import array
from typing import Iterable, Iterator

INDEX_DIR = "search-index"  # in the site folder; the 搜索 page itself is search/
MANIFEST = "manifest.json"
SHOWN_DIR = "p"  # under INDEX_DIR: what results show, a few pages a file
HOT_SHARE = 1 / 16  # a bitmap (one bit a page) is no larger than a list of page numbers this long
DOC_CHUNK = 1000  # page numbers per file of the page → shown data table
SHOWN_BYTES = 16 * 1024  # shown data per p/ file, before compression (a long page has a file of its own)
HOT_GROUP_BYTES = 8192  # bitmap bytes per hot word file (small sites: a file per word would be thousands)
SAMPLE = 200  # items read before the build to choose the hot words (a wrong choice costs size, never results)
BUCKET_BYTES = 48 * 1024  # uncompressed bytes of postings per bucket file (about 12 KB compressed)
MAX_WORD = 64  # longer "words" (a run of letters and digits) are not indexed

_gzip = functools.partial(gzip.compress, compresslevel=6, mtime=0)


def choose_hot(samples: list[set[str]]) -> frozenset[str]:
    """The words found in at least HOT_SHARE of the sampled pages (each page's words), and in two."""
    df = collections.Counter(itertools.chain.from_iterable(samples))
    floor = max(2, HOT_SHARE * len(samples))
    return frozenset(w for w, k in df.items() if k >= floor)


def fnv1a(text: str) -> int:
    """FNV-1a (32 bit) over UTF-16 code units, as search.js `fnv1a` reads them (charCodeAt)."""
    h = 0x811C9DC5
    units = text.encode("ascii") if text.isascii() else array("H", text.encode("utf-16", "surrogatepass")[2:])
    for unit in units:
        h = ((h ^ unit) * 0x01000193) & 0xFFFFFFFF
    return h


def bucket_of(word: str, buckets: int) -> int:
    """The bucket file of a word that is not hot (search.js `bucketOf`)."""
    return fnv1a(word) % buckets


class _Pages(dict):
    """word → its page numbers; a word too long to be indexed gets a list that is not kept."""

    def __missing__(self, word: str) -> array:
        pages = array("I")
        if len(word) <= MAX_WORD:
            self[word] = pages
        return pages


class WordPostings:
    """One process's share of the index: which of its pages hold which word, hot words as
    bitmaps of all pages (most pages have them), the others as lists.

    While pages are added, the hot words' bitmaps are kept turned by a right angle: a row for
    each byte of the bitmaps (8 pages), holding that byte of every hot word (an int, hot word i
    in byte i). A page then sets its bits in one row, in C, rather than one byte in each of its
    hundreds of hot words' bitmaps (on 5,000 items a third of the time of the page's words)."""

    def __init__(self, hot: Iterable[str], pages: int):
        self.hot = frozenset(hot)
        self.size = (pages + 7) // 8  # bytes of a bitmap
        self.order = sorted(self.hot)
        self.column = {w: i for i, w in enumerate(self.order)}  # hot word → its byte in a row
        self.rows: dict[int, int] = {}  # byte of the bitmaps → that byte of every hot word
        self.lists = _Pages()
        self.titles = _Pages()  # every word's, hot or not: a page's title has few words

    def add(self, page: int, title_words: set[str], body_words: set[str]) -> None:
        """A page's words: those of its title (its 文号's key among them) and the others."""
        at, bit = page >> 3, 1 << (page & 7)
        for pages in map(self.titles.__getitem__, title_words):
            pages.append(page)
        other = len(self.order)  # the byte of the row a word that is not hot marks (dropped)
        row = bytearray(other + 1)
        for words in (title_words, body_words):  # one look-up a word: a page's words are hundreds
            columns = list(map(self.column.get, words, itertools.repeat(other)))
            collections.deque(map(row.__setitem__, columns, itertools.repeat(bit)), 0)
            for pages in map(self.lists.__getitem__, itertools.compress(words, map(other.__eq__, columns))):
                pages.append(page)
        self.rows[at] = self.rows.get(at, 0) | int.from_bytes(row[:other], "little")

    @functools.cached_property
    def bits(self) -> dict[str, bytes]:
        """Hot word → the bitmap of this share's pages holding it (the hot words on none left out).
        Read once every page is added: the rows are let go."""
        width, zero, rows = len(self.order), bytes(len(self.order)), self.rows
        table = b"".join(rows[at].to_bytes(width, "little") if at in rows else zero for at in range(self.size))
        self.rows = {}
        none = bytes(self.size)
        return {w: bitmap for i, w in enumerate(self.order) if (bitmap := table[i::width]) != none}


class ShownPages:
    """One process's pages' shown data (`url` relative to the site's root, and `shown`), written
    into `folder` in files of pages rendered one after another; `names`: page number → file."""

    def __init__(self, folder: str):
        self.folder = folder
        self.names: dict[int, str] = {}
        self._batch: list[tuple[int, bytes]] = []
        self._bytes = 0

    def add(self, number: int, url: str, shown: dict[str, str]) -> None:
        data = json.dumps({"url": url, "meta": shown}, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        self._batch.append((number, data))
        self._bytes += len(data)
        if self._bytes >= SHOWN_BYTES:
            self.flush()

    def flush(self) -> None:
        if not self._batch:
            return
        data = _gzip(b"{" + b",".join(b'"%d":%s' % (n, d) for n, d in self._batch) + b"}")
        name = hashlib.blake2b(data, digest_size=8).hexdigest()
        os.makedirs(self.folder, exist_ok=True)
        with open(os.path.join(self.folder, name + ".bin"), "wb") as fh:
            fh.write(data)
        self.names.update((n, name) for n, _ in self._batch)
        self._batch, self._bytes = [], 0


def _merged(arrays: list[array]) -> array:
    # Each process appends its pages in the order it renders them, not by number. (Joined with
    # extend: a generator over every page number cost a fifth of the time of writing the index.)
    joined = array("I")
    for a in arrays:
        joined.extend(a)
    return array("I", sorted(joined))


def _bitmap(pages: Iterable[int], size: int) -> bytes:
    b = bytearray(size)
    for p in pages:
        b[p >> 3] |= 1 << (p & 7)
    return bytes(b)


def write(out: str, hot: frozenset[str], pages: int, parts: list[WordPostings],
          filters: dict[tuple[str, str], list[int]], shown: dict[int, str],
          abbreviations: list[list[str]] = (), folding: str = "") -> None:
    """Write the index into `out` (the site's search-index/). `parts`: every process's
    WordPostings; `filters`: (key, value) → page numbers; `shown`: page number → the
    name of its file written by ShownPages; `folding`: traditional → simplified pairs."""
    os.makedirs(out, exist_ok=True)
    size = (pages + 7) // 8
    group = max(1, HOT_GROUP_BYTES // max(1, size))
    postings = sum(len(a) for part in parts for a in part.lists.values())
    buckets = max(1, -(-4 * postings // BUCKET_BYTES))  # one at least: a site with no searchable page answers too
    _write_gzipped(itertools.chain(_hot_files(out, sorted(hot), size, group, parts),
                                   _bucket_files(out, size, buckets, parts)))
    manifest_filters: dict[str, dict[str, list[int]]] = {}
    for n, (name, value) in enumerate(sorted(filters)):
        with open(os.path.join(out, f"f{n}.bin"), "wb") as fh:
            fh.write(_bitmap(filters[name, value], size))
        manifest_filters.setdefault(name, {})[value] = [n, len(filters[name, value])]
    table = [shown.get(page) for page in range(pages)]
    for k in range(0, pages, DOC_CHUNK):
        with open(os.path.join(out, f"d{k // DOC_CHUNK}.json"), "w", encoding="utf-8") as fh:
            json.dump(table[k:k + DOC_CHUNK], fh, separators=(",", ":"))
    manifest = {"pages": pages, "hot": sorted(hot), "hot_group": group, "buckets": buckets, "docs": DOC_CHUNK,
                "filters": manifest_filters, "abbr": list(abbreviations), "t2s": folding}
    with open(os.path.join(out, MANIFEST), "w", encoding="utf-8") as fh:
        json.dump(manifest, fh, ensure_ascii=False, separators=(",", ":"))


def _write_gzipped(files: Iterable[tuple[str, bytes]]) -> None:
    """Compresses and writes files in threads while the next are made (zlib lets go of the
    interpreter while it compresses); at most 4 files a thread wait, to bound the memory."""
    threads = os.cpu_count() or 1
    pending: collections.deque = collections.deque()
    with concurrent.futures.ThreadPoolExecutor(max_workers=threads) as pool:
        for path, data in files:
            if len(pending) >= 4 * threads:
                pending.popleft().result()
            pending.append(pool.submit(_write_file, path, data))
        for done in pending:
            done.result()  # raises the first error of a write


def _write_file(path: str, data: bytes) -> None:
    with open(path, "wb") as fh:
        fh.write(_gzip(data))


def _hot_files(out: str, order: list[str], size: int, group: int,
               parts: list[WordPostings]) -> Iterator[tuple[str, bytes]]:
    """h<k>.bin: hot words k*group to (k+1)*group-1 of `order`, each as a bitmap."""
    entries = []
    for word in order:
        bits = 0
        for part in parts:
            bits |= int.from_bytes(part.bits.get(word, b""), "little")
        titles = _merged([part.titles[word] for part in parts if word in part.titles])
        entries.append((word, bits.to_bytes(size, "little"), titles))
    for k in range(0, len(order), group):
        yield os.path.join(out, f"h{k // group}.bin"), _pack(entries[k:k + group], size)


def _bucket_files(out: str, size: int, buckets: int, parts: list[WordPostings]) -> Iterator[tuple[str, bytes]]:
    """b<k>.bin: the words of bucket k (bucket_of)."""
    content: list[list[tuple[str, array, array]]] = [[] for _ in range(buckets)]
    for w in sorted({w for part in parts for w in part.lists}):
        pages = _merged([part.lists[w] for part in parts if w in part.lists])
        titles = _merged([part.titles[w] for part in parts if w in part.titles])
        content[bucket_of(w, buckets)].append((w, pages, titles))
    for k, entries in enumerate(content):
        yield os.path.join(out, f"b{k}.bin"), _pack(entries, size)


def _pack(entries: list[tuple[str, array | bytes, array]], size: int) -> bytes:
    """A word file (to be gzipped): uint32 n; n entries (uint8 length, the word in ASCII, uint8 kind,
    uint32 title count, uint32 count); then each entry's data: its title pages (uint32), then
    its pages as `count` uint32 numbers (kind 0) or a bitmap of `count` bytes (kind 1). Pages
    come as an array of numbers (kept as a list where that is smaller) or a bitmap."""
    head = [struct.pack("<I", len(entries))]
    body = []
    for w, pages, titles in entries:
        if isinstance(pages, array) and 4 * len(pages) > size:
            pages = _bitmap(pages, size)
        kind = 0 if isinstance(pages, array) else 1
        head.append(struct.pack(f"<B{len(w)}sBII", len(w), w.encode("ascii"), kind, len(titles), len(pages)))
        body += [titles.tobytes(), pages if kind else pages.tobytes()]
    return b"".join(head + body)
