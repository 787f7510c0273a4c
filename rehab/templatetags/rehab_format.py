"""Times as the facility says them: "18.31 WITA", the zone always beside the time.

A builtin of the templates (rehab/settings.py TEMPLATES), so no template needs to load it.
"""

from __future__ import annotations

import datetime

from django import template
from django.template.defaultfilters import date as date_filter
from django.utils import timezone

from rehab.formats import zone_label

register = template.Library()


@register.filter
def zoned(value: datetime.datetime | None, arg: str = "TIME_FORMAT") -> str:
    """Format a moment in the active time zone and add its label: ``{{ at|zoned }}`` gives
    "18.31 WITA", ``{{ at|zoned:"DATETIME_FORMAT" }}`` "3 Desember 2026 18.31 WITA"."""
    if not isinstance(value, datetime.datetime):
        return ""
    if timezone.is_naive(value):
        return date_filter(value, arg)
    local = timezone.localtime(value)
    return f"{date_filter(local, arg)} {zone_label(local)}".strip()


@register.simple_tag
def zoned_now(arg: str = "TIME_FORMAT") -> str:
    """The present moment as ``zoned`` shows it: ``{% zoned_now "SHORT_DATETIME_FORMAT" %}``."""
    return zoned(timezone.now(), arg)
