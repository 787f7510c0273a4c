"""Screening and assessment pages: ASSIST, urine tests, health screening, assessments."""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from assessments import reviews, scoring, services
from assessments.forms import (
    LEVEL_FEEDBACK,
    QUESTION_LABELS,
    QUESTION_TEXT,
    AmendForm,
    AssessmentForm,
    AssistForm,
    DomainFormSet,
    HealthCorrectionForm,
    HealthScreeningForm,
    PlanItemFormSet,
    ReviewMoveForm,
    SubstanceUseFormSet,
    UrineCorrectionForm,
    UrineDecisionForm,
    UrineRefusalForm,
    UrineTestForm,
    domain_initial,
    kept_rows,
)
from assessments.models import (
    Assessment,
    AssessmentStatus,
    AssistScreening,
    HealthCorrection,
    HealthScreening,
    UrineCorrection,
    UrineTest,
    has_valid_credential,
)
from inmates.casefile import case_file
from inmates.forms import TableFormSetHelper
from inmates.models import Inmate
from rehab import access, audit, versions
from rehab.forms import STALE_FORM
from rehab.pdf import page_size, pdf_response, render_pdf
from rehab.sections import Section
from rehab.sections import assessment as assessment_sections
from rehab.sections import today as today_sections


def _clinical_read(request: HttpRequest, queryset: Any, pk: int, *, action: str, log: str) -> Any:
    """Load a clinical record for a role allowed to read it, and log the read."""
    record = access.get_for_user(request.user, queryset, action, pk=pk)
    audit.log_access(user=request.user, facility=record.facility_id, action=log, target=record)
    return record


def _inmate(request: HttpRequest, pk: int, action: str) -> Inmate:
    return access.get_for_user(
        request.user, Inmate.objects.select_related("facility"), action, pk=pk
    )


@require_http_methods(["GET", "POST"])
def screening_create(request: HttpRequest, pk: int) -> HttpResponse:
    """Run the ASSIST interview on one page, with the skip logic live in the form."""
    inmate = _inmate(request, pk, "screening.record")
    form = AssistForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        screening = services.screening_record(
            inmate=inmate,
            by=request.user,
            interviewed_on=form.cleaned_data["interviewed_on"],
            reference_period=form.cleaned_data["reference_period"],
            answers=form.answers(),
            injection=form.cleaned_data["injection"],
            injection_pattern=form.cleaned_data["injection_pattern"],
            other_substance=form.cleaned_data["other_substance"],
        )
        messages.success(request, _("Hasil skrining ASSIST tersimpan."))
        return redirect(screening)
    context = {
        "inmate": inmate,
        "form": form,
        "questions": QUESTION_LABELS,
        "question_text": QUESTION_TEXT,
    }
    return TemplateResponse(request, "assessments/screening_form.html", context)


def _screening_sheet(request: HttpRequest, pk: int) -> tuple[AssistScreening, list[dict[str, Any]]]:
    """Load a screening the user may see, with one row per substance in form order."""
    screening = access.get_for_user(
        request.user,
        AssistScreening.objects.select_related("inmate", "facility", "interviewer"),
        "screening.view",
        pk=pk,
    )
    answers = sorted(screening.answers.all(), key=lambda a: scoring.SUBSTANCES.index(a.substance))
    rows = [
        {"answer": a, "feedback": LEVEL_FEEDBACK[a.level], "used": a.q1 == "yes"} for a in answers
    ]
    return screening, rows


@require_GET
def screening_detail(request: HttpRequest, pk: int) -> TemplateResponse:
    """The printable result sheet: score, band and advice per substance."""
    screening, rows = _screening_sheet(request, pk)
    context = {
        "screening": screening,
        "inmate": screening.inmate,
        "rows": rows,
        "can_assess": access.can(request.user, "assessment.record", screening.inmate.facility_id),
    }
    return TemplateResponse(request, "assessments/screening_detail.html", context)


