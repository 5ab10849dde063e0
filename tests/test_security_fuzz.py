"""Security fuzzing in the browser: whatever hostile text reaches a page, nothing runs in Chromium.

Bodies are drawn from an alphabet of HTML, entity, URL and Markdown fragments that
attacks are made of; each is rendered by Python-Markdown as the build does, passed
through the sanitizer the build publishes, and opened in Chromium: no dialog opens,
no script of the page's own runs, no request leaves the origin and no element keeps an
event handler or a script URL. Front-matter values drawn from the same alphabet go
through a real build and its autoescaped templates.
"""

from __future__ import annotations

import itertools
import json
import shutil
import textwrap

import markdown
import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from conftest import make_project, run_mkdocs, serve
from gazette.safety.bodycheck import prepare_markdown
from gazette.safety.sanitize import LinkPolicy, Sanitizer

FRAGMENTS = [
    "<script>alert(1)</script>", '<script a"b>alert(1)</script>', "<img src=x onerror=alert(1)>", "<svg/onload=alert(1)>",
    '<noscript><p title="</noscript><img src=x onerror=alert(1)>"></noscript>', "<iframe src=//evil.example.com></iframe>",
    "<base href=//evil.example.com/>", '<meta http-equiv="refresh" content="0;url=//evil.example.com/">',
    '<link rel="stylesheet" href="//evil.example.com/x.css">', "<img src=//evil.example.com/x.png>", "<object data=x.swf>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>", "<template><img src=x onerror=alert(1)></template>",
    "<style>*{background:url(//evil.example.com/)}</style>", '<a href="javascript:alert(1)">x</a>',
    '<div style="background:url(//evil.example.com/)">x</div>', "<details open ontoggle=alert(1)>", "<form action=//evil.example.com>",
    "[x](jav&#x61;script:alert(1))", "[x](javascript&colon;alert(1))", "[x](https:/evil.example.com/)", "[x](/\\evil.example.com/)",
    "[x](\\\\evil.example.com/)", "![i](//evil.example.com/p.png)", "[x][r]", "\n[r]: jav&#x61;script:alert(1)\n", "\n[r]:\n    javascript:alert(1)\n",
    "<", ">", '"', "'", "&", "&#x3C;", "&lt;", "&#60;script&#62;", "javascript:", "on", "error=", "alert(1)", " ", "\n", "\n\n",
    "- ", "> ", "    ", "`", "```\n", "*", "**", "_", "{: onclick=alert(1) }", '{ style="display:none" }', "<!--", "-->",
    "<b>", "</b>", "<p>", "</p>", "<a href=", "x", "公告", "https://www.gov.cn/", "/", "#", "?", "=",
]

body = st.lists(st.sampled_from(FRAGMENTS), min_size=1, max_size=25).map("".join)

PROBE = """
window.__ran = [];
for (const n of ["alert", "confirm", "prompt", "print"]) { window[n] = function () { window.__ran.push(n); }; }
"""


@pytest.fixture(scope="module")
def harness(tmp_path_factory, browser):
    root = tmp_path_factory.mktemp("fuzz")
    server, stop = serve(root)
    context = browser.new_context()
    page = context.new_page()
    requests: list[str] = []
    dialogs: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.add_init_script(PROBE)
    yield root, server, page, requests, dialogs
    context.close()
    stop()


def _md():
    extensions, configs = prepare_markdown(["toc", "tables", "fenced_code", "attr_list", "footnotes", "admonition"], {})
    return markdown.Markdown(extensions=extensions, extension_configs=configs)


MD = _md()
SANITIZER = Sanitizer(LinkPolicy("http://127.0.0.1/", []))


BODY_STATE = """() => {
    const bad = [];
    for (const el of document.querySelectorAll("*")) {
        for (const a of el.attributes) {
            if (/^on/i.test(a.name) || a.name === "style") bad.push(el.tagName + " " + a.name);
            if (["href", "src", "action", "formaction", "data", "poster"].includes(a.name)) {
                const u = new URL(a.value, location.href);
                if (!["http:", "https:", "mailto:", "tel:"].includes(u.protocol)) bad.push(el.tagName + " " + u.protocol);
            }
        }
        if (["SCRIPT", "IFRAME", "OBJECT", "EMBED", "BASE", "META", "LINK", "STYLE", "FORM", "TEMPLATE", "svg", "math"].includes(el.tagName)
            && !document.head.contains(el)) bad.push(el.tagName);
    }
    return {bad, ran: window.__ran};
}"""


_COUNTER = itertools.count()


