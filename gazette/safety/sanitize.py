"""Page bodies through an allow-list sanitizer; every link judged as a browser resolves it.

What is published of an editor's page body is the output of `nh3` (the Rust
`ammonia` sanitizer, which parses HTML as a browser does): only the tags,
attributes, classes and URL schemes of the content format survive, no inline
style, so script, event handlers and hidden text cannot reach the site. The build
refuses a page the sanitizer would change, naming what and where in the source.

Every href and src is parsed with a WHATWG URL parser (`ada-url`) against the
page's own address, so `https:/evil.com/`, `/\\evil.com/` or an entity-encoded
`javascript:` are judged by the scheme and host the browser would use.
"""

from __future__ import annotations

import bisect
import html
import itertools
import re
from html.parser import HTMLParser
from typing import Callable, Iterable

import ada_url
import nh3

from gazette.safety.textnorm import fold

# The content format's HTML: what Python-Markdown and its standard extensions
# produce, and the few tags editors paste from Word that are harmless.
TAGS = frozenset({
    "p", "br", "hr", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li", "dl", "dt", "dd",
    "blockquote", "pre", "code", "kbd", "samp", "em", "strong", "b", "i", "u", "s", "del", "ins",
    "sub", "sup", "mark", "small", "abbr", "cite", "q", "span", "div", "a", "img",
    "table", "caption", "colgroup", "col", "thead", "tbody", "tfoot", "tr", "th", "td",
    "figure", "figcaption", "details", "summary",
})
_CELL = {"colspan", "rowspan", "align"}
ATTRIBUTES = {
    "*": {"id", "title"},
    "a": {"href"},
    "img": {"src", "alt", "width", "height"},
    "th": _CELL, "td": _CELL,
    "ol": {"start", "type"},
    "col": {"span"}, "colgroup": {"span"},
}
# Classes Python-Markdown's own extensions write (footnotes, admonitions, toc, permalinks).
# Any other class is refused: a theme class such as a visually-hidden one would hide text.
CLASSES = {
    "div": {"footnote", "admonition", "note", "tip", "warning", "important", "danger", "toc"},
    "p": {"admonition-title"},
    "a": {"footnote-ref", "footnote-backref", "headerlink", "toclink"},
    "sup": {"footnote-ref"},
    "span": {"toctitle"},
    "ol": {"footnotes"},
    # fenced_code's language classes
    "code": {f"language-{lang}" for lang in (
        "text", "plaintext", "html", "xml", "json", "yaml", "yml", "toml", "ini", "csv", "markdown", "md", "css",
        "javascript", "js", "python", "py", "bash", "sh", "shell", "console", "sql", "java", "c", "cpp", "go", "rust",
        "php")},
}
URL_ATTRIBUTES = {("a", "href"), ("img", "src")}
SCHEMES = frozenset({"http", "https", "mailto", "tel"})
DEFAULT_ALLOWED_DOMAINS = ("*.gov.cn", "*.政务")
PLACEHOLDER_HOST = "site.invalid"  # the site's host when mkdocs.yml has no site_url

_ANY_SCHEME = {"http", "https", "mailto", "tel", "javascript", "vbscript", "livescript", "data", "file", "ftp",
               "blob", "about", "filesystem", "ws", "wss", "jar", "view-source", "feed", "intent", "ms-its", "mhtml"}
_TAG_NAME = re.compile(r"</?([A-Za-z][^\s/>]*)")
# Anywhere, text included: a safe over-estimate (every spelling of href or src holds one of these
# three-letter runs) that the engine finds by skipping in C, unlike `href|src` with re.I.
_URL_ATTRIBUTE_NAME = re.compile("[hHsS][rR][eEcC]")


# (code, message, needle); the needle is what to look for in the source: ("tag", name),
# ("attr", "name\x00value"), ("url", raw) or ("text", s).
Finding = tuple[str, str, tuple[str, str]]


def _ascii_host(name: str) -> str:
    try:
        encoded = ada_url.idna_to_ascii(name)
        return encoded.decode("ascii") if isinstance(encoded, bytes) and encoded else name
    except Exception:  # an unusable pattern simply never matches
        return name


