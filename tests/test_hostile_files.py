"""Hostile or broken input never leaks, crashes or unpublishes: symlinks out of docs/, a swap without
renameat2 killed at any step, dates out of range, full or read-only disks, pathological Markdown,
files on generated addresses, and the build day in the site's time zone."""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import textwrap
import time
from pathlib import Path

import pytest

from conftest import MINIMAL_CONFIG, make_project, run_gazette, run_mkdocs
from gazette import clock
from gazette.build import publish
from gazette.content.records import body_problem
from test_safety_publish import GOOD, ISSUE, ITEM, tree

ROOT = Path(__file__).resolve().parent.parent


_PUBLISHED: dict[str, Path] = {}  # config → a built copy: most tests start from the same published site


def published_project(tmp_path, files=None, config=MINIMAL_CONFIG, env=None):
    """A small site already built once; each test gets its own copy of project and site."""
    plain = files is None and env is None
    if plain and config in _PUBLISHED:
        project = tmp_path / "project"
        shutil.copytree(_PUBLISHED[config], project, symlinks=True)
        return project, tree(project / "site")
    project = make_project(tmp_path, {**ISSUE, ITEM: GOOD, **(files or {})}, config)
    result = run_mkdocs(project, env=env)
    assert result.ok, result.output
    if plain:
        _PUBLISHED[config] = tmp_path.parent / f"published-{len(_PUBLISHED)}-{os.getpid()}"
        shutil.copytree(project, _PUBLISHED[config], symlinks=True)
    return project, tree(project / "site")


def check(project: Path) -> tuple[int, str]:
    proc = run_gazette("check", "-f", str(project / "mkdocs.yml"), cwd=project)
    return proc.returncode, proc.stdout + proc.stderr


# -- A. symlinks out of docs/ ---------------------------------------------------------------

def test_symlinks_out_of_docs_are_refused_never_copied(tmp_path):
    project, before = published_project(tmp_path)
    docs = project / "docs"
    secret_dir = tmp_path / "outside"
    secret_dir.mkdir()
    (secret_dir / "secret.txt").write_text("TOP-SECRET-TOKEN", encoding="utf-8")
    (docs / "gazette/2023/05/env.pdf").symlink_to("/proc/self/environ")
    (docs / "leak").symlink_to(secret_dir, target_is_directory=True)
    (docs / "gone.md").symlink_to(tmp_path / "nowhere.md")
    (docs / "inside.md").symlink_to(docs / "index.md")  # stays inside docs/: allowed
    result = run_mkdocs(project)
    assert not result.ok
    assert "Traceback" not in result.output
    assert re.search(r"docs/gazette/2023/05/env\.pdf:1: .*是指向 docs 目录之外的符号链接", result.output)
    assert re.search(r"docs/leak:1: .*是指向 docs 目录之外的符号链接", result.output)
    assert re.search(r"docs/gone\.md:1: .*符号链接", result.output)
    assert "inside.md:1" not in result.output
    assert tree(project / "site") == before
    leaked = [p for p in project.rglob("*") if p.is_file() and not p.is_symlink()
              and b"TOP-SECRET-TOKEN" in p.read_bytes()]
    assert leaked == [] and not list(project.glob(".site-*"))

    code, out = check(project)
    assert code == 1 and "Traceback" not in out
    for path in ("docs/gazette/2023/05/env.pdf:1:", "docs/leak:1:", "docs/gone.md:1:"):
        assert path in out


def test_symlink_inside_docs_is_published(tmp_path):
    project = make_project(tmp_path, {**ISSUE, ITEM: GOOD, "files/a.pdf": b"%PDF-1.4\n"})
    (project / "docs/gazette/2023/05/a.pdf").symlink_to("../../../files/a.pdf")
    (project / "docs/gazette/2023/05/index.md").write_text("---\npublished: 2023-05-25\npdf: a.pdf\n---\n", encoding="utf-8")
    result = run_mkdocs(project)
    assert result.ok, result.output
    assert (project / "site/gazette/2023/05/a.pdf").read_bytes() == b"%PDF-1.4\n"


