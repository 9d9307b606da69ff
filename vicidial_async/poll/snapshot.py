"""What a poller reports: a :class:`Snapshot` of every source, each a set of :class:`Reading` objects.

Snapshots are immutable views built from the poller's state at one moment; holding one never keeps
the poller from moving on, and the poller keeps only the latest value and error per function, so
its memory does not grow however long it runs.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Iterator, Mapping
from typing import Any

import attrs

from ..errors import APIError, VicidialError

__all__ = ["Reading", "Snapshot", "SourceSnapshot", "State", "error_info", "to_jsonable"]


class State(enum.Enum):
    """How a reading, or a whole source, is doing."""

    PENDING = "pending"
    """Nothing answered yet (just started)."""
    OK = "ok"
    """The last poll succeeded and its value is fresh."""
    STALE = "stale"
    """The value is older than ``stale_after`` (polls are slow or ticks are being skipped)."""
    FAILING = "failing"
    """The last poll failed; the function is backing off and will retry by itself."""
    STOPPED = "stopped"
    """Polling stopped for good: the login was refused (retrying could lock the account)."""


_RANK = {State.OK: 0, State.PENDING: 1, State.STALE: 2, State.FAILING: 3, State.STOPPED: 4}


@attrs.frozen(slots=True)
class Reading:
    """The latest of one polled function on one source.

    ``value`` is the last successful answer (kept while later polls fail, so a display can show it
    marked stale); ``taken_at`` is when it arrived and ``age`` its age in seconds when the snapshot
    was built. ``error`` is the error of the last poll, ``None`` once a poll succeeds again.
    ``skipped`` counts ticks that came while a poll was still running (never started twice).
    """

    source: str
    key: str
    function: str
    value: Any
    taken_at: dt.datetime | None
    age: float | None
    stale: bool
    error: BaseException | None
    error_at: dt.datetime | None
    failures: int
    """Consecutive failed polls (0 after a success)."""
    polls: int
    errors: int
    skipped: int
    latency: float | None
    """Seconds the last poll took (limiter wait included)."""
    stopped: bool = False

    @property
    def ok(self) -> bool:
        """True when the value is fresh and the last poll succeeded."""
        return self.state is State.OK

    @property
    def state(self) -> State:
        """One word for the display: pending, ok, stale, failing or stopped."""
        if self.stopped:
            return State.STOPPED
        if self.error is not None:
            return State.FAILING
        if self.taken_at is None:
            return State.PENDING
        return State.STALE if self.stale else State.OK

    def to_dict(self, *, values: bool = True) -> dict[str, Any]:
        """A JSON-ready dict (``values=False`` leaves the answer out, for compact logs)."""
        out: dict[str, Any] = {
            "function": self.function,
            "state": self.state.value,
            "stale": self.stale,
            "taken_at": _iso(self.taken_at),
            "age": None if self.age is None else round(self.age, 3),
            "latency": None if self.latency is None else round(self.latency, 4),
            "polls": self.polls,
            "errors": self.errors,
            "skipped": self.skipped,
            "failures": self.failures,
            "error": error_info(self.error),
            "error_at": _iso(self.error_at),
        }
        if values:
            out["value"] = to_jsonable(self.value)
        return out


@attrs.frozen(slots=True)
class SourceSnapshot:
    """One source in a snapshot: its readings by key, and its overall state.

    ``error`` is the error that stopped the source (an authentication failure), else the most
    recent error among its readings.
    """

    name: str
    readings: Mapping[str, Reading]
    stopped_by: BaseException | None = None

    def __getitem__(self, key: str) -> Reading:
        return self.readings[key]

    def __iter__(self) -> Iterator[Reading]:
        return iter(self.readings.values())

    def get(self, key: str) -> Reading | None:
        """The reading of ``key``, or ``None`` when the source does not poll it."""
        return self.readings.get(key)

    def value(self, key: str, default: Any = None) -> Any:
        """The last value of ``key`` (``default`` when there is none yet)."""
        r = self.readings.get(key)
        return default if r is None or r.value is None else r.value

    @property
    def state(self) -> State:
        """The worst state among the readings (stopped > failing > stale > pending > ok)."""
        if self.stopped_by is not None:
            return State.STOPPED
        states = [r.state for r in self.readings.values()] or [State.PENDING]
        return max(states, key=_RANK.__getitem__)

    @property
    def error(self) -> BaseException | None:
        """What stopped the source, else the newest error of its readings."""
        if self.stopped_by is not None:
            return self.stopped_by
        failing = [r for r in self.readings.values() if r.error is not None]
        if not failing:
            return None
        return max(failing, key=lambda r: r.error_at or _EPOCH).error

    @property
    def stale(self) -> bool:
        """True when any reading is stale (or has never answered)."""
        return any(r.stale for r in self.readings.values())

    def to_dict(self, *, values: bool = True) -> dict[str, Any]:
        """A JSON-ready dict of the source and its readings."""
        return {
            "state": self.state.value,
            "stale": self.stale,
            "error": error_info(self.error),
            "functions": {k: r.to_dict(values=values) for k, r in self.readings.items()},
        }


@attrs.frozen(slots=True)
class Snapshot:
    """Every source at one moment. ``seq`` grows with every snapshot the poller builds (from 1);
    ``at`` is wall-clock UTC time."""

    seq: int
    at: dt.datetime
    sources: Mapping[str, SourceSnapshot]
    skipped_snapshots: int = 0
    """Snapshots replaced before the consumer took them (it was slower than the cadence)."""

    def __getitem__(self, name: str) -> SourceSnapshot:
        return self.sources[name]

    def __iter__(self) -> Iterator[SourceSnapshot]:
        return iter(self.sources.values())

    def __len__(self) -> int:
        return len(self.sources)

    @property
    def healthy(self) -> bool:
        """True when every source is ok."""
        return all(s.state is State.OK for s in self.sources.values())

    def to_dict(self, *, values: bool = True) -> dict[str, Any]:
        """A JSON-ready dict: ``{"seq", "at", "sources": {name: {...}}}``."""
        return {
            "seq": self.seq,
            "at": _iso(self.at),
            "sources": {n: s.to_dict(values=values) for n, s in self.sources.items()},
        }


_EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)


def _iso(when: dt.datetime | None) -> str | None:
    return None if when is None else when.isoformat(timespec="milliseconds")


def error_info(exc: BaseException | None) -> dict[str, Any] | None:
    """An error as ``{"type", "message"}`` (plus ``reason`` for API errors). Messages of the
    library's errors hold masked text only, so this is safe to print or ship to a log."""
    if exc is None:
        return None
    info: dict[str, Any] = {"type": type(exc).__name__}
    if isinstance(exc, VicidialError):
        info["message"] = str(exc)
    else:
        # Foreign exceptions may carry anything (a URL, a request repr): keep their type only.
        info["message"] = type(exc).__name__
    if isinstance(exc, APIError):
        info["reason"] = exc.reason
    return info


def to_jsonable(value: Any) -> Any:
    """Turn an answer into JSON-ready data: tables become lists of row dicts, attrs models dicts
    (``raw`` bodies left out), dates ISO strings."""
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    if isinstance(value, (dt.datetime, dt.date, dt.time)):
        return value.isoformat()
    if isinstance(value, dt.timedelta):
        return value.total_seconds()
    if isinstance(value, enum.Enum):
        return to_jsonable(value.value)
    if hasattr(value, "columns"):
        # A table (generic Table or typed TableResult): its rows, each a dict by column name.
        dicts = getattr(value, "dicts", None)
        if callable(dicts):
            return [to_jsonable(d) for d in dicts()]
        rows = getattr(value, "rows", None)
        if isinstance(rows, tuple):
            return [to_jsonable(r) for r in rows]
    if attrs.has(type(value)):
        return {f.name: to_jsonable(getattr(value, f.name))
                for f in attrs.fields(type(value)) if f.name != "raw"}
    if isinstance(value, Mapping):
        return {str(k): to_jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set, frozenset)):
        return [to_jsonable(v) for v in value]
    return str(value)
