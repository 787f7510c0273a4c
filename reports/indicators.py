"""Report indicators per facility and period, counted in the database (DOMAIN.md §5).

Every family takes a facility id and a period [start, end) of local dates (end exclusive: a month
is the 1st to the 1st of the next month) and returns plain JSON-ready values: ints, rates as
percentages rounded half-up to one decimal (None without a denominator), and dicts keyed by the
stored choice values, every choice present. Labels belong to the templates. Each family costs a
fixed number of queries whatever the amount of data.

Every figure counts an event by the day it happened, never by the day it was typed in: admission
date, interview, assessment, test, screening, programme start and end, custody event, course
completion and follow-up contact (contacted_on; recorded_at only tells a follow-up done from one
still open). Date fields are compared with the local dates as they are; datetime fields (session
start, trainee registered: a trainee stores no other date of joining) against local midnights in
the facility's time zone.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    When,
)

from assessments.models import (
    Analyte,
    Assessment,
    AssistScreening,
    HealthScreening,
    Injection,
    RiskLevel,
    ScreenResult,
    Substance,
    TestResult,
    Tier,
    UrineTest,
)
from inmates.models import CustodyEvent, CustodyEventKind, Inmate, ReleaseKind, Sex
from programs import attendance
from programs.models import (
    KNOWN_OUTCOMES,
    Aftercare,
    AidKind,
    Competency,
    CourseKind,
    DropReason,
    Enrolment,
    EnrolmentState,
    Outcome,
    Session,
    SessionKind,
    SessionStatus,
    TrackKind,
    Trainee,
    TraineeState,
)
from rehab.models import Facility

# The families of the monthly figures, in the order of the report.
FAMILIES = (
    "admissions",
    "screening",
    "assessment",
    "programme",
    "sessions",
    "urine",
    "skills",
    "aftercare",
    "health",
)
# Bumped whenever a key changes, so a frozen snapshot says which layout it was written in.
# 2: aftercare.follow_ups_done is of the follow-ups due in the period; follow_ups_made added.
# 3: skills.enrolled is of the trainees in courses running in the period; registered added.
SCHEMA_VERSION = 3
# Health counts from 1 to SMALL_CELL - 1 are hidden (DESIGN.md: cells under 5 suppressed).
SMALL_CELL = 5
# The follow-up months the outcome report looks at (DOMAIN.md §2.7: monitored 3 to 12 months).
OUTCOME_MONTHS = (3, 6, 12)
# ICD-10 F10-F19 (DSM-5 codes are ICD-10-CM codes with the same three-character prefix).
DIAGNOSIS_GROUPS = tuple(f"F1{d}" for d in range(10))
# scoring.main_substance never picks tobacco: "tobacco_only" is a screening where only tobacco
# scored (under tobacco's own band), "none" one with no substance scored.
MAIN_SUBSTANCES = (
    *(s for s in Substance.values if s != Substance.TOBACCO),
    "tobacco_only",
    "none",
)
# The conditions of a health screening, as stored field names.
HEALTH_CONDITIONS = (
    "hiv",
    "tb_symptoms",
    "tb_xray",
    "tb_tcm",
    "hepatitis_b",
    "hepatitis_c",
    "syphilis",
)
PROGRAMME_MEASURES = (
    "new",
    "continuing",
    "active",
    "completed",
    "dropped_out",
    "changed",
    "left_before_start",
)
# Trainee states of someone who holds or held a place; the waitlist and offers do not count.
TRAINEE_PLACED = (TraineeState.ENROLLED, TraineeState.COMPLETED, TraineeState.LEFT)
TIER_RANK = Case(
    When(final_tier=Tier.RINGAN, then=1),
    When(final_tier=Tier.SEDANG, then=2),
    When(final_tier=Tier.BERAT, then=3),
    output_field=IntegerField(),
)


# --- pure helpers ------------------------------------------------------------------------------


def suppress(count: int) -> int | None:
    """Hide a small count: 1 to 4 become None (shown as "<5"); 0 and 5 or more stay."""
    return None if 0 < count < SMALL_CELL else count


rate = attendance.rate


def month_period(year: int, month: int) -> tuple[datetime.date, datetime.date]:
    """Return the first day of the month and the first day of the next one."""
    start = datetime.date(year, month, 1)
    return start, _next_month(start)


def _next_month(day: datetime.date) -> datetime.date:
    return datetime.date(day.year + day.month // 12, day.month % 12 + 1, 1)


def _previous_month(day: datetime.date) -> datetime.date:
    return datetime.date(day.year - (day.month == 1), (day.month - 2) % 12 + 1, 1)


def _check(start: datetime.date, end: datetime.date) -> None:
    if start >= end:
        raise ValueError(f"periode kosong: {start} sampai {end}")


def facility_tz(facility_id: int) -> ZoneInfo:
    """Return the facility's time zone (one query)."""
    name = Facility.objects.values_list("time_zone", flat=True).get(pk=facility_id)
    return ZoneInfo(name)


