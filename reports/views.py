"""Report pages: the archive per facility, one report (generate now, progress, narrative and
sign-off), downloads (PDF, XLSX, CSV, the BNN client recap) and the supervisor's roll-up."""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from programs import attendance
from rehab import access, audit, versions
from rehab.models import Facility
from rehab.pdf import page_size, pdf_response, render_pdf
from rehab.sections import Section
from rehab.sections import today as today_sections
from rehab.templatetags.rehab_format import zoned
from reports import definitions, exports, indicators, services, summary, tdi
from reports.forms import GenerateForm, SignForm, SummaryRefreshForm, TdiForm
from reports.models import Report, ReportKind, ReportStatus, previous_period

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _report(request: HttpRequest, pk: int, action: str) -> Report:
    return access.get_for_user(
        request.user, Report.objects.select_related("facility", "signed_by"), action, pk=pk
    )


@require_http_methods(["GET", "POST"])
def archive(request: HttpRequest) -> HttpResponse:
    """The current reports of the user's facilities, newest period first; generate one now."""
    facility_ids = access.require_somewhere(request.user, "report.view")
    generators = access.facilities_for(request.user, "report.generate")
    last_month = previous_period(ReportKind.MONTHLY, timezone.localdate())[0]
    form = GenerateForm(
        request.POST or None,
        facilities=generators,
        initial={"kind": ReportKind.MONTHLY, "period": f"{last_month:%m-%Y}"},
    )
    if request.method == "POST":
        access.require_somewhere(request.user, "report.generate")
        if form.is_valid():
            report = _queue(
                request, form.cleaned_data["facility"], form.cleaned_data["kind"],
                form.cleaned_data["start"],
            )  # fmt: skip
            return redirect(report)
    reports = (
        Report.objects.current()
        .filter(facility_id__in=facility_ids)
        .select_related("facility", "signed_by")
        .order_by("-period_start", "kind", "facility__name")
    )
    context = {
        "page": Paginator(reports, 30).get_page(request.GET.get("page")),
        "form": form if generators.exists() else None,
        "show_facility": len(facility_ids) > 1,
        "can_rollup": bool(access.facility_ids_for(request.user, "report.rollup")),
        "can_tdi": bool(access.facility_ids_for(request.user, "report.tdi")),
        "can_fhir": bool(access.facility_ids_for(request.user, "report.fhir")),
    }
    return TemplateResponse(request, "reports/archive.html", context)


def _queue(request: HttpRequest, facility: Facility, kind: str, start: datetime.date) -> Report:
    """Ask for the report (generated once the request's transaction commits) and say so."""
    report = services.report_queue(facility=facility, kind=kind, start=start, by=request.user)
    if report.is_signed:
        messages.info(request, _("Laporan periode ini sudah ditandatangani."))
    else:
        messages.success(request, _("Laporan sedang dibuat. Halaman ini akan diperbarui."))
    return report


@require_GET
def detail(request: HttpRequest, pk: int) -> TemplateResponse:
    """One report: its status (polled while it is being made), downloads, narrative and sign-off."""
    report = _report(request, pk, "report.view")
    form = SignForm(initial={"narrative": report.narrative}, record=report)
    template = "reports/detail.html#status" if request.htmx else "reports/detail.html"  # type: ignore[attr-defined]
    return TemplateResponse(request, template, _detail_context(request, report, form))


def _detail_context(request: HttpRequest, report: Report, form: SignForm) -> dict[str, Any]:
    return {
        "report": report,
        "summary": definitions.summary(indicators.in_current_layout(report.figures or {})),
        "versions": list(
            Report.objects.filter(
                facility=report.facility, kind=report.kind, period_start=report.period_start
            ).order_by("-version")
        ),
        "can_generate": access.can(request.user, "report.generate", report.facility_id),
        "can_sign": access.can(request.user, "report.sign", report.facility_id),
        "can_recap": access.can(request.user, "report.recap", report.facility_id),
        "form": form,
    }


@require_POST
def regenerate(request: HttpRequest, pk: int) -> HttpResponse:
    """Count the figures again (a new version only if the data changed)."""
    report = _report(request, pk, "report.generate")
    return redirect(_queue(request, report.facility, report.kind, report.period_start))


