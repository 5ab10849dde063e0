"""Build one generated corpus several ways and compare.

A developer tool, not part of the installed package. Run from the repository root:

    python tools/bench.py --items 2000

(a) ours: the corpus with the gazette plugin (everything on: pages, indexes, search, QR …);
    nosearch: the same without the search index; noopen: without the open-data files and feeds;
(b) floor: plain Material with the items left out of the nav, in its default configuration, that
    is with MkDocs' default plugin, Material's own search (a site that is searchable, as ours is;
    the issue's reference of 59 MB for 2,000 items is also nearer such a build, 48 MB here, than
    one without any plugin, 27 MB);
(b') bare: the same with no plugin at all (no search index), reported beside it;
(c) blog: Material's blog plugin with the items as posts.
For each: wall time, peak memory of the build's process tree (its processes' proportional set sizes summed,
sampled five times a second, or the largest process's own peak if that is more), HTML bytes per item page,
total output size; then the ratios. Timings our features log (`gazette-timing {...}`) are shown too.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field

import yaml

if __name__ == "__main__" and not __package__:  # `python tools/bench.py`: import tools.* from the repository root
    sys.path[0] = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

from tools import corpus as corpus_mod  # noqa: E402


@dataclass
class Run:
    name: str
    seconds: float
    peak_mb: float
    item_pages: int
    html_bytes_per_item: float
    total_bytes: int
    ok: bool
    timings: list[dict] = field(default_factory=list)
    output_tail: str = ""


def _tree_rss_kb(pid: int) -> int:
    """Memory of a process and all its descendants, from /proc: the sum of their proportional
    set sizes (a page shared by forked workers counts once in total, not once per process)."""
    total = 0
    stack = [pid]
    while stack:
        p = stack.pop()
        try:
            total += _pss_kb(p)
            for task in os.listdir(f"/proc/{p}/task"):  # children of every thread, not just the main one
                with open(f"/proc/{p}/task/{task}/children") as fh:
                    stack.extend(int(c) for c in fh.read().split())
        except (OSError, ValueError):
            continue
    return total


def _pss_kb(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/smaps_rollup") as fh:
            for line in fh:
                if line.startswith("Pss:"):
                    return int(line.split()[1])
    except OSError:
        pass
    with open(f"/proc/{pid}/status") as fh:  # kernels without smaps_rollup: resident size
        for line in fh:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def _measure(cmd: list[str], cwd: str, env: dict) -> tuple[float, float, int, str]:
    # Files written before (the corpus, the previous build) go to disk first, not during this build.
    if hasattr(os, "sync"):
        os.sync()
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    peak = [0]
    done = threading.Event()

    def sample():
        began = time.perf_counter()
        while not done.is_set():
            peak[0] = max(peak[0], _tree_rss_kb(proc.pid))
            # Reading smaps_rollup costs the kernel time the build then lacks, the more the more
            # processes the build has: every 50 ms it made a 2,000-item build with two workers
            # 0.2-0.3 s (5%) slower, against a one-process build. Five times a second, then twice.
            done.wait(0.2 if time.perf_counter() - began < 20 else 0.5)

    thread = threading.Thread(target=sample, daemon=True)
    thread.start()
    output = proc.stdout.read()
    proc.stdout.close()
    largest = 0
    if hasattr(os, "wait4"):
        # The largest process's own peak (kept by the kernel), which a short spike between two
        # samples cannot escape; the samples sum the processes of a build that has several.
        _, status, usage = os.wait4(proc.pid, 0)
        proc.returncode = os.waitstatus_to_exitcode(status)
        largest = usage.ru_maxrss
    else:
        proc.wait()
    seconds = time.perf_counter() - start
    done.set()
    thread.join()
    return seconds, max(peak[0], largest) / 1024, proc.returncode, output


def _size(root: str) -> int:
    total = 0
    for dirpath, _, files in os.walk(root):
        for f in files:
            try:
                total += os.path.getsize(os.path.join(dirpath, f))
            except OSError:
                pass
    return total


def _item_pages(site: str, urls: list[str]) -> tuple[int, float]:
    sizes = []
    for url in urls:
        path = os.path.join(site, url, "index.html")
        if os.path.isfile(path):
            sizes.append(os.path.getsize(path))
    return len(sizes), (sum(sizes) / len(sizes) if sizes else 0.0)


def _item_urls(docs: str) -> list[str]:
    urls = []
    for top in ("gazette", "disclosure"):
        for dirpath, _, files in os.walk(os.path.join(docs, top)):
            for f in files:
                if f.endswith(".md") and f != "index.md":
                    rel = os.path.relpath(os.path.join(dirpath, f[:-3]), docs)
                    urls.append(rel.replace(os.sep, "/"))
    return sorted(urls)


FLOOR_CONFIG = """site_name: 基线
site_url: https://gk.example.gov.cn/
docs_dir: docs
theme:
  name: material
  language: zh
  font: false