def _local_bounds(
    start: datetime.date, end: datetime.date, tz: ZoneInfo
) -> tuple[datetime.datetime, datetime.datetime]:
    """Return the local midnights that open and close the period, as aware datetimes."""
    return (
        datetime.datetime.combine(start, datetime.time.min, tzinfo=tz),
        datetime.datetime.combine(end, datetime.time.min, tzinfo=tz),
    )


def _dates(field: str, start: datetime.date, end: datetime.date) -> Q:
    return Q(**{f"{field}__gte": start, f"{field}__lt": end})


def _latest_in(qs: QuerySet[Any], date_field: str) -> QuerySet[Any]:
    """Keep each WBP's newest row of the queryset (date, then id), so a WBP counts once."""
    later = qs.filter(inmate_id=OuterRef("inmate_id")).filter(
        Q(**{f"{date_field}__gt": OuterRef(date_field)})
        | Q(**{date_field: OuterRef(date_field), "id__gt": OuterRef("id")})
    )
    return qs.exclude(Exists(later))


# --- the families ------------------------------------------------------------------------------


def admissions(facility_id: int, start: datetime.date, end: datetime.date) -> dict[str, Any]:
    """Count the WBP admitted in the period, by sex (1 query)."""
    _check(start, end)
    counts = Inmate.objects.filter(
        _dates("admission_date", start, end), facility_id=facility_id
    ).aggregate(
        admitted=Count("id"),
        **{f"sex_{s}": Count("id", filter=Q(sex=s)) for s in Sex.values},
    )
    return {
        "admitted": counts["admitted"],
        "by_sex": {s: counts[f"sex_{s}"] for s in Sex.values},
    }


def screening(facility_id: int, start: datetime.date, end: datetime.date) -> dict[str, Any]:
    """Count the WBP screened with ASSIST, by main-substance band and injecting (1 query).

    A WBP screened twice in the period counts once, with their latest screening. The band is the
    stored band of the main substance (the highest band, then the highest SSIS, tobacco aside);
    a screening where only tobacco scored counts under "tobacco_only" with tobacco's band (and
    in by_band with it), one with no substance scored is "low" under "none". Injecting counts
    Q8 = yes, split into the past 3 months and earlier.
    """
    _check(start, end)
    in_period = AssistScreening.objects.filter(
        _dates("interviewed_on", start, end), facility_id=facility_id
    )
    rows = (
        _latest_in(in_period, "interviewed_on")
        .values("main_substance", "main_level", "tobacco_level", "injection")
        .annotate(n=Count("id"))
        .order_by()
    )
    by_band = dict.fromkeys(RiskLevel.values, 0)
    by_substance = {s: dict.fromkeys(RiskLevel.values, 0) for s in MAIN_SUBSTANCES}
    injecting = dict.fromkeys([Injection.PAST_3_MONTHS, Injection.NOT_PAST_3_MONTHS], 0)
    for row in rows:
        substance, level = row["main_substance"], row["main_level"]
        if not substance:
            substance, level = (
                ("tobacco_only", row["tobacco_level"]) if row["tobacco_level"] else ("none", level)
            )
        by_band[level] += row["n"]
        by_substance[substance][level] += row["n"]
        if row["injection"] in injecting:
            injecting[row["injection"]] += row["n"]
    return {
        "screened": sum(by_band.values()),
        "by_band": by_band,
        "by_substance": by_substance,
        "injecting": sum(injecting.values()),
        "injecting_by_recency": {str(k): v for k, v in injecting.items()},
    }


