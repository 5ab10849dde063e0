"""Never half-publish: build into a folder beside site/ and swap it in only when everything succeeded.

site/ always holds a complete site. Where Linux's renameat2 can exchange, the staged folder and
site/ trade places in one system call. Elsewhere site/ becomes a symlink to a release folder
(`.site-releases/<n>-<pid>`) that a new symlink replaces in one rename. Turning a real site/
folder into such a symlink takes two renames, between which site/ is absent: a build killed then
leaves the previous site as the only release, and the next build links site/ to it first.

Leftovers of killed builds are removed only if nothing published is lost: staging folders of
dead processes, and releases other than the one site/ points to.
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import glob
import os
import re
import shutil

_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


def _exchange(a: str, b: str) -> bool:
    """Atomically swap two paths (Linux renameat2); False where the system cannot."""
    if os.environ.get("GAZETTE_NO_EXCHANGE"):  # tests of the fallback in a real build
        return False
    try:
        fn = ctypes.CDLL(None, use_errno=True).renameat2
    except (OSError, AttributeError):
        return False
    fn.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    if fn(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE) == 0:
        return True
    err = ctypes.get_errno()
    if err in (errno.ENOSYS, errno.EINVAL, getattr(errno, "ENOTSUP", errno.EINVAL)):
        return False
    raise OSError(err, os.strerror(err), a)


def _stale(pid_text: str) -> bool:
    """A leftover named by the process id of a build that is no longer running (or is this one)."""
    if not pid_text.isdigit():
        return False
    try:
        os.kill(int(pid_text), 0)
    except ProcessLookupError:
        return True
    except PermissionError:  # running as another user
        return False
    return int(pid_text) == os.getpid()


_RELEASE = re.compile(r"^(\d+)-(\d+)$")  # <n>-<pid>


class StagedSite:
    def __init__(self, final_dir: str):
        path = os.path.abspath(final_dir)
        for _ in range(40):  # follow a user's symlinks until our own (a release) or a real folder
            if not os.path.islink(path) or self._managed(path):
                break
            path = os.path.normpath(os.path.join(os.path.dirname(path), os.readlink(path)))
        if not self._managed(path):
            # A site/ that is a symlink (e.g. into /var/www) keeps pointing where it did:
            # the folder it points to is the one that gets replaced.
            path = os.path.realpath(path)
        self.final = path
        self.parent, self.name = os.path.split(self.final)
        self.releases = self._releases_of(self.final)
        self.staging = os.path.join(self.parent, f".{self.name}-building-{os.getpid()}")
        self.temp_link = os.path.join(self.parent, f".{self.name}-link-{os.getpid()}")

    @staticmethod
    def _releases_of(path: str) -> str:
        parent, name = os.path.split(path)
        return os.path.join(parent, f".{name}-releases")

    @classmethod
    def _managed(cls, path: str) -> bool:
        """site/ is our own symlink to one of its releases."""
        if not os.path.islink(path):
            return False
        target = os.path.normpath(os.path.join(os.path.dirname(path), os.readlink(path)))
        return os.path.dirname(target) == os.path.normpath(cls._releases_of(path))

    # -- releases (the fallback) ----------------------------------------------------

    def _release_names(self) -> list[str]:
        try:
            names = [n for n in os.listdir(self.releases) if _RELEASE.match(n)]
        except FileNotFoundError:
            return []
        return sorted(names, key=lambda n: int(_RELEASE.match(n)[1]))

    def _current_release(self) -> str | None:
        """The release site/ points to, if site/ is our symlink."""
        if not self._managed(self.final):
            return None
        return os.path.basename(os.path.normpath(os.readlink(self.final)))

    def _make_temp_link(self, target: str) -> None:
        """A symlink to `target` under a temporary name, to be renamed over site/ in one step."""
        if os.path.lexists(self.temp_link):
            os.remove(self.temp_link)
        os.symlink(os.path.relpath(target, self.parent), self.temp_link, target_is_directory=True)

    def _link_to(self, release: str) -> None:
        self._make_temp_link(os.path.join(self.releases, release))
        os.replace(self.temp_link, self.final)

    def recover(self) -> None:
        """A build killed while site/ was being turned into a symlink: link the last published site again."""
        if os.path.exists(self.final):
            return
        names = self._release_names()
        if names:
            self._link_to(names[-1])
            return
        # Leftover of the older two-rename swap: `.site-old-<pid>` is the last published site.
        olds = sorted(glob.glob(os.path.join(self.parent, f".{self.name}-old-*")), key=os.path.getmtime)
        if olds:
            if os.path.lexists(self.final):
                os.remove(self.final)  # a dangling symlink
            os.rename(olds[-1], self.final)

    def begin(self) -> str:
        os.makedirs(self.parent, exist_ok=True)
        self.recover()
        complete = os.path.isdir(self.final)
        # Leftovers of builds that were killed: their process is gone.
        for stale in glob.glob(os.path.join(self.parent, f".{self.name}-*-*")):
            kind, _, pid = os.path.basename(stale)[len(self.name) + 2:].rpartition("-")
            if not _stale(pid):
                continue
            if kind == "building" or (kind == "old" and complete):  # never published, or replaced by now
                shutil.rmtree(stale, ignore_errors=True)
            elif kind == "link" and os.path.islink(stale):
                os.remove(stale)
        current = self._current_release()
        if complete:
            for name in self._release_names():
                # Older releases and ones a killed build never linked; never the one site/ shows.
                if name != current and _stale(_RELEASE.match(name)[2]):
                    shutil.rmtree(os.path.join(self.releases, name), ignore_errors=True)
        os.makedirs(self.staging)
        return self.staging

    # -- the swap ----------------------------------------------------------------------

    def commit(self) -> None:
        if not os.path.isdir(self.final):  # absent, a file or a dangling symlink: nothing published to keep
            if os.path.lexists(self.final):
                os.remove(self.final)
            os.rename(self.staging, self.final)
            return
        if self._current_release() is None:
            if _exchange(self.staging, self.final):
                shutil.rmtree(self.staging, ignore_errors=True)  # now holds the previous site
                return
            self._adopt()
        self._publish_release()

    def _next_release(self) -> str:
        names = self._release_names()
        n = int(_RELEASE.match(names[-1])[1]) + 1 if names else 1
        return f"{n}-{os.getpid()}"

    def _adopt(self) -> None:
        """site/ is a real folder and cannot be exchanged: make it the first release, site/ a symlink to it."""
        os.makedirs(self.releases, exist_ok=True)
        target = os.path.join(self.releases, self._next_release())
        self._make_temp_link(target)
        os.rename(self.final, target)  # site/ is absent from here …
        try:
            os.replace(self.temp_link, self.final)  # … to here (see the module's docstring)
        except BaseException:
            os.rename(target, self.final)
            raise

    def _publish_release(self) -> None:
        previous = self._current_release()
        release = self._next_release()
        target = os.path.join(self.releases, release)
        os.rename(self.staging, target)
        try:
            self._link_to(release)
        except BaseException:
            os.rename(target, self.staging)  # abort() removes it; site/ still shows the previous release
            raise
        if previous and previous != release:
            shutil.rmtree(os.path.join(self.releases, previous), ignore_errors=True)

    def abort(self) -> None:
        shutil.rmtree(self.staging, ignore_errors=True)
        if os.path.islink(self.temp_link):
            os.remove(self.temp_link)
        with contextlib.suppress(OSError):
            self.recover()
