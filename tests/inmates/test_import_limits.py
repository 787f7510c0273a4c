"""The SDP upload refuses, beside the file field and before storing anything, a file too large,
a zip bomb, a sheet of millions of blank rows, a giant cell, or a file wider than an export."""

from __future__ import annotations

import random
import time
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from inmates.models import ImportBatch, Inmate
from tests.inmates.sdp_files import (
    HEADER,
    blank_rows,
    csv_bytes,
    sdp_csv,
    sdp_row,
    sdp_xlsx,
    table,
    text_cell_row,
    xlsx_with_rows,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.MEDIA_ROOT.mkdir()
    return settings.MEDIA_ROOT


def upload(client: Client, facility: Any, name: str, content: bytes) -> tuple[Any, float]:
    started = time.perf_counter()
    response = client.post(
        reverse("inmates:import"),
        {"facility": facility.pk, "file": SimpleUploadedFile(name, content)},
    )
    return response, time.perf_counter() - started


def assert_refused_beside_the_field(response: Any, message: str, media: Path) -> None:
    assert response.status_code == 200
    page = response.content.decode()
    assert 'id="error_1_id_file"' in page
    assert message in page
    assert ImportBatch.objects.count() == 0 and Inmate.objects.count() == 0
    assert list(media.rglob("*")) == []


def test_a_40_mb_upload_is_refused_beside_the_field_and_nothing_is_stored(
    staff_client: Client, facility_a: Any, media: Path
) -> None:
    response, elapsed = upload(staff_client, facility_a, "wbp.csv", b"x" * (40 * 1024 * 1024))
    assert elapsed < 5
    assert_refused_beside_the_field(response, "Berkas terlalu besar: paling besar 10 MB.", media)


def test_a_file_is_dropped_as_it_streams_past_the_limit_when_the_request_looked_small_enough(
    staff_client: Client, facility_a: Any, media: Path, settings: Any
) -> None:
    settings.IMPORT_MAX_BYTES, settings.REHAB_MAX_UPLOAD_MB = 100_000, 0
    response, _elapsed = upload(staff_client, facility_a, "wbp.csv", b"x" * 150_000)
    assert_refused_beside_the_field(response, "Berkas terlalu besar", media)


def test_an_xlsx_zip_bomb_is_refused_quickly_and_nothing_is_stored(
    staff_client: Client, facility_a: Any, media: Path
) -> None:
    bomb = xlsx_with_rows(sdp_xlsx(sdp_row(1)), [text_cell_row(3, "x" * 60_000_000)])
    assert len(bomb) < 1024 * 1024
    response, elapsed = upload(staff_client, facility_a, "wbp.xlsx", bomb)
    assert elapsed < 5
    assert_refused_beside_the_field(response, "terlalu besar setelah dibuka", media)


def test_two_million_blank_rows_in_a_sheet_without_its_size_are_refused_quickly(
    staff_client: Client, facility_a: Any, media: Path
) -> None:
    content = xlsx_with_rows(sdp_xlsx(sdp_row(1)), blank_rows(3, 2_000_000))
    response, elapsed = upload(staff_client, facility_a, "wbp.xlsx", content)
    assert elapsed < 5
    assert_refused_beside_the_field(response, "lebih dari 50.000 baris", media)


def test_two_million_blank_rows_after_the_data_are_ignored_when_the_sheet_gives_its_size(
    staff_client: Client, facility_a: Any, media: Path
) -> None:
    content = xlsx_with_rows(
        sdp_xlsx(sdp_row(1), sdp_row(2)), blank_rows(4, 2_000_000), keep_dimension=True
    )
    response, elapsed = upload(staff_client, facility_a, "wbp.xlsx", content)
    assert elapsed < 5
    batch = ImportBatch.objects.get()
    assert response["Location"] == reverse("inmates:import_preview", args=[batch.pk])
    preview = staff_client.get(response["Location"]).content.decode()
    assert 'id="count-new">2<' in preview
    assert Inmate.objects.count() == 0 and list(media.rglob("*")) == []


def test_a_giant_cell_is_refused_beside_the_field(
    staff_client: Client, facility_a: Any, media: Path
) -> None:
    # Random letters, so that the zip does not shrink it into a bomb and the cell check is met.
    text = "".join(random.Random(1).choices("abcdefghijklmnop ", k=5_000_000))
    content = xlsx_with_rows(sdp_xlsx(sdp_row(1)), [text_cell_row(3, text)])
    response, elapsed = upload(staff_client, facility_a, "wbp.xlsx", content)
    assert elapsed < 5
    message = "Baris 3: isi sel terlalu panjang: paling banyak 1.000 karakter."
    assert_refused_beside_the_field(response, message, media)


def test_a_giant_csv_line_is_refused_beside_the_field(
    staff_client: Client, facility_a: Any, media: Path
) -> None:
    content = sdp_csv(sdp_row(1, Nama="Budi " * 1_000_000))
    response, _elapsed = upload(staff_client, facility_a, "wbp.csv", content)
    assert_refused_beside_the_field(response, "sel terlalu panjang", media)


def test_a_file_wider_than_an_export_is_refused_beside_the_field(
    staff_client: Client, facility_a: Any, media: Path
) -> None:
    header = [*HEADER, *(f"Kolom {n}" for n in range(60))]
    rows = table([sdp_row(1, **{f"Kolom {n}": "x" for n in range(60)})], header)
    response, _elapsed = upload(staff_client, facility_a, "wbp.csv", csv_bytes(rows))
    assert_refused_beside_the_field(response, "lebih dari 60 kolom", media)


def test_a_file_that_starts_like_a_zip_but_is_not_one_is_refused_beside_the_field(
    staff_client: Client, facility_a: Any, media: Path
) -> None:
    response, _elapsed = upload(staff_client, facility_a, "wbp.xlsx", b"PK\x03\x04" + b"\0" * 500)
    assert_refused_beside_the_field(response, "bukan lembar kerja", media)


def test_a_clean_file_is_stored_once_for_its_preview(
    staff_client: Client, facility_a: Any, media: Path
) -> None:
    content = sdp_xlsx(sdp_row(1))
    response, _elapsed = upload(staff_client, facility_a, "wbp.xlsx", content)
    assert response.status_code == 302
    assert bytes(ImportBatch.objects.get().content) == content
