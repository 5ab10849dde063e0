"""Item pages rendered by worker processes, when nothing but this plugin handles page events.

MkDocs reads and renders every page one after another in one process. A gazette's item
pages are nearly all of its pages, independent of each other, and need nothing from one
another once the catalog exists. When no other plugin (nor hook) handles a page event,
they are left out of MkDocs' own loops (DeferredFiles) and rendered by forked workers
(forkpool.py) through the same per-page steps as MkDocs' (plugin.py, `_render_share`).
When another plugin does handle page events (search, RSS, social cards, minifiers,
redirects …), it must see every page in its own process: every page is then rendered by
MkDocs' loop.
"""

from __future__ import annotations

from typing import Sequence

from mkdocs.structure.files import File, Files, InclusionLevel

from gazette import forkpool

# MkDocs' page events (config.plugins.events keys, without "on_").
PAGE_EVENTS = ("pre_page", "page_read_source", "page_markdown", "page_content", "page_context", "post_page")


class DeferredFiles(Files):
    """MkDocs' files, with the item pages held back from its read and render loops.

    They stay in the collection, so links to them resolve and are checked as usual."""

    def __init__(self, files: Files, deferred: set[str]):
        super().__init__(list(files))
        self.deferred = deferred

    def documentation_pages(self, *, inclusion=InclusionLevel.is_included) -> Sequence[File]:
        pages = super().documentation_pages(inclusion=inclusion)
        if not self.deferred:
            return pages
        return [f for f in pages if f.src_uri not in self.deferred]

    def deferred_pages(self) -> list[File]:
        return [f for f in super().documentation_pages() if f.src_uri in self.deferred]

    def all_pages(self) -> Sequence[File]:
        return super().documentation_pages()


def worker_count(option: int) -> int:
    if option > 0:
        return option
    return max(1, min(4, forkpool.cpu_count()))


def other_page_handlers(plugins, own) -> list[str]:
    """The names (as in mkdocs.yml) of the plugins and hooks other than `own` that handle a page event."""
    names = []
    for event in PAGE_EVENTS:
        for method in plugins.events.get(event, ()):
            owner = getattr(method, "__self__", None)
            if owner is own:
                continue
            name = next((n for n, p in plugins.items()
                         if p is owner or (owner is None and getattr(p, method.__name__, None) is method)),
                        getattr(method, "__qualname__", repr(method)))
            if name not in names:
                names.append(name)
    return names
