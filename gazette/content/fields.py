"""The content format's fields: English keys, Chinese aliases, and how each value is read.

This is the editor-facing contract (`content-format.md`); the validators in
`records` apply it. A field is declared once here and nowhere else.
"""

from __future__ import annotations

import datetime as dt
import difflib
import os
import re
import time
from dataclasses import dataclass
from typing import Any, Callable

from gazette import clock
from gazette.content import dates

MAX_TEXT = 300  # one-line fields (title, issuer, …)
MAX_SUMMARY = 1000

VALIDITY = ("有效", "失效", "废止", "修订")
SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
# Control and invisible characters, and the two noncharacters XML cannot carry (feeds would fail).
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\u200b-\u200f\u2028-\u202e\ufeff\ufffe\uffff]")


class Invalid(ValueError):
    """A value an editor must fix; the message is Chinese and complete."""


@dataclass(frozen=True)
class Field:
    key: str
    aliases: tuple[str, ...]
    label: str  # Chinese name used in messages
    read: Callable[[Any, str], Any]
    required: bool = False

    @property
    def names(self) -> tuple[str, ...]:
        return (self.key, *self.aliases)


# -- value readers ----------------------------------------------------------

_KINDS = ((bool, "是/否"), ((list, tuple), "列表"), (dict, "映射"), ((int, float), "数字"), (dt.date, "日期"))


def _kind(value: Any) -> str:
    return next((name for types, name in _KINDS if isinstance(value, types)), type(value).__name__)


def read_text(value: Any, label: str, limit: int = MAX_TEXT) -> str:
    if isinstance(value, (bool, list, dict, tuple, dt.date)):
        raise Invalid(f"「{label}」应为一段文字，实际是{_kind(value)}")
    if isinstance(value, (int, float)):
        value = str(value)
    if not isinstance(value, str):
        raise Invalid(f"「{label}」应为一段文字")
    text = value.strip()
    if not text:
        raise Invalid(f"「{label}」不能为空")
    if CONTROL.search(text):
        raise Invalid(f"「{label}」含有不可见的控制字符，请删除后重新输入")
    if "\n" in text and limit <= MAX_TEXT:
        raise Invalid(f"「{label}」应写在一行内")
    if len(text) > limit:
        raise Invalid(f"「{label}」过长（{len(text)} 字），不应超过 {limit} 字")
    return text


def text(limit: int = MAX_TEXT) -> Callable[[Any, str], str]:
    return lambda value, label: read_text(value, label, limit)


def read_int(value: Any, label: str) -> int:
    if isinstance(value, str) and value.strip().isdigit():
        value = int(value.strip())
    if isinstance(value, bool) or not isinstance(value, int):
        raise Invalid(f"「{label}」应为整数，实际是{_kind(value)}")
    if not 0 < value < 100000:
        raise Invalid(f"「{label}」应为正整数")
    return value


_CN_DATE = re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})日$")
_ISO_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
FIRST_DATE = dt.date(1949, 1, 1)
_LAST: list = [None, None]  # [key, last_date()]: read for every date of 50,000 files


