"""The facility's rooms with their capacity: staff and the warden keep the list (a version check,
deactivate instead of delete, one name per facility whatever the case); a schedule, a cohort or a
course placed in a room too small for its participants is refused beside the place field, and
the clash check names it."""

from __future__ import annotations

import datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.test import Client
from django.urls import reverse

from programs.models import Cohort, Course, Room, Session
from programs.scheduling import clashes
from programs.scheduling import rooms as room_services
from programs.skills import services as skills
from programs.skills.forms import CourseForm
from programs.tiers import services
from programs.tiers.forms import CohortForm
from rehab.models import AuditEntry
from tests.factories import CohortFactory, CourseFactory, InmateFactory, signed_assessment

pytestmark = [pytest.mark.django_db, pytest.mark.clock("2026-11-20T10:00+08:00")]
WITA = ZoneInfo("Asia/Makassar")
MWF = {"weekdays": ["0", "2", "4"], "start": "09:00", "end": "11:00", "kind": "group"}
TOO_SMALL = "Kapasitas Ruang Konseling 2 orang, kurang dari 3 peserta."


def fill(cohort: Cohort, by: Any, size: int) -> list[Any]:
    people = []
    for _ in range(size):
        inmate = InmateFactory(facility=cohort.facility)
        e = services.enrolment_propose(
            inmate=inmate, track=cohort.track, cohort=cohort,
            assessment=signed_assessment(inmate), by=by,
        )  # fmt: skip
        people.append(services.enrolment_move(enrolment=e, to="placed", by=by, reason="Setuju"))
    return people


@pytest.fixture
def staff(client: Client, members: dict[str, Any]) -> Client:
    client.force_login(members["staff"])
    return client


@pytest.fixture
def rooms(facility_a: Any, members: dict[str, Any]) -> dict[str, Room]:
    by = members["staff"]
    return {
        "aula": Room.objects.create(facility=facility_a, name="Aula", capacity=30, created_by=by),
        "konseling": Room.objects.create(
            facility=facility_a, name="Ruang Konseling", capacity=2, created_by=by
        ),
    }


@pytest.fixture
def cohort(facility_a: Any, members: dict[str, Any]) -> Cohort:
    """A Ringan cohort from Monday 23 November with three placed participants."""
    cohort = CohortFactory(
        facility=facility_a, start_date=datetime.date(2026, 11, 23),
        end_date=datetime.date(2026, 12, 7), capacity=20, place="Aula",
    )  # fmt: skip
    fill(cohort, members["counselor"], 3)
    return cohort


# --- The list of rooms -------------------------------------------------------------------------


def test_staff_add_a_room_and_it_is_listed_with_its_capacity_and_history(
    staff: Client, facility_a: Any
) -> None:
    data = {"facility": facility_a.pk, "name": " Aula Pembinaan ", "capacity": "40",
            "active": "on"}  # fmt: skip
    response = staff.post(reverse("programs:room_create"), data)
    assert response.status_code == 302
    room = Room.objects.get()
    assert (room.name, room.capacity, room.active) == ("Aula Pembinaan", 40, True)
    assert AuditEntry.objects.filter(action="programs.room.created", target_id=room.pk).exists()
    page = staff.get(reverse("programs:room_list")).content.decode()
    assert "Aula Pembinaan" in page and "40 orang" in page
    calendar = staff.get(reverse("programs:activity_list")).content.decode()
    assert reverse("programs:room_list") in calendar


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"name": "aula"}, "name", "UPT ini sudah punya ruang bernama aula."),
        ({"name": ""}, "name", "Isi nama ruangnya."),
        ({"name": "R" * 121}, "name",
         "Pastikan nilai ini mengandung paling banyak 120 karakter (sekarang 121 karakter)."),
        ({"capacity": "0"}, "capacity", "Kapasitas paling sedikit 1."),
        ({"capacity": "201"}, "capacity", "Kapasitas paling banyak 200."),
        ({"capacity": ""}, "capacity", "Isi kapasitas ruang."),
    ],
)  # fmt: skip
def test_bad_room_input_is_explained_beside_the_field_and_nothing_is_saved(
    staff: Client,
    facility_a: Any,
    rooms: dict[str, Room],
    change: dict[str, str],
    field: str,
    message: str,
) -> None:
    data = {"facility": facility_a.pk, "name": "Ruang Baru", "capacity": "10", **change}
    response = staff.post(reverse("programs:room_create"), data)
    assert response.status_code == 200
    assert response.context["form"].errors[field] == [message]
    assert Room.objects.count() == 2


