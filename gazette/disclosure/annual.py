"""Annual disclosure reports (政府信息公开工作年度报告): table layouts as data, figures checked, tables rendered.

A format version is declared once in a YAML file (`data/annual-report-2019.yml`;
a site may add folders with `report_formats:`), so a new national format is a
new file, not new code. A report item names its format and gives its figures
in front matter (`report: {format, tables}`) or in a YAML file beside it
(`report: {format, data: 2020.yml}`). Every figure keeps its line, so a
mistake is reported as `path:line: 表三「(七)总计」自然人列应为 451（各项之和），实为 452`.
"""

from __future__ import annotations

import difflib
import glob
import os
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from html import escape
from typing import Any

import yaml
from markupsafe import Markup

from gazette.disclosure import charts
from gazette.content import frontmatter
from gazette.diagnostics import Report

FORMAT_GLOB = "annual-report-*.yml"
TYPES = {"count": "非负整数", "amount": "非负数（可有小数）", "change": "整数（可为负数）"}

try:
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]


# -- YAML with line numbers -------------------------------------------------------

@dataclass
class Loc:
    """A YAML value with the line it starts on; mappings hold Loc values under str keys."""

    value: Any
    line: int
    key_lines: dict[str, int] = field(default_factory=dict)


def _locate(node: yaml.Node, offset: int, constructor) -> Loc:
    line = node.start_mark.line + offset
    if isinstance(node, yaml.MappingNode):
        out: dict[str, Loc] = {}
        lines: dict[str, int] = {}
        for k, v in node.value:
            key = str(constructor.construct_object(k, deep=True)).strip()
            if key in out:
                raise _DuplicateKey(key, k.start_mark.line + offset)
            out[key] = _locate(v, offset, constructor)
            lines[key] = k.start_mark.line + offset
        return Loc(out, line, lines)
    if isinstance(node, yaml.SequenceNode):
        return Loc([_locate(v, offset, constructor) for v in node.value], line)
    return Loc(constructor.construct_object(node, deep=True), line)


class _DuplicateKey(Exception):
    def __init__(self, key: str, line: int):
        self.key, self.line = key, line


def load_located(text: str, path: str, report: Report, offset: int = 1) -> Loc | None:
    """Parse YAML text into Loc values; `offset` is the file line of the text's first line."""
    root = frontmatter.compose(text, path, report, first_line=offset, what="YAML")
    if root is frontmatter.FAILED:
        return None
    if root is None:
        return Loc(None, offset)
    shape = frontmatter._check_shape(root)
    if shape:
        report.error(path, shape[1] + offset, shape[0], "yaml-shape")
        return None
    constructor = _Loader("")
    try:
        return _locate(root, offset, constructor)
    except _DuplicateKey as exc:
        report.error(path, exc.line, f"「{exc.key}」重复出现，请只保留一个", "duplicate-key")
    except (yaml.YAMLError, ValueError, TypeError, OverflowError) as exc:
        report.error(path, offset, f"YAML 中有无法识别的值（{str(exc).splitlines()[0][:80]}）", "bad-value")
    finally:
        constructor.dispose()
    return None


def read_located(abs_path: str, path: str, report: Report) -> Loc | None:
    try:
        with open(abs_path, "rb") as fh:
            data = fh.read(frontmatter.MAX_FILE_BYTES + 1)
    except OSError as exc:
        report.error(path, 1, f"无法读取文件（{exc.strerror or exc}）", "io")
        return None
    text = frontmatter.decode(data, path, report)
    if text is None:
        return None
    return load_located(text, path, report)


def _norm(name: str) -> str:
    """Names compared leniently: spaces, bracket widths and quotes do not matter."""
    table = str.maketrans({"（": "(", "）": ")", "“": "", "”": "", '"': "", "·": "", "、": "", "．": ".", " ": "", "\u3000": ""})
    return str(name).translate(table).strip()


# -- format declarations ------------------------------------------------------------

@dataclass(eq=False)
class ColumnSpec:
    key: str
    label: str
    type: str = "count"
    unit: str = ""
    children: list["ColumnSpec"] = field(default_factory=list)
    parent: "ColumnSpec | None" = None


@dataclass(eq=False)
class RowSpec:
    key: str
    label: str
    children: list["RowSpec"] = field(default_factory=list)
    parent: "RowSpec | None" = None

    @property
    def depth(self) -> int:
        return 0 if self.parent is None else self.parent.depth + 1


