"""Text folded for matching: what hides a spam term or a number is taken away.

`fold(text)` is for matching only; the published text is never changed. It
applies NFKC character by character (１３８, ｗｗｗ, ⑧, ㊇, U+3000 and NBSP as
a space), removes invisible characters, lowercases A–Z, folds traditional
characters to simplified ones (data/t2s-chars.txt, from OpenCC's data by
tools/make_t2s_table.py; `t2s=False` leaves them, as that costs a Python call
per character: spam terms match either script instead), and removes whitespace
between two ideographs or an ideograph and a digit (`百 家 乐`, `龙 8`).
The full-width punctuation of Chinese prose (，：；（）！？％…) is left alone:
matching never looks at it, and it is in every sentence.

`find_in` maps what was found back to the original text (`fold_with_map`:
slow, made only then). `narrow` is the light form URLs are found in.
"""

from __future__ import annotations

import os
import re
import unicodedata
from functools import lru_cache
from itertools import groupby
from typing import Callable

from gazette import DATA_DIR

DATA = os.path.join(DATA_DIR, "t2s-chars.txt")

# CJK ideographs (unified, extension A, compatibility, the supplementary planes) and 〇.
CJK = "\u3007\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f"
# Whitespace that may separate characters after NFKC (NBSP, U+3000, U+2000–U+200A … are spaces by then).
_WS = " \t\n\r\x0b\x0c\x1c\x1d\x1e\x1f\x85\u2028\u2029"
# One whitespace run between two ideographs, or between an ideograph and a digit (either way).
# It opens with a class, so that the engine skips in C to the next whitespace.
_GAP = re.compile(f"[{_WS}](?:(?<=[{CJK}].)[{_WS}]*(?=[{CJK}0-9])|(?<=[0-9].)[{_WS}]*(?=[{CJK}]))", re.S)

# Characters `fold` never changes but for A–Z (ASCII, the common ideographs, ordinary prose's
# punctuation): text with nothing else takes the fast path.
_UNUSUAL = re.compile("[^\t\n\r -~\u4e00-\u9fa5\u3001\u3002\u3007-\u3011\u3014-\u301b\u2014\u2018\u2019\u201c\u201d"
                      "\u00b7\uff0c\uff1a\uff1b\uff08\uff09\uff01\uff1f\uff05\u2026]")

# The same with A–Z unusual too, as one class (an alternation would be tried at every character).
_UNUSUAL_OR_UPPER = re.compile(_UNUSUAL.pattern.replace(" -~", " -@\\[-~", 1))

# Removed: Unicode's default-ignorable code points (soft hyphen, combining grapheme joiner, Arabic
# letter mark, Hangul fillers, Mongolian selectors, zero-width space/non-joiner/joiner, LRM/RLM,
# LRE…RLO, word joiner, invisible operators, LRI…PDI, variation selectors, BOM, the musical and
# tag formatting characters U+1D173… and U+E0000…, which Chromium draws as nothing), the
# interlinear annotation marks, and the control characters that are not whitespace (NUL, which an
# HTML parser drops, and those drawn as a small box): `百\x01家乐`, `龙\U000E0020 8` read as 百家乐, 龙8.
INVISIBLE = (*range(0x00, 0x09), *range(0x0E, 0x1C), *range(0x7F, 0x85), *range(0x86, 0xA0),
             0x00AD, 0x034F, 0x061C, 0x115F, 0x1160, 0x17B4, 0x17B5, *range(0x180B, 0x1810),
             *range(0x200B, 0x2010), *range(0x202A, 0x202F), *range(0x2060, 0x2070), 0x3164,
             *range(0xFE00, 0xFE10), 0xFEFF, 0xFFA0, *range(0xFFF0, 0xFFFC), *range(0x1BCA0, 0x1BCA4),
             *range(0x1D173, 0x1D17B), *range(0xE0000, 0xE1000))
# The ASCII ones, for ASCII text's quick path.
_ASCII_INVISIBLE = re.compile("[\x00-\x08\x0e-\x1b\x7f]")
_KEPT = frozenset("，：；（）！？％…‥")
# Where NFKC changes characters that can stand for a letter, a digit, a space or an ideograph:
# Latin-1 to the CJK symbols (①, Kangxi radicals, U+3000, ㊇, ㎡), compatibility ideographs and
# full-width forms, mathematical alphanumerics 𝟖, enclosed alphanumerics, compatibility ideographs.
_NFKC_RANGES = ((0x00A0, 0x33FF), (0xF900, 0xFFEF), (0x1D400, 0x1D7FF), (0x1F100, 0x1F2FF), (0x2F800, 0x2FA1F))


def _ranges_class(cps: list[int]) -> str:
    """A regular-expression character class for a set of code points, as ranges."""
    out = []
    for _step, run in groupby(enumerate(sorted(set(cps))), lambda p: p[1] - p[0]):
        chars = [re.escape(chr(cp)) for _i, cp in run]
        out.append(chars[0] if len(chars) == 1 else f"{chars[0]}-{chars[-1]}")
    return "[" + "".join(out) + "]"


