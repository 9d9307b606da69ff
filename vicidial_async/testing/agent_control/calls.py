"""Agent API: call control (remote agents, DTMF, park, transfers, recording, audio, switching
leads, messages, pause codes, queue counts, fronters) and notifications."""

from __future__ import annotations

from .. import filters as f
from ..core import Call, agent_denied, handles
from .common import AG, done, live, named, resolve, session, tpl
from .sessions import dispose, transition

# -- call control -----------------------------------------------------------------------------------

_RA_BAD = tpl("ra_call_control", "ra_call_control not valid")
_RA_NOCALL = tpl("ra_call_control", "no active call")
_RA_PHONE = tpl("ra_call_control", "phone_number is not valid")
_RA_IG = tpl("ra_call_control", "ingroup is not valid")
_RA_STAGE = tpl("ra_call_control", "stage is not valid")
_RA_HUNG = tpl("ra_call_control", "hungup")
_RA_XFER = tpl("ra_call_control", "transfer")


@handles(AG, "ra_call_control")
def ra_call_control(call: Call) -> str:
    """ra_call_control: hangs up or transfers (extension or in-group) a call handled by a remote agent,
    logs its status and frees the remote agent.
    """
    st = call.state
    agent = f.ident(call.get("agent_user"))
    value = f.value(call.get("value"))
    stage = call.get("stage").replace("'", "").replace('"', "").replace(";", "")
    out: list[str] = []
    valid = bool(agent and value and stage)
    if session(call, out, agent, valid=valid, invalid=_RA_BAD(value, agent, stage)) is None:
        return done(out)
    if stage not in ("HANGUP", "EXTENSIONTRANSFER", "INGROUPTRANSFER"):
        return _RA_STAGE(stage) + "\n"
    holder = next((s for s in st.agents.values() if s.callerid == value), None)
    waiting = next((c for c in st.live_calls if c.callerid == value), None)
    if holder is None and waiting is None:
        return _RA_NOCALL(value) + "\n"
    phone = f.phone_agent(call.get("phone_number"))
    group = f.ident(call.get("ingroup_choices"))
    if stage == "EXTENSIONTRANSFER" and len(phone) < 2:
        return _RA_PHONE(phone) + "\n"
    if stage == "INGROUPTRANSFER" and group != "DEFAULTINGROUP" and group not in st.in_groups:
        return _RA_IG(group) + "\n"
    status = f.ident(call.get("status")) or "RAXFER"
    if holder is not None:
        dispose(st, holder.user, status)
    if waiting is not None:
        st.live_calls.remove(waiting)
    if stage == "HANGUP":
        return _RA_HUNG(agent, value) + "\n"
    return _RA_XFER(agent, value, phone) + "\n"


_PARKS = (
    "PARK_CUSTOMER",
    "GRAB_CUSTOMER",
    "PARK_IVR_CUSTOMER",
    "GRAB_IVR_CUSTOMER",
    "PARK_XFER",
    "GRAB_XFER",
)
_SIMPLE = {fn: (tpl(fn, "not valid"), tpl(fn, "SUCCESS")) for fn in ("send_dtmf", "park_call")}
_PARK_NO_LEAD = tpl("park_call", "does not have a lead")


@handles(AG, "send_dtmf", "park_call")
def simple_command(call: Call) -> str:
    """send_dtmf, park_call: a command queued for the agent's screen (park_call needs a lead)."""
    fn = call.function
    bad, ok = _SIMPLE[fn]
    out: list[str] = []
    agent = resolve(call, out)
    value = f.value(call.get("value"))
    parks = fn != "park_call" or any(p in value for p in _PARKS)
    s = session(
        call, out, agent, valid=named(call, agent) and bool(value) and parks, invalid=bad(value, agent)
    )
    if s is None:
        return done(out)
    if fn == "park_call" and not s.lead_id:
        return done(out, _PARK_NO_LEAD(agent))
    s.commands[fn] = value
    if fn == "park_call":
        s.sub_status = "PARK" if value.startswith(("PARK", "SWAP")) else ""
    return done(out, ok(value, agent))


