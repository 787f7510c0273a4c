"""Error reports by mail: REHAB_ADMINS becomes ADMINS, and a 500 is mailed to them once, with
no personal data in the subject or the body (rehab/log.py AdminMailHandler)."""

from __future__ import annotations

import logging.config
import runpy
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.core.exceptions import ImproperlyConfigured
from django.test import Client

SETTINGS_FILE = Path(__file__).resolve().parents[2] / "rehab" / "settings.py"
PERSON = "Budi Santoso"
ADMINS = "Tim TI Ditjenpas <ti@example.go.id>, Piket <piket@example.go.id>"


def settings_with(monkeypatch: pytest.MonkeyPatch, **env: str) -> dict[str, Any]:
    """The settings module as it reads with these environment variables."""
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(str(SETTINGS_FILE))


@pytest.fixture
def mail_logging(monkeypatch: pytest.MonkeyPatch, settings: Any) -> Iterator[dict[str, Any]]:
    """The logging configuration and ADMINS of a deployment that sets REHAB_ADMINS, in force
    for the test; the suite's own configuration is put back afterwards."""
    configured = settings_with(monkeypatch, REHAB_ADMINS=ADMINS)
    settings.ADMINS = configured["ADMINS"]
    logging.config.dictConfig(configured["LOGGING"])
    yield configured
    logging.config.dictConfig(django_settings.LOGGING)


def test_rehab_admins_is_read_into_admins(monkeypatch: pytest.MonkeyPatch) -> None:
    configured = settings_with(monkeypatch, REHAB_ADMINS=ADMINS)
    assert configured["ADMINS"] == [
        ("Tim TI Ditjenpas", "ti@example.go.id"),
        ("Piket", "piket@example.go.id"),
    ]
    assert configured["LOGGING"]["loggers"]["django.request"]["handlers"] == ["mail_admins"]


def test_without_rehab_admins_no_mail_handler(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("REHAB_ADMINS", raising=False)
    configured = settings_with(monkeypatch)
    assert configured["ADMINS"] == []
    assert "mail_admins" not in configured["LOGGING"]["handlers"]
    assert "django.request" not in configured["LOGGING"]["loggers"]


def test_a_bad_rehab_admins_stops_start_up(monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(ImproperlyConfigured, match="REHAB_ADMINS: 'Piket' is not"):
        settings_with(monkeypatch, REHAB_ADMINS="Tim TI <ti@example.go.id>, Piket")


@pytest.mark.urls("tests.rehab.logging_urls")
def test_a_500_mails_the_admins_once_without_personal_data(
    mail_logging: dict[str, Any], members: dict[str, Any], mailoutbox: list[Any]
) -> None:
    client = Client(raise_request_exception=False)
    client.force_login(members["staff"])
    response = client.get("/uji-log/wbp/AIII.17-2026/rusak/", headers={"X-Request-ID": "err-42"})
    assert response.status_code == 500

    [mail] = mailoutbox
    assert sorted(mail.to) == ["piket@example.go.id", "ti@example.go.id"]
    assert mail.subject == "[rehab] 500 RuntimeError GET /uji-log/wbp/<str:reg_no>/rusak/"
    assert "id: err-42" in mail.body
    assert "in broken_case_file" in mail.body  # where it failed
    for personal in ("Budi", "Santoso", "6401011203900001", "AIII.17-2026", "staff.a"):
        assert personal not in mail.subject
        assert personal not in mail.body


@pytest.mark.urls("tests.rehab.logging_urls")
def test_a_403_or_404_mails_nobody(
    mail_logging: dict[str, Any], members: dict[str, Any], mailoutbox: list[Any]
) -> None:
    client = Client(raise_request_exception=False)
    client.force_login(members["staff"])
    assert client.get("/uji-log/terlarang/").status_code == 403
    assert client.get("/uji-log/hilang/").status_code == 404
    assert mailoutbox == []


def test_a_failed_task_is_mailed_without_its_message(
    mail_logging: dict[str, Any], mailoutbox: list[Any]
) -> None:
    def generate_letter(name: str) -> None:
        raise ValueError(f"no address for {name}")

    try:
        generate_letter(PERSON)
    except ValueError:
        logging.getLogger("celery.app.trace").exception("Task failed: %s", PERSON)
    [mail] = mailoutbox
    assert mail.subject == "[rehab] ValueError in celery.app.trace"
    assert "in generate_letter" in mail.body
    assert "Budi" not in mail.subject + mail.body


@pytest.mark.urls("tests.rehab.logging_urls")
def test_with_a_sentry_dsn_a_500_reaches_sentry_without_personal_data(
    members: dict[str, Any],
) -> None:
    import sentry_sdk
    from sentry_sdk.transport import Transport

    from rehab.log import init_sentry

    class Captured(Transport):
        def __init__(self) -> None:
            super().__init__()
            self.events: list[dict[str, Any]] = []

        def capture_envelope(self, envelope: Any) -> None:
            self.events += [item.payload.json for item in envelope.items if item.type == "event"]

    transport = Captured()
    init_sentry("https://key@sentry.example.go.id/7", environment="uji", transport=transport)
    try:
        client = Client(raise_request_exception=False)
        client.force_login(members["staff"])
        response = client.get("/uji-log/wbp/AIII.17-2026/rusak/", headers={"X-Request-ID": "s-7"})
        sentry_sdk.flush()
    finally:
        sentry_sdk.init(dsn=None)  # off again for the rest of the suite
    assert response.status_code == 500
    [event] = transport.events
    assert event["exception"]["values"][-1]["type"] == "RuntimeError"
    assert event["request"]["url"] == "/uji-log/wbp/{reg_no}/rusak/"  # the pattern, no values
    assert event["tags"]["request_id"] == "s-7"
    text = str(event)
    for personal in ("Budi", "Santoso", "6401011203900001", "AIII.17-2026", "staff.a"):
        assert personal not in text, personal
