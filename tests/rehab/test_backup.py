"""The restore drill: backup -> wipe -> restore gives back every row and every stored file.

Runs on the configured database: SQLite by default, PostgreSQL (pg_dump/pg_restore) in CI's
PostgreSQL leg. The restore replaces the whole test database, so these tests use
transactional_db (no wrapping transaction to restore under; the database is flushed after).
"""

from __future__ import annotations

import importlib
import io
import shutil
import tarfile
from pathlib import Path
from typing import Any

import pytest
from django.apps import apps as django_apps
from django.core.management import CommandError, call_command
from django.db import connection
from django_celery_beat.models import PeriodicTask

from inmates.models import Inmate
from rehab import backup
from reports.models import Report


def _backup(path: Path) -> str:
    out = io.StringIO()
    call_command("backup", str(path), stdout=out)
    return out.getvalue()


def _restore(path: Path, *args: str) -> str:
    out = io.StringIO()
    call_command("restore", str(path), *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def data(transactional_db: Any, route_objects: dict[str, Any], settings: Any) -> dict[str, Any]:
    # A second stored file, in a folder of its own, beside the two report PDFs.
    extra = Path(settings.MEDIA_ROOT) / "imports" / "2026" / "sdp.csv"
    extra.parent.mkdir(parents=True)
    extra.write_bytes(b"no_reg;nama\nAIII.1/2026;Budi\n")
    return route_objects


def test_backup_wipe_restore_gives_back_every_row_and_file(
    data: dict[str, Any], settings: Any, tmp_path: Path
) -> None:
    media = Path(settings.MEDIA_ROOT)
    rows_before = backup.row_counts()
    files_before = backup.file_checksums(media)
    assert len(files_before) == 3
    assert rows_before["inmates_inmate"] == Inmate.objects.count() >= 2  # every WBP the walk has

    archive = tmp_path / "rehab.tar.gz"
    printed = _backup(archive)
    assert "3 files" in printed

    with tarfile.open(archive) as tar:
        manifest = backup.read_manifest(tar)
    assert manifest["engine"] == connection.vendor
    assert manifest["row_counts"] == rows_before
    assert ["programs", "0009_completion_gate"] in manifest["migrations"]
    assert {n for n in manifest["files"] if n.startswith("media/")} == {
        f"media/{name}" for name in files_before
    }

    # The wipe: every table emptied, every stored file gone.
    call_command("flush", interactive=False, verbosity=0)
    shutil.rmtree(media)
    assert Inmate.objects.count() == 0
    assert not backup.database_in_use()

    printed = _restore(archive)
    assert "row counts match" in printed
    assert backup.row_counts() == rows_before
    assert backup.file_checksums(media) == files_before
    # The application reads the restored data and files as before.
    budi = Inmate.objects.get(full_name="Budi Santoso")
    assert budi.facility.code == "grogot-uji"
    report = Report.objects.get(pk=data["report"]["own"].pk)
    with report.file.open("rb") as stream:
        assert stream.read() == b"%PDF-1.7 test"


def _tamper(archive: Path, member: str, content: bytes, out: Path) -> None:
    """Copy archive to out with one member's bytes replaced and the manifest left as it was."""
    with tarfile.open(archive) as source, tarfile.open(out, "w:gz") as target:
        for info in source.getmembers():
            data = source.extractfile(info).read()
            if info.name == member:
                data = content
                info.size = len(data)
            target.addfile(info, io.BytesIO(data))


def test_a_tampered_archive_is_refused_naming_the_file(
    data: dict[str, Any], tmp_path: Path
) -> None:
    archive = tmp_path / "rehab.tar.gz"
    _backup(archive)
    tampered = tmp_path / "tampered.tar.gz"
    name = data["report"]["own"].file.name
    _tamper(archive, f"media/{name}", b"%PDF-1.7 forged", tampered)
    call_command("flush", interactive=False, verbosity=0)

    with pytest.raises(CommandError, match=rf"media/{name}: checksum does not match"):
        _restore(tampered)
    # Nothing was restored.
    assert Inmate.objects.count() == 0


def test_a_tampered_database_dump_is_refused(data: dict[str, Any], tmp_path: Path) -> None:
    people = Inmate.objects.count()
    archive = tmp_path / "rehab.tar.gz"
    manifest = backup.backup(archive)
    tampered = tmp_path / "tampered.tar.gz"
    _tamper(archive, manifest["database"], b"not a database", tampered)
    with pytest.raises(CommandError, match=rf"{manifest['database']}: checksum does not match"):
        _restore(tampered, "--force")
    assert Inmate.objects.count() == people  # nothing was restored over them


def test_restore_into_a_database_in_use_needs_force(
    data: dict[str, Any], settings: Any, tmp_path: Path
) -> None:
    archive = tmp_path / "rehab.tar.gz"
    _backup(archive)
    rows_before = backup.row_counts()
    own = data["inmate"]["own"]
    Inmate.objects.filter(pk=own.pk).update(full_name="Diubah Setelah Cadangan")

    with pytest.raises(CommandError, match="already holds data"):
        _restore(archive)
    assert Inmate.objects.get(pk=own.pk).full_name == "Diubah Setelah Cadangan"

    _restore(archive, "--force")
    assert Inmate.objects.get(pk=own.pk).full_name == "Budi Santoso"
    assert backup.row_counts() == rows_before


def test_restore_refuses_a_file_that_is_not_a_backup(transactional_db: Any, tmp_path: Path) -> None:
    bogus = tmp_path / "bogus.tar.gz"
    bogus.write_bytes(b"hello")
    with pytest.raises(CommandError, match="cannot be read as a backup archive"):
        _restore(bogus)


def test_nightly_backup_keeps_the_newest(
    transactional_db: Any, settings: Any, tmp_path: Path, clock: Any
) -> None:
    settings.REHAB_BACKUP_DIR = tmp_path / "backups"
    settings.REHAB_BACKUP_KEEP = 3
    from rehab.tasks import nightly_backup

    written = [nightly_backup() for _day in range(5) if not clock.shift(86_400)]
    kept = sorted(p.name for p in (tmp_path / "backups").iterdir())
    assert kept == sorted(Path(p).name for p in written[-3:])
    assert kept[-1] == "rehab-20261125-100000.tar.gz"


def test_the_nightly_backup_is_scheduled(db: Any) -> None:
    # A test with a live worker or a transactional database flushes the rows the migration
    # wrote: write them again (the migration is idempotent), then read what it schedules.
    importlib.import_module("rehab.migrations.0004_backup_schedule").forwards(django_apps, None)
    task = PeriodicTask.objects.get(task="rehab.tasks.nightly_backup")
    assert task.enabled
    assert (task.crontab.hour, task.crontab.minute) == ("2", "0")
