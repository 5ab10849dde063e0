"""Full-text search built by `mkdocs build`: a Pagefind index whose words are Chinese character bigrams.

Pagefind's own segmentation misses many Chinese words (a dictionary segmenter
cuts 征地拆迁 one way in a page and another way in the query). So every run of
Han characters is indexed as its overlapping bigrams (a one-character run as
itself), and the browser turns the query into the same bigrams: Pagefind ANDs
them, and the client confirms the result really contains the query.

Bigrams are written as short ASCII codes (3 base-32 digits per character) so
that no segmenter or stemmer touches them; other words are prefixed with "z",
a letter the codes never use. A 文号 also gets one hashed token, so a 文号
typed any of three ways finds its document directly.

The indexed words go to Pagefind in a synthetic document per page (the page's
HTML stays as it is); the readable text travels as the `text` meta, from which
the browser makes the excerpt. Every bigram is indexed once per page (title
bigrams with a higher weight): a page's word positions would make the index
of common bigrams too large for a site of 50,000 items.

Words that most pages have are listed with their page counts in
pagefind/gazette-common.json; the browser leaves them out of a query when
rarer words of it are there, so that their long page lists are not fetched.
On large sites (`search_words_min_pages`) Pagefind is not run at all: the words
and what a result shows go to the site's own word index (search_words.py).

The JavaScript in theme/assets/gazette/search.js mirrors `tokens`, `doc_key`
and `docnumber.normalise_query`; tests check that both sides agree.
"""

from __future__ import annotations

import base64
import collections
import html
import itertools
import json
import logging
import os
import re
import subprocess
import tempfile
import threading
import time
import unicodedata
import zlib
from typing import NamedTuple

from markupsafe import Markup
from mkdocs.exceptions import PluginError

from .catalog import Item
from . import search_words
from .search_repro import stabilise

log = logging.getLogger("mkdocs.plugins.gazette")

HAN_LO, HAN_HI = 0x3400, 0x9FFF  # CJK Extension A + Unified Ideographs: 27,648 < 32**3
_DIGITS = "0123456789abcdefghijklmnopqrstuv"
_WORD = re.compile(r"[0-9a-z]+")
_BIGRAM = re.compile(r"(?=([\u3400-\u9fff]{2}))")
_HAN_CHAR = re.compile(r"[\u3400-\u9fff]")
_LONE_HAN = re.compile(r"(?<![\u3400-\u9fff])[\u3400-\u9fff](?![\u3400-\u9fff])")
_BLOCK = re.compile(
    r"</?(?:p|div|h[1-6]|li|ol|ul|dl|dt|dd|td|th|tr|table|thead|tbody|caption|blockquote|pre|section|br|hr|figure)\b[^>]*>",
    re.I,
)
_TAG = re.compile(r"<[^>]+>")
_SCRIPT = re.compile(r"<(script|style)\b.*?</\1>", re.I | re.S)
_SPACE_IN_HAN = re.compile(r"(?<=[\u3400-\u9fff])[ \t\r\n\u3000]+(?=[\u3400-\u9fff])")
_SPACES = re.compile(r"[ \t\r\n\u3000]+")


def han_code(ch: str) -> str:
    n = ord(ch) - HAN_LO
    return _DIGITS[n >> 10] + _DIGITS[(n >> 5) & 31] + _DIGITS[n & 31]


def text_of(fragment_html: str) -> str:
    """Visible text of an HTML fragment; blocks become line breaks, and a line break
    inside a Chinese sentence (as Markdown source wraps) joins the characters again."""
    t = _SCRIPT.sub(" ", fragment_html)
    t = _BLOCK.sub("\x00", t)  # a block ends a run of characters; a wrapped line does not
    t = _TAG.sub("", t)
    t = html.unescape(t).replace("\x00\x00", "\x00")
    t = _SPACE_IN_HAN.sub("", t)
    lines = (_SPACES.sub(" ", line).strip() for line in t.split("\x00"))
    return "\n".join(line for line in lines if line)


def _fold_table() -> dict[int, str]:
    # NFKC where it matters for search, one character at a time: full-width letters and digits,
    # compatibility ideographs, radicals and enclosed numbers. (Normalising whole pages took
    # longer than rendering them; Han characters themselves never change.)
    table = {}
    for lo, hi in ((0x2460, 0x24FF), (0x2E80, 0x2FDF), (0x3200, 0x33FF), (0xF900, 0xFAFF), (0xFF00, 0xFFEF)):
        for c in range(lo, hi + 1):
            n = unicodedata.normalize("NFKC", chr(c))
            if n != chr(c) and any(ch.isalnum() for ch in n):  # punctuation makes no word either way
                table[c] = n
    return table


