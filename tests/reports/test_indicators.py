"""Report indicators against hand-counted data: November 2026 in facility A (WITA, UTC+8).

One small world for every family: a few WBP of facility A with records in November, and records
in October, December and facility B that must not be counted. The comment next to each expected
number names the rows that make it up.
"""

from __future__ import annotations

import datetime
import json
from decimal import Decimal
from functools import partial
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine

from assessments.models import Assessment
from inmates.models import CustodyEvent
from programs.models import (
    Aftercare,
    Attendance,
    Course,
    CourseKind,
    Enrolment,
    ReleasePlan,
    Session,
    Track,
    Trainee,
)
from reports import indicators
from tests.factories import (
    AssessmentFactory,
    HealthScreeningFactory,
    InmateFactory,
    ScreeningFactory,
    UrineTestFactory,
)

WITA = ZoneInfo("Asia/Makassar")
OCT, NOV, DEC = datetime.date(2026, 10, 1), datetime.date(2026, 11, 1), datetime.date(2026, 12, 1)


def d(month: int, day: int) -> datetime.date:
    return datetime.date(2026, month, day)


def wita(month: int, day: int, hour: int = 10, minute: int = 0) -> datetime.datetime:
    """A moment in facility A's local time (December 1st may be month 12)."""
    return datetime.datetime(2026, month, day, hour, minute, tzinfo=WITA)


pytestmark = [
    pytest.mark.django_db,
    pytest.mark.clock(datetime.datetime(2026, 12, 5, 2, 0, tzinfo=datetime.UTC)),
]


class World:
    """Builds the hand-counted records of one facility, plus the noise around them."""

    def __init__(self, facility: Any, user: Any) -> None:
        self.facility = facility
        self.user = user
        self.tracks = {
            (tier, kind): Track.objects.create(
                name=f"{tier} {kind}", tier=tier, kind=kind, duration_days=15
            )
            for tier, kind in [("ringan", "programme"), ("sedang", "programme"), ("berat", "tc")]
        }
        self.courses = {
            kind: Course.objects.create(
                facility=facility, kind=kind, name=kind, provider_kind="blk", hours=40,
                capacity=20, start_date=d(10, 1), end_date=d(12, 31), created_by=user,
            )
            for kind in ("sewing", "culinary")
        }  # fmt: skip

    def inmate(self, **kwargs: Any) -> Any:
        return InmateFactory(facility=self.facility, **kwargs)

    def assessment(self, inmate: Any, on: datetime.date, **kwargs: Any) -> Assessment:
        kwargs.setdefault("status", "signed")
        return AssessmentFactory(inmate=inmate, assessed_on=on, assessor=self.user, **kwargs)

    def enrolment(self, track: tuple[str, str], state: str, **kwargs: Any) -> Enrolment:
        inmate = kwargs.pop("inmate", None) or self.inmate()
        assessment = kwargs.pop("assessment", None) or AssessmentFactory(
            inmate=inmate, assessor=self.user
        )  # a draft: never counted
        return Enrolment.objects.create(
            facility=self.facility, inmate=inmate, track=self.tracks[track],
            assessment=assessment, state=state, **kwargs,
        )  # fmt: skip

    def session(self, starts_at: datetime.datetime, marks: list[str], **kwargs: Any) -> Session:
        kwargs.setdefault("kind", "group")
        kwargs.setdefault("status", "held")
        session = Session.objects.create(
            facility=self.facility, starts_at=starts_at,
            ends_at=starts_at + datetime.timedelta(hours=1), created_by=self.user, **kwargs,
        )  # fmt: skip
        for status in marks:
            Attendance.objects.create(
                session=session, enrolment=self.enrolment(("ringan", "programme"), "placed"),
                status=status, recorded_by=self.user,
            )  # fmt: skip
        return session

    def urine(self, inmate: Any, on: datetime.date, results: dict[str, str], **kwargs: Any) -> Any:
        test = UrineTestFactory(inmate=inmate, tested_on=on, collector=self.user, **kwargs)
        for analyte, result in results.items():
            test.results.create(analyte=analyte, result=result)
        return test

    def trainee(self, kind: str, created_at: datetime.datetime, state: str, **kwargs: Any) -> Any:
        with time_machine.travel(created_at, tick=False):
            return Trainee.objects.create(
                facility=self.facility, course=self.courses[kind], inmate=self.inmate(),
                state=state, created_by=self.user, **kwargs,
            )  # fmt: skip

    def release(self, inmate: Any, on: Any, kind: str = "bebas_murni", **plan: Any) -> Any:
        if plan:
            ReleasePlan.objects.create(
                facility=self.facility, inmate=inmate, updated_by=self.user, **plan
            )
        return CustodyEvent.objects.create(
            inmate=inmate, kind="released", occurred_on=on, release_kind=kind, reason="Bebas"
        )

    def follow_up(self, inmate: Any, month: int, due: datetime.date, **kwargs: Any) -> Any:
        # A follow-up done is typed in after the visit: the test names both days.
        assert "contacted_on" in kwargs or "recorded_at" not in kwargs, "name both days"
        if "recorded_at" in kwargs:
            assert kwargs["recorded_at"].astimezone(WITA).date() != kwargs["contacted_on"]
        return Aftercare.objects.create(
            facility=self.facility, inmate=inmate, month=month, due_on=due, **kwargs
        )


