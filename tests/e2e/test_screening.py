"""ASSIST and health screening in a real browser: the interview from the keyboard, the bands on
the result sheet and the case file, and who may see what.

The expected score is worked out here by hand from the WHO table (DOMAIN.md §1.2), not by
calling assessments.scoring, so the test checks the app's arithmetic instead of repeating it.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable
from typing import Any

from django.contrib.auth import get_user_model
from django.urls import reverse
from playwright.sync_api import BrowserContext, Locator, Page, expect

from assessments.models import AssistScreening
from assessments.services import health_screening_record
from inmates.models import Inmate
from rehab.demo import DemoOrganisation
from tests.e2e.conftest import inmate_named, login

WBP = "Budi Santoso"
SABU = "Stimulan jenis amfetamin (sabu, ekstasi, dll.)"
TOBACCO = "Tembakau (rokok, cerutu, kretek, dll.)"

# WHO ASSIST v3.1 answer scores (DOMAIN.md §1.2), keyed by the digit the interviewer types: the
# answer's position in the list, 0 for the first (the labels are words only, no digits, so they
# cannot be mistaken for scores). Q1 is not scored; Q6 and Q7: "1" is yes in the past 3 months
# (6 points), "2" is yes but earlier (3 points).
WHO_SCORES = {
    "q2": {"0": 0, "1": 2, "2": 3, "3": 4, "4": 6},
    "q3": {"0": 0, "1": 3, "2": 4, "3": 5, "4": 6},
    "q4": {"0": 0, "1": 4, "2": 5, "3": 6, "4": 7},
    "q5": {"0": 0, "1": 5, "2": 6, "3": 7, "4": 8},
    "q6": {"0": 0, "1": 6, "2": 3},
    "q7": {"0": 0, "1": 6, "2": 3},
}

# What the WBP answers, as (question, digit typed, option label). Tobacco has no Q5.
TOBACCO_ANSWERS = [
    ("q1", "1", "Ya"),
    ("q2", "4", "Harian atau hampir tiap hari"),
    ("q3", "4", "Harian atau hampir tiap hari"),
    ("q4", "0", "Tidak pernah"),
    ("q6", "0", "Tidak, tidak pernah"),
    ("q7", "1", "Ya, dalam 3 bulan terakhir"),
]
SABU_ANSWERS = [
    ("q1", "1", "Ya"),
    ("q2", "3", "Tiap minggu"),
    ("q3", "3", "Tiap minggu"),
    ("q4", "1", "Satu atau dua kali"),
    ("q5", "0", "Tidak pernah"),
    ("q6", "1", "Ya, dalam 3 bulan terakhir"),
    ("q7", "0", "Tidak, tidak pernah"),
]
NEVER_USED = ["alcohol", "cannabis", "cocaine"]
NEVER_USED_AFTER_SABU = ["inhalants", "sedatives", "hallucinogens", "opioids"]


def who_score(answers: list[tuple[str, str, str]]) -> int:
    """The specific substance involvement score: Q2 to Q7 added up, Q1 left out."""
    return sum(WHO_SCORES[q][digit] for q, digit, _ in answers if q != "q1")


SABU_SCORE = who_score(SABU_ANSWERS)  # 4 + 5 + 4 + 0 + 6 + 0
TOBACCO_SCORE = who_score(TOBACCO_ANSWERS)  # 6 + 6 + 0 + 0 + 6
assert (SABU_SCORE, TOBACCO_SCORE) == (19, 18)  # both within 4-26: moderate risk


# --- helpers ----------------------------------------------------------------------------------


def box(page: Page, substance: str, question: str) -> Locator:
    return page.locator(f"#id_{substance}_{question}")


def answer(page: Page, substance: str, question: str, digit: str, label: str) -> None:
    """Type the digit into the focused box, check what it chose, then Tab on."""
    expect(box(page, substance, question)).to_be_focused()
    page.keyboard.press(digit)
    expect(box(page, substance, question).locator("option:checked")).to_have_text(label)
    page.keyboard.press("Tab")


def shown(page: Page, substance: str, *questions: str) -> None:
    for question in questions:
        expect(box(page, substance, question)).to_be_visible()
        expect(box(page, substance, question)).to_be_enabled()


def skipped(page: Page, substance: str, *questions: str) -> None:
    for question in questions:
        expect(box(page, substance, question)).to_be_hidden()
        expect(box(page, substance, question)).to_be_disabled()


def open_the_case_file(page: Page, name: str) -> None:
    page.locator("#nav").get_by_role("link", name="WBP", exact=True).click()
    page.locator("#results").get_by_role("link", name=name).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(name)


def screening_entries(page: Page, text: str) -> Locator:
    """The lines of the case file's "Skrining dan asesmen" section that mention the text."""
    section = page.locator(".timeline-item").filter(
        has=page.get_by_text("Skrining dan asesmen", exact=True)
    )
    return section.get_by_role("listitem").filter(has_text=text)


