"""Text folded for matching: what hides a spam term or a number is taken away.

`fold(text)` is for matching only; the published text is never changed. It

- applies Unicode NFKC character by character (full-width １３８ and ｗｗｗ as
  ASCII, ⑧ as 8, ㊇ as 八, the ideographic space U+3000 and NBSP as a space,
  CJK compatibility ideographs and Kangxi radicals as the usual characters);
- removes zero-width characters, direction marks and variation selectors;
- lowercases Latin letters A–Z;
- folds traditional characters to simplified ones (data/t2s-chars.txt, made
  from OpenCC's data by tools/make_t2s_table.py);
- removes whitespace (space, tab, newline, and whatever NFKC made a space)
  between two CJK ideographs or between an ideograph and a digit, so that
  `百 家 乐` is 百家乐 and `龙 8` is 龙8; elsewhere whitespace is kept (it
  separates the groups of a number, and words of Latin text).

Two exceptions to NFKC, for speed: the full-width punctuation of ordinary
Chinese prose (，：；（）！？％) and the ellipsis … are left alone. NFKC would
turn them into ASCII punctuation, which matching never looks at (no spam term
and no number contains them), and they are in every sentence: mapping them
would cost more than all the checks together.

`fold` is fast on ordinary text (a few tens of microseconds for 8 KB: two
regular-expression scans in C, no per-character Python). `fold_with_map`
gives the same string with, for each of its characters, the position of the
character of the original text it came from; it is slow and used only once
something was found, to report positions in the original text.

`t2s=False` leaves traditional characters as they are: a page of traditional
text would otherwise cost a Python call per character (milliseconds). The spam
terms match either script instead (safety.SpamMatcher spells each character
as a class of its simplified and traditional forms, from the same table).
"""

from __future__ import annotations

import os
import re
import unicodedata
from functools import lru_cache

from gazette import DATA_DIR

DATA = os.path.join(DATA_DIR, "t2s-chars.txt")

# CJK ideographs (unified, extension A, compatibility, the supplementary planes) and 〇.
CJK = "\u3007\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f"
# Whitespace that may separate characters after NFKC (NBSP, U+3000, U+2000–U+200A … are spaces by then).
_WS = " \t\n\r\x0b\x0c\x1c-\x1f\x85\u2028\u2029"
_WS_CHARS = " \t\n\r\x0b\x0c\x1c\x1d\x1e\x1f\x85\u2028\u2029"
# One whitespace run between two ideographs, or between an ideograph and a digit (either way).
# It starts with a character class, so that the engine skips in C to the next whitespace;
# the lookbehind then looks at the character before the run.
_GAP = re.compile(f"[{_WS}](?:(?<=[{CJK}].)[{_WS}]*(?=[{CJK}0-9])|(?<=[0-9].)[{_WS}]*(?=[{CJK}]))", re.S)

# Characters `fold` never changes but for A–Z (ASCII, the common ideographs, the punctuation of
# ordinary prose that NFKC leaves alone or that is kept, see _KEPT): anything else takes the full path.
_UNUSUAL = re.compile("[^\x00\t\n\r -~\u4e00-\u9fa5\u3001\u3002\u3007-\u3011\u3014-\u301b\u2014\u2018\u2019\u201c\u201d"
                      "\u00b7\uff0c\uff1a\uff1b\uff08\uff09\uff01\uff1f\uff05\u2026]")

# The same with A–Z unusual too, as one class (an alternation would be tried at every character).
_UNUSUAL_OR_UPPER = re.compile(_UNUSUAL.pattern.replace(" -~", " -@\\[-~", 1))

# Removed: soft hyphen, combining grapheme joiner, Arabic letter mark, Mongolian vowel separator,
# zero-width space/non-joiner/joiner, LRM/RLM, LRE…RLO, word joiner and invisible operators,
# LRI…PDI, variation selectors, BOM.
INVISIBLE = (0x00AD, 0x034F, 0x061C, 0x180E, *range(0x200B, 0x2010), *range(0x202A, 0x202F),
             *range(0x2060, 0x2065), *range(0x2066, 0x206A), *range(0xFE00, 0xFE10), 0xFEFF)
