"""Real-time status and report operations of the Non-Agent API (logged_in_agents, agent_status,
user_group_status, in_group_status, agent_stats_export, phone_number_log, callid_info,
call_status_stats, call_dispo_report)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from typing import Any

from ..models import stats as results
from ..models._rows import TableRow, rows_of_table
from ..models._table import TableResult
from ..protocol.registry import FunctionSpec
from ..protocol.tables import Table
from ._core import Form, Operation, Rule, answer_only, table_of
from ._rules import ID_CHARS, chars, flag01, items, refuse, refuse_if, time_of_day

__all__ = ["AGENT_STATS_EXPORT", "AGENT_STATUS", "CALLID_INFO", "CALL_DISPO_REPORT",
           "CALL_STATUS_STATS", "IN_GROUP_STATUS", "LOGGED_IN_AGENTS", "PHONE_NUMBER_LOG",
           "USER_GROUP_STATUS"]

_CALL_ID_PREFIXES = ("Y", "J", "V", "M", "DC", "S", "LP", "VH", "XL")
_ALL_WORDS = {
    "campaigns": ("---ALL---", "ALLCAMPAIGNS"),
    "ingroups": ("---ALL---", "ALLGROUPS"),
    "statuses": ("---ALL---", "ALLSTATUSES"),
    "categories": ("---ALL---", "ALLCATEGORIES"),
    "users": ("---ALL---", "ALLUSERS"),
    "user_groups": ("---ALL---", "ALLGROUPS"),
}
_TIMES = {"query_time": time_of_day("query_time"), "end_time": time_of_day("end_time")}


def ids(*names: str, sep: str = "|") -> list[Rule]:
    """Joined ids the server keeps as they are (letters, digits, - and _), or its ALL word."""
    def one(name: str) -> Rule:
        check = items(name, sep, f"[{ID_CHARS}]+", "an id (letters, digits, - and _ only)")

        def rule(spec: FunctionSpec, form: Form, custom: Mapping[str, Any]) -> None:
            if form.get(name) not in _ALL_WORDS.get(name, ()):
                check(spec, form, custom)
        return rule
    return [one(name) for name in names]


def _with_names(cls: type[TableRow]) -> Callable[[Table, Form], TableResult[Any]]:
    """Rows whose full_name may hold the delimiter (tab answers are split by position)."""
    return lambda table, form: rows_of_table(cls, table, free_text="full_name", stage=form.get("stage"))


def _start_before_end(params: dict[str, Any]) -> None:
    start, end = params.get("datetime_start"), params.get("datetime_end")
    if isinstance(start, dt.datetime) and isinstance(end, dt.datetime) and start > end:
        raise refuse("agent_stats_export", "datetime_end", "is before datetime_start")


def _single_did(spec: FunctionSpec, form: Form, custom: Mapping[str, Any]) -> None:
    for name in ("did_ids", "did_patterns"):
        if "-" in form.get(name, ""):
            raise refuse(spec.name, name, "the server strips '-', so only one id or pattern "
                                          "(without '-') can be sent")


LOGGED_IN_AGENTS = Operation("logged_in_agents", rules=ids("campaigns", "user_groups"),
                             result=_with_names(results.LoggedInAgentRow))
AGENT_STATUS = Operation("agent_status", result=_with_names(results.AgentStatusRow))
USER_GROUP_STATUS = Operation("user_group_status", rules=ids("user_groups"),
                              result=table_of(results.UserGroupStatusRow))
IN_GROUP_STATUS = Operation("in_group_status", rules=ids("in_groups"),
                            result=table_of(results.InGroupStatusRow))
AGENT_STATS_EXPORT = Operation("agent_stats_export", adjust=_start_before_end,
                               result=_with_names(results.AgentStatsRow))
PHONE_NUMBER_LOG = Operation(
    "phone_number_log",
    rules=[items("phone_number", ",", r"\d{4,}", "a phone number of 4 or more digits")],
    result=table_of(results.PhoneNumberLogRow),
)
CALLID_INFO = Operation(
    "callid_info",
    rules=[chars("call_id", "A-Za-z0-9", "letters and digits"),
           refuse_if("call_id", lambda f: not f.get("call_id", "").startswith(_CALL_ID_PREFIXES),
                     f"must start with one of {', '.join(_CALL_ID_PREFIXES)}")],
    result=table_of(results.CallidInfoRow),
)
CALL_STATUS_STATS = Operation("call_status_stats", encode=_TIMES,
                              rules=ids("campaigns", "ingroups", "statuses", sep="-"),
                              result=table_of(results.CallStatusStatsRow))
CALL_DISPO_REPORT = Operation(
    "call_dispo_report",
    encode={**_TIMES, **dict.fromkeys(("status_breakdown", "show_percentages", "file_download"),
                                      flag01)},
    rules=[
        refuse_if("campaigns", lambda f: not any(f.get(k) for k in ("campaigns", "ingroups", "did_ids",
                                                                     "did_patterns")),
                  "one of campaigns, ingroups, did_ids or did_patterns is required"),
        refuse_if("show_percentages", lambda f: f.get("show_percentages") == "1"
                  and f.get("status_breakdown") != "1", "has no effect without status_breakdown"),
        _single_did,
        *ids("campaigns", "ingroups", "statuses", "categories", "users", "user_groups", sep="-"),
    ],
    result=answer_only(results.call_dispo_report_from_table),
)
