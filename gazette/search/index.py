"""Full-text search built by `mkdocs build`: the 搜索 page and every searchable page's words.

Nothing is segmented (a dictionary cuts 征地拆迁 one way in a page and another way in a
query): every run of Han characters is indexed as its overlapping bigrams and as its single
characters, and the browser turns the query into the same bigrams (a one-character query into
that character), then checks each result it shows against what was typed.

Words are short ASCII codes (3 base-32 digits per character); other words (letters, digits)
get a "z" in front, a letter the codes never use. A 文号 also gets one hashed word, on its own
document's title and on every page citing it, so a 文号 typed any of three ways finds its
document first. Pages get their words while MkDocs renders them (in the render workers too);
words.py writes the index. search.js mirrors `fold`, `tokens`, `doc_key` and `docnumber.normalise_query`.

Traditional characters are folded to simplified ones in the index words and in the query alike
(食品藥品 and 食品药品 are the same words), with OpenCC's character table (data/t2s-chars.txt, made
by tools/make_t2s_table.py); the browser gets the part of the table for the characters on the
site (`browser_folding`, in the manifest). Results show the text as written.
"""

from __future__ import annotations

import collections
import html
import itertools
import json
import logging
import operator
import os
import re
import time
import unicodedata

from markupsafe import Markup
from mkdocs.exceptions import PluginError

from gazette.model.catalog import Item
from gazette.safety import textnorm
from gazette.search import abbreviations
from gazette.search import words as search_words

log = logging.getLogger("mkdocs.plugins.gazette")

HAN_LO = 0x3400  # CJK Extension A to the end of Unified Ideographs (U+9FFF): 27,648 < 32**3 codes
_DIGITS = "0123456789abcdefghijklmnopqrstuv"
_WORD = re.compile(r"[0-9a-z]+")
_BIGRAM = re.compile(r"(?=([\u3400-\u9fff]{2}))")
_LONE_HAN = re.compile(r"(?<![\u3400-\u9fff])[\u3400-\u9fff](?![\u3400-\u9fff])")
_BLOCK = re.compile(r"</?(?:p|div|h[1-6]|li|ol|ul|dl|dt|dd|td|th|tr|table|thead|tbody|caption|blockquote|pre"
                    r"|section|br|hr|figure)\b[^>]*>", re.I)
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
    t = _SPACES.sub(" ", _SPACE_IN_HAN.sub("", t))  # once for the page, not once a line
    return "\n".join(filter(None, map(str.strip, t.split("\x00"))))


def _is_han(ch: str) -> bool:
    return "\u3400" <= ch <= "\u9fff"


def _t2s_table() -> dict[str, str]:
    """Traditional → simplified for the indexed characters (OpenCC's character table), followed to
    its end (薴 → 苧 → 苎) so that folding twice changes nothing; a chain stops before a character
    beyond the indexed block (the index has no word for it)."""
    table = textnorm.t2s_table()
    out = {}
    for t in table:
        if not _is_han(t):
            continue
        s, seen = t, {t}
        while (n := table.get(s)) is not None and _is_han(n) and n not in seen:
            s = n
            seen.add(s)
        if s != t:
            out[t] = s
    return out


T2S = _t2s_table()
_T2S_ORD = str.maketrans(T2S)


def _fold_table() -> dict[int, str]:
    # NFKC one character at a time where it makes a word (full-width letters and digits, compatibility
    # ideographs, radicals, enclosed numbers): normalising whole pages took longer than rendering them.
    # Then traditional → simplified, on what NFKC gives too (a compatibility ideograph, a radical).
    table = {}
    for lo, hi in ((0x2460, 0x24FF), (0x2E80, 0x2FDF), (0x3200, 0x33FF), (0xF900, 0xFAFF), (0xFF00, 0xFFEF)):
        for c in range(lo, hi + 1):
            n = unicodedata.normalize("NFKC", chr(c))
            if n != chr(c) and any(ch.isalnum() for ch in n):
                table[c] = n.translate(_T2S_ORD)
    table.update(_T2S_ORD)
    return table


_FOLD = _fold_table()
_NEEDS_FOLD = re.compile(textnorm._ranges_class(list(_FOLD)))
_NEEDS_T2S = re.compile(textnorm._ranges_class([ord(c) for c in T2S]))


