"""Skills training pages: the course catalogue, a course with its meetings, trainees and
waitlist, enrolment, attendance of a meeting, completion and the certificate."""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count, Exists, F, OuterRef, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from inmates.casefile import case_file
from inmates.models import CustodyStatus, Inmate
from programs import attendance
from programs.completion import services as completion
from programs.models import (
    TRAINEE_OPEN_STATES,
    TRAINEE_SEATED_STATES,
    AttendanceStatus,
    Competency,
    Course,
    CourseAttendance,
    CourseMeeting,
    SessionStatus,
    Trainee,
    TraineeState,
)
from programs.skills import services as skills
from programs.skills.forms import CourseForm, MeetingForm, MeetingScheduleForm, TraineeCompleteForm
from rehab import access, versions
from rehab.models import Facility
from rehab.pdf import page_size, pdf_response, render_pdf
from rehab.sections import Section
from rehab.sections import today as today_sections

# The enrolment page lists at most this many WBP; a search narrows it.
CANDIDATES_SHOWN = 200


def _course(request: HttpRequest, pk: int, action: str) -> Course:
    return access.get_for_user(
        request.user, Course.objects.select_related("facility"), action, pk=pk
    )


def _trainee(request: HttpRequest, pk: int, action: str) -> Trainee:
    queryset = Trainee.objects.select_related("facility", "course", "inmate")
    return access.get_for_user(request.user, queryset, action, pk=pk)


def _meeting(request: HttpRequest, pk: int, action: str) -> CourseMeeting:
    # A meeting belongs to its course's facility: name that facility_id for the access helper.
    queryset = CourseMeeting.objects.select_related("course__facility").annotate(
        facility_id=F("course__facility_id")
    )
    return access.get_for_user(request.user, queryset, action, pk=pk)


@require_GET
def course_list(request: HttpRequest) -> TemplateResponse:
    """The courses of the user's facilities, newest first, with places taken and waiting."""
    facility_ids = access.require_somewhere(request.user, "course.view")
    courses = (
        Course.objects.filter(facility_id__in=facility_ids)
        .select_related("facility")
        .annotate(
            seated=Count("trainees", filter=Q(trainees__state__in=TRAINEE_SEATED_STATES)),
            waiting=Count("trainees", filter=Q(trainees__state=TraineeState.WAITLISTED)),
            certified=Count(
                "trainees",
                filter=Q(
                    trainees__state=TraineeState.COMPLETED,
                    trainees__competency=Competency.COMPETENT,
                ),
            ),
        )
        .order_by("-start_date", "name", "id")
    )
    page = Paginator(courses, 25).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "today": timezone.localdate(),
        "can_manage": bool(access.facility_ids_for(request.user, "course.manage")),
        "show_facility": len(facility_ids) > 1,
    }
    return TemplateResponse(request, "programs/course_list.html", context)


@require_http_methods(["GET", "POST"])
def course_create(request: HttpRequest) -> HttpResponse:
    """Add a course to the catalogue of one facility."""
    facility_ids = access.require_somewhere(request.user, "course.manage")
    form = CourseForm(request.POST or None, facilities=Facility.objects.filter(pk__in=facility_ids))
    if request.method == "POST" and form.is_valid():
        course = skills.course_create(course=form.save(commit=False), by=request.user)
        messages.success(
            request, _("Pelatihan dibuat. Buat jadwal pertemuannya, lalu daftarkan peserta.")
        )
        return redirect("programs:course_schedule", pk=course.pk)
    context = {"form": form, "title": _("Pelatihan baru")}
    return TemplateResponse(request, "programs/course_form.html", context)


COURSE_EDIT_FIELDS = [name for name in CourseForm.Meta.fields if name != "facility"]


