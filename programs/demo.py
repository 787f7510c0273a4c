"""Demo programmes: the facility calendar, cohorts with their schedules, placements from the
signed assessments, attendance and its follow-ups.

Used only by `manage.py seed_demo`, after the assessments exist. Placements, approvals, state
moves, schedules and attendance go through programs.services, so the transition table, the
capacity and waitlist rules and the absence follow-ups are the app's own. Draws come from a
fixed seed; dates are relative to today.

The demo replays the weeks before today in order: a WBP is proposed the day after the
assessment (never before it, and at most three weeks before the cohort starts), the warden
approves a day or two later, attendance is taken at each past session of the people seated that
day, and a cohort that has ended closes with its graduates. The dates the services stamp "today"
(the proposal's event, creation times, when attendance was recorded) are then set to the day
they happened in that replay.

What it shows, per demo Rutan: a Berat cohort that ended last week with its graduates, a
Therapeutic Community and a Sedang cohort under way (with attendance, one participant who missed
three sessions in a row and so has a follow-up, one drop-out for a violation), a Ringan and a
Berat cohort starting this week and a small Sedang group after the current one (full, with a
waitlist where there are enough candidates); proposals made today wait for the Karutan.
"""

from __future__ import annotations

import datetime
import random
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from django.utils import timezone

from assessments.models import Assessment, Tier
from inmates.models import CustodyStatus, Inmate
from programs import attendance
from programs.completion import services as completion
from programs.models import (
    OPEN_STATES,
    ActivityKind,
    Attendance,
    AttendanceStatus,
    Cohort,
    Competency,
    Course,
    CourseAttendance,
    CourseKind,
    CourseMeeting,
    DropReason,
    Enrolment,
    EnrolmentEvent,
    EnrolmentState,
    Facilitator,
    FacilityActivity,
    FollowUp,
    Module,
    ProviderKind,
    Room,
    Session,
    SessionKind,
    SessionStatus,
    Track,
    TrackKind,
    Trainee,
    TraineeState,
)
from programs.scheduling.holidays import holidays_between
from programs.skills import services as skills
from programs.tiers import services
from rehab.models import Agency, AuditEntry, Facility, Membership, Role

if TYPE_CHECKING:
    from rehab.demo import DemoOrganisation

MON, TUE, WED, THU, FRI, SAT = range(6)

# A WBP may still join a cohort this many days after it started; later ones wait for the next.
LATE_JOIN_DAYS = 7
# Proposals are made at most this many days before a cohort starts.
PROPOSE_AHEAD_DAYS = 21
# Individual counselling: the first session two days after placement, then every so many days,
# planned up to a week ahead.
INDIVIDUAL_EVERY = {"tc": 7, "sedang_now": 10, "old_berat": 14}
INDIVIDUAL_AHEAD_DAYS = 7
INDIVIDUAL_PLACE = "Ruang Konseling"

# Attendance of a past session, for everyone but the one who stops coming.
MARKS = (
    (AttendanceStatus.PRESENT, 86),
    (AttendanceStatus.LATE, 6),
    (AttendanceStatus.EXCUSED, 5),
    (AttendanceStatus.ABSENT, 3),
)


def _t(text: str) -> datetime.time:
    return datetime.time.fromisoformat(text)


def _days(n: int) -> datetime.timedelta:
    return datetime.timedelta(days=n)


# --- The facility calendar -------------------------------------------------------------------

# (title, kind, weekday, start, end): the same every week in both demo Rutan.
WEEKLY = [
    ("Jam kunjungan keluarga", ActivityKind.VISITING, TUE, "09:00", "12:00"),
    ("Jam kunjungan keluarga", ActivityKind.VISITING, THU, "09:00", "12:00"),
    ("Senam pagi (Jumat sehat)", ActivityKind.PEMBINAAN, FRI, "07:00", "08:00"),
    ("Pramuka / pembinaan kepribadian", ActivityKind.PEMBINAAN, FRI, "08:00", "10:00"),
    ("Salat Jumat berjamaah", ActivityKind.PEMBINAAN, FRI, "11:30", "13:00"),
]

# Holidays are put on the calendar from the first of this month to this many days ahead (the
# list itself, national holidays and cuti bersama by year, is programs/scheduling/holidays.py).
HOLIDAYS_AHEAD_DAYS = 45

# (name, capacity): the rooms of each demo Rutan. Big enough for the cohorts and the courses
# held in them; the outdoor places of Banjarnegara's courses (the pond, the farm plot) are no
# room and stay free text.
ROOMS_BOTH = [
    ("Aula Pembinaan", 40),
    ("Ruang Rehabilitasi", 20),
    ("Wisma Komunitas Terapeutik", 30),
    (INDIVIDUAL_PLACE, 8),
    ("Ruang Keterampilan", 12),
]
ROOMS = {
    "tanah-grogot": [
        *ROOMS_BOTH,
        ("Bengkel Kerja Menjahit", 16),
        ("Dapur Pelatihan", 12),
        ("Bengkel Kerja", 12),
    ],
    "banjarnegara": ROOMS_BOTH,
}


def seed_rooms(facility: Facility, staff: Any) -> None:
    """The rooms of a demo Rutan (a second run adds nothing)."""
    for name, capacity in ROOMS.get(facility.code, []):
        Room.objects.get_or_create(
            facility=facility, name=name, defaults={"capacity": capacity, "created_by": staff}
        )


def seed_calendar(facility: Facility, today: datetime.date) -> set[datetime.date]:
    """Put the weekly activities and the coming holidays on the calendar; return the holidays."""
    for title, kind, weekday, start, end in WEEKLY:
        FacilityActivity.objects.get_or_create(
            facility=facility,
            title=title,
            weekday=weekday,
            date=None,
            defaults={"kind": kind, "start_time": _t(start), "end_time": _t(end)},
        )
    holidays = holidays_between(today.replace(day=1), today + _days(HOLIDAYS_AHEAD_DAYS))
    for date, title in holidays:
        FacilityActivity.objects.get_or_create(
            facility=facility, date=date, title=title, defaults={"kind": ActivityKind.HOLIDAY}
        )
    return {date for date, _title in holidays}


# --- People and places -----------------------------------------------------------------------


@dataclass(frozen=True)
class Speaker:
    """An outside speaker; agency is a demo agency's name, or "" for one outside the demo."""

    name: str
    agency: str
    topic: str

    @property
    def label(self) -> str:
        return f"{self.name} ({self.agency})" if self.agency else self.name


