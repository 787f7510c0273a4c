"""Give the existing access-log rows the WBP they concern (the target, or the WBP the target
belongs to) and the roles the user holds in the facility now: the best record there is of the
roles they held when they read."""

from typing import Any

from django.core.exceptions import FieldDoesNotExist
from django.db import migrations
from django.db.models import F, OuterRef, Subquery


def fill(apps: Any, schema_editor: Any) -> None:
    reads = apps.get_model("rehab", "AccessLog").objects
    memberships = apps.get_model("rehab", "Membership").objects
    reads.filter(target_type="inmates.inmate").update(inmate_id=F("target_id"))
    for label in set(reads.exclude(target_type="").values_list("target_type", flat=True)):
        try:
            model = apps.get_model(label)
            model._meta.get_field("inmate")
        except (LookupError, ValueError, FieldDoesNotExist):
            continue
        owner = model.objects.filter(pk=OuterRef("target_id")).values("inmate_id")[:1]
        reads.filter(target_type=label).update(inmate_id=Subquery(owner))
    # One update per account and facility, not per row.
    pairs = set(reads.values_list("user_id", "facility_id"))
    for user_id, facility_id in pairs:
        roles = sorted(
            set(
                memberships.filter(user_id=user_id, facility_id=facility_id).values_list(
                    "role", flat=True
                )
            )
        )
        reads.filter(user_id=user_id, facility_id=facility_id).update(roles=",".join(roles))


class Migration(migrations.Migration):
    dependencies = [
        ("rehab", "0007_access_log_inmate_and_roles"),
        # The models whose rows the log points at, to find the WBP each belongs to.
        ("inmates", "0005_inmate_name_key"),
        ("assessments", "0004_corrections_and_computed_reviews"),
        ("programs", "0009_completion_gate"),
    ]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
