"""The walking skeleton in a real browser: sign in, register, find, import, and stay private.

No frozen clock here: the server runs in its own thread and Chromium keeps real time, so every
date below lies safely in the past and nothing asserted depends on today's date.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import pytest
from django.urls import reverse
from openpyxl import Workbook
from playwright.sync_api import BrowserContext, Locator, Page, expect

from inmates.models import Inmate
from rehab.demo import DemoOrganisation
from tests.e2e.conftest import inmate_named, login

NAME = "Rahmat Hidayat Syahputra"
NUMBER = "BI.0777/2026"
NIK = "6401021505900003"
HEADER = ["No. Registrasi", "Nama", "Jenis Kelamin", "Kategori Register", "Tanggal Masuk"]


def sdp_xlsx(path: Path, header: Sequence[str], rows: Sequence[Sequence[Any]]) -> Path:
    """Write an SDP-style export: one header row, then one row per WBP."""
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(list(header))
    for row in rows:
        sheet.append(list(row))
        for cell in sheet[sheet.max_row]:
            if isinstance(cell.value, datetime.date):
                cell.number_format = "DD-MM-YYYY"
    workbook.save(path)
    return path


def results(page: Page) -> Locator:
    return page.locator("#results")


def open_the_wbp_list(page: Page) -> None:
    page.locator("#nav").get_by_role("link", name="WBP", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Warga Binaan (WBP)")


# --- steps ------------------------------------------------------------------------------------


def staff_add_a_wbp_through_the_form(page: Page) -> None:
    open_the_wbp_list(page)
    page.get_by_role("link", name="Tambah WBP").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Tambah WBP")
    page.get_by_label("Nama lengkap").fill(NAME)
    page.get_by_label("NIK", exact=True).fill(NIK)
    page.get_by_label("Jenis kelamin").select_option("L")
    page.get_by_label("Tanggal lahir").fill("15-05-1990")
    page.get_by_label("Nomor registrasi").fill(NUMBER)
    page.get_by_label("Kategori register").select_option("B.I")
    page.get_by_label("Blok").fill("B")
    page.get_by_label("Tanggal masuk").fill("01-02-2026")
    page.locator('[name="articles-0-article"]').fill("114")
    page.locator('[name="articles-0-paragraph"]').fill("1")
    page.get_by_role("button", name="Simpan", exact=True).click()


def they_land_on_the_case_file(page: Page) -> None:
    expect(page.get_by_role("heading", level=1)).to_have_text(NAME)
    expect(page.get_by_role("alert")).to_contain_text(f"Data WBP {NAME} ({NUMBER}) tersimpan.")
    expect(page.get_by_text("Pasal 114 ayat (1) UU 35/2009")).to_be_visible()
    expect(page).to_have_url(re.compile(rf"/wbp/{inmate_named(NAME).pk}/$"))


def search_as_you_type(page: Page, text: str) -> None:
    """Type into the search box and wait for htmx to swap the results in, without a reload."""
    page.evaluate("window.stillTheSamePage = true")
    box = page.get_by_role("searchbox", name="Cari", exact=True)
    with page.expect_response(
        lambda r: "/wbp/?" in r.url and r.request.headers.get("hx-request") == "true"
    ) as swap:
        box.press_sequentially(text, delay=20)
    assert swap.value.ok
    expect(page).to_have_url(re.compile(rf"[?&]q={re.escape(text)}"))
    assert page.evaluate("window.stillTheSamePage") is True, "the search reloaded the page"


def staff_find_it_by_searching_part_of_the_name(page: Page) -> None:
    open_the_wbp_list(page)
    expect(results(page)).to_contain_text("Budi Santoso")
    search_as_you_type(page, "hidayat")
    expect(results(page).get_by_role("link", name=NAME)).to_be_visible()
    expect(results(page)).not_to_contain_text("Budi Santoso")
    expect(results(page)).to_contain_text("1 WBP")


def staff_import_an_sdp_export(page: Page, tmp_path: Path) -> None:
    export = sdp_xlsx(
        tmp_path / "ekspor-sdp.xlsx",
        [*HEADER, "NIK", "Blok"],
        [
            # new
            ["BI.0900/2026", "Wawan Setiawan", "L", "B.I", datetime.date(2026, 4, 6), None, "A"],
            # the WBP just added, moved to block D; the blank NIK cell erases nothing
            [NUMBER, NAME, "L", "B.I", datetime.date(2026, 2, 1), None, "D"],
            # exactly as stored
            ["BI.0101/2026", "Budi Santoso", "L", "B.I", datetime.date(2026, 3, 2), None, "A"],
        ],
    )
    page.get_by_role("link", name="Impor dari SDP").click()
    page.get_by_label("Berkas ekspor SDP").set_input_files(export)
    page.get_by_role("button", name="Unggah dan periksa").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Pratinjau impor: ekspor-sdp.xlsx")
    expect(page.locator("#count-new")).to_have_text("1")
    expect(page.locator("#count-updated")).to_have_text("1")
    expect(page.locator("#count-unchanged")).to_have_text("1")
    expect(page.locator("#count-invalid")).to_have_text("0")
    page.get_by_role("button", name="Simpan 1 baru dan 1 perubahan").click()
    expect(page.get_by_role("alert")).to_contain_text(
        "Impor selesai: 1 baru, 1 diperbarui, 1 tidak berubah."
    )
    expect(results(page).get_by_role("link", name="Wawan Setiawan")).to_be_visible()


def the_case_file_shows_the_change_in_its_history(page: Page) -> None:
    results(page).get_by_role("link", name=NAME).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(NAME)
    history = page.locator("section").filter(
        has=page.get_by_role("heading", name="Riwayat perubahan")
    )
    expect(history).to_contain_text("Diperbarui dari impor SDP")
    # Newest first: the import moved the block B -> D; the registration filled it in (— -> B).
    expect(history.get_by_role("row").filter(has_text="Blok").locator("td")).to_have_text(
        ["Blok", "B", "D", "Blok", "—", "B"]
    )
    expect(history).to_contain_text("Data dibuat")


def another_rutan_can_neither_open_nor_find_it(page: Page, inmate: Inmate) -> None:
    response = page.goto(inmate.get_absolute_url())
    assert response is not None and response.status == 404
    expect(page.get_by_role("heading", level=1)).to_have_text("Tidak ditemukan")
    page.goto("/wbp/")
    expect(results(page)).to_contain_text("Joko Susilo")  # their own WBP are there
    expect(results(page)).not_to_contain_text(NAME)
    search_as_you_type(page, "hidayat")
    expect(results(page)).to_contain_text("Tidak ada WBP yang cocok.")
    expect(results(page)).not_to_contain_text(NAME)


# --- tests ------------------------------------------------------------------------------------


def test_staff_register_find_and_import_a_wbp_that_another_rutan_cannot_see(
    page: Page,
    new_context: Callable[..., BrowserContext],
    live_server: Any,
    demo: DemoOrganisation,
    tmp_path: Path,
) -> None:
    """Staf Tanah Grogot do the day's work; staf Banjarnegara never see their WBP."""
    login(page, live_server, "staf.grogot")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Hari ini")

    staff_add_a_wbp_through_the_form(page)
    they_land_on_the_case_file(page)
    staff_find_it_by_searching_part_of_the_name(page)
    staff_import_an_sdp_export(page, tmp_path)
    the_case_file_shows_the_change_in_its_history(page)
    inmate = inmate_named(NAME)
    assert (inmate.block, inmate.nik) == ("D", NIK)

    other = login(new_context().new_page(), live_server, "staf.banjarnegara")
    another_rutan_can_neither_open_nor_find_it(other, inmate)


