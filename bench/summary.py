"""Time the supervisor's pages that read the stored monthly summaries (reports/summary.py) on
the national fixture: the regional roll-up and its PDF and the today page as
`supervisor.nasional`, and the 12-month trend of the largest facility (upt-000) counted from the
raw rows (indicators.trend) and read from the summaries (summary.trend). Prints median, p95 and
queries per measure.

    DATABASE_URL=postgres://... .venv/bin/python bench/summary.py [--prepare] [--widen 530]

The fixture of `manage.py seed_scale` has no reports: `--prepare` first stores last month's
monthly report of every facility and the year of reports of the largest (figures only, no PDF,
through services.build_figures), as the schedule's runs would. `--widen N` then adds copies of
the facilities, without WBP, up to N: the roll-up and the today page read one stored row per
facility, so this measures them at the country's 530 UPT without seeding 300,000 WBP. Run the
summary rows' refresh for the month so far first (`manage.py refresh_summaries`, as beat does).
A measurement, not a test.
"""

from __future__ import annotations

import datetime
import statistics
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
import national  # the setup and page timing of the national bench

REPEAT = national.REPEAT


def prepare() -> None:
    """Store last month's report of every facility, and the eleven months before it of the
    largest, figures only (the PDF is not measured), oldest first as the schedule would."""
    from django.utils import timezone

    from rehab.models import Facility
    from reports import services
    from reports.models import Report, ReportKind, ReportStatus, previous_period

    last, _end = previous_period(ReportKind.MONTHLY, timezone.localdate())
    starts = [last]
    while len(starts) < 12:
        starts.insert(0, previous_period(ReportKind.MONTHLY, starts[0])[0])
    for facility in Facility.objects.filter(active=True).order_by("pk"):
        for start in starts if facility.code == national.LARGEST else [last]:
            end = previous_period(ReportKind.MONTHLY, start + datetime.timedelta(days=40))[1]
            figures = services.build_figures(facility.pk, ReportKind.MONTHLY, start, end)
            Report.objects.update_or_create(
                facility=facility, kind=ReportKind.MONTHLY, period_start=start, current=True,
                defaults={"period_end": end, "figures": figures, "status": ReportStatus.READY,
                          "checksum": services.checksum(figures), "generated_at": timezone.now()},
            )  # fmt: skip
    print(f"stored the {last:%m-%Y} report of every facility", flush=True)


def widen(total: int) -> None:
    """Add copies of the fixture's facilities (no WBP: a copy's report and summary are those of
    the facility it copies) until there are `total`, all under supervisor.nasional: the pages
    that read one stored row per facility, at the country's count of facilities."""
    from django.apps import apps
    from django.contrib.auth import get_user_model

    from rehab.models import Facility, Membership, Role
    from reports.models import Report

    # None in the code before the summaries
    summaries: Any = apps.all_models["reports"].get("monthlysummary")
    originals = list(Facility.objects.filter(active=True).order_by("pk"))
    supervisor = get_user_model().objects.get(username="supervisor.nasional")
    have = Facility.objects.count()
    for n in range(have, total):
        source = originals[n % len(originals)]
        copy = Facility.objects.create(
            name=f"{source.name} (salinan {n})", code=f"salinan-{n}", kind=source.kind,
            facility_class=source.facility_class, regency=source.regency,
            province=source.province, time_zone=source.time_zone,
        )  # fmt: skip
        Membership.objects.create(user=supervisor, facility=copy, role=Role.SUPERVISOR)
        for report in Report.objects.filter(facility=source, current=True):
            report.pk, report.facility = None, copy
            report.save()
        if summaries is not None:
            for row in summaries.objects.filter(facility=source, report__isnull=True):
                row.pk, row.facility = None, copy
                row.save()
    print(f"{Facility.objects.count()} facilities", flush=True)


def time_call(call: Any) -> dict[str, Any]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    call()  # warm-up: a missing summary is stored here
    with CaptureQueriesContext(connection) as queries:
        call()  # the query count, as on every later call
    timings = []
    for _ in range(REPEAT):
        started = time.perf_counter()
        call()
        timings.append((time.perf_counter() - started) * 1000)
    timings.sort()
    return {
        "median": statistics.median(timings),
        "p95": timings[max(0, round(len(timings) * 0.95) - 1)],
        "queries": len(queries),
    }


def main() -> None:
    import os

    national.setup(os.environ["DATABASE_URL"])
    if "--prepare" in sys.argv:
        prepare()
    if "--widen" in sys.argv:
        widen(int(sys.argv[sys.argv.index("--widen") + 1]))
    from django.contrib.auth import get_user_model
    from django.test import Client
    from django.urls import reverse
    from django.utils import timezone

    from rehab.models import Facility
    from reports import indicators
    from reports.models import ReportKind, previous_period

    last = previous_period(ReportKind.MONTHLY, timezone.localdate())[0]
    client = Client()
    client.force_login(get_user_model().objects.get(username="supervisor.nasional"))
    rollup = f"{reverse('reports:rollup')}?periode={last:%m-%Y}"
    results = {
        "rollup [supervisor]": national.time_page(client, rollup, slow=False),
        "rollup_pdf [supervisor]": national.time_page(
            client, f"{reverse('reports:rollup_pdf')}?periode={last:%m-%Y}", slow=True
        ),
        "today [supervisor]": national.time_page(client, reverse("today"), slow=False),
    }
    largest = Facility.objects.get(code=national.LARGEST).pk
    results["indicators.trend upt-000"] = time_call(
        lambda: indicators.trend(largest, last.year, last.month, 12)
    )
    try:
        from reports import summary
    except ImportError:  # the code before the summaries
        pass
    else:
        results["summary.trend upt-000"] = time_call(
            lambda: summary.trend(largest, last.year, last.month, 12)
        )
    load = " ".join(Path("/proc/loadavg").read_text().split()[:3])
    facilities = Facility.objects.filter(active=True).count()
    print(f"\n{facilities} active UPT, REPEAT={REPEAT}; load {load}")
    print(f"{'measure':<32} {'med':>8} {'p95':>8} {'q':>4}")
    for key, r in results.items():
        if "median" not in r:
            print(f"{key:<32} status {r.get('status')}")
            continue
        print(f"{key:<32} {r['median']:8.1f} {r['p95']:8.1f} {r['queries']:4d}")


if __name__ == "__main__":
    main()
