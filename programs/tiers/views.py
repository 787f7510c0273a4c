"""Programme pages: cohorts, schedules, enrolment, approvals, attendance and notes."""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from assessments.models import Assessment
from inmates.casefile import case_file
from inmates.forms import filter_summary
from inmates.models import CustodyStatus, Inmate
from programs import attendance, lists
from programs.completion import services as completion
from programs.completion.forms import WaiveForm
from programs.models import (
    OPEN_STATES,
    SEATED_STATES,
    TRANSITIONS,
    Attendance,
    AttendanceStatus,
    Certificate,
    Cohort,
    Enrolment,
    EnrolmentState,
    FollowUp,
    ProgressNote,
    Session,
    SessionStatus,
    TcPhase,
    TrackKind,
)
from programs.scheduling import services as scheduling
from programs.tiers import services
from programs.tiers.forms import (
    AmendNoteForm,
    ApprovalForm,
    CohortFilterForm,
    CohortForm,
    ContinueForm,
    EnrolmentFilterForm,
    IndividualSessionForm,
    MoveForm,
    NoteDraftForm,
    NoteForm,
    ScheduleForm,
    TierChangeForm,
)
from rehab import access, audit, versions
from rehab.models import Facility
from rehab.pdf import page_size, pdf_response, render_pdf
from rehab.sections import Section
from rehab.sections import assessment as assessment_sections
from rehab.sections import today as today_sections


def _cohort(request: HttpRequest, pk: int, action: str) -> Cohort:
    return access.get_for_user(
        request.user, Cohort.objects.select_related("facility", "track"), action, pk=pk
    )


def _enrolment(request: HttpRequest, pk: int, action: str) -> Enrolment:
    queryset = Enrolment.objects.select_related(
        "facility", "inmate", "track", "cohort", "assessment"
    )
    return access.get_for_user(request.user, queryset, action, pk=pk)


COHORT_OUTPUT = lists.ListOutput(
    title=_l("Daftar angkatan program rehabilitasi"),
    sheet=_l("Angkatan"),
    file_name="daftar-angkatan",
    action="programs.cohort.list",
    columns=[
        (_l("Angkatan"), lambda c: c.name),
        (_l("UPT"), lambda c: c.facility.name),
        (_l("Jalur"), lambda c: c.track.name),
        (_l("Tingkat"), lambda c: c.track.get_tier_display()),
        (_l("Mulai"), lambda c: c.start_date),
        (_l("Selesai"), lambda c: c.end_date),
        (_l("Kapasitas"), lambda c: c.capacity),
        (_l("Peserta"), lambda c: c.seated),
    ],
)


@require_GET
def cohort_list(request: HttpRequest, output: str = "") -> HttpResponse:
    """The cohorts of the user's facilities, newest first, with how many are seated; filtered
    by name, tier and status, and printed or exported as filtered."""
    facility_ids = access.require_somewhere(request.user, "programme.view")
    form = CohortFilterForm(request.GET or None)
    cohorts = (
        Cohort.objects.filter(facility_id__in=facility_ids)
        .select_related("facility", "track")
        .annotate(seated=Count("enrolments", filter=Q(enrolments__state__in=SEATED_STATES)))
        .order_by("-start_date", "name", "id")
    )
    summary = ""
    if form.is_valid():
        data, today = form.cleaned_data, timezone.localdate()
        if data["q"]:
            cohorts = cohorts.filter(name__icontains=data["q"])
        if data["tier"]:
            cohorts = cohorts.filter(track__tier=data["tier"])
        status = {
            "upcoming": Q(start_date__gt=today),
            "running": Q(start_date__lte=today, end_date__gte=today),
            "finished": Q(end_date__lt=today),
        }.get(data["status"])
        if status is not None:
            cohorts = cohorts.filter(status)
        summary = filter_summary(form)
    if output:
        back = f"{reverse('programs:cohort_list')}?{lists.query_without_page(request)}"
        return lists.respond(
            request, output, COHORT_OUTPUT, cohorts, summary=summary, back=back,
            facility_ids=facility_ids,
        )  # fmt: skip
    page = Paginator(cohorts, 25).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "form": form,
        "query_string": lists.query_without_page(request),
        "can_manage": bool(access.facility_ids_for(request.user, "programme.manage")),
        "can_see_separations": bool(access.facility_ids_for(request.user, "separation.view")),
        "show_facility": len(facility_ids) > 1,
    }
    return TemplateResponse(request, "programs/cohort_list.html", context)


ENROLMENT_OUTPUT = lists.ListOutput(
    title=_l("Daftar peserta program rehabilitasi"),
    sheet=_l("Peserta"),
    file_name="daftar-peserta-program",
    action="programs.enrolment.list",
    columns=[
        (_l("Nama"), lambda e: e.inmate.full_name),
        (_l("No. registrasi"), lambda e: e.inmate.registration_number),
        (_l("UPT"), lambda e: e.facility.name),
        (_l("Jalur"), lambda e: e.track.name),
        (_l("Angkatan"), lambda e: e.cohort.name if e.cohort else ""),
        (_l("Status"), lambda e: e.get_state_display()),
        (_l("Mulai"), lambda e: e.started_on),
        (_l("Berakhir"), lambda e: e.ended_on),
    ],
)


