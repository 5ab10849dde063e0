"""QR codes, short addresses and printable notice-board sheets (公示栏张贴版).

Every item and issue gets a short address `s/<code>/` (a tiny static redirect
page), a QR code of that address (inline SVG on its page, downloadable SVG and
PNG), and a one-page A4 sheet to pin on a village notice board.

Cost at 50,000 items: the matrices come from the encoder module (templates per
version, about 76 µs a code; segno for anything else) with a fixed mask (the
automatic mask choice is 5x slower). The redirect pages and sheets are small
standalone HTML files written straight into the site folder while the item's
page is rendered (its text is at hand then), never pages rendered by MkDocs.
"""

from __future__ import annotations

import contextlib
import hashlib
import html
import json
import logging
import os
import queue
import re
import struct
import threading
import time
import zlib
from dataclasses import dataclass
from typing import Iterable

import segno
from markupsafe import Markup
from mkdocs.exceptions import PluginError
from mkdocs.utils import get_build_datetime

from gazette.model.addresses import site_root
from gazette.model.catalog import cn_date
from gazette.qr import encoder as qrencode

log = logging.getLogger("mkdocs.plugins.gazette")

PREFIX = "s"  # short addresses live under <site_url>s/<code>/
CODE_LENGTH = 8  # 40 bits: a collision among 50,000 codes has a probability of about 1/1000
# Crockford's base 32: no i, l, o, u, so a code read aloud or typed from paper is unambiguous.
ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz"
ERROR = "m"  # at least M; segno raises it to Q or H when the same version still fits
MASK = 0  # a fixed mask: any mask decodes, and choosing the "best" one costs 8 trial encodings
MAX_VERSION = 4  # version 4 (33x33 modules) stays readable from a distance on a faded printout
SITE_URL_BUDGET = 40  # a site_url up to this long keeps every code at MAX_VERSION or lower
PNG_SCALE = 8  # pixels per module of the downloadable PNG (328 px for version 4): one byte per module
PNG_WIDTH_M = 0.07  # printed width the PNG declares (pHYs), like the sheet: the symbol is then >= 5 cm
BORDER = 4  # quiet zone, in modules, required by the QR standard
SHEET_TOC_LINES = 24  # an issue's table of contents on its sheet shows at most this many lines (fewer if they do not fit)
OPENING_CHARS = 160  # an item without a summary shows the opening of its text on the sheet
SUMMARY_CHARS = 220  # a longer summary is cut on the sheet (the code leads to the full text): one A4 page


# -- short codes -----------------------------------------------------------------

def entry_key(entry) -> str:
    """What a code is derived from: the item's stable id, or the issue's year and number."""
    record = entry.record
    if hasattr(record, "id"):
        return f"item:{record.id}"
    return f"issue:{record.year}-{record.number:02d}"


def _digest_code(key: str, length: int) -> str:
    digest = int.from_bytes(hashlib.sha256(key.encode("utf-8")).digest(), "big")
    return "".join(ALPHABET[(digest >> 5 * i) & 31] for i in range(length))  # 5 bits a character, low first


def assign_codes(entries: Iterable) -> dict[str, str]:
    """Short code of every entry key.

    A code depends only on its own key, so adding items never changes an
    existing code. Two keys whose 8-character codes collide: the one published
    first keeps it and the later one takes one more character of its hash
    (published later is how new items arrive, so existing codes stay put).
    """
    ordered = sorted(((e.record.published, entry_key(e)) for e in entries))
    taken: set[str] = set()
    codes: dict[str, str] = {}
    for _, key in ordered:
        length = CODE_LENGTH
        while (code := _digest_code(key, length)) in taken:
            length += 1
        taken.add(code)
        codes[key] = code
    return codes


# -- matrices ----------------------------------------------------------------------

@dataclass(frozen=True)
class Matrix:
    version: int
    error: str  # L M Q H
    rows: tuple[str, ...]  # "1" = dark module, without quiet zone

    @property
    def size(self) -> int:
        return len(self.rows)


def encode(text: str) -> Matrix:
    fast = qrencode.encode_rows(text, ERROR.upper())  # short ASCII addresses: a twentieth of segno's time
    if fast is not None:
        return Matrix(*fast)
    qr = segno.make(text, error=ERROR, micro=False, mask=MASK, boost_error=True)
    rows = tuple("".join("1" if b & 1 else "0" for b in row) for row in qr.matrix)
    return Matrix(qr.version, qr.error, rows)


# -- drawing -----------------------------------------------------------------------

CHUNK = 8  # modules per lookup: drawing a code is a few hundred dictionary hits, no loop per module


