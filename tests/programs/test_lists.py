"""The programme lists (cohorts, participants, follow-ups): filtered, paginated, printed and
exported with their filters, logged, at a constant query count; follow-up outcomes only for
the roles that may read them."""

from __future__ import annotations

import datetime
import io
import re
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from programs.models import Aftercare, Enrolment, Track
from programs.tiers import services
from rehab.models import AccessLog
from tests.factories import CohortFactory, InmateFactory, TrackFactory, signed_assessment

pytestmark = [pytest.mark.django_db, pytest.mark.clock("2026-11-20T10:00+08:00")]


def rows_of(content: bytes) -> list[list[Any]]:
    sheet = load_workbook(io.BytesIO(content), read_only=True).worksheets[0]
    return [list(r) for r in sheet.iter_rows(values_only=True)]


def cohorts(facility: Any) -> None:
    sedang = TrackFactory(tier="sedang", name="Sedang 30 hari", duration_days=30)
    for name, track, start, end in [
        ("Ringan Oktober", None, (2026, 10, 1), (2026, 10, 15)),
        ("Ringan November", None, (2026, 11, 16), (2026, 11, 30)),
        ("Sedang Desember", sedang, (2026, 12, 7), (2027, 1, 5)),
    ]:
        extra = {"track": track} if track else {}
        CohortFactory(facility=facility, name=name, start_date=datetime.date(*start),
                      end_date=datetime.date(*end), **extra)  # fmt: skip


def test_the_cohort_list_filters_by_name_tier_and_status_and_exports_what_it_shows(
    client: Client, members: dict[str, Any], facility_a: Any, facility_b: Any
) -> None:
    cohorts(facility_a)
    CohortFactory(facility=facility_b, name="Ringan Banjarnegara")
    client.force_login(members["counselor"])
    url = reverse("programs:cohort_list")
    page = client.get(url, {"status": "running"}).content.decode()
    assert "Ringan November" in page and "Ringan Oktober" not in page
    assert "Sedang Desember" not in page
    page = client.get(url, {"tier": "sedang"}).content.decode()
    assert "Sedang Desember" in page and "Ringan November" not in page
    page = client.get(url, {"q": "okto"}).content.decode()
    assert "Ringan Oktober" in page and "Ringan November" not in page
    assert "Banjarnegara" not in client.get(url).content.decode()

    export = client.get(reverse("programs:cohort_list_export"), {"status": "finished"})
    assert export["Content-Type"].startswith("application/vnd.openxmlformats")
    table = rows_of(export.content)
    assert table[0][:3] == ["Angkatan", "UPT", "Jalur"]
    assert [r[0] for r in table[1:]] == ["Ringan Oktober"]
    printed = client.get(reverse("programs:cohort_list_print"), {"tier": "ringan"})
    text = printed.content.decode()
    assert "Ringan Oktober" in text and "Ringan November" in text and "Sedang" not in text
    assert "Tingkat: Ringan" in text
    assert AccessLog.objects.filter(action="programs.cohort.list.xlsx").count() == 1
    assert AccessLog.objects.filter(action="programs.cohort.list.print").count() == 1


def test_an_invalid_filter_is_said_beside_its_field_and_the_list_stays(
    client: Client, members: dict[str, Any], facility_a: Any
) -> None:
    cohorts(facility_a)
    client.force_login(members["counselor"])
    response = client.get(reverse("programs:cohort_list"), {"tier": "sangat", "q": "x" * 500})
    page = response.content.decode()
    assert response.status_code == 200
    assert "Pilih salah satu pilihan yang ada." in page
    assert 'maxlength="100"' in page
    assert "Ringan Oktober" in page


def grow(facility: Any, user: Any, n: int) -> None:
    track = Track.objects.filter(tier="ringan").first() or TrackFactory(tier="ringan")
    cohort = CohortFactory(facility=facility, track=track, capacity=100)
    for _ in range(n):
        inmate = InmateFactory(facility=facility)
        services.enrolment_propose(inmate=inmate, track=track, cohort=cohort,
                                   assessment=signed_assessment(inmate), by=user)  # fmt: skip
        Aftercare.objects.create(facility=facility, inmate=inmate, month=1,
                                 due_on=datetime.date(2026, 11, 25))  # fmt: skip


@pytest.mark.parametrize(
    ("name", "role", "expected"),
    [("cohort_list", "counselor", 8), ("enrolment_list", "counselor", 8),
     ("aftercare_list", "counselor", 8)],
)  # fmt: skip
def test_each_list_costs_the_same_queries_for_one_row_and_for_many(
    client: Client, members: dict[str, Any], facility_a: Any, django_assert_num_queries: Any,
    name: str, role: str, expected: int,
) -> None:  # fmt: skip
    client.force_login(members[role])
    client.get(reverse("today"))
    grow(facility_a, members["counselor"], 1)
    with django_assert_num_queries(expected):
        client.get(reverse(f"programs:{name}"))
    grow(facility_a, members["counselor"], 30)
    with django_assert_num_queries(expected):
        client.get(reverse(f"programs:{name}"))


def test_the_participant_list_finds_by_name_and_state_and_paginates_keeping_the_filter(
    client: Client, members: dict[str, Any], facility_a: Any
) -> None:
    grow(facility_a, members["counselor"], 55)
    someone = Enrolment.objects.first()
    client.force_login(members["counselor"])
    url = reverse("programs:enrolment_list")
    first = client.get(url, {"state": "proposed"}).content.decode()
    assert "55 peserta" in first
    assert len(re.findall(r'href="/program/peserta/\d+/"', first)) == 50
    assert "state=proposed&amp;page=2" in first
    active = client.get(url, {"state": "active"}).content.decode()
    assert not re.findall(r'href="/program/peserta/\d+/"', active)
    found = client.get(url, {"q": someone.inmate.full_name}).content.decode()
    assert someone.inmate.registration_number in found
    export = client.get(reverse("programs:enrolment_list_export"), {"state": "proposed"})
    assert len(rows_of(export.content)) == 56


def test_follow_up_outcomes_leave_in_an_export_only_for_roles_that_read_them(
    client: Client, members: dict[str, Any], facility_a: Any
) -> None:
    inmate = InmateFactory(facility=facility_a, full_name="Yudi Hartanto")
    Aftercare.objects.create(
        facility=facility_a, inmate=inmate, month=3, due_on=datetime.date(2026, 11, 1),
        contacted_on=datetime.date(2026, 11, 3), outcome="relapse",
        recorded_at=datetime.datetime(2026, 11, 5, tzinfo=datetime.UTC),
    )  # fmt: skip
    url = reverse("programs:aftercare_list_export")
    client.force_login(members["counselor"])
    counted = rows_of(client.get(url, {"status": "done"}).content)
    assert counted[1][0] == "Yudi Hartanto" and counted[1][-1] == "Relaps/kambuh"
    client.force_login(members["staff"])
    staff_rows = rows_of(client.get(url, {"status": "done"}).content)
    assert staff_rows[1][0] == "Yudi Hartanto" and staff_rows[1][-1] in (None, "")
    printed = client.get(reverse("programs:aftercare_list_print"), {"status": "done"})
    assert "Relaps" not in printed.content.decode()
