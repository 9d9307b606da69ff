"""One rate budget, one in-flight cap and one authentication breaker per VICIdial server, shared by
every process (on any host) that names the same Redis.

>>> from vicidial_async import RateLimit, VicidialClient
>>> from vicidial_async.transport.redis_coordination import Fallback, RedisCoordination
>>> shared = RedisCoordination("redis://127.0.0.1:6379/0", max_in_flight=32,
...                            on_unavailable=Fallback(0.25))
>>> vd = VicidialClient("https://dialer.example.com", "apiuser", "secret",   # doctest: +SKIP
...                     rate_limit=RateLimit(100, 10), shared=shared)

What lives in Redis, per server (keyed by host, port and API user):

* **rate**: a GCRA schedule (``_redis_scripts.RATE_RESERVE``); every call reserves the moment it
  may be sent, so the server never sees more than ``rate x t + burst`` calls in ``t`` seconds,
  whatever the number of processes. The calls one process queues while a reservation is on its
  way to Redis go in the next script call together, so one round trip serves many calls.
* **in flight**: leases in a sorted set, each expiring after ``lease_seconds`` (a killed process
  frees its share without anyone's help).
* **authentication**: the login flight (one unverified login per server and user at a time,
  across processes) and the breaker (an authentication failure seen by one process stops all of
  them until the lock expires or an operator runs :meth:`RedisCoordination.reset_auth`).

When Redis cannot be reached the client does what ``on_unavailable`` says, and logs it once per
outage: ``"fail_closed"`` raises :class:`~vicidial_async.errors.CoordinationUnavailableError`
(nothing is sent); :class:`Fallback` paces this process alone at a fraction of the rate and tries
Redis again every ``retry_seconds``. Nothing is ever sent unpaced.

Only the asyncio event loop is supported (the ``redis`` package's asyncio client).
"""

from __future__ import annotations

import contextlib
import itertools
import json
import logging
import math
import os
import secrets
import time
from collections import deque
from collections.abc import AsyncIterator, Callable
from typing import Literal

import anyio
import attrs
import redis.asyncio as aioredis
import redis.exceptions
from redis.asyncio.retry import Retry
from redis.backoff import NoBackoff

from .. import errors
from ..config import RateLimit
from . import _redis_scripts
from .gate import Gate

__all__ = ["FAIL_CLOSED", "JITTER_MARGIN", "Fallback", "LocalSchedule", "RedisCoordination",
           "SharedServer", "server_key", "tolerance"]

logger = logging.getLogger("vicidial_async.shared")

FAIL_CLOSED: Literal["fail_closed"] = "fail_closed"
# What a Redis client raises when the server is gone or slow (OSError: a refused connect that
# slips past redis-py's own wrapping).
_UNREACHABLE = (redis.exceptions.ConnectionError, redis.exceptions.TimeoutError, OSError)


def _fraction(_: object, attribute: attrs.Attribute[float], value: float) -> None:
    if not 0 < value <= 1:
        raise ValueError(f"{attribute.name} must be in (0, 1], got {value!r}")


@attrs.frozen(slots=True)
class Fallback:
    """While Redis is unreachable, pace this process alone at ``fraction`` of the shared rate (and
    of ``max_in_flight``), and try Redis again every ``retry_seconds``.

    Pick the fraction as one over the number of processes you run, so the sum stays within the
    budget: ``Fallback(0.25)`` for four loaders.

    >>> Fallback(0.25)
    Fallback(fraction=0.25, retry_seconds=5.0)
    """

    fraction: float = attrs.field(validator=_fraction)
    retry_seconds: float = 5.0


OnUnavailable = Literal["fail_closed"] | Fallback


# Seconds of the burst the schedule keeps in hand. A call reaches the server some time after its
# slot (the reply from Redis, the event loop, the network), and that delay varies: a late call
# followed by a punctual one would look, at the server, like two calls closer than the schedule.
# A call more than this late gives its slot up and books another (see SharedServer.token), and
# the burst keeps this much in hand, so what the server sees stays within rate x t + burst; the
# cost is that the last two calls of a full burst at 100/s wait up to 20 ms.
JITTER_MARGIN = 0.02
# A call that misses its slot books again, at most this many times (then it goes).
_MAX_REBOOKINGS = 4


