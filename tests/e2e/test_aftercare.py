"""A post-release follow-up in a real browser: the counselor finds it overdue on the today page,
records what the 3-month visit found, and the release plan shows it done."""

from __future__ import annotations

import datetime
from typing import Any

from playwright.sync_api import Page, expect

from inmates.services import inmate_release
from programs.models import Aftercare, ReleasePlan
from rehab.demo import DemoOrganisation
from tests.e2e.conftest import login
from tests.factories import InmateFactory


def test_a_counselor_records_a_3_month_follow_up(
    page: Page, live_server: Any, demo: DemoOrganisation
) -> None:
    grogot = demo.site("tanah-grogot").facility
    counselor = demo.users["konselor.grogot"]
    today = datetime.date.today()
    inmate = InmateFactory(
        facility=grogot,
        full_name="Yudi Hartanto",
        admission_date=today - datetime.timedelta(days=500),
    )
    ReleasePlan.objects.create(
        facility=grogot, inmate=inmate, counselor=counselor, bnnk_referral=True,
        follow_up_phone="081234567890", updated_by=demo.users["staf.grogot"],
    )  # fmt: skip
    released_on = today - datetime.timedelta(days=95)  # the 3-month follow-up is a few days late
    inmate_release(inmate=inmate, by=demo.users["staf.grogot"], on=released_on, kind="pb",
                   reason="Pembebasan bersyarat")  # fmt: skip

    login(page, live_server, "konselor.grogot")
    due = page.locator("section", has_text="Pemantauan pascarehabilitasi jatuh tempo")
    expect(due).to_contain_text("Yudi Hartanto")
    expect(due).to_contain_text("bulan ke-3")
    due.get_by_role("link", name="Yudi Hartanto").first.click()

    expect(page.get_by_role("heading", level=1)).to_contain_text("Pemantauan bulan ke-")
    page.get_by_label("Tanggal pemantauan").fill(today.strftime("%d-%m-%Y"))
    page.get_by_label("Cara pemantauan").select_option(label="Kunjungan rumah")
    page.locator("#id_outcome").select_option(label="Pulih (tidak memakai)")
    page.get_by_label("Pekerjaan").select_option(label="Berwirausaha")
    page.get_by_label("Catatan pemantauan").fill(
        "Bekerja di bengkel pamannya, ikut kelompok dukungan."
    )
    page.get_by_role("button", name="Simpan pemantauan").click()

    expect(page.get_by_text("Pemantauan tersimpan.")).to_be_visible()
    expect(page.locator("body")).to_contain_text("sudah dipantau: Pulih (tidak memakai)")
    recorded = Aftercare.objects.get(inmate=inmate, recorded_at__isnull=False)
    assert (recorded.outcome, recorded.method, recorded.recorded_by) == (
        "abstinent",
        "visit",
        counselor,
    )
