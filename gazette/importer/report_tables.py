"""The statistical tables 二、三、四 of an annual disclosure report (政府信息公开工作年度报告), found in an imported
report's text and turned into the report's data file (as `docs/disclosure/annual-report/2020.yml`).

Scraped tables arrive flattened: one cell per line, often with a trailing " |", separator lines ("||||"),
figures with units ("150件", "减少5项", "27042.62万元"), header cells split by spaces ("结果 维持"), labels in
traditional characters. Everything is matched through the format declarations (`gazette/data/annual-report-*.yml`):
a table by its title, a row by its label or key, a figure by its column's type. No row is known to this code, so
a new format file is read as well.

    found = find_report_tables(source.lines, formats)   # None: no such tables (an old free-format report)
    text, checks = data_file(found, formats[found.format])
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from gazette.content.frontmatter import located
from gazette.diagnostics import Report
from gazette.disclosure.annual import AnnualReport, Block, Format, Heading, TableSpec, check_rules, parse_figures
from gazette.importer.source import Line
from gazette.safety.textnorm import fold

# -- tokens: the cells of the text ---------------------------------------------------------

# An enumeration opening a label: 二、 (一) （一） 1. 1、 — numbered differently from report to report.
_ENUM = re.compile(r"^(?:[一二三四五六七八九十]+[、.．]|[(（][一二三四五六七八九十\d]+[)）]|\d+[.．、)）])")
_PAREN = re.compile(r"[(（][^()（）]*[)）]")
_NOT_WORD = re.compile(r"[\W_]+")
# A figure: an optional change word or sign, a number, an optional unit.
_FIGURE = re.compile(r"^(增加|减少|增|减|\+|-|−|－)?(\d{1,15}(?:\.\d{1,6})?)(件|项|笔|个|条|次|人次|宗|家|万元|元)?$")
_COUNT_UNITS = {"件", "项", "笔", "个", "条", "次", "人次", "宗", "家"}
# A cell the template leaves empty or marks as nothing: the place of a figure, not a figure.
_PLACEHOLDERS = {"-", "—", "——", "–", "－", "/", "／", "无", "空", "null"}
MAX_REGION = 4000  # cells one table may span: a longer stretch is not a table (and bounds the work on huge input)


@dataclass
class _Cell:
    raw: str  # as written (for messages)
    line: int  # index into `lines`
    label: str  # folded, enumeration/brackets/punctuation removed ("" for a figure)
    figure: tuple | None  # (sign word, number text, unit) of a figure, ("?", raw, "") of a placeholder


def _label(text: str) -> str:
    """A label as compared: folded (traditional → simplified, full-width → ASCII, no spaces between
    ideographs), without its enumeration, bracketed remarks and punctuation."""
    text = _ENUM.sub("", fold(text).strip())
    return _NOT_WORD.sub("", _PAREN.sub("", text))


def _cells(lines: list[Line]) -> list[_Cell]:
    out = []
    for i, line in enumerate(lines):
        texts = [c for row in line.rows for c in row] if line.rows else (line.text or "").splitlines()
        for text in texts:
            for raw in str(text).split("|"):
                raw = raw.strip()
                folded = fold(raw).replace(" ", "").replace(",", "").replace("，", "") if raw else ""
                if not folded or set(folded) <= set("|｜"):
                    continue  # a separator
                m = _FIGURE.match(folded)
                figure = m.groups("") if m else ("?", raw, "") if folded in _PLACEHOLDERS else None
                out.append(_Cell(raw, i, "" if figure else _label(raw), figure))
    return out


def _names(h: Heading) -> set[str]:
    return {n for n in (_label(h.label), _label(h.key)) if n}


# -- reading figures ------------------------------------------------------------------------

def _value(cell: _Cell, col: Heading):
    """The figure of a cell for its column, or None when it is not one (a wrong kind, sign or unit)."""
    sign, number, unit = cell.figure
    if sign == "?":
        return None
    amount_unit = col.unit or ("万元" if "万元" in col.label else "")
    if col.type == "amount":
        if sign or unit not in ("", amount_unit):
            return None
        try:
            return Decimal(number)
        except InvalidOperation:  # pragma: no cover - the pattern admits digits only
            return None
    if "." in number or (unit and unit not in _COUNT_UNITS and unit != col.unit):
        return None
    if col.type == "change":
        return -int(number) if sign in ("减少", "减", "-", "−", "－") else int(number)
    return None if sign else int(number)


@dataclass
class ReportTables:
    """What `find_report_tables` found in one report's lines."""

    format: str  # the format's id: "2019", "2021"
    values: dict[str, dict[str, list]]  # table key → row key → one figure per leaf column (None: unreadable)
    start: int  # lines[start:end] are the tables (from the heading of the first to its last figure)
    end: int
    problems: list[tuple[int, str]] = field(default_factory=list)  # (source line, Chinese message)
    raw: dict[tuple[str, str], list[str]] = field(default_factory=dict)  # (table, row) → cells as written
    at: dict[tuple[str, str], list[int]] = field(default_factory=dict)  # (table, row) → source line of each figure
    rows_found: int = 0


