"""The plugin's options (`plugins: - gazette: …` in mkdocs.yml)."""

from __future__ import annotations

import difflib
import re
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import ada_url
from mkdocs.config import config_options as c
from mkdocs.config.base import Config, ValidationError

from gazette.content.columns import DEFAULT_COLUMNS
from gazette.content.fields import CONTROL



_REMOVED_SEARCH_OPTION = ("gazette 插件的选项 {} 已取消：各种规模的站点现在都使用同一种站内搜索索引，"
                          "这个选项不再起作用，请从 mkdocs.yml 中删去。")
_REMOVED_QR_OPTION = ("gazette 插件的选项 {} 已取消：二维码每次构建直接生成，不再缓存，"
                      "这个选项不再起作用，请从 mkdocs.yml 中删去。")


_TYPE_NAMES = {bool: "true 或 false", int: "整数", str: "一段文字", list: "列表，例如 [甲, 乙]"}


class _Type(c.Type):
    """MkDocs' Type with the message in Chinese: the editor reads it in the build log."""

    def run_validation(self, value):
        if not isinstance(value, self._type) or (self._type is int and isinstance(value, bool)):
            raise ValidationError(f"应为{_TYPE_NAMES[self._type]}，实际是「{value}」")
        return value


class GazetteConfig(Config):
    enabled = _Type(bool, default=True)
    gazette_name = _Type(str, default="政府公报")
    gazette_dir = _Type(str, default="gazette")
    disclosure_dir = _Type(str, default="disclosure")
    browse_dir = _Type(str, default="browse")
    disclosure_name = _Type(str, default="政务公开")
    columns = _Type(list, default=DEFAULT_COLUMNS)
    page_size = _Type(int, default=200)
    # Write into a temporary folder and replace site/ only when the build succeeded.
    atomic = _Type(bool, default=True)
    # Content safety (gazette/safety/): extra spam terms ("term | exception"), domains links may
    # point to besides *.gov.cn and the site's own ("*.example.org" for a domain and its
    # subdomains), and the external-link report written beside site/ ("" for none).
    spam_terms = _Type(list, default=[])
    allowed_domains = _Type(list, default=[])
    links_report = _Type(str, default="external-links.csv")
    # Files of docs/ published as they are whatever their type (safety/filetypes.py), e.g. a search
    # engine's site-verification page: the administrator's choice, as extra_javascript is.
    publish_files = _Type(list, default=[])
    # Disclosure rules (gazette/disclosure/): public holidays and working weekends (dates or
    # "first~last" ranges) on top of the shipped calendar, the deadline of a 政策解读 in working
    # days, the columns filtered by validity, and folders of further annual-report formats.
    holidays = _Type(list, default=[])
    workdays = _Type(list, default=[])
    holiday_defaults = _Type(bool, default=True)
    interpretation_days = _Type(int, default=3)
    validity_columns = _Type(list, default=["statutory/normative"])
    report_formats = _Type(list, default=[])
    # QR codes, short addresses s/<code>/ and notice-board sheets (gazette/qr/); need site_url.
    qr = _Type(bool, default=True)
    qr_cache_dir = c.Deprecated(message=_REMOVED_QR_OPTION)  # removed (codes encode fast): warns
    # Full-text search (the site's word index and the 搜索 page); off for quick previews.
    search = _Type(bool, default=True)
    # Removed options (one index for every site size): a site that still sets them is told, in Chinese, to drop them.
    search_shard_pages = c.Deprecated(message=_REMOVED_SEARCH_OPTION)
    search_words_min_pages = c.Deprecated(message=_REMOVED_SEARCH_OPTION)
    # Open data (gazette/opendata/): a JSON file beside every document's page, the catalog as
    # paged JSON lists under open_data_dir (so many documents a page), the schemas, the 开放数据 page.
    open_data = _Type(bool, default=True)
    open_data_dir = _Type(str, default="data")
    open_data_page_size = _Type(int, default=200)
    # Atom and RSS feeds of the site's lists (gazette/opendata/feeds.py) and the 订阅 page; the
    # newest this many documents (or issues) in each feed.
    feeds = _Type(bool, default=True)
    feed_entries = _Type(int, default=50)
    # Worker processes that render the item pages (build/workers.py): 0 = one per processor
    # (at most 4), 1 = render everything in the MkDocs process.
    workers = _Type(int, default=0)
    # Accessible theme: a library kiosk returns to the home page after this idle time.
    kiosk = _Type(bool, default=False)
    kiosk_idle_seconds = _Type(int, default=120)
    accessibility_page = _Type(str, default="accessibility.md")  # the 无障碍声明, linked from the toolbar
    # The site's identity (政府网站发展指引): 网站标识码, 主办单位, 承办单位, 联系方式, ICP备案号,
    # 公安机关备案号, and the 党政机关网站标识 image (a file in docs/) with the address of its certificate.
    # The footer shows those set; the page metadata and linked data carry them.
    site_code = _Type(str, default="")
    sponsor = _Type(str, default="")
    operator = _Type(str, default="")
    contact = _Type(str, default="")
    icp_number = _Type(str, default="")
    police_number = _Type(str, default="")
    party_gov_logo = _Type(str, default="")
    party_gov_link = _Type(str, default="")
    # The site's time zone: the build day (consultation states, 截至 dates, the latest date a
    # document may carry) is the date there, whatever the build machine's TZ.
    timezone = _Type(str, default="Asia/Shanghai")


    def validate(self):
        failed, warnings = super().validate()
        names = sorted(k for k, option in self._schema if not isinstance(option, c.Deprecated))
        for i, (key, message) in enumerate(warnings):
            if message.startswith("Unrecognised configuration name"):
                close = difflib.get_close_matches(key, names, n=1, cutoff=0.6)
                hint = f"，是不是「{close[0]}」？" if close else f"；可用的选项：{'、'.join(names)}"
                warnings[i] = (key, f"没有这个选项「{key}」{hint}")
        return failed, warnings


