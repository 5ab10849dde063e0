"""Annual disclosure reports (政府信息公开工作年度报告): table layouts as data, figures checked, tables rendered.

A format version is a YAML file (`data/annual-report-2019.yml`, or in a site's `report_formats:` folders), so a
new national format is a new file, not new code. A report item names its format and gives its figures in front
matter (`report: {format, tables}`) or in a YAML file beside it (`report: {format, data: 2020.yml}`). Every
figure keeps its line: `path:line: 表三「(七)总计」自然人列应为 451（各项之和），实为 452`.
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

from markupsafe import Markup

from gazette.content import frontmatter
from gazette.content.frontmatter import Located
from gazette.diagnostics import Report
from gazette.model import charts

TYPES = {"count": "非负整数", "amount": "非负数（可有小数）", "change": "整数（可为负数）"}
_LENIENT = str.maketrans({"（": "(", "）": ")", "“": "", "”": "", '"': "", "·": "", "、": "", "．": ".", " ": "",
                          "\u3000": ""})


def _norm(name: Any) -> str:
    """Names compared leniently: spaces, bracket widths and quotes do not matter."""
    return str(name).translate(_LENIENT).strip()


# -- format declarations ------------------------------------------------------------

@dataclass(eq=False)
class Heading:
    """A row or a column of a table; one with children is a group heading over them."""

    key: str
    label: str
    type: str = "count"  # columns only: the kind of figure (TYPES)
    unit: str = ""
    children: list["Heading"] = field(default_factory=list)


def _flatten(nodes: list[Heading], above: tuple = ()) -> list[tuple[Heading, tuple]]:
    """A tree of headings in document order, each with the headings above it."""
    return [x for n in nodes for x in ((n, above), *_flatten(n.children, (*above, n)))]


@dataclass(eq=False)
class Block:
    """One HTML table: a tree of columns over a tree of rows; the figures sit where leaves cross."""

    title: str
    header: str
    columns: list[Heading]
    rows: list[Heading]
    layout: str = "rows"  # "wide": printed as the national template does, the rows side by side in one line

    def __post_init__(self):
        # each leaf column with the group headings above it, outermost first
        self.column_paths = [(*above, c) for c, above in _flatten(self.columns) if not c.children]
        self.leaf_columns = [path[-1] for path in self.column_paths]
        self.leaf_rows = [r for r, _ in _flatten(self.rows) if not r.children]

    def column(self, name: str) -> int | None:  # the index of a leaf column, by key or label
        n = _norm(name)
        return next((i for i, c in enumerate(self.leaf_columns) if n in (_norm(c.key), _norm(c.label))), None)


@dataclass(eq=False)
class TableSpec:
    key: str
    title: str
    note: str
    blocks: list[Block] = field(default_factory=list)
    row_index: dict[str, tuple[Block, Heading]] = field(default_factory=dict)

    def find_row(self, name: str) -> tuple[Block, Heading] | None:
        return self.row_index.get(_norm(name))

    @property
    def label(self) -> str:
        return f"表{self.key}"


@dataclass
class Rule:
    """A consistency rule (勾稽关系) as equations: target cell = Σ plus cells − Σ minus cells."""

    table: TableSpec
    block: Block
    explain: str
    equations: list[tuple]  # (target, plus, minus) cells; a cell is a leaf row and the index of a leaf column


@dataclass
class Format:
    id: str
    name: str
    tables: list[TableSpec]
    path: str
    rules: list[Rule] = field(default_factory=list)
    chart: dict | None = None  # table, received: (label, cells), outcomes: [(label, cells)]

    def table(self, name: str) -> TableSpec | None:
        return next((t for t in self.tables if t.key == _norm(name).removeprefix("表")), None)


class _Bad(Exception):
    """A mistake in a format declaration: (line, message)."""


def _need(ok: Any, line: int, message: str) -> None:
    if not ok:
        raise _Bad(line, message)


def _get(loc: Located, key: str) -> Located | None:
    return loc.value.get(key) if isinstance(loc.value, dict) else None


def _text(loc: Located, key: str | None, what: str, default: str | None = None) -> str:
    """The text of `loc` (key None) or of its field `key`; `default`, if given, when the field is absent."""
    found = loc if key is None else _get(loc, key)
    if found is None and default is not None:
        return default
    if found is None or found.value is None or isinstance(found.value, (dict, list)) or not str(found.value).strip():
        raise _Bad(found.line if found else loc.line, f"{what}应为一段文字")
    return str(found.value).strip()


def _names(loc: Located, key: str, what: str) -> list[str]:
    found = _get(loc, key)
    if found is not None and not isinstance(found.value, list):
        raise _Bad(found.line, f"{what}应为列表")
    return [_text(x, None, what) for x in (found.value if found else [])]


def _headings(loc: Located, what: str, default_type: str) -> list[Heading]:
    """A tree of rows or columns: a name, or a mapping with label/key (and type/unit for columns) and children."""
    _need(isinstance(loc.value, list) and loc.value, loc.line, f"{what} 应为非空列表")
    noun, out = "列" if what == "columns" else "行", []
    for entry in loc.value:
        if not isinstance(entry.value, dict):
            name = _text(entry, None, f"{noun}名")
            out.append(Heading(name, name, default_type))
            continue
        label = _text(entry, "label" if _get(entry, "label") else "key", f"{noun}的 label")
        node = Heading(_text(entry, "key", f"{noun}的 key", label), label, _text(entry, "type", "列的 type", default_type),
                       _text(entry, "unit", "列的 unit", ""))
        _need(node.type in TYPES, entry.line, f"列的 type「{node.type}」应为 {'、'.join(TYPES)} 之一")
        if _get(entry, "children") is not None:
            node.children = _headings(entry.value["children"], what, node.type)
        out.append(node)
    return out


def _parse_table(t: Located) -> TableSpec:
    _need(isinstance(t.value, dict), t.line, "tables 的每一项应为映射（key、title、blocks）")
    key = _text(t, "key", "表的 key").removeprefix("表")
    blocks = _get(t, "blocks")
    _need(blocks and isinstance(blocks.value, list) and blocks.value, t.line, f"表{key}缺少 blocks")
    table = TableSpec(key, _text(t, "title", "表的 title"), _text(t, "note", "note", ""))
    for b in blocks.value:
        _need(_get(b, "columns") and _get(b, "rows"), b.line, f"表{key}的 blocks 每一项应有 columns 和 rows")
        block = Block(_text(b, "title", "title", ""), _text(b, "header", "header", ""),
                      _headings(b.value["columns"], "columns", _text(b, "type", "type", "count")),
                      _headings(b.value["rows"], "rows", "count"), _text(b, "layout", "layout", "rows"))
        _need(block.layout in ("rows", "wide"), b.line, f"表{key}的 layout 应为 rows 或 wide")
        keys = [_norm(c.key) for c in block.leaf_columns]
        for n, col in enumerate(block.leaf_columns):
            _need(keys[n] not in keys[:n], b.line, f"表{key}中列「{col.key}」重复")
        for row in block.leaf_rows:
            for name in {_norm(row.key), _norm(row.label)}:
                _need(table.row_index.get(name, (None, row))[1] is row, b.line, f"表{key}中行「{row.key}」重复")
                table.row_index[name] = (block, row)
        table.blocks.append(block)
    return table


def parse_format(loc: Located, path: str) -> Format:
    _need(isinstance(loc.value, dict), loc.line, "年报格式文件应为「字段: 值」的映射（format、name、tables、rules）")
    fid = _text(loc, "format", "format（格式版本）")
    tables = _get(loc, "tables")
    _need(tables and isinstance(tables.value, list), loc.line, "缺少 tables（表格列表）")
    fmt = Format(fid, _text(loc, "name", "name", f"{fid}年格式"), [], path)
    for t in tables.value:
        table = _parse_table(t)
        _need(not fmt.table(table.key), t.line, f"表{table.key}重复声明")
        fmt.tables.append(table)
    rules = _get(loc, "rules")
    fmt.rules = [_parse_rule(r, fmt) for r in (rules.value if rules and isinstance(rules.value, list) else [])]
    fmt.chart = _parse_chart(loc.value["chart"], fmt) if _get(loc, "chart") else None
    return fmt


def _table_of(loc: Located, fmt: Format, what: str) -> TableSpec:
    table = fmt.table(_text(loc, "table", f"{what}的 table"))
    _need(table, loc.line, f"{what}的 table 不是本格式声明的表")
    return table


def _parse_rule(r: Located, fmt: Format) -> Rule:
    _need(isinstance(r.value, dict), r.line, "rules 的每一项应为映射（table、across、target、plus、minus）")
    table = _table_of(r, fmt, "规则")
    across = _text(r, "across", "规则的 across")
    _need(across in ("rows", "columns"), r.line, "规则的 across 应为 rows 或 columns")
    plus, minus = _names(r, "plus", "规则的 plus"), _names(r, "minus", "规则的 minus")
    names = (_text(r, "target", "规则的 target"), *plus, *minus)
    if across == "rows":  # in every column: target row = Σ plus rows − Σ minus rows
        found = [table.find_row(n) for n in names]
        for name, hit in zip(names, found):
            _need(hit, r.line, f"规则中的行「{name}」不在表{table.key}中")
        _need(len({block for block, _ in found}) == 1, r.line, "同一条规则中的行应在同一个表格块中")
        block = found[0][0]
        lines = [[(row, i) for i in range(len(block.leaf_columns))] for _, row in found]
    else:  # in every row: target column = Σ plus columns − Σ minus columns
        block = next((b for b in table.blocks if all(b.column(n) is not None for n in names)), None)
        _need(block, r.line, f"规则中的列不全在表{table.key}的同一个表格块中")
        lines = [[(row, block.column(n)) for row in block.leaf_rows] for n in names]
    k = 1 + len(plus)
    equations = [(cells[0], list(cells[1:k]), list(cells[k:])) for cells in zip(*lines)]
    return Rule(table, block, _text(r, "explain", "explain", ""), equations)


def _parse_chart(loc: Located, fmt: Format) -> dict:
    table = _table_of(loc, fmt, "chart ")
    column = _text(loc, "column", "chart 的 column")

    def series(s: Located) -> tuple[str, list]:
        cells = []
        for name in _names(s, "rows", "chart 的 rows"):
            block, row = table.find_row(name) or (None, None)
            _need(block and block.column(column) is not None, s.line,
                  f"chart 中的行「{name}」不在表{table.key}中，或该行没有「{column}」列")
            cells.append((row, block.column(column)))
        return _text(s, "label", "chart 的 label"), cells

    received, outcomes = _get(loc, "received"), _get(loc, "outcomes")
    _need(received and outcomes and isinstance(outcomes.value, list), loc.line, "chart 应有 received 和 outcomes")
    return {"table": table, "received": series(received), "outcomes": [series(o) for o in outcomes.value]}


def load_formats(dirs, project_dir: str, report: Report) -> dict[str, Format]:
    """Every declared format, by version id; later folders (the site's) may add versions, not replace them."""
    formats: dict[str, Format] = {}
    for folder in dirs:
        for abs_path in sorted(glob.glob(os.path.join(folder, "annual-report-*.yml"))):
            shown = os.path.relpath(abs_path, project_dir).replace(os.sep, "/")
            shown = abs_path if shown.startswith("../") else shown
            loc = frontmatter.read_yaml(abs_path, shown, report)
            if loc is None:
                continue
            try:
                fmt = parse_format(loc, shown)
            except (_Bad, AttributeError, KeyError, TypeError, ValueError) as exc:
                unknown = (1, "结构无法识别，请对照 gazette/data/annual-report-2019.yml 的写法")
                line, why = exc.args if isinstance(exc, _Bad) else unknown
                report.error(shown, line, f"年报格式声明有误：{why}", "report-format")
                continue
            if fmt.id in formats:
                report.error(shown, 1, f"年报格式「{fmt.id}」已在 {formats[fmt.id].path} 中声明，版本号不能重复",
                             "report-format")
            else:
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


_CHANGE = re.compile(r"^(增加|减少|\+|-|−)?\s*(\d+)$")


# No count or amount (万元) of one body's year comes near a trillion; a figure past it (10**400,
# "1e999999999") is a mistake or an attack, and printed in full it made a page of a gigabyte.
MAX_FIGURE = 10 ** 12
MAX_DECIMALS = 6


class FigureTooLarge(ValueError):
    pass


def read_figure(raw: Any, col: Heading) -> int | Decimal:
    """One cell: raises ValueError when it is not a figure of the column's kind, FigureTooLarge
    when it is one past MAX_FIGURE or MAX_DECIMALS."""
    if isinstance(raw, bool) or not isinstance(raw, (int, float, str)):  # YAML's null, dates, lists, mappings
        raise ValueError
    if isinstance(raw, int) and abs(raw) >= MAX_FIGURE:
        raise FigureTooLarge
    text = repr(raw) if not isinstance(raw, str) else (
        raw.strip().replace(",", "").replace("，", "").removesuffix(col.unit).strip())
    if col.type == "count" and text.isdigit():
        if len(text.lstrip("0")) > len(str(MAX_FIGURE)) - 1:
            raise FigureTooLarge
        return int(text)
    m = _CHANGE.match(text)
    if col.type == "change" and m:
        if len(m[2].lstrip("0")) > len(str(MAX_FIGURE)) - 1:
            raise FigureTooLarge
        return -int(m[2]) if m[1] in ("减少", "-", "−") else int(m[2])
    if col.type != "amount":
        raise ValueError
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise ValueError from None
    if not value.is_finite() or value < 0:
        raise ValueError
    if value >= MAX_FIGURE or value.as_tuple().exponent < -MAX_DECIMALS:
        raise FigureTooLarge
    return value


def _shown(raw: Any) -> str:
    if raw is None or isinstance(raw, bool):
        return {None: "空", True: "是", False: "否"}[raw]
    return "列表" if isinstance(raw, list) else "映射" if isinstance(raw, dict) else str(raw)


def parse_figures(loc: Located, fmt: Format, path: str, report: Report):
    """The tables of a report against its format: (values, lines), every problem reported; or None."""
    def bad(line: int, message: str, code: str = "report-data") -> None:
        report.error(path, line, message, code)

    if not isinstance(loc.value, dict):
        return bad(loc.line, "年报数据应为「表名: 各行数据」的映射，例如「表三:」下每行写「本年新收: [446, 4, 0, 1, 0, 0, 451]」")
    values, lines = {}, {}  # as in AnnualReport
    for name, tloc in loc.value.items():
        table, line = fmt.table(name), loc.key_lines.get(name, loc.line)
        if table is None or table.key in values:
            known = "、".join(t.label for t in fmt.tables)
            bad(line, f"年报格式「{fmt.id}」没有「{name}」，应为 {known}" if table is None else f"{table.label}写了两次")
            continue
        rows = values[table.key] = {}
        if not isinstance(tloc.value, dict):
            bad(tloc.line, f"{table.label}应为「行名: [数字, …]」的映射")
            continue
        for row_name, rloc in tloc.value.items():
            rline, (block, row) = tloc.key_lines.get(row_name, rloc.line), table.find_row(row_name) or (None, None)
            if row is None:
                names = [r.key for b in table.blocks for r in b.leaf_rows]
                close = difflib.get_close_matches(_norm(row_name), names, n=1, cutoff=0.5)
                hint = f"，是不是「{close[0]}」？" if close else f"；{table.label}的行：{'、'.join(names)}"
                bad(rline, f"{table.label}没有「{row_name}」这一行{hint}")
                continue
            if row.key in rows:
                bad(rline, f"{table.label}「{row.label}」写了两次")
                continue
            cols, what = block.leaf_columns, f"{table.label}「{row.label}」"
            rows[row.key] = [None] * len(cols)  # present, if unusable: no “missing row” message too
            expected = f"{len(cols)} 个数字（{'、'.join(c.label for c in cols)}）"
            single = len(cols) == 1 and not isinstance(rloc.value, dict)
            cells = rloc.value if isinstance(rloc.value, list) else [rloc] if single else None
            if cells is None or len(cells) != len(cols):
                bad(rline, f"{what}应写成列表：{expected}，例如 [{', '.join('0' for _ in cols)}]" if cells is None
                    else f"{what}应有 {expected}，实有 {len(cells)} 个")
                continue
            for i, (cell, col) in enumerate(zip(cells, cols)):
                try:
                    rows[row.key][i] = read_figure(cell.value, col)
                except FigureTooLarge:
                    bad(cell.line, f"{what}{col.label}列的数字「{_shown(cell.value)[:30]}」超出合理范围（应小于一万亿，"
                        f"小数不超过 {MAX_DECIMALS} 位），请核对", "report-figure")
                except ValueError:
                    unit = f"，不写单位或写“{col.unit}”" if col.unit else ""
                    bad(cell.line, f"{what}{col.label}列应为{TYPES[col.type]}{unit}，实为「{_shown(cell.value)}」",
                        "report-figure")
            lines[(table.key, row.key)] = [c.line for c in cells]
        for block in table.blocks:
            zeros = ", ".join("0" for _ in block.leaf_columns)
            for r in (r for r in block.leaf_rows if r.key not in rows):
                bad(line, f"{table.label}缺少「{r.label}」一行（写作「{r.key}: [{zeros}]」）")
    for table in (t for t in fmt.tables if t.key not in values):
        bad(loc.line, f"缺少{table.label}（{table.title}）的数据")
    return values, lines


def _number(value) -> str:
    return format(value, "f") if isinstance(value, Decimal) else str(value)


def check_rules(rep: AnnualReport, report: Report) -> None:
    """The format's consistency rules; figures missing or unreadable were reported already, their sums skipped.

    One message per line: a figure that breaks two rules (表三「(七)总计」总计列: 各项之和 and the columns'
    sum), or two figures of one line written `[…]`, are one mistake to the editor, not two; the message
    keeps what each rule expects."""
    found: dict[int, dict[tuple, list]] = {}  # line → cell (table, row, column) → [(expected, explain, actual)]
    for rule in rep.format.rules:
        t = rule.table
        rows = rep.values.get(t.key, {})
        for target, plus, minus in rule.equations:
            figures = [rows[row.key][i] if row.key in rows else None for row, i in (target, *plus, *minus)]
            if None in figures:
                continue
            expected = sum(figures[1 : 1 + len(plus)]) - sum(figures[1 + len(plus) :])
            if figures[0] != expected:
                row, i = target
                cell = (t, row, rule.block.leaf_columns[i], i)
                line = rep.lines[(t.key, row.key)][i]
                found.setdefault(line, {}).setdefault(cell, []).append((expected, rule.explain, figures[0]))
    for line, cells in found.items():
        parts, before = [], None
        for (t, row, col, _), broken in sorted(cells.items(), key=lambda c: c[0][3]):
            what = "" if before == (t, row) else f"{t.label}「{row.label}」"
            before = (t, row)
            if len(broken) == 1:
                expected, explain, actual = broken[0]
                why = f"（{explain}）" if explain else ""
                parts.append(f"{what}{col.label}列应为 {_number(expected)}{why}，实为 {_number(actual)}")
            else:  # one figure, several rules: what each of them makes it
                each = "，".join(f"按{explain or '勾稽关系'}应为 {_number(expected)}" for expected, explain, _ in broken)
                parts.append(f"{what}{col.label}列实为 {_number(broken[0][2])}，{each}")
        report.error(rep.path, line, "；".join(parts), "report-sum")


def _inline_tables(loc: Located | None) -> Located | None:
    """The `tables` of a report written in front matter; messages about the whole of it point at its key."""
    spec = loc.value.get("report") or loc.value.get("年报数据") if loc and isinstance(loc.value, dict) else None
    found = spec.value if spec and isinstance(spec.value, dict) else {}
    key = next((k for k in ("tables", "表格") if k in found), None)
    return None if key is None else Located(spec.value[key].value, spec.key_lines[key], spec.value[key].key_lines)


def data_path(record) -> str:
    """Where a report's figures are, as messages name it: its data file, or the item itself (tables in front matter)."""
    src = (record.report or {}).get("data_src")
    return record.path.removesuffix(record.src) + src if src else record.path


def read_report(record, formats: dict[str, Format], docs_dir: str, report: Report) -> AnnualReport | None:
    """The figures of an item's report, checked: None unless complete and consistent (`report` says why)."""
    spec = record.report
    fmt = formats.get(spec["format"])
    if fmt is None:
        line = record.lines.get("report.format") or record.lines.get("report.格式") or record.lines.get("report", 1)
        known = "、".join(f"{f.id}（{f.name}）" for f in formats.values()) or "无"
        report.error(record.path, line, f"年报格式版本「{spec['format']}」没有声明；已声明的格式：{known}。"
                                        f"新格式请在 report_formats 目录中增加 annual-report-<版本>.yml", "report-format")
        return None
    before = len(report.items)
    path = data_path(record)
    if spec.get("data_src"):
        loc = frontmatter.read_yaml(os.path.join(docs_dir, spec["data_src"]), path, report)
    else:
        loc = _inline_tables(frontmatter.read_yaml(os.path.join(docs_dir, record.src), path, report, front_matter=True))
    figures = parse_figures(loc, fmt, path, report) if loc is not None else None
    if figures is None:
        return None
    rep = AnnualReport(fmt, spec.get("year") or record.published.year - 1, *figures, path)
    check_rules(rep, report)  # also on a partly broken report: every problem is listed at once
    return rep if len(report.items) == before else None


# -- rendering ---------------------------------------------------------------------

def format_figure(value, col: Heading) -> str:
    """As the official tables print them: 150件, 减少5项, 27042.62万元; a zero stands alone."""
    if value is None or value == 0:
        return "" if value is None else "0"
    sign = ("增加" if value > 0 else "减少") if col.type == "change" else ""
    return f"{sign}{_number(abs(value) if sign else value)}{col.unit}"


# Blocks this wide do not fit a phone: they say so above the table, and their box shows an edge while more is hidden.
WIDE_COLUMNS = 5


def _scroll_open(uid: str, caption: str, wide: bool) -> list[str]:
    hint = '<p class="gz-ar__hint" aria-hidden="true">左右滑动查看全部列</p>' if wide else ""
    return [hint, f'<div class="gz-ar__scroll{" gz-ar__scroll--wide" if wide else ""}" role="region" '
                  f'aria-labelledby="{uid}-cap" tabindex="0">',
            f'<table class="gz-ar__table"><caption id="{uid}-cap">{escape(caption)}</caption><thead>']


def _header_levels(tree: list[Heading]) -> list[list[tuple[Heading, int, int]]]:
    """A tree of headings as header lines: per level, each heading with its width in leaves and its height in
    levels (a leaf reaches down to the last line)."""
    flat = _flatten(tree)
    depth = 1 + max(len(above) for _, above in flat)
    return [[(node, sum(not n.children for n, _ in _flatten([node])), 1 if node.children else depth - level)
             for node, above in flat if len(above) == level] for level in range(depth)]


def _th(node: Heading, uid: str, width: int, height: int, scope: str = "") -> str:
    attrs = (f' colspan="{width}"' if width > 1 else "") + (f' rowspan="{height}"' if height > 1 else "")
    scope = scope or ("colgroup" if node.children else "col")
    return f'<th scope="{scope}" id="{uid}"{attrs}>{escape(node.label)}</th>'


def render_block(block: Block, values: dict[str, list], uid: str, caption: str) -> str:
    ids: dict[Heading, str] = {}
    header = _header_levels(block.columns)
    out = _scroll_open(uid, caption, len(block.leaf_columns) >= WIDE_COLUMNS)
    for level, headings in enumerate(header):  # groups span their columns
        out.append("<tr>")
        if level == 0:
            span = f' rowspan="{len(header)}"' if len(header) > 1 else ""
            out.append(f'<th scope="col"{span} class="gz-ar__corner" id="{uid}-h">{escape(block.header)}</th>'
                       if block.header else f'<td{span} class="gz-ar__corner"></td>')
        for col, width, height in headings:
            ids[col] = f"{uid}-c{len(ids) + 1}"
            out.append(_th(col, ids[col], width, height))
        out.append("</tr>")
    out.append("</thead><tbody>")
    col_headers = [" ".join(ids[c] for c in path) for path in block.column_paths]
    for n, (row, above) in enumerate(_flatten(block.rows), 1):
        rid = ids[row] = f"{uid}-r{n}"
        chain = [ids[p] for p in above]
        if row.children:
            out.append(f'<tr class="gz-ar__group gz-ar__d{len(chain)}"><th id="{rid}" '
                       f'colspan="{len(block.leaf_columns) + 1}" scope="colgroup">{escape(row.label)}</th></tr>')
            continue
        headers = f' headers="{" ".join(chain)}"' if chain else ""
        out.append(f'<tr class="gz-ar__d{len(chain)}"><th scope="row" id="{rid}"{headers}>{escape(row.label)}</th>')
        for heads, col, value in zip(col_headers, block.leaf_columns, values[row.key]):
            out.append(f'<td headers="{" ".join([heads, *chain, rid])}">{escape(format_figure(value, col))}</td>')
        out.append("</tr>")
    out.append("</tbody></table></div>")
    return "".join(out)


def render_wide_block(block: Block, values: dict[str, list], uid: str, caption: str) -> str:
    """The national template's layout of 表四: the row headings become the upper header rows (行政复议 ·
    行政诉讼 › 未经复议直接起诉 · 复议后起诉), the columns repeat under each, and the figures form one line.
    Only the layout changes: the same figures, read from the same rows of the data."""
    ids: dict[tuple, str] = {}
    out = _scroll_open(uid, caption, True)
    for headings in _header_levels(block.rows):
        out.append("<tr>")
        for row, width, height in headings:
            ids[(row,)] = f"{uid}-r{len(ids) + 1}"
            out.append(_th(row, ids[(row,)], len(block.leaf_columns) * width, height, "colgroup"))
        out.append("</tr>")
    leaf_rows = [(r, above) for r, above in _flatten(block.rows) if not r.children]
    for headings in _header_levels(block.columns):  # each leaf row's columns (and their groups) under it
        out.append("<tr>")
        for row, _ in leaf_rows:
            for col, width, height in headings:
                ids[(row, col)] = f"{uid}-c{len(ids) + 1}"
                out.append(_th(col, ids[(row, col)], width, height))
        out.append("</tr>")
    out.append("</thead><tbody><tr>")
    for row, above in leaf_rows:
        chain = [ids[(r,)] for r in (*above, row)]
        for path, value in zip(block.column_paths, values[row.key]):
            heads = " ".join([*chain, *(ids[(row, c)] for c in path)])
            out.append(f'<td headers="{heads}">{escape(format_figure(value, path[-1]))}</td>')
    out.append("</tr></tbody></table></div>")
    return "".join(out)


def render(rep: AnnualReport) -> Markup:
    """Sections 二, 三, 四 as HTML tables (each in a scroll container for narrow screens); every text escaped."""
    out = ['<div class="gz-ar">']
    for ti, table in enumerate(rep.format.tables, 1):
        uid = f"gz-ar-{ti}"
        out.append(f'<section class="gz-ar__section" aria-labelledby="{uid}-h">'
                   f'<h3 id="{uid}-h">{escape(table.title)}</h3>')
        if table.note:
            out.append(f'<p class="gz-ar__note">{escape(table.note)}</p>')
        for bi, block in enumerate(table.blocks, 1):
            title = block.title or re.sub(r"^[一二三四五六七八九十]+、", "", table.title)
            draw = render_wide_block if block.layout == "wide" else render_block
            out.append(draw(block, rep.values[table.key], f"{uid}-{bi}", f"{table.label} {title}"))
        out.append("</section>")
    out.append("</div>")
    return Markup("".join(out))


# -- the chart of a column's reports ---------------------------------------------------

def chart_html(years: dict[int, AnnualReport]) -> Markup:
    """Applications received and their outcomes across the years, as a chart and a table (every text escaped)."""
    groups = []
    for year, rep in sorted(years.items()):  # each of a format with a chart
        chart, values = rep.format.chart, rep.values[rep.format.chart["table"].key]
        (received_label, received), *outcomes = [(label, sum(values[r.key][i] for r, i in cells))
                                                 for label, cells in (chart["received"], *chart["outcomes"])]
        groups.append((f"{year}年", received, outcomes))
    parts = list(dict.fromkeys(label for *_, outcomes in groups for label, _ in outcomes))
    title = "各年度政府信息公开申请数量及办理结果"
    chart = charts.stacked_bar_chart(groups, title=title, received_label=received_label, parts=parts, unit="件")
    head = "".join(f'<th scope="col">{escape(p)}</th>' for p in parts)
    body = [f'<tr><th scope="row">{escape(label)}</th><td>{received}</td>'
            + "".join(f"<td>{dict(outcomes).get(p, '')}</td>" for p in parts)
            + f"<td>{sum(v for _, v in outcomes)}</td></tr>" for label, received, outcomes in groups]
    return Markup(
        f'{chart}'
        f'<div class="gz-ar__scroll" role="region" aria-labelledby="gz-ar-chart-cap" tabindex="0">'
        f'<table class="gz-ar__table"><caption id="gz-ar-chart-cap">{escape(title)}（单位：件）</caption>'
        f'<thead><tr><th scope="col">年度</th><th scope="col">{escape(received_label)}</th>{head}'
        f'<th scope="col">办理合计</th></tr></thead><tbody>{"".join(body)}</tbody></table></div>'
        '<p class="gz-ar__note">“办理合计”为当年办结的申请（含上年结转），因此可能与当年新收数量不同。</p>')