class _Reader:
    """One format tried on the cells of one report."""

    def __init__(self, fmt: Format, cells: list[_Cell], lines: list[Line]):
        self.fmt, self.cells, self.lines = fmt, cells, lines
        self.values: dict[str, dict[str, list]] = {}
        self.raw: dict = {}
        self.at: dict = {}
        self.problems: list[tuple[int, str]] = []
        self.used: list[int] = []  # cell indexes read as figures
        self.rows_found = 0

    def where(self, i: int) -> tuple[int, str]:
        """The source line of cell `i` and, for a PDF, its page as a message prefix."""
        line = self.lines[self.cells[min(i, len(self.cells) - 1)].line]
        return line.at, (f"第{line.page}页第{line.at}行：" if line.page else "")

    def problem(self, i: int, message: str) -> None:
        at, prefix = self.where(i)
        self.problems.append((at, prefix + message))

    def heading(self, table: TableSpec, start: int, stop: int) -> int | None:
        title = _label(table.title)
        return next((i for i in range(start, min(stop, len(self.cells))) if self.cells[i].label == title), None)

    def run(self, i: int, stop: int) -> int:
        """The end of the run of figure cells starting at `i`."""
        while i < stop and self.cells[i].figure:
            i += 1
        return i

    def store(self, table: TableSpec, block: Block, row: Heading, cells: list[int], label_at: int) -> None:
        values = [None] * len(block.leaf_columns)
        for n, (i, col) in enumerate(zip(cells, block.leaf_columns)):
            values[n] = _value(self.cells[i], col)
            if values[n] is None:
                kind = {"count": "非负整数", "amount": "非负数", "change": "整数"}[col.type]
                notes = [*(["可写“增加/减少”"] if col.type == "change" else []), *([f"单位{col.unit}"] if col.unit else [])]
                note = f"（{'，'.join(notes)}）" if notes else ""
                self.problem(i, f"{table.label}「{row.label}」{col.label}列的「{self.cells[i].raw}」不是{kind}{note}")
        if len(cells) < len(block.leaf_columns):
            self.problem(cells[-1] if cells else label_at,
                         f"{table.label}「{row.label}」应有 {len(block.leaf_columns)} 个数字"
                         f"（{'、'.join(c.label for c in block.leaf_columns)}），只找到 {len(cells)} 个")
        self.values[table.key][row.key] = values
        self.raw[(table.key, row.key)] = [self.cells[i].raw for i in cells]
        self.at[(table.key, row.key)] = [self.where(i)[0] for i in cells]
        self.used.extend(cells)
        if cells and len(cells) == len(block.leaf_columns) and None not in values:
            self.rows_found += 1

    def find_row(self, row: Heading, start: int, stop: int) -> int | None:
        """The first cell from `start` naming the row and followed by a figure (a column heading of the same
        name is not); then one followed by none; None if the row is not named."""
        names, bare = _names(row), None
        for i in range(start, stop):
            if self.cells[i].label in names:
                if i + 1 < stop and self.cells[i + 1].figure:
                    return i
                bare = i if bare is None else bare
        return bare

    def read_rows(self, table: TableSpec, block: Block, cursor: int, stop: int, begin: int) -> int:
        width = len(block.leaf_columns)
        for row in block.leaf_rows:
            at = self.find_row(row, cursor, stop)
            if at is None:  # printed out of order, perhaps
                at = self.find_row(row, begin, cursor)
            if at is None:
                self.problem(cursor, f"{table.label}中没有找到「{row.label}」一行（应在此行或其前后）")
                self.values[table.key][row.key] = [None] * width
                continue
            end = self.run(at + 1, stop)
            figures = list(range(at + 1, min(end, at + 1 + width)))
            if end - at - 1 > width:
                self.problem(end - 1, f"{table.label}「{row.label}」后有 {end - at - 1} 个数字，应为 {width} 个"
                                      f"（{'、'.join(c.label for c in block.leaf_columns)}），请核对")
            self.store(table, block, row, figures, at)
            cursor = max(cursor, at + 1 + len(figures))
        return cursor

    def read_wide(self, table: TableSpec, block: Block, cursor: int, stop: int) -> int:
        """The national template's 表四: row headings as header groups, then every figure in one run."""
        rows, width = block.leaf_rows, len(block.leaf_columns)
        if all((at := self.find_row(r, cursor, stop)) is not None and self.run(at + 1, stop) - at - 1 == width
               for r in rows):
            return self.read_rows(table, block, cursor, stop, cursor)  # printed row by row after all
        first = next((i for i in range(cursor, stop) if self.cells[i].figure), None)
        if first is None:
            self.problem(cursor, f"{table.label}中没有找到数字")
            for r in rows:
                self.values[table.key][r.key] = [None] * width
            return cursor
        for r in rows:
            if self.find_row(r, cursor, first) is None:
                self.problem(cursor, f"{table.label}的表头中没有找到「{r.label}」")
        end = self.run(first, stop)
        if end - first != width * len(rows):
            self.problem(first, f"{table.label}应有 {width * len(rows)} 个数字（{len(rows)} 类 × "
                                f"{'、'.join(c.label for c in block.leaf_columns)}），连续找到 {end - first} 个，请核对")
        for n, r in enumerate(rows):
            self.store(table, block, r, list(range(first + n * width, min(end, first + (n + 1) * width))), first)
        return end

    def region_end(self, table: TableSpec, start: int, following: int | None, limit: int | None) -> int:
        """Where a table's cells end: the next table's heading (`following`), else the next numbered heading that is
        none of the table's rows or columns (五、…), before a later table's heading (`limit`) and a bounded stretch."""
        if following is not None:
            return following
        own = {n for b in table.blocks for h in (*b.leaf_rows, *b.leaf_columns) for n in _names(h)}
        stop = min(len(self.cells), start + MAX_REGION, limit if limit is not None else len(self.cells))
        for i in range(start + 1, stop):
            c = self.cells[i]
            if not c.figure and re.match(r"^[一二三四五六七八九十]+[、.．]", fold(c.raw)) and c.label not in own:
                return i
        return stop

    def read(self) -> bool:
        """Every table of the format; False when the first table's heading is not there at all."""
        headings: list[int | None] = []
        cursor = 0
        for table in self.fmt.tables:
            at = self.heading(table, cursor, len(self.cells) if not headings else cursor + MAX_REGION)
            if not headings and at is None:
                return False
            headings.append(at)
            cursor = at + 1 if at is not None else cursor
        self.start = headings[0]
        cursor = headings[0]
        for n, table in enumerate(self.fmt.tables):
            following = headings[n + 1] if n + 1 < len(headings) else None
            later = next((h for h in headings[n + 1:] if h is not None), None)
            begin = headings[n] + 1 if headings[n] is not None else cursor
            if headings[n] is None:
                self.problem(cursor, f"没有找到{table.label}的标题「{table.title}」")
            stop = self.region_end(table, begin, following, later)
            self.values[table.key] = {}
            cursor = begin
            for block in table.blocks:
                if block.layout == "wide":
                    cursor = self.read_wide(table, block, cursor, stop)
                else:
                    cursor = self.read_rows(table, block, cursor, stop, begin)
            cursor = max(cursor, stop if following is not None else cursor)
        return True


