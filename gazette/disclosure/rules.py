"""The rules of the 政府信息公开 columns: interpretation deadlines, consultations, validity filters.

Checks run in the validation stage (`records.load_site(..., set_checks=…)`), so
`mkdocs build` and `gazette check` report the same problems; views and
template helpers run after the catalog. Data flows one way: records → checks →
catalog → views.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import os
import re
import time
from dataclasses import dataclass, field
from typing import Any, Callable

import yaml

from gazette.disclosure import annual
from gazette.diagnostics import Report

log = logging.getLogger("mkdocs.plugins.gazette")
from gazette import DATA_DIR
WORKDAYS_FILE = os.path.join(DATA_DIR, "cn-workdays.yml")

CONSULTATION_STATES = ("未开始", "进行中", "已结束")

# Validity values and the ASCII folder of their filtered list (pinyin, stable URLs).
VALIDITY_SLUGS = {"有效": "youxiao", "修订": "xiuding", "失效": "shixiao", "废止": "feizhi", None: "weibiaozhu"}
VALIDITY_LABELS = {None: "未标注"}


# -- working days -------------------------------------------------------------

@dataclass
class WorkCalendar:
    """Monday to Friday, minus public holidays, plus the weekends declared working days (调休)."""

    holidays: set[dt.date] = field(default_factory=set)
    workdays: set[dt.date] = field(default_factory=set)

    def is_workday(self, day: dt.date) -> bool:
        if day in self.workdays:
            return True
        if day in self.holidays:
            return False
        return day.weekday() < 5

    def working_days_after(self, start: dt.date, end: dt.date) -> int:
        """Working days d with start < d ≤ end: published the next working day counts 1."""
        count, day = 0, start + dt.timedelta(days=1)
        while day <= end:
            count += self.is_workday(day)
            day += dt.timedelta(days=1)
        return count


_RANGE = re.compile(r"^\s*(\d{4}-\d{2}-\d{2})\s*[~～至]\s*(\d{4}-\d{2}-\d{2})\s*$")


def read_dates(values: Any, label: str, problems: list[str]) -> set[dt.date]:
    """A list of dates or "first~last" ranges (as written in mkdocs.yml or the data file)."""
    out: set[dt.date] = set()
    if values is None:
        return out
    if not isinstance(values, list):
        problems.append(f"{label} 应为日期列表，例如 [2025-10-01, 2025-10-02] 或 [\"2025-10-01~2025-10-08\"]")
        return out
    for n, value in enumerate(values, 1):
        if isinstance(value, dt.datetime):
            value = value.date()
        if isinstance(value, dt.date):
            out.add(value)
            continue
        text = str(value)
        m = _RANGE.match(text)
        try:
            if m:
                first, last = dt.date.fromisoformat(m[1]), dt.date.fromisoformat(m[2])
                if last < first or (last - first).days > 60:
                    raise ValueError
                out.update(first + dt.timedelta(days=i) for i in range((last - first).days + 1))
            else:
                out.add(dt.date.fromisoformat(text.strip()))
        except ValueError:
            problems.append(f"{label} 第 {n} 项「{text}」不是日期或日期范围（应写成 2025-10-01 或 2025-10-01~2025-10-08）")
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
    """What the disclosure rules need from mkdocs.yml, read once per build."""

    calendar: WorkCalendar
    interpretation_days: int = 3
    validity_columns: tuple[str, ...] = ("statutory/normative",)
    format_dirs: tuple[str, ...] = ()
    formats: dict[str, "annual.Format"] | None = None

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
        for n, d in enumerate(cfg.report_formats or [], 1):
            path = os.path.normpath(os.path.join(project_dir, str(d)))
            if not os.path.isdir(path):
                problems.append(f"report_formats 第 {n} 项：找不到年报格式目录「{d}」（相对于 mkdocs.yml 所在目录）")
            else:
                dirs.append(path)
        return cls(cal, cfg.interpretation_days, tuple(cfg.validity_columns or ()), tuple(dirs))

    def set_checks(self, docs_dir: str, project_dir: str) -> list[Callable]:
        """The checks of the whole set of records, in the order they run."""

        def run(records, report: Report) -> None:
            start = time.perf_counter()
            check_interpretations(records, report, self.calendar, self.interpretation_days)
            check_consultations(records, report)
            self.formats = annual.load_formats(self.format_dirs, project_dir, report)
            reports = annual.check_reports(records, report, self.formats, docs_dir)
            log.info("gazette-timing %s", json.dumps({"feature": "disclosure-checks", "seconds": round(time.perf_counter() - start, 3),
                                                      "items": len(records.items), "annual_reports": reports}))

        return [run]


# -- checks -----------------------------------------------------------------------

def _by_id(records) -> dict:
    out: dict = {}
    for item in records.items:
        out.setdefault(item.id, item)
    return out


def check_interpretations(records, report: Report, calendar: WorkCalendar, limit: int) -> None:
    """An interpretation is published with its document, at the latest `limit` working days after it."""
    by_id = _by_id(records)
    for item in records.items:
        target = by_id.get(item.interprets) if item.interprets else None
        if target is None or target is item:
            continue
        late = calendar.working_days_after(target.published, item.published)
        if late > limit:
            report.warning(
                item.path, item.lines.get("interprets", item.lines.get("published", 1)),
                f"政策解读发布日期 {item.published} 比所解读文件（{target.path}，发布日期 {target.published}）"
                f"晚 {late} 个工作日，超过了 {limit} 个工作日的时限；解读应与文件同步发布"
                f"（节假日和调休上班日按 mkdocs.yml 的 holidays、workdays 计算）",
                "late-interpretation",
            )


def check_consultations(records, report: Report) -> None:
    """`consultation.result` names an item of the site (the published result of the consultation)."""
    by_id = _by_id(records)
    for item in records.items:
        result = (item.consultation or {}).get("result")
        if not result:
            continue
        line = item.lines.get("consultation.result") or item.lines.get("consultation.结果") or item.lines.get("consultation", 1)
        if result == item.id:
            report.error(item.path, line, "征求意见的「结果」不能指向本篇自己，应为公布意见采纳情况的那一篇的编号", "bad-reference")
        elif result not in by_id:
            import difflib

            close = difflib.get_close_matches(result, list(by_id), n=1, cutoff=0.7)
            hint = f"，是不是「{close[0]}」？" if close else "；编号默认为文件路径（去掉 .md，“/”换成“-”），例如 consultation-yjzj-2024-1-jieguo"
            report.error(item.path, line, f"征求意见的「结果」指向的编号「{result}」不存在{hint}", "bad-reference")


# -- consultations on pages ---------------------------------------------------------

TIMEZONE = "Asia/Shanghai"  # the site's time zone (option `timezone`), set by the plugin


def build_day(now: dt.datetime | None = None, tz: str | None = None) -> dt.date:
    """The day the site is built, in the site's time zone whatever the machine's TZ.

    GAZETTE_TODAY=YYYY-MM-DD fixes it (tests, reproducible rebuilds); `now` (an aware datetime)
    and `tz` are for tests of the conversion.
    """
    fixed = os.environ.get("GAZETTE_TODAY")
    if fixed and now is None:
        try:
            return dt.date.fromisoformat(fixed.strip())
        except ValueError:
            pass
    from zoneinfo import ZoneInfo

    zone = ZoneInfo(tz or TIMEZONE)
    return (now or dt.datetime.now(dt.timezone.utc)).astimezone(zone).date()


def consultation_state(consultation: dict | None, today: dt.date | None = None) -> str | None:
    if not consultation:
        return None
    today = today or build_day()
    if today < consultation["opens"]:
        return "未开始"
    if today > consultation["closes"]:
        return "已结束"
    return "进行中"


def consultation_results(item) -> list:
    """The items publishing the result of a consultation: `consultation.result`, then items superseding it."""
    out = []
    if item.consultation_result is not None:
        out.append(item.consultation_result)
    out.extend(s for s in item.superseded_by if s not in out)
    return out


# -- validity filter pages ------------------------------------------------------------

def validity_label(value: str | None) -> str:
    return VALIDITY_LABELS.get(value, value or "")


def extra_views(catalog, planner, setup: Setup, views: dict) -> dict:
    """Filtered landing pages by validity for the configured columns; the annual-report chart."""
    from gazette.model.views import View, _pages

    out: dict = {}
    d = planner.d
    for path in setup.validity_columns:
        node = catalog.column_by_path.get(path)
        if node is None:
            continue
        groups: dict = {}
        for item in node.all_items:  # already newest first; grouping keeps the order
            groups.setdefault(item.record.validity, []).append(item)
        order = [v for v in VALIDITY_SLUGS if v in groups]
        filters = [{"label": "全部", "url": node.url, "count": len(node.all_items), "value": "*"}]
        filters += [{"label": validity_label(v), "url": f"{d}/{node.column.path}/validity/{VALIDITY_SLUGS[v]}/",
                     "count": len(groups[v]), "value": v} for v in order]
        crumb = [planner.home, (planner.disclosure_name, f"{d}/")] + [(n.name, n.url) for n in (*node.ancestors, node)]
        for view in views.values():
            if view.context.get("column") is node:
                view.context["validity_filter"] = filters
                view.context["validity_current"] = "*"
        for v in order:
            base = f"{d}/{node.column.path}/validity/{VALIDITY_SLUGS[v]}"
            label = validity_label(v)
            for src, chunk, pager in _pages(base, groups[v], planner.size):
                title = f"{node.name}（{label}）" + ("" if pager.number == 1 else f"（第{pager.number}页）")
                out[src] = View(src, title, "gazette/column.html",
                                {"column": node, "items": chunk, "pager": pager, "validity_filter": filters,
                                 "validity_current": v, "filtered": True},
                                crumb + [(label, "")], f"{node.name}中有效性为“{label}”的文件")
    annual.add_chart_views(catalog, views)
    return out


# -- template helpers -----------------------------------------------------------------

def register(env) -> None:
    """Filters the disclosure partials use."""
    from markupsafe import Markup

    env.filters["gz_consultation_state"] = lambda c: consultation_state(c)
    env.filters["gz_consultation_results"] = consultation_results
    env.filters["gz_validity_label"] = validity_label
    env.filters["gz_annual_tables"] = lambda spec: Markup(annual.render((spec or {}).get("parsed")))
    env.globals["gz_build_day"] = build_day()
