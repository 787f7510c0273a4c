"""`manage.py seed_scale`: fill the database with a national fixture for measuring."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from rehab import scale
from rehab.demo import DEMO_PASSWORD
from rehab.models import Facility


class Command(BaseCommand):
    help = (
        "Create a national fixture: many UPT in 34 provinces, their WBP and a year of "
        "screenings, assessments, programmes, attendance, skills courses, releases, follow-ups "
        "and log rows, with the account supervisor.nasional over all of them. For benchmarks "
        "(bench/national.py), never for a real database."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--facilities", type=int, default=530, help="UPT (default 530).")
        parser.add_argument("--wbp", type=int, default=300000, help="WBP in all (default 300000).")
        parser.add_argument("--seed", type=int, default=15, help="Random seed (default 15).")

    def handle(
        self, *args: Any, facilities: int, wbp: int, seed: int, verbosity: int = 1, **options: Any
    ) -> None:
        if facilities < 1 or wbp < facilities:
            raise CommandError("Need at least one facility and at least one WBP per facility.")
        if Facility.objects.filter(code__startswith=scale.CODE_PREFIX).exists():
            raise CommandError(
                f"The database already has a fixture (facility codes {scale.CODE_PREFIX}...): "
                "use an empty database."
            )
        started = time.monotonic()
        every = max(1, facilities // 20)

        def progress(done: int, total: int, facility: Facility) -> None:
            if verbosity and (done % every == 0 or done == total):
                self.stdout.write(f"{done}/{total} UPT written, {time.monotonic() - started:.0f} s")

        result = scale.Seeder(facilities, wbp, seed).run(progress)
        if verbosity:
            for label, count in sorted(result.counts.items()):
                self.stdout.write(f"{label:<32} {count:>10,}")
        self.stdout.write(
            self.style.SUCCESS(
                f"National fixture ready in {time.monotonic() - started:.1f} s. Sign in as "
                f"{scale.SUPERVISOR} (all UPT) or {scale.ADMIN} (admin site), password "
                f"{DEMO_PASSWORD}."
            )
        )
