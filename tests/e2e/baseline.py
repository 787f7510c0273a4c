"""Screenshots compared with a stored baseline (tests/e2e/baseline/<set>/<name>.png).

A baseline is the screenshot shrunk four times and in grey: small enough to keep in the
repository, detailed enough to see a navbar that broke, a form that lost its columns or a
table that now runs off the page. A page differs from its baseline when its height changed by
more than 5 % or when more than 3 % of the shrunk pixels changed by more than 40 grey levels
(a date or a count that reads differently stays well under that).

`REHAB_UPDATE_BASELINE=1` writes the current screenshots as the new baseline instead of
comparing: do it after a change of layout meant to be, look at the pictures, and commit them.
"""

from __future__ import annotations

import os
from pathlib import Path

from PIL import Image, ImageChops

HERE = Path(__file__).parent / "baseline"
SHRINK = 4
HEIGHT_TOLERANCE = 0.05
CHANGED_LEVELS = 40
CHANGED_SHARE = 0.03


def updating() -> bool:
    return os.environ.get("REHAB_UPDATE_BASELINE", "") == "1"


def _shrunk(path: Path) -> Image.Image:
    with Image.open(path) as shot:
        grey = shot.convert("L")
        size = (max(1, grey.width // SHRINK), max(1, grey.height // SHRINK))
        return grey.resize(size, Image.Resampling.BOX)


def compare(shot: Path, group: str, name: str, diffs: Path) -> str | None:
    """Compare the screenshot at `shot` with the baseline `group/name`; return what differs
    (and leave a picture of the difference in `diffs`), or None when it matches. In update
    mode, store it as the baseline and return None."""
    current = _shrunk(shot)
    stored_path = HERE / group / f"{name}.png"
    if updating():
        stored_path.parent.mkdir(parents=True, exist_ok=True)
        current.save(stored_path, optimize=True)
        return None
    if not stored_path.exists():
        return f"no baseline {stored_path.relative_to(HERE.parent)} (REHAB_UPDATE_BASELINE=1)"
    with Image.open(stored_path) as opened:
        stored = opened.convert("L")
    if current.width != stored.width:
        return f"width {current.width * SHRINK}px, baseline {stored.width * SHRINK}px"
    if abs(current.height - stored.height) > HEIGHT_TOLERANCE * stored.height:
        return f"height {current.height * SHRINK}px, baseline {stored.height * SHRINK}px"
    if current.height != stored.height:
        current = current.resize(stored.size, Image.Resampling.BOX)
    difference = ImageChops.difference(current, stored)
    changed = sum(
        difference.point(lambda level: 255 if level > CHANGED_LEVELS else 0).histogram()[255:]
    )
    share = changed / (stored.width * stored.height)
    if share > CHANGED_SHARE:
        diffs.mkdir(parents=True, exist_ok=True)
        difference.save(diffs / f"{name}-diff.png")
        return f"{share:.1%} of the page differs from its baseline (at most {CHANGED_SHARE:.0%})"
    return None
