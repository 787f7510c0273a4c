"""Move or cancel a planned group session or course meeting, and show the changes on the today
page of the people who run them; the blocks on a WBP's day (court hearings, visits, ...) on the
case file. The rules are in programs.scheduling.services."""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib import messages
from django.db.models import F, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from inmates.casefile import case_file
from inmates.models import CustodyStatus, Inmate
from programs.models import (
    Cohort,
    Course,
    CourseMeeting,
    FacilityActivity,
    NonAssociation,
    PersonBlock,
    Session,
    Speaker,
)
from programs.scheduling import bulk, calendar, room_views, services
from programs.scheduling.forms import (
    ACTIVITY_FIELDS,
    BLOCK_FIELDS,
    SPEAKER_FIELDS,
    ActivityForm,
    BlockForm,
    ChangeAllForm,
    SeparationForm,
    SpeakerForm,
)
from programs.tiers.forms import RescheduleForm
from rehab import access, versions
from rehab.formats import zoned
from rehab.models import Facility
from rehab.pdf import page_size, pdf_response, render_pdf
from rehab.sections import Section
from rehab.sections import today as today_sections


def _session(request: HttpRequest, pk: int) -> Session:
    queryset = Session.objects.select_related("facility", "cohort")
    return access.get_for_user(request.user, queryset, "programme.manage", pk=pk)


def _meeting(request: HttpRequest, pk: int) -> CourseMeeting:
    queryset = CourseMeeting.objects.select_related("course__facility").annotate(
        facility_id=F("course__facility_id")
    )
    return access.get_for_user(request.user, queryset, "course.manage", pk=pk)


def _when(item: services.Schedulable, tz: datetime.tzinfo) -> str:
    start, end = timezone.localtime(item.starts_at, tz), timezone.localtime(item.ends_at, tz)
    return f"{date_format(start, 'l, j F Y H.i')}-{zoned(end, 'TIME_FORMAT')}"


def _reschedule(
    request: HttpRequest, item: services.Schedulable, tz: datetime.tzinfo
) -> HttpResponse:
    start, end = timezone.localtime(item.starts_at, tz), timezone.localtime(item.ends_at, tz)
    initial = {"day": start.date(), "start": start.time(), "end": end.time()}
    form = RescheduleForm(request.POST or None, record=item, initial=initial)
    status = 200
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            moved = services.reschedule(
                item=item,
                by=request.user,
                starts_at=datetime.datetime.combine(data["day"], data["start"], tzinfo=tz),
                ends_at=datetime.datetime.combine(data["day"], data["end"], tzinfo=tz),
                reason=data["reason"],
                version=form.expected_version,
            )
        except versions.EditConflict:
            current = type(item).objects.get(pk=item.pk)
            form.mark_conflict(current, extra={_("Jadwal tersimpan"): _when(current, tz)})
            status = 409
        except services.ScheduleRefused as error:
            form.add_error(None, str(error))
            status = 400
        else:
            messages.success(
                request, _("Jadwal dipindahkan ke %(when)s.") % {"when": _when(moved, tz)}
            )
            return redirect(moved)
    context = {"form": form, "title": _("Pindah jadwal"), "subtitle": _when(item, tz)}
    return TemplateResponse(request, "programs/form.html", context, status=status)


def _cancel(request: HttpRequest, item: services.Schedulable) -> HttpResponse:
    version = request.POST.get("version", "")
    try:
        services.cancel(
            item=item,
            by=request.user,
            reason=request.POST.get("reason", ""),
            # A form without its version is as stale as one with an old version.
            version=int(version) if version.isdigit() else -1,
        )
    except versions.EditConflict:
        messages.error(
            request,
            _("Jadwal ini sudah diubah orang lain sejak Anda membukanya; periksa lalu ulangi."),
        )
    except services.ScheduleRefused as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Jadwal dibatalkan."))
    return redirect(item)


@require_http_methods(["GET", "POST"])
def session_reschedule(request: HttpRequest, pk: int) -> HttpResponse:
    session = _session(request, pk)
    return _reschedule(request, session, session.facility.tzinfo)


