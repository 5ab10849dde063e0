"""An attacker's try (December 2026, third round): what a stolen editor account could still publish
through the front matter of pages that are not items, and the theme's own templates. Each test
here failed before its fix.

1. A page's `author:`, `revision_date:` or `git_*_date_localized:` were printed by Material as they
   were written: `<meta name="author" content="{{ page.meta.author }}">` closed its attribute and ran
   a script. Every front-matter value Material prints is handed to it escaped.
2. `template: redirect.html` with `location: javascript:…` (or a casino's address) turned any page
   into a script or a redirect off the site: Material prints `location` into a script and a
   refresh. The redirect template is refused to editors.
3. The front matter of pages that are not items (the home page, guides, an issue's index.md) was
   never checked: a gambling term or a foreign address in `description:` or an issue's `title:`
   went into the head, the feeds and the open data. They are checked as an item's are.
4. `icon: nope` stopped the build with "'.icons/nope.svg' not found" and no file or line.
5. Only a file's extension was judged: a file with no extension (or one a server does not know)
   holding `<script>…` was published, and a server that sends no Content-Type for it (Apache 2.4
   does so) lets the browser sniff it as a page, which ran the script (seen in Chromium). The first
   bytes are judged as a browser sniffs them now. "x.html." passed as a file without extension,
   and Windows servers drop the final dot: it is an .html file.
6. Text files of docs/ published as they are (.txt, .csv, .yml, .json) were never read: a planted
   gambling page as news.txt (the usual defacement of a government site: search engines index it
   at the site's address) or a CSV of ID numbers passed. Their text is checked as a page's is.
"""

from __future__ import annotations

import json

import pytest

from conftest import MINIMAL_CONFIG, make_project, run_gazette, run_mkdocs
from test_attack_2026_12 import ITEM_HEAD

ISSUE = "---\npublished: 2025-06-30\ncolumns: [县政府文件]\n---\n"
ITEM = ITEM_HEAD + "各乡镇人民政府：请做好安全生产工作。\n"
SCRIPT = '"><script>alert("meta")</script>'
IMG = '<img src=x onerror=alert("meta")>'


def _scripts_and_handlers(html: str) -> list[str]:
    """The script elements and on* attributes a browser would build from a page."""
    import lxml.html

    tree = lxml.html.document_fromstring(html)
    found = [lxml.html.tostring(s, encoding="unicode") for s in tree.iter("script") if "alert" in (s.text or "")]
    found += [f"{el.tag} {name}" for el in tree.iter() if isinstance(el.tag, str)
              for name in el.attrib if name.lower().startswith("on")]
    return found


@pytest.fixture(scope="module")
def meta_site(tmp_path_factory):
    about = (f"---\nauthor: '{SCRIPT}'\nrevision_date: '{IMG}'\n"
             f"git_creation_date_localized: {{'{IMG}': 1}}\n---\n\n# 关于本站\n\n本站发布政府公报。\n")
    project = make_project(tmp_path_factory.mktemp("meta"), {
        "about.md": about, "gazette/2025/01/index.md": ISSUE, "gazette/2025/01/notice.md": ITEM})
    build = run_mkdocs(project, timeout=120)
    assert build.ok, build.output[-3000:]
    return build.site


def test_a_pages_author_and_dates_are_printed_as_text(meta_site):
    html = (meta_site / "about/index.html").read_text(encoding="utf-8")
    assert _scripts_and_handlers(html) == []
    import lxml.html

    tree = lxml.html.document_fromstring(html)
    assert tree.xpath('//meta[@name="author"]/@content') == [SCRIPT]  # shown, as text
    assert IMG in tree.text_content()


@pytest.mark.parametrize("location", ["javascript:alert(document.domain)", "https://www.example.gov.cn/"])
def test_the_redirect_template_is_refused_to_editors(tmp_path, location):
    project = make_project(tmp_path, {"about.md": f"---\ntemplate: redirect.html\nlocation: {location}\n---\n\n# 关于\n"})
    build = run_mkdocs(project, timeout=120)
    assert not build.ok and "Traceback" not in build.output
    assert "docs/about.md:2: 「template」「redirect.html」" in build.output, build.output[-2000:]
    assert not build.site.exists()


