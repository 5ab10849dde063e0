"""Content safety: what must never be published from an item file.

- personal data: resident ID numbers, mobile numbers, bank card numbers
  (personal.py), in the text and in the file name;
- injected content: gambling spam terms (data/spam-terms.txt plus the site's
  own), addresses of domains outside the allow-list written in the text;
- links: internal links to missing files or anchors; every external link is
  listed (level "info", code "external-link") for the report.

Numbers and spam terms are matched on folded text (textnorm.py: traditional
characters, full-width forms, ⑧, invisible characters and spaces between
ideographs do not hide them). `Checker.text_problems` and `Checker.written_urls`
check plain text, also for the page bodies (bodycheck.py).

`Checker` is a `records.Loader` check: `check(source, values, report)` for
each item file. `make_checker` builds it from the plugin's options so that
`mkdocs build` and `gazette check` apply exactly the same rules.
"""

from __future__ import annotations

import bisect
import csv
import datetime as dt
import html
import itertools
import os
import posixpath
import re
import time
from functools import lru_cache
from typing import Any, Callable, Iterable
from urllib.parse import unquote, urlsplit

from gazette import DATA_DIR
from gazette.content import frontmatter
from gazette.content.fields import ALLOWABLE_CHECKS
from gazette.diagnostics import Report
from gazette.safety.personal import BARE_URL, mask, personal_numbers
from gazette.safety.sanitize import DOMAIN_ALLOWANCE, LinkPolicy, link_message
from gazette.safety.textnorm import INVISIBLE, find_in, fold, narrow, s2t_variants

# -- spam terms ---------------------------------------------------------------------


def parse_terms(lines: Iterable[str]) -> list[tuple[str, tuple[str, ...]]]:
    """`term | exception | …` lines (and # comment lines) → [(term, exceptions)], folded
    (`textnorm.fold`) as the text they are matched in: 龍８ in the list is 龙8."""
    out = []
    for raw in lines:
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        parts = [p.strip() for p in line.split("|")]
        term = fold(parts[0]).strip()
        if term:
            out.append((term, tuple(fold(p) for p in parts[1:] if p)))
    return out


@lru_cache(maxsize=1)
def default_terms() -> tuple[tuple[str, tuple[str, ...]], ...]:
    with open(os.path.join(DATA_DIR, "spam-terms.txt"), encoding="utf-8") as fh:
        return tuple(parse_terms(fh))


_LATIN = frozenset("abcdefghijklmnopqrstuvwxyz0123456789")


class SpamMatcher:
    """The spam terms, matched in folded text (`textnorm.fold`): traditional characters, full-width
    forms, ⑧, spaces and invisible characters between the characters of a term do not hide it."""

    def __init__(self, extra: Iterable[str] = ()):
        terms = dict(default_terms())
        for term, exceptions in parse_terms(str(t) for t in extra):
            terms[term] = terms.get(term, ()) + exceptions
        self.exceptions = terms
        # Each character as a class of its simplified and traditional forms: the text is folded
        # without traditional → simplified (t2s=False), which is costly per character.
        variants = s2t_variants()

        def spell(text: str) -> str:
            return "".join(f"[{re.escape(variants[c])}]" if c in variants else re.escape(c) for c in text)

        # Longest first so that 龙8国际 is named rather than 龙8. A Latin term must not match inside
        # a longer word: the pattern checks its end, `find` its start (a lookbehind opening an
        # alternative would keep the engine from skipping to the first characters).
        # Grouped by first character: where one occurs (在 开 新 时 are common), only its own terms are tried.
        by_first: dict[str, list[str]] = {}
        for term in sorted(terms, key=len, reverse=True):
            rest = spell(term[1:]) + (r"(?![a-z])" if re.search(r"[a-z]$", term) else "")
            by_first.setdefault(term[0], []).append(rest)
        # One class of every first character opens the pattern, so that the engine skips in C to
        # where a term can start; a class of second characters throws out most such places, and
        # a lookbehind then picks the first character's own terms.
        classes = lambda chars: "[" + "".join(re.escape(c) for c in sorted(chars)) + "]"
        firsts = {c for first in by_first for c in variants.get(first, first)}
        seconds = {c for term in terms if len(term) > 1 for c in variants.get(term[1], term[1])}
        second = f"(?={classes(seconds)})" if all(len(term) > 1 for term in terms) else ""
        groups = [f"(?<={spell(first)})(?:" + "|".join(rests) + ")" for first, rests in sorted(by_first.items())]
        self.pattern = re.compile(classes(firsts) + second + "(?:" + "|".join(groups) + ")") if groups else None

    def find(self, folded: str) -> list[tuple[int, str]]:
        """(position, term) of every term in `folded`, text folded by `textnorm.fold`."""
        if self.pattern is None:
            return []
        out = []
        for m in self.pattern.finditer(folded):
            term, at = fold(m.group()), m.start()  # the term as listed, whichever script matched
            if at and term[0] in _LATIN and folded[at - 1] in _LATIN:
                continue  # inside a longer Latin word or number
            if not any(0 <= (i := exc.find(term)) <= at and fold(folded[at - i: at - i + len(exc)]) == exc
                       for exc in self.exceptions.get(term, ())):
                out.append((at, term))
        return out