class LinkPolicy:
    """Which schemes and hosts a page may link to, decided on the URL a browser would resolve."""

    def __init__(self, site_url: str | None, allowed_domains: Iterable[str] = ()):
        try:
            own = (ada_url.URL(site_url).hostname or None) if site_url else None
        except ValueError:
            own = None
        self.own_host = own or PLACEHOLDER_HOST
        self.origin = site_url.rstrip("/") + "/" if own else f"https://{PLACEHOLDER_HOST}/"
        patterns = [str(p).strip().lower().rstrip(".") for p in (*DEFAULT_ALLOWED_DOMAINS, *allowed_domains)]
        # "*.gov.cn" allows gov.cn and every host under it
        self.hosts = {self.own_host, *(_ascii_host(p.removeprefix("*.")) for p in patterns)}
        self.suffixes = tuple("." + _ascii_host(p[2:]) for p in patterns if p.startswith("*."))

    def base_for(self, page_url: str) -> str:
        return self.origin + page_url.lstrip("/")

    def host_allowed(self, host: str) -> bool:
        host = host.rstrip(".").lower()
        return host in self.hosts or host.endswith(self.suffixes)

    def judge(self, raw: str, base: str) -> tuple[str | None, str | None]:
        """(problem code or None, resolved host of an external link or None)."""
        value = raw.strip()
        # A URL that parses on its own is absolute wherever the page is served: `https:/x/`
        # is relative to an https page but goes to host x from an http one, so it is judged
        # as absolute. Only what needs a base is resolved against the page's address.
        absolute = ada_url.check_url(value)
        try:
            url = ada_url.URL(value) if absolute else ada_url.URL(value, base)
        except ValueError:
            return "bad-link", None
        scheme = url.protocol[:-1].lower()
        if scheme not in SCHEMES:
            script = scheme in ("javascript", "vbscript", "livescript", "data")
            return ("javascript-link" if script else "bad-scheme"), None
        if scheme in ("mailto", "tel"):
            return None, None
        host = url.hostname.lower()
        if host == self.own_host:
            return None, (host if absolute else None)  # a full address of the site itself is listed
        return (None if self.host_allowed(host) else "external-domain"), host


def _display_host(host: str) -> str:
    try:
        return ada_url.idna_to_unicode(host) or host
    except Exception:
        return host


def link_message(code: str, url: str, host: str | None) -> str:
    if code == "javascript-link":
        url = re.sub(r"[\x00-\x20]", "", url)  # as a browser reads it: tabs and newlines are dropped
        scheme = url.split(":", 1)[0].lower() if ":" in url else "javascript"
        return f"链接「{_short(url)}」会执行脚本（{scheme}: 链接），不能发布，请删除"
    if code == "bad-scheme":
        return f"链接「{_short(url)}」的协议不允许（只能用 http、https、mailto、tel 或站内相对链接），请改正"
    if code == "bad-link":
        return f"链接「{_short(url)}」不是浏览器能识别的网址，请改正"
    return (f"链接「{_short(url)}」实际指向域名「{_display_host(host or '')}」，不在允许的域名列表中"
            f"（默认只允许政府网站 *.gov.cn 和本站域名）；如确需链接，请在 mkdocs.yml 中 gazette 插件的 "
            f"allowed_domains 里加入该域名{DOMAIN_ALLOWANCE}")


# What a domain's message offers a document (an item, which may be exempted: 豁免检查); rules.for_page
# takes it out of the messages of other pages, which cannot be.
DOMAIN_ALLOWANCE = "，或在本篇头部写「豁免检查」（allow）的 external-domain 并说明理由"


def _short(text: str, limit: int = 80) -> str:
    text = re.sub(r"\s+", " ", text)
    return text if len(text) <= limit else text[: limit - 1] + "…"


