"""The disclosure columns (栏目) a site configures: a tree of folders under the disclosure folder."""

from __future__ import annotations

from dataclasses import dataclass, field

from gazette.content.fields import SLUG_RE

# The standard structure of a 政府信息公开专栏; an office
# overrides it with `columns:` in its mkdocs.yml.
DEFAULT_COLUMNS = [
    {"key": "guide", "name": "政府信息公开指南"},
    {"key": "rules", "name": "政府信息公开制度"},
    {"key": "statutory", "name": "法定主动公开内容", "children": [
        {"key": "organization", "name": "机构职能"},
        {"key": "regulations", "name": "规章"},
        {"key": "normative", "name": "规范性文件"},
        {"key": "plans", "name": "规划计划"},
        {"key": "statistics", "name": "统计信息"},
        {"key": "licensing", "name": "行政许可"},
        {"key": "penalties", "name": "行政处罚"},
        {"key": "fees", "name": "行政事业性收费"},
        {"key": "procurement", "name": "政府采购"},
        {"key": "finance", "name": "财政预决算"},
        {"key": "projects", "name": "重大建设项目"},
        {"key": "resources", "name": "公共资源配置"},
        {"key": "welfare", "name": "社会公益事业"},
    ]},
    {"key": "interpretation", "name": "政策解读"},
    {"key": "consultation", "name": "意见征集"},
    {"key": "annual-report", "name": "政府信息公开年报"},
    {"key": "on-request", "name": "依申请公开"},
]


@dataclass
class Column:
    """A disclosure column (栏目) from the configuration; sub-columns nest."""

    key: str
    name: str
    path: str  # folder under the disclosure dir, e.g. "statutory/normative"
    parent: "Column | None" = None
    children: list["Column"] = field(default_factory=list)

    def walk(self):
        yield self
        for child in self.children:
            yield from child.walk()


def read_columns(raw: list, problems: list[str]) -> list[Column]:
    """Turn the `columns` option into a tree, collecting mistakes as Chinese messages."""

    def build(entries, parent, where):
        out = []
        if not isinstance(entries, list):
            problems.append(f"{where} 应为列表")
            return out
        for i, entry in enumerate(entries, 1):
            if not isinstance(entry, dict) or not all(isinstance(entry.get(k), str) for k in ("key", "name")):
                problems.append(f"{where}第 {i} 项应写成 {{key: 英文短名, name: 中文名称}}")
                continue
            key = entry["key"].strip()
            if not SLUG_RE.match(key):
                problems.append(f"{where}第 {i} 项的 key「{key}」只能由小写字母、数字和“-”组成")
                continue
            path = f"{parent.path}/{key}" if parent else key
            col = Column(key, entry["name"].strip(), path, parent)
            col.children = build(entry.get("children", []), col, f"栏目「{col.name}」的 children ")
            out.append(col)
        return out

    return build(raw, None, "columns ")
