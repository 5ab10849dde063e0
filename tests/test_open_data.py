"""Open data (gazette/opendata/): what a program reading the site's JSON finds.

- every JSON file of the sample site is valid against its schema, and the schemas are valid 2020-12 schemas;
- every document page has its JSON beside it, with the front matter's values and the body's text;
- the lists are paged at the size, and each dimension holds every document exactly once;
- the entry point's counts and addresses match the lists;
- the front-matter schemas accept every item and issue of docs/ and refuse wrong values;
- the files' bytes depend only on the content (written again in this process: the same bytes);
- `open_data: false` writes nothing and links nothing.
"""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
import yaml

from conftest import MINIMAL_CONFIG, ROOT, make_project, run_mkdocs
from gazette.content import fields
from gazette.content.records import default_id
from gazette.model.catalog import url_for
from gazette.opendata import documents, lists
from gazette.opendata.feature import SCHEMA_DIR, SCHEMAS

DOCS = ROOT / "docs"
DATA = "data"
PAGE_SIZE = 20  # open_data_page_size of the sample site (mkdocs.yml)


def _schema(name: str) -> dict:
    return json.loads((Path(SCHEMA_DIR) / f"{name}.schema.json").read_text(encoding="utf-8"))


def _validator(name: str) -> jsonschema.Draft202012Validator:
    return jsonschema.Draft202012Validator(_schema(name), format_checker=jsonschema.FormatChecker())


class _TextDates(yaml.SafeLoader):
    """YAML as an editor's tool reads it (YAML 1.2): 2025-06-12 is a string, not a date."""


_TextDates.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def _front_matter(path: Path) -> dict:
    text = path.read_text(encoding="utf-8")
    return yaml.load(text.split("---\n", 2)[1], Loader=_TextDates)


def _content_files() -> tuple[list[Path], list[Path]]:
    """(items, issues) of the sample site: issue folders' index.md are issues, other index.md are intros."""
    items, issues = [], []
    for path in sorted((DOCS / "gazette").rglob("*.md")) + sorted((DOCS / "disclosure").rglob("*.md")):
        if path.name != "index.md":
            items.append(path)
        elif path.parent.parent.parent.name == "gazette":
            issues.append(path)
    return items, issues


ITEMS, ISSUES = _content_files()


def _values(front: dict, specs) -> dict:
    """The front matter by English field name, whichever name the editor wrote."""
    return {spec.key: front[name] for spec in specs for name in spec.names if name in front}


