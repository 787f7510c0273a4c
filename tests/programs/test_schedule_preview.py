"""Generating a cohort's schedule: a preview names every clash before anything is written, the
user saves all or only the sessions without a clash, and regenerating is idempotent (the same
pattern writes nothing; a new one changes only the planned sessions still to come)."""

from __future__ import annotations

import datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.test import Client
from django.urls import reverse

from programs.models import Attendance, Cohort, FacilityActivity, Session
from programs.scheduling import clashes
from programs.scheduling import services as scheduling
from programs.tiers import services
from rehab.models import AuditEntry
from tests.factories import CohortFactory, InmateFactory, signed_assessment

pytestmark = [pytest.mark.django_db, pytest.mark.clock("2026-11-20T10:00+08:00")]
WITA = ZoneInfo("Asia/Makassar")
MWF = {"weekdays": ["0", "2", "4"], "start": "09:00", "end": "11:00", "kind": "group",
       "place": "Aula"}  # fmt: skip


def at(month: int, day: int, hour: int) -> datetime.datetime:
    return datetime.datetime(2026, month, day, hour, tzinfo=WITA)


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
def cohort(facility_a: Any, members: dict[str, Any]) -> Cohort:
    """A 15-day Ringan cohort from Monday 23 November: Mon-Wed-Fri makes 7 sessions."""
    return CohortFactory(
        facility=facility_a, start_date=datetime.date(2026, 11, 23),
        end_date=datetime.date(2026, 12, 7), capacity=20, place="Aula",
    )  # fmt: skip


@pytest.fixture
def counselor(client: Client, members: dict[str, Any]) -> Client:
    client.force_login(members["counselor"])
    return client


@pytest.fixture
def calendar(cohort: Cohort, members: dict[str, Any]) -> dict[str, Any]:
    """A holiday on Wednesday 25th, ibadah in the hall on Monday 30th 09:00 and a court hearing
    of one participant on Friday 27th in the morning."""
    people = fill(cohort, members["counselor"], 3)
    FacilityActivity.objects.create(
        facility=cohort.facility, title="Hari Guru Nasional", kind="holiday",
        date=datetime.date(2026, 11, 25),
    )  # fmt: skip
    FacilityActivity.objects.create(
        facility=cohort.facility, title="Ibadah bersama di Aula", kind="pembinaan",
        date=datetime.date(2026, 11, 30), start_time=datetime.time(9),
        end_time=datetime.time(10),
    )  # fmt: skip
    scheduling.block_create(
        inmate=people[1].inmate, by=members["staff"],
        data={"kind": "court", "date": datetime.date(2026, 11, 27),
              "start_time": datetime.time(8), "end_time": datetime.time(12),
              "court": "PN Tanah Grogot", "case_number": "45/2026", "note": ""},
    )  # fmt: skip
    return {"people": people}


def test_the_preview_names_every_clash_and_writes_nothing(
    counselor: Client, cohort: Cohort, calendar: dict[str, Any]
) -> None:
    url = reverse("programs:schedule", args=[cohort.pk])
    response = counselor.post(url, MWF)
    page = response.content.decode()
    assert response.status_code == 200
    assert not Session.objects.exists()
    assert not AuditEntry.objects.filter(action="programs.schedule.generated").exists()
    assert "7 sesi baru" in page and "3 bentrok" in page
    assert "Hari Guru Nasional (Hari libur)" in page
    assert "Ibadah bersama di Aula (Program pembinaan lain)" in page
    hearing = calendar["people"][1].inmate.full_name
    assert f"{hearing}: Sidang pengadilan 08.00\u201312.00 WITA (PN Tanah Grogot)" in page
    assert page.count("data-clash") == 3
    assert "Simpan tanpa yang bentrok" in page


def test_saving_without_the_clashing_ones_writes_exactly_the_sessions_shown_clean(
    counselor: Client, cohort: Cohort, calendar: dict[str, Any]
) -> None:
    url = reverse("programs:schedule", args=[cohort.pk])
    plan = services.schedule_plan(
        cohort=cohort, weekdays=[0, 2, 4], start=datetime.time(9), end=datetime.time(11),
        kind="group", place="Aula",
    )  # fmt: skip
    clean = [p.starts_at for p in plan.new if not p.clashes]
    response = counselor.post(url, {**MWF, "step": "save_clean"}, follow=True)
    assert "4 sesi dijadwalkan." in response.content.decode()
    saved = list(Session.objects.filter(cohort=cohort).values_list("starts_at", flat=True))
    assert saved == clean == [at(11, 23, 9), at(12, 2, 9), at(12, 4, 9), at(12, 7, 9)]
    # Regenerating the same pattern offers only the three clashing times again; saving
    # without the clashing ones writes nothing new.
    again = counselor.post(url, MWF).content.decode()
    assert "3 sesi baru" in again and "3 bentrok" in again
    assert "4 sesi sudah terjadwal dan tidak diubah" in again
    counselor.post(url, {**MWF, "step": "save_clean"})
    assert Session.objects.filter(cohort=cohort).count() == 4
    assert AuditEntry.objects.filter(action="programs.schedule.generated").count() == 1


