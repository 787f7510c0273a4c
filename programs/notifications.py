"""Reminders of the programmes: post-release follow-ups due this week, releases of enrolled WBP
in the next 30 days, placements waiting for the warden, and sessions moved or cancelled."""

from __future__ import annotations

import datetime

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from inmates.models import CustodyStatus
from programs.models import (
    OPEN_STATES,
    Aftercare,
    Enrolment,
    EnrolmentState,
    Session,
    SessionStatus,
)
from rehab.models import Facility, NotificationKind
from rehab.notifications import Reminder, holders, reminders_for

AFTERCARE_NOTICE_DAYS = 7
RELEASE_NOTICE_DAYS = 30
SCHEDULE_CHANGE_DAYS = 7


def _date(day: datetime.date) -> str:
    return day.strftime("%d-%m-%Y")


def aftercare_due(facility: Facility, day: datetime.date) -> list[Reminder]:
    """Follow-ups not yet recorded falling due by the end of the week: for the counsellor they
    are assigned to, or every counsellor of the facility when nobody is."""
    users = holders(facility, "aftercare.record")
    if not users:
        return []
    found: list[Reminder] = []
    due = Aftercare.objects.filter(
        facility=facility,
        recorded_at__isnull=True,
        due_on__lte=day + datetime.timedelta(days=AFTERCARE_NOTICE_DAYS),
    ).filter(Q(counselor_id__in=users) | Q(counselor__isnull=True))
    for follow_up in due.select_related("inmate").order_by("due_on", "id"):
        title = _("Pemantauan pascarehabilitasi %(name)s bulan ke-%(month)s: %(on)s") % {
            "name": follow_up.inmate.full_name,
            "month": follow_up.month,
            "on": _date(follow_up.due_on),
        }
        url = reverse("programs:aftercare_record", args=[follow_up.pk])
        to = [follow_up.counselor_id] if follow_up.counselor_id else users
        found += reminders_for(to, NotificationKind.AFTERCARE_DUE, title, url, str(follow_up.pk))
    return found


def releases_soon(facility: Facility, day: datetime.date) -> list[Reminder]:
    """WBP in custody, in a programme, released within 30 days: for those who plan releases."""
    users = holders(facility, "release.plan")
    if not users:
        return []
    found: list[Reminder] = []
    enrolled = (
        Enrolment.objects.filter(
            facility=facility,
            state__in=OPEN_STATES,
            inmate__status=CustodyStatus.IN_CUSTODY,
            inmate__release_date__range=(day, day + datetime.timedelta(days=RELEASE_NOTICE_DAYS)),
        )
        .select_related("inmate")
        .order_by("inmate__release_date", "inmate_id")
    )
    seen: set[int] = set()
    for enrolment in enrolled:
        inmate = enrolment.inmate
        if inmate.pk in seen or inmate.release_date is None:
            continue
        seen.add(inmate.pk)
        title = _("%(name)s bebas %(on)s: siapkan rencana pembebasan") % {
            "name": inmate.full_name,
            "on": _date(inmate.release_date),
        }
        url = reverse("programs:release_plan", args=[inmate.pk])
        key = f"{inmate.pk}:{inmate.release_date.isoformat()}"
        found += reminders_for(users, NotificationKind.RELEASE_SOON, title, url, key)
    return found


def approvals_waiting(facility: Facility, day: datetime.date) -> list[Reminder]:
    """Placements proposed and not yet decided: for the warden."""
    users = holders(facility, "enrolment.approve")
    if not users:
        return []
    found: list[Reminder] = []
    url = reverse("programs:approvals")
    proposed = Enrolment.objects.filter(facility=facility, state=EnrolmentState.PROPOSED)
    for enrolment in proposed.select_related("inmate").order_by("created_at", "id"):
        title = _("Usulan penempatan %(name)s menunggu persetujuan") % {
            "name": enrolment.inmate.full_name
        }
        found += reminders_for(
            users, NotificationKind.APPROVAL_WAITING, title, url, str(enrolment.pk)
        )
    return found


def sessions_changed(facility: Facility, day: datetime.date) -> list[Reminder]:
    """Sessions moved or cancelled in the last week that are still to come: for the people who
    run the programme. Each change is a new reminder (the key carries when it was made)."""
    users = holders(facility, "programme.manage")
    if not users:
        return []
    found: list[Reminder] = []
    tz = facility.tzinfo
    start = datetime.datetime.combine(day, datetime.time.min, tzinfo=tz)
    since = timezone.now() - datetime.timedelta(days=SCHEDULE_CHANGE_DAYS)
    changed = Session.objects.filter(
        facility=facility, changed_at__gte=since, starts_at__gte=start
    ).select_related("cohort", "enrolment__inmate")
    for session in changed.order_by("starts_at", "id"):
        what = (
            session.cohort.name
            if session.cohort
            else (session.enrolment.inmate.full_name if session.enrolment else "")
        )
        values = {"what": what, "when": session.starts_at.astimezone(tz).strftime("%d-%m-%Y %H.%M")}
        if session.status == SessionStatus.CANCELLED:
            title = _("Sesi %(what)s %(when)s dibatalkan") % values
        else:
            title = _("Sesi %(what)s dipindah ke %(when)s") % values
        url = reverse("programs:session_detail", args=[session.pk])
        assert session.changed_at is not None
        key = f"{session.pk}:{session.changed_at.isoformat()}"
        found += reminders_for(users, NotificationKind.SESSION_CHANGED, title, url, key)
    return found
