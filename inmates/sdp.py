"""Read WBP rows from an SDP export (XLSX or CSV): columns, conversions and per-row checks.

Pure parsing: nothing here touches the database. Cross-field date rules (birth in the future, age
at admission, expiry before admission...) belong to `Inmate.clean` and are applied by the import
service to the merged record, so they are written once.
"""

from __future__ import annotations

import csv
import datetime
import io
import re
import zipfile
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from itertools import chain, islice
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import load_workbook
from openpyxl.utils.datetime import from_excel
from openpyxl.worksheet._read_only import ReadOnlyWorksheet

from inmates.models import Education, RegisterClass, Religion, Sex, validate_nik

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

# The header row may sit under a title block ("DAFTAR WBP RUTAN ..."); look this far for it.
HEADER_SEARCH_ROWS = 10


class FileError(Exception):
    """The file as a whole cannot be read; the message is for the person who uploaded it."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class Column:
    key: str
    # The header as SDP writes it; file headers are Indonesian whatever the UI language.
    label: str
    kind: str
    fields: tuple[str, ...] = ()
    required: bool = False
    aliases: tuple[str, ...] = ()


COLUMNS = [
    Column(
        "no_registrasi",
        "No. Registrasi",
        "text",
        ("registration_number",),
        required=True,
        aliases=("Nomor Registrasi", "No Reg", "Noreg", "Registrasi", "No Registrasi WBP"),
    ),
    Column(
        "nama",
        "Nama",
        "name",
        ("full_name",),
        required=True,
        aliases=("Nama Lengkap", "Nama WBP"),
    ),
    Column(
        "jenis_kelamin",
        "Jenis Kelamin",
        "sex",
        ("sex",),
        required=True,
        aliases=("JK", "L/P", "Kelamin"),
    ),
    Column(
        "kategori_register",
        "Kategori Register",
        "register",
        ("register_class",),
        required=True,
        aliases=("Register", "Kategori", "Kategori Registrasi", "Golongan Register"),
    ),
    Column(
        "tanggal_masuk",
        "Tanggal Masuk",
        "date",
        ("admission_date",),
        required=True,
        aliases=("Tgl Masuk", "Tgl. Masuk"),
    ),
    Column(
        "alias",
        "Alias",
        "alias",
        ("aliases",),
        aliases=(
            "Nama Alias",
            *(f"{prefix} {n}" for prefix in ("Alias", "Nama Alias", "Nama Kecil") for n in "123"),
            "Nama Kecil",
        ),
    ),
    Column("nik", "NIK", "nik", ("nik",), aliases=("No KTP", "Nomor Induk Kependudukan")),
    Column("tempat_lahir", "Tempat Lahir", "text", ("birth_place",)),
    Column("tanggal_lahir", "Tanggal Lahir", "date", ("birth_date",), aliases=("Tgl Lahir",)),
    Column("agama", "Agama", "religion", ("religion",)),
    Column(
        "pendidikan", "Pendidikan", "education", ("education",), aliases=("Pendidikan Terakhir",)
    ),
    Column("pekerjaan", "Pekerjaan", "text", ("occupation",)),
    Column("alamat", "Alamat", "text", ("address",), aliases=("Alamat Lengkap",)),
    Column(
        "asal_kabupaten",
        "Kabupaten Asal",
        "text",
        ("origin_regency",),
        aliases=("Asal Kabupaten", "Kab/Kota Asal", "Kabupaten/Kota Asal", "Kota Asal"),
    ),
    Column(
        "kewarganegaraan",
        "Kewarganegaraan",
        "nationality",
        ("nationality",),
        aliases=("Warga Negara", "WN"),
    ),
    Column(
        "tanggal_ditahan",
        "Tanggal Ditahan",
        "date",
        ("detention_date",),
        aliases=("Tgl Ditahan", "Tanggal Mulai Ditahan", "Tanggal Penahanan"),
    ),
    Column(
        "pasal",
        "Pasal",
        "articles",
        aliases=("Tindak Pidana/Pasal", "Pasal yang Dilanggar", "Pasal Putusan"),
    ),
    Column(
        "nomor_putusan",
        "Nomor Putusan",
        "text",
        ("verdict_number",),
        aliases=("No Putusan", "No. Putusan"),
    ),
    Column(
        "tanggal_putusan", "Tanggal Putusan", "date", ("verdict_date",), aliases=("Tgl Putusan",)
    ),
    Column(
        "lama_pidana",
        "Lama Pidana",
        "sentence",
        ("sentence_months", "sentence_days"),
        aliases=("Masa Pidana", "Pidana"),
    ),
    Column(
        "tanggal_ekspirasi",
        "Tanggal Ekspirasi",
        "date",
        ("expiry_date",),
        aliases=("Tgl Ekspirasi", "Ekspirasi"),
    ),
    Column("tanggal_bebas", "Tanggal Bebas", "date", ("release_date",), aliases=("Tgl Bebas",)),
    Column("blok", "Blok", "text", ("block",), aliases=("Wisma",)),
    Column("kamar", "Kamar", "text", ("cell",), aliases=("Sel", "Kamar/Sel", "No Kamar")),
    # The next court hearing, where the export has it: not a field of the WBP record but a
    # block on the WBP's day (programs.scheduling), kept on the row as `hearing`.
    Column(
        "jadwal_sidang",
        "Jadwal Sidang",
        "hearing_date",
        aliases=(
            "Tanggal Sidang",
            "Tgl Sidang",
            "Tgl. Sidang",
            "Sidang Berikutnya",
            "Jadwal Sidang Berikutnya",
            "Tanggal Sidang Berikutnya",
        ),
    ),
    Column("jam_sidang", "Jam Sidang", "hearing_time", aliases=("Waktu Sidang", "Pukul Sidang")),
    Column(
        "pengadilan",
        "Pengadilan",
        "hearing_court",
        aliases=("Pengadilan Negeri", "Nama Pengadilan", "Tempat Sidang"),
    ),
    Column(
        "no_perkara",
        "No. Perkara",
        "hearing_case",
        aliases=("Nomor Perkara", "No Perkara", "Nomor Register Perkara"),
    ),
]
COLUMNS_BY_KEY = {c.key: c for c in COLUMNS}
# For messages about a model field (from Inmate.clean), name the column the value comes from.
FIELD_LABELS = {name: c.label for c in COLUMNS for name in c.fields}


def normalise_header(text: str) -> str:
    """Lower-case, turn punctuation into spaces and squeeze them: 'No. Reg' -> 'no reg'."""
    return " ".join(re.sub(r"[^0-9a-z]+", " ", text.lower()).split())


HEADER_INDEX = {
    normalise_header(name): c.key for c in COLUMNS for name in (c.key, c.label, *c.aliases)
}


@dataclass
class ParsedRow:
    line: int
    registration_number: str
    data: dict[str, Any] = field(default_factory=dict)
    articles: list[dict[str, Any]] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    # Model fields whose cell was refused, so the model checks skip them instead of repeating.
    failed_fields: set[str] = field(default_factory=set)
    # The court hearing of the row, when the export has one: date, start_time, end_time,
    # court, case_number (see `_check_hearing`).
    hearing: dict[str, Any] = field(default_factory=dict)


def column_error(label: str, message: str) -> str:
    return _("Kolom %(column)s: %(message)s") % {"column": label, "message": message}


# --- values ----------------------------------------------------------------------------------

MONTHS = {
    name: n
    for n, names in enumerate(
        [
            ("januari", "jan"),
            ("februari", "feb", "pebruari"),
            ("maret", "mar"),
            ("april", "apr"),
            ("mei",),
            ("juni", "jun"),
            ("juli", "jul"),
            ("agustus", "agu", "agt", "ags", "agst"),
            ("september", "sep", "sept"),
            ("oktober", "okt"),
            ("november", "nov", "nop", "nopember"),
            ("desember", "des"),
        ],
        start=1,
    )
    for name in names
}
DMY_RE = re.compile(r"^(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})$")
YMD_RE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]00:00(?::00)?)?$")
D_MONTH_Y_RE = re.compile(r"^(\d{1,2})[\s-]+([a-z]+)\.?[\s-]+(\d{4})$")
# Excel's serial day numbers for 1900-01-01 .. 9999-12-31.
EXCEL_SERIAL_RANGE = (1, 2958465)


def parse_date(value: Any) -> datetime.date:
    """Turn a cell into a date, or raise ValueError with the reason in Indonesian."""
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        # A date cell that lost its date format still holds Excel's serial number.
        if EXCEL_SERIAL_RANGE[0] <= value <= EXCEL_SERIAL_RANGE[1]:
            return from_excel(value).date()
        raise ValueError(
            _("format tanggal tidak dikenali; gunakan hh-bb-tttt, misalnya 17-08-2025.")
        )
    text = str(value).strip().lower()
    if match := DMY_RE.match(text):
        day, month, year = (int(g) for g in match.groups())
    elif match := YMD_RE.match(text):
        year, month, day = (int(g) for g in match.groups())
    elif (match := D_MONTH_Y_RE.match(text)) and match.group(2) in MONTHS:
        day, month, year = int(match.group(1)), MONTHS[match.group(2)], int(match.group(3))
    else:
        raise ValueError(
            _('format tanggal "%(value)s" tidak dikenali; gunakan hh-bb-tttt, misalnya 17-08-2025.')
            % {"value": str(value).strip()}
        )
    if year < 1900:
        raise ValueError(_("tahun %(year)d tidak masuk akal.") % {"year": year})
    try:
        return datetime.date(year, month, day)
    except ValueError:
        raise ValueError(
            _('tanggal "%(value)s" tidak ada di kalender.') % {"value": str(value).strip()}
        ) from None


TIME_RE = re.compile(
    r"^(?:pukul\s*|jam\s*)?(\d{1,2})[:.](\d{2})(?::\d{2})?"
    r"(?:\s*(?:-|\u2013|s\.?\s?d\.?|sampai)\s*(\d{1,2})[:.](\d{2})(?::\d{2})?)?"
    r"(?:\s*(?:wib|wita|wit))?(?:\s*(?:-|s\.?\s?d\.?|sampai)\s*selesai)?$"
)
# A hearing exported with its start only keeps the WBP out this long (transport included).
HEARING_HOURS = 4
HEARING_LIMITS = {"court": 120, "case_number": 60}


def parse_times(value: Any) -> tuple[datetime.time, datetime.time | None]:
    """Turn a cell ("09.00", "09:00-12:00 WIB", an Excel time) into a start and an end time (or
    None), or raise ValueError with the reason in Indonesian."""
    if isinstance(value, datetime.datetime):
        value = value.time()
    if isinstance(value, datetime.time):
        return value.replace(second=0, microsecond=0, tzinfo=None), None
    if isinstance(value, float) and 0 <= value < 1:  # a time cell that lost its format
        minutes = round(value * 24 * 60)
        return datetime.time(minutes // 60, minutes % 60), None
    text = " ".join(str(value).strip().lower().split())
    match = TIME_RE.match(text)
    try:
        if not match:
            raise ValueError
        start = datetime.time(int(match.group(1)), int(match.group(2)))
        end = datetime.time(int(match.group(3)), int(match.group(4))) if match.group(3) else None
    except ValueError:
        raise ValueError(
            _('jam "%(value)s" tidak dikenali; gunakan jj.mm, misalnya 09.00 atau 09.00-12.00.')
            % {"value": str(value).strip()}
        ) from None
    if end is not None and end <= start:
        raise ValueError(_("jam selesai harus sesudah jam mulai."))
    return start, end


def _convert_hearing(kind: str, value: Any, row: ParsedRow) -> None:
    if kind == "hearing_date":
        if isinstance(value, datetime.datetime) and value.time() != datetime.time.min:
            row.hearing.setdefault("start_time", value.time().replace(second=0, microsecond=0))
        row.hearing["date"] = parse_date(value)
    elif kind == "hearing_time":
        row.hearing["start_time"], row.hearing["end_time"] = parse_times(value)
    else:
        name = "court" if kind == "hearing_court" else "case_number"
        text = _text(value)
        if len(text) > HEARING_LIMITS[name]:
            raise ValueError(
                _("terlalu panjang: paling banyak %(limit)d karakter.")
                % {"limit": HEARING_LIMITS[name]}
            )
        row.hearing[name] = text


def _check_hearing(row: ParsedRow, failed: bool) -> None:
    """Complete the row's hearing: hours both or neither (a start alone lasts HEARING_HOURS),
    and a time, court or case number without a date is an error. A refused cell drops it."""
    hearing = row.hearing
    if failed:
        row.hearing = {}
        return
    if not hearing:
        return
    if "date" not in hearing:
        row.errors.append(
            column_error(
                COLUMNS_BY_KEY["jadwal_sidang"].label,
                _("wajib diisi bila jam, pengadilan atau nomor perkara sidang diisi."),
            )
        )
        row.hearing = {}
        return
    start, end = hearing.get("start_time"), hearing.get("end_time")
    if start is not None and end is None:
        later = datetime.datetime.combine(hearing["date"], start) + datetime.timedelta(
            hours=HEARING_HOURS
        )
        end = later.time() if later.date() == hearing["date"] else datetime.time(23, 59)
    hearing["start_time"], hearing["end_time"] = start, end
    hearing.setdefault("court", "")
    hearing.setdefault("case_number", "")


def compact(text: str) -> str:
    """Keep only letters and digits, upper-cased: 'B.IIa' -> 'BIIA'."""
    return re.sub(r"[^0-9A-Z]+", "", text.upper())


REGISTER_CODES = {
    **{compact(c.value): c.value for c in RegisterClass},
    "A1": RegisterClass.A_I,
    "A2": RegisterClass.A_II,
    "A3": RegisterClass.A_III,
    "A4": RegisterClass.A_IV,
    "A5": RegisterClass.A_V,
    "B1": RegisterClass.B_I,
    "B2A": RegisterClass.B_IIA,
    "B2B": RegisterClass.B_IIB,
    "B3": RegisterClass.B_III,
    # B.IIIS (kurungan pengganti denda) is counted under B.III.
    "BIIIS": RegisterClass.B_III,
    "B3S": RegisterClass.B_III,
    "SEUMURHIDUP": RegisterClass.SH,
    "PIDANAMATI": RegisterClass.MATI,
    "HUKUMANMATI": RegisterClass.MATI,
}
SEX_CODES = {
    **dict.fromkeys(["L", "LK", "LAKILAKI", "LAKI", "PRIA", "M", "MALE"], Sex.MALE),
    **dict.fromkeys(["P", "PR", "PEREMPUAN", "WANITA", "W", "F", "FEMALE"], Sex.FEMALE),
}
RELIGION_CODES = {
    "ISLAM": Religion.ISLAM,
    "MUSLIM": Religion.ISLAM,
    "KRISTEN": Religion.PROTESTANT,
    "PROTESTAN": Religion.PROTESTANT,
    "KRISTENPROTESTAN": Religion.PROTESTANT,
    "KATOLIK": Religion.CATHOLIC,
    "KATHOLIK": Religion.CATHOLIC,
    "KRISTENKATOLIK": Religion.CATHOLIC,
    "HINDU": Religion.HINDU,
    "BUDDHA": Religion.BUDDHIST,
    "BUDHA": Religion.BUDDHIST,
    "BUDDHIS": Religion.BUDDHIST,
    "KONGHUCU": Religion.CONFUCIAN,
    "KHONGHUCU": Religion.CONFUCIAN,
    "KONGHUCHU": Religion.CONFUCIAN,
    "LAINNYA": Religion.OTHER,
    "LAINLAIN": Religion.OTHER,
    "KEPERCAYAAN": Religion.OTHER,
}
EDUCATION_CODES = {
    **dict.fromkeys(
        ["TIDAKSEKOLAH", "BELUMSEKOLAH", "TIDAKADA", "TIDAKTAMATSD", "BELUMTAMATSD"],
        Education.NONE,
    ),
    **dict.fromkeys(["SD", "MI", "TAMATSD", "SEKOLAHDASAR"], Education.SD),
    **dict.fromkeys(["SMP", "SLTP", "MTS", "TAMATSMP"], Education.SMP),
    **dict.fromkeys(["SMA", "SMK", "SLTA", "MA", "STM", "SMEA", "TAMATSMA"], Education.SMA),
    **dict.fromkeys(["D1", "D2", "D3", "D4", "DIPLOMA", "AKADEMI"], Education.DIPLOMA),
    **dict.fromkeys(["S1", "SARJANA", "STRATA1"], Education.S1),
    **dict.fromkeys(["S2", "S3", "MAGISTER", "DOKTOR", "PASCASARJANA"], Education.POSTGRAD),
}


def parse_code(text: str, codes: Mapping[str, str]) -> str | None:
    """Look a cell up in a code table by its letters, then by its first word ('SMA/SMK')."""
    code = codes.get(compact(text))
    if code is None:
        words = re.split(r"[^0-9A-Za-z]+", text.strip())
        code = codes.get(compact(words[0])) if words else None
    return code


SENTENCE_UNITS = {
    "tahun": "years",
    "thn": "years",
    "th": "years",
    "bulan": "months",
    "bln": "months",
    "bl": "months",
    "hari": "days",
    "hr": "days",
}
SENTENCE_RE = re.compile(r"(\d+)\s*(tahun|thn|th|bulan|bln|bl|hari|hr)\b\.?")
SENTENCE_WITHOUT_TERM = {"seumur hidup", "sh", "mati", "pidana mati", "hukuman mati", "-"}


def parse_sentence(text: str) -> tuple[int | None, int | None]:
    """Read '5 tahun 6 bulan', '1 th 6 bln', '30 hari' as (months, days); None where not given."""
    # Verdicts spell numbers out as well: '5 (lima) tahun'.
    cleaned = re.sub(r"\([^)]*\)", " ", text.lower())
    cleaned = " ".join(cleaned.replace(",", " ").split())
    if cleaned in SENTENCE_WITHOUT_TERM:
        return None, None
    totals: dict[str, int] = {}
    for number, unit in SENTENCE_RE.findall(cleaned):
        totals[SENTENCE_UNITS[unit]] = totals.get(SENTENCE_UNITS[unit], 0) + int(number)
    leftover = SENTENCE_RE.sub(" ", cleaned).replace(" dan ", " ").strip()
    if not totals or leftover not in ("", "dan"):
        raise ValueError(
            _(
                'lama pidana "%(value)s" tidak dapat dibaca; tulis seperti "5 tahun 6 bulan" '
                'atau "30 hari".'
            )
            % {"value": text.strip()}
        )
    has_months = "years" in totals or "months" in totals
    months = totals.get("years", 0) * 12 + totals.get("months", 0) if has_months else None
    return months, totals.get("days")


LAW_RE = re.compile(
    r"\b(?:uu|undang[\s-]*undang)\b\.?\s*(?:ri\b\.?\s*)?(?:(?:no|nomor|nomer)\b\.?\s*)?"
    r"(?P<number>\d+)(?:\s*(?:tahun|thn|th|/)\.?\s*(?P<year>\d{4}))?"
)
ARTICLE_RE = re.compile(
    r"(?P<junto>\b(?:jo|juncto|junto|jis)\b\.?\s*)?"
    r"(?:\b(?:pasal|psl|ps)\b\.?\s*)?"
    r"\b(?P<article>\d{1,3})\b"
    r"(?:\s*(?:\b(?:ayat|ayt|ay)\b\.?\s*)?\(\s*(?P<paragraph>\d{1,2})\s*\)"
    r"|\s*\b(?:ayat|ayt|ay)\b\.?\s*(?P<paragraph_bare>\d{1,2})\b)?"
    r"(?:\s*\b(?:huruf|hrf|hur)\b\.?\s*\(?(?P<letter>[a-z])\b\)?"
    r"|\s*\((?P<letter_bracketed>[a-z])\)"
    r"|\s+(?P<letter_bare>[a-z])\b(?!\.))?"
)
DEFAULT_LAW = "UU 35/2009"


def parse_articles(text: str) -> list[dict[str, Any]]:
    """Read 'Pasal 114 ayat (1) jo. Pasal 132 ayat (1) UU RI No. 35 Tahun 2009' as article rows.

    Raise ValueError (message in Indonesian) when no article can be read, or digits are left
    over that would otherwise be silently dropped.
    """
    lowered = " ".join(text.lower().split())
    law = DEFAULT_LAW
    if match := LAW_RE.search(lowered):
        number, year = match.group("number"), match.group("year")
        law = f"UU {number}/{year}" if year else f"UU {number}"
        lowered = lowered[: match.start()] + " " + lowered[match.end() :]
    elif re.search(r"\bkuhp\b", lowered):
        law = "KUHP"
    rows = [
        {
            "law": law,
            "article": m.group("article"),
            "paragraph": m.group("paragraph") or m.group("paragraph_bare") or "",
            "letter": m.group("letter")
            or m.group("letter_bracketed")
            or m.group("letter_bare")
            or "",
            "junto": bool(m.group("junto")),
        }
        for m in ARTICLE_RE.finditer(lowered)
    ]
    # Words without digits ('tentang Narkotika', 'Primair', 'dan') are harmless; a number that
    # no pattern took would be a pasal or ayat lost without anyone noticing.
    leftover = ARTICLE_RE.sub(" ", lowered)
    if not rows or re.search(r"\d", leftover):
        raise ValueError(
            _(
                'pasal "%(value)s" tidak dapat dibaca; tulis seperti "Pasal 114 ayat (1) jo. '
                'Pasal 132 ayat (1)".'
            )
            % {"value": text.strip()}
        )
    return rows


# --- reading the file -------------------------------------------------------------------------

BINARY_MAGIC = (b"%PDF", b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"Rar!", b"\x1f\x8b", b"7z\xbc\xaf")
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06")
UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")


def not_a_spreadsheet() -> FileError:
    return FileError(
        _(
            "Berkas ini bukan lembar kerja yang dapat dibaca. Unggah hasil ekspor SDP dalam "
            "format Excel (.xlsx) atau CSV UTF-8."
        )
    )


def not_utf8() -> FileError:
    return FileError(
        _(
            'Berkas CSV tidak tersimpan dalam UTF-8. Di Excel pilih "Simpan Sebagai" lalu jenis '
            '"CSV UTF-8 (Comma delimited)", kemudian unggah lagi.'
        )
    )


def read_rows(
    file_name: str,
    content: bytes,
    *,
    max_rows: int | None = None,
    max_bytes: int | None = None,
) -> list[ParsedRow]:
    """Read and check every data row of an SDP export, or raise FileError for the whole file."""
    max_rows = settings.IMPORT_MAX_ROWS if max_rows is None else max_rows
    max_bytes = settings.IMPORT_MAX_BYTES if max_bytes is None else max_bytes
    if not content.strip():
        raise FileError(_("Berkas kosong."))
    if len(content) > max_bytes:
        raise FileError(
            _("Berkas terlalu besar (%(size)s); batasnya %(limit)s.")
            % {"size": filesizeformat(len(content)), "limit": filesizeformat(max_bytes)}
        )
    cells = (
        _xlsx_cells(content) if content.startswith(ZIP_MAGIC) else _csv_cells(file_name, content)
    )
    return _parse_table(_bounded(cells), max_rows=max_rows)


def _check_zip(content: bytes) -> None:
    """Refuse a zip that is broken or would unpack to far more than an SDP export (a zip bomb).

    The sizes come from the zip's directory; zipfile never returns more bytes than a member
    declares (a lie fails its CRC check), so checking the declared sizes is enough.
    """
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            members = archive.infolist()
            _check_sizes(members)
            for member in members:
                if member.file_size > 1024 * 1024:
                    _check_sheet_rows(archive, member)
    except (zipfile.BadZipFile, ValueError, EOFError) as error:
        raise not_a_spreadsheet() from error


def _check_sizes(members: list[zipfile.ZipInfo]) -> None:
    unzipped_limit = settings.IMPORT_MAX_UNZIPPED_MB * 1024 * 1024
    too_packed = any(
        m.file_size > 1024 * 1024
        and m.file_size > settings.IMPORT_MAX_COMPRESSION_RATIO * max(m.compress_size, 1)
        for m in members
    )
    if (
        len(members) > settings.IMPORT_MAX_ZIP_MEMBERS
        or sum(m.file_size for m in members) > unzipped_limit
        or too_packed
    ):
        raise FileError(
            _(
                "Berkas Excel ini terlalu besar setelah dibuka (lebih dari %(limit)d MB) atau "
                "rusak. Simpan ulang hanya lembar data WBP sebagai .xlsx, atau sebagai CSV UTF-8."
            )
            % {"limit": settings.IMPORT_MAX_UNZIPPED_MB}
        )


def _check_sheet_rows(archive: zipfile.ZipFile, member: zipfile.ZipInfo) -> None:
    """Refuse a sheet without a <dimension> that holds more row elements than the sheet limit.

    Without a <dimension>, openpyxl reads the whole sheet once just to size it, before the
    first row reaches us (2 million blank rows: 40 s). With one, rows are read lazily and a run
    of blank rows ends the sheet at once, so those sheets need no count.
    """
    limit = settings.IMPORT_MAX_SHEET_ROWS
    rows = 0
    with archive.open(member) as stream:
        head = stream.read(64 * 1024)
        if b"<dimension" in head.split(b"<sheetData", 1)[0]:
            return
        chunk = head
        while chunk:
            rows += chunk.count(b"<row")
            if rows > limit:
                raise FileError(
                    _(
                        "Lembar kerja berisi lebih dari %(limit)s baris, termasuk baris kosong. "
                        "Hapus baris kosong di bawah data, atau simpan sebagai CSV UTF-8."
                    )
                    % {"limit": number_format(limit, force_grouping=True)}
                )
            chunk = stream.read(1024 * 1024)


def _bounded(cells: Iterator[tuple[int, list[Any]]]) -> Iterator[tuple[int, list[Any]]]:
    """Pass rows on while they look like an export: a long run of blank rows ends the sheet,
    and a row wider than the column limit or a cell longer than the cell limit stops the file."""
    max_columns, max_chars = settings.IMPORT_MAX_COLUMNS, settings.IMPORT_MAX_CELL_CHARS
    blank_run = 0
    for line, values in cells:
        if all(map(_is_blank, values)):
            blank_run += 1
            if blank_run >= settings.IMPORT_BLANK_ROWS_END_SHEET:
                return
            continue
        blank_run = 0
        if any(not _is_blank(v) for v in values[max_columns:]):
            raise FileError(
                _("Baris %(line)d berisi lebih dari %(limit)d kolom; ini bukan ekspor SDP.")
                % {"line": line, "limit": max_columns}
            )
        for value in values:
            if isinstance(value, str) and len(value) > max_chars:
                raise cell_too_long(line, max_chars)
        yield line, values[:max_columns]


def cell_too_long(line: int | None, limit: int) -> FileError:
    params = {"line": line, "limit": number_format(limit, force_grouping=True)}
    if line is None:
        return FileError(_("Isi sel terlalu panjang: paling banyak %(limit)s karakter.") % params)
    return FileError(
        _("Baris %(line)d: isi sel terlalu panjang: paling banyak %(limit)s karakter.") % params
    )


def _xlsx_cells(content: bytes) -> Iterator[tuple[int, list[Any]]]:
    _check_zip(content)
    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    # A zip that is not a workbook (a .docx, a broken download) fails in many different ways
    # inside openpyxl (BadZipFile, KeyError, InvalidFileException...); to the person uploading
    # they all mean the same thing.
    except Exception as error:
        raise not_a_spreadsheet() from error
    try:
        sheet = workbook.worksheets[0]
        if isinstance(sheet, ReadOnlyWorksheet):
            # Some exporters write a wrong <dimension>; trusting it would silently drop rows.
            sheet.reset_dimensions()
        # One column past the limit is read, so that a value there is seen and refused; cells
        # further right are not even turned into Python values.
        rows = sheet.iter_rows(max_col=settings.IMPORT_MAX_COLUMNS + 1, values_only=True)
        for line, values in enumerate(rows, start=1):
            yield line, list(values)
    finally:
        workbook.close()


def _csv_cells(file_name: str, content: bytes) -> Iterator[tuple[int, list[Any]]]:
    if content.startswith(OLE_MAGIC):
        raise FileError(
            _(
                "Berkas Excel lama (.xls) atau berkas yang dikunci kata sandi tidak dapat "
                "dibaca. Simpan sebagai Excel Workbook (.xlsx) tanpa kata sandi, atau sebagai "
                "CSV UTF-8."
            )
        )
    if content.startswith(BINARY_MAGIC):
        raise not_a_spreadsheet()
    if content.startswith(UTF16_BOMS) or _looks_like_utf16(content):
        raise not_utf8()
    if b"\x00" in content[:8192]:
        raise not_a_spreadsheet()
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        # Bytes that are not UTF-8 in a file called .xlsx are not a workbook at all; in a .csv
        # they are almost always Excel's default "CSV (Comma delimited)" in Windows-1252.
        if file_name.lower().endswith((".xlsx", ".xlsm", ".xls")):
            raise not_a_spreadsheet() from None
        raise not_utf8() from None
    # A line longer than every column at its longest is refused before the csv module splits it
    # (a line of ten million commas would otherwise become a list of ten million cells).
    longest = settings.IMPORT_MAX_COLUMNS * (settings.IMPORT_MAX_CELL_CHARS + 3)
    if any(len(line) > longest for line in text.splitlines()):
        raise cell_too_long(None, settings.IMPORT_MAX_CELL_CHARS)
    delimiter = _sniff_delimiter(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        yield from enumerate(reader, start=1)
    except csv.Error as error:
        # A quoted cell running over many lines passes csv's own field limit (128 KB).
        if "field larger than field limit" in str(error):
            raise cell_too_long(reader.line_num, settings.IMPORT_MAX_CELL_CHARS) from error
        raise not_a_spreadsheet() from error


def _looks_like_utf16(content: bytes) -> bool:
    """UTF-16 without a byte-order mark: ASCII text with every other byte zero."""
    head = content[:200]
    return len(head) >= 4 and (
        head[1::2].count(0) > len(head) // 4 or head[0::2].count(0) > len(head) // 4
    )


def _sniff_delimiter(text: str) -> str:
    """Pick ';' (Indonesian Excel), ',' or tab: whichever makes the most known headers."""
    head = "\n".join(text[: 64 * 1024].splitlines()[:HEADER_SEARCH_ROWS])
    best, best_score = ",", (-1, -1)
    for delimiter in (",", ";", "\t"):
        rows = csv.reader(io.StringIO(head), delimiter=delimiter)
        known = max((_known_headers(row) for row in rows), default=0)
        score = (known, head.count(delimiter))
        if score > best_score:
            best, best_score = delimiter, score
    return best


def _known_headers(values: Iterable[Any]) -> int:
    return sum(1 for v in values if isinstance(v, str) and normalise_header(v) in HEADER_INDEX)


def _is_blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _parse_table(cells: Iterator[tuple[int, list[Any]]], *, max_rows: int) -> list[ParsedRow]:
    head = list(
        islice((item for item in cells if not all(map(_is_blank, item[1]))), HEADER_SEARCH_ROWS)
    )
    if not head:
        raise FileError(_("Berkas kosong."))
    # The header is the first row naming at least two known columns; failing that, the first
    # row, so that the message lists what it lacks.
    header_at = next((i for i, (_line, row) in enumerate(head) if _known_headers(row) >= 2), 0)
    columns = _map_columns(head[header_at][1])
    raw_rows = head[header_at + 1 :]

    rows: list[ParsedRow] = []
    for line, values in chain(raw_rows, cells):
        if all(map(_is_blank, values)):
            continue
        if len(rows) == max_rows:
            raise FileError(
                _("Berkas berisi lebih dari %(limit)d baris data. Bagi menjadi beberapa berkas.")
                % {"limit": max_rows}
            )
        rows.append(_parse_row(line, values, columns))
    if not rows:
        raise FileError(_("Berkas tidak berisi baris data di bawah baris judul kolom."))
    _flag_duplicates(rows)
    return rows


def _map_columns(header: list[Any]) -> dict[str, list[int]]:
    """Map column keys to their positions; unknown columns are ignored."""
    columns: dict[str, list[int]] = defaultdict(list)
    for index, value in enumerate(header):
        if isinstance(value, str) and (key := HEADER_INDEX.get(normalise_header(value))):
            columns[key].append(index)
    missing = [c.label for c in COLUMNS if c.required and c.key not in columns]
    if missing:
        raise FileError(
            _("Kolom wajib tidak ditemukan: %(columns)s. Periksa baris judul kolom berkas.")
            % {"columns": ", ".join(missing)}
        )
    return dict(columns)


def _text(value: Any) -> str:
    """Turn a cell into text; whole numbers lose Excel's '.0'."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime.datetime):
        return value.date().isoformat()
    return " ".join(str(value).split()) if isinstance(value, str) else str(value)


