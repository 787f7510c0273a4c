"""The case-articles formset builds at most its limit of forms, whatever the POST claims."""

from __future__ import annotations

import time
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from inmates.models import CaseArticle, Inmate
from rehab.models import AuditEntry
from tests.factories import CaseArticleFactory, InmateFactory
from tests.inmates.test_views import _form_data

pytestmark = pytest.mark.django_db

BOMB = {"articles-TOTAL_FORMS": "1000000", "articles-INITIAL_FORMS": "1000000"}


def counts() -> tuple[int, int, int]:
    return Inmate.objects.count(), CaseArticle.objects.count(), AuditEntry.objects.count()


def test_a_million_articles_on_the_new_wbp_form_are_refused_quickly_and_nothing_is_saved(
    staff_client: Client, facility_a: Any
) -> None:
    before = counts()
    started = time.perf_counter()
    response = staff_client.post(
        reverse("inmates:create"), _form_data(facility=facility_a.pk, **BOMB)
    )
    assert time.perf_counter() - started < 5
    assert response.status_code == 200
    assert "paling banyak 20 formulir" in response.content.decode()
    assert counts() == before


def test_a_million_articles_on_the_edit_form_are_refused_quickly_and_nothing_is_changed(
    staff_client: Client, facility_a: Any
) -> None:
    inmate = InmateFactory(facility=facility_a, block="B")
    CaseArticleFactory(inmate=inmate)
    data = _form_data(**BOMB, version=str(inmate.version), block="Z")
    before = counts()
    started = time.perf_counter()
    response = staff_client.post(reverse("inmates:edit", args=[inmate.pk]), data)
    assert time.perf_counter() - started < 5
    assert "paling banyak 20 formulir" in response.content.decode()
    assert counts() == before
    inmate.refresh_from_db()
    assert inmate.block == "B"


def test_twenty_articles_are_still_accepted(staff_client: Client, facility_a: Any) -> None:
    rows = {f"articles-{i}-article": str(100 + i) for i in range(20)}
    data = _form_data(facility=facility_a.pk, **{"articles-TOTAL_FORMS": "20"}, **rows)
    response = staff_client.post(reverse("inmates:create"), data)
    assert response.status_code == 302
    assert CaseArticle.objects.count() == 20
