"""The EMCDDA TDI 3.0 export: the entrants of a demo month written by hand from the demo data
and compared with the export, the health items only for clinical roles, an empty period as a
header alone, the period form's Indonesian messages, the audit row and a constant query count.

The demo (seed_demo) draws its people from fixed seeds in inmates/demo.py, assessments/demo.py
and programs/demo.py: the three Berat WBP of Rutan Tanah Grogot whose Therapeutic Community
place began on Tuesday 27 October 2026 (the "tc" cohort starts 24 days before the frozen
today, 20 November 2026). Their values below were read from the seeded records (WBP record,
ASSIST of 15/16 October, the assessment of 22/23 October the placement rests on) and coded by
hand with the protocol's code lists (reports/tdi.py docstring); nothing here calls the export's
mapping to make them.
"""

from __future__ import annotations

import csv
import datetime
import io
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from inmates.models import Inmate
from rehab.models import AccessLog, Facility
from reports import tdi

pytestmark = pytest.mark.usefixtures("clock")

OCTOBER = {"kind": "month", "period": "10-2026"}

# Every item but the client code (checked on its own below), in the export's column order.
COMMON = {
    "centre_type": "3",  # treatment unit in prison
    "treatment_start": "2026-10-27",
    "previously_treated": "99",  # no earlier programme in rehab; outside rehab not known
    "referral": "99",
    "sex": "1",
    "living_with": "99",
    "living_where": "3",  # an institution: in custody
    "living_with_children": "99",
    "nationality": "1",
    "primary_drug": "3",  # ASSIST main substance: amphetamine-type stimulants
    "age_first_injection": "99",
    "shared_needles": "99",
    "opioid_substitution": "99",
}
EXPECTED = [
    {
        # Darman Effendi, born 16-11-1996 (29 on 27-10-2026), SMP, "Tidak bekerja"; ATS daily,
        # injected (history: ATS from 25, injected), Q8 "yes, not in the past 3 months";
        # opioids "never" in the past 3 months: no secondary drug.
        **COMMON, "age": "29", "labour": "4", "education": "2", "route": "1",
        "frequency": "1", "age_first_use": "25", "secondary_1": "", "secondary_2": "",
        "secondary_3": "", "secondary_4": "", "polydrug": "2", "ever_injected": "1",
        "injected_12_months": "99", "injected_30_days": "2",
    },
    {
        # Mukran Syahrir, born 10-08-1996 (30), SMA, "Tukang bangunan"; ATS weekly, smoked,
        # from 18; opioids weekly (cannabis "never"); never injected.
        **COMMON, "age": "30", "labour": "1", "education": "3", "route": "2",
        "frequency": "4", "age_first_use": "18", "secondary_1": "1", "secondary_2": "",
        "secondary_3": "", "secondary_4": "", "polydrug": "1", "ever_injected": "2",
        "injected_12_months": "2", "injected_30_days": "2",
    },
    {
        # Hairul Ridha, born 13-11-1980 (45), SMA, "Wiraswasta"; ATS weekly, smoked, from 21;
        # alcohol monthly (hallucinogens "never"); never injected.
        **COMMON, "age": "45", "labour": "1", "education": "3", "route": "2",
        "frequency": "4", "age_first_use": "21", "secondary_1": "9", "secondary_2": "",
        "secondary_3": "", "secondary_4": "", "polydrug": "1", "ever_injected": "2",
        "injected_12_months": "2", "injected_30_days": "2",
    },
]  # fmt: skip
HEALTH_KEYS = {
    "route", "frequency", "age_first_use", "ever_injected", "injected_12_months",
    "injected_30_days", "age_first_injection", "shared_needles",
}  # fmt: skip
NAMES = ["Darman Effendi", "Mukran Syahrir", "Hairul Ridha"]
NUMBERS = ["BI.080/2026", "BI.064/2026", "BI.078/2026"]


def _sorted(rows: list[dict[str, str]]) -> list[dict[str, str]]:
    return sorted(rows, key=lambda row: (row["treatment_start"], row["age"]))


def _without_code(rows: list[dict[str, str]]) -> list[dict[str, str]]:
    return _sorted([{k: v for k, v in row.items() if k != "client_code"} for row in rows])


def _browser(username: str) -> Client:
    browser = Client()
    browser.force_login(get_user_model().objects.get(username=username))
    return browser


def _download(browser: Client, fmt: str, **params: Any) -> Any:
    grogot = Facility.objects.get(code="tanah-grogot")
    return browser.get(
        reverse("reports:tdi_download", args=[fmt]), {"facility": grogot.pk, **params}
    )


def _csv_rows(content: bytes) -> list[list[str]]:
    text = content.decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:])))


def _by_key(table: list[list[str]], health: bool) -> list[dict[str, str]]:
    keys = [item.key for item in tdi.items(health=health)]
    assert table[0] == [str(item.label) for item in tdi.items(health=health)]
    return [dict(zip(keys, row, strict=True)) for row in table[1:]]


