"""Programme PDFs: the sign-in sheet of a session, the schedule of a cohort and the certificate of
a completed programme; who may get them, the download log, what they say and the paper."""

from __future__ import annotations

import datetime
import re
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from programs.models import Cohort, Enrolment, Module, ProgressNote, Session
from rehab.models import AccessLog
from tests.factories import CohortFactory, InmateFactory, attended_in_full, signed_assessment
from tests.rehab.test_pdf import page_sizes_mm

NOW = datetime.datetime(2026, 11, 23, 3, 0, tzinfo=datetime.UTC)  # 11:00 WITA in Tanah Grogot
UTC = datetime.UTC
DASH = "\u2013"  # the en dash of time and date ranges


pytestmark = [pytest.mark.django_db, pytest.mark.clock(NOW)]


@pytest.fixture
def cohort(facility_a: Any, members: dict[str, Any]) -> Cohort:
    return CohortFactory(
        facility=facility_a, name="Angkatan I/2026", place="Aula pembinaan",
        start_date=datetime.date(2026, 11, 2), end_date=datetime.date(2026, 11, 16),
        created_by=members["counselor"],
    )  # fmt: skip


def enrol(cohort: Cohort, name: str, state: str, **inmate: Any) -> Enrolment:
    person = InmateFactory(facility=cohort.facility, full_name=name, **inmate)
    return Enrolment.objects.create(
        facility=cohort.facility, inmate=person, track=cohort.track, cohort=cohort,
        assessment=signed_assessment(person, final_tier="ringan"), state=state,
    )  # fmt: skip


def group_session(cohort: Cohort, day: int = 3, **fields: Any) -> Session:
    """A two-hour group session at 09:00 WITA (01:00 UTC) on a day of November 2026."""
    start = datetime.datetime(2026, 11, day, 1, 0, tzinfo=UTC)
    values = {
        "facility": cohort.facility, "cohort": cohort, "kind": "group", "place": cohort.place,
        "starts_at": start, "ends_at": start + datetime.timedelta(hours=2),
        "created_by": cohort.created_by, **fields,
    }  # fmt: skip
    return Session.objects.create(**values)


def sheet_url(session: Session, size: str = "") -> str:
    url = reverse("programs:attendance_sheet", args=[session.pk])
    return f"{url}?size={size}" if size else url


def certificate_url(enrolment: Enrolment, size: str = "") -> str:
    url = reverse("programs:certificate", args=[enrolment.pk])
    return f"{url}?size={size}" if size else url


def sheet_rows(html: str) -> list[tuple[str, str, str, str]]:
    """(number, name, registration number, block/cell) of each row of the sign-in sheet."""
    return re.findall(
        r'<tr>\s*<td class="num">(\d+)</td>\s*<td>(.*?)</td>\s*<td class="nowrap">(.*?)</td>'
        r'\s*<td class="nowrap">(.*?)</td>\s*<td class="sign',
        html,
    )


@pytest.fixture
def completed(cohort: Cohort) -> Enrolment:
    enrolment = enrol(cohort, "Rudi Hartono", "completed", registration_number="BI.0101/2026")
    enrolment.started_on = datetime.date(2026, 11, 2)
    enrolment.ended_on = datetime.date(2026, 11, 16)
    enrolment.save(update_fields=["started_on", "ended_on"])
    attended_in_full(enrolment, cohort.created_by)
    return enrolment


# --- the sign-in sheet ---------------------------------------------------------------------------


def test_staff_of_the_facility_download_the_sign_in_sheet_as_a_pdf(
    client: Client, members: dict[str, Any], cohort: Cohort
) -> None:
    session = group_session(cohort)
    client.force_login(members["staff"])
    response = client.get(sheet_url(session))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert response["Content-Disposition"] == (
        f'inline; filename="daftar-hadir-{session.pk}-20261103.pdf"'
    )
    assert "no-store" in response["Cache-Control"]


