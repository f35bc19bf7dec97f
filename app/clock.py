"""One source of 'now' (naive UTC), replaceable in tests through app.config["CLOCK"]."""
from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from flask import current_app, has_app_context


def utcnow() -> dt.datetime:
    if has_app_context():
        clock = current_app.config.get("CLOCK")
        if clock is not None:
            return clock()
    return dt.datetime.now(dt.timezone.utc).replace(tzinfo=None)


def to_local(value: dt.datetime | None) -> dt.datetime | None:
    """UTC (naive) to the configured local zone, for display."""
    if value is None:
        return None
    zone = ZoneInfo(current_app.config.get("TIMEZONE", "Asia/Shanghai"))
    return value.replace(tzinfo=dt.timezone.utc).astimezone(zone).replace(tzinfo=None)


def format_local(value: dt.datetime | None, fmt: str = "%Y-%m-%d %H:%M") -> str:
    local = to_local(value)
    return local.strftime(fmt) if local else ""
