"""The per-user data folder and the log written there (design.md §9): on Linux and macOS the folder
is readable by the user only (0700) and a new database in it by the user only (0600); the log
rotates and carries no personal data."""

from __future__ import annotations

import logging
import os
import re
from pathlib import Path

LOGGER = "branchdesk"
LOG_BYTES = 1_000_000
LOG_FILES = 5
# Defence in depth: log lines name records by id, never by content, and an ID number (18 or 15
# characters) or a mobile number that slips into an exception message is masked.
_PERSONAL = re.compile(r"(?<![0-9A-Za-z])(?:\d{17}[\dXx]|\d{15}|1[3-9]\d{9})(?![0-9A-Za-z])")
# Program errors are in English; Chinese text in a log line is data (a name, an organization),
# so it is left out too.
_CHINESE = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]+")


def redact(text: str) -> str:
    return _CHINESE.sub("[…]", _PERSONAL.sub("***", text))


def data_folder() -> Path:
    from platformdirs import user_data_dir

    return private_folder(Path(user_data_dir("BranchDesk", appauthor=False)))


def private_folder(folder: Path) -> Path:
    """Create `folder` (and parents) if needed, readable by the user only on POSIX systems."""
    folder.mkdir(parents=True, exist_ok=True)
    if os.name == "posix":
        folder.chmod(0o700)
    return folder


def private_file(path: Path) -> None:
    """Create an empty `path` readable by the user only (SQLite gives its -wal and -shm files the
    same permissions); an existing file is left as it is."""
    if os.name == "posix" and not path.exists():
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))


class _Redact(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        text = record.getMessage()
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        record.msg, record.args = redact(text), None
        if record.exc_text:
            record.exc_text = redact(record.exc_text)
        return True


class _RotatingFile(logging.Handler):
    """A rotating log file opened on the first record: logging.handlers costs ~13 ms to import,
    which start-up need not pay when nothing is logged."""

    def __init__(self, path: Path) -> None:
        super().__init__()
        self.path = path
        self._file: logging.Handler | None = None

    def emit(self, record: logging.LogRecord) -> None:
        if self._file is None:
            from logging.handlers import RotatingFileHandler

            self._file = RotatingFileHandler(self.path, maxBytes=LOG_BYTES, backupCount=LOG_FILES,
                                             encoding="utf-8")
            self._file.setFormatter(self.formatter)
            if os.name == "posix":
                self.path.chmod(0o600)
        self._file.emit(record)

    def close(self) -> None:
        if self._file is not None:
            self._file.close()
        super().close()


def setup_logging(folder: Path | None = None) -> Path:
    """Log BranchDesk's operations to `folder`/branchdesk.log (the data folder's `logs` when None),
    rotating at 1 MB and keeping 5 files; the log file's path."""
    folder = private_folder(folder or data_folder() / "logs")
    path = folder / "branchdesk.log"
    logger = logging.getLogger(LOGGER)
    for old in [h for h in logger.handlers if isinstance(h, _RotatingFile)]:
        logger.removeHandler(old)
        old.close()
    handler = _RotatingFile(path)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.addFilter(_Redact())
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    return path


def log() -> logging.Logger:
    return logging.getLogger(LOGGER)
