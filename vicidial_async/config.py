"""Client settings: rate limit, timeouts and retry policy (frozen attrs, safe to share)."""

from __future__ import annotations

import attrs

__all__ = ["RateLimit", "RetryPolicy", "Timeouts"]


def _positive(_: object, attribute: attrs.Attribute[float], value: float) -> None:
    if not value > 0:
        raise ValueError(f"{attribute.name} must be > 0, got {value!r}")


def _at_least_one(_: object, attribute: attrs.Attribute[float], value: float) -> None:
    if not value >= 1:
        raise ValueError(f"{attribute.name} must be >= 1, got {value!r}")


@attrs.frozen(slots=True)
class RateLimit:
    """Per-server token bucket: ``per_second`` sustained calls, bursts of up to ``burst``.

    Every attempt takes a token, retries included, so a retry storm cannot exceed the limit.
    VICIdial has no rate limiting of its own and runs the dialer on the same database.

    >>> RateLimit(per_second=50, burst=20)
    RateLimit(per_second=50, burst=20)
    """

    per_second: float = attrs.field(default=10.0, validator=_positive)
    burst: float = attrs.field(default=10.0, validator=_at_least_one)
    """At least 1: every attempt takes a whole token."""


@attrs.frozen(slots=True)
class Timeouts:
    """Timeouts in seconds. ``report_read`` replaces ``read`` for report and export functions."""

    connect: float = 5.0
    read: float = 30.0
    write: float = 10.0
    pool: float = 10.0
    report_read: float = 120.0


@attrs.frozen(slots=True)
class RetryPolicy:
    """When and how often a failed call is tried again.

    Which failures are retried depends on the function's
    :class:`~vicidial_async.protocol.registry.Safety`; this object sets how many attempts, how long
    to wait and how much retrying a server may absorb.

    Backoff before attempt ``n + 1`` is ``min(max_backoff, base * 2**(n-1) + U(0, jitter))``.
    The per-server budget (botocore-style) starts at ``budget`` tokens; a retry costs
    ``retry_cost`` (``timeout_retry_cost`` after a timeout); a first-try success refunds
    ``success_refund``. With the budget spent, failures are raised at once instead of retried.
    """

    attempts: int = 3
    base: float = 0.5
    jitter: float = 1.0
    max_backoff: float = 8.0
    deadline: float | None = 60.0
    """Total seconds one call may take across its attempts (None: no limit)."""
    max_retry_after: float = 60.0
    """A 429/503 ``Retry-After`` longer than this is not waited for."""
    budget: int = 500
    retry_cost: int = 5
    timeout_retry_cost: int = 10
    success_refund: int = 1

    @classmethod
    def disabled(cls) -> RetryPolicy:
        """One attempt, no retries (useful in tests)."""
        return cls(attempts=1)

    def backoff(self, attempt: int, rand: float) -> float:
        """Seconds to wait after failed attempt number ``attempt`` (1-based); ``rand`` in [0, 1)."""
        return float(min(self.max_backoff, self.base * 2.0 ** (attempt - 1) + rand * self.jitter))
