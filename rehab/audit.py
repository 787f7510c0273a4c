"""Change history and the read-access log, written explicitly by services (never by signals)."""

from __future__ import annotations

import datetime
import decimal
from collections.abc import Iterable
from typing import Any

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils.text import capfirst
from django.utils.translation import gettext, gettext_noop
from django.utils.translation import gettext_lazy as _

from rehab import access
from rehab.formats import short_date, zoned
from rehab.models import AccessLog, AuditEntry, Facility, display_name

# Readable names of audit actions, filled by each app in AppConfig.ready().
ACTION_LABELS: dict[str, Any] = {}

# Stored in place of a confidential value (a health result, a counselling note, what a
# follow-up found): the history says the field changed, never what it holds. History pages
# are read by roles that must not see those values. Stored untranslated, shown translated.
REDACTED = gettext_noop("(rahasia)")

# Labels of the keys that name rows or counts rather than one model field.
EXTRA_FIELD_LABELS: dict[str, Any] = {
    "articles": _("Pasal"),
    "results": _("hasil per parameter"),
    "rows": _("isian domain, riwayat zat dan rencana"),
    "attendance": _("kehadiran"),
    "sessions": _("jumlah sesi"),
    "meetings": _("jumlah pertemuan"),
    "password": _("kata sandi"),
    "follow_ups": _("jadwal pemantauan"),
}


def register_action_labels(labels: dict[str, Any]) -> None:
    """Add readable (translatable) names for an app's audit action codes."""
    ACTION_LABELS.update(labels)


# Readable names of access-log codes (what was read or downloaded), filled by each app in
# AppConfig.ready() for the codes it writes.
ACCESS_LABELS: dict[str, Any] = {}


def register_access_labels(labels: dict[str, Any]) -> None:
    """Add readable (translatable) names for an app's access-log codes."""
    ACCESS_LABELS.update(labels)


def access_label(code: str) -> str:
    """Say what an access-log row read, in words; a code no app named reads as "other data"."""
    label = ACCESS_LABELS.get(code)
    return str(label) if label is not None else gettext("Data lain")


def _inmate_id(target: models.Model | None) -> int | None:
    """The WBP a read target is, or belongs to."""
    if target is None:
        return None
    if target._meta.label_lower == "inmates.inmate":
        return int(target.pk)
    owner = getattr(target, "inmate_id", None)
    return int(owner) if owner is not None else None


def _plain(value: Any) -> Any:
    """Turn a field value into something JSON can hold and a person can read."""
    if isinstance(value, datetime.datetime | datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, models.Model):
        return str(value)
    return value


def snapshot(obj: models.Model, fields: Iterable[str]) -> dict[str, Any]:
    """Return the plain values of the given fields of an object."""
    return {name: _plain(getattr(obj, name)) for name in fields}


def _empty(value: Any) -> bool:
    return value is None or value == ""


def diff(
    before: dict[str, Any], after: dict[str, Any], *, secret: Iterable[str] = ()
) -> dict[str, list[Any]]:
    """Return {field: [old, new]} for every field whose value changed; a secret field changes
    as [REDACTED, REDACTED]. Empty to empty ("" and None) is no change, so diffing a new
    object against {} lists only what was filled in."""
    hidden = set(secret)
    changes: dict[str, list[Any]] = {}
    for name in after:
        old, new = before.get(name), after.get(name)
        if old == new or (_empty(old) and _empty(new)):
            continue
        if name in hidden:
            changes[name] = [REDACTED, REDACTED]
        else:  # "" and None both read "nothing": store one of them
            changes[name] = [None if _empty(old) else old, None if _empty(new) else new]
    return changes


def _actor(actor: Any) -> Any:
    return actor if getattr(actor, "is_authenticated", False) else None


