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


def parse_admins(value: str) -> list[tuple[str, str]]:
    """Read REHAB_ADMINS, "Name <mail>, Other <mail2>", into Django's ADMINS; raise
    ValueError naming an entry that is not a name and an address."""
    from email.utils import parseaddr

    admins = []
    for entry in value.split(","):
        if not entry.strip():
            continue
        name, address = parseaddr(entry.strip())
        local, _at, domain = address.partition("@")
        if not local or not domain or " " in address:
            raise ValueError(f"{entry.strip()!r} is not 'Name <address@domain>'")
        admins.append((name or address, address))
    return admins


class AdminMailHandler(logging.Handler):
    """Mail an error (a 500, a failed task) to ADMINS without the personal data it may carry.

    Django's AdminEmailHandler sends the request's path in the subject and, in the body, the
    POST data, the settings and every local variable of every frame: names, NIK, health
    results. This one sends the URL pattern (`wbp/<int:pk>/`, never the values), the request
    or task id, the exception's class and the frames' file, line and code, and nothing else:
    the full traceback with its message is in the log line with that id.
    """

    def __init__(self) -> None:
        super().__init__(level=logging.ERROR)

    def emit(self, record: logging.LogRecord) -> None:
        try:
            from django.core.mail import mail_admins

            subject, body = self.compose(record)
            mail_admins(subject, body, fail_silently=True)
        except Exception:
            self.handleError(record)

    @staticmethod
    def compose(record: logging.LogRecord) -> tuple[str, str]:
        import traceback

        request = getattr(record, "request", None)
        status = getattr(record, "status_code", None)
        match = getattr(request, "resolver_match", None)
        where = f"/{match.route}" if match is not None and match.route else ""
        method = getattr(request, "method", "") or ""
        error = record.exc_info[1] if record.exc_info else None
        kind = type(error).__name__ if error is not None else record.levelname
        if request is not None:
            subject = f"{status or 500} {kind} {method} {where or '(no URL pattern)'}"
        else:
            subject = f"{kind} in {record.name}"
        lines = [
            f"id: {getattr(record, 'request_id', None) or current_id.get() or '-'}",
            f"logger: {record.name}",
            f"level: {record.levelname}",
        ]
        if request is not None:
            lines += [f"status: {status}", f"method: {method}", f"URL pattern: {where or '-'}"]
        if error is not None and error.__traceback__ is not None:
            lines += ["", f"{type(error).__module__}.{type(error).__qualname__}", ""]
            for frame in traceback.extract_tb(error.__traceback__):
                lines.append(f'  File "{frame.filename}", line {frame.lineno}, in {frame.name}')
                if frame.line:
                    lines.append(f"    {frame.line}")
        lines += ["", "The message and the full traceback are in the log line with this id."]
        # No newline may reach a mail header.
        return " ".join(subject.split())[:150], "\n".join(lines)


def sentry_scrub(event: dict[str, Any], hint: dict[str, Any]) -> dict[str, Any]:
    """What Sentry receives, as little as the admins' mail: the exception's class and frames
    (file, function, the failing line; no local variables or the lines around it), the URL
    pattern (never the path's values), the request id; no message, no query string, body,
    cookies, headers or user."""
    for exception in (event.get("exception") or {}).get("values") or []:
        exception["value"] = ""  # the message may name the WBP
        for frame in (exception.get("stacktrace") or {}).get("frames") or []:
            for detail in ("vars", "pre_context", "post_context"):
                frame.pop(detail, None)
    request = event.get("request") or {}
    route = (event.get("transaction") or "").strip()
    event["request"] = {"method": request.get("method", ""), "url": route}
    event.pop("user", None)
    event.pop("breadcrumbs", None)
    event.pop("extra", None)
    event["logentry"] = {"message": "(see the log line with this id)"}
    event.pop("message", None)
    event.setdefault("tags", {})["request_id"] = current_id.get() or "-"
    return event


def init_sentry(dsn: str, *, environment: str, **options: Any) -> None:
    """Report errors of the web app and the worker to Sentry, scrubbed by `sentry_scrub`."""
    import sentry_sdk
    from sentry_sdk.integrations.celery import CeleryIntegration
    from sentry_sdk.integrations.django import DjangoIntegration

    sentry_sdk.init(
        dsn=dsn,
        environment=environment,
        integrations=[DjangoIntegration(transaction_style="url"), CeleryIntegration()],
        include_local_variables=False,
        max_request_body_size="never",
        traces_sample_rate=0.0,
        before_send=sentry_scrub,  # type: ignore[arg-type]
        **options,
    )
