"""Escaping by construction: a front-matter value is text, never markup (issue 15, part 1).

One small site is built where every field an editor writes carries a payload, both an
element (`<img src=x onerror=…>`) and an attribute breakout (`"><svg/onload=…>`). Every page
of it is parsed: no element has an event-handler attribute, no `<img>`/`<svg>`/`<script>`
came from a payload, and the reader sees the payload's characters. Normal titles (`&`,
《》, 〔〕) come out escaped exactly once. The templates are checked statically as well:
each one renders with autoescaping on, and none marks a value safe itself.
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import unquote

import jinja2
import pytest
from bs4 import BeautifulSoup
from jinja2 import nodes
from markupsafe import Markup

from conftest import ROOT, make_project, run_mkdocs, serve

IMG = "<img src=x onerror=alert(1)>"
SVG = '"><svg/onload=alert(6)>'

TITLE = f"标题{IMG}"
ISSUER = f"机构{IMG}"
DOC_NUMBER = "<svg/onload=alert(3)>令第5号"  # the 令 form: any agency before 令 is accepted
INDEX_NO = f"索引{SVG}"
SUBJECT = f"主题{IMG}"
GENRE = "<svg/onload=alert()>"  # 文种 is at most 20 characters
SUMMARY = f"摘要{SVG}"
GROUP = f"栏目{IMG}"
ATTACHMENT = f"附件{IMG}"
CHANNEL = f"信函{IMG}"
CHANNEL2 = f"邮箱{SVG}"
CONSULT_TITLE = f"征求意见{SVG}"
DESCRIPTION = f"描述{SVG}"
ISSUE1 = f"第一期{IMG}"
ISSUE2 = f"第二期{SVG}"
PDF = 'a"onmouseover="alert(1)>.pdf'
HOME_TITLE = f"首页{IMG}"
HOME_DESCRIPTION = f"首页说明{SVG}"
PAGE_TITLE = f"关于{SVG}"
PAGE_SUBTITLE = f"副标题{IMG}"
# A page whose title comes from its heading: Material would print `page.title | striptags`,
# and striptags turns the entities back into a tag.
HEADING_TITLE = "说明 </title><script>alert(31)</script>"
NORMAL_TITLE = "关于《A&B》的通知"
NORMAL_DOC = "江府发〔2025〕11号"
SITE_NAME = "测试站点"

CONFIG = f"""\
site_name: {SITE_NAME}
site_url: https://gk.example.gov.cn/
theme:
  name: material
  language: zh
  features: [navigation.footer]  # Material's previous/next links print the neighbours' titles
plugins:
  - gazette:
      gazette_name: 测试政报
      sponsor: "主办<img src=x onerror=alert(40)>"
      contact: "电话</p><script>alert(41)</script>"
      icp_number: '"><svg/onload=alert(42)>'
"""


def q(value: str) -> str:
    """A YAML double-quoted scalar (the payloads hold quotes, colons and brackets)."""
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


FILES = {
    "index.md": f"---\ntitle: {q(HOME_TITLE)}\ndescription: {q(HOME_DESCRIPTION)}\ntemplate: main.html\n---\n\n首页正文。\n",
    "about.md": f"---\ntitle: {q(PAGE_TITLE)}\nsubtitle: {q(PAGE_SUBTITLE)}\n---\n\n关于本站。\n",
    "notes.md": "# 说明 &lt;/title&gt;&lt;script&gt;alert(31)&lt;/script&gt;\n\n说明正文。\n",
    "gazette/2025/01/index.md": f"---\npublished: 2025-01-15\ntitle: {q(ISSUE1)}\npdf: {q(PDF)}\n---\n",
    f"gazette/2025/01/{PDF}": b"%PDF-1.4\n",
    "gazette/2025/02/index.md": f"---\npublished: 2025-02-15\ntitle: {q(ISSUE2)}\n---\n",
    "gazette/2025/01/one.md": f"""\