def last_date() -> dt.date:
    """The latest date a document may carry: 31 December of the year after the build day."""
    # The build day changes with GAZETTE_TODAY, the zone, or the clock: recomputed each minute.
    key = (os.environ.get("GAZETTE_TODAY"), clock.TIMEZONE, int(time.time()) // 60)
    if _LAST[0] != key:
        _LAST[:] = [key, dt.date(clock.build_day().year + 1, 12, 31)]
    return _LAST[1]


def _in_range(value: dt.date, label: str) -> dt.date:
    # Beyond these the date is a typo (2107 for 2017), and far dates break later stages.
    if value < FIRST_DATE:
        raise Invalid(f"「{label}」{value} 早于 1949-01-01，请检查年份")
    latest = last_date()
    if value > latest:
        raise Invalid(f"「{label}」{value} 晚于 {latest}（明年年底），请检查年份")
    return value


def _as_typed(raw: str) -> str:
    """The fix for a date as the editor typed it (2016.8.25 → 2016-08-25), or the general form."""
    try:
        day = dates.read(raw)
    except ValueError:
        return "这一天不存在，请核对"
    return f"应写成 {day.isoformat()}" if day else "应写成 2013-12-10 或 2013年12月10日 的形式"


def read_date(value: Any, label: str) -> dt.date:
    if isinstance(value, dt.datetime):
        raise Invalid(f"「{label}」只写日期，不写时间，应写成 {value.date().isoformat()}")
    if isinstance(value, dt.date):
        return _in_range(value, label)
    if isinstance(value, str):
        raw = value.strip()
        m = _ISO_DATE.match(raw) or _CN_DATE.match(raw)
        if m:
            try:
                day = dt.date(int(m[1]), int(m[2]), int(m[3]))
            except ValueError:
                raise Invalid(f"「{label}」{raw}：这一天不存在，请核对") from None
            return _in_range(day, label)
        raise Invalid(f"「{label}」日期格式无法识别：「{raw}」，{_as_typed(raw)}")
    raise Invalid(f"「{label}」应为日期（如 2013-12-10），实际是{_kind(value)}")


def read_slug(value: Any, label: str) -> str:
    raw = read_text(value, label)
    if not SLUG_RE.match(raw):
        raise Invalid(f"「{label}」「{raw}」只能由小写英文字母、数字和“-”组成")
    return raw


def read_slug_list(value: Any, label: str) -> list[str]:
    """One ID, or a list of them: a decision may amend several documents at once."""
    if isinstance(value, (str, int)) and not isinstance(value, bool):
        value = [value]
    if not isinstance(value, list) or not value:
        raise Invalid(f"「{label}」应为一个编号，或编号的列表（每行以“- ”开头），实际是{_kind(value)}")
    out = [read_slug(v, label if len(value) == 1 else f"{label}第 {i} 项") for i, v in enumerate(value, 1)]
    for i, slug in enumerate(out, 1):
        if slug in out[: i - 1]:
            raise Invalid(f"「{label}」第 {i} 项「{slug}」写了两次")
    return out


def read_validity(value: Any, label: str) -> str:
    raw = read_text(value, label)
    if raw not in VALIDITY:
        raise Invalid(f"「{label}」应为 {'、'.join(VALIDITY)} 之一，实际是「{raw}」")
    return raw


def read_text_list(value: Any, label: str) -> list[str]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list):
        raise Invalid(f"「{label}」应为列表（每行以“- ”开头），实际是{_kind(value)}")
    return [read_text(entry, f"{label}第 {i} 项") for i, entry in enumerate(value, 1)]


def read_keywords(value: Any, label: str) -> list[str]:
    """关键词 as a list, or as one line of words parted by commas, 顿号 or spaces."""
    words = read_text_list(value, label)
    return [w for line in words for w in re.split(r"[,，、;；\s]+", line) if w]


def read_path(value: Any, label: str) -> str:
    raw = read_text(value, label)
    if "\\" in raw:
        raise Invalid(f"「{label}」路径请用“/”分隔，不要用“\\”")
    if re.match(r"^[a-z][a-z0-9+.-]*://", raw, re.I):
        raise Invalid(f"「{label}」应为站内文件的相对路径，不能是网址")
    return raw


# -- nested structures --------------------------------------------------------

CONSULTATION_FIELDS = (
    Field("opens", ("开始日期",), "开始日期", read_date, required=True),
    Field("closes", ("截止日期",), "截止日期", read_date, required=True),
    Field("channels", ("反馈方式",), "反馈方式", read_text_list),
    Field("result", ("结果",), "结果", read_slug),
)

