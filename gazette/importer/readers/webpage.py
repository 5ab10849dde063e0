"""A saved web page (.html/.htm) of an old government site, as located lines.

The page is decoded as a browser would, parsed with lxml (which keeps each element's source line),
the article found by trafilatura, and each paragraph placed back on the line of the HTML file where
its text starts. The 信息表 (the metadata table above an article) becomes `Source.stated`, links to
attachment files become `Source.attachments` (never fetched), and text the page hides is kept but
reported, since hidden text is where spam is injected on hijacked sites.
"""

from __future__ import annotations

import codecs
import html.parser
from bisect import bisect_right
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

import lxml.html
from lxml import etree

from ..source import INFO_LABELS as LABELS, Attachment, Line, Source, SourceError

MAX_BYTES = 50 * 1024 * 1024  # a saved article page is well under 1 MB; 50 MB is not a page
FLAT_DEPTH = 512  # nesting kept when a page is deeper than libxml2 reads (2048 with huge_tree)
BIG_LINE = 65535  # libxml2 stores source lines in 16 bits: from here on sourceline is not the line

# Every 信息表 label an old site may print, spaces and colon removed, → the content format's key.
# Data, not code: a new site's variant is one more entry.
COLONS = "：:"
ATTACHMENT_TYPES = (".pdf", ".doc", ".docx", ".xls", ".xlsx", ".zip", ".wps", ".ofd")
SKIPPED = {"script", "style", "template", "head", "title", "noscript", "iframe", "object", "embed", "svg", "math"}
BLOCKS = {"p", "div", "li", "td", "th", "h1", "h2", "h3", "h4", "h5", "h6", "dd", "dt", "pre", "blockquote",
          "section", "article", "center", "table", "tr", "ul", "ol", "dl", "form", "header", "footer", "nav",
          "main", "aside", "figure", "figcaption", "address", "tbody", "thead", "tfoot", "caption"}
HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
HIDING_CLASSES = {"hidden", "hide", "d-none", "display-none", "is-hidden"}
HTML_TAGS = {"html", "head", "body", "title", "meta", "div", "p", "table", "span", "a", "br", "script", "style",
             "link", "h1", "h2", "h3", "ul", "li", "td", "tr", "font", "center", "form", "img", "b", "strong"}
MARK = "data-gazette-drop"  # set on the 信息表 before trafilatura, which is told to prune it

# WHATWG's encoding labels, for the ones old Chinese sites use; a GBK page is decoded as GB18030,
# its superset, exactly as a browser does.
ENCODINGS = {
    **dict.fromkeys(["gb2312", "gbk", "x-gbk", "gb_2312-80", "gb_2312", "chinese", "csgb2312", "iso-ir-58",
                     "gb18030", "cp936", "windows-936", "ms936"], "gb18030"),
    **dict.fromkeys(["big5", "big5-hkscs", "x-x-big5", "cn-big5", "csbig5"], "big5hkscs"),
    **dict.fromkeys(["utf-8", "utf8", "unicode-1-1-utf-8", "utf-16", "utf-16le", "utf-16be", "unicode"], "utf-8"),
    **dict.fromkeys(["iso-8859-1", "latin1", "latin-1", "us-ascii", "ascii", "windows-1252", "cp1252"], "cp1252"),
}
MAGIC = [
    (b"%PDF", "PDF文件"), (b"PK\x03\x04", "压缩包或 Word/Excel（.docx/.xlsx）文件"),
    (b"\xd0\xcf\x11\xe0", "旧版 Word/Excel（.doc/.xls）文件"), (b"\x89PNG", "图片"), (b"\xff\xd8\xff", "图片"),
    (b"GIF8", "图片"), (b"Rar!", "压缩包"), (b"7z\xbc\xaf", "压缩包"), (b"\x1f\x8b", "压缩包"),
]


def read(path: str) -> Source:
    """Read a saved web page; `SourceError` (Chinese) when it is not a web page at all."""
    try:
        data = Path(path).read_bytes()
    except OSError as err:
        raise SourceError(f"读不了网页文件 {path}：{err.strerror or err}") from None
    source = Source(path=path)
    text = _decode(data, source)
    return _Page(text, source).read()