def test_save_all_keeps_the_clashing_ones_and_a_second_save_adds_nothing(
    counselor: Client, cohort: Cohort, calendar: dict[str, Any]
) -> None:
    url = reverse("programs:schedule", args=[cohort.pk])
    counselor.post(url, {**MWF, "step": "save_all"})
    assert Session.objects.filter(cohort=cohort).count() == 7
    page = counselor.post(url, MWF).content.decode()
    assert "Pola ini tidak mengubah apa pun" in page
    assert "7 sesi sudah terjadwal dan tidak diubah" in page
    counselor.post(url, {**MWF, "step": "save_all"})
    assert Session.objects.filter(cohort=cohort).count() == 7


def test_change_the_pattern_goes_back_to_the_form_with_what_was_typed(
    counselor: Client, cohort: Cohort
) -> None:
    url = reverse("programs:schedule", args=[cohort.pk])
    response = counselor.post(url, {**MWF, "start": "13:30", "end": "15:00", "step": "change"})
    page = response.content.decode()
    assert response.status_code == 200 and 'value="13:30"' in page
    assert "Lihat pratinjau jadwal" in page
    assert not Session.objects.exists()


def test_an_end_before_the_start_is_refused_beside_the_field(
    counselor: Client, cohort: Cohort
) -> None:
    url = reverse("programs:schedule", args=[cohort.pk])
    for step in ("preview", "save_all"):
        response = counselor.post(url, {**MWF, "end": "08:00", "step": step})
        assert "Jam selesai harus sesudah jam mulai." in response.content.decode()
    assert not Session.objects.exists()


def test_a_new_pattern_changes_only_the_planned_sessions_still_to_come(
    cohort: Cohort, members: dict[str, Any], clock: Any
) -> None:
    by = members["counselor"]
    people = fill(cohort, by, 2)
    pattern = {"weekdays": [0, 2, 4], "start": datetime.time(9), "end": datetime.time(11),
               "kind": "group", "place": "Aula"}  # fmt: skip
    _plan, created = services.schedule_apply(cohort=cohort, by=by, **pattern)
    assert len(created) == 7
    first, second = created[0], created[1]
    clock.move_to(at(11, 25, 12))  # after the first two sessions
    services.attendance_save(
        session=first, by=by, marks={people[0].pk: "absent"}, expected_version=None
    )
    marks_before = list(Attendance.objects.values_list("session_id", "enrolment_id", "status"))
    # Tuesday and Thursday afternoons instead.
    new = {**pattern, "weekdays": [1, 3], "start": datetime.time(13), "end": datetime.time(15)}
    plan = services.schedule_plan(cohort=cohort, **new)
    assert [s.pk for s in plan.removed] == [s.pk for s in created[2:]]
    assert plan.past_skipped == 1  # Tuesday the 24th is over: no session is made in the past
    services.schedule_apply(cohort=cohort, by=by, **new)
    kept = Session.objects.filter(cohort=cohort, starts_at__lt=at(11, 26, 0))
    assert list(kept) == [first, second]  # held or past: untouched
    first.refresh_from_db()
    assert first.status == "held"
    assert list(Attendance.objects.values_list("session_id", "enrolment_id", "status")) == (
        marks_before
    )
    later = Session.objects.filter(cohort=cohort, starts_at__gte=at(11, 26, 0))
    assert [s.starts_at for s in later] == [
        at(11, 26, 13), at(12, 1, 13), at(12, 3, 13),
    ]  # fmt: skip
    entry = AuditEntry.objects.filter(action="programs.schedule.generated").order_by("id").last()
    assert entry.summary == "3 sesi baru, 0 diubah, 5 dihapus"