---
title: {q(TITLE)}
issuer: {q(ISSUER)}
published: 2025-01-10
column: {q(GROUP)}
doc_number: {q(DOC_NUMBER)}
index_no: {q(INDEX_NO)}
subject: {q(SUBJECT)}
genre: {q(GENRE)}
summary: {q(SUMMARY)}
attachments:
  - title: {q(ATTACHMENT)}
    file: form.pdf
---

正文。
""",
    "gazette/2025/01/form.pdf": b"%PDF-1.4\n",
    "gazette/2025/01/two.md": f"""\
---
title: {q(NORMAL_TITLE)}
issuer: 江临市人民政府
published: 2025-01-11
column: 市政府文件
doc_number: {NORMAL_DOC}
---

正文。
""",
    "gazette/2025/02/three.md": f"""\
---
title: 第二期的文件
issuer: {q(ISSUER)}
published: 2025-02-10
column: 市政府文件
---

正文。
""",
    "disclosure/consultation/c.md": f"""\
---
title: {q(CONSULT_TITLE)}
issuer: {q(ISSUER)}
published: 2025-03-03
description: {q(DESCRIPTION)}
consultation:
  opens: 2025-03-05
  closes: 2025-04-04
  channels:
    - {q(CHANNEL)}
    - {q(CHANNEL2)}
---

