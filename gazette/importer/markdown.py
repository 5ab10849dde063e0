"""A document's body lines as the content format's Markdown, every character as written.

Text is escaped so that Markdown never reads it as markup (a paragraph opening with 1. stays a
paragraph, * and _ stay characters, < is never HTML); the official headings 一、 and （一） on a
line of their own become headings, a table a pipe table.
"""

from __future__ import annotations

import re

from gazette.importer.source import Line

_INLINE = re.compile(r"([\\`*_{}\[\]|])")
_BLOCK_START = re.compile(r"^(?:[#>+\-]|\d+(?=[.)](?:\s|$)))")
_LEVEL1 = re.compile(r"^[一二三四五六七八九十]{1,3}、")
_LEVEL2 = re.compile(r"^[（(][一二三四五六七八九十]{1,3}[）)]")
_SENTENCE = re.compile(r"[。；！？!?;，,]")


def escape(text: str) -> str:
    text = _INLINE.sub(r"\\\1", text)
    text = re.sub(r"&(?=#?\w+;)", "&amp;", text).replace("<", "&lt;")
    # A list or heading marker at the start: the backslash goes before #, >, +, - or the "." of "1."
    m = _BLOCK_START.match(text)
    return text if not m else (text[:m.end()] + "\\" + text[m.end():] if m.group()[0].isdigit() else "\\" + text)


def heading_level(line: Line) -> int:
    """2 for 一、…, 3 for （一）… on a short line that is not a sentence; a reader's own level."""
    if line.heading:
        return min(line.heading + 1, 6)
    text = line.text
    if len(text) > 40 or _SENTENCE.search(text.rstrip("。")):
        return 0
    if _LEVEL1.match(text):
        return 2
    if _LEVEL2.match(text) and not text.endswith("。"):
        return 3
    return 0


def table(rows: list[list[str]]) -> str:
    width = max(len(r) for r in rows)
    cells = [[escape(c.replace("\n", " ").strip()) or " " for c in r] + [" "] * (width - len(r)) for r in rows]
    out = ["| " + " | ".join(cells[0]) + " |", "|" + "---|" * width]
    out += ["| " + " | ".join(r) + " |" for r in cells[1:]]
    return "\n".join(out)


def body(lines: list[Line], pictures: dict[int, str] | None = None) -> str:
    """`pictures`: id of a line standing for a picture the source holds → the picture's file name."""
    blocks = []
    for line in lines:
        if line.rows:
            blocks.append(table(line.rows))
        elif pictures and id(line) in pictures:
            blocks.append(f"![]({pictures[id(line)]})")
        else:
            level = heading_level(line)
            blocks.append(("#" * level + " " if level else "") + escape(line.text))
    return "\n\n".join(blocks) + "\n" if blocks else ""
