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
