"""What a reader sees of the frame's details, measured in Chromium on the sample site.

The breadcrumb's steps evenly spaced (首页 is not centred in spare room) and still full-size targets;
目录 entries that leave no character alone on a line and stand evenly apart; the item's particulars
in 长者 mode on a phone with each label's band across its row; the notice sheet's 文号 on a phone
without a stranded 号; the 搜索 page on paper (the query and its address, no buttons); the search
field's hint readable in high contrast. One browser (the session's), one context per mode and width.
"""

from __future__ import annotations

from urllib.parse import urljoin

import pytest
from lxml import html as lxml_html

from test_theme_a11y import sample_pages

# Lines of an element's text as the reader sees them: the characters of each row, in order.
ROWS = """el => {
  const rows = []; let top = null;
  const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    for (let i = 0; i < n.length; i++) {
      if (!n.data[i].trim()) continue;
      const range = document.createRange(); range.setStart(n, i); range.setEnd(n, i + 1);
      const rect = range.getBoundingClientRect();
      if (rect.width === 0) continue;
      if (top === null || rect.top > top + rect.height / 2) { rows.push(''); top = rect.top; }
      rows[rows.length - 1] += n.data[i];
    }
  }
  return rows;
}"""

# The ink of an element's text: where its first row starts and its last row ends.
TEXT_BOX = """el => {
  const range = document.createRange(); range.selectNodeContents(el);
  const rects = [...range.getClientRects()].filter(r => r.width > 0);
  const first = rects[0], last = rects[rects.length - 1];
  return {left: first.left, top: first.top, right: last.right, lastTop: last.top,
          bottom: Math.max(...rects.map(r => r.bottom))};
}"""

MODE_QUERY = {"normal": "", "elder": "mode=elder", "contrast": "contrast=high"}


@pytest.fixture(scope="module")
def view(browser, sample_server):
    """view(path, mode, width): a page of the sample site opened in that mode at that width."""
    contexts: dict[str, object] = {}  # one per mode (a mode persists in the context's storage)

    def open_(path: str, mode: str = "normal", width: int = 1280):
        if mode not in contexts:
            ctx = browser.new_context(locale="zh-CN")
            contexts[mode] = (ctx, ctx.new_page())
        page = contexts[mode][1]
        page.set_viewport_size({"width": width, "height": 900 if width > 600 else 812})
        query = MODE_QUERY[mode]
        page.goto(sample_server.url + path + ((("&" if "?" in path else "?") + query) if query else ""))
        page.wait_for_load_state("load")
        if mode == "elder":
            assert "gz-elder" in page.evaluate("document.documentElement.className"), path
        return page

    yield open_
    for ctx, _ in contexts.values():
        ctx.close()


@pytest.fixture(scope="module")
def pages(sample_site):
    return sample_pages(sample_site)


def test_breadcrumb_steps_are_evenly_spaced_full_size_targets(view, pages):
    problems = []
    for mode, width, target in (("normal", 1280, 44), ("normal", 375, 44), ("elder", 375, 60), ("elder", 1280, 60)):
        page = view(pages["item"], mode, width)
        where = f"[{mode} {width}px] {page.url}"
        steps = page.evaluate(f"""() => [...document.querySelectorAll('.gz-breadcrumb li')]
            .filter(li => li.getBoundingClientRect().width > 1).map(li => {{
              const el = li.querySelector('a, span'), box = el.getBoundingClientRect();
              return {{text: el.textContent.trim(), link: el.tagName === 'A', w: box.width, h: box.height,
                       ink: ({TEXT_BOX})(el)}};
            }})""")
        assert len(steps) >= 3, where
        gaps = [(a["text"], b["text"], b["ink"]["left"] - a["ink"]["right"])
                for a, b in zip(steps, steps[1:]) if abs(b["ink"]["top"] - a["ink"]["lastTop"]) < 5]
        assert len(gaps) >= 2, (where, steps)
        widths = [g for _, _, g in gaps]
        if max(widths) - min(widths) > 1.5:
            problems.append(f"{where}: uneven gaps between steps: {[(a, b, round(g, 1)) for a, b, g in gaps]}")
        h1 = page.evaluate(f"({TEXT_BOX})(document.querySelector('#gz-content h1'))")
        if abs(steps[0]["ink"]["left"] - h1["left"]) > 1.5:
            problems.append(f"{where}: {steps[0]['text']} starts {steps[0]['ink']['left'] - h1['left']:.1f}px off the heading's edge")
        for s in steps:
            if s["link"] and (s["w"] < target - 0.5 or s["h"] < target - 0.5):
                problems.append(f"{where}: step {s['text']} is a {s['w']:.0f}×{s['h']:.0f} target (< {target})")
    assert not problems, "\n".join(problems)