def test_the_same_name_in_another_facility_is_another_room(
    client: Client, facility_b: Any, stranger: Any, rooms: dict[str, Room]
) -> None:
    client.force_login(stranger)
    data = {"facility": facility_b.pk, "name": "AULA", "capacity": "25", "active": "on"}
    assert client.post(reverse("programs:room_create"), data).status_code == 302
    assert Room.objects.filter(name__iexact="aula").count() == 2


def test_a_correction_over_a_newer_one_is_a_conflict_and_a_room_is_deactivated_not_deleted(
    staff: Client, rooms: dict[str, Room]
) -> None:
    room = rooms["aula"]
    url = reverse("programs:room_edit", args=[room.pk])
    data = {"name": "Aula", "capacity": "35", "active": "", "version": "1"}
    assert staff.post(url, data).status_code == 302
    room.refresh_from_db()
    assert (room.capacity, room.active, room.version) == (35, False, 2)
    stale = staff.post(url, {**data, "capacity": "50"})  # a second tab opened at version 1
    assert stale.status_code == 409
    assert "sudah diubah oleh" in stale.content.decode()
    assert Room.objects.get(pk=room.pk).capacity == 35
    assert AuditEntry.objects.filter(action="programs.room.updated").count() == 1
    # Renaming to its own name in another case is no clash with itself.
    assert staff.post(url, {**data, "name": "AULA", "version": "2"}).status_code == 302
    # Inactive: still listed, marked so.
    page = staff.get(reverse("programs:room_list")).content.decode()
    assert "AULA" in page and "Tidak aktif" in page


@pytest.mark.parametrize("role", ["counselor", "health", "supervisor"])
def test_only_staff_and_the_warden_manage_rooms(
    client: Client, members: dict[str, Any], facility_a: Any, rooms: dict[str, Room], role: str
) -> None:
    client.force_login(members[role])
    data = {"facility": facility_a.pk, "name": "Gudang", "capacity": "5"}
    assert client.post(reverse("programs:room_create"), data).status_code == 403
    edit = reverse("programs:room_edit", args=[rooms["aula"].pk])
    assert client.post(edit, {"name": "X", "capacity": "1", "version": "1"}).status_code == 403
    listed = client.get(reverse("programs:room_list")).status_code
    assert listed == (200 if role == "counselor" else 403)
    assert Room.objects.count() == 2


def test_the_warden_manages_rooms_and_a_stranger_gets_404(
    client: Client, members: dict[str, Any], facility_a: Any, stranger: Any,
    rooms: dict[str, Room],
) -> None:  # fmt: skip
    client.force_login(members["warden"])
    data = {"facility": facility_a.pk, "name": "Gudang", "capacity": "5", "active": "on"}
    assert client.post(reverse("programs:room_create"), data).status_code == 302
    client.force_login(stranger)
    edit = reverse("programs:room_edit", args=[rooms["aula"].pk])
    assert client.get(edit).status_code == 404


def test_the_room_list_costs_the_same_queries_for_one_room_and_many(
    staff: Client, facility_a: Any, members: dict[str, Any], django_assert_num_queries: Any
) -> None:
    Room.objects.create(facility=facility_a, name="Aula", capacity=30, created_by=members["staff"])
    staff.get(reverse("programs:room_list"))
    # The sign-in, the memberships, the page chrome (as on the calendar page), then the rooms.
    with django_assert_num_queries(7):
        staff.get(reverse("programs:room_list"))
    for n in range(30):
        Room.objects.create(facility=facility_a, name=f"Ruang {n}", capacity=10 + n,
                            created_by=members["staff"], active=n % 3 > 0)  # fmt: skip
    with django_assert_num_queries(7):
        page = staff.get(reverse("programs:room_list")).content.decode()
    assert "Ruang 29" in page


# --- Over capacity ------------------------------------------------------------------------------


@pytest.fixture
def counselor(client: Client, members: dict[str, Any]) -> Client:
    client.force_login(members["counselor"])
    return client


def test_the_schedule_form_offers_the_active_rooms_and_still_takes_any_place(
    counselor: Client, cohort: Cohort, rooms: dict[str, Room], members: dict[str, Any]
) -> None:
    Room.objects.create(facility=cohort.facility, name="Gudang lama", capacity=50,
                        created_by=members["staff"], active=False)  # fmt: skip
    page = counselor.get(reverse("programs:schedule", args=[cohort.pk])).content.decode()
    assert '<datalist id="id_place-list">' in page and 'list="id_place-list"' in page
    assert 'maxlength="120"' in page.split('list="id_place-list"')[0].rsplit("<input", 1)[1]
    assert '<option value="Ruang Konseling">kapasitas 2 orang</option>' in page
    assert "Gudang lama" not in page
    response = counselor.post(
        reverse("programs:schedule", args=[cohort.pk]), {**MWF, "place": "Lapangan"}
    )
    assert response.status_code == 200 and "7 sesi baru" in response.content.decode()


