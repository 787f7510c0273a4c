"""A weekly pattern (weekdays, start and end time) laid over a cohort's or a course's dates: what
it would create, keep, update and remove, with every clash named and a free time suggested for
each clashing one, then the write of what the preview showed. One engine for cohort sessions
(programs.tiers.services) and course meetings (programs.skills.services); each says how its
items differ and are changed, and how their clashes are checked.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext as _

from programs.scheduling import clashes as clash_check
from programs.tiers.models import SessionStatus
from rehab import audit

Check = Callable[[list[clash_check.Slot]], list[list[str]]]


@dataclass
class Proposed:
    """A session the pattern would create, with what it would clash with."""

    starts_at: datetime.datetime
    ends_at: datetime.datetime
    place: str
    clashes: list[str]
    # For a clashing one: the next time without a clash, the same day or on the days after.
    suggestion: datetime.datetime | None = None


SUGGEST_FROM, SUGGEST_UNTIL, SUGGEST_DAYS = datetime.time(8), datetime.time(17), 3


def _candidates(
    proposal: Proposed, last_day: datetime.date, tz: ZoneInfo, busy: list[tuple[Any, Any]]
) -> list[datetime.datetime]:
    """Times to try instead of a clashing proposal, in order: later the same day (by half
    hours until SUGGEST_UNTIL), the same time on the next days up to `last_day`, then earlier
    the same day; none overlapping a session of the schedule kept or proposed."""
    start = proposal.starts_at.astimezone(tz)
    length = proposal.ends_at - proposal.starts_at
    day = start.date()
    same_day = []
    moment = datetime.datetime.combine(day, SUGGEST_FROM, tzinfo=tz)
    while (moment + length).astimezone(tz).time() <= SUGGEST_UNTIL and moment.date() == day:
        if moment != start:
            same_day.append(moment)
        moment += datetime.timedelta(minutes=30)
    later_days = [
        datetime.datetime.combine(day + datetime.timedelta(days=n), start.time(), tzinfo=tz)
        for n in range(1, SUGGEST_DAYS + 1)
        if day + datetime.timedelta(days=n) <= last_day
    ]
    ordered = [m for m in same_day if m > start] + later_days + [m for m in same_day if m < start]
    return [
        m for m in ordered if not any(b_start < m + length and m < b_end for b_start, b_end in busy)
    ]


def _suggest(
    new: list[Proposed], kept: Sequence[Any], last_day: datetime.date, tz: ZoneInfo, check: Check
) -> None:
    """Set, on each clashing proposal, the first candidate time without a clash (one clash
    check for all of them)."""
    clashing = [p for p in new if p.clashes]
    if not clashing:
        return
    busy = [(p.starts_at, p.ends_at) for p in new] + [(s.starts_at, s.ends_at) for s in kept]
    tried = [
        (p, _candidates(p, last_day, tz, [b for b in busy if b != (p.starts_at, p.ends_at)]))
        for p in clashing
    ]
    flat = [
        clash_check.Slot(m, m + (p.ends_at - p.starts_at), p.place)
        for p, moments in tried
        for m in moments
    ]
    answers = iter(check(flat))
    for proposal, moments in tried:
        found = [next(answers) for _m in moments]
        proposal.suggestion = next((m for m, f in zip(moments, found, strict=True) if not f), None)


@dataclass
class SchedulePlan:
    """What generating a pattern would do to a schedule; nothing is written yet.

    Items already at a pattern time are kept as they are (one moved by hand counts at the time
    it was moved from, a cancelled one stays cancelled); a planned one still to come that is no
    longer in the pattern is removed; a planned one still to come at a pattern time that differs
    (its end, room, module or topic) is updated. Held items, and every item with attendance,
    are never touched.
    """

    new: list[Proposed]
    kept: list[Any]
    updated: list[tuple[Any, list[str]]]
    removed: list[Any]
    past_skipped: int

    @property
    def clashing(self) -> list[Proposed]:
        return [p for p in self.new if p.clashes]

    @property
    def changes_nothing(self) -> bool:
        return not (self.new or self.updated or self.removed)


@dataclass
class Pattern:
    """The weekdays (0 is Monday) and hours of a schedule, over the owner's dates."""

    weekdays: Sequence[int]
    start: datetime.time
    end: datetime.time


