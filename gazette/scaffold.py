"""`gazette new`: a working site in an empty folder, and new issue and item files.

The site's files are kept as files under data/new-site/ (with `$name` placeholders) so
an office can read what it gets; the example issue and item are written by the same
functions as `gazette new issue` and `gazette new item`, so they always validate.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import string
from pathlib import Path

import yaml

from gazette import DATA_DIR, clock
from gazette.content import docnumber, frontmatter, slugs
from gazette.content.fields import SLUG_RE
from gazette.content.records import BODY_PLACEHOLDER
from gazette.diagnostics import Report

SITE_DIR = Path(DATA_DIR) / "new-site"
CI_DIR = Path(DATA_DIR) / "ci"
CI_FILES = {  # platform: (file in data/ci, where the platform looks for it)
    "github": ("github-actions.yml", ".github/workflows/gazette.yml"),
    "gitlab": ("gitlab-ci.yml", ".gitlab-ci.yml"),
    "gitee": ("gitee-go.yml", ".workflow/gazette.yml"),
    "jenkins": ("Jenkinsfile", "Jenkinsfile"),
}
DEPLOY_SCRIPT = "publish-release.sh"


class ScaffoldError(Exception):
    """What stops `gazette new`, in Chinese."""


class _Dumper(yaml.SafeDumper):
    def ignore_aliases(self, data) -> bool:  # the content format refuses anchors (& and *)
        return True


_BLANK = "gz-blank-to-fill"


def front_matter(values: dict, blank: tuple[str, ...] = ()) -> str:
    """A front matter block as the content format reads it: keys in the given order, no anchors.

    Keys in `blank` without a value are written bare (`issuer:`) for the editor to fill: a required one
    stays an error of `gazette check` until filled, where a placeholder text would have been published."""
    kept = {k: (_BLANK if k in blank and v in (None, "") else v) for k, v in values.items()
            if v not in (None, "") or k in blank}
    body = yaml.dump(kept, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=1000)
    return "---\n" + body.replace(f": {_BLANK}\n", ":\n") + "---\n"


def _write(path: Path, text: str) -> Path:
    if path.exists():
        raise ScaffoldError(f"{path} 已经存在，没有改动它")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def issue_folder(docs_dir: Path, gazette_dir: str, year: int, number: int) -> Path:
    if not 1949 <= year <= clock.build_day().year + 1:
        raise ScaffoldError(f"年份 {year} 不在 1949 年到明年之间")
    if not 1 <= number <= 99:
        raise ScaffoldError(f"期号 {number} 应在 1 到 99 之间")
    return docs_dir / gazette_dir / str(year) / f"{number:02d}"


def level_columns(site_name: str) -> list[str]:
    """An issue's TOC groups for an office of this level: 县政府文件 for a county, 市政府文件 for a city …"""
    head = site_name.split("人民政府")[0]
    level = next((c for c in reversed(head) if c in "省市州盟县区旗"), "")
    return [f"{level}政府文件", f"{level}政府办公室文件", "部门文件", "人事任免"]


def _last_columns(docs_dir: Path, gazette_dir: str) -> list[str] | None:
    """The columns of the newest issue already written: a new issue starts from the same list."""
    for index in sorted((docs_dir / gazette_dir).glob("*/*/index.md"), reverse=True):
        columns = _issue_value(index, ("columns", "栏目顺序"))
        if isinstance(columns, list) and columns:
            return [str(c) for c in columns]
    return None


def new_issue(docs_dir: Path, gazette_dir: str, year: int, number: int, *, published: dt.date | None = None,
              serial: int | None = None, columns: list[str] | None = None, site_name: str = "") -> Path:
    folder = issue_folder(docs_dir, gazette_dir, year, number)
    if (folder / "index.md").exists():  # said first: no advice on --published for an issue that is already there
        raise ScaffoldError(f"{folder / 'index.md'} 已经存在，没有改动它")
    if published is None and year != clock.build_day().year:
        raise ScaffoldError(f"{year} 年的一期不能以今天为出版日期，请用 --published 给出，例如 --published {year}-06-30")
    if published is not None and published.year != year:  # `gazette check` would refuse the file it wrote
        raise ScaffoldError(f"出版日期 {published} 不在 {year} 年：{year} 年的一期只能在 {year} 年出版，"
                            f"请核对年份或 --published")
    # The first issue of a site (its example deleted, as the manual says) still gets the office's level.
    columns = columns or _last_columns(docs_dir, gazette_dir) or level_columns(site_name)
    values = {"published": published or clock.build_day(), "serial": serial, "columns": columns}
    return _write(folder / "index.md", front_matter(values) + "\n")


