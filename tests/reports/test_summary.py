"""Stored monthly summaries (reports/summary.py): the roll-up, the trend and the supervisor's
today page read them, and their numbers are the monthly reports' numbers."""

from __future__ import annotations

import datetime
from io import StringIO
from typing import Any

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from rehab.models import AuditEntry, Facility, Membership
from reports import indicators, services, summary, tasks
from reports.models import MonthlySummary, Report
from reports.views import HEADLINES, ROLLUP_COLUMNS
from tests.factories import (
    FacilityFactory,
    InmateFactory,
    MembershipFactory,
    ScreeningFactory,
    UserFactory,
)

AUGUST, SEPTEMBER, OCTOBER = (datetime.date(2026, m, 1) for m in (8, 9, 10))


def generate(facility: Facility, start: datetime.date, captured: Any) -> Report:
    """Make the monthly report through the normal path (the service the task calls)."""
    with captured(execute=True):
        return services.report_generate(facility_id=facility.pk, kind="monthly", start=start)


def rollup(client: Client, start: datetime.date) -> Any:
    response = client.get(f"{reverse('reports:rollup')}?periode={start:%m-%Y}")
    assert response.status_code == 200
    return response


# --- the numbers equal the reports' -------------------------------------------------------------


def test_a_correction_before_the_signature_reaches_the_rollup_and_after_it_does_not(
    facility_a: Any,
    members: dict[str, Any],
    client: Client,
    django_capture_on_commit_callbacks: Any,
) -> None:
    InmateFactory(facility=facility_a, admission_date=datetime.date(2026, 10, 5))
    generate(facility_a, OCTOBER, django_capture_on_commit_callbacks)
    client.force_login(members["supervisor"])
    assert rollup(client, OCTOBER).context["totals"]["admitted"] == 1
    InmateFactory(facility=facility_a, admission_date=datetime.date(2026, 10, 6))
    second = generate(facility_a, OCTOBER, django_capture_on_commit_callbacks)
    assert second.version == 2
    assert rollup(client, OCTOBER).context["totals"]["admitted"] == 2
    with django_capture_on_commit_callbacks(execute=True):
        services.report_sign(
            report=second, by=members["warden"], narrative="", sign=True,
            expected_revision=second.revision,
        )  # fmt: skip
    InmateFactory(facility=facility_a, admission_date=datetime.date(2026, 10, 7))
    assert generate(facility_a, OCTOBER, django_capture_on_commit_callbacks).version == 2
    summary.refresh(facility_a.pk, 2026, 10)  # also from beat or the button: the signed copy
    page = rollup(client, OCTOBER)
    assert page.context["totals"]["admitted"] == 2
    assert page.context["rows"][0]["report"].is_signed


def test_a_report_made_before_summaries_existed_is_copied_by_the_rollup(
    facility_a: Any,
    members: dict[str, Any],
    client: Client,
    django_capture_on_commit_callbacks: Any,
) -> None:
    InmateFactory(facility=facility_a, admission_date=datetime.date(2026, 10, 5))
    report = generate(facility_a, OCTOBER, django_capture_on_commit_callbacks)
    MonthlySummary.objects.all().delete()
    client.force_login(members["supervisor"])
    assert rollup(client, OCTOBER).context["totals"]["admitted"] == 1
    stored = MonthlySummary.objects.get()
    assert stored.report_id == report.pk
    assert stored.figures == report.figures["indicators"]


def test_a_report_without_the_rollups_figures_shows_none_of_them_rather_than_none(
    facility_a: Any, members: dict[str, Any], client: Client
) -> None:
    """A report whose figures hold none of the roll-up's families: its row says the figures
    are not there ("belum dibuat"), never "None" in every cell."""
    Report.objects.create(facility=facility_a, kind="monthly", period_start=OCTOBER,
                          period_end=datetime.date(2026, 11, 1), status="ready",
                          figures={"indicators": {}})  # fmt: skip
    client.force_login(members["supervisor"])
    page = rollup(client, OCTOBER).content.decode()
    assert facility_a.name in page and "None" not in page
    assert "belum dibuat" in page


