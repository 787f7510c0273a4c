"""Log lines: a timestamp and the request id on each, a refused request (403, 404) on one line
with user, path and reason, an error (500) with its traceback. Read through the console
handler that settings.LOGGING configures, so that the filters and the format are the real ones."""

from __future__ import annotations

import io
import logging
import re
from collections.abc import Iterator
from typing import Any

import pytest
from django.test import Client

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.rehab.logging_urls")]

# "2026-11-20T10:00:00.000+07:00 WARNING <id> django.request ..."
LINE = re.compile(
    r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}[+-]\d\d:\d\d "
    r"(?P<level>[A-Z]+) (?P<id>\S+) (?P<name>\S+) (?P<msg>.*)$"
)


@pytest.fixture
def log_output() -> Iterator[io.StringIO]:
    """What the console handler writes during the test."""
    handler = next(h for h in logging.getLogger().handlers if getattr(h, "name", None) == "console")
    assert isinstance(handler, logging.StreamHandler)
    output = io.StringIO()
    previous = handler.setStream(output)
    yield output
    handler.setStream(previous)


@pytest.fixture
def staff(client: Client, members: dict[str, Any]) -> Client:
    client.force_login(members["staff"])
    return client


def request_lines(output: io.StringIO) -> list[str]:
    return [line for line in output.getvalue().splitlines() if " django.request " in line]


def test_a_403_is_one_line_with_user_path_and_reason(
    staff: Client, log_output: io.StringIO
) -> None:
    response = staff.get("/uji-log/terlarang/", headers={"X-Request-ID": "abc-123"})
    assert response.status_code == 403
    output = log_output.getvalue()
    assert "Traceback" not in output
    [line] = request_lines(log_output)
    match = LINE.match(line)
    assert match, line
    assert (match["level"], match["id"]) == ("WARNING", "abc-123")
    assert match["msg"] == (
        "Forbidden (Permission denied): /uji-log/terlarang/ user=staff.a "
        'reason="Peran ini tidak boleh menandatangani laporan."'
    )


def test_a_404_is_one_line_with_user_path_and_reason(
    staff: Client, log_output: io.StringIO
) -> None:
    response = staff.get("/uji-log/hilang/")
    assert response.status_code == 404
    [line] = request_lines(log_output)
    match = LINE.match(line)
    assert match and match["level"] == "WARNING"
    assert match["id"] == response["X-Request-ID"]
    assert match["msg"] == 'Not Found: /uji-log/hilang/ user=staff.a reason="Http404"'
    assert "Traceback" not in log_output.getvalue()


def test_a_404_of_a_path_no_view_answers_names_the_anonymous_visitor(
    client: Client, log_output: io.StringIO
) -> None:
    # Signed out, only the login page answers: a missing static file is a 404 for anyone.
    response = client.get("/static/tidak-ada.css")
    assert response.status_code == 404
    [line] = request_lines(log_output)
    assert line.endswith("Not Found: /static/tidak-ada.css user=- reason=-")


def test_a_500_keeps_its_traceback(log_output: io.StringIO, members: dict[str, Any]) -> None:
    client = Client(raise_request_exception=False)
    client.force_login(members["staff"])
    response = client.get("/uji-log/rusak/", headers={"X-Request-ID": "req-500"})
    assert response.status_code == 500
    lines = log_output.getvalue().splitlines()
    first = next(i for i, line in enumerate(lines) if " django.request " in line)
    match = LINE.match(lines[first])
    assert match and (match["level"], match["id"]) == ("ERROR", "req-500")
    assert match["msg"] == "Internal Server Error: /uji-log/rusak/"
    assert lines[first + 1] == "Traceback (most recent call last):"
    assert lines[-1] == "RuntimeError: the render failed"


def test_every_line_of_a_request_carries_a_timestamp_and_its_id(
    staff: Client, log_output: io.StringIO
) -> None:
    logger = logging.getLogger("rehab.tests")
    logger.info("outside any request")
    staff.get("/uji-log/terlarang/", headers={"X-Request-ID": "satu"})
    staff.get("/uji-log/hilang/", headers={"X-Request-ID": "dua"})
    lines = log_output.getvalue().splitlines()
    assert [LINE.match(line)["id"] for line in lines] == ["-", "satu", "dua"]  # type: ignore[index]


def test_the_response_carries_a_request_id_and_keeps_a_safe_incoming_one(staff: Client) -> None:
    generated = staff.get("/")["X-Request-ID"]
    assert re.fullmatch(r"[0-9a-f]{32}", generated)
    assert staff.get("/", headers={"X-Request-ID": "lb-7f3a.01_x"})["X-Request-ID"] == (
        "lb-7f3a.01_x"
    )
    assert staff.get("/")["X-Request-ID"] != generated


@pytest.mark.parametrize(
    "hostile",
    [
        "abc\nFAKE 2026-11-20 ERROR admin logged in",
        "a b",
        '"><script>',
        "x" * 65,
        "",
    ],
)
def test_a_hostile_request_id_is_replaced(
    staff: Client, log_output: io.StringIO, hostile: str
) -> None:
    response = staff.get("/uji-log/hilang/", headers={"X-Request-ID": hostile})
    request_id = response["X-Request-ID"]
    assert re.fullmatch(r"[0-9a-f]{32}", request_id)
    [line] = request_lines(log_output)
    assert f" {request_id} django.request " in line
    assert "FAKE" not in log_output.getvalue()


def test_the_lines_of_a_celery_task_carry_its_task_id(log_output: io.StringIO) -> None:
    from inmates.tasks import purge_stale_import_batches

    result = purge_stale_import_batches.apply()
    [line] = [line for line in log_output.getvalue().splitlines() if "succeeded" in line]
    assert f" {result.id} celery.app.trace " in line
    logging.getLogger("rehab.tests").info("after the task")
    assert log_output.getvalue().splitlines()[-1].split()[2] == "-"
