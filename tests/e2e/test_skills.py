"""A sewing course in a real browser: the Rutan's registration officer opens it with a meeting
today, enrols three WBP into two places (the third waits), takes the meeting's attendance,
records one trainee's competency with the certificate number, downloads the certificate, and
lets another go: the place is offered to the one waiting.

No frozen clock: the server runs in its own thread and Chromium keeps real time, so the course
starts today in Tanah Grogot (WITA), as it would on the day.
"""

from __future__ import annotations

import datetime
import re
from typing import Any
from zoneinfo import ZoneInfo

from playwright.sync_api import Page, expect

from programs.models import Course, CourseAttendance, Trainee
from rehab.demo import DemoOrganisation
from rehab.models import AccessLog
from tests.e2e.conftest import login
from tests.factories import InmateFactory

WITA = ZoneInfo("Asia/Makassar")
CERTIFICATE = "BLK-PSR/JHT/2026/001"


def the_officer_opens_a_sewing_course_with_a_meeting_today(page: Page) -> Course:
    today = datetime.datetime.now(WITA).date()
    page.locator("#nav").get_by_role("link", name="Pelatihan", exact=True).click()
    page.get_by_role("link", name="Pelatihan baru").click()
    page.get_by_label("Jenis pelatihan").select_option(label="Menjahit/Konveksi")
    page.get_by_label("Nama pelatihan").fill("Menjahit Dasar")
    page.get_by_role("combobox", name="Penyelenggara").select_option(
        label="Balai Latihan Kerja (BLK)"
    )
    page.get_by_label("Nama penyelenggara").fill("UPTD BLK Kabupaten Paser")
    page.get_by_label("Tanggal mulai").fill(f"{today:%d-%m-%Y}")
    page.get_by_label("Tanggal selesai").fill(f"{today + datetime.timedelta(days=27):%d-%m-%Y}")
    page.get_by_label("Jumlah jam pelatihan").fill("80")
    page.get_by_label("Kapasitas").fill("2")
    page.get_by_label("Tempat").fill("Bengkel Kerja Menjahit")
    page.get_by_label("Penerbit sertifikat").fill("UPTD BLK Kabupaten Paser")
    page.get_by_role("button", name="Buat pelatihan").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Jadwal pertemuan Menjahit Dasar")
    one = page.locator("#satu")
    one.get_by_label("Tanggal").fill(f"{today:%d-%m-%Y}")
    one.get_by_label("Jam mulai").fill("08:30")
    one.get_by_label("Jam selesai").fill("11:30")
    one.get_by_label("Materi").fill("Pengenalan mesin jahit")
    one.get_by_role("button", name="Tambah pertemuan").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Menjahit Dasar")
    expect(page.get_by_role("alert").first).to_contain_text("Pertemuan ditambahkan.")
    return Course.objects.get(name="Menjahit Dasar")


def the_officer_enrols_three_into_two_places(page: Page) -> None:
    page.get_by_role("link", name="Daftarkan peserta").click()
    for name in ("Budi Santoso", "Dedi Kurniawan", "Eko Prasetyo"):
        page.get_by_label(name).check()
    page.get_by_role("button", name="Daftarkan yang dipilih").click()
    expect(page.get_by_role("alert").first).to_contain_text(
        "2 WBP terdaftar di pelatihan, 1 masuk daftar tunggu."
    )
    expect(page.locator("#daftar-tunggu")).to_contain_text("Eko Prasetyo")


def the_officer_takes_the_attendance_of_todays_meeting(page: Page) -> None:
    page.get_by_role("link", name=re.compile(r"\d{2}.\d{2}.\d{4} 08.30")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Menjahit Dasar · Pengenalan mesin jahit"
    )
    expect(page.locator("tr[data-row]")).to_have_count(2)
    page.get_by_label("Dedi Kurniawan: Terlambat", exact=True).check()
    page.get_by_role("button", name="Simpan kehadiran").click()
    expect(page.get_by_role("alert").first).to_contain_text("Kehadiran 2 peserta tersimpan.")
    expect(page.get_by_label("Dedi Kurniawan: Terlambat", exact=True)).to_be_checked()


