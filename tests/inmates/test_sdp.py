"""Reading SDP exports: file checks, column matching, value conversion and per-row errors."""

from __future__ import annotations

import datetime
import io
import re
import zipfile
from typing import Any

import pytest

from inmates import sdp
from inmates.sdp import FileError, ParsedRow, parse_articles, parse_sentence, read_rows
from tests.inmates.sdp_files import (
    HEADER,
    csv_bytes,
    sdp_csv,
    sdp_row,
    sdp_xlsx,
    table,
    xlsx_bytes,
)


def one_row(**cells: Any) -> ParsedRow:
    """Parse a CSV holding one valid row with some cells replaced (keys are header names)."""
    (row,) = read_rows("wbp.csv", sdp_csv(sdp_row(1, **cells)))
    return row


def file_error(file_name: str, content: bytes, **limits: int) -> str:
    with pytest.raises(FileError) as caught:
        read_rows(file_name, content, **limits)
    return caught.value.message


# --- whole-file problems ----------------------------------------------------------------------


@pytest.mark.parametrize("content", [b"", b"   \r\n\r\n", "\ufeff".encode()])
def test_it_refuses_an_empty_file(content: bytes) -> None:
    assert file_error("wbp.csv", content) == "Berkas kosong."


def test_it_refuses_a_header_without_data_rows() -> None:
    message = file_error("wbp.csv", csv_bytes([HEADER, ["", "", ""]]))
    assert "tidak berisi baris data" in message


def test_it_names_every_missing_required_column_in_one_message() -> None:
    content = csv_bytes([["Nama", "Blok"], ["Budi", "A"]])
    message = file_error("wbp.csv", content)
    for column in ["No. Registrasi", "Jenis Kelamin", "Kategori Register", "Tanggal Masuk"]:
        assert column in message
    assert "Nama," not in message


@pytest.mark.parametrize(
    ("encoding", "text"),
    [("cp1252", "Andrés"), ("latin-1", "José"), ("utf-16", "Budi"), ("utf-16-le", "Budi")],
)
def test_it_refuses_a_csv_that_is_not_utf8_and_says_how_to_save_it(
    encoding: str, text: str
) -> None:
    content = sdp_csv(sdp_row(1, Nama=text), encoding=encoding)
    assert "CSV UTF-8" in file_error("wbp.csv", content)


def test_it_reads_a_utf8_csv_with_a_byte_order_mark() -> None:
    content = "\ufeff".encode() + sdp_csv(sdp_row(1, Nama="Andrés"))
    (row,) = read_rows("wbp.csv", content)
    assert row.data["full_name"] == "Andrés"
    assert row.errors == []


@pytest.mark.parametrize(
    "content",
    [
        b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj << /Type /Catalog >> endobj\n",
        bytes(range(256)) * 4,
        bytes(range(128, 256)) * 4,
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
    ],
    ids=["pdf", "random-bytes", "high-bytes", "png"],
)
def test_it_refuses_a_non_spreadsheet_renamed_xlsx(content: bytes) -> None:
    assert "bukan lembar kerja" in file_error("wbp.xlsx", content)


def test_it_refuses_a_zip_that_is_not_a_workbook() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/document.xml", "<w:document/>")
    assert "bukan lembar kerja" in file_error("wbp.xlsx", buffer.getvalue())


def test_it_explains_that_an_old_xls_or_locked_workbook_cannot_be_read() -> None:
    content = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600
    assert ".xlsx" in file_error("wbp.xls", content)


def test_it_detects_the_format_by_content_not_by_extension() -> None:
    assert read_rows("wbp.csv", sdp_xlsx(sdp_row(1)))[0].registration_number == "BI.001/2026"
    assert read_rows("wbp.xlsx", sdp_csv(sdp_row(2)))[0].registration_number == "BI.002/2026"


def test_it_refuses_more_rows_than_the_limit() -> None:
    content = sdp_csv(*(sdp_row(n) for n in range(4)))
    assert "lebih dari 3 baris" in file_error("wbp.csv", content, max_rows=3)
    assert len(read_rows("wbp.csv", content, max_rows=4)) == 4


