"""The counselor generates a Mon-Wed-Fri 09:00-11:00 schedule for a 15-day Ringan cohort in a
real browser: one Wednesday is a holiday, one participant has a court hearing on a Friday
morning, the hall is taken by ibadah on a Monday at 09:00 and two participants are a pair to keep
apart. The preview names all four before anything is saved; saving without the clashing ones
writes exactly the sessions shown; regenerating writes nothing new.

No frozen clock: the server runs in its own thread, so the cohort starts next Monday."""

from __future__ import annotations

import datetime
import re
from typing import Any
from zoneinfo import ZoneInfo

from playwright.sync_api import Page, expect

from programs.models import Cohort, FacilityActivity, Session
from programs.scheduling import services as scheduling
from programs.tiers import services
from rehab.demo import DemoOrganisation
from tests.e2e.conftest import login
from tests.e2e.test_programme import ringan_track
from tests.factories import InmateFactory, signed_assessment

WITA = ZoneInfo("Asia/Makassar")


def test_the_preview_names_every_clash_and_saving_without_them_writes_what_was_shown(
    page: Page, live_server: Any, demo: DemoOrganisation
) -> None:
    grogot = demo.site("tanah-grogot").facility
    counselor, staff = demo.users["konselor.grogot"], demo.users["staf.grogot"]
    today = datetime.datetime.now(WITA).date()
    monday = today + datetime.timedelta(days=7 - today.weekday())
    cohort = Cohort.objects.create(
        facility=grogot, track=ringan_track(), name="Angkatan Pratinjau", start_date=monday,
        end_date=monday + datetime.timedelta(days=14), place="Aula Pembinaan",
        created_by=counselor,
    )  # fmt: skip
    people = []
    for name in ("Andi Wijaya", "Bayu Saputra", "Candra Lesmana"):
        inmate = InmateFactory(facility=grogot, full_name=name)
        proposed = services.enrolment_propose(
            inmate=inmate, track=cohort.track, cohort=cohort,
            assessment=signed_assessment(inmate, final_tier="ringan"), by=counselor,
        )  # fmt: skip
        people.append(proposed.inmate)
    FacilityActivity.objects.create(
        facility=grogot, title="Libur Nasional", kind="holiday",
        date=monday + datetime.timedelta(days=2),
    )  # fmt: skip
    FacilityActivity.objects.create(
        facility=grogot, title="Ibadah bersama di Aula", kind="pembinaan",
        date=monday + datetime.timedelta(days=7), start_time=datetime.time(9),
        end_time=datetime.time(10),
    )  # fmt: skip
    scheduling.block_create(
        inmate=people[2], by=staff,
        data={"kind": "court", "date": monday + datetime.timedelta(days=4),
              "start_time": datetime.time(8), "end_time": datetime.time(12),
              "court": "PN Tanah Grogot", "case_number": "12/Pid.Sus/2026", "note": ""},
    )  # fmt: skip
    scheduling.separation_create(
        first=people[0], second=people[1], by=staff, reason="Satu berkas perkara"
    )

    login(page, live_server, "konselor.grogot")
    page.goto(f"{live_server.url}{cohort.get_absolute_url()}")
    page.get_by_role("link", name="Buat jadwal").click()
    for day in ("Senin", "Rabu", "Jumat"):
        page.get_by_label(day, exact=True).check()
    page.get_by_label("Jam mulai").fill("09:00")
    page.get_by_label("Jam selesai").fill("11:00")
    page.get_by_label("Jenis sesi").select_option(label="Konseling kelompok")
    page.get_by_role("button", name="Lihat pratinjau jadwal").click()

    summary = page.locator("#plan-summary")
    expect(summary).to_contain_text("7 sesi baru")
    expect(summary).to_contain_text("3 bentrok")
    clashes = page.locator("#proposed tr[data-clash]")
    expect(clashes).to_have_count(3)
    expect(clashes.nth(0)).to_contain_text("Libur Nasional (Hari libur)")
    expect(clashes.nth(1)).to_contain_text(
        "Candra Lesmana: Sidang pengadilan 08.00\u201312.00 WITA (PN Tanah Grogot)"
    )
    expect(clashes.nth(2)).to_contain_text("Ibadah bersama di Aula")
    expect(page.locator("#pairs")).to_contain_text("Andi Wijaya dan Bayu Saputra")
    assert not Session.objects.filter(cohort=cohort).exists()  # nothing before the choice
    shown = [
        row.locator("td").first.inner_text()
        for row in page.locator("#proposed tbody tr:not([data-clash])").all()
    ]
    assert len(shown) == 4

    page.get_by_role("button", name="Simpan tanpa yang bentrok").click()
    expect(page.get_by_role("alert").first).to_contain_text("4 sesi dijadwalkan.")
    saved = [s.starts_at.astimezone(WITA) for s in Session.objects.filter(cohort=cohort)]
    expected = [monday + datetime.timedelta(days=d) for d in (0, 9, 11, 14)]
    assert [s.date() for s in saved] == expected
    assert {(s.hour, s.minute) for s in saved} == {(9, 0)}
    assert [f"{s:%d/%m/%Y %H.%M}" for s in saved] == [
        re.search(r"\d\d/\d\d/\d{4} \d\d\.\d\d", text).group()
        for text in shown  # type: ignore[union-attr]
    ]

    # Regenerating the same pattern: the preview offers only the three clashing times again,
    # and saving without the clashing ones writes nothing new.
    page.get_by_role("link", name="Buat jadwal").click()
    for day in ("Senin", "Rabu", "Jumat"):
        page.get_by_label(day, exact=True).check()
    page.get_by_label("Jam mulai").fill("09:00")
    page.get_by_label("Jam selesai").fill("11:00")
    page.get_by_role("button", name="Lihat pratinjau jadwal").click()
    expect(summary).to_contain_text("3 sesi baru")
    expect(summary).to_contain_text("4 sesi sudah terjadwal dan tidak diubah")
    page.get_by_role("button", name="Simpan tanpa yang bentrok").click()
    expect(page.get_by_role("alert").first).to_contain_text("0 sesi dijadwalkan.")
    assert Session.objects.filter(cohort=cohort).count() == 4
