"""Agent API: in-groups, lead fields on screen, panel reloads, timer actions and the CRM helpers."""

from __future__ import annotations

import re

from .. import filters as f
from ..core import Call, agent_denied, handles
from ..users.crm import by_custom_three
from .common import AG, NOT_LOGGED, done, session, tpl

# -- change_ingroups / update_fields / refresh_panel / set_timer_action ------------------------------

_CI_BAD = tpl("change_ingroups", "not valid")
_CI_OK = tpl("change_ingroups", "SUCCESS", 4)
_CI_NO_INBOUND = tpl("change_ingroups", "does not allow inbound")
_CI_PERM = tpl("change_ingroups", "not allowed to change agent in-groups")
_CI_BLEND = tpl("change_ingroups", "does not allow outbound autodial")
_CI_NO_GROUP = tpl("change_ingroups", "ingroup does not exist")
_CI_REQUIRED = tpl("change_ingroups", "are required for ADD and REMOVE")


@handles(AG, "change_ingroups")
def change_ingroups(call: Call) -> str:
    """change_ingroups: sets, adds or removes the in-groups (and blended flag) a logged-in agent takes
    calls from, optionally saving them as the user's defaults.
    """
    st = call.state
    agent = f.ident(call.get("agent_user"))
    value = f.upper(call.get("value"))
    blended = f.upper(call.get("blended"))
    choices = call.get("ingroup_choices").replace("+", " ")
    if len(agent) < 2 or len(value) < 3 or len(blended) < 2:
        return _CI_BAD(value, blended, choices, agent) + "\n"
    if (d := agent_denied(call)) is not None:
        return d
    if call.user.change_agent_campaign != 1:
        return _CI_PERM(call.uname) + "\n"
    s = st.agents.get(agent)
    if s is None:
        return NOT_LOGGED(agent) + "\n"
    camp = st.campaigns.get(s.campaign_id)
    if camp is None or camp.campaign_allow_inbound != "Y":
        return _CI_NO_INBOUND(agent) + "\n"
    if blended == "YES" and camp.dial_method in ("MANUAL", "INBOUND_MAN"):
        return _CI_BLEND(agent, blended) + "\n"
    groups = [g for g in choices.split(" ")[1:] if g and g != "-"]
    if value in ("ADD", "REMOVE") and not groups:
        return _CI_REQUIRED(agent, value, choices) + "\n"
    for g in groups:
        if g not in st.in_groups:
            return _CI_NO_GROUP(agent, g, choices) + "\n"
    if value == "ADD":
        result = s.closer_campaigns + [g for g in groups if g not in s.closer_campaigns]
    elif value == "REMOVE":
        result = [g for g in s.closer_campaigns if g not in groups]
    else:
        result = groups
    s.closer_campaigns = result
    s.blended = blended == "YES"
    shown = " " + " ".join(result) + " -" if result else " -"
    note = ""
    if call.get("set_as_default") == "YES":
        u = st.users.get(agent)
        if u is not None:
            u.closer_campaigns = list(result)
            u.closer_default_blended = "1" if s.blended else "0"
        note = "User settings set as default"
    return _CI_OK(call.uname, agent, shown, blended) + note + "\n"


_UF_BAD = tpl("update_fields", "agent_user not valid")
_UF_PERM = tpl("update_fields", "not allowed to modify lead")
_UF_NO_LEAD = tpl("update_fields", "does not have a lead")
_UF_NONE = tpl("update_fields", "no fields have been defined")
_UF_OK = tpl("update_fields", "SUCCESS")
_UF_FIELDS = (
    "phone_code",
    "address1",
    "address2",
    "address3",
    "alt_phone",
    "city",
    "comments",
    "country_code",
    "date_of_birth",
    "email",
    "first_name",
    "gender",
    "gmt_offset_now",
    "last_name",
    "middle_initial",
    "phone_number",
    "postal_code",
    "province",
    "security_phrase",
    "source_id",
    "state",
    "title",
    "vendor_lead_code",
    "rank",
    "owner",
)
# The PHP looks for the fields from postal_code on (and the panel reloads) case-insensitively.
_UF_NOCASE = frozenset(_UF_FIELDS[_UF_FIELDS.index("postal_code") :])
_PANELS = ("formreload", "scriptreload", "script2reload", "emailreload", "chatreload", "callbacksreload")


def _present(raw: str, low: str, name: str) -> bool:
    return name in low if name in _UF_NOCASE or name.endswith("reload") else name in raw