@dataclass(frozen=True)
class Locale:
    seed: str
    counselor: str
    warden: str
    staff: str
    speakers: Mapping[str, Speaker]


LOCALES = {
    "tanah-grogot": Locale(
        seed="rehab-demo-grogot-programs",
        counselor="konselor.grogot",
        warden="karutan.grogot",
        staff="staf.grogot",
        speakers={
            "bnn": Speaker("Siti Rahmah, S.Sos.", "BNK Paser", "Edukasi napza"),
            "dokter": Speaker(
                "dr. Fitriani Rahman, Puskesmas Tanah Grogot",
                "Dinas Kesehatan Kabupaten Paser",
                "Kesehatan: HIV, hepatitis dan TB",
            ),
            "psikolog": Speaker(
                "Psikolog Ratna Sari, M.Psi. (RSUD Panglima Sebaya)", "", "Psikologi"
            ),
            "ustaz": Speaker(
                "Ustaz H. Muhammad Arsyad, S.Ag. (Kemenag Kabupaten Paser)",
                "",
                "Bimbingan keagamaan",
            ),
            "blk": Speaker(
                "Budi Santoso, instruktur BLK",
                "Disnakertrans Kabupaten Paser",
                "Vokasional: las dan perbengkelan",
            ),
        },
    ),
    "banjarnegara": Locale(
        seed="rehab-demo-banjarnegara-programs",
        counselor="konselor.banjarnegara",
        warden="karutan.banjarnegara",
        staff="staf.banjarnegara",
        speakers={
            "bnn": Speaker("Tri Wahyuni, S.Psi.", "BNNK Purbalingga", "Edukasi napza"),
            "dokter": Speaker(
                "dr. Wahyu Nugroho, Puskesmas Banjarnegara 1",
                "Dinas Kesehatan Kabupaten Banjarnegara",
                "Kesehatan: HIV, hepatitis dan TB",
            ),
            "psikolog": Speaker(
                "Psikolog Lestari Widyaningrum, M.Psi. (RSUD Hj. Anna Lasmanah Banjarnegara)",
                "",
                "Psikologi",
            ),
            "ustaz": Speaker(
                "Ustaz Ahmad Fauzi, S.Pd.I. (Kemenag Kabupaten Banjarnegara)",
                "",
                "Bimbingan keagamaan",
            ),
            "blk": Speaker(
                "Sugeng Riyadi, instruktur BLK",
                "Disnakertrans Kabupaten Banjarnegara",
                "Vokasional: pertanian dan perikanan",
            ),
        },
    ),
}


# --- Cohorts and their timetables ------------------------------------------------------------


@dataclass(frozen=True)
class Line:
    """One weekly line of a cohort's timetable; speaker "" is the counselor."""

    weekdays: tuple[int, ...]
    start: str
    end: str
    kind: str
    module: str
    title: str
    speaker: str = ""


@dataclass(frozen=True)
class CohortSpec:
    key: str
    tier: str
    track_kind: str
    days: int
    name: str
    place: str
    capacity: int
    lines: tuple[Line, ...]
    # Days from today (moved off a weekend), or the key of the cohort it follows.
    start: int = 0
    after: str = ""


RELAPSE_GROUP = "Konseling kelompok: pencegahan kekambuhan"
SEDANG_LINES = (
    Line((MON, WED), "09:00", "11:00", SessionKind.GROUP, "pencegahan-kekambuhan", RELAPSE_GROUP),
    Line((THU,), "13:30", "15:00", SessionKind.RELIGION, "keagamaan", "Bimbingan agama", "ustaz"),
    Line((FRI,), "10:00", "11:30", SessionKind.EDUCATION, "edukasi-napza", "Edukasi napza", "bnn"),
)
BERAT_LINES = (
    Line((MON, WED, FRI), "13:30", "15:30", SessionKind.GROUP, "pencegahan-kekambuhan",
         RELAPSE_GROUP),
    Line((TUE,), "13:30", "15:00", SessionKind.PSYCHOLOGY, "psikologi",
         "Mengelola emosi dan craving", "psikolog"),
    Line((TUE,), "15:15", "16:30", SessionKind.RELIGION, "keagamaan", "Bimbingan agama", "ustaz"),
    Line((THU,), "13:30", "15:00", SessionKind.EDUCATION, "edukasi-napza",
         "Edukasi napza dan hukum", "bnn"),
)  # fmt: skip

# Rooms: the Sedang and Ringan cohorts share the Aula at different hours, the Berat cohorts
# follow one another in the Ruang Rehabilitasi, the TC has its own block, and the Ruang
# Konseling holds individual sessions and, after the current Sedang cohort, a small group.
COHORTS = [
    CohortSpec(
        "old_berat", Tier.BERAT, TrackKind.PROGRAMME, 60, "Berat 60 hari — Angkatan I",
        "Ruang Rehabilitasi", 20, BERAT_LINES, start=-62,
    ),
    CohortSpec(
        "tc", Tier.BERAT, TrackKind.TC, 180, "Komunitas Terapeutik — Angkatan I",
        "Wisma Komunitas Terapeutik", 25,
        (
            Line((MON, TUE, WED, THU, SAT), "07:30", "08:30", SessionKind.TC_MORNING, "",
                 "Pertemuan pagi"),
            Line((TUE, THU), "13:30", "15:30", SessionKind.GROUP, "keterampilan-hidup",
                 "Kelompok sebaya (encounter group)"),
            Line((WED,), "13:30", "15:30", SessionKind.VOCATIONAL, "vokasional",
                 "Pelatihan kerja", "blk"),
        ),
        start=-24,
    ),
    CohortSpec(
        "sedang_now", Tier.SEDANG, TrackKind.PROGRAMME, 30, "Sedang 30 hari — Angkatan I",
        "Aula Pembinaan", 20, SEDANG_LINES, start=-16,
    ),
    CohortSpec(
        "ringan", Tier.RINGAN, TrackKind.PROGRAMME, 15, "Ringan 15 hari — Angkatan I",
        "Aula Pembinaan", 25,
        (
            Line((MON,), "13:30", "15:30", SessionKind.EDUCATION, "edukasi-napza",
                 "Edukasi napza: jenis, efek dan bahayanya", "bnn"),
            Line((TUE,), "13:30", "15:00", SessionKind.RELIGION, "keagamaan", "Bimbingan agama",
                 "ustaz"),
            Line((WED,), "13:30", "15:30", SessionKind.HEALTH, "kesehatan",
                 "HIV, hepatitis dan TB", "dokter"),
            Line((FRI,), "13:30", "15:00", SessionKind.GROUP, "psikologi",
                 "Kelompok: motivasi untuk berubah", "psikolog"),
        ),
        start=3,
    ),
    CohortSpec(
        "berat_next", Tier.BERAT, TrackKind.PROGRAMME, 60, "Berat 60 hari — Angkatan II",
        "Ruang Rehabilitasi", 20, BERAT_LINES, start=4,
    ),
    # A small counselling group: six places, so the demo shows a full cohort and a waitlist.
    CohortSpec(
        "sedang_next", Tier.SEDANG, TrackKind.PROGRAMME, 30, "Sedang 30 hari — Angkatan II",
        INDIVIDUAL_PLACE, 6, SEDANG_LINES, after="sedang_now",
    ),
]  # fmt: skip

