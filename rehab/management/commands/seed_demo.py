"""`manage.py seed_demo`: fill the database with the demo organisation, accounts, WBP and
their screenings, tests and assessments, and the programmes they are placed in."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import transaction

from assessments import demo as assessments_demo
from inmates import demo as inmates_demo
from programs import demo as programs_demo
from programs import demo_aftercare
from rehab import demo as rehab_demo
from rehab.models import Facility
from reports import demo as reports_demo


class Command(BaseCommand):
    help = (
        "Create the demo facilities, partner agencies, accounts and WBP. Safe to run again: "
        "nothing is duplicated."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Do nothing if any facility exists (for `make run` on an existing database).",
        )

    def handle(self, *args: Any, if_empty: bool = False, **options: Any) -> None:
        if if_empty and Facility.objects.exists():
            self.stdout.write("Database already has facilities; demo data not loaded.")
            return
        started = time.monotonic()
        # One transaction: a failure half-way leaves the database as it was.
        with transaction.atomic():
            org = rehab_demo.seed_organisation()
            created = inmates_demo.seed_inmates(org)
            assessed = assessments_demo.seed_assessments(org)
            programmes = programs_demo.seed_programs(org)
            aftercare = demo_aftercare.seed_aftercare(org)
            first_reports = reports_demo.schedule_first_reports()
            courses = programs_demo.seed_courses(org)
        for code, count in created.items():
            if count:
                self.stdout.write(f"{code}: {count} WBP created.")
            else:
                self.stdout.write(f"{code}: already has WBP, left as is.")
        for code, seeded in assessed.items():
            if seeded:
                self.stdout.write(f"{code}: {seeded}.")
            else:
                self.stdout.write(f"{code}: already has screenings, left as is.")
        for code, programme in programmes.items():
            if programme:
                self.stdout.write(f"{code}: {programme}.")
            else:
                self.stdout.write(f"{code}: already has cohorts, left as is.")
        for code, written in aftercare.items():
            if written:
                self.stdout.write(f"{code}: {written}.")
            else:
                self.stdout.write(f"{code}: already has release plans, left as is.")
        for code, seeded_courses in courses.items():
            if seeded_courses:
                self.stdout.write(f"{code}: {seeded_courses}.")
            else:
                self.stdout.write(f"{code}: already has skills courses, left as is.")
        self.stdout.write(
            f"{first_reports} report runs scheduled for the worker: last month's reports appear "
            "in the archive a minute after start."
        )
        self._print_accounts(org)
        self.stdout.write(
            self.style.SUCCESS(f"Demo data ready in {time.monotonic() - started:.1f} s.")
        )

    def _print_accounts(self, org: rehab_demo.DemoOrganisation) -> None:
        """Print the demo accounts as a table, then the shared password."""
        rows = [("username", "role", "facility"), *org.accounts]
        widths = [max(len(row[i]) for row in rows) for i in range(3)]
        self.stdout.write("")
        for n, row in enumerate(rows):
            line = "  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True))
            self.stdout.write(line.rstrip())
            if n == 0:
                self.stdout.write("  ".join("-" * w for w in widths))
        self.stdout.write(f"\nPassword for every account: {rehab_demo.DEMO_PASSWORD}")
