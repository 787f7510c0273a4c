"""No silent lost update: an edit form carries the version of the record it was opened at, and
a save moves the record to the next version only if it is still at that one.

The check and the bump are one statement (UPDATE ... WHERE pk = .. AND version = ..), so of two
simultaneous saves exactly one passes; the other raises EditConflict and, since the services call
`claim` inside their transaction before writing anything else, writes nothing.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.db import models
from django.db.models import F

from rehab import audit


class EditConflict(Exception):
    """Someone saved the record after this form was opened."""


def column(record: models.Model) -> str:
    """Name the record's version column: `version`, unless the model names another one."""
    return str(getattr(record, "version_field", "version"))


def version_of(record: models.Model) -> int:
    """Return the record's version; 0 for a record not saved yet."""
    return int(getattr(record, column(record))) if record.pk else 0


def claim(record: models.Model, expected: int) -> None:
    """Move the stored record from version `expected` to the next, or raise EditConflict."""
    name = column(record)
    claimed = (
        type(record)
        ._default_manager.filter(pk=record.pk, **{name: expected})
        .update(**{name: F(name) + 1})
    )
    if not claimed:
        raise EditConflict
    setattr(record, name, expected + 1)


def last_change(record: models.Model) -> tuple[Any, datetime.datetime | None]:
    """Return who saved the record last and when: its own stamp, else its latest history entry."""
    for who, when in (("updated_by", "updated_at"), ("recorded_by", "recorded_at")):
        if getattr(record, f"{who}_id", None):
            return getattr(record, who), getattr(record, when)
    entry = audit.history_of(record).first()
    return (entry.actor, entry.created_at) if entry else (None, None)


def update(
    record: models.Model,
    *,
    expected: int,
    data: dict[str, Any],
    by: Any,
    action: str,
    reason: str = "",
) -> None:
    """Claim the record at version `expected`, set `data` on it, save, and write the audit row
    with what really changed (none when nothing did). Call inside the service's transaction."""
    claim(record, expected)
    before = audit.snapshot(record, list(data))
    for name, value in data.items():
        setattr(record, name, value)
    record.save(update_fields=[*data, column(record)])
    changes = audit.diff(before, audit.snapshot(record, list(data)))
    if changes:
        audit.record(
            facility=record.facility_id,  # type: ignore[attr-defined]
            actor=by,
            action=action,
            target=record,
            summary=f"{', '.join(changes)}: {reason}"[:255] if reason else ", ".join(changes),
            changes=changes,
        )