def build(facility: Any, other: Any, user: Any) -> dict[str, Any]:
    """The November world of facility A; returns its named WBP."""
    w = World(facility, user)
    noise = World(other, user)  # facility B: everything in November, nothing counted
    p = {i: w.inmate() for i in range(1, 8)}
    b = noise.inmate(admission_date=d(11, 10))

    # admissions
    w.inmate(sex="L", admission_date=d(11, 1))
    w.inmate(sex="P", admission_date=d(11, 30))
    w.inmate(sex="L", admission_date=d(11, 15))
    w.inmate(sex="L", admission_date=d(10, 31))
    w.inmate(sex="P", admission_date=d(12, 1))

    # ASSIST screening
    def screen(inmate: Any, on: datetime.date, substance: str, level: str, q8: str) -> None:
        ScreeningFactory(
            inmate=inmate, interviewed_on=on, interviewer=user, main_substance=substance,
            main_level=level, injection=q8,
        )  # fmt: skip

    screen(p[1], d(11, 3), "amphetamines", "high", "past_3_months")
    screen(p[1], d(11, 20), "amphetamines", "moderate", "no")  # p1's latest
    screen(p[2], d(11, 30), "cannabis", "low", "not_past_3_months")
    screen(p[3], d(11, 1), "", "low", "no")
    screen(p[4], d(11, 10), "opioids", "high", "past_3_months")
    screen(p[4], d(11, 10), "alcohol", "moderate", "past_3_months")  # same day, later id
    screen(p[6], d(11, 15), "amphetamines", "high", "no")
    screen(p[5], d(10, 31), "amphetamines", "high", "no")
    screen(p[5], d(12, 1), "amphetamines", "high", "no")
    screen(b, d(11, 10), "amphetamines", "high", "past_3_months")

    # assessments
    w.assessment(p[1], d(11, 5), final_tier="sedang", diagnosis_code="F15.2")
    w.assessment(p[1], d(11, 25), final_tier="berat", diagnosis_code="F15.21")  # p1's latest
    wrong = w.assessment(p[2], d(11, 10), final_tier="ringan", diagnosis_code="F12.1")
    wrong.superseded = True
    wrong.save(update_fields=["superseded"])
    w.assessment(
        p[2], d(11, 10), final_tier="sedang", diagnosis_code="F19.2", amends=wrong, version=2
    )
    w.assessment(p[3], d(11, 12), status="draft", final_tier="berat", diagnosis_code="F15.2")
    w.assessment(p[4], d(11, 30), final_tier="ringan", diagnosis_code="")
    w.assessment(p[5], d(10, 31), final_tier="berat", diagnosis_code="F15.2")
    w.assessment(p[5], d(12, 1), final_tier="berat", diagnosis_code="F15.2")
    w.assessment(
        p[6], d(11, 15), final_tier="berat", diagnosis_system="dsm5", diagnosis_code="F11.20",
        dsm5_severity="severe",
    )  # fmt: skip
    w.assessment(p[7], d(11, 16), final_tier="sedang", diagnosis_code="X99")
    noise.assessment(b, d(11, 10), final_tier="berat", diagnosis_code="F15.2")

    # programme enrolments (see test_programme for the tally)
    rp, sp, bt = ("ringan", "programme"), ("sedang", "programme"), ("berat", "tc")
    c2, c12, c13, c14 = (w.inmate() for _ in range(4))
    w.enrolment(rp, "active", started_on=d(11, 2))  # e1
    w.enrolment(
        rp, "completed", inmate=c2, started_on=d(10, 20), ended_on=d(11, 4),
        assessment=w.assessment(c2, d(7, 1), final_tier="berat"),
    )  # fmt: skip  # e2
    w.assessment(c2, d(8, 1), final_tier="ringan")  # c2 improved
    w.enrolment(
        sp, "dropped_out", started_on=d(9, 1), ended_on=d(11, 30), drop_reason="violation"
    )  # e3
    e4 = w.enrolment(sp, "changed", started_on=d(10, 1), ended_on=d(11, 10))
    w.enrolment(bt, "active", started_on=d(11, 12), replaces=e4)  # e5
    w.enrolment(
        bt, "dropped_out", started_on=d(11, 20), ended_on=d(11, 25), drop_reason="released"
    )  # e6
    w.enrolment(sp, "dropped_out", ended_on=d(11, 15), drop_reason="released")  # e7, waitlisted
    w.enrolment(rp, "completed", started_on=d(10, 1), ended_on=d(10, 31))  # e8
    w.enrolment(rp, "active", started_on=d(12, 1))  # e9
    w.enrolment(rp, "placed")  # e10
    w.enrolment(sp, "active", started_on=d(8, 1))  # e11
    w.enrolment(
        bt, "completed", inmate=c12, started_on=d(10, 10), ended_on=d(11, 30),
        assessment=w.assessment(c12, d(7, 2), final_tier="berat"),
    )  # fmt: skip  # e12, c12 not reassessed
    w.enrolment(
        sp, "completed", inmate=c13, started_on=d(10, 5), ended_on=d(11, 20),
        assessment=w.assessment(c13, d(7, 10), final_tier="sedang"),
    )  # fmt: skip  # e13
    w.assessment(c13, d(8, 10), final_tier="sedang")  # c13 the same
    w.assessment(c13, d(8, 20), final_tier="ringan", superseded=True)  # not current
    w.assessment(c13, d(12, 2), final_tier="ringan")  # after the period
    w.enrolment(
        rp, "completed", inmate=c14, started_on=d(10, 6), ended_on=d(11, 21),
        assessment=w.assessment(c14, d(7, 5), final_tier="ringan"),
    )  # fmt: skip  # e14
    w.assessment(c14, d(8, 5), final_tier="sedang")  # c14 worse
    noise.enrolment(rp, "active", started_on=d(11, 2))

    # sessions: 23:30 WITA on 30 November is November; 00:30 WITA on 1 December (23:30 WIB on
    # 30 November) is December; 00:30 WITA on 1 November (23:30 WIB on 31 October) is November.
    w.session(wita(11, 30, 23, 30), ["present", "late", "absent"])
    w.session(wita(11, 1, 0, 30), ["present", "excused"])
    w.session(wita(11, 10), ["present"], kind="individual")
    w.session(wita(11, 11), [], status="cancelled", cancel_reason="Hujan")
    w.session(wita(11, 12), ["absent"], status="planned")
    w.session(wita(10, 31, 23, 30), ["present"])
    w.session(wita(12, 1, 0, 30), ["present"])
    noise.session(wita(11, 10), ["present"])

    # urine tests
    w.urine(p[1], d(11, 2), {"MET": "positive", "AMP": "positive", "THC": "negative"},
            confirmation_result="positive")  # fmt: skip
    w.urine(p[1], d(11, 20), {"MET": "negative"})
    w.urine(p[2], d(11, 30), {"THC": "positive"}, confirmation_result="negative")
    w.urine(p[3], d(11, 15), {"BZO": "invalid"})
    w.urine(p[4], d(10, 31), {"MET": "positive"})
    w.urine(p[4], d(12, 1), {"MET": "positive"})
    noise.urine(b, d(11, 10), {"MET": "positive"})

    # skills trainees: registered at local times around the month's edges
    w.trainee("sewing", wita(11, 5), "enrolled")
    w.trainee("sewing", wita(10, 20), "completed", completed_on=d(11, 10), competency="competent")
    w.trainee("sewing", wita(11, 1, 0, 30), "completed", completed_on=d(11, 28),
              competency="not_yet")  # fmt: skip
    w.trainee("culinary", wita(11, 12), "waitlisted")
    w.trainee("culinary", wita(11, 13), "left")
    w.trainee("culinary", wita(12, 1, 0, 30), "enrolled")
    w.trainee("culinary", wita(9, 1), "completed", completed_on=d(10, 31), competency="competent")
    noise.trainee("sewing", wita(11, 5), "completed", completed_on=d(11, 10),
                  competency="competent")  # fmt: skip

    # releases and hand-overs
    w.release(p[1], d(11, 5), bnnk_referral=True)
    w.release(p[2], d(11, 30), "pb", bnnk_referral=True, bapas_referral=True)
    w.release(p[3], d(11, 15), "pb")
    w.release(p[4], d(11, 20), "meninggal", bnnk_referral=True)
    w.release(p[5], d(10, 31), bnnk_referral=True)
    w.release(p[6], d(12, 1), bapas_referral=True)
    CustodyEvent.objects.create(
        inmate=p[7], kind="transferred", occurred_on=d(11, 8), reason="Pindah", to_facility=other
    )
    noise.release(b, d(11, 10), bnnk_referral=True)

    # post-release follow-ups: made (contacted_on) on one day, typed in (recorded_at) later
    w.follow_up(p[1], 1, d(11, 5), contacted_on=d(11, 5), recorded_at=wita(11, 9),
                outcome="abstinent", aid_kind="capital", aid_amount=Decimal(2_500_000))  # fmt: skip
    w.follow_up(p[2], 3, d(10, 15), contacted_on=d(11, 2), recorded_at=wita(11, 4),
                outcome="relapse")  # fmt: skip
    w.follow_up(p[3], 6, d(11, 20))
    # made on 30 November, typed in on 2 December: a November follow-up
    w.follow_up(p[4], 12, d(11, 25), contacted_on=d(11, 30), recorded_at=wita(12, 2),
                outcome="abstinent")  # fmt: skip
    # made on 1 December, typed in the next day: not November's
    w.follow_up(p[5], 3, d(11, 10), contacted_on=d(12, 1), recorded_at=wita(12, 2, 9),
                outcome="rearrested", aid_kind="capital",
                aid_amount=Decimal(1_000_000))  # fmt: skip
    w.follow_up(p[6], 6, d(11, 11), contacted_on=d(11, 11), recorded_at=wita(11, 13),
                outcome="unreachable", aid_kind="tools")  # fmt: skip
    # made on 30 October, typed in on 1 November: October's, not November's
    w.follow_up(p[7], 3, d(9, 1), contacted_on=d(10, 30), recorded_at=wita(11, 1, 0, 30),
                outcome="rearrested")  # fmt: skip
    noise.follow_up(b, 3, d(11, 10), contacted_on=d(11, 8), recorded_at=wita(11, 10),
                    outcome="abstinent", aid_kind="capital",
                    aid_amount=Decimal(5_000_000))  # fmt: skip

    # health screenings: p1-p5 HIV reactive and referred, p1 also HCV reactive; p6 TB symptoms;
    # p1 screened twice
    def health(inmate: Any, on: datetime.date, **kwargs: Any) -> None:
        HealthScreeningFactory(inmate=inmate, screened_on=on, examiner=user, **kwargs)

    for i in range(1, 6):
        health(p[i], d(11, 3), tb_symptoms=False,
               hepatitis_c="reactive" if i == 1 else "non_reactive")  # fmt: skip
    health(p[6], d(11, 4), hiv="non_reactive", tb_symptoms=True, referred_to="")
    health(p[1], d(11, 20), tb_symptoms=True)
    health(p[7], d(10, 31))
    health(p[7], d(12, 1))
    health(b, d(11, 10))
    return {"p": p}


