"""The password never shows in an exception, a repr, a log record or OutcomeUnknownError.params,
on any failure path, even when the server echoes it (altered or not)."""

from __future__ import annotations

import logging
import pickle
from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest
import respx

from vicidial_async import (
    APIError,
    AuthenticationError,
    OutcomeUnknownError,
    RetryPolicy,
    VicidialClient,
    VicidialError,
)
from vicidial_async.transport.redact import MASK, SecretFilter, mask_params, mask_text

PASSWORD = "s3cretPass"
BASE = "https://dialer.example.com"
NON_AGENT_URL = BASE + "/vicidial/non_agent_api.php"
AGENT_URL = BASE + "/agc/api.php"


def _texts(exc: BaseException) -> Iterator[str]:
    """Every text an exception exposes: str, repr, args, attributes, and the same for its causes."""
    seen: set[int] = set()
    cur: BaseException | None = exc
    while cur is not None and id(cur) not in seen:
        seen.add(id(cur))
        yield str(cur)
        yield repr(cur)
        yield from (repr(a) for a in cur.args)
        yield from (repr(v) for v in vars(cur).values())
        cur = cur.__cause__ or cur.__context__


def assert_clean(exc: BaseException, secret: str = PASSWORD) -> None:
    for text in _texts(exc):
        assert secret not in text, text
    for text in _texts(pickle.loads(pickle.dumps(exc))):
        assert secret not in text


@pytest.fixture
def logs(caplog: pytest.LogCaptureFixture) -> Iterator[pytest.LogCaptureFixture]:
    scrub = SecretFilter([PASSWORD])
    names = ("vicidial_async", "httpx", "httpcore", "aiohttp")
    for name in names:
        logging.getLogger(name).addFilter(scrub)
    caplog.handler.addFilter(scrub)  # child loggers (httpcore.http11) skip a parent's filters
    caplog.set_level(logging.DEBUG)
    for name in names:
        caplog.set_level(logging.DEBUG, logger=name)
    yield caplog
    for name in names:
        logging.getLogger(name).removeFilter(scrub)
    caplog.handler.removeFilter(scrub)


def assert_logs_clean(caplog: pytest.LogCaptureFixture, secret: str = PASSWORD) -> None:
    assert caplog.records, "nothing was logged"
    for record in caplog.records:
        assert secret not in record.getMessage()
        assert secret not in repr(record.args)


_ECHOES = [
    ("non_agent", "campaigns_list", {},
     f"ERROR: Login incorrect, please try again: |apiuser|{PASSWORD}|BAD|\n"),
    ("agent", "external_pause", {"agent_user": "agent001", "value": "PAUSE"},
     f"ERROR: Invalid Username/Password: |apiuser|{PASSWORD}|0|1|BAD|0|api|SELECT count(*) from "
     f"vicidial_users where user='apiuser' and pass='{PASSWORD}' and user_level > 0;|\n"),
]


@pytest.mark.usefixtures("backend")
@pytest.mark.parametrize(("api", "function", "params", "body"), _ECHOES, ids=["non_agent", "agent"])
async def test_echoed_password_is_masked_everywhere(logs: pytest.LogCaptureFixture, server: Any,
                                                    make_client: Callable[..., Any], api: str,
                                                    function: str, params: dict[str, str],
                                                    body: str) -> None:
    async def echo(form: dict[str, str]) -> tuple[int, str]:
        return 200, body

    server.app.handler = echo
    async with make_client(server.url) as vd:
        with pytest.raises(AuthenticationError) as info:
            await vd.call(function, api=api, **params)
        with pytest.raises(AuthenticationError) as again:  # the breaker's copy
            await vd.call(function, api=api, **params)
    assert MASK in info.value.raw
    assert_clean(info.value)
    assert_clean(again.value)
    assert_logs_clean(logs)


