"""Every name of MkDocs that is not its documented plugin API, in one place.

The item page workers (workers.py, `ItemWorkers._render_share`) follow MkDocs 1.6's per-page steps
(`mkdocs.commands.build._populate_page` and `_build_page`) with public calls: plugin
events through `config.plugins`, `Page.read_source`, `Page.render`, `env.get_template`,
`utils.write_file`. What they cannot do with public names is here:

- `get_context`: the template context MkDocs gives a page (mkdocs.commands.build; not
  underscored but not in the documented API);
- `current_page`: MkDocs sets `config._current_page` while it reads and builds a page
  (the `!relative` YAML tag of Markdown extension settings reads it);
- `page_class`: Page.render with one Markdown converter per process instead of one per
  page, using Page.render's private tree processors. A new converter with the bench
  site's three extensions costs 0.27 ms of processor time, reset() 0.002 ms: 13.5 s of
  processor time at 50,000 pages, more with a site's pymdownx extensions.

tests/test_mkdocs_internals.py fails, naming the MkDocs version and the name, when one of
these changes; `problems()` is what it checks.
"""

from __future__ import annotations

import contextlib
import inspect
import logging

import mkdocs
from mkdocs.commands import build as _build
from mkdocs.structure import pages as _pages

# name → the parameters MkDocs 1.6 gives it (None: only that it exists)
EXPECTED = {
    "mkdocs.commands.build.get_context": ["nav", "files", "config", "page", "base_url"],
    "mkdocs.config.defaults.MkDocsConfig._current_page": None,
    "mkdocs.structure.pages.Page.render": ["self", "config", "files"],
    "mkdocs.structure.pages._RawHTMLPreprocessor": None,
    "mkdocs.structure.pages._ExtractAnchorsTreeprocessor": ["self", "file", "files", "config"],
    "mkdocs.structure.pages._RelativePathTreeprocessor": ["self", "file", "files", "config"],
    "mkdocs.structure.pages._ExtractTitleTreeprocessor": None,
    "mkdocs.structure.pages.get_toc": ["toc_tokens"],
}


def _resolve(dotted: str):
    import importlib

    parts = dotted.split(".")
    for i in range(len(parts), 0, -1):
        try:
            obj = importlib.import_module(".".join(parts[:i]))
        except ImportError:
            continue
        for name in parts[i:]:
            if name == "_current_page" and isinstance(obj, type):  # a declared attribute
                if name not in getattr(obj, "__annotations__", {}) and not hasattr(obj, name):
                    raise AttributeError(name)
                return None
            obj = getattr(obj, name)
        return obj
    raise ImportError(dotted)


# page_class copies Page.render: any change to it (MkDocs 1.6.1's is this digest) needs the copy redone.
RENDER_SOURCE_SHA256 = "320529348f7a8af1"


def _render_digest() -> str:
    import hashlib

    return hashlib.sha256(inspect.getsource(_pages.Page.render).encode()).hexdigest()[:16]


def problems() -> list[str]:
    """What in EXPECTED this MkDocs no longer has as expected (empty when all is as in 1.6)."""
    found = []
    try:
        if _render_digest() != RENDER_SOURCE_SHA256:
            found.append(f"MkDocs {mkdocs.__version__}: mkdocs.structure.pages.Page.render changed "
                         f"(source digest {_render_digest()}, copied from {RENDER_SOURCE_SHA256}); redo page_class")
    except (OSError, TypeError):
        found.append(f"MkDocs {mkdocs.__version__}: the source of mkdocs.structure.pages.Page.render cannot be read")
    for dotted, params in EXPECTED.items():
        try:
            obj = _resolve(dotted)
        except (ImportError, AttributeError):
            found.append(f"MkDocs {mkdocs.__version__}: {dotted} is missing")
            continue
        if params is not None:
            target = obj.__init__ if isinstance(obj, type) else obj
            have = list(inspect.signature(target).parameters)
            if have != params:
                found.append(f"MkDocs {mkdocs.__version__}: {dotted} takes {have}, expected {params}")
    return found


get_context = _build.get_context


@contextlib.contextmanager
def current_page(config, page):
    config._current_page = page
    try:
        yield
    finally:
        config._current_page = None


def page_class():
    """The Page class the workers use: MkDocs' own, with one Markdown converter per process.

    Python-Markdown supports reusing a converter after reset(). The rest is Page.render as
    MkDocs 1.6 writes it, with its own tree processors; if they are not there (another
    MkDocs), MkDocs' Page is used as it is.
    """
    import markdown

    try:
        raw_html, anchors = _pages._RawHTMLPreprocessor, _pages._ExtractAnchorsTreeprocessor
        relative, title, get_toc = _pages._RelativePathTreeprocessor, _pages._ExtractTitleTreeprocessor, _pages.get_toc
    except AttributeError:
        return _pages.Page

    class ReusingPage(_pages.Page):
        converter = None

        def render(self, config, files) -> None:
            if self.markdown is None:
                raise RuntimeError("`markdown` field hasn't been set (via `read_source`)")
            md = ReusingPage.converter
            if md is None:
                md = ReusingPage.converter = markdown.Markdown(
                    extensions=config["markdown_extensions"], extension_configs=config["mdx_configs"] or {})
            else:
                md.reset()
            raw_html_ext = raw_html()
            raw_html_ext._register(md)
            extract_anchors_ext = anchors(self.file, files, config)
            extract_anchors_ext._register(md)
            relative_path_ext = relative(self.file, files, config)
            relative_path_ext._register(md)
            extract_title_ext = title()
            extract_title_ext._register(md)
            self.content = md.convert(self.markdown)
            self.toc = get_toc(getattr(md, "toc_tokens", []))
            self._title_from_render = extract_title_ext.title
            self.present_anchor_ids = extract_anchors_ext.present_anchor_ids | raw_html_ext.present_anchor_ids
            if _pages.log.getEffectiveLevel() > logging.DEBUG:
                self.links_to_anchors = relative_path_ext.links_to_anchors

    return ReusingPage
