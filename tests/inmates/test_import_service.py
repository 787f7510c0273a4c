"""SDP import services: a preview sorting rows into new, updated, unchanged or invalid; an apply
that saves all or nothing."""

from __future__ import annotations

import datetime
import hashlib
from typing import Any, cast
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from inmates.models import CaseArticle, CustodyEvent, ImportBatch, Inmate
from inmates.services import (
    ImportAlreadyApplied,
    ImportNotClean,
    ImportPreview,
    import_apply,
    import_batch_create,
    import_preview,
)
from rehab.models import AuditEntry, Facility
from tests.factories import CaseArticleFactory, InmateFactory
from tests.inmates.sdp_files import HEADER, csv_bytes, sdp_row, sdp_xlsx, table

pytestmark = pytest.mark.clock(
    datetime.datetime(2026, 6, 15, 9, 0, tzinfo=ZoneInfo("Asia/Jakarta"))
)


@pytest.fixture
def staff(members: dict[str, Any]) -> Any:
    return members["staff"]


def stored(facility: Facility, n: int, **fields: Any) -> Inmate:
    """A record holding exactly what `sdp_row(n)` says, with its article 112 (1)."""
    values: dict[str, Any] = {
        "facility": facility,
        "registration_number": f"BI.{n:03d}/2026",
        "full_name": f"Warga Binaan {n}",
        "birth_date": datetime.date(1990, 5, 17),
        "admission_date": datetime.date(2026, 3, 2),
        "sentence_months": 66,
        "sentence_days": None,
        "expiry_date": datetime.date(2031, 9, 1),
        "release_date": None,
        "block": "A",
        **fields,
    }
    inmate = cast(Inmate, InmateFactory(**values))
    CaseArticleFactory(inmate=inmate, article="112", paragraph="1", letter="")
    return inmate


def preview_of(facility: Facility, content: bytes) -> ImportPreview:
    return import_preview(facility=facility, file_name="wbp.xlsx", content=content)


def apply(facility: Facility, by: Any, content: bytes) -> tuple[ImportPreview, ImportBatch]:
    batch = import_batch_create(facility=facility, by=by, file_name="wbp.xlsx", content=content)
    return import_apply(batch=batch, by=by), batch


def lines(outcomes: list[Any]) -> list[int]:
    return [o.line for o in outcomes]


# --- preview ----------------------------------------------------------------------------------


def test_preview_sorts_rows_into_new_updated_unchanged_and_invalid(facility_a: Facility) -> None:
    stored(facility_a, 1)
    stored(facility_a, 2)
    content = sdp_xlsx(sdp_row(1), sdp_row(2, Blok="C"), sdp_row(3), sdp_row(4, NIK="123"))

    preview = preview_of(facility_a, content)

    assert (lines(preview.new), lines(preview.updated)) == ([4], [3])
    assert (lines(preview.unchanged), lines(preview.invalid)) == ([2], [5])
    assert preview.invalid[0].errors == ["Kolom NIK: NIK harus 16 digit angka."]
    assert preview.invalid[0].full_name == "Warga Binaan 4"
    assert not preview.is_clean
    assert Inmate.objects.count() == 2


def test_an_update_lists_the_old_and_new_value_of_each_changed_field(
    facility_a: Facility,
) -> None:
    stored(facility_a, 1)
    row = sdp_row(1, Blok="C", Lama_Pidana="6 tahun", Pasal="114 (1) jo 132 (1)")

    (outcome,) = preview_of(facility_a, sdp_xlsx(row)).updated

    assert outcome.changes == {
        "block": ["A", "C"],
        "sentence_months": [66, 72],
        "articles": ["Pasal 112 ayat (1)", "Pasal 114 ayat (1) jo. Pasal 132 ayat (1)"],
    }


def test_blank_cells_in_the_file_do_not_erase_stored_values(facility_a: Facility) -> None:
    stored(facility_a, 1, nik="6472011705900001", birth_place="Tanah Grogot")
    header = [*HEADER, "Tempat Lahir"]

    preview = preview_of(facility_a, csv_bytes(table([sdp_row(1, NIK="")], header)))

    assert lines(preview.unchanged) == [2]


def test_a_registration_number_known_only_in_another_facility_is_new_here(
    facility_a: Facility, facility_b: Facility
) -> None:
    stored(facility_b, 1)

    preview = preview_of(facility_a, sdp_xlsx(sdp_row(1)))

    assert lines(preview.new) == [2]
    assert preview.is_clean


DATE_HEADER = [*HEADER, "Tanggal Ditahan", "Tanggal Putusan", "Tanggal Bebas"]