# ---------------------------------------------------------------- decoding


class _Prescan(html.parser.HTMLParser):
    """The start of a page: its declared encoding and whether it has any HTML tag at all."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.charset: str | None = None
        self.tags = 0

    def handle_starttag(self, tag, attrs):
        if tag in HTML_TAGS:
            self.tags += 1
        if tag == "meta" and self.charset is None:
            attrs = {k: (v or "") for k, v in attrs}
            if attrs.get("charset"):
                self.charset = attrs["charset"]
            elif attrs.get("http-equiv", "").lower() == "content-type" and "charset=" in attrs.get("content", "").lower():
                value = attrs["content"]
                self.charset = value[value.lower().index("charset=") + 8:].split(";")[0]

    def handle_pi(self, data):  # <?xml version="1.0" encoding="gb2312"?> on XHTML pages
        low = data.lower()
        if self.charset is None and low.startswith("xml") and "encoding=" in low:
            self.charset = low[low.index("encoding=") + 9:].split()[0]


def _prescan(head: str) -> _Prescan:
    scan = _Prescan()
    try:
        for start in range(0, len(head), 2048):
            scan.feed(head[start:start + 2048])
            if scan.tags and scan.charset:
                break
    except Exception:  # html.parser is lenient; whatever it chokes on, the page is judged on what it saw
        pass
    return scan


# Other single-page encodings a browser decodes (WHATWG's legacy single- and multi-byte ones), as
# Python's codec names. A label is looked up only among these: Python also knows codecs no browser
# has (utf-7, unicode_escape, rot13, zlib…), which would make of the page's text markup the browser
# never saw, or are not text codecs at all.
BROWSER_CODECS = {"shift_jis", "euc_jp", "euc_kr", "koi8-r", "koi8-u", "cp866", "mac-roman", "tis-620",
                  *(f"cp{n}" for n in range(1250, 1259)), *(f"iso8859-{n}" for n in range(2, 17))}


def _encoding(label: str | None) -> str | None:
    """The codec a browser decodes a page declared `label` with; None when a browser knows no such
    encoding (it then ignores the declaration, as this reader does)."""
    if not label:
        return None
    label = label.strip().strip("\"'").lower()
    if label in ENCODINGS:
        return ENCODINGS[label]
    try:
        name = codecs.lookup(label).name
    except (LookupError, ValueError):
        return None
    return name if name in BROWSER_CODECS else None


def _decode(data: bytes, source: Source) -> str:
    name = Path(source.path).name
    if len(data) > MAX_BYTES:
        raise SourceError(f"{name} 有 {len(data) // (1024 * 1024)} MB，不像一个网页（上限 {MAX_BYTES // (1024 * 1024)} MB）")
    if not data.strip():
        raise SourceError(f"{name} 是空的，没有网页内容")
    for magic, kind in MAGIC:
        if data.startswith(magic):
            raise SourceError(f"{name} 是{kind}，不是网页；请按它的真实类型导入")
    if data.startswith(codecs.BOM_UTF8):
        encoding, data = "utf-8", data[3:]
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        encoding = "utf-16"
    else:
        if b"\x00" in data[:4096]:
            raise SourceError(f"{name} 是二进制文件，不是网页")
        encoding = None
    head = data[:16384].decode(encoding or "latin-1", errors="replace")
    scan = _prescan(head)
    if not scan.tags:
        raise SourceError(f"{name} 里没有网页标记（HTML 标签），不像网页；纯文本请按文本导入")
    declared = encoding or _encoding(scan.charset)
    if not encoding and scan.charset and not declared:
        source.problems.append((0, f"网页声明的编码「{scan.charset[:40]}」不是浏览器认得的网页编码，已忽略这个声明，"
                                   "按内容判断编码读取，请核对文字"))
    tried = [declared] if declared else []
    tried += [e for e in ("utf-8", "gb18030", "big5hkscs") if e not in tried]
    for candidate in tried:
        try:
            text = data.decode(candidate)
        except UnicodeDecodeError:
            continue
        if declared and candidate != declared:
            source.problems.append((0, f"网页声明的编码是 {scan.charset}，但内容要按 {candidate} 才读得通，已按 {candidate} 读取，请核对文字"))
        break
    else:
        candidate = declared or "gb18030"  # a Chinese browser's default for an undeclared page
        text = data.decode(candidate, errors="replace")
        source.problems.append((0, f"网页里有按 {candidate} 解不开的字节，显示为“\ufffd”，请核对文字"))
    # A lone CR is a line break to every editor; libxml2 counts only LF.
    return text.replace("\r\n", "\n").replace("\r", "\n")


# ---------------------------------------------------------------- the page


@dataclass
class _Segment:
    text: str  # an element's text or tail, as parsed
    line: int  # the HTML file's line where it starts
    owner: etree._Element  # the element whose content it is (the parent, for a tail)
    hidden: bool
    start: int = 0  # where it begins in the page's flat text (whitespace removed)
    of: etree._Element | None = None  # the element whose tail it is, for a tail


def _squash(text: str) -> str:
    return "".join(text.split())


def _normal(text: str) -> str:
    return " ".join(text.split())


def _is_hidden(el: etree._Element) -> bool:
    if el.get("hidden") is not None:
        return True
    style = el.get("style")
    if style:
        style = _squash(style).lower()
        if "display:none" in style or "visibility:hidden" in style or "font-size:0;" in style + ";" \
                or "font-size:0px" in style:
            return True
    cls = el.get("class")
    return bool(cls and HIDING_CLASSES.intersection(cls.lower().split()))


class _Page:
    def __init__(self, text: str, source: Source) -> None:
        self.text = text
        self.source = source
        self.name = Path(source.path).name

    def read(self) -> Source:
        parser = lxml.html.HTMLParser(encoding="utf-8", huge_tree=True, remove_comments=False, remove_pis=True)
        try:
            root = lxml.html.document_fromstring(self.text.encode("utf-8", "surrogatepass"), parser=parser)
        except (etree.ParserError, ValueError) as err:
            raise SourceError(f"{self.name} 无法按网页解析：{err}") from None
        if any("Excessive depth" in e.message for e in parser.error_log):
            # libxml2 stops reading at its nesting limit; read the page again, flattening the excess
            root = _Builder.parse(self.text)
            self.source.problems.append((0, f"网页的标签嵌套超过 {FLAT_DEPTH} 层（常见于被篡改或出错的网页），更深的层次已压平读取，请核对"))
        self.root = root
        self.body = root.find("body")
        if self.body is None:
            self.body = root
        self._index()
        if not self.flat.strip():
            if root.find(".//frame") is not None or root.find(".//iframe") is not None:
                raise SourceError(f"{self.name} 是框架页，正文在它引用的另一个网页文件里；请导入那个文件")
            raise SourceError(f"{self.name} 里没有文字")
        self._find_fields()
        self._index()  # again, without the 信息表 (a body line must not be found in it)
        self._extract()
        return self.source

    # -- the page's text, located

    def _index(self) -> None:
        """Every visible text and tail of the body in document order, with its line and its place in
        the page's flat text (whitespace removed, so trafilatura's normalised text is found in it)."""
        segments: list[_Segment] = []
        spans: dict[etree._Element, tuple[int, int]] = {}  # element → its flat text range
        dropped = getattr(self, "dropped", set())
        flat: list[str] = []
        pos = 0
        line = self.body.sourceline or 1
        hidden_depth = skip_depth = 0
        stack: list[tuple[etree._Element, bool, bool, int]] = []
        for event, el in etree.iterwalk(self.body, events=("start", "end")):
            tag = el.tag if isinstance(el.tag, str) else ""
            if event == "start":
                if not tag:  # a comment or processing instruction: its sourceline is where it ends
                    if el.sourceline and el.sourceline < BIG_LINE:
                        line = max(line, el.sourceline)
                    elif el.text:
                        line += el.text.count("\n")
                    continue
                if el.sourceline and el.sourceline < BIG_LINE:
                    line = max(line, el.sourceline)
                skip = tag in SKIPPED or el in dropped
                hide = _is_hidden(el)
                skip_depth += skip
                hidden_depth += hide
                stack.append((el, skip, hide, pos))
                if el.text:
                    if not skip_depth:
                        squashed = _squash(el.text)
                        if squashed:
                            segments.append(_Segment(el.text, line, el, hidden_depth > 0, pos))
                            flat.append(squashed)
                            pos += len(squashed)
                    line += el.text.count("\n")
                continue
            if not tag:
                owner = el.getparent()
            else:
                _, skip, hide, begin = stack.pop()
                spans[el] = (begin, pos)
                skip_depth -= skip
                hidden_depth -= hide
                owner = el.getparent()
            if el.tail and el is not self.body:
                if not skip_depth:
                    squashed = _squash(el.tail)
                    if squashed:
                        segments.append(_Segment(el.tail, line, owner, hidden_depth > 0, pos, el))
                        flat.append(squashed)
                        pos += len(squashed)
                line += el.tail.count("\n")
        self.segments = segments
        self.starts = [s.start for s in segments]
        self.flat = "".join(flat)
        self.spans = spans

    def _segment_at(self, pos: int) -> tuple[_Segment, int]:
        """The segment holding flat position `pos`, and the line of that character."""
        i = max(0, bisect_right(self.starts, pos) - 1)
        seg = self.segments[i]
        k = pos - seg.start
        newlines = 0
        for ch in seg.text:
            if not ch.isspace():
                if k == 0:
                    break
                k -= 1
            elif ch == "\n":
                newlines += 1
        return seg, seg.line + newlines

    # -- the 信息表

    def _find_fields(self) -> None:
        """Label/value pairs of the 信息表, into `stated`; the table's elements are dropped from the body."""
        found: list[tuple[str, str, int, etree._Element, list[etree._Element]]] = []  # key, value, line, row, elements
        for i, seg in enumerate(self.segments):
            if len(found) >= 60:
                break
            raw = seg.text.strip()
            if not raw or len(raw) > 200:
                continue
            cut = min((raw.find(c) for c in COLONS if c in raw), default=-1)
            label = _squash(raw[:cut] if cut >= 0 else raw).strip("【】[]（）()")
            key = LABELS.get(label)
            if key is None:
                continue
            value = _normal(raw[cut + 1:]) if cut >= 0 else ""
            el = seg.owner
            is_text = seg.of is None  # the label is an element's own text, not a tail
            if value:
                found.append((key, value, seg.line, el, [el]))
                continue
            if cut < 0 and not (is_text and _squash(el.text_content()) == _squash(raw)):
                continue  # a bare label word in running text is not a label
            # The value follows the label: its tail, the label cell's next sibling, or the next text.
            value_el, value, line = None, "", seg.line
            label_el = el if is_text else None
            if label_el is not None and label_el.tail and label_el.tail.strip():
                value, line = _normal(label_el.tail), seg.line
                value_el = label_el.getparent()
            elif label_el is not None and _squash(label_el.text_content()) == _squash(raw):
                probe = label_el
                for _ in range(3):  # <td><b>索引号：</b></td><td>…</td>: climb out of the label's wrapper
                    if probe.getnext() is not None or probe.getparent() is None:
                        break
                    probe = probe.getparent()
                nxt = probe.getnext()
                while nxt is not None and not isinstance(nxt.tag, str):
                    nxt = nxt.getnext()
                if nxt is not None:
                    value = _normal(nxt.text_content())
                    value_el = nxt
                    line = nxt.sourceline or seg.line
                    label_el = probe
            if not value and i + 1 < len(self.segments):
                nseg = self.segments[i + 1]
                value, line, value_el = _normal(nseg.text), nseg.line, nseg.owner
            if not value or LABELS.get(_squash(value).rstrip(COLONS)) or any(
                    LABELS.get(_squash(value[:value.find(c)])) for c in COLONS if c in value):
                continue  # an empty value: the next thing is another label
            row = _common(label_el if label_el is not None else el, value_el)
            found.append((key, value, line, row, [e for e in (label_el, value_el) if e is not None]))
        self.fields = found
        # Fields in a group (a table, a list) are the 信息表; a lone one may be a sentence of the body
        # and is decided once the article is known.
        groups = _groups([f[3] for f in found])
        dropped: set[etree._Element] = set()
        self.lone: list[int] = []
        for group in groups:
            if len(group) < 2:
                self.lone.extend(group)
                continue
            rows = [found[i][3] for i in group]
            box = rows[0]
            for r in rows[1:]:
                box = _common(box, r)
            size = sum(len(_squash(found[i][1])) + 6 for i in group)
            if box is not None and box is not self.body and len(_squash(box.text_content())) <= 1.5 * size + 100:
                dropped.add(box)
            else:
                dropped.update(rows)
            for i in group:
                key, value, line = found[i][:3]
                self.source.stated.setdefault(key, (value, line))
        self.dropped = dropped
        for el in dropped:
            el.set(MARK, "1")

    # -- the article

    def _extract(self) -> None:
        import trafilatura

        hidden = [el for el in self.body.iter() if isinstance(el.tag, str) and _is_hidden(el)]
        for el in hidden:  # trafilatura discards hidden elements; they must be seen, so unhide them
            for attr in ("hidden", "style", "class"):
                el.attrib.pop(attr, None)
        try:
            doc = trafilatura.bare_extraction(
                self.root, fast=True, favor_recall=True, include_tables=True, include_comments=False,
                include_images=False, include_links=False, with_metadata=False, deduplicate=False,
                prune_xpath=f"//*[@{MARK}]")
        except Exception:  # trafilatura gives up on odd trees; the fallback below reads the page whole
            doc = None
        body = getattr(doc, "body", None)
        blocks = list(_blocks(body)) if body is not None else []
        placed: list[tuple[int, int, Line, _Segment | None]] = []  # flat start, end, line, segment
        self._place(blocks, placed)
        if placed:
            box = self._bulk(placed)
            self._fill(box, placed)
        else:
            box = self.body
            self._fill(box, placed, everything=True)
            if placed:
                self.source.problems.append((0, "没能认出网页的正文，整页的文字都读入了，请删去不属于文件的部分"))
        self._title(placed)
        placed.sort(key=lambda p: p[0])
        self._lone_fields(placed)
        for _, _, line, seg in placed:
            if seg is not None and seg.hidden:
                self.source.problems.append((line.at, f"隐藏的文字：{line.text[:60]}"))
        self.source.lines = [p[2] for p in placed]
        self._hidden_links(hidden, placed)
        self._attachments(box)

    def _hidden_links(self, hidden, placed) -> None:
        """Hidden links to other sites outside the article: the usual trace of a hijacked page
        (menus hidden until hovered link to the site itself or to other government sites)."""
        hidden_links = {a for el in hidden for a in el.iter("a")}
        own = {_host(a.get("href")) for a in self.body.iter("a") if a not in hidden_links}
        own.update(_host(el.get("href")) for el in self.root.iter("base", "link"))
        reported = set()
        for el in hidden:
            if any(anc in reported for anc in el.iterancestors()):
                continue
            lo, hi = self.spans.get(el, (0, 0))
            if any(p[0] < hi and p[1] > lo for p in placed):
                continue  # its text is a line, already reported as hidden
            foreign = [a for a in el.iter("a") if _host(a.get("href")) not in own | {""}
                       and not _host(a.get("href")).endswith(".gov.cn")]
            if foreign:
                reported.add(el)
                text = _normal(el.text_content())[:60] or _host(foreign[0].get("href"))
                self.source.problems.append(
                    (el.sourceline or 0, f"隐藏的链接（可能是被植入的垃圾链接）：{text}"))

    def _place(self, blocks, placed) -> None:
        """Find each extracted line in the page: long lines first (they are unique), then the short
        ones between them, so a short line is not matched in a menu above the article."""
        spots: list[tuple[int, int] | None] = [None] * len(blocks)
        cursor = 0
        for i, (key, _) in enumerate(blocks):
            if len(key) >= 15:
                at = self.flat.find(key, cursor)
                if at < 0:
                    at = self.flat.find(key)
                if at >= 0:
                    spots[i] = (at, at + len(key))
                    cursor = at + len(key)
        for i, (key, _) in enumerate(blocks):
            if spots[i] is not None or not key:
                continue
            lo = next((s[1] for s in reversed(spots[:i]) if s), 0)
            hi = next((s[0] for s in spots[i + 1:] if s), len(self.flat))
            at = self.flat.find(key, lo, max(hi, lo + len(key)))
            if at < 0:
                at = self.flat.find(key[:12], lo)
            if at < 0:
                at = self.flat.find(key[:12])
            if at >= 0:
                spots[i] = (at, at + len(key))
        last_line, last_pos = 1, 0
        for (key, line), spot in zip(blocks, spots):
            if spot is None:  # trafilatura changed the text: keep it where the previous line was
                line.at = last_line
                placed.append((last_pos, last_pos, line, None))
                continue
            seg, line.at = self._segment_at(spot[0])
            last_line, last_pos = line.at, spot[0]
            placed.append((spot[0], spot[1], line, seg))

    def _bulk(self, placed) -> etree._Element:
        """The article: the deepest element holding 80 % of the extracted text (trafilatura may
        also take a stray footer line, which must not make the whole page the article)."""
        weight: dict[etree._Element, int] = {}
        depth: dict[etree._Element, int] = {}
        total = 0
        for lo, hi, _, seg in placed:
            if seg is None:
                continue
            total += hi - lo
            chain = _ancestors(seg.owner)
            for d, el in enumerate(reversed(chain)):
                weight[el] = weight.get(el, 0) + hi - lo
                depth[el] = d
        best, best_depth = self.body, -1
        for el, w in weight.items():
            if w >= 0.8 * total and depth[el] > best_depth:
                best, best_depth = el, depth[el]
        return best

    def _fill(self, box, placed, everything: bool = False) -> None:
        """Add back what trafilatura dropped inside the article (a short 落款, the date, an 附件 line):
        each text block of the article that no line covers. Only when the article box is mostly the
        extracted text, so a box that is the whole page does not bring its menus in."""
        covered = sum(p[1] - p[0] for p in placed)
        span = self.spans.get(box, (0, len(self.flat)))
        if not everything and (span[1] - span[0]) > 2 * covered + 500:
            return
        taken = sorted((p[0], p[1]) for p in placed)
        starts = [t[0] for t in taken]
        for el in _leaf_blocks(box, self.dropped, skip_chrome=everything):
            lo, hi = self.spans.get(el, (0, 0))
            if hi <= lo:
                continue
            j = bisect_right(starts, hi) - 1
            overlap = 0
            while j >= 0 and taken[j][1] > lo:
                overlap += min(hi, taken[j][1]) - max(lo, taken[j][0])
                j -= 1
            if overlap * 2 >= hi - lo:
                continue
            pos = lo
            for piece in _text_with_breaks(el).split("\n"):
                piece = _normal(piece)
                key = _squash(piece)
                if not key:
                    continue
                at = self.flat.find(key, pos, hi)
                at = at if at >= 0 else pos
                seg, where = self._segment_at(at)
                level = int(el.tag[1]) if el.tag in HEADINGS else 0
                placed.append((at, at + len(key), Line(piece, where, heading=level), seg))
                pos = at + len(key)

    def _title(self, placed) -> None:
        """The article's heading, which trafilatura leaves out: the nearest h1–h3 just above it."""
        if not placed:
            return
        first = min(p[0] for p in placed)
        best = None
        for el in self.body.iter("h1", "h2", "h3"):
            span = self.spans.get(el)
            if span and span[1] > span[0] and span[1] <= first and first - span[1] <= 400:
                if best is None or span[0] > self.spans[best][0]:
                    best = el
        if best is None:
            return
        text = _normal(best.text_content())
        lo, hi = self.spans[best]
        if any(p[0] < hi and p[1] > lo for p in placed):
            return
        seg, where = self._segment_at(lo)
        placed.append((lo, hi, Line(text, where, heading=int(best.tag[1])), seg))

    def _lone_fields(self, placed) -> None:
        """A lone label field outside the article is page metadata; inside it, it is the document's."""
        for i in self.lone:
            key, value, line, row, _ = self.fields[i]
            span = self.spans.get(row)
            inside = span and any(p[0] < span[1] and p[1] > span[0] for p in placed if p[1] > p[0])
            if not inside:
                self.source.stated.setdefault(key, (value, line))

    def _attachments(self, box) -> None:
        """Links to attachment files in the article and just below it (an 附件 list); not fetched."""
        region = [box]
        sib = box.getnext()
        while sib is not None and len(region) < 4 and box is not self.body:
            if isinstance(sib.tag, str):
                region.append(sib)
            sib = sib.getnext()
        seen = set()
        for part in region:
            for a in part.iter("a"):
                href = (a.get("href") or "").strip()
                path = unquote(urlsplit(href).path) if href else ""
                if not path.lower().endswith(ATTACHMENT_TYPES) or href in seen:
                    continue
                seen.add(href)
                name = _normal(a.text_content()) or path.rsplit("/", 1)[-1]
                self.source.attachments.append(Attachment(name=name, data=None, at=a.sourceline or 0))


