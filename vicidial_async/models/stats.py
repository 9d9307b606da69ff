"""Result models of the stats functions (``vd.stats``): one typed row model per table function.

Counts are ``int``, durations are whole seconds (``int``) whatever ``time_format`` was asked for,
percentages are ``float`` (``"55.4%"`` -> ``55.4``). A value that does not parse becomes ``None``;
the text as sent stays in the result's ``raw``.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import ClassVar

import attrs

from ..protocol.tables import Table
from ._parse import opt_int, percent, seconds
from ._rows import TableRow, parsed
from ._table import RowSequence

__all__ = [
    "AgentStatsRow",
    "AgentStatusRow",
    "CallDispoReport",
    "CallDispoRow",
    "CallStatusStatsRow",
    "CallidInfoRow",
    "InGroupStatusRow",
    "LoggedInAgentRow",
    "PhoneNumberLogRow",
    "UserGroupStatusRow",
    "call_dispo_report_from_table",
]


@attrs.frozen(slots=True)
class LoggedInAgentRow(TableRow):
    """One agent of ``logged_in_agents``.

    ``session_id`` is the agent's conference extension; ``pause_code`` and ``sub_status`` (DEAD,
    DISPO, 3-WAY, PARK, RING, PREVIEW, DIAL or empty) are filled only with ``show_sub_status``.
    """

    COLUMNS: ClassVar[tuple[str, ...]] = (
        "user", "campaign_id", "session_id", "status", "lead_id", "callerid", "calls_today",
        "full_name", "user_group", "user_level", "pause_code", "sub_status")
    user: str = ""
    campaign_id: str = ""
    session_id: str = ""
    status: str = ""
    lead_id: int | None = None
    callerid: str = ""
    calls_today: int | None = None
    full_name: str = ""
    user_group: str = ""
    user_level: int | None = None
    pause_code: str = ""
    sub_status: str = ""
    extra: dict[str, str] = attrs.field(factory=dict, eq=False)


@attrs.frozen(slots=True)
class AgentStatusRow(TableRow):
    """The one row of ``agent_status``.

    ``real_time_sub_status`` is RING, DISPO, PREVIEW, 3-WAY, PARK, DEAD, DIAL or empty (for
    PREVIEW ``lead_id`` is the previewed lead). ``computer_ip`` is empty unless ``include_ip`` was
    asked for and the server found a recent login event.
    """

    COLUMNS: ClassVar[tuple[str, ...]] = (
        "status", "callerid", "lead_id", "campaign_id", "calls_today", "full_name", "user_group",
        "user_level", "pause_code", "real_time_sub_status", "phone_number", "vendor_lead_code",
        "session_id", "computer_ip")
    status: str = ""
    callerid: str = ""
    lead_id: int | None = None
    campaign_id: str = ""
    calls_today: int | None = None
    full_name: str = ""
    user_group: str = ""
    user_level: int | None = None
    pause_code: str = ""
    real_time_sub_status: str = ""
    phone_number: str = ""
    vendor_lead_code: str = ""
    session_id: str = ""
    computer_ip: str = ""
    extra: dict[str, str] = attrs.field(factory=dict, eq=False)


@attrs.frozen(slots=True)
class UserGroupStatusRow(TableRow):
    """The one row of ``user_group_status`` (zeros for a group without agents).

    ``usergroups`` repeats the requested groups joined by spaces; ``calls_waiting`` counts live
    calls of every campaign and in-group the API user may see, not only the requested groups'.
    """

    COLUMNS: ClassVar[tuple[str, ...]] = (
        "usergroups", "calls_waiting", "agents_logged_in", "agents_in_calls", "agents_waiting",
        "agents_paused", "agents_in_dead_calls", "agents_in_dispo", "agents_in_dial")
    usergroups: str = ""
    calls_waiting: int | None = None
    agents_logged_in: int | None = None
    agents_in_calls: int | None = None
    agents_waiting: int | None = None
    agents_paused: int | None = None
    agents_in_dead_calls: int | None = None
    agents_in_dispo: int | None = None
    agents_in_dial: int | None = None
    extra: dict[str, str] = attrs.field(factory=dict, eq=False)


@attrs.frozen(slots=True)
class InGroupStatusRow(TableRow):
    """The one row of ``in_group_status``: live calls queued for the in-groups and their agents.

    ``ingroups`` repeats the requested ids joined by spaces.
    """

    COLUMNS: ClassVar[tuple[str, ...]] = (
        "ingroups", "total_calls", "calls_waiting", "agents_logged_in", "agents_in_calls",
        "agents_waiting", "agents_paused", "agents_in_dispo", "agents_in_dial")
    ingroups: str = ""
    total_calls: int | None = None
    calls_waiting: int | None = None
    agents_logged_in: int | None = None
    agents_in_calls: int | None = None
    agents_waiting: int | None = None
    agents_paused: int | None = None
    agents_in_dispo: int | None = None
    agents_in_dial: int | None = None
    extra: dict[str, str] = attrs.field(factory=dict, eq=False)


@attrs.frozen(slots=True)
class AgentStatsRow(TableRow):
    """One agent (per campaign with ``group_by_campaign``) of ``agent_stats_export``.

    Every ``*_time``, ``avg_*`` and ``avg_session`` value is in seconds whatever ``time_format``
    was asked for (``pause_time`` is always sent as seconds). ``pct_of_queue`` and ``pause_pct``
    are percentages. ``avg_talk_time`` is computed by the server from the previous agent's talk
    figure, so it is unreliable. ``campaign_id`` is filled only with ``group_by_campaign``.
    """

    COLUMNS: ClassVar[tuple[str, ...]] = (
        "user", "full_name", "user_group", "calls", "login_time", "total_talk_time",
        "avg_talk_time", "avg_wait_time", "pct_of_queue", "pause_time", "sessions", "avg_session",
        "pauses", "avg_pause_time", "pause_pct", "pauses_per_session", "wait_time", "talk_time",
        "dispo_time", "dead_time")
    user: str = ""
    full_name: str = ""
    user_group: str = ""
    calls: int | None = None
    login_time: int | None = parsed(seconds)
    total_talk_time: int | None = parsed(seconds)
    avg_talk_time: int | None = parsed(seconds)
    avg_wait_time: int | None = parsed(seconds)
    pct_of_queue: float | None = parsed(percent)
    pause_time: int | None = parsed(seconds)
    sessions: int | None = None
    avg_session: int | None = parsed(seconds)
    pauses: int | None = None
    avg_pause_time: int | None = parsed(seconds)
    pause_pct: float | None = parsed(percent)
    pauses_per_session: int | None = None
    wait_time: int | None = parsed(seconds)
    talk_time: int | None = parsed(seconds)
    dispo_time: int | None = parsed(seconds)
    dead_time: int | None = parsed(seconds)
    campaign_id: str = ""
    extra: dict[str, str] = attrs.field(factory=dict, eq=False)


@attrs.frozen(slots=True)
class PhoneNumberLogRow(TableRow):
    """One call of ``phone_number_log`` (newest first per number, outbound before inbound).

    ``lead_status`` and ``source_id`` come from the lead; ``call_status`` is the call's own
    disposition and ``hangup_reason`` its term reason.
    """

    COLUMNS: ClassVar[tuple[str, ...]] = (
        "phone_number", "call_date", "list_id", "length_in_sec", "lead_status", "hangup_reason",
        "call_status", "source_id", "user")
    phone_number: str = ""
    call_date: dt.datetime | None = None
    list_id: int | None = None
    length_in_sec: int | None = None
    lead_status: str = ""
    hangup_reason: str = ""
    call_status: str = ""
    source_id: str = ""
    user: str = ""
    extra: dict[str, str] = attrs.field(factory=dict, eq=False)


@attrs.frozen(slots=True)
class CallidInfoRow(TableRow):
    """The row of ``callid_info``: ``custtime`` is the customer talk time in seconds.

    The other columns are filled only with ``detail``; ``call_type`` is INBOUND, OUTBOUND_AUTO,
    OUTBOUND_MANUAL or OUTBOUND_OTHER.
    """

    COLUMNS: ClassVar[tuple[str, ...]] = (
        "call_id", "custtime", "call_date", "phone", "call_type", "campaign_id", "list_id",
        "status", "user")
    call_id: str = ""
    custtime: int | None = None
    call_date: dt.datetime | None = None
    phone: str = ""
    call_type: str = ""
    campaign_id: str = ""
    list_id: int | None = None
    status: str = ""
    user: str = ""
    extra: dict[str, str] = attrs.field(factory=dict, eq=False)


def _pairs(value: str | None) -> tuple[tuple[str, int | None], ...]:
    """``"SALE-2,NI-1"`` -> ``(("SALE", 2), ("NI", 1))`` (a status may itself hold ``-``)."""
    out: list[tuple[str, int | None]] = []
    for item in (value or "").split(","):
        if not item:
            continue
        name, _, count = item.rpartition("-")
        if not _:
            name, count = item, ""
        out.append((name, int(count) if count.isdigit() else None))
    return tuple(out)


def _hours(value: str | None) -> tuple[int | None, ...]:
    """``"00-0,01-3,...,23-1"`` -> 24 counts indexed by hour (missing hours are None)."""
    counts: list[int | None] = [None] * 24
    for name, count in _pairs(value):
        if name.isdigit() and int(name) < 24:
            counts[int(name)] = count
    return tuple(counts)


@attrs.frozen(slots=True)
class CallStatusStatsRow(TableRow):
    """One campaign or in-group of ``call_status_stats`` for the queried day or range.

    ``hourly_breakdown`` holds 24 call counts indexed by hour; ``status_breakdown`` holds
    ``(status, count)`` pairs sorted by status (empty when there were no calls).
    """

    COLUMNS: ClassVar[tuple[str, ...]] = (
        "campaign_id_or_ingroup", "total_calls", "human_answered_calls", "hourly_breakdown",
        "status_breakdown")
    campaign_id_or_ingroup: str = ""
    total_calls: int | None = None
    human_answered_calls: int | None = None
    hourly_breakdown: tuple[int | None, ...] = parsed(_hours, default=())
    status_breakdown: tuple[tuple[str, int | None], ...] = parsed(_pairs, default=())
    extra: dict[str, str] = attrs.field(factory=dict, eq=False)

    @property
    def statuses(self) -> dict[str, int | None]:
        """``status_breakdown`` as a mapping."""
        return dict(self.status_breakdown)


@attrs.frozen(slots=True)
class CallDispoRow:
    """One line of ``call_dispo_report``: a campaign, in-group or DID (its extension), or the
    ``TOTAL`` line.

    ``statuses`` maps each status column of the report to its count, and ``percentages`` to its
    share when ``show_percentages`` was asked for.
    """

    COLUMNS: ClassVar[tuple[str, ...]] = ("CAMPAIGN", "TOTAL CALLS")
    campaign: str
    total_calls: int | None
    statuses: dict[str, int | None] = attrs.field(factory=dict)
    percentages: dict[str, float | None] = attrs.field(factory=dict)
    extra: dict[str, str] = attrs.field(factory=dict, eq=False)

    @property
    def is_total(self) -> bool:
        """True for the report's closing ``TOTAL`` line."""
        return self.campaign == "TOTAL"


