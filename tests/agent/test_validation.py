"""Values the server would reject, ignore or silently alter are refused before anything is sent.

Each refusal is an InvalidParameterError with ``sent=False`` naming the parameter, and no request
leaves the client. Accepted values are encoded as the server expects them.
"""

from __future__ import annotations

import datetime as dt
import importlib
import sys
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest

from vicidial_async import InvalidParameterError
from vicidial_async.endpoints.agent import AgentSession
from vicidial_async.protocol.lead_fields import VicidialDataWarning

sys.path.insert(0, str(Path(__file__).parent))
support: Any = importlib.import_module("_agent_support")

Call = Callable[[AgentSession], Awaitable[Any]]
DIAL = {"search": True, "preview": False, "focus": False}

REFUSALS: list[tuple[str, str, Call]] = [
    # value keeps letters, digits, - _ | only
    ("status with a space", "value", lambda a: a.external_status("NO ANSWER")),
    ("status with a pipe", "value", lambda a: a.external_status("SALE|X")),
    ("pause code too long", "value", lambda a: a.pause_code("LUNCHBREAK")),
    ("dtmf with #", "value", lambda a: a.send_dtmf("12#")),
    ("undocumented pause value", "value", lambda a: a.external_pause("pause")),  # type: ignore[arg-type]
    ("BLANK is never honoured", "first_name", lambda a: a.update_fields(first_name="--BLANK--")),
    # lead fields lose characters
    ("plus in comments", "comments",
     lambda a: a.external_add_lead("3125550802", phone_code=1, comments="a+b")),
    ("hash in vendor_lead_code", "vendor_lead_code",
     lambda a: a.external_add_lead("3125550802", phone_code=1, vendor_lead_code="A#1")),
    ("non-ASCII name", "first_name",
     lambda a: a.external_add_lead("3125550802", phone_code=1, first_name="José")),
    ("lower-case country code", "country_code",
     lambda a: a.external_add_lead("3125550802", phone_code=1, country_code="usa")),
    ("comma in phone", "value", lambda a: a.external_add_lead("312,5550802", phone_code=1)),
    ("negative rank", "rank", lambda a: a.update_fields(first_name="Ann", rank=-1)),
    # update_fields writes every field whose name appears in the request
    ("rank inside a name", "first_name", lambda a: a.update_fields(first_name="Frank")),
    ("state inside a city, any case", "city", lambda a: a.update_fields(city="Stateville")),
    ("email inside comments", "comments", lambda a: a.update_fields(comments="see email")),
    ("emailreload empties email", "emailreload", lambda a: a.update_fields(city="X", emailreload=True)),
    ("nothing to update", "first_name", lambda a: a.update_fields(formreload=True)),
    # external_dial
    ("number twice", "phone_number",
     lambda a: a.external_dial("3125551212", phone_number="3125551212", **DIAL)),
    ("no number", "value", lambda a: a.external_dial(**DIAL)),
    ("number with lead_id", "value",
     lambda a: a.external_dial(phone_number="3125551212", lead_id=2011, **DIAL)),
    ("phone_code with lead_id", "phone_code", lambda a: a.external_dial(lead_id=2011, phone_code=1,
                                                                        **DIAL)),
    ("alt_dial without lead_id", "alt_dial",
     lambda a: a.external_dial(phone_number="3125551212", alt_dial="ALT", **DIAL)),
    ("SEARCH without number", "value", lambda a: a.external_dial(lead_id=2011, alt_dial="SEARCH",
                                                                 **DIAL)),
    ("dashes in number", "value", lambda a: a.external_dial(phone_number="312-555-1212", **DIAL)),
    ("! in vendor_id", "vendor_id",
     lambda a: a.external_dial(phone_number="3125551212", vendor_id="A!B", **DIAL)),
    ("outbound_cid and group_alias", "outbound_cid",
     lambda a: a.external_dial(phone_number="3125551212", outbound_cid="3125550100",
                               group_alias="GOODALIAS", **DIAL)),
    ("one-letter group_alias", "group_alias",
     lambda a: a.external_dial(phone_number="3125551212", group_alias="G", **DIAL)),
    ("vtiger without 99", "value",
     lambda a: a.external_dial(phone_number="3125551212", vtiger_callback=True, **DIAL)),
    # external_add_lead
    ("vendor_id and vendor_lead_code", "vendor_id",
     lambda a: a.external_add_lead("3125550802", phone_code=1, vendor_id="A", vendor_lead_code="B")),
    ("no phone number", "value", lambda a: a.external_add_lead(phone_code=1)),
    # change_ingroups / refresh_panel
    ("ADD without groups", "ingroup_choices", lambda a: a.change_ingroups("ADD", blended=False)),
    ("one-letter group", "ingroup_choices",
     lambda a: a.change_ingroups("CHANGE", blended=False, ingroup_choices=["A"])),
    ("group twice", "ingroup_choices",
     lambda a: a.change_ingroups("CHANGE", blended=False, ingroup_choices="TESTIN TESTIN")),
    ("no panel", "formreload", lambda a: a.refresh_panel()),
    # call control
    ("extension transfer without number", "phone_number",
     lambda a: a.ra_call_control("Y0315201639000402027", stage="EXTENSIONTRANSFER")),
    ("number with a hangup", "phone_number",
     lambda a: a.ra_call_control("Y0315201639000402027", stage="HANGUP", phone_number="100")),
    ("local closer without in-group", "ingroup_choices",
     lambda a: a.transfer_conference("LOCAL_CLOSER")),
    ("blind transfer without number", "phone_number",
     lambda a: a.transfer_conference("BLIND_TRANSFER")),
    ("consultative blind transfer", "consultative",
     lambda a: a.transfer_conference("BLIND_TRANSFER", phone_number="3125550177", consultative=True)),
    ("hangup with options", "group_alias",
     lambda a: a.transfer_conference("HANGUP_XFER", group_alias="GOODALIAS")),
    ("eleven 3-way numbers", "multi_dial_phones",
     lambda a: a.transfer_conference("DIAL_WITH_CUSTOMER", phone_number="3125550177",
                                     multi_dial_phones=[f"31255501{i:02d}" for i in range(11)])),
    ("short 3-way number", "multi_dial_phones",
     lambda a: a.transfer_conference("DIAL_WITH_CUSTOMER", phone_number="3125550177",
                                     multi_dial_phones="3125550181,123")),
    ("md_check without numbers", "md_check",
     lambda a: a.transfer_conference("DIAL_WITH_CUSTOMER", phone_number="3125550177", md_check=True)),
    ("stage with STOP", "stage", lambda a: a.recording("STOP", stage="_X")),
    ("stage too long", "stage", lambda a: a.recording("START", stage="_MIDCALL_LONG_SUFFIX")),
    ("PLAY without file", "value", lambda a: a.audio_playback("PLAY")),
    ("file with STOP", "value", lambda a: a.audio_playback("STOP", value="ss-noservice")),
    ("override with STOP", "dial_override", lambda a: a.audio_playback("STOP", dial_override=True)),
    ("file name with a dot", "value", lambda a: a.vm_message("hello.wav")),
    ("lead and vendor code", "lead_id", lambda a: a.switch_lead(2011, vendor_lead_code="SEED-003")),
    ("no lead", "lead_id", lambda a: a.switch_lead()),
    ("CCC_REMOTE without lead", "lead_id", lambda a: a.force_fronter_leave_3way("CCC_REMOTE")),
    ("lead without CCC_REMOTE", "lead_id",
     lambda a: a.force_fronter_audio_stop("LOCAL_ONLY", lead_id=2010)),
    # callbacks, notifications, CRM helpers
    ("callback_type alone", "callback_type",
     lambda a: a.external_status("CALLBK", callback_type="USERONLY")),
    ("callback NOW", "callback_datetime", lambda a: a.external_status("CALLBK",
                                                                      callback_datetime="NOW")),
    ("callback comment with +", "callback_comments",
     lambda a: a.external_status("CALLBK", callback_datetime=dt.datetime(2030, 1, 25, 12),
                                 callback_comments="a+b")),
    ("timer notes with !", "notes", lambda a: a.set_timer_action("MESSAGE_ONLY", notes="hi!")),
    ("notification without text", "notification_text",
     lambda a: a.send_notification(recipient="agent001", recipient_type="USER")),
    ("lower-case hex colour", "text_color",
     lambda a: a.send_notification(recipient="agent001", notification_text="x", text_color="99ff00")),
    ("confetti settings without confetti", "duration",
     lambda a: a.send_notification(recipient="agent001", notification_text="x", duration=3)),
    ("unknown text weight", "text_weight",
     lambda a: a.send_notification(recipient="agent001", notification_text="x", text_weight="heavy")),
    ("# in CRM team", "vendor_id", lambda a: a.st_login_log("876543", vendor_id="#207")),
    ("alt_user with a dash", "alt_user", lambda a: a.external_hangup(alt_user="87-65")),
]


