"""The plugin's options (`plugins: - gazette: …` in mkdocs.yml)."""

from __future__ import annotations

from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from mkdocs.config import config_options as c
from mkdocs.config.base import Config

from gazette.content.columns import DEFAULT_COLUMNS



_REMOVED_SEARCH_OPTION = ("gazette 插件的选项 {} 已取消：各种规模的站点现在都使用同一种站内搜索索引，"
                          "这个选项不再起作用，请从 mkdocs.yml 中删去。")
_REMOVED_QR_OPTION = ("gazette 插件的选项 {} 已取消：二维码每次构建直接生成，不再缓存，"
                      "这个选项不再起作用，请从 mkdocs.yml 中删去。")


class GazetteConfig(Config):
    enabled = c.Type(bool, default=True)
    gazette_name = c.Type(str, default="政府公报")
    gazette_dir = c.Type(str, default="gazette")
    disclosure_dir = c.Type(str, default="disclosure")
    browse_dir = c.Type(str, default="browse")
    disclosure_name = c.Type(str, default="政务公开")
    columns = c.Type(list, default=DEFAULT_COLUMNS)
    page_size = c.Type(int, default=200)
    # Write into a temporary folder and replace site/ only when the build succeeded.
    atomic = c.Type(bool, default=True)
    # Content safety (gazette/safety/): extra spam terms ("term | exception"), domains links may
    # point to besides *.gov.cn and the site's own ("*.example.org" for a domain and its
    # subdomains), and the external-link report written beside site/ ("" for none).
    spam_terms = c.Type(list, default=[])
    allowed_domains = c.Type(list, default=[])
    links_report = c.Type(str, default="external-links.csv")
    # Disclosure rules (gazette/disclosure/): public holidays and working weekends (dates or
    # "first~last" ranges) on top of the shipped calendar, the deadline of a 政策解读 in working
    # days, the columns filtered by validity, and folders of further annual-report formats.
    holidays = c.Type(list, default=[])
    workdays = c.Type(list, default=[])
    holiday_defaults = c.Type(bool, default=True)
    interpretation_days = c.Type(int, default=3)
    validity_columns = c.Type(list, default=["statutory/normative"])
    report_formats = c.Type(list, default=[])
    # QR codes, short addresses s/<code>/ and notice-board sheets (gazette/qr/); need site_url.
    qr = c.Type(bool, default=True)
    qr_cache_dir = c.Deprecated(message=_REMOVED_QR_OPTION)  # removed (codes encode fast): warns
    # Full-text search (the site's word index and the 搜索 page); off for quick previews.
    search = c.Type(bool, default=True)
    # Removed options (one index for every site size): a site that still sets them is told, in Chinese, to drop them.
    search_shard_pages = c.Deprecated(message=_REMOVED_SEARCH_OPTION)
    search_words_min_pages = c.Deprecated(message=_REMOVED_SEARCH_OPTION)
    # Worker processes that render the item pages (build/workers.py): 0 = one per processor
    # (at most 4), 1 = render everything in the MkDocs process.
    workers = c.Type(int, default=0)
    # Accessible theme: a library kiosk returns to the home page after this idle time.
    kiosk = c.Type(bool, default=False)
    kiosk_idle_seconds = c.Type(int, default=120)
    accessibility_page = c.Type(str, default="accessibility.md")  # the 无障碍声明, linked from the toolbar
    # The site's time zone: the build day (consultation states, 截至 dates, the latest date a
    # document may carry) is the date there, whatever the build machine's TZ.
    timezone = c.Type(str, default="Asia/Shanghai")


def check_timezone(name: str, problems: list[str]) -> None:
    """A zone name zoneinfo knows (the tzdata package supplies them where the system has none)."""
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        problems.append(f"timezone「{name}」不是有效的时区名称，应写成 Asia/Shanghai 这样的形式")
