"""Backup and restore: one archive of the database and every stored file, with a manifest.

The archive is a gzipped tar holding

    manifest.json          when, which engine, the migration state, every member's sha256 and
                           size, and the row count of every table
    database.sqlite3       on SQLite: a copy made with the sqlite3 backup API (consistent while
                           the application writes)
    database.pgdump        on PostgreSQL: `pg_dump --format=custom`
    media/<path>           every file under MEDIA_ROOT

`restore` checks every checksum before it touches anything (a tampered archive is refused,
naming the member), refuses a database that already holds data unless forced, restores the
database and the files, and counts the rows of every table again against the manifest.
The restore drill is tests/rehab/test_backup.py; the README's "Backup dan restore" says how.
"""

from __future__ import annotations

import datetime
import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import IO, Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

MANIFEST = "manifest.json"
FORMAT_VERSION = 1
SQLITE_MEMBER = "database.sqlite3"
PG_MEMBER = "database.pgdump"
MEDIA_PREFIX = "media/"
# Tables whose rows mean "this database is in use": a restore over them needs --force. The
# tables that migrations fill by themselves (content types, permissions, the programme
# catalogue, the beat schedules) do not count.
DATA_TABLES = ("auth_user", "rehab_facility")
_CHUNK = 1024 * 1024


class BackupError(Exception):
    """A backup or a restore that cannot go on; the message says why."""


@dataclass
class RestoreResult:
    tables: int
    rows: int
    files: int
    left_in_place: list[str] = field(default_factory=list)


def _sha256(stream: IO[bytes]) -> tuple[str, int]:
    digest = hashlib.sha256()
    size = 0
    while chunk := stream.read(_CHUNK):
        digest.update(chunk)
        size += len(chunk)
    return digest.hexdigest(), size


def _engine() -> str:
    vendor = connection.vendor
    if vendor not in {"sqlite", "postgresql"}:
        raise BackupError(f"Database engine {vendor!r} is not supported by backup")
    return vendor


def row_counts() -> dict[str, int]:
    """Return the number of rows of every table of the database, by table name."""
    counts = {}
    with connection.cursor() as cursor:
        for table in sorted(connection.introspection.table_names(cursor)):
            cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)}")
            counts[table] = cursor.fetchone()[0]
    return counts


def migration_state() -> list[list[str]]:
    """Return the applied migrations, [app, name] in order of application."""
    with connection.cursor() as cursor:
        if "django_migrations" not in connection.introspection.table_names(cursor):
            return []
        cursor.execute("SELECT app, name FROM django_migrations ORDER BY id")
        return [[app, name] for app, name in cursor.fetchall()]


def database_in_use() -> bool:
    """Tell whether the database holds accounts or facilities (more than a fresh migrate)."""
    with connection.cursor() as cursor:
        tables = set(connection.introspection.table_names(cursor))
        for table in DATA_TABLES:
            if table in tables:
                cursor.execute(f"SELECT 1 FROM {connection.ops.quote_name(table)} LIMIT 1")
                if cursor.fetchone():
                    return True
    return False


def _pg_env_and_args() -> tuple[dict[str, str], list[str]]:
    params = connection.settings_dict
    env = dict(os.environ)
    if params.get("PASSWORD"):
        env["PGPASSWORD"] = str(params["PASSWORD"])
    args = []
    if params.get("HOST"):
        args += ["--host", str(params["HOST"])]
    if params.get("PORT"):
        args += ["--port", str(params["PORT"])]
    if params.get("USER"):
        args += ["--username", str(params["USER"])]
    return env, [*args, "--dbname", str(params["NAME"])]


def _pg_tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise BackupError(f"{name} is not on PATH: install the PostgreSQL client (version 15)")
    return path


def _run(command: list[str], env: dict[str, str]) -> None:
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise BackupError(f"{Path(command[0]).name} failed: {done.stderr.strip()}")


def _sqlite_state(path: Path) -> tuple[dict[str, int], list[list[str]]]:
    """Row counts and migrations read from the copy itself: exactly what it holds."""
    copy = sqlite3.connect(path)
    try:
        tables = [
            name
            for (name,) in copy.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name != 'sqlite_sequence'"
            )
        ]
        counts = {}
        for table in sorted(tables):
            quoted = '"' + table.replace('"', '""') + '"'
            counts[table] = copy.execute(f"SELECT COUNT(*) FROM {quoted}").fetchone()[0]
        migrations = []
        if "django_migrations" in counts:
            query = "SELECT app, name FROM django_migrations ORDER BY id"
            migrations = [[app, name] for app, name in copy.execute(query)]
        return counts, migrations
    finally:
        copy.close()


