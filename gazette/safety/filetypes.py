"""Which files of docs/ besides the Markdown pages may be published: an allow-list of types.

MkDocs copies every other file of docs/ into the site as it is. An .html, .svg, .xml or .js
file served from the site's own address runs its scripts with the site's rights (a page
on the government's domain, a stolen editor account's phishing form): the body checks never
see it. So only types a browser shows or downloads without running anything are published;
files that mkdocs.yml itself names (extra_css, extra_javascript, the theme's logo and
favicon, the plugin's publish_files) are the administrator's and pass whatever their type.
"""

from __future__ import annotations

import posixpath

# By the name's last extension, lower case. Images, documents, archives, audio and video, data
# and fonts: what servers send as a type no browser runs script in.
PUBLISHABLE = frozenset({
    "png", "jpg", "jpeg", "gif", "webp", "bmp", "ico", "avif", "tif", "tiff", "emf", "wmf",
    "pdf", "ofd", "doc", "docx", "xls", "xlsx", "ppt", "pptx", "wps", "et", "dps", "rtf", "odt", "ods", "odp",
    "txt", "csv", "zip", "rar", "7z",
    "mp3", "mp4", "m4a", "wav", "webm", "ogg",
    "yml", "yaml", "json",
    "woff", "woff2", "ttf", "otf",
})
PAGES = frozenset({"md", "markdown", "mdown", "mkdn", "mkd"})  # MkDocs renders them: the body checks see them


def extension(name: str) -> str:
    """The last extension of a file name, lower case; "" without one (CNAME). Trailing dots and
    spaces do not hide it: Windows (and so IIS) drops them, serving "x.html." as x.html."""
    base = posixpath.basename(name).rstrip(". ")
    return base.rsplit(".", 1)[1].lower() if "." in base.strip(".") else ""


def publishable(src: str, named: frozenset[str] | set[str] = frozenset()) -> bool:
    """Whether a docs-relative file other than a Markdown page may be copied into the site."""
    ext = extension(src)
    return ext in PUBLISHABLE or ext in PAGES or ext == "" or src in named


# WHATWG MIME Sniffing, "rules for identifying an unknown MIME type": a file served without a
# Content-Type (Apache 2.4 sends none for a name without an extension, or one it does not know:
# .wps, .ofd …) is shown as a web page when its first bytes, after whitespace, open one of these
# tags (then a space or ">"), or as XML after "<?xml". Byte patterns of the standard, not a reading of HTML.
_HTML_PATTERNS = (b"<!DOCTYPE HTML", b"<HTML", b"<HEAD", b"<SCRIPT", b"<IFRAME", b"<H1", b"<DIV", b"<FONT",
                  b"<TABLE", b"<A", b"<STYLE", b"<TITLE", b"<B", b"<BODY", b"<BR", b"<P", b"<!--")
SNIFF_BYTES = 512  # as much as browsers look at


def sniffed_as_markup(head: bytes) -> bool:
    """Whether a browser that is given no type reads these first bytes as HTML or XML (and runs script)."""
    head = head.removeprefix(b"\xef\xbb\xbf").lstrip(b"\t\n\x0c\r ")[:32].upper()
    if head.startswith(b"<?XML"):
        return True
    return any(head.startswith(p) and head[len(p):len(p) + 1] in (b" ", b">") for p in _HTML_PATTERNS)


def sniff_message(src: str) -> str:
    return (f"「{posixpath.basename(src)}」的内容是网页（HTML 或 XML），不会发布：服务器不知道文件类型时，浏览器会把它"
            "当作网页打开并运行其中的脚本；附件请用 PDF、OFD、Word、Excel、图片或 zip 压缩包")


def message(src: str) -> str:
    ext = extension(src)
    return (f"「{posixpath.basename(src)}」是 .{ext} 文件，不会发布：网页、SVG、XML、脚本等文件从本站地址打开时"
            "可以运行脚本，只能由管理员在 mkdocs.yml 中引用（extra_css、extra_javascript、logo、favicon，"
            "或列入 gazette 插件的 publish_files，如搜索引擎的站点验证文件）；"
            "附件请用 PDF、OFD、Word、Excel、图片或 zip 压缩包")


def named_in_config(extra_css=(), extra_javascript=(), theme=None, publish_files=()) -> frozenset[str]:
    """docs-relative paths mkdocs.yml names: from MkDocs' config objects or the raw YAML."""
    out = {p for p in publish_files if isinstance(p, str)}
    for entry in [*(extra_css or ()), *(extra_javascript or ())]:
        path = entry.get("path") if isinstance(entry, dict) else getattr(entry, "path", entry)
        if isinstance(path, str):
            out.add(path)
    if theme is not None and not isinstance(theme, str):
        for key in ("logo", "favicon"):
            value = theme.get(key)
            if isinstance(value, str):
                out.add(value)
    return frozenset(posixpath.normpath(p.lstrip("/")) for p in out if p and "://" not in p)