@require_http_methods(["GET", "POST"])
def urine_create(request: HttpRequest, pk: int) -> HttpResponse:
    """Record a urine rapid test, one result per analyte."""
    inmate = _inmate(request, pk, "urine.record")
    form = UrineTestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        services.urine_test_record(
            inmate=inmate,
            by=request.user,
            tested_on=data["tested_on"],
            panel=data["panel"],
            results=form.results(),
            kit_lot=data["kit_lot"],
            confirmation_lab=data["confirmation_lab"],
            confirmation_result=data["confirmation_result"],
        )
        messages.success(request, _("Hasil tes urine tersimpan."))
        return redirect(inmate)
    title = _("Tes urine")
    return TemplateResponse(
        request, "assessments/simple_form.html", {"inmate": inmate, "form": form, "title": title}
    )


URINE_TESTS = UrineTest.objects.select_related("inmate", "facility", "collector")


def _urine_test(request: HttpRequest, pk: int, action: str) -> UrineTest:
    return _clinical_read(request, URINE_TESTS, pk, action=action, log="urine_test.read")


@require_GET
def urine_detail(request: HttpRequest, pk: int) -> TemplateResponse:
    """Show a urine test's results, pending corrections and their trail to the clinical roles;
    every read is logged."""
    test = _urine_test(request, pk, "health.view_result")
    corrections = list(
        test.corrections.select_related("requested_by", "decided_by").order_by("-requested_at")
    )
    pending = {c.result_id: c for c in corrections if c.is_pending}
    rows = [(r, pending.get(r.pk)) for r in test.results.all()]
    context = {
        "test": test, "inmate": test.inmate, "rows": rows, "corrections": corrections,
        "can_correct": access.can(request.user, "urine.correct", test.facility_id),
        "decision": UrineDecisionForm(record=test),
    }  # fmt: skip
    return TemplateResponse(request, "assessments/urine_detail.html", context)


@require_http_methods(["GET", "POST"])
def urine_correct(request: HttpRequest, pk: int) -> HttpResponse:
    """Ask for the correction of one analyte's result, with the reason (four eyes: another
    user confirms it)."""
    test = _urine_test(request, pk, "urine.correct")
    results = list(test.results.prefetch_related("corrections"))
    form = UrineCorrectionForm(request.POST or None, record=test, results=results)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            services.urine_correction_request(
                test=test, by=request.user, analyte=form.cleaned_data["analyte"],
                new_result=form.cleaned_data["new_result"], reason=form.cleaned_data["reason"],
                expected_version=form.expected_version,
            )  # fmt: skip
        except versions.EditConflict:
            form.mark_conflict(URINE_TESTS.get(pk=test.pk))
            status = 409
        except services.CorrectionRefused as refusal:
            form.add_error(None, str(refusal))
        else:
            messages.success(
                request,
                _("Koreksi diajukan. Hasil lama berlaku sampai petugas lain mengonfirmasi."),
            )
            return redirect(test)
    context = {"inmate": test.inmate, "form": form, "title": _("Koreksi hasil tes urine")}
    return TemplateResponse(request, "assessments/simple_form.html", context, status=status)


def _correction(request: HttpRequest, pk: int) -> UrineCorrection:
    queryset = UrineCorrection.objects.select_related(
        "test", "test__inmate", "test__facility", "requested_by"
    )
    return access.get_for_user(request.user, queryset, "urine.correct", pk=pk)


def _stale_or_refused(request: HttpRequest, error: Exception) -> None:
    if isinstance(error, versions.EditConflict):
        messages.error(
            request,
            _("Tes ini sudah diubah sesudah Anda membuka halamannya. Periksa lagi, lalu ulangi."),
        )
    else:
        messages.error(request, str(error))


@require_POST
def urine_correction_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    """The second pair of eyes: confirm another user's correction, which then counts."""
    correction = _correction(request, pk)
    form = UrineDecisionForm(request.POST, record=correction.test)
    if not form.is_valid():
        messages.error(request, str(STALE_FORM))
        return redirect(correction.test)
    try:
        services.urine_correction_confirm(
            correction=correction, by=request.user, expected_version=form.expected_version
        )
    except (versions.EditConflict, services.CorrectionRefused) as error:
        _stale_or_refused(request, error)
    else:
        messages.success(request, _("Koreksi dikonfirmasi: hasil baru berlaku."))
    return redirect(correction.test)