@pytest.mark.parametrize(
    ("cells", "message"),
    [
        (
            {"Tanggal Lahir": "01-01-2027"},
            "Kolom Tanggal Lahir: Tanggal lahir tidak boleh di masa depan.",
        ),
        (
            {"Tanggal Lahir": "03-03-2014"},
            "Kolom Tanggal Lahir: Umur pada tanggal masuk kurang dari 12 tahun.",
        ),
        (
            {"Tanggal Masuk": "01-07-2026"},
            "Kolom Tanggal Masuk: Tanggal masuk tidak boleh di masa depan.",
        ),
        (
            {"Tanggal Ekspirasi": "01-03-2026"},
            "Kolom Tanggal Ekspirasi: Tanggal ekspirasi tidak boleh sebelum tanggal masuk.",
        ),
        (
            {"Tanggal Bebas": "01-01-2026"},
            "Kolom Tanggal Bebas: Tanggal bebas tidak boleh sebelum tanggal masuk.",
        ),
        (
            {"Tanggal Ditahan": "01-02-2026", "Tanggal Putusan": "15-01-2026"},
            "Kolom Tanggal Putusan: Tanggal putusan tidak boleh sebelum tanggal ditahan.",
        ),
        (
            {"Tanggal Ditahan": "01-04-2026"},
            "Kolom Tanggal Ditahan: Tanggal ditahan tidak boleh sesudah tanggal masuk.",
        ),
    ],
)
def test_it_refuses_dates_that_cannot_all_be_true(
    facility_a: Facility, cells: dict[str, str], message: str
) -> None:
    content = csv_bytes(table([sdp_row(1, **cells)], DATE_HEADER))

    (outcome,) = preview_of(facility_a, content).invalid

    assert outcome.errors == [message]


def test_date_checks_weigh_the_file_against_stored_values_it_does_not_repeat(
    facility_a: Facility,
) -> None:
    stored(facility_a, 1, release_date=datetime.date(2030, 1, 1))

    (outcome,) = preview_of(
        facility_a, sdp_xlsx(sdp_row(1, Tanggal_Ekspirasi="01-06-2029"))
    ).invalid

    assert outcome.errors == [
        "Kolom Tanggal Bebas: Tanggal bebas tidak boleh sesudah tanggal ekspirasi."
    ]


def test_a_row_reports_reading_errors_and_date_errors_together(facility_a: Facility) -> None:
    row = sdp_row(1, NIK="123", Tanggal_Lahir="01-01-2027", Tanggal_Masuk="31-02-2026")

    (outcome,) = preview_of(facility_a, sdp_xlsx(row)).invalid

    assert [e.split(":")[0] for e in outcome.errors] == [
        "Kolom Tanggal Masuk",
        "Kolom NIK",
        "Kolom Tanggal Lahir",
    ]


def test_it_refuses_a_value_longer_than_the_field_naming_the_column(facility_a: Facility) -> None:
    (outcome,) = preview_of(facility_a, sdp_xlsx(sdp_row(1, Blok="B" * 31))).invalid

    (error,) = outcome.errors
    assert error.startswith("Kolom Blok: ")


def test_a_file_error_leaves_a_preview_with_only_that_message(facility_a: Facility) -> None:
    preview = preview_of(facility_a, b"%PDF-1.7 not a sheet")

    assert preview.file_errors and "bukan lembar kerja" in preview.file_errors[0]
    assert not preview.is_clean
    assert preview.new == preview.invalid == []


def test_preview_costs_the_same_queries_for_3_rows_as_for_50(
    facility_a: Facility, django_assert_num_queries: Any
) -> None:
    for n in range(50):
        if n % 2:
            stored(facility_a, n)
    small = sdp_xlsx(*(sdp_row(n, Blok="C") for n in range(3)))
    large = sdp_xlsx(*(sdp_row(n, Blok="C") for n in range(50)))

    with CaptureQueriesContext(connection) as for_small:
        assert len(preview_of(facility_a, small).updated) == 1
    with django_assert_num_queries(len(for_small)):
        assert len(preview_of(facility_a, large).updated) == 25
    # One query for the stored records, one for their articles.
    assert len(for_small) == 2


# --- apply ------------------------------------------------------------------------------------


def test_apply_creates_new_records_with_articles_admission_and_history(
    facility_a: Facility, staff: Any
) -> None:
    row = sdp_row(1, Pasal="Pasal 114 ayat (1) jo. Pasal 132 ayat (1)", NIK="6472011705900001")

    preview, batch = apply(facility_a, staff, sdp_xlsx(row))

    inmate = Inmate.objects.get(facility=facility_a, registration_number="BI.001/2026")
    assert (inmate.full_name, inmate.nik, inmate.sentence_months) == (
        "Warga Binaan 1",
        "6472011705900001",
        66,
    )
    assert [str(a) for a in inmate.articles.all()] == [
        "Pasal 114 ayat (1)",
        "jo. Pasal 132 ayat (1)",
    ]
    event = CustodyEvent.objects.get(inmate=inmate)
    assert (event.kind, event.occurred_on, event.recorded_by) == (
        "admitted",
        datetime.date(2026, 3, 2),
        staff,
    )
    entry = AuditEntry.objects.get(target_id=inmate.pk)
    assert (entry.action, entry.actor) == ("inmates.inmate.created.import", staff)
    batch.refresh_from_db()
    assert batch.applied_at is not None
    assert batch.summary == {"new": 1, "updated": 0, "unchanged": 0, "invalid": 0}
    assert lines(preview.new) == [2]


