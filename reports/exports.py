"""Spreadsheet exports: a stored report's frozen figures as XLSX and CSV, and the BNN monthly
client recap (Perka BNN 4/2015, Lampiran I) as XLSX.

The report exports read `report.figures` only, never live data, so they always agree with the
signed PDF. The recap is clinical data (one row per WBP served): initials, never names; the view
that serves it decides who may have it.
"""

from __future__ import annotations

import csv
import datetime
import io
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils.dateformat import format as date_format
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from assessments.models import (
    Assessment,
    AssistScreening,
    PlanItem,
    Substance,
    SubstanceUse,
    Tier,
)
from inmates.models import Inmate
from programs.models import (
    OPEN_STATES,
    Enrolment,
    EnrolmentState,
    TrackKind,
)
from rehab.formats import short_date
from rehab.models import Facility
from reports import definitions
from reports.indicators import in_current_layout
from reports.models import Report

SUPPRESSED = "<5"
RATE_FORMAT = "0.0"
BOLD = Font(bold=True)
# Excel reads a text cell that starts with one of these as a formula (CSV injection).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


# --- labels of the frozen figures: reports.definitions -----------------------------------------


def _choices(choices: Any) -> dict[str, str]:
    return {value: str(label) for value, label in choices.choices}


@dataclass(frozen=True)
class Family:
    """How one indicator family is written: its title, the labels of its keys (in the order they
    are written) and, for a dict under a key, the labels of that dict's keys ("key.*": the labels
    one level further down)."""

    title: str
    labels: dict[str, str]
    children: dict[str, dict[str, str]] = field(default_factory=dict)
    suppressed: bool = False  # None means a count of 1 to 4, written "<5"
    units: dict[str, str] = field(default_factory=dict)

    def labels_under(self, key: str | None, parent: str | None) -> dict[str, str]:
        if parent is not None and f"{parent}.*" in self.children:
            return self.children[f"{parent}.*"]
        if key is not None and key in self.children:
            return self.children[key]
        return self.labels


# The breakdowns of each family: the key of a dict of categories, and whose labels they are.
BREAKDOWNS: dict[str, dict[str, str]] = {
    "admissions": {"by_sex": "sex"},
    "screening": {
        "by_band": "risk",
        "by_substance": "substance",
        "by_substance.*": "risk",
        "injecting_by_recency": "injection",
    },
    "assessment": {"by_tier": "tier", "by_diagnosis": "diagnosis"},
    "programme": {"dropped_out_by_reason": "drop_reason"},
    "sessions": {"by_kind": "session"},
    "urine": {"positives_by_analyte": "analyte"},
    "skills": {"by_kind": "course"},
    "aftercare": {"done_by_month": "month", "outcomes": "outcome"},
    "health": {"conditions": "health"},
    "completion": {"by_tier": "tier"},
    "tier_change": {},
    "post_release": {"outcomes": "outcome"},
    "trend": {},
}


def _families() -> dict[str, Family]:
    """Return the families by key, built per call so labels follow the active language."""
    families = {}
    for name, title in definitions.FAMILY_TITLES.items():
        found = definitions.of_family(name)
        labels = {d.key: str(d.label) for d in found}
        if name == "post_release":  # the family's own keys: month_3, month_6, month_12
            labels = {**definitions.categories("month"), **labels}
        families[name] = Family(
            str(title),
            labels,
            {key: definitions.categories(of) for key, of in BREAKDOWNS[name].items()},
            suppressed=name == "health",
            units={d.key: str(d.unit) for d in found},
        )
    return families


# The order of the sheets under each part of the snapshot; a family the code does not know yet
# comes after these, and the trend last.
FAMILY_ORDER = {
    "indicators": (
        "admissions",
        "screening",
        "assessment",
        "programme",
        "sessions",
        "urine",
        "skills",
        "aftercare",
        "health",
    ),
    "outcomes": ("completion", "tier_change", "post_release", "skills"),
}


@dataclass(frozen=True)
class Figure:
    """One number of the report with its labels."""

    indicator: str
    detail: str
    value: Any
    rate: bool
    suppressed: bool
    unit: str = ""

    def csv_value(self) -> str:
        if self.value is None:
            return SUPPRESSED if self.suppressed else ""
        if self.rate:
            return f"{float(self.value):.1f}"
        return str(self.value)


