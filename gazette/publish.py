"""Never half-publish: build into a folder beside site/ and swap it in only when everything succeeded."""

from __future__ import annotations

import ctypes
import ctypes.util
import errno
import glob
import os
import shutil

_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


def _exchange(a: str, b: str) -> bool:
    """Atomically swap two paths (Linux renameat2); False where the system cannot."""
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        fn = libc.renameat2
    except (OSError, AttributeError):
        return False
    fn.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    if fn(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE) == 0:
        return True
    if ctypes.get_errno() in (errno.ENOSYS, errno.EINVAL, errno.ENOTSUP if hasattr(errno, "ENOTSUP") else errno.EINVAL):
        return False
    raise OSError(ctypes.get_errno(), os.strerror(ctypes.get_errno()), a)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


class StagedSite:
    def __init__(self, final_dir: str):
        # A site/ that is a symlink (e.g. into /var/www) keeps pointing where it did:
        # the folder it points to is the one that gets replaced.
        self.final = os.path.realpath(final_dir)
        parent, name = os.path.split(self.final)
        self.parent, self.name = parent, name
        self.staging = os.path.join(parent, f".{name}-building-{os.getpid()}")

    def begin(self) -> str:
        os.makedirs(self.parent, exist_ok=True)
        # Leftovers of builds that were killed: their process is gone.
        for stale in glob.glob(os.path.join(self.parent, f".{self.name}-*-*")):
            pid = stale.rsplit("-", 1)[-1]
            if pid.isdigit() and (int(pid) == os.getpid() or not _alive(int(pid))):
                shutil.rmtree(stale, ignore_errors=True)
        os.makedirs(self.staging)
        return self.staging

    def commit(self) -> None:
        if not os.path.isdir(self.final):
            if os.path.lexists(self.final):
                os.remove(self.final)
            os.rename(self.staging, self.final)
            return
        if _exchange(self.staging, self.final):
            shutil.rmtree(self.staging, ignore_errors=True)  # now holds the previous site
            return
        old = os.path.join(self.parent, f".{self.name}-old-{os.getpid()}")
        os.rename(self.final, old)
        os.rename(self.staging, self.final)
        shutil.rmtree(old, ignore_errors=True)

    def abort(self) -> None:
        shutil.rmtree(self.staging, ignore_errors=True)