正文。
""",
}


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    project = make_project(tmp_path_factory.mktemp("escaping"), FILES, CONFIG)
    result = run_mkdocs(project, "--strict", env={"GAZETTE_TODAY": "2025-03-20"})
    assert result.ok, result.output
    return project / "site"


def read(site: Path, url: str) -> str:
    path = site / url / "index.html" if not url.endswith(".html") else site / url
    return path.read_text(encoding="utf-8")


def soup(site: Path, url: str) -> BeautifulSoup:
    return BeautifulSoup(read(site, url), "html.parser")


def text(el) -> str:
    return " ".join(el.get_text(" ").split())


# -- the whole site -----------------------------------------------------------------------

def payload_elements(page: BeautifulSoup) -> list[str]:
    """What a payload would have become had it been printed as markup."""
    found = []
    for el in page.find_all(True):
        for name, value in el.attrs.items():
            value = " ".join(value) if isinstance(value, list) else str(value)
            if name.lower().startswith("on") and not (el.name == "button" and value == "window.print()"):
                found.append(f"<{el.name} {name}={value!r}>")
            if "alert" in name or name.startswith(("<", '"', "/")):
                found.append(f"<{el.name}> attribute {name!r}")
        if el.name == "img" and el.get("src") == "x":
            found.append("<img src=x>")
        if el.name == "script" and "alert(" in el.get_text():
            # Linked data holds the payloads as JSON strings, which never run: only if it could end its element.
            if el.get("type") != "application/ld+json" or "<" in el.get_text():
                found.append("<script>alert…")
        if el.name == "svg" and not el.find(True) and not el.get("class") and not el.get("viewbox"):
            found.append("<svg> without content")  # Material's icons and our charts all have paths or a viewBox
    return found


def test_no_page_of_the_site_carries_a_payload_as_markup(site):
    pages = sorted(site.rglob("*.html"))
    assert len(pages) > 30
    bad = {}
    for path in pages:
        found = payload_elements(BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser"))
        if found:
            bad[str(path.relative_to(site))] = found
    assert bad == {}


def test_normal_values_are_escaped_exactly_once(site):
    html = read(site, "gazette/2025/01/two")
    assert "<h1>关于《A&amp;B》的通知</h1>" in html
    assert f'<td class="gz-docno">{NORMAL_DOC}</td>' in html
    assert "<title>关于《A&amp;B》的通知 - 测试站点</title>" in html
    page = BeautifulSoup(html, "html.parser")
    assert page.h1.get_text() == NORMAL_TITLE
    for path in site.rglob("*.html"):
        raw = path.read_text(encoding="utf-8")
        for twice in ("&amp;amp;", "&amp;lt;", "&amp;gt;", "&amp;#34;", "&amp;quot;", "&amp;#39;"):
            assert twice not in raw, (path, twice)
    issue = soup(site, "gazette/2025/01")
    assert NORMAL_TITLE in [a.get_text() for a in issue.select(".gz-list__title")]
    assert NORMAL_DOC in [s.get_text() for s in issue.select(".gz-docno")]


# -- the item page --------------------------------------------------------------------------

def test_item_page_shows_every_field_as_text(site):
    html = read(site, "gazette/2025/01/one")
    page = BeautifulSoup(html, "html.parser")
    assert page.select_one(".gz-item h1").get_text() == TITLE
    meta = {tr.th.get_text(): tr.td.get_text() for tr in page.select("table.gz-meta tr")}
    assert meta["索引号"] == INDEX_NO
    assert meta["主题分类"] == SUBJECT
    assert meta["发布机构"] == ISSUER
    assert meta["文号"] == DOC_NUMBER
    # Material's own places: the title tag, the description, the header.
    assert page.title.get_text() == f"{TITLE} - {SITE_NAME}"
    description = page.find("meta", attrs={"name": "description"})
    assert description["content"] == SUMMARY and set(description.attrs) == {"name", "content"}
    assert 'content="摘要&#34;&gt;&lt;svg/onload=alert(6)&gt;"' in html
    assert text(page.select_one('[data-md-component="header-topic"]')) == TITLE
    crumbs = [text(li) for li in page.select(".gz-breadcrumb li")]
    assert crumbs[-2:] == [GROUP, TITLE]
    link = page.select_one(".gz-attachments a")
    assert link.select_one(".gz-filenote").extract().get_text().startswith("（PDF，")  # type and size beside it
    assert link.get_text() == ATTACHMENT and link["href"] == "../form.pdf"
    # The next item of the issue links here with its title as text.
    nxt = soup(site, "gazette/2025/01/two").select_one(".gz-prevnext__prev")
    assert nxt.get_text() == "上一篇" + TITLE


def test_qr_sheet_shows_the_title_as_text(site):
    page = soup(site, "gazette/2025/01/one")
    sheet_href = page.select_one(".gz-qr__print")["href"]
    sheet = BeautifulSoup((site / "gazette/2025/01/one" / sheet_href).resolve().read_text(encoding="utf-8"), "html.parser")
    assert sheet.h1.get_text() == TITLE
    assert sheet.title.get_text() == f"公示栏张贴版｜{TITLE}"
    cells = {tr.th.get_text(): tr.td.get_text() for tr in sheet.select(".sheet__meta tr")}
    assert cells["发布机构"] == ISSUER and cells["文号"] == DOC_NUMBER
    assert sheet.select_one(".sheet__summary").get_text() == SUMMARY
    assert sheet.select_one("svg.sheet__qr") is not None  # our own markup still is markup


def test_consultation_channels_and_description(site):
    page = soup(site, "disclosure/consultation/c")
    assert [li.get_text() for li in page.select(".gz-consult__channels li")] == [CHANNEL, CHANNEL2]
    assert page.find("meta", attrs={"name": "description"})["content"] == DESCRIPTION
    assert page.select_one(".gz-item h1").get_text() == CONSULT_TITLE
    column = soup(site, "disclosure/consultation")
    item = column.select_one(".gz-list__item")
    assert item.select_one(".gz-list__title").get_text() == CONSULT_TITLE
    assert ISSUER in [s.get_text() for s in item.select(".gz-list__meta span")]


# -- issues, archive, year ---------------------------------------------------------------------

def test_issue_page_title_pdf_link_and_neighbours(site):
    html = read(site, "gazette/2025/01")
    page = BeautifulSoup(html, "html.parser")
    assert page.select_one(".gz-issue h1").get_text() == ISSUE1
    assert page.title.get_text() == f"{ISSUE1} - {SITE_NAME}"
    pdf = page.select_one("a.gz-button[download]")
    assert unquote(pdf["href"]) == PDF  # percent-encoded as MkDocs encodes a file's URL: a path, nothing else
    assert set(pdf.attrs) == {"class", "href", "download"}
    assert 'href="a%22onmouseover%3D%22alert%281%29%3E.pdf"' in html
    assert GROUP in [h3.get_text() for h3 in page.select(".gz-toc h3")]
    assert page.select_one(".gz-prevnext__next").get_text() == "下一期" + ISSUE2
    second = soup(site, "gazette/2025/02")
    assert second.select_one(".gz-prevnext__prev").get_text() == "上一期" + ISSUE1
    assert second.select_one(".gz-issue h1").get_text() == ISSUE2
    # The item's breadcrumb names the issue by its label, the year page too: no payload there.
    assert soup(site, "gazette/2025").select_one(".gz-year h1").get_text() == "测试政报 2025年"


def test_archive_shows_the_latest_issue_title_as_text(site):
    page = soup(site, "gazette")
    assert page.select_one(".gz-latest__title a").get_text() == ISSUE2
    assert page.select_one(".gz-chart-box figure.gz-chart .gz-chart__bar") is not None  # the chart is still a chart


# -- indexes --------------------------------------------------------------------------------

# The 文号 index lists agencies (机关代字): the 令 form's agency is all before 第.
@pytest.mark.parametrize("key, value", [("issuer", ISSUER), ("subject", SUBJECT), ("genre", GENRE),
                                        ("number", DOC_NUMBER.split("第")[0])])
def test_browse_index_and_list_pages(site, key, value):
    index = soup(site, f"browse/{key}")
    links = {a.get_text(): a["href"] for a in index.select(".gz-entries a")}
    assert value in links
    entry = soup(site, f"browse/{key}/{links[value].strip('/')}")
    assert entry.h1.get_text() == value
    assert entry.title.get_text() == f"{value} - {SITE_NAME}"
    assert text(entry.select(".gz-breadcrumb li")[-1]) == value
    assert TITLE in [a.get_text() for a in entry.select(".gz-list__title")]


# -- editors' own pages, Material's nav and footer, search -------------------------------------

def test_editor_pages_title_description_nav_and_footer(site):
    home = soup(site, "")
    assert home.title.get_text() == f"{HOME_TITLE} - {SITE_NAME}"
    assert home.find("meta", attrs={"name": "description"})["content"] == HOME_DESCRIPTION
    about = soup(site, "about")
    assert about.title.get_text() == f"{PAGE_TITLE} - {SITE_NAME}"
    assert text(about.select_one('[data-md-component="header-topic"]')) == PAGE_TITLE
    assert about.select_one(".md-content h1").get_text() == PAGE_TITLE  # Material's content.html
    nav = [text(a) for a in about.select(".md-nav__link")]
    assert any(t.startswith(PAGE_TITLE) for t in nav), nav
    assert PAGE_SUBTITLE in " ".join(nav)
    notes = soup(site, "notes")
    assert notes.title.get_text() == f"{HEADING_TITLE} - {SITE_NAME}"
    footer = [text(a) for a in notes.select(".md-footer__link")]
    assert any(PAGE_TITLE in t for t in footer), footer


def test_page_metadata_and_linked_data_hold_the_values_as_text(site):
    """The 指引's meta tags and the JSON-LD carry the payloads as data: the script holds no "<" at all,
    parses as JSON, and gives back the title as written; the footer shows the identity as text."""
    import json

    page = soup(site, "gazette/2025/01/one")
    meta = {m["name"]: m["content"] for m in page.head.find_all("meta", attrs={"name": True})}
    assert meta["ArticleTitle"] == TITLE and meta["ContentSource"] == ISSUER and meta["Description"] == SUMMARY
    script = page.find("script", type="application/ld+json")
    raw = script.string
    assert "<" not in raw
    data = json.loads(raw)
    assert data["name"] == TITLE and data["legislationPassedBy"]["name"] == ISSUER
    assert data["publisher"]["name"] == "主办<img src=x onerror=alert(40)>"
    footer = soup(site, "").select_one(".md-footer-meta")
    assert "主办单位：主办<img src=x onerror=alert(40)>" in footer.get_text()
    assert "电话</p><script>alert(41)</script>" in footer.get_text()


def test_feeds_and_json_carry_the_values_as_text(site):
    """Feeds are well-formed XML and give back each title as written; the document's JSON too."""
    import json

    import feedparser

    feeds = sorted(site.rglob("atom.xml")) + sorted(site.rglob("rss.xml"))
    assert len(feeds) > 4
    titles = set()
    for path in feeds:
        parsed = feedparser.parse(path.read_bytes())
        assert not parsed.bozo, (path, parsed.get("bozo_exception"))
        titles.update(e.title for e in parsed.entries)
    assert TITLE in titles and CONSULT_TITLE in titles
    data = json.loads((site / "gazette/2025/01/one/index.json").read_text(encoding="utf-8"))
    assert data["title"] == TITLE and data["issuer"] == ISSUER and data["summary"] == SUMMARY


