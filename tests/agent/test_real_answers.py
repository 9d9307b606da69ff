"""Answers recorded from a real VICIdial server (r3884, PHP 8.2) decode into the typed results and
errors, and the recorded valid calls go out of the typed methods with the same fields."""

from __future__ import annotations

import datetime as dt
import importlib
import sys
from pathlib import Path
from typing import Any

import pytest

from vicidial_async import APIError, DecodeError, HTTPStatusError, InvalidParameterError
from vicidial_async.models.agent import (
    RESULT_BUILDERS,
    ChangeIngroupsResult,
    ExternalDialResult,
    ExternalStatusResult,
    TransferConferenceResult,
    UpdateFieldsResult,
)
from vicidial_async.protocol.decode import decode
from vicidial_async.protocol.registry import REGISTRY

sys.path.insert(0, str(Path(__file__).parent))
support: Any = importlib.import_module("_agent_support")

ROOT_SAMPLES = Path(__file__).resolve().parents[1] / "samples" / "real_answers.jsonl"


def _answers() -> list[dict[str, Any]]:
    import json

    rows = [json.loads(line) for line in ROOT_SAMPLES.read_text().splitlines() if line.strip()]
    return [r for r in rows if r["api"] == "agent" and r["function"] in RESULT_BUILDERS
            and r["params"].get("format") != "debug"]


ANSWERS = _answers()


def _id(r: dict[str, Any]) -> str:
    return f"{r['function']}-{r['case']}"


def test_every_function_but_one_has_recorded_answers() -> None:
    assert {r["function"] for r in ANSWERS} == set(RESULT_BUILDERS)


@pytest.mark.parametrize("rec", ANSWERS, ids=_id)
def test_recorded_answer_decodes_to_a_result_or_a_typed_error(rec: dict[str, Any]) -> None:
    spec = REGISTRY["agent", rec["function"]]
    params = {k: v for k, v in rec["params"].items() if k not in ("user", "pass", "source")}
    if rec["http_status"] != 200:
        with pytest.raises(HTTPStatusError):
            decode(spec, rec["http_status"], rec["body"], params)
        return
    try:
        answer = decode(spec, 200, rec["body"], params)
    except APIError as exc:
        # Every recorded ERROR line matches a reference template, so it gets a specific class.
        assert type(exc) is not APIError, exc.line
        assert rec["case"].startswith("invalid") or "ERROR" in rec["body"]
        return
    result = RESULT_BUILDERS[rec["function"]](answer)
    assert result.raw == rec["body"]


def _valid_calls() -> list[dict[str, Any]]:
    return [r for r in ANSWERS if r["case"].startswith("valid") and r["http_status"] == 200
            and r["params"].get("agent_user", "agent001") == "agent001"
            and "close_window_link" not in r["params"]]


# Recorded valid calls the typed methods refuse on purpose (the server accepts them, but they do not
# do what they seem to), with the parameter the refusal names.
REFUSED = {
    "set_timer_action-valid_undocumented_value": "value",  # not a documented timer action
    "transfer_conference-valid_HANGUP_BOTH": "phone_number",  # ignored by a hangup
    "transfer_conference-valid_LEAVE_VM": "phone_number",
    "transfer_conference-valid_LEAVE_3WAY_CALL": "phone_number",
    "transfer_conference-valid_multi_dial_phones": "multi_dial_phones",  # '123', a repeat: dropped
    "recording-valid_start_stage": "stage",  # cut to 14 characters by the server
    "send_dtmf-valid_hash_star_stripped": "value",  # '#' and '*' are stripped by the server
    "switch_lead-valid_both_vendor_wins": "lead_id",  # the server silently prefers vendor_lead_code
}


def _to_call(rec: dict[str, Any]) -> tuple[tuple[Any, ...], dict[str, Any]]:
    """The recorded wire params as a typed call: value positional (or by its friendly name)."""
    p = {k: v for k, v in rec["params"].items()
         if k not in ("source", "user", "pass", "function", "agent_user")}
    fn = rec["function"]
    if fn == "audio_playback":
        return (p.pop("stage"),), p
    if fn == "switch_lead":
        return ((p.pop("lead_id"),) if "lead_id" in p else ()), p
    if fn in ("send_notification", "update_fields", "refresh_panel"):
        for k in [k for k in p if k.endswith("reload")]:
            p[k] = True
        if fn == "send_notification":
            for k in ("show_confetti", "notification_retry"):
                if k in p:
                    p[k] = p[k] == "Y"
        return (), p
    if fn == "external_add_lead" and p.get("value") == "":
        p.pop("value")
    return ((p.pop("value"),) if "value" in p else ()), p


