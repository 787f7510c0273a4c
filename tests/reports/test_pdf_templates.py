"""The report PDFs: the figures, labels, suppression, narrative and signature, read in the HTML
that feeds WeasyPrint (STYLE.md rule 23), and one real render."""

from __future__ import annotations

import datetime
import re
from typing import Any

import pytest
from django.utils import timezone

from rehab import pdf
from rehab.models import Facility
from reports import services
from reports.models import Report, ReportKind, ReportStatus
from tests.factories import FacilityFactory, HealthScreeningFactory, InmateFactory

OCTOBER = (datetime.date(2026, 10, 1), datetime.date(2026, 11, 1))
Q3 = (datetime.date(2026, 7, 1), datetime.date(2026, 10, 1))
DASH = "\u2013"
NOW = datetime.datetime(2026, 11, 5, 2, 30, tzinfo=datetime.UTC)  # 10:30 WITA


pytestmark = pytest.mark.clock(NOW)


@pytest.fixture
def fed(monkeypatch: Any) -> list[str]:
    """Collect the HTML of every PDF instead of laying it out."""
    html: list[str] = []

    def capture(source: str, **kwargs: Any) -> bytes:
        html.append(source)
        return b"%PDF-1.7 captured"

    monkeypatch.setattr(pdf, "html_to_pdf", capture)
    return html


def row(html: str, label: str) -> list[str]:
    """Return the text of every cell of the first table row that holds the label."""
    for tr in re.findall(r"<tr[^>]*>(.*?)</tr>", html, re.S):
        cells = [
            re.sub(r"<[^>]+>", "", c).strip()
            for c in re.findall(r"<t[dh][^>]*>(.*?)</t[dh]>", tr, re.S)
        ]
        if any(label == cell for cell in cells):
            return cells
    raise AssertionError(f"no row labelled {label!r}")


def monthly_figures(facility: Facility) -> dict[str, Any]:
    """The figures of October 2026 as reports.indicators lays them out, with known numbers."""
    figures = services.build_figures(facility.pk, ReportKind.MONTHLY, *OCTOBER)
    f = figures["indicators"]
    f["admissions"].update(admitted=7, by_sex={"L": 5, "P": 2})
    f["screening"]["by_substance"]["amphetamines"].update(low=1, moderate=4, high=8)
    f["screening"]["by_band"].update(low=1, moderate=4, high=8)
    f["screening"].update(screened=13, injecting=1)
    f["assessment"]["by_tier"]["berat"] = 3
    f["assessment"]["by_diagnosis"]["F15"] = 3
    f["assessment"]["assessed"] = 3
    f["programme"].update(active=12, dropped_out=2)
    f["programme"]["dropped_out_by_reason"]["violation"] = 2
    f["sessions"].update(held=29, attendance_marks=30, attended=27, attendance_rate=90.0)
    f["sessions"]["by_kind"]["group"] = 13
    f["urine"]["positives_by_analyte"]["MET"] = 6
    f["skills"]["by_kind"]["sewing"].update(enrolled=9, registered=4, completed=6, certified=5)
    f["skills"].update(capital_aid=2, capital_aid_amount=7_500_000)
    f["aftercare"].update(released=4, handed_over=3, not_relapsing_rate=66.7)
    f["aftercare"]["outcomes"].update(abstinent=2, relapse=1)
    f["health"].update(screened=None, referred=0)
    f["health"]["conditions"]["hiv"] = {"tested": None, "positive": 0}
    f["health"]["conditions"]["tb_symptoms"] = {"tested": 12, "positive": None}
    figures["trend"][-1].update(screened=13, sessions_held=29, attendance_rate=90.0)
    return figures


def make_report(
    facility: Facility, kind: str, period: tuple[datetime.date, ...], **kw: Any
) -> Report:
    figures = kw.pop("figures", None) or services.build_figures(facility.pk, kind, *period)
    return Report.objects.create(
        facility=facility,
        kind=kind,
        period_start=period[0],
        period_end=period[1],
        figures=figures,
        checksum=services.checksum(figures),
        status=ReportStatus.READY,
        generated_at=timezone.now(),
        **kw,
    )


