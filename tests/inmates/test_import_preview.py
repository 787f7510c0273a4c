"""The import preview shows its rows 50 a page, one kind of row at a time, long text cut; its
confirmation writes what it showed or nothing."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from inmates import services
from inmates.models import ImportBatch, Inmate
from tests.factories import InmateFactory
from tests.inmates.sdp_files import confirmed_plan, sdp_csv, sdp_row

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


def test_a_record_changed_after_the_preview_stops_the_import_with_a_fresh_preview(
    staff_client: Client, facility_a: Any, members: dict[str, Any]
) -> None:
    """Two people at the same batch: the preview one confirms must be what is written."""
    batch = batch_of(facility_a, members["staff"], sdp_row(1), sdp_row(2))
    url = reverse("inmates:import_preview", args=[batch.pk])
    shown = confirmed_plan(staff_client.get(url).content.decode())
    # Meanwhile someone enters WBP 2 by hand: the file's row 2 is no longer new.
    InmateFactory(facility=facility_a, registration_number="BI.002/2026")

    response = staff_client.post(url, shown)

    assert response.status_code == 409
    page = response.content.decode()
    assert "Data WBP berubah sejak pratinjau ini ditampilkan" in page
    assert "Tidak ada data yang disimpan" in page
    assert Inmate.objects.filter(facility=facility_a).count() == 1  # only the one typed in
    assert ImportBatch.objects.get(pk=batch.pk).applied_at is None
    # The fresh preview's confirmation goes through.
    response = staff_client.post(url, confirmed_plan(page))
    assert response.status_code == 302
    assert Inmate.objects.filter(facility=facility_a).count() == 2
