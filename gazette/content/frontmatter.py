"""Reading an editor's Markdown file: its YAML front matter with line numbers, and its body.

Never raises on bad input: every problem becomes a Chinese message naming the
line, so that one broken file cannot hide the problems of the others.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import yaml

try:  # libyaml is many times faster; it matters at 50,000 files
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

from gazette.diagnostics import Report

MAX_FILE_BYTES = 5 * 1024 * 1024
MAX_DEPTH = 12
MAX_NODES = 5000

_CLOSING = re.compile(r"^(?:---|\.\.\.)[ \t]*$", re.MULTILINE)


@dataclass
class Entry:
    """One top-level `key: value` of the front matter."""

    key: str
    value: Any
    line: int  # 1-based line of the key in the file
    children_lines: dict[str, int] = field(default_factory=dict)  # for mappings: key → line


@dataclass
class Source:
    path: str  # as shown to the editor
    entries: list[Entry]
    body: str
    body_line: int  # 1-based line where the body starts


def decode(data: bytes, path: str, report: Report) -> str | None:
    """Bytes to text, or a message saying why the file cannot be read as text."""
    if len(data) > MAX_FILE_BYTES:
        report.error(path, 1, f"文件过大（{len(data) // 1024} KB），单个文件不应超过 {MAX_FILE_BYTES // 1024 // 1024} MB", "file-too-large")
        return None
    if b"\x00" in data:
        line = data[: data.index(b"\x00")].count(b"\n") + 1
        report.error(path, line, "文件含有二进制内容（空字节），不是文本文件；请检查是否误放了 Word、PDF 或图片文件", "binary")
        return None
    data = data.removeprefix(b"\xef\xbb\xbf")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        hint = ""
        try:
            data.decode("gb18030")
            hint = "（看起来是 GBK/GB18030 编码）"
        except UnicodeDecodeError:
            pass
        report.error(path, line, f"文件不是 UTF-8 编码{hint}，请用“另存为 UTF-8”保存后再提交", "encoding")
        return None
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _check_shape(root: yaml.Node) -> tuple[str, int] | None:
    """Refuse aliases, deep nesting and huge trees before constructing anything."""
    seen: set[int] = set()
    stack = [(root, 0)]
    while stack:
        node, depth = stack.pop()
        if id(node) in seen:
            return "不支持 YAML 锚点和别名（& 与 *），请直接写出内容", node.start_mark.line
        seen.add(id(node))
        if depth > MAX_DEPTH:
            return f"嵌套层级过深（超过 {MAX_DEPTH} 层）", node.start_mark.line
        if len(seen) > MAX_NODES:
            return "头部内容过多，请检查是否粘贴了大段数据", node.start_mark.line
        if isinstance(node, yaml.MappingNode):
            stack.extend((n, depth + 1) for pair in node.value for n in pair)
        elif isinstance(node, yaml.SequenceNode):
            stack.extend((n, depth + 1) for n in node.value)
    return None


def _may_be_hostile(yaml_text: str) -> bool:
    """Only aliases, flow collections or deep indentation can build the trees _check_shape refuses."""
    if "&" in yaml_text or "*" in yaml_text or "[[" in yaml_text or "{{" in yaml_text:
        return True
    if yaml_text.count("[") + yaml_text.count("{") > 20 or len(yaml_text) > 20000:
        return True
    return "\n" + " " * 16 in yaml_text


_YAML_PROBLEMS = {
    "mapping values are not allowed": "此处不能出现冒号“:”；若值中含有英文冒号，请给整个值加引号",
    "found a tab character": "不能用 Tab 缩进，请改用空格",
    "did not find expected alphabetic or numeric character": "以 * 或 & 开头的值请给整个值加引号",
    "that cannot start any token": "这一行以 YAML 不允许开头的字符（如 @ ` % 或 Tab）开头；请给整个值加引号或删去该字符",
    "could not find expected ':'": "缺少冒号“:”，应写成「字段: 值」",
    "found unexpected end of stream": "引号或括号没有闭合",
    "did not find expected key": "缩进不一致或缺少冒号",
    "found undefined alias": "不支持 YAML 别名（*）",
    "found duplicate anchor": "不支持 YAML 锚点（&）",
    "expected <block end>, but found": "缩进不一致",
    "found unknown escape character": "双引号内有无法识别的转义字符“\\”，请改用单引号或去掉反斜杠",
    "special characters are not allowed": "含有不可见的控制字符，请删除",
    "expected ',' or ']'": "方括号 [ ] 没有闭合，或列表项之间缺少逗号",
    "expected ',' or '}'": "花括号 { } 没有闭合，或各项之间缺少逗号",
    "while scanning a quoted scalar": "引号没有闭合",
}


_FULLWIDTH_COLON = re.compile(r"^([ \u3000]*(?:- )?)([^\s:：#\[\]{}'\"-][^:：]{0,30}?)[ \t\u3000]*：[ \t\u3000]*(.*)$")
_COLON_IN_VALUE = re.compile(r"^( *(?:- )?[^\s:#'\"-][^:]*?): +([^'\"\[{|>&*!%@`\s].*?: .*?)\s*$")
_NO_SPACE = re.compile(r"^( *(?:- )?(?:[A-Za-z_]\w*|[\u4e00-\u9fff]+)):([^\s/].*)$")


def _typed_mistake(yaml_text: str) -> tuple[int, str, str] | None:
    """The first line with a mistake Chinese typing makes: (0-based line, what to do, the line corrected).

    PyYAML's own message is about where parsing stopped, in English; these say what was typed."""
    for n, line in enumerate(yaml_text.split("\n")):
        body = line.lstrip(" \t\u3000")
        indent = line[: len(line) - len(body)]
        if "\t" in indent:
            return n, "这一行用 Tab 缩进：YAML 只能用空格缩进，请把 Tab 换成两个空格", indent.replace("\t", "  ") + body
        if "\u3000" in indent:
            return (n, "这一行开头有全角空格「　」：YAML 只能用英文空格缩进，请删除或换成英文空格",
                    indent.replace("\u3000", "  ") + body)
        if m := _FULLWIDTH_COLON.match(line):
            fixed = f"{m[2].strip()}: {m[3].strip()}"
            return n, f"字段名后用了全角冒号「：」，应为英文冒号加空格，写成「{fixed}」", m[1] + fixed
        if m := _COLON_IN_VALUE.match(line):
            quoted = f"'{m[2]}'" if '"' in m[2] else f'"{m[2]}"'
            return n, f"值中含有英文冒号加空格「: 」，请给整个值加引号，写成 {m[1].strip()}: {quoted}", f"{m[1]}: {quoted}"
        if m := _NO_SPACE.match(line):
            return n, f"英文冒号后要有一个空格，写成「{m[1].strip()}: {m[2]}」", f"{m[1]}: {m[2]}"
    return _misindented(yaml_text)


