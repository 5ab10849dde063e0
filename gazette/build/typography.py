"""Official-document typography for an item's body: the signature block and 附件 lists get classes.

Printed documents (GB/T 9704) put the issuing organ and the date at the end, right-aligned, and list
attachments as 「附件：1．…」 under the body. Editors write them as plain paragraphs; this finds them by
their shape among the body's last top-level blocks (parsed, not matched by pattern over the HTML) and adds
a class to their opening tag; gazette.css does the rest. Only a bare `<p>` or `<ol>` tag is marked, so an
editor's own attributes are never touched, and nothing else of the sanitized body changes.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

DATE = re.compile(r"^(\d{4}|[〇零一二三四五六七八九]{4})年[\d一二三四五六七八九十]{1,3}月[\d一二三四五六七八九十]{1,3}日$")
ANNEX = re.compile(r"^附\s*件\s*[：:]")
# An issuer line is short and is not a sentence.
SENTENCE = re.compile(r"[。；，：:;,！？]")
TAIL = 6  # how many of the last top-level blocks are looked at


class _Blocks(HTMLParser):
    """The top-level elements of a body: tag, offset and text of the opening tag, text content."""

    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.starts = [0]
        for line in html.splitlines(keepends=True):
            self.starts.append(self.starts[-1] + len(line))
        self.blocks: list[list] = []  # [tag, offset, start tag text, text]
        self.depth = 0

    def _offset(self) -> int:
        line, col = self.getpos()
        return self.starts[line - 1] + col

    def handle_starttag(self, tag, attrs):
        if self.depth == 0:
            self.blocks.append([tag, self._offset(), self.get_starttag_text(), ""])
        if tag not in ("br", "img", "hr", "col"):
            self.depth += 1

    def handle_startendtag(self, tag, attrs):
        if self.depth == 0:
            self.blocks.append([tag, self._offset(), self.get_starttag_text(), ""])

    def handle_endtag(self, tag):
        self.depth = max(0, self.depth - 1)

    def handle_data(self, data):
        if self.depth > 0 and self.blocks:
            self.blocks[-1][3] += data


def classes(html: str) -> dict[int, str]:
    """Offset of a block's bare opening tag → the class it gets."""
    parser = _Blocks(html)
    parser.feed(html)
    parser.close()
    blocks = [b for b in parser.blocks if b[0] in ("p", "ol", "ul", "h2", "h3", "h4", "table", "div", "blockquote")]
    tail = blocks[-TAIL:]
    marks: dict[int, str] = {}
    for n, (tag, offset, start, text) in enumerate(tail):
        text = text.strip()
        if tag == "p" and DATE.match(text):
            marks[offset] = "gz-sign__date"
            before = tail[n - 1] if n > 0 else None
            if (before and before[0] == "p" and 0 < len(before[3].strip()) <= 40
                    and not SENTENCE.search(before[3]) and not ANNEX.match(before[3].strip())
                    and not before[3].strip().startswith("特此")):
                marks[before[1]] = "gz-sign__issuer"
        elif tag == "p" and ANNEX.match(text):
            marks[offset] = "gz-annex"
            after = tail[n + 1] if n + 1 < len(tail) else None
            if after and after[0] in ("ol", "ul") and text.rstrip("：: ").endswith("件"):
                marks[after[1]] = "gz-annex__list"
    return {o: c for o, c in marks.items() if any(b[1] == o and b[2] in (f"<{b[0]}>",) for b in tail)}


def mark(html: str) -> str:
    """The body with its signature block and 附件 list marked for the stylesheet."""
    marks = classes(html)
    if not marks:
        return html
    out, last = [], 0
    for offset in sorted(marks):
        tag_end = html.index(">", offset)
        out.append(html[last:tag_end])
        out.append(f' class="{marks[offset]}"')
        last = tag_end
    out.append(html[last:])
    return "".join(out)
