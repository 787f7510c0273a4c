"""The icons are a small generated stylesheet (bin/build_icons.py), not the 134 KB icon font:
every icon a template uses must be in it, or it would silently show nothing."""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SHEET = ROOT / "static" / "vendor" / "bootstrap-icons" / "icons.css"


def _builder() -> object:
    spec = importlib.util.spec_from_file_location("build_icons", ROOT / "bin" / "build_icons.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_every_icon_a_template_uses_is_in_the_stylesheet() -> None:
    used = _builder().icons_used()  # type: ignore[attr-defined]
    assert {"printer", "search", "file-earmark-pdf"} <= used  # the scan finds the templates
    defined = set(
        re.findall(r"^\.bi-([a-z0-9-]+)\{--bi:url\(\"data:image/svg\+xml,", SHEET.read_text(), re.M)
    )
    assert used - defined == set(), "run bin/build_icons.py (see its docstring)"


def test_the_pages_load_the_small_sheet_and_no_icon_font() -> None:
    base = (ROOT / "templates" / "base.html").read_text()
    assert "vendor/bootstrap-icons/icons.css" in base
    assert not list((ROOT / "static").rglob("*.woff2"))
    assert SHEET.stat().st_size < 16_000
