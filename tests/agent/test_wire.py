"""What the Agent API methods put on the wire (respx), and when a failed call is resent.

Every call is one form POST to /agc/api.php with the credentials in the body only, the session's
agent_user, and ``value`` always present and last (the server reads the last body field as value
when it is missing). A function that changes a live call is never resent once the request may have
landed: a read error or an HTTP 500 raises OutcomeUnknownError after exactly one request, while a
retry-safe function is sent again and succeeds.
"""

from __future__ import annotations

import importlib
import sys
import urllib.parse
from pathlib import Path
from typing import Any

import httpx
import pytest
import respx

from vicidial_async import OutcomeUnknownError, RetryPolicy, VicidialClient
from vicidial_async.protocol.registry import REGISTRY, Safety

sys.path.insert(0, str(Path(__file__).parent))
support: Any = importlib.import_module("_agent_support")

BASE = "https://dialer.example.com"
AGENT_URL = BASE + "/agc/api.php"
PASSWORD = support.PASSWORD


def _client() -> VicidialClient:
    async def no_sleep(_: float) -> None:
        return None

    return VicidialClient(BASE, "apiuser", PASSWORD, rate_limit=None, sleep=no_sleep,
                          random=lambda: 0.0, retry=RetryPolicy(attempts=3))


def _form(request: httpx.Request) -> dict[str, str]:
    return dict(urllib.parse.parse_qsl(request.content.decode(), keep_blank_values=True))


def _ok_body(function: str) -> str:
    return support.render(support.function_ref(function)["response"]["success"][0]) + "\n"


def _target(vd: VicidialClient, function: str) -> Any:
    return vd.agents if function in support.AGENT_FREE else vd.agent(support.AGENT)


FUNCTIONS = [f["name"] for f in support.FUNCTIONS]
UNSAFE = [n for n in FUNCTIONS if REGISTRY["agent", n].safety is Safety.UNSAFE]
RETRY_SAFE = [n for n in FUNCTIONS if n not in UNSAFE]


def test_the_reference_safety_classes() -> None:
    assert sorted(RETRY_SAFE) == ["calls_in_queue_count", "change_ingroups", "refresh_panel",
                                  "st_get_agent_active_lead", "st_login_log", "version",
                                  "webphone_url", "webserver"]


@pytest.mark.parametrize("function", FUNCTIONS)
async def test_one_form_post_with_agent_user_and_value_last(function: str) -> None:
    with respx.mock() as router:
        route = router.post(AGENT_URL).respond(200, text=_ok_body(function))
        async with _client() as vd:
            await support.call(_target(vd, function), function)
    assert route.call_count == 1
    req = route.calls[0].request
    assert req.method == "POST"
    assert req.headers["content-type"] == "application/x-www-form-urlencoded"
    assert req.url.query == b"" and PASSWORD not in str(req.url)
    form = _form(req)
    assert form["function"] == function and form["pass"] == PASSWORD and form["user"] == "apiuser"
    spec = REGISTRY["agent", function]
    if "agent_user" in spec.param_map:
        assert form["agent_user"] == support.AGENT
    else:
        assert "agent_user" not in form
    if "value" in spec.param_map:
        assert list(form)[-1] == "value"


async def test_value_is_sent_empty_when_the_function_takes_none() -> None:
    with respx.mock() as router:
        route = router.post(AGENT_URL).respond(
            200, text="SUCCESS: audio_playback function sent - STOP|STOP|agent001\n")
        async with _client() as vd:
            res = await vd.agent("agent001").audio_playback("STOP")
    form = _form(route.calls[0].request)
    assert form["value"] == "" and list(form)[-1] == "value"
    assert (res.stage, res.agent_user) == ("STOP", "agent001")


async def test_alt_user_replaces_agent_user() -> None:
    with respx.mock() as router:
        route = router.post(AGENT_URL).respond(
            200, text="SUCCESS: external_pause function set - PAUSE|1795886931|agent001\n")
        async with _client() as vd:
            res = await vd.agent("agent001").external_pause("PAUSE", alt_user="876543")
    form = _form(route.calls[0].request)
    # Both would make the server act on agent_user when the alt_user lookup fails.
    assert form["alt_user"] == "876543" and "agent_user" not in form
    assert res.agent_user == "agent001"


