"""GET /healthz: what a monitor or the compose health check asks, without signing in."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import DatabaseError

from rehab import health

pytestmark = pytest.mark.django_db


def test_everything_up_answers_200_with_each_part_ok(client: Any) -> None:
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json() == {"database": "ok", "broker": "ok", "storage": "ok"}
    assert "no-cache" in response["Cache-Control"] or "no-store" in response["Cache-Control"]


def test_it_needs_no_sign_in_and_shows_no_personal_data(client: Any, members: Any) -> None:
    response = client.get("/healthz")

    assert response.status_code == 200
    body = response.content.decode()
    assert members["staff"].username not in body
    assert set(response.json()) == {"database", "broker", "storage"}


def _failing(*args: Any, **kwargs: Any) -> Any:
    raise DatabaseError("connection refused")


def test_a_database_that_does_not_answer_gives_503_naming_it(
    client: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(health.connection, "cursor", _failing)

    response = client.get("/healthz")

    assert response.status_code == 503
    assert response.json() == {"database": "down", "broker": "ok", "storage": "ok"}


def test_a_broker_that_does_not_answer_gives_503_naming_it(
    client: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from rehab.celery import app

    def refused(*args: Any, **kwargs: Any) -> Any:
        raise ConnectionRefusedError(111, "Connection refused")

    monkeypatch.setattr(app, "connection_for_write", refused)

    response = client.get("/healthz")

    assert response.status_code == 503
    assert response.json() == {"database": "ok", "broker": "down", "storage": "ok"}


def test_storage_that_cannot_be_written_gives_503_naming_it(
    client: Any, settings: Any, tmp_path: Any
) -> None:
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("a file where the media folder should be")
    settings.MEDIA_ROOT = str(blocked)

    response = client.get("/healthz")

    assert response.status_code == 503
    assert response.json() == {"database": "ok", "broker": "ok", "storage": "down"}
