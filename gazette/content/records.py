"""Validated records: every editor's file checked against the content format.

`load` reads the files of the gazette and disclosure folders, `check_set`
checks what only the whole set can tell (duplicates, references, the order
of issues). Both only add to a `Report`; neither raises on bad input.
"""

from __future__ import annotations

import datetime as dt
import difflib
import os
import posixpath
import re
from dataclasses import dataclass, field
from typing import Any, Callable, Iterable

from gazette import forkpool
from gazette.content import docnumber, frontmatter, slugs
from gazette.content.columns import Column
from gazette.content.fields import (ISSUE_FIELDS, ITEM_FIELDS, PASSTHROUGH, SLUG_RE, Field, Invalid,
                                    did_you_mean)
from gazette.diagnostics import ERROR, Report
from gazette.safety import filetypes

_YEAR = re.compile(r"^\d{4}$")
_NUMBER = re.compile(r"^\d{2}$")
# Item fields an ItemRecord keeps as read; the loader turns the others into something else (a DocNumber, …).
_AS_READ = ("title", "issuer", "published", "written", "index_no", "subject", "genre", "validity", "summary",
            "keywords", "interprets", "supersedes", "amends", "consultation", "allow")


@dataclass(slots=True)
class Attachment:
    title: str
    src: str  # docs-relative path of the file
    size: int = 0  # bytes, read when the file was found: links show it, e.g. （PDF，1.2 MB）


@dataclass(slots=True)
class IssueRecord:
    src: str  # docs-relative, e.g. gazette/2023/05/index.md
    path: str  # as shown to editors
    year: int
    number: int
    published: dt.date
    serial: int | None = None
    pdf: str | None = None  # docs-relative
    pdf_size: int = 0  # bytes
    toc_order: list[str] = field(default_factory=list)  # the `columns:` of the issue: its TOC groups in order
    title: str | None = None
    lines: dict[str, int] = field(default_factory=dict)


@dataclass(slots=True)
class ItemRecord:
    src: str
    path: str
    kind: str  # "gazette" or "disclosure"
    id: str
    slug: str
    title: str
    issuer: str
    published: dt.date
    toc_group: str | None = None  # gazette items: the group of the issue's TOC they are listed under (栏目)
    column_path: str | None = None  # disclosure items: the folder of their column
    year: int | None = None  # gazette items: the issue's year and number
    number: int | None = None
    written: dt.date | None = None
    doc_number: docnumber.DocNumber | None = None
    index_no: str | None = None
    subject: str | None = None
    genre: str | None = None
    validity: str | None = None
    summary: str | None = None
    keywords: list[str] = field(default_factory=list)  # 关键词: page metadata and feeds, beside the subject
    interprets: str | None = None
    supersedes: str | None = None
    amends: list[str] = field(default_factory=list)  # IDs of the documents this one amends (修订/修正)
    disclosure_column: str | None = None  # gazette items: path of the disclosure column also listing them
    consultation: dict[str, Any] | None = None
    attachments: list[Attachment] = field(default_factory=list)
    allow: dict[str, str] = field(default_factory=dict)  # safety checks exempted, with reasons
    report: dict[str, Any] | None = None  # annual report: format, year, data_src or tables
    meta: dict[str, Any] = field(default_factory=dict)  # MkDocs/Material keys passed through
    lines: dict[str, int] = field(default_factory=dict)


@dataclass
class Records:
    issues: list[IssueRecord] = field(default_factory=list)
    items: list[ItemRecord] = field(default_factory=list)
    intro_pages: set[str] = field(default_factory=set)  # editor pages standing in for generated ones
    failed: set[str] = field(default_factory=set)  # srcs of files with errors: nothing cascades from them
    # Items kept out by their own errors, with what the set checks can still judge of them (their references,
    # their TOC group), so one run lists all of a file's mistakes: UnbuiltItem.
    unbuilt: list["UnbuiltItem"] = field(default_factory=list)

    @property
    def failed_ids(self) -> set[str]:
        """The default IDs of failed items: a reference to one is that file's problem, not the referrer's."""
        return {default_id(src) for src in self.failed}


@dataclass
class UnbuiltItem:
    """What `check_set` judges of an item that its own errors keep out of the site."""

    path: str
    id: str
    year: int | None
    number: int | None
    toc_group: str | None
    refs: dict[str, Any]  # interprets / supersedes / amends, as read
    lines: dict[str, int]


def default_id(src: str) -> str:
    """An item's ID unless it sets one: its path below its section's folder, e.g. 2023-05-jfbf-2023-12."""
    return src[:-3].split("/", 1)[-1].replace("/", "-")


