"""What machines read in the head of every page: the 政府网站发展指引's web-page metadata (read back and
compared with the front matter and the options) and schema.org JSON-LD (read with extruct, as a crawler
would), and the site's identity in the footer."""

from __future__ import annotations

import json
from pathlib import Path

import extruct
import yaml
from bs4 import BeautifulSoup

from conftest import ROOT
from gazette.content.columns import DEFAULT_COLUMNS, read_columns
from gazette.content.records import Layout, load_site
from test_theme_a11y import sample_pages

DOCS = ROOT / "docs"
SITE_TAGS = ("SiteName", "SiteDomain", "SiteIDCode")
COLUMN_TAGS = ("ColumnName", "ColumnDescription", "ColumnKeywords", "ColumnType")
DOCUMENT_TAGS = ("ArticleTitle", "PubDate", "ContentSource", "Keywords", "Author", "Description", "Image", "Url")
COLUMN_TYPES = {"概况信息", "信息发布", "解读回应", "办事服务", "互动交流"}
LEGAL_FORCE = {"有效": "InForce", "失效": "NotInForce", "废止": "NotInForce", "修订": "PartiallyInForce"}


def options() -> tuple[dict, dict]:
    config = yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))
    gazette = next(p["gazette"] for p in config["plugins"] if isinstance(p, dict) and "gazette" in p)
    return config, gazette


def tags(html: str) -> dict[str, str]:
    page = BeautifulSoup(html, "html.parser")
    return {m["name"]: m["content"] for m in page.head.find_all("meta", attrs={"name": True, "content": True})}


def documents(site: Path) -> list:
    """(validated record, built page) of every item the sample site publishes: the front matter as the
    package reads it (aliases such as 标题, dates written 2023年11月6日)."""
    layout = Layout("gazette", "disclosure", tuple(read_columns(DEFAULT_COLUMNS, [])))
    records, report = load_site(str(DOCS), "docs", layout)
    assert not report.errors
    return [(r, site / Path(r.src).with_suffix("") / "index.html") for r in records.items]


def test_every_page_type_carries_the_guidelines_metadata(sample_site):
    config, gazette = options()
    pages = sample_pages(sample_site)
    pages.update({"disclosure-item": "disclosure/statutory/normative/jfbf-2024-3/", "browse": "browse/",
                  "annual-report": "disclosure/annual-report/"})
    lists = {"archive", "year", "issue", "index", "column", "browse", "annual-report"}
    for name, url in pages.items():
        path = sample_site / (url if url.endswith(".html") else url + "index.html")
        found = tags(path.read_text(encoding="utf-8"))
        assert found["SiteName"] == config["site_name"], name
        assert found["SiteDomain"] == "gk.jianglin.example.gov.cn" and found["SiteIDCode"] == gazette["site_code"]
        if name in lists or name.endswith("item"):
            assert all(found.get(t) for t in COLUMN_TAGS), (name, found)
            assert found["ColumnType"] in COLUMN_TYPES, (name, found["ColumnType"])
        else:
            assert not any(t in found for t in COLUMN_TAGS + DOCUMENT_TAGS), (name, found)
        if name in lists:
            assert not any(t in found for t in DOCUMENT_TAGS), name
    assert tags((sample_site / pages["column"] / "index.html").read_text(encoding="utf-8"))["ColumnName"] == "法定主动公开内容"
    interpretation = sample_site / "disclosure/interpretation/index.html"
    assert tags(interpretation.read_text(encoding="utf-8"))["ColumnType"] == "解读回应"


def test_every_document_has_the_full_set_equal_to_its_front_matter(sample_site):
    docs = documents(sample_site)
    assert len(docs) > 50
    for r, page in docs:
        found = tags(page.read_text(encoding="utf-8"))
        assert all(found.get(t) for t in SITE_TAGS + COLUMN_TAGS + DOCUMENT_TAGS), (r.src, found)
        assert found["ArticleTitle"] == r.title and found["ContentSource"] == r.issuer == found["Author"], r.src
        assert found["PubDate"] == f"{r.published:%Y-%m-%d} 00:00", r.src
        assert found["Url"] == "https://gk.jianglin.example.gov.cn/" + str(page.parent.relative_to(sample_site)) + "/"
        if r.summary:
            assert found["Description"] == r.summary, r.src
        words = found["Keywords"].split("，")
        assert all(w in words for w in [r.subject, *r.keywords] if w), (r.src, words)
        # The page names its open-data JSON, and that file describes this document.
        link = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser").head.find(
            "link", rel="alternate", type="application/json")
        target = (page.parent / link["href"]).resolve()
        assert json.loads(target.read_text(encoding="utf-8"))["title"] == r.title, r.src
    assert any(r.keywords for r, _ in docs)  # the sample shows the editor's 关键词 too