def not_found(page: Page, url: str) -> None:
    response = page.goto(url)
    assert response is not None and response.status == 404, url
    expect(page.get_by_role("heading", level=1)).to_have_text("Tidak ditemukan")


# --- steps ------------------------------------------------------------------------------------


def the_counselor_interviews_from_the_keyboard(page: Page) -> None:
    """Tab from box to box and type the digit of each answer; no mouse after the first box."""
    page.evaluate("window.stillTheSameInterview = true")
    skipped(page, "amphetamines", "q2", "q3", "q4", "q5", "q6", "q7")
    box(page, "tobacco", "q1").focus()

    for question, digit, label in TOBACCO_ANSWERS:
        answer(page, "tobacco", question, digit, label)
    for substance in NEVER_USED:
        answer(page, substance, "q1", "0", "Tidak")
        skipped(page, substance, "q2", "q6", "q7")

    # Sabu: a yes opens Q2, Q6 and Q7; Q3-Q5 wait until Q2 says it was used in 3 months.
    skipped(page, "amphetamines", "q2", "q3", "q4", "q5", "q6", "q7")
    answer(page, "amphetamines", "q1", "1", "Ya")
    shown(page, "amphetamines", "q2", "q6", "q7")
    skipped(page, "amphetamines", "q3", "q4", "q5")
    expect(box(page, "amphetamines", "q2")).to_be_focused()
    page.keyboard.press("3")
    shown(page, "amphetamines", "q3", "q4", "q5")
    # A slip on the arrow keys to "never": Q3-Q5 go away, Q6 and Q7 are still asked ...
    for _ in range(3):
        page.keyboard.press("ArrowUp")
    expect(box(page, "amphetamines", "q2").locator("option:checked")).to_have_text("Tidak pernah")
    skipped(page, "amphetamines", "q3", "q4", "q5")
    shown(page, "amphetamines", "q6", "q7")
    # ... and the interviewer puts it right: the questions come back, empty.
    for _ in range(3):
        page.keyboard.press("ArrowDown")
    expect(box(page, "amphetamines", "q2").locator("option:checked")).to_have_text(
        SABU_ANSWERS[1][2]
    )
    shown(page, "amphetamines", "q3", "q4", "q5")
    expect(box(page, "amphetamines", "q3")).to_have_value("")
    page.keyboard.press("Tab")
    for question, digit, label in SABU_ANSWERS[2:]:
        answer(page, "amphetamines", question, digit, label)

    for substance in NEVER_USED_AFTER_SABU:
        answer(page, substance, "q1", "0", "Tidak")
    expect(page.get_by_label("Zat lain, sebutkan")).to_be_focused()
    page.keyboard.press("Tab")
    answer(page, "other", "q1", "0", "Tidak")

    # Q8 injecting: never. The key is the first letter of the option (see the report on Q8).
    q8 = page.locator("#id_injection")
    expect(q8).to_be_focused()
    never = q8.locator("option[value=no]").inner_text()
    page.keyboard.press(never[0])
    expect(q8).to_have_value("no")
    expect(page.locator("#injection-pattern")).to_be_hidden()
    page.keyboard.press("Tab")

    submit = page.get_by_role("button", name="Simpan dan hitung skor")
    expect(submit).to_be_focused()
    assert page.evaluate("window.stillTheSameInterview") is True, "the form reloaded the page"
    page.keyboard.press("Enter")


def the_result_sheet_shows_the_bands(page: Page, inmate: Inmate) -> AssistScreening:
    expect(page.get_by_role("heading", level=1)).to_have_text("Lembar Hasil Skrining ASSIST v3.1")
    expect(page.get_by_role("alert")).to_contain_text("Hasil skrining ASSIST tersimpan.")
    screening = AssistScreening.objects.get(inmate=inmate)
    expect(page).to_have_url(re.compile(rf"/skrining/{screening.pk}/$"))

    sabu = page.get_by_role("row").filter(has_text=SABU)
    expect(sabu.locator("td")).to_have_text(
        [
            re.compile(rf"^{re.escape(SABU)}\s+zat utama$"),
            str(SABU_SCORE),
            "Risiko sedang",
            re.compile("intervensi singkat"),
        ]
    )
    tobacco = page.get_by_role("row").filter(has_text=TOBACCO)
    expect(tobacco.locator("td").nth(1)).to_have_text(str(TOBACCO_SCORE))
    expect(tobacco).to_contain_text("Risiko sedang")
    expect(tobacco).not_to_contain_text("zat utama")
    expect(page.get_by_text("zat utama", exact=True)).to_have_count(1)
    alcohol = page.get_by_role("row").filter(has_text="Minuman beralkohol")
    expect(alcohol.locator("td").nth(1)).to_have_text("0")
    expect(alcohol).to_contain_text("tidak pernah memakai")
    expect(page.locator("dl.facts")).to_contain_text("Tidak, tidak pernah")
    return screening