@dataclass(eq=False)
class Block:
    title: str
    header: str
    columns: list[ColumnSpec]
    rows: list[RowSpec]
    leaf_columns: list[ColumnSpec] = field(default_factory=list)
    leaf_rows: list[RowSpec] = field(default_factory=list)

    def column(self, name: str) -> ColumnSpec | None:
        n = _norm(name)
        return next((c for c in self.leaf_columns if _norm(c.key) == n or _norm(c.label) == n), None)


@dataclass(eq=False)
class TableSpec:
    key: str
    title: str
    note: str
    blocks: list[Block]
    row_index: dict[str, tuple[Block, RowSpec]] = field(default_factory=dict)

    def find_row(self, name: str) -> tuple[Block, RowSpec] | None:
        return self.row_index.get(_norm(name))

    @property
    def label(self) -> str:
        return f"表{self.key}"


@dataclass
class Rule:
    table: TableSpec
    across: str  # "rows" (each column) or "columns" (each row)
    target: str
    plus: list[str]
    minus: list[str]
    explain: str
    block: Block | None = None


@dataclass
class Format:
    id: str
    name: str
    tables: list[TableSpec]
    rules: list[Rule]
    chart: dict | None
    path: str

    def table(self, name: str) -> TableSpec | None:
        n = _norm(str(name)).removeprefix("表")
        return next((t for t in self.tables if t.key == n), None)


class _Bad(Exception):
    def __init__(self, line: int, message: str):
        self.line, self.message = line, message


def _text(loc: Loc | None, what: str, line: int) -> str:
    if loc is None or loc.value is None or isinstance(loc.value, (dict, list)) or str(loc.value).strip() == "":
        raise _Bad(loc.line if loc else line, f"{what}应为一段文字")
    return str(loc.value).strip()


def _get(loc: Loc, key: str) -> Loc | None:
    return loc.value.get(key) if isinstance(loc.value, dict) else None


def _parse_columns(loc: Loc, default_type: str, parent: ColumnSpec | None, leaves: list[ColumnSpec]) -> list[ColumnSpec]:
    if not isinstance(loc.value, list) or not loc.value:
        raise _Bad(loc.line, "columns 应为非空列表")
    out = []
    for entry in loc.value:
        if isinstance(entry.value, dict):
            label = _text(_get(entry, "label") or _get(entry, "key"), "列的 label", entry.line)
            key = _text(_get(entry, "key"), "列的 key", entry.line) if _get(entry, "key") else label
            kind = _text(_get(entry, "type"), "列的 type", entry.line) if _get(entry, "type") else default_type
            unit = _text(_get(entry, "unit"), "列的 unit", entry.line) if _get(entry, "unit") else ""
            if kind not in TYPES:
                raise _Bad(entry.line, f"列的 type「{kind}」应为 {'、'.join(TYPES)} 之一")
            col = ColumnSpec(key, label, kind, unit, parent=parent)
            if _get(entry, "children") is not None:
                col.children = _parse_columns(entry.value["children"], kind, col, leaves)
            else:
                leaves.append(col)
        else:
            name = _text(entry, "列名", entry.line)
            col = ColumnSpec(name, name, default_type, parent=parent)
            leaves.append(col)
        out.append(col)
    return out


def _parse_rows(loc: Loc, parent: RowSpec | None, leaves: list[RowSpec]) -> list[RowSpec]:
    if not isinstance(loc.value, list) or not loc.value:
        raise _Bad(loc.line, "rows 应为非空列表")
    out = []
    for entry in loc.value:
        if isinstance(entry.value, dict):
            label = _text(_get(entry, "label") or _get(entry, "key"), "行的 label", entry.line)
            key = _text(_get(entry, "key"), "行的 key", entry.line) if _get(entry, "key") else label
            row = RowSpec(key, label, parent=parent)
            if _get(entry, "children") is not None:
                row.children = _parse_rows(entry.value["children"], row, leaves)
            else:
                leaves.append(row)
        else:
            name = _text(entry, "行名", entry.line)
            row = RowSpec(name, name, parent=parent)
            leaves.append(row)
        out.append(row)
    return out


