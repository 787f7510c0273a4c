"""Time every page of the route table for each role on the national fixture, and on the largest
facility alone, and print median, p95, queries and the national/single ratio per page.

Run with `make bench-national` (or `.venv/bin/python bench/national.py`). It needs two databases
filled by `manage.py seed_scale`:

- DATABASE_URL: the national fixture (`seed_scale --facilities 530 --wbp 300000`, or smaller);
- BENCH_SINGLE_DATABASE_URL: the largest facility alone (default: DATABASE_URL's database name
  with `_single`). When it has no fixture, this script fills it with `seed_scale --facilities 1
  --wbp N`, N the size of the national fixture's largest facility.

Each leg runs in its own process (Django holds one default database): the pages every role of
the largest facility (upt-000) may open, GET only (the route table's POST_ONLY and the public
pages are left out), as the facility's own staff, counselor, health worker and warden and as
`supervisor.nasional` (all UPT in the national leg, one in the single leg); then the admin's
changelists and its WBP search as `admin.nasional`. REPEAT (default 7) timed requests a page
after one warm-up, 3 for PDFs, prints and exports. A page without an object of its kind in the
fixture (urine tests, notes, reports, imports) is listed as skipped. This is a measurement, not a
test: nothing here fails the build.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
REPEAT = int(os.environ.get("REPEAT", "7"))
SLOW_REPEAT = 3
SLOW_WORDS = ("print", "pdf", "export", "certificate", "letter", "download", "sheet")
TARGET_MS = 150.0
TARGET_RATIO = 1.3
LARGEST = "upt-000"
ROLE_USERS = {
    "staff": "staf.000",
    "counselor": "konselor.000",
    "health": "nakes.000",
    "warden": "karutan.000",
    "supervisor": "supervisor.nasional",
}


def single_url(url: str) -> str:
    base, _, name = url.rpartition("/")
    return f"{base}/{name.split('?')[0]}_single"


def setup(url: str) -> None:
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rehab.settings")
    os.environ.setdefault("ALLOWED_HOSTS", "testserver")
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    os.environ.setdefault("REHAB_REQUIRE_MFA", "false")
    os.environ.setdefault("REHAB_VAR_DIR", str(Path(tempfile.mkdtemp(prefix="rehab-bench-"))))
    Path(os.environ["REHAB_VAR_DIR"], "staticfiles").mkdir(parents=True, exist_ok=True)
    import django

    django.setup()


# --- one leg (a child process) -----------------------------------------------------------------


def objects_of(facility: Any) -> dict[str, Any]:
    """One object of each kind in the facility, picked the same way in both fixtures."""
    from assessments.models import Assessment, AssistScreening
    from programs.models import (
        Aftercare,
        Competency,
        Course,
        CourseMeeting,
        Enrolment,
        EnrolmentState,
        Session,
        SessionStatus,
        Trainee,
        TraineeState,
    )

    f = facility
    found: dict[str, Any] = {}
    done = Enrolment.objects.filter(facility=f, state=EnrolmentState.COMPLETED).order_by("id")
    active = Enrolment.objects.filter(facility=f, state=EnrolmentState.ACTIVE).order_by("id")
    completed, current = done.first(), active.first()
    if completed:
        found["completed_enrolment"] = completed
        found["inmate"] = completed.inmate
        found["assessment"] = completed.assessment
        found["screening"] = (
            AssistScreening.objects.filter(inmate=completed.inmate).order_by("id").first()
        )
    if current:
        found["enrolment"] = current
        found["cohort"] = current.cohort
        found["session"] = (
            Session.objects.filter(cohort=current.cohort, status=SessionStatus.HELD)
            .order_by("-starts_at")
            .first()
        )
    found.setdefault("assessment", Assessment.objects.filter(facility=f).order_by("id").first())
    found["aftercare"] = (
        Aftercare.objects.filter(facility=f, recorded_at__isnull=False).order_by("id").first()
    )
    trainee = Trainee.objects.filter(facility=f, state=TraineeState.ENROLLED).order_by("id")
    certified = Trainee.objects.filter(
        facility=f, state=TraineeState.COMPLETED, competency=Competency.COMPETENT
    ).order_by("id")
    found["trainee"] = trainee.first() or certified.first()
    found["certified_trainee"] = certified.first()
    if found["trainee"]:
        found["course"] = found["trainee"].course
    else:
        found["course"] = Course.objects.filter(facility=f).order_by("id").first()
    found["meeting"] = (
        CourseMeeting.objects.filter(course=found["course"]).order_by("starts_at").first()
    )
    return {kind: {"own": obj} for kind, obj in found.items() if obj is not None}


def fetch(client: Any, url: str) -> tuple[int, int]:
    """GET the page and read all of it; return the status and the size in bytes."""
    response = client.get(url)
    if getattr(response, "streaming", False):
        body = b"".join(response.streaming_content)
    else:
        body = response.content
    return response.status_code, len(body)


def time_page(client: Any, url: str, slow: bool) -> dict[str, Any]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        status, size = fetch(client, url)  # warm-up, and the query count
    count = len(queries)
    if status != 200:
        return {"status": status}
    timings = []
    for _ in range(SLOW_REPEAT if slow else REPEAT):
        started = time.perf_counter()
        fetch(client, url)
        timings.append((time.perf_counter() - started) * 1000)
    timings.sort()
    return {
        "status": status,
        "median": statistics.median(timings),
        "p95": timings[max(0, round(len(timings) * 0.95) - 1)],
        "queries": count,
        "kb": size / 1024,
    }


def run_leg(url: str, out: str) -> None:
    setup(url)
    from django.contrib import admin
    from django.contrib.auth import get_user_model
    from django.test import Client
    from django.urls import reverse

    from rehab import access
    from rehab.models import Facility
    from tests.routes import POST_ONLY, ROUTES, route_url

    facility = Facility.objects.get(code=LARGEST)
    objects = objects_of(facility)
    users = get_user_model().objects
    results: dict[str, Any] = {}
    for role, username in ROLE_USERS.items():
        user = users.get(username=username)
        client = Client()
        client.force_login(user)
        for name, (kind, action) in sorted(ROUTES.items()):
            if kind == "public" or name in POST_ONLY or name.startswith("mfa_"):
                continue
            if action is not None:
                if kind in ("list",):
                    if not access.facility_ids_for(user, action):
                        continue
                elif not access.can(user, action, facility):
                    continue
            key = f"{name} [{role}]"
            if kind not in ("signed_in", "list") and kind not in objects:
                results[key] = {"status": "no object"}
                continue
            page = route_url(name, kind, objects)
            results[key] = time_page(client, page, any(w in name for w in SLOW_WORDS))
            print(f"{key:<52} {json.dumps(results[key])}", file=sys.stderr, flush=True)

    client = Client()
    client.force_login(users.get(username="admin.nasional"))
    pages = [
        (f"admin {m._meta.app_label}.{m._meta.model_name}", f"admin:{m._meta.app_label}_"
         f"{m._meta.model_name}_changelist")
        for m in admin.site._registry
    ]  # fmt: skip
    for label, name in sorted(pages):
        results[label] = time_page(client, reverse(name), slow=False)
        print(f"{label:<52} {json.dumps(results[label])}", file=sys.stderr, flush=True)
    wbp = reverse("admin:inmates_inmate_changelist")
    number = objects["inmate"]["own"].registration_number if "inmate" in objects else "B.I"
    for label, query in (("name", "budi santoso"), ("registration no.", number)):
        results[f"admin WBP search by {label}"] = time_page(
            client, f"{wbp}?q={query.replace(' ', '+')}", slow=False
        )
    Path(out).write_text(json.dumps(results))


# --- both legs and the table -------------------------------------------------------------------


def create_database(url: str) -> None:
    """Create the PostgreSQL database of the URL if it does not exist."""
    import dj_database_url
    import psycopg

    conf = dj_database_url.parse(url)
    server: dict[str, Any] = {
        "host": conf.get("HOST") or None,
        "port": conf.get("PORT") or None,
        "user": conf.get("USER") or None,
        "password": conf.get("PASSWORD") or None,
    }
    with psycopg.connect(dbname="postgres", autocommit=True, **server) as db:
        if not db.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [conf["NAME"]]
        ).fetchone():
            db.execute(f'CREATE DATABASE "{conf["NAME"]}"')


def ensure_single(url: str, national: str) -> None:
    """Fill the single-facility database when it has no fixture yet."""
    env = {**os.environ, "DATABASE_URL": national}
    size = (
        subprocess.run(
            [sys.executable, __file__, "--largest-size"], env=env, check=True, capture_output=True
        )
        .stdout.decode()
        .strip()
    )
    create_database(url)
    env["DATABASE_URL"] = url
    manage = [sys.executable, str(ROOT / "manage.py")]
    subprocess.run([*manage, "migrate", "-v0"], env=env, check=True)
    has = subprocess.run(
        [*manage, "shell", "-c", f"from rehab.models import Facility;"
         f"print(Facility.objects.filter(code='{LARGEST}').exists())"],
        env=env, check=True, capture_output=True,
    ).stdout.decode().strip()  # fmt: skip
    if not has.endswith("True"):  # the shell may print what it imported first
        print(f"filling the single-facility database with {size} WBP", flush=True)
        subprocess.run(
            [*manage, "seed_scale", "--facilities", "1", "--wbp", size, "-v0"], env=env, check=True
        )
        analyze(url)


def analyze(url: str) -> None:
    """Give the planner its statistics, as autovacuum would some time after a bulk load."""
    import dj_database_url
    import psycopg

    conf = dj_database_url.parse(url)
    with psycopg.connect(
        dbname=conf["NAME"],
        host=conf.get("HOST") or None,
        port=conf.get("PORT") or None,
        user=conf.get("USER") or None,
        password=conf.get("PASSWORD") or None,
        autocommit=True,
    ) as db:
        db.execute("ANALYZE")


def main() -> None:
    national = os.environ.get("DATABASE_URL", "")
    if not national.startswith("postgres"):
        print("Set DATABASE_URL to the PostgreSQL database seeded by seed_scale.")
        sys.exit(2)
    single = os.environ.get("BENCH_SINGLE_DATABASE_URL") or single_url(national)
    ensure_single(single, national)
    work = tempfile.mkdtemp(prefix="rehab-bench-national-")
    legs = {}
    for leg, url in (("national", national), ("single", single)):
        out = f"{work}/{leg}.json"
        env = {**os.environ, "DATABASE_URL": url}
        subprocess.run([sys.executable, __file__, "--leg", out], env=env, check=True)
        legs[leg] = json.loads(Path(out).read_text())
    print_table(legs["national"], legs["single"])


def print_table(national: dict[str, Any], single: dict[str, Any]) -> None:
    load = Path("/proc/loadavg").read_text().split()[:3] if Path("/proc/loadavg").exists() else []
    print(f"\nREPEAT={REPEAT} ({SLOW_REPEAT} for PDFs, prints, exports); load {' '.join(load)}")
    head = f"{'page [role]':<52} {'med':>7} {'p95':>7} {'q':>4} {'single':>7} {'q':>4} {'ratio':>6}"
    print(head)
    print("-" * len(head))
    worst, ratios, unequal, skipped = 0.0, [], [], []
    for key in sorted(national):
        n, s = national[key], single.get(key, {})
        if "median" not in n:
            skipped.append(f"{key} ({n['status']})")
            continue
        ratio = n["median"] / s["median"] if s.get("median") else float("nan")
        ratios.append((ratio, key))
        worst = max(worst, n["p95"])
        if s.get("queries") is not None and s["queries"] != n["queries"]:
            unequal.append(f"{key} ({n['queries']} vs {s['queries']})")
        flag = " *" if n["p95"] > TARGET_MS or ratio > TARGET_RATIO else ""
        print(
            f"{key:<52} {n['median']:7.1f} {n['p95']:7.1f} {n['queries']:4d} "
            f"{s.get('median', float('nan')):7.1f} {s.get('queries', -1):4d} {ratio:6.2f}{flag}"
        )
    over = [k for r, k in ratios if national[k]["p95"] > TARGET_MS]
    high = sorted(((r, k) for r, k in ratios if r > TARGET_RATIO), reverse=True)
    print(
        f"\n{len(ratios)} pages timed (ms); * marks p95 > {TARGET_MS:.0f} or ratio > {TARGET_RATIO}"
    )
    print(f"worst p95 {worst:.1f} ms; {len(over)} pages over {TARGET_MS:.0f} ms")
    print(f"{len(high)} pages with national/single median > {TARGET_RATIO}")
    print(
        f"query counts differ on {len(unequal)} pages"
        + (": " + "; ".join(unequal) if unequal else "")
    )
    if skipped:
        print("not timed: " + "; ".join(skipped))


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--leg":
        run_leg(os.environ["DATABASE_URL"], sys.argv[2])
    elif sys.argv[1:] == ["--largest-size"]:
        setup(os.environ["DATABASE_URL"])
        from inmates.models import Inmate

        print(Inmate.objects.filter(facility__code=LARGEST).count())
    else:
        main()