def test_pdf_and_attachment_must_resolve_inside_docs(tmp_path):
    outside = tmp_path / "secret.pdf"
    outside.write_bytes(b"%PDF secret")
    item = GOOD.replace("column: 市政府文件\n", "column: 市政府文件\nattachments:\n  - title: 附件\n    file: att.pdf\n")
    project = make_project(tmp_path, {"gazette/2023/05/index.md": "---\npublished: 2023-05-25\npdf: p.pdf\n---\n", ITEM: item})
    (project / "docs/gazette/2023/05/p.pdf").symlink_to(outside)
    (project / "docs/gazette/2023/05/att.pdf").symlink_to(outside)
    code, out = check(project)
    assert code == 1
    assert re.search(r"docs/gazette/2023/05/index\.md:3: PDF的文件「p\.pdf」是指向 docs 目录之外的符号链接", out), out
    assert re.search(r"docs/gazette/2023/05/jfbf-2023-12\.md:\d+: 附件「附件」的文件「att\.pdf」是指向 docs 目录之外", out), out


# -- B. the swap without renameat2 ------------------------------------------------------------

def _site(path: Path, version: str) -> None:
    staged = publish.StagedSite(str(path))
    folder = Path(staged.begin())
    (folder / "index.html").write_text(version, encoding="utf-8")
    (folder / "sub").mkdir()
    (folder / "sub/page.html").write_text(version * 3, encoding="utf-8")
    staged.commit()


def _content(path: Path) -> dict:
    return tree(path) if path.is_dir() else {}


_STEPS = ("rename", "replace", "symlink", "makedirs", "remove")


def _killed_publish(site: Path, version: str, kill_at: int, after: bool) -> bool:
    """Publish `version` in a forked child killed (os._exit) at its `kill_at`-th file-system step,
    before or after the step ran. True if the child finished without reaching that step."""
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child
        try:
            count = [0]

            def wrap(name, fn):
                def step(*args, **kwargs):
                    count[0] += 1
                    if count[0] == kill_at and not after:
                        os._exit(9)
                    result = fn(*args, **kwargs)
                    if count[0] == kill_at and after:
                        os._exit(9)
                    return result
                return step

            staged = publish.StagedSite(str(site))
            folder = Path(staged.begin())
            (folder / "index.html").write_text(version, encoding="utf-8")
            (folder / "sub").mkdir()
            (folder / "sub/page.html").write_text(version * 3, encoding="utf-8")
            for name in _STEPS:
                setattr(publish.os, name, wrap(name, getattr(os, name)))
            publish.shutil.rmtree = wrap("rmtree", publish.shutil.rmtree)
            staged.commit()
            os._exit(0)
        except BaseException:
            os._exit(3)
    _, status = os.waitpid(pid, 0)
    assert os.WIFEXITED(status) and os.WEXITSTATUS(status) in (0, 9), status
    return os.WEXITSTATUS(status) == 0


def _failed_build(site: Path) -> None:
    staged = publish.StagedSite(str(site))
    folder = Path(staged.begin())
    (folder / "index.html").write_text("half", encoding="utf-8")
    staged.abort()


@pytest.mark.parametrize("start", ["real-folder", "symlink"])
def test_swap_without_exchange_killed_at_every_step_keeps_a_complete_site(tmp_path, monkeypatch, start):
    monkeypatch.setattr(publish, "_exchange", lambda a, b: False)
    v1 = tmp_path / "ref1"
    v2 = tmp_path / "ref2"
    for ref, version in ((v1, "v1"), (v2, "v2")):
        _site(ref, version)
    want = {"v1": _content(v1), "v2": _content(v2)}
    kill_at = 1
    while True:
        for after in (False, True):
            root = tmp_path / f"run-{kill_at}-{after}"
            root.mkdir()
            site = root / "site"
            _site(site, "v0")
            if start == "symlink":
                _site(site, "v1")  # the first fallback publish made site/ a symlink
                assert site.is_symlink()
            else:
                import shutil

                shutil.rmtree(site)
                _site(site, "v1")
                assert not site.is_symlink() and site.is_dir()
            finished = _killed_publish(site, "v2", kill_at, after)
            # the next build fails: site/ must be complete and hold the last published content
            _failed_build(site)
            got = _content(site)
            assert got in (want["v1"], want["v2"]), (kill_at, after, sorted(os.listdir(root)))
            if kill_at == 1 and not after:
                assert got == want["v1"]
            if finished:
                assert got == want["v2"]
            # and the build after that publishes and leaves only what site/ needs
            _site(site, "v3")
            assert (site / "index.html").read_text(encoding="utf-8") == "v3"
            names = sorted(os.listdir(root))
            assert names in (["site"], [".site-releases", "site"]), names
            if site.is_symlink():
                assert len(os.listdir(root / ".site-releases")) == 1
        if finished:
            break
        kill_at += 1
    assert kill_at > 3  # every step was reached