# Hour-long individual sessions in the Ruang Konseling, when the members of each cohort are
# free of their own sessions and of the calendar: (weekday, start).
INDIVIDUAL_SLOTS: dict[str, list[tuple[int, str]]] = {
    "tc": [(MON, "09:00"), (MON, "10:00"), (MON, "11:00"), (WED, "09:00"), (WED, "10:00"),
           (WED, "11:00"), (FRI, "13:30"), (FRI, "14:30")],
    "sedang_now": [(TUE, "13:30"), (TUE, "14:30"), (TUE, "15:30"), (WED, "13:30"),
                   (WED, "14:30"), (THU, "15:00")],
    "old_berat": [(MON, "09:00"), (MON, "10:00"), (WED, "09:00"), (WED, "10:00"),
                  (FRI, "10:00")],
}  # fmt: skip


def _weekday_on_or_after(day: datetime.date) -> datetime.date:
    while day.weekday() > FRI:
        day += _days(1)
    return day


# --- The replay ------------------------------------------------------------------------------


@dataclass
class Seeded:
    """What was written for one facility."""

    cohorts: int = 0
    sessions: int = 0
    enrolments: int = 0
    proposed: int = 0
    waitlisted: int = 0
    attendance: int = 0

    def __str__(self) -> str:
        return (
            f"{self.cohorts} cohorts, {self.sessions} sessions, {self.enrolments} enrolments "
            f"({self.proposed} awaiting the Karutan, {self.waitlisted} waitlisted), "
            f"{self.attendance} attendance records"
        )


@dataclass
class Plan:
    """One placement to replay: who, where, proposed when, approved when (None: pending)."""

    assessment: Assessment
    cohort: Cohort
    key: str
    proposed_on: datetime.date
    approved_on: datetime.date | None
    enrolment: Enrolment | None = None


