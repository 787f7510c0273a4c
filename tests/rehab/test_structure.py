"""The shape of the code that reviewers rely on: workflows in services, programmes in domains."""

from __future__ import annotations

import ast
from pathlib import Path

from django.apps import apps

ROOT = Path(__file__).resolve().parents[2]
DOMAINS = ("tiers", "skills", "aftercare", "completion", "scheduling")


def _view_modules() -> list[Path]:
    return sorted(p for p in ROOT.glob("*/**/views.py") if ".venv" not in p.parts)


def test_no_view_opens_a_transaction() -> None:
    """Views parse, call a service and render: a multi-row write in a view would be a workflow
    no other caller (command, task, test) could reuse with the same guarantees."""
    offenders = []
    for path in _view_modules():
        tree = ast.parse(path.read_text())
        for node in ast.walk(tree):
            if isinstance(node, ast.Attribute) and node.attr in ("atomic", "on_commit"):
                offenders.append(f"{path.relative_to(ROOT)}:{node.lineno} {node.attr}")
    assert _view_modules(), "no views found: the test would pass for nothing"
    assert offenders == []


def test_programmes_are_split_into_their_three_domains() -> None:
    for domain in DOMAINS:
        for part in ("models", "services", "views", "forms"):
            assert (ROOT / "programs" / domain / f"{part}.py").is_file(), (domain, part)
    # The old flat modules are gone, so nothing can keep importing them.
    for old in ("services", "skills", "aftercare", "views", "skills_views", "aftercare_views"):
        assert not (ROOT / "programs" / f"{old}.py").exists(), old


def test_every_programmes_model_lives_in_its_domain_and_stays_in_one_app() -> None:
    modules = {m.__module__ for m in apps.get_app_config("programs").get_models()}
    assert modules == {f"programs.{d}.models" for d in DOMAINS}
