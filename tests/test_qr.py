"""QR codes, short addresses and notice-board sheets (issue 5).

Every code of the sample site is decoded by a real decoder (zbar), the short
addresses are followed on a local server, and the sheets are printed to PDF by
Chromium, rasterised at 150 dpi and decoded and measured again.
"""

from __future__ import annotations

import datetime as dt
import html
import json
import re
import subprocess
import sys
import urllib.parse
import urllib.request
import xml.etree.ElementTree as ET
from pathlib import Path

import segno
from bs4 import BeautifulSoup

from gazette.model.addresses import site_root
from gazette.qr import codes as qr

from conftest import MINIMAL_CONFIG, make_project, run_mkdocs

SAMPLE_SITE_URL = "https://gk.jianglin.example.gov.cn/"
SITE_URL_40 = "https://www.jianglinshi-zhengfu.gov.cn/g"  # 40 characters, no trailing slash: the worst case
assert len(SITE_URL_40) == 40


# -- helpers ----------------------------------------------------------------------

def zbar(paths: list[Path]) -> dict[str, list[str]]:
    """Decoded QR texts per image file, via zbarimg."""
    proc = subprocess.run(["zbarimg", "--xml", "-q", *map(str, paths)], capture_output=True, text=True)
    out: dict[str, list[str]] = {str(p): [] for p in paths}
    if not proc.stdout.strip():
        return out
    ns = {"z": "http://zbar.sourceforge.net/2008/barcode"}
    for source in ET.fromstring(proc.stdout).findall("z:source", ns):
        out[source.get("href")] = [d.text for d in source.iter("{http://zbar.sourceforge.net/2008/barcode}data")]
    return out


QR_BLOCK = re.compile(r'<section class="gz-qr".*?</section>', re.S)


def qr_pages(site: Path) -> dict[Path, str]:
    """Every built page that shows a QR code block, with that block's markup."""
    found = {}
    for page in site.rglob("index.html"):
        if page.parts[len(site.parts)] == qr.PREFIX:
            continue
        m = QR_BLOCK.search(page.read_text(encoding="utf-8"))
        if m:
            found[page] = m.group(0)
    return found


def short_of(block: str) -> str:
    """The short address shown under the code (its full form, what the code holds)."""
    return html.unescape(re.search(r'class="gz-qr__url" href="[^"]+">([^<]+)</a>', block).group(1))


def entry_pages(site: Path) -> list[Path]:
    """Pages that must have a QR code: every item page and every issue page."""
    items = [p for p in site.rglob("index.html") if 'data-gazette-id="' in p.read_text(encoding="utf-8")]
    issues = [p for p in (site / "gazette").glob("[0-9][0-9][0-9][0-9]/[0-9][0-9]/index.html")]
    return items + issues


def finder_geometry(pgm: Path) -> tuple[float, float]:
    """Width in pixels and module size of the QR code on a rasterised page.

    Found the way decoders find it: rows crossing a finder pattern show
    dark-light-dark-light-dark runs in the ratio 1:1:3:1:1. The three finder
    patterns sit 3.5 modules inside the corners of the symbol, so the symbol
    is as wide as the distance between their centres plus 7 modules."""
    data = pgm.read_bytes()
    parts = data.split(maxsplit=4)
    assert parts[0] == b"P5", "pdftoppm -gray writes binary PGM"
    width, height = int(parts[1]), int(parts[2])
    pixels = parts[4][-width * height:]
    hits = []
    for y in range(height):
        row = pixels[y * width:(y + 1) * width]
        runs, start, dark = [], 0, row[0] < 128
        for x in range(1, width + 1):
            d = x < width and row[x] < 128
            if x == width or d != dark:
                runs.append((dark, start, x - start))
                start, dark = x, d
        for i in range(len(runs) - 4):
            five = runs[i:i + 5]
            if not five[0][0]:
                continue
            lengths = [r[2] for r in five]
            unit = sum(lengths) / 7
            if unit < 2:
                continue
            want = (1, 1, 3, 1, 1)
            if all(abs(n - w * unit) <= w * unit * 0.5 for n, w in zip(lengths, want)):
                hits.append((five[2][1] + five[2][2] / 2, y, unit))
    # Hits of one finder pattern: about the same centre, over the rows of its 3-module core.
    clusters: list[list[tuple]] = []
    for hit in hits:
        for c in clusters:
            cx = sum(h[0] for h in c) / len(c)
            if abs(hit[0] - cx) <= 1.5 * hit[2] and 0 <= hit[1] - c[-1][1] <= 1.5 * hit[2]:
                c.append(hit)
                break
        else:
            clusters.append([hit])
    finders = []
    for c in clusters:
        if c[-1][1] - c[0][1] >= 2 * c[0][2]:
            u = sum(h[2] for h in c) / len(c)
            finders.append((sum(h[0] for h in c) / len(c), sum(h[1] for h in c) / len(c), u))
    # The three finders of a symbol: top-left, top-right on its row, bottom-left in its column,
    # as far apart across as down. The largest such triple is the code.
    best = None
    for tl in finders:
        for tr in finders:
            for bl in finders:
                u = tl[2]
                span = tr[0] - tl[0]
                if (span > 10 * u and abs(tr[1] - tl[1]) <= u and abs(bl[0] - tl[0]) <= u
                        and abs((bl[1] - tl[1]) - span) <= 2 * u and abs(tr[2] - u) <= u / 3 and abs(bl[2] - u) <= u / 3):
                    if best is None or span > best[0]:
                        best = (span, (tl[2] + tr[2] + bl[2]) / 3)
    assert best is not None, f"no QR finder patterns found in {pgm}"
    span, unit = best
    return span + 7 * unit, unit