_TC_BAD = tpl("transfer_conference", "transfer_conference not valid")
_TC_NOCALL = tpl("transfer_conference", "does not have a live call")
_TC_IG = tpl("transfer_conference", "ingroup is not valid")
_TC_OK = tpl("transfer_conference", "SUCCESS", 6)
_TC_VALUES = (
    "HANGUP_XFER",
    "HANGUP_BOTH",
    "BLIND_TRANSFER",
    "LEAVE_VM",
    "LOCAL_CLOSER",
    "DIAL_WITH_CUSTOMER",
    "PARK_CUSTOMER_DIAL",
    "LEAVE_3WAY_CALL",
)


@handles(AG, "transfer_conference")
def transfer_conference(call: Call) -> str:
    """transfer_conference: queues a Transfer-Conf action (hangups, blind/local-closer transfer, 3-way
    dial, leave VM, leave 3-way) on the agent's live call.
    """
    st = call.state
    out: list[str] = []
    agent = resolve(call, out)
    value = f.value(call.get("value"))
    s = session(
        call, out, agent, valid=named(call, agent) and value in _TC_VALUES, invalid=_TC_BAD(value, agent)
    )
    if s is None:
        return done(out)
    if not s.lead_id or len(s.callerid) <= 15:
        return done(out, _TC_NOCALL(agent))
    consult = "YES" if call.get("consultative") == "YES" else "NO"
    group = f.ident(call.get("ingroup_choices"))
    via_ingroup = value == "LOCAL_CLOSER" or (
        consult == "YES" and value in ("DIAL_WITH_CUSTOMER", "PARK_CUSTOMER_DIAL")
    )
    if via_ingroup and group != "DEFAULTINGROUP" and group not in st.in_groups:
        return done(out, _TC_IG(group))
    phone = f.phone_agent(call.get("phone_number"))
    s.commands["transfer_conference"] = value
    callerid = s.callerid
    if value in ("HANGUP_BOTH", "BLIND_TRANSFER", "LOCAL_CLOSER", "LEAVE_VM", "LEAVE_3WAY_CALL"):
        transition(st, s, "PAUSED", "DISPO")
    elif value in ("DIAL_WITH_CUSTOMER", "PARK_CUSTOMER_DIAL"):
        s.sub_status = "3-WAY"
    elif value == "HANGUP_XFER":
        s.sub_status = ""
    return done(out, _TC_OK(value, group, phone, consult, agent, callerid))


_REC_BAD = tpl("recording", "recording not valid")
_REC_OK = tpl("recording", "SUCCESS")
_REC_ACTIVE = tpl("recording", "recording active")
_REC_NONE = tpl("recording", "not recording")
_REC_STOP = tpl("recording", "stop recording error")


@handles(AG, "recording")
def recording(call: Call) -> str:
    """recording: sends a start/stop recording signal to the agent's screen, or reports whether a recording
    is active.
    """
    st = call.state
    out: list[str] = []
    agent = resolve(call, out)
    value = f.value(call.get("value"))
    s = session(
        call,
        out,
        agent,
        valid=named(call, agent) and any(k in value for k in ("START", "STOP", "STATUS")),
        invalid=_REC_BAD(value, agent),
    )
    if s is None:
        return done(out)
    if value == "STATUS":
        if s.recordings:
            rid = s.recordings[-1]
            file = f"{s.session_id}_{rid}"
            active = _REC_ACTIVE(agent, rid, file, s.server_ip, st.fmt(), s.server_ip, s.session_id, s.status)
            return done(out, active)
        return done(out, _REC_NONE(agent, s.server_ip, s.session_id, s.status))
    if "STOP" in value:
        if not s.recordings:
            return done(out, _REC_STOP(agent, "", s.server_ip, s.session_id, s.status))
        for row in st.recording_log:
            if row["recording_id"] in s.recordings:
                row["length_in_sec"] = int(st.now() - row["start_epoch"])
        s.recordings.clear()
    else:
        row = st.add_recording(
            user=agent, lead_id=s.lead_id, extension=s.session_id, server_ip=s.server_ip, uniqueid=s.uniqueid
        )
        s.recordings.append(row["recording_id"])
        value = value + call.get("stage")[:14]
    return done(out, _REC_OK(agent, value, s.server_ip, s.session_id, s.status))


