"""The default catalogue every installation gets from the programs data migration: modules and
the tracks of the three tiers (15, 30 and 60 days) plus a six-month Therapeutic Community."""

from __future__ import annotations

import importlib
from typing import Any

import pytest
from django.apps import apps

from programs.models import Module, Session, SessionKind, Track, TrackKind
from tests.factories import CohortFactory, TrackFactory, UserFactory

pytestmark = pytest.mark.django_db

catalogue = importlib.import_module("programs.migrations.0002_default_catalogue")

MODULES = {
    "edukasi-napza",
    "kesehatan",
    "psikologi",
    "keagamaan",
    "keluarga",
    "pencegahan-kekambuhan",
    "keterampilan-hidup",
    "vokasional",
}
REQUIREMENTS = {
    "Ringan — 15 hari": {"education": 6, "group": 4, "individual": 2, "religion": 3},
    "Sedang — 30 hari": {"group": 10, "individual": 6, "family": 2, "education": 6, "religion": 6},
    "Berat — 60 hari": {
        "group": 20,
        "individual": 12,
        "family": 4,
        "education": 10,
        "religion": 10,
    },
    "Berat — Komunitas Terapeutik (6 bulan)": {
        "tc_morning": 120,
        "group": 40,
        "individual": 24,
        "family": 6,
        "vocational": 40,
    },
}


def requirements(track: Track) -> dict[str, int]:
    return dict(track.requirements.values_list("session_kind", "count"))


def test_the_modules_are_there_after_migrating() -> None:
    assert set(Module.objects.values_list("code", flat=True)) >= MODULES
    assert all(m.name and m.description for m in Module.objects.filter(code__in=MODULES))


def test_each_tier_has_its_15_30_or_60_day_programme() -> None:
    programmes = Track.objects.filter(kind=TrackKind.PROGRAMME, active=True)
    assert {(t.tier, t.duration_days) for t in programmes} >= {
        ("ringan", 15),
        ("sedang", 30),
        ("berat", 60),
    }
    tc = Track.objects.get(name="Berat — Komunitas Terapeutik (6 bulan)")
    assert (tc.tier, tc.kind, tc.duration_days) == ("berat", TrackKind.TC, 180)


def test_every_track_requires_its_sessions_with_kinds_the_app_knows() -> None:
    for name, expected in REQUIREMENTS.items():
        track = Track.objects.get(name=name)
        assert requirements(track) == expected, name
        assert set(expected) <= set(SessionKind.values)
        assert track.description


def test_the_modules_fit_each_track() -> None:
    def codes(name: str) -> set[str]:
        return set(Track.objects.get(name=name).modules.values_list("code", flat=True))

    ringan, sedang, berat = (
        codes("Ringan — 15 hari"),
        codes("Sedang — 30 hari"),
        codes("Berat — 60 hari"),
    )
    # The 15-day programme: speakers from health, psychology and religion.
    assert {"edukasi-napza", "kesehatan", "psikologi", "keagamaan"} <= ringan
    assert ringan < sedang <= berat
    assert {"keluarga", "pencegahan-kekambuhan"} <= sedang
    assert codes("Berat — Komunitas Terapeutik (6 bulan)") == MODULES


def test_migrating_again_creates_nothing_and_changes_no_edited_track() -> None:
    sedang = Track.objects.get(name="Sedang — 30 hari")
    sedang.duration_days = 28
    sedang.save()
    sedang.requirements.filter(session_kind="family").delete()
    before = (Track.objects.count(), Module.objects.count())
    catalogue.forwards(apps, None)
    assert (Track.objects.count(), Module.objects.count()) == before
    sedang.refresh_from_db()
    assert sedang.duration_days == 28
    assert "family" not in requirements(sedang)


def test_the_reverse_removes_only_what_nobody_uses(facility_a: Any) -> None:
    ringan = Track.objects.get(name="Ringan — 15 hari")
    cohort = CohortFactory(facility=facility_a, track=ringan)
    own = TrackFactory(name="Program pembinaan kemandirian", tier="berat", duration_days=90)
    own.modules.add(Module.objects.get(code="vokasional"))
    Session.objects.create(
        facility=facility_a,
        cohort=cohort,
        kind=SessionKind.FAMILY,
        module=Module.objects.get(code="keluarga"),
        starts_at="2026-11-09T02:00:00Z",
        ends_at="2026-11-09T04:00:00Z",
        created_by=UserFactory(),
    )

    catalogue.backwards(apps, None)

    assert set(Track.objects.values_list("name", flat=True)) == {
        "Ringan — 15 hari",
        "Program pembinaan kemandirian",
    }
    # Kept: the modules of the track in use, the one of someone's own track, the one a
    # session names.
    assert set(Module.objects.values_list("code", flat=True)) == {
        "edukasi-napza",
        "kesehatan",
        "psikologi",
        "keagamaan",
        "vokasional",
        "keluarga",
    }

    catalogue.forwards(apps, None)
    assert Track.objects.filter(name__in=REQUIREMENTS).count() == 4
    assert set(Module.objects.values_list("code", flat=True)) >= MODULES
    for name, expected in REQUIREMENTS.items():
        assert requirements(Track.objects.get(name=name)) == expected
    assert set(Track.objects.get(name="Berat — 60 hari").modules.values_list("code", flat=True))