def test_the_demo_month_exported_for_a_counsellor_equals_the_rows_written_by_hand(
    seeded: str, db: Any
) -> None:
    counsellor = _browser("konselor.grogot")
    response = _download(counsellor, "csv", **OCTOBER)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert 'filename="tdi-tanah-grogot-20261001-20261031.csv"' in response["Content-Disposition"]
    rows = _by_key(_csv_rows(response.content), health=True)
    assert _without_code(rows) == _sorted(EXPECTED)

    workbook = load_workbook(io.BytesIO(_download(counsellor, "xlsx", **OCTOBER).content))
    table = [["" if v is None else str(v) for v in row] for row in workbook.active.values]
    assert _by_key(table, health=True) == rows  # the same rows, every code as text

    codes = [row["client_code"] for row in rows]
    assert len(set(codes)) == 3 and all(len(c) == 12 and c.isalnum() for c in codes)
    text = response.content.decode()
    for secret in [*NAMES, *NUMBERS, "6401031611963486"]:
        assert secret not in text


def test_staff_and_the_warden_get_the_rows_without_any_health_item(seeded: str, db: Any) -> None:
    for username in ("staf.grogot", "karutan.grogot"):
        rows = _by_key(_csv_rows(_download(_browser(username), "csv", **OCTOBER).content), False)
        expected = [{k: v for k, v in row.items() if k not in HEALTH_KEYS} for row in EXPECTED]
        assert _without_code(rows) == _sorted(expected)
        assert not HEALTH_KEYS & set(rows[0])


def test_a_period_without_entrants_gives_the_header_alone(seeded: str, db: Any) -> None:
    counsellor = _browser("konselor.grogot")
    august = {"kind": "month", "period": "08-2026"}
    table = _csv_rows(_download(counsellor, "csv", **august).content)
    assert table == [[str(item.label) for item in tdi.items(health=True)]]
    workbook = load_workbook(io.BytesIO(_download(counsellor, "xlsx", **august).content))
    assert len(list(workbook.active.values)) == 1


def test_a_quarter_a_year_and_a_range_find_the_same_entrants(seeded: str, db: Any) -> None:
    counsellor = _browser("konselor.grogot")
    for params in (
        {"kind": "quarter", "period": "4-2026"},
        {"kind": "year", "period": "2026"},
        {"kind": "range", "start": "01-10-2026", "end": "20-11-2026"},
    ):
        rows = _by_key(_csv_rows(_download(counsellor, "csv", **params).content), True)
        october = [r for r in rows if r["treatment_start"].startswith("2026-10")]
        assert _without_code(october) == _sorted(EXPECTED), params
    # September holds the Berat 60-day cohort's one entrant
    september = _csv_rows(_download(counsellor, "csv", kind="month", period="09-2026").content)
    assert len(september) == 2


def test_every_download_is_in_the_access_log_with_its_period(seeded: str, db: Any) -> None:
    _download(_browser("staf.grogot"), "xlsx", **OCTOBER)
    row = AccessLog.objects.get(action="report.tdi.xlsx")
    assert (row.username, row.detail) == ("staf.grogot", "2026-10-01..2026-10-31")
    _download(_browser("konselor.grogot"), "csv", **OCTOBER)
    assert AccessLog.objects.get(action="report.tdi.csv").detail.endswith("+kesehatan")


@pytest.mark.parametrize(
    ("params", "field", "message"),
    [
        ({"kind": "month", "period": "13-2026"}, "period", "misalnya 10-2026"),
        ({"kind": "month", "period": "12-2026"}, "period", "tidak boleh di masa depan"),
        ({"kind": "quarter", "period": "5-2026"}, "period", "misalnya 3-2026"),
        ({"kind": "year", "period": "26"}, "period", "empat angka"),
        ({"kind": "month", "period": "10-1999"}, "period", "sebelum tahun 2000"),
        ({"kind": "range", "start": "01-01-2025", "end": "20-11-2026"}, "end", "366 hari"),
        ({"kind": "range", "start": "10-11-2026", "end": "01-11-2026"}, "end", "sebelum tanggal"),
        ({"kind": "range", "start": "", "end": "01-11-2026"}, "start", "tanggal awal"),
        ({"kind": "month", "period": "x" * 50}, "period", "paling banyak 7"),
    ],
)
def test_a_bad_period_is_refused_beside_its_field_and_nothing_is_exported(
    seeded: str, db: Any, params: dict[str, str], field: str, message: str
) -> None:
    response = _download(_browser("konselor.grogot"), "csv", **params)
    assert response.status_code == 200 and response["Content-Type"].startswith("text/html")
    errors = response.context["form"].errors
    assert message in " ".join(errors[field]), errors
    assert not AccessLog.objects.filter(action__startswith="report.tdi").exists()


