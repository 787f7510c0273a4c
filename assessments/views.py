"""Screening and assessment pages: ASSIST, urine tests, health screening, assessments."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from assessments import scoring, services
from assessments.forms import (
    LEVEL_FEEDBACK,
    QUESTION_LABELS,
    AssistForm,
    HealthScreeningForm,
    UrineTestForm,
)
from assessments.models import AssistScreening, HealthScreening, UrineTest
from inmates.casefile import case_file
from inmates.models import Inmate
from rehab import access, audit
from rehab.sections import Section


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
    context = {"inmate": inmate, "form": form, "questions": QUESTION_LABELS}
    return TemplateResponse(request, "assessments/screening_form.html", context)


@require_GET
def screening_detail(request: HttpRequest, pk: int) -> TemplateResponse:
    """The printable result sheet: score, band and advice per substance."""
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
    context = {"screening": screening, "inmate": screening.inmate, "rows": rows}
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


@require_GET
def urine_detail(request: HttpRequest, pk: int) -> TemplateResponse:
    """Show a urine test's results to the clinical roles; every read is logged."""
    test = access.get_for_user(
        request.user,
        UrineTest.objects.select_related("inmate", "facility", "collector"),
        "health.view_result",
        pk=pk,
    )
    audit.log_access(
        user=request.user, facility=test.facility_id, action="urine_test.read", target=test
    )
    results = list(test.results.all())
    return TemplateResponse(
        request,
        "assessments/urine_detail.html",
        {"test": test, "inmate": test.inmate, "results": results},
    )


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


@require_GET
def health_detail(request: HttpRequest, pk: int) -> TemplateResponse:
    """Show a health screening's results to the clinical roles; every read is logged."""
    screening = access.get_for_user(
        request.user,
        HealthScreening.objects.select_related("inmate", "facility", "examiner"),
        "health.view_result",
        pk=pk,
    )
    audit.log_access(
        user=request.user,
        facility=screening.facility_id,
        action="health_screening.read",
        target=screening,
    )
    context = {"screening": screening, "inmate": screening.inmate}
    return TemplateResponse(request, "assessments/health_detail.html", context)


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