def test_toc_entries_leave_no_character_alone_and_stand_evenly_apart(view, pages, sample_site):
    issue = sample_site / pages["issue"]
    paths = [f"{pages['issue']}{p.parent.name}/" for p in sorted(issue.glob("*/index.html"))]
    paths += [f"{p.parent.relative_to(sample_site).as_posix()}/"
              for p in sorted((sample_site / "disclosure" / "annual-report").glob("*/index.html"))]
    problems, entries = [], 0
    for path in paths:
        page = view(path)
        toc = page.evaluate(f"""() => [...document.querySelectorAll('.md-nav--secondary .md-nav__list')].map(list =>
            [...list.children].map(li => {{
              const a = li.querySelector(':scope > .md-nav__link');
              return a && a.offsetParent ? {{text: a.textContent.trim(), rows: ({ROWS})(a), nested: !!li.querySelector('.md-nav'),
                                            h: a.getBoundingClientRect().height, ink: ({TEXT_BOX})(a)}} : null;
            }}).filter(Boolean))""")
        for entries_ in toc:
            entries += len(entries_)
            for e in entries_:
                if len(e["text"]) > 1 and min(len(r) for r in e["rows"]) < 2:
                    problems.append(f"{path}: 目录 entry wraps a character alone: {'|'.join(e['rows'])}")
                if e["h"] < 43.5:
                    problems.append(f"{path}: 目录 entry {e['text']} is {e['h']:.0f}px tall (< 44)")
            gaps = [(a["text"], round(b["ink"]["top"] - a["ink"]["bottom"], 1))
                    for a, b in zip(entries_, entries_[1:]) if not a["nested"]]
            if gaps and max(g for _, g in gaps) - min(g for _, g in gaps) > 1.5:
                problems.append(f"{path}: 目录 entries unevenly spaced (space below each): {gaps}")
    assert entries >= 8, f"the sample pages should have 目录 entries to measure ({entries})"
    assert not problems, "\n".join(problems)


def test_item_particulars_on_a_phone_in_elder_mode_keep_each_label_across_its_row(view, pages):
    page = view(pages["item"], "elder", 375)
    rows = page.evaluate("""() => [...document.querySelectorAll('#gz-content .gz-meta tr')].map(tr => ({
        label: tr.querySelector('th').textContent.trim(), row: tr.clientWidth,
        th: tr.querySelector('th').getBoundingClientRect().width,
        stacked: tr.querySelector('td').getBoundingClientRect().top >= tr.querySelector('th').getBoundingClientRect().bottom - 1}))""")
    assert rows, page.url
    for r in rows:
        assert r["stacked"], r  # a phone: the value below its label
        assert r["th"] >= r["row"] - 1, f"{r['label']}: its band is {r['th']:.0f}px of a {r['row']}px row"


def test_notice_sheet_on_a_phone_strands_no_character_of_its_particulars(view, pages, sample_site):
    tree = lxml_html.parse(str(sample_site / pages["item"] / "index.html"))
    sheet = next(a.get("href") for a in tree.iter("a") if (a.get("href") or "").endswith("print.html"))
    path = urljoin(pages["item"], sheet)
    problems = []
    page = view(path, width=320)
    for width in (320, 360, 375, 414):
        page.set_viewport_size({"width": width, "height": 812})
        for cell in page.evaluate(f"() => [...document.querySelectorAll('.sheet__meta td')].map({ROWS})"):
            if min(len(r) for r in cell) < 2:
                problems.append(f"{width}px: {'|'.join(cell)}")
    assert not problems, "\n".join(problems)


def test_search_results_print_with_their_query_and_address_and_no_controls(view, sample_site):
    canonical = lxml_html.parse(str(sample_site / "search" / "index.html")).xpath("//*[@data-gz-url]")[0].text_content()
    page = view("search/?q=通知")
    page.wait_for_selector(".gz-search-hit")
    assert page.is_visible(".gz-search-more"), "the sample has more than one page of results for 通知"
    page.emulate_media(media="print")
    try:
        assert page.input_value("#gz-search-q") == "通知" and page.is_visible("#gz-search-q")
        for sel in (".gz-search-form button[type=submit]", ".gz-search-more", ".gz-search-filters", ".gz-toolbar", ".md-header"):
            assert not page.is_visible(sel), f"{sel} is printed"
        assert page.evaluate("getComputedStyle(document.activeElement).outlineStyle") == "none"  # no focus ring on paper
        assert page.text_content(".gz-print-url [data-gz-url]") == canonical + "?q=通知"
    finally:
        page.emulate_media(media="screen")


def _contrast(fg: str, bg: str) -> float:
    def rgba(s: str) -> list[float]:
        inner = s[s.index("(") + 1:s.index(")")].replace("/", " ").replace(",", " ").split()
        v = [float(x) for x in inner]
        return v + [1.0] if len(v) == 3 else v

    def lum(c):
        f = [(x / 255 / 12.92 if x / 255 <= 0.03928 else ((x / 255 + 0.055) / 1.055) ** 2.4) for x in c[:3]]
        return 0.2126 * f[0] + 0.7152 * f[1] + 0.0722 * f[2]

    f, b = rgba(fg), rgba(bg)
    mixed = [f[i] * f[3] + b[i] * (1 - f[3]) for i in range(3)]
    hi, lo = sorted((lum(mixed), lum(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


@pytest.mark.parametrize("mode, least", [("normal", 4.5), ("contrast", 7)])
def test_search_field_hint_is_readable(view, pages, mode, least):
    page = view(pages["item"], mode)
    fields = page.evaluate("""() => [...document.querySelectorAll('input[placeholder]')].filter(e => e.offsetParent).map(e => ({
        hint: e.placeholder, fg: getComputedStyle(e, '::placeholder').color, bg: getComputedStyle(e).backgroundColor}))""")
    assert fields, page.url
    for f in fields:
        assert _contrast(f["fg"], f["bg"]) >= least, f
