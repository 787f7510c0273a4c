"""CustodyEvent gets its WBP's facility, so a facility's release figures use an index
(facility, kind, occurred_on) instead of joining every WBP of the country.

Added empty and filled from the WBP in one UPDATE here; made required in 0007 (a separate
transaction: PostgreSQL refuses to alter a table with the deferred foreign-key checks of the
UPDATE still pending).
"""

import django.db.models.deletion
from django.db import migrations, models
from django.db.models import OuterRef, Subquery


def fill(apps, schema_editor):
    CustodyEvent = apps.get_model("inmates", "CustodyEvent")
    Inmate = apps.get_model("inmates", "Inmate")
    CustodyEvent.objects.filter(facility__isnull=True).update(
        facility_id=Subquery(Inmate.objects.filter(pk=OuterRef("inmate_id")).values("facility_id"))
    )


class Migration(migrations.Migration):
    dependencies = [
        ("inmates", "0007_transfers"),
        ("rehab", "0003_fill_actor_names"),
    ]

    operations = [
        migrations.AddField(
            model_name="custodyevent",
            name="facility",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="rehab.facility",
                verbose_name="UPT",
            ),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
