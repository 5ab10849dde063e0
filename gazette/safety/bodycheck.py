"""The page-body stage of the safety checks: rendered HTML in, sanitized HTML and findings out.

The build calls `BodyCheck.check` on every page MkDocs renders from an editor's
file (items, issues, other pages) and publishes what it returns; `gazette check`
renders the same bodies with the site's Markdown settings (`check_bodies`), so
both refuse the same pages with the same `file:line` messages.

What is checked is what a reader gets: the sanitizer's output (see sanitize.py)
and its text with markup and entities gone, so `龙<b></b>8`, `龙**8**` and
`龙&#56;` read as the 龙8 they show.
"""

from __future__ import annotations

import os
import time
from typing import Callable, Iterable

from gazette import forkpool
from gazette.content import frontmatter
from gazette.diagnostics import ERROR, INFO, Diagnostic, Report
from gazette.safety.personal import BARE_URL
from gazette.safety.sanitize import LinkPolicy, Sanitizer, link_message, locate, text_of


# Validation codes of bodies that must never reach Python-Markdown (too deep to render safely).
UNRENDERABLE = frozenset({"body-too-deep", "file-too-large", "binary", "encoding", "io"})

# Codes of problems a reason in `allow:` may exempt; active content and hidden text never.
ALLOWABLE = frozenset({"id-number", "mobile", "bank-card", "spam-term", "external-domain"})


def read_body(abs_path: str) -> tuple[str, int] | None:
    """A file's body and the line it starts on, whatever its front matter holds (None if unreadable)."""
    report = Report()
    try:
        with open(abs_path, "rb") as fh:
            data = fh.read(frontmatter.MAX_FILE_BYTES + 1)
    except OSError:
        return None
    text = frontmatter.decode(data, abs_path, report)
    if text is None:
        return None
    return frontmatter.split_body(text)


def source_lines(abs_path: str) -> tuple[list[str], int]:
    """The body's lines and the file line the body starts on (read again only when needed)."""
    found = read_body(abs_path)
    if found is None:
        return [], 1
    return found[0].split("\n"), found[1]


class BodyCheck:
    def __init__(self, text_rules, site_url: str | None, allowed_domains: Iterable[str] = ()):
        self.text_rules = text_rules  # safety.Checker: personal data and spam in plain text
        self.policy = LinkPolicy(site_url, allowed_domains)
        self.sanitizer = Sanitizer(self.policy)
        self.seconds = 0.0  # processor time of the checks (this thread's: other work running beside them is not counted)
        self.pages = 0

    def check(self, path: str, body_html: str, page_url: str, allow: Iterable[str],
              lines: Callable[[], tuple[list[str], int]]) -> tuple[str, list[Diagnostic]]:
        """(HTML to publish, findings) for one page body; `lines()` gives the source when a finding needs a line."""
        start = time.thread_time()
        try:
            return self._check(path, body_html, page_url, set(allow), lines)
        finally:
            self.seconds += time.thread_time() - start
            self.pages += 1

    def _check(self, path, body_html, page_url, allow, lines):
        clean, findings, links = self.sanitizer.check(body_html, page_url, allow)
        clean = str(clean)
        problems = [(f.code, f.message, f.needle) for f in findings]
        text = text_of(clean)
        for begin, end, code, message in self.text_rules.text_problems(text):
            problems.append((code, message, ("text", text[begin:end])))
        if "://" in text or "www." in text or "WWW." in text or "Www." in text:
            base = self.policy.base_for(page_url)
            judged = {url for url, _h in links} | {n[1] for _c, _m, n in problems if n[0] == "url"}
            # Addresses written out in the text a reader sees: how injected pages advertise.
            for m in BARE_URL.finditer(text):
                raw = m.group().rstrip(".,;:!?")
                if raw in judged:
                    continue  # a link's own text (<https://…>): judged as the link
                shown = raw if "://" in raw else "http://" + raw
                code, host, _ = self.policy.judge(shown, base)
                if host is not None:
                    links.append((raw, host))
                if code == "external-domain":
                    problems.append((code, "文中写出的网址" + link_message(code, raw, host)[2:], ("url", raw)))
        out: list[Diagnostic] = []
        if not problems and not links:
            return clean, out
        source, first = lines()
        for code, message, needle in problems:
            if code in allow and code in ALLOWABLE:
                continue
            out.append(Diagnostic(path, locate(needle, source, first), message, ERROR, code))
        for url, _host in links:
            out.append(Diagnostic(path, locate(("url", url), source, first), f"外部链接：{url}", INFO, "external-link"))
        return clean, out


