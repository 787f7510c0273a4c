"""The facility's facilitators in the app: staff and outside speakers managed by staff and the
warden, their sessions across cohorts in one view, and a double booking named in the preview."""

from __future__ import annotations

import datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.test import Client
from django.urls import reverse

from programs.models import Session, Speaker
from programs.scheduling import services as scheduling
from rehab.models import AuditEntry
from tests.factories import CohortFactory, MembershipFactory, UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.clock("2026-11-20T10:00+08:00")]
WITA = ZoneInfo("Asia/Makassar")
SPEAKER = {"name": "dr. Sari Wulandari", "agency": "Dinkes Kabupaten Paser",
           "topics": "HIV, hepatitis", "phone": "0812-5555-0101", "active": "on"}  # fmt: skip


def speaker(facility: Any, by: Any, **extra: Any) -> Speaker:
    data = {"user": None, "name": "Ustaz Hasan", "agency": "Kemenag", "topics": "Keagamaan",
            "phone": "", "active": True, **extra}  # fmt: skip
    return scheduling.speaker_create(facility_id=facility.pk, by=by, data=data)


def test_the_warden_adds_an_outside_speaker_and_staff_see_them_listed(
    client: Client, members: dict[str, Any], facility_a: Any
) -> None:
    client.force_login(members["warden"])
    response = client.post(reverse("programs:facilitator_create"), SPEAKER)
    added = Speaker.objects.get()
    assert response["Location"] == added.get_absolute_url()
    assert (added.facility, added.user) == (facility_a, None)
    assert added.agency == "Dinkes Kabupaten Paser"
    client.force_login(members["staff"])
    page = client.get(reverse("programs:facilitator_list")).content.decode()
    assert "dr. Sari Wulandari" in page and "HIV, hepatitis" in page
    assert AuditEntry.objects.get(action="programs.speaker.created").target_id == added.pk


def test_a_staff_account_gives_its_name_and_one_of_another_facility_is_refused(
    client: Client, members: dict[str, Any], facility_b: Any
) -> None:
    client.force_login(members["staff"])
    url = reverse("programs:facilitator_create")
    counselor = members["counselor"]
    response = client.post(url, {**SPEAKER, "name": "", "user": counselor.pk})
    assert response.status_code == 302
    assert Speaker.objects.get().name == (counselor.get_full_name() or counselor.username)
    outsider = MembershipFactory(user=UserFactory(), facility=facility_b, role="counselor").user
    refused = client.post(url, {**SPEAKER, "user": outsider.pk})
    assert "Pilih pilihan yang valid" in refused.content.decode() or (
        "user" in refused.context["form"].errors
    )
    nameless = client.post(url, {**SPEAKER, "name": ""})
    assert "Isi nama narasumber atau pilih akun petugas." in nameless.content.decode()
    too_long = client.post(url, {**SPEAKER, "phone": "0" * 31})
    assert "phone" in too_long.context["form"].errors
    assert Speaker.objects.count() == 1


def test_an_edit_over_a_newer_save_is_refused_and_keeps_the_typing(
    client: Client, members: dict[str, Any], facility_a: Any
) -> None:
    hasan = speaker(facility_a, members["staff"])
    client.force_login(members["staff"])
    url = reverse("programs:facilitator_edit", args=[hasan.pk])
    scheduling.speaker_update(
        speaker=hasan, by=members["warden"], expected_version=1,
        data={"user": None, "name": "Ustaz Hasan", "agency": "Kemenag Paser",
              "topics": "Keagamaan", "phone": "", "active": True},
    )  # fmt: skip
    stale = client.post(url, {**SPEAKER, "name": "Ustaz Hasan Basri", "version": "1"})
    assert stale.status_code == 409
    assert 'value="Ustaz Hasan Basri"' in stale.content.decode()
    hasan.refresh_from_db()
    assert (hasan.name, hasan.agency) == ("Ustaz Hasan", "Kemenag Paser")
    fresh = client.post(url, {**SPEAKER, "name": "Ustaz Hasan Basri",
                              "version": str(hasan.version)})  # fmt: skip
    assert fresh.status_code == 302
    hasan.refresh_from_db()
    assert hasan.name == "Ustaz Hasan Basri"


def test_a_facilitator_leading_another_cohort_at_that_time_is_named_and_saved_sessions_list(
    client: Client, members: dict[str, Any], facility_a: Any
) -> None:
    hasan = speaker(facility_a, members["staff"])
    other = CohortFactory(facility=facility_a, name="Angkatan Sedang II")
    busy = Session.objects.create(
        facility=facility_a, cohort=other, kind="religion", place="Masjid",
        starts_at=datetime.datetime(2026, 11, 23, 10, tzinfo=WITA),
        ends_at=datetime.datetime(2026, 11, 23, 12, tzinfo=WITA), created_by=members["staff"],
    )  # fmt: skip
    busy.speakers.add(hasan)
    cohort = CohortFactory(
        facility=facility_a, name="Angkatan Ringan I", start_date=datetime.date(2026, 11, 23),
        end_date=datetime.date(2026, 11, 27),
    )  # fmt: skip
    client.force_login(members["counselor"])
    url = reverse("programs:schedule", args=[cohort.pk])
    pattern = {"weekdays": ["0", "2"], "start": "09:00", "end": "11:00", "kind": "religion",
               "place": "Aula", "speakers": [hasan.pk]}  # fmt: skip
    page = client.post(url, pattern).content.decode()
    assert "fasilitator Ustaz Hasan sudah bertugas: Angkatan Sedang II" in page
    assert page.count("data-clash") == 1
    client.post(url, {**pattern, "step": "save_clean"})
    saved = Session.objects.get(cohort=cohort)
    assert list(saved.speakers.all()) == [hasan]
    detail = client.get(hasan.get_absolute_url()).content.decode()
    assert "Angkatan Sedang II" in detail and "Angkatan Ringan I" in detail


def test_a_facilitator_of_another_facility_cannot_be_chosen(
    client: Client, members: dict[str, Any], facility_a: Any, facility_b: Any
) -> None:
    speaker(facility_a, members["staff"])
    theirs = speaker(facility_b, members["staff"])
    cohort = CohortFactory(facility=facility_a)
    client.force_login(members["counselor"])
    response = client.post(
        reverse("programs:schedule", args=[cohort.pk]),
        {"weekdays": ["0"], "start": "09:00", "end": "11:00", "kind": "group",
         "speakers": [theirs.pk]},
    )  # fmt: skip
    assert "Pilih fasilitator dari UPT angkatan ini." in response.content.decode()
    assert not Session.objects.exists()


def test_the_facilitator_page_costs_the_same_queries_for_one_session_and_for_many(
    client: Client, members: dict[str, Any], facility_a: Any, django_assert_num_queries: Any
) -> None:
    hasan = speaker(facility_a, members["staff"])
    client.force_login(members["staff"])
    client.get(reverse("today"))  # the first request of a session looks up its time zone

    def session(day: int) -> None:
        at = datetime.datetime(2026, 11, day, 9, tzinfo=WITA)
        created = Session.objects.create(
            facility=facility_a, cohort=CohortFactory(facility=facility_a), kind="religion",
            starts_at=at, ends_at=at + datetime.timedelta(hours=1), created_by=members["staff"],
        )  # fmt: skip
        created.speakers.add(hasan)

    session(21)
    with django_assert_num_queries(8):
        assert client.get(hasan.get_absolute_url()).status_code == 200
    for day in range(22, 30):
        session(day)
    with django_assert_num_queries(8):
        assert client.get(hasan.get_absolute_url()).status_code == 200
