"""external_add_lead (Agent API): a new lead in the manual dial list of the agent's campaign."""

from __future__ import annotations

from .. import filters as f
from ..agent_control.common import AG, done, named, resolve, session, tpl
from ..core import Call, handles
from ..leadops import lead_fields_from, new_lead
from ..state import SYSTEM_DNC

_ADD_BAD = tpl("external_add_lead", "not valid")
_ADD_OK = tpl("external_add_lead", "SUCCESS")
_ADD_DNC = tpl("external_add_lead", "PHONE NUMBER IN DNC")
_ADD_CDNC = tpl("external_add_lead", "PHONE NUMBER IN CAMPAIGN DNC")
_ADD_NOLIST = tpl("external_add_lead", "manual dial list undefined")
_ADD_FAILED = tpl("external_add_lead", "lead insertion failed")


@handles(AG, "external_add_lead")
def external_add_lead(call: Call) -> str:
    """external_add_lead: inserts a NEW lead into the manual dial list of the logged-in agent's campaign."""
    st = call.state
    out: list[str] = []
    agent = resolve(call, out)
    code = f.phone_code_agent(call.get("phone_code"))
    phone = f.value(call.get("value"))
    if len(phone) < 2:
        phone = f.phone_agent(call.get("phone_number"))
    s = session(
        call,
        out,
        agent,
        valid=(len(agent) >= 2 or named(call, "")) and bool(code) and len(phone) >= 2,
        invalid=_ADD_BAD(phone, code, agent, f.alnum(call.get("alt_user"))),
        value=phone,
    )
    if s is None:
        return done(out)
    camp = st.campaigns.get(s.campaign_id)
    list_id = camp.manual_dial_list_id if camp is not None else 0
    if list_id <= 0:
        return done(out, _ADD_NOLIST(phone, "", agent))
    hit = False
    if call.get("dnc_check") in ("Y", "YES") and st.in_dnc(phone, SYSTEM_DNC, False):
        out.append(_ADD_DNC(phone, agent) + "\n")
        hit = True
    if call.get("campaign_dnc_check") in ("Y", "YES") and st.in_dnc(
        phone, st.campaign_dnc_key(s.campaign_id), False
    ):
        out.append(_ADD_CDNC(phone, s.campaign_id, agent) + "\n")
        hit = True
    if hit:
        return done(out)
    fields = lead_fields_from(call, filters=f.AGENT_LEAD_FIELD_FILTERS)
    if call.get("vendor_id"):
        fields["vendor_lead_code"] = f.plain(call.get("vendor_id"))
    lead = new_lead(call, phone=phone, phone_code=code, list_id=list_id, fields=fields)
    return done(out, _ADD_OK(phone, s.campaign_id, list_id, lead.lead_id, agent))
