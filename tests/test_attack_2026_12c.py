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
"""

from __future__ import annotations

import json

import pytest

from conftest import make_project, run_gazette, run_mkdocs
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
        "index.md": f"---\ndescription: {SPAM}\n---\n\n# 首页\n",
        "gazette/2025/01/index.md": ISSUE.replace("---\n", f"---\ntitle: {SPAM}\n", 1),
        "gazette/2025/01/notice.md": ITEM})
    check = run_gazette("check", "--format", "json", cwd=project)
    errors = {(d["path"], d["line"], d["code"]) for d in json.loads(check.stdout) if d["level"] == "error"}
    for path in ("docs/index.md", "docs/gazette/2025/01/index.md"):
        assert (path, 2, "spam-term") in errors, check.stdout
        assert (path, 2, "external-domain") in errors, check.stdout
    build = run_mkdocs(project, timeout=120)
    assert not build.ok and "Traceback" not in build.output
    assert "docs/gazette/2025/01/index.md:2: 含有疑似赌博" in build.output
    assert not build.site.exists()
