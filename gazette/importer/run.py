"""One `gazette import` run: sources in, item files out, and what happened to each, for the report.

Written files are recorded with a hash of what was written (`.gazette-import.json` in the target
folder; MkDocs skips files whose names start with a dot): a re-run writes the same bytes
(unchanged), replaces a file only if nobody edited it since, and keeps an editor's changes unless
`force`.
"""

from __future__ import annotations

import hashlib
import importlib
import json
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from gazette.content import slugs
from gazette.scaffold import front_matter
from gazette.content.fields import ITEM_FIELDS, SLUG_RE
from gazette.importer import bounded, markdown
from gazette.importer.clean import clean
from gazette.importer.recognise import Found, recognise
from gazette.importer.source import Line, Source, SourceError
from gazette.importer.split import split

MANIFEST = ".gazette-import.json"
READERS = {".txt": "text", ".text": "text", ".html": "webpage", ".htm": "webpage", ".shtml": "webpage",
           ".xhtml": "webpage", ".docx": "word", ".pdf": "pdf"}
PACKAGES = {"webpage": "trafilatura", "word": "mammoth", "pdf": "pdfplumber"}
# The content format's own names and required fields: the report speaks as `gazette check` does.
LABELS = {f.key: f.label for f in ITEM_FIELDS}
REQUIRED = tuple(f.key for f in ITEM_FIELDS if f.required)
ORDER = ("title", "doc_number", "issuer", "published", "written", "index_no", "subject", "genre", "column")


@dataclass
class Target:
    folder: Path  # where the items go, inside docs_dir
    docs_dir: Path
    gazette: bool  # an issue's folder (items need a column) rather than a disclosure column
    defaults: dict = field(default_factory=dict)  # what the editor gave on the command line


@dataclass
class Outcome:
    """One document imported (or one source that could not be)."""

    source: str
    output: str | None = None
    status: str = ""  # 已写入 / 已更新 / 未变 / 保留编辑改动 / 未导入
    found: dict = field(default_factory=dict)  # key → (value, where)
    given: dict = field(default_factory=dict)  # key → value, from the command line
    missing: list = field(default_factory=list)
    addressees: str | None = None
    removed: list = field(default_factory=list)  # (where, why, text)
    flagged: list = field(default_factory=list)  # (where, code, message, text)
    problems: list = field(default_factory=list)  # (where, message)
    data_file: str | None = None

    def as_dict(self) -> dict:
        return {
            "source": self.source, "output": self.output, "status": self.status,
            "found": {k: {"value": str(v), "where": w} for k, (v, w) in self.found.items()},
            "given": {k: str(v) for k, v in self.given.items()}, "missing": self.missing,
            "addressees": self.addressees,
            "removed": [{"where": w, "why": why, "text": t} for w, why, t in self.removed],
            "flagged": [{"where": w, "code": c, "message": m, "text": t} for w, c, m, t in self.flagged],
            "problems": [{"where": w, "message": m} for w, m in self.problems],
            "data_file": self.data_file,
        }


CONTAINED_BYTES = 1024 * 1024
_WARM: set[str] = set()
_WARM_PAGE = os.path.join(os.path.dirname(os.path.dirname(__file__)), "data", "import-warm.html")


def read_source(path: str) -> Source:
    suffix = os.path.splitext(path)[1].lower()
    if suffix == ".doc":
        raise SourceError(f"{path}：旧版 Word（.doc）文件请先在 Word 或 WPS 中另存为 .docx 再导入")
    kind = READERS.get(suffix)
    if kind is None:
        raise SourceError(f"{path}：不认识的文件类型「{suffix or '无扩展名'}」，可导入 .docx、.pdf、.html、.txt")
    if not os.path.isfile(path):
        raise SourceError(f"{path}：文件不存在")
    try:  # the readers' libraries are imported when first used: a missing one is a message
        reader = importlib.import_module(f"gazette.importer.readers.{kind}").read
        if kind in PACKAGES:  # here, once, not in every reading process
            importlib.import_module(PACKAGES[kind])
            if kind == "webpage" and kind not in _WARM:  # its first extraction builds tables it keeps
                _WARM.add(kind)
                bounded.read(reader, _WARM_PAGE, "", contained=True)
    except ImportError as exc:
        missing = f"，缺少 {exc.name}" if exc.name else ""
        raise SourceError(f"{path}：导入{suffix}文件需要的软件包（{PACKAGES[kind]}）没有装全{missing}，"
                          f"请先运行 pip install 'mkdocs-gazette[import]'") from None
    # Plain text under a megabyte is decoded and split into lines, nothing more: read here (a fork
    # costs more). Web pages go through libraries whose time a crafted page can stretch (their
    # patterns, their trees), Word and PDF files are compressed containers: always bounded.
    contained = kind == "text" and os.path.getsize(path) < CONTAINED_BYTES
    return bounded.read(reader, path, os.path.basename(path), contained=contained)


