"""ERROR answers that are really readings: "nobody is logged in" is a count of zero, not a fault.

VICIdial answers some stats functions with an ``ERROR:`` line when there is simply nothing to list.
A poller that treated those as failures would back off from a healthy server and paint it red on a
wallboard whenever the floor is empty, so they are turned into an empty table here.
"""

from __future__ import annotations

from typing import Any

from ..errors import APIError
from ..models._table import TableResult
from ..protocol.registry import REGISTRY
from ..protocol.tables import Table

__all__ = ["empty_answer"]

# The functions whose "nothing found" ERROR (the generator's nothing_found facet) means "no rows".
_EMPTY_WHEN_NOTHING_FOUND = frozenset({"logged_in_agents", "hopper_list", "agent_stats_export"})


def empty_answer(function: str, exc: BaseException, *, typed: bool = False) -> Any:
    """An empty table when ``exc`` is ``function``'s way of saying "no rows", else ``None``.

    ``typed`` asks for what the typed endpoint methods return (an empty ``TableResult``) instead
    of the generic :class:`~vicidial_async.protocol.tables.Table` of ``client.call``.

    >>> from vicidial_async.errors import NotLoggedInError
    >>> err = NotLoggedInError("logged_in_agents", "logged_in_agents NO LOGGED IN AGENTS", ("6666", ""),
    ...                        nothing_found=True)
    >>> len(empty_answer("logged_in_agents", err))
    0
    """
    if function not in _EMPTY_WHEN_NOTHING_FOUND or not isinstance(exc, APIError):
        return None
    if exc.function != function or not exc.nothing_found:
        return None
    columns = REGISTRY["non_agent", function].response.columns
    if typed:
        return TableResult(rows=(), columns=columns, raw=exc.raw)
    return Table(function, columns, (), raw=exc.raw)
