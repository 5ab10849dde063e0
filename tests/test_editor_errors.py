"""The error table: mistakes editors really make, each reported the first time, in Chinese, on its
line, with a fix built from what was typed, and nothing cascading from another file's failure."""

from __future__ import annotations

import re

from conftest import make_project, run_gazette
from test_new_site import chinese_only

ISSUE = "---\npublished: 2025-03-31\ncolumns: [市政府文件, 市政府办公厅文件]\n---\n"
GOOD = """\
---
title: 关于某事的通知
issuer: 青山县人民政府
published: 2025-03-20
column: {column}
---
正文
"""
FILES = {
    "gazette/2025/03/index.md": ISSUE,
    # several mistakes in one file: all of them at once
    "gazette/2025/03/a.md": "---\ntitle: 关于某事的通知\nissuer: 青山县人民政府\npublished: 2016.8.25\n"
                            "doc_number: 青府发[2016]3号\ntitel: x\ncolumn: 市政府文件\n---\n正文\n",
    # a TOC group that is not among the issue's columns (办公室 for 办公厅)
    "gazette/2025/03/b.md": GOOD.format(column="市政府办公室文件"),
    # a YAML mistake does not hide the file's other mistakes
    "gazette/2025/03/c.md": "---\ntitle: 关于某事的通知\nissuer：青山县人民政府\npublished: 2025.3.5\n"
                            "genre:通知\ncolumn: 市政府文件\n---\n正文\n",
    "gazette/2025/03/d.md": "---\ntitle: 关于: 某事的通知\nissuer: 青山县人民政府\npublished: 2025-03-20\n"
                            "column: 市政府文件\n---\n正文\n",
    "gazette/2025/03/e.md": "---\ntitle: 关于某事的通知\nissuer: 青山县人民政府\npublished: 2025-03-20\n"
                            "column: 市政府文件\nattachments:\n\t- title: 附件\n---\n正文\n",
    "gazette/2025/03/f.md": "---\ntitle: 关于某事的通知\nissuer: 青山县人民政府\npublished: 2025-03-20\n"
                            "column: 市政府文件\nattachments:\n\u3000\u3000- title: 附件\n---\n正文\n",
    "gazette/2025/03/k.md": GOOD.format(column="市政府文件").replace("column:", "doc_number: 青府发2025年7号\ncolumn:"),
    "gazette/2025/03/g.md": GOOD.format(column="市政府文件").replace("2025-03-20", "2025年2月30日"),
    # a picture whose file was not committed, and a link to an attachment that was
    "gazette/2025/03/r.md": GOOD.format(column="市政府文件").replace("正文", "正文\n\n![现场照片](zhaopian.jpg)\n\n[申请表](form.pdf)"),
    # U+FFFE pasted into a title (XML feeds cannot carry it)
    "gazette/2025/03/n.md": GOOD.format(column="市政府文件").replace("关于某事的通知", '"关于某事\\uFFFE的通知"'),
    # the same YAML anchor name twice (PyYAML words this one in its context, not its problem)
    "gazette/2025/03/m.md": GOOD.format(column="市政府文件").replace("title:", "title: &t").replace(
        "issuer:", "issuer: &t"),
    # a field indented under a field that already has its value; a list item's key one space off
    "gazette/2025/03/p.md": GOOD.format(column="市政府文件").replace("\ncolumn:", "\n  column:"),
    "gazette/2025/03/q.md": GOOD.format(column="市政府文件").replace(
        "---\n正文", "attachments:\n  - title: 附件\n     file: fujian.pdf\n---\n正文"),
    # an annual report's data file with one row indented less than the row above it
    "disclosure/annual-report/2024.md": "---\ntitle: 青山县人民政府2024年政府信息公开工作年度报告\nissuer: 青山县人民政府\n"
                                        "published: 2025-01-20\nreport:\n  format: 2021\n  data: 2024.yml\n---\n正文\n",
    "disclosure/annual-report/2024.yml": "表二:\n  规章: [0, 0, 0]\n 行政规范性文件: [6, 1, 58]\n",
    # YAML tags: Python objects, a value that is not of its tag's type (a traceback once), bytes
    "gazette/2025/03/s.md": GOOD.format(column="市政府文件").replace("关于某事的通知", '!!python/object/apply:os.system ["ls"]'),
    "gazette/2025/03/t.md": GOOD.format(column="市政府文件").replace("---\n正文", "validity: !!bool maybe\n---\n正文"),
    "gazette/2025/03/u.md": GOOD.format(column="市政府文件").replace("关于某事的通知", "!!binary 5YWz5LqO"),
    # an issue with a full-width comma in its columns
    "gazette/2025/04/index.md": "---\npublished: 2025-04-30\ncolumns: [部门文件，公告]\n---\n",
    "gazette/2025/04/h.md": GOOD.format(column="部门文件"),
    # an issue whose index.md is broken: its items get no false "missing index.md"
    "gazette/2025/05/index.md": "---\npublished: 2025-02-30\ncolumns: [市政府文件]\n---\n",
    "gazette/2025/05/i.md": GOOD.format(column="市政府文件"),
    "gazette/2025/06/index.md": "---\npublished: 2025-06-30\ncolumns: [市政府文件\n---\n",
    "gazette/2025/06/j.md": GOOD.format(column="市政府文件"),
    # a policy document with a mistake, and its interpretation (which is fine)
    "disclosure/statutory/normative/qfg-2025-1.md": "---\ntitle: 青山县某某管理办法\nissuer: 青山县人民政府\n"
                                                    "published: 2025-03-01\ndoc_number: 青府规〔2025〕1号\nvalidity: 有郊\n---\n正文\n",
    "disclosure/interpretation/jd-qfg-2025-1.md": "---\ntitle: 《青山县某某管理办法》政策解读\nissuer: 青山县人民政府\n"
                                                  "published: 2025-03-02\ninterprets: statutory-normative-qfg-2025-1\n---\n正文\n",
}


