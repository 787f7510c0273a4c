"""Blocks on a WBP's day (court hearings, health appointments, visits, transfers out): entered
by staff on the case file, edited with a version check, cancelled with a reason, and a clash for
a session at the same time."""

from __future__ import annotations

import datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.test import Client
from django.urls import reverse

from programs.models import PersonBlock, Session
from programs.scheduling import services as scheduling
from programs.tiers import services
from rehab.models import AuditEntry
from tests.factories import InmateFactory
from tests.programs.test_views import placed_cohort

pytestmark = [pytest.mark.django_db, pytest.mark.clock("2026-11-20T10:00+08:00")]
WITA = ZoneInfo("Asia/Makassar")

HEARING = {
    "kind": "court",
    "date": "27-11-2026",
    "start_time": "09:00",
    "end_time": "12:00",
    "court": "PN Tanah Grogot",
    "case_number": "45/Pid.Sus/2026/PN Tgt",
    "note": "",
}


def hearing(inmate: Any, by: Any, **extra: Any) -> PersonBlock:
    data = {
        "kind": "court", "date": datetime.date(2026, 11, 27), "start_time": datetime.time(9),
        "end_time": datetime.time(12), "court": "PN Tanah Grogot", "case_number": "45/2026",
        "note": "",
    }  # fmt: skip
    return scheduling.block_create(inmate=inmate, by=by, data={**data, **extra})


