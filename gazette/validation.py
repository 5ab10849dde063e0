"""The one validation entry: what `gazette check` runs, and what the build runs before rendering.

Front matter and files are checked first (records.load_site, with the safety rules for
front-matter values), page bodies on the rendered page (bodycheck.py). The build checks bodies
while it renders them, and here only once validation failed, to list every problem in one run.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

from gazette.safety import bodycheck
from gazette.safety import rules as safety
from gazette.model.catalog import url_for
from gazette.diagnostics import Report
from gazette.content.records import Layout, Records, discover, load_site, unsafe_links


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
               workers: int | None = None, links=None, extra: Report | None = None,
               ) -> tuple[Records, Report, safety.Checker]:
    """Validate a site. bodies: "always" (gazette check), "on-error" (the build), "never".

    `links` are the unsafe symlinks (records.unsafe_links), found here when `srcs` is not
    given; `extra` holds problems the caller found before (reserved addresses).
    """
    if srcs is None:
        links = unsafe_links(site.docs_dir) if links is None else links
        srcs = discover(site.docs_dir, site.layout)
    checker = safety.make_checker(site.options, site.docs_dir, site.display_prefix, site.layout,
                                  site_url=site.site_url, toc=site.toc)
    records, report = load_site(site.docs_dir, site.display_prefix, site.layout, list(srcs), checks=[checker],
                                set_checks=set_checks, workers=workers, links=links)
    if extra is not None:
        report.extend(extra)
    if bodies == "always" or (bodies == "on-error" and report.errors):
        report.items.extend(check_bodies(site, srcs, records, report, checker, workers=workers))
    return records, report, checker


def check_bodies(site: Site, srcs: list[str], records: Records, report: Report, checker, workers=None) -> list:
    """Every page body rendered and checked as the build would, bar those too broken to render."""
    allow = {r.src: tuple(r.allow) for r in records.items}
    bad = {d.path for d in report.errors if d.code in bodycheck.UNRENDERABLE}
    items = []
    for src in srcs:
        path = checker.display(src)
        if path not in bad:
            url = url_for(src, site.use_directory_urls)
            items.append((os.path.join(site.docs_dir, src), path, url, allow.get(src, ())))
    body_check = bodycheck.BodyCheck(checker, site.site_url, site.options.allowed_domains)
    return bodycheck.check_bodies(items, body_check, bodycheck.Renderer(*site.markdown), workers=workers)