@dataclass(frozen=True)
class Layout:
    """Where things live under docs_dir, and the configured disclosure columns."""

    gazette_dir: str
    disclosure_dir: str
    columns: tuple[Column, ...]
    reserved: "Any" = field(default=None, hash=False, compare=False)  # addresses.Reserved: addresses the plugin generates; editors' files may not take them


def discover(docs_dir: str, unsafe: list | None = None) -> list[str]:
    """Every Markdown page of the site (docs-relative, sorted); never one a symlink brings from
    outside. `unsafe`: what `unsafe_files` found, if the caller has it already."""
    found = []
    bad = {src for src, _t, _d in (unsafe_files(docs_dir) if unsafe is None else unsafe)}
    for dirpath, dirnames, filenames in os.walk(docs_dir):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        rel = os.path.relpath(dirpath, docs_dir).replace(os.sep, "/")
        prefix = "" if rel == "." else rel + "/"
        found.extend(prefix + name for name in sorted(filenames)
                     if name.endswith(".md") and not name.startswith(".") and prefix + name not in bad)
    return sorted(found)


def unsafe_files(docs_dir: str, named: frozenset[str] = frozenset()) -> list[tuple[str, str, str]]:
    """Files under docs_dir that must not be published: (docs-relative path, target, kind). Kinds:
    "outside" and "dangling", symlinks that lead outside docs_dir or nowhere; "type", a file of a
    type a browser may run script in (safety.filetypes; `named` are those mkdocs.yml names);
    "content", a file of an allowed type whose first bytes a browser given no type reads as a page.

    Walked without following links (scandir's is_symlink costs no system call): a link is
    judged by where it resolves, so a link into /proc, /etc or the CI job's home is never read
    or copied. Links that stay inside are fine.
    """
    root = os.path.realpath(docs_dir)
    out = []
    stack = [(docs_dir, "")]
    while stack:
        folder, prefix = stack.pop()
        try:
            entries = list(os.scandir(folder))
        except OSError:
            continue  # unreadable: MkDocs reports it, nothing of it is published
        for entry in entries:
            if entry.is_symlink():
                dangling = not os.path.exists(entry.path)
                if dangling or not _inside(os.path.realpath(entry.path), root):
                    # as the editor wrote it
                    out.append((prefix + entry.name, os.readlink(entry.path), "dangling" if dangling else "outside"))
                    continue
                if os.path.isdir(entry.path):
                    continue  # MkDocs walks it: its files are judged where they really are
            elif entry.is_dir(follow_symlinks=False):
                if entry.name != ".git":
                    stack.append((entry.path, prefix + entry.name + "/"))
                continue
            src = prefix + entry.name
            if entry.name.startswith(".") or src in named:
                continue
            if not filetypes.publishable(src, named):
                out.append((src, "", "type"))
            elif filetypes.extension(src) not in filetypes.PAGES and _sniffed_as_markup(entry.path):
                out.append((src, "", "content"))
    return sorted(out)


# Files published as they are that a search engine reads as text at the site's address (the
# planted gambling page of a hacked government site is often a .txt): checked as a page's text is.
TEXT_FILES = ("txt", "csv", "yml", "yaml", "json")
MAX_TEXT_FILE_BYTES = 20 * 1024 * 1024


def published_texts(docs_dir: str, bad: set[str] = frozenset()) -> list[str]:
    """docs-relative paths of the text files (TEXT_FILES) of docs_dir that are published."""
    found = []
    for dirpath, dirnames, filenames in os.walk(docs_dir):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        rel = os.path.relpath(dirpath, docs_dir).replace(os.sep, "/")
        prefix = "" if rel == "." else rel + "/"
        found.extend(prefix + name for name in sorted(filenames) if not name.startswith(".")
                     and filetypes.extension(name) in TEXT_FILES and prefix + name not in bad
                     and not any((prefix + name).startswith(b + "/") for b in bad))
    return found


def _read_published_text(abs_path: str, path: str, report: Report) -> str | None:
    """A published text file as a reader's browser shows it: UTF-8, else GB18030 (Excel's CSV)."""
    try:
        if os.path.getsize(abs_path) > MAX_TEXT_FILE_BYTES:
            report.error(path, 1, f"文本文件过大（超过 {MAX_TEXT_FILE_BYTES // 1024 // 1024} MB），无法检查其内容，"
                                  "不能发布；请压缩为 zip 后作为附件发布", "file-too-large")
            return None
        with open(abs_path, "rb") as fh:
            data = fh.read()
    except OSError:
        return None  # unreadable: MkDocs reports it
    data = data.removeprefix(b"\xef\xbb\xbf")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        text = data.decode("gb18030", errors="replace")
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _sniffed_as_markup(path: str) -> bool:
    try:
        with open(path, "rb") as fh:
            return filetypes.sniffed_as_markup(fh.read(filetypes.SNIFF_BYTES))
    except OSError:
        return False  # unreadable: MkDocs reports it, nothing of it is published