def fold(text: str) -> str:
    """Text as the index words and the query are made of: NFKC where it makes a word, lower case,
    traditional characters as simplified ones (search.js `fold`)."""
    if _NEEDS_FOLD.search(text):
        text = text.translate(_FOLD)
    return text.lower()


def hans(text: str) -> str:
    """Only the traditional characters folded (a 文号 keeps its brackets and width; search.js `hans`)."""
    return text.translate(_T2S_ORD) if _NEEDS_T2S.search(text) else text


def browser_folding(chars: set[str]) -> str:
    """The part of the table a site's browser needs, as pairs of characters (traditional, simplified):
    those whose simplified form is among `chars` (the characters on the site, folded). A query's
    character whose simplified form is not on the site finds nothing however it is folded."""
    return "".join(t + s for t, s in sorted(T2S.items()) if s in chars)


def han_chars(words) -> set[str]:
    """The characters of the single-character index words among `words` (every character on the site is one)."""
    return {chr(HAN_LO + int(w, 32)) for w in words if len(w) == 3 and w[0] != "z"}


class _Codes(dict):
    """The index word of a character or a pair, computed once per build."""

    def __missing__(self, key: str) -> str:
        value = self[key] = "".join(han_code(c) for c in key)
        return value


_CODES = _Codes()
_CHAR_CODES = {chr(c): han_code(chr(c)) for c in range(HAN_LO, 0xA000)}  # every Han character's word


def tokens(text: str, unigrams: bool = False) -> list[str]:
    """Words of a text, each once: the bigrams of every run of Han characters, a run of one
    character by itself, and other words with a "z" in front. With `unigrams` (a page's
    index words) every character is a word by itself too; without, the words a query
    looks up, in the order they come (search.js `tokens`)."""
    if unigrams:  # the index's lists are sorted: order does not matter, a set will do
        return list(index_words(text))
    text = fold(text)
    words = ["z" + w for w in dict.fromkeys(_WORD.findall(text))]
    grams = dict.fromkeys(_BIGRAM.findall(text))
    singles = dict.fromkeys(_LONE_HAN.findall(text))
    return list(map(_CODES.__getitem__, itertools.chain(grams, singles))) + words


def index_words(text: str) -> set[str]:
    """`tokens(text, unigrams=True)` as a set: every Han character, every pair of neighbouring
    ones, and the other words with a "z" in front.

    Each character becomes its code ("" if it is not Han) and each neighbouring pair of codes is
    joined, without a Python step per character (a page's words took a fifth of its build time):
    two Han characters join into their bigram's word, a Han character next to another character
    into its own word (a word anyway), and "" is dropped."""
    text = fold(text)
    codes = list(map(_CHAR_CODES.get, text, itertools.repeat("")))
    found = set(codes)
    found.update(map(operator.add, codes, itertools.islice(codes, 1, None)))
    found.discard("")
    found.update(map("z".__add__, _WORD.findall(text)))
    return found


def doc_key(canonical: str) -> str:
    """One index word for a canonical 文号: its FNV-1a hash in 7 base-32 digits."""
    h = search_words.fnv1a(hans(canonical))
    return "zwh" + "".join(_DIGITS[(h >> shift) & 31] for shift in range(30, -1, -5))


_CITED = re.compile(r"[〔\[（(【［﹝]\s*(\d{4})\s*[〕\]）)】］﹞]\s*(?:第\s*)?(\d+)\s*号")
_AGENCY = re.compile(r"([\u3400-\u9fff]{2,10})\s*$")


def cited_keys(text: str) -> list[str]:
    """doc_key of every 文号 a text cites. Which characters before the bracket are the
    agency is not known, so every ending of 2 to 10 characters counts (了江医保〔2023〕2号
    is cited as 江医保…, 医保… and 了江医保…): a query's own form is always among them."""
    keys: dict[str, None] = {}
    text = hans(text)  # 江府發〔2023〕5號 cites 江府发〔2023〕5号 (one character for one: the same length)
    for m in _CITED.finditer(text):
        before = _AGENCY.search(text, max(0, m.start() - 14), m.start())
        if before is None:
            continue
        run, year, num = before.group(1), int(m.group(1)), int(m.group(2))
        for k in range(2, len(run) + 1):
            keys.setdefault(doc_key(f"{run[-k:]}〔{year}〕{num}号"), None)
    return list(keys)