def _dump_database(engine: str, target: Path) -> tuple[dict[str, int], list[list[str]]]:
    """Write the database to target; return its row counts and migrations as of that copy."""
    if engine == "sqlite":
        connection.ensure_connection()
        destination = sqlite3.connect(target)
        try:
            connection.connection.backup(destination)
        finally:
            destination.close()
        return _sqlite_state(target)
    # PostgreSQL: count inside a repeatable-read transaction and have pg_dump read that very
    # snapshot, so that the counts are those of the dump even while the app keeps writing.
    if connection.in_atomic_block:
        raise BackupError("backup cannot run inside a transaction")
    env, args = _pg_env_and_args()
    dump = [_pg_tool("pg_dump"), "--format=custom", "--no-owner", "--file", str(target)]
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            cursor.execute("SELECT pg_export_snapshot()")
            snapshot = cursor.fetchone()[0]
        counts, migrations = row_counts(), migration_state()
        _run([*dump, f"--snapshot={snapshot}", *args], env)
    return counts, migrations


def _load_database(engine: str, source: Path) -> None:
    if engine == "sqlite":
        connection.ensure_connection()
        origin = sqlite3.connect(source)
        try:
            origin.backup(connection.connection)
        finally:
            origin.close()
    else:
        env, args = _pg_env_and_args()
        # Our own connection would hold locks the DROPs of --clean wait for.
        connection.close()
        _run(
            [
                _pg_tool("pg_restore"), "--clean", "--if-exists", "--no-owner",
                "--single-transaction", "--exit-on-error", *args, str(source),
            ],
            env,
        )  # fmt: skip


def media_files(root: Path) -> list[Path]:
    """Return every regular file under root, sorted, as paths relative to root."""
    if not root.is_dir():
        return []
    return sorted(p.relative_to(root) for p in root.rglob("*") if p.is_file())


def file_checksums(root: Path) -> dict[str, str]:
    """Return {relative path: sha256} of every file under root."""
    checksums = {}
    for relative in media_files(root):
        with open(root / relative, "rb") as stream:
            checksums[relative.as_posix()] = _sha256(stream)[0]
    return checksums


def backup(output: Path | str) -> dict[str, Any]:
    """Write the archive to output (atomically: a half-written archive never has its name);
    return the manifest."""
    output = Path(output)
    engine = _engine()
    media_root = Path(settings.MEDIA_ROOT)
    output.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=output.parent, prefix=".backup-") as work:
        db_member = SQLITE_MEMBER if engine == "sqlite" else PG_MEMBER
        db_file = Path(work) / db_member
        counts, migrations = _dump_database(engine, db_file)
        members: dict[str, Path] = {db_member: db_file}
        for relative in media_files(media_root):
            members[MEDIA_PREFIX + relative.as_posix()] = media_root / relative
        files = {}
        for name, path in members.items():
            with open(path, "rb") as stream:
                digest, size = _sha256(stream)
            files[name] = {"sha256": digest, "size": size}
        manifest = {
            "format": FORMAT_VERSION,
            "created_at": timezone.now().isoformat(),
            "engine": engine,
            "database": db_member,
            "migrations": migrations,
            "files": files,
            "row_counts": counts,
        }
        partial = Path(work) / "archive.tar.gz"
        with tarfile.open(partial, "w:gz") as archive:
            data = json.dumps(manifest, indent=2, sort_keys=True).encode()
            info = tarfile.TarInfo(MANIFEST)
            info.size = len(data)
            info.mtime = int(timezone.now().timestamp())
            archive.addfile(info, io.BytesIO(data))
            for name, path in members.items():
                archive.add(path, arcname=name, recursive=False)
        os.replace(partial, output)
    return manifest


def _safe_media_path(name: str) -> PurePosixPath:
    relative = PurePosixPath(name[len(MEDIA_PREFIX) :])
    if relative.is_absolute() or ".." in relative.parts or not relative.parts:
        raise BackupError(f"Archive member {name!r} points outside the media directory")
    return relative


def read_manifest(archive: tarfile.TarFile) -> dict[str, Any]:
    try:
        member = archive.getmember(MANIFEST)
    except KeyError:
        raise BackupError("The archive has no manifest.json: not a rehab backup") from None
    stream = archive.extractfile(member)
    if stream is None:
        raise BackupError("manifest.json in the archive is not a file")
    try:
        manifest = json.loads(stream.read())
    except ValueError as error:
        raise BackupError(f"manifest.json is not valid JSON: {error}") from None
    if manifest.get("format") != FORMAT_VERSION:
        raise BackupError(f"Unknown backup format {manifest.get('format')!r}")
    return manifest


