"""Release planning and post-release follow-up pages: the releases coming, the checklist and
hand-over letter of one WBP, the follow-ups due, and recording one follow-up."""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l
from django.views.decorators.http import require_GET, require_http_methods

from inmates.casefile import case_file
from inmates.models import CustodyStatus, Inmate
from programs import lists
from programs.aftercare import services
from programs.aftercare.forms import AftercareForm, ReleasePlanForm
from programs.models import Aftercare, Enrolment, ReleasePlan, Trainee, TraineeState
from rehab import access, audit, versions
from rehab.pdf import page_size, pdf_response, render_pdf
from rehab.sections import Section
from rehab.sections import today as today_sections

# How far ahead a follow-up shows on the counselor's today page.
AFTERCARE_NOTICE_DAYS = 7


def _inmate(request: HttpRequest, pk: int, action: str) -> Inmate:
    return access.get_for_user(
        request.user, Inmate.objects.select_related("facility"), action, pk=pk
    )


def _handover(inmate: Inmate) -> dict[str, Any]:
    """What a release plan shows beside its checklist: programmes, skills and follow-ups."""
    return {
        "enrolments": list(
            Enrolment.objects.filter(inmate=inmate)
            .select_related("track", "cohort")
            .order_by("-created_at")
        ),
        "skills": list(
            Trainee.objects.filter(inmate=inmate)
            .exclude(state=TraineeState.DECLINED)
            .select_related("course")
            .order_by("-course__start_date")
        ),
        "follow_ups": list(
            Aftercare.objects.filter(inmate=inmate).select_related("counselor").order_by("month")
        ),
    }


@require_GET
def release_list(request: HttpRequest) -> TemplateResponse:
    """WBP released in the coming 90 days, with how far each release plan has come."""
    facility_ids = access.require_somewhere(request.user, "release.view")
    day = timezone.localdate()
    inmates = services.releases_upcoming(facility_ids, day).select_related(
        "facility", "release_plan"
    )
    page = Paginator(inmates, 50).get_page(request.GET.get("page"))
    for inmate in page:
        _annotate_checklist(inmate, day)
    context = {"page": page, "day": day, "show_facility": len(facility_ids) > 1}
    return TemplateResponse(request, "programs/release_list.html", context)


def _annotate_checklist(inmate: Inmate, day: datetime.date) -> None:
    """Count the checklist items done, from a plan loaded with select_related."""
    try:
        plan = inmate.release_plan
    except ReleasePlan.DoesNotExist:
        plan = None
    items = plan.checklist() if plan else []
    inmate.checklist_done = sum(1 for _label, done in items if done)  # type: ignore[attr-defined]
    inmate.checklist_total = len(ReleasePlan().checklist())  # type: ignore[attr-defined]
    inmate.days_left = (inmate.release_date - day).days if inmate.release_date else None  # type: ignore[attr-defined]


@require_http_methods(["GET", "POST"])
def release_plan(request: HttpRequest, pk: int) -> HttpResponse:
    """The release checklist of one WBP, with programme status, skills and the follow-ups."""
    inmate = _inmate(request, pk, "release.view")
    plan = (
        ReleasePlan.objects.filter(inmate=inmate)
        .select_related("receiving_agency", "counselor")
        .first()
    )
    form = None
    status = 200
    if access.can(request.user, "release.plan", inmate.facility_id):
        form = ReleasePlanForm(
            request.POST or None,
            instance=plan,
            facility_id=inmate.facility_id,
        )
    if request.method == "POST":
        access.require(request.user, "release.plan", inmate.facility_id)
        assert form is not None
        if form.is_valid():
            data = {f: form.cleaned_data[f] for f in ReleasePlanForm.Meta.fields}
            try:
                services.release_plan_save(
                    inmate=inmate, by=request.user, data=data, version=form.expected_version
                )
            except versions.EditConflict:
                form.mark_conflict(ReleasePlan.objects.get(inmate=inmate))
                status = 409
            else:
                messages.success(request, _("Rencana pembebasan tersimpan."))
                return redirect("programs:release_plan", pk=inmate.pk)
    context = {
        "inmate": inmate,
        "plan": plan,
        "checklist": (plan or ReleasePlan()).checklist(),
        "form": form,
        "released": inmate.status == CustodyStatus.RELEASED,
        "can_view_outcome": access.can(request.user, "aftercare.view_outcome", inmate.facility_id),
        **_handover(inmate),
    }
    return TemplateResponse(request, "programs/release_plan.html", context, status=status)


