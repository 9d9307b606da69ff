"""What goes on the wire (respx): a form POST per call, credentials only in the body, no redirects."""

from __future__ import annotations

import urllib.parse
from collections.abc import Callable
from typing import Any

import httpx
import pytest
import respx
from hypothesis import example, given
from hypothesis import strategies as st

from vicidial_async import (
    DecodeError,
    InvalidParameterError,
    OutcomeUnknownError,
    RedirectError,
    UnknownFunctionError,
)
from vicidial_async.protocol.lines import StatusAnswer
from vicidial_async.protocol.other import TextAnswer
from vicidial_async.protocol.tables import Table
from vicidial_async.transport.form import encode_form

PASSWORD = "s3cretPass"
BASE = "https://dialer.example.com"
NON_AGENT_URL = BASE + "/vicidial/non_agent_api.php"
AGENT_URL = BASE + "/agc/api.php"
ADDED = "SUCCESS: add_lead LEAD HAS BEEN ADDED - 3125551212|101|2001|-5.00|apiuser\n"


def form_of(request: httpx.Request) -> dict[str, str]:
    return dict(urllib.parse.parse_qsl(request.content.decode(), keep_blank_values=True))


async def test_a_call_is_one_form_post_with_credentials_in_the_body(make_client: Callable[..., Any]) -> None:
    with respx.mock() as router:
        route = router.post(NON_AGENT_URL).respond(200, text=ADDED)
        async with make_client(source="loader1") as vd:
            ans = await vd.call("add_lead", phone_number="3125551212", list_id=101, add_to_hopper=True,
                                first_name=None)
    assert isinstance(ans, StatusAnswer) and ans.success[0].get("lead_id") == "2001"
    assert route.call_count == 1
    req = route.calls[0].request
    assert req.method == "POST"
    assert req.headers["content-type"] == "application/x-www-form-urlencoded"
    assert req.url.query == b""
    assert PASSWORD not in str(req.url)
    form = form_of(req)
    assert form == {"source": "loader1", "user": "apiuser", "pass": PASSWORD, "function": "add_lead",
                    "phone_number": "3125551212", "list_id": "101", "add_to_hopper": "Y"}


async def test_agent_api_path_and_value_always_sent(make_client: Callable[..., Any]) -> None:
    with respx.mock() as router:
        route = router.post(AGENT_URL).respond(
            200, text="SUCCESS: external_hangup function set - 1|agent001\n")
        async with make_client() as vd:
            await vd.call("external_hangup", api="agent", agent_user="agent001", value="1")
            await vd.call("logout", api="agent", agent_user="agent001", value="LOGOUT")
    assert form_of(route.calls[0].request)["value"] == "1"
    # The Agent API reads the last body field as value when value is absent: it is always sent.
    spec_without_value = [c for c in route.calls if "value" in form_of(c.request)]
    assert len(spec_without_value) == 2


async def test_agent_value_is_sent_empty_when_left_out(make_client: Callable[..., Any]) -> None:
    from vicidial_async.protocol.registry import REGISTRY

    spec = next(s for s in REGISTRY.for_api("agent")
                if "value" in s.param_map and not s.param_map["value"].required)
    with respx.mock() as router:
        route = router.post(AGENT_URL).respond(200, text="")
        async with make_client() as vd:
            await vd.send(spec, {"agent_user": "agent001"})
    form = form_of(route.calls[0].request)
    assert form["value"] == ""
    assert list(form)[-1] == "value"


async def test_bad_input_is_refused_before_sending(make_client: Callable[..., Any]) -> None:
    with respx.mock(assert_all_called=False) as router:
        route = router.post(NON_AGENT_URL).respond(200, text=ADDED)
        async with make_client() as vd:
            with pytest.raises(InvalidParameterError) as info:
                await vd.call("add_lead", phone_number="31a", list_id=101)
            with pytest.raises(InvalidParameterError):
                await vd.call("add_lead", list_id=101)
            with pytest.raises(InvalidParameterError):
                await vd.call("campaigns_list", no_such_param="x")
            with pytest.raises(InvalidParameterError):
                await vd.call("campaigns_list", stage="xml")
    assert info.value.sent is False and info.value.parameter == "phone_number"
    assert route.call_count == 0