ATTACHMENT_FIELDS = (
    Field("title", ("标题",), "附件标题", text(), required=True),
    Field("file", ("文件",), "附件文件", read_path, required=True),
)


def read_mapping(value: Any, label: str, fields: tuple[Field, ...]) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise Invalid(f"「{label}」应为「字段: 值」的映射，实际是{_kind(value)}")
    out: dict[str, Any] = {}
    by_name = {name: f for f in fields for name in f.names}
    for raw_key, raw in value.items():
        name = str(raw_key)
        spec = by_name.get(name)
        if spec is None:
            raise Invalid(f"「{label}」中有未知字段「{name}」{did_you_mean(name, fields)}")
        if spec.key in out:
            raise Invalid(f"「{label}」中「{spec.label}」写了两次")
        if raw is not None:  # an empty optional entry is as if absent; a required one is reported below
            out[spec.key] = spec.read(raw, spec.label)
    for spec in fields:
        if spec.required and spec.key not in out:
            raise Invalid(f"「{label}」缺少「{spec.label}」（{spec.key}）")
    return out


def read_consultation(value: Any, label: str) -> dict[str, Any]:
    data = read_mapping(value, label, CONSULTATION_FIELDS)
    if data["opens"] > data["closes"]:
        raise Invalid(f"「{label}」开始日期 {data['opens']} 晚于截止日期 {data['closes']}")
    data.setdefault("channels", [])
    return data


def read_format_id(value: Any, label: str) -> str:
    if isinstance(value, (bool, list, dict)):
        raise Invalid(f"「{label}」应为格式版本号，例如 2019，实际是{_kind(value)}")
    return read_text(str(value), label, 20)


def read_year(value: Any, label: str) -> int:
    year = read_int(value, label)
    if not 1949 <= year <= 2200:
        raise Invalid(f"「{label}」应为四位年份，例如 2020")
    return year


def read_raw_mapping(value: Any, label: str) -> dict:
    if not isinstance(value, dict):
        raise Invalid(f"「{label}」应为「表名: 各行数据」的映射，实际是{_kind(value)}")
    return value  # checked against the declared format by `annual`


# An annual report (政府信息公开工作年度报告): its format version and its figures,
# inline (`tables`) or in a YAML file beside the item (`data`).
REPORT_FIELDS = (
    Field("format", ("格式",), "格式版本", read_format_id, required=True),
    Field("year", ("年度",), "年度", read_year),
    Field("data", ("数据文件",), "数据文件", read_path),
    Field("tables", ("表格",), "表格", read_raw_mapping),
)


def read_report(value: Any, label: str) -> dict[str, Any]:
    data = read_mapping(value, label, REPORT_FIELDS)
    if ("data" in data) == ("tables" in data):
        raise Invalid(f"「{label}」应写「数据文件」（data，年报数据的 YAML 文件）或「表格」（tables）二者之一")
    return data


def read_attachments(value: Any, label: str) -> list[dict[str, str]]:
    if isinstance(value, dict):
        value = [value]
    if not isinstance(value, list):
        raise Invalid(f"「{label}」应为列表，每项写「标题」和「文件」")
    return [read_mapping(v, f"{label}第 {i} 项", ATTACHMENT_FIELDS) for i, v in enumerate(value, 1)]


# Checks of gazette/safety/ that an item may be exempted from, with a reason
# (e.g. a 公示 that must name a person by ID number): code → (Chinese name, aliases).
ALLOWABLE_CHECKS = {
    "id-number": ("居民身份证号码", ("身份证号", "身份证号码", "身份证")),
    "mobile": ("手机号码", ("手机号", "手机")),
    "bank-card": ("银行卡号", ("银行卡", "银行账号")),
    "spam-term": ("赌博等敏感词语", ("敏感词", "垃圾词")),
    "external-domain": ("允许列表之外的外部链接", ("外部链接", "外部域名")),
}


