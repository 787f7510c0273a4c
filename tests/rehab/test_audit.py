"""The change history is complete: every service writes what it changed (clinical values as
"(rahasia)"), roles, accounts and passwords changed in the admin site are written with who did
it, the actor is named as he was then, and a clinical self-grant reaches the warden."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from assessments import services as assessment_services
from inmates import services as inmate_services
from programs.aftercare import services as aftercare
from programs.models import Aftercare, Enrolment
from programs.scheduling import services as scheduling
from programs.skills import services as skills
from programs.tiers import services as programme_services
from rehab import audit
from rehab.models import AuditEntry, Membership
from reports import services as report_services
from tests.factories import (
    PASSWORD,
    AssessmentFactory,
    CohortFactory,
    CourseFactory,
    CredentialFactory,
    InmateFactory,
    TrackFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

R = audit.REDACTED
DAY = datetime.date(2026, 11, 19)


def last(action: str) -> AuditEntry:
    return AuditEntry.objects.filter(action=action).order_by("-id").first()  # type: ignore[return-value]


@pytest.fixture
def inmate(facility_a: Any) -> Any:
    return InmateFactory(facility=facility_a, full_name="Budi Santoso")


@pytest.fixture
def enrolment(inmate: Any, members: dict[str, Any]) -> Enrolment:
    cohort = CohortFactory(facility=inmate.facility)
    return Enrolment.objects.create(
        facility=inmate.facility, inmate=inmate, track=cohort.track, cohort=cohort,
        assessment=AssessmentFactory(inmate=inmate), state="active",
    )  # fmt: skip


@pytest.fixture
def superuser(members: dict[str, Any]) -> Any:
    admin = members["admin"]
    admin.is_staff = admin.is_superuser = True
    admin.save(update_fields=["is_staff", "is_superuser"])
    return admin


# --- the redaction rule -----------------------------------------------------------------------


def test_a_secret_field_is_written_as_changed_never_with_its_value() -> None:
    changes = audit.diff(
        {"hiv": "", "screened_on": None}, {"hiv": "reactive", "screened_on": "2026-11-19"},
        secret={"hiv"},
    )  # fmt: skip
    assert changes == {"hiv": [R, R], "screened_on": [None, "2026-11-19"]}
    assert audit.diff({"hiv": "reactive"}, {"hiv": "reactive"}, secret={"hiv"}) == {}


# --- every service writes what it changed -----------------------------------------------------


def test_screening_urine_and_health_records_name_fields_and_hide_results(
    inmate: Any, members: dict[str, Any]
) -> None:
    health = members["health"]
    assessment_services.screening_record(
        inmate=inmate, by=health, interviewed_on=DAY, reference_period="last_3_months",
        answers={}, injection="no",
    )  # fmt: skip
    entry = last("assessments.screening.recorded")
    assert entry.changes["interviewed_on"] == [None, "2026-11-19"]
    assert entry.changes["main_level"] == [R, R] and entry.changes["injection"] == [R, R]
    assessment_services.urine_test_record(
        inmate=inmate, by=health, tested_on=DAY, panel="six", results={"MET": "positive"}
    )
    entry = last("assessments.urine_test.recorded")
    assert entry.changes["tested_on"] == [None, "2026-11-19"]
    assert entry.changes["results"] == [R, R] and "positive" not in str(entry.changes)
    assessment_services.health_screening_record(
        inmate=inmate, by=health,
        data={"screened_on": DAY, "consent_given": True, "hiv": "reactive",
              "referred_to": "RSUD Panglima Sebaya"},
    )  # fmt: skip
    entry = last("assessments.health_screening.recorded")
    assert entry.changes["consent_given"] == [None, True]
    assert entry.changes["hiv"] == [R, R] and entry.changes["referred_to"] == [R, R]
    assert "reactive" not in str(entry.changes) and "Panglima" not in str(entry.changes)


def test_a_draft_assessment_its_signature_and_its_correction_write_what_changed(
    inmate: Any, members: dict[str, Any]
) -> None:
    counselor = members["counselor"]
    CredentialFactory(user=counselor)
    rows = assessment_services.AssessmentRows()
    draft = assessment_services.assessment_create(
        inmate=inmate, by=counselor, rows=rows,
        data={"assessed_on": DAY, "final_tier": "sedang", "comorbidity": "Psikosis berulang"},
    )  # fmt: skip
    created = last("assessments.assessment.created")
    assert created.changes["final_tier"] == [None, "sedang"]
    assert created.changes["comorbidity"] == [R, R]
    assessment_services.assessment_update(
        assessment=draft, by=counselor, rows=rows, expected_revision=draft.revision,
        data={"final_tier": "berat", "comorbidity": "Depresi"},
    )  # fmt: skip
    updated = last("assessments.assessment.updated")
    assert updated.changes == {"final_tier": ["sedang", "berat"], "comorbidity": [R, R]}
    assert "Psikosis" not in str(updated.changes) and "Depresi" not in str(updated.changes)
    signed = assessment_services.assessment_sign(assessment=draft, by=counselor)
    assert last("assessments.assessment.signed").changes["status"] == ["draft", "signed"]
    assessment_services.assessment_amend(assessment=signed, by=counselor, reason="Salah tingkat")
    amended = last("assessments.assessment.amended")
    assert amended.changes["version"] == [1, 2]
    assert amended.changes["amendment_reason"] == [None, "Salah tingkat"]


def test_a_placement_and_its_moves_write_the_state_change(
    inmate: Any, members: dict[str, Any]
) -> None:
    CredentialFactory(user=members["counselor"])
    signed = assessment_services.assessment_sign(
        assessment=AssessmentFactory(inmate=inmate), by=members["counselor"]
    )
    cohort = CohortFactory(facility=inmate.facility)
    enrolment = programme_services.enrolment_propose(
        inmate=inmate, track=cohort.track, cohort=cohort, assessment=signed, by=members["staff"]
    )
    assert last("programs.enrolment.proposed").changes["state"] == [None, "proposed"]
    programme_services.enrolment_move(
        enrolment=enrolment, to="placed", by=members["warden"], reason="Disetujui"
    )
    assert last("programs.enrolment.placed").changes == {"state": ["proposed", "placed"]}


def test_schedules_attendance_cancellation_and_individual_sessions_write_what_changed(
    enrolment: Enrolment, members: dict[str, Any]
) -> None:
    staff = members["staff"]
    sessions, _clashes = programme_services.schedule_generate(
        cohort=enrolment.cohort, by=staff, weekdays=[0], start=datetime.time(9),  # type: ignore[arg-type]
        end=datetime.time(11), kind="group",
    )  # fmt: skip
    assert last("programs.schedule.generated").changes == {"sessions": [0, len(sessions)]}
    programme_services.attendance_save(
        session=sessions[0], by=staff, marks={enrolment.pk: "absent"}, expected_version=None
    )
    saved = last("programs.attendance.saved")
    assert saved.changes == {
        "status": ["planned", "held"], "attendance": [None, f"{enrolment.pk}:absent"]
    }  # fmt: skip
    scheduling.cancel(item=sessions[1], by=staff, reason="Banjir", version=None)
    cancelled = last("programs.session.cancelled")
    assert cancelled.changes == {
        "status": ["planned", "cancelled"],
        "cancel_reason": [None, "Banjir"],
    }
    session, _ = programme_services.individual_session_create(
        enrolment=enrolment, by=members["counselor"], day=DAY, start=datetime.time(13),
        end=datetime.time(14), kind="individual", place="Ruang konseling",
    )  # fmt: skip
    planned = last("programs.session.planned")
    assert (planned.target_id, planned.subject_type) == (enrolment.inmate_id, "programs.session")
    assert planned.changes["kind"] == [None, "individual"]
    assert planned.changes["place"] == [None, "Ruang konseling"]
    assert planned.changes["starts_at"][1] == session.starts_at.isoformat()


def test_a_counselling_note_writes_which_fields_changed_never_its_text(
    enrolment: Enrolment, members: dict[str, Any]
) -> None:
    counselor = members["counselor"]
    note = programme_services.note_save(
        enrolment=enrolment, by=counselor, sign=False, data={"summary": "Catatan rahasia konseling"}
    )
    assert last("programs.note.saved").changes == {"summary": [R, R], "status": [None, "draft"]}
    programme_services.note_save(
        enrolment=enrolment,
        by=counselor,
        sign=True,
        note=note,
        data={"concerns": "Cemas"},
        expected_version=note.version,
    )
    signed = last("programs.note.signed")
    assert signed.changes["concerns"] == [R, R]
    assert signed.changes["status"] == ["draft", "signed"]
    programme_services.note_amend(
        note=note, by=counselor, data={"summary": "Koreksi rahasia"}, reason="Salah tulis"
    )
    amended = last("programs.note.amended")
    assert amended.changes["summary"] == [R, R]
    assert amended.changes["amendment_reason"] == [None, "Salah tulis"]
    history = str(list(AuditEntry.objects.values_list("changes", "summary")))
    for text in ("Catatan rahasia konseling", "Cemas", "Koreksi rahasia"):
        assert text not in history


def test_a_tc_phase_change_writes_the_phase(inmate: Any, members: dict[str, Any]) -> None:
    track = TrackFactory(name="TC", tier="berat", kind="tc", duration_days=180)
    enrolment = Enrolment.objects.create(
        facility=inmate.facility, inmate=inmate, track=track,
        assessment=AssessmentFactory(inmate=inmate), state="active",
    )  # fmt: skip
    programme_services.phase_change(
        enrolment=enrolment, by=members["counselor"], phase="induction", reason="Mulai"
    )
    entry = last("programs.enrolment.phase")
    assert entry.changes["phase"] == [None, "induction"]
    assert entry.changes["reason"] == [None, "Mulai"]


def test_release_plan_follow_up_schedule_and_follow_up_write_what_changed(
    inmate: Any, members: dict[str, Any]
) -> None:
    staff, counselor = members["staff"], members["counselor"]
    plan = aftercare.release_plan_save(
        inmate=inmate, by=staff, data={"follow_up_phone": "0811"}, version=None
    )
    aftercare.release_plan_save(
        inmate=inmate, by=staff, data={"follow_up_phone": "0822"}, version=plan.version
    )
    assert last("programs.release_plan.saved").changes == {"follow_up_phone": ["0811", "0822"]}
    inmate_services.inmate_release(
        inmate=inmate, by=staff, on=datetime.date(2026, 8, 20), kind="bebas_murni", reason="Bebas"
    )
    scheduled = last("programs.aftercare.scheduled")
    assert scheduled.changes["follow_ups"][0] is None and "2026-11-20" in str(scheduled.changes)
    due = Aftercare.objects.get(inmate=inmate, month=3)
    aftercare.aftercare_record(
        aftercare=due, by=counselor, version=due.version,
        data={"contacted_on": DAY, "method": "visit", "outcome": "relapse",
              "notes": "Catatan rahasia pemantauan"},
    )  # fmt: skip
    recorded = last("programs.aftercare.recorded")
    assert recorded.changes["contacted_on"] == [None, "2026-11-19"]
    assert recorded.changes["outcome"] == [R, R] and recorded.changes["notes"] == [R, R]
    assert "relapse" not in str(recorded.changes) and "pemantauan" not in str(recorded.changes)


def test_skills_training_steps_write_what_changed(inmate: Any, members: dict[str, Any]) -> None:
    staff = members["staff"]
    course = CourseFactory.build(facility=inmate.facility, created_by=staff, name="Menjahit")
    skills.course_create(course=course, by=staff)
    assert last("programs.course.created").changes["name"] == [None, "Menjahit"]
    meetings, _ = skills.meetings_generate(
        course=course, by=staff, weekdays=[0], start=datetime.time(8), end=datetime.time(11)
    )
    assert last("programs.course.scheduled").changes == {"meetings": [0, len(meetings)]}
    skills.meeting_add(
        course=course, by=staff, day=DAY, start=datetime.time(13), end=datetime.time(15),
        topic="Pola",
    )  # fmt: skip
    assert last("programs.course.scheduled").changes["topic"] == [None, "Pola"]
    trainee = skills.trainee_enrol(course=course, inmate=inmate, by=staff)
    assert last("programs.trainee.enrolled").changes == {"state": [None, "enrolled"]}
    skills.course_attendance_save(
        meeting=meetings[0], by=staff, marks={trainee.pk: "present"}, expected_version=None
    )
    assert last("programs.course_attendance.saved").changes["status"] == ["planned", "held"]
    skills.trainee_complete(
        trainee=trainee, by=staff, competency="competent", completed_on=DAY,
        certificate_number="BLK-1/2026",
    )  # fmt: skip
    completed = last("programs.trainee.completed")
    assert completed.changes["state"] == ["enrolled", "completed"]
    assert completed.changes["certificate_number"] == [None, "BLK-1/2026"]


def test_leaving_a_course_writes_the_state_and_reason(inmate: Any, members: dict[str, Any]) -> None:
    course = CourseFactory(facility=inmate.facility)
    trainee = skills.trainee_enrol(course=course, inmate=inmate, by=members["staff"])
    skills.trainee_leave(trainee=trainee, by=members["staff"], reason="Sakit")
    assert last("programs.trainee.left").changes == {
        "state": ["enrolled", "left"], "left_reason": [None, "Sakit"]
    }  # fmt: skip


def test_registering_a_wbp_writes_what_was_filled_in(
    facility_a: Any, members: dict[str, Any]
) -> None:
    inmate = InmateFactory.build(facility=facility_a, full_name="Agus Salim")
    data = {f: getattr(inmate, f) for f in inmate_services.TRACKED_FIELDS}
    inmate_services.inmate_create(facility=facility_a, by=members["staff"], data=data)
    entry = last("inmates.inmate.created.form")
    assert entry.changes["full_name"] == [None, "Agus Salim"]


def test_a_report_run_and_the_wardens_narrative_write_what_changed(
    facility_a: Any, members: dict[str, Any]
) -> None:
    report = report_services.report_generate(
        facility_id=facility_a.pk, kind="monthly", start=datetime.date(2026, 10, 1)
    )
    assert last("reports.report.generated").changes["status"] == ["queued", "ready"]
    report_services.report_sign(
        report=report,
        by=members["warden"],
        narrative="Bulan yang tenang.",
        sign=False,
        expected_revision=report.revision,
    )
    entry = last("reports.report.narrative")
    assert entry.changes == {"narrative": [None, "Bulan yang tenang."]}
    assert entry.actor == members["warden"]


# --- roles, accounts and passwords in the admin site ------------------------------------------


def test_a_role_granted_changed_and_deleted_in_the_admin_site_is_written_with_its_actor(
    client: Client, superuser: Any, facility_a: Any
) -> None:
    client.force_login(superuser)
    person = UserFactory(username="nakes.baru")
    response = client.post(
        reverse("admin:rehab_membership_add"),
        {"user": person.pk, "facility": facility_a.pk, "role": "staff", "active": "on"},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    membership = Membership.objects.get(user=person)
    granted = last("rehab.membership.granted")
    assert (granted.actor, granted.actor_username) == (superuser, "admin.a")
    assert granted.changes["role"] == [None, "staff"] and granted.changes["active"] == [None, True]
    response = client.post(
        reverse("admin:rehab_membership_change", args=[membership.pk]),
        {"user": person.pk, "facility": facility_a.pk, "role": "staff"},  # "active" unticked
    )
    assert response.status_code == 302
    revoked = last("rehab.membership.revoked")
    assert revoked.actor == superuser and revoked.changes == {"active": [True, False]}
    response = client.post(
        reverse("admin:rehab_membership_delete", args=[membership.pk]), {"post": "yes"}
    )
    assert response.status_code == 302 and not Membership.objects.filter(user=person).exists()
    deleted = last("rehab.membership.deleted")
    assert deleted.actor == superuser and deleted.changes["role"] == ["staff", None]


def _user_form(user: Any, **overrides: Any) -> dict[str, Any]:
    data = {
        "username": user.username, "first_name": user.first_name, "last_name": user.last_name,
        "email": "", "is_active": "on", "date_joined_0": "2026-11-20", "date_joined_1": "10:00:00",
        "memberships-TOTAL_FORMS": "0", "memberships-INITIAL_FORMS": "0",
        "memberships-MIN_NUM_FORMS": "0", "memberships-MAX_NUM_FORMS": "1000",
        "profile-TOTAL_FORMS": "0", "profile-INITIAL_FORMS": "0",
        "profile-MIN_NUM_FORMS": "0", "profile-MAX_NUM_FORMS": "1",
    }  # fmt: skip
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def test_deactivating_and_renaming_an_account_in_the_admin_site_are_written(
    client: Client, superuser: Any
) -> None:
    client.force_login(superuser)
    person = UserFactory(username="staf.lama")
    url = reverse("admin:auth_user_change", args=[person.pk])
    response = client.post(url, _user_form(person, is_active=None, username="staf.baru"))
    assert response.status_code == 302, response.content.decode()[:3000]
    person.refresh_from_db()
    assert not person.is_active
    changed = last("rehab.user.changed")
    assert changed.changes == {"username": ["staf.lama", "staf.baru"]}
    deactivated = last("rehab.user.deactivated")
    assert deactivated.actor == superuser and deactivated.changes == {"is_active": [True, False]}
    assert deactivated.facility_id is None  # an account belongs to no one UPT


def test_rank_and_nip_set_in_the_admin_site_are_written_with_the_actor(
    client: Client, superuser: Any
) -> None:
    client.force_login(superuser)
    person = UserFactory(username="karutan.uji")
    url = reverse("admin:auth_user_change", args=[person.pk])
    form = _user_form(person, **{
        "profile-TOTAL_FORMS": "1", "profile-0-rank": "Pembina (IV/a)",
        "profile-0-nip": "197604122000031002", "profile-0-user": str(person.pk),
    })  # fmt: skip
    response = client.post(url, form)
    assert response.status_code == 302, response.content.decode()[:3000]
    entry = last("rehab.profile.changed")
    assert entry.actor == superuser
    assert entry.changes == {"rank": [None, "Pembina (IV/a)"], "nip": [None, "197604122000031002"]}
    bad = _user_form(person, **{
        "profile-TOTAL_FORMS": "1", "profile-INITIAL_FORMS": "1",
        "profile-0-id": str(person.profile.pk), "profile-0-user": str(person.pk),
        "profile-0-rank": "Pembina (IV/a)", "profile-0-nip": "1976 0412",
    })  # fmt: skip
    page = client.post(url, bad)
    assert page.status_code == 200 and "NIP terdiri dari 18 angka." in page.content.decode()
    person.profile.refresh_from_db()
    assert person.profile.nip == "197604122000031002"


def test_a_password_reset_in_the_admin_site_and_a_change_by_the_owner_are_written(
    client: Client, superuser: Any
) -> None:
    person = UserFactory(username="staf")
    client.force_login(superuser)
    new = "rutan-grogot-kopi-pagi-77"
    response = client.post(
        reverse("admin:auth_user_password_change", args=[person.pk]),
        {"password1": new, "password2": new, "usable_password": "true"},
    )
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.check_password(new)
    reset = last("rehab.user.password_reset")
    assert (reset.actor, reset.target_id, reset.changes) == (
        superuser,
        person.pk,
        {"password": [R, R]},
    )
    client.force_login(person)
    newer = "rutan-grogot-teh-sore-88"
    response = client.post(
        reverse("password_change"),
        {"old_password": new, "new_password1": newer, "new_password2": newer},
    )
    assert response.status_code == 302
    changed = last("rehab.user.password_changed")
    assert changed.actor == person and changed.target_id == person.pk
    person.refresh_from_db()
    assert person.check_password(newer) and not person.check_password(PASSWORD)


# --- the actor as he was ----------------------------------------------------------------------


def test_renaming_a_user_leaves_the_history_with_the_name_he_had(
    client: Client, members: dict[str, Any], inmate: Any
) -> None:
    staff = members["staff"]
    staff.first_name, staff.last_name = "Sri", "Wahyuni"
    staff.save(update_fields=["first_name", "last_name"])
    inmate_services.inmate_update(inmate=inmate, by=staff, data={"block": "Z"})
    staff.username, staff.first_name, staff.last_name = "ganti.nama", "Nama", "Baru"
    staff.save(update_fields=["username", "first_name", "last_name"])
    entry = last("inmates.inmate.updated.form")
    assert (entry.actor_username, entry.actor_name) == ("staff.a", "Sri Wahyuni")
    client.force_login(members["warden"])
    page = client.get(reverse("inmates:history", args=[inmate.pk])).content.decode()
    assert "Sri Wahyuni" in page and "Nama Baru" not in page


def test_the_history_labels_fields_of_the_changed_record_and_shows_secrets_as_rahasia(
    client: Client, members: dict[str, Any], enrolment: Enrolment
) -> None:
    programme_services.note_save(
        enrolment=enrolment, by=members["counselor"], sign=False,
        data={"summary": "Catatan rahasia konseling"},
    )  # fmt: skip
    client.force_login(members["staff"])
    page = client.get(reverse("inmates:history", args=[enrolment.inmate_id])).content.decode()
    assert "Ringkasan" in page and "(rahasia)" in page
    assert "Catatan rahasia konseling" not in page


# --- an administrator's clinical self-grant ---------------------------------------------------


SELF_GRANT_TITLE = "Pemberian peran klinis oleh admin kepada dirinya sendiri"


def _self_grant(client: Client, admin: Any, facility: Any) -> None:
    client.force_login(admin)
    response = client.post(
        reverse("admin:rehab_membership_add"),
        {"user": admin.pk, "facility": facility.pk, "role": "health", "active": "on"},
    )
    assert response.status_code == 302


def test_an_admin_giving_himself_a_clinical_role_shows_on_the_wardens_today_page(
    client: Client, superuser: Any, members: dict[str, Any], facility_a: Any,
    django_assert_num_queries: Any,
) -> None:  # fmt: skip
    superuser.first_name, superuser.last_name = "Adi", "Admin"
    superuser.save(update_fields=["first_name", "last_name"])
    _self_grant(client, superuser, facility_a)
    entry = last("rehab.membership.self_granted")
    assert entry.actor == superuser and entry.changes["role"] == [None, "health"]
    assert not AuditEntry.objects.filter(action="rehab.membership.granted").exists()
    client.force_login(members["warden"])
    client.get(reverse("today"))  # the first request of a session looks up its time zone
    with django_assert_num_queries(13):  # the same pin as without a self-grant
        page = client.get(reverse("today")).content.decode()
    assert SELF_GRANT_TITLE in page and "Adi Admin" in page and "Tenaga Kesehatan" in page
    # The other roles of the facility do not get the notice.
    client.force_login(members["staff"])
    assert SELF_GRANT_TITLE not in client.get(reverse("today")).content.decode()
    # Acknowledged, it leaves the warden's page, and the acknowledgement is in the history.
    client.force_login(members["warden"])
    response = client.post(reverse("self_grant_acknowledge"), {"entry": entry.pk})
    assert response.status_code == 302
    assert SELF_GRANT_TITLE not in client.get(reverse("today")).content.decode()
    ack = last("rehab.membership.self_grant_acknowledged")
    assert (ack.actor, ack.target_type, ack.target_id) == (
        members["warden"],
        "rehab.auditentry",
        entry.pk,
    )


def test_the_self_grant_notice_goes_after_30_days_and_stays_in_its_facility(
    client: Client, superuser: Any, members: dict[str, Any], facility_a: Any, facility_b: Any,
    clock: Any,
) -> None:  # fmt: skip
    _self_grant(client, superuser, facility_a)
    warden_b = Membership.objects.create(
        user=UserFactory(username="warden.b"), facility=facility_b, role="warden"
    ).user
    client.force_login(warden_b)
    assert SELF_GRANT_TITLE not in client.get(reverse("today")).content.decode()
    entry = last("rehab.membership.self_granted")
    assert client.post(reverse("self_grant_acknowledge"), {"entry": entry.pk}).status_code == 404
    clock.shift(datetime.timedelta(days=29))
    client.force_login(members["warden"])
    assert SELF_GRANT_TITLE in client.get(reverse("today")).content.decode()
    clock.shift(datetime.timedelta(days=2))
    client.force_login(members["warden"])
    assert SELF_GRANT_TITLE not in client.get(reverse("today")).content.decode()


def test_granting_a_clinical_role_to_someone_else_is_an_ordinary_grant(
    client: Client, superuser: Any, facility_a: Any
) -> None:
    client.force_login(superuser)
    nurse = UserFactory(username="perawat")
    client.post(
        reverse("admin:rehab_membership_add"),
        {"user": nurse.pk, "facility": facility_a.pk, "role": "health", "active": "on"},
    )
    assert last("rehab.membership.granted").changes["role"] == [None, "health"]
    assert not AuditEntry.objects.filter(action="rehab.membership.self_granted").exists()


def test_the_facility_admin_inline_grants_through_the_service(
    client: Client, superuser: Any, facility_a: Any
) -> None:
    client.force_login(superuser)
    person = UserFactory(username="konselor.bnnk")
    data = {
        "name": facility_a.name, "code": facility_a.code, "kind": facility_a.kind,
        "facility_class": facility_a.facility_class, "regency": facility_a.regency,
        "province": facility_a.province, "time_zone": facility_a.time_zone, "active": "on",
        "paper_size": facility_a.paper_size,
    }  # fmt: skip
    existing = list(Membership.objects.filter(facility=facility_a).order_by("id"))
    data |= {
        "memberships-TOTAL_FORMS": str(len(existing) + 1),
        "memberships-INITIAL_FORMS": str(len(existing)),
        "memberships-MIN_NUM_FORMS": "0", "memberships-MAX_NUM_FORMS": "1000",
    }  # fmt: skip
    for i, m in enumerate(existing):
        data |= {
            f"memberships-{i}-id": str(m.pk), f"memberships-{i}-facility": str(facility_a.pk),
            f"memberships-{i}-user": str(m.user_id), f"memberships-{i}-role": m.role,
            f"memberships-{i}-active": "on",
        }  # fmt: skip
    n = len(existing)
    data |= {
        f"memberships-{n}-facility": str(facility_a.pk), f"memberships-{n}-user": str(person.pk),
        f"memberships-{n}-role": "counselor", f"memberships-{n}-active": "on",
    }  # fmt: skip
    response = client.post(reverse("admin:rehab_facility_change", args=[facility_a.pk]), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    granted = last("rehab.membership.granted")
    assert granted.actor == superuser and granted.changes["user"] == [None, "konselor.bnnk"]
    assert Membership.objects.filter(user=person, role="counselor").exists()


def test_the_data_migration_names_the_actors_of_existing_entries(
    members: dict[str, Any], inmate: Any
) -> None:
    from importlib import import_module

    from django.apps import apps

    staff = members["staff"]
    old = AuditEntry.objects.create(
        facility=inmate.facility, actor=staff, action="inmates.inmate.updated.form",
        target_type="inmates.inmate", target_id=inmate.pk,
    )  # fmt: skip
    import_module("rehab.migrations.0003_fill_actor_names").fill(apps, None)
    old.refresh_from_db()
    assert (old.actor_username, old.actor_name) == ("staff.a", staff.get_full_name())