@dataclass
class Replay:
    facility: Facility
    locale: Locale
    rng: random.Random
    today: datetime.date
    tz: ZoneInfo
    counselor: Any
    warden: Any
    staff: Any
    holidays: set[datetime.date]
    modules: dict[str, Module]
    cohorts: dict[str, Cohort] = field(default_factory=dict)
    sessions_on: dict[datetime.date, list[Session]] = field(
        default_factory=lambda: defaultdict(list)
    )
    cancelled: set[int] = field(default_factory=set)
    booked: set[tuple[datetime.date, datetime.time]] = field(default_factory=set)
    # The one who stops coming, and from which session on.
    absentee: int | None = None
    absent_from: datetime.datetime | None = None
    absences: dict[int, int] = field(default_factory=lambda: defaultdict(int))
    dropped: bool = False
    seeded: Seeded = field(default_factory=Seeded)

    def at(self, day: datetime.date, time: datetime.time | str) -> datetime.datetime:
        when = _t(time) if isinstance(time, str) else time
        return datetime.datetime.combine(day, when, tzinfo=self.tz)

    # --- Cohorts and schedules

    def create_cohort(self, spec: CohortSpec, track: Track) -> Cohort:
        if spec.after:
            start = self.cohorts[spec.after].end_date + _days(1)
        else:
            start = self.today + _days(spec.start)
        start = _weekday_on_or_after(start)
        cohort = Cohort.objects.create(
            facility=self.facility,
            track=track,
            name=f"{spec.name} Tahun {start.year}",
            start_date=start,
            end_date=start + _days(track.duration_days - 1),
            capacity=spec.capacity,
            place=spec.place,
            created_by=self.counselor,
        )
        created = min(timezone.now(), self.at(start - _days(28), "10:00"))
        Cohort.objects.filter(pk=cohort.pk).update(created_at=created)
        Facilitator.objects.create(
            cohort=cohort, user=self.counselor, topic="Konseling individu dan kelompok"
        )
        for key in dict.fromkeys(line.speaker for line in spec.lines if line.speaker):
            speaker = self.locale.speakers[key]
            Facilitator.objects.create(
                cohort=cohort,
                name=speaker.name,
                agency=(
                    Agency.objects.filter(name=speaker.agency).first() if speaker.agency else None
                ),
                topic=speaker.topic,
            )
        for line in spec.lines:
            self.schedule(cohort, line)
        self.cohorts[spec.key] = cohort
        self.seeded.cohorts += 1
        return cohort

    def schedule(self, cohort: Cohort, line: Line) -> None:
        sessions, clashes = services.schedule_generate(
            cohort=cohort,
            by=self.counselor,
            weekdays=list(line.weekdays),
            start=_t(line.start),
            end=_t(line.end),
            kind=line.kind,
            module=self.modules.get(line.module),
            place=cohort.place,
        )
        speaker = self.locale.speakers[line.speaker].label if line.speaker else ""
        pks = [s.pk for s in sessions]
        Session.objects.filter(pk__in=pks).update(title=line.title, external_speaker=speaker)
        if not line.speaker:
            through = Session.facilitators.through
            through.objects.bulk_create(
                through(session_id=pk, user_id=self.counselor.pk) for pk in pks
            )
        # The coordinator cancels what falls on a holiday.
        on_holiday = [
            s.pk for s in sessions if s.pk in clashes and s.starts_at.date() in self.holidays
        ]
        if on_holiday:
            Session.objects.filter(pk__in=on_holiday).update(
                status=SessionStatus.CANCELLED, cancel_reason="Hari libur nasional"
            )
            self.cancelled.update(on_holiday)
        for session in sessions:
            self.sessions_on[session.starts_at.date()].append(session)
        self.seeded.sessions += len(sessions)

    def individual_sessions(self, enrolment: Enrolment, key: str, placed: datetime.date) -> None:
        """Plan a member's individual counselling from two days after placement."""
        every = INDIVIDUAL_EVERY.get(key)
        if every is None:
            return
        cohort = self.cohorts[key]
        day = max(placed, cohort.start_date) + _days(2)
        last = min(cohort.end_date, self.today + _days(INDIVIDUAL_AHEAD_DAYS))
        while day <= last:
            slot = self.book(day, key, last)
            if slot is None:
                break
            starts_at = self.at(*slot)
            session = Session.objects.create(
                facility=self.facility,
                enrolment=enrolment,
                kind=SessionKind.INDIVIDUAL,
                module=self.modules.get("psikologi"),
                title="Konseling individu",
                place=INDIVIDUAL_PLACE,
                starts_at=starts_at,
                ends_at=starts_at + datetime.timedelta(hours=1),
                created_by=self.counselor,
            )
            session.facilitators.add(self.counselor)
            self.sessions_on[slot[0]].append(session)
            self.seeded.sessions += 1
            day = slot[0] + _days(every)

    def book(
        self, day: datetime.date, key: str, last: datetime.date
    ) -> tuple[datetime.date, datetime.time] | None:
        """The first free slot of the Ruang Konseling on or after day, up to last."""
        while day <= last:
            if day not in self.holidays:
                for weekday, start in INDIVIDUAL_SLOTS[key]:
                    slot = (day, _t(start))
                    if weekday == day.weekday() and slot not in self.booked:
                        self.booked.add(slot)
                        return slot
            day += _days(1)
        return None

    # --- Placements

    def plan(self, specs: Sequence[CohortSpec]) -> list[Plan]:
        """Give each signed assessment the first cohort of its tier it can still join."""
        candidates = (
            Assessment.objects.current()
            .filter(facility=self.facility, inmate__status=CustodyStatus.IN_CUSTODY)
            .exclude(inmate__enrolments__state__in=OPEN_STATES)
            .select_related("inmate")
            .order_by("assessed_on", "pk")
        )
        plans: list[Plan] = []
        approved: dict[str, int] = defaultdict(int)
        for assessment in candidates:
            for spec in specs:
                cohort = self.cohorts.get(spec.key)
                if cohort is None or spec.tier != assessment.final_tier:
                    continue
                proposed_on = min(
                    self.today,
                    max(
                        assessment.assessed_on + _days(1),
                        cohort.start_date - _days(PROPOSE_AHEAD_DAYS),
                    ),
                )
                release = assessment.inmate.release_date
                if proposed_on > cohort.start_date + _days(LATE_JOIN_DAYS) or (
                    release and release < max(cohort.start_date, proposed_on) + _days(7)
                ):
                    continue
                approved_on = None
                if proposed_on < self.today:
                    approved_on = proposed_on + _days(self.rng.randint(1, 2))
                    if proposed_on < cohort.start_date:
                        approved_on = min(approved_on, cohort.start_date)
                    approved_on = min(approved_on, self.today)
                    # Room for the cohort and two on its waitlist; the others wait for the next.
                    if approved[spec.key] >= cohort.capacity + 2:
                        continue
                    approved[spec.key] += 1
                plans.append(Plan(assessment, cohort, spec.key, proposed_on, approved_on))
                break
        return plans

    def propose(self, plan: Plan) -> None:
        assessment = plan.assessment
        enrolment = services.enrolment_propose(
            inmate=assessment.inmate,
            track=plan.cohort.track,
            cohort=plan.cohort,
            assessment=assessment,
            by=self.counselor,
        )
        created = min(timezone.now(), self.at(plan.proposed_on, "10:00"))
        Enrolment.objects.filter(pk=enrolment.pk).update(created_at=created)
        EnrolmentEvent.objects.filter(enrolment=enrolment).update(on=plan.proposed_on)
        plan.enrolment = enrolment
        self.seeded.enrolments += 1

    def approve(self, plan: Plan) -> None:
        assert plan.enrolment is not None and plan.approved_on is not None
        enrolment = services.enrolment_move(
            enrolment=plan.enrolment,
            to=EnrolmentState.PLACED,
            by=self.warden,
            reason="Disetujui Karutan",
            on=plan.approved_on,
        )
        plan.enrolment = enrolment
        if enrolment.state == EnrolmentState.PLACED:
            self.individual_sessions(enrolment, plan.key, plan.approved_on)

    # --- Attendance, drop-out and completion

    def take_attendance(self, session: Session) -> None:
        people = services.roster(session)
        if not people:
            Session.objects.filter(pk=session.pk).update(
                status=SessionStatus.CANCELLED, cancel_reason="Belum ada peserta yang ditempatkan"
            )
            self.cancelled.add(session.pk)
            return
        if (
            self.absentee is None
            and self.absent_from is not None
            and session.starts_at >= self.absent_from
            and session.cohort_id == self.cohorts["sedang_now"].pk
        ):
            active = [e.pk for e in people if e.state == EnrolmentState.ACTIVE]
            self.absentee = self.rng.choice(active) if active else None
        marks = {}
        for enrolment in people:
            stops_coming = (
                enrolment.pk == self.absentee
                and self.absent_from is not None
                and session.starts_at >= self.absent_from
            )
            mark = AttendanceStatus.ABSENT if stops_coming else _pick(self.rng, MARKS)
            # Only the one who stops coming misses three in a row.
            streak = self.absences[enrolment.pk] + 1 if mark == AttendanceStatus.ABSENT else 0
            if streak >= services.ABSENCES_BEFORE_FOLLOW_UP and not stops_coming:
                mark, streak = AttendanceStatus.EXCUSED, 0
            marks[enrolment.pk], self.absences[enrolment.pk] = mark, streak
        by = self.staff if session.kind == SessionKind.TC_MORNING else self.counselor
        services.attendance_save(
            session=session, by=by, marks=marks, expected_version=session.version
        )
        self.seeded.attendance += len(marks)

    def drop_out(self, day: datetime.date) -> None:
        """One TC member (or, without a TC, one of the Sedang cohort) breaks the rules."""
        for key in ("tc", "sedang_now"):
            cohort = self.cohorts.get(key)
            if cohort is None:
                continue
            active = list(
                Enrolment.objects.filter(cohort=cohort, state=EnrolmentState.ACTIVE)
                .exclude(pk=self.absentee or 0)
                .order_by("pk")
            )
            if len(active) >= 2:
                leaver = self.rng.choice(active)
                services.enrolment_move(
                    enrolment=leaver,
                    to=EnrolmentState.DROPPED_OUT,
                    by=self.counselor,
                    reason=(
                        "Melanggar tata tertib: kedapatan menyimpan telepon genggam di kamar; "
                        "dicatat dalam register F."
                    ),
                    drop_reason=DropReason.VIOLATION,
                    on=day,
                )
                self.dropped = True
                later = Session.objects.filter(
                    enrolment=leaver, starts_at__gte=self.at(day + _days(1), "00:00")
                )
                self.cancelled.update(later.values_list("pk", flat=True))
                later.update(status=SessionStatus.CANCELLED, cancel_reason="Peserta putus program")
                return

    def close(self, cohort: Cohort) -> None:
        """A cohort that ends today: the active members complete it."""
        for enrolment in Enrolment.objects.filter(cohort=cohort).seated().order_by("pk"):
            if enrolment.state == EnrolmentState.ACTIVE:
                reason = f"Menyelesaikan program {cohort.track}; kehadiran memenuhi syarat."
                if not completion.enrolment_gate(enrolment).allowed:
                    # Missed sessions while ill: the warden lets the member complete.
                    waiver = completion.enrolment_waive(
                        enrolment=enrolment,
                        by=self.warden,
                        reason="Sakit dan dirawat di klinik Rutan; materi yang tertinggal "
                        "sudah disusulkan dalam konseling individu.",
                    )
                    # decided on the last morning of the cohort, not on the day of the seeding
                    type(waiver).objects.filter(pk=waiver.pk).update(
                        at=self.at(cohort.end_date, "08:00")
                    )
                    reason = f"Menyelesaikan program {cohort.track}; syarat kehadiran dikecualikan."
                services.enrolment_move(
                    enrolment=enrolment,
                    to=EnrolmentState.COMPLETED,
                    by=self.counselor,
                    reason=reason,
                    on=cohort.end_date,
                )
            else:
                services.enrolment_move(
                    enrolment=enrolment,
                    to=EnrolmentState.DROPPED_OUT,
                    by=self.counselor,
                    reason="Tidak pernah mengikuti sesi.",
                    drop_reason=DropReason.WITHDREW,
                    on=cohort.end_date,
                )

    def run(self, plans: list[Plan]) -> None:
        """Replay the days from the first proposal to today, in order."""
        self.absent_from = self._absence_start()
        drop_day = _weekday_on_or_after(self.today - _days(8))
        first = min([p.proposed_on for p in plans], default=self.today)
        day = first
        while day <= self.today:
            for plan in plans:
                if plan.proposed_on == day:
                    self.propose(plan)
            for plan in plans:
                if plan.approved_on == day and plan.enrolment is not None:
                    self.approve(plan)
            if day < self.today:
                for session in sorted(self.sessions_on.get(day, []), key=lambda s: s.starts_at):
                    if session.pk not in self.cancelled:
                        self.take_attendance(session)
                if day >= drop_day and not self.dropped:
                    self.drop_out(day)
                for cohort in self.cohorts.values():
                    if cohort.end_date == day:
                        self.close(cohort)
            day += _days(1)
        self.seeded.proposed = sum(p.approved_on is None for p in plans)
        self.seeded.waitlisted = Enrolment.objects.filter(
            facility=self.facility, state=EnrolmentState.WAITLISTED
        ).count()

    def _absence_start(self) -> datetime.datetime | None:
        """The third-last past session of the Sedang cohort: one member misses it and the rest."""
        cohort = self.cohorts.get("sedang_now")
        if cohort is None:
            return None
        past = sorted(
            s.starts_at
            for sessions in self.sessions_on.values()
            for s in sessions
            if s.cohort_id == cohort.pk
            and s.pk not in self.cancelled
            and s.starts_at.date() < self.today
        )
        return past[-3] if len(past) >= 4 else None

    # --- Dates of what the services stamped "now"

    def backdate(self) -> None:
        """Date events, attendance and follow-ups on the day they happened in the replay."""
        enrolments = Enrolment.objects.filter(facility=self.facility)
        events = list(EnrolmentEvent.objects.filter(enrolment__in=enrolments).order_by("id"))
        hour: dict[str, str] = {
            EnrolmentState.PROPOSED: "10:00",
            EnrolmentState.PLACED: "14:00",
            EnrolmentState.WAITLISTED: "14:00",
            EnrolmentState.ACTIVE: "16:00",
            EnrolmentState.COMPLETED: "15:00",
            EnrolmentState.DROPPED_OUT: "16:30",
        }
        now = timezone.now()
        last: dict[int, datetime.datetime] = {}
        for event in events:
            when = self.at(event.on, hour.get(event.to_state, "12:00"))
            previous = last.get(event.enrolment_id)
            if previous is not None and when <= previous:
                when = previous + datetime.timedelta(minutes=1)
            event.created_at = last[event.enrolment_id] = min(when, now)
        EnrolmentEvent.objects.bulk_update(events, ["created_at"], batch_size=500)

        rows = list(
            Attendance.objects.filter(session__facility=self.facility).select_related("session")
        )
        for row in rows:
            row.recorded_at = min(row.session.ends_at + datetime.timedelta(minutes=30), now)
        Attendance.objects.bulk_update(rows, ["recorded_at"], batch_size=500)

        by_enrolment: dict[int, list[Attendance]] = defaultdict(list)
        for row in sorted(rows, key=lambda r: r.session.starts_at):
            by_enrolment[row.enrolment_id].append(row)
        for follow_up in FollowUp.objects.filter(facility=self.facility):
            streak = 0
            for row in by_enrolment[follow_up.enrolment_id]:
                streak = streak + 1 if row.status == AttendanceStatus.ABSENT else 0
                if streak == services.ABSENCES_BEFORE_FOLLOW_UP:
                    FollowUp.objects.filter(pk=follow_up.pk).update(created_at=row.recorded_at)
                    break