@pytest.mark.parametrize(("case", "parameter", "call"), REFUSALS, ids=[c[0] for c in REFUSALS])
async def test_refused_before_sending(case: str, parameter: str, call: Call) -> None:
    a, server = support.session("SUCCESS: unexpected\n")
    with pytest.raises(InvalidParameterError) as info:
        await call(a)
    assert info.value.sent is False
    assert info.value.parameter == parameter, info.value
    assert server.forms == []


def test_a_session_needs_a_valid_agent_user() -> None:
    vd, _ = support.client()
    with pytest.raises(InvalidParameterError) as info:
        vd.agent("agent 001")
    assert info.value.parameter == "agent_user"
    assert vd.agent("agent-001").agent_user == "agent-001"


async def test_agent_user_too_short_for_the_function() -> None:
    vd, server = support.client()
    with pytest.raises(InvalidParameterError) as info:
        await vd.agent("x").external_dial(phone_number="3125551212", **DIAL)
    assert info.value.parameter == "agent_user" and server.forms == []


@pytest.mark.parametrize(("user", "password", "source", "parameter"), [
    ("owner1", support.PASSWORD, "vicidialasync", "user"),
    ("6666", "myEstate77", "vicidialasync", "pass"),
    ("6666", support.PASSWORD, "crmTitle", "source"),
])
async def test_update_fields_refuses_credentials_holding_a_field_name(
        user: str, password: str, source: str, parameter: str) -> None:
    vd, server = support.client("", user=user, password=password, source=source)
    with pytest.raises(InvalidParameterError) as info:
        await vd.agent("agent001").update_fields(first_name="Ann")
    assert info.value.parameter == parameter and server.forms == []
    # The refusal never says which text is in the password.
    if parameter == "pass":
        assert "state" not in str(info.value).lower() and password not in str(info.value)


