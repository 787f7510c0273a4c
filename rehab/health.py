"""What /healthz checks: the database, the Celery broker and the file storage, each cheaply."""

from __future__ import annotations

import logging
import uuid

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import DatabaseError, connection

logger = logging.getLogger(__name__)

# A monitor asks every few seconds: a broker that does not answer in this long is down.
BROKER_TIMEOUT_SECONDS = 2


def database() -> bool:
    """Tell whether the database answers a SELECT 1."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError:
        logger.warning("health: database down", exc_info=True)
        return False
    return True


def broker() -> bool:
    """Tell whether the Celery broker accepts a connection."""
    from rehab.celery import app

    try:
        with app.connection_for_write(connect_timeout=BROKER_TIMEOUT_SECONDS) as conn:
            conn.ensure_connection(max_retries=1, timeout=BROKER_TIMEOUT_SECONDS)
    except Exception:  # kombu raises its own errors, the transport's, OSError: all mean down
        logger.warning("health: broker down", exc_info=True)
        return False
    return True


def storage() -> bool:
    """Tell whether a small file can be written to and deleted from the file storage."""
    try:
        name = default_storage.save(f".healthz-{uuid.uuid4().hex}", ContentFile(b"ok"))
        default_storage.delete(name)
    except OSError:
        logger.warning("health: storage down", exc_info=True)
        return False
    return True


CHECKS = {"database": database, "broker": broker, "storage": storage}