def _ordered(mapping: Mapping[str, Any], labels: Mapping[str, str]) -> list[str]:
    # PostgreSQL's jsonb does not keep key order: follow the labels, then the unknown keys.
    known = [k for k in labels if k in mapping]
    return known + sorted(k for k in mapping if k not in labels)


def _item_identity(item: Mapping[str, Any]) -> tuple[list[str], set[str]]:
    """Name one element of a list of figures: a month of the trend, a track of the programme."""
    if "year" in item and "month" in item:
        return [f"{int(item['month']):02d}-{item['year']}"], {"year", "month"}
    names = {"tier": _choices(Tier), "kind": _choices(TrackKind)}
    parts = [names[k].get(item[k], str(item[k])) for k in ("tier", "kind") if k in item]
    return parts, {k for k in ("tier", "kind") if k in item}


def _figures_of(family: Family, data: Any) -> list[Figure]:
    """Flatten one family into labelled figures, in the order the labels give."""
    found: list[Figure] = []

    def leaf(path: list[str], key: str, value: Any, unit: str) -> None:
        found.append(
            Figure(
                indicator=path[0],
                detail=" · ".join(path[1:]),
                value=value,
                rate=key.endswith("_rate"),
                suppressed=family.suppressed,
                unit=unit,
            )
        )

    def walk(value: Any, path: list[str], key: str, parent: str | None, unit: str = "") -> None:
        # The unit is of the innermost figure key on the way (a category has none).
        unit = family.units.get(key, unit)
        if isinstance(value, dict):
            labels = family.labels_under(key, parent)
            for child in _ordered(value, labels):
                walk(value[child], [*path, labels.get(child, child)], child, key, unit)
        elif isinstance(value, list):
            for item in value:
                if isinstance(item, dict):
                    walk_item(item, path)
        else:
            leaf(path, key, value, unit)

    def walk_item(item: Mapping[str, Any], path: list[str]) -> None:
        names, identity = _item_identity(item)
        measures = {k: v for k, v in item.items() if k not in identity}
        for key in _ordered(measures, family.labels):
            label = family.labels.get(key, key)
            # A list at the top (the trend) reads measure first; a nested one (by track) its
            # name first, under the list's own label.
            where = [label, *names] if not path else [*path, *names, label]
            walk(measures[key], where, key, None)

    if isinstance(data, list):
        for item in data:
            if isinstance(item, dict):
                walk_item(item, [])
    elif isinstance(data, dict):
        for key in _ordered(data, family.labels):
            walk(data[key], [family.labels.get(key, key)], key, None)
    return found


def sections(figures: Mapping[str, Any]) -> list[tuple[str, list[Figure]]]:
    """Return the report's figures as (section title, figures), one section per family."""
    families = _families()
    found: list[tuple[str, Any]] = []
    for top_key in sorted(figures, key=lambda k: (k == "trend", k)):
        top = figures[top_key]
        if isinstance(top, list):
            found.append((top_key, top))
        elif isinstance(top, dict):
            # Scalars at this level (schema version, facility id, dates) describe the snapshot.
            order = FAMILY_ORDER.get(top_key, ())
            keys = [k for k in order if k in top]
            keys += sorted(k for k in top if k not in order and isinstance(top[k], dict | list))
            found += [(k, top[k]) for k in keys]
    return [
        ((family := families.get(key, Family(key, {}))).title, _figures_of(family, data))
        for key, data in found
    ]


def _period_text(start: datetime.date, end: datetime.date) -> str:
    last = end - datetime.timedelta(days=1)
    return _("%(start)s s.d. %(end)s") % {"start": short_date(start), "end": short_date(last)}


def _schema_version(figures: Mapping[str, Any]) -> Any:
    for top in figures.values():
        if isinstance(top, dict) and "schema_version" in top:
            return top["schema_version"]
    return ""


def _identity(report: Report) -> list[tuple[str, Any]]:
    """The rows that say which report this is."""
    return [
        (_("UPT"), report.facility.name),
        (_("Jenis laporan"), report.get_kind_display()),
        (
            _("Periode"),
            f"{report.period_label} ({_period_text(report.period_start, report.period_end)})",
        ),
        (_("Versi"), report.version),
        (_("Status"), report.get_status_display()),
        (_("Kode pemeriksa angka (SHA-256)"), report.checksum),
        (_("Versi skema angka"), _schema_version(report.figures or {})),
    ]


# --- writing -----------------------------------------------------------------------------------