def assessment(facility_id: int, start: datetime.date, end: datetime.date) -> dict[str, Any]:
    """Count the WBP assessed in the period, by tier and diagnosis group (1 query).

    Only signed, current versions count (never a superseded one); a WBP assessed twice counts
    once, with the latest. The diagnosis group is the code's prefix F10-F19 ("other": any other
    code, "none": no code).
    """
    _check(start, end)
    in_period = Assessment.objects.current().filter(
        _dates("assessed_on", start, end), facility_id=facility_id
    )
    counts = _latest_in(in_period, "assessed_on").aggregate(
        assessed=Count("id"),
        **{f"tier_{t}": Count("id", filter=Q(final_tier=t)) for t in Tier.values},
        **{
            f"dx_{g}": Count("id", filter=Q(diagnosis_code__startswith=g)) for g in DIAGNOSIS_GROUPS
        },
        dx_none=Count("id", filter=Q(diagnosis_code="")),
    )
    by_diagnosis = {g: counts[f"dx_{g}"] for g in DIAGNOSIS_GROUPS}
    by_diagnosis["none"] = counts["dx_none"]
    by_diagnosis["other"] = counts["assessed"] - sum(by_diagnosis.values())
    return {
        "assessed": counts["assessed"],
        "by_tier": {t: counts[f"tier_{t}"] for t in Tier.values},
        "by_diagnosis": by_diagnosis,
    }


def _programme_counts(start: datetime.date, end: datetime.date) -> dict[str, Count]:
    ended = _dates("ended_on", start, end)
    started = Q(started_on__isnull=False)
    dropped = ended & started & Q(state=EnrolmentState.DROPPED_OUT)
    return {
        "new": Count("id", filter=_dates("started_on", start, end)),
        "active": Count("id", filter=_active(start, end)),
        "completed": Count("id", filter=ended & Q(state=EnrolmentState.COMPLETED)),
        "dropped_out": Count("id", filter=dropped),
        "changed": Count("id", filter=ended & Q(state=EnrolmentState.CHANGED)),
        "left_before_start": Count(
            "id", filter=ended & ~started & Q(state=EnrolmentState.DROPPED_OUT)
        ),
        **{f"drop_{r}": Count("id", filter=dropped & Q(drop_reason=r)) for r in DropReason.values},
    }


def _active(start: datetime.date, end: datetime.date) -> Q:
    """Match the enrolments running on at least one day of the period."""
    return Q(started_on__lt=end) & (Q(ended_on__isnull=True) | Q(ended_on__gte=start))


def programme(facility_id: int, start: datetime.date, end: datetime.date) -> dict[str, Any]:
    """Count programme enrolments: new, active, completed, dropped out, by track (1 query).

    Counts are of enrolments, so a WBP who changed tier counts in both tracks.
    - new: started (first active day) in the period; a tier change starts a new enrolment;
    - continuing: active in the period but started before it;
    - active: started before the end and not ended before the start;
    - completed, dropped_out: ended in the period in that state, after having started;
      dropped_out is split by reason;
    - changed: ended in the period by a tier change;
    - left_before_start: dropped while waitlisted or placed, never having started.
    No rehab medis / rehab sosial / pascarehab split: tracks only record tier and kind.
    """
    _check(start, end)
    measures = _programme_counts(start, end)
    rows = (
        Enrolment.objects.filter(facility_id=facility_id)
        .filter(_active(start, end) | _dates("ended_on", start, end))
        .values("track__tier", "track__kind")
        .annotate(**measures)
        .order_by()
    )
    found = {(r["track__tier"], r["track__kind"]): r for r in rows}
    by_track = []
    totals = dict.fromkeys(PROGRAMME_MEASURES, 0)
    by_reason = dict.fromkeys(DropReason.values, 0)
    for tier in Tier.values:
        for kind in TrackKind.values:
            row = found.get((tier, kind), {})
            line = {name: row.get(name, 0) for name in PROGRAMME_MEASURES}
            line["continuing"] = line["active"] - line["new"]
            for name in PROGRAMME_MEASURES:
                totals[name] += line[name]
            for reason in DropReason.values:
                by_reason[reason] += row.get(f"drop_{reason}", 0)
            by_track.append({"tier": tier, "kind": kind, **line})
    return {**totals, "dropped_out_by_reason": by_reason, "by_track": by_track}