PageWords = tuple[set[str], set[str], dict[str, str]]  # title words, other words, shown data


def page_words(title: str, body_html: str, meta: dict[str, str], doc_number: str | None = None) -> PageWords:
    """A page's index words (every character a word too): those of its title (the 文号's key among them)
    and the others; and what its result shows (title, 文号, 发布机构, date, kind, readable text)."""
    text = text_of(body_html)
    title_words = index_words(title)
    if doc_number:
        title_words.add(doc_key(doc_number))  # the 文号's own document before the pages citing it
    searched = "\n".join(x for x in (doc_number, meta.get("issuer"), text) if x)  # what a reader sees and types
    body_words = index_words(searched)
    body_words.update(cited_keys(text))
    body_words -= title_words
    shown = {key: value for key, value in {"title": title, **meta, "text": text}.items() if value}
    return title_words, body_words, shown


def item_filters(item: Item) -> dict[str, str]:
    """The search filters of an item: 年份, 公报/政务公开, 栏目, 发布机构, 文种."""
    r = item.record
    gazette = r.kind == "gazette"
    column = r.toc_group if gazette else (item.column.name if item.column is not None else "")
    return {"year": str(r.published.year), "kind": "公报" if gazette else "政务公开", "column": column or "",
            "issuer": r.issuer, "genre": r.genre or ""}


def item_words(item: Item, body_html: str) -> PageWords:
    r, doc = item.record, item.doc_number_text
    meta = {"docno": doc or "", "issuer": r.issuer, "date": r.published.isoformat(), "kind": item_filters(item)["kind"]}
    return page_words(r.title, body_html, meta, doc)


PAGE_FILTERS = {"kind": "其他页面"}  # an editor's page: searchable, numbered after the documents
SEARCH_SRC = "search/index.md"
PROGRESS_PAGES = 5000
SEARCH_PAGE = "---\ntitle: 搜索\ntemplate: gazette/search.html\n---\n"
BATCH = 256  # pages indexed at a time