def _safe_text(value: Any) -> Any:
    """Keep a text that looks like a formula a text (imported names, numbers, facility names)."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def _cell(sheet: WriteOnlyWorksheet, value: Any, *, bold: bool = False, fmt: str = "") -> Any:
    cell = WriteOnlyCell(sheet, value=value)
    if isinstance(value, str) and value.startswith("="):
        cell.data_type = "s"  # openpyxl would write it as a formula
    if bold:
        cell.font = BOLD
    if fmt:
        cell.number_format = fmt
    return cell


def _sheet_title(title: str, taken: set[str]) -> str:
    clean = "".join(" " if c in "[]:*?/\\" else c for c in title).strip()[:31] or "Lembar"
    name, n = clean, 2
    while name.lower() in taken:
        suffix = f" ({n})"
        name, n = clean[: 31 - len(suffix)] + suffix, n + 1
    taken.add(name.lower())
    return name


def _save(workbook: Workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _figure_cell(sheet: WriteOnlyWorksheet, figure: Figure) -> Any:
    if figure.value is None:
        return _cell(sheet, SUPPRESSED if figure.suppressed else None)
    if figure.rate:
        return _cell(sheet, round(float(figure.value), 1), fmt=RATE_FORMAT)
    if isinstance(figure.value, int | float):
        return _cell(sheet, figure.value, fmt="#,##0")
    return _cell(sheet, str(figure.value))


def report_xlsx(report: Report) -> bytes:
    """Write every figure of the stored report to XLSX, one sheet per indicator family."""
    workbook = Workbook(write_only=True)
    identity = _identity(report)
    taken: set[str] = set()
    for title, figures in sections(in_current_layout(report.figures or {})):
        sheet = workbook.create_sheet(_sheet_title(title, taken))
        sheet.column_dimensions["A"].width = 42
        sheet.column_dimensions["B"].width = 48
        sheet.column_dimensions["C"].width = 14
        sheet.column_dimensions["D"].width = 18
        sheet.append([_cell(sheet, title, bold=True)])
        for label, value in identity:
            sheet.append([_cell(sheet, label, bold=True), _cell(sheet, value)])
        sheet.append([])
        sheet.append(
            [
                _cell(sheet, h, bold=True)
                for h in (_("Indikator"), _("Rincian"), _("Nilai"), _("Satuan"))
            ]
        )
        for figure in figures:
            sheet.append(
                [
                    _cell(sheet, figure.indicator),
                    _cell(sheet, figure.detail),
                    _figure_cell(sheet, figure),
                    _cell(sheet, figure.unit),
                ]
            )
        if any(f.suppressed for f in figures):
            sheet.append([])
            sheet.append(
                [_cell(sheet, _("Angka 1 sampai 4 ditulis <5 untuk melindungi data kesehatan."))]
            )
    if not workbook.worksheets:
        sheet = workbook.create_sheet(_("Laporan"))
        for label, value in identity:
            sheet.append([_cell(sheet, label, bold=True), _cell(sheet, value)])
    return _save(workbook)


def report_csv(report: Report) -> str:
    """Write every figure of the stored report as one CSV table (bagian, indikator, rincian,
    nilai), UTF-8 with a byte-order mark so that Excel reads the accents."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([_("Bagian"), _("Indikator"), _("Rincian"), _("Nilai")])
    heading = _("Identitas laporan")
    for label, value in _identity(report):
        writer.writerow([heading, label, "", _safe_text(str(value))])
    for title, figures in sections(in_current_layout(report.figures or {})):
        for figure in figures:
            writer.writerow(
                [
                    _safe_text(title),
                    _safe_text(figure.indicator),
                    _safe_text(figure.detail),
                    figure.csv_value(),
                ]
            )
    return "\ufeff" + buffer.getvalue()


# --- the BNN monthly client recap --------------------------------------------------------------


def initials(full_name: str) -> str:
    """Return the initials of a name: "Budi Santoso" -> "B.S."."""
    letters = []
    for word in full_name.split():
        first = next((c for c in word if c.isalnum()), "")
        if first:
            letters.append(first.upper())
    return "".join(f"{c}." for c in letters)


@dataclass
class RecapRow:
    """One WBP served in the period, as the recap prints them."""

    initials: str
    number: str
    sex: str
    age: int | None
    substance: str
    duration: str
    route: str
    diagnosis: str
    service: str
    # Why the WBP is in the recap (the monthly report counts each, RECAP_COUNTED_AS).
    screened: bool = False
    assessed: bool = False
    in_programme: bool = False

    def cells(self, position: int) -> list[Any]:
        return [
            position,
            self.initials,
            self.number,
            self.sex,
            self.age,
            self.substance,
            self.duration,
            self.route,
            self.diagnosis,
            self.service,
        ]


