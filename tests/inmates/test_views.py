"""WBP list, search, case file, create, edit (with conflicts), transfer, release and history."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from inmates.models import CustodyEvent, CustodyStatus, Inmate
from rehab.models import AuditEntry
from tests.factories import CaseArticleFactory, InmateFactory

TODAY = datetime.datetime(2026, 11, 23, 10, 0, tzinfo=datetime.UTC)


pytestmark = [pytest.mark.django_db, pytest.mark.clock(TODAY)]


def _form_data(**overrides: Any) -> dict[str, Any]:
    data = {
        "registration_number": "BI.777/2026",
        "register_class": "B.I",
        "full_name": "Rahmat Hidayat",
        "aliases": "Amat",
        "nik": "6401021505900003",
        "sex": "L",
        "birth_place": "Tanah Grogot",
        "birth_date": "1990-05-15",
        "religion": "islam",
        "education": "sma",
        "occupation": "Nelayan",
        "nationality": "Indonesia",
        "address": "Jl. Jenderal Sudirman, Tanah Grogot",
        "origin_regency": "Kabupaten Paser",
        "detention_date": "2026-01-10",
        "admission_date": "2026-02-01",
        "verdict_number": "12/Pid.Sus/2026/PN Tgt",
        "verdict_date": "2026-05-04",
        "sentence_months": "48",
        "sentence_days": "",
        "expiry_date": "2030-01-10",
        "release_date": "2029-06-01",
        "block": "B",
        "cell": "4",
        "articles-TOTAL_FORMS": "2",
        "articles-INITIAL_FORMS": "0",
        "articles-MIN_NUM_FORMS": "0",
        "articles-MAX_NUM_FORMS": "10",
        "articles-0-article": "114",
        "articles-0-paragraph": "1",
        "articles-0-letter": "",
        "articles-1-article": "132",
        "articles-1-paragraph": "1",
        "articles-1-letter": "",
        "articles-1-junto": "on",
    }
    data.update(overrides)
    return data


class TestList:
    def test_it_lists_only_the_wbp_of_the_users_facilities(
        self, staff_client: Client, facility_a: Any, facility_b: Any
    ) -> None:
        InmateFactory(facility=facility_a, full_name="Andi Saputra")
        InmateFactory(facility=facility_b, full_name="Bambang Wijaya")
        page = staff_client.get(reverse("inmates:list")).content.decode()
        assert "Andi Saputra" in page
        assert "Bambang Wijaya" not in page

    @pytest.mark.parametrize("query", ["sapu", "ucok", "BI.0042", "6401021505900003", "andi ucok"])
    def test_search_matches_name_alias_registration_number_and_nik(
        self, staff_client: Client, facility_a: Any, query: str
    ) -> None:
        InmateFactory(
            facility=facility_a,
            full_name="Andi Saputra",
            aliases="Ucok",
            registration_number="BI.0042/2025",
            nik="6401021505900003",
        )
        InmateFactory(facility=facility_a, full_name="Dedi Kurniawan")
        page = staff_client.get(reverse("inmates:list"), {"q": query}).content.decode()
        assert "Andi Saputra" in page
        assert "Dedi Kurniawan" not in page

    def test_search_never_finds_a_wbp_of_another_facility(
        self, staff_client: Client, facility_b: Any
    ) -> None:
        InmateFactory(facility=facility_b, full_name="Joko Susilo", nik="3304011203880001")
        for query in ("Joko", "3304011203880001"):
            page = staff_client.get(reverse("inmates:list"), {"q": query}).content.decode()
            assert "Joko Susilo" not in page
            assert "Tidak ada WBP yang cocok" in page

    def test_filters_narrow_by_status_register_class_and_block(
        self, staff_client: Client, facility_a: Any
    ) -> None:
        InmateFactory(
            facility=facility_a, full_name="Tahanan Satu", register_class="A.II", block="C"
        )
        InmateFactory(facility=facility_a, full_name="Napi Dua", register_class="B.I", block="A")
        InmateFactory(facility=facility_a, full_name="Bebas Tiga", status=CustodyStatus.RELEASED)
        page = staff_client.get(
            reverse("inmates:list"), {"register_class": "A.II"}
        ).content.decode()
        assert "Tahanan Satu" in page and "Napi Dua" not in page
        page = staff_client.get(reverse("inmates:list"), {"block": "a"}).content.decode()
        assert "Napi Dua" in page and "Tahanan Satu" not in page
        page = staff_client.get(reverse("inmates:list"), {"status": "released"}).content.decode()
        assert "Bebas Tiga" in page and "Napi Dua" not in page

    def test_an_htmx_search_returns_only_the_results_fragment(
        self, staff_client: Client, facility_a: Any
    ) -> None:
        InmateFactory(facility=facility_a, full_name="Andi Saputra")
        response = staff_client.get(reverse("inmates:list"), {"q": "andi"}, HTTP_HX_REQUEST="true")
        page = response.content.decode()
        assert "Andi Saputra" in page
        assert "<nav" not in page.split("pagination")[0]  # no page chrome, just the results
        assert "<html" not in page

    def test_it_paginates_25_per_page(self, staff_client: Client, facility_a: Any) -> None:
        InmateFactory.create_batch(30, facility=facility_a)
        response = staff_client.get(reverse("inmates:list"))
        assert len(response.context["page"].object_list) == 25
        assert "Halaman 1 dari 2" in response.content.decode()

    @pytest.mark.parametrize("params", [{}, {"q": "budi"}, {"status": "in_custody", "block": "A"}])
    def test_the_query_count_is_the_same_for_one_and_for_4000_wbp(
        self,
        staff_client: Client,
        facility_a: Any,
        django_assert_num_queries: Any,
        params: dict[str, str],
    ) -> None:
        InmateFactory(facility=facility_a, full_name="Budi Satu")
        staff_client.get(reverse("inmates:list"))  # warm the session
        # session, user, memberships, facilities, count, page, and the idle-timeout
        # session save (an UPDATE inside a savepoint: 3 statements)
        with django_assert_num_queries(9):
            staff_client.get(reverse("inmates:list"), params)
        Inmate.objects.bulk_create(
            Inmate(
                facility=facility_a, registration_number=f"BI.{i:05d}/2025", register_class="B.I",
                full_name=f"Budi Banyak {i}", sex="L", block="A", search_text=f"budi banyak {i}",
                admission_date=datetime.date(2025, 1, 1),
            )
            for i in range(4000)
        )  # fmt: skip
        with django_assert_num_queries(9):
            response = staff_client.get(reverse("inmates:list"), params)
        assert response.context["page"].paginator.count >= 4000


class TestCreate:
    def test_a_complete_form_registers_the_wbp_with_articles_history_and_admission(
        self, staff_client: Client, facility_a: Any
    ) -> None:
        response = staff_client.post(reverse("inmates:create"), _form_data(facility=facility_a.pk))
        inmate = Inmate.objects.get(registration_number="BI.777/2026")
        assert response.status_code == 302
        assert response["Location"] == inmate.get_absolute_url()
        assert inmate.facility == facility_a
        assert [str(a) for a in inmate.articles.all()] == [
            "Pasal 114 ayat (1)",
            "jo. Pasal 132 ayat (1)",
        ]
        assert CustodyEvent.objects.get(inmate=inmate).kind == "admitted"
        assert AuditEntry.objects.filter(
            target_id=inmate.pk, action__startswith="inmates.inmate.created"
        ).exists()
        page = staff_client.get(inmate.get_absolute_url()).content.decode()
        assert "Pasal 114 ayat (1) jo. Pasal 132 ayat (1) UU 35/2009" in page

    @pytest.mark.parametrize(
        ("overrides", "field", "message"),
        [
            ({"nik": "64010215"}, "nik", "NIK harus 16 digit angka."),
            ({"nik": "6401029915900003"}, "nik", "NIK tidak valid"),
            (
                {"expiry_date": "2025-01-01"},
                "expiry_date",
                "Tanggal ekspirasi tidak boleh sebelum tanggal masuk.",
            ),
            (
                {"birth_date": "2027-01-01"},
                "birth_date",
                "Tanggal lahir tidak boleh di masa depan.",
            ),
            (
                {"admission_date": "2026-12-01"},
                "admission_date",
                "Tanggal masuk tidak boleh di masa depan.",
            ),
            (
                {"release_date": "2031-01-01"},
                "release_date",
                "Tanggal bebas tidak boleh sesudah tanggal ekspirasi.",
            ),
            ({"full_name": ""}, "full_name", "Bidang ini tidak boleh kosong."),
            ({"articles-0-article": "seratus"}, None, "Pasal harus berupa angka"),
        ],
    )
    def test_bad_input_is_explained_beside_the_field_keeps_the_typing_and_saves_nothing(
        self,
        staff_client: Client,
        facility_a: Any,
        overrides: dict[str, str],
        field: str | None,
        message: str,
    ) -> None:
        data = _form_data(facility=facility_a.pk, **overrides)
        response = staff_client.post(reverse("inmates:create"), data)
        assert response.status_code == 200
        page = response.content.decode()
        assert message in page
        if field:
            assert message in " ".join(response.context["form"].errors[field])
        assert 'value="Nelayan"' in page  # what was typed is still there
        assert not Inmate.objects.exists()
        assert not AuditEntry.objects.exists()

    def test_dates_are_typed_day_month_year(self, staff_client: Client, facility_a: Any) -> None:
        data = _form_data(
            facility=facility_a.pk, birth_date="15-05-1990", admission_date="01/02/2026"
        )
        assert staff_client.post(reverse("inmates:create"), data).status_code == 302
        inmate = Inmate.objects.get()
        assert inmate.birth_date == datetime.date(1990, 5, 15)
        assert inmate.admission_date == datetime.date(2026, 2, 1)
        page = staff_client.get(reverse("inmates:edit", args=[inmate.pk])).content.decode()
        assert 'value="15-05-1990"' in page

    def test_a_registration_number_already_used_in_the_facility_is_refused(
        self, staff_client: Client, facility_a: Any
    ) -> None:
        InmateFactory(facility=facility_a, registration_number="BI.777/2026")
        response = staff_client.post(reverse("inmates:create"), _form_data(facility=facility_a.pk))
        assert "Nomor registrasi ini sudah dipakai" in " ".join(
            response.context["form"].errors["registration_number"]
        )
        assert Inmate.objects.count() == 1

    def test_the_same_nik_warns_with_a_link_and_saves_only_when_confirmed(
        self, staff_client: Client, facility_a: Any
    ) -> None:
        existing = InmateFactory(facility=facility_a, nik="6401021505900003", full_name="Rahmat H.")
        data = _form_data(facility=facility_a.pk)
        response = staff_client.post(reverse("inmates:create"), data)
        page = response.content.decode()
        assert "Mungkin sudah terdaftar" in page
        assert existing.get_absolute_url() in page
        assert Inmate.objects.count() == 1
        response = staff_client.post(reverse("inmates:create"), {**data, "confirm_duplicate": "on"})
        assert response.status_code == 302
        assert Inmate.objects.count() == 2

    def test_the_same_name_and_birth_date_in_another_facility_the_user_cannot_see_is_not_shown(
        self, staff_client: Client, facility_a: Any, facility_b: Any
    ) -> None:
        InmateFactory(
            facility=facility_b, full_name="Rahmat Hidayat", birth_date=datetime.date(1990, 5, 15)
        )
        response = staff_client.get(
            reverse("inmates:duplicate_check"),
            {"full_name": "rahmat hidayat", "birth_date": "1990-05-15"},
        )
        assert "Mungkin sudah terdaftar" not in response.content.decode()

    def test_the_duplicate_probe_names_a_visible_match(
        self, staff_client: Client, facility_a: Any
    ) -> None:
        InmateFactory(
            facility=facility_a, full_name="Rahmat Hidayat", birth_date=datetime.date(1990, 5, 15)
        )
        response = staff_client.get(
            reverse("inmates:duplicate_check"),
            {"full_name": "rahmat hidayat", "birth_date": "1990-05-15"},
        )
        assert "Rahmat Hidayat" in response.content.decode()


class TestEdit:
    def test_a_change_is_saved_and_shown_in_the_history_with_old_and_new_values(
        self, staff_client: Client, facility_a: Any
    ) -> None:
        staff_client.post(reverse("inmates:create"), _form_data(facility=facility_a.pk))
        inmate = Inmate.objects.get()
        data = _form_data(block="D", cell="9", version=str(inmate.version))
        data.update({"articles-TOTAL_FORMS": "0"})
        response = staff_client.post(reverse("inmates:edit", args=[inmate.pk]), data)
        assert response.status_code == 302
        inmate.refresh_from_db()
        assert (inmate.block, inmate.cell, inmate.version) == ("D", "9", 2)
        history = staff_client.get(reverse("inmates:history", args=[inmate.pk])).content.decode()
        assert "Data diubah" in history
        assert "Blok" in history and "B" in history and "D" in history
        assert "Pasal" in history  # the articles were removed, and that is in the history too

    def test_the_second_of_two_simultaneous_edits_gets_a_conflict_and_loses_nothing(
        self, client: Client, staff_client: Client, facility_a: Any, members: dict[str, Any]
    ) -> None:
        inmate = InmateFactory(facility=facility_a, block="A", occupation="Petani")
        url = reverse("inmates:edit", args=[inmate.pk])
        first = _form_data(
            registration_number=inmate.registration_number,
            block="B",
            version="1",
            **{"articles-TOTAL_FORMS": "0"},
        )
        second = {**first, "block": "C", "occupation": "Sopir truk"}
        other = Client()
        other.force_login(members["staff"])
        assert staff_client.post(url, first).status_code == 302
        response = other.post(url, second)
        assert response.status_code == 409
        page = response.content.decode()
        assert "sudah diubah oleh" in page
        assert 'value="Sopir truk"' in page
        inmate.refresh_from_db()
        assert inmate.block == "B" and inmate.occupation == "Nelayan"
        # Saving again after reading the message is a deliberate choice, and it works.
        assert other.post(url, {**second, "version": "2"}).status_code == 302
        inmate.refresh_from_db()
        assert inmate.block == "C"

    def test_an_unchanged_save_writes_no_history(
        self, staff_client: Client, facility_a: Any
    ) -> None:
        staff_client.post(reverse("inmates:create"), _form_data(facility=facility_a.pk))
        inmate = Inmate.objects.get()
        data = _form_data(version="1")
        data.update(
            {
                "articles-TOTAL_FORMS": "2",
                "articles-INITIAL_FORMS": "2",
                "articles-0-id": str(inmate.articles.all()[0].pk),
                "articles-1-id": str(inmate.articles.all()[1].pk),
            }
        )
        staff_client.post(reverse("inmates:edit", args=[inmate.pk]), data)
        assert AuditEntry.objects.filter(target_id=inmate.pk).count() == 1


class TestCustody:
    def test_a_transfer_records_destination_reason_and_who(
        self, staff_client: Client, facility_a: Any, facility_b: Any, members: dict[str, Any]
    ) -> None:
        inmate = InmateFactory(facility=facility_a)
        response = staff_client.post(
            reverse("inmates:transfer", args=[inmate.pk]),
            {"to_facility": facility_b.pk, "on": "2026-11-20", "reason": "Overkapasitas"},
        )
        assert response.status_code == 302
        inmate.refresh_from_db()
        assert inmate.status == CustodyStatus.TRANSFERRED
        event = CustodyEvent.objects.get(inmate=inmate, kind="transferred")
        assert (event.to_facility, event.reason, event.recorded_by) == (
            facility_b,
            "Overkapasitas",
            members["staff"],
        )
        page = staff_client.get(inmate.get_absolute_url()).content.decode()
        assert "Overkapasitas" in page and "Dipindahkan" in page

    def test_a_release_before_admission_is_refused_beside_the_date(
        self, staff_client: Client, facility_a: Any
    ) -> None:
        inmate = InmateFactory(facility=facility_a, admission_date=datetime.date(2026, 3, 2))
        response = staff_client.post(
            reverse("inmates:release", args=[inmate.pk]),
            {"on": "2026-01-01", "kind": "pb", "reason": "PB"},
        )
        assert (
            "Tanggal bebas tidak boleh sebelum tanggal masuk."
            in response.context["form"].errors["on"]
        )
        inmate.refresh_from_db()
        assert inmate.status == CustodyStatus.IN_CUSTODY

    def test_a_release_is_recorded_once_and_cannot_be_repeated(
        self, staff_client: Client, facility_a: Any
    ) -> None:
        inmate = InmateFactory(facility=facility_a)
        url = reverse("inmates:release", args=[inmate.pk])
        data = {"on": "2026-11-20", "kind": "pb", "reason": "Pembebasan bersyarat"}
        assert staff_client.post(url, data).status_code == 302
        response = staff_client.post(url, data)
        assert "Hanya WBP yang masih dalam tahanan" in response.content.decode()
        assert CustodyEvent.objects.filter(inmate=inmate, kind="released").count() == 1
        history = staff_client.get(reverse("inmates:history", args=[inmate.pk])).content.decode()
        assert "Dalam tahanan" in history and "Bebas" in history
        assert "in_custody" not in history


class TestCaseFile:
    def test_the_case_file_shows_identity_custody_and_an_empty_timeline_for_later_steps(
        self, staff_client: Client, facility_a: Any
    ) -> None:
        inmate = InmateFactory(facility=facility_a, full_name="Andi Saputra", sentence_months=54)
        CaseArticleFactory(inmate=inmate, article="127", paragraph="1", letter="a")
        page = staff_client.get(inmate.get_absolute_url()).content.decode()
        assert "Andi Saputra" in page
        assert "Pasal 127 ayat (1) huruf a UU 35/2009" in page
        assert "4 tahun 6 bulan" in page
        assert "Belum ada skrining ASSIST" in page

    def test_history_times_show_in_the_facilitys_time_zone(
        self, staff_client: Client, facility_a: Any
    ) -> None:
        staff_client.post(reverse("inmates:create"), _form_data(facility=facility_a.pk))
        inmate = Inmate.objects.get()
        page = staff_client.get(inmate.get_absolute_url()).content.decode()
        assert "23 November 2026 18.00 WITA" in page
