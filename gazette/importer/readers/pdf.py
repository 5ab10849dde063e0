"""PDF files: pdfplumber's characters made into lines, the lines into paragraphs.

A PDF has no paragraphs, only positioned glyphs. Lines are built from the characters (pdfplumber's
word spacing would put spaces between Chinese characters of justified text), the running header,
footer and page numbers are dropped, and the lines the layout broke inside a paragraph are joined
again. A PDF without text (a scan) is reported, never guessed at.
"""

from __future__ import annotations

import logging
import re
import statistics
import unicodedata
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from ..source import Line, Source, SourceError

MAX_FILE = 200 * 1024 * 1024
MAX_PAGES = 3000
MAX_CHARS_PER_PAGE = 100_000

SCANNED = "扫描件：这个 PDF 没有文字层（页面只是图像），无法读取其中的文字；请先做文字识别（OCR），再导入识别后的文件"

# Chromium (Skia) and other PDF writers map a glyph a CJK font shares between a radical and an
# ideograph to the radical: "人民" is extracted as "⼈⺠". Kangxi radicals fold back by NFKC; the
# radicals supplement has no decomposition, so its equivalents (Unicode's
# EquivalentUnifiedIdeograph, as the Noto CJK fonts share the glyphs) are listed here.
_SUPPLEMENT = ("⺂乛⺃乚⺅亻⺇𠘨⺉刂⺋㔾⺍𭕄⺎兀⺏尣⺐尢⺒巳⺓幺⺔彑⺕彐⺖忄⺘扌⺙攵⺛旡⺞歺⺟母⺠民⺡氵⺣灬⺤爫⺦丬⺨犭⺩𤣩"
               "⺫罒⺭礻⺮𥫗⺯糹⺰纟⺱罓⺲罒⺳㓁⺹耂⺺肀⺽𦥑⺾艹⺿艹⻀艹⻁虎⻂衤⻃覀⻄西⻅见⻆角⻇𧢲⻈讠⻉贝⻊𧾷⻋车⻌辶⻍辶"
               "⻎辶⻐钅⻑長⻒镸⻓长⻔门⻕𨸏⻖阝⻘青⻙韦⻚页⻛风⻜飞⻝食⻞𩙿⻟飠⻠饣⻡𩠐⻢马⻣骨⻤鬼⻥鱼⻦鸟⻧卤⻨麦⻩黄⻪黾⻫斉"
               "⻬齐⻭歯⻮齿⻯竜⻰龙⻱龜⻲亀⻳龟")
_RADICALS = {ord(_SUPPLEMENT[i]): _SUPPLEMENT[i + 1] for i in range(0, len(_SUPPLEMENT), 2)}
# The same for the dash: fonts draw "—" (U+2014, the dash of GB 18030) and "―" (U+2015, the dash
# of Windows' GBK) with one glyph, and the writer may name either; Chinese text means the first.
_RADICALS[0x2015] = "\u2014"
_RADICALS[0x2E3A] = "\u2014\u2014"  # the 破折号 "——" set as one two-em-dash glyph
_RADICALS[0x2E3B] = "\u2014\u2014\u2014"
_RADICALS[0x2F3E] = "户"  # KANGXI RADICAL DOOR: NFKC gives 戶, but Simplified Chinese fonts draw it as 户

_PAGE_NUMBER = [re.compile(p, re.IGNORECASE) for p in (
    r"[-—–－_~·•]*\d{1,4}[-—–－_~·•]*",  # 3, - 3 -, — 3 —
    r"第\d{1,4}页(共\d{1,4}页)?", r"第\d{1,4}页[/，,]共\d{1,4}页", r"共\d{1,4}页第\d{1,4}页",
    r"\d{1,4}/\d{1,4}", r"page\d{1,4}(of\d{1,4})?",
)]
_HEADING = re.compile(
    r"(第[一二三四五六七八九十百零〇\d]+[章节条部分编]|[一二三四五六七八九十]+、|[（(][一二三四五六七八九十]+[）)]"
    r"|\d{1,2}[.．、](?!\d)|[（(]\d{1,2}[）)]|附件\d*[:：]?$)")
_ENDS_SENTENCE = tuple("。：；！？:;!?")
_FULLWIDTH_DIGITS = str.maketrans("０１２３４５６７８９", "0123456789")