_FOLD = _fold_table()
_NEEDS_FOLD = re.compile("[" + "".join(re.escape(chr(c)) for c in sorted(_FOLD)) + "]")


class _Codes(dict):
    """Index word of a character or a pair, computed once per build and then looked up."""

    def __missing__(self, key: str) -> str:
        value = self[key] = "".join(han_code(c) for c in key)
        return value


_CODES = _Codes()


def fold(text: str) -> str:
    if _NEEDS_FOLD.search(text):
        text = text.translate(_FOLD)
    return text.lower()


def tokens(text: str, unigrams: bool = False) -> list[str]:
    """Index words of a text, each once: the bigrams of every run of Han characters,
    a run of one character by itself (with `unigrams`: every character by itself), and
    other words with a "z" in front."""
    text = fold(text)
    # Overlapping pairs in one pass of the regex engine (slicing runs in Python took twice as long).
    if unigrams:  # own index: order does not matter (its lists are sorted), so sets will do
        grams = set(_BIGRAM.findall(text))
        singles = _HAN_CHAR.findall("".join(set(text)))
    else:  # Pagefind's words in the order they come: the same input gives the same index
        grams = dict.fromkeys(_BIGRAM.findall(text))
        singles = dict.fromkeys(_LONE_HAN.findall(text))
    words = ["z" + w for w in dict.fromkeys(_WORD.findall(text))]
    return list(map(_CODES.__getitem__, itertools.chain(grams, singles))) + words


def doc_key(canonical: str) -> str:
    """One index word for a canonical 文号: its FNV-1a hash in 7 base-32 digits."""
    h = search_words.fnv1a(canonical)
    out = ""
    for _ in range(7):
        out = _DIGITS[h & 31] + out
        h >>= 5
    return "zwh" + out


_CITED = re.compile(r"[〔\[（(【［﹝]\s*(\d{4})\s*[〕\]）)】］﹞]\s*(?:第\s*)?(\d+)\s*号")
_AGENCY = re.compile(r"([\u3400-\u9fff]{2,10})\s*$")


def cited_keys(text: str) -> list[str]:
    """doc_key of every 文号 a text cites. Which characters before the bracket are the
    agency is not known, so every ending of 2 to 10 characters counts (了江医保〔2023〕2号
    is cited as 江医保…, 医保… and 了江医保…): a query's own form is always among them."""
    keys: dict[str, None] = {}
    for m in _CITED.finditer(text):
        before = _AGENCY.search(text, max(0, m.start() - 14), m.start())
        if before is None:
            continue
        run, year, num = before.group(1), int(m.group(1)), int(m.group(2))
        for k in range(2, len(run) + 1):
            keys.setdefault(doc_key(f"{run[-k:]}〔{year}〕{num}号"), None)
    return list(keys)


def _e(value) -> str:
    return html.escape(str(value), quote=True)


_PUA = 0xF0000


_FILL = b"\x0f" * 65536


def hide_words(value: str) -> str:
    """Shift every character into Private Use code points (U+F0000 + c).

    Pagefind 1.5 indexes meta values as words, which would add every title and
    the whole readable text to the index. Private Use characters are not word
    characters, so the value travels in the page's fragment without being
    indexed; the browser shifts it back (search.js `showWords`). Done on the
    UTF-32 bytes (the third byte of a BMP character becomes 0x0F): the whole
    text of 50,000 pages passes through here.
    """
    n = len(value)
    try:
        if len(value.encode("utf-16-le")) == 2 * n:  # no character beyond the BMP
            data = bytearray(value.encode("utf-32-le"))
            data[2::4] = _FILL[:n] if n <= len(_FILL) else b"\x0f" * n
            return data.decode("utf-32-le")
    except UnicodeEncodeError:  # a lone surrogate
        pass
    return "".join(chr(_PUA + ord(c)) if ord(c) < 0x10000 and not 0xD800 <= ord(c) < 0xE000 else c for c in value)


class Record(NamedTuple):
    html: str  # the synthetic page for Pagefind ("" with the own word index: Pagefind is not used)
    title_words: list[str]  # the index words of the title (own words: the 文号's key too)
    body_words: list[str]  # the other index words of the page
    shown: dict[str, str]  # what a result shows: title, 文号, 发布机构, date, kind, readable text