@require_http_methods(["GET", "POST"])
def urine_correction_refuse(request: HttpRequest, pk: int) -> HttpResponse:
    """Refuse a pending correction (or withdraw one's own), with the reason; the result stays."""
    correction = _correction(request, pk)
    test = correction.test
    audit.log_access(
        user=request.user, facility=test.facility_id, action="urine_test.read", target=test
    )
    form = UrineRefusalForm(request.POST or None, record=test)
    if request.method == "POST" and form.is_valid():
        try:
            services.urine_correction_refuse(
                correction=correction, by=request.user, reason=form.cleaned_data["reason"],
                expected_version=form.expected_version,
            )  # fmt: skip
        except (versions.EditConflict, services.CorrectionRefused) as error:
            _stale_or_refused(request, error)
        else:
            messages.success(request, _("Koreksi ditolak: hasil yang tercatat tetap berlaku."))
        return redirect(test)
    context = {"inmate": test.inmate, "form": form, "correction": correction, "test": test}
    return TemplateResponse(request, "assessments/urine_refuse.html", context)


@require_http_methods(["GET", "POST"])
def health_create(request: HttpRequest, pk: int) -> HttpResponse:
    """Record a health screening (health workers only)."""
    inmate = _inmate(request, pk, "health.record")
    form = HealthScreeningForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.health_screening_record(inmate=inmate, by=request.user, data=form.cleaned_data)
        messages.success(request, _("Hasil skrining kesehatan tersimpan."))
        return redirect(inmate)
    title = _("Skrining kesehatan")
    return TemplateResponse(
        request, "assessments/simple_form.html", {"inmate": inmate, "form": form, "title": title}
    )


HEALTH_SCREENINGS = HealthScreening.objects.select_related("inmate", "facility", "examiner")


@require_GET
def health_detail(request: HttpRequest, pk: int) -> TemplateResponse:
    """Show a health screening's results and corrections to the clinical roles; every read is
    logged."""
    screening = _clinical_read(
        request, HEALTH_SCREENINGS, pk, action="health.view_result", log="health_screening.read"
    )
    corrections = [
        (c, _health_change_rows(c))
        for c in screening.corrections.select_related("by").order_by("-created_at", "-id")
    ]
    context = {
        "screening": screening, "inmate": screening.inmate, "corrections": corrections,
        "can_correct": access.can(request.user, "health.correct", screening.facility_id),
    }  # fmt: skip
    return TemplateResponse(request, "assessments/health_detail.html", context)


def _health_change_rows(correction: HealthCorrection) -> list[tuple[Any, Any, Any]]:
    """(field label, old, new) of a correction, values as the result page shows them."""
    rows = []
    for name, (old, new) in correction.changes.items():
        field = HealthScreening._meta.get_field(name)
        choices = dict(field.flatchoices) if field.choices else {}  # type: ignore[union-attr]

        def shown(value: Any, choices: dict[Any, Any] = choices) -> Any:
            if isinstance(value, bool):
                return _("Ya") if value else _("Tidak")
            return choices.get(value, value) if value not in (None, "") else "—"

        rows.append((field.verbose_name, shown(old), shown(new)))  # type: ignore[union-attr]
    return rows


@require_http_methods(["GET", "POST"])
def health_correct(request: HttpRequest, pk: int) -> HttpResponse:
    """Correct a health screening's results (health workers only), with the reason."""
    screening = _clinical_read(
        request, HEALTH_SCREENINGS, pk, action="health.correct", log="health_screening.read"
    )
    form = HealthCorrectionForm(request.POST or None, instance=screening)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            services.health_screening_correct(
                screening=screening, by=request.user, data=form.corrected(),
                reason=form.cleaned_data["reason"], expected_version=form.expected_version,
            )  # fmt: skip
        except versions.EditConflict:
            form.mark_conflict(HEALTH_SCREENINGS.get(pk=screening.pk))
            status = 409
        except services.CorrectionRefused as refusal:
            form.add_error(None, str(refusal))
        else:
            messages.success(request, _("Koreksi skrining kesehatan tersimpan."))
            return redirect("assessments:health_detail", pk=screening.pk)
    context = {"inmate": screening.inmate, "form": form, "title": _("Koreksi skrining kesehatan")}
    return TemplateResponse(request, "assessments/simple_form.html", context, status=status)