def test_it_refuses_a_file_larger_than_the_limit() -> None:
    content = sdp_csv(sdp_row(1))
    assert "terlalu besar" in file_error("wbp.csv", content, max_bytes=len(content) - 1)


def test_it_reads_the_limits_from_settings(settings: Any) -> None:
    settings.IMPORT_MAX_ROWS = 1
    assert "lebih dari 1 baris" in file_error("wbp.csv", sdp_csv(sdp_row(1), sdp_row(2)))


# --- columns ----------------------------------------------------------------------------------


@pytest.mark.parametrize("delimiter", [",", ";", "\t"])
def test_it_reads_comma_semicolon_and_tab_separated_files(delimiter: str) -> None:
    content = sdp_csv(sdp_row(1, Alamat="Jl. Merdeka, RT 02"), delimiter=delimiter)
    (row,) = read_rows("wbp.csv", content)
    assert row.errors == []
    assert row.data["admission_date"] == datetime.date(2026, 3, 2)


def test_it_reads_a_semicolon_file_whose_cells_contain_commas() -> None:
    header = [*HEADER, "Alamat"]
    content = csv_bytes(table([sdp_row(1, Alamat="Jl. Merdeka, RT 02")], header), delimiter=";")
    (row,) = read_rows("wbp.csv", content)
    assert row.data["address"] == "Jl. Merdeka, RT 02"


def test_it_matches_sdp_header_aliases_whatever_the_case_and_punctuation() -> None:
    header = ["NO REG", "nama lengkap", "L/P", "Register", "Tgl. Masuk", "Kab/Kota Asal", "Sel"]
    content = csv_bytes([header, ["B.7", "Budi", "L", "BI", "02-03-2026", "Paser", "3"]])
    (row,) = read_rows("wbp.csv", content)
    assert row.errors == []
    assert row.data == {
        "registration_number": "B.7",
        "full_name": "Budi",
        "sex": "L",
        "register_class": "B.I",
        "admission_date": datetime.date(2026, 3, 2),
        "origin_regency": "Paser",
        "cell": "3",
    }


def test_it_ignores_unknown_extra_columns() -> None:
    header = [*HEADER, "Foto", "Keterangan Lain"]
    content = csv_bytes(table([sdp_row(1, Foto="x.jpg", Keterangan_Lain="-")], header))
    (row,) = read_rows("wbp.csv", content)
    assert row.errors == []
    assert "Foto" not in str(row.data)


def test_it_finds_the_header_under_a_title_block_and_counts_lines_as_the_sheet_does() -> None:
    content = xlsx_bytes(table([sdp_row(1), sdp_row(2)]), title_rows=["DAFTAR WBP", ""])
    rows = read_rows("wbp.xlsx", content)
    assert [r.line for r in rows] == [4, 5]


def test_it_numbers_rows_from_the_header_on_line_one_and_skips_blank_rows() -> None:
    rows = table([sdp_row(1), sdp_row(2)])
    content = csv_bytes([rows[0], rows[1], [""] * len(HEADER), rows[2]])
    assert [r.line for r in read_rows("wbp.csv", content)] == [2, 4]


def test_it_reads_every_row_even_when_the_workbook_understates_its_size() -> None:
    # Some exporters write <dimension ref="A1"/> whatever the sheet holds.
    original = zipfile.ZipFile(io.BytesIO(sdp_xlsx(sdp_row(1), sdp_row(2))))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as rewritten:
        for item in original.infolist():
            data = original.read(item)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = re.sub(rb'<dimension ref="[^"]*"', b'<dimension ref="A1"', data)
            rewritten.writestr(item, data)

    rows = read_rows("wbp.xlsx", buffer.getvalue())

    assert [r.registration_number for r in rows] == ["BI.001/2026", "BI.002/2026"]
    assert rows[1].data["block"] == "A"