def test_the_sign_in_sheet_lists_exactly_the_seated_roster(
    client: Client, members: dict[str, Any], cohort: Cohort, fed_html: list[str]
) -> None:
    enrol(cohort, "Budi Santoso", "active", registration_number="BI.0102/2026", block="C", cell="4")
    enrol(cohort, "Agus Salim", "placed", registration_number="BI.0103/2026", block="A", cell="")
    for state, name in [
        ("proposed", "Dedi Kurniawan"), ("waitlisted", "Eko Prasetyo"),
        ("dropped_out", "Fajar Nugroho"), ("completed", "Gilang Ramadhan"),
        ("rejected", "Hendra Wijaya"), ("changed", "Iwan Setiawan"),
    ]:  # fmt: skip
        enrol(cohort, name, state)
    enrol(CohortFactory(facility=cohort.facility), "Joko Widodo", "active")  # another cohort
    client.force_login(members["staff"])
    client.get(sheet_url(group_session(cohort)))
    [html] = fed_html
    assert sheet_rows(html) == [
        ("1", "Agus Salim", "BI.0103/2026", "A"),
        ("2", "Budi Santoso", "BI.0102/2026", "C/4"),
    ]
    for name in ["Dedi Kurniawan", "Eko Prasetyo", "Fajar Nugroho", "Gilang Ramadhan",
                 "Hendra Wijaya", "Iwan Setiawan", "Joko Widodo"]:  # fmt: skip
        assert name not in html  # full names: the printer's random name may share a first name
    assert "Hadir: ........ dari 2 peserta" in html


def test_the_sign_in_sheet_names_the_session_in_the_facility_time_zone_and_nothing_clinical(
    client: Client, members: dict[str, Any], cohort: Cohort, fed_html: list[str]
) -> None:
    counselor = members["counselor"]
    module = Module.objects.create(code="edukasi-uji", name="Edukasi napza")
    session = group_session(cohort, module=module, external_speaker="Petugas BNK Paser")
    session.facilitators.add(counselor)
    person = enrol(cohort, "Budi Santoso", "active")
    ProgressNote.objects.create(
        facility=cohort.facility, enrolment=person, author=counselor,
        summary="Catatan rahasia konseling",
    )  # fmt: skip
    client.force_login(members["staff"])
    client.get(sheet_url(session))
    [html] = fed_html
    assert "DAFTAR HADIR PESERTA PROGRAM REHABILITASI" in html
    assert "Rutan Kelas IIB Tanah Grogot (uji)" in html  # the letterhead
    assert "Angkatan I/2026" in html
    assert "Konseling kelompok · Edukasi napza" in html
    assert "Selasa, 3 November 2026" in html
    assert f"09.00{DASH}11.00 WITA" in html  # 01:00-03:00 UTC
    assert "Aula pembinaan" in html
    assert f"{counselor.get_full_name()}, Petugas BNK Paser" in html
    assert f'<div class="name">{counselor.get_full_name()}</div>' in html  # signs as facilitator
    assert "Catatan rahasia konseling" not in html


def test_a_twenty_person_roster_fits_on_one_a4_page_with_the_signature(
    client: Client, members: dict[str, Any], cohort: Cohort
) -> None:
    for i in range(20):
        enrol(cohort, f"Peserta Nomor {i:02d} Dengan Nama Yang Cukup Panjang Sekali", "active")
    client.force_login(members["staff"])
    a4 = client.get(sheet_url(group_session(cohort)) + "?size=A4").content
    assert page_sizes_mm(a4) == [(210.0, 297.0)]


def test_a_longer_roster_goes_on_with_its_header_and_numbering_on_the_next_page(
    client: Client, members: dict[str, Any], cohort: Cohort, fed_html: list[str]
) -> None:
    for i in range(25):
        enrol(cohort, f"Peserta {i:02d}", "active")
    client.force_login(members["staff"])
    document = client.get(sheet_url(group_session(cohort))).content
    [html] = fed_html
    assert [n for n, *_ in sheet_rows(html)] == [str(n) for n in range(1, 26)]
    assert html.count("<thead>") == 2
    assert len(page_sizes_mm(document)) == 2


