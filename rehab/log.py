"""Log plumbing: the request (or Celery task) id on every line, and 4xx answers on one line.

Kept free of models: the logging configuration loads it before the apps are ready.
"""

from __future__ import annotations

import datetime
import logging
import re
import uuid
from contextvars import ContextVar
from typing import Any

# The id of the request being answered, or of the Celery task being run, in this thread.
current_id: ContextVar[str] = ContextVar("current_id", default="")

# An incoming X-Request-ID is kept only when it is a short token of these characters; anything
# else (spaces, quotes, newlines that would forge log lines, a megabyte of text) is replaced.
SAFE_ID = re.compile(r"[A-Za-z0-9._-]{1,64}")
# Where a view's 403 or 404 reason waits for the log line written after the middleware ran
# (a WSGI environ key, like "wsgi.input": never a header).
REASON_KEY = "rehab.log_reason"


def request_id_from(header: str | None) -> str:
    """Return the caller's request id if it is a safe token, otherwise a new one."""
    if header and SAFE_ID.fullmatch(header):
        return header
    return uuid.uuid4().hex


class Formatter(logging.Formatter):
    """Stamp each line in ISO 8601 with its UTC offset, to the millisecond: one deployment
    spans WIB, WITA and WIT, and the worker's lines must sort beside the web server's."""

    def formatTime(self, record: logging.LogRecord, datefmt: str | None = None) -> str:
        moment = datetime.datetime.fromtimestamp(record.created).astimezone()
        return moment.isoformat(timespec="milliseconds")


def reason_of(error: BaseException) -> str:
    """Return why a request was refused: the exception's message, else its name (the access
    helpers raise a bare Http404 or PermissionDenied)."""
    return str(error) or type(error).__name__


class RequestIdFilter(logging.Filter):
    """Put the current request or task id on the record as `request_id` ("-" outside both)."""

    def filter(self, record: logging.LogRecord) -> bool:
        rid = current_id.get()
        if not rid:
            # Django logs a returned 404 after the middleware has finished, with the request.
            request = getattr(record, "request", None)
            rid = getattr(request, "META", {}).get("HTTP_X_REQUEST_ID", "")
        record.request_id = rid or "-"
        return True


class ClientErrorFilter(logging.Filter):
    """Write a 4xx answer as one line (path, user, reason) instead of a traceback.

    A 403 or a 404 is the access rules working, not a fault; its traceback only buries the
    5xx lines, which keep theirs.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        status = getattr(record, "status_code", None)
        if not isinstance(status, int) or not 400 <= status < 500:
            return True
        request = getattr(record, "request", None)
        error = record.exc_info[1] if record.exc_info else None
        if error is not None:
            reason = reason_of(error)
        else:
            reason = getattr(request, "META", {}).get(REASON_KEY, "")
        line = f"{record.getMessage()} user={_user_of(request)} reason={_one_line(reason)}"
        record.msg, record.args = line, None
        record.exc_info, record.exc_text = None, None
        return True


def _user_of(request: Any) -> str:
    try:
        user = request.user
        return user.get_username() if user.is_authenticated else "-"
    except Exception:
        # No user on the request (the error came before authentication) or the session
        # store is down: the log line must be written all the same.
        return "-"


def _one_line(text: str) -> str:
    """Quote a reason so that no newline or control character reaches the log."""
    text = text[:200].encode("unicode_escape").decode("ascii").replace('"', '\\"')
    return f'"{text}"' if text else "-"
