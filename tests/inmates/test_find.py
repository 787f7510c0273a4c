"""Finding anyone fast: the navbar search, the WBP list's tier filter, its print view and export."""

from __future__ import annotations

import datetime
import io
import re
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from assessments.models import Assessment
from inmates.models import CustodyStatus, Inmate
from rehab.models import AccessLog
from tests.factories import InmateFactory, MembershipFactory, UserFactory, signed_assessment

pytestmark = pytest.mark.django_db

SUGGEST = "inmates:search_suggest"


def suggest(client: Client, q: str) -> str:
    return client.get(reverse(SUGGEST), {"q": q}, HTTP_HX_REQUEST="true").content.decode()


def names_in(page: str) -> list[str]:
    return re.findall(r'<span class="fw-semibold">([^<]+)</span>', page)


def bulk_inmates(facility: Any, count: int, name: str = "Budi Banyak") -> None:
    Inmate.objects.bulk_create(
        Inmate(
            facility=facility, registration_number=f"BI.{i:05d}/2025", register_class="B.I",
            full_name=f"{name} {i}", sex="L", block="A", search_text=f"{name.lower()} {i}",
            admission_date=datetime.date(2025, 1, 1),
        )
        for i in range(count)
    )  # fmt: skip


@pytest.fixture
def counsellor_of_two(facility_a: Any, facility_b: Any) -> Any:
    """A BNNK counsellor who serves both Rutan."""
    user = UserFactory(username="konselor.bnnk")
    MembershipFactory(user=user, facility=facility_a, role="counselor")
    MembershipFactory(user=user, facility=facility_b, role="counselor")
    return user


