"""Writes to WBP records: create, update with conflict detection, transfer and release."""

from __future__ import annotations

import datetime
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from inmates.models import (
    CaseArticle,
    CustodyEvent,
    CustodyEventKind,
    CustodyStatus,
    Inmate,
    ReleaseKind,
)
from rehab import audit
from rehab.models import Facility

# The fields whose changes are kept in the history of a WBP record.
TRACKED_FIELDS = [
    "registration_number",
    "register_class",
    "full_name",
    "aliases",
    "nik",
    "birth_place",
    "birth_date",
    "sex",
    "religion",
    "education",
    "occupation",
    "address",
    "origin_regency",
    "nationality",
    "detention_date",
    "admission_date",
    "verdict_number",
    "verdict_date",
    "sentence_months",
    "sentence_days",
    "expiry_date",
    "release_date",
    "block",
    "cell",
    "status",
]


class ConflictError(Exception):
    """Someone else saved the record after this form was opened."""


class InvalidTransition(Exception):
    """The custody change does not apply to the record as it is."""


def _articles_text(inmate: Inmate) -> str:
    return " ".join(str(a) for a in inmate.articles.all())


def _replace_articles(inmate: Inmate, articles: list[dict[str, Any]]) -> None:
    inmate.articles.all().delete()
    CaseArticle.objects.bulk_create(
        CaseArticle(inmate=inmate, position=i, **row) for i, row in enumerate(articles)
    )


@transaction.atomic
def inmate_create(
    *,
    facility: Facility,
    by: Any,
    data: dict[str, Any],
    articles: list[dict[str, Any]] | None = None,
    source: str = "form",
) -> Inmate:
    """Register a WBP with its case articles and an admission event."""
    inmate = Inmate(facility=facility, **data)
    inmate.full_clean()
    inmate.save()
    if articles:
        _replace_articles(inmate, articles)
    CustodyEvent.objects.create(
        inmate=inmate,
        kind=CustodyEventKind.ADMITTED,
        occurred_on=inmate.admission_date,
        reason=_("Impor dari SDP") if source == "import" else _("Registrasi"),
        recorded_by=by if getattr(by, "is_authenticated", False) else None,
    )
    audit.record(
        facility=facility,
        actor=by,
        action=f"inmates.inmate.created.{source}",
        target=inmate,
        summary=str(inmate),
        changes={"articles": [None, _articles_text(inmate)]} if articles else {},
    )
    return inmate


@transaction.atomic
def inmate_update(
    *,
    inmate: Inmate,
    by: Any,
    data: dict[str, Any],
    articles: list[dict[str, Any]] | None = None,
    expected_version: int | None = None,
    source: str = "form",
) -> dict[str, list[Any]]:
    """Apply changed fields, refusing if someone saved since; return what changed."""
    current = Inmate.objects.select_for_update().get(pk=inmate.pk)
    if expected_version is not None and current.version != expected_version:
        raise ConflictError
    before = audit.snapshot(current, TRACKED_FIELDS)
    articles_before = _articles_text(current)
    for name, value in data.items():
        setattr(current, name, value)
    current.full_clean()
    changes = audit.diff(before, audit.snapshot(current, TRACKED_FIELDS))
    if articles is not None:
        _replace_articles(current, articles)
        articles_after = _articles_text(current)
        if articles_after != articles_before:
            changes["articles"] = [articles_before, articles_after]
    if not changes:
        return {}
    current.version += 1
    current.save()
    audit.record(
        facility=current.facility_id,
        actor=by,
        action=f"inmates.inmate.updated.{source}",
        target=current,
        summary=", ".join(changes),
        changes=changes,
    )
    inmate.refresh_from_db()
    return changes


@transaction.atomic
def inmate_transfer(
    *, inmate: Inmate, by: Any, to_facility: Facility, on: datetime.date, reason: str
) -> Inmate:
    """Record that a WBP left for another UPT; the record stays here as history."""
    current = Inmate.objects.select_for_update().get(pk=inmate.pk)
    if current.status != CustodyStatus.IN_CUSTODY:
        raise InvalidTransition(_("Hanya WBP yang masih dalam tahanan dapat dipindahkan."))
    if to_facility.pk == current.facility_id:
        raise InvalidTransition(_("UPT tujuan sama dengan UPT asal."))
    current.status = CustodyStatus.TRANSFERRED
    current.status_changed_on = on
    current.version += 1
    current.save(update_fields=["status", "status_changed_on", "version"])
    CustodyEvent.objects.create(
        inmate=current,
        kind=CustodyEventKind.TRANSFERRED,
        occurred_on=on,
        to_facility=to_facility,
        reason=reason,
        recorded_by=by,
    )
    audit.record(
        facility=current.facility_id,
        actor=by,
        action="inmates.inmate.transferred",
        target=current,
        summary=f"{to_facility} · {reason}",
        changes={"status": [CustodyStatus.IN_CUSTODY, CustodyStatus.TRANSFERRED]},
    )
    return current


@transaction.atomic
def inmate_release(
    *, inmate: Inmate, by: Any, on: datetime.date, kind: ReleaseKind | str, reason: str
) -> Inmate:
    """Record the release of a WBP."""
    current = Inmate.objects.select_for_update().get(pk=inmate.pk)
    if current.status != CustodyStatus.IN_CUSTODY:
        raise InvalidTransition(_("Hanya WBP yang masih dalam tahanan dapat dibebaskan."))
    if on < current.admission_date:
        raise InvalidTransition(_("Tanggal bebas tidak boleh sebelum tanggal masuk."))
    current.status = CustodyStatus.RELEASED
    current.status_changed_on = on
    current.version += 1
    current.save(update_fields=["status", "status_changed_on", "version"])
    CustodyEvent.objects.create(
        inmate=current,
        kind=CustodyEventKind.RELEASED,
        occurred_on=on,
        release_kind=kind,
        reason=reason,
        recorded_by=by,
    )
    audit.record(
        facility=current.facility_id,
        actor=by,
        action="inmates.inmate.released",
        target=current,
        summary=f"{ReleaseKind(kind).label} · {reason}",
        changes={"status": [CustodyStatus.IN_CUSTODY, CustodyStatus.RELEASED]},
    )
    return current
