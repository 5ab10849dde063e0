"""What the accessible theme's templates need from the plugin's options: the Jinja global `gz_theme`
(GazettePlugin.on_env), which every template sees, the 404 page included."""

from __future__ import annotations


def theme_globals(options, files) -> dict:
    page = files.get_file_from_path(options.accessibility_page) if options.accessibility_page else None
    return {
        "kiosk": bool(options.kiosk),
        "kiosk_idle_seconds": max(int(options.kiosk_idle_seconds), 1),
        # The toolbar links to the statement only if the site has one.
        "accessibility_url": page.url if page is not None else None,
        # The 404 page has no page context: it links on to these sections.
        "gazette_url": options.gazette_dir.strip("/") + "/",
        "browse_url": options.browse_dir.strip("/") + "/",
    }
