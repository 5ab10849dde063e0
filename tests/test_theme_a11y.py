"""The accessible theme, measured in real Chromium on the sample site: the page measures and
fixtures shared with test_theme_modes.py (every page in every mode, reflow), then the toolbar from
the keyboard alone, reading aloud, kiosk mode, printing, the 繁 switch. Screenshots of every page in
every mode go to test-artifacts/screenshots/.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from conftest import ARTIFACTS, run_mkdocs, serve

SHOTS = ARTIFACTS / "screenshots"
# A kiosk is set up in 繁 (`?script=hant`), so that mode also runs every page through axe converted.
MODES = {"normal": "", "elder": "mode=elder", "contrast": "contrast=high", "kiosk": "kiosk=1&script=hant"}
MODE_CLASSES = {"normal": [], "elder": ["gz-elder"], "contrast": ["gz-contrast"], "kiosk": ["gz-kiosk", "gz-hant"]}
WIDTHS = (1280, 375)  # the widths every page is measured at (test_theme_modes.py)
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]


def axe_source() -> str:
    # axe-core's JS as bundled by the axe-playwright-python wheel: no network at test time.
    import axe_playwright_python

    return (Path(axe_playwright_python.__file__).parent / "axe.min.js").read_text(encoding="utf-8")


def sample_pages(site: Path) -> dict[str, str]:
    """One page of each template, found in the built site (site-relative URLs)."""
    years = sorted(p.parent.name for p in (site / "gazette").glob("[0-9][0-9][0-9][0-9]/index.html"))
    year = years[-1]
    issues = sorted(p.parent for p in (site / "gazette" / year).glob("*/index.html"))
    issue = issues[-1]
    items = sorted(p.parent for p in issue.glob("*/index.html"))
    pages = {
        "home": "",
        "archive": "gazette/",
        "year": f"gazette/{year}/",
        "issue": f"gazette/{year}/{issue.name}/",
        "item": f"gazette/{year}/{issue.name}/{items[0].name}/",
        "index": "browse/issuer/",
        "column": "disclosure/statutory/",
        "404": "404.html",
    }
    if (site / "search" / "index.html").exists():
        pages["search"] = "search/"
    return pages


@pytest.fixture(scope="module")
def site_pages(sample_site):
    return sample_pages(sample_site)


@pytest.fixture(scope="module")
def mode_pages(browser, sample_server):
    """One browser context per mode, kept for the module (the mode persists in its storage)."""
    contexts: dict[str, object] = {}

    def get(mode: str, width: int = 1280):
        key = (mode, width)
        if key not in contexts:
            ctx = browser.new_context(locale="zh-CN", viewport={"width": width, "height": 900 if width > 600 else 812})
            if width in WIDTHS:  # the widths axe runs at: loaded with each page, a third quicker than injecting it
                ctx.add_init_script(axe_source())
            page = ctx.new_page()
            page.requests = []
            page.on("request", lambda r, page=page: page.requests.append(r.url))
            contexts[key] = (ctx, page)
        return contexts[key][1]

    yield get
    for ctx, _ in contexts.values():
        ctx.close()


def open_in_mode(page, base: str, path: str, mode: str):
    query = MODES[mode]
    url = base + path + ((("&" if "?" in path else "?") + query) if query else "")
    page.requests.clear()
    response = page.goto(url)
    assert response is not None and response.ok, url
    page.wait_for_load_state("load")
    if "script=hant" in query:  # converted once its data is in
        page.wait_for_function("document.documentElement.lang === 'zh-Hant'"
                               " && !document.documentElement.classList.contains('gz-hant-wait')")
    classes = page.evaluate("document.documentElement.className").split()
    for cls in MODE_CLASSES[mode]:
        assert cls in classes, f"{url}: mode {mode} not applied ({classes})"
    return url


# -- measurements in the page ---------------------------------------------------------------

MEASURE_TEXT = """() => {
  const article = document.getElementById('gz-content');
  const px = v => parseFloat(v);
  const paras = [...article.querySelectorAll('p')].filter(p =>
      p.offsetParent !== null && p.innerText.trim() && !p.closest('.gz-print-url'));
  const els = paras.length ? paras : [article];
  function rgba(s) {
    const m = s.match(/rgba?\\(([^)]+)\\)/); const v = m[1].split(/[ ,\\/]+/).filter(Boolean).map(Number);
    return [v[0], v[1], v[2], v.length > 3 ? v[3] : 1];
  }
  function background(el) {
    for (let e = el; e; e = e.parentElement) {
      const c = rgba(getComputedStyle(e).backgroundColor);
      if (c[3] > 0) return c;
    }
    return [255, 255, 255, 1];
  }
  function lum([r, g, b]) {
    const f = c => { c /= 255; return c <= 0.03928 ? c / 12.92 : Math.pow((c + 0.055) / 1.055, 2.4); };
    return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
  }
  const out = els.map(el => {
    const cs = getComputedStyle(el);
    const fg = rgba(cs.color), bg = background(el);
    const a = fg[3];
    const mixed = [0, 1, 2].map(i => fg[i] * a + bg[i] * (1 - a));
    const l1 = lum(mixed), l2 = lum(bg);
    return {text: el.innerText.slice(0, 30), size: px(cs.fontSize), lineHeight: px(cs.lineHeight),
            marginBottom: px(cs.marginBottom), hasNext: !!el.nextElementSibling,
            contrast: (Math.max(l1, l2) + 0.05) / (Math.min(l1, l2) + 0.05)};
  });
  const gaps = [];
  for (const p of paras) {
    const n = p.nextElementSibling;
    if (n && n.tagName === 'P' && paras.includes(n)) {
      gaps.push({gap: n.getBoundingClientRect().top - p.getBoundingClientRect().bottom,
                 lineHeight: px(getComputedStyle(p).lineHeight)});
    }
  }
  return {els: out, gaps};
}"""

MEASURE_TARGETS = """() => {
  const sel = 'a[href], button, input:not([type=hidden]), select, textarea, summary, label[for], [role=button], [tabindex]:not([tabindex="-1"])';
  const vw = document.documentElement.clientWidth;
  const bad = [];
  for (const el of document.querySelectorAll(sel)) {
    const r = el.getBoundingClientRect();
    const cs = getComputedStyle(el);
    if (r.width < 2 || r.height < 2 || cs.visibility === 'hidden' || el.closest('[hidden]')) continue;
    if (r.right <= 0 || r.left >= vw) continue;           // off-canvas drawer, unfocused skip link
    if (el.closest('.gz-visually-hidden')) continue;
    // A radio or checkbox inside its label: the whole label is what one clicks (it is measured itself).
    if (el.tagName === 'INPUT' && /^(radio|checkbox)$/.test(el.type) && el.closest('label')) {
      const lr = el.closest('label').getBoundingClientRect();
      if (lr.width >= r.width && lr.height >= r.height) continue;
    }
    // WCAG 2.5.8 exception: a link inside a sentence, sized by the line of text.
    if (el.tagName === 'A' && cs.display === 'inline') {
      const parentText = (el.parentElement.innerText || '').replace(/\\s+/g, '');
      const ownText = (el.innerText || '').replace(/\\s+/g, '');
      if (parentText.length > ownText.length) continue;
    }
    bad.push({el: el.outerHTML.slice(0, 90), w: Math.round(r.width), h: Math.round(r.height)});
  }
  return bad;
}"""

MEASURE_OVERFLOW = """() => {
  const vw = document.documentElement.clientWidth;
  const over = [];
  const scrollWidth = Math.max(document.documentElement.scrollWidth, document.body.scrollWidth);
  for (const el of document.querySelectorAll('body *')) {
    const r = el.getBoundingClientRect();
    if (r.width === 0 || r.height === 0 || r.right <= vw + 1) continue;
    const cs = getComputedStyle(el);
    if (cs.position === 'fixed' && r.left >= vw) continue;
    if (el.closest('.gz-visually-hidden, [hidden]') || r.right <= 0) continue;
    // Content inside its own scrolling box (a wide data table) is allowed by WCAG 1.4.10.
    let clipped = false;
    for (let a = el.parentElement; a && a !== document.body; a = a.parentElement) {
      const ox = getComputedStyle(a).overflowX;
      if ((ox === 'auto' || ox === 'scroll' || ox === 'hidden') && a.getBoundingClientRect().right <= vw + 1) { clipped = true; break; }
    }
    if (!clipped) over.push({el: el.outerHTML.slice(0, 80), right: Math.round(r.right)});
  }
  return {scrollWidth, vw, over: over.slice(0, 5)};
}"""


# The page's frame: toolbar, header and tabs, breadcrumb, pager, previous/next, filters, search
# results. Every visible text in it, with its size and contrast; every chart part against its
# background (graphics need 3:1); the rows of the breadcrumb and of the header's title and button.
MEASURE_CHROME = """() => {
  const AREAS = '.gz-toolbar, .md-header, .md-tabs, .md-sidebar, #gz-content, .md-footer, .gz-kiosk-bar';
  const vw = document.documentElement.clientWidth;
  function rgba(s) {
    const m = s.match(/rgba?\\(([^)]+)\\)/); if (!m) return [0, 0, 0, 0];
    const v = m[1].split(/[ ,\\/]+/).filter(Boolean).map(Number);
    return [v[0], v[1], v[2], v.length > 3 ? v[3] : 1];
  }
  function background(el) {
    for (let e = el; e; e = e.parentElement) {
      const c = rgba(getComputedStyle(e).backgroundColor);
      if (c[3] > 0.5) return c;
    }
    return [255, 255, 255, 1];
  }
  function lum([r, g, b]) {
    const f = c => { c /= 255; return c <= 0.03928 ? c / 12.92 : Math.pow((c + 0.055) / 1.055, 2.4); };
    return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
  }
  function ratio(fg, bg) {
    const a = fg[3];
    const mixed = [0, 1, 2].map(i => fg[i] * a + bg[i] * (1 - a));
    const l1 = lum(mixed), l2 = lum(bg);
    return (Math.max(l1, l2) + 0.05) / (Math.min(l1, l2) + 0.05);
  }
  function shown(el) {
    const r = el.getBoundingClientRect(), cs = getComputedStyle(el);
    return r.width > 2 && r.height > 2 && cs.visibility !== 'hidden' && r.right > 0 && r.left < vw
      && !el.closest('[hidden], .gz-visually-hidden, [aria-hidden=true]') && !(r.width <= 1 && r.height <= 1);
  }
  const texts = [];
  for (const area of document.querySelectorAll(AREAS)) {
    for (const el of [area, ...area.querySelectorAll('*')]) {
      if (!shown(el) || ['radio', 'checkbox'].includes(el.type)) continue;  // a box, not text
      const own = [...el.childNodes].filter(n => n.nodeType === 3).map(n => n.textContent).join('').trim()
        || (el.tagName === 'INPUT' ? el.value : '');
      if (!own && el.tagName !== 'INPUT') continue;
      // A clipped step (1 px, for screen readers) is not seen.
      if (el.closest('li') && el.closest('li').getBoundingClientRect().width <= 1) continue;
      const cs = getComputedStyle(el);
      texts.push({text: (own || el.placeholder || el.tagName).slice(0, 24), size: parseFloat(cs.fontSize),
                  contrast: ratio(rgba(cs.color), background(el)), highlighted: el.tagName === 'MARK'});
    }
  }
  const graphics = [...document.querySelectorAll('.gz-chart__track > span, .gz-chart-legend__swatch')]
    .filter(r => r.getBoundingClientRect().width > 0)
    .map(r => ({fill: getComputedStyle(r).backgroundColor,
                contrast: ratio(rgba(getComputedStyle(r).backgroundColor), background(r.parentElement))}));
  // Rows of a text: how many characters each line holds (a line of one character is a break in a word).
  function rows(el) {
    const counts = {};
    const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      for (let i = 0; i < n.length; i++) {
        if (!n.data[i].trim()) continue;
        const range = document.createRange(); range.setStart(n, i); range.setEnd(n, i + 1);
        const rect = range.getBoundingClientRect();
        if (rect.width === 0) continue;
        const key = Math.round(rect.top / 4);
        counts[key] = (counts[key] || 0) + 1;
      }
    }
    return Object.values(counts);
  }
  const lines = [];
  for (const sel of ['.md-header__title .md-ellipsis', '.gz-searchbox__button', '.md-tabs__link']) {
    for (const el of document.querySelectorAll(sel)) if (shown(el)) lines.push({sel, text: el.innerText.trim(), rows: rows(el)});
  }
  // Each breadcrumb step on one row with its "›" (the step's box no taller than its link).
  const crumbs = [...document.querySelectorAll('.gz-breadcrumb li')].filter(li => li.getBoundingClientRect().width > 1).map(li => {
    const label = li.querySelector('a, span');
    return {text: li.innerText.trim().slice(0, 20), li: li.getBoundingClientRect().height,
            label: label ? label.getBoundingClientRect().height : 0};
  });
  // Links that begin an item of a list (the home page's 栏目导航) are targets, not words in a sentence.
  const listLinks = [...document.querySelectorAll('#gz-content li > a:first-child')].filter(a => {
    const li = a.parentElement;
    return shown(a) && (li.innerText || '').trim().startsWith((a.innerText || '').trim());
  }).map(a => ({text: a.innerText.trim().slice(0, 20), w: Math.round(a.getBoundingClientRect().width),
                h: Math.round(a.getBoundingClientRect().height)}));
  return {texts, graphics, lines, crumbs, listLinks};
}"""


def run_axe(page) -> list[str]:
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.add_script_tag(content=axe_source())
    result = page.evaluate(
        "async tags => await axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})",
        AXE_TAGS,
    )
    return [
        f"{v['id']} ({v['impact']}): {v['help']} — " + "; ".join(",".join(n["target"]) for n in v["nodes"][:4])
        for v in result["violations"]
    ]


# -- the toolbar from the keyboard alone ------------------------------------------------------

FAKE_SPEECH = """
window.__spoken = []; window.__cancelled = 0;
window.__voices = [{name: 'Test Chinese', lang: 'zh-CN', voiceURI: 'test-zh', localService: true, default: true}];
const fake = {
  speak(u) { window.__spoken.push({text: u.text, lang: u.lang}); },
  cancel() { window.__cancelled += 1; window.__spoken.push({cancel: true}); },
  pause() {}, resume() {}, getVoices() { return window.__voices; },
  speaking: false, pending: false, paused: false,
  addEventListener() {}, removeEventListener() {},
};
Object.defineProperty(window, 'speechSynthesis', {configurable: true, get() { return fake; }});
"""


@pytest.fixture
def kb_page(browser, sample_server):
    ctx = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
    ctx.add_init_script(FAKE_SPEECH)
    page = ctx.new_page()
    yield page
    ctx.close()


def tab_to(page, selector: str, limit: int = 60):
    """Press Tab until the element matching `selector` has the focus, as a keyboard user would."""
    focused = "s => document.activeElement && document.activeElement.matches(s)"
    if page.evaluate(focused, selector):
        return
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(focused, selector):
            return
    raise AssertionError(f"Tab never reached {selector}")


def pressed(page, selector):
    return page.get_attribute(selector, "aria-pressed")


def test_item_page_reads_before_any_script(browser, sample_server, sample_site, site_pages):
    """A phone on a weak line: the text is laid out and readable from the HTML and style sheets alone,
    and the page does not carry Material's script bundle, which none of the site's features needs."""
    html = (sample_site / site_pages["item"] / "index.html").read_text(encoding="utf-8")
    assert "assets/javascripts/bundle." not in html
    ctx = browser.new_context(locale="zh-CN", java_script_enabled=False, viewport={"width": 375, "height": 812})
    page = ctx.new_page()
    page.goto(sample_server.url + site_pages["item"])
    heading = page.locator("#gz-content h1")
    assert heading.is_visible() and heading.bounding_box()["y"] < 812
    first = page.locator("#gz-content p").first
    assert first.is_visible() and len(first.inner_text().strip()) > 10
    assert page.evaluate("parseFloat(getComputedStyle(document.querySelector('#gz-content p')).fontSize)") >= 18
    # Tools that cannot work without scripts are not offered; the statement link still is.
    assert page.locator(".gz-toolbar button:visible").count() == 0
    assert page.locator(".gz-toolbar a.gz-tool--link").is_visible()
    ctx.close()


def html_classes(page):
    return page.evaluate("document.documentElement.className").split()


def test_toolbar_tools_work_from_the_keyboard(kb_page, sample_server, site_pages):
    page = kb_page
    item = sample_server.url + site_pages["item"]
    page.goto(item)
    body_size = lambda: page.evaluate("parseFloat(getComputedStyle(document.querySelector('.md-typeset')).fontSize)")
    base = body_size()

    # The skip link comes first and moves the focus to the article.
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent.trim()") == "跳到正文"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "gz-content"

    page.goto(item)
    tab_to(page, '[data-gz-action="zoom-in"]')
    for _ in range(6):  # past the maximum: stops at 200 %
        page.keyboard.press("Enter")
    assert body_size() == pytest.approx(base * 2, rel=0.02)
    assert "200%" in page.text_content(".gz-toolbar__status") or page.wait_for_function(
        "document.querySelector('.gz-toolbar__status').textContent.includes('200%')")
    tab_to(page, '[data-gz-action="zoom-out"]')
    page.keyboard.press("Enter")
    assert body_size() == pytest.approx(base * 1.8, rel=0.02)

    toggles = {"spacing": "gz-spacing", "elder": "gz-elder", "contrast": "gz-contrast", "cursor": "gz-cursor", "guide": "gz-guide",
               "caption": "gz-caption", "pointread": "gz-pointread", "plain": "gz-plain"}
    for name, cls in toggles.items():
        sel = f'[data-gz-toggle="{name}"]'
        tab_to(page, sel)
        assert pressed(page, sel) == "false"
        page.keyboard.press("Space" if name in ("contrast", "guide") else "Enter")
        assert pressed(page, sel) == "true", name
        assert cls in html_classes(page), name
        if name == "plain":
            continue
        if name == "spacing":  # 大字间距: at least WCAG 1.4.12's 0.12 em between letters
            spacing = page.evaluate("(() => { const cs = getComputedStyle(document.querySelector('.gz-body p'));"
                                    " return parseFloat(cs.letterSpacing) / parseFloat(cs.fontSize); })()")
            assert spacing >= 0.12, spacing
        if name == "elder":
            assert body_size() >= 24 * 1.8 - 0.1  # 24 px elder text, still scaled by 180 %
        if name == "contrast":
            assert page.evaluate("getComputedStyle(document.body).backgroundColor") == "rgb(0, 0, 0)"
        if name == "cursor":
            assert "cursor-arrow.svg" in page.evaluate("getComputedStyle(document.body).cursor")
        if name == "guide":
            assert page.is_visible(".gz-guide-line")
            # Pointing at a line of the text: the guide runs below that line and never covers it.
            page.evaluate("document.querySelector('.gz-body p').scrollIntoView({block: 'center'})")
            line = page.evaluate("""(() => { const p = document.querySelector('.gz-body p');
                const r = document.createRange(); r.setStart(p.firstChild, 0); r.setEnd(p.firstChild, 1);
                const b = r.getBoundingClientRect(); return {x: b.left + b.width / 2, y: b.top + b.height / 2, bottom: b.bottom}; })()""")
            page.mouse.move(line["x"], line["y"])
            guide = page.evaluate("""(() => { const g = document.querySelector('.gz-guide-line'), cs = getComputedStyle(g);
                const bg = cs.backgroundColor.match(/[\\d.]+/g).map(Number);
                return {top: g.getBoundingClientRect().top, line: parseFloat(cs.borderTopWidth),
                        alpha: bg.length > 3 ? bg[3] : 1}; })()""")
            assert guide["top"] >= line["bottom"] - 1, (guide, line)
            assert guide["line"] <= 4 and guide["alpha"] <= 0.2, guide

        if name == "caption":
            # The caption shows what has the focus, in very large type. The pointer (left on the text by
            # the guide's check) is moved off the page, or scrolling would hover it over the header.
            page.mouse.move(-5, -5)
            tab_to(page, '[data-gz-toggle="pointread"]')
            assert page.text_content(".gz-caption-bar") == "指读"
            assert page.evaluate("parseFloat(getComputedStyle(document.querySelector('.gz-caption-bar')).fontSize)") >= 40
        if name == "pointread":
            page.evaluate("window.__spoken = []")
            tab_to(page, '[data-gz-toggle="plain"]')
            spoken = [s for s in page.evaluate("window.__spoken") if "text" in s]
            assert spoken and spoken[-1] == {"text": "纯文本", "lang": "zh-CN"}
    # 纯文本: the article alone.
    assert not page.is_visible(".md-header") and not page.is_visible(".md-sidebar--primary")
    assert page.is_visible("#gz-content h1")

    # Kept from page to page, applied by the time the page is parsed.
    page.goto(sample_server.url + site_pages["issue"])
    assert {"gz-spacing", "gz-elder", "gz-contrast", "gz-plain", "gz-caption"} <= set(html_classes(page))
    assert pressed(page, '[data-gz-toggle="elder"]') == "true"
    assert page.evaluate("getComputedStyle(document.documentElement).getPropertyValue('--gz-zoom').trim()") == "1.8"

    # 重置 from the keyboard puts everything back.
    tab_to(page, '[data-gz-action="reset"]')
    page.keyboard.press("Enter")
    assert not {"gz-spacing", "gz-elder", "gz-contrast", "gz-plain", "gz-caption", "gz-cursor"} & set(html_classes(page))
    assert pressed(page, '[data-gz-toggle="elder"]') == "false"
    page.reload()
    assert "gz-elder" not in html_classes(page)
    assert body_size() == pytest.approx(base, rel=0.01)


def test_toolbar_folds_behind_one_button_on_a_phone(browser, sample_server, site_pages):
    ctx = browser.new_context(locale="zh-CN", viewport={"width": 320, "height": 640})
    page = ctx.new_page()
    try:
        page.goto(sample_server.url + site_pages["item"])
        more = ".gz-toolbar__more"
        assert page.is_visible(more) and not page.is_visible('[data-gz-toggle="elder"]')
        tab_to(page, more)
        page.keyboard.press("Enter")
        assert page.get_attribute(more, "aria-expanded") == "true"
        tab_to(page, '[data-gz-toggle="elder"]')
        page.keyboard.press("Enter")
        assert "gz-elder" in html_classes(page)
        box = page.locator('[data-gz-toggle="elder"]').bounding_box()
        assert box["width"] >= 60 and box["height"] >= 60
    finally:
        ctx.close()


def test_reading_aloud_speaks_the_article_in_order_and_stops(kb_page, sample_server, site_pages):
    page = kb_page
    page.goto(sample_server.url + site_pages["item"])
    paragraphs = page.evaluate(
        "[...document.querySelectorAll('.gz-body p')].map(p => p.innerText.replace(/\\s+/g, ' ').trim()).filter(Boolean)")
    assert len(paragraphs) >= 2
    title = page.text_content("#gz-content h1").strip()

    tab_to(page, '[data-gz-action="read"]')
    page.keyboard.press("Enter")
    assert pressed(page, '[data-gz-action="read"]') == "true"
    spoken = page.evaluate("window.__spoken")
    texts = [s["text"] for s in spoken if "text" in s]
    assert all(s["lang"] == "zh-CN" for s in spoken if "text" in s)
    assert texts[0] == title
    position = 0
    for p in paragraphs:  # every paragraph of the body, each after the one before it
        assert p in texts[position:], f"not read, or out of order: {p}"
        position = texts.index(p, position) + 1
    assert not any("跳到正文" in t or "放大" == t for t in texts), "the toolbar is not part of the article"

    # Pressing it again stops: the queue is cancelled and nothing more is spoken.
    page.keyboard.press("Enter")
    after = page.evaluate("window.__spoken")
    assert after[-1] == {"cancel": True}
    assert pressed(page, '[data-gz-action="read"]') == "false"

    # Escape stops too.
    page.keyboard.press("Enter")
    page.keyboard.press("Escape")
    assert page.evaluate("window.__spoken")[-1] == {"cancel": True}
    assert pressed(page, '[data-gz-action="read"]') == "false"


def test_reading_aloud_without_a_chinese_voice_says_so(kb_page, sample_server, site_pages):
    page = kb_page
    page.goto(sample_server.url + site_pages["item"])
    page.evaluate("window.__voices = [{name: 'English', lang: 'en-US', voiceURI: 'en', localService: true, default: true}]")
    tab_to(page, '[data-gz-action="read"]')
    page.keyboard.press("Enter")
    page.wait_for_function("document.querySelector('.gz-toolbar__status').textContent.includes('中文语音')")
    assert pressed(page, '[data-gz-action="read"]') == "false"
    assert not [s for s in page.evaluate("window.__spoken") if "text" in s], "nothing is queued for a voice that cannot read it"


# -- phones: the header, the drawer, the breadcrumb; the current section everywhere ----------------

def test_phone_header_drawer_and_search_from_the_keyboard(browser, sample_server, site_pages):
    ctx = browser.new_context(locale="zh-CN", viewport={"width": 375, "height": 812})
    page = ctx.new_page()
    focused = """(() => { const e = document.activeElement, r = e.getBoundingClientRect();
        return {text: (e.innerText || e.getAttribute('aria-label') || '').trim().slice(0, 20), left: r.left, right: r.right,
                visible: getComputedStyle(e).visibility !== 'hidden', drawer: !!e.closest('.md-sidebar--primary'),
                content: !!e.closest('#gz-content')}; })()"""
    try:
        page.goto(sample_server.url + site_pages["item"])
        # Every stop of Tab is on screen, until the article; the ☰ button is one of them.
        seen = []
        for _ in range(30):
            page.keyboard.press("Tab")
            f = page.evaluate(focused)
            assert f["right"] > 0 and f["left"] < 375 and f["visible"] and not f["drawer"], f"focus off screen: {f} after {seen}"
            seen.append(f["text"])
            if f["content"]:
                break
        assert "导航菜单" in seen, seen
        # ☰ from the keyboard opens the drawer and moves the focus into it; Escape closes it.
        tab_to(page, ".gz-drawer-button")
        page.keyboard.press("Enter")
        assert page.get_attribute(".gz-drawer-button", "aria-expanded") == "true"
        f = page.evaluate(focused)
        assert f["drawer"] and f["left"] >= 0 and f["visible"], f
        page.keyboard.press("Escape")
        assert page.get_attribute(".gz-drawer-button", "aria-expanded") == "false"
        assert page.evaluate("document.activeElement.classList.contains('gz-drawer-button')")
        # 搜索 in the header opens the search page ready to type in.
        page.click(".gz-searchbox__button")
        page.wait_for_url("**/search/**")
        page.wait_for_function("document.activeElement && document.activeElement.id === 'gz-search-q'")
        # 长者 mode at 200 %: the header wraps by rows, never a character a line.
        page.goto(sample_server.url + site_pages["item"] + "?mode=elder")
        page.evaluate("localStorage.setItem('gz-a11y', JSON.stringify({elder: true, zoom: 2}))")
        page.reload()
        frame = page.evaluate(MEASURE_CHROME)
        for line in frame["lines"]:
            assert min(line["rows"]) >= 2, line
        # The breadcrumb stops at the parent: the title is the heading just below, not repeated.
        title = page.text_content("#gz-content h1").strip()
        shown = page.evaluate("[...document.querySelectorAll('.gz-breadcrumb li')]"
                              ".filter(li => li.getBoundingClientRect().width > 1).map(li => li.innerText)")
        assert shown and not [c for c in shown if title in c], shown
        page.screenshot(path=str(SHOTS / "item-elder-375px-200pct.png"))
    finally:
        ctx.close()


def test_current_section_tab_and_no_empty_sidebar(page, sample_server, site_pages):
    page.set_viewport_size({"width": 1280, "height": 900})
    for name in ("year", "issue", "item", "column", "index", "archive"):
        page.goto(sample_server.url + site_pages[name])
        crumbs = page.locator(".gz-breadcrumb li").all_inner_texts()
        active = [t.strip() for t in page.locator(".md-tabs__item--active").all_inner_texts()]
        section = crumbs[1].strip(" ›\n") if len(crumbs) > 1 else None
        assert active == [section], f"{name}: active tabs {active}, section {section}"
        # The side menu is shown only with something in it; otherwise the text is centred.
        links = page.evaluate("[...document.querySelectorAll('.md-sidebar--primary a')].filter(a => a.offsetParent && a.getBoundingClientRect().width > 0).length")
        box = page.locator("#gz-content").bounding_box()
        assert links or box["x"] > 1280 * 0.1 and abs((box["x"] + box["width"] / 2) - 640) < 1280 * 0.2, (name, links, box)


# -- kiosk mode -------------------------------------------------------------------------------

def test_kiosk_from_the_url_returns_home_when_idle(browser, sample_server, site_pages):
    ctx = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
    page = ctx.new_page()
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    try:
        page.goto(sample_server.url + "?kiosk=1")
        page.goto(sample_server.url + site_pages["item"])  # kept for the session
        assert "gz-kiosk" in html_classes(page)
        assert not run_axe(page), run_axe(page)
        for label in ("首页", "返回", "打印"):
            btn = page.locator(".gz-kiosk-bar").get_by_text(label, exact=True)
            assert btn.is_visible()
            box = btn.bounding_box()
            assert box["width"] >= 60 and box["height"] >= 60

        # A link leaving the site is not followed; a note says why.
        page.evaluate("""() => { const a = document.createElement('a'); a.href = 'https://www.example.org/x';
                         a.textContent = '外部网站'; a.id = 'ext'; document.getElementById('gz-content').append(a); }""")
        page.click("#ext")
        assert page.is_visible(".gz-kiosk-note")
        assert "www.example.org" in page.text_content(".gz-kiosk-note")
        assert page.url.startswith(sample_server.url)
        page.keyboard.press("Enter")  # the note's button has the focus
        assert not page.is_visible(".gz-kiosk-note")

        # A mode switched on by the last visitor (a short idle time for the test) ...
        page.goto(sample_server.url + site_pages["item"] + "?kiosk=1&kiosk_idle=2")
        tab_to(page, '[data-gz-toggle="elder"]')
        page.keyboard.press("Enter")
        assert "gz-elder" in html_classes(page)
        # ... is gone when the idle kiosk goes back to the home page.
        page.wait_for_url(sample_server.url, timeout=6000)
        assert "gz-elder" not in html_classes(page)
        assert "gz-kiosk" in html_classes(page)
        assert not [u for u in requests if "example.org" in u]
    finally:
        ctx.close()


def test_kiosk_from_the_config_and_idle_time(browser, tmp_path):
    from conftest import make_project

    config = """\
