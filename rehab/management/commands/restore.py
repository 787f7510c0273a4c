"""`manage.py restore FILE [--force]`: restore an archive written by `manage.py backup`."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from rehab import backup


class Command(BaseCommand):
    help = (
        "Restore the database and the stored files from an archive of `manage.py backup`. "
        "Every checksum is verified first; a database that holds data is refused unless --force."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="The archive written by `manage.py backup`.")
        parser.add_argument(
            "--force",
            action="store_true",
            help="Restore over a database (and media directory) that already holds data.",
        )

    def handle(self, *args: Any, file: str, force: bool = False, **options: Any) -> None:
        try:
            result = backup.restore(file, force=force)
        except (backup.BackupError, OSError) as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            f"{file}: restored {result.tables} tables, {result.rows} rows, {result.files} files; "
            "row counts match the manifest"
        )
        for name in result.left_in_place:
            self.stdout.write(f"left in place (not in the backup): {name}")
