"""Reads of WBP records that more than one view needs."""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import Q, QuerySet

from inmates.models import Inmate
from rehab import access


def visible_inmates(user: Any, action: str = "inmate.view") -> QuerySet[Inmate]:
    """Return the WBP of every facility where the user may do the action."""
    return access.scoped(Inmate.objects.all(), user, action)


def possible_duplicates(
    user: Any,
    *,
    nik: str = "",
    full_name: str = "",
    birth_date: datetime.date | None = None,
    exclude_pk: int | None = None,
) -> list[Inmate]:
    """Return records the user can see with the same NIK, or the same name and birth date."""
    condition = Q()
    if nik:
        condition |= Q(nik=nik)
    if full_name and birth_date:
        condition |= Q(full_name__iexact=full_name.strip(), birth_date=birth_date)
    if not condition:
        return []
    qs = visible_inmates(user).filter(condition).select_related("facility")
    if exclude_pk is not None:
        qs = qs.exclude(pk=exclude_pk)
    return list(qs[:10])


# A person re-admitted more often than this is still shown with the most recent admissions.
MAX_EPISODES = 12


def episode_chain(user: Any, inmate: Inmate) -> list[Inmate]:
    """Return the person's other admissions (earlier and later) the user may see, newest first.

    Admissions link back through `previous_episode`; the chain is walked both ways, one query
    per step, so a case file costs the length of the chain, never the size of the table.
    """
    visible = set(access.facility_ids_for(user, "inmate.view"))
    found: dict[int, Inmate] = {inmate.pk: inmate}
    frontier = [inmate]
    while frontier and len(found) <= MAX_EPISODES:
        earlier = {e.previous_episode_id for e in frontier} - {None} - set(found)
        step = list(
            Inmate.objects.filter(
                Q(pk__in=earlier) | Q(previous_episode__in=[e.pk for e in frontier])
            )
            .exclude(pk__in=list(found))
            .select_related("facility")
        )
        found.update((e.pk, e) for e in step)
        frontier = step
    others = [e for pk, e in found.items() if pk != inmate.pk and e.facility_id in visible]
    others.sort(key=lambda e: (e.admission_date, e.pk), reverse=True)
    return others[:MAX_EPISODES]
