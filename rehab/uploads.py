"""Uploads stream to a temporary file and stop being kept past settings.IMPORT_MAX_BYTES.

A refused file reaches the form as a `RefusedUpload`: it has a name and a size, no content, so
the form can say "too large" beside the field while nothing was stored anywhere.
"""

from __future__ import annotations

import io
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.core.files.uploadhandler import TemporaryFileUploadHandler


class RefusedUpload(UploadedFile):
    """A file that was over the size limit; its bytes were read and thrown away."""

    def __init__(self, *, name: str, size: int) -> None:
        # A non-zero size, so that FileField does not call it empty before the form sees it.
        super().__init__(file=io.BytesIO(), name=name, size=max(size, 1))


# Room for the other fields and the multipart headers of a form carrying one file.
FORM_OVERHEAD_BYTES = 64 * 1024


class LimitedUploadHandler(TemporaryFileUploadHandler):
    """Write an upload to a temporary file until it passes the limit, then drop it."""

    def handle_raw_input(
        self,
        input_data: Any,
        META: dict[str, Any],
        content_length: int,
        boundary: str,
        encoding: str | None = None,
    ) -> None:
        # A request announcing more than the limit is refused before one byte is written.
        self.request_too_large = content_length > settings.IMPORT_MAX_BYTES + FORM_OVERHEAD_BYTES

    def new_file(self, *args: Any, **kwargs: Any) -> None:
        super().new_file(*args, **kwargs)
        self.received = 0
        self.refused = getattr(self, "request_too_large", False)
        if self.refused:
            self.file.close()

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes | None:
        self.received += len(raw_data)
        if not self.refused and self.received > settings.IMPORT_MAX_BYTES:
            self.refused = True
            # Closing a NamedTemporaryFile deletes it: what was written so far is gone.
            self.file.close()
        if self.refused:
            return None
        return super().receive_data_chunk(raw_data, start)

    def file_complete(self, file_size: int) -> UploadedFile | None:
        if self.refused:
            return RefusedUpload(name=self.file_name or "", size=self.received)
        return super().file_complete(file_size)
