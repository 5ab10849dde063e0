"""The theme's templates compiled once per build, by a helper process, while the catalog loads.

Compiling a Jinja template to Python code takes milliseconds; a build loads some seventy of
them, and every process loads its own: the MkDocs process and each worker that renders item
pages (pagepool.py) compiled the same templates again, about 0.15 s of processor time each.
A helper forked before the files are read compiles them on the processor the build leaves
idle meanwhile, into Jinja's bytecode cache in a temporary folder; every process then loads
them from there (about 0.2 ms each).

Jinja checks each cached template against its file name and source, so a template a later
plugin or override replaces is compiled as usual. The cache is used only by an environment
with the same compile-time settings (extensions, delimiters, …) as the helper's.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import time

import jinja2

_SIGNATURE = "signature.txt"
_DONE = "done"
_PREFIX = "gazette-templates-"


class _Compiled(jinja2.FileSystemBytecodeCache):
    """The helper's cache, read only: a template it did not compile is compiled as usual and not
    written (the workers would write side by side, and the folder goes when the build ends)."""

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        pass


def _signature(env: jinja2.Environment) -> str:
    autoescape = env.autoescape
    return repr((
        sorted(env.extensions), env.block_start_string, env.block_end_string, env.variable_start_string,
        env.variable_end_string, env.comment_start_string, env.comment_end_string, env.line_statement_prefix,
        env.line_comment_prefix, env.trim_blocks, env.lstrip_blocks, env.newline_sequence, env.keep_trailing_newline,
        env.optimized, getattr(autoescape, "__qualname__", autoescape), type(env).__qualname__,
        env.code_generator_class.__qualname__, jinja2.__version__,
    ))


def _names(env: jinja2.Environment, languages: set[str]) -> list[str]:
    """The page templates and partials (not Material's thousands of icons, nor the translations
    of languages other than the site's and English, its fallback)."""
    keep = {f"partials/languages/{lang}.html" for lang in languages | {"en"}}

    def wanted(name: str) -> bool:
        if not name.endswith((".html", ".xml")) or name.startswith(".icons/"):
            return False
        return not name.startswith("partials/languages/") or name in keep

    return env.list_templates(filter_func=wanted)


class Precompiler:
    def __init__(self):
        self.folder: str | None = None
        self.pid: int | None = None

    def start(self, config) -> None:
        """Fork the helper (where fork exists); the build goes on at once."""
        self.close()
        if not hasattr(os, "fork"):
            return
        _remove_orphans()
        self.folder = tempfile.mkdtemp(prefix=f"{_PREFIX}{os.getpid()}-")
        pid = os.fork()
        if pid == 0:  # the helper: compile everything, say so, and leave without cleaning up
            try:
                env = config.theme.get_env()
                env.bytecode_cache = jinja2.FileSystemBytecodeCache(self.folder)
                languages = {str(config.theme.get("language") or ""), str(config.theme.locale)}
                for name in _names(env, languages):
                    try:
                        env.get_template(name)
                    except Exception:  # a template this build will not use (or not like this)
                        pass
                with open(os.path.join(self.folder, _SIGNATURE), "w", encoding="utf-8") as fh:
                    fh.write(_signature(env))
                os.rename(os.path.join(self.folder, _SIGNATURE), os.path.join(self.folder, _DONE))
            finally:
                os._exit(0)
        self.pid = pid

    def attach(self, env: jinja2.Environment, patience: float = 10.0) -> bool:
        """Wait for the helper; give `env` its cache if the helper compiled for the same settings."""
        if self.pid is None or self.folder is None:
            return False
        deadline = time.monotonic() + patience
        while True:
            done, _ = os.waitpid(self.pid, os.WNOHANG)
            if done:
                break
            if time.monotonic() > deadline:  # never hold the build up: compile as usual
                self._stop()
                return False
            time.sleep(0.002)
        self.pid = None
        try:
            with open(os.path.join(self.folder, _DONE), encoding="utf-8") as fh:
                same = fh.read() == _signature(env)
        except OSError:
            same = False
        if same and env.bytecode_cache is None:
            env.bytecode_cache = _Compiled(self.folder)
            return True
        return False

    def _stop(self) -> None:
        if self.pid is not None:
            try:
                os.kill(self.pid, 9)
                os.waitpid(self.pid, 0)
            except (ProcessLookupError, ChildProcessError):
                pass
            self.pid = None

    def close(self) -> None:
        """After the build (workers done): stop a helper still running, remove the folder."""
        self._stop()
        if self.folder is not None:
            shutil.rmtree(self.folder, ignore_errors=True)
            self.folder = None


def _remove_orphans() -> None:
    """The folders of builds that were killed (their process is gone): nothing else removes them."""
    root = tempfile.gettempdir()
    try:
        names = os.listdir(root)
    except OSError:
        return
    for name in names:
        if not name.startswith(_PREFIX):
            continue
        pid = name[len(_PREFIX):].split("-", 1)[0]
        if not pid.isdigit():
            continue
        try:
            os.kill(int(pid), 0)
        except ProcessLookupError:
            shutil.rmtree(os.path.join(root, name), ignore_errors=True)
        except OSError:  # alive, another user's
            pass
