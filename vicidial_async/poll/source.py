"""What to poll: a :class:`Source` is one server's client plus the :class:`Poll` items to run on it.

Only read functions of the Non-Agent API may be polled: a poller repeats its calls forever, and
repeating a write would repeat its effect. Parameters are checked when the source is built, so a
typo fails at start-up instead of on every tick.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Awaitable, Callable, Iterable, Mapping
from types import MappingProxyType
from typing import Any, Protocol, TypeAlias

import attrs

from ..errors import ConfigurationError, InvalidParameterError
from ..protocol.params import build_form, validate_form
from ..protocol.registry import REGISTRY, FunctionSpec

__all__ = ["Poll", "PollLike", "Source", "SupportsCall"]


class SupportsCall(Protocol):
    """What a source needs from its client: ``VicidialClient`` or anything with the same ``call``."""

    def call(self, function: str, /, **params: Any) -> Awaitable[Any]:
        """Call a VICIdial function by name."""
        ...


def _frozen_params(value: Mapping[str, Any] | None) -> Mapping[str, Any]:
    return MappingProxyType(dict(value or {}))


def _read_spec(function: str) -> FunctionSpec:
    spec = REGISTRY.get(("non_agent", function))
    if spec is None:
        raise ConfigurationError(f"{function!r} is not a Non-Agent API function")
    if spec.effect != "read":
        raise ConfigurationError(
            f"{function!r} changes data; only read functions may be polled")
    return spec


@attrs.frozen(slots=True)
class Poll:
    """One function to poll, with its parameters.

    ``key`` names the reading in snapshots (default: the function name); give two polls of the
    same function different keys, e.g. ``agent_status`` for two agents. ``every`` overrides the
    poller's cadence for this function (a heavy export every minute, say).

    >>> Poll("in_group_status", {"in_groups": ["SALES", "SUPPORT"]}).key
    'in_group_status'
    """

    function: str
    params: Mapping[str, Any] = attrs.field(factory=dict, converter=_frozen_params)
    key: str = ""
    every: float | None = None

    def __attrs_post_init__(self) -> None:
        _read_spec(self.function)
        if not self.key:
            object.__setattr__(self, "key", self.function)
        if self.every is not None and not self.every > 0:
            raise ConfigurationError(f"{self.key}: every must be > 0")

    @property
    def spec(self) -> FunctionSpec:
        """The registry entry of the polled function."""
        return REGISTRY["non_agent", self.function]


PollLike: TypeAlias = "Poll | str | tuple[str, Mapping[str, Any]]"


def _to_poll(item: PollLike) -> Poll:
    if isinstance(item, Poll):
        return item
    if isinstance(item, str):
        return Poll(item)
    if isinstance(item, tuple) and len(item) == 2 and isinstance(item[0], str):
        return Poll(item[0], item[1])
    raise ConfigurationError(f"cannot poll {item!r}: give a function name, (name, params) or a Poll")


def _to_polls(items: Iterable[PollLike] | Mapping[str, Mapping[str, Any]]) -> tuple[Poll, ...]:
    if isinstance(items, Mapping):
        polls = tuple(Poll(name, params) for name, params in items.items())
    elif isinstance(items, (str, Poll)):
        polls = (_to_poll(items),)
    else:
        polls = tuple(_to_poll(i) for i in items)
    keys = [p.key for p in polls]
    dup = sorted({k for k in keys if keys.count(k) > 1})
    if dup:
        raise ConfigurationError(f"two polls share the key {dup[0]!r}: give them distinct keys")
    if not polls:
        raise ConfigurationError("a source needs at least one function to poll")
    return polls


def _default_name(client: object) -> str:
    return str(getattr(client, "host", "") or getattr(client, "url", "") or "")


@attrs.frozen(slots=True)
class Source:
    """One server to poll: its client, the functions, and optional per-source settings.

    ``polls`` takes function names, ``(name, params)`` pairs, :class:`Poll` objects, or a mapping
    ``{name: params}``. ``name`` labels the source in snapshots (default: the client's host).
    ``max_concurrent`` caps how many of this source's polls run at once, on top of the client's own
    rate limit, so one server is never handed a burst of reports while it runs the dialer.

    >>> src = Source(vd, ["logged_in_agents", ("in_group_status", {"in_groups": "SALES"})],
    ...              name="east")                                      # doctest: +SKIP
    """

    client: SupportsCall
    polls: tuple[Poll, ...] = attrs.field(converter=_to_polls)
    name: str = ""
    every: float | None = None
    max_concurrent: int = 3

    def __attrs_post_init__(self) -> None:
        if not self.name:
            object.__setattr__(self, "name", _default_name(self.client))
        if not self.name:
            raise ConfigurationError("a source needs a name (its client has no host)")
        if self.every is not None and not self.every > 0:
            raise ConfigurationError(f"{self.name}: every must be > 0")
        if self.max_concurrent < 1:
            raise ConfigurationError(f"{self.name}: max_concurrent must be >= 1")
        for poll in self.polls:
            _check_params(self.client, poll)

    def is_typed(self, poll: Poll) -> bool:
        """True when ``poll`` runs through a typed endpoint method of the client."""
        return _typed_method(self.client, poll) is not None

    def target(self, poll: Poll) -> Callable[[], Awaitable[Any]]:
        """The zero-argument coroutine function that performs ``poll`` once.

        The typed endpoint method (``client.stats.logged_in_agents``) is used when the client has
        one, so readings hold typed results; otherwise ``client.call(function, **params)``.
        """
        method = _typed_method(self.client, poll)
        if method is not None:
            return functools.partial(method, **poll.params)
        return functools.partial(self.client.call, poll.function, **poll.params)


def _typed_method(client: object, poll: Poll) -> Callable[..., Awaitable[Any]] | None:
    group = getattr(client, poll.spec.group, None)
    method = getattr(group, poll.function, None) if group is not None else None
    return method if callable(method) else None


def _check_params(client: object, poll: Poll) -> None:
    """Refuse parameters the call would refuse, before the first tick."""
    method = _typed_method(client, poll)
    if method is not None:
        try:
            inspect.signature(method).bind(**poll.params)
        except TypeError as exc:
            raise ConfigurationError(f"{poll.key}: {exc}") from None
        return
    spec = poll.spec
    try:
        validate_form(spec, build_form(spec, poll.params))
    except InvalidParameterError as exc:
        raise ConfigurationError(f"{poll.key}: {exc}") from None