@require_GET
def enrolment_list(request: HttpRequest, output: str = "") -> HttpResponse:
    """Every participant of the user's facilities (open ones first), filtered by WBP, tier and
    status; paginated, printed or exported as filtered."""
    facility_ids = access.require_somewhere(request.user, "programme.view")
    form = EnrolmentFilterForm(request.GET or None)
    enrolments = (
        Enrolment.objects.filter(facility_id__in=facility_ids)
        .select_related("inmate", "facility", "track", "cohort")
        .order_by("inmate__full_name", "-id")
    )
    summary = ""
    if form.is_valid():
        data = form.cleaned_data
        if data["q"]:
            enrolments = enrolments.filter(inmate__in=Inmate.objects.search(data["q"]).values("pk"))
        if data["tier"]:
            enrolments = enrolments.filter(track__tier=data["tier"])
        if data["state"]:
            enrolments = enrolments.filter(state=data["state"])
        summary = filter_summary(form)
    if output:
        back = f"{reverse('programs:enrolment_list')}?{lists.query_without_page(request)}"
        return lists.respond(
            request, output, ENROLMENT_OUTPUT, enrolments, summary=summary, back=back,
            facility_ids=facility_ids,
        )  # fmt: skip
    context = {
        "page": Paginator(enrolments, 50).get_page(request.GET.get("page")),
        "form": form,
        "query_string": lists.query_without_page(request),
        "show_facility": len(facility_ids) > 1,
    }
    return TemplateResponse(request, "programs/enrolment_list.html", context)


@require_http_methods(["GET", "POST"])
def cohort_create(request: HttpRequest) -> HttpResponse:
    """Open a new cohort of a track in one facility."""
    facility_ids = access.require_somewhere(request.user, "programme.manage")
    form = CohortForm(request.POST or None, facilities=Facility.objects.filter(pk__in=facility_ids))
    if request.method == "POST" and form.is_valid():
        cohort = form.save(commit=False)
        cohort.created_by = request.user
        cohort.save()
        audit.record(
            facility=cohort.facility_id,
            actor=request.user,
            action="programs.cohort.created",
            target=cohort,
            summary=cohort.name,
            changes=audit.diff(
                {},
                audit.snapshot(
                    cohort, ["track", "name", "start_date", "end_date", "capacity", "place"]
                ),
            ),
        )
        messages.success(request, _("Angkatan dibuat. Buat jadwalnya, lalu tambahkan peserta."))
        return redirect("programs:schedule", pk=cohort.pk)
    return TemplateResponse(
        request, "programs/form.html", {"form": form, "title": _("Angkatan baru")}
    )


COHORT_EDIT_FIELDS = ["name", "start_date", "end_date", "capacity", "place"]


@require_http_methods(["GET", "POST"])
def cohort_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Correct a cohort's name, dates, capacity or place; a stale save is refused (409)."""
    cohort = _cohort(request, pk, "programme.manage")
    form = CohortForm(request.POST or None, instance=cohort)
    status = 200
    if request.method == "POST" and form.is_valid():
        data = {name: form.cleaned_data[name] for name in COHORT_EDIT_FIELDS}
        try:
            services.cohort_update(
                cohort=cohort,
                by=request.user,
                data=data,
                expected_version=form.expected_version,
                reason=form.cleaned_data["reason"],
            )
        except versions.EditConflict:
            form.mark_conflict(_cohort(request, pk, "programme.manage"))
            status = 409
        else:
            messages.success(request, _("Perubahan angkatan tersimpan."))
            return redirect(cohort)
    context = {"form": form, "title": _("Ubah angkatan"), "cohort": cohort}
    return TemplateResponse(request, "programs/form.html", context, status=status)


@require_GET
def cohort_detail(request: HttpRequest, pk: int) -> TemplateResponse:
    """A cohort's roster, sessions and facilitators."""
    cohort = _cohort(request, pk, "programme.view")
    enrolments = list(
        cohort.enrolments.select_related("inmate").order_by("state", "inmate__full_name")
    )
    sessions = list(cohort.sessions.annotate(marked=Count("attendance")).order_by("starts_at"))
    context = {
        "cohort": cohort,
        "enrolments": enrolments,
        "seated": sum(1 for e in enrolments if e.state in SEATED_STATES),
        "sessions": sessions,
        "facilitators": list(cohort.facilitators.select_related("user", "agency")),
        "can_manage": access.can(request.user, "programme.manage", cohort.facility_id),
    }
    return TemplateResponse(request, "programs/cohort_detail.html", context)


SCHEDULE_ACTIONS = ("preview", "save_all", "save_clean", "change")