async def test_update_fields_field_names_are_case_sensitive_where_the_server_is() -> None:
    body = ('SUCCESS: update_fields lead updated - 6666|agent001|2010|1|1|comments|'
            'comments="EMAIL me"|\n')
    a, server = support.session(body)
    res = await a.update_fields(comments="EMAIL me")
    assert res.fields == ("comments",)
    assert server.form["comments"] == "EMAIL me" and "email" not in server.form


async def test_update_fields_a_sent_field_may_hold_another_fields_name_if_that_is_sent_too() -> None:
    body = 'SUCCESS: update_fields lead updated - 6666|agent001|2010|1|1|first_name,rank|x|\n'
    a, server = support.session(body)
    await a.update_fields(first_name="Frank", rank=3, emailreload=None)
    assert (server.form["first_name"], server.form["rank"]) == ("Frank", "3")


async def test_session_agent_user_holding_a_field_name() -> None:
    vd, server = support.client("")
    with pytest.raises(InvalidParameterError) as info:
        await vd.agent("frank").update_fields(first_name="Ann")
    assert info.value.parameter == "agent_user" and server.forms == []


async def test_apostrophe_in_a_lead_name_warns() -> None:
    a, server = support.session("SUCCESS: lead added - 3125550802|TESTCAMP|998|900292|agent001\n")
    with pytest.warns(VicidialDataWarning):
        res = await a.external_add_lead(phone_number="3125550802", phone_code=1, last_name="O'Brien")
    assert res.lead_id == 900292 and res.list_id == 998
    assert server.form["value"] == "3125550802" and "phone_number" not in server.form


async def test_accepted_values_are_encoded_as_the_server_expects() -> None:
    a, server = support.session("SUCCESS: anything - x\n")
    await a.change_ingroups("ADD", blended=True, ingroup_choices="TESTIN TESTIN2", set_as_default=True)
    assert server.form["ingroup_choices"] == " TESTIN TESTIN2 -"
    assert (server.form["blended"], server.form["set_as_default"]) == ("YES", "YES")

    await a.refresh_panel(scriptreload=True, chatreload=False, callbacksreload=True)
    assert {k: v for k, v in server.form.items() if k.endswith("reload")} == {
        "scriptreload": "1", "callbacksreload": "1"}

    await a.external_status("CALLBK", callback_datetime=dt.datetime(2030, 1, 25, 12),
                            callback_type="USERONLY", callback_comments="call back")
    assert server.form["callback_datetime"] == "2030-01-25 12:00:00"

    await a.external_dial("MANUALNEXT", search=False, preview=False, focus=True)
    assert server.form["value"] == "MANUALNEXT"

    await a.external_dial(lead_id=2011, alt_dial="SEARCH", phone_number="7735550199", **DIAL)
    assert (server.form["lead_id"], server.form["value"]) == ("2011", "7735550199")

    await a.vm_message(["EXship01", "EXship02"], lead_id=2010)
    assert server.form["value"] == "EXship01|EXship02"

    await a.transfer_conference("DIAL_WITH_CUSTOMER", phone_number="3125550177",
                                multi_dial_phones=["3125550181", "3125550182"], md_check=True)
    assert (server.form["multi_dial_phones"], server.form["md_check"]) == (
        "3125550181,3125550182", "YES")

    await a.send_notification(recipient="AGENTS", recipient_type="USER_GROUP", notification_text="hi",
                              text_weight=["bold", "italic"], text_color="9900FF",
                              notification_date=dt.datetime(2030, 1, 25, 9))
    assert (server.form["text_weight"], server.form["notification_date"]) == (
        "bold,italic", "2030-01-25 09:00:00")

    await a.send_notification(recipient="agent001", show_confetti=True, duration=3)
    assert (server.form["show_confetti"], server.form["duration"]) == ("Y", "3")

    await a.audio_playback("PLAY", value="ss-noservice", dial_override=True)
    assert (server.form["stage"], server.form["value"], server.form["dial_override"]) == (
        "PLAY", "ss-noservice", "Y")

    await a.force_fronter_leave_3way("CCC_REMOTE", lead_id=2010)
    assert server.form["lead_id"] == "2010"