@require_GET
def handover_letter(request: HttpRequest, pk: int) -> HttpResponse:
    """The hand-over letter for the receiving agency as a PDF (A4 or F4); logged."""
    inmate = _inmate(request, pk, "release.view")
    plan = (
        ReleasePlan.objects.filter(inmate=inmate)
        .select_related("receiving_agency", "counselor")
        .first()
    )
    if plan is None:
        messages.error(request, _("Isi rencana pembebasan sebelum mencetak surat serah terima."))
        return redirect("programs:release_plan", pk=inmate.pk)
    context = {
        "inmate": inmate,
        "facility": inmate.facility,
        "plan": plan,
        "checklist": plan.checklist(),
        "warden": inmate.facility.warden(),
        "schedule": services.follow_up_dates(
            inmate.status_changed_on
            if inmate.status == CustodyStatus.RELEASED and inmate.status_changed_on
            else inmate.release_date or timezone.localdate()
        ),
        **_handover(inmate),
    }
    size = page_size(request, inmate.facility)
    pdf = render_pdf("programs/handover_letter_pdf.html", context, request=request, page_size=size)
    filename = f"serah-terima-{inmate.registration_number.replace('/', '-')}.pdf"
    return pdf_response(pdf, filename, user=request.user, facility=inmate.facility, target=inmate)


def _aftercare_output(outcome_facilities: set[int]) -> lists.ListOutput:
    """The follow-up list's columns; what a follow-up found only where the user may read it."""

    def outcome(f: Aftercare) -> str:
        return f.get_outcome_display() if f.facility_id in outcome_facilities else ""

    return lists.ListOutput(
        title=_l("Daftar pemantauan pascarehabilitasi"),
        sheet=_l("Pemantauan"),
        file_name="daftar-pemantauan",
        action="programs.aftercare.list",
        columns=[
            (_l("Nama"), lambda f: f.inmate.full_name),
            (_l("No. registrasi"), lambda f: f.inmate.registration_number),
            (_l("UPT"), lambda f: f.facility.name),
            (_l("Bulan ke-"), lambda f: f.month),
            (_l("Jatuh tempo"), lambda f: f.due_on),
            (_l("Konselor"), lambda f: _person_name(f.counselor)),
            (_l("Tanggal pemantauan"), lambda f: f.contacted_on),
            (_l("Hasil"), outcome),
        ],
    )


def _person_name(user: Any) -> str:
    return (user.get_full_name() or user.get_username()) if user else ""


@require_GET
def aftercare_list(request: HttpRequest, output: str = "") -> HttpResponse:
    """Post-release follow-ups of the user's facilities: due and overdue first, or done; found
    by name or registration number; printed or exported as filtered."""
    facility_ids = access.require_somewhere(request.user, "aftercare.view")
    done = request.GET.get("status") == "done"
    query = request.GET.get("q", "").strip()[: settings.SEARCH_MAX_CHARS]
    follow_ups = (
        Aftercare.objects.filter(facility_id__in=facility_ids, recorded_at__isnull=not done)
        .select_related("inmate", "facility", "counselor")
        .order_by("-recorded_at" if done else "due_on", "id")
    )
    if query:
        follow_ups = follow_ups.filter(inmate__in=Inmate.objects.search(query).values("pk"))
    outcome_facilities = set(access.facility_ids_for(request.user, "aftercare.view_outcome"))
    if output:
        summary = "; ".join(
            part
            for part in (
                str(_("Sudah dipantau") if done else _("Belum dipantau")),
                f"{_('Cari')}: {query}" if query else "",
            )
            if part
        )
        back = f"{reverse('programs:aftercare_list')}?{lists.query_without_page(request)}"
        return lists.respond(
            request, output, _aftercare_output(outcome_facilities), follow_ups,
            summary=summary, back=back, facility_ids=facility_ids,
        )  # fmt: skip
    page = Paginator(follow_ups, 50).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "done": done,
        "query": query,
        "query_string": lists.query_without_page(request),
        "today": timezone.localdate(),
        "outcome_facilities": outcome_facilities,
        "show_facility": len(facility_ids) > 1,
    }
    return TemplateResponse(request, "programs/aftercare_list.html", context)