# -- HTML and links --------------------------------------------------------------------

_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})[^\n]*\n.*?(?:^ {0,3}\1[ \t]*$|\Z)", re.M | re.S)
_CODE_SPAN = re.compile(r"(`+)[^`\n]+?\1")
_MD_LINK = re.compile(r"\]\(\s*<?([^)\s>]*)")
_REF_DEF = re.compile(r"^ {0,3}\[[^\]\n]+\]:[ \t]*<?([^\s>]+)", re.M)


def _blank(m: re.Match) -> str:
    return re.sub(r"[^\n]", " ", m.group())


def mask_code(body: str) -> str:
    """Code blocks and spans as spaces (same length and lines): shown as text, never active."""
    if "```" in body or "~~~" in body:
        body = _FENCE.sub(_blank, body)
    if "`" in body:
        body = _CODE_SPAN.sub(_blank, body)
    return body


# -- heading ids (Python-Markdown's toc) ------------------------------------------------

_ATX = re.compile(r"^ {0,3}(#{1,6})[ \t]+(.*?)[ \t]*(?:#+[ \t]*)?$")
_SETEXT = re.compile(r"^ {0,3}(?:=+|-+)[ \t]*$")
_HEADING_ATTR = re.compile(r"[ \t]*\{:?[ \t]*([^{}]*)\}[ \t]*$")
_HTML_ID = re.compile(r"<[A-Za-z][^<>]*?\s(?:id|name)\s*=\s*[\"']?([^\"'\s>]+)", re.I)


# Images, links, tags and code marks, then Python-Markdown's own emphasis patterns (only paired
# markers are markup; a lone "_" stays text, a word character the slug keeps), then escapes.
_HEADING_MARKUP = [(re.compile(p), r) for p, r in (
    (r"!\[[^\]]*\]\([^)]*\)", ""), (r"\[([^\]]*)\]\([^)]*\)", r"\1"), (r"\[([^\]]*)\]\[[^\]]*\]", r"\1"),
    (r"<[^>]+>", ""), ("`", ""), (r"(\*{2})(.+?)\1", r"\2"), (r"(\*)([^*]+)\1", r"\2"),
    (r"(?<!\w)(_{2})(?!_)(.+?)(?<!_)\1(?!\w)", r"\2"), (r"(?<!\w)(_)(?!_)(.+?)(?<!_)\1(?!\w)", r"\2"),
    (r"\\(.)", r"\1"))]


def _heading_text(text: str) -> str:
    for pattern, replacement in _HEADING_MARKUP:
        text = pattern.sub(replacement, text)
    return html.unescape(text).strip()


