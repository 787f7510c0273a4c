"""Every report PDF on A4 and on F4 (the facility's paper by default, F4 unless it chose A4; any
print may ask for the other with ?size=), and the signature block: the warden's name, rank/grade
and NIP from their profile, after the town of the facility, not its regency."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from rehab.models import Profile
from reports import services
from reports.models import ReportKind
from tests.rehab.test_pdf import page_sizes_mm

A4, F4 = (210.0, 297.0), (215.0, 330.0)
PERIODS: dict[str, datetime.date] = {
    ReportKind.MONTHLY: datetime.date(2026, 10, 1),
    ReportKind.QUARTERLY: datetime.date(2026, 7, 1),
    ReportKind.YEARLY: datetime.date(2025, 1, 1),
}

pytestmark = pytest.mark.django_db


@pytest.fixture
def warden(members: dict[str, Any]) -> Any:
    user = members["warden"]
    user.first_name, user.last_name = "Andi", "Syamsuddin"
    user.save()
    Profile.objects.create(user=user, rank="Pembina (IV/a)", nip="197604122000031002")
    return user


@pytest.fixture
def town(facility_a: Any) -> Any:
    facility_a.town = "Tanah Grogot"  # regency: Kabupaten Paser
    facility_a.save(update_fields=["town"])
    return facility_a


def generate(facility: Any, kind: str, capture: Any) -> Any:
    with capture(execute=True):
        return services.report_generate(facility_id=facility.pk, kind=kind, start=PERIODS[kind])


def sizes(client: Client, url: str) -> set[tuple[float, float]]:
    response = client.get(url)
    assert response.status_code == 200, url
    assert response["Content-Type"] == "application/pdf"
    return set(page_sizes_mm(response.content))


@pytest.mark.parametrize("kind", list(PERIODS))
def test_every_report_pdf_prints_on_the_facility_s_paper_and_on_a4_or_f4_when_asked(
    client: Client,
    facility_a: Any,
    members: dict[str, Any],
    kind: str,
    django_capture_on_commit_callbacks: Any,
) -> None:
    report = generate(facility_a, kind, django_capture_on_commit_callbacks)
    client.force_login(members["staff"])
    url = reverse("reports:download", args=[report.pk, "pdf"])
    assert sizes(client, url) == {F4}  # the stored file, on the facility's default paper
    assert sizes(client, f"{url}?size=A4") == {A4}
    assert sizes(client, f"{url}?size=F4") == {F4}


def test_a_facility_on_a4_gets_its_reports_on_a4(
    client: Client,
    facility_a: Any,
    members: dict[str, Any],
    django_capture_on_commit_callbacks: Any,
) -> None:
    facility_a.paper_size = "A4"
    facility_a.save(update_fields=["paper_size"])
    report = generate(facility_a, ReportKind.MONTHLY, django_capture_on_commit_callbacks)
    client.force_login(members["staff"])
    url = reverse("reports:download", args=[report.pk, "pdf"])
    assert sizes(client, url) == {A4}
    assert sizes(client, f"{url}?size=F4") == {F4}


def test_the_rollup_pdf_prints_on_a4_and_f4(
    client: Client,
    facility_a: Any,
    members: dict[str, Any],
    django_capture_on_commit_callbacks: Any,
) -> None:
    generate(facility_a, ReportKind.MONTHLY, django_capture_on_commit_callbacks)
    client.force_login(members["supervisor"])
    url = f"{reverse('reports:rollup_pdf')}?periode=10-2026"
    landscape_a4, landscape_f4 = A4[::-1], F4[::-1]  # the roll-up's table is wide
    assert sizes(client, url) == {landscape_f4}
    assert sizes(client, f"{url}&size=A4") == {landscape_a4}
    assert sizes(client, f"{url}&size=F4") == {landscape_f4}


def test_the_report_signature_names_the_town_rank_and_nip_of_the_warden(
    client: Client, town: Any, warden: Any, fed_html: list[str]
) -> None:
    report = services.report_generate(
        facility_id=town.pk, kind=ReportKind.MONTHLY, start=PERIODS[ReportKind.MONTHLY]
    )
    html = fed_html[-1]
    assert "Tanah Grogot, ..." in html and "Kabupaten Paser, ..." not in html
    assert "Andi Syamsuddin" in html
    assert "Pembina (IV/a)" in html and "NIP. 197604122000031002" in html

    client.force_login(warden)
    client.post(
        reverse("reports:sign", args=[report.pk]),
        {"narrative": "Sesuai.", "sign": "1", "version": "1"},
    )
    signed = fed_html[-1]
    assert "Tanah Grogot, 20 November 2026" in signed
    assert "Kabupaten Paser, 20 November 2026" not in signed
    assert "NIP. 197604122000031002" in signed


def test_without_a_profile_the_signature_leaves_the_nip_to_fill_in(
    facility_a: Any, members: dict[str, Any], fed_html: list[str]
) -> None:
    services.report_generate(
        facility_id=facility_a.pk, kind=ReportKind.QUARTERLY, start=PERIODS[ReportKind.QUARTERLY]
    )
    html = fed_html[-1]
    assert "NIP. ......" in html
    assert "Kabupaten Paser, ..." in html  # no town set: the regency stands in


def test_the_report_page_offers_the_other_paper(
    client: Client, facility_a: Any, members: dict[str, Any]
) -> None:
    report = services.report_generate(
        facility_id=facility_a.pk, kind=ReportKind.MONTHLY, start=PERIODS[ReportKind.MONTHLY]
    )
    client.force_login(members["staff"])
    pdf_url = reverse("reports:download", args=[report.pk, "pdf"])
    page = client.get(report.get_absolute_url()).content.decode()
    assert f'href="{pdf_url}?size=A4"' in page and "?size=F4" not in page  # F4 is the default
    facility_a.paper_size = "A4"
    facility_a.save(update_fields=["paper_size"])
    page = client.get(report.get_absolute_url()).content.decode()
    assert f'href="{pdf_url}?size=F4"' in page