@pytest.fixture
def world(facility_a: Any, facility_b: Any, members: dict[str, Any]) -> dict[str, Any]:
    return build(facility_a, facility_b, members["counselor"])


# --- pure helpers ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("count", "shown"), [(0, 0), (1, None), (2, None), (4, None), (5, 5), (6, 6), (120, 120)]
)
def test_small_counts_are_suppressed_and_zero_and_five_are_not(count: int, shown: Any) -> None:
    assert indicators.suppress(count) == shown


@pytest.mark.parametrize(
    ("part", "whole", "expected"),
    [(0, 0, None), (3, 0, None), (0, 4, 0.0), (2, 3, 66.7), (1, 3, 33.3), (1, 8, 12.5),
     (1, 16, 6.3), (4, 4, 100.0)],
)  # fmt: skip
def test_a_rate_is_a_percentage_rounded_half_up(part: int, whole: int, expected: Any) -> None:
    assert indicators.rate(part, whole) == expected


def test_a_month_runs_from_its_first_day_to_the_first_of_the_next() -> None:
    assert indicators.month_period(2026, 12) == (d(12, 1), datetime.date(2027, 1, 1))
    assert indicators.month_period(2026, 2) == (d(2, 1), d(3, 1))


def test_an_empty_period_is_refused(facility_a: Any) -> None:
    with pytest.raises(ValueError):
        indicators.admissions(facility_a.pk, NOV, NOV)


