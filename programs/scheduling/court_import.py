"""Court hearings from the SDP export (the "Jadwal Sidang" column and its time, court and case
number, read by inmates.sdp) as blocks on the WBP's day: named in the import preview, written
when the import is confirmed, once (a hearing already on record, even cancelled, is not added
again). Registered with the import in ProgramsConfig.ready()."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from inmates.models import Inmate
from inmates.sdp import ParsedRow
from inmates.services import ImportExtra
from programs.scheduling import services as scheduling
from programs.scheduling.models import BlockKind, PersonBlock
from rehab.models import Facility


def _proposed(row: ParsedRow) -> PersonBlock:
    hearing = row.hearing
    return PersonBlock(
        kind=BlockKind.COURT,
        date=hearing["date"],
        start_time=hearing["start_time"],
        end_time=hearing["end_time"],
        court=hearing["court"],
        case_number=hearing["case_number"],
    )


def _new(rows: list[ParsedRow], inmates: dict[str, Inmate]) -> list[tuple[ParsedRow, PersonBlock]]:
    """The rows' hearings not yet on record for their WBP (one query)."""
    with_hearing = [row for row in rows if row.hearing]
    ids = [
        inmates[r.registration_number].pk for r in with_hearing if r.registration_number in inmates
    ]
    known = set(
        PersonBlock.objects.filter(
            inmate_id__in=ids,
            kind=BlockKind.COURT,
            date__in={r.hearing["date"] for r in with_hearing},
        ).values_list("inmate_id", "date", "start_time")
        if ids
        else []
    )
    found = []
    for row in with_hearing:
        inmate = inmates.get(row.registration_number)
        block = _proposed(row)
        if inmate is None or (inmate.pk, block.date, block.start_time) not in known:
            found.append((row, block))
    return found


def hearings_plan(
    *, facility: Facility, rows: list[ParsedRow], inmates: dict[str, Inmate]
) -> dict[int, list[str]]:
    """Name, by row line, the court hearing the import would add."""
    zone = facility.time_zone_label
    return {
        row.line: [
            _("Jadwal sidang %(day)s: %(what)s")
            % {"day": f"{block.date:%d-%m-%Y}", "what": block.describe(zone)}
            + (f", {_('perkara')} {block.case_number}" if block.case_number else "")
        ]
        for row, block in _new(rows, inmates)
    }


def hearings_apply(
    *, facility: Facility, by: Any, rows: list[ParsedRow], inmates: dict[str, Inmate]
) -> None:
    """Put each new court hearing of the rows on its WBP's day, with its history entry."""
    for row, block in _new(rows, inmates):
        data = {name: getattr(block, name) for name in scheduling.BLOCK_FIELDS}
        data["note"] = _("Dari impor SDP")
        scheduling.block_create(inmate=inmates[row.registration_number], by=by, data=data)


COURT_HEARINGS = ImportExtra(plan=hearings_plan, apply=hearings_apply)
