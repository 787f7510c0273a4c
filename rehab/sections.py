"""Pages built from sections that apps register: the "today" page and the case file.

The page's owner sits lower in the dependency chain than the apps that add to it, so it cannot
import them; each app registers its own sections in its AppConfig.ready(), and the page shows
those that have something for the user.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any


@dataclass
class Section:
    template: str
    context: dict[str, Any] = field(default_factory=dict)


Builder = Callable[..., Section | None]


class Sections:
    """An ordered set of section builders; lower order shows first."""

    def __init__(self) -> None:
        self._builders: list[tuple[int, Builder]] = []

    def register(self, order: int) -> Callable[[Builder], Builder]:
        def decorator(builder: Builder) -> Builder:
            if builder not in [b for _, b in self._builders]:
                self._builders.append((order, builder))
                self._builders.sort(key=lambda item: item[0])
            return builder

        return decorator

    def build(self, *args: Any) -> list[Section]:
        """Return the sections that have something to show for these arguments."""
        return [s for _, build in self._builders if (s := build(*args)) is not None]


# Built with (request, day): what waits for the user today.
today = Sections()

# Built with (request, assessment): what the next step from a signed assessment is.
assessment = Sections()
