"""Add the name key of the duplicate check (inmates.matching.name_key) and fill it in."""

from django.db import migrations, models

from inmates.matching import name_key

BATCH = 1000


def fill_name_keys(apps, schema_editor):
    Inmate = apps.get_model("inmates", "Inmate")
    rows = Inmate.objects.only("pk", "full_name").order_by("pk")
    batch = []
    for inmate in rows.iterator(chunk_size=BATCH):
        inmate.name_key = name_key(inmate.full_name)[:150]
        batch.append(inmate)
        if len(batch) == BATCH:
            Inmate.objects.bulk_update(batch, ["name_key"])
            batch = []
    Inmate.objects.bulk_update(batch, ["name_key"])


class Migration(migrations.Migration):
    dependencies = [("inmates", "0004_inmate_previous_episode")]

    operations = [
        migrations.AddField(
            model_name="inmate",
            name="name_key",
            field=models.CharField(default="", editable=False, max_length=150),
        ),
        migrations.RunPython(fill_name_keys, migrations.RunPython.noop),
        migrations.AddIndex(
            model_name="inmate",
            index=models.Index(
                fields=["facility", "birth_date", "name_key"], name="inmate_birth_name_key"
            ),
        ),
    ]
