"""Release planning, the follow-up schedule that release creates, and recording follow-ups."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from inmates import services as inmate_services
from inmates.models import CustodyEvent, CustodyStatus, Inmate
from programs.aftercare import services as aftercare
from programs.models import Aftercare, Enrolment, EnrolmentState, ReleasePlan
from rehab import versions
from rehab.models import AccessLog, AuditEntry
from reports import indicators
from tests.factories import CohortFactory, InmateFactory, release_plan_data, signed_assessment

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.clock(datetime.datetime(2026, 11, 23, 2, 0, tzinfo=datetime.UTC)),
]


def release(inmate: Inmate, by: Any, on: datetime.date, kind: str = "bebas_murni") -> Inmate:
    return inmate_services.inmate_release(inmate=inmate, by=by, on=on, kind=kind, reason="Bebas")


# --- the schedule -----------------------------------------------------------------------------


def test_releasing_a_wbp_schedules_follow_ups_at_1_3_6_and_12_months(
    facility_a: Any, members: dict[str, Any]
) -> None:
    inmate = InmateFactory(facility=facility_a, admission_date=datetime.date(2025, 1, 6))
    ReleasePlan.objects.create(
        facility=facility_a, inmate=inmate, counselor=members["counselor"],
        updated_by=members["staff"],
    )  # fmt: skip
    release(inmate, members["staff"], datetime.date(2025, 10, 31))
    rows = list(Aftercare.objects.filter(inmate=inmate).order_by("month"))
    assert [(a.month, a.due_on) for a in rows] == [
        (1, datetime.date(2025, 11, 30)),  # 31 November does not exist: the month's last day
        (3, datetime.date(2026, 1, 31)),
        (6, datetime.date(2026, 4, 30)),
        (12, datetime.date(2026, 10, 31)),
    ]
    assert {a.counselor for a in rows} == {members["counselor"]}
    assert AuditEntry.objects.filter(action="programs.aftercare.scheduled").count() == 1


def test_the_months_come_from_settings(
    facility_a: Any, members: dict[str, Any], settings: Any
) -> None:
    settings.AFTERCARE_MONTHS = [3, 6]
    inmate = InmateFactory(facility=facility_a)
    release(inmate, members["staff"], datetime.date(2026, 11, 2))
    assert list(Aftercare.objects.values_list("month", flat=True).order_by("month")) == [3, 6]


def test_a_death_schedules_no_follow_up(facility_a: Any, members: dict[str, Any]) -> None:
    inmate = InmateFactory(facility=facility_a)
    release(inmate, members["staff"], datetime.date(2026, 11, 2), kind="meninggal")
    assert not Aftercare.objects.exists()


def test_a_failing_step_undoes_the_whole_release(
    facility_a: Any, members: dict[str, Any], monkeypatch: Any
) -> None:
    inmate = InmateFactory(facility=facility_a)

    def broken(**kwargs: Any) -> None:
        Aftercare.objects.create(
            facility=facility_a, inmate=kwargs["inmate"], month=99, due_on=kwargs["on"]
        )
        raise RuntimeError("disk full")

    monkeypatch.setattr(inmate_services, "release_steps", [*inmate_services.release_steps, broken])
    with pytest.raises(RuntimeError):
        release(inmate, members["staff"], datetime.date(2026, 11, 2))
    inmate.refresh_from_db()
    assert inmate.status == CustodyStatus.IN_CUSTODY
    assert not CustodyEvent.objects.filter(inmate=inmate, kind="released").exists()
    assert not Aftercare.objects.exists()


def test_release_ends_programme_places_and_the_seat_goes_to_the_waitlist(
    facility_a: Any, members: dict[str, Any]
) -> None:
    cohort = CohortFactory(facility=facility_a, capacity=1)
    leaving, waiting = InmateFactory(facility=facility_a), InmateFactory(facility=facility_a)
    seated = Enrolment.objects.create(
        facility=facility_a, inmate=leaving, track=cohort.track, cohort=cohort,
        assessment=signed_assessment(leaving), state=EnrolmentState.ACTIVE,
    )  # fmt: skip
    queued = Enrolment.objects.create(
        facility=facility_a, inmate=waiting, track=cohort.track, cohort=cohort,
        assessment=signed_assessment(waiting), state=EnrolmentState.WAITLISTED,
    )  # fmt: skip
    release(leaving, members["staff"], datetime.date(2026, 11, 20))
    seated.refresh_from_db()
    queued.refresh_from_db()
    assert (seated.state, seated.drop_reason) == (EnrolmentState.DROPPED_OUT, "released")
    assert seated.ended_on == datetime.date(2026, 11, 20)
    assert queued.state == EnrolmentState.PLACED


def test_the_release_form_creates_the_schedule_in_the_same_action(
    client: Client, facility_a: Any, members: dict[str, Any]
) -> None:
    inmate = InmateFactory(facility=facility_a)
    client.force_login(members["staff"])
    response = client.post(
        reverse("inmates:release", args=[inmate.pk]),
        {"on": "20-11-2026", "kind": "pb", "reason": "Pembebasan bersyarat"},
    )
    assert response.status_code == 302
    assert Aftercare.objects.filter(inmate=inmate).count() == 4


def test_a_wbp_admitted_again_links_back_to_the_earlier_episode(
    facility_a: Any, members: dict[str, Any]
) -> None:
    earlier = InmateFactory(
        facility=facility_a, nik="6401011705900001", admission_date=datetime.date(2025, 3, 3)
    )
    release(earlier, members["staff"], datetime.date(2026, 1, 5))
    data = {
        "registration_number": "BI.9999/2026", "register_class": "B.I",
        "full_name": earlier.full_name, "nik": "6401011705900001", "sex": "L",
        "admission_date": datetime.date(2026, 11, 2),
    }  # fmt: skip
    again = inmate_services.inmate_create(facility=facility_a, by=members["staff"], data=data)
    assert again.previous_episode == earlier
    stranger = inmate_services.inmate_create(
        facility=facility_a,
        by=members["staff"],
        data={**data, "registration_number": "BI.9998/2026", "nik": "6401011705900002"},
    )
    assert stranger.previous_episode is None


def test_admitted_again_the_open_follow_ups_of_the_earlier_release_end_as_redetained(
    client: Client, facility_a: Any, members: dict[str, Any]
) -> None:
    earlier = InmateFactory(
        facility=facility_a, nik="6401011705900001", admission_date=datetime.date(2025, 3, 3)
    )
    release(earlier, members["staff"], datetime.date(2026, 1, 5))
    first = Aftercare.objects.get(inmate=earlier, month=1)
    aftercare.aftercare_record(
        aftercare=first, by=members["counselor"], version=first.version,
        data={"contacted_on": datetime.date(2026, 2, 6), "outcome": "abstinent",
              "method": "phone", "employment": "employed", "notes": "Bekerja di bengkel"},
    )  # fmt: skip
    someone_else = InmateFactory(
        facility=facility_a, nik="6401011705900009", admission_date=datetime.date(2025, 6, 2)
    )
    release(someone_else, members["staff"], datetime.date(2026, 1, 5))
    stale_form_version = Aftercare.objects.get(inmate=earlier, month=6).version

    # Registered again on 2 November; typed in on the 23rd (the frozen clock).
    data = {
        "registration_number": "BI.9999/2026", "register_class": "B.I",
        "full_name": earlier.full_name, "nik": "6401011705900001", "sex": "L",
        "admission_date": datetime.date(2026, 11, 2),
    }  # fmt: skip
    again = inmate_services.inmate_create(facility=facility_a, by=members["staff"], data=data)

    rows = {a.month: a for a in Aftercare.objects.filter(inmate=earlier)}
    assert (rows[1].outcome, rows[1].contacted_on) == ("abstinent", datetime.date(2026, 2, 6))
    for month in (3, 6, 12):
        assert rows[month].outcome == "redetained"
        assert rows[month].contacted_on == datetime.date(2026, 11, 2)
        assert rows[month].recorded_by == members["staff"]
        assert "BI.9999/2026" not in rows[month].notes and facility_a.name in rows[month].notes
    # Another released person's follow-ups stay open.
    assert not Aftercare.objects.filter(inmate=someone_else, recorded_at__isnull=False).exists()
    closed = AuditEntry.objects.filter(action="programs.aftercare.closed_readmitted")
    assert closed.count() == 3
    assert all(e.changes["contacted_on"][1] == "2026-11-02" for e in closed)

    # A follow-up form opened before the re-admission is now stale.
    with pytest.raises(versions.EditConflict):
        aftercare.aftercare_record(
            aftercare=rows[6], by=members["counselor"], version=stale_form_version,
            data={"contacted_on": datetime.date(2026, 11, 20), "outcome": "abstinent"},
        )  # fmt: skip
    rows[6].refresh_from_db()
    assert rows[6].outcome == "redetained"

    # The monthly report counts them in the month of the new admission, as an outcome that
    # says the person did not stay free of drugs.
    november = indicators.aftercare(facility_a.pk, *indicators.month_period(2026, 11))
    assert november["outcomes"]["redetained"] == 3
    assert november["not_relapsing_rate"] == 0
    february = indicators.aftercare(facility_a.pk, *indicators.month_period(2026, 2))
    assert february["outcomes"]["abstinent"] == 1 and february["outcomes"]["redetained"] == 0

    # The earlier episode's case file shows them closed, linked from the new one.
    client.force_login(members["counselor"])
    page = client.get(earlier.get_absolute_url()).content.decode()
    assert page.count("Kembali ditahan") >= 3
    assert earlier.get_absolute_url() in client.get(again.get_absolute_url()).content.decode()


# --- the planning window ----------------------------------------------------------------------


@pytest.mark.parametrize("role", ["warden", "staff"])
def test_releases_within_90_days_are_on_the_today_page_with_their_checklist(
    client: Client, facility_a: Any, members: dict[str, Any], role: str
) -> None:
    soon = InmateFactory(facility=facility_a, release_date=datetime.date(2027, 2, 21))
    ReleasePlan.objects.create(
        facility=facility_a, inmate=soon, bnnk_referral=True, bapas_referral=True,
        updated_by=members["staff"],
    )  # fmt: skip
    later = InmateFactory(facility=facility_a, release_date=datetime.date(2027, 2, 22))
    client.force_login(members[role])
    page = client.get(reverse("today")).content.decode()
    assert str(soon.full_name) in page and "daftar periksa 2/7" in page
    assert str(later.full_name) not in page


def test_the_release_list_shows_days_left_and_checklist_progress(
    client: Client, facility_a: Any, facility_b: Any, members: dict[str, Any]
) -> None:
    InmateFactory(
        facility=facility_a, full_name="Andi Saputra", release_date=datetime.date(2026, 12, 3)
    )
    InmateFactory(
        facility=facility_b, full_name="Orang Lain", release_date=datetime.date(2026, 12, 3)
    )
    client.force_login(members["warden"])
    page = client.get(reverse("programs:release_list")).content.decode()
    assert "Andi Saputra" in page and ">10<" in page and "0 / 7" in page
    assert "Orang Lain" not in page


def test_the_release_list_query_count_does_not_grow(
    client: Client, facility_a: Any, members: dict[str, Any], django_assert_num_queries: Any
) -> None:
    client.force_login(members["staff"])
    client.get(reverse("today"))
    for n in (1, 15):
        for _ in range(n):
            inmate = InmateFactory(facility=facility_a, release_date=datetime.date(2026, 12, 20))
            ReleasePlan.objects.create(
                facility=facility_a, inmate=inmate, updated_by=members["staff"]
            )
        with django_assert_num_queries(8):
            client.get(reverse("programs:release_list"))


# --- the plan ---------------------------------------------------------------------------------


def test_staff_save_the_plan_and_the_checklist_fills(
    client: Client, facility_a: Any, members: dict[str, Any]
) -> None:
    inmate = InmateFactory(facility=facility_a, release_date=datetime.date(2027, 1, 10))
    client.force_login(members["staff"])
    url = reverse("programs:release_plan", args=[inmate.pk])
    assert client.post(url, release_plan_data(counselor=members["counselor"].pk)).status_code == 302
    plan = ReleasePlan.objects.get(inmate=inmate)
    assert plan.version == 1 and plan.family_contact_name == "Siti Aminah"
    assert [done for _label, done in plan.checklist()] == [
        True,
        True,
        False,
        False,
        True,
        True,
        True,
    ]


def test_a_bad_phone_number_is_named_beside_the_field_and_nothing_is_saved(
    client: Client, facility_a: Any, members: dict[str, Any]
) -> None:
    inmate = InmateFactory(facility=facility_a)
    client.force_login(members["staff"])
    url = reverse("programs:release_plan", args=[inmate.pk])
    page = client.post(url, release_plan_data(family_contact_phone="nomor ibu")).content.decode()
    assert "Nomor telepon hanya berisi angka" in page
    assert 'value="Siti Aminah"' in page
    assert not ReleasePlan.objects.exists()


def test_a_save_over_a_newer_plan_is_a_conflict_and_keeps_what_was_typed(
    client: Client, facility_a: Any, members: dict[str, Any]
) -> None:
    inmate = InmateFactory(facility=facility_a)
    aftercare.release_plan_save(
        inmate=inmate, by=members["counselor"], data={"notes": "pertama"}, version=0
    )
    aftercare.release_plan_save(
        inmate=inmate, by=members["counselor"], data={"notes": "kedua"}, version=1
    )
    client.force_login(members["staff"])
    url = reverse("programs:release_plan", args=[inmate.pk])
    response = client.post(url, release_plan_data(version="1", notes="ketiga"))
    assert response.status_code == 409
    page = response.content.decode()
    assert "sudah diubah oleh" in page and "ketiga" in page
    assert ReleasePlan.objects.get(inmate=inmate).notes == "kedua"


def test_the_warden_reads_the_plan_but_cannot_change_it(
    client: Client, facility_a: Any, members: dict[str, Any]
) -> None:
    inmate = InmateFactory(facility=facility_a)
    client.force_login(members["warden"])
    url = reverse("programs:release_plan", args=[inmate.pk])
    assert client.get(url).status_code == 200
    assert client.post(url, release_plan_data()).status_code == 403
    assert not ReleasePlan.objects.exists()


def test_the_handover_letter_names_programmes_and_referrals(
    client: Client, facility_a: Any, members: dict[str, Any], fed_html: list[str]
) -> None:
    fed = fed_html
    inmate = InmateFactory(facility=facility_a, full_name="Rudi Hartono")
    cohort = CohortFactory(facility=facility_a)
    Enrolment.objects.create(
        facility=facility_a, inmate=inmate, track=cohort.track, cohort=cohort,
        assessment=signed_assessment(inmate), state=EnrolmentState.COMPLETED,
    )  # fmt: skip
    client.force_login(members["staff"])
    url = reverse("programs:handover_letter", args=[inmate.pk])
    assert client.get(url).status_code == 302  # no plan yet: back to the plan with a message
    ReleasePlan.objects.create(
        facility=facility_a, inmate=inmate, bnnk_referral=True, updated_by=members["staff"]
    )
    response = client.get(url + "?size=F4")
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    html = fed[-1]
    assert "Rudi Hartono" in html and cohort.track.name in html and "Selesai program" in html
    assert "bulan ke-12" in html
    assert AccessLog.objects.filter(action="pdf.download", user=members["staff"]).exists()


# --- recording a follow-up --------------------------------------------------------------------


@pytest.fixture
def due(facility_a: Any, members: dict[str, Any]) -> Aftercare:
    inmate = InmateFactory(facility=facility_a, full_name="Bayu Pratama")
    release(inmate, members["staff"], datetime.date(2026, 8, 20))
    return Aftercare.objects.get(inmate=inmate, month=3)


def follow_up_data(version: int, **overrides: Any) -> dict[str, Any]:
    data = {
        "version": str(version), "contacted_on": "21-11-2026", "method": "visit",
        "outcome": "abstinent", "employment": "self", "aid_kind": "capital",
        "aid_amount": "2500000", "notes": "Membuka usaha jahit di rumah.",
    }  # fmt: skip
    return {**data, **overrides}


def test_the_counselor_records_a_3_month_follow_up(
    client: Client, members: dict[str, Any], due: Aftercare
) -> None:
    client.force_login(members["counselor"])
    url = reverse("programs:aftercare_record", args=[due.pk])
    assert "Bayu Pratama" in client.get(url).content.decode()
    assert client.post(url, follow_up_data(due.version)).status_code == 302
    due.refresh_from_db()
    assert (due.outcome, due.aid_amount, due.recorded_by) == (
        "abstinent", 2500000, members["counselor"],
    )  # fmt: skip
    assert due.is_done
    assert AccessLog.objects.filter(action="aftercare.view", user=members["counselor"]).exists()
    entry = AuditEntry.objects.get(action="programs.aftercare.recorded")
    assert "abstinent" not in str(entry.changes) and "usaha jahit" not in entry.summary


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("contacted_on", "19-08-2026", "tidak boleh sebelum tanggal bebas"),
        ("contacted_on", "24-11-2026", "tidak boleh di masa depan"),
        ("outcome", "", "This field is required"),
        ("aid_amount", "", "Isi nilai bantuan modal usaha"),
    ],
)
def test_bad_follow_up_input_is_refused_beside_the_field(
    client: Client, members: dict[str, Any], due: Aftercare, field: str, value: str, message: str
) -> None:
    client.force_login(members["counselor"])
    url = reverse("programs:aftercare_record", args=[due.pk])
    page = client.post(url, follow_up_data(due.version, **{field: value})).content.decode()
    if message == "This field is required":
        message = "Bidang ini tidak boleh kosong"
    assert message in page
    assert "Membuka usaha jahit di rumah." in page
    due.refresh_from_db()
    assert not due.is_done


def test_a_second_recorder_gets_a_conflict(
    client: Client, members: dict[str, Any], due: Aftercare
) -> None:
    stale = due.version
    aftercare.aftercare_record(
        aftercare=due,
        by=members["counselor"],
        data={"contacted_on": datetime.date(2026, 11, 20), "method": "phone", "outcome": "relapse"},
        version=stale,
    )
    client.force_login(members["counselor"])
    url = reverse("programs:aftercare_record", args=[due.pk])
    response = client.post(url, follow_up_data(stale))
    assert response.status_code == 409
    assert "sudah diubah oleh" in response.content.decode()
    due.refresh_from_db()
    assert due.outcome == "relapse"


def test_what_a_follow_up_found_stays_with_the_clinical_roles(
    client: Client, members: dict[str, Any], due: Aftercare
) -> None:
    aftercare.aftercare_record(
        aftercare=due,
        by=members["counselor"],
        data={"contacted_on": datetime.date(2026, 11, 20), "method": "urine", "outcome": "relapse"},
        version=due.version,
    )
    for role in ("staff", "warden"):
        client.force_login(members[role])
        assert client.get(reverse("programs:aftercare_record", args=[due.pk])).status_code == 403
        for url in (
            reverse("programs:release_plan", args=[due.inmate_id]),
            reverse("programs:aftercare_list") + "?status=done",
            reverse("inmates:detail", args=[due.inmate_id]),
        ):
            page = client.get(url).content.decode()
            assert "Relaps/kambuh" not in page, (role, url)
    client.force_login(members["health"])
    page = client.get(reverse("programs:aftercare_list") + "?status=done").content.decode()
    assert "Relaps/kambuh" in page
    client.force_login(members["health"])
    assert (
        client.post(
            reverse("programs:aftercare_record", args=[due.pk]), follow_up_data(due.version + 1)
        ).status_code
        == 403
    )


def test_the_follow_up_list_query_count_does_not_grow(
    client: Client, facility_a: Any, members: dict[str, Any], django_assert_num_queries: Any
) -> None:
    client.force_login(members["counselor"])
    client.get(reverse("today"))
    for n in (1, 10):
        for _ in range(n):
            release(InmateFactory(facility=facility_a), members["staff"], datetime.date(2026, 9, 1))
        with django_assert_num_queries(8):
            client.get(reverse("programs:aftercare_list"))
