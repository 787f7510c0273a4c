"""A national fixture for measuring: many UPT, many WBP and a year of their records.

Used by `manage.py seed_scale` (and bench/national.py). Rows are built in memory and written
with bulk_create in batches, facility by facility, one transaction per facility; nothing goes
through the services (too slow for 300,000 WBP), so every row is built here to satisfy the same
constraints the services keep: a cohort ends after it starts, attendance only for held sessions
of people seated that day, drop reasons only on drop-outs, one follow-up per month after
release. Draws come from a fixed seed; dates are relative to today.

Sizes: one facility holds 4,000 of every 300,000 WBP (at least twice the mean), the others a
long tail that thins out quadratically. Facilities are spread over the 34 provinces and their
three time zones. Each facility draws from its own seed, so the largest facility is the same
row for row in `--facilities 1` as in the national fixture (bench/national.py compares them).
Transfers go to one inactive Lapas.
"""

from __future__ import annotations

import contextlib
import datetime
import math
import random
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import models, transaction
from django.utils import timezone

from assessments import scoring
from assessments.models import (
    Assessment,
    AssessmentStatus,
    AssistScreening,
    SubstanceAnswer,
    Tier,
)
from inmates.matching import name_key
from inmates.models import (
    CustodyEvent,
    CustodyEventKind,
    CustodyStatus,
    Inmate,
    ReleaseKind,
    normalise,
)
from programs.models import (
    Aftercare,
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
    FollowUp,
    Outcome,
    ProviderKind,
    ReleasePlan,
    Session,
    SessionStatus,
    Track,
    TrackKind,
    Trainee,
    TraineeState,
)
from rehab.demo import DEMO_PASSWORD
from rehab.models import (
    AccessLog,
    Agency,
    AgencyKind,
    AuditEntry,
    Facility,
    FacilityClass,
    FacilityKind,
    Membership,
    Role,
    TimeZoneName,
)

BATCH = 5000
CODE_PREFIX = "upt-"
DESTINATION = "upt-lapas-tujuan"
SUPERVISOR = "supervisor.nasional"
ADMIN = "admin.nasional"
# The largest facility holds this share of all WBP (4,000 of 300,000).
LARGEST_SHARE = 4000 / 300000

WIB, WITA, WIT = TimeZoneName.WIB, TimeZoneName.WITA, TimeZoneName.WIT
# The 34 provinces (before the 2022 Papua split): name, the NIK's province code, time zone.
PROVINCES: list[tuple[str, int, str]] = [
    ("DKI Jakarta", 31, WIB),
    ("Jawa Barat", 32, WIB),
    ("Jawa Tengah", 33, WIB),
    ("Jawa Timur", 35, WIB),
    ("Sumatera Utara", 12, WIB),
    ("Banten", 36, WIB),
    ("Sulawesi Selatan", 73, WITA),
    ("Kalimantan Timur", 64, WITA),
    ("Sumatera Selatan", 16, WIB),
    ("Lampung", 18, WIB),
    ("Riau", 14, WIB),
    ("Aceh", 11, WIB),
    ("Sumatera Barat", 13, WIB),
    ("DI Yogyakarta", 34, WIB),
    ("Bali", 51, WITA),
    ("Nusa Tenggara Barat", 52, WITA),
    ("Nusa Tenggara Timur", 53, WITA),
    ("Kalimantan Barat", 61, WIB),
    ("Kalimantan Selatan", 63, WITA),
    ("Kalimantan Tengah", 62, WIB),
    ("Kalimantan Utara", 65, WITA),
    ("Jambi", 15, WIB),
    ("Bengkulu", 17, WIB),
    ("Kepulauan Riau", 21, WIB),
    ("Kepulauan Bangka Belitung", 19, WIB),
    ("Sulawesi Utara", 71, WITA),
    ("Sulawesi Tengah", 72, WITA),
    ("Sulawesi Tenggara", 74, WITA),
    ("Gorontalo", 75, WITA),
    ("Sulawesi Barat", 76, WITA),
    ("Maluku", 81, WIT),
    ("Maluku Utara", 82, WIT),
    ("Papua", 94, WIT),
    ("Papua Barat", 91, WIT),
]

