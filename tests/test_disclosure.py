"""The disclosure columns: the 政策解读 deadline in working days, consultations (period, channels,
state, result), validity banners and filtered lists, and the sample's column pages."""

from __future__ import annotations

import datetime as dt
import posixpath
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from conftest import MINIMAL_CONFIG, make_project, run_mkdocs, serve
from gazette.disclosure.rules import WorkCalendar, consultation_state, default_calendar

D = dt.date


def target(url: str, href: str) -> str:
    """The site-relative page a relative link on page `url` leads to."""
    return posixpath.normpath(posixpath.join(url, href)) + "/"


def check(project: Path, capsys, *args: str) -> tuple[int, str]:
    """`gazette check` in-process (a subprocess costs seconds on a shared machine)."""
    from gazette.cli import main

    code = main(["check", *args, "-f", str(project / "mkdocs.yml"), str(project / "docs")])
    out = capsys.readouterr()
    return code, out.out + out.err


def soup(site: Path, url: str) -> BeautifulSoup:
    return BeautifulSoup((site / url / "index.html").read_text(encoding="utf-8"), "html.parser")


def doc(title: str, published: str, extra: str = "") -> str:
    return f"---\ntitle: {title}\nissuer: 测试市人民政府办公室\npublished: {published}\n{extra}---\n\n正文。\n"


# -- working days ---------------------------------------------------------------------

def test_working_days_skip_weekends_holidays_and_count_working_weekends():
    cal = default_calendar()
    # Friday → next Wednesday: Monday, Tuesday, Wednesday.
    assert cal.working_days_after(D(2024, 3, 1), D(2024, 3, 6)) == 3
    # National Day 2024: Monday 30 September → Wednesday 9 October is 2 working days (1–7 October off).
    assert cal.working_days_after(D(2024, 9, 30), D(2024, 10, 9)) == 2
    # Sunday 29 September 2024 and Saturday 12 October 2024 were working days (调休).
    assert cal.is_workday(D(2024, 9, 29)) and cal.is_workday(D(2024, 10, 12))
    assert not cal.is_workday(D(2024, 10, 1)) and not cal.is_workday(D(2025, 1, 29))
    assert cal.working_days_after(D(2024, 3, 1), D(2024, 3, 1)) == 0
    plain = WorkCalendar()
    assert plain.working_days_after(D(2024, 9, 30), D(2024, 10, 9)) == 7


def test_shipped_calendar_lists_only_weekend_workdays_and_covers_recent_years():
    cal = default_calendar()
    assert all(d.weekday() >= 5 for d in cal.workdays)
    assert {d.year for d in cal.holidays} >= set(range(2020, 2027))
    assert not cal.holidays & cal.workdays


LATE_FILES = {
    "disclosure/statutory/normative/cs-2024-1.md": doc("测试市城市管理办法", "2024-09-30", "doc_number: 测府发〔2024〕1号\nvalidity: 有效\n"),
    # Four working days after 30 September 2024 (holiday 1–7 October, then 8, 9, 10, 11).
    "disclosure/interpretation/jd-cs-2024-1.md": doc("《测试市城市管理办法》政策解读", "2024-10-11", "interprets: statutory-normative-cs-2024-1\n"),
}


def test_late_interpretation_warns_and_fails_strict(tmp_path, capsys, monkeypatch):
    project = make_project(tmp_path, LATE_FILES)
    message = ("docs/disclosure/interpretation/jd-cs-2024-1.md:5: 警告：政策解读发布日期 2024-10-11 比所解读文件"
               "（docs/disclosure/statutory/normative/cs-2024-1.md，发布日期 2024-09-30）晚 4 个工作日，超过了 3 个工作日的时限")
    strict = run_mkdocs(project, "--strict", site=tmp_path / "strict-site")
    assert not strict.ok and message in strict.output
    assert not (tmp_path / "strict-site").exists()
    monkeypatch.chdir(project)
    code, out = check(project, capsys)
    assert code == 0 and message in out
    code, out = check(project, capsys, "--strict")
    assert code == 1 and message in out