def test_every_mistake_first_time_in_chinese_with_a_fix(tmp_path):
    project = make_project(tmp_path, FILES)
    result = run_gazette("check", cwd=project)
    out = result.stdout
    chinese_only(out + result.stderr)
    lines = out.splitlines()

    def line(path: str, number: int, *parts: str) -> str:
        prefix = f"docs/{path}:{number}: "
        found = [l for l in lines if l.startswith(prefix) and all(p in l for p in parts)]
        assert found, f"{prefix}{' … '.join(parts)} not in:\n{out}"
        return found[0]

    base = "gazette/2025/03/"
    line(base + "a.md", 4, "2016.8.25", "2016-08-25")  # the hint is the date typed, written correctly
    line(base + "a.md", 5, "青府发〔2016〕3号")
    line(base + "a.md", 6, "titel", "title")
    line(base + "b.md", 5, "市政府办公室文件", "是不是「市政府办公厅文件」")
    line(base + "c.md", 3, "全角冒号", "issuer: 青山县人民政府")
    line(base + "c.md", 4, "2025-03-05")
    line(base + "c.md", 5, "冒号后要有一个空格", "genre: 通知")
    line(base + "d.md", 2, "加引号", 'title: "关于: 某事的通知"')
    line(base + "e.md", 7, "Tab")
    line(base + "f.md", 7, "全角空格")
    line(base + "k.md", 5, "应为「青府发〔2025〕7号」")
    line(base + "g.md", 4, "2025年2月30日", "不存在")
    line(base + "m.md", 3, "不支持 YAML 锚点")
    line(base + "n.md", 2, "标题", "控制字符")
    line(base + "p.md", 5, "多缩进了 2 格", "「published: 2025-03-20」", "左端对齐")
    line(base + "q.md", 8, "多缩进了 1 格", "「- title: 附件」")
    line("disclosure/annual-report/2024.yml", 3, "缩进 1 格", "「规章: [0, 0, 0]」缩进 2 格", "左端对齐")
    line("gazette/2025/04/index.md", 3, "全角逗号", "[部门文件, 公告]")
    line("gazette/2025/05/index.md", 2, "2025-02-30", "这一天不存在，请核对")
    line(base + "r.md", 9, "图片「zhaopian.jpg」", "不存在")
    line(base + "s.md", 2, "标签「!!python/object/apply:os.system」", "请删去以 ! 开头的标签")
    line(base + "t.md", 6, "「maybe」不是「!!bool」类型的值")
    line(base + "u.md", 2, "「标题」应为一段文字")
    line(base + "r.md", 11, "链接「form.pdf」", "不存在")
    line("gazette/2025/06/index.md", 4, "方括号")
    assert not [l for l in lines if "缺少期刊文件" in l], out
    line("disclosure/statutory/normative/qfg-2025-1.md", 6, "有郊")
    assert not [l for l in lines if "jd-qfg-2025-1.md" in l], out  # the interpretation itself is fine
    assert not re.search(r"是不是「[^」]*jd-", out), out
    assert result.returncode == 1