# --- families ----------------------------------------------------------------------------------


def test_admissions_count_november_by_sex(world: Any, facility_a: Any) -> None:
    assert indicators.admissions(facility_a.pk, NOV, DEC) == {
        "admitted": 3,  # 1 and 30 November, and 15 November; not 31 October nor 1 December
        "by_sex": {"L": 2, "P": 1},
    }


def test_screening_counts_each_wbp_once_with_their_latest_screening(
    world: Any, facility_a: Any
) -> None:
    result = indicators.screening(facility_a.pk, NOV, DEC)
    assert result["screened"] == 5  # p1 (twice), p2, p3, p4 (twice the same day), p6
    assert result["by_band"] == {"low": 2, "moderate": 2, "high": 1}  # p2 p3 / p1 p4 / p6
    assert result["by_substance"]["amphetamines"] == {"low": 0, "moderate": 1, "high": 1}
    assert result["by_substance"]["cannabis"] == {"low": 1, "moderate": 0, "high": 0}
    assert result["by_substance"]["alcohol"] == {"low": 0, "moderate": 1, "high": 0}
    assert result["by_substance"]["none"] == {"low": 1, "moderate": 0, "high": 0}
    assert result["by_substance"]["opioids"] == {"low": 0, "moderate": 0, "high": 0}
    assert "tobacco" not in result["by_substance"]
    assert result["injecting"] == 2
    assert result["injecting_by_recency"] == {"past_3_months": 1, "not_past_3_months": 1}