_FOLDERS = ("gazette_dir", "disclosure_dir", "browse_dir", "open_data_dir")
_TEXTS = ("gazette_name", "disclosure_name", "sponsor", "operator", "contact", "icp_number", "police_number",
          "site_code")


def check_site_options(options, site_name: str, site_url: str | None, problems: list[str]) -> None:
    """What MkDocs and Material print unchecked, and folders the plugin writes into: a site_url a browser
    reads as an http(s) address with nothing that could end an attribute, folder options inside the site,
    names without control characters (XML feeds cannot carry some of them)."""
    for name in _FOLDERS:
        value = getattr(options, name)
        parts = value.strip("/").split("/")
        if value.startswith("/") or "\\" in value or any(p in ("", ".", "..") for p in parts):
            problems.append(f"{name}「{value}」应为网站内的文件夹名，如 {dict(GazetteConfig._schema)[name].default}，"
                            "不能以“/”开头，也不能含“..”")
    for name, value in (("site_name", site_name), *((n, getattr(options, n)) for n in _TEXTS)):
        if value and CONTROL.search(value):
            problems.append(f"{name}「{value.encode('unicode_escape').decode()}」含有不可见的控制字符，请删除")
    if site_url:
        try:
            parsed = ada_url.URL(site_url)
        except ValueError:
            parsed = None
        if parsed is None or parsed.protocol not in ("http:", "https:") or re.search(r"[\"'<>\s\\`]", site_url):
            problems.append(f"site_url「{site_url}」应为 http:// 或 https:// 开头的网址，不能含引号、尖括号或空格，"
                            "例如 https://www.example.gov.cn/")
        elif "?" in site_url or "#" in site_url or parsed.username or parsed.password:
            # Every address of the site is appended to it: after a "#" or "?" they all lead to the home
            # page (the QR codes printed on paper too), and a password would be printed on them.
            problems.append(f"site_url「{site_url}」只写网站的地址，不能带“?”查询、“#”锚点或用户名密码，"
                            "例如 https://www.example.gov.cn/")


def ascii_site_url(site_url: str | None) -> str | None:
    """`site_url` as every address of the site is written (canonical links, sitemap, feeds, QR
    codes): a Chinese domain name (.政务, .中国) in its ASCII form (xn--…), which every browser and
    scanner opens, and a Chinese path percent-encoded. Call after check_site_options found no problem."""
    if not site_url:
        return site_url
    try:
        return ada_url.URL(site_url).href
    except ValueError:
        return site_url


def check_timezone(name: str, problems: list[str]) -> None:
    """A zone name zoneinfo knows (the tzdata package supplies them where the system has none)."""
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        problems.append(f"timezone「{name}」不是有效的时区名称，应写成 Asia/Shanghai 这样的形式")
