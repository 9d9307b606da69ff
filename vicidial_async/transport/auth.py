"""The authentication gate: unverified credentials never fan out.

VICIdial counts failed logins per user and locks the account for 15 minutes at ten, for everyone,
the right password included. A client that sends N calls at once with a wrong password would cost
N failed logins before the first answer comes back. So, per client (one server), until one answer
has shown the credentials are accepted, at most ONE request that needs a login is in flight; the
other callers wait here (outside the concurrency gate and the token bucket, so they hold no slot).

* the answer is not an authentication error -> :meth:`AuthGate.confirm`: the credentials are
  verified and every waiter goes ahead at full concurrency;
* the answer is an authentication error -> :meth:`AuthGate.trip`: every waiter, and every later
  call, fails with a copy of that (masked) error without sending, until :meth:`AuthGate.reset`
  (or, for a locked account, until the 15 minutes are over);
* the request failed without an answer (connection refused, timeout ...) -> the caller's ticket is
  released and the next waiter sends the next probe.

The client only uses the members below, so another implementation (e.g. one shared between
processes) can stand in for this one::

    check()            raise the remembered error, if any (no waiting)
    await admit()      wait for a turn; returns a ticket when the caller is the probe, else None
    release(ticket)    the probe ended without a verdict; the next waiter probes
    confirm()          an answer showed the credentials are accepted
    trip(error)        an answer was an authentication error
    reset()            forget both: start unverified again
    verified, error, waiting   (read-only state)
"""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable

import anyio

from .. import errors
from .retry import ACCOUNT_LOCK_SECONDS, AuthBreaker

__all__ = ["AuthGate", "Ticket"]


class Ticket:
    """Proof of being the one caller allowed to send with unverified credentials."""

    __slots__ = ()


class _Waiter:
    __slots__ = ("event", "ticket")

    def __init__(self) -> None:
        self.event = anyio.Event()
        self.ticket: Ticket | None = None


class AuthGate:
    """Single flight of unverified credentials, plus the memory of an authentication failure.

    >>> gate = AuthGate()
    >>> gate.verified
    False
    """

    def __init__(self, *, clock: Callable[[], float] = time.monotonic,
                 lock_seconds: float = ACCOUNT_LOCK_SECONDS) -> None:
        self._breaker = AuthBreaker(clock=clock, lock_seconds=lock_seconds)
        self._verified = False
        self._probe: Ticket | None = None
        self._waiters: deque[_Waiter] = deque()

    @property
    def verified(self) -> bool:
        """True once an answer has shown the credentials are accepted (until a trip or reset)."""
        return self._verified

    @property
    def error(self) -> errors.AuthenticationError | None:
        """The authentication error calls fail with now, if any."""
        try:
            self._breaker.check()
        except errors.AuthenticationError:
            return self._breaker.error
        return None

    @property
    def waiting(self) -> int:
        """Callers waiting for the probe's verdict."""
        return len(self._waiters)

    def check(self) -> None:
        """Raise a copy of the remembered authentication error, if any."""
        self._breaker.check()

    async def admit(self) -> Ticket | None:
        """Wait until the caller may send. Returns a :class:`Ticket` when the caller is the probe
        (it must end with :meth:`confirm`, :meth:`trip` or :meth:`release`), ``None`` when the
        credentials are verified. Raises the remembered error after a trip."""
        while True:
            self._breaker.check()
            if self._verified:
                return None
            if self._probe is None:
                self._probe = Ticket()
                return self._probe
            waiter = _Waiter()
            self._waiters.append(waiter)
            try:
                await waiter.event.wait()
            except BaseException:
                if not waiter.event.is_set():
                    self._waiters.remove(waiter)
                elif waiter.ticket is not None:
                    self.release(waiter.ticket)  # handed the probe as we were cancelled: pass it on
                raise
            if waiter.ticket is not None:
                return waiter.ticket
            # Woken by a verdict or a reset: look again.

    def release(self, ticket: Ticket | None) -> None:
        """The probe holding ``ticket`` ended without a verdict: hand the probe to the next waiter.

        A stale ticket (after a verdict or a reset) and ``None`` are ignored.
        """
        if ticket is None or ticket is not self._probe:
            return
        if self._waiters:
            waiter = self._waiters.popleft()
            waiter.ticket = self._probe = Ticket()
            waiter.event.set()
        else:
            self._probe = None

    def confirm(self) -> None:
        """An answer that is not an authentication error came back: open up to full concurrency."""
        if not self._verified:
            self._verified = True
            self._wake_all()

    def trip(self, error: errors.AuthenticationError) -> None:
        """An authentication error came back: it is what every call raises from now on."""
        self._breaker.trip(error)
        self._verified = False
        self._wake_all()

    def reset(self) -> None:
        """Forget the error and the verification: the next call probes again."""
        self._breaker.reset()
        self._verified = False
        self._wake_all()

    def _wake_all(self) -> None:
        self._probe = None
        waiters, self._waiters = self._waiters, deque()
        for waiter in waiters:
            waiter.event.set()
