"""The README and the editor's manual (manual/*.md) against the repository and the code.

- every relative link resolves to a file or folder of the repository, none leads outside it;
- every repository path written in `code` (e.g. `gazette/data/spam-terms.txt`) exists;
- every plugin option (gazette/build/config.py) is in the manual's options table with its type and default;
- every front-matter field (gazette/content/fields.py), with each Chinese alias, has a row in the
  content-format tables, marked required exactly when it is; so do the safety exemptions, the
  default columns, the validity values and the MkDocs keys passed through;
- the CI examples install exactly as the README says and cache no QR folder.
"""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

import pytest
import yaml

from gazette.build.config import GazetteConfig
from gazette.content import fields
from gazette.content.columns import DEFAULT_COLUMNS

ROOT = Path(__file__).resolve().parent.parent
MANUAL = ROOT / "manual"
DOCS = [ROOT / "README.md", ROOT / "CONTENT-SAFETY.md", *sorted(MANUAL.glob("*.md"))]
CI_EXAMPLES = sorted(p for p in (ROOT / "gazette" / "data" / "ci").iterdir() if p.suffix != ".sh")
OFFLINE_INSTALL = re.compile(r"pip install --no-index --find-links \S*wheelhouse/?\S* mkdocs-gazette")

_FENCE = re.compile(r"^(```|~~~).*?^\1[ \t]*$", re.M | re.S)
_LINK = re.compile(r"(?<!\\)\[[^\]]*\]\(([^)\s]+)(?:\s+\"[^\"]*\")?\)")
_CODE = re.compile(r"`([^`\n]+)`")
_PLACEHOLDER = re.compile(r"[<>*{}…|?=\s]|://")


def _prose(path: Path) -> str:
    """The Markdown text without fenced code blocks (their contents are examples, not references)."""
    return _FENCE.sub("", path.read_text(encoding="utf-8"))


def _tracked_top_level() -> set[str]:
    """First path segments of the repository's own files (gazette, docs, examples, README.md, …)."""
    try:
        out = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True).stdout
        names = {line.split("/", 1)[0] for line in out.splitlines() if line}
    except (OSError, subprocess.CalledProcessError):
        names = {n for n in os.listdir(ROOT)}
    return {n for n in names if not n.startswith(".")}


TOP = _tracked_top_level()


def _inside(path: Path) -> bool:
    try:
        path.resolve().relative_to(ROOT)
    except ValueError:
        return False
    return True


def _rel(path: Path) -> str:
    return path.relative_to(ROOT).as_posix()


def test_the_manual_exists_and_every_page_is_in_its_table_of_contents():
    index = (MANUAL / "index.md").read_text(encoding="utf-8")
    pages = sorted(p.name for p in MANUAL.glob("*.md") if p.name != "index.md")
    assert len(pages) >= 8
    for name in pages:
        assert f"]({name})" in index, f"manual/index.md does not link {name}"
        assert "](index.md)" in (MANUAL / name).read_text(encoding="utf-8"), f"manual/{name} has no link back"
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "](manual/index.md)" in readme


@pytest.mark.parametrize("doc", DOCS, ids=_rel)
def test_relative_links_exist_inside_the_repository(doc):
    bad = []
    for target in _LINK.findall(_prose(doc)):
        if re.match(r"^[a-z][a-z0-9+.-]*:", target, re.I) or target.startswith("#"):
            continue  # web addresses, mailto:, in-page anchors
        path = (doc.parent / target.split("#", 1)[0]).resolve()
        if not _inside(path):
            bad.append(f"{target}: leads outside the repository")
        elif not path.exists():
            bad.append(f"{target}: does not exist")
    assert not bad, f"{_rel(doc)}:\n  " + "\n  ".join(bad)


