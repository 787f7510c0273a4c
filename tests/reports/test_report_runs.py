"""Frozen report snapshots: generated exactly once whatever Celery does, versioned when the data
changes, locked by the warden's signature. The Celery tests run a real worker, not eager mode."""

from __future__ import annotations

import datetime
import importlib
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from celery.signals import task_postrun, worker_ready
from django.apps import apps as django_apps
from django.conf import settings
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_celery_beat.models import PeriodicTask

from rehab.models import AccessLog, AuditEntry
from reports import services, tasks
from reports.models import Report, ReportStatus, period_of, previous_period
from tests.factories import InmateFactory

OCTOBER = datetime.date(2026, 10, 1)


@pytest.fixture
def finished() -> Iterator[list[tuple[str, str]]]:
    """The (task name, state) of every task run the worker finished, in order."""
    done: list[tuple[str, str]] = []
    lock = threading.Lock()

    def record(task: Any = None, state: str = "", **kwargs: Any) -> None:
        with lock:
            done.append((task.name, state))

    task_postrun.connect(record, weak=False)
    yield done
    task_postrun.disconnect(record)


def wait_for(condition: Callable[[], bool], seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("the worker did not finish in time")
        time.sleep(0.1)


def runs(done: list[tuple[str, str]], state: str = "SUCCESS") -> int:
    return sum(1 for name, s in done if name == "reports.tasks.generate_report" and s == state)


# --- the service ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_generating_twice_with_unchanged_data_keeps_one_version(
    facility_a: Any, django_capture_on_commit_callbacks: Any
) -> None:
    InmateFactory(facility=facility_a, admission_date=datetime.date(2026, 10, 5))
    with django_capture_on_commit_callbacks(execute=True):
        first = services.report_generate(facility_id=facility_a.pk, kind="monthly", start=OCTOBER)
    with django_capture_on_commit_callbacks(execute=True):
        second = services.report_generate(facility_id=facility_a.pk, kind="monthly", start=OCTOBER)
    assert first.pk == second.pk and second.version == 1
    assert second.status == ReportStatus.READY and second.file.read(4) == b"%PDF"
    assert second.figures["indicators"]["admissions"]["admitted"] == 1
    assert second.checksum == services.checksum(second.figures)


@pytest.mark.django_db
def test_changed_data_makes_a_new_current_version_and_keeps_the_old(facility_a: Any) -> None:
    first = services.report_generate(facility_id=facility_a.pk, kind="monthly", start=OCTOBER)
    InmateFactory(facility=facility_a, admission_date=datetime.date(2026, 10, 20))
    second = services.report_generate(facility_id=facility_a.pk, kind="monthly", start=OCTOBER)
    first.refresh_from_db()
    assert (first.version, first.current) == (1, False)
    assert (second.version, second.current) == (2, True)
    assert first.figures["indicators"]["admissions"]["admitted"] == 0
    assert second.figures["indicators"]["admissions"]["admitted"] == 1
    assert first.checksum != second.checksum


@pytest.mark.django_db
def test_a_signed_report_never_changes(facility_a: Any, members: dict[str, Any]) -> None:
    report = services.report_generate(facility_id=facility_a.pk, kind="monthly", start=OCTOBER)
    services.report_sign(
        report=report, by=members["warden"], narrative="Baik.", sign=True, expected_revision=1
    )
    InmateFactory(facility=facility_a, admission_date=datetime.date(2026, 10, 20))
    again = services.report_generate(facility_id=facility_a.pk, kind="monthly", start=OCTOBER)
    assert again.pk == report.pk and again.status == ReportStatus.SIGNED
    assert again.figures["indicators"]["admissions"]["admitted"] == 0
    with pytest.raises(services.ReportLocked):
        services.report_sign(
            report=again, by=members["warden"], narrative="Ubah", sign=False, expected_revision=2
        )
    assert Report.objects.count() == 1


@pytest.mark.django_db
def test_a_render_that_dies_half_way_leaves_nothing_behind(
    facility_a: Any, monkeypatch: Any
) -> None:
    def dies(report: Report) -> bytes:
        raise MemoryError("worker killed")

    monkeypatch.setattr(services, "render", dies)
    with pytest.raises(MemoryError):
        services.report_generate(facility_id=facility_a.pk, kind="monthly", start=OCTOBER)
    assert not Report.objects.exists()
    monkeypatch.undo()
    report = services.report_generate(facility_id=facility_a.pk, kind="monthly", start=OCTOBER)
    assert Report.objects.get().pk == report.pk and report.status == ReportStatus.READY