@pytest.mark.parametrize(("api", "sent", "echoed", "body"), [
    ("non_agent", "Pass.Word9", "PassWord9",
     "ERROR: Login incorrect, please try again: |apiuser|{echo}|BAD|\n"),
    ("agent", "Pass;Word9", "PassWord9",
     "ERROR: Invalid Username/Password: |apiuser|{echo}|0|1|BAD|0|api|SELECT count(*) from vicidial_users "
     "where user='apiuser' and pass='{echo}' and user_level > 0;|\n"),
])
async def test_password_altered_by_the_server_is_masked_too(api: str, sent: str, echoed: str,
                                                            body: str) -> None:
    text = body.format(echo=echoed)
    client_password = "PassWord9x" if ";" in sent else sent
    with respx.mock() as router:
        router.post(NON_AGENT_URL if api == "non_agent" else AGENT_URL).respond(200, text=text)
        with pytest.warns(UserWarning) if "." in client_password else _nothing():
            vd = VicidialClient(BASE, "apiuser", client_password, rate_limit=None)
        async with vd:
            with pytest.raises(AuthenticationError) as info:
                if api == "agent":
                    await vd.call("external_pause", api="agent", agent_user="agent001", value="PAUSE")
                else:
                    await vd.call("campaigns_list")
    assert_clean(info.value, echoed)
    assert info.value.raw.count(MASK) == text.count(echoed)


class _nothing:
    def __enter__(self) -> None:
        return None

    def __exit__(self, *exc: object) -> None:
        return None


_FAILURES = [
    httpx.ReadTimeout("timed out"),
    httpx.ConnectError("refused"),
    httpx.RemoteProtocolError("peer closed"),
    httpx.Response(500, text=f"Fatal error near pass='{PASSWORD}'"),
    httpx.Response(500, text=f"SUCCESS: add_lead LEAD HAS BEEN ADDED - 3125551212|101|2001|-5|{PASSWORD}\n"),
    httpx.Response(302, headers={"location": "https://x.example/"}),
    httpx.Response(404, text=f"no such page {PASSWORD}"),
    httpx.Response(418, text=f"Coffee {PASSWORD}"),
    httpx.Response(200, text=f"ERROR: add_lead INVALID PHONE NUMBER LENGTH - {PASSWORD}|apiuser\n"),
]


@pytest.mark.parametrize("failure", _FAILURES, ids=repr)
@pytest.mark.parametrize("function", ["add_lead", "campaigns_list"])
async def test_no_failure_path_leaks_the_password(logs: pytest.LogCaptureFixture,
                                                  make_client: Callable[..., Any], failure: Any,
                                                  function: str) -> None:
    params = {"phone_number": "3125551212", "list_id": 101} if function == "add_lead" else {}
    with respx.mock() as router:
        router.post(NON_AGENT_URL).mock(side_effect=[failure] * 3)
        async with make_client(retry=RetryPolicy(attempts=2)) as vd:
            try:
                result = await vd.call(function, **params)
            except VicidialError as exc:
                assert_clean(exc)
                if isinstance(exc, OutcomeUnknownError):
                    assert PASSWORD not in repr(dict(exc.params)) and PASSWORD not in exc.partial
            else:
                assert PASSWORD not in repr(result) and PASSWORD not in result.raw
    assert_logs_clean(logs)


async def test_outcome_unknown_params_mask_password_like_fields(make_client: Callable[..., Any]) -> None:
    with respx.mock() as router:
        router.post(NON_AGENT_URL).mock(side_effect=httpx.ReadTimeout("slow"))
        async with make_client() as vd:
            with pytest.raises(OutcomeUnknownError) as info:
                await vd.call("add_phone", extension="5001", dialplan_number="5001", voicemail_id="5001",
                              phone_login="p5001", phone_pass="VerySecret1", server_ip="10.0.0.1",
                              protocol="SIP", registration_password="RegSecret1", phone_full_name="x",
                              local_gmt="-5.00", outbound_cid="3125551212", phone_context="default",
                              email="a@b.example", admin_user_group="---ALL---", is_webphone="N",
                              webphone_auto_answer="Y", use_external_server_ip="N", template_id="")
    params = info.value.params
    assert params["phone_pass"] == MASK and params["registration_password"] == MASK
    assert "VerySecret1" not in repr(info.value)


async def test_validation_errors_never_carry_the_password(make_client: Callable[..., Any]) -> None:
    async with make_client() as vd:
        with pytest.raises(APIError) as info:
            await vd.call("add_lead", phone_number="x", list_id=101)
    assert_clean(info.value)


