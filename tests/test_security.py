"""The hostile bodies and links of issue 15, case by case: refused by `gazette check` and by the
build with a Chinese `file:line` message, and never published.

Escaping of front-matter values is in test_escaping.py, files and publishing in
test_hostile_files.py, spam and personal-data variants in test_text_safety.py, and
random combinations opened in Chromium in test_security_fuzz.py.
"""

from __future__ import annotations

import textwrap

import pytest

from conftest import make_project, run_gazette, run_mkdocs
from gazette.safety.bodycheck import prepare_markdown
from gazette.build.config import GazetteConfig
from gazette.content.columns import read_columns
from gazette.content.records import Layout
from gazette.validation import Site, check_site

ISSUE = {"gazette/2025/06/index.md": "---\npublished: 2025-06-30\n---\n"}
ITEM = "gazette/2025/06/jff-2025-11.md"
HEAD = """\
---
title: 江临市人民政府关于加强安全生产工作的通知
issuer: 江临市人民政府
published: 2025-06-12
column: 市政府文件
---

第一段。

"""  # the body given to check() starts on line 10
CONFIG = """\
site_name: 测试站点
site_url: https://gk.example.gov.cn/
theme:
  name: material
  language: zh
plugins:
  - gazette
markdown_extensions:
  - toc
  - tables
  - attr_list
  - footnotes
"""


def check(tmp_path, body: str):
    project = make_project(tmp_path, {**ISSUE, ITEM: HEAD + textwrap.dedent(body)}, CONFIG)
    cfg = GazetteConfig()
    cfg.load_dict({})
    assert cfg.validate()[0] == []
    layout = Layout(cfg.gazette_dir, cfg.disclosure_dir, tuple(read_columns(cfg.columns, [])))
    site = Site(cfg, str(project / "docs"), "docs", layout, "https://gk.example.gov.cn/", {},
                prepare_markdown(["toc", "tables", "attr_list", "footnotes"], {}))
    _records, report, _checker = check_site(site)
    return [(d.line, d.code, d.message) for d in report.sorted() if d.level == "error"]


SCRIPTS = [
    ('<script a"b>alert(1)</script>', 10, "unsafe-html", "<script>"),
    ('<noscript><p title="</noscript><img src=x onerror=alert(1)>"></noscript>', 10, "unsafe-html", "<noscript>"),
    ("[点此](jav&#x61;script:alert(1))", 10, "javascript-link", "javascript:"),
    ("[点此](javascript&colon;alert(1))", 10, "javascript-link", "javascript:"),
    ("见[通知][1]。\n\n[1]: jav&#x61;script:alert(1)", 12, "javascript-link", "javascript:"),
    ("见[通知][1]。\n\n[1]:\n    javascript:alert(1)", 13, "javascript-link", "javascript:"),
    ("- 见[通知][1]。\n\n    [1]:\n        javascript:alert(1)", 13, "javascript-link", "javascript:"),
    ("> 见[通知][1]。\n>\n> [1]:\n> javascript:alert(1)", 13, "javascript-link", "javascript:"),
    ('<a href="java&#x09;script:alert(1)">点此</a>', 10, "javascript-link", "javascript:"),
    ("段落\n{: onclick=\"alert(1)\" }", 11, "event-handler", "onclick"),
    ("<svg/onload=alert(1)>", 10, "unsafe-html", "<svg>"),
    ("<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>", 10, "unsafe-html", "<math>"),
]


@pytest.mark.parametrize("body, line, code, named", SCRIPTS, ids=[c[0][:30] for c in SCRIPTS])
def test_script_in_the_body_is_refused_past_any_pattern(tmp_path, body, line, code, named):
    found = check(tmp_path, body + "\n")
    hits = [f for f in found if f[1] == code and named in f[2]]
    assert hits, found
    assert hits[0][0] == line, found


FOREIGN = ["https:/evil.com/", "https:///evil.com/", "https://evil.com\\.gov.cn/", "/\\evil.com/", "\\\\evil.com/", "//evil.com/x"]


@pytest.mark.parametrize("url", FOREIGN)
def test_links_are_judged_by_the_host_a_browser_resolves(tmp_path, url):
    for body in (f'<a href="{url}">链接</a>\n', f"见[链接][r]。\n\n[r]: <{url}>\n"):
        found = check(tmp_path / str(len(body)), body)
        hosts = [m.split("实际指向域名「")[1].split("」")[0] for _l, code, m in found if code == "external-domain"]
        assert hosts == ["evil.com"], (body, found)


def test_government_and_own_links_pass_and_foreign_images_do_not(tmp_path):
    body = """\
    [国务院](https://www.gov.cn/zhengce/)、[本站](https://gk.example.gov.cn/a/)、[相对](../)、[邮件](mailto:ban@example.gov.cn)、[电话](tel:023-12345678)

    ![统计图](https://tracker.example.com/p.gif)
    """
    found = check(tmp_path, body)
    assert [(line, code) for line, code, _m in found] == [(12, "external-domain")]


