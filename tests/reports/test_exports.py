"""Spreadsheet exports: a stored report's frozen figures as XLSX and CSV, and the BNN monthly
client recap, against hand-written figures and hand-built WBP of facility A (November 2026)."""

from __future__ import annotations

import csv
import datetime
import io
from typing import Any

import pytest
import time_machine
from openpyxl import load_workbook
from openpyxl.worksheet.worksheet import Worksheet

from assessments.models import PlanItem, SubstanceUse
from programs.models import Enrolment
from reports import indicators, services
from reports.exports import initials, recap_xlsx, report_csv, report_xlsx
from reports.models import Report, ReportKind, ReportStatus
from tests.factories import (
    AssessmentFactory,
    InmateFactory,
    ScreeningFactory,
    TrackFactory,
    signed_assessment,
)

NOVEMBER = (datetime.date(2026, 11, 1), datetime.date(2026, 12, 1))
AMPHETAMINES = "Stimulan jenis amfetamin (sabu, ekstasi, dll.)"
# Rows above the table on every sheet: title, 7 identity rows, a blank row, the column heads.
TABLE_STARTS = 11


def monthly_figures(facility_id: int) -> dict[str, Any]:
    """The figures of an empty month, with hand-written numbers in the cells the tests read."""
    with time_machine.travel(datetime.datetime(2026, 12, 1, 3, tzinfo=datetime.UTC)):
        figures = services.build_figures(facility_id, ReportKind.MONTHLY, *NOVEMBER)
    month = figures["indicators"]
    month["admissions"]["admitted"] = 12
    month["admissions"]["by_sex"] = {"L": 10, "P": 2}
    month["screening"]["by_substance"]["amphetamines"]["high"] = 7
    month["sessions"]["attendance_rate"] = 87.5
    month["urine"]["positives_by_analyte"]["MET"] = 6
    month["health"]["screened"] = None  # 1 to 4: suppressed
    month["health"]["referred"] = 0
    month["health"]["conditions"]["hiv"] = {"tested": 12, "positive": None}
    next(
        line
        for line in month["programme"]["by_track"]
        if line["tier"] == "sedang" and line["kind"] == "programme"
    )["new"] = 3
    figures["trend"][-1]["attendance_rate"] = 87.5
    figures["trend"][-1]["screened"] = 9
    return figures


def stored_report(facility: Any, figures: dict[str, Any], **kwargs: Any) -> Report:
    report = Report.objects.create(
        facility=facility,
        kind=kwargs.pop("kind", ReportKind.MONTHLY),
        period_start=kwargs.pop("period_start", NOVEMBER[0]),
        period_end=kwargs.pop("period_end", NOVEMBER[1]),
        version=2,
        status=ReportStatus.READY,
        figures=figures,
        checksum=services.checksum(figures),
        **kwargs,
    )
    report.refresh_from_db()  # read the figures back as the database keeps them (jsonb)
    return report


def table(sheet: Worksheet) -> dict[tuple[str, str], Any]:
    """The sheet's figure rows as (indikator, rincian) -> nilai."""
    rows = sheet.iter_rows(min_row=TABLE_STARTS, max_col=3, values_only=True)
    return {(a, b or ""): c for a, b, c in rows if a is not None}


def leaves(value: Any) -> int:
    if isinstance(value, dict):
        return sum(leaves(v) for v in value.values())
    if isinstance(value, list):
        return sum(leaves({k: v for k, v in item.items() if k not in IDENTITY}) for item in value)
    return 1


IDENTITY = {"tier", "kind", "year", "month"}


def figure_count(figures: dict[str, Any]) -> int:
    """Every number of the snapshot: the families' leaves, not the snapshot's own metadata."""
    total = 0
    for top in figures.values():
        if isinstance(top, list):
            total += leaves(top)
        else:
            total += sum(leaves(v) for v in top.values() if isinstance(v, dict | list))
    return total


def read_csv(text: str) -> list[list[str]]:
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:])))


# --- report XLSX -----------------------------------------------------------------------------


