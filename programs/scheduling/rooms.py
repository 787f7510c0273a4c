"""The facility's rooms with their capacity, and the periods with set session hours (Ramadan).

Sessions, cohorts, courses and activities keep their free-text `place`: a place that names a
room of the facility (any case) is that room, and a group bigger than the room is refused by the
form (`capacity_problem`) and named by the clash check. The forms offer the rooms as a datalist,
so a place that is no room (the yard, a clinic outside) can still be typed.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from typing import Any

from django import forms
from django.db import IntegrityError, transaction
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext as _

from programs.scheduling.models import HoursPeriod, Room
from rehab import audit, versions
from rehab.forms import DatalistInput

ROOM_FIELDS = ["name", "capacity", "active"]


class RoomNameTaken(Exception):
    """Another room of the facility has the name (saved at the same moment as this one)."""

    def __str__(self) -> str:
        return str(_("UPT ini sudah punya ruang dengan nama ini."))


def _save_unique(room: Room, save: Callable[[], None]) -> None:
    """Save; a name taken meanwhile (the case-insensitive unique constraint) is RoomNameTaken."""
    try:
        with transaction.atomic():
            save()
    except IntegrityError as error:
        if (
            Room.objects.filter(facility_id=room.facility_id, name__iexact=room.name)
            .exclude(pk=room.pk)
            .exists()
        ):
            raise RoomNameTaken from error
        raise


HOURS_FIELDS = ["title", "start_date", "end_date", "start_time", "end_time", "note"]


def rooms_named(facility_id: int, places: Collection[str]) -> dict[str, Room]:
    """The facility's rooms among `places`, by lower-case name (one query; none if no place)."""
    names = {p.strip().lower() for p in places if p and p.strip()}
    if not names:
        return {}
    rooms = Room.objects.annotate(key=Lower("name")).filter(facility_id=facility_id, key__in=names)
    return {room.key: room for room in rooms}  # type: ignore[attr-defined]


def over_capacity(room: Room, participants: int) -> str:
    """The message for a group of `participants` in `room`; empty when it fits."""
    if participants <= room.capacity:
        return ""
    return _("Kapasitas %(room)s %(capacity)d orang, kurang dari %(count)d peserta.") % {
        "room": room.name,
        "capacity": room.capacity,
        "count": participants,
    }


def capacity_problem(*, facility_id: int, place: str, participants: Callable[[], int]) -> str:
    """Why the `participants` (counted only when the place is a room) cannot meet in `place`;
    empty when it is no room of the facility or they fit."""
    room = rooms_named(facility_id, [place]).get(place.strip().lower())
    return over_capacity(room, participants()) if room else ""


def room_choices(facility_ids: Any) -> list[tuple[str, str]]:
    """The active rooms of the facilities as (name, "capacity N") for a datalist."""
    return [
        (name, _("kapasitas %(n)d orang") % {"n": capacity})
        for name, capacity in Room.objects.filter(facility_id__in=facility_ids, active=True)
        .order_by("name", "id")
        .values_list("name", "capacity")
    ]


def offer_rooms(field: forms.Field, facility_ids: Any) -> None:
    """Let a free-text place field suggest the rooms of the facilities (ids, or a queryset of
    them read only when the field is drawn); any text is still taken."""
    field.widget = DatalistInput(lambda: room_choices(facility_ids), attrs=field.widget.attrs)
    field.help_text = field.help_text or _("Pilih ruang UPT dari daftar, atau ketik tempat lain.")


def name_taken(*, facility_id: int, name: str, exclude: int | None = None) -> bool:
    rooms = Room.objects.filter(facility_id=facility_id, name__iexact=name.strip())
    return rooms.exclude(pk=exclude).exists() if exclude else rooms.exists()


@transaction.atomic
def room_create(*, facility_id: int, by: Any, data: dict[str, Any]) -> Room:
    room = Room(facility_id=facility_id, created_by=by, **{k: data[k] for k in ROOM_FIELDS})
    room.name = room.name.strip()
    _save_unique(room, room.save)
    audit.record(
        facility=facility_id,
        actor=by,
        action="programs.room.created",
        target=room,
        summary=str(room),
        changes=audit.diff({}, audit.snapshot(room, ROOM_FIELDS)),
    )
    return room


@transaction.atomic
def room_update(*, room: Room, by: Any, data: dict[str, Any], expected_version: int) -> Room:
    """Correct a room, or deactivate it (a room is never deleted: sessions name it); refuse
    (EditConflict) a save over someone else's newer one."""
    current = Room.objects.select_for_update().get(pk=room.pk)
    changes = {k: data[k] for k in ROOM_FIELDS}
    changes["name"] = changes["name"].strip()
    current.name = changes["name"]
    _save_unique(current, lambda: versions.update(
        current, expected=expected_version, data=changes, by=by, action="programs.room.updated"
    ))  # fmt: skip
    current.updated_by, current.updated_at = by, timezone.now()
    current.save(update_fields=["updated_by", "updated_at"])
    return current


@transaction.atomic
def hours_create(*, facility_id: int, by: Any, data: dict[str, Any]) -> HoursPeriod:
    """Add a period of special hours (next year's Ramadan, say)."""
    period = HoursPeriod.objects.create(
        facility_id=facility_id, updated_by=by, updated_at=timezone.now(),
        **{k: data[k] for k in HOURS_FIELDS},
    )  # fmt: skip
    audit.record(
        facility=facility_id,
        actor=by,
        action="programs.hours_period.created",
        target=period,
        summary=str(period),
        changes=audit.diff({}, audit.snapshot(period, HOURS_FIELDS)),
    )
    return period


@transaction.atomic
def hours_update(
    *, period: HoursPeriod, by: Any, data: dict[str, Any], expected_version: int
) -> HoursPeriod:
    """Correct the dates or hours of a period (the Ramadan estimate after the sidang isbat);
    refuse (EditConflict) a save over someone else's newer one."""
    current = HoursPeriod.objects.select_for_update().get(pk=period.pk)
    versions.update(
        current,
        expected=expected_version,
        data={k: data[k] for k in HOURS_FIELDS},
        by=by,
        action="programs.hours_period.updated",
    )
    current.updated_by, current.updated_at = by, timezone.now()
    current.save(update_fields=["updated_by", "updated_at"])
    return current