class Sanitizer:
    """One site's body policy. `check(html, page_url, allow)` → (safe HTML, findings, external links)."""

    def __init__(self, policy: LinkPolicy):
        self.policy = policy
        # The page being cleaned: its address, whether it may link off the allow-list, its external links.
        self._base, self._allow_external, self._links = "", False, []
        policy_args = dict(tags=TAGS, attributes=ATTRIBUTES, allowed_classes=CLASSES, url_schemes=SCHEMES,
                           link_rel=None, strip_comments=True, clean_content_tags={"script", "style"})
        self._strict = nh3.Cleaner(**policy_args, attribute_filter=self._filter)
        # The same policy without the Python call per attribute (every aligned table cell, every
        # heading id), for pages with no href or src anywhere: an attribute name cannot be
        # written with entities, so such a page has no URL attribute for the filter to judge.
        self._no_urls = nh3.Cleaner(**policy_args)

    def judge(self, url: str) -> tuple[str | None, str | None]:
        """The policy's judgement of a URL of the page being cleaned, with its allowance."""
        code, host = self.policy.judge(url, self._base)
        return (None if code == "external-domain" and self._allow_external else code), host

    def _filter(self, tag: str, attr: str, value: str) -> str | None:
        if (tag, attr) not in URL_ATTRIBUTES:
            return value
        code, host = self.judge(value)
        if host is not None:
            self._links.append((value.strip(), host))  # every external link is listed, kept or not
        return None if code is not None else value

    def check(self, body_html: str, page_url: str,
              allow: Iterable[str] = ()) -> tuple[str, list[Finding], list[tuple[str, str]]]:
        self._base, self._allow_external, self._links = self.policy.base_for(page_url), "external-domain" in allow, []
        cleaner = self._strict if _URL_ATTRIBUTE_NAME.search(body_html) else self._no_urls
        clean = cleaner.clean(body_html)
        findings: list[Finding] = []
        if clean != body_html:
            # Removed anything, beyond how html5ever writes the same tree?
            canonical = _canonical(body_html)
            if canonical != clean:
                findings = self._explain(body_html, canonical, clean)
        return clean, findings, self._links

    def _explain(self, body_html: str, canonical: str, clean: str) -> list[Finding]:
        walker = _Explainer(self.judge)
        walker.feed(canonical)
        walker.close()
        findings = [(code, message, needle) for (code, needle), message in walker.found.items()]
        if not findings:
            at = next((i for i, (a, b) in enumerate(zip(body_html, clean)) if a != b), min(len(body_html), len(clean)))
            snippet = _short(body_html[max(0, at - 20): at + 40])
            findings.append(("unsafe-html", f"正文中有不能发布的 HTML（在「{snippet}」附近），请删除其中的标签或属性", ("text", "")))
        return findings


def _canonical(body_html: str) -> str:
    """The same tree, every element, attribute and scheme kept, written as the strict pass writes
    it (comments dropped). Rare (pages html5ever writes differently), so the cleaner is not kept.
    The elements are those named in the source and those the parser adds (tbody, img for image)."""
    tags = TAGS | {m.group(1).lower() for m in _TAG_NAME.finditer(body_html)}
    return nh3.Cleaner(tags=tags, clean_content_tags=set(), generic_attribute_prefixes={""}, link_rel=None,
                       url_schemes=set(_ANY_SCHEME), strip_comments=True).clean(body_html)


class _Explainer(HTMLParser):
    """Names what the strict pass removes, on the canonical serialization (never the raw input)."""

    # html5ever writes these elements' content as raw text, as browsers parse it.
    CDATA_CONTENT_ELEMENTS = ("script", "style", "noscript", "xmp", "iframe", "noembed", "noframes")

    def __init__(self, judge: Callable[[str], tuple[str | None, str | None]]):
        super().__init__(convert_charrefs=True)
        self.judge = judge
        self.found: dict[tuple[str, tuple[str, str]], str] = {}  # (code, needle) → the first message

    def _add(self, code: str, message: str, needle: tuple[str, str]) -> None:
        self.found.setdefault((code, needle), message)

    def handle_starttag(self, tag, attrs):
        if tag not in TAGS:
            what = ("会执行脚本" if tag in ("script", "iframe", "object", "embed", "applet", "frame", "svg", "math", "base",
                                        "form")
                    else "会隐藏或改变页面内容" if tag in ("style", "template", "noscript", "meta", "link")
                    else "不在公报内容允许的范围内")
            self._add("unsafe-html", f"正文中不能使用 <{tag}> 标签（{what}），请删除", ("tag", tag))
            return
        allowed = ATTRIBUTES.get(tag, set()) | ATTRIBUTES["*"]
        for name, value in attrs:
            value = value or ""
            if name == "class":
                bad = [c for c in value.split() if c not in CLASSES.get(tag, ())]
                if bad:
                    self._add("unsafe-attribute", f"<{tag}> 的 class「{' '.join(bad)}」不能使用（样式类可能隐藏文字），请删除",
                              ("attr", f"class\x00{value}"))
                continue
            if name not in allowed:
                code = ("event-handler" if name.startswith("on") else "hidden-text" if name in ("style", "hidden")
                        else "unsafe-attribute")
                why = {"event-handler": "会执行脚本", "hidden-text": "可能隐藏文字，正文不使用内联样式"}.get(code, "不在公报内容允许的范围内")
                shown = f'{name}="{_short(value, 40)}"' if value else name
                self._add(code, f"<{tag}> 中不能使用属性「{shown}」（{why}），请删除", ("attr", f"{name}\x00{value}"))
                continue
            if (tag, name) in URL_ATTRIBUTES:
                code, host = self.judge(value)
                if code is not None:
                    self._add(code, link_message(code, value.strip(), host), ("url", value))


