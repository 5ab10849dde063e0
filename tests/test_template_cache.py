"""template_cache: the theme's templates compiled by a helper process while the catalog loads."""

from __future__ import annotations

import os

import jinja2
import pytest
from mkdocs.config import load_config

from gazette import template_cache

from conftest import MINIMAL_CONFIG, make_project


@pytest.fixture
def config(tmp_path):
    project = make_project(tmp_path, {"index.md": "# 首页\n"}, config=MINIMAL_CONFIG)
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    return load_config(str(project / "mkdocs.yml"))


def _no_compiling(env: jinja2.Environment) -> list[str]:
    compiled = []
    original = env.compile

    def compile(source, name=None, filename=None, raw=False, defer_init=False):
        compiled.append(name)
        return original(source, name, filename, raw, defer_init)

    env.compile = compile
    return compiled


def test_templates_come_compiled_from_the_helper(config):
    pre = template_cache.Precompiler()
    pre.start(config)
    try:
        env = config.theme.get_env()
        assert pre.attach(env)
        compiled = _no_compiling(env)
        for name in ("main.html", "base.html", "partials/footer.html", "partials/languages/zh.html"):
            assert env.get_template(name).name == name
        assert compiled == []  # loaded from the helper's bytecode, not compiled here
        env.get_template("partials/languages/fr.html")  # another language's: left to who needs it
        assert compiled == ["partials/languages/fr.html"]
    finally:
        pre.close()
    assert pre.folder is None


def test_an_environment_set_up_otherwise_compiles_its_own(config):
    pre = template_cache.Precompiler()
    pre.start(config)
    try:
        env = config.theme.get_env()
        env.add_extension("jinja2.ext.loopcontrols")  # as another plugin might
        assert not pre.attach(env)
        compiled = _no_compiling(env)
        env.get_template("main.html")
        assert "main.html" in compiled
    finally:
        pre.close()


def test_a_killed_builds_folder_is_removed_by_the_next(config, tmp_path, monkeypatch):
    import subprocess
    import sys
    import tempfile

    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    orphan = tmp_path / f"gazette-templates-{dead.stdout.strip()}-abcd"
    orphan.mkdir()
    living = tmp_path / f"gazette-templates-{os.getpid()}-efgh"  # a build still running (this process)
    living.mkdir()
    pre = template_cache.Precompiler()
    pre.start(config)
    try:
        assert not orphan.exists() and living.exists()
    finally:
        pre.close()
