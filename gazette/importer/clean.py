"""Page chrome dropped, danger held back: what of a source's lines may become an item's text.

Chrome is recognised line by line on the folded text (`textnorm.fold`: traditional characters,
full-width forms), segment by segment ("浏览量: | 【字体：大 中 小】 | 我要纠错"): a line is
dropped only when every segment of it is chrome, so a sentence that mentions 打印 stays. What
the site's safety checks refuse (gambling terms, foreign domains, personal numbers) is judged by
the same `Checker` the build uses, and the whole line is held back and reported, so the editor
decides what the paragraph should say.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field, replace

from gazette.importer.source import Line
from gazette.safety.textnorm import fold

# Each pattern must match a whole segment of a line, folded and without whitespace.
CHROME = tuple((re.compile(p), why) for p, why in (
    (r"【?(字体|字号)[:：]?(大|中|小|默认|放大|缩小|\+|-)*】?", "字号切换"),
    (r"(浏览量|浏览次数|阅读次数|阅读量|访问量|访问次数|点击数|点击量|点击率|浏览|阅读)[:：]?\d*次?", "浏览次数"),
    (r"[【\[]?(我要纠错|纠错|打印本页|打印此页|打印正文|打印|关闭窗口|关闭本页|关闭|返回顶部|返回|收藏本页|加入收藏|收藏|"
     r"保存本页|分享到?[:：]?)[】\]]?", "纠错、打印、关闭、分享按钮"),
    (r"扫一扫在手机上?打开当前页|扫一扫|(用手机)?扫描?二维码.*|手机扫码.*|.*二维码关注.*", "二维码提示"),
    (r"(微信|微博|客户端|头条号|抖音|快手|手机版|电脑版|无障碍|长者模式|关怀版|繁体|简体|english)+", "分享与版本切换"),
    (r"(主办单位|承办单位|运行维护单位|运维单位|技术支持|网站标识码|政府网站标识码|网站联系电话|网站地图|联系我们|版权所有|"
     r"copyright|©).*|.*(icp备|icp证|公网安备|allrightsreserved).*", "网站页脚"),
    (r"(责任编辑|编辑|审核|校对)[:：][^。，；！？,;]{0,12}", "编辑署名"),
    (r"(来源|信息来源|文章来源)[:：][^。，；！？,;]{0,30}", "来源"),
    (r"(当前位置|您当前的位置|您的位置|当前所在位置)[:：].*|首页[>＞»›/].*|(上一篇|下一篇)[:：].*|"
     r"相关(文章|链接|附件|文件|阅读|新闻|信息)[:：]?", "导航"),
    (r"(格式|大小|页数|评分)[:：].{0,12}", "文档列表的残留"),
    (r".{1,120}\.(pdf|docx?|xlsx?|wps|ofd|zip|rar)", "附件链接的残留"),
))
LISTING = "文档列表的残留"
# Several kinds side by side without a separator: 【字体：大 中 小】 打印本页 关闭窗口
_CHROME_RUN = re.compile("(?:" + "|".join(f"(?:{p.pattern})" for p, _why in CHROME) + ")+")
_SEGMENTS = re.compile(r"\s*\|\s*|\s{2,}|\s(?=[【\[])")
# The page's own publication stamp: 发布日期：2019-07-26 13:57, or a date with the time of day.
_DATE = r"(\d{4})\s*[-年./]\s*(\d{1,2})\s*[-月./]\s*(\d{1,2})\s*日?"
_STAMP = re.compile(rf"(?:(?:发布|发表|公开|更新)(?:日期|时间)|日期|时间)[:：]\s*{_DATE}(?:\s*\d{{1,2}}\s*[:时]\s*\d{{2}}"
                    rf"(?:\s*[:分]\s*(?:\d{{2}}\s*秒?)?)?)?|^{_DATE}\s*\d{{1,2}}\s*[:时]\s*\d{{2}}(?:\s*[:分]\s*(?:\d{{2}}\s*秒?)?)?")
_BULLET = re.compile(r"^[\s•·●◆■▪►|]+|[\s|]+$")
_TERMINAL = tuple("。！？；：:;!?”」』）)】]")


@dataclass
class Cleaned:
    lines: list[Line]  # what may become the text, tidied
    removed: list[tuple[Line, str]] = field(default_factory=list)  # chrome, with why
    flagged: list[tuple[Line, str, str]] = field(default_factory=list)  # (line, code, Chinese message): held back
    published: tuple[str, int] | None = None  # the page's stamp: (yyyy-mm-dd, line)


def tidy(text: str) -> str:
    """A scraped line without the list bullets and table bars around it."""
    return _BULLET.sub("", text.replace("\u3000", " ").replace("\xa0", " ")).strip()


def chrome_of(text: str) -> str | None:
    """Why `text` is page chrome, or None if any part of it may be the document's."""
    whys = []
    for segment in _SEGMENTS.split(text):
        compact = re.sub(r"\s+", "", fold(segment))
        if not compact:
            continue
        why = next((w for pattern, w in CHROME if pattern.fullmatch(compact)), None)
        if why is None and _CHROME_RUN.fullmatch(compact):
            why = next(w for pattern, w in CHROME if pattern.match(compact))
        if why is None:
            return None
        whys.append(why)
    return whys[0] if whys else "空行"