def test_apply_updates_changed_records_and_keeps_what_changed(
    facility_a: Facility, staff: Any
) -> None:
    inmate = stored(facility_a, 1)
    stored(facility_a, 2)

    apply(facility_a, staff, sdp_xlsx(sdp_row(1, Blok="C"), sdp_row(2)))

    inmate.refresh_from_db()
    assert (inmate.block, inmate.version) == ("C", 2)
    (entry,) = AuditEntry.objects.all()
    assert entry.action == "inmates.inmate.updated.import"
    assert (entry.target_id, entry.changes) == (inmate.pk, {"block": ["A", "C"]})


def test_apply_leaves_articles_alone_when_only_other_fields_changed(
    facility_a: Facility, staff: Any
) -> None:
    inmate = stored(facility_a, 1)
    article_ids = list(inmate.articles.values_list("pk", flat=True))

    apply(facility_a, staff, sdp_xlsx(sdp_row(1, Blok="C")))

    assert list(inmate.articles.values_list("pk", flat=True)) == article_ids


def test_reimporting_the_same_file_changes_nothing(facility_a: Facility, staff: Any) -> None:
    stored(facility_a, 1)
    content = sdp_xlsx(sdp_row(1, Blok="C"), sdp_row(2), sdp_row(3, Pasal="127 (1) huruf a"))
    apply(facility_a, staff, content)
    audit_entries, events = AuditEntry.objects.count(), CustodyEvent.objects.count()
    versions = dict(Inmate.objects.values_list("pk", "version"))
    articles = list(CaseArticle.objects.values_list("pk", flat=True))

    preview, batch = apply(facility_a, staff, content)

    assert lines(preview.unchanged) == [2, 3, 4]
    assert preview.new == preview.updated == []
    assert AuditEntry.objects.count() == audit_entries
    assert CustodyEvent.objects.count() == events
    assert dict(Inmate.objects.values_list("pk", "version")) == versions
    assert list(CaseArticle.objects.values_list("pk", flat=True)) == articles
    assert batch.summary == {"new": 0, "updated": 0, "unchanged": 3, "invalid": 0}


def test_nothing_is_saved_when_any_row_is_invalid(facility_a: Facility, staff: Any) -> None:
    inmate = stored(facility_a, 1)
    content = sdp_xlsx(sdp_row(1, Blok="C"), sdp_row(2), sdp_row(3, Jenis_Kelamin="X"))
    batch = import_batch_create(facility=facility_a, by=staff, file_name="w.xlsx", content=content)

    with pytest.raises(ImportNotClean) as caught:
        import_apply(batch=batch, by=staff)

    assert caught.value.preview is not None
    assert lines(caught.value.preview.invalid) == [4]
    assert Inmate.objects.count() == 1
    inmate.refresh_from_db()
    assert inmate.block == "A"
    assert not AuditEntry.objects.exists()
    batch.refresh_from_db()
    assert (batch.applied_at, batch.summary) == (None, {})


def test_apply_checks_the_file_again_against_the_records_as_they_are_now(
    facility_a: Facility, staff: Any
) -> None:
    content = sdp_xlsx(sdp_row(1))
    batch = import_batch_create(facility=facility_a, by=staff, file_name="w.xlsx", content=content)
    assert preview_of(facility_a, content).is_clean
    # Someone registers the WBP by hand, with a release date after the file's expiry date.
    stored(facility_a, 1, release_date=datetime.date(2032, 1, 1))

    with pytest.raises(ImportNotClean):
        import_apply(batch=batch, by=staff)

    assert Inmate.objects.count() == 1


def test_a_batch_cannot_be_applied_twice(facility_a: Facility, staff: Any) -> None:
    _preview, batch = apply(facility_a, staff, sdp_xlsx(sdp_row(1)))

    with pytest.raises(ImportAlreadyApplied) as caught:
        import_apply(batch=ImportBatch.objects.get(pk=batch.pk), by=staff)

    assert caught.value.message == "Berkas impor ini sudah diterapkan sebelumnya."
    assert isinstance(caught.value, ImportNotClean)
    assert Inmate.objects.count() == 1


def test_a_batch_with_a_file_error_is_refused(facility_a: Facility, staff: Any) -> None:
    batch = import_batch_create(facility=facility_a, by=staff, file_name="w.csv", content=b"")

    with pytest.raises(ImportNotClean) as caught:
        import_apply(batch=batch, by=staff)

    assert caught.value.preview is not None
    assert caught.value.preview.file_errors == ["Berkas kosong."]


def test_import_batch_create_stores_the_file_and_its_sha256(
    facility_a: Facility, staff: Any
) -> None:
    content = sdp_xlsx(sdp_row(1))

    batch = import_batch_create(facility=facility_a, by=staff, file_name="w.xlsx", content=content)

    batch.refresh_from_db()
    assert bytes(batch.content) == content
    assert batch.sha256 == hashlib.sha256(content).hexdigest()
    assert (batch.uploaded_by, batch.applied_at) == (staff, None)
