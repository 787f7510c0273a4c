"""A list leaves the screen the same way everywhere: as an XLSX workbook (the rows, and a sheet
saying who exported what with which filters) or as a print view (every filtered row up to a
limit, no menus). The caller decides the columns, so it decides what each role may take away,
and writes the access-log row."""

from __future__ import annotations

import datetime
import io
from collections.abc import Sequence
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from rehab.formats import zoned

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# A cell starting with one of these is a formula to a spreadsheet: written as text instead.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
BOLD = Font(bold=True)


def _cell(sheet: WriteOnlyWorksheet, value: Any, *, bold: bool = False) -> Any:
    if isinstance(value, str) and value.startswith(FORMULA_START):
        value = "'" + value
    cell = WriteOnlyCell(sheet, value=value)
    if isinstance(value, datetime.date):
        cell.number_format = "DD-MM-YYYY"
    if bold:
        cell.font = BOLD
    return cell


def xlsx(
    header: Sequence[str],
    rows: Sequence[Sequence[Any]],
    *,
    by: Any,
    filters: str,
    title: str,
    sheet: str,
) -> bytes:
    """Write the rows as an XLSX workbook with a sheet saying who exported what."""
    workbook = Workbook(write_only=True)
    data = workbook.create_sheet(sheet[:31])
    data.append([_cell(data, str(label), bold=True) for label in header])
    for row in rows:
        data.append([_cell(data, value) for value in row])
    about = workbook.create_sheet(_("Keterangan"))
    exported_at = zoned(timezone.now())
    for label, value in [
        (title, ""),
        (_("Diekspor oleh"), by.get_full_name() or by.get_username()),
        (_("Waktu ekspor"), exported_at),
        (_("Saringan"), filters or _("tanpa saringan")),
        (_("Jumlah baris"), len(rows)),
    ]:
        about.append([_cell(about, label, bold=True), _cell(about, value)])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def xlsx_response(content: bytes, name: str) -> HttpResponse:
    response = HttpResponse(content, content_type=XLSX)
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response["Content-Disposition"] = f'attachment; filename="{name}-{stamp}.xlsx"'
    return response


def print_view(
    request: HttpRequest,
    *,
    title: str,
    header: Sequence[str],
    rows: Sequence[Sequence[Any]],
    summary: str,
    back: str,
    cut: bool,
    limit: int,
) -> TemplateResponse:
    """The rows on paper: a title, the filters, who printed it and when, no menus."""
    context = {
        "title": title, "header": header, "rows": rows, "summary": summary, "back": back,
        "cut": cut, "limit": limit,
    }  # fmt: skip
    return TemplateResponse(request, "rehab/table_print.html", context)