def _pick(rng: random.Random, weighted: Sequence[tuple[Any, int]]) -> Any:
    values, weights = zip(*weighted, strict=True)
    return rng.choices(values, weights=weights)[0]


def _track(spec: CohortSpec) -> Track | None:
    return (
        Track.objects.filter(
            tier=spec.tier, kind=spec.track_kind, duration_days=spec.days, active=True
        )
        .order_by("pk")
        .first()
    )


def seed_facility_programs(
    *, facility: Facility, locale: Locale, users: Mapping[str, Any], today: datetime.date
) -> Seeded | None:
    """Calendar, cohorts, placements and attendance of one facility; None if it already has
    a cohort (its programmes may be real or edited, and a second run must add nothing)."""
    if Cohort.objects.filter(facility=facility).exists():
        return None
    replay = Replay(
        facility=facility,
        locale=locale,
        rng=random.Random(locale.seed),
        today=today,
        tz=ZoneInfo(facility.time_zone),
        counselor=users[locale.counselor],
        warden=users[locale.warden],
        staff=users[locale.staff],
        holidays=seed_calendar(facility, today),
        modules={m.code: m for m in Module.objects.all()},
    )
    specs = []
    for spec in COHORTS:
        track = _track(spec)
        if track is None or (spec.after and spec.after not in replay.cohorts):
            continue  # the catalogue track was removed: no such cohort
        replay.create_cohort(spec, track)
        specs.append(spec)
    replay.run(replay.plan(specs))
    replay.backdate()
    return replay.seeded


