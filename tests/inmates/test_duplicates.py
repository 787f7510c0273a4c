"""The duplicate check at registration: typed dates, near names, birth date or year, scoping."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils.html import escape

from inmates.models import Inmate
from inmates.selectors import possible_duplicates
from tests.factories import InmateFactory
from tests.inmates.test_matching import SAME

pytestmark = pytest.mark.django_db

PROBE = "inmates:duplicate_check"
BORN = datetime.date(1990, 3, 15)
WARNING = "Mungkin sudah terdaftar"


def probe(client: Client, **params: str) -> str:
    return client.get(reverse(PROBE), params).content.decode()


@pytest.mark.parametrize("typed", ["15/03/1990", "15-03-1990", "1990-03-15"])
def test_the_probe_reads_the_birth_date_as_staff_type_it(
    staff_client: Client, facility_a: Any, typed: str
) -> None:
    InmateFactory(facility=facility_a, full_name="Rahmat Hidayat", birth_date=BORN)
    page = probe(staff_client, full_name="Rahmat Hidayat", birth_date=typed)
    assert WARNING in page and "Rahmat Hidayat" in page
    assert "nama dan tanggal lahir sama" in page


@pytest.mark.parametrize(("stored", "typed"), SAME)
def test_a_spelling_variant_with_the_same_birth_date_is_found(
    staff_client: Client, facility_a: Any, stored: str, typed: str
) -> None:
    # The same on SQLite and PostgreSQL: every listed variant shares the stored name key.
    InmateFactory(facility=facility_a, full_name=stored, birth_date=BORN)
    page = probe(staff_client, full_name=typed, birth_date="15/03/1990")
    assert WARNING in page and escape(stored) in page
    assert "nama mirip, tanggal lahir sama" in page or "nama dan tanggal lahir sama" in page


def test_a_variant_born_the_same_year_is_found_and_one_born_another_year_is_not(
    staff_client: Client, facility_a: Any
) -> None:
    InmateFactory(facility=facility_a, full_name="Mochamad Rizky", birth_date=BORN)
    page = probe(staff_client, full_name="Muhammad Rizki", birth_date="02/11/1990")
    assert "Mochamad Rizky" in page and "nama mirip, tahun lahir sama" in page
    page = probe(staff_client, full_name="Muhammad Rizki", birth_date="15/03/1991")
    assert WARNING not in page


def test_a_different_name_born_the_same_day_is_not_a_duplicate(
    staff_client: Client, facility_a: Any
) -> None:
    InmateFactory(facility=facility_a, full_name="Budi Santoso", birth_date=BORN)
    assert WARNING not in probe(staff_client, full_name="Dedi Kurniawan", birth_date="15/03/1990")


def test_a_near_name_in_a_facility_the_user_cannot_see_is_not_shown(
    staff_client: Client, facility_b: Any
) -> None:
    InmateFactory(facility=facility_b, full_name="Mohammad Rizky", birth_date=BORN)
    assert WARNING not in probe(staff_client, full_name="Muhamad Rizki", birth_date="15/03/1990")


def test_a_counsellor_of_two_facilities_sees_duplicates_in_both(
    facility_a: Any, facility_b: Any, members: dict[str, Any]
) -> None:
    from tests.factories import MembershipFactory

    counselor = members["counselor"]
    MembershipFactory(user=counselor, facility=facility_b, role="counselor")
    InmateFactory(facility=facility_a, full_name="Muhammad Rizki", birth_date=BORN)
    InmateFactory(facility=facility_b, full_name="Mochamad Rizky", birth_date=BORN)
    found = possible_duplicates(counselor, full_name="M. Rizki", birth_date=BORN)
    assert {i.facility for i in found} == {facility_a, facility_b}


def test_the_closest_match_comes_first(facility_a: Any, members: dict[str, Any]) -> None:
    InmateFactory(facility=facility_a, full_name="Muhammad Rizki", birth_date=BORN.replace(day=1))
    InmateFactory(facility=facility_a, full_name="Mochamad Rizky", birth_date=BORN)
    InmateFactory(facility=facility_a, full_name="Andi", nik="6401021505900003")
    found = possible_duplicates(
        members["staff"], nik="6401021505900003", full_name="Muhamad Rizki", birth_date=BORN
    )
    assert [i.full_name for i in found] == ["Andi", "Mochamad Rizky", "Muhammad Rizki"]


def test_a_typing_slip_is_found_on_postgresql_by_trigram_similarity(
    staff_client: Client, facility_a: Any
) -> None:
    InmateFactory(facility=facility_a, full_name="Rahmat Hidayat Syahputra", birth_date=BORN)
    page = probe(staff_client, full_name="Rahmat Hidyat Syahputra", birth_date="15/03/1990")
    # pg_trgm sees the slip; SQLite's key match needs the listed spelling variants.
    assert (WARNING in page) == (connection.vendor == "postgresql")


def test_the_registration_form_warns_about_a_near_name_typed_day_first(
    staff_client: Client, facility_a: Any
) -> None:
    existing = InmateFactory(facility=facility_a, full_name="Mohammad Rizky", birth_date=BORN)
    data = {
        "facility": facility_a.pk, "registration_number": "BI.778/2026", "register_class": "B.I",
        "full_name": "Muhamad Rizki", "sex": "L", "birth_date": "15/03/1990",
        "nationality": "Indonesia", "admission_date": "02-11-2026",
        "articles-TOTAL_FORMS": "0", "articles-INITIAL_FORMS": "0",
        "articles-MIN_NUM_FORMS": "0", "articles-MAX_NUM_FORMS": "10",
    }  # fmt: skip
    page = staff_client.post(reverse("inmates:create"), data).content.decode()
    assert WARNING in page and existing.get_absolute_url() in page
    assert Inmate.objects.count() == 1
    response = staff_client.post(reverse("inmates:create"), {**data, "confirm_duplicate": "on"})
    assert response.status_code == 302 and Inmate.objects.count() == 2


def test_the_name_key_follows_every_save(facility_a: Any) -> None:
    inmate: Any = InmateFactory(facility=facility_a, full_name="Djoko Soesilo")
    assert inmate.name_key == "jokosusilo"
    inmate.full_name = "Muhammad Djoko"
    inmate.save(update_fields=["full_name"])
    inmate.refresh_from_db()
    assert inmate.name_key == "muhamadjoko"


@pytest.mark.parametrize("rows", [1, 40])
def test_the_probe_costs_the_same_queries_for_one_or_many_matches(
    staff_client: Client, facility_a: Any, django_assert_num_queries: Any, rows: int
) -> None:
    for _ in range(rows):
        InmateFactory(facility=facility_a, full_name="Muhammad Rizki", birth_date=BORN)
    probe(staff_client, full_name="x")  # warm the session
    # session, user, memberships, the matches (facility joined), the idle-timeout save (3)
    with django_assert_num_queries(7):
        page = probe(staff_client, full_name="Mochamad Rizky", birth_date="15/03/1990")
    assert page.count("Muhammad Rizki") == min(rows, 10)


def test_on_postgresql_a_near_name_born_another_day_of_the_year_must_be_very_near(
    staff_client: Client, facility_a: Any
) -> None:
    InmateFactory(facility=facility_a, full_name="Dedi Kurniawati", birth_date=BORN)
    # Not a listed variant, another day: a different person on both databases.
    page = probe(staff_client, full_name="Dedi Kurniawan", birth_date="02/11/1990")
    assert WARNING not in page


def test_the_form_reads_dates_day_first_in_english_too(
    staff_client: Client, facility_a: Any, settings: Any
) -> None:
    # A shared office PC in English: 03/04/1990 is still the 3rd of April, and the form's own
    # dd-mm-yyyy values are read back on the next save.
    staff_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    data = {
        "facility": facility_a.pk, "registration_number": "BI.779/2026", "register_class": "B.I",
        "full_name": "Andi Saputra", "sex": "L", "birth_date": "03/04/1990",
        "nationality": "Indonesia", "detention_date": "15.10.2026", "admission_date": "02-11-2026",
        "articles-TOTAL_FORMS": "0", "articles-INITIAL_FORMS": "0",
        "articles-MIN_NUM_FORMS": "0", "articles-MAX_NUM_FORMS": "10",
    }  # fmt: skip
    response = staff_client.post(reverse("inmates:create"), data)
    assert response.status_code == 302, response.context["form"].errors
    inmate = Inmate.objects.get()
    assert inmate.birth_date == datetime.date(1990, 4, 3)
    assert inmate.detention_date == datetime.date(2026, 10, 15)
    assert inmate.admission_date == datetime.date(2026, 11, 2)