@require_http_methods(["GET", "POST"])
def aftercare_record(request: HttpRequest, pk: int) -> HttpResponse:
    """Record what a follow-up found; what it found reaches clinical roles only (logged)."""
    follow_up = access.get_for_user(
        request.user,
        Aftercare.objects.select_related("inmate", "facility", "counselor", "recorded_by"),
        "aftercare.view_outcome",
        pk=pk,
    )
    audit.log_access(
        user=request.user, facility=follow_up.facility_id, action="aftercare.view", target=follow_up
    )
    can_record = access.can(request.user, "aftercare.record", follow_up.facility_id)
    form = AftercareForm(
        request.POST or None,
        instance=follow_up,
        released_on=follow_up.inmate.status_changed_on,
        initial={"contacted_on": timezone.localdate()},
    )
    status = 200
    if request.method == "POST":
        access.require(request.user, "aftercare.record", follow_up.facility_id)
        if form.is_valid():
            data = {f: form.cleaned_data[f] for f in AftercareForm.Meta.fields}
            try:
                services.aftercare_record(
                    aftercare=follow_up,
                    by=request.user,
                    data=data,
                    version=form.expected_version,
                )
            except versions.EditConflict:
                form.mark_conflict(Aftercare.objects.get(pk=follow_up.pk))
                status = 409
            else:
                messages.success(request, _("Pemantauan tersimpan."))
                return redirect("programs:release_plan", pk=follow_up.inmate_id)
    context = {"follow_up": follow_up, "form": form if can_record else None}
    return TemplateResponse(request, "programs/aftercare_record.html", context, status=status)


@case_file.register(order=50)
def release_section(request: HttpRequest, inmate: Inmate) -> Section | None:
    """Release plan, follow-ups and other custody episodes of the same person."""
    if not access.can(request.user, "release.view", inmate.facility_id):
        return None
    plan = ReleasePlan.objects.filter(inmate=inmate).select_related("counselor").first()
    follow_ups = list(Aftercare.objects.filter(inmate=inmate).order_by("month"))
    episodes = [
        e
        for e in [inmate.previous_episode, *inmate.later_episodes.all()]
        if e is not None and access.can(request.user, "inmate.view", e.facility_id)
    ]
    if plan is None and not follow_ups and not episodes and not inmate.release_date:
        return None
    return Section(
        "programs/_case_file_release.html",
        {
            "inmate": inmate,
            "plan": plan,
            "checklist": plan.checklist() if plan else [],
            "follow_ups": follow_ups,
            "episodes": episodes,
            "can_view_outcome": access.can(
                request.user, "aftercare.view_outcome", inmate.facility_id
            ),
        },
    )


@today_sections.register(order=40)
def release_today(request: HttpRequest, day: datetime.date) -> Section | None:
    """Releases in the planning window (with their checklist) and follow-ups falling due."""
    planners = access.facility_ids_for(request.user, "release.view")
    if not planners:
        return None
    releases = list(services.releases_upcoming(planners, day).select_related("release_plan")[:15])
    for inmate in releases:
        _annotate_checklist(inmate, day)
    recorders = access.facility_ids_for(request.user, "aftercare.record")
    due = (
        list(
            Aftercare.objects.filter(
                facility_id__in=recorders,
                recorded_at__isnull=True,
                due_on__lte=day + datetime.timedelta(days=AFTERCARE_NOTICE_DAYS),
            )
            .filter(Q(counselor=request.user) | Q(counselor__isnull=True))
            .select_related("inmate")
            .order_by("due_on", "id")[:20]
        )
        if recorders
        else []
    )
    if not releases and not due:
        return None
    return Section("programs/_today_release.html", {"releases": releases, "due": due, "day": day})
