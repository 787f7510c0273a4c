"""One definition table (reports.definitions) labels every figure: the PDF, the XLSX, the report
page and the roll-up show the same label for each figure key of a generated report, every key
has a definition, and the "Definisi" page and the PDF appendix list them (issue 16 point 2)."""

from __future__ import annotations

import datetime
import io
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils.html import escape
from openpyxl import load_workbook

from rehab.models import Membership
from reports import definitions, services
from reports.exports import report_csv, report_xlsx
from reports.models import Report, ReportKind
from tests.reports.test_indicators import build

NOVEMBER = datetime.date(2026, 11, 1)
Q3 = datetime.date(2026, 7, 1)
APPENDIX = '<section class="definitions">'

# November is over: its report can be made, from the demo-like November world of facility A.
pytestmark = pytest.mark.clock("2026-12-03T10:00+08:00")


@pytest.fixture
def november(facility_a: Any, facility_b: Any, members: dict[str, Any]) -> Any:
    build(facility_a, facility_b, members["counselor"])
    return facility_a


def generate(facility: Any, kind: str, start: datetime.date) -> Report:
    report = services.report_generate(facility_id=facility.pk, kind=kind, start=start)
    report.refresh_from_db()
    return report


def xlsx_labels(report: Report) -> set[str]:
    """Every label the workbook writes: sheet titles, indicators and each part of a detail."""
    book = load_workbook(io.BytesIO(report_xlsx(report)))
    found = set(book.sheetnames)
    for sheet in book.worksheets:
        for indicator, detail, *_rest in sheet.iter_rows(min_row=11, values_only=True):
            if indicator:
                found.add(str(indicator))
            if detail:
                found.update(str(detail).split(" · "))
    return found


@pytest.mark.parametrize(
    ("kind", "start"), [(ReportKind.MONTHLY, NOVEMBER), (ReportKind.QUARTERLY, Q3)]
)
def test_the_pdf_the_xlsx_and_the_report_page_show_the_table_s_label_for_every_figure(
    november: Any,
    members: dict[str, Any],
    client: Client,
    fed_html: list[str],
    kind: str,
    start: datetime.date,
) -> None:
    report = generate(november, kind, start)
    keys = list(definitions.figure_keys(report.figures))
    assert len(keys) > 20
    body, appendix = fed_html[-1].split(APPENDIX)
    in_xlsx = xlsx_labels(report)
    in_csv = report_csv(report)
    client.force_login(members["warden"])
    page = client.get(reverse("reports:detail", args=[report.pk])).content.decode()
    definitions_page = client.get(reverse("reports:definitions")).content.decode()

    for family, key in keys:
        term = definitions.get(family, key)  # KeyError: a figure without a definition
        label = escape(str(term.label))
        assert label in body, f"{family}.{key}: {term.label!r} not in the PDF"
        assert label in appendix and escape(str(term.definition)) in appendix
        assert str(term.label) in in_xlsx, f"{family}.{key}: {term.label!r} not in the XLSX"
        assert str(term.label) in in_csv
        assert label in definitions_page and escape(str(term.definition)) in definitions_page
        figure = report.figures.get("indicators", report.figures.get("outcomes", {}))
        value = figure.get(family, {}).get(key, {}) if family != "trend" else {}
        if not isinstance(value, dict | list):  # a single number: on the report page too
            assert f">{label}</abbr>" in page, f"{family}.{key} not on the report page"
    assert "Definisi angka" in appendix


def test_the_old_label_sources_are_gone_and_every_definition_is_complete() -> None:
    from reports import exports
    from reports.templatetags import report_tags

    assert not hasattr(report_tags, "LABELS") and not hasattr(report_tags, "DIAGNOSIS_LABELS")
    assert "Peserta baru" not in Path(exports.__file__).read_text(encoding="utf-8")
    for term in definitions.DEFINITIONS.values():
        assert term.family in definitions.FAMILY_TITLES
        assert str(term.label) and str(term.unit)
        assert str(term.definition).endswith("."), term.key
    # the rules of the indicators' docstrings are in the sentences people read
    rate = str(definitions.get("sessions", "attendance_rate").definition)
    assert "terlambat" in rate and "izin dihitung tidak hadir" in rate
    done = str(definitions.get("aftercare", "follow_ups_done").definition)
    assert "jatuh tempo yang sama" in done
    assert "Hanya tembakau" in str(definitions.get("screening", "by_substance").definition)
    assert "tingkat risiko tertinggi, lalu skor" in str(
        definitions.get("screening", "by_band").definition
    )


def test_the_roll_up_heads_its_columns_from_the_table(
    november: Any, members: dict[str, Any], client: Client, fed_html: list[str]
) -> None:
    generate(november, ReportKind.MONTHLY, NOVEMBER)
    client.force_login(members["supervisor"])
    page = client.get(reverse("reports:rollup") + "?periode=11-2026").content.decode()
    client.get(reverse("reports:rollup_pdf") + "?periode=11-2026")
    for family, key in [("admissions", "admitted"), ("sessions", "attendance_rate"),
                        ("aftercare", "follow_ups_made")]:  # fmt: skip
        term = definitions.get(family, key)
        assert f'<abbr title="{escape(str(term.label))}">{escape(str(term.short))}</abbr>' in page
        assert escape(str(term.definition)) in fed_html[-1]


@pytest.mark.parametrize("role", ["staff", "counselor", "health", "warden", "supervisor"])
def test_every_role_that_reads_reports_reads_the_definitions(
    facility_a: Any, members: dict[str, Any], client: Client, role: str
) -> None:
    client.force_login(members[role])
    page = client.get(reverse("reports:definitions"))
    assert page.status_code == 200
    text = page.content.decode()
    assert "Definisi angka laporan" in text
    assert "Tingkat kehadiran" in text and "orang" in text and "sesi" in text


def test_the_definitions_page_costs_the_same_queries_with_more_facilities(
    facility_a: Any,
    facility_b: Any,
    members: dict[str, Any],
    client: Client,
    django_assert_num_queries: Any,
) -> None:
    client.force_login(members["staff"])
    client.get(reverse("reports:definitions"))
    with django_assert_num_queries(QUERIES):
        client.get(reverse("reports:definitions"))
    Membership.objects.create(user=members["staff"], facility=facility_b, role="staff")
    with django_assert_num_queries(QUERIES):
        client.get(reverse("reports:definitions"))


QUERIES = 6
