"""Helpers of the leads/lists/dnc tests: an in-process backend, reference templates rendered into
answers, and the recorded answers of these groups converted into method calls.

Imported by the test modules through ``sys.path`` (this file is not collected: no ``test_`` prefix).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from vicidial_async import RetryPolicy, VicidialClient
from vicidial_async.protocol.registry import REGISTRY, FunctionSpec
from vicidial_async.protocol.template import Template
from vicidial_async.transport.backend import RawResponse

PASSWORD = "s3cretPass"
GROUPS = ("leads", "lists", "dnc")
REFERENCE = json.loads((Path(__file__).resolve().parents[1] / "samples" / "api-reference"
                        / "non_agent.json").read_text())
FUNCTIONS = [f for f in REFERENCE["functions"] if f["group"] in GROUPS]
SAMPLES = Path(__file__).resolve().parents[1] / "samples" / "real_answers.jsonl"


class FakeServer:
    """A backend answering scripted ``(status, body)`` replies and recording every form sent."""

    def __init__(self, *replies: tuple[int, str]) -> None:
        self.replies = list(replies)
        self.forms: list[dict[str, str]] = []

    async def post(self, url: str, form: Mapping[str, str], *, read_timeout: float) -> RawResponse:
        self.forms.append(dict(form))
        status, body = self.replies.pop(0) if len(self.replies) > 1 else self.replies[0]
        return RawResponse(status, {}, body)

    async def aclose(self) -> None:
        return None

    @property
    def form(self) -> dict[str, str]:
        """The last form sent."""
        return self.forms[-1]


def client(body: str = "", status: int = 200, attempts: int = 1) -> tuple[VicidialClient, FakeServer]:
    """A client whose every call gets ``body`` back (no rate limit, no real sleeping)."""
    server = FakeServer((status, body))

    async def no_sleep(_: float) -> None:
        return None

    vd = VicidialClient("http://127.0.0.1", "6666", PASSWORD, backend=server, rate_limit=None,
                        retry=RetryPolicy(attempts=attempts), sleep=no_sleep)
    return vd, server


def group_of(function: str) -> str:
    return REGISTRY["non_agent", function].group


async def call(vd: VicidialClient, function: str, **kwargs: Any) -> Any:
    """``vd.<group>.<function>(**kwargs)``."""
    return await getattr(getattr(vd, group_of(function)), function)(**kwargs)


# Plausible values for the placeholders of the reference templates.
SAMPLE_VALUES: dict[str, str] = {
    "user": "6666", "phone_number": "3125551212", "list_id": "101", "lead_id": "2001",
    "gmt_offset": "-5.00", "hopper_id": "75", "alt_phones_inserted": "2",
    "entry_list_id_update_count": "1", "custom_fields": "Y", "custom_fields_enabled": "0",
    "dialable": "0", "sql_statement": "INSERT INTO vicidial_hopper", "campaign_id": "TESTCAMP",
    "callback_user": "agent001", "callback_type": "USERONLY", "callback_datetime": "2026-11-29 10:00:00",
    "callback_status": "CALLBK", "nanpa_row_count": "0", "duplicate_lead_id": "1999",
    "duplicate_list_id": "102", "duplicate_type": "ALT", "title": "Ms", "alt_phone": "3125550198",
    "first_name": "Ann", "last_name": "Lee", "modify_leads": "0", "user_group": "NOSUCHGRP",
    "affected_rows": "1", "archived_callbacks": "2", "archived_callbacks_repeat": "2",
    "deleted_callbacks": "3", "vendor_lead_code": "VX-77", "entry_list_id": "101",
    "lead_rows_updated": "1", "custom_rows_deleted": "1", "update_sql": "", "custom_table_list_id": "101",
    "rows_deleted": "1", "hopper_status": "READY", "search_method": "LEAD_ID", "list_id_field": "998",
    "matched_list_id": "102", "phone_code": "1", "insert_if_not_found": "Y", "found_count": "2",
    "found_lead_ids": "2002,2001", "lead_ids": "2001,2002", "insert_count": "1", "delete_count": "1",
    "stage": "", "search_location": "", "group": "SALES1", "call_id": "V3151430220000055012",
    "status": "CALLBK", "old_status": "SALE", "uniqueid": "1795880002.1", "field_value": "Chicago",
    "field_name": "city", "date": "2024-03-15", "agent_user": "", "allowed_user": "0",
    "list_name": "Spring Leads", "script": "NOSUCHSCRIPT", "drop_inbound_group": "NOSUCHIG",
    "reset_time": "99", "custom_fields_copy": "1001", "exists_count": "0", "fields_count": "0",
    "permission_count": "0", "tz_method": "BOGUS", "local_call_time": "nosuchtime",
    "field_label": "favcolor", "field_size": "10", "field_type": "TEXT", "field_rank": "5",
    "command_result": "SUCCESS: Field added", "field_id": "12", "custom_copy_method": "APPEND",
    "resets_today": "3", "daily_reset_limit": "3", "active": "X", "outbound_cid": "12",
    "am_message": "x" * 101, "function": "list_custom_fields", "auth_message": "BAD",
    "pass": PASSWORD, "ip": "10.0.0.9", "source": "x", "n": "1",
}
for _word in ("one", "two", "three", "four", "five"):
    SAMPLE_VALUES[f"xferconf_{_word}"] = "x" * 60

def render(template: str, **overrides: str) -> str:
    """The template with every ``{name}`` replaced by a plausible value (``overrides`` first)."""
    values = {**SAMPLE_VALUES, **overrides}
    t = Template.compile(template)
    return t.render(*(values.get(name, "x1") for name in t.names))


def spec(function: str) -> FunctionSpec:
    return REGISTRY["non_agent", function]


def function_ref(name: str) -> dict[str, Any]:
    return next(f for f in FUNCTIONS if f["name"] == name)


# -- recorded answers as method calls ----------------------------------------------------------

_COMMON = {"user", "pass", "source", "function"}


def real_answers() -> list[dict[str, Any]]:
    out = []
    for line in SAMPLES.read_text().splitlines():
        if not line.strip():
            continue
        a = json.loads(line)
        if a["api"] == "non_agent" and a["function"] in {f["name"] for f in FUNCTIONS}:
            out.append(a)
    return out


def method_kwargs(function: str, params: Mapping[str, str]) -> dict[str, Any]:
    """Turn recorded wire parameters into method keyword arguments (Y/N and YES/NO as bools,
    unknown names as custom field values)."""
    s = spec(function)
    kwargs: dict[str, Any] = {}
    custom: dict[str, str] = {}
    for name, value in params.items():
        if name in _COMMON:
            continue
        p = s.param_map.get(name)
        if p is None:
            custom[name] = value
            continue
        if name == "custom_fields" and s.custom_fields:
            continue  # sent for us when custom values are given
        if (p.kind == "yn" or name in ("header", "callback")) and value in ("Y", "N", "YES", "NO"):
            kwargs[name] = value in ("Y", "YES")
        elif p.kind == "int" and value.lstrip("-").isdigit():
            kwargs[name] = int(value)
        else:
            kwargs[name] = value
    if custom:
        kwargs["custom_fields"] = custom
    elif params.get("custom_fields") == "Y" and s.custom_fields:
        kwargs["custom_fields"] = True
    return kwargs
