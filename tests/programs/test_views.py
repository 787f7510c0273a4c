"""Programme screens: cohort set-up, schedule with clashes, bulk enrolment, approvals,
one-screen attendance with a conflict message, and counselling notes."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from programs.completion import services as completion
from programs.models import (
    Attendance,
    Cohort,
    Enrolment,
    FacilityActivity,
    ProgressNote,
    Session,
)
from programs.tiers import services
from tests.factories import (
    CohortFactory,
    InmateFactory,
    TrackFactory,
    signed_assessment,
)

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.clock(datetime.datetime(2026, 11, 3, 1, 0, tzinfo=datetime.UTC)),
]


@pytest.fixture
def counselor(client: Client, members: dict[str, Any]) -> Client:
    client.force_login(members["counselor"])
    return client


def placed_cohort(facility: Any, user: Any, size: int) -> tuple[Cohort, list[Enrolment]]:
    cohort = CohortFactory(facility=facility, capacity=max(size, 1))
    people = []
    for _ in range(size):
        inmate = InmateFactory(facility=facility)
        e = services.enrolment_propose(
            inmate=inmate,
            track=cohort.track,
            cohort=cohort,
            assessment=signed_assessment(inmate),
            by=user,
        )
        people.append(
            services.enrolment_move(enrolment=e, to="placed", by=user, reason="Disetujui")
        )
    return cohort, people


def test_a_cohort_gets_its_end_date_from_the_track(counselor: Client, facility_a: Any) -> None:
    track = TrackFactory(name="Ringan 15 hari", duration_days=15)
    response = counselor.post(
        reverse("programs:cohort_create"),
        {
            "facility": facility_a.pk,
            "track": track.pk,
            "name": "Angkatan I",
            "start_date": "09-11-2026",
            "capacity": "20",
            "place": "Aula",
        },
    )
    cohort = Cohort.objects.get()
    assert response["Location"] == reverse("programs:schedule", args=[cohort.pk])
    assert cohort.end_date == datetime.date(2026, 11, 23)


def test_a_generated_schedule_names_the_clash_with_visiting_hours(
    counselor: Client, facility_a: Any
) -> None:
    cohort = CohortFactory(
        facility=facility_a,
        start_date=datetime.date(2026, 11, 2),
        end_date=datetime.date(2026, 11, 16),
    )
    FacilityActivity.objects.create(
        facility=facility_a,
        title="Jam kunjungan keluarga",
        kind="visiting",
        weekday=2,
        start_time=datetime.time(10),
        end_time=datetime.time(12),
    )
    pattern = {
        "weekdays": ["0", "2", "4"],
        "start": "09:00",
        "end": "11:00",
        "kind": "group",
        "place": "Aula",
    }
    url = reverse("programs:schedule", args=[cohort.pk])
    preview = counselor.post(url, pattern).content.decode()
    assert Session.objects.filter(cohort=cohort).count() == 0  # the preview writes nothing
    assert "7 sesi baru" in preview
    assert preview.count("Jam kunjungan keluarga") == 2  # the two Wednesdays
    response = counselor.post(url, {**pattern, "step": "save_all"}, follow=True)
    page = response.content.decode()
    assert Session.objects.filter(cohort=cohort).count() == 7  # Mon, Wed, Fri over 15 days
    assert "7 sesi dijadwalkan" in page
    first = Session.objects.filter(cohort=cohort).first()
    assert first.starts_at == datetime.datetime(
        2026, 11, 2, 1, 0, tzinfo=datetime.UTC
    )  # 09:00 WITA


def test_enrolment_proposes_the_chosen_wbp_and_the_warden_approves_them_together(
    counselor: Client, client: Client, members: dict[str, Any], facility_a: Any
) -> None:
    cohort = CohortFactory(facility=facility_a)
    chosen = [
        signed_assessment(InmateFactory(facility=facility_a), final_tier="ringan") for _ in range(3)
    ]
    signed_assessment(InmateFactory(facility=facility_a), final_tier="berat")  # another tier
    page = counselor.get(reverse("programs:cohort_enrol", args=[cohort.pk])).content.decode()
    assert page.count('name="assessment"') == 3
    counselor.post(
        reverse("programs:cohort_enrol", args=[cohort.pk]), {"assessment": [a.pk for a in chosen]}
    )
    assert set(Enrolment.objects.values_list("state", flat=True)) == {"proposed"}
    warden = Client()
    warden.force_login(members["warden"])
    assert (
        "3 usulan penempatan menunggu persetujuan" in warden.get(reverse("today")).content.decode()
    )
    warden.post(
        reverse("programs:approvals"),
        {"enrolment": list(Enrolment.objects.values_list("pk", flat=True)), "decision": "approve"},
    )
    assert set(Enrolment.objects.values_list("state", flat=True)) == {"placed"}


def test_a_rejection_needs_a_reason(
    client: Client, members: dict[str, Any], facility_a: Any
) -> None:
    cohort = CohortFactory(facility=facility_a)
    inmate = InmateFactory(facility=facility_a)
    e = services.enrolment_propose(
        inmate=inmate,
        track=cohort.track,
        cohort=cohort,
        assessment=signed_assessment(inmate),
        by=members["counselor"],
    )
    client.force_login(members["warden"])
    response = client.post(
        reverse("programs:approvals"), {"enrolment": [e.pk], "decision": "reject"}, follow=True
    )
    assert "alasan penolakan" in response.content.decode()
    e.refresh_from_db()
    assert e.state == "proposed"


def test_attendance_of_twenty_is_one_post_with_a_pinned_query_count(
    counselor: Client, members: dict[str, Any], facility_a: Any, django_assert_num_queries: Any
) -> None:
    def run(size: int) -> None:
        cohort, people = placed_cohort(facility_a, members["counselor"], size)
        session, *_ = services.schedule_generate(
            cohort=cohort,
            by=members["counselor"],
            weekdays=[0],
            start=datetime.time(9),
            end=datetime.time(11),
            kind="group",
        )[0]
        data = {"version": "1", **{f"mark-{e.pk}": "present" for e in people}}
        data[f"mark-{people[0].pk}"] = "absent"
        with django_assert_num_queries(QUERIES):
            response = counselor.post(reverse("programs:session_detail", args=[session.pk]), data)
        assert response.status_code == 302
        assert Attendance.objects.filter(session=session).count() == size
        assert Attendance.objects.get(session=session, enrolment=people[0]).status == "absent"

    counselor.get(reverse("today"))  # the first request of a session looks up its time zone
    run(20)
    run(2)


# constant: 2 and 20 participants cost the same (two of them read the marks before and after
# for the history entry)
QUERIES = 23


def test_the_second_of_two_counselors_gets_a_conflict_and_keeps_what_was_marked(
    counselor: Client, members: dict[str, Any], facility_a: Any
) -> None:
    cohort, people = placed_cohort(facility_a, members["counselor"], 2)
    session = services.schedule_generate(
        cohort=cohort,
        by=members["counselor"],
        weekdays=[0],
        start=datetime.time(9),
        end=datetime.time(11),
        kind="group",
    )[0][0]
    url = reverse("programs:session_detail", args=[session.pk])
    other = Client()
    other.force_login(members["staff"])
    assert (
        counselor.post(url, {"version": "1", f"mark-{people[0].pk}": "present"}).status_code == 302
    )
    response = other.post(url, {"version": "1", f"mark-{people[0].pk}": "excused"})
    assert response.status_code == 409
    page = response.content.decode()
    assert "sudah disimpan orang lain" in page
    assert (
        f'name="mark-{people[0].pk}" value="excused" aria-label' in page.replace(" checked", "")
        or "excused" in page
    )
    assert Attendance.objects.get(session=session, enrolment=people[0]).status == "present"


def test_notes_are_hidden_from_staff_and_a_signed_note_is_corrected_not_edited(
    counselor: Client, client: Client, members: dict[str, Any], facility_a: Any
) -> None:
    _, people = placed_cohort(facility_a, members["counselor"], 1)
    enrolment = people[0]
    counselor.post(
        reverse("programs:note_create", args=[enrolment.pk]),
        {"summary": "Mulai terbuka tentang pemakaian sabu", "participation": "aktif", "sign": "1"},
    )
    note = ProgressNote.objects.get()
    assert note.is_signed
    counselor.post(
        reverse("programs:note_edit", args=[note.pk]),
        {"amendment_reason": "Salah nama zat", "summary": "Mulai terbuka tentang pemakaian ganja"},
    )
    note.refresh_from_db()
    assert note.summary == "Mulai terbuka tentang pemakaian sabu"
    correction = ProgressNote.objects.get(amends=note)
    assert correction.summary.endswith("ganja") and correction.is_signed
    client.force_login(members["staff"])
    page = client.get(reverse("programs:enrolment_detail", args=[enrolment.pk])).content.decode()
    assert "pemakaian" not in page
    assert client.get(reverse("programs:note_edit", args=[note.pk])).status_code == 403


def test_a_planned_session_is_cancelled_with_its_reason_and_a_held_one_is_not(
    counselor: Client, members: dict[str, Any], facility_a: Any
) -> None:
    cohort, _people = placed_cohort(facility_a, members["counselor"], 1)
    planned, held = services.schedule_generate(
        cohort=cohort,
        by=members["counselor"],
        weekdays=[0, 1],
        start=datetime.time(9),
        end=datetime.time(11),
        kind="group",
    )[0][:2]
    services.attendance_save(session=held, by=members["counselor"], marks={}, expected_version=1)
    response = counselor.post(
        reverse("programs:session_cancel", args=[planned.pk]),
        {"reason": "", "version": planned.version},
        follow=True,
    )
    assert "alasan pembatalan" in response.content.decode()
    cancel = reverse("programs:session_cancel", args=[planned.pk])
    counselor.post(cancel, {"reason": "Hari libur", "version": planned.version})
    held.refresh_from_db()
    cancel_held = reverse("programs:session_cancel", args=[held.pk])
    counselor.post(cancel_held, {"reason": "Salah", "version": held.version})
    planned.refresh_from_db()
    held.refresh_from_db()
    assert (planned.status, planned.cancel_reason) == ("cancelled", "Hari libur")
    assert held.status == "held"


def test_an_individual_session_is_planned_for_one_participant_and_clashes_are_named(
    counselor: Client, members: dict[str, Any], facility_a: Any
) -> None:
    _, people = placed_cohort(facility_a, members["counselor"], 1)
    FacilityActivity.objects.create(
        facility=facility_a,
        title="Jam kunjungan keluarga",
        kind="visiting",
        weekday=1,
        start_time=datetime.time(9),
        end_time=datetime.time(12),
    )
    response = counselor.post(
        reverse("programs:individual_session", args=[people[0].pk]),
        {
            "day": "10-11-2026",
            "start": "09:00",
            "end": "10:00",
            "kind": "individual",
            "place": "Ruang konseling",
        },
        follow=True,
    )
    session = Session.objects.get(enrolment=people[0])
    assert session.cohort is None
    assert services.roster(session) == [people[0]]
    assert "Jam kunjungan keluarga" in response.content.decode()


def test_a_tc_resident_moves_through_phases_with_reasons_and_other_tracks_have_none(
    counselor: Client, members: dict[str, Any], facility_a: Any
) -> None:
    tc = TrackFactory(name="Komunitas Terapeutik", tier="berat", kind="tc", duration_days=180)
    cohort = CohortFactory(facility=facility_a, track=tc)
    inmate = InmateFactory(facility=facility_a)
    e = services.enrolment_propose(
        inmate=inmate,
        track=tc,
        cohort=cohort,
        assessment=signed_assessment(inmate, final_tier="berat"),
        by=members["counselor"],
    )
    for to in ("placed", "active"):
        services.enrolment_move(enrolment=e, to=to, by=members["counselor"], reason="Lanjut")
    url = reverse("programs:phase_change", args=[e.pk])
    counselor.post(url, {"phase": "induction", "reason": "Masuk TC"})
    response = counselor.post(url, {"phase": "induction", "reason": "Lagi"}, follow=True)
    assert "sudah berada di fase ini" in response.content.decode()
    counselor.post(url, {"phase": "younger", "reason": "Lulus induksi 30 hari"})
    assert list(e.phases.values_list("phase", flat=True)) == ["induction", "younger"]
    page = counselor.get(reverse("programs:enrolment_detail", args=[e.pk])).content.decode()
    assert "Lulus induksi 30 hari" in page
    _, people = placed_cohort(facility_a, members["counselor"], 1)
    response = counselor.post(
        reverse("programs:phase_change", args=[people[0].pk]),
        {"phase": "induction", "reason": "x"},
        follow=True,
    )
    assert "hanya untuk program Komunitas Terapeutik" in response.content.decode()


def test_the_participant_page_counts_required_sessions_attended(
    counselor: Client, members: dict[str, Any], facility_a: Any, clock: Any
) -> None:
    cohort, people = placed_cohort(facility_a, members["counselor"], 1)
    cohort.track.requirements.create(session_kind="group", count=4)
    sessions = services.schedule_generate(
        cohort=cohort,
        by=members["counselor"],
        weekdays=[0, 1, 2],
        start=datetime.time(9),
        end=datetime.time(11),
        kind="group",
    )[0]
    for session, mark in zip(sessions[:3], ["present", "late", "absent"], strict=True):
        clock.move_to(session.ends_at)  # marked on the day it was held
        services.attendance_save(
            session=session, by=members["counselor"], marks={people[0].pk: mark}, expected_version=1
        )
    progress = completion.requirement_progress(people[0])
    assert progress == [{"kind": "Konseling kelompok", "required": 4, "attended": 2}]
    counselor.force_login(members["counselor"])  # days later: a new sign-in
    page = counselor.get(people[0].get_absolute_url()).content.decode()
    assert "Hadir 2 dari 3 sesi terlaksana (66,7%); syarat 80%" in page
    assert "Konseling kelompok 2 dari 4 wajib" in page
    assert "Belum memenuhi syarat: selesai dan sertifikat ditolak." in page


def test_the_case_file_counts_notes_for_clinical_roles_only(
    counselor: Client, client: Client, members: dict[str, Any], facility_a: Any
) -> None:
    _, people = placed_cohort(facility_a, members["counselor"], 1)
    services.note_save(
        enrolment=people[0], by=members["counselor"], data={"summary": "x"}, sign=True
    )
    url = people[0].inmate.get_absolute_url()
    assert "1 catatan perkembangan" in counselor.get(url).content.decode()
    client.force_login(members["staff"])
    assert "catatan perkembangan" not in client.get(url).content.decode()


def test_the_enrol_picker_is_searchable_and_paginated_at_a_constant_query_count(
    counselor: Client, members: dict[str, Any], facility_a: Any, django_assert_num_queries: Any
) -> None:
    cohort = CohortFactory(facility=facility_a, capacity=80)
    url = reverse("programs:cohort_enrol", args=[cohort.pk])
    counselor.get(reverse("today"))  # the first request of a session looks up its time zone
    for i in range(3):
        signed_assessment(InmateFactory(facility=facility_a, full_name=f"Calon {i:02}"),
                          final_tier="ringan")  # fmt: skip
    with django_assert_num_queries(10) as small:
        counselor.get(url)
    for i in range(3, 57):
        signed_assessment(InmateFactory(facility=facility_a, full_name=f"Calon {i:02}"),
                          final_tier="ringan")  # fmt: skip
    last = signed_assessment(
        InmateFactory(facility=facility_a, full_name="Zulkarnain Tanjung"), final_tier="ringan"
    )
    with django_assert_num_queries(len(small.captured_queries)):
        first = counselor.get(url).content.decode()
    assert first.count('name="assessment"') == 50
    assert "58 WBP memenuhi syarat." in first
    assert "Zulkarnain Tanjung" not in first
    second = counselor.get(url, {"page": 2}).content.decode()
    assert second.count('name="assessment"') == 8 and "Zulkarnain Tanjung" in second
    found = counselor.get(url, {"q": "zulkar"}).content.decode()
    assert found.count('name="assessment"') == 1 and "Zulkarnain Tanjung" in found
    # Ticked on page 2 or in a search, proposed all the same; a pick that is no candidate
    # (another tier, another facility) proposes nobody.
    other = signed_assessment(InmateFactory(facility=facility_a), final_tier="berat")
    counselor.post(f"{url}?q=zulkar", {"assessment": [last.pk, other.pk]})
    assert list(Enrolment.objects.values_list("inmate__full_name", flat=True)) == [
        "Zulkarnain Tanjung"
    ]


def test_a_signed_assessment_offers_its_tiers_cohorts_and_proposes_in_one_click(
    counselor: Client, members: dict[str, Any], facility_a: Any
) -> None:
    inmate = InmateFactory(facility=facility_a)
    assessment = signed_assessment(inmate, final_tier="ringan")
    ringan = CohortFactory(facility=facility_a, name="Ringan Desember",
                           start_date=datetime.date(2026, 11, 23),
                           end_date=datetime.date(2026, 12, 7))  # fmt: skip
    berat = CohortFactory(facility=facility_a, name="Berat Desember",
                          track=TrackFactory(tier="berat", name="Berat 60"))  # fmt: skip
    page = counselor.get(assessment.get_absolute_url()).content.decode()
    assert "Usulkan ke Ringan Desember" in page and "Berat Desember" not in page
    url = reverse("programs:propose_from_assessment", args=[assessment.pk])
    refused = counselor.post(url, {"cohort": berat.pk}, follow=True).content.decode()
    assert "Pilih angkatan untuk tingkat asesmen ini." in refused
    assert not Enrolment.objects.exists()
    counselor.post(url, {"cohort": ringan.pk})
    proposed = Enrolment.objects.get()
    assert (proposed.inmate, proposed.cohort, proposed.state) == (inmate, ringan, "proposed")
    # With a programme under way the shortcut is gone, and a second click proposes nothing.
    assert "Usulkan ke Ringan" not in counselor.get(assessment.get_absolute_url()).content.decode()
    counselor.post(url, {"cohort": ringan.pk})
    assert Enrolment.objects.count() == 1
