"""Injected failures, per function: latency, error answers, HTTP errors, resets, cut bodies.

>>> from vicidial_async.testing import FakeVicidial
>>> fake = FakeVicidial()
>>> fake.faults.set("add_lead", reset="after", times=1)   # the next add_lead lands, then the
...                                                        # connection drops without an answer
>>> fake.faults.set("*", latency=0.02)                     # every other function: +20 ms

One fault per function (``"*"`` matches functions without their own). A fault fires on a call when
the call is past ``skip``, fewer than ``times`` calls fired it so far, and a draw falls under
``rate`` (so ``times=1`` injects exactly one failure). ``latency`` is added to every matching call,
whether the rest of the fault fires or not.
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable, Iterable, Mapping
from typing import Any, Literal

import attrs

__all__ = ["Fault", "Faults", "latency_from_spec"]

Latency = float | Callable[[], float]
ResetMode = Literal["before", "after", "mid"]


def latency_from_spec(spec: Any, rng: random.Random) -> Latency | None:
    """A latency from JSON-friendly data: seconds, or ``{"dist": ..., ...}``.

    Distributions: ``uniform`` (low, high), ``exponential`` (mean), ``normal`` (mean, stddev,
    floored at 0), ``lognormal`` (median, sigma), ``pareto`` (scale, alpha: a heavy tail).
    """
    if spec is None or callable(spec):
        return spec  # type: ignore[no-any-return]
    if isinstance(spec, (int, float)):
        return float(spec)
    if not isinstance(spec, Mapping):
        raise ValueError(f"latency must be seconds or a distribution mapping, got {spec!r}")
    dist = spec.get("dist", "fixed")
    if dist == "fixed":
        return float(spec.get("seconds", spec.get("value", 0.0)))
    if dist == "uniform":
        lo, hi = float(spec["low"]), float(spec["high"])
        return lambda: rng.uniform(lo, hi)
    if dist == "exponential":
        mean = float(spec["mean"])
        return lambda: rng.expovariate(1.0 / mean) if mean > 0 else 0.0
    if dist == "normal":
        mu, sd = float(spec["mean"]), float(spec.get("stddev", 0.0))
        return lambda: max(0.0, rng.gauss(mu, sd))
    if dist == "lognormal":
        median, sigma = float(spec["median"]), float(spec.get("sigma", 0.5))
        return lambda: rng.lognormvariate(math.log(median), sigma)
    if dist == "pareto":
        scale, alpha = float(spec["scale"]), float(spec.get("alpha", 2.0))
        return lambda: scale * rng.paretovariate(alpha)
    raise ValueError(f"unknown latency distribution {dist!r}")


@attrs.define(kw_only=True, eq=False)
class Fault:
    """What to do to the calls of one function. Fields left unset change nothing.

    Kinds of failure (one answer gets at most one, in this order of precedence):

    - ``reset="before"``: drop the connection without applying the call and without any answer;
      ``reset="after"``: apply the call, then drop the connection without any answer (the case a
      client must never resend blindly); ``reset="mid"``: apply, send the headers and half of the
      body, then drop the connection.
    - ``html_error``: answer an HTML error page (status ``http_status``, default 500), not applied
      unless ``apply=True``.
    - ``error``: answer an ERROR line of the function with HTTP 200, not applied (``True`` picks
      a reference template; a string is sent as the body).
    - ``http_status`` (500, 502, 503 ...): answer that status with an empty body, not applied; with
      ``apply=True`` the call is applied and its real body is sent with that status (PHP printed
      SUCCESS, then died). ``retry_after`` adds a ``Retry-After`` header.
    - ``truncate``: apply, then send only part of the body (``True`` = half, or the fraction to
      keep), with status ``http_status`` or 200.
    - ``trickle``: apply, then send the body in small pieces with this many seconds between them.
    - ``hold``: apply, then hold the answer this many seconds before sending it (a client whose
      read timeout is shorter gives up on a call that landed).
    - ``land_late``: drop the connection at once without an answer, and apply the call this
      many seconds later (a request stuck in a proxy or a busy server: the answer is lost first,
      the change lands afterwards). Over real sockets only (the fake server process); in process
      the call is applied after the delay and then the connection drops.
    """

    function: str = "*"
    api: str | None = None
    latency: Latency | None = None
    rate: float = 1.0
    error: bool | str = False
    http_status: int | None = None
    retry_after: float | None = None
    reset: ResetMode | None = None
    truncate: bool | float = False
    html_error: bool = False
    trickle: float | None = None
    trickle_chunk: int = 16
    hold: float | None = None
    land_late: float | None = None
    apply: bool = False
    times: int | None = None
    skip: int = 0
    seen: int = 0
    """Matching calls so far."""
    fired: int = 0
    """Calls the failure part of this fault was applied to."""

    @property
    def has_failure(self) -> bool:
        """True when the fault does more than add latency."""
        return bool(
            self.reset or self.html_error or self.error or self.http_status or self.truncate
            or self.trickle or self.hold or self.land_late
        )

    def to_json(self) -> dict[str, Any]:
        """JSON data of this fault (a callable latency shows as ``callable``)."""
        d = attrs.asdict(self)
        if callable(self.latency):
            d["latency"] = "callable"
        return d


@attrs.frozen(slots=True)
class Decision:
    """The outcome for one call: added latency and (maybe) the fault to apply."""

    latency: float
    fault: Fault | None


_NONE = Decision(0.0, None)


class Faults:
    """The fault table of one fake server (``fake.faults``)."""

    def __init__(self, *, seed: int | None = 0) -> None:
        self._by_key: dict[tuple[str | None, str], Fault] = {}
        self._rng = random.Random(seed)
        self.injected: list[tuple[str, str, str]] = []
        """(api, function, kind) of every failure injected, in order."""

    def set(
        self,
        function: str = "*",
        *,
        api: str | None = None,
        latency: Any = None,
        error_rate: float | None = None,
        rate: float | None = None,
        error: bool | str = False,
        http_status: int | None = None,
        retry_after: float | None = None,
        reset: ResetMode | None = None,
        truncate: bool | float = False,
        html_error: bool = False,
        trickle: float | None = None,
        trickle_chunk: int = 16,
        hold: float | None = None,
        land_late: float | None = None,
        apply: bool = False,
        times: int | None = None,
        skip: int = 0,
    ) -> Fault:
        """Arm a fault for ``function`` (``"*"`` = every function without its own fault).

        ``error_rate`` alone means "answer an ERROR line on that fraction of calls"; with another
        kind of failure it is that failure's rate (same as ``rate``).
        """
        if reset not in (None, "before", "after", "mid"):
            raise ValueError("reset must be 'before', 'after' or 'mid'")
        if error_rate is not None:
            rate = error_rate
            if not (error or http_status or reset or truncate or html_error or trickle or hold
                    or land_late):
                error = True
        fault = Fault(
            function=function,
            api=api,
            latency=latency_from_spec(latency, self._rng),
            rate=1.0 if rate is None else float(rate),
            error=error,
            http_status=http_status,
            retry_after=retry_after,
            reset=reset,
            truncate=truncate,
            html_error=html_error,
            trickle=trickle,
            trickle_chunk=trickle_chunk,
            hold=hold,
            land_late=land_late,
            apply=apply,
            times=times,
            skip=skip,
        )
        self._by_key[(api, function)] = fault
        return fault

    def set_many(self, specs: Iterable[Mapping[str, Any]]) -> list[Fault]:
        """Arm faults from JSON-like mappings (what ``POST /_fake/faults`` accepts)."""
        return [self.set(**dict(s)) for s in specs]

    def clear(self, function: str | None = None, *, api: str | None = None) -> None:
        """Remove one function's fault, or every fault."""
        if function is None:
            self._by_key.clear()
        else:
            self._by_key.pop((api, function), None)

    def __bool__(self) -> bool:
        return bool(self._by_key)

    def __iter__(self) -> Any:
        return iter(self._by_key.values())

    def get(self, function: str, api: str | None = None) -> Fault | None:
        """The fault armed for exactly this function, if any."""
        return self._by_key.get((api, function))

    def decide(self, api: str, function: str) -> Decision:
        """Draw the fault outcome of one call (counts the call)."""
        if not self._by_key:
            return _NONE
        by = self._by_key
        fault = (
            by.get((api, function)) or by.get((None, function)) or by.get((api, "*")) or by.get((None, "*"))
        )
        if fault is None:
            return _NONE
        fault.seen += 1
        lat = fault.latency
        latency = (lat() if callable(lat) else float(lat)) if lat is not None else 0.0
        if not fault.has_failure or fault.seen <= fault.skip:
            return Decision(latency, None)
        if fault.times is not None and fault.fired >= fault.times:
            return Decision(latency, None)
        if fault.rate < 1.0 and self._rng.random() >= fault.rate:
            return Decision(latency, None)
        fault.fired += 1
        return Decision(latency, fault)

    def to_json(self) -> list[dict[str, Any]]:
        """JSON data of this fault (a callable latency shows as ``callable``)."""
        return [f.to_json() for f in self._by_key.values()]