def rendered(report: Report, fed: list[str]) -> str:
    assert services.render(report) == b"%PDF-1.7 captured"
    return fed.pop()


def test_the_monthly_report_prints_every_family_with_its_labels(
    facility_a: Facility, members: dict[str, Any], fed: list[str]
) -> None:
    report = make_report(
        facility_a, ReportKind.MONTHLY, OCTOBER, figures=monthly_figures(facility_a)
    )
    html = rendered(report, fed)
    assert "LAPORAN BULANAN PROGRAM REHABILITASI" in html
    assert "Oktober 2026" in html and facility_a.name in html
    assert row(html, "Laki-laki") == ["Laki-laki", "5"]
    assert row(html, "WBP baru masuk") == ["WBP baru masuk", "7"]
    assert row(html, "Stimulan jenis amfetamin (sabu, ekstasi, dll.)")[1:] == ["1", "4", "8", "13"]
    assert row(html, "Zat utama")[1:4] == ["Risiko rendah", "Risiko sedang", "Risiko tinggi"]
    assert row(html, "Berat") == ["Berat", "3"]
    assert row(html, "F15 Stimulansia lain (termasuk metamfetamin)")[1] == "3"
    assert row(html, "Peserta aktif") == ["Peserta aktif", "12"]
    assert row(html, "Pelanggaran") == ["Pelanggaran", "2"]
    assert row(html, "Berat · Komunitas Terapeutik (TC)")[0]  # every track is listed
    assert row(html, "Konseling kelompok") == ["Konseling kelompok", "13"]
    assert row(html, "Tingkat kehadiran") == ["Tingkat kehadiran", "90,0%"]
    assert row(html, "MET (metamfetamin)") == ["MET (metamfetamin)", "6"]
    assert row(html, "Menjahit/Konveksi")[1:] == ["9", "4", "6", "5"]
    assert "Rp 7.500.000" in html
    assert row(html, "WBP bebas") == ["WBP bebas", "4"]
    assert row(html, "Relaps/kambuh") == ["Relaps/kambuh", "1"]
    assert row(html, "Tidak relaps") == ["Tidak relaps", "66,7%"]
    assert row(html, "Bulan ke-3")[0]  # follow-ups by month


def test_small_health_counts_print_as_less_than_five(facility_a: Facility, fed: list[str]) -> None:
    report = make_report(
        facility_a, ReportKind.MONTHLY, OCTOBER, figures=monthly_figures(facility_a)
    )
    html = rendered(report, fed)
    assert row(html, "HIV") == ["HIV", "&lt;5", "0"]
    assert row(html, "Gejala TB") == ["Gejala TB", "12", "&lt;5"]
    assert row(html, "WBP diperiksa kesehatan") == ["WBP diperiksa kesehatan", "&lt;5"]
    assert row(html, "Dirujuk") == ["Dirujuk", "0"]


def test_the_monthly_report_counts_real_records(facility_a: Facility, fed: list[str]) -> None:
    """The template reads the figures exactly as reports.indicators writes them."""
    for sex in ["L", "L", "P"]:
        InmateFactory(facility=facility_a, sex=sex, admission_date=datetime.date(2026, 10, 6))
    for _i in range(3):
        HealthScreeningFactory(
            inmate=InmateFactory(facility=facility_a), screened_on=datetime.date(2026, 10, 8)
        )
    html = rendered(make_report(facility_a, ReportKind.MONTHLY, OCTOBER), fed)
    assert row(html, "Perempuan") == ["Perempuan", "1"]
    assert row(html, "WBP baru masuk") == ["WBP baru masuk", "3"]
    assert row(html, "HIV") == ["HIV", "&lt;5", "&lt;5"]  # 3 tested, 3 reactive
    assert row(html, "Hepatitis C (anti-HCV)")[1] == "&lt;5"


def test_the_monthly_report_has_its_charts_inline(facility_a: Facility, fed: list[str]) -> None:
    report = make_report(
        facility_a, ReportKind.MONTHLY, OCTOBER, figures=monthly_figures(facility_a)
    )
    html = rendered(report, fed)
    assert html.count("<svg") == 4
    assert "WBP diskrining dan diasesmen, 12 bulan terakhir" in html
    assert "Tingkat kehadiran, 6 bulan terakhir" in html
    assert row(html, "Sesi terlaksana")[-1] == "29"  # October in the trend table