def _open(harness, html: str) -> dict:
    root, server, page, requests, dialogs = harness
    name = f"fuzz-{next(_COUNTER)}.html"  # a new address each time: never a cached page
    (root / name).write_text(f"<!doctype html><meta charset=utf-8><title>t</title><body>{html}</body>", encoding="utf-8")
    requests.clear()
    dialogs.clear()
    page.goto(server.url + name)
    page.wait_for_load_state("load")
    state = page.evaluate(BODY_STATE)
    state["foreign"] = [u for u in requests if not u.startswith(server.url)]
    return state


def test_the_probe_sees_what_the_sanitizer_must_stop(harness):
    # The harness itself can fail: unsanitized, the same fragments run and reach out.
    state = _open(harness, '<img src=x onerror=alert(1)><img src="//evil.example.com/p.png"><a href="javascript:x">x</a>')
    assert state["ran"] == ["alert"] and "IMG onerror" in state["bad"] and "A javascript:" in state["bad"]
    assert state["foreign"] and "evil.example.com" in state["foreign"][0]


@settings(max_examples=int(__import__("os").environ.get("GAZETTE_FUZZ_EXAMPLES", "100")), deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(source=body)
def test_sanitized_bodies_are_inert_in_chromium(harness, source):
    MD.reset()
    clean, _findings, _links = SANITIZER.check(MD.convert(source), "fuzz/")
    state = _open(harness, str(clean))
    assert state == {"bad": [], "ran": [], "foreign": []}, (source, str(clean))
    assert harness[4] == []  # no dialog


FIELD_VALUES = st.lists(st.sampled_from(FRAGMENTS[:20] + ['"><svg/onload=alert(6)>', "标题<img src=x onerror=alert(1)>", "'\"><script>alert(2)</script>"]),
                        min_size=1, max_size=4).map(lambda parts: "".join(parts).replace("\n", " "))


@settings(max_examples=int(__import__("os").environ.get("GAZETTE_FUZZ_BUILDS", "3")), deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(values=st.lists(FIELD_VALUES, min_size=9, max_size=9))
def test_front_matter_values_never_run_in_a_built_site(tmp_path_factory, browser, values):
    title, summary, issuer, index_no, subject, genre, channel, attachment, issue_title = values
    item = textwrap.dedent(f"""\
        ---
        title: {json.dumps(title, ensure_ascii=False)}
        summary: {json.dumps(summary, ensure_ascii=False)}
        issuer: {json.dumps(issuer, ensure_ascii=False)}
        index_no: {json.dumps(index_no, ensure_ascii=False)}
        subject: {json.dumps(subject, ensure_ascii=False)}
        genre: {json.dumps(genre[:20], ensure_ascii=False)}
        description: {json.dumps(summary, ensure_ascii=False)}
        published: 2025-06-12
        column: 市政府文件
        consultation: {{opens: 2025-06-01, closes: 2025-07-01, channels: [{json.dumps(channel, ensure_ascii=False)}]}}
        attachments: [{{title: {json.dumps(attachment, ensure_ascii=False)}, file: a.pdf}}]
        ---

        正文。
        """)
    tmp = tmp_path_factory.mktemp("fm")
    project = make_project(tmp, {
        "gazette/2025/06/index.md": f"---\npublished: 2025-06-30\ntitle: {json.dumps(issue_title, ensure_ascii=False)}\n---\n",
        "gazette/2025/06/x.md": item, "gazette/2025/06/y.md": item.replace("正文。", "另一篇。"),
        "gazette/2025/06/a.pdf": b"%PDF-1.4\n",
    })
    result = run_mkdocs(project)
    if not result.ok:  # refused (spam or personal data in the draw): a message, never a traceback
        assert "Traceback" not in result.output and "错误" in result.output, result.output[-3000:]
        return
    server, stop = serve(result.site)
    context = browser.new_context()
    try:
        page = context.new_page()
        requests, dialogs = [], []
        page.on("request", lambda r: requests.append(r.url))
        page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        page.add_init_script(PROBE)
        for path in ("gazette/2025/06/x/", "gazette/2025/06/", "gazette/", "gazette/2025/", "browse/issuer/", "search/",
                     "disclosure/consultation/"):
            page.goto(server.url + path)
            page.wait_for_load_state("load")
            ran = page.evaluate("""() => {
                const bad = [];
                for (const el of document.querySelectorAll("*")) for (const a of el.attributes)
                    if (/^on/i.test(a.name)) bad.push(el.tagName + " " + a.name);
                return {bad, ran: window.__ran};
            }""")
            assert ran == {"bad": [], "ran": []}, (path, values)
        assert dialogs == []
        assert [u for u in requests if not u.startswith(server.url)] == []
    finally:
        context.close()
        stop()
        shutil.rmtree(tmp, ignore_errors=True)