nav:
  - index.md
validation:
  nav:
    omitted_files: ignore
markdown_extensions:
  - tables
  - toc
"""

BARE_CONFIG = FLOOR_CONFIG.replace("\nnav:", "\nplugins: []\nnav:", 1)  # no plugin, so no search either

BLOG_CONFIG = """site_name: 对照（博客插件）
site_url: https://gk.example.gov.cn/
docs_dir: docs
theme:
  name: material
  language: zh
  font: false
plugins:
  - blog
nav:
  - index.md
  - blog/index.md
validation:
  nav:
    omitted_files: ignore
markdown_extensions:
  - tables
  - toc
"""


def _make_blog(src_docs: str, dest: str) -> list[str]:
    """The corpus as blog posts: the same bodies, with the `date` the blog plugin needs."""
    posts = os.path.join(dest, "docs", "blog", "posts")
    os.makedirs(posts)
    with open(os.path.join(dest, "docs", "index.md"), "w", encoding="utf-8") as fh:
        fh.write("# 首页\n")
    with open(os.path.join(dest, "docs", "blog", "index.md"), "w", encoding="utf-8") as fh:
        fh.write("# 文件\n")
    slugs = []
    for url in _item_urls(src_docs):
        with open(os.path.join(src_docs, url + ".md"), encoding="utf-8") as fh:
            text = fh.read()
        head, body = text[4:].split("\n---\n", 1)
        title = re.search(r"^title: (.*)$", head, re.M).group(1)
        date = re.search(r"^published: (.*)$", head, re.M).group(1)
        slug = url.replace("/", "-")
        slugs.append((date, slug))
        with open(os.path.join(posts, slug + ".md"), "w", encoding="utf-8") as fh:
            fh.write(f"---\ndate: {date}\nslug: {slug}\n---\n\n# {title}\n{body}")
    with open(os.path.join(dest, "mkdocs.yml"), "w", encoding="utf-8") as fh:
        fh.write(BLOG_CONFIG)
    return [f"blog/{d[:4]}/{d[5:7]}/{d[8:10]}/{s}" for d, s in slugs]


def run(items: int, *, text_from: str | None, workdir: str, only: list[str], keep: bool, rebuild: bool = False) -> list[Run]:
    root = os.path.join(workdir, f"bench-{items}")
    # A workdir kept from an earlier run is set aside, and deleted only after the builds: every build
    # starts cold, and none pays for the deletion (this machine's ext4 then spends long finding
    # free inodes among those deleted in the last minutes, as perf showed).
    old = f"{root}.old-{os.getpid()}"
    if os.path.exists(root):
        os.rename(root, old)
    try:
        return _run_builds(root, items, text_from=text_from, only=only, keep=keep, rebuild=rebuild)
    finally:
        shutil.rmtree(old, ignore_errors=True)


# `mkdocs build` with the plugin's own DEBUG lines (its timings) shown, and nothing else of -v:
# -v would also log every page's events, which costs time the plain builds do not pay.
_MKDOCS_WITH_TIMINGS = """\
import logging, runpy, sys
logging.getLogger("mkdocs.plugins.gazette").setLevel(logging.DEBUG)
sys.argv = ["mkdocs", *sys.argv[1:]]
runpy.run_module("mkdocs", run_name="__main__")
"""


def _run_builds(root: str, items: int, *, text_from: str | None, only: list[str], keep: bool, rebuild: bool) -> list[Run]:
    ours_dir = os.path.join(root, "ours")
    c = corpus_mod.generate(ours_dir, items, text_from)
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "PYTHONHASHSEED": "0"}
    mkdocs = [sys.executable, "-c", _MKDOCS_WITH_TIMINGS, "build"]
    urls = _item_urls(c.docs)
    runs = []

    def ours_run(name: str, config: str = "mkdocs.yml", site_dir: str = "site") -> Run:
        seconds, peak, code, out = _measure(mkdocs + ["-f", config], ours_dir, env)
        site = os.path.join(ours_dir, site_dir)
        n, per = _item_pages(site, urls)
        timings = [json.loads(m) for m in re.findall(r"gazette-timing (\{.*\})", out)]
        return Run(name, seconds, peak, n, per, _size(site), code == 0, timings, out[-2000:])

    if "ours" in only:
        runs.append(ours_run("ours"))
        if rebuild:
            # The same input again: what an office's CI pays for a routine publication (the disk caches warm).
            runs.append(ours_run("rebuild"))
    for variant, changes in VARIANTS.items():
        # The same site with one part off: what that part adds, against what the rest costs.
        if variant not in only:
            continue
        with open(os.path.join(ours_dir, "mkdocs.yml"), encoding="utf-8") as fh:
            cfg = yaml.safe_load(fh)
        for i, plugin in enumerate(cfg["plugins"]):
            name = plugin if isinstance(plugin, str) else next(iter(plugin))
            if name == "gazette":
                options = {} if isinstance(plugin, str) else dict(plugin["gazette"] or {})
                options.update(changes)
                cfg["plugins"][i] = {"gazette": options}
        cfg["site_dir"] = f"site-{variant}"
        with open(os.path.join(ours_dir, f"mkdocs-{variant}.yml"), "w", encoding="utf-8") as fh:
            yaml.safe_dump(cfg, fh, allow_unicode=True, sort_keys=False)
        runs.append(ours_run(variant, f"mkdocs-{variant}.yml", f"site-{variant}"))
    for name, config in (("floor", FLOOR_CONFIG), ("bare", BARE_CONFIG)):
        if name not in only:
            continue
        floor_dir = os.path.join(root, name)
        os.makedirs(floor_dir, exist_ok=True)
        os.symlink(c.docs, os.path.join(floor_dir, "docs"))
        with open(os.path.join(floor_dir, "mkdocs.yml"), "w", encoding="utf-8") as fh:
            fh.write(config)
        seconds, peak, code, out = _measure(mkdocs, floor_dir, env)
        n, per = _item_pages(os.path.join(floor_dir, "site"), urls)
        runs.append(Run(name, seconds, peak, n, per, _size(os.path.join(floor_dir, "site")), code == 0, [], out[-2000:]))
    if "blog" in only:
        blog_dir = os.path.join(root, "blog")
        blog_urls = _make_blog(c.docs, blog_dir)
        seconds, peak, code, out = _measure(mkdocs, blog_dir, env)
        n, per = _item_pages(os.path.join(blog_dir, "site"), blog_urls)
        runs.append(Run("blog", seconds, peak, n, per, _size(os.path.join(blog_dir, "site")), code == 0, [], out[-2000:]))
    if not keep:
        shutil.rmtree(root, ignore_errors=True)
    return runs


# Our site with a part switched off (its options), to measure what the part adds.
VARIANTS = {"nosearch": {"search": False}, "noopen": {"open_data": False, "feeds": False}}
NAMES = {"rebuild": "本系统，再次构建（同一输入）", "ours": "本系统（gazette 插件）", "nosearch": "本系统，不建搜索索引",
         "noopen": "本系统，不写开放数据和订阅源", "floor": "基线：Material 默认配置（含其搜索），条目不进导航",
         "bare": "参考：同上但无任何插件（无搜索）", "blog": "对照：Material 博客插件"}


def report(items: int, runs: list[Run]) -> str:
    lines = [f"== bench：{items} 篇 ==",
             f"{'构建':<28}{'耗时(s)':>10}{'峰值内存(MB)':>14}{'条目页数':>10}{'条目页HTML(KB)':>16}{'输出总量(MB)':>14}  状态"]
    for r in runs:
        lines.append(f"{NAMES[r.name]:<24}{r.seconds:>10.1f}{r.peak_mb:>14.0f}{r.item_pages:>10}"
                     f"{r.html_bytes_per_item / 1024:>16.1f}{r.total_bytes / 1024 / 1024:>14.1f}  {'成功' if r.ok else '失败'}")
    by = {r.name: r for r in runs}
    if "ours" in by:
        ours = by["ours"]
        for other in ("floor", "bare", "blog"):
            if other in by and by[other].seconds:
                lines.append(f"耗时比 本系统/{NAMES[other]}：{ours.seconds / by[other].seconds:.2f}")
        if "nosearch" in by and by["nosearch"].seconds:
            pages = by["nosearch"]
            for other in ("floor", "bare"):  # pages alone, against Material with and without its search
                if other in by and by[other].seconds:
                    lines.append(f"耗时比 {NAMES['nosearch']}/{NAMES[other]}：{pages.seconds / by[other].seconds:.2f}")
            lines.append(f"搜索索引增加的耗时：{ours.seconds - pages.seconds:.1f} s，"
                         f"为页面构建本身的 {(ours.seconds - pages.seconds) / pages.seconds:.2f} 倍")
        if "noopen" in by and by["noopen"].seconds:
            rest = by["noopen"]
            lines.append(f"开放数据和订阅源增加的耗时：{ours.seconds - rest.seconds:.1f} s，"
                         f"为其余构建的 {100 * (ours.seconds - rest.seconds) / rest.seconds:.1f}%")
        lines.append(f"输出每篇：{ours.total_bytes / max(1, items) / 1024:.1f} KB")
        for run_ in (r for r in runs if r.name in ("ours", "rebuild", *VARIANTS)):
            lines.append(f"{NAMES[run_.name]}各环节：")
            for t in run_.timings:
                extra = ", ".join(f"{k}={v}" for k, v in t.items() if k not in ("feature", "seconds"))
                per = ""
                count = t.get("codes") or t.get("pages") or t.get("items")
                if count:
                    per = f"（每项 {1000 * t['seconds'] / count:.2f} ms）"
                lines.append(f"  {t.get('feature')}: {t.get('seconds'):.2f} s {per} {extra}")
    for r in runs:
        if not r.ok:
            lines.append(f"--- {r.name} 构建失败，输出末尾：\n{r.output_tail}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python tools/bench.py", description="在生成的站点上比较构建耗时、内存和输出大小（开发工具）")
    p.add_argument("--items", default="2000", help="文章数，可写多个以逗号分隔（如 500,2000）以查看增长是否线性")
    p.add_argument("--text-from", default=None, help="正文来源目录（默认为仓库内的 tools/corpus-text/）")
    p.add_argument("--only", default="ours,nosearch,noopen,floor,bare,blog",
                   help="只运行其中几项：ours（本系统）,nosearch（本系统不建搜索索引）,noopen（本系统不写开放数据和订阅源）,floor（Material 默认配置，含其搜索）,"
                        "bare（Material 无插件）,blog")
    p.add_argument("--workdir", default=None, help="工作目录（默认临时目录）")
    p.add_argument("--keep", action="store_true", help="保留生成的站点")
    p.add_argument("--rebuild", action="store_true", help="本系统用同一输入再构建一次，报告再次构建的耗时")
    p.add_argument("--json", help="把结果另存为 JSON 文件")
    args = p.parse_args(argv)
    if args.text_from and not os.path.isdir(args.text_from):
        p.error(f"找不到正文目录 {args.text_from}")
    only = [x.strip() for x in args.only.split(",") if x.strip()]
    workdir = args.workdir or tempfile.mkdtemp(prefix="gazette-bench-")
    results = {}
    failed = False
    for n in [int(x) for x in str(args.items).split(",")]:
        runs = run(n, text_from=args.text_from, workdir=workdir, only=only, keep=args.keep, rebuild=args.rebuild)
        print(report(n, runs), flush=True)
        results[n] = [r.__dict__ for r in runs]
        failed |= not all(r.ok for r in runs)
    if len(results) > 1 and "ours" in only:
        sizes = sorted(results)
        per = [next(r for r in results[n] if r["name"] == "ours")["total_bytes"] / n / 1024 for n in sizes]
        print("输出每篇（KB）随规模：" + "，".join(f"{n} 篇 {p:.1f}" for n, p in zip(sizes, per)))
    if args.json:
        with open(args.json, "w", encoding="utf-8") as fh:
            json.dump(results, fh, ensure_ascii=False, indent=1, default=str)
    if not args.workdir:
        shutil.rmtree(workdir, ignore_errors=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
