"""Template filters that turn audit entries of WBP records into readable rows."""

from __future__ import annotations

from typing import Any

from django import template
from django.core.exceptions import FieldDoesNotExist
from django.utils.translation import gettext_lazy as _

from inmates.models import Inmate
from rehab.models import AuditEntry

register = template.Library()

ACTION_LABELS = {
    "inmates.inmate.created.form": _("Data dibuat"),
    "inmates.inmate.created.import": _("Dibuat dari impor SDP"),
    "inmates.inmate.updated.form": _("Data diubah"),
    "inmates.inmate.updated.import": _("Diperbarui dari impor SDP"),
    "inmates.inmate.transferred": _("Dipindahkan ke UPT lain"),
    "inmates.inmate.released": _("Dibebaskan"),
}


@register.filter
def action_label(entry: AuditEntry) -> Any:
    """Return the readable name of an audit action."""
    return ACTION_LABELS.get(entry.action, entry.action)


@register.filter
def change_rows(entry: AuditEntry) -> list[tuple[Any, Any, Any]]:
    """Return (field label, old, new) rows of an audit entry of a WBP record."""
    return [(field_label(name), old, new) for name, (old, new) in entry.changes.items()]


@register.filter
def field_label(name: str) -> Any:
    """Return the verbose name of a WBP field."""
    if name == "articles":
        return _("Pasal")
    try:
        return Inmate._meta.get_field(name).verbose_name  # type: ignore[union-attr]
    except FieldDoesNotExist:
        return name