def seed_programs(org: DemoOrganisation) -> dict[str, Seeded | None]:
    """Seed the programmes of every demo Rutan; return what was written per facility code
    (None: left as it was)."""
    today = timezone.localdate()
    written: dict[str, Seeded | None] = {}
    for site in org.sites:
        locale = LOCALES.get(site.facility.code)
        if locale is None:
            continue
        seed_rooms(site.facility, org.users[locale.staff])
        written[site.facility.code] = seed_facility_programs(
            facility=site.facility, locale=locale, users=org.users, today=today
        )
    return written


# --- Skills courses (pembinaan kemandirian) --------------------------------------------------


@dataclass(frozen=True)
class CourseDemo:
    """One course of a demo Rutan: start is in days from today (moved off a weekend)."""

    kind: str
    name: str
    provider_kind: str
    provider_name: str
    hours: int
    capacity: int
    start: int
    weeks: int
    weekdays: tuple[int, ...]
    time: tuple[str, str]
    place: str
    standard: str
    issuer: str
    certificate: str  # the certificate numbers' prefix
    topics: tuple[str, ...]
    trainees: int  # how many the staff enrol; those past the capacity wait
    leaves: int = 0  # someone leaves after this many held meetings (0: nobody)
    answer: str = "accept"  # the first offer: "accept", "decline" (the next accepts) or "" (open)
    release_warning: bool = False  # one trainee's release date falls before the course ends
    # Ends inside the last complete month whatever today's day (`start` is then ignored): the
    # monthly report of that month has completions and certificates to count.
    ends_last_month: bool = False


SEWING_TOPICS = (
    "Pengenalan mesin jahit dan K3", "Mengukur badan dan membuat pola", "Memotong bahan",
    "Menjahit lurus, sudut dan lengkung", "Menjahit kemeja", "Menjahit celana panjang",
    "Obras dan penyelesaian", "Uji kompetensi",
)  # fmt: skip
COURSES: dict[str, list[CourseDemo]] = {
    "tanah-grogot": [
        CourseDemo(
            CourseKind.SEWING, "Menjahit Dasar — Angkatan I", ProviderKind.BLK,
            "UPTD BLK Kabupaten Paser", 120, 12, -330, 8, (MON, WED), ("08:30", "11:30"),
            "Bengkel Kerja Menjahit", "SKKNI bidang industri garmen: menjahit pakaian dasar",
            "UPTD BLK Kabupaten Paser", "BLK-PSR/JHT", SEWING_TOPICS, trainees=13, leaves=3,
        ),
        CourseDemo(
            CourseKind.CULINARY, "Tata Boga: Kue Kering dan Roti", ProviderKind.INTERNAL, "",
            60, 10, -250, 6, (TUE, THU), ("13:30", "16:00"), "Dapur Pelatihan", "",
            "Rutan Kelas IIB Tanah Grogot", "RTG/TBG",
            ("Kebersihan dapur dan bahan", "Kue kering", "Roti manis", "Menghitung harga jual",
             "Kemasan dan pemasaran", "Praktik akhir"),
            trainees=10, ends_last_month=True,
        ),
        CourseDemo(
            CourseKind.WELDING, "Las Listrik Dasar (SMAW)", ProviderKind.DISNAKERTRANS,
            "Disnakertrans Kabupaten Paser", 160, 10, -150, 8, (MON, WED, THU),
            ("13:30", "16:30"), "Bengkel Kerja", "Pengelasan SMAW posisi 1G dan 2G",
            "Disnakertrans Kabupaten Paser", "DNK-PSR/LAS",
            ("K3 pengelasan", "Mesin las dan elektroda", "Las posisi datar 1G",
             "Las posisi horizontal 2G", "Membuat teralis dan pagar", "Uji kompetensi"),
            trainees=12, leaves=4, answer="decline",
        ),
        CourseDemo(
            CourseKind.SEWING, "Menjahit Konveksi — Angkatan II", ProviderKind.BLK,
            "UPTD BLK Kabupaten Paser", 120, 12, -24, 8, (MON, TUE, WED, THU),
            ("13:30", "16:00"), "Bengkel Kerja Menjahit",
            "SKKNI bidang industri garmen: menjahit pakaian dasar", "UPTD BLK Kabupaten Paser",
            "BLK-PSR/JHT", SEWING_TOPICS, trainees=15, leaves=10, answer="",
            release_warning=True,
        ),
        CourseDemo(
            CourseKind.BARBER, "Pangkas Rambut (Barbershop)", ProviderKind.OTHER,
            "LPK Barbershop Paser Mandiri", 40, 8, 14, 4, (TUE, THU), ("13:30", "15:30"),
            "Ruang Keterampilan", "", "LPK Barbershop Paser Mandiri", "LPK-BPM",
            ("Alat dan kebersihan", "Potongan dasar", "Potongan model", "Praktik pelanggan"),
            trainees=5,
        ),
    ],
    "banjarnegara": [
        CourseDemo(
            CourseKind.FISHERIES, "Budidaya Ikan Air Tawar (Lele dan Nila)",
            ProviderKind.DISNAKERTRANS, "Disnakertrans Kabupaten Banjarnegara", 80, 10, -200,
            6, (TUE, THU), ("13:30", "16:00"), "Kolam Pembinaan",
            "Pembenihan dan pembesaran ikan lele", "Disnakertrans Kabupaten Banjarnegara",
            "DNK-BNA/IKN",
            ("Kolam terpal dan kualitas air", "Pembenihan", "Pakan dan pembesaran",
             "Penyakit ikan", "Panen dan pemasaran"),
            trainees=10,
        ),
        CourseDemo(
            CourseKind.FARMING, "Pertanian Hortikultura: Cabai dan Sayuran", ProviderKind.BLK,
            "UPTD BLK Banjarnegara", 100, 12, -95, 6, (MON, WED), ("08:00", "11:00"),
            "Lahan Ketahanan Pangan", "Budidaya tanaman hortikultura", "UPTD BLK Banjarnegara",
            "BLK-BNA/HRT",
            ("Mengolah lahan", "Persemaian", "Pemupukan", "Hama dan penyakit", "Panen"),
            trainees=13, leaves=2,
        ),
        CourseDemo(
            CourseKind.SCREEN_PRINT, "Sablon Kaos Manual", ProviderKind.INTERNAL, "", 48, 10,
            -17, 6, (MON, TUE, WED, THU), ("13:30", "15:30"), "Ruang Keterampilan", "",
            "Rutan Kelas IIB Banjarnegara", "RBN/SBL",
            ("Desain dan film", "Membuat screen", "Tinta dan rakel", "Sablon satu warna",
             "Sablon banyak warna", "Produksi pesanan"),
            trainees=11,
        ),
    ],
}  # fmt: skip