# -- short codes ----------------------------------------------------------------------

class _Rec:
    def __init__(self, id=None, year=None, number=None, published=dt.date(2024, 1, 1)):
        if id is not None:
            self.id = id
        self.year, self.number, self.published = year, number, published


class _Entry:
    def __init__(self, **kw):
        self.record = _Rec(**kw)


def test_codes_are_short_ascii_and_unchanged_when_items_are_added():
    old = [_Entry(id=f"2023-05-item-{n}") for n in range(300)] + [_Entry(year=2023, number=n) for n in range(1, 25)]
    before = qr.assign_codes(old)
    new = [_Entry(id=f"2025-01-new-{n}", published=dt.date(2025, 1, 1)) for n in range(3000)]
    after = qr.assign_codes(old + new)
    assert all(after[k] == v for k, v in before.items())
    assert len(set(after.values())) == len(after)
    assert all(re.fullmatch(r"[0-9a-z]{8}", c) for c in after.values())


def test_colliding_codes_keep_the_older_item_on_the_short_code(monkeypatch):
    monkeypatch.setattr(qr, "CODE_LENGTH", 1)  # 32 possible codes: collisions are certain
    old = [_Entry(id=f"old-{n}", published=dt.date(2020, 1, 1)) for n in range(20)]
    before = qr.assign_codes(old)
    after = qr.assign_codes(old + [_Entry(id=f"new-{n}", published=dt.date(2024, 1, 1)) for n in range(40)])
    assert all(after[k] == v for k, v in before.items())
    assert len(set(after.values())) == 60
    assert any(len(c) > 1 for c in after.values())


def test_every_code_fits_version_4_at_level_m_with_a_40_character_site_url():
    entries = [_Entry(id=f"id-{n}") for n in range(500)] + [_Entry(year=y, number=n) for y in (2024, 2025) for n in range(1, 60)]
    codes = qr.assign_codes(entries)
    # The longest code a collision could need in practice (two more characters) included.
    texts = [f"{site_root(SITE_URL_40)}{qr.PREFIX}/{c}/" for c in codes.values()] + [f"{site_root(SITE_URL_40)}{qr.PREFIX}/{'z' * (qr.CODE_LENGTH + 2)}/"]
    # Byte budget: version 4 at level M holds 62 bytes in byte mode.
    assert max(len(t.encode()) for t in texts) <= 62
    for text in texts[::25] + texts[-1:]:
        m = qr.encode(text)
        assert m.version <= 4 and m.error in "MQH", (text, m.version, m.error)
        ref = segno.make(text, error="m", micro=False)
        assert ref.version <= 4


def test_version_4_codes_decode_from_png_and_svg(tmp_path):
    text = f"{site_root(SITE_URL_40)}{qr.PREFIX}/{'x' * (qr.CODE_LENGTH + 2)}/"
    m = qr.encode(text)
    assert m.version == 4
    png = tmp_path / "code.png"
    png.write_bytes(qr.png_bytes(m))
    assert zbar([png])[str(png)] == [text]


# -- builds ------------------------------------------------------------------------------

def _build_verbose(project: Path) -> subprocess.CompletedProcess:
    cmd = [sys.executable, "-m", "mkdocs", "build", "-v", "-f", str(project / "mkdocs.yml"), "-d", str(project / "site")]
    return subprocess.run(cmd, cwd=project, capture_output=True, text=True, timeout=300,
                          env={**__import__("os").environ, "NO_MKDOCS_2_WARNING": "1"})