def find_report_tables(lines: list[Line], formats: dict[str, Format]) -> ReportTables | None:
    """The tables 二、三、四 of one report, read with the format that fits them best; None when the text holds no
    such tables (a report before 2019, or the tables only as images). Never raises on odd text."""
    cells = _cells(lines)
    best = None
    for fmt in formats.values():
        reader = _Reader(fmt, cells, lines)
        if not reader.read():
            continue
        score = (reader.rows_found - len(reader.problems), reader.rows_found)
        total = sum(len(b.leaf_rows) for t in fmt.tables for b in t.blocks)
        if reader.rows_found * 2 >= total and (best is None or score > best[0]):
            best = (score, reader)
    if best is None:
        return None
    r = best[1]
    end = max((cells[i].line for i in r.used), default=cells[r.start].line) + 1
    while end < len(lines) and not lines[end].rows and not (lines[end].text or "").strip(" |｜\t\u3000"):
        end += 1  # the separators closing the last table go with it
    return ReportTables(r.fmt.id, r.values, cells[r.start].line, end, r.problems, r.raw, r.at, r.rows_found)


# -- the data file -------------------------------------------------------------------------------

def _yaml_figure(value, raw: str | None) -> str:
    if value is None:  # unreadable: kept as written (quoted), so the build points at it; absent: null
        return "null" if raw is None else json.dumps(raw, ensure_ascii=False)
    return format(value, "f") if isinstance(value, Decimal) else str(value)


