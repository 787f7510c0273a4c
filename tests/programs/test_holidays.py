"""The national holidays, the cuti bersama and the Ramadan hours preloaded on every facility's
calendar: by the data migration, by `manage.py load_holidays`, and for a new facility; loading
again adds nothing. A session on a holiday, or outside the Ramadan hours, is a clash; the staff
correct the Ramadan estimate with a version check."""

from __future__ import annotations

import datetime
import importlib
import io
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.apps import apps as django_apps
from django.contrib import admin
from django.core.management import CommandError, call_command
from django.test import Client, RequestFactory
from django.urls import reverse

from programs.models import FacilityActivity, HoursPeriod
from programs.scheduling import calendar, clashes, holidays
from rehab import services as rehab_services
from rehab.models import AuditEntry, Facility

pytestmark = [pytest.mark.django_db, pytest.mark.clock("2026-11-20T10:00+08:00")]
WITA = ZoneInfo("Asia/Makassar")
MIGRATION = importlib.import_module("programs.migrations.0016_rooms_ramadan")


def at(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=WITA)


def slot(day: datetime.date, start: int, end: int) -> clashes.Slot:
    return clashes.Slot(at(day, start), at(day, end), "Aula")


def rows() -> tuple[int, int]:
    return FacilityActivity.objects.count(), HoursPeriod.objects.count()


@pytest.fixture
def loaded(facility_a: Any, facility_b: Any) -> None:
    """What the data migration loads (a test database is flushed of it: rebuild it)."""
    MIGRATION.forwards(django_apps, None)


def test_every_facility_gets_the_holidays_and_ramadan_of_2026_and_2027(loaded: None) -> None:
    per_year = {year: len(days) for year, days in holidays.HOLIDAYS.items()}
    assert per_year[2026] == 25  # 17 national holidays (Idulfitri two days) and 8 cuti bersama
    for facility in Facility.objects.all():
        days = FacilityActivity.objects.filter(facility=facility, kind="holiday")
        assert days.count() == sum(per_year.values())
        assert all(d.start_time is None and d.weekday is None for d in days)
        ramadan = HoursPeriod.objects.get(facility=facility)
        assert (ramadan.title, ramadan.start_date, ramadan.end_date, ramadan.hours) == (
            "Ramadan",
            datetime.date(2027, 2, 8),
            datetime.date(2027, 3, 9),
            "08.00\u201312.00",
        )
        assert "perkiraan" in ramadan.note


def test_loading_twice_creates_nothing_new(loaded: None) -> None:
    before = rows()
    MIGRATION.forwards(django_apps, None)
    out = io.StringIO()
    call_command("load_holidays", "--year", "2027", stdout=out)
    assert "0 calendar rows added for 2027" in out.getvalue()
    call_command("load_holidays", stdout=io.StringIO())
    assert rows() == before


def test_the_command_loads_one_year_and_refuses_a_year_without_a_list(facility_a: Any) -> None:
    call_command("load_holidays", "--year", "2026", stdout=io.StringIO())
    assert rows() == (len(holidays.HOLIDAYS[2026]), 0)  # Ramadan 1448 H falls in 2027
    with pytest.raises(CommandError, match="No holiday list for 2031"):
        call_command("load_holidays", "--year", "2031")
    assert rows() == (len(holidays.HOLIDAYS[2026]), 0)


def test_a_corrected_or_own_holiday_is_kept_and_not_loaded_twice(facility_a: Any) -> None:
    FacilityActivity.objects.create(
        facility=facility_a, title="HUT Rutan dan Kemerdekaan", kind="holiday",
        date=datetime.date(2026, 8, 17),
    )  # fmt: skip
    HoursPeriod.objects.create(
        facility=facility_a, start_date=datetime.date(2027, 2, 9),
        end_date=datetime.date(2027, 3, 10), start_time=datetime.time(8, 30),
        end_time=datetime.time(11, 30),
    )  # fmt: skip
    holidays.load_for([facility_a.pk])
    on_17th = FacilityActivity.objects.filter(facility=facility_a, date="2026-08-17")
    assert list(on_17th.values_list("title", flat=True)) == ["HUT Rutan dan Kemerdekaan"]
    assert HoursPeriod.objects.get().hours == "08.30\u201311.30"