def parse_format(loc: Loc, path: str) -> Format:
    if not isinstance(loc.value, dict):
        raise _Bad(loc.line, "年报格式文件应为「字段: 值」的映射（format、name、tables、rules）")
    fid = _text(_get(loc, "format"), "format（格式版本）", loc.line)
    name = _text(_get(loc, "name"), "name", loc.line) if _get(loc, "name") else f"{fid}年格式"
    tables_loc = _get(loc, "tables")
    if tables_loc is None or not isinstance(tables_loc.value, list):
        raise _Bad(loc.line, "缺少 tables（表格列表）")
    tables = []
    for t in tables_loc.value:
        if not isinstance(t.value, dict):
            raise _Bad(t.line, "tables 的每一项应为映射（key、title、blocks）")
        key = _text(_get(t, "key"), "表的 key", t.line).removeprefix("表")
        blocks_loc = _get(t, "blocks")
        if blocks_loc is None or not isinstance(blocks_loc.value, list) or not blocks_loc.value:
            raise _Bad(t.line, f"表{key}缺少 blocks")
        table = TableSpec(key, _text(_get(t, "title"), "表的 title", t.line),
                          _text(_get(t, "note"), "note", t.line) if _get(t, "note") else "", [])
        for b in blocks_loc.value:
            if not isinstance(b.value, dict) or _get(b, "columns") is None or _get(b, "rows") is None:
                raise _Bad(b.line, f"表{key}的 blocks 每一项应有 columns 和 rows")
            default_type = _text(_get(b, "type"), "type", b.line) if _get(b, "type") else "count"
            block = Block(_text(_get(b, "title"), "title", b.line) if _get(b, "title") else "",
                          _text(_get(b, "header"), "header", b.line) if _get(b, "header") else "", [], [])
            block.columns = _parse_columns(b.value["columns"], default_type, None, block.leaf_columns)
            block.rows = _parse_rows(b.value["rows"], None, block.leaf_rows)
            seen_cols: set[str] = set()
            for col in block.leaf_columns:
                if _norm(col.key) in seen_cols:
                    raise _Bad(b.line, f"表{key}中列「{col.key}」重复")
                seen_cols.add(_norm(col.key))
            for row in block.leaf_rows:
                for row_name in {_norm(row.key), _norm(row.label)}:
                    if row_name in table.row_index and table.row_index[row_name][1] is not row:
                        raise _Bad(b.line, f"表{key}中行「{row.key}」重复")
                    table.row_index[row_name] = (block, row)
            table.blocks.append(block)
        if any(x.key == table.key for x in tables):
            raise _Bad(t.line, f"表{key}重复声明")
        tables.append(table)
    fmt = Format(fid, name, tables, [], None, path)
    for r in (_get(loc, "rules").value if _get(loc, "rules") and isinstance(_get(loc, "rules").value, list) else []):
        fmt.rules.append(_parse_rule(r, fmt))
    chart = _get(loc, "chart")
    if chart is not None:
        fmt.chart = _parse_chart(chart, fmt)
    return fmt


def _names(loc: Loc | None, what: str, line: int) -> list[str]:
    if loc is None:
        return []
    if not isinstance(loc.value, list):
        raise _Bad(loc.line, f"{what}应为列表")
    return [_text(x, what, x.line) for x in loc.value]


def _parse_rule(r: Loc, fmt: Format) -> Rule:
    if not isinstance(r.value, dict):
        raise _Bad(r.line, "rules 的每一项应为映射（table、across、target、plus、minus）")
    table = fmt.table(_text(_get(r, "table"), "规则的 table", r.line))
    if table is None:
        raise _Bad(r.line, "规则的 table 不是本格式声明的表")
    across = _text(_get(r, "across"), "规则的 across", r.line)
    if across not in ("rows", "columns"):
        raise _Bad(r.line, "规则的 across 应为 rows 或 columns")
    rule = Rule(table, across, _text(_get(r, "target"), "规则的 target", r.line),
                _names(_get(r, "plus"), "规则的 plus", r.line), _names(_get(r, "minus"), "规则的 minus", r.line),
                _text(_get(r, "explain"), "explain", r.line) if _get(r, "explain") else "")
    if across == "rows":
        blocks = set()
        for name in (rule.target, *rule.plus, *rule.minus):
            found = table.find_row(name)
            if found is None:
                raise _Bad(r.line, f"规则中的行「{name}」不在表{table.key}中")
            blocks.add(id(found[0]))
            rule.block = found[0]
        if len(blocks) > 1:
            raise _Bad(r.line, "同一条规则中的行应在同一个表格块中")
    else:
        names = (rule.target, *rule.plus, *rule.minus)
        usable = [b for b in table.blocks if all(b.column(n) for n in names)]
        if not usable:
            raise _Bad(r.line, f"规则中的列不全在表{table.key}的同一个表格块中")
        rule.block = usable[0]
    return rule


