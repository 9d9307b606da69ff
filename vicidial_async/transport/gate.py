"""The client's concurrency gate: a first-in first-out counting semaphore.

anyio's ``Semaphore`` makes a cancel-shielded checkpoint on every acquire, which costs an extra event
loop pass per call (about a third of the client's CPU per call at concurrency 8 in
``benchmarks/transport.py``). This gate only waits when every slot is taken; waiting, cancellation
and wake-ups go through ``anyio.Event``, so it works under asyncio and trio alike (as do the token
bucket and the auth gate; ``tests/core/test_anyio_backends.py`` runs the client under both).
"""

from __future__ import annotations

from collections import deque

import anyio

__all__ = ["Gate"]


class Gate:
    """At most ``slots`` holders at a time; waiters are served in arrival order.

    >>> gate = Gate(2)
    >>> gate.free
    2
    """

    __slots__ = ("_free", "_waiters")

    def __init__(self, slots: int) -> None:
        self._free = slots
        self._waiters: deque[anyio.Event] = deque()

    @property
    def free(self) -> int:
        """Slots not held right now."""
        return self._free

    @property
    def waiting(self) -> int:
        """Callers waiting for a slot."""
        return len(self._waiters)

    def acquire_nowait(self) -> bool:
        """Take a slot if one is free and nobody is waiting; never waits."""
        if self._free and not self._waiters:
            self._free -= 1
            return True
        return False

    async def __aenter__(self) -> None:
        if self.acquire_nowait():
            return
        event = anyio.Event()
        self._waiters.append(event)
        try:
            await event.wait()
        except BaseException:
            if event.is_set():
                self._release()  # a slot was handed over as we were cancelled: pass it on
            else:
                self._waiters.remove(event)
            raise

    async def __aexit__(self, *exc: object) -> None:
        self._release()

    def release(self) -> None:
        """Give a slot back (for holders that release outside ``async with``)."""
        self._release()

    def _release(self) -> None:
        # Hand the slot straight to the first waiter, so a newcomer cannot jump the queue.
        if self._waiters:
            self._waiters.popleft().set()
        else:
            self._free += 1