def sessions(
    facility_id: int,
    start: datetime.date,
    end: datetime.date,
    *,
    tz: ZoneInfo | None = None,
) -> dict[str, Any]:
    """Count the sessions held in the period by kind, and their attendance rate (2 queries).

    One query when the caller passes the facility's tz. A session belongs to the period of its
    start in the facility's time zone. The attendance rate is present + late over every mark
    taken at the held sessions (excused counts as absent).
    """
    _check(start, end)
    low, high = _local_bounds(start, end, tz or facility_tz(facility_id))
    held = Q(status=SessionStatus.HELD)
    counts = Session.objects.filter(
        facility_id=facility_id, starts_at__gte=low, starts_at__lt=high
    ).aggregate(
        held=Count("id", distinct=True, filter=held),
        cancelled=Count("id", distinct=True, filter=Q(status=SessionStatus.CANCELLED)),
        **{
            f"kind_{k}": Count("id", distinct=True, filter=held & Q(kind=k))
            for k in SessionKind.values
        },
        marks=Count("attendance", filter=held),
        attended=Count("attendance", filter=held & attendance.attended_q("attendance__")),
    )
    return {
        "held": counts["held"],
        "cancelled": counts["cancelled"],
        "by_kind": {k: counts[f"kind_{k}"] for k in SessionKind.values},
        "attendance_marks": counts["marks"],
        "attended": counts["attended"],
        "attendance_rate": rate(counts["attended"], counts["marks"]),
    }


def urine(facility_id: int, start: datetime.date, end: datetime.date) -> dict[str, Any]:
    """Count the urine tests of the period, positives per analyte and confirmations (1 query).

    positive_tests: tests with at least one positive analyte; confirmed_positive and
    confirmed_negative: tests whose lab confirmation came back positive or negative.
    """
    _check(start, end)
    positive = Q(results__result=TestResult.POSITIVE)
    counts = UrineTest.objects.filter(
        _dates("tested_on", start, end), facility_id=facility_id
    ).aggregate(
        tests=Count("id", distinct=True),
        tested=Count("inmate", distinct=True),
        positive_tests=Count("id", distinct=True, filter=positive),
        confirmed_positive=Count(
            "id", distinct=True, filter=Q(confirmation_result=TestResult.POSITIVE)
        ),
        confirmed_negative=Count(
            "id", distinct=True, filter=Q(confirmation_result=TestResult.NEGATIVE)
        ),
        **{
            f"pos_{a}": Count("results", filter=positive & Q(results__analyte=a))
            for a in Analyte.values
        },
    )
    return {
        "tests": counts["tests"],
        "tested": counts["tested"],
        "positive_tests": counts["positive_tests"],
        "positives_by_analyte": {a: counts[f"pos_{a}"] for a in Analyte.values},
        "confirmed_positive": counts["confirmed_positive"],
        "confirmed_negative": counts["confirmed_negative"],
    }


