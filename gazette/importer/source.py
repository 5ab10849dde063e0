"""What every reader produces: a source's text as located lines, whatever the file was."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Line:
    """One line or paragraph of a source, as written, and where it was."""

    text: str
    at: int  # the line of a text or HTML file; the paragraph of a Word file; the line of a PDF page
    page: int = 0  # a PDF's page (1-based), else 0
    heading: int = 0  # the heading level a Word file or a web page gave it (1–6), else 0
    rows: list[list[str]] | None = None  # a table, as rows of cell texts (`text` then holds its cells, one per line)

    @property
    def where(self) -> str:
        """The place an editor looks for it: 「12」 or 「第3页第12行」."""
        return f"第{self.page}页第{self.at}行" if self.page else str(self.at)


@dataclass
class Attachment:
    """A file a source carries or names (an image of a Word file, a linked PDF)."""

    name: str
    data: bytes | None = None  # the file's bytes when the source holds them
    at: int = 0


@dataclass
class Source:
    path: str
    lines: list[Line] = field(default_factory=list)
    # Fields the page states in its own structure (an old site's 信息表), as the content format's
    # keys: title, index_no, subject, issuer, written, doc_number, published → (text, line).
    stated: dict[str, tuple[str, int]] = field(default_factory=dict)
    attachments: list[Attachment] = field(default_factory=list)
    problems: list[tuple[int, str]] = field(default_factory=list)  # (line, Chinese message): e.g. a scanned PDF


class SourceError(Exception):
    """A source that cannot be read at all; the message is Chinese."""