def test_search_page_is_clean(site):
    page = soup(site, "search")
    assert page.select_one("#gz-search-q") is not None
    assert payload_elements(page) == []


# -- a browser runs no payload ----------------------------------------------------------------

def test_no_dialog_opens_in_chromium(site, browser):
    server, stop = serve(site)
    context = browser.new_context(locale="zh-CN")
    dialogs: list[str] = []
    try:
        page = context.new_page()
        page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        for url in ("gazette/2025/01/one/", "gazette/2025/01/", "notes/"):
            page.goto(server.url + url, wait_until="load")
            assert page.locator("h1").first.inner_text() == {"gazette/2025/01/one/": TITLE, "gazette/2025/01/": ISSUE1,
                                                              "notes/": HEADING_TITLE}[url]
            for selector in ("a.gz-button[download]", ".gz-prevnext a", "h1"):
                if page.locator(selector).count():
                    page.locator(selector).first.hover()
            page.wait_for_timeout(100)
    finally:
        context.close()
        stop()
    assert dialogs == []


# -- the templates and the code around them ----------------------------------------------------

THEME = ROOT / "gazette" / "theme"
TEMPLATES = sorted(p for p in THEME.rglob("*.html") if p.name != "language.html")


def _blank(node) -> bool:
    return isinstance(node, nodes.Output) and all(
        isinstance(n, nodes.TemplateData) and not n.data.strip() for n in node.nodes)


