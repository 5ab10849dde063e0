"""Item pages rendered by worker processes.

MkDocs reads and renders every page one after another in one process. A
gazette's item pages are nearly all of its pages, independent of each other,
and need nothing from one another once the catalog exists, so they are left
out of MkDocs' own loops (DeferredFiles) and rendered by forked workers, each
through MkDocs' own per-page functions, so every plugin's page events still
run. The workers start when the Jinja environment is ready (on_env, last) and
run while MkDocs renders the other pages; on_post_build waits for them.

A worker's log records travel back to the MkDocs process and are logged
there, so warnings count towards --strict exactly as MkDocs' own. A worker
that fails makes the build fail with its message; the staged site is then
thrown away as for any failed build.
"""

from __future__ import annotations

import gc
import logging
import os
import pickle
import signal
import threading
import traceback
from typing import Callable, Sequence

from mkdocs.structure.files import File, Files, InclusionLevel

log = logging.getLogger("mkdocs.plugins.gazette")


class DeferredFiles(Files):
    """MkDocs' files, with the item pages held back from its read and render loops.

    They stay in the collection, so links to them resolve and are checked as usual."""

    def __init__(self, files: Files, deferred: set[str]):
        super().__init__(list(files))
        self.deferred = deferred

    def documentation_pages(self, *, inclusion=InclusionLevel.is_included) -> Sequence[File]:
        pages = super().documentation_pages(inclusion=inclusion)
        if not self.deferred:
            return pages
        return [f for f in pages if f.src_uri not in self.deferred]

    def deferred_pages(self) -> list[File]:
        return [f for f in super().documentation_pages() if f.src_uri in self.deferred]

    def all_pages(self) -> Sequence[File]:
        return super().documentation_pages()


def worker_count(option: int) -> int:
    if option > 0:
        return option
    return max(1, min(4, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)))


class _Capture(logging.Handler):
    """In a worker: keep log records to replay in the MkDocs process."""

    def __init__(self):
        super().__init__(logging.DEBUG)
        self.records: list[tuple[str, int, str]] = []

    def emit(self, record):
        try:
            self.records.append((record.name, record.levelno, record.getMessage()))
        except Exception:  # a record that cannot be formatted must not stop the build
            self.records.append((record.name, record.levelno, str(record.msg)))


def _die_with_parent(parent: int) -> None:
    """A worker of a killed build must stop writing into its staging folder: the next build removes
    that folder (its build is dead) and must not find it filled again (Linux PR_SET_PDEATHSIG)."""
    try:
        import ctypes
        import signal

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        return
    if os.getppid() != parent:  # the build died before the call above
        os._exit(1)


class WorkerFailed(RuntimeError):
    pass