def _parse_chart(loc: Loc, fmt: Format) -> dict:
    table = fmt.table(_text(_get(loc, "table"), "chart 的 table", loc.line))
    if table is None:
        raise _Bad(loc.line, "chart 的 table 不是本格式声明的表")
    column = _text(_get(loc, "column"), "chart 的 column", loc.line)

    def series(s: Loc) -> tuple[str, list[str]]:
        label = _text(_get(s, "label"), "chart 的 label", s.line)
        rows = _names(_get(s, "rows"), "chart 的 rows", s.line)
        for name in rows:
            found = table.find_row(name)
            if found is None or found[0].column(column) is None:
                raise _Bad(s.line, f"chart 中的行「{name}」不在表{table.key}中，或该行没有「{column}」列")
        return label, rows

    received = _get(loc, "received")
    outcomes = _get(loc, "outcomes")
    if received is None or outcomes is None or not isinstance(outcomes.value, list):
        raise _Bad(loc.line, "chart 应有 received 和 outcomes")
    return {"table": table, "column": column, "received": series(received), "outcomes": [series(o) for o in outcomes.value]}


def load_formats(dirs, project_dir: str, report: Report) -> dict[str, Format]:
    """Every declared format, by version id; later folders (the site's) may add versions, not replace them silently."""
    formats: dict[str, Format] = {}
    for folder in dirs:
        for abs_path in sorted(glob.glob(os.path.join(folder, FORMAT_GLOB))):
            shown = os.path.relpath(abs_path, project_dir).replace(os.sep, "/")
            if shown.startswith("../"):
                shown = abs_path
            loc = read_located(abs_path, shown, report)
            if loc is None:
                continue
            try:
                fmt = parse_format(loc, shown)
            except _Bad as exc:
                report.error(shown, exc.line, f"年报格式声明有误：{exc.message}", "report-format")
                continue
            except (AttributeError, KeyError, TypeError, ValueError):
                report.error(shown, 1, "年报格式声明有误：结构无法识别，请对照 gazette/data/annual-report-2019.yml 的写法", "report-format")
                continue
            if fmt.id in formats:
                report.error(shown, 1, f"年报格式「{fmt.id}」已在 {formats[fmt.id].path} 中声明，版本号不能重复", "report-format")
                continue
            formats[fmt.id] = fmt
    return formats


# -- a report's figures ------------------------------------------------------------------

@dataclass
class AnnualReport:
    format: Format
    year: int
    values: dict[str, dict[str, list]]  # table key → row key → one figure per leaf column
    lines: dict[tuple[str, str], list[int]]  # (table, row) → line of each figure
    path: str  # where the figures were written (data file or the item)

    def figure(self, table: str, row: str, column: str):
        t = self.format.table(table)
        block, r = t.find_row(row)
        col = block.column(column)
        return self.values[t.key][r.key][block.leaf_columns.index(col)]


_CHANGE = re.compile(r"^(增加|减少|\+|-|−)?\s*(\d+)$")


def read_figure(raw: Any, col: ColumnSpec) -> int | Decimal:
    """One cell: raises ValueError with what was expected."""
    if isinstance(raw, bool) or raw is None or isinstance(raw, (list, dict)):
        raise ValueError
    if isinstance(raw, str):
        text = raw.strip().replace(",", "").replace("，", "")
        if col.unit and text.endswith(col.unit):
            text = text[: -len(col.unit)].strip()
    else:
        text = None
    if col.type == "count":
        if isinstance(raw, int) and raw >= 0:
            return raw
        if text is not None and text.isdigit():
            return int(text)
        raise ValueError
    if col.type == "change":
        if isinstance(raw, int):
            return raw
        m = _CHANGE.match(text or "")
        if m:
            return -int(m[2]) if m[1] in ("减少", "-", "−") else int(m[2])
        raise ValueError
    # amount
    try:
        value = Decimal(repr(raw)) if isinstance(raw, (int, float)) else Decimal(text or "x")
    except InvalidOperation:
        raise ValueError from None
    if not value.is_finite() or value < 0:
        raise ValueError
    return value


