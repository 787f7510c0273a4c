"""Index the search column for substring search on PostgreSQL (pg_trgm).

SQLite, the embedded default, has no trigram index; the search there scans one facility's rows,
which stays fast for the few thousand WBP of a Rutan.
"""

from django.db import migrations

CREATE = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE INDEX IF NOT EXISTS inmates_inmate_search_trgm "
    "ON inmates_inmate USING gin (search_text gin_trgm_ops)",
]
DROP = ["DROP INDEX IF EXISTS inmates_inmate_search_trgm"]


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for sql in CREATE:
            schema_editor.execute(sql)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for sql in DROP:
            schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("inmates", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards)]
