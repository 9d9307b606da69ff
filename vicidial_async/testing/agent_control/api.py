"""Agent API: pause/resume, hangup, dispositions, logout, dialing and external_add_lead."""

from __future__ import annotations

import re

from .. import filters as f
from ..core import Call, handles
from ..records import Lead, LiveAgent
from ..state import State
from .common import AG, done, named, resolve, session, tpl
from .sessions import deliver_call, dispose, hangup, logout, plain_lead, transition

# -- external_hangup / external_status / external_pause / logout ----------------------------------

_HANGUP_BAD = tpl("external_hangup", "not valid")
_HANGUP_OK = tpl("external_hangup", "SUCCESS")


@handles(AG, "external_hangup")
def external_hangup(call: Call) -> str:
    """external_hangup: queues a 'hang up customer' command for the agent's screen."""
    out: list[str] = []
    agent = resolve(call, out)
    value = f.value(call.get("value"))
    s = session(call, out, agent, valid=named(call, agent) and bool(value), invalid=_HANGUP_BAD(value, agent))
    if s is None:
        return done(out)
    s.commands["external_hangup"] = value
    hangup(call.state, agent)
    return done(out, _HANGUP_OK(value, agent))


_STATUS_BAD = tpl("external_status", "not valid")
_STATUS_OK = tpl("external_status", "SUCCESS", 2)


@handles(AG, "external_status")
def external_status(call: Call) -> str:
    """external_status: queues a disposition (status) for the agent's current call so the screen
    dispositions it and moves on.
    """
    st = call.state
    out: list[str] = []
    agent = resolve(call, out)
    value = f.value(call.get("value"))
    s = session(call, out, agent, valid=named(call, agent) and bool(value), invalid=_STATUS_BAD(value, agent))
    if s is None:
        return done(out)
    when = re.sub(r"[^A-Za-z0-9 \-:._]", "", call.get("callback_datetime").replace("+", " "))
    kind = f.upper(call.get("callback_type"))
    kind = kind if len(kind) >= 4 else "ANYONE"
    comments = re.sub(r"[^A-Za-z0-9 \-._]", "", call.get("callback_comments").replace("+", " "))[:200]
    qm = re.sub(r"[^A-Za-z0-9\-._]", "", call.get("qm_dispo_code"))
    camp = st.campaigns.get(s.campaign_id)
    cb_statuses = camp.scheduled_callbacks_statuses if camp is not None else ["CALLBK"]
    callback = None
    shown = value
    if len(when) > 12 and value in cb_statuses:
        shown = f"{value}!{when}!{kind}!{comments}!{qm}"
        callback = (when, kind, comments)
    elif qm:
        shown = f"{value}!!!!{qm}"
    s.commands["external_status"] = shown
    if s.lead_id:
        dispose(st, agent, value, callback=callback)
    return done(out, _STATUS_OK(shown, agent))


_PAUSE_BAD = tpl("external_pause", "not valid")
_PAUSE_NOT = tpl("external_pause", "agent is not paused")
_PAUSE_OK = tpl("external_pause", "SUCCESS")


@handles(AG, "external_pause")
def external_pause(call: Call) -> str:
    """external_pause: queues a pause or resume for the agent (a pause requested during a call takes effect
    after the call).
    """
    st = call.state
    out: list[str] = []
    agent = resolve(call, out)
    value = f.value(call.get("value"))
    s = session(
        call,
        out,
        agent,
        valid=named(call, agent) and ("PAUSE" in value or "RESUME" in value),
        invalid=_PAUSE_BAD(value, agent),
    )
    if s is None:
        return done(out)
    epoch = int(st.now())
    if "RESUME" in value and "PAUSE" not in value.replace("RESUME", ""):
        if s.status in ("READY", "QUEUE", "INCALL", "CLOSER"):
            return done(out, _PAUSE_NOT(value, agent))
        s.commands["external_pause"] = f"{value}!{epoch}"
        if not s.lead_id:
            transition(st, s, "READY")
        s.pause_after_call = False
    else:
        s.commands["external_pause"] = f"{value}!{epoch}"
        if s.status == "INCALL" or s.sub_status == "DISPO":
            s.pause_after_call = True
        elif s.status != "PAUSED":
            transition(st, s, "PAUSED")
    return done(out, _PAUSE_OK(value, epoch, agent))


_LOGOUT_BAD = tpl("logout", "not valid")
_LOGOUT_OK = tpl("logout", "SUCCESS")


@handles(AG, "logout")
def logout_fn(call: Call) -> str:
    """logout: queues a logout of the agent's screen (after the current call is dispositioned if on a
    call).
    """
    st = call.state
    out: list[str] = []
    agent = resolve(call, out)
    value = f.value(call.get("value"))
    s = session(
        call, out, agent, valid=named(call, agent) and "LOGOUT" in value, invalid=_LOGOUT_BAD(value, agent)
    )
    if s is None:
        return done(out)
    s.commands["external_pause"] = value
    if s.status == "INCALL" or s.sub_status == "DISPO":
        s.logout_after_call = True
    else:
        logout(st, agent)
    return done(out, _LOGOUT_OK(value, int(st.now()), agent))