def test_a_bad_import_file_shows_the_row_error_and_saves_nothing(
    page: Page, live_server: Any, demo: DemoOrganisation, tmp_path: Path
) -> None:
    """One bad NIK stops the whole file: the row is named and nothing is saved."""
    export = tmp_path / "ekspor-sdp.csv"
    export.write_text(
        "No. Registrasi,Nama,Jenis Kelamin,Kategori Register,Tanggal Masuk,NIK\r\n"
        "BI.0900/2026,Wawan Setiawan,L,B.I,06-04-2026,\r\n"
        "BI.0901/2026,Yanto Prasetyo,L,B.I,06-04-2026,64010215\r\n",
        encoding="utf-8",
    )
    inmates_before = Inmate.objects.count()
    login(page, live_server, "staf.grogot")
    page.goto("/wbp/impor/")
    page.get_by_label("Berkas ekspor SDP").set_input_files(export)
    page.get_by_role("button", name="Unggah dan periksa").click()

    expect(page.locator("#count-new")).to_have_text("1")
    expect(page.locator("#count-invalid")).to_have_text("1")
    bad_row = page.locator("tr.table-danger")
    expect(bad_row.locator("td")).to_have_text(
        ["3", "BI.0901/2026", "Yanto Prasetyo", "Kolom NIK: NIK harus 16 digit angka."]
    )
    expect(page.get_by_role("button", name=re.compile("^Simpan"))).to_have_count(0)
    expect(page.get_by_role("link", name="Unggah berkas yang sudah diperbaiki")).to_be_visible()
    assert Inmate.objects.count() == inmates_before


def test_an_invalid_nik_is_explained_beside_the_field_and_the_typing_is_kept(
    page: Page, live_server: Any, demo: DemoOrganisation
) -> None:
    """A NIK with an impossible birth day is refused in Indonesian; nothing typed is lost."""
    login(page, live_server, "staf.grogot")
    page.goto("/wbp/baru/")
    page.get_by_label("Nama lengkap").fill(NAME)
    page.get_by_label("NIK", exact=True).fill("6401029915900003")
    page.get_by_label("Jenis kelamin").select_option("L")
    page.get_by_label("Nomor registrasi").fill(NUMBER)
    page.get_by_label("Kategori register").select_option("B.I")
    page.get_by_label("Tanggal masuk").fill("01-02-2026")
    page.get_by_role("button", name="Simpan", exact=True).click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Tambah WBP")
    expect(page.locator("#div_id_nik")).to_contain_text(
        "NIK tidak valid: kode wilayah atau tanggal lahir di dalamnya tidak mungkin."
    )
    expect(page.locator("#id_nik")).to_have_class(re.compile(r"\bis-invalid\b"))
    expect(page.get_by_label("Nama lengkap")).to_have_value(NAME)
    expect(page.get_by_label("Nomor registrasi")).to_have_value(NUMBER)
    expect(page.get_by_label("Tanggal masuk")).to_have_value("01-02-2026")
    expect(page.locator("#id_nik")).to_have_value("6401029915900003")
    assert not Inmate.objects.filter(registration_number=NUMBER).exists()


def test_the_wbp_forms_render_their_whole_layout_without_warnings(
    page: Page, live_server: Any, demo: DemoOrganisation, caplog: pytest.LogCaptureFixture
) -> None:
    """crispy-forms only logs a layout naming a missing field; the server log must stay clean."""
    login(page, live_server, "staf.grogot")
    page.goto("/wbp/baru/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Tambah WBP")
    page.goto(reverse("inmates:edit", args=[inmate_named("Budi Santoso").pk]))
    expect(page.get_by_role("heading", level=1)).to_have_text("Ubah data WBP")
    unresolved = [r.getMessage() for r in caplog.records if "Could not resolve" in r.getMessage()]
    assert unresolved == []
