"""A course meeting cancelled in a real browser by the registration officer, and a group
session moved, both shown on the counselor's today page with their reasons.

No frozen clock: the server runs in its own thread, so the meeting is planned for tomorrow in
Tanah Grogot (WITA)."""

from __future__ import annotations

import datetime
from typing import Any
from zoneinfo import ZoneInfo

from playwright.sync_api import Page, expect

from programs.models import Cohort, CourseMeeting, Session
from rehab.demo import DemoOrganisation
from rehab.models import AuditEntry
from tests.e2e.conftest import login, sign_out
from tests.e2e.test_programme import ringan_track
from tests.factories import CourseFactory

WITA = ZoneInfo("Asia/Makassar")


def test_a_cancelled_meeting_and_a_moved_session_reach_the_counselor(
    page: Page, live_server: Any, demo: DemoOrganisation
) -> None:
    grogot = demo.site("tanah-grogot").facility
    tomorrow = datetime.datetime.now(WITA).date() + datetime.timedelta(days=1)
    nine = datetime.datetime.combine(tomorrow, datetime.time(9), tzinfo=WITA)
    course = CourseFactory(facility=grogot, name="Las Listrik Dasar",
                           created_by=demo.users["staf.grogot"])  # fmt: skip
    meeting = CourseMeeting.objects.create(
        course=course, starts_at=nine, ends_at=nine + datetime.timedelta(hours=2), topic="K3 las"
    )
    cohort = Cohort.objects.create(
        facility=grogot, track=ringan_track(), name="Angkatan Uji",
        start_date=tomorrow, end_date=tomorrow + datetime.timedelta(days=14),
        created_by=demo.users["konselor.grogot"],
    )  # fmt: skip
    session = Session.objects.create(
        facility=grogot, cohort=cohort, kind="group", starts_at=nine + datetime.timedelta(hours=4),
        ends_at=nine + datetime.timedelta(hours=6), created_by=demo.users["konselor.grogot"],
    )  # fmt: skip

    login(page, live_server, "staf.grogot")
    page.goto(f"{live_server.url}{meeting.get_absolute_url()}")
    page.get_by_text("Batalkan jadwal ini").click()
    page.get_by_label("Alasan pembatalan").fill("Instruktur BLK berhalangan")
    page.get_by_role("button", name="Batalkan", exact=True).click()
    expect(page.get_by_role("alert").first).to_contain_text("Jadwal dibatalkan.")
    expect(page.locator("main")).to_contain_text("Dibatalkan: Instruktur BLK berhalangan")

    page.goto(f"{live_server.url}{session.get_absolute_url()}")
    page.get_by_role("link", name="Pindah jadwal").click()
    page.get_by_label("Jam mulai").fill("15:00")
    page.get_by_label("Jam selesai").fill("16:30")
    page.get_by_label("Alasan pindah jadwal").fill("Aula dipakai kunjungan keluarga")
    page.get_by_role("button", name="Pindahkan jadwal").click()
    expect(page.get_by_role("alert").first).to_contain_text("Jadwal dipindahkan ke")

    sign_out(page)
    login(page, live_server, "konselor.grogot")
    changes = page.locator("section", has_text="Jadwal yang berubah")
    expect(changes).to_contain_text("Las Listrik Dasar")
    expect(changes).to_contain_text("Instruktur BLK berhalangan")
    expect(changes).to_contain_text("Angkatan Uji")
    expect(changes).to_contain_text("Aula dipakai kunjungan keluarga")
    assert AuditEntry.objects.filter(action="programs.meeting.cancelled").count() == 1
    session.refresh_from_db()
    assert timezone_hour(session.starts_at) == 15


def timezone_hour(moment: datetime.datetime) -> int:
    return moment.astimezone(WITA).hour
