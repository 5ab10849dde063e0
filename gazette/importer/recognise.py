"""Fields recognised from a document's text: found where the text states them, never invented.

Only the head of a document (before the 主送 line or the first sentence) may give the title and
the 文号, so a 文号 cited in the body (…（中办发〔2016〕8号）精神) is never taken for the
document's own; the issuer and the 成文日期 come from the 落款 (an organ's name on its own line
with the date under it) or from a labelled line (发文机关：…). Each field keeps the line it was
found on, for the report.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from gazette.content import dates, docnumber
from gazette.content.docshape import is_addressee, is_organ
from gazette.importer.source import INFO_LABELS as LABELS, Line
from gazette.safety.textnorm import fold

# 文种, longest first: the genre is the one the title ends with (实施方案 → 方案).
GENRES = ("命令", "决议", "决定", "公报", "公告", "通告", "意见", "通知", "通报", "报告", "请示", "批复", "议案",
          "纪要", "办法", "方案", "规定", "细则", "规则", "条例", "规划", "计划", "要点", "函", "令")
_LABELLED = re.compile(r"^(%s)\s*[:：]\s*(.+)$" % "|".join(sorted(LABELS, key=len, reverse=True)))  # 文号：…
_SENTENCE = re.compile(r"[。；！？!?;]")
_DOC_NUMBER = re.compile(r"^([^\s《》〔〕\[\]（）()【】]{1,20}?[〔\[（(【［﹝]\s*\d{4}\s*[〕\]）)】］﹞]\s*第?\s*\d+\s*[号號])(.*)$")
_ANNEX = re.compile(r"^附\s*件\s*[:：]\s*(.{0,60})$")
_ANNEX_ITEM = re.compile(r"^\s*[(（]?\d{1,2}\s*[.．、)）]\s*")
_ORDER = re.compile(r"^(\S{2,30}?令\s*第\s*\d+\s*[号號])$")


@dataclass
class Found:
    """The fields of one document, each (value, source line)."""

    values: dict[str, tuple[object, Line]] = field(default_factory=dict)
    addressees: tuple[str, Line] | None = None
    annexes: list[tuple[str, Line]] = field(default_factory=list)  # the 附件 the document lists, by name
    head: set[int] = field(default_factory=set)  # ids of lines that are fields, not body (title, 文号, labels)

    def put(self, key: str, value, line: Line) -> None:
        if value not in (None, "") and key not in self.values:
            self.values[key] = (value, line)

    def value(self, key: str):
        return self.values[key][0] if key in self.values else None


def parse_date(text: str) -> str | None:
    """yyyy-mm-dd of a date written as a line on its own (see content.dates); None if it is no valid date."""
    try:
        day = dates.read(fold(text).strip())
    except ValueError:
        return None
    return day.isoformat() if day else None


def _strip_title(text: str) -> str:
    text = text.strip().rstrip("。.")
    if text.startswith("《") and text.endswith("》") and text.count("《") == 1:
        text = text[1:-1]
    return text.strip()


def genre_of(title: str) -> str | None:
    folded = re.sub(r"[（(][^（）()]*[）)]$", "", fold(title))  # …实施意见（征求意见稿）
    return next((g for g in GENRES if folded.endswith(g)), None)


def _whole_title(text: str) -> bool:
    """A title naming its issuer before 关于: complete on its own line (安全生产工作的通知 is not)."""
    return is_title(text) and "关于" in _strip_title(text)[2:]


def is_title(text: str) -> bool:
    """A line shaped like a document's title: no sentence, ends with a 文种."""
    title = _strip_title(text)
    return 4 <= len(title) <= 120 and not _SENTENCE.search(title) and genre_of(title) is not None \
        and not title.endswith(("：", ":"))


# What the last name of a 主送 line ends with: an organ, or the 单位/部门 a notice is sent to.
def doc_number(text: str) -> tuple[str, str] | None:
    """(the 文号 in its canonical form with 〔〕, the rest of the line) of a line opening with one."""
    compact = text.strip()
    m = _DOC_NUMBER.match(compact) or _ORDER.match(compact)
    if not m:
        return None
    try:
        parsed = docnumber.parse(re.sub(r"\s+", "", m.group(1)).replace("號", "号"))
    except docnumber.DocNumberError as exc:
        fixed = re.search(r"「([^」]*)」$", str(exc)) or re.search(r"应为「([^」]*)」", str(exc))
        if not fixed:
            return None
        parsed = docnumber.parse(fixed.group(1))
    rest = m.group(2) if m.re is _DOC_NUMBER else ""
    return parsed.text, rest.strip()


