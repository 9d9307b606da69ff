"""The fake's call URLs: the GETs a real VICIdial sends when its agents act.

Hooks in the agent session code queue requests (:func:`on_call_start`, :func:`on_dispo`,
:func:`on_dead`); the ASGI app sends them: the Start Call URL and the Dead Call Trigger URL inside
the request that caused them, before answering (the real server fetches them inside the agent's
screen request), the Dispo Call URL after answering (the real agent's browser sends it with its
next request). Like the real server they are sent once, never retried, with only ``Host:`` and
``Connection: close``, and expanded the same way (see ``real-webhooks`` in the shared facts):

- a leading ``VAR`` removed; each ``--A--name--B--`` replaced (case-insensitive), unknown names left
  literal;
- lead fields, custom fields, names, notes, dates: PHP ``urlencode``; codes and numbers raw;
- ``dispo_name`` and ``user_group`` encoded twice; empty or one-character ``call_notes`` as ``+``;
- Start Call URL comments with newlines as ``!N``;
- ``dispo_call_url=ALT`` (or ``start_call_url=ALT``): one GET per matching active alternate row
  (statuses or ``---ALL---``, lists, minimum talk time).

Requests go out over a plain socket (no HTTP client library), so no library logs the URL and its
token. What was sent is kept in ``state.webhooks_sent`` (URL without its query).
"""

from __future__ import annotations

import asyncio
import contextlib
import math
import re
import ssl
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any
from urllib.parse import quote_plus, urlsplit

from .records import Campaign, Lead, LiveAgent, LiveCall

if TYPE_CHECKING:
    from .state import State

__all__ = ["STATUS_NAMES", "expand", "fire_pending", "on_add_lead", "on_call_start", "on_dead",
           "on_dispo", "on_no_agent", "send_get", "send_synchronous", "spawn_pending"]

STATUS_NAMES = {
    "SALE": "Sale Made", "NI": "Not Interested", "CALLBK": "Call Back", "CBHOLD": "Call Back Hold",
    "A": "Answering Machine", "B": "Busy", "DC": "Disconnected Number", "DNC": "DO NOT CALL",
    "N": "No Answer", "NA": "No Answer AutoDial", "NP": "No Pitch No Price", "XFER": "Call Transferred",
    "DROP": "Agent Not Available", "NEW": "New Lead", "INCALL": "Lead Being Called",
}
"""Names of the default system statuses (what ``dispo_name`` carries)."""

TIMEOUT = 60.0
"""PHP gives up after 60 s."""

_LEAD_ENCODED = (
    "vendor_lead_code", "source_id", "title", "first_name", "middle_initial", "last_name",
    "address1", "address2", "address3", "city", "state", "province", "postal_code",
    "country_code", "date_of_birth", "alt_phone", "email", "security_phrase", "comments", "owner",
    "entry_date",
)
_LEAD_RAW = ("lead_id", "list_id", "phone_code", "phone_number", "gender", "rank", "called_count",
             "entry_list_id")
_TAG = re.compile(r"--A--([A-Za-z0-9_]+)--B--", re.IGNORECASE)
_tasks: set[asyncio.Task[Any]] = set()


def php_urlencode(text: str) -> str:
    """PHP's ``urlencode``: space as ``+``, everything but letters, digits and ``-_.`` escaped."""
    return quote_plus(text, safe="").replace("~", "%7E")


def expand(template: str, values: Mapping[str, str]) -> str:
    """The URL the server requests: ``values`` are already encoded as the server would."""
    url = template[3:] if template[:3].upper() == "VAR" else template
    lowered = {k.lower(): v for k, v in values.items()}
    return _TAG.sub(lambda m: lowered.get(m.group(1).lower(), m.group(0)), url)


def _lead_values(state: State, lead: Lead, *, start: bool = False,
                 custom: bool = True) -> dict[str, str]:
    u = php_urlencode
    lst = state.lists.get(lead.list_id)
    now = state.now()
    v: dict[str, str] = {}
    for name in _LEAD_ENCODED:
        text = str(getattr(lead, name, ""))
        if name == "comments" and start:
            text = text.replace("\r\n", "!N").replace("\n", "!N")
        v[name] = u(text)
    for name in _LEAD_RAW:
        v[name] = str(getattr(lead, name, ""))
    v.update(
        list_name=u(lst.list_name if lst is not None else ""),
        list_description=u(getattr(lst, "list_description", "") if lst is not None else ""),
        dialed_number=lead.phone_number, SQLdate=u(state.fmt(now)), epoch=str(int(now)),
        status=lead.status)
    if custom and lead.entry_list_id:  # custom fields only for leads of a list with custom fields
        for label, value in lead.custom.items():
            v.setdefault(label, u(str(value)))
    return v


