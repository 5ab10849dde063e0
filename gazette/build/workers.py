"""Item pages rendered by worker processes, when nothing but this plugin handles page events.

MkDocs reads and renders every page one after another in one process. A gazette's item
pages are nearly all of its pages, independent of each other, and need nothing from one
another once the catalog exists. When no other plugin (nor hook) handles a page event,
they are left out of MkDocs' own loops (DeferredFiles) and rendered by forked workers
(forkpool.py) through the same per-page steps as MkDocs' (`render_share`). When another
plugin does handle page events (search, RSS, social cards, minifiers, redirects …), it
must see every page in its own process: every page is then rendered by MkDocs' loop.
"""

from __future__ import annotations

import logging
import mmap
import struct
import threading
from typing import Callable, Sequence

from urllib.parse import urljoin, urlsplit

from mkdocs import utils as mkdocs_utils
from mkdocs.exceptions import BuildError, PluginError
from mkdocs.structure.files import File, Files, InclusionLevel

from gazette import forkpool
from gazette.build import mkdocs_internals
from gazette.build.messages import explain_error

log = logging.getLogger("mkdocs.plugins.gazette")

# MkDocs' page events (config.plugins.events keys, without "on_").
PAGE_EVENTS = ("pre_page", "page_read_source", "page_markdown", "page_content", "page_context", "post_page")
# Item pages a worker takes through each step together: the body checks then run one after
# another rather than each between a Markdown conversion and a template, which keeps the
# sanitizer's code and tables in the processor's caches (half their time at 50,000 items).
BATCH = 32
PROGRESS_SECONDS = 15  # a long render says how far it is, so a CI log shows the build moving


class Progress:
    """Pages written so far: each worker counts its own in shared memory, and a thread of the
    MkDocs process logs the sum every PROGRESS_SECONDS until the workers are joined."""

    def __init__(self, parts: int, total: int):
        self.counts, self.total, self.parts = mmap.mmap(-1, 8 * parts), total, parts
        self.stop = threading.Event()

    def add(self, part: int, n: int) -> None:  # in a worker
        (done,) = struct.unpack_from("q", self.counts, 8 * part)
        struct.pack_into("q", self.counts, 8 * part, done + n)

    def watch(self) -> None:
        while not self.stop.wait(PROGRESS_SECONDS):
            done = sum(struct.unpack_from(f"{self.parts}q", self.counts))
            log.info(f"条目页面已生成 {done:,}/{self.total:,}（{done * 100 // max(self.total, 1)}%）")


class DeferredFiles(Files):
    """MkDocs' files, with the item pages held back from its read and render loops.

    They stay in the collection, so links to them resolve and are checked as usual."""

    def __init__(self, files: Files, deferred: set[str]):
        super().__init__(list(files))
        self.deferred = deferred

    def documentation_pages(self, *, inclusion=InclusionLevel.is_included) -> Sequence[File]:
        pages = super().documentation_pages(inclusion=inclusion)
        return [f for f in pages if f.src_uri not in self.deferred]

    def deferred_pages(self) -> list[File]:
        return [f for f in super().documentation_pages() if f.src_uri in self.deferred]

    def all_pages(self) -> Sequence[File]:
        return super().documentation_pages()


def worker_count(option: int) -> int:
    return option if option > 0 else max(1, min(4, forkpool.cpu_count()))


def other_page_handlers(plugins, own) -> list[str]:
    """The names (as in mkdocs.yml) of the plugins and hooks other than `own` that handle a page event."""
    names = []
    for event in PAGE_EVENTS:
        for method in plugins.events.get(event, ()):
            owner = getattr(method, "__self__", None)
            if owner is own:
                continue
            name = next((n for n, p in plugins.items()
                         if p is owner or (owner is None and getattr(p, method.__name__, None) is method)),
                        getattr(method, "__qualname__", repr(method)))
            if name not in names:
                names.append(name)
    return names


def defer(files: Files, item_srcs: set[str], plugins, own, workers: int) -> Files:
    """MkDocs' files with the item pages held back for the workers, or as they were (said in one line)."""
    if not item_srcs or worker_count(workers) < 2 or not forkpool.available():
        return files
    others = other_page_handlers(plugins, own)
    if others:
        log.info(f"其他插件（{'、'.join(others)}）也处理页面事件：条目页面在 MkDocs 进程中逐页渲染，不启用并行渲染")
        return files
    return DeferredFiles(files, item_srcs)


