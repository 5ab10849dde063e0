"""Never half-publish: a build that fails or is killed leaves the previous site/ byte-identical,
and the next build removes what the killed one left behind."""

from __future__ import annotations

import hashlib
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import MINIMAL_CONFIG, make_project, run_mkdocs
from tools import corpus

ISSUE = {"gazette/2023/05/index.md": "---\npublished: 2023-05-25\n---\n"}
GOOD = """\
---
title: 江临市人民政府关于做好政务公开工作的通知
issuer: 江临市人民政府
published: 2023-05-10
doc_number: 江府发〔2023〕12号
column: 市政府文件
---

各区县人民政府，市政府各部门：现将有关事项通知如下。
"""
ITEM = "gazette/2023/05/jfbf-2023-12.md"


def tree(path: Path) -> dict[str, str]:
    """Every file and folder under `path` with the hash of its bytes."""
    out = {}
    for root, dirs, files in os.walk(path):
        for d in dirs:
            out[os.path.relpath(os.path.join(root, d), path) + "/"] = "dir"
        for f in files:
            full = os.path.join(root, f)
            with open(full, "rb") as fh:
                out[os.path.relpath(full, path)] = hashlib.sha256(fh.read()).hexdigest()
    return out


def leftovers(project: Path) -> list[str]:
    return sorted(p.name for p in project.iterdir() if p.name.startswith(".site-"))


@pytest.fixture
def published(tmp_path):
    """A project whose site/ was built successfully once."""
    project = make_project(tmp_path, {**ISSUE, ITEM: GOOD})
    result = run_mkdocs(project)
    assert result.ok, result.output
    before = tree(project / "site")
    assert "gazette/2023/05/jfbf-2023-12/index.html" in before
    return project, before


def test_content_error_leaves_site_untouched(published):
    project, before = published
    (project / "docs" / ITEM).write_text(GOOD.replace("published: 2023-05-10", "published: 2023-13-10"), encoding="utf-8")
    result = run_mkdocs(project)
    assert not result.ok and "Traceback" not in result.output
    assert f"docs/{ITEM}:4:" in result.output
    assert tree(project / "site") == before
    assert leftovers(project) == []


def test_strict_warning_leaves_site_untouched(published):
    project, before = published
    # 文号 year ≠ publication year: a warning, which --strict turns into a failure
    (project / "docs" / ITEM).write_text(GOOD.replace("〔2023〕", "〔2021〕") + "\n新增一段。\n", encoding="utf-8")
    # without -q: MkDocs only counts warnings that are logged
    proc = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(project / "mkdocs.yml")],
                          cwd=project, capture_output=True, text=True, timeout=600, env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})
    assert proc.returncode != 0
    assert "文号" in proc.stderr and "strict" in proc.stderr
    assert tree(project / "site") == before
    assert leftovers(project) == []
    # quiet (-q) logs no warning for MkDocs to count: the plugin still refuses
    quiet = run_mkdocs(project, "--strict")
    assert not quiet.ok and "--strict" in quiet.output
    assert tree(project / "site") == before
    assert leftovers(project) == []
    # the same content without --strict is published
    assert run_mkdocs(project).ok
    assert tree(project / "site") != before


def test_symlinked_site_stays_a_symlink(tmp_path):
    project = make_project(tmp_path, {**ISSUE, ITEM: GOOD})
    real = tmp_path / "www" / "gazette"
    real.mkdir(parents=True)
    (real / "old.html").write_text("旧", encoding="utf-8")
    (project / "site").symlink_to(real, target_is_directory=True)
    result = run_mkdocs(project)
    assert result.ok, result.output
    assert (project / "site").is_symlink() and os.path.realpath(project / "site") == str(real)
    assert (real / "gazette/2023/05/jfbf-2023-12/index.html").is_file() and not (real / "old.html").exists()
    assert [p.name for p in real.parent.iterdir()] == ["gazette"]  # the previous version was removed


@pytest.mark.parametrize("event", ["on_post_page", "on_post_build"])
def test_exception_in_a_later_event_leaves_site_untouched(published, event):
    project, before = published
    args = "output, page, config" if event == "on_post_page" else "config"
    (project / "hooks.py").write_text(
        f"def {event}({args}):\n    raise RuntimeError('boom in {event}')\n", encoding="utf-8")
    (project / "mkdocs.yml").write_text(MINIMAL_CONFIG + "hooks:\n  - hooks.py\n", encoding="utf-8")
    (project / "docs" / ITEM).write_text(GOOD + "\n新增一段。\n", encoding="utf-8")
    result = run_mkdocs(project)
    assert not result.ok and f"boom in {event}" in result.output
    assert tree(project / "site") == before
    assert leftovers(project) == []


def test_first_build_failing_creates_no_site(tmp_path):
    project = make_project(tmp_path, {**ISSUE, ITEM: GOOD.replace("title:", "titel:")})
    result = run_mkdocs(project)
    assert not result.ok
    assert not (project / "site").exists() and leftovers(project) == []


def test_sigkill_while_writing_leaves_site_untouched_and_next_build_cleans_up(tmp_path):
    c = corpus.generate(str(tmp_path / "c"), 150, None)
    project = Path(c.root)
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    cmd = [sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(project / "mkdocs.yml")]
    first = subprocess.run(cmd, cwd=project, env=env, capture_output=True, text=True, timeout=600)
    assert first.returncode == 0, first.stderr
    before = tree(project / "site")
    assert len(before) > 150

    # change every page (so a completed build would change site/), then kill the build while it writes
    home = project / "docs" / "index.md"
    home.write_text(home.read_text(encoding="utf-8") + "\n更新说明。\n", encoding="utf-8")
    proc = subprocess.Popen(cmd, cwd=project, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    staging = project / f".site-building-{proc.pid}"
    deadline = time.monotonic() + 300
    try:
        while time.monotonic() < deadline:
            pages = list(staging.glob("gazette/*/*/*/index.html")) if staging.is_dir() else []
            if len(pages) >= 5:
                break
            assert proc.poll() is None, "the build finished before it could be killed; use a bigger corpus"
            time.sleep(0.05)
        else:
            pytest.fail("the build never started writing pages")
        os.kill(proc.pid, signal.SIGKILL)
    finally:
        proc.wait(timeout=60)
    assert proc.returncode == -signal.SIGKILL
    assert leftovers(project) == [staging.name]  # the killed build's half-written folder
    assert tree(project / "site") == before

    again = subprocess.run(cmd, cwd=project, env=env, capture_output=True, text=True, timeout=600)
    assert again.returncode == 0, again.stderr
    assert leftovers(project) == []
    after = tree(project / "site")
    assert after != before and set(after) == set(before)
    assert "更新说明" in (project / "site/index.html").read_text(encoding="utf-8")
