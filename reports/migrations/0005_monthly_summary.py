# The stored monthly summaries (reports.summary). No data step: a missing summary is stored
# by its first reader.

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("rehab", "0011_log_ordering_indexes"),
        ("reports", "0004_plain_indonesian_labels"),
    ]

    operations = [
        migrations.CreateModel(
            name="MonthlySummary",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("year", models.PositiveSmallIntegerField(verbose_name="tahun")),
                ("month", models.PositiveSmallIntegerField(verbose_name="bulan")),
                ("figures", models.JSONField(default=dict, verbose_name="angka")),
                ("headline", models.JSONField(default=dict, verbose_name="angka utama")),
                (
                    "schema_version",
                    models.PositiveSmallIntegerField(verbose_name="versi susunan angka"),
                ),
                ("computed_at", models.DateTimeField(verbose_name="dihitung pada")),
                (
                    "facility",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="rehab.facility",
                        verbose_name="UPT",
                    ),
                ),
                (
                    "report",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to="reports.report",
                        verbose_name="laporan sumber",
                    ),
                ),
            ],
            options={
                "verbose_name": "ringkasan bulanan",
                "verbose_name_plural": "ringkasan bulanan",
                "constraints": [
                    models.UniqueConstraint(
                        fields=("facility", "year", "month"), name="monthly_summary_one_per_month"
                    ),
                    models.CheckConstraint(
                        condition=models.Q(("month__gte", 1), ("month__lte", 12)),
                        name="monthly_summary_month",
                    ),
                ],
            },
        ),
    ]
