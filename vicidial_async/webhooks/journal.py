"""The receiver's journal: every accepted request, on disk (fsync) before it is answered.

One JSON object a line, appended through a single writer that commits concurrent appends with one
``fsync`` (group commit), in a worker thread so the event loop never waits on the disk. Lines:

- an event: ``{"id", "key", "at", "kind", "path", "query", "client"}`` (``query`` masked: no token,
  no passwords), plus ``"done": true`` once compaction has folded its done line in;
- ``{"done": id}``: every handler finished with the event (appended without fsync: losing it only
  means one more delivery after a crash).

On open the file is read back: events without a done line are handed out again (:meth:`undone`),
and the keys of events within the replay window fill the duplicate index, so a replay is refused
across a restart. A torn last line (a crash mid-write) is cut off. The file is rewritten without
dead lines on open and whenever it has grown well past what it must keep. A lock file keeps a
second process from appending to the same journal.
"""

from __future__ import annotations

import asyncio
import contextlib
import fcntl
import json
import logging
import os
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from .._durable import fsync_dir
from ..errors import ConfigurationError

__all__ = ["Journal"]

log = logging.getLogger("vicidial_async.webhooks")

Record = dict[str, Any]


class Journal:
    """An append-only, fsync'd event journal with a replay index (see the module doc).

    ``dedup_window`` is in seconds; ``clock`` gives the time (``time.time``); ``compact_every`` is
    how many lines may be appended before the file is rewritten (when it has grown past twice what
    it must keep).
    """

    def __init__(self, path: str | os.PathLike[str], *, dedup_window: float = 86400.0,
                 clock: Callable[[], float] = time.time, compact_every: int = 100_000) -> None:
        self.path = Path(path)
        self.dedup_window = float(dedup_window)
        self._clock = clock
        self._compact_every = compact_every
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._lock_fd = os.open(f"{self.path}.lock", os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(self._lock_fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(self._lock_fd)
            raise ConfigurationError(f"another receiver is using the journal {self.path}") from None
        self._seen: dict[str, float] = {}
        self._undone: dict[str, Record] = {}
        self._kept = 0
        self._compact_now()
        self._fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        self._since_compact = 0
        self._queue: list[tuple[bytes, asyncio.Future[None] | None, Record | None]] = []
        self._sync = False
        self._writer: asyncio.Task[None] | None = None
        self.on_durable: Callable[[Record], None] | None = None
        """Called (in the event loop) with each event record once it is on disk."""

    # -- reading back ----------------------------------------------------------------------------

    def _read(self) -> Iterator[Record]:
        try:
            fh = open(self.path, "rb")  # noqa: SIM115 - closed below, truncation needs the offset
        except FileNotFoundError:
            return
        with fh:
            good = 0
            for line in fh:
                if not line.endswith(b"\n"):
                    break
                try:
                    record = json.loads(line)
                except ValueError:
                    log.warning("journal %s: skipping an unreadable line", self.path)
                    good += len(line)
                    continue
                good += len(line)
                if isinstance(record, dict):
                    yield record
            size = fh.seek(0, os.SEEK_END)
        if good < size:
            log.warning("journal %s: cutting a torn last line (%d bytes)", self.path, size - good)
            os.truncate(self.path, good)

    def _compact_now(self, *, rebuild: bool = True) -> None:
        """Read the file and rewrite it keeping undone and recent events; ``rebuild`` the index
        from it (on open; later the index in memory is the newer one)."""
        now = self._clock()
        events: dict[str, Record] = {}
        total = 0
        for record in self._read():
            total += 1
            if "key" in record and "id" in record:
                events[record["id"]] = record
            elif isinstance(record.get("done"), str) and record["done"] in events:
                events[record["done"]]["done"] = True
        keep = [r for r in events.values()
                if not r.get("done") or now - float(r.get("at", 0)) < self.dedup_window]
        if rebuild:
            self._seen = {r["key"]: float(r.get("at", 0)) for r in keep}
            self._undone = {r["id"]: r for r in keep if not r.get("done")}
        self._kept = len(keep)
        if total == len(keep):
            return
        tmp = self.path.with_name(self.path.name + ".tmp")
        with open(tmp, "wb") as fh:
            for r in keep:
                fh.write(_line(r))
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, self.path)
        fsync_dir(self.path.parent)

    def undone(self) -> list[Record]:
        """Event records accepted but not done (handler failed or unfinished), oldest first."""
        return list(self._undone.values())

    def now(self) -> float:
        """The journal's clock (seconds since the epoch)."""
        return self._clock()

    # -- the replay index ------------------------------------------------------------------------

    def claim(self, key: str) -> bool:
        """Record ``key`` as seen now; False if it was seen within the window (a replay)."""
        now = self._clock()
        at = self._seen.get(key)
        if at is not None and now - at < self.dedup_window:
            return False
        self._seen[key] = now
        if len(self._seen) > 2 * max(self._kept, 50_000):
            self._seen = {k: t for k, t in self._seen.items() if now - t < self.dedup_window}
            self._kept = len(self._seen)
        return True

    def release(self, key: str) -> None:
        """Forget ``key`` (its event could not be written)."""
        self._seen.pop(key, None)

    # -- writing ---------------------------------------------------------------------------------

    async def append(self, record: Record) -> None:
        """Write an event record and fsync; returns once it is on disk."""
        self._undone[record["id"]] = record
        try:
            await self._submit(_line(record), record, sync=True)
        except BaseException:
            if not self._written(record):
                self._undone.pop(record["id"], None)
            raise

    def _written(self, record: Record) -> bool:
        return bool(record.get("_durable"))

    async def mark_done(self, event_id: str) -> None:
        """Note that every handler finished with the event (no fsync: see the module doc)."""
        if self._undone.pop(event_id, None) is None:
            return
        await self._submit(_line({"done": event_id}), None, sync=False)

    async def _submit(self, line: bytes, record: Record | None, *, sync: bool) -> None:
        fut: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._queue.append((line, fut, record))
        self._sync = self._sync or sync
        if self._writer is None or self._writer.done():
            self._writer = asyncio.create_task(self._drain())
        await fut

    async def _drain(self) -> None:
        while self._queue:
            batch, self._queue = self._queue, []
            sync, self._sync = self._sync, False
            data = b"".join(line for line, _, _ in batch)
            try:
                await asyncio.to_thread(self._write, data, sync)
            except BaseException as exc:  # the disk failed: every waiter of this batch is told
                for _, fut, _ in batch:
                    if fut is not None and not fut.done():
                        fut.set_exception(exc if isinstance(exc, Exception) else OSError(str(exc)))
                if not isinstance(exc, Exception):
                    raise
                continue
            loop = asyncio.get_running_loop()
            for _, fut, record in batch:
                if record is not None:
                    record["_durable"] = True
                    if self.on_durable is not None:
                        # After the waiters of this batch have been woken: decoding for delivery
                        # must not delay their answers.
                        loop.call_soon(self.on_durable, record)
                if fut is not None and not fut.done():
                    fut.set_result(None)
            self._since_compact += len(batch)
            if self._since_compact >= self._compact_every:
                self._since_compact = 0
                await asyncio.to_thread(self._compact_reopen)

    def _write(self, data: bytes, sync: bool) -> None:
        view = memoryview(data)
        while view:
            n = os.write(self._fd, view)
            view = view[n:]
        if sync:
            os.fsync(self._fd)

    def _compact_reopen(self) -> None:
        os.fsync(self._fd)
        os.close(self._fd)
        try:
            self._compact_now(rebuild=False)
        finally:
            self._fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)

    async def flush(self) -> None:
        """Wait until everything appended so far is written."""
        while self._writer is not None and not self._writer.done():
            await asyncio.shield(self._writer)

    def close(self) -> None:
        """Close the file and release the lock (pending writes are not waited for: use
        :meth:`flush` first)."""
        with contextlib.suppress(OSError):
            os.fsync(self._fd)
        for fd in (self._fd, self._lock_fd):
            with contextlib.suppress(OSError):
                os.close(fd)


def _line(record: Record) -> bytes:
    clean = {k: v for k, v in record.items() if not k.startswith("_")}
    return json.dumps(clean, ensure_ascii=False, separators=(",", ":")).encode() + b"\n"