@case_file.register(order=20)
def screening_section(request: HttpRequest, inmate: Inmate) -> Section:
    """Screenings, tests and assessments on the case file; results only for clinical roles."""
    user, facility = request.user, inmate.facility_id
    can_results = access.can(user, "health.view_result", facility)
    return Section(
        "assessments/_case_file.html",
        {
            "inmate": inmate,
            "screenings": list(inmate.screenings.all()),
            "urine_tests": list(inmate.urine_tests.prefetch_related("results")),
            "health_screenings": list(inmate.health_screenings.all()),
            "can_view_screening": access.can(user, "screening.view", facility),
            "can_screen": access.can(user, "screening.record", facility),
            "can_test_urine": access.can(user, "urine.record", facility),
            "can_record_health": access.can(user, "health.record", facility),
            "can_view_results": can_results,
        },
    )


ASSESSMENTS = Assessment.objects.select_related(
    "inmate", "facility", "screening", "assessor", "signed_by"
)


def _assessment(request: HttpRequest, pk: int, action: str) -> Assessment:
    return access.get_for_user(request.user, ASSESSMENTS, action, pk=pk)


def _assessment_forms(
    request: HttpRequest, inmate: Inmate, assessment: Assessment | None
) -> tuple[AssessmentForm, Any, Any, Any]:
    data = request.POST or None
    form = AssessmentForm(data, instance=assessment, inmate=inmate)
    domains = DomainFormSet(data, prefix="domains", initial=domain_initial(assessment))
    held = (
        (list(assessment.substance_uses.values(*services.SUBSTANCE_USE_FIELDS)),
         list(assessment.plan_items.values(*services.PLAN_FIELDS)))
        if assessment else ([], [])
    )  # fmt: skip
    uses = SubstanceUseFormSet(data, prefix="uses", initial=held[0])
    plan = PlanItemFormSet(data, prefix="plan", initial=held[1])
    return form, domains, uses, plan


def _rows(domains: Any, uses: Any, plan: Any) -> services.AssessmentRows:
    return services.AssessmentRows(
        domains=[f.cleaned_data for f in domains.forms],
        substance_uses=kept_rows(uses, "substance"),
        plan_items=kept_rows(plan, "intervention"),
    )


def _assessment_page(
    request: HttpRequest, inmate: Inmate, forms_: tuple[Any, ...], status: int = 200, **extra: Any
) -> TemplateResponse:
    form, domains, uses, plan = forms_
    context = {
        "inmate": inmate, "form": form, "domains": domains, "uses": uses, "plan": plan,
        "table_helper": TableFormSetHelper(),
        "certified": has_valid_credential(request.user), **extra,
    }  # fmt: skip
    return TemplateResponse(request, "assessments/assessment_form.html", context, status=status)


@require_http_methods(["GET", "POST"])
def assessment_create(request: HttpRequest, pk: int) -> HttpResponse:
    """Start an assessment on the ASI domains, with the ASSIST result beside the tier."""
    inmate = _inmate(request, pk, "assessment.record")
    forms_ = _assessment_forms(request, inmate, None)
    if request.method == "POST" and all(f.is_valid() for f in forms_):
        assessment = services.assessment_create(
            inmate=inmate, by=request.user, data=forms_[0].model_data(), rows=_rows(*forms_[1:])
        )
        messages.success(request, _("Draf asesmen tersimpan. Periksa, lalu tandatangani."))
        return redirect(assessment)
    return _assessment_page(request, inmate, forms_)


