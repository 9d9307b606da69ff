"""The call log the agent sessions write, as the call-log functions look it up."""

from __future__ import annotations

from typing import Any, cast

from .core import Call

NA = "non_agent"
PREFIXES = ("Y", "J", "V", "M", "DC", "S", "LP", "VH", "XL")


def call_type(call_id: str) -> str:
    """The call type a caller code's prefix tells."""
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
