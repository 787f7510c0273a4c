"""Send each hostile request of the hardening issue and print its server time and peak memory.

Run with `make bench` (or `.venv/bin/python bench/hostile.py`). It builds a throw-away SQLite
database in a temporary folder, one facility with a counsellor, staff and a warden, and sends
through Django's full request handling: a formset claiming a million rows (every formset), a
request with too many fields (every bulk screen), a 40 MB upload, an .xlsx zip bomb, a sheet of
2 million blank rows, and a giant cell. Peak memory is Python's own allocations during the
request (tracemalloc), the request body built by the test client included. This is a
measurement, not a test: nothing here fails the build.
"""

from __future__ import annotations

import datetime
import logging
import os
import random
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
work = tempfile.mkdtemp(prefix="rehab-bench-")
os.environ["DATABASE_URL"] = f"sqlite:///{work}/bench.sqlite3"
os.environ["REHAB_VAR_DIR"] = work
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rehab.settings")
os.environ.setdefault("ALLOWED_HOSTS", "testserver")
os.environ.setdefault("LOG_LEVEL", "CRITICAL")
Path(work, "staticfiles").mkdir()

import django  # noqa: E402

django.setup()
# Django logs each refused request with its traceback (django.security); the table is enough.
logging.disable(logging.CRITICAL)

from django.conf import settings  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.core.files.uploadedfile import SimpleUploadedFile  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.test import Client  # noqa: E402
from django.urls import reverse  # noqa: E402

from programs.models import CourseMeeting, Session  # noqa: E402
from rehab.models import Membership  # noqa: E402
from tests.factories import (  # noqa: E402
    AssessmentFactory,
    CohortFactory,
    CourseFactory,
    CredentialFactory,
    FacilityFactory,
    InmateFactory,
)
from tests.inmates.sdp_files import (  # noqa: E402
    blank_rows,
    sdp_row,
    sdp_xlsx,
    text_cell_row,
    xlsx_with_rows,
)

BOMB = "1000000"


def build() -> dict[str, Any]:
    """Create the schema, one facility with the objects each bulk screen needs, three users."""
    call_command("migrate", verbosity=0)
    facility: Any = FacilityFactory()
    clients, users = {}, {}
    for role in ("staff", "counselor", "warden"):
        users[role] = get_user_model().objects.create_user(f"bench.{role}", password="x" * 16)
        Membership.objects.create(user=users[role], facility=facility, role=role)
        clients[role] = Client()
        clients[role].force_login(users[role])
        clients[role].get(reverse("today"))
    CredentialFactory(user=users["counselor"])
    inmate = InmateFactory(facility=facility)
    cohort: Any = CohortFactory(facility=facility)
    course: Any = CourseFactory(facility=facility, created_by=users["staff"])
    start = datetime.datetime(2026, 3, 2, 2, tzinfo=datetime.UTC)
    end = start + datetime.timedelta(hours=2)
    return {
        "clients": clients,
        "facility": facility,
        "inmate": inmate,
        "draft": AssessmentFactory(inmate=inmate),
        "cohort": cohort,
        "course": course,
        "session": Session.objects.create(
            facility=facility,
            cohort=cohort,
            kind="group",
            starts_at=start,
            ends_at=end,
            created_by=users["counselor"],
        ),
        "meeting": CourseMeeting.objects.create(course=course, starts_at=start, ends_at=end),
    }


def measure(label: str, client: Client, url: str, data: Any, **kwargs: Any) -> None:
    """Print the status and time of one POST, and Python's peak allocation in a second one.

    Two sends, because tracemalloc slows Python down several times over. Each hostile request
    is refused, so sending it twice changes nothing (the two clean uploads store two batches).
    """
    if isinstance(data, dict):
        data = {k: v.open() if hasattr(v, "open") else v for k, v in data.items()}
    started = time.perf_counter()
    response = client.post(url, data, **kwargs)
    elapsed = time.perf_counter() - started
    if isinstance(data, dict):
        data = {k: v.open() if hasattr(v, "open") else v for k, v in data.items()}
    tracemalloc.start()
    client.post(url, data, **kwargs)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    print(
        f"{label:<62} {response.status_code:>4} {elapsed * 1000:>8.0f} ms {peak / 2**20:>7.1f} MB"
    )


