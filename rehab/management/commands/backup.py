"""`manage.py backup FILE`: one archive of the database and the stored files (rehab/backup.py)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from rehab import backup


class Command(BaseCommand):
    help = (
        "Write one archive (tar.gz) of the database and every file under MEDIA_ROOT, "
        "with a manifest of checksums and row counts."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="Where to write the archive, e.g. rehab.tar.gz.")

    def handle(self, *args: Any, file: str, **options: Any) -> None:
        try:
            manifest = backup.backup(file)
        except (backup.BackupError, OSError) as error:
            raise CommandError(str(error)) from error
        rows = sum(manifest["row_counts"].values())
        media = sum(1 for name in manifest["files"] if name.startswith(backup.MEDIA_PREFIX))
        self.stdout.write(
            f"{file}: {manifest['engine']} database, {len(manifest['row_counts'])} tables, "
            f"{rows} rows, {media} files"
        )