@require_http_methods(["GET", "POST"])
def course_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Correct a course of the catalogue; a stale save is refused (409)."""
    course = _course(request, pk, "course.manage")
    form = CourseForm(request.POST or None, instance=course)
    status = 200
    if request.method == "POST" and form.is_valid():
        data = {name: form.cleaned_data[name] for name in COURSE_EDIT_FIELDS}
        try:
            skills.course_update(
                course=course,
                by=request.user,
                data=data,
                expected_version=form.expected_version,
                reason=form.cleaned_data["reason"],
            )
        except versions.EditConflict:
            form.mark_conflict(_course(request, pk, "course.manage"))
            status = 409
        else:
            messages.success(request, _("Perubahan pelatihan tersimpan."))
            return redirect(course)
    context = {"form": form, "title": _("Ubah pelatihan"), "course": course}
    return TemplateResponse(request, "programs/course_form.html", context, status=status)


@require_GET
def course_detail(request: HttpRequest, pk: int) -> TemplateResponse:
    """A course: its meetings, its trainees, the offers waiting for an answer and the waitlist."""
    course = _course(request, pk, "course.view")
    trainees = list(course.trainees.select_related("inmate", "waiver").order_by("created_at", "id"))
    tallies = attendance.trainee_tallies(t.pk for t in trainees)
    for t in trainees:
        t.tally = tallies.get(t.pk, attendance.Tally())  # type: ignore[attr-defined]
        gate = completion.Gate(
            tally=t.tally,  # type: ignore[attr-defined]
            required_percent=course.required_percent,
            unit="",
            waiver=getattr(t, "waiver", None),
        )
        t.below = not gate.allowed  # type: ignore[attr-defined]
    for t in trainees:
        t.warnings = (  # type: ignore[attr-defined]
            skills.enrolment_warnings(inmate=t.inmate, course=course)
            if t.state in TRAINEE_OPEN_STATES
            else []
        )
    meetings = list(course.meetings.annotate(marked=Count("attendance")).order_by("starts_at"))
    by_state: dict[str, list[Trainee]] = {state: [] for state in TraineeState.values}
    for t in trainees:
        by_state[t.state].append(t)
    context = {
        "course": course,
        "participants": sorted(
            by_state[TraineeState.ENROLLED] + by_state[TraineeState.COMPLETED],
            key=lambda t: (t.inmate.full_name, t.pk),
        ),
        "offered": by_state[TraineeState.OFFERED],
        "waitlist": by_state[TraineeState.WAITLISTED],
        "gone": by_state[TraineeState.LEFT] + by_state[TraineeState.DECLINED],
        "seated": sum(1 for t in trainees if t.state in TRAINEE_SEATED_STATES),
        "meetings": meetings,
        "held": sum(1 for m in meetings if m.status == SessionStatus.HELD),
        "can_manage": access.can(request.user, "course.manage", course.facility_id),
        "can_waive": access.can(request.user, "completion.waive", course.facility_id),
    }
    return TemplateResponse(request, "programs/course_detail.html", context)


SCHEDULE_SAVES = ("save_all", "save_clean")


@require_http_methods(["GET", "POST"])
def course_schedule(request: HttpRequest, pk: int) -> HttpResponse:
    """Plan the course's meetings: from a weekly pattern in two steps (a preview naming every
    clash, then save all, save without the clashing ones, or change the pattern), or one at a
    time. Nothing of a pattern is written before that choice."""
    course = _course(request, pk, "course.manage")
    step = request.POST.get("step", "preview")
    patterned = "generate" in request.POST or "step" in request.POST
    generate = MeetingScheduleForm(request.POST if patterned else None)
    single = MeetingForm(request.POST if "add" in request.POST else None, course=course)
    try:
        if generate.is_bound and step != "change" and generate.is_valid():
            return _pattern(request, course, generate, step)
        if single.is_bound and single.is_valid():
            skills.meeting_add(course=course, by=request.user, **single.cleaned_data)
            messages.success(request, _("Pertemuan ditambahkan."))
            return redirect(course)
    except skills.CourseRefused as error:
        messages.error(request, str(error))
    context = {"course": course, "generate": generate, "single": single}
    return TemplateResponse(request, "programs/course_schedule.html", context)


def _pattern(
    request: HttpRequest, course: Course, form: MeetingScheduleForm, step: str
) -> HttpResponse:
    """The preview of a valid pattern, or its save (all, or without the clashing meetings)."""
    pattern = {k: form.cleaned_data[k] for k in ("weekdays", "start", "end", "topic")}
    if step not in SCHEDULE_SAVES:
        plan = skills.meetings_plan(course=course, **pattern)
        title = _("Jadwal pertemuan %(name)s") % {"name": course.name}
        context = {"form": form, "course": course, "owner": course, "plan": plan, "title": title}
        return TemplateResponse(request, "programs/schedule_preview.html", context)
    plan, created = skills.meetings_apply(
        course=course, by=request.user, skip_clashing=step == "save_clean", **pattern
    )
    _scheduled_messages(request, plan, len(created), skipping=step == "save_clean")
    return redirect(course)


def _scheduled_messages(request: HttpRequest, plan: Any, created: int, skipping: bool) -> None:
    messages.success(request, _("%(n)d pertemuan dijadwalkan.") % {"n": created})
    updated = sum(1 for _m, found in plan.updated if not (skipping and found))
    if updated or plan.removed:
        messages.info(
            request,
            _("%(u)d pertemuan mendatang diubah, %(r)d dihapus karena tidak lagi sesuai pola.")
            % {"u": updated, "r": len(plan.removed)},
        )


def _candidates(course: Course, query: str) -> list[dict[str, Any]]:
    """WBP in custody of the course's facility who hold no place in it, each with any warning
    and how many other courses they take part in now."""
    in_course = Trainee.objects.filter(
        course=course, inmate_id=OuterRef("pk"), state__in=skills.ONCE_PER_COURSE_STATES
    )
    inmates = (
        Inmate.objects.filter(facility_id=course.facility_id, status=CustodyStatus.IN_CUSTODY)
        .exclude(Exists(in_course))
        .annotate(
            other_courses=Count("trainees", filter=Q(trainees__state__in=TRAINEE_OPEN_STATES))
        )
        .order_by("full_name", "id")
    )
    if query:
        inmates = inmates.search(query)
    return [
        {"inmate": i, "warnings": skills.enrolment_warnings(inmate=i, course=course)}
        for i in inmates[:CANDIDATES_SHOWN]
    ]


@require_http_methods(["GET", "POST"])
def course_enrol(request: HttpRequest, pk: int) -> HttpResponse:
    """Enrol several WBP at once; those past the capacity go to the waitlist. All or nothing."""
    course = _course(request, pk, "course.manage")
    query = request.GET.get("q", "").strip()[: settings.SEARCH_MAX_CHARS]
    if request.method == "POST":
        chosen = {int(v) for v in request.POST.getlist("inmate") if v.isdigit()}
        too_many = len(chosen) > settings.MAX_ROSTER
        people = list(
            Inmate.objects.filter(facility_id=course.facility_id, pk__in=chosen).order_by(
                "full_name", "id"
            )
            if not too_many
            else []
        )
        if too_many:
            messages.error(
                request,
                _("Paling banyak %(limit)d WBP sekaligus.") % {"limit": settings.MAX_ROSTER},
            )
        elif not people:
            messages.error(request, _("Pilih paling sedikit satu WBP."))
        else:
            try:
                placed = skills.trainees_enrol(course=course, inmates=people, by=request.user)
            except skills.CourseRefused as error:
                messages.error(request, str(error))
            else:
                _enrolled_messages(request, course, placed)
                return redirect(course)
    seated = Trainee.objects.filter(course=course, state__in=TRAINEE_SEATED_STATES).count()
    context = {
        "course": course,
        "candidates": _candidates(course, query),
        "shown": CANDIDATES_SHOWN,
        "query": query,
        "free": max(course.capacity - seated, 0),
        "chosen": request.POST.getlist("inmate"),
    }
    return TemplateResponse(request, "programs/course_enrol.html", context)


def _enrolled_messages(request: HttpRequest, course: Course, placed: list[Trainee]) -> None:
    enrolled = sum(1 for t in placed if t.state == TraineeState.ENROLLED)
    waiting = len(placed) - enrolled
    messages.success(
        request,
        _("%(n)d WBP terdaftar di pelatihan, %(w)d masuk daftar tunggu.")
        % {"n": enrolled, "w": waiting},
    )
    for t in placed:
        for warning in skills.enrolment_warnings(inmate=t.inmate, course=course):
            messages.warning(request, f"{t.inmate.full_name}: {warning}")


@require_POST
def trainee_move(request: HttpRequest, pk: int) -> HttpResponse:
    """Accept or decline an offered place, or take a trainee out of the course with a reason."""
    trainee = _trainee(request, pk, "course.manage")
    action, reason = request.POST.get("action", ""), request.POST.get("reason", "")
    name = trainee.inmate.full_name
    started = timezone.now()
    try:
        if action == "accept":
            skills.trainee_accept(trainee=trainee, by=request.user)
            messages.success(request, _("%(name)s menerima tempat di pelatihan.") % {"name": name})
        elif action == "decline":
            skills.trainee_decline(trainee=trainee, by=request.user, reason=reason)
            messages.success(request, _("%(name)s menolak tawaran tempat.") % {"name": name})
        elif action == "leave":
            skills.trainee_leave(trainee=trainee, by=request.user, reason=reason)
            messages.success(request, _("%(name)s keluar dari pelatihan.") % {"name": name})
        else:
            messages.error(request, _("Pilih langkah untuk peserta ini."))
    except skills.CourseRefused as error:
        messages.error(request, str(error))
    for offer in Trainee.objects.filter(
        course_id=trainee.course_id, state=TraineeState.OFFERED, offered_at__gte=started
    ).select_related("inmate"):
        messages.info(
            request,
            _("Tempat kosong ditawarkan kepada %(name)s (daftar tunggu); catat jawabannya.")
            % {"name": offer.inmate.full_name},
        )
    return redirect(trainee)


def _attendance_of(trainee: Trainee) -> dict[str, Any]:
    gate = completion.trainee_gate(trainee)
    return {"held": gate.tally.marks, "attended": gate.tally.attended, "gate": gate}


@require_http_methods(["GET", "POST"])
def trainee_complete(request: HttpRequest, pk: int) -> HttpResponse:
    """Close a trainee's course with the competency result and, if competent, the certificate."""
    trainee = _trainee(request, pk, "course.manage")
    if trainee.state != TraineeState.ENROLLED:
        messages.error(request, _("Hasil pelatihan hanya dicatat untuk peserta yang terdaftar."))
        return redirect(trainee)
    initial = {
        "completed_on": min(trainee.course.end_date, timezone.localdate()),
        "competency": Competency.COMPETENT,
    }
    form = TraineeCompleteForm(request.POST or None, trainee=trainee, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            skills.trainee_complete(trainee=trainee, by=request.user, **form.cleaned_data)
        except skills.CourseRefused as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request,
                _("Hasil pelatihan %(name)s tersimpan.") % {"name": trainee.inmate.full_name},
            )
            return redirect(trainee)
    context = {
        "form": form,
        "title": _("Hasil pelatihan: %(name)s") % {"name": trainee.inmate.full_name},
        "course": trainee.course,
        "trainee": trainee,
        **_attendance_of(trainee),
    }
    return TemplateResponse(request, "programs/course_form.html", context)