def test_a_new_facility_gets_them_too(members: dict[str, Any]) -> None:
    facility = rehab_services.facility_create(
        facility=Facility(code="lapas-baru", name="Lapas Baru", time_zone="Asia/Jayapura"),
        by=members["staff"],
    )
    assert FacilityActivity.objects.filter(facility=facility, date="2027-08-17").exists()
    assert HoursPeriod.objects.filter(facility=facility).count() == 1
    assert AuditEntry.objects.filter(action="rehab.facility.created").count() == 1
    # The admin site's "add facility" goes through the same service.
    user = members["staff"]
    request = RequestFactory().post("/admin/rehab/facility/add/")
    request.user = user
    other = Facility(code="rutan-baru", name="Rutan Baru", time_zone="Asia/Jakarta")
    admin.site._registry[Facility].save_model(request, other, None, False)
    assert FacilityActivity.objects.filter(facility=other, kind="holiday").count() == sum(
        len(days) for days in holidays.HOLIDAYS.values()
    )


def test_a_session_proposed_on_17_august_is_a_clash_naming_hari_kemerdekaan(
    loaded: None, facility_a: Any
) -> None:
    found = clashes.find(
        facility_id=facility_a.pk, tz=WITA,
        slots=[slot(datetime.date(2027, 8, 17), 9, 11), slot(datetime.date(2027, 8, 18), 9, 11)],
    )  # fmt: skip
    assert found == [["Hari Kemerdekaan Republik Indonesia (Hari libur)"], []]
    assert any("Hari Kemerdekaan" in c for c in clashes.find(
        facility_id=facility_a.pk, tz=WITA, slots=[slot(datetime.date(2026, 8, 17), 13, 14)]
    )[0])  # fmt: skip


def test_a_session_outside_the_ramadan_hours_is_a_clash(loaded: None, facility_a: Any) -> None:
    monday = datetime.date(2027, 2, 15)
    found = clashes.find(
        facility_id=facility_a.pk, tz=WITA,
        slots=[slot(monday, 13, 15), slot(monday, 9, 11), slot(monday, 11, 13),
               slot(datetime.date(2027, 3, 16), 13, 15), slot(datetime.date(2027, 2, 5), 13, 15)],
    )  # fmt: skip
    outside = "di luar jam Ramadan 08.00\u201312.00"
    assert found == [[outside], [], [outside], [], []]


def test_the_week_shows_the_holidays_and_the_ramadan_hours(loaded: None, facility_a: Any) -> None:
    week = calendar.week(facility_a, datetime.date(2027, 3, 8))
    titles = {day.date: [item.title for item in day.items] for day in week}
    assert "Idulfitri 1448 H" in titles[datetime.date(2027, 3, 10)]
    assert "Sesi hanya 08.00\u201312.00 (Ramadan)" in titles[datetime.date(2027, 3, 9)]
    assert not any("Ramadan" in t for t in titles[datetime.date(2027, 3, 10)])


@pytest.fixture
def staff(client: Client, members: dict[str, Any]) -> Client:
    client.force_login(members["staff"])
    return client