FIRST = [
    "Ahmad",
    "Budi",
    "Dedi",
    "Eko",
    "Fajar",
    "Hendra",
    "Irfan",
    "Joko",
    "Rudi",
    "Slamet",
    "Agus",
    "Bayu",
    "Rahmat",
    "Syahrul",
    "Wahyu",
    "Yusuf",
    "Andi",
    "Heri",
    "Muhammad",
    "Dian",
    "Rizky",
    "Taufik",
    "Imam",
    "Arief",
    "Bambang",
    "Yohanes",
    "Made",
    "Wayan",
    "Nyoman",
    "Ketut",
    "La",
    "Rahman",
    "Sri",
    "Siti",
    "Dewi",
    "Rina",
]
LAST = [
    "Saputra",
    "Santoso",
    "Hidayat",
    "Kurniawan",
    "Setiawan",
    "Wijaya",
    "Pratama",
    "Nugroho",
    "Siregar",
    "Lubis",
    "Hasibuan",
    "Gunawan",
    "Susanto",
    "Rahman",
    "Syahputra",
    "Simanjuntak",
    "Harahap",
    "Nasution",
    "Tanjung",
    "Sitompul",
    "Wenda",
    "Mandagi",
    "Pattikawa",
    "Daeng",
    "Latief",
    "Manurung",
]

# Attendance of a held session (as in the demo).
MARKS: tuple[tuple[str, int], ...] = (
    (AttendanceStatus.PRESENT, 86),
    (AttendanceStatus.LATE, 6),
    (AttendanceStatus.EXCUSED, 5),
    (AttendanceStatus.ABSENT, 3),
)
# The ASSIST answers of the main substance (amphetamines) per tier, and the score they give.
ANSWERS: dict[str, dict[str, str]] = {
    Tier.RINGAN: {
        "q1": "yes",
        "q2": "monthly",
        "q3": "once_or_twice",
        "q4": "never",
        "q5": "never",
        "q6": "no",
        "q7": "no",
    },
    Tier.SEDANG: {
        "q1": "yes",
        "q2": "weekly",
        "q3": "weekly",
        "q4": "monthly",
        "q5": "once_or_twice",
        "q6": "past_3_months",
        "q7": "no",
    },
    Tier.BERAT: {
        "q1": "yes",
        "q2": "daily",
        "q3": "daily",
        "q4": "weekly",
        "q5": "weekly",
        "q6": "past_3_months",
        "q7": "past_3_months",
    },
}
MAIN = "amphetamines"
TIER_WEIGHTS = ((Tier.RINGAN, 35), (Tier.SEDANG, 40), (Tier.BERAT, 25))
COHORT_SEATS = 20


def sizes(facilities: int, wbp: int) -> list[int]:
    """WBP per facility: the first is the largest, the rest a long tail; they add up to wbp."""
    if facilities == 1:
        return [wbp]
    largest = max(round(wbp * LARGEST_SHARE), math.ceil(2 * wbp / facilities))
    rest = wbp - largest
    weights = [(facilities - i) ** 2 + facilities**2 * 0.05 for i in range(1, facilities)]
    total = sum(weights)
    counts = [int(rest * w / total) for w in weights]
    for i in range(rest - sum(counts)):  # the rounding remainder, one each from the top
        counts[i % len(counts)] += 1
    return [largest, *counts]


@contextlib.contextmanager
def explicit_timestamps(*model_list: type[models.Model]) -> Iterator[None]:
    """Let bulk_create keep the created/recorded times set here instead of stamping now."""
    saved = []
    for model in model_list:
        for f in model._meta.concrete_fields:
            if isinstance(f, models.DateField) and (f.auto_now or f.auto_now_add):  # type: ignore[attr-defined]
                saved.append((f, f.auto_now, f.auto_now_add))  # type: ignore[attr-defined]
                f.auto_now = f.auto_now_add = False  # type: ignore[attr-defined]
    try:
        yield
    finally:
        for f, now, now_add in saved:
            f.auto_now, f.auto_now_add = now, now_add  # type: ignore[attr-defined]


STAMPED = (
    Inmate,
    CustodyEvent,
    AssistScreening,
    Assessment,
    Cohort,
    Enrolment,
    EnrolmentEvent,
    Attendance,
    FollowUp,
    Course,
    Trainee,
    CourseAttendance,
    ReleasePlan,
    AuditEntry,
    AccessLog,
)


@dataclass
class Result:
    """Row counts per model, as written."""

    counts: dict[str, int] = field(default_factory=dict)

    def add(self, model: type[models.Model], n: int) -> None:
        name = model._meta.label
        self.counts[name] = self.counts.get(name, 0) + n


@dataclass
class Staff:
    staff: Any
    counselor: Any
    health: Any
    warden: Any


