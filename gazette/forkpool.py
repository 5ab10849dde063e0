"""The one way this package runs work in several processes.

Used by validation (records.load_site), body checks (validation.check_bodies) and
item page rendering (plugin.py through pagepool). Each worker is a fork of the
calling process, so it needs nothing pickled to start: `work(part, share)` is
any callable, closures included. A worker

- dies with the process that forked it (Linux PR_SET_PDEATHSIG): a killed build
  leaves no worker behind that could go on writing into its staging folder;
- sends back one pickled result through a pipe, read by a thread of the parent
  while the worker runs (a large result never blocks it on a full pipe);
- keeps its log records and has them logged in the parent, so warnings count
  towards MkDocs' --strict exactly as the parent's own;
- on an exception sends its message back; `join` raises WorkerFailed with the
  first failure's message after every worker has ended.

The parent's forking thread must outlive the workers (the death signal follows
the thread that forked, not the process): fork and join from the same thread.
"""

from __future__ import annotations

import gc
import logging
import os
import pickle
import signal
import threading
import traceback
from typing import Any, Callable, Sequence

log = logging.getLogger("mkdocs.plugins.gazette")

# Exceptions whose text is already a message for editors (MkDocs' and click's).
_MESSAGES = ("PluginError", "BuildError", "Abort", "ClickException", "ConfigurationError")


class WorkerFailed(RuntimeError):
    pass


def available() -> bool:
    return hasattr(os, "fork")


def cpu_count() -> int:
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


def split(items: Sequence, parts: int) -> list[list]:
    """Contiguous shares of nearly equal size, in order (neighbouring items share caches, and
    results joined share by share come out in the sequential order)."""
    n = len(items)
    parts = max(1, min(parts, n))
    bounds = [round(i * n / parts) for i in range(parts + 1)]
    return [list(items[bounds[i]:bounds[i + 1]]) for i in range(parts)]


class _Capture(logging.Handler):
    """In a worker: keep log records to replay in the parent."""

    def __init__(self):
        super().__init__(logging.DEBUG)
        self.records: list[tuple[str, int, str]] = []

    def emit(self, record):
        try:
            self.records.append((record.name, record.levelno, record.getMessage()))
        except Exception:  # a record that cannot be formatted must not stop the work
            self.records.append((record.name, record.levelno, str(record.msg)))


def _die_with_parent(parent: int) -> None:
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):  # not Linux: nothing to ask for
        return
    if os.getppid() != parent:  # the parent died before the call above
        os._exit(1)


class Pool:
    """Forked workers, one per share; `join` returns their results in share order."""

    def __init__(self, what: str = "工作"):
        self.what = what  # names the workers in messages for editors, e.g. 渲染, 校验
        self.children: list[tuple[int, int]] = []  # (part, pid)
        self._readers: list[threading.Thread] = []
        self._raw: dict[int, bytes] = {}

    def start(self, shares: Sequence, work: Callable[[int, Any], Any]) -> None:
        # The objects a worker inherits stay out of its garbage collections (as Python's gc
        # documentation advises before fork): collecting them would write to their memory and
        # so copy it. About 0.2 s less processor time on 2,000 item pages.
        gc.freeze()
        parent = os.getpid()
        try:
            for part, share in enumerate(shares):
                r, w = os.pipe()
                pid = os.fork()
                if pid == 0:
                    os.close(r)
                    _die_with_parent(parent)
                    _child(part, share, work, w)  # never returns
                os.close(w)
                self.children.append((part, pid))
                t = threading.Thread(target=self._read, args=(part, r), daemon=True)
                t.start()
                self._readers.append(t)
        except BaseException:
            self.kill()
            raise
        finally:
            gc.unfreeze()  # in this process only

    def _read(self, part: int, fd: int) -> None:
        chunks = []
        with os.fdopen(fd, "rb") as fh:
            while chunk := fh.read(1 << 20):
                chunks.append(chunk)
        self._raw[part] = b"".join(chunks)

    def join(self) -> list:
        """Wait for every worker; log their records here; raise WorkerFailed if one failed."""
        for t in self._readers:
            t.join()
        failures, results = [], []
        for part, pid in self.children:
            _, status = os.waitpid(pid, 0)
            raw = self._raw.pop(part, b"")
            try:
                sent = pickle.loads(raw) if raw else {}
            except Exception:
                sent = {"error": f"{self.what}进程的结果无法读取"}
            if os.WIFSIGNALED(status) and "error" not in sent:
                sent["error"] = f"{self.what}进程被信号 {os.WTERMSIG(status)} 终止（可能是内存不足）"
            elif "result" not in sent and "error" not in sent:
                sent["error"] = f"{self.what}进程意外退出（可能是内存不足）"
            for name, level, message in sent.get("logs", ()):
                logging.getLogger(name).log(level, message)
            if "error" in sent:
                failures.append(sent)
            else:
                results.append(sent["result"])
        self.children, self._readers = [], []
        if failures:
            log.debug(failures[0].get("traceback", ""))
            raise WorkerFailed(failures[0]["error"])
        return results

    def kill(self) -> None:
        for _, pid in self.children:
            try:
                os.kill(pid, signal.SIGKILL)
                os.waitpid(pid, 0)
            except (ProcessLookupError, ChildProcessError):
                pass
        self.children, self._readers = [], []


def _child(part: int, share, work, fd: int) -> None:
    code = 0
    capture = _Capture()
    root, mkdocs_logger = logging.getLogger(), logging.getLogger("mkdocs")
    for logger in (root, mkdocs_logger):
        for h in list(logger.handlers):
            logger.removeHandler(h)
    root.addHandler(capture)
    if not mkdocs_logger.propagate:  # MkDocs' command line keeps its records from the root logger
        mkdocs_logger.addHandler(capture)
    try:
        sent = {"result": work(part, share)}
    except BaseException as e:  # everything goes back to the parent as text
        code = 1
        message = str(e) if type(e).__name__ in _MESSAGES else \
            "".join(traceback.format_exception_only(type(e), e)).strip()
        sent = {"error": message, "traceback": traceback.format_exc()}
    sent["logs"] = capture.records
    try:
        data = pickle.dumps(sent, protocol=pickle.HIGHEST_PROTOCOL)
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
    except BaseException:
        code = 2
    finally:
        os._exit(code)  # never run the parent's exit handlers in a copy of it


def run(shares: Sequence, work: Callable[[int, Any], Any], what: str = "工作") -> list:
    """Run `work(part, share)` for every share in its own worker; the results in share order."""
    pool = Pool(what)
    pool.start(shares, work)
    try:
        return pool.join()
    except BaseException:
        pool.kill()
        raise


def map_shares(func: Callable[[list], Any], items: Sequence, workers: int, what: str = "工作") -> list:
    """`func(share)` for `workers` contiguous shares of `items`, in forked workers when there is
    more than one (and fork exists), else in this process. The results in order."""
    if workers > 1 and available() and len(items) > 1:
        return run(split(items, workers), lambda _part, share: func(share), what)
    return [func(list(items))]