def _served(facility: Facility, start: datetime.date, end: datetime.date) -> QuerySet[Inmate]:
    """WBP of the facility screened, assessed (signed) or in a programme during [start, end)."""
    screened = AssistScreening.objects.filter(
        inmate_id=OuterRef("pk"),
        facility_id=facility.pk,
        interviewed_on__gte=start,
        interviewed_on__lt=end,
    )
    assessed = Assessment.objects.current().filter(
        inmate_id=OuterRef("pk"),
        facility_id=facility.pk,
        assessed_on__gte=start,
        assessed_on__lt=end,
    )
    # Active on at least one day of the period, as the programme indicator counts it.
    in_programme = Enrolment.objects.filter(
        Q(ended_on__isnull=True) | Q(ended_on__gte=start),
        inmate_id=OuterRef("pk"),
        facility_id=facility.pk,
        started_on__lt=end,
    )
    return (
        Inmate.objects.filter(facility_id=facility.pk)
        .annotate(
            was_screened=Exists(screened),
            was_assessed=Exists(assessed),
            was_in_programme=Exists(in_programme),
        )
        .filter(Q(was_screened=True) | Q(was_assessed=True) | Q(was_in_programme=True))
    )


def _enrolment_state(enrolment: Enrolment, end: datetime.date) -> str:
    """The enrolment's state on the period's last day, from its start and end dates: a report of
    an earlier month does not show what happened after it."""
    if enrolment.ended_on is not None and enrolment.ended_on < end:
        return enrolment.get_state_display()
    if enrolment.started_on is not None and enrolment.started_on < end:
        return str(EnrolmentState.ACTIVE.label)
    if enrolment.state in OPEN_STATES:
        return enrolment.get_state_display()
    return _("belum mulai")


def _substance_label(value: str, other: str = "") -> str:
    if not value:
        return ""
    label = str(Substance(value).label) if value in Substance.values else value
    if value == Substance.OTHER and other:
        return f"{label}: {other}"
    return label