def test_legacy_old_folder_of_a_killed_swap_is_restored_not_deleted(tmp_path):
    site = tmp_path / "site"
    _site(site, "v1")
    before = tree(site)
    # the former two-rename swap killed between its renames: only `.site-old-<dead pid>` is left
    os.rename(site, tmp_path / ".site-old-999999")
    _failed_build(site)
    assert tree(site) == before and not (tmp_path / ".site-old-999999").exists()


def test_fallback_in_real_builds(tmp_path):
    env = {"GAZETTE_NO_EXCHANGE": "1"}
    project, before = published_project(tmp_path, env=env)
    assert not (project / "site").is_symlink()  # the first site is renamed into place
    (project / "docs" / ITEM).write_text(GOOD + "\n第二版。\n", encoding="utf-8")
    assert run_mkdocs(project, env=env).ok
    assert (project / "site").is_symlink()
    second = tree(project / "site")
    assert "第二版" in (project / "site/gazette/2023/05/jfbf-2023-12/index.html").read_text(encoding="utf-8")
    (project / "docs" / ITEM).write_text(GOOD.replace("published: 2023-05-10", "published: 2023-13-10"), encoding="utf-8")
    result = run_mkdocs(project, env=env)
    assert not result.ok and tree(project / "site") == second
    (project / "docs" / ITEM).write_text(GOOD + "\n第三版。\n", encoding="utf-8")
    assert run_mkdocs(project, env=env).ok
    assert "第三版" in (project / "site/gazette/2023/05/jfbf-2023-12/index.html").read_text(encoding="utf-8")
    assert sorted(p.name for p in project.iterdir() if p.name.startswith(".site")) == [".site-releases"]
    assert len(list((project / ".site-releases").iterdir())) == 1


# -- C1. dates --------------------------------------------------------------------------------

def test_dates_out_of_range_name_the_line_in_build_and_check(tmp_path):
    late, early = ITEM, ITEM.replace(".md", "-b.md")
    project = make_project(tmp_path, {**ISSUE, late: GOOD.replace("published: 2023-05-10", "published: 2107-01-01"),
                                      early: GOOD.replace("published: 2023-05-10", "published: 1900-01-01")
                                      .replace("12号", "13号")})
    result = run_mkdocs(project)
    assert result.returncode == 1 and "Traceback" not in result.output
    code, out = check(project)
    assert code == 1
    for path, value, word in ((late, "2107-01-01", "晚于"), (early, "1900-01-01", "早于")):
        assert re.search(rf"docs/{path}:4: 「发布日期」{value} {word}", result.output), result.output
        assert f"docs/{path}:4:" in out


def test_latest_date_follows_the_build_day(monkeypatch):
    from gazette.content.fields import Invalid, read_date

    monkeypatch.setenv("GAZETTE_TODAY", "2025-06-01")
    assert read_date("2026-12-31", "发布日期") == dt.date(2026, 12, 31)
    with pytest.raises(Invalid, match="晚于 2026-12-31"):
        read_date(dt.date(2027, 1, 1), "发布日期")
    with pytest.raises(Invalid, match="早于 1949-01-01"):
        read_date("1948年12月31日", "发布日期")


# -- C2. full or read-only disks ---------------------------------------------------------------

def test_site_parent_blocked_by_a_file(tmp_path):
    project = make_project(tmp_path, {**ISSUE, ITEM: GOOD})
    (project / "blocker").write_text("not a folder", encoding="utf-8")
    result = run_mkdocs(project, site=project / "blocker" / "site")
    assert not result.ok and "Traceback" not in result.output
    assert "无法在" in result.output and "准备构建目录" in result.output


ENOSPC_HOOKS = {
    "write": """\
        import errno, os
        from mkdocs import utils
        _write = utils.write_file
        def write_file(content, path):
            if path.endswith("jfbf-2023-12/index.html"):
                raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), path)
            return _write(content, path)
        utils.write_file = write_file
        """,
    "commit": """\
        import errno, os
        from gazette.build import publish
        def _exchange(a, b):
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), a)
        publish._exchange = _exchange
        """,
    "readonly": """\
        import errno, os
        from gazette.build import publish
        _rename = os.rename
        def _exchange(a, b):
            raise OSError(errno.EROFS, os.strerror(errno.EROFS), a)
        publish._exchange = _exchange
        """,
}