def record_html(*, title: str, text: str, meta: dict[str, str], filters: dict[str, list[str]],
                sort: dict[str, str], doc_number: str | None, weight: float = 1.0,
                own_words: bool = False) -> Record:
    """The synthetic page Pagefind indexes: coded words inside the body element, readable
    values as (hidden-word) meta, filters and sort keys outside it. With `own_words` the
    words go to the site's own index (search_words.py) instead, every character a word
    too, and no page is made for Pagefind: the own index writes what a result shows."""
    title_words = tokens(title, own_words)
    doc_word = doc_key(doc_number) if doc_number else None
    if own_words and doc_word:
        title_words.append(doc_word)  # the 文号's own document before the pages citing it
    seen = set(title_words)
    # What the page shows and a reader would search: title, 文号, 发布机构, body.
    searched = "\n".join(x for x in (doc_number, meta.get("issuer"), text) if x)
    body_words = [w for w in tokens(searched, own_words) + cited_keys(text) if w not in seen]
    # Body words keep Pagefind's plain weight, although at 25/24 its index would be ~20% smaller
    # (no weight marker per posting): Pagefind cuts its index into chunks of so many postings
    # plus markers, so the chunk a query fetches from every shard would hold 1.5 times the
    # postings: on 50,000 items a 文号 query fetched 600 KB instead of 490 KB.
    shown = {key: value for key, value in {"title": title, **meta, "text": text}.items() if value}
    if own_words:
        return Record("", title_words, body_words, shown)
    w = f' data-pagefind-weight="{weight:g}"' if weight != 1.0 else ""
    parts = ['<html lang="zh"><head><meta charset="utf-8"></head><body><main data-pagefind-body>']
    if doc_word:
        parts.append(f'<p data-pagefind-weight="10">{doc_word}</p>')
    # Title words weigh more, so that documents named after the query come first.
    parts.append(f'<p data-pagefind-weight="{min(10.0, 6 * weight):g}">{" ".join(title_words)}</p>')
    parts.append(f'<p{w}>{" ".join(body_words)}</p></main>')
    for key, value in shown.items():
        parts.append(f'<i data-pagefind-meta="{key}">{_e(hide_words(value))}</i>')
    for key, values in filters.items():
        for value in values:
            if value:
                parts.append(f'<i data-pagefind-filter="{key}">{_e(value)}</i>')
    for key, value in sort.items():
        if value:
            parts.append(f'<i data-pagefind-sort="{key}">{_e(value)}</i>')
    parts.append("</body></html>")
    return Record("".join(parts), title_words, body_words, shown)


def item_filters(item) -> dict[str, list[str]]:
    """The search filters of an item: 年份, 公报/政务公开, 栏目, 发布机构, 文种."""
    r = item.record
    if r.kind == "gazette":
        kind, column = "公报", (r.column or "")
    else:
        kind, column = "政务公开", (item.column.name if item.column is not None else "")
    return {
        "year": [str(r.published.year)],
        "kind": [kind],
        "column": [column],
        "issuer": [r.issuer],
        "genre": [r.genre or ""],
    }


PAGE_FILTERS = {"kind": ["其他页面"]}


def item_record(item, body_html: str, own_words: bool = False) -> Record:
    """The search record of an item page of the catalog."""
    r = item.record
    doc = item.doc_number_text
    text = text_of(body_html)
    filters = item_filters(item)
    kind = filters["kind"][0]
    meta = {
        "docno": doc or "",
        "issuer": r.issuer,
        "date": r.published.isoformat(),
        "kind": kind,
    }
    sort = {"date": r.published.isoformat()}
    return record_html(title=r.title, text=text, meta=meta, filters=filters, sort=sort, doc_number=doc,
                       own_words=own_words)


def plain_title(page) -> str:
    """A page's title as text: the plugin hands Material titles as escaped HTML (Markup)."""
    title = page.title or ""
    return title.unescape() if isinstance(title, Markup) else str(title)


def page_record(title: str, body_html: str, own_words: bool = False) -> Record:
    """Other content pages (guides, notices written by editors): searchable, ranked below documents."""
    text = text_of(body_html)
    return record_html(title=title, text=text, meta={"kind": "页面"}, filters=PAGE_FILTERS,
                       sort={}, doc_number=None, weight=0.5, own_words=own_words)


class SearchIndexError(RuntimeError):
    """Pagefind could not build the index; the message is for editors (Chinese)."""


