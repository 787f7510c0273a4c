"""Background jobs of the inmates app: thin wrappers that call one service."""

import datetime

from celery import shared_task

from inmates import services
from rehab.celery import TRANSIENT_ERRORS


@shared_task(autoretry_for=TRANSIENT_ERRORS, retry_backoff=True, max_retries=3)
def purge_stale_import_batches() -> int:
    """Delete SDP uploads never confirmed within a day; return how many."""
    return services.import_batches_purge(older_than=datetime.timedelta(days=1))
