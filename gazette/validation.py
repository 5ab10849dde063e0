"""The one validation entry: what `gazette check` runs, and what the build runs before rendering.

Front matter and files are checked first (records.load_site, with the safety
rules for front-matter values); page bodies are checked on the rendered page
(bodycheck.py). The build renders each body once, so it checks bodies while
rendering and only asks for them here when validation already failed, to list
every problem of a file in one run; `gazette check` renders them here.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

import markdown

from gazette import forkpool

from gazette.safety import bodycheck
from gazette.safety import rules as safety
from gazette.model.catalog import url_for
from gazette.diagnostics import ERROR, Diagnostic, Report
from gazette.content.records import Layout, Records, discover, load_site, unsafe_files


@dataclass
class Site:
    """What validation needs to know of a site, read from mkdocs.yml and the plugin's options."""

    options: object  # GazetteConfig
    docs_dir: str
    display_prefix: str  # docs_dir as editors see it ("docs")
    layout: Layout
    site_url: str | None
    toc: dict
    markdown: tuple[list, dict]  # extensions and their options
    use_directory_urls: bool = True


def check_site(site: Site, *, srcs: list[str] | None = None, set_checks=(), bodies: str = "always",
               workers: int | None = None, links=None, texts: list[str] | None = None,
               extra: Report | None = None) -> tuple[Records, Report, safety.Checker]:
    """Validate a site. bodies: "always" (gazette check), "on-error" (the build), "never".

    `links` are the unsafe files (records.unsafe_files), found here when `srcs` is not
    given, as are `texts` (records.published_texts) when not given; `extra` holds problems the
    caller found before (reserved addresses).
    """
    if srcs is None:
        srcs, links = discover(site.docs_dir), unsafe_files(site.docs_dir)
    checker = safety.make_checker(site.options, site.docs_dir, site.display_prefix, site.layout,
                                  site_url=site.site_url, toc=site.toc)
    records, report = load_site(site.docs_dir, site.display_prefix, site.layout, srcs, checks=[checker],
                                set_checks=set_checks, workers=workers, links=links, texts=texts)
    if extra is not None:
        report.extend(extra)
    if bodies == "always" or (bodies == "on-error" and report.errors):
        report.items.extend(check_bodies(site, srcs, records, report, checker, workers=workers))
    return records, report, checker


def check_bodies(site: Site, srcs: list[str], records: Records, report: Report, checker, workers=None) -> list:
    """Every page body rendered and checked as the build would, bar those too broken to render."""
    allow = {r.src: tuple(r.allow) for r in records.items}
    bad = {d.path for d in report.errors if d.code in bodycheck.UNRENDERABLE}
    items = [(os.path.join(site.docs_dir, src), path, url_for(src, site.use_directory_urls), allow.get(src))
             for src in srcs if (path := checker.display(src)) not in bad]
    extensions, configs = site.markdown  # rendered by Python-Markdown as MkDocs renders a page body
    md = markdown.Markdown(extensions=list(extensions), extension_configs=dict(configs or {}))
    body_check = bodycheck.BodyCheck(checker)
    if workers is None:
        workers = min(os.cpu_count() or 1, 8) if len(items) >= 2000 else 1
    parts = forkpool.map_shares(lambda share: _check_chunk(share, body_check, md), items, workers, "正文检查")
    return [d for part in parts for d in part]


def _check_chunk(items: list[tuple[str, str, str, tuple]], body_check: bodycheck.BodyCheck,
                 md: markdown.Markdown) -> list[Diagnostic]:
    """Render and check page bodies: `items` are (absolute path, shown path, page URL, allowances)."""
    out: list[Diagnostic] = []
    for abs_path, path, url, allow in items:
        found = bodycheck.read_body(abs_path)
        if found is None:
            continue  # unreadable: the validation stage said why
        body, first = found
        try:
            html = md.reset().convert(body)
        except Exception as exc:  # a Markdown extension failing on odd input must not be a traceback
            out.append(Diagnostic(path, first, f"正文无法转换为网页（{type(exc).__name__}），请检查格式", ERROR,
                                  "render-failed"))
            continue
        _clean, diags = body_check.check(path, html, url, allow, lambda: (body.split("\n"), first))
        out.extend(diags)
    return out


def markdown_settings(raw: dict, config_file: str | None) -> tuple[list, dict]:
    """The site's Markdown extensions and their options from mkdocs.yml's content, as MkDocs reads them
    (its defaults if they are invalid: MkDocs reports that itself)."""
    from mkdocs.config.defaults import MkDocsConfig

    for md_only in ({k: raw[k] for k in ("markdown_extensions",) if k in raw}, {}):
        cfg = MkDocsConfig(config_file_path=config_file)
        cfg.load_dict({"site_name": "-", **md_only})
        if not cfg.validate()[0]:
            break
    return bodycheck.prepare_markdown(list(cfg.markdown_extensions), dict(cfg.mdx_configs))