def test_the_xlsx_has_one_sheet_per_family_with_the_report_identity_on_top(
    facility_a: Any,
) -> None:
    report = stored_report(facility_a, monthly_figures(facility_a.pk))

    book = load_workbook(io.BytesIO(report_xlsx(report)))

    assert book.sheetnames == [
        "Penerimaan WBP",
        "Skrining ASSIST",
        "Asesmen",
        "Peserta program",
        "Sesi dan kehadiran",
        "Tes urine",
        "Pembinaan kemandirian",
        "Pascarehabilitasi",
        "Kesehatan",
        "Tren bulanan",
    ]
    sheet = book["Penerimaan WBP"]
    head = [(row[0], row[1]) for row in sheet.iter_rows(max_row=8, max_col=2, values_only=True)]
    assert head == [
        ("Penerimaan WBP", None),
        ("UPT", "Rutan Kelas IIB Tanah Grogot (uji)"),
        ("Jenis laporan", "Laporan Bulanan Program Rehabilitasi"),
        ("Periode", "11-2026 (01/11/2026 s.d. 30/11/2026)"),
        ("Versi", 2),
        ("Status", "Siap ditinjau"),
        ("Kode pemeriksa angka (SHA-256)", report.checksum),
        ("Versi skema angka", indicators.SCHEMA_VERSION),
    ]
    assert [c.value for c in sheet[TABLE_STARTS - 1]] == ["Indikator", "Rincian", "Nilai", "Satuan"]


def test_the_xlsx_writes_labelled_counts_rates_and_suppressed_cells(facility_a: Any) -> None:
    report = stored_report(facility_a, monthly_figures(facility_a.pk))

    book = load_workbook(io.BytesIO(report_xlsx(report)))

    admissions = table(book["Penerimaan WBP"])
    assert admissions[("WBP baru masuk", "")] == 12
    assert admissions[("Menurut jenis kelamin", "Laki-laki")] == 10
    assert admissions[("Menurut jenis kelamin", "Perempuan")] == 2
    screening = table(book["Skrining ASSIST"])
    by_substance = "Menurut zat utama dan tingkat risiko"
    assert screening[(by_substance, f"{AMPHETAMINES} · Risiko tinggi")] == 7
    assert screening[("Menurut tingkat risiko zat utama", "Risiko sedang")] == 0
    programme = table(book["Peserta program"])
    assert (
        programme[
            (
                "Menurut tingkat keparahan dan jenis program",
                "Sedang · Program rehabilitasi · Peserta baru",
            )
        ]
        == 3
    )
    assert table(book["Tes urine"])[("Hasil positif per parameter", "MET (metamfetamin)")] == 6
    health = table(book["Kesehatan"])
    assert health[("WBP diperiksa kesehatan", "")] == "<5"
    assert health[("Dirujuk", "")] == 0
    assert health[("Menurut pemeriksaan", "HIV · Diperiksa")] == 12
    assert health[("Menurut pemeriksaan", "HIV · Reaktif/positif")] == "<5"
    sessions = book["Sesi dan kehadiran"]
    rate = next(row[2] for row in sessions.iter_rows() if row[0].value == "Tingkat kehadiran")
    assert rate.value == 87.5
    assert rate.number_format == "0.0"
    trend = table(book["Tren bulanan"])
    assert trend[("Tingkat kehadiran", "11-2026")] == 87.5
    assert trend[("WBP diskrining", "11-2026")] == 9
    assert trend[("Tingkat kehadiran", "10-2026")] is None  # no denominator: blank


def test_the_xlsx_and_the_csv_write_every_figure_of_the_snapshot(facility_a: Any) -> None:
    figures = monthly_figures(facility_a.pk)
    report = stored_report(facility_a, figures)

    book = load_workbook(io.BytesIO(report_xlsx(report)))
    rows = read_csv(report_csv(report))

    in_sheets = sum(len(table(book[name])) for name in book.sheetnames)
    footnote = 1  # the health sheet explains "<5"
    assert in_sheets - footnote == figure_count(figures)
    assert len([r for r in rows[1:] if r[0] != "Identitas laporan"]) == figure_count(figures)


def test_the_xlsx_reads_the_frozen_figures_not_the_live_data(facility_a: Any) -> None:
    report = stored_report(facility_a, monthly_figures(facility_a.pk))
    InmateFactory(facility=facility_a, admission_date=datetime.date(2026, 11, 3))

    admissions = table(load_workbook(io.BytesIO(report_xlsx(report)))["Penerimaan WBP"])

    assert admissions[("WBP baru masuk", "")] == 12


