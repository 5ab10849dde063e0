"""The MkDocs plugin: runs the stages in order and hands MkDocs the pages they produce.

on_config  options, theme, staging folder
on_files   records → catalog → views; generated pages added as virtual files
on_page_*  item and issue pages get their template and catalog objects
on_post_build  the staged site replaces site/ only if the whole build succeeded
"""

from __future__ import annotations

import json
import logging
import os

from click import ClickException
from markupsafe import Markup, escape
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import BuildError, PluginError
from mkdocs.plugins import BasePlugin, CombinedEvent, event_priority
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page
from mkdocs import utils as mkdocs_utils

from gazette.model import addresses
from gazette.model import catalog as catalog_mod
from gazette.safety import bodycheck
from gazette.disclosure import rules as disclosure
from gazette import forkpool
from gazette.content import frontmatter
from gazette.build import mkdocs_internals
from gazette.build import pagepool
from gazette.build import render_cache
from gazette.safety import rules as safety
from gazette.diagnostics import Report
from gazette.qr import codes as qr_mod
from gazette.build.config import GazetteConfig, check_timezone, read_columns
from gazette.build.publish import StagedSite
from gazette.content.records import Layout, report_links, unsafe_links
from gazette.search.index import SiteSearch
from gazette.build.theme_options import theme_globals
from gazette.validation import Site, check_site
from gazette.model.views import Planner, View

log = logging.getLogger("mkdocs.plugins.gazette")
from gazette import THEME_DIR


# Front-matter values Material prints into HTML without escaping (`<title>{{ page.meta.title }}`,
# `<meta name="description" content="{{ page.meta.description }}">`, the nav's status class …).
MATERIAL_TEXT_KEYS = ("title", "description", "subtitle", "status")


def escape_meta(meta: dict) -> None:
    """Hand Material HTML-escaped text (Markup, so that autoescaping does not escape it twice)."""
    for key in MATERIAL_TEXT_KEYS:
        value = meta.get(key)
        if value is not None and not isinstance(value, Markup):
            meta[key] = escape(value if isinstance(value, str) else str(value))
    # Material's tags plugin prints each tag's name as is (its on_page_markdown runs after ours).
    tags = meta.get("tags")
    if isinstance(tags, (list, tuple)):
        meta["tags"] = [t if isinstance(t, Markup) else escape(t) if isinstance(t, str) else t for t in tags]
    elif isinstance(tags, str):
        meta["tags"] = escape(tags)


def template_problem(name, theme_dirs: list[str]) -> str | None:
    """Why an editor's `template:` is refused (Chinese), or None.

    Allowed: a page template of the theme (main.html, a site's own override such as
    home.html). Refused: partials and snippets (not pages), our gazette/ templates
    (they need the plugin's data for the page), the QR sheet, anything outside the theme.
    """
    if not isinstance(name, str) or not name.strip():
        return "应为模板文件名，例如 main.html"
    parts = name.split("/")
    if (not name.endswith(".html") or name.startswith("/") or "\\" in name
            or any(part in ("", ".", "..") for part in parts)):
        return f"「{name}」不是主题中的页面模板，应为例如 main.html 的文件名"
    if parts[0] in ("partials", "fragments", ".icons", "hooks", "assets") or parts[0].startswith("."):
        return f"「{name}」是页面的组成部分，不能作为整页模板"
    if parts[0] == "gazette":
        return f"「{name}」由 gazette 插件用于公报和政务公开的页面，不能由编辑指定"
    if not any(os.path.isfile(os.path.join(d, *parts)) for d in theme_dirs):
        return f"找不到模板「{name}」，请检查文件名或 overrides 目录"
    return None


def frontmatter_line(path: str | None, key: str) -> int:
    """The line of `key:` in a file's front matter (1 if it cannot be found)."""
    try:
        with open(path or "", encoding="utf-8-sig") as fh:
            lines = fh.read().splitlines()
    except (OSError, UnicodeDecodeError):
        return 1
    if not lines or lines[0].strip() != "---":
        return 1
    for n, line in enumerate(lines[1:], 2):
        if line.strip() in ("---", "..."):
            break
        if line.split(":", 1)[0].strip().strip("\"'") == key:
            return n
    return 1


def cn_date(value) -> str:
    """2013-12-10 → 2013年12月10日, the way official documents print dates."""
    if not value:
        return ""
    return f"{value.year}年{value.month}月{value.day}日"