@require_http_methods(["GET", "POST"])
def schedule(request: HttpRequest, pk: int) -> HttpResponse:
    """Generate the cohort's schedule from a pattern in two steps: a preview of the sessions it
    would create, update and remove with every clash named, then the user's choice (save all,
    save without the clashing ones, or change the pattern). Nothing is written before that."""
    cohort = _cohort(request, pk, "programme.manage")
    form = ScheduleForm(
        request.POST or None, initial={"place": cohort.place}, facility_id=cohort.facility_id,
        cohort=cohort,
    )  # fmt: skip
    title = _("Jadwal %(cohort)s") % {"cohort": cohort.name}
    step = request.POST.get("step", "preview")
    wants_save = request.method == "POST" and step in SCHEDULE_ACTIONS and step != "change"
    if wants_save and form.is_valid():
        pattern = {
            name: form.cleaned_data[name]
            for name in ("weekdays", "start", "end", "kind", "module", "place", "speakers")
        }
        if step == "preview":
            plan = services.schedule_plan(cohort=cohort, **pattern)
            context = {
                "form": form, "title": title, "cohort": cohort, "owner": cohort, "plan": plan,
                "pairs": scheduling.cohort_pairs(cohort),
            }  # fmt: skip
            return TemplateResponse(request, "programs/schedule_preview.html", context)
        plan, created = services.schedule_apply(
            cohort=cohort, by=request.user, skip_clashing=step == "save_clean", **pattern
        )
        updated = sum(1 for _s, found in plan.updated if not (step == "save_clean" and found))
        messages.success(request, _("%(n)d sesi dijadwalkan.") % {"n": len(created)})
        if updated or plan.removed:
            messages.info(
                request,
                _("%(u)d sesi mendatang diubah, %(r)d dihapus karena tidak lagi sesuai pola.")
                % {"u": updated, "r": len(plan.removed)},
            )
        return redirect(cohort)
    return TemplateResponse(
        request, "programs/form.html", {"form": form, "title": title, "cohort": cohort}
    )


CANDIDATES_PER_PAGE = 50


def _candidates(cohort: Cohort, query: str = "") -> QuerySet[Assessment]:
    """The signed assessments to place from: WBP of the cohort's facility in custody, whose
    newest signed assessment is of the track's tier and who hold no open enrolment; narrowed
    by name, alias or registration number when a search is typed."""
    open_enrolment = Enrolment.objects.filter(
        inmate_id=OuterRef("inmate_id"), state__in=OPEN_STATES
    )
    latest = (
        Assessment.objects.latest_per_inmate()
        .filter(
            facility_id=cohort.facility_id,
            final_tier=cohort.track.tier,
            inmate__status=CustodyStatus.IN_CUSTODY,
        )
        .exclude(Exists(open_enrolment))
        .select_related("inmate")
        .order_by("inmate__full_name", "id")
    )
    if query:
        latest = latest.filter(inmate__in=Inmate.objects.search(query).values("pk"))
    return latest


def _apart_warning(names: list[str]) -> str:
    return _("Harus dipisah dari %(names)s di angkatan ini: Kepala Rutan yang memutuskan.") % {
        "names": ", ".join(names)
    }


def _with_warnings(cohort: Cohort, assessments: Any) -> list[dict[str, Any]]:
    assessments = list(assessments)
    apart = scheduling.kept_apart(
        inmate_ids=[a.inmate_id for a in assessments], cohort_ids=[cohort.pk]
    )
    rows = []
    for a in assessments:
        warnings = services.placement_warnings(inmate=a.inmate, track=cohort.track, cohort=cohort)
        if (a.inmate_id, cohort.pk) in apart:
            warnings.append(_apart_warning(apart[a.inmate_id, cohort.pk]))
        rows.append({"assessment": a, "inmate": a.inmate, "warnings": warnings})
    return rows


@require_http_methods(["GET", "POST"])
def cohort_enrol(request: HttpRequest, pk: int) -> HttpResponse:
    """Propose several WBP at once from their signed assessments; all or nothing."""
    cohort = _cohort(request, pk, "enrolment.manage")
    query = request.GET.get("q", "").strip()[: settings.SEARCH_MAX_CHARS]
    if request.method == "POST":
        chosen = {int(v) for v in request.POST.getlist("assessment") if v.isdigit()}
        too_many = len(chosen) > settings.MAX_ROSTER
        # Whatever page or search they were ticked on, only candidates can be proposed.
        picked = (
            [] if too_many else _with_warnings(cohort, _candidates(cohort).filter(pk__in=chosen))
        )
        if too_many:
            messages.error(
                request,
                _("Paling banyak %(limit)d WBP sekaligus.") % {"limit": settings.MAX_ROSTER},
            )
        elif not picked:
            messages.error(request, _("Pilih paling sedikit satu WBP."))
        else:
            try:
                services.enrolments_propose(
                    cohort=cohort,
                    picks=[(c["inmate"], c["assessment"]) for c in picked],
                    by=request.user,
                )
            except services.PlacementRefused as error:
                messages.error(request, str(error))
            else:
                messages.success(
                    request,
                    _("%(n)d WBP diusulkan; menunggu persetujuan Kepala Rutan.")
                    % {"n": len(picked)},
                )
                pairs = scheduling.cohort_pairs(cohort)
                if pairs:
                    messages.warning(
                        request,
                        _(
                            "WBP yang harus dipisah kini sama-sama di angkatan ini: %(pairs)s. "
                            "Kepala Rutan melihatnya saat memutuskan usulan."
                        )
                        % {"pairs": "; ".join(pairs)},
                    )
                return redirect(cohort)
    page = Paginator(_candidates(cohort, query), CANDIDATES_PER_PAGE).get_page(
        request.GET.get("page")
    )
    context = {
        "cohort": cohort,
        "candidates": _with_warnings(cohort, page.object_list),
        "page": page,
        "query": query,
        "chosen": request.POST.getlist("assessment"),
    }
    return TemplateResponse(request, "programs/cohort_enrol.html", context)


