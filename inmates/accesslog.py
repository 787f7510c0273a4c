"""The access log in the app: who read a WBP's restricted data or took it away on paper or in a
file. The case file shows its own last rows; a facility-wide page filters, prints and exports.

A row says THAT notes or results were read, and which file was downloaded; never what they hold.
"""

from __future__ import annotations

import datetime
from collections import Counter
from typing import Any, cast

from django import forms
from django.conf import settings
from django.core.paginator import Paginator
from django.db.models import OuterRef, Q, QuerySet, Subquery
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import dateformat, timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from inmates.forms import DateInput, DayFirstDateField, filter_summary
from inmates.models import Inmate
from rehab import access, audit, tables
from rehab.models import AccessLog

# Rows of the case file's section; the rest is one link away.
CASE_FILE_ROWS = 20
PAGE_SIZE = 50
CHOICE_MISSING = {"invalid_choice": _("Pilih salah satu pilihan yang ada.")}


def rows_for(facility_ids: list[int]) -> QuerySet[AccessLog]:
    """The access-log rows of the facilities, newest first, with the WBP each concerns."""
    inmates = Inmate.objects.filter(pk=OuterRef("inmate_id"))
    return (
        AccessLog.objects.filter(facility_id__in=facility_ids)
        .select_related("facility")
        .annotate(
            inmate_name=Subquery(inmates.values("full_name")[:1]),
            inmate_number=Subquery(inmates.values("registration_number")[:1]),
        )
        .order_by("-created_at", "-id")
    )


def of_inmate(inmate: Inmate, facility_ids: list[int]) -> list[AccessLog]:
    """The last rows about one WBP in the facilities the reader may see the log of (one more
    than shown, to tell whether there are more)."""
    return list(
        AccessLog.objects.filter(inmate_id=inmate.pk, facility_id__in=facility_ids)
        .select_related("facility")
        .order_by("-created_at", "-id")[: CASE_FILE_ROWS + 1]
    )


def local_time(row: AccessLog) -> str:
    """The moment of a read as the facility says it: "20 November 2026 10.00 WITA"."""
    moment = timezone.localtime(row.created_at, row.facility.tzinfo)
    return f"{dateformat.format(moment, 'j F Y H.i')} {row.facility.time_zone_label}"


class AccessLogFilterForm(forms.Form):
    """Narrow the access log: by user, days, what was read and the WBP's registration number."""

    user = forms.CharField(label=_("Pengguna"), max_length=100, required=False)
    start = DayFirstDateField(label=_("Dari tanggal"), widget=DateInput(), required=False)
    end = DayFirstDateField(label=_("Sampai tanggal"), widget=DateInput(), required=False)
    action = forms.ChoiceField(
        label=_("Akses"), choices=(), required=False, error_messages=CHOICE_MISSING
    )
    wbp = forms.CharField(label=_("No. registrasi WBP"), max_length=50, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        labelled = sorted(
            ((code, str(label)) for code, label in audit.ACCESS_LABELS.items()),
            key=lambda item: item[1],
        )
        cast(forms.ChoiceField, self.fields["action"]).choices = [("", _("Semua")), *labelled]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("start"), data.get("end")
        if start and end and end < start:
            self.add_error("end", _("Tanggal akhir tidak boleh sebelum tanggal awal."))
        return data


def _filtered(rows: QuerySet[AccessLog], data: dict[str, Any]) -> QuerySet[AccessLog]:
    if data["user"]:
        text = data["user"].strip()
        rows = rows.filter(Q(user_name__icontains=text) | Q(username__icontains=text))
    start: datetime.date | None = data["start"]
    end: datetime.date | None = data["end"]
    if start:
        rows = rows.filter(created_at__date__gte=start)
    if end:
        rows = rows.filter(created_at__date__lte=end)
    if data["action"]:
        rows = rows.filter(action=data["action"])
    if data["wbp"]:
        number = data["wbp"].strip()
        rows = rows.filter(
            inmate_id__in=Inmate.objects.filter(registration_number__iexact=number).values("pk")
        )
    return rows


COLUMNS = [
    (_("Waktu"), local_time),
    (_("Nama"), lambda r: r.user_name or r.username),
    (_("Nama pengguna"), lambda r: r.username),
    (_("Peran"), lambda r: r.role_labels()),
    (_("Akses"), lambda r: audit.access_label(r.action)),
    (_("WBP"), lambda r: r.inmate_name or ""),
    (_("No. registrasi"), lambda r: r.inmate_number or ""),
    (_("Keterangan"), lambda r: r.detail),
    (_("UPT"), lambda r: r.facility.name),
]


def _query_without_page(request: HttpRequest) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


@require_GET
def access_log(request: HttpRequest, output: str = "") -> HttpResponse:
    """Every read and download in the user's facilities: filtered, paginated, printed or
    exported as filtered (the print and the export are logged too)."""
    facility_ids = access.require_somewhere(request.user, "accesslog.view")
    form = AccessLogFilterForm(request.GET or None)
    rows = rows_for(facility_ids)
    summary = ""
    if form.is_valid():
        rows = _filtered(rows, form.cleaned_data)
        summary = filter_summary(form)
    elif form.is_bound:
        rows = rows.none()  # a filter that cannot be read shows nothing rather than everything
    if output:
        return _leave(request, output, rows, summary=summary, facility_ids=facility_ids)
    context = {
        "page": Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page")),
        "form": form,
        "query_string": _query_without_page(request),
        "show_facility": len(facility_ids) > 1,
    }
    return TemplateResponse(request, "inmates/access_log.html", context)


def _leave(
    request: HttpRequest,
    output: str,
    rows: QuerySet[AccessLog],
    *,
    summary: str,
    facility_ids: list[int],
) -> HttpResponse:
    """The filtered rows on paper or in a workbook, with one access-log row per facility."""
    limit = settings.LIST_PRINT_MAX_ROWS if output == "print" else settings.LIST_EXPORT_MAX_ROWS
    records = list(rows[: limit + 1])
    cut = len(records) > limit
    records = records[:limit]
    header = [str(label) for label, _value in COLUMNS]
    table = [[value(record) for _label, value in COLUMNS] for record in records]
    shown = sorted({record.facility_id for record in records}) or facility_ids[:1]
    per_facility = Counter(record.facility_id for record in records)
    audit.log_access_many(
        user=request.user,
        rows=[
            (
                facility_id,
                f"accesslog.{output}",
                "; ".join(p for p in (f"{per_facility[facility_id]} baris", summary) if p),
            )
            for facility_id in shown
        ],
    )
    title = str(_("Log akses data WBP"))
    if output == "print":
        back = f"{reverse('accesslog:list')}?{_query_without_page(request)}"
        return tables.print_view(
            request, title=title, header=header, rows=table, summary=summary, back=back,
            cut=cut, limit=limit,
        )  # fmt: skip
    content = tables.xlsx(
        header, table, by=request.user, filters=summary, title=title, sheet=str(_("Log akses"))
    )
    return tables.xlsx_response(content, "log-akses")