_KEY_LINE = re.compile(r"^( *)((?:- +)*)([^\s#:'\"\[{-][^:#]*?):(?: +(.*?))?\s*$")


def _misindented(yaml_text: str) -> tuple[int, str, str] | None:
    """The first key line indented unlike its neighbours: (0-based line, what to do, the line aligned).

    PyYAML reports such a line as a stray colon or a missing key; an editor needs to hear which lines differ."""
    levels: list[tuple[int, str]] = []  # where the keys of the open mappings start: column, first key line
    last: tuple[str, int, str | None] | None = None  # the last key line: its text, key column, value
    block_above = None  # inside a `|` or `>` text block: the column of its key
    for n, line in enumerate(yaml_text.split("\n")):
        body = line.lstrip(" ")
        indent = len(line) - len(body)
        if block_above is not None and (not body or indent > block_above):
            continue
        block_above = None
        m = _KEY_LINE.match(line)
        if not m:
            continue
        column = indent + len(m[2])
        value = (m[4] or "").split(" #")[0].strip()
        if last and column > last[1] and last[2] and not _opens_more(last[2]):
            return (n, f"这一行比上一行「{last[0].strip()}」多缩进了 {column - last[1]} 格：上一行已经写了值，"
                       "这一行是同一层的字段，应与上一行左端对齐（字段名前的空格数相同）",
                    " " * (last[1] - len(m[2])) + body)
        popped = None
        while levels and levels[-1][0] > column:
            popped = levels.pop()
        if popped is not None and (not levels or levels[-1][0] != column):
            return (n, f"这一行缩进 {column} 格，上面同一层的「{popped[1].strip()}」缩进 {popped[0]} 格："
                       "同一层的字段应左端对齐（字段名前的空格数相同）", " " * (popped[0] - len(m[2])) + body)
        if not levels or levels[-1][0] < column:
            levels.append((column, line))
        last = (line, column, value)
        if value[:1] in ("|", ">"):
            block_above = indent
    return None


