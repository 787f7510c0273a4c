"""The national monthly batch through the real Celery worker: every active facility's monthly
report for the last complete month, as beat queues them on the 1st.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/rehab_national \\
        CELERY_BROKER_URL=redis://127.0.0.1:6379/11 .venv/bin/python bench/national_batch.py

It needs a database filled by `manage.py seed_scale` and a Redis broker. It deletes that
month's monthly reports first (a bench database: generating is idempotent, so reports already
made would cost nothing), starts `celery worker` as production does (WORKER_CONCURRENCY,
default 2; prefetch 1, a fresh child every 50 tasks), queues the batch with
reports.tasks.queue_reports, and waits until no report of the month is queued. It prints the
time from queueing to the last report, the reports per minute, what 530 facilities would take at
that rate, failures, and the largest resident memory of any worker process (sampled every
0.2 s). Targets of the national-scale issue: 530 reports in <= 5 min, worker RSS <= 600 MB.
A measurement, not a test: nothing here fails the build.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
CONCURRENCY = os.environ.get("WORKER_CONCURRENCY", "2")
NATIONAL = 530
TARGET_SECONDS = 300
TARGET_RSS_MB = 600


def rss_mb(root: int) -> float:
    """The largest resident set of the worker's processes (its main process and pool)."""
    largest = 0.0
    pending, seen = [root], set()
    while pending:
        pid = pending.pop()
        if pid in seen:
            continue
        seen.add(pid)
        try:
            status = Path(f"/proc/{pid}/status").read_text()
            children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
        except OSError:
            continue
        for line in status.splitlines():
            if line.startswith("VmRSS:"):
                largest = max(largest, int(line.split()[1]) / 1024)
        pending.extend(int(child) for child in children)
    return largest


def main() -> None:
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        raise SystemExit("DATABASE_URL must name a PostgreSQL database filled by seed_scale")
    if not os.environ.get("CELERY_BROKER_URL", "").startswith("redis"):
        raise SystemExit("CELERY_BROKER_URL must name a Redis broker")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rehab.settings")
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    os.environ.setdefault("REHAB_VAR_DIR", tempfile.mkdtemp(prefix="rehab-batch-"))
    import django

    django.setup()
    from django.utils import timezone

    from rehab.models import Facility
    from reports.models import Report, ReportKind, ReportStatus, previous_period
    from reports.tasks import queue_reports

    facilities = Facility.objects.filter(active=True).count()
    start, _end = previous_period(ReportKind.MONTHLY, timezone.localdate())
    month = Report.objects.filter(kind=ReportKind.MONTHLY, period_start=start)
    month.delete()
    worker = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "rehab", "worker", "--loglevel=WARNING",
         f"--concurrency={CONCURRENCY}", "--prefetch-multiplier=1", "--max-tasks-per-child=50",
         "--without-gossip", "--without-mingle", "--without-heartbeat"],
        cwd=ROOT, env=os.environ.copy(), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
        start_new_session=True,
    )  # fmt: skip
    largest = 0.0
    try:
        time.sleep(5)  # the worker's start, not part of the batch
        began = time.monotonic()
        queued = queue_reports.apply(args=(str(ReportKind.MONTHLY),)).get()
        while month.filter(status=ReportStatus.QUEUED).exists() or month.count() < queued:
            largest = max(largest, rss_mb(worker.pid))
            if worker.poll() is not None:
                raise SystemExit("the worker died")
            time.sleep(0.2)
        took = time.monotonic() - began
    finally:
        os.killpg(worker.pid, signal.SIGTERM)
        worker.wait(timeout=60)
    failed = month.filter(status=ReportStatus.FAILED).count()
    rate = queued / took * 60
    national = NATIONAL / rate * 60
    print(f"{facilities} facilities, monthly reports of {start:%m-%Y}, worker concurrency "
          f"{CONCURRENCY}, load {os.getloadavg()[0]:.2f} at the end")  # fmt: skip
    print(f"{queued} reports in {took:.1f} s ({rate:.1f} a minute), {failed} failed")
    print(f"530 facilities at that rate: {national:.0f} s (target <= {TARGET_SECONDS} s)")
    print(f"largest worker process: {largest:.0f} MB (target <= {TARGET_RSS_MB} MB)")


if __name__ == "__main__":
    main()