def skills(
    facility_id: int,
    start: datetime.date,
    end: datetime.date,
    *,
    tz: ZoneInfo | None = None,
) -> dict[str, Any]:
    """Count skills trainees and certificates by course kind, and capital aid (3 queries).

    Two queries when the caller passes the facility's tz. A trainee "holds a place" when
    enrolled, completed or left (once placed); the waitlist, open offers and refusals do not.
    - enrolled: trainees holding a place in a course running in the period (its first day
      before the period's end, its last day on or after the period's start) on a day of the
      period: registered before its end and not completed before its start;
    - registered: trainees registered in the period (local date) who hold a place, whatever
      course dates;
    - completed: completed in the period; certified: of those, found competent;
    - capital_aid: follow-ups made in the period (contacted_on, recorded as done) that found
      business-capital aid, with the sum of the amounts in rupiah.
    """
    _check(start, end)
    low, high = _local_bounds(start, end, tz or facility_tz(facility_id))
    placed = Q(state__in=TRAINEE_PLACED)
    # Held a place on a day of the period: registered before its end, not completed before it.
    enrolled = (
        placed
        & Q(course__start_date__lt=end, course__end_date__gte=start, created_at__lt=high)
        & (Q(completed_on__isnull=True) | Q(completed_on__gte=start))
    )
    registered = placed & Q(created_at__gte=low, created_at__lt=high)
    completed = _dates("completed_on", start, end) & Q(state=TraineeState.COMPLETED)
    certified = completed & Q(competency=Competency.COMPETENT)
    rows = (
        Trainee.objects.filter(facility_id=facility_id)
        .filter(enrolled | registered | completed)
        .values("course__kind")
        .annotate(
            enrolled=Count("id", filter=enrolled),
            registered=Count("id", filter=registered),
            completed=Count("id", filter=completed),
            certified=Count("id", filter=certified),
        )
        .order_by()
    )
    names = ("enrolled", "registered", "completed", "certified")
    by_kind = {k: dict.fromkeys(names, 0) for k in CourseKind.values}
    for row in rows:
        by_kind[row["course__kind"]] = {n: row[n] for n in names}
    aid = Aftercare.objects.filter(
        _dates("contacted_on", start, end),
        facility_id=facility_id,
        aid_kind=AidKind.CAPITAL,
        recorded_at__isnull=False,
    ).aggregate(n=Count("id"), amount=Sum("aid_amount"))
    return {
        **{n: sum(line[n] for line in by_kind.values()) for n in names},
        "by_kind": by_kind,
        "capital_aid": aid["n"],
        "capital_aid_amount": int(aid["amount"] or 0),
    }


def _not_relapsing(outcomes: dict[str, int]) -> float | None:
    """Return abstinent / (abstinent + relapse + rearrested) in percent.

    The unreachable and the dead are left out: nothing is known of their use.
    """
    known = sum(outcomes[o] for o in KNOWN_OUTCOMES)
    return rate(outcomes[Outcome.ABSTINENT], known)


def aftercare(facility_id: int, start: datetime.date, end: datetime.date) -> dict[str, Any]:
    """Count the releases, hand-overs and post-release follow-ups of the period (2 queries).

    - released: release events in the period, deaths in custody left out;
    - handed_over: of those, WBP whose release plan refers them to BNNK or Bapas (either);
    - follow_ups_due: follow-ups falling due in the period; follow_ups_done: of those same
      follow-ups, the ones made (contacted_on) before the period's end, so done never exceeds
      due and both speak of one cohort of due dates;
    - follow_ups_made: follow-ups made (contacted_on) in the period, whenever they fell due, also
      by follow-up month ("month_3" ...) in done_by_month; outcomes are of these;
    - not_relapsing_rate: abstinent / (abstinent + relapse + rearrested) of the follow-ups made,
      in percent; unreachable and died are not in the denominator.
    """
    _check(start, end)
    bnnk = Q(inmate__release_plan__bnnk_referral=True)
    bapas = Q(inmate__release_plan__bapas_referral=True)
    released = (
        CustodyEvent.objects.filter(
            _dates("occurred_on", start, end),
            kind=CustodyEventKind.RELEASED,
            facility_id=facility_id,
        )
        .exclude(release_kind=ReleaseKind.DIED)
        .aggregate(
            released=Count("id"),
            handed_over=Count("id", filter=bnnk | bapas),
            to_bnnk=Count("id", filter=bnnk),
            to_bapas=Count("id", filter=bapas),
        )
    )
    # A follow-up counts in the month it was made, not the month it was typed in.
    recorded = Q(recorded_at__isnull=False)
    done = _dates("contacted_on", start, end) & recorded
    due = _dates("due_on", start, end)
    due_done = due & recorded & Q(contacted_on__lt=end)
    months = settings.AFTERCARE_MONTHS
    follow_ups = (
        Aftercare.objects.filter(facility_id=facility_id)
        .filter(done | due)
        .aggregate(
            due=Count("id", filter=due),
            due_done=Count("id", filter=due_done),
            done=Count("id", filter=done),
            **{f"o_{o}": Count("id", filter=done & Q(outcome=o)) for o in Outcome.values},
            **{f"m_{m}": Count("id", filter=done & Q(month=m)) for m in months},
        )
    )
    outcomes = {o: follow_ups[f"o_{o}"] for o in Outcome.values}
    return {
        "released": released["released"],
        "handed_over": released["handed_over"],
        "handed_to_bnnk": released["to_bnnk"],
        "handed_to_bapas": released["to_bapas"],
        "follow_ups_due": follow_ups["due"],
        "follow_ups_done": follow_ups["due_done"],
        "follow_ups_made": follow_ups["done"],
        "done_by_month": {f"month_{m}": follow_ups[f"m_{m}"] for m in months},
        "outcomes": outcomes,
        "not_relapsing_rate": _not_relapsing(outcomes),
    }


