"""Free text has a size: a long address is refused beside the field; a search box and the
live duplicate probe do not carry a pasted novel into the database."""

from __future__ import annotations

import time
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from inmates.models import Inmate
from tests.inmates.test_views import _form_data

pytestmark = pytest.mark.django_db


def test_an_address_longer_than_2000_characters_is_refused_beside_the_field(
    staff_client: Client, facility_a: Any
) -> None:
    data = _form_data(facility=facility_a.pk, address="Jl. Sudirman " * 200)
    response = staff_client.post(reverse("inmates:create"), data)
    assert 'id="error_1_id_address"' in response.content.decode()
    assert Inmate.objects.count() == 0


def test_a_search_longer_than_the_box_is_refused_quickly(
    staff_client: Client, facility_a: Any
) -> None:
    started = time.perf_counter()
    response = staff_client.get(reverse("inmates:list"), {"q": "Budi " * 20_000})
    assert time.perf_counter() - started < 5
    assert 'id="error_1_id_q"' in response.content.decode()


def test_the_duplicate_probe_reads_only_the_first_100_characters(
    staff_client: Client, facility_a: Any
) -> None:
    started = time.perf_counter()
    response = staff_client.get(
        reverse("inmates:duplicate_check"), {"full_name": "Budi " * 20_000, "nik": "1" * 10_000}
    )
    assert time.perf_counter() - started < 5
    assert response.status_code == 200