class SiteSearch:
    """The plugin's search feature: the 搜索 page, the words and shown data of every page, the index at the end.

    Searchable pages are numbered before any is rendered: the items newest first, then the
    other pages, so that a list of page numbers is in date order and the title matches of a
    query come newest first, with the editors' own pages after the documents. When item pages
    are rendered by worker processes, each worker indexes its share (start_worker, finish_worker)
    and the main process writes the index from every share (finish).
    """

    def __init__(self):
        self.catalog = None
        self.root: str | None = None  # the index folder in the (staged) site
        self.skip: set[str] = set()
        self.numbers: dict[str, int] = {}  # src → page number
        self.hot: frozenset[str] = frozenset()  # the words kept as bitmaps
        self.parts: list[dict] = []  # the workers' shares
        self.start_worker()

    def on_files(self, files, config, catalog, generated: set[str]) -> None:
        from mkdocs.structure.files import File

        self.catalog = catalog
        self.root = os.path.join(config.site_dir, search_words.INDEX_DIR)
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
        self.hot = self._choose_hot(items, config.docs_dir)
        self.parts = []
        self.start_worker()

    @staticmethod
    def _choose_hot(items: list[Item], docs_dir: str) -> frozenset[str]:
        """The hot words of a sample of the items, read from their sources (evenly spread, the
        same sample every build: the same input gives the same index). The bodies are read again:
        the loader does not keep them, and every worker needs the hot words before its first page."""
        from gazette.content.frontmatter import body_of

        samples = []
        for item in items[::max(1, len(items) // search_words.SAMPLE)][:search_words.SAMPLE]:
            try:
                body = body_of(os.path.join(docs_dir, item.record.src))
            except (OSError, UnicodeDecodeError):
                continue
            samples.append(index_words(item.record.title + "\n" + body))
        return search_words.choose_hot(samples)

    def start_worker(self) -> None:
        """A fresh share of pages (in a worker, after the fork: the pages before it are the parent's)."""
        self.postings = search_words.WordPostings(self.hot, len(self.numbers))
        self.shown = search_words.ShownPages(os.path.join(self.root or "", search_words.SHOWN_DIR))
        self.busy = 0.0  # seconds spent on this share's words and shown data
        self._batch: list[tuple[int, str, Item | str, str]] = []  # pages waiting (_index_batch)

    def on_page_content(self, html_text: str, page) -> None:
        if self.catalog is None:
            return
        src = page.file.src_uri
        opts = page.meta.get("search")
        if src in self.skip or (isinstance(opts, dict) and opts.get("exclude")):
            return
        number = self.numbers.get(src, -1)
        if number < 0:  # a page the plan did not number (added later by another plugin) has no words
            return
        entry = self.catalog.by_src.get(src)
        if not isinstance(entry, Item):  # the plugin hands Material titles as escaped HTML (Markup)
            entry = page.title.unescape() if isinstance(page.title, Markup) else str(page.title or "")
        self._batch.append((number, page.url, entry, html_text))
        if len(self._batch) >= BATCH:
            self._index_batch()

    def _index_batch(self, last: bool = False) -> None:
        """The words and shown data of the pages waiting (with `last`, the shown data left over
        is written too). A batch at a time: between pages, rendering pushes the index's tables
        out of the processor's caches (a page at a time cost 0.4 s more on 2,000 items)."""
        t0 = time.perf_counter()
        batch, self._batch = self._batch, []
        try:
            for number, url, entry, html_text in batch:
                title_words, body_words, shown = (item_words(entry, html_text) if isinstance(entry, Item)
                                                  else page_words(entry, html_text, {"kind": "页面"}))
                self.postings.add(number, title_words, body_words)
                self.shown.add(number, url, shown)
            if last:
                self.shown.flush()
        except OSError as e:  # the site folder cannot be written: a build error, not a traceback
            raise PluginError(f"无法建立站内搜索索引：{e}") from None
        self.busy += time.perf_counter() - t0

    def finish_worker(self) -> dict:
        """This share's pages indexed: their words, and page number → file of their shown data."""
        self._index_batch(last=True)
        result = {"busy": self.busy, "words": self.postings, "shown": self.shown.names}
        self.start_worker()
        return result

    def merge(self, result: dict) -> None:
        self.parts.append(result)

    def finish(self, site_dir: str) -> None:
        """The index from every share, into the staged site (its folder was set by on_files)."""
        if self.catalog is None:
            return
        parts = self.parts + [self.finish_worker()]
        t0 = time.perf_counter()
        shown = {number: name for r in parts for number, name in r["shown"].items()}
        if len(shown) >= PROGRESS_PAGES:  # tens of seconds on a large site: say what the build is doing
            log.info(f"站内搜索：正在写出 {len(shown):,} 个页面的词语索引")
        chars = han_chars(itertools.chain.from_iterable(
            itertools.chain(r["words"].lists, r["words"].bits) for r in parts))
        try:
            search_words.write(self.root, self.hot, len(self.numbers), [r["words"] for r in parts],
                               self._filters(shown), shown, abbreviations.load(), browser_folding(chars))
        except OSError as e:
            raise PluginError(f"无法写入站内搜索索引：{e}") from None
        self.abandon()
        busy, written = sum(r["busy"] for r in parts), time.perf_counter() - t0
        if len(shown) >= PROGRESS_PAGES:
            log.info(f"站内搜索：词语索引已写出（{written:.0f} 秒）")
        log.debug("gazette-timing " + json.dumps({
            "feature": "search", "seconds": round(busy + written, 2), "pages": len(shown),
            "prepare": round(busy, 2), "write": round(written, 2)}))

    def _filters(self, indexed) -> dict[tuple[str, str], list[int]]:
        """(key, value) → the numbers of the pages indexed that have it (an excluded page counts nowhere)."""
        out: dict[tuple[str, str], list[int]] = collections.defaultdict(list)
        for src, number in self.numbers.items():
            if number in indexed:
                entry = self.catalog.by_src.get(src)
                for key, value in (item_filters(entry) if isinstance(entry, Item) else PAGE_FILTERS).items():
                    if value:
                        out[key, value].append(number)
        return out

    def abandon(self) -> None:
        """After the build, or a failed one: nothing is held open, the staged folder goes with the build."""
        self.catalog = None
        self.parts = []
        self._batch = []