@require_http_methods(["GET", "POST"])
def meeting_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """Attendance of a whole meeting on one screen: everyone present unless marked."""
    meeting = _meeting(request, pk, "course.view")
    facility_id = meeting.course.facility_id
    people = skills.meeting_roster(meeting)
    marks = dict(
        CourseAttendance.objects.filter(meeting=meeting).values_list("trainee_id", "status")
    )
    conflict = False
    if request.method == "POST":
        access.require(request.user, "course.manage", facility_id)
        posted = {t.pk: request.POST.get(f"mark-{t.pk}", AttendanceStatus.PRESENT) for t in people}
        version = request.POST.get("version", "")
        try:
            skills.course_attendance_save(
                meeting=meeting,
                by=request.user,
                marks=posted,
                expected_version=int(version) if version.isdigit() else None,
            )
        except skills.AttendanceConflict:
            conflict, marks = True, posted
            meeting.refresh_from_db(fields=["status", "version"])
        except skills.CourseRefused as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("Kehadiran %(n)d peserta tersimpan.") % {"n": len(people)})
            return redirect(meeting)
    context = {
        "meeting": meeting,
        "course": meeting.course,
        "rows": [{"trainee": t, "mark": marks.get(t.pk, AttendanceStatus.PRESENT)} for t in people],
        "choices": AttendanceStatus.choices,
        "can_mark": access.can(request.user, "course.manage", facility_id)
        and meeting.status != SessionStatus.CANCELLED,
        "can_change": access.can(request.user, "course.manage", facility_id),
        "conflict": conflict,
    }
    return TemplateResponse(
        request, "programs/course_meeting.html", context, status=409 if conflict else 200
    )