ISSUE = """\
---
published: 2024-03-15
columns: [市政府文件]
---
"""
ITEM = """\
---
title: 关于做好春季农田水利建设工作的通知
issuer: 测试市人民政府
published: 2024-03-10
doc_number: 测府发〔2024〕3号
column: 市政府文件
---

各乡镇人民政府：现将春季农田水利建设有关事项通知如下。
"""


def test_build_without_site_url_fails_with_a_clear_message(tmp_path):
    config = "site_name: 测试站点\ntheme:\n  name: material\n  language: zh\nplugins:\n  - gazette\n"
    project = make_project(tmp_path, {"gazette/2024/03/index.md": ISSUE, "gazette/2024/03/cfb-2024-3.md": ITEM}, config)
    result = run_mkdocs(project)
    assert not result.ok
    assert "mkdocs.yml 缺少 site_url" in result.output
    assert "site_url: https://" in result.output
    assert "Traceback" not in result.output
    assert not (project / "site").exists()


def test_build_logs_its_qr_timing_and_only_warns_about_the_removed_cache_option(tmp_path):
    config = MINIMAL_CONFIG + "      qr_cache_dir: .cache/gazette-qr\n"
    project = make_project(tmp_path, {"gazette/2024/03/index.md": ISSUE, "gazette/2024/03/cfb-2024-3.md": ITEM}, config)
    proc = _build_verbose(project)
    assert proc.returncode == 0, proc.stderr
    assert "gazette 插件的选项 qr_cache_dir 已取消" in proc.stderr and "请从 mkdocs.yml 中删去" in proc.stderr
    assert "Traceback" not in proc.stderr
    # Making the codes and the pages and files around them are accounted apart (tools/bench.py reads both).
    for feature in ("qr", "qr-files"):
        line = next(l for l in proc.stderr.splitlines() if "gazette-timing" in l and f'"{feature}"' in l)
        timing = json.loads(line.split("gazette-timing", 1)[1])
        assert timing["codes"] == 2 and timing["seconds"] >= 0 and timing["cpu_seconds"] >= 0, timing
    assert not (project / ".cache").exists()
    assert len(list((project / "site" / qr.PREFIX).iterdir())) == 2


def test_a_site_url_too_long_for_version_4_is_reported(tmp_path):
    config = MINIMAL_CONFIG.replace("https://gk.example.gov.cn/", "https://www.jianglin-shi-renmin-zhengfu-bangongshi.example.gov.cn/gongkai/")
    project = make_project(tmp_path, {"gazette/2024/03/index.md": ISSUE, "gazette/2024/03/cfb-2024-3.md": ITEM}, config)
    proc = _build_verbose(project)
    assert proc.returncode == 0, proc.stderr
    assert "site_url 过长：有 2 个二维码超过版本 4" in proc.stderr


def test_short_address_works_without_directory_urls(tmp_path):
    config = MINIMAL_CONFIG.replace("site_url: https://gk.example.gov.cn/", "site_url: https://gk.example.gov.cn/gk/\nuse_directory_urls: false")
    project = make_project(tmp_path, {"gazette/2024/03/index.md": ISSUE, "gazette/2024/03/cfb-2024-3.md": ITEM}, config)
    result = run_mkdocs(project)
    assert result.ok, result.output
    page = project / "site" / "gazette" / "2024" / "03" / "cfb-2024-3.html"
    short = short_of(QR_BLOCK.search(page.read_text(encoding="utf-8")).group(0))
    assert short.startswith("https://gk.example.gov.cn/gk/s/")
    folder = project / "site" / "s" / short.rstrip("/").rsplit("/", 1)[1]
    redirect = (folder / "index.html").read_text(encoding="utf-8")
    target = re.search(r'url=([^"]+)"', redirect).group(1)
    assert (folder / target).resolve() == page.resolve()
    assert 'href="https://gk.example.gov.cn/gk/gazette/2024/03/cfb-2024-3.html"' in redirect


def test_qr_can_be_switched_off_without_site_url(tmp_path):
    config = "site_name: 测试站点\ntheme:\n  name: material\n  language: zh\nplugins:\n  - gazette:\n      qr: false\n"
    project = make_project(tmp_path, {"gazette/2024/03/index.md": ISSUE, "gazette/2024/03/cfb-2024-3.md": ITEM}, config)
    result = run_mkdocs(project)
    assert result.ok, result.output
    assert not (project / "site" / qr.PREFIX).exists()


# -- the sample site ------------------------------------------------------------------------

