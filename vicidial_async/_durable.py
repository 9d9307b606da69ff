"""What makes a file's creation or rename survive a power cut: the bulk loader's journal and
results files and the webhook journal share it."""

from __future__ import annotations

import os
import time
from pathlib import Path

__all__ = ["Boot", "current_boot", "fsync_dir"]

_BOOT_ID = Path("/proc/sys/kernel/random/boot_id")


def fsync_dir(directory: Path) -> None:
    """Make a rename in ``directory``, or a file created there, durable (fsync the directory)."""
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


class Boot:
    """This machine's current boot: its id and when it started (wall-clock seconds).

    Why: a write that returned survives a killed process (the kernel holds it) but not a power
    cut or a kernel crash; a file's writer that records the boot id can tell, when it reads the
    file again, whether any unsynced write of it may have been lost since (the boot id changed).
    """

    __slots__ = ("id", "started")

    def __init__(self, id: str, started: float) -> None:
        self.id = id
        self.started = started

    def __repr__(self) -> str:
        return f"Boot(id={self.id!r}, started={self.started:.0f})"


def current_boot() -> Boot | None:
    """The current boot, or ``None`` where the system does not say (not Linux)."""
    try:
        boot_id = _BOOT_ID.read_text().strip()
        since_boot = time.clock_gettime(time.CLOCK_BOOTTIME)
    except (OSError, AttributeError):
        return None
    return Boot(boot_id, time.time() - since_boot) if boot_id else None