def read_allow(value: Any, label: str) -> dict[str, str]:
    """`allow: {id-number: 理由}`: which safety checks this item is exempted from, and why."""
    example = "应写成「检查项: 理由」，例如\n  allow:\n    id-number: 依据……须公示身份证号码"
    if not isinstance(value, dict):
        raise Invalid(f"「{label}」{example}；每一项都要写明理由")
    by_name = {name: code for code, (cn, aliases) in ALLOWABLE_CHECKS.items() for name in (code, cn, *aliases)}
    out: dict[str, str] = {}
    for raw_key, reason in value.items():
        code = by_name.get(str(raw_key).strip())
        if code is None:
            known = "、".join(f"{code}（{cn}）" for code, (cn, _a) in ALLOWABLE_CHECKS.items())
            raise Invalid(f"「{label}」中的「{raw_key}」不是可豁免的检查项；可写：{known}")
        if reason is None or (isinstance(reason, str) and not reason.strip()):
            raise Invalid(f"「{label}」中的「{raw_key}」没有写理由；{example}")
        out[code] = read_text(reason, f"{label}「{raw_key}」的理由")
    return out


# -- the two schemas ------------------------------------------------------------

ISSUE_FIELDS = (
    Field("year", ("年份",), "年份", read_int),
    Field("number", ("期号",), "期号", read_int),
    Field("serial", ("总期号",), "总期号", read_int),
    Field("published", ("出版日期",), "出版日期", read_date, required=True),
    Field("pdf", ("PDF",), "PDF", read_path),
    Field("columns", ("栏目顺序",), "栏目顺序", read_text_list),
    Field("title", ("标题",), "标题", text()),
)

ITEM_FIELDS = (
    Field("title", ("标题",), "标题", text(), required=True),
    Field("issuer", ("发布机构", "发文机关"), "发布机构", text(), required=True),
    Field("published", ("发布日期",), "发布日期", read_date, required=True),
    Field("written", ("成文日期",), "成文日期", read_date),
    Field("doc_number", ("文号",), "文号", text(60)),
    Field("index_no", ("索引号",), "索引号", text(60)),
    Field("subject", ("主题分类",), "主题分类", text(60)),
    Field("genre", ("文种",), "文种", text(20)),
    Field("column", ("栏目",), "栏目", text(60)),
    Field("validity", ("有效性",), "有效性", read_validity),
    Field("id", ("编号",), "编号", read_slug),
    Field("summary", ("摘要",), "摘要", text(MAX_SUMMARY)),
    Field("keywords", ("关键词",), "关键词", read_keywords),
    Field("interprets", ("解读对象",), "解读对象", read_slug),
    Field("supersedes", ("替代",), "替代", read_slug),
    Field("amends", ("修订对象", "修改对象"), "修订对象", read_slug_list),
    Field("disclosure_column", ("公开栏目",), "公开栏目", text(60)),
    Field("consultation", ("征求意见",), "征求意见", read_consultation),
    Field("attachments", ("附件",), "附件", read_attachments),
    Field("allow", ("豁免检查",), "豁免检查", read_allow),
    Field("report", ("年报数据",), "年报数据", read_report),
)

# Keys MkDocs and Material themselves understand; allowed on items so editors
# can still hide a sidebar or set a description.
PASSTHROUGH = frozenset({"hide", "description", "template", "search", "status", "tags"})


def did_you_mean(name: str, fields: tuple[Field, ...]) -> str:
    names = [n for f in fields for n in f.names]
    close = difflib.get_close_matches(name, names, n=1, cutoff=0.6)
    if not close and len(name) >= 2:
        # Chinese keys are short: also try names sharing all but one character.
        close = [n for n in names if len(n) == len(name) and sum(a != b for a, b in zip(n, name)) == 1][:1]
    if close:
        return f"，是不是「{close[0]}」？"
    return f"；可用字段：{'、'.join(f.key + '/' + f.aliases[0] for f in fields)}"