def the_case_file_shows_the_band(page: Page) -> None:
    page.get_by_role("link", name="Kembali ke berkas WBP").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(WBP)
    entry = screening_entries(page, "Skrining ASSIST")
    expect(entry).to_contain_text(f"{SABU}: Risiko sedang")
    expect(entry.get_by_role("link", name="lembar hasil")).to_be_visible()


# --- tests ------------------------------------------------------------------------------------


def test_a_counselor_runs_an_assist_from_the_keyboard_that_another_rutan_cannot_reach(
    page: Page,
    new_context: Callable[..., BrowserContext],
    live_server: Any,
    demo: DemoOrganisation,
) -> None:
    """konselor.grogot interviews a WBP on one page and reads the bands; Banjarnegara cannot."""
    inmate = inmate_named(WBP)
    login(page, live_server, "konselor.grogot")
    open_the_case_file(page, WBP)
    expect(screening_entries(page, "Skrining ASSIST")).to_have_count(0)
    page.get_by_role("link", name="Skrining ASSIST", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Skrining ASSIST v3.1: {WBP}")

    the_counselor_interviews_from_the_keyboard(page)
    screening = the_result_sheet_shows_the_bands(page, inmate)
    assert (screening.main_substance, screening.main_level) == ("amphetamines", "moderate")
    the_case_file_shows_the_band(page)

    other = login(new_context().new_page(), live_server, "staf.banjarnegara")
    not_found(other, screening.get_absolute_url())
    not_found(other, reverse("assessments:screening_create", args=[inmate.pk]))


def test_the_warden_sees_a_health_screening_happened_and_only_health_workers_read_it(
    page: Page,
    new_context: Callable[..., BrowserContext],
    live_server: Any,
    demo: DemoOrganisation,
) -> None:
    """Karutan sees the date of a health screening, not its result; nakes opens the result."""
    inmate = inmate_named(WBP)
    nurse = get_user_model().objects.get(username="nakes.grogot")
    screening = health_screening_record(
        inmate=inmate,
        by=nurse,
        data={
            "screened_on": datetime.date(2026, 3, 10),
            "consent_given": True,
            "hiv": "non_reactive",
            "syphilis": "reactive",
            "referred_to": "Puskesmas Tanah Grogot",
        },
    )
    result_url = reverse("assessments:health_detail", args=[screening.pk])

    login(page, live_server, "karutan.grogot")
    open_the_case_file(page, WBP)
    entry = screening_entries(page, "Skrining kesehatan")
    expect(entry).to_contain_text("Skrining kesehatan · 10 Maret 2026")
    expect(entry).to_contain_text("hasil rahasia (hanya nakes dan konselor)")
    expect(entry.get_by_role("link")).to_have_count(0)
    expect(page.locator("main")).not_to_contain_text("Reaktif")
    response = page.goto(result_url)
    assert response is not None and response.status == 403
    expect(page.get_by_role("heading", level=1)).to_have_text("Tidak diizinkan")
    expect(page.locator("main")).not_to_contain_text("Reaktif")

    health = login(new_context().new_page(), live_server, "nakes.grogot")
    open_the_case_file(health, WBP)
    screening_entries(health, "Skrining kesehatan").get_by_role("link", name="lihat hasil").click()
    expect(health).to_have_url(re.compile(rf"{re.escape(result_url)}$"))
    expect(health.get_by_role("heading", level=1)).to_have_text(f"Hasil skrining kesehatan: {WBP}")
    expect(health.get_by_role("row").filter(has_text="HIV").locator("td")).to_have_text(
        "Non-reaktif / negatif"
    )
    expect(health.get_by_role("row").filter(has_text="Sifilis").locator("td")).to_have_text(
        "Reaktif / positif"
    )
    expect(health.get_by_role("row").filter(has_text="Dirujuk ke").locator("td")).to_have_text(
        "Puskesmas Tanah Grogot"
    )
