"""Live agent sessions: the state machine behind the Agent API, and helpers that drive it.

A real agent screen polls the server and acts on the commands the API writes; the fake has no
screen, so it applies each command at once. States follow ``vicidial_live_agents.status``:

- ``PAUSED`` -> ``READY`` (RESUME), ``READY`` -> ``PAUSED`` (PAUSE);
- a call (:func:`deliver_call`, ``external_dial``) -> ``INCALL``; PAUSE during a call waits
  for its end;
- hangup (``external_hangup`` or :func:`hangup`) -> ``PAUSED`` with sub-status ``DISPO`` and the
  lead still on screen;
- a disposition (``external_status``) stores the lead's status, logs the call and goes back to
  ``READY`` (or ``PAUSED`` when a pause was asked during the call); ``LOGOUT`` ends the session.

Time spent in each activity accumulates in ``LiveAgent.time`` for agent_stats_export.
"""

from __future__ import annotations

import time as _time
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from ..records import Lead, LiveAgent, LiveCall
from ..state import State
from ..tz import gmt_for
from ..webhook_firing import on_add_lead, on_call_start, on_dead, on_dispo, on_no_agent

if TYPE_CHECKING:
    from ..app import FakeVicidial

__all__ = ["deliver_call", "dispose", "drive", "drop_call", "hangup", "login", "logout", "queue_call"]

AG = "agent"


# -- the state machine ----------------------------------------------------------------------------


def _bucket(s: LiveAgent) -> str:
    if s.status == "INCALL":
        return "dead" if s.sub_status == "DEAD" else "talk"
    if s.status == "PAUSED":
        return "dispo" if s.sub_status == "DISPO" else "pause"
    return "wait"


def transition(state: State, s: LiveAgent, status: str, sub_status: str = "") -> None:
    """Move an agent to ``status``, booking the time spent in the previous activity."""
    now = state.now()
    s.time[_bucket(s)] += max(0.0, now - s.state_epoch)
    if status == "PAUSED" and s.status != "PAUSED" and sub_status != "DISPO":
        s.pauses += 1
    s.status = status
    s.sub_status = sub_status
    s.state_epoch = now
    if status != "PAUSED":
        s.pause_code = ""


def login(
    state: State,
    user: str,
    *,
    campaign_id: str = "TESTCAMP",
    status: str = "PAUSED",
    ingroups: list[str] | tuple[str, ...] = (),
    blended: bool = False,
    **extra: Any,
) -> LiveAgent:
    """Log an agent in (the user is created when missing)."""
    session = state.seed_agent(
        {
            "user": user,
            "campaign_id": campaign_id,
            "status": status,
            "closer_campaigns": list(ingroups),
            "blended": blended,
            **extra,
        }
    )
    state.agent_log.append({"event": "LOGIN", "user": user, "campaign_id": campaign_id, "epoch": state.now()})
    return session


def logout(state: State, user: str) -> LiveAgent | None:
    """End a session, keeping its totals for agent_stats_export."""
    s = state.agents.pop(user, None)
    if s is not None:
        transition(state, s, "LOGOUT")
        state.agent_log.append(
            {
                "event": "LOGOUT",
                "user": user,
                "campaign_id": s.campaign_id,
                "epoch": state.now(),
                "login_epoch": s.login_epoch,
                "time": dict(s.time),
                "calls": s.calls,
                "pauses": s.pauses,
            }
        )
    return s


def _callerid(state: State, prefix: str, lead_id: int) -> str:
    stamp = _time.strftime("%m%d%H%M%S", _time.gmtime(state.now() + state.gmt_offset * 3600))
    return f"{prefix}{stamp}{lead_id:010d}"


def deliver_call(
    state: State,
    user: str,
    *,
    lead_id: int | None = None,
    phone_number: str = "",
    inbound: bool = False,
    ingroup: str = "",
    manual: bool = False,
) -> LiveAgent:
    """Connect a call to an agent (a lead is created in list 101 when none is given)."""
    s = state.agents[user]
    lead = state.leads.get(lead_id) if lead_id else None
    if lead is None:
        if phone_number and not lead_id:
            hits = state.leads_with(state.by_phone, phone_number)
            lead = max(hits, key=lambda x: x.lead_id) if hits else None
        if lead is None:
            lead = plain_lead(state, phone_number or "3125550000", 101)
            if inbound and ingroup:
                on_add_lead(state, ingroup, lead)
    s.lead_id = lead.lead_id
    s.inbound = inbound
    s.ingroup = ingroup
    prefix = "Y" if inbound else ("M" if manual else "V")
    s.callerid = _callerid(state, prefix, lead.lead_id)
    s.uniqueid = f"{state.now():.6f}"
    s.calls_today += 1
    s.calls += 1
    lead.called_count += 1
    lead.last_local_call_time = state.fmt()
    if lead.lead_id in state.hopper:
        del state.hopper[lead.lead_id]
    state.live_calls[:] = [c for c in state.live_calls if c.lead_id != lead.lead_id or not lead.lead_id]
    transition(state, s, "INCALL")
    s.commands.pop("call_start", None)
    s.commands["call_start"] = str(state.now())
    on_call_start(state, s, lead, manual=manual)
    return s