@pytest.mark.parametrize("rec", _valid_calls(), ids=_id)
async def test_recorded_valid_call_goes_out_the_same_way(rec: dict[str, Any]) -> None:
    name = _id(rec)
    a, server = support.session(rec["body"])
    args, kwargs = _to_call(rec)
    if name in REFUSED:
        with pytest.raises(InvalidParameterError) as info:
            await getattr(a, rec["function"])(*args, **kwargs)
        assert info.value.sent is False and server.forms == []
        assert info.value.parameter == REFUSED[name]
        return
    result = await getattr(a, rec["function"])(*args, **kwargs)
    assert result.raw == rec["body"]
    sent = {k: v for k, v in server.form.items() if k not in ("user", "pass", "source")}
    expected = {k: v for k, v in rec["params"].items() if k not in ("user", "pass", "source")}
    if "value" in REGISTRY["agent", rec["function"]].param_map:
        expected.setdefault("value", "")
    if rec["function"] == "external_add_lead" and "phone_number" in expected:
        expected["value"] = expected.pop("phone_number")
    assert sent == expected


# -- what the recorded answers say, field by field ------------------------------------------------

def _decoded(function: str, body: str) -> Any:
    return RESULT_BUILDERS[function](decode(REGISTRY["agent", function], 200, body, {}))


def test_external_status_callback_composite_is_split() -> None:
    res = _decoded("external_status", "SUCCESS: external_status function set - "
                                      "CALLBK!2026-11-29 12:00:00!USERONLY!call back!|agent001\n")
    assert isinstance(res, ExternalStatusResult)
    assert (res.status, res.agent_user, res.callback_set) == ("CALLBK", "agent001", True)
    assert res.callback_datetime == dt.datetime(2026, 11, 29, 12)
    assert (res.callback_type, res.callback_comments, res.qm_dispo_code) == ("USERONLY", "call back", "")
    plain = _decoded("external_status", "SUCCESS: external_status function set - SALE|agent001\n")
    assert (plain.status, plain.callback_set, plain.callback_datetime) == ("SALE", False, None)
    qm = _decoded("external_status",
                  "SUCCESS: external_status function set - CALLBK!2026-11-29 12:00:00!ANYONE!!QM2|a1\n")
    assert (qm.callback_type, qm.qm_dispo_code, qm.agent_user) == ("ANYONE", "QM2", "a1")


def test_external_dial_notice_names_the_dropped_ingroup() -> None:
    res = _decoded("external_dial", "NOTICE: defined dial_ingroup not found - NOSUCHIG\nSUCCESS: "
                                    "external_dial function set - 7275551212|agent001|1|YES|NO|YES|"
                                    "|1795886932||||\n")
    assert isinstance(res, ExternalDialResult)
    assert res.dial_ingroup_dropped == "NOSUCHIG"
    assert (res.phone_number, res.search, res.preview, res.focus, res.epoch) == (
        "7275551212", True, False, True, 1795886932)
    cid = _decoded("external_dial", "SUCCESS: external_dial function set - 7275551212|agent001|1|YES|"
                                    "NO|YES||1795886932||-FORCE-|3125550100|\n")
    assert (cid.group_alias, cid.caller_id_number, cid.dial_ingroup_dropped) == (
        "-FORCE-", "3125550100", "")


def test_change_ingroups_reports_the_resulting_selection() -> None:
    res = _decoded("change_ingroups", "SUCCESS: change_ingroups function set - 6666|agent001| TESTIN "
                                      "TESTIN2 -|NO|\n")
    assert isinstance(res, ChangeIngroupsResult)
    assert (res.ingroups, res.blended, res.set_as_default) == (("TESTIN", "TESTIN2"), False, False)
    dflt = _decoded("change_ingroups", "SUCCESS: change_ingroups function set - 6666|agent001| "
                                       "TESTIN -|YES|User settings set as default\n")
    assert (dflt.ingroups, dflt.blended, dflt.set_as_default) == (("TESTIN",), True, True)


