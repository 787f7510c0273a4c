"""Background jobs of the rehab app: thin wrappers that call one service."""

from celery import shared_task

from rehab import backup
from rehab.celery import TRANSIENT_ERRORS


@shared_task(autoretry_for=TRANSIENT_ERRORS, retry_backoff=True, max_retries=3)
def nightly_backup() -> str:
    """Write a dated backup into REHAB_BACKUP_DIR, keep the newest REHAB_BACKUP_KEEP."""
    path, _deleted = backup.scheduled_backup()
    return str(path)


@shared_task(autoretry_for=TRANSIENT_ERRORS, retry_backoff=True, max_retries=3)
def apply_retention() -> int:
    """Anonymise the WBP released more than REHAB_RETENTION_YEARS ago; return how many."""
    from rehab import privacy

    return privacy.apply_retention().inmates


@shared_task(autoretry_for=TRANSIENT_ERRORS, retry_backoff=True, max_retries=3)
def notify_hourly() -> str:
    """Build the reminders where it is 07.00 and mail the digests due this hour."""
    from rehab import notifications

    created, sent = notifications.hourly()
    return f"{created} created, {sent} sent"