# Writing a page fails in the MkDocs process (workers: 1) or in a worker (2); the swap into site/
# comes after the workers, whichever wrote the pages.
@pytest.mark.parametrize("case, workers", [("write", 1), ("write", 2), ("commit", 2), ("readonly", 2)])
def test_full_or_read_only_disk_is_a_chinese_message(tmp_path, case, workers):
    config = MINIMAL_CONFIG + f"      workers: {workers}\n"
    project, before = published_project(tmp_path, config=config)
    (project / "hooks.py").write_text(textwrap.dedent(ENOSPC_HOOKS[case]), encoding="utf-8")
    (project / "mkdocs.yml").write_text(config + "hooks:\n  - hooks.py\n", encoding="utf-8")
    (project / "docs" / ITEM).write_text(GOOD + "\n新增一段。\n", encoding="utf-8")
    result = run_mkdocs(project)
    assert not result.ok and "Traceback" not in result.output, result.output
    assert {"write": "磁盘空间已满", "commit": "磁盘空间已满", "readonly": "文件系统只读"}[case] in result.output
    if case == "write":
        assert f"docs/{ITEM}:1:" in result.output
    assert tree(project / "site") == before
    assert not [p for p in project.iterdir() if p.name.startswith(".site-")]


def test_unexpected_exception_while_rendering_names_the_file(tmp_path):
    # A hook with a page event: every page is rendered in the MkDocs process, whatever `workers` says.
    project, before = published_project(tmp_path)
    (project / "hooks.py").write_text(textwrap.dedent("""\
        def on_page_markdown(markdown, page, config, files):
            if page.file.src_uri.endswith("jfbf-2023-12.md"):
                raise ValueError("boom")
            return markdown
        """), encoding="utf-8")
    (project / "mkdocs.yml").write_text(MINIMAL_CONFIG + "hooks:\n  - hooks.py\n", encoding="utf-8")
    result = run_mkdocs(project)
    assert not result.ok and "Traceback" not in result.output, result.output
    assert re.search(rf"docs/{ITEM}:1: 生成此页面时出现意外错误（ValueError: boom）", result.output), result.output
    assert tree(project / "site") == before


# -- C3. pathological Markdown -------------------------------------------------------------------

DEEP_LIST = "# 列表\n\n" + "".join("    " * i + "- 第{}层\n".format(i) for i in range(1000))
DEEP_QUOTE = ">" * 1000 + " 引用\n"
BRACKETS = "[" * 40000 + "\n"
PARENS = "![[" * 4000 + "(" * 20000 + "\n"


PATHOLOGICAL = [  # (file, content, line, word): one site holds them all, each reported on its own line
    ("deep.md", DEEP_LIST, 23, "嵌套过深"),
    ("gazette/2023/05/deep-quote.md", DEEP_QUOTE, 10, "嵌套过深"),
    ("gazette/2023/05/brackets.md", BRACKETS, 10, "括号"),
    ("gazette/2023/05/parens.md", PARENS, 10, "括号"),
    ("gazette/index.md", DEEP_QUOTE, 1, "嵌套过深"),
]


def test_pathological_markdown_is_refused_before_rendering(tmp_path):
    project, before = published_project(tmp_path)
    for path, body, _line, _word in PATHOLOGICAL:
        content = GOOD + body if path.startswith("gazette/2023") else body
        (project / "docs" / path).write_text(content, encoding="utf-8")
    start = time.monotonic()
    result = run_mkdocs(project)
    assert time.monotonic() - start < 60
    assert not result.ok and "Traceback" not in result.output and "RecursionError" not in result.output
    code, out = check(project)
    assert code == 1
    for path, _body, line, word in PATHOLOGICAL:
        assert re.search(rf"docs/{re.escape(path)}:{line}: .*{word}", result.output), (path, result.output)
        assert f"docs/{path}:{line}:" in out, (path, out)
    assert tree(project / "site") == before


def test_ordinary_bodies_pass_the_nesting_check_quickly():
    from gazette.content import frontmatter
    from gazette.diagnostics import Report

    bodies = []
    for path in sorted((ROOT / "docs").rglob("*.md")):
        source = frontmatter.read(str(path), str(path), Report(), required=False)
        if source is not None:
            assert body_problem(source.body) is None, path
            bodies.append(source.body)
    assert body_problem("- 一\n    - 二\n        - 三\n> 引用\n> > 二层\n[链接](a.md) ![图](b.png) (注)\n") is None
    typical = ("\n\n".join(bodies) * 10)[:5000]
    n = 2000
    start = time.perf_counter()
    for _ in range(n):
        body_problem(typical)
    per_body = (time.perf_counter() - start) / n
    assert per_body < 0.0002, per_body  # budget 0.02 ms; generous for a loaded test machine


