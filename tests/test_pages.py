"""The pages a citizen browses, checked on the built sample site: addresses, item metadata,
issue tables of contents, years, the archive home, indexes, navigation and click depth."""

from __future__ import annotations

import collections
import posixpath
import re
from pathlib import Path
from urllib.parse import urldefrag, urljoin

import yaml
from bs4 import BeautifulSoup

from conftest import ROOT, make_project, run_mkdocs

DOCS = ROOT / "docs"


def soup(site: Path, url: str) -> BeautifulSoup:
    return BeautifulSoup((site / url / "index.html").read_text(encoding="utf-8"), "html.parser")


def front(path: Path) -> dict:
    text = path.read_text(encoding="utf-8")
    return yaml.safe_load(text.split("---\n", 2)[1])


def content(page: BeautifulSoup):
    return page.select_one("article.md-content__inner")


def test_addresses(sample_site):
    for url in ("gazette", "gazette/2023", "gazette/2023/05", "gazette/2023/05/jfbf-2023-12",
                "browse", "browse/issuer", "browse/number", "disclosure", "disclosure/statutory/normative"):
        assert (sample_site / url / "index.html").is_file(), url


def test_item_page_shows_title_metadata_breadcrumb_and_neighbours(sample_site):
    meta = front(DOCS / "gazette/2023/05/jfbf-2023-12.md")
    page = soup(sample_site, "gazette/2023/05/jfbf-2023-12")
    body = content(page)
    assert body.h1.get_text(strip=True) == meta["title"]
    rows = {tr.th.get_text(strip=True): tr.td.get_text(strip=True) for tr in body.select("table.gz-meta tr")}
    assert rows["发布机构"] == meta["issuer"]
    assert rows["文号"] == meta["doc_number"]
    d = meta["published"]
    assert rows["发布日期"] == f"{d.year}年{d.month}月{d.day}日"
    expected_fields = {"索引号": "index_no", "主题分类": "subject", "成文日期": "written", "有效性": "validity"}
    for label, key in expected_fields.items():
        assert (label in rows) == (key in meta), label
    crumbs = [li.get_text(strip=True) for li in page.select(".gz-breadcrumb li")]
    assert crumbs[:5] == ["首页", "政府公报", "2023年", "第5期", meta["column"]]
    assert crumbs[-1] == meta["title"]
    assert page.select_one(".gz-prevnext a[rel=prev]") or page.select_one(".gz-prevnext a[rel=next]")


def test_item_without_optional_fields_shows_only_given_ones(sample_site):
    path = next(p for p in (DOCS / "gazette").rglob("renmian-*.md") if "doc_number" not in front(p) and "文号" not in front(p))
    rel = path.relative_to(DOCS).with_suffix("")
    rows = [th.get_text(strip=True) for th in soup(sample_site, str(rel)).select("table.gz-meta th")]
    assert "文号" not in rows and "发布机构" in rows and "发布日期" in rows


def test_previous_and_next_follow_the_table_of_contents(sample_site):
    issue = soup(sample_site, "gazette/2023/05")
    toc = [a["href"] for a in issue.select(".gz-toc a.gz-list__title")]
    assert len(toc) >= 3
    for i, href in enumerate(toc):
        url = posixpath.normpath(posixpath.join("gazette/2023/05", href))
        page = soup(sample_site, url)
        prev = page.select_one(".gz-prevnext a[rel=prev]")
        nxt = page.select_one(".gz-prevnext a[rel=next]")
        if i == 0:
            assert prev is None
        else:
            assert posixpath.normpath(posixpath.join(url, prev["href"])) == posixpath.normpath(posixpath.join("gazette/2023/05", toc[i - 1]))
        if i == len(toc) - 1:
            assert nxt is None
        else:
            assert posixpath.normpath(posixpath.join(url, nxt["href"])) == posixpath.normpath(posixpath.join("gazette/2023/05", toc[i + 1]))