# -- external_dial / preview_dial_action / external_add_lead -----------------------------------------

_DIAL_BAD = tpl("external_dial", "external_dial not valid")
_DIAL_OK = tpl("external_dial", "SUCCESS")
_DIAL_NO_IG = tpl("external_dial", "dial_ingroup not found")
_DIAL_NOT_PAUSED = tpl("external_dial", "is not paused")
_DIAL_NO_MANUAL = tpl("external_dial", "not allowed to place manual dial calls")
_DIAL_ALIAS_CID = tpl("external_dial", "caller_id_number from group_alias")
_DIAL_ALIAS = tpl("external_dial", "group_alias is not valid")
_DIAL_CID = tpl("external_dial", "outbound_cid is not allowed")
_DIAL_SEARCH = tpl("external_dial", "lead_id search not found")
_DIAL_PHONE = tpl("external_dial", "phone number is not valid")
_DIAL_LEAD = tpl("external_dial", "lead_id is not valid")
_DIAL_QUEUED = tpl("external_dial", "already in this agents manual dial queue")


@handles(AG, "external_dial")
def external_dial(call: Call) -> str:
    """external_dial: queues a manual dial (number, lead_id or MANUALNEXT) on the agent's screen, or adds
    it to the agent's manual dial queue.
    """
    st = call.state
    out: list[str] = []
    agent = resolve(call, out)
    raw_value = call.get("value")
    value = "MANUALNEXT" if "MANUALNEXT" in raw_value else f.digits(raw_value)
    code = f.phone_code_agent(call.get("phone_code"))
    search, preview, focus = (f.ident(call.get(k)) for k in ("search", "preview", "focus"))
    lead_raw = f.digits(call.get("lead_id"))
    alt_user = f.alnum(call.get("alt_user"))
    valid = (
        (len(agent) >= 2 or named(call, ""))
        and (len(value) >= 2 or bool(lead_raw))
        and min(len(search), len(preview), len(focus)) >= 2
    )
    bad = _DIAL_BAD(value, code, search, preview, focus, lead_raw, agent, alt_user)
    s = session(call, out, agent, valid=valid, invalid=bad)
    if s is None:
        return done(out)
    target = st.users.get(agent)
    if target is None or target.agentcall_manual != 1:
        return done(out, _DIAL_NO_MANUAL(agent))
    alias = f.alnum(call.get("group_alias"))
    cid = ""
    if len(alias) >= 2:
        ga = st.group_aliases.get(alias)
        if ga is None:
            return done(out, _DIAL_ALIAS(agent, alias))
        cid = ga.get("caller_id_number", "")
        if len(cid) < 4:
            return done(out, _DIAL_ALIAS_CID(agent, alias, cid))
    ocid = f.ident(call.get("outbound_cid"))
    if len(ocid) >= 2:
        setting = st.settings.get("outbound_cid_any", "DISABLED")
        if setting != "API_ONLY":
            return done(out, _DIAL_CID(agent, ocid, setting))
        alias, cid = "-FORCE-", ocid
    ingroup = f.ident(call.get("dial_ingroup"))
    if ingroup and ingroup not in st.in_groups:
        out.append(_DIAL_NO_IG(ingroup) + "\n")
        ingroup = ""
    alt_dial = f.upper_alnum(call.get("alt_dial"))
    lead: Lead | None = None
    shown_alt = ""
    if lead_raw:
        lead = st.leads.get(int(lead_raw))
        if lead is None:
            return done(out, _DIAL_LEAD(agent, lead_raw))
        code = lead.phone_code
        if alt_dial == "SEARCH":
            match = [
                (k, v)
                for k, v in (("MAIN", lead.phone_number), ("ALT", lead.alt_phone), ("ADDR3", lead.address3))
                if v and v == value
            ]
            if not match:
                return done(out, _DIAL_SEARCH(agent, lead_raw))
            shown_alt = match[0][0]
            value = match[0][1]
        else:
            number = {"ALT": lead.alt_phone, "ADDR3": lead.address3}.get(alt_dial, lead.phone_number)
            if not number:
                return done(out, _DIAL_PHONE(agent, "", lead_raw, alt_dial))
            value = number
            shown_alt = alt_dial if alt_dial in ("ALT", "ADDR3") else ""
    camp = st.campaigns.get(s.campaign_id)
    mode = camp.api_manual_dial if camp is not None else "STANDARD"
    if mode == "STANDARD":
        if not ingroup and (s.status != "PAUSED" or s.lead_id):
            return done(out, _DIAL_NOT_PAUSED(agent))
    elif value in s.manual_dial_queue:
        return done(out, _DIAL_QUEUED(agent, value))
    epoch = int(st.now())
    vendor = f.plain(call.get("vendor_id"))
    prefix = f.alnum(call.get("dial_prefix"))
    shown_code = "" if value == "MANUALNEXT" else code
    out.append(
        _DIAL_OK(
            value, agent, shown_code, search, preview, focus, vendor, epoch, prefix, alias, cid, shown_alt
        )
        + "\n"
    )
    s.commands["external_dial"] = "!".join((value, code, search, preview, focus, vendor, str(epoch)))
    if mode != "STANDARD":
        s.manual_dial_queue.append(value)
        return done(out)
    _dial_now(st, s, value, code, search == "YES", preview == "YES", lead, vendor)
    return done(out)