def _os_problem(exc: OSError) -> str:
    import errno

    reason = {errno.ENOSPC: "磁盘空间已满", errno.EROFS: "文件系统只读", errno.EACCES: "没有写入权限",
              errno.EPERM: "没有写入权限", errno.EDQUOT: "超出磁盘配额", errno.ENOTDIR: "路径中有同名文件挡住了目录"}
    text = reason.get(exc.errno, exc.strerror or str(exc))
    return f"{text}：{exc.filename}" if exc.filename else text


def _explain_error(error: BaseException) -> str:
    """A Chinese message for an unexpected exception, naming the page being built if there was one."""
    page = None
    tb = error.__traceback__
    while tb is not None:  # the innermost frame that was working on a page
        candidate = tb.tb_frame.f_locals.get("page")
        if isinstance(candidate, Page):
            page = candidate
        tb = tb.tb_next
    where = ""
    if page is not None and page.file is not None:
        where = f"{_shown(page.file.abs_src_path) if page.file.abs_src_path else page.file.src_uri}:1: "
    if isinstance(error, OSError):
        return f"{where}写入或读取文件时出错（{_os_problem(error)}），本次没有发布；原有站点保持不变。"
    if isinstance(error, RecursionError):
        return f"{where}页面内容嵌套过深，无法生成，本次没有发布；原有站点保持不变。"
    detail = str(error).splitlines()[0][:200] if str(error) else ""
    return (f"{where}生成{'此页面' if where else '网站'}时出现意外错误（{type(error).__name__}: {detail}），"
            "本次没有发布；原有站点保持不变。请把这条信息告诉网站技术人员。")


def _shown(path: str) -> str:
    rel = os.path.relpath(path)
    return path if rel.startswith("..") else rel


class _WarningCounter(logging.Handler):
    def __init__(self):
        super().__init__(logging.WARNING)
        self.count = 0

    def emit(self, record):
        self.count += 1


