"""The warden's attendance waiver, on a programme enrolment or a skills trainee. The pages
around them belong to their domains; these views only take the decision."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from programs.completion import services as completion
from programs.completion.forms import WaiveForm
from programs.skills import views as skills_views
from programs.tiers import views as tiers_views


@require_POST
def enrolment_waive(request: HttpRequest, pk: int) -> HttpResponse:
    """The warden lets an active participant complete below the attendance requirement."""
    enrolment = tiers_views._enrolment(request, pk, "completion.waive")
    form = WaiveForm(request.POST)
    if form.is_valid():
        try:
            completion.enrolment_waive(
                enrolment=enrolment, by=request.user, reason=form.cleaned_data["reason"]
            )
        except completion.CompletionRefused as refused:
            form.add_error("reason", str(refused))
        else:
            messages.success(request, _("Syarat kehadiran dikecualikan; peserta dapat selesai."))
            return redirect(enrolment)
    return TemplateResponse(
        request,
        "programs/enrolment_detail.html",
        tiers_views._enrolment_context(request, enrolment, waive_form=form),
    )


@require_http_methods(["GET", "POST"])
def trainee_waive(request: HttpRequest, pk: int) -> HttpResponse:
    """The warden lets an enrolled trainee be certified below the attendance requirement."""
    trainee = skills_views._trainee(request, pk, "completion.waive")
    form = WaiveForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            completion.trainee_waive(
                trainee=trainee, by=request.user, reason=form.cleaned_data["reason"]
            )
        except completion.CompletionRefused as refused:
            form.add_error("reason", str(refused))
        else:
            messages.success(
                request,
                _("Syarat kehadiran %(name)s dikecualikan.") % {"name": trainee.inmate.full_name},
            )
            return redirect(trainee)
    context = {
        "form": form,
        "title": _("Pengecualian syarat kehadiran: %(name)s") % {"name": trainee.inmate.full_name},
        "course": trainee.course,
        "trainee": trainee,
        **skills_views._attendance_of(trainee),
    }
    return TemplateResponse(request, "programs/course_form.html", context)
