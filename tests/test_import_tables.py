"""`gazette import`: the statistical tables 二、三、四 of an annual disclosure report, read from a report's text
into its data file, and the build's consistency rules run on what was read."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

import gazette
from conftest import ROOT, SEEDS
from gazette.content.frontmatter import located, read_yaml
from gazette.diagnostics import Report
from gazette.disclosure import annual
from gazette.importer.report_tables import check_data_file, data_file, find_report_tables
from gazette.importer.source import Line

SEED = (SEEDS if SEEDS.is_dir() else Path("/work/shared/seeds")) / "004_b1c07f7896153f82.txt"
SAMPLE_DATA = ROOT / "docs/disclosure/annual-report/2020.yml"


@pytest.fixture(scope="module")
def formats():
    report = Report()
    found = annual.load_formats([gazette.DATA_DIR], str(ROOT), report)
    assert report.items == [] and {"2019", "2021"} <= set(found)
    return found


@pytest.fixture(scope="module")
def reports() -> dict[str, list[Line]]:
    """The seed's reports, each as the located lines of its own text (split at each report's title line)."""
    if not SEED.is_file():
        pytest.skip("seed texts not available")
    text = SEED.read_text(encoding="utf-8").splitlines()
    starts = [n for n, t in enumerate(text) if t.endswith("政府信息公開工作年度報告。")]
    out = {}
    for a, b in zip(starts, [*starts[1:], len(text)]):
        out[text[a].removesuffix("政府信息公開工作年度報告。")] = [Line(t, n + 1) for n, t in enumerate(text[a:b], a)]
    assert set(out) == {"衢州市人民政府2018年", "衢州市人民政府2013年", "衢州市人民政府2020年", "廣東省人民政府2018年"}
    return out


def _sample_values(fmt) -> dict:
    """The figures of the sample site's 2020.yml, typed by hand from the same report, read as the build reads them."""
    report = Report()
    loc = read_yaml(str(SAMPLE_DATA), "2020.yml", report)
    values, _ = annual.parse_figures(loc, fmt, "2020.yml", report)
    assert report.items == []
    return values


def test_the_2020_report_gives_the_hand_typed_figures_and_passes_every_rule(formats, reports):
    lines = reports["衢州市人民政府2020年"]
    found = find_report_tables(lines, formats)
    assert found is not None and found.format == "2019"
    assert found.problems == []
    expected = _sample_values(formats["2019"])
    assert found.values == expected
    assert found.values["二"]["行政事业性收费"] == [123, -5]  # 减少5項
    assert found.values["二"]["政府集中采购"] == [2118, Decimal("27042.62")]  # 27042.62萬元
    # What the caller drops from the body: from the heading of 表二 to the last figure of 表四.
    assert lines[found.start].text == "二、主動公開政府信息情況"
    assert lines[found.end - 1].text == "9 |" and lines[found.end].text.startswith("五、")
    assert lines[found.start - 1].text.startswith("加強社會評議")

    text, checks = data_file(found, formats["2019"], title="衢州市人民政府2020年政府信息公开工作年度报告")
    assert checks == []
    assert text.startswith("# 衢州市人民政府2020年政府信息公开工作年度报告统计数据")
    assert "表二:\n  # 第二十条第（一）项：本年新制作数量（件）" in text
    assert "  行政事业性收费: [123, -5]\n" in text and "  政府集中采购: [2118, 27042.62]\n" in text
    # The written file, read back as the build reads a report's data file, holds the same figures.
    report = Report()
    loc = located(text, "2020.yml", report, first_line=1)
    values, _ = annual.parse_figures(loc, formats["2019"], "2020.yml", report)
    assert report.items == [] and values == expected


def test_a_figure_that_breaks_a_rule_is_reported_with_its_table_row_and_line(formats, reports):
    lines = [Line(x.text, x.at) for x in reports["衢州市人民政府2020年"]]
    label = next(n for n, x in enumerate(lines) if x.text == "(七)總計 |")
    assert lines[label + 1].text == "451 |"
    lines[label + 1].text = "452 |"  # 自然人 of (七)总计, one more than its items
    found = find_report_tables(lines, formats)
    assert found is not None and found.problems == [] and found.values["三"]["总计"][0] == 452  # read, not fixed
    text, checks = data_file(found, formats["2019"])
    assert "  总计: [452, 4, 0, 1, 0, 0, 456]\n" in text
    messages = {c.message: c for c in checks}
    # Both sums the figure breaks are on the row's one line of the data file: one message.
    hit = messages["表三「(七)总计」自然人列应为 451（各项之和），实为 452；总计列应为 457（自然人与法人或其他组织各列之和），实为 456"]
    assert hit.source_line == lines[label + 1].at
    assert text.splitlines()[hit.data_line - 1].startswith("  总计:")
    assert any(m.startswith("表三「四、结转下年度继续办理」自然人列应为 2") for m in messages)