@attrs.frozen(slots=True)
class CallDispoReport(RowSequence[CallDispoRow]):
    """The ``call_dispo_report`` CSV: one row per campaign / in-group / DID, then the total.

    ``status_columns`` are the report's status columns as its header lists them (in order of first
    appearance). The server writes each row's counts sorted by status code instead, so the counts
    are matched to the statuses in that sorted order, which is what they really belong to.
    """

    ROW: ClassVar[type[CallDispoRow]] = CallDispoRow
    rows: tuple[CallDispoRow, ...]
    total: CallDispoRow | None = None
    status_columns: tuple[str, ...] = ()
    raw: str = attrs.field(default="", repr=False)


_PCT = re.compile(r"(\d+) \(([\d.]+)%\)")


def _dispo_row(values: tuple[str, ...], statuses: tuple[str, ...]) -> CallDispoRow:
    counts: dict[str, int | None] = {}
    shares: dict[str, float | None] = {}
    for status, cell in zip(statuses, values[2:], strict=False):
        m = _PCT.fullmatch(cell.strip())
        if m is not None:
            counts[status] = int(m.group(1))
            shares[status] = float(m.group(2))
        else:
            counts[status] = opt_int(cell)
    extra = {f"extra_{i + 1}": v for i, v in enumerate(values[2 + len(statuses):])}
    return CallDispoRow(campaign=values[0] if values else "",
                        total_calls=opt_int(values[1]) if len(values) > 1 else None,
                        statuses=counts, percentages=shares, extra=extra)


def call_dispo_report_from_table(table: Table) -> CallDispoReport:
    """The report from its decoded CSV table (header row included in ``table.columns``)."""
    status_columns = tuple(table.columns[2:])
    # The header lists statuses by first appearance; every row's counts are sorted by status.
    ordered = tuple(sorted(status_columns))
    rows = [_dispo_row(r, ordered) for r in table.rows]
    total = rows.pop() if rows and rows[-1].is_total else None
    return CallDispoReport(rows=tuple(rows), total=total, status_columns=status_columns,
                           raw=table.raw)