def _size(docs_dir: str, target: str | None) -> int:
    """A found file's size in bytes (download links state it)."""
    try:
        return os.path.getsize(os.path.join(docs_dir, target)) if target else 0
    except OSError:
        return 0


def _inside(path: str, root: str) -> bool:
    return path == root or path.startswith(root.rstrip(os.sep) + os.sep)


def report_unsafe_files(links: Iterable[tuple[str, str, str]], display: Callable[[str], str],
                        report: Report) -> None:
    for src, target, kind in links:
        if kind == "type":
            report.error(display(src), 1, filetypes.message(src), "file-type")
        elif kind == "content":
            report.error(display(src), 1, filetypes.sniff_message(src), "file-type")
        elif kind == "dangling":
            report.error(display(src), 1, f"「{posixpath.basename(src)}」是指向不存在的目标（{target}）的符号链接，"
                                          "不会发布；请删除它，或换成真实的文件", "dangling-symlink")
        else:
            report.error(display(src), 1, f"「{posixpath.basename(src)}」是指向 docs 目录之外的符号链接（{target}），"
                                          "其内容不会被读取或发布；请把需要发布的文件复制到 docs 目录中", "outside-symlink")


# -- the body: refused before Python-Markdown ever sees it ------------------------------------

MAX_NESTING = 20  # lists and block quotes inside one another
MAX_BRACKETS = 50  # [ and ( open inside one another within a paragraph
# Only a line starting with this many indentation or marker characters can nest deeper than
# MAX_NESTING; the leading newline lets the regex engine jump from line to line.
_DEEP_LINE = re.compile(r"\n[ \t>*+\-.)0-9]{%d,}" % (MAX_NESTING + 1))
_MARKERS = re.compile(r"[ \t]*(?:>|[-*+](?=[ \t]|$)|\d{1,9}[.)](?=[ \t]|$))")
_BRACKET_CHARS = re.compile(r"[\[\]()]|\n[ \t]*(?=\n)")


def _nesting(line: str) -> int:
    """Lists and quotes a line is inside: its container markers, plus one per 4 columns of indentation."""
    indent = len(line) - len(line.lstrip(" \t"))
    depth, pos = 0, 0
    while m := _MARKERS.match(line, pos):  # every marker is at least one character long
        depth += 1
        pos = m.end()
    return depth + len(line[:indent].expandtabs(4)) // 4


# What `gazette new item` writes as the body: an item still holding it is not ready to publish.
BODY_PLACEHOLDER = "（请在这里写正文。）"


def body_problem(body: str) -> tuple[int, str] | None:
    """(line within the body, Chinese message) if the body nests too deep to render safely.

    Python-Markdown recurses once per nested list or quote (a RecursionError at about 1,000)
    and backtracks over nested brackets (minutes for 40 KB of "[[[["); such a body is refused
    before rendering. Cheap on ordinary text: two counts and one regex search.
    """
    for m in _DEEP_LINE.finditer("\n" + body):
        start = m.start()  # the line's start in `body` (the match starts at the newline before it)
        end = body.find("\n", start)
        depth = _nesting(body[start : end if end >= 0 else len(body)])
        if depth > MAX_NESTING:
            return body.count("\n", 0, start) + 1, (
                f"列表或引用（“>”）嵌套过深（约 {depth} 层，最多 {MAX_NESTING} 层），无法安全生成页面；"
                "请减少缩进层级或“>”的个数")
    if body.count("[") + body.count("(") > MAX_BRACKETS:
        depth = 0
        for m in _BRACKET_CHARS.finditer(body):
            ch = m.group()
            if ch in "[(":
                depth += 1
                if depth > MAX_BRACKETS:
                    lineno = body.count("\n", 0, m.start()) + 1
                    return lineno, (f"方括号“[”或圆括号“(”层层嵌套过深（超过 {MAX_BRACKETS} 层），无法安全生成页面；"
                                    "请检查是否误粘贴了大量括号")
            elif ch in "])":
                depth = max(depth - 1, 0)
            else:  # a blank line ends the paragraph, and with it any open link
                depth = 0
    return None