# -- D. generated addresses ----------------------------------------------------------------------

GENERATED = [("search.md", "站内搜索页"), ("search/index.md", "站内搜索页"), ("browse/issuer/index.md", "分类浏览页面"),
             ("browse/index.md", "分类浏览页面"), ("s/abcd.md", "二维码短地址")]


def test_files_on_generated_addresses_are_refused(tmp_path):
    project, before = published_project(tmp_path)
    for path, _what in GENERATED:
        (project / "docs" / path).parent.mkdir(parents=True, exist_ok=True)
        (project / "docs" / path).write_text("# 编辑写的页面\n", encoding="utf-8")
    result = run_mkdocs(project)
    assert not result.ok and "Traceback" not in result.output
    code, out = check(project)
    assert code == 1
    for path, what in GENERATED:
        assert re.search(rf"docs/{re.escape(path)}:1: .*由系统自动生成（{what}）", result.output), (path, result.output)
        assert f"docs/{path}:1:" in out, (path, out)
    assert tree(project / "site") == before


def test_intro_pages_still_stand_in_for_generated_ones(tmp_path):
    project = make_project(tmp_path, {**ISSUE, ITEM: GOOD,
                                      "gazette/index.md": "# 公报简介\n\n编辑写的公报介绍。\n",
                                      "disclosure/index.md": "# 公开专栏\n\n编辑写的专栏介绍。\n",
                                      "disclosure/guide/index.md": "# 指南\n\n编辑写的指南。\n"})
    result = run_mkdocs(project)
    assert result.ok, result.output
    assert "编辑写的公报介绍" in (project / "site/gazette/index.html").read_text(encoding="utf-8")
    assert "编辑写的指南" in (project / "site/disclosure/guide/index.html").read_text(encoding="utf-8")


# -- E. the build day in the site's time zone --------------------------------------------------------

def test_build_day_is_the_sites_date_whatever_the_machine(monkeypatch):
    monkeypatch.delenv("GAZETTE_TODAY", raising=False)
    instant = dt.datetime(2025, 6, 30, 20, 0, tzinfo=dt.timezone.utc)  # 04:00 on 1 July in Shanghai
    for machine in ("America/Los_Angeles", "Asia/Shanghai"):
        monkeypatch.setenv("TZ", machine)
        time.tzset()
        assert clock.build_day(instant) == dt.date(2025, 7, 1)
        assert clock.build_day(instant, "America/Los_Angeles") == dt.date(2025, 6, 30)
    monkeypatch.setenv("GAZETTE_TODAY", "2024-01-02")
    assert clock.build_day() == dt.date(2024, 1, 2)
    monkeypatch.delenv("TZ")
    time.tzset()


CONSULTATION = """\
---
title: 关于公开征求意见的公告
issuer: 测试市人民政府办公室
published: 2024-01-02
consultation:
  opens: 2024-01-03
  closes: 2024-02-03
---

正文。
"""


def test_timezone_option_is_honoured_in_a_build(tmp_path):
    from zoneinfo import ZoneInfo

    # UTC+14 and UTC-11: the two dates always differ, so the page shows which one was used.
    config = MINIMAL_CONFIG + "      timezone: Pacific/Kiritimati\n"
    project = make_project(tmp_path, {"disclosure/consultation/zj.md": CONSULTATION}, config)
    before = dt.datetime.now(ZoneInfo("Pacific/Kiritimati")).date()
    result = run_mkdocs(project, env={"TZ": "Pacific/Pago_Pago", "GAZETTE_TODAY": ""})
    after = dt.datetime.now(ZoneInfo("Pacific/Kiritimati")).date()
    assert result.ok, result.output
    html = (project / "site/disclosure/consultation/zj/index.html").read_text(encoding="utf-8")
    shown = re.search(r'截至 <time datetime="(\d{4}-\d{2}-\d{2})"', html)[1]
    assert shown in (str(before), str(after))


def test_bad_timezone_is_a_chinese_config_error(tmp_path):
    project = make_project(tmp_path, {**ISSUE, ITEM: GOOD}, MINIMAL_CONFIG + "      timezone: Mars/Olympus\n")
    result = run_mkdocs(project)
    assert not result.ok and "Traceback" not in result.output
    assert "timezone「Mars/Olympus」不是有效的时区名称" in result.output
