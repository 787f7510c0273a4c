"""Copy each existing entry's actor (and each access-log row's user) as the account is now:
the best record there is of who they were when they acted."""

from typing import Any

from django.conf import settings
from django.db import migrations


def _name(user: Any) -> str:
    return f"{user.first_name} {user.last_name}".strip() or user.username


def fill(apps: Any, schema_editor: Any) -> None:
    user_model = apps.get_model(settings.AUTH_USER_MODEL)
    entries = apps.get_model("rehab", "AuditEntry").objects
    reads = apps.get_model("rehab", "AccessLog").objects
    actor_ids = set(entries.exclude(actor=None).values_list("actor_id", flat=True))
    actor_ids |= set(reads.values_list("user_id", flat=True))
    # One update per account, not per row: there are few accounts and many rows.
    for user in user_model.objects.filter(pk__in=actor_ids).iterator():
        entries.filter(actor_id=user.pk).update(actor_username=user.username, actor_name=_name(user))
        reads.filter(user_id=user.pk).update(username=user.username, user_name=_name(user))


class Migration(migrations.Migration):
    dependencies = [("rehab", "0002_actor_as_it_was")]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
