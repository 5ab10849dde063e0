"""MkDocs' files as the gazette needs them: unsafe and colliding files out, generated pages in, a nav.

Everything here runs in on_files, before any page is read or copied.
"""

from __future__ import annotations

import calendar
import logging
import os

from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files

from gazette.build.messages import not_published
from gazette.content.records import unsafe_files
from gazette.diagnostics import Report
from gazette.model import addresses
from gazette.safety import rules as safety

log = logging.getLogger("mkdocs.plugins.gazette")


def refuse_unsafe(files: Files, docs_dir: str, reserved, named: frozenset[str] = frozenset()) -> tuple[list, list]:
    """Symlinks leading out of docs_dir, files of types that may run script (but those mkdocs.yml
    names, `named`) and files on generated addresses, taken out of MkDocs' files (never copied,
    whatever happens next): (unsafe files, (src, owner) of files on reserved addresses)."""
    links = unsafe_files(docs_dir, named)
    bad = {src for src, _t, _d in links}
    docs = os.path.normpath(docs_dir) + os.sep
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


def add_views(files: Files, views: dict, own: set[str], config, display, site_dir: str) -> None:
    """Generated pages as virtual files; an editor's page on the address of one is an error
    (other than the records and intro pages that stand in for a view)."""
    taken = addresses.Reserved(use_directory_urls=config.use_directory_urls).with_pages(views, "目录或列表页面")
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
        raise PluginError(not_published(len(problems), site_dir))
    for src in views:
        if files.get_file_from_path(src) is None:
            files.append(File.generated(config, src, content=""))


def default_nav(files: Files, options) -> list:
    """Sections only, flat: the nav is rendered into every page, so its size is paid 50,000 times.
    The columns are one click away on the disclosure home page."""
    nav: list = []
    if files.get_file_from_path("index.md"):
        nav.append({"首页": "index.md"})
    nav.append({"政府公报": f"{options.gazette_dir}/index.md"})
    nav.append({options.disclosure_name: f"{options.disclosure_dir}/index.md"})
    nav.append({"分类浏览": f"{options.browse_dir}/index.md"})
    skip = (options.gazette_dir + "/", options.disclosure_dir + "/", options.browse_dir + "/")
    nav.extend(sorted(f.src_uri for f in files.documentation_pages()
                      if f.src_uri != "index.md" and not f.src_uri.startswith(skip) and "/" not in f.src_uri))
    return nav


def fix_build_date(records) -> bool:
    """The same input gives the same bytes: the sitemap's dates follow the newest content, not
    the clock, unless the caller chose a date (SOURCE_DATE_EPOCH). True if it was set here."""
    if "SOURCE_DATE_EPOCH" in os.environ:
        return False
    dates = [i.published for i in records.items] + [i.published for i in records.issues]
    if not dates:
        return False
    os.environ["SOURCE_DATE_EPOCH"] = str(calendar.timegm(max(dates).timetuple()))
    return True


def log_report(report: Report) -> None:
    for d in report.sorted():
        if d.code != "external-link":  # listed in the links report, not one log line each
            {"error": log.error, "warning": log.warning}.get(d.level, log.info)(d.format())


def write_links_report(report: Report, name: str, site_dir: str) -> None:
    """Every external link as CSV beside site/, not in it: a list for the editors, not a page for the public."""
    if not name:
        return
    path = os.path.join(os.path.dirname(os.path.abspath(site_dir)), name)
    try:
        n = safety.write_links_report(report, path)
    except OSError as exc:
        log.warning(f"无法写入外部链接清单 {path}（{exc.strerror or exc}）")
        return
    shown = os.path.relpath(path)
    log.info(f"外部链接 {n} 个，清单见 {path if shown.startswith('..') else shown}")
