"""What machines read in a page's head: the web-page metadata of the 政府网站发展指引 (国办发〔2017〕47号),
read by the provincial 集约化 platforms and the national inspection of government websites, and schema.org
linked data (JSON-LD) for search engines and aggregators.

Both come from the page's catalog entry and view and the site's options; from the rendered body only a
document's opening words (when it has no 摘要) and its first image. Every value is text: the template
escapes the tags, and `jsonld` writes no "<" into its script element."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

from gazette.model import catalog as catalog_mod
from gazette.model.addresses import site_root
from gazette.safety.sanitize import text_of

# The 指引's 栏目类型 (概况信息, 信息发布, 解读回应, 办事服务, 互动交流), by disclosure column key.
COLUMN_TYPES = {"guide": "概况信息", "rules": "概况信息", "organization": "概况信息", "interpretation": "解读回应",
                "consultation": "互动交流", "on-request": "办事服务"}
LEGAL_FORCE = {"有效": "InForce", "失效": "NotInForce", "废止": "NotInForce", "修订": "PartiallyInForce"}
DESCRIPTION_CHARS = 120
_SPACE = re.compile(r"\s+")


class _FirstImage(HTMLParser):
    """The first <img src> of a sanitized body (parsed, not matched)."""

    def __init__(self):
        super().__init__()
        self.src = ""

    def handle_starttag(self, tag, attrs):
        if tag == "img" and not self.src:
            self.src = dict(attrs).get("src") or ""


def first_image(body_html: str) -> str:
    if "<img" not in body_html:
        return ""
    parser = _FirstImage()
    parser.feed(body_html)
    return parser.src


class PageMetadata:
    """The head's machine-readable part for each page, from the catalog and the site's identity options."""

    def __init__(self, options, config, catalog, search_url: str | None, json_of=None):
        self.site_name = config.site_name
        self.site_url = config.site_url or ""
        self.domain = urlsplit(self.site_url).hostname or ""
        self.options = options
        self.catalog = catalog
        self.disclosure_dir = options.disclosure_dir.strip("/")
        self.search_url = search_url
        self.json_of = json_of  # a document's JSON address from its page's (open data), or None
        logo = config.theme.get("logo") or config.theme.get("favicon") or ""
        self.logo = self.absolute(logo) if logo and not logo.startswith(("http:", "https:")) else logo
        self.publisher = {"@type": "GovernmentOrganization", "name": options.sponsor or self.site_name}

    def absolute(self, url: str) -> str:
        return site_root(self.site_url) + url if self.site_url else url

    # -- the 指引's tags --------------------------------------------------------------------------

    def tags(self, page, view, body_html: str) -> list[tuple[str, str]]:
        """(name, content) of the page's <meta> tags: the site's on every page, a column's on list and
        document pages, a document's own on document pages. Empty values are left out."""
        tags = [("SiteName", self.site_name), ("SiteDomain", self.domain),
                ("SiteIDCode", self.options.site_code)]
        entry = self.catalog.by_src.get(page.file.src_uri)
        if view is not None:
            name, description, kind = self.column(view, entry)
            sections = dict.fromkeys([label for label, _ in view.breadcrumb[1:-1]] + [name])
            tags += [("ColumnName", name), ("ColumnDescription", description),
                     ("ColumnKeywords", "，".join(sections)), ("ColumnType", kind)]
        if isinstance(entry, catalog_mod.Item):
            r = entry.record
            image = first_image(body_html)
            tags += [("ArticleTitle", r.title), ("PubDate", f"{r.published:%Y-%m-%d} 00:00"),
                     ("ContentSource", r.issuer), ("Keywords", "，".join(self.keywords(entry, view))),
                     ("Author", r.issuer), ("Description", self.description(entry, body_html)),
                     ("Image", urljoin(page.canonical_url or "", image) if image else self.logo),
                     ("Url", page.canonical_url or page.url)]
        return [(k, v) for k, v in tags if v]

    def column(self, view, entry) -> tuple[str, str, str]:
        """The 栏目 a page belongs to (a list page: itself): name, description and 栏目类型."""
        if isinstance(entry, catalog_mod.Item):
            if entry.issue is not None:
                name = entry.issue.title
                return name, f"{self.site_name}刊载的{name}", "信息发布"
            node = entry.column
            name = node.name if node is not None else self.options.disclosure_name
            return name, f"{self.site_name}政府信息公开专栏「{name}」栏目", self.column_type(view.src)
        name = view.breadcrumb[-1][0] if view.breadcrumb else view.title
        return name, view.description or f"{self.site_name}「{name}」栏目", self.column_type(view.src)

    def column_type(self, src: str) -> str:
        parts = src.split("/")
        if parts[0] == self.disclosure_dir:
            for part in reversed(parts[1:-1]):
                if part in COLUMN_TYPES:
                    return COLUMN_TYPES[part]
        return "信息发布"

    @staticmethod
    def keywords(item, view) -> list[str]:
        r = item.record
        words = [w for w in (r.subject, *r.keywords, r.genre) if w]
        column = view.breadcrumb[-2][0] if len(view.breadcrumb) > 1 else r.issuer
        return list(dict.fromkeys(words or [column]))

    @staticmethod
    def description(item, body_html: str) -> str:
        if item.record.summary:
            return item.record.summary
        text = _SPACE.sub(" ", text_of(body_html[: DESCRIPTION_CHARS * 30])).strip()
        return text[:DESCRIPTION_CHARS] + ("…" if len(text) > DESCRIPTION_CHARS else "")

    def document_json(self, page) -> str | None:
        """The site-relative address of the page's open-data JSON, when it is a document and has one."""
        entry = self.catalog.by_src.get(page.file.src_uri)
        return self.json_of(entry.url) if self.json_of and isinstance(entry, catalog_mod.Item) else None

    # -- linked data ------------------------------------------------------------------------------

    def jsonld(self, page, view, tags: list[tuple[str, str]]) -> str:
        """The page's schema.org JSON-LD, ready to sit inside <script type="application/ld+json">, or ""."""
        entry = self.catalog.by_src.get(page.file.src_uri)
        url = page.canonical_url or page.url
        if isinstance(entry, catalog_mod.Item):
            data = self.document(entry, url, dict(tags))
        elif isinstance(entry, catalog_mod.Issue):
            data = {"@context": "https://schema.org", **self.issue(entry),
                    "hasPart": [{"@id": self.absolute(i.url), "name": i.record.title} for i in entry.items]}
        elif page.is_homepage:
            data = {"@context": "https://schema.org", "@graph": [self.organization(), self.website()]}
        else:
            return ""
        # No "<" at all inside the script element: nothing in a title can end it or open a comment.
        text = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
        return text.replace("<", "\\u003c")

    def organization(self) -> dict:
        org = {**self.publisher, "url": self.site_url or None}
        if self.options.contact:
            org["contactPoint"] = {"@type": "ContactPoint", "description": self.options.contact}
        return {k: v for k, v in org.items() if v}

    def website(self) -> dict:
        site = {"@type": "WebSite", "name": self.site_name, "url": self.site_url or None,
                "inLanguage": "zh-CN", "publisher": self.publisher}
        if self.search_url is not None:
            site["potentialAction"] = {"@type": "SearchAction",
                                       "target": self.absolute(self.search_url) + "?q={search_term_string}",
                                       "query-input": "required name=search_term_string"}
        return {k: v for k, v in site.items() if v}

    def issue(self, issue) -> dict:
        periodical = {"@type": "Periodical", "name": self.options.gazette_name, "publisher": self.publisher}
        return {"@type": "PublicationIssue", "@id": self.absolute(issue.url), "url": self.absolute(issue.url),
                "name": issue.title, "issueNumber": str(issue.record.number),
                "datePublished": issue.record.published.isoformat(), "isPartOf": periodical}

    def _ref(self, item) -> dict:
        ref = {"@type": self.kind(item), "@id": self.absolute(item.url), "name": item.record.title}
        if item.doc_number_text:
            ref["legislationIdentifier"] = item.doc_number_text
        return ref

    @staticmethod
    def kind(item) -> str:
        r = item.record
        if r.report is not None:
            return "Report"
        if r.interprets or not (r.doc_number or r.validity):
            return "Article"
        return "Legislation"

    def document(self, item, url: str, tags: dict) -> dict:
        r, kind = item.record, self.kind(item)
        issuer = {"@type": "GovernmentOrganization", "name": r.issuer}
        data = {"@context": "https://schema.org", "@type": kind, "@id": url, "url": url, "name": r.title,
                "headline": r.title, "inLanguage": "zh-CN", "datePublished": r.published.isoformat(),
                "publisher": self.publisher, "description": tags.get("Description"),
                "keywords": tags.get("Keywords"), "genre": r.genre}
        if kind == "Legislation":
            data.update(legislationIdentifier=item.doc_number_text, legislationPassedBy=issuer,
                        legislationType=r.genre, legislationLegalForce=LEGAL_FORCE.get(r.validity or ""),
                        legislationDate=r.written.isoformat() if r.written else None)
            if data["legislationLegalForce"]:
                data["legislationLegalForce"] = "https://schema.org/" + data["legislationLegalForce"]
        else:
            data.update(author=issuer, dateCreated=r.written.isoformat() if r.written else None,
                        identifier=item.doc_number_text)
        if item.issue is not None:
            data["isPartOf"] = self.issue(item.issue)
        elif item.column is not None:
            data["isPartOf"] = {"@type": "CollectionPage", "name": item.column.name,
                                "url": self.absolute(item.column.url)}
        if item.interprets is not None:
            data["about"] = self._ref(item.interprets)
        amends = [self._ref(i) for i in item.amends]
        repeals = [self._ref(item.supersedes)] if item.supersedes is not None else []
        if kind == "Legislation":
            data.update(legislationAmends=amends, legislationRepeals=repeals)
        else:
            data["mentions"] = amends + repeals
        return {k: v for k, v in data.items() if v}