def record(
    *,
    facility: Facility | int | None,
    actor: Any,
    action: str,
    target: models.Model,
    summary: str = "",
    changes: dict[str, Any] | None = None,
    subject: models.Model | None = None,
) -> AuditEntry:
    """Append one entry to the change history of a record.

    `subject` is the record whose fields `changes` names, when it is not the target: a note
    is written into its WBP's history. `facility` is None for a change to an account itself.
    """
    user = _actor(actor)
    return AuditEntry.objects.create(
        facility_id=facility.pk if isinstance(facility, Facility) else facility,
        actor=user,
        actor_username=user.get_username() if user else "",
        actor_name=display_name(user) if user else "",
        action=action,
        target_type=target._meta.label_lower,
        target_id=target.pk,
        subject_type=subject._meta.label_lower if subject is not None else "",
        summary=summary[:255],
        changes=changes or {},
    )


def history_of(target: models.Model) -> models.QuerySet[AuditEntry]:
    """Return the change history of one record, newest first (the actor's name is stored)."""
    return AuditEntry.objects.filter(target_type=target._meta.label_lower, target_id=target.pk)


def _field(entry: AuditEntry, name: str) -> models.Field | None:
    try:
        model = apps.get_model(entry.subject_type or entry.target_type)
        field = model._meta.get_field(name)
    except (LookupError, ValueError, FieldDoesNotExist):
        return None
    return field if isinstance(field, models.Field) else None


def _value_label(value: Any, field: models.Field | None) -> Any:
    """Show a stored value as the user knows it: Ya/Tidak, a choice's label, "03/12/2026"."""
    if value == REDACTED:
        return gettext(REDACTED)
    if isinstance(value, bool):
        return gettext("Ya") if value else gettext("Tidak")
    if _empty(value) or field is None:
        return value
    if field.choices:
        return dict(field.flatchoices).get(value, value)
    if isinstance(field, models.DateTimeField) and isinstance(value, str):
        try:
            moment = datetime.datetime.fromisoformat(value)
        except ValueError:
            return value
        # In the time zone the page is shown in (the facility's, on a case history).
        return zoned(moment) if moment.tzinfo else value
    if isinstance(field, models.DateField) and isinstance(value, str):
        try:
            return short_date(datetime.date.fromisoformat(value[:10]))
        except ValueError:
            return value
    return value


def change_rows(entry: AuditEntry) -> list[tuple[Any, Any, Any]]:
    """Return (field label, old, new) rows of an entry, labelled from the changed model."""
    rows = []
    for name, (old, new) in entry.changes.items():
        field = _field(entry, name)
        label = field.verbose_name if field is not None else EXTRA_FIELD_LABELS.get(name, name)
        rows.append((capfirst(label), _value_label(old, field), _value_label(new, field)))
    return rows


def log_access(
    *,
    user: Any,
    facility: Facility | int,
    action: str,
    target: models.Model | None = None,
    detail: str = "",
) -> AccessLog:
    """Append one row to the access log: a read of restricted data or a download, with the
    WBP it concerns (found from the target) and the roles the user holds there now."""
    facility_id = facility if isinstance(facility, int) else facility.pk
    return AccessLog.objects.create(
        user=user,
        username=user.get_username(),
        user_name=display_name(user),
        facility_id=facility_id,
        action=action,
        target_type=target._meta.label_lower if target is not None else "",
        target_id=target.pk if target is not None else None,
        inmate_id=_inmate_id(target),
        roles=",".join(sorted(access.roles_in(user, facility_id)))[:100],
        detail=detail[:255],
    )


def log_access_many(
    *, user: Any, rows: Iterable[tuple[Facility | int, str, str]]
) -> list[AccessLog]:
    """Append one access-log row per (facility, action, detail) in one INSERT: a national
    print or export logs each of the facilities whose data it holds without a query apiece."""
    made = []
    for facility, action, detail in rows:
        facility_id = facility if isinstance(facility, int) else facility.pk
        made.append(
            AccessLog(
                user=user,
                username=user.get_username(),
                user_name=display_name(user),
                facility_id=facility_id,
                action=action,
                target_type="",
                # the roles come from the request's cache of memberships: no query apiece
                roles=",".join(sorted(access.roles_in(user, facility_id)))[:100],
                detail=detail[:255],
            )
        )
    # bulk_create is atomic itself when SQLite needs more than one INSERT.
    return AccessLog.objects.bulk_create(made)