def recap_rows(facility: Facility, start: datetime.date, end: datetime.date) -> list[RecapRow]:
    """Collect the recap's rows: every WBP served in the period (6 queries at most, whatever the
    count; a query with nothing to look for is not sent).

    Substance: the main substance of the newest ASSIST up to the period's end, else the first
    substance of the newest signed assessment; years of use and route from that assessment's
    substance history, and the ASSIST Q8 injecting answer. Diagnosis and tier: the newest signed,
    current assessment. Service: tier, treatment plan and each programme of the period with its
    state on the period's last day. Age on the period's last day.
    """
    people = list(
        _served(facility, start, end)
        .order_by("full_name", "id")
        .only("id", "full_name", "registration_number", "sex", "birth_date")
    )
    # Every later query names the served WBP by id: a subquery there would be run again for
    # each row on PostgreSQL. Each WBP has a handful of screenings and assessments, so their
    # newest is picked here, in date order (the last one read wins).
    ids = [p.pk for p in people]
    screenings = {
        s.inmate_id: s
        for s in AssistScreening.objects.filter(
            facility_id=facility.pk, interviewed_on__lt=end, inmate_id__in=ids
        )
        .order_by("inmate_id", "interviewed_on", "id")
        .only("id", "inmate_id", "main_substance", "other_substance", "injection")
    }
    assessments = {
        a.inmate_id: a
        for a in Assessment.objects.current()
        .filter(facility_id=facility.pk, assessed_on__lt=end, inmate_id__in=ids)
        .order_by("inmate_id", "assessed_on", "id")
        .only("id", "inmate_id", "diagnosis_code", "final_tier")
    }
    latest = [a.pk for a in assessments.values()]
    uses: dict[int, list[SubstanceUse]] = {}
    for history_row in SubstanceUse.objects.filter(assessment_id__in=latest).order_by("id"):
        uses.setdefault(history_row.assessment_id, []).append(history_row)
    plans: dict[int, list[str]] = {}
    for item in PlanItem.objects.filter(assessment_id__in=latest).order_by("id"):
        plans.setdefault(item.assessment_id, []).append(item.get_intervention_display())
    low = datetime.datetime.combine(end, datetime.time.min, tzinfo=facility.tzinfo)
    enrolments: dict[int, list[Enrolment]] = {}
    # Programmes of the period: not ended before it, and begun (or at least proposed) by its end.
    for enrolment in (
        Enrolment.objects.filter(facility_id=facility.pk, inmate_id__in=ids)
        .exclude(state=EnrolmentState.REJECTED)
        .exclude(ended_on__lt=start)
        .filter(Q(started_on__lt=end) | Q(started_on__isnull=True, created_at__lt=low))
        .select_related("track")
        .order_by("created_at", "id")
    ):
        enrolments.setdefault(enrolment.inmate_id, []).append(enrolment)

    last_day = end - datetime.timedelta(days=1)
    rows = []
    for person in people:
        screening = screenings.get(person.pk)
        assessment = assessments.get(person.pk)
        history = uses.get(assessment.pk, []) if assessment else []
        main = screening.main_substance if screening else ""
        other = screening.other_substance if screening else ""
        if not main and history:
            main, other = history[0].substance, ""
        use = next((u for u in history if u.substance == main), None)
        route = [use.get_route_display()] if use and use.route else []
        if screening is not None:
            answer = screening.get_injection_display()
            route.append(_("Menyuntik: %(answer)s") % {"answer": answer})
        service = []
        if assessment is not None:
            service.append(_("Tingkat %(tier)s") % {"tier": assessment.get_final_tier_display()})
            if plans.get(assessment.pk):
                service.append(
                    _("Rencana terapi: %(items)s") % {"items": ", ".join(plans[assessment.pk])}
                )
        for enrolment in enrolments.get(person.pk, []):
            service.append(f"{enrolment.track.name}: {_enrolment_state(enrolment, end)}")
        rows.append(
            RecapRow(
                initials=initials(person.full_name),
                number=person.registration_number,
                sex=person.sex,
                age=person.age_on(last_day),
                substance=_substance_label(main, other),
                duration=(
                    _("%(years)d tahun") % {"years": use.years_used}
                    if use and use.years_used is not None
                    else ""
                ),
                route="; ".join(route),
                diagnosis=assessment.diagnosis_code if assessment else "",
                service="; ".join(service),
                screened=person.was_screened,  # type: ignore[attr-defined]
                assessed=person.was_assessed,  # type: ignore[attr-defined]
                in_programme=person.was_in_programme,  # type: ignore[attr-defined]
            )
        )
    return rows


RECAP_WIDTHS = (5, 10, 18, 10, 8, 34, 14, 36, 12, 60)


def _recap_title(facility: Facility, start: datetime.date, end: datetime.date) -> str:
    is_month = start.day == 1 and end == (start + datetime.timedelta(days=32)).replace(day=1)
    if is_month:
        return _("Rekapitulasi data klien yang dilayani bulan %(month)s lembaga %(facility)s") % {
            "month": date_format(start, "F Y"),
            "facility": facility.name,
        }
    return _("Rekapitulasi data klien yang dilayani periode %(period)s lembaga %(facility)s") % {
        "period": _period_text(start, end),
        "facility": facility.name,
    }


def recap_xlsx(facility: Facility, start: datetime.date, end: datetime.date) -> bytes:
    """Write the BNN monthly client recap of the facility and period [start, end) to XLSX."""
    if start >= end:
        raise ValueError(f"periode kosong: {start} sampai {end}")
    rows = recap_rows(facility, start, end)
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_sheet_title(_("Rekapitulasi klien"), set()))
    for column, width in zip("ABCDEFGHIJ", RECAP_WIDTHS, strict=True):
        sheet.column_dimensions[column].width = width
    sheet.append([_cell(sheet, _recap_title(facility, start, end), bold=True)])
    sheet.append([_cell(sheet, _("Periode")), _cell(sheet, _period_text(start, end))])
    sheet.append([_cell(sheet, _("Jumlah klien")), _cell(sheet, len(rows))])
    sheet.append(
        [_cell(sheet, _("RAHASIA: data kesehatan pribadi (UU 27/2022). Jangan disebarluaskan."))]
    )
    sheet.append([])
    headers = [str(column.label) for column in definitions.RECAP_COLUMNS]
    wrap = Alignment(wrap_text=True, vertical="top")
    header_cells = []
    for text in headers:
        cell = _cell(sheet, text, bold=True)
        cell.alignment = wrap
        header_cells.append(cell)
    sheet.append(header_cells)
    for position, row in enumerate(rows, start=1):
        sheet.append([_cell(sheet, value) for value in row.cells(position)])
    return _save(workbook)
