"""A post-release follow-up in a real browser: the counselor finds it overdue on the today page,
records what the 3-month visit found, and the release plan shows it done."""

from __future__ import annotations

import datetime
from typing import Any

from playwright.sync_api import Page, expect

from inmates.services import inmate_release
from programs.models import Aftercare, ReleasePlan
from rehab.demo import DemoOrganisation
from tests.e2e.conftest import login, sign_out
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


def test_a_released_person_registered_again_closes_the_old_follow_ups(
    page: Page, live_server: Any, demo: DemoOrganisation
) -> None:
    grogot = demo.site("tanah-grogot").facility
    today = datetime.date.today()
    earlier = InmateFactory(
        facility=grogot, full_name="Rahmat Hidayatullah", nik="6401011705900077",
        registration_number="BI.0777/2025", admission_date=today - datetime.timedelta(days=400),
    )  # fmt: skip
    inmate_release(inmate=earlier, by=demo.users["staf.grogot"],
                   on=today - datetime.timedelta(days=100), kind="pb",
                   reason="Pembebasan bersyarat")  # fmt: skip
    admitted = today - datetime.timedelta(days=3)  # typed in three days after the arrest

    login(page, live_server, "staf.grogot")
    page.goto(f"{live_server.url}/wbp/baru/")
    page.wait_for_load_state("load")
    page.get_by_label("Nama lengkap").fill("Rahmat Hidayatullah")
    page.get_by_label("NIK", exact=True).fill("6401011705900077")
    page.get_by_label("Jenis kelamin").select_option("L")
    page.get_by_label("Nomor registrasi").fill("BI.0912/2026")
    page.get_by_label("Kategori register").select_option("B.I")
    page.get_by_label("Tanggal masuk").fill(admitted.strftime("%d-%m-%Y"))
    page.locator('[name="articles-0-article"]').fill("112")
    page.locator('[name="articles-0-paragraph"]').fill("1")
    confirm = page.locator('[name="confirm_duplicate"]')
    page.get_by_role("button", name="Simpan", exact=True).click()
    if confirm.count():  # the form asks to confirm that this is the same person again
        page.locator('[name="confirm_duplicate"]').check()
        page.get_by_role("button", name="Simpan", exact=True).click()

    # The new case file links to the earlier episode ...
    chain = page.locator("#episodes-title").locator("..")
    expect(chain).to_contain_text("Episode penahanan sebelumnya")
    chain.get_by_role("link", name="BI.0777/2025").click()
    expect(page).to_have_url(f"{live_server.url}{earlier.get_absolute_url()}")
    # ... whose follow-ups still open at the re-admission are closed as re-detained, as the
    # counselor (who may read follow-up outcomes) sees.
    sign_out(page)
    login(page, live_server, "konselor.grogot")
    page.goto(f"{live_server.url}{earlier.get_absolute_url()}")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Rahmat Hidayatullah")
    expect(page.locator("body")).to_contain_text("Kembali ditahan")
    closed = Aftercare.objects.filter(inmate=earlier, outcome="redetained")
    assert closed.count() == 4
    assert {a.contacted_on for a in closed} == {admitted}