def new_item(docs_dir: Path, gazette_dir: str, year: int, number: int, name: str | None, *, title: str,
             doc_number: str | None = None, issuer: str | None = None, genre: str | None = None,
             column: str | None = None, published: dt.date | None = None, body: str | None = None,
             site_name: str = "") -> Path:
    folder = issue_folder(docs_dir, gazette_dir, year, number)
    if not (folder / "index.md").exists():
        raise ScaffoldError(f"{folder} 中还没有这一期的 index.md，请先运行 gazette new issue {year} {number}")
    doc = None
    if doc_number:
        try:
            doc = docnumber.parse(doc_number)
        except docnumber.DocNumberError as exc:
            raise ScaffoldError(str(exc)) from None
    if not name:
        if doc is None:
            raise ScaffoldError("请给出文件名（小写英文字母、数字和“-”），或用 --doc-number 给出文号，由文号生成文件名")
        name = slugs.suggest(title, doc)
    stem = name[:-3] if name.endswith(".md") else name
    if not SLUG_RE.match(stem):
        raise ScaffoldError(f"文件名「{name}」只能用小写英文字母、数字和“-”，例如「{slugs.suggest(stem, doc)}」")
    day = published or _issue_day(folder / "index.md") or clock.build_day()
    # No guessed 成文日期 and no placeholder 发布机构: either would pass `gazette check` and be published.
    values = {"title": title, "issuer": issuer, "published": day, "written": None,
              "doc_number": doc.text if doc else None, "genre": genre,
              "column": column or (_last_columns(docs_dir, gazette_dir) or level_columns(site_name))[0]}
    text = body or BODY_PLACEHOLDER + "\n"
    return _write(folder / f"{stem}.md", front_matter(values, blank=("issuer", "written")) + "\n" + text)


def _issue_value(index: Path, keys: tuple[str, ...]):
    """The value an issue's index.md gives under one of `keys` (a key or its alias), or None."""
    source = frontmatter.read(str(index), str(index), Report())
    return next((e.value for e in (source.entries if source else ()) if e.key in keys), None)


def _issue_day(index: Path) -> dt.date | None:
    """The issue's own date: an item made for an older issue is dated with it, not today."""
    day = _issue_value(index, ("published", "出版日期"))
    return day if isinstance(day, dt.date) else None


def new_site(target: Path, *, site_name: str, site_url: str, gazette_name: str, ci: str | None) -> list[Path]:
    """Copy data/new-site into `target` (which must hold no files yet) and add the example issue."""
    if target.exists() and any(target.iterdir()):
        raise ScaffoldError(f"{target} 不是空文件夹；gazette new 只在空文件夹中新建站点")
    if not site_url.startswith(("https://", "http://")):
        raise ScaffoldError(f"网站地址「{site_url}」应以 https:// 开头，例如 https://gb.example.gov.cn/")
    fill = {"site_name": site_name, "site_url": site_url.rstrip("/") + "/", "gazette_name": gazette_name,
            "site_description": f"{site_name}：政府公报与政府信息公开专栏", "copyright": f"主办：{site_name}"}
    # In YAML every value is a quoted string (JSON's is YAML's): a name with ": " or a quote stays a name.
    yaml_fill = {key: json.dumps(value, ensure_ascii=False) for key, value in fill.items()}
    written = []
    for source in sorted(SITE_DIR.rglob("*")):
        if source.is_file():
            rel = source.relative_to(SITE_DIR)
            rel = Path(".gitignore") if rel.name == "gitignore.txt" else rel
            values = yaml_fill if source.suffix == ".yml" else fill
            text = string.Template(source.read_text(encoding="utf-8")).safe_substitute(values)
            written.append(_write(target / rel, text))
    docs = target / "docs"
    today = clock.build_day()
    written.append(new_issue(docs, "gazette", today.year, 1, published=today, columns=level_columns(site_name)))
    written.append(new_item(
        docs, "gazette", today.year, 1, "example-notice", title="关于启用政府公报网站的通知（示例）",
        issuer=site_name, genre="通知", published=today,
        body="这是一篇示例文章，用来说明文件的写法。请把它改成真实的文件，或删除它。\n",
    ))
    if ci:
        source, dest = CI_FILES[ci]
        written.append(_write(target / dest, (CI_DIR / source).read_text(encoding="utf-8")))
        script = _write(target / DEPLOY_SCRIPT, (CI_DIR / DEPLOY_SCRIPT).read_text(encoding="utf-8"))
        os.chmod(script, 0o755)
        written.append(script)
    return written