def test_the_calendar_lists_the_ramadan_hours_and_staff_correct_them_with_a_version_check(
    staff: Client, loaded: None, facility_a: Any
) -> None:
    period = HoursPeriod.objects.get(facility=facility_a)
    page = staff.get(reverse("programs:activity_list")).content.decode()
    title, body = page.split("</title>", 1)
    assert "Jam sesi khusus" not in title  # the table is on the page, not in its title
    assert "Ramadan" in body and reverse("programs:hours_edit", args=[period.pk]) in body
    url = reverse("programs:hours_edit", args=[period.pk])
    data = {"title": "Ramadan", "start_date": "09-02-2027", "end_date": "10-03-2027",
            "start_time": "08:00", "end_time": "11:30", "note": "Sesudah sidang isbat",
            "version": "1"}  # fmt: skip
    assert staff.post(url, data).status_code == 302
    period.refresh_from_db()
    assert (period.start_date, period.hours, period.version) == (
        datetime.date(2027, 2, 9),
        "08.00\u201311.30",
        2,
    )
    assert AuditEntry.objects.filter(action="programs.hours_period.updated").count() == 1
    stale = staff.post(url, {**data, "end_time": "12:30"})  # a second tab opened at version 1
    assert stale.status_code == 409
    assert "sudah diubah oleh" in stale.content.decode()
    assert HoursPeriod.objects.get(pk=period.pk).hours == "08.00\u201311.30"


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"end_time": "07:00"}, "end_time", "Jam selesai harus sesudah jam mulai."),
        ({"end_date": "01-02-2027"}, "end_date",
         "Tanggal selesai tidak boleh sebelum tanggal mulai."),
        ({"end_date": "30-06-2027"}, "end_date", "Masa jam khusus paling lama dua bulan."),
        ({"title": "R" * 61}, "title",
         "Pastikan nilai ini mengandung paling banyak 60 karakter (sekarang 61 karakter)."),
    ],
)  # fmt: skip
def test_bad_ramadan_input_is_explained_beside_the_field_and_nothing_is_saved(
    staff: Client,
    loaded: None,
    facility_a: Any,
    change: dict[str, str],
    field: str,
    message: str,
) -> None:
    period = HoursPeriod.objects.get(facility=facility_a)
    data = {
        "title": "Ramadan",
        "start_date": "08-02-2027",
        "end_date": "09-03-2027",
        "start_time": "08:00",
        "end_time": "12:00",
        "note": "",
        "version": "1",
        **change,
    }
    response = staff.post(reverse("programs:hours_edit", args=[period.pk]), data)
    assert response.status_code == 200
    assert response.context["form"].errors[field] == [message]
    assert HoursPeriod.objects.get(pk=period.pk).version == 1


@pytest.mark.parametrize("role", ["counselor", "health", "supervisor"])
def test_only_staff_and_the_warden_correct_the_ramadan_hours(
    client: Client, members: dict[str, Any], loaded: None, facility_a: Any, role: str
) -> None:
    client.force_login(members[role])
    period = HoursPeriod.objects.get(facility=facility_a)
    response = client.post(reverse("programs:hours_edit", args=[period.pk]), {"version": "1"})
    assert response.status_code == 403


def test_a_stranger_gets_404(client: Client, stranger: Any, loaded: None, facility_a: Any) -> None:
    client.force_login(stranger)
    period = HoursPeriod.objects.get(facility=facility_a)
    assert client.get(reverse("programs:hours_edit", args=[period.pk])).status_code == 404


def test_the_demo_list_of_holidays_is_this_one() -> None:
    from programs import demo

    assert demo.holidays_between is holidays.holidays_between


def test_staff_add_next_years_ramadan_and_a_bad_period_is_refused_beside_its_field(
    staff: Client, facility_a: Any
) -> None:
    url = reverse("programs:hours_create")
    assert url in staff.get(reverse("programs:activity_list")).content.decode()
    data = {"facility": facility_a.pk, "title": "Ramadan 1449 H", "start_date": "28-01-2028",
            "end_date": "26-02-2028", "start_time": "08:00", "end_time": "12:00",
            "note": ""}  # fmt: skip
    bad = staff.post(url, {**data, "end_date": "20-01-2028"})
    assert bad.status_code == 200
    assert "Tanggal selesai tidak boleh sebelum tanggal mulai." in bad.content.decode()
    assert 'value="Ramadan 1449 H"' in bad.content.decode()  # what was typed stays
    assert not HoursPeriod.objects.filter(title="Ramadan 1449 H").exists()
    assert staff.post(url, data).status_code == 302
    added = HoursPeriod.objects.get(title="Ramadan 1449 H")
    assert (added.facility, added.start_date, added.hours) == (
        facility_a,
        datetime.date(2028, 1, 28),
        "08.00\u201312.00",
    )
    assert AuditEntry.objects.filter(action="programs.hours_period.created").count() == 1