_WP_BAD = tpl("webphone_url", "not valid")
_WP_EMPTY = tpl("webphone_url", "webphone url is empty")


@handles(AG, "webphone_url")
def webphone_url(call: Call) -> str:
    """webphone_url: returns (DISPLAY) or redirects to (LAUNCH) the webphone URL of the agent's current
    session.
    """
    out: list[str] = []
    agent = resolve(call, out)
    value = call.get("value")
    s = session(
        call,
        out,
        agent,
        valid=named(call, agent) and value in ("DISPLAY", "LAUNCH"),
        invalid=_WP_BAD(value, agent),
    )
    if s is None:
        return done(out)
    url = s.webphone_url
    if len(url) < 6:
        return done(out, _WP_EMPTY(agent))
    if value == "DISPLAY":
        return done(out) + url
    return done(out) + (
        f'<META HTTP-EQUIV=Refresh CONTENT="0; URL={url}">\n</HEAD>\n<BODY BGCOLOR=#FFFFFF '
        f'marginheight=0 marginwidth=0 leftmargin=0 topmargin=0>\n<a href="{url}">click '
        "here to continue. . .</a>\n</BODY>"
    )


_CA_BAD = tpl("call_agent", "not valid")
_CA_OK = tpl("call_agent", "SUCCESS")


@handles(AG, "call_agent")
def call_agent(call: Call) -> str:
    """call_agent: originates a call from the agent's session conference to the agent's phone (re-connects
    the agent).
    """
    out: list[str] = []
    agent = resolve(call, out)
    value = call.get("value")
    s = session(call, out, agent, valid=named(call, agent) and value == "CALL", invalid=_CA_BAD(value, agent))
    if s is None:
        return done(out)
    s.commands["call_agent"] = str(call.state.now())
    return done(out, _CA_OK(agent))


_AP_BAD = tpl("audio_playback", "not valid")
_AP_OK = tpl("audio_playback", "SUCCESS")
_AP_STOPPED = tpl("audio_playback", "previous playback stopped")
_AP_PLAYING = tpl("audio_playback", "audio already playing")
_AP_NONE = tpl("audio_playback", "no audio playing")
_AP_NOT_LOGGED = tpl("audio_playback", "agent_user is not logged in")


@handles(AG, "audio_playback")
def audio_playback(call: Call) -> str:
    """audio_playback: plays, stops, pauses, resumes or restarts an audio-store file in the agent's session
    conference.
    """
    out: list[str] = []
    agent = resolve(call, out, audio=True)
    stage = f.ident(call.get("stage"))
    value = f.value(call.get("value"))
    if not named(call, agent) or len(stage) < 4 or (stage == "PLAY" and not value):
        return done(out, _AP_BAD(value, stage, agent))
    if (d := agent_denied(call)) is not None:
        return done(out) + d
    s = call.state.agents.get(agent)
    if s is None:
        return done(out, _AP_NOT_LOGGED(stage, agent))
    override = call.get("dial_override")
    if stage == "PLAY":
        if s.audio_playing:
            if override != "Y":
                return done(out, _AP_PLAYING(s.session_id, s.server_ip, stage, override, agent))
            out.append(_AP_STOPPED(stage, override, agent) + "\n")
        s.audio_playing = value
    elif stage in ("STOP", "PAUSE", "RESUME", "RESTART"):
        if not s.audio_playing:
            return done(out, _AP_NONE(s.session_id, s.server_ip, stage, agent))
        if stage == "STOP":
            s.audio_playing = ""
    elif not s.audio_playing:
        return done(out, _AP_NONE(s.session_id, s.server_ip, stage, agent))
    return done(out, _AP_OK(value, stage, agent))


