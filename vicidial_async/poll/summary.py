"""Wallboard figures from a source's readings: agents by state, calls waiting, in-groups, campaigns.

Works on whatever the readings hold: typed table results (rows are attrs models) or the generic
:class:`~vicidial_async.protocol.tables.Table` of ``client.call``. Rows are read by the reference's
column names, which the typed row models keep.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from typing import Any

import attrs

from ..models._parse import opt_float, opt_int
from .snapshot import SourceSnapshot

__all__ = ["CampaignLine", "InGroupLine", "ServerSummary", "rows_of", "summarize"]

IN_GROUP_PREFIX = "in_group_status:"
"""Key prefix of the per-in-group polls the CLI builds (``in_group_status:SALES``)."""


def rows_of(value: Any) -> list[Mapping[str, Any]]:
    """The rows of a table answer as mappings by column name (empty for ``None``)."""
    if value is None:
        return []
    dicts = getattr(value, "dicts", None)
    if callable(dicts):
        out: list[Mapping[str, Any]] = dicts()
        return out
    rows: Iterable[Any] = getattr(value, "rows", value)
    result: list[Mapping[str, Any]] = []
    for row in rows:
        if isinstance(row, Mapping):
            result.append(row)
        elif attrs.has(type(row)):
            result.append(attrs.asdict(row, recurse=False))
    return result


def _int(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    return opt_int(None if value is None else str(value))


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "Y" if value else "N"
    return str(getattr(value, "value", value))


@attrs.frozen(slots=True)
class InGroupLine:
    """One in-group's queue: calls waiting, total calls and agent counts."""

    in_group: str
    calls_waiting: int | None
    total_calls: int | None
    agents_logged_in: int | None
    agents_in_calls: int | None
    agents_waiting: int | None
    agents_paused: int | None


@attrs.frozen(slots=True)
class CampaignLine:
    """One campaign: its settings and the number of agents logged in to it."""

    campaign_id: str
    name: str
    active: bool
    dial_method: str
    dial_level: float | None
    agents: int


@attrs.frozen(slots=True)
class ServerSummary:
    """The wallboard line of one server.

    ``agents_by_state`` counts logged-in agents by their status (READY, INCALL, PAUSED, QUEUE,
    CLOSER ...); ``calls_waiting`` comes from user_group_status when polled (all calls waiting on
    the server), else the sum over the polled in-groups, else ``None``.
    """

    name: str
    state: str
    age: float | None
    error: str | None
    agents: int | None
    agents_by_state: Mapping[str, int]
    calls_waiting: int | None
    in_groups: tuple[InGroupLine, ...]
    campaigns: tuple[CampaignLine, ...]

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        d = attrs.asdict(self, recurse=True)
        d["agents_by_state"] = dict(self.agents_by_state)
        return d


def _in_group_line(name: str, row: Mapping[str, Any]) -> InGroupLine:
    return InGroupLine(
        in_group=name or _text(row.get("ingroups")),
        calls_waiting=_int(row.get("calls_waiting")), total_calls=_int(row.get("total_calls")),
        agents_logged_in=_int(row.get("agents_logged_in")),
        agents_in_calls=_int(row.get("agents_in_calls")),
        agents_waiting=_int(row.get("agents_waiting")), agents_paused=_int(row.get("agents_paused")))


def summarize(source: SourceSnapshot) -> ServerSummary:
    """The wallboard figures of one source in a snapshot (``None`` where nothing was polled)."""
    agents_value = source.value("logged_in_agents")
    agent_rows = rows_of(agents_value)
    by_state = Counter(_text(r.get("status")) or "?" for r in agent_rows)
    per_campaign = Counter(_text(r.get("campaign_id")) for r in agent_rows)

    in_groups: list[InGroupLine] = []
    for reading in source:
        if reading.function != "in_group_status" or reading.value is None:
            continue
        name = reading.key.removeprefix(IN_GROUP_PREFIX) if reading.key.startswith(
            IN_GROUP_PREFIX) else ""
        in_groups.extend(_in_group_line(name, row) for row in rows_of(reading.value))

    waiting: int | None = None
    ug_rows = rows_of(source.value("user_group_status"))
    if ug_rows:
        waiting = _int(ug_rows[0].get("calls_waiting"))
    elif in_groups:
        waiting = sum(ig.calls_waiting or 0 for ig in in_groups)

    campaigns = tuple(
        CampaignLine(campaign_id=_text(r.get("campaign_id")), name=_text(r.get("campaign_name")),
                     active=_text(r.get("active")) in ("Y", "True"),
                     dial_method=_text(r.get("dial_method")),
                     dial_level=(opt_float(_text(r.get("dial_level")))
                                 if r.get("dial_level") is not None else None),
                     agents=per_campaign.get(_text(r.get("campaign_id")), 0))
        for r in rows_of(source.value("campaigns_list")))

    ages = [r.age for r in source if r.age is not None]
    err = source.error
    has_agents = source.get("logged_in_agents") is not None and agents_value is not None
    return ServerSummary(
        name=source.name, state=source.state.value, age=max(ages) if ages else None,
        error=f"{type(err).__name__}: {err}" if err is not None else None,
        agents=len(agent_rows) if has_agents else None, agents_by_state=dict(by_state),
        calls_waiting=waiting, in_groups=tuple(in_groups), campaigns=campaigns)
