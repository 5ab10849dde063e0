"""The package's theme on top of Material: installed into MkDocs' theme, and what its templates need
from the plugin's options (the Jinja global `gz_theme`, which every template sees, the 404 page included)."""

from __future__ import annotations

import logging
import re
from urllib.parse import urlsplit

import ada_url

from gazette import THEME_DIR

log = logging.getLogger("mkdocs.plugins.gazette")

STYLES = ("assets/gazette/disclosure.css", "assets/gazette/gazette.css", "assets/gazette/search.css")

# Material features that work from its templates and style sheet alone: a site using only these
# needs nothing of Material's script bundle (a third of an item page's weight on a phone).
_FEATURES_WITHOUT_SCRIPT = frozenset({
    "navigation.tabs", "navigation.tabs.sticky", "navigation.indexes", "navigation.sections",
    "navigation.expand", "navigation.prune", "navigation.path", "navigation.footer", "toc.integrate",
    "content.action.edit", "content.action.view",
})


def require_material(theme, problems: list[str]) -> None:
    if theme.name != "material":
        problems.append(f"gazette 插件需要 Material for MkDocs 主题（现在是「{theme.name or '未设置'}」），"
                        "请在 mkdocs.yml 中写：\n    theme:\n      name: material\n      language: zh")


def install(config) -> None:
    """The theme every office needs ships with the package; a site's own overrides come first."""
    if THEME_DIR not in config.theme.dirs:
        config.theme.dirs.insert(1 if config.theme.custom_dir else 0, THEME_DIR)
    config.theme["font"] = False  # no request may leave the site's origin
    for css in STYLES:
        if css not in [str(x) for x in config.extra_css]:
            config.extra_css.append(css)


def material_scripts(config) -> bool:
    """Whether the site uses anything that needs Material's script bundle: a feature outside the
    set above, Material's search, a colour-scheme toggle, diagrams, or scripts of its own (which
    may build on the bundle's `document$`, as Material's recipes do)."""
    fences = config.mdx_configs.get("pymdownx.superfences", {}).get("custom_fences")
    return bool(set(config.theme.get("features") or ()) - _FEATURES_WITHOUT_SCRIPT
                or any(name == "search" or name.endswith("/search") for name in config.plugins)
                or isinstance(config.theme.get("palette"), list)
                or config.extra_javascript or fences)


def _scheme(url: str) -> str | None:
    """The scheme a browser would read in the URL (WHATWG parsing: "java\tscript:" is javascript:)."""
    try:
        return ada_url.URL(url).protocol
    except ValueError:
        return None


def identity(options, files) -> dict:
    """The footer's lines of the site's identity (政府网站发展指引), those the options set."""
    logo = options.party_gov_logo
    if logo and files.get_file_from_path(logo) is None:
        log.warning(f"party_gov_logo「{logo}」在 docs 目录中找不到，页脚不显示党政机关网站标识")
        logo = ""
    link = options.party_gov_link
    if link and _scheme(link) not in ("http:", "https:"):
        log.warning(f"party_gov_link「{link}」不是 http 或 https 网址，页脚的党政机关网站标识不加链接")
        link = ""
    police_digits = "".join(re.findall(r"\d", options.police_number))
    return {"sponsor": options.sponsor, "operator": options.operator, "contact": options.contact,
            "site_code": options.site_code, "icp_number": options.icp_number,
            "police_number": options.police_number, "police_code": police_digits,
            "party_gov_logo": logo, "party_gov_link": link}


def theme_globals(options, files, config) -> dict:
    page = files.get_file_from_path(options.accessibility_page) if options.accessibility_page else None
    return {
        "identity": identity(options, files),
        # The 政府网站发展指引's site tags, for pages without a page context (the 404 page); the others
        # get the full set from opendata/metadata.py.
        "site_tags": [(k, v) for k, v in (("SiteName", config.site_name),
                                          ("SiteDomain", urlsplit(config.site_url or "").hostname or ""),
                                          ("SiteIDCode", options.site_code)) if v],
        "kiosk": bool(options.kiosk),
        "material_scripts": material_scripts(config),
        # 1 s to an hour, as the query's kiosk_idle (gz-head.html): setTimeout fires at once past 2^31 ms.
        "kiosk_idle_seconds": min(max(int(options.kiosk_idle_seconds), 1), 3600),
        # The toolbar links to the statement only if the site has one.
        "accessibility_url": page.url if page is not None else None,
        # The 404 page has no page context: it links on to these sections.
        "gazette_url": options.gazette_dir.strip("/") + "/",
        "browse_url": options.browse_dir.strip("/") + "/",
    }
