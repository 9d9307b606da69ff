"""The poller's timing rules as pure functions: the tick grid, pile-up skips and backoff.

Each polled function runs on a fixed grid ``anchor + k * every``. The grid is anchored, so small
delays never accumulate into drift, and its phase is random per source, so many pollers started
together (a wall of dashboards after a restart) do not hit the same server in step. Each tick is
delayed by a further random fraction of ``every`` (``jitter``), which keeps pollers from
drifting back into step over hours.

Backoff is expressed in grid slots too: after ``n`` consecutive failures the next poll waits
``min(max_backoff, every * 2**(n-1))`` seconds from the failed tick, rounded up to a slot. Staying
on the grid means a recovered source resumes its normal cadence with no extra bookkeeping, and
the random phase of each grid already spreads the retries of many pollers after a shared outage.
"""

from __future__ import annotations

import math

import attrs

__all__ = ["Cadence", "backoff_seconds", "backoff_slot", "next_slot"]


@attrs.frozen(slots=True)
class Cadence:
    """When one polled function runs: a grid of ticks ``every`` seconds apart from ``anchor``."""

    anchor: float
    every: float
    jitter: float = 0.0
    """Fraction of ``every`` by which a tick may start late (uniform in ``[0, jitter * every)``)."""

    def due(self, slot: int, rand: float) -> float:
        """Clock time at which tick ``slot`` fires; ``rand`` in [0, 1) picks its jitter."""
        return self.anchor + slot * self.every + rand * self.jitter * self.every

    def slot_at(self, now: float) -> int:
        """The last slot whose grid time is at or before ``now`` (``-1`` before the anchor)."""
        return math.floor((now - self.anchor) / self.every)


def next_slot(cadence: Cadence, slot: int, finished: float) -> tuple[int, int]:
    """After tick ``slot``'s poll finished at ``finished``: the next slot to fire, and how many
    slots passed while the poll was still running (they are skipped, never queued)."""
    following = max(slot + 1, cadence.slot_at(finished) + 1)
    return following, following - (slot + 1)


def backoff_seconds(failures: int, every: float, max_backoff: float) -> float:
    """Seconds from a failed tick to the next attempt after ``failures`` consecutive failures.

    >>> [backoff_seconds(n, 2.0, 30.0) for n in range(1, 7)]
    [2.0, 4.0, 8.0, 16.0, 30.0, 30.0]
    """
    if failures <= 0:
        return every
    # Cap the exponent first: 2**1000 would overflow a float on a source dead for days.
    return min(max_backoff, every * 2.0 ** min(failures - 1, 60))


def backoff_slot(cadence: Cadence, slot: int, failures: int, max_backoff: float) -> int:
    """The first slot at least ``backoff_seconds`` after tick ``slot`` (never before ``slot + 1``)."""
    wait = backoff_seconds(failures, cadence.every, max_backoff)
    return slot + max(1, math.ceil(wait / cadence.every - 1e-9))