def test_staff_enter_a_court_hearing_on_the_case_file_and_it_is_listed_and_audited(
    client: Client, members: dict[str, Any], facility_a: Any
) -> None:
    inmate = InmateFactory(facility=facility_a)
    client.force_login(members["staff"])
    response = client.post(reverse("programs:block_create", args=[inmate.pk]), HEARING)
    assert response["Location"] == reverse("programs:block_list", args=[inmate.pk])
    block = PersonBlock.objects.get()
    assert (block.facility, block.inmate, block.kind) == (facility_a, inmate, "court")
    assert (block.start_time, block.end_time) == (datetime.time(9), datetime.time(12))
    page = client.get(response["Location"]).content.decode()
    assert "PN Tanah Grogot" in page and "45/Pid.Sus/2026/PN Tgt" in page
    assert "Akan datang" in page
    case_file = client.get(inmate.get_absolute_url()).content.decode()
    assert "Sidang pengadilan 09.00\u201312.00 WITA (PN Tanah Grogot)" in case_file
    entry = AuditEntry.objects.get(action="programs.block.created")
    assert (entry.target_id, entry.subject_type) == (inmate.pk, "programs.personblock")
    assert entry.changes["court"] == [None, "PN Tanah Grogot"]


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"end_time": "08:00"}, "end_time", "Jam selesai harus sesudah jam mulai."),
        ({"end_time": ""}, "end_time", "Isi jam mulai dan jam selesai, atau kosongkan keduanya"),
        ({"court": ""}, "court", "Tuliskan nama pengadilan untuk jadwal sidang."),
        ({"date": ""}, "date", "Isi tanggalnya."),
        ({"case_number": "x" * 61}, "case_number", "paling banyak 60 karakter"),
    ],
)
def test_bad_input_is_named_beside_the_field_and_nothing_is_saved(
    client: Client,
    members: dict[str, Any],
    facility_a: Any,
    change: dict[str, str],
    field: str,
    message: str,
) -> None:
    inmate = InmateFactory(facility=facility_a)
    client.force_login(members["staff"])
    response = client.post(
        reverse("programs:block_create", args=[inmate.pk]), {**HEARING, **change}
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert field in response.context["form"].errors
    assert 'value="PN Tanah Grogot"' in response.content.decode() or field == "court"
    assert not PersonBlock.objects.exists()


def test_an_edit_over_a_newer_save_is_refused_and_keeps_the_typing(
    client: Client, members: dict[str, Any], facility_a: Any
) -> None:
    block = hearing(InmateFactory(facility=facility_a), members["staff"])
    client.force_login(members["staff"])
    url = reverse("programs:block_edit", args=[block.pk])
    assert client.get(url).status_code == 200
    scheduling.block_update(
        block=block, by=members["staff"], expected_version=1,
        data={**{k: getattr(block, k) for k in scheduling.BLOCK_FIELDS}, "court": "PN Paser"},
    )  # fmt: skip
    response = client.post(url, {**HEARING, "start_time": "13:00", "end_time": "15:00",
                                 "version": "1"})  # fmt: skip
    assert response.status_code == 409
    assert 'value="13:00"' in response.content.decode()
    block.refresh_from_db()
    assert (block.court, block.start_time) == ("PN Paser", datetime.time(9))
    fresh = client.post(url, {**HEARING, "start_time": "13:00", "end_time": "15:00",
                              "version": str(block.version)})  # fmt: skip
    assert fresh.status_code == 302
    block.refresh_from_db()
    assert block.start_time == datetime.time(13)
    assert AuditEntry.objects.filter(action="programs.block.updated").count() == 2


def test_a_cancelled_block_keeps_its_reason_and_no_longer_clashes(
    client: Client, members: dict[str, Any], facility_a: Any
) -> None:
    _cohort, people = placed_cohort(facility_a, members["counselor"], 2)
    block = hearing(people[0].inmate, members["staff"])
    starts_at = datetime.datetime(2026, 11, 27, 9, tzinfo=WITA)
    ends_at = starts_at + datetime.timedelta(hours=2)

    def clashes() -> list[str]:
        return services.session_clashes(
            facility_id=facility_a.pk, starts_at=starts_at, ends_at=ends_at, place="Aula",
            tz=WITA, inmate_ids=[p.inmate_id for p in people],
        )  # fmt: skip

    assert clashes() == [
        f"{people[0].inmate.full_name}: Sidang pengadilan 09.00\u201312.00 WITA (PN Tanah Grogot)"
    ]
    client.force_login(members["staff"])
    url = reverse("programs:block_cancel", args=[block.pk])
    client.post(url, {"reason": "", "version": block.version})
    block.refresh_from_db()
    assert not block.is_cancelled  # no reason, no cancellation
    client.post(url, {"reason": "Sidang ditunda hakim", "version": block.version})
    block.refresh_from_db()
    assert block.is_cancelled and block.cancel_reason == "Sidang ditunda hakim"
    assert clashes() == []
    page = client.get(reverse("programs:block_list", args=[block.inmate_id])).content.decode()
    assert "Dibatalkan: Sidang ditunda hakim" in page
    with pytest.raises(scheduling.ScheduleRefused):
        scheduling.block_cancel(
            block=block, by=members["staff"], reason="lagi", expected_version=block.version
        )


def test_a_block_clashes_only_with_sessions_that_overlap_it() -> None:
    block = PersonBlock(
        date=datetime.date(2026, 11, 27), start_time=datetime.time(9), end_time=datetime.time(12)
    )
    assert block.overlaps(datetime.time(11), datetime.time(13))
    assert not block.overlaps(datetime.time(12), datetime.time(14))
    whole_day = PersonBlock(date=datetime.date(2026, 11, 27), kind="transfer")
    assert whole_day.overlaps(datetime.time(15), datetime.time(16))
    assert whole_day.describe() == "Pindah keluar sepanjang hari"


def test_an_individual_session_at_the_time_of_a_visit_names_the_visit(
    members: dict[str, Any], facility_a: Any
) -> None:
    _cohort, people = placed_cohort(facility_a, members["counselor"], 1)
    hearing(people[0].inmate, members["staff"], kind="visit", court="", case_number="")
    session, clashes = services.individual_session_create(
        enrolment=people[0], by=members["counselor"], day=datetime.date(2026, 11, 27),
        start=datetime.time(10), end=datetime.time(11), kind="individual",
    )  # fmt: skip
    assert Session.objects.filter(pk=session.pk).exists()
    assert clashes == [f"{people[0].inmate.full_name}: Kunjungan terjadwal 09.00\u201312.00 WITA"]


def test_the_counselor_sees_the_blocks_but_cannot_enter_them(
    client: Client, members: dict[str, Any], facility_a: Any
) -> None:
    block = hearing(InmateFactory(facility=facility_a), members["staff"])
    client.force_login(members["counselor"])
    page = client.get(reverse("programs:block_list", args=[block.inmate_id]))
    assert "PN Tanah Grogot" in page.content.decode()
    assert "Tambah jadwal pribadi" not in page.content.decode()
    assert client.get(reverse("programs:block_create", args=[block.inmate_id])).status_code == 403


def test_the_block_list_costs_the_same_queries_for_one_block_and_for_many(
    client: Client, members: dict[str, Any], facility_a: Any, django_assert_num_queries: Any
) -> None:
    inmate = InmateFactory(facility=facility_a)
    client.force_login(members["staff"])
    client.get(reverse("today"))  # the first request of a session looks up its time zone
    url = reverse("programs:block_list", args=[inmate.pk])
    hearing(inmate, members["staff"])
    with django_assert_num_queries(8):
        assert client.get(url).status_code == 200
    for day in range(1, 9):
        hearing(inmate, members["staff"], date=datetime.date(2026, 12, day))
    with django_assert_num_queries(8):
        assert client.get(url).status_code == 200