# Attendance at a past meeting of a course.
COURSE_MARKS = (
    (AttendanceStatus.PRESENT, 88),
    (AttendanceStatus.LATE, 5),
    (AttendanceStatus.EXCUSED, 4),
    (AttendanceStatus.ABSENT, 3),
)
LEAVE_REASONS = [
    "Sakit, dirawat di klinik Rutan",
    "Mengundurkan diri: memilih bekerja di dapur Rutan",
    "Dikenai hukuman disiplin (register F)",
]
# A trainee who came to this share of the held meetings sits the competency test.
TEST_ATTENDANCE = 0.75


@dataclass
class CoursesSeeded:
    """What was written for one facility."""

    courses: int = 0
    meetings: int = 0
    trainees: int = 0
    waitlisted: int = 0
    offered: int = 0
    certified: int = 0

    def __str__(self) -> str:
        return (
            f"{self.courses} skills courses, {self.meetings} meetings, {self.trainees} trainees "
            f"({self.waitlisted} waitlisted, {self.offered} offered a place), "
            f"{self.certified} certificates"
        )


@dataclass
class CourseReplay:
    facility: Facility
    staff: Any
    rng: random.Random
    today: datetime.date
    tz: ZoneInfo
    used: set[int] = field(default_factory=set)
    numbers: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    seeded: CoursesSeeded = field(default_factory=CoursesSeeded)
    # The history entries up to this id carry the day they happened in the replay.
    stamped: int = 0

    def at(self, day: datetime.date, time: str, minutes: int = 0) -> datetime.datetime:
        when = datetime.datetime.combine(day, _t(time), tzinfo=self.tz)
        return min(when + datetime.timedelta(minutes=minutes), timezone.now())

    def stamp(self, when: datetime.datetime) -> None:
        """Date the history entries the services just wrote on the replay's day."""
        latest = AuditEntry.objects.order_by("-id").values_list("id", flat=True).first() or 0
        AuditEntry.objects.filter(id__gt=self.stamped, id__lte=latest).update(created_at=when)
        self.stamped = latest

    def run(self, spec: CourseDemo) -> None:
        if spec.ends_last_month:
            last_month_end = self.today - _days(self.today.day)
            start = _weekday_on_or_after(last_month_end - _days(spec.weeks * 7 + 3))
        else:
            start = _weekday_on_or_after(self.today + _days(spec.start))
        end = start + _days(spec.weeks * 7 - 1)
        course = skills.course_create(
            course=Course(
                facility=self.facility, kind=spec.kind, name=spec.name,
                provider_kind=spec.provider_kind, provider_name=spec.provider_name,
                hours=spec.hours, capacity=spec.capacity, start_date=start, end_date=end,
                place=spec.place, competency_standard=spec.standard,
                certificate_issuer=spec.issuer,
            ),
            by=self.staff,
        )  # fmt: skip
        created = self.at(start - _days(28), "09:00")
        Course.objects.filter(pk=course.pk).update(created_at=created)
        meetings = self.schedule(course, spec)
        self.stamp(created)
        enrolled_on = min(start - _days(self.rng.randint(4, 10)), self.today)
        for n, inmate in enumerate(self.pick(spec, start, end)):
            trainee = skills.trainee_enrol(
                course=course, inmate=inmate, by=self.staff, on=enrolled_on
            )
            when = self.at(enrolled_on, "10:00", minutes=n)
            Trainee.objects.filter(pk=trainee.pk).update(created_at=when)
            self.stamp(when)
        held = 0
        for meeting in meetings:
            day = meeting.starts_at.astimezone(self.tz).date()
            if day >= self.today or meeting.status == SessionStatus.CANCELLED:
                continue
            self.take_attendance(meeting)
            self.stamp(min(meeting.ends_at + datetime.timedelta(minutes=30), timezone.now()))
            held += 1
            if held == spec.leaves:
                self.leave(course, spec, day)
                self.stamp(self.at(day, "16:30"))
        if end < self.today:
            self.close(course, spec, end)
            self.stamp(self.at(end, "15:00"))
        self.seeded.courses += 1
        self.seeded.meetings += len(meetings)

    def schedule(self, course: Course, spec: CourseDemo) -> list[CourseMeeting]:
        """The weekly meetings with their topics in order; holidays are called off."""
        begin, finish = _t(spec.time[0]), _t(spec.time[1])
        meetings, _skipped = skills.meetings_generate(
            course=course, by=self.staff, weekdays=list(spec.weekdays), start=begin, end=finish
        )
        running = course.start_date <= self.today <= course.end_date
        if (
            running
            and self.today.weekday() < SAT
            and all(m.starts_at.astimezone(self.tz).date() != self.today for m in meetings)
        ):
            # The instructor added a session today to make up for a missed one.
            meetings.append(
                skills.meeting_add(
                    course=course, by=self.staff, day=self.today, start=begin, end=finish
                )
            )
            meetings.sort(key=lambda m: m.starts_at)
        holidays = {d for d, _title in holidays_between(course.start_date, course.end_date)}
        for n, meeting in enumerate(meetings):
            meeting.topic = spec.topics[n * len(spec.topics) // len(meetings)]
            if meeting.starts_at.astimezone(self.tz).date() in holidays:
                meeting.status = SessionStatus.CANCELLED
        CourseMeeting.objects.bulk_update(meetings, ["topic", "status"])
        return meetings

    def pick(self, spec: CourseDemo, start: datetime.date, end: datetime.date) -> list[Inmate]:
        """WBP in custody since before the course, staying until it ends, each in one course."""
        people = [
            i
            for i in Inmate.objects.filter(
                facility=self.facility,
                status=CustodyStatus.IN_CUSTODY,
                admission_date__lte=start - _days(14),
            ).order_by("pk")
            if i.pk not in self.used
        ]
        staying = [i for i in people if i.release_date is None or i.release_date > end]
        chosen = self.rng.sample(staying, min(spec.trainees, len(staying)))
        leaving = [i for i in people if i.release_date and self.today < i.release_date <= end]
        if spec.release_warning and leaving and chosen:
            chosen[1 % len(chosen)] = leaving[0]
        self.used.update(i.pk for i in chosen)
        return chosen

    def take_attendance(self, meeting: CourseMeeting) -> None:
        roster = skills.meeting_roster(meeting)
        if not roster:
            return
        marks = {t.pk: _pick(self.rng, COURSE_MARKS) for t in roster}
        skills.course_attendance_save(
            meeting=meeting, by=self.staff, marks=marks, expected_version=meeting.version
        )
        CourseAttendance.objects.filter(meeting=meeting).update(
            recorded_at=min(meeting.ends_at + datetime.timedelta(minutes=30), timezone.now())
        )

    def leave(self, course: Course, spec: CourseDemo, day: datetime.date) -> None:
        """A trainee leaves; the first on the waitlist is offered the place and answers."""
        enrolled = list(
            Trainee.objects.filter(course=course, state=TraineeState.ENROLLED).order_by("pk")
        )
        if not enrolled:
            return
        skills.trainee_leave(
            trainee=self.rng.choice(enrolled), by=self.staff, reason=self.rng.choice(LEAVE_REASONS)
        )
        offers = Trainee.objects.filter(course=course, state=TraineeState.OFFERED)
        offers.update(offered_at=self.at(day, "16:30"))
        offer = offers.first()
        if offer is None or not spec.answer:
            return
        if spec.answer == "decline":
            skills.trainee_decline(
                trainee=offer, by=self.staff, reason="Memilih tetap bekerja di bengkel kayu"
            )
            offers.update(offered_at=self.at(day + _days(1), "10:00"))
            offer = offers.first()
            if offer is None:
                return
        skills.trainee_accept(trainee=offer, by=self.staff)

    def _warden(self) -> Any:
        warden = (
            Membership.objects.active()
            .filter(facility=self.facility, role=Role.WARDEN)
            .select_related("user")
            .order_by("id")
            .first()
        )
        return warden.user if warden else self.staff

    def close(self, course: Course, spec: CourseDemo, end: datetime.date) -> None:
        """The competency test at the end: who came often enough sits it, most pass."""
        held = CourseMeeting.objects.filter(course=course, status=SessionStatus.HELD).count()
        for trainee in Trainee.objects.filter(course=course, state=TraineeState.ENROLLED).order_by(
            "inmate__full_name", "pk"
        ):
            came = trainee.attendance.filter(attendance.attended_q()).count()
            competent = came >= TEST_ATTENDANCE * held and self.rng.random() < 0.9
            if competent and not completion.trainee_gate(trainee).allowed:
                # Below the course's requirement: the warden lets the trainee be certified.
                waiver = completion.trainee_waive(
                    trainee=trainee,
                    by=self._warden(),
                    reason="Izin sidang di pengadilan; praktik yang tertinggal sudah diulang.",
                )
                type(waiver).objects.filter(pk=waiver.pk).update(at=self.at(end, "08:00"))
            number = ""
            if competent:
                self.numbers[spec.certificate] += 1
                number = f"{spec.certificate}/{end.year}/{self.numbers[spec.certificate]:03d}"
            skills.trainee_complete(
                trainee=trainee, by=self.staff, completed_on=end, certificate_number=number,
                competency=Competency.COMPETENT if competent else Competency.NOT_YET,
            )  # fmt: skip


def seed_facility_courses(
    *, facility: Facility, staff: Any, seed: str, today: datetime.date
) -> CoursesSeeded | None:
    """The skills courses of one facility; None if it already has one (a second run adds
    nothing)."""
    if Course.objects.filter(facility=facility).exists():
        return None
    replay = CourseReplay(
        facility=facility,
        staff=staff,
        rng=random.Random(f"{seed}-courses"),
        today=today,
        tz=ZoneInfo(facility.time_zone),
        stamped=AuditEntry.objects.order_by("-id").values_list("id", flat=True).first() or 0,
    )
    for spec in COURSES.get(facility.code, []):
        replay.run(spec)
    trainees = Trainee.objects.filter(facility=facility)
    replay.seeded.trainees = trainees.count()
    replay.seeded.waitlisted = trainees.filter(state=TraineeState.WAITLISTED).count()
    replay.seeded.offered = trainees.filter(state=TraineeState.OFFERED).count()
    replay.seeded.certified = trainees.filter(
        state=TraineeState.COMPLETED, competency=Competency.COMPETENT
    ).count()
    return replay.seeded


def seed_courses(org: DemoOrganisation) -> dict[str, CoursesSeeded | None]:
    """Seed the skills courses of every demo Rutan; return what was written per facility code
    (None: left as it was)."""
    today = timezone.localdate()
    written: dict[str, CoursesSeeded | None] = {}
    for site in org.sites:
        locale = LOCALES.get(site.facility.code)
        if locale is None:
            continue
        written[site.facility.code] = seed_facility_courses(
            facility=site.facility, staff=org.users[locale.staff], seed=locale.seed, today=today
        )
    return written