def test_a_missing_row_is_a_problem_naming_where_it_should_be(formats, reports):
    lines = list(reports["衢州市人民政府2020年"])
    at = next(n for n, x in enumerate(lines) if x.text == "2.重復申請 |")
    nxt = next(n for n in range(at + 1, len(lines)) if not lines[n].text.strip("| ").isdigit())
    del lines[at:nxt]  # the row and its seven figures
    found = find_report_tables(lines, formats)
    assert found is not None and found.format == "2019"
    assert lines[at].text == "||" and lines[at + 1].text == "3.要求提供公開出版物 |"  # where the row was
    assert found.problems == [(lines[at + 1].at, "表三中没有找到「2.重复申请」一行（应在此行或其前后）")]
    assert found.values["三"]["要求提供公开出版物"] == [0] * 7 and found.values["三"]["无正当理由大量反复申请"][0] == 1
    text, checks = data_file(found, formats["2019"])
    assert "  重复申请: [null, null, null, null, null, null, null]\n" in text  # for the editor to fill in
    assert checks == []  # said once, in the problems; no sum is checked against a figure nobody knows


def test_an_unreadable_figure_is_a_problem_and_kept_as_written(formats, reports):
    lines = [Line(x.text, x.at) for x in reports["衢州市人民政府2020年"]]
    n = next(n for n, x in enumerate(lines) if x.text == "減少5項 |")
    lines[n].text = "減少5.5項 |"
    found = find_report_tables(lines, formats)
    assert found.problems == [(lines[n].at, "表二「行政事业性收费」本年增/减列的「減少5.5項」不是整数（可写“增加/减少”，单位项）")]
    text, _ = data_file(found, formats["2019"])
    assert '  行政事业性收费: [123, "減少5.5項"]\n' in text


@pytest.mark.parametrize("name", ["衢州市人民政府2018年", "衢州市人民政府2013年", "廣東省人民政府2018年"])
def test_old_free_format_reports_have_no_such_tables(formats, reports, name):
    assert find_report_tables(reports[name], formats) is None


# A 2021-format report as the national template prints it (simplified characters, units in the cells).
TABLE_2_2021 = [
    ("第二十条第（一）项", ["信息内容", "本年制发件数", "本年废止件数", "现行有效件数"],
     [("规章", ["0", "0", "0"]), ("行政规范性文件", ["12件", "3件", "85件"])]),
    ("第二十条第（五）项", ["信息内容", "本年处理决定数量"], [("行政许可", ["1520件"])]),
    ("第二十条第（六）项", ["信息内容", "本年处理决定数量"], [("行政处罚", ["860件"]), ("行政强制", ["12件"])]),
    ("第二十条第（八）项", ["信息内容", "本年收费金额（单位：万元）"], [("行政事业性收费", ["12.5万元"])]),
]
TABLE_3_2021 = [
    ("一、本年新收政府信息公开申请数量", [20, 3, 0, 0, 1, 0, 24]),
    ("二、上年结转政府信息公开申请数量", [2, 0, 0, 0, 0, 0, 2]),
    ("三、本年度办理结果", None),
    ("（一）予以公开", [10, 2, 0, 0, 1, 0, 13]),
    ("（二）部分公开（区分处理的，只计这一情形，不计其他情形）", [3, 0, 0, 0, 0, 0, 3]),
    ("（三）不予公开", None),
    ("1.属于国家秘密", [0] * 7), ("2.其他法律行政法规禁止公开", [0] * 7), ("3.危及“三安全一稳定”", [0] * 7),
    ("4.保护第三方合法权益", [1, 0, 0, 0, 0, 0, 1]), ("5.属于三类内部事务信息", [0] * 7),
    ("6.属于四类过程性信息", [0] * 7), ("7.属于行政执法案卷", [0] * 7), ("8.属于行政查询事项", [0] * 7),
    ("（四）无法提供", None),
    ("1.本机关不掌握相关政府信息", [4, 1, 0, 0, 0, 0, 5]), ("2.没有现成信息需要另行制作", [0] * 7),
    ("3.补正后申请内容仍不明确", [0] * 7),
    ("（五）不予处理", None),
    ("1.信访举报投诉类申请", [1, 0, 0, 0, 0, 0, 1]), ("2.重复申请", [0] * 7), ("3.要求提供公开出版物", [0] * 7),
    ("4.无正当理由大量反复申请", [0] * 7), ("5.要求行政机关确认或重新出具已获取信息", [0] * 7),
    ("（六）其他处理", None),
    ("1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请", [1, 0, 0, 0, 0, 0, 1]),
    ("2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请", [0] * 7),
    ("3.其他", [1, 0, 0, 0, 0, 0, 1]),
    ("（七）总计", [21, 3, 0, 0, 1, 0, 25]),
    ("四、结转下年度继续办理", [1, 0, 0, 0, 0, 0, 1]),
]
TABLE_4_2021 = [1, 0, 0, 1, 2, 0, 0, 0, 0, 0, 1, 0, 0, 0, 1]