# What URLs are found in (`fold` would lowercase their paths and join lines): full-width digits,
# letters and + - . / as ASCII, invisible characters removed.
_NARROW = {cp: cp - 0xFEE0 for cp in (0xFF0B, *range(0xFF0D, 0xFF1A), *range(0xFF21, 0xFF3B),
                                      *range(0xFF41, 0xFF5B))}
_NARROW.update(dict.fromkeys(INVISIBLE))
_NEEDS_NARROWING = re.compile(_ranges_class(list(_NARROW)))


def narrow(text: str) -> str:
    """`text` with full-width ASCII as ASCII and invisible characters removed; case and lines kept."""
    return text.translate(_NARROW) if _NEEDS_NARROWING.search(text) else text


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
    with open(DATA, encoding="utf-8") as fh:
        pairs = [line.rstrip("\n").split("\t", 1) for line in fh if not line.startswith("#") and "\t" in line]
    return {t: s for t, s in pairs if len(t) == 1 and s}


@lru_cache(maxsize=2)
def _tables(with_t2s: bool = True) -> tuple[dict[str, str], re.Pattern, re.Pattern]:
    """Every character that folding changes → what it becomes; and the class of those characters,
    for text within the BMP and for any text (ranges beyond the BMP make the class twice as slow,
    so only strings that hold such characters get it)."""
    t2s = t2s_table() if with_t2s else {}

    def simple(s: str) -> str:
        for _ in range(4):  # a few characters chain (薴 → 苧 → 苎): to the end, so that fold is idempotent
            s, before = "".join(t2s.get(c, c) for c in s), s
            if s == before:
                break
        return s.lower() if s.isascii() else "".join(c.lower() if "A" <= c <= "Z" else c for c in s)

    chars = (chr(cp) for first, last in _NFKC_RANGES for cp in range(first, last + 1))
    table = {c: simple(n) for c in chars if c not in _KEPT and (n := unicodedata.normalize("NFKC", c)) != c}
    table.update({t: simple(s) for t, s in t2s.items()})
    table.update({chr(cp): chr(cp + 32) for cp in range(ord("A"), ord("Z") + 1)})
    table.update(dict.fromkeys(map(chr, INVISIBLE), ""))
    table = {c: v for c, v in table.items() if v != c}
    bmp = re.compile(_ranges_class([ord(c) for c in table if ord(c) < 0x10000]))
    return table, bmp, re.compile(_ranges_class([ord(c) for c in table]))


def fold(text: str, *, t2s: bool = True) -> str:
    """`text` folded for matching (see the module's docstring); never for output.

    The characters that folding changes are mapped where the engine finds them, then the gaps
    are removed: the result is that of `fold_with_map`."""
    if text.isascii():  # no ideograph, nothing NFKC changes; invisible only the control characters
        return (_ASCII_INVISIBLE.sub("", text) if _ASCII_INVISIBLE.search(text) else text).lower()
    if "\u3000" in text:  # paragraph indents, common: replaced in C
        text = text.replace("\u3000", " ")
    if "\u00a0" in text:
        text = text.replace("\u00a0", " ")
    if not t2s:
        m = _UNUSUAL_OR_UPPER.search(text)
        if m is None:  # only ASCII (no capitals), common ideographs and ordinary punctuation
            return _GAP.sub("", text)
        if "A" <= m.group() <= "Z" and not _UNUSUAL.search(text, m.end()):
            return _GAP.sub("", text.lower())  # nothing to map but A–Z
    table, bmp, every = _tables(t2s)
    # Beyond the BMP (UTF-16 needs surrogates)?
    pattern = bmp if len(text.encode("utf-16-le", "surrogatepass")) == 2 * len(text) else every
    return _GAP.sub("", pattern.sub(lambda m: table[m.group()], text))


def fold_with_map(text: str, *, t2s: bool = True) -> tuple[str, list[int]]:
    """`fold(text)` and, for each of its characters, the index in `text` of the character it came from."""
    table = _tables(t2s)[0]
    mapped = "".join([table.get(c, c) for c in text])
    offsets = [i for i, c in enumerate(text) for _f in table.get(c, c)]
    for m in reversed(list(_GAP.finditer(mapped))):
        del offsets[m.start():m.end()]
    return _GAP.sub("", mapped), offsets


def find_in(text: str, find: Callable[[str], list[tuple]], *, t2s: bool = True) -> list[tuple]:
    """`find(folded)` gives (start, end, …) tuples on `fold(text)`; the same with start and end as
    positions in `text`. The map is made only when something was found."""
    folded = fold(text, t2s=t2s)
    hits = find(folded)
    if not hits:
        return []
    mapped, offsets = fold_with_map(text, t2s=t2s)
    if mapped != folded:  # they agree (see the tests); should they ever not, the map's text decides
        hits = find(mapped)
    out, last = [], len(offsets) - 1
    for s, e, *rest in hits:
        a, b = offsets[min(s, last)], offsets[min(max(e - 1, s), last)] + 1
        out.append((a, max(a, b), *rest))
    return out