def test_periods() -> None:
    assert period_of("monthly", datetime.date(2026, 12, 31)) == (
        datetime.date(2026, 12, 1), datetime.date(2027, 1, 1),
    )  # fmt: skip
    assert period_of("quarterly", datetime.date(2026, 11, 23)) == (
        datetime.date(2026, 10, 1), datetime.date(2027, 1, 1),
    )  # fmt: skip
    assert previous_period("quarterly", datetime.date(2026, 1, 1)) == (
        datetime.date(2025, 10, 1), datetime.date(2026, 1, 1),
    )  # fmt: skip
    assert previous_period("yearly", datetime.date(2027, 1, 1)) == (
        datetime.date(2026, 1, 1), datetime.date(2027, 1, 1),
    )  # fmt: skip
    assert previous_period("monthly", datetime.date(2026, 1, 1))[0] == datetime.date(2025, 12, 1)


# --- a real worker ----------------------------------------------------------------------------


def test_a_duplicate_enqueue_gives_one_current_report(
    celery_worker: Any, facility_a: Any, finished: list[tuple[str, str]]
) -> None:
    for _ in range(3):  # a double click and a retry from the web request
        tasks.generate_report.delay(facility_a.pk, "monthly", OCTOBER.isoformat())
    wait_for(lambda: runs(finished) >= 3)
    report = Report.objects.get()
    assert (report.current, report.version, report.status) == (True, 1, ReportStatus.READY)
    assert AuditEntry.objects.filter(action="reports.report.generated").count() == 1


def test_a_second_beat_firing_gives_one_current_report_per_facility(
    celery_worker: Any, facility_a: Any, facility_b: Any, finished: list[tuple[str, str]]
) -> None:
    tasks.queue_reports.delay(kind="monthly")
    tasks.queue_reports.delay(kind="monthly")
    wait_for(lambda: runs(finished) >= 4)
    start = previous_period("monthly", datetime.date.today())[0]
    current = Report.objects.filter(current=True)
    assert sorted(current.values_list("facility_id", "period_start", "version")) == [
        (facility_a.pk, start, 1),
        (facility_b.pk, start, 1),
    ]
    assert Report.objects.count() == 2


def test_a_failed_render_is_retried_and_gives_one_report(
    celery_worker: Any, facility_a: Any, finished: list[tuple[str, str]], monkeypatch: Any
) -> None:
    real, calls = services.render, []

    def flaky(report: Report) -> bytes:
        calls.append(report.pk)
        if len(calls) == 1:
            raise OSError("font cache busy")
        return real(report)

    monkeypatch.setattr(services, "render", flaky)
    tasks.generate_report.delay(facility_a.pk, "monthly", OCTOBER.isoformat())
    wait_for(lambda: runs(finished) == 1)
    assert runs(finished, "RETRY") == 1
    report = Report.objects.get()
    assert (report.version, report.status, report.current) == (1, ReportStatus.READY, True)
    assert report.file.read(4) == b"%PDF"


def test_generate_now_queues_after_commit_and_the_page_polls_until_ready(
    celery_worker: Any,
    facility_a: Any,
    members: dict[str, Any],
    finished: list[tuple[str, str]],
) -> None:
    client = Client()
    client.force_login(members["warden"])
    response = client.post(
        reverse("reports:archive"),
        {"facility": facility_a.pk, "kind": "monthly", "period": "10-2026"},
    )
    report = Report.objects.get()
    assert response["Location"] == report.get_absolute_url()
    wait_for(lambda: runs(finished) == 1)
    partial = client.get(report.get_absolute_url(), headers={"HX-Request": "true"})
    html = partial.content.decode()
    assert "hx-trigger" not in html and "Unduh PDF" in html and "<html" not in html
    client.post(reverse("reports:archive"), {"facility": facility_a.pk, "kind": "monthly",
                                              "period": "10-2026"})  # fmt: skip
    wait_for(lambda: runs(finished) == 2)
    assert Report.objects.count() == 1


