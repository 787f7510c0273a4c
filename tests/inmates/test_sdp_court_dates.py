"""Court hearings from the SDP export: the "Tanggal Sidang" column (with its time, court and case
number) becomes a court-hearing block on the WBP's day, shown in the preview before the import
is confirmed, added once however often the file is imported; a bad date is a row error in
Indonesian and no block is created."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from inmates import sdp, services
from inmates.models import Inmate
from programs.models import PersonBlock
from programs.scheduling import services as scheduling
from rehab.models import AuditEntry
from tests.factories import InmateFactory
from tests.inmates.sdp_files import confirmed_plan, court_row, court_xlsx

pytestmark = [pytest.mark.django_db, pytest.mark.clock("2026-12-01T09:00+08:00")]

HEARINGS = [
    court_row(1, Tanggal_Sidang=datetime.date(2026, 12, 8), Jam_Sidang="09.00",
              Pengadilan="PN Banjarnegara", **{"No. Perkara": "123/Pid.Sus/2026/PN Bjn"}),
    court_row(2, Tanggal_Sidang="10-12-2026", Jam_Sidang="13:00 - 15:30 WIB",
              Pengadilan="PN Banjarnegara", **{"No. Perkara": "124/Pid.Sus/2026/PN Bjn"}),
    court_row(3),  # no hearing on the file
    court_row(4, Tanggal_Sidang="15 Desember 2026", Pengadilan="PN Purbalingga"),
]  # fmt: skip


def batch_of(facility: Any, by: Any, content: bytes) -> Any:
    return services.import_batch_create(
        facility=facility, by=by, file_name="tahanan.xlsx", content=content
    )


def hearings() -> list[tuple[str, Any, Any, Any, str, str]]:
    return list(
        PersonBlock.objects.filter(kind="court")
        .order_by("inmate__registration_number")
        .values_list(
            "inmate__registration_number", "date", "start_time", "end_time", "court",
            "case_number",
        )
    )  # fmt: skip


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("09.00", (datetime.time(9), None)),
        ("9:30", (datetime.time(9, 30), None)),
        ("09.00-12.00", (datetime.time(9), datetime.time(12))),
        ("13:00 s.d. 15:30 WITA", (datetime.time(13), datetime.time(15, 30))),
        ("Pukul 08.30 WIB", (datetime.time(8, 30), None)),
        ("10.00 - selesai", (datetime.time(10), None)),
        (datetime.time(14, 0), (datetime.time(14), None)),
        (0.375, (datetime.time(9), None)),
    ],
)
def test_the_hearing_time_is_read_as_the_exports_write_it(cell: Any, expected: Any) -> None:
    assert sdp.parse_times(cell) == expected


@pytest.mark.parametrize("cell", ["pagi", "25.00", "12.00-09.00", "9"])
def test_an_unreadable_hearing_time_is_refused_in_indonesian(cell: str) -> None:
    with pytest.raises(ValueError, match="jam"):
        sdp.parse_times(cell)


def test_the_preview_names_each_new_hearing_and_the_import_puts_it_on_the_wbps_day(
    staff_client: Client, facility_a: Any, members: dict[str, Any]
) -> None:
    batch = batch_of(facility_a, members["staff"], court_xlsx(*HEARINGS))
    url = reverse("inmates:import_preview", args=[batch.pk])
    page = staff_client.get(url).content.decode()
    assert "3 WBP mendapat jadwal sidang baru" in page
    assert (
        "Jadwal sidang 08-12-2026: Sidang pengadilan 09.00\u201313.00 WITA (PN Banjarnegara)"
        in page
    )
    assert "perkara 123/Pid.Sus/2026/PN Bjn" in page
    assert "Jadwal sidang 15-12-2026: Sidang pengadilan sepanjang hari (PN Purbalingga)" in page
    assert not PersonBlock.objects.exists()  # nothing before the confirmation

    response = staff_client.post(url, confirmed_plan(page))
    assert response.status_code == 302
    assert hearings() == [
        ("AII.001/2026", datetime.date(2026, 12, 8), datetime.time(9), datetime.time(13),
         "PN Banjarnegara", "123/Pid.Sus/2026/PN Bjn"),
        ("AII.002/2026", datetime.date(2026, 12, 10), datetime.time(13), datetime.time(15, 30),
         "PN Banjarnegara", "124/Pid.Sus/2026/PN Bjn"),
        ("AII.004/2026", datetime.date(2026, 12, 15), None, None, "PN Purbalingga", ""),
    ]  # fmt: skip
    assert PersonBlock.objects.filter(facility=facility_a).count() == 3
    assert AuditEntry.objects.filter(action="programs.block.created").count() == 3
    message = [str(m) for m in response.wsgi_request._messages]  # type: ignore[attr-defined]
    assert "Jadwal sidang dicatat untuk 3 WBP." in message


def test_importing_the_same_file_again_adds_no_hearing(
    facility_a: Any, members: dict[str, Any]
) -> None:
    content = court_xlsx(*HEARINGS)
    services.import_apply(
        batch=batch_of(facility_a, members["staff"], content), by=members["staff"]
    )
    assert len(hearings()) == 3
    again = batch_of(facility_a, members["staff"], content)
    preview = services.import_preview(
        facility=facility_a, file_name=again.file_name, content=content
    )
    assert len(preview.unchanged) == 4 and preview.added == []
    services.import_apply(batch=again, by=members["staff"])
    assert len(hearings()) == 3


def test_a_hearing_cancelled_by_staff_is_not_brought_back_and_a_new_date_is_added(
    facility_a: Any, members: dict[str, Any]
) -> None:
    staff = members["staff"]
    services.import_apply(batch=batch_of(facility_a, staff, court_xlsx(HEARINGS[0])), by=staff)
    (block,) = PersonBlock.objects.all()
    scheduling.block_cancel(block=block, by=staff, reason="Sidang ditunda", expected_version=1)
    postponed = court_row(1, Tanggal_Sidang="22-12-2026", Jam_Sidang="09.00",
                          Pengadilan="PN Banjarnegara")  # fmt: skip
    for row in (HEARINGS[0], postponed):
        services.import_apply(batch=batch_of(facility_a, staff, court_xlsx(row)), by=staff)
    assert [(b.date, b.is_cancelled) for b in PersonBlock.objects.order_by("date")] == [
        (datetime.date(2026, 12, 8), True), (datetime.date(2026, 12, 22), False)
    ]  # fmt: skip


def test_a_hearing_of_a_wbp_already_on_file_is_added_to_that_wbp(
    facility_a: Any, members: dict[str, Any]
) -> None:
    known = InmateFactory(facility=facility_a, registration_number="AII.001/2026")
    services.import_apply(
        batch=batch_of(facility_a, members["staff"], court_xlsx(HEARINGS[0])),
        by=members["staff"],
    )
    assert list(PersonBlock.objects.values_list("inmate_id", flat=True)) == [known.pk]
    assert Inmate.objects.count() == 1


@pytest.mark.parametrize(
    ("cells", "message"),
    [
        ({"Tanggal_Sidang": "32-12-2026"}, 'Kolom Jadwal Sidang: tanggal "32-12-2026" tidak ada'),
        ({"Tanggal_Sidang": "minggu depan"}, "Kolom Jadwal Sidang: format tanggal"),
        ({"Tanggal_Sidang": "08-12-2026", "Jam_Sidang": "pagi"}, 'Kolom Jam Sidang: jam "pagi"'),
        ({"Jam_Sidang": "09.00", "Pengadilan": "PN Bjn"}, "Kolom Jadwal Sidang: wajib diisi bila"),
        ({"Tanggal_Sidang": "08-12-2026", "No. Perkara": "1" * 61}, "Kolom No. Perkara: terlalu"),
    ],
)
def test_a_bad_hearing_is_a_row_error_in_indonesian_and_no_block_is_created(
    staff_client: Client, facility_a: Any, members: dict[str, Any], cells: Any, message: str
) -> None:
    content = court_xlsx(HEARINGS[0], court_row(2, **cells))
    batch = batch_of(facility_a, members["staff"], content)
    preview = services.import_preview(facility=facility_a, file_name="t.xlsx", content=content)
    (bad,) = preview.invalid
    assert bad.registration_number == "AII.002/2026"
    assert any(message in e for e in bad.errors), bad.errors
    page = staff_client.get(reverse("inmates:import_preview", args=[batch.pk])).content.decode()
    assert "jadwal sidang baru" not in page
    with pytest.raises(services.ImportNotClean):
        services.import_apply(batch=batch, by=members["staff"])
    assert not PersonBlock.objects.exists() and not Inmate.objects.exists()


def test_the_preview_costs_the_same_queries_for_one_hearing_and_for_many(
    staff_client: Client, facility_a: Any, members: dict[str, Any], django_assert_num_queries: Any
) -> None:
    staff_client.get(reverse("today"))
    counts = []
    for size in (1, 30):
        rows = [
            court_row(n, Tanggal_Sidang="08-12-2026", Jam_Sidang="09.00")
            for n in range(1, size + 1)
        ]
        for n in range(1, size + 1):
            InmateFactory(facility=facility_a, registration_number=f"AII.{n:03d}/2026")
        batch = batch_of(facility_a, members["staff"], court_xlsx(*rows))
        with django_assert_num_queries(10) as captured:
            staff_client.get(reverse("inmates:import_preview", args=[batch.pk]))
        counts.append(len(captured))
        Inmate.objects.all().delete()
    assert counts[0] == counts[1]
