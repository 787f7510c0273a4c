"""Measure the clash check of a 60-day cohort of 40 participants in a busy facility.

Run with `.venv/bin/python bench/clash_check.py` (SQLite in a temporary folder, or the empty
PostgreSQL database named by BENCH_DATABASE_URL, whose tables it creates). One facility with
weekly activities and holidays, three other cohorts with a session every day in three rooms and
facilitators, and 40 participants with four blocks each (hearings, visits); then the 60 daily
slots of the cohort are checked at once (programs.scheduling.clashes.find). The target of issue
13 is under 200 ms on PostgreSQL. This is a measurement, not a test: nothing here fails the build.
"""

from __future__ import annotations

import datetime
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
work = tempfile.mkdtemp(prefix="rehab-bench-")
os.environ["DATABASE_URL"] = os.environ.get("BENCH_DATABASE_URL", f"sqlite:///{work}/bench.sqlite3")
os.environ["REHAB_VAR_DIR"] = work
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rehab.settings")
os.environ.setdefault("LOG_LEVEL", "WARNING")
Path(work, "staticfiles").mkdir()

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from inmates.models import Inmate, normalise  # noqa: E402
from programs.models import Cohort, FacilityActivity, PersonBlock, Session, Track  # noqa: E402
from programs.scheduling import clashes  # noqa: E402
from rehab.models import Facility  # noqa: E402

WITA = ZoneInfo("Asia/Makassar")
START = datetime.date(2027, 3, 1)
DAYS, PEOPLE, REPEAT = 60, 40, 20


def build() -> tuple[Facility, list[int], list[clashes.Slot]]:
    call_command("migrate", verbosity=0)
    facility = Facility.objects.create(
        name="Rutan Bench", code="bench-clash", kind="rutan", facility_class="IIB",
        regency="Kabupaten Bench", province="Bench", time_zone="Asia/Makassar",
    )  # fmt: skip
    users = [
        get_user_model().objects.create_user(f"bench.fasilitator{i}", password="x")
        for i in range(6)
    ]
    track = Track.objects.create(name="Berat 60 hari", tier="berat", duration_days=DAYS)
    for weekday in range(7):
        FacilityActivity.objects.create(
            facility=facility, title="Apel pagi", kind="other", weekday=weekday,
            start_time=datetime.time(7), end_time=datetime.time(8),
        )  # fmt: skip
    FacilityActivity.objects.create(
        facility=facility, title="Ibadah", kind="pembinaan", weekday=4,
        start_time=datetime.time(11), end_time=datetime.time(13),
    )  # fmt: skip
    for offset in (10, 31, 45):
        FacilityActivity.objects.create(
            facility=facility, title="Libur nasional", kind="holiday",
            date=START + datetime.timedelta(days=offset),
        )  # fmt: skip
    sessions = []
    for n, room in enumerate(("Aula", "Ruang 1", "Ruang 2")):
        other = Cohort.objects.create(
            facility=facility, track=track, name=f"Angkatan lain {n}", start_date=START,
            end_date=START + datetime.timedelta(days=DAYS), created_by=users[0],
        )  # fmt: skip
        for day in range(DAYS):
            at = datetime.datetime.combine(
                START + datetime.timedelta(days=day), datetime.time(8 + n * 2), tzinfo=WITA
            )
            sessions.append(
                Session(
                    facility=facility, cohort=other, kind="group", place=room, starts_at=at,
                    ends_at=at + datetime.timedelta(hours=2), created_by=users[0],
                )
            )  # fmt: skip
    Session.objects.bulk_create(sessions)
    through = Session.facilitators.through
    through.objects.bulk_create(
        [through(session_id=s.pk, user_id=users[i % 6].pk) for i, s in enumerate(sessions)]
    )
    inmates = Inmate.objects.bulk_create(
        [
            Inmate(
                facility=facility, registration_number=f"BI.{i:04d}/2027", register_class="B.I",
                full_name=f"Peserta {i:02d}", sex="L", admission_date=START,
                search_text=normalise(f"Peserta {i:02d}"),
            )
            for i in range(PEOPLE)
        ]
    )  # fmt: skip
    PersonBlock.objects.bulk_create(
        [
            PersonBlock(
                facility=facility, inmate=inmate, kind="court" if k % 2 else "visit",
                date=START + datetime.timedelta(days=(i * 3 + k * 11) % DAYS),
                start_time=datetime.time(9), end_time=datetime.time(12), court="PN Bench",
                created_by=users[0],
            )
            for i, inmate in enumerate(inmates)
            for k in range(4)
        ]
    )  # fmt: skip
    slots = []
    for day in range(DAYS):
        at = datetime.datetime.combine(
            START + datetime.timedelta(days=day), datetime.time(9), tzinfo=WITA
        )
        slots.append(
            clashes.Slot(at, at + datetime.timedelta(hours=2), "Aula", frozenset({users[0].pk}))
        )
    return facility, [i.pk for i in inmates], slots


def main() -> None:
    facility, people, slots = build()

    def check() -> list[list[str]]:
        return clashes.find(facility_id=facility.pk, tz=WITA, slots=slots, inmate_ids=people)

    with CaptureQueriesContext(connection) as queries:
        found = check()
    timings = []
    for _ in range(REPEAT):
        started = time.perf_counter()
        check()
        timings.append((time.perf_counter() - started) * 1000)
    median, worst = statistics.median(timings), max(timings)
    named = sum(len(f) for f in found)
    print(
        f"{connection.vendor}: {len(slots)} slots, {PEOPLE} participants, "
        f"{Session.objects.count()} other sessions, {PersonBlock.objects.count()} blocks"
    )
    print(f"{len(queries)} queries, {named} clashes named, {sum(1 for f in found if f)} slots")
    verdict = "under" if worst < 200 else "OVER"
    print(f"median {median:.1f} ms, worst {worst:.1f} ms: {verdict} the 200 ms target")


if __name__ == "__main__":
    main()