def _shown(raw: Any) -> str:
    if raw is None:
        return "空"
    if isinstance(raw, bool):
        return "是" if raw else "否"
    if isinstance(raw, list):
        return "列表"
    if isinstance(raw, dict):
        return "映射"
    return str(raw)


def parse_figures(loc: Loc, fmt: Format, path: str, report: Report) -> tuple[dict, dict, bool] | None:
    """The tables of a report, checked against its format: rows present, figures of the right kind."""
    if not isinstance(loc.value, dict):
        report.error(path, loc.line, "年报数据应为「表名: 各行数据」的映射，例如「表三:」下每行写「本年新收: [446, 4, 0, 1, 0, 0, 451]」", "report-data")
        return None
    values: dict[str, dict[str, list]] = {}
    lines: dict[tuple[str, str], list[int]] = {}
    table_lines: dict[str, int] = {}
    ok = True
    for name, tloc in loc.value.items():
        table = fmt.table(name)
        line = loc.key_lines.get(name, loc.line)
        if table is None:
            known = "、".join(t.label for t in fmt.tables)
            report.error(path, line, f"年报格式「{fmt.id}」没有「{name}」，应为 {known}", "report-data")
            ok = False
            continue
        if table.key in values:
            report.error(path, line, f"{table.label}写了两次", "report-data")
            ok = False
            continue
        rows = values[table.key] = {}
        if not isinstance(tloc.value, dict):
            report.error(path, tloc.line, f"{table.label}应为「行名: [数字, …]」的映射", "report-data")
            ok = False
            continue
        table_lines[table.key] = line
        for row_name, rloc in tloc.value.items():
            rline = tloc.key_lines.get(row_name, rloc.line)
            found = table.find_row(row_name)
            if found is None:
                names = [r.key for b in table.blocks for r in b.leaf_rows]
                close = difflib.get_close_matches(_norm(row_name), names, n=1, cutoff=0.5)
                hint = f"，是不是「{close[0]}」？" if close else f"；{table.label}的行：{'、'.join(names)}"
                report.error(path, rline, f"{table.label}没有「{row_name}」这一行{hint}", "report-data")
                ok = False
                continue
            block, row = found
            if row.key in rows:
                report.error(path, rline, f"{table.label}「{row.label}」写了两次", "report-data")
                ok = False
                continue
            cols = block.leaf_columns
            expected = f"{len(cols)} 个数字（{'、'.join(c.label for c in cols)}）"
            cells = rloc.value if isinstance(rloc.value, list) else [rloc] if len(cols) == 1 and not isinstance(rloc.value, dict) else None
            if cells is None:
                report.error(path, rline, f"{table.label}「{row.label}」应写成列表：{expected}，例如 [{', '.join('0' for _ in cols)}]", "report-data")
                ok = False
                rows[row.key] = [None] * len(cols)  # present, unusable: no “missing row” too
                continue
            if len(cells) != len(cols):
                report.error(path, rline, f"{table.label}「{row.label}」应有 {expected}，实有 {len(cells)} 个", "report-data")
                ok = False
                rows[row.key] = [None] * len(cols)
                continue
            figures = []
            for cell, col in zip(cells, cols):
                try:
                    figures.append(read_figure(cell.value, col))
                except ValueError:
                    unit = f"，不写单位或写“{col.unit}”" if col.unit else ""
                    report.error(path, cell.line, f"{table.label}「{row.label}」{col.label}列应为{TYPES[col.type]}{unit}，实为「{_shown(cell.value)}」", "report-figure")
                    ok = False
                    figures.append(None)
            rows[row.key] = figures
            lines[(table.key, row.key)] = [c.line for c in cells]
    for table in fmt.tables:
        if table.key not in values:
            report.error(path, loc.line, f"缺少{table.label}（{table.title}）的数据", "report-data")
            ok = False
            continue
        if table.key not in table_lines:
            continue  # its shape was wrong; already reported
        for r in (r for b in table.blocks for r in b.leaf_rows if r.key not in values[table.key]):
            zeros = ", ".join("0" for _ in _block_of(table, r).leaf_columns)
            report.error(path, table_lines[table.key], f"{table.label}缺少「{r.label}」一行（写作「{r.key}: [{zeros}]」）", "report-data")
            ok = False
    return values, lines, ok


