"""What every endpoint group shares: run one operation through the client."""

from __future__ import annotations

import warnings
from collections.abc import Coroutine, Mapping
from typing import TYPE_CHECKING, Any, Literal, TypeVar

from ._reuse import PREPARED_REUSE

if TYPE_CHECKING:
    from ..client import VicidialClient
    from ..operations import Operation

__all__ = ["EndpointGroup", "Stage"]

R = TypeVar("R")

Stage = Literal["pipe", "csv", "tab"]
"""Delimiter of a table answer: ``|``, ``,`` or TAB."""


class EndpointGroup:
    """Base of ``vd.leads``, ``vd.lists`` ...: holds the client and runs operations."""

    def __init__(self, client: VicidialClient) -> None:
        self._client = client

    def __repr__(self) -> str:
        return f"<{type(self).__name__} of {self._client!r}>"

    def _run(self, op: Operation[Any, R], params: Mapping[str, Any], *,
             custom_fields: Mapping[str, Any] | None = None,
             timeout: float | None = None) -> Coroutine[Any, Any, R]:
        """Prepare ``op`` with ``params`` (raising before anything is sent); the call to await
        for its result.

        The data warnings the checks raised are issued here, pointing at the caller's line. Not a
        coroutine itself: the endpoint method awaits the client's directly, one frame less for
        every pass of the event loop through the call.
        """
        reuse = PREPARED_REUSE.get()
        prepared = (op.prepare(params, custom_fields) if reuse is None
                    else reuse.prepare(op, params, custom_fields))
        for warning in prepared.warnings:
            warnings.warn(warning, stacklevel=3)
        return self._client.run_prepared(prepared, timeout=timeout)