def test_interpretation_on_time_across_a_holiday_and_config_calendar(tmp_path, capsys, monkeypatch):
    files = dict(LATE_FILES)
    files["disclosure/interpretation/jd-cs-2024-1.md"] = doc("《测试市城市管理办法》政策解读", "2024-10-09", "interprets: statutory-normative-cs-2024-1\n")
    project = make_project(tmp_path, files)
    monkeypatch.chdir(project)
    code, out = check(project, capsys, "--strict")
    assert code == 0, out
    # Without the shipped calendar the same dates are 7 working days apart; the site's own
    # `holidays:` brings it back on time, and its `workdays:` (a worked weekend) make it late.
    late_config = MINIMAL_CONFIG + "      holiday_defaults: false\n"
    (project / "mkdocs.yml").write_text(late_config, encoding="utf-8")
    code, out = check(project, capsys, "--strict")
    assert code == 1 and "晚 7 个工作日" in out
    (project / "mkdocs.yml").write_text(late_config + '      holidays: ["2024-10-01~2024-10-07"]\n', encoding="utf-8")
    assert check(project, capsys, "--strict")[0] == 0
    (project / "mkdocs.yml").write_text(MINIMAL_CONFIG + "      workdays: [2024-10-05, 2024-10-06]\n", encoding="utf-8")
    code, out = check(project, capsys, "--strict")
    assert code == 1 and "晚 4 个工作日" in out


def test_bad_calendar_config_is_a_chinese_message(tmp_path):
    from gazette.build.config import GazetteConfig
    from gazette.disclosure.rules import Setup

    cfg = GazetteConfig()
    cfg.load_dict({"holidays": ["2024-10-32", "国庆节", "2024-10-01~2024-10-07"], "workdays": ["2024-10-12~2024-10-01"]})
    assert cfg.validate()[0] == []
    problems: list[str] = []
    Setup.from_config(cfg, str(tmp_path), problems)
    assert problems[:2] == ["holidays 第 1 项「2024-10-32」不是日期或日期范围（应写成 2025-10-01 或 2025-10-01~2025-10-08）",
                            "holidays 第 2 项「国庆节」不是日期或日期范围（应写成 2025-10-01 或 2025-10-01~2025-10-08）"]
    assert problems[2].startswith("workdays 第 1 项「2024-10-12~2024-10-01」不是日期或日期范围") and len(problems) == 3
    # In a build the same problems stop MkDocs with the Chinese message, not a traceback.
    project = make_project(tmp_path, LATE_FILES, MINIMAL_CONFIG + "      holidays: [国庆节]\n")
    result = run_mkdocs(project)
    assert not result.ok and "holidays 第 1 项「国庆节」不是日期或日期范围" in result.output
    assert "Traceback" not in result.output


def test_interpretation_and_document_link_both_ways_with_dates(sample_site):
    page = soup(sample_site, "disclosure/interpretation/jd-jfbf-2024-3")
    relation = page.select_one(".gz-relation")
    assert target("disclosure/interpretation/jd-jfbf-2024-3", relation.a["href"]) == "disclosure/statutory/normative/jfbf-2024-3/"
    assert relation.time["datetime"] == "2024-02-28" and relation.time.get_text() == "2024年2月28日"
    document = soup(sample_site, "disclosure/statutory/normative/jfbf-2024-3")
    item = next(li for li in document.select(".gz-related li") if "政策解读" in li.get_text())
    assert target("disclosure/statutory/normative/jfbf-2024-3", item.a["href"]) == "disclosure/interpretation/jd-jfbf-2024-3/"
    assert item.time["datetime"] == "2024-03-01" and "2024年3月1日" in item.get_text()


# -- consultations ---------------------------------------------------------------------------

