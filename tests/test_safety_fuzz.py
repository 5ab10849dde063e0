"""Fuzzing: whatever an editor (or an attacker) puts in a file, `gazette check` and `mkdocs build`
end in success or in clear Chinese messages naming file and line, never in a traceback."""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, event, given, settings, strategies as st

from conftest import make_project, run_gazette
from gazette.safety import rules as safety
from gazette.build.config import GazetteConfig
from gazette.content.columns import read_columns
from gazette.content.fields import ITEM_FIELDS, PASSTHROUGH
from gazette.content.records import Layout, load_site

CJK = re.compile(r"[\u4e00-\u9fff]")
KEYS = sorted({n for f in ITEM_FIELDS for n in f.names} | PASSTHROUGH | {"publised", "发布日起", "", " ", "0", "标 题"})

cjk = st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF)
punct = st.sampled_from(list("，。：、；（）《》〔〕【】“”　 \t-#*_[]()<>{}|`~\"':/\\&!?.%@=+0123456789aXx\n"))
text_cn = st.text(st.one_of(cjk, punct), max_size=80)
wild = st.text(st.characters(exclude_categories=("Cs",)), max_size=60)  # control characters included
huge = st.builds(lambda s, n: s * n, st.sampled_from(["字", "a", "1", "\n", "- ", "[", "{", "<b>"]), st.integers(500, 60_000))
numbers = st.from_regex(r"\A[1-9]\d{10,18}[Xx]?\Z") | st.from_regex(r"\A1[3-9]\d[- ]?\d{4}[- ]?\d{4}\Z")
scalar = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), st.dates(), st.datetimes(), text_cn, wild, huge, numbers)
value = st.recursive(scalar, lambda kids: st.lists(kids, max_size=4) | st.dictionaries(st.sampled_from(KEYS) | text_cn, kids, max_size=4),
                     max_leaves=25)


def _dump(mapping: dict) -> str:
    try:
        return yaml.safe_dump(mapping, allow_unicode=True, sort_keys=False)
    except yaml.YAMLError:
        return "title: 无法序列化\n"


deep = st.integers(20, 3000).map(lambda n: "x: " + "[" * n + "]" * n + "\n")
deep_map = st.integers(15, 400).map(lambda n: "".join("  " * i + f"k{i}:\n" for i in range(n)) + "  " * n + "v\n")
aliases = st.just("a: &x [1, 2]\nb: *x\n") | st.just("a: &x\n  - *x\n")
broken_yaml = st.lists(st.one_of(text_cn, wild, st.sampled_from(["title: '未闭合", "title: a: b", "\t- x", "? [", "title: \"\\q\"", "{", "- - -", "%YAML 9", "!!python/object:os.system x"])), max_size=6).map("\n".join)
front = st.one_of(
    st.dictionaries(st.sampled_from(KEYS) | text_cn, value, max_size=10).map(_dump),
    deep, deep_map, aliases, broken_yaml, wild,
)

targets = st.one_of(st.sampled_from(["other.md", "missing.md", "../index.md", "#x", "other.md#_1", "../../../../../etc/passwd",
                                     "javascript:alert(1)", "JAVA\tSCRIPT:x", "https://www.gov.cn/", "https://evil.example.com/",
                                     "//x.example.net", "mailto:a@b.gov.cn", "%E4%B8%AD.md", "a.pdf?x#y", "http://[::1", "http://%zz"]),
                    text_cn, wild)
fragment = st.one_of(
    text_cn, wild, numbers, huge,
    st.builds(lambda n, t: "#" * n + " " + t, st.integers(1, 7), text_cn),
    st.builds(lambda t, u: f"[{t}]({u})", text_cn, targets),
    st.builds(lambda t, u: f"[{t}]: {u}", text_cn, targets),
    st.builds(lambda tag, a, v, t: f"<{tag} {a}=\"{v}\">{t}</{tag}>", st.sampled_from(["span", "div", "a", "img", "script", "iframe", "p", "x-y"]),
              st.sampled_from(["style", "href", "src", "onclick", "hidden", "id", "srcset", "data"]), wild, text_cn),
    st.sampled_from(["```", "~~~", "`", "<", ">" * 60, "- " * 40 + "x", "    " * 30 + "x", "{: style=\"display:none\" }", "<!--", "]: ", "](", "|a|b|\n|-|-|\n|1|2|"]),
)
body = st.lists(fragment, max_size=12).map("\n".join)

BASE = {"title": "标题", "issuer": "江临市人民政府", "published": dt.date(2023, 5, 10), "column": "市政府文件"}
# a valid item with a few fields replaced or added: exercises every field reader and check
near_valid = st.dictionaries(st.sampled_from(KEYS), value, max_size=3).map(lambda changes: _dump({**BASE, **changes}))
bodyfile = st.one_of(
    st.builds(lambda f, b: f"---\n{f}---\n{b}", near_valid, body),
    st.builds(lambda f, b: f"---\n{f}---\n{b}", near_valid, body),
    st.builds(lambda f, b: f"---\n{f}---\n{b}", front, body),
    st.builds(lambda f, b: f"---\n{f}\n---\n{b}", wild, body),
    st.builds(lambda b: b, body),  # no front matter at all
)
VALID = "---\ntitle: 标题\nissuer: 江临市人民政府\npublished: 2023-05-10\ncolumn: 市政府文件\n---\n"
as_bytes = st.one_of(
    bodyfile.map(lambda s: s.encode("utf-8", "surrogatepass")),
    bodyfile.map(lambda s: b"\xef\xbb\xbf" + s.encode("utf-8", "surrogatepass")),
    bodyfile.map(lambda s: s.encode("gb18030", "replace")),
    bodyfile.map(lambda s: s.encode("utf-16")),
    st.binary(max_size=3000),
    st.builds(lambda b, junk: (VALID + b).encode("utf-8", "surrogatepass") + junk, body, st.binary(max_size=40)),
    st.builds(lambda b: (VALID + b).encode("utf-8", "surrogatepass"), body),
)

