"""gazette/data/ci/publish-release.sh against local folders: atomic switch, pruning, rollback, refusals.

The "server" side is a folder here; the ssh variant runs through a stand-in for ssh that executes
the remote command locally, so the same code path as a real `user@host:/path` is exercised.
"""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parent.parent / "gazette" / "data" / "ci" / "publish-release.sh"
SHELL = shutil.which("dash") or "/bin/sh"  # the strictest POSIX shell at hand

FAKE_SSH = """#!/bin/sh
# Stand-in for ssh in tests: drop ssh's options and the host, run the command here.
while [ $# -gt 0 ]; do
    case $1 in -p|-i|-o|-l) shift 2 ;; -*) shift ;; *) break ;; esac
done
shift
{fail}
exec sh -c "$*"
"""


def run(*args: str, check: bool = True) -> subprocess.CompletedProcess:
    proc = subprocess.run([SHELL, str(SCRIPT), *args], capture_output=True, text=True, timeout=60)
    if check and proc.returncode != 0:
        raise AssertionError(f"exit {proc.returncode}\nstdout: {proc.stdout}\nstderr: {proc.stderr}")
    return proc


def make_site(root: Path, marker: str) -> Path:
    site = root / f"site-{marker}"
    (site / "gazette" / "2025" / "06").mkdir(parents=True)
    (site / "index.html").write_text(f"<h1>{marker}</h1>", encoding="utf-8")
    (site / "gazette" / "2025" / "06" / "index.html").write_text(f"issue {marker}", encoding="utf-8")
    return site


def current(base: Path) -> str:
    link = base / "current"
    assert link.is_symlink(), "current must be a symlink"
    target = os.readlink(link)
    assert target.startswith("releases/") and not os.path.isabs(target)
    return target.removeprefix("releases/")


def releases(base: Path) -> list[str]:
    return sorted(n for n in os.listdir(base / "releases") if not n.startswith("."))


def leftovers(base: Path) -> list[str]:
    """Temporary names the script may create: none may remain after it finished."""
    found = [n for n in os.listdir(base) if n.startswith(".current.tmp")]
    found += [n for n in os.listdir(base / "releases") if n.endswith(".partial")]
    return found


@pytest.fixture
def server(tmp_path: Path) -> Path:
    """A web folder that already holds other content the script must never touch."""
    base = tmp_path / "www"
    (base / "other").mkdir(parents=True)
    (base / "other" / "notice.html").write_text("another site", encoding="utf-8")
    (base / "robots.txt").write_text("User-agent: *", encoding="utf-8")
    return base


def untouched(base: Path) -> None:
    assert (base / "other" / "notice.html").read_text(encoding="utf-8") == "another site"
    assert (base / "robots.txt").read_text(encoding="utf-8") == "User-agent: *"


@pytest.mark.parametrize("via", ["cp", "tar"])
def test_publish_twice_switches_current_and_keeps_other_content(tmp_path, server, via):
    first, second = make_site(tmp_path, "one"), make_site(tmp_path, "two")
    run("--via", via, str(first), str(server))
    one = current(server)
    assert (server / "current" / "index.html").read_text(encoding="utf-8") == "<h1>one</h1>"
    run("--via", via, str(second), str(server))
    two = current(server)
    assert two != one and two > one  # release names are UTC times: they sort by age
    assert (server / "current" / "index.html").read_text(encoding="utf-8") == "<h1>two</h1>"
    assert (server / "current" / "gazette" / "2025" / "06" / "index.html").read_text(encoding="utf-8") == "issue two"
    assert releases(server) == [one, two]
    assert leftovers(server) == []
    untouched(server)


def test_old_releases_pruned_beyond_keep_and_foreign_folders_kept(tmp_path, server):
    site = make_site(tmp_path, "x")
    (server / "releases" / "backup-by-hand").mkdir(parents=True)  # not a release name: never pruned
    names = []
    for _ in range(3):
        run("--keep", "2", "--via", "cp", str(site), str(server))
        names.append(current(server))
    assert len(set(names)) == 3
    assert releases(server) == sorted(["backup-by-hand", *names[1:]])
    assert current(server) == names[-1]
    untouched(server)


def test_rollback_to_previous_and_to_named_release(tmp_path, server):
    run("--via", "cp", str(make_site(tmp_path, "one")), str(server))
    one = current(server)
    run("--via", "cp", str(make_site(tmp_path, "two")), str(server))
    two = current(server)

    out = run("--rollback", str(server))
    assert current(server) == one
    assert one in out.stdout and two in out.stdout
    assert (server / "current" / "index.html").read_text(encoding="utf-8") == "<h1>one</h1>"
    assert releases(server) == [one, two]  # rolling back deletes nothing

    refused = run("--rollback", str(server), check=False)  # nothing older than the first
    assert refused.returncode != 0 and "没有可回退的版本" in refused.stderr
    assert current(server) == one

    run("--rollback", "--to", two, str(server))
    assert current(server) == two
    listed = run("--list", str(server)).stdout.splitlines()
    assert listed == [f"  {one}", f"* {two}"]
    missing = run("--rollback", "--to", "20000101T000000Z", str(server), check=False)
    assert missing.returncode != 0 and current(server) == two
    assert leftovers(server) == []
    untouched(server)


