"""Kill the Celery worker of `bin/serve` while it holds a report, and time the recovery.

Run with `make bench` (or `.venv/bin/python bench/worker_restart.py`). It makes a throw-away
folder (REHAB_VAR_DIR, a SQLite database, the embedded file-system broker), migrates, starts
`sh bin/serve` on a free port (REHAB_PORT) and waits for the web server and the worker. Then it
does what "generate now" does (reports.services.report_request, then generate_report queued),
waits until the worker has taken the message off the queue, and SIGKILLs the worker's whole
process group (main process and pool: the task is lost with it). It shows that the web server
still answers GET /akun/masuk/, how long until a new worker is ready, and how long until the
report is produced (polled in the database). Exits 1 if the web stops answering, no worker is
back within 30 s or the report is not produced within 120 s.
"""

from __future__ import annotations

import datetime
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
work = Path(tempfile.mkdtemp(prefix="rehab-restart-"))
os.environ["REHAB_VAR_DIR"] = str(work)
os.environ["DATABASE_URL"] = f"sqlite:///{work}/bench.sqlite3"
os.environ.pop("CELERY_BROKER_URL", None)  # the embedded broker: what `make run` uses
os.environ["DJANGO_SETTINGS_MODULE"] = "rehab.settings"
with socket.socket() as probe:
    probe.bind(("127.0.0.1", 0))
    port = probe.getsockname()[1]
os.environ["REHAB_PORT"] = str(port)
BIN = Path(sys.executable).parent
os.environ["PATH"] = f"{BIN}:{os.environ['PATH']}"

WORKER_BACK_LIMIT = 30.0
REPORT_LIMIT = 120.0


def wait_for(what: str, condition: Callable[[], bool], seconds: float, step: float = 0.05) -> float:
    """Wait until the condition holds; return how long it took, or stop the run."""
    start = time.monotonic()
    while not condition():
        if time.monotonic() - start > seconds:
            raise SystemExit(f"FAIL: {what} not within {seconds:.0f} s")
        time.sleep(step)
    return time.monotonic() - start


def web_answers() -> bool:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/akun/masuk/", timeout=5) as page:
            return bool(page.status == 200)
    except OSError:
        return False


def worker_pids(serve: subprocess.Popen[bytes]) -> list[int]:
    """The worker main processes bin/serve runs (its children whose command is the worker)."""
    found = []
    for child in Path(f"/proc/{serve.pid}/task/{serve.pid}/children").read_text().split():
        try:
            command = Path(f"/proc/{child}/cmdline").read_bytes().split(b"\0")
        except FileNotFoundError:
            continue
        if b"worker" in command and any(part.endswith(b"celery") for part in command):
            found.append(int(child))
    return found


def log_count(*parts: str) -> int:
    """How many lines of bin/serve's output contain every one of the parts."""
    lines = (work / "serve.log").read_text(errors="replace").splitlines()
    return sum(1 for line in lines if all(part in line for part in parts))


def main() -> int:
    subprocess.run([sys.executable, "manage.py", "migrate", "-v0"], cwd=ROOT, check=True)
    import django

    django.setup()
    from rehab.models import Facility, FacilityClass, FacilityKind
    from reports import services, tasks
    from reports.models import Report, ReportStatus

    facility = Facility.objects.create(
        name="Rutan Kelas IIB Uji Mulai Ulang",
        code="uji-mulai-ulang",
        kind=FacilityKind.RUTAN,
        facility_class=FacilityClass.CLASS_IIB,
        regency="Kabupaten Paser",
        province="Kalimantan Timur",
        time_zone="Asia/Makassar",
    )
    log = (work / "serve.log").open("wb")
    serve = subprocess.Popen(
        ["sh", "bin/serve"], cwd=ROOT, stdin=subprocess.DEVNULL, stdout=log,
        stderr=subprocess.STDOUT, start_new_session=True,
    )  # fmt: skip
    try:
        up = wait_for("the web server", web_answers, 60, step=0.2)
        # The worker's start-up recovery has run: from here on only this run's report counts.
        started = lambda: log_count("requeue_stuck_reports[", "succeeded") == 1  # noqa: E731
        wait_for("the first worker", started, 90)
        [first] = worker_pids(serve)
        print(f"bin/serve up: web answers after {up:.1f} s, worker pid {first}")

        start = datetime.date.today().replace(day=1) - datetime.timedelta(days=1)
        report = services.report_request(
            facility=facility, kind="monthly", start=start.replace(day=1), by=None
        )
        tasks.generate_report.delay(facility.pk, "monthly", report.period_start.isoformat())
        queue = work / "celery-queue"
        taken = wait_for("the worker taking the task", lambda: not list(queue.iterdir()), 30)
        os.killpg(first, signal.SIGKILL)
        killed = time.monotonic()
        status = Report.objects.get(pk=report.pk).status
        print(f"report queued; worker took it after {taken:.2f} s; SIGKILL to its group")
        if status != ReportStatus.QUEUED:
            print(f"INCONCLUSIVE: the report was {status} before the kill landed")
            return 1

        answering = web_answers()
        print(f"web answers GET /akun/masuk/ right after the kill: {answering}")
        ready_before = log_count(" ready.")
        wait_for(
            "a new worker",
            lambda: log_count(" ready.") > ready_before and bool(worker_pids(serve)),
            WORKER_BACK_LIMIT,
        )
        back = time.monotonic() - killed
        print(f"a new worker (pid {worker_pids(serve)[0]}) is ready {back:.1f} s after the kill")

        def produced() -> bool:
            return Report.objects.get(pk=report.pk).status == ReportStatus.READY

        wait_for("the report", produced, REPORT_LIMIT, step=0.2)
        done = time.monotonic() - killed
        answering = answering and web_answers()
        print(f"the report is produced {done:.1f} s after the kill (status ready)")
        print(f"web answered throughout: {answering}")
        return 0 if answering else 1
    finally:
        serve.send_signal(signal.SIGTERM)
        try:
            serve.wait(timeout=60)
        except subprocess.TimeoutExpired:
            os.killpg(serve.pid, signal.SIGKILL)
        log.close()
        if os.environ.get("BENCH_KEEP"):
            print(f"kept {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
