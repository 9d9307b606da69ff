"""``StatsPoller``: polls many servers concurrently so that a slow or dead one never stalls the rest.

Each polled function of each source runs in its own small loop on its own tick grid (see
``schedule.py``). The loop awaits its poll before looking at the clock again, so a poll still running
when the next tick comes cannot be started twice: the tick is skipped and counted. Every source has
a semaphore of ``max_concurrent`` slots on top of its client's token bucket. Failures back off on
the grid; an authentication failure stops the source, because each retried login brings the
account closer to VICIdial's lock (ten failures lock it for 15 minutes).

The poller keeps one value and one error per function, whatever the run time, and snapshots are
handed to consumers through a one-slot mailbox: a slow consumer gets the newest snapshot and a
count of the ones it missed, never a growing queue.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import inspect
import logging
import math
import random as _random
from collections.abc import Awaitable, Callable, Iterable, Iterator
from typing import Any

import anyio
import anyio.abc
import attrs

from .. import errors
from ..endpoints._reuse import PREPARED_REUSE, PreparedReuse
from ..models._rows import ROW_REUSE, RowReuse
from ..protocol.line_reuse import LINE_REUSE, LineReuse
from .answers import empty_answer
from .schedule import Cadence, backoff_slot, next_slot
from .snapshot import Reading, Snapshot, SourceSnapshot
from .source import Poll, Source

__all__ = ["StatsPoller"]

logger = logging.getLogger("vicidial_async.poll")

SnapshotCallback = Callable[[Snapshot], "Awaitable[None] | None"]
ResultCallback = Callable[[Reading], "Awaitable[None] | None"]


class _SourceState:
    """Runtime state of one source: its limiter, whether it is stopped, and its jobs."""

    __slots__ = ("every", "generation", "jobs", "limiter", "source", "stopped_by")

    def __init__(self, source: Source, every: float) -> None:
        self.source = source
        self.every = every
        # Bumped by resume(): loops of an older generation (still finishing a poll) then exit.
        self.generation = 0
        self.stopped_by: BaseException | None = None
        self.limiter: asyncio.Semaphore | None = None
        self.jobs: list[_Job] = []


class _Job:
    """Runtime state of one polled function: the last value and error, and counters."""

    __slots__ = ("cadence", "call", "error", "error_time", "errors", "every", "failures", "key",
                 "latency", "lines", "poll", "polls", "prepared", "reuse", "running", "skipped",
                 "src", "stale_after", "taken", "typed", "value")

    def __init__(self, src: _SourceState, poll: Poll, every: float, stale_after: float) -> None:
        self.src = src
        self.poll = poll
        self.key = poll.key
        self.call = src.source.target(poll)
        self.typed = src.source.is_typed(poll)
        self.every = every
        self.stale_after = stale_after
        self.cadence: Cadence | None = None
        self.value: Any = None
        self.taken: float | None = None
        self.error: BaseException | None = None
        self.error_time: float | None = None
        self.failures = 0
        self.polls = 0
        self.errors = 0
        self.skipped = 0
        self.latency: float | None = None
        self.running = False
        # Rows of the last answer, handed back for rows that come back unchanged; the call as
        # prepared last time, for the same parameters.
        self.reuse = RowReuse()
        self.lines = LineReuse()
        self.prepared = PreparedReuse()


_STOPPED: Any = object()


def _loop_time() -> float:
    return asyncio.get_running_loop().time()


def _drop_traceback(exc: BaseException) -> BaseException:
    """Keep an error without the frames it was raised through (they pin arbitrary objects)."""
    seen = 0
    cur: BaseException | None = exc
    while cur is not None and seen < 8:
        cur.__traceback__ = None
        cur = cur.__cause__ or cur.__context__
        seen += 1
    return exc


@contextlib.contextmanager
def _single_errors() -> Iterator[None]:
    """Only a callback can fail a poll loop: hand its exception over as raised, not in a group."""
    try:
        yield
    except BaseExceptionGroup as group:
        first = group.exceptions[0]
        if len(group.exceptions) == 1 and not isinstance(first, BaseExceptionGroup):
            raise first from None
        raise


async def _maybe_await(result: Awaitable[None] | None) -> None:
    if inspect.isawaitable(result):
        await result


class StatsPoller:
    """Poll real-time stats from many VICIdial servers on a steady cadence.

    >>> poller = StatsPoller([
    ...     Source(east, ["logged_in_agents", ("in_group_status", {"in_groups": ["SALES"]})]),
    ...     Source(west, ["logged_in_agents", "campaigns_list"]),
    ... ], every=2.0)                                                   # doctest: +SKIP
    >>> async with poller:                                             # doctest: +SKIP
    ...     async for snapshot in poller:
    ...         for source in snapshot:
    ...             print(source.name, source.state, len(source.value("logged_in_agents", ())))

    Iterating the poller (with or without ``async with``) starts it; cancelling the iterating task
    or leaving the ``async with`` block stops every poll. ``await poller.run()`` polls until
    cancelled and only calls the callbacks; ``await poller.poll_once()`` polls everything once.

    Args:
        sources: the servers to poll (:class:`Source`: a client plus the functions and parameters).
        every: seconds between polls of each function, and between snapshots.
        jitter: each tick starts late by up to this fraction of ``every`` (spreads many pollers).
        spread: start each source at a random phase of its first interval (default True).
        stale_after: seconds after which a value is stale (default: three intervals).
        max_backoff: the longest wait between polls of a failing function.
        timeout: seconds one poll may take, limiter wait included (default: the client's timeouts).
        on_snapshot: called with each snapshot (sync or async).
        on_result: called with the fresh reading after each poll (sync or async). Exceptions raised
            by callbacks stop the poller and surface from ``run()`` or the iteration.
        clock, sleep, random, now: injectable for tests and simulations (virtual time).
    """

    def __init__(
        self,
        sources: Iterable[Source] | Source,
        every: float = 2.0,
        *,
        jitter: float = 0.1,
        spread: bool = True,
        stale_after: float | None = None,
        max_backoff: float = 60.0,
        timeout: float | None = None,
        on_snapshot: SnapshotCallback | None = None,
        on_result: ResultCallback | None = None,
        clock: Callable[[], float] | None = None,
        sleep: Callable[[float], Awaitable[None]] | None = None,
        random: Callable[[], float] | None = None,
        now: Callable[[], dt.datetime] | None = None,
    ) -> None:
        if not every > 0:
            raise errors.ConfigurationError("every must be > 0")
        if not 0 <= jitter < 1:
            raise errors.ConfigurationError("jitter must be in [0, 1)")
        if stale_after is not None and not stale_after > 0:
            raise errors.ConfigurationError("stale_after must be > 0")
        if not max_backoff > 0:
            raise errors.ConfigurationError("max_backoff must be > 0")
        if timeout is not None and not timeout > 0:
            raise errors.ConfigurationError("timeout must be > 0")
        srcs = [sources] if isinstance(sources, Source) else list(sources)
        names = [s.name for s in srcs]
        dup = sorted({n for n in names if names.count(n) > 1})
        if dup:
            raise errors.ConfigurationError(f"two sources are named {dup[0]!r}: name them apart")
        if not srcs:
            raise errors.ConfigurationError("nothing to poll: give at least one source")
        self._every = float(every)
        self._jitter = jitter
        self._spread = spread
        self._max_backoff = max_backoff
        self._timeout = timeout
        self._on_snapshot = on_snapshot
        self._on_result = on_result
        # Defaults bind to the running loop at start (cheaper per tick than anyio's lookups).
        self._own_clock = clock is None
        self._clock = clock or _loop_time
        self._sleep = sleep or asyncio.sleep
        self._random = random or _random.Random().random
        self._now = now or (lambda: dt.datetime.now(dt.UTC))
        self._sources: dict[str, _SourceState] = {}
        for src in srcs:
            state = _SourceState(src, float(src.every or every))
            for poll in src.polls:
                job_every = float(poll.every or state.every)
                state.jobs.append(_Job(state, poll, job_every,
                                       stale_after if stale_after is not None else 3 * job_every))
            self._sources[src.name] = state
        # Time base: clock value and wall time at start, so readings carry datetimes cheaply.
        self._clock0 = 0.0
        self._wall0: dt.datetime | None = None
        self._seq = 0
        self._emitted = 0
        self._latest: tuple[int, Snapshot] | None = None
        self._changed: anyio.Event | None = None
        self._running = False
        self._tg: anyio.abc.TaskGroup | None = None
        self._runner: asyncio.Task[None] | None = None

    def __repr__(self) -> str:
        return f"<StatsPoller sources={len(self._sources)} every={self._every}>"

    # -- public API --------------------------------------------------------------------------

    @property
    def every(self) -> float:
        """Seconds between snapshots (and the default interval of every poll)."""
        return self._every

    @property
    def sources(self) -> tuple[Source, ...]:
        """The sources, in the order given."""
        return tuple(s.source for s in self._sources.values())

    @property
    def running(self) -> bool:
        """True while the poll loops run."""
        return self._running

    async def run(self) -> None:
        """Poll until cancelled, delivering snapshots to iterators and callbacks."""
        if self._running:
            raise RuntimeError("this poller is already running")
        self._running = True
        await self._run()

    async def _run(self) -> None:
        self._init_time()
        try:
            with _single_errors():
                async with anyio.create_task_group() as tg:
                    self._tg = tg
                    t0 = self._clock0
                    for state in self._sources.values():
                        anchor = t0 + (self._random() * state.every if self._spread else 0.0)
                        for job in state.jobs:
                            job.cadence = Cadence(anchor, job.every, self._jitter)
                        self._start_jobs(state)
                    tg.start_soon(self._emit_loop)
        finally:
            self._tg = None
            self._running = False
            self._notify()

    async def poll_once(self) -> Snapshot:
        """Poll every function of every (not stopped) source once, concurrently; return a snapshot.

        Per-source limits still apply. Meant for one-shot reports (``vicidial stats watch --once``).
        """
        if self._running:
            raise RuntimeError("poll_once() cannot run while the poller runs")
        self._init_time()
        with _single_errors():
            async with anyio.create_task_group() as tg:
                for state in self._sources.values():
                    for job in state.jobs:
                        tg.start_soon(self._poll, job)
        return self.snapshot()

    def snapshot(self) -> Snapshot:
        """The current state of every source, built now."""
        if self._wall0 is None:
            self._init_time()
        now = self._clock()
        self._seq += 1
        sources = {name: SourceSnapshot(
            name, {job.key: self._reading(job, now) for job in state.jobs}, state.stopped_by)
            for name, state in self._sources.items()}
        return Snapshot(self._seq, self._wall(now), sources)

    def resume(self, name: str) -> None:
        """Poll a stopped source again (after its credentials or account were fixed).

        The client's own authentication breaker is reset too, since resuming says the login may
        work now.
        """
        state = self._sources[name]
        if state.stopped_by is None:
            return
        state.stopped_by = None
        state.generation += 1
        reset = getattr(state.source.client, "reset_auth_breaker", None)
        if callable(reset):
            reset()
        for job in state.jobs:
            job.failures = 0
            job.error = None
        if self._tg is not None:
            now = self._clock()
            for job in state.jobs:
                job.cadence = Cadence(now, job.every, self._jitter)
            self._start_jobs(state)

    def __aiter__(self) -> _SnapshotIterator:
        return _SnapshotIterator(self)

    async def __aenter__(self) -> StatsPoller:
        self._start_runner()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        """Stop polling started by ``async with`` or by iterating, and wait until it has stopped."""
        runner, self._runner = self._runner, None
        if runner is None:
            return
        runner.cancel()
        with anyio.CancelScope(shield=True):
            await asyncio.wait([runner])
        if not runner.cancelled() and runner.exception() is not None:
            raise runner.exception()  # type: ignore[misc]

    # -- internals ---------------------------------------------------------------------------

    def _init_time(self) -> None:
        """Bind to the running loop: clock and limiters (a poller may be reused on a later loop,
        and asyncio primitives belong to the loop that first used them)."""
        if self._own_clock:
            self._clock = asyncio.get_running_loop().time
        for state in self._sources.values():
            state.limiter = asyncio.Semaphore(state.source.max_concurrent)
        self._clock0 = self._clock()
        self._wall0 = self._now()

    def _wall(self, t: float) -> dt.datetime:
        assert self._wall0 is not None
        return self._wall0 + dt.timedelta(seconds=t - self._clock0)

    def _start_runner(self) -> None:
        if self._runner is None and not self._running:
            self._running = True
            self._runner = asyncio.get_running_loop().create_task(self._run())

    def _start_jobs(self, state: _SourceState) -> None:
        assert self._tg is not None
        if state.limiter is None:
            state.limiter = asyncio.Semaphore(state.source.max_concurrent)
        for job in state.jobs:
            self._tg.start_soon(self._job_loop, job, name=f"poll {state.source.name}:{job.key}")

    async def _sleep_until(self, when: float) -> None:
        delay = when - self._clock()
        if delay > 0:
            await self._sleep(delay)

    async def _job_loop(self, job: _Job) -> None:
        src = job.src
        generation = src.generation
        cadence = job.cadence
        assert cadence is not None
        slot = 0
        while src.stopped_by is None and src.generation == generation:
            await self._sleep_until(cadence.due(slot, self._random()))
            if src.stopped_by is not None or src.generation != generation:
                break
            await self._poll(job)
            following, skipped = next_slot(cadence, slot, self._clock())
            job.skipped += skipped
            if job.failures:
                following = max(following, backoff_slot(cadence, slot, job.failures,
                                                         self._max_backoff))
            slot = following

    async def _call(self, job: _Job) -> Any:
        """One call through the source's limiter (``_STOPPED`` if the source stopped meanwhile)."""
        src = job.src
        if src.limiter is None:
            src.limiter = asyncio.Semaphore(src.source.max_concurrent)
        token = ROW_REUSE.set(job.reuse)
        prepared_token = PREPARED_REUSE.set(job.prepared)
        lines_token = LINE_REUSE.set(job.lines)
        try:
            if self._timeout is None:
                async with src.limiter:
                    return _STOPPED if src.stopped_by is not None else await job.call()
            try:
                async with asyncio.timeout(self._timeout):
                    async with src.limiter:
                        return _STOPPED if src.stopped_by is not None else await job.call()
            except TimeoutError as exc:
                if isinstance(exc, errors.VicidialError):
                    raise
                raise errors.TimeoutError(
                    f"{job.poll.function}: no answer within {self._timeout}s", phase="poll",
                    function=job.poll.function, host=str(getattr(src.source.client, "host", "")),
                    maybe_sent=True) from None
        finally:
            LINE_REUSE.reset(lines_token)
            PREPARED_REUSE.reset(prepared_token)
            ROW_REUSE.reset(token)

    async def _poll(self, job: _Job) -> None:
        src = job.src
        job.running = True
        started = self._clock()
        try:
            value = await self._call(job)
        except Exception as exc:  # every failure becomes a reading, never a crash of the poller
            value = empty_answer(job.poll.function, exc, typed=job.typed)
            if value is None:
                job.running = False
                await self._failed(job, _drop_traceback(exc), started)
                return
        finally:
            job.running = False
        if value is _STOPPED:
            return
        finished = self._clock()
        job.polls += 1
        job.value = value
        job.taken = finished
        job.latency = finished - started
        if job.error is not None:
            logger.info("source %s: %s recovered after %d failures", src.source.name, job.key,
                        job.failures)
        job.error = None
        job.failures = 0
        if self._on_result is not None:
            await _maybe_await(self._on_result(self._reading(job, finished)))

    async def _failed(self, job: _Job, exc: BaseException, started: float) -> None:
        src = job.src
        finished = self._clock()
        job.polls += 1
        job.errors += 1
        job.failures += 1
        job.error = exc
        job.error_time = finished
        job.latency = finished - started
        name = src.source.name
        if isinstance(exc, (errors.AuthenticationError, errors.ConfigurationError)):
            if src.stopped_by is None:
                src.stopped_by = exc
                logger.error("source %s stopped: %s: %s (fix it, then resume the source)", name,
                             type(exc).__name__, exc)
        elif job.failures == 1:
            logger.warning("source %s: %s failed: %s: %s; backing off", name, job.key,
                           type(exc).__name__, exc)
        else:
            logger.debug("source %s: %s failed again (%d): %s", name, job.key, job.failures,
                         type(exc).__name__)
        if self._on_result is not None:
            await _maybe_await(self._on_result(self._reading(job, finished)))

    def _reading(self, job: _Job, now: float) -> Reading:
        age = None if job.taken is None else now - job.taken
        return Reading(
            source=job.src.source.name, key=job.key, function=job.poll.function, value=job.value,
            taken_at=None if job.taken is None else self._wall(job.taken), age=age,
            stale=age is None or age > job.stale_after,
            error=job.error, error_at=(self._wall(job.error_time)
                      if job.error is not None and job.error_time is not None else None),
            failures=job.failures, polls=job.polls, errors=job.errors, skipped=job.skipped,
            latency=job.latency, stopped=job.src.stopped_by is not None)

    async def _emit_loop(self) -> None:
        cycle = 1
        while True:
            await self._sleep_until(self._clock0 + cycle * self._every)
            snap = self.snapshot()
            self._emitted += 1
            self._latest = (self._emitted, snap)
            self._notify()
            if self._on_snapshot is not None:
                await _maybe_await(self._on_snapshot(snap))
            cycle = max(cycle + 1, math.floor((self._clock() - self._clock0) / self._every) + 1)

    def _notify(self) -> None:
        event, self._changed = self._changed, None
        if event is not None:
            event.set()

    async def _next_snapshot(self, seen: int) -> tuple[int, Snapshot]:
        """The newest emitted snapshot after number ``seen``, waiting for one if needed."""
        while True:
            latest = self._latest
            if latest is not None and latest[0] > seen:
                return latest
            if not self._running:
                runner, self._runner = self._runner, None
                if runner is None:
                    raise StopAsyncIteration
                await asyncio.wait([runner])
                if not runner.cancelled() and runner.exception() is not None:
                    raise runner.exception()  # type: ignore[misc]
                raise StopAsyncIteration
            if self._changed is None:
                self._changed = anyio.Event()
            await self._changed.wait()


class _SnapshotIterator:
    """``async for snapshot in poller``: the newest snapshot each time, missed ones counted."""

    def __init__(self, poller: StatsPoller) -> None:
        self._poller = poller
        self._seen = poller._latest[0] if poller._latest is not None else 0
        self._owns = False

    def __aiter__(self) -> _SnapshotIterator:
        return self

    def __del__(self) -> None:
        # ``break`` out of an ``async for`` drops the iterator: stop the polling it started.
        runner = self._poller._runner if self._owns else None
        if runner is not None and not runner.done():
            runner.cancel()
            self._poller._runner = None

    async def __anext__(self) -> Snapshot:
        p = self._poller
        if not p._running and p._runner is None:
            p._start_runner()
            self._owns = True
        try:
            number, snap = await p._next_snapshot(self._seen)
        except BaseException:
            # Cancelled, or the poller failed: stop what this iteration started.
            if self._owns:
                await p.aclose()
            raise
        missed = number - self._seen - 1 if self._seen else 0
        self._seen = number
        return attrs.evolve(snap, skipped_snapshots=missed) if missed > 0 else snap
