"""E-mail addresses and telephone numbers in a line of editor text, as links.

A consultation's channels (反馈方式) are plain text in front matter; a reader on
a phone should be able to tap the address or the number. The text is escaped
first and only well-formed addresses and numbers become links, so nothing an
editor writes can become markup.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as etree

from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor
from markupsafe import Markup, escape

# A well-formed address: dot-separated ASCII words on both sides, a top-level domain of letters.
_EMAIL = r"(?<![\w.+-])[A-Za-z0-9](?:[A-Za-z0-9_%+-]|\.(?=[A-Za-z0-9]))*@(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,24}(?![\w-])"
# Chinese numbers: a landline with its area code (0571-87061536), a mobile (13912345678),
# or a 12xxx public hotline (12345, 12315) named as one (电话, 热线, 拨打 before or 热线 after).
_LANDLINE = r"(?<![\w/-])0\d{2,3}-?\d{7,8}(?![\w-])"
_MOBILE = r"(?<![\w/-])1[3-9]\d{9}(?![\w-])"
_HOTLINE = r"(?:(?<=电话)|(?<=热线)|(?<=拨打)|(?<=电话：)|(?<=热线：)|(?<=电话:))12\d{3}(?!\d)|(?<!\d)12\d{3}(?=[^\d，。；、\s]{0,10}热线)"
# ASCII: \w and \d are Latin letters and digits, so a number right after 电话 still starts a match.
_CONTACT = re.compile(f"(?P<email>{_EMAIL})|(?P<tel>{_LANDLINE}|{_MOBILE}|{_HOTLINE})", re.ASCII)
_MAYBE = re.compile(r"@|\d{5}")  # the least every contact holds: an @ or five digits in a row
_FAX = re.compile(r"传真[^，。；\d]{0,3}$")  # a fax number is not a number to call


def _links(text: str) -> tuple[str, list[tuple[str, str, str]]]:
    """The text before the first contact, and each contact as (href, its text, the text after it up to the
    next contact); fax numbers are left alone."""
    found = []
    for m in _CONTACT.finditer(text):
        if m.group("email"):
            found.append((m.start(), m.end(), "mailto:" + m.group(0)))
        elif not _FAX.search(text[max(0, m.start() - 8):m.start()]):
            found.append((m.start(), m.end(), "tel:" + m.group(0).replace("-", "")))
    nexts = [start for start, _, _ in found[1:]] + [len(text)]
    head = text[:found[0][0]] if found else text
    return head, [(href, text[start:end], text[end:nxt]) for (start, end, href), nxt in zip(found, nexts)]


def contact_links(text) -> Markup:
    """`text` escaped, its e-mail addresses as mailto: links and its phone numbers as tel: links."""
    head, links = _links(str(text))
    return escape(head) + Markup("").join(Markup('<a href="{}">{}</a>{}').format(*link) for link in links)


# -- in page bodies -----------------------------------------------------------------------


_SKIP = frozenset({"a", "code", "pre", "kbd", "samp", "script", "style"})


class ContactTreeprocessor(Treeprocessor):
    """Links contacts in the text nodes of the parsed body (never by a pattern over HTML)."""

    def run(self, root):
        self._walk(root)

    def _walk(self, el):
        if el.tag in _SKIP:
            return
        for child in list(el):
            self._walk(child)
            self._split(el, child, "tail")
        self._split(el, el, "text")

    @staticmethod
    def _split(parent, node, attr):
        text = getattr(node, attr)
        if not text or not _MAYBE.search(text):  # most text nodes: one C-level scan, no contact
            return
        head, links = _links(text)
        if not links:
            return
        setattr(node, attr, head)
        at = 0 if attr == "text" else list(parent).index(node) + 1
        for offset, (href, shown, tail) in enumerate(links):
            a = etree.Element("a", {"href": href})
            a.text = shown
            a.tail = tail
            parent.insert(at + offset, a)


class ContactLinks(Extension):
    def extendMarkdown(self, md):
        md.treeprocessors.register(ContactTreeprocessor(md), "gazette_contacts", 5)  # after inline parsing