def _decision(request: HttpRequest) -> tuple[str, set[int]]:
    """What the warden asked: one row's button ("approve:12") or the selection's button with
    the rows ticked explicitly."""
    one = request.POST.get("one", "")
    if one:
        decision, _sep, pk = one.partition(":")
        return decision, {int(pk)} if pk.isdigit() else set()
    chosen = {
        int(v) for v in request.POST.getlist("enrolment")[: settings.MAX_ROSTER + 1] if v.isdigit()
    }
    return request.POST.get("decision", ""), chosen


@require_http_methods(["GET", "POST"])
def approvals(request: HttpRequest) -> HttpResponse:
    """The warden's pending placements and tier changes: each approved or refused with its own
    button, or several ticked explicitly (nothing is ticked for them) and decided together."""
    facility_ids = access.require_somewhere(request.user, "enrolment.approve")
    pending = list(
        Enrolment.objects.filter(facility_id__in=facility_ids, state=EnrolmentState.PROPOSED)
        .select_related(
            "inmate", "track", "cohort", "assessment", "replaces__track", "replaces__cohort"
        )
        .order_by("created_at", "id")
    )
    apart = scheduling.kept_apart(
        inmate_ids=[e.inmate_id for e in pending],
        cohort_ids={e.cohort_id for e in pending if e.cohort_id},
    )
    for e in pending:
        names = apart.get((e.inmate_id, e.cohort_id or 0))
        e.apart_warning = _apart_warning(names) if names else ""  # type: ignore[attr-defined]
    form = ApprovalForm(request.POST or None)
    chosen: set[int] = set()
    if request.method == "POST" and form.is_valid():
        decision, chosen = _decision(request)
        picked = [e for e in pending if e.pk in chosen]
        reason = form.cleaned_data["reason"].strip()
        if len(chosen) > settings.MAX_ROSTER:
            messages.error(
                request,
                _("Paling banyak %(limit)d WBP sekaligus.") % {"limit": settings.MAX_ROSTER},
            )
        elif not picked or decision not in ("approve", "reject"):
            messages.error(request, _("Pilih usulan dan keputusannya."))
        elif decision == "reject" and not reason:
            form.add_error("reason", _("Tuliskan alasan penolakan."))
        else:
            to = EnrolmentState.PLACED if decision == "approve" else EnrolmentState.REJECTED
            try:
                services.enrolments_decide(
                    enrolments=picked,
                    to=to,
                    by=request.user,
                    reason=reason or _("Disetujui Kepala Rutan"),
                )
            except (services.TransitionRefused, services.PlacementRefused) as error:
                messages.error(request, str(error))
            else:
                messages.success(request, _("%(n)d usulan diputuskan.") % {"n": len(picked)})
                return redirect("programs:approvals")
    context = {"pending": pending, "form": form, "chosen": chosen}
    return TemplateResponse(request, "programs/approvals.html", context)


@require_http_methods(["GET", "POST"])
def tier_change(request: HttpRequest, pk: int) -> HttpResponse:
    """Request a tier change with its destination track and cohort; the warden's own request
    is decided at once."""
    enrolment = _enrolment(request, pk, "enrolment.move")
    facility = enrolment.facility_id
    approver = access.can(request.user, "enrolment.approve", facility)
    if not approver:
        access.require(request.user, "enrolment.manage", facility)
    form = TierChangeForm(request.POST or None, enrolment=enrolment, today=timezone.localdate())
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            new = services.tier_change_request(
                enrolment=enrolment,
                track=data["track"],
                cohort=data["cohort"],
                assessment=data["assessment"],
                reason=data["reason"],
                by=request.user,
                approve=approver,
            )
        except (services.TransitionRefused, services.PlacementRefused) as error:
            form.add_error(None, str(error))
        else:
            if approver:
                messages.success(request, _("Pindah tingkat disetujui."))
                return redirect(new)
            messages.success(
                request, _("Permintaan pindah tingkat menunggu persetujuan Kepala Rutan.")
            )
            return redirect(enrolment)
    title = _("Pindah tingkat: %(name)s · %(track)s") % {
        "name": enrolment.inmate.full_name,
        "track": enrolment.track.name,
    }
    return TemplateResponse(
        request, "programs/form.html", {"form": form, "title": title, "inmate": enrolment.inmate}
    )


@require_GET
def enrolment_detail(request: HttpRequest, pk: int) -> TemplateResponse:
    """One participant's programme: state history, attendance, notes for clinical roles."""
    enrolment = _enrolment(request, pk, "programme.view")
    return TemplateResponse(
        request, "programs/enrolment_detail.html", _enrolment_context(request, enrolment)
    )