def test_issue_page_title_toc_in_column_order_pdf_and_neighbours(sample_site):
    meta = front(DOCS / "gazette/2023/05/index.md")
    page = soup(sample_site, "gazette/2023/05")
    body = content(page)
    assert body.h1.get_text(strip=True) == f"江临政报 2023年第5期（总第{meta['serial']}期）"
    assert "2023年5月31日" in body.select_one(".gz-issue__date").get_text()
    groups = [h.get_text(strip=True) for h in body.select(".gz-toc h3")]
    order = [c for c in meta["columns"] if c in groups]
    assert groups[: len(order)] == order
    # every item of the folder is listed exactly once
    listed = sorted(a["href"].strip("/") for a in body.select(".gz-toc a.gz-list__title"))
    files = sorted(p.stem for p in (DOCS / "gazette/2023/05").glob("*.md") if p.name != "index.md")
    assert listed == files
    pdf = body.find(lambda t: t.name == "a" and "印刷版" in t.get_text())
    assert pdf is not None and (sample_site / "gazette/2023/05" / pdf["href"]).is_file()
    assert body.select_one(".gz-prevnext a[rel=prev]").get_text().endswith("第2期（总第211期）")
    assert "第11期" in body.select_one(".gz-prevnext a[rel=next]").get_text()


def test_year_page_lists_issues_with_dates_and_counts(sample_site):
    page = content(soup(sample_site, "gazette/2023"))
    cards = [li.get_text(" ", strip=True) for li in page.select(".gz-card")]
    assert len(cards) == len(list((DOCS / "gazette/2023").iterdir()))
    counts = {p.name: len([f for f in p.glob("*.md") if f.name != "index.md"]) for p in (DOCS / "gazette/2023").iterdir()}
    assert any(c.startswith("第5期") and "2023年5月31日" in c and f"{counts['05']} 篇" in c for c in cards), cards


def test_archive_home_years_counts_latest_issue_and_chart(sample_site):
    page = content(soup(sample_site, "gazette"))
    years = sorted({p.name for p in (DOCS / "gazette").iterdir() if p.is_dir()}, reverse=True)
    headings = [h.get_text(" ", strip=True) for h in page.select(".gz-years__year h3")]
    assert [h.split("年")[0] for h in headings] == years  # every year, newest first
    for year, heading in zip(years, headings):
        issues = [p for p in (DOCS / "gazette" / year).iterdir() if p.is_dir()]
        items = sum(len([f for f in p.glob("*.md") if f.name != "index.md"]) for p in issues)
        assert f"{len(issues)} 期 · {items} 篇" in heading
    latest = page.select_one(".gz-latest")
    assert latest is not None and "2025年第6期" in latest.get_text()
    # the latest issue comes before the list of years
    assert str(page).index("gz-latest") < str(page).index("gz-years")
    chart = page.select_one("figure.gz-chart")
    assert [li.select_one(".gz-chart__label").get_text() for li in chart.select("li")] == [f"{y}年" for y in sorted(years)]
    assert len(chart.select(".gz-chart__bar")) == len(years)
    assert not page.find_all("script")


def test_indexes_by_issuer_genre_subject_and_number(sample_site):
    browse = content(soup(sample_site, "browse"))
    titles = [a.get_text(strip=True) for a in browse.select(".gz-card__title")]
    assert titles == ["按发布机构", "按文种", "按主题分类", "按文号"]
    issuers = content(soup(sample_site, "browse/issuer"))
    entry = issuers.find("a", string="江临市人民政府")
    assert entry is not None
    listing = content(soup(sample_site, posixpath.normpath(posixpath.join("browse/issuer", entry["href"]))))
    n = sum(1 for p in DOCS.rglob("*.md") if p.name != "index.md" and (front(p).get("issuer") or front(p).get("发布机构") or front(p).get("发文机关")) == "江临市人民政府")
    assert len(listing.select(".gz-list__item")) == n
    # 文号 index: within one 机关代字, ordered by year then number
    numbers = content(soup(sample_site, "browse/number"))
    agency = numbers.find("a", string="江府发")
    page = content(soup(sample_site, posixpath.normpath(posixpath.join("browse/number", agency["href"]))))
    docnos = [s.get_text() for s in page.select(".gz-list__meta .gz-docno")]
    keys = [tuple(int(x) for x in re.match(r"江府发〔(\d+)〕(\d+)号", d).groups()) for d in docnos]
    assert keys == sorted(keys) and len(keys) >= 3