def heading_ids(body: str, slugify: Callable | None = None, separator: str = "-") -> set[str]:
    """The ids the toc extension gives the headings of a Markdown body (plus explicit and HTML ids)."""
    from markdown.extensions.toc import slugify as default_slugify, unique

    slugify = slugify or default_slugify
    ids: set[str] = set(m.group(1) for m in _HTML_ID.finditer(body))
    lines = (_FENCE.sub(_blank, body) if ("```" in body or "~~~" in body) else body).split("\n")
    for i, line in enumerate(lines):
        text = None
        m = _ATX.match(line)
        if m:
            text = m.group(2)
        elif i + 1 < len(lines) and line.strip() and not line.startswith("    ") and _SETEXT.match(lines[i + 1]) \
                and not _SETEXT.match(line) and not re.match(r"^\s*(?:[-*+]|\d+[.)])\s", line):
            text = line.strip()
        if text is None:
            continue
        am = _HEADING_ATTR.search(text)
        explicit = am and re.search(r"#([^\s}]+)", am.group(1))
        if explicit:
            ids.add(explicit.group(1))
            continue
        try:
            slug = slugify(_heading_text(text[: am.start()] if am else text), separator)
        except Exception:  # a site's own slugify must not break the check
            slug = ""
        unique(str(slug), ids)
    return ids


# -- the check ------------------------------------------------------------------------------


