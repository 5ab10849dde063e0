"""The site's word index: the files under search-index/ that the browser searches.

One small file per word of a query, and the data of the results shown: a query on
50,000 items fetches about 180 KB and answers in under 0.2 s cold. Files:

- `manifest.json`: the page count, the hot words, the number of bucket files, and
  the filter values with their file and page count; fetched once per visit;
- a *hot* word (one that one page in 16 or more holds, chosen before the build from a
  sample of the items) is kept as the pages whose title holds it (a list) and a
  bitmap of every page that holds it (one bit a page: 6 KB for 50,000 pages), in
  `h<k>.bin` (gzip): the hot words in alphabetical order, as many to a file as make
  about 8 KB of bitmaps (one a file on large sites: a query fetches only its words);
- every other word is in one of the bucket files `b<k>.bin` (gzip), chosen by a hash
  of the word: its title pages and its pages, as a list or, when that would be
  longer, as a bitmap (the same layout as `h<k>.bin`);
- `f<n>.bin`: a bitmap of the pages of each filter value (年份, 栏目, …);
- `p/<hash>.bin` (gzip JSON, page number → data): what a result shows of a few pages
  rendered one after another (address, title, 文号, 发布机构, date, kind and the
  readable text, from which the excerpt is cut and the result is checked), about
  16 KB before compression; named by content, so a browser may keep it. Written
  while pages render: one file a page cost short pages more than the rest of the index;
- `d<k>.json`: page number → the name of its `p/` file.

Pages are numbered newest first (search.SiteSearch), so a list of page numbers is
in date order. The browser (search.js `Words`) fetches one file per word of the
query, ANDs them and the filters, puts the pages whose title holds more of the
query first, each tier newest first, and reads the `p/` files of the results it shows. Every
Han character of a page is a word too (besides the bigrams), so a one-character
query finds exactly the pages that have it. A site without searchable pages still
gets a manifest and one empty bucket: its search page answers that nothing is there.
"""

from __future__ import annotations

import collections
import concurrent.futures
import gzip
import hashlib
import json
import os
import struct
from array import array
from typing import Iterable

INDEX_DIR = "search-index"  # in the site folder; the 搜索 page itself is search/
MANIFEST = "manifest.json"
DOCS_DIR = "p"  # under INDEX_DIR: what results show, a few pages a file
HOT_SHARE = 1 / 16  # a bitmap (one bit a page) is no larger than a list of page numbers this long
DOC_CHUNK = 1000  # page numbers per file of the page → shown data table
DOC_GROUP_BYTES = 16 * 1024  # shown data per p/ file, before compression (a long page has a file of its own)
HOT_GROUP_BYTES = 8192  # bitmap bytes per hot word file (small sites: a file per word would be thousands)
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
    if text.isascii():  # index words are: one code unit a byte
        for b in text.encode("ascii"):
            h = ((h ^ b) * 0x01000193) & 0xFFFFFFFF
        return h
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
    # Each process appends its pages in the order it renders them, not by number. (Joined with
    # extend: a generator over every page number cost a fifth of the time of writing the index.)
    joined = arrays[0]
    if len(arrays) > 1:
        joined = array("I", joined)
        for a in arrays[1:]:
            joined.extend(a)
    return array("I", sorted(joined))


def _bitmap(pages: array, size: int) -> bytes:
    b = bytearray(size)
    for p in pages:
        b[p >> 3] |= 1 << (p & 7)
    return bytes(b)


