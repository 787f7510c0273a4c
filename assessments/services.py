"""Writes of screening and assessment records, each with its history entry."""

from __future__ import annotations

import datetime
from typing import Any

from django.db import transaction

from assessments import scoring
from assessments.models import (
    AssistScreening,
    HealthScreening,
    Injection,
    SubstanceAnswer,
    TestResult,
    UrineResult,
    UrineTest,
)
from inmates.models import Inmate
from rehab import audit


@transaction.atomic
def screening_record(
    *,
    inmate: Inmate,
    by: Any,
    interviewed_on: datetime.date,
    reference_period: str,
    answers: dict[str, dict[str, str]],
    injection: str,
    injection_pattern: str = "",
    other_substance: str = "",
) -> AssistScreening:
    """Store an ASSIST interview: raw answers, the score and band per substance, the main one."""
    rows = []
    for substance in scoring.SUBSTANCES:
        given = answers.get(substance, {})
        if substance == "tobacco":
            given = {q: v for q, v in given.items() if q != "q5"}
        row = SubstanceAnswer(substance=substance, **given)
        row.rescore()  # raises ValueError on an impossible set of answers
        rows.append(row)
    scores = {row.substance: row.score for row in rows}
    main = scoring.main_substance(scores)
    screening = AssistScreening.objects.create(
        facility_id=inmate.facility_id,
        inmate=inmate,
        interviewed_on=interviewed_on,
        interviewer=by,
        reference_period=reference_period,
        other_substance=other_substance,
        injection=injection,
        injection_pattern=injection_pattern if injection == Injection.PAST_3_MONTHS else "",
        main_substance=main or "",
        main_score=scores[main] if main else 0,
        main_level=scoring.risk_level(main, scores[main]) if main else "low",
    )
    for row in rows:
        row.screening = screening
    SubstanceAnswer.objects.bulk_create(rows)
    audit.record(
        facility=inmate.facility_id,
        actor=by,
        action="assessments.screening.recorded",
        target=inmate,
        summary=f"ASSIST {interviewed_on:%d-%m-%Y}",
    )
    return screening


@transaction.atomic
def urine_test_record(
    *,
    inmate: Inmate,
    by: Any,
    tested_on: datetime.date,
    panel: str,
    results: dict[str, str],
    kit_lot: str = "",
    confirmation_lab: str = "",
    confirmation_result: str = "",
) -> UrineTest:
    """Store a urine test with one row per analyte. The history names the test, not results."""
    test = UrineTest.objects.create(
        facility_id=inmate.facility_id,
        inmate=inmate,
        tested_on=tested_on,
        panel=panel,
        kit_lot=kit_lot,
        collector=by,
        confirmation_lab=confirmation_lab,
        confirmation_result=confirmation_result,
    )
    UrineResult.objects.bulk_create(
        UrineResult(test=test, analyte=analyte, result=result)
        for analyte, result in results.items()
        if result
    )
    audit.record(
        facility=inmate.facility_id,
        actor=by,
        action="assessments.urine_test.recorded",
        target=inmate,
        summary=f"{tested_on:%d-%m-%Y}",
    )
    return test


def urine_is_positive(test: UrineTest) -> bool:
    return any(r.result == TestResult.POSITIVE for r in test.results.all())


@transaction.atomic
def health_screening_record(*, inmate: Inmate, by: Any, data: dict[str, Any]) -> HealthScreening:
    """Store a health screening. Its history entry never holds a result."""
    screening = HealthScreening(facility_id=inmate.facility_id, inmate=inmate, examiner=by, **data)
    screening.full_clean()
    screening.save()
    audit.record(
        facility=inmate.facility_id,
        actor=by,
        action="assessments.health_screening.recorded",
        target=inmate,
        summary=f"{screening.screened_on:%d-%m-%Y}",
    )
    return screening