def test_a_moved_or_cancelled_session_is_not_made_again_by_the_same_pattern(
    cohort: Cohort, members: dict[str, Any]
) -> None:
    by = members["counselor"]
    pattern = {"weekdays": [0, 2, 4], "start": datetime.time(9), "end": datetime.time(11),
               "kind": "group", "place": "Aula"}  # fmt: skip
    _plan, created = services.schedule_apply(cohort=cohort, by=by, **pattern)
    scheduling.reschedule(
        item=created[1], by=by, starts_at=at(11, 26, 9), ends_at=at(11, 26, 11),
        reason="Aula dipakai sidang", version=None,
    )  # fmt: skip
    scheduling.cancel(item=created[2], by=by, reason="Banjir", version=None)
    plan = services.schedule_plan(cohort=cohort, **pattern)
    assert plan.changes_nothing and len(plan.kept) == 7
    # A new end time updates the planned sessions still to come, the moved one excepted.
    longer = services.schedule_plan(cohort=cohort, **{**pattern, "end": datetime.time(12)})
    assert len(longer.updated) == 5 and not longer.new and not longer.removed


def test_a_facilitator_leading_another_session_is_a_clash(
    facility_a: Any, members: dict[str, Any]
) -> None:
    other = CohortFactory(facility=facility_a)
    session = Session.objects.create(
        facility=facility_a, cohort=other, kind="group", place="Ruang 2",
        starts_at=at(11, 23, 10), ends_at=at(11, 23, 12), created_by=members["counselor"],
    )  # fmt: skip
    session.facilitators.add(members["counselor"])
    leader = frozenset({members["counselor"].pk})
    found = clashes.find(
        facility_id=facility_a.pk, tz=WITA,
        slots=[clashes.Slot(at(11, 23, 9), at(11, 23, 11), "Aula", leader),
               clashes.Slot(at(11, 23, 12), at(11, 23, 13), "Aula", leader)],
    )  # fmt: skip
    name = members["counselor"].get_full_name() or members["counselor"].username
    assert found == [[f"fasilitator {name} sudah bertugas: {other}"], []]


def test_the_preview_costs_the_same_queries_for_a_short_small_cohort_and_a_long_full_one(
    counselor: Client, facility_a: Any, members: dict[str, Any], django_assert_num_queries: Any
) -> None:
    counselor.get(reverse("today"))  # the first request of a session looks up its time zone
    small = CohortFactory(
        facility=facility_a, start_date=datetime.date(2026, 11, 23),
        end_date=datetime.date(2026, 11, 27),
    )  # fmt: skip
    people = fill(small, members["counselor"], 1)
    large = CohortFactory(
        facility=facility_a, start_date=datetime.date(2026, 11, 23),
        end_date=datetime.date(2027, 1, 21), capacity=40,
    )  # fmt: skip
    people += fill(large, members["counselor"], 8)
    for person in people:  # a clash in each: the suggestions cost one more clash check
        scheduling.block_create(
            inmate=person.inmate, by=members["staff"],
            data={"kind": "visit", "date": datetime.date(2026, 11, 25), "start_time": None,
                  "end_time": None, "court": "", "case_number": "", "note": ""},
        )  # fmt: skip
    # + the pairs kept apart (2), the clash check of the suggestions (3), the rooms offered (1),
    # the room of the place (1) and the periods with set hours (1 per clash check)
    expected = 21
    for cohort in (small, large):
        with django_assert_num_queries(expected):
            response = counselor.post(reverse("programs:schedule", args=[cohort.pk]), MWF)
            assert response.status_code == 200
    assert "26 sesi baru" in response.content.decode()


def test_a_clashing_session_gets_the_next_free_time_as_a_suggestion(
    counselor: Client, cohort: Cohort, calendar: dict[str, Any]
) -> None:
    plan = services.schedule_plan(
        cohort=cohort, weekdays=[0, 2, 4], start=datetime.time(9), end=datetime.time(11),
        kind="group", place="Aula",
    )  # fmt: skip
    suggested = {p.starts_at: p.suggestion for p in plan.new if p.clashes}
    assert suggested == {
        at(11, 25, 9): at(11, 26, 9),  # the holiday takes the whole day: the next day
        at(11, 27, 9): at(11, 27, 12),  # the hearing ends at 12:00
        at(11, 30, 9): at(11, 30, 10),  # the ibadah in the hall ends at 10:00
    }
    page = counselor.post(reverse("programs:schedule", args=[cohort.pk]), MWF).content.decode()
    assert page.count("data-suggestion") == 3
    assert "Waktu kosong terdekat: Kam, 26/11/2026 09.00 WITA" in page