@pytest.mark.django_db
def test_a_sign_off_that_fails_after_the_file_step_leaves_the_unsigned_file_and_state(
    facility_a: Any,
    members: dict[str, Any],
    django_capture_on_commit_callbacks: Any,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        report = services.report_generate(facility_id=facility_a.pk, kind="monthly", start=OCTOBER)
    path = Path(report.file.path)
    unsigned = path.read_bytes()
    real_record = services.audit.record

    def record_fails(**kwargs: Any) -> Any:
        if kwargs["action"] == "reports.report.signed":
            raise RuntimeError("the audit table is gone")
        return real_record(**kwargs)

    monkeypatch.setattr(services.audit, "record", record_fails)
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError):
        services.report_sign(
            report=report,
            by=members["warden"],
            narrative="Baik.",
            sign=True,
            expected_revision=report.revision,
        )
    report.refresh_from_db()
    assert report.status == ReportStatus.READY and report.signed_by is None
    assert report.narrative == ""
    assert path.read_bytes() == unsigned
    assert [p.name for p in path.parent.iterdir()] == [path.name]  # no partial file left

    monkeypatch.setattr(services.audit, "record", real_record)
    with django_capture_on_commit_callbacks(execute=True):
        services.report_sign(
            report=report,
            by=members["warden"],
            narrative="Baik.",
            sign=True,
            expected_revision=report.revision,
        )
    report.refresh_from_db()
    assert report.status == ReportStatus.SIGNED
    assert path.read_bytes() != unsigned and path.read_bytes()[:4] == b"%PDF"


def test_a_bug_fails_the_report_at_once_without_a_retry(
    celery_worker: Any, facility_a: Any, finished: list[tuple[str, str]], monkeypatch: Any
) -> None:
    def buggy(report: Report) -> bytes:
        raise ValueError("a template bug")

    monkeypatch.setattr(services, "render", buggy)
    services.report_request(facility=facility_a, kind="monthly", start=OCTOBER, by=None)
    tasks.generate_report.delay(facility_a.pk, "monthly", OCTOBER.isoformat())
    wait_for(lambda: runs(finished, "FAILURE") == 1)
    assert runs(finished, "RETRY") == 0
    report = Report.objects.get()
    assert report.status == ReportStatus.FAILED and "a template bug" in report.error


@pytest.mark.django_db
def test_the_last_retry_of_a_transient_error_marks_the_report_failed(
    facility_a: Any, monkeypatch: Any
) -> None:
    seen = []

    def busy(report: Report) -> bytes:
        seen.append(Report.objects.get().status)
        raise OSError("font cache busy")

    monkeypatch.setattr(services, "render", busy)
    services.report_request(facility=facility_a, kind="monthly", start=OCTOBER, by=None)
    # Run here (a worker would wait 2 + 4 + 8 s between the attempts): eager retries run inline.
    tasks.generate_report.apply(args=(facility_a.pk, "monthly", OCTOBER.isoformat()))
    assert seen == [ReportStatus.QUEUED] * 4  # the first attempt and max_retries=3
    report = Report.objects.get()
    assert report.status == ReportStatus.FAILED and "font cache busy" in report.error


# --- reports whose task was lost --------------------------------------------------------------


@pytest.mark.django_db
def test_a_report_queued_past_the_limit_is_stuck_and_a_fresh_one_is_not(
    facility_a: Any, facility_b: Any, clock: Any
) -> None:
    old = services.report_request(facility=facility_a, kind="monthly", start=OCTOBER, by=None)
    clock.shift(datetime.timedelta(minutes=6))
    services.report_request(facility=facility_b, kind="monthly", start=OCTOBER, by=None)
    services.report_generate(facility_id=facility_b.pk, kind="monthly", start=OCTOBER)
    fresh = services.report_request(facility=facility_a, kind="quarterly", start=OCTOBER, by=None)
    clock.shift(datetime.timedelta(minutes=5))
    limit = datetime.timedelta(minutes=10)
    assert services.reports_stuck(older_than=limit) == [old]  # not the ready one of B
    assert {r.pk for r in services.reports_stuck(older_than=datetime.timedelta(0))} == {
        old.pk, fresh.pk,
    }  # fmt: skip