class _SvgChunks(dict):
    """Relative path commands for a few modules: a 1-unit line per dark run, a move per light run.

    The path is stroked 1 unit wide along the middle of each row, so the runs of
    neighbouring chunks join without a seam."""

    def __missing__(self, chunk: str) -> str:
        runs = re.findall("1+|0+", chunk)
        frag = self[chunk] = "".join(f"h{len(run)}" if run[0] == "1" else f"m{len(run)} 0" for run in runs)
        return frag


_SVG_CHUNKS = _SvgChunks()


def svg_path(matrix: Matrix) -> str:
    """One stroked path, one subpath per row, offset by the quiet zone."""
    parts = []
    for y, row in enumerate(matrix.rows, BORDER):
        parts.append(f"M{BORDER} {y}.5")
        for i in range(0, len(row), CHUNK):
            parts.append(_SVG_CHUNKS[row[i:i + CHUNK]])
    return "".join(parts)


def svg_markup(matrix: Matrix, label: str, path: str, *, standalone: bool = False,
               css_class: str = "gz-qr__code") -> str:
    """The QR code as SVG drawn with `svg_path(matrix)`; `label` names the address for screen readers."""
    side = matrix.size + 2 * BORDER
    ns = ' xmlns="http://www.w3.org/2000/svg"' if standalone else ""
    size = f' width="{side * 8}" height="{side * 8}"' if standalone else ""
    label = html.escape(label)
    return (
        f'<svg{ns} class="{css_class}" role="img" aria-label="{label}" viewBox="0 0 {side} {side}"{size}'
        f' shape-rendering="crispEdges"><title>{label}</title>'
        f'<rect width="{side}" height="{side}" fill="#fff"/>'
        f'<path stroke="#000" stroke-width="1" fill="none" d="{path}"/></svg>'
    )


def _png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)


_PNG_ROW = bytes.maketrans(b"01", b"\xff\x00")  # 1 bit per pixel, 8 pixels per module: 1 byte per module


def png_bytes(matrix: Matrix) -> bytes:
    """A 1-bit greyscale PNG, 8 pixels per module, that prints 7 cm wide (symbol >= 5 cm).

    Twenty lines of zlib instead of a PNG library: segno's PNG writer costs 6 ms per
    code; here a row of modules is one bytes.translate, and the 7 repeats of each
    pixel row use PNG's "Up" filter (all zeros), which zlib squeezes for free."""
    scale = PNG_SCALE
    width = matrix.size + 2 * BORDER  # bytes per pixel row
    side = width * scale
    quiet = b"\xff" * BORDER
    repeat = (b"\x02" + b"\x00" * width) * (scale - 1)
    blank = (b"\x00" + b"\xff" * width + repeat) * BORDER
    body = b"".join(b"\x00" + quiet + row.encode("ascii").translate(_PNG_ROW) + quiet + repeat for row in matrix.rows)
    ihdr = struct.pack(">IIBBBBB", side, side, 1, 0, 0, 0, 0)
    per_metre = round(side / PNG_WIDTH_M)
    phys = struct.pack(">IIB", per_metre, per_metre, 1)
    return (b"\x89PNG\r\n\x1a\n" + _png_chunk(b"IHDR", ihdr) + _png_chunk(b"pHYs", phys)
            + _png_chunk(b"IDAT", zlib.compress(blank + body + blank, 1)) + _png_chunk(b"IEND", b""))


# -- text for the sheets -------------------------------------------------------------

_TAG = re.compile(r"<[^>]+>")
_SPACE = re.compile(r"\s+")


def _cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[:limit].rstrip() + "……"


def opening_text(page_html: str, limit: int = OPENING_CHARS) -> str:
    """The first words of a rendered page body, for a sheet when there is no summary."""
    head = (page_html or "")[: limit * 20]  # enough markup for `limit` characters of text
    return _cut(_SPACE.sub(" ", html.unescape(_TAG.sub(" ", head))).strip(), limit)


# -- fitting a sheet on one A4 page ------------------------------------------------------
# Paper cannot scroll: nothing on a sheet is cut off by CSS. The sheet's text is set at a
# scale chosen here from an estimate of its height (Chinese characters are all one em wide,
# so counting them is a good measure): as large as fits, for reading from a distance, and
# smaller when there is much to show. The numbers mirror the sheet's stylesheet.

