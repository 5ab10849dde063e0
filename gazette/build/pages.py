"""What the plugin does to each page MkDocs renders: meta, template, checked body, context.

The plugin's page events call these; the worker processes (workers.py) go through the
same events, so a page is the same whether MkDocs' loop or a worker renders it.
"""

from __future__ import annotations

import os

from markupsafe import Markup, escape
from mkdocs.exceptions import PluginError
from mkdocs.structure.pages import Page

from gazette.build import typography
from gazette.content import frontmatter
from gazette.diagnostics import Report
from gazette.model import catalog as catalog_mod
from gazette.safety import bodycheck

# Front-matter values Material prints into HTML without escaping (`<title>{{ page.meta.title }}`,
# `<meta name="description" content="{{ page.meta.description }}">`, the nav's status class,
# `<meta name="author" content="{{ page.meta.author }}">`, the "last update" dates of source-file.html …).
MATERIAL_TEXT_KEYS = ("title", "description", "subtitle", "status", "author", "revision_date",
                      "git_revision_date_localized", "git_creation_date_localized", "location")
# Theme templates that do not show the page: redirect.html sends the reader to the page's `location`
# (printed into a script and a refresh, no link check on the way).
NOT_PAGE_TEMPLATES = ("redirect.html",)
HOME_TEMPLATE = "gazette/home.html"


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
    if name in NOT_PAGE_TEMPLATES:
        return f"「{name}」不显示页面内容，而是把读者转到别的网址，不能由编辑指定"
    if not any(os.path.isfile(os.path.join(d, *parts)) for d in theme_dirs):
        return f"找不到模板「{name}」，请检查文件名或 overrides 目录"
    return None


def icon_problem(name, theme_dirs: list[str]) -> str | None:
    """Why an editor's `icon:` is refused (Chinese), or None: Material includes `.icons/<icon>.svg`
    in the navigation of every page, so a missing one stops the whole build."""
    if not isinstance(name, str) or not name.strip():
        return "应为图标名称，例如 material/home"
    parts = name.split("/")
    if "\\" in name or any(part in ("", ".", "..") for part in parts) or not any(
            os.path.isfile(os.path.join(d, ".icons", *parts[:-1], parts[-1] + ".svg")) for d in theme_dirs):
        return f"找不到图标「{name}」，应为主题自带的图标名称，例如 material/home"
    return None


class SitePages:
    """The catalog's pages and features, as the page events need them."""

    def __init__(self, catalog, views: dict, planner, body_check, search, qr, project_dir: str,
                 metadata=None):
        self.catalog, self.views, self.planner = catalog, views, planner
        self.body_check, self.search, self.qr = body_check, search, qr
        self.metadata = metadata  # opendata.metadata.PageMetadata: the head's machine-readable part
        self.project_dir = project_dir
        self.report = Report()  # what the body checks found while pages were rendered

    def shown(self, file) -> str:
        return os.path.relpath(file.abs_src_path or file.src_path, self.project_dir).replace(os.sep, "/")

    def view(self, page: Page):
        src = page.file.src_uri
        view = self.views.get(src)
        if view is None:
            entry = self.catalog.by_src.get(src)
            if isinstance(entry, catalog_mod.Item):
                view = self.planner.item_view(entry)
        return view

    def read_source(self, page: Page) -> str | None:
        # Our files' front matter was read and validated already: hand MkDocs the
        # body alone, so it neither parses the YAML again nor misreads an alias key.
        if page.file.src_uri in self.catalog.by_src:
            return "\n" + frontmatter.body_of(page.file.abs_src_path)
        return None

    def markdown(self, page: Page, theme_dirs: list[str]) -> None:
        view = self.view(page)
        if view is None:
            self._check_template(page, theme_dirs)
            if page.is_homepage and "template" not in page.meta:
                # The editor's Markdown, then the latest issue and documents (partials/gz-home.html).
                page.meta["template"] = HOME_TEMPLATE
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

    def _check_template(self, page: Page, theme_dirs: list[str]) -> None:
        """An editor's `template:` may name only a page template a site can give any page,
        and `icon:` only an icon of the theme."""
        if page.file.generated_by:  # a page a plugin made (e.g. the 搜索 page)
            return
        for key, judge in (("template", template_problem), ("icon", icon_problem)):
            name = page.meta.get(key)
            problem = judge(name, theme_dirs) if name is not None else None
            if problem:
                path = self.shown(page.file)
                source = frontmatter.read(page.file.abs_src_path, path, Report(), required=False)
                line = next((e.line for e in source.entries if e.key == key), 1) if source else 1
                raise PluginError(f"{path}:{line}: 「{key}」{problem}")

    def content(self, html: str, page: Page) -> str:
        if page.file.abs_src_path and not page.file.generated_by:
            entry = self.catalog.by_src.get(page.file.src_uri)
            allow = tuple(entry.record.allow) if isinstance(entry, catalog_mod.Item) else None
            html, found = self.body_check.check(self.shown(page.file), html, page.url, allow,
                                                lambda: bodycheck.source_lines(page.file.abs_src_path))
            self.report.items.extend(found)
            if isinstance(entry, catalog_mod.Item):  # checked and clean: its signature block and 附件 marked
                html = typography.mark(html)
            if "title" not in page.meta and page.title:
                # The first heading's text, as HTML MkDocs escaped: Material prints a title from the
                # heading through `striptags`, which would unescape it; a meta title it prints as is.
                # Quotes escaped too, so the title cannot end an attribute either.
                page.meta["title"] = Markup(str(page.title).replace('"', "&#34;").replace("'", "&#39;"))
        self.search.on_page_content(html, page)
        return html

    def context(self, context: dict, page: Page, config) -> dict:
        # The body is the one page value our (autoescaped) templates print as markup:
        # rendered from Markdown by MkDocs and cleaned by the sanitizer before this.
        context["gz_body"] = Markup(page.content or "")
        context["gazette"] = self.catalog
        view = getattr(page, "gazette_view", None)
        if view is not None:
            context["view"] = view
            context.update(view.context)
        if self.metadata is not None:
            tags = self.metadata.tags(page, view, page.content or "")
            context["gz_meta"] = tags
            context["gz_jsonld"] = Markup(self.metadata.jsonld(page, view, tags))  # holds no "<"
            context["gz_json"] = self.metadata.document_json(page)
        if self.qr is not None:
            entry = self.catalog.by_src.get(page.file.src_uri)
            if entry is not None:  # an item or an issue: its QR code, short address and sheet
                context["qr"] = self.qr.publish(entry, config.site_dir, page_html=page.content,
                                                catalog=self.catalog, site_name=config.site_name)
        return context