def health(facility_id: int, start: datetime.date, end: datetime.date) -> dict[str, Any]:
    """Count health screening per condition, small counts suppressed (1 query).

    Every count of 1 to 4 is None (rendered "<5"); 0 stays 0. Counts are of distinct WBP.
    tested: a result was recorded (for TB symptoms: asked); positive: reactive (for TB
    symptoms: present); referred: a referral was written.
    """
    _check(start, end)
    conditions: dict[str, tuple[Q, Q]] = {
        name: (~Q(**{name: ScreenResult.NOT_DONE}), Q(**{name: ScreenResult.REACTIVE}))
        for name in HEALTH_CONDITIONS
        if name != "tb_symptoms"
    }
    conditions["tb_symptoms"] = (Q(tb_symptoms__isnull=False), Q(tb_symptoms=True))
    counts = HealthScreening.objects.filter(
        _dates("screened_on", start, end), facility_id=facility_id
    ).aggregate(
        screened=Count("inmate", distinct=True),
        referred=Count("inmate", distinct=True, filter=~Q(referred_to="")),
        **{
            f"{name}_{which}": Count("inmate", distinct=True, filter=q)
            for name, pair in conditions.items()
            for which, q in zip(("tested", "positive"), pair, strict=True)
        },
    )
    return {
        "screened": suppress(counts["screened"]),
        "referred": suppress(counts["referred"]),
        "conditions": {
            name: {
                "tested": suppress(counts[f"{name}_tested"]),
                "positive": suppress(counts[f"{name}_positive"]),
            }
            for name in HEALTH_CONDITIONS
        },
    }


# --- assembled reports -------------------------------------------------------------------------


def in_current_layout(figures: dict[str, Any]) -> dict[str, Any]:
    """Read a frozen report's figures in the current layout, without changing what is stored.

    Before schema 2, aftercare.follow_ups_done counted the follow-ups made in the month, now
    follow_ups_made; of the follow-ups due, how many were done was not counted (None).
    Before schema 3, skills.enrolled counted the registrations of the period, now registered;
    the trainees of the courses running in the period were not counted (None).
    """
    upgraded = dict(figures)
    monthly = figures.get("indicators") or {}
    aftercare = monthly.get("aftercare")
    if aftercare and "follow_ups_made" not in aftercare:
        fixed = {**aftercare, "follow_ups_made": aftercare.get("follow_ups_done"),
                 "follow_ups_done": None}  # fmt: skip
        upgraded["indicators"] = {**monthly, "aftercare": fixed}
    for part in ("indicators", "outcomes"):
        family = upgraded.get(part) or {}
        skills = family.get("skills")
        if skills and "registered" not in skills:
            upgraded[part] = {**family, "skills": _skills_v3(skills)}
    return upgraded if upgraded != figures else figures


def _skills_v3(skills: dict[str, Any]) -> dict[str, Any]:
    def moved(line: dict[str, Any]) -> dict[str, Any]:
        return {**line, "enrolled": None, "registered": line.get("enrolled")}

    by_kind = {k: moved(line) for k, line in (skills.get("by_kind") or {}).items()}
    return {**moved(skills), "by_kind": by_kind}


def monthly_figures(facility_id: int, year: int, month: int) -> dict[str, Any]:
    """Return every indicator family of one facility and month under stable keys (12 queries)."""
    start, end = month_period(year, month)
    tz = facility_tz(facility_id)
    return {
        "schema_version": SCHEMA_VERSION,
        "facility_id": facility_id,
        "year": year,
        "month": month,
        "start": start.isoformat(),
        "end": end.isoformat(),
        "admissions": admissions(facility_id, start, end),
        "screening": screening(facility_id, start, end),
        "assessment": assessment(facility_id, start, end),
        "programme": programme(facility_id, start, end),
        "sessions": sessions(facility_id, start, end, tz=tz),
        "urine": urine(facility_id, start, end),
        "skills": skills(facility_id, start, end, tz=tz),
        "aftercare": aftercare(facility_id, start, end),
        "health": health(facility_id, start, end),
    }