def test_secret_filter_and_maskers() -> None:
    record = logging.LogRecord("httpx", logging.DEBUG, __file__, 1, "body user=a&pass=%s&x=1",
                               ("anything",), None)
    assert SecretFilter([PASSWORD]).filter(record)
    assert "anything" not in record.getMessage() and "pass=***" in record.getMessage()
    record = logging.LogRecord("x", logging.DEBUG, __file__, 1, "echo %s", (PASSWORD,), None)
    SecretFilter([PASSWORD]).filter(record)
    assert record.getMessage() == "echo ***"
    assert mask_text(f"ERROR: a {PASSWORD} b {PASSWORD}", [PASSWORD]) == "ERROR: a *** b ***"
    assert mask_text(f"<html>bad {PASSWORD}</html>", [PASSWORD]) == "<html>bad ***</html>"
    assert mask_params({"pass": "x", "phone_pass": "y", "user": "u", "password": ""}) == {
        "pass": MASK, "phone_pass": MASK, "user": "u", "password": ""}


# A weak password is also a common number: masking it as a substring would corrupt lead ids and phones.
_DATA_ANSWERS = [
    "SUCCESS: add_lead LEAD HAS BEEN ADDED - 3125551234|101|1234|-5|6666\n"
    "NOTICE: add_lead ADDED TO HOPPER - 3125551234|101|1234|12345|6666\n",
    "ERROR: add_lead DUPLICATE PHONE NUMBER IN LIST - 3125551234|101|1234\n",
    "1234|ACTIVE|3125551234|John|Doe\n51234|NEW|3125551235|Ann|Lee\n",
]


@pytest.mark.parametrize("body", _DATA_ANSWERS)
def test_data_equal_to_the_password_is_never_altered(body: str) -> None:
    assert mask_text(body, ["1234"]) == body


async def test_add_lead_result_keeps_a_lead_id_equal_to_the_password() -> None:
    body = "SUCCESS: add_lead LEAD HAS BEEN ADDED - 3125551234|101|1234|-5|6666\n"
    with respx.mock(assert_all_called=True) as router:
        router.post(NON_AGENT_URL).respond(200, text=body)
        async with VicidialClient(BASE, "6666", "1234", rate_limit=None) as vd:
            result = await vd.leads.add_lead(phone_number="3125551234", list_id=101)
    assert result.lead_id == 1234
    assert result.phone_number == "3125551234"


def test_login_error_masks_even_a_password_that_looks_like_data() -> None:
    body = "ERROR: Login incorrect, please try again: |6666|1234|BAD|\n"
    assert mask_text(body, ["1234"]) == "ERROR: Login incorrect, please try again: |6666|***|BAD|\n"


@pytest.mark.usefixtures("backend")
@pytest.mark.parametrize("mode", ["truncated", "drop", "hang", "refused"])
@pytest.mark.parametrize("function", ["add_lead", "campaigns_list"])
async def test_no_real_transport_failure_leaks_the_password(logs: pytest.LogCaptureFixture,
                                                            raw_server: Any,
                                                            make_client: Callable[..., Any],
                                                            mode: str, function: str) -> None:
    params = {"phone_number": "3125551212", "list_id": 101} if function == "add_lead" else {}
    url = raw_server.url
    if mode == "refused":
        raw_server.stop()
    else:
        raw_server.mode = mode
    async with make_client(url, retry=RetryPolicy(attempts=2)) as vd:
        with pytest.raises(VicidialError) as info:
            await vd.call(function, timeout=0.2, **params)
    assert_clean(info.value)
    assert_logs_clean(logs)


@pytest.mark.parametrize("failure", [httpx.ReadTimeout("timed out"), httpx.ConnectError("refused"),
                                     httpx.RemoteProtocolError("peer closed")], ids=repr)
async def test_the_httpx_cause_keeps_no_request_holding_the_form(make_client: Callable[..., Any],
                                                                 failure: Exception) -> None:
    with respx.mock() as router:
        router.post(NON_AGENT_URL).mock(side_effect=[failure] * 3)
        async with make_client(retry=RetryPolicy(attempts=1)) as vd:
            with pytest.raises(VicidialError) as info:
                await vd.call("campaigns_list")
    cause = info.value.__cause__
    assert isinstance(cause, type(failure))  # the httpx type is kept for callers that check it
    cur: BaseException | None = info.value
    while cur is not None:
        request = getattr(cur, "_request", None)
        assert request is None or PASSWORD.encode() not in request.content
        cur = cur.__cause__ or cur.__context__
