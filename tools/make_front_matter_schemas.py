"""Write gazette/data/schema/{item,issue}-front-matter.schema.json from gazette/content/fields.py.

A developer script, not part of the package: the package ships the generated files (and publishes
them with the site, gazette/opendata/); tests/test_open_data.py fails when they differ from what
this script writes. Run it again after changing a field in fields.py and commit the result:

    python tools/make_front_matter_schemas.py

The schemas help editors' tools underline mistakes while typing; `gazette check` remains the
check. They use only keywords that draft-07 tools read the same way (no `$ref`, whose sibling
descriptions draft-07 ignores), and describe each field in Chinese.
"""

from __future__ import annotations

import json
import os
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
if ROOT not in sys.path:
    sys.path.insert(0, ROOT)

from gazette.content import fields  # noqa: E402

OUT = os.path.join(ROOT, "gazette", "data", "schema")
DRAFT = "https://json-schema.org/draft/2020-12/schema"

# A date as the editor may write it: 2013-12-10 or 2013年12月10日, from 1949 on.
_YEAR = r"(19(49|[5-9]\d)|2\d{3})"
DATE = {"type": "string",
        "pattern": rf"^({_YEAR}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])"
                   rf"|{_YEAR}年(0?[1-9]|1[0-2])月(0?[1-9]|[12]\d|3[01])日)$"}
INTEGER = {"anyOf": [{"type": "integer", "minimum": 1, "maximum": 99999},
                     {"type": "string", "pattern": r"^\s*\d{1,5}\s*$"}]}
SLUG = {"anyOf": [{"type": "string", "pattern": fields.SLUG_RE.pattern}, {"type": "integer", "minimum": 0}]}
PATH = {"type": "string", "pattern": r"^(?![A-Za-z][A-Za-z0-9+.-]*://)[^\\]*\S[^\\]*$"}


def text(limit: int = fields.MAX_TEXT) -> dict:
    one_line = limit <= fields.MAX_TEXT
    pattern = r"^\s*[^\n]*\S[^\n]*\s*$" if one_line else r"\S"
    return {"anyOf": [{"type": "string", "maxLength": limit, "pattern": pattern}, {"type": "number"}]}


def text_list(limit: int = fields.MAX_TEXT) -> dict:
    return {"anyOf": [text(limit), {"type": "array", "items": text(limit)}]}


def mapping(specs: tuple, described: dict[str, str]) -> dict:
    """An object of fields written by their English or Chinese names, the required ones present."""
    props = {}
    for spec in specs:
        for name in spec.names:
            props[name] = {**VALUES[spec.read if spec.read in VALUES else spec.key](),
                           "description": described[spec.key]}
    out: dict = {"type": "object", "properties": props, "additionalProperties": False}
    rules = [{"anyOf": [{"required": [name]} for name in spec.names]} for spec in specs if spec.required]
    # A field written both ways (title and 标题) is refused by the check: so it is here.
    rules += [{"not": {"required": [a, b]}} for spec in specs
              for i, a in enumerate(spec.names) for b in spec.names[i + 1:]]
    if rules:
        out["allOf"] = rules
    return out


CONSULTATION = {"opens": "征求意见开始日期，如 2024-08-26", "closes": "征求意见截止日期，不早于开始日期",
                "channels": "反馈方式，每行一种（信函、传真、电子邮箱等）",
                "result": "公布意见采纳情况的那一篇的编号（id）"}
ATTACHMENT = {"title": "附件的标题，如「附件1：申请表」", "file": "附件文件的路径，相对于本篇所在的文件夹，如 fujian-1.pdf"}
REPORT = {"format": "年报统计表的格式版本，如 2019 或 2021", "year": "报告的年度，如 2023",
          "data": "年报数据 YAML 文件的路径，相对于本篇所在的文件夹（与「表格」二选一）",
          "tables": "直接写在头部的年报统计表（与「数据文件」二选一）"}


def consultation() -> dict:
    return mapping(fields.CONSULTATION_FIELDS, CONSULTATION)


def attachments() -> dict:
    one = mapping(fields.ATTACHMENT_FIELDS, ATTACHMENT)
    return {"anyOf": [one, {"type": "array", "items": one}]}


def allow() -> dict:
    names = [n for code, (cn, aliases) in fields.ALLOWABLE_CHECKS.items() for n in (code, cn, *aliases)]
    return {"type": "object", "propertyNames": {"enum": names},
            "additionalProperties": {"type": "string", "pattern": r"\S"}}


def report() -> dict:
    out = mapping(fields.REPORT_FIELDS, REPORT)
    out["allOf"].append({"oneOf": [{"anyOf": [{"required": [n]} for n in spec.names]}
                                   for spec in fields.REPORT_FIELDS if spec.key in ("data", "tables")]})
    return out


