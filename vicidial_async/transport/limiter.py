"""The per-server token bucket, on anyio primitives (so it works under asyncio and trio).

A leaky bucket of ``burst`` tokens draining at ``per_second``: the first ``burst`` calls go out at
once, then one every ``1 / per_second`` seconds; over any ``t`` seconds at most
``burst + per_second * t`` calls are admitted. Waiters are served in arrival order. Only the
first waiter sleeps (for exactly the time until a token is free); the others wait on an event
and are woken one at a time, so a thousand waiters cost no timers. A cancelled waiter takes no
token and passes its place on.

Time is the event loop's clock (``anyio.current_time()``): the same clock ``anyio.sleep`` uses,
so a virtual-time loop in tests drives both.
"""

from __future__ import annotations

import asyncio
from collections import deque

import anyio

__all__ = ["TokenBucket"]


def _now() -> float:
    """``anyio.current_time()``, read from the running asyncio loop when there is one: anyio asks
    sniffio which library runs first (about 3 µs a call; the loop's clock costs 0.2 µs)."""
    try:
        return asyncio.get_running_loop().time()
    except RuntimeError:  # trio
        return anyio.current_time()


# Float slack when comparing a level that has just drained to the exact boundary.
_EPSILON = 1e-9


class TokenBucket:
    """``await bucket.acquire()`` takes one token, waiting (in FIFO order) until one is free.

    >>> bucket = TokenBucket(per_second=10, burst=5)
    >>> bucket.try_acquire()
    True
    """

    __slots__ = ("_burst", "_last", "_level", "_rate", "_waiters")

    def __init__(self, per_second: float, burst: float) -> None:
        if not per_second > 0 or burst < 1:
            raise ValueError("per_second must be > 0 and burst >= 1")
        self._rate = float(per_second)
        self._burst = float(burst)
        self._level = 0.0
        self._last: float | None = None
        self._waiters: deque[anyio.Event] = deque()

    @property
    def waiting(self) -> int:
        """Callers waiting for a token."""
        return len(self._waiters)

    def _leak(self) -> None:
        now = _now()
        if self._last is not None:
            self._level = max(0.0, self._level - (now - self._last) * self._rate)
        self._last = now

    def _take(self) -> bool:
        self._leak()
        if self._level + 1.0 <= self._burst + _EPSILON:
            self._level += 1.0
            return True
        return False

    def try_acquire(self) -> bool:
        """Take a token if one is free and nobody is waiting; never waits."""
        return not self._waiters and self._take()

    async def acquire(self) -> None:
        """Take one token, waiting for it if needed."""
        if self.try_acquire():
            return
        me = anyio.Event()
        self._waiters.append(me)
        try:
            while True:
                if self._waiters[0] is not me:
                    await me.wait()  # set when we reach the head of the queue
                    continue
                if self._take():
                    return
                await anyio.sleep((self._level + 1.0 - self._burst) / self._rate)
        finally:
            # Served or cancelled: leave the queue and wake whoever is first now.
            head = self._waiters[0] is me
            self._waiters.remove(me)
            if head and self._waiters:
                self._waiters[0].set()