def test_it_joins_several_alias_columns_into_one_field() -> None:
    header = [*HEADER, "Nama Alias 1", "Nama Alias 2", "Nama Alias 3"]
    rows = [sdp_row(1, Nama_Alias_1="Ucok", Nama_Alias_2="Bewok", Nama_Alias_3="")]
    (row,) = read_rows("wbp.csv", csv_bytes(table(rows, header)))
    assert row.data["aliases"] == "Ucok, Bewok"


def test_it_leaves_blank_optional_cells_out_of_the_data() -> None:
    row = one_row(NIK="", Blok="", Tanggal_Lahir="")
    assert {"nik", "block", "birth_date"}.isdisjoint(row.data)


# --- values -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("02-03-2026", datetime.date(2026, 3, 2)),
        ("2/3/2026", datetime.date(2026, 3, 2)),
        ("02.03.2026", datetime.date(2026, 3, 2)),
        ("2026-03-02", datetime.date(2026, 3, 2)),
        ("2026-03-02 00:00:00", datetime.date(2026, 3, 2)),
        ("2 Maret 2026", datetime.date(2026, 3, 2)),
        ("02-Agu-2025", datetime.date(2025, 8, 2)),
        ("29-02-2024", datetime.date(2024, 2, 29)),
    ],
)
def test_it_reads_dates_written_the_indonesian_and_iso_ways(
    cell: str, expected: datetime.date
) -> None:
    assert one_row(Tanggal_Masuk=cell).data["admission_date"] == expected


@pytest.mark.parametrize(
    ("cell", "reason"),
    [
        ("31-02-2026", "tidak ada di kalender"),
        ("29-02-2025", "tidak ada di kalender"),
        ("03/15/2026", "tidak ada di kalender"),
        ("02-03-26", "tidak dikenali"),
        ("kemarin", "tidak dikenali"),
        ("02-03-1850", "tidak masuk akal"),
    ],
)
def test_it_refuses_impossible_or_unreadable_dates_naming_the_column(
    cell: str, reason: str
) -> None:
    row = one_row(Tanggal_Masuk=cell)
    (error,) = row.errors
    assert error.startswith("Kolom Tanggal Masuk: ")
    assert reason in error
    assert "admission_date" not in row.data
    assert "admission_date" in row.failed_fields


def test_it_reads_real_excel_date_cells_and_date_serial_numbers() -> None:
    cells = sdp_row(
        1, Tanggal_Masuk=datetime.datetime(2026, 3, 2), Tanggal_Lahir=datetime.date(1990, 5, 17)
    )
    cells["Tanggal Ekspirasi"] = 47000  # a date cell that lost its format: 4 Sep 2028
    (row,) = read_rows("wbp.xlsx", sdp_xlsx(cells))
    assert row.errors == []
    assert row.data["admission_date"] == datetime.date(2026, 3, 2)
    assert row.data["birth_date"] == datetime.date(1990, 5, 17)
    assert row.data["expiry_date"] == datetime.date(2028, 9, 4)


def test_it_keeps_sixteen_digit_numbers_from_excel_cells_whole() -> None:
    (row,) = read_rows("wbp.xlsx", sdp_xlsx(sdp_row(1, NIK=6472011705900001)))
    assert row.data["nik"] == "6472011705900001"


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("B.I", "B.I"),
        ("BI", "B.I"),
        ("B I", "B.I"),
        ("b.i", "B.I"),
        ("B.IIa", "B.IIa"),
        ("BIIA", "B.IIa"),
        ("B.IIb", "B.IIb"),
        ("B.III", "B.III"),
        ("B.IIIS", "B.III"),
        ("A.II", "A.II"),
        ("A.III", "A.III"),
        ("a-v", "A.V"),
        ("SH", "SH"),
        ("Seumur Hidup", "SH"),
        ("MATI", "MATI"),
    ],
)
def test_it_reads_register_classes_however_they_are_spelled(cell: str, expected: str) -> None:
    assert one_row(Kategori_Register=cell).data["register_class"] == expected


