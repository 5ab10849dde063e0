"""Addresses the plugin generates, declared in one place: an editor's file may not take one.

MkDocs keeps whichever file claims an address first, so an editor's `search.md` would replace
the search page and a `browse/issuer/index.md` or `s/<code>.md` would be silently dropped or
overwritten. Features that generate pages declare them in `declared()` (search page, short
addresses, indexes) or pass their planned pages to `Reserved.with_pages` (views).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace


def site_root(site_url: str) -> str:
    """`site_url` ending in "/": the base every site-relative address is appended to."""
    return site_url if site_url.endswith("/") else site_url + "/"


def address(src: str, use_directory_urls: bool = True) -> str:
    """Site-relative address of a docs-relative file, as MkDocs computes it."""
    if not src.endswith(".md"):
        return src  # a static file is published under its own path
    from gazette.model.catalog import url_for

    return url_for(src, use_directory_urls)


@dataclass(frozen=True)
class Reserved:
    pages: dict[str, str] = field(default_factory=dict)  # address → what generates it (Chinese)
    prefixes: tuple[tuple[str, str], ...] = ()  # address prefix wholly generated → what
    use_directory_urls: bool = True

    def owner(self, src: str) -> str | None:
        """What generates the address `src` would be published at, or None if it is free."""
        url = address(src, self.use_directory_urls)
        if url in self.pages:
            return self.pages[url]
        for prefix, what in self.prefixes:
            if url.startswith(prefix) or url == prefix.rstrip("/") + ".html":
                return what
        return None

    def message(self, src: str, owner: str) -> str:
        url = address(src, self.use_directory_urls)
        return (f"此文件的网址「/{url}」由系统自动生成（{owner}），不能用编辑文件占用；"
                "请改用其他文件名或文件夹")

    def with_pages(self, srcs, what: str) -> "Reserved":
        added = {address(src, self.use_directory_urls): what for src in srcs}
        return replace(self, pages={**added, **self.pages})  # an address declared before keeps its owner


def declared(options, use_directory_urls: bool = True) -> Reserved:
    """The addresses the gazette options make the plugin generate, before any content is read."""
    from gazette.qr.codes import PREFIX as QR_PREFIX
    from gazette.search.index import SEARCH_SRC
    from gazette.search.words import INDEX_DIR

    pages: dict[str, str] = {}
    prefixes = [(options.browse_dir.strip("/") + "/", "分类浏览页面")]
    if options.search:
        pages[address(SEARCH_SRC, use_directory_urls)] = "站内搜索页"
        prefixes.append((INDEX_DIR + "/", "站内搜索索引"))
    if options.qr:
        prefixes.append((QR_PREFIX + "/", "二维码短地址"))
    if options.open_data:
        prefixes.append((options.open_data_dir.strip("/") + "/", "开放数据"))
    return Reserved(pages, tuple(prefixes), use_directory_urls)
