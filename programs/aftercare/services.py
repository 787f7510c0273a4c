"""Release planning and post-release follow-up (pascarehabilitasi): the checklist before release,
the follow-up schedule that release creates, and what each follow-up found."""

from __future__ import annotations

import calendar
import datetime
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from inmates.models import CustodyStatus, Inmate, ReleaseKind
from programs.aftercare.models import ContactMethod, Outcome
from programs.models import (
    SEATED_STATES,
    Aftercare,
    DropReason,
    Enrolment,
    EnrolmentState,
    ReleasePlan,
)
from programs.skills import services as skills
from programs.tiers.services import _free_seat_goes_to_waitlist, _move
from rehab import audit, versions
from rehab.formats import short_date

# What a follow-up found (relapse, work, aid) reaches clinical roles only; the WBP's history,
# which every case reader sees, names those fields as changed, never their values.
AFTERCARE_FIELDS = [
    "contacted_on", "method", "outcome", "employment", "aid_kind", "aid_amount", "notes",
]  # fmt: skip
AFTERCARE_SECRET = {"outcome", "employment", "aid_kind", "aid_amount", "notes"}


def releases_upcoming(facility_ids: list[int], day: datetime.date) -> QuerySet[Inmate]:
    """WBP in custody whose release date falls within the planning window from `day`."""
    until = day + datetime.timedelta(days=settings.RELEASE_PLANNING_DAYS)
    return Inmate.objects.filter(
        facility_id__in=facility_ids,
        status=CustodyStatus.IN_CUSTODY,
        release_date__gte=day,
        release_date__lte=until,
    ).order_by("release_date", "full_name", "id")


def add_months(day: datetime.date, months: int) -> datetime.date:
    """Return the same day `months` later, or the month's last day when it is shorter."""
    year, month = divmod(day.month - 1 + months, 12)
    year, month = day.year + year, month + 1
    last = calendar.monthrange(year, month)[1]
    return day.replace(year=year, month=month, day=min(day.day, last))


def follow_up_dates(released_on: datetime.date) -> list[tuple[int, datetime.date]]:
    """Return (month, due date) for each configured follow-up after a release on that day."""
    return [(m, add_months(released_on, m)) for m in settings.AFTERCARE_MONTHS]


def _end_programmes(
    inmate: Inmate,
    *,
    by: Any,
    on: datetime.date,
    reason: str = "",
    drop_reason: str = DropReason.RELEASED,
) -> None:
    """Close what the WBP held in rehabilitation programmes when they leave custody."""
    reason = reason or _("WBP bebas.")
    for enrolment in (
        Enrolment.objects.select_for_update(of=("self",))
        .filter(
            inmate=inmate,
            state__in=[*SEATED_STATES, EnrolmentState.WAITLISTED, EnrolmentState.PROPOSED],
        )
        .select_related("cohort", "inmate", "track")
    ):
        was_seated = enrolment.state in SEATED_STATES
        to = (
            EnrolmentState.REJECTED
            if enrolment.state == EnrolmentState.PROPOSED
            else EnrolmentState.DROPPED_OUT
        )
        _move(enrolment, to, by=by, on=on, reason=reason, drop_reason=drop_reason)
        if was_seated:
            _free_seat_goes_to_waitlist(enrolment.cohort, by=by, on=on)


def transfer_ends_programmes(
    *, origin: Inmate, received: Inmate, by: Any, on: datetime.date
) -> None:
    """Run as part of accepting a transfer: the origin's programme and skills places end as
    "Pindah UPT"; the destination may continue the programme
    (programs.tiers.services.enrolment_continue)."""
    _end_places_on_transfer(origin, by=by, on=on, destination=str(received.facility))


def transfer_out_ends_programmes(
    *, inmate: Inmate, by: Any, on: datetime.date, destination: str
) -> None:
    """Run as part of a transfer to a UPT outside rehab: the same ends as an accepted transfer."""
    _end_places_on_transfer(inmate, by=by, on=on, destination=destination)


def _end_places_on_transfer(
    inmate: Inmate, *, by: Any, on: datetime.date, destination: str
) -> None:
    reason = _("Pindah ke %(facility)s.") % {"facility": destination}
    _end_programmes(inmate, by=by, on=on, reason=reason, drop_reason=DropReason.TRANSFERRED)
    skills.trainees_end_on_release(inmate=inmate, by=by, on=on, reason=reason)


