"""What the ASSIST screening says, beyond the arithmetic: the form in the words of the Indonesian
v3.1 form, tobacco-only shown as such (on the sheet, the case file and the monthly figures), the
main substance by band before score, and the WHO injecting pattern behind the suggested tier."""

from __future__ import annotations

import datetime
import re
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from assessments import scoring
from assessments.models import AssistScreening
from reports import indicators
from tests.assessments.test_screening_views import assist_post
from tests.factories import InmateFactory

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.clock(datetime.datetime(2026, 11, 23, 3, 0, tzinfo=datetime.UTC)),
]

SMOKER = {
    "tobacco_q1": "yes",
    "tobacco_q2": "daily",
    "tobacco_q3": "daily",
    "tobacco_q4": "never",
    "tobacco_q6": "past_3_months",
    "tobacco_q7": "no",
}  # fmt: skip  6 + 6 + 0 + 6 + 0 = 18: tobacco moderate
DRINKER_AND_CANNABIS = {
    "alcohol_q1": "yes", "alcohol_q2": "weekly", "alcohol_q3": "once_or_twice",
    "alcohol_q4": "never", "alcohol_q5": "never", "alcohol_q6": "not_past_3_months",
    "alcohol_q7": "no",  # 4 + 3 + 3 = 10: alcohol low (0-10)
    "cannabis_q1": "yes", "cannabis_q2": "never", "cannabis_q6": "not_past_3_months",
    "cannabis_q7": "not_past_3_months",  # 3 + 3 = 6: cannabis moderate (4-26)
}  # fmt: skip


def screen(client: Client, inmate: Any, **answers: str) -> AssistScreening:
    response = client.post(
        reverse("assessments:screening_create", args=[inmate.pk]), assist_post(**answers)
    )
    assert response.status_code == 302, response.content.decode()[:500]
    return AssistScreening.objects.filter(inmate=inmate).latest("id")


def test_the_form_reads_the_questions_in_full_and_its_answers_are_words(
    staff_client: Client, facility_a: Any
) -> None:
    inmate = InmateFactory(facility=facility_a)
    page = staff_client.get(reverse("assessments:screening_create", args=[inmate.pk]))
    html = page.content.decode()
    for wording in [
        "Sepanjang hidup anda, zat mana saja yang pernah anda pakai? (hanya pemakaian non-medis)",
        "seberapa sering anda gagal melakukan hal yang biasanya diharapkan dari anda",
        "Apakah anda pernah mencoba mengendalikan, mengurangi atau menghentikan pemakaian",
        "Apakah anda pernah memakai zat apa pun dengan cara disuntik? (hanya pemakaian non-medis)",
        "Kanabis (marijuana, ganja, gelek, cimeng, dll.)",
        "Stimulan jenis amfetamin (sabu, ekstasi, dll.)",
        "Opioid (heroin, putaw, morfin, metadon, kodein, buprenorfin, tramadol, dll.)",
    ]:
        assert wording in html, wording
    grid = html[html.index('<table class="table table-sm align-middle assist-grid">') :]
    options = re.findall(r"<option value=\"[a-z_0-9]+\"[^>]*>([^<]*)</option>", grid)
    assert "Harian atau hampir tiap hari" in options
    assert [o for o in options if re.match(r"\s*\d", o)] == []  # no digit that looks like a score


def test_a_wbp_who_only_smokes_is_shown_as_tobacco_only_not_as_no_substance(
    staff_client: Client, facility_a: Any
) -> None:
    smoker, abstainer = InmateFactory(facility=facility_a), InmateFactory(facility=facility_a)
    screening = screen(staff_client, smoker, **SMOKER)
    assert (screening.main_substance, screening.tobacco_level) == ("", "moderate")
    screen(staff_client, abstainer)
    assert 'Hanya tembakau: <span class="badge level-moderate">Risiko sedang' in (
        staff_client.get(screening.get_absolute_url()).content.decode()
    )
    assert "Hanya tembakau" in staff_client.get(smoker.get_absolute_url()).content.decode()
    case_file = staff_client.get(abstainer.get_absolute_url()).content.decode()
    assert "Tidak memakai zat dalam skrining ini" in case_file

    month = indicators.screening(facility_a.pk, datetime.date(2026, 11, 1),
                                 datetime.date(2026, 11, 30))  # fmt: skip
    assert month["by_substance"]["tobacco_only"] == {"low": 0, "moderate": 1, "high": 0}
    assert month["by_substance"]["none"] == {"low": 1, "moderate": 0, "high": 0}
    assert month["by_band"] == {"low": 1, "moderate": 1, "high": 0}


def test_the_main_substance_is_chosen_by_band_before_score(
    staff_client: Client, facility_a: Any
) -> None:
    screening = screen(staff_client, InmateFactory(facility=facility_a), **DRINKER_AND_CANNABIS)
    assert (screening.main_substance, screening.main_score, screening.main_level) == (
        "cannabis", 6, "moderate",
    )  # fmt: skip


@pytest.mark.parametrize(
    ("pattern", "tier", "note"),
    [
        ("weekly_or_less", "ringan", "intervensi singkat tentang risiko menyuntik"),
        ("more_than_weekly", "berat", "Pola menyuntik berisiko tinggi"),
    ],
)
def test_injecting_raises_the_suggested_tier_only_at_the_who_high_risk_pattern(
    client: Client, members: dict[str, Any], facility_a: Any, pattern: str, tier: str, note: str
) -> None:
    client.force_login(members["counselor"])
    inmate = InmateFactory(facility=facility_a)
    light = {
        "amphetamines_q1": "yes",
        "amphetamines_q2": "never",
        "amphetamines_q6": "no",
        "amphetamines_q7": "not_past_3_months",
    }  # fmt: skip  3: low
    response = client.post(
        reverse("assessments:screening_create", args=[inmate.pk]),
        {**assist_post(**light), "injection": "past_3_months", "injection_pattern": pattern},
    )
    screening = AssistScreening.objects.get(inmate=inmate)
    assert response.status_code == 302 and screening.main_level == "low"
    assert note in client.get(screening.get_absolute_url()).content.decode()
    suggested = scoring.suggested_tier(
        screening.main_level, injects_high_risk=screening.injects_high_risk
    )
    assert suggested == tier
