"""Writes of screening and assessment records, each with its history entry."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from assessments import reviews, scoring
from assessments.models import (
    Assessment,
    AssessmentStatus,
    AssistScreening,
    CorrectionState,
    DomainRating,
    HealthCorrection,
    HealthScreening,
    Injection,
    PlanItem,
    ReviewMove,
    SubstanceAnswer,
    SubstanceUse,
    TestResult,
    UrineCorrection,
    UrineResult,
    UrineTest,
    has_valid_credential,
)
from inmates.models import Inmate
from rehab import audit, versions
from rehab.formats import short_date

# What the history of a WBP may name, and which of it is clinical: those fields show in the
# history as changed, never with their value (history pages are read by non-clinical roles).
SCREENING_FIELDS = [
    "interviewed_on", "reference_period", "other_substance", "injection", "injection_pattern",
    "main_substance", "main_score", "main_level",
]  # fmt: skip
SCREENING_SECRET = {
    "other_substance", "injection", "injection_pattern", "main_substance", "main_score",
    "main_level",
}  # fmt: skip
URINE_FIELDS = ["tested_on", "panel", "kit_lot", "confirmation_lab", "confirmation_result"]
# A confirmation lab is named only for a positive: it betrays the result.
URINE_SECRET = {"confirmation_lab", "confirmation_result", "results"}
HEALTH_FIELDS = ["screened_on", "consent_given", *HealthScreening.RESULT_FIELDS, "referred_to"]
# A referral betrays a reactive result; the notes are clinical.
HEALTH_SECRET = {*HealthScreening.RESULT_FIELDS, "referred_to", "notes"}
ASSESSMENT_FIELDS = [
    "assessed_on", "screening", "diagnosis_system", "diagnosis_code", "dsm5_severity",
    "comorbidity", "recommended_tier", "final_tier", "tier_reason",
]  # fmt: skip
ASSESSMENT_SECRET = {"diagnosis_code", "dsm5_severity", "comorbidity", "tier_reason", "rows"}


@transaction.atomic
def screening_record(
    *,
    inmate: Inmate,
    by: Any,
    interviewed_on: datetime.date,
    reference_period: str,
    answers: dict[str, dict[str, str]],
    injection: str,
    injection_pattern: str = "",
    other_substance: str = "",
) -> AssistScreening:
    """Store an ASSIST interview: raw answers, the score and band per substance, the main one."""
    rows = []
    for substance in scoring.SUBSTANCES:
        given = answers.get(substance, {})
        if substance == "tobacco":
            given = {q: v for q, v in given.items() if q != "q5"}
        row = SubstanceAnswer(substance=substance, **given)
        row.rescore()  # raises ValueError on an impossible set of answers
        rows.append(row)
    scores = {row.substance: row.score for row in rows}
    main = scoring.main_substance(scores)
    screening = AssistScreening.objects.create(
        facility_id=inmate.facility_id,
        inmate=inmate,
        interviewed_on=interviewed_on,
        interviewer=by,
        reference_period=reference_period,
        other_substance=other_substance,
        injection=injection,
        injection_pattern=injection_pattern if injection == Injection.PAST_3_MONTHS else "",
        main_substance=main or "",
        main_score=scores[main] if main else 0,
        main_level=scoring.risk_level(main, scores[main]) if main else "low",
        tobacco_level=scoring.tobacco_level(scores),
    )
    for row in rows:
        row.screening = screening
    SubstanceAnswer.objects.bulk_create(rows)
    audit.record(
        facility=inmate.facility_id,
        actor=by,
        action="assessments.screening.recorded",
        target=inmate,
        summary=f"ASSIST {short_date(interviewed_on)}",
        changes=audit.diff(
            {}, audit.snapshot(screening, SCREENING_FIELDS), secret=SCREENING_SECRET
        ),
        subject=screening,
    )
    return screening


@transaction.atomic
def urine_test_record(
    *,
    inmate: Inmate,
    by: Any,
    tested_on: datetime.date,
    panel: str,
    results: dict[str, str],
    kit_lot: str = "",
    confirmation_lab: str = "",
    confirmation_result: str = "",
) -> UrineTest:
    """Store a urine test with one row per analyte. The history names the test, not results."""
    test = UrineTest.objects.create(
        facility_id=inmate.facility_id,
        inmate=inmate,
        tested_on=tested_on,
        panel=panel,
        kit_lot=kit_lot,
        collector=by,
        confirmation_lab=confirmation_lab,
        confirmation_result=confirmation_result,
    )
    UrineResult.objects.bulk_create(
        UrineResult(test=test, analyte=analyte, result=result)
        for analyte, result in results.items()
        if result
    )
    after = audit.snapshot(test, URINE_FIELDS)
    after["results"] = ", ".join(f"{a}: {r}" for a, r in results.items() if r)
    audit.record(
        facility=inmate.facility_id,
        actor=by,
        action="assessments.urine_test.recorded",
        target=inmate,
        summary=short_date(tested_on),
        changes=audit.diff({}, after, secret=URINE_SECRET),
        subject=test,
    )
    return test


def urine_is_positive(test: UrineTest) -> bool:
    return any(r.result == TestResult.POSITIVE for r in test.results.all())


@transaction.atomic
def health_screening_record(*, inmate: Inmate, by: Any, data: dict[str, Any]) -> HealthScreening:
    """Store a health screening. Its history entry never holds a result."""
    screening = HealthScreening(facility_id=inmate.facility_id, inmate=inmate, examiner=by, **data)
    screening.full_clean()
    screening.save()
    audit.record(
        facility=inmate.facility_id,
        actor=by,
        action="assessments.health_screening.recorded",
        target=inmate,
        summary=short_date(screening.screened_on),
        changes=audit.diff(
            {}, audit.snapshot(screening, [*HEALTH_FIELDS, "notes"]), secret=HEALTH_SECRET
        ),
        subject=screening,
    )
    return screening


class AssessmentLocked(Exception):
    """A signed assessment is never changed in place; a correction is a new version."""


class NotCertified(Exception):
    """Only a holder of a valid assessor certificate may sign."""


def _suggested_tier(screening: AssistScreening | None, inmate_id: int) -> str:
    if screening is not None and screening.inmate_id != inmate_id:
        raise ValueError("The screening belongs to another WBP.")
    if screening is None or not screening.main_substance:
        return ""
    return scoring.suggested_tier(
        screening.main_level, injects_high_risk=screening.injects_high_risk
    )


def _rows_text(assessment: Assessment) -> str:
    """The domains, substance history and plan of an assessment as one comparable text."""
    parts = [
        repr(list(assessment.domains.order_by("domain").values_list(*DOMAIN_FIELDS))),
        repr(list(assessment.substance_uses.order_by("id").values_list(*SUBSTANCE_USE_FIELDS))),
        repr(list(assessment.plan_items.order_by("id").values_list(*PLAN_FIELDS))),
    ]
    return "|".join(parts)


def _assessment_state(assessment: Assessment) -> dict[str, Any]:
    return {**audit.snapshot(assessment, ASSESSMENT_FIELDS), "rows": _rows_text(assessment)}


def _replace_rows(assessment: Assessment, rows: AssessmentRows) -> None:
    assessment.domains.all().delete()
    assessment.substance_uses.all().delete()
    assessment.plan_items.all().delete()
    DomainRating.objects.bulk_create(DomainRating(assessment=assessment, **r) for r in rows.domains)
    SubstanceUse.objects.bulk_create(
        SubstanceUse(assessment=assessment, **r) for r in rows.substance_uses
    )
    PlanItem.objects.bulk_create(PlanItem(assessment=assessment, **r) for r in rows.plan_items)


@dataclass
class AssessmentRows:
    domains: list[dict[str, Any]] = field(default_factory=list)
    substance_uses: list[dict[str, Any]] = field(default_factory=list)
    plan_items: list[dict[str, Any]] = field(default_factory=list)


@transaction.atomic
def assessment_create(
    *, inmate: Inmate, by: Any, data: dict[str, Any], rows: AssessmentRows
) -> Assessment:
    """Start a draft assessment; the tier the screening suggests is stored beside the decision."""
    assessment = Assessment(
        facility_id=inmate.facility_id, inmate=inmate, assessor=by, updated_by=by, **data
    )
    assessment.recommended_tier = _suggested_tier(assessment.screening, inmate.pk)
    assessment.full_clean()
    assessment.save()
    _replace_rows(assessment, rows)
    audit.record(
        facility=inmate.facility_id,
        actor=by,
        action="assessments.assessment.created",
        target=inmate,
        summary=short_date(assessment.assessed_on),
        changes=audit.diff({}, _assessment_state(assessment), secret=ASSESSMENT_SECRET),
        subject=assessment,
    )
    return assessment


@transaction.atomic
def assessment_update(
    *,
    assessment: Assessment,
    by: Any,
    data: dict[str, Any],
    rows: AssessmentRows,
    expected_revision: int,
) -> Assessment:
    """Save a draft; refuse a signed one and (EditConflict) a save over someone else's newer
    save."""
    current = Assessment.objects.select_for_update().get(pk=assessment.pk)
    if current.is_signed:
        raise AssessmentLocked
    versions.claim(current, expected_revision)
    before = _assessment_state(current)
    for name, value in data.items():
        setattr(current, name, value)
    current.recommended_tier = _suggested_tier(current.screening, current.inmate_id)
    current.updated_by = by
    current.full_clean()
    current.save()
    _replace_rows(current, rows)
    audit.record(
        facility=current.facility_id,
        actor=by,
        action="assessments.assessment.updated",
        target=current.inmate,
        summary=f"v{current.version}",
        changes=audit.diff(before, _assessment_state(current), secret=ASSESSMENT_SECRET),
        subject=current,
    )
    return current


@transaction.atomic
def assessment_sign(*, assessment: Assessment, by: Any) -> Assessment:
    """Sign a draft with a valid assessor certificate; this freezes it for good."""
    current = Assessment.objects.select_for_update().get(pk=assessment.pk)
    if current.is_signed:
        raise AssessmentLocked
    if not has_valid_credential(by):
        raise NotCertified
    signing = ["status", "signed_by", "signed_at"]
    before = audit.snapshot(current, signing)
    current.status = AssessmentStatus.SIGNED
    current.signed_by = by
    current.signed_at = timezone.now()
    current.save(update_fields=["status", "signed_by", "signed_at", "updated_at"])
    if current.amends_id:
        Assessment.objects.filter(pk=current.amends_id).update(superseded=True)
    audit.record(
        facility=current.facility_id,
        actor=by,
        action="assessments.assessment.signed",
        target=current.inmate,
        summary=f"v{current.version} · {current.get_final_tier_display()}",
        changes=audit.diff(before, audit.snapshot(current, signing)),
        subject=current,
    )
    return current


@transaction.atomic
def assessment_amend(*, assessment: Assessment, by: Any, reason: str) -> Assessment:
    """Open a correction: a new draft version that copies the signed one and names why."""
    original = Assessment.objects.select_for_update().get(pk=assessment.pk)
    if not original.is_signed:
        raise AssessmentLocked  # a draft is simply edited
    if Assessment.objects.filter(amends=original).exists():
        return Assessment.objects.get(amends=original)  # one open correction per version
    rows = AssessmentRows(
        domains=list(original.domains.values(*DOMAIN_FIELDS)),
        substance_uses=list(original.substance_uses.values(*SUBSTANCE_USE_FIELDS)),
        plan_items=list(original.plan_items.values(*PLAN_FIELDS)),
    )
    copy = Assessment.objects.get(pk=original.pk)
    copy.pk = None
    copy.id = None
    copy.status = AssessmentStatus.DRAFT
    copy.signed_by = None
    copy.signed_at = None
    copy.superseded = False
    copy.amends = original
    copy.amendment_reason = reason
    copy.version = original.version + 1
    copy.revision = 1
    copy.assessor = by
    copy.updated_by = by
    copy.save()
    _replace_rows(copy, rows)
    audit.record(
        facility=original.facility_id,
        actor=by,
        action="assessments.assessment.amended",
        target=original.inmate,
        summary=f"v{original.version} → v{copy.version}: {reason}"[:255],
        changes=audit.diff(
            {"version": original.version},
            audit.snapshot(copy, ["version", "status", "amendment_reason"]),
        ),
        subject=copy,
    )
    return copy


DOMAIN_FIELDS = ["domain", "narrative", "client_trouble", "client_need", "severity"]
SUBSTANCE_USE_FIELDS = ["substance", "age_first_use", "route", "years_used", "last_use"]
PLAN_FIELDS = ["intervention", "details"]


# --- corrections of results ------------------------------------------------------------------


class CorrectionRefused(Exception):
    """A correction the rules do not allow; the message says why, in Indonesian."""


def _check_reason(reason: str) -> str:
    reason = reason.strip()
    if not reason:
        raise CorrectionRefused(_("Tuliskan alasan koreksi."))
    if len(reason) > settings.TEXT_MAX_SHORT:
        raise CorrectionRefused(
            _("Alasan paling banyak %(n)d karakter.") % {"n": settings.TEXT_MAX_SHORT}
        )
    return reason


def _touch(record: UrineTest | HealthScreening, by: Any) -> None:
    """Stamp who changed the record last (the conflict message names them)."""
    record.updated_by = by
    record.updated_at = timezone.now()
    record.save(update_fields=["updated_by", "updated_at"])


def _locked_test(test: UrineTest, expected_version: int) -> UrineTest:
    current = UrineTest.objects.select_for_update().select_related("inmate").get(pk=test.pk)
    versions.claim(current, expected_version)  # EditConflict: the page was opened before
    return current


def _urine_audit(
    correction: UrineCorrection, *, by: Any, action: str, changes: dict[str, Any]
) -> None:
    """Write the history entry of a correction step; results and reasons stay out of it (the
    history is read by non-clinical roles): the trail with values is the correction rows."""
    test = correction.test
    audit.record(
        facility=test.facility_id,
        actor=by,
        action=action,
        target=test.inmate,
        summary=_("Tes urine %(date)s") % {"date": short_date(test.tested_on)},
        changes=changes,
        subject=correction,
    )


@transaction.atomic
def urine_correction_request(
    *,
    test: UrineTest,
    by: Any,
    analyte: str,
    new_result: str,
    reason: str,
    expected_version: int,
) -> UrineCorrection:
    """Ask for a correction of one analyte's result. The recorded result stands until another
    user confirms it (urine_correction_confirm)."""
    current = _locked_test(test, expected_version)
    reason = _check_reason(reason)
    result = current.results.filter(analyte=analyte).first()
    if result is None:
        raise CorrectionRefused(_("Parameter ini tidak diperiksa pada tes ini."))
    if new_result not in TestResult.values:
        raise CorrectionRefused(_("Pilih hasil koreksi."))
    if new_result == result.result:
        raise CorrectionRefused(_("Hasil koreksi sama dengan hasil yang tercatat."))
    if result.corrections.filter(state=CorrectionState.PENDING).exists():
        raise CorrectionRefused(
            _("Parameter ini sudah punya koreksi yang menunggu konfirmasi: putuskan dulu.")
        )
    correction = UrineCorrection.objects.create(
        facility_id=current.facility_id,
        test=current,
        result=result,
        analyte=analyte,
        old_result=result.result,
        new_result=new_result,
        reason=reason,
        requested_by=by,
        requested_at=timezone.now(),
    )
    _touch(current, by)
    _urine_audit(
        correction,
        by=by,
        action="assessments.urine_result.correction_requested",
        changes={
            **audit.diff({}, {"state": correction.state}),
            "results": [audit.REDACTED, audit.REDACTED],
            "reason": [None, audit.REDACTED],
        },
    )
    return correction


def _locked_pending(correction: UrineCorrection, expected_version: int) -> UrineCorrection:
    _locked_test(correction.test, expected_version)
    current = (
        UrineCorrection.objects.select_for_update()
        .select_related("test", "test__inmate", "result")
        .get(pk=correction.pk)
    )
    if not current.is_pending:
        raise CorrectionRefused(_("Koreksi ini sudah diputuskan."))
    return current


@transaction.atomic
def urine_correction_confirm(
    *, correction: UrineCorrection, by: Any, expected_version: int
) -> UrineCorrection:
    """Confirm another user's correction: from now on the analyte's result is the new one."""
    current = _locked_pending(correction, expected_version)
    if current.requested_by_id == by.pk:
        raise CorrectionRefused(
            _("Koreksi harus dikonfirmasi oleh petugas lain, bukan yang mengajukannya.")
        )
    before = audit.snapshot(current, ["state", "decided_by"])
    current.state = CorrectionState.CONFIRMED
    current.decided_by = by
    current.decided_at = timezone.now()
    current.save(update_fields=["state", "decided_by", "decided_at"])
    result = current.result
    result.result = current.new_result
    result.save(update_fields=["result"])
    _touch(current.test, by)
    _urine_audit(
        current,
        by=by,
        action="assessments.urine_result.corrected",
        changes={
            **audit.diff(before, audit.snapshot(current, ["state", "decided_by"])),
            "results": [audit.REDACTED, audit.REDACTED],
        },
    )
    return current


@transaction.atomic
def urine_correction_refuse(
    *, correction: UrineCorrection, by: Any, reason: str, expected_version: int
) -> UrineCorrection:
    """Refuse (or, by the one who asked, withdraw) a pending correction; the result stays."""
    current = _locked_pending(correction, expected_version)
    reason = _check_reason(reason)
    before = audit.snapshot(current, ["state", "decided_by"])
    current.state = CorrectionState.REFUSED
    current.decided_by = by
    current.decided_at = timezone.now()
    current.refusal_reason = reason
    current.save(update_fields=["state", "decided_by", "decided_at", "refusal_reason"])
    _touch(current.test, by)
    _urine_audit(
        current,
        by=by,
        action="assessments.urine_result.correction_refused",
        changes={
            **audit.diff(before, audit.snapshot(current, ["state", "decided_by"])),
            "refusal_reason": [None, audit.REDACTED],
        },
    )
    return current


# The fields of a health screening a correction may change: its results and what follows them.
HEALTH_CORRECTABLE = [*HealthScreening.RESULT_FIELDS, "referred_to", "notes"]


@transaction.atomic
def health_screening_correct(
    *, screening: HealthScreening, by: Any, data: dict[str, Any], reason: str, expected_version: int
) -> HealthCorrection:
    """Correct a health screening's results, with the reason; the old values are kept in the
    correction row (read on the result page only), the history names the fields changed."""
    current = (
        HealthScreening.objects.select_for_update().select_related("inmate").get(pk=screening.pk)
    )
    versions.claim(current, expected_version)
    reason = _check_reason(reason)
    unknown = set(data) - set(HEALTH_CORRECTABLE)
    if unknown:
        raise ValueError(f"not correctable: {sorted(unknown)}")
    before = audit.snapshot(current, HEALTH_CORRECTABLE)
    for name, value in data.items():
        setattr(current, name, value)
    after = audit.snapshot(current, HEALTH_CORRECTABLE)
    changes = audit.diff(before, after)
    if not changes:
        raise CorrectionRefused(_("Tidak ada yang dikoreksi: isian sama dengan yang tercatat."))
    current.full_clean()
    current.updated_by = by
    current.updated_at = timezone.now()
    current.save(update_fields=[*HEALTH_CORRECTABLE, "updated_by", "updated_at"])
    correction = HealthCorrection.objects.create(
        facility_id=current.facility_id, screening=current, by=by, reason=reason, changes=changes
    )
    audit.record(
        facility=current.facility_id,
        actor=by,
        action="assessments.health_screening.corrected",
        target=current.inmate,
        summary=_("Skrining kesehatan %(date)s") % {"date": short_date(current.screened_on)},
        changes={
            **audit.diff(before, after, secret=HEALTH_SECRET),
            "reason": [None, audit.REDACTED],
        },
        subject=current,
    )
    return correction


# --- re-assessment due dates -----------------------------------------------------------------


@transaction.atomic
def review_move(
    *,
    inmate: Inmate,
    key: str,
    by: Any,
    moved_to: datetime.date,
    reason: str,
    expected_due: datetime.date,
) -> ReviewMove:
    """Move an open re-assessment to another day, with the reason. `expected_due` is the date
    the form showed: a move by someone else since then is a conflict (EditConflict)."""
    locked = Inmate.objects.select_for_update().get(pk=inmate.pk)
    review = reviews.find(reviews.reviews_of_inmate(locked), key)
    if review is None or review.met:
        raise CorrectionRefused(_("Asesmen ulang ini tidak ada atau sudah dilakukan."))
    if review.due_on != expected_due:
        raise versions.EditConflict
    reason = _check_reason(reason)
    earliest, latest = reviews.move_bounds(review, timezone.localdate())
    if moved_to == review.due_on:
        raise CorrectionRefused(_("Tanggal baru sama dengan tanggal sekarang."))
    if not earliest <= moved_to <= latest:
        raise CorrectionRefused(
            _("Tanggal baru harus antara %(first)s dan %(last)s.")
            % {"first": short_date(earliest), "last": short_date(latest)}
        )
    move = ReviewMove.objects.create(
        facility_id=locked.facility_id,
        inmate=locked,
        key=key,
        kind=review.kind,
        computed_on=review.computed_on,
        moved_from=review.due_on,
        moved_to=moved_to,
        reason=reason,
        by=by,
    )
    # The kind and the reason stay out of the history: a review after a positive urine test
    # would betray the result to the non-clinical roles who read it.
    audit.record(
        facility=locked.facility_id,
        actor=by,
        action="assessments.review.moved",
        target=locked,
        summary=f"{short_date(review.due_on)} → {short_date(moved_to)}",
        changes={
            **audit.diff(
                {"moved_to": review.due_on.isoformat()}, {"moved_to": moved_to.isoformat()}
            ),
            "reason": [None, audit.REDACTED],
        },
        subject=move,
    )
    return move


def transfer_summary(inmate: Inmate, can: Callable[[str], bool]) -> list[tuple[str, str]]:
    """For the destination of a transfer: the tier of the latest signed assessment and the
    band of the latest ASSIST screening (no diagnosis, no health result), to who may see them."""
    lines: list[tuple[str, str]] = []
    signed = (
        None
        if not can("assessment.view_decision")
        else (
            Assessment.objects.filter(inmate=inmate, status="signed").order_by("-signed_at").first()
        )
    )
    if signed is not None and signed.final_tier:
        on = formats.date_format(signed.assessed_on, "j F Y")
        text = _("Tingkat %(tier)s, %(on)s") % {"tier": signed.get_final_tier_display(), "on": on}
        lines.append((_("Asesmen terakhir"), text))
    screening = None
    if can("screening.view"):
        screening = (
            AssistScreening.objects.filter(inmate=inmate).order_by("-interviewed_on").first()
        )
    if screening is not None:
        main = (
            f"{screening.get_main_substance_display()}: {screening.get_main_level_display()}"
            if screening.main_substance
            else _("tanpa zat utama")
        )
        lines.append((_("Skrining ASSIST terakhir"), main))
    return lines


def handover_clinical(inmate: Inmate, can: Callable[[str], bool]) -> list[tuple[str, str]]:
    """For the clinical hand-over of a transfer out of rehab only: the diagnosis of the latest
    signed assessment, the latest urine test and health screening with their results."""
    if not can("health.view_result"):
        return []
    lines: list[tuple[str, str]] = []
    signed = (
        Assessment.objects.filter(inmate=inmate, status="signed").order_by("-signed_at").first()
    )
    if signed is not None and signed.diagnosis_code:
        text = signed.diagnosis_code
        if signed.comorbidity:
            text += f"; {signed.comorbidity}"
        lines.append((_("Diagnosis (ICD-10)"), text))
    urine = UrineTest.objects.filter(inmate=inmate).order_by("-tested_on", "-id").first()
    if urine is not None:
        results = ", ".join(
            f"{r.analyte} {r.get_result_display()}" for r in urine.results.order_by("analyte")
        )
        on = formats.date_format(urine.tested_on, "j F Y")
        lines.append((_("Tes urine terakhir"), f"{on}: {results or '-'}"))
    health = HealthScreening.objects.filter(inmate=inmate).order_by("-screened_on", "-id").first()
    if health is not None:
        found = []
        for name in ("hiv", "hepatitis_b", "hepatitis_c", "syphilis", "tb_xray", "tb_tcm"):
            if getattr(health, name):
                label = getattr(HealthScreening._meta.get_field(name), "verbose_name", name)
                found.append(f"{label} {getattr(health, f'get_{name}_display')()}")
        if health.referred_to:
            found.append(_("dirujuk ke %(place)s") % {"place": health.referred_to})
        on = formats.date_format(health.screened_on, "j F Y")
        lines.append((_("Pemeriksaan kesehatan terakhir"), f"{on}: {'; '.join(found) or '-'}"))
    return lines
