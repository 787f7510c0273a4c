"""Two wardens writing one report's narrative: the second save over an older page answers 409,
names who saved and when, shows the stored narrative, keeps what was typed, and neither saves
nor signs."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.urls import reverse

from reports import services
from reports.models import Report, ReportStatus
from tests.conflicts import MISSING_VERSION, race, two_editors

pytestmark = pytest.mark.django_db

OCTOBER = datetime.date(2026, 10, 1)


@pytest.fixture
def report(facility_a: Any, fed_html: list[str]) -> Report:
    return services.report_generate(facility_id=facility_a.pk, kind="monthly", start=OCTOBER)


def test_the_second_warden_gets_a_conflict_and_nothing_is_saved_or_signed(
    clock: Any, facility_a: Any, report: Report
) -> None:
    ani, budi = two_editors(facility_a, "warden")
    response, fresh = race(
        clock=clock,
        form_url=reverse("reports:detail", args=[report.pk]),
        post_url=reverse("reports:sign", args=[report.pk]),
        ani=ani,
        budi=budi,
        first=lambda v: {"version": v, "narrative": "Kehadiran naik berkat jadwal pagi."},
        second=lambda v: {"version": v, "narrative": "Dua WBP relaps.", "sign": "1"},
    )
    page = response.content.decode()
    assert "Dua WBP relaps." in page and "Kehadiran naik berkat jadwal pagi." in page
    report.refresh_from_db()
    assert (report.narrative, report.status) == (
        "Kehadiran naik berkat jadwal pagi.",
        ReportStatus.READY,
    )
    url = reverse("reports:sign", args=[report.pk])
    merged = "Kehadiran naik berkat jadwal pagi. Dua WBP relaps."
    assert budi.post(url, {"version": fresh, "narrative": merged, "sign": "1"}).status_code == 302
    report.refresh_from_db()
    assert (report.narrative, report.status) == (merged, ReportStatus.SIGNED)


def test_a_narrative_without_its_version_is_refused(facility_a: Any, report: Report) -> None:
    ani, _budi = two_editors(facility_a, "warden")
    url = reverse("reports:sign", args=[report.pk])
    response = ani.post(url, {"narrative": "Tanpa versi", "sign": "1"})
    assert response.status_code == 200 and MISSING_VERSION in response.content.decode()
    report.refresh_from_db()
    assert (report.narrative, report.status) == ("", ReportStatus.READY)
