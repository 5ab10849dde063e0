"""The validation stage as a build runs it: the docs' files (unsafe links and reserved addresses
refused first), every front matter and the set, reported in Chinese; a build stops here on an error,
and a strict one on a warning too, before anything is written."""

from __future__ import annotations

import json
import logging
import os

from mkdocs.exceptions import PluginError

from gazette.build import files as files_mod
from gazette.build.messages import not_published
from gazette.content.records import TEXT_FILES, report_unsafe_files
from gazette.diagnostics import Report
from gazette.safety import filetypes
from gazette.validation import Site, check_site

log = logging.getLogger("mkdocs.plugins.gazette")


def validate(files, config, options, layout, set_checks, project_dir: str, final_site_dir, report_dir: str):
    """(records, report, checker, display) of a site that may be built; else a PluginError."""
    prefix = os.path.relpath(config.docs_dir, project_dir).replace(os.sep, "/")
    display = (lambda src: src) if prefix == "." else (lambda src: f"{prefix}/{src}")
    named = filetypes.named_in_config(config.extra_css, config.extra_javascript, config.theme,
                                       options.publish_files)
    links, taken = files_mod.refuse_unsafe(files, config.docs_dir, layout.reserved, named)
    extra = Report()
    report_unsafe_files(links, display, extra)
    for src, owner in taken:
        extra.error(display(src), 1, layout.reserved.message(src, owner), "reserved-address")
    site = Site(options, config.docs_dir, "" if prefix == "." else prefix, layout, config.site_url,
                config.mdx_configs.get("toc") or {}, (config.markdown_extensions, config.mdx_configs),
                config.use_directory_urls)
    srcs = sorted(f.src_uri for f in files.documentation_pages() if f.abs_src_path and not f.generated_by)
    texts = sorted(f.src_uri for f in files if f.abs_src_path and not f.generated_by
                   and filetypes.extension(f.src_uri) in TEXT_FILES)  # the files MkDocs copies, unsafe ones gone
    records, report, checker = check_site(site, srcs=srcs, texts=texts, bodies="on-error", extra=extra,
                                          set_checks=set_checks)
    files_mod.log_report(report)
    if checker.items:  # summed over the validation workers of a large site
        log.debug("gazette-timing " + json.dumps({"feature": "safety", "seconds": round(checker.seconds, 3),
                                                 "items": checker.items}))
    if config.strict and report.warnings and not report.errors:
        # MkDocs counts only warnings that were logged, and `-q` logs none: a strict
        # build must not publish content with warnings however quiet it is.
        raise PluginError(not_published(len(report.warnings), final_site_dir, "警告", "--strict 模式下"))
    if report.errors:
        files_mod.write_links_report(report, options.links_report, report_dir)
        raise PluginError(not_published(len(report.errors), final_site_dir))
    return records, report, checker, display