def _enrolment_context(
    request: HttpRequest, enrolment: Enrolment, waive_form: WaiveForm | None = None
) -> dict[str, Any]:
    facility = enrolment.facility_id
    can_notes = access.can(request.user, "note.view", facility)
    if can_notes:
        audit.log_access(
            user=request.user, facility=facility, action="notes.read", target=enrolment
        )
    allowed = {
        a
        for a in ("enrolment.manage", "enrolment.approve")
        if access.can(request.user, a, facility)
    }
    progress = completion.requirement_progress(enrolment)
    context = {
        "enrolment": enrolment,
        "inmate": enrolment.inmate,
        "events": list(enrolment.events.select_related("by")),
        "attendance": list(
            enrolment.attendance.select_related("session").order_by("-session__starts_at")[:50]
        ),
        "notes": list(enrolment.notes.select_related("author", "amends")) if can_notes else None,
        "can_write_note": access.can(request.user, "note.write", facility),
        "progress": progress,
        "gate": completion.enrolment_gate(enrolment, progress),
        "can_waive": access.can(request.user, "completion.waive", facility),
        "phases": list(enrolment.phases.select_related("by")),
        "phase_choices": TcPhase.choices if enrolment.track.kind == TrackKind.TC else None,
        "can_manage": access.can(request.user, "programme.manage", facility) and enrolment.is_open,
        "move_form": MoveForm(state=enrolment.state, allowed=allowed) if allowed else None,
        "replaces": enrolment.replaces,
        "replaced_by": Enrolment.objects.filter(replaces=enrolment).select_related("track").first(),
        "can_change_tier": bool(allowed)
        and (enrolment.state, EnrolmentState.CHANGED) in TRANSITIONS,
        "waive_form": waive_form or WaiveForm(),
        "waive_open": enrolment.state == EnrolmentState.ACTIVE,
        "certificate": Certificate.objects.filter(enrolment=enrolment)
        .select_related("facility")
        .first(),
    }
    return context


@require_POST
def enrolment_move(request: HttpRequest, pk: int) -> HttpResponse:
    """Move an enrolment to another state, if the table and the user's role allow it."""
    enrolment = _enrolment(request, pk, "enrolment.move")
    facility = enrolment.facility_id
    allowed = {
        a
        for a in ("enrolment.manage", "enrolment.approve")
        if access.can(request.user, a, facility)
    }
    form = MoveForm(request.POST, state=enrolment.state, allowed=allowed)
    if form.is_valid():
        try:
            services.enrolment_move(
                enrolment=enrolment,
                to=form.cleaned_data["to"],
                by=request.user,
                reason=form.cleaned_data["reason"],
                drop_reason=form.cleaned_data["drop_reason"],
            )
        except services.TransitionRefused as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("Status peserta diubah."))
    else:
        for problems in form.errors.values():
            for problem in problems:
                messages.error(request, str(problem))
    return redirect(enrolment)


@require_http_methods(["GET", "POST"])
def session_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """Attendance of a whole session on one screen: everyone present unless marked."""
    session = access.get_for_user(
        request.user,
        Session.objects.select_related("facility", "cohort", "module"),
        "programme.view",
        pk=pk,
    )
    can_mark = access.can(request.user, "programme.manage", session.facility_id)
    people = services.roster(session)
    marks = dict(Attendance.objects.filter(session=session).values_list("enrolment_id", "status"))
    conflict = False
    if request.method == "POST":
        access.require(request.user, "programme.manage", session.facility_id)
        posted = {e.pk: request.POST.get(f"mark-{e.pk}", AttendanceStatus.PRESENT) for e in people}
        version = request.POST.get("version", "")
        try:
            services.attendance_save(
                session=session,
                by=request.user,
                marks=posted,
                expected_version=int(version) if version.isdigit() else None,
            )
        except services.AttendanceConflict:
            conflict, marks = True, posted
            session.refresh_from_db()
        except services.TransitionRefused as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("Kehadiran %(n)d peserta tersimpan.") % {"n": len(people)})
            return redirect(session)
    context = {
        "session": session,
        "rows": [
            {"enrolment": e, "mark": marks.get(e.pk, AttendanceStatus.PRESENT)} for e in people
        ],
        "choices": AttendanceStatus.choices,
        "can_mark": can_mark and session.status != SessionStatus.CANCELLED,
        "conflict": conflict,
    }
    return TemplateResponse(
        request, "programs/session_detail.html", context, status=409 if conflict else 200
    )


@require_http_methods(["GET", "POST"])
def note_create(request: HttpRequest, pk: int) -> HttpResponse:
    """Write a progress note on a participant (counselors)."""
    enrolment = _enrolment(request, pk, "note.write")
    form = NoteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.note_save(
            enrolment=enrolment,
            by=request.user,
            data=form.cleaned_data,
            sign="sign" in request.POST,
        )
        messages.success(request, _("Catatan tersimpan."))
        return redirect(enrolment)
    title = _("Catatan perkembangan")
    return TemplateResponse(
        request, "programs/form.html", {"form": form, "title": title, "inmate": enrolment.inmate}
    )


