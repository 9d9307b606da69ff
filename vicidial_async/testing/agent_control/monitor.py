"""blind_monitor (Non-Agent API): a manager's phone rings and joins an agent's conference."""

from __future__ import annotations

import re

from .. import filters as f
from ..core import Call, handles
from ..wire import line

NA = "non_agent"
_PERM = line(NA, "blind_monitor", "PERMISSION")
_SESSION = line(NA, "blind_monitor", "INVALID SESSION ID")
_PHONE = line(NA, "blind_monitor", "INVALID PHONE LOGIN")
_OK = line(NA, "blind_monitor", "SUCCESS")
_SERVER = re.compile(r"[^A-Za-z0-9.:_\-]")
_WHISPER = "47378218"


def _prefix(call: Call, stage: str) -> str:
    """The dial prefix of the stage on a MeetMe server (case-sensitive substring, as the PHP)."""
    if "BARGE" in stage or "HIJACK" in stage:
        return ""
    if "WHISPER" in stage and call.state.settings.get("agent_whisper_enabled") == "1":
        return _WHISPER
    return "0"


@handles(NA, "blind_monitor")
def blind_monitor(call: Call) -> str:
    """blind_monitor: dials a manager phone into an agent's session conference (listen, barge, whisper)."""
    st = call.state
    u = call.user
    queuemetrics = call.get("source") == "queuemetrics"
    if not queuemetrics and not (u.user_level >= 7 and u.vdc_agent_api_access == 1):
        return _PERM.denied(call.uname) + "\n"
    phone_login = f.ident(call.get("phone_login"))
    session_id = f.digits(call.get("session_id"))
    server_ip = _SERVER.sub("", call.get("server_ip"))
    conference = any(a.session_id == session_id and a.server_ip == server_ip for a in st.agents.values())
    if not session_id or not conference:
        return _SESSION(session_id, server_ip, call.uname) + "\n"
    if queuemetrics:
        dialplan_number = phone_login
    else:
        phone = next((p for p in st.phones.values() if p.login == phone_login and phone_login), None)
        if phone is None:
            return _PHONE(phone_login, call.uname) + "\n"
        dialplan_number = phone.dialplan_number
    stage = call.get("stage") or "MONITOR"
    octets = "*".join(part.zfill(3) for part in server_ip.split("."))
    dialstring = f"{octets}*{_prefix(call, stage)}{session_id}"
    man_id = st.misc_id()
    st.monitors.append(
        {
            "man_id": man_id,
            "phone_login": phone_login,
            "dialplan_number": dialplan_number,
            "session_id": session_id,
            "server_ip": server_ip,
            "stage": stage,
            "dialstring": dialstring,
            "user": call.uname,
        }
    )
    return _OK(phone_login, dialstring, dialplan_number, session_id, man_id, call.uname) + "\n"