def test_every_item_and_issue_page_shows_a_qr_code_of_its_short_address(sample_site):
    pages = qr_pages(sample_site)
    expected = entry_pages(sample_site)
    assert len(expected) > 60
    assert set(expected) == set(pages)
    shorts = set()
    for page, block in pages.items():
        short = short_of(block)
        assert re.fullmatch(re.escape(SAMPLE_SITE_URL) + r"s/[0-9a-z]{8,}/", short), short
        assert "扫码查阅" in block
        assert f">{short}</a>" in block  # the address in text, for those without a camera
        # ... linked relative to the page, so a kiosk on a mirror of the site does not take it for another site
        href = html.unescape(re.search(r'class="gz-qr__url" href="([^"]+)"', block).group(1))
        assert "://" not in href
        assert (page.parent / href).resolve() == (sample_site / short[len(SAMPLE_SITE_URL):]).resolve()
        assert f'role="img" aria-label="二维码：{short}"' in block
        assert "打印公示栏张贴版" in block and 'download="' in block
        shorts.add(short)
    assert len(shorts) == len(pages)  # one address per page


def test_zbar_decodes_every_downloadable_png_to_the_short_address(sample_site):
    pages = qr_pages(sample_site)
    pngs = {}
    for page, block in pages.items():
        short = short_of(block)
        code = short.rstrip("/").rsplit("/", 1)[1]
        png = sample_site / qr.PREFIX / code / "qr.png"
        href = re.search(r'href="([^"]+qr\.png)" download="[^"]+\.png"', block).group(1)
        assert (page.parent / href).resolve() == png.resolve()
        pngs[png] = short
    decoded = zbar(list(pngs))
    assert {p: decoded[str(p)] for p in pngs} == {p: [s] for p, s in pngs.items()}


def test_zbar_decodes_every_inline_and_downloadable_svg_as_chromium_draws_it(sample_site, page, tmp_path):
    pages = qr_pages(sample_site)
    blocks = []
    for n, (p, block) in enumerate(sorted(pages.items())):
        svg = re.search(r"<svg .*?</svg>", block, re.S).group(0)
        code = short_of(block).rstrip("/").rsplit("/", 1)[1]
        standalone = (sample_site / qr.PREFIX / code / "qr.svg").read_text(encoding="utf-8")
        sheet = (sample_site / qr.PREFIX / code / "print.html").read_text(encoding="utf-8")
        # The download and every sheet (only some are printed below) show the same drawing as the page.
        drawing = re.search(r' d="([^"]+)"', svg).group(1)
        assert re.search(r' d="([^"]+)"', standalone).group(1) == drawing
        assert re.search(r'<svg class="sheet__qr"[^>]*>.*? d="([^"]+)"', sheet, re.S).group(1) == drawing
        sized = svg.replace("<svg ", '<svg style="width:240px;height:240px" ', 1)
        blocks.append(f'<div id="c{n}" style="width:240px;height:240px;display:inline-block">{sized}</div>')
    page.set_content("<!doctype html><body style='margin:0;background:#fff'>" + "".join(blocks) + "</body>")
    shots = []
    for n in range(len(blocks)):
        shot = tmp_path / f"c{n}.png"
        page.locator(f"#c{n}").screenshot(path=str(shot))
        shots.append(shot)
    decoded = zbar(shots)
    expected = [short_of(b) for _, b in sorted(pages.items())]
    assert [decoded[str(s)] for s in shots] == [[e] for e in expected]


def _serve_get(server, url):
    with urllib.request.urlopen(url, timeout=10) as resp:
        return resp.status, resp.read().decode("utf-8")


def test_short_addresses_redirect_to_their_page(sample_site, sample_server):
    for page, block in qr_pages(sample_site).items():
        short = short_of(block)
        local = sample_server.url + short[len(SAMPLE_SITE_URL):]
        status, body = _serve_get(sample_server, local)
        assert status == 200
        refresh = re.search(r'http-equiv="refresh" content="0; url=([^"]+)"', body).group(1)
        canonical = re.search(r'rel="canonical" href="([^"]+)"', body).group(1)
        target_rel = page.parent.relative_to(sample_site).as_posix() + "/"
        assert canonical == SAMPLE_SITE_URL + target_rel
        landed = urllib.parse.urljoin(local, html.unescape(refresh))
        assert landed == sample_server.url + target_rel
        assert re.search(r'<a href="[^"]+">', body)  # a visible link for browsers that ignore refresh
        status, target = _serve_get(sample_server, landed)
        assert status == 200 and short in target  # landed on the page that shows this very code