# --- what it costs ------------------------------------------------------------------------------


def supervisor_with_reports(count: int, captured: Any) -> Any:
    user = UserFactory()
    for _ in range(count):
        facility = FacilityFactory()
        MembershipFactory(user=user, facility=facility, role="supervisor")
        InmateFactory(facility=facility, admission_date=datetime.date(2026, 10, 5))
        generate(facility, OCTOBER, captured)
    return user


def queries_of(client: Client, user: Any, url: str) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(user)
    client.get(url)  # the session and caches warm, as on a second request
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.django_db
def test_the_rollup_costs_the_same_queries_for_two_facilities_as_for_six(
    client: Client, django_capture_on_commit_callbacks: Any, django_assert_num_queries: Any
) -> None:
    url = f"{reverse('reports:rollup')}?periode=10-2026"
    two = supervisor_with_reports(2, django_capture_on_commit_callbacks)
    six = supervisor_with_reports(6, django_capture_on_commit_callbacks)
    # session, user, memberships, session save (3 by the middleware); facilities; the reports
    # with their stored copies
    assert queries_of(client, two, url) == ROLLUP_QUERIES
    with django_assert_num_queries(ROLLUP_QUERIES):
        page = client.get(url)
    assert queries_of(client, six, url) == ROLLUP_QUERIES
    assert page.context["totals"]["reports"] == 2


ROLLUP_QUERIES = 8


def test_the_trend_reads_a_reported_month_from_its_report_and_counts_the_others(
    facility_a: Any, django_capture_on_commit_callbacks: Any, django_assert_num_queries: Any
) -> None:
    InmateFactory(facility=facility_a, admission_date=datetime.date(2026, 3, 5))
    InmateFactory(facility=facility_a, admission_date=datetime.date(2026, 10, 5))
    # No report yet: every month counted from the raw rows (copies, reports, indicators.trend).
    with django_assert_num_queries(8):
        counted = summary.trend(facility_a.pk, 2026, 10, 12)
    assert counted == indicators.trend(facility_a.pk, 2026, 10, 12)
    assert [t["month"] for t in counted] == [11, 12, *range(1, 11)]
    generate(facility_a, SEPTEMBER, django_capture_on_commit_callbacks)
    # A screening of September typed in after its report: the report's number stands.
    ScreeningFactory(
        inmate=InmateFactory(facility=facility_a), interviewed_on=datetime.date(2026, 9, 10)
    )
    stored = {(t["year"], t["month"]): t for t in summary.trend(facility_a.pk, 2026, 10, 12)}
    raw = {(t["year"], t["month"]): t for t in indicators.trend(facility_a.pk, 2026, 10, 12)}
    assert stored[(2026, 9)]["screened"] == 0 and raw[(2026, 9)]["screened"] == 1
    assert stored[(2026, 10)] == raw[(2026, 10)]


@pytest.mark.django_db
def test_the_trend_costs_one_query_once_every_month_has_its_report(
    facility_a: Any, django_assert_num_queries: Any
) -> None:
    InmateFactory(facility=facility_a, admission_date=datetime.date(2026, 3, 5))
    for year, month in [(2025, 11), (2025, 12), *((2026, m) for m in range(1, 11))]:
        start = datetime.date(year, month, 1)
        figures = indicators.monthly_figures(facility_a.pk, year, month)
        report = Report.objects.create(
            facility=facility_a, kind="monthly", period_start=start,
            period_end=indicators.month_period(year, month)[1], status="ready",
            figures={"indicators": figures},
        )  # fmt: skip
        summary.from_report(report)
    with django_assert_num_queries(1):
        stored = summary.trend(facility_a.pk, 2026, 10, 12)
    assert stored == indicators.trend(facility_a.pk, 2026, 10, 12)
    assert stored[4]["screened"] == 0 and sum(t["released"] for t in stored) == 0


# --- refreshing ---------------------------------------------------------------------------------


