"""文号 (document numbers): parsing, the corrected form, and the order of the 文号 index."""

from __future__ import annotations

import re
from dataclasses import dataclass

_BRACKETS_OPEN = "〔[（(【［﹝"
_BRACKETS_CLOSE = "〕]）)】］﹞"
_FORM = re.compile(
    rf"^(?P<agency>[^\s{re.escape(_BRACKETS_OPEN + _BRACKETS_CLOSE)}]+?)\s*"
    rf"(?P<open>[{re.escape(_BRACKETS_OPEN)}])\s*(?P<year>\d{{4}})\s*(?P<close>[{re.escape(_BRACKETS_CLOSE)}])\s*"
    r"(?:第\s*)?(?P<num>\d+)\s*号$"
)
# Decrees and orders are numbered without a year: 国务院令第708号, 江临市人民政府令第3号.
_ORDER_FORM = re.compile(r"^(?P<agency>\S+?令)\s*第\s*(?P<num>\d+)\s*号$")
# Typed into a search box without brackets: 成办发 2013 56
_LOOSE_FORM = re.compile(r"^(?P<agency>[^\s\d]+?)\s*(?P<year>\d{4})\s+(?P<num>\d+)\s*号?$")
# Typed by an editor with the year set off some other way: 江府发2025年11号, 江府发 2025-11号, 江府发〔2025〕第11号
_TYPED_FORM = re.compile(r"^(?P<agency>[^\s\d]+?)\s*\W?\s*(?P<year>(?:19|20)\d{2})\s*(?:年|\W)?\s*第?\s*(?P<num>\d+)\s*号?$")


@dataclass(frozen=True)
class DocNumber:
    text: str  # the canonical form, as printed
    agency: str  # 机关代字
    year: int | None
    number: int

    @property
    def sort_key(self) -> tuple:
        return (self.agency, self.year or 0, self.number)


class DocNumberError(ValueError):
    """A 文号 an editor must fix; the message is Chinese and gives the corrected form when there is one."""


def parse(raw: str) -> DocNumber:
    """Parse a 文号; raise DocNumberError with a Chinese message (and the corrected form) if it is wrong."""
    text = raw.strip()
    if m := _FORM.match(text):
        agency, year, num = m["agency"], int(m["year"]), int(m["num"])
        found = DocNumber(f"{agency}〔{year}〕{num}号", agency, year, num)
        wrong = "格式" if m["open"] == "〔" and m["close"] == "〕" else "括号"
    elif m := _ORDER_FORM.match(text):
        found = DocNumber(f"{m['agency']}第{int(m['num'])}号", m["agency"], None, int(m["num"]))
        wrong = "格式"
    elif m := _TYPED_FORM.match(text):  # what was meant is clear: say how to write it
        raise DocNumberError(f"文号「{text}」格式有误，应为「{m['agency']}〔{m['year']}〕{int(m['num'])}号」"
                             "（年份用六角括号〔〕括起）")
    else:
        raise DocNumberError(f"文号「{text}」格式无法识别，应写成「机关代字〔年份〕序号号」，例如「国办发〔2017〕47号」")
    if text != found.text:
        raise DocNumberError(f"文号「{text}」{wrong}有误，应为「{found.text}」")
    return found


def normalise_query(text: str) -> str | None:
    """A loosely typed 文号 (`成办发[2013]56号`, `成办发 2013 56`) in its canonical form, if it is one."""
    t = text.strip()
    m = _FORM.match(t) or _LOOSE_FORM.match(t)
    return f"{m['agency']}〔{int(m['year'])}〕{int(m['num'])}号" if m else None