def _simplified(source: Source) -> None:
    try:
        import opencc
    except ImportError:
        raise SourceError("--to-simplified 需要软件包 opencc，请先运行 pip install 'mkdocs-gazette[import]'") from None
    convert = opencc.OpenCC("t2s").convert
    for line in source.lines:
        line.text = convert(line.text)
        if line.rows is not None:
            line.rows = [[convert(c) for c in row] for row in line.rows]
    source.stated = {k: (convert(v), at) for k, (v, at) in source.stated.items()}


class Importer:
    def __init__(self, target: Target, checker, *, formats: dict | None = None, to_simplified: bool = False,
                 force: bool = False, shown=lambda p: p):
        self.target, self.checker, self.formats = target, checker, formats or {}
        self.to_simplified, self.force, self.shown = to_simplified, force, shown
        self.manifest_path = target.folder / MANIFEST
        try:
            self.manifest = json.loads(self.manifest_path.read_text(encoding="utf-8"))["files"]
            assert isinstance(self.manifest, dict)
        except (OSError, ValueError, KeyError, TypeError, AssertionError):
            self.manifest = {}
        self.names: set[str] = set()  # written in this run: two documents never share a file

    def run(self, sources: list[str]) -> list[Outcome]:
        outcomes = []
        for path in sources:
            outcomes += self.import_source(path)
        if any(o.output for o in outcomes):
            self.target.folder.mkdir(parents=True, exist_ok=True)
            text = json.dumps({"files": dict(sorted(self.manifest.items()))}, ensure_ascii=False, indent=1) + "\n"
            self.manifest_path.write_text(text, encoding="utf-8")
        return outcomes

    def import_source(self, path: str) -> list[Outcome]:
        shown = self.shown(path)
        try:
            source = read_source(path)
            if self.to_simplified:
                _simplified(source)
        except SourceError as exc:
            return [Outcome(shown, status="未导入", problems=[("", str(exc))])]
        where = (lambda line: f"{shown}:{line.where}")
        cleaned = clean(source.lines, self.checker)
        docs, copies = split(cleaned.lines)
        docs = [d for d in docs if d] or ([[]] if source.problems or cleaned.flagged or not source.lines else [])
        outcomes = []
        for n, doc in enumerate(docs):
            stated = dict(source.stated) if len(docs) == 1 else {}
            if len(docs) == 1 and cleaned.published and "published" not in stated:
                stated["published"] = cleaned.published
            out = Outcome(shown)
            if n == 0:  # what concerns the source as a whole is told once
                out.removed = [(where(ln), why, ln.text) for ln, why in cleaned.removed]
                out.removed += [(where(c[0]), "重复的副本", f"第{c[0].where}至{c[-1].where}行") for c in copies]
                out.flagged = [(where(ln), code, msg, ln.text) for ln, code, msg in cleaned.flagged]
                out.problems = [(f"{shown}:{at}" if at else shown, msg) for at, msg in source.problems]
                out.problems += [(f"{shown}:{a.at}" if a.at else shown,
                                  f"附件「{a.name}」在原文中只是一个链接，文件没有随来源提供（导入不联网下载）："
                                  f"请取得文件放进 {self.shown(str(self.target.folder))}，并在头部 attachments 中列出")
                                 for a in source.attachments if a.data is None]
            if doc:
                self._document(doc, stated, source, out, where)
            elif not out.problems:
                out.problems.append((shown, "没有找到可导入的文字"))
            if not out.output:
                out.status = "未导入"
            outcomes.append(out)
        return outcomes

    def _document(self, lines: list[Line], stated: dict, source: Source, out: Outcome, where) -> None:
        found: Found = recognise(lines, stated=stated)
        out.found = {k: (v, where(line)) for k, (v, line) in found.values.items()}
        if found.addressees:
            out.addressees = found.addressees[0]
        linked = {a.name for a in source.attachments}
        out.problems += [(where(line), f"正文列出附件「{name}」：附件文件请放进 {self.shown(str(self.target.folder))}，"
                                       f"并在头部 attachments 中列出（导入不会编造附件）")
                         for name, line in found.annexes if name not in linked]
        values = {k: v for k, (v, _line) in found.values.items()}
        for key, value in self.target.defaults.items():
            if value is not None and key not in values:
                values[key] = value
                out.given[key] = value
        required = REQUIRED + (("column",) if self.target.gazette else ())
        out.missing = [LABELS[k] for k in required if k not in values]
        body_lines = [ln for ln in lines if id(ln) not in found.head]  # a new list: lines are shared
        report = self._report_tables(body_lines, values, out)
        if report:
            body_lines = report["body"]
        front = {k: values[k] for k in ORDER if k in values}
        stem = self._name(values, source.path)
        if report:
            data_name = f"{stem}.yml"
            front["report"] = {"format": report["format"], "year": report["year"], "data": data_name}
        files: dict[str, bytes] = {}
        if report:
            files[data_name] = report["data"].encode("utf-8")
        # Pictures the source holds (a Word file's) go beside the item, named after it.
        pictures = {a.name: a.data for a in source.attachments if a.data is not None}
        placed: dict[int, str] = {}
        for line in body_lines:
            name = line.text[4:-1] if line.text.startswith("![](") and line.text.endswith(")") else None
            if name in pictures:
                safe = f"{stem}-" + (re.sub(r"[^a-z0-9.]+", "-", name.lower()).strip("-.") or "image")
                files[safe] = pictures[name]
                placed[id(line)] = safe
        text = _front_matter(front) + "\n" + markdown.body(body_lines, placed)
        files = {f"{stem}.md": text.encode("utf-8"), **files}
        out.status = self._write(files)
        out.output = self.shown(str(self.target.folder / f"{stem}.md"))
        if report:
            out.data_file = self.shown(str(self.target.folder / data_name))

    def _report_tables(self, lines: list[Line], values: dict, out: Outcome) -> dict | None:
        """An annual report's tables 二、三、四 as its data file; the build's rules run on it, and a
        figure that breaks one is reported, never changed."""
        title = str(values.get("title") or "")
        year = re.search(r"(\d{4})\s*年", title)
        if not self.formats or not year or "年度报告" not in title.replace("報告", "报告"):
            return None
        from gazette.importer import report_tables
        found = report_tables.find_report_tables(lines, self.formats)
        if found is None:
            return None
        text, checks = report_tables.data_file(found, self.formats[found.format], source=out.source, title=title)
        out.problems += [(f"{out.source}:{at}", message) for at, message in found.problems]
        out.problems += [(f"{out.source}:{c.source_line}" if c.source_line else "统计表", c.message) for c in checks]
        return {"format": found.format, "year": int(year.group(1)), "data": text,
                "body": lines[:found.start] + lines[found.end:]}

    def _name(self, values: dict, path: str) -> str:
        from gazette.content import docnumber
        doc = None
        if values.get("doc_number"):
            try:
                doc = docnumber.parse(str(values["doc_number"]))
            except docnumber.DocNumberError:
                doc = None
        base = slugs.suggest(str(values.get("title") or ""), doc, limit=200) if values.get("title") or doc else ""
        if len(base) > 48:  # cut between syllables, not inside one
            base = base[:49].rsplit("-", 1)[0]
        if not base or base == "item":
            stem = os.path.splitext(os.path.basename(path))[0].lower()
            base = re.sub(r"[^a-z0-9]+", "-", stem).strip("-") or "item"
            base = base if SLUG_RE.match(base) else "item"
        name, n = base, 2
        while name in self.names:
            name, n = f"{base}-{n}", n + 1
        self.names.add(name)
        return name

    def _write(self, files: dict[str, bytes]) -> str:
        """Writes the files of one document unless an editor changed them since the last import."""
        states = []
        for name, data in files.items():
            path = self.target.folder / name
            try:
                current = path.read_bytes()
            except FileNotFoundError:
                states.append("new")
                continue
            if current == data:
                states.append("same")
            elif self.manifest.get(name) == hashlib.sha256(current).hexdigest() or self.force:
                states.append("replace")
            else:
                states.append("edited")
        if "edited" in states:
            return "保留编辑改动"
        self.target.folder.mkdir(parents=True, exist_ok=True)
        for (name, data), state in zip(files.items(), states):
            if state != "same":
                tmp = self.target.folder / f".{name}.tmp"
                tmp.write_bytes(data)
                os.replace(tmp, self.target.folder / name)
            self.manifest[name] = hashlib.sha256(data).hexdigest()
        if all(s == "same" for s in states):
            return "未变"
        return "已写入" if all(s == "new" for s in states) else "已更新"


def _front_matter(values: dict) -> str:
    import datetime as dt
    return front_matter({k: (dt.date.fromisoformat(v) if k in ("written", "published") and isinstance(v, str) else v)
                         for k, v in values.items()})