class _Builder(html.parser.HTMLParser):
    """A tree for a page nested deeper than libxml2 reads: tags below FLAT_DEPTH are ignored (their
    text stays, in the deepest element kept), source lines set from the tokenizer."""

    VOID = {"br", "img", "meta", "link", "input", "hr", "area", "base", "col", "embed", "param", "source",
            "track", "wbr"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = lxml.html.html_parser.makeelement("html")
        self.root.sourceline = 1
        self.stack = [self.root]
        self.excess = 0

    @classmethod
    def parse(cls, text: str):
        builder = cls()
        builder.feed(text)
        builder.close()
        root = builder.root
        if root.find("body") is None:  # the reader and trafilatura both look for <body>
            body = etree.SubElement(root, "body")
            for child in [c for c in root if c is not body and c.tag != "head"]:
                body.append(child)
        return root

    def handle_starttag(self, tag, attrs):
        if tag in ("html",):
            return
        if len(self.stack) >= FLAT_DEPTH and tag not in self.VOID:
            self.excess += 1
            return
        try:
            el = etree.SubElement(self.stack[-1], tag, {k: v or "" for k, v in attrs if k.isidentifier()})
        except (ValueError, TypeError):
            el = etree.SubElement(self.stack[-1], "span")
        el.sourceline = min(self.getpos()[0], BIG_LINE)
        if tag not in self.VOID:
            self.stack.append(el)

    def handle_endtag(self, tag):
        if self.excess and tag not in self.VOID:
            self.excess -= 1
            return
        for i in range(len(self.stack) - 1, max(0, len(self.stack) - 20), -1):
            if self.stack[i].tag == tag:
                del self.stack[i:]
                return

    def handle_data(self, data):
        parent = self.stack[-1]
        if len(parent):
            parent[-1].tail = (parent[-1].tail or "") + data
        else:
            parent.text = (parent.text or "") + data


def _blocks(body):
    """trafilatura's output as (flat key, Line): a paragraph split at its line breaks, each list
    item, a heading with its level, a data table with its rows; a layout table (old sites set the
    whole page in one) is read as the paragraphs in its cells."""
    buffer: list[str] = []

    def flush(heading: int = 0):
        for piece in "".join(buffer).split("\n"):
            piece = _normal(piece)
            if piece:
                yield _squash(piece), Line(piece, 0, heading=heading)
        buffer.clear()

    def flow(el, heading: int = 0):
        if el.text:
            buffer.append(el.text)
        for child in el:
            tag = child.tag
            if tag == "lb":
                buffer.append("\n")
            elif tag == "table":
                yield from flush(heading)
                yield from table(child)
            elif tag == "list":
                yield from flush(heading)
                for item in child.iter("item"):
                    text = _normal("".join(_own_text(item)))
                    if text:
                        yield _squash(text), Line(text, 0)
            elif tag in FLOW_BLOCKS:
                yield from flush(heading)
                level = heading
                if tag == "head":
                    rend = child.get("rend") or "h2"
                    level = int(rend[1]) if len(rend) == 2 and rend[1].isdigit() else 2
                yield from flow(child, level)
                yield from flush(level)
            else:  # inline: hi, ref, span…
                yield from flow(child, heading)
            if child.tail:
                buffer.append(child.tail)

    def table(el):
        rows = []
        layout = False
        for row in el.iter("row"):
            cells = [c for c in row if c.tag == "cell"]
            texts = [_normal("".join(c.itertext())) for c in cells]
            if any(c.find(".//p") is not None or c.find(".//list") is not None or c.find(".//table") is not None
                   or c.find(".//lb") is not None or c.find(".//head") is not None for c in cells) \
                    or any(len(t) > 200 for t in texts):
                layout = True
            if any(texts):
                rows.append((cells, texts))
        if layout or all(len(texts) <= 1 for _, texts in rows):
            for cells, _ in rows:
                for cell in cells:
                    yield from flow(cell)
                    yield from flush()
            return
        if rows:
            cells = [t for _, texts in rows for t in texts if t]
            yield _squash(cells[0]), Line("\n".join(cells), 0, rows=[texts for _, texts in rows])

    yield from flow(body)
    yield from flush()


FLOW_BLOCKS = {"p", "head", "quote", "code", "div", "item", "cell", "row"}


def _own_text(item):
    """A list item's text without its nested lists (they are items of their own)."""
    if item.text:
        yield item.text
    for child in item:
        if child.tag != "list":
            yield from child.itertext()
        if child.tail:
            yield child.tail


def _text_with_breaks(el) -> str:
    """An HTML element's visible text, a <br> as a line break."""
    parts = []
    for event, node in etree.iterwalk(el, events=("start", "end")):
        tag = node.tag if isinstance(node.tag, str) else ""
        if event == "start":
            if tag in SKIPPED or not tag:
                continue
            if tag == "br":
                parts.append("\n")
            elif node.text:
                parts.append(node.text)
        elif node is not el and node.tail:
            parts.append(node.tail)
    return "".join(parts)


def _leaf_blocks(box, dropped, skip_chrome: bool = False):
    """Block elements of `box` that hold no other block: the paragraphs of a page as laid out."""
    stack: list[list] = []  # [element, has block inside, skipped]
    for event, el in etree.iterwalk(box, events=("start", "end")):
        tag = el.tag if isinstance(el.tag, str) else ""
        if not tag:
            continue
        if event == "start":
            skip = (tag in SKIPPED or el in dropped or (skip_chrome and tag in {"nav", "header", "footer"})
                    or bool(stack and stack[-1][2]))
            if stack and tag in BLOCKS:
                stack[-1][1] = True
            stack.append([el, False, skip])
            continue
        _, inner, skip = stack.pop()
        if tag in BLOCKS and not inner and not skip:
            yield el


def _host(href: str | None) -> str:
    try:
        return (urlsplit((href or "").strip()).hostname or "").lower()
    except ValueError:
        return ""


def _ancestors(el) -> list:
    chain = [el]
    chain.extend(el.iterancestors())
    return chain


def _common(a, b):
    """The nearest element holding both."""
    if b is None or a is b:
        return a
    mine = set(_ancestors(a))
    for el in _ancestors(b):
        if el in mine:
            return el
    return None


def _groups(rows: list) -> list[list[int]]:
    """Fields whose rows sit within three levels of a shared element are one table."""
    near = []
    for row in rows:
        chain = [row]
        for up in row.iterancestors():
            if len(chain) == 4 or up.tag in {"body", "html"}:
                break
            chain.append(up)
        near.append(set(chain))
    parent = list(range(len(rows)))

    def find(i):
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i in range(len(rows)):
        for j in range(i + 1, len(rows)):
            if near[i] & near[j]:
                parent[find(i)] = find(j)
    groups: dict[int, list[int]] = {}
    for i in range(len(rows)):
        groups.setdefault(find(i), []).append(i)
    return list(groups.values())