def tolerance(burst_span: float, interval: float, margin: float) -> float:
    """The GCRA tolerance: the burst's span less ``margin``, but never less than one interval (a
    burst of one still sends its first call at once)."""
    return max(burst_span - margin, min(burst_span, interval))


def server_key(prefix: str, host: str, port: int, user: str) -> str:
    """The common part of one server's keys; the braces make it a Redis Cluster hash tag.

    >>> server_key("vicidial", "dialer.example.com", 443, "apiuser")
    'vicidial:{dialer.example.com:443:apiuser}'
    """
    return f"{prefix}:{{{host}:{port}:{user}}}"


class LocalSchedule:
    """The GCRA of ``RATE_RESERVE`` in this process only (the fallback while Redis is down).

    :meth:`reserve` books the next slot and says how many seconds to wait for it. ``margin``
    seconds of the burst are kept in hand, as in Redis (see :data:`JITTER_MARGIN`).

    >>> s = LocalSchedule(RateLimit(per_second=10, burst=2), margin=0.0, clock=lambda: 0.0)
    >>> [s.reserve() for _ in range(4)]
    [0.0, 0.0, 0.1, 0.2]
    """

    __slots__ = ("_clock", "_interval", "_tat", "_tolerance")

    def __init__(self, rate: RateLimit, *, margin: float = 0.005,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self._interval = 1.0 / rate.per_second
        self._tolerance = tolerance(rate.burst * self._interval, self._interval, margin)
        self._clock = clock
        self._tat = -math.inf

    def not_before(self, moment: float) -> None:
        """Let no call go before one interval after ``moment``, with no burst saved up before it
        (taking over from slots already booked elsewhere, e.g. in Redis)."""
        self._tat = max(self._tat, moment + self._tolerance)

    def reserve(self) -> float:
        """Book one call; the seconds until it may be sent."""
        now = self._clock()
        self._tat = max(self._tat, now) + self._interval
        return round(max(0.0, self._tat - self._tolerance - now), 9)


async def _wait_for(slot: float, margin: float, earliest: float | None = None) -> bool:
    """Sleep until ``slot`` (monotonic); False if, once awake, it is more than ``margin`` past
    ``earliest`` (the earliest the slot may have been; default ``slot``)."""
    delay = slot - time.monotonic()
    if delay > 0:
        await anyio.sleep(delay)
    return time.monotonic() - (slot if earliest is None else earliest) <= margin


class _Waiter:
    __slots__ = ("asked", "breaker", "done", "event", "failure", "lead", "received", "wait")

    def __init__(self) -> None:
        self.asked = self.received = 0.0
        self.event = anyio.Event()
        self.lead = False
        self.done = False
        self.wait = 0.0
        self.breaker: str | None = None
        self.failure: BaseException | None = None


def _breaker_record(error: errors.AuthenticationError) -> str:
    # The error holds masked text only (the password the server echoes is replaced before any
    # error is built), so it may be stored; the raw body stays out to keep the record small.
    return json.dumps({"type": type(error).__name__, "function": error.function,
                       "reason": error.reason, "data": list(error.data), "line": error.line,
                       "fields": dict(error.fields)})


def _breaker_error(record: str | bytes) -> errors.AuthenticationError:
    try:
        data = json.loads(record)
        cls = getattr(errors, str(data.get("type")), errors.AuthenticationError)
        if not (isinstance(cls, type) and issubclass(cls, errors.AuthenticationError)):
            cls = errors.AuthenticationError
        return cls(str(data.get("function", "")), str(data.get("reason", "")),
                   tuple(str(d) for d in data.get("data", ())), fields=data.get("fields") or None,
                   line=str(data.get("line", "")), sent=False)
    except (ValueError, TypeError, AttributeError):
        return errors.AuthenticationError("", "authentication breaker open (set by another process)",
                                          sent=False)


class RedisCoordination:
    """The Redis connection that clients share their per-server budgets through.

    One instance may serve many clients (each :meth:`for_server` call gives one server's handle);
    pass it as ``VicidialClient(..., shared=...)``. The URL may hold a Redis password: it is never
    shown in a repr, a log line or an error.

    Args:
        url: ``redis://[:password@]host[:port][/db]`` (or ``rediss://``, ``unix://``).
        max_in_flight: cap on calls in flight to one server across every process (``None``: no
            shared cap; each client still has its own ``max_connections`` gate).
        on_unavailable: ``"fail_closed"`` (raise :class:`CoordinationUnavailableError`) or
            :class:`Fallback` (pace locally at a fraction of the rate).
        lease_seconds: how long a lease lives if its holder dies; ``None``: the client's longest
            call time (connect + write + read + pool timeouts) plus 5 s, so a live call never
            outlives its lease.
        timeout: seconds to wait for Redis before treating it as unreachable.
        prefix: the first part of every key.
        margin: seconds of each burst kept in hand for delay variation (:data:`JITTER_MARGIN`).
        redis: an ``redis.asyncio.Redis`` to use instead of ``url`` (not closed by us).
    """

    def __init__(self, url: str | None = None, *, max_in_flight: int | None = None,
                 on_unavailable: OnUnavailable = FAIL_CLOSED, lease_seconds: float | None = None,
                 timeout: float = 1.0, prefix: str = "vicidial", margin: float = JITTER_MARGIN,
                 redis: aioredis.Redis | None = None) -> None:
        if (url is None) == (redis is None):
            raise errors.ConfigurationError("give RedisCoordination either url or redis")
        if max_in_flight is not None and max_in_flight < 1:
            raise errors.ConfigurationError("max_in_flight must be >= 1")
        if on_unavailable != FAIL_CLOSED and not isinstance(on_unavailable, Fallback):
            raise errors.ConfigurationError('on_unavailable must be "fail_closed" or Fallback(fraction)')
        if lease_seconds is not None and not lease_seconds > 0:
            raise errors.ConfigurationError("lease_seconds must be > 0")
        if redis is None:
            assert url is not None
            try:
                # No retries inside redis-py: an outage must reach on_unavailable at once.
                redis = aioredis.Redis.from_url(
                    url, socket_timeout=timeout, socket_connect_timeout=timeout,
                    retry=Retry(NoBackoff(), 0), decode_responses=False)
            except ValueError as exc:
                raise errors.ConfigurationError(
                    "the Redis URL must look like redis://host:port/db") from exc
            self._owned = True
        else:
            self._owned = False
        self._redis = redis
        kw = redis.connection_pool.connection_kwargs
        self._where = (f"{kw.get('host', kw.get('path', '?'))}:{kw.get('port', '')}"
                       f"/{kw.get('db', 0)}")
        self.max_in_flight = max_in_flight
        self.on_unavailable: OnUnavailable = on_unavailable
        self.lease_seconds = lease_seconds
        self.prefix = prefix
        self.margin = margin
        self._rate = redis.register_script(_redis_scripts.RATE_RESERVE)
        self._lease = redis.register_script(_redis_scripts.LEASE_ACQUIRE)
        self._release = redis.register_script(_redis_scripts.RELEASE_IF_OWNER)
        # Lease and flight ids name the holder: host name, pid and a random part.
        self._owner = f"{os.uname().nodename}:{os.getpid()}:{secrets.token_hex(4)}"
        self._ids = itertools.count(1)

    def __repr__(self) -> str:
        return f"<RedisCoordination redis={self._where} max_in_flight={self.max_in_flight}>"

    @property
    def where(self) -> str:
        """``host:port/db`` of the Redis (never its password)."""
        return self._where

    def for_server(self, *, host: str, port: int, user: str, rate_limit: RateLimit | None,
                   lease_seconds: float) -> SharedServer:
        """The handle one client uses for its server (``lease_seconds``: its longest call)."""
        return SharedServer(self, server_key(self.prefix, host, port, user), rate_limit,
                            self.lease_seconds or lease_seconds)

    def next_id(self) -> str:
        """A fresh lease or flight id of this process."""
        return f"{self._owner}:{next(self._ids)}"

    async def ping(self) -> None:
        """Raise :class:`CoordinationUnavailableError` unless Redis answers."""
        try:
            await self._redis.ping()
        except _UNREACHABLE as exc:
            raise errors.CoordinationUnavailableError(
                f"Redis at {self._where} is unreachable ({type(exc).__name__})") from None

    async def reset_auth(self, host: str, port: int, user: str) -> bool:
        """Close one server's shared breaker (after fixing the password or waiting out a lock);
        True if it was open."""
        key = server_key(self.prefix, host, port, user)
        return bool(await self._redis.delete(f"{key}:breaker"))

    async def auth_error(self, host: str, port: int, user: str) -> errors.AuthenticationError | None:
        """The error that opened one server's shared breaker, or ``None`` while it is closed."""
        record = await self._redis.get(f"{server_key(self.prefix, host, port, user)}:breaker")
        return None if record is None else _breaker_error(record)

    async def aclose(self) -> None:
        """Close the connections (a Redis passed in as ``redis=`` is left open)."""
        if self._owned:
            await self._redis.aclose()


class SharedServer:
    """One server's shared rate schedule, lease set, login flight and breaker.

    Made by :meth:`RedisCoordination.for_server`; the client calls, for each attempt,
    :meth:`lease` (when ``max_in_flight`` is set) and :meth:`token`, in that order, right before
    sending (a token taken first and then held while waiting for a lease would let calls bunch).
    """

    def __init__(self, coordination: RedisCoordination, key: str, rate: RateLimit | None,
                 lease_seconds: float) -> None:
        self._c = coordination
        self._redis = coordination._redis
        self._rate, self._lease = coordination._rate, coordination._lease
        self._release = coordination._release
        self.key = key
        self.rate = rate
        self._keys_rate = [f"{key}:rate", f"{key}:breaker"]
        self._keys_lease = [f"{key}:inflight", f"{key}:breaker"]
        self._breaker_key = f"{key}:breaker"
        self._flight_key = f"{key}:login"
        self._lease_ms = max(1, int(lease_seconds * 1000))
        if rate is not None:
            interval = math.ceil(1_000_000 / rate.per_second)  # rounded up: never faster
            tol = tolerance(rate.burst * interval, interval, coordination.margin * 1_000_000)
            self._rate_args: list[int] = [interval, int(tol), 0]
        self.rebooked = 0
        """Slots given up because the call woke too late for them (a sign of CPU starvation)."""
        self._queue: deque[_Waiter] = deque()
        self._busy = False
        self._lease_gate = Gate(1)   # one task per process polls a full lease set
        self._flight_gate = Gate(1)  # one task per process takes part in the login flight
        # Fallback state (only with on_unavailable=Fallback).
        policy = coordination.on_unavailable
        self._fallback = policy if isinstance(policy, Fallback) else None
        self._down_until: float | None = None
        self._outage_logged = False
        self._local_rate: LocalSchedule | None = None
        # The last moment (local monotonic clock) this process booked in each schedule: a switch
        # between them waits for the other's booked calls, so the two never add up.
        self._shared_until = 0.0
        self._local_until = 0.0
        self._local_gate: Gate | None = None
        if self._fallback is not None:
            if rate is not None:
                f = self._fallback.fraction
                self._local_rate = LocalSchedule(RateLimit(per_second=rate.per_second * f,
                                                           burst=max(1.0, math.floor(rate.burst * f))),
                                                 margin=coordination.margin)
            if coordination.max_in_flight is not None:
                self._local_gate = Gate(max(1, int(coordination.max_in_flight * self._fallback.fraction)))

    # -- Redis reachable or not ---------------------------------------------------------------

    def _in_fallback(self) -> bool:
        if self._down_until is None:
            return False
        if time.monotonic() < self._down_until:
            return True
        self._down_until = None  # time to try Redis again
        return False

    def _unreachable(self, exc: BaseException) -> None:
        """Redis failed: log once per outage, then raise (fail closed) or switch to the fallback."""
        where = self._c.where
        if self._fallback is None:
            if not self._outage_logged:
                self._outage_logged = True
                logger.error("Redis at %s is unreachable (%s): failing closed, nothing is sent to %s",
                             where, type(exc).__name__, self.key)
            raise errors.CoordinationUnavailableError(
                f"Redis at {where} is unreachable ({type(exc).__name__}); nothing was sent "
                "(on_unavailable='fail_closed')") from None
        now = time.monotonic()
        if self._down_until is None and self._local_rate is not None:
            self._local_rate.not_before(self._shared_until)
        self._down_until = now + self._fallback.retry_seconds
        if not self._outage_logged:
            self._outage_logged = True
            logger.warning("Redis at %s is unreachable (%s): pacing %s locally at %.0f%% of the rate "
                           "until it is back", where, type(exc).__name__, self.key,
                           self._fallback.fraction * 100)

    def _reachable(self) -> None:
        if self._outage_logged:
            self._outage_logged = False
            logger.warning("Redis at %s is back: %s is paced by the shared budget again",
                           self._c.where, self.key)

    @property
    def in_fallback(self) -> bool:
        """True while this process paces itself because Redis is unreachable."""
        return self._down_until is not None and time.monotonic() < self._down_until

    # -- rate ---------------------------------------------------------------------------------

    async def token(self) -> None:
        """Wait until the shared schedule lets one call go; raise the breaker's error if open.

        A call that finds itself later than its slot by more than the margin (the process was
        starved of CPU, the reply from Redis came late) gives the slot up and books a new one:
        sent late, it would land among later calls closer than the schedule allows. The slot it
        gives up goes unused, so the server sees less, never more.
        """
        if self.rate is None:
            await self.check_breaker()
            return
        for _ in range(_MAX_REBOOKINGS):
            if self._in_fallback():
                if await self._local_token():
                    return
            elif await self._shared_token():
                return
            self.rebooked += 1
        # Starved again and again: go now rather than never (the margin still covers most of it).

    async def _shared_token(self) -> bool:
        """Book one slot in Redis and wait for it; False when it was missed."""
        w = _Waiter()
        self._queue.append(w)
        if self._busy:
            try:
                await w.event.wait()
            except BaseException:
                if w.lead and not w.done:
                    with anyio.CancelScope(shield=True):
                        await self._flush()   # promoted as we were cancelled: serve the others
                raise
        else:
            self._busy = True
            w.lead = True
        if not w.done:
            await self._flush()
        if w.breaker is not None:
            raise _breaker_error(w.breaker)
        if w.failure is not None:
            self._unreachable(w.failure)
            return await self._local_token()
        self._reachable()
        # Redis read its clock between `asked` and `received`: sleeping the wait from `received`
        # never goes early, and a call is late when it is past the wait counted from `asked`.
        slot = max(w.received + w.wait, self._local_until)  # after a fallback: its calls go first
        self._shared_until = max(self._shared_until, slot)
        return await _wait_for(slot, self._c.margin, earliest=w.asked + w.wait)

    async def _flush(self) -> None:
        """Reserve slots for every queued caller in one script call, then hand the lead on."""
        batch = list(self._queue)
        self._queue.clear()
        asked = time.monotonic()
        for w in batch:
            w.asked = asked
        with anyio.CancelScope(shield=True):  # the others in the batch depend on this answer
            try:
                self._rate_args[2] = len(batch)
                reply = await self._rate(keys=self._keys_rate, args=self._rate_args)
            except _UNREACHABLE as exc:
                for w in batch:
                    w.failure = exc
            else:
                received = time.monotonic()
                for w in batch:
                    w.received = received
                if int(reply[0]) == 1:
                    for w in batch:
                        w.breaker = reply[1]
                else:
                    for w, us in zip(batch, reply[1:], strict=True):
                        w.wait = int(us) / 1e6
        for w in batch:
            w.done = True
            w.event.set()
        if self._queue:
            nxt = self._queue[0]
            nxt.lead = True
            nxt.event.set()
        else:
            self._busy = False

    async def _local_token(self) -> bool:
        assert self._local_rate is not None
        slot = time.monotonic() + self._local_rate.reserve()
        self._local_until = max(self._local_until, slot)
        return await _wait_for(slot, self._c.margin)

    # -- in-flight leases ---------------------------------------------------------------------

    @contextlib.asynccontextmanager
    async def lease(self, seconds: float | None = None) -> AsyncIterator[None]:
        """Hold one of the ``max_in_flight`` slots of this server while the body runs; the lease
        expires after ``seconds`` (default ``lease_seconds``) if this process dies holding it."""
        if self._c.max_in_flight is None:
            yield
            return
        if self._in_fallback():
            async with self._fallback_gate():
                yield
            return
        lease_id = await self._acquire_lease(seconds)
        if lease_id is None:  # Redis failed while acquiring: fell back
            async with self._fallback_gate():
                yield
            return
        try:
            yield
        finally:
            with anyio.CancelScope(shield=True), contextlib.suppress(*_UNREACHABLE):
                await self._redis.zrem(self._keys_lease[0], lease_id)  # else it expires

    @contextlib.asynccontextmanager
    async def _fallback_gate(self) -> AsyncIterator[None]:
        assert self._local_gate is not None
        async with self._local_gate:
            yield

    async def _acquire_lease(self, seconds: float | None = None) -> str | None:
        lease_id = self._c.next_id()
        ms = self._lease_ms if seconds is None or self._c.lease_seconds else max(1, int(seconds * 1000))
        args: list[str | int] = [lease_id, ms, self._c.max_in_flight or 1]
        delay = 0.002
        async with self._lease_gate:
            while True:
                try:
                    reply = await self._lease(keys=self._keys_lease, args=args)
                except _UNREACHABLE as exc:
                    self._unreachable(exc)
                    return None
                self._reachable()
                if isinstance(reply, list):
                    raise _breaker_error(reply[1])
                if int(reply) == 1:
                    return lease_id
                # Full: poll (one task per process), backing off to 50 ms.
                await anyio.sleep(delay)
                delay = min(delay * 2, 0.05)

    # -- authentication ----------------------------------------------------------------------

    async def check_breaker(self) -> None:
        """Raise the error that opened the shared breaker, if it is open."""
        if self._in_fallback():
            return
        try:
            record = await self._redis.get(self._breaker_key)
        except _UNREACHABLE as exc:
            self._unreachable(exc)
            return
        self._reachable()
        if record is not None:
            raise _breaker_error(record)

    async def trip(self, error: errors.AuthenticationError, lock_seconds: float) -> None:
        """Open the shared breaker: for ``lock_seconds`` after a lockout, else until a reset."""
        record = _breaker_record(error)
        ms = int(lock_seconds * 1000) if isinstance(error, errors.AccountLockedError) else None
        with anyio.CancelScope(shield=True):
            try:
                await self._redis.set(self._breaker_key, record, px=ms)
            except _UNREACHABLE as exc:
                logger.warning("could not record the authentication failure in Redis at %s (%s)",
                               self._c.where, type(exc).__name__)

    async def reset_breaker(self) -> None:
        """Close the shared breaker (an operator's reset)."""
        await self._redis.delete(self._breaker_key)

    @contextlib.asynccontextmanager
    async def login_flight(self, skip: Callable[[], bool] = lambda: False) -> AsyncIterator[bool]:
        """Take the server's login flight: at most one unverified login per server and user at a
        time across every process. Yields True when the caller is the one to log in (it holds the
        flight until the block ends), False when ``skip()`` says, once its turn in this process
        comes, that the credentials were verified meanwhile (leave the block and go ahead).
        Raises the breaker's error if it opens meanwhile, so processes queued behind a failed
        login never send theirs."""
        async with self._flight_gate:
            if skip():
                yield False
                return
            token = await self._take_flight()
            try:
                if token is not None:
                    await self.check_breaker()  # tripped by the holder before us
                yield True
            finally:
                if token is not None:
                    with anyio.CancelScope(shield=True), contextlib.suppress(*_UNREACHABLE):
                        await self._release(keys=[self._flight_key], args=[token])

    async def _take_flight(self) -> str | None:
        token = self._c.next_id()
        delay = 0.01
        while True:
            if self._in_fallback():
                return None
            try:
                got = await self._redis.set(self._flight_key, token, nx=True, px=self._lease_ms)
            except _UNREACHABLE as exc:
                self._unreachable(exc)
                return None
            self._reachable()
            if got:
                return token
            await self.check_breaker()
            await anyio.sleep(delay)
            delay = min(delay * 2, 0.2)
