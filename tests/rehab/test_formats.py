"""One locale format on every page: the format scan over the route table, role by role.

Each role opens every GET page of tests/routes.py it may open; the visible text (tags,
scripts and styles stripped) must hold no ISO or d-m-Y date, no time without its zone label
(WIB, WITA or WIT), no "UTC", no Python True/False/None and none of the raw English words
below. Then the filters themselves: dates, times with the zone, thousands.
"""

from __future__ import annotations

import datetime
import html
import re
from collections import Counter
from typing import Any

import pytest
from django.template import Context, Template
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from rehab import audit
from rehab.access import PERMISSIONS
from tests.conftest import ROLES
from tests.factories import CaseArticleFactory, InmateFactory
from tests.routes import POST_ONLY, ROUTES, route_url

# Raw English that must not reach the Indonesian interface (whole words, case as written).
ENGLISH = [
    "Morning meeting",
    "Periodic tasks",
    "AXES",
    "Drop out",
    "pending",
    "active",
    "Submit",
    "Save",
    "Cancel",
    "Delete",
    "Search",
]

# A time is labelled when its zone follows, directly or after the end of a range (09.00-10.30 WIB).
_TIME = r"\b\d{1,2}[:.]\d{2}\b"
_ZONE = r"\s*(?:[\u2013-]\s*\d{1,2}[:.]\d{2}\s*)?(?:WIB|WITA|WIT)\b"
PATTERNS = {
    "ISO date": re.compile(r"\b\d{4}-\d{2}-\d{2}\b"),
    "d-m-Y date": re.compile(r"\b\d{2}-\d{2}-\d{4}\b"),
    "time without zone": re.compile(rf"{_TIME}(?!{_ZONE})(?![.,]\d)"),
    "UTC": re.compile(r"\bUTC\b(?!\s*\+\d)"),  # "WITA (UTC+8)" names the zone, it shows no time
    "True/False/None": re.compile(r"\b(?:True|False|None)\b"),
    "English word": re.compile(r"\b(?:" + "|".join(re.escape(w) for w in ENGLISH) + r")\b"),
}

# Shown on purpose: the import page tells how dates are written in the file to upload.
ALLOWED = {("inmates:import", "17-08-2025")}

_HIDDEN = re.compile(r"<(script|style|template)\b.*?</\1\s*>", re.S | re.I)
_TAG = re.compile(r"<[^>]+>")


def visible_text(page: str) -> str:
    """Return what a reader sees of an HTML page: no tags, scripts, styles or comments."""
    page = re.sub(r"<!--.*?-->", " ", _HIDDEN.sub(" ", page), flags=re.S)
    return re.sub(r"\s+", " ", html.unescape(_TAG.sub(" ", page)))


def findings(text: str) -> list[tuple[str, str]]:
    """Return (pattern, the text around it) for each thing on a page that breaks the format."""
    found = []
    for label, pattern in PATTERNS.items():
        for match in pattern.finditer(text):
            found.append((label, text[max(0, match.start() - 40) : match.end() + 40]))
    return found


def pages_for(role: str) -> list[str]:
    """The GET pages of the route table the role may open."""
    return sorted(
        name
        for name, (_, action) in ROUTES.items()
        if name not in POST_ONLY
        and name not in {"logout", "set_language", "healthz"}
        and (action is None or role in PERMISSIONS[action])
    )


@pytest.mark.parametrize("role", ROLES)
def test_every_page_a_role_may_open_shows_one_locale_format(
    client: Client, members: dict[str, Any], route_objects: dict[str, Any], role: str
) -> None:
    client.force_login(members[role])
    problems: list[tuple[str, str, str]] = []
    scanned = 0
    for name in pages_for(role):
        kind, _ = ROUTES[name]
        response = client.get(route_url(name, kind, route_objects), follow=True)
        assert response.status_code == 200, (name, response.status_code)
        if not response.get("Content-Type", "").startswith("text/html"):
            continue  # PDFs, spreadsheets, CSV and JSON are checked by their own tests
        scanned += 1
        text = visible_text(response.content.decode())
        for name_allowed, sample in ALLOWED:
            if name == name_allowed:
                text = text.replace(sample, "")
        problems += [(name, label, where) for label, where in findings(text)]
    assert scanned >= 5
    counts = Counter(label for _, label, _ in problems)
    assert not problems, (dict(counts), problems[:40])