def the_officer_records_budis_competency(page: Page) -> None:
    page.get_by_role("navigation", name="Navigasi").get_by_role(
        "link", name="Menjahit Dasar"
    ).click()
    page.locator("#peserta tr", has_text="Budi Santoso").get_by_role(
        "link", name="Catat hasil"
    ).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Hasil pelatihan: Budi Santoso")
    expect(
        page.get_by_text("hadir 1 dari 1 pertemuan terlaksana", exact=False).first
    ).to_be_visible()
    expect(page.locator("#syarat")).to_contain_text("Memenuhi syarat untuk selesai.")
    page.get_by_label("Kompeten", exact=True).check()
    page.get_by_label("Nomor sertifikat").fill(CERTIFICATE)
    page.get_by_role("button", name="Simpan hasil pelatihan").click()
    expect(page.get_by_role("alert").first).to_contain_text(
        "Hasil pelatihan Budi Santoso tersimpan."
    )


def the_officer_downloads_the_certificate(page: Page, trainee: Trainee) -> None:
    link = page.get_by_role("link", name=CERTIFICATE)
    href = link.get_attribute("href")
    assert href is not None and href.endswith("/sertifikat.pdf")
    # Headless Chromium may show the PDF or save it: wait for the answer either way.
    with page.expect_response(re.compile(re.escape(href) + "$")) as answer:
        link.click()
    assert answer.value.status == 200
    assert answer.value.header_value("content-type") == "application/pdf"
    fetched = page.request.get(href)  # the same signed-in session, to read the bytes
    assert fetched.headers["content-type"] == "application/pdf"
    assert fetched.body().startswith(b"%PDF")
    assert AccessLog.objects.filter(action="pdf.download", target_id=trainee.pk).count() == 2


def dedi_leaves_and_eko_is_offered_the_place(page: Page, course: Course) -> None:
    page.goto(course.get_absolute_url())
    row = page.locator("#peserta tr", has_text="Dedi Kurniawan")
    row.get_by_text("Keluar", exact=True).click()
    row.get_by_label("Alasan keluar").fill("Dipindah ke blok isolasi kesehatan")
    row.get_by_role("button", name="Keluarkan dari pelatihan").click()
    expect(page.get_by_role("alert").nth(1)).to_contain_text(
        "Tempat kosong ditawarkan kepada Eko Prasetyo"
    )
    expect(page.locator("#tawaran")).to_contain_text("Eko Prasetyo")


def test_a_registration_officer_runs_a_sewing_course_to_the_certificate(
    page: Page, live_server: Any, demo: DemoOrganisation
) -> None:
    """staf.grogot opens a sewing course, enrols WBP (one waits), records a meeting's
    attendance, completes the course for a trainee and downloads the certificate PDF."""
    grogot = demo.site("tanah-grogot").facility
    InmateFactory(facility=grogot, full_name="Eko Prasetyo", registration_number="BI.0103/2026")

    login(page, live_server, "staf.grogot")
    course = the_officer_opens_a_sewing_course_with_a_meeting_today(page)
    the_officer_enrols_three_into_two_places(page)
    the_officer_takes_the_attendance_of_todays_meeting(page)
    marks = dict(CourseAttendance.objects.values_list("trainee__inmate__full_name", "status"))
    assert marks == {"Budi Santoso": "present", "Dedi Kurniawan": "late"}

    the_officer_records_budis_competency(page)
    budi = Trainee.objects.get(course=course, inmate__full_name="Budi Santoso")
    assert (budi.state, budi.competency, budi.certificate_number) == (
        "completed",
        "competent",
        CERTIFICATE,
    )
    the_officer_downloads_the_certificate(page, budi)

    dedi_leaves_and_eko_is_offered_the_place(page, course)
    states = dict(Trainee.objects.filter(course=course).values_list("inmate__full_name", "state"))
    assert states == {
        "Budi Santoso": "completed", "Dedi Kurniawan": "left", "Eko Prasetyo": "offered",
    }  # fmt: skip