def _autoescaped(body) -> bool:
    body = [n for n in body if not _blank(n)]
    if len(body) == 1 and isinstance(body[0], nodes.Scope):  # how Jinja parses {% autoescape %}
        body = body[0].body
    if len(body) != 1 or not isinstance(body[0], nodes.ScopedEvalContextModifier):
        return False
    return any(k.key == "autoescape" and isinstance(k.value, nodes.Const) and k.value.value is True
               for k in body[0].options)


@pytest.mark.parametrize("path", TEMPLATES, ids=lambda p: str(p.relative_to(THEME)))
def test_every_template_autoescapes(path):
    source = path.read_text(encoding="utf-8")
    tree = jinja2.Environment().parse(source)
    if tree.find(nodes.Extends) is not None:
        blocks = list(tree.find_all(nodes.Block))
        assert blocks
        for block in blocks:
            assert _autoescaped(block.body), f"block {block.name} of {path.name}: no {{% autoescape true %}} around it"
        top = [n for n in tree.body if not isinstance(n, (nodes.Extends, nodes.Block)) and not _blank(n)]
        assert top == []
    else:
        assert _autoescaped(tree.body), f"{path.name}: not wrapped in {{% autoescape true %}}"
    # Markup is marked safe by the Python code that makes it, never in a template.
    assert not re.search(r"\|\s*safe\b", source)
    assert "page.content }}" not in source


