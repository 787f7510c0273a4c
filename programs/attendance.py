"""One rule set for attendance, at group and individual sessions and at skills course meetings.

What counts as attended, how the rate is rounded and when a mark may be taken are decided here
and nowhere else: the session and meeting screens, the enrolment and course pages, the completion
gate and its certificate, the monthly report and the regional roll-up all call these.

* Attended means present or late; excused ("Izin") and absent do not count.
* Only marks at held sessions or meetings count.
* The rate is attended / marks, as a percentage rounded half-up to one decimal (6.25 -> 6.3).
* A mark is taken only for a session that is not cancelled and whose day (in the facility's
  time zone) has come; never for the future.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from zoneinfo import ZoneInfo

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from programs.skills.models import CourseAttendance, Trainee
from programs.tiers.models import Attendance, AttendanceStatus, Enrolment, SessionStatus

ATTENDED = (AttendanceStatus.PRESENT, AttendanceStatus.LATE)


class MarkRefused(Exception):
    """Attendance that may not be taken; the message says why, in Indonesian."""


def attended_q(prefix: str = "") -> Q:
    """The filter of an attended mark; `prefix` reaches the mark through a relation."""
    return Q(**{f"{prefix}status__in": ATTENDED})


def rate(part: int, whole: int) -> float | None:
    """Return part of whole as a percentage rounded half-up to one decimal; None if whole is 0."""
    if not whole:
        return None
    percent = Decimal(100 * part) / Decimal(whole)
    return float(percent.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


@dataclass(frozen=True)
class Tally:
    """One person's marks at held sessions (or meetings) and how many of them were attended."""

    marks: int = 0
    attended: int = 0

    @property
    def rate(self) -> float | None:
        return rate(self.attended, self.marks)


def check_markable(
    *,
    status: str,
    starts_at: datetime.datetime,
    tz: ZoneInfo,
    marks: dict[int, str],
    roster: Iterable[int],
) -> None:
    """Refuse attendance that the rules do not allow, before anything is written."""
    if status == SessionStatus.CANCELLED:
        raise MarkRefused(_("Jadwal ini dibatalkan; kehadiran tidak dicatat."))
    if starts_at.astimezone(tz).date() > timezone.now().astimezone(tz).date():
        raise MarkRefused(_("Kehadiran untuk jadwal yang belum berlangsung tidak dapat dicatat."))
    if set(marks) - set(roster):
        raise MarkRefused(_("Ada peserta yang bukan anggota jadwal ini."))
    if any(mark not in AttendanceStatus.values for mark in marks.values()):
        raise MarkRefused(_("Status kehadiran tidak dikenal."))


def _held_counts(marks: Q) -> dict[str, Count]:
    return {
        "n_marks": Count("id", filter=marks),
        "n_attended": Count("id", filter=marks & attended_q()),
    }


def enrolment_tallies(enrolment_ids: Iterable[int]) -> dict[int, Tally]:
    """Each enrolment's tally over its group and individual sessions, in one query."""
    rows = (
        Attendance.objects.filter(enrolment_id__in=list(enrolment_ids))
        .values("enrolment_id")
        .annotate(**_held_counts(Q(session__status=SessionStatus.HELD)))
    )
    return {r["enrolment_id"]: Tally(r["n_marks"], r["n_attended"]) for r in rows}


def enrolment_tally(enrolment: Enrolment) -> Tally:
    """The enrolment's tally, with the sessions of the programme it continues after a transfer
    (and that one's, and so on) added: they count toward completion here."""
    tallies = enrolment_tallies(continued_ids(enrolment))
    return Tally(sum(t.marks for t in tallies.values()), sum(t.attended for t in tallies.values()))


def continued_ids(enrolment: Enrolment) -> list[int]:
    """The enrolment and the ones it continues (after transfers), this one first."""
    chain = [enrolment.pk]
    before = enrolment.continues_id
    while before is not None and before not in chain:
        chain.append(before)
        before = Enrolment.objects.filter(pk=before).values_list("continues_id", flat=True).first()
    return chain


def trainee_tallies(trainee_ids: Iterable[int]) -> dict[int, Tally]:
    """Each trainee's tally over the meetings of the course, in one query."""
    rows = (
        CourseAttendance.objects.filter(trainee_id__in=list(trainee_ids))
        .values("trainee_id")
        .annotate(**_held_counts(Q(meeting__status=SessionStatus.HELD)))
    )
    return {r["trainee_id"]: Tally(r["n_marks"], r["n_attended"]) for r in rows}


def trainee_tally(trainee: Trainee) -> Tally:
    return trainee_tallies([trainee.pk]).get(trainee.pk, Tally())