def test_an_unknown_icon_is_named_at_its_file_and_line(tmp_path):
    project = make_project(tmp_path, {"about.md": "---\ntitle: 关于\nicon: nope/x\n---\n\n关于本站。\n"})
    build = run_mkdocs(project, timeout=120)
    assert not build.ok and "Traceback" not in build.output
    assert "docs/about.md:3: 「icon」找不到图标「nope/x」" in build.output, build.output[-2000:]


def test_an_existing_icon_still_builds(tmp_path):
    project = make_project(tmp_path, {"about.md": "---\ntitle: 关于\nicon: material/home\n---\n\n关于本站。\n"})
    build = run_mkdocs(project, timeout=120)
    assert build.ok, build.output[-2000:]


SPAM = "澳门赌场开业 www.casino-example.com"


def test_spam_and_foreign_addresses_in_the_front_matter_of_any_page_are_refused(tmp_path):
    project = make_project(tmp_path, {
        "index.md": f"---\ndescription: {SPAM}\n---\n\n# 首页\n\n联系人手机 13912345678\n",
        "gazette/2025/01/index.md": ISSUE.replace("---\n", f"---\ntitle: {SPAM}\n", 1),
        "gazette/2025/01/notice.md": ITEM})
    check = run_gazette("check", "--format", "json", cwd=project)
    errors = {(d["path"], d["line"], d["code"]) for d in json.loads(check.stdout) if d["level"] == "error"}
    for path in ("docs/index.md", "docs/gazette/2025/01/index.md"):
        assert (path, 2, "spam-term") in errors, check.stdout
        assert (path, 2, "external-domain") in errors, check.stdout
    # Only an item may be exempted (豁免检查): a page's messages do not offer it.
    messages = [d["message"] for d in json.loads(check.stdout) if d["path"] == "docs/index.md"]
    assert (("docs/index.md", 7, "mobile") in errors and messages
            and not any("请在头部写「豁免检查」" in m or "在本篇头部" in m for m in messages)), messages
    assert any("allowed_domains" in m for m in messages), messages
    build = run_mkdocs(project, timeout=120)
    assert not build.ok and "Traceback" not in build.output
    assert "docs/gazette/2025/01/index.md:2: 含有疑似赌博" in build.output
    assert not build.site.exists()


# ---------------------------------------------------------------- 5. files a browser sniffs as pages

SNIFFED = {  # a browser given no Content-Type shows each as a page (WHATWG MIME sniffing)
    "notice": b"<script>alert(document.domain)</script>",
    "gazette/2025/01/fujian.wps": b"\r\n  <HTML><body onload=alert(1)>",
    "gazette/2025/01/readme.txt": b"\xef\xbb\xbf<!DOCTYPE html><p>x",
    "data.yml": b'<?xml version="1.0"?><x:script xmlns:x="http://www.w3.org/1999/xhtml">alert(1)</x:script>',
}
TRAILING_DOT = "gazette/2025/01/page.html."
PLAIN = {  # what editors publish: stays
    "CNAME": b"gk.example.gov.cn\n",
    "gazette/2025/01/a.txt": b"<\xe9\x99\x84\xe4\xbb\xb6> list\n",  # "<附件>": not a tag a browser sniffs
    "gazette/2025/01/b.pdf": b"%PDF-1.4\n<html>\n%%EOF\n",
}


def test_files_a_browser_would_sniff_as_pages_are_refused(tmp_path):
    project = make_project(tmp_path, {"gazette/2025/01/index.md": ISSUE, "gazette/2025/01/notice.md": ITEM,
                                      **SNIFFED, TRAILING_DOT: b"<p>hi</p><img src=x onerror=alert(1)>", **PLAIN})
    check = run_gazette("check", "--format", "json", cwd=project)
    errors = {d["path"]: d["code"] for d in json.loads(check.stdout) if d["level"] == "error"}
    assert errors == {f"docs/{src}": "file-type" for src in (*SNIFFED, TRAILING_DOT)}, check.stdout
    build = run_mkdocs(project, timeout=120)
    assert not build.ok and "Traceback" not in build.output
    assert "docs/notice:1: 「notice」的内容是网页" in build.output
    assert f"docs/{TRAILING_DOT}:1: 「page.html.」是 .html 文件" in build.output
    assert not build.site.exists()


