"""Schedule the nightly backup (rehab.tasks.nightly_backup) at 02:00 WIB.

A django-celery-beat row: editable, or switched off, in the admin.
"""

from django.db import migrations

TASK = "rehab.tasks.nightly_backup"


def forwards(apps, schema_editor):
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    schedule, _ = CrontabSchedule.objects.get_or_create(
        minute="0", hour="2", day_of_week="*", day_of_month="*", month_of_year="*",
        timezone="Asia/Jakarta",
    )
    PeriodicTask.objects.get_or_create(
        name="Cadangan basis data dan berkas (malam)",
        defaults={"task": TASK, "crontab": schedule, "enabled": True},
    )


def backwards(apps, schema_editor):
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    PeriodicTask.objects.filter(task=TASK).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("rehab", "0003_fill_actor_names"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]
    operations = [migrations.RunPython(forwards, backwards)]