def test_following_a_short_address_in_a_browser_lands_on_the_item(sample_site, sample_server, page):
    items = [(p, b) for p, b in sorted(qr_pages(sample_site).items()) if 'data-gazette-id="' in p.read_text(encoding="utf-8")]
    for p, block in items[:: max(1, len(items) // 4)]:
        short = short_of(block)
        page.goto(sample_server.url + short[len(SAMPLE_SITE_URL):])
        target = sample_server.url + p.parent.relative_to(sample_site).as_posix() + "/"
        page.wait_for_url(target, timeout=10000)
        assert page.locator(".gz-item h1").inner_text().strip() != ""
        assert page.locator(".gz-qr__url").inner_text() == short


# -- printed sheets --------------------------------------------------------------------------

def _sheet_cases(site: Path) -> list[tuple[Path, str, str]]:
    """(sheet, short address, kind) for a spread of sheets: the issue with the longest table of
    contents and the oldest issue; items with the longest title, the longest summary (or
    opening), without 文号, and a disclosure item."""
    cases, items, issues = [], [], []
    for page, block in sorted(qr_pages(site).items()):
        short = short_of(block)
        code = short.rstrip("/").rsplit("/", 1)[1]
        sheet = site / qr.PREFIX / code / "print.html"
        text = page.read_text(encoding="utf-8")
        if 'data-gazette-id="' in text:
            items.append((sheet, short, "item", text, page))
        else:
            issues.append((sheet, short, "issue", text.count('class="gz-list__title"')))
    cases = [max(issues, key=lambda t: t[3])[:3], issues[0][:3]]

    def title(t):
        return re.search(r"<h1[^>]*>(.*?)</h1>", t[3], re.S).group(1)
    picks = {max(items, key=lambda t: len(title(t)))[0]}
    picks.add(next(t[0] for t in items if "/disclosure/" in t[4].as_posix()))
    picks.add(next((t[0] for t in items if 'class="gz-docno"' not in t[3]), items[0][0]))
    sheets = {t[0]: t for t in items}
    sheet_text = {s: s.read_text(encoding="utf-8") for s in sheets}
    picks.add(max(sheets, key=lambda s: len(re.search(r'class="sheet__summary">(.*?)</p>', sheet_text[s], re.S).group(1))
                  if 'class="sheet__summary"' in sheet_text[s] else 0))
    cases += [(s, sheets[s][1], "item") for s in sorted(picks)]
    # A consultation: its sheet says how to respond (period and every channel).
    consult = next(t for t in items if 'class="gz-consult__channels"' in t[3])
    cases.append((consult[0], consult[1], "consultation"))
    return cases


def _flat(text: str) -> str:
    return re.sub(r"\s+", "", html.unescape(text))


def _shown_in_full(sheet_html: str, pdf_text: str) -> list[str]:
    """Lines of the sheet's contents (titles with their 文号) missing whole from the printed page."""
    entries = re.findall(r'<p class="[gi]">(.*?)</p>', sheet_html, re.S)
    assert entries
    printed = _flat(pdf_text)
    return [e for e in entries if _flat(e) not in printed]


def _lowest_text_mm(pdf: Path) -> float:
    """How far down the page (mm) the lowest printed word reaches."""
    boxes = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True).stdout
    return max(float(y) for y in re.findall(r'yMax="([\d.]+)"', boxes)) / 72 * 25.4


def test_sheets_print_on_one_a4_page_with_a_readable_qr_at_least_5_cm_wide(sample_site, sample_server, page, tmp_path):
    from test_theme_a11y import run_axe

    today = dt.date.today()
    for n, (sheet, short, kind) in enumerate(_sheet_cases(sample_site)):
        page.goto(sample_server.url + sheet.relative_to(sample_site).as_posix())
        assert not run_axe(page), (sheet, run_axe(page))  # `region` included: everything is in a landmark
        # The on-screen tools are buttons a finger can hit, 返回原文页面 included.
        for name in ("打印", "返回原文页面"):
            box = page.locator(".sheet__tools").get_by_text(name, exact=True).bounding_box()
            assert box["width"] >= 44 and box["height"] >= 44, (name, box)
        pdf = tmp_path / f"s{n}.pdf"
        page.pdf(path=str(pdf), prefer_css_page_size=True, print_background=True)
        info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True).stdout
        assert re.search(r"^Pages:\s+1$", info, re.M), (sheet, info)
        size = re.search(r"Page size:\s+([\d.]+) x ([\d.]+) pts", info)
        assert abs(float(size.group(1)) - 595.3) < 2 and abs(float(size.group(2)) - 841.9) < 2  # A4
        text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True).stdout
        assert "扫码查看全文" in text and short in text
        assert f"打印日期：{today.year}年{today.month}月{today.day}日" in text
        if kind == "issue":
            assert "本期目录" in text
            assert not _shown_in_full(sheet.read_text(encoding="utf-8"), text), sheet  # nothing cut with "…"
        else:
            assert "发布机构" in text and "发布日期" in text
        if kind == "consultation":
            item = sample_site / re.search(r'href="\.\./\.\./([^"]+)">返回原文页面', sheet.read_text(encoding="utf-8")).group(1)
            box = BeautifulSoup((item / "index.html").read_text(encoding="utf-8"), "html.parser").select_one(".gz-consult")
            period = box.find("dt", string="征求意见期").find_next("dd").get_text("", strip=True).replace(" ", "")
            assert "征求意见期" in text and period in _flat(text), period
            channels = [li.get_text() for li in box.select(".gz-consult__channels li")]
            assert len(channels) >= 3 and all(_flat(c) in _flat(text) for c in channels), channels
        # The page is used down to its foot (the code and the printed date at the bottom), not left 40 % blank.
        assert _lowest_text_mm(pdf) > 297 * 0.85, (sheet, _lowest_text_mm(pdf))
        base = tmp_path / f"s{n}"
        subprocess.run(["pdftoppm", "-r", "150", "-gray", "-singlefile", str(pdf), str(base)], check=True)
        pgm = base.with_suffix(".pgm")
        assert zbar([pgm])[str(pgm)] == [short], sheet
        width_px, module_px = finder_geometry(pgm)
        width_cm = width_px / 150 * 2.54
        assert width_cm >= 5.0, (sheet, width_cm)
        assert module_px / 150 * 25.4 >= 1.2  # each module at least 1.2 mm: readable from a distance


