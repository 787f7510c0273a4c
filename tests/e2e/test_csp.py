"""The Content-Security-Policy in a real browser: the main pages of each role load without a
single violation (tests/e2e/conftest.py fails any test whose pages report one), and what runs
on JavaScript still works under it: the htmx search and duplicate probe, the attendance keyboard
shortcuts, "select all" and the print buttons.
"""

from __future__ import annotations

import datetime
import re
from typing import Any

from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Page, expect

from programs.models import CourseMeeting, Enrolment, Session, Trainee
from rehab.demo import DemoOrganisation
from tests.e2e.conftest import inmate_named, login, sign_out
from tests.factories import (
    CohortFactory,
    CourseFactory,
    InmateFactory,
    ScreeningFactory,
    signed_assessment,
)

NIK = "6401021505900001"
# Counted by window.print, which the print buttons call (a headless browser prints nothing).
COUNT_PRINTS = "window.print = () => { window.printed = (window.printed || 0) + 1; };"


def a_cohort_session_and_a_course_meeting(demo: DemoOrganisation) -> tuple[Session, Any]:
    grogot = demo.site("tanah-grogot").facility
    staff = demo.users["staf.grogot"]
    budi, dedi = inmate_named("Budi Santoso"), inmate_named("Dedi Kurniawan")
    budi.nik = NIK
    budi.save(update_fields=["nik"])
    cohort = CohortFactory(facility=grogot, name="Angkatan CSP")
    for inmate in (budi, dedi):
        Enrolment.objects.create(
            facility=grogot, inmate=inmate, track=cohort.track, cohort=cohort,
            assessment=signed_assessment(inmate, final_tier="ringan"), state="active",
        )  # fmt: skip
    start = timezone.now().replace(microsecond=0) - datetime.timedelta(hours=1)
    session = Session.objects.create(
        facility=grogot, cohort=cohort, kind="group", starts_at=start,
        ends_at=start + datetime.timedelta(hours=2), created_by=staff,
    )  # fmt: skip
    course = CourseFactory(facility=grogot, name="Menjahit CSP")
    for inmate in (budi, dedi):
        Trainee.objects.create(
            facility=grogot, course=course, inmate=inmate, state="enrolled", created_by=staff
        )
    meeting = CourseMeeting.objects.create(
        course=course, starts_at=start, ends_at=start + datetime.timedelta(hours=3)
    )
    for name in ("Eko Prasetyo", "Fajar Nugroho"):
        InmateFactory(facility=grogot, full_name=name)
    ScreeningFactory(inmate=budi)
    return session, meeting


def shows_its_heading(page: Page, url: str) -> None:
    response = page.goto(url)
    assert response is not None and response.status == 200, url
    expect(page.get_by_role("heading", level=1).first).to_be_visible()


def mark_from_the_keyboard(page: Page, name: str, key: str, label: str) -> None:
    page.get_by_label(f"{name}: Hadir", exact=True).focus()
    page.keyboard.press(key)
    expect(page.get_by_label(f"{name}: {label}", exact=True)).to_be_checked()