def test_a_facility_the_user_may_not_export_is_not_a_choice(seeded: str, db: Any) -> None:
    other = Facility.objects.get(code="banjarnegara")
    response = _browser("konselor.grogot").get(
        reverse("reports:tdi_download", args=["csv"]), {"facility": other.pk, **OCTOBER}
    )
    assert response.status_code == 200 and "facility" in response.context["form"].errors
    # the supervisor (aggregates only) and an unknown format
    assert _download(_browser("supervisor.kaltim"), "csv", **OCTOBER).status_code == 403
    assert _download(_browser("konselor.grogot"), "pdf", **OCTOBER).status_code == 404


def test_the_page_offers_the_links_and_lists_the_items_rehab_does_not_hold(
    seeded: str, db: Any, django_assert_num_queries: Any
) -> None:
    staff = _browser("staf.grogot")
    grogot = Facility.objects.get(code="tanah-grogot")
    staff.get(reverse("reports:tdi"))  # the session's time zone is looked up once
    # session, user, memberships, facilities (the choices, the chosen one, the rendered list)...:
    # nothing here depends on how many entrants the period has
    with django_assert_num_queries(9):
        page = staff.get(reverse("reports:tdi"), {"facility": grogot.pk, **OCTOBER})
    html = page.content.decode()
    assert reverse("reports:tdi_download", args=["xlsx"]) + "?" in html
    assert "Tidak: selalu 99" in html and "Sumber rujukan" in html
    assert "Cara pakai zat utama" not in html  # no health item for the registration office


def test_the_rows_cost_the_same_queries_for_one_entrant_and_for_three(
    seeded: str, db: Any, django_assert_num_queries: Any
) -> None:
    grogot = Facility.objects.get(code="tanah-grogot")
    for start, end, count in (
        (datetime.date(2026, 9, 1), datetime.date(2026, 10, 1), 1),
        (datetime.date(2026, 10, 1), datetime.date(2026, 11, 1), 3),
    ):
        with django_assert_num_queries(6):
            assert len(tdi.rows(grogot, start, end, health=True)) == count
    with django_assert_num_queries(1):
        assert (
            tdi.rows(grogot, datetime.date(2026, 8, 1), datetime.date(2026, 9, 1), health=True)
            == []
        )


def test_the_client_code_follows_the_person_not_the_record(seeded: str, db: Any) -> None:
    darman = Inmate.objects.get(registration_number="BI.080/2026", facility__code="tanah-grogot")
    again = Inmate(pk=darman.pk + 100000, nik=darman.nik, full_name="D. Effendi")
    assert tdi.client_code(again) == tdi.client_code(darman)
    unnamed = Inmate(pk=darman.pk, nik="", full_name=darman.full_name, birth_date=None)
    assert tdi.client_code(unnamed) != tdi.client_code(darman)
    assert darman.full_name.split()[0].upper() not in tdi.client_code(darman)


def test_a_programme_continued_after_a_transfer_is_previously_treated_and_a_tier_change_is_not_an_entrant(  # noqa: E501
    db: Any, facility_a: Any, facility_b: Any, members: dict[str, Any]
) -> None:
    from programs.models import Enrolment
    from tests.factories import CohortFactory, InmateFactory, signed_assessment

    origin = InmateFactory(facility=facility_a, nik="6401031611960001", status="transferred")
    received = InmateFactory(facility=facility_b, nik=origin.nik, previous_episode=origin)
    earlier = CohortFactory(facility=facility_a, created_by=members["counselor"])
    Enrolment.objects.create(
        facility=facility_a, inmate=origin, track=earlier.track, cohort=earlier,
        state="dropped_out", drop_reason="transferred", assessment=signed_assessment(origin),
        started_on=datetime.date(2026, 9, 7), ended_on=datetime.date(2026, 10, 5),
    )  # fmt: skip
    here = CohortFactory(facility=facility_b, created_by=members["counselor"])
    first = Enrolment.objects.create(
        facility=facility_b, inmate=received, track=here.track, cohort=here, state="changed",
        assessment=signed_assessment(received), started_on=datetime.date(2026, 10, 12),
        ended_on=datetime.date(2026, 10, 20),
    )  # fmt: skip
    Enrolment.objects.create(
        facility=facility_b, inmate=received, track=here.track, cohort=here, state="active",
        assessment=first.assessment, started_on=datetime.date(2026, 10, 21), replaces=first,
    )  # fmt: skip
    rows = tdi.rows(facility_b, datetime.date(2026, 10, 1), datetime.date(2026, 11, 1), health=True)
    assert [(r["treatment_start"], r["previously_treated"]) for r in rows] == [("2026-10-12", "2")]
    # no screening on record: the screening's items are not known
    assert (rows[0]["primary_drug"], rows[0]["secondary_1"], rows[0]["ever_injected"]) == (
        "99", "99", "99",
    )  # fmt: skip
    assert rows[0]["client_code"] == tdi.client_code(origin)  # the same person, the same code
