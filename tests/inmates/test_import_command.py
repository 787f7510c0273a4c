"""`manage.py import_sdp`: counts, every bad row, and nothing saved unless the file is clean."""

from __future__ import annotations

import datetime
from io import StringIO
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from inmates.models import ImportBatch, Inmate
from rehab.models import AuditEntry, Facility
from tests.factories import InmateFactory
from tests.inmates.sdp_files import sdp_csv, sdp_row, sdp_xlsx

pytestmark = pytest.mark.clock(
    datetime.datetime(2026, 6, 15, 9, 0, tzinfo=ZoneInfo("Asia/Jakarta"))
)


@pytest.fixture
def staff(members: dict[str, Any]) -> Any:
    return members["staff"]


def export(tmp_path: Path, content: bytes, name: str = "wbp.xlsx") -> str:
    path = tmp_path / name
    path.write_bytes(content)
    return str(path)


def run(*args: str) -> str:
    out = StringIO()
    call_command("import_sdp", *args, stdout=out)
    return out.getvalue()


def test_it_imports_a_clean_file_and_keeps_the_batch(
    tmp_path: Path, facility_a: Facility, staff: Any
) -> None:
    file = export(tmp_path, sdp_xlsx(sdp_row(1), sdp_row(2)))

    output = run("--facility", facility_a.code, "--user", staff.username, file)

    assert "Baru: 2, diperbarui: 0, tidak berubah: 0, tidak valid: 0" in output
    assert Inmate.objects.filter(facility=facility_a).count() == 2
    batch = ImportBatch.objects.get()
    assert (batch.file_name, batch.uploaded_by, batch.summary["new"]) == ("wbp.xlsx", staff, 2)
    assert batch.applied_at is not None
    assert set(AuditEntry.objects.values_list("actor", flat=True)) == {staff.pk}


def test_a_dry_run_reports_the_counts_and_saves_nothing(
    tmp_path: Path, facility_a: Facility
) -> None:
    InmateFactory(facility=facility_a, registration_number="BI.001/2026", block="A")
    file = export(tmp_path, sdp_csv(sdp_row(1, Blok="C"), sdp_row(2)), name="wbp.csv")

    output = run("--facility", facility_a.code, "--dry-run", "-v", "2", file)

    assert "Baru: 1, diperbarui: 1, tidak berubah: 0, tidak valid: 0" in output
    assert "block: 'A' -> 'C'" in output
    assert Inmate.objects.count() == 1
    assert not ImportBatch.objects.exists()


def test_it_prints_every_invalid_row_and_saves_nothing(
    tmp_path: Path, facility_a: Facility, staff: Any
) -> None:
    rows = [sdp_row(1), sdp_row(2, NIK="123", Jenis_Kelamin="X"), sdp_row(3, Tanggal_Masuk="")]
    file = export(tmp_path, sdp_xlsx(*rows))
    out = StringIO()

    with pytest.raises(CommandError, match="2 baris tidak valid"):
        call_command(
            "import_sdp", "--facility", facility_a.code, "--user", staff.username, file, stdout=out
        )

    output = out.getvalue()
    assert "Baris 3 (BI.002/2026):" in output
    assert "Kolom NIK: NIK harus 16 digit angka." in output
    assert "Kolom Jenis Kelamin:" in output
    assert "Baris 4 (BI.003/2026):" in output
    assert "Kolom Tanggal Masuk: wajib diisi." in output
    assert not Inmate.objects.exists()
    assert not ImportBatch.objects.exists()


def test_it_stops_with_the_message_of_an_unreadable_file(
    tmp_path: Path, facility_a: Facility, staff: Any
) -> None:
    file = export(tmp_path, "No. Registrasi;Nama\nB.1;Andrés\n".encode("cp1252"), "wbp.csv")

    with pytest.raises(CommandError, match="CSV UTF-8"):
        run("--facility", facility_a.code, "--user", staff.username, file)

    assert not ImportBatch.objects.exists()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--facility", "tidak-ada", "--dry-run"], "UPT dengan kode tidak-ada tidak ada"),
        (["--facility", "grogot-uji"], "--user"),
        (["--facility", "grogot-uji", "--user", "siapa"], "Pengguna siapa tidak ada"),
    ],
)
def test_it_refuses_an_unknown_facility_or_user_and_a_real_run_without_a_user(
    tmp_path: Path, facility_a: Facility, args: list[str], message: str
) -> None:
    file = export(tmp_path, sdp_xlsx(sdp_row(1)))

    with pytest.raises(CommandError, match=message):
        run(*args, file)

    assert not Inmate.objects.exists()


def test_it_says_when_the_file_cannot_be_opened(tmp_path: Path, facility_a: Facility) -> None:
    with pytest.raises(CommandError, match="tidak dapat dibaca"):
        run("--facility", facility_a.code, "--dry-run", str(tmp_path / "hilang.xlsx"))