@pytest.mark.parametrize(
    ("column", "cell", "field", "expected"),
    [
        ("Jenis Kelamin", "Laki-laki", "sex", "L"),
        ("Jenis Kelamin", "perempuan", "sex", "P"),
        ("Jenis Kelamin", "p", "sex", "P"),
        ("Agama", "ISLAM", "religion", "islam"),
        ("Agama", "Kristen Protestan", "religion", "kristen"),
        ("Agama", "Katholik", "religion", "katolik"),
        ("Agama", "Budha", "religion", "buddha"),
        ("Pendidikan", "SMA", "education", "sma"),
        ("Pendidikan", "SLTA", "education", "sma"),
        ("Pendidikan", "SMK/sederajat", "education", "sma"),
        ("Pendidikan", "SLTP", "education", "smp"),
        ("Pendidikan", "S1", "education", "s1"),
        ("Pendidikan", "Tidak Sekolah", "education", "none"),
        ("Pendidikan", "D3", "education", "diploma"),
        ("Kewarganegaraan", "WNI", "nationality", "Indonesia"),
        ("Kewarganegaraan", "Malaysia", "nationality", "Malaysia"),
    ],
)
def test_it_maps_coded_values_to_choices_tolerating_case_and_synonyms(
    column: str, cell: str, field: str, expected: str
) -> None:
    header = [*HEADER, column] if column not in HEADER else HEADER
    row_cells = sdp_row(1, **{column: cell})
    (row,) = read_rows("wbp.csv", csv_bytes(table([row_cells], header)))
    assert row.errors == []
    assert row.data[field] == expected


@pytest.mark.parametrize(
    ("column", "cell"),
    [
        ("Jenis Kelamin", "X"),
        ("Kategori Register", "B.IV"),
        ("Agama", "Jedi"),
        ("Pendidikan", "Pesantren kilat"),
    ],
)
def test_it_refuses_unknown_codes_naming_the_column_and_the_value(column: str, cell: str) -> None:
    header = [*HEADER, column] if column not in HEADER else HEADER
    (row,) = read_rows("wbp.csv", csv_bytes(table([sdp_row(1, **{column: cell})], header)))
    (error,) = row.errors
    assert error.startswith(f"Kolom {column}: ")
    assert f'"{cell}"' in error


@pytest.mark.parametrize("nik", ["6472011705900001", "'6472011705900001", "6472 0117 0590 0001"])
def test_it_accepts_a_valid_nik_written_as_text(nik: str) -> None:
    assert one_row(NIK=nik).data["nik"] == "6472011705900001"


@pytest.mark.parametrize(
    ("nik", "message"),
    [
        ("12345", "Kolom NIK: NIK harus 16 digit angka."),
        ("64720117059000AB", "Kolom NIK: NIK harus 16 digit angka."),
        ("0072011705900001", "Kolom NIK: NIK tidak valid"),
        ("6472013505900001", "Kolom NIK: NIK tidak valid"),
    ],
)
def test_it_refuses_a_bad_nik(nik: str, message: str) -> None:
    row = one_row(NIK=nik)
    assert len(row.errors) == 1
    assert row.errors[0].startswith(message)
    assert "nik" not in row.data


def test_it_names_every_empty_required_cell() -> None:
    row = one_row(Nama="", Jenis_Kelamin=" ", Tanggal_Masuk="")
    assert row.errors == [
        "Kolom Nama: wajib diisi.",
        "Kolom Jenis Kelamin: wajib diisi.",
        "Kolom Tanggal Masuk: wajib diisi.",
    ]


def test_it_collects_every_error_of_a_row_not_only_the_first() -> None:
    row = one_row(NIK="123", Jenis_Kelamin="X", Tanggal_Lahir="31-02-1990", Pasal="Narkotika")
    assert [e.split(":")[0] for e in row.errors] == [
        "Kolom Jenis Kelamin",
        "Kolom NIK",
        "Kolom Tanggal Lahir",
        "Kolom Pasal",
    ]