class ItemWorkers:
    """The forked workers of one build: `start` after MkDocs' environment is ready, `join` in on_post_build."""

    def __init__(self, files: DeferredFiles, workers: int, begin: Callable[[], None], finish: Callable[[], dict]):
        self.files = files
        self.all_pages: list = []  # what MkDocs' loop gives every page's context as `pages` (set in start)
        self.count = worker_count(workers)
        self.begin, self.finish = begin, finish  # per worker: set up the features, and collect their results
        self.pool: forkpool.Pool | None = None
        self.progress: Progress | None = None

    def start(self, config, env, nav) -> None:
        self.all_pages = self.files.all_pages()  # with the pages other plugins added after on_files
        items = self.files.deferred_pages()
        shares = forkpool.split(items, self.count)
        log.info(f"条目页面 {len(items)} 个由 {len(shares)} 个进程{'并行' if len(shares) > 1 else ''}渲染")
        self.progress = Progress(len(shares), len(items))
        self.pool = forkpool.Pool("渲染")
        self.pool.start(shares, lambda part, share: self._render_share(part, share, config, env, nav))
        threading.Thread(target=self.progress.watch, daemon=True).start()

    def sitemap_files(self, site_url: str | None) -> list:
        """The site's pages for MkDocs' sitemap.xml, which is rendered before the workers' pages
        exist in this process: what it reads of each (`file.page`: is_link, canonical_url,
        abs_url, update_date) and its src_uri, without a 1 KB Page object per item in the MkDocs process."""
        date = mkdocs_utils.get_build_date()
        return [f if f.page is not None else _SitemapFile(f.src_uri, f.url, site_url, date)
                for f in self.all_pages]

    def join(self) -> list[dict]:
        pool, self.pool = self.pool, None
        if self.progress is not None:
            self.progress.stop.set()
        try:
            return pool.join() if pool is not None else []
        except forkpool.WorkerFailed as e:
            raise PluginError(f"渲染条目页面时出错：{e}") from None

    def kill(self) -> None:
        if self.progress is not None:
            self.progress.stop.set()
        if self.pool is not None:
            self.pool.kill()
            self.pool = None

    def _render_share(self, part: int, share: list, config, env, nav) -> dict:
        """In a worker: item pages through MkDocs 1.6's per-page steps (reading, then building),
        with public calls and mkdocs_internals for the rest: the same bytes as MkDocs' loop
        writes (tests/test_pagepool.py). Only this plugin handles page events here, so the
        order of events across the pages of a batch is nobody else's concern."""
        self.begin()
        page_class = mkdocs_internals.page_class()
        plugins, files = config.plugins, self.files
        for at in range(0, len(share), BATCH):
            pages = [page_class(None, file, config) for file in share[at:at + BATCH]]
            try:
                for i, page in enumerate(pages):
                    with mkdocs_internals.current_page(config, page):
                        pages[i] = page = plugins.on_pre_page(page, config=config, files=files)
                        page.read_source(config)
                        page.markdown = plugins.on_page_markdown(page.markdown, page=page, config=config, files=files)
                        page.render(config, files)
                for page in pages:
                    with mkdocs_internals.current_page(config, page):
                        page.content = plugins.on_page_content(page.content, page=page, config=config, files=files)
                for page in pages:
                    self._write(page, config, env, nav)
                    # Nothing in a worker reads a written page again: its File lets go of it, so a
                    # worker's memory does not grow with its share (a Page, its meta and toc each).
                    page.file.page = None
                self.progress.add(part, len(pages))
            except BuildError:
                raise
            except Exception as exc:  # back to the MkDocs process as a Chinese message naming the file
                raise PluginError(explain_error(exc)) from exc
        return self.finish()

    def _write(self, page, config, env, nav) -> None:
        plugins = config.plugins
        with mkdocs_internals.current_page(config, page):
            page.active = True
            try:
                context = mkdocs_internals.get_context(nav, self.all_pages, config, page)
                template = env.get_template(page.meta.get("template", "main.html"))
                context = plugins.on_page_context(context, page=page, config=config, nav=nav)
                output = plugins.on_post_page(template.render(context), page=page, config=config)
            finally:
                page.active = False
        if output.strip():
            mkdocs_utils.write_file(output.encode("utf-8", errors="xmlcharrefreplace"), page.file.abs_dest_path)
        else:
            log.info(f"页面 {page.file.src_uri} 生成的内容为空，没有写出")  # as MkDocs' loop skips it


class _SitemapFile:
    __slots__ = ("src_uri", "page")

    def __init__(self, src_uri: str, url: str, site_url: str | None, date: str):
        self.src_uri = src_uri
        self.page = _SitemapPage(url, site_url, date)


class _SitemapPage:
    __slots__ = ("canonical_url", "abs_url", "update_date")
    is_link = False

    def __init__(self, url: str, site_url: str | None, date: str):
        # As mkdocs.structure.pages.Page._set_canonical_url computes them.
        if site_url:
            self.canonical_url = urljoin(site_url if site_url.endswith("/") else site_url + "/", url)
            self.abs_url = urlsplit(self.canonical_url).path
        else:
            self.canonical_url = self.abs_url = None
        self.update_date = date