CONSULTATION = doc("关于公开征求《测试市停车管理办法（征求意见稿）》意见的公告", "2025-03-03", """\
consultation:
  opens: 2025-03-05
  closes: 2025-04-04
  channels:
    - 信函：测试市府前路1号
    - 电子邮箱：test@example.gov.cn
  result: consultation-jieguo
""")
RESULT = doc("《测试市停车管理办法（征求意见稿）》意见采纳情况", "2025-04-20")


def test_build_day_follows_the_timezone_option_not_the_machine(monkeypatch):
    import time

    from gazette import clock

    monkeypatch.delenv("GAZETTE_TODAY", raising=False)
    monkeypatch.setattr(clock, "TIMEZONE", "Asia/Shanghai")
    late = dt.datetime(2025, 3, 4, 17, 30, tzinfo=dt.timezone.utc)  # 01:30 on 5 March in Shanghai
    monkeypatch.setenv("TZ", "America/Los_Angeles")
    time.tzset()
    try:
        assert clock.build_day(late) == D(2025, 3, 5)
        assert consultation_state({"opens": D(2025, 3, 5), "closes": D(2025, 4, 4)}, clock.build_day(late)) == "进行中"
    finally:
        monkeypatch.delenv("TZ")
        time.tzset()


def test_consultation_state_by_date():
    c = {"opens": D(2025, 3, 5), "closes": D(2025, 4, 4)}
    assert consultation_state(c, D(2025, 3, 4)) == "未开始"
    assert consultation_state(c, D(2025, 3, 5)) == "进行中"
    assert consultation_state(c, D(2025, 4, 4)) == "进行中"
    assert consultation_state(c, D(2025, 4, 5)) == "已结束"


@pytest.fixture(scope="module")
def consultation_site(tmp_path_factory):
    """A consultation and its result, built while the consultation is open."""
    project = make_project(tmp_path_factory.mktemp("consultation"), {"disclosure/consultation/tcgl.md": CONSULTATION,
                                                                       "disclosure/consultation/jieguo.md": RESULT})
    result = run_mkdocs(project, "--strict", env={"GAZETTE_TODAY": "2025-03-20"})
    assert result.ok, result.output
    return project / "site"


def test_consultation_page_shows_period_channels_state_and_result(consultation_site):
    page = soup(consultation_site, "disclosure/consultation/tcgl")
    box = page.select_one(".gz-consult")
    assert box.select_one(".gz-consult-state").get_text(strip=True) == "进行中"
    assert "截至 2025年3月20日" in box.select_one(".gz-consult__status").get_text(" ", strip=True)
    facts = {dt_.get_text(strip=True): dd for dt_, dd in zip(box.find_all("dt"), box.find_all("dd"))}
    assert facts["征求意见期"].get_text(" ", strip=True) == "2025年3月5日 至 2025年4月4日"
    assert [li.get_text() for li in facts["反馈方式"].find_all("li")] == ["信函：测试市府前路1号", "电子邮箱：test@example.gov.cn"]
    link = facts["意见采纳情况"].a
    assert link.get_text() == "《测试市停车管理办法（征求意见稿）》意见采纳情况"
    assert target("disclosure/consultation/tcgl", link["href"]) == "disclosure/consultation/jieguo/"
    back = soup(consultation_site, "disclosure/consultation/jieguo").select_one(".gz-relation")
    assert target("disclosure/consultation/jieguo", back.a["href"]) == "disclosure/consultation/tcgl/"
    assert "意见收集和采纳情况" in back.get_text()
    listing = soup(consultation_site, "disclosure/consultation")
    assert listing.select_one(".gz-consult-state").get_text(strip=True).endswith("进行中")


