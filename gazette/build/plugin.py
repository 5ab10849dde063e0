"""The MkDocs plugin: dispatches MkDocs' events to the stages, in order.

on_config      options, theme, staging folder
on_files       records → catalog → views; generated pages added as virtual files
on_env         template filters; item pages start rendering in workers (workers.py)
on_page_*      each page's meta, template, checked body and context (pages.py)
on_post_build  workers joined; search index, QR, open-data files, feeds written; the staged site published
"""

from __future__ import annotations

import json
import logging
import os

from click import ClickException
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, CombinedEvent, event_priority
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page
from mkdocs.utils import CountHandler

from gazette import clock
from gazette.build import files as files_mod
from gazette.build import render_cache, theme_options, workers
from gazette.build.config import GazetteConfig, ascii_site_url, check_site_options, check_timezone
from gazette.content.columns import read_columns
from gazette.build.messages import explain_error, not_published, os_problem
from gazette.build.pages import SitePages
from gazette.build.publish import StagedSite
from gazette.build.validate import validate
from gazette.content.records import Layout
from gazette.content.slugs import PinyinKeys
from gazette.diagnostics import Report
from gazette.disclosure import rules as disclosure
from gazette.model import addresses, catalog as catalog_mod
from gazette.model.catalog import cn_date
from gazette.model.views import Planner
from gazette.opendata import crawlers, documents
from gazette.opendata import feature as open_data
from gazette.opendata.feeds import Feeds
from gazette.qr import codes as qr_mod
from gazette.opendata.metadata import PageMetadata
from gazette.safety import bodycheck
from gazette.search.index import SiteSearch

log = logging.getLogger("mkdocs.plugins.gazette")


