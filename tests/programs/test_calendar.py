"""The facility's week and the officers' daily movement list, as PDFs on A4 or F4: every
session, meeting, activity, holiday and block of the week in its day, in the facility's time;
who goes where when, with block and cell; cancelled ones marked or left out."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from programs.models import (
    CourseMeeting,
    Enrolment,
    FacilityActivity,
    PersonBlock,
    Session,
)
from programs.scheduling import calendar
from tests.factories import (
    CohortFactory,
    CourseFactory,
    InmateFactory,
    MembershipFactory,
    signed_assessment,
)
from tests.rehab.test_pdf import page_sizes_mm

pytestmark = pytest.mark.django_db

# the sign-in and the facility, then the rows (4 for the week with the Ramadan hours, 5 for the
# day) and the log row
WEEK_QUERIES, MOVES_QUERIES = 12, 13
# in the app, without the log row: the week 11, the day 16 (its moves as well as its calendar)
APP_WEEK_QUERIES, APP_DAY_QUERIES = 11, 16
MONDAY = datetime.date(2026, 11, 16)  # the week of the clock's Friday 20 November
WITA = datetime.timezone(datetime.timedelta(hours=8))


def at(day: datetime.date, hour: int) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour), WITA)  # Tanah Grogot's time


@pytest.fixture
def week_of(facility_a: Any, members: dict[str, Any]) -> dict[str, Any]:
    by = members["counselor"]
    cohort = CohortFactory(facility=facility_a, name="Angkatan Ringan I", created_by=by)
    rudi = InmateFactory(facility=facility_a, full_name="Rudi Hartono", block="B", cell="4",
                         registration_number="BI.0101/2026")  # fmt: skip
    Enrolment.objects.create(
        facility=facility_a, inmate=rudi, track=cohort.track, cohort=cohort, state="active",
        assessment=signed_assessment(rudi),
    )  # fmt: skip
    made = {}
    wednesday = MONDAY + datetime.timedelta(days=2)
    for name, day, status in (("mon", MONDAY, "planned"), ("wed", wednesday, "cancelled")):
        made[name] = Session.objects.create(
            facility=facility_a, cohort=cohort, kind="group", place="Aula", status=status,
            starts_at=at(day, 9), ends_at=at(day, 11), created_by=by,
        )  # fmt: skip
    course = CourseFactory(facility=facility_a, name="Menjahit Dasar", place="Bengkel jahit",
                           created_by=members["staff"])  # fmt: skip
    CourseMeeting.objects.create(course=course, starts_at=at(MONDAY, 13), ends_at=at(MONDAY, 16))
    FacilityActivity.objects.create(facility=facility_a, title="Ibadah Jumat", kind="pembinaan",
                                    weekday=4, start_time=datetime.time(11, 30),
                                    end_time=datetime.time(13))  # fmt: skip
    FacilityActivity.objects.create(facility=facility_a, title="Maulid Nabi", kind="holiday",
                                    date=MONDAY + datetime.timedelta(days=3))  # fmt: skip
    PersonBlock.objects.create(
        facility=facility_a, inmate=rudi, kind="court", date=MONDAY, start_time=datetime.time(8),
        end_time=datetime.time(9), court="PN Tanah Grogot", case_number="12/Pid.Sus/2026",
        created_by=members["staff"],
    )  # fmt: skip
    return {"cohort": cohort, "rudi": rudi, **made}


def busier(facility: Any, week_of: dict[str, Any], members: dict[str, Any]) -> None:
    """Five more participants in the cohort and five more sessions on the Monday."""
    for n in range(5):
        other = InmateFactory(facility=facility, block="C", cell=str(n))
        Enrolment.objects.create(
            facility=facility, inmate=other, track=week_of["cohort"].track, state="active",
            cohort=week_of["cohort"], assessment=signed_assessment(other),
        )  # fmt: skip
        Session.objects.create(
            facility=facility, cohort=week_of["cohort"], kind="education", place="Aula",
            starts_at=at(MONDAY, 14), ends_at=at(MONDAY, 15), created_by=members["counselor"],
        )  # fmt: skip


def test_the_week_puts_everything_in_its_day_in_the_facilitys_time(
    facility_a: Any, week_of: dict[str, Any]
) -> None:
    days = calendar.week(facility_a, MONDAY)
    assert [d.date for d in days] == [MONDAY + datetime.timedelta(days=n) for n in range(7)]
    monday = [(i.start, i.title, i.place) for i in days[0].items]
    assert monday == [
        (datetime.time(9), "Konseling kelompok · Angkatan Ringan I", "Aula"),
        (datetime.time(13), "Pelatihan · Menjahit Dasar", "Bengkel jahit"),
    ]
    [wednesday] = days[2].items
    assert wednesday.cancelled
    assert [(i.title, i.kind) for i in days[3].items] == [("Maulid Nabi", "holiday")]
    assert [(i.start, i.title) for i in days[4].items] == [(datetime.time(11, 30), "Ibadah Jumat")]


def test_the_movement_list_names_who_goes_where_when_with_block_and_cell(
    facility_a: Any, week_of: dict[str, Any]
) -> None:
    items = calendar.movements(facility_a, MONDAY)
    assert [(i.start, i.title, i.place, i.people) for i in items] == [
        (datetime.time(8), "Sidang pengadilan", "PN Tanah Grogot · 12/Pid.Sus/2026",
         [("Rudi Hartono", "BI.0101/2026", "B/4")]),
        (datetime.time(9), "Konseling kelompok · Angkatan Ringan I", "Aula",
         [("Rudi Hartono", "BI.0101/2026", "B/4")]),
        (datetime.time(13), "Pelatihan · Menjahit Dasar", "Bengkel jahit", []),
    ]  # fmt: skip
    assert calendar.movements(facility_a, MONDAY + datetime.timedelta(days=2)) == []  # cancelled


def test_both_print_on_a4_and_f4_and_cost_the_same_queries_for_a_busier_week(
    client: Client, facility_a: Any, members: dict[str, Any], week_of: dict[str, Any],
    fed_html: list[str],
) -> None:  # fmt: skip
    client.force_login(members["staff"])
    week = reverse("programs:facility_week_pdf") + f"?mulai={MONDAY:%Y-%m-%d}"
    moves = reverse("programs:movement_pdf") + f"?tanggal={MONDAY:%d-%m-%Y}"
    assert page_sizes_mm(client.get(week + "&size=A4").content) == [(297, 210)]  # landscape
    assert page_sizes_mm(client.get(week + "&size=F4").content) == [(330, 215)]
    assert "Konseling kelompok · Angkatan Ringan I" in fed_html[-1]
    assert "MAULID NABI" in fed_html[-1].upper()
    assert page_sizes_mm(client.get(moves + "&size=A4").content) == [(210, 297)]
    assert "PN Tanah Grogot" in fed_html[-1] and "B/4" in fed_html[-1]

    def count(url: str) -> int:
        with CaptureQueriesContext(connection) as captured:
            client.get(url)
        return len(captured.captured_queries)

    before = (count(week), count(moves))
    busier(facility_a, week_of, members)
    assert (count(week), count(moves)) == before == (WEEK_QUERIES, MOVES_QUERIES)


def test_a_stranger_facility_is_not_printed(
    client: Client, facility_b: Any, members: dict[str, Any]
) -> None:
    client.force_login(members["staff"])
    url = reverse("programs:facility_week_pdf") + f"?upt={facility_b.pk}"
    assert client.get(url).status_code == 404


def test_the_week_and_the_day_read_in_the_app_and_link_to_their_prints(
    client: Client, facility_a: Any, members: dict[str, Any], week_of: dict[str, Any]
) -> None:
    client.force_login(members["staff"])
    week = client.get(reverse("programs:facility_week"), {"mulai": "18-11-2026"})
    assert week.status_code == 200
    page = week.content.decode()
    assert "minggu 16 November 2026 sampai 22 November 2026; jam dalam WITA" in page
    assert "09.00\u201311.00 WITA</span> Konseling kelompok · Angkatan Ringan I · Aula" in page
    assert "Maulid Nabi" in page and "(batal)" in page  # the holiday, the cancelled Wednesday
    assert f"?mulai=2026-11-09&amp;upt={facility_a.pk}" in page  # the week before
    assert f"{reverse('programs:facility_week_pdf')}?mulai=2026-11-16" in page
    assert "Cetak F4</a><a" in page and "size=A4" in page  # the facility's paper first
    day = client.get(reverse("programs:facility_day"), {"tanggal": MONDAY.isoformat()})
    page = day.content.decode()
    assert "Senin, 16 November 2026" in page
    assert "Rudi Hartono" in page and "BI.0101/2026" in page and "B/4" in page
    assert "PN Tanah Grogot" in page  # his court hearing at 08.00 is a movement too
    assert f"{reverse('programs:movement_pdf')}?tanggal=2026-11-16" in page


def test_the_week_and_the_day_cost_the_same_queries_for_a_busier_week(
    client: Client, facility_a: Any, members: dict[str, Any], week_of: dict[str, Any]
) -> None:
    client.force_login(members["staff"])
    week = reverse("programs:facility_week") + f"?mulai={MONDAY:%Y-%m-%d}"
    day = reverse("programs:facility_day") + f"?tanggal={MONDAY:%Y-%m-%d}"

    def count(url: str) -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured.captured_queries)

    client.get(reverse("today"))  # the first page of a session looks up its time zone
    before = (count(week), count(day))
    busier(facility_a, week_of, members)
    assert (count(week), count(day)) == before == (APP_WEEK_QUERIES, APP_DAY_QUERIES)


def test_a_counsellor_of_two_facilities_switches_between_them_and_a_stranger_gets_404(
    client: Client, facility_a: Any, facility_b: Any, members: dict[str, Any]
) -> None:
    client.force_login(members["staff"])
    assert client.get(reverse("programs:facility_week"), {"upt": facility_b.pk}).status_code == 404
    MembershipFactory(user=members["counselor"], facility=facility_b, role="counselor")
    client.force_login(members["counselor"])
    page = client.get(reverse("programs:facility_day"), {"upt": facility_b.pk}).content.decode()
    assert f'<option value="{facility_b.pk}" selected>{facility_b.name}</option>' in page
    assert f'<option value="{facility_a.pk}">{facility_a.name}</option>' in page
