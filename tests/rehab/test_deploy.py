"""Deployment settings: the README's production environment passes `check --deploy` without a
warning, and the README's table names every environment variable the settings read."""

from __future__ import annotations

import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

from django.conf import settings

ROOT = Path(settings.BASE_DIR)
README = (ROOT / "README.md").read_text()
# An environment variable read in rehab/settings.py: os.environ.get("X"), os.environ["X"],
# os.getenv("X"), or one of its helpers envbool/envint/envlist("X", ...).
ENV_READ = re.compile(
    r"""(?:os\.environ\.get|os\.getenv|envbool|envint|envlist)\(\s*["']([A-Z][A-Z0-9_]*)["']"""
    r"""|os\.environ\[\s*["']([A-Z][A-Z0-9_]*)["']\s*\]"""
)


def readme_table_variables() -> set[str]:
    """Return the names in the first column of the README's settings table."""
    table = README.split("### Settings", 1)[1]
    names: set[str] = set()
    for line in table.splitlines():
        if line.startswith("| `"):
            names.update(re.findall(r"`([A-Z][A-Z0-9_]*)`", line.split("|")[1]))
    return names


def production_environment() -> dict[str, str]:
    """Return the README's production environment block, with a real secret key."""
    block = re.search(
        r"<!-- production-environment -->\s*```sh\n(.*?)```\s*<!-- /production-environment -->",
        README,
        re.DOTALL,
    )
    assert block, "the README has no production environment block"
    environment = dict(
        line.split("=", 1) for line in block.group(1).splitlines() if line and line[0] != "#"
    )
    environment["SECRET_KEY"] = secrets.token_urlsafe(50)
    return environment


def run(code_or_command: list[str], environment: dict[str, str]) -> subprocess.CompletedProcess:
    # Only the given variables: nothing of the test run's own environment leaks in.
    env = {"PATH": os.environ["PATH"], "HOME": os.environ.get("HOME", "/tmp"), **environment}
    return subprocess.run(
        [sys.executable, *code_or_command],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_the_readme_table_names_every_environment_variable_the_settings_read() -> None:
    read = {a or b for a, b in ENV_READ.findall((ROOT / "rehab" / "settings.py").read_text())}
    assert {"DATABASE_URL", "SECRET_KEY", "TRUST_X_FORWARDED_PROTO"} <= read  # the grep works
    assert sorted(read - readme_table_variables()) == []


def test_check_deploy_with_the_production_environment_prints_no_warning() -> None:
    result = run(
        ["manage.py", "check", "--deploy", "--fail-level", "WARNING"], production_environment()
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout
    assert "WARNING" not in result.stderr


def test_check_deploy_warns_without_it() -> None:
    result = run(["manage.py", "check", "--deploy"], {})
    for warning in ["W004", "W008", "W012", "W016"]:  # HSTS, SSL redirect, the two cookies
        assert f"security.{warning}" in result.stderr


def _setting(name: str, environment: dict[str, str]) -> str:
    code = f"from rehab import settings; print(repr(getattr(settings, {name!r}, None)))"
    result = run(["-c", code], environment)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_the_proxy_header_is_believed_only_when_the_setting_says_so() -> None:
    assert _setting("SECURE_PROXY_SSL_HEADER", {}) == "None"
    assert _setting("SECURE_PROXY_SSL_HEADER", {"TRUST_X_FORWARDED_PROTO": "true"}) == repr(
        ("HTTP_X_FORWARDED_PROTO", "https")
    )
    production = production_environment()
    assert _setting("SESSION_COOKIE_SECURE", production) == "True"
    assert _setting("SECURE_HSTS_SECONDS", production) == "31536000"