async def test_extra_names_are_custom_fields_only_when_custom_fields_is_on(
        make_client: Callable[..., Any]) -> None:
    with respx.mock() as router:
        route = router.post(NON_AGENT_URL).respond(200, text=ADDED)
        async with make_client() as vd:
            # Without custom_fields=Y the server would ignore the field: a typo must not vanish.
            with pytest.raises(InvalidParameterError) as info:
                await vd.call("add_lead", phone_number="3125551212", list_id=101, frist_name="Ann")
            assert route.call_count == 0 and info.value.parameter == "frist_name"
            await vd.call("add_lead", phone_number="3125551212", list_id=101, custom_fields=True,
                          favorite_color="blue")
    form = urllib.parse.parse_qs(route.calls[0].request.content.decode())
    assert form["custom_fields"] == ["Y"] and form["favorite_color"] == ["blue"]


@pytest.mark.parametrize("status", [301, 302, 303, 307, 308])
async def test_redirects_are_never_followed(make_client: Callable[..., Any], status: int) -> None:
    with respx.mock(assert_all_called=False) as router:
        route = router.post(NON_AGENT_URL).respond(status, headers={"location": "https://evil.example/x"})
        other = router.post("https://evil.example/x").respond(200, text="")
        async with make_client() as vd:
            with pytest.raises(RedirectError) as info:
                await vd.call("campaigns_list")  # a READ: still not retried
    assert route.call_count == 1 and other.call_count == 0
    assert info.value.function == "campaigns_list"


async def test_unknown_function_is_sent_as_is_and_answers_text(make_client: Callable[..., Any]) -> None:
    with respx.mock() as router:
        route = router.post(NON_AGENT_URL).mock(side_effect=[
            httpx.Response(200, text="some new answer"),
            httpx.Response(200, text="ERROR: NO FUNCTION SPECIFIED\n"),
            httpx.ReadTimeout("slow"),
        ])
        async with make_client() as vd:
            ans = await vd.call("brand_new_function", anything="x y", n=3)
            assert isinstance(ans, TextAnswer) and ans.text == "some new answer"
            with pytest.raises(UnknownFunctionError):
                await vd.call("nosuchfunction")
            with pytest.raises(OutcomeUnknownError):  # unknown effect: never resent
                await vd.call("brand_new_function")
    assert form_of(route.calls[0].request)["anything"] == "x y"
    assert route.call_count == 3


async def test_unknown_agent_function_empty_answer(make_client: Callable[..., Any]) -> None:
    with respx.mock() as router:
        router.post(AGENT_URL).respond(200, text="")
        async with make_client() as vd:
            ans = await vd.call("nosuchfunction", api="agent", agent_user="agent001")
    assert ans.text == ""


async def test_teapot_is_a_decode_error_not_retried(make_client: Callable[..., Any]) -> None:
    with respx.mock() as router:
        route = router.post(NON_AGENT_URL).respond(418, text="Coffee: coffee|Error 418 I'm a teapot")
        async with make_client() as vd:
            with pytest.raises(DecodeError):
                await vd.call("campaigns_list")
    assert route.call_count == 1


async def test_table_answer_through_call(make_client: Callable[..., Any]) -> None:
    with respx.mock() as router:
        router.post(NON_AGENT_URL).respond(200, text="agent001,Ann,AGENTS,1,Y\n")
        async with make_client() as vd:
            table = await vd.call("user_details", agent_user="agent001", stage="csv")
    assert isinstance(table, Table) and table.dicts()[0]["full_name"] == "Ann"


async def test_version_needs_no_login_but_is_sent_the_same_way(make_client: Callable[..., Any]) -> None:
    with respx.mock() as router:
        route = router.post(NON_AGENT_URL).respond(200, text="VERSION: 2.14-194|BUILD: 1|DATE: x|EPOCH: 1|\n")
        async with make_client() as vd:
            assert (await vd.call("version"))["VERSION"] == "2.14-194"
    assert form_of(route.calls[0].request)["function"] == "version"


async def test_passed_in_http_client_is_used_and_left_open(make_client: Callable[..., Any]) -> None:
    with respx.mock() as router:
        route = router.post(NON_AGENT_URL).respond(200, text=ADDED)
        async with httpx.AsyncClient() as http:
            async with make_client(http_client=http) as vd:
                await vd.call("add_lead", phone_number="3125551212", list_id=101)
            assert not http.is_closed
    assert route.call_count == 1


@given(st.dictionaries(st.text(min_size=1, max_size=12),
                       st.text(st.characters(exclude_categories=["Cs"]), max_size=20)
                       | st.from_regex(r"[A-Za-z0-9_.~\-]*", fullmatch=True), max_size=8))
@example({"function": "add_lead", "gmt": "-5.00", "a": "x y", "b": "~é", "c": ""})
def test_the_form_body_is_what_urlencode_gives(form: dict[str, str]) -> None:
    assert encode_form(form) == urllib.parse.urlencode(form)