def test_an_outcome_report_has_its_own_families(facility_a: Any) -> None:
    start, end = datetime.date(2026, 7, 1), datetime.date(2026, 10, 1)
    figures = services.build_figures(facility_a.pk, ReportKind.QUARTERLY, start, end)
    figures["outcomes"]["completion"]["by_tier"]["berat"] = {
        "completed": 5,
        "dropped_out": 1,
        "completion_rate": 83.3,
    }
    figures["outcomes"]["post_release"]["month_3"]["not_relapsing_rate"] = 66.7
    report = stored_report(
        facility_a, figures, kind=ReportKind.QUARTERLY, period_start=start, period_end=end
    )

    book = load_workbook(io.BytesIO(report_xlsx(report)))

    assert book.sheetnames == [
        "Penyelesaian program",
        "Perubahan tingkat keparahan",
        "Hasil pascabebas",
        "Pembinaan kemandirian",
        "Tren bulanan",
    ]
    assert book["Hasil pascabebas"]["B4"].value == "T3-2026 (01/07/2026 s.d. 30/09/2026)"
    completion = table(book["Penyelesaian program"])
    assert completion[("Menurut tingkat keparahan", "Berat · Tingkat penyelesaian")] == 83.3
    assert completion[("Menurut tingkat keparahan", "Berat · Putus program")] == 1
    post = table(book["Hasil pascabebas"])
    assert post[("Bulan ke-3", "Tidak relaps")] == 66.7
    assert post[("Bulan ke-6", "Hasil pemantauan · Relaps/kambuh")] == 0


# --- report CSV ------------------------------------------------------------------------------


def test_the_csv_is_one_flat_table_with_the_identity_first(facility_a: Any) -> None:
    report = stored_report(facility_a, monthly_figures(facility_a.pk))

    rows = read_csv(report_csv(report))

    assert rows[0] == ["Bagian", "Indikator", "Rincian", "Nilai"]
    assert rows[1] == ["Identitas laporan", "UPT", "", "Rutan Kelas IIB Tanah Grogot (uji)"]
    kind = "Laporan Bulanan Program Rehabilitasi"
    assert rows[2] == ["Identitas laporan", "Jenis laporan", "", kind]
    assert ["Identitas laporan", "Versi", "", "2"] in rows
    assert ["Identitas laporan", "Status", "", "Siap ditinjau"] in rows
    assert ["Identitas laporan", "Kode pemeriksa angka (SHA-256)", "", report.checksum] in rows
    assert all(len(row) == 4 for row in rows)


def test_the_csv_writes_labels_numbers_rates_and_suppressed_cells(facility_a: Any) -> None:
    report = stored_report(facility_a, monthly_figures(facility_a.pk))

    rows = read_csv(report_csv(report))

    assert ["Penerimaan WBP", "Menurut jenis kelamin", "Laki-laki", "10"] in rows
    # The label holds commas: quoted, it stays one field.
    assert [
        "Skrining ASSIST",
        "Menurut zat utama dan tingkat risiko",
        f"{AMPHETAMINES} · Risiko tinggi",
        "7",
    ] in rows
    assert ["Sesi dan kehadiran", "Tingkat kehadiran", "", "87.5"] in rows
    assert ["Kesehatan", "WBP diperiksa kesehatan", "", "<5"] in rows
    assert ["Kesehatan", "Menurut pemeriksaan", "HIV · Reaktif/positif", "<5"] in rows
    assert ["Kesehatan", "Menurut pemeriksaan", "HIV · Diperiksa", "12"] in rows
    assert ["Tren bulanan", "Tingkat kehadiran", "10-2026", ""] in rows


def test_the_exports_keep_a_formula_looking_name_as_text(facility_a: Any) -> None:
    facility_a.name = '=HYPERLINK("http://x")'
    facility_a.save(update_fields=["name"])
    report = stored_report(facility_a, monthly_figures(facility_a.pk))

    rows = read_csv(report_csv(report))
    sheet = load_workbook(io.BytesIO(report_xlsx(report)))["Kesehatan"]

    assert rows[1][3] == '\'=HYPERLINK("http://x")'
    assert sheet["B2"].data_type == "s"
    assert sheet["B2"].value == '=HYPERLINK("http://x")'