def _is_body(line: Line) -> bool:
    """The document's text has begun: a sentence, the 主送 line, a long paragraph or a table."""
    t = line.text
    return line.rows is not None or bool(_SENTENCE.search(t)) or t.endswith(("：", ":")) or len(t) > 120


def recognise(lines: list[Line], *, stated: dict | None = None) -> Found:
    found = Found()
    for key, (value, at) in (stated or {}).items():
        line = next((ln for ln in lines if ln.at == at), Line(str(value), at))
        if key in ("written", "published"):
            value = parse_date(value)
        elif key == "doc_number":
            value = (doc_number(value) or (None, ""))[0]
        elif key == "title":
            value = _strip_title(value)
        found.put(key, value, line)
        if key == "title":
            found.head.update(id(ln) for ln in lines[:3] if _strip_title(ln.text) == value)
    # The head: title, 文号, labelled lines, up to the body.
    i = 0
    while i < len(lines):
        line, text = lines[i], lines[i].text
        labelled = _LABELLED.match(text)
        number = doc_number(text)
        if line.rows is not None or not (labelled or number or is_title(text)) and _is_body(line):
            break
        if labelled:
            key = LABELS[labelled.group(1)]
            value = labelled.group(2).strip()
            if key in ("written", "published"):
                value = parse_date(value)
            elif key == "doc_number":
                value = (doc_number(value) or (None, ""))[0]
            found.put(key, value, line)
            found.head.add(id(line))
        elif number:
            found.put("doc_number", number[0], line)
            found.head.add(id(line))
            if number[1] and is_title(number[1]):
                found.put("title", _strip_title(number[1]), line)
        elif is_title(text):
            title = _strip_title(text)
            if "title" not in found.values:
                found.put("title", title, line)
            if _strip_title(found.value("title")) == title or "title" in found.values:
                found.head.add(id(line))  # the title, or it repeated (a list title above the page's own)
        elif "title" not in found.values and i + 1 < len(lines) and _whole_title(lines[i + 1].text):
            pass  # a stray line above a whole title (a scraped navigation bar): kept as text, not the title's
        elif "title" not in found.values and i + 1 < len(lines) and is_title(text + lines[i + 1].text):
            # A long title broken over two lines by the layout.
            found.put("title", _strip_title(text + lines[i + 1].text), line)
            found.head.update((id(line), id(lines[i + 1])))
            i += 1
        else:
            break  # something else before the body (a date, an organ): not the head
        i += 1
    # 主送: the first line of the body when it ends with a colon and names organs.
    if i < len(lines) and lines[i].rows is None and is_addressee(lines[i].text):
        found.addressees = (lines[i].text.strip()[:-1].strip(), lines[i])
    # 落款: organ line(s) with the date under them; the first such block is the document's own.
    for j, line in enumerate(lines):
        if line.rows is not None or j < i:
            continue
        day = parse_date(line.text) if len(line.text) <= 20 else None
        if not day:
            continue
        organs = []
        k = j - 1
        while k >= i and lines[k].rows is None and is_organ(lines[k].text) and len(organs) < 4:
            organs.insert(0, lines[k].text.strip())
            k -= 1
        if organs:
            found.put("issuer", "、".join(organs), lines[j - len(organs)])
            found.put("written", day, line)
            break
    # 附件：1.… 2.… (on one line or on the lines under it): what the document says it carries.
    for j, line in enumerate(lines):
        m = _ANNEX.match(line.text) if line.rows is None else None
        if not m:
            continue
        names = [(m.group(1), line)] if m.group(1) else []
        for nxt in lines[j + 1:j + 20]:
            if nxt.rows is not None or not _ANNEX_ITEM.match(nxt.text) or len(nxt.text) > 60:
                break
            names.append((nxt.text, nxt))
        found.annexes = [(_ANNEX_ITEM.sub("", n).strip(" 。"), ln) for n, ln in names if _ANNEX_ITEM.sub("", n).strip(" 。")]
        break
    if "title" in found.values:
        found.put("genre", genre_of(found.value("title")), found.values["title"][1])
    return found