# Full-width punctuation of ordinary prose, kept (see the module's docstring).
_KEPT = frozenset("，：；（）！？％…‥")
# Where NFKC changes characters that can stand for a letter, a digit, a space or an ideograph:
# Latin-1 to the CJK symbols (super/subscripts, letterlike symbols, Roman numerals, enclosed
# alphanumerics ①, Kangxi radicals, ideographic space, enclosed CJK ㊇, squared ㎡),
# compatibility ideographs and full-width forms, mathematical alphanumerics 𝟖, enclosed
# alphanumeric supplement, the compatibility ideographs supplement. The rest of Unicode
# (the ideographs themselves, Hangul, Yi …) has no compatibility mappings that matter here.
_NFKC_RANGES = ((0x00A0, 0x33FF), (0xF900, 0xFFEF), (0x1D400, 0x1D7FF), (0x1F100, 0x1F2FF), (0x2F800, 0x2FA1F))


def _ranges_class(cps: list[int]) -> str:
    """A regular-expression character class for a set of code points, as ranges."""
    out, cps = [], sorted(cps)
    i = 0
    while i < len(cps):
        j = i
        while j + 1 < len(cps) and cps[j + 1] == cps[j] + 1:
            j += 1
        a, b = cps[i], cps[j]
        out.append(re.escape(chr(a)) if a == b else f"{re.escape(chr(a))}-{re.escape(chr(b))}")
        i = j + 1
    return "[" + "".join(out) + "]"


@lru_cache(maxsize=1)
def s2t_variants() -> dict[str, str]:
    """Simplified character → itself and every traditional character that folds to it."""
    out: dict[str, set[str]] = {}
    for t in t2s_table():
        s = fold(t)
        if len(s) == 1:
            out.setdefault(s, {s}).add(t)
    return {s: "".join(sorted(v)) for s, v in out.items()}


@lru_cache(maxsize=1)
def t2s_table() -> dict[str, str]:
    """Traditional → simplified characters, from data/t2s-chars.txt."""
    table = {}
    with open(DATA, encoding="utf-8") as fh:
        for line in fh:
            if line.startswith("#") or "\t" not in line:
                continue
            t, s = line.rstrip("\n").split("\t", 1)
            if len(t) == 1 and s:
                table[t] = s
    return table


@lru_cache(maxsize=2)
def _tables(with_t2s: bool = True) -> tuple[dict[str, str], frozenset, frozenset, re.Pattern, re.Pattern]:
    """Every character that folding changes → what it becomes; those of them after which
    whitespace may have to be removed again (see `fold`); whitespace and what folding makes
    whitespace (a character folded next to one may make a gap); and the pattern of `fold`'s one
    pass, for text within the Basic Multilingual Plane and for any text (a class with ranges
    beyond the BMP is checked range by range at every character: twice as slow, so only
    used on strings that hold such characters)."""
    t2s = t2s_table() if with_t2s else {}

    def simple(s: str) -> str:
        for _ in range(4):  # a few characters chain (薴 → 苧 → 苎): to the end, so that fold is idempotent
            s, before = "".join(t2s.get(c, c) for c in s), s
            if s == before:
                break
        return s.lower() if s.isascii() else "".join(c.lower() if "A" <= c <= "Z" else c for c in s)

    table: dict[str, str] = {}
    for first, last in _NFKC_RANGES:
        for cp in range(first, last + 1):
            c = chr(cp)
            if c in _KEPT:
                continue
            n = unicodedata.normalize("NFKC", c)
            if n != c:
                table[c] = simple(n)
    for t, s in t2s.items():
        table[t] = simple(s)
    for cp in range(ord("A"), ord("Z") + 1):
        table[chr(cp)] = chr(cp + 32)
    for cp in INVISIBLE:
        table[chr(cp)] = ""
    table = {c: v for c, v in table.items() if v != c}
    ws = set(_WS_CHARS)
    assert not ws & set(table)
    spaces = [ord(c) for c, v in table.items() if v == " "]  # NBSP, U+3000, U+2000–U+200A …
    risky = frozenset(c for c, v in table.items() if v != " " and (not v or any(x in ws for x in v)))
    every_ws = _ranges_class([ord(c) for c in ws] + spaces)

    def pattern(cps: list[int]) -> re.Pattern:
        # One class first (the engine skips in C to the next character in it), then: a run of
        # whitespace between two ideographs or an ideograph and a digit (a gap, removed), or
        # a character that folding changes (the empty group tells `fold` which one matched).
        gap = (f"(?<=[{CJK}]{every_ws}){every_ws}*(?=[{CJK}0-9])"
               f"|(?<=[0-9]{every_ws}){every_ws}*(?=[{CJK}])")
        return re.compile(f"{_ranges_class(cps + [ord(c) for c in ws] + spaces)}(?:{gap}|(?<={_ranges_class(cps)})())")

    neighbours = frozenset(ws | {chr(cp) for cp in spaces})
    return (table, risky, neighbours, pattern([ord(c) for c in table if ord(c) < 0x10000]), pattern([ord(c) for c in table]))


