"""The project's locale formats: ``id/formats.py`` for Django, helpers for Python-built text.

Text built in Python (audit summaries, messages, labels) uses these rather than strftime, so
it reads like the pages: "03/12/2026" and "03/12/2026 18.31 WITA" in Indonesian, English's
own formats in English.
"""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

from django.utils import formats, timezone

ZONE_LABELS = {"Asia/Jakarta": "WIB", "Asia/Makassar": "WITA", "Asia/Jayapura": "WIT"}


def short_date(value: datetime.date) -> str:
    """A date as a table shows it: "03/12/2026"."""
    return formats.date_format(value, "SHORT_DATE_FORMAT")


def zone_label(moment: datetime.datetime) -> str:
    """WIB, WITA or WIT for an aware moment, from its time zone (else the zone's own name)."""
    key = str(getattr(moment.tzinfo, "key", ""))
    return ZONE_LABELS.get(key) or moment.tzname() or ""


def zoned(
    moment: datetime.datetime, fmt: str = "SHORT_DATETIME_FORMAT", tz: ZoneInfo | None = None
) -> str:
    """A moment in the zone given (else the active one) with its label: "03/12/2026 18.31 WITA"."""
    if timezone.is_naive(moment):
        return formats.date_format(moment, fmt)
    local = timezone.localtime(moment, tz)
    return f"{formats.date_format(local, fmt)} {zone_label(local)}".strip()
