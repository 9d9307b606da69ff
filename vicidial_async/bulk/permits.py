"""Send permits: one fsync ahead of a batch of rows instead of one in the way of each.

Why: with the journal fsynced, a row whose own ``s`` record must be fsynced before its send waits
for an fsync (a fraction of a millisecond on a quiet SSD, tens of milliseconds on a busy disk),
and at a few thousand rows a second the fsyncs and the hand-offs to the thread that runs them
cost the loader about a third of its CPU. A ``p`` (permit) record, fsynced once, lets the next
rows go on a written ``s`` record alone (see ``journal.py`` for why that stays safe after a
power cut), and the next permit is fsynced while half of the current one is left, so a fast
load's rows do not wait for fsyncs at all.

A permit covers about ``PERMIT_SECONDS`` of rows at the rate of the load (at least ``min_rows``,
at most ``MAX_PERMIT_ROWS``): after a power cut, the rows a resume must look up before sending
them are those of the last permits without a record, so a slow load keeps them few while a fast
one pays few fsyncs.
"""

from __future__ import annotations

import time

import anyio
import anyio.lowlevel

from .journal import Journal
from .reconcile import ClaimedIds

__all__ = ["MAX_PERMIT_ROWS", "PERMIT_SECONDS", "SendPermits"]

PERMIT_SECONDS = 0.25
MAX_PERMIT_ROWS = 2048


class SendPermits:
    """The permits of one run: ``ready(row)`` says whether an fsynced permit covers ``row``
    already; if not, ``await wait(row)`` returns once one does.

    Run :meth:`run` as a task. Only for rows sent with the load's watermark (``claimed`` holds a
    lead of this load): a permit's ``w`` is the watermark when it was written, a bound that every
    row it covers was sent above, since a row waits for its permit and lead ids only grow.
    """

    def __init__(self, journal: Journal, claimed: ClaimedIds, *, boot: str, min_rows: int,
                 after: int) -> None:
        self.journal = journal
        self.claimed = claimed
        self.boot = boot
        self.min_rows = min_rows
        self.size = min_rows       # rows the next permit covers
        self.durable = after     # rows <= this are covered by an fsynced permit
        self.requested = after   # ... by a permit written (its fsync may be running)
        self.highest = after     # the highest row that asked
        self._last: tuple[float, int] | None = None   # when the last permit was asked for, and the row
        self._need = anyio.Event()
        self._granted = anyio.Event()
        self._error: OSError | None = None
        self._waiting: set[int] = set()   # rows in wait() that have not run yet

    def ready(self, row: int) -> bool:
        """Note that ``row`` is about to be sent; ``True`` when a permit covers it already and no
        earlier row waits for one (else :meth:`wait` next). Not a coroutine: the loader asks on
        every row, and nearly always there is nothing to wait for."""
        if row > self.highest:
            self.highest = row
        if row + self.size // 2 > self.requested:
            self._need.set()
        waiting = self._waiting
        return row <= self.durable and not (waiting and min(waiting) < row)

    async def wait(self, row: int) -> None:
        """Wait until an fsynced permit covers ``row``, which :meth:`ready` did not clear."""
        # Earlier rows that waited (for this permit, or behind rows that did) and have not run
        # yet go first: rows keep being sent in input order (of two rows with one phone, the
        # first is the one added).
        waiting = self._waiting
        waiting.add(row)
        try:
            if row <= self.durable:
                await anyio.lowlevel.checkpoint()
            while row > self.durable:
                if self._error is not None:
                    raise OSError(self._error.errno, str(self._error))
                await self._granted.wait()
        finally:
            waiting.discard(row)

    async def run(self) -> None:
        """Background task: write and fsync the next permit whenever rows ask for it."""
        while True:
            await self._need.wait()
            self._need = anyio.Event()
            self._resize()
            last = max(self.requested, self.highest) + self.size
            self.journal.record({"t": "p", "r": self.requested + 1, "u": last,
                                 "w": self.claimed.watermark, "b": self.boot})
            self.requested = last
            try:
                await self.journal.commit()
                self.durable = last
            except OSError as exc:
                # No row may go on this permit; the rows waiting raise the journal's error.
                self._error = exc
                return
            finally:
                granted, self._granted = self._granted, anyio.Event()
                granted.set()

    def _resize(self) -> None:
        now = time.monotonic()
        if self._last is not None:
            since, row = self._last
            rate = (self.highest - row) / max(now - since, 1e-3)
            self.size = min(MAX_PERMIT_ROWS, max(self.min_rows, int(rate * PERMIT_SECONDS)))
        self._last = (now, self.highest)