class GazettePlugin(BasePlugin[GazetteConfig]):
    RENDER_BATCH = 32  # item pages a worker takes through each step together (_render_share)
    supports_multiple_instances = False

    def __init__(self):
        self.command = "build"
        self.catalog = None
        self.views: dict[str, View] = {}
        self.planner: Planner | None = None
        self.staged: StagedSite | None = None
        self.counter: _WarningCounter | None = None
        self._epoch_set = False
        self.qr: qr_mod.QrFeature | None = None
        self.search = SiteSearch()  # full-text search, see search.py
        self.body_check: bodycheck.BodyCheck | None = None  # page bodies: sanitizer and text checks
        self.render_report = Report()  # what the body checks found while pages were rendered
        self.validation_report = Report()
        self.pool: forkpool.Pool | None = None  # item pages rendered by worker processes
        self.nav = None
        self.env = None

    def on_startup(self, *, command, dirty):
        self.command = command

    # -- configuration --------------------------------------------------------

    def on_config(self, config: MkDocsConfig):
        if not self.config.enabled:
            return config
        problems: list[str] = []
        self.columns = read_columns(self.config.columns, problems)
        check_timezone(self.config.timezone, problems)
        if problems:
            raise PluginError("mkdocs.yml 中 gazette 插件的配置有误：\n  " + "\n  ".join(problems))
        disclosure.TIMEZONE = self.config.timezone  # the build day is the site's, not the machine's
        self.layout = Layout(self.config.gazette_dir, self.config.disclosure_dir, tuple(self.columns),
                             addresses.declared(self.config, config.use_directory_urls))
        # Disclosure rules: working-day calendar, validity filters, annual-report formats.
        self.project_dir = os.path.dirname(os.path.abspath(config.config_file_path or "mkdocs.yml"))
        self.disclosure = disclosure.Setup.from_config(self.config, self.project_dir, problems)
        if problems:
            raise PluginError("mkdocs.yml 中 gazette 插件的配置有误：\n  " + "\n  ".join(problems))
        bodycheck.prepare_markdown(config.markdown_extensions, config.mdx_configs)
        if "assets/gazette/disclosure.css" not in [str(x) for x in config.extra_css]:
            config.extra_css.append("assets/gazette/disclosure.css")

        # The theme that every office needs ships with the package; a site's own
        # overrides (custom_dir) still come first.
        dirs = config.theme.dirs
        if THEME_DIR not in dirs:
            dirs.insert(1 if config.theme.custom_dir else 0, THEME_DIR)
        if config.theme.name == "material":
            config.theme["font"] = False  # no request may leave the site's origin
        for css in ("assets/gazette/gazette.css", "assets/gazette/search.css"):
            if css not in [str(x) for x in config.extra_css]:
                config.extra_css.append(css)
        self.qr = qr_mod.configure(self.config, config)  # QR codes: requires site_url
        # 50,000 items are deliberately left out of the nav; listing them is noise.
        config.validation.nav.omitted_files = logging.DEBUG
        config.validation.nav.absolute_links = logging.INFO

        if config.strict:
            self.counter = _WarningCounter()
            logging.getLogger("mkdocs").addHandler(self.counter)
        if self.command in ("build", "gh-deploy") and self.config.atomic:
            self.final_site_dir = config.site_dir
            try:
                self.staged = StagedSite(config.site_dir)
                config.site_dir = self.staged.begin()
            except OSError as exc:
                self.staged = None
                raise PluginError(f"无法在 {os.path.dirname(os.path.abspath(self.final_site_dir))} 中准备构建目录"
                                  f"（{_os_problem(exc)}），本次没有发布；原有站点保持不变。") from None
        return config

    # -- records → catalog → views -------------------------------------------

    @event_priority(50)  # before other plugins look at the files
    def on_files(self, files: Files, *, config: MkDocsConfig):
        if not self.config.enabled:
            return files
        project = os.path.dirname(os.path.abspath(config.config_file_path or "mkdocs.yml"))
        prefix = os.path.relpath(config.docs_dir, project).replace(os.sep, "/")
        links, taken = self._refuse_unsafe(files, config)
        self._doc_files = [f for f in files.documentation_pages() if f.abs_src_path and not f.generated_by]
        srcs = sorted(f.src_uri for f in self._doc_files)
        site = Site(self.config, config.docs_dir, "" if prefix == "." else prefix, self.layout, config.site_url,
                    config.mdx_configs.get("toc") or {}, (config.markdown_extensions, config.mdx_configs),
                    config.use_directory_urls)
        display = (lambda src: src) if prefix == "." else (lambda src: f"{prefix}/{src}")
        extra = Report()
        report_links(links, display, extra)
        for src, owner in taken:
            extra.error(display(src), 1, self.layout.reserved.message(src, owner), "reserved-address")
        records, report, checker = check_site(site, srcs=srcs, bodies="on-error", extra=extra,
                                              set_checks=self.disclosure.set_checks(config.docs_dir, self.project_dir))
        self._log(report)
        self.validation_report = report
        self.render_report = Report()
        if checker.items:  # summed over the validation workers of a large site
            log.info("gazette-timing " + json.dumps({"feature": "safety", "seconds": round(checker.seconds, 3), "items": checker.items}))
        if config.strict and report.warnings and not report.errors:
            # MkDocs counts only warnings that were logged, and `-q` logs none: a strict
            # build must not publish content with warnings however quiet it is.
            raise PluginError(f"内容检查发现 {len(report.warnings)} 处警告，--strict 模式下本次没有发布；"
                              f"原有的 {os.path.basename(getattr(self, 'final_site_dir', config.site_dir))}/ 保持不变。")
        if report.errors:
            self._write_links_report(report, config)
            raise PluginError(
                f"内容检查发现 {len(report.errors)} 处错误（见上方各行：文件:行号: 说明），本次没有发布；"
                f"原有的 {os.path.basename(getattr(self, 'final_site_dir', config.site_dir))}/ 保持不变。"
            )

        self.body_check = bodycheck.BodyCheck(checker)
        use_dir = config.use_directory_urls
        self.catalog = catalog_mod.build(
            records, gazette_name=self.config.gazette_name, gazette_dir=self.config.gazette_dir,
            disclosure_dir=self.config.disclosure_dir, browse_dir=self.config.browse_dir,
            columns=self.columns, url=lambda src: catalog_mod.url_for(src, use_dir),
        )
        self.planner = Planner(self.catalog, gazette_dir=self.config.gazette_dir,
                               disclosure_dir=self.config.disclosure_dir, browse_dir=self.config.browse_dir,
                               disclosure_name=self.config.disclosure_name, page_size=self.config.page_size)
        self.views = self.planner.plan()
        self.views.update(disclosure.extra_views(self.catalog, self.planner, self.disclosure, self.views))
        self._refuse_taken_views(files, records, config, display)
        for src in self.views:
            if files.get_file_from_path(src) is None:
                files.append(File.generated(config, src, content=""))
        if config.nav is None:
            config.nav = self._default_nav(files)
        self._fix_build_date(records)
        if self.qr is not None:
            self.qr.plan(self.catalog)
        # Item pages are rendered by worker processes (pagepool) when there is more than one processor
        # and no other plugin needs to see them.
        item_srcs = {src for src, entry in self.catalog.by_src.items() if isinstance(entry, catalog_mod.Item)}
        deferred = (self.command in ("build", "gh-deploy") and bool(item_srcs)
                    and pagepool.worker_count(self.config.workers) > 1 and forkpool.available())
        if deferred:
            others = pagepool.other_page_handlers(config.plugins, self)
            if others:
                log.info(f"其他插件（{'、'.join(others)}）也处理页面事件：条目页面在 MkDocs 进程中逐页渲染，不启用并行渲染")
                deferred = False
        if deferred:
            files = pagepool.DeferredFiles(files, item_srcs)
        if self.config.search:
            self.search.on_files(files, config, self.catalog, set(self.views))
        self._files = files
        return files

    @staticmethod
    def _log(report: Report) -> None:
        for d in report.sorted():
            if d.code == "external-link":
                continue  # listed in the links report, not one log line each
            {"error": log.error, "warning": log.warning}.get(d.level, log.info)(d.format())

    def _refuse_unsafe(self, files: Files, config: MkDocsConfig) -> tuple[list, list]:
        """Before anything is read or copied: symlinks leading out of docs_dir and files on generated addresses.

        Both are taken out of MkDocs' files (never copied, whatever happens next) and reported
        with the content errors, which fail the build.
        """
        links = unsafe_links(config.docs_dir)
        bad = {src for src, _t, _d in links}
        docs = os.path.normpath(config.docs_dir) + os.sep
        reserved = self.layout.reserved
        taken = []
        for file in list(files):
            if file.generated_by or not file.abs_src_path:
                continue
            src = file.src_uri
            if bad and (src in bad or any(src.startswith(b + "/") for b in bad)):
                files.remove(file)  # the link itself, or a file MkDocs found through a linked folder
                continue
            if not os.path.normpath(file.abs_src_path).startswith(docs):
                continue  # theme files
            owner = reserved.owner(src)
            if owner is not None:
                taken.append((src, owner))
                files.remove(file)
        return links, taken

    def _refuse_taken_views(self, files: Files, records, config: MkDocsConfig, display) -> None:
        """An editor's page on the address of a planned view, other than the records and intro pages that stand in for one."""
        own = set(self.catalog.by_src) | records.intro_pages
        taken = addresses.Reserved(use_directory_urls=config.use_directory_urls).with_pages(self.views, "目录或列表页面")
        problems = []
        for file in files.documentation_pages():
            if file.generated_by or file.src_uri in own:
                continue
            owner = taken.owner(file.src_uri)
            if owner is not None:
                problems.append(f"{display(file.src_uri)}:1: {taken.message(file.src_uri, owner)}")
        if problems:
            for line in problems:
                log.error(line)
            raise PluginError(f"内容检查发现 {len(problems)} 处错误（见上方各行：文件:行号: 说明），本次没有发布；"
                              f"原有的 {os.path.basename(getattr(self, 'final_site_dir', config.site_dir))}/ 保持不变。")

    def _write_links_report(self, report, config: MkDocsConfig) -> None:
        # Beside site/, not in it: a list for the editors, not a page for the public.
        if not self.config.links_report:
            return
        final = getattr(self, "final_site_dir", config.site_dir)
        path = os.path.join(os.path.dirname(os.path.abspath(final)), self.config.links_report)
        try:
            n = safety.write_links_report(report, path)
        except OSError as exc:
            log.warning(f"无法写入外部链接清单 {path}（{exc.strerror or exc}）")
            return
        shown = os.path.relpath(path)
        log.info(f"外部链接 {n} 个，清单见 {path if shown.startswith('..') else shown}")

    def _default_nav(self, files: Files) -> list:
        """Sections only: the home page, the gazette, the disclosure columns, the indexes, other pages."""
        nav: list = []
        if files.get_file_from_path("index.md"):
            nav.append({"首页": "index.md"})
        nav.append({"政府公报": f"{self.config.gazette_dir}/index.md"})
        d = self.config.disclosure_dir
        # Sections only, flat: the nav is rendered into every page, so its size is paid 50,000 times.
        # The columns are one click away on the disclosure home page.
        nav.append({self.config.disclosure_name: f"{d}/index.md"})
        nav.append({"分类浏览": f"{self.config.browse_dir}/index.md"})
        skip = (self.config.gazette_dir + "/", d + "/", self.config.browse_dir + "/")
        others = sorted(
            f.src_uri for f in files.documentation_pages()
            if f.src_uri != "index.md" and not f.src_uri.startswith(skip) and "/" not in f.src_uri
        )
        nav.extend(others)
        return nav

    def _fix_build_date(self, records) -> None:
        # The same input must give the same bytes: the sitemap's dates follow the
        # newest content, not the clock, unless the caller chose a date.
        if "SOURCE_DATE_EPOCH" in os.environ:
            return
        dates = [i.published for i in records.items] + [i.published for i in records.issues]
        if dates:
            import calendar

            newest = max(dates)
            os.environ["SOURCE_DATE_EPOCH"] = str(calendar.timegm(newest.timetuple()))
            self._epoch_set = True

    @event_priority(-100)  # the final nav, after every plugin changed it
    def on_nav(self, nav, *, config: MkDocsConfig, files: Files):
        self.nav = nav
        return nav

    def _setup_env(self, env, *, config: MkDocsConfig, files: Files):
        env.filters["cn_date"] = cn_date
        disclosure.register(env)
        if self.qr is not None:
            self.qr.env = env
        env.globals["gz_theme"] = theme_globals(self.config, files)  # accessible theme, kiosk
        render_cache.install(env, self.nav)  # Material's nav once per folder depth for pages outside it
        return env

    @event_priority(-100)  # last: the workers get the environment every plugin has set up
    def _start_workers(self, env, *, config: MkDocsConfig, files: Files):
        if not isinstance(files, pagepool.DeferredFiles) or not files.deferred:
            return env
        self.env = env
        items = files.deferred_pages()
        self._all_pages = files.all_pages()  # what MkDocs' loop gives every page's context as `pages`
        shares = forkpool.split(items, pagepool.worker_count(self.config.workers))
        log.info(f"条目页面 {len(items)} 个由 {len(shares)} 个进程并行渲染")
        self.pool = forkpool.Pool("渲染")
        self.pool.start(shares, lambda part, share: self._render_share(share, config, files))
        return env

    on_env = CombinedEvent(_setup_env, _start_workers)

    def _render_share(self, share: list, config: MkDocsConfig, files) -> dict:
        """In a worker: read and render item pages through MkDocs' per-page steps.

        The steps of MkDocs 1.6's own per-page functions (reading, then building), through public calls (and
        mkdocs_internals for the rest): the pages are the same bytes as MkDocs' loop writes
        (tests/test_pagepool.py). Only this plugin handles page events here (pagepool)."""
        if self.qr is not None:
            self.qr.start_worker()
        if self.config.search:
            self.search.start_part()
        doc_files = self._all_pages
        page_class = mkdocs_internals.page_class()
        plugins = config.plugins
        # A few dozen pages at a time, each step over all of them before the next: the body
        # checks (on_page_content) run one after another rather than between a Markdown
        # conversion and a template, which keeps the sanitizer's code and tables in the
        # processor's caches (measured: 40 % less time in the checks). Only this plugin handles
        # page events here, so the order of events across pages is nobody else's concern.
        for at in range(0, len(share), self.RENDER_BATCH):
            pages = [page_class(None, file, config) for file in share[at:at + self.RENDER_BATCH]]
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
                    with mkdocs_internals.current_page(config, page):
                        page.active = True
                        try:
                            context = mkdocs_internals.get_context(self.nav, doc_files, config, page)
                            template = self.env.get_template(page.meta.get("template", "main.html"))
                            context = plugins.on_page_context(context, page=page, config=config, nav=self.nav)
                            output = plugins.on_post_page(template.render(context), page=page, config=config)
                        finally:
                            page.active = False
                    file = page.file
                    if output.strip():
                        mkdocs_utils.write_file(output.encode("utf-8", errors="xmlcharrefreplace"), file.abs_dest_path)
                    else:
                        log.info(f"Page skipped: '{file.src_uri}'. Generated empty output.")
                    page.markdown = page.content = None  # 50,000 pages' text need not stay in memory
            except BuildError:
                raise
            except Exception as exc:  # back to the MkDocs process as a Chinese message naming the file
                raise PluginError(_explain_error(exc)) from exc
        result: dict = {"diagnostics": self.render_report.items,
                        "body_check": (self.body_check.seconds, self.body_check.pages) if self.body_check else (0.0, 0)}
        if self.config.search:
            result["search"] = self.search.finish_part()
        if self.qr is not None:
            result["qr"] = self.qr.finish_worker()
        return result

    def on_template_context(self, context, *, template_name: str, config: MkDocsConfig):
        """The sitemap lists the pages the workers render too (MkDocs builds it before them)."""
        files = getattr(self, "_files", None)
        if template_name == "sitemap.xml" and isinstance(files, pagepool.DeferredFiles) and files.deferred:
            for file in files.deferred_pages():
                if file.page is None:
                    Page(None, file, config)
            context["pages"] = self._all_pages
        return context

    @event_priority(90)  # first: other plugins' on_post_build see every page written
    def _join_workers(self, *, config: MkDocsConfig):
        if self.pool is not None:
            self._join_pool()
        if self.body_check is not None and self.body_check.pages:
            log.info("gazette-timing " + json.dumps({"feature": "safety-bodies", "seconds": round(self.body_check.seconds, 3),
                                                     "pages": self.body_check.pages}))
        report = self.render_report
        report.extend(Report([d for d in self.validation_report.items if d.code == "external-link"]))
        self._log(Report([d for d in report.items if d.code != "external-link"]))
        self._write_links_report(report, config)
        if report.errors:
            raise PluginError(
                f"内容检查发现 {len(report.errors)} 处错误（见上方各行：文件:行号: 说明），本次没有发布；"
                f"原有的 {os.path.basename(getattr(self, 'final_site_dir', config.site_dir))}/ 保持不变。")

    def _join_pool(self) -> None:
        pool, self.pool = self.pool, None
        try:
            results = pool.join()
        except forkpool.WorkerFailed as e:
            raise PluginError(f"渲染条目页面时出错：{e}") from None
        for r in results:
            self.render_report.items.extend(r.get("diagnostics", ()))
            if self.body_check is not None and "body_check" in r:
                self.body_check.seconds += r["body_check"][0]
                self.body_check.pages += r["body_check"][1]
            if "search" in r:
                self.search.add_part(r["search"])
            if "qr" in r and self.qr is not None:
                self.qr.merge(r["qr"])

    # -- pages ------------------------------------------------------------------

    def _view(self, page: Page) -> View | None:
        src = page.file.src_uri
        view = self.views.get(src)
        if view is None and self.catalog is not None:
            entry = self.catalog.by_src.get(src)
            if isinstance(entry, catalog_mod.Item):
                view = self.planner.item_view(entry)
        return view

    def on_page_read_source(self, *, page: Page, config: MkDocsConfig):
        # Our files' front matter was read and validated already: hand MkDocs the
        # body alone, so it neither parses the YAML again nor misreads an alias key.
        if self.catalog is not None and page.file.src_uri in self.catalog.by_src:
            return "\n" + frontmatter.body_of(page.file.abs_src_path)
        return None

    def on_page_markdown(self, markdown: str, *, page: Page, config: MkDocsConfig, files: Files):
        if not self.config.enabled:
            return markdown
        view = self._view(page)
        if view is None:
            self._check_template(page, config)
        else:
            page.meta.setdefault("template", view.template)
            page.meta["title"] = page.meta.get("title") or view.title
            if view.description and "description" not in page.meta:
                page.meta["description"] = view.description
            entry = self.catalog.by_src.get(page.file.src_uri)
            if isinstance(entry, catalog_mod.Item):
                for key, value in entry.record.meta.items():
                    page.meta.setdefault(key, value)
            page.gazette_view = view
        escape_meta(page.meta)
        return markdown

    def _check_template(self, page: Page, config: MkDocsConfig) -> None:
        """An editor's `template:` may name only a page template a site can give any page."""
        name = page.meta.get("template")
        if name is None or page.file.generated_by:  # a page a plugin made (e.g. the 搜索 page)
            return
        problem = template_problem(name, config.theme.dirs)
        if problem:
            project = os.path.dirname(os.path.abspath(config.config_file_path or "mkdocs.yml"))
            shown = os.path.relpath(page.file.abs_src_path or page.file.src_path, project).replace(os.sep, "/")
            line = frontmatter_line(page.file.abs_src_path, "template")
            raise PluginError(f"{shown}:{line}: 「template」{problem}")

    @event_priority(100)  # first: every other plugin sees the body as it will be published
    def on_page_content(self, html, *, page: Page, config: MkDocsConfig, files: Files):
        if self.body_check is not None and page.file.abs_src_path and not page.file.generated_by:
            entry = self.catalog.by_src.get(page.file.src_uri) if self.catalog is not None else None
            allow = tuple(entry.record.allow) if isinstance(entry, catalog_mod.Item) else ()
            path = self._shown(page.file, config)
            html, found = self.body_check.check(path, html, page.url, allow,
                                                lambda: bodycheck.source_lines(page.file.abs_src_path))
            self.render_report.items.extend(found)
            if "title" not in page.meta and page.title:
                # The first heading's text, as HTML MkDocs escaped: Material prints a title from the
                # heading through `striptags`, which would unescape it; a meta title it prints as is.
                # Quotes escaped too, so the title cannot end an attribute either.
                page.meta["title"] = Markup(str(page.title).replace('"', "&#34;").replace("'", "&#39;"))
        self.search.on_page_content(html, page)
        return html

    @staticmethod
    def _shown(file: File, config: MkDocsConfig) -> str:
        project = os.path.dirname(os.path.abspath(config.config_file_path or "mkdocs.yml"))
        return os.path.relpath(file.abs_src_path, project).replace(os.sep, "/")

    def on_page_context(self, context, *, page: Page, config: MkDocsConfig, nav):
        view = getattr(page, "gazette_view", None)
        # The body is the one page value our (autoescaped) templates print as markup:
        # rendered from Markdown by MkDocs (and cleaned by the sanitizer before this).
        if self.pool is not None:  # the item pages the workers render are pages of the site too
            context["pages"] = self._all_pages
        context["gz_body"] = Markup(page.content or "")
        context["gazette"] = self.catalog
        if view is not None:
            context["view"] = view
            context.update(view.context)
        if self.qr is not None and self.catalog is not None:
            entry = self.catalog.by_src.get(page.file.src_uri)
            if entry is not None:  # an item or an issue: its QR code, short address and sheet
                context["qr"] = self.qr.publish(entry, config.site_dir, page_html=page.content,
                                                catalog=self.catalog, site_name=config.site_name)
        return context

    # -- publishing --------------------------------------------------------------

    @event_priority(-100)  # last: an exception in another plugin's on_post_build must stop the swap
    def _publish(self, *, config: MkDocsConfig):
        if self.qr is not None:
            self.qr.finish()
        self.search.on_post_build(config)  # into the staged folder, before it is published
        if self.staged is None:
            return
        if self.counter is not None and self.counter.count:
            return  # MkDocs aborts strict builds with warnings right after this event
        try:
            self.staged.commit()
        except OSError as exc:
            raise PluginError(f"无法把新站点换入 {self.final_site_dir}（{_os_problem(exc)}），本次没有发布；"
                              "原有站点保持不变。") from None
        config.site_dir = self.final_site_dir
        self.staged = None

    on_post_build = CombinedEvent(_join_workers, _publish)

    @event_priority(-100)  # last: other plugins clean up before the error is reworded
    def on_build_error(self, *, error: Exception):
        if self.pool is not None:
            self.pool.kill()
            self.pool = None
        if self.qr is not None:
            self.qr.abandon()
        self.search.close()
        if self.staged is not None:
            self.staged.abort()
            self.staged = None
            log.error("构建失败，原有站点目录保持不变。")
        if not isinstance(error, ClickException):  # BuildError, PluginError, strict mode's Abort say it already
            # MkDocs would print a Python traceback: say in Chinese which file and what, instead.
            raise PluginError(_explain_error(error)) from error

    def on_shutdown(self):
        if self.counter is not None:
            logging.getLogger("mkdocs").removeHandler(self.counter)
            self.counter = None
        if self._epoch_set:
            os.environ.pop("SOURCE_DATE_EPOCH", None)
            self._epoch_set = False