ISSUE = "---\npublished: 2023-05-25\n---\n"
ITEM = "gazette/2023/05/fuzz-item.md"


@pytest.fixture(scope="module")
def docs():
    root = Path(tempfile.mkdtemp(prefix="safety-fuzz-"))
    (root / "gazette/2023/05").mkdir(parents=True)
    (root / "gazette/2023/05/index.md").write_text(ISSUE, encoding="utf-8")
    (root / "gazette/2023/05/other.md").write_text(VALID + "## 一、总则\n", encoding="utf-8")
    (root / "disclosure/rules").mkdir(parents=True)
    yield root
    shutil.rmtree(root, ignore_errors=True)


def _check(docs: Path):
    cfg = GazetteConfig()
    cfg.load_dict({})
    cfg.validate()
    layout = Layout(cfg.gazette_dir, cfg.disclosure_dir, tuple(read_columns(cfg.columns, [])))
    checker = safety.make_checker(cfg, str(docs), "docs", layout, site_url="https://gk.example.gov.cn/", toc=None)
    return load_site(str(docs), "docs", layout, checks=[checker])


def _clear(diagnostics, lines: int) -> None:
    for d in diagnostics:
        assert d.path.startswith("docs/") and d.path.endswith(".md"), d
        assert 1 <= d.line <= lines + 1, (d, lines)
        assert CJK.search(d.message), d
        assert "Traceback" not in d.message and "object at 0x" not in d.message, d


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                                                  HealthCheck.data_too_large, HealthCheck.large_base_example])
@given(data=as_bytes, where=st.sampled_from([ITEM, "disclosure/rules/fuzz-item.md"]))
def test_check_never_raises(docs, data, where):
    path = docs / where
    path.write_bytes(data)
    try:
        records, report = _check(docs)
    finally:
        path.unlink()
    _clear(report.items, data.count(b"\n") + 1)
    fuzz = [i for i in records.items if i.slug == "fuzz-item"]
    event("accepted" if fuzz else "refused")
    for d in report.items:
        event(f"code {d.code}")
    if not fuzz:
        assert [d for d in report.items if d.path.endswith(where)], "a refused file must say why"


@settings(max_examples=2, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                                                HealthCheck.data_too_large, HealthCheck.large_base_example])
@given(files=st.lists(as_bytes, min_size=12, max_size=12), bodies=st.lists(body, min_size=6, max_size=6))
def test_real_build_and_check_never_trace_back(tmp_path_factory, files, bodies):
    """Through the real commands: a dozen fuzzed files (refused with messages), then only the
    fuzzed bodies of valid items (so that rendering is exercised too)."""
    base = tmp_path_factory.mktemp("fuzzbuild")
    content = {"gazette/2023/05/index.md": ISSUE, "gazette/2023/05/other.md": VALID + "## 一、总则\n"}
    content.update({f"gazette/2023/05/fuzz-{i}.md": data for i, data in enumerate(files)})
    project = make_project(base, content)
    check = run_gazette("check", cwd=project)
    assert check.returncode in (0, 1) and "Traceback" not in check.stdout + check.stderr, check.stderr
    build = subprocess.run([sys.executable, "-m", "mkdocs", "build", "-q"], cwd=project, capture_output=True, text=True,
                           timeout=600, env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})
    assert "Traceback" not in build.stdout + build.stderr, build.stderr
    assert (build.returncode == 0) == (check.returncode == 0), (build.stderr, check.stdout)

    shutil.rmtree(project / "docs/gazette/2023/05")
    (project / "docs/gazette/2023/05").mkdir()
    (project / "docs/gazette/2023/05/index.md").write_text(ISSUE, encoding="utf-8")
    for i, b in enumerate(bodies):
        (project / f"docs/gazette/2023/05/body-{i}.md").write_bytes((VALID + b).encode("utf-8", "surrogatepass"))
    check = run_gazette("check", "--format", "json", cwd=project)
    assert "Traceback" not in check.stdout + check.stderr
    build = subprocess.run([sys.executable, "-m", "mkdocs", "build", "-q"], cwd=project, capture_output=True, text=True,
                           timeout=600, env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})
    assert "Traceback" not in build.stdout + build.stderr, build.stderr
    if check.returncode == 0:
        assert build.returncode == 0, build.stderr
        assert (project / "site/gazette/2023/05/body-0/index.html").is_file()


heading_text = st.text(st.one_of(cjk, st.sampled_from(list("abcXYZ019 、，-_.:*`"))), min_size=1, max_size=20)


@settings(max_examples=200, deadline=None)
@given(st.lists(heading_text, min_size=1, max_size=8))
def test_anchor_ids_from_source_equal_those_python_markdown_renders(headings):
    """The ids the broken-anchor check accepts must be the ones MkDocs emits."""
    import markdown

    body = "\n\n".join(f"## {h}" for h in headings) + "\n"
    md = markdown.Markdown(extensions=["toc", "fenced_code", "attr_list"])
    md.convert(body)

    def walk(tokens):
        for t in tokens:
            yield t["id"]
            yield from walk(t["children"])

    assert safety.heading_ids(body) == set(walk(md.toc_tokens))
