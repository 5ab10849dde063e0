"""What a first visit to a page transfers: its HTML and every same-origin file it loads, gzip-compressed.

A developer tool (and a test's helper). Run from the repository root on a built site:

    python tools/page_weight.py site gazette/2023/02/jfbf-2023-4/

Counted: the page, its stylesheets (print ones too: browsers fetch them), scripts, images, icons and what
stylesheets load with url(); each compressed with gzip at level 6, as web servers send text. Data: URLs
and other origins are not counted (the site loads nothing from another origin).
"""

from __future__ import annotations

import argparse
import gzip
import os
import posixpath
import re
import sys
from html.parser import HTMLParser
from urllib.parse import unquote, urljoin, urlsplit

_CSS_URL = re.compile(r"url\(\s*['\"]?([^'\")]+)['\"]?\s*\)|@import\s+['\"]([^'\"]+)['\"]")


class _Refs(HTMLParser):
    def __init__(self):
        super().__init__()
        self.refs: list[str] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "link" and a.get("href") and set((a.get("rel") or "").split()) & {"stylesheet", "icon", "preload", "modulepreload"}:
            self.refs.append(a["href"])
        elif tag in ("script", "img", "source", "iframe") and a.get("src"):
            self.refs.append(a["src"])


def _local(site: str, url: str) -> str | None:
    parts = urlsplit(url)
    if parts.scheme not in ("", "http") or parts.netloc not in ("", "site"):
        return None
    path = unquote(parts.path).lstrip("/")
    full = os.path.join(site, path, "index.html") if path.endswith("/") or not path else os.path.join(site, path)
    return full if os.path.isfile(full) else None


def weigh(site: str, page: str) -> tuple[int, list[tuple[str, int, int]]]:
    """(gzip total, [(file, raw bytes, gzip bytes)]) for a page path relative to the site's root."""
    base = "http://site/" + page.lstrip("/")
    seen: dict[str, tuple[int, int]] = {}
    todo = [base]
    while todo:
        url = urljoin(base, todo.pop(0)).split("#")[0]
        path = _local(site, url)
        if path is None or path in seen:
            continue
        with open(path, "rb") as fh:
            data = fh.read()
        seen[path] = (len(data), len(gzip.compress(data, 6)))
        text = data.decode("utf-8", "replace")
        if path.endswith(".html"):
            refs = _Refs()
            refs.feed(text)
            todo.extend(urljoin(url, r) for r in refs.refs)
        elif path.endswith(".css"):
            todo.extend(urljoin(url, a or b) for a, b in _CSS_URL.findall(text) if not (a or b).startswith("data:"))
    rows = [(posixpath.relpath(p, site), raw, gz) for p, (raw, gz) in seen.items()]
    return sum(gz for _, _, gz in rows), rows


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("site")
    parser.add_argument("page")
    args = parser.parse_args(argv)
    total, rows = weigh(args.site, args.page)
    for name, raw, gz in sorted(rows, key=lambda r: -r[2]):
        print(f"{gz / 1024:7.1f} KB  ({raw / 1024:7.1f} KB raw)  {name}")
    print(f"{total / 1024:7.1f} KB  gzip, in total, for {args.page}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
