"""Each assessment formset (ASI domains, substances, plan) builds at most its limit of forms."""

from __future__ import annotations

import time
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from assessments.models import Assessment, DomainRating, PlanItem, SubstanceUse
from tests.assessments import test_assessment_views as views
from tests.assessments.test_assessment_views import NOW, form_data
from tests.factories import AssessmentFactory

# The personas and the screening of the assessment view tests, shared as fixtures.
counselor, inmate, screening = views.counselor, views.inmate, views.screening

pytestmark = [pytest.mark.django_db, pytest.mark.clock(NOW)]

LIMITS = {"domains": 7, "uses": 20, "plan": 50}


def counts() -> tuple[int, ...]:
    return tuple(
        model.objects.count() for model in (Assessment, DomainRating, SubstanceUse, PlanItem)
    )


def bomb(prefix: str) -> dict[str, str]:
    return {f"{prefix}-TOTAL_FORMS": "1000000", f"{prefix}-INITIAL_FORMS": "1000000"}


@pytest.mark.parametrize("prefix", LIMITS)
def test_a_million_rows_in_a_new_assessment_are_refused_quickly_and_nothing_is_saved(
    counselor: Client, inmate: Any, screening: Any, prefix: str
) -> None:
    before = counts()
    started = time.perf_counter()
    response = counselor.post(
        reverse("assessments:assessment_create", args=[inmate.pk]),
        form_data(screening, **bomb(prefix)),
    )
    assert time.perf_counter() - started < 5
    assert response.status_code == 200
    assert f"paling banyak {LIMITS[prefix]} formulir" in response.content.decode()
    assert counts() == before


@pytest.mark.parametrize("prefix", LIMITS)
def test_a_million_rows_in_a_draft_being_edited_are_refused_quickly_and_nothing_changes(
    counselor: Client, inmate: Any, screening: Any, prefix: str
) -> None:
    draft = AssessmentFactory(inmate=inmate, screening=screening)
    data = form_data(screening, revision=str(draft.revision), **bomb(prefix))
    before = counts()
    started = time.perf_counter()
    response = counselor.post(reverse("assessments:assessment_edit", args=[draft.pk]), data)
    assert time.perf_counter() - started < 5
    assert f"paling banyak {LIMITS[prefix]} formulir" in response.content.decode()
    assert counts() == before
    revision = draft.revision
    draft.refresh_from_db()
    assert draft.revision == revision


def test_the_largest_allowed_assessment_is_still_saved(
    counselor: Client, inmate: Any, screening: Any
) -> None:
    data = form_data(screening, **{"uses-TOTAL_FORMS": "20", "plan-TOTAL_FORMS": "50"})
    for i in range(20):
        data.update({f"uses-{i}-substance": "cannabis", f"uses-{i}-years_used": "1"})
    for i in range(50):
        data.update({f"plan-{i}-intervention": "group", f"plan-{i}-details": "x" * 255})
    response = counselor.post(reverse("assessments:assessment_create", args=[inmate.pk]), data)
    assert response.status_code == 302
    assert (SubstanceUse.objects.count(), PlanItem.objects.count()) == (20, 50)