class Indexer:
    """Feeds pages to Pagefind's indexing service while MkDocs renders, then writes
    the bundle into the (staged) site folder.

    Speaks the service protocol (base64 JSON messages ended by a comma) directly:
    the `pagefind` package's asyncio client sleeps 0.1 s per response, which
    would make 50,000 pages take hours. A reader thread drains the answers so
    that neither pipe fills up.
    """

    def __init__(self):
        self.proc: subprocess.Popen | None = None
        self.pages = 0
        self.busy = 0.0  # seconds spent in this process preparing records
        self.errors: list[str] = []
        self._next_id = 0
        self._lock = threading.Lock()
        self._waiting: dict[int, threading.Event] = {}
        self._answers: dict[int, dict] = {}
        self._reader: threading.Thread | None = None
        self.index_id = None

    def start(self) -> None:
        try:
            from pagefind.service import get_executable
        except ImportError:
            raise SearchIndexError("找不到 Pagefind：请安装 pagefind[extended]（pip install -e .）") from None
        binary = get_executable()
        if binary is None:
            raise SearchIndexError("找不到 Pagefind 程序：请安装 pagefind[extended]（pip install -e .）")
        self.proc = subprocess.Popen([str(binary), "--service"], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     stderr=subprocess.DEVNULL, cwd=tempfile.gettempdir())
        self._reader = threading.Thread(target=self._read, name="pagefind-reader", daemon=True)
        self._reader.start()
        answer = self._send({"type": "NewIndex", "config": {"force_language": "zh"}}, wait=True)
        self.index_id = answer["index_id"]

    def _read(self) -> None:
        buf = b""
        out = self.proc.stdout
        while True:
            chunk = out.read1(1 << 16)
            if not chunk:
                break
            buf += chunk
            *messages, buf = buf.split(b",")
            for raw in messages:
                if not raw.strip():
                    continue
                resp = json.loads(base64.b64decode(raw))
                mid = resp.get("message_id")
                payload = resp.get("payload", {})
                if payload.get("type") == "Error":
                    self.errors.append(str(payload.get("message")))
                with self._lock:
                    event = self._waiting.pop(mid, None)
                    if event is not None:
                        self._answers[mid] = payload
                if event is not None:
                    event.set()
        with self._lock:  # the service ended: wake anyone still waiting
            for event in self._waiting.values():
                event.set()
            self._waiting.clear()

    def _send(self, payload: dict, wait: bool = False) -> dict | None:
        with self._lock:
            self._next_id += 1
            mid = self._next_id
            event = threading.Event() if wait else None
            if event is not None:
                self._waiting[mid] = event
        message = base64.b64encode(json.dumps({"message_id": mid, "payload": payload}, ensure_ascii=False).encode()) + b","
        self.proc.stdin.write(message)
        if not wait:
            return None
        self.proc.stdin.flush()
        event.wait()
        with self._lock:
            answer = self._answers.pop(mid, None)
        if answer is None or answer.get("type") == "Error":
            raise SearchIndexError(f"Pagefind 建立搜索索引失败：{(answer or {}).get('message', '索引程序意外退出')}")
        return answer

    def add(self, url: str, content: str) -> None:
        self.pages += 1
        self._send({"type": "AddFile", "index_id": self.index_id, "url": url, "file_contents": content})

    def finish(self, out_dir: str) -> None:
        try:
            self._send({"type": "WriteFiles", "index_id": self.index_id, "output_path": out_dir}, wait=True)
            # The answer comes when the last write is handed to a background thread, not when it
            # is on disk, and a service told to stop exits with writes still in flight (a cut-off
            # wasm was seen in CI): wait until it holds no file of the bundle open.
            deadline = time.monotonic() + 300
            while time.monotonic() < deadline and not self.errors:
                pending = _writing_into(self.proc.pid, out_dir)
                if pending is False and _bundle_ok(out_dir):
                    break
                if pending is None and _bundle_ok(out_dir):  # no /proc: settle for a short grace
                    time.sleep(1)
                    break
                time.sleep(0.02)
            self.close(patience=1800)
            if self.errors:
                raise SearchIndexError("Pagefind 建立搜索索引失败：" + "；".join(self.errors[:3]))
            _check_bundle(out_dir)
        finally:
            self.close()

    def close(self, patience: float = 5) -> None:
        if self.proc is not None:
            try:
                self.proc.stdin.close()
            except OSError:
                pass
            try:
                self.proc.wait(timeout=patience)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
            self.proc = None


