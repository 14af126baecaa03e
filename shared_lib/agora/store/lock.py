"""The writer lock: at most one load (snapshot build) at a time per store.

An advisory `flock` on `<store>/.writer.lock`; the kernel drops it when the holder exits, even on
kill -9, so a dead load never blocks the next one.
"""
from __future__ import annotations

import fcntl
import os
from pathlib import Path

from .errors import StoreBusy


class WriterLock:
    def __init__(self, store_dir: Path):
        self.path = store_dir / ".writer.lock"
        self._fd: int | None = None

    def acquire(self) -> "WriterLock":
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(fd, 32, 0).decode(errors="replace").strip() or "unknown"
            os.close(fd)
            raise StoreBusy(f"another load is running (pid {holder}); try again when it ends, "
                            f"lock {self.path}") from None
        os.ftruncate(fd, 0)
        os.pwrite(fd, str(os.getpid()).encode(), 0)
        self._fd = fd
        return self

    def release(self) -> None:
        if self._fd is not None:
            os.ftruncate(self._fd, 0)
            fcntl.flock(self._fd, fcntl.LOCK_UN)
            os.close(self._fd)
            self._fd = None

    def __enter__(self) -> "WriterLock":
        return self.acquire()

    def __exit__(self, *exc) -> None:
        self.release()