def _parse_row(line: int, values: list[Any], columns: dict[str, list[int]]) -> ParsedRow:
    def cell(key: str) -> list[Any]:
        return [
            values[i] for i in columns.get(key, []) if i < len(values) and not _is_blank(values[i])
        ]

    row = ParsedRow(line=line, registration_number="")
    hearing_failed = False
    for column in COLUMNS:
        given = cell(column.key)
        if not given:
            if column.required:
                row.errors.append(column_error(column.label, _("wajib diisi.")))
                row.failed_fields.update(column.fields)
            continue
        # Blank cells are left out of `data`: an export without a NIK must not erase one that
        # staff typed in. A column that appears twice is read from its first occurrence.
        try:
            _convert(column, given, row)
        except ValueError as error:
            row.errors.append(column_error(column.label, str(error)))
            row.failed_fields.update(column.fields)
            hearing_failed = hearing_failed or column.kind.startswith("hearing")
    _check_hearing(row, hearing_failed)
    row.registration_number = row.data.get("registration_number", "")
    return row


def _convert(column: Column, given: list[Any], row: ParsedRow) -> None:
    """Store one column's converted value(s) on the row, or raise ValueError."""
    value = given[0]
    kind = column.kind
    if kind == "alias":
        row.data["aliases"] = ", ".join(_text(v) for v in given)
    elif kind == "date":
        row.data[column.fields[0]] = parse_date(value)
    elif kind.startswith("hearing"):
        _convert_hearing(kind, value, row)
    elif kind == "articles":
        row.articles = parse_articles(_text(value))
    elif kind == "sentence":
        row.data["sentence_months"], row.data["sentence_days"] = parse_sentence(_text(value))
    elif kind == "nik":
        # Excel users type a leading apostrophe to keep 16 digits as text.
        nik = re.sub(r"[\s.']", "", _text(value))
        try:
            validate_nik(nik)
        except ValidationError as error:
            raise ValueError(" ".join(error.messages)) from None
        row.data["nik"] = nik
    elif kind in CODE_TABLES:
        codes, message = CODE_TABLES[kind]
        code = parse_code(_text(value), codes)
        if code is None:
            raise ValueError(str(message) % {"value": _text(value)})
        row.data[column.fields[0]] = str(code)
    elif kind == "nationality":
        text = _text(value)
        row.data["nationality"] = "Indonesia" if compact(text) in {"WNI", "INDONESIA"} else text
    else:
        row.data[column.fields[0]] = _text(value)


