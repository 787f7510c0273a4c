"""Change history and the read-access log, written explicitly by services (never by signals)."""

from __future__ import annotations

import datetime
from typing import Any

from django.db import models

from rehab.models import AccessLog, AuditEntry, Facility

# Readable names of audit actions, filled by each app in AppConfig.ready().
ACTION_LABELS: dict[str, Any] = {}


def register_action_labels(labels: dict[str, Any]) -> None:
    """Add readable (translatable) names for an app's audit action codes."""
    ACTION_LABELS.update(labels)


def _plain(value: Any) -> Any:
    """Turn a field value into something JSON can hold and a person can read."""
    if isinstance(value, datetime.datetime | datetime.date):
        return value.isoformat()
    if isinstance(value, models.Model):
        return str(value)
    return value


def snapshot(obj: models.Model, fields: list[str]) -> dict[str, Any]:
    """Return the plain values of the given fields of an object."""
    return {name: _plain(getattr(obj, name)) for name in fields}


def diff(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list[Any]]:
    """Return {field: [old, new]} for every field whose value changed."""
    return {
        name: [before.get(name), after.get(name)]
        for name in after
        if before.get(name) != after.get(name)
    }


def record(
    *,
    facility: Facility | int,
    actor: Any,
    action: str,
    target: models.Model,
    summary: str = "",
    changes: dict[str, Any] | None = None,
) -> AuditEntry:
    """Append one entry to the change history of a record."""
    return AuditEntry.objects.create(
        facility_id=facility if isinstance(facility, int) else facility.pk,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        action=action,
        target_type=target._meta.label_lower,
        target_id=target.pk,
        summary=summary[:255],
        changes=changes or {},
    )


def history_of(target: models.Model) -> models.QuerySet[AuditEntry]:
    """Return the change history of one record, newest first."""
    return AuditEntry.objects.filter(
        target_type=target._meta.label_lower, target_id=target.pk
    ).select_related("actor")


def log_access(
    *,
    user: Any,
    facility: Facility | int,
    action: str,
    target: models.Model | None = None,
    detail: str = "",
) -> AccessLog:
    """Append one row to the access log: a read of restricted data or a download."""
    return AccessLog.objects.create(
        user=user,
        facility_id=facility if isinstance(facility, int) else facility.pk,
        action=action,
        target_type=target._meta.label_lower if target is not None else "",
        target_id=target.pk if target is not None else None,
        detail=detail[:255],
    )
