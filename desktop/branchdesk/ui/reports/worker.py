"""Running report work off the UI thread, so the window keeps painting and answering while it runs.

A `Job` lives on the UI thread; its work runs on a pool thread and reports back through the job's
signals (queued to the UI thread). Work that reads the database opens its own read-only connection
to the file: an SQLite connection must stay on the thread that made it.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

from ...services.errors import ServiceError
from ...store.connection import StoreError, open_read_only
from ...store.database import Database

log = logging.getLogger(__name__)

# work(progress, cancelled): progress(done, total) as it goes; stops when cancelled() is true.
Work = Callable[[Callable[[int, int], None], Callable[[], bool]], Any]


class Job(QObject):
    """One piece of work: exactly one of `succeeded`, `failed`, `cancelled` or `crashed` follows."""

    progressed = Signal(int, int)
    succeeded = Signal(object)
    failed = Signal(str)  # a refusal, in Chinese (a file open in Excel, a bad request)
    cancelled = Signal()
    crashed = Signal(object)  # an unexpected exception, re-raised on the UI thread for the error hook

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._stop = threading.Event()
        self.running = False
        for signal in (self.succeeded, self.failed, self.cancelled, self.crashed):
            signal.connect(self._ended)
        self.crashed.connect(_raise)

    def cancel(self) -> None:
        self._stop.set()

    def is_cancelled(self) -> bool:
        return self._stop.is_set()

    def start(self, pool: QThreadPool, work: Work) -> Job:
        self.running = True
        pool.start(_Runnable(self, work))
        return self

    def _ended(self, *_args: object) -> None:
        self.running = False


class _Runnable(QRunnable):
    def __init__(self, job: Job, work: Work) -> None:
        super().__init__()
        self.job = job
        self.work = work

    def run(self) -> None:
        from ...services.exports import Cancelled

        job = self.job
        try:
            if job.is_cancelled():
                raise Cancelled
            result = self.work(job.progressed.emit, job.is_cancelled)
        except Cancelled:
            job.cancelled.emit()
        except (ServiceError, StoreError) as exc:
            job.failed.emit(str(exc))
        except Exception as exc:  # handed to the UI thread, where the error hook shows it
            log.exception("report job failed")
            job.crashed.emit(exc)
        else:
            job.succeeded.emit(result)


def _raise(exc: BaseException) -> None:
    raise exc


def reading(db_path: Path, read: Callable[[Database], Any]) -> Work:
    """Work that runs `read` on a connection of its own to `db_path`, closed afterwards."""
    def work(_progress: Callable[[int, int], None], _cancelled: Callable[[], bool]) -> Any:
        db = open_read_only(db_path)
        try:
            return read(db)
        finally:
            db.close()

    return work
