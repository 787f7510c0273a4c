"""An independent recount of every figure of the monthly and the quarterly (outcome) report on
the demo data (issue 16, "done when").

The recount is written from the definitions (reports/definitions.py, ../shared/DOMAIN.md) in
plain Python over model rows: it never calls nor imports the report code (reports.indicators,
reports.services, reports.exports), so a mistake there cannot be repeated here. Even the ASSIST
scores are worked out again from the raw answers with the WHO table. Every figure the report
writes must have its recount (a new figure without one fails the test) and agree with it.
"""

from __future__ import annotations

import ast
import datetime
from collections import defaultdict
from collections.abc import Iterable, Iterator
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings

from assessments.models import (
    Analyte,
    Assessment,
    AssistScreening,
    HealthScreening,
    Injection,
    RiskLevel,
    Substance,
    SubstanceAnswer,
    Tier,
    UrineResult,
    UrineTest,
)
from inmates.models import CustodyEvent, Inmate, Sex
from programs.models import (
    Aftercare,
    Attendance,
    CourseKind,
    DropReason,
    Enrolment,
    Outcome,
    ReleasePlan,
    Session,
    SessionKind,
    TrackKind,
    Trainee,
)
from rehab.models import Facility
from reports import definitions

pytestmark = pytest.mark.django_db

FACILITIES = ("tanah-grogot", "banjarnegara")
# The clock of the suite is 20 November 2026: the last two full months and the last full quarter.
MONTHS = ((2026, 9), (2026, 10))
QUARTER = (datetime.date(2026, 7, 1), datetime.date(2026, 10, 1))

# --- the rules, written again from DOMAIN.md ---------------------------------------------------

# DOMAIN.md §1.2: answer -> score per question; §1.3: tobacco has no Q5.
FREQ = ("never", "once_or_twice", "monthly", "weekly", "daily")
SCORES = {
    "q2": dict(zip(FREQ, (0, 2, 3, 4, 6), strict=True)),
    "q3": dict(zip(FREQ, (0, 3, 4, 5, 6), strict=True)),
    "q4": dict(zip(FREQ, (0, 4, 5, 6, 7), strict=True)),
    "q5": dict(zip(FREQ, (0, 5, 6, 7, 8), strict=True)),
    "q6": {"no": 0, "past_3_months": 6, "not_past_3_months": 3},
    "q7": {"no": 0, "past_3_months": 6, "not_past_3_months": 3},
}
FORM_ORDER = [s.value for s in Substance]  # rows a-j of the form: the tie-break
BAND_ORDER = ["low", "moderate", "high"]
TIER_RANK = {"ringan": 1, "sedang": 2, "berat": 3}
PLACED = {"enrolled", "completed", "left"}  # a trainee holding or having held a place
KNOWN = {"abstinent", "relapse", "rearrested", "redetained"}  # unreachable, died say nothing
SMALL = 5


def ssis(substance: str, answers: dict[str, str]) -> int:
    """SSIS = Q2+Q3+Q4+Q5+Q6+Q7 (tobacco without Q5); a question not asked scores 0: all of
    them when never used (Q1 = no), Q3-Q5 when not used in the past 3 months (Q2 = never)."""
    if answers.get("q1") != "yes":
        return 0
    total = 0
    for question, table in SCORES.items():
        if substance == "tobacco" and question == "q5":
            continue
        if question in ("q3", "q4", "q5") and answers.get("q2") in ("never", "", None):
            continue
        total += table.get(answers.get(question) or "", 0)
    return total


def band(substance: str, score: int) -> str:
    """DOMAIN.md §1.4: alcohol 0-10/11-26/27+, every other substance 0-3/4-26/27+."""
    moderate = 11 if substance == "alcohol" else 4
    return "high" if score >= 27 else "moderate" if score >= moderate else "low"