# --- the BNN client recap --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Budi Santoso", "B.S."),
        ("  muhammad   rizky  pratama ", "M.R.P."),
        ("Siti Nur'aini", "S.N."),
        ("'Ahmad Lubis", "A.L."),
        ("Sukarno", "S."),
        ("", ""),
    ],
)
def test_initials_keep_one_letter_per_word(name: str, expected: str) -> None:
    assert initials(name) == expected


def recap_cells(content: bytes) -> list[tuple[Any, ...]]:
    sheet = load_workbook(io.BytesIO(content)).active
    assert sheet is not None
    return list(sheet.iter_rows(values_only=True))


def recap_table(content: bytes) -> list[tuple[Any, ...]]:
    cells = recap_cells(content)
    head = next(i for i, row in enumerate(cells) if row[0] == "No")
    return cells[head + 1 :]


def client(facility: Any, name: str, **kwargs: Any) -> Any:
    return InmateFactory(facility=facility, full_name=name, **kwargs)


@pytest.fixture
def served(facility_a: Any, facility_b: Any, members: dict[str, Any]) -> dict[str, Any]:
    """Budi: screened, assessed and placed in November. Siti: in a programme since October,
    assessed in September, no ASSIST. Others: outside the period, draft only, facility B."""
    with time_machine.travel(datetime.datetime(2026, 11, 25, 2, tzinfo=datetime.UTC)):
        budi = client(
            facility_a, "Budi Santoso", sex="L", birth_date=datetime.date(1990, 12, 15),
            registration_number="BI.0101/2026",
        )  # fmt: skip
        ScreeningFactory(
            inmate=budi, interviewed_on=datetime.date(2026, 11, 10),
            main_substance="amphetamines", main_score=30, main_level="high", injection="no",
        )  # fmt: skip
        budi_assessment = signed_assessment(
            budi, assessed_on=datetime.date(2026, 11, 12), diagnosis_code="F15.20",
            final_tier="sedang",
        )  # fmt: skip
        SubstanceUse.objects.create(
            assessment=budi_assessment, substance="amphetamines", route="smoked", years_used=6
        )
        PlanItem.objects.create(assessment=budi_assessment, intervention="group")
        sedang = TrackFactory(name="Sedang 30 hari", tier="sedang", duration_days=30)
        Enrolment.objects.create(
            facility=facility_a, inmate=budi, track=sedang, assessment=budi_assessment,
            state="active", started_on=datetime.date(2026, 11, 16),
        )  # fmt: skip

        siti = client(
            facility_a, "Siti Aminah", sex="P", birth_date=datetime.date(1995, 11, 30),
            registration_number="AII.0202/2026",
        )  # fmt: skip
        siti_assessment = signed_assessment(
            siti, assessed_on=datetime.date(2026, 9, 20), diagnosis_code="F12.1",
            final_tier="ringan",
        )  # fmt: skip
        SubstanceUse.objects.create(
            assessment=siti_assessment, substance="cannabis", route="smoked", years_used=3
        )
        ringan = TrackFactory(name="Ringan 15 hari", tier="ringan", duration_days=15)
        # Completed in December: on 30 November she was still in the programme.
        Enrolment.objects.create(
            facility=facility_a, inmate=siti, track=ringan, assessment=siti_assessment,
            state="completed", started_on=datetime.date(2026, 10, 20),
            ended_on=datetime.date(2026, 12, 10),
        )  # fmt: skip

        october = client(facility_a, "Joko Widodo")
        ScreeningFactory(inmate=october, interviewed_on=datetime.date(2026, 10, 30))
        december = client(facility_a, "Eko Prasetyo")
        ScreeningFactory(inmate=december, interviewed_on=datetime.date(2026, 12, 1))
        draft = client(facility_a, "Dedi Kurniawan")
        AssessmentFactory(inmate=draft, assessed_on=datetime.date(2026, 11, 5))
        finished = client(facility_a, "Rudi Hartono")
        Enrolment.objects.create(
            facility=facility_a, inmate=finished, track=ringan,
            assessment=signed_assessment(finished, assessed_on=datetime.date(2026, 9, 1)),
            state="completed", started_on=datetime.date(2026, 9, 5),
            ended_on=datetime.date(2026, 10, 31),
        )  # fmt: skip
        other = client(facility_b, "Agus Salim")
        ScreeningFactory(inmate=other, interviewed_on=datetime.date(2026, 11, 10))
    return {"budi": budi, "siti": siti}


