"""The pure rules of the duplicate check: typed birth dates and name spellings (no database)."""

from __future__ import annotations

import datetime

import pytest

from inmates.matching import name_key, parse_typed_date

MARCH_15 = datetime.date(1990, 3, 15)


@pytest.mark.parametrize(
    ("typed", "day"),
    [
        ("15/03/1990", MARCH_15),
        ("15-03-1990", MARCH_15),
        ("1990-03-15", MARCH_15),
        ("15.03.1990", MARCH_15),
        (" 15/3/1990 ", MARCH_15),
        ("5/3/1990", datetime.date(1990, 3, 5)),
        # Day first, always: a shared PC's American locale must not turn this into 4 March.
        ("03/04/1990", datetime.date(1990, 4, 3)),
        ("31/02/1990", None),
        ("15/13/1990", None),
        ("1990/03/15", None),
        ("15/03/90", None),
        ("", None),
        ("kemarin", None),
        ("15031990", None),
    ],
)
def test_a_typed_birth_date_is_read_day_first_or_iso(typed: str, day: datetime.date | None) -> None:
    assert parse_typed_date(typed) == day


# Each pair is one person written two ways.
SAME = [
    ("Muhamad Rizki", "Muhammad Rizki"),
    ("Muhamad Rizki", "Mohammad Rizki"),
    ("Muhamad Rizki", "Mochamad Rizki"),
    ("Muhamad Rizki", "Mohamad Rizky"),
    ("Muhamad Rizki", "M. Rizki"),
    ("Muhamad Rizki", "MUHAMMAD  RIZKI"),
    ("Abd. Rahman", "Abdul Rahman"),
    ("Abdul Rahman", "Abdulrahman"),
    ("Djoko Susilo", "Joko Susilo"),
    ("Soekarno", "Sukarno"),
    ("Chairul Anwar", "Khairul Anwar"),
    ("Achmad Fauzi", "Ahmad Fauzi"),
    ("Hendy Saputra", "Hendi Saputra"),
    ("Abdullah", "Abdulah"),
    ("Taufiq Hidayat", "Taufik Hidayat"),
    ("Ramadhan", "Ramadan"),
    ("Ma'ruf Amin", "Maruf Amin"),
    ("Sjamsul Bahri", "Syamsul Bahri"),
    ("Siti Nurhaliza", "Sitti Nurhaliza"),
    ("André Wijaya", "Andre Wijaya"),
]

# Different people, however alike.
DIFFERENT = [
    ("Budi Santoso", "Budi Susanto"),
    ("Muhamad Rizki", "Muhamad Rizal"),
    ("Ahmad Fauzi", "Ahmad Fauzan"),
    ("Andi", "Andy Saputra"),
    ("Joko Susilo", "Susilo"),
]


@pytest.mark.parametrize(("one", "other"), SAME)
def test_spelling_variants_of_one_name_share_a_key(one: str, other: str) -> None:
    assert name_key(one) == name_key(other)


@pytest.mark.parametrize(("one", "other"), DIFFERENT)
def test_different_names_keep_different_keys(one: str, other: str) -> None:
    assert name_key(one) != name_key(other)


def test_a_key_has_no_case_spaces_or_punctuation() -> None:
    assert name_key("  Muhammad  Rizky, S.H. ") == "muhamadrizkish"
    assert name_key("") == ""
    assert name_key("...") == ""
