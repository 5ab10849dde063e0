"""Annual disclosure reports: the sample's 2020 tables rendered cell by cell, the five consistency
rules each firing on a single changed figure, Chinese `path:line` messages for malformed data,
a new format declared without code, and the chart of the reports' landing page."""

from __future__ import annotations

import re
import textwrap
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from conftest import MINIMAL_CONFIG, ROOT, make_project, run_gazette, run_mkdocs
import gazette
from gazette.build.config import GazetteConfig
from gazette.content.columns import read_columns
from gazette.disclosure.rules import Setup
from gazette.content.records import Layout, load_site

SAMPLE_MD = ROOT / "docs/disclosure/annual-report/2020.md"
SAMPLE_DATA = ROOT / "docs/disclosure/annual-report/2020.yml"

# 衢州市人民政府's 2020 figures as annual-report.md lists them (the printed form of each cell).
TABLE_2 = """\
规章 0 0 0
规范性文件 150件 150件 1368件
行政许可 997项 0 388973件
其他对外管理服务事项 408项 0 3455176件
行政处罚 3177项 0 17474件
行政强制 151项 0 21件
行政事业性收费 123项 减少5项
政府集中采购 2118笔 27042.62万元"""

TABLE_3 = """\
一、本年新收政府信息公开申请数量 | 446 4 0 1 0 0 451
二、上年结转政府信息公开申请数量 | 8 0 0 0 0 0 8
(一)予以公开 | 267 1 0 1 0 0 269
(二)部分公开（区分处理的，只计这一情形，不计其他情形） | 58 0 0 0 0 0 58
1.属于国家秘密 | 1 0 0 0 0 0 1
2.其他法律行政法规禁止公开 | 2 0 0 0 0 0 2
3.危及“三安全一稳定” | 0 0 0 0 0 0 0
4.保护第三方合法权益 | 8 0 0 0 0 0 8
5.属于三类内部事务信息 | 7 1 0 0 0 0 8
6.属于四类过程性信息 | 3 0 0 0 0 0 3
7.属于行政执法案卷 | 0 0 0 0 0 0 0
8.属于行政查询事项 | 0 0 0 0 0 0 0
1.本机关不掌握相关政府信息 | 78 2 0 0 0 0 80
2.没有现成信息需要另行制作 | 3 0 0 0 0 0 3
3.补正后申请内容仍不明确 | 2 0 0 0 0 0 2
1.信访举报投诉类申请 | 2 0 0 0 0 0 2
2.重复申请 | 10 0 0 0 0 0 10
3.要求提供公开出版物 | 0 0 0 0 0 0 0
4.无正当理由大量反复申请 | 1 0 0 0 0 0 1
5.要求行政机关确认或重新出具已获取信息 | 2 0 0 0 0 0 2
(六)其他处理 | 7 0 0 0 0 0 7
(七)总计 | 451 4 0 1 0 0 456
四、结转下年度继续办理 | 3 0 0 0 0 0 3"""
TABLE_3_COLUMNS = ["自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "总计"]

TABLE_4 = {"行政复议": "15 5 15 2 37", "未经复议直接起诉": "7 3 48 4 62", "复议后起诉": "4 1 3 1 9"}
TABLE_4_COLUMNS = ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"]


def _cells(table) -> dict[str, list[str]]:
    """Row header text → the texts of its data cells."""
    out = {}
    for tr in table.select("tbody tr"):
        th = tr.find("th", scope="row")
        if th is not None:
            out[th.get_text(strip=True)] = [td.get_text(strip=True) for td in tr.find_all("td")]
    return out


def _ids(cell) -> list[str]:
    value = cell["headers"]  # BeautifulSoup splits `headers` into a list
    return value.split() if isinstance(value, str) else list(value)


def _header_text(table, td, scope="col") -> list[str]:
    ids = _ids(td)
    return [table.find(id=i).get_text(strip=True) for i in ids if table.find(id=i).get("scope") in (scope, "colgroup")]


@pytest.fixture(scope="module")
def report_page(sample_site):
    return BeautifulSoup((sample_site / "disclosure/annual-report/2020/index.html").read_text(encoding="utf-8"), "html.parser")


def test_sample_2020_table_2_every_cell(report_page):
    tables = [t for t in report_page.select("table.gz-ar__table") if t.caption.get_text().startswith("表二")]
    assert len(tables) == 5  # one per article-20 block
    rendered = {}
    for t in tables:
        rendered.update(_cells(t))
    expected = {line.split()[0]: line.split()[1:] for line in TABLE_2.splitlines()}
    assert rendered == expected


def test_sample_2020_table_3_every_cell_with_its_headers(report_page):
    table = next(t for t in report_page.select("table.gz-ar__table") if t.caption.get_text().startswith("表三"))
    rendered = _cells(table)
    expected = {label: figures.split() for label, figures in (line.split(" | ") for line in TABLE_3.splitlines())}
    assert rendered == expected
    # Every figure is tied to its column headings for screen readers.
    first = table.find("th", string="一、本年新收政府信息公开申请数量").find_parent("tr").find_all("td")
    assert [_header_text(table, td)[-1] for td in first] == TABLE_3_COLUMNS
    assert _header_text(table, first[1]) == ["申请人情况", "法人或其他组织", "商业企业"]
    # Numbered sub-rows carry their group in their headers: 三、本年度办理结果 › (三)不予公开 › 1.属于国家秘密.
    secret = table.find("th", string="1.属于国家秘密")
    groups = [table.find(id=i).get_text(strip=True) for i in _ids(secret)]
    assert groups == ["三、本年度办理结果", "(三)不予公开"]
    note = table.find_parent("section").select_one(".gz-ar__note").get_text()
    assert "第一项加第二项之和，等于第三项加第四项之和" in note


def test_sample_2020_table_4_every_cell(report_page):
    """表四 as the national template prints it: 行政复议 · 行政诉讼 (未经复议直接起诉 · 复议后起诉) side by side,
    the five columns under each, one line of the same fifteen figures the data gives by row."""
    table = next(t for t in report_page.select("table.gz-ar__table") if t.caption.get_text().startswith("表四"))
    assert len(table.select("tbody tr")) == 1
    cells = table.select("tbody td")
    assert [td.get_text(strip=True) for td in cells] == " ".join(TABLE_4.values()).split()
    # Each figure names its group(s) and its column: 行政诉讼 › 复议后起诉 › 总计.
    names = [[table.find(id=i).get_text(strip=True) for i in _ids(td)] for td in cells]
    assert names[0] == ["行政复议", "结果维持"] and names[-1] == ["行政诉讼", "复议后起诉", "总计"]
    assert [n[-1] for n in names] == TABLE_4_COLUMNS * 3
    assert [th.get_text(strip=True) for th in table.select("thead tr")[0].find_all("th")] == ["行政复议", "行政诉讼"]


def test_tables_are_accessible_and_scroll_in_their_own_box(report_page):
    for table in report_page.select("table.gz-ar__table"):
        assert table.caption and table.caption.get_text(strip=True)
        box = table.parent
        assert "gz-ar__scroll" in box["class"] and box["role"] == "region" and box["tabindex"] == "0"
        assert box["aria-labelledby"] == table.caption["id"]
        assert all(td.get("headers") for td in table.select("tbody td"))
        assert all(th.get("scope") for th in table.select("th"))
    link = report_page.find("a", string=re.compile("下载统计数据"))
    assert link and link["href"].endswith("2020.yml")


# -- rules and messages, checked in-process on a copy of the sample report --------------------

def _setup(project: Path, **options) -> tuple[GazetteConfig, Setup]:
    cfg = GazetteConfig()
    cfg.load_dict(options)
    errors, _ = cfg.validate()
    assert not errors
    problems: list[str] = []
    setup = Setup.from_config(cfg, str(project), problems)
    assert not problems
    return cfg, setup


def _check(project: Path, **options):
    cfg, setup = _setup(project, **options)
    problems: list[str] = []
    layout = Layout(cfg.gazette_dir, cfg.disclosure_dir, tuple(read_columns(cfg.columns, problems)))
    assert not problems
    docs = project / "docs"
    return load_site(str(docs), "docs", layout, set_checks=setup.set_checks(str(docs)))


def _parsed(project: Path, records):
    """The first item's report as its page gets it: read again from the files, as the build does."""
    from gazette.disclosure import annual
    from gazette.diagnostics import Report

    return annual.read_report(records.items[0], _setup(project)[1].formats, str(project / "docs"), Report())


def _figure(rep, table: str, row: str, column: str):
    """One figure of a read report, by the names a reader sees."""
    spec = rep.format.table(table)
    block, heading = spec.find_row(row)
    return rep.values[spec.key][heading.key][block.column(column)]


def _report_project(tmp_path: Path, data: str | None = None, front: str | None = None) -> Path:
    folder = tmp_path / "project/docs/disclosure/annual-report"
    folder.mkdir(parents=True)
    (folder / "2020.md").write_text(front if front is not None else SAMPLE_MD.read_text(encoding="utf-8"), encoding="utf-8")
    (folder / "2020.yml").write_text(data if data is not None else SAMPLE_DATA.read_text(encoding="utf-8"), encoding="utf-8")
    return tmp_path / "project"


def _change(row: str, index: int, value: str) -> tuple[str, int]:
    """The sample data with one figure of one row replaced; also the file line of that row."""
    lines = SAMPLE_DATA.read_text(encoding="utf-8").splitlines()
    n = next(i for i, line in enumerate(lines) if line.strip().startswith(f"{row}:"))
    key, figures = lines[n].split(": ", 1)
    values = figures.strip("[]").split(", ")
    values[index] = value
    lines[n] = f"{key}: [{', '.join(values)}]"
    return "\n".join(lines) + "\n", n + 1


def _messages(report) -> list[str]:
    return report.format_lines()


def test_sample_report_passes_every_rule(tmp_path):
    project = _report_project(tmp_path)
    records, report = _check(project)
    assert report.items == []
    assert _parsed(project, records).year == 2020


@pytest.mark.parametrize("row, index, value, message", [
    # 1. 一 + 二 = 三(七)总计 + 四, in every column.
    ("结转下年度", 0, "4", "表三「四、结转下年度继续办理」自然人列应为 3（第一项加第二项之和减去(七)总计），实为 4；"
                         "总计列应为 4（自然人与法人或其他组织各列之和），实为 3"),
    # 2. (七)总计 = the sum of (一)…(六), each numbered sub-row once (the example of annual-report.md).
    #    The 总计 column of that row no longer adds up either: said in the same message, it is the same line.
    ("总计", 0, "452", "表三「(七)总计」自然人列应为 451（各项之和），实为 452；"
                       "总计列应为 457（自然人与法人或其他组织各列之和），实为 456"),
    # 3. 总计 = 自然人 + the five 法人或其他组织 columns, in every row.
    ("本年新收", 1, "5", "表三「一、本年新收政府信息公开申请数量」总计列应为 452（自然人与法人或其他组织各列之和），实为 451"),
    # 4. Table 四: 总计 = 维持 + 纠正 + 其他 + 尚未审结, in each group.
    ("复议后起诉", 2, "4", "表四「复议后起诉」总计列应为 10（结果维持、结果纠正、其他结果、尚未审结之和），实为 9"),
    # 5. Counts are non-negative integers, amounts non-negative decimals.
    ("行政许可", 0, "-997", "表二「行政许可」上一年项目数量列应为非负整数，不写单位或写“项”，实为「-997」"),
    ("规范性文件", 2, "1368.5", "表二「规范性文件」对外公开总数量列应为非负整数，不写单位或写“件”，实为「1368.5」"),
    ("政府集中采购", 1, "-27042.62", "表二「政府集中采购」采购总金额列应为非负数（可有小数），不写单位或写“万元”，实为「-27042.62」"),
    ("予以公开", 0, "很多", "表三「(一)予以公开」自然人列应为非负整数，实为「很多」"),
])
def test_each_rule_fires_on_one_changed_figure(tmp_path, row, index, value, message):
    data, line = _change(row, index, value)
    _, report = _check(_report_project(tmp_path, data))
    assert f"docs/disclosure/annual-report/2020.yml:{line}: {message}" in _messages(report)


def test_a_change_may_be_negative_and_units_may_be_written(tmp_path):
    data, _ = _change("行政事业性收费", 1, "减少5项")
    data = data.replace("政府集中采购: [2118, 27042.62]", "政府集中采购: [2118笔, 27042.62万元]")
    project = _report_project(tmp_path, data)
    records, report = _check(project)
    assert report.items == []
    rep = _parsed(project, records)
    assert _figure(rep, "二", "行政事业性收费", "本年增/减") == -5
    assert str(_figure(rep, "二", "政府集中采购", "采购总金额")) == "27042.62"


def test_the_build_fails_on_a_rule_and_leaves_the_site(tmp_path):
    data, line = _change("总计", 0, "452")
    project = make_project(tmp_path, {"disclosure/annual-report/2020.md": SAMPLE_MD.read_text(encoding="utf-8"),
                                      "disclosure/annual-report/2020.yml": data})
    result = run_mkdocs(project)
    assert not result.ok
    assert f"docs/disclosure/annual-report/2020.yml:{line}: 表三「(七)总计」自然人列应为 451（各项之和），实为 452" in result.output
    assert "Traceback" not in result.output
    checked = run_gazette("check", str(project / "docs"), cwd=project)
    assert checked.returncode == 1 and "表三「(七)总计」自然人列应为 451" in checked.stdout


def test_a_total_breaking_two_rules_is_one_message_with_what_each_rule_expects(tmp_path):
    # (七)总计's own 总计 is both the sum of the rows above it and the sum of the columns beside it.
    data, line = _change("总计", 6, "457")
    right = sum(int(SAMPLE_DATA.read_text(encoding="utf-8").split("  总计: [", 1)[1].split("]")[0].split(", ")[k])
                for k in range(6))  # the columns beside it, as the report prints them
    project = make_project(tmp_path, {"disclosure/annual-report/2020.md": SAMPLE_MD.read_text(encoding="utf-8"),
                                      "disclosure/annual-report/2020.yml": data})
    checked = run_gazette("check", cwd=project)
    assert checked.returncode == 1
    on_line = [x for x in checked.stdout.splitlines() if x.startswith(f"docs/disclosure/annual-report/2020.yml:{line}:")]
    assert on_line == [f"docs/disclosure/annual-report/2020.yml:{line}: 表三「(七)总计」总计列实为 457，"
                       f"按各项之和应为 {right}，按自然人与法人或其他组织各列之和应为 {right}"]
    assert "2 处错误" in checked.stderr  # this line, and 结转下年度 (一 + 二 − 七) on its own line


def _inline(data: str) -> str:
    """The sample report with its figures in front matter (`report: tables:`) instead of a data file."""
    tables = textwrap.indent(data, "    ")
    return SAMPLE_MD.read_text(encoding="utf-8").replace("  data: 2020.yml\n", "  tables:\n" + tables)


@pytest.mark.parametrize("inline", [False, True], ids=["data-file", "front-matter"])
def test_check_summary_counts_a_report_with_wrong_figures_among_the_failing(tmp_path, inline):
    rules_item = (ROOT / "docs/disclosure/rules/jfbf-2021-15.md").read_text(encoding="utf-8")

    def summary(data: str, name: str) -> str:
        files = {"disclosure/rules/jfbf-2021-15.md": rules_item}
        if inline:
            files["disclosure/annual-report/2020.md"] = _inline(data)
        else:
            files.update({"disclosure/annual-report/2020.md": SAMPLE_MD.read_text(encoding="utf-8"),
                          "disclosure/annual-report/2020.yml": data})
        checked = run_gazette("check", cwd=make_project(tmp_path / name, files))
        return checked.stderr.strip().splitlines()[-1]

    # index.md, the rules item and the report: with right figures, both items are without errors.
    assert summary(SAMPLE_DATA.read_text(encoding="utf-8"), "good").startswith(
        "检查了 3 个文件（其中 0 期、2 篇没有错误），0 处错误")
    wrong, _ = _change("结转下年度", 0, "4")
    assert summary(wrong, "wrong").startswith("检查了 3 个文件（其中 0 期、1 篇没有错误），1 处错误")


def _front(report_block: str) -> str:
    return "---\ntitle: 2020年政府信息公开工作年度报告\nissuer: 测试市人民政府办公室\npublished: 2021-01-20\n" + report_block + "---\n\n正文。\n"


@pytest.mark.parametrize("front, data, expected", [
    (_front("report:\n  format: 2031\n  data: 2020.yml\n"), None,
     "docs/disclosure/annual-report/2020.md:6: 年报格式版本「2031」没有声明；已声明的格式：2019（2019—2020年度报告格式）"),
    (_front("report:\n  format: 2019\n  data: 2020-data.yml\n"), None,
     "docs/disclosure/annual-report/2020.md:7: 年报数据文件的文件「2020-data.yml」不存在"),
    (_front("年报数据:\n  格式: 2019\n  数据文件: 2020.yml\n  表格: {}\n"), None,
     "docs/disclosure/annual-report/2020.md:5: 「年报数据」应写「数据文件」（data，年报数据的 YAML 文件）或「表格」（tables）二者之一"),
    (_front("report:\n  format: 2019\n  data: 2020.yml\n  colour: red\n"), None,
     "docs/disclosure/annual-report/2020.md:5: 「年报数据」中有未知字段「colour」"),
    (None, "表三: [1, 2]\n", "docs/disclosure/annual-report/2020.yml:1: 表三应为「行名: [数字, …]」的映射"),
    (None, "- 1\n- 2\n", "docs/disclosure/annual-report/2020.yml:1: 年报数据应为「表名: 各行数据」的映射"),
    (None, "表三:\n  本年新收: [446, 4\n", "docs/disclosure/annual-report/2020.yml:"),
    (None, "表五:\n  x: [1]\n", "docs/disclosure/annual-report/2020.yml:1: 年报格式「2019」没有「表五」，应为 表二、表三、表四"),
])
def test_malformed_report_data_gets_chinese_messages(tmp_path, front, data, expected):
    _, report = _check(_report_project(tmp_path, data, front))
    lines = _messages(report)
    assert any(line.startswith(expected) for line in lines), lines
    assert report.errors


def test_missing_row_wrong_length_unknown_row_are_named(tmp_path):
    text = SAMPLE_DATA.read_text(encoding="utf-8")
    text = text.replace("  上年结转: [8, 0, 0, 0, 0, 0, 8]\n", "")
    text = text.replace("予以公开: [267, 1, 0, 1, 0, 0, 269]", "予以公开: [267, 1, 0, 1, 0, 269]")
    text = text.replace("重复申请:", "重复的申请:")
    _, report = _check(_report_project(tmp_path, text))
    lines = _messages(report)
    row_line = text.splitlines().index("表三:") + 1
    assert f"docs/disclosure/annual-report/2020.yml:{row_line}: 表三缺少「二、上年结转政府信息公开申请数量」一行（写作「上年结转: [0, 0, 0, 0, 0, 0, 0]」）" in lines
    assert any("表三「(一)予以公开」应有 7 个数字（自然人、商业企业、科研机构、社会公益组织、法律服务机构、其他、总计），实有 6 个" in m for m in lines)
    assert any("表三没有「重复的申请」这一行，是不是「重复申请」？" in m for m in lines)
    assert not any("缺少「(一)予以公开」" in m for m in lines)  # present, only too short
    assert len(report.errors) == 4  # the missing row, the short row, the unknown row, and 2.重复申请 missing


def test_report_tables_in_front_matter_keep_their_lines(tmp_path):
    front = _front(textwrap.dedent("""\
        report:
          format: 2019
          tables:
            表二:
              规章: [0, 0, 0]
              规范性文件: [1, 1, 1]
              行政许可: [1, 0, 1]
              其他对外管理服务事项: [1, 0, 1]
              行政处罚: [1, 0, 1]
              行政强制: [1, 0, 1]
              行政事业性收费: [1, 0]
              政府集中采购: [1, 2.5]
            表四:
              行政复议: [1, 0, 0, 0, 2]
              未经复议直接起诉: [0, 0, 0, 0, 0]
              复议后起诉: [0, 0, 0, 0, 0]
        """))
    _, report = _check(_report_project(tmp_path, "", front))
    lines = _messages(report)
    text_lines = front.splitlines()
    review = text_lines.index("      行政复议: [1, 0, 0, 0, 2]") + 1
    assert f"docs/disclosure/annual-report/2020.md:{review}: 表四「行政复议」总计列应为 1（结果维持、结果纠正、其他结果、尚未审结之和），实为 2" in lines
    assert any(line.startswith("docs/disclosure/annual-report/2020.md:7: 缺少表三") for line in lines), lines


# -- a new format by declaration only, and the chart ------------------------------------------

NEW_FORMAT = """\
format: "2099"
name: 测试用新格式
tables:
  - key: 三
    title: 三、收到和处理政府信息公开申请情况
    blocks:
      - type: count
        columns: [自然人, 法人或其他组织, 总计]
        rows:
          - {key: 本年新收, label: 一、本年新收政府信息公开申请数量}
          - label: 三、本年度办理结果
            children:
              - {key: 予以公开, label: (一)予以公开}
              - label: (六)其他处理
                children:
                  - {key: 申请人逾期未按收费通知要求缴纳费用, label: 1.申请人逾期未按收费通知要求缴纳费用}
                  - {key: 其他, label: 2.其他}
              - {key: 总计, label: (七)总计}
rules:
  - {table: 三, across: rows, target: 总计, plus: [予以公开, 申请人逾期未按收费通知要求缴纳费用, 其他], explain: 各项之和}
  - {table: 三, across: columns, target: 总计, plus: [自然人, 法人或其他组织]}
chart:
  table: 三
  column: 总计
  received: {label: 新收申请, rows: [本年新收]}
  outcomes:
    - {label: 予以公开, rows: [予以公开]}
    - {label: 其他处理, rows: [申请人逾期未按收费通知要求缴纳费用, 其他]}
"""

NEW_REPORT = """\
---
title: 2099年政府信息公开工作年度报告
issuer: 测试市人民政府办公室
published: 2100-01-15
report:
  format: 2099
  data: 2099.yml
---

正文。
"""


def test_a_new_format_is_a_declaration_not_code(tmp_path):
    config = MINIMAL_CONFIG + "      report_formats: [formats]\n"
    data = "表三:\n  本年新收: [5, 1, 6]\n  予以公开: [3, 1, 4]\n  申请人逾期未按收费通知要求缴纳费用: [1, 0, 1]\n  其他: [1, 0, 1]\n  总计: [5, 1, 6]\n"
    project = make_project(tmp_path, {
        "disclosure/annual-report/2099.md": NEW_REPORT,
        "disclosure/annual-report/2099.yml": data,
        "disclosure/annual-report/2020.md": SAMPLE_MD.read_text(encoding="utf-8"),
        "disclosure/annual-report/2020.yml": SAMPLE_DATA.read_text(encoding="utf-8"),
    }, config)
    (project / "formats").mkdir()
    (project / "formats/annual-report-2099.yml").write_text(NEW_FORMAT, encoding="utf-8")
    future = {"GAZETTE_TODAY": "2100-02-01"}  # a report of 2099 is published in 2100: dates are bounded by the build day
    result = run_mkdocs(project, "--strict", env=future)
    assert result.ok, result.output
    page = BeautifulSoup((project / "site/disclosure/annual-report/2099/index.html").read_text(encoding="utf-8"), "html.parser")
    table = page.select_one("table.gz-ar__table")
    assert _cells(table) == {"一、本年新收政府信息公开申请数量": ["5", "1", "6"], "(一)予以公开": ["3", "1", "4"],
                             "1.申请人逾期未按收费通知要求缴纳费用": ["1", "0", "1"], "2.其他": ["1", "0", "1"],
                             "(七)总计": ["5", "1", "6"]}

    # The chart of the landing page spans both years and both formats; no script.
    landing = BeautifulSoup((project / "site/disclosure/annual-report/index.html").read_text(encoding="utf-8"), "html.parser")
    chart = landing.select_one(".gz-ar-landing")
    figure = chart.find("figure", class_="gz-chart")
    assert figure.figcaption.get_text() and chart.find("script") is None
    # Each year is a line of text (the bars are hidden from screen readers); each part names its figure.
    lines = [" ".join(li.stripped_strings) for li in figure.select("li.gz-chart__row")]
    assert lines == ["2020年 新收申请451件 办理456件", "2099年 新收申请6件 办理6件"]
    assert all(t["aria-hidden"] == "true" for t in figure.select(".gz-chart__track"))
    parts = [s["title"] for s in figure.select(".gz-chart__track .gz-chart__part")]
    assert parts == ["2020年予以公开：269件", "2020年部分公开：58件", "2020年不予公开：22件", "2020年无法提供：85件",
                     "2020年不予处理：15件", "2020年其他处理：7件", "2099年予以公开：4件", "2099年其他处理：2件"]
    legend = [li.get_text() for li in figure.select(".gz-chart-legend li")]
    assert legend == ["新收申请", "予以公开", "部分公开", "不予公开", "无法提供", "不予处理", "其他处理"]
    rows = {tr.th.get_text(strip=True): [td.get_text(strip=True) for td in tr.find_all("td")] for tr in chart.select("tbody tr")}
    assert rows["2020年"][0] == "451" and rows["2020年"][-1] == "456"
    assert rows["2099年"][0] == "6"

    # The rules of the new format are enforced too.
    (project / "docs/disclosure/annual-report/2099.yml").write_text(data.replace("其他: [1, 0, 1]", "其他: [2, 0, 2]"), encoding="utf-8")
    failed = run_mkdocs(project, env=future)
    assert not failed.ok
    assert "docs/disclosure/annual-report/2099.yml:6: 表三「(七)总计」自然人列应为 6（各项之和），实为 5" in failed.output


def test_a_broken_format_declaration_is_reported_with_its_line(tmp_path):
    project = _report_project(tmp_path)
    (project / "formats").mkdir()
    (project / "formats/annual-report-2098.yml").write_text(
        NEW_FORMAT.replace('"2099"', '"2098"').replace("across: columns", "across: diagonal"), encoding="utf-8")
    _, report = _check(project, report_formats=["formats"])
    line = NEW_FORMAT.splitlines().index(next(l for l in NEW_FORMAT.splitlines() if "across: columns" in l)) + 1
    assert f"formats/annual-report-2098.yml:{line}: 年报格式声明有误：规则的 across 应为 rows 或 columns" in _messages(report)


def test_shipped_format_declares_the_official_layout():
    from gazette.disclosure import annual
    from gazette.diagnostics import Report

    report = Report()
    formats = annual.load_formats([gazette.DATA_DIR], str(ROOT), report)
    assert report.items == []
    fmt = formats["2019"]
    assert [t.key for t in fmt.tables] == ["二", "三", "四"]
    three = fmt.table("三").blocks[0]
    assert [c.key for c in three.leaf_columns] == TABLE_3_COLUMNS
    assert [r.label for r in three.leaf_rows] == [line.split(" | ")[0] for line in TABLE_3.splitlines()]


@pytest.mark.parametrize("data", [
    b"", b"\x00\x01", "表三: 中文".encode("gbk"), b"a: &x [1]\nb: *x\n", b"[" * 50,
    "表三:\n  本年新收: {a: 1}\n".encode(), "表三:\n  本年新收: '1,2,3'\n".encode(), "表三: null\n".encode(),
    "表三:\n  本年新收: [true, 1.5, null, [1], {a: 1}, 2024-01-01, 1e999]\n".encode(),
    "? [1, 2]\n: 3\n".encode(), "表二:\n  政府集中采购: [2118, .nan]\n".encode(), "表二:\n  行政事业性收费: [1, 增加]\n".encode(),
])
def test_junk_report_data_never_raises(tmp_path, data):
    project = _report_project(tmp_path, "")
    (project / "docs/disclosure/annual-report/2020.yml").write_bytes(data)
    records, report = _check(project)  # an exception here would be a traceback for the editor
    assert report.errors and _parsed(project, records) is None
    assert all(re.match(r"^docs/disclosure/annual-report/2020\.yml:\d+: \S", line) for line in report.format_lines())
    assert not any("Loc(" in line or "None" in line for line in report.format_lines())


def test_tables_fit_a_320px_phone_by_scrolling_inside_their_box(sample_server, browser):
    context = browser.new_context(locale="zh-CN", viewport={"width": 320, "height": 640})
    page = context.new_page()
    page.goto(sample_server.url + "disclosure/annual-report/2020/")
    boxes = page.evaluate("""() => [...document.querySelectorAll('.gz-ar__scroll')].map(b => {
        const r = b.getBoundingClientRect();
        return {left: r.left, right: r.right, client: b.clientWidth, scroll: b.scrollWidth,
                caption: b.querySelector('caption').textContent};
    })""")
    assert len(boxes) == 7  # five blocks of 表二, 表三, 表四
    assert all(b["left"] >= 0 and b["right"] <= 320 for b in boxes), boxes
    wide = next(b for b in boxes if b["caption"].startswith("表三"))
    assert wide["scroll"] > wide["client"]  # 表三 scrolls sideways inside its own box
    # Nothing of the report itself widens the page.
    overflow = page.evaluate("""() => [...document.querySelectorAll('.gz-ar-wrap, .gz-ar-wrap > *, .gz-ar__section')]
        .filter(e => e.getBoundingClientRect().right > 321).length""")
    assert overflow == 0
    # A table wider than the phone says so above it, and its headings keep whole words (no character per line).
    hints = page.evaluate("""() => [...document.querySelectorAll('.gz-ar__scroll')].map(b => {
        const p = b.previousElementSibling, cap = b.querySelector('caption').textContent;
        const shown = !!p && p.classList.contains('gz-ar__hint') && p.getBoundingClientRect().height > 0;
        const heads = [...b.querySelectorAll('thead th')].map(th => th.getBoundingClientRect().width /
                                                               parseFloat(getComputedStyle(th).fontSize));
        return {cap, shown, scrolls: b.scrollWidth > b.clientWidth, text: shown ? p.textContent : '',
                narrowest: Math.min(...heads), edge: getComputedStyle(b).backgroundImage.includes('gradient')};
    })""")
    for h in hints:
        if h["scrolls"]:  # every box that scrolls shows an edge; the wide ones (表三, 表四) say so in words
            assert h["edge"] and h["narrowest"] >= 3.5, h
            assert "左右滑动" in h["text"] or not h["cap"].startswith(("表三", "表四")), h
    # The chart's legend, years and figures are page text at the reader's size, not drawn text shrunk with
    # the chart; its rows fit the phone's width.
    page.goto(sample_server.url + "disclosure/annual-report/")
    sizes = page.evaluate("() => [...document.querySelectorAll('.gz-chart-legend li, .gz-chart__label, .gz-chart__value')]"
                          ".map(e => parseFloat(getComputedStyle(e).fontSize))")
    assert len(sizes) > 7 and min(sizes) >= 18, sizes
    assert page.evaluate("() => [...document.querySelectorAll('.gz-chart__row')].every(r => r.scrollWidth <= r.clientWidth)")
    page.goto(sample_server.url + "disclosure/annual-report/2020/")
    # The scroll box takes keyboard focus, so it can be scrolled without a mouse.
    box = page.locator(".gz-ar__scroll", has=page.locator("caption", has_text="表三"))
    box.focus()
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")
    # Keyboard scrolling is animated: wait for it (a busy machine may not have moved yet).
    page.wait_for_function("b => b.scrollLeft > 0", arg=box.element_handle(), timeout=5000)
    assert box.evaluate("b => b.scrollLeft") > 0
    context.close()


def test_the_shipped_2021_format_splits_other_handling(tmp_path):
    three = SAMPLE_DATA.read_text(encoding="utf-8").split("表三:\n", 1)[1].split("表四:\n")[0]
    three = three.replace("  其他处理: [7, 0, 0, 0, 0, 0, 7]\n",
                          "  逾期不补正: [2, 0, 0, 0, 0, 0, 2]\n  逾期未缴费: [1, 0, 0, 0, 0, 0, 1]\n  其他情形: [4, 0, 0, 0, 0, 0, 4]\n")
    four = SAMPLE_DATA.read_text(encoding="utf-8").split("表四:\n", 1)[1]
    data = ("表二:\n  规章: [0, 0, 0]\n  行政规范性文件: [14, 3, 211]\n  行政许可: [388973]\n  行政处罚: [17474]\n"
            "  行政强制: [21]\n  行政事业性收费: [1520.5]\n表三:\n" + three + "表四:\n" + four)
    front = SAMPLE_MD.read_text(encoding="utf-8").replace("format: 2019", "format: 2021")
    project = _report_project(tmp_path, data, front)
    records, report = _check(project)
    assert report.items == [], report.format_lines()
    rep = _parsed(project, records)
    assert _figure(rep, "三", "3.其他", "总计") == 4
    from gazette.disclosure import annual

    html = annual.render(rep)
    assert "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请" in html and "1520.5" in html
    assert "采购" not in html
    broken = data.replace("其他情形: [4, 0, 0, 0, 0, 0, 4]", "其他情形: [5, 0, 0, 0, 0, 0, 5]")
    _, report = _check(_report_project(tmp_path / "b", broken, front))
    assert any("表三「(七)总计」自然人列应为 452（各项之和），实为 451" in line for line in report.format_lines())