def _report_2021(as_rows: bool) -> list[Line]:
    """The report's text as a web page gives it (cells one per line with " |"), or as a Word file's reader gives
    it (each table one Line with its rows)."""
    texts: list = ["某某县人民政府2021年政府信息公开工作年度报告", "一、总体情况", "2021年，县政府……。",
                   "二、主动公开政府信息情况"]
    two = []
    for title, header, rows in TABLE_2_2021:
        two += [[title], header, *[[label, *cells] for label, cells in rows]]
    three = [["（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"], ["申请人情况"],
             ["自然人", "法人或其他组织", "总计"], ["商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他"],
             *[[label, *map(str, cells or [])] for label, cells in TABLE_3_2021]]
    four = [["行政复议", "行政诉讼"], ["结果 维持", "结果 纠正", "其他 结果", "尚未 审结", "总 计",
                                "未经复议直接起诉", "复议后起诉"],
            ["结果 维持", "结果 纠正", "其他 结果", "尚未 审结", "总 计"] * 2, list(map(str, TABLE_4_2021))]
    for heading, rows in (("", two), ("三、收到和处理政府信息公开申请情况", three),
                          ("四、因政府信息公开工作被申请行政复议、提起行政诉讼情况", four)):
        texts += [heading] if heading else []
        texts += [rows] if as_rows else [f"{c} |" for row in rows for c in row] + ["||||"]
    texts += ["五、存在的主要问题及改进措施", "……"]
    return [Line("\n".join(c for r in t for c in r), n, rows=t) if isinstance(t, list) else Line(t, n)
            for n, t in enumerate(texts, 1)]


@pytest.mark.parametrize("as_rows", [False, True], ids=["cells-per-line", "table-rows"])
def test_a_2021_report_is_read_with_the_2021_format(formats, as_rows):
    lines = _report_2021(as_rows)
    found = find_report_tables(lines, formats)
    assert found is not None and found.format == "2021" and found.problems == []
    assert found.values["二"] == {"规章": [0, 0, 0], "行政规范性文件": [12, 3, 85], "行政许可": [1520],
                                  "行政处罚": [860], "行政强制": [12], "行政事业性收费": [Decimal("12.5")]}
    three = {label: cells for label, cells in TABLE_3_2021 if cells}
    assert found.values["三"]["逾期不补正"] == three["1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请"]
    assert found.values["三"]["其他情形"] == three["3.其他"] and found.values["三"]["总计"] == three["（七）总计"]
    assert found.values["四"] == {"行政复议": TABLE_4_2021[:5], "未经复议直接起诉": TABLE_4_2021[5:10],
                                  "复议后起诉": TABLE_4_2021[10:]}
    assert lines[found.start].text == "二、主动公开政府信息情况" and lines[found.end].text.startswith("五、")
    text, checks = data_file(found, formats["2021"])
    assert checks == [] and "  行政事业性收费: [12.5]\n" in text and "  其他情形: [1, 0, 0, 0, 0, 0, 1]\n" in text


@pytest.mark.parametrize("lines", [
    [], [Line("", 1)], [Line("二、主动公开政府信息情况", 1)],
    [Line("二、主动公开政府信息情况", 1), *[Line("||||" if n % 2 else "1 |", n) for n in range(2, 20000)]],
    [Line("二、主動公開政府信息情況", 1), Line("規章 |", 2), Line("\x00\u202e" * 50, 3), Line("9" * 5000, 4)],
])
def test_junk_never_raises(formats, lines):
    found = find_report_tables(lines, formats)
    assert found is None or all(isinstance(line, int) and msg for line, msg in found.problems)


def test_checks_of_a_broken_data_file_are_messages_not_tracebacks(formats):
    checks = check_data_file("表三: [\n", formats["2019"])
    assert checks and all(c.message for c in checks)


def test_a_table_without_its_heading_is_still_read_and_the_heading_reported(formats, reports):
    lines = list(reports["衢州市人民政府2020年"])
    at = next(n for n, x in enumerate(lines) if x.text == "三、收到和處理政府信息公開申請情況")
    del lines[at]
    found = find_report_tables(lines, formats)
    assert found.problems == [(lines[at].at, "没有找到表三的标题「三、收到和处理政府信息公开申请情况」")]
    assert found.values == _sample_values(formats["2019"])