_SW_BAD = tpl("switch_lead", "not valid")
_SW_NOCALL = tpl("switch_lead", "does not have a live call")
_SW_NOT_INBOUND = tpl("switch_lead", "agent call is not inbound")
_SW_CAMP = tpl("switch_lead", "campaign not found")
_SW_SEARCH = tpl("switch_lead", "does not allow inbound lead search")
_SW_LEAD = tpl("switch_lead", "switch-to lead not found")
_SW_OK = tpl("switch_lead", "SUCCESS")


@handles(AG, "switch_lead")
def switch_lead(call: Call) -> str:
    """switch_lead: on a live inbound call, switches the agent screen (and call logs) to another lead found
    by lead_id or vendor_lead_code.
    """
    st = call.state
    out: list[str] = []
    agent = resolve(call, out)
    lead_raw = f.digits(call.get("lead_id"))
    vlc = f.plain(call.get("vendor_lead_code"))
    s = session(
        call,
        out,
        agent,
        valid=named(call, agent) and bool((lead_raw and int(lead_raw) > 0) or vlc),
        invalid=_SW_BAD(lead_raw, vlc, agent),
        echo="lead_id",
    )
    if s is None:
        return done(out)
    if not s.lead_id or len(s.callerid) <= 15:
        return done(out, _SW_NOCALL(agent))
    if not s.callerid.startswith("Y"):
        return done(out) + _SW_NOT_INBOUND(agent, s.callerid)
    camp = st.campaigns.get(s.campaign_id)
    if camp is None:
        return done(out, _SW_CAMP(agent, s.campaign_id))
    if camp.agent_lead_search not in ("LIVE_CALL_INBOUND", "LIVE_CALL_INBOUND_AND_MANUAL"):
        return done(out, _SW_SEARCH(agent, s.campaign_id))
    if vlc:
        hits = st.leads_with(st.by_vendor, vlc)
        lead = max(hits, key=lambda x: x.lead_id) if hits else None
    else:
        lead = st.leads.get(int(lead_raw))
    if lead is None:
        return done(out, _SW_LEAD(agent, lead_raw, vlc))
    previous, s.lead_id = s.lead_id, lead.lead_id
    return done(out, _SW_OK(agent, lead.lead_id, lead.vendor_lead_code, s.campaign_id, previous))


_VM_BAD = tpl("vm_message", "not valid")
_VM_NOCALL = tpl("vm_message", "does not have a live call")
_VM_MISMATCH = tpl("vm_message", "does not match lead_id")
_VM_OK = tpl("vm_message", "SUCCESS")


@handles(AG, "vm_message")
def vm_message(call: Call) -> str:
    """vm_message: stores the audio file(s) to play when the agent sends the current call to voicemail with
    the VM button.
    """
    out: list[str] = []
    agent = resolve(call, out)
    value = f.value(call.get("value"))
    lead_raw = f.digits(call.get("lead_id"))
    s = session(
        call,
        out,
        agent,
        valid=named(call, agent) and bool(value),
        invalid=_VM_BAD(lead_raw, value, agent),
        echo="lead_id",
    )
    if s is None:
        return done(out)
    if not s.lead_id or len(s.callerid) <= 15:
        return done(out, _VM_NOCALL(agent))
    if lead_raw and int(lead_raw) != s.lead_id:
        return done(out, _VM_MISMATCH(agent))
    s.commands["vm_message"] = value
    return done(out, _VM_OK(agent, s.lead_id, value))


_PC_BAD = tpl("pause_code", "not valid")
_PC_NOT = tpl("pause_code", "agent is not paused")
_PC_OK = tpl("pause_code", "SUCCESS")


@handles(AG, "pause_code")
def pause_code(call: Call) -> str:
    """pause_code: queues a pause code for an agent who is currently paused."""
    out: list[str] = []
    agent = resolve(call, out)
    value = f.value(call.get("value"))
    s = session(
        call, out, agent, valid=named(call, agent) and 1 <= len(value) <= 6, invalid=_PC_BAD(value, agent)
    )
    if s is None:
        return done(out)
    if s.status != "PAUSED":
        return done(out, _PC_NOT(agent))
    s.pause_code = value
    return done(out, _PC_OK(agent))


