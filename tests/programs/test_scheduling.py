"""Moving and cancelling planned group sessions and course meetings (one rule set for both),
and the today page that shows the changes to the people who run them."""

from __future__ import annotations

import datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.test import Client
from django.urls import reverse

from programs.models import CourseMeeting, Session
from programs.scheduling import services as scheduling
from programs.tiers import services
from rehab.models import AuditEntry
from reports import indicators
from tests.factories import CourseFactory
from tests.programs.test_views import placed_cohort

pytestmark = [pytest.mark.django_db, pytest.mark.clock("2026-11-23T10:00+08:00")]
WITA = ZoneInfo("Asia/Makassar")


def at(day: int, hour: int) -> datetime.datetime:
    return datetime.datetime(2026, 11, day, hour, tzinfo=WITA)


@pytest.fixture
def session(facility_a: Any, members: dict[str, Any]) -> Session:
    cohort, _people = placed_cohort(facility_a, members["counselor"], 2)
    return Session.objects.create(
        facility=facility_a, cohort=cohort, kind="group", starts_at=at(25, 9), ends_at=at(25, 11),
        created_by=members["counselor"],
    )  # fmt: skip


@pytest.fixture
def meeting(facility_a: Any, members: dict[str, Any]) -> CourseMeeting:
    course = CourseFactory(facility=facility_a, created_by=members["staff"])
    return CourseMeeting.objects.create(course=course, starts_at=at(26, 13), ends_at=at(26, 15))


def login(client: Client, user: Any) -> Client:
    client.force_login(user)
    return client


@pytest.mark.parametrize("kind", ["session", "meeting"])
def test_a_planned_item_is_moved_with_its_reason_and_history(
    client: Client, members: dict[str, Any], session: Session, meeting: CourseMeeting, kind: str
) -> None:
    item = session if kind == "session" else meeting
    login(client, members["counselor"])
    url = reverse(f"programs:{kind}_reschedule", args=[item.pk])
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {"day": "27-11-2026", "start": "08:00", "end": "10:00", "reason": "Aula dipakai sidang",
         "version": item.version},
    )  # fmt: skip
    assert response.status_code == 302
    item.refresh_from_db()
    assert (item.starts_at, item.ends_at) == (at(27, 8), at(27, 10))
    assert item.previous_starts_at == at(
        25 if kind == "session" else 26, 9 if kind == "session" else 13
    )
    assert item.change_reason == "Aula dipakai sidang"
    entry = AuditEntry.objects.get(action=f"programs.{kind}.moved")
    assert entry.actor == members["counselor"]
    assert "starts_at" in entry.changes and "change_reason" in entry.changes
    page = client.get(item.get_absolute_url()).content.decode()
    assert "Dipindah dari" in page and "Aula dipakai sidang" in page


@pytest.mark.parametrize("kind", ["session", "meeting"])
def test_a_move_without_a_reason_or_ending_before_it_starts_is_refused_and_keeps_the_typing(
    client: Client, members: dict[str, Any], session: Session, meeting: CourseMeeting, kind: str
) -> None:
    item = session if kind == "session" else meeting
    login(client, members["staff"])
    url = reverse(f"programs:{kind}_reschedule", args=[item.pk])
    response = client.post(
        url, {"day": "27-11-2026", "start": "10:00", "end": "09:00", "reason": "",
              "version": item.version},
    )  # fmt: skip
    page = response.content.decode()
    assert response.status_code == 200
    assert "Tuliskan alasan pindah jadwal." in page
    assert "Jam selesai harus sesudah jam mulai." in page
    assert 'value="27-11-2026"' in page
    before = (item.starts_at, item.ends_at)
    item.refresh_from_db()
    assert (item.starts_at, item.ends_at) == before
    assert not AuditEntry.objects.filter(action__endswith=".moved").exists()


def test_a_stale_move_is_refused_naming_who_changed_it(
    client: Client, members: dict[str, Any], session: Session
) -> None:
    opened_at = session.version
    scheduling.reschedule(
        item=session, by=members["staff"], starts_at=at(25, 13), ends_at=at(25, 15),
        reason="Dokter datang pagi", version=opened_at,
    )  # fmt: skip
    login(client, members["counselor"])
    response = client.post(
        reverse("programs:session_reschedule", args=[session.pk]),
        {"day": "28-11-2026", "start": "08:00", "end": "09:00", "reason": "Libur",
         "version": opened_at},
    )  # fmt: skip
    assert response.status_code == 409
    page = response.content.decode()
    assert "Libur" in page  # what this user typed is still there
    assert "Jadwal tersimpan" in page
    session.refresh_from_db()
    assert session.starts_at == at(25, 13)