@require_GET
def course_certificate(request: HttpRequest, pk: int) -> HttpResponse:
    """The certificate of a trainee found competent, as a PDF on A4 or F4 (?size=F4); logged."""
    trainee = _trainee(request, pk, "course.view")
    if not trainee.is_certified:
        raise Http404("No certificate unless the trainee completed the course competent.")
    attended = _attendance_of(trainee)
    try:
        register = completion.certificate_for_print(
            by=request.user,
            gate=attended["gate"],
            on=trainee.completed_on or timezone.localdate(),
            trainee=trainee,
        )
    except completion.CompletionRefused as refused:
        messages.error(request, str(refused))
        return redirect(trainee)
    context = {
        "certificate": register, **attended,
        "trainee": trainee, "inmate": trainee.inmate, "course": trainee.course,
        "facility": trainee.facility, "warden": trainee.facility.warden(),
    }  # fmt: skip
    pdf = render_pdf(
        "programs/course_certificate_pdf.html", context, request=request,
        page_size=page_size(request, trainee.facility),
    )  # fmt: skip
    filename = f"sertifikat-pelatihan-{trainee.pk}.pdf"
    return pdf_response(pdf, filename, user=request.user, facility=trainee.facility, target=trainee)


@case_file.register(order=45)
def skills_section(request: HttpRequest, inmate: Inmate) -> Section | None:
    """The skills part of the case file: courses, state, competency and certificate."""
    if not access.can(request.user, "course.view", inmate.facility_id):
        return None
    trainees = list(
        Trainee.objects.filter(inmate=inmate)
        .exclude(state=TraineeState.DECLINED)
        .select_related("course")
        .annotate(attended=Count("attendance", filter=attendance.attended_q("attendance__")))
        .order_by("-course__start_date", "-id")
    )
    context = {
        "inmate": inmate,
        "trainees": trainees,
        "can_manage": access.can(request.user, "course.manage", inmate.facility_id)
        and inmate.status == CustodyStatus.IN_CUSTODY,
    }
    return Section("programs/_course_case_file.html", context)


@today_sections.register(order=22)
def skills_today(request: HttpRequest, day: datetime.date) -> Section | None:
    """Course meetings today and offered places waiting for the WBP's answer."""
    manage = access.facility_ids_for(request.user, "course.manage")
    if not manage:
        return None
    start = timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))
    meetings = list(
        CourseMeeting.objects.filter(
            course__facility_id__in=manage,
            starts_at__gte=start,
            starts_at__lt=start + datetime.timedelta(days=1),
        )
        .exclude(status=SessionStatus.CANCELLED)
        .select_related("course")
        .order_by("starts_at", "id")
    )
    offers = list(
        Trainee.objects.filter(facility_id__in=manage, state=TraineeState.OFFERED)
        .select_related("inmate", "course")
        .order_by("offered_at", "id")[:20]
    )
    if not meetings and not offers:
        return None
    return Section("programs/_course_today.html", {"meetings": meetings, "offers": offers})