def test_assessment_counts_current_signed_versions_by_tier_and_diagnosis_group(
    world: Any, facility_a: Any
) -> None:
    result = indicators.assessment(facility_a.pk, NOV, DEC)
    assert result["assessed"] == 5  # p1 (latest), p2 (correction), p4, p6, p7; p3 is a draft
    assert result["by_tier"] == {"ringan": 1, "sedang": 2, "berat": 2}
    assert result["by_diagnosis"] == {
        "F10": 0, "F11": 1, "F12": 0, "F13": 0, "F14": 0, "F15": 1, "F16": 0, "F17": 0,
        "F18": 0, "F19": 1, "none": 1, "other": 1,
    }  # fmt: skip


def test_programme_counts_new_active_ended_and_drop_reasons_by_track(
    world: Any, facility_a: Any
) -> None:
    result = indicators.programme(facility_a.pk, NOV, DEC)
    tracks = {(r.pop("tier"), r.pop("kind")): r for r in result.pop("by_track")}
    assert len(tracks) == 6
    zero = dict.fromkeys(
        ["new", "continuing", "active", "completed", "dropped_out", "changed", "left_before_start"],
        0,
    )
    assert tracks["ringan", "programme"] == {
        **zero, "new": 1, "active": 3, "continuing": 2, "completed": 2,  # e1 / e1 e2 e14 / e2 e14
    }  # fmt: skip
    assert tracks["sedang", "programme"] == {
        **zero, "active": 4, "continuing": 4, "completed": 1, "dropped_out": 1, "changed": 1,
        "left_before_start": 1,  # active e3 e4 e11 e13; completed e13; e3; e4; e7
    }  # fmt: skip
    assert tracks["berat", "tc"] == {
        **zero, "new": 2, "active": 3, "continuing": 1, "completed": 1, "dropped_out": 1,
    }  # fmt: skip  # new e5 e6; active e5 e6 e12; completed e12; dropped e6
    for key in [("berat", "programme"), ("ringan", "tc"), ("sedang", "tc")]:
        assert tracks[key] == zero
    assert result == {
        "new": 3, "continuing": 7, "active": 10, "completed": 4, "dropped_out": 2, "changed": 1,
        "left_before_start": 1,
        "dropped_out_by_reason": {
            "released": 1, "transferred": 0, "violation": 1, "illness": 0, "died": 0,
            "withdrew": 0,
        },
    }  # fmt: skip


def test_sessions_belong_to_the_month_of_their_local_start(world: Any, facility_a: Any) -> None:
    result = indicators.sessions(facility_a.pk, NOV, DEC)
    assert result["held"] == 3  # 1 Nov 00:30, 10 Nov, 30 Nov 23:30 WITA
    assert result["cancelled"] == 1
    assert result["by_kind"]["group"] == 2
    assert result["by_kind"]["individual"] == 1
    assert sum(result["by_kind"].values()) == 3
    assert result["attendance_marks"] == 6  # 3 + 2 + 1; the planned session's mark not counted
    assert result["attended"] == 4  # present, late; present; present
    assert result["attendance_rate"] == 66.7


def test_a_session_at_2330_wita_on_the_last_day_is_in_that_month(
    facility_a: Any, members: dict[str, Any]
) -> None:
    w = World(facility_a, members["counselor"])
    w.session(wita(11, 30, 23, 30), ["present"])
    assert indicators.sessions(facility_a.pk, NOV, DEC)["held"] == 1
    assert indicators.sessions(facility_a.pk, DEC, datetime.date(2027, 1, 1))["held"] == 0


def test_urine_counts_tests_positives_per_analyte_and_confirmations(
    world: Any, facility_a: Any
) -> None:
    assert indicators.urine(facility_a.pk, NOV, DEC) == {
        "tests": 4,
        "tested": 3,  # p1 twice, p2, p3
        "positive_tests": 2,
        "positives_by_analyte": {
            **dict.fromkeys(["COC", "MOP", "BZO", "MDMA", "SOMA"], 0),
            "AMP": 1,
            "MET": 1,
            "THC": 1,
        },
        "confirmed_positive": 1,
        "confirmed_negative": 1,
    }


