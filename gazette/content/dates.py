"""Dates as Chinese documents and editors write them: the one reader of a date in text.

2016-08-25, 2016年8月25日, 二〇一六年八月二十五日 (a 落款), and what editors type or old pages
print: 2016.8.25, 2016/08/25, 2016 8 25, 2016年8月25号, 20160825, 2019-07-26 10:30. Front matter accepts only
the first two forms (fields.read_date); the others are read to say how to write them, by the
importer, and by the typography that sets a 落款's date.
"""

from __future__ import annotations

import datetime as dt
import re

_DIGIT = {c: i for i, c in enumerate("〇一二三四五六七八九")} | dict.fromkeys("零○OoＯ０", 0)
_CN = "[〇○零OoＯ０一二三四五六七八九十]"
_WRITTEN = re.compile(rf"^(\d{{4}}|{_CN}{{4}})\s*年\s*(\d{{1,2}}|{_CN}{{1,3}})\s*月\s*(\d{{1,2}}|{_CN}{{1,3}})\s*日$")
# 号 for 日 (2024年3月5号) is how many people say a day; read here so the editor is told the written form.
_TYPED = re.compile(r"^(\d{4})\s*[-./／年\s]\s*(\d{1,2})\s*[-./／月\s]\s*(\d{1,2})\s*[日号]?(?:\s+\d{1,2}[:：时]\d{2}.*)?$"
                    r"|^(\d{4})(\d{2})(\d{2})$")


def _number(text: str) -> int:
    if text.isdigit():
        return int(text)
    if "十" in text:  # 十, 十二, 二十, 二十五
        tens, _, units = text.partition("十")
        return (_DIGIT.get(tens, 1) if tens else 1) * 10 + (_DIGIT.get(units, 0) if units else 0)
    return int("".join(str(_DIGIT[c]) for c in text))


def read(text: str) -> dt.date | None:
    """The date `text` (a whole line, stripped) states, or None if it is not shaped like one.

    Raises ValueError when it is shaped like a date but no such day exists (2023年2月30日)."""
    m = _WRITTEN.match(text) or _TYPED.match(text)
    if m is None:
        return None
    groups = [g for g in m.groups() if g is not None]
    try:
        return dt.date(*(_number(g) for g in groups))
    except KeyError:  # 二十〇: not a number
        return None