@pytest.mark.django_db
def test_a_report_queued_for_a_day_is_given_up_and_can_be_asked_for_again(
    facility_a: Any, clock: Any
) -> None:
    services.report_request(facility=facility_a, kind="monthly", start=OCTOBER, by=None)
    clock.shift(services.GIVE_UP_AFTER + datetime.timedelta(minutes=1))
    assert services.reports_stuck(older_than=datetime.timedelta(minutes=10)) == []
    report = Report.objects.get()
    assert report.status == ReportStatus.FAILED and "given up" in report.error
    again = services.report_request(facility=facility_a, kind="monthly", start=OCTOBER, by=None)
    assert (again.pk, again.status, again.requested_at) == (
        report.pk, ReportStatus.QUEUED, timezone.now(),
    )  # fmt: skip
    assert services.reports_stuck(older_than=datetime.timedelta(minutes=10)) == []


def test_beat_queues_again_a_report_stuck_past_the_limit(
    celery_worker: Any, facility_a: Any, facility_b: Any, finished: list[tuple[str, str]]
) -> None:
    # Both were asked for and their tasks lost (a worker killed holding them); only A's has
    # waited past the limit.
    stuck = services.report_request(facility=facility_a, kind="monthly", start=OCTOBER, by=None)
    Report.objects.filter(pk=stuck.pk).update(
        requested_at=timezone.now() - datetime.timedelta(minutes=11)
    )
    services.report_request(facility=facility_b, kind="monthly", start=OCTOBER, by=None)
    tasks.requeue_stuck_reports.delay()
    wait_for(lambda: runs(finished) == 1)
    assert dict(Report.objects.values_list("facility_id", "status")) == {
        facility_a.pk: ReportStatus.READY, facility_b.pk: ReportStatus.QUEUED,
    }  # fmt: skip


def test_a_starting_worker_produces_the_report_a_dead_one_was_holding(
    celery_worker: Any, facility_a: Any, finished: list[tuple[str, str]]
) -> None:
    services.report_request(facility=facility_a, kind="monthly", start=OCTOBER, by=None)
    # What `celery worker` sends once it consumes (the test worker does not send it itself).
    worker_ready.send(sender=None)
    wait_for(lambda: runs(finished) == 1)
    report = Report.objects.get()
    assert (report.status, report.version, report.current) == (ReportStatus.READY, 1, True)


def test_the_stuck_report_recovery_runs_every_few_minutes() -> None:
    [entry] = [
        e for e in settings.CELERY_BEAT_SCHEDULE.values()
        if e["task"] == "reports.tasks.requeue_stuck_reports"
    ]  # fmt: skip
    assert float(entry["schedule"]) <= 5 * 60
    assert tasks.requeue_stuck_reports.name in tasks.requeue_stuck_reports.app.tasks


# --- screens ----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_queued_report_page_polls(
    client: Client, facility_a: Any, members: dict[str, Any]
) -> None:
    report = services.report_request(facility=facility_a, kind="monthly", start=OCTOBER, by=None)
    client.force_login(members["staff"])
    html = client.get(report.get_absolute_url()).content.decode()
    assert 'hx-trigger="every 2s"' in html and "sedang dibuat" in html


@pytest.mark.django_db
def test_bad_period_input_is_named_beside_the_field(
    client: Client, facility_a: Any, members: dict[str, Any]
) -> None:
    client.force_login(members["staff"])
    for period, message in [
        ("Oktober", "Tulis periode sebagai bulan-tahun"),
        ("11-2026", "Periode ini belum selesai"),
        ("01-2027", "tidak boleh di masa depan"),
    ]:
        response = client.post(
            reverse("reports:archive"),
            {"facility": facility_a.pk, "kind": "monthly", "period": period},
        )
        assert response.status_code == 200
        page = response.content.decode()
        assert message in page and f'value="{period}"' in page
    assert not Report.objects.exists()