def main_of(scores: dict[str, int]) -> tuple[str, str]:
    """(main substance, band): highest band, then score, then form order, tobacco aside."""
    best = None
    for substance in FORM_ORDER:
        if substance == "tobacco" or scores.get(substance, 0) == 0:
            continue
        score = scores[substance]
        key = (BAND_ORDER.index(band(substance, score)), score)
        if best is None or key > best[0]:
            best = (key, substance)
    if best:
        return best[1], band(best[1], scores[best[1]])
    if scores.get("tobacco", 0):
        return "tobacco_only", band("tobacco", scores["tobacco"])
    return "none", "low"


def pct(part: int, whole: int) -> float | None:
    if not whole:
        return None
    value = (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"), ROUND_HALF_UP)
    return float(value)


def hide(n: int) -> int | None:
    return None if 0 < n < SMALL else n


def within(day: datetime.date | None, start: datetime.date, end: datetime.date) -> bool:
    return day is not None and start <= day < end


def latest_per_person(rows: Iterable[dict[str, Any]], day: str) -> list[dict[str, Any]]:
    newest: dict[int, dict[str, Any]] = {}
    for row in rows:
        held = newest.get(row["inmate_id"])
        if held is None or (row[day], row["id"]) > (held[day], held["id"]):
            newest[row["inmate_id"]] = row
    return list(newest.values())


# --- the recount, one function per family -----------------------------------------------------


class Recount:
    """Every figure of one facility, from its rows, for any period."""

    def __init__(self, facility: Facility) -> None:
        self.id = facility.pk
        self.tz = ZoneInfo(facility.time_zone)

    def local(self, moment: datetime.datetime) -> datetime.date:
        return moment.astimezone(self.tz).date()

    def admissions(self, start: datetime.date, end: datetime.date) -> dict[str, Any]:
        people = [
            p
            for p in Inmate.objects.filter(facility_id=self.id).values("admission_date", "sex")
            if within(p["admission_date"], start, end)
        ]
        return {
            "admitted": len(people),
            "by_sex": {s: sum(p["sex"] == s for p in people) for s in Sex.values},
        }

    def screening(self, start: datetime.date, end: datetime.date) -> dict[str, Any]:
        rows = [
            r
            for r in AssistScreening.objects.filter(facility_id=self.id).values(
                "id", "inmate_id", "interviewed_on", "injection"
            )
            if within(r["interviewed_on"], start, end)
        ]
        chosen = latest_per_person(rows, "interviewed_on")
        answers: dict[int, dict[str, int]] = defaultdict(dict)
        questions = ("q1", "q2", "q3", "q4", "q5", "q6", "q7")
        for a in SubstanceAnswer.objects.filter(screening_id__in=[r["id"] for r in chosen]).values(
            "screening_id", "substance", *questions
        ):
            given: dict[str, str] = {q: a[q] for q in questions}
            answers[a["screening_id"]][a["substance"]] = ssis(a["substance"], given)
        substances = [*(s for s in FORM_ORDER if s != "tobacco"), "tobacco_only", "none"]
        by_substance = {s: dict.fromkeys(RiskLevel.values, 0) for s in substances}
        for r in chosen:
            substance, level = main_of(answers[r["id"]])
            by_substance[substance][level] += 1
        recent = sum(r["injection"] == Injection.PAST_3_MONTHS for r in chosen)
        earlier = sum(r["injection"] == Injection.NOT_PAST_3_MONTHS for r in chosen)
        return {
            "screened": len(chosen),
            "by_band": {
                level: sum(line[level] for line in by_substance.values())
                for level in RiskLevel.values
            },
            "by_substance": by_substance,
            "injecting": recent + earlier,
            "injecting_by_recency": {"past_3_months": recent, "not_past_3_months": earlier},
        }

    def assessment(self, start: datetime.date, end: datetime.date) -> dict[str, Any]:
        rows = [
            r
            for r in Assessment.objects.filter(facility_id=self.id).values(
                "id",
                "inmate_id",
                "assessed_on",
                "status",
                "superseded",
                "final_tier",
                "diagnosis_code",
            )
            if r["status"] == "signed"
            and not r["superseded"]
            and within(r["assessed_on"], start, end)
        ]
        chosen = latest_per_person(rows, "assessed_on")
        groups = [f"F1{d}" for d in range(10)]
        by_diagnosis = dict.fromkeys([*groups, "none", "other"], 0)
        for r in chosen:
            code = r["diagnosis_code"]
            group = "none" if not code else code[:3] if code[:3] in groups else "other"
            by_diagnosis[group] += 1
        return {
            "assessed": len(chosen),
            "by_tier": {t: sum(r["final_tier"] == t for r in chosen) for t in Tier.values},
            "by_diagnosis": by_diagnosis,
        }

    def _enrolments(self) -> list[dict[str, Any]]:
        return list(
            Enrolment.objects.filter(facility_id=self.id).values(
                "id",
                "inmate_id",
                "state",
                "started_on",
                "ended_on",
                "drop_reason",
                "track__tier",
                "track__kind",
            )
        )

    def programme(self, start: datetime.date, end: datetime.date) -> dict[str, Any]:
        def measures(rows: list[dict[str, Any]]) -> dict[str, int]:
            began = [r for r in rows if r["started_on"] is not None]
            active = [
                r for r in began
                if r["started_on"] < end and (r["ended_on"] is None or r["ended_on"] >= start)
            ]  # fmt: skip
            ended = [r for r in rows if within(r["ended_on"], start, end)]
            return {
                "new": sum(within(r["started_on"], start, end) for r in active),
                "continuing": sum(r["started_on"] < start for r in active),
                "active": len(active),
                "completed": sum(
                    r["state"] == "completed" and r["started_on"] is not None for r in ended
                ),
                "dropped_out": sum(
                    r["state"] == "dropped_out" and r["started_on"] is not None for r in ended
                ),
                "changed": sum(r["state"] == "changed" for r in ended),
                "left_before_start": sum(
                    r["state"] == "dropped_out" and r["started_on"] is None for r in ended
                ),
            }

        rows = self._enrolments()
        dropped = [
            r for r in rows
            if r["state"] == "dropped_out" and r["started_on"] is not None
            and within(r["ended_on"], start, end)
        ]  # fmt: skip
        by_track = [
            {"tier": tier, "kind": kind, **measures(
                [r for r in rows if (r["track__tier"], r["track__kind"]) == (tier, kind)])}
            for tier in Tier.values
            for kind in TrackKind.values
        ]  # fmt: skip
        return {
            **measures(rows),
            "dropped_out_by_reason": {
                reason: sum(r["drop_reason"] == reason for r in dropped)
                for reason in DropReason.values
            },
            "by_track": by_track,
        }

    def sessions(self, start: datetime.date, end: datetime.date) -> dict[str, Any]:
        rows = [
            s
            for s in Session.objects.filter(facility_id=self.id).values(
                "id", "status", "kind", "starts_at"
            )
            if within(self.local(s["starts_at"]), start, end)
        ]
        held = [s for s in rows if s["status"] == "held"]
        marks = list(
            Attendance.objects.filter(session_id__in=[s["id"] for s in held]).values_list(
                "status", flat=True
            )
        )
        attended = sum(m in ("present", "late") for m in marks)
        return {
            "held": len(held),
            "cancelled": sum(s["status"] == "cancelled" for s in rows),
            "by_kind": {k: sum(s["kind"] == k for s in held) for k in SessionKind.values},
            "attendance_marks": len(marks),
            "attended": attended,
            "attendance_rate": pct(attended, len(marks)),
        }

    def urine(self, start: datetime.date, end: datetime.date) -> dict[str, Any]:
        tests = [
            t
            for t in UrineTest.objects.filter(facility_id=self.id).values(
                "id", "inmate_id", "tested_on", "confirmation_result"
            )
            if within(t["tested_on"], start, end)
        ]
        positives = [
            r
            for r in UrineResult.objects.filter(test_id__in=[t["id"] for t in tests]).values()
            if r["result"] == "positive"
        ]
        return {
            "tests": len(tests),
            "tested": len({t["inmate_id"] for t in tests}),
            "positive_tests": len({r["test_id"] for r in positives}),
            "positives_by_analyte": {
                a: sum(r["analyte"] == a for r in positives) for a in Analyte.values
            },
            "confirmed_positive": sum(t["confirmation_result"] == "positive" for t in tests),
            "confirmed_negative": sum(t["confirmation_result"] == "negative" for t in tests),
        }

    def skills(self, start: datetime.date, end: datetime.date) -> dict[str, Any]:
        rows = list(
            Trainee.objects.filter(facility_id=self.id).values(
                "state",
                "created_at",
                "completed_on",
                "competency",
                "course__kind",
                "course__start_date",
                "course__end_date",
            )
        )

        def line(kind_rows: list[dict[str, Any]]) -> dict[str, int]:
            placed = [r for r in kind_rows if r["state"] in PLACED]
            completed = [
                r for r in kind_rows
                if r["state"] == "completed" and within(r["completed_on"], start, end)
            ]  # fmt: skip
            return {
                # Held the place on a day of the period, in a course running in it.
                "enrolled": sum(
                    r["course__start_date"] < end
                    and r["course__end_date"] >= start
                    and self.local(r["created_at"]) < end
                    and (r["completed_on"] is None or r["completed_on"] >= start)
                    for r in placed
                ),
                "registered": sum(within(self.local(r["created_at"]), start, end) for r in placed),
                "completed": len(completed),
                "certified": sum(r["competency"] == "competent" for r in completed),
            }

        aid = [
            a
            for a in Aftercare.objects.filter(facility_id=self.id).values(
                "contacted_on", "aid_kind", "aid_amount", "recorded_at"
            )
            if a["aid_kind"] == "capital" and a["recorded_at"] is not None
            and within(a["contacted_on"], start, end)
        ]  # fmt: skip
        return {
            **line(rows),
            "by_kind": {
                k: line([r for r in rows if r["course__kind"] == k]) for k in CourseKind.values
            },
            "capital_aid": len(aid),
            "capital_aid_amount": int(sum(a["aid_amount"] or 0 for a in aid)),
        }

    def _follow_ups(self) -> list[dict[str, Any]]:
        return list(
            Aftercare.objects.filter(facility_id=self.id).values(
                "month", "due_on", "contacted_on", "recorded_at", "outcome"
            )
        )

    def aftercare(self, start: datetime.date, end: datetime.date) -> dict[str, Any]:
        released = [
            e
            for e in CustodyEvent.objects.filter(facility_id=self.id).values(
                "inmate_id", "kind", "occurred_on", "release_kind"
            )
            if e["kind"] == "released" and e["release_kind"] != "meninggal"
            and within(e["occurred_on"], start, end)
        ]  # fmt: skip
        plans = {
            p["inmate_id"]: p
            for p in ReleasePlan.objects.values("inmate_id", "bnnk_referral", "bapas_referral")
        }
        no_plan = {"bnnk_referral": False, "bapas_referral": False}
        referred = [plans.get(e["inmate_id"], no_plan) for e in released]
        rows = self._follow_ups()
        due = [r for r in rows if within(r["due_on"], start, end)]
        made = [
            r
            for r in rows
            if r["recorded_at"] is not None and within(r["contacted_on"], start, end)
        ]
        outcomes = {o: sum(r["outcome"] == o for r in made) for o in Outcome.values}
        return {
            "released": len(released),
            "handed_over": sum(p["bnnk_referral"] or p["bapas_referral"] for p in referred),
            "handed_to_bnnk": sum(p["bnnk_referral"] for p in referred),
            "handed_to_bapas": sum(p["bapas_referral"] for p in referred),
            "follow_ups_due": len(due),
            "follow_ups_done": sum(
                r["recorded_at"] is not None
                and r["contacted_on"] is not None
                and r["contacted_on"] < end
                for r in due
            ),
            "follow_ups_made": len(made),
            "done_by_month": {
                f"month_{m}": sum(r["month"] == m for r in made) for m in settings.AFTERCARE_MONTHS
            },
            "outcomes": outcomes,
            "not_relapsing_rate": pct(outcomes["abstinent"], sum(outcomes[o] for o in KNOWN)),
        }

    def health(self, start: datetime.date, end: datetime.date) -> dict[str, Any]:
        rows = [
            r
            for r in HealthScreening.objects.filter(facility_id=self.id).values()
            if within(r["screened_on"], start, end)
        ]

        def people(test: Any) -> int | None:
            return hide(len({r["inmate_id"] for r in rows if test(r)}))

        conditions: dict[str, Any] = {}
        for name in ("hiv", "tb_symptoms", "tb_xray", "tb_tcm", "hepatitis_b", "hepatitis_c",
                     "syphilis"):  # fmt: skip
            if name == "tb_symptoms":
                tested, positive = (
                    (lambda r: r["tb_symptoms"] is not None),
                    (lambda r: r["tb_symptoms"] is True),
                )
            else:
                tested = lambda r, n=name: r[n] != ""  # noqa: E731
                positive = lambda r, n=name: r[n] == "reactive"  # noqa: E731
            conditions[name] = {"tested": people(tested), "positive": people(positive)}
        return {
            "screened": people(lambda r: True),
            "referred": people(lambda r: r["referred_to"] != ""),
            "conditions": conditions,
        }

    def monthly(self, year: int, month: int) -> dict[str, Any]:
        start = datetime.date(year, month, 1)
        end = datetime.date(year + month // 12, month % 12 + 1, 1)
        return {
            family: getattr(self, family)(start, end)
            for family in (
                "admissions", "screening", "assessment", "programme", "sessions", "urine",
                "skills", "aftercare", "health",
            )
        }  # fmt: skip

    # --- the outcome report

    def completion(self, start: datetime.date, end: datetime.date) -> dict[str, Any]:
        ended = [
            r
            for r in self._enrolments()
            if r["started_on"] is not None and within(r["ended_on"], start, end)
        ]

        def line(rows: list[dict[str, Any]]) -> dict[str, Any]:
            done = sum(r["state"] == "completed" for r in rows)
            dropped = sum(r["state"] == "dropped_out" for r in rows)
            return {
                "completed": done,
                "dropped_out": dropped,
                "completion_rate": pct(done, done + dropped),
            }

        return {
            **line(ended),
            "by_tier": {t: line([r for r in ended if r["track__tier"] == t]) for t in Tier.values},
        }

    def tier_change(self, start: datetime.date, end: datetime.date) -> dict[str, int]:
        completers = {
            r["inmate_id"]
            for r in self._enrolments()
            if r["state"] == "completed" and within(r["ended_on"], start, end)
        }
        # Of each completer, every signed current assessment before the period's end, in any UPT.
        history: dict[int, list[tuple[datetime.date, int, str]]] = defaultdict(list)
        for a in Assessment.objects.filter(inmate_id__in=completers).values(
            "id", "inmate_id", "assessed_on", "status", "superseded", "final_tier"
        ):
            if a["status"] == "signed" and not a["superseded"] and a["assessed_on"] < end:
                history[a["inmate_id"]].append((a["assessed_on"], a["id"], a["final_tier"]))
        counts = dict.fromkeys(("improved", "same", "worse", "not_reassessed"), 0)
        for person in completers:
            seen = sorted(history[person])
            if len(seen) < 2:
                counts["not_reassessed"] += 1
                continue
            first, last = TIER_RANK[seen[0][2]], TIER_RANK[seen[-1][2]]
            counts["improved" if last < first else "worse" if last > first else "same"] += 1
        return {"completers": len(completers), **counts}

    def post_release(self, start: datetime.date, end: datetime.date) -> dict[str, Any]:
        made = [
            r
            for r in self._follow_ups()
            if r["recorded_at"] is not None and within(r["contacted_on"], start, end)
        ]
        result = {}
        for m in (3, 6, 12):
            rows = [r for r in made if r["month"] == m]
            outcomes = {o: sum(r["outcome"] == o for r in rows) for o in Outcome.values}
            result[f"month_{m}"] = {
                "done": len(rows),
                "outcomes": outcomes,
                "not_relapsing_rate": pct(outcomes["abstinent"], sum(outcomes[o] for o in KNOWN)),
            }
        return result

    def outcomes(self, start: datetime.date, end: datetime.date) -> dict[str, Any]:
        return {
            family: getattr(self, family)(start, end)
            for family in ("completion", "tier_change", "post_release", "skills")
        }


# --- comparing ------------------------------------------------------------------------------

METADATA = {"schema_version", "facility_id", "year", "month", "start", "end"}


def leaves(value: Any, path: str = "") -> Iterator[tuple[str, Any]]:
    """Every single number of a figures tree, by its path ("programme.by_track[berat/tc].new")."""
    if isinstance(value, dict):
        for key, inner in value.items():
            if not path and key in METADATA:
                continue
            yield from leaves(inner, f"{path}.{key}" if path else str(key))
    elif isinstance(value, list):
        for item in value:
            name = "/".join(str(item[k]) for k in ("tier", "kind") if k in item)
            rest = {k: v for k, v in item.items() if k not in ("tier", "kind")}
            yield from leaves(rest, f"{path}[{name}]")
    else:
        yield path, value


def compare(report: dict[str, Any], recount: dict[str, Any]) -> tuple[list[str], list[str]]:
    """Return the figures with no recount and the figures that disagree."""
    written, counted = dict(leaves(report)), dict(leaves(recount))
    missing = sorted(set(written) - set(counted))
    extra = sorted(set(counted) - set(written))
    wrong = [
        f"{path}: report {written[path]!r}, recount {counted[path]!r}"
        for path in written
        if path in counted and written[path] != counted[path]
    ]
    return missing + [f"{p}: recounted but not in the report" for p in extra], wrong


def report_figures(kind: str, facility: Facility, *period: Any) -> dict[str, Any]:
    # Imported here and only here: the recount above never sees the report code.
    from reports import indicators

    if kind == "monthly":
        return indicators.monthly_figures(facility.pk, *period)
    return indicators.outcome_figures(facility.pk, *period)


# The demo's programme history begins in September, so its completions, drop-outs and
# re-assessments fall in November: the current month and the quarter so far are recounted too.
NOW_MONTH = (2026, 11)
QUARTER_SO_FAR = (datetime.date(2026, 10, 1), datetime.date(2026, 11, 21))
CASES = [
    *((code, "monthly", period) for code in FACILITIES for period in (*MONTHS, NOW_MONTH)),
    *((code, "quarterly", period) for code in FACILITIES for period in (QUARTER, QUARTER_SO_FAR)),
]


@pytest.mark.parametrize(("code", "kind", "period"), CASES, ids=lambda v: str(v))
def test_an_independent_recount_agrees_with_every_figure(
    seeded: Any, code: str, kind: str, period: tuple[Any, Any]
) -> None:
    facility = Facility.objects.get(code=code)
    recount = Recount(facility)
    counted = recount.monthly(*period) if kind == "monthly" else recount.outcomes(*period)
    written = report_figures(kind, facility, *period)
    missing, wrong = compare(written, counted)
    assert not missing, f"figures with no recount: {missing}"
    assert not wrong, "\n".join(wrong)
    # Every figure the definitions table names is among those compared.
    section = {"indicators" if kind == "monthly" else "outcomes": written}
    families = {family for family, _key in definitions.figure_keys(section)}
    assert families == set(counted)


@pytest.mark.parametrize("code", FACILITIES)
def test_the_demo_gives_the_recount_something_to_count(seeded: Any, code: str) -> None:
    """Most figures are non-zero in the periods checked: an all-zero agreement proves little."""
    facility = Facility.objects.get(code=code)
    recount = Recount(facility)
    values: dict[str, list[Any]] = defaultdict(list)
    for month in (*MONTHS, NOW_MONTH):
        for path, value in leaves(recount.monthly(*month)):
            values[path].append(value)
    for quarter in (QUARTER, QUARTER_SO_FAR):
        for path, value in leaves(recount.outcomes(*quarter)):
            values[f"outcomes.{path}"].append(value)
    # The headline figures of each family, the ones a warden reads first.
    headline = [
        "admissions.admitted", "screening.screened", "screening.injecting", "assessment.assessed",
        "programme.new", "programme.active", "sessions.held", "sessions.attended",
        "urine.tests", "urine.positive_tests", "skills.enrolled", "skills.registered",
        "skills.completed", "skills.certified", "skills.capital_aid", "aftercare.released",
        "aftercare.follow_ups_due", "aftercare.follow_ups_made", "health.screened",
        "outcomes.post_release.month_3.done", "outcomes.post_release.month_6.done",
        "outcomes.skills.enrolled", "outcomes.skills.completed", "programme.completed",
        "programme.dropped_out", "sessions.cancelled", "outcomes.completion.completed",
        "outcomes.completion.dropped_out", "outcomes.tier_change.completers",
    ]  # fmt: skip
    zero = [path for path in headline if not any(values[path])]
    assert not zero, f"always 0 in {code}: {zero}"


def test_the_recount_does_not_import_the_report_code() -> None:
    tree = ast.parse(Path(__file__).read_text())
    imported = {
        node.module if isinstance(node, ast.ImportFrom) else alias.name
        for node in ast.walk(tree)
        if isinstance(node, ast.Import | ast.ImportFrom)
        for alias in node.names
    }
    names = {
        alias.name
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom) and node.module == "reports"
        for alias in node.names
    }
    assert not {"reports.indicators", "reports.services", "reports.exports"} & imported
    # `indicators` is imported once, in report_figures, to read the report, never to recount.
    assert names <= {"definitions", "indicators"}


def test_the_comparison_names_a_figure_without_recount_and_one_that_disagrees() -> None:
    report = {"year": 2026, "skills": {"enrolled": 3, "by_kind": {"sewing": {"enrolled": 3}}},
              "programme": {"by_track": [{"tier": "berat", "kind": "tc", "new": 1}]}}  # fmt: skip
    recount = {"skills": {"enrolled": 2, "by_kind": {}},
               "programme": {"by_track": [{"tier": "berat", "kind": "tc", "new": 1}]}}  # fmt: skip
    missing, wrong = compare(report, recount)
    assert missing == ["skills.by_kind.sewing.enrolled"]
    assert wrong == ["skills.enrolled: report 3, recount 2"]


@pytest.mark.parametrize("code", FACILITIES)
def test_in_the_demo_what_happened_in_a_period_was_typed_in_after_it(
    seeded: Any, code: str
) -> None:
    """The recount only tells event dates from recorded ones if the demo keeps them apart: in
    each facility, follow-ups made in the quarter, releases and screenings of the months checked
    were recorded in a later period, so a figure counted by the recording date would disagree."""
    facility = Facility.objects.get(code=code)
    recount = Recount(facility)
    start, end = QUARTER
    late_follow_ups = [
        r
        for r in recount._follow_ups()
        if within(r["contacted_on"], start, end) and recount.local(r["recorded_at"]) >= end
    ]
    assert late_follow_ups
    first, last = datetime.date(*MONTHS[0], 1), datetime.date(2026, 11, 1)
    releases = CustodyEvent.objects.filter(facility=facility, kind="released")
    assert any(
        within(e.occurred_on, first, last) and recount.local(e.recorded_at) >= last
        for e in releases
    )
    screenings = AssistScreening.objects.filter(facility=facility)
    assert any(
        within(s.interviewed_on, first, last) and recount.local(s.created_at) >= last
        for s in screenings
    )