def plain_lead(state: State, phone: str, list_id: int) -> Lead:
    now = state.now()
    lead = Lead(
        lead_id=state.new_lead_id(),
        list_id=list_id,
        phone_number=phone,
        entry_date=state.fmt(now),
        modify_date=state.fmt(now),
        entry_epoch=now,
        gmt_offset_now=gmt_for(phone, "1"),
    )
    return state.insert_lead(lead)


def hangup(state: State, user: str, *, customer: bool = False) -> LiveAgent:
    """The call ends: the agent goes to the disposition screen (PAUSED/DISPO). ``customer``: the
    customer hung up first (fires the Dead Call Trigger URL)."""
    s = state.agents[user]
    if s.status == "INCALL":
        lead = state.leads.get(s.lead_id)
        if customer and lead is not None:
            on_dead(state, s, lead, state.now() - float(s.commands.get("call_start", state.now())))
        transition(state, s, "PAUSED", "DISPO")
    return s


def dispose(
    state: State, user: str, status: str, *, callback: tuple[str, str, str] | None = None
) -> LiveAgent:
    """Disposition the lead on screen and log the call; back to READY (or PAUSED if asked)."""
    s = state.agents[user]
    if s.status == "INCALL":
        transition(state, s, "PAUSED", "DISPO")
    lead = state.leads.get(s.lead_id)
    if lead is not None:
        start = float(s.commands.get("call_start", state.now()))
        lead.status = status
        lead.user = s.user
        lead.modify_date = state.fmt()
        if callback is not None:
            when, kind, comments = callback
            lead.status = "CBHOLD"
            state.add_callback(
                lead_id=lead.lead_id,
                list_id=lead.list_id,
                campaign_id=s.campaign_id,
                entry_time=state.fmt(),
                callback_time=when,
                modify_date=state.fmt(),
                user=s.user if kind == "USERONLY" else "",
                recipient=kind,
                comments=comments,
                user_group=_group_of(state, s.user),
                lead_status=status,
            )
        state.call_log.append(
            {
                "uniqueid": s.uniqueid,
                "lead_id": lead.lead_id,
                "list_id": lead.list_id,
                "campaign_id": s.ingroup if s.inbound else s.campaign_id,
                "call_date": state.fmt(start),
                "epoch": start,
                "length_in_sec": int(max(0.0, state.now() - start)),
                "status": status,
                "phone_code": lead.phone_code,
                "phone_number": lead.phone_number,
                "user": s.user,
                "term_reason": "AGENT",
                "inbound": s.inbound,
                "callerid": s.callerid,
            }
        )
        on_dispo(state, s, lead, status, state.now() - start, callback)
    s.lead_id = 0
    s.callerid = ""
    s.inbound = False
    s.ingroup = ""
    if s.logout_after_call:
        logout(state, user)
        return s
    if s.pause_after_call:
        s.pause_after_call = False
        transition(state, s, "PAUSED")
    else:
        transition(state, s, "READY")
    return s


def _group_of(state: State, user: str) -> str:
    u = state.users.get(user)
    return u.user_group if u is not None else ""


def queue_call(
    state: State,
    *,
    campaign_id: str = "TESTCAMP",
    phone_number: str = "3125550000",
    ingroup: str = "",
    lead_id: int = 0,
) -> LiveCall:
    """A call waiting for an agent (counted by calls_in_queue_count and the status reports)."""
    callerid = _callerid(state, "Y" if ingroup else "V", lead_id or len(state.live_calls) + 1)
    call = LiveCall(
        callerid=callerid,
        campaign_id=ingroup or campaign_id,
        phone_number=phone_number,
        lead_id=lead_id,
        inbound=bool(ingroup),
    )
    state.live_calls.append(call)
    return call


def drop_call(state: State, callerid: str = "", *, status: str = "DROP") -> LiveCall | None:
    """A waiting call reaches no agent (dropped, or ``status`` NA ...): it leaves the queue, its
    lead takes ``status`` and the No Agent Call URL fires. The oldest waiting call by default."""
    call = next((c for c in state.live_calls if not callerid or c.callerid == callerid), None)
    if call is None:
        return None
    state.live_calls.remove(call)
    lead = state.leads.get(call.lead_id) if call.lead_id else None
    if lead is None:
        lead = plain_lead(state, call.phone_number, 101)
    lead.status = status
    lead.modify_date = state.fmt()
    on_no_agent(state, call, lead, status)
    return call


def drive(fake: FakeVicidial, data: Mapping[str, Any]) -> dict[str, Any]:
    """``POST /_fake/agent``: ``{"action": "login"|"call"|"hangup"|"dispo"|"logout"|"queue", ...}``."""
    st = fake.state
    action = data["action"]
    kw = {k: v for k, v in data.items() if k not in ("action", "user")}
    if action == "queue":
        return {"callerid": queue_call(st, **kw).callerid}
    if action == "drop":
        dropped = drop_call(st, str(kw.get("callerid", "")), status=str(kw.get("status", "DROP")))
        return {"callerid": dropped.callerid if dropped is not None else None}
    user = str(data["user"])
    if action == "login":
        s: LiveAgent | None = login(st, user, **kw)
    elif action == "call":
        s = deliver_call(st, user, **kw)
    elif action == "hangup":
        s = hangup(st, user, customer=True)
    elif action == "dispo":
        s = dispose(st, user, str(kw.get("status", "SALE")))
    elif action == "logout":
        s = logout(st, user)
    else:
        raise ValueError(f"unknown agent action {action!r}")
    return s.as_dict() if s is not None else {}