def check_body(source: frontmatter.Source, report: Report) -> bool:
    problem = body_problem(source.body)
    if problem is None:
        return True
    report.error(source.path, source.body_line + problem[0] - 1, problem[1], "body-too-deep")
    return False


def read_fields(source: frontmatter.Source, fields: tuple[Field, ...], report: Report) -> tuple[dict, dict]:
    """Apply one schema to a file's entries: aliases, unknown keys, types, required fields."""
    by_name = {name: f for f in fields for name in f.names}
    values: dict[str, Any] = {}
    lines: dict[str, int] = {}
    used: dict[str, str] = {}
    for entry in source.entries:
        spec = by_name.get(entry.key)
        if spec is None:
            if entry.key in PASSTHROUGH:
                values.setdefault("_meta", {})[entry.key] = entry.value
                continue
            report.error(source.path, entry.line, f"未知字段「{entry.key}」{did_you_mean(entry.key, fields)}", "unknown-key")
            continue
        if spec.key in used:
            report.error(source.path, entry.line, f"「{entry.key}」与「{used[spec.key]}」是同一个字段（{spec.label}），只能写一个", "duplicate-field")
            continue
        used[spec.key] = entry.key
        lines[spec.key] = entry.line
        for child, child_line in entry.children_lines.items():  # nested keys, e.g. consultation.result
            lines[f"{spec.key}.{child}"] = child_line
        if entry.value is None:
            if spec.required:
                report.error(source.path, entry.line, f"必填字段「{spec.label}」不能为空", "missing-field")
            continue  # an empty optional field is as if absent
        try:
            values[spec.key] = spec.read(entry.value, spec.label)
        except Invalid as exc:
            report.error(source.path, entry.line, str(exc), "invalid-value")
    for spec in fields:
        if spec.required and spec.key not in lines:
            report.error(source.path, 1, f"缺少必填字段「{spec.label}」（{spec.key}）", "missing-field")
    return values, lines


