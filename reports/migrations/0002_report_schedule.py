"""Schedule the reports: on the 1st at 06:00 facility time, last month's programme report for
every active facility; the quarterly and yearly outcome reports likewise after their period.

One schedule per time zone (WIB, WITA, WIT), because "06:00 facility time" is a different
moment in each. They are django-celery-beat rows: editable, or switched off, in the admin.
"""

from django.db import migrations

TASK = "reports.tasks.queue_reports"
ZONES = [("WIB", "Asia/Jakarta"), ("WITA", "Asia/Makassar"), ("WIT", "Asia/Jayapura")]
SCHEDULES = [
    # kind, name, minute, hour, month_of_year
    ("monthly", "Laporan bulanan", "0", "6", "*"),
    ("quarterly", "Laporan hasil triwulanan", "30", "6", "1,4,7,10"),
    ("yearly", "Laporan hasil tahunan", "0", "7", "1"),
]


def forwards(apps, schema_editor):
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    for kind, label, minute, hour, months in SCHEDULES:
        for zone, tz in ZONES:
            crontab, _ = CrontabSchedule.objects.get_or_create(
                minute=minute, hour=hour, day_of_week="*", day_of_month="1",
                month_of_year=months, timezone=tz,
            )
            PeriodicTask.objects.get_or_create(
                name=f"{label} ({zone})",
                defaults={
                    "task": TASK, "crontab": crontab, "enabled": True,
                    "kwargs": f'{{"kind": "{kind}", "time_zone": "{tz}"}}',
                },
            )


def backwards(apps, schema_editor):
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    PeriodicTask.objects.filter(task=TASK).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0001_initial"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]
    operations = [migrations.RunPython(forwards, backwards)]