@pytest.mark.django_db
def test_the_warden_writes_the_narrative_and_signs(
    client: Client, facility_a: Any, members: dict[str, Any], fed_html: list[str]
) -> None:
    fed = fed_html
    report = services.report_generate(facility_id=facility_a.pk, kind="monthly", start=OCTOBER)
    client.force_login(members["warden"])
    url = reverse("reports:sign", args=[report.pk])
    client.post(url, {"narrative": "Kehadiran naik berkat jadwal pagi.", "version": "1"})
    report.refresh_from_db()
    assert report.status == ReportStatus.READY and "jadwal pagi" in fed[-1]
    client.post(
        url, {"narrative": "Kehadiran naik berkat jadwal pagi.", "sign": "1", "version": "2"}
    )
    report.refresh_from_db()
    assert (report.status, report.signed_by) == (ReportStatus.SIGNED, members["warden"])
    assert "jadwal pagi" in fed[-1]
    page = client.post(url, {"narrative": "Diubah", "version": "3"}, follow=True).content.decode()
    assert "sudah ditandatangani" in page
    report.refresh_from_db()
    assert report.narrative == "Kehadiran naik berkat jadwal pagi."
    assert client.get(reverse("today")).content.decode().count("menunggu tanda tangan") == 0


@pytest.mark.django_db
def test_every_download_is_in_the_access_log(
    client: Client,
    facility_a: Any,
    members: dict[str, Any],
    django_capture_on_commit_callbacks: Any,
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        report = services.report_generate(facility_id=facility_a.pk, kind="monthly", start=OCTOBER)
    client.force_login(members["supervisor"])
    for fmt, action in [("pdf", "pdf.download"), ("xlsx", "report.xlsx"), ("csv", "report.csv")]:
        response = client.get(reverse("reports:download", args=[report.pk, fmt]))
        assert response.status_code == 200
        assert AccessLog.objects.filter(user=members["supervisor"], action=action).count() == 1
    client.force_login(members["counselor"])
    assert client.get(reverse("reports:recap", args=[report.pk])).status_code == 200
    assert AccessLog.objects.filter(action="report.recap").count() == 1


@pytest.mark.django_db
def test_the_archive_and_rollup_query_counts_do_not_grow(
    client: Client,
    facility_a: Any,
    facility_b: Any,
    members: dict[str, Any],
    django_assert_num_queries: Any,
) -> None:
    from rehab.models import Membership

    Membership.objects.create(user=members["supervisor"], facility=facility_b, role="supervisor")
    client.force_login(members["supervisor"])
    client.get(reverse("today"))
    services.report_generate(facility_id=facility_a.pk, kind="monthly", start=OCTOBER)
    with django_assert_num_queries(8):
        client.get(reverse("reports:archive"))
    with django_assert_num_queries(8):
        page = client.get(reverse("reports:rollup") + "?periode=10-2026").content.decode()
    assert "belum dibuat" in page  # facility B has no report yet
    for month in (7, 8, 9):
        services.report_generate(
            facility_id=facility_b.pk, kind="monthly", start=datetime.date(2026, month, 1)
        )
    services.report_generate(facility_id=facility_b.pk, kind="monthly", start=OCTOBER)
    with django_assert_num_queries(8):
        client.get(reverse("reports:archive"))
    with django_assert_num_queries(8):
        page = client.get(reverse("reports:rollup") + "?periode=10-2026").content.decode()
    assert "belum dibuat" not in page


@pytest.mark.django_db
def test_the_command_prints_the_path_of_each_file(facility_a: Any, capsys: Any) -> None:
    call_command("generate_reports", "--facility", facility_a.code, "--kind", "monthly",
                 "--period", "2026-10")  # fmt: skip
    report = Report.objects.get()
    assert report.file.path in capsys.readouterr().out
    call_command("generate_reports", "--all", "--period", "2026-10")
    assert Report.objects.count() == 1


@pytest.mark.django_db
def test_the_schedule_runs_at_six_on_the_first_in_each_time_zone() -> None:
    # A test with a live worker flushes the tables the migration filled: fill them again (the
    # migration is idempotent).
    schedule = importlib.import_module("reports.migrations.0002_report_schedule")
    schedule.forwards(django_apps, None)
    tasks_ = PeriodicTask.objects.filter(task="reports.tasks.queue_reports")
    monthly = tasks_.get(name="Laporan bulanan (WITA)")
    assert (monthly.crontab.hour, monthly.crontab.minute, monthly.crontab.day_of_month) == (
        "6", "0", "1",
    )  # fmt: skip
    assert str(monthly.crontab.timezone) == "Asia/Makassar"
    assert '"monthly"' in monthly.kwargs
    assert tasks_.count() == 9