def trend(facility_id: int, year: int, month: int, months: int = 12) -> list[dict[str, Any]]:
    """Return headline numbers for the `months` months up to the given one (6 queries).

    Oldest first, whatever `months` is. Each month: WBP screened, WBP assessed, active
    enrolments, sessions held, attendance rate and releases, counted as in the monthly families
    (one conditional count per month).
    """
    if months < 1:
        raise ValueError("months harus 1 atau lebih")
    last, high = month_period(year, month)
    first = last
    for _i in range(months - 1):
        first = _previous_month(first)
    periods = []
    while first <= last:
        periods.append((first, _next_month(first)))
        first = _next_month(first)
    low = periods[0][0]
    tz = facility_tz(facility_id)

    def per_month(make: Callable[[datetime.date, datetime.date], dict[str, Any]]) -> dict:
        return {f"m{i}_{k}": v for i, (s, e) in enumerate(periods) for k, v in make(s, e).items()}

    screened = AssistScreening.objects.filter(
        _dates("interviewed_on", low, high), facility_id=facility_id
    ).aggregate(
        **per_month(
            lambda s, e: {
                "n": Count("inmate", distinct=True, filter=_dates("interviewed_on", s, e))
            }
        )
    )
    assessed = (
        Assessment.objects.current()
        .filter(_dates("assessed_on", low, high), facility_id=facility_id)
        .aggregate(
            **per_month(
                lambda s, e: {
                    "n": Count("inmate", distinct=True, filter=_dates("assessed_on", s, e))
                }
            )
        )
    )
    active = Enrolment.objects.filter(_active(low, high), facility_id=facility_id).aggregate(
        **per_month(lambda s, e: {"n": Count("id", filter=_active(s, e))})
    )

    def session_counts(s: datetime.date, e: datetime.date) -> dict[str, Count]:
        start_at, end_at = _local_bounds(s, e, tz)
        held = Q(status=SessionStatus.HELD, starts_at__gte=start_at, starts_at__lt=end_at)
        return {
            "held": Count("id", distinct=True, filter=held),
            "marks": Count("attendance", filter=held),
            "attended": Count("attendance", filter=held & attendance.attended_q("attendance__")),
        }

    range_low, range_high = _local_bounds(low, high, tz)
    held = Session.objects.filter(
        facility_id=facility_id, starts_at__gte=range_low, starts_at__lt=range_high
    ).aggregate(**per_month(session_counts))
    released = (
        CustodyEvent.objects.filter(
            _dates("occurred_on", low, high),
            kind=CustodyEventKind.RELEASED,
            facility_id=facility_id,
        )
        .exclude(release_kind=ReleaseKind.DIED)
        .aggregate(**per_month(lambda s, e: {"n": Count("id", filter=_dates("occurred_on", s, e))}))
    )
    return [
        {
            "year": s.year,
            "month": s.month,
            "screened": screened[f"m{i}_n"],
            "assessed": assessed[f"m{i}_n"],
            "active": active[f"m{i}_n"],
            "sessions_held": held[f"m{i}_held"],
            "attendance_rate": rate(held[f"m{i}_attended"], held[f"m{i}_marks"]),
            "released": released[f"m{i}_n"],
        }
        for i, (s, _e) in enumerate(periods)
    ]