@require_http_methods(["GET", "POST"])
def note_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Edit a draft note; a signed one answers 403 and offers the correction."""
    note = access.get_for_user(
        request.user, ProgressNote.objects.select_related("enrolment__inmate"), "note.write", pk=pk
    )
    if note.is_signed:
        form: NoteForm = AmendNoteForm(
            request.POST or None,
            instance=None,
            initial={f: getattr(note, f) for f in NoteForm.Meta.fields},
        )
        if request.method == "POST" and form.is_valid():
            data = {f: form.cleaned_data[f] for f in NoteForm.Meta.fields}
            try:
                services.note_amend(
                    note=note,
                    by=request.user,
                    data=data,
                    reason=form.cleaned_data["amendment_reason"],
                )
            except services.NoteLocked:
                messages.error(request, _("Catatan ini sudah dikoreksi."))
            return redirect(note.enrolment)
        return TemplateResponse(
            request,
            "programs/form.html",
            {
                "form": form,
                "title": _("Koreksi catatan yang sudah ditandatangani"),
                "inmate": note.enrolment.inmate,
            },
            status=403 if request.method == "POST" else 200,
        )
    form = NoteDraftForm(request.POST or None, instance=note)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            services.note_save(
                enrolment=note.enrolment,
                by=request.user,
                data={name: form.cleaned_data[name] for name in NoteForm.Meta.fields},
                sign="sign" in request.POST,
                note=note,
                expected_version=form.expected_version,
            )
        except versions.EditConflict:
            form.mark_conflict(ProgressNote.objects.select_related("facility").get(pk=note.pk))
            status = 409
        else:
            return redirect(note.enrolment)
    title = _("Catatan perkembangan")
    return TemplateResponse(
        request,
        "programs/form.html",
        {"form": form, "title": title, "inmate": note.enrolment.inmate},
        status=status,
    )


@case_file.register(order=40)
def programme_section(request: HttpRequest, inmate: Inmate) -> Section | None:
    """The programme part of the case file: enrolments and their moves."""
    if not access.can(request.user, "programme.view", inmate.facility_id):
        return None
    enrolments = list(
        Enrolment.objects.filter(inmate=inmate)
        .select_related("track", "cohort", "replaces__track", "replaced_by__track")
        .annotate(
            attended=Count("attendance", filter=attendance.attended_q("attendance__")),
            missed=Count("attendance", filter=Q(attendance__status="absent")),
        )
        .order_by("-created_at")
    )
    if enrolments and access.can(request.user, "note.view", inmate.facility_id):
        # A separate count: joined with attendance above it would multiply.
        notes = dict(
            ProgressNote.objects.filter(enrolment__in=enrolments)
            .values_list("enrolment_id")
            .annotate(n=Count("id"))
        )
        for e in enrolments:
            e.note_count = notes.get(e.pk, 0)  # type: ignore[attr-defined]
    context: dict[str, Any] = {"inmate": inmate, "enrolments": enrolments}
    if (
        inmate.previous_episode_id
        and inmate.is_in_custody
        and not any(e.state != EnrolmentState.REJECTED for e in enrolments)
        and access.can(request.user, "enrolment.manage", inmate.facility_id)
    ):
        origin = services.transferred_programme(inmate, checked=True)
        if origin is not None:
            context["transferred"] = origin
            context["transferred_tally"] = attendance.enrolment_tally(origin)
            context["continue_form"] = ContinueForm(cohorts=_running_cohorts(inmate))
    return Section("programs/_case_file.html", context)


def _running_cohorts(inmate: Inmate) -> QuerySet[Cohort]:
    return (
        Cohort.objects.filter(facility_id=inmate.facility_id, end_date__gte=timezone.localdate())
        .select_related("track")
        .order_by("track__tier", "start_date")
    )


@require_POST
def enrolment_continue(request: HttpRequest, pk: int) -> HttpResponse:
    """After a transfer: continue the WBP's programme in a cohort here, or restart it."""
    inmate = access.get_for_user(request.user, Inmate.objects.all(), "enrolment.manage", pk=pk)
    origin = services.transferred_programme(inmate)
    if origin is None:
        messages.error(request, _("Tidak ada program dari UPT asal yang dapat dilanjutkan."))
        return redirect(inmate)
    form = ContinueForm(request.POST, cohorts=_running_cohorts(inmate))
    if form.is_valid():
        try:
            services.enrolment_continue(
                inmate=inmate, origin=origin, cohort=form.cleaned_data["cohort"],
                by=request.user, reason=form.cleaned_data["reason"],
                carry="restart" not in request.POST,
            )  # fmt: skip
        except services.PlacementRefused as refused:
            messages.error(request, str(refused))
        else:
            messages.success(request, _("Usulan program menunggu persetujuan Kepala Rutan."))
    else:
        for problems in form.errors.values():
            for problem in problems:
                messages.error(request, str(problem))
    return redirect(inmate)