@pytest.mark.parametrize("doc", DOCS, ids=_rel)
def test_repository_paths_in_code_exist(doc):
    bad, checked = [], 0
    for span in _CODE.findall(_prose(doc)):
        span = re.sub(r":\d+(:.*)?$", "", span.strip())  # file:line: message
        if _PLACEHOLDER.search(span) or span.startswith(("/", ".", "-")):
            continue
        if span.split("/", 1)[0] not in TOP or span in TOP - {"docs"} and "/" not in span and "." not in span:
            continue  # not a repository path (or a bare command name such as `gazette`)
        checked += 1
        path = ROOT / span
        if not _inside(path) or not path.exists():
            bad.append(span)
    assert not bad, f"{_rel(doc)} names repository paths that do not exist: {bad}"
    if doc.name in ("README.md", "content-format.md", "publishing.md"):
        assert checked, "the path check found nothing to check: its pattern is broken"


@pytest.mark.parametrize("path", [*DOCS, *CI_EXAMPLES, ROOT / "gazette" / "data" / "ci" / "publish-release.sh"],
                         ids=_rel)
def test_nothing_points_at_folders_outside_the_repository(path):
    text = path.read_text(encoding="utf-8")
    for outside in ("../shared", "/work/", "shared/reference", "shared/seeds"):
        assert outside not in text, f"{_rel(path)} mentions {outside}"


@pytest.mark.parametrize("doc", DOCS, ids=_rel)
def test_tables_are_unbroken(doc):
    """A table row after a blank line starts a new "table" without a header: it renders as raw `|` text."""
    lines = _FENCE.sub(lambda m: "\n" * m.group().count("\n"), doc.read_text(encoding="utf-8")).splitlines()
    bad = []
    for n, line in enumerate(lines):
        starts = line.lstrip().startswith("|") and (n == 0 or not lines[n - 1].lstrip().startswith("|"))
        if starts:
            following = lines[n + 1].strip() if n + 1 < len(lines) else ""
            if not re.match(r"^\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?$", following):
                bad.append(n + 1)
            elif following.count("|") != line.strip().count("|") - line.count("\\|"):
                bad.append(n + 1)
    assert not bad, f"{_rel(doc)}: tables without a header row and separator start at lines {bad}"


# -- the manual against the code ------------------------------------------------------------


def _rows(page: str) -> list[list[str]]:
    """The cells of every table row of a manual page."""
    out = []
    for line in (MANUAL / page).read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if line.startswith("|") and not re.match(r"^\|[\s:|-]+\|$", line):
            cells = [c.strip() for c in re.split(r"(?<!\\)\|", line.strip("|"))]
            out.append(cells)
    return out


def _row_for(rows: list[list[str]], first: str) -> list[str] | None:
    return next((r for r in rows if r and r[0] == first), None)


_TYPE_WORDS = {bool: "是/否", int: "整数", str: "文字", list: "列表"}


def _default_shown(default) -> str | None:
    if isinstance(default, bool):
        return f"`{'true' if default else 'false'}`"
    if default == "":
        return '`""`'
    if isinstance(default, (int, str)):
        return f"`{default}`"
    if default == []:
        return "`[]`"
    return None  # a structure: described in words


def test_every_option_is_documented_with_its_type_and_default():
    rows = _rows("options.md")
    missing, wrong = [], []
    for name, option in GazetteConfig._schema:
        row = _row_for(rows, f"`{name}`")
        if row is None:
            missing.append(name)
            continue
        if type(option).__name__ == "Deprecated":
            assert len(row) == 2, f"{name}: a removed option belongs in the table of removed options"
            continue
        kind = getattr(option, "_type", None)
        if len(row) < 4 or row[1] != _TYPE_WORDS.get(kind, row[1]):
            wrong.append(f"{name}: type should read {_TYPE_WORDS.get(kind)}")
        shown = _default_shown(option.default)
        if shown is not None and len(row) >= 3 and row[2] != shown:
            wrong.append(f"{name}: default should read {shown}, the manual says {row[2]}")
    assert not missing, f"options missing from manual/options.md: {missing}"
    assert not wrong, "manual/options.md disagrees with gazette/build/config.py:\n  " + "\n  ".join(wrong)


SCHEMAS = {
    "issue": fields.ISSUE_FIELDS,
    "item": fields.ITEM_FIELDS,
    "consultation": fields.CONSULTATION_FIELDS,
    "attachment": fields.ATTACHMENT_FIELDS,
    "report": fields.REPORT_FIELDS,
}


