"""Demo reports: ask the beat schedule to produce last month's reports once, right after
`make run` starts, so the archive has something to review and sign on the first visit."""

from __future__ import annotations

import json

from django.utils import timezone
from django_celery_beat.models import ClockedSchedule, PeriodicTask

from reports.models import ReportKind

FIRST_RUNS = [
    (ReportKind.MONTHLY, "Laporan bulanan pertama (demo, sekali jalan)"),
    (ReportKind.QUARTERLY, "Laporan hasil triwulanan pertama (demo, sekali jalan)"),
]


def schedule_first_reports() -> int:
    """Add one-off beat entries that queue the last complete period's reports now."""
    clocked = ClockedSchedule.objects.create(clocked_time=timezone.now())
    for kind, name in FIRST_RUNS:
        PeriodicTask.objects.update_or_create(
            name=name,
            defaults={
                "task": "reports.tasks.queue_reports",
                "clocked": clocked,
                "crontab": None,
                "interval": None,
                "one_off": True,
                "enabled": True,
                "kwargs": json.dumps({"kind": kind.value}),
            },
        )
    return len(FIRST_RUNS)
