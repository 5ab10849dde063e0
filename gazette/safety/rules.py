"""Content safety: what must never be published from an item file.

- personal data: resident ID numbers (18 digits with a valid check digit, and
  the old 15-digit form), mobile numbers, bank card numbers (Luhn-valid), also
  written in groups (gazette/personal.py), in the text and in the file name;
- injected content: gambling spam terms (data/spam-terms.txt plus the site's
  own), links to domains outside the allow-list, hidden text and active
  content (<script>, <iframe>, on…= handlers, javascript: links) in raw HTML;
- links: internal links to missing files or anchors; every external link is
  listed (level "info", code "external-link") for the report.

Numbers and spam terms are matched on folded text (gazette/textnorm.py:
traditional characters, full-width forms, ⑧, invisible characters and spaces
between ideographs do not hide them); `Checker.text_problems(text)` gives them
with positions in the original text, for a check of a page's rendered text.

`Checker` is a `records.Loader` check: `check(source, values, report)` for
each item file. `make_checker` builds it from the plugin's options so that
`mkdocs build` and `gazette check` apply exactly the same rules.
"""

from __future__ import annotations

import bisect
import csv
import datetime as dt
import html
import os
import posixpath
import re
import time
from functools import lru_cache
from typing import Any, Callable, Iterable
from urllib.parse import unquote

from gazette.content import frontmatter
from gazette.safety import personal
from gazette.diagnostics import Report
from gazette.content.fields import ALLOWABLE_CHECKS
from gazette.safety.sanitize import LinkPolicy, link_message
from gazette.safety.personal import BARE_URL as _BARE_URL
from gazette.safety.textnorm import INVISIBLE, fold, fold_with_map, s2t_variants, span_in_original

from gazette import DATA_DIR

# -- text normalisation ---------------------------------------------------------

# Personal numbers and spam terms are matched on `textnorm.fold(text)` (see
# Checker.text_problems). URLs written in the text are found on this lighter
# normalisation, which keeps their case and the text's length and lines:
# full-width ASCII (ｗｗｗ．) as ASCII, and zero-width characters removed.
_NORMALISE = {cp: cp - 0xFEE0 for r in ((0xFF10, 0xFF1A), (0xFF21, 0xFF3B), (0xFF41, 0xFF5B), (0xFF0B, 0xFF0C), (0xFF0D, 0xFF10)) for cp in range(*r)}
_NORMALISE.update({cp: None for cp in (0x00AD, 0x200B, 0x200C, 0x200D, 0x2060, 0xFEFF)})
_NEEDS_NORMALISING = re.compile("[" + "".join(re.escape(chr(cp)) for cp in sorted(_NORMALISE)) + "]")


def normalise(text: str) -> str:
    """Full-width ASCII as ASCII, zero-width characters removed; for finding URLs written in
    the text (what is shown of them keeps its case). Matching uses `textnorm.fold`."""
    return text.translate(_NORMALISE) if _NEEDS_NORMALISING.search(text) else text


# -- personal data ----------------------------------------------------------------
# gazette/personal.py finds them on folded text (gazette/textnorm.py); the names stay
# importable from here.

_ID_WEIGHTS, _ID_CHECK = personal._ID_WEIGHTS, personal._ID_CHECK
_valid_date = personal._valid_date
is_id18, is_id15, luhn, mask = personal.is_id18, personal.is_id15, personal.luhn, personal.mask


def find_personal(text: str) -> list[tuple[int, str, str]]:
    """(position in `text`, check code, masked number) of every personal number in `text`."""
    folded = fold(text)
    found = personal.personal_numbers(folded)
    if not found:
        return []
    _folded, offsets = fold_with_map(text)
    return [(span_in_original(offsets, s, e, text)[0], code, mask(number)) for s, e, code, number in found]


# -- spam terms ---------------------------------------------------------------------


