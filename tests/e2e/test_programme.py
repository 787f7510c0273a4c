"""A Ringan cohort in a real browser, in a handful of screens: the counselor opens it with its
daily sessions and proposes twenty WBP from their signed assessments, the warden approves them in
one click, and the counselor takes the first session's attendance from the keyboard and prints
the sign-in sheet.

No frozen clock: the server runs in its own thread and Chromium keeps real time, so the cohort
starts today in Tanah Grogot (WITA), as it would on the day.
"""

from __future__ import annotations

import datetime
import re
from collections import Counter
from collections.abc import Callable
from typing import Any
from zoneinfo import ZoneInfo

from playwright.sync_api import BrowserContext, Page, expect

from inmates.models import Inmate
from programs.models import Attendance, Cohort, Enrolment, Session, Track
from rehab.demo import DemoOrganisation
from rehab.models import AccessLog
from tests.e2e.conftest import login
from tests.factories import InmateFactory, signed_assessment

WITA = ZoneInfo("Asia/Makassar")
NAMES = [
    "Ahmad Fauzi", "Bagus Pratama", "Candra Wijaya", "Dani Saputra", "Eko Susanto",
    "Fikri Ramadhan", "Galih Permana", "Hadi Gunawan", "Irfan Maulana", "Jefri Simanjuntak",
    "Kurniawan Putra", "Lukman Hakim", "Mulyadi", "Nanda Pratama", "Oki Setiawan",
    "Putu Arya", "Rian Hidayat", "Sandi Kusuma", "Taufik Rahman", "Yusuf Effendi",
]  # fmt: skip
ABSENT, LATE = "Candra Wijaya", "Mulyadi"


def ringan_track() -> Track:
    """The catalogue's Ringan 15-day track, or one like it when the catalogue is not loaded."""
    track = Track.objects.filter(tier="ringan", duration_days=15, active=True).first()
    return track or Track.objects.create(name="Ringan — 15 hari", tier="ringan", duration_days=15)


def twenty_wbp_with_signed_ringan_assessments(demo: DemoOrganisation) -> list[Inmate]:
    grogot = demo.site("tanah-grogot").facility
    people = []
    for i, name in enumerate(NAMES):
        inmate = InmateFactory(
            facility=grogot, full_name=name, registration_number=f"BI.{1001 + i}/2026",
            block="ABCD"[i % 4], cell=str(i % 6 + 1),
        )  # fmt: skip
        signed_assessment(inmate, final_tier="ringan")
        people.append(inmate)
    return people


# --- steps ------------------------------------------------------------------------------------


def the_counselor_opens_a_cohort_with_daily_sessions(page: Page, track: Track) -> Cohort:
    today = datetime.datetime.now(WITA).date()
    page.locator("#nav").get_by_role("link", name="Program", exact=True).click()
    page.get_by_role("link", name="Angkatan baru").click()
    page.get_by_label("Jalur").select_option(label=track.name)
    page.get_by_label("Nama angkatan").fill("Angkatan Ringan I")
    page.get_by_label("Tanggal mulai").fill(f"{today:%d-%m-%Y}")
    page.get_by_label("Kapasitas").fill("20")
    page.get_by_label("Tempat").fill("Aula Pembinaan")
    page.get_by_role("button", name="Buat angkatan").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Jadwal Angkatan Ringan I")
    for day in ["Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu"]:
        page.get_by_label(day, exact=True).check()
    page.get_by_label("Jam mulai").fill("09:00")
    page.get_by_label("Jam selesai").fill("11:00")
    page.get_by_label("Jenis sesi").select_option(label="Konseling kelompok")
    page.get_by_role("button", name="Lihat pratinjau jadwal").click()
    expect(page.locator("#plan-summary")).to_contain_text("15 sesi baru")
    page.get_by_role("button", name="Simpan semua").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Angkatan Ringan I")
    expect(page.get_by_role("alert").first).to_contain_text("15 sesi dijadwalkan.")
    cohort = Cohort.objects.get(name="Angkatan Ringan I")
    assert (cohort.start_date, cohort.end_date) == (today, today + datetime.timedelta(days=14))
    return cohort


def the_counselor_proposes_everyone_eligible(page: Page) -> None:
    page.get_by_role("link", name="Tambah peserta").click()
    rows = page.locator("tbody tr")
    expect(rows).to_have_count(20)
    page.get_by_label("Pilih semua").check()
    expect(page.locator("input[name=assessment]:checked")).to_have_count(20)
    page.get_by_role("button", name="Usulkan peserta terpilih").click()
    expect(page.get_by_role("alert").first).to_contain_text(
        "20 WBP diusulkan; menunggu persetujuan Kepala Rutan."
    )