# ---------------------------------------------------------------- 6. text files published as they are

PLANTED = {  # path → (text, line of the finding, code)
    "gazette/2025/01/news.txt": ("欢迎访问\n\n澳门赌场 在线开户\n", 3, "spam-term"),
    "open/list.csv": ("姓名,电话\n张三,13912345678\n".encode("gb18030"), 2, "mobile"),  # Excel's GBK CSV
    "gazette/2025/01/extra.yml": ("# 友情链接\nlinks:\n  - https://www.casino-example.com/\n", 3, "external-domain"),
}


def test_spam_numbers_and_foreign_addresses_in_published_text_files_are_refused(tmp_path):
    files = {src: text for src, (text, _l, _c) in PLANTED.items()}
    project = make_project(tmp_path, {"gazette/2025/01/index.md": ISSUE, "gazette/2025/01/notice.md": ITEM,
                                      "open/fine.csv": "名称,网址\n国务院,https://www.gov.cn/\n", **files})
    check = run_gazette("check", "--format", "json", cwd=project)
    errors = {(d["path"], d["line"], d["code"]) for d in json.loads(check.stdout) if d["level"] == "error"}
    assert errors == {(f"docs/{src}", line, code) for src, (_t, line, code) in PLANTED.items()}, check.stdout
    mobile = next(d["message"] for d in json.loads(check.stdout) if d["code"] == "mobile")
    assert "不能豁免检查" in mobile and "请在头部写" not in mobile, mobile  # a text file has no front matter
    build = run_mkdocs(project, timeout=120)
    assert not build.ok and "Traceback" not in build.output
    assert "docs/gazette/2025/01/news.txt:3: 含有疑似赌博" in build.output
    assert not build.site.exists()


HOOK = '''\
from mkdocs.plugins import event_priority


@event_priority(50)  # as a revision-date plugin listed before gazette would run
def on_page_markdown(markdown, page, **kwargs):
    page.meta["git_revision_date_localized"] = '<span class="timeago" datetime="2025-06-30">2025-06-30</span>'
    return markdown
'''


def test_markup_another_plugin_puts_in_a_pages_meta_is_left_as_it_made_it(tmp_path):
    """The escaping of item 1 applies to what the editor wrote, before any other plugin adds its own markup."""
    project = make_project(tmp_path, {"about.md": "# 关于本站\n\n本站发布政府公报。\n"},
                           config=MINIMAL_CONFIG + "hooks:\n  - dates_hook.py\n")
    (project / "dates_hook.py").write_text(HOOK, encoding="utf-8")
    build = run_mkdocs(project, timeout=120)
    assert build.ok, build.output[-3000:]
    import lxml.html

    tree = lxml.html.document_fromstring((build.site / "about/index.html").read_text(encoding="utf-8"))
    assert tree.xpath('//span[@class="timeago"]/text()') == ["2025-06-30"]


def test_a_planted_file_of_thousands_of_numbers_is_reported_quickly_and_in_short(tmp_path):
    """A body or a text file of 5,000 mobile numbers (a leaked list planted on the site): each file's
    first 100 findings at their lines and one line for the rest, in seconds. Locating every finding
    again in the whole file took minutes (30,000 numbers: over ten)."""
    numbers = "\n\n".join(f"联系人 1391234{i:04d}" for i in range(5000))
    project = make_project(tmp_path, {"gazette/2025/01/index.md": ISSUE, "gazette/2025/01/notice.md": ITEM + numbers,
                                      "open/list.txt": numbers.replace("\n\n", "\n")})
    check = run_gazette("check", "--format", "json", cwd=project, process=True, timeout=60)
    found = json.loads(check.stdout)
    for path, first_line in (("docs/gazette/2025/01/notice.md", 10), ("docs/open/list.txt", 1)):
        mine = [d for d in found if d["path"] == path and d["level"] == "error"]
        assert len(mine) == 101, (path, len(mine))
        assert mine[0]["line"] == first_line and mine[99]["line"] > mine[0]["line"], mine[:2]
        assert "还有 4900 处问题" in mine[100]["message"], mine[100]
