"""Personal numbers in text: resident ID numbers, mobile numbers, bank card numbers.

`personal_numbers(folded)` works on text folded by `textnorm.fold`. Digits written
in groups, one separator between two (spaces, a hyphen or a dot, a line
break), form a run: `110105 19491231 002X`, `138.1234.5678`, `+86 138 1234 5678`.
A candidate is a concatenation of consecutive WHOLE groups of a run, of the
length of a number and of a shape people write it in; a group is never cut, so
`2023 110105194912310021` still holds an ID number, while a longer number or
code (索引号, 统一社会信用代码, statistics) holds none. A candidate that touches
a letter or a digit (an article id in a URL, 91330106MA2XXXXX1X) is not one.

`mask_numbers(text)` writes every personal number of a text in its masked form;
`diagnostics.Report` applies it to every message, so that no message prints one.
"""

from __future__ import annotations

import bisect
import datetime as dt
import re

from gazette.safety.textnorm import find_in

_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"

# Between two groups: spaces or tabs (at most three), or one hyphen, dot or line break with
# spaces around it. Dashes other than "-" are not folded by NFKC, so they are listed.
_SEP = r"(?:[ \t]{0,2}(?:[-.\u2010-\u2015\u2212]|\r?\n)[ \t]{0,2}|[ \t]{1,3})"
_RUN = re.compile(r"[0-9]+(?:" + _SEP + r"[0-9]+)*(?:[Xx](?![0-9A-Za-z]))?")
_GROUP = re.compile(r"[0-9]+(?:[Xx](?![0-9A-Za-z]))?")
# Where a run may hold 11 digits (every candidate has 11 at least): more permissive than
# _RUN, and fast to search (unrolled, no nested repetition to backtrack into).
_HINT = re.compile("[0-9][- \t\r\n.\u2010-\u2015\u2212]{0,6}" * 10 + "[0-9]")
_DIGITS = frozenset("0123456789")
_ALNUM = frozenset("0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")
# Eleven digits (ASCII or full-width) anywhere: the cheap first test of `mask_numbers`.
_RAW_HINT = re.compile("[0-9０-９][^0-9０-９]*" * 11)

# URLs: their paths hold article ids (https://www.sc.gov.cn/10462/13812345678/…), not
# a person's numbers; their queries (?id=…&tel=…) may hold a person's numbers.
BARE_URL = re.compile(r"(?:https?|ftp)://[^\s<>()（）\[\]{}\"'，。；、！？》」]+"
                      r"|(?<![\w./@-])www\.[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+", re.I)


def _valid_date(y: int, m: int, d: int) -> bool:
    if not (1880 <= y <= 2100 and 1 <= m <= 12 and 1 <= d <= 31):
        return False  # most candidates end here, without the cost of an exception
    try:
        return dt.date(y, m, d) <= dt.date.today()
    except ValueError:
        return False


def is_id18(number: str) -> bool:
    if len(number) != 18 or not number[:17].isdigit() or number[0] not in "12345678":
        return False
    if not _valid_date(int(number[6:10]), int(number[10:12]), int(number[12:14])):
        return False
    total = sum(int(c) * w for c, w in zip(number[:17], _ID_WEIGHTS))
    return _ID_CHECK[total % 11] == number[17].upper()


def is_id15(number: str) -> bool:
    """The old 15-digit ID number (issued 1984–2004): region, birth date YYMMDD (19YY), sequence.

    YY = 00 is refused: business registration numbers (330106000123456) have zeros there,
    and someone born in 1900 was 84 when the first such cards were issued."""
    if len(number) != 15 or not number.isdigit() or number[0] not in "12345678":
        return False
    yy = int(number[6:8])
    return yy >= 1 and _valid_date(1900 + yy, int(number[8:10]), int(number[10:12]))


def luhn(number: str) -> bool:
    digits = [int(c) for c in reversed(number)]
    return (sum(digits[::2]) + sum(d * 2 - 9 if d > 4 else d * 2 for d in digits[1::2])) % 10 == 0


def mask(number: str) -> str:
    """510104199001011234 → 510104********1234; 13812345678 → 138****5678."""
    if len(number) == 11:
        return number[:3] + "****" + number[-4:]
    return number[:6] + "*" * (len(number) - 10) + number[-4:]


# Shapes in which people write the numbers (lengths of the groups). An ID number has a check
# digit and a birth date: any split into groups of 3 or more is taken, and groups of four with
# a shorter last one. The others are weaker (a mobile is 1[3-9] and 8 digits, a card 1 in 10 by
# Luhn), so only their usual shapes are, which keeps tables of figures out.
_MOBILE_SHAPES = frozenset({(11,), (3, 8), (3, 4, 4), (7, 4)})


def _card_shape(sizes: tuple[int, ...]) -> bool:
    """One group; groups of four with a shorter last one (6222 0212 3456 7890 128); or six digits
    and the rest, as banks print it (622202 1234567890128)."""
    return (len(sizes) == 1 or (all(s == 4 for s in sizes[:-1]) and 1 <= sizes[-1] <= 4)
            or (len(sizes) == 2 and sizes[0] == 6))