def test_consultation_channels_link_e_mail_and_phone_but_not_fax(sample_site):
    box = soup(sample_site, "disclosure/consultation/yjzj-2026-shirong-huanwei").select_one(".gz-consult__channels")
    links = {a.get_text(): a["href"] for a in box.find_all("a")}
    assert links == {"sfjlifa@jianglin.gov.cn": "mailto:sfjlifa@jianglin.gov.cn"}  # 传真 is no number to tap
    assert "传真：0571-87061536" in box.get_text()
    # In page bodies too, found in the text (not in markup): a tap calls or writes; a fax stays text.
    body = soup(sample_site, "disclosure/on-request")
    hrefs = [a["href"] for a in body.select("#gz-content a[href^='tel:'], #gz-content a[href^='mailto:']")]
    assert "tel:057187061088" in hrefs and "tel:057187061089" not in hrefs
    assert "mailto:zwgk@jianglin.gov.cn" in [a["href"] for a in soup(sample_site, "disclosure/guide").select("#gz-content a")]


def test_contact_links_only_from_well_formed_addresses_and_never_markup():
    from gazette.disclosure.contacts import contact_links

    def links(text):
        html = str(contact_links(text))
        return [(a["href"], a.get_text()) for a in BeautifulSoup(html, "html.parser").find_all("a")], html

    assert links("电话：0571-87061088（工作日）")[0] == [("tel:057187061088", "0571-87061088")]
    assert links("拨打12345政务服务便民热线")[0] == [("tel:12345", "12345")]
    assert links("手机13912345678。")[0] == [("tel:13912345678", "13912345678")]
    assert links("传真至0571-87061089，再打电话0571-87061088")[0] == [("tel:057187061088", "0571-87061088")]
    for plain in ("索引号11339900MB0146710K/2024-00015", "2024-07-01", "a@b", "x@localhost", "编号120015678"):
        assert links(plain)[0] == [], plain
    found, html = links('<img src=x onerror=alert(1)>a@b.cn" onclick="x')
    assert found == [("mailto:a@b.cn", "a@b.cn")]
    assert "<img" not in html and 'onclick="' not in html


def test_result_by_supersedes_and_unknown_result(tmp_path, capsys, monkeypatch):
    files = {"disclosure/consultation/tcgl.md": CONSULTATION.replace("  result: consultation-jieguo\n", ""),
             "disclosure/statutory/normative/tcgl-banfa.md": doc("测试市停车管理办法", "2025-05-10", "supersedes: consultation-tcgl\n")}
    project = make_project(tmp_path, files)
    result = run_mkdocs(project, "--strict", env={"GAZETTE_TODAY": "2025-06-01"})
    assert result.ok, result.output
    page = soup(project / "site", "disclosure/consultation/tcgl")
    assert page.select_one(".gz-consult-state").get_text(strip=True) == "已结束"  # built after it closed
    facts = page.select_one(".gz-consult__result")
    assert target("disclosure/consultation/tcgl", facts.a["href"]) == "disclosure/statutory/normative/tcgl-banfa/"
    assert "2025年5月10日" in facts.get_text()

    files["disclosure/consultation/tcgl.md"] = CONSULTATION.replace("consultation-jieguo", "consultation-jiegou")
    files["disclosure/consultation/jieguo.md"] = RESULT
    project = make_project(tmp_path / "b", files)
    monkeypatch.chdir(project)
    code, out = check(project, capsys)
    assert code == 1
    assert "docs/disclosure/consultation/tcgl.md:11: 征求意见的「结果」指向的编号「consultation-jiegou」不存在，是不是「consultation-jieguo」？" in out


def test_browser_corrects_the_state_from_todays_date(consultation_site, browser):
    server, stop = serve(consultation_site)
    try:
        for when, expected in (("2025-06-01T10:00:00", "已结束"), ("2025-03-01T10:00:00", "未开始"), ("2025-04-04T23:00:00", "进行中")):
            context = browser.new_context(locale="zh-CN")
            page = context.new_page()
            page.clock.set_fixed_time(when)
            page.goto(server.url + "disclosure/consultation/tcgl/")
            assert page.locator(".gz-consult .gz-consult-state").inner_text() == expected
            assert page.locator(".gz-consult__asof time").get_attribute("datetime") == when[:10]
            if expected == "已结束":
                page.goto(server.url + "disclosure/consultation/")
                assert page.locator(".gz-list .gz-consult-state").inner_text().endswith("已结束")
            context.close()
        # Without JavaScript the page tells the state as of the build day.
        context = browser.new_context(locale="zh-CN", java_script_enabled=False)
        page = context.new_page()
        page.goto(server.url + "disclosure/consultation/tcgl/")
        assert page.locator(".gz-consult .gz-consult-state").inner_text() == "进行中"
        assert "截至 2025年3月20日" in page.locator(".gz-consult__status").inner_text()
        context.close()
    finally:
        stop()


