"""`manage.py load_holidays [--year 2027]`: put the national holidays, the cuti bersama and the
Ramadan hours of the year (every year of programs/scheduling/holidays.py without --year) on
every facility's calendar. Idempotent: a second run adds nothing."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from programs.scheduling import holidays
from rehab.models import Facility


class Command(BaseCommand):
    help = (
        "Load the Indonesian national holidays, cuti bersama and Ramadan hours of a year on the "
        "calendar of every facility; a day that already holds a holiday is left as it is."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--year", type=int, action="append", dest="years", default=[],
            help=f"Year to load (repeatable); known: {', '.join(map(str, holidays.YEARS))}.",
        )  # fmt: skip

    def handle(self, *args: Any, years: list[int], **options: Any) -> None:
        unknown = sorted(set(years) - set(holidays.YEARS))
        if unknown:
            raise CommandError(
                f"No holiday list for {', '.join(map(str, unknown))}: add it to "
                "programs/scheduling/holidays.py first."
            )
        with transaction.atomic():
            written = holidays.load_for(list(Facility.objects.values_list("pk", flat=True)), years)
        self.stdout.write(
            f"{written} calendar rows added for {', '.join(map(str, years or holidays.YEARS))}."
        )