@require_POST
def sign(request: HttpRequest, pk: int) -> HttpResponse:
    """Save the warden's narrative; with "sign", sign and lock the report. A save over someone
    else's newer narrative is refused (409) with the page and what was typed."""
    report = _report(request, pk, "report.sign")
    form = SignForm(request.POST, record=report)
    if not form.is_valid():
        return TemplateResponse(
            request, "reports/detail.html", _detail_context(request, report, form)
        )
    try:
        report = services.report_sign(
            report=report, by=request.user, narrative=form.cleaned_data["narrative"],
            sign="sign" in request.POST, expected_revision=form.expected_version,
        )  # fmt: skip
    except versions.EditConflict:
        report = _report(request, pk, "report.sign")
        form.mark_conflict(report)
        context = _detail_context(request, report, form)
        return TemplateResponse(request, "reports/detail.html", context, status=409)
    except (services.ReportLocked, services.ReportConflict) as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            _("Laporan ditandatangani dan dikunci.")
            if report.is_signed
            else _("Uraian tersimpan."),
        )
    return redirect(report)


def _ready(report: Report) -> None:
    if report.status not in (ReportStatus.READY, ReportStatus.SIGNED) or not report.file:
        raise Http404("The report has no file yet.")


@require_GET
def download(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    """The report as PDF, XLSX or CSV, from its frozen snapshot; every download is logged."""
    report = _report(request, pk, "report.view")
    _ready(report)
    period = f"{report.period_start:%Y-%m}"
    stem = f"laporan-{report.kind}-{report.facility.code}-{period}-v{report.version}"
    if fmt == "pdf":
        if "size" in request.GET:  # another paper: laid out again from the frozen snapshot
            content = services.render(report, page_size(request, report.facility))
        else:
            with report.file.open("rb") as handle:
                content = handle.read()
        return pdf_response(
            content, f"{stem}.pdf", user=request.user, facility=report.facility, target=report
        )
    if fmt == "xlsx":
        response = HttpResponse(exports.report_xlsx(report), content_type=XLSX)
    elif fmt == "csv":
        response = HttpResponse(exports.report_csv(report), content_type="text/csv; charset=utf-8")
    else:
        raise Http404("Unknown format.")
    response["Content-Disposition"] = f'attachment; filename="{stem}.{fmt}"'
    audit.log_access(
        user=request.user, facility=report.facility, action=f"report.{fmt}", target=report
    )
    return response


@require_GET
def recap(request: HttpRequest, pk: int) -> HttpResponse:
    """The BNN monthly client recap (initials, sex, age, substance, diagnosis, treatment)."""
    report = _report(request, pk, "report.recap")
    content = exports.recap_xlsx(report.facility, report.period_start, report.period_end)
    response = HttpResponse(content, content_type=XLSX)
    name = f"rekap-klien-{report.facility.code}-{report.period_start:%Y-%m}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    audit.log_access(
        user=request.user, facility=report.facility, action="report.recap", target=report
    )
    return response


def _rollup(request: HttpRequest, form: SummaryRefreshForm | None = None) -> dict[str, Any]:
    facility_ids = access.require_somewhere(request.user, "report.rollup")
    default = previous_period(ReportKind.MONTHLY, timezone.localdate())[0]
    try:
        start = datetime.datetime.strptime(request.GET.get("periode", ""), "%m-%Y").date()
    except ValueError:
        start = default
    facilities = list(Facility.objects.filter(pk__in=facility_ids).order_by("name"))
    # The stored copies of the month's reports (reports.summary): one row per facility.
    stored = summary.reported(facility_ids, start.year, start.month)
    rows = []
    for facility in facilities:
        found = stored.get(facility.pk)
        rows.append({
            "facility": facility, "report": found.report if found else None,
            "figures": found.headline if found else None,
        })  # fmt: skip
    can_refresh = bool(access.facility_ids_for(request.user, "summary.refresh"))
    return {
        "period_start": start,
        "rows": rows,
        "totals": _totals(rows),
        "columns": [definitions.get(family, key) for family, key in ROLLUP_COLUMNS],
        "refresh_form": (form or SummaryRefreshForm(initial={"period": f"{start:%m-%Y}"}))
        if can_refresh
        else None,
    }


