"""Run the reminders (rehab.tasks.notify_hourly) every hour on the hour: each run builds the
reminders of the facilities where it is 07.00 and mails the digests due that hour, so WITA's
come an hour before WIB's and WIT's an hour before WITA's.

A django-celery-beat row: editable, or switched off, in the admin.
"""

from django.db import migrations

TASK = "rehab.tasks.notify_hourly"


def forwards(apps, schema_editor):
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    schedule, _ = CrontabSchedule.objects.get_or_create(
        minute="0", hour="*", day_of_week="*", day_of_month="*", month_of_year="*",
        timezone="Asia/Jakarta",
    )
    PeriodicTask.objects.get_or_create(
        name="Notifikasi dan ringkasan e-mail pukul 07.00 waktu setempat (tiap jam)",
        defaults={"task": TASK, "crontab": schedule, "enabled": True},
    )


def backwards(apps, schema_editor):
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    PeriodicTask.objects.filter(task=TASK).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("rehab", "0009_notifications"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]
    operations = [migrations.RunPython(forwards, backwards)]
