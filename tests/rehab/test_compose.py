"""docker-compose.yml is safe by default and scales (no Docker engine here: the file is read).

When `docker compose` or Debian's `docker-compose` is installed (.ci/run installs the latter),
its own `config` must accept the file and refuse it without the secrets.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml
from django.conf import settings

from tests.rehab.test_deploy import production_environment, readme_table_variables

ROOT = Path(settings.BASE_DIR)
COMPOSE = ROOT / "docker-compose.yml"
TEXT = COMPOSE.read_text()
SECRETS = {"SECRET_KEY": "k" * 50, "POSTGRES_PASSWORD": "rahasia123"}
# ${NAME}, ${NAME:-default}, ${NAME-default}, ${NAME:?message}, ${NAME?message}
VARIABLE = re.compile(r"\$\{([A-Z][A-Z0-9_]*)(?:(:?[-?])([^}]*))?\}")
APP_SERVICES = ["migrate", "web", "worker", "beat"]


class Refused(Exception):
    """Compose would not start: a required variable is not set."""


def interpolate(text: str, environment: dict[str, str]) -> str:
    """Substitute variables as compose does (the forms this file uses)."""

    def value(match: re.Match[str]) -> str:
        name, operator, argument = match.groups()
        given = environment.get(name)
        if operator in {":?", "?"} and not (given if operator == ":?" else given is not None):
            raise Refused(f"{name}: {argument}")
        if operator in {":-", "-"} and not (given if operator == ":-" else given is not None):
            return argument
        return given or ""

    return VARIABLE.sub(value, text)


def load(environment: dict[str, str] = SECRETS) -> dict[str, Any]:
    return yaml.safe_load(interpolate(TEXT, environment))


@pytest.fixture(scope="module")
def compose() -> dict[str, Any]:
    return load()


def services(compose: dict[str, Any]) -> dict[str, Any]:
    return compose["services"]


def test_a_one_shot_migrate_runs_before_web_worker_and_beat(compose: dict[str, Any]) -> None:
    migrate = services(compose)["migrate"]
    assert migrate["command"] == ["python", "manage.py", "migrate", "--no-input"]
    assert migrate["restart"] == "no"
    for name in ["web", "worker", "beat"]:
        service = services(compose)[name]
        waits = service["depends_on"]["migrate"]["condition"]
        assert waits == "service_completed_successfully", name
        assert "migrate" not in str(service.get("command", "")), name


@pytest.mark.parametrize("name", ["SECRET_KEY", "POSTGRES_PASSWORD"])
def test_compose_refuses_to_start_without_a_secret(name: str) -> None:
    uses = [m for m in VARIABLE.finditer(TEXT) if m.group(1) == name]
    assert uses, name
    assert all(m.group(2) == ":?" for m in uses), "no default for a secret, anywhere"
    with pytest.raises(Refused, match=name):
        load({k: v for k, v in SECRETS.items() if k != name})
    with pytest.raises(Refused, match=name):
        load({**SECRETS, name: ""})


def test_the_app_runs_with_the_production_environment_of_the_readme(
    compose: dict[str, Any],
) -> None:
    production = production_environment()
    for name in APP_SERVICES:
        environment = services(compose)[name]["environment"]
        assert environment["SECURE_COOKIES"] == "true"
        assert environment["REHAB_REQUIRE_MFA"] == "true"
        assert environment["DEBUG"] == "false"
        assert environment["SECRET_KEY"] == SECRETS["SECRET_KEY"]
        assert SECRETS["POSTGRES_PASSWORD"] in environment["DATABASE_URL"]
        for key, value in production.items():
            assert key in environment, (name, key)
            if key not in {"SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL"}:
                assert environment[key] == value, (name, key)


def test_caddy_terminates_tls_in_front_of_every_web_container(compose: dict[str, Any]) -> None:
    caddy = services(compose)["caddy"]
    assert {port.split(":")[-1] for port in caddy["ports"]} == {"80", "443"}
    assert "./Caddyfile:/etc/caddy/Caddyfile:ro" in caddy["volumes"]
    caddyfile = (ROOT / "Caddyfile").read_text()
    assert "{$REHAB_DOMAIN" in caddyfile
    assert re.search(r"dynamic a \{\s*name web\s*port 8000", caddyfile)
    assert "header_up X-Forwarded-Proto {scheme}" in caddyfile
    assert "header_up X-Forwarded-For {remote_host}" in caddyfile
    web = services(compose)["web"]["environment"]
    assert web["TRUST_X_FORWARDED_PROTO"] == "true"
    assert "localhost" in web["ALLOWED_HOSTS"].split(",")


def test_web_and_worker_scale(compose: dict[str, Any]) -> None:
    for name in ["web", "worker"]:
        service = services(compose)[name]
        assert "ports" not in service, name
        assert "container_name" not in service, name
        assert "replicas" not in service.get("deploy", {}), name
    assert services(compose)["beat"]["deploy"]["replicas"] == 1
    assert not any("container_name" in s for s in services(compose).values())


def test_every_image_is_pinned(compose: dict[str, Any]) -> None:
    images = {name: s["image"] for name, s in services(compose).items()}
    assert re.fullmatch(r"postgres:15\.\d+", images["postgres"])  # the major version CI runs
    assert re.fullmatch(r"redis:7\.\d+\.\d+", images["redis"])
    assert re.fullmatch(r"caddy:2\.\d+\.\d+", images["caddy"])
    assert re.search(r"^FROM python:3\.11\.\d+-", (ROOT / "Dockerfile").read_text(), re.M)


def test_the_health_checks_ask_the_services_themselves(compose: dict[str, Any]) -> None:
    def check(name: str) -> str:
        return " ".join(services(compose)[name]["healthcheck"]["test"])

    assert "http://127.0.0.1:8000/healthz" in check("web")
    assert "pg_isready" in check("postgres")
    assert "redis-cli ping" in check("redis")
    assert settings.SECURE_REDIRECT_EXEMPT == [r"^healthz$"]  # answered over plain HTTP


def test_every_variable_compose_reads_or_sets_is_in_the_readme_table() -> None:
    documented = readme_table_variables()
    read = {m.group(1) for m in VARIABLE.finditer(TEXT)}
    assert sorted(read - documented) == []
    app_environment = load()["x-app-environment"]
    assert sorted(set(app_environment) - documented) == []


def _compose_cli() -> list[str] | None:
    docker = shutil.which("docker")
    if (
        docker
        and subprocess.run([docker, "compose", "version"], capture_output=True).returncode == 0
    ):
        return [docker, "compose"]
    legacy = shutil.which("docker-compose")
    return [legacy] if legacy else None


def test_docker_compose_config_accepts_the_file_and_refuses_it_without_the_secrets(
    tmp_path: Path,
) -> None:
    cli = _compose_cli()
    if cli is None:
        # Neither is installed on this machine: the checks above read the file as compose would.
        return
    base = {"PATH": os.environ["PATH"], "HOME": os.environ.get("HOME", "/tmp")}
    # An empty env file: an .env beside docker-compose.yml must not supply the secrets here.
    empty = tmp_path / "empty.env"
    empty.write_text("")
    command = [*cli, "--env-file", str(empty), "-f", str(COMPOSE), "config", "-q"]

    def config(environment: dict[str, str]) -> subprocess.CompletedProcess:
        return subprocess.run(
            command, env={**base, **environment}, capture_output=True, text=True, timeout=60
        )

    accepted = config(SECRETS)
    assert accepted.returncode == 0, accepted.stderr
    for name in SECRETS:
        refused = config({k: v for k, v in SECRETS.items() if k != name})
        assert refused.returncode != 0
        assert name in refused.stderr