# -- the text a reader sees -----------------------------------------------------------

_BLOCK_TAGS = ("p|div|li|dt|dd|h[1-6]|tr|td|th|caption|blockquote|pre|table|thead|tbody|tfoot|ul|ol|dl|br|hr|figure"
               "|figcaption|details|summary|img")
# On the sanitizer's own output only: every attribute is double-quoted and `"` inside is
# written as &quot;, so a tag ends at the first `>` outside quotes. Not a defence, a reading.
_BLOCK = re.compile(r"<(?:/?(?:" + _BLOCK_TAGS + r"))\b(?:[^\">]|\"[^\"]*\")*>")
_INLINE = re.compile(r"<(?:[^\">]|\"[^\"]*\")*>")


def text_of(clean_html: str) -> str:
    """The text of sanitized HTML: markup and entities gone, blocks on lines of their own."""
    text = _BLOCK.sub("\n", clean_html) if "<" in clean_html else clean_html
    if "<" in text:
        text = _INLINE.sub("", text)
    return html.unescape(text) if "&" in text else text


# -- where in the source ------------------------------------------------------------------

_MD_MARKUP = re.compile(r"<[^>\n]*>|[*_`~\\]|!?\[|\]\([^)\n]*\)|\]")
_SPACE = re.compile(r"\s+")


def _squash(text: str) -> str:
    return _SPACE.sub("", fold(html.unescape(text), t2s=False))


class Locator:
    """The line of a body (its `lines`, numbered from `first`) where a finding's source most likely is.
    Each line is squashed once for all of a body's findings: a planted body of thousands of numbers
    would otherwise be squashed again for every one of them."""

    def __init__(self, lines: list[str], first: int):
        self.lines, self.first = lines, first
        self._squashed: list[str] | None = None
        self._text: tuple[str, list[int]] | None = None  # the lines without Markdown, squashed and joined

    def squashed(self) -> list[str]:
        if self._squashed is None:
            self._squashed = [_squash(line) for line in self.lines]
        return self._squashed

    def __call__(self, needle: tuple[str, str]) -> int:
        kind, value = needle
        if not value:
            return self.first
        if kind in ("tag", "attr"):
            # A tag's opening; an attribute's name, on the line that also holds its value if any does.
            name, _, attr_value = value.partition("\x00")
            name = re.escape(name.lower())
            pat = re.compile(r"<" + name + r"(?![a-z0-9-])" if kind == "tag"
                             else r"(?<![a-z0-9-])" + name + r"(?:\s*=|[\s>/}]|$)")
            hits = [i for i, line in enumerate(self.lines) if pat.search(line.lower())]
            want = _squash(attr_value)
            found = (i for i in hits if not want or want in self.squashed()[i])
            return self.first + next(found, hits[0] if hits else 0)
        if kind == "url":
            want = _squash(value)
            for i, line in enumerate(self.lines):
                if value in line or (want and want in self.squashed()[i]):
                    return self.first + i
            return self._in_text(want)
        return self._in_text(_squash(_MD_MARKUP.sub("", value)))

    def _in_text(self, want: str) -> int:
        if not want:
            return self.first
        if self._text is None:
            pieces = [_squash(_MD_MARKUP.sub("", line)) for line in self.lines]
            self._text = "".join(pieces), list(itertools.accumulate((len(p) for p in pieces[:-1]), initial=0))
        text, starts = self._text
        pos = text.find(want)
        return self.first if pos < 0 else self.first + bisect.bisect_right(starts, pos) - 1
