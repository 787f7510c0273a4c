"""Stored files that follow their database row: written only once the row's transaction commits.

A file written inside a transaction outlives a rollback: a sign-off that failed after its PDF
was written would leave a PDF that says "signed" beside a report that is not. Every workflow
that stores a file names it in the row inside the transaction and hands the bytes to
`save_on_commit`; the bytes reach the storage only after the commit, under a temporary name
renamed into place, so a reader never sees half a file and a rollback leaves the old file.
"""

from __future__ import annotations

import logging
import os
import tempfile

from django.core.files.base import ContentFile
from django.core.files.storage import Storage
from django.db import transaction
from django.db.models.fields.files import FieldFile

logger = logging.getLogger(__name__)


def save_on_commit(field_file: FieldFile, name: str, content: bytes) -> None:
    """Point the field at `name` now and write `content` there once the transaction commits.

    The name is fixed by the caller (facility, period, version), so a retry overwrites its own
    earlier attempt instead of leaving a second file.
    """
    field = field_file.field
    full_name = field.generate_filename(field_file.instance, name)
    field_file.name = full_name
    storage = field_file.storage

    def write() -> None:
        try:
            _replace(storage, full_name, content)
        except OSError:
            # The row is committed; the file can be written again by regenerating it.
            logger.exception("could not write %s after commit", full_name)
            raise

    transaction.on_commit(write, robust=False)


def _replace(storage: Storage, name: str, content: bytes) -> None:
    """Write the file under a temporary name in its folder and rename it into place."""
    try:
        path = storage.path(name)
    except NotImplementedError:
        # A storage without local paths (object storage) replaces the object in one call.
        storage.delete(name)
        storage.save(name, ContentFile(content))
        return
    folder = os.path.dirname(path)
    os.makedirs(folder, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=folder, prefix=".partial-", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(content)
            file.flush()
            os.fsync(file.fileno())
        os.chmod(temporary, 0o644)
        os.replace(temporary, path)
    except BaseException:
        if os.path.exists(temporary):
            os.unlink(temporary)
        raise