class Loader:
    """Reads and validates one site's content files."""

    def __init__(self, docs_dir: str, display_prefix: str, layout: Layout, report: Report,
                 checks: "Iterable[Callable[[frontmatter.Source, dict, Report], None]]" = ()):
        self.checks = tuple(checks)  # further checks of each file with front matter (body included), e.g. content safety
        self.docs_dir = docs_dir
        self.prefix = display_prefix.rstrip("/")
        self.layout = layout
        self.report = report
        self.columns = {col.path: col for top in layout.columns for col in top.walk()}

    def display(self, src: str) -> str:
        return f"{self.prefix}/{src}" if self.prefix else src

    def load(self, srcs: Iterable[str]) -> Records:
        records = Records()
        for src in srcs:
            before = len(self.report.items)
            self._file(src, records)
            if self._erred_since(before):
                records.failed.add(src)
        return records

    def _erred_since(self, before: int) -> bool:
        """Whether an error followed the first `before` diagnostics: a file's own, counted from its start."""
        return any(d.level == ERROR for d in self.report.items[before:])

    def _file(self, src: str, records: Records) -> None:
        parts = src.split("/")
        if parts[0] == self.layout.gazette_dir:
            self._gazette_file(src, parts[1:], records)
        elif parts[0] == self.layout.disclosure_dir:
            self._disclosure_file(src, parts[1:], records)
        elif self.layout.reserved is not None and (owner := self.layout.reserved.owner(src)) is not None:
            self.report.error(self.display(src), 1, self.layout.reserved.message(src, owner), "reserved-address")
        else:
            # Other pages (home, guides, statements): MkDocs would stumble on bad bytes
            # with a traceback and silently print broken YAML as text; say so instead.
            self._page(src)

    def _page(self, src: str) -> None:
        """A page rendered as the editor wrote it (home, guides, intro pages): its YAML and its body."""
        source = frontmatter.read(os.path.join(self.docs_dir, src), self.display(src), self.report, required=False)
        if source is not None:
            check_body(source, self.report)
            self._safety(source, {}, item=False)

    def _safety(self, source: frontmatter.Source, values: dict, item: bool) -> None:
        """The content-safety checks, on every file with front matter: a page's or an issue's values are
        printed as text too (the head's description, feeds, open data), not only an item's.
        `item` tells a check that counts items (the build's timing line) whether this is one."""
        for check in self.checks:
            check(source, values, self.report, item=item)

    # -- gazette ------------------------------------------------------------

    def _gazette_file(self, src: str, rest: list[str], records: Records) -> None:
        path = self.display(src)
        if rest == ["index.md"] or (len(rest) == 2 and rest[1] == "index.md" and _YEAR.match(rest[0])):
            records.intro_pages.add(src)  # archive or year introduction written by the editor
            self._page(src)
            return
        if len(rest) != 3:
            self.report.error(path, 1, f"公报文件应放在 {self.layout.gazette_dir}/<年份>/<期号>/ 下，例如 {self.layout.gazette_dir}/2023/05/jfbf-2023-12.md", "misplaced")
            return
        year_s, num_s, name = rest
        if not _YEAR.match(year_s):
            self.report.error(path, 1, f"年份文件夹「{year_s}」应为四位数字，例如 2023", "bad-folder")
            return
        if not _NUMBER.match(num_s) or int(num_s) == 0:
            hint = f"，应为「{int(num_s):02d}」" if num_s.isdigit() and 0 < int(num_s) < 100 else ""
            self.report.error(path, 1, f"期号文件夹「{num_s}」应为两位数字（01、02……）{hint}", "bad-folder")
            return
        year, number = int(year_s), int(num_s)
        if name == "index.md":
            self._issue(src, path, year, number, records)
        else:
            self._item(src, path, name, records, year=year, number=number)

    def _issue(self, src: str, path: str, year: int, number: int, records: Records) -> None:
        before = len(self.report.items)
        source = frontmatter.read(os.path.join(self.docs_dir, src), path, self.report)
        if source is None:
            return
        values, lines = read_fields(source, ISSUE_FIELDS, self.report)
        check_body(source, self.report)
        for key, derived, label in (("year", year, "年份"), ("number", number, "期号")):
            if key in values and values[key] != derived:
                self.report.error(path, lines[key], f"{label} {values[key]} 与所在文件夹（{derived}）不一致", "path-mismatch")
        for i, name in enumerate(values.get("columns", []), 1):
            if "，" in name:
                fixed = ", ".join(n.strip() for n in name.split("，"))
                self.report.error(path, lines["columns"], f"「栏目顺序」第 {i} 项「{name}」中有全角逗号「，」："
                                  f"各栏目之间要用英文逗号分隔，例如 [{fixed}]", "fullwidth-comma")
        published = values.get("published")
        if published and published.year != year:
            self.report.error(path, lines["published"], f"出版日期 {published} 不在 {year} 年，与所在文件夹不一致", "path-mismatch")
        pdf = self._existing_file(src, path, values["pdf"], lines["pdf"], "PDF") if "pdf" in values else None
        failed = self._erred_since(before)
        self._safety(source, values, item=False)
        if failed:
            return
        records.issues.append(IssueRecord(
            src=src, path=path, year=year, number=number, published=published,
            serial=values.get("serial"), pdf=pdf, toc_order=values.get("columns", []),
            title=values.get("title"), lines=lines, pdf_size=_size(self.docs_dir, pdf),
        ))

    # -- disclosure ---------------------------------------------------------

    def _disclosure_file(self, src: str, rest: list[str], records: Records) -> None:
        path = self.display(src)
        folder, name = "/".join(rest[:-1]), rest[-1]
        column = self.columns.get(folder)
        if name == "index.md" and (column or not folder):
            records.intro_pages.add(src)  # the section's or a column's own introduction (e.g. 指南)
            self._page(src)
        elif not folder:
            self.report.error(path, 1, f"政务公开条目应放在栏目文件夹中，例如 {self.layout.disclosure_dir}/statutory/"
                                       f"normative/{name}", "misplaced")
        elif column is None:
            known = sorted(self.columns)
            close = difflib.get_close_matches(folder, known, n=1, cutoff=0.5)
            hint = f"，是不是「{close[0]}」？" if close else f"；已配置的栏目：{'、'.join(known)}"
            self.report.error(path, 1, f"栏目文件夹「{folder}」没有在 mkdocs.yml 的 columns 中配置{hint}", "unknown-column")
        else:
            self._item(src, path, name, records, column=column)

    # -- items --------------------------------------------------------------

    def _item(self, src: str, path: str, name: str, records: Records, *,
              year: int | None = None, number: int | None = None, column: Column | None = None) -> None:
        """A gazette item (of issue `year`/`number`) or a disclosure item (of `column`)."""
        before = len(self.report.items)
        source = frontmatter.read(os.path.join(self.docs_dir, src), path, self.report)
        if source is None:
            return
        values, lines = read_fields(source, ITEM_FIELDS, self.report)
        if not check_body(source, self.report):
            return  # neither the safety checks nor Python-Markdown get a body that nests this deep
        if source.body.strip() == BODY_PLACEHOLDER:
            lead = len(source.body) - len(source.body.lstrip())
            self.report.error(path, source.body_line + source.body.count("\n", 0, lead),
                              f"正文还是 gazette new item 写的「{BODY_PLACEHOLDER}」，请换成这篇文件的正文",
                              "placeholder-body")
        doc = None
        if "doc_number" in values:
            try:
                doc = docnumber.parse(values["doc_number"])
            except docnumber.DocNumberError as exc:
                self.report.error(path, lines["doc_number"], str(exc), "doc-number")
        stem = name[:-3]
        if not SLUG_RE.match(stem):
            suggestion = slugs.suggest(stem, doc)
            self.report.error(path, 1, f"文件名「{name}」只能用小写英文字母、数字和“-”，建议改为「{suggestion}.md」", "bad-slug")
        written, published = values.get("written"), values.get("published")
        if written and published and written > published:
            self.report.error(path, lines["written"], f"成文日期 {written} 晚于发布日期 {published}", "date-order")
        if doc and doc.year and (written or published) and doc.year != (written or published).year:
            basis = "成文日期" if written else "发布日期"
            self.report.warning(path, lines["doc_number"], f"文号「{doc.text}」的年份 {doc.year} 与{basis} {(written or published)} 的年份不一致", "doc-number-year")
        given = values.get("column")
        if column is None and "column" not in lines:
            self.report.error(path, 1, "缺少必填字段「栏目」（column），即本篇在目录中的分组，例如「市政府文件」", "missing-field")
        elif column is not None and given is not None and given not in (column.name, column.key, column.path):
            self.report.error(path, lines["column"], f"栏目由所在文件夹决定（「{column.name}」），与填写的「{given}」"
                                                     "不一致；请删除「栏目」字段或移动文件", "path-mismatch")
        listed_in = None
        if "disclosure_column" in values:
            listed_in = self._listing_column(path, values["disclosure_column"], lines["disclosure_column"], column)
        attachments = []
        for att in values.get("attachments", []):
            found = self._existing_file(src, path, att["file"], lines["attachments"], f"附件「{att['title']}」")
            attachments.append(Attachment(att["title"], found, _size(self.docs_dir, found)))
        report_spec = values.get("report")
        if report_spec and "data" in report_spec:
            data_line = lines.get("report.data") or lines.get("report.数据文件") or lines["report"]
            found = self._existing_file(src, path, report_spec["data"], data_line, "年报数据文件")
            report_spec = {**report_spec, "data_src": found}
        failed = self._erred_since(before)  # taken before the safety checks: their findings keep no item out
        self._safety(source, values, item=True)
        if failed:
            records.unbuilt.append(UnbuiltItem(
                path, values.get("id") or default_id(src), year, number, given if column is None else None,
                {key: values[key] for key in ("interprets", "supersedes", "amends") if key in values}, lines))
            return
        records.items.append(ItemRecord(
            src=src, path=path, kind="gazette" if column is None else "disclosure",
            id=values.get("id") or default_id(src), slug=stem, doc_number=doc, year=year, number=number,
            toc_group=given if column is None else None, column_path=column.path if column else None,
            disclosure_column=listed_in, attachments=attachments, report=report_spec, lines=lines,
            meta=values.get("_meta", {}), **{key: values[key] for key in _AS_READ if key in values},
        ))

    def _listing_column(self, path: str, given: str, line: int, own: Column | None) -> str | None:
        """The disclosure column a gazette item is also listed in, by its name, key or folder; None after an error."""
        if own is not None:
            self.report.error(path, line, f"政务公开条目已在栏目「{own.name}」中（由所在文件夹决定），"
                                          "「公开栏目」只用于公报文章；请删除这一行", "misplaced-field")
            return None
        wanted = given.strip("/")
        for attr in ("path", "name", "key"):
            found = [c for c in self.columns.values() if getattr(c, attr) == wanted]
            if len(found) == 1:
                return found[0].path
            if len(found) > 1:
                paths = "、".join(c.path for c in found)
                self.report.error(path, line, f"「公开栏目」「{given}」对应多个栏目（{paths}），请写栏目文件夹，例如「{found[0].path}」",
                                  "unknown-column")
                return None
        names = [c.name for c in self.columns.values()]
        close = difflib.get_close_matches(wanted, names + list(self.columns), n=1, cutoff=0.5)
        hint = f"，是不是「{close[0]}」？" if close else f"；已配置的栏目：{'、'.join(names)}"
        self.report.error(path, line, f"「公开栏目」「{given}」不是 mkdocs.yml 中配置的政务公开栏目{hint}", "unknown-column")
        return None

    def _existing_file(self, src: str, path: str, ref: str, line: int, label: str) -> str | None:
        """Docs-relative path of a file named relative to the Markdown file (or to docs/ with a leading /)."""
        joined = ref.lstrip("/") if ref.startswith("/") else posixpath.join(posixpath.dirname(src), ref)
        target = posixpath.normpath(joined)
        full = os.path.join(self.docs_dir, target)
        if target == ".." or target.startswith("../"):
            problem = f"{label}的路径「{ref}」指向 docs 目录之外", "bad-path"
        elif not os.path.isfile(full) and os.path.islink(full):
            problem = f"{label}的文件「{ref}」是指向不存在的目标的符号链接", "missing-file"
        elif not os.path.isfile(full):
            problem = f"{label}的文件「{ref}」不存在（应在 {self.display(target)}）", "missing-file"
        elif not _inside(os.path.realpath(full), os.path.realpath(self.docs_dir)):
            problem = (f"{label}的文件「{ref}」是指向 docs 目录之外的符号链接，不能发布；请把文件本身复制到 docs 目录中",
                       "bad-path")
        else:
            return target
        self.report.error(path, line, *problem)
        return None