def test_update_fields_reports_fields_and_stored_values() -> None:
    res = _decoded("update_fields", 'SUCCESS: update_fields lead updated - 6666|agent001|2010|0|1|'
                                    'address1,city,first_name|address1="1 Main St",city="Chicago",'
                                    'first_name="Ann"|\n')
    assert isinstance(res, UpdateFieldsResult)
    assert (res.lead_id, res.list_rows_affected, res.agent_rows_affected) == (2010, 0, 1)
    assert res.fields == ("address1", "city", "first_name")
    assert res.values == {"address1": "1 Main St", "city": "Chicago", "first_name": "Ann"}


def test_transfer_conference_multi_phone_counts() -> None:
    res = _decoded("transfer_conference", "SUCCESS: transfer_conference function set - "
                                          "DIAL_WITH_CUSTOMER||3125550177|NO|agent001|"
                                          "Y1128180000000002010|Multi-phones: 2 4 1|\n")
    assert isinstance(res, TransferConferenceResult)
    assert (res.call_id, res.consultative) == ("Y1128180000000002010", False)
    assert (res.multi_phones_kept, res.multi_phones_sent, res.multi_phones_rows) == (2, 4, 1)


def test_answers_without_a_trailing_newline() -> None:
    assert _decoded("calls_in_queue_count", "SUCCESS: calls_in_queue_count - 12").count == 12
    fronter = _decoded("force_fronter_leave_3way", "SUCCESS: force_fronter_leave_3way SENT - agent002")
    assert (fronter.fronter_user, fronter.over_ccc) == ("agent002", False)
    url = _decoded("webphone_url", "https://127.0.0.1/agc/webphone/webphone.php?phone_login=cc100")
    assert url.url.endswith("phone_login=cc100") and not url.launch_page


def test_recording_status_and_commands() -> None:
    off = _decoded("recording", "NOTICE: not recording - agent001|||||127.0.0.1|8600051|PAUSED\n")
    assert (off.recording, off.queued, off.session_id, off.agent_status) == (
        False, False, "8600051", "PAUSED")
    on = _decoded("recording", "NOTICE: recording active - agent001|4711|REC_1|10.0.0.5|"
                               "2026-11-28 17:20:00|127.0.0.1|8600051|INCALL\n")
    assert (on.recording, on.recording_id, on.filename, on.recording_server_ip) == (
        True, "4711", "REC_1", "10.0.0.5")
    assert on.start_time == dt.datetime(2026, 11, 28, 17, 20)
    start = _decoded("recording", "SUCCESS: recording function sent - agent001|START_MIDCALL||||"
                                  "127.0.0.1|8600051|PAUSED\n")
    assert (start.recording, start.queued, start.command) == (None, True, "START_MIDCALL")


def test_webphone_launch_page_gives_its_url() -> None:
    body = ('<META HTTP-EQUIV=Refresh CONTENT="0; URL=https://h/agc/webphone.php?a=1">\n</HEAD>\n'
            '<BODY BGCOLOR=#FFFFFF>\n<a href="https://h/agc/webphone.php?a=1">click here to '
            'continue. . .</a>\n</BODY>')
    res = _decoded("webphone_url", body)
    assert (res.url, res.launch_page) == ("https://h/agc/webphone.php?a=1", True)
    with pytest.raises(DecodeError):
        _decoded("webphone_url", "")


def test_webserver_without_php_ini_lines() -> None:
    body = ("<PRE>Webserver Data:\nset.timezone: UTC\nabbr.timezone: UTC\ndst.timezone: 0\nuname: "
            "Linux\nhost name: h\nserver name: s\nphp version: 8.2\napache version: 2.4\napache "
            "processes: 3\nsystem load average: 0.5\ndisk free space: 1000\nini_get not allowed: \n"
            "</PRE>\n")
    res = _decoded("webserver", body)
    assert (res.ini_available, res.dst, res.apache_processes, res.disk_free_bytes) == (
        False, False, 3, 1000)
    assert res.max_execution_time is None and res.date_timezone == ""