# -- validity ---------------------------------------------------------------------------------

def _normative(n: int, validity: str | None, day: int, extra: str = "") -> tuple[str, str]:
    v = f"validity: {validity}\n" if validity else ""
    return (f"disclosure/statutory/normative/cs-2024-{n}.md",
            doc(f"测试市第{n}号规范性文件", f"2024-05-{day:02d}", f"doc_number: 测府规〔2024〕{n}号\n{v}{extra}"))


def test_validity_banner_successor_and_filtered_lists(tmp_path):
    files = dict([_normative(1, "废止", 1), _normative(2, "有效", 2, "supersedes: statutory-normative-cs-2024-1\n"),
                  _normative(3, "失效", 3), _normative(4, None, 4)]
                 + [_normative(n, "有效", n) for n in range(5, 17)])
    project = make_project(tmp_path, files, MINIMAL_CONFIG + "      page_size: 10\n")
    result = run_mkdocs(project, "--strict")
    assert result.ok, result.output
    site = project / "site"
    old = soup(site, "disclosure/statutory/normative/cs-2024-1")
    banner = old.select_one(".gz-banner")
    assert "本文件已废止" in banner.get_text()
    assert target("disclosure/statutory/normative/cs-2024-1", banner.a["href"]) == "disclosure/statutory/normative/cs-2024-2/"
    assert "测府规〔2024〕2号" in banner.get_text()
    assert "本文件已失效" in soup(site, "disclosure/statutory/normative/cs-2024-3").select_one(".gz-banner").get_text()
    assert soup(site, "disclosure/statutory/normative/cs-2024-5").select_one(".gz-banner") is None

    landing = soup(site, "disclosure/statutory/normative")
    filters = {a.get_text(strip=True): a["href"] for a in landing.select(".gz-filter a")}
    assert landing.select_one(".gz-filter [aria-current]").get_text(strip=True) == "全部（16）"
    assert filters == {"有效（13）": "validity/youxiao/", "失效（1）": "validity/shixiao/",
                       "废止（1）": "validity/feizhi/", "未标注（1）": "validity/weibiaozhu/"}
    void = soup(site, "disclosure/statutory/normative/validity/feizhi")
    assert [a.get_text() for a in void.select(".gz-list__title")] == ["测试市第1号规范性文件"]
    assert void.select_one(".gz-filter [aria-current]").get_text(strip=True) == "废止（1）"
    valid = soup(site, "disclosure/statutory/normative/validity/youxiao")
    titles = [a.get_text() for a in valid.select(".gz-list__title")]
    assert len(titles) == 10 and titles[0] == "测试市第16号规范性文件"  # newest first, paginated
    page2 = soup(site, "disclosure/statutory/normative/validity/youxiao/page/2")
    assert [a.get_text() for a in page2.select(".gz-list__title")] == [f"测试市第{n}号规范性文件" for n in (6, 5, 2)]
    assert page2.select_one(".gz-filter [aria-current]").get_text(strip=True) == "有效（13）"
    # Each entry of the landing list shows 文号, 发布日期 and 有效性.
    first = landing.select(".gz-list__item")[0]
    text = first.get_text(" ", strip=True)
    assert "测府规〔2024〕16号" in text and "2024年5月16日" in text and "有效性： 有效" in text


