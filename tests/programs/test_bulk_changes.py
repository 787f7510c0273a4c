"""Cancelling or moving all the planned sessions of a cohort (or meetings of a course) still to
come, from a date on: a preview naming every clash, one atomic save, held sessions and their
attendance untouched, each change audited and shown on the today page, and a save over a
schedule that changed since the preview refused with nothing written."""

from __future__ import annotations

import datetime
import re
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.test import Client
from django.urls import reverse

from programs.models import Cohort, CourseMeeting, Session
from programs.scheduling import bulk
from programs.scheduling import services as scheduling
from programs.tiers import services
from rehab import versions
from rehab.models import AuditEntry
from reports import indicators
from tests.factories import CohortFactory, CourseFactory
from tests.programs.test_schedule_preview import fill

pytestmark = [pytest.mark.django_db, pytest.mark.clock("2026-11-23T10:00+08:00")]
WITA = ZoneInfo("Asia/Makassar")


def at(month: int, day: int, hour: int) -> datetime.datetime:
    return datetime.datetime(2026, month, day, hour, tzinfo=WITA)


def sessions(cohort: Cohort, by: Any, days: list[tuple[int, int]]) -> list[Session]:
    return [
        Session.objects.create(
            facility=cohort.facility, cohort=cohort, kind="group", place="Aula",
            starts_at=at(month, day, 9), ends_at=at(month, day, 11), created_by=by,
        )
        for month, day in days
    ]  # fmt: skip


@pytest.fixture
def cohort(facility_a: Any) -> Cohort:
    return CohortFactory(
        facility=facility_a, start_date=datetime.date(2026, 11, 16),
        end_date=datetime.date(2026, 12, 11), capacity=40, place="Aula",
    )  # fmt: skip


@pytest.fixture
def schedule(cohort: Cohort, members: dict[str, Any], clock: Any) -> dict[str, Any]:
    """One session held last week with attendance, three planned ones to come."""
    by = members["counselor"]
    people = fill(cohort, by, 2)
    held, *planned = sessions(cohort, by, [(11, 18), (11, 25), (11, 27), (11, 30)])
    clock.move_to(at(11, 18, 12))
    services.attendance_save(
        session=held, by=by, expected_version=None,
        marks={people[0].pk: "present", people[1].pk: "absent"},
    )  # fmt: skip
    clock.move_to(at(11, 23, 10))
    return {"people": people, "held": held, "planned": planned}


@pytest.fixture
def counselor(client: Client, members: dict[str, Any]) -> Client:
    client.force_login(members["counselor"])
    return client


def url(cohort: Cohort) -> str:
    return reverse("programs:cohort_change_all", args=[cohort.pk])


MOVE = {"since": "23-11-2026", "action": "move", "shift_days": "1", "start": "",
        "reason": "Aula dipakai pelatihan BLK"}  # fmt: skip
CANCEL = {"since": "23-11-2026", "action": "cancel", "shift_days": "0", "start": "",
          "reason": "Banjir di blok hunian"}  # fmt: skip


def preview(client: Client, cohort: Cohort, data: dict[str, str]) -> str:
    response = client.post(url(cohort), {**data, "step": "preview"})
    assert response.status_code == 200
    return response.context["plan"].token


def test_cancelling_all_leaves_the_held_session_and_its_attendance_untouched(
    counselor: Client, cohort: Cohort, schedule: dict[str, Any]
) -> None:
    held = schedule["held"]
    marks = sorted(held.attendance.values_list("enrolment_id", "status"))
    token = preview(counselor, cohort, {**CANCEL, "since": "16-11-2026"})
    response = counselor.post(url(cohort), {**CANCEL, "since": "16-11-2026", "token": token,
                                            "step": "save_all"})  # fmt: skip
    assert response.status_code == 302
    held.refresh_from_db()
    assert held.status == "held" and held.starts_at == at(11, 18, 9)
    assert sorted(held.attendance.values_list("enrolment_id", "status")) == marks
    for s in schedule["planned"]:
        s.refresh_from_db()
        assert (s.status, s.cancel_reason) == ("cancelled", "Banjir di blok hunian")
        assert s.changed_at is not None
    entries = AuditEntry.objects.filter(action="programs.session.cancelled")
    assert entries.count() == 3


def test_a_cancelled_batch_takes_no_attendance_and_leaves_the_reports_count_with_its_reason(
    cohort: Cohort, schedule: dict[str, Any], members: dict[str, Any], clock: Any
) -> None:
    by, people = members["counselor"], schedule["people"]
    since = datetime.date(2026, 11, 23)
    plan = bulk.plan(owner=cohort, since=since, action=bulk.CANCEL)
    bulk.apply(owner=cohort, by=by, since=since, action=bulk.CANCEL,
               reason="Banjir di blok hunian", token=plan.token)  # fmt: skip
    clock.move_to(at(11, 25, 12))
    first = schedule["planned"][0]
    first.refresh_from_db()
    with pytest.raises(services.TransitionRefused, match="dibatalkan"):
        services.attendance_save(
            session=first, by=by, marks={people[0].pk: "present"}, expected_version=None
        )
    counts = indicators.sessions(
        cohort.facility_id, datetime.date(2026, 11, 1), datetime.date(2026, 12, 1), tz=WITA
    )
    assert (counts["held"], counts["cancelled"]) == (1, 3)
    assert not Session.objects.filter(cohort=cohort, status="planned").exists()
    assert set(Session.objects.filter(status="cancelled").values_list("cancel_reason", flat=True))\
        == {"Banjir di blok hunian"}  # fmt: skip
    assert not first.attendance.exists()


