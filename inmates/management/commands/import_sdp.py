"""`manage.py import_sdp --facility CODE FILE`: import WBP records from an SDP export."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.utils.translation import gettext as _

from inmates import services
from rehab.models import Facility


class Command(BaseCommand):
    help = (
        "Import WBP records from an SDP export (XLSX or CSV UTF-8) into one facility. "
        "Nothing is saved if any row is invalid."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="The SDP export, .xlsx or .csv.")
        parser.add_argument("--facility", required=True, help="Facility code (UPT).")
        parser.add_argument(
            "--dry-run", action="store_true", help="Check and report only; save nothing."
        )
        parser.add_argument(
            "--user",
            help="Username recorded as the importer; required unless --dry-run.",
        )

    def handle(
        self,
        *args: Any,
        file: str,
        facility: str,
        dry_run: bool = False,
        user: str | None = None,
        **options: Any,
    ) -> None:
        self.verbosity = int(options.get("verbosity", 1))
        target = Facility.objects.filter(code=facility).first()
        if target is None:
            raise CommandError(_("UPT dengan kode %(code)s tidak ada.") % {"code": facility})
        # Every change to a WBP record names who made it; a dry run changes nothing.
        by = self._user(user) if user or not dry_run else None
        path = Path(file)
        try:
            content = path.read_bytes()
        except OSError as error:
            raise CommandError(
                _("Berkas %(path)s tidak dapat dibaca: %(error)s")
                % {"path": file, "error": error.strerror}
            ) from error

        preview = services.import_preview(facility=target, file_name=path.name, content=content)
        self._report(preview)
        if not preview.is_clean:
            raise CommandError(
                "\n".join(preview.file_errors)
                or _("Impor dibatalkan: %(n)d baris tidak valid. Tidak ada data yang disimpan.")
                % {"n": len(preview.invalid)}
            )
        if dry_run:
            self.stdout.write(_("Uji coba (--dry-run): tidak ada data yang disimpan."))
            return
        # The batch is kept only if the import goes through.
        with transaction.atomic():
            batch = services.import_batch_create(
                facility=target, by=by, file_name=path.name, content=content
            )
            try:
                services.import_apply(batch=batch, by=by)
            except services.ImportNotClean as error:
                raise CommandError(error.message) from error
        self.stdout.write(self.style.SUCCESS(_("Impor selesai.")))

    def _user(self, username: str | None) -> Any:
        if not username:
            raise CommandError(
                _("Sebutkan --user (nama pengguna pengimpor), atau pakai --dry-run.")
            )
        found = get_user_model().objects.filter(username=username).first()
        if found is None:
            raise CommandError(_("Pengguna %(name)s tidak ada.") % {"name": username})
        return found

    def _report(self, preview: services.ImportPreview) -> None:
        """Print the counts, then every invalid row, then (with -v 2) every change."""
        if preview.file_errors:
            return
        self.stdout.write(
            _(
                "Baru: %(new)d, diperbarui: %(updated)d, tidak berubah: %(unchanged)d, "
                "tidak valid: %(invalid)d"
            )
            % preview.counts()
        )
        if preview.added:
            self.stdout.write(_("Jadwal sidang baru: %(n)d WBP") % {"n": len(preview.added)})
        for row in preview.invalid:
            self.stdout.write(
                _("Baris %(line)d (%(number)s):")
                % {"line": row.line, "number": row.registration_number or "-"}
            )
            for message in row.errors:
                self.stdout.write(f"  - {message}")
        if self.verbosity >= 2:
            for row in preview.updated:
                self.stdout.write(
                    _("Baris %(line)d (%(number)s) diperbarui:")
                    % {"line": row.line, "number": row.registration_number}
                )
                for name, (old, new) in row.changes.items():
                    self.stdout.write(f"  {name}: {old!r} -> {new!r}")