@require_http_methods(["GET", "POST"])
def assessment_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Edit a draft; a signed assessment answers 403 and offers the correction path."""
    assessment = _assessment(request, pk, "assessment.record")
    if assessment.is_signed:
        return TemplateResponse(
            request, "assessments/assessment_locked.html", {"assessment": assessment}, status=403
        )
    forms_ = _assessment_forms(request, assessment.inmate, assessment)
    status = 200
    if request.method == "POST" and all(f.is_valid() for f in forms_):
        try:
            services.assessment_update(
                assessment=assessment, by=request.user, data=forms_[0].model_data(),
                rows=_rows(*forms_[1:]), expected_revision=forms_[0].expected_version,
            )  # fmt: skip
        except versions.EditConflict:
            forms_[0].mark_conflict(ASSESSMENTS.get(pk=assessment.pk))
            status = 409
        except services.AssessmentLocked:
            return redirect(assessment)
        else:
            messages.success(request, _("Draf asesmen tersimpan."))
            return redirect(assessment)
    return _assessment_page(request, assessment.inmate, forms_, status, assessment=assessment)


@require_GET
def assessment_detail(request: HttpRequest, pk: int) -> TemplateResponse:
    """The whole assessment for clinical roles; each read is logged."""
    assessment = _clinical_read(
        request, ASSESSMENTS, pk, action="assessment.view", log="assessment.read"
    )
    versions = (
        Assessment.objects.filter(inmate=assessment.inmate)
        .filter(pk__in=_version_chain(assessment))
        .select_related("signed_by")
        .order_by("version")
    )
    context = {
        "assessment": assessment, "inmate": assessment.inmate,
        "domains": assessment.domains.all(), "uses": assessment.substance_uses.all(),
        "plan": assessment.plan_items.all(), "versions": versions,
        "can_record": access.can(request.user, "assessment.record", assessment.facility_id),
        "certified": has_valid_credential(request.user),
        "next_review": _next_review(assessment), "day": timezone.localdate(),
        # What comes next, from apps further along (programs: propose a placement).
        "sections": assessment_sections.build(request, assessment),
    }  # fmt: skip
    return TemplateResponse(request, "assessments/assessment_detail.html", context)


def _next_review(assessment: Assessment) -> reviews.Review | None:
    """The first open re-assessment of the WBP, for an assessment that is the one in force."""
    if not assessment.is_signed or assessment.superseded:
        return None
    return next((r for r in reviews.reviews_of_inmate(assessment.inmate) if not r.met), None)


def _version_chain(assessment: Assessment) -> list[int]:
    """Ids of every version linked to this one, older and newer."""
    ids, node = [], assessment
    while node.amends_id:
        ids.append(node.amends_id)
        node = Assessment.objects.only("id", "amends_id").get(pk=node.amends_id)
    newer = Assessment.objects.filter(amends=assessment).values_list("id", flat=True).first()
    while newer:
        ids.append(newer)
        newer = Assessment.objects.filter(amends_id=newer).values_list("id", flat=True).first()
    return [assessment.pk, *ids]


@require_POST
def assessment_sign(request: HttpRequest, pk: int) -> HttpResponse:
    """Sign a draft; only a holder of a valid assessor certificate can."""
    assessment = _assessment(request, pk, "assessment.record")
    try:
        services.assessment_sign(assessment=assessment, by=request.user)
    except services.NotCertified:
        messages.error(
            request, _("Hanya asesor dengan sertifikat yang masih berlaku dapat menandatangani.")
        )
    except services.AssessmentLocked:
        messages.info(request, _("Asesmen ini sudah ditandatangani."))
    else:
        messages.success(request, _("Asesmen ditandatangani dan dikunci."))
    return redirect(assessment)


@require_http_methods(["GET", "POST"])
def assessment_amend(request: HttpRequest, pk: int) -> HttpResponse:
    """Open a correction of a signed assessment: a new version linked to the old one."""
    assessment = _assessment(request, pk, "assessment.record")
    if not assessment.is_signed:
        return redirect("assessments:assessment_edit", pk=assessment.pk)
    form = AmendForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        draft = services.assessment_amend(
            assessment=assessment, by=request.user, reason=form.cleaned_data["reason"]
        )
        messages.success(request, _("Versi koreksi dibuat. Ubah isinya, lalu tandatangani."))
        return redirect("assessments:assessment_edit", pk=draft.pk)
    title = _("Koreksi asesmen")
    return TemplateResponse(
        request,
        "assessments/simple_form.html",
        {"inmate": assessment.inmate, "form": form, "title": title},
    )


@case_file.register(order=30)
def assessment_section(request: HttpRequest, inmate: Inmate) -> Section | None:
    """Assessments on the case file: the decision for everyone who reads the case, details
    for the clinical roles."""
    user, facility = request.user, inmate.facility_id
    if not access.can(user, "assessment.view_decision", facility):
        return None
    assessments = list(
        Assessment.objects.filter(inmate=inmate)
        .select_related("assessor", "signed_by")
        .order_by("-assessed_on", "-version")
    )
    return Section(
        "assessments/_case_file_assessments.html",
        {
            "inmate": inmate,
            "assessments": assessments,
            "can_view": access.can(user, "assessment.view", facility),
            "can_record": access.can(user, "assessment.record", facility),
        },
    )


@today_sections.register(order=30)
def reviews_today(request: HttpRequest, day: datetime.date) -> Section | None:
    """Re-assessments due within a week or overdue (computed from the rules), and drafts
    waiting for a signature."""
    facility_ids = access.facility_ids_for(request.user, "assessment.record")
    if not facility_ids:
        return None
    due = reviews.due_by(facility_ids, day + datetime.timedelta(days=7))
    drafts = list(
        Assessment.objects.filter(facility_id__in=facility_ids, status=AssessmentStatus.DRAFT)
        .select_related("inmate")
        .order_by("assessed_on")[:20]
    )
    context = {
        "reviews": due, "drafts": drafts, "day": day,
        "move_ids": set(access.facility_ids_for(request.user, "review.move")),
    }  # fmt: skip
    return Section("assessments/_today.html", context)


@require_GET
def review_list(request: HttpRequest, pk: int) -> TemplateResponse:
    """A WBP's re-assessments: the rule's date, the date that counts, done or not, and every
    move with its reason. Clinical: a review after a positive urine test betrays the result."""
    inmate = _inmate(request, pk, "assessment.view")
    audit.log_access(user=request.user, facility=inmate.facility_id, action="reviews.read",
                     target=inmate)  # fmt: skip
    context = {
        "inmate": inmate, "reviews": reviews.reviews_of_inmate(inmate),
        "moves": list(inmate.review_moves.select_related("by").order_by("-created_at", "-id")),
        "can_move": access.can(request.user, "review.move", inmate.facility_id),
        "day": timezone.localdate(),
    }  # fmt: skip
    return TemplateResponse(request, "assessments/review_list.html", context)


@require_http_methods(["GET", "POST"])
def review_move(request: HttpRequest, pk: int) -> HttpResponse:
    """Move one open re-assessment (?titik=<key>) to another day, with the reason."""
    inmate = _inmate(request, pk, "review.move")
    key = request.GET.get("titik", "")
    review = reviews.find(reviews.reviews_of_inmate(inmate), key)
    if review is None or review.met:
        messages.info(request, _("Pilih asesmen ulang yang belum dilakukan."))
        return redirect("assessments:reviews", pk=inmate.pk)
    form = ReviewMoveForm(request.POST or None, review=review)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            services.review_move(
                inmate=inmate, key=key, by=request.user, moved_to=form.cleaned_data["moved_to"],
                reason=form.cleaned_data["reason"], expected_due=form.cleaned_data["shown"],
            )  # fmt: skip
        except versions.EditConflict:
            form.mark_conflict(reviews.find(reviews.reviews_of_inmate(inmate), key) or review)
            status = 409
        except services.CorrectionRefused as refusal:
            form.add_error("moved_to", str(refusal))
        else:
            messages.success(request, _("Tanggal asesmen ulang digeser."))
            return redirect("assessments:reviews", pk=inmate.pk)
    context = {"inmate": inmate, "form": form, "review": review}
    return TemplateResponse(request, "assessments/review_move.html", context, status=status)


@require_GET
def screening_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """The ASSIST result sheet as a PDF on A4 or F4 (?size=F4); every download is logged."""
    screening, rows = _screening_sheet(request, pk)
    interviewer = screening.interviewer
    context = {
        "screening": screening, "inmate": screening.inmate, "rows": rows,
        "facility": screening.facility,
        "interviewer_name": interviewer.get_full_name() or interviewer.username,
    }  # fmt: skip
    size = page_size(request, screening.facility)
    pdf = render_pdf(
        "assessments/screening_sheet_pdf.html", context, request=request, page_size=size
    )
    filename = f"skrining-assist-{screening.pk}-{screening.interviewed_on:%Y%m%d}.pdf"
    return pdf_response(
        pdf, filename, user=request.user, facility=screening.facility, target=screening
    )


@today_sections.register(order=25)
def unscreened_today(request: HttpRequest, day: datetime.date) -> Section | None:
    """WBP admitted in the last 60 days who have not been screened yet."""
    facility_ids = access.facility_ids_for(request.user, "screening.record")
    if not facility_ids:
        return None
    waiting = list(
        Inmate.objects.in_custody()
        .filter(
            facility_id__in=facility_ids,
            admission_date__gte=day - datetime.timedelta(days=60),
            screenings__isnull=True,
        )
        .order_by("admission_date", "full_name")[:15]
    )
    return Section("assessments/_today_unscreened.html", {"waiting": waiting})
