"""One bot process per SQLite database, while the operators' commands keep working.

Two bots on one database both send every awareness campaign and both answer the same
people (the SQLite store makes each write safe, not each job single). Until the
PostgreSQL store makes several workers safe, a bot holds an exclusive `flock` on a lock
file beside the database (`bot.db.lock`) for its whole life; a second bot finds it
taken and refuses to start. The kernel releases the lock when the process ends in any
way, kill -9 included, so a crash never leaves a stale lock to clean up by hand.

The command line's `complaints`, `outbox`, `quarantine` and `broadcast` never take the
lock; they ask `bot_running` (a shared lock tried and released at once). A bot that
starts in that instant retries for a moment before refusing, so the question never stops
a start.
"""

from __future__ import annotations

import fcntl
import os
import time
from pathlib import Path
from types import TracebackType

_START_GRACE_SECONDS = 1.0
_RETRY_SECONDS = 0.05


class AlreadyRunning(Exception):
    """Another bot process holds this database."""


def lock_path(database: Path) -> Path:
    return database.with_name(database.name + ".lock")


def _open(database: Path) -> int:
    database.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    return os.open(lock_path(database), os.O_RDWR | os.O_CREAT, 0o600)


class DatabaseLock:
    """`with DatabaseLock(path):` the body runs as the only bot on that database."""

    def __init__(self, database: Path) -> None:
        self.database = database
        self.fd: int | None = None

    def __enter__(self) -> DatabaseLock:
        if str(self.database) == ":memory:":
            return self
        fd = _open(self.database)
        deadline = time.monotonic() + _START_GRACE_SECONDS
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    holder = os.pread(fd, 32, 0).decode(errors="replace").strip()
                    os.close(fd)
                    raise AlreadyRunning(holder or "?") from None
                time.sleep(_RETRY_SECONDS)
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)  # for the refusal message
        self.fd = fd
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        if self.fd is not None:
            os.close(self.fd)  # closing the file releases the lock
            self.fd = None


def bot_running(database: Path) -> bool:
    """Whether a bot process holds `database` now (without ever holding it ourselves)."""
    if str(database) == ":memory:" or not lock_path(database).exists():
        return False
    fd = os.open(lock_path(database), os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
    except BlockingIOError:
        return True
    finally:
        os.close(fd)  # also releases the shared lock when it was taken
    return False