def parse_terms(lines: Iterable[str]) -> list[tuple[str, tuple[str, ...]]]:
    """`term | exception | …` lines (comments with #) → [(term, exceptions)], folded
    (`textnorm.fold`) as the text they are matched in: 龍８ in the list is 龙8."""
    out = []
    for raw in lines:
        line = raw.split("#", 1)[0].strip() if raw.lstrip().startswith("#") else raw.strip()
        if not line:
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


class SpamMatcher:
    """The spam terms, matched in folded text (`textnorm.fold`): traditional characters,
    full-width forms, ⑧, spaces and invisible characters between the characters of a term
    do not hide it."""

    def __init__(self, extra: Iterable[str] = ()):
        terms = dict(default_terms())
        for term, exceptions in parse_terms(str(t) for t in extra):
            terms[term] = terms.get(term, ()) + exceptions
        self.exceptions = terms
        # Longest first so that 龙8国际 is named rather than 龙8. Latin terms must not
        # match inside a longer Latin word: the end is checked by the pattern, the start
        # after a match (a lookbehind opening an alternative would keep the engine from
        # skipping to the terms' first characters, which makes the search twice as slow).
        # Folded text is lower case.
        # Each character as a class of its simplified and traditional forms: the text is folded
        # without traditional → simplified (textnorm, t2s=False), which is costly per character.
        variants = s2t_variants()

        def spell(text: str) -> str:
            return "".join(f"[{re.escape(variants[c])}]" if c in variants else re.escape(c) for c in text)

        # Grouped by first character: where one occurs, only its own terms are tried (the first
        # characters include common ones, 在 开 新 时, and 54 alternatives at each was most of the cost).
        by_first: dict[str, list[str]] = {}
        for term in sorted(terms, key=len, reverse=True):
            rest = spell(term[1:]) + (r"(?![a-z])" if re.search(r"[a-z]$", term) else "")
            by_first.setdefault(term[0], []).append(rest)
        # The pattern opens with one class of every first character, so that the engine skips in
        # C to where a term can start (a leading lookahead or alternation would be tried at every
        # character); a class of second characters throws out most such places (在, 时, 新 are
        # common), and a lookbehind then picks the first character's own terms.
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
            excepted = False
            for exc in self.exceptions.get(term, ()):
                i = exc.find(term)
                if 0 <= i <= at and fold(folded[at - i: at - i + len(exc)]) == exc:
                    excepted = True
                    break
            if not excepted:
                out.append((at, term))
        return out


_LATIN = frozenset("abcdefghijklmnopqrstuvwxyz0123456789")


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


def _heading_text(text: str) -> str:
    text = re.sub(r"!\[[^\]]*\]\([^)]*\)", "", text)
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text)
    text = re.sub(r"\[([^\]]*)\]\[[^\]]*\]", r"\1", text)
    text = re.sub(r"<[^>]+>", "", text)
    text = text.replace("`", "")
    # Python-Markdown's own emphasis patterns: only paired markers are markup; a lone
    # "_" stays text, and "_" is a word character the slug keeps.
    text = re.sub(r"(\*{2})(.+?)\1", r"\2", text)
    text = re.sub(r"(\*)([^*]+)\1", r"\2", text)
    text = re.sub(r"(?<!\w)(_{2})(?!_)(.+?)(?<!_)\1(?!\w)", r"\2", text)
    text = re.sub(r"(?<!\w)(_)(?!_)(.+?)(?<!_)\1(?!\w)", r"\2", text)
    text = re.sub(r"\\(.)", r"\1", text)
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
        explicit = None
        am = _HEADING_ATTR.search(text)
        if am:
            idm = re.search(r"#([^\s}]+)", am.group(1))
            explicit = idm.group(1) if idm else None
            text = text[: am.start()]
        if explicit:
            ids.add(explicit)
        else:
            try:
                slug = slugify(_heading_text(text), separator)
            except Exception:  # a site's own slugify must not break the check
                slug = ""
            unique(str(slug), ids)
    return ids


