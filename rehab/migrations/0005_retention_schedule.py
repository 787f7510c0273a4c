"""Schedule the retention rule (rehab.tasks.apply_retention) on the 1st of each month, 03:30 WIB.

A django-celery-beat row: editable, or switched off, in the admin.
"""

from django.db import migrations

TASK = "rehab.tasks.apply_retention"


def forwards(apps, schema_editor):
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    schedule, _ = CrontabSchedule.objects.get_or_create(
        minute="30", hour="3", day_of_week="*", day_of_month="1", month_of_year="*",
        timezone="Asia/Jakarta",
    )
    PeriodicTask.objects.get_or_create(
        name="Anonimkan data WBP yang melewati masa retensi (bulanan)",
        defaults={"task": TASK, "crontab": schedule, "enabled": True},
    )


def backwards(apps, schema_editor):
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    PeriodicTask.objects.filter(task=TASK).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("rehab", "0004_backup_schedule"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]
    operations = [migrations.RunPython(forwards, backwards)]