def test_the_staff_pages_keep_the_policy_and_their_scripts_work(
    page: Page, live_server: Any, demo: DemoOrganisation, csp_violations: list[str]
) -> None:
    _, meeting = a_cohort_session_and_a_course_meeting(demo)
    budi = inmate_named("Budi Santoso")
    page.add_init_script(COUNT_PRINTS)
    login(page, live_server, "staf.grogot")

    # The WBP list searches as one types (htmx), and the address follows.
    page.locator("#nav").get_by_role("link", name="WBP", exact=True).click()
    page.get_by_role("searchbox", name="Cari", exact=True).press_sequentially("Dedi", delay=20)
    expect(page.locator("#results tbody tr")).to_have_count(1)
    expect(page.locator("#results")).to_contain_text("Dedi Kurniawan")
    expect(page).to_have_url(re.compile(r"q=Dedi"))

    # The new-WBP form asks the server about look-alikes while one types (htmx).
    page.get_by_role("link", name="Tambah WBP").click()
    # htmx binds the probe once the page has loaded; a loaded machine can type before that.
    page.wait_for_load_state("load")
    page.get_by_label("NIK", exact=True).fill(NIK)
    page.get_by_label("NIK", exact=True).press("Tab")
    expect(page.locator("#duplicates")).to_contain_text("Mungkin sudah terdaftar")
    expect(page.locator("#duplicates")).to_contain_text("Budi Santoso")

    # The print button of a screening (app.js; the ASSIST form's own script is in test_screening).
    shows_its_heading(page, f"{live_server.url}{budi.get_absolute_url()}")
    screening = budi.screenings.get()
    shows_its_heading(page, f"{live_server.url}{screening.get_absolute_url()}")
    page.get_by_role("button", name="Cetak").click()
    assert page.evaluate("window.printed") == 1

    # The course meeting's attendance from the keyboard (attendance.js).
    shows_its_heading(page, f"{live_server.url}{meeting.get_absolute_url()}")
    mark_from_the_keyboard(page, "Dedi Kurniawan", "i", "Izin")
    mark_from_the_keyboard(page, "Budi Santoso", "a", "Tidak hadir")
    page.get_by_role("button", name="Simpan kehadiran").click()
    expect(page.get_by_role("alert").first).to_be_visible()
    expect(page.get_by_label("Dedi Kurniawan: Izin", exact=True)).to_be_checked()

    # "Select all" on the course's enrolment list.
    page.goto(f"{live_server.url}{reverse('programs:course_enrol', args=[meeting.course.pk])}")
    page.get_by_label("Pilih semua").check()
    expect(page.locator("input[name=inmate]:checked")).to_have_count(2)
    page.get_by_label("Pilih semua").uncheck()
    expect(page.locator("input[name=inmate]:checked")).to_have_count(0)

    for name in ["today", "programs:cohort_list", "programs:course_list", "reports:archive"]:
        shows_its_heading(page, f"{live_server.url}{reverse(name)}")
    shows_its_heading(page, f"{live_server.url}{reverse('password_change')}")
    assert csp_violations == []


def test_the_counselor_marks_a_session_from_the_keyboard_under_the_policy(
    page: Page, live_server: Any, demo: DemoOrganisation, csp_violations: list[str]
) -> None:
    session, _ = a_cohort_session_and_a_course_meeting(demo)
    login(page, live_server, "konselor.grogot")
    shows_its_heading(page, f"{live_server.url}{session.get_absolute_url()}")
    expect(page.locator("tr[data-row]")).to_have_count(2)
    mark_from_the_keyboard(page, "Budi Santoso", "t", "Terlambat")
    mark_from_the_keyboard(page, "Dedi Kurniawan", "a", "Tidak hadir")
    # A key with Ctrl is the browser's, not a mark.
    page.get_by_label("Budi Santoso: Terlambat", exact=True).focus()
    page.keyboard.press("Control+a")
    expect(page.get_by_label("Budi Santoso: Terlambat", exact=True)).to_be_checked()
    page.get_by_role("button", name="Simpan kehadiran").click()
    expect(page.get_by_role("alert").first).to_contain_text("Kehadiran 2 peserta tersimpan.")
    assert csp_violations == []


def test_the_other_roles_main_pages_keep_the_policy(
    page: Page, live_server: Any, demo: DemoOrganisation, csp_violations: list[str]
) -> None:
    a_cohort_session_and_a_course_meeting(demo)
    budi = inmate_named("Budi Santoso").get_absolute_url()
    pages = {
        "karutan.grogot": ["/", "/wbp/", reverse("programs:approvals"), reverse("reports:archive")],
        "nakes.grogot": ["/", "/wbp/", budi],
        "supervisor.kaltim": ["/", reverse("reports:archive")],
    }
    for username, paths in pages.items():
        login(page, live_server, username)
        for path in paths:
            shows_its_heading(page, f"{live_server.url}{path}")
        sign_out(page)
    # The two-step pages, with the enrolment QR code (inline SVG).
    login(page, live_server, "karutan.grogot")
    page.goto(f"{live_server.url}{reverse('mfa_enrol')}")
    expect(page.locator("svg.mfa-qr")).to_be_visible()
    # The admin site (Django's own templates and scripts).
    sign_out(page)
    login(page, live_server, "admin")
    page.goto(f"{live_server.url}/admin/rehab/membership/add/")
    expect(page.locator("#content h1")).to_be_visible()
    assert csp_violations == []
