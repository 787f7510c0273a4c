"""Re-assessment due dates of WBP: the rule (scoring.review_points) applied to what the records
hold — the tier in force, the start of the programme, positive urine tests — and the moves a
counsellor made. Nothing here is typed by hand, so no due date is ever blank.

Reads only, in a fixed number of queries whatever the number of WBP.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import models

from assessments import scoring
from assessments.models import (
    Assessment,
    ReviewKind,
    ReviewMove,
    TestResult,
    UrineTest,
)
from inmates.models import Inmate

# How far past the rule's date a counsellor may move a re-assessment.
MOVE_MAX_DAYS = 60


@dataclass
class Review:
    """One re-assessment of a WBP: the rule's date, the date that counts and whether it is done."""

    inmate: Inmate
    point: scoring.ReviewPoint
    due_on: datetime.date  # the rule's date, or the newest move's
    move: ReviewMove | None
    met: bool

    @property
    def key(self) -> str:
        return self.point.key

    @property
    def kind(self) -> str:
        return self.point.kind

    @property
    def computed_on(self) -> datetime.date:
        return self.point.due_on

    @property
    def kind_label(self) -> str:
        return str(ReviewKind(self.point.kind).label)

    def is_overdue(self, day: datetime.date) -> bool:
        return not self.met and self.due_on < day


def _programmes(
    inmates: models.QuerySet[Inmate],
) -> dict[int, tuple[str, datetime.date | None, int]]:
    """The programme each WBP is in or went through last: (key, start, days) per WBP id."""
    # programs sits after assessments in the dependency chain: read its models, never write,
    # and import them here, not at module level (programs.models imports this app's models).
    from programs.models import Enrolment, EnrolmentState

    states = (EnrolmentState.PLACED, EnrolmentState.ACTIVE, EnrolmentState.COMPLETED)
    rows = (
        Enrolment.objects.filter(inmate__in=inmates, state__in=states)
        .order_by("id")
        .values_list("inmate_id", "id", "started_on", "cohort__start_date", "track__duration_days")
    )
    # The newest enrolment of a WBP wins (later rows overwrite earlier ones).
    return {
        inmate_id: (f"e{pk}", started_on or cohort_start, days)
        for inmate_id, pk, started_on, cohort_start, days in rows
    }


def _positive_tests(inmates: models.QuerySet[Inmate]) -> dict[int, list[tuple[int, datetime.date]]]:
    """(test id, day) of every urine test of the WBP with a positive result as it stands now
    (a correction counts once it is confirmed)."""
    rows = (
        UrineTest.objects.filter(inmate__in=inmates, results__result=TestResult.POSITIVE)
        .values_list("inmate_id", "id", "tested_on")
        .distinct()
    )
    found: dict[int, list[tuple[int, datetime.date]]] = {}
    for inmate_id, pk, day in rows:
        found.setdefault(inmate_id, []).append((pk, day))
    return found


def _newest_moves(inmates: models.QuerySet[Inmate]) -> dict[tuple[int, str], ReviewMove]:
    moves = ReviewMove.objects.filter(inmate__in=inmates).order_by("created_at", "id")
    return {(m.inmate_id, m.key): m for m in moves}


def reviews_of(inmates: models.QuerySet[Inmate]) -> dict[int, list[Review]]:
    """Every re-assessment of each WBP that has a signed assessment, earliest first (four
    queries). The programme counts from its start (the enrolment's first day, else its cohort's
    start); a WBP assessed but not yet placed counts from the first signed assessment, so the
    dates are there from the first signature on."""
    assessments: dict[int, list[Assessment]] = {}
    for assessment in (
        Assessment.objects.current()
        .filter(inmate__in=inmates)
        .select_related("inmate", "inmate__facility")
        .order_by("assessed_on", "id")
    ):
        assessments.setdefault(assessment.inmate_id, []).append(assessment)
    if not assessments:
        return {}
    programmes = _programmes(inmates)
    positives = _positive_tests(inmates)
    moves = _newest_moves(inmates)
    found: dict[int, list[Review]] = {}
    for inmate_id, signed in assessments.items():
        first, latest = signed[0], signed[-1]
        key, start, days = programmes.get(inmate_id, (f"a{first.pk}", None, 0))
        points = scoring.review_points(
            start=start or first.assessed_on,
            programme_days=days or scoring.PROGRAMME_DAYS[latest.final_tier],
            programme=key,
            positive_tests=positives.get(inmate_id, []),
        )
        found[inmate_id] = _reviews(latest, points, moves)
    return found


def _reviews(
    latest: Assessment,
    points: Iterable[scoring.ReviewPoint],
    moves: dict[tuple[int, str], ReviewMove],
) -> list[Review]:
    reviews = []
    for point in points:
        move = moves.get((latest.inmate_id, point.key))
        reviews.append(
            Review(
                inmate=latest.inmate,
                point=point,
                due_on=move.moved_to if move else point.due_on,
                move=move,
                met=scoring.is_met(point, last_assessed_on=latest.assessed_on),
            )
        )
    return sorted(reviews, key=lambda r: (r.due_on, r.key))


def reviews_of_inmate(inmate: Inmate) -> list[Review]:
    """Every re-assessment of one WBP, earliest first; empty before the first signature."""
    return reviews_of(Inmate.objects.filter(pk=inmate.pk)).get(inmate.pk, [])


def due_by(facility_ids: list[int], day: datetime.date, *, limit: int = 50) -> list[Review]:
    """Open re-assessments of WBP in custody in the facilities, due on or before the day (the
    overdue ones first), at most `limit`."""
    inmates = Inmate.objects.in_custody().filter(facility_id__in=facility_ids)
    due = [
        review
        for reviews in reviews_of(inmates).values()
        for review in reviews
        if not review.met and review.due_on <= day
    ]
    due.sort(key=lambda r: (r.due_on, r.inmate.full_name, r.key))
    return due[:limit]


def find(reviews: Iterable[Review], key: str) -> Review | None:
    return next((r for r in reviews if r.key == key), None)


def move_bounds(review: Review, today: datetime.date) -> tuple[datetime.date, datetime.date]:
    """The earliest and latest day a re-assessment may be moved to."""
    return today, max(today, review.computed_on) + datetime.timedelta(MOVE_MAX_DAYS)