def test_skills_count_trainees_by_course_kind_and_capital_aid(world: Any, facility_a: Any) -> None:
    result = indicators.skills(facility_a.pk, NOV, DEC)
    assert result.pop("by_kind") == {
        **{
            kind: {"enrolled": 0, "registered": 0, "completed": 0, "certified": 0}
            for kind in CourseKind.values
        },
        "sewing": {"enrolled": 3, "registered": 2, "completed": 2, "certified": 1},
        "culinary": {"enrolled": 1, "registered": 1, "completed": 0, "certified": 0},
    }
    assert result == {
        # In courses running in November: sewing's three (one registered in October); culinary's
        # "left"; not the waitlist, not the one registered on 1 December, nor the one who
        # completed on 31 October.
        "enrolled": 4,
        "registered": 3,  # sewing 5 Nov and 1 Nov 00:30 WITA; culinary "left"; not the waitlist
        "completed": 2,
        "certified": 1,
        "capital_aid": 1,  # p1's; p5's was made on 1 December
        "capital_aid_amount": 2_500_000,
    }


def test_aftercare_counts_releases_hand_overs_and_follow_ups(world: Any, facility_a: Any) -> None:
    assert indicators.aftercare(facility_a.pk, NOV, DEC) == {
        "released": 3,  # p1 p2 p3; p4 died in custody
        "handed_over": 2,
        "handed_to_bnnk": 2,
        "handed_to_bapas": 1,
        "follow_ups_due": 5,  # p1 p3 p4 p5 p6
        "follow_ups_done": 3,  # of those due: p1 p4 (typed in in December) p6
        "follow_ups_made": 4,  # p1 p2 p4 p6 whenever due; not p7 (made in October)
        "done_by_month": {"month_1": 1, "month_3": 1, "month_6": 1, "month_12": 1},
        "outcomes": {
            "abstinent": 2,
            "relapse": 1,
            "rearrested": 0,
            "unreachable": 1,
            "died": 0,
            "redetained": 0,
        },
        "not_relapsing_rate": 66.7,  # 2 / (2 + 1)
    }


def test_follow_ups_count_in_the_month_they_were_made_either_way(
    world: Any, facility_a: Any
) -> None:
    october = indicators.aftercare(facility_a.pk, OCT, NOV)
    assert october["follow_ups_made"] == 1  # p7: made 30 October, typed in 1 November
    assert october["outcomes"]["rearrested"] == 1
    december = indicators.aftercare(facility_a.pk, DEC, datetime.date(2027, 1, 1))
    assert december["follow_ups_made"] == 1  # p5: made 1 December, typed in 2 December
    assert december["outcomes"]["rearrested"] == 1
    q4 = indicators.outcome_figures(facility_a.pk, OCT, datetime.date(2027, 1, 1))
    # p2 p5 p7 at 3 months; p4, made 30 November and typed in 2 December, counts once
    assert q4["post_release"]["month_3"]["done"] == 3
    assert q4["post_release"]["month_12"]["done"] == 1
    q3 = indicators.outcome_figures(facility_a.pk, datetime.date(2026, 7, 1), OCT)
    assert all(q3["post_release"][m]["done"] == 0 for m in ("month_3", "month_6", "month_12"))


def test_a_follow_up_counts_in_the_month_it_was_made_not_typed_in(
    facility_a: Any, members: dict[str, Any]
) -> None:
    inmate = InmateFactory(facility=facility_a)
    Aftercare.objects.create(
        facility=facility_a, inmate=inmate, month=3, due_on=d(10, 28), outcome="abstinent",
        contacted_on=d(10, 30), recorded_at=wita(11, 3), aid_kind="capital",
        aid_amount=Decimal(1_000_000),
    )  # fmt: skip
    assert indicators.aftercare(facility_a.pk, OCT, NOV)["follow_ups_made"] == 1
    assert indicators.aftercare(facility_a.pk, NOV, DEC)["follow_ups_made"] == 0
    assert indicators.skills(facility_a.pk, OCT, NOV)["capital_aid"] == 1


def test_follow_ups_due_and_done_speak_of_the_same_due_dates(
    facility_a: Any, members: dict[str, Any]
) -> None:
    w = World(facility_a, members["staff"])
    # due in November: made early (in October), made on time, made too late, not made
    w.follow_up(w.inmate(), 3, d(11, 3), contacted_on=d(10, 29), recorded_at=wita(11, 2))
    w.follow_up(w.inmate(), 6, d(11, 12), contacted_on=d(11, 14), recorded_at=wita(11, 16))
    w.follow_up(w.inmate(), 1, d(11, 27), contacted_on=d(12, 2), recorded_at=wita(12, 3))
    w.follow_up(w.inmate(), 12, d(11, 29))
    # due in October, made in November: November's work, not November's cohort
    w.follow_up(w.inmate(), 3, d(10, 20), contacted_on=d(11, 5), recorded_at=wita(11, 6))

    november = indicators.aftercare(facility_a.pk, NOV, DEC)
    assert november["follow_ups_due"] == 4
    assert november["follow_ups_done"] == 2  # of the 4 due: the early one and the one on time
    assert november["follow_ups_made"] == 2  # made in November: 14 and 5 November
    october = indicators.aftercare(facility_a.pk, OCT, NOV)
    assert (october["follow_ups_due"], october["follow_ups_done"]) == (1, 0)
    assert october["follow_ups_made"] == 1