def _block_of(table: TableSpec, row: RowSpec) -> Block:
    return table.find_row(row.key)[0]


def _fmt_number(value) -> str:
    if isinstance(value, Decimal):
        return format(value, "f")
    return str(value)


def check_rules(rep: AnnualReport, report: Report) -> None:
    """The consistency rules (勾稽关系) of the format: each violation names table, row, column, expected and actual.

    Figures that are missing or unreadable were reported already; sums needing them are skipped."""
    for rule in rep.format.rules:
        t = rule.table
        rows = rep.values.get(t.key, {})
        block = rule.block
        why = f"（{rule.explain}）" if rule.explain else ""
        if rule.across == "rows":
            target = t.find_row(rule.target)[1]
            plus = [t.find_row(n)[1] for n in rule.plus]
            minus = [t.find_row(n)[1] for n in rule.minus]
            if any(r.key not in rows for r in (target, *plus, *minus)):
                continue
            for ci, col in enumerate(block.leaf_columns):
                figs = [rows[r.key][ci] for r in (target, *plus, *minus)]
                if None in figs:
                    continue
                expected = sum(rows[r.key][ci] for r in plus) - sum(rows[r.key][ci] for r in minus)
                actual = rows[target.key][ci]
                if actual != expected:
                    line = rep.lines[(t.key, target.key)][ci]
                    report.error(rep.path, line, f"{t.label}「{target.label}」{col.label}列应为 {_fmt_number(expected)}{why}，实为 {_fmt_number(actual)}", "report-sum")
        else:
            tcol = block.column(rule.target)
            ti = block.leaf_columns.index(tcol)
            pi = [block.leaf_columns.index(block.column(n)) for n in rule.plus]
            mi = [block.leaf_columns.index(block.column(n)) for n in rule.minus]
            for row in block.leaf_rows:
                figs = rows.get(row.key)
                if figs is None or any(figs[i] is None for i in (ti, *pi, *mi)):
                    continue
                expected = sum(figs[i] for i in pi) - sum(figs[i] for i in mi)
                if figs[ti] != expected:
                    line = rep.lines[(t.key, row.key)][ti]
                    report.error(rep.path, line, f"{t.label}「{row.label}」{tcol.label}列应为 {_fmt_number(expected)}{why}，实为 {_fmt_number(figs[ti])}", "report-sum")


def _inline_tables(abs_path: str, path: str, report: Report) -> Loc | None:
    """The `tables` mapping of a report written in front matter, with its file lines."""
    try:
        with open(abs_path, "rb") as fh:
            text = frontmatter.decode(fh.read(frontmatter.MAX_FILE_BYTES + 1), path, report)
    except OSError:
        return None
    if text is None or not text.startswith("---\n"):
        return None
    closing = frontmatter._CLOSING.search(text, 4)
    loc = load_located(text[4 : closing.start()] if closing else "", path, report, offset=2)
    if loc is None or not isinstance(loc.value, dict):
        return None
    spec = loc.value.get("report") or loc.value.get("年报数据")
    if spec is None or not isinstance(spec.value, dict):
        return None
    for key in ("tables", "表格"):
        if key in spec.value:
            tables = spec.value[key]
            tables.line = spec.key_lines[key]  # messages about the whole mapping point at its key
            return tables
    return None


def check_reports(records, report: Report, formats: dict[str, Format], docs_dir: str) -> int:
    """Read and check the figures of every item that declares a report; attach them for rendering.

    Returns how many items declare a report."""
    count = 0
    for item in records.items:
        spec = item.report
        if not spec:
            continue
        count += 1
        line = item.lines.get("report.format") or item.lines.get("report.格式") or item.lines.get("report", 1)
        fmt = formats.get(spec["format"])
        if fmt is None:
            known = "、".join(f"{f.id}（{f.name}）" for f in formats.values()) or "无"
            report.error(item.path, line, f"年报格式版本「{spec['format']}」没有声明；已声明的格式：{known}。新格式请在 report_formats 目录中增加 annual-report-<版本>.yml", "report-format")
            continue
        prefix = item.path[: len(item.path) - len(item.src)]
        if spec.get("data_src"):
            path = prefix + spec["data_src"]
            loc = read_located(os.path.join(docs_dir, spec["data_src"]), path, report)
        else:
            path = item.path
            loc = _inline_tables(os.path.join(docs_dir, item.src), path, report)
        if loc is None:
            continue
        parsed = parse_figures(loc, fmt, path, report)
        if parsed is None:
            continue
        values, lines, ok = parsed
        year = spec.get("year") or item.published.year - 1
        rep = AnnualReport(fmt, year, values, lines, path)
        before = len(report.errors)
        check_rules(rep, report)  # also on a partly broken report: every problem is listed at once
        if ok and len(report.errors) == before:
            spec["parsed"] = rep
    return count