def test_the_sign_in_sheet_takes_the_same_queries_for_one_and_for_twenty_people(
    client: Client, members: dict[str, Any], cohort: Cohort, django_assert_num_queries: Any
) -> None:
    session = group_session(cohort)
    client.force_login(members["staff"])
    enrol(cohort, "Budi Santoso", "active")
    client.get(sheet_url(session))  # warm the session and the roles
    # The signed-in user (login session, user, roles) and the login session's update: 6; the
    # programme session, its roster, its facilitators and the cohort's, the access log row: 5.
    with django_assert_num_queries(11) as one:
        client.get(sheet_url(session))
    for i in range(19):
        enrol(cohort, f"Peserta {i:02d}", "active")
    with django_assert_num_queries(len(one.captured_queries)):
        client.get(sheet_url(session))


# --- the schedule --------------------------------------------------------------------------------


def test_the_schedule_lists_every_session_with_its_header_repeated_on_each_page(
    client: Client, members: dict[str, Any], cohort: Cohort, fed_html: list[str]
) -> None:
    module = Module.objects.create(code="psikologi-uji", name="Psikologi")
    for day in range(2, 31):
        group_session(cohort, day=day, module=module if day == 2 else None)
    Session.objects.filter(cohort=cohort, starts_at__day=4).update(
        status="cancelled", cancel_reason="Hari libur"
    )
    client.force_login(members["warden"])
    response = client.get(reverse("programs:schedule_pdf", args=[cohort.pk]))
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    [html] = fed_html
    rows = re.findall(
        r'<td class="num">(\d+)</td>\s*<td class="nowrap">([\d/]+)</td>\s*'
        r'<td class="nowrap">(\w+)</td>\s*<td class="nowrap">([\d.]+\W[\d.]+)</td>\s*'
        r'<td class="nowrap">([^<]+)</td>\s*<td>([^<]*)</td>\s*<td>([^<]*)</td>\s*'
        r'<td class="status nowrap">([^<]+)</td>',
        html,
    )
    assert len(rows) == 29
    assert rows[0] == (
        "1", "02/11/2026", "Senin", f"09.00{DASH}11.00", "Konseling kelompok", "Psikologi",
        "Aula pembinaan", "Direncanakan",
    )  # fmt: skip
    assert rows[2][1:3] == ("04/11/2026", "Rabu") and rows[2][-1] == "Dibatalkan"
    assert [r[0] for r in rows] == [str(n) for n in range(1, 30)]
    assert html.count("<thead>") == 2  # 20 rows under the letterhead, 9 on the next page
    assert len(page_sizes_mm(response.content)) == 2
    assert "Jam (WITA)" in html
    assert f"2 November 2026 {DASH} 16 November 2026" in html


def test_the_schedule_takes_the_same_queries_for_one_and_for_thirty_sessions(
    client: Client, members: dict[str, Any], cohort: Cohort, django_assert_num_queries: Any
) -> None:
    url = reverse("programs:schedule_pdf", args=[cohort.pk])
    module = Module.objects.create(code="psikologi-uji", name="Psikologi")
    group_session(cohort, day=2, module=module)
    client.force_login(members["staff"])
    client.get(url)
    # The signed-in user and the login session's update: 6; the cohort, its sessions, the
    # seated count, the facilitators, the access log row: 5.
    with django_assert_num_queries(11) as one:
        client.get(url)
    for day in range(3, 31):
        group_session(cohort, day=day, module=module)
    with django_assert_num_queries(len(one.captured_queries)):
        client.get(url)


# --- the certificate -----------------------------------------------------------------------------


def test_the_certificate_names_the_wbp_the_programme_the_dates_and_the_warden(
    client: Client, members: dict[str, Any], completed: Enrolment, fed_html: list[str]
) -> None:
    client.force_login(members["counselor"])
    response = client.get(certificate_url(completed))
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert response["Content-Disposition"] == (
        f'inline; filename="sertifikat-rehabilitasi-{completed.pk}.pdf"'
    )
    assert page_sizes_mm(response.content) == [(330.0, 215.0)]  # the facility's F4, landscape
    [html] = fed_html
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))
    assert "SERTIFIKAT" in text
    assert "Diberikan kepada Rudi Hartono Nomor registrasi BI.0101/2026" in text
    assert "Telah menyelesaikan Program Rehabilitasi Ringan 15 hari Angkatan I/2026" in text
    assert "dari tanggal 2 November 2026 sampai dengan 16 November 2026." in text
    assert f"Mengetahui, Kepala Rutan {members['warden'].get_full_name()}" in text


