"""The accessible theme in each mode, measured in real Chromium on the sample site: every page
template in normal, elderly, high-contrast and kiosk (繁) modes at 1280 and 375 px (axe-core, body
text size, line height, paragraph gap, contrast, target sizes, no request leaving the origin), and
reflow at 320 px and 200 % text. Apart from test_theme_a11y.py (its helpers and fixtures are
imported from there) so that the two longest browser files run on different test workers.
"""

from __future__ import annotations

import os
import re
from urllib.parse import urlsplit

import pytest

from test_theme_a11y import (  # noqa: F401  (fixtures are found by name in this module)
    MEASURE_CHROME, MEASURE_OVERFLOW, MEASURE_TARGETS, MEASURE_TEXT, MODES, SHOTS, WIDTHS, html_classes,
    mode_pages, open_in_mode, run_axe, site_pages)

# Pages with the frame's harder parts: an active filter, a stacked chart, highlighted search results.
FRAME_PAGES = {"filtered": "disclosure/statutory/normative/validity/youxiao/",
               "annual-report": "disclosure/annual-report/", "subscribe": "subscribe/", "open-data": "data/"}
# Screenshots of the first screen of every page in every mode; whole pages at 1280 px (slower: a
# quarter of the mode test's time) when GAZETTE_FULL_SCREENSHOTS=1.
FULL_SHOTS = os.environ.get("GAZETTE_FULL_SCREENSHOTS") == "1"