class TestNavbarSearch:
    @pytest.mark.parametrize("q", ["sapu", "ucok", "BI.0042", "andi sap"])
    def test_it_suggests_by_part_of_the_name_an_alias_or_the_registration_number(
        self, staff_client: Client, facility_a: Any, q: str
    ) -> None:
        InmateFactory(
            facility=facility_a, full_name="Andi Saputra", aliases="Ucok",
            registration_number="BI.0042/2025",
        )  # fmt: skip
        InmateFactory(facility=facility_a, full_name="Dedi Kurniawan")
        page = suggest(staff_client, q)
        assert names_in(page) == ["Andi Saputra"]
        assert Inmate.objects.get(full_name="Andi Saputra").get_absolute_url() in page

    def test_a_counsellor_finds_across_his_facilities_and_never_in_another(
        self, client: Client, facility_a: Any, facility_b: Any, counsellor_of_two: Any
    ) -> None:
        third = MembershipFactory(role="staff").facility
        InmateFactory(facility=facility_a, full_name="Rudi Hartono")
        InmateFactory(facility=facility_b, full_name="Rudi Setiawan")
        InmateFactory(facility=third, full_name="Rudi Orang Lain")
        client.force_login(counsellor_of_two)
        page = suggest(client, "rudi")
        assert sorted(names_in(page)) == ["Rudi Hartono", "Rudi Setiawan"]
        assert facility_a.name in page and facility_b.name in page  # which Rutan each is in

    def test_a_staff_member_of_one_rutan_does_not_find_the_other(
        self, staff_client: Client, facility_b: Any
    ) -> None:
        InmateFactory(facility=facility_b, full_name="Joko Susilo", registration_number="BI.9/26")
        for q in ("joko", "BI.9/26"):
            page = suggest(staff_client, q)
            assert names_in(page) == [] and "Tidak ada WBP yang cocok" in page

    def test_one_character_suggests_nothing_and_two_do(
        self, staff_client: Client, facility_a: Any
    ) -> None:
        InmateFactory(facility=facility_a, full_name="Andi Saputra")
        assert suggest(staff_client, "a").strip() == ""
        assert names_in(suggest(staff_client, "an")) == ["Andi Saputra"]

    def test_it_suggests_ten_then_links_to_all_results_in_the_list(
        self, staff_client: Client, facility_a: Any
    ) -> None:
        bulk_inmates(facility_a, 14)
        page = suggest(staff_client, "budi ban")
        assert len(names_in(page)) == 10
        assert "Lihat semua hasil" in page
        assert f"{reverse('inmates:list')}?q=budi%20ban" in page
        listed = staff_client.get(reverse("inmates:list"), {"q": "budi ban"})
        assert listed.context["page"].paginator.count == 14

    def test_a_whole_registration_number_comes_first_then_names_that_start_with_it(
        self, staff_client: Client, facility_a: Any
    ) -> None:
        InmateFactory(facility=facility_a, full_name="Zainal Abidin", aliases="Ari")
        InmateFactory(facility=facility_a, full_name="Ari Wibowo")
        InmateFactory(facility=facility_a, full_name="Bambang", registration_number="ari")
        assert names_in(suggest(staff_client, "ari")) == ["Bambang", "Ari Wibowo", "Zainal Abidin"]

    def test_released_wbp_are_found_and_marked(self, staff_client: Client, facility_a: Any) -> None:
        InmateFactory(facility=facility_a, full_name="Andi Bebas", status=CustodyStatus.RELEASED)
        page = suggest(staff_client, "andi")
        assert names_in(page) == ["Andi Bebas"] and "Bebas" in page.split("</span>", 1)[1]

    @pytest.mark.parametrize("many", [False, True])
    def test_the_suggestions_cost_the_same_queries_for_one_or_thousands_of_wbp(
        self,
        staff_client: Client,
        facility_a: Any,
        django_assert_num_queries: Any,
        many: bool,
    ) -> None:
        InmateFactory(facility=facility_a, full_name="Budi Satu")
        if many:
            bulk_inmates(facility_a, 3000)
        suggest(staff_client, "bu")  # warm the session
        # session, user, memberships, the suggestions (facility joined), the session save (3)
        with django_assert_num_queries(7):
            page = suggest(staff_client, "budi")
        assert len(names_in(page)) == (10 if many else 1)

    def test_the_navbar_has_the_search_box_for_readers_of_wbp_and_not_for_the_admin(
        self, client: Client, members: dict[str, Any]
    ) -> None:
        for role in ("staff", "counselor", "health", "warden", "supervisor"):
            client.force_login(members[role])
            page = client.get(reverse("today")).content.decode()
            assert 'id="nav-search"' in page and reverse(SUGGEST) in page, role
        client.force_login(members["admin"])
        assert 'id="nav-search"' not in client.get(reverse("today")).content.decode()

    def test_the_search_box_runs_no_inline_script(self, staff_client: Client) -> None:
        page = staff_client.get(reverse("today")).content.decode()
        assert re.findall(r"<script(?![^>]*\bsrc=)[^>]*>", page) == []
        assert re.findall(r"\son[a-z]+\s*=", page) == []
        assert "/static/js/search.js" in page

    def test_enter_opens_the_filtered_list(self, staff_client: Client, facility_a: Any) -> None:
        page = staff_client.get(reverse("today")).content.decode()
        form = re.search(r'<form class="navbar-search[^>]*>', page)
        assert form and f'action="{reverse("inmates:list")}"' in form.group(0)


def _assessed(facility: Any, name: str, tier: str, **kwargs: Any) -> Inmate:
    inmate = InmateFactory(facility=facility, full_name=name)
    signed_assessment(inmate, final_tier=tier, **kwargs)
    return inmate