def test_the_certificate_is_signed_in_the_town_with_the_warden_s_rank_and_nip(
    client: Client, members: dict[str, Any], completed: Enrolment, fed_html: list[str]
) -> None:
    from rehab.models import Profile

    Profile.objects.create(user=members["warden"], rank="Pembina (IV/a)", nip="197604122000031002")
    completed.facility.town = "Tanah Grogot"
    completed.facility.save(update_fields=["town"])
    client.force_login(members["counselor"])
    client.get(certificate_url(completed))
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", fed_html[-1]))
    assert "Tanah Grogot, 16 November 2026 Mengetahui, Kepala Rutan" in text
    assert f"{members['warden'].get_full_name()} Pembina (IV/a) NIP. 197604122000031002" in text
    assert "Kabupaten Paser, 16 November" not in text


def test_the_certificate_leaves_a_line_when_the_facility_has_no_warden_on_record(
    client: Client, members: dict[str, Any], completed: Enrolment, fed_html: list[str]
) -> None:
    members["warden"].memberships.update(active=False)
    client.force_login(members["staff"])
    client.get(certificate_url(completed))
    [html] = fed_html
    assert members["warden"].get_full_name() not in html
    assert '<div class="name">(.........................................)</div>' in html


@pytest.mark.parametrize("state", ["proposed", "placed", "active", "dropped_out", "changed"])
def test_the_certificate_is_refused_before_the_programme_is_completed(
    client: Client, members: dict[str, Any], cohort: Cohort, state: str
) -> None:
    enrolment = enrol(cohort, "Budi Santoso", state)
    client.force_login(members["counselor"])
    assert client.get(certificate_url(enrolment)).status_code == 404
    assert not AccessLog.objects.filter(action="pdf.download").exists()


def test_the_enrolment_page_offers_the_certificate_only_once_completed(
    client: Client, members: dict[str, Any], cohort: Cohort, completed: Enrolment
) -> None:
    active = enrol(cohort, "Budi Santoso", "active")
    client.force_login(members["staff"])
    page = client.get(reverse("programs:enrolment_detail", args=[completed.pk])).content.decode()
    assert certificate_url(completed) in page
    page = client.get(reverse("programs:enrolment_detail", args=[active.pk])).content.decode()
    assert certificate_url(active) not in page


# --- for everyone: strangers, the log, the paper -------------------------------------------------


@pytest.fixture
def three_pdfs(cohort: Cohort, completed: Enrolment) -> list[tuple[str, Any]]:
    session = group_session(cohort)
    return [
        (sheet_url(session), session),
        (reverse("programs:schedule_pdf", args=[cohort.pk]), cohort),
        (certificate_url(completed), completed),
    ]


def test_a_member_of_another_facility_gets_404_for_each_pdf(
    client: Client, stranger: Any, three_pdfs: list[tuple[str, Any]]
) -> None:
    client.force_login(stranger)
    for url, _ in three_pdfs:
        assert client.get(url).status_code == 404, url
    assert not AccessLog.objects.exists()


def test_every_download_writes_an_access_log_row_naming_what_was_printed(
    client: Client, members: dict[str, Any], three_pdfs: list[tuple[str, Any]]
) -> None:
    client.force_login(members["staff"])
    for url, _ in three_pdfs:
        client.get(url)
    rows = list(AccessLog.objects.order_by("id"))
    assert [(r.action, r.user, r.facility_id) for r in rows] == [
        ("pdf.download", members["staff"], three_pdfs[0][1].facility_id)
    ] * 3
    assert [(r.target_type, r.target_id) for r in rows] == [
        (target._meta.label_lower, target.pk) for _, target in three_pdfs
    ]
    assert [r.detail.split("-")[0] for r in rows] == ["daftar", "jadwal", "sertifikat"]


def test_f4_paper_is_215_by_330_mm_and_the_certificate_turns_it_landscape(
    client: Client, members: dict[str, Any], three_pdfs: list[tuple[str, Any]]
) -> None:
    client.force_login(members["staff"])
    sizes = [page_sizes_mm(client.get(f"{url}?size=F4").content) for url, _ in three_pdfs]
    assert sizes == [[(215.0, 330.0)], [(215.0, 330.0)], [(330.0, 215.0)]]
