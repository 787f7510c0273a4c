"""gunicorn's workers and threads: from the environment, else two single-threaded workers per
core."""

from __future__ import annotations

import os
import runpy
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]


def conf(monkeypatch: pytest.MonkeyPatch, **env: str) -> dict[str, Any]:
    for name in ("WEB_CONCURRENCY", "GUNICORN_THREADS"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(str(ROOT / "gunicorn.conf.py"))


def test_unset_it_runs_two_single_threaded_workers_per_core(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(os, "cpu_count", lambda: 6)
    settings = conf(monkeypatch)
    assert (settings["workers"], settings["threads"]) == (12, 1)


def test_the_environment_sizes_it(monkeypatch: pytest.MonkeyPatch) -> None:
    settings = conf(monkeypatch, WEB_CONCURRENCY="3", GUNICORN_THREADS="8")
    assert (settings["workers"], settings["threads"]) == (3, 8)


def test_make_run_leaves_the_sizing_to_the_config_file() -> None:
    """A --workers or --threads on bin/serve's command line would win over the environment."""
    serve = (ROOT / "bin" / "serve").read_text()
    start = serve.index("gunicorn rehab.wsgi")
    command = serve[start : serve.index("&", start)]
    assert "--workers" not in command and "--threads" not in command
