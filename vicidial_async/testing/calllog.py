"""Functions that read or fix the call log the agent sessions write: callid_info, ccc_lead_info,
update_log_entry."""

from __future__ import annotations

from typing import Any, cast

from . import filters as f
from .core import Call, handler
from .wire import line, table

NA = "non_agent"
_PREFIXES = ("Y", "J", "V", "M", "DC", "S", "LP", "VH", "XL")


def _call_type(call_id: str) -> str:
    if call_id.startswith(("Y", "J", "LP", "VH")):
        return "INBOUND"
    if call_id.startswith("V"):
        return "OUTBOUND_AUTO"
    if call_id.startswith("M"):
        return "OUTBOUND_MANUAL"
    return "OUTBOUND_OTHER"


def find_call(call: Call, call_id: str) -> dict[str, Any] | None:
    """The newest log row of a call id, or a live call of an agent (as a row)."""
    st = call.state
    for row in reversed(st.call_log):
        if row.get("callerid") == call_id:
            return cast("dict[str, Any]", row)
    for s in st.agents.values():
        if s.callerid == call_id and s.lead_id:
            lead = st.leads.get(s.lead_id)
            return {
                "callerid": call_id,
                "lead_id": s.lead_id,
                "list_id": lead.list_id if lead else 0,
                "campaign_id": s.ingroup if s.inbound else s.campaign_id,
                "call_date": st.fmt(s.state_epoch),
                "epoch": s.state_epoch,
                "length_in_sec": int(st.now() - s.state_epoch),
                "status": lead.status if lead else "",
                "phone_number": lead.phone_number if lead else "",
                "user": s.user,
                "inbound": s.inbound,
                "uniqueid": s.uniqueid,
            }
    return None


def _reports(call: Call) -> bool:
    u = call.user
    return u.user_level >= 7 and u.vdc_agent_api_access == 1 and u.view_reports == 1


CI_PERM = line(NA, "callid_info", "PERMISSION")
CI_INVALID = line(NA, "callid_info", "INVALID SEARCH PARAMETERS")
CI_NOT_FOUND = line(NA, "callid_info", "CALL NOT FOUND")


@handler(NA, "callid_info")
def callid_info(call: Call) -> str:
    """callid_info: customer talk time and optional details for a call, looked up by its caller code."""
    if not _reports(call):
        return CI_PERM.denied(call.uname) + "\n"
    call_id = f.alnum(call.get("call_id"))
    if not 18 <= len(call_id) <= 39 or not call_id.startswith(_PREFIXES):
        return CI_INVALID(call.uname, call_id) + "\n"
    row = find_call(call, call_id)
    if row is None:
        return CI_NOT_FOUND(call.uname, call.get("agent_user")) + "\n"
    cols = ["call_id", "custtime"]
    values: list[Any] = [call_id, row["length_in_sec"]]
    if call.get("detail") == "YES":
        cols += ["call_date", "phone", "call_type", "campaign_id", "list_id", "status", "user"]
        values += [
            row["call_date"],
            row["phone_number"],
            _call_type(call_id),
            row["campaign_id"],
            row["list_id"],
            row["status"],
            row["user"],
        ]
    return table(cols, [values], call.params)


CC_PERM = line(NA, "ccc_lead_info", "PERMISSION")
CC_INVALID = line(NA, "ccc_lead_info", "INVALID SEARCH PARAMETERS")
CC_CALL = line(NA, "ccc_lead_info", "CALL NOT FOUND")
CC_LEAD = line(NA, "ccc_lead_info", "LEAD NOT FOUND: {user}|{agent_user}")
CC_RESTRICTED = line(NA, "ccc_lead_info", "LEAD NOT FOUND: |{user}|1|")


@handler(NA, "ccc_lead_info")
def ccc_lead_info(call: Call) -> str:
    """ccc_lead_info: returns the lead record behind a recent call, for cross-cluster transfers."""
    from ..protocol.registry import REGISTRY

    st = call.state
    if not _reports(call):
        return CC_PERM.denied(call.uname) + "\n"
    call_id = f.alnum(call.get("call_id"))
    if not 18 <= len(call_id) <= 39 or not call_id.startswith(_PREFIXES):
        return CC_INVALID(call.uname, call_id) + "\n"
    row = find_call(call, call_id)
    if row is None or st.now() - float(row["epoch"]) > 10 * 3600:
        return CC_CALL(call.uname, call.get("agent_user")) + "\n"
    lead = st.leads.get(int(row["lead_id"]))
    if lead is None:
        return CC_LEAD(call.uname, call.get("agent_user")) + "\n"
    if call.user.api_list_restrict and not call.allowed_list(lead.list_id):
        return CC_RESTRICTED(call.uname) + "\n"
    cols = REGISTRY[NA, "ccc_lead_info"].response.columns
    return table(
        cols, [[getattr(lead, c) for c in cols]], call.params, stages=("pipe", "csv", "tab", "newline")
    )


UE_PERM = line(NA, "update_log_entry", "PERMISSION")
UE_GROUP = line(NA, "update_log_entry", "GROUP NOT FOUND")
UE_NONE = line(NA, "update_log_entry", "NO RECORDS FOUND")
UE_SAME = line(NA, "update_log_entry", "NO RECORDS UPDATED")
UE_INVALID = line(NA, "update_log_entry", "INVALID SEARCH PARAMETERS")
UE_OK = line(NA, "update_log_entry", "SUCCESS")


@handler(NA, "update_log_entry")
def update_log_entry(call: Call) -> str:
    """update_log_entry: sets the status of a call record in vicidial_log or vicidial_closer_log."""
    st = call.state
    user = call.uname
    u = call.user
    if not (u.user_level >= 8 and u.vdc_agent_api_access == 1 and 1 <= u.modify_leads <= 4):
        return UE_PERM.denied(user) + "\n"
    call_id = f.alnum(call.get("call_id"))
    group = f.ident(call.get("group"))
    status = f.ident(call.get("status"))
    if len(call_id) < 18 or not group or not 1 <= len(status) <= 7:
        return UE_INVALID(user, group, call_id, status) + "\n"
    inbound = group in st.in_groups
    if not inbound and group not in st.campaigns:
        return UE_GROUP(user, group) + "\n"
    lead_id = int(call_id[-10:]) if call_id[-10:].isdigit() else -1
    rows = [
        r
        for r in st.call_log
        if r["lead_id"] == lead_id and r["campaign_id"] == group and r["inbound"] == inbound
    ]
    if not rows:
        return UE_NONE(user, group, call_id, status) + "\n"
    row = rows[-1]
    old = row["status"]
    if old == status:
        return UE_SAME(user, group, call_id, status, old, row["uniqueid"]) + "\n"
    row["status"] = status
    return UE_OK(user, user, group, call_id, status, old, row["uniqueid"]) + "\n"
