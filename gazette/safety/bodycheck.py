"""The page-body stage of the safety checks: rendered HTML in, sanitized HTML and findings out.

The build calls `BodyCheck.check` on every page MkDocs renders from an editor's
file (items, issues, other pages) and publishes what it returns; `gazette check`
renders them with the site's Markdown settings (validation.check_bodies), so
both refuse the same pages with the same `file:line` messages.

What is checked is what a reader gets: the sanitizer's output (see sanitize.py)
and its text with markup and entities gone, so `龙<b></b>8`, `龙**8**` and
`龙&#56;` read as the 龙8 they show.
"""

from __future__ import annotations

import dataclasses
import time
from typing import Callable, Iterable

from gazette.content import frontmatter
from gazette.content.fields import ALLOWABLE_CHECKS
from gazette.diagnostics import ERROR, INFO, Diagnostic, Report
from gazette.safety.rules import MAX_LISTED, for_page
from gazette.safety.sanitize import Locator, Sanitizer, text_of

# Validation codes of bodies that must never reach Python-Markdown (too deep to render safely).
UNRENDERABLE = frozenset({"body-too-deep", "file-too-large", "binary", "encoding", "io"})


def read_body(abs_path: str) -> tuple[str, int] | None:
    """A file's body and the line it starts on, whatever its front matter holds (None if unreadable)."""
    try:
        with open(abs_path, "rb") as fh:
            text = frontmatter.decode(fh.read(frontmatter.MAX_FILE_BYTES + 1), abs_path, Report())
    except OSError:
        return None
    return None if text is None else frontmatter.split_body(text)


def source_lines(abs_path: str) -> tuple[list[str], int]:
    """The body's lines and the file line the body starts on (read again only when needed)."""
    found = read_body(abs_path)
    return (found[0].split("\n"), found[1]) if found else ([], 1)


class BodyCheck:
    def __init__(self, text_rules):
        self.text_rules = text_rules  # rules.Checker: its link policy, and the checks of plain text
        self.sanitizer = Sanitizer(text_rules.links)
        self.seconds = 0.0  # this thread's processor time: work running beside the checks is not counted
        self.pages = 0

    def check(self, path: str, body_html: str, page_url: str, allow: Iterable[str] | None,
              lines: Callable[[], tuple[list[str], int]]) -> tuple[str, list[Diagnostic]]:
        """(HTML to publish, findings) for one page body; `lines()` gives the source when a finding needs a line.
        `allow`: the checks an item is exempted from; None for a page that is not an item (none can be)."""
        start = time.thread_time()
        try:
            clean, found = self._check(path, body_html, page_url, set(allow or ()), lines)
            if allow is None:
                found = [dataclasses.replace(d, message=for_page(d.message)) for d in found]
            return clean, found
        finally:
            self.seconds += time.thread_time() - start
            self.pages += 1

    def _check(self, path, body_html, page_url, allow, lines):
        clean, problems, links = self.sanitizer.check(body_html, page_url, allow)
        text = text_of(clean)
        for begin, end, code, message in self.text_rules.text_problems(text):
            problems.append((code, message, ("text", text[begin:end])))
        written = self.text_rules.written_urls(text, self.text_rules.links.base_for(page_url))
        judged = {url for url, _h in links} | {n[1] for _c, _m, n in problems if n[0] == "url"}
        for _line, url, host, message in written:
            if url in judged:
                continue  # a link's own text (<https://…>): judged as the link
            if host is not None:
                links.append((url, host))
            if message is not None:
                problems.append(("external-domain", message, ("url", url)))
        if not problems and not links:
            return clean, []
        locate = Locator(*lines())
        problems = [p for p in problems if p[0] not in allow or p[0] not in ALLOWABLE_CHECKS]
        out = [Diagnostic(path, locate(needle), message, ERROR, code) for code, message, needle in problems[:MAX_LISTED]]
        if len(problems) > MAX_LISTED:  # a planted body of thousands of numbers: the first ones, and how many more
            out.append(Diagnostic(path, out[-1].line, f"此后还有 {len(problems) - MAX_LISTED} 处问题，未逐一列出；"
                                  "请核实这段内容的来源后删除或改正", ERROR, problems[MAX_LISTED][0]))
        out += [Diagnostic(path, locate(("url", url)), f"外部链接：{url}", INFO, "external-link")
                for url, _host in links[:MAX_LISTED]]
        return clean, out


def prepare_markdown(extensions: list, configs: dict) -> tuple[list, dict]:
    """Tables align cells with the `align` attribute, not inline style (which the sanitizer refuses);
    e-mail addresses and phone numbers in the text become mailto:/tel: links (a tap on a phone)."""
    from gazette.disclosure.contacts import ContactLinks

    if not any(isinstance(e, ContactLinks) for e in extensions):
        extensions.append(ContactLinks())
    if "tables" in extensions or "markdown.extensions.tables" in extensions:
        key = "tables" if "tables" in extensions else "markdown.extensions.tables"
        configs.setdefault(key, {}).setdefault("use_align_attribute", True)
    return extensions, configs