class ShownPages:
    """One process's pages' shown data (`url` relative to the site's root, and `shown`), written
    into `folder` in files of pages rendered one after another; `names`: page number → file."""

    def __init__(self, folder: str):
        self.folder = folder
        self.names: dict[int, str] = {}
        self._batch: list[tuple[int, bytes]] = []
        self._bytes = 0
        self._made = False

    def add(self, number: int, url: str, shown: dict[str, str]) -> None:
        data = json.dumps({"url": url, "meta": shown}, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        self._batch.append((number, data))
        self._bytes += len(data)
        if self._bytes >= DOC_GROUP_BYTES:
            self.flush()

    def flush(self) -> None:
        if not self._batch:
            return
        body = b"{" + b",".join(b'"%d":%s' % (n, d) for n, d in self._batch) + b"}"
        data = gzip.compress(body, compresslevel=6, mtime=0)
        name = hashlib.blake2b(data, digest_size=8).hexdigest()
        if not self._made:
            os.makedirs(self.folder, exist_ok=True)
            self._made = True
        with open(os.path.join(self.folder, name + ".bin"), "wb") as fh:
            fh.write(data)
        for n, _ in self._batch:
            self.names[n] = name
        self._batch, self._bytes = [], 0


def write(out: str, hot: frozenset[str], pages: int, parts: list[dict], filters: dict[tuple[str, str], list[int]],
          docs: dict[int, str]) -> dict:
    """Write the index into `out` (the site's search-index/) and return its manifest.

    `parts`: every process's WordPostings.result(); `filters`: (key, value) → page numbers;
    `docs`: page number → name of its file written by ShownPages."""
    os.makedirs(out, exist_ok=True)
    size = (pages + 7) // 8
    group = max(1, HOT_GROUP_BYTES // max(1, size))
    with _GzipWriter() as files:
        _write_hot(out, sorted(hot), size, group, parts, files)
        buckets = _write_buckets(out, size, parts, files)
    manifest_filters: dict[str, dict[str, list[int]]] = {}
    for n, (name, value) in enumerate(sorted(filters)):
        with open(os.path.join(out, f"f{n}.bin"), "wb") as fh:
            fh.write(_bitmap(array("I", filters[name, value]), size))
        manifest_filters.setdefault(name, {})[value] = [n, len(filters[name, value])]
    table: list[str | None] = [docs.get(page) for page in range(pages)]
    for k in range(0, pages, DOC_CHUNK):
        with open(os.path.join(out, f"d{k // DOC_CHUNK}.json"), "w", encoding="utf-8") as fh:
            json.dump(table[k:k + DOC_CHUNK], fh, separators=(",", ":"))
    manifest = {"pages": pages, "hot": sorted(hot), "hot_group": group, "buckets": buckets, "docs": DOC_CHUNK,
                "filters": manifest_filters}
    with open(os.path.join(out, MANIFEST), "w", encoding="utf-8") as fh:
        json.dump(manifest, fh, ensure_ascii=False, separators=(",", ":"))
    return manifest


class _GzipWriter:
    """Compresses and writes files in threads, while the next files are made: zlib lets go of
    the interpreter while it compresses. At most 4 files a thread wait, to bound the memory."""

    def __init__(self):
        self.threads = os.cpu_count() or 1
        self.pool = concurrent.futures.ThreadPoolExecutor(max_workers=self.threads)
        self.pending: collections.deque = collections.deque()

    def add(self, path: str, data: bytes) -> None:
        while len(self.pending) >= 4 * self.threads:
            self.pending.popleft().result()
        self.pending.append(self.pool.submit(self._write, path, data))

    @staticmethod
    def _write(path: str, data: bytes) -> None:
        with open(path, "wb") as fh:
            fh.write(gzip.compress(data, compresslevel=6, mtime=0))

    def __enter__(self) -> "_GzipWriter":
        return self

    def __exit__(self, *exc) -> None:
        try:
            while self.pending:
                self.pending.popleft().result()  # raises the first error of a write
        finally:
            self.pool.shutdown(wait=True, cancel_futures=True)


def _write_hot(out: str, order: list[str], size: int, group: int, parts: list[dict], files: _GzipWriter) -> None:
    """h<k>.bin: hot words k*group to (k+1)*group-1 of `order`, each as a bitmap (_pack)."""
    empty = bytes(size)
    entries = []
    for i, word in enumerate(order):
        bits: bytes = empty
        titles: list[int] = []
        for part in parts:
            b = part["bits"].get(i)
            if b is not None:
                bits = bytes(b) if bits is empty else _or(bits, b)
            titles.extend(part["hot_titles"].get(i, ()))
        entries.append((word, bits, array("I", sorted(titles))))
    for k in range(0, len(order), group):
        files.add(os.path.join(out, f"h{k // group}.bin"), _pack(entries[k:k + group], size))


def _pack(entries: list[tuple[str, "array | bytes", array]], size: int) -> bytes:
    """A word file (to be gzipped): uint32 n; n entries (uint8 length, the word in ASCII, uint8 kind,
    uint32 title count, uint32 count); then each entry's data: its title pages (uint32),
    then its pages as uint32 numbers (kind 0, `count` of them) or a bitmap of `count` bytes
    (kind 1). Pages come as an array of numbers (a list where that is smaller) or a bitmap."""
    head = [struct.pack("<I", len(entries))]
    body = []
    for w, found, titles in entries:
        if isinstance(found, array):
            as_bits = 4 * len(found) > size
            data = _bitmap(found, size) if as_bits else found.tobytes()
            count = len(data) if as_bits else len(found)
        else:
            as_bits, data, count = True, found, len(found)
        head.append(struct.pack(f"<B{len(w)}sBII", len(w), w.encode("ascii"), int(as_bits), len(titles), count))
        body.append(titles.tobytes())
        body.append(data)
    return b"".join(head + body)


def _write_buckets(out: str, size: int, parts: list[dict], files: _GzipWriter) -> int:
    """b<k>.bin (_pack): the words of bucket k (bucket_of). Returns the number of buckets."""
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
        files.add(os.path.join(out, f"b{k}.bin"), _pack(entries, size))
    return buckets
