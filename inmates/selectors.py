"""Reads of WBP records that more than one view needs."""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib.postgres.search import TrigramSimilarity
from django.db import connection
from django.db.models import Case, Q, QuerySet, TextChoices, Value, When
from django.utils.translation import gettext_lazy as _

from inmates.matching import name_key
from inmates.models import Inmate
from rehab import access


def visible_inmates(user: Any, action: str = "inmate.view") -> QuerySet[Inmate]:
    """Return the WBP of every facility where the user may do the action."""
    return access.scoped(Inmate.objects.all(), user, action)


def quick_search(facility_ids: list[int], text: str) -> QuerySet[Inmate]:
    """Return the WBP of the facilities matching every word, the most exact match first.

    A registration number typed whole comes first, then names that start with the text, then
    any other match (a word inside the name, an alias); each word is a substring of the
    trigram-indexed search column (inmates/migrations/0002).
    """
    closest_first = Case(
        When(registration_number__iexact=text, then=Value(0)),
        When(full_name__istartswith=text, then=Value(1)),
        default=Value(2),
    )
    return (
        Inmate.objects.filter(facility_id__in=facility_ids)
        .search(text)
        .select_related("facility")
        .order_by(closest_first, "full_name", "id")
    )


# How alike two name keys must be, on PostgreSQL, to count as a near name (pg_trgm similarity,
# 0..1): looser with the same birth date (a typing slip), stricter with only the same year
# (Kurniawan and Kurniawati score 0.71, Rizki and Rizal 0.63).
NEAR_NAME_SAME_DATE = 0.5
NEAR_NAME_SAME_YEAR = 0.75
MAX_DUPLICATES = 10


class DuplicateReason(TextChoices):
    NIK = "nik", _("NIK sama")
    NAME_AND_DATE = "name_date", _("nama dan tanggal lahir sama")
    NEAR_NAME_AND_DATE = "near_date", _("nama mirip, tanggal lahir sama")
    NEAR_NAME_AND_YEAR = "near_year", _("nama mirip, tahun lahir sama")


def possible_duplicates(
    user: Any,
    *,
    nik: str = "",
    full_name: str = "",
    birth_date: datetime.date | None = None,
    exclude_pk: int | None = None,
) -> list[Inmate]:
    """Return records the user can see that may be the same person, closest first.

    The same NIK; or a name that is the same or near (spelling variants, see
    inmates.matching.name_key; on PostgreSQL also pg_trgm similarity) with the same birth date
    or birth year. Each record carries `duplicate_reason` (a DuplicateReason).
    """
    key = name_key(full_name)[:150]
    qs = visible_inmates(user)
    condition = Q()
    if nik:
        condition |= Q(nik=nik)
    if key and birth_date:
        near = Q(name_key=key)
        if connection.vendor == "postgresql":
            qs = qs.annotate(likeness=TrigramSimilarity("name_key", key))
            near |= Q(likeness__gte=NEAR_NAME_SAME_YEAR)
            near |= Q(birth_date=birth_date, likeness__gte=NEAR_NAME_SAME_DATE)
        condition |= Q(birth_date__year=birth_date.year) & near
    if not condition:
        return []
    if exclude_pk is not None:
        qs = qs.exclude(pk=exclude_pk)
    closest_first = Case(
        When(nik=nik or None, then=Value(0)),
        When(birth_date=birth_date, then=Value(1)),
        default=Value(2),
    )
    found = list(
        qs.filter(condition)
        .select_related("facility")
        .order_by(closest_first, "full_name", "pk")[:MAX_DUPLICATES]
    )
    typed = " ".join(full_name.split()).casefold()
    for inmate in found:
        inmate.duplicate_reason = _reason(  # type: ignore[attr-defined]
            inmate, nik=nik, typed=typed, birth_date=birth_date
        )
    return found


def _reason(
    inmate: Inmate, *, nik: str, typed: str, birth_date: datetime.date | None
) -> DuplicateReason:
    if nik and inmate.nik == nik:
        return DuplicateReason.NIK
    if inmate.birth_date == birth_date:
        if inmate.full_name.casefold() == typed:
            return DuplicateReason.NAME_AND_DATE
        return DuplicateReason.NEAR_NAME_AND_DATE
    return DuplicateReason.NEAR_NAME_AND_YEAR


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
