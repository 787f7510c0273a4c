"""Measure the server time of the WBP list and search for a facility of 4,000 WBP.

Run with `make bench` (or `.venv/bin/python bench/inmate_list.py`). It builds a throw-away
database (SQLite in a temporary folder, or the PostgreSQL named by BENCH_DATABASE_URL), fills one
facility with 4,000 WBP, and times each page through Django's full request handling. The target
of the walking-skeleton issue is under 150 ms per request. This is a measurement, not a test:
nothing here fails the build.
"""

from __future__ import annotations

import datetime
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
work = tempfile.mkdtemp(prefix="rehab-bench-")
os.environ["DATABASE_URL"] = os.environ.get("BENCH_DATABASE_URL", f"sqlite:///{work}/bench.sqlite3")
os.environ["REHAB_VAR_DIR"] = work
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rehab.settings")
os.environ.setdefault("ALLOWED_HOSTS", "testserver")
os.environ.setdefault("LOG_LEVEL", "WARNING")
Path(work, "staticfiles").mkdir()

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402

from inmates.models import Inmate, normalise  # noqa: E402
from rehab.models import Facility, Membership  # noqa: E402

ROWS = 4000
REPEAT = 30
FIRST = [
    "Ahmad",
    "Budi",
    "Dedi",
    "Eko",
    "Fajar",
    "Hendra",
    "Irfan",
    "Joko",
    "Rudi",
    "Slamet",
    "Agus",
    "Bayu",
    "Rahmat",
    "Syahrul",
    "Wahyu",
    "Yusuf",
    "Andi",
    "Heri",
    "Muhammad",
    "Dian",
]
LAST = [
    "Saputra",
    "Santoso",
    "Hidayat",
    "Kurniawan",
    "Setiawan",
    "Wijaya",
    "Pratama",
    "Nugroho",
    "Siregar",
    "Lubis",
    "Hasibuan",
    "Gunawan",
    "Susanto",
    "Rahman",
    "Syahputra",
]


def build() -> tuple[Client, Facility]:
    """Create the schema, one facility with ROWS WBP and a signed-in staff member."""
    call_command("migrate", verbosity=0)
    facility = Facility.objects.create(
        name="Rutan Bench",
        code="bench",
        kind="rutan",
        facility_class="IIB",
        regency="Kabupaten Bench",
        province="Bench",
        time_zone="Asia/Makassar",
    )
    rng = random.Random(7)
    inmates = []
    for i in range(ROWS):
        name = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
        number = f"BI.{i:05d}/2025"
        born = f"{rng.randint(1, 28):02d}{rng.randint(1, 12):02d}{rng.randint(70, 99)}"
        nik = f"6401{rng.randint(10, 99)}{born}{i % 10000:04d}"
        inmates.append(
            Inmate(
                facility=facility,
                registration_number=number,
                register_class="B.I",
                full_name=name,
                nik=nik,
                sex="L",
                block=rng.choice("ABCD"),
                admission_date=datetime.date(2025, 1, 1) + datetime.timedelta(days=i % 600),
                search_text=normalise(f"{name} {number} {nik}"),
            )
        )
    Inmate.objects.bulk_create(inmates, batch_size=1000)
    user = get_user_model().objects.create_user("bench.staff", password="bench-password-2026")
    Membership.objects.create(user=user, facility=facility, role="staff")
    client = Client()
    client.force_login(user)
    return client, facility


def measure(
    client: Client,
    label: str,
    params: dict[str, str],
    headers: dict[str, str] | None = None,
    path: str = "/wbp/",
) -> float:
    """Time REPEAT requests of the page with these parameters and print a line."""
    client.get(path, params, headers=headers)  # warm caches and templates
    timings = []
    for _ in range(REPEAT):
        started = time.perf_counter()
        response = client.get(path, params, headers=headers)
        timings.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200
    median = statistics.median(timings)
    p95 = sorted(timings)[int(len(timings) * 0.95) - 1]
    context = response.context_data or {}  # a TemplateResponse keeps its context
    count = context["page"].paginator.count if "page" in context else len(context["found"])
    print(f"{label:<32} {median:7.1f} ms median {p95:7.1f} ms p95 {count:5d} rows")
    return p95


def main() -> None:
    client, _ = build()
    print(f"{connection.vendor}, {ROWS} WBP in one facility, {REPEAT} requests each")
    worst = max(
        measure(client, "list, first page", {}),
        measure(client, "list, page 80", {"page": "80"}),
        measure(client, "search by name (2 words)", {"q": "budi santoso"}),
        measure(client, "search by registration no.", {"q": "BI.01234"}),
        measure(client, "search by NIK prefix", {"q": "640155"}),
        measure(client, "filter block + status", {"block": "B", "status": "in_custody"}),
        measure(client, "htmx search fragment", {"q": "hidayat"}, {"HX-Request": "true"}),
        measure(client, "navbar suggestions (3 chars)", {"q": "bud"}, path="/wbp/cari/"),
        measure(client, "navbar suggestions (reg. no.)", {"q": "BI.01234"}, path="/wbp/cari/"),
    )
    verdict = "under" if worst < 150 else "OVER"
    print(f"worst p95 {worst:.1f} ms: {verdict} the 150 ms target")


if __name__ == "__main__":
    main()