def test_a_draft_shows_an_empty_box_for_the_narrative_and_no_signature(
    facility_a: Facility, members: dict[str, Any], fed: list[str]
) -> None:
    warden = members["warden"]
    html = rendered(make_report(facility_a, ReportKind.MONTHLY, OCTOBER), fed)
    assert "Uraian/analisis Kepala Rutan" in html and 'class="narrative blank"' in html
    assert "Mengetahui," in html and warden.get_full_name() in html
    assert "Ditandatangani secara elektronik" not in html
    assert "Versi 1 · kode angka" in html


def test_a_signed_report_prints_the_narrative_and_the_electronic_signature(
    facility_a: Facility, members: dict[str, Any], fed: list[str]
) -> None:
    warden = members["warden"]
    report = make_report(
        facility_a,
        ReportKind.MONTHLY,
        OCTOBER,
        version=2,
        narrative="Kehadiran naik.\n\n<script>alert(1)</script>",
    )
    report.status, report.signed_by, report.signed_at = ReportStatus.SIGNED, warden, NOW
    report.save()
    html = rendered(report, fed)
    assert "<p>Kehadiran naik.</p>" in html
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert (
        f"Ditandatangani secara elektronik oleh {warden.get_full_name()} "
        "pada 5 November 2026 10.30 WITA"
    ) in html
    assert f"Versi 2 · kode angka {report.checksum[:12]}" in html


def test_the_quarterly_report_prints_the_outcomes(facility_a: Facility, fed: list[str]) -> None:
    figures = services.build_figures(facility_a.pk, ReportKind.QUARTERLY, *Q3)
    o = figures["outcomes"]
    o["completion"]["by_tier"]["sedang"] = {
        "completed": 6,
        "dropped_out": 2,
        "completion_rate": 75.0,
    }
    o["completion"].update(completed=6, dropped_out=2, completion_rate=75.0)
    o["tier_change"].update(completers=6, improved=4, same=1, not_reassessed=1)
    o["post_release"]["month_6"]["outcomes"]["abstinent"] = 5
    o["post_release"]["month_6"].update(done=6, not_relapsing_rate=83.3)
    o["skills"]["by_kind"]["culinary"].update(enrolled=8, registered=2, completed=8, certified=7)
    html = rendered(make_report(facility_a, ReportKind.QUARTERLY, Q3, figures=figures), fed)
    assert "LAPORAN HASIL REHABILITASI TRIWULANAN" in html
    assert f"Triwulan III 2026 (Juli{DASH}September 2026)" in html
    assert row(html, "Sedang") == ["Sedang", "6", "2", "75,0%"]
    assert row(html, "Membaik (tingkat lebih ringan)") == [
        "Membaik (tingkat lebih ringan)",
        "4",
        "66,7%",
    ]
    assert row(html, "Hasil pemantauan")[1:] == ["Bulan ke-3", "Bulan ke-6", "Bulan ke-12"]
    assert row(html, "Pulih (tidak memakai)") == ["Pulih (tidak memakai)", "0", "5", "0"]
    assert row(html, "Tidak relaps") == ["Tidak relaps", DASH, "83,3%", DASH]
    assert row(html, "Tata boga")[1:] == ["8", "2", "8", "7"]
    assert html.count("<svg") == 2
    assert "Mengetahui," in html


def test_the_yearly_report_names_its_year(facility_a: Facility, fed: list[str]) -> None:
    year = (datetime.date(2025, 1, 1), datetime.date(2026, 1, 1))
    html = rendered(make_report(facility_a, ReportKind.YEARLY, year), fed)
    assert "LAPORAN HASIL REHABILITASI TAHUNAN" in html
    assert f"Tahun 2025 (Januari{DASH}Desember 2025)" in html
    assert "Angka pokok 12 bulan terakhir" in html