@pytest.mark.parametrize("mode", list(MODES))
def test_every_page_in_mode(mode, mode_pages, sample_server, sample_site, site_pages):
    origin = urlsplit(sample_server.url)
    min_size, min_target = (24, 60) if mode == "elder" else (18, 44)
    SHOTS.mkdir(parents=True, exist_ok=True)
    problems: list[str] = []
    pages = dict(site_pages)
    pages.update((k, v) for k, v in FRAME_PAGES.items() if (sample_site / v / "index.html").exists())
    if "search" in pages:
        pages["search-results"] = "search/?q=补偿"
    for width, name in ((w, n) for w in WIDTHS for n in pages):
        if width != WIDTHS[0] and name not in site_pages:
            continue  # colours and the search results' frame do not change with the width
        if width != WIDTHS[0] and mode == "kiosk":
            continue  # a kiosk's screen is never a phone's (its sheets are still checked at both widths)
        if width != WIDTHS[0] and mode == "contrast":
            continue  # high contrast changes colours only, which do not change with the width (sizes: normal's)
        page = mode_pages(mode, width)
        path = pages[name]
        url = open_in_mode(page, sample_server.url, path, mode)
        where = f"[{mode} {width}px] {name} {url}"
        if name == "search-results":
            page.wait_for_selector(".gz-search-hit mark")
        suffix = "" if width == 1280 else f"-{width}px"
        page.screenshot(path=str(SHOTS / f"{name}-{mode}{suffix}.png"), full_page=FULL_SHOTS and width == 1280)

        assert page.evaluate("document.documentElement.lang") == ("zh-Hant" if mode == "kiosk" else "zh-CN"), where
        if mode == "kiosk" and name != "search-results":
            heading = page.text_content("#gz-content h1") or ""
            if re.search("[简页发说开报条门]", heading):
                problems.append(f"{where}: heading not converted to 繁: {heading}")
        problems += [f"{where}: axe {v}" for v in run_axe(page)]

        # Search results are a list of short lines, not paragraphs of running text.
        m = page.evaluate(MEASURE_TEXT) if name != "search-results" else {"els": [], "gaps": []}
        for e in m["els"]:
            if e["size"] < min_size - 0.01:
                problems.append(f"{where}: body text {e['size']}px < {min_size}px: {e['text']}")
            if e["lineHeight"] < 1.8 * e["size"] - 0.01:
                problems.append(f"{where}: line height {e['lineHeight']} < 1.8 × {e['size']}: {e['text']}")
            if e["hasNext"] and e["marginBottom"] < 1.3 * e["lineHeight"] - 0.5:
                problems.append(f"{where}: paragraph gap {e['marginBottom']} < 1.3 × line height {e['lineHeight']}")
            if e["contrast"] < 7:
                problems.append(f"{where}: body text contrast {e['contrast']:.2f} < 7: {e['text']}")
        for g in m["gaps"]:
            if g["gap"] < 1.3 * g["lineHeight"] - 0.5:
                problems.append(f"{where}: measured paragraph gap {g['gap']:.1f} < 1.3 × {g['lineHeight']}")

        for t in page.evaluate(MEASURE_TARGETS):
            if t["w"] < min_target - 0.5 or t["h"] < min_target - 0.5:
                problems.append(f"{where}: target {t['w']}×{t['h']} < {min_target}: {t['el']}")

        frame = page.evaluate(MEASURE_CHROME)
        for t in frame["texts"]:
            if t["size"] < min_size - 0.01:
                problems.append(f"{where}: frame text {t['size']}px < {min_size}px: {t['text']}")
            least = 4.5 if t["highlighted"] else 7
            if t["contrast"] < least:
                problems.append(f"{where}: frame text contrast {t['contrast']:.2f} < {least}: {t['text']}")
        for g in frame["graphics"]:
            if g["contrast"] < 3:
                problems.append(f"{where}: chart part {g['fill']} contrast {g['contrast']:.2f} < 3")
        for line in frame["lines"]:
            if len(line["text"]) > 1 and min(line["rows"], default=2) < 2:
                problems.append(f"{where}: {line['sel']} \"{line['text']}\" wraps a character alone on a line: {line['rows']}")
        for c in frame["crumbs"]:
            if c["li"] > c["label"] + 2:
                problems.append(f"{where}: breadcrumb step {c['text']} leaves its › on a row of its own")
        for a in frame["listLinks"]:
            if a["w"] < min_target - 0.5 or a["h"] < min_target - 0.5:
                problems.append(f"{where}: list link {a['w']}×{a['h']} < {min_target}: {a['text']}")

        foreign = [u for u in page.requests
                   if not u.startswith(("data:", "blob:")) and urlsplit(u)[:2] != origin[:2]]
        if foreign:
            problems.append(f"{where}: requests leaving the origin: {foreign}")

    # The notice-board sheets are paper in their own fixed type (measured by the print tests); on
    # screen only the kiosk changes them (its bar). In 长者 and high-contrast modes a sheet is the normal
    # one, which this asserts rather than running axe on the same page again.
    for kind in ("item", "issue"):
        html = (sample_site / pages[kind] / "index.html").read_text(encoding="utf-8")
        sheet = re.search(r'href="(?:\.\./)*(s/\w+/print\.html)"', html).group(1)
        for width in WIDTHS:
            page = mode_pages(mode, width)
            query = MODES[mode]
            if mode == "kiosk" and width != WIDTHS[0]:
                open_in_mode(page, sample_server.url, "", mode)  # the kiosk is set up from the site's pages
            page.goto(sample_server.url + sheet + ("?" + query if query else ""))
            if "script=hant" in query:
                page.wait_for_function("document.documentElement.lang === 'zh-Hant'"
                                       " && !document.documentElement.classList.contains('gz-hant-wait')")
            if mode in ("elder", "contrast"):
                assert html_classes(page) == [], (mode, sheet, html_classes(page))
                continue
            if mode == "kiosk":
                assert page.locator(".sheet__kiosk").is_visible(), sheet
            page.screenshot(path=str(SHOTS / f"{kind}-sheet-{mode}-{width}px.png"), full_page=True)
            problems += [f"[{mode} {width}px] {kind} sheet {sheet}: axe {v}" for v in run_axe(page)]
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("mode", [m for m in MODES if m != "kiosk"])  # a kiosk's screen is never 320 px
def test_reflow_at_320px_and_200_percent_text(mode, mode_pages, sample_server, site_pages):
    page = mode_pages(mode, width=320)
    problems = []
    for zoom in (1, 2):
        # 200 % text through the toolbar's own setting (kept in localStorage).
        page.goto(sample_server.url + "404.html")
        page.evaluate("z => { const s = JSON.parse(localStorage.getItem('gz-a11y') || '{}'); s.zoom = z;"
                      " localStorage.setItem('gz-a11y', JSON.stringify(s)); }", zoom)
        for name, path in site_pages.items():
            url = open_in_mode(page, sample_server.url, path, mode)
            if zoom == 2:
                size = page.evaluate("parseFloat(getComputedStyle(document.documentElement).fontSize)")
                assert size >= 40, f"{url}: text not at 200 % ({size}px root)"
            if zoom == 2 and mode == "normal":
                page.screenshot(path=str(SHOTS / f"{name}-{mode}-320px-200pct.png"), full_page=True)
            r = page.evaluate(MEASURE_OVERFLOW)
            if r["scrollWidth"] > r["vw"] or r["over"]:
                problems.append(f"[{mode} {zoom * 100}%] {name}: scrolls sideways: {r}")
    assert not problems, "\n".join(problems)