def reference_hint(target: str, by_id, own_id: str, failed_ids=()) -> str:
    """A close ID of another item of the site, or how IDs are made; never the referring item's own.

    `failed_ids`: items kept out by their own errors. One of them may be the one meant: offered, saying so,
    rather than a valid but wrong item that happens to be the closest left."""
    close = difflib.get_close_matches(target, [i for i in {*by_id, *failed_ids} if i != own_id], n=1, cutoff=0.7)
    if close and close[0] not in by_id:
        return f"，是不是「{close[0]}」？（那一篇本身有错误，见它自己的提示）"
    return f"，是不是「{close[0]}」？" if close else "；编号默认为文件路径（去掉 .md，“/”换成“-”），例如 2023-05-jfbf-2023-12"


def check_set(records: Records, report: Report) -> None:
    """What no single file can tell: duplicates, references, the order of issues, issues without index.md."""
    by_id: dict[str, ItemRecord] = {}
    by_number: dict[str, ItemRecord] = {}
    for item in records.items:
        if (other := by_id.setdefault(item.id, item)) is not item:
            report.error(item.path, item.lines.get("id", 1),
                         f"编号「{item.id}」与 {other.path} 重复；每篇的编号在全站必须唯一", "duplicate-id")
        if item.doc_number and (other := by_number.setdefault(item.doc_number.text, item)) is not item:
            report.error(item.path, item.lines.get("doc_number", 1), f"文号「{item.doc_number.text}」与 {other.path} 重复", "duplicate-doc-number")
    failed_ids = records.failed_ids
    amended: set[str] = set()
    keys = {"interprets": "解读对象", "supersedes": "替代", "amends": "修订对象"}
    refs = [(item, key, getattr(item, key), True) for item in records.items for key in keys]
    refs += [(item, key, item.refs.get(key), False) for item in records.unbuilt for key in keys]
    for item, key, value, built in refs:
        for target in value if isinstance(value, list) else [value]:
            if target is None or target in failed_ids:  # that file's own errors are reported
                continue
            if target == item.id:
                report.error(item.path, item.lines.get(key, 1), f"「{keys[key]}」不能指向本篇自己", "bad-reference")
            elif target not in by_id:
                report.error(item.path, item.lines.get(key, 1), f"「{keys[key]}」指向的编号「{target}」不存在"
                             f"{reference_hint(target, by_id, item.id, failed_ids)}", "bad-reference")
            elif key == "amends" and built:  # an item kept out amends nothing on the site
                amended.add(target)
    for item in records.items:
        # Without the link, the page of an amended document cannot say where the changed rules are. Only a
        # note: the amending document may not be on this site (a higher authority's), and --strict must pass.
        if item.validity == "修订" and item.id not in amended:
            report.info(item.path, item.lines.get("validity", 1),
                           f"有效性为「修订」，但站内没有哪一篇在「修订对象」（amends）中写本篇的编号「{item.id}」，"
                           f"读者在本页看不到修订它的文件；若修订它的文件在本站，请在那篇文件中加上一行 amends: {item.id}",
                           "unlinked-amendment")
    issues = {(i.year, i.number): i for i in records.issues}
    missing: dict[tuple[int, int], ItemRecord] = {}
    for item in [i for i in records.items if i.kind == "gazette"] + [i for i in records.unbuilt if i.year]:
        issue = issues.get((item.year, item.number))
        if issue is None:
            if isinstance(item, ItemRecord):  # an unbuilt item alone does not make an issue that needs index.md
                missing.setdefault((item.year, item.number), item)
        elif item.toc_group is not None and issue.toc_order and item.toc_group not in issue.toc_order:
            close = difflib.get_close_matches(item.toc_group, issue.toc_order, n=1, cutoff=0.5)
            hint = f"是不是「{close[0]}」？" if close else f"本期的栏目：{'、'.join(issue.toc_order)}"
            report.error(item.path, item.lines.get("column", 1), f"栏目「{item.toc_group}」不在本期 index.md 的"
                         f"栏目顺序（columns）中，{hint}（若确是新栏目，请先加进 index.md 的 columns）", "unknown-toc-group")
    for (year, number), item in sorted(missing.items()):
        folder = posixpath.dirname(item.path)
        if posixpath.dirname(item.src) + "/index.md" in records.failed:
            continue  # the issue's index.md exists, and its own errors are reported
        report.error(f"{folder}/index.md", 1, f"{year} 年第 {number} 期缺少期刊文件 index.md（至少写出版日期 published），否则本期的文章无法发布", "missing-issue")
    with_serial = sorted((i for i in records.issues if i.serial is not None), key=lambda i: (i.published, i.year, i.number))
    for before, after in zip(with_serial, with_serial[1:]):
        if after.serial <= before.serial:
            report.error(after.path, after.lines.get("serial", 1), f"总期号 {after.serial} 应大于上一期（{before.path}）的总期号 {before.serial}", "serial-order")


