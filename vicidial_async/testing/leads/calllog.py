"""Lead functions over the call log: ccc_lead_info, update_log_entry."""

from __future__ import annotations

from .. import filters as f
from ..calllog import PREFIXES, find_call
from ..core import Call, handles, requires
from ..wire import line, table

NA = "non_agent"

CC_PERM = line(NA, "ccc_lead_info", "PERMISSION")
CC_INVALID = line(NA, "ccc_lead_info", "INVALID SEARCH PARAMETERS")
CC_CALL = line(NA, "ccc_lead_info", "CALL NOT FOUND")
CC_LEAD = line(NA, "ccc_lead_info", "LEAD NOT FOUND: {user}|{agent_user}")
CC_RESTRICTED = line(NA, "ccc_lead_info", "LEAD NOT FOUND: |{user}|1|")


@handles(NA, "ccc_lead_info")
@requires(CC_PERM, 7, "view_reports")
def ccc_lead_info(call: Call) -> str:
    """ccc_lead_info: returns the lead record behind a recent call, for cross-cluster transfers."""
    from ...protocol.registry import REGISTRY

    st = call.state
    call_id = f.alnum(call.get("call_id"))
    if not 18 <= len(call_id) <= 39 or not call_id.startswith(PREFIXES):
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


@handles(NA, "update_log_entry")
@requires(UE_PERM, 8, leads=range(1, 5))
def update_log_entry(call: Call) -> str:
    """update_log_entry: sets the status of a call record in vicidial_log or vicidial_closer_log."""
    st = call.state
    user = call.uname
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