def test_options_that_reach_html_and_folders_are_checked_in_chinese():
    """site_url (MkDocs and Material print it unescaped), the folders the plugin writes into, and names
    that go into XML feeds: each mistake is one Chinese line, in the build and in `gazette check`."""
    from gazette.build.config import GazetteConfig, check_site_options

    options = GazetteConfig()
    options.load_dict({"open_data_dir": "../../outside", "browse_dir": "/abs", "gazette_name": "政报\x0c",
                       "sponsor": "办公室\uffff"})
    options.validate()
    problems: list[str] = []
    check_site_options(options, "站点\x01", 'https://gk.example.gov.cn/"><svg/onload=alert(1)>', problems)
    assert any(p.startswith("open_data_dir「../../outside」应为网站内的文件夹名，如 data") for p in problems)
    assert any(p.startswith("browse_dir「/abs」") for p in problems)
    assert sum("控制字符" in p for p in problems) == 3  # site_name, gazette_name, sponsor
    assert any(p.startswith("site_url「") and "http:// 或 https://" in p for p in problems)
    for url in ("javascript://gk.example.gov.cn/%0aalert(1)", "gk.example.gov.cn", "https://a b.gov.cn/"):
        problems = []
        fresh = GazetteConfig()
        fresh.load_dict({})
        fresh.validate()
        check_site_options(fresh, "站点", url, problems)
        assert len(problems) == 1 and problems[0].startswith(f"site_url「{url}」"), (url, problems)
    fresh = GazetteConfig()
    fresh.load_dict({})
    fresh.validate()
    problems = []
    check_site_options(fresh, "江临市政府公报", "https://gk.jianglin.example.gov.cn/", problems)
    assert problems == []
    chinese_only("\n".join(problems))


def test_a_file_with_a_field_mistake_still_has_its_reference_and_toc_group_checked(tmp_path):
    """Found by a newcomer: an interpretation with a date mistake said nothing of its wrong `interprets` until
    the date was fixed (two rounds), and a wrong ID was matched to a valid but unrelated item when the item
    meant had a mistake of its own."""
    files = {
        "gazette/2024/01/index.md": "---\npublished: 2024-03-05\ncolumns: [县政府文件]\n---\n",
        # the item meant: it has its own mistake (a date), so it is not on the site
        "gazette/2024/01/xfb-2024-3.md": GOOD.format(column="县政府文件").replace("2025-03-20", "2024.3.5"),
        # a valid item whose ID is also close to what was typed
        "gazette/2024/01/mfg-2024-1.md": GOOD.format(column="县政府文件").replace("2025-03-20", "2024-03-05"),
        # a date mistake and a TOC group that is not the issue's: both at once
        "gazette/2024/01/xfb-2024-4.md": GOOD.format(column="县政府公告").replace("2025-03-20", "2024/03/05"),
        "disclosure/interpretation/jd-xfb-2024-3.md": "---\ntitle: 政策解读\nissuer: 某某县农业农村局\n"
                                                      "published: 2024-3-6\ninterprets: 2024-01-xfb-2024-03\n---\n正文\n",
    }
    project = make_project(tmp_path, files)
    result = run_gazette("check", cwd=project)
    out = result.stdout
    chinese_only(out + result.stderr)
    interpretation = [l for l in out.splitlines() if l.startswith("docs/disclosure/interpretation/jd-xfb-2024-3.md:")]
    assert any(l.startswith("docs/disclosure/interpretation/jd-xfb-2024-3.md:4: ") and "2024-03-06" in l
               for l in interpretation), out
    wrong_id = [l for l in interpretation if l.startswith("docs/disclosure/interpretation/jd-xfb-2024-3.md:5: ")]
    assert wrong_id and "「2024-01-xfb-2024-03」不存在" in wrong_id[0], out
    assert "是不是「2024-01-xfb-2024-3」" in wrong_id[0] and "本身有错误" in wrong_id[0], wrong_id
    assert "mfg" not in wrong_id[0], wrong_id
    four = [l for l in out.splitlines() if l.startswith("docs/gazette/2024/01/xfb-2024-4.md:")]
    assert any(":4: " in l and "2024-03-05" in l for l in four), out
    assert any(":5: " in l and "县政府公告" in l and "不在本期" in l for l in four), out
    assert result.returncode == 1


def test_a_day_written_with_hao_is_answered_with_the_date_written_right(tmp_path):
    """2024年3月5号 (号 for 日, as it is said) got only the general 2013-12-10 example; now the fix is this date."""
    files = {"gazette/2024/01/index.md": "---\npublished: 2024年3月5号\ncolumns: [县政府文件]\n---\n"}
    result = run_gazette("check", cwd=make_project(tmp_path, files))
    assert "docs/gazette/2024/01/index.md:2: " in result.stdout, result.stdout
    assert "2024年3月5号" in result.stdout and "应写成 2024-03-05" in result.stdout, result.stdout
    assert result.returncode == 1