def test_sample_columns_nest_and_list_newest_first(sample_site):
    statutory = soup(sample_site, "disclosure/statutory")
    names = [a.get_text() for a in statutory.select(".gz-card__title")]
    assert names[:3] == ["机构职能", "规章", "规范性文件"]
    normative = soup(sample_site, "disclosure/statutory/normative")
    dates = [t["datetime"] for t in normative.select(".gz-list time")]
    assert dates == sorted(dates, reverse=True) and len(dates) >= 3
    assert normative.select_one(".gz-filter")
    guide = soup(sample_site, "disclosure/guide")
    assert "依申请公开" in guide.get_text()
    reports = soup(sample_site, "disclosure/annual-report")
    assert reports.select_one(".gz-ar-landing figure.gz-chart .gz-chart__received") is not None


# -- amendments, gazette items in disclosure columns, related documents beside the metadata --------

def _gazette(title: str, day: int, extra: str = "") -> str:
    return doc(title, f"2025-01-{day:02d}", f"column: 市政府文件\n{extra}")


def test_amends_and_disclosure_column_mistakes_are_file_line_messages(tmp_path, capsys):
    files = {
        "gazette/2025/01/index.md": "---\npublished: 2025-01-31\n---\n",
        "gazette/2025/01/old.md": _gazette("被修订而未链接的办法", 2, "validity: 修订\n"),
        "gazette/2025/01/base.md": _gazette("已链接的原办法", 3, "validity: 修订\n"),
        "gazette/2025/01/fix.md": _gazette("修改原办法的决定", 4, "修订对象:\n  - 2025-01-base\n  - 2025-01-nothing\n"),
        "gazette/2025/01/self.md": _gazette("修订自己", 5, "amends: 2025-01-self\n"),
        "gazette/2025/01/typo.md": _gazette("公开栏目写错", 6, "公开栏目: 规范性文\n"),
        "gazette/2025/01/rule.md": _gazette("规章", 7, "disclosure_column: statutory/regulations\n"),
        "disclosure/statutory/normative/own.md": doc("已在栏目中的文件", "2025-01-08", "disclosure_column: 规章\n"),
    }
    code, out = check(make_project(tmp_path, files), capsys)
    assert code == 1
    lines = out.splitlines()

    def said(path: str, line: int, *parts: str) -> None:
        found = [l for l in lines if f"docs/{path}:{line}: " in l and all(p in l for p in parts)]
        assert found, f"{path}:{line} {parts} not in:\n{out}"

    said("gazette/2025/01/old.md", 6, "提示", "有效性为「修订」", "amends: 2025-01-old")
    said("gazette/2025/01/fix.md", 6, "「修订对象」指向的编号「2025-01-nothing」不存在")
    said("gazette/2025/01/self.md", 6, "「修订对象」不能指向本篇自己")
    said("gazette/2025/01/typo.md", 6, "「公开栏目」「规范性文」", "是不是「规范性文件」")
    said("disclosure/statutory/normative/own.md", 5, "「公开栏目」只用于公报文章")
    assert not any("base.md" in l or "rule.md" in l for l in lines), out  # linked amendment, known column
    assert not any(": 警告：" in l for l in lines), out  # the unlinked 修订 is only a note


def _front(path: Path) -> dict:
    import yaml

    return yaml.safe_load(path.read_text(encoding="utf-8").split("---")[1])


def test_sample_amended_document_warns_and_both_pages_link(sample_site):
    docs = Path(__file__).resolve().parent.parent / "docs"
    amending = [p for p in sorted((docs / "gazette").rglob("*.md")) if "amends" in _front(p)]
    assert amending
    for path in amending:
        new_url = path.relative_to(docs).with_suffix("").as_posix()
        new_number = _front(path)["doc_number"]
        targets = _front(path)["amends"]
        for old_id in targets if isinstance(targets, list) else [targets]:
            old_url = "gazette/" + old_id.replace("-", "/", 2)
            old = soup(sample_site, old_url)
            banner = old.select_one(".gz-item .gz-banner")
            text = banner.get_text("", strip=True)
            assert text.startswith("本文件已被") and f"（{new_number}）修订" in text, text
            assert target(old_url, banner.a["href"]) == new_url + "/"
            assert banner.find_next("h1") is old.select_one(".gz-item h1")  # the warning comes before the title
            back = next(li for li in soup(sample_site, new_url).select(".gz-related li") if "本文件修订" in li.get_text())
            assert target(new_url, back.a["href"]) == old_url + "/"