# -- rendering ---------------------------------------------------------------------

def format_figure(value, col: ColumnSpec) -> str:
    """As the official tables print them: 150件, 减少5项, 27042.62万元; a zero stands alone."""
    if value is None:
        return ""
    if col.type == "change":
        if value == 0:
            return "0"
        return f"{'增加' if value > 0 else '减少'}{abs(value)}{col.unit}"
    if value == 0:
        return "0"
    return f"{_fmt_number(value)}{col.unit}"


def _header_rows(columns: list[ColumnSpec]) -> list[list[tuple[ColumnSpec, int, int]]]:
    def depth(cols):
        return max((1 + depth(c.children) if c.children else 1) for c in cols)

    def width(c):
        return sum(width(x) for x in c.children) if c.children else 1

    total = depth(columns)
    rows: list[list] = [[] for _ in range(total)]

    def walk(cols, level):
        for c in cols:
            if c.children:
                rows[level].append((c, width(c), 1))
                walk(c.children, level + 1)
            else:
                rows[level].append((c, 1, total - level))

    walk(columns, 0)
    return rows


def render_block(rep: AnnualReport, table: TableSpec, block: Block, uid: str, caption: str) -> str:
    values = rep.values[table.key]
    ids: dict[int, str] = {}
    out = [f'<div class="gz-ar__scroll" role="region" aria-labelledby="{uid}-cap" tabindex="0">',
           f'<table class="gz-ar__table"><caption id="{uid}-cap">{escape(caption)}</caption><thead>']
    header_rows = _header_rows(block.columns)
    n = 0
    for level, cells in enumerate(header_rows):
        out.append("<tr>")
        if level == 0:
            corner = escape(block.header)
            span = f' rowspan="{len(header_rows)}"' if len(header_rows) > 1 else ""
            out.append(f'<th scope="col"{span} class="gz-ar__corner" id="{uid}-h">{corner}</th>' if corner
                       else f'<td{span} class="gz-ar__corner"></td>')
        for col, cspan, rspan in cells:
            n += 1
            ids[id(col)] = f"{uid}-c{n}"
            attrs = (f' colspan="{cspan}"' if cspan > 1 else "") + (f' rowspan="{rspan}"' if rspan > 1 else "")
            scope = "colgroup" if col.children else "col"
            out.append(f'<th scope="{scope}" id="{ids[id(col)]}"{attrs}>{escape(col.label)}</th>')
        out.append("</tr>")
    out.append("</thead><tbody>")
    ncols = len(block.leaf_columns) + 1
    r = 0

    def col_headers(col):
        chain, c = [], col
        while c is not None:
            chain.insert(0, ids[id(c)])
            c = c.parent
        return chain

    def emit(rows_: list[RowSpec]):
        nonlocal r
        for row in rows_:
            r += 1
            rid = f"{uid}-r{r}"
            ids[id(row)] = rid
            chain, p = [], row.parent
            while p is not None:
                chain.insert(0, ids[id(p)])
                p = p.parent
            if row.children:
                out.append(f'<tr class="gz-ar__group gz-ar__d{row.depth}"><th id="{rid}" colspan="{ncols}" scope="colgroup">{escape(row.label)}</th></tr>')
                emit(row.children)
                continue
            out.append(f'<tr class="gz-ar__d{row.depth}"><th scope="row" id="{rid}"'
                       + (f' headers="{" ".join(chain)}"' if chain else "") + f'>{escape(row.label)}</th>')
            for col, value in zip(block.leaf_columns, values[row.key]):
                headers = " ".join([*col_headers(col), *chain, rid])
                out.append(f'<td headers="{headers}">{escape(format_figure(value, col))}</td>')
            out.append("</tr>")

    emit(block.rows)
    out.append("</tbody></table></div>")
    return "".join(out)