@today_sections.register(order=20)
def programme_today(request: HttpRequest, day: datetime.date) -> Section | None:
    """Sessions today, absence follow-ups and pending approvals, by role."""
    manage = access.facility_ids_for(request.user, "programme.manage")
    approve = access.facility_ids_for(request.user, "enrolment.approve")
    if not manage and not approve:
        return None
    start = timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))
    sessions = (
        list(
            Session.objects.filter(
                facility_id__in=manage,
                starts_at__gte=start,
                starts_at__lt=start + datetime.timedelta(days=1),
            )
            .exclude(status=SessionStatus.CANCELLED)
            .select_related("cohort", "module")
            .order_by("starts_at")
        )
        if manage
        else []
    )
    follow_ups = (
        list(
            FollowUp.objects.filter(facility_id__in=manage, resolved_at__isnull=True)
            .select_related("enrolment__inmate")
            .order_by("created_at")[:20]
        )
        if manage
        else []
    )
    pending = (
        Enrolment.objects.filter(facility_id__in=approve, state=EnrolmentState.PROPOSED).count()
        if approve
        else 0
    )
    releasing = (
        list(
            Enrolment.objects.filter(
                facility_id__in=manage,
                state__in=OPEN_STATES,
                inmate__status=CustodyStatus.IN_CUSTODY,
                inmate__release_date__range=(day, day + datetime.timedelta(days=30)),
            )
            .select_related("inmate", "track")
            .order_by("inmate__release_date")[:20]
        )
        if manage
        else []
    )
    return Section(
        "programs/_today.html",
        {
            "sessions": sessions,
            "follow_ups": follow_ups,
            "pending": pending,
            "releasing": releasing,
            "can_approve": bool(approve),
        },
    )


@today_sections.register(order=21)
def tier_change_today(request: HttpRequest, day: datetime.date) -> Section | None:
    """The warden's pending tier changes, each from the old track to the new."""
    approve = access.facility_ids_for(request.user, "enrolment.approve")
    if not approve:
        return None
    changes = list(
        Enrolment.objects.filter(
            facility_id__in=approve, state=EnrolmentState.PROPOSED, replaces__isnull=False
        )
        .select_related("inmate", "track", "cohort", "replaces__track")
        .order_by("created_at", "id")[:20]
    )
    if not changes:
        return None
    return Section("programs/_today_tier_changes.html", {"changes": changes})


# --- PDFs: sign-in sheet, schedule, certificate ----------------------------------------------

# Table rows per printed page: (first page, under the letterhead; each page after it). Every
# page gets its own table and header, and a row is never split (STYLE.md rule 25).
SHEET_ROWS = {"A4": (20, 27), "F4": (24, 32)}
SCHEDULE_ROWS = {"A4": (20, 28), "F4": (23, 32)}


def _pages(rows: list[Any], first: int, rest: int) -> list[dict[str, Any]]:
    """Cut table rows into printed pages; each page knows how many rows came before it."""
    pages: list[dict[str, Any]] = [{"rows": rows[:first], "offset": 0}]
    for start in range(first, len(rows), rest):
        pages.append({"rows": rows[start : start + rest], "offset": start})
    return pages


def _facilitator_names(session: Session) -> list[str]:
    """Name who leads the session: its own facilitators, else those of its cohort."""
    names = [u.get_full_name() or u.username for u in session.facilitators.all()]
    if session.external_speaker:
        names.append(session.external_speaker)
    if not names and session.cohort is not None:
        for f in session.cohort.facilitators.select_related("user", "agency"):
            names.append(f"{f} ({f.agency})" if f.agency else str(f))
    return names


@require_GET
def attendance_sheet(request: HttpRequest, pk: int) -> HttpResponse:
    """A session's sign-in sheet as a PDF on A4 or F4 (?size=F4); every download is logged."""
    session = access.get_for_user(
        request.user,
        Session.objects.select_related(
            "facility", "cohort__track", "module", "enrolment__inmate", "enrolment__track"
        ),
        "programme.view",
        pk=pk,
    )
    size, people = page_size(request, session.facility), services.roster(session)
    context = {
        "session": session, "facility": session.facility, "expected": len(people),
        "facilitators": _facilitator_names(session),
        "pages": _pages(people, *SHEET_ROWS[size]),
    }  # fmt: skip
    pdf = render_pdf("programs/attendance_sheet_pdf.html", context, request=request, page_size=size)
    day = timezone.localtime(session.starts_at, session.facility.tzinfo)
    filename = f"daftar-hadir-{session.pk}-{day:%Y%m%d}.pdf"
    return pdf_response(pdf, filename, user=request.user, facility=session.facility, target=session)


@require_GET
def schedule_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """A cohort's schedule as a PDF on A4 or F4 (?size=F4); every download is logged."""
    cohort = _cohort(request, pk, "programme.view")
    size = page_size(request, cohort.facility)
    sessions = list(cohort.sessions.select_related("module").order_by("starts_at", "id"))
    context = {
        "cohort": cohort, "facility": cohort.facility, "sessions": sessions,
        "seated": cohort.enrolments.seated().count(),
        "facilitators": list(cohort.facilitators.select_related("user", "agency")),
        "pages": _pages(sessions, *SCHEDULE_ROWS[size]),
    }  # fmt: skip
    pdf = render_pdf("programs/schedule_pdf.html", context, request=request, page_size=size)
    filename = f"jadwal-angkatan-{cohort.pk}-{cohort.start_date:%Y%m%d}.pdf"
    return pdf_response(pdf, filename, user=request.user, facility=cohort.facility, target=cohort)


