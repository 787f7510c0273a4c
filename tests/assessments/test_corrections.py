"""Corrections of results, never a silent edit: a urine result per analyte (asked by one
clinical user, counting only once another confirms it) and a health screening (health workers
only), each with its reason and trail; refused without a reason, by the same person twice, or
from a stale page."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.db import IntegrityError, transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from assessments import services
from assessments.models import (
    CorrectionState,
    HealthCorrection,
    HealthScreening,
    UrineCorrection,
    UrineResult,
    UrineTest,
)
from rehab.models import AccessLog, AuditEntry
from tests.factories import InmateFactory

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.clock(datetime.datetime(2026, 11, 23, 2, 30, tzinfo=datetime.UTC)),
]

REASON = "Strip AMP terbaca keliru; uji konfirmasi Labkesda negatif."


@pytest.fixture
def inmate(facility_a: Any) -> Any:
    return InmateFactory(facility=facility_a, full_name="Rudi Hartono")


@pytest.fixture
def test_(inmate: Any, members: dict[str, Any]) -> UrineTest:
    """A six-parameter test taken on the 9th, typed in on the 23rd: AMP positive."""
    results = {"AMP": "positive", "MET": "negative", "THC": "negative", "COC": "negative",
               "MOP": "negative", "BZO": "negative"}  # fmt: skip
    return services.urine_test_record(
        inmate=inmate, by=members["health"], tested_on=datetime.date(2026, 11, 9), panel="six",
        results=results, confirmation_lab="Labkesda Paser",
    )  # fmt: skip


def as_user(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def ask(client: Client, test: UrineTest, **overrides: Any) -> Any:
    data = {"analyte": "AMP", "new_result": "negative", "reason": REASON, "version": test.version}
    data.update(overrides)
    return client.post(reverse("assessments:urine_correct", args=[test.pk]), data)


def amp(test: UrineTest) -> str:
    return UrineResult.objects.get(test=test, analyte="AMP").result


def confirm(client: Client, correction: UrineCorrection, version: int) -> Any:
    url = reverse("assessments:urine_correction_confirm", args=[correction.pk])
    return client.post(url, {"version": version}, follow=True)


# --- urine results: four eyes ------------------------------------------------------------------


def test_a_correction_counts_only_once_another_user_confirms_it(
    test_: UrineTest, members: dict[str, Any]
) -> None:
    nurse, counselor = as_user(members["health"]), as_user(members["counselor"])
    response = ask(nurse, test_)
    assert response.status_code == 302 and response["Location"] == test_.get_absolute_url()
    correction = UrineCorrection.objects.get()
    assert (correction.old_result, correction.new_result) == ("positive", "negative")
    # Until then the old result stands, and the page says a correction waits.
    assert amp(test_) == "positive"
    page = nurse.get(test_.get_absolute_url()).content.decode()
    assert "menunggu konfirmasi" in page and "Menunggu konfirmasi petugas lain." in page
    assert "Konfirmasi koreksi AMP" not in page  # not offered to the one who asked

    # The one who asked cannot make it count, even by posting.
    test_.refresh_from_db()
    page = confirm(nurse, correction, test_.version).content.decode()
    assert "oleh petugas lain, bukan yang mengajukannya" in page
    assert amp(test_) == "positive"
    correction.refresh_from_db()
    assert correction.state == CorrectionState.PENDING

    page = counselor.get(test_.get_absolute_url()).content.decode()
    assert "Konfirmasi koreksi AMP" in page
    page = confirm(counselor, correction, test_.version).content.decode()
    assert "Koreksi dikonfirmasi: hasil baru berlaku." in page
    assert amp(test_) == "negative"
    correction.refresh_from_db()
    assert (correction.state, correction.decided_by) == ("confirmed", members["counselor"])
    # The trail: what it was, what it is, why, who asked and who confirmed, when.
    trail = page[page.index('id="trail"') :]
    assert "Positif → Negatif" in trail and REASON in trail
    assert members["health"].get_full_name() in trail
    assert members["counselor"].get_full_name() in trail
    assert "23 November 2026" in trail


def test_the_history_names_each_step_but_never_a_result_or_the_reason(
    test_: UrineTest, members: dict[str, Any], inmate: Any
) -> None:
    ask(as_user(members["health"]), test_)
    test_.refresh_from_db()
    confirm(as_user(members["counselor"]), UrineCorrection.objects.get(), test_.version)
    actions = list(
        AuditEntry.objects.filter(target_id=inmate.pk, action__contains="urine_result")
        .order_by("id")
        .values_list("action", "actor", flat=False)
    )
    assert actions == [
        ("assessments.urine_result.correction_requested", members["health"].pk),
        ("assessments.urine_result.corrected", members["counselor"].pk),
    ]
    confirmed = AuditEntry.objects.get(action="assessments.urine_result.corrected")
    assert confirmed.changes["state"] == ["pending", "confirmed"]
    history = as_user(members["staff"]).get(reverse("inmates:history", args=[inmate.pk]))
    page = history.content.decode()
    assert "Koreksi hasil tes urine diajukan" in page
    assert "Koreksi hasil tes urine dikonfirmasi" in page
    assert "(rahasia)" in page
    for secret in ("Positif", "Negatif", "Strip AMP"):
        assert secret not in page


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"reason": ""}, "reason", "Tuliskan alasannya."),
        ({"reason": "x" * 2001}, "reason", "paling banyak 2000 karakter"),
        ({"new_result": "positive"}, "new_result", "sama dengan hasil yang tercatat"),
        ({"new_result": ""}, "new_result", "tidak boleh kosong"),
        ({"analyte": "MDMA"}, "analyte", "bukan salah satu dari pilihan"),
    ],
)
def test_a_bad_correction_is_explained_beside_the_field_and_nothing_is_saved(
    test_: UrineTest, members: dict[str, Any], overrides: dict[str, str], field: str, message: str
) -> None:
    response = ask(as_user(members["health"]), test_, **overrides)
    assert response.status_code == 200
    errors = " ".join(response.context["form"].errors[field])
    assert message.lower() in errors.lower()
    assert response.context["form"]["reason"].value() == overrides.get("reason", REASON)
    assert not UrineCorrection.objects.exists()
    assert amp(test_) == "positive"


def test_a_second_correction_of_an_analyte_waits_until_the_first_is_decided(
    test_: UrineTest, members: dict[str, Any]
) -> None:
    ask(as_user(members["health"]), test_)
    test_.refresh_from_db()
    response = ask(as_user(members["counselor"]), test_, new_result="invalid")
    assert "menunggu konfirmasi: putuskan dulu" in " ".join(
        response.context["form"].errors["analyte"]
    )
    assert UrineCorrection.objects.count() == 1


def test_a_correction_form_opened_before_another_step_is_refused_as_stale(
    test_: UrineTest, members: dict[str, Any]
) -> None:
    opened_at = test_.version
    ask(as_user(members["counselor"]), test_, analyte="MET", new_result="invalid")
    response = ask(as_user(members["health"]), test_, version=opened_at)
    assert response.status_code == 409
    form = response.context["form"]
    assert "sesudah Anda membukanya" in form.conflict.message
    assert members["counselor"].get_full_name() in form.conflict.message
    assert form["reason"].value() == REASON  # what was typed is kept
    assert list(UrineCorrection.objects.values_list("analyte", flat=True)) == ["MET"]
    # Without the version at all, the form says to reload.
    response = ask(as_user(members["health"]), test_, version="")
    assert "Muat ulang halaman" in " ".join(response.context["form"].errors["version"])


def test_a_confirmation_from_a_page_opened_before_another_step_is_refused(
    test_: UrineTest, members: dict[str, Any]
) -> None:
    ask(as_user(members["health"]), test_)
    test_.refresh_from_db()
    seen = test_.version
    correction = UrineCorrection.objects.get()
    ask(as_user(members["health"]), test_, analyte="MET", new_result="invalid")
    page = confirm(as_user(members["counselor"]), correction, seen).content.decode()
    assert "sudah diubah sesudah Anda membuka halamannya" in page
    assert amp(test_) == "positive"
    correction.refresh_from_db()
    assert correction.is_pending


def test_a_refused_correction_keeps_the_result_and_says_why(
    test_: UrineTest, members: dict[str, Any]
) -> None:
    ask(as_user(members["health"]), test_)
    test_.refresh_from_db()
    correction = UrineCorrection.objects.get()
    counselor = as_user(members["counselor"])
    url = reverse("assessments:urine_correction_refuse", args=[correction.pk])
    response = counselor.post(url, {"reason": "", "version": test_.version})
    assert "Tuliskan alasannya." in " ".join(response.context["form"].errors["reason"])
    correction.refresh_from_db()
    assert correction.is_pending
    response = counselor.post(
        url, {"reason": "Konfirmasi lab masih positif.", "version": test_.version}, follow=True
    )
    page = response.content.decode()
    assert "Koreksi ditolak: hasil yang tercatat tetap berlaku." in page
    assert "Konfirmasi lab masih positif." in page
    correction.refresh_from_db()
    assert correction.state == CorrectionState.REFUSED
    assert amp(test_) == "positive"
    # A decided correction is decided for good.
    test_.refresh_from_db()
    page = confirm(counselor, correction, test_.version).content.decode()
    assert "Koreksi ini sudah diputuskan." in page
    assert amp(test_) == "positive"


def test_the_database_refuses_a_correction_confirmed_by_the_one_who_asked(
    test_: UrineTest, members: dict[str, Any]
) -> None:
    result = test_.results.get(analyte="AMP")
    nurse = members["health"]
    fields = {"facility": test_.facility, "test": test_, "result": result, "analyte": "AMP",
              "reason": REASON, "requested_by": nurse, "requested_at": timezone.now()}  # fmt: skip
    with pytest.raises(IntegrityError), transaction.atomic():
        UrineCorrection.objects.create(
            **fields, old_result="positive", new_result="negative", state="confirmed",
            decided_by=nurse, decided_at=timezone.now(),
        )  # fmt: skip
    with pytest.raises(IntegrityError), transaction.atomic():
        UrineCorrection.objects.create(**fields, old_result="positive", new_result="positive")
    UrineCorrection.objects.create(**fields, old_result="positive", new_result="negative")
    with pytest.raises(IntegrityError), transaction.atomic():
        UrineCorrection.objects.create(**fields, old_result="positive", new_result="invalid")


def test_only_the_clinical_roles_correct_a_urine_result(
    test_: UrineTest, members: dict[str, Any], stranger: Any
) -> None:
    url = reverse("assessments:urine_correct", args=[test_.pk])
    for role in ("staff", "warden", "supervisor", "admin"):
        assert as_user(members[role]).get(url).status_code == 403, role
        assert ask(as_user(members[role]), test_).status_code == 403, role
    assert as_user(stranger).get(url).status_code == 404
    assert not UrineCorrection.objects.exists()


def test_opening_the_correction_form_is_a_logged_read(
    test_: UrineTest, members: dict[str, Any]
) -> None:
    as_user(members["counselor"]).get(reverse("assessments:urine_correct", args=[test_.pk]))
    assert AccessLog.objects.filter(
        user=members["counselor"], action="urine_test.read", target_id=test_.pk
    ).exists()


def test_the_test_page_query_count_does_not_grow_with_the_corrections(
    test_: UrineTest, members: dict[str, Any], django_assert_num_queries: Any
) -> None:
    counselor = as_user(members["counselor"])
    url = test_.get_absolute_url()
    counselor.get(url)  # the first request of a session looks up its time zone
    ask(as_user(members["health"]), test_)
    # session, user, memberships, the test, the access log, corrections, results, and the
    # session save (3)
    with django_assert_num_queries(10):
        counselor.get(url)
    for analyte in ("MET", "THC", "COC"):
        test_.refresh_from_db()
        ask(as_user(members["health"]), test_, analyte=analyte, new_result="invalid")
    with django_assert_num_queries(10):
        page = counselor.get(url).content.decode()
    assert page.count("Konfirmasi koreksi") == 4


# --- health screening ------------------------------------------------------------------------


@pytest.fixture
def screening(inmate: Any, members: dict[str, Any]) -> HealthScreening:
    return services.health_screening_record(
        inmate=inmate,
        by=members["health"],
        data={
            "screened_on": datetime.date(2026, 11, 9),
            "consent_given": True,
            "hiv": "reactive",
            "syphilis": "non_reactive",
            "referred_to": "RSUD Panglima Sebaya",
        },
    )


def correct_health(client: Client, screening: HealthScreening, **overrides: Any) -> Any:
    data = {
        "hiv": "non_reactive", "syphilis": "non_reactive", "tb_symptoms": "unknown",
        "tb_xray": "", "tb_tcm": "", "hepatitis_b": "", "hepatitis_c": "",
        "referred_to": "", "notes": "", "version": screening.version,
        "reason": "Hasil HIV tertukar dengan WBP lain; tes ulang non-reaktif.",
    }  # fmt: skip
    data.update(overrides)
    return client.post(reverse("assessments:health_correct", args=[screening.pk]), data)


def test_a_health_worker_corrects_a_screening_with_the_reason_and_the_old_values_kept(
    screening: HealthScreening, members: dict[str, Any], inmate: Any
) -> None:
    nurse = as_user(members["health"])
    response = correct_health(nurse, screening)
    assert response.status_code == 302
    screening.refresh_from_db()
    assert (screening.hiv, screening.referred_to, screening.version) == ("non_reactive", "", 2)
    correction = HealthCorrection.objects.get()
    assert correction.changes == {
        "hiv": ["reactive", "non_reactive"], "referred_to": ["RSUD Panglima Sebaya", None],
    }  # fmt: skip
    page = nurse.get(response["Location"]).content.decode()
    trail = page[page.index('id="trail"') :]
    assert "HIV: Reaktif / positif → Non-reaktif / negatif" in trail
    assert "dirujuk ke: RSUD Panglima Sebaya → —" in trail
    assert "tertukar dengan WBP lain" in trail
    # The history says which fields changed and who did it, never the values or the reason.
    entry = AuditEntry.objects.get(action="assessments.health_screening.corrected")
    assert entry.actor == members["health"]
    assert entry.changes == {
        "hiv": ["(rahasia)", "(rahasia)"], "referred_to": ["(rahasia)", "(rahasia)"],
        "reason": [None, "(rahasia)"],
    }  # fmt: skip


def test_only_the_health_role_corrects_a_health_screening(
    screening: HealthScreening, members: dict[str, Any], stranger: Any
) -> None:
    url = reverse("assessments:health_correct", args=[screening.pk])
    for role in ("counselor", "staff", "warden", "supervisor", "admin"):
        assert as_user(members[role]).get(url).status_code == 403, role
        assert correct_health(as_user(members[role]), screening).status_code == 403, role
    assert as_user(stranger).get(url).status_code == 404
    screening.refresh_from_db()
    assert screening.hiv == "reactive" and not HealthCorrection.objects.exists()
    # The counsellor reads the result but is not offered the correction.
    page = as_user(members["counselor"]).get(screening.get_absolute_url()).content.decode()
    assert "Reaktif / positif" in page and url not in page


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"reason": ""}, "reason", "Tuliskan alasannya."),
        ({"reason": "x" * 2001}, "reason", "paling banyak 2000 karakter"),
        ({"hiv": "reactive"}, None, "Tidak ada yang dikoreksi"),
        ({"syphilis": "reactive"}, "referred_to", "harus dirujuk"),
        ({"referred_to": "x" * 151}, "referred_to", "paling banyak 150 karakter"),
    ],
)
def test_a_bad_health_correction_is_explained_and_nothing_changes(
    screening: HealthScreening,
    members: dict[str, Any],
    overrides: dict[str, str],
    field: str | None,
    message: str,
) -> None:
    if overrides.get("hiv") == "reactive":
        overrides = {**overrides, "referred_to": "RSUD Panglima Sebaya"}
    response = correct_health(as_user(members["health"]), screening, **overrides)
    assert response.status_code == 200
    errors = response.context["form"].errors.get(field or "__all__", [])
    assert message.lower() in " ".join(errors).lower()
    screening.refresh_from_db()
    assert (screening.hiv, screening.version) == ("reactive", 1)
    assert not HealthCorrection.objects.exists()


def test_a_stale_health_correction_is_refused_and_keeps_what_was_typed(
    screening: HealthScreening, members: dict[str, Any]
) -> None:
    opened_at = screening.version
    correct_health(as_user(members["health"]), screening)
    response = correct_health(
        as_user(members["health"]), screening, version=opened_at, hiv="indeterminate",
        referred_to="Puskesmas",
    )  # fmt: skip
    assert response.status_code == 409
    form = response.context["form"]
    assert form.conflict is not None and form["hiv"].value() == "indeterminate"
    screening.refresh_from_db()
    assert screening.hiv == "non_reactive" and HealthCorrection.objects.count() == 1


def test_the_health_result_page_query_count_does_not_grow_with_the_corrections(
    screening: HealthScreening, members: dict[str, Any], django_assert_num_queries: Any
) -> None:
    nurse = as_user(members["health"])
    url = screening.get_absolute_url()
    nurse.get(url)
    correct_health(nurse, screening)
    # session, user, memberships, the screening, the access log, corrections, session save (3)
    with django_assert_num_queries(9):
        nurse.get(url)
    for n, value in enumerate(["indeterminate", "non_reactive", "indeterminate"]):
        screening.refresh_from_db()
        correct_health(nurse, screening, hepatitis_b=value, reason=f"Koreksi ke-{n}")
    with django_assert_num_queries(9):
        page = nurse.get(url).content.decode()
    assert page.count("Koreksi ke-") == 3