@dataclass
class _Row:
    """One printed line of a page."""

    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    size: float
    page: int
    at: int
    lead: float = 0.0  # the width of the line's first unbreakable piece (a character with its 。, a number, a word)


def read(path: str) -> Source:
    name = Path(path).name or path
    try:
        size = Path(path).stat().st_size
        with open(path, "rb") as f:
            head = f.read(1024)
    except OSError as error:
        raise SourceError(f"{name} 无法打开：{error.strerror or error}") from None
    if not head:
        raise SourceError(f"{name} 是空文件")
    if size > MAX_FILE:
        raise SourceError(f"{name} 太大（{size // (1024 * 1024)} MB）：PDF 不应超过 {MAX_FILE // (1024 * 1024)} MB")
    if b"%PDF-" not in head:
        raise SourceError(f"{name} 不是 PDF 文件：请确认文件类型")
    quiet = logging.getLogger("pdfminer")
    level = quiet.level
    quiet.setLevel(logging.ERROR)  # pdfminer's warnings about fonts are not the editor's problem
    try:
        return _read(path, name)
    finally:
        quiet.setLevel(level)


def _read(path: str, name: str) -> Source:
    import pdfplumber
    from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect

    try:
        pdf = pdfplumber.open(path)
    except (PDFPasswordIncorrect, PDFEncryptionError):
        raise SourceError(f"{name} 设置了打开密码或加密：请先在原软件中去掉密码、另存后再导入") from None
    except Exception as error:
        # pdfplumber wraps pdfminer's errors: PdfminerException(PDFPasswordIncorrect())
        if any(isinstance(a, (PDFPasswordIncorrect, PDFEncryptionError)) for a in (*error.args, error.__cause__)):
            raise SourceError(f"{name} 设置了打开密码或加密：请先在原软件中去掉密码、另存后再导入") from None
        raise SourceError(f"{name} 已损坏，无法读取：请用原软件重新导出 PDF 后再导入") from None
    source = Source(path)
    pages: list[list[_Row]] = []
    number = 0
    try:
        with pdf:
            count = len(pdf.pages)
            if count > MAX_PAGES:
                raise SourceError(f"{name} 页数过多（{count} 页），超过 {MAX_PAGES} 页的上限，请拆分后再导入")
            if count == 0:
                raise SourceError(f"{name} 没有页面，可能已损坏")
            imaged = 0
            for number, page in enumerate(pdf.pages, 1):
                chars = page.chars
                if len(chars) > MAX_CHARS_PER_PAGE:
                    raise SourceError(f"{name} 第{number}页的字符过多（{len(chars)} 个），不像正常的公文，已拒绝")
                chars = page.dedupe_chars().chars if chars else []  # drop glyphs printed twice for bold
                unmapped = sum(1 for c in chars if c["text"].startswith("(cid:"))
                rows = _rows([c for c in chars if c.get("upright", True) and not c["text"].startswith("(cid:")], number)
                if unmapped > max(5, len(chars) // 5):
                    source.problems.append((0, f"第{number}页的字体没有文字映射，提取出的文字不完整；请用原始文件重新导出 PDF，或做文字识别（OCR）"))
                if not rows and page.images:
                    imaged += 1
                pages.append(rows)
                page.close()  # pdfplumber caches every object of a page: free them, pages can be many
    except SourceError:
        raise
    except Exception as error:
        # Past the reading bound (importer/bounded.py) is not "damaged"; pdfplumber wraps pdfminer's
        # errors, MemoryError included: PdfminerException(MemoryError())
        if any(isinstance(e, MemoryError) for e in (error, *error.args, error.__cause__, error.__context__)):
            raise MemoryError from None
        where = f"第{number}页" if number else "文件结构"
        raise SourceError(f"{name} 已损坏，{where}无法读取：请用原软件重新导出 PDF 后再导入") from None
    if not any(pages):
        if imaged:
            source.problems.append((0, SCANNED))
        else:
            source.problems.append((0, f"{name} 中没有文字"))
        return source
    for number, rows in enumerate(pages, 1):
        if not rows:
            source.problems.append((0, f"第{number}页没有文字层（可能是扫描图像），这一页的内容未导入；请先做文字识别（OCR）"))
    body = _drop_chrome(pages)
    source.lines = _paragraphs(body)
    return source


# -- characters → lines --------------------------------------------------------------------------

def _wide(ch: str) -> bool:
    return bool(ch) and unicodedata.east_asian_width(ch[0]) in ("W", "F")


def _char_text(text: str) -> str:
    out = []
    for ch in text:
        code = ord(ch)
        if code in _RADICALS:
            out.append(_RADICALS[code])
        elif 0x2F00 <= code <= 0x2FDF or 0xF900 <= code <= 0xFAFF or ch in "\ufb00\ufb01\ufb02\ufb03\ufb04":
            out.append(unicodedata.normalize("NFKC", ch))  # Kangxi radicals, compatibility ideographs, ligatures
        else:
            out.append(ch)
    return "".join(out)


def _rows(chars: list[dict], page: int) -> list[_Row]:
    """The page's characters as printed lines, top to bottom."""
    chars = sorted(chars, key=lambda c: ((c["top"] + c["bottom"]) / 2, c["x0"]))
    groups: list[list[dict]] = []
    for c in chars:
        mid = (c["top"] + c["bottom"]) / 2
        if groups:
            g = groups[-1]
            top, bottom = min(x["top"] for x in g[:3]), max(x["bottom"] for x in g[:3])
            if top - 0.5 <= mid <= bottom + 0.5:
                g.append(c)
                continue
        groups.append([c])
    rows = []
    for g in groups:
        g.sort(key=lambda c: c["x0"])
        text = _join(g)
        if not text.strip():
            continue
        visible = [c for c in g if c["text"].strip()]
        rows.append(_Row(text.strip(), visible[0]["x0"], visible[-1]["x1"], min(c["top"] for c in visible),
                         max(c["bottom"] for c in visible), statistics.median(c["size"] for c in visible), page, 0,
                         _lead(g[g.index(visible[0]):])))
    for at, row in enumerate(rows, 1):
        row.at = at
    return rows


_NO_END = set("（〔［｛《〈「『【“‘([{<")  # may not end a line: goes down with the next character
_NO_START = set("，。、；：？！）〕］｝》〉」』】”’),.;:?!%…—·")  # may not start a line: goes down with the previous


def _lead(chars: list[dict]) -> float:
    """How wide the line's first piece is that line breaking could not have split: 「证、」, 「〔2016〕8」,
    「(PM2.5)」. A line before it that left more room than this ended there; less, and it was wrapped."""
    end = 0
    while end + 1 < len(chars):
        here, after = chars[end]["text"], chars[end + 1]["text"]
        latin = not _wide(here) and not _wide(after) and here.strip() and after.strip()
        if not (here in _NO_END or after in _NO_START or latin):
            break
        end += 1
    return chars[end]["x1"] - chars[0]["x0"]


def _join(chars: list[dict]) -> str:
    """A line's characters as text: no space between CJK characters, however far justification set
    them apart; a space between Latin words; a wide gap (a table's columns) as a space."""
    out = ""
    previous = None
    pending_space = False
    for c in chars:
        text = _char_text(c["text"])
        if not text.strip():
            pending_space = previous is not None
            continue
        if previous is not None:
            gap = c["x0"] - previous["x1"]
            size = max(c["size"], 1.0)
            last, first = out[-1:], text[:1]
            cjk = _wide(last) or _wide(first)
            if gap > 1.5 * size:
                out += " "  # a separate column or a spaced-out signature, not a word gap
            elif not cjk and (pending_space or gap > 0.2 * size):
                out += " "
        out += text
        previous = c
        pending_space = False
    return out


# -- page chrome ---------------------------------------------------------------------------------

def _squeeze(text: str) -> str:
    return "".join(text.split()).translate(_FULLWIDTH_DIGITS)


def _is_page_number(text: str) -> bool:
    flat = _squeeze(text)
    return any(p.fullmatch(flat) for p in _PAGE_NUMBER)


def _drop_chrome(pages: list[list[_Row]]) -> list[_Row]:
    """The body lines of every page: without page numbers and the running header and footer
    (the same text at the top or bottom of most pages)."""
    edge = 2  # lines at each end of a page that may be chrome

    def edges(rows):
        return rows[:edge] + rows[-edge:] if len(rows) > edge else rows

    seen: Counter[str] = Counter()
    for rows in pages:
        seen.update({re.sub(r"\d+", "#", _squeeze(r.text)) for r in edges(rows)})
    with_text = sum(1 for rows in pages if rows)
    running = {key for key, n in seen.items() if n >= 2 and n * 2 > with_text}
    body = []
    for rows in pages:
        chrome = {id(r) for r in edges(rows)
                  if _is_page_number(r.text) or re.sub(r"\d+", "#", _squeeze(r.text)) in running}
        body.extend(r for r in rows if id(r) not in chrome)
    return body


# -- lines → paragraphs --------------------------------------------------------------------------

def _paragraphs(rows: list[_Row]) -> list[Line]:
    if not rows:
        return []
    sizes = Counter()
    for r in rows:
        sizes[round(r.size)] += len(r.text)
    body_size = sizes.most_common(1)[0][0]
    margins = _margins(rows, body_size)
    pitches = Counter()
    for a, b in zip(rows, rows[1:]):
        if a.page == b.page and abs(a.size - b.size) < 0.5 and round(a.size) == body_size:
            pitches[round(b.top - a.top, 0)] += 1
    pitch = pitches.most_common(1)[0][0] if pitches else body_size * 1.5
    spaced = any(p > pitch * 1.35 and n >= 2 for p, n in pitches.items())  # paragraphs set apart by space
    indented = sum(1 for r in rows if round(r.size) == body_size
                   and 1.5 * r.size <= r.x0 - margins[r.page][0] <= 2.6 * r.size) >= 1

    def full(r: _Row, after: _Row | None = None) -> bool:
        # Unjustified text stops short of the margin when what comes next could not be split: a
        # character with the 「，」 that may not start a line, a number, a word. The line was full
        # when the next line's first such piece would not have fitted in the room left.
        room = margins[r.page][1] - r.x1
        return room < max(after.lead if after is not None else 0.0, r.size) + 0.3 * r.size

    def indent(r: _Row) -> bool:
        return r.x0 - margins[r.page][0] > 0.9 * r.size

    def centred(r: _Row) -> bool:
        left, right = margins[r.page]
        return indent(r) and abs((r.x0 + r.x1) / 2 - (left + right) / 2) < r.size

    def continues(a: _Row, b: _Row) -> bool:
        if abs(a.size - b.size) > 0.15 * a.size:
            return False
        if a.page == b.page and b.top - a.top > max(pitch, a.size) * 1.35 * (a.size / body_size):
            return False
        if a.size > body_size * 1.1:  # a title set on two lines: the first full, or both centred
            return (full(a, b) or centred(a) and centred(b)) and not a.text.endswith(_ENDS_SENTENCE)
        if _HEADING.match(b.text) or not full(a, b) or indent(b):
            return False
        if a.text.endswith(_ENDS_SENTENCE) and not full(b) and not indented and not spaced:
            return False  # the only sign left: a sentence ends, and a short line follows
        return True

    paragraphs: list[list[_Row]] = [[rows[0]]]
    for previous, row in zip(rows, rows[1:]):
        if continues(previous, row):
            paragraphs[-1].append(row)
        else:
            paragraphs.append([row])
    lines = []
    for paragraph in paragraphs:
        text = paragraph[0].text
        for row in paragraph[1:]:
            text = _glue(text, row.text)
        lines.append(Line(text, paragraph[0].at, page=paragraph[0].page))  # located by its first line
    return lines


def _glue(a: str, b: str) -> str:
    if a[-1:].isascii() and a[-1:].isalnum() and b[:1].isascii() and b[:1].isalnum():
        return f"{a} {b}"  # an English word wrapped at a space
    return a + b


def _margins(rows: list[_Row], body_size: int) -> dict[int, tuple[float, float]]:
    """Each page's text block (left, right), from its body-size lines; a page with too few lines
    takes the whole document's."""
    def block(rs):
        rs = [r for r in rs if round(r.size) == body_size] or rs
        # the rightmost edge two lines share: one line set past the margin (a long number, a
        # hanging mark) does not move it
        ends = sorted((r.x1 for r in rs), reverse=True)
        right = next((a for a, b in zip(ends, ends[1:]) if a - b <= 0.25 * body_size), ends[0])
        return min(r.x0 for r in rs), right

    whole = block(rows)
    by_page: dict[int, list[_Row]] = {}
    for r in rows:
        by_page.setdefault(r.page, []).append(r)
    return {page: block(rs) if sum(1 for r in rs if round(r.size) == body_size) >= 4 else whole
            for page, rs in by_page.items()}
