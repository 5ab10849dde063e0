"""Material's navigation, tabs and footer, rendered once per folder depth for pages outside the nav.

Material renders the whole navigation into every page. For a page that is not
in the nav (every item of a gazette, every generated list) nothing in it is
active, and its links are relative to the page's folder depth only, so the
output is the same for every such page at the same depth. Rendering it once
per depth instead of 50,000 times saves about a fifth of the template time.
Pages in the nav (whose own entry is highlighted, with previous/next links)
are rendered as usual.

Some of Material's blocks depend on nothing but the configuration and the page's
depth: its style sheets, analytics, scripts and the `config` JSON its script reads
(base address, features, translations). They are rendered once per depth for every
page (together 5% of a worker's time on 2,000 items).

Measured on the bench's 2,000 items: about 2.3 s less processor time per build
(perf stat task-clock, 19.9 and 21.0 s with these caches against 22.2 and 23.3 s
without), about a tenth of the build's processor time.
"""

from __future__ import annotations

import os

import jinja2
from mkdocs.utils import get_relative_url

CACHED_PARTIALS = ("partials/nav.html", "partials/tabs.html", "partials/footer.html")
# Blocks of Material's base.html whose output depends on the configuration and the page's depth only.
CACHED_BLOCKS = tuple(("base.html", block) for block in ("styles", "analytics", "config", "scripts"))


def install(env: jinja2.Environment, nav) -> None:
    import material

    # Only Material's own partials: a site's override of one may well show the page's title.
    material_dir = os.path.dirname(material.__file__)
    in_nav = {id(p) for p in getattr(nav, "pages", ())}

    targets = sorted(set(_urls(getattr(nav, "items", ()))) | ({nav.homepage.url} if getattr(nav, "homepage", None) else set()))

    def key(context) -> tuple | None:
        page = context.get("page")
        if page is None or id(page) in in_nav or getattr(page, "parent", None) is not None:
            return None
        if getattr(page, "previous_page", None) is not None or getattr(page, "next_page", None) is not None:
            return None
        # Links are relative to the page: the same depth and the same relative link to every
        # target of the nav give the same output (browse/a/ reaches browse/ as ../, gazette/x/ as ../../browse/).
        return (context.get("base_url"), tuple(get_relative_url(t, page.url) for t in targets))

    for name in CACHED_PARTIALS:
        try:
            template = env.get_template(name)
        except jinja2.TemplateNotFound:
            continue  # another theme
        if getattr(template, "_gazette_cached", False) or not (template.filename or "").startswith(material_dir):
            continue
        template.root_render_func = _cached(template.root_render_func, key)
        template._gazette_cached = True

    for name, block in CACHED_BLOCKS:
        try:
            template = env.get_template(name)
        except jinja2.TemplateNotFound:
            continue
        if not (template.filename or "").startswith(material_dir) or block not in template.blocks:
            continue
        render = template.blocks[block]
        if not getattr(render, "_gazette_cached", False):
            cached = _cached(render, lambda context: (context.get("base_url"),))
            cached._gazette_cached = True
            template.blocks[block] = cached


def _cached(render, key):
    outputs: dict[str, str] = {}

    def root_render_func(context):
        k = key(context)
        if k is None:
            yield from render(context)
            return
        out = outputs.get(k)
        if out is None:
            out = outputs[k] = "".join(render(context))
        yield out

    return root_render_func


def _urls(items):
    for item in items:
        children = getattr(item, "children", None)
        if children:
            yield from _urls(children)
        url = getattr(item, "url", None)
        if isinstance(url, str):
            yield url
