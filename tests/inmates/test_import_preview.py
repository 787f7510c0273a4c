"""The import preview shows its rows 50 a page, one kind of row at a time, long text cut."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from inmates import services
from tests.inmates.sdp_files import sdp_csv, sdp_row

pytestmark = pytest.mark.django_db


def batch_of(facility: Any, by: Any, *rows: dict[str, Any]) -> Any:
    return services.import_batch_create(
        facility=facility, by=by, file_name="wbp.csv", content=sdp_csv(*rows)
    )


def test_the_preview_shows_50_new_rows_a_page(
    staff_client: Client, facility_a: Any, members: dict[str, Any]
) -> None:
    batch = batch_of(facility_a, members["staff"], *(sdp_row(n) for n in range(1, 121)))
    url = reverse("inmates:import_preview", args=[batch.pk])
    first = staff_client.get(url).content.decode()
    assert 'id="count-new">120<' in first
    assert "Warga Binaan 50<" in first and "Warga Binaan 51<" not in first
    assert "Halaman 1 dari 3" in first
    last = staff_client.get(url, {"rows": "new", "page": 3}).content.decode()
    assert "Warga Binaan 101<" in last and "Warga Binaan 120<" in last
    assert "Warga Binaan 100<" not in last


def test_invalid_rows_come_first_and_their_long_text_is_cut(
    staff_client: Client, facility_a: Any, members: dict[str, Any]
) -> None:
    bad = sdp_row(2, Tanggal_Masuk="x" * 900)
    batch = batch_of(facility_a, members["staff"], sdp_row(1), bad)
    page = staff_client.get(reverse("inmates:import_preview", args=[batch.pk])).content.decode()
    assert "table-danger" in page and "Warga Binaan 2" in page
    assert "x" * 200 not in page and "…" in page