def _dial_now(
    st: State,
    s: LiveAgent,
    value: str,
    code: str,
    search: bool,
    preview: bool,
    lead: Lead | None,
    vendor: str,
) -> None:
    camp = st.campaigns.get(s.campaign_id)
    if value == "MANUALNEXT":
        ready = sorted(
            (h for h in st.hopper.values() if h.campaign_id == s.campaign_id and h.status == "READY"),
            key=lambda h: (-h.priority, h.hopper_id),
        )
        if not ready:
            return
        lead = st.leads.get(ready[0].lead_id)
    if lead is None and search:
        lists = st.campaign_lists(s.campaign_id)
        hits = [x for x in st.leads_with(st.by_phone, value) if x.list_id in lists]
        lead = max(hits, key=lambda x: x.lead_id) if hits else None
    if lead is None:
        list_id = camp.manual_dial_list_id if camp is not None else 998
        lead = plain_lead(st, value, list_id)
        lead.phone_code = code or "1"
        lead.vendor_lead_code = vendor
    if preview:
        s.lead_id = lead.lead_id
        s.sub_status = "PREVIEW"
        return
    deliver_call(st, s.user, lead_id=lead.lead_id, manual=True)


_PREVIEW_BAD = tpl("preview_dial_action", "not valid")
_PREVIEW_OK = tpl("preview_dial_action", "SUCCESS")
_PREVIEW_OFF = tpl("preview_dial_action", "preview dialing not allowed")
_PREVIEW_SKIP = tpl("preview_dial_action", "skipping not allowed")
_PREVIEW_ALT = tpl("preview_dial_action", "alt number dialing not allowed")
_PREVIEW_MANUAL = tpl("preview_dial_action", "not allowed to place manual dial calls")
_PREVIEW_PAUSED = tpl("preview_dial_action", "is not paused")
_PREVIEW_VALUES = ("SKIP", "DIALONLY", "ALTDIAL", "ADR3DIAL", "FINISH")


@handles(AG, "preview_dial_action")
def preview_dial_action(call: Call) -> str:
    """preview_dial_action: queues a preview/alt-dial button action (SKIP, DIALONLY, ALTDIAL, ADR3DIAL,
    FINISH) on the agent's screen.
    """
    st = call.state
    out: list[str] = []
    agent = resolve(call, out)
    value = f.upper_alnum(call.get("value"))
    valid = (len(agent) >= 2 or named(call, "")) and value in _PREVIEW_VALUES
    s = session(
        call, out, agent, valid=valid, invalid=_PREVIEW_BAD(value, agent, f.alnum(call.get("alt_user")))
    )
    if s is None:
        return done(out)
    camp = st.campaigns.get(s.campaign_id)
    mpd = camp.manual_preview_dial if camp is not None else "DISABLED"
    alt = camp.alt_number_dialing if camp is not None else "N"
    if mpd == "DISABLED":
        return done(out, _PREVIEW_OFF(agent, s.campaign_id, mpd))
    if value == "SKIP" and mpd == "PREVIEW_ONLY":
        return done(out, _PREVIEW_SKIP(agent, s.campaign_id, mpd))
    if value in ("ALTDIAL", "ADR3DIAL", "FINISH") and alt == "N":
        return done(out, _PREVIEW_ALT(agent, s.campaign_id, alt))
    target = st.users.get(agent)
    if target is None or target.agentcall_manual != 1:
        return done(out, _PREVIEW_MANUAL(agent))
    if s.status != "PAUSED":
        return done(out, _PREVIEW_PAUSED(agent))
    s.commands["preview_dial_action"] = value
    if s.sub_status == "PREVIEW" and s.lead_id:
        if value == "SKIP":
            s.lead_id, s.sub_status = 0, ""
        elif value in ("DIALONLY", "ALTDIAL", "ADR3DIAL"):
            deliver_call(st, agent, lead_id=s.lead_id, manual=True)
        else:
            transition(st, s, "PAUSED", "DISPO")
    return done(out, _PREVIEW_OK(value, agent, value))