class Pool:
    """Forked workers, each rendering a share of the item pages; results come back pickled."""

    def __init__(self):
        self.children: list[tuple[int, int, int]] = []  # (part, pid, read fd)
        self.results: dict[int, dict] = {}
        self._readers: list[threading.Thread] = []
        self._raw: dict[int, bytes] = {}

    def start(self, shares: list[list[File]], work: Callable[[int, list[File]], dict]) -> None:
        # The objects a worker inherits stay out of its garbage collections (as Python's gc
        # documentation advises before fork): collecting them would write to their memory and
        # so copy it. About 0.2 s less processor time on 2,000 items.
        gc.freeze()
        parent = os.getpid()
        try:
            for part, share in enumerate(shares):
                r, w = os.pipe()
                pid = os.fork()
                if pid == 0:  # the worker
                    os.close(r)
                    _die_with_parent(parent)
                    self._child(part, share, work, w)
                os.close(w)
                self.children.append((part, pid, r))
                # Read while the worker runs, so that a large result never blocks it on a full pipe.
                t = threading.Thread(target=self._read, args=(part, r), daemon=True)
                t.start()
                self._readers.append(t)
        finally:
            gc.unfreeze()  # in this process only

    @staticmethod
    def _child(part: int, share: list[File], work, fd: int) -> None:
        code = 0
        capture = _Capture()
        logger = logging.getLogger("mkdocs")
        for h in list(logger.handlers):
            logger.removeHandler(h)
        logger.addHandler(capture)
        logging.getLogger().handlers = []
        try:
            result = work(part, share)
        except BaseException as e:  # everything goes back to the MkDocs process as text
            code = 1
            message = str(e) if e.__class__.__name__ in ("PluginError", "BuildError", "Abort") else \
                "".join(traceback.format_exception_only(type(e), e)).strip()
            result = {"error": message, "traceback": traceback.format_exc()}
        result["logs"] = capture.records
        try:
            data = pickle.dumps(result, protocol=pickle.HIGHEST_PROTOCOL)
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
        except BaseException:
            code = 2
        finally:
            os._exit(code)  # never run the MkDocs process's exit handlers in a copy of it

    def _read(self, part: int, fd: int) -> None:
        chunks = []
        with os.fdopen(fd, "rb") as fh:
            while True:
                chunk = fh.read(1 << 20)
                if not chunk:
                    break
                chunks.append(chunk)
        self._raw[part] = b"".join(chunks)

    def join(self) -> list[dict]:
        """Wait for every worker; replay their logs here; raise if one failed."""
        for t in self._readers:
            t.join()
        failures = []
        results = []
        for part, pid, _ in self.children:
            _, status = os.waitpid(pid, 0)
            raw = self._raw.get(part, b"")
            try:
                result = pickle.loads(raw) if raw else {"error": "渲染进程意外退出（可能是内存不足）"}
            except Exception:
                result = {"error": "渲染进程的结果无法读取"}
            if os.WIFSIGNALED(status) and "error" not in result:
                result["error"] = f"渲染进程被信号 {os.WTERMSIG(status)} 终止（可能是内存不足）"
            for name, level, message in result.pop("logs", []):
                logging.getLogger(name).log(level, message)
            result["part"] = part
            if "error" in result:
                failures.append(result)
            results.append(result)
        self.children = []
        if failures:
            f = failures[0]
            log.debug(f.get("traceback", ""))
            raise WorkerFailed(f["error"])
        return results

    def kill(self) -> None:
        for _, pid, _ in self.children:
            try:
                os.kill(pid, signal.SIGKILL)
                os.waitpid(pid, 0)
            except (ProcessLookupError, ChildProcessError):
                pass
        self.children = []


def page_class():
    """The Page class the workers use: MkDocs' own, with one Markdown converter per process.

    MkDocs builds a new converter, loading every extension, for each page (about 0.5 ms,
    25 s of processor time at 50,000 pages); Python-Markdown supports reusing one after
    reset(). The rest is Page.render as MkDocs 1.6 writes it, with its own tree
    processors; if they are not there (another MkDocs), MkDocs' Page is used as it is.
    """
    import logging as _logging

    import markdown
    from mkdocs.structure import pages as mkpages

    try:
        raw_html, anchors = mkpages._RawHTMLPreprocessor, mkpages._ExtractAnchorsTreeprocessor
        relative, title, get_toc = mkpages._RelativePathTreeprocessor, mkpages._ExtractTitleTreeprocessor, mkpages.get_toc
    except AttributeError:
        return mkpages.Page

    class ReusingPage(mkpages.Page):
        converter = None

        def render(self, config, files) -> None:
            if self.markdown is None:
                raise RuntimeError("`markdown` field hasn't been set (via `read_source`)")
            md = ReusingPage.converter
            if md is None:
                md = ReusingPage.converter = markdown.Markdown(
                    extensions=config["markdown_extensions"], extension_configs=config["mdx_configs"] or {})
            else:
                md.reset()
            raw_html_ext = raw_html()
            raw_html_ext._register(md)
            extract_anchors_ext = anchors(self.file, files, config)
            extract_anchors_ext._register(md)
            relative_path_ext = relative(self.file, files, config)
            relative_path_ext._register(md)
            extract_title_ext = title()
            extract_title_ext._register(md)
            self.content = md.convert(self.markdown)
            self.toc = get_toc(getattr(md, "toc_tokens", []))
            self._title_from_render = extract_title_ext.title
            self.present_anchor_ids = extract_anchors_ext.present_anchor_ids | raw_html_ext.present_anchor_ids
            if mkpages.log.getEffectiveLevel() > _logging.DEBUG:
                self.links_to_anchors = relative_path_ext.links_to_anchors

    return ReusingPage


def split(files: list[File], parts: int) -> list[list[File]]:
    """Contiguous shares of nearly equal size (neighbouring items share an issue and its caches)."""
    n = len(files)
    bounds = [round(i * n / parts) for i in range(parts + 1)]
    return [files[bounds[i]:bounds[i + 1]] for i in range(parts)]
