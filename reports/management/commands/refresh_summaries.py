"""`manage.py refresh_summaries --year 2026 --month 10 [--facility CODE]`: store the month's
monthly summary of one facility (or of every active one) again, in this process, through the
same service as the roll-up's button and beat: a report's copy where the month has a report,
else counted from the data."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from rehab.models import Facility
from reports import services


class Command(BaseCommand):
    help = "Store the monthly summary of a facility (or of every active facility) again."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--year", type=int, required=True, help="e.g. 2026")
        parser.add_argument("--month", type=int, required=True, help="1 to 12")
        parser.add_argument("--facility", help="Facility code; default every active facility.")

    def handle(self, *args: Any, **options: Any) -> None:
        year, month = options["year"], options["month"]
        if not 1 <= month <= 12 or not 2000 <= year <= 2100:
            raise CommandError("--month must be 1 to 12 and --year a year such as 2026")
        facilities = Facility.objects.filter(active=True)
        if options["facility"]:
            facilities = Facility.objects.filter(code=options["facility"])
            if not facilities.exists():
                raise CommandError(f"No facility with code {options['facility']!r}.")
        for facility in facilities.order_by("code"):
            stored = services.summary_refresh(facility_id=facility.pk, year=year, month=month)
            source = f"report v{stored.report.version}" if stored.report else "counted"
            self.stdout.write(f"{facility.code} {month:02d}-{year}: {source}")