def _check_bundle(out_dir: str) -> None:
    """A search that cannot load is worse than none: refuse to publish a cut-off bundle."""
    if not _bundle_ok(out_dir):
        raise SearchIndexError(f"搜索索引没有完整写入 {out_dir}，本次没有发布。请重新构建。")


def _writing_into(pid: int, out_dir: str) -> bool | None:
    """Whether process `pid` has a file under `out_dir` open (a write still in flight);
    None where /proc cannot tell."""
    fd_dir = f"/proc/{pid}/fd"
    try:
        fds = os.listdir(fd_dir)
    except OSError:
        return None
    prefix = os.path.realpath(out_dir) + os.sep
    for fd in fds:
        try:
            if os.readlink(os.path.join(fd_dir, fd)).startswith(prefix):
                return True
        except OSError:  # closed while we looked
            continue
    return False


def _bundle_ok(out_dir: str) -> bool:
    """The entry file names a language and every wasm file is a whole gzip stream."""
    try:
        with open(os.path.join(out_dir, "pagefind-entry.json"), encoding="utf-8") as fh:
            entry = json.load(fh)
        wasm = [n for n in os.listdir(out_dir) if n.startswith("wasm.")]
        ok = bool(entry.get("languages")) and bool(wasm)
        for name in wasm if ok else ():
            with open(os.path.join(out_dir, name), "rb") as fh:
                stream = zlib.decompressobj(wbits=31)
                stream.decompress(fh.read())
            ok = ok and stream.eof
    except (OSError, ValueError, zlib.error):
        ok = False
    return ok


SEARCH_SRC = "search/index.md"
SEARCH_PAGE = """---
title: 搜索
template: gazette/search.html
---
"""