site_name: 自助查询测试
site_url: https://gk.example.gov.cn/
theme:
  name: material
  language: zh
plugins:
  - gazette:
      kiosk: true
      kiosk_idle_seconds: 1
"""
    project = make_project(tmp_path, {"about.md": "# 关于\n\n说明。\n"}, config)
    result = run_mkdocs(project)
    assert result.ok, result.output
    html = (result.site / "about" / "index.html").read_text(encoding="utf-8")
    assert 'data-gz-kiosk="true"' in html and 'data-gz-idle="1"' in html
    server, stop = serve(result.site)
    ctx = browser.new_context(locale="zh-CN")
    try:
        page = ctx.new_page()
        page.goto(server.url + "about/")
        assert "gz-kiosk" in html_classes(page)
        assert page.text_content("[data-gz-idle-text]") == "1"
        page.wait_for_url(server.url, timeout=4000)
    finally:
        ctx.close()
        stop()


# -- printing, the 404 page, the statement ------------------------------------------------------

def test_print_shows_the_article_in_large_type_with_its_full_url(page, sample_server, site_pages):
    page.goto(sample_server.url + site_pages["item"])
    page.emulate_media(media="print")
    for hidden in (".gz-toolbar", ".md-header", ".md-sidebar--primary", ".gz-breadcrumb", ".md-footer"):
        assert not page.is_visible(hidden), hidden
    url = page.text_content(".gz-print-url [data-gz-url]")
    assert re.fullmatch(r"https://gk\.jianglin\.example\.gov\.cn/" + re.escape(site_pages["item"]), url)
    assert page.is_visible(".gz-print-url")
    size = page.evaluate("parseFloat(getComputedStyle(document.querySelector('.gz-body p')).fontSize)")
    assert size >= 16  # 12 pt (print.css fits a one-page notice on one A4 sheet)
    # Printed black on white even when the screen is in high contrast (white on black).
    page.goto(sample_server.url + site_pages["item"] + "?contrast=high")
    assert "gz-contrast" in html_classes(page)
    colours = page.evaluate("""() => [...document.querySelectorAll('#gz-content h1, #gz-content th, .gz-body p')]
        .map(e => [getComputedStyle(e).color, getComputedStyle(e).backgroundColor])""")
    assert all(c == "rgb(0, 0, 0)" and b in ("rgba(0, 0, 0, 0)", "rgb(255, 255, 255)") for c, b in colours), colours
    pdf = page.pdf(format="A4")
    assert pdf.startswith(b"%PDF")


def test_404_page_is_in_chinese_with_ways_on(page, sample_server):
    page.goto(sample_server.url + "404.html")
    assert page.title().startswith("页面未找到")
    assert page.text_content("#gz-content h1").strip() == "页面未找到"
    links = page.locator("#gz-content a")
    assert "返回首页" in links.all_text_contents()
    page.click("text=返回首页")
    page.wait_for_url(sample_server.url)


def test_accessibility_statement_is_linked_from_every_page(page, sample_server, site_pages):
    for path in (site_pages["home"], site_pages["item"], site_pages["404"]):
        page.goto(sample_server.url + path)
        link = page.locator(".gz-toolbar a", has_text="无障碍声明")
        assert link.count() == 1, path
    link.click()
    assert page.text_content("#gz-content h1").strip() == "无障碍声明"
    assert "问题" in page.text_content("#gz-content")


# -- 简/繁 -------------------------------------------------------------------------------------

HANT_ASSETS = "assets/gazette/hant/"
# When the head script marks the page as 繁 (the body hidden), and when the body is shown again, in 繁
# (a MutationObserver's record comes after the script that converted the page has finished).
SHOWN_IN_HANT = """(() => {
  const t = window.__gzShown = {};
  new MutationObserver(() => {
    const root = document.documentElement;
    if (!root) return;
    if (t.start === undefined && root.classList.contains("gz-hant")) t.start = performance.now();
    if (t.start !== undefined && t.shown === undefined && !root.classList.contains("gz-hant-wait")) {
      t.shown = performance.now();
      t.lang = root.lang;
      t.title = document.title;
      t.h1 = (document.querySelector("#gz-content h1") || {}).textContent;
    }
  }).observe(document, { attributes: true, subtree: true, attributeFilter: ["class"] });
})();"""


def test_script_switch_converts_on_demand_and_restores_exactly(kb_page, sample_server, sample_site):
    """The longest item page: nothing of the converter is fetched until 繁體 is pressed; then the text
    is in traditional characters, phrase by phrase, in ≤ 100 ms, 文号 and addresses as written; the
    choice follows to the next page (and to the notice-board sheet); 简 gives back the page as it was."""
    page = kb_page
    longest = max(sample_site.glob("gazette/*/*/*/index.html"), key=lambda p: p.stat().st_size)
    item = sample_server.url + longest.parent.relative_to(sample_site).as_posix() + "/"
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    page.goto(item)
    page.wait_for_load_state("networkidle")
    assert not [u for u in requests if HANT_ASSETS in u], "conversion data loaded before it was asked for"
    original = page.evaluate("document.body.innerHTML")
    text = page.inner_text("#gz-content")
    docnos = re.findall(r"[\u4e00-\u9fff]{2,6}〔\d{4}〕\d+号", page.text_content(".gz-docno") + text)
    assert docnos and "规范集体" in text  # the page's own 文号, and a phrase a character table gets wrong

    sel = '[data-gz-action="script"]'
    tab_to(page, sel)
    assert pressed(page, sel) == "false"
    page.keyboard.press("Enter")
    page.wait_for_function("document.documentElement.lang === 'zh-Hant'")
    assert pressed(page, sel) == "true"
    page.wait_for_function("document.querySelector('.gz-toolbar__status').textContent === '已切換為繁體'")
    hant = page.inner_text("#gz-content")
    # 规范 is one word (規範); 范集 (a name) must not take its 范.
    assert "規範集體" in hant and "规" not in hant, hant[:300]
    assert page.title().startswith("江臨市"), page.title()
    assert page.text_content(".gz-docno") in docnos, "the 文号 in the metadata table is written as issued"
    for docno in docnos:
        assert docno in hant, f"{docno} changed in the text"
    assert "發佈機構" in hant and page.get_attribute(".gz-toolbar", "aria-label") == "無障礙工具條"
    assert page.text_content(".gz-print-url [data-gz-url]").startswith("https://")
    # No request left the site: the three files of the converter, from its own assets.
    hant_requests = sorted(u.removeprefix(sample_server.url) for u in requests if HANT_ASSETS in u)
    assert hant_requests == [HANT_ASSETS + f for f in ("hant.js", "s2t-data.js", "s2t.js")], hant_requests
    assert all(u.startswith(sample_server.url) or u.startswith("data:") for u in requests)

    # The conversion itself, data loaded: the best of five, each from the original text.
    times = page.evaluate("""() => [0, 1, 2, 3, 4].map(() => { gzScript.toHans(); const t = performance.now();
        gzScript.toHant(); return performance.now() - t; })""")
    print(f"\n简→繁 on {item}: {min(times):.1f} ms best, {max(times):.1f} ms worst of {len(times)}")
    assert min(times) <= 100, times

    # A person's surname stays as written where OpenCC would take it for a word (範, 於, 餘); the
    # same characters in words still convert.
    page.evaluate("""() => { const p = document.createElement('p'); p.id = 'gz-names';
        p.textContent = '任命范晓明为市财政局局长，免去于洪涛的职务。联系人：余丽 电话。余建国同志于是于2024年完成其余工作。';
        document.getElementById('gz-content').append(p); }""")
    page.wait_for_function("document.getElementById('gz-names').textContent.includes('財政')")
    assert page.text_content("#gz-names") == "任命范曉明爲市財政局局長，免去于洪濤的職務。聯繫人：余麗 電話。余建國同志於是於2024年完成其餘工作。"
    page.evaluate("document.getElementById('gz-names').remove()")

    # What scripts write later (a message) follows the page.
    tab_to(page, '[data-gz-action="zoom-in"]')
    page.keyboard.press("Enter")
    page.wait_for_function("document.querySelector('.gz-toolbar__status').textContent.includes('文字大小')")

    # Next page: already in 繁 when shown, and soon (the converter's data from the HTTP cache): from
    # the head script that hides the body to the body shown in 繁, the best of five loads. 34–56 ms on
    # the developer's machine (2 cores shared with other work), 126–266 ms when opencc-js built its
    # trie of every phrase on each page. The sheet for the notice board prints in 繁 too.
    issue = item.rsplit("/", 2)[0] + "/"
    page.context.add_init_script(SHOWN_IN_HANT)
    shown = []
    for _ in range(5):
        page.goto(issue)
        assert "gz-hant" in html_classes(page) and pressed(page, sel) == "true"
        page.wait_for_function("document.documentElement.lang === 'zh-Hant'")
        assert "gz-hant-wait" not in html_classes(page)
        t = page.evaluate("window.__gzShown")
        assert t["lang"] == "zh-Hant" and all("臨" in x and "临" not in x for x in (t["title"], t["h1"])), t  # in 繁 when shown
        shown.append(t["shown"] - t["start"])
    print(f"\n繁 on the next page ({issue}): shown in 繁 {min(shown):.0f} ms after the head script, best of "
          + ", ".join(f"{x:.0f}" for x in shown))
    # The figure is printed, not asserted tightly (a loaded CI machine varies several-fold); the
    # bound catches the body waiting for the 3-second fallback.
    assert min(shown) < 1000, shown
    sheet = page.get_attribute("a[href$='print.html']", "href")
    page.goto(issue + sheet)
    page.wait_for_function("document.documentElement.lang === 'zh-Hant'")
    page.emulate_media(media="print")
    assert "掃碼查看全文" in page.inner_text("body")
    page.emulate_media(media="screen")

    # Back to 简 on the item page: the page exactly as it came, and the choice forgotten.
    page.goto(item)
    page.wait_for_function("document.documentElement.lang === 'zh-Hant'")
    tab_to(page, sel)
    page.keyboard.press("Enter")
    page.wait_for_function("document.querySelector('.gz-toolbar__status').textContent === '已切换为简体'")
    assert pressed(page, sel) == "false" and page.evaluate("document.documentElement.lang") == "zh-CN"
    page.evaluate("document.querySelector('.gz-toolbar__status').textContent = ''")
    assert page.evaluate("document.body.innerHTML") == original
    page.reload()
    assert "gz-hant" not in html_classes(page)

    # A kiosk is set up with ?script=hant, and ?script=hans undoes it.
    page.goto(item + "?script=hant")
    page.wait_for_function("document.documentElement.lang === 'zh-Hant'")
    page.goto(issue)
    page.wait_for_function("document.documentElement.lang === 'zh-Hant'")
    page.goto(issue + "?script=hans")
    assert "gz-hant" not in html_classes(page) and page.evaluate("document.documentElement.lang") == "zh-CN"