def plan(
    *,
    owner: Any,
    pattern: Pattern,
    existing: list[Any],
    differs: Callable[[Any, datetime.datetime], bool],
    change: Callable[[Any, datetime.datetime], None],
    place: str,
    check: Callable[[list[clash_check.Slot], list[Any], int | None], list[list[str]]],
    participants: int | None = None,
) -> SchedulePlan:
    """Lay `pattern` over the owner's (cohort's or course's) dates against its `existing` items
    (annotated with `marks`, their attendance count); `check(slots, excluded, participants)`
    names the clashes of the slots, leaving out the items `excluded` (those updated or
    removed), and a room too small for `participants` (given for the pattern's own times only:
    a suggestion keeps the room)."""
    tz = ZoneInfo(owner.facility.time_zone)
    now = timezone.now()
    at: dict[datetime.datetime, Any] = {s.starts_at: s for s in existing}
    for s in existing:
        if s.previous_starts_at and s.previous_starts_at not in at:
            at[s.previous_starts_at] = s
    first_time = not existing
    slots: list[clash_check.Slot] = []
    kept, updated, matched, past_skipped = [], [], set(), 0
    day = owner.start_date
    while day <= owner.end_date:
        if day.weekday() in pattern.weekdays:
            starts_at = datetime.datetime.combine(day, pattern.start, tzinfo=tz)
            ends_at = datetime.datetime.combine(day, pattern.end, tzinfo=tz)
            found = at.get(starts_at)
            if found is not None:
                matched.add(found.pk)
                changeable = (
                    found.status == SessionStatus.PLANNED
                    and found.starts_at > now
                    and not found.marks
                    and found.starts_at == starts_at
                )
                if changeable and differs(found, ends_at):
                    change(found, ends_at)
                    updated.append(found)
                else:
                    kept.append(found)
            elif starts_at > now or first_time:
                slots.append(clash_check.Slot(starts_at, ends_at, place))
            else:
                past_skipped += 1
        day += datetime.timedelta(days=1)
    removed = sorted(
        (
            s
            for s in existing
            if s.pk not in matched
            and s.status == SessionStatus.PLANNED
            and s.starts_at > now
            and not s.marks
        ),
        key=lambda s: (s.starts_at, s.pk),  # in date order, as the preview lists them
    )
    changed = removed + updated

    def checked(some: list[clash_check.Slot]) -> list[list[str]]:
        return check(some, changed, None)

    found_clashes = check(
        [*slots, *(clash_check.Slot(s.starts_at, s.ends_at, place) for s in updated)],
        changed,
        participants,
    )
    new = [
        Proposed(slot.starts_at, slot.ends_at, slot.place, found)
        for slot, found in zip(slots, found_clashes, strict=False)
    ]
    _suggest(new, kept, owner.end_date, tz, checked)
    return SchedulePlan(
        new=new,
        kept=kept,
        updated=list(zip(updated, found_clashes[len(slots) :], strict=True)),
        removed=removed,
        past_skipped=past_skipped,
    )


def write(
    *,
    plan: SchedulePlan,
    owner: Any,
    by: Any,
    model: type[models.Model],
    build: Callable[[Proposed], Any],
    update_fields: list[str],
    keep: Callable[[Proposed], bool],
    keep_update: Callable[[list[str]], bool],
    action: str,
    meetings: bool = False,
) -> tuple[list[Any], list[Any]]:
    """Write the plan: the new items `keep` accepts (built by `build`), the updates whose
    clashes `keep_update` accepts, the removals; one history entry on the owner, which names
    them sessions (a cohort's) or `meetings` (a course's). Return the items created and
    updated."""
    tz = ZoneInfo(owner.facility.time_zone)
    manager = model._default_manager
    before = manager.filter(**{type(owner).__name__.lower(): owner}).count()
    created = [build(p) for p in plan.new if keep(p)]
    manager.bulk_create(created)
    updated = [s for s, found in plan.updated if keep_update(found)]
    for item in updated:
        item.save(update_fields=update_fields)
    removed = [s.starts_at.astimezone(tz) for s in plan.removed]
    manager.filter(pk__in=[s.pk for s in plan.removed]).delete()
    if created or updated or removed:
        audit.record(
            facility=owner.facility_id,
            actor=by,
            action=action,
            target=owner,
            summary=(
                _("%(new)d pertemuan baru, %(updated)d diubah, %(removed)d dihapus")
                if meetings
                else _("%(new)d sesi baru, %(updated)d diubah, %(removed)d dihapus")
            )
            % {"new": len(created), "updated": len(updated), "removed": len(removed)},
            changes={
                ("meetings" if meetings else "sessions"): [
                    before,
                    before + len(created) - len(removed),
                ],
                **({"removed": [[f"{t:%d-%m-%Y %H:%M}" for t in removed], []]} if removed else {}),
            },
        )
    return created, updated