def write_common(out_dir: str, df: collections.Counter, pages: int, limit: int = 1500, words: dict | None = None) -> None:
    """The words found in many pages, with their page counts. The browser leaves them out of a
    query when rarer words of the same query are there: every page holding the whole query holds
    all its words, so nothing is lost, and the long lists of common words are never downloaded."""
    floor = max(2, pages // 50)
    common = {w: n for w, n in df.most_common(limit) if n >= floor}
    with open(os.path.join(out_dir, "gazette-common.json"), "w", encoding="utf-8") as fh:
        json.dump({"pages": pages, "common": common, **({"words": words} if words else {})}, fh, separators=(",", ":"))


SHARDS_FILE = "gazette-shards.json"
OWN_BATCH = 256  # pages the own index takes at a time
MIN_SHARD_PAGES = 250
WRITE_MB_PER_PAGE = 0.3  # Pagefind's peak while writing a shard of bigram-coded pages (hot words left out: 0.25)
WRITE_BUDGET_MB = 2000  # for shard writes in flight at once; the build's processes need the rest of 4 GB
_UI_FILES = ("pagefind-ui.", "pagefind-component-ui.", "pagefind-modular-ui.", "pagefind-highlight.")


class ShardedIndex:
    """Pages go to Pagefind in shards of at most `shard_pages`, one indexing process each.

    Pagefind keeps every (word, page) pair of an index in memory, about 0.75 KB each,
    and a page has some 700 distinct bigrams: one index of 50,000 pages would need
    over 20 GB. Each shard is a complete bundle; the browser merges them
    (Pagefind's mergeIndex), listed in pagefind/gazette-shards.json. Shard `first`
    of part 0 is the primary bundle in pagefind/ itself, others are
    pagefind/part-<part>-<n>/. A full shard is written while the next one fills.
    """

    def __init__(self, root: str, part: int, shard_pages: int, write_slots=None):
        self.root = root
        self.part = part
        self.shard_pages = max(1, shard_pages)
        self.write_slots = write_slots  # a semaphore shared by the workers: writes in flight at once
        self.current: Indexer | None = None
        self.in_current = 0
        self.shards: list[tuple[str, int]] = []  # (folder relative to root, pages)
        self.pages = 0
        self.busy = 0.0
        self.waited = 0.0
        self._writing: threading.Thread | None = None
        self._write_error: BaseException | None = None

    def _name(self, n: int) -> str:
        return "" if (self.part == 0 and n == 0) else f"part-{self.part}-{n}"

    def _open(self) -> None:
        self.current = Indexer()
        self.current.start()
        self.in_current = 0

    def add(self, url: str, content: str) -> None:
        if self.current is None:
            self._open()
        self.current.add(url, content)
        self.in_current += 1
        self.pages += 1
        if self.in_current >= self.shard_pages:
            self._close_current(background=True)

    def _close_current(self, background: bool) -> None:
        indexer, n = self.current, len(self.shards)
        self.current = None
        name = self._name(n)
        self.shards.append((name, indexer.pages))
        self._join()  # one shard writing at a time: its memory is what the build can afford
        out = os.path.join(self.root, name)
        if background:
            self._writing = threading.Thread(target=self._write, args=(indexer, out), daemon=True)
            self._writing.start()
        else:
            self._write(indexer, out)
            self._raise()

    def _write(self, indexer: "Indexer", out: str) -> None:
        try:
            # Pagefind needs little memory while pages come in (about 0.13 MB a page) and
            # much more while it writes (about 0.6 MB a page): writes take turns.
            if self.write_slots is not None:
                with self.write_slots:
                    indexer.finish(out)
            else:
                indexer.finish(out)
            for name in os.listdir(out):  # Pagefind's own result widgets: we ship our own interface
                if name.startswith(_UI_FILES):
                    os.remove(os.path.join(out, name))
            if not stabilise(out):  # the same input must give the same bytes
                log.info("搜索索引的筛选数据未能按固定顺序重写，两次构建的 pagefind/ 可能略有不同。")
        except BaseException as e:  # reported by the thread that waits for it
            self._write_error = e

    def _join(self) -> None:
        if self._writing is not None:
            t0 = time.perf_counter()
            self._writing.join()
            self.waited += time.perf_counter() - t0
            self._writing = None
        self._raise()

    def _raise(self) -> None:
        if self._write_error is not None:
            e, self._write_error = self._write_error, None
            raise e

    def finish(self) -> list[tuple[str, int]]:
        """Write the last shard and wait for all; the primary bundle exists even for a site without pages."""
        t0, waited = time.perf_counter(), self.waited
        if self.current is not None or (self.part == 0 and not self.shards):
            if self.current is None:
                self._open()
            self._close_current(background=False)
        self._join()
        self.waited = waited + time.perf_counter() - t0  # the joins inside are part of this wait
        return self.shards

    def close(self) -> None:
        if self.current is not None:
            self.current.close()
            self.current = None
        if self._writing is not None:
            self._writing.join()
            self._writing = None


class SiteSearch:
    """The plugin's search feature: the 搜索 page, one index record per page, the bundles at the end.

    Records go to a ShardedIndex. When item pages are rendered by worker processes
    (pagepool), each worker is a `part` with its own shards; the records of pages
    the main process read before the workers started go to part 0.
    """

    def __init__(self):
        self.sink: ShardedIndex | None = None
        self.catalog = None
        self.skip: set[str] = set()
        self.df: collections.Counter = collections.Counter()
        self.pending: list[tuple[str, str]] = []
        self.shard_pages = 2500
        self.parts: list[dict] = []
        self.root: str | None = None
        self.busy_before = 0.0  # preparing the records of pages read before the workers started
        self.write_slots = None
        self.numbers: dict[str, int] = {}  # src → page number: items newest first, then other pages
        self.own_words = False  # the words in the site's own index, not in Pagefind (search_words.py)
        self.hot: frozenset[str] = frozenset()  # own index: the words kept as bitmaps
        self.postings: search_words.WordPostings | None = None  # own index: this process's pages' words
        self.shown: search_words.ShownPages | None = None  # own index: what this process's pages' results show
        self._batch: list[tuple[int, str, Item | str, str]] = []

    def on_files(self, files, config, catalog, generated: set[str], *, shard_pages: int, deferred: bool,
                 words_min_pages: int = 1000) -> None:
        from mkdocs.structure.files import File

        self.close()
        self.catalog = catalog
        self.shard_pages = shard_pages
        self.root = os.path.join(config.site_dir, "pagefind")
        if files.get_file_from_path(SEARCH_SRC) is None:
            files.append(File.generated(config, SEARCH_SRC, content=SEARCH_PAGE))
        # Lists, archives and issue tables of contents repeat what the documents say; an
        # editor's own page in their place (a guide, a column's introduction) is searchable.
        self.skip = {src for src in generated if (f := files.get_file_from_path(src)) is None or f.generated_by}
        self.skip |= {SEARCH_SRC, "index.md"}
        self.skip.update(src for src, entry in catalog.by_src.items() if not isinstance(entry, Item))
        items = sorted((e for e in catalog.by_src.values() if isinstance(e, Item)), key=lambda i: i.sort_newest)
        others = sorted(f.src_uri for f in files.documentation_pages()
                        if f.src_uri not in self.skip and f.src_uri not in catalog.by_src)
        self.numbers = {src: n for n, src in enumerate([i.record.src for i in items] + others)}
        self.own_words = len(self.numbers) >= words_min_pages
        self.hot = self._choose_hot(items, config.docs_dir) if self.own_words else frozenset()
        self._fresh_postings()
        self.df = collections.Counter()
        self.pending = []
        self.parts = []
        self.write_slots = None
        if not deferred:  # this process renders every page: index as they come
            self.start_part(0)

    def _fresh_postings(self) -> None:
        self.postings = search_words.WordPostings(self.hot, len(self.numbers)) if self.own_words else None
        self.shown = search_words.ShownPages(os.path.join(self.root, search_words.WORDS_DIR, search_words.DOCS_DIR)) \
            if self.own_words else None
        self._batch = []  # own index: pages waiting (_index_batch)

    @staticmethod
    def _choose_hot(items: list[Item], docs_dir: str) -> frozenset[str]:
        """The hot words of a sample of the items, read from their sources (evenly spread, the
        same sample every build: the same input gives the same index)."""
        from .frontmatter import body_of

        step = max(1, len(items) // search_words.SAMPLE)

        def words():
            for item in items[::step][: search_words.SAMPLE]:
                try:
                    body = body_of(os.path.join(docs_dir, item.record.src))
                except (OSError, UnicodeDecodeError):
                    continue
                yield set(tokens(item.record.title + "\n" + body, unigrams=True))

        return search_words.choose_hot(words())

    def plan_parts(self, shares: list[int]) -> None:
        """Before the workers start: shard size and how many shards may be written at once.

        A worker's last shard is written after its last page, while nothing else runs: a share
        is cut into at least two shards so that the first is written while pages still render.
        Writes in flight at once are bounded by WRITE_BUDGET_MB."""
        import multiprocessing

        largest = max(shares) if shares else 0
        self.shard_pages = max(1, min(self.shard_pages, max(MIN_SHARD_PAGES, -(-largest // 2))))
        slots = max(1, int(WRITE_BUDGET_MB // (self.shard_pages * WRITE_MB_PER_PAGE)))
        self.write_slots = multiprocessing.get_context("fork").BoundedSemaphore(min(slots, len(shares)))

    def start_part(self, part: int) -> None:
        """Open this process's shards (in a worker: after the fork, so the Pagefind pipes are its own)."""
        self.df = collections.Counter()
        self._fresh_postings()  # in a worker, the pages read before it started stay the parent's
        self.busy_before = 0.0  # a worker's own time; the parent's stays the parent's
        if self.own_words:  # nothing for Pagefind: each page's words and shown data go to the own index
            return
        self.sink = ShardedIndex(self.root, part, self.shard_pages, self.write_slots)
        try:
            pending, self.pending = self.pending, []
            for url, content in (pending if part == 0 else ()):
                self.sink.add(url, content)
        except (OSError, SearchIndexError) as e:
            self.close()
            raise PluginError(f"无法建立站内搜索索引：{e}") from None

    def on_page_content(self, html_text: str, page) -> None:
        if self.catalog is None:
            return
        src = page.file.src_uri
        opts = page.meta.get("search")
        if src in self.skip or (isinstance(opts, dict) and opts.get("exclude")):
            return
        t0 = time.perf_counter()
        entry = self.catalog.by_src.get(src)
        if self.own_words:
            number = self.numbers.get(src, -1)
            if number >= 0:  # a page the plan did not number (added later by another plugin) has no words
                self._batch.append((number, page.url, entry if isinstance(entry, Item) else plain_title(page), html_text))
                if len(self._batch) >= OWN_BATCH:
                    self._index_batch()
            return
        if isinstance(entry, Item):
            record = item_record(entry, html_text)
        else:
            record = page_record(plain_title(page), html_text)
        self.df.update(record.title_words)
        self.df.update(record.body_words)
        if self.sink is None:
            self.pending.append((page.url, record.html))  # read before the workers start: part 0 takes it
            self.busy_before += time.perf_counter() - t0
            return
        self.sink.busy += time.perf_counter() - t0
        try:
            self.sink.add(page.url, record.html)
        except (OSError, SearchIndexError) as e:
            raise PluginError(f"无法建立站内搜索索引：{e}") from None

    def _index_batch(self, last: bool = False) -> None:
        """Own index: the words and shown data of the pages waiting (with `last`, the shown data
        left over is written too). Done a batch at a time: between pages, rendering pushes the
        index's tables out of the processor's caches (a page at a time cost about 0.4 s more
        processor time on 2,000 items)."""
        t0 = time.perf_counter()
        batch, self._batch = self._batch, []
        try:
            for number, url, entry, html_text in batch:
                if isinstance(entry, Item):
                    record = item_record(entry, html_text, own_words=True)
                else:
                    record = page_record(entry, html_text, own_words=True)
                self.postings.add(number, record.title_words, record.body_words)
                self.shown.add(number, url, record.shown)
            if last:
                self.shown.flush()
        except OSError as e:  # the site folder cannot be written: a build error, not a traceback
            raise PluginError(f"无法建立站内搜索索引：{e}") from None
        self.busy_before += time.perf_counter() - t0

    def _own_docs(self) -> dict[int, str]:
        """Own index: every page of this process indexed and its shown data written; page number →
        file (nothing without the own index)."""
        if not self.own_words:
            return {}
        self._index_batch(last=True)
        return self.shown.names

    def finish_part(self) -> dict:
        """Write this process's last shard; what the main process needs to publish the bundles."""
        sink, self.sink = self.sink, None
        df, self.df = self.df, collections.Counter()
        docs = self._own_docs()
        words = self.postings.result() if self.postings is not None else None
        self._fresh_postings()
        if sink is None:
            busy, self.busy_before = self.busy_before, 0.0
            return {"shards": [], "pages": len(docs), "df": df, "busy": busy, "waited": 0.0, "words": words,
                    "docs": docs}
        try:
            shards = sink.finish()
        except (OSError, SearchIndexError) as e:
            sink.close()
            raise PluginError(str(e)) from None
        return {"shards": shards, "pages": sink.pages, "df": df, "busy": sink.busy, "waited": sink.waited,
                "words": words, "docs": docs}

    def add_part(self, result: dict) -> None:
        self.parts.append(result)  # the shards' order is their names' (_shard_order)

    def on_post_build(self, config) -> None:
        if self.catalog is None:
            return
        t0 = time.perf_counter()
        if self.sink is not None:
            self.add_part(self.finish_part())
        parts = self.parts
        shards = [name for r in parts for name, n in r["shards"] if name]
        own = self._own_docs()
        pages = sum(r["pages"] for r in parts) + len(own)
        df: collections.Counter = collections.Counter()
        for r in parts:
            df.update(r["df"])
        df.update(self.df)  # pages this process read for the workers' part 0
        os.makedirs(self.root, exist_ok=True)
        shards = sorted(shards, key=_shard_order)
        words = None
        if self.postings is not None:
            docs = dict(own)
            for r in parts:
                docs.update(r["docs"])
            postings = [r["words"] for r in parts if r.get("words")] + [self.postings.result()]
            words = search_words.write(self.root, self.hot, len(self.numbers), postings, self._filters(), docs)
        write_common(self.root, df, pages, words=words)
        with open(os.path.join(self.root, SHARDS_FILE), "w", encoding="utf-8") as fh:
            json.dump({"shards": [s + "/" for s in shards]}, fh, separators=(",", ":"))
        self.catalog = None
        waited = time.perf_counter() - t0
        busy = sum(r["busy"] for r in parts) + self.busy_before
        # Time the build spent on search: preparing records while pages render, then
        # waiting for Pagefind to write the shards (it indexes alongside the build).
        log.info("gazette-timing " + json.dumps({
            "feature": "search", "seconds": round(busy + waited + sum(r["waited"] for r in parts), 2),
            "pages": pages, "shards": 0 if self.own_words else len(shards) + 1, "prepare": round(busy, 2),
            "write": round(waited + sum(r["waited"] for r in parts), 2)}))
        self.busy_before = 0.0

    def _filters(self) -> dict[tuple[str, str], list[int]]:
        """(key, value) → page numbers, for the own index's filters (as Pagefind's filters)."""
        out: dict[tuple[str, str], list[int]] = collections.defaultdict(list)
        for src, number in self.numbers.items():
            entry = self.catalog.by_src.get(src)
            filters = item_filters(entry) if isinstance(entry, Item) else PAGE_FILTERS
            for key, values in filters.items():
                for value in values:
                    if value:
                        out[key, value].append(number)
        return out

    def close(self) -> None:
        if self.sink is not None:
            self.sink.close()
            self.sink = None


def _shard_order(name: str) -> tuple[int, int]:
    _, part, n = name.split("-")
    return int(part), int(n)