PARALLEL_FROM = 4000  # below this many files a process pool costs more than it saves


def load_site(docs_dir: str, display_prefix: str, layout: Layout, srcs: Iterable[str] | None = None,
              checks: Iterable = (), workers: int | None = None, set_checks: Iterable = (),
              links: Iterable | None = None, texts: list[str] | None = None) -> tuple[Records, Report]:
    """The whole validation stage: every file, then the set. Used by the plugin and by `gazette check`.

    Files are independent until `check_set`, so large sites are read by one
    process per core; the merged result is the same as a sequential run.
    `set_checks` are further checks of the whole set, `check(records, report)`,
    e.g. the disclosure rules (gazette/disclosure.py); they run after `check_set`.
    `links` are the unsafe files (`unsafe_files`), reported with the rest; found here when
    `srcs` is not given. `texts` are the text files published as they are (`published_texts`, found
    here when not given).
    """
    if srcs is None:
        srcs, links = discover(docs_dir), unsafe_files(docs_dir)
    srcs = list(srcs)
    checks = tuple(checks)
    if workers is None:
        workers = min(os.cpu_count() or 1, 8) if len(srcs) >= PARALLEL_FROM else 1
    if workers > 1 and forkpool.available():
        # A check that counts its items and time (safety's does) reports them back from each worker.
        counting = [c for c in checks if hasattr(c, "items") and hasattr(c, "seconds")]

        def load(share: list[str]) -> tuple[Records, Report, list]:
            report = Report()
            before = [(c.items, c.seconds) for c in counting]
            records = Loader(docs_dir, display_prefix, layout, report, checks).load(share)
            return records, report, [(c.items - n, c.seconds - s) for c, (n, s) in zip(counting, before)]

        records, report = Records(), Report()
        for part, part_report, counts in forkpool.map_shares(load, srcs, workers, "校验"):
            for check, (items, seconds) in zip(counting, counts):
                check.items += items
                check.seconds += seconds
            records.issues.extend(part.issues)
            records.items.extend(part.items)
            records.intro_pages |= part.intro_pages
            records.failed |= part.failed
            records.unbuilt.extend(part.unbuilt)
            report.extend(part_report)
    else:
        report = Report()
        records = Loader(docs_dir, display_prefix, layout, report, checks).load(srcs)
    prefix = display_prefix.rstrip("/")
    if links:
        report_unsafe_files(links, lambda src: f"{prefix}/{src}" if prefix else src, report)
    text_checks = [c.published_text for c in checks if hasattr(c, "published_text")]
    if text_checks:
        if texts is None:
            texts = published_texts(docs_dir, {src for src, _t, _k in links or ()})
        for src in texts:
            path = f"{prefix}/{src}" if prefix else src
            text = _read_published_text(os.path.join(docs_dir, src), path, report)
            for check in text_checks if text is not None else ():
                check(path, text, report)
    check_set(records, report)
    for check in set_checks:
        check(records, report)
    return records, report
