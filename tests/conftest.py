"""Shared fixtures: building sites (the sample one once per session, small ad-hoc ones per test),
serving them on localhost, and a Chromium browser driven by Playwright."""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import subprocess
import sys
import textwrap
import threading
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # the developer tools (tools/) are imported from the repository, not installed
    sys.path.append(str(ROOT))
SEEDS = ROOT.parent / "shared" / "seeds"  # a developer's extra texts beside the repository, if any; optional
CHROMIUM = "/usr/bin/chromium"
ARTIFACTS = ROOT / "test-artifacts"


@dataclass
class BuildResult:
    returncode: int
    output: str  # stdout + stderr
    project: Path
    site: Path

    @property
    def ok(self) -> bool:
        return self.returncode == 0


def run_mkdocs(project: Path, *args: str, site: Path | None = None, env: dict | None = None, timeout: int = 600) -> BuildResult:
    site = site or project / "site"
    cmd = [sys.executable, "-m", "mkdocs", "build", "-f", str(project / "mkdocs.yml"), "-d", str(site), *args]
    full_env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", **(env or {})}
    proc = subprocess.run(cmd, cwd=project, capture_output=True, text=True, timeout=timeout, env=full_env)
    return BuildResult(proc.returncode, proc.stdout + proc.stderr, project, site)


def run_gazette(*args: str, cwd: Path | None = None, timeout: int = 600, process: bool = False) -> subprocess.CompletedProcess:
    """`gazette …` as an editor runs it: in this process (a second of interpreter start-up saved per call,
    dozens of calls), or with `process=True` as its own program."""
    if process:
        return subprocess.run([sys.executable, "-m", "gazette.cli", *args], cwd=cwd, capture_output=True, text=True,
                              timeout=timeout)
    from contextlib import redirect_stderr, redirect_stdout
    from io import StringIO

    from gazette import cli, clock

    out, err, before, zone = StringIO(), StringIO(), os.getcwd(), clock.TIMEZONE
    try:
        if cwd is not None:
            os.chdir(cwd)
        with redirect_stdout(out), redirect_stderr(err):
            try:
                code = cli.main(list(args))
            except SystemExit as exit:
                code = exit.code if isinstance(exit.code, int) else (0 if exit.code is None else 1)
    finally:
        os.chdir(before)
        clock.TIMEZONE = zone
    return subprocess.CompletedProcess(list(args), code, out.getvalue(), err.getvalue())


def run_tool(name: str, *args: str, cwd: Path | None = None, timeout: int = 600) -> subprocess.CompletedProcess:
    """A developer tool as the README runs it: `python tools/<name>.py …` (from the repository root by default)."""
    return subprocess.run([sys.executable, str(ROOT / "tools" / f"{name}.py"), *args], cwd=cwd or ROOT,
                          capture_output=True, text=True, timeout=timeout)


MINIMAL_CONFIG = """\
site_name: 测试站点
site_url: https://gk.example.gov.cn/
theme:
  name: material
  language: zh
plugins:
  - gazette:
      gazette_name: 测试政报
"""


def make_project(tmp_path: Path, files: dict[str, str | bytes], config: str = MINIMAL_CONFIG) -> Path:
    """A small site: `files` maps docs-relative paths to contents (dedented if text)."""
    project = tmp_path / "project"
    docs = project / "docs"
    docs.mkdir(parents=True, exist_ok=True)
    (project / "mkdocs.yml").write_text(config, encoding="utf-8")
    if "index.md" not in files:
        (docs / "index.md").write_text("# 首页\n", encoding="utf-8")
    for rel, content in files.items():
        path = docs / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(textwrap.dedent(content).lstrip("\n"), encoding="utf-8")
    return project


@pytest.fixture
def project_factory(tmp_path):
    return functools.partial(make_project, tmp_path)


@pytest.fixture(scope="session")
def sample_site(tmp_path_factory) -> Path:
    """The sample site of the repository, built once (strict) into a temporary folder."""
    out = tmp_path_factory.mktemp("sample") / "site"
    result = run_mkdocs(ROOT, "--strict", site=out)
    assert result.ok, result.output
    return out


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@dataclass
class Server:
    url: str  # ends with /
    root: Path
    requests: list[str]


def serve(root: Path, prefix: str = "/") -> tuple[Server, callable]:
    """Serve `root` on localhost under the URL path `prefix` (for sub-path deployments)."""
    requests: list[str] = []
    prefix = "/" + prefix.strip("/") + "/" if prefix.strip("/") else "/"

    class Handler(_QuietHandler):
        def translate_path(self, path):
            requests.append(path)
            if not path.startswith(prefix):
                return str(root / "__missing__")
            return super().translate_path("/" + path[len(prefix):])

    handler = functools.partial(Handler, directory=str(root))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    server = Server(f"http://127.0.0.1:{httpd.server_address[1]}{prefix}", root, requests)

    def stop():
        httpd.shutdown()
        httpd.server_close()

    return server, stop


@pytest.fixture(scope="session")
def sample_server(sample_site):
    server, stop = serve(sample_site)
    yield server
    stop()


def _chromium_missing() -> bool:
    return not (os.path.exists(CHROMIUM) and shutil.which(CHROMIUM))


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium under Playwright. Under CI a missing browser fails the test, never skips it."""
    if _chromium_missing():
        if os.environ.get("CI"):
            pytest.fail(f"Chromium 不在 {CHROMIUM}：CI 中浏览器测试不能跳过（apt-get install chromium）")
        pytest.skip(f"Chromium 不在 {CHROMIUM}")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                  "--disable-sync", "--no-first-run", "--disable-quic"],
        )
        yield b
        b.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
    pg = context.new_page()
    yield pg
    context.close()


# The longest files first: pytest-xdist (--dist loadfile) hands out files in collection order, and a
# long file handed out last runs alone on one core while the other waits (the suite took 4½ min, not 4).
LONGEST_FIRST = ("test_theme_modes.py", "test_theme_a11y.py", "test_qr.py", "test_hostile_files.py", "test_search.py",
                 "test_disclosure.py", "test_security_fuzz.py", "test_pagepool.py", "test_theme_layout.py")


def pytest_collection_modifyitems(session, config, items):
    rank = {name: n for n, name in enumerate(LONGEST_FIRST)}
    items.sort(key=lambda item: rank.get(item.path.name, len(rank)))  # stable: each file keeps its order