@pytest.mark.parametrize("kind", ["session", "meeting"])
def test_a_planned_item_is_cancelled_with_its_reason_and_a_stale_or_empty_cancel_is_not(
    client: Client, members: dict[str, Any], session: Session, meeting: CourseMeeting, kind: str
) -> None:
    item = session if kind == "session" else meeting
    login(client, members["counselor"])
    url = reverse(f"programs:{kind}_cancel", args=[item.pk])
    refused = client.post(url, {"reason": "", "version": item.version}, follow=True)
    assert "Tuliskan alasan pembatalan." in refused.content.decode()
    stale = client.post(url, {"reason": "Banjir", "version": item.version + 5}, follow=True)
    assert "sudah diubah orang lain" in stale.content.decode()
    item.refresh_from_db()
    assert item.status == "planned"
    client.post(url, {"reason": "Banjir", "version": item.version})
    item.refresh_from_db()
    assert (item.status, item.cancel_reason) == ("cancelled", "Banjir")
    assert AuditEntry.objects.filter(action=f"programs.{kind}.cancelled").count() == 1
    with pytest.raises(scheduling.ScheduleRefused, match="sudah dibatalkan"):
        scheduling.reschedule(
            item=item, by=members["counselor"], starts_at=at(28, 8), ends_at=at(28, 9),
            reason="Ganti", version=item.version,
        )  # fmt: skip


def test_a_held_session_keeps_its_date(members: dict[str, Any], session: Session) -> None:
    session.starts_at, session.ends_at = at(23, 7), at(23, 9)  # this morning, already held
    session.save()
    services.attendance_save(session=session, by=members["counselor"], marks={},
                             expected_version=session.version)  # fmt: skip
    session.refresh_from_db()
    with pytest.raises(scheduling.ScheduleRefused, match="sudah terlaksana"):
        scheduling.cancel(item=session, by=members["counselor"], reason="Salah", version=None)
    with pytest.raises(scheduling.ScheduleRefused, match="sudah terlaksana"):
        scheduling.reschedule(
            item=session, by=members["counselor"], starts_at=at(24, 8), ends_at=at(24, 9),
            reason="Salah tanggal", version=session.version,
        )  # fmt: skip
    assert Session.objects.get(pk=session.pk).status == "held"


def test_the_today_page_shows_the_changes_to_the_facilitys_counselors_only(
    client: Client,
    members: dict[str, Any],
    stranger: Any,
    session: Session,
    meeting: CourseMeeting,
) -> None:
    scheduling.cancel(item=meeting, by=members["staff"], reason="Instruktur BLK sakit",
                      version=meeting.version)  # fmt: skip
    scheduling.reschedule(
        item=session, by=members["staff"], starts_at=at(26, 9), ends_at=at(26, 11),
        reason="Aula dipakai sidang", version=session.version,
    )  # fmt: skip
    login(client, members["counselor"])
    page = client.get(reverse("today")).content.decode()
    assert "Jadwal yang berubah" in page
    assert "Instruktur BLK sakit" in page and "Dibatalkan" in page
    assert "Aula dipakai sidang" in page
    login(client, stranger)
    assert "Jadwal yang berubah" not in client.get(reverse("today")).content.decode()
    login(client, members["health"])
    assert "Aula dipakai sidang" not in client.get(reverse("today")).content.decode()


def test_moving_a_session_after_attendance_was_taken_for_earlier_ones_leaves_it_intact(
    facility_a: Any, members: dict[str, Any]
) -> None:
    by = members["counselor"]
    cohort, people = placed_cohort(facility_a, by, 2)
    earlier = Session.objects.create(
        facility=facility_a, cohort=cohort, kind="group", starts_at=at(23, 8),
        ends_at=at(23, 9), created_by=by,
    )  # fmt: skip
    later = Session.objects.create(
        facility=facility_a, cohort=cohort, kind="group", starts_at=at(25, 9),
        ends_at=at(25, 11), created_by=by,
    )  # fmt: skip
    services.attendance_save(
        session=earlier, by=by, expected_version=None,
        marks={people[0].pk: "present", people[1].pk: "absent"},
    )  # fmt: skip
    before = sorted(earlier.attendance.values_list("enrolment_id", "status"))
    scheduling.reschedule(
        item=later, by=by, starts_at=at(26, 13), ends_at=at(26, 15),
        reason="Aula dipakai sidang", version=later.version,
    )  # fmt: skip
    earlier.refresh_from_db()
    assert earlier.status == "held"
    assert sorted(earlier.attendance.values_list("enrolment_id", "status")) == before
    assert not later.attendance.exists()


def test_a_cancelled_session_takes_no_attendance_and_leaves_the_reports_count_with_its_reason(
    facility_a: Any, members: dict[str, Any], clock: Any
) -> None:
    by = members["counselor"]
    cohort, people = placed_cohort(facility_a, by, 1)
    held, cancelled = (
        Session.objects.create(
            facility=facility_a, cohort=cohort, kind="group", starts_at=at(day, 9),
            ends_at=at(day, 11), created_by=by,
        )
        for day in (23, 25)
    )  # fmt: skip
    scheduling.cancel(item=cancelled, by=by, reason="Banjir di blok hunian", version=None)
    clock.move_to(at(25, 12))
    services.attendance_save(
        session=held, by=by, marks={people[0].pk: "present"}, expected_version=None
    )
    with pytest.raises(services.TransitionRefused, match="dibatalkan"):
        services.attendance_save(
            session=cancelled, by=by, marks={people[0].pk: "present"}, expected_version=None
        )
    counts = indicators.sessions(
        facility_a.pk, datetime.date(2026, 11, 1), datetime.date(2026, 12, 1), tz=WITA
    )
    assert (counts["held"], counts["cancelled"]) == (1, 1)
    cancelled.refresh_from_db()
    assert cancelled.cancel_reason == "Banjir di blok hunian"
    assert not cancelled.attendance.exists()