def test_a_schedule_in_a_room_too_small_is_refused_beside_the_place_and_nothing_is_saved(
    counselor: Client, cohort: Cohort, rooms: dict[str, Room]
) -> None:
    url = reverse("programs:schedule", args=[cohort.pk])
    for step in ("preview", "save_all", "save_clean"):
        data = {**MWF, "place": "ruang konseling", "step": step}
        response = counselor.post(url, data)
        assert response.status_code == 200
        assert response.context["form"].errors["place"] == [TOO_SMALL]
        assert TOO_SMALL in response.content.decode()
        assert 'value="ruang konseling"' in response.content.decode()  # what was typed stays
    assert not Session.objects.filter(cohort=cohort).exists()
    # The cohort's own place is used when the field is left empty: the Aula seats them.
    assert counselor.post(url, {**MWF, "place": "", "step": "save_all"}).status_code == 302
    assert Session.objects.filter(cohort=cohort, place="Aula").count() == 7


def test_the_cohort_edit_refuses_a_room_smaller_than_its_participants(
    cohort: Cohort, rooms: dict[str, Room]
) -> None:
    data = {"name": cohort.name, "start_date": "23-11-2026", "end_date": "07-12-2026",
            "capacity": "20", "place": "Ruang Konseling", "reason": "Pindah ruang",
            "version": str(cohort.version)}  # fmt: skip
    form = CohortForm(data, instance=cohort)
    assert not form.is_valid()
    assert form.errors["place"] == [TOO_SMALL]
    assert CohortForm({**data, "place": "Aula"}, instance=cohort).is_valid()


def test_a_course_in_a_room_smaller_than_its_trainees_is_refused(
    facility_a: Any, members: dict[str, Any], rooms: dict[str, Room]
) -> None:
    course = CourseFactory(facility=facility_a, place="Aula", created_by=members["staff"])
    for _ in range(3):
        skills.trainee_enrol(course=course, inmate=InmateFactory(facility=facility_a),
                             by=members["staff"])  # fmt: skip
    data = {
        "kind": course.kind, "name": course.name, "provider_kind": course.provider_kind,
        "provider_name": course.provider_name, "hours": "80", "capacity": "12",
        "start_date": "02-11-2026", "end_date": "11-12-2026", "place": "Ruang Konseling",
        "competency_standard": course.competency_standard,
        "certificate_issuer": course.certificate_issuer, "reason": "Pindah ruang",
        "version": str(course.version),
    }  # fmt: skip
    form = CourseForm(data, instance=course)
    assert not form.is_valid()
    assert form.errors["place"] == [TOO_SMALL]
    assert Course.objects.get(pk=course.pk).place == "Aula"
    assert CourseForm({**data, "place": "Bengkel jahit"}, instance=course).is_valid()


def test_the_clash_check_names_a_room_too_small_for_the_participants(
    facility_a: Any, rooms: dict[str, Room]
) -> None:
    start = datetime.datetime(2026, 11, 23, 9, tzinfo=WITA)
    slots = [clashes.Slot(start, start + datetime.timedelta(hours=2), "Ruang konseling"),
             clashes.Slot(start, start + datetime.timedelta(hours=2), "Aula")]  # fmt: skip
    found = clashes.find(facility_id=facility_a.pk, tz=WITA, slots=slots, participants=3)
    assert found == [[TOO_SMALL], []]
    assert clashes.find(facility_id=facility_a.pk, tz=WITA, slots=slots) == [[], []]


def test_a_name_taken_meanwhile_is_refused_by_the_database_not_a_500(
    facility_a: Any, members: dict[str, Any], rooms: dict[str, Room]
) -> None:
    data = {"name": "AULA", "capacity": 10, "active": True}
    with pytest.raises(room_services.RoomNameTaken):
        room_services.room_create(facility_id=facility_a.pk, by=members["staff"], data=data)
    with pytest.raises(room_services.RoomNameTaken):
        room_services.room_update(
            room=rooms["konseling"], by=members["staff"], data=data, expected_version=1
        )
    assert Room.objects.get(pk=rooms["konseling"].pk).version == 1
    assert not AuditEntry.objects.filter(action__startswith="programs.room.").exists()


def test_the_schedule_preview_names_a_room_too_small_for_the_cohort(
    cohort: Cohort, rooms: dict[str, Room]
) -> None:
    plan = services.schedule_plan(
        cohort=cohort, weekdays=[0, 2, 4], start=datetime.time(9), end=datetime.time(11),
        kind="group", place="Ruang Konseling",
    )  # fmt: skip
    assert len(plan.new) == 7
    assert all(p.clashes == [TOO_SMALL] for p in plan.new)