def test_markup_made_by_python_is_marked_safe_there():
    from gazette.model import charts

    chart = charts.bar_chart([("2025年<b>", 3)], title="各年<i>")
    assert isinstance(chart, Markup) and "2025年&lt;b&gt;" in chart and "各年&lt;i&gt;" in chart
    assert isinstance(charts.stacked_bar_chart([("2025年", 2, [("办结", 2)])], title="t", received_label="收",
                                                parts=["办结"]), Markup)


def test_escape_meta_and_template_rules():
    from gazette.build.pages import escape_meta, template_problem

    meta = {"title": IMG, "description": ["a", SVG], "status": 'new" onclick="x', "subtitle": Markup("<b>ok</b>"), "hide": ["toc"]}
    escape_meta(meta)
    assert meta["title"] == Markup("&lt;img src=x onerror=alert(1)&gt;")
    assert "&#34;&gt;&lt;svg" in meta["description"] and isinstance(meta["description"], Markup)
    assert meta["status"] == Markup("new&#34; onclick=&#34;x")
    assert meta["subtitle"] == Markup("<b>ok</b>")  # already markup: not escaped twice
    escape_meta(meta)
    assert meta["title"] == Markup("&lt;img src=x onerror=alert(1)&gt;")
    assert meta["hide"] == ["toc"]
    meta = {"tags": ["环保", IMG, Markup("<b>x</b>")]}
    escape_meta(meta)
    escape_meta(meta)
    assert meta["tags"] == ["环保", Markup("&lt;img src=x onerror=alert(1)&gt;"), Markup("<b>x</b>")]

    dirs = [str(THEME), *_material_dirs()]
    assert template_problem("main.html", dirs) is None
    assert template_problem("404.html", dirs) is None
    for bad in ("gazette/item.html", "gazette/qr-sheet.html", "partials/header.html", "../main.html", "/etc/passwd",
                "main.txt", "nothere.html", 5, ["main.html"], "", ".icons/x.html"):
        assert template_problem(bad, dirs), bad


def test_tags_print_as_text_with_materials_tags_plugin(tmp_path):
    """Material's tags plugin prints tag names unescaped: an editor's tag must arrive as text."""
    files = {
        "about.md": f"---\ntitle: 关于\ntags:\n  - {q(IMG)}\n  - {q(SVG)}\n  - 环保\n---\n\n关于本站。\n",
        "gazette/2025/01/index.md": "---\npublished: 2025-01-15\n---\n",
        "gazette/2025/01/one.md": f"---\ntitle: 一篇\nissuer: 江临市人民政府\npublished: 2025-01-10\ncolumn: 市政府文件\n"
                                  f"tags: [{q(IMG)}]\n---\n\n正文。\n",
    }
    project = make_project(tmp_path, files, CONFIG + "  - tags\n")
    result = run_mkdocs(project)
    assert result.ok, result.output
    site = project / "site"
    for url in ("about/", "gazette/2025/01/one/"):
        page = BeautifulSoup(read(site, url), "html.parser")
        assert payload_elements(page) == [], url
    shown = [text(t) for t in BeautifulSoup(read(site, "about/"), "html.parser").select(".md-tag")]
    assert IMG in shown and SVG in shown and "环保" in shown, shown


def _material_dirs() -> list[str]:
    import material

    return [str(Path(material.__file__).parent / "templates")]


def test_an_editors_bad_template_is_a_chinese_message(tmp_path):
    project = make_project(tmp_path, {"index.md": "---\ntitle: 首页\ntemplate: gazette/qr-sheet.html\n---\n\n首页。\n"})
    result = run_mkdocs(project)
    assert not result.ok
    assert "docs/index.md:3: 「template」「gazette/qr-sheet.html」由 gazette 插件用于公报和政务公开的页面，不能由编辑指定" in result.output
    assert "Traceback" not in result.output
