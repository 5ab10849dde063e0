"""Problems found in the editors' files, collected and reported together."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import partialmethod

from gazette.safety.personal import mask_numbers

ERROR = "error"
WARNING = "warning"
INFO = "info"  # listed for the record (allowances, external links); never fails a build


@dataclass(frozen=True, order=True)
class Diagnostic:
    path: str  # relative to the project, as the editor sees it
    line: int
    message: str  # Chinese, says what is wrong and how to fix it
    level: str = ERROR
    code: str = ""  # stable machine-readable kind, e.g. "unknown-key"

    def format(self) -> str:
        prefix = {ERROR: "", WARNING: "警告：", INFO: "提示："}.get(self.level, "")
        return f"{self.path}:{self.line}: {prefix}{self.message}"

    def as_dict(self) -> dict:
        return {key: getattr(self, key) for key in ("path", "line", "level", "code", "message")}


@dataclass
class Report:
    """Every problem of one build; nothing stops at the first one.

    No diagnostic prints a personal number: every message and path is masked when it is added
    (510104********1234, 138****5678), whatever produced it (a folder's name, a file name)."""

    items: list[Diagnostic] = field(default_factory=list)

    def _add(self, path: str, line: int, message: str, code: str = "", *, level: str) -> None:
        self.items.append(Diagnostic(mask_numbers(path), max(int(line), 1), mask_numbers(message), level, code))

    # report.error(path, line, message, code="")
    error = partialmethod(_add, level=ERROR)
    warning = partialmethod(_add, level=WARNING)
    info = partialmethod(_add, level=INFO)

    def extend(self, other: "Report") -> None:
        self.items.extend(other.items)

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.items if d.level == ERROR]

    @property
    def warnings(self) -> list[Diagnostic]:
        return [d for d in self.items if d.level == WARNING]

    def sorted(self) -> list[Diagnostic]:
        return sorted(set(self.items), key=lambda d: (d.path, d.line, d.level, d.message))

    def format_lines(self) -> list[str]:
        return [d.format() for d in self.sorted()]

    def to_json(self) -> str:
        return json.dumps([d.as_dict() for d in self.sorted()], ensure_ascii=False, indent=1)
