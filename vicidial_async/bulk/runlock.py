"""One load per results file at a time: an exclusive ``flock`` on ``<results>.lock``.

Two processes appending to the same results file and journal (say, a ``--resume`` started twice)
would each send the rows the other is sending. The lock is an advisory ``flock`` on a small file
next to the results, taken before the results or the journal are opened; the operating system
releases it when the process ends, however it ends (a SIGKILL included), so a stale lock never
blocks a resume. The lock file is left in place: deleting it would let a third process lock a new
file while a second still waits on the old one.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from ..errors import ConfigurationError

__all__ = ["LoadLockedError", "RunLock"]


class LoadLockedError(ConfigurationError):
    """Another process is loading into the same results file (``leads load`` exits with 2)."""


class RunLock:
    """The lock of one results file; :meth:`acquire` fails at once if another process holds it."""

    def __init__(self, results: Path) -> None:
        self.path = results.with_name(results.name + ".lock")
        self._fd = -1

    def acquire(self) -> None:
        """Take the lock, or raise :class:`LoadLockedError` naming the file."""
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
        if sys.platform != "win32":
            import fcntl

            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                os.close(fd)
                raise LoadLockedError(
                    f"another load is running on {self.path.with_suffix('')} (it holds "
                    f"{self.path}); wait for it to end, or choose another results file") from None
        self._fd = fd

    def release(self) -> None:
        """Let go of the lock (closing the file releases it)."""
        if self._fd >= 0:
            os.close(self._fd)
            self._fd = -1