class GazettePlugin(BasePlugin[GazetteConfig]):
    supports_multiple_instances = False

    def __init__(self):
        self.command = "build"
        self.pages: SitePages | None = None  # set once the catalog exists
        self.staged: StagedSite | None = None
        self.counter: CountHandler | None = None
        self.epoch_set = False
        self.qr: qr_mod.QrFeature | None = None
        self.open_data: open_data.OpenData | None = None
        self.search = SiteSearch()
        self.workers: workers.ItemWorkers | None = None
        self.validation_report = Report()
        self.nav = None
        self.feeds: Feeds | None = None
        self.crawlers: crawlers.CrawlerFiles | None = None
        self.pinyin: PinyinKeys | None = None

    def on_startup(self, *, command, dirty):
        self.command = command

    def on_config(self, config: MkDocsConfig):
        if not self.config.enabled:
            return config
        problems: list[str] = []
        theme_options.require_material(config.theme, problems)
        self.columns = read_columns(self.config.columns, problems)
        check_timezone(self.config.timezone, problems)
        check_site_options(self.config, config.site_name, config.site_url, problems)
        if not problems:
            config.site_url = ascii_site_url(config.site_url)
        self.project_dir = os.path.dirname(os.path.abspath(config.config_file_path or "mkdocs.yml"))
        if not problems:
            clock.TIMEZONE = self.config.timezone  # the build day is the site's, not the machine's
            # Disclosure rules: working-day calendar, validity filters, annual-report formats.
            self.disclosure = disclosure.Setup.from_config(self.config, self.project_dir, problems)
        if problems:
            raise PluginError("mkdocs.yml 中 gazette 插件的配置有误：\n  " + "\n  ".join(problems))
        self.layout = Layout(self.config.gazette_dir, self.config.disclosure_dir, tuple(self.columns),
                             addresses.declared(self.config, config.use_directory_urls))
        bodycheck.prepare_markdown(config.markdown_extensions, config.mdx_configs)
        theme_options.install(config)
        self.pinyin = PinyinKeys()  # the index keys' tables load beside validation
        self.qr = qr_mod.configure(self.config, config)  # QR codes: requires site_url
        self.open_data = open_data.configure(self.config, config, self.qr)
        # 50,000 items are deliberately left out of the nav; listing them is noise.
        config.validation.nav.omitted_files = logging.DEBUG
        config.validation.nav.absolute_links = logging.INFO
        if config.strict:
            self.counter = CountHandler(level=logging.WARNING)
            logging.getLogger("mkdocs").addHandler(self.counter)
        # `mkdocs serve` builds into a temporary folder: messages speak of the preview, not of it.
        self.final_site_dir = None if self.command == "serve" else config.site_dir
        if self.command in ("build", "gh-deploy") and self.config.atomic:
            try:
                self.staged = StagedSite(config.site_dir)
                config.site_dir = self.staged.begin()
            except OSError as exc:
                self.staged = None
                raise PluginError(f"无法在 {os.path.dirname(os.path.abspath(self.final_site_dir))} 中准备构建目录"
                                  f"（{os_problem(exc)}），本次没有发布；原有站点保持不变。") from None
        return config

    @event_priority(50)  # before other plugins look at the files
    def on_files(self, files: Files, *, config: MkDocsConfig):
        if not self.config.enabled:
            return files
        set_checks = self.disclosure.set_checks(config.docs_dir)
        records, self.validation_report, checker, display = validate(
            files, config, self.config, self.layout, set_checks, self.project_dir, self.final_site_dir,
            self.report_dir)
        catalog = catalog_mod.build(
            records, gazette_name=self.config.gazette_name, gazette_dir=self.config.gazette_dir,
            disclosure_dir=self.config.disclosure_dir, browse_dir=self.config.browse_dir,
            columns=self.columns, url=lambda src: catalog_mod.url_for(src, config.use_directory_urls),
            keys=self.pinyin.keys)
        self.feeds = Feeds(catalog, self.config, config, files) if self.config.feeds else None
        contributors = [disclosure.Pages(self.disclosure, config.docs_dir)]  # and the 订阅, 开放数据 pages
        contributors += [c for c in (self.feeds, self.open_data) if c is not None]
        planner = Planner(catalog, gazette_dir=self.config.gazette_dir, disclosure_dir=self.config.disclosure_dir,
                          browse_dir=self.config.browse_dir, disclosure_name=self.config.disclosure_name,
                          page_size=self.config.page_size, contributors=contributors)
        views = planner.plan()
        self.crawlers = crawlers.CrawlerFiles(catalog, views, self.config, config, files)
        files_mod.add_views(files, views, set(catalog.by_src) | records.intro_pages, config, display,
                            self.final_site_dir)
        if config.nav is None:
            config.nav = files_mod.default_nav(files, self.config)
        self.epoch_set = files_mod.fix_build_date(records)
        if self.qr is not None:
            self.qr.plan(catalog)
        body_check = bodycheck.BodyCheck(checker)
        metadata = PageMetadata(self.config, config, catalog, "search/" if self.config.search else None,
                                documents.json_path if self.open_data is not None else None)
        self.pages = SitePages(catalog, views, planner, body_check, self.search, self.qr, self.project_dir,
                               metadata)
        if self.command in ("build", "gh-deploy"):
            items = {src for src, entry in catalog.by_src.items() if isinstance(entry, catalog_mod.Item)}
            files = workers.defer(files, items, config.plugins, self, self.config.workers)
            if isinstance(files, workers.DeferredFiles):
                self.workers = workers.ItemWorkers(files, self.config.workers, self._begin_worker, self._finish_worker)
        if self.config.search:
            self.search.on_files(files, config, catalog, set(views))
        return files

    @event_priority(-100)  # the final nav, after every plugin changed it
    def on_nav(self, nav, *, config: MkDocsConfig, files: Files):
        self.nav = nav
        return nav

    def _setup_env(self, env, *, config: MkDocsConfig, files: Files):
        env.filters["cn_date"] = cn_date
        disclosure.register(env)
        if self.qr is not None:
            self.qr.env = env
        env.globals["gz_theme"] = theme_options.theme_globals(self.config, files, config)  # accessible theme, kiosk
        env.globals["gz_open_data"] = self.open_data.page_url if self.open_data is not None else None
        env.globals["gz_feeds"] = self.feeds  # the feeds and the browser's site search in every page's head
        env.globals["gz_opensearch"] = self.crawlers.opensearch if self.crawlers is not None else None
        render_cache.install(env, self.nav)  # Material's nav once per folder depth for pages outside it
        return env

    @event_priority(-100)  # last: the workers get the environment every plugin has set up
    def _start_workers(self, env, *, config: MkDocsConfig, files: Files):
        if self.workers is not None:
            self.workers.start(config, env, self.nav)
        return env

    on_env = CombinedEvent(_setup_env, _start_workers)

    @property
    def outputs(self) -> list:
        """What is made of each rendered page, in the workers too (start_worker, finish_worker → merge),
        then written at post-build (finish) or dropped with a failed build (abandon)."""
        search = self.search if self.config.search else None
        return [output for output in (self.qr, search, self.open_data) if output is not None]

    def _begin_worker(self) -> None:
        for output in self.outputs:
            output.start_worker()

    def _finish_worker(self) -> dict:
        check = self.pages.body_check
        return {"diagnostics": self.pages.report.items, "body_check": (check.seconds, check.pages),
                "outputs": [output.finish_worker() for output in self.outputs]}

    def on_template_context(self, context, *, template_name: str, config: MkDocsConfig):
        """The sitemap lists the pages the workers render too (MkDocs builds it before them), dated by
        their content."""
        if template_name == "sitemap.xml" and self.workers is not None:
            context["pages"] = self.workers.sitemap_files(config.site_url)
        if template_name == "sitemap.xml" and self.crawlers is not None:
            context["gz_lastmod"] = self.crawlers.lastmod
        return context

    def on_page_read_source(self, *, page: Page, config: MkDocsConfig):
        return self.pages.read_source(page) if self.pages is not None else None

    @event_priority(100)  # first: the front matter is escaped as the editor wrote it, not another plugin's markup
    def on_page_markdown(self, markdown: str, *, page: Page, config: MkDocsConfig, files: Files):
        if self.pages is not None:
            self.pages.markdown(page, config.theme.dirs)
        return markdown

    @event_priority(100)  # first: every other plugin sees the body as it will be published
    def on_page_content(self, html, *, page: Page, config: MkDocsConfig, files: Files):
        if self.pages is None:
            return html
        html = self.pages.content(html, page)
        if self.open_data is not None:  # a document's JSON, from the body as published
            self.open_data.page_content(html, page, config.site_dir)
        return html

    def on_page_context(self, context, *, page: Page, config: MkDocsConfig, nav):
        if self.pages is None:
            return context
        if self.workers is not None:  # the item pages the workers render are pages of the site too
            context["pages"] = self.workers.all_pages
        return self.pages.context(context, page, config)

    @event_priority(90)  # first: other plugins' on_post_build see every page written
    def _join_workers(self, *, config: MkDocsConfig):
        if self.pages is None:
            return
        check, report = self.pages.body_check, self.pages.report
        for r in self.workers.join() if self.workers is not None else ():
            report.items.extend(r["diagnostics"])
            check.seconds += r["body_check"][0]
            check.pages += r["body_check"][1]
            for output, part in zip(self.outputs, r["outputs"], strict=True):
                output.merge(part)
        if check.pages:
            log.debug("gazette-timing " + json.dumps({"feature": "safety-bodies", "seconds": round(check.seconds, 3),
                                                     "pages": check.pages}))
        report.extend(Report([d for d in self.validation_report.items if d.code == "external-link"]))
        files_mod.log_report(report)
        files_mod.write_links_report(report, self.config.links_report, self.report_dir)
        if report.errors:
            raise PluginError(not_published(len(report.errors), self.final_site_dir))

    @event_priority(-100)  # last: an exception in another plugin's on_post_build must stop the swap
    def _publish(self, *, config: MkDocsConfig):
        for output in self.outputs:  # into the staged folder, before it is published
            output.finish(config.site_dir)
        for writer in (self.feeds, self.crawlers):
            if writer is not None:
                writer.write(config.site_dir)
        if self.staged is None or (self.counter is not None and self.counter.get_counts()):
            return  # MkDocs aborts strict builds with warnings right after this event
        try:
            self.staged.commit()
        except OSError as exc:
            raise PluginError(f"无法把新站点换入 {self.final_site_dir}（{os_problem(exc)}），本次没有发布；"
                              "原有站点保持不变。") from None
        config.site_dir = self.final_site_dir
        self.staged = None

    on_post_build = CombinedEvent(_join_workers, _publish)

    @property
    def report_dir(self) -> str:  # the links report goes beside site/, also when serving a preview
        return self.final_site_dir or os.path.join(self.project_dir, "site")

    @event_priority(-100)  # last: other plugins clean up before the error is reworded
    def on_build_error(self, *, error: Exception):
        if self.pinyin is not None:
            self.pinyin.close()
        if self.workers is not None:
            self.workers.kill()
        for output in self.outputs:
            output.abandon()
        staged, self.staged = self.staged, None
        if staged is not None:
            staged.abort()
        if not isinstance(error, ClickException):
            # MkDocs would print a Python traceback: say in Chinese which file and what, instead.
            raise PluginError(explain_error(error)) from error
        if staged is not None and "保持不变" not in str(error):  # e.g. MkDocs' strict-mode abort
            log.error("构建失败，原有站点目录保持不变。")

    def on_shutdown(self):
        if self.counter is not None:
            logging.getLogger("mkdocs").removeHandler(self.counter)
            self.counter = None
        if self.epoch_set:
            os.environ.pop("SOURCE_DATE_EPOCH", None)
            self.epoch_set = False
