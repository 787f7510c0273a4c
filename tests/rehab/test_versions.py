"""The compare-and-set under every edit form: one statement checks and bumps the version."""

from __future__ import annotations

from typing import Any

import pytest

from assessments.models import Assessment
from programs.models import Cohort
from rehab import versions
from tests.factories import CohortFactory

pytestmark = pytest.mark.django_db


def test_of_two_saves_from_the_same_version_only_the_first_passes(facility_a: Any) -> None:
    cohort = CohortFactory(facility=facility_a)
    first, second = Cohort.objects.get(pk=cohort.pk), Cohort.objects.get(pk=cohort.pk)
    versions.claim(first, 1)
    with pytest.raises(versions.EditConflict):
        versions.claim(second, 1)
    cohort.refresh_from_db()
    assert (first.version, cohort.version) == (2, 2)


def test_a_new_record_is_at_version_0_and_a_model_may_name_its_column() -> None:
    assert versions.version_of(Cohort()) == 0
    assert (versions.column(Cohort()), versions.column(Assessment())) == ("version", "revision")
