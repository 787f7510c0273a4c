"""Template filters for WBP records: audit entries as readable rows, list column cells."""

from __future__ import annotations

import datetime
from typing import Any

from django import template
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils.translation import gettext_lazy as _

from inmates.listing import Shown
from inmates.models import Inmate
from rehab import audit
from rehab.formats import short_date
from rehab.models import AuditEntry

register = template.Library()


def _field(name: str) -> models.Field | None:
    try:
        field = Inmate._meta.get_field(name)
    except FieldDoesNotExist:
        return None
    return field if isinstance(field, models.Field) else None


@register.filter
def action_label(entry: AuditEntry) -> Any:
    """Return the readable name of an audit action."""
    return audit.ACTION_LABELS.get(entry.action, entry.action)


@register.filter
def access_label(code: str) -> str:
    """Return what an access-log row read, in words."""
    return audit.access_label(code)


@register.filter
def field_label(name: str) -> Any:
    """Return the verbose name of a WBP field."""
    if name == "articles":
        return _("Pasal")
    field = _field(name)
    return field.verbose_name if field is not None else name


@register.filter
def value_label(value: Any, name: str) -> Any:
    """Show a stored value as the user knows it: a choice's label, a date as dd-mm-yyyy."""
    field = _field(name)
    if value in (None, "") or field is None:
        return value
    if field.choices:
        return dict(field.flatchoices).get(value, value)
    if isinstance(field, models.DateField) and isinstance(value, str):
        try:
            return short_date(datetime.date.fromisoformat(value))
        except ValueError:
            return value
    return value


@register.filter
def change_rows(entry: AuditEntry) -> list[tuple[Any, Any, Any]]:
    """Return (field label, old, new) rows of an audit entry in a WBP's history."""
    return audit.change_rows(entry)


@register.filter
def cell(column: Shown, inmate: Inmate) -> Any:
    """Return a WBP list column's value for the row, blank where the user may not see it."""
    return column.cell(inmate)