# The roll-up's columns: (total key, indicator family, figure).
HEADLINES = [
    ("admitted", "admissions", "admitted"),
    ("screened", "screening", "screened"),
    ("assessed", "assessment", "assessed"),
    ("active", "programme", "active"),
    ("completed", "programme", "completed"),
    ("dropped_out", "programme", "dropped_out"),
    ("sessions_held", "sessions", "held"),
    ("attendance_marks", "sessions", "attendance_marks"),
    ("attended", "sessions", "attended"),
    ("urine_positive", "urine", "positive_tests"),
    ("released", "aftercare", "released"),
    ("follow_ups_made", "aftercare", "follow_ups_made"),
]


# The roll-up's columns, labelled from the definition table (the PDF adds % not relapsing).
ROLLUP_COLUMNS = [
    ("admissions", "admitted"),
    ("screening", "screened"),
    ("assessment", "assessed"),
    ("programme", "active"),
    ("programme", "completed"),
    ("programme", "dropped_out"),
    ("sessions", "held"),
    ("sessions", "attendance_rate"),
    ("urine", "positive_tests"),
    ("aftercare", "released"),
    ("aftercare", "follow_ups_made"),
]


def _totals(rows: list[dict[str, Any]]) -> dict[str, Any]:
    """Sum the headline figures over the facilities that have a report."""
    totals: dict[str, Any] = {key: 0 for key, _family, _figure in HEADLINES}
    for row in rows:
        for key, family, figure in HEADLINES:
            if row["figures"]:
                totals[key] += row["figures"].get(family, {}).get(figure) or 0
    marks = totals["attendance_marks"]
    totals["attendance_rate"] = attendance.rate(totals["attended"], marks)
    totals["reports"] = sum(1 for row in rows if row["report"])
    return totals


def _rated(totals: dict[str, Any]) -> dict[str, Any]:
    """Add the attendance rate of the summed marks, as _totals does."""
    return {
        **totals,
        "attendance_rate": attendance.rate(totals["attended"], totals["attendance_marks"]),
    }


def _tdi_form(request: HttpRequest) -> TdiForm:
    access.require_somewhere(request.user, "report.tdi")
    facilities = access.facilities_for(request.user, "report.tdi").order_by("name")
    return TdiForm(request.GET or None, facilities=facilities)


def _tdi_page(request: HttpRequest, form: TdiForm) -> TemplateResponse:
    facility = form.cleaned_data["facility"] if form.is_valid() else None
    health = facility is not None and access.can(request.user, "health.view_result", facility)
    context = {
        "form": form,
        "query": request.GET.urlencode() if facility else "",
        "health": health,
        "codes": tdi.code_lists(health=health or facility is None),
    }
    return TemplateResponse(request, "reports/tdi.html", context)


@require_GET
def tdi_page(request: HttpRequest) -> TemplateResponse:
    """Pick the facility and period of the EMCDDA TDI 3.0 export; links to CSV and XLSX."""
    return _tdi_page(request, _tdi_form(request))


@require_GET
def tdi_download(request: HttpRequest, fmt: str) -> HttpResponse:
    """The TDI 3.0 rows of the entrants of the period (health items for clinical roles only)."""
    form = _tdi_form(request)
    if fmt not in ("csv", "xlsx"):
        raise Http404("Unknown format.")
    if not form.is_valid():
        return _tdi_page(request, form)
    facility = form.cleaned_data["facility"]
    start, end = form.cleaned_data["period_start"], form.cleaned_data["period_end"]
    health = access.can(request.user, "health.view_result", facility)
    if fmt == "csv":
        content: str | bytes = tdi.tdi_csv(facility, start, end, health=health)
        response = HttpResponse(content, content_type="text/csv; charset=utf-8")
    else:
        response = HttpResponse(
            tdi.tdi_xlsx(facility, start, end, health=health), content_type=XLSX
        )
    last = end - datetime.timedelta(days=1)
    name = f"tdi-{facility.code}-{start:%Y%m%d}-{last:%Y%m%d}.{fmt}"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    audit.log_access(
        user=request.user, facility=facility, action=f"report.tdi.{fmt}",
        detail=f"{start.isoformat()}..{last.isoformat()}" + (" +kesehatan" if health else ""),
    )  # fmt: skip
    return response