@pytest.mark.django_db
def test_refresh_is_idempotent_and_stores_what_monthly_figures_returns(facility_a: Any) -> None:
    InmateFactory(facility=facility_a, admission_date=datetime.date(2026, 10, 5))
    summary.refresh(facility_a.pk, 2026, 10)
    summary.refresh(facility_a.pk, 2026, 10)
    stored = MonthlySummary.objects.get()
    assert stored.figures == indicators.monthly_figures(facility_a.pk, 2026, 10)
    assert stored.report is None and stored.is_provisional
    assert stored.schema_version == indicators.SCHEMA_VERSION


def test_a_counted_summary_is_counted_again_once_it_is_older_than_the_limit(
    facility_a: Any, clock: Any
) -> None:
    summary.refresh(facility_a.pk, 2026, 11)
    InmateFactory(facility=facility_a, admission_date=datetime.date(2026, 11, 3))

    def admitted() -> int:
        summary.fill([facility_a.pk], 2026, 11, limit=5)
        return MonthlySummary.objects.get(month=11).figures["admissions"]["admitted"]

    assert admitted() == 0  # counted a moment ago: shown as it is, with its time
    clock.shift(datetime.timedelta(minutes=settings.REPORT_SUMMARY_MAX_AGE_MINUTES + 1))
    assert admitted() == 1


def test_beat_counts_the_month_so_far_of_every_active_facility(
    facility_a: Any, facility_b: Any
) -> None:
    assert "reports.tasks.refresh_current_summaries" in {
        entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()
    }
    # 20 November: November so far, and October too as long as it has no report.
    assert tasks.refresh_current_summaries() == 2 * Facility.objects.filter(active=True).count()
    stored = MonthlySummary.objects.filter(facility__in=[facility_a, facility_b])
    assert sorted(stored.values_list("month", flat=True)) == [10, 10, 11, 11]


def test_the_command_stores_the_month_of_one_facility_or_of_all(
    facility_a: Any, facility_b: Any
) -> None:
    out = StringIO()
    call_command("refresh_summaries", "--year", "2026", "--month", "10",
                 "--facility", facility_a.code, stdout=out)  # fmt: skip
    assert f"{facility_a.code} 10-2026: counted" in out.getvalue()
    call_command("refresh_summaries", "--year", "2026", "--month", "10", stdout=StringIO())
    stored = MonthlySummary.objects.filter(year=2026, month=10)
    assert stored.count() == Facility.objects.filter(active=True).count()


def test_a_supervisor_counts_the_summaries_again_from_the_rollup(
    facility_a: Any,
    facility_b: Any,
    members: dict[str, Any],
    client: Client,
    monkeypatch: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    Membership.objects.create(user=members["supervisor"], facility=facility_b, role="supervisor")
    queued: list[tuple[Any, ...]] = []
    monkeypatch.setattr(tasks.refresh_summaries, "delay", lambda *args: queued.append(args))
    client.force_login(members["supervisor"])
    page = rollup(client, OCTOBER).content.decode()
    assert reverse("reports:rollup_refresh") in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("reports:rollup_refresh"), {"period": "10-2026"})
    assert response.status_code == 302 and response["Location"].endswith("?periode=10-2026")
    assert queued == [([facility_a.pk, facility_b.pk], 2026, 10)]
    entries = AuditEntry.objects.filter(action="reports.summary.refreshed")
    assert {e.facility_id for e in entries} == {facility_a.pk, facility_b.pk}
    assert all(e.actor == members["supervisor"] for e in entries)
    assert tasks.refresh_summaries(*queued[0]) == 2
    assert MonthlySummary.objects.filter(month=10).count() == 2


def test_a_bad_or_empty_period_is_refused_beside_the_button(
    facility_a: Any, members: dict[str, Any], client: Client, monkeypatch: Any
) -> None:
    monkeypatch.setattr(tasks.refresh_summaries, "delay", lambda *args: None)
    client.force_login(members["supervisor"])
    for data in ({}, {"period": "13-2026"}, {"period": "x" * 500}, {"period": "12-2030"}):
        response = client.post(reverse("reports:rollup_refresh"), data)
        assert response.status_code == 200
        assert "invalid-feedback" in response.content.decode()
    assert not AuditEntry.objects.filter(action="reports.summary.refreshed").exists()