def test_the_scan_sees_what_it_looks_for() -> None:
    text = visible_text(
        "<p>2026-11-20 20-11-2026 <b>09:00</b> 10.30 UTC True None pending</p>"
        "<script>var x = '2026-01-01 10:00';</script>"
    )
    assert {label for label, _ in findings(text)} == set(PATTERNS)
    assert findings(visible_text("<td>18.31 WITA</td><td>09.00\u201310.30 WIB</td>")) == []
    assert findings("3.000.000 dan 12,50 dan WITA (UTC+8)") == []


def _render(source: str, **context: Any) -> str:
    return Template(source).render(Context(context))


def test_indonesian_dates_times_and_thousands() -> None:
    moment = datetime.datetime(2026, 12, 3, 10, 31, tzinfo=datetime.UTC)
    with translation.override("id"), timezone.override("Asia/Makassar"):
        assert _render("{{ d|date }}", d=moment) == "3 Desember 2026"
        assert _render('{{ d|date:"SHORT_DATE_FORMAT" }}', d=moment) == "03/12/2026"
        assert _render("{{ d|zoned }}", d=moment) == "18.31 WITA"
        assert _render('{{ d|zoned:"DATETIME_FORMAT" }}', d=moment) == "3 Desember 2026 18.31 WITA"
        assert _render('{{ d|zoned:"SHORT_DATETIME_FORMAT" }}', d=moment) == "03/12/2026 18.31 WITA"
        assert _render("{{ n }}", n=3000000) == "3.000.000"
    with translation.override("id"), timezone.override("Asia/Jakarta"):
        assert _render("{{ d|zoned }}", d=moment) == "17.31 WIB"
    with translation.override("id"), timezone.override("Asia/Jayapura"):
        assert _render("{{ d|zoned }}", d=moment) == "19.31 WIT"


def test_the_english_interface_keeps_its_own_formats() -> None:
    moment = datetime.datetime(2026, 12, 3, 10, 31, tzinfo=datetime.UTC)
    with translation.override("en"), timezone.override("Asia/Makassar"):
        assert _render("{{ d|date }}", d=moment) == "Dec. 3, 2026"
        assert _render("{{ n }}", n=3000000) == "3,000,000"
        assert _render("{{ d|zoned }}", d=moment).endswith("WITA")


def test_the_history_shows_field_names_choice_labels_and_ya_tidak(
    client: Client, members: dict[str, Any], facility_a: Any
) -> None:
    inmate = InmateFactory(facility=facility_a, full_name="Budi Santoso")
    article = CaseArticleFactory(inmate=inmate)
    staff = members["staff"]
    audit.record(facility=facility_a, actor=staff, action="inmate.updated", target=inmate,
                 changes={"sex": ["L", "P"], "status": ["in_custody", "released"],
                          "admission_date": ["2026-01-06", "2026-01-07"]})  # fmt: skip
    audit.record(facility=facility_a, actor=staff, action="inmate.updated", target=inmate,
                 subject=article, changes={"junto": [False, True]})  # fmt: skip
    client.force_login(staff)
    for url in (reverse("inmates:history", args=[inmate.pk]), inmate.get_absolute_url()):
        rows = re.findall(r"<tr><td>(.*?)</td><td[^>]*>(.*?)</td><td>(.*?)</td></tr>",
                          client.get(url).content.decode())  # fmt: skip
        assert ("Jenis kelamin", "Laki-laki", "Perempuan") in rows
        assert ("Status", "Dalam tahanan", "Bebas") in rows
        assert ("Jo.", "Tidak", "Ya") in rows
        assert ("Tanggal masuk", "06/01/2026", "07/01/2026") in rows, rows
