"""Helpers of the Agent API tests: an in-process backend, reference templates rendered into answers,
and one plausible call per Agent API function.

Imported by the test modules through ``sys.path`` (this file is not collected: no ``test_`` prefix).
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from vicidial_async import RetryPolicy, VicidialClient
from vicidial_async.endpoints.agent import AgentSession
from vicidial_async.protocol.registry import REGISTRY
from vicidial_async.transport.backend import RawResponse

PASSWORD = "s3cretPass"
AGENT = "agent001"
REFERENCE = json.loads((Path(__file__).resolve().parents[1] / "samples" / "api-reference"
                        / "agent.json").read_text())
FUNCTIONS: list[dict[str, Any]] = REFERENCE["functions"]
AGENT_FREE = ("version", "webserver", "st_login_log", "st_get_agent_active_lead", "send_notification")


class FakeServer:
    """A backend answering scripted ``(status, body)`` replies and recording every form sent."""

    def __init__(self, *replies: tuple[int, str]) -> None:
        self.replies = list(replies)
        self.forms: list[dict[str, str]] = []
        self.urls: list[str] = []

    async def post(self, url: str, form: Mapping[str, str], *, read_timeout: float) -> RawResponse:
        self.urls.append(url)
        self.forms.append(dict(form))
        status, body = self.replies.pop(0) if len(self.replies) > 1 else self.replies[0]
        return RawResponse(status, {}, body)

    async def aclose(self) -> None:
        return None

    @property
    def form(self) -> dict[str, str]:
        """The last form sent."""
        return self.forms[-1]


def client(body: str = "", status: int = 200, attempts: int = 1, *, user: str = "6666",
           password: str = PASSWORD, source: str = "vicidialasync",
           replies: tuple[tuple[int, str], ...] = ()) -> tuple[VicidialClient, FakeServer]:
    """A client whose every call gets ``body`` back (no rate limit, no real sleeping)."""
    server = FakeServer(*(replies or ((status, body),)))

    async def no_sleep(_: float) -> None:
        return None

    vd = VicidialClient("http://127.0.0.1", user, password, backend=server, rate_limit=None,
                        retry=RetryPolicy(attempts=attempts), sleep=no_sleep, source=source)
    return vd, server


def session(body: str = "", **kw: Any) -> tuple[AgentSession, FakeServer]:
    """``vd.agent("agent001")`` on a scripted client."""
    vd, server = client(body, **kw)
    return vd.agent(AGENT), server


def function_ref(name: str) -> dict[str, Any]:
    return next(f for f in FUNCTIONS if f["name"] == name)


# Plausible values for the placeholders of the reference templates.
SAMPLE_VALUES: dict[str, str] = {
    "YYYY-MM-DD HH:MM:SS": "2026-11-28 17:28:51", "version": "2.14-81", "build": "240429-2220",
    "epoch": "1795886931", "agent_user": AGENT, "alt_user": "876543", "user": "6666",
    "value": "1", "phone_code": "1", "search": "YES", "preview": "NO", "focus": "YES",
    "vendor_id": "V77", "dial_prefix": "", "group_alias": "GOODALIAS", "caller_id_number": "3125550100",
    "alt_dial": "MAIN", "dial_ingroup": "NOSUCHIG", "lead_id": "2010", "outbound_cid": "3125550100",
    "outbound_cid_any": "DISABLED", "campaign_id": "TESTCAMP", "manual_preview_dial": "DISABLED",
    "alt_number_dialing": "N", "phone_number": "3125551212", "list_id": "998",
    "ingroup_choices": " TESTIN TESTIN2 -", "blended": "NO", "ingroup": "NOSUCHIG",
    "list_rows_affected": "1", "agent_rows_affected": "1", "fields_list": "city,first_name",
    "fields_sql": 'city="Chicago",first_name="Ann"', "panels": "scriptreload,callbacksreload",
    "notes": "call back", "rank": "15", "user_found": AGENT, "mapped_user": AGENT,
    "province": "Cook", "security_phrase": "blue", "source_id": "web", "vendor_lead_code": "SEED-001",
    "stage": "PLAY", "numbers_kept": "2", "numbers_sent": "4", "rows_affected": "1",
    "callerid": "Y1128180000000002010", "consultative": "NO", "cid_choice": "BOGUS",
    "active_count": "1", "md_check": "YES", "tw_check": "YES", "recording_id": "4711",
    "filename": "20261128-172851_3125551212", "recording_server_ip": "127.0.0.1",
    "start_time": "2026-11-28 17:20:00", "agent_server_ip": "127.0.0.1", "session_id": "8600051",
    "agent_status": "INCALL", "webphone_url": "https://127.0.0.1/agc/webphone/webphone.php?x=1",
    "new_lead_id": "2012", "new_vendor_lead_code": "SEED-003", "previous_lead_id": "2010",
    "count": "12", "fronter_user": "agent002", "container_id": "CCCSEED", "server_ip": "127.0.0.1",
    "dial_override": "Y", "recipient": AGENT, "recipient_type": "USER", "notification_id": "73",
    "resolved_type": "USER", "notification_date": "2026-13-45", "agent_notifications": "0",
    "table": "vicidial_users", "allowed_campaigns": " OTHERCMP -", "user_group": "NOSUCHGRP",
    "callback_datetime": "2026-11-29 12:00:00", "callback_type": "USERONLY",
    "callback_comments": "call back", "qm_dispo_code": "QM2", "source": "x", "function": "f",
    "auth": "0", "auth_api": "1", "auth_message": "BAD", "pass": PASSWORD,
    "set_timezone": "America/Chicago", "abbr_timezone": "CST", "dst_timezone": "0",
    "uname": "Linux", "host_name": "dialer1", "server_name": "dialer.example.com",
    "php_version": "8.2.7", "apache_version": "Apache/2.4.57", "apache_processes": "12",
    "system_load_average": "0.42", "disk_free_space": "51234567890", "date_timezone": "America/Chicago",
    "maximum_execution_time": "30", "maximum_input_time": "60", "memory_limit": "128M",
    "post_maximum_size": "8M", "upload_maximum_filesize": "2M", "default_socket_timeout": "60",
}


def render(template: str) -> str:
    """The template with each ``{name}`` replaced by its sample value."""
    return re.sub(r"\{([^}]*)\}", lambda m: SAMPLE_VALUES.get(m.group(1), "x1"), template)


# One valid call per function: (positional args, keyword args).
CALLS: dict[str, tuple[tuple[Any, ...], dict[str, Any]]] = {
    "version": ((), {}),
    "webserver": ((), {}),
    "external_hangup": ((), {}),
    "external_status": (("SALE",), {}),
    "external_pause": (("PAUSE",), {}),
    "logout": ((), {}),
    "external_dial": ((), {"phone_number": "3125551212", "phone_code": 1, "search": True,
                           "preview": False, "focus": True}),
    "preview_dial_action": (("DIALONLY",), {}),
    "external_add_lead": (("3125550802",), {"phone_code": 1, "first_name": "Bob"}),
    "change_ingroups": (("CHANGE",), {"blended": False, "ingroup_choices": ["TESTIN", "TESTIN2"]}),
    "update_fields": ((), {"first_name": "Ann", "city": "Chicago"}),
    "refresh_panel": ((), {"scriptreload": True, "callbacksreload": True}),
    "set_timer_action": (("MESSAGE_ONLY",), {"notes": "call back", "rank": 15}),
    "st_login_log": (("876543",), {"vendor_id": "207"}),
    "st_get_agent_active_lead": (("876543",), {"vendor_id": "207"}),
    "ra_call_control": (("Y0315201639000402027",), {"stage": "HANGUP"}),
    "send_dtmf": (("QQ1234SQQ6654P",), {}),
    "park_call": (("PARK_CUSTOMER",), {}),
    "transfer_conference": (("LOCAL_CLOSER",), {"ingroup_choices": "TESTIN"}),
    "recording": (("START",), {}),
    "webphone_url": ((), {}),
    "call_agent": ((), {}),
    "audio_playback": (("PLAY",), {"value": "ss-noservice"}),
    "switch_lead": ((2011,), {}),
    "vm_message": ((["EXship01", "EXship02"],), {"lead_id": 2010}),
    "pause_code": (("BREAK",), {}),
    "calls_in_queue_count": ((), {}),
    "force_fronter_leave_3way": (("LOCAL_ONLY",), {}),
    "force_fronter_audio_stop": (("LOCAL_ONLY",), {"stage": "probe_stage"}),
    "send_notification": ((), {"recipient": AGENT, "recipient_type": "USER",
                               "notification_text": "hello"}),
}


async def call(target: Any, function: str) -> Any:
    """Call ``function`` on a session (or ``vd.agents``) with its sample arguments."""
    args, kwargs = CALLS[function]
    return await getattr(target, function)(*args, **kwargs)


def kind_of(function: str, template: str) -> str:
    """The error kind the registry gives an ERROR template of ``function``."""
    spec = REGISTRY["agent", function]
    return next(e.kind for e in spec.all_errors if e.lines[0].text == template.split("\n")[0])
