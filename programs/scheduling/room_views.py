"""The facility's rooms (list, new, edit or deactivate) and the edit of a period with set
session hours (Ramadan). The rules are in programs.scheduling.rooms; both are listed from the
facility calendar page."""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from programs.scheduling import rooms
from programs.scheduling.forms import HoursPeriodForm, RoomForm
from programs.scheduling.models import HoursPeriod, Room
from rehab import access, versions
from rehab.models import Facility


def calendar_extras(
    request: HttpRequest, facility_ids: list[int], since: datetime.date
) -> dict[str, Any]:
    """What the facility calendar page shows of this module: the periods with set session
    hours still to come or running (one query), and whether the user may open the rooms."""
    return {
        "periods": list(
            HoursPeriod.objects.filter(facility_id__in=facility_ids, end_date__gte=since)
            .select_related("facility")
            .order_by("start_date", "facility__name", "id")[:100]
        ),
        "can_edit_hours": set(access.facility_ids_for(request.user, "hours.manage")),
        "can_see_rooms": bool(access.facility_ids_for(request.user, "room.view")),
    }


@require_GET
def room_list(request: HttpRequest) -> TemplateResponse:
    """The rooms of the user's facilities with their capacity, active ones first."""
    facility_ids = access.require_somewhere(request.user, "room.view")
    context = {
        "rooms": list(
            Room.objects.filter(facility_id__in=facility_ids)
            .select_related("facility")
            .order_by("facility__name", "-active", "name", "id")[:500]
        ),
        "can_manage": set(access.facility_ids_for(request.user, "room.manage")),
        "show_facility": len(facility_ids) > 1,
    }
    return TemplateResponse(request, "programs/room_list.html", context)


@require_http_methods(["GET", "POST"])
def room_create(request: HttpRequest) -> HttpResponse:
    facility_ids = access.require_somewhere(request.user, "room.manage")
    form = RoomForm(request.POST or None, facilities=Facility.objects.filter(pk__in=facility_ids))
    if request.method == "POST" and form.is_valid():
        data = {name: form.cleaned_data[name] for name in rooms.ROOM_FIELDS}
        try:
            room = rooms.room_create(
                facility_id=form.cleaned_data["facility"].pk, by=request.user, data=data
            )
        except rooms.RoomNameTaken as error:
            form.add_error("name", str(error))
        else:
            messages.success(request, _("Ruang %(name)s tersimpan.") % {"name": room.name})
            return redirect("programs:room_list")
    context = {"form": form, "title": _("Ruang baru")}
    return TemplateResponse(request, "programs/form.html", context)


@require_http_methods(["GET", "POST"])
def room_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Correct a room's name or capacity, or deactivate it (a room is never deleted)."""
    room = access.get_for_user(
        request.user, Room.objects.select_related("facility"), "room.manage", pk=pk
    )
    facilities = Facility.objects.filter(pk=room.facility_id)
    form = RoomForm(request.POST or None, instance=room, facilities=facilities)
    status = 200
    if request.method == "POST" and form.is_valid():
        data = {name: form.cleaned_data[name] for name in rooms.ROOM_FIELDS}
        try:
            rooms.room_update(
                room=room, by=request.user, data=data, expected_version=form.expected_version
            )
        except versions.EditConflict:
            form.mark_conflict(Room.objects.get(pk=room.pk))
            status = 409
        except rooms.RoomNameTaken as error:
            form.add_error("name", str(error))
        else:
            messages.success(request, _("Perubahan ruang tersimpan."))
            return redirect("programs:room_list")
    context = {"form": form, "title": _("Ubah ruang")}
    return TemplateResponse(request, "programs/form.html", context, status=status)


@require_http_methods(["GET", "POST"])
def hours_create(request: HttpRequest) -> HttpResponse:
    """Add a period when sessions run only within set hours (next year's Ramadan)."""
    facility_ids = access.require_somewhere(request.user, "hours.manage")
    facilities = Facility.objects.filter(pk__in=facility_ids)
    form = HoursPeriodForm(request.POST or None, facilities=facilities)
    if request.method == "POST" and form.is_valid():
        data = {name: form.cleaned_data[name] for name in rooms.HOURS_FIELDS}
        rooms.hours_create(facility_id=form.cleaned_data["facility"].pk, by=request.user, data=data)
        messages.success(request, _("Jam sesi khusus tersimpan."))
        return redirect("programs:activity_list")
    context = {"form": form, "title": _("Jam sesi khusus baru")}
    return TemplateResponse(request, "programs/form.html", context)


@require_http_methods(["GET", "POST"])
def hours_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Correct the dates or daily hours of a period such as Ramadan."""
    period = access.get_for_user(
        request.user, HoursPeriod.objects.select_related("facility"), "hours.manage", pk=pk
    )
    facilities = Facility.objects.filter(pk=period.facility_id)
    form = HoursPeriodForm(request.POST or None, instance=period, facilities=facilities)
    status = 200
    if request.method == "POST" and form.is_valid():
        data = {name: form.cleaned_data[name] for name in rooms.HOURS_FIELDS}
        try:
            rooms.hours_update(
                period=period, by=request.user, data=data, expected_version=form.expected_version
            )
        except versions.EditConflict:
            form.mark_conflict(HoursPeriod.objects.get(pk=period.pk))
            status = 409
        else:
            messages.success(request, _("Jam sesi khusus tersimpan."))
            return redirect("programs:activity_list")
    context = {"form": form, "title": _("Ubah jam sesi khusus")}
    return TemplateResponse(request, "programs/form.html", context, status=status)
