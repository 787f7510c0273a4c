"""Mixed traffic under gunicorn, as the issue measures it: requests per second and latency at
4, 16 and 32 connections.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/rehab_national \
        .venv/bin/python bench/throughput.py

It needs a database filled by `manage.py seed_scale` and Debian's `wrk`. It starts gunicorn
from gunicorn.conf.py on 127.0.0.1:8765 (WEB_CONCURRENCY and GUNICORN_THREADS size it, as in
production), signs in the largest facility's staff, counselor, health worker and warden and the
national supervisor (sessions written straight into the session store, MFA off), and has wrk
request a mixed list of their everyday pages: each connection walks the list from its own
starting point. DURATION (seconds, default 20) per level. wrk runs on the same two cores as the
server, so the figures are a floor. A measurement, not a test: nothing here fails the build.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
PORT = int(os.environ.get("BENCH_PORT", "8765"))
DURATION = int(os.environ.get("DURATION", "20"))
LEVELS = [int(n) for n in os.environ.get("CONNECTIONS", "4,16,32").split(",")]
TARGET_RPS = 50
TARGET_P95_MS = 500

# wrk's script: every request takes the next (path, cookie) of the list; at the end one JSON
# line with what the issue asks for (wrk's own summary has no p95).
LUA = """
local pages = {%(pages)s}
local counter = 0
function setup(thread)
  thread:set("start", math.random(#pages))
end
function init(args)
  counter = start
end
request = function()
  counter = counter %% #pages + 1
  local page = pages[counter]
  return wrk.format("GET", page[1], {["Cookie"] = page[2], ["Accept-Encoding"] = "gzip"})
end
done = function(summary, latency, requests)
  io.write(string.format(
    '{"requests": %%d, "seconds": %%f, "p50": %%f, "p95": %%f, "p99": %%f, '
    .. '"non200": %%d, "socket": %%d}\\n',
    summary.requests, summary.duration / 1e6, latency:percentile(50) / 1e3,
    latency:percentile(95) / 1e3, latency:percentile(99) / 1e3,
    summary.errors.status, summary.errors.connect + summary.errors.read + summary.errors.write
      + summary.errors.timeout))
end
"""


def environment() -> dict[str, str]:
    env = dict(os.environ)
    env.setdefault("DJANGO_SETTINGS_MODULE", "rehab.settings")
    env.setdefault("ALLOWED_HOSTS", "127.0.0.1,localhost")
    env.setdefault("LOG_LEVEL", "WARNING")
    env["REHAB_REQUIRE_MFA"] = "false"
    env.setdefault("REHAB_VAR_DIR", tempfile.mkdtemp(prefix="rehab-throughput-"))
    Path(env["REHAB_VAR_DIR"], "staticfiles").mkdir(parents=True, exist_ok=True)
    return env


def pages(env: dict[str, str]) -> list[tuple[str, str]]:
    """Sign the users in and list the (path, cookie) pairs wrk walks."""
    os.environ.update(env)
    import django

    django.setup()
    from importlib import import_module

    from django.conf import settings
    from django.contrib.auth import (
        BACKEND_SESSION_KEY,
        HASH_SESSION_KEY,
        SESSION_KEY,
        get_user_model,
    )
    from django.urls import reverse

    from inmates.models import Inmate
    from programs.models import Cohort
    from rehab.models import Facility
    from rehab.sessions import SIGNED_IN_AT

    store = import_module(settings.SESSION_ENGINE).SessionStore
    users = get_user_model().objects
    facility = Facility.objects.get(code="upt-000")
    inmate = Inmate.objects.filter(facility=facility).order_by("id").first()
    cohort = Cohort.objects.filter(facility=facility).order_by("-id").first()
    assert inmate is not None and cohort is not None, "no national fixture (seed_scale)"

    # The backend that signs people in (axes' comes first, but only guards the password).
    backend = next(b for b in settings.AUTHENTICATION_BACKENDS if "axes" not in b.lower())

    def cookie(username: str) -> str:
        user = users.get(username=username)
        session = store()
        session[SESSION_KEY] = str(user.pk)
        session[BACKEND_SESSION_KEY] = backend
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session[SIGNED_IN_AT] = time.time()
        session.create()
        return f"{settings.SESSION_COOKIE_NAME}={session.session_key}"

    everyday = [reverse("today"), reverse("inmates:list"), inmate.get_absolute_url()]
    listed = {
        "staf.000": [*everyday, reverse("programs:cohort_list"), f"{reverse('inmates:list')}?q=a"],
        "konselor.000": [*everyday, cohort.get_absolute_url(), reverse("programs:enrolment_list")],
        "nakes.000": everyday,
        "karutan.000": [*everyday, reverse("programs:approvals"), reverse("reports:archive")],
        "supervisor.nasional": [reverse("today"), reverse("reports:rollup")],
    }
    return [(path, cookie(name)) for name, paths in listed.items() for path in paths]


def wait_up(process: subprocess.Popen[bytes]) -> None:
    for _ in range(120):
        if process.poll() is not None:
            raise SystemExit("gunicorn did not start")
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{PORT}/healthz", timeout=2)
            return
        except OSError:
            time.sleep(0.5)
    raise SystemExit("gunicorn did not answer /healthz")


def main() -> None:
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        raise SystemExit("DATABASE_URL must name a PostgreSQL database filled by seed_scale")
    if shutil.which("wrk") is None:
        raise SystemExit("wrk not found: apt-get install wrk")
    env = environment()
    listed = pages(env)
    entries = ", ".join(f'{{"{path}", "{cookie}"}}' for path, cookie in listed)
    script = Path(env["REHAB_VAR_DIR"], "mixed.lua")
    script.write_text(LUA % {"pages": entries})
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "rehab.wsgi", "--bind", f"127.0.0.1:{PORT}"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        wait_up(server)
        print(f"{len(listed)} pages, {DURATION} s a level, load {os.getloadavg()[0]:.2f}")
        print(f"{'connections':>11} {'req/s':>7} {'p50 ms':>7} {'p95 ms':>7} {'p99 ms':>7} non-200")
        for connections in LEVELS:
            done = subprocess.run(
                ["wrk", "-t", "2", "-c", str(connections), "-d", f"{DURATION}s",
                 "--timeout", "10s", "-s", str(script), f"http://127.0.0.1:{PORT}"],
                capture_output=True, text=True, check=True,
            )  # fmt: skip
            line = next(x for x in done.stdout.splitlines() if x.startswith("{"))
            got = json.loads(line)
            rate = got["requests"] / got["seconds"]
            met = rate >= TARGET_RPS and got["p95"] <= TARGET_P95_MS
            print(
                f"{connections:>11} {rate:>7.1f} {got['p50']:>7.0f} {got['p95']:>7.0f} "
                f"{got['p99']:>7.0f} {got['non200'] + got['socket']:>7}  "
                f"{'meets' if met else 'misses'} >= {TARGET_RPS} req/s, p95 <= {TARGET_P95_MS}"
            )
    finally:
        server.terminate()
        server.wait(timeout=30)


if __name__ == "__main__":
    main()
