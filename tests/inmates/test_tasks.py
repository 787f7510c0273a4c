"""The nightly purge of SDP uploads: the service, and the task through a real Celery worker."""

from __future__ import annotations

import datetime
import importlib
import time
from typing import Any

import pytest
from django.apps import apps as django_apps
from django.utils import timezone
from django_celery_beat.models import PeriodicTask

from inmates import services, tasks
from inmates.models import ImportBatch
from tests.factories import FacilityFactory, UserFactory


def _batch(age: datetime.timedelta, *, applied: bool) -> ImportBatch:
    batch = ImportBatch.objects.create(
        facility=FacilityFactory(code="purge"),
        uploaded_by=UserFactory(username="pengunggah"),
        file_name="sdp.xlsx",
        content=b"PK-content",
        sha256="0" * 64,
        applied_at=timezone.now() if applied else None,
    )
    ImportBatch.objects.filter(pk=batch.pk).update(created_at=timezone.now() - age)
    return batch


@pytest.mark.django_db
def test_an_unconfirmed_upload_older_than_a_day_is_deleted_and_a_fresh_one_kept() -> None:
    old = _batch(datetime.timedelta(hours=25), applied=False)
    fresh = _batch(datetime.timedelta(hours=2), applied=False)
    assert services.import_batches_purge(older_than=datetime.timedelta(days=1)) == 1
    assert list(ImportBatch.objects.values_list("pk", flat=True)) == [fresh.pk]
    assert not ImportBatch.objects.filter(pk=old.pk).exists()


@pytest.mark.django_db
def test_a_confirmed_upload_keeps_its_summary_but_loses_the_file_after_a_day() -> None:
    batch = _batch(datetime.timedelta(days=3), applied=True)
    services.import_batches_purge(older_than=datetime.timedelta(days=1))
    batch.refresh_from_db()
    assert bytes(batch.content) == b""
    assert batch.applied_at is not None


@pytest.mark.worker
def test_the_purge_runs_through_a_real_worker(celery_worker: Any) -> None:
    _batch(datetime.timedelta(days=2), applied=False)
    result = tasks.purge_stale_import_batches.delay()
    deadline = timezone.now() + datetime.timedelta(seconds=30)
    while ImportBatch.objects.exists() and timezone.now() < deadline:
        time.sleep(0.2)
    assert result.id
    assert not ImportBatch.objects.exists()


@pytest.mark.django_db
def test_the_purge_is_on_the_beat_schedule() -> None:
    # A test with a live worker or a transactional database flushes the rows the migration
    # wrote: write them again (the migration is idempotent), then read what it schedules.
    importlib.import_module("inmates.migrations.0003_purge_import_batches_schedule").forwards(
        django_apps, None
    )
    task = PeriodicTask.objects.get(task="inmates.tasks.purge_stale_import_batches")
    assert task.enabled
    assert (task.crontab.hour, task.crontab.minute) == ("1", "30")