def test_sheet_of_a_long_issue_still_prints_on_one_page(tmp_path, page):
    files = {"gazette/2024/03/index.md": ISSUE.replace("[市政府文件]", "[市政府文件, 部门文件, 人事任免]")}
    for n in range(1, 41):
        column = ("市政府文件", "部门文件", "人事任免")[n % 3]
        title = "江临市人民政府办公室关于进一步加强和改进全市农村人居环境整治提升工作的实施意见" + str(n)
        files[f"gazette/2024/03/f-{n}.md"] = ITEM.replace("关于做好春季农田水利建设工作的通知", title) \
            .replace("测府发〔2024〕3号", f"测府发〔2024〕{n}号").replace("column: 市政府文件", f"column: {column}")
    project = make_project(tmp_path, files)
    result = run_mkdocs(project)
    assert result.ok, result.output
    block = QR_BLOCK.search((project / "site" / "gazette" / "2024" / "03" / "index.html").read_text(encoding="utf-8")).group(0)
    short = short_of(block)
    sheet = project / "site" / qr.PREFIX / short.rstrip("/").rsplit("/", 1)[1] / "print.html"
    sheet_html = sheet.read_text(encoding="utf-8")
    assert "完整目录请扫码查看" in sheet_html
    page.goto(sheet.as_uri())
    pdf = tmp_path / "issue.pdf"
    page.pdf(path=str(pdf), prefer_css_page_size=True, print_background=True)
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True).stdout
    assert re.search(r"^Pages:\s+1$", info, re.M), info
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True).stdout
    assert "扫码查看全文" in text and short in text
    # Every entry shown is whole (wrapped, never ended with "…"); the rest is behind the code.
    assert not _shown_in_full(sheet_html, text)
    assert len(re.findall(r'<p class="i">', sheet_html)) >= 8


def test_item_sheet_shows_the_documents_particulars(sample_site):
    for page, block in qr_pages(sample_site).items():
        text = page.read_text(encoding="utf-8")
        m = re.search(r'data-gazette-id="([^"]+)"', text)
        if not m:
            continue
        code = short_of(block).rstrip("/").rsplit("/", 1)[1]
        sheet = (sample_site / qr.PREFIX / code / "print.html").read_text(encoding="utf-8")
        title = re.search(r"<h1>(.*?)</h1>", text, re.S).group(1).strip()
        assert f"<h1>{title}</h1>" in sheet
        issuer = re.search(r"<th scope=\"row\">发布机构</th><td>(.*?)</td>", text).group(1)
        assert f"<th scope=\"row\">发布机构</th><td>{issuer}</td>" in sheet
        docno = re.search(r'class="gz-docno">(.*?)</td>', text)
        if docno:
            assert f"<th scope=\"row\">文号</th><td class=\"gz-docno\">{docno.group(1)}</td>" in sheet
        published = re.search(r"<th scope=\"row\">发布日期</th><td><time datetime=\"([^\"]+)\">(.*?)</time>", text)
        assert f'<time datetime="{published.group(1)}">{published.group(2)}</time>' in sheet
        summary = re.search(r'class="sheet__summary">(.*?)</p>', sheet, re.S)
        assert summary and len(summary.group(1).strip()) > 10
        assert "扫码查看全文" in sheet
        assert re.search(r'id="sheet-print-date">\d{4}年\d{1,2}月\d{1,2}日<', sheet)  # fallback without JS