def _values(state: State, s: LiveAgent, lead: Lead, *, start: bool = False,
            custom: bool = True) -> dict[str, str]:
    u = php_urlencode
    user = state.users.get(s.user)
    camp_id = s.campaign_id
    group = s.ingroup if s.inbound and s.ingroup else camp_id
    v = _lead_values(state, lead, start=start, custom=custom)
    v.update(
        dialed_label="MAIN", user=s.user,
        fullname=u(user.full_name if user is not None else ""),
        user_group=u(u(user.user_group if user is not None else "")),
        campaign=camp_id, group=group, channel_group=group, uniqueid=s.uniqueid,
        call_id=s.callerid, agent_log_id=str(s.calls), closecallid="", xfercallid="",
        recording_id="", recording_filename="", server_ip=s.server_ip,
        customer_server_ip=s.server_ip, session_id=s.session_id,
        SIPexten=s.user, phone_login=s.user, original_phone_login=s.user, did_id="",
        # The real server fills these in when the template asks for them; the fake does too, so
        # tests can see why a template must never name them.
        **{"pass": u(user.password) if user is not None else "", "phone_pass": ""},
    )
    return v


def _alt_rows(state: State, camp: Campaign, url_type: str, s: LiveAgent) -> list[dict[str, str]]:
    entry = "ingroup" if s.inbound and s.ingroup else "campaign"
    owner = s.ingroup if entry == "ingroup" else camp.campaign_id
    rows = [r for _, r in sorted(state.alt_urls.items())
            if r["campaign_id"] == owner and r["entry_type"] == entry and r["url_type"] == url_type
            and r["active"] == "Y" and r["url_address"]]
    return sorted(rows, key=lambda r: int(r.get("url_rank") or 1))


def _queue(state: State, kind: str, url: str, *, synchronous: bool) -> None:
    state.webhook_outbox.append((kind, url, synchronous))


def on_call_start(state: State, s: LiveAgent, lead: Lead, *, manual: bool = False) -> None:
    """A call reached the agent: queue the Start Call URL (sent before the request is answered).
    A manual dial fires it before the call is answered: no uniqueid, custom fields left literal."""
    camp = state.campaigns.get(s.campaign_id)
    if camp is None or not camp.start_call_url:
        return
    values = _values(state, s, lead, start=True, custom=not manual)
    values.update(dispo=lead.status, talk_time="0", talk_time_min="0")
    if manual:
        values["uniqueid"] = ""
    templates = ([r["url_address"] for r in _alt_rows(state, camp, "start", s)]
                 if camp.start_call_url == "ALT" else [camp.start_call_url])
    for template in templates:
        _queue(state, "start", expand(template, values), synchronous=True)


def on_dead(state: State, s: LiveAgent, lead: Lead, talk: float) -> None:
    """The customer hung up first: queue the Dead Call Trigger URL (sent before answering)."""
    camp = state.campaigns.get(s.campaign_id)
    if camp is None or not camp.dead_trigger_url:
        return
    values = _values(state, s, lead)
    secs = max(0, int(talk))
    values.update(dispo="INCALL", talk_time=str(secs), talk_time_ms=str(secs * 1000),
                  talk_time_min=str(math.ceil(secs / 60)), dead_time="0")
    _queue(state, "dead", expand(camp.dead_trigger_url, values), synchronous=True)


def on_dispo(state: State, s: LiveAgent, lead: Lead, status: str, talk: float,
             callback: tuple[str, str, str] | None = None) -> None:
    """The agent dispositioned the call: queue the Dispo Call URL(s) (sent after answering)."""
    camp = state.campaigns.get(s.campaign_id)
    if camp is None or not camp.dispo_call_url:
        return
    secs = max(0, int(talk))
    stored = "CBHOLD" if callback is not None else status
    notes = ""  # the fake has no agent screen to write call notes in
    values = _values(state, s, lead)
    values.update(
        dispo=status, dispo_name=php_urlencode(php_urlencode(STATUS_NAMES.get(stored, stored))),
        talk_time=str(secs), talk_time_ms=str(secs * 1000), talk_time_min=str(math.ceil(secs / 60)),
        call_notes=php_urlencode(notes) if len(notes) > 1 else "+",
        callback_datetime=php_urlencode(callback[0]) if callback is not None else "",
        callback_lead_status=status if callback is not None else "", term_reason="AGENT")
    if camp.dispo_call_url != "ALT":
        _queue(state, "dispo", expand(camp.dispo_call_url, values), synchronous=False)
        return
    for row in _alt_rows(state, camp, "dispo", s):
        statuses = row.get("url_statuses", "").split()
        lists = row.get("url_lists", "").split()
        if statuses and "---ALL---" not in statuses and status not in statuses:
            continue
        if lists and str(lead.list_id) not in lists:
            continue
        if secs < int(row.get("url_call_length") or 0):
            continue
        _queue(state, "dispo", expand(row["url_address"], values), synchronous=False)


