"""Completion gated on attendance, the warden's waiver, and the certificate register.

A programme enrolment completes, and a skills trainee is certified, only when the person
attended at least the track's or course's `required_percent` of the held sessions (meetings),
and, for a track, every required session kind as many times as its requirement says. Below
that, completing and printing the certificate are refused with the numbers, unless the warden
waived the requirement with a reason (audited, shown on the record). Every certificate gets the
next number of its facility's register for the year (a database constraint keeps it unique).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.db.models import Count, Max
from django.utils import formats
from django.utils.translation import gettext as _

from programs import attendance
from programs.completion.models import Certificate, CompletionWaiver
from programs.models import (
    Attendance,
    Enrolment,
    EnrolmentState,
    Trainee,
    TraineeState,
)
from rehab import audit
from rehab.models import Facility

REASON_MAX = 255


class CompletionRefused(Exception):
    """A completion, certificate or waiver the rules do not allow; the message says why."""


def _percent(value: float | None) -> str:
    return "-" if value is None else f"{formats.number_format(value, 1)}%"


@dataclass(frozen=True)
class Gate:
    """Where one person stands against the attendance requirement."""

    tally: attendance.Tally
    required_percent: int
    unit: str
    shortfalls: list[str] = field(default_factory=list)
    waiver: CompletionWaiver | None = None

    @property
    def met(self) -> bool:
        if self.shortfalls:
            return False
        if self.tally.marks == 0:
            return self.required_percent == 0
        return (self.tally.rate or 0) >= self.required_percent

    @property
    def allowed(self) -> bool:
        return self.met or self.waiver is not None

    @property
    def summary(self) -> str:
        """E.g. "Hadir 5 dari 10 sesi terlaksana (50,0%); syarat 80%"."""
        text = _(
            "Hadir %(attended)d dari %(marks)d %(unit)s terlaksana (%(rate)s); syarat %(req)d%%"
        ) % {
            "attended": self.tally.attended,
            "marks": self.tally.marks,
            "unit": self.unit,
            "rate": _percent(self.tally.rate),
            "req": self.required_percent,
        }
        return "; ".join([text, *self.shortfalls])

    def refusal(self) -> str:
        return _("Belum memenuhi syarat kehadiran: %(summary)s.") % {"summary": self.summary}


def requirement_progress(enrolment: Enrolment) -> list[dict[str, Any]]:
    """For each required session kind of the track: how many attended out of how many required."""
    attended = dict(
        Attendance.objects.filter(
            attendance.attended_q(),
            enrolment_id__in=attendance.continued_ids(enrolment),
            session__status="held",
        )
        .values_list("session__kind")
        .annotate(n=Count("id"))
    )
    return [
        {
            "kind": r.get_session_kind_display(),
            "required": r.count,
            "attended": attended.get(r.session_kind, 0),
        }
        for r in enrolment.track.requirements.all()
    ]


def enrolment_gate(enrolment: Enrolment, progress: list[dict[str, Any]] | None = None) -> Gate:
    progress = requirement_progress(enrolment) if progress is None else progress
    shortfalls = [
        _("%(kind)s %(attended)d dari %(required)d wajib") % p
        for p in progress
        if p["attended"] < p["required"]
    ]
    return Gate(
        tally=attendance.enrolment_tally(enrolment),
        required_percent=enrolment.track.required_percent,
        unit=_("sesi"),
        shortfalls=shortfalls,
        waiver=CompletionWaiver.objects.filter(enrolment=enrolment).select_related("by").first(),
    )


def trainee_gate(trainee: Trainee) -> Gate:
    return Gate(
        tally=attendance.trainee_tally(trainee),
        required_percent=trainee.course.required_percent,
        unit=_("pertemuan"),
        waiver=CompletionWaiver.objects.filter(trainee=trainee).select_related("by").first(),
    )


def _waive(
    *, gate: Gate, by: Any, reason: str, facility_id: int, **holder: Any
) -> CompletionWaiver:
    reason = reason.strip()
    if not reason:
        raise CompletionRefused(_("Tuliskan alasan pengecualian."))
    if len(reason) > REASON_MAX:
        raise CompletionRefused(_("Alasan paling banyak %(n)d karakter.") % {"n": REASON_MAX})
    if gate.waiver is not None:
        raise CompletionRefused(_("Syarat kehadiran sudah dikecualikan."))
    if gate.met:
        raise CompletionRefused(_("Kehadiran sudah memenuhi syarat; tidak perlu pengecualian."))
    waiver = CompletionWaiver.objects.create(
        facility_id=facility_id,
        reason=reason,
        marks=gate.tally.marks,
        attended=gate.tally.attended,
        required_percent=gate.required_percent,
        by=by,
        **holder,
    )
    (person,) = holder.values()
    audit.record(
        facility=facility_id,
        actor=by,
        action="programs.completion.waived",
        target=person.inmate,
        summary=f"{gate.summary}: {reason}"[:255],
        changes=audit.diff({"waiver": None}, {"waiver": f"{gate.summary}: {reason}"}),
        subject=waiver,
    )
    return waiver


@transaction.atomic
def enrolment_waive(*, enrolment: Enrolment, by: Any, reason: str) -> CompletionWaiver:
    """The warden lets an active participant complete below the attendance requirement."""
    current = (
        Enrolment.objects.select_for_update(of=("self",))
        .select_related("track", "inmate")
        .get(pk=enrolment.pk)
    )
    if current.state != EnrolmentState.ACTIVE:
        raise CompletionRefused(_("Pengecualian hanya untuk peserta yang sedang aktif."))
    return _waive(
        gate=enrolment_gate(current),
        by=by,
        reason=reason,
        facility_id=current.facility_id,
        enrolment=current,
    )


@transaction.atomic
def trainee_waive(*, trainee: Trainee, by: Any, reason: str) -> CompletionWaiver:
    """The warden lets an enrolled trainee be certified below the attendance requirement."""
    current = (
        Trainee.objects.select_for_update(of=("self",))
        .select_related("course", "inmate")
        .get(pk=trainee.pk)
    )
    if current.state != TraineeState.ENROLLED:
        raise CompletionRefused(_("Pengecualian hanya untuk peserta yang masih terdaftar."))
    return _waive(
        gate=trainee_gate(current),
        by=by,
        reason=reason,
        facility_id=current.facility_id,
        trainee=current,
    )


def certificate_issue(*, by: Any, on: datetime.date, **holder: Any) -> Certificate:
    """Give the enrolment (or trainee) the next number of its facility's register for the year.
    Runs inside the caller's transaction; the facility row is locked so two completions at once
    cannot take the same number (and the unique constraint would refuse it anyway)."""
    (person,) = holder.values()
    existing = Certificate.objects.filter(**holder).first()
    if existing is not None:
        return existing
    Facility.objects.select_for_update().filter(pk=person.facility_id).first()
    last = Certificate.objects.filter(facility_id=person.facility_id, year=on.year).aggregate(
        n=Max("number")
    )["n"]
    return Certificate.objects.create(
        facility_id=person.facility_id,
        year=on.year,
        number=(last or 0) + 1,
        issued_on=on,
        issued_by=by,
        **holder,
    )


@transaction.atomic
def certificate_for_print(*, by: Any, gate: Gate, on: datetime.date, **holder: Any) -> Certificate:
    """The certificate to print: refused below the requirement without a waiver (attendance may
    have been corrected since completion); a record completed before the register gets its
    number now."""
    if not gate.allowed:
        raise CompletionRefused(gate.refusal())
    return certificate_issue(by=by, on=on, **holder)
