"""Fewer clicks: from a WBP's case file, the counselor screens with ASSIST, assesses, signs and
proposes a placement in at most six clicks (typing and the keyboard do not count; the warden's
approval is separate). Every click of the flow goes through `click`, which counts it."""

from __future__ import annotations

import datetime
from typing import Any
from zoneinfo import ZoneInfo

from playwright.sync_api import Locator, Page, expect

from assessments import scoring
from assessments.models import AssessorCredential
from programs.models import Cohort, Enrolment, Track
from rehab.demo import DemoOrganisation
from tests.e2e.conftest import inmate_named, login
from tests.e2e.test_screening import (
    WBP,
    open_the_case_file,
    the_counselor_interviews_from_the_keyboard,
)
from tests.factories import CredentialFactory, TrackFactory

WITA = ZoneInfo("Asia/Makassar")
MAX_CLICKS = 6


def test_screening_to_a_placement_proposal_takes_at_most_six_clicks(
    page: Page, live_server: Any, demo: DemoOrganisation
) -> None:
    grogot = demo.site("tanah-grogot").facility
    tier = scoring.suggested_tier("moderate", injects_high_risk=False)  # what the interview gives
    # The catalogue's track of that tier, or one like it when the catalogue is not loaded.
    track = Track.objects.filter(tier=tier, active=True).first() or TrackFactory(
        tier=tier, duration_days=30
    )
    today = datetime.datetime.now(WITA).date()
    cohort = Cohort.objects.create(
        facility=grogot, track=track, name="Angkatan Klik", start_date=today,
        end_date=today + datetime.timedelta(days=track.duration_days - 1), capacity=20,
        created_by=demo.users["konselor.grogot"],
    )  # fmt: skip
    inmate = inmate_named(WBP)
    counselor = demo.users["konselor.grogot"]
    if not AssessorCredential.objects.filter(user=counselor).exists():
        CredentialFactory(user=counselor, valid_from=today - datetime.timedelta(days=300),
                          valid_until=today + datetime.timedelta(days=700))  # fmt: skip
    clicks: list[str] = []

    def click(target: Locator, what: str) -> None:
        clicks.append(what)
        target.click()

    login(page, live_server, "konselor.grogot")
    open_the_case_file(page, WBP)  # the flow starts on the case file

    click(page.get_by_role("link", name="Skrining ASSIST", exact=True), "open the ASSIST form")
    page.wait_for_load_state("load")
    the_counselor_interviews_from_the_keyboard(page)  # ends with Enter on "Simpan"
    clicks.append("save the screening (Enter)")
    expect(page.get_by_role("heading", level=1)).to_have_text("Lembar Hasil Skrining ASSIST v3.1")

    click(page.get_by_role("link", name="Lanjut ke asesmen"), "go on to the assessment")
    page.locator("#id_diagnosis_system").select_option("icd10")
    page.locator("#id_diagnosis_code").fill("F15.1")
    page.locator("#id_final_tier").select_option(tier)
    click(page.get_by_role("button", name="Simpan draf"), "save the assessment")
    click(page.get_by_role("button", name="Tandatangani"), "sign it")
    expect(page.locator("main")).to_contain_text("ditandatangani")

    click(page.get_by_role("button", name="Usulkan ke Angkatan Klik", exact=False), "propose")
    expect(page.get_by_role("alert").first).to_contain_text("menunggu persetujuan Kepala Rutan")
    proposed = Enrolment.objects.get(inmate=inmate)
    assert (proposed.state, proposed.cohort) == ("proposed", cohort)
    assert len(clicks) <= MAX_CLICKS, clicks