def on_no_agent(state: State, call: LiveCall, lead: Lead, status: str) -> None:
    """A call reached no agent: queue the No Agent Call URL (sent by the backend, after)."""
    camp = state.campaigns.get(call.campaign_id)
    if camp is None or not camp.na_call_url:
        return
    values = _lead_values(state, lead)
    values.update(status=status, campaign=call.campaign_id, group=call.campaign_id,
                  uniqueid=f"{state.now():.6f}", call_id=call.callerid, server_ip="10.0.0.5")
    if camp.na_call_url == "ALT":
        owner = camp.campaign_id
        templates = [r["url_address"] for _, r in sorted(state.alt_urls.items())
                     if r["campaign_id"] == owner and r["url_type"] == "noagent"
                     and r["active"] == "Y" and r["url_address"]]
    else:
        templates = [camp.na_call_url]
    for template in templates:
        _queue(state, "no_agent", expand(template, values), synchronous=False)


def on_add_lead(state: State, ingroup: str, lead: Lead) -> None:
    """An inbound call of ``ingroup`` created a lead: queue the in-group's Add Lead URL."""
    group = state.in_groups.get(ingroup)
    if group is None or not group.add_lead_url:
        return
    values = _lead_values(state, lead)
    values.update(group=ingroup, did_id="", server_ip="10.0.0.5")
    _queue(state, "add_lead", expand(group.add_lead_url, values), synchronous=False)


# -- sending ---------------------------------------------------------------------------------------


async def send_get(url: str, timeout: float = TIMEOUT) -> int:
    """One ``GET`` as the real server sends it; returns the status code (0 when it failed)."""
    parts = urlsplit(url)
    https = parts.scheme == "https"
    host = parts.hostname or "127.0.0.1"
    port = parts.port or (443 if https else 80)
    target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    writer = None
    try:
        async with asyncio.timeout(timeout):
            reader, writer = await asyncio.open_connection(
                host, port, ssl=ssl.create_default_context() if https else None)
            writer.write(f"GET {target} HTTP/1.1\r\nHost: {parts.netloc}\r\nConnection: close\r\n\r\n"
                         .encode("latin-1"))
            await writer.drain()
            line = await reader.readline()
            with contextlib.suppress(Exception):
                await reader.read()
        fields = line.split()
        return int(fields[1]) if len(fields) >= 2 and fields[1].isdigit() else 0
    except (OSError, TimeoutError, ValueError, UnicodeEncodeError):
        return 0  # the real server logs and drops it: never retried
    finally:
        if writer is not None:
            writer.close()
            with contextlib.suppress(Exception):
                await writer.wait_closed()


async def _send(state: State, kind: str, url: str) -> None:
    status = await send_get(url)
    parts = urlsplit(url)
    state.webhooks_sent.append({"kind": kind, "url": f"{parts.scheme}://{parts.netloc}{parts.path}",
                                "status": status, "at": state.now()})


def _take(state: State, synchronous: bool) -> list[tuple[str, str]]:
    keep: list[tuple[str, str, bool]] = []
    out: list[tuple[str, str, bool]] = []
    for kind, url, sync in state.webhook_outbox:
        (out if sync == synchronous else keep).append((kind, url, sync))
    state.webhook_outbox[:] = keep
    return [(k, u) for k, u, _ in out]


async def send_synchronous(state: State) -> None:
    """Send the queued Start/Dead Call URLs one by one (the request waits for them)."""
    for kind, url in _take(state, True):
        await _send(state, kind, url)


def spawn_pending(state: State) -> None:
    """Send the queued Dispo Call URLs in the background (the API answer has gone)."""
    for kind, url in _take(state, False):
        task = asyncio.get_running_loop().create_task(_send(state, kind, url))
        _tasks.add(task)
        task.add_done_callback(_tasks.discard)


async def fire_pending(state: State) -> None:
    """Send everything queued and wait for the background sends (for tests and the demo)."""
    await send_synchronous(state)
    spawn_pending(state)
    while _tasks:
        await asyncio.gather(*list(_tasks), return_exceptions=True)