@pytest.mark.parametrize("role", ["staff", "counselor", "health", "warden", "admin"])
def test_only_supervisors_may_count_the_summaries_again(
    facility_a: Any, members: dict[str, Any], client: Client, role: str
) -> None:
    client.force_login(members[role])
    response = client.post(reverse("reports:rollup_refresh"), {"period": "10-2026"})
    assert response.status_code == 403
    assert not AuditEntry.objects.filter(action="reports.summary.refreshed").exists()


# --- the supervisor's today page ----------------------------------------------------------------


def test_the_supervisors_today_page_shows_the_stored_summaries_not_the_custody_counts(
    facility_a: Any,
    members: dict[str, Any],
    client: Client,
    django_capture_on_commit_callbacks: Any,
) -> None:
    InmateFactory(facility=facility_a, admission_date=datetime.date(2026, 10, 5))
    InmateFactory(facility=facility_a, admission_date=datetime.date(2026, 11, 3))
    generate(facility_a, OCTOBER, django_capture_on_commit_callbacks)
    client.force_login(members["supervisor"])
    page = client.get(reverse("today")).content.decode()
    assert "Ringkasan 1 UPT" in page and "Bulan ini sampai sekarang" in page
    assert "dari laporan 1 dari 1 UPT" in page
    assert "Masuk 30 hari terakhir" not in page  # the custody counts: facility roles only
    assert MonthlySummary.objects.filter(facility=facility_a, month=11, report=None).exists()
    client.force_login(members["staff"])
    page = client.get(reverse("today")).content.decode()
    assert "Masuk 30 hari terakhir" in page and "Bulan ini sampai sekarang" not in page


# --- the demo data (last: the seeded fixture lives until the end of the module) ---------------


def test_the_rollup_and_the_trend_show_the_monthly_reports_numbers_on_the_demo_data(
    seeded: str, db: Any, client: Client, django_capture_on_commit_callbacks: Any
) -> None:
    demo = list(Facility.objects.filter(code__in=["tanah-grogot", "banjarnegara"]))
    assert len(demo) == 2
    supervisor = get_user_model().objects.get(username="supervisor.kaltim")
    for facility in demo:
        Membership.objects.get_or_create(user=supervisor, facility=facility, role="supervisor")
    reports = {
        (f.pk, start): generate(f, start, django_capture_on_commit_callbacks)
        for f in demo
        for start in (AUGUST, SEPTEMBER, OCTOBER)
    }
    client.force_login(supervisor)
    page = rollup(client, OCTOBER)
    rows = {row["facility"].pk: row for row in page.context["rows"]}
    assert set(rows) == {f.pk for f in demo}
    for facility in demo:
        frozen = reports[(facility.pk, OCTOBER)].figures["indicators"]
        assert rows[facility.pk]["report"].pk == reports[(facility.pk, OCTOBER)].pk
        for family, key in ROLLUP_COLUMNS:
            assert rows[facility.pk]["figures"][family][key] == frozen[family][key]
    for total, family, key in HEADLINES:
        by_report = sum(
            reports[(f.pk, OCTOBER)].figures["indicators"][family][key] or 0 for f in demo
        )
        assert page.context["totals"][total] == by_report
    assert page.context["totals"]["admitted"] > 0  # the demo has data in the month
    assert f">{page.context['totals']['admitted']}<" in page.content.decode()
    for facility in demo:
        # The trend in October's report: each month equals that month's report.
        trend = {
            (t["year"], t["month"]): t for t in reports[(facility.pk, OCTOBER)].figures["trend"]
        }
        for start in (AUGUST, SEPTEMBER, OCTOBER):
            month = reports[(facility.pk, start)].figures["indicators"]
            assert trend[(start.year, start.month)] == summary.headline(
                start.year, start.month, month
            )
        # Read again from the summaries, and counted from the raw rows: the same numbers.
        stored = summary.trend(facility.pk, 2026, 10, 12)
        assert stored == reports[(facility.pk, OCTOBER)].figures["trend"]
        assert stored == indicators.trend(facility.pk, 2026, 10, 12)