def test_issue_sheet_lists_the_table_of_contents(sample_site):
    for issue in (sample_site / "gazette").glob("[0-9][0-9][0-9][0-9]/[0-9][0-9]/index.html"):
        text = issue.read_text(encoding="utf-8")
        code = short_of(QR_BLOCK.search(text).group(0)).rstrip("/").rsplit("/", 1)[1]
        sheet = (sample_site / qr.PREFIX / code / "print.html").read_text(encoding="utf-8")
        toc = re.search(r'<section class="gz-toc".*?</section>', text, re.S).group(0)
        titles = re.findall(r'class="gz-list__title"[^>]*>(.*?)</a>', toc, re.S)
        assert titles, issue
        for t in titles[:10]:
            assert html.unescape(t.strip()) in html.unescape(sheet), (issue, t)


def test_print_button_on_the_item_page_opens_the_sheet(sample_site, sample_server, page):
    p = next(p for p in sorted(qr_pages(sample_site)) if 'data-gazette-id="' in p.read_text(encoding="utf-8"))
    page.goto(sample_server.url + p.parent.relative_to(sample_site).as_posix() + "/")
    with page.context.expect_page() as new:
        page.get_by_role("link", name="打印公示栏张贴版").click()
    sheet = new.value
    sheet.wait_for_load_state()
    assert "/s/" in sheet.url and sheet.url.endswith("/print.html")
    assert sheet.locator("h1").inner_text() == page.locator(".gz-item h1").inner_text()
    assert sheet.get_by_role("button", name="打印").is_visible()
    sheet.close()


def _reference_rows(text: str, version: int, level: str) -> tuple[str, ...]:
    """The same symbol from the `qrcode` library: byte mode, the given version and level, mask 0."""
    import qrcode
    from qrcode import constants, util

    levels = {"L": constants.ERROR_CORRECT_L, "M": constants.ERROR_CORRECT_M,
              "Q": constants.ERROR_CORRECT_Q, "H": constants.ERROR_CORRECT_H}
    ref = qrcode.QRCode(version=version, error_correction=levels[level], mask_pattern=0, border=0)
    ref.add_data(util.QRData(text.encode("ascii"), mode=util.MODE_8BIT_BYTE))
    ref.make(fit=False)
    return tuple("".join("1" if m else "0" for m in row) for row in ref.get_matrix())


def test_fast_encoder_draws_the_same_symbols_as_an_independent_library():
    import random
    import string

    from gazette.qr import encoder as qrencode

    rng = random.Random(20261123)
    alphabet = string.ascii_letters + string.digits + "/:.-_?=&%~#"
    seen = set()
    for _ in range(1500):
        # A lower-case letter, as every address has: all-capital text goes to alphanumeric mode.
        text = "h" + "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 105)))
        fast = qrencode.encode_rows(text)
        assert fast is not None, text
        version, level, rows = fast
        seen.add((version, level))
        assert rows == _reference_rows(text, version, level), (text, version, level)
    assert {v for v, _ in seen} == set(range(1, 7)) and {lv for _, lv in seen} == {"M", "Q", "H"}


def test_fast_encoder_leaves_other_texts_to_segno_and_both_decode(tmp_path):
    from gazette.qr import encoder as qrencode

    for text in ("HTTPS://GK.EXAMPLE.GOV.CN/S/ABC/", "12345678", "https://政府.cn/s/x/", "x" * 200):
        assert qrencode.encode_rows(text) is None
        assert qr.encode(text).version >= 1  # segno's symbol
    short = "https://gk.example.gov.cn/s/abcd1234/"
    png = tmp_path / "fast.png"
    png.write_bytes(qr.png_bytes(qr.encode(short)))
    out = subprocess.run(["zbarimg", "--raw", "-q", str(png)], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == short


# -- printing an item page, and sheets at a kiosk ----------------------------------------------

def _pdf_pages(pdf: Path) -> list[str]:
    n = int(re.search(r"^Pages:\s+(\d+)$", subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True).stdout,
                      re.M).group(1))
    return [subprocess.run(["pdftotext", "-f", str(i), "-l", str(i), str(pdf), "-"], capture_output=True,
                           text=True).stdout for i in range(1, n + 1)]