def _completion(facility_id: int, start: datetime.date, end: datetime.date) -> dict[str, Any]:
    """Return the completion rate of the enrolments ended in the period, by tier (1 query).

    completed / (completed + dropped out), of enrolments that had started.
    """
    rows = (
        Enrolment.objects.filter(
            _dates("ended_on", start, end), facility_id=facility_id, started_on__isnull=False
        )
        .values("track__tier")
        .annotate(
            completed=Count("id", filter=Q(state=EnrolmentState.COMPLETED)),
            dropped_out=Count("id", filter=Q(state=EnrolmentState.DROPPED_OUT)),
        )
        .order_by()
    )
    found = {r["track__tier"]: r for r in rows}
    by_tier = {}
    for tier in Tier.values:
        row = found.get(tier, {})
        done, dropped = row.get("completed", 0), row.get("dropped_out", 0)
        by_tier[tier] = {
            "completed": done,
            "dropped_out": dropped,
            "completion_rate": rate(done, done + dropped),
        }
    done = sum(line["completed"] for line in by_tier.values())
    dropped = sum(line["dropped_out"] for line in by_tier.values())
    return {
        "completed": done,
        "dropped_out": dropped,
        "completion_rate": rate(done, done + dropped),
        "by_tier": by_tier,
    }


def _tier_change(facility_id: int, start: datetime.date, end: datetime.date) -> dict[str, int]:
    """Compare the first and last tier of each WBP who completed in the period (1 query).

    The first and the last current signed assessment dated before the end of the period.
    improved: the last tier is lighter than the first; worse: heavier; same: equal;
    not_reassessed: only one signed assessment (or none).
    """
    completers = Enrolment.objects.filter(
        _dates("ended_on", start, end), facility_id=facility_id, state=EnrolmentState.COMPLETED
    ).values("inmate_id")
    signed = Assessment.objects.current().filter(inmate_id=OuterRef("pk"), assessed_on__lt=end)
    first = signed.order_by("assessed_on", "id")
    last = signed.order_by("-assessed_on", "-id")
    people = Inmate.objects.filter(pk__in=completers).annotate(
        first_id=Subquery(first.values("id")[:1]),
        last_id=Subquery(last.values("id")[:1]),
        first_rank=Subquery(first.annotate(rank=TIER_RANK).values("rank")[:1]),
        last_rank=Subquery(last.annotate(rank=TIER_RANK).values("rank")[:1]),
    )
    again = Q(first_id__isnull=False) & ~Q(first_id=F("last_id"))
    return people.aggregate(
        completers=Count("id"),
        improved=Count("id", filter=again & Q(last_rank__lt=F("first_rank"))),
        same=Count("id", filter=again & Q(last_rank=F("first_rank"))),
        worse=Count("id", filter=again & Q(last_rank__gt=F("first_rank"))),
        not_reassessed=Count("id", filter=~again),
    )


def _post_release(facility_id: int, start: datetime.date, end: datetime.date) -> dict[str, Any]:
    """Count the outcomes of the 3-, 6- and 12-month follow-ups made in the period (1 query).

    A follow-up counts by the day it was made (contacted_on, a local date), whenever it was
    typed in; one not yet recorded as done does not count.
    """
    rows = (
        Aftercare.objects.filter(
            _dates("contacted_on", start, end),
            facility_id=facility_id,
            month__in=OUTCOME_MONTHS,
            recorded_at__isnull=False,
        )
        .values("month", "outcome")
        .annotate(n=Count("id"))
        .order_by()
    )
    outcomes = {m: dict.fromkeys(Outcome.values, 0) for m in OUTCOME_MONTHS}
    done = dict.fromkeys(OUTCOME_MONTHS, 0)
    for row in rows:
        done[row["month"]] += row["n"]
        if row["outcome"] in outcomes[row["month"]]:
            outcomes[row["month"]][row["outcome"]] += row["n"]
    return {
        f"month_{m}": {
            "done": done[m],
            "outcomes": outcomes[m],
            "not_relapsing_rate": _not_relapsing(outcomes[m]),
        }
        for m in OUTCOME_MONTHS
    }


def outcome_figures(facility_id: int, start: datetime.date, end: datetime.date) -> dict[str, Any]:
    """Return the outcome figures of a quarter or a year (6 queries).

    Completion by tier, tier change of those who completed, post-release outcomes at 3, 6 and
    12 months, and skills.
    """
    _check(start, end)
    tz = facility_tz(facility_id)
    return {
        "schema_version": SCHEMA_VERSION,
        "facility_id": facility_id,
        "start": start.isoformat(),
        "end": end.isoformat(),
        "completion": _completion(facility_id, start, end),
        "tier_change": _tier_change(facility_id, start, end),
        "post_release": _post_release(facility_id, start, end),
        "skills": skills(facility_id, start, end, tz=tz),
    }