@handles(AG, "update_fields")
def update_fields(call: Call) -> str:
    """update_fields: writes the given standard lead fields to the lead currently on the agent's screen and
    tells the screen to refresh them.
    """
    st = call.state
    agent = f.ident(call.get("agent_user"))
    out: list[str] = []
    s = session(call, out, agent, valid=bool(agent), invalid=_UF_BAD(agent))
    if s is None:
        return done(out)
    if call.user.modify_leads not in (1, 2, 3, 4):
        return _UF_PERM(agent, call.uname) + "\n"
    lead = st.leads.get(s.lead_id) if s.lead_id else None
    if lead is None:
        return _UF_NO_LEAD(agent) + "\n"
    raw = call.req.raw
    low = raw.lower()
    names = [n for n in _UF_FIELDS if _present(raw, low, n)]
    panels = [p for p in _PANELS[:5] if p in low]
    if not names and not panels:
        return _UF_NONE(agent) + "\n"
    changed = 0
    sql: list[str] = []
    for name in names:
        value = call.get(name)
        value = f.AGENT_LEAD_FIELD_FILTERS[name](value)
        typed: object = int(value or 0) if name == "rank" else value
        if getattr(lead, name) != typed:
            changed = 1
            st.set_lead_field(lead, name, typed)
        sql.append(f'{name}="{value}"')
    if changed:
        lead.modify_date = st.fmt()
    s.commands["update_fields"] = ",".join(names + panels)
    return _UF_OK(call.uname, agent, lead.lead_id, changed, 1, ",".join(names), ",".join(sql)) + "\n"


_RP_BAD = tpl("refresh_panel", "agent_user not valid")
_RP_NONE = tpl("refresh_panel", "no panels")
_RP_OK = tpl("refresh_panel", "SUCCESS")


@handles(AG, "refresh_panel")
def refresh_panel(call: Call) -> str:
    """refresh_panel: asks the agent screen to reload chosen panels (form, scripts, email, chat,
    callbacks).
    """
    agent = f.ident(call.get("agent_user"))
    out: list[str] = []
    s = session(call, out, agent, valid=bool(agent), invalid=_RP_BAD(agent))
    if s is None:
        return done(out)
    low = call.req.raw.lower()
    panels = [p for p in _PANELS if p in low]
    if not panels:
        return _RP_NONE(agent) + "\n"
    s.commands["update_fields"] = ",".join(panels)
    return _RP_OK(call.uname, agent, 1, ",".join(panels)) + "\n"


_TA_BAD = tpl("set_timer_action", "not valid")
_TA_PERM = tpl("set_timer_action", "not allowed to modify campaign")
_TA_OK = tpl("set_timer_action", "SUCCESS")


@handles(AG, "set_timer_action")
def set_timer_action(call: Call) -> str:
    """set_timer_action: sets a timed action (web form, preset dial or message) for the agent's current
    call.
    """
    agent = f.ident(call.get("agent_user"))
    value = f.value(call.get("value"))
    out: list[str] = []
    s = session(call, out, agent, valid=bool(agent) and len(value) >= 2, invalid=_TA_BAD(agent, value))
    if s is None:
        return done(out)
    if call.user.modify_campaigns != 1:
        return _TA_PERM(agent, call.uname) + "\n"
    notes = re.sub(r"[^A-Za-z0-9 \-._]", "", call.get("notes").replace("+", " "))
    rank = f.digits(call.get("rank"))
    s.commands["timer_action"] = f"{value}|{notes}|{rank}"
    return _TA_OK(call.uname, agent, value, notes, rank) + "\n"


# -- CRM helpers ----------------------------------------------------------------------------------

_SL_NONE = tpl("st_login_log", "no user found")
_SG_BAD = tpl("st_get_agent_active_lead", "not valid")
_SG_NOT = tpl("st_get_agent_active_lead", "user not logged in")
_SG_NOLEAD = tpl("st_get_agent_active_lead", "no active lead")
_SG_OK = tpl("st_get_agent_active_lead", "SUCCESS")


@handles(AG, "st_get_agent_active_lead")
def st_get_agent_active_lead(call: Call) -> str:
    """st_get_agent_active_lead: maps a CRM agent ID (custom_three) to a user and returns that agent's
    active lead's key fields.
    """
    st = call.state
    value, vendor = call.get("value"), call.get("vendor_id")
    if not value or not vendor:
        return _SG_BAD(value, vendor) + "\n"
    if (d := agent_denied(call)) is not None:
        return d
    name = by_custom_three(st, value)
    if name is None:
        return _SL_NONE(value) + "\n"
    s = st.agents.get(name)
    if s is None:
        return _SG_NOT(name) + "\n"
    lead = st.leads.get(s.lead_id) if s.lead_id else None
    if lead is None:
        return _SG_NOLEAD(name) + "\n"
    return (
        _SG_OK(
            name,
            lead.phone_number,
            lead.lead_id,
            lead.vendor_lead_code,
            lead.province,
            lead.security_phrase,
            lead.source_id,
        )
        + "\n"
    )
