"""Every name of MkDocs that is not its documented plugin API, in one place.

The item page workers (build/workers.py) follow MkDocs 1.6's per-page steps with public calls
where they can. What they cannot do with public names is here:

- `get_context`: the template context MkDocs gives a page (not underscored, not documented);
- `current_page`: sets `config._current_page` as MkDocs does while it reads and builds a page
  (the `!relative` YAML tag of Markdown extension settings reads it);
- `page_class`: Page.render with one Markdown converter per process instead of one per page
  (making a converter costs far more than resetting one), using Page.render's private
  tree processors.

tests/test_mkdocs_internals.py checks `problems()`, which names the MkDocs version and the
name when one of these changes.
"""

from __future__ import annotations

import contextlib
import hashlib
import inspect
import logging
import pkgutil

import markdown
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

# page_class copies Page.render: any change to it (MkDocs 1.6.1's is this digest) needs the copy redone.
RENDER_SOURCE_SHA256 = "320529348f7a8af1"


def problems() -> list[str]:
    """What in EXPECTED this MkDocs no longer has as expected (empty when all is as in 1.6)."""
    found = []
    try:
        digest = hashlib.sha256(inspect.getsource(_pages.Page.render).encode()).hexdigest()[:16]
    except (OSError, TypeError):
        found.append(f"MkDocs {mkdocs.__version__}: the source of mkdocs.structure.pages.Page.render cannot be read")
    else:
        if digest != RENDER_SOURCE_SHA256:
            found.append(f"MkDocs {mkdocs.__version__}: mkdocs.structure.pages.Page.render changed "
                         f"(source digest {digest}, copied from {RENDER_SOURCE_SHA256}); redo page_class")
    for dotted, params in EXPECTED.items():
        try:
            obj = pkgutil.resolve_name(dotted)
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
    """MkDocs' Page with one Markdown converter per process (Python-Markdown supports reuse after
    reset()); the rest is MkDocs 1.6's Page.render. Without its tree processors, MkDocs' own Page."""
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
            exts = raw_html(), anchors(self.file, files, config), relative(self.file, files, config), title()
            for ext in exts:
                ext._register(md)
            raw_html_ext, extract_anchors_ext, relative_path_ext, extract_title_ext = exts
            self.content = md.convert(self.markdown)
            self.toc = get_toc(getattr(md, "toc_tokens", []))
            self._title_from_render = extract_title_ext.title
            self.present_anchor_ids = extract_anchors_ext.present_anchor_ids | raw_html_ext.present_anchor_ids
            if _pages.log.getEffectiveLevel() > logging.DEBUG:
                self.links_to_anchors = relative_path_ext.links_to_anchors

    return ReusingPage