class TestTier:
    def test_the_list_filters_by_the_tier_of_the_newest_current_assessment(
        self, staff_client: Client, facility_a: Any
    ) -> None:
        _assessed(facility_a, "Sedang Saja", "sedang")
        moved = _assessed(
            facility_a, "Dulu Ringan", "ringan", assessed_on=datetime.date(2026, 3, 1)
        )
        signed_assessment(moved, final_tier="sedang", assessed_on=datetime.date(2026, 9, 1))
        corrected = _assessed(facility_a, "Koreksi Berat", "sedang", superseded=True)
        signed_assessment(corrected, final_tier="berat", assessed_on=datetime.date(2026, 3, 12))
        draft = InmateFactory(facility=facility_a, full_name="Hanya Draf")
        Assessment.objects.create(
            facility=facility_a, inmate=draft, assessed_on=datetime.date(2026, 9, 1),
            assessor=UserFactory(), final_tier="sedang",
        )  # fmt: skip
        InmateFactory(facility=facility_a, full_name="Belum Asesmen")
        response = staff_client.get(reverse("inmates:list"), {"tier": "sedang"})
        names = sorted(i.full_name for i in response.context["page"].object_list)
        assert names == ["Dulu Ringan", "Sedang Saja"]
        response = staff_client.get(reverse("inmates:list"), {"tier": "berat"})
        assert [i.full_name for i in response.context["page"].object_list] == ["Koreksi Berat"]

    def test_the_list_shows_the_tier_and_only_clinical_roles_print_the_diagnosis(
        self, client: Client, facility_a: Any, members: dict[str, Any]
    ) -> None:
        _assessed(facility_a, "Andi Saputra", "sedang", diagnosis_code="F15.2")
        for role in ("staff", "counselor"):
            client.force_login(members[role])
            page = client.get(reverse("inmates:list")).content.decode()
            assert "<th>Tingkat</th>" in page and "Sedang" in page
            assert "F15.2" not in page  # never on the screen list: printed and logged only
        for role, shown in [("staff", False), ("warden", False), ("counselor", True)]:
            client.force_login(members[role])
            page = client.get(reverse("inmates:list_print")).content.decode()
            assert ("<th>Diagnosis</th>" in page) == shown and ("F15.2" in page) == shown
        assert AccessLog.objects.filter(action="inmate.list.print").count() == 3

    def test_a_bad_tier_is_a_message_not_an_error(
        self, staff_client: Client, facility_a: Any
    ) -> None:
        response = staff_client.get(reverse("inmates:list"), {"tier": "parah"})
        assert response.status_code == 200
        assert "Masukkan pilihan yang valid" in response.content.decode()

    @pytest.mark.parametrize("many", [False, True])
    def test_the_filtered_list_costs_the_same_queries_for_one_or_many_rows(
        self,
        staff_client: Client,
        facility_a: Any,
        django_assert_num_queries: Any,
        many: bool,
    ) -> None:
        for i in range(40 if many else 1):
            _assessed(facility_a, f"Budi {i}", "sedang")
        staff_client.get(reverse("inmates:list"))  # warm the session
        # session, user, memberships, facilities, count, page, the session save (3)
        with django_assert_num_queries(9):
            response = staff_client.get(reverse("inmates:list"), {"tier": "sedang", "q": "budi"})
        assert response.context["page"].paginator.count == (40 if many else 1)


def _sheet(response: Any) -> list[list[Any]]:
    workbook = load_workbook(io.BytesIO(response.content))
    return [list(row) for row in workbook["WBP"].iter_rows(values_only=True)]


