"""Build SDP export files in memory (XLSX with openpyxl, CSV as bytes) for the import tests."""

from __future__ import annotations

import csv
import datetime
import io
import re
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from openpyxl import Workbook

HEADER = [
    "No. Registrasi",
    "Nama",
    "Jenis Kelamin",
    "Kategori Register",
    "Tanggal Masuk",
    "NIK",
    "Tanggal Lahir",
    "Pasal",
    "Lama Pidana",
    "Tanggal Ekspirasi",
    "Blok",
]


def sdp_row(n: int = 1, **overrides: Any) -> dict[str, Any]:
    """One valid WBP row keyed by HEADER; override cells by header name (spaces as '_')."""
    row: dict[str, Any] = {
        "No. Registrasi": f"BI.{n:03d}/2026",
        "Nama": f"Warga Binaan {n}",
        "Jenis Kelamin": "L",
        "Kategori Register": "B.I",
        "Tanggal Masuk": "02-03-2026",
        "NIK": "",
        "Tanggal Lahir": "17-05-1990",
        "Pasal": "Pasal 112 ayat (1)",
        "Lama Pidana": "5 tahun 6 bulan",
        "Tanggal Ekspirasi": "01-09-2031",
        "Blok": "A",
    }
    return _overridden(row, overrides)


def _overridden(row: dict[str, Any], overrides: dict[str, Any]) -> dict[str, Any]:
    for key, value in overrides.items():
        row[key.replace("_", " ") if key not in row else key] = value
    return row


def table(rows: Sequence[dict[str, Any]], header: Sequence[str] = HEADER) -> list[list[Any]]:
    return [list(header), *([row.get(h, "") for h in header] for row in rows)]


def csv_bytes(
    rows: Sequence[Sequence[Any]], *, delimiter: str = ",", encoding: str = "utf-8"
) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\r\n")
    writer.writerows(rows)
    return out.getvalue().encode(encoding)


def xlsx_bytes(rows: Sequence[Sequence[Any]], *, title_rows: Sequence[str] = ()) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    for title in title_rows:
        sheet.append([title])
    for row in rows:
        sheet.append([None if value == "" else value for value in row])
    for column in sheet.iter_cols():
        for cell in column:
            if isinstance(cell.value, datetime.date):
                cell.number_format = "DD-MM-YYYY"
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def sdp_csv(*rows: dict[str, Any], **kwargs: Any) -> bytes:
    return csv_bytes(table(rows), **kwargs)


def sdp_xlsx(*rows: dict[str, Any]) -> bytes:
    return xlsx_bytes(table(rows))


def xlsx_with_rows(
    content: bytes, rows_xml: Iterable[bytes], *, keep_dimension: bool = False
) -> bytes:
    """Copy an .xlsx, writing raw <row> XML at the end of its first sheet's data.

    The rows stream into the zip, so a sheet that unpacks to hundreds of megabytes is built
    without holding it in memory: the shape of a zip bomb or of a sheet of blank rows.
    """
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(content)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for member in source.infolist():
            data = source.read(member)
            if member.filename != "xl/worksheets/sheet1.xml":
                target.writestr(member, data)
                continue
            head, tail = data.split(b"</sheetData>")
            with target.open(member.filename, "w", force_zip64=True) as sheet:
                sheet.write(head if keep_dimension else re.sub(rb"<dimension [^>]*>", b"", head))
                for row in rows_xml:
                    sheet.write(row)
                sheet.write(b"</sheetData>" + tail)
    return out.getvalue()


def blank_rows(start: int, count: int) -> Iterator[bytes]:
    """Empty rows as Excel writes them for formatted but empty lines, in chunks of 10,000."""
    for first in range(start, start + count, 10_000):
        last = min(first + 10_000, start + count)
        yield b"".join(b'<row r="%d"/>' % n for n in range(first, last))


def text_cell_row(line: int, text: str) -> bytes:
    """One row whose first cell holds the given text inline."""
    return f'<row r="{line}"><c r="A{line}" t="inlineStr"><is><t>{text}</t></is></c></row>'.encode()


# The export of the detainees' register (tahanan, register A): no sentence yet, the next court
# hearing with its time, court and case number; some rows without a hearing, one with only a
# start time, one with a time range and the zone, dates as Excel dates and as text.
COURT_HEADER = [
    "No. Registrasi",
    "Nama",
    "Jenis Kelamin",
    "Kategori Register",
    "Tanggal Masuk",
    "Pasal",
    "Tanggal Sidang",
    "Jam Sidang",
    "Pengadilan",
    "No. Perkara",
    "Blok",
]


def court_row(n: int = 1, **overrides: Any) -> dict[str, Any]:
    """One detainee with a hearing; override cells by header name (spaces as '_')."""
    row: dict[str, Any] = {
        "No. Registrasi": f"AII.{n:03d}/2026",
        "Nama": f"Tahanan {n}",
        "Jenis Kelamin": "L",
        "Kategori Register": "A.II",
        "Tanggal Masuk": "14-09-2026",
        "Pasal": "Pasal 114 ayat (1) jo. Pasal 132",
        "Tanggal Sidang": "",
        "Jam Sidang": "",
        "Pengadilan": "",
        "No. Perkara": "",
        "Blok": "Tahanan",
    }
    return _overridden(row, overrides)


def court_xlsx(*rows: dict[str, Any]) -> bytes:
    return xlsx_bytes(
        table(rows, COURT_HEADER),
        title_rows=["DAFTAR TAHANAN RUTAN KELAS IIB BANJARNEGARA", "Jadwal sidang bulan Desember"],
    )


def confirmed_plan(page: str) -> dict[str, str]:
    """The confirmation the import preview page would post: the fingerprint of what it shows."""
    found = re.search(r'name="plan" value="([0-9a-f]{64})"', page)
    assert found, "the preview offers no confirmation"
    return {"plan": found.group(1)}