async def test_issue_examples() -> None:
    answers = iter([
        "SUCCESS: external_pause function set - PAUSE|1795886931|agent001\n",
        "SUCCESS: external_dial function set - 3125551212|agent001||YES|NO|NO||1795886931||||\n",
        "SUCCESS: external_status function set - SALE|agent001\n",
        "SUCCESS: pause_code function sent - agent001\n",
        "SUCCESS: logout function set - LOGOUT|1795886931|agent001\n",
    ])
    with respx.mock() as router:
        route = router.post(AGENT_URL).mock(side_effect=lambda _: httpx.Response(200, text=next(answers)))
        async with _client() as vd:
            a = vd.agent("agent001")
            assert (await a.external_pause("PAUSE")).value == "PAUSE"
            dial = await a.external_dial(phone_number="3125551212", search=True, preview=False,
                                         focus=False)
            assert (dial.phone_number, dial.search, dial.preview) == ("3125551212", True, False)
            assert (await a.external_status("SALE")).status == "SALE"
            assert (await a.pause_code("BREAK")).queued
            assert (await a.logout()).value == "LOGOUT"
    forms = [_form(c.request) for c in route.calls]
    assert [(f["function"], f["value"]) for f in forms] == [
        ("external_pause", "PAUSE"), ("external_dial", "3125551212"), ("external_status", "SALE"),
        ("pause_code", "BREAK"), ("logout", "LOGOUT")]
    assert (forms[1]["search"], forms[1]["preview"], forms[1]["focus"]) == ("YES", "NO", "NO")
    assert "phone_number" not in forms[1]


@pytest.mark.parametrize("function", UNSAFE)
@pytest.mark.parametrize("failure", ["http500", "read_timeout", "reset"])
async def test_unsafe_function_is_not_resent_once_it_may_have_landed(function: str,
                                                                     failure: str) -> None:
    effect: Any = {
        "http500": httpx.Response(500, text=""),
        "read_timeout": httpx.ReadTimeout("read timed out"),
        "reset": httpx.RemoteProtocolError("peer closed connection"),
    }[failure]
    with respx.mock() as router:
        route = router.post(AGENT_URL).mock(side_effect=[effect, httpx.Response(200, text="")])
        async with _client() as vd:
            with pytest.raises(OutcomeUnknownError) as info:
                await support.call(_target(vd, function), function)
    assert route.call_count == 1
    assert info.value.function == function
    assert PASSWORD not in str(info.value) + repr(dict(info.value.params))


@pytest.mark.parametrize("function", RETRY_SAFE)
async def test_retry_safe_function_is_resent_after_a_server_fault(function: str) -> None:
    with respx.mock() as router:
        route = router.post(AGENT_URL).mock(side_effect=[
            httpx.Response(500, text=""), httpx.ReadTimeout("read timed out"),
            httpx.Response(200, text=_ok_body(function))])
        async with _client() as vd:
            result = await support.call(_target(vd, function), function)
    assert route.call_count == 3
    assert result.raw == _ok_body(function)


async def test_recording_status_is_resent_but_start_is_not() -> None:
    notice = "NOTICE: not recording - agent001|||||127.0.0.1|8600051|PAUSED\n"
    with respx.mock() as router:
        route = router.post(AGENT_URL).mock(side_effect=[
            httpx.Response(500, text=""), httpx.Response(200, text=notice)])
        async with _client() as vd:
            status = await vd.agent("agent001").recording("STATUS")
    assert route.call_count == 2 and status.recording is False
    with respx.mock() as router:
        route = router.post(AGENT_URL).mock(side_effect=[
            httpx.Response(500, text=""), httpx.Response(200, text=notice)])
        async with _client() as vd:
            with pytest.raises(OutcomeUnknownError):
                await vd.agent("agent001").recording("START")
    assert route.call_count == 1


async def test_recording_status_through_vd_call_is_resent_like_the_method() -> None:
    notice = "NOTICE: not recording - agent001|||||127.0.0.1|8600051|PAUSED\n"
    with respx.mock() as router:
        route = router.post(AGENT_URL).mock(side_effect=[
            httpx.Response(500, text=""), httpx.Response(200, text=notice)])
        async with _client() as vd:
            answer = await vd.call("recording", api="agent", agent_user="agent001", value="STATUS")
    assert route.call_count == 2 and answer.notices[0].reason.startswith("not recording")


async def test_success_printed_before_an_http_500_is_a_success() -> None:
    # PHP 8 can print SUCCESS and then die with HTTP 500: the command was queued.
    body = "SUCCESS: external_hangup function set - 1|agent001\n"
    with respx.mock() as router:
        route = router.post(AGENT_URL).respond(500, text=body)
        async with _client() as vd:
            res = await vd.agent("agent001").external_hangup()
    assert route.call_count == 1 and res.queued and res.agent_user == "agent001"