def test_the_rollup_lists_every_facility_and_marks_the_missing(
    facility_a: Facility, facility_b: Facility
) -> None:
    figures = monthly_figures(facility_a)
    report = make_report(facility_a, ReportKind.MONTHLY, OCTOBER, figures=figures)
    rows = [
        {"facility": facility_b, "report": None, "figures": None},
        {"facility": facility_a, "report": report, "figures": figures["indicators"]},
    ]
    totals = {
        "admitted": 7, "screened": 13, "assessed": 3, "active": 12, "completed": 0,
        "dropped_out": 2, "sessions_held": 29, "attendance_rate": 90.0, "urine_positive": 0,
        "released": 4, "follow_ups_made": 0, "reports": 1,
    }  # fmt: skip
    html = pdf.print_html(
        "reports/rollup_pdf.html", {"period_start": OCTOBER[0], "rows": rows, "totals": totals}
    )
    assert "Rekapitulasi Laporan Bulanan Program Rehabilitasi" in html
    assert "Periode Oktober 2026" in html and "1 dari 2 UPT" in html
    assert row(html, facility_b.name)[2] == "belum dibuat"
    assert row(html, facility_a.name)[2:15] == [
        "7", "13", "3", "12", "0", "2", "29", "90,0%", "0", "4", "0", "66,7%", "v1 · siap ditinjau",
    ]  # fmt: skip
    assert row(html, "Jumlah")[-2] == "66,7%"  # 2 abstinent of 3 known outcomes


def test_a_real_render_is_a_pdf(facility_a: Facility) -> None:
    report = make_report(
        facility_a, ReportKind.MONTHLY, OCTOBER, figures=monthly_figures(facility_a)
    )
    assert services.render(report).startswith(b"%PDF")


def test_an_empty_region_is_still_a_pdf(facility_a: Facility) -> None:
    FacilityFactory()  # a second facility, without any report
    totals = dict.fromkeys(["admitted", "screened", "reports"], 0) | {"attendance_rate": None}
    rows = [{"facility": facility_a, "report": None, "figures": None}]
    context = {"period_start": OCTOBER[0], "rows": rows, "totals": totals}
    assert pdf.render_pdf("reports/rollup_pdf.html", context).startswith(b"%PDF")


def test_a_snapshot_of_schema_2_shows_its_skills_registrations_as_registrations(
    facility_a: Facility, fed: list[str]
) -> None:
    from reports.indicators import in_current_layout

    figures = monthly_figures(facility_a)
    skills = figures["indicators"]["skills"]
    for line in (skills, *skills["by_kind"].values()):
        del line["registered"]  # in schema 2 "enrolled" meant "registered in the period"
    skills["by_kind"]["sewing"]["enrolled"] = skills["enrolled"] = 9
    read = in_current_layout(figures)["indicators"]["skills"]
    assert (read["registered"], read["enrolled"]) == (9, None)
    assert (read["by_kind"]["sewing"]["registered"], read["by_kind"]["sewing"]["enrolled"]) == (
        9,
        None,
    )
    assert "registered" not in skills  # what is stored stays as it was
    html = rendered(make_report(facility_a, ReportKind.MONTHLY, OCTOBER, figures=figures), fed)
    assert row(html, "Menjahit/Konveksi") == ["Menjahit/Konveksi", "-", "9", "6", "5"]


def test_a_snapshot_of_schema_1_is_read_in_the_new_layout(
    facility_a: Facility, fed: list[str]
) -> None:
    from reports.indicators import in_current_layout

    figures = monthly_figures(facility_a)
    aftercare = figures["indicators"]["aftercare"]
    aftercare.update(follow_ups_due=3, follow_ups_done=2)  # in schema 1 "done" meant "made"
    del aftercare["follow_ups_made"]
    read = in_current_layout(figures)["indicators"]["aftercare"]
    assert (read["follow_ups_made"], read["follow_ups_done"]) == (2, None)
    assert "follow_ups_made" not in aftercare  # what is stored stays as it was
    assert in_current_layout(read_again := monthly_figures(facility_a)) is read_again
    html = rendered(make_report(facility_a, ReportKind.MONTHLY, OCTOBER, figures=figures), fed)
    assert row(html, "Dari yang jatuh tempo, sudah dilakukan") == [
        "Dari yang jatuh tempo, sudah dilakukan",
        "-",
    ]
    assert row(html, "Pemantauan dilakukan dalam periode") == [
        "Pemantauan dilakukan dalam periode",
        "2",
    ]