def _classify(digits: str, sizes: tuple[int, ...], newline: bool) -> str | None:
    n = len(digits)
    # groups of 3 or more, or of four with a shorter last one (4403 0519 9001 0112 34)
    if len(sizes) > 1 and min(sizes) < 3 and not (n == 18 and all(s == 4 for s in sizes[:-1])):
        return None
    if n == 18 and is_id18(digits):
        return "id-number"
    if digits[-1] in "xX" or newline:
        return None  # only an ID number ends with X or is split across lines
    if n == 18 and _valid_date(int(digits[6:10]), int(digits[10:12]), int(digits[12:14])):
        return None  # shaped like an ID number (region, birth date) whose check digit fails: not a card
    if n == 15 and (len(sizes) == 1 or sizes[0] == 6) and is_id15(digits):
        return "id-number"
    if 16 <= n <= 19 and digits[0] in "3456" and _card_shape(sizes) and luhn(digits):
        return "bank-card"  # IIN: 62 UnionPay, 4 Visa, 5 Mastercard, 3 JCB/Amex
    if n == 11 and digits[0] == "1" and digits[1] in "3456789" and sizes in _MOBILE_SHAPES:
        return "mobile"
    return None


_PRIORITY = {"id-number": 0, "bank-card": 1, "mobile": 2}


def personal_numbers(folded: str) -> list[tuple[int, int, str, str]]:
    """(start, end, code, number) of every personal number in folded text, URLs' paths left out
    (their queries are looked at); `number` as digits (an ID number's X upper case), for `mask`."""
    if "://" in folded or "www." in folded:
        folded = BARE_URL.sub(_blank_url, folded)
    found: list[tuple[int, int, str, str]] = []
    pos = 0
    while True:
        hint = _HINT.search(folded, pos)
        if hint is None:
            return found
        start = hint.start()
        while start > 0 and folded[start - 1] in _DIGITS:
            start -= 1
        run = _RUN.match(folded, start)
        if run.end() - start >= 11:
            found.extend(_in_run(folded, start, run.end()))
        pos = max(run.end(), hint.start() + 1)


def _in_run(text: str, start: int, end: int) -> list[tuple[int, int, str, str]]:
    groups = [(m.start(), m.end(), m.group()) for m in _GROUP.finditer(text, start, end)]
    left_free = start == 0 or text[start - 1] not in _ALNUM
    right_free = end == len(text) or text[end] not in _ALNUM
    plus = start > 0 and text[start - 1] == "+"
    candidates = []  # (priority, start, end, code, number)
    for i in range(len(groups)):
        if i == 0 and not left_free:
            continue
        digits, sizes, newline = "", (), False
        for j in range(i, len(groups)):
            g = groups[j]
            if j > i:
                newline = newline or "\n" in text[groups[j - 1][1]:g[0]]
            digits += g[2]
            sizes += (len(g[2]),)
            if len(digits) > 19 or (j > i and sizes[0] < 3):
                break  # too long; or a first group of 1–2 digits, which only a single group may be
            last = j > i and sizes[-1] < 3  # a short group can only end a candidate (4403 0519 9001 0112 34)
            if len(digits) < 11 or (j == len(groups) - 1 and not right_free):
                if last:
                    break
                continue
            code = _classify(digits, sizes, newline) if len(digits) not in (12, 14) else None
            a, number = groups[i][0], digits
            prefix = 2 if plus and i == 0 and digits.startswith("86") else 4 if digits.startswith("0086") else 0
            if code is None and i == j and prefix and len(digits) == 11 + prefix:  # +8613812345678, 008613812345678
                code, number = _classify(digits[prefix:], (11,), False), digits[prefix:]
                code = code if code == "mobile" else None
            if code is not None:
                before = groups[i - 1] if i > 0 else (0, 0, "")
                if code == "mobile" and before[2] in ("86", "0086") and "\n" not in text[before[1]:a]:
                    a = before[0]  # +86 138 1234 5678: the prefix is part of what is masked
                if code == "mobile" and a == start and plus:
                    a -= 1
                candidates.append((_PRIORITY[code], a, g[1], code, number.upper()))
            if last:
                break
    # The stronger kinds first, then from left to right; a candidate overlapping one taken is
    # dropped. `taken` is sorted and its spans disjoint: a neighbour on each side is enough.
    taken: list[tuple[int, int, str, str]] = []
    for _p, a, b, code, number in sorted(candidates):
        k = bisect.bisect_left(taken, (a,))
        if (k == len(taken) or taken[k][0] >= b) and (k == 0 or taken[k - 1][1] <= a):
            taken.insert(k, (a, b, code, number))
    return taken


def _blank_url(m: re.Match) -> str:
    """A URL as NULs (same length) but for its query."""
    url = m.group()
    q = url.find("?")
    if q < 0:
        return "\x00" * len(url)
    h = url.find("#", q)
    end = h if h >= 0 else len(url)
    return "\x00" * q + url[q:end] + "\x00" * (len(url) - end)


def mask_numbers(text: str) -> str:
    """`text` with every personal number replaced by its masked form (510104********1234)."""
    if not _RAW_HINT.search(text):
        return text
    for a, b, _code, number in sorted(find_in(text, personal_numbers), reverse=True):
        text = text[:a] + mask(number) + text[b:]
    return text