# -- the check ------------------------------------------------------------------------------


def _lineno(text: str, pos: int, first: int) -> int:
    return first + text.count("\n", 0, pos)


def _strings(value: Any, depth: int = 0) -> Iterable[str]:
    if depth > 20:
        return
    if isinstance(value, str):
        yield value
    elif isinstance(value, (bool, type(None))):
        return
    elif isinstance(value, (int, float)):
        yield str(value)
    elif isinstance(value, dict):
        for k, v in value.items():
            yield from _strings(k, depth + 1)
            yield from _strings(v, depth + 1)
    elif isinstance(value, (list, tuple)):
        for v in value:
            yield from _strings(v, depth + 1)


_INVISIBLE = frozenset(INVISIBLE)
_NAMES = {code: name for code, (name, _aliases) in ALLOWABLE_CHECKS.items()}


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
        self.seconds = 0.0  # processor time of the checks (this thread's: other work running beside them is not counted)
        self.items = 0
        self._exists: dict[str, bool] = {}
        self._ids: dict[str, set[str] | None] = {}
        self._columns = {c.path for top in layout.columns for c in top.walk()} if layout is not None else set()

    # paths

    def src_of(self, path: str) -> str:
        if self.prefix and path.startswith(self.prefix + "/"):
            return path[len(self.prefix) + 1:]
        return path

    def display(self, src: str) -> str:
        return f"{self.prefix}/{src}" if self.prefix else src

    def __call__(self, source: frontmatter.Source, values: dict, report: Report) -> None:
        start = time.thread_time()
        try:
            self._check(source, values, report)
        finally:
            self.seconds += time.thread_time() - start
            self.items += 1

    def _check(self, source: frontmatter.Source, values: dict, report: Report) -> None:
        allow = values.get("allow") or {}
        if not isinstance(allow, dict):
            allow = {}
        findings: list[tuple[int, str, str]] = []  # (line, code, message)
        src = self.src_of(source.path)

        # The body's safety is judged on the rendered page (bodycheck.py); here only links to
        # this site's own files and headings, which need the source's relative paths.
        self._link_findings(source.body or "", source.body_line, findings, src)
        # All front matter values in one pass (a pass per field costs more than the body):
        # value k starts on line starts[k] of the joined text; findings go to its key's line.
        # Values are joined by a line holding only NUL: nothing matched runs across it (a
        # number's groups, a spam term, a URL).
        texts, starts, keys_lines, at = [], [], [], 1
        for entry in source.entries:
            value = entry.value
            if entry.key in ("allow", "豁免检查") or value is None or isinstance(value, (dt.date, bool)):
                continue  # the reasons of an allowance may name what they allow
            text = value if isinstance(value, str) else "\n".join(_strings(value))
            texts.append(text)
            starts.append(at)
            keys_lines.append(entry.line)
            at += text.count("\n") + 2
        if texts:
            for line, code, message, *_key in self._text_findings_list("\n\x00\n".join(texts), 1):
                findings.append((keys_lines[bisect.bisect_right(starts, line) - 1], code, message))
        # The file's name is part of the page's URL.
        stem = posixpath.basename(source.path.replace("\\", "/")).rsplit(".", 1)[0]
        for _s, _e, code, number in personal.personal_numbers(fold(stem)):
            masked = mask(number)
            findings.append((1, code, f"文件名含有{personal.NAMES[code]}「{masked}」，文件名会出现在网址中，公开会泄露个人信息；"
                                      f"请改用不含个人信息的文件名"))

        seen = set()
        for finding in sorted(findings, key=lambda f: f[0]):
            line, code, message = finding[:3]
            key = (line, code, finding[3] if len(finding) > 3 else message)
            if key in seen:
                continue  # a link's URL is also found as text on the same line
            seen.add(key)
            if code in allow:
                continue
            if code == "external-link":
                report.info(source.path, line, message, code)
            else:
                report.error(source.path, line, message, code)
        if allow:
            # Listed whether or not the front matter used it: the body is checked when rendered.
            line = next((e.line for e in source.entries if e.key in ("allow", "豁免检查")), 1)
            for code, reason in allow.items():
                report.info(source.path, line, f"已按「豁免检查」允许本篇含有{_NAMES.get(code, code)}（理由：{reason}）", "allowance")

    # text: personal data, spam, bare URLs

    def _text_findings_list(self, text: str, first: int) -> list[tuple[int, str, str]]:
        out: list[tuple[int, str, str]] = []
        self._text_findings(text, first, out)
        return out

    def _text_findings(self, text: str, first: int, out: list) -> None:
        """Personal data and spam (`text_problems`), and URLs written in the text, with line numbers."""
        for start, _end, code, message in self.text_problems(text):
            out.append((_lineno(text, start, first), code, message))
        if "://" in text or "www." in text or "WWW." in text or "Www." in text or "ｗ" in text or "Ｗ" in text:  # `in` is far cheaper than a regex
            norm = normalise(text)  # same length and lines as `text`
            for m in _BARE_URL.finditer(norm):
                self._url(m.group().rstrip(".,;:!?"), _lineno(norm, m.start(), first), out, src=None)

    def _folded_hits(self, folded: str) -> list[tuple[int, int, str, str]]:
        """(start, end, code, number or term) in folded text."""
        hits = personal.personal_numbers(folded)
        hits += [(s, s + len(term), "spam-term", term) for s, term in self.spam.find(folded)]
        return hits

    def text_problems(self, text: str) -> list[tuple[int, int, str, str]]:
        """(start, end, code, message) of the personal numbers and spam terms of plain text
        (the text of a rendered page, a front matter value …); start and end are positions
        in `text`, codes "id-number", "mobile", "bank-card", "spam-term", messages in Chinese
        with numbers masked. Matching is on `textnorm.fold(text)`; URLs' paths are not
        personal numbers, their queries are looked at."""
        folded = fold(text, t2s=False)
        hits = self._folded_hits(folded)
        if not hits:
            return []
        mapped, offsets = fold_with_map(text, t2s=False)
        if mapped != folded:  # they agree (see the tests); should they ever not, the map's text decides
            hits = self._folded_hits(mapped)
        out = []
        for s, e, code, what in sorted(hits):
            a, b = span_in_original(offsets, s, e, text)
            if code == "spam-term":
                shown = " ".join("".join(c for c in text[a:b] if ord(c) not in _INVISIBLE).split())
                written = f"（原文写作「{shown}」）" if shown and shown != what else ""
                message = f"含有疑似赌博等垃圾信息的词语「{what}」{written}，可能是网站被篡改植入的内容，请核实并删除"
            else:
                masked = mask(what)
                message = (f"含有{personal.NAMES[code]}「{masked}」，公开会泄露个人信息；请删除或只保留打码形式（如「{masked}」）。"
                           f"确需公开的，请在头部写「豁免检查」（allow）并说明理由")
            out.append((a, b, code, message))
        return out

    def _link_findings(self, body: str, first: int, out: list, src: str) -> None:
        code_free = mask_code(body)
        for marker, pattern in (("](", _MD_LINK), ("]:", _REF_DEF)):
            if marker in code_free:
                for m in pattern.finditer(code_free):
                    url = m.group(1).strip()
                    if url and not re.match(r"^[A-Za-z][A-Za-z0-9+.-]*:|^[/\\]", url):
                        self._internal(url, _lineno(code_free, m.start(1), first), out, src)

    # raw HTML, Markdown links

    def _url(self, url: str, line: int, out: list, *, src: str | None) -> None:
        """A URL written in a front-matter value, judged as a browser would resolve it (sanitize.LinkPolicy)."""
        url = url.strip()
        if not url:
            return
        shown = url if "://" in url else "http://" + url
        code, host, _ = self.links.judge(shown, self.links.origin)
        if host is not None:
            out.append((line, "external-link", f"外部链接：{url}", url))
        if code == "external-domain":
            out.append((line, code, "文中写出的网址" + link_message(code, url, host)[2:], url))

    def _internal(self, url: str, line: int, out: list, src: str) -> None:
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
                out.append((line, "broken-link", f"链接「{url}」指向的文件 {self.display(target)} 不存在"))
                return
        if anchor and target.endswith(".md"):
            ids = self._anchor_ids(target)
            if ids is not None and anchor not in ids and not anchor.startswith("gz-"):
                where = "本篇" if target == src else self.display(target)
                out.append((line, "broken-anchor", f"链接「{url}」中的锚点「#{anchor}」在{where}中找不到对应的标题"))

    def _file_exists(self, target: str) -> bool:
        hit = self._exists.get(target)
        if hit is None:
            hit = os.path.isfile(os.path.join(self.docs_dir, target)) or self._generated(target)
            self._exists[target] = hit
        return hit

    def _generated(self, target: str) -> bool:
        """Pages the plugin generates (archive, years, columns, indexes) exist without a file."""
        if target.startswith(self.browse_dir + "/"):
            return True  # the indexes by issuer, genre, subject … are all generated
        if self.layout is None or not target.endswith("index.md"):
            return False
        g, d = self.layout.gazette_dir, self.layout.disclosure_dir
        if target in (f"{g}/index.md", f"{d}/index.md"):
            return True
        if re.fullmatch(re.escape(g) + r"/\d{4}/index\.md", target):
            return True
        return target.startswith(d + "/") and target[len(d) + 1: -len("/index.md")] in self._columns

    def _anchor_ids(self, target: str) -> set[str] | None:
        """Heading ids of an editor's page; None where the page is generated (ids unknown here)."""
        if target in self._ids:
            return self._ids[target]
        ids = None
        if self.layout is not None and target.endswith("index.md") and (
                target.startswith((self.layout.gazette_dir + "/", self.layout.disclosure_dir + "/", self.browse_dir + "/"))):
            ids = None  # issue, year and column pages are rendered from templates
        else:
            try:
                body = frontmatter.body_of(os.path.join(self.docs_dir, target))
                ids = heading_ids(body, self.slugify, self.separator)
            except (OSError, UnicodeDecodeError):
                ids = None
        self._ids[target] = ids
        return ids