LAST_TEXT_BEFORE_CODE = """() => {
  const code = document.querySelector('.gz-qr');
  const before = [...document.querySelectorAll('.gz-item p, .gz-item li, .gz-item td, .gz-item th')]
    .filter(e => e.compareDocumentPosition(code) & Node.DOCUMENT_POSITION_FOLLOWING && !e.closest('.gz-qr'))
    .map(e => e.innerText.trim()).filter(t => t.length >= 4);
  return before.pop() || '';
}"""


def test_a_one_page_notice_prints_on_one_a4_sheet_and_the_code_never_stands_alone(sample_site, sample_server, page, tmp_path):
    items = [p for p in sorted(qr_pages(sample_site)) if 'data-gazette-id="' in p.read_text(encoding="utf-8")]
    notice = next(p for p in items if "通告</h1>" in p.read_text(encoding="utf-8") and "九、" in p.read_text(encoding="utf-8"))
    page.emulate_media(media="print")
    for n, item in enumerate([notice] + items[::12]):
        page.goto(sample_server.url + item.parent.relative_to(sample_site).as_posix() + "/")
        pdf = tmp_path / f"i{n}.pdf"
        page.pdf(path=str(pdf), format="A4")
        pages = _pdf_pages(pdf)
        last = page.evaluate(LAST_TEXT_BEFORE_CODE)
        with_code = [t for t in pages if "扫码查阅" in t]
        assert len(with_code) == 1, item
        if last:  # the code is printed with the end of the text, not on a page of its own
            assert _flat(last) in _flat(with_code[0]), (item, len(pages), with_code[0][:200])
        if item == notice:
            assert len(pages) == 1, (item, len(pages))  # the nine clauses, the particulars and the code
            assert "九、" in pages[0] and "特此通告" in pages[0]
            size = page.evaluate("parseFloat(getComputedStyle(document.querySelector('.gz-body p')).fontSize)")
            assert size >= 16  # 12 pt: still easy to read on paper


def test_kiosk_opens_the_sheet_in_its_tab_with_the_kiosk_bar_and_a_fresh_history_after_idle(browser, sample_site, sample_server):
    from test_theme_a11y import html_classes, run_axe

    item = next(p for p in sorted(qr_pages(sample_site)) if 'data-gazette-id="' in p.read_text(encoding="utf-8"))
    item_url = sample_server.url + item.parent.relative_to(sample_site).as_posix() + "/"
    ctx = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
    try:
        page = ctx.new_page()
        page.goto(sample_server.url + "?kiosk=1&kiosk_idle=3")
        page.goto(item_url)
        # The short address under the code is on this site, even served from a mirror (this test server).
        page.locator(".gz-qr__url").click()
        page.wait_for_url(item_url)
        assert not page.is_visible(".gz-kiosk-note")
        page.get_by_role("link", name="打印公示栏张贴版").click()
        page.wait_for_url("**/print.html")
        assert len(ctx.pages) == 1  # the same tab: the kiosk keeps its bar and its idle reset
        assert "gz-kiosk" in html_classes(page)
        for name in ("首页", "返回", "打印"):
            box = page.locator(".sheet__kiosk").get_by_text(name, exact=True).bounding_box()
            assert box and box["width"] >= 60 and box["height"] >= 60, name
        back = page.get_by_role("link", name="返回原文页面").bounding_box()
        assert back["width"] >= 44 and back["height"] >= 44
        assert not run_axe(page), run_axe(page)
        page.locator(".sheet__kiosk").get_by_text("返回", exact=True).click()
        page.wait_for_url(item_url)
        page.get_by_role("link", name="打印公示栏张贴版").click()
        page.wait_for_url("**/print.html")
        # Idle: the kiosk goes home for the next visitor, and 返回 there does not lead back to this sheet.
        page.wait_for_url(sample_server.url, timeout=8000)
        page.locator(".gz-kiosk-bar").get_by_text("返回", exact=True).click()
        page.wait_for_timeout(500)
        assert page.url == sample_server.url, page.url
        page.goto(item_url)
        page.locator(".gz-kiosk-bar").get_by_text("返回", exact=True).click()
        page.wait_for_url(sample_server.url)  # one step back within the new visitor's own pages
        page.locator(".gz-kiosk-bar").get_by_text("返回", exact=True).click()
        page.wait_for_timeout(500)
        assert page.url == sample_server.url, page.url
    finally:
        ctx.close()
