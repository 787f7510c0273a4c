"""`manage.py subject_access --facility CODE --reg-no NO --output FILE`: everything held about
one WBP, as a ZIP of data.json and a PDF summary (rehab/privacy.py). Audited."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from rehab import privacy


class Command(BaseCommand):
    help = (
        "Export everything held about one WBP (UU PDP subject access): a ZIP of data.json "
        "and a PDF summary. Recorded in the WBP's history."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--facility", required=True, help="Facility code (UPT).")
        parser.add_argument("--reg-no", required=True, help="The WBP's registration number.")
        parser.add_argument("--output", required=True, help="Where to write the ZIP.")

    def handle(self, *args: Any, facility: str, reg_no: str, output: str, **options: Any) -> None:
        inmate = privacy.find(facility, reg_no)
        if inmate is None:
            raise CommandError(
                _("Tidak ada WBP dengan nomor registrasi %(reg_no)s di UPT %(code)s.")
                % {"reg_no": reg_no, "code": facility}
            )
        result = privacy.export(inmate, channel="command")
        try:
            Path(output).write_bytes(result.zip_bytes)
        except OSError as error:
            raise CommandError(f"{output}: {error.strerror}") from error
        rows = sum(len(result.data[key]) for key, _title in privacy.SECTIONS)
        self.stdout.write(f"{output}: {rows} rows in {len(privacy.SECTIONS)} sections")
