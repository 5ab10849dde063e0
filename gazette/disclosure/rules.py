"""The rules of the 政府信息公开 columns: interpretation deadlines, consultations, validity filters, annual reports.

The checks run in validation (`load_site(set_checks=…)`: the build and `gazette check` alike) and only report;
`Pages` contributes to the planned views from the catalog. Data flows one way: records → checks → catalog → views.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import logging
import os
import re
import time
from dataclasses import dataclass, field
from typing import Any, Callable

import yaml

from gazette import DATA_DIR
from gazette.clock import build_day
from gazette.content.records import reference_hint
from gazette.diagnostics import Report
from gazette.disclosure import annual
from gazette.disclosure.contacts import contact_links
from gazette.model.views import View, paginate

log = logging.getLogger("mkdocs.plugins.gazette")
WORKDAYS_FILE = os.path.join(DATA_DIR, "cn-workdays.yml")

# Validity values and the ASCII folder of their filtered list (pinyin, stable URLs).
VALIDITY_SLUGS = {"有效": "youxiao", "修订": "xiuding", "失效": "shixiao", "废止": "feizhi", None: "weibiaozhu"}


# -- working days -------------------------------------------------------------

@dataclass
class WorkCalendar:
    """Monday to Friday, minus public holidays, plus the weekends declared working days (调休)."""

    holidays: set[dt.date] = field(default_factory=set)
    workdays: set[dt.date] = field(default_factory=set)

    def is_workday(self, day: dt.date) -> bool:
        return day in self.workdays or (day not in self.holidays and day.weekday() < 5)

    def working_days_after(self, start: dt.date, end: dt.date) -> int:
        """Working days d with start < d ≤ end: published the next working day counts 1."""
        return sum(self.is_workday(start + dt.timedelta(days=n)) for n in range(1, (end - start).days + 1))


_RANGE = re.compile(r"^\s*(\d{4}-\d{2}-\d{2})\s*[~～至]\s*(\d{4}-\d{2}-\d{2})\s*$")


def read_dates(values: Any, label: str, problems: list[str]) -> set[dt.date]:
    """A list of dates or "first~last" ranges (as written in mkdocs.yml or the data file)."""
    if values is not None and not isinstance(values, list):
        problems.append(f"{label} 应为日期列表，例如 [2025-10-01, 2025-10-02] 或 [\"2025-10-01~2025-10-08\"]")
    out: set[dt.date] = set()
    for n, value in enumerate(values if isinstance(values, list) else [], 1):
        if isinstance(value, dt.date):
            out.add(value.date() if isinstance(value, dt.datetime) else value)
            continue
        text = str(value).strip()
        m = _RANGE.match(text)
        try:
            first, last = (dt.date.fromisoformat(d) for d in ((m[1], m[2]) if m else (text, text)))
            if not 0 <= (last - first).days <= 60:
                raise ValueError
            out.update(first + dt.timedelta(days=i) for i in range((last - first).days + 1))
        except ValueError:
            problems.append(f"{label} 第 {n} 项「{value}」不是日期或日期范围（应写成 2025-10-01 或 2025-10-01~2025-10-08）")
    return out


def default_calendar() -> WorkCalendar:
    with open(WORKDAYS_FILE, encoding="utf-8") as fh:
        data = yaml.safe_load(fh) or {}
    cal = WorkCalendar()
    problems: list[str] = []
    for year, entry in data.items():
        cal.holidays |= read_dates(entry.get("holidays"), f"{WORKDAYS_FILE} {year} holidays", problems)
        cal.workdays |= read_dates(entry.get("workdays"), f"{WORKDAYS_FILE} {year} workdays", problems)
    if problems:  # pragma: no cover - the shipped file is tested
        raise ValueError("; ".join(problems))
    return cal


# -- the setup of one site ---------------------------------------------------------

@dataclass
class Setup:
    """What the disclosure rules need from mkdocs.yml, read once per build with the annual-report formats."""

    calendar: WorkCalendar
    interpretation_days: int
    validity_columns: tuple[str, ...]
    formats: dict[str, annual.Format]
    format_problems: Report  # in the format files, listed with the content's

    @classmethod
    def from_config(cls, cfg, project_dir: str, problems: list[str]) -> "Setup":
        cal = default_calendar() if cfg.holiday_defaults else WorkCalendar()
        holidays = read_dates(cfg.holidays, "holidays", problems)
        workdays = read_dates(cfg.workdays, "workdays", problems)
        # A date the site lists explicitly overrides the shipped calendar.
        cal.holidays = (cal.holidays - workdays) | holidays
        cal.workdays = (cal.workdays - holidays) | workdays
        if cfg.interpretation_days < 0:
            problems.append("interpretation_days 不能为负数")
        dirs = [DATA_DIR]
        for n, d in enumerate(cfg.report_formats, 1):  # a list: MkDocs gives the default for a null
            path = os.path.normpath(os.path.join(project_dir, str(d)))
            if not os.path.isdir(path):
                problems.append(f"report_formats 第 {n} 项：找不到年报格式目录「{d}」（相对于 mkdocs.yml 所在目录）")
            else:
                dirs.append(path)
        found = Report()
        formats = annual.load_formats(dirs, project_dir, found)
        return cls(cal, cfg.interpretation_days, tuple(cfg.validity_columns), formats, found)

    def set_checks(self, docs_dir: str) -> list[Callable]:
        """The checks of the whole set of records, in order; they only report (the formats came with from_config)."""

        def run(records, report: Report) -> None:
            start = time.perf_counter()
            check_interpretations(records, report, self.calendar, self.interpretation_days)
            check_consultations(records, report)
            report.extend(self.format_problems)
            reports = [r for r in records.items if r.report]
            for record in reports:
                annual.read_report(record, self.formats, docs_dir, report)
            seconds = round(time.perf_counter() - start, 3)
            log.debug("gazette-timing %s", json.dumps({"feature": "disclosure-checks", "seconds": seconds,
                                                      "items": len(records.items), "annual_reports": len(reports)}))

        return [run]


# -- checks -----------------------------------------------------------------------

def _by_id(records) -> dict:
    return {item.id: item for item in reversed(records.items)}  # the first of an id wins


def check_interpretations(records, report: Report, calendar: WorkCalendar, limit: int) -> None:
    """An interpretation is published with its document, at the latest `limit` working days after it."""
    by_id = _by_id(records)
    for item in records.items:
        target = by_id.get(item.interprets)
        if target is None or target is item:
            continue
        late = calendar.working_days_after(target.published, item.published)
        if late > limit:
            report.warning(item.path, item.lines.get("interprets", item.lines.get("published", 1)),
                           f"政策解读发布日期 {item.published} 比所解读文件（{target.path}，发布日期 {target.published}）"
                           f"晚 {late} 个工作日，超过了 {limit} 个工作日的时限；解读应与文件同步发布"
                           f"（节假日和调休上班日按 mkdocs.yml 的 holidays、workdays 计算）", "late-interpretation")


def check_consultations(records, report: Report) -> None:
    """`consultation.result` names an item of the site (the published result of the consultation)."""
    by_id = _by_id(records)
    for item in records.items:
        result = (item.consultation or {}).get("result")
        if not result or result in records.failed_ids:  # that file's own errors are reported
            continue
        lines = item.lines
        line = lines.get("consultation.result") or lines.get("consultation.结果") or lines.get("consultation", 1)
        if result == item.id:
            report.error(item.path, line, "征求意见的「结果」不能指向本篇自己，应为公布意见采纳情况的那一篇的编号",
                         "bad-reference")
        elif result not in by_id:
            report.error(item.path, line, f"征求意见的「结果」指向的编号「{result}」不存在"
                         f"{reference_hint(result, by_id, item.id, records.failed_ids)}", "bad-reference")


# -- consultations on pages ---------------------------------------------------------

def consultation_state(consultation: dict | None, today: dt.date | None = None) -> str | None:
    if not consultation:
        return None
    today = today or build_day()
    return "未开始" if today < consultation["opens"] else "已结束" if today > consultation["closes"] else "进行中"


def consultation_results(item) -> list:
    """The items publishing the result of a consultation: `consultation.result`, then items superseding it."""
    first = [item.consultation_result] if item.consultation_result is not None else []
    return first + [s for s in item.superseded_by if s not in first]


# -- the columns' pages ----------------------------------------------------------------

class Pages:
    """The columns' lists by validity, reports' tables and chart (a views.Contributor); reports read again."""

    def __init__(self, setup: Setup, docs_dir: str):
        self.setup, self.docs_dir = setup, docs_dir
        self._validity = functools.cache(self._validity)  # asked again on every page of a column

    def views(self, catalog, planner):
        for node in filter(None, map(catalog.column_by_path.get, self.setup.validity_columns)):
            groups, filters = self._validity(node)
            for value, items in groups.items():
                label = value or "未标注"
                for src, chunk, pager in paginate(f"{node.url}validity/{VALIDITY_SLUGS[value]}", items, planner.size):
                    context = {"column": node, "items": chunk, "pager": pager, "validity_filter": filters,
                               "validity_current": value}
                    yield View(src, pager.title(f"{node.name}（{label}）"), "gazette/column.html", context,
                               planner.column_crumb(node) + [(label, "")], f"{node.name}中有效性为“{label}”的文件")

    def column_context(self, node, pager) -> dict:
        out: dict[str, Any] = {}
        if node.column.path in self.setup.validity_columns:
            out.update(validity_filter=self._validity(node)[1], validity_current="*")
        reports = [r for r in map(self.report, node.items if pager.number == 1 else ()) if r and r.format.chart]
        years = {rep.year: rep for rep in reversed(reports)}  # the chart, on the first page; a year's first report
        return {**out, "annual_chart": annual.chart_html(years)} if years else out

    def item_context(self, item) -> dict:
        return {"annual_report": rep} if (rep := self.report(item)) else {}

    def report(self, item) -> annual.AnnualReport | None:
        return annual.read_report(item.record, self.setup.formats, self.docs_dir, Report()) if item.report else None

    @staticmethod
    def _validity(node) -> tuple[dict, list[dict]]:
        """The column's items by validity (newest first, in VALIDITY_SLUGS order), and the filter links."""
        groups = {v: [item for item in node.all_items if item.record.validity == v] for v in VALIDITY_SLUGS}
        groups = {v: items for v, items in groups.items() if items}
        filters = [{"label": "全部", "url": node.url, "count": len(node.all_items), "value": "*"}]
        return groups, filters + [{"label": v or "未标注", "url": f"{node.url}validity/{VALIDITY_SLUGS[v]}/",
                                   "count": len(items), "value": v} for v, items in groups.items()]


# -- template helpers -----------------------------------------------------------------

def register(env) -> None:
    """Filters the disclosure partials use."""
    env.filters["gz_consultation_state"] = consultation_state
    env.filters["gz_consultation_results"] = consultation_results
    env.filters["gz_annual_tables"] = annual.render
    env.filters["gz_contact_links"] = contact_links
    env.globals["gz_build_day"] = build_day()
