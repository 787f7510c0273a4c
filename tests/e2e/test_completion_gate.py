"""Completion gated on attendance in a real browser: the counsellor's "Selesai" is refused with
the numbers, the warden waives the requirement with a reason, the counsellor then completes and
the certificate carries the register number.

No frozen clock: the server runs in its own thread and Chromium keeps real time, so the cohort
and its sessions run in the days before today in Tanah Grogot (WITA).
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable
from typing import Any
from zoneinfo import ZoneInfo

from django.contrib.auth import get_user_model
from playwright.sync_api import BrowserContext, Page, expect

from programs.models import Attendance, Certificate, Cohort, Enrolment, Session, Track
from rehab.demo import DemoOrganisation
from tests.e2e.conftest import login
from tests.factories import InmateFactory, signed_assessment

WITA = ZoneInfo("Asia/Makassar")


def a_participant_who_attended_one_of_three(demo: DemoOrganisation) -> Enrolment:
    grogot = demo.site("tanah-grogot").facility
    counselor = get_user_model().objects.get(username="konselor.grogot")
    today = datetime.datetime.now(WITA).date()
    track = Track.objects.filter(tier="ringan", active=True, kind="programme").first()
    track = track or Track.objects.create(name="Ringan — 15 hari", tier="ringan", duration_days=15)
    track.requirements.all().delete()
    start = today - datetime.timedelta(days=14)
    cohort = Cohort.objects.create(
        facility=grogot, track=track, name="Angkatan Ringan IX", start_date=start,
        end_date=today, capacity=20, created_by=counselor,
    )  # fmt: skip
    inmate = InmateFactory(facility=grogot, full_name="Slamet Riyadi")
    enrolment = Enrolment.objects.create(
        facility=grogot, inmate=inmate, track=track, cohort=cohort, state="active",
        assessment=signed_assessment(inmate, final_tier="ringan"), started_on=start,
    )  # fmt: skip
    for day, mark in enumerate(["present", "absent", "absent"], start=1):
        starts = datetime.datetime.combine(start + datetime.timedelta(days=day),
                                           datetime.time(9), WITA)  # fmt: skip
        session = Session.objects.create(
            facility=grogot, cohort=cohort, kind="group", starts_at=starts, status="held",
            ends_at=starts + datetime.timedelta(hours=2), created_by=counselor,
        )  # fmt: skip
        Attendance.objects.create(
            session=session, enrolment=enrolment, status=mark, recorded_by=counselor
        )
    return enrolment


def complete(page: Page) -> None:
    page.get_by_label("Status baru").select_option(label="Selesai program")
    page.locator("#id_reason").fill("Program selesai")
    page.get_by_role("button", name="Simpan perubahan status").click()


def test_completion_is_refused_the_warden_waives_with_a_reason_and_the_counsellor_completes(
    page: Page,
    new_context: Callable[..., BrowserContext],
    live_server: Any,
    demo: DemoOrganisation,
) -> None:
    enrolment = a_participant_who_attended_one_of_three(demo)
    login(page, live_server, "konselor.grogot")
    url = f"{live_server.url}{enrolment.get_absolute_url()}"
    page.goto(url)
    expect(page.locator("#syarat")).to_contain_text(
        "Hadir 1 dari 3 sesi terlaksana (33,3%); syarat 80%"
    )
    expect(page.get_by_role("button", name="Kecualikan syarat kehadiran")).to_have_count(0)
    complete(page)

    expect(page.get_by_role("alert").first).to_contain_text(
        "Belum memenuhi syarat kehadiran: Hadir 1 dari 3 sesi terlaksana (33,3%); syarat 80%."
    )
    assert Enrolment.objects.get(pk=enrolment.pk).state == "active"

    warden = new_context().new_page()
    login(warden, live_server, "karutan.grogot")
    warden.goto(url)
    gate = warden.locator("#syarat")
    gate.get_by_label("Alasan pengecualian").fill("Dirawat di RSUD, materi diulang konselor")
    gate.get_by_role("button", name="Kecualikan syarat kehadiran").click()
    expect(warden.get_by_role("alert").first).to_contain_text("Syarat kehadiran dikecualikan")
    expect(gate).to_contain_text("Dikecualikan oleh Kepala Rutan")
    expect(gate).to_contain_text("Dirawat di RSUD, materi diulang konselor")

    page.goto(url)
    complete(page)
    expect(page.get_by_role("alert").first).to_contain_text("Status peserta diubah.")
    code = Certificate.objects.get(enrolment=enrolment).code
    assert re.fullmatch(r"0001/tanah-grogot/\d{4}", code), code
    expect(page.locator("#syarat")).to_contain_text(code)
    href = page.get_by_role("link", name="Sertifikat (PDF)").get_attribute("href")
    pdf = page.request.get(f"{live_server.url}{href}")  # with the warden's session
    assert pdf.headers["content-type"] == "application/pdf"