CODE_TABLES: dict[str, tuple[Mapping[str, str], StrOrPromise]] = {
    "sex": (SEX_CODES, gettext_lazy('"%(value)s" tidak dikenal; isi L atau P.')),
    "register": (
        REGISTER_CODES,
        gettext_lazy(
            '"%(value)s" bukan kategori register yang dikenal (misalnya A.II, B.I, '
            "B.IIa, B.IIb, B.III, SH, MATI)."
        ),
    ),
    "religion": (
        RELIGION_CODES,
        gettext_lazy(
            '"%(value)s" tidak dikenal; isi Islam, Kristen, Katolik, Hindu, Buddha, '
            "Konghucu atau Lainnya."
        ),
    ),
    "education": (
        EDUCATION_CODES,
        gettext_lazy(
            '"%(value)s" tidak dikenal; isi misalnya Tidak Sekolah, SD, SMP, SMA, D3, S1 atau S2.'
        ),
    ),
}


def _flag_duplicates(rows: list[ParsedRow]) -> None:
    """Flag every row whose registration number appears more than once in the file."""
    lines: dict[str, list[int]] = defaultdict(list)
    for row in rows:
        if row.registration_number:
            lines[row.registration_number].append(row.line)
    label = COLUMNS_BY_KEY["no_registrasi"].label
    for row in rows:
        others = [n for n in lines.get(row.registration_number, []) if n != row.line]
        if others:
            message = _("nomor %(number)s juga ada di baris %(lines)s.") % {
                "number": row.registration_number,
                "lines": ", ".join(map(str, others)),
            }
            row.errors.insert(0, column_error(label, message))
