"""ASSIST, urine and health screening pages: scoring through the form, bad input, and who
sees which result."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from assessments.models import AssistScreening, HealthScreening, SubstanceAnswer, UrineTest
from rehab.models import AccessLog
from tests.factories import HealthScreeningFactory, InmateFactory, UrineTestFactory

NOW = datetime.datetime(2026, 11, 23, 3, 0, tzinfo=datetime.UTC)
SUBSTANCES = ["tobacco", "alcohol", "cannabis", "cocaine", "amphetamines", "inhalants",
              "sedatives", "hallucinogens", "opioids", "other"]  # fmt: skip


pytestmark = [pytest.mark.django_db, pytest.mark.clock(NOW)]


@pytest.fixture
def inmate(facility_a: Any) -> Any:
    return InmateFactory(facility=facility_a, full_name="Rudi Hartono")


def assist_post(**answers: str) -> dict[str, str]:
    """A complete interview: every substance 'no' unless given, Q8 'no'."""
    data = {"interviewed_on": "20-11-2026", "reference_period": "before_detention",
            "injection": "no", "injection_pattern": "", "other_substance": ""}  # fmt: skip
    for substance in SUBSTANCES:
        data[f"{substance}_q1"] = "no"
    data.update(answers)
    return data


SABU_USER = {
    "amphetamines_q1": "yes", "amphetamines_q2": "weekly", "amphetamines_q3": "weekly",
    "amphetamines_q4": "once_or_twice", "amphetamines_q5": "never",
    "amphetamines_q6": "past_3_months", "amphetamines_q7": "not_past_3_months",
    "tobacco_q1": "yes", "tobacco_q2": "daily", "tobacco_q3": "daily", "tobacco_q4": "never",
    "tobacco_q6": "past_3_months", "tobacco_q7": "past_3_months",
}  # fmt: skip


def test_a_complete_interview_is_scored_and_the_sheet_shows_each_band(
    staff_client: Client, inmate: Any
) -> None:
    response = staff_client.post(
        reverse("assessments:screening_create", args=[inmate.pk]), assist_post(**SABU_USER)
    )
    screening = AssistScreening.objects.get()
    assert response.status_code == 302 and response["Location"] == screening.get_absolute_url()
    scores = dict(SubstanceAnswer.objects.values_list("substance", "score"))
    assert scores["amphetamines"] == 4 + 5 + 4 + 0 + 6 + 3 == 22
    assert scores["tobacco"] == 6 + 6 + 0 + 6 + 6 == 24
    assert (screening.main_substance, screening.main_score, screening.main_level) == (
        "amphetamines", 22, "moderate",
    )  # fmt: skip
    sheet = staff_client.get(screening.get_absolute_url()).content.decode()
    assert "Risiko sedang" in sheet
    assert "Intervensi singkat" in sheet or "intervensi singkat" in sheet
    assert "3 bulan sebelum ditahan" in sheet


def test_a_substance_not_used_recently_still_counts_q6_and_q7(
    staff_client: Client, inmate: Any
) -> None:
    answers = {
        "amphetamines_q1": "yes",
        "amphetamines_q2": "never",
        "amphetamines_q6": "not_past_3_months",
        "amphetamines_q7": "not_past_3_months",
    }
    staff_client.post(
        reverse("assessments:screening_create", args=[inmate.pk]), assist_post(**answers)
    )
    answer = SubstanceAnswer.objects.get(substance="amphetamines")
    assert (answer.score, answer.level) == (6, "moderate")


@pytest.mark.parametrize(
    ("answers", "field", "message"),
    [
        ({"cannabis_q1": ""}, "cannabis_q1", "Wajib diisi."),
        ({"cannabis_q1": "yes"}, "cannabis_q2", "Wajib diisi."),
        ({"cannabis_q1": "no", "cannabis_q2": "weekly"}, "cannabis_q2", "Tidak berlaku"),
        (
            {"cannabis_q1": "yes", "cannabis_q2": "never", "cannabis_q3": "daily",
             "cannabis_q6": "no", "cannabis_q7": "no"},
            "cannabis_q3", "Tidak berlaku",
        ),
        ({"injection": "past_3_months"}, "injection_pattern", "Pilih pola menyuntik"),
        ({"injection": ""}, "injection", "tidak boleh kosong"),
        ({"other_q1": "yes", "other_q2": "never", "other_q6": "no", "other_q7": "no"},
         "other_substance", "Sebutkan zat lain"),
        ({"interviewed_on": "01-12-2026"}, "interviewed_on", "masa depan"),
        ({"interviewed_on": "31-02-2026"}, "interviewed_on", "tanggal yang valid"),
    ],
)  # fmt: skip
def test_an_impossible_interview_is_explained_beside_the_answer_and_nothing_is_saved(
    staff_client: Client, inmate: Any, answers: dict[str, str], field: str, message: str
) -> None:
    response = staff_client.post(
        reverse("assessments:screening_create", args=[inmate.pk]), assist_post(**answers)
    )
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field])
    assert not AssistScreening.objects.exists()
    assert not SubstanceAnswer.objects.exists()


def test_the_case_file_shows_the_band_to_staff_and_offers_the_next_step(
    staff_client: Client, inmate: Any
) -> None:
    page = staff_client.get(inmate.get_absolute_url()).content.decode()
    assert "Belum ada skrining ASSIST" in page
    assert reverse("assessments:screening_create", args=[inmate.pk]) in page
    staff_client.post(
        reverse("assessments:screening_create", args=[inmate.pk]), assist_post(**SABU_USER)
    )
    page = staff_client.get(inmate.get_absolute_url()).content.decode()
    assert "Risiko sedang" in page


def test_a_positive_urine_test_needs_a_confirmation_lab(
    client: Client, members: dict[str, Any], inmate: Any
) -> None:
    client.force_login(members["health"])
    url = reverse("assessments:urine_create", args=[inmate.pk])
    data = {"tested_on": "20-11-2026", "panel": "six", "result_AMP": "negative",
            "result_MET": "positive", "result_THC": "negative", "result_COC": "negative",
            "result_MOP": "negative", "result_BZO": "negative"}  # fmt: skip
    response = client.post(url, data)
    assert "laboratorium konfirmasi" in " ".join(
        response.context["form"].errors["confirmation_lab"]
    )
    assert not UrineTest.objects.exists()
    response = client.post(url, {**data, "confirmation_lab": "Labkesda Kabupaten Paser"})
    assert response.status_code == 302
    test = UrineTest.objects.get()
    assert dict(test.results.values_list("analyte", "result"))["MET"] == "positive"


def test_a_six_parameter_panel_needs_all_six_results(
    client: Client, members: dict[str, Any], inmate: Any
) -> None:
    client.force_login(members["health"])
    response = client.post(
        reverse("assessments:urine_create", args=[inmate.pk]),
        {"tested_on": "20-11-2026", "panel": "six", "result_AMP": "negative"},
    )
    assert "Wajib diisi untuk panel ini." in response.context["form"].errors["result_BZO"]
    assert not UrineTest.objects.exists()


def test_a_health_screening_without_consent_is_refused(
    client: Client, members: dict[str, Any], inmate: Any
) -> None:
    client.force_login(members["health"])
    response = client.post(
        reverse("assessments:health_create", args=[inmate.pk]),
        {"screened_on": "20-11-2026", "hiv": "non_reactive", "tb_symptoms": "unknown"},
    )
    assert "persetujuan" in " ".join(response.context["form"].errors["consent_given"])
    assert not HealthScreening.objects.exists()


def test_a_reactive_result_must_name_the_referral(
    client: Client, members: dict[str, Any], inmate: Any
) -> None:
    client.force_login(members["health"])
    response = client.post(
        reverse("assessments:health_create", args=[inmate.pk]),
        {"screened_on": "20-11-2026", "consent_given": "on", "hiv": "reactive",
         "tb_symptoms": "unknown"},
    )  # fmt: skip
    assert "dirujuk" in " ".join(response.context["form"].errors["referred_to"])
    assert not HealthScreening.objects.exists()


HIDDEN_FROM = ["staff", "warden", "supervisor", "admin"]


@pytest.mark.parametrize("role", HIDDEN_FROM)
def test_no_page_shows_a_health_or_urine_result_to_a_non_clinical_role(
    client: Client, members: dict[str, Any], inmate: Any, role: str
) -> None:
    screening = HealthScreeningFactory(
        inmate=inmate, hiv="reactive", referred_to="RSUD Panglima Sebaya"
    )
    test = UrineTestFactory(inmate=inmate)
    test.results.create(analyte="MET", result="positive")
    client.force_login(members[role])
    pages = [
        reverse("today"),
        reverse("inmates:list"),
        inmate.get_absolute_url(),
        reverse("inmates:history", args=[inmate.pk]),
    ]
    for url in pages:
        page = client.get(url).content.decode()
        assert "Reaktif" not in page, url
        assert "RSUD Panglima Sebaya" not in page, url
        assert "Positif" not in page, url
        assert reverse("assessments:health_detail", args=[screening.pk]) not in page, url
    assert client.get(reverse("assessments:health_detail", args=[screening.pk])).status_code == 403
    assert client.get(reverse("assessments:urine_detail", args=[test.pk])).status_code == 403
    assert not AccessLog.objects.exists()


@pytest.mark.parametrize("role", ["health", "counselor"])
def test_a_clinical_role_reads_the_results_and_each_read_is_logged(
    client: Client, members: dict[str, Any], inmate: Any, role: str
) -> None:
    screening = HealthScreeningFactory(inmate=inmate, hiv="reactive")
    test = UrineTestFactory(inmate=inmate)
    test.results.create(analyte="MET", result="positive")
    client.force_login(members[role])
    page = client.get(inmate.get_absolute_url()).content.decode()
    assert reverse("assessments:health_detail", args=[screening.pk]) in page
    assert (
        "Reaktif"
        in client.get(reverse("assessments:health_detail", args=[screening.pk])).content.decode()
    )
    assert (
        "Positif"
        in client.get(reverse("assessments:urine_detail", args=[test.pk])).content.decode()
    )
    client.get(reverse("assessments:health_detail", args=[screening.pk]))
    logged = list(
        AccessLog.objects.order_by("id").values_list("user__username", "action", "target_id")
    )
    assert logged == [
        (f"{role}.a", "health_screening.read", screening.pk),
        (f"{role}.a", "urine_test.read", test.pk),
        (f"{role}.a", "health_screening.read", screening.pk),
    ]