HIDDEN = [
    '<p style="display:/**/none">龙虎</p>', '<p style="display:\\6e one">x</p>', '<p style="font-size:calc(0px)">x</p>',
    '<p style="color:#fefefe">x</p>', '<span class="md-visually-hidden">x</span>', '<p hidden>x</p>',
]


@pytest.mark.parametrize("html", HIDDEN)
def test_hidden_text_is_closed_by_construction(tmp_path, html):
    found = check(tmp_path, html + "\n")
    assert [(line, code) for line, code, _m in found] in ([(10, "hidden-text")], [(10, "unsafe-attribute")]), found


def test_template_and_comments(tmp_path):
    found = check(tmp_path, "<template><p>藏起来的</p></template>\n\n<!-- 注释不发布，也不算错 -->\n")
    assert [(line, code) for line, code, _m in found] == [(10, "unsafe-html")]


def test_build_refuses_what_check_refuses_and_keeps_the_published_site(tmp_path):
    body = HEAD + "[点此](jav&#x61;script:alert(1))\n\n<span style=\"display:none\">龙8</span>\n"
    project = make_project(tmp_path, {**ISSUE, ITEM: body}, CONFIG)
    site = project / "site"
    site.mkdir()
    (site / "index.html").write_text("上次发布的站点", encoding="utf-8")
    result = run_mkdocs(project)
    assert not result.ok and "Traceback" not in result.output
    assert f"docs/{ITEM}:10: 链接「javascript:alert(1)」会执行脚本" in result.output
    assert f"docs/{ITEM}:12:" in result.output and "style" in result.output
    assert (site / "index.html").read_text(encoding="utf-8") == "上次发布的站点"
    checked = run_gazette("check", cwd=project)
    assert checked.returncode == 1
    lines = sorted(line for line in checked.stdout.splitlines() if line.startswith("docs/"))
    built = sorted(line.split(" -  ", 1)[1] for line in result.output.splitlines()
                   if line.startswith("ERROR") and " -  docs/" in line)
    assert lines == built


def test_published_body_is_the_sanitizers_output(tmp_path):
    # A harmless page goes out unchanged; the published HTML is what the sanitizer returned.
    body = HEAD + "| 项目 | 数量 |\n|:--|--:|\n| 甲 | 1 |\n\n脚注[^1]。\n\n[^1]: 说明。\n"
    project = make_project(tmp_path, {**ISSUE, ITEM: body}, CONFIG)
    result = run_mkdocs(project)
    assert result.ok, result.output
    html = (result.site / "gazette/2025/06/jff-2025-11/index.html").read_text(encoding="utf-8")
    assert '<th align="left">项目</th>' in html and 'class="footnote"' in html and "style=" not in html.split('class="gz-body"')[1].split("</div>")[0]


def test_file_names_in_hrefs_are_paths_never_schemes(tmp_path):
    files = {
        "gazette/2025/06/index.md": '---\npublished: 2025-06-30\npdf: "javascript:alert(1)"\n---\n',
        "gazette/2025/06/javascript:alert(1)": b"%PDF-1.4\n",
        "gazette/2025/06/a#b?.pdf": b"%PDF-1.4\n",
        ITEM: HEAD.replace("column: 市政府文件\n", "column: 市政府文件\nattachments: [{title: 附件, file: \"a#b?.pdf\"}]\n"),
    }
    result = run_mkdocs(make_project(tmp_path, files, CONFIG))
    assert result.ok, result.output
    issue = (result.site / "gazette/2025/06/index.html").read_text(encoding="utf-8")
    item = (result.site / "gazette/2025/06/jff-2025-11/index.html").read_text(encoding="utf-8")
    assert 'href="javascript%3Aalert%281%29"' in issue and 'href="javascript:' not in issue
    assert 'href="../a%23b%3F.pdf"' in item


@pytest.mark.parametrize("body", ["龙**8**娱乐", "龙<b></b>8娱乐", "龙&#56;娱乐", "龍８", "百<span>家</span>乐", "[百家乐](https://www.gov.cn/)"])
def test_spam_is_read_as_the_page_shows_it(tmp_path, body):
    # Markup and entities are gone from the text a reader sees, so they cannot split a term.
    found = check(tmp_path, f"第二段。\n\n{body}\n")
    assert [(line, code) for line, code, _m in found] == [(12, "spam-term")], found


def test_personal_numbers_are_read_as_the_page_shows_them(tmp_path):
    found = check(tmp_path, "联系：138<b>1234</b>5678\n\n身份证 110105<em>19491231</em>002X\n")
    assert [(line, code) for line, code, _m in found] == [(10, "mobile"), (12, "id-number")], found
    assert all("13812345678" not in m and "11010519491231002X" not in m for _l, _c, m in found)
