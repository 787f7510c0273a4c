"""The facility calendar in the app: staff and the warden add, correct (with a version check)
and delete activities and holidays; bad input is explained beside the field."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from programs.models import FacilityActivity
from rehab.models import AuditEntry

pytestmark = pytest.mark.django_db

APEL = {"title": "Apel pagi", "kind": "roll_call", "date": "", "weekday": "0",
        "start_time": "07:00", "end_time": "07:30", "place": "Lapangan"}  # fmt: skip


@pytest.fixture
def staff(client: Client, members: dict[str, Any], facility_a: Any) -> Client:
    client.force_login(members["staff"])
    return client


def test_staff_add_a_weekly_roll_call_and_it_shows_on_the_calendar(
    staff: Client, facility_a: Any, django_assert_num_queries: Any
) -> None:
    response = staff.post(reverse("programs:activity_create"), {**APEL, "facility": facility_a.pk})
    assert response.status_code == 302
    activity = FacilityActivity.objects.get()
    assert (activity.title, activity.weekday, activity.place) == ("Apel pagi", 0, "Lapangan")
    assert AuditEntry.objects.filter(action="programs.activity.created").count() == 1
    staff.get(reverse("programs:activity_list"))
    with django_assert_num_queries(LIST_QUERIES):
        page = staff.get(reverse("programs:activity_list")).content.decode()
    assert "Apel pagi" in page and "Senin" in page and "07.00\u201307.30" in page
    for n in range(5):
        FacilityActivity.objects.create(facility=facility_a, title=f"Libur {n}", kind="holiday",
                                        date=f"2026-12-{20 + n}")  # fmt: skip
    with django_assert_num_queries(LIST_QUERIES):
        assert "Libur 4" in staff.get(reverse("programs:activity_list")).content.decode()


LIST_QUERIES = 8  # the sign-in, the facilities, one for the calendar, one for the Ramadan hours


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"date": "25-12-2026"}, "date",
         "Isi tanggal (sekali) atau hari (tiap minggu), salah satu saja."),
        ({"weekday": ""}, "date", "Isi tanggal (sekali) atau hari (tiap minggu), salah satu saja."),
        ({"end_time": ""}, "end_time",
         "Isi jam mulai dan jam selesai, atau kosongkan keduanya (sepanjang hari)."),
        ({"end_time": "06:00"}, "end_time", "Jam selesai harus sesudah jam mulai."),
    ],
)  # fmt: skip
def test_bad_input_is_explained_beside_the_field_and_nothing_is_saved(
    staff: Client, facility_a: Any, change: dict[str, str], field: str, message: str
) -> None:
    data = {**APEL, "facility": facility_a.pk, **change}
    response = staff.post(reverse("programs:activity_create"), data)
    assert response.context["form"].errors[field] == [message]
    assert "Lapangan" in response.content.decode()  # what was typed stays
    assert not FacilityActivity.objects.exists()


def test_a_correction_over_a_newer_one_is_a_conflict_and_delete_keeps_the_history(
    staff: Client, facility_a: Any
) -> None:
    activity = FacilityActivity.objects.create(facility=facility_a, title="Ibadah Jumat",
                                               kind="worship", weekday=4)  # fmt: skip
    url = reverse("programs:activity_edit", args=[activity.pk])
    data = {"title": "Ibadah Jumat", "kind": "worship", "date": "", "weekday": "4",
            "start_time": "11:30", "end_time": "13:00", "place": "Masjid",
            "version": "1"}  # fmt: skip
    assert staff.post(url, data).status_code == 302
    stale = staff.post(url, {**data, "place": "Aula"})  # a second tab opened at version 1
    assert stale.status_code == 409
    assert FacilityActivity.objects.get().place == "Masjid"
    staff.post(reverse("programs:activity_delete", args=[activity.pk]))
    assert not FacilityActivity.objects.exists()
    assert AuditEntry.objects.filter(action="programs.activity.deleted").count() == 1


@pytest.mark.parametrize("role", ["counselor", "health", "supervisor"])
def test_only_staff_and_the_warden_manage_the_calendar(
    client: Client, members: dict[str, Any], facility_a: Any, role: str
) -> None:
    client.force_login(members[role])
    response = client.post(reverse("programs:activity_create"), {**APEL, "facility": facility_a.pk})
    assert response.status_code == 403
    assert not FacilityActivity.objects.exists()