def the_warden_approves_them_in_one_click(page: Page) -> None:
    page.get_by_role("link", name=re.compile("20 usulan penempatan menunggu persetujuan")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Persetujuan penempatan dan pindah tingkat"
    )
    expect(page.locator("input[name=enrolment]:checked")).to_have_count(0)  # nothing pre-ticked
    page.get_by_label("Pilih semua").check()
    expect(page.locator("input[name=enrolment]:checked")).to_have_count(20)
    page.get_by_role("button", name="Setujui yang dicentang").click()
    expect(page.get_by_role("alert").first).to_contain_text("20 usulan diputuskan.")
    expect(page.get_by_text("Tidak ada usulan yang menunggu.")).to_be_visible()


def mark_from_the_keyboard(page: Page, name: str, key: str, label: str) -> None:
    """Focus the row's first radio, press the shortcut key, and see it land on the right one."""
    page.get_by_label(f"{name}: Hadir", exact=True).focus()
    page.keyboard.press(key)
    expect(page.get_by_label(f"{name}: {label}", exact=True)).to_be_checked()
    expect(page.get_by_label(f"{name}: {label}", exact=True)).to_be_focused()


def the_counselor_takes_attendance_of_todays_session(page: Page, cohort: Cohort) -> Session:
    session = cohort.sessions.order_by("starts_at").first()
    assert session is not None
    assert session.starts_at.astimezone(WITA).date() == cohort.start_date
    page.locator("#nav").get_by_role("link", name="Program", exact=True).click()
    page.get_by_role("link", name="Angkatan Ringan I").click()
    expect(page.locator("tbody").first.get_by_text("Ditempatkan", exact=True)).to_have_count(20)
    page.locator(f'a[href="{session.get_absolute_url()}"]').click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Konseling kelompok")
    expect(page.locator("tr[data-row]")).to_have_count(20)
    page.wait_for_load_state("load")  # the keys are bound by a deferred script
    mark_from_the_keyboard(page, ABSENT, "a", "Tidak hadir")
    mark_from_the_keyboard(page, LATE, "t", "Terlambat")
    page.get_by_role("button", name="Simpan kehadiran").click()
    expect(page.get_by_role("alert").first).to_contain_text("Kehadiran 20 peserta tersimpan.")
    expect(page.get_by_label(f"{ABSENT}: Tidak hadir", exact=True)).to_be_checked()
    expect(page.get_by_label(f"{LATE}: Terlambat", exact=True)).to_be_checked()
    return session


def the_counselor_prints_the_sign_in_sheet(page: Page, session: Session) -> None:
    link = page.get_by_role("link", name="Daftar hadir (PDF)")
    href = link.get_attribute("href")
    assert href is not None and href.endswith("/daftar-hadir.pdf")
    # Headless Chromium may show the PDF or save it: wait for the answer either way.
    with page.expect_response(re.compile(re.escape(href) + "$")) as answer:
        link.click()
    assert answer.value.status == 200
    assert answer.value.header_value("content-type") == "application/pdf"
    fetched = page.request.get(href)  # the same signed-in session, to read the bytes
    assert fetched.headers["content-type"] == "application/pdf"
    assert fetched.body().startswith(b"%PDF")
    assert AccessLog.objects.filter(action="pdf.download", target_id=session.pk).count() == 2


# --- the test ---------------------------------------------------------------------------------


def test_a_counselor_runs_a_ringan_cohort_from_set_up_to_the_sign_in_sheet(
    page: Page,
    new_context: Callable[..., BrowserContext],
    live_server: Any,
    demo: DemoOrganisation,
) -> None:
    """konselor.grogot sets up a 15-day Ringan cohort with its daily sessions, enrols 20 WBP from
    signed assessments, takes attendance for a session and prints the sign-in sheet."""
    track = ringan_track()
    twenty_wbp_with_signed_ringan_assessments(demo)

    login(page, live_server, "konselor.grogot")
    cohort = the_counselor_opens_a_cohort_with_daily_sessions(page, track)
    the_counselor_proposes_everyone_eligible(page)

    # Placement needs the warden, by design: Karutan approves on their own PC.
    warden = login(new_context().new_page(), live_server, "karutan.grogot")
    the_warden_approves_them_in_one_click(warden)
    assert Enrolment.objects.filter(cohort=cohort, state="placed").count() == 20

    session = the_counselor_takes_attendance_of_todays_session(page, cohort)
    marks = Counter(Attendance.objects.filter(session=session).values_list("status", flat=True))
    assert marks == {"present": 18, "absent": 1, "late": 1}
    # Those who came are now active; the absent one waits, still placed.
    states = Counter(Enrolment.objects.filter(cohort=cohort).values_list("state", flat=True))
    assert states == {"active": 19, "placed": 1}

    the_counselor_prints_the_sign_in_sheet(page, session)