_FRONTER = {
    fn: (tpl(fn, "not valid"), tpl(fn, "is not on a phone call"), tpl(fn, "no fronter found"))
    for fn in ("force_fronter_leave_3way", "force_fronter_audio_stop")
}
_FRONTER_LEFT = tpl("force_fronter_leave_3way", "SUCCESS")
_FRONTER_STOPPED = tpl("force_fronter_audio_stop", "function sent")


@handles(AG, "force_fronter_leave_3way", "force_fronter_audio_stop")
def fronter_command(call: Call) -> str:
    """force_fronter_leave_3way, force_fronter_audio_stop: a command to the fronter on the agent's call."""
    fn = call.function
    bad, no_call, none = _FRONTER[fn]
    st = call.state
    out: list[str] = []
    agent = resolve(call, out)
    value = call.get("value")
    if not named(call, agent) or value not in ("LOCAL_ONLY", "LOCAL_AND_CCC", "CCC_REMOTE"):
        return done(out, bad(value, agent))
    if (d := agent_denied(call)) is not None:
        return done(out) + d
    if value == "CCC_REMOTE":
        return done(out, none(agent))
    s = live(call, agent, out)
    if s is None:
        return done(out)
    if not s.lead_id:
        return done(out, no_call(agent))
    others = [a for a in st.agents.values() if a.lead_id == s.lead_id and a.user != agent]
    if not others:
        return done(out, none(agent))
    fronter = others[0].user
    if fn == "force_fronter_leave_3way":
        others[0].commands[fn] = "LEAVE"
        return done(out) + _FRONTER_LEFT(fronter)
    stage = call.get("stage")
    return done(out, _FRONTER_STOPPED(value, stage, agent, fronter))


_SN_OFF = tpl("send_notification", "Notifications are disabled")
_SN_MISSING = tpl("send_notification", "Missing recipient")
_SN_INVALID = tpl("send_notification", "invalid request")
_SN_OK = tpl("send_notification", "SUCCESS")
_SN_NO_MATCH = tpl("send_notification", "no matching recipient found")
_SN_FOUND_AS = tpl("send_notification", "NOTICE: found")
_SN_UNKNOWN = tpl("send_notification", "DOES NOT EXIST in")


@handles(AG, "send_notification")
def send_notification(call: Call) -> str:
    """send_notification: queues an on-screen text alert and/or confetti effect for a user, a user group or
    a campaign's agents.
    """
    st = call.state
    if st.settings.get("agent_notifications") != "1":
        return _SN_OFF(st.settings.get("agent_notifications", "0")) + "\n"
    recipient = f.ident(call.get("recipient"))
    kind = call.get("recipient_type")
    text = f.plain(call.get("notification_text"))
    if (d := agent_denied(call)) is not None:
        return d
    if not recipient:
        return _SN_MISSING(recipient, kind) + "\n"
    prefix = ""
    if kind not in ("USER", "USER_GROUP", "CAMPAIGN"):
        guess = (
            "USER"
            if recipient in st.users
            else "USER_GROUP"
            if recipient in st.user_groups
            else "CAMPAIGN"
            if recipient in st.campaigns
            else ""
        )
        if not guess:
            return _SN_NO_MATCH(kind, recipient) + "\n"
        prefix = _SN_FOUND_AS(kind, recipient, guess)
        kind = guess
    known = (
        recipient in st.users
        if kind == "USER"
        else recipient in st.user_groups
        if kind == "USER_GROUP"
        else recipient in st.campaigns
    )
    if not known:
        return prefix + _SN_UNKNOWN(recipient, kind.lower() + "s", text, recipient) + "\n"
    if not text and call.get("show_confetti") != "Y":
        return prefix + _SN_INVALID(recipient, kind) + "\n"
    nid = st.misc_id()
    st.notifications.append({"id": str(nid), "recipient": recipient, "recipient_type": kind, "text": text})
    return prefix + _SN_OK(recipient, kind, nid) + "\n"
