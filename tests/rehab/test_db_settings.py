"""Database connection settings: kept for a minute on PostgreSQL, per request on SQLite."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
READ = (
    "import json, django; from django.conf import settings; d = settings.DATABASES['default'];"
    "print(json.dumps([d['CONN_MAX_AGE'], d['CONN_HEALTH_CHECKS']]))"
)


def connection_settings(**env: str) -> list:
    clean = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "DB_CONN_MAX_AGE")}
    clean.update(DJANGO_SETTINGS_MODULE="rehab.settings", **env)
    out = subprocess.run(
        [sys.executable, "-c", READ], cwd=ROOT, env=clean, check=True, capture_output=True
    )
    return json.loads(out.stdout)


def test_postgresql_keeps_connections_a_minute_and_checks_them_before_reuse() -> None:
    url = "postgres://rehab@db.example:5432/rehab"
    assert connection_settings(DATABASE_URL=url) == [60, True]
    assert connection_settings(DATABASE_URL=url, DB_CONN_MAX_AGE="0") == [0, True]


def test_sqlite_opens_its_file_per_request() -> None:
    assert connection_settings(DATABASE_URL="sqlite:////tmp/x.sqlite3") == [0, False]


def test_the_tests_themselves_do_not_keep_connections() -> None:
    from django.conf import settings as live

    assert live.DATABASES["default"]["CONN_MAX_AGE"] == 0
