"""Move or cancel a planned group session or course meeting, and show the changes on the today
page of the people who run them. The rules are in programs.scheduling.services."""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.db.models import F
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from programs.models import CourseMeeting, Session
from programs.scheduling import services
from programs.tiers.forms import RescheduleForm
from rehab import access, versions
from rehab.formats import zoned
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
