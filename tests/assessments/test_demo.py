"""The demo screenings, tests and assessments: realistic, consistent with the ASSIST scoring,
signed only by certified assessors, and never duplicated by a second run."""

from __future__ import annotations

import datetime
from collections import Counter
from io import StringIO
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db.models import Model
from django.utils import timezone

from assessments import reviews, scoring, services
from assessments.demo import LOCALES
from assessments.models import (
    Assessment,
    AssessmentStatus,
    AssessorCredential,
    AssistScreening,
    Domain,
    DomainRating,
    HealthScreening,
    PlanItem,
    SubstanceAnswer,
    SubstanceUse,
    UrineResult,
    UrineTest,
    has_valid_credential,
)
from inmates.models import Inmate
from rehab.models import AuditEntry

DEMO_RUTAN = ["tanah-grogot", "banjarnegara"]
WEEK = datetime.timedelta(days=7)


def signed_assessments(code: str | None = None) -> Any:
    qs = Assessment.objects.filter(status=AssessmentStatus.SIGNED, facility__code__in=DEMO_RUTAN)
    return qs.filter(facility__code=code) if code else qs


def test_the_output_says_what_was_screened_tested_and_assessed(seeded: str, db: Any) -> None:
    for code in DEMO_RUTAN:
        assert f"{code}: " in seeded
    assert "ASSIST screenings" in seeded
    assert "signed assessments" in seeded


def test_about_sixty_percent_of_the_wbp_in_custody_are_screened_once(seeded: str, db: Any) -> None:
    for code in DEMO_RUTAN:
        in_custody = Inmate.objects.filter(facility__code=code).in_custody()
        screenings = AssistScreening.objects.filter(facility__code=code)
        screened = set(screenings.values_list("inmate_id", flat=True))
        # Screened in custody; the few released since (the aftercare demo) are screened too.
        released = set(
            Inmate.objects.filter(facility__code=code, status="released").values_list(
                "pk", flat=True
            )
        )
        custody = set(in_custody.values_list("pk", flat=True))
        assert screened <= custody | released
        assert len(screened) == screenings.count()
        assert 0.5 <= len(screened & custody) / len(custody) <= 0.7


def test_tanah_grogot_has_low_moderate_and_high_screenings_with_more_moderate_than_low(
    seeded: str, db: Any
) -> None:
    levels = Counter(
        AssistScreening.objects.filter(facility__code="tanah-grogot").values_list(
            "main_level", flat=True
        )
    )
    assert set(levels) == {"low", "moderate", "high"}
    assert levels["moderate"] > levels["low"]
    assert levels["high"] > levels["low"] / 2


def test_sabu_is_the_main_drug_of_most_and_most_smoke_every_day(seeded: str, db: Any) -> None:
    for code in DEMO_RUTAN:
        screenings = AssistScreening.objects.filter(facility__code=code)
        mains = Counter(screenings.values_list("main_substance", flat=True))
        assert mains.most_common(1)[0][0] == "amphetamines"
        assert mains["amphetamines"] > screenings.count() / 2
        assert len(mains) >= 4, "ganja, pil koplo or alcohol show up too"
        tobacco = SubstanceAnswer.objects.filter(
            screening__facility__code=code, substance="tobacco"
        )
        assert tobacco.filter(q2="daily").count() > screenings.count() * 0.6


def test_every_stored_answer_scores_what_the_scoring_module_says_under_the_skip_logic(
    seeded: str, db: Any
) -> None:
    screenings = AssistScreening.objects.filter(facility__code__in=DEMO_RUTAN).prefetch_related(
        "answers"
    )
    assert screenings.exists()
    for screening in screenings:
        answers = list(screening.answers.all())
        assert sorted(a.substance for a in answers) == sorted(scoring.SUBSTANCES)
        for answer in answers:
            given = answer.answers()
            assert "q1" in given, "Q1 is asked for every substance"
            assert answer.score == scoring.substance_involvement_score(answer.substance, given)
            assert answer.level == scoring.risk_level(answer.substance, answer.score)
            asked = set(given) - {"q1"}
            assert asked == scoring.questions_that_apply(answer.substance, given)
        main = scoring.main_substance({a.substance: a.score for a in answers})
        assert screening.main_substance == (main or "")