def _comment(text: str) -> str:
    return " ".join(str(text).split())  # a comment stays on its line whatever the source held


def data_file_text(found: ReportTables, fmt: Format, *, source: str = "", title: str = "") -> str:
    """The report's data file (YAML): a Chinese header, 表二/表三/表四, a comment naming each block's columns,
    one line of figures per row in column order (a decrease negative)."""
    out = [f"# {_comment(title) or '政府信息公开工作年度报告'}统计数据（{_comment(fmt.name)}）。",
           "# 每行的数字按表格各列的顺序填写；修改后运行 `gazette check` 检查勾稽关系。",
           f"# 由 gazette import 从{_comment(source) or '原文'}的表{'、表'.join(t.key for t in fmt.tables)}读取，请与原文核对。"]
    if found.problems:
        out.append(f"# 读取时发现 {len(found.problems)} 处问题（见导入报告），其中无法识别的数字写作原文或 null。")
    for table in fmt.tables:
        out.append(f"{table.label}:")
        rows = found.values.get(table.key, {})
        for block in table.blocks:
            cols = " · ".join(f"{c.label}（{c.unit}{'，减少写负数' if c.type == 'change' else ''}）" if c.unit
                              else c.label for c in block.leaf_columns)
            out.append(f"  # {_comment(block.title) + '：' if block.title else ''}{_comment(cols)}")
            for row in block.leaf_rows:
                values = rows.get(row.key) or [None] * len(block.leaf_columns)
                raw = found.raw.get((table.key, row.key), [])
                cells = [_yaml_figure(v, raw[i] if i < len(raw) else None) for i, v in enumerate(values)]
                out.append(f"  {row.key}: [{', '.join(cells)}]")
    return "\n".join(out) + "\n"


@dataclass
class Check:
    """A message of the build's checks on the written data file."""

    data_line: int  # line of the data file
    source_line: int  # line of the imported source the row was read from (0 if unknown)
    message: str  # Chinese, as `gazette check` prints it


def check_data_file(text: str, fmt: Format, found: ReportTables | None = None, path: str = "report.yml") -> list[Check]:
    """The data file read as the build reads it (`parse_figures`) and its consistency rules (`check_rules`):
    what breaks a rule is reported, never fixed. Figures already listed in `found.problems` (unreadable or
    missing) are not reported again."""
    report = Report()
    loc = located(text, path, report, first_line=1, what="YAML")
    figures = parse_figures(loc, fmt, path, report) if loc is not None else None
    if figures is not None:
        check_rules(AnnualReport(fmt, 0, *figures, path), report)
    source_lines = {}  # data line → source line of the row's first figure
    if found is not None and figures is not None:
        for (table, row), data_lines in figures[1].items():
            src = found.at.get((table, row))
            for dl in data_lines:
                source_lines.setdefault(dl, src[0] if src else 0)
    skip = {"report-figure"} if found is not None and found.problems else set()
    return [Check(d.line, source_lines.get(d.line, 0), d.message) for d in report.items if d.code not in skip]


def data_file(found: ReportTables, fmt: Format, *, source: str = "", title: str = "",
              path: str = "report.yml") -> tuple[str, list[Check]]:
    """The data file's text and what the build's checks say about it."""
    text = data_file_text(found, fmt, source=source, title=title)
    return text, check_data_file(text, fmt, found, path)
