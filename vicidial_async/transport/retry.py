"""Retry decisions, the per-server retry budget and the authentication breaker.

The decision is a pure function of the function's safety class and what went wrong, written as
explicit predicates (stamina-style) so each rule can be read and tested on its own:

* any class: the request never reached the server (connect error or timeout, pool timeout) or the
  server refused it before work (408, 429, 503 with a Retry-After of at most a minute);
* READ and IDEMPOTENT_WRITE also: failures after sending (read/write errors, protocol errors, read
  timeouts), 500/502/503/504, empty or truncated bodies;
* UNSAFE: never once the request may have landed (the caller gets ``OutcomeUnknownError``);
* never: ``ERROR:`` answers, authentication failures, TLS certificate failures, redirects, and a
  server that asks (Retry-After) for a longer pause than ``RetryPolicy.max_retry_after``.
"""

from __future__ import annotations

import enum
import time
from collections.abc import Callable, Mapping

import attrs

from .. import errors
from ..config import RetryPolicy
from ..protocol.registry import Safety

__all__ = [
    "ACCOUNT_LOCK_SECONDS", "AuthBreaker", "Decision", "RetryBudget", "decide", "next_wait",
    "retry_after_seconds",
]


class Decision(enum.Enum):
    """What to do with a failed attempt."""

    RETRY = "retry"
    RAISE = "raise"
    OUTCOME_UNKNOWN = "outcome_unknown"


_NOT_RECEIVED_STATUSES = frozenset({408, 429})
_SERVER_FAULT_STATUSES = frozenset({500, 502, 503, 504})


def retry_after_seconds(headers: Mapping[str, str]) -> float | None:
    """The Retry-After header in seconds (delta form only; HTTP dates are treated as absent)."""
    value = headers.get("retry-after")
    if value is None:
        return None
    try:
        return max(0.0, float(value.strip()))
    except ValueError:
        return None


def never_reached_server(exc: BaseException) -> bool:
    """Connect failures and pool/connect timeouts: nothing was sent."""
    if isinstance(exc, errors.CertificateError):
        return False
    return isinstance(exc, (errors.ConnectError, errors.TimeoutError)) and not getattr(
        exc, "maybe_sent", False)


def refused_before_work(status: int, retry_after: float | None) -> bool:
    """408/429/503-with-Retry-After: the server says it did not process the request."""
    return status in _NOT_RECEIVED_STATUSES or (status == 503 and retry_after is not None)


def decide(safety: Safety, exc: BaseException, policy: RetryPolicy,
           retry_after: float | None = None) -> Decision:
    """Whether a failed attempt may be tried again, for a function of the given safety class.

    A retry the server asks to delay longer than ``policy.max_retry_after`` is not made (the one
    place that cap is applied); the caller waits at least ``retry_after`` before a retry.
    """
    # A longer pause than agreed is no "come back soon": the status is judged as if it had none.
    too_long = retry_after is not None and retry_after > policy.max_retry_after
    decision = _decide(safety, exc, None if too_long else retry_after)
    return Decision.RAISE if too_long and decision is Decision.RETRY else decision


def _decide(safety: Safety, exc: BaseException, retry_after: float | None = None) -> Decision:
    if isinstance(exc, (errors.APIError, errors.RedirectError, errors.CertificateError)):
        return Decision.RAISE
    if never_reached_server(exc):
        return Decision.RETRY
    if isinstance(exc, errors.HTTPStatusError):
        if refused_before_work(exc.status, retry_after):
            return Decision.RETRY
        if exc.status not in _SERVER_FAULT_STATUSES:
            return Decision.RAISE
        return Decision.RETRY if safety is not Safety.UNSAFE else Decision.OUTCOME_UNKNOWN
    if isinstance(exc, (errors.TransportError, errors.EmptyAnswerError, errors.TruncatedAnswerError)):
        return Decision.RETRY if safety is not Safety.UNSAFE else Decision.OUTCOME_UNKNOWN
    return Decision.RAISE


def next_wait(policy: RetryPolicy, budget: RetryBudget, exc: BaseException, attempt: int,
              elapsed: float, random: Callable[[], float], retry_after: float | None = None) -> float | None:
    """The pause before resending a failed attempt that :func:`decide` allows, or ``None`` when a
    stop rule ends the call: the attempt count, the deadline (``elapsed`` seconds so far plus the
    pause), or the server's retry budget (a timeout costs more). The pause is the jittered backoff,
    at least the server's Retry-After."""
    if attempt >= policy.attempts:
        return None
    wait = policy.backoff(attempt, random())
    if retry_after is not None:
        wait = max(wait, retry_after)
    if policy.deadline is not None and elapsed + wait > policy.deadline:
        return None
    timed_out = isinstance(exc, errors.TimeoutError)
    if not budget.try_spend(policy.timeout_retry_cost if timed_out else policy.retry_cost):
        return None
    return wait


@attrs.define
class RetryBudget:
    """Per-server token pool (botocore-style): retries spend it, first-try successes refill it.

    When an outage makes every call fail, the budget runs dry after about a hundred retries and
    further failures are raised at once instead of multiplying the load on a struggling server.
    """

    capacity: int
    tokens: int

    @classmethod
    def from_policy(cls, policy: RetryPolicy) -> RetryBudget:
        return cls(policy.budget, policy.budget)

    def try_spend(self, cost: int) -> bool:
        if self.tokens < cost:
            return False
        self.tokens -= cost
        return True

    def refund(self, amount: int) -> None:
        self.tokens = min(self.capacity, self.tokens + amount)


# VICIdial locks an account for 15 minutes after ten failed logins.
ACCOUNT_LOCK_SECONDS = 15 * 60


@attrs.define
class AuthBreaker:
    """Remembers an authentication failure so queued and later calls fail at once.

    Ten failed logins lock a VICIdial account for 15 minutes; sending the same bad credentials again
    only makes it worse. A lock opens the breaker for ``lock_seconds``; a wrong password or a
    blocked IP keeps it open until :meth:`reset` (new credentials are a new client).
    """

    clock: Callable[[], float] = time.monotonic
    lock_seconds: float = ACCOUNT_LOCK_SECONDS
    error: errors.AuthenticationError | None = None
    until: float | None = None

    def trip(self, error: errors.AuthenticationError) -> None:
        self.error = error
        self.until = (self.clock() + self.lock_seconds
                      if isinstance(error, errors.AccountLockedError) else None)

    def check(self) -> None:
        """Raise the remembered error while the breaker is open."""
        if self.error is None:
            return
        if self.until is not None and self.clock() >= self.until:
            self.reset()
            return
        err = self.error
        raise type(err)(err.function, err.reason, err.data, fields=dict(err.fields), line=err.line,
                        raw=err.raw)

    def reset(self) -> None:
        self.error = None
        self.until = None
