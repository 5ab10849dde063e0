"""A reader run on a file given to `gazette import`, bounded in time and memory.

A crafted file is normal input: a tiny PDF whose content stream inflates to gigabytes, or one of
millions of drawing operators, a web page of hundreds of thousands of blocks. The libraries that
read them (pdfminer, lxml, trafilatura, mammoth) have no limits of their own, so the reader runs
in a forked process with an address-space limit and a clock; past either, the editor gets a
Chinese message and the import goes on with the next file.
"""

from __future__ import annotations

import resource
import signal
from typing import Callable

from gazette import forkpool
from gazette.importer.source import Source, SourceError

SECONDS = 300  # a 300-page scanned-and-OCRed PDF reads in about two minutes
MEMORY = 1536 * 1024 * 1024  # on top of what the process already holds


class _TimeUp(BaseException):  # not an Exception: the libraries' `except Exception` must not swallow it
    pass


def _on_alarm(_signum, _frame):
    raise _TimeUp()


def _limit(seconds: int, memory: int) -> None:
    """In the child: cap its address space and its time (the clock, and CPU time as a backstop
    should the clock's exception be caught)."""
    try:
        with open("/proc/self/statm") as fh:
            held = int(fh.read().split()[0]) * resource.getpagesize()
    except (OSError, ValueError, IndexError):
        held = 0
    resource.setrlimit(resource.RLIMIT_AS, (held + memory, held + memory))
    resource.setrlimit(resource.RLIMIT_CPU, (seconds + 10, seconds + 15))
    signal.signal(signal.SIGALRM, _on_alarm)
    signal.alarm(seconds)


def _attempt(reader: Callable[[str], Source], path: str) -> tuple[str, object]:
    try:
        return "ok", reader(path)
    except SourceError as error:
        return "error", str(error)
    except _TimeUp:
        return "time", ""
    except MemoryError:
        return "memory", ""
    except Exception as error:  # a library's failure on a malformed file
        return "broken", type(error).__name__


def read(reader: Callable[[str], Source], path: str, name: str, *, contained: bool = False) -> Source:
    """`reader(path)` in a bounded child; SourceError (Chinese) for a file past the bounds.
    `contained`: the file is small and holds nothing compressed, so reading it cannot grow past
    its size; it is read in this process (a fork costs more than reading a page of text)."""
    seconds, memory = SECONDS, MEMORY
    if contained or not forkpool.available():
        kind, value = _attempt(reader, path)
    else:
        def work(_part, _share):
            _limit(seconds, memory)
            return _attempt(reader, path)

        try:
            (kind, value), = forkpool.run([None], work, what="读取")
        except forkpool.WorkerFailed:  # killed: by the kernel for memory, or past the CPU time
            kind, value = "killed", ""
    if kind == "ok":
        return value
    if kind == "error":
        raise SourceError(value)
    if kind == "time":
        raise SourceError(f"{name} 读取超过 {seconds} 秒仍未完成，已停止：文件的结构异常复杂（可能是被构造的恶意文件），"
                          "请用原软件重新导出或另存后再导入")
    if kind in ("memory", "killed"):
        raise SourceError(f"{name} 读取时需要的内存超过 {memory // (1024 * 1024)} MB 的上限，已停止：文件解压或展开后"
                          "异常庞大（可能是被构造的恶意文件），请用原软件重新导出或另存后再导入")
    raise SourceError(f"{name} 已损坏或结构异常，无法读取（{value}）：请用原软件重新导出或另存后再导入")