def _read(site: Path, path: str) -> dict:
    return json.loads((site / path).read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def start(sample_site) -> dict:
    return _read(sample_site, f"{DATA}/index.json")


def test_every_json_file_is_valid_against_its_schema(sample_site, start):
    for name, _what in SCHEMAS:
        jsonschema.Draft202012Validator.check_schema(_schema(name))
    _validator("catalog").validate(start)
    list_files = sorted((sample_site / DATA).glob("*/**/*.json"))
    list_files = [p for p in list_files if "schema" not in p.relative_to(sample_site / DATA).parts]
    assert list_files
    check_list = _validator("list")
    for path in list_files:
        check_list.validate(json.loads(path.read_text(encoding="utf-8")))
    check_document = _validator("document")
    generated = (sample_site / DATA, sample_site / "search-index")
    documents_found = sorted(p for p in sample_site.rglob("index.json")
                             if not any(p.is_relative_to(folder) for folder in generated))
    assert len(documents_found) == len(ITEMS) == start["documents"]
    for path in documents_found:
        check_document.validate(json.loads(path.read_text(encoding="utf-8")))
    for name, _what in SCHEMAS:  # published with the site, as shipped in the package
        published = sample_site / DATA / "schema" / f"{name}.schema.json"
        assert published.read_bytes() == (Path(SCHEMA_DIR) / f"{name}.schema.json").read_bytes()


@pytest.mark.parametrize("path", ITEMS, ids=lambda p: p.relative_to(DOCS).as_posix())
def test_every_document_has_its_json_with_the_values_of_its_front_matter(sample_site, path):
    src = path.relative_to(DOCS).as_posix()
    front = _values(_front_matter(path), fields.ITEM_FIELDS)
    page = url_for(src)
    assert (sample_site / page / "index.html").is_file()
    data = _read(sample_site, documents.json_path(page))
    assert data["id"] == front.get("id", default_id(src))
    for key in ("title", "issuer", "doc_number", "index_no", "subject", "genre", "validity", "summary"):
        assert data[key] == (str(front[key]).strip() if key in front else None), key
    for key in ("published", "written"):  # ISO, however the editor wrote it (2023年5月16日)
        assert data[key] == (fields.read_date(front[key], key).isoformat() if key in front else None), key
    assert data["kind"] == ("gazette" if src.startswith("gazette/") else "disclosure")
    assert data["path"] == page and data["json"] == documents.json_path(page)
    assert data["url"] == "https://gk.jianglin.example.gov.cn/" + page
    assert data["short_url"].startswith("https://gk.jianglin.example.gov.cn/s/")
    interprets = [r["id"] for r in data["relations"]["interprets"]]
    assert interprets == ([front["interprets"]] if "interprets" in front else [])
    amends = front.get("amends", [])
    assert [r["id"] for r in data["relations"]["amends"]] == ([amends] if isinstance(amends, str) else amends)
    assert [a["title"] for a in data["attachments"]] == [a.get("title", a.get("标题"))
                                                         for a in front.get("attachments", [])]
    # The body's plain text: the page's words, without its markup.
    assert data["text"] and "<" not in data["text"].replace("<=", "")
    if data["issue"] is not None:
        assert src.startswith(f"gazette/{data['issue']['year']}/{data['issue']['number']:02d}/")
    for reference in [r for group in data["relations"].values() for r in group]:
        assert (sample_site / reference["json"]).is_file()


def _pages_of(site: Path, group: dict) -> list[dict]:
    return [_read(site, path) for path in group["lists"]]


def test_lists_are_paged_and_each_dimension_holds_every_document_once(sample_site, start):
    assert start["page_size"] == PAGE_SIZE
    all_ids = {_read(sample_site, documents.json_path(url_for(p.relative_to(DOCS).as_posix())))["id"]: p
               for p in ITEMS}
    gazette_ids = {i for i, p in all_ids.items() if p.is_relative_to(DOCS / "gazette")}
    listed_in_columns = {i for i, p in all_ids.items()
                         if p.is_relative_to(DOCS / "disclosure") or "disclosure_column" in _front_matter(p)
                         or "公开栏目" in _front_matter(p)}
    paged = False
    for dimension, expected in (("years", all_ids), ("issues", gazette_ids), ("issuers", all_ids),
                                ("columns", listed_in_columns)):
        seen = []
        for group in start[dimension]:
            pages = _pages_of(sample_site, group)
            for n, page in enumerate(pages, 1):
                full = n < len(pages)
                assert len(page["items"]) == PAGE_SIZE if full else 1 <= len(page["items"]) <= PAGE_SIZE
                paged |= len(pages) > 1
                seen.extend(entry["id"] for entry in page["items"])
                for entry in page["items"]:
                    assert (sample_site / entry["json"]).is_file() and (sample_site / entry["path"]).is_dir()
        assert sorted(seen) == sorted(expected), dimension
    assert paged, "the sample site should show a list of more than one page"


def test_the_entry_point_counts_and_addresses_match_the_lists(sample_site, start):
    assert start["documents"] == len(ITEMS)
    assert start["site_url"] == "https://gk.jianglin.example.gov.cn/"
    for path in start["schemas"].values():
        assert (sample_site / path).is_file()
    for dimension, _plural in lists.DIMENSIONS:
        groups = start[_plural]
        assert groups and len({g["key"] for g in groups}) == len(groups)
        for group in groups:
            pages = _pages_of(sample_site, group)
            expected = [f"{DATA}/{dimension}/{group['key']}/{n}.json" for n in range(1, len(pages) + 1)]
            assert group["lists"] == expected
            assert sum(len(p["items"]) for p in pages) == group["count"]
            for n, page in enumerate(pages, 1):
                assert (page["dimension"], page["key"]) == (dimension, group["key"])
                assert page["name"] == group["name"]
                assert (page["page"], page["pages"], page["total"]) == (n, len(pages), group["count"])
                assert page["prev"] == (group["lists"][n - 2] if n > 1 else None)
                assert page["next"] == (group["lists"][n] if n < len(pages) else None)
    assert [g["key"] for g in start["years"]] == sorted((g["key"] for g in start["years"]), reverse=True)
    # The 开放数据 page is linked from the home page and shows the files, escaped.
    home = (sample_site / "index.html").read_text(encoding="utf-8")
    assert 'href="data/">开放数据</a>' in home
    page = (sample_site / DATA / "index.html").read_text(encoding="utf-8")
    assert "&#34;documents&#34;: 71" in page and f'href="schema/document.schema.json"' in page


def test_the_front_matter_schemas_accept_the_sample_and_refuse_mistakes():
    check_item, check_issue = _validator("item-front-matter"), _validator("issue-front-matter")
    for path in ITEMS:
        check_item.validate(_front_matter(path))
    for path in ISSUES:
        check_issue.validate(_front_matter(path))
    good = _front_matter(DOCS / "gazette" / "2025" / "06" / "jff-2025-11.md")
    for wrong in ({"published": "2025/06/05"}, {"published": "2025-13-01"}, {"written": "2025年6月32日"},
                  {"validity": "部分有效"}, {"标题": "两次写的标题"}, {"id": "Has Capitals"}, {"作者": "某人"},
                  {"attachments": [{"标题": "附件1"}]}, {"amends": []}):
        assert not check_item.is_valid({**good, **wrong}), wrong
    chinese = {"published": "发布日期", "validity": "有效性"}
    renamed = {chinese.get(k, k): v for k, v in good.items()}
    assert check_item.is_valid({**renamed, "有效性": "废止", "written": None})  # an empty optional field
    assert not check_item.is_valid({**renamed, "validity": "有效"})  # one field written both ways
    issue = _front_matter(ISSUES[0])
    assert not check_issue.is_valid({**issue, "published": "30 June 2025"})
    assert not check_issue.is_valid({k: v for k, v in issue.items() if k != "published"})


def test_the_front_matter_schemas_are_those_the_tool_writes_from_the_fields():
    from tools.make_front_matter_schemas import dumps, schemas

    for name, schema in schemas().items():
        assert (Path(SCHEMA_DIR) / name).read_text(encoding="utf-8") == dumps(schema), (
            f"{name} differs from fields.py: run python tools/make_front_matter_schemas.py")
    names = set(_schema("item-front-matter")["properties"])
    assert names == {n for spec in fields.ITEM_FIELDS for n in spec.names} | fields.PASSTHROUGH


def test_the_files_depend_only_on_the_content(sample_site, start):
    """The lists and entry point written again here (another process, another hash seed): the same bytes."""
    from gazette.build.config import GazetteConfig
    from gazette.content.columns import read_columns
    from gazette.content.records import Layout
    from gazette.model import catalog as catalog_mod
    from gazette.safety.bodycheck import prepare_markdown
    from gazette.validation import Site, check_site

    cfg = GazetteConfig()
    cfg.load_dict({"gazette_name": "江临政报"})
    cfg.validate()
    columns = read_columns(cfg.columns, [])
    layout = Layout(cfg.gazette_dir, cfg.disclosure_dir, tuple(columns))
    markdown = prepare_markdown(["toc", "tables"], {})
    site = Site(cfg, str(DOCS), "docs", layout, start["site_url"], {}, markdown)
    records, report, _checker = check_site(site, bodies="never")
    assert not report.errors
    catalog = catalog_mod.build(records, gazette_name=cfg.gazette_name, gazette_dir=cfg.gazette_dir,
                                disclosure_dir=cfg.disclosure_dir, browse_dir=cfg.browse_dir, columns=columns)
    options = {"data_dir": DATA, "size": PAGE_SIZE, "site_url": start["site_url"],
               "site_name": start["site_name"]}
    written = list(lists.catalog_files(catalog, **options))
    assert written == list(lists.catalog_files(catalog, **options))
    for path, data in written:
        assert (sample_site / path).read_bytes() == data, path
    for item in catalog.items:  # a document's file: its catalog values and its text, nothing else
        path = sample_site / documents.json_path(item.url)
        built = json.loads(path.read_text(encoding="utf-8"))
        again = documents.document(item, built["text"], catalog, DATA, start["site_url"], built["short_url"])
        assert documents.dumps(again) == path.read_bytes()


def test_open_data_off_writes_nothing(tmp_path):
    config = MINIMAL_CONFIG + "      open_data: false\n      qr: false\n      search: false\n"
    project = make_project(tmp_path, {
        "gazette/2025/01/index.md": "---\npublished: 2025-01-10\n---\n",
        "gazette/2025/01/jff-2025-1.md": """\
            ---
            title: 测试通知
            issuer: 测试市人民政府
            published: 2025-01-08
            column: 市政府文件
            ---
            正文。
            """,
        "data/readme.md": "# 本单位自己的数据说明\n",  # the address is the editor's again
    }, config)
    result = run_mkdocs(project)
    assert result.ok, result.output
    assert not list(result.site.rglob("*.json"))
    assert (result.site / "data" / "readme" / "index.html").is_file()
    assert "开放数据" not in (result.site / "index.html").read_text(encoding="utf-8")