def render(rep: AnnualReport | None) -> str:
    """Sections 二, 三, 四 as HTML tables (each in a scroll container for narrow screens)."""
    if rep is None:
        return ""
    out = ['<div class="gz-ar">']
    for ti, table in enumerate(rep.format.tables, 1):
        uid = f"gz-ar-{ti}"
        out.append(f'<section class="gz-ar__section" aria-labelledby="{uid}-h"><h3 id="{uid}-h">{escape(table.title)}</h3>')
        if table.note:
            out.append(f'<p class="gz-ar__note">{escape(table.note)}</p>')
        for bi, block in enumerate(table.blocks, 1):
            caption = f"{table.label} {block.title}" if block.title else f"{table.label} {re.sub(r'^[一二三四五六七八九十]+、', '', table.title)}"
            out.append(render_block(rep, table, block, f"{uid}-{bi}", caption))
        out.append("</section>")
    out.append("</div>")
    return "".join(out)


# -- the reports' landing page ---------------------------------------------------------

def chart_series(rep: AnnualReport) -> tuple[int, list[tuple[str, int]], str] | None:
    """(applications received, [(outcome, count)], received label) of one report, per its format's chart."""
    chart = rep.format.chart
    if not chart:
        return None
    t = chart["table"]

    def total(rows):
        return sum(rep.figure(t.key, name, chart["column"]) for name in rows)

    label, rows = chart["received"]
    return total(rows), [(lbl, total(rs)) for lbl, rs in chart["outcomes"]], label


def add_chart_views(catalog, views: dict) -> None:
    """The chart of the years present goes on the first page of each column holding reports."""
    by_column: dict[int, tuple[Any, dict[int, AnnualReport]]] = {}
    for item in catalog.items:
        spec = item.record.report
        rep = spec.get("parsed") if spec else None
        if rep is None or item.column is None or rep.format.chart is None:
            continue
        _, years = by_column.setdefault(id(item.column), (item.column, {}))
        years.setdefault(rep.year, rep)
    for node, years in by_column.values():
        html = chart_html(years)
        for view in views.values():
            if view.context.get("column") is node and view.context["pager"].number == 1 and not view.context.get("filtered"):
                view.context["annual_chart"] = html


def chart_html(years: dict[int, AnnualReport]) -> Markup:
    """The chart and its table; Markup: every text in it is escaped here."""
    groups = []
    parts_legend: list[str] = []
    received_label = "新收申请"
    for year in sorted(years):
        series = chart_series(years[year])
        if series is None:
            continue
        received, outcomes, received_label = series
        groups.append((f"{year}年", received, outcomes))
        for lbl, _ in outcomes:
            if lbl not in parts_legend:
                parts_legend.append(lbl)
    if not groups:
        return Markup("")
    title = "各年度政府信息公开申请数量及办理结果"
    svg = charts.stacked_bar_chart(groups, title=title, received_label=received_label, parts=parts_legend, unit="件")
    head = "".join(f'<th scope="col">{escape(p)}</th>' for p in parts_legend)
    body = []
    for label, received, outcomes in groups:
        got = dict(outcomes)
        cells = "".join(f"<td>{got.get(p, '')}</td>" for p in parts_legend)
        body.append(f'<tr><th scope="row">{escape(label)}</th><td>{received}</td>{cells}<td>{sum(got.values())}</td></tr>')
    table = (f'<div class="gz-ar__scroll" role="region" aria-labelledby="gz-ar-chart-cap" tabindex="0">'
             f'<table class="gz-ar__table"><caption id="gz-ar-chart-cap">{escape(title)}（单位：件）</caption>'
             f'<thead><tr><th scope="col">年度</th><th scope="col">{escape(received_label)}</th>{head}<th scope="col">办理合计</th></tr></thead>'
             f'<tbody>{"".join(body)}</tbody></table></div>')
    note = ('<p class="gz-ar__note">“办理合计”为当年办结的申请（含上年结转），因此可能与当年新收数量不同。</p>')
    return Markup(f'<figure class="gz-ar-chart">{svg}<figcaption class="gz-visually-hidden">{escape(title)}</figcaption></figure>{table}{note}')