def verify(archive: tarfile.TarFile, manifest: dict[str, Any]) -> None:
    """Check that the archive holds exactly the manifest's members with their checksums."""
    listed: dict[str, dict[str, Any]] = manifest["files"]
    present = {}
    for member in archive.getmembers():
        if member.name == MANIFEST:
            continue
        if member.name not in listed:
            raise BackupError(f"{member.name}: in the archive but not in the manifest")
        if not member.isfile():
            raise BackupError(f"{member.name}: not a regular file")
        stream = archive.extractfile(member)
        assert stream is not None
        present[member.name] = _sha256(stream)
    for name, expected in listed.items():
        if name not in present:
            raise BackupError(f"{name}: in the manifest but missing from the archive")
        digest, size = present[name]
        if digest != expected["sha256"] or size != expected["size"]:
            raise BackupError(f"{name}: checksum does not match the manifest (sha256 {digest})")
        if name.startswith(MEDIA_PREFIX):
            _safe_media_path(name)


def restore(source: Path | str, *, force: bool = False) -> RestoreResult:
    """Restore the archive at source into this database and MEDIA_ROOT; return what it did."""
    engine = _engine()
    media_root = Path(settings.MEDIA_ROOT)
    try:
        archive = tarfile.open(source, "r:*")  # noqa: SIM115 (closed by the with below)
    except (OSError, tarfile.TarError) as error:
        raise BackupError(f"{source}: cannot be read as a backup archive ({error})") from None
    with archive:
        manifest = read_manifest(archive)
        verify(archive, manifest)
        if manifest["engine"] != engine:
            raise BackupError(
                f"The backup is of a {manifest['engine']} database; this one is {engine}"
            )
        if not force and database_in_use():
            raise BackupError("The database already holds data: restore refused (use --force)")
        if not force and media_files(media_root):
            raise BackupError(f"{media_root} already holds files: restore refused (use --force)")
        with tempfile.TemporaryDirectory(prefix=".restore-") as work:
            db_file = Path(work) / manifest["database"]
            stream = archive.extractfile(manifest["database"])
            assert stream is not None
            with open(db_file, "wb") as out:
                shutil.copyfileobj(stream, out, _CHUNK)
            _load_database(engine, db_file)
        restored = 0
        for name in manifest["files"]:
            if not name.startswith(MEDIA_PREFIX):
                continue
            target = media_root.joinpath(*_safe_media_path(name).parts)
            target.parent.mkdir(parents=True, exist_ok=True)
            stream = archive.extractfile(name)
            assert stream is not None
            with open(target, "wb") as out:
                shutil.copyfileobj(stream, out, _CHUNK)
            restored += 1
    counts = row_counts()
    expected: dict[str, int] = manifest["row_counts"]
    for table, rows in expected.items():
        if counts.get(table) != rows:
            raise BackupError(
                f"After the restore table {table} has {counts.get(table)} rows, "
                f"the backup had {rows}"
            )
    in_archive = {n[len(MEDIA_PREFIX) :] for n in manifest["files"] if n.startswith(MEDIA_PREFIX)}
    extra = [p.as_posix() for p in media_files(media_root) if p.as_posix() not in in_archive]
    return RestoreResult(
        tables=len(expected), rows=sum(expected.values()), files=restored, left_in_place=extra
    )


def backup_directory() -> Path:
    return Path(settings.REHAB_BACKUP_DIR)


def scheduled_backup(now: datetime.datetime | None = None) -> tuple[Path, list[Path]]:
    """Write a dated archive into REHAB_BACKUP_DIR and delete all but the newest
    REHAB_BACKUP_KEEP; return the new archive and the deleted ones."""
    # Named in the server's time zone, whatever zone a request left active in this thread.
    moment = timezone.localtime(now or timezone.now(), ZoneInfo(settings.TIME_ZONE))
    directory = backup_directory()
    path = directory / f"rehab-{moment:%Y%m%d-%H%M%S}.tar.gz"
    backup(path)
    return path, rotate(directory, keep=settings.REHAB_BACKUP_KEEP)


def rotate(directory: Path, *, keep: int) -> list[Path]:
    """Delete the oldest rehab-*.tar.gz archives of directory beyond the newest `keep`."""
    # The names sort by time: rehab-YYYYmmdd-HHMMSS.tar.gz.
    archives = sorted(directory.glob("rehab-*.tar.gz"))
    doomed = archives[: max(len(archives) - max(keep, 1), 0)]
    for path in doomed:
        path.unlink()
    return doomed