def test_long_lists_are_paginated_at_200(tmp_path):
    files = {"gazette/2023/01/index.md": "---\npublished: 2023-01-31\n---\n"}
    for n in range(1, 451):
        files[f"gazette/2023/01/jcz-2023-{n}.md"] = (
            f"---\ntitle: 通知{n}\nissuer: 江临市财政局\npublished: 2023-01-{n % 28 + 1:02d}\n"
            f"doc_number: 江财〔2023〕{n}号\ncolumn: 部门文件\n---\n正文\n")
    project = make_project(tmp_path, files)
    result = run_mkdocs(project)
    assert result.ok, result.output
    site = result.site
    pages = [site / "browse/issuer/jlsczj/index.html", site / "browse/issuer/jlsczj/page/2/index.html", site / "browse/issuer/jlsczj/page/3/index.html"]
    counts = [len(BeautifulSoup(p.read_text(), "html.parser").select(".gz-list__item")) for p in pages]
    assert counts == [200, 200, 50]
    assert not (site / "browse/issuer/jlsczj/page/4").exists()
    first = BeautifulSoup(pages[0].read_text(), "html.parser")
    assert [a.get_text() for a in first.select(".gz-pager a")] == ["第2页", "第3页", "下一页"]
    numbers = BeautifulSoup((site / "browse/number/jc/page/3/index.html").read_text(), "html.parser")
    assert [s.get_text() for s in numbers.select(".gz-docno")][-1] == "江财〔2023〕450号"


def test_nav_holds_sections_only(sample_site):
    page = soup(sample_site, "gazette/2023/05/jfbf-2023-12")
    nav_links = {a.get_text(" ", strip=True) for a in page.select("nav.md-nav--primary a.md-nav__link")}
    assert {"首页", "政府公报", "政务公开", "分类浏览"} <= nav_links
    item_titles = {front(p).get("title") or front(p).get("标题")
                   for top in ("gazette", "disclosure") for p in (DOCS / top).rglob("*.md") if p.name != "index.md"}
    assert not nav_links & item_titles
    assert len(page.select("nav.md-nav--primary a")) < 40


def _links(site: Path, url: str) -> set[str]:
    html = (site / url / "index.html").read_text(encoding="utf-8") if not url.endswith(".html") else (site / url).read_text()
    out = set()
    for href in re.findall(r'href="([^"#:?]*)(?:#[^"]*)?"', html):
        target = urljoin("/" + url, href)
        target = urldefrag(target)[0].lstrip("/")
        if target.endswith("index.html"):
            target = target[: -len("index.html")]
        target = target.rstrip("/")
        if (site / target / "index.html").is_file():
            out.add(target)
    return out


def test_every_item_within_four_clicks_of_home(sample_site):
    depth = {"": 0}
    queue = collections.deque([""])
    while queue:
        url = queue.popleft()
        if depth[url] >= 4:
            continue
        for link in _links(sample_site, url + "/" if url else ""):
            if link not in depth:
                depth[link] = depth[url] + 1
                queue.append(link)
    items = [p.relative_to(DOCS).with_suffix("").as_posix() for p in DOCS.rglob("*.md")
             if p.name != "index.md" and p.parts[len(DOCS.parts)] in ("gazette", "disclosure")]
    assert len(items) >= 40
    missing = [i for i in items if i not in depth]
    assert not missing, missing


def test_same_input_gives_byte_identical_site(sample_site, tmp_path):
    """Built again, the sample site (pages rendered by two workers, its word index, QR codes) is the
    same to the byte as the session's build. The build day is input too (a consultation's state
    as of that day): the second build is given the first one's, lest midnight in the site's time
    zone fall between them."""
    consultation = next((sample_site / "disclosure" / "consultation").glob("*/index.html")).read_text(encoding="utf-8")
    day = re.search(r'class="gz-consult__asof">（截至 <time datetime="([0-9-]+)"', consultation).group(1)
    b = run_mkdocs(ROOT, "--strict", site=tmp_path / "b", env={"GAZETTE_TODAY": day})
    assert b.ok
    fa = sorted(p.relative_to(sample_site) for p in sample_site.rglob("*") if p.is_file())
    fb = sorted(p.relative_to(b.site) for p in b.site.rglob("*") if p.is_file())
    assert fa == fb
    different = [str(p) for p in fa if (sample_site / p).read_bytes() != (b.site / p).read_bytes()]
    assert not different


# -- what readers expect of a gazette site (issue 18, item 15) ------------------------------------

def _cn_date(text: str) -> tuple:
    return tuple(int(n) for n in re.match(r"(\d+)年(\d+)月(\d+)日", text).groups())