@require_GET
def certificate(request: HttpRequest, pk: int) -> HttpResponse:
    """The certificate of a completed programme as a PDF on A4 or F4 (?size=F4); logged."""
    enrolment = _enrolment(request, pk, "programme.view")
    if enrolment.state != EnrolmentState.COMPLETED:
        raise Http404("No certificate before the programme is completed.")
    try:
        number = completion.certificate_for_print(
            by=request.user,
            gate=completion.enrolment_gate(enrolment),
            on=enrolment.ended_on or timezone.localdate(),
            enrolment=enrolment,
        )
    except completion.CompletionRefused as refused:
        messages.error(request, str(refused))
        return redirect(enrolment)
    cohort = enrolment.cohort
    context = {
        "certificate": number,
        "enrolment": enrolment, "inmate": enrolment.inmate, "facility": enrolment.facility,
        "started_on": enrolment.started_on or (cohort.start_date if cohort else None),
        "warden": enrolment.facility.warden(),
    }  # fmt: skip
    size = page_size(request, enrolment.facility)
    pdf = render_pdf("programs/certificate_pdf.html", context, request=request, page_size=size)
    filename = f"sertifikat-rehabilitasi-{enrolment.pk}.pdf"
    return pdf_response(
        pdf, filename, user=request.user, facility=enrolment.facility, target=enrolment
    )


@require_http_methods(["GET", "POST"])
def individual_session(request: HttpRequest, pk: int) -> HttpResponse:
    """Plan an individual session for one participant, warning of clashes."""
    enrolment = _enrolment(request, pk, "programme.manage")
    form = IndividualSessionForm(request.POST or None, facility_id=enrolment.facility_id)
    if request.method == "POST" and form.is_valid():
        session, clashes = services.individual_session_create(
            enrolment=enrolment, by=request.user, **form.cleaned_data
        )
        messages.success(request, _("Sesi dijadwalkan."))
        for clash in clashes:
            messages.warning(request, _("Bentrok: %(what)s") % {"what": clash})
        return redirect(session)
    title = _("Sesi individu")
    return TemplateResponse(
        request, "programs/form.html", {"form": form, "title": title, "inmate": enrolment.inmate}
    )


@require_POST
def phase_change(request: HttpRequest, pk: int) -> HttpResponse:
    """Move a Therapeutic Community resident to another phase."""
    enrolment = _enrolment(request, pk, "enrolment.manage")
    try:
        services.phase_change(
            enrolment=enrolment,
            by=request.user,
            phase=request.POST.get("phase", ""),
            reason=request.POST.get("reason", ""),
        )
    except services.TransitionRefused as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Fase TC diubah."))
    return redirect(enrolment)


PLACEMENT_SHORTCUTS = 4


@assessment_sections.register(order=10)
def placement_shortcut(request: HttpRequest, assessment: Assessment) -> Section | None:
    """On a signed assessment of a WBP in custody with no programme yet: the open cohorts of
    its tier with a free place, each proposed in one click (the warden approves as usual)."""
    if (
        not assessment.is_signed
        or assessment.superseded
        or assessment.inmate.status != CustodyStatus.IN_CUSTODY
        or not access.can(request.user, "enrolment.manage", assessment.facility_id)
        or Enrolment.objects.open().filter(inmate_id=assessment.inmate_id).exists()
    ):
        return None
    cohorts = list(
        Cohort.objects.filter(
            facility_id=assessment.facility_id,
            track__tier=assessment.final_tier,
            end_date__gte=timezone.localdate(),
        )
        .select_related("track")
        .annotate(seated=Count("enrolments", filter=Q(enrolments__state__in=SEATED_STATES)))
        .order_by("start_date", "name")[:PLACEMENT_SHORTCUTS]
    )
    return Section(
        "programs/_placement_shortcut.html", {"assessment": assessment, "cohorts": cohorts}
    )


@require_POST
def propose_from_assessment(request: HttpRequest, pk: int) -> HttpResponse:
    """Propose the WBP of a signed assessment for one cohort of its tier, in one click."""
    assessment = access.get_for_user(
        request.user, Assessment.objects.select_related("inmate"), "enrolment.manage", pk=pk
    )
    cohort_id = request.POST.get("cohort", "")
    cohort = (
        Cohort.objects.filter(facility_id=assessment.facility_id, track__tier=assessment.final_tier)
        .select_related("track")
        .filter(pk=int(cohort_id) if cohort_id.isdigit() else 0)
        .first()
    )
    if cohort is None:
        messages.error(request, _("Pilih angkatan untuk tingkat asesmen ini."))
        return redirect(assessment)
    try:
        services.enrolment_propose(
            inmate=assessment.inmate, track=cohort.track, cohort=cohort,
            assessment=assessment, by=request.user,
        )  # fmt: skip
    except services.PlacementRefused as error:
        messages.error(request, str(error))
        return redirect(assessment)
    messages.success(
        request,
        _("%(name)s diusulkan ke %(cohort)s; menunggu persetujuan Kepala Rutan.")
        % {"name": assessment.inmate.full_name, "cohort": cohort.name},
    )
    return redirect(assessment.inmate)
