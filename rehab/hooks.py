"""Steps that apps further up the dependency chain add to a workflow of an app below them.

`inmates` may not import `programs`, yet a release must also end the programme: programs
registers a step on inmates' release hook in its AppConfig.ready(), and the release runs every
registered step inside its transaction. Each hook is a list of steps, each step in it once.
"""

from __future__ import annotations

from typing import TypeVar

T = TypeVar("T")


class Hooks(list[T]):
    """The steps registered for one workflow, in the order they were registered."""

    def register(self, step: T) -> T:
        """Add `step` (once, however often the app registers it); return it, as a decorator."""
        if step not in self:
            self.append(step)
        return step
