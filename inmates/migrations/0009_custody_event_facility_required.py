"""CustodyEvent.facility required, with the index a facility's figures read (see 0006)."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("inmates", "0008_custody_event_facility")]

    operations = [
        migrations.AlterField(
            model_name="custodyevent",
            name="facility",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="rehab.facility",
                verbose_name="UPT",
            ),
        ),
        migrations.AddIndex(
            model_name="custodyevent",
            index=models.Index(
                fields=["facility", "kind", "occurred_on"], name="custody_facility_kind_on"
            ),
        ),
    ]