def test_home_shows_the_latest_issue_and_newest_documents_under_the_editors_text(sample_site):
    home = content(soup(sample_site, ""))
    # The editor's Markdown stays first; the catalog's parts come after it.
    assert home.h1 and "线下查阅" in home.get_text()
    assert home.get_text().index("线下查阅") < home.get_text().index("最新一期公报")
    archive = content(soup(sample_site, "gazette"))
    newest_issue = archive.select_one(".gz-latest__title a")
    issue = home.select_one(".gz-home__issue .gz-latest__title a")
    assert issue.get_text(strip=True) == newest_issue.get_text(strip=True)
    issue_page = content(soup(sample_site, issue["href"].strip("/")))
    groups = [h.get_text(strip=True) for h in issue_page.select(".gz-toc h3")]
    assert [a.get_text(strip=True) for a in home.select(".gz-home__groups a")] == groups
    # Ten documents, newest first, each with its date; none on the site is newer than the last listed.
    items = home.select(".gz-home__latest .gz-list__item")
    dates = [_cn_date(li.time.get_text()) for li in items]
    assert len(items) == 10 and dates == sorted(dates, reverse=True)
    every = [_cn_date(t.get_text()) for p in sample_site.rglob("index.html")
             for t in BeautifulSoup(p.read_text(encoding="utf-8"), "html.parser").select(".gz-meta tr:-soup-contains('发布日期') time")]
    assert sorted(every, reverse=True)[:10] == dates


def test_downloads_state_type_and_size_of_the_file(sample_site):
    for url in ("gazette/2023/02/jfbf-2023-4", "gazette/2023/05"):
        page = content(soup(sample_site, url))
        links = page.select(".gz-attachments a, a.gz-button[download]")
        assert links
        for a in links:
            size = (sample_site / url / a["href"]).stat().st_size
            note = a.select_one(".gz-filenote").get_text()
            kind, amount, unit = re.fullmatch(r"（(\S+)，([\d.]+) (KB|MB)）", note).groups()
            shown = max(1, round(size / 1024)) if unit == "KB" else round(size / 1024 / 1024, 1)
            assert kind == "PDF" and float(amount) == shown, (note, size)


def test_year_page_neighbours_in_the_issue_pages_order(sample_site):
    years = sorted(int(p.name) for p in (DOCS / "gazette").iterdir() if p.name.isdigit())
    middle = content(soup(sample_site, f"gazette/{years[1]}"))
    links = middle.select(".gz-prevnext a")
    assert [a["rel"] for a in links] == [["prev"], ["next"]]  # older first, as 上一期 · 下一期
    assert str(years[0]) in links[0].get_text() and str(years[2]) in links[1].get_text()


def test_official_document_typography_marks_only_the_signature_and_annex():
    from gazette.build.typography import mark

    body = ('<p>正文。</p><p>特此通知</p><p>2023年2月9日</p>')
    assert mark(body) == '<p>正文。</p><p>特此通知</p><p class="gz-sign__date">2023年2月9日</p>'
    body = ('<p>正文写到2023年2月9日。</p><p>附件：</p><ol><li>清单</li></ol><p id="s">江临市财政局</p>'
            '<p>江临市人民政府</p><p>二〇二三年二月九日</p>')
    assert mark(body) == ('<p>正文写到2023年2月9日。</p><p class="gz-annex">附件：</p><ol class="gz-annex__list"><li>清单</li></ol>'
                          '<p id="s">江临市财政局</p><p class="gz-sign__issuer">江临市人民政府</p>'
                          '<p class="gz-sign__date">二〇二三年二月九日</p>')
    # A date inside a list or a table is not a signature; the body is otherwise unchanged.
    body = '<ul><li><p>2023年2月9日</p></li></ul><table><tr><td>2023年2月9日</td></tr></table>'
    assert mark(body) == body


def test_item_body_reads_as_a_printed_document(sample_server, browser):
    context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(sample_server.url + "gazette/2023/02/jfbf-2023-4/")
    found = page.evaluate("""() => {
        const body = document.querySelector('.gz-body'), box = body.getBoundingClientRect();
        const style = e => getComputedStyle(e);
        const para = [...body.querySelectorAll(':scope > p')].find(p => p.textContent.length > 40);
        const sign = [...body.querySelectorAll(':scope > p')].slice(-2).map(p => {
            const r = document.createRange(); r.selectNodeContents(p); const t = r.getBoundingClientRect();
            return {text: p.textContent, left: t.left - box.left, right: box.right - t.right};
        });
        return {indent: parseFloat(style(para).textIndent) / parseFloat(style(para).fontSize), sign};
    }""")
    assert found["indent"] == 2
    issuer, date = found["sign"]
    assert issuer["text"].endswith("办公室") and re.match(r"\d{4}年", date["text"])
    assert issuer["left"] > issuer["right"] and date["left"] > date["right"]  # right-aligned, not at the left
    context.close()

