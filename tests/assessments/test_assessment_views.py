"""Assessments: drafts, the tier decision beside the screening, signing by certified
assessors only, corrections as new versions, conflicts, and who sees what."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from assessments import services
from assessments.models import Assessment
from rehab.models import AccessLog
from tests.factories import AssessmentFactory, CredentialFactory, InmateFactory

NOW = datetime.datetime(2026, 11, 23, 3, 0, tzinfo=datetime.UTC)
DOMAINS = ["medical", "employment", "substance", "legal", "family", "psychiatric", "demographic"]


pytestmark = [pytest.mark.django_db, pytest.mark.clock(NOW)]


@pytest.fixture
def inmate(facility_a: Any) -> Any:
    return InmateFactory(facility=facility_a, full_name="Rudi Hartono")


@pytest.fixture
def counselor(client: Client, members: dict[str, Any]) -> Client:
    CredentialFactory(user=members["counselor"])
    client.force_login(members["counselor"])
    return client


@pytest.fixture
def screening(inmate: Any, members: dict[str, Any]) -> Any:
    """A moderate sabu screening: it suggests the 'sedang' tier."""
    answers = {"amphetamines": {"q1": "yes", "q2": "weekly", "q3": "weekly", "q4": "once_or_twice",
                                "q5": "never", "q6": "past_3_months", "q7": "no"}}  # fmt: skip
    return services.screening_record(
        inmate=inmate, by=members["staff"], interviewed_on=datetime.date(2026, 11, 2),
        reference_period="before_detention", answers=answers, injection="no",
    )  # fmt: skip


def form_data(screening: Any = None, **overrides: str) -> dict[str, str]:
    data = {
        "assessed_on": "20-11-2026", "screening": str(screening.pk) if screening else "",
        "diagnosis_system": "icd10", "diagnosis_code": "F15.2", "dsm5_severity": "",
        "comorbidity": "", "final_tier": "sedang", "tier_reason": "",
        "domains-TOTAL_FORMS": "7", "domains-INITIAL_FORMS": "7",
        "uses-TOTAL_FORMS": "1", "uses-INITIAL_FORMS": "0",
        "uses-0-substance": "amphetamines", "uses-0-age_first_use": "19", "uses-0-route": "smoked",
        "uses-0-years_used": "6",
        "plan-TOTAL_FORMS": "1", "plan-INITIAL_FORMS": "0",
        "plan-0-intervention": "group", "plan-0-details": "Konseling kelompok 2x seminggu",
    }  # fmt: skip
    for i, domain in enumerate(DOMAINS):
        data[f"domains-{i}-domain"] = domain
        data[f"domains-{i}-narrative"] = f"Uraian {domain}"
        data[f"domains-{i}-client_trouble"] = "2"
        data[f"domains-{i}-client_need"] = "3"
        data[f"domains-{i}-severity"] = "5"
    data.update(overrides)
    return data


def test_a_draft_keeps_the_domains_history_plan_and_the_suggested_tier(
    counselor: Client, inmate: Any, screening: Any
) -> None:
    response = counselor.post(
        reverse("assessments:assessment_create", args=[inmate.pk]), form_data(screening)
    )
    assessment = Assessment.objects.get()
    assert response["Location"] == assessment.get_absolute_url()
    assert (assessment.status, assessment.recommended_tier, assessment.final_tier) == (
        "draft", "sedang", "sedang",
    )  # fmt: skip
    assert assessment.domains.count() == 7
    assert list(assessment.plan_items.values_list("intervention", flat=True)) == ["group"]
    assert assessment.substance_uses.get().years_used == 6


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"final_tier": "berat"}, "tier_reason", "tuliskan alasannya"),
        ({"diagnosis_code": "F25.1"}, "diagnosis_code", "F10.x sampai F19.x"),
        ({"diagnosis_system": "dsm5", "diagnosis_code": ""}, "dsm5_severity", "derajat DSM-5"),
        ({"assessed_on": "24-11-2026"}, "assessed_on", "masa depan"),
    ],
)
def test_a_bad_assessment_is_explained_beside_the_field_and_nothing_is_saved(
    counselor: Client,
    inmate: Any,
    screening: Any,
    overrides: dict[str, str],
    field: str,
    message: str,
) -> None:
    response = counselor.post(
        reverse("assessments:assessment_create", args=[inmate.pk]),
        form_data(screening, **overrides),
    )
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field])
    assert "Uraian psychiatric" in response.content.decode()  # the typing is kept
    assert not Assessment.objects.exists()


def test_a_tier_that_differs_from_the_screening_is_kept_with_its_reason(
    counselor: Client, inmate: Any, screening: Any
) -> None:
    counselor.post(
        reverse("assessments:assessment_create", args=[inmate.pk]),
        form_data(screening, final_tier="berat", tier_reason="Riwayat putus zat berat."),
    )
    assessment = Assessment.objects.get()
    assert assessment.differs_from_screening
    assert assessment.tier_reason == "Riwayat putus zat berat."


def test_only_a_valid_certificate_can_sign(
    client: Client, members: dict[str, Any], inmate: Any
) -> None:
    assessment = AssessmentFactory(inmate=inmate)
    user = members["counselor"]
    client.force_login(user)
    url = reverse("assessments:assessment_sign", args=[assessment.pk])
    response = client.post(url, follow=True)
    assert "sertifikat yang masih berlaku" in response.content.decode()
    CredentialFactory(user=user, valid_until=datetime.date(2026, 11, 22))  # expired yesterday
    client.post(url)
    assessment.refresh_from_db()
    assert assessment.status == "draft"
    CredentialFactory(user=user)
    client.post(url)
    assessment.refresh_from_db()
    assert (assessment.status, assessment.signed_by) == ("signed", user)


def test_a_signed_assessment_cannot_be_changed_in_place_and_offers_the_correction(
    counselor: Client, members: dict[str, Any], inmate: Any, screening: Any
) -> None:
    assessment = AssessmentFactory(inmate=inmate, final_tier="sedang")
    services.assessment_sign(assessment=assessment, by=members["counselor"])
    url = reverse("assessments:assessment_edit", args=[assessment.pk])
    response = counselor.get(url)
    assert response.status_code == 403
    assert (
        reverse("assessments:assessment_amend", args=[assessment.pk]) in response.content.decode()
    )
    response = counselor.post(url, form_data(screening, final_tier="berat", tier_reason="x"))
    assert response.status_code == 403
    assessment.refresh_from_db()
    assert assessment.final_tier == "sedang"


def test_a_correction_is_a_new_version_and_both_stay_visible(
    counselor: Client, members: dict[str, Any], inmate: Any, screening: Any
) -> None:
    counselor.post(reverse("assessments:assessment_create", args=[inmate.pk]), form_data(screening))
    first = Assessment.objects.get()
    services.assessment_sign(assessment=first, by=members["counselor"])
    response = counselor.post(
        reverse("assessments:assessment_amend", args=[first.pk]),
        {"reason": "Salah tulis kode diagnosis"},
    )
    second = Assessment.objects.exclude(pk=first.pk).get()
    assert response["Location"] == reverse("assessments:assessment_edit", args=[second.pk])
    assert (second.version, second.amends, second.status) == (2, first, "draft")
    assert second.domains.count() == 7  # copied, then edited
    counselor.post(
        reverse("assessments:assessment_edit", args=[second.pk]),
        form_data(screening, diagnosis_code="F15.20", version="1"),
    )
    counselor.post(reverse("assessments:assessment_sign", args=[second.pk]))
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.superseded and first.diagnosis_code == "F15.2"
    assert second.diagnosis_code == "F15.20" and second.is_signed
    assert list(Assessment.objects.current()) == [second]
    page = counselor.get(second.get_absolute_url()).content.decode()
    assert "Salah tulis kode diagnosis" in page and first.get_absolute_url() in page


def test_two_saves_of_one_draft_give_the_second_a_conflict(
    counselor: Client, members: dict[str, Any], inmate: Any, screening: Any
) -> None:
    counselor.post(reverse("assessments:assessment_create", args=[inmate.pk]), form_data(screening))
    draft = Assessment.objects.get()
    url = reverse("assessments:assessment_edit", args=[draft.pk])
    assert (
        counselor.post(url, form_data(screening, comorbidity="Depresi", version="1")).status_code
        == 302
    )
    other = Client()
    other.force_login(members["health"])
    response = other.post(url, form_data(screening, comorbidity="Ansietas", version="1"))
    assert response.status_code == 409
    assert "sudah diubah oleh" in response.content.decode()
    assert 'value="Ansietas"' in response.content.decode()
    draft.refresh_from_db()
    assert draft.comorbidity == "Depresi"


@pytest.mark.parametrize("role", ["staff", "warden", "supervisor"])
def test_non_clinical_roles_see_the_tier_but_never_the_clinical_detail(
    client: Client, members: dict[str, Any], inmate: Any, role: str
) -> None:
    assessment = AssessmentFactory(
        inmate=inmate, final_tier="berat", diagnosis_code="F15.2", comorbidity="Psikosis"
    )
    services.assessment_sign(assessment=assessment, by=CredentialFactory().user)
    client.force_login(members[role])
    page = client.get(inmate.get_absolute_url()).content.decode()
    assert "Berat" in page
    assert "F15.2" not in page and "Psikosis" not in page
    assert assessment.get_absolute_url() not in page
    assert client.get(assessment.get_absolute_url()).status_code == 403
    assert not AccessLog.objects.exists()


def test_a_counselor_reading_an_assessment_is_logged(
    counselor: Client, members: dict[str, Any], inmate: Any
) -> None:
    assessment = AssessmentFactory(inmate=inmate, comorbidity="Psikosis")
    assert "Psikosis" in counselor.get(assessment.get_absolute_url()).content.decode()
    log = AccessLog.objects.get()
    assert (log.user, log.action, log.target_id) == (
        members["counselor"],
        "assessment.read",
        assessment.pk,
    )


def test_the_today_page_lists_overdue_and_coming_reassessments(
    counselor: Client, members: dict[str, Any], facility_a: Any
) -> None:
    """Not placed yet: the programme counts from the assessment (ringan 7, sedang 15 and
    berat 30 days to its midpoint); today is 23 November."""
    signer = members["counselor"]
    overdue = AssessmentFactory(
        inmate=InmateFactory(facility=facility_a, full_name="Andi Terlambat"),
        final_tier="ringan", assessed_on=datetime.date(2026, 11, 10),
    )  # fmt: skip
    coming = AssessmentFactory(
        inmate=InmateFactory(facility=facility_a, full_name="Budi Minggu Ini"),
        final_tier="sedang", assessed_on=datetime.date(2026, 11, 12),
    )  # fmt: skip
    later = AssessmentFactory(
        inmate=InmateFactory(facility=facility_a, full_name="Cecep Nanti"),
        final_tier="berat", assessed_on=datetime.date(2026, 11, 12),
    )  # fmt: skip
    for a in (overdue, coming, later):
        services.assessment_sign(assessment=a, by=signer)
    page = counselor.get(reverse("today")).content.decode()
    assert "Andi Terlambat" in page and "Budi Minggu Ini" in page
    assert "Cecep Nanti" not in page
    assert page.index("terlambat") < page.index("Andi Terlambat")