def test_the_recap_lists_the_wbp_served_with_their_clinical_summary(
    facility_a: Any, served: dict[str, Any]
) -> None:
    rows = recap_table(recap_xlsx(facility_a, *NOVEMBER))

    assert rows == [
        (
            1, "B.S.", "BI.0101/2026", "L", 35, AMPHETAMINES, "6 tahun",
            "Dihisap/dibakar; Menyuntik: Tidak, tidak pernah", "F15.20",
            "Tingkat Sedang; Rencana terapi: Konseling kelompok; Sedang 30 hari: Aktif",
        ),
        (
            2, "S.A.", "AII.0202/2026", "P", 31, "Kanabis (marijuana, ganja, gelek, cimeng, dll.)",
            "3 tahun", "Dihisap/dibakar", "F12.1", "Tingkat Ringan; Ringan 15 hari: Aktif",
        ),
    ]  # fmt: skip


def test_the_recap_names_the_month_and_the_facility(
    facility_a: Any, served: dict[str, Any]
) -> None:
    cells = recap_cells(recap_xlsx(facility_a, *NOVEMBER))

    assert cells[0][0] == (
        "Rekapitulasi data klien yang dilayani bulan November 2026 lembaga "
        "Rutan Kelas IIB Tanah Grogot (uji)"
    )
    head = next(row for row in cells if row[0] == "No")
    assert head == (
        "No", "Inisial", "No. ID", "Jenis kelamin (L/P)", "Usia (tahun)", "Zat utama",
        "Lama pemakaian", "Cara pemakaian", "Diagnosis (ICD-10)", "Jenis layanan/terapi",
    )  # fmt: skip


def test_the_recap_never_holds_a_name(facility_a: Any, served: dict[str, Any]) -> None:
    text = " ".join(
        str(value) for row in recap_cells(recap_xlsx(facility_a, *NOVEMBER)) for value in row
    )

    for person in served.values():
        assert person.full_name not in text
        for word in person.full_name.split():
            assert word not in text


def test_the_recap_shows_the_programme_state_at_the_end_of_its_own_month(
    facility_a: Any, served: dict[str, Any]
) -> None:
    december = (datetime.date(2026, 12, 1), datetime.date(2027, 1, 1))

    rows = recap_table(recap_xlsx(facility_a, *december))

    siti = next(row for row in rows if row[1] == "S.A.")
    assert siti[9] == "Tingkat Ringan; Ringan 15 hari: Selesai program"
    # Eko was screened on 1 December; Budi is still in his programme.
    assert sorted(row[1] for row in rows) == ["B.S.", "E.P.", "S.A."]


def test_an_empty_month_gives_a_recap_without_rows(facility_a: Any) -> None:
    assert recap_table(recap_xlsx(facility_a, *NOVEMBER)) == []


@pytest.mark.parametrize("people", [1, 8])
def test_the_recap_costs_the_same_queries_for_one_or_many_wbp(
    facility_a: Any, members: dict[str, Any], django_assert_num_queries: Any, people: int
) -> None:
    track = TrackFactory(name="Berat 60 hari", tier="berat", duration_days=60)
    for i in range(people):
        inmate = client(facility_a, f"Warga Binaan {i}")
        ScreeningFactory(
            inmate=inmate, interviewed_on=datetime.date(2026, 11, 3), main_substance="opioids"
        )
        assessment = signed_assessment(
            inmate, assessed_on=datetime.date(2026, 11, 4), diagnosis_code="F11.2"
        )
        SubstanceUse.objects.create(assessment=assessment, substance="opioids", route="injected")
        PlanItem.objects.create(assessment=assessment, intervention="detox")
        Enrolment.objects.create(
            facility=facility_a, inmate=inmate, track=track, assessment=assessment,
            state="active", started_on=datetime.date(2026, 11, 5),
        )  # fmt: skip

    # WBP served, newest ASSIST, newest assessment, its substance history, its plan, programmes.
    with django_assert_num_queries(6):
        content = recap_xlsx(facility_a, *NOVEMBER)

    assert len(recap_table(content)) == people


def test_the_recap_refuses_an_empty_period(facility_a: Any) -> None:
    with pytest.raises(ValueError):
        recap_xlsx(facility_a, NOVEMBER[1], NOVEMBER[0])