PT = 0.3528  # mm per point
SHEET_WIDTH = 180.0  # mm: A4 less the side margins (@page in qr-sheet.html)
SHEET_HEIGHT = 273.0  # mm: A4 less the top and bottom margins
SHEET_FIXED = 70 + 18 * 1.4 * PT + 11 * 1.4 * PT + 4 + 11 * 1.4 * PT + 6  # QR box, its caption, printed date
SHEET_SLACK = 0.9  # estimate with a tenth to spare: fonts differ between printers' computers
_NARROW = re.compile("[\x00-\u2e7f]")
SCALES = (1.6, 1.5, 1.4, 1.3, 1.2, 1.1, 1.0, 0.9, 0.8, 0.72)


def sheet_height(ctx: dict, scale: float) -> float:
    """Estimated height in mm of the sheet's text (everything but the QR box) at `scale`."""
    def block(text, size, line_height, indent=0.0, width=SHEET_WIDTH):
        pt = size * scale
        # Width in ems: Chinese and full-width characters 1, Latin letters and digits about a half.
        ems = len(text) - 0.45 * len(_NARROW.findall(text)) + indent
        lines = max(1, -int(-ems // (width / (pt * PT))))
        return lines * pt * line_height * PT

    h = block(ctx["site_name"], 12, 1.5) + 2
    h += block(ctx["title"], 22, 1.35) + 5
    for label, value in ctx["meta"]:
        h += block(value, 13, 1.5, width=SHEET_WIDTH - 30 * scale) + 2
    h += 5
    if ctx.get("summary"):
        h += block(ctx["summary"], 15, 1.6, indent=2) + 5
    consultation = ctx.get("consultation")
    if consultation:
        h += block("征求意见", 15, 1.5) + 2
        h += block("征求意见期：" + consultation["period"], 14, 1.5) + 1
        for channel in consultation["channels"]:
            h += block(channel, 14, 1.5, indent=1.5) + 1
        h += 8  # the box's border and padding
    if ctx.get("toc") is not None:
        h += block("本期目录", 13, 1.5) + 1
        for kind, text, docno in ctx["toc"]:
            h += block(text + (f"（{docno}）" if docno else ""), 12, 1.4, indent=2 if kind == "item" else 0) + 0.6
        if ctx.get("toc_cut"):
            h += block("……完整目录请扫码查看", 12, 1.4)
        h += 4
    return h


def fit_scale(ctx: dict) -> float | None:
    """The largest scale at which the sheet's text fits one page, or None if none does."""
    room = (SHEET_HEIGHT - SHEET_FIXED) * SHEET_SLACK
    return next((s for s in SCALES if sheet_height(ctx, s) <= room), None)


# -- the feature ----------------------------------------------------------------------

@dataclass
class PageQr:
    """What the item and issue templates show (`qr` in their context)."""

    code: str
    short_url: str  # absolute, what the QR code encodes
    short_path: str  # site-relative: the link under the code, which a kiosk on a mirror keeps on the mirror
    svg: Markup  # inline markup, made (and escaped) here
    sheet: str  # site-relative URLs
    svg_file: str
    png_file: str
    download_name: str  # file name offered for the downloads, without extension


def configure(options, config) -> "QrFeature | None":
    """Called from the plugin's on_config: checks site_url, adds the stylesheet."""
    if not options.qr:
        return None
    if not config.site_url:
        raise PluginError(
            "mkdocs.yml 缺少 site_url：每篇文件和每期公报都有二维码，二维码里要写网站的完整地址。"
            "请在 mkdocs.yml 中加一行，例如 site_url: https://gk.example.gov.cn/"
            "（不超过 40 个字符，扫码才容易；如确实不需要二维码，可在 gazette 插件下写 qr: false）。"
        )
    css = "assets/gazette/qr.css"
    if css not in [str(x) for x in config.extra_css]:
        config.extra_css.append(css)
    homepage = str((config.extra or {}).get("homepage") or "")
    return QrFeature(config.site_url, homepage)


class QrFeature:
    def __init__(self, site_url: str, homepage: str = ""):
        self.base = site_root(site_url)
        self.homepage = homepage.lstrip("/")  # site-relative: a sheet's 首页 in kiosk mode
        self.build_date = None  # set in plan(), after the plugin fixed SOURCE_DATE_EPOCH
        self.codes: dict[str, str] = {}
        self.env = None  # MkDocs' Jinja environment, for the sheet template
        self.start_worker()

    def start_worker(self) -> None:
        """Fresh counts and writer thread: here, and in a page worker (a forked copy) for its share."""
        # Two accounts, each wall time in the page loop (`wall`) and processor time (`cpu`):
        # "qr" is making the codes (matrix, SVG, PNG), what the issue's budget is about;
        # "qr-files" is the pages around them (short-address redirect, notice-board sheet)
        # and writing all four files, waiting for the last.
        self.cpu = {"qr": 0.0, "qr-files": 0.0}
        self.wall = {"qr": 0.0, "qr-files": 0.0}
        self.count = 0
        self.oversized: list[str] = []
        self.writer = _Writer()

    def _count(self, account: str, start: float, cpu: float) -> tuple[float, float]:
        now, now_cpu = time.perf_counter(), time.thread_time()
        self.wall[account] += now - start
        self.cpu[account] += now_cpu - cpu
        return now, now_cpu

    def plan(self, catalog) -> None:
        start, cpu = time.perf_counter(), time.thread_time()
        # Sheets show the date they are printed (filled in by the browser); this is
        # the fallback, the same reproducible date as the rest of the site.
        self.build_date = get_build_datetime().date()
        self.codes = assign_codes([*catalog.items, *catalog.issues])
        self._count("qr", start, cpu)

    def publish(self, entry, site_dir: str, *, page_html: str, catalog, site_name: str) -> PageQr:
        """QR code, redirect page, downloads and sheet of one item or issue, written into the site."""
        start, cpu = time.perf_counter(), time.thread_time()
        code = self.codes[entry_key(entry)]
        folder = f"{PREFIX}/{code}/"  # site-relative
        short = self.base + folder
        matrix = encode(short)
        if matrix.version > MAX_VERSION:
            self.oversized.append(short)
        label = f"二维码：{short}"
        path = svg_path(matrix)
        svg_file = svg_markup(matrix, label, path, standalone=True, css_class="qr")
        png = png_bytes(matrix)
        # Markup: the templates autoescape, and these are our own SVG with their texts escaped.
        inline = Markup(svg_markup(matrix, label, path))
        on_sheet = Markup(svg_markup(matrix, label, path, css_class="sheet__qr"))
        start, cpu = self._count("qr", start, cpu)
        is_item = hasattr(entry.record, "id")
        name = entry.record.id if is_item else f"issue-{entry.record.year}-{entry.record.number:02d}"
        redirect = redirect_html(entry.title, "../../" + entry.url, self.base + entry.url)
        sheet = self._sheet(entry, is_item, on_sheet, short, page_html, catalog, site_name)
        self.writer.put(os.path.join(site_dir, PREFIX, code), (
            ("qr.svg", f'<?xml version="1.0" encoding="utf-8"?>\n{svg_file}\n'.encode("utf-8")), ("qr.png", png),
            ("index.html", redirect.encode("utf-8")), ("print.html", sheet.encode("utf-8")),
        ))
        self.count += 1
        self._count("qr-files", start, cpu)
        return PageQr(code, short, folder, inline, folder + "print.html", folder + "qr.svg", folder + "qr.png",
                      f"{name}-qr")

    def _sheet(self, entry, is_item, qr_svg, short, page_html, catalog, site_name) -> str:
        r = entry.record
        ctx = {
            "site_name": site_name, "short_url": short, "page_url": "../../" + entry.url,
            "home_url": self.homepage if "://" in self.homepage else "../../" + self.homepage,
            "qr_svg": qr_svg,
            "build_date": cn_date(self.build_date), "title": entry.title,
            "published": cn_date(r.published), "published_iso": r.published.isoformat(),
        }
        if is_item:
            ctx.update(kind="item", issuer=r.issuer, doc_number=entry.doc_number_text,
                       summary=_cut(r.summary, SUMMARY_CHARS) if r.summary else opening_text(page_html))
            c = getattr(r, "consultation", None)
            if c:
                ctx["consultation"] = {"period": f"{cn_date(c['opens'])}至{cn_date(c['closes'])}",
                                       "opens": c["opens"].isoformat(), "closes": c["closes"].isoformat(),
                                       "opens_text": cn_date(c["opens"]), "closes_text": cn_date(c["closes"]),
                                       "channels": list(c.get("channels") or ())}
            ctx["meta"] = [("发布机构", r.issuer), ("文号", entry.doc_number_text or ""), ("发布日期", ctx["published"])]
            ctx["scale"] = fit_scale(ctx) or SCALES[-1]
        else:
            lines, shown = [], 0
            for group in entry.groups:
                if len(lines) + 2 > SHEET_TOC_LINES:
                    break
                lines.append(("group", group.name, None))
                for item in group.items:
                    if len(lines) >= SHEET_TOC_LINES:
                        break
                    lines.append(("item", item.title, item.doc_number_text))
                    shown += 1
            ctx.update(kind="issue", issuer=catalog.gazette_name, doc_number=None, summary=None,
                       toc_total=len(entry.items), meta=[("刊名", catalog.gazette_name), ("出版日期", ctx["published"])])
            # Whole entries only, never a title or 文号 cut short: the smallest type that still
            # fits them, and past that fewer entries (the code leads to the full contents).
            while True:
                ctx.update(toc=lines, toc_cut=shown < len(entry.items))
                scale = fit_scale(ctx)
                if scale is not None or shown <= 1:
                    break
                if lines.pop()[0] == "item":
                    shown -= 1
                while lines and lines[-1][0] == "group":
                    lines.pop()
            ctx["scale"] = scale or SCALES[-1]
        return self.env.get_template("gazette/qr-sheet.html").render(ctx)

    def _close_writer(self) -> None:
        """Wait for the last files: that time, and the writer thread's, count as writing files."""
        start = time.perf_counter()
        self.writer.close()
        self.cpu["qr-files"] += self.writer.cpu
        self.wall["qr-files"] += time.perf_counter() - start

    def finish_worker(self) -> dict:
        self._close_writer()
        return {"count": self.count, "cpu": self.cpu, "wall": self.wall, "oversized": self.oversized}

    def merge(self, result: dict) -> None:
        """A worker's codes, counted here."""
        self.count += result["count"]
        for account in self.cpu:
            self.cpu[account] += result["cpu"][account]
            self.wall[account] += result["wall"][account]
        self.oversized.extend(result["oversized"])

    def abandon(self) -> None:
        """The build failed: stop the writer thread, keep nothing."""
        with contextlib.suppress(OSError):
            self.writer.close()

    def finish(self, site_dir: str) -> None:
        self._close_writer()
        if self.oversized:
            log.warning(
                f"site_url 过长：有 {len(self.oversized)} 个二维码超过版本 {MAX_VERSION}（如 {self.oversized[0]}），"
                f"远距离扫码会困难。请把 site_url 控制在 {SITE_URL_BUDGET} 个字符以内。"
            )
        for account in self.wall:
            line = {"feature": account, "seconds": round(self.wall[account], 3),
                    "cpu_seconds": round(self.cpu[account], 3), "codes": self.count}
            log.debug("gazette-timing " + json.dumps(line))


class _Writer:
    """Writes the files of each code in a background thread.

    Creating four small files and a folder per item costs more than drawing the
    code (file creation is slow on a busy disk); the kernel does that work while
    the build renders the next page. The thread holds the GIL only briefly."""

    def __init__(self):
        self.queue: queue.Queue = queue.Queue(maxsize=4096)  # ~8 KB a job: the page loop never waits on the disk
        self.error: BaseException | None = None
        self.cpu = 0.0  # processor time of the thread, known when it ends
        self.thread = threading.Thread(target=self._run, name="gazette-qr-writer", daemon=True)
        self.thread.start()

    def put(self, folder: str, files) -> None:
        if self.error is not None:
            raise self.error
        self.queue.put((folder, files))

    def _run(self) -> None:
        while (job := self.queue.get()) is not None:
            if self.error is not None:
                continue
            folder, files = job
            try:
                try:
                    os.mkdir(folder)
                except FileNotFoundError:
                    os.makedirs(folder, exist_ok=True)
                except FileExistsError:
                    pass
                for name, data in files:
                    _write_file(os.path.join(folder, name), data)
            except OSError as exc:
                self.error = exc
        self.cpu = time.thread_time()

    def close(self) -> None:
        if self.thread.is_alive():
            self.queue.put(None)
            self.thread.join()
        if self.error is not None:
            raise self.error


_CREATE = os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_BINARY", 0)


def _write_file(path: str, data: bytes) -> None:
    # Plain system calls: open() builds a buffered file object per file, Python work that holds
    # the interpreter lock the page loop is waiting for, for four small files per code.
    fd = os.open(path, _CREATE, 0o644)
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view):]
    finally:
        os.close(fd)


def redirect_html(title: str, target: str, canonical: str) -> str:
    """The short address: a static redirect that works without JavaScript and on any server."""
    t, href, canon = html.escape(title), html.escape(target), html.escape(canonical)
    return (
        '<!doctype html>\n<html lang="zh-CN"><head><meta charset="utf-8">'
        f'<meta http-equiv="refresh" content="0; url={href}">'
        f'<link rel="canonical" href="{canon}"><meta name="robots" content="noindex">'
        f'<meta name="viewport" content="width=device-width, initial-scale=1"><title>{t}</title></head>'
        f'<body><p>正在打开：<a href="{href}">{t}</a></p></body></html>\n'
    )
