"""A urine result corrected with its trail, in a real browser: the health worker records a test,
finds AMP wrongly read positive and asks for the correction with the reason; the old result
stands until the counsellor, a second pair of eyes, confirms it; then the page shows the new
result and the trail (what it was, why, who asked, who confirmed)."""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable
from typing import Any
from zoneinfo import ZoneInfo

from django.contrib.auth import get_user_model
from django.utils import timezone
from playwright.sync_api import BrowserContext, Locator, Page, expect

from assessments.models import UrineCorrection, UrineResult, UrineTest
from rehab.demo import DemoOrganisation
from tests.e2e.conftest import inmate_named, login

WBP = "Budi Santoso"
REASON = "Garis T pada strip AMP samar; uji konfirmasi Labkesda negatif."
NEGATIVE = ["MET (metamfetamin)", "THC (ganja)", "COC (kokain)", "MOP/OPI (morfin/opiat)",
            "BZO (benzodiazepin)"]  # fmt: skip


def open_the_case_file(page: Page, name: str) -> None:
    page.locator("#nav").get_by_role("link", name="WBP", exact=True).click()
    page.locator("#results").get_by_role("link", name=name).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(name)


def amp_row(page: Page) -> Locator:
    return page.locator("#results tbody tr").filter(has_text="AMP (amfetamin)")


def the_nurse_records_a_test_with_amp_positive(page: Page, tested_on: datetime.date) -> None:
    open_the_case_file(page, WBP)
    page.get_by_role("link", name="Tes urine", exact=True).click()
    page.get_by_label("Tanggal tes").fill(f"{tested_on:%d-%m-%Y}")
    page.get_by_label("AMP (amfetamin)").select_option(label="Positif")
    for analyte in NEGATIVE:
        page.get_by_label(analyte).select_option(label="Negatif")
    page.get_by_label("Laboratorium konfirmasi").fill("Labkesda Kabupaten Paser")
    page.get_by_role("button", name="Simpan hasil tes").click()
    expect(page.get_by_role("alert")).to_contain_text("Hasil tes urine tersimpan.")
    page.locator(".timeline-item").filter(has_text="Tes urine").get_by_role(
        "link", name="lihat hasil"
    ).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Hasil tes urine: {WBP}")
    expect(amp_row(page).locator("td").nth(1)).to_have_text("Positif")
    months = ["Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus",
              "September", "Oktober", "November", "Desember"]  # fmt: skip
    taken = f"{tested_on.day} {months[tested_on.month - 1]} {tested_on.year}"
    expect(page.locator("main")).to_contain_text(taken)


def the_nurse_asks_for_the_correction(page: Page) -> None:
    page.get_by_role("link", name="Koreksi hasil").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Koreksi hasil tes urine: {WBP}")
    # The reason is required: the page does not send the form without it (the server refuses
    # it too: tests/assessments/test_corrections.py), and the choices are kept.
    page.get_by_label("Parameter").select_option(label="AMP (amfetamin) · Positif")
    page.get_by_label("Hasil yang benar").select_option(label="Negatif")
    page.get_by_role("button", name="Ajukan koreksi").click()
    reason = page.get_by_label("Alasan koreksi")
    assert reason.evaluate("box => box.validity.valueMissing") is True
    expect(page.get_by_label("Hasil yang benar")).to_have_value("negative")
    assert not UrineCorrection.objects.exists()
    reason.fill(REASON)
    page.get_by_role("button", name="Ajukan koreksi").click()
    expect(page.get_by_role("alert")).to_contain_text("Hasil lama berlaku")


def the_old_result_stands_with_the_pending_correction_shown(page: Page) -> None:
    row = amp_row(page)
    expect(row.locator("td").nth(1)).to_have_text("Positif")
    expect(row).to_contain_text("menunggu konfirmasi")
    expect(row).to_contain_text("Positif → Negatif")
    expect(row).to_contain_text("Menunggu konfirmasi petugas lain.")
    expect(row.get_by_role("button", name="Konfirmasi koreksi AMP")).to_have_count(0)


def the_counselor_confirms_it(page: Page, url: str) -> None:
    page.goto(url)
    row = amp_row(page)
    expect(row.locator("td").nth(1)).to_have_text("Positif")
    row.get_by_role("button", name="Konfirmasi koreksi AMP").click()
    expect(page.get_by_role("alert")).to_contain_text("Koreksi dikonfirmasi: hasil baru berlaku.")
    expect(amp_row(page).locator("td").nth(1)).to_have_text("Negatif")
    expect(amp_row(page)).not_to_contain_text("menunggu konfirmasi")


def the_trail_shows_what_it_was_why_and_who(page: Page, nurse: str, counselor: str) -> None:
    trail = page.locator("#trail tbody tr")
    expect(trail).to_have_count(1)
    when = r"\d+ November 2026 \d\d\.\d\d WITA"  # the day and time of each step
    expect(trail.locator("td")).to_have_text(
        [
            "AMP",
            "Positif → Negatif",
            REASON,
            re.compile(rf"^{re.escape(nurse)} · {when}$"),
            re.compile(rf"^Dikonfirmasi\s+· {re.escape(counselor)} · {when}\s*$"),
        ]
    )


def test_a_urine_result_corrected_with_its_trail(
    page: Page,
    new_context: Callable[..., BrowserContext],
    live_server: Any,
    demo: DemoOrganisation,
) -> None:
    users = get_user_model().objects
    nurse = users.get(username="nakes.grogot").get_full_name()
    counselor = users.get(username="konselor.grogot").get_full_name()
    # Taken four days ago, typed in today: the page shows the day it was taken.
    today = timezone.localtime(timezone.now(), ZoneInfo("Asia/Makassar")).date()
    tested_on = today - datetime.timedelta(days=4)

    login(page, live_server, "nakes.grogot")
    the_nurse_records_a_test_with_amp_positive(page, tested_on)
    test = UrineTest.objects.get(inmate=inmate_named(WBP))
    assert test.tested_on == tested_on
    the_nurse_asks_for_the_correction(page)
    the_old_result_stands_with_the_pending_correction_shown(page)
    assert UrineResult.objects.get(test=test, analyte="AMP").result == "positive"

    second = login(new_context().new_page(), live_server, "konselor.grogot")
    the_counselor_confirms_it(second, f"{live_server.url}{test.get_absolute_url()}")
    the_trail_shows_what_it_was_why_and_who(second, nurse, counselor)
    assert UrineResult.objects.get(test=test, analyte="AMP").result == "negative"

    # The one who asked sees the same trail, and the new result.
    page.reload()
    expect(amp_row(page).locator("td").nth(1)).to_have_text("Negatif")
    the_trail_shows_what_it_was_why_and_who(page, nurse, counselor)