# -- building the checker from the configuration ----------------------------------------


def toc_options(markdown_extensions: Any) -> dict:
    """The toc extension's options from mkdocs.yml's raw `markdown_extensions`."""
    if isinstance(markdown_extensions, dict):
        markdown_extensions = [{k: v} for k, v in markdown_extensions.items()]
    for entry in markdown_extensions or []:
        if isinstance(entry, dict):
            for name, options in entry.items():
                if name in ("toc", "markdown.extensions.toc") and isinstance(options, dict):
                    return options
    return {}


def site_settings(config_file: str | None) -> tuple[str | None, dict]:
    """site_url and the toc options of a mkdocs.yml, for `gazette check` (which builds nothing)."""
    if not config_file or not os.path.isfile(config_file):
        return None, {}
    try:
        from mkdocs.utils.yaml import yaml_load

        with open(config_file, "rb") as fh:
            raw = yaml_load(fh) or {}
    except Exception:  # a broken mkdocs.yml is reported by MkDocs itself; check with defaults
        return None, {}
    if not isinstance(raw, dict):
        return None, {}
    site_url = raw.get("site_url") if isinstance(raw.get("site_url"), str) else None
    return site_url, toc_options(raw.get("markdown_extensions"))


def make_checker(options, docs_dir: str, display_prefix: str, layout, *, site_url: str | None, toc: dict | None) -> Checker:
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
