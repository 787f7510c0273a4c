"""The embedded broker of `make run`: a message is in the queue whole or not at all."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from queue import Empty
from typing import Any

import pytest
from kombu import Connection

from rehab.celery import AtomicFileSystemTransport


@pytest.fixture
def channel(tmp_path: Path) -> Any:
    folder = str(tmp_path / "queue")
    os.makedirs(folder)
    options = {"data_folder_in": folder, "data_folder_out": folder, "store_processed": False}
    with Connection(
        "filesystem://", transport=AtomicFileSystemTransport, transport_options=options
    ) as connection:
        yield connection.default_channel


def test_a_message_being_written_is_not_taken_by_the_worker(
    channel: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen_while_writing = []
    real_fsync = os.fsync

    def worker_polls_meanwhile(fd: int) -> None:
        real_fsync(fd)
        with pytest.raises(Empty):
            channel._get("celery")
        seen_while_writing.append("nothing")

    monkeypatch.setattr(os, "fsync", worker_polls_meanwhile)
    channel._put("celery", {"body": "laporan bulanan"})
    assert seen_while_writing == ["nothing"]
    assert channel._get("celery") == {"body": "laporan bulanan"}


def test_the_queue_folder_holds_no_partial_file_after_a_put(channel: Any) -> None:
    channel._put("celery", {"body": "x"})
    names = os.listdir(channel.data_folder_out)
    assert len(names) == 1 and names[0].endswith(".celery.msg")


def test_make_run_s_embedded_broker_uses_the_whole_message_transport(tmp_path: Path) -> None:
    # The tests themselves run on memory://, so ask a fresh interpreter configured as `make run`.
    probe = (
        "import django; django.setup(); from rehab.celery import app; "
        "print(type(app.connection_for_write().transport).__name__)"
    )
    env = {**os.environ, "CELERY_BROKER_URL": "filesystem://", "REHAB_VAR_DIR": str(tmp_path)}
    out = subprocess.run(
        [sys.executable, "-c", probe], env=env, capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == "AtomicFileSystemTransport"