# -- `gazette check`: the same bodies, rendered without building ------------------------------


class Renderer:
    """Python-Markdown with the site's extensions, as MkDocs renders a page body."""

    def __init__(self, extensions: list, configs: dict):
        import markdown

        self.md = markdown.Markdown(extensions=list(extensions), extension_configs=dict(configs or {}))

    def render(self, body: str) -> str:
        self.md.reset()
        return self.md.convert(body)


def markdown_settings(config_file: str | None) -> tuple[list, dict]:
    """The site's Markdown extensions and their options, read as MkDocs reads mkdocs.yml."""
    from mkdocs.config.defaults import MkDocsConfig

    cfg = MkDocsConfig(config_file_path=config_file)
    raw = {}
    if config_file and os.path.isfile(config_file):
        from mkdocs.utils.yaml import yaml_load

        try:
            with open(config_file, "rb") as fh:
                raw = yaml_load(fh) or {}
        except Exception:  # MkDocs reports a broken mkdocs.yml itself; check with the defaults
            raw = {}
    md_only = {k: raw[k] for k in ("markdown_extensions",) if isinstance(raw, dict) and k in raw}
    cfg.load_dict({"site_name": "-", **md_only})
    errors, _warnings = cfg.validate()
    if errors:
        cfg = MkDocsConfig(config_file_path=config_file)
        cfg.load_dict({"site_name": "-"})
        cfg.validate()
    return prepare_markdown(list(cfg.markdown_extensions), dict(cfg.mdx_configs))


def prepare_markdown(extensions: list, configs: dict) -> tuple[list, dict]:
    """Tables align cells with the `align` attribute, not inline style (which the sanitizer refuses)."""
    if "tables" in extensions or "markdown.extensions.tables" in extensions:
        key = "tables" if "tables" in extensions else "markdown.extensions.tables"
        configs.setdefault(key, {}).setdefault("use_align_attribute", True)
    return extensions, configs


def _check_chunk(items: list[tuple[str, str, str, tuple]], body_check: BodyCheck, renderer: Renderer) -> list[Diagnostic]:
    out: list[Diagnostic] = []
    for abs_path, path, url, allow in items:
        found = read_body(abs_path)
        if found is None:
            continue  # unreadable: the validation stage said why
        body, first = found
        try:
            html = renderer.render(body)
        except Exception as exc:  # a Markdown extension failing on odd input must not be a traceback
            out.append(Diagnostic(path, first, f"正文无法转换为网页（{type(exc).__name__}），请检查格式", ERROR, "render-failed"))
            continue
        body_lines = body.split("\n")
        _clean, diags = body_check.check(path, html, url, allow, lambda: (body_lines, first))
        out.extend(diags)
    return out


def check_bodies(items: list[tuple[str, str, str, tuple]], body_check: BodyCheck, renderer: Renderer,
                 workers: int | None = None) -> list[Diagnostic]:
    """Render and check page bodies: `items` are (absolute path, shown path, page URL, allowances)."""
    if workers is None:
        workers = min(os.cpu_count() or 1, 8) if len(items) >= 2000 else 1
    parts = forkpool.map_shares(lambda share: _check_chunk(share, body_check, renderer), items, workers, "正文检查")
    return [d for part in parts for d in part]