@require_POST
def session_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    return _cancel(request, _session(request, pk))


@require_http_methods(["GET", "POST"])
def meeting_reschedule(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _meeting(request, pk)
    return _reschedule(request, meeting, meeting.course.facility.tzinfo)


@require_POST
def meeting_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    return _cancel(request, _meeting(request, pk))


# --- All the planned sessions of a cohort (or meetings of a course) at once ----------------

CHANGE_ALL_SAVES = ("save_all", "save_clean")


def _change_all(request: HttpRequest, owner: bulk.Owner) -> HttpResponse:
    """Cancel or move every planned session still to come from a date on: the form, a preview
    naming every clash, then one save; a save over a changed schedule writes nothing."""
    today = timezone.localdate(timezone=owner.facility.tzinfo)
    form = ChangeAllForm(request.POST or None, initial={"since": today})
    context: dict[str, Any] = {"form": form, "owner": owner, "title": _("Ubah semua jadwal")}
    step = request.POST.get("step", "")
    if request.method != "POST" or not form.is_valid() or step == "change":
        return TemplateResponse(request, "programs/change_all_form.html", context)
    data, status = form.cleaned_data, 200
    pattern = {
        "since": data["since"], "action": data["action"], "shift_days": data["shift_days"] or 0,
        "start": data["start"] if data["action"] == bulk.MOVE else None,
    }  # fmt: skip
    if step in CHANGE_ALL_SAVES:
        try:
            done = bulk.apply(
                owner=owner, by=request.user, reason=data["reason"], token=data["token"],
                skip_clashing=step == "save_clean", **pattern,
            )  # fmt: skip
        except versions.EditConflict:
            context["conflict"], status = True, 409
        except services.ScheduleRefused as error:
            context["refused"], status = str(error), 400
        else:
            messages.success(request, _("%(n)d jadwal diubah.") % {"n": len(done.changes)})
            return redirect(owner)
    context["plan"] = bulk.plan(owner=owner, **pattern)
    return TemplateResponse(request, "programs/change_all_preview.html", context, status=status)


@require_http_methods(["GET", "POST"])
def cohort_change_all(request: HttpRequest, pk: int) -> HttpResponse:
    queryset = Cohort.objects.select_related("facility")
    return _change_all(
        request, access.get_for_user(request.user, queryset, "programme.manage", pk=pk)
    )


@require_http_methods(["GET", "POST"])
def course_change_all(request: HttpRequest, pk: int) -> HttpResponse:
    course = access.get_for_user(
        request.user, Course.objects.select_related("facility"), "course.manage", pk=pk
    )
    return _change_all(request, course)


@today_sections.register(order=22)
def schedule_changes_today(request: HttpRequest, day: datetime.date) -> Section | None:
    """Sessions and course meetings moved or cancelled this past week that are still to come,
    for the people who run them (the counselors and the skills staff of the facility)."""
    sessions = access.facility_ids_for(request.user, "programme.manage")
    meetings = access.facility_ids_for(request.user, "course.manage")
    if not sessions and not meetings:
        return None
    changed = services.recent_changes(
        session_facilities=list(sessions), meeting_facilities=list(meetings), day=day
    )
    if not changed:
        return None
    return Section("programs/_today_schedule_changes.html", {"changed": changed})


# --- Blocks on a WBP's day -----------------------------------------------------------------


def _inmate(request: HttpRequest, pk: int, action: str) -> Inmate:
    inmates = Inmate.objects.select_related("facility")
    return access.get_for_user(request.user, inmates, action, pk=pk)


def _block(request: HttpRequest, pk: int) -> PersonBlock:
    queryset = PersonBlock.objects.select_related("inmate")
    return access.get_for_user(request.user, queryset, "block.manage", pk=pk)


@require_GET
def block_list(request: HttpRequest, pk: int) -> TemplateResponse:
    """The WBP's court hearings, health appointments, visits and transfers out, newest first."""
    inmate = _inmate(request, pk, "block.view")
    blocks = list(
        PersonBlock.objects.filter(inmate=inmate).order_by("-date", "-start_time", "-id")[:200]
    )
    context = {
        "inmate": inmate,
        "blocks": blocks,
        "today": timezone.localdate(),
        "can_manage": access.can(request.user, "block.manage", inmate.facility_id),
    }
    return TemplateResponse(request, "programs/block_list.html", context)


@require_http_methods(["GET", "POST"])
def block_create(request: HttpRequest, pk: int) -> HttpResponse:
    inmate = _inmate(request, pk, "block.manage")
    form = BlockForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = {name: form.cleaned_data[name] for name in BLOCK_FIELDS}
        services.block_create(inmate=inmate, by=request.user, data=data)
        messages.success(request, _("Jadwal pribadi tersimpan."))
        return redirect("programs:block_list", pk=inmate.pk)
    context = {"form": form, "title": _("Tambah jadwal pribadi"), "inmate": inmate}
    return TemplateResponse(request, "programs/form.html", context)


@require_http_methods(["GET", "POST"])
def block_edit(request: HttpRequest, pk: int) -> HttpResponse:
    block = _block(request, pk)
    form = BlockForm(request.POST or None, instance=block)
    status = 200
    if request.method == "POST" and form.is_valid():
        data = {name: form.cleaned_data[name] for name in BLOCK_FIELDS}
        try:
            services.block_update(
                block=block, by=request.user, data=data, expected_version=form.expected_version
            )
        except versions.EditConflict:
            form.mark_conflict(PersonBlock.objects.get(pk=block.pk))
            status = 409
        except services.ScheduleRefused as error:
            form.add_error(None, str(error))
            status = 400
        else:
            messages.success(request, _("Perubahan jadwal pribadi tersimpan."))
            return redirect("programs:block_list", pk=block.inmate_id)
    context = {"form": form, "title": _("Ubah jadwal pribadi"), "inmate": block.inmate}
    return TemplateResponse(request, "programs/form.html", context, status=status)


@require_POST
def block_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    block = _block(request, pk)
    version = request.POST.get("version", "")
    try:
        services.block_cancel(
            block=block,
            by=request.user,
            reason=request.POST.get("reason", ""),
            expected_version=int(version) if version.isdigit() else -1,
        )
    except versions.EditConflict:
        messages.error(
            request,
            _("Jadwal ini sudah diubah orang lain sejak Anda membukanya; periksa lalu ulangi."),
        )
    except services.ScheduleRefused as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Jadwal pribadi dibatalkan."))
    return redirect("programs:block_list", pk=block.inmate_id)


@case_file.register(order=42)
def blocks_section(request: HttpRequest, inmate: Inmate) -> Section | None:
    """The WBP's coming court hearings, visits and appointments, on the case file."""
    if inmate.status != CustodyStatus.IN_CUSTODY or not access.can(
        request.user, "block.view", inmate.facility_id
    ):
        return None  # an earlier admission's hearings are over
    coming = list(
        PersonBlock.objects.filter(
            inmate=inmate, cancelled_at__isnull=True, date__gte=timezone.localdate()
        ).select_related("facility")[:5]
    )
    return Section("programs/_case_file_blocks.html", {"inmate": inmate, "coming": coming})


# --- Non-associations ------------------------------------------------------------------------


@require_GET
def separation_list(request: HttpRequest) -> TemplateResponse:
    """The pairs of WBP to keep apart in the user's facilities, with the reason (staff and
    warden only); the ended ones below."""
    facility_ids = access.require_somewhere(request.user, "separation.view")
    separations = list(
        NonAssociation.objects.filter(facility_id__in=facility_ids)
        .select_related("first", "second", "facility")
        .order_by("ended_at", "-created_at", "-id")[:500]
    )
    context = {
        "separations": separations,
        "can_manage": set(access.facility_ids_for(request.user, "separation.manage")),
        "show_facility": len(facility_ids) > 1,
    }
    return TemplateResponse(request, "programs/separation_list.html", context)


@require_http_methods(["GET", "POST"])
def separation_create(request: HttpRequest) -> HttpResponse:
    facility_ids = access.require_somewhere(request.user, "separation.manage")
    form = SeparationForm(
        request.POST or None, facilities=Facility.objects.filter(pk__in=facility_ids)
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.separation_create(
                first=data["first_inmate"],
                second=data["second_inmate"],
                by=request.user,
                reason=data["reason"],
            )
        except services.ScheduleRefused as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Pasangan WBP yang harus dipisah tercatat."))
            return redirect("programs:separation_list")
    context = {"form": form, "title": _("WBP yang harus dipisah")}
    return TemplateResponse(request, "programs/form.html", context)


@require_POST
def separation_end(request: HttpRequest, pk: int) -> HttpResponse:
    separation = access.get_for_user(
        request.user,
        NonAssociation.objects.select_related("first", "second"),
        "separation.manage",
        pk=pk,
    )
    try:
        services.separation_end(
            separation=separation, by=request.user, reason=request.POST.get("reason", "")
        )
    except services.ScheduleRefused as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Pemisahan diakhiri."))
    return redirect("programs:separation_list")


# --- The facility's facilitators ------------------------------------------------------------


@require_GET
def facilitator_list(request: HttpRequest) -> TemplateResponse:
    """The facilitators of the user's facilities: staff and outside speakers, active first."""
    facility_ids = access.require_somewhere(request.user, "facilitator.view")
    speakers = list(
        Speaker.objects.filter(facility_id__in=facility_ids)
        .select_related("facility", "user")
        .order_by("-active", "name", "id")[:500]
    )
    context = {
        "speakers": speakers,
        "can_manage": bool(access.facility_ids_for(request.user, "facilitator.manage")),
        "show_facility": len(facility_ids) > 1,
    }
    return TemplateResponse(request, "programs/facilitator_list.html", context)


@require_http_methods(["GET", "POST"])
def facilitator_create(request: HttpRequest) -> HttpResponse:
    facility_ids = access.require_somewhere(request.user, "facilitator.manage")
    facilities = Facility.objects.filter(pk__in=facility_ids)
    form = SpeakerForm(request.POST or None, facilities=facilities)
    if request.method == "POST" and form.is_valid():
        data = {name: form.cleaned_data[name] for name in SPEAKER_FIELDS}
        speaker = services.speaker_create(
            facility_id=form.cleaned_data["facility"].pk, by=request.user, data=data
        )
        messages.success(request, _("Fasilitator tersimpan."))
        return redirect(speaker)
    context = {"form": form, "title": _("Fasilitator baru")}
    return TemplateResponse(request, "programs/form.html", context)


@require_GET
def facilitator_detail(request: HttpRequest, pk: int) -> TemplateResponse:
    """One facilitator and their sessions across cohorts, from 30 days ago on."""
    speaker = access.get_for_user(
        request.user, Speaker.objects.select_related("facility", "user"), "facilitator.view", pk=pk
    )
    context = {
        "speaker": speaker,
        "sessions": services.speaker_sessions(speaker),
        "can_manage": access.can(request.user, "facilitator.manage", speaker.facility_id),
    }
    return TemplateResponse(request, "programs/facilitator_detail.html", context)


@require_http_methods(["GET", "POST"])
def facilitator_edit(request: HttpRequest, pk: int) -> HttpResponse:
    speaker = access.get_for_user(
        request.user, Speaker.objects.select_related("facility"), "facilitator.manage", pk=pk
    )
    form = SpeakerForm(
        request.POST or None,
        instance=speaker,
        facilities=Facility.objects.filter(pk=speaker.facility_id),
    )
    status = 200
    if request.method == "POST" and form.is_valid():
        data = {name: form.cleaned_data[name] for name in SPEAKER_FIELDS}
        try:
            services.speaker_update(
                speaker=speaker, by=request.user, data=data, expected_version=form.expected_version
            )
        except versions.EditConflict:
            form.mark_conflict(Speaker.objects.get(pk=speaker.pk))
            status = 409
        else:
            messages.success(request, _("Perubahan fasilitator tersimpan."))
            return redirect(speaker)
    context = {"form": form, "title": _("Ubah fasilitator")}
    return TemplateResponse(request, "programs/form.html", context, status=status)


def _print_facility(request: HttpRequest) -> Facility:
    """The facility a print asks for (`?upt=ID`), else the user's first; 404 for a stranger's,
    403 without programme.view there."""
    ids = access.require_somewhere(request.user, "programme.view")
    wanted = request.GET.get("upt", "")
    if wanted.isdigit() and len(wanted) <= 9:
        access.require(request.user, "programme.view", int(wanted))
        return Facility.objects.get(pk=int(wanted))
    return Facility.objects.filter(pk__in=ids).order_by("name")[0]


def _day_param(request: HttpRequest, name: str, tz: datetime.tzinfo) -> datetime.date:
    """A yyyy-mm-dd or dd-mm-yyyy date from the query string; today (in the facility's zone)
    when it is missing or not a date."""
    text = request.GET.get(name, "")[:10]
    for pattern in ("%Y-%m-%d", "%d-%m-%Y"):
        try:
            return datetime.datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    return timezone.now().astimezone(tz).date()


def _paper_sizes(facility: Facility) -> list[str]:
    """The facility's own paper first, then the other one."""
    return sorted(("F4", "A4"), key=lambda size: size != facility.paper_size)


def _facility_choices(request: HttpRequest, facility: Facility) -> list[Facility]:
    """The user's facilities to switch between, when there are several (a BNNK counsellor's)."""
    ids = access.facility_ids_for(request.user, "programme.view")
    return list(Facility.objects.filter(pk__in=ids).order_by("name")) if len(ids) > 1 else []


@require_GET
def facility_week(request: HttpRequest) -> TemplateResponse:
    """The facility's week in the app (Monday to Sunday): sessions, skills meetings, activities,
    holidays and special hours, each day linking to its movement list; `?mulai=` any day of the
    week, `?upt=` one of the user's facilities. The printed form is facility_week_pdf."""
    facility = _print_facility(request)
    tz = facility.tzinfo
    day = _day_param(request, "mulai", tz)
    monday = day - datetime.timedelta(days=day.weekday())
    context = {
        "facility": facility,
        "facilities": _facility_choices(request, facility),
        "paper_sizes": _paper_sizes(facility),
        "days": calendar.week(facility, monday),
        "monday": monday,
        "sunday": monday + datetime.timedelta(days=6),
        "previous": monday - datetime.timedelta(days=7),
        "next": monday + datetime.timedelta(days=7),
        "today": timezone.now().astimezone(tz).date(),
    }
    return TemplateResponse(request, "programs/facility_week.html", context)


@require_GET
def facility_day(request: HttpRequest) -> TemplateResponse:
    """One day of the facility in the app: what is on its calendar, and the officers' movement
    list (who goes where when, with block and cell); `?tanggal=`, `?upt=`. The printed form is
    movement_pdf."""
    facility = _print_facility(request)
    tz = facility.tzinfo
    day = _day_param(request, "tanggal", tz)
    monday = day - datetime.timedelta(days=day.weekday())
    context = {
        "facility": facility,
        "facilities": _facility_choices(request, facility),
        "paper_sizes": _paper_sizes(facility),
        "day": day,
        "calendar": calendar.week(facility, monday)[day.weekday()].items,
        "items": calendar.movements(facility, day),
        "previous": day - datetime.timedelta(days=1),
        "next": day + datetime.timedelta(days=1),
        "today": timezone.now().astimezone(tz).date(),
    }
    return TemplateResponse(request, "programs/facility_day.html", context)


@require_GET
def facility_week_pdf(request: HttpRequest) -> HttpResponse:
    """The facility's week (Monday to Sunday) on one landscape page: sessions, skills meetings,
    activities and holidays; `?mulai=` any day of the week, `?size=A4|F4`; logged."""
    facility = _print_facility(request)
    day = _day_param(request, "mulai", facility.tzinfo)
    monday = day - datetime.timedelta(days=day.weekday())
    context = {"facility": facility, "days": calendar.week(facility, monday), "monday": monday,
               "sunday": monday + datetime.timedelta(days=6)}  # fmt: skip
    size = page_size(request, facility)
    pdf = render_pdf("programs/week_pdf.html", context, request=request, page_size=size)
    return pdf_response(pdf, f"jadwal-upt-{facility.code}-{monday:%Y%m%d}.pdf",
                        user=request.user, facility=facility)  # fmt: skip


@require_GET
def movement_pdf(request: HttpRequest) -> HttpResponse:
    """The officers' movement list of one day (`?tanggal=`): each session, meeting, hearing or
    visit with its time, place and the WBP expected, with block and cell; logged."""
    facility = _print_facility(request)
    day = _day_param(request, "tanggal", facility.tzinfo)
    context = {"facility": facility, "day": day, "items": calendar.movements(facility, day)}
    size = page_size(request, facility)
    pdf = render_pdf("programs/movement_pdf.html", context, request=request, page_size=size)
    return pdf_response(pdf, f"daftar-pergerakan-{facility.code}-{day:%Y%m%d}.pdf",
                        user=request.user, facility=facility)  # fmt: skip


@require_GET
def activity_list(request: HttpRequest) -> TemplateResponse:
    """The facility calendar: weekly activities (roll call, prayers, visiting hours, work duty)
    and dated ones and holidays from 30 days ago on, for the user's facilities."""
    facility_ids = access.require_somewhere(request.user, "programme.view")
    since = timezone.localdate() - datetime.timedelta(days=30)
    activities = list(
        FacilityActivity.objects.filter(facility_id__in=facility_ids)
        .filter(Q(date__isnull=True) | Q(date__gte=since))
        .select_related("facility")
        .order_by("facility__name", "date", "weekday", "start_time", "title")[:500]
    )
    context = {
        "weekly": [a for a in activities if a.date is None],
        "dated": [a for a in activities if a.date is not None],
        "can_manage": set(access.facility_ids_for(request.user, "activity.manage")),
        "show_facility": len(facility_ids) > 1,
        **room_views.calendar_extras(request, facility_ids, since),
    }
    return TemplateResponse(request, "programs/activity_list.html", context)


def _activity(request: HttpRequest, pk: int) -> FacilityActivity:
    return access.get_for_user(
        request.user, FacilityActivity.objects.select_related("facility"), "activity.manage", pk=pk
    )


@require_http_methods(["GET", "POST"])
def activity_create(request: HttpRequest) -> HttpResponse:
    facility_ids = access.require_somewhere(request.user, "activity.manage")
    form = ActivityForm(
        request.POST or None, facilities=Facility.objects.filter(pk__in=facility_ids)
    )
    if request.method == "POST" and form.is_valid():
        services.activity_create(
            facility_id=form.cleaned_data["facility"].pk, by=request.user,
            data={k: form.cleaned_data[k] for k in ACTIVITY_FIELDS},
        )  # fmt: skip
        messages.success(request, _("Kegiatan UPT tersimpan."))
        return redirect("programs:activity_list")
    context = {"form": form, "title": _("Kegiatan UPT baru")}
    return TemplateResponse(request, "programs/form.html", context)


@require_http_methods(["GET", "POST"])
def activity_edit(request: HttpRequest, pk: int) -> HttpResponse:
    activity = _activity(request, pk)
    form = ActivityForm(
        request.POST or None,
        instance=activity,
        facilities=Facility.objects.filter(pk=activity.facility_id),
    )
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            services.activity_update(
                activity=activity, by=request.user, expected_version=form.expected_version,
                data={k: form.cleaned_data[k] for k in ACTIVITY_FIELDS},
            )  # fmt: skip
        except versions.EditConflict:
            form.mark_conflict(FacilityActivity.objects.get(pk=activity.pk))
            status = 409
        else:
            messages.success(request, _("Perubahan kegiatan UPT tersimpan."))
            return redirect("programs:activity_list")
    context = {"form": form, "title": _("Ubah kegiatan UPT")}
    return TemplateResponse(request, "programs/form.html", context, status=status)


@require_POST
def activity_delete(request: HttpRequest, pk: int) -> HttpResponse:
    activity = _activity(request, pk)
    services.activity_delete(activity=activity, by=request.user)
    messages.success(request, _("Kegiatan %(title)s dihapus dari kalender.") % {"title": activity})
    return redirect("programs:activity_list")
