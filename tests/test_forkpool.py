"""forkpool: the one way validation, body checks and rendering fork workers."""

from __future__ import annotations

import logging
import os
import signal
import subprocess
import sys
import time

import pytest

from gazette import forkpool


def test_results_come_back_in_share_order():
    shares = forkpool.split(list(range(10)), 3)
    assert [x for s in shares for x in s] == list(range(10)) and len(shares) == 3
    assert forkpool.run(shares, lambda part, share: (part, sum(share), os.getpid())) [0][:2] == (0, sum(shares[0]))
    pids = {r[2] for r in forkpool.run(shares, lambda part, share: (part, 0, os.getpid()))}
    assert os.getpid() not in pids and len(pids) == 3
    assert forkpool.map_shares(sum, list(range(100)), 4) == [sum(s) for s in forkpool.split(list(range(100)), 4)]
    assert forkpool.map_shares(sum, [1, 2], 1) == [3]  # one worker: in this process


def test_a_failure_is_raised_after_every_worker_ended_and_logs_are_replayed(caplog):
    def work(part, share):
        logging.getLogger("mkdocs.plugins.test").warning(f"警告 {part}")
        if part == 1:
            raise ValueError("第二份出错")
        return part

    with caplog.at_level(logging.WARNING, logger="mkdocs.plugins.test"):
        with pytest.raises(forkpool.WorkerFailed, match="ValueError: 第二份出错"):
            forkpool.run([[1], [2], [3]], work)
    assert sorted(r.getMessage() for r in caplog.records if r.name == "mkdocs.plugins.test") == ["警告 0", "警告 1", "警告 2"]


def test_a_worker_killed_by_a_signal_is_a_failure():
    with pytest.raises(forkpool.WorkerFailed, match="信号 9"):
        forkpool.run([[1]], lambda part, share: os.kill(os.getpid(), signal.SIGKILL), "渲染")


SCRIPT = """
import os, sys, time
from gazette import forkpool
out = sys.argv[1]
def work(part, share):
    for n in range(400):
        with open(os.path.join(out, f"{part}-{n}"), "w") as fh:
            fh.write("x")
        time.sleep(0.01)
pool = forkpool.Pool()
pool.start([[0], [1]], work)
print(" ".join(str(pid) for _, pid in pool.children), flush=True)
pool.join()
"""


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="PR_SET_PDEATHSIG is Linux's")
def test_workers_die_with_a_killed_parent(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    proc = subprocess.Popen([sys.executable, "-c", SCRIPT, str(out)], stdout=subprocess.PIPE, text=True, env=env)
    pids = [int(p) for p in proc.stdout.readline().split()]
    assert len(pids) == 2
    time.sleep(0.3)
    proc.kill()
    proc.wait()
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline and any(_alive(p) for p in pids):
        time.sleep(0.05)
    assert not any(_alive(p) for p in pids)
    written = len(list(out.iterdir()))
    time.sleep(0.3)
    assert len(list(out.iterdir())) == written  # nothing is written after the build died


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as fh:
            return fh.read().split(")")[-1].split()[0] != "Z"
    except OSError:
        return False


def test_index_keys_made_beside_validation_are_the_pinyin_keys_and_a_failed_build_leaves_no_child():
    from gazette.content import slugs

    names = ["江临市财政局", "重庆市人民政府", "银行业监督管理", "通知", "ABC 局", ""]
    made = slugs.PinyinKeys()
    child = made.pool.children[0][1]
    assert made.keys(names) == slugs.index_keys(names) == ["jlsczj", "cqsrmzf", "yhyjdgl", "tz", "abc-j", "x"]
    with pytest.raises(ChildProcessError):
        os.waitpid(child, os.WNOHANG)  # joined: nothing left
    abandoned = slugs.PinyinKeys()  # a build that failed before its catalog
    child = abandoned.pool.children[0][1]
    abandoned.close()
    with pytest.raises(ChildProcessError):
        os.waitpid(child, os.WNOHANG)