def release_consequences(*, inmate: Inmate, by: Any, on: datetime.date, kind: str) -> None:
    """Run as part of a release: end programme places and schedule the follow-ups."""
    _end_programmes(inmate, by=by, on=on)
    skills.trainees_end_on_release(inmate=inmate, by=by, on=on)
    if kind == ReleaseKind.DIED:
        return
    plan = ReleasePlan.objects.filter(inmate=inmate).first()
    counselor_id = plan.counselor_id if plan else None
    Aftercare.objects.bulk_create(
        Aftercare(
            facility_id=inmate.facility_id,
            inmate=inmate,
            month=month,
            due_on=due,
            counselor_id=counselor_id,
        )
        for month, due in follow_up_dates(on)
    )
    audit.record(
        facility=inmate.facility_id,
        actor=by,
        action="programs.aftercare.scheduled",
        target=inmate,
        summary=", ".join(short_date(d) for _m, d in follow_up_dates(on)),
        changes=audit.diff(
            {}, {"follow_ups": ", ".join(d.isoformat() for _m, d in follow_up_dates(on))}
        ),
    )


def readmission_closes_follow_ups(
    *, inmate: Inmate, previous: Inmate, by: Any, on: datetime.date
) -> None:
    """Run as part of registering a released person again: the follow-ups of the earlier release
    that were still open end as "kembali ditahan" on the day of the new admission. They are
    outcomes like any other, counted by the reports in the month of that day."""
    open_follow_ups = Aftercare.objects.select_for_update().filter(
        inmate=previous, recorded_at__isnull=True
    )
    now = timezone.now()
    note = _("Ditutup otomatis: kembali ditahan di %(facility)s sejak %(day)s.") % {
        "facility": inmate.facility.name,
        "day": short_date(on),
    }
    for follow_up in open_follow_ups:
        before = audit.snapshot(follow_up, AFTERCARE_FIELDS)
        follow_up.outcome = Outcome.REDETAINED
        follow_up.contacted_on = on
        follow_up.method = ContactMethod.AGENCY
        follow_up.notes = note
        follow_up.recorded_by = by if getattr(by, "is_authenticated", False) else None
        follow_up.recorded_at = now
        # An open form of this follow-up is now stale: its save is refused as a conflict.
        follow_up.version += 1
        follow_up.save()
        audit.record(
            facility=follow_up.facility_id,
            actor=by,
            action="programs.aftercare.closed_readmitted",
            target=previous,
            summary=_("Pemantauan bulan ke-%(m)s ditutup: kembali ditahan")
            % {"m": follow_up.month},
            changes=audit.diff(
                before, audit.snapshot(follow_up, AFTERCARE_FIELDS), secret=AFTERCARE_SECRET
            ),
            subject=follow_up,
        )


@transaction.atomic
def release_plan_save(
    *, inmate: Inmate, by: Any, data: dict[str, Any], version: int
) -> ReleasePlan:
    """Create or update the release checklist; refuse (EditConflict) a save over a newer one.
    `version` is that of the plan the form was opened at: 0 when there was no plan yet."""
    plan = ReleasePlan.objects.select_for_update().filter(inmate=inmate).first()
    if plan is None:
        plan = ReleasePlan(facility_id=inmate.facility_id, inmate=inmate, updated_by=by)
    else:
        versions.claim(plan, version)
    before = audit.snapshot(plan, data) if plan.pk else {}
    for name, value in data.items():
        setattr(plan, name, value)
    changes = audit.diff(before, audit.snapshot(plan, data))
    plan.updated_by = by
    try:
        with transaction.atomic():
            plan.save()
    except IntegrityError:  # two first saves at once: the other one created the plan
        raise versions.EditConflict from None
    if plan.counselor_id:
        # Follow-ups not yet done follow the plan's counselor.
        Aftercare.objects.filter(inmate=inmate, recorded_at__isnull=True).update(
            counselor_id=plan.counselor_id
        )
    audit.record(
        facility=inmate.facility_id,
        actor=by,
        action="programs.release_plan.saved",
        target=inmate,
        summary=_("Rencana pembebasan"),
        changes=changes,
        subject=plan,
    )
    return plan


@transaction.atomic
def aftercare_record(
    *, aftercare: Aftercare, by: Any, data: dict[str, Any], version: int
) -> Aftercare:
    """Record what a follow-up found; a second save over an older form is a conflict."""
    current = Aftercare.objects.select_for_update().get(pk=aftercare.pk)
    versions.claim(current, version)
    before = audit.snapshot(current, AFTERCARE_FIELDS)
    for name, value in data.items():
        setattr(current, name, value)
    current.recorded_by = by
    current.recorded_at = timezone.now()
    current.save()
    audit.record(
        facility=current.facility_id,
        actor=by,
        action="programs.aftercare.recorded",
        target=current.inmate,
        # What was found (relapse, a urine result) stays out of the history, which every
        # case reader sees.
        summary=_("Pemantauan bulan ke-%(m)s") % {"m": current.month},
        changes=audit.diff(
            before, audit.snapshot(current, AFTERCARE_FIELDS), secret=AFTERCARE_SECRET
        ),
        subject=current,
    )
    return current