def test_the_preview_names_the_clashes_of_the_new_times_and_writes_nothing(
    counselor: Client,
    cohort: Cohort,
    schedule: dict[str, Any],
    members: dict[str, Any],
    facility_a: Any,
) -> None:
    person = schedule["people"][0].inmate
    scheduling.block_create(
        inmate=person, by=members["staff"],
        data={"kind": "court", "date": datetime.date(2026, 11, 26),
              "start_time": datetime.time(8), "end_time": datetime.time(12),
              "court": "PN Banjarnegara", "case_number": "", "note": ""},
    )  # fmt: skip
    response = counselor.post(url(cohort), {**MOVE, "step": "preview"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "3 jadwal dipindahkan" in page and "1 bentrok" in page
    assert f"{person.full_name}: Sidang pengadilan" in page and "PN Banjarnegara" in page
    assert "1 jadwal yang sudah terlaksana" not in page  # from the 23rd: the held one is before
    assert [s.starts_at for s in Session.objects.filter(status="planned")] == [
        at(11, 25, 9), at(11, 27, 9), at(11, 30, 9)
    ]  # fmt: skip
    assert not AuditEntry.objects.filter(action="programs.session.moved").exists()


def test_moving_all_by_a_day_or_to_a_new_hour_keeps_the_length_and_shows_on_the_today_page(
    counselor: Client, cohort: Cohort, schedule: dict[str, Any]
) -> None:
    data = {**MOVE, "shift_days": "1", "start": "13:00"}
    token = preview(counselor, cohort, data)
    response = counselor.post(url(cohort), {**data, "token": token, "step": "save_all"})
    assert response.status_code == 302
    moved = list(Session.objects.filter(cohort=cohort, status="planned").order_by("starts_at"))
    assert [(s.starts_at, s.ends_at) for s in moved] == [
        (at(11, d, 13), at(11, d, 15)) for d in (26, 28)
    ] + [(at(12, 1, 13), at(12, 1, 15))]  # fmt: skip
    assert [s.previous_starts_at for s in moved] == [at(11, 25, 9), at(11, 27, 9), at(11, 30, 9)]
    assert AuditEntry.objects.filter(action="programs.session.moved").count() == 3
    page = counselor.get(reverse("today")).content.decode()
    assert "Jadwal yang berubah" in page and "Aula dipakai pelatihan BLK" in page


def test_a_save_over_a_schedule_changed_since_the_preview_writes_nothing_and_says_so(
    counselor: Client, cohort: Cohort, schedule: dict[str, Any], members: dict[str, Any]
) -> None:
    token = preview(counselor, cohort, MOVE)
    one = schedule["planned"][1]
    scheduling.reschedule(
        item=one, by=members["staff"], starts_at=at(11, 27, 13), ends_at=at(11, 27, 15),
        reason="Konselor cuti", version=one.version,
    )  # fmt: skip
    response = counselor.post(url(cohort), {**MOVE, "token": token, "step": "save_all"})
    assert response.status_code == 409
    assert "sudah diubah orang lain sejak pratinjau dibuka" in response.content.decode()
    assert response.context["plan"].token != token  # the fresh preview can be saved
    times = sorted(Session.objects.filter(status="planned").values_list("starts_at", flat=True))
    assert times == [at(11, 25, 9), at(11, 27, 13), at(11, 30, 9)]
    assert AuditEntry.objects.filter(action="programs.session.moved").count() == 1
    with pytest.raises(versions.EditConflict):
        bulk.apply(owner=cohort, by=members["counselor"], since=datetime.date(2026, 11, 23),
                   action=bulk.CANCEL, reason="x", token=token)  # fmt: skip


def test_a_move_out_of_the_cohorts_dates_or_without_a_reason_is_refused(
    counselor: Client, cohort: Cohort, schedule: dict[str, Any]
) -> None:
    response = counselor.post(url(cohort), {**MOVE, "shift_days": "14", "step": "preview"})
    page = response.content.decode()
    assert "di luar masa" in page and 'value="save_all"' not in page
    response = counselor.post(url(cohort), {**MOVE, "reason": "", "step": "preview"})
    assert "Tuliskan alasan perubahan jadwal." in response.content.decode()
    response = counselor.post(url(cohort), {**MOVE, "shift_days": "0", "step": "preview"})
    assert "Isi pergeseran hari atau jam mulai baru." in response.content.decode()
    response = counselor.post(url(cohort), {**MOVE, "shift_days": "400", "step": "preview"})
    assert response.status_code == 200 and "plan" not in response.context
    assert Session.objects.filter(status="planned").count() == 3


def test_a_course_cancels_all_its_meetings_to_come(
    client: Client, facility_a: Any, members: dict[str, Any]
) -> None:
    course = CourseFactory(facility=facility_a, created_by=members["staff"])
    past, *coming = (
        CourseMeeting.objects.create(course=course, starts_at=at(11, d, 13), ends_at=at(11, d, 15))
        for d in (20, 24, 26)
    )  # fmt: skip
    client.force_login(members["staff"])
    target = reverse("programs:course_change_all", args=[course.pk])
    data = {**CANCEL, "reason": "Instruktur BLK sakit"}
    token = client.post(target, {**data, "step": "preview"}).context["plan"].token
    assert client.post(target, {**data, "token": token, "step": "save_all"}).status_code == 302
    assert list(CourseMeeting.objects.filter(status="cancelled").order_by("starts_at")) == coming
    past.refresh_from_db()
    assert past.status == "planned"
    assert AuditEntry.objects.filter(action="programs.meeting.cancelled").count() == 2


def test_a_stranger_gets_404_and_the_health_worker_403(
    client: Client, cohort: Cohort, members: dict[str, Any], stranger: Any
) -> None:
    client.force_login(stranger)
    assert client.get(url(cohort)).status_code == 404
    client.force_login(members["health"])
    assert client.post(url(cohort), {**CANCEL, "step": "preview"}).status_code == 403


def test_the_preview_costs_the_same_queries_for_three_sessions_and_for_forty(
    counselor: Client,
    facility_a: Any,
    members: dict[str, Any],
    django_assert_num_queries: Any,
) -> None:
    counselor.get(reverse("today"))  # the first request of a session looks up its time zone
    by = members["counselor"]
    small = CohortFactory(facility=facility_a, start_date=datetime.date(2026, 11, 16),
                          end_date=datetime.date(2026, 12, 11), capacity=40)  # fmt: skip
    large = CohortFactory(facility=facility_a, start_date=datetime.date(2026, 11, 16),
                          end_date=datetime.date(2027, 3, 1), capacity=40)  # fmt: skip
    fill(small, by, 1)
    fill(large, by, 6)
    sessions(small, by, [(11, 25), (11, 27), (11, 30)])
    first = at(11, 24, 9)
    Session.objects.bulk_create(
        Session(facility=facility_a, cohort=large, kind="group", place="Aula", created_by=by,
                starts_at=first + datetime.timedelta(days=2 * n),
                ends_at=first + datetime.timedelta(days=2 * n, hours=2))
        for n in range(40)
    )  # fmt: skip
    for session in Session.objects.filter(cohort__in=[small, large]):
        session.facilitators.add(by)
    expected = 16  # + the session saved (3: the time zone it looked up on the first page)
    for cohort in (small, large):
        with django_assert_num_queries(expected):
            response = counselor.post(url(cohort), {**MOVE, "step": "preview"})
            assert response.status_code == 200
    page = response.content.decode()
    assert "40 jadwal dipindahkan" in page


def test_moving_a_courses_meetings_names_another_course_in_the_room_and_saves_without_it(
    client: Client, facility_a: Any, members: dict[str, Any]
) -> None:
    course = CourseFactory(facility=facility_a, place="Bengkel", created_by=members["staff"])
    other = CourseFactory(facility=facility_a, name="Las", place="bengkel",
                          created_by=members["staff"])  # fmt: skip
    CourseMeeting.objects.create(course=other, starts_at=at(11, 25, 13), ends_at=at(11, 25, 15))
    first, second = (
        CourseMeeting.objects.create(course=course, starts_at=at(11, d, 13), ends_at=at(11, d, 15))
        for d in (24, 26)
    )  # fmt: skip
    client.force_login(members["staff"])
    target = reverse("programs:course_change_all", args=[course.pk])
    data = {**MOVE, "reason": "Instruktur BLK berhalangan"}
    response = client.post(target, {**data, "step": "preview"})
    page = response.content.decode()
    assert "2 jadwal dipindahkan" in page and "pelatihan lain di bengkel: Las" in page
    token = response.context["plan"].token
    assert client.post(target, {**data, "token": token, "step": "save_clean"}).status_code == 302
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.starts_at, second.starts_at) == (at(11, 24, 13), at(11, 27, 13))
    assert second.change_reason == "Instruktur BLK berhalangan"
    assert AuditEntry.objects.filter(action="programs.meeting.moved").count() == 1


def test_the_preview_form_carries_the_choice_and_its_token_to_the_save(
    counselor: Client, cohort: Cohort, schedule: dict[str, Any]
) -> None:
    page = counselor.post(url(cohort), {**CANCEL, "step": "preview"}).content.decode()
    form = page[page.index('<form method="post" class="d-flex') :]
    hidden = dict(re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)"', form))
    assert hidden["action"] == "cancel" and hidden["since"] == "23-11-2026"
    assert len(hidden["token"]) == 64
    response = counselor.post(url(cohort), {**hidden, "step": "save_all"})
    assert response.status_code == 302
    assert Session.objects.filter(cohort=cohort, status="cancelled").count() == 3