def test_documents_carry_valid_linked_data(sample_site):
    """extruct reads one JSON-LD block per document: a Legislation (or Article / Report) with the 文号,
    dates, issuer, legal force from 有效性 and the gazette issue it is part of."""
    seen = set()
    for r, page in documents(sample_site):
        html = page.read_text(encoding="utf-8")
        blocks = extruct.extract(html, syntaxes=["json-ld"], uniform=True)["json-ld"]
        assert len(blocks) == 1, r.src
        data = blocks[0]
        seen.add(data["@type"])
        assert data["name"] == r.title and data["datePublished"] == r.published.isoformat()
        assert data["url"] == data["@id"] and data["url"].startswith("https://gk.jianglin.example.gov.cn/")
        if data["@type"] == "Legislation":
            assert data.get("legislationIdentifier") == (r.doc_number.text if r.doc_number else None), r.src
            assert data["legislationPassedBy"] == {"@type": "GovernmentOrganization", "name": r.issuer}
            if r.written:
                assert data["legislationDate"] == r.written.isoformat()
            if r.validity:
                assert data["legislationLegalForce"] == "https://schema.org/" + LEGAL_FORCE[r.validity], r.src
        if r.kind == "gazette":
            issue = data["isPartOf"]
            assert issue["@type"] == "PublicationIssue" and issue["issueNumber"] == str(r.number)
            assert issue["isPartOf"] == {"@type": "Periodical", "name": "江临政报",
                                         "publisher": {"@type": "GovernmentOrganization", "name": "江临市人民政府办公室"}}
        if r.interprets:
            assert data["about"]["@id"].startswith("https://gk.jianglin.example.gov.cn/"), r.src
    assert {"Legislation", "Article", "Report"} <= seen, seen

    # The amending decision names what it amends; the home page describes the office and its search.
    amending = (sample_site / "gazette/2025/06").glob("*/index.html")
    amends = [d for p in amending for d in extruct.extract(p.read_text(encoding="utf-8"), syntaxes=["json-ld"],
                                                              uniform=True)["json-ld"] if d.get("legislationAmends")]
    assert amends and amends[0]["legislationAmends"][0]["legislationIdentifier"] == "江府发〔2022〕5号"
    home = extruct.extract((sample_site / "index.html").read_text(encoding="utf-8"), syntaxes=["json-ld"])["json-ld"]
    graph = {node["@type"]: node for node in home[0]["@graph"]}
    assert graph["GovernmentOrganization"]["name"] == "江临市人民政府办公室"
    action = graph["WebSite"]["potentialAction"]
    assert action["@type"] == "SearchAction" and action["target"].endswith("/search/?q={search_term_string}")
    issue = extruct.extract((sample_site / "gazette/2025/06/index.html").read_text(encoding="utf-8"),
                            syntaxes=["json-ld"])["json-ld"][0]
    assert issue["@type"] == "PublicationIssue" and len(issue["hasPart"]) == 5


def test_footer_shows_the_identity_with_filing_links(sample_site):
    _, gazette = options()
    page = BeautifulSoup((sample_site / "index.html").read_text(encoding="utf-8"), "html.parser")
    footer = " ".join(page.select_one(".md-footer-meta").get_text(" ").split())
    for key, label in (("sponsor", "主办单位"), ("operator", "承办单位"), ("contact", "联系方式"), ("site_code", "网站标识码")):
        assert f"{label}：{gazette[key]}" in footer, (key, footer)
    links = {a.get_text(strip=True): a["href"] for a in page.select(".md-footer-meta a")}
    assert links[gazette["icp_number"]] == "https://beian.miit.gov.cn/"
    assert links[gazette["police_number"]].startswith("https://beian.mps.gov.cn/") and "36099902000001" in links[
        gazette["police_number"]]
    assert "mkdocs" not in footer.lower() and "material" not in footer.lower()


def test_party_mark_shows_when_its_image_exists_and_is_named_when_missing(caplog):
    import jinja2
    from types import SimpleNamespace

    from gazette import THEME_DIR
    from gazette.build.config import GazetteConfig
    from gazette.build.theme_options import identity

    options = GazetteConfig()
    options.load_dict({"party_gov_logo": "images/dzjg.png", "party_gov_link": "https://bszs.conac.cn/x?id=1",
                       "sponsor": "某县人民政府办公室"})
    options.validate()
    present = SimpleNamespace(get_file_from_path=lambda path: object())
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(THEME_DIR), autoescape=True)
    env.filters["url"] = lambda url: "../" + url
    html = env.get_template("partials/gz-identity.html").render(gz_theme={"identity": identity(options, present)})
    mark = BeautifulSoup(html, "html.parser").select_one(".gz-identity__mark a")
    assert mark["href"] == "https://bszs.conac.cn/x?id=1"
    assert mark.img["src"] == "../images/dzjg.png" and mark.img["alt"] == "党政机关网站标识"

    missing = SimpleNamespace(get_file_from_path=lambda path: None)
    with caplog.at_level("WARNING"):
        who = identity(options, missing)
    assert who["party_gov_logo"] == "" and "party_gov_logo「images/dzjg.png」在 docs 目录中找不到" in caplog.text
    html = env.get_template("partials/gz-identity.html").render(gz_theme={"identity": who})
    assert "<img" not in html and "主办单位：某县人民政府办公室" in html

    # A link a browser would run as script is not a link; a file outside docs/ is never shown.
    options.load_dict({"party_gov_link": "java\tscript:alert(1)", "party_gov_logo": "../../etc/passwd"})
    options.validate()
    with caplog.at_level("WARNING"):
        who = identity(options, SimpleNamespace(get_file_from_path=lambda path: None))
    assert who["party_gov_link"] == "" and "不是 http 或 https 网址" in caplog.text
    assert who["party_gov_logo"] == ""
