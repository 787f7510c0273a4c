"""Is this the same person? Pure rules for the duplicate check: typed dates and name spellings.

No ORM here: plain values in, plain values out, tested with tables of cases
(tests/inmates/test_matching.py).
"""

from __future__ import annotations

import datetime
import re
import unicodedata

# Day-month-year with slashes, dashes or dots (how Indonesian staff type a date), and ISO.
_DAY_FIRST = re.compile(r"^(\d{1,2})\s*[/.-]\s*(\d{1,2})\s*[/.-]\s*(\d{4})$")
_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")


def parse_typed_date(text: str) -> datetime.date | None:
    """Read 15/03/1990, 15-03-1990, 15.03.1990 or 1990-03-15; None for anything else.

    Never month-first: on a shared office PC 03/04/1990 is the 3rd of April, whatever the
    browser's locale says.
    """
    text = text.strip()
    if match := _DAY_FIRST.match(text):
        day, month, year = (int(g) for g in match.groups())
    elif match := _ISO.match(text):
        year, month, day = (int(g) for g in match.groups())
    else:
        return None
    try:
        return datetime.date(year, month, day)
    except ValueError:
        return None


# Whole-word spellings of one name, mapped to one form. Indonesian names are written from
# Arabic and from the old (pre-1972) spelling, so one person appears as Muhammad, Mohammad,
# Mochamad or M. from one document to the next.
_WORDS = {
    **dict.fromkeys(
        (
            "m", "md", "mhd", "moh", "mohd", "muh", "muhd", "moch", "mochd",
            "muhamad", "muhammad", "muhammed", "muhamed", "muhammat", "muhamat",
            "mohamad", "mohammad", "mohammed", "mohamed", "mochamad", "mochammad",
            "mukhamad", "mukhammad", "mohamat",
        ),
        "muhamad",
    ),
    **dict.fromkeys(("ahmad", "achmad", "akhmad", "ahmat", "achmat", "akhmat"), "ahmad"),
    **dict.fromkeys(("abd", "abdul", "abdoel", "abdel", "abdu"), "abdul"),
}  # fmt: skip

# Letter groups of the old spelling and of transliteration, rewritten left to right.
_LETTERS = [
    ("oe", "u"),  # Soekarno -> Sukarno
    ("dj", "j"),  # Djoko -> Joko
    ("tj", "c"),  # Tjahjo -> Cahjo
    ("sj", "sy"),  # Sjamsul -> Syamsul
    ("nj", "ny"),  # Njoman -> Nyoman
    ("ch", "kh"),  # Chairul -> Khairul
    ("dh", "d"),  # Ramadhan -> Ramadan
    ("th", "t"),  # Fathur -> Fatur
    ("q", "k"),  # Taufiq -> Taufik
]
_REPEATS = re.compile(r"(.)\1+")


def _plain_letters(text: str) -> str:
    """Lower-case, drop accents and keep letters, digits and spaces (punctuation joins)."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    kept = []
    for char in decomposed:
        if unicodedata.combining(char):
            continue
        if char.isalnum():
            kept.append(char)
        elif char in "'`\u2019":  # Ma'ruf, Jum'at: the apostrophe is not a word break
            continue
        else:
            kept.append(" ")
    return "".join(kept)


def _word_key(word: str) -> str:
    word = _WORDS.get(word, word)
    for old, new in _LETTERS:
        word = word.replace(old, new)
    word = _REPEATS.sub(r"\1", word)  # Abdullah -> Abdulah, Sitti -> Siti
    if len(word) > 2 and word.endswith("y"):
        word = word[:-1] + "i"  # Rizky -> Rizki, Hendy -> Hendi
    return word


def name_key(name: str) -> str:
    """Return one spelling for the ways a name is written: the same key, very likely one name.

    Case, accents, punctuation, spaces (Abdul Rahman / Abdulrahman), doubled letters and the
    common variants (Muhammad / Mohammad / Mochamad / M., Abd / Abdul, dj -> j, oe -> u,
    ch -> kh, a final y -> i, ...) are ironed out.
    """
    return "".join(_word_key(word) for word in _plain_letters(name).split())