class TestExport:
    def test_the_export_holds_the_filtered_rows_and_is_logged(
        self, staff_client: Client, facility_a: Any, members: dict[str, Any]
    ) -> None:
        _assessed(facility_a, "Andi Saputra", "sedang", diagnosis_code="F15.2")
        _assessed(facility_a, "Budi Ringan", "ringan")
        InmateFactory(facility=facility_a, full_name="Cici Bebas", status=CustodyStatus.RELEASED)
        response = staff_client.get(
            reverse("inmates:list_export"), {"status": "in_custody", "tier": "sedang"}
        )
        assert response["Content-Type"].startswith("application/vnd.openxmlformats")
        assert "attachment" in response["Content-Disposition"]
        rows = _sheet(response)
        assert rows[0][:3] == ["Nama", "Alias", "No. registrasi"]
        assert "Tingkat" in rows[0] and "Diagnosis" not in rows[0]
        assert [r[0] for r in rows[1:]] == ["Andi Saputra"]
        assert rows[1][rows[0].index("Tingkat")] == "Sedang"
        assert rows[1][rows[0].index("Tanggal masuk")] == datetime.datetime(2026, 3, 2)
        assert "F15.2" not in str(rows)
        log = AccessLog.objects.get(action="inmate.list.xlsx")
        assert log.user == members["staff"] and log.facility_id == facility_a.pk
        assert "1 WBP" in log.detail and "Tingkat: Sedang" in log.detail

    def test_health_data_goes_only_to_rows_of_facilities_where_the_role_may_see_it(
        self, client: Client, facility_a: Any, facility_b: Any
    ) -> None:
        user = UserFactory(username="konselor.dan.staf")
        MembershipFactory(user=user, facility=facility_a, role="counselor")
        MembershipFactory(user=user, facility=facility_b, role="staff")
        _assessed(facility_a, "Andi Klinis", "sedang", diagnosis_code="F15.2")
        _assessed(facility_b, "Budi Staf", "sedang", diagnosis_code="F12.1")
        client.force_login(user)
        rows = _sheet(client.get(reverse("inmates:list_export")))
        diagnosis = rows[0].index("Diagnosis")
        by_name = {r[0]: r for r in rows[1:]}
        assert by_name["Andi Klinis"][diagnosis] == "F15.2"
        assert by_name["Budi Staf"][diagnosis] in (None, "")
        assert AccessLog.objects.filter(action="inmate.list.xlsx").count() == 2  # per facility

    def test_a_name_that_looks_like_a_formula_stays_text(
        self, staff_client: Client, facility_a: Any
    ) -> None:
        InmateFactory(facility=facility_a, full_name='=HYPERLINK("http://x","klik")')
        rows = _sheet(staff_client.get(reverse("inmates:list_export")))
        assert rows[1][0] == '\'=HYPERLINK("http://x","klik")'

    def test_a_stranger_exports_nothing_of_another_facility(
        self, client: Client, facility_a: Any, stranger: Any
    ) -> None:
        InmateFactory(facility=facility_a, full_name="Andi Saputra")
        client.force_login(stranger)
        rows = _sheet(client.get(reverse("inmates:list_export")))
        assert rows[1:] == []

    @pytest.mark.parametrize("many", [False, True])
    def test_the_export_costs_the_same_queries_for_one_or_many_rows(
        self,
        staff_client: Client,
        facility_a: Any,
        django_assert_num_queries: Any,
        many: bool,
    ) -> None:
        InmateFactory(facility=facility_a, full_name="Budi Satu")
        if many:
            bulk_inmates(facility_a, 500)
        staff_client.get(reverse("inmates:list"))  # warm the session
        # session, user, memberships, facilities, the rows, the access log, the session save (3)
        with django_assert_num_queries(9):
            response = staff_client.get(reverse("inmates:list_export"))
        assert len(_sheet(response)) == (502 if many else 2)


class TestPrint:
    def test_the_print_view_has_every_filtered_row_and_no_menu(
        self, staff_client: Client, facility_a: Any
    ) -> None:
        bulk_inmates(facility_a, 30)
        InmateFactory(facility=facility_a, full_name="Dedi Kurniawan", block="C")
        page = staff_client.get(reverse("inmates:list_print"), {"block": "a"}).content.decode()
        assert page.count("Budi Banyak") == 30 and "Dedi Kurniawan" not in page
        assert 'id="nav"' not in page
        assert "Blok: a" in page
        assert "data-print" in page and "/static/js/print.js" in page
        log = AccessLog.objects.get(action="inmate.list.print")
        assert log.facility_id == facility_a.pk and log.detail.startswith("30 WBP")

    def test_the_list_links_to_print_and_export_with_its_filters(
        self, staff_client: Client, facility_a: Any
    ) -> None:
        page = staff_client.get(
            reverse("inmates:list"), {"status": "in_custody", "page": "1"}
        ).content.decode()
        assert f"{reverse('inmates:list_print')}?status=in_custody" in page
        assert f"{reverse('inmates:list_export')}?status=in_custody" in page

    def test_a_long_list_is_cut_with_a_warning(
        self, staff_client: Client, facility_a: Any, settings: Any
    ) -> None:
        settings.LIST_PRINT_MAX_ROWS = 5
        bulk_inmates(facility_a, 8)
        page = staff_client.get(reverse("inmates:list_print")).content.decode()
        assert page.count("Budi Banyak") == 5 and "Hanya 5 baris pertama" in page

    @pytest.mark.parametrize("many", [False, True])
    def test_the_print_view_costs_the_same_queries_for_one_or_many_rows(
        self,
        staff_client: Client,
        facility_a: Any,
        django_assert_num_queries: Any,
        many: bool,
    ) -> None:
        InmateFactory(facility=facility_a, full_name="Budi Satu")
        if many:
            bulk_inmates(facility_a, 300)
        staff_client.get(reverse("inmates:list"))  # warm the session
        # session, user, memberships, facilities, the rows, the access log, the session save (3)
        with django_assert_num_queries(9):
            page = staff_client.get(reverse("inmates:list_print")).content.decode()
        assert page.count("Budi ") == (301 if many else 1)