def test_it_flags_both_rows_that_share_a_registration_number() -> None:
    content = sdp_csv(sdp_row(1), sdp_row(2), sdp_row(1, Nama="Orang Lain"))
    first, second, third = read_rows("wbp.csv", content)
    assert first.errors == ["Kolom No. Registrasi: nomor BI.001/2026 juga ada di baris 4."]
    assert second.errors == []
    assert third.errors == ["Kolom No. Registrasi: nomor BI.001/2026 juga ada di baris 2."]


def test_it_converts_the_sentence_and_articles_of_a_row() -> None:
    row = one_row(Lama_Pidana="1 th 6 bln", Pasal="114 (1) jo 132 (1)")
    assert (row.data["sentence_months"], row.data["sentence_days"]) == (18, None)
    assert [(a["article"], a["junto"]) for a in row.articles] == [("114", False), ("132", True)]


def test_it_names_the_pasal_column_when_articles_cannot_be_read() -> None:
    (error,) = one_row(Pasal="Narkotika golongan I").errors
    assert error.startswith("Kolom Pasal: ")


# --- parse_sentence and parse_articles ----------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("5 tahun 6 bulan", (66, None)),
        ("1 th 6 bln", (18, None)),
        ("4 Tahun", (48, None)),
        ("30 hari", (None, 30)),
        ("8 bulan 15 hari", (8, 15)),
        ("1 tahun 3 bulan 10 hari", (15, 10)),
        ("2 thn.", (24, None)),
        ("05 Tahun 00 Bulan 00 Hari", (60, 0)),
        ("5 (lima) tahun dan 6 (enam) bulan", (66, None)),
        ("Seumur Hidup", (None, None)),
        ("Pidana Mati", (None, None)),
    ],
)
def test_parse_sentence_reads_years_months_and_days(
    text: str, expected: tuple[int | None, int | None]
) -> None:
    assert parse_sentence(text) == expected


@pytest.mark.parametrize("text", ["5", "lima tahun", "5 tahun subsider 3 bulan", "5 minggu"])
def test_parse_sentence_refuses_text_it_cannot_read(text: str) -> None:
    with pytest.raises(ValueError, match="tidak dapat dibaca"):
        parse_sentence(text)


def article(
    number: str, paragraph: str = "", letter: str = "", *, junto: bool = False, law: str = ""
) -> dict[str, Any]:
    return {
        "law": law or sdp.DEFAULT_LAW,
        "article": number,
        "paragraph": paragraph,
        "letter": letter,
        "junto": junto,
    }


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Pasal 114 ayat (1) jo. Pasal 132 ayat (1) UU RI No. 35 Tahun 2009",
            [article("114", "1"), article("132", "1", junto=True)],
        ),
        ("112 (1)", [article("112", "1")]),
        ("127 ayat (1) huruf a", [article("127", "1", "a")]),
        ("Psl 111 Ayat 2 Jo 132 Ayat 1", [article("111", "2"), article("132", "1", junto=True)]),
        ("Pasal 127 Ayat (1) Huruf (a)", [article("127", "1", "a")]),
        ("Pasal 112", [article("112")]),
        (
            "Primair Pasal 114 ayat (1), Subsidair Pasal 112 ayat (1) UU No.35/2009",
            [article("114", "1"), article("112", "1")],
        ),
        (
            "Pasal 112 Ayat (2) Undang-Undang Nomor 35 Tahun 2009 tentang Narkotika",
            [article("112", "2")],
        ),
        ("Pasal 62 UU No. 5 Tahun 1997", [article("62", law="UU 5/1997")]),
        ("Pasal 363 KUHP", [article("363", law="KUHP")]),
    ],
)
def test_parse_articles_reads_the_ways_indictments_are_written(
    text: str, expected: list[dict[str, Any]]
) -> None:
    assert parse_articles(text) == expected


@pytest.mark.parametrize("text", ["Narkotika", "-", "114 (1) 2009", "pasal 1234"])
def test_parse_articles_refuses_text_without_a_readable_article(text: str) -> None:
    with pytest.raises(ValueError, match="tidak dapat dibaca"):
        parse_articles(text)