def test_publish_after_rollback_keeps_the_served_release(tmp_path, server):
    site = make_site(tmp_path, "x")
    for _ in range(2):
        run("--via", "cp", str(site), str(server))
    first, second = releases(server)
    run("--rollback", str(server))
    run("--keep", "1", "--via", "cp", str(site), str(server))
    newest = current(server)
    assert releases(server) == [newest] and newest not in (first, second)


@pytest.mark.parametrize("kind", ["empty", "no-index", "missing"])
def test_refuses_a_site_folder_that_is_not_a_built_site(tmp_path, server, kind):
    run("--via", "cp", str(make_site(tmp_path, "good")), str(server))
    before = current(server)
    site = tmp_path / "bad"
    if kind != "missing":
        site.mkdir()
    if kind == "no-index":
        (site / "page.html").write_text("x", encoding="utf-8")
    proc = run("--via", "cp", str(site), str(server), check=False)
    assert proc.returncode == 2
    assert "不发布" in proc.stderr or "不存在" in proc.stderr
    assert current(server) == before and len(releases(server)) == 1
    assert leftovers(server) == []
    untouched(server)


def test_refuses_when_current_is_a_real_folder(tmp_path, server):
    (server / "current").mkdir()
    (server / "current" / "index.html").write_text("published by hand", encoding="utf-8")
    proc = run("--via", "cp", str(make_site(tmp_path, "x")), str(server), check=False)
    assert proc.returncode != 0 and "不是本脚本建立的符号链接" in proc.stderr
    assert not (server / "current").is_symlink()
    assert (server / "current" / "index.html").read_text(encoding="utf-8") == "published by hand"
    untouched(server)


def test_bad_options_are_refused_in_chinese(tmp_path, server):
    site = make_site(tmp_path, "x")
    for args, words in ((("--keep", "0"), "至少为 1"), (("--keep", "abc"), "正整数"),
                        (("--via", "ftp"), "rsync、tar 或 cp"), (("--to", "x"), "--rollback"),
                        (("--bogus",), "不认识的选项")):
        proc = run(*args, str(site), str(server), check=False)
        assert proc.returncode == 2 and words in proc.stderr, (args, proc.stderr)
    cp_remote = run("--via", "cp", str(site), "deploy@web01:/srv/gazette", check=False)
    assert cp_remote.returncode == 2 and "只能用于本机目录" in cp_remote.stderr
    assert not (server / "releases").exists()


def _fake_ssh(tmp_path: Path, fail: str = "") -> str:
    path = tmp_path / "fake-ssh"
    path.write_text(FAKE_SSH.format(fail=fail), encoding="utf-8")
    path.chmod(path.stat().st_mode | stat.S_IXUSR)
    return str(path)


@pytest.mark.parametrize("via", ["tar", "rsync"])
def test_publish_and_rollback_over_ssh(tmp_path, via):
    if via == "rsync" and shutil.which("rsync") is None:
        pytest.skip("rsync is not installed")
    base = tmp_path / "srv" / "gazette site"  # a space in the path must survive the remote shell
    ssh = f"{_fake_ssh(tmp_path)} -p 2222"
    target = f"deploy@web01:{base}"
    run("--ssh", ssh, "--via", via, str(make_site(tmp_path, "one")), target)
    one = current(base)
    run("--ssh", ssh, "--via", via, str(make_site(tmp_path, "two")), target)
    two = current(base)
    assert (base / "current" / "index.html").read_text(encoding="utf-8") == "<h1>two</h1>"
    run("--ssh", ssh, "--rollback", target)
    assert current(base) == one
    assert releases(base) == [one, two] and leftovers(base) == []


def test_failed_upload_leaves_current_and_no_partial_release(tmp_path, server):
    run("--via", "cp", str(make_site(tmp_path, "one")), str(server))
    before = current(server)
    ssh = _fake_ssh(tmp_path, fail='case "$*" in *tar*) exit 1 ;; esac')  # the upload breaks off
    proc = run("--ssh", ssh, "--via", "tar", str(make_site(tmp_path, "two")), f"deploy@web01:{server}", check=False)
    assert proc.returncode == 2 and "上传失败" in proc.stderr
    assert current(server) == before and releases(server) == [before]
    assert leftovers(server) == []
    untouched(server)