def _opens_more(value: str) -> bool:
    """A value that goes on to the next lines: an unclosed [ or {, an unclosed quote, an anchor or tag."""
    if value[:1] in "[{":
        return value.count(value[0]) > value.count("]" if value[0] == "[" else "}")
    if value[:1] in "'\"":
        return len(value) < 2 or value[-1] != value[0]
    return value[:1] in "&*!|>"


def _explain(exc: yaml.YAMLError, what: str) -> str:
    problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
    for english, chinese in _YAML_PROBLEMS.items():
        # PyYAML words a few (a duplicate anchor) in its context instead
        if english in problem or english in (getattr(exc, "context", None) or ""):
            return f"{what} 格式错误：{chinese}"
    return f"{what} 格式错误（{problem}），请检查冒号、引号和缩进"


@dataclass
class Located:
    """A YAML value and the file line it starts on; a mapping also keeps the line of each key."""

    value: Any  # within the located levels: dict[str, Located] or list[Located]; deeper: plain values
    line: int
    key_lines: dict[str, int] = field(default_factory=dict)


def located(yaml_text: str, path: str, report: Report, *, first_line: int, what: str = "头部 YAML",
            levels: int = 100, fixes: int = 0) -> Located | None:
    """Front matter or a data file (its first line is `first_line` of the file) with lines, or None once every
    problem is reported. Mappings and lists `levels` deep hold Located values, a key written twice refused there."""
    try:
        root = yaml.compose(yaml_text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line if mark else 0
        typed = _typed_mistake(yaml_text)
        if typed and typed[0] <= line + 1 and fixes < 20:  # at or before where PyYAML stopped: the cause
            report.error(path, typed[0] + first_line, f"{what} 格式错误：{typed[1]}", "yaml")
            # Read on with the line as it should be, so the file's other mistakes are reported now too.
            lines = yaml_text.split("\n")
            lines[typed[0]] = typed[2]
            return located("\n".join(lines), path, report, first_line=first_line, what=what, levels=levels,
                           fixes=fixes + 1)
        report.error(path, line + first_line, _explain(exc, what), "yaml")
        return None
    except (yaml.YAMLError, ValueError, RecursionError, MemoryError) as exc:
        report.error(path, first_line, f"{what} 无法解析（{type(exc).__name__}），请检查格式", "yaml")
        return None
    if root is None:
        return Located(None, first_line)
    shape = _check_shape(root) if _may_be_hostile(yaml_text) else None
    if shape:
        report.error(path, shape[1] + first_line, shape[0], "yaml-shape")
        return None
    before = len(report.items)
    constructor = _Loader("")

    def locate(node: yaml.Node, levels: int, key: str) -> Located:
        line = node.start_mark.line + first_line
        if levels > 0 and isinstance(node, yaml.MappingNode):
            values: dict[str, Located] = {}
            lines: dict[str, int] = {}
            for key_node, value_node in node.value:
                key_line = key_node.start_mark.line + first_line
                name = str(key_node.value).strip() if isinstance(key_node, yaml.ScalarNode) else None
                if name is None:
                    report.error(path, key_line, "字段名必须是文字", "bad-key")
                elif str(key_node.value).startswith("\u3000"):  # YAML takes it for part of the key
                    report.error(path, key_line, f"「{name}」前有全角空格「　」：YAML 只能用英文空格缩进，"
                                 "请删除或换成英文空格", "yaml")
                elif name in lines:
                    report.error(path, key_line, f"字段「{name}」重复出现（第 {lines[name]} 行已写过），请只保留一个",
                                 "duplicate-key")
                else:
                    lines[name] = key_line
                    values[name] = locate(value_node, levels - 1, name)
            return Located(values, line, lines)
        if levels > 0 and isinstance(node, yaml.SequenceNode):
            return Located([locate(v, levels - 1, key) for v in node.value], line)
        what = f"字段「{key}」" if key else "YAML 中"
        try:
            value = constructor.construct_object(node, deep=True)
        except RecursionError:
            report.error(path, line, f"{what}嵌套层级过深", "yaml-shape")
            return Located(None, line)
        except Exception as exc:  # PyYAML's constructors raise what they happen to (`!!bool maybe`: KeyError)
            report.error(path, line, f"{what}的值{_unreadable(node, exc)}", "bad-value")
            return Located(None, line)
        keys = node.value if isinstance(node, yaml.MappingNode) else ()
        return Located(value, line, {str(k.value).strip(): k.start_mark.line + first_line
                                     for k, _ in keys if isinstance(k, yaml.ScalarNode)})

    try:
        loc = locate(root, levels, "")
    finally:
        constructor.dispose()
    return loc if len(report.items) == before else None


def _front_matter(text: str) -> tuple[str, int] | None:
    """The front matter's YAML text and the offset of the body, or None when there is none or it is not closed."""
    closing = _CLOSING.search(text, 4) if text.startswith("---\n") else None
    return (text[4 : closing.start()], min(closing.end() + 1, len(text))) if closing else None


def parse(text: str, path: str, report: Report, *, required: bool = True) -> Source | None:
    """Split front matter and body; return None (with messages) if the front matter is unusable."""
    if not text.startswith("---\n") and text.rstrip() != "---":
        if required:
            report.error(path, 1, "文件缺少头部信息：第一行应为“---”，随后写「标题: …」等字段，再以“---”结束",
                         "no-front-matter")
            return None
        return Source(path, [], text, 1)
    found = _front_matter(text)
    if found is None:
        report.error(path, 1, "头部信息没有结束：请在字段之后另起一行写“---”", "unterminated-front-matter")
        return None
    yaml_text, body_start = found
    body, body_line = text[body_start:], text.count("\n", 0, body_start) + 1
    root = located(yaml_text, path, report, first_line=2, levels=1)  # front matter starts on line 2
    if root is None:
        return None
    if root.value is not None and not isinstance(root.value, dict):
        typed = _typed_mistake(yaml_text)
        if typed:
            report.error(path, typed[0] + 2, f"头部 YAML 格式错误：{typed[1]}", "yaml")
            return None
        kind = "列表" if isinstance(root.value, list) else "一段文字"
        report.error(path, root.line, f"头部应为「字段: 值」的形式，实际是{kind}", "not-mapping")
        return None
    entries = [Entry(key, loc.value, root.key_lines[key], loc.key_lines) for key, loc in (root.value or {}).items()]
    return Source(path, entries, body, body_line)


def _unreadable(node: yaml.Node, exc: Exception) -> str:
    """Why a value cannot be read, in Chinese: PyYAML's own words are English and name Python types."""
    detail = f"「{node.value}」" if isinstance(node.value, str) else ""
    text = str(exc)
    if any(s in text for s in ("day is out of range", "month must be", "year 0 is out of range")):
        return f"{detail}：这一天不存在，请核对"
    tag = str(node.tag).replace("tag:yaml.org,2002:", "!!")
    if "could not determine a constructor" in text:
        return f"{detail}带有标签「{tag}」，不能使用：请删去以 ! 开头的标签，直接写值"
    # Otherwise the value does not fit the type its tag (!!int, !!bool, !!omap …) asks for.
    return f"{detail}不是「{tag}」类型的值：请删去以 ! 开头的标签，或改正写法"


def _read_text(abs_path: str, path: str, report: Report) -> str | None:
    try:
        with open(abs_path, "rb") as fh:
            data = fh.read(MAX_FILE_BYTES + 1)
    except OSError as exc:
        report.error(path, 1, f"无法读取文件（{exc.strerror or exc}）", "io")
        return None
    return decode(data, path, report)


def read(abs_path: str, path: str, report: Report, *, required: bool = True) -> Source | None:
    text = _read_text(abs_path, path, report)
    return None if text is None else parse(text, path, report, required=required)


def read_yaml(abs_path: str, path: str, report: Report, *, front_matter: bool = False) -> Located | None:
    """A YAML data file, or the front matter of a Markdown file, located to every level."""
    text = _read_text(abs_path, path, report)
    if text is None:
        return None
    if not front_matter:
        return located(text, path, report, first_line=1, what="YAML")
    found = _front_matter(text)
    return located(found[0], path, report, first_line=2) if found else None


def split_body(text: str) -> tuple[str, int]:
    """The body of a file's text and its first line, without reading the front matter's YAML."""
    found = _front_matter(text)
    start = found[1] if found else 0
    return text[start:], text.count("\n", 0, start) + 1


def body_of(abs_path: str) -> str:
    """The body of a file that `read` accepted before (for rendering, read again, not kept in memory)."""
    with open(abs_path, "rb") as fh:
        text = fh.read().decode("utf-8-sig").replace("\r\n", "\n").replace("\r", "\n")
    return split_body(text)[0]