VALUES = {
    fields.read_date: lambda: dict(DATE), fields.read_int: lambda: dict(INTEGER),
    fields.read_slug: lambda: dict(SLUG),
    fields.read_slug_list: lambda: {"anyOf": [SLUG, {"type": "array", "items": SLUG, "minItems": 1,
                                                     "uniqueItems": True}]},
    fields.read_validity: lambda: {"enum": list(fields.VALIDITY)},
    fields.read_text_list: text_list, fields.read_keywords: text_list, fields.read_path: lambda: dict(PATH),
    fields.read_year: lambda: {"anyOf": [{"type": "integer", "minimum": 1949, "maximum": 2200},
                                         {"type": "string", "pattern": r"^\s*\d{4}\s*$"}]},
    fields.read_format_id: lambda: text(20),
    fields.read_raw_mapping: lambda: {"type": "object"},
    # Fields read by `text(limit)`, by the key (each reader is a new function).
    "title": text, "issuer": text, "doc_number": lambda: text(60), "index_no": lambda: text(60),
    "subject": lambda: text(60), "genre": lambda: text(20), "column": lambda: text(60),
    "summary": lambda: text(fields.MAX_SUMMARY), "disclosure_column": lambda: text(60),
    "consultation": consultation, "attachments": attachments, "allow": allow, "report": report,
}

ITEM = {
    "title": "文件标题（必填）",
    "issuer": "发布机构（必填），如「江临市人民政府」；也可写作「发文机关」",
    "published": "发布日期（必填），写成 2025-06-12 或 2025年6月12日",
    "written": "成文日期，不晚于发布日期",
    "doc_number": "文号，年份用六角括号〔〕，如「江府发〔2025〕11号」",
    "index_no": "索引号",
    "subject": "主题分类，如「综合政务」",
    "genre": "文种，如「通知」「决定」",
    "column": "栏目：公报文章在本期目录中的分组（必填）；政务公开的文件由所在文件夹决定，可不写",
    "validity": "有效性：有效、失效、废止、修订 之一",
    "id": "编号：只用小写英文字母、数字和“-”；不写时由文件位置决定。其他文件引用本篇时写它",
    "summary": "摘要：一两句话，用于列表和张贴版",
    "keywords": "关键词：几个词，写成列表或用逗号、顿号隔开；写进网页元数据，供搜索引擎和平台抓取",
    "interprets": "本篇是政策解读时，所解读文件的编号（id）",
    "supersedes": "本篇替代的文件的编号（id）",
    "amends": "本篇修订的文件的编号（id），可写多个",
    "disclosure_column": "公报文章同时列入的政务公开栏目（名称或文件夹）",
    "consultation": "意见征集：开始日期、截止日期、反馈方式、结果",
    "attachments": "附件：每项写「标题」和「文件」",
    "allow": "豁免的内容安全检查及理由，如 id-number: 依据……须公示身份证号码",
    "report": "政府信息公开工作年度报告的统计数据",
}
ISSUE = {
    "year": "年份；不写时由文件夹决定",
    "number": "期号；不写时由文件夹决定",
    "serial": "总期号，逐期递增",
    "published": "出版日期（必填），写成 2025-06-30 或 2025年6月30日",
    "pdf": "印刷版 PDF 文件，放在本期的文件夹中",
    "columns": "本期目录的栏目顺序，如 [市政府文件, 部门文件]",
    "title": "本期标题；不写时为「刊名 年份年第几期」",
}
PASSTHROUGH = {
    "hide": "MkDocs Material：隐藏页面的部分，如 [toc]",
    "description": "页面描述（搜索引擎显示）",
    "template": "页面模板（一般不写）",
    "search": "站内搜索的设置，如 {exclude: true}",
    "status": "MkDocs Material：页面状态",
    "tags": "MkDocs Material：标签",
}


def front_matter(title: str, description: str, specs: tuple, described: dict[str, str],
                 passthrough: bool) -> dict:
    schema = mapping(specs, described)
    for spec in specs:  # an optional field left empty is as if it were not written
        if not spec.required:
            for name in spec.names:
                prop = schema["properties"][name]
                schema["properties"][name] = {"anyOf": [{k: v for k, v in prop.items() if k != "description"},
                                                        {"type": "null"}], "description": prop["description"]}
    if passthrough:
        for key in sorted(fields.PASSTHROUGH):
            schema["properties"][key] = {"description": PASSTHROUGH[key]}
    return {"$schema": DRAFT, "title": title, "description": description, **schema}


def schemas() -> dict[str, dict]:
    return {
        "item-front-matter.schema.json": front_matter(
            "公报文章和政务公开文件的头部",
            "一篇文件的 .md 文件开头 --- 之间的 YAML。字段可写英文名或中文名（如 title 或 标题），同一字段只写一种。"
            "完整的检查以 gazette check 为准。",
            fields.ITEM_FIELDS, ITEM, passthrough=True),
        "issue-front-matter.schema.json": front_matter(
            "一期公报的头部",
            "一期公报文件夹中 index.md 开头 --- 之间的 YAML。字段可写英文名或中文名。完整的检查以 gazette check 为准。",
            fields.ISSUE_FIELDS, ISSUE, passthrough=False),
    }


def dumps(schema: dict) -> str:
    return json.dumps(schema, ensure_ascii=False, indent=2) + "\n"


def main() -> int:
    for name, schema in schemas().items():
        with open(os.path.join(OUT, name), "w", encoding="utf-8", newline="\n") as fh:
            fh.write(dumps(schema))
        print(f"{OUT}/{name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