def fold(text: str, *, t2s: bool = True) -> str:
    """`text` folded for matching (see the module's docstring); never for output.

    One regular-expression pass maps the characters and removes the gaps (whitespace,
    NBSP and U+3000 included, between ideographs and digits). When a character removed or
    changed may make a new gap (龙\u200b 8, ８ 龙) a second pass removes those: the result
    is always that of `fold_with_map` (map every character, then remove the gaps)."""
    if text.isascii():
        return text.lower()  # no ideograph, nothing NFKC changes, nothing invisible
    if "\u3000" in text:  # paragraph indents, common: replaced in C
        text = text.replace("\u3000", " ")
    if "\u00a0" in text:
        text = text.replace("\u00a0", " ")
    if not t2s:
        m = _UNUSUAL_OR_UPPER.search(text)
        if m is None:  # only ASCII (no capitals), common ideographs and ordinary punctuation
            return _GAP.sub("", text)
        if m.group() <= "Z" and not _UNUSUAL.search(text, m.end()):
            # Nothing to map but A–Z: lower() and the gaps are all (the big class below
            # costs ~30 ns a character).
            return _GAP.sub("", text.lower())
    table, risky, neighbours, bmp, every = _tables(t2s)
    # Beyond the BMP (UTF-16 needs surrogates)? Encoding is a few microseconds for 8 KB.
    pattern = bmp if len(text.encode("utf-16-le", "surrogatepass")) == 2 * len(text) else every
    again = False
    end = len(text)

    def replace(m: re.Match) -> str:
        nonlocal again
        if m.lastindex is None:
            return ""  # a gap
        c = m.group()
        folded = table[c]
        if not again and folded != " " and (c in risky or (m.start() > 0 and text[m.start() - 1] in neighbours)
                                              or (m.end() < end and text[m.end()] in neighbours)):
            again = True
        return folded

    text = pattern.sub(replace, text)
    return _GAP.sub("", text) if again else text


def fold_with_map(text: str, *, t2s: bool = True) -> tuple[str, list[int]]:
    """`fold(text)` and, for each of its characters, the index in `text` of the character it came from."""
    table = _tables(t2s)[0]
    chars: list[str] = []
    offsets: list[int] = []
    for i, c in enumerate(text):
        f = table.get(c, c)
        chars.extend(f)
        offsets.extend([i] * len(f))
    mapped = "".join(chars)
    if not _GAP.search(mapped):
        return mapped, offsets
    keep_chars: list[str] = []
    keep_offsets: list[int] = []
    at = 0
    for m in _GAP.finditer(mapped):
        keep_chars.append(mapped[at:m.start()])
        keep_offsets.extend(offsets[at:m.start()])
        at = m.end()
    keep_chars.append(mapped[at:])
    keep_offsets.extend(offsets[at:])
    return "".join(keep_chars), keep_offsets


def span_in_original(offsets: list[int], start: int, end: int, text: str) -> tuple[int, int]:
    """The span of `text` (the original) that folded characters start…end came from."""
    if not offsets:
        return 0, 0
    a = offsets[min(start, len(offsets) - 1)]
    b = offsets[min(max(end - 1, start), len(offsets) - 1)] + 1
    return a, max(b, a)