def formset_bombs(w: dict[str, Any]) -> None:
    staff, counselor = w["clients"]["staff"], w["clients"]["counselor"]
    inmate_form = {"facility": w["facility"].pk, "registration_number": "BI.9/2026",
                   "full_name": "X", "sex": "L", "register_class": "B.I",
                   "admission_date": "05-01-2026"}  # fmt: skip
    for prefix, url in [
        ("articles", reverse("inmates:create")),
        ("articles", reverse("inmates:edit", args=[w["inmate"].pk])),
    ]:
        data = {**inmate_form, f"{prefix}-TOTAL_FORMS": BOMB, f"{prefix}-INITIAL_FORMS": BOMB}
        measure(f"formset bomb: {prefix} on {url}", staff, url, data)
    base = {"assessed_on": "01-02-2026", "final_tier": "sedang", "diagnosis_system": "icd10"}
    for prefix in ("domains", "uses", "plan"):
        counts = {f"{p}-TOTAL_FORMS": "0" for p in ("domains", "uses", "plan")}
        data = {**base, **counts, f"{prefix}-TOTAL_FORMS": BOMB, f"{prefix}-INITIAL_FORMS": BOMB}
        for url in (
            reverse("assessments:assessment_create", args=[w["inmate"].pk]),
            reverse("assessments:assessment_edit", args=[w["draft"].pk]),
        ):
            measure(f"formset bomb: {prefix} on {url}", counselor, url, data)


BULK_SCREENS = [
    ("programs:session_detail", "session", "counselor", "mark-{n}"),
    ("programs:meeting_detail", "meeting", "staff", "mark-{n}"),
    ("programs:cohort_enrol", "cohort", "counselor", "assessment"),
    ("programs:course_enrol", "course", "staff", "inmate"),
    ("programs:approvals", None, "warden", "enrolment"),
]


def field_bombs(w: dict[str, Any]) -> None:
    # 5,000 fields fit under the size limit and meet the field limit; a million meet the size.
    for many in (5_000, 1_000_000):
        for name, obj, role, field in BULK_SCREENS:
            url = reverse(name, args=[w[obj].pk] if obj else [])
            body = "&".join(f"{field.format(n=n)}=present" for n in range(many))
            label = f"{many:,} fields ({len(body) / 2**20:.1f} MB) to {name}"
            form = "application/x-www-form-urlencoded"
            measure(label, w["clients"][role], url, body, content_type=form)


def uploads(w: dict[str, Any]) -> None:
    staff, facility = w["clients"]["staff"], w["facility"]
    clean = sdp_xlsx(sdp_row(1), sdp_row(2))
    text = "".join(random.Random(1).choices("abcdefghijklmnop ", k=5_000_000))
    files = [
        ("40 MB upload", "wbp.csv", b"x" * (40 * 2**20)),
        ("xlsx zip bomb (200 MB sheet)", "wbp.xlsx",
         xlsx_with_rows(clean, [text_cell_row(4, "x" * 200_000_000)])),
        ("xlsx 2 million blank rows, no <dimension>", "wbp.xlsx",
         xlsx_with_rows(clean, blank_rows(4, 2_000_000))),
        ("xlsx 2 million blank rows, with <dimension>", "wbp.xlsx",
         xlsx_with_rows(clean, blank_rows(4, 2_000_000), keep_dimension=True)),
        ("xlsx giant cell (5 MB text)", "wbp.xlsx",
         xlsx_with_rows(clean, [text_cell_row(4, text)])),
        ("xlsx clean, 2 rows (for comparison)", "wbp.xlsx", clean),
    ]  # fmt: skip
    for label, name, content in files:
        data = {"facility": facility.pk, "file": SimpleUploadedFile(name, content)}
        measure(f"{label} [{len(content) / 2**20:.1f} MB]", staff, reverse("inmates:import"), data)


def main() -> None:
    world = build()
    fields, size = settings.DATA_UPLOAD_MAX_NUMBER_FIELDS, settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    print(f"limits: {fields} fields, {size:,} bytes, uploads {settings.REHAB_MAX_UPLOAD_MB} MB")
    print(f"{'request':<62} {'code':>4} {'time':>11} {'peak':>10}")
    formset_bombs(world)
    field_bombs(world)
    uploads(world)


if __name__ == "__main__":
    main()