def test_screenings_tests_and_assessments_fall_between_admission_and_today(
    seeded: str, db: Any
) -> None:
    today = timezone.localdate()
    for model, day in [
        (AssistScreening, "interviewed_on"),
        (UrineTest, "tested_on"),
        (HealthScreening, "screened_on"),
        (Assessment, "assessed_on"),
    ]:
        rows = model.objects.filter(facility__code__in=DEMO_RUTAN).select_related("inmate")
        assert rows.exists(), model.__name__
        for row in rows:
            assert row.inmate.admission_date <= getattr(row, day) <= today, model.__name__
    for assessment in Assessment.objects.filter(facility__code__in=DEMO_RUTAN):
        assert assessment.screening is not None
        assert assessment.screening.inmate_id == assessment.inmate_id
        assert assessment.screening.interviewed_on <= assessment.assessed_on


def test_most_wbp_held_over_three_months_are_asked_about_the_months_before_detention(
    seeded: str, db: Any
) -> None:
    long_held = [
        s
        for s in AssistScreening.objects.filter(facility__code__in=DEMO_RUTAN).select_related(
            "inmate"
        )
        if (s.interviewed_on - (s.inmate.detention_date or s.inmate.admission_date)).days > 92
    ]
    before = [s for s in long_held if s.reference_period == "before_detention"]
    assert len(before) > 0.8 * len(long_held)


def test_every_signed_assessment_was_signed_by_a_holder_of_a_credential_valid_that_day(
    seeded: str, db: Any
) -> None:
    today = timezone.localdate()
    signed = signed_assessments().select_related("signed_by")
    assert signed.count() >= 20
    for assessment in signed:
        day = timezone.localtime(assessment.signed_at).date()
        assert assessment.assessed_on <= day <= today
        credentials = assessment.signed_by.assessor_credentials.all()
        assert any(c.is_valid_on(day) for c in credentials), assessment


def test_the_counselors_are_certified_and_nakes_banjarnegara_cannot_sign_her_draft(
    seeded: str, db: Any
) -> None:
    users = get_user_model().objects
    for username in ["konselor.grogot", "nakes.grogot", "konselor.banjarnegara"]:
        assert has_valid_credential(users.get(username=username)), username
        credential = AssessorCredential.objects.get(user__username=username)
        assert credential.valid_until > timezone.localdate() + datetime.timedelta(days=300)
    nakes = users.get(username="nakes.banjarnegara")
    assert AssessorCredential.objects.filter(user=nakes).exists()
    assert not has_valid_credential(nakes)
    draft = Assessment.objects.get(assessor=nakes, status=AssessmentStatus.DRAFT)
    with pytest.raises(services.NotCertified):
        services.assessment_sign(assessment=draft, by=nakes)


def test_every_signed_assessment_rates_the_seven_domains_with_a_diagnosis_and_a_plan(
    seeded: str, db: Any
) -> None:
    signed = signed_assessments().prefetch_related("domains", "substance_uses", "plan_items")
    for assessment in signed.select_related("screening"):
        domains = {d.domain: d for d in assessment.domains.all()}
        assert set(domains) == set(Domain.values)
        for domain in domains.values():
            assert domain.narrative.endswith(".")
            if domain.domain != Domain.DEMOGRAPHIC:
                assert domain.client_trouble is not None and 0 <= domain.client_trouble <= 4
                assert domain.client_need is not None and 0 <= domain.client_need <= 4
                assert domain.severity is not None and 0 <= domain.severity <= 9
        uses = list(assessment.substance_uses.all())
        assert uses[0].substance == assessment.screening.main_substance
        assert uses[0].age_first_use is not None and 14 <= uses[0].age_first_use <= 30
        assert assessment.diagnosis_code.startswith("F1")
        assert assessment.plan_items.exists()


def test_sabu_is_mostly_smoked_and_diagnosed_as_f15(seeded: str, db: Any) -> None:
    sabu = SubstanceUse.objects.filter(
        assessment__facility__code__in=DEMO_RUTAN, substance="amphetamines"
    )
    routes = Counter(sabu.values_list("route", flat=True))
    assert routes.most_common(1)[0][0] == "smoked"
    codes = Counter(c[:3] for c in signed_assessments().values_list("diagnosis_code", flat=True))
    assert codes.most_common(1)[0][0] == "F15"


def test_the_final_tier_mostly_follows_the_screening_and_every_other_one_says_why(
    seeded: str, db: Any
) -> None:
    current = list(signed_assessments().current())
    differing = [a for a in current if a.differs_from_screening]
    assert 0 < len(differing) <= 0.25 * len(current)
    for assessment in current:
        assert bool(assessment.tier_reason) == assessment.differs_from_screening


