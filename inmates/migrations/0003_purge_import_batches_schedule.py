"""Schedule the nightly purge of SDP uploads that were never confirmed.

An unconfirmed upload holds personal data (UU 27/2022 asks us to keep no more than needed), so
it is deleted after a day. The schedule is a django-celery-beat row: editable in the admin.
"""

from django.db import migrations

TASK = "inmates.tasks.purge_stale_import_batches"


def forwards(apps, schema_editor):
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    schedule, _ = CrontabSchedule.objects.get_or_create(
        minute="30", hour="1", day_of_week="*", day_of_month="*", month_of_year="*",
        timezone="Asia/Jakarta",
    )
    PeriodicTask.objects.get_or_create(
        name="Hapus unggahan SDP yang tidak dikonfirmasi",
        defaults={"task": TASK, "crontab": schedule, "enabled": True},
    )


def backwards(apps, schema_editor):
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    PeriodicTask.objects.filter(task=TASK).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("inmates", "0002_search_trigram_index"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]
    operations = [migrations.RunPython(forwards, backwards)]