class Seeder:
    """Writes one facility at a time; keeps the shared pieces (tracks, users, the clock)."""

    def __init__(self, facilities: int, wbp: int, seed: int = 15) -> None:
        self.seed = seed
        self.rng = random.Random(seed)
        self.n_facilities = facilities
        self.n_wbp = wbp
        self.now = timezone.now()
        self.today = timezone.localdate()
        self.year_ago = self.today - datetime.timedelta(days=365)
        self.result = Result()
        tracks = Track.objects.filter(kind=TrackKind.PROGRAMME, active=True).order_by(
            "duration_days", "id"
        )
        self.tracks: dict[str, Track] = {}
        for track in tracks:
            self.tracks.setdefault(track.tier, track)
        self.kinds: dict[int, list[str]] = {
            t.pk: [r.session_kind for r in t.requirements.order_by("id")] or ["group"]
            for t in self.tracks.values()
        }
        self.answer_rows: dict[str, dict[str, tuple[dict[str, str], int]]] = {
            tier: {
                s: (
                    answers if s == MAIN else {"q1": "no"},
                    scoring.substance_involvement_score(s, answers if s == MAIN else {"q1": "no"}),
                )
                for s in scoring.SUBSTANCES
            }
            for tier, answers in ANSWERS.items()
        }

    # --- helpers ---------------------------------------------------------------------------

    def write(self, model: type[models.Model], rows: Sequence[models.Model]) -> None:
        if rows:
            model.objects.bulk_create(rows, batch_size=BATCH)  # type: ignore[attr-defined]
            self.result.add(model, len(rows))

    def pick(self, weighted: Sequence[tuple[Any, int]]) -> Any:
        values, weights = zip(*weighted, strict=True)
        return self.rng.choices(values, weights)[0]

    def at(self, day: datetime.date, hour: int, tz: ZoneInfo, minute: int = 0) -> datetime.datetime:
        return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=tz)

    def past(self, when: datetime.datetime) -> datetime.datetime:
        """A recording time: never later than now."""
        return min(when, self.now - datetime.timedelta(minutes=5))

    def days(self, n: int) -> datetime.timedelta:
        return datetime.timedelta(days=n)

    # --- organisation ----------------------------------------------------------------------

    def organisation(self) -> tuple[list[Facility], dict[int, Staff]]:
        """Facilities, one BNNP per province, four accounts per facility, the national ones."""
        facilities = []
        for i in range(self.n_facilities):
            province, _code, tz = PROVINCES[i % len(PROVINCES)]
            if i == 0:
                name, kind, cls = "Rutan Kelas I Jakarta Pusat (Nasional)", FacilityKind.RUTAN, "I"
            else:
                kind = FacilityKind.RUTAN if i % 3 else FacilityKind.LAPAS
                cls = FacilityClass.CLASS_IIB if i % 4 else FacilityClass.CLASS_IIA
                prefix = "Rutan" if kind == FacilityKind.RUTAN else "Lapas"
                name = f"{prefix} Kelas {cls} {province} {i:03d}"
            facilities.append(
                Facility(
                    code=f"{CODE_PREFIX}{i:03d}",
                    name=name,
                    kind=kind,
                    facility_class=cls,
                    regency=f"Kabupaten {province} {i:03d}",
                    province=province,
                    time_zone=tz,
                    active=True,
                )
            )
        # Where WBP are transferred to: inactive, as the demo's Lapas (no accounts, no reports).
        facilities.append(
            Facility(
                code=DESTINATION,
                name="Lapas Narkotika Kelas IIA Nasional",
                kind=FacilityKind.LAPAS,
                facility_class=FacilityClass.CLASS_IIA,
                regency="Kabupaten Nasional",
                province=PROVINCES[0][0],
                time_zone=PROVINCES[0][2],
                active=False,
            )
        )
        self.write(Facility, facilities)
        self.destination = Facility.objects.get(code=DESTINATION)
        facilities = list(
            Facility.objects.filter(code__startswith=CODE_PREFIX)
            .exclude(code=DESTINATION)
            .order_by("code")
        )

        agencies = [
            Agency(name=f"BNNP {province}", kind=AgencyKind.BNNP, regency="", province=province)
            for province, _c, _t in PROVINCES
        ]
        existing = set(Agency.objects.filter(regency="").values_list("name", flat=True))
        self.write(Agency, [a for a in agencies if a.name not in existing])
        bnnp = {a.province: a for a in Agency.objects.filter(kind=AgencyKind.BNNP, regency="")}
        through = Agency.facilities.through
        self.write(
            through,
            [through(agency_id=bnnp[f.province].pk, facility_id=f.pk) for f in facilities],
        )

        password = make_password(DEMO_PASSWORD)
        user_model = get_user_model()
        users = []
        for f in facilities:
            n = f.code.removeprefix(CODE_PREFIX)
            for prefix, first in (
                ("staf", "Petugas"),
                ("konselor", "Konselor"),
                ("nakes", "Nakes"),
                ("karutan", "Karutan"),
            ):
                users.append(
                    user_model(
                        username=f"{prefix}.{n}", first_name=first, last_name=n, password=password
                    )
                )
        users.append(
            user_model(
                username=SUPERVISOR,
                first_name="Supervisor",
                last_name="Nasional",
                password=password,
            )
        )
        users.append(
            user_model(
                username=ADMIN,
                first_name="Admin",
                last_name="Nasional",
                password=password,
                is_staff=True,
                is_superuser=True,
            )
        )
        self.write(user_model, users)
        by_name = {
            u.username: u
            for u in user_model.objects.filter(username__in=[u.username for u in users]).only(
                "id", "username", "first_name", "last_name"
            )
        }
        staff: dict[int, Staff] = {}
        memberships = []
        supervisor = by_name[SUPERVISOR]
        for f in facilities:
            n = f.code.removeprefix(CODE_PREFIX)
            people = Staff(
                by_name[f"staf.{n}"],
                by_name[f"konselor.{n}"],
                by_name[f"nakes.{n}"],
                by_name[f"karutan.{n}"],
            )
            staff[f.pk] = people
            for user, role, agency in (
                (people.staff, Role.STAFF, None),
                (people.counselor, Role.COUNSELOR, bnnp[f.province]),
                (people.health, Role.HEALTH, None),
                (people.warden, Role.WARDEN, None),
                (supervisor, Role.SUPERVISOR, bnnp[f.province]),
            ):
                memberships.append(Membership(user=user, facility=f, role=role, agency=agency))
        self.write(Membership, memberships)
        return facilities, staff

    # --- one facility ----------------------------------------------------------------------

    def facility(self, f: Facility, n: int, people: Staff) -> None:
        """Write n WBP of one facility and a year of their records."""
        rng, tz, today = self.rng, f.tzinfo, self.today
        province_code = next(c for p, c, _t in PROVINCES if p == f.province)
        inmates: list[Inmate] = []
        for i in range(n):
            full = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
            admitted = today - self.days(rng.randint(1, 720))
            born = datetime.date(rng.randint(1966, 2004), rng.randint(1, 12), rng.randint(1, 28))
            months = rng.choice((8, 12, 18, 24, 36, 48, 60, 72))
            expiry = admitted + self.days(months * 30)
            number = f"B.I.{i + 1:05d}/{admitted.year}"
            nik = (
                f"{province_code:02d}{rng.randint(1, 79):02d}{rng.randint(1, 40):02d}"
                f"{born.day:02d}{born.month:02d}{born.year % 100:02d}{rng.randint(1, 9999):04d}"
            )
            status, released, changed = CustodyStatus.IN_CUSTODY, None, None
            age = (today - admitted).days
            if age > 60:
                draw = rng.random()
                if draw < 0.20:
                    status = CustodyStatus.RELEASED
                    released = min(admitted + self.days(rng.randint(45, age)), expiry)
                    released = min(released, today - self.days(1))
                    changed = released
                elif draw < 0.24:
                    status = CustodyStatus.TRANSFERRED
                    changed = admitted + self.days(rng.randint(30, age))
            created = self.past(self.at(admitted, 10, tz) + self.days(1))
            inmates.append(
                Inmate(
                    facility=f,
                    registration_number=number,
                    register_class="B.I",
                    full_name=full,
                    nik=nik,
                    birth_date=born,
                    birth_place=f.regency.removeprefix("Kabupaten "),
                    sex="L" if rng.random() < 0.93 else "P",
                    religion="islam",
                    block=rng.choice("ABCDEF"),
                    cell=str(rng.randint(1, 30)),
                    detention_date=admitted - self.days(rng.randint(0, 60)),
                    admission_date=admitted,
                    sentence_months=months,
                    expiry_date=expiry,
                    release_date=released,
                    status=status,
                    status_changed_on=changed,
                    search_text=normalise(f"{full} {number} {nik}"),
                    name_key=name_key(full)[:150],
                    created_at=created,
                    updated_at=created,
                )
            )
        self.write(Inmate, inmates)

        events: list[CustodyEvent] = []
        audit: list[AuditEntry] = []
        access: list[AccessLog] = []
        for inmate in inmates:
            events.append(
                CustodyEvent(
                    inmate=inmate,
                    facility=f,
                    kind=CustodyEventKind.ADMITTED,
                    occurred_on=inmate.admission_date,
                    reason="Diterima dari penyidik",
                    recorded_by=people.staff,
                    recorded_at=inmate.created_at,
                )
            )
            audit.append(
                self.audit(f, people.staff, "inmates.inmate.created", inmate, inmate.created_at)
            )
            if inmate.status == CustodyStatus.RELEASED:
                assert inmate.release_date is not None
                when = self.past(self.at(inmate.release_date, 15, tz) + self.days(1))
                events.append(
                    CustodyEvent(
                        inmate=inmate,
                        facility=f,
                        kind=CustodyEventKind.RELEASED,
                        occurred_on=inmate.release_date,
                        release_kind=self.pick(
                            (
                                (ReleaseKind.END_OF_SENTENCE, 60),
                                (ReleaseKind.PAROLE, 30),
                                (ReleaseKind.LEAVE_BEFORE_RELEASE, 10),
                            )
                        ),
                        reason="Masa pidana berakhir",
                        recorded_by=people.staff,
                        recorded_at=when,
                    )
                )
                audit.append(self.audit(f, people.staff, "inmates.inmate.released", inmate, when))
            elif inmate.status == CustodyStatus.TRANSFERRED:
                assert inmate.status_changed_on is not None
                when = self.past(self.at(inmate.status_changed_on, 15, tz) + self.days(1))
                events.append(
                    CustodyEvent(
                        inmate=inmate,
                        facility=f,
                        kind=CustodyEventKind.TRANSFERRED,
                        occurred_on=inmate.status_changed_on,
                        to_facility=self.destination,
                        reason="Pemindahan ke Lapas Narkotika",
                        recorded_by=people.staff,
                        recorded_at=when,
                    )
                )
                audit.append(
                    self.audit(f, people.staff, "inmates.inmate.transferred", inmate, when)
                )
        self.write(CustodyEvent, events)

        # Screenings in the last year: most WBP admitted in it, a few weeks after admission.
        screenings: list[tuple[AssistScreening, str]] = []
        for inmate in inmates:
            first = max(inmate.admission_date, self.year_ago) + self.days(rng.randint(3, 20))
            last = inmate.status_changed_on or today
            if first >= last or first >= today or rng.random() > 0.7:
                continue
            tier = self.pick(TIER_WEIGHTS)
            score = self.answer_rows[tier][MAIN][1]
            screenings.append(
                (
                    AssistScreening(
                        facility=f,
                        inmate=inmate,
                        interviewed_on=first,
                        interviewer=people.counselor,
                        main_substance=MAIN,
                        main_score=score,
                        main_level=scoring.risk_level(MAIN, score),
                        created_at=self.past(self.at(first, 14, tz) + self.days(1)),
                    ),
                    tier,
                )
            )
        self.write(AssistScreening, [s for s, _t in screenings])
        answers = []
        for screening, tier in screenings:
            for substance, (given, score) in self.answer_rows[tier].items():
                answers.append(
                    SubstanceAnswer(
                        screening=screening,
                        substance=substance,
                        score=score,
                        level=scoring.risk_level(substance, score),
                        **given,
                    )
                )
            audit.append(
                self.audit(
                    f,
                    people.counselor,
                    "assessments.screening.recorded",
                    screening,
                    screening.created_at,
                )
            )
        self.write(SubstanceAnswer, answers)

        # Assessments: signed, a few days after the screening, for most with moderate or high risk.
        assessments = []
        for screening, tier in screenings:
            if tier == Tier.RINGAN and rng.random() < 0.5:
                continue
            on = screening.interviewed_on + self.days(rng.randint(2, 10))
            if on >= today or (screening.inmate.status_changed_on or today) <= on:
                continue
            signed = self.past(self.at(on, 15, tz) + self.days(1))
            assessments.append(
                Assessment(
                    facility=f,
                    inmate=screening.inmate,
                    assessed_on=on,
                    assessor=people.counselor,
                    screening=screening,
                    diagnosis_code="F15.2" if tier != Tier.RINGAN else "F15.1",
                    recommended_tier=tier,
                    final_tier=tier,
                    status=AssessmentStatus.SIGNED,
                    signed_by=people.counselor,
                    signed_at=signed,
                    created_at=signed - self.days(1),
                    updated_at=signed,
                )
            )
        self.write(Assessment, assessments)
        for a in assessments:
            signed_at = a.signed_at
            assert signed_at is not None
            audit.append(
                self.audit(f, people.counselor, "assessments.assessment.signed", a, signed_at)
            )
            access.append(
                self.access(f, people.warden, "assessment.view", a, signed_at + self.days(1))
            )

        self.programme(f, people, assessments, audit, access)
        self.skills(f, people, inmates, audit)
        self.releases(f, people, inmates, audit, access)
        self.write(AuditEntry, audit)
        self.write(AccessLog, access)

    def programme(
        self,
        f: Facility,
        people: Staff,
        assessments: list[Assessment],
        audit: list[AuditEntry],
        access: list[AccessLog],
    ) -> None:
        """Cohorts of each tier through the year, enrolments, group sessions and attendance."""
        rng, tz, today = self.rng, f.tzinfo, self.today
        by_tier: dict[str, list[Assessment]] = {}
        for a in sorted(assessments, key=lambda a: a.assessed_on):
            by_tier.setdefault(a.final_tier, []).append(a)
        cohorts: list[tuple[Cohort, list[Assessment]]] = []
        for tier, waiting in by_tier.items():
            track = self.tracks.get(tier)
            if track is None:
                continue
            count = max(1, math.ceil(len(waiting) / (COHORT_SEATS * 0.9)))
            span = (today + self.days(30) - self.year_ago).days
            every = max(track.duration_days // 2, span // count)
            start = self.year_ago + self.days(rng.randint(7, 20))
            queue = list(waiting)
            number = 0
            while start < today + self.days(30) and queue:
                number += 1
                seated: list[Assessment] = []
                while (
                    queue
                    and len(seated) < COHORT_SEATS
                    and queue[0].assessed_on < start - self.days(1)
                ):
                    a = queue.pop(0)
                    left = a.inmate.status_changed_on
                    if left is None or left > start:  # still here on the first day
                        seated.append(a)
                cohort = Cohort(
                    facility=f,
                    track=track,
                    name=f"{track.name} angkatan {number}/{start.year}",
                    start_date=start,
                    end_date=start + self.days(track.duration_days - 1),
                    capacity=COHORT_SEATS,
                    place="Aula Rehabilitasi",
                    created_by=people.staff,
                    created_at=self.at(start, 9, tz) - self.days(21),
                )
                cohorts.append((cohort, seated))
                start += self.days(every)
        self.write(Cohort, [c for c, _s in cohorts])

        enrolments: list[Enrolment] = []
        events: list[EnrolmentEvent] = []
        for cohort, seated in cohorts:
            for a in seated:
                proposed = max(a.assessed_on + self.days(1), cohort.start_date - self.days(21))
                state, reason, ended = EnrolmentState.PLACED, "", None
                if cohort.start_date <= today:
                    state = EnrolmentState.ACTIVE
                if cohort.end_date < today:
                    state, ended = EnrolmentState.COMPLETED, cohort.end_date
                left = a.inmate.status_changed_on
                if left and left <= cohort.end_date:
                    state, ended = EnrolmentState.DROPPED_OUT, max(left, cohort.start_date)
                    reason = (
                        DropReason.RELEASED
                        if a.inmate.status == CustodyStatus.RELEASED
                        else DropReason.TRANSFERRED
                    )
                elif state != EnrolmentState.PLACED and rng.random() < 0.05:
                    span = max(0, (min(cohort.end_date, today) - cohort.start_date).days)
                    state, reason = EnrolmentState.DROPPED_OUT, DropReason.VIOLATION
                    ended = cohort.start_date + self.days(rng.randint(0, span))
                e = Enrolment(
                    facility=f,
                    inmate=a.inmate,
                    track=cohort.track,
                    cohort=cohort,
                    assessment=a,
                    state=state,
                    drop_reason=reason,
                    started_on=cohort.start_date if state != EnrolmentState.PLACED else None,
                    ended_on=ended,
                    created_at=self.past(self.at(proposed, 10, tz)),
                )
                enrolments.append(e)
        self.write(Enrolment, enrolments)
        for e in enrolments:
            assert e.cohort is not None
            steps: list[tuple[str, str, datetime.date, Any]] = [
                ("", EnrolmentState.PROPOSED, e.created_at.date(), people.counselor)
            ]
            steps.append(
                (
                    EnrolmentState.PROPOSED,
                    EnrolmentState.PLACED,
                    e.created_at.date() + self.days(1),
                    people.warden,
                )
            )
            if e.started_on:
                steps.append(
                    (EnrolmentState.PLACED, EnrolmentState.ACTIVE, e.started_on, people.staff)
                )
            if e.ended_on:
                steps.append((EnrolmentState.ACTIVE, e.state, e.ended_on, people.staff))
            for before, after, on, by in steps:
                events.append(
                    EnrolmentEvent(
                        enrolment=e,
                        from_state=before,
                        to_state=after,
                        on=on,
                        reason="Sesuai hasil asesmen" if before == "" else "",
                        by=by,
                        created_at=self.past(self.at(on, 16, tz)),
                    )
                )
            audit.append(
                self.audit(f, people.counselor, "programs.enrolment.proposed", e, e.created_at)
            )
        self.write(EnrolmentEvent, events)

        # Group sessions: three a week (Mon, Wed, Fri) 09:00-11:00, held until yesterday.
        sessions: list[tuple[Session, Cohort]] = []
        for cohort, _seated in cohorts:
            kinds = self.kinds[cohort.track_id]
            day, k = cohort.start_date, 0
            while day <= cohort.end_date:
                if day.weekday() in (0, 2, 4):
                    starts = self.at(day, 9, tz)
                    sessions.append(
                        (
                            Session(
                                facility=f,
                                cohort=cohort,
                                kind=kinds[k % len(kinds)],
                                title=f"Sesi {k + 1}",
                                place=cohort.place,
                                starts_at=starts,
                                ends_at=starts + datetime.timedelta(hours=2),
                                status=SessionStatus.HELD if day < today else SessionStatus.PLANNED,
                                created_by=people.staff,
                            ),
                            cohort,
                        )
                    )
                    k += 1
                day += self.days(1)
        self.write(Session, [s for s, _c in sessions])

        members: dict[int, list[Enrolment]] = {}
        for e in enrolments:
            members.setdefault(e.cohort_id or 0, []).append(e)
        rows = []
        statuses, weights = [m[0] for m in MARKS], [m[1] for m in MARKS]
        for session, cohort in sessions:
            if session.status != SessionStatus.HELD:
                continue
            day = session.starts_at.date()
            recorded = self.past(session.ends_at + datetime.timedelta(hours=3))
            for e in members.get(cohort.pk, []):
                if e.ended_on and e.ended_on < day:
                    continue
                rows.append(
                    Attendance(
                        session=session,
                        enrolment=e,
                        status=rng.choices(statuses, weights)[0],
                        recorded_by=people.staff,
                        recorded_at=recorded,
                    )
                )
            audit.append(
                self.audit(f, people.staff, "programs.attendance.saved", session, recorded)
            )
        self.write(Attendance, rows)

        follow_ups = []
        for e in enrolments:
            if e.state in (EnrolmentState.ACTIVE, EnrolmentState.COMPLETED) and rng.random() < 0.06:
                assert e.started_on is not None
                raised = self.at(e.started_on, 12, tz) + self.days(10)
                if raised.date() >= today:
                    continue
                done = rng.random() < 0.6
                follow_ups.append(
                    FollowUp(
                        facility=f,
                        enrolment=e,
                        reason="Tidak hadir 3 sesi berturut-turut",
                        created_at=raised,
                        resolved_at=self.past(raised + self.days(2)) if done else None,
                        resolved_by=people.counselor if done else None,
                        resolution="Sudah dikonseling, kembali aktif" if done else "",
                    )
                )
        self.write(FollowUp, follow_ups)
        for e in enrolments[:: max(1, len(enrolments) // 50 or 1)]:
            access.append(
                self.access(f, people.counselor, "notes.read", e, e.created_at + self.days(3))
            )

    def skills(
        self, f: Facility, people: Staff, inmates: list[Inmate], audit: list[AuditEntry]
    ) -> None:
        """Skills courses through the year: one per 400 WBP a quarter, weekly meetings."""
        rng, tz, today = self.rng, f.tzinfo, self.today
        present = [i for i in inmates if i.status == CustodyStatus.IN_CUSTODY]
        per_quarter = max(1, len(inmates) // 400)
        courses = []
        for quarter in range(4):
            for c in range(per_quarter):
                start = self.year_ago + self.days(quarter * 91 + rng.randint(0, 30))
                kind = rng.choice([k for k in CourseKind if k != CourseKind.OTHER])
                courses.append(
                    Course(
                        facility=f,
                        kind=kind,
                        name=f"Pelatihan {kind.label} {quarter + 1}.{c + 1}",
                        provider_kind=ProviderKind.DISNAKERTRANS,
                        provider_name="Disnakertrans",
                        hours=32,
                        capacity=15,
                        start_date=start,
                        end_date=start + self.days(55),
                        place="Bengkel kerja",
                        created_by=people.staff,
                        created_at=self.at(start, 9, tz) - self.days(14),
                    )
                )
        self.write(Course, courses)
        meetings: list[CourseMeeting] = []
        trainees: list[Trainee] = []
        for course in courses:
            for week in range(8):
                starts = self.at(course.start_date + self.days(7 * week), 13, tz)
                meetings.append(
                    CourseMeeting(
                        course=course,
                        starts_at=starts,
                        ends_at=starts + datetime.timedelta(hours=4),
                        topic=f"Pertemuan {week + 1}",
                        status=SessionStatus.HELD
                        if starts.date() < today
                        else SessionStatus.PLANNED,
                    )
                )
            ended = course.end_date < today
            for inmate in rng.sample(present, min(len(present), course.capacity)):
                trainees.append(
                    Trainee(
                        facility=f,
                        course=course,
                        inmate=inmate,
                        state=TraineeState.COMPLETED if ended else TraineeState.ENROLLED,
                        completed_on=course.end_date if ended else None,
                        competency=Competency.COMPETENT if ended else "",
                        certificate_number=f"SERT/{course.start_date:%Y}/{len(trainees) + 1:05d}"
                        if ended
                        else "",
                        created_by=people.staff,
                        created_at=course.created_at + self.days(2),
                    )
                )
        self.write(CourseMeeting, meetings)
        self.write(Trainee, trainees)
        by_course: dict[int, list[Trainee]] = {}
        for t in trainees:
            by_course.setdefault(t.course_id, []).append(t)
        rows = []
        statuses, weights = [m[0] for m in MARKS], [m[1] for m in MARKS]
        for m in meetings:
            if m.status != SessionStatus.HELD:
                continue
            for t in by_course.get(m.course_id, []):
                rows.append(
                    CourseAttendance(
                        meeting=m,
                        trainee=t,
                        status=rng.choices(statuses, weights)[0],
                        recorded_by=people.staff,
                        recorded_at=self.past(m.ends_at + datetime.timedelta(hours=2)),
                    )
                )
        self.write(CourseAttendance, rows)
        for course in courses:
            audit.append(
                self.audit(f, people.staff, "programs.course.created", course, course.created_at)
            )

    def releases(
        self,
        f: Facility,
        people: Staff,
        inmates: list[Inmate],
        audit: list[AuditEntry],
        access: list[AccessLog],
    ) -> None:
        """Release plans for released WBP and their follow-ups at 1, 3, 6 and 12 months."""
        rng, tz, today = self.rng, f.tzinfo, self.today
        plans, follow = [], []
        for inmate in inmates:
            if inmate.status != CustodyStatus.RELEASED or rng.random() > 0.6:
                continue
            assert inmate.release_date is not None
            plans.append(
                ReleasePlan(
                    facility=f,
                    inmate=inmate,
                    bnnk_referral=True,
                    bapas_referral=rng.random() < 0.5,
                    family_contact_name="Keluarga",
                    family_contact_relation="Orang tua",
                    family_contact_phone="0812" + f"{rng.randint(0, 99999999):08d}",
                    follow_up_phone="0813" + f"{rng.randint(0, 99999999):08d}",
                    counselor=people.counselor,
                    updated_by=people.counselor,
                    updated_at=self.at(inmate.release_date, 10, tz) - self.days(7),
                )
            )
            for month in (1, 3, 6, 12):
                due = inmate.release_date + self.days(30 * month)
                done = due < today and rng.random() < 0.7
                recorded = self.past(self.at(due, 11, tz) + self.days(2)) if done else None
                follow.append(
                    Aftercare(
                        facility=f,
                        inmate=inmate,
                        month=month,
                        due_on=due,
                        counselor=people.counselor,
                        contacted_on=due if done else None,
                        outcome=self.pick(
                            (
                                (Outcome.ABSTINENT, 70),
                                (Outcome.RELAPSE, 15),
                                (Outcome.UNREACHABLE, 15),
                            )
                        )
                        if done
                        else "",
                        method="phone" if done else "",
                        recorded_by=people.counselor if done else None,
                        recorded_at=recorded,
                    )
                )
                if recorded:
                    access.append(
                        self.access(f, people.counselor, "aftercare.view", inmate, recorded)
                    )
        self.write(ReleasePlan, plans)
        self.write(Aftercare, follow)
        for plan in plans:
            audit.append(
                self.audit(
                    f, people.counselor, "programs.release_plan.saved", plan, plan.updated_at
                )
            )

    # --- log rows --------------------------------------------------------------------------

    def audit(
        self, f: Facility, actor: Any, action: str, target: models.Model, when: datetime.datetime
    ) -> AuditEntry:
        return AuditEntry(
            facility=f,
            actor=actor,
            actor_username=actor.username,
            actor_name=actor.get_full_name(),
            action=action,
            target_type=target._meta.label_lower,
            target_id=target.pk,
            created_at=self.past(when),
        )

    def access(
        self, f: Facility, user: Any, action: str, target: models.Model, when: datetime.datetime
    ) -> AccessLog:
        return AccessLog(
            user=user,
            username=user.username,
            user_name=user.get_full_name(),
            facility=f,
            action=action,
            target_type=target._meta.label_lower,
            target_id=target.pk,
            created_at=self.past(when),
        )

    # --- all of it -------------------------------------------------------------------------

    def run(self, progress: Any = None) -> Result:
        """Write the whole fixture; progress(done, total, facility) is called per facility."""
        with explicit_timestamps(*STAMPED):
            with transaction.atomic():
                facilities, staff = self.organisation()
            counts = sizes(self.n_facilities, self.n_wbp)
            for done, (f, n) in enumerate(zip(facilities, counts, strict=True), start=1):
                # Draws of its own per facility: the largest is the same whatever the others.
                self.rng = random.Random(f"{self.seed}:{f.code}")
                with transaction.atomic():
                    self.facility(f, n, staff[f.pk])
                if progress:
                    progress(done, len(facilities), f)
        return self.result