def test_health_counts_distinct_wbp_with_small_cells_suppressed(
    world: Any, facility_a: Any
) -> None:
    none_done = {"tested": 0, "positive": 0}
    assert indicators.health(facility_a.pk, NOV, DEC) == {
        "screened": 6,
        "referred": 5,
        "conditions": {
            "hiv": {"tested": 6, "positive": 5},
            "tb_symptoms": {"tested": 6, "positive": None},  # 2
            "tb_xray": none_done,
            "tb_tcm": none_done,
            "hepatitis_b": none_done,
            "hepatitis_c": {"tested": 6, "positive": None},  # 1
            "syphilis": none_done,
        },
    }


def test_health_shows_an_empty_month_as_zeros(facility_a: Any) -> None:
    result = indicators.health(facility_a.pk, NOV, DEC)
    assert result["screened"] == 0
    assert result["conditions"]["hiv"] == {"tested": 0, "positive": 0}


# --- assembled reports -------------------------------------------------------------------------


def test_monthly_figures_assemble_every_family_as_json(world: Any, facility_a: Any) -> None:
    figures = indicators.monthly_figures(facility_a.pk, 2026, 11)
    assert json.loads(json.dumps(figures)) == figures
    assert {k: figures[k] for k in ("schema_version", "facility_id", "year", "month")} == {
        "schema_version": 3, "facility_id": facility_a.pk, "year": 2026, "month": 11,
    }  # fmt: skip
    assert (figures["start"], figures["end"]) == ("2026-11-01", "2026-12-01")
    for family in indicators.FAMILIES:
        assert figures[family] == getattr(indicators, family)(facility_a.pk, NOV, DEC), family


def test_trend_gives_headlines_for_each_month_oldest_first(world: Any, facility_a: Any) -> None:
    assert indicators.trend(facility_a.pk, 2026, 11, months=3) == [
        {"year": 2026, "month": 9, "screened": 0, "assessed": 0, "active": 2,
         "sessions_held": 0, "attendance_rate": None, "released": 0},
        {"year": 2026, "month": 10, "screened": 1, "assessed": 1, "active": 8,
         "sessions_held": 1, "attendance_rate": 100.0, "released": 1},
        {"year": 2026, "month": 11, "screened": 5, "assessed": 5, "active": 10,
         "sessions_held": 3, "attendance_rate": 66.7, "released": 3},
    ]  # fmt: skip


def test_trend_agrees_with_the_monthly_families(world: Any, facility_a: Any) -> None:
    rows = indicators.trend(facility_a.pk, 2027, 1, months=12)
    assert [(r["year"], r["month"]) for r in rows][:2] == [(2026, 2), (2026, 3)]
    for row in rows:
        start, end = indicators.month_period(row["year"], row["month"])
        sessions = indicators.sessions(facility_a.pk, start, end)
        assert row["screened"] == indicators.screening(facility_a.pk, start, end)["screened"]
        assert row["assessed"] == indicators.assessment(facility_a.pk, start, end)["assessed"]
        assert row["active"] == indicators.programme(facility_a.pk, start, end)["active"]
        assert row["sessions_held"] == sessions["held"]
        assert row["attendance_rate"] == sessions["attendance_rate"]
        assert row["released"] == indicators.aftercare(facility_a.pk, start, end)["released"]


def test_outcome_figures_for_november(world: Any, facility_a: Any) -> None:
    figures = indicators.outcome_figures(facility_a.pk, NOV, DEC)
    assert json.loads(json.dumps(figures)) == figures
    assert figures["completion"] == {
        "completed": 4,
        "dropped_out": 2,  # e7 never started; e4 changed tier
        "completion_rate": 66.7,
        "by_tier": {
            "ringan": {"completed": 2, "dropped_out": 0, "completion_rate": 100.0},
            "sedang": {"completed": 1, "dropped_out": 1, "completion_rate": 50.0},
            "berat": {"completed": 1, "dropped_out": 1, "completion_rate": 50.0},
        },
    }
    assert figures["tier_change"] == {
        "completers": 4, "improved": 1, "same": 1, "worse": 1, "not_reassessed": 1,
    }  # fmt: skip
    zero = dict.fromkeys(
        ["abstinent", "relapse", "rearrested", "unreachable", "died", "redetained"], 0
    )
    assert figures["post_release"] == {
        "month_3": {
            "done": 1, "outcomes": {**zero, "relapse": 1}, "not_relapsing_rate": 0.0,
        },  # p2; p5 made in December, p7 in October
        "month_6": {"done": 1, "outcomes": {**zero, "unreachable": 1}, "not_relapsing_rate": None},
        "month_12": {
            "done": 1, "outcomes": {**zero, "abstinent": 1}, "not_relapsing_rate": 100.0,
        },
    }  # fmt: skip
    assert figures["skills"] == indicators.skills(facility_a.pk, NOV, DEC)