@pytest.mark.parametrize("schema", SCHEMAS)
def test_every_field_and_alias_is_documented(schema):
    rows = _rows("content-format.md")
    problems = []
    for field in SCHEMAS[schema]:
        # A key shared by two schemas (title, published, year) has one row in each table.
        candidates = [r for r in rows if r and r[0] == f"`{field.key}`" and len(r) >= 3]
        good = [r for r in candidates if all(f"`{alias}`" in r[1] for alias in field.aliases)]
        if not good:
            problems.append(f"{field.key}: no row with its aliases {', '.join(field.aliases)}")
            continue
        marks = {r[2] for r in good}
        if field.required and "必填" not in marks:
            problems.append(f"{field.key}: required, but not marked 必填")
        if not field.required and marks == {"必填"}:
            problems.append(f"{field.key}: optional, but marked 必填")
    assert not problems, f"manual/content-format.md ({schema}):\n  " + "\n  ".join(problems)


def test_validity_values_and_passthrough_keys_are_documented():
    text = (MANUAL / "content-format.md").read_text(encoding="utf-8")
    for value in fields.VALIDITY:
        assert f"`{value}`" in text, value
    for key in sorted(fields.PASSTHROUGH):
        assert f"`{key}`" in text, key


def test_every_safety_exemption_is_documented():
    rows = _rows("content-safety.md")
    for code, (name, aliases) in fields.ALLOWABLE_CHECKS.items():
        # the table of exemptions: the code, then every other name that may be written for it
        assert any(r[0] == f"`{code}`" and all(f"`{a}`" in r[1] for a in (name, *aliases)) for r in rows if len(r) > 1), code


def test_every_default_column_is_documented():
    rows = _rows("columns.md")

    def walk(columns, parent=""):
        for col in columns:
            path = f"{parent}{col['key']}"
            row = next((r for r in rows if len(r) >= 3 and r[1] == f"`{col['key']}`"), None)
            assert row is not None, f"column {path} is not in manual/columns.md"
            assert row[0].strip("\u3000 ") == col["name"], f"column {path}: name {col['name']}, manual {row[0]}"
            assert f"disclosure/{path}/" in row[2], f"column {path}: folder"
            yield path
            yield from walk(col.get("children", []), path + "/")

    assert len(list(walk(DEFAULT_COLUMNS))) == sum(1 + len(c.get("children", [])) for c in DEFAULT_COLUMNS)


# -- the CI examples -----------------------------------------------------------------------------


def test_ci_examples_install_as_the_readme_says_and_cache_no_qr_folder():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert OFFLINE_INSTALL.search(readme), "the README no longer shows the offline install"
    names = {p.name for p in CI_EXAMPLES}
    assert {"gitlab-ci.yml", "gitee-go.yml", "Jenkinsfile", "github-actions.yml"} <= names
    for path in CI_EXAMPLES:
        text = path.read_text(encoding="utf-8")
        if path.suffix == ".yml":
            yaml.safe_load(text)  # parses
        code = "\n".join(line for line in text.splitlines() if not line.lstrip().startswith(("#", "//")))
        assert OFFLINE_INSTALL.search(code) or re.search(r'pip install --no-index --find-links "\$WHEELHOUSE" '
                                                        r"mkdocs-gazette", code), f"{path.name}: install"
        assert "pip install mkdocs-gazette" not in text, f"{path.name}: no index serves mkdocs-gazette"
        assert "gazette check" in code and "mkdocs build --strict" in code, path.name
        for stale in ("qr_cache", ".cache/gazette", "rsync -a --delete"):
            assert stale not in text, f"{path.name}: {stale}"
        if path.name != "github-actions.yml":  # GitHub Pages switches releases itself
            assert "publish-release.sh" in code, f"{path.name}: deploys without the atomic script"
    gitlab = (ROOT / "gazette" / "data" / "ci" / "gitlab-ci.yml").read_text(encoding="utf-8")
    config = yaml.safe_load(gitlab)
    assert config["check"]["artifacts"]["reports"]["codequality"] == "gl-code-quality-report.json"
    assert "--format gitlab > gl-code-quality-report.json" in gitlab
    assert "--format github" in (ROOT / "gazette" / "data" / "ci" / "github-actions.yml").read_text(encoding="utf-8")
