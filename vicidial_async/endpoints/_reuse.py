"""The last call a repeating caller prepared, handed back when it asks again with the same
parameters (the poller asks each question every few seconds)."""

from __future__ import annotations

from collections.abc import Mapping
from contextvars import ContextVar
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:
    from ..operations import Operation, Prepared

__all__ = ["PREPARED_REUSE", "PreparedReuse"]

R = TypeVar("R")


class PreparedReuse:
    """One repeated call's last :class:`~vicidial_async.operations.Prepared`.

    Preparing (encoding, checking every parameter, the function's rules) depends only on the
    operation and its parameters, and a :class:`Prepared` is not changed by sending it, so the
    same question asked again needs none of it. Any other operation or parameters are prepared
    anew (and remembered instead). Parameters are compared by value, at the top level: it is
    meant for callers whose values do not change in place (a :class:`~vicidial_async.poll.Poll`
    freezes its parameters).
    """

    __slots__ = ("_custom", "_op", "_params", "_prepared")

    def __init__(self) -> None:
        self._op: Operation[Any, Any] | None = None
        self._params: dict[str, Any] = {}
        self._custom: dict[str, Any] | None = None
        self._prepared: Prepared[Any] | None = None

    def prepare(self, op: Operation[Any, R], params: Mapping[str, Any],
                custom_fields: Mapping[str, Any] | None) -> Prepared[R]:
        """``op.prepare(params, custom_fields)``, or the last result when all three are the same."""
        if (op is self._op and self._prepared is not None and params == self._params
                and custom_fields == self._custom):
            return self._prepared
        prepared = op.prepare(params, custom_fields)
        # Copies: a caller's mapping changed in place must not look like the one prepared.
        self._op, self._params, self._prepared = op, dict(params), prepared
        self._custom = None if custom_fields is None else dict(custom_fields)
        return prepared


PREPARED_REUSE: ContextVar[PreparedReuse | None] = ContextVar(
    "vicidial_async.prepared_reuse", default=None)
"""The :class:`PreparedReuse` that typed endpoint methods called in this context (task) draw on
(the poller sets one per polled function around each poll); ``None``: every call is prepared."""
