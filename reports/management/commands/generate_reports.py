"""`manage.py generate_reports --facility CODE --kind monthly --period 2026-10` (or `--all`):
generate reports in this process, through the same exactly-once service as the schedule, and
print the path of each file."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from rehab.models import Facility
from reports import services
from reports.models import ReportKind, period_of, previous_period


class Command(BaseCommand):
    help = "Generate the report of a facility (or of every active facility) for a period."

    def add_arguments(self, parser: CommandParser) -> None:
        which = parser.add_mutually_exclusive_group(required=True)
        which.add_argument("--facility", help="Facility code, e.g. tanah-grogot.")
        which.add_argument("--all", action="store_true", help="Every active facility.")
        parser.add_argument(
            "--kind", choices=ReportKind.values, default=ReportKind.MONTHLY, help="Report kind."
        )
        parser.add_argument(
            "--period",
            help="YYYY-MM: the month, or a month inside the quarter or year. "
            "Default: the last complete period.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        kind = options["kind"]
        if options["period"]:
            try:
                day = datetime.datetime.strptime(options["period"], "%Y-%m").date()
            except ValueError:
                raise CommandError("--period must look like 2026-10") from None
            start, _end = period_of(kind, day)
        else:
            start, _end = previous_period(kind, datetime.date.today())
        if options["all"]:
            facilities = list(Facility.objects.filter(active=True).order_by("code"))
        else:
            facilities = list(Facility.objects.filter(code=options["facility"]))
            if not facilities:
                raise CommandError(f"No facility with code {options['facility']!r}.")
        for facility in facilities:
            report = services.report_generate(facility_id=facility.pk, kind=kind, start=start)
            self.stdout.write(
                f"{facility.code} {report.period_label} v{report.version} "
                f"{report.get_status_display()}: {report.file.path}"
            )
