"""The "today" page is built from sections that each app registers.

rehab sits at the bottom of the dependency chain, so it cannot import the apps; instead each
app registers its own sections in its AppConfig.ready(), and the page shows those that have
something for the user's roles.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.http import HttpRequest


@dataclass
class Section:
    template: str
    context: dict[str, Any] = field(default_factory=dict)


SectionBuilder = Callable[[HttpRequest, datetime.date], Section | None]
_builders: list[tuple[int, SectionBuilder]] = []


def register(order: int) -> Callable[[SectionBuilder], SectionBuilder]:
    """Register a section builder; lower order shows first."""

    def decorator(builder: SectionBuilder) -> SectionBuilder:
        if builder not in [b for _, b in _builders]:
            _builders.append((order, builder))
            _builders.sort(key=lambda item: item[0])
        return builder

    return decorator


def sections_for(request: HttpRequest, day: datetime.date) -> list[Section]:
    """Return the sections that have something for this user today."""
    return [s for _, build in _builders if (s := build(request, day)) is not None]
