"""A tier change in a real browser: the counsellor asks to move an active Ringan participant to
Sedang after a re-assessment, the warden approves it from the today page, and the case file shows
both enrolments linked (the old one "Pindah tingkat", with a link to the new).

No frozen clock: the server runs in its own thread and Chromium keeps real time, so the cohorts
run around today in Tanah Grogot (WITA).
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable
from typing import Any
from zoneinfo import ZoneInfo

from django.contrib.auth import get_user_model
from playwright.sync_api import BrowserContext, Page, expect

from programs.models import Cohort, Enrolment, Track
from programs.tiers import services
from rehab.demo import DemoOrganisation
from tests.e2e.conftest import login
from tests.factories import InmateFactory, signed_assessment

WITA = ZoneInfo("Asia/Makassar")


def track_of(tier: str, days: int) -> Track:
    track = Track.objects.filter(tier=tier, active=True, kind="programme").first()
    return track or Track.objects.create(
        name=f"{tier.title()} — {days} hari", tier=tier, duration_days=days
    )


def an_active_ringan_participant(demo: DemoOrganisation) -> tuple[Enrolment, Cohort]:
    grogot = demo.site("tanah-grogot").facility
    counselor = get_user_model().objects.get(username="konselor.grogot")
    today = datetime.datetime.now(WITA).date()
    ringan, sedang = track_of("ringan", 15), track_of("sedang", 30)
    start = today - datetime.timedelta(days=3)
    common = {"facility": grogot, "created_by": counselor, "capacity": 20}
    ringan_cohort = Cohort.objects.create(
        track=ringan, name="Angkatan Ringan I", start_date=start,
        end_date=start + datetime.timedelta(days=14), **common,
    )  # fmt: skip
    sedang_cohort = Cohort.objects.create(
        track=sedang, name="Angkatan Sedang I", start_date=today,
        end_date=today + datetime.timedelta(days=29), **common,
    )  # fmt: skip
    inmate = InmateFactory(
        facility=grogot, full_name="Wahyu Hidayat", registration_number="BI.2001/2026"
    )
    enrolment = services.enrolment_propose(
        inmate=inmate, track=ringan, cohort=ringan_cohort,
        assessment=signed_assessment(inmate, final_tier="ringan"), by=counselor,
    )  # fmt: skip
    services.enrolment_move(enrolment=enrolment, to="placed", by=counselor, reason="Disetujui")
    services.enrolment_move(enrolment=enrolment, to="active", by=counselor, reason="Mulai sesi")
    signed_assessment(inmate, final_tier="sedang")  # the re-assessment
    return enrolment, sedang_cohort


def test_the_counsellor_requests_ringan_to_sedang_and_the_warden_approves(
    page: Page,
    new_context: Callable[..., BrowserContext],
    live_server: Any,
    demo: DemoOrganisation,
) -> None:
    old, sedang = an_active_ringan_participant(demo)

    login(page, live_server, "konselor.grogot")
    page.goto(f"{live_server.url}{old.get_absolute_url()}")
    page.get_by_role("link", name="Pindah tingkat", exact=True).click()
    page.get_by_label("Jalur tujuan").select_option(label=sedang.track.name)
    page.get_by_label("Angkatan tujuan").select_option(label=f"{sedang.name} · {sedang.track.name}")
    page.get_by_label("Asesmen ulang").select_option(index=1)
    page.get_by_label("Alasan").fill("Asesmen ulang: tingkat sedang")
    page.get_by_role("button", name="Simpan pindah tingkat").click()
    expect(page.get_by_role("alert").first).to_contain_text(
        "Permintaan pindah tingkat menunggu persetujuan Kepala Rutan."
    )
    expect(page.get_by_text("Permintaan pindah tingkat menunggu persetujuan:")).to_be_visible()

    warden = new_context().new_page()
    login(warden, live_server, "karutan.grogot")
    section = warden.locator("section", has_text="Pindah tingkat menunggu persetujuan")
    expect(section).to_contain_text(f"{old.track.name} → {sedang.track.name}")
    section.get_by_role("link", name="Putuskan").click()
    row = warden.locator("tbody tr", has_text="Wahyu Hidayat")
    expect(row).to_contain_text(f"{old.track.name} · Angkatan Ringan I → {sedang.track.name}")
    expect(warden.locator("input[name=enrolment]:checked")).to_have_count(0)
    row.get_by_role("button", name="Setujui", exact=True).click()
    expect(warden.get_by_role("alert").first).to_contain_text("1 usulan diputuskan.")

    new = Enrolment.objects.get(replaces=old)
    page.goto(f"{live_server.url}{old.inmate.get_absolute_url()}")
    old_item = page.locator(".timeline-item", has_text="Angkatan Ringan I")
    expect(old_item).to_contain_text("Pindah tingkat")
    old_item.get_by_role("link", name=sedang.track.name).click()
    expect(page).to_have_url(re.compile(re.escape(new.get_absolute_url()) + "$"))
    expect(page.get_by_text("Menggantikan (pindah tingkat)")).to_be_visible()
    expect(page.locator("p.text-body-secondary").first).to_contain_text("Ditempatkan")
