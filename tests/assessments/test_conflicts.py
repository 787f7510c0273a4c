"""Two people editing one draft assessment: the second save over an older form answers 409,
names who saved and when, shows the stored values, keeps what was typed and writes nothing."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from assessments.models import Assessment
from tests.assessments.test_assessment_views import form_data
from tests.conflicts import MISSING_VERSION, race, two_editors
from tests.factories import AssessmentFactory, InmateFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft(facility_a: Any) -> Assessment:
    inmate = InmateFactory(facility=facility_a)
    return AssessmentFactory(inmate=inmate, diagnosis_code="F15.2", comorbidity="")


def test_the_second_editor_of_a_draft_gets_a_conflict_and_keeps_what_was_typed(
    clock: Any, facility_a: Any, draft: Assessment
) -> None:
    ani, budi = two_editors(facility_a, "counselor")
    url = reverse("assessments:assessment_edit", args=[draft.pk])
    response, fresh = race(
        clock=clock, form_url=url, ani=ani, budi=budi,
        first=lambda v: form_data(version=v, comorbidity="Depresi"),
        second=lambda v: form_data(version=v, diagnosis_code="F15.20"),
    )  # fmt: skip
    page = response.content.decode()
    assert 'value="F15.20"' in page and "Depresi" in page
    draft.refresh_from_db()
    assert (draft.comorbidity, draft.diagnosis_code) == ("Depresi", "F15.2")
    merged = form_data(version=fresh, comorbidity="Depresi", diagnosis_code="F15.20")
    assert budi.post(url, merged).status_code == 302
    draft.refresh_from_db()
    assert (draft.comorbidity, draft.diagnosis_code, draft.revision) == ("Depresi", "F15.20", 3)


def test_a_draft_save_without_its_version_is_refused(facility_a: Any, draft: Assessment) -> None:
    ani, _budi = two_editors(facility_a, "counselor")
    url = reverse("assessments:assessment_edit", args=[draft.pk])
    response = ani.post(url, form_data(comorbidity="Tanpa versi"))
    assert response.status_code == 200 and MISSING_VERSION in response.content.decode()
    draft.refresh_from_db()
    assert (draft.comorbidity, draft.revision) == ("", 1)