def _strings(value: Any, depth: int = 0) -> Iterable[str]:
    """The strings and numbers of a YAML value, keys included."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, (int, float)) and not isinstance(value, bool):
        yield str(value)
    elif depth < 20 and isinstance(value, (dict, list, tuple)):
        for v in itertools.chain.from_iterable(value.items()) if isinstance(value, dict) else value:
            yield from _strings(v, depth + 1)


_INVISIBLE = frozenset(INVISIBLE)
_NAMES = {code: name for code, (name, _aliases) in ALLOWABLE_CHECKS.items()}
_KEYS_OF_ALLOW = ("allow", "豁免检查")
ALLOWANCE = "确需公开的，请在头部写「豁免检查」（allow）并说明理由"  # what a document may do (an item)
_OFFERS = ((ALLOWANCE, "本页不是公报或政务公开文件，不能豁免检查"), (DOMAIN_ALLOWANCE, ""))


MAX_LISTED = 100  # findings listed one by one for a published text file or a page body


def lines_at(text: str) -> Callable[[int], int]:
    """The line (from 0) of an offset of `text`, by bisection: counting the newlines before each of
    many findings would be quadratic in a large file."""
    newlines = [m.start() for m in re.finditer("\n", text)]
    return lambda at: bisect.bisect_left(newlines, at)


def for_page(message: str) -> str:
    """A message for a page that is not a document (home, guide, issue): it has no allowances
    (豁免检查 is an item's field), so the message does not offer one."""
    for offer, instead in _OFFERS:
        message = message.replace(offer, instead)
    return message


class Checker:
    """One site's content-safety rules; call it on every item file (a `records.Loader` check)."""

    def __init__(self, docs_dir: str, display_prefix: str = "", layout=None, *, browse_dir: str = "browse",
                 spam_terms: Iterable[str] = (), allowed_domains: Iterable[str] = (), site_url: str | None = None,
                 slugify: Callable | None = None, separator: str = "-"):
        self.docs_dir = docs_dir
        self.prefix = display_prefix.rstrip("/")
        self.layout = layout
        self.browse_dir = browse_dir
        self.spam = SpamMatcher(spam_terms)
        self.links = LinkPolicy(site_url, allowed_domains)
        self.slugify = slugify if callable(slugify) else None
        self.separator = separator if isinstance(separator, str) else "-"
        self.seconds = 0.0  # this thread's processor time: work running beside the checks is not counted
        self.items = 0
        self._exists: dict[str, bool] = {}
        self._ids: dict[str, set[str] | None] = {}
        self._columns = {c.path for top in layout.columns for c in top.walk()} if layout is not None else set()

    def src_of(self, path: str) -> str:
        return path[len(self.prefix) + 1:] if self.prefix and path.startswith(self.prefix + "/") else path

    def display(self, src: str) -> str:
        return f"{self.prefix}/{src}" if self.prefix else src

    def __call__(self, source: frontmatter.Source, values: dict, report: Report, item: bool = True) -> None:
        start = time.thread_time()
        try:
            self._check(source, values, report, item)
        finally:
            self.seconds += time.thread_time() - start
            self.items += item

    def _check(self, source: frontmatter.Source, values: dict, report: Report, item: bool) -> None:
        allow = values.get("allow") if isinstance(values.get("allow"), dict) else {}
        findings: list[tuple[int, str, str]] = []  # (line, code, message)
        # The body's safety is judged on the rendered page (bodycheck.py); here only links to
        # this site's own files and headings, which need the source's relative paths.
        self._link_findings(source.body or "", source.body_line, findings, self.src_of(source.path))
        # All front matter values in one pass (a pass per field costs more than the body):
        # findings go to the line of the key whose value holds them (key_line, by line of the text).
        # Values are joined by a line holding only NUL: nothing matched runs across it.
        texts, key_line = [], []
        for entry in source.entries:
            value = entry.value
            if entry.key in _KEYS_OF_ALLOW or value is None or isinstance(value, (dt.date, bool)):
                continue  # the reasons of an allowance may name what they allow
            text = value if isinstance(value, str) else "\n".join(_strings(value))
            texts.append(text)
            key_line += [entry.line] * (text.count("\n") + 2)
        text = "\n\x00\n".join(texts)
        found = [(text.count("\n", 0, a), code, message) for a, _b, code, message in self.text_problems(text)]
        for line, url, host, message in self.written_urls(text):
            if host is not None:
                found.append((line, "external-link", f"外部链接：{url}"))
            if message is not None:
                found.append((line, "external-domain", message))
        findings += [(key_line[line], code, m) for line, code, m in found]
        # The file's name is part of the page's URL.
        stem = posixpath.basename(source.path.replace("\\", "/")).rsplit(".", 1)[0]
        for _s, _e, code, number in personal_numbers(fold(stem)):
            findings.append((1, code, f"文件名含有{_NAMES[code]}「{mask(number)}」，文件名会出现在网址中，公开会泄露个人信息；"
                                      f"请改用不含个人信息的文件名"))

        # Once each (a URL written twice on a line), in line order.
        for line, code, message in sorted(dict.fromkeys(findings), key=lambda f: f[0]):
            if code not in allow:
                (report.info if code == "external-link" else report.error)(
                    source.path, line, message if item else for_page(message), code)
        if allow:
            # Listed whether or not the front matter used it: the body is checked when rendered.
            line = next((e.line for e in source.entries if e.key in _KEYS_OF_ALLOW), 1)
            for code, reason in allow.items():
                report.info(source.path, line, f"已按「豁免检查」允许本篇含有{_NAMES.get(code, code)}（理由：{reason}）",
                            "allowance")

    def published_text(self, path: str, text: str, report: Report) -> None:
        """A text file of docs/ published as it is (.txt, .csv, .yml, .json): search engines read it at
        the site's address, so its spam terms, personal numbers and foreign addresses are refused
        at their lines as a page's are (such a file has no front matter to allow them)."""
        start = time.thread_time()
        line_of = lines_at(text)
        found = [(line_of(a) + 1, code, message) for a, _b, code, message in self.text_problems(text)]
        for line, _url, _host, message in self.written_urls(text):
            if message is not None:
                found.append((line + 1, "external-domain", message))
        found = sorted(dict.fromkeys(found), key=lambda f: f[0])
        for line, code, message in found[:MAX_LISTED]:
            report.error(path, line, for_page(message), code)
        if len(found) > MAX_LISTED:  # a planted file of 100,000 numbers: the editor needs the first, not all
            report.error(path, found[MAX_LISTED][0], f"从这一行起还有 {len(found) - MAX_LISTED} 处问题，未逐一列出；"
                         "这个文件不宜原样公开，请核实来源后删除或改正", found[MAX_LISTED][1])
        self.seconds += time.thread_time() - start

    # plain text: personal data, spam, written addresses

    def _folded_hits(self, folded: str) -> list[tuple[int, int, str, str]]:
        """(start, end, code, number or term) in folded text, in order."""
        spam = [(s, s + len(term), "spam-term", term) for s, term in self.spam.find(folded)]
        return sorted(personal_numbers(folded) + spam)

    def text_problems(self, text: str) -> list[tuple[int, int, str, str]]:
        """(start, end, code, message) of the personal numbers and spam terms of plain text (a
        rendered page's, a front matter value …): positions in `text`, codes "id-number", "mobile",
        "bank-card", "spam-term", messages in Chinese with numbers masked. URLs' paths are not
        personal numbers, their queries are looked at."""
        out = []
        for a, b, code, what in find_in(text, self._folded_hits, t2s=False):
            if code == "spam-term":
                shown = " ".join("".join(c for c in text[a:b] if ord(c) not in _INVISIBLE).split())
                written = f"（原文写作「{shown}」）" if shown and shown != what else ""
                message = f"含有疑似赌博等垃圾信息的词语「{what}」{written}，可能是网站被篡改植入的内容，请核实并删除"
            else:
                masked = mask(what)
                message = (f"含有{_NAMES[code]}「{masked}」，公开会泄露个人信息；请删除或只保留打码形式（如「{masked}」）。"
                           + ALLOWANCE)
            out.append((a, b, code, message))
        return out

    def written_urls(self, text: str, base: str | None = None) -> list[tuple[int, str, str | None, str | None]]:
        """Addresses written out in plain text, as injected pages advertise: (line of `text`
        counted from 0, URL, host if it leads off the site, message if that host is not allowed).
        Judged as a browser would resolve them against `base` (by default the site's address);
        full-width forms and invisible characters do not hide them."""
        # `in` is far cheaper than a regular expression; every address holds :// or a w.
        if not ("://" in text or "w" in text or "W" in text or "ｗ" in text or "Ｗ" in text):
            return []
        text = narrow(text)  # same lines as `text`
        if "://" not in text and "www." not in text.lower():
            return []  # a w of an abbreviation (jwj, wjw): the pattern itself would be tried at every character
        out, line_of = [], lines_at(text)
        for m in BARE_URL.finditer(text):
            url = m.group().rstrip(".,;:!?")
            code, host = self.links.judge(url if "://" in url else "http://" + url, base or self.links.origin)
            message = "文中写出的网址" + link_message(code, url, host)[2:] if code == "external-domain" else None
            out.append((line_of(m.start()), url, host, message))
        return out

    # links to the site's own files

    def _link_findings(self, body: str, first: int, out: list, src: str) -> None:
        code_free = mask_code(body)
        for marker, pattern in (("](", _MD_LINK), ("]:", _REF_DEF)):
            if marker in code_free:
                for m in pattern.finditer(code_free):
                    url = m.group(1).strip()
                    line = first + code_free.count("\n", 0, m.start(1))
                    if re.match(r"^[A-Za-z][A-Za-z0-9+.-]*:", url):
                        try:
                            urlsplit(url)  # as MkDocs reads every link of a page: a ValueError stops its build
                        except ValueError:
                            out.append((line, "bad-link", f"链接「{url[:60]}」不是浏览器能识别的网址，请改正"))
                    elif url and not url.startswith(("/", "\\")):
                        opening = code_free.rfind("[", 0, m.start())
                        image = marker == "](" and opening > 0 and code_free[opening - 1] == "!"
                        self._internal(url, line, out, src, "图片" if image else "链接")

    def _internal(self, url: str, line: int, out: list, src: str, what: str = "链接") -> None:
        path, _, anchor = url.partition("#")
        path = unquote(path.split("?", 1)[0])
        anchor = unquote(anchor)
        if path.startswith("/"):
            return  # a site-root URL, not a file: MkDocs reports those itself
        if not path:
            target = src
        else:
            target = posixpath.normpath(posixpath.join(posixpath.dirname(src), path))
            if target == ".." or target.startswith("../"):
                out.append((line, "broken-link", f"链接「{url}」指向 docs 目录之外"))
                return
            if not re.search(r"\.[A-Za-z0-9]{1,5}$", path):
                return  # a URL-style link to a folder: MkDocs resolves those at build time
            if not self._file_exists(target):
                out.append((line, "broken-link", f"{what}「{url}」指向的文件 {self.display(target)} 不存在"))
                return
        if anchor and target.endswith(".md"):
            ids = self._anchor_ids(target)
            if ids is not None and anchor not in ids and not anchor.startswith("gz-"):
                where = "本篇" if target == src else self.display(target)
                out.append((line, "broken-anchor", f"链接「{url}」中的锚点「#{anchor}」在{where}中找不到对应的标题"))

    def _file_exists(self, target: str) -> bool:
        if target not in self._exists:
            self._exists[target] = os.path.isfile(os.path.join(self.docs_dir, target)) or self._generated(target)
        return self._exists[target]

    def _generated(self, target: str) -> bool:
        """Pages the plugin generates (archive, years, columns, indexes) exist without a file."""
        if target.startswith(self.browse_dir + "/"):
            return True  # the indexes by issuer, genre, subject … are all generated
        if self.layout is None or not target.endswith("index.md"):
            return False
        g, d = self.layout.gazette_dir, self.layout.disclosure_dir
        return (target in (f"{g}/index.md", f"{d}/index.md")
                or re.fullmatch(re.escape(g) + r"/\d{4}/index\.md", target) is not None
                or (target.startswith(d + "/") and target[len(d) + 1: -len("/index.md")] in self._columns))

    def _anchor_ids(self, target: str) -> set[str] | None:
        """Heading ids of an editor's page; None where the page is generated (ids unknown here)."""
        if target not in self._ids:
            self._ids[target] = None  # issue, year and column pages are rendered from templates
            templated = self.layout is not None and target.endswith("index.md") and target.startswith(
                (self.layout.gazette_dir + "/", self.layout.disclosure_dir + "/", self.browse_dir + "/"))
            if not templated:
                try:
                    body = frontmatter.body_of(os.path.join(self.docs_dir, target))
                    self._ids[target] = heading_ids(body, self.slugify, self.separator)
                except (OSError, UnicodeDecodeError):
                    pass
        return self._ids[target]


# -- building the checker from the configuration ----------------------------------------


def make_checker(options, docs_dir: str, display_prefix: str, layout, *, site_url: str | None,
                 toc: dict | None) -> Checker:
    """The one way to build the checks, used by the plugin and by `gazette check` alike."""
    toc = toc or {}
    return Checker(
        docs_dir, display_prefix, layout, browse_dir=options.browse_dir,
        spam_terms=options.spam_terms, allowed_domains=options.allowed_domains, site_url=site_url,
        slugify=toc.get("slugify"), separator=toc.get("separator", "-"),
    )


def external_links(report: Report) -> list:
    return [d for d in report.sorted() if d.code == "external-link"]


def write_links_report(report: Report, path: str) -> int:
    """Every external link of the site as CSV (file, line, URL); returns how many."""
    links = external_links(report)
    os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    tmp = path + ".tmp"
    with open(tmp, "w", encoding="utf-8-sig", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["文件", "行号", "链接"])
        for d in links:
            w.writerow([d.path, d.line, d.message.split("：", 1)[-1]])
    os.replace(tmp, path)
    return len(links)
