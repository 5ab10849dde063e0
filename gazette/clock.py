"""The build's day: in the site's time zone, not the machine's; fixed by GAZETTE_TODAY=YYYY-MM-DD."""

from __future__ import annotations

import datetime as dt
import os
from zoneinfo import ZoneInfo

TIMEZONE = "Asia/Shanghai"  # the site's time zone (option `timezone`), set by the plugin and `gazette check`


def build_day(now: dt.datetime | None = None, tz: str | None = None) -> dt.date:
    fixed = os.environ.get("GAZETTE_TODAY")
    if fixed and now is None:
        try:
            return dt.date.fromisoformat(fixed.strip())
        except ValueError:
            pass
    return (now or dt.datetime.now(dt.timezone.utc)).astimezone(ZoneInfo(tz or TIMEZONE)).date()