def _stamp(text: str) -> tuple[str | None, str]:
    """(yyyy-mm-dd of a publication stamp in a short line, the line without it)."""
    if len(text) > 80:
        return None, text
    folded = fold(text)
    m = _STAMP.search(folded)
    if not m:
        return None, text
    y, mo, d = (int(g) for g in m.groups() if g is not None)
    try:
        day = dt.date(y, mo, d).isoformat()
    except ValueError:
        return None, text
    return day, (folded[:m.start()] + " " + folded[m.end():]).strip()


def _fragment(text: str) -> bool:
    """A cut-off snippet: ends with the scraper's "..." or mid-sentence."""
    return text.endswith(("...", "…")) or not text.endswith(_TERMINAL)


def clean(lines: list[Line], checker) -> Cleaned:
    out = Cleaned([])
    kept: list[tuple[Line, str | None]] = []  # (tidied line, why it is chrome)
    for line in lines:
        if line.rows is not None:
            kept.append((line, None))
            continue
        text = tidy(line.text)
        day, rest = _stamp(text)
        if day and (not rest or chrome_of(rest)):
            if out.published is None:
                out.published = (day, line.at)
            out.removed.append((line, "发布时间"))
            continue
        why = chrome_of(text) if text else "空行"
        if text.endswith("...") and why is None:
            why = "截断的片段"
        kept.append((replace(line, text=text), why))
    # Snippets of other documents around a document list's remnants (格式：pdf 大小：34KB …).
    for i, (line, why) in enumerate(kept):
        if why == LISTING:
            for step in (-1, 1):
                j = i + step
                while 0 <= j < len(kept) and (kept[j][1] in (None, "截断的片段") and _fragment(kept[j][0].text)
                                              and kept[j][0].rows is None):
                    kept[j] = (kept[j][0], "截断的片段")
                    j += step
    for line, why in kept:
        danger = _danger(line.text if line.rows is None else "\n".join(" ".join(r) for r in line.rows), checker)
        if danger:
            out.flagged.append((line, *danger))
        elif why == "空行":
            continue
        elif why:
            out.removed.append((line, why))
        else:
            out.lines.append(line)
    return out


def _danger(text: str, checker) -> tuple[str, str] | None:
    """(code, message) of the first thing the site's checks refuse in `text`."""
    for _a, _b, code, message in checker.text_problems(text):
        return code, message
    for _line, _url, _host, message in checker.written_urls(text):
        if message:
            return "external-domain", message
    return None
