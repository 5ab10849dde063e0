"""One source, many documents: split where a new document's title opens, drop repeated copies.

A title splits only when it names its issuing organ and is a document's own (…关于…的通知, …年度报告):
the plan an 印发 notice carries (政务公开工作实施方案) or the draft a 公告 publishes
(关于…的实施意见) stays part of its document.
"""

from __future__ import annotations

import re

from gazette.content.docshape import is_organ
from gazette.importer.recognise import _strip_title, is_title
from gazette.importer.source import Line
from gazette.safety.textnorm import fold

_OWN_TITLE = re.compile(r"^(.{2,30}?(?:人民政府|政府|办公厅|办公室|委员会|局|厅))(?:关于|\d{4}年|[(（]?\d{4}[)）]?)")


def opens_document(line: Line) -> bool:
    if line.rows is not None or not is_title(line.text):
        return False
    title = fold(_strip_title(line.text))
    m = _OWN_TITLE.match(title)
    return bool(m) and is_organ(m.group(1)) and ("关于" in title or "报告" in title or "公告" in title)


def split(lines: list[Line]) -> tuple[list[list[Line]], list[list[Line]]]:
    """(the documents, the repeated copies dropped)."""
    docs: list[list[Line]] = []
    for line in lines:
        if not docs or opens_document(line) and len(docs[-1]) > 1:
            docs.append([])
        docs[-1].append(line)
    kept: list[list[Line]] = []
    copies: list[list[Line]] = []
    seen: dict[str, int] = {}
    for doc in docs:
        text = "".join(fold(ln.text) for ln in doc)
        same = next((n for key, n in seen.items() if text in key or key in text), None)
        if same is None:
            seen[text] = len(kept)
            kept.append(doc)
        elif len(text) > len(next(k for k, n in seen.items() if n == same)):
            copies.append(kept[same])  # the fuller copy is kept
            kept[same] = doc
        else:
            copies.append(doc)
    return kept, copies
