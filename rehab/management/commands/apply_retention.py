"""`manage.py apply_retention [--dry-run]`: anonymise the WBP released more than
REHAB_RETENTION_YEARS ago (rehab/privacy.py); prints what it changed, or would change."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser

from rehab import privacy


class Command(BaseCommand):
    help = (
        "Anonymise the records of WBP released more than REHAB_RETENTION_YEARS (default 5) "
        "years ago: identity replaced, free text cleared, report figures kept. Audited."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--dry-run", action="store_true", help="Count what would be anonymised; change nothing."
        )

    def handle(self, *args: Any, dry_run: bool = False, **options: Any) -> None:
        result = privacy.apply_retention(dry_run=dry_run)
        verb = "would be anonymised" if dry_run else "anonymised"
        self.stdout.write(
            f"Released before {result.cutoff:%Y-%m-%d} "
            f"(REHAB_RETENTION_YEARS={settings.REHAB_RETENTION_YEARS}): "
            f"{result.inmates} WBP {verb}"
        )
        for kind, count in sorted(result.rows.items()):
            self.stdout.write(f"  {kind}: {count}")
        if dry_run:
            self.stdout.write("Dry run: nothing was changed.")