@require_GET
def definitions_page(request: HttpRequest) -> TemplateResponse:
    """What every figure of the reports counts: label, definition and unit (reports.definitions)."""
    access.require_somewhere(request.user, "report.view")
    families = [*definitions.all_families(), (definitions.RECAP_TITLE, definitions.RECAP_COLUMNS)]
    return TemplateResponse(request, "reports/definitions.html", {"families": families})


@require_GET
def rollup(request: HttpRequest) -> TemplateResponse:
    """A supervisor's table of their facilities' monthly figures, from the frozen reports."""
    return TemplateResponse(request, "reports/rollup.html", _rollup(request))


@require_GET
def rollup_pdf(request: HttpRequest) -> HttpResponse:
    """The roll-up as a PDF; logged."""
    context = _rollup(request)
    first, *others = [row["facility"] for row in context["rows"]]
    size = page_size(request, first)
    pdf = render_pdf("reports/rollup_pdf.html", context, request=request, page_size=size)
    name = f"rekap-laporan-bulanan-{context['period_start']:%Y-%m}.pdf"
    # The roll-up shows every facility's figures: log each (pdf_response logs the first).
    audit.log_access_many(
        user=request.user, rows=[(facility, "pdf.download", name) for facility in others]
    )
    return pdf_response(pdf, name, user=request.user, facility=first)


@require_POST
def rollup_refresh(request: HttpRequest) -> HttpResponse:
    """Count the month's stored summaries of the supervisor's facilities again (queued)."""
    facility_ids = access.require_somewhere(request.user, "summary.refresh")
    form = SummaryRefreshForm(request.POST)
    if not form.is_valid():
        return TemplateResponse(request, "reports/rollup.html", _rollup(request, form))
    day = form.cleaned_data["period"]
    services.summaries_refresh_queue(
        facilities=list(Facility.objects.filter(pk__in=facility_ids).order_by("pk")),
        year=day.year, month=day.month, by=request.user,
    )  # fmt: skip
    messages.success(
        request, _("Ringkasan %(period)s sedang dihitung ulang.") % {"period": f"{day:%m-%Y}"}
    )
    return redirect(f"{reverse('reports:rollup')}?periode={day:%m-%Y}")


# The today page counts at most this many missing summaries itself; beat counts the rest.
SUMMARY_FILL = 5


@today_sections.register(order=55)
def summary_today(request: HttpRequest, day: datetime.date) -> Section | None:
    """A supervisor's figures of the month so far and of last month over their facilities, from
    the stored summaries (the month so far counted by beat every hour)."""
    facility_ids = access.facility_ids_for(request.user, "report.rollup")
    if not facility_ids:
        return None
    last = previous_period(ReportKind.MONTHLY, day)[0]
    summary.fill(facility_ids, day.year, day.month, limit=SUMMARY_FILL)
    so_far = _rated(summary.sums(summary.of_month(facility_ids, day.year, day.month), HEADLINES))
    done = _rated(
        summary.sums(summary.copies_of_month(facility_ids, last.year, last.month), HEADLINES)
    )
    total = len(facility_ids)
    lines = [
        (
            _("Bulan ini sampai sekarang"),
            so_far,
            _("sementara: %(n)s dari %(total)s UPT, dihitung pukul %(at)s")
            % {"n": so_far["rows"], "total": total, "at": zoned(so_far["counted_at"]) or "-"},
        ),
        (
            formats.date_format(last, "F Y"),
            done,
            _("dari laporan %(n)s dari %(total)s UPT") % {"n": done["reports"], "total": total},
        ),
    ]
    context = {"facilities": len(facility_ids), "lines": lines}
    return Section("reports/_today_summary.html", context)


@today_sections.register(order=60)
def reports_today(request: HttpRequest, day: datetime.date) -> Section | None:
    """Reports waiting for the warden's signature."""
    facility_ids = access.facility_ids_for(request.user, "report.sign")
    if not facility_ids:
        return None
    waiting = list(
        Report.objects.current()
        .filter(facility_id__in=facility_ids, status=ReportStatus.READY)
        .select_related("facility")
        .order_by("period_start")[:10]
    )
    if not waiting:
        return None
    return Section("reports/_today.html", {"waiting": waiting})