def test_outcomes_count_the_day_a_follow_up_was_made_not_the_day_it_was_typed_in(
    facility_a: Any, facility_b: Any, members: dict[str, Any]
) -> None:
    w = World(facility_a, members["staff"])
    q3, q4 = datetime.date(2026, 7, 1), datetime.date(2026, 10, 1)
    # made in Q3, typed in after the quarter ended: a Q3 outcome
    w.follow_up(w.inmate(), 3, d(9, 10), contacted_on=d(9, 20), recorded_at=wita(10, 3),
                outcome="abstinent")  # fmt: skip
    w.follow_up(w.inmate(), 6, d(9, 25), contacted_on=d(9, 30), recorded_at=wita(10, 1, 0, 30),
                outcome="relapse")  # fmt: skip
    # made in Q2, typed in during Q3: not a Q3 outcome
    w.follow_up(w.inmate(), 3, d(6, 20), contacted_on=d(6, 28), recorded_at=wita(7, 2),
                outcome="rearrested")  # fmt: skip
    # made in Q3, not yet recorded as done (a draft without a recording time): not counted
    w.follow_up(w.inmate(), 12, d(8, 1), contacted_on=d(8, 3), outcome="abstinent")

    quarter = indicators.outcome_figures(facility_a.pk, q3, q4)["post_release"]
    assert quarter["month_3"]["done"] == 1
    assert quarter["month_3"]["outcomes"]["abstinent"] == 1
    assert quarter["month_3"]["outcomes"]["rearrested"] == 0
    assert quarter["month_6"]["outcomes"]["relapse"] == 1
    assert quarter["month_12"]["done"] == 0
    later = indicators.outcome_figures(facility_a.pk, q4, datetime.date(2027, 1, 1))
    assert all(later["post_release"][m]["done"] == 0 for m in ("month_3", "month_6", "month_12"))
    earlier = indicators.outcome_figures(facility_a.pk, datetime.date(2026, 4, 1), q3)
    assert earlier["post_release"]["month_3"]["outcomes"]["rearrested"] == 1


def test_an_empty_facility_gives_zeros_and_no_rates(facility_a: Any) -> None:
    figures = indicators.monthly_figures(facility_a.pk, 2026, 11)
    assert figures["sessions"]["attendance_rate"] is None
    assert figures["aftercare"]["not_relapsing_rate"] is None
    assert figures["programme"]["active"] == 0
    outcome = indicators.outcome_figures(facility_a.pk, NOV, DEC)
    assert outcome["completion"]["completion_rate"] is None


# --- query counts ------------------------------------------------------------------------------

QUERIES = {
    "admissions": 1,
    "screening": 1,
    "assessment": 1,
    "programme": 1,
    "sessions": 2,
    "urine": 1,
    "skills": 3,
    "aftercare": 2,
    "health": 1,
}


def calls(facility_id: int) -> dict[str, tuple[Any, int]]:
    """Every public figure with its pinned query count."""
    found: dict[str, tuple[Any, int]] = {
        name: (partial(getattr(indicators, name), facility_id, NOV, DEC), n)
        for name, n in QUERIES.items()
    }
    found["monthly_figures"] = (partial(indicators.monthly_figures, facility_id, 2026, 11), 12)
    found["trend_6"] = (partial(indicators.trend, facility_id, 2026, 11, months=6), 6)
    found["trend_12"] = (partial(indicators.trend, facility_id, 2026, 11, months=12), 6)
    found["outcome_figures"] = (partial(indicators.outcome_figures, facility_id, NOV, DEC), 6)
    return found


@pytest.mark.parametrize("name", sorted(calls(0)))
def test_the_query_count_does_not_grow_with_the_data(
    name: str,
    facility_a: Any,
    facility_b: Any,
    members: dict[str, Any],
    django_assert_num_queries: Any,
) -> None:
    run, expected = calls(facility_a.pk)[name]
    with django_assert_num_queries(expected):
        run()
    build(facility_a, facility_b, members["counselor"])
    with django_assert_num_queries(expected):
        small = run()
    for _ in range(3):
        build(facility_a, facility_b, members["counselor"])
    with django_assert_num_queries(expected):
        large = run()
    assert large != small  # the same queries, over more rows
