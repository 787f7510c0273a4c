"""The Celery application: configured from Django settings, tasks found in every app."""

import os
import uuid
from time import monotonic
from typing import Any

from celery import Celery
from celery.signals import task_postrun, task_prerun
from django.db import InterfaceError, OperationalError
from kombu.exceptions import ChannelError
from kombu.exceptions import OperationalError as BrokerError
from kombu.transport import filesystem
from kombu.utils.json import dumps

from rehab import log

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rehab.settings")


class _AtomicFileChannel(filesystem.Channel):
    """kombu's file-system channel, with messages that appear whole or not at all.

    kombu writes a message straight into the queue folder under its final name, so a worker
    polling the folder can take the file while the web server is still writing it and fail on
    half a message (JSONDecodeError), losing it. Here the message is written under a name the
    reader skips and renamed into the queue, which on one file system is atomic.
    """

    def _put(self, queue: str, payload: Any, **kwargs: Any) -> None:  # type: ignore[override]
        name = f"{round(monotonic() * 1000)}_{uuid.uuid4()}.{queue}.msg"
        final = os.path.join(self.data_folder_out, name)
        # The reader takes only names whose text after the first dot is "<queue>.msg".
        partial = os.path.join(self.data_folder_out, f".partial-{uuid.uuid4().hex}")
        try:
            with open(partial, "wb") as file:
                file.write(dumps(payload).encode())
                file.flush()
                os.fsync(file.fileno())
            os.replace(partial, final)
        except OSError as error:
            if os.path.exists(partial):
                os.unlink(partial)
            raise ChannelError(f"Cannot add file {final!r} to directory") from error


class AtomicFileSystemTransport(filesystem.Transport):
    """The embedded broker of `make run` (CELERY_BROKER_URL=filesystem://)."""

    Channel = _AtomicFileChannel


app = Celery("rehab")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

# What a task retries: failures that go away by themselves. The database restarting or locked
# (OperationalError, "database is locked" on SQLite), a connection it dropped (InterfaceError),
# the broker unreachable while a task queues another, and the OS: files, sockets, timeouts
# (ConnectionError and TimeoutError are OSErrors). Anything else is a bug: it fails at once,
# loudly, instead of running three more times.
TRANSIENT_ERRORS: tuple[type[Exception], ...] = (
    OperationalError,
    InterfaceError,
    BrokerError,
    OSError,
)


@app.on_after_configure.connect
def _make_queue_folders(sender: Celery, **kwargs: object) -> None:
    # The file-system broker expects its folders to exist before the first message.
    options = sender.conf.broker_transport_options or {}
    for key in ("data_folder_in", "data_folder_out", "processed_folder", "control_folder"):
        if options.get(key):
            os.makedirs(options[key], exist_ok=True)


# The running task's id stands where a request's id stands on each log line it writes. A pool
# process (or thread) runs one task at a time, so a plain set and clear is enough.
@task_prerun.connect
def _log_task_id(task_id: str = "", **kwargs: Any) -> None:
    log.current_id.set(task_id)


@task_postrun.connect
def _forget_task_id(**kwargs: Any) -> None:
    log.current_id.set("")