def test_plans_match_the_tier(seeded: str, db: Any) -> None:
    for assessment in signed_assessments().prefetch_related("plan_items"):
        plan = {p.intervention for p in assessment.plan_items.all()}
        if assessment.final_tier == "ringan":
            assert {"education", "brief"} <= plan
        elif assessment.final_tier == "sedang":
            assert {"individual", "group"} <= plan
        else:
            assert {"social", "individual"} <= plan


def test_every_signed_case_has_computed_re_assessments_some_overdue_some_due_this_week(
    seeded: str, db: Any
) -> None:
    today = timezone.localdate()
    for code in DEMO_RUTAN:
        inmates = Inmate.objects.filter(facility__code=code)
        signed = set(signed_assessments(code).current().values_list("inmate_id", flat=True))
        computed = reviews.reviews_of(inmates)
        assert set(computed) == signed
        assert all(len(found) >= 2 for found in computed.values())  # midpoint and end at least
        facility_id = inmates.values_list("facility_id", flat=True).first()
        assert facility_id is not None
        due = reviews.due_by([facility_id], today + WEEK, limit=1000)
        assert any(r.due_on < today for r in due), "an overdue re-assessment"
        assert any(today <= r.due_on < today + WEEK for r in due), "one due this week"
        assert 2 <= Assessment.objects.filter(facility__code=code, status="draft").count() <= 3


def test_each_demo_rutan_shows_one_signed_correction_of_a_signed_assessment(
    seeded: str, db: Any
) -> None:
    for code in DEMO_RUTAN:
        correction = Assessment.objects.get(facility__code=code, amends__isnull=False)
        original = correction.amends
        assert correction.is_signed and correction.version == 2 and not correction.superseded
        assert correction.amendment_reason
        assert original is not None and original.is_signed and original.superseded
        assert original.signed_at is not None and correction.signed_at is not None
        assert original.signed_at < correction.signed_at
        changed = [
            name
            for name in ("diagnosis_code", "tier_reason")
            if getattr(original, name) != getattr(correction, name)
        ]
        assert len(changed) == 1


def test_urine_positives_are_mostly_met_and_go_to_a_confirmation_lab(seeded: str, db: Any) -> None:
    for code in DEMO_RUTAN:
        tests = UrineTest.objects.filter(facility__code=code).prefetch_related("results")
        screened = AssistScreening.objects.filter(facility__code=code).count()
        assert 0.3 <= tests.count() / screened <= 0.5
        assert tests.filter(panel="six").count() > tests.count() / 2
        assert {t.collector.username for t in tests} == {LOCALES[code].health}
        for test in tests:
            if services.urine_is_positive(test):
                assert test.confirmation_lab in LOCALES[code].labs
            else:
                assert not test.confirmation_lab and not test.confirmation_result
        positives = UrineResult.objects.filter(test__facility__code=code, result="positive")
        assert positives.exists()
    analytes = Counter(
        UrineResult.objects.filter(
            test__facility__code__in=DEMO_RUTAN, result="positive"
        ).values_list("analyte", flat=True)
    )
    assert analytes.most_common(1)[0][0] in ("MET", "AMP"), "sabu shows as MET (and AMP)"


def test_about_thirty_percent_have_a_consented_health_screening_with_referrals_when_reactive(
    seeded: str, db: Any
) -> None:
    for code in DEMO_RUTAN:
        in_custody = Inmate.objects.filter(facility__code=code).in_custody().count()
        screenings = HealthScreening.objects.filter(facility__code=code)
        assert 0.25 <= screenings.count() / in_custody <= 0.35
        assert all(s.consent_given for s in screenings)
        for screening in screenings:
            assert bool(screening.referred_to) == screening.any_reactive
            if screening.referred_to:
                assert screening.referred_to == LOCALES[code].hospital
        assert screenings.filter(hiv="non_reactive").count() > 0.9 * screenings.count()
    assert HealthScreening.objects.filter(hepatitis_c="reactive").exists()


def counts() -> dict[str, int]:
    """Count every kind of row the demo writes here."""
    models: list[type[Model]] = [
        AssessorCredential, AssistScreening, SubstanceAnswer, UrineTest, UrineResult,
        HealthScreening, Assessment, DomainRating, SubstanceUse, PlanItem, AuditEntry,
    ]  # fmt: skip
    return {m.__name__: m._default_manager.count() for m in models}


def test_a_second_run_adds_no_credential_screening_test_or_assessment(seeded: str, db: Any) -> None:
    before = counts()
    out = StringIO()
    call_command("seed_demo", stdout=out)
    assert counts() == before
    assert "already has screenings, left as is" in out.getvalue()
