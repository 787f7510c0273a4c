"""A transfer between two Rutan in a real browser: Tanah Grogot's staff hand a WBP in a running
Sedang cohort over to Banjarnegara; Banjarnegara's staff see it on the today page, read the
hand-over (no health result in it) and accept; Banjarnegara's counsellor continues the
programme and the sessions attended in Tanah Grogot count; Tanah Grogot's record is read-only.

No frozen clock: the server runs in its own thread and Chromium keeps real time, so the cohorts
run around today (WITA in Tanah Grogot).
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any
from zoneinfo import ZoneInfo

from django.contrib.auth import get_user_model
from playwright.sync_api import BrowserContext, Page, expect

from assessments.models import HealthScreening
from inmates.models import Inmate
from programs import attendance
from programs.models import Attendance, Cohort, Enrolment, Session, Track
from rehab.demo import DemoOrganisation
from tests.e2e.conftest import login
from tests.factories import InmateFactory, signed_assessment

WITA = ZoneInfo("Asia/Makassar")


def sedang() -> Track:
    found = Track.objects.filter(tier="sedang", active=True, kind="programme").first()
    return found or Track.objects.create(name="Sedang — 30 hari", tier="sedang", duration_days=30)


def a_participant_in_grogot(demo: DemoOrganisation) -> tuple[Inmate, Cohort]:
    grogot = demo.site("tanah-grogot").facility
    banjarnegara = demo.site("banjarnegara").facility
    counselor = get_user_model().objects.get(username="konselor.grogot")
    today = datetime.datetime.now(WITA).date()
    track = sedang()
    track.requirements.all().delete()
    start = today - datetime.timedelta(days=10)
    common = {"track": track, "start_date": start, "capacity": 20, "created_by": counselor,
              "end_date": start + datetime.timedelta(days=29)}  # fmt: skip
    here = Cohort.objects.create(facility=grogot, name="Sedang Grogot I", **common)
    there = Cohort.objects.create(facility=banjarnegara, name="Sedang Banjarnegara I", **common)
    wahyu = InmateFactory(facility=grogot, full_name="Wahyu Hidayat",
                          registration_number="BI.2001/2026")  # fmt: skip
    enrolment = Enrolment.objects.create(
        facility=grogot, inmate=wahyu, track=track, cohort=here, state="active",
        assessment=signed_assessment(wahyu, final_tier="sedang"), started_on=start,
    )  # fmt: skip
    for day, mark in enumerate(["present"] * 4 + ["absent"], start=1):
        starts = datetime.datetime.combine(start + datetime.timedelta(days=day),
                                           datetime.time(9), WITA)  # fmt: skip
        session = Session.objects.create(
            facility=grogot, cohort=here, kind="group", starts_at=starts, status="held",
            ends_at=starts + datetime.timedelta(hours=2), created_by=counselor,
        )  # fmt: skip
        Attendance.objects.create(session=session, enrolment=enrolment, status=mark,
                                  recorded_by=counselor)  # fmt: skip
    HealthScreening.objects.create(
        facility=grogot, inmate=wahyu, screened_on=start, examiner=counselor,
        consent_given=True, hiv="reactive", notes="HIV reaktif; ARV dimulai",
    )  # fmt: skip
    return wahyu, there


def test_a_wbp_is_handed_over_accepted_and_continues_the_programme_with_its_sessions(
    page: Page,
    new_context: Callable[..., BrowserContext],
    live_server: Any,
    demo: DemoOrganisation,
) -> None:
    wahyu, there = a_participant_in_grogot(demo)
    today = datetime.datetime.now(WITA).date()

    login(page, live_server, "staf.grogot")
    page.goto(f"{live_server.url}{wahyu.get_absolute_url()}")
    page.get_by_role("link", name="Pindah UPT").click()
    page.get_by_label("UPT tujuan", exact=True).select_option(label=there.facility.name)
    page.get_by_label("Tanggal pindah").fill(f"{today:%d-%m-%Y}")
    page.locator("#id_reason").fill("Kelebihan kapasitas")
    page.get_by_label("Nomor surat pemindahan").fill("W.17-PK.01.01-123")
    page.get_by_role("button", name="Catat pemindahan").click()
    expect(page.get_by_role("alert").first).to_contain_text("menunggu penerimaan")

    staff = new_context().new_page()
    login(staff, live_server, "staf.banjarnegara")
    section = staff.locator("section", has_text="Pemindahan antar-UPT")
    expect(section).to_contain_text("Wahyu Hidayat")
    section.get_by_role("link", name="Periksa dan terima").click()
    expect(staff.locator("dl")).to_contain_text("hadir 4 dari 5 sesi terlaksana")
    expect(staff.locator("main, body").first).not_to_contain_text("HIV")
    staff.get_by_label("Nomor registrasi di UPT ini").fill("BI.0900/2026")
    staff.get_by_role("button", name="Terima WBP").click()
    expect(staff.get_by_role("alert").first).to_contain_text("Wahyu Hidayat diterima dari")
    expect(staff.get_by_text("Pindahan dari Rutan Kelas IIB Tanah Grogot")).to_be_visible()
    received = Inmate.objects.get(facility=there.facility, registration_number="BI.0900/2026")

    counselor = new_context().new_page()
    login(counselor, live_server, "konselor.banjarnegara")
    counselor.goto(f"{live_server.url}{received.get_absolute_url()}")
    block = counselor.locator("#lanjutkan-program")
    expect(block).to_contain_text("hadir 4 dari 5 sesi terlaksana")
    block.get_by_label("Angkatan di UPT ini").select_option(
        label=f"{there.name} · {there.track.name}"
    )
    block.locator("#id_reason").fill("Melanjutkan sesuai asesmen UPT asal")
    block.get_by_role("button", name="Lanjutkan program (sesi terhitung)").click()
    expect(counselor.get_by_role("alert").first).to_contain_text("menunggu persetujuan")
    continued = Enrolment.objects.get(inmate=received)
    assert continued.continues is not None
    assert attendance.enrolment_tally(continued).attended == 4  # counted toward completion

    # Tanah Grogot keeps its record, to read only
    page.goto(f"{live_server.url}{wahyu.get_absolute_url()}")
    expect(page.get_by_text("Diterima")).to_be_visible()
    expect(page.get_by_role("link", name="Ubah", exact=True)).to_have_count(0)
    page.goto(f"{live_server.url}/wbp/{wahyu.pk}/ubah/")
    expect(page.get_by_role("alert").first).to_contain_text("hanya dibaca")
