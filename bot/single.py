"""SQLite is one process's database: a second bot on the same file refuses to start.

Two bots on one SQLite file would each handle every update (SQLite has no advisory locks
for bot/handling.py to claim chats with) and each send at the full rate. So `finalmile run`
and `finalmile console` hold an exclusive lock on `<database file>.lock` for as long as they
run; the operating system lets go of it when the process ends, however it ends. The CLI tools
that only queue work (announce, export, faq) take no lock and run beside the bot.
"""

from __future__ import annotations

import fcntl
import os
from pathlib import Path
from typing import IO

from sqlalchemy.engine import make_url


class AlreadyRunning(Exception):
    """Another process runs the bot on this SQLite file."""


def lock_path(database_url: str) -> Path | None:
    """Where the lock lives for this database (None: not a SQLite file, nothing to lock)."""
    url = make_url(database_url)
    if url.get_backend_name() != "sqlite" or url.database in (None, "", ":memory:"):
        return None
    return Path(f"{url.database}.lock")


class SingleProcess:
    """Holds the lock from `acquire()` to `release()` (or the end of the process)."""

    def __init__(self, database_url: str) -> None:
        self.path = lock_path(database_url)
        self._file: IO[str] | None = None

    def acquire(self) -> None:
        """Take the lock, or raise AlreadyRunning with a message for the operator."""
        if self.path is None or self._file is not None:
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        file = self.path.open("a+")
        try:
            fcntl.flock(file.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            file.seek(0)
            holder = file.read().strip()
            file.close()
            pid = f" (pid {holder})" if holder.isdigit() else ""
            raise AlreadyRunning(
                f"Another Final Mile bot{pid} is already running on this SQLite "
                f"database ({self.path.with_suffix('')}). Stop it first; several workers need "
                "PostgreSQL (DATABASE_URL).") from None
        file.truncate(0)
        file.write(str(os.getpid()))
        file.flush()
        self._file = file

    def release(self) -> None:
        if self._file is not None:
            fcntl.flock(self._file.fileno(), fcntl.LOCK_UN)
            self._file.close()
            self._file = None

    def __enter__(self) -> SingleProcess:
        self.acquire()
        return self

    def __exit__(self, *_exc: object) -> None:
        self.release()