def test_gazette_rules_and_normative_documents_are_listed_in_their_disclosure_columns(sample_site):
    docs = Path(__file__).resolve().parent.parent / "docs"
    folders = {"规章": "regulations", "规范性文件": "normative"}
    expected: dict[str, set[str]] = {name: set() for name in folders}
    for path in sorted((docs / "gazette").rglob("*.md")):
        column = _front(path).get("disclosure_column")
        if column:
            expected[column].add(path.relative_to(docs).with_suffix("").as_posix() + "/")
    assert all(expected.values()), expected  # the sample shows both columns fed from the gazette
    for name, folder in folders.items():
        url = f"disclosure/statutory/{folder}"
        page = soup(sample_site, url)
        assert "本栏目暂无内容" not in page.get_text()
        listed = {target(url, a["href"]) for a in page.select(".gz-list__title")}
        assert expected[name] <= listed, (name, expected[name] - listed)  # each keeps its one gazette address
    # The validity filter counts them too: the amended gazette document is under 修订.
    landing = soup(sample_site, "disclosure/statutory/normative")
    counts = {a.get_text(strip=True) for a in landing.select(".gz-filter a, .gz-filter [aria-current]")}
    total = len(landing.select(".gz-list__title"))
    assert f"全部（{total}）" in counts
    revised = soup(sample_site, "disclosure/statutory/normative/validity/xiuding")
    revised_urls = {target("disclosure/statutory/normative/validity/xiuding", a["href"]) for a in revised.select(".gz-list__title")}
    assert revised_urls and all(u.startswith("gazette/") for u in revised_urls)
    assert revised_urls <= expected["规范性文件"]


def test_related_documents_sit_under_the_document_information_in_every_mode(browser, sample_server):
    """The interpretation of a policy, and the amendment of an amended one, are seen with the metadata
    (before the text and the QR block), and the banner of an amended document is on the first screen."""
    from test_theme_a11y import MODES, SHOTS, open_in_mode, run_axe

    pages = {"policy": "disclosure/statutory/normative/jfbf-2024-3/", "amended": "gazette/2022/03/jff-2022-5/"}
    SHOTS.mkdir(parents=True, exist_ok=True)
    problems: list[str] = []
    for width, height in ((1280, 900), (375, 812)):
        for mode in [m for m in MODES if m != "kiosk"]:  # a kiosk lays the page out as the normal mode does
            context = browser.new_context(locale="zh-CN", viewport={"width": width, "height": height})
            page = context.new_page()
            page.requests = []
            for name, path in pages.items():
                url = open_in_mode(page, sample_server.url, path, mode)
                where = f"[{mode} {width}] {name}"
                page.screenshot(path=str(SHOTS / f"related-{name}-{mode}-{width}.png"))
                if name == "amended":  # the new banner; the other page types are in test_every_page_in_mode
                    problems += [f"{where}: axe {v}" for v in run_axe(page)]
                box = page.evaluate("""() => {
                  const top = s => { const e = document.querySelector(s); return e ? e.getBoundingClientRect().top + scrollY : null; };
                  return {meta: top('.gz-meta'), related: top('.gz-related'), body: top('.gz-body'), qr: top('.gz-qr'),
                          banner: top('.gz-banner'), h1: top('.gz-item h1')};
                }""")
                if not (box["meta"] < box["related"] < box["body"]) or (box["qr"] and box["related"] > box["qr"]):
                    problems.append(f"{where}: related documents not under the metadata, before the text: {box} {url}")
                if name == "amended" and not (box["banner"] is not None and box["banner"] < box["h1"] and box["banner"] < height):
                    problems.append(f"{where}: the amendment banner is not above the title on the first screen: {box}")
            context.close()
    assert not problems, "\n".join(problems)
