"""Retries by safety class, backoff, deadline, budget, duplicate recovery and the auth breaker."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

import httpx
import pytest
import respx

from vicidial_async import (
    AccountLockedError,
    AuthenticationError,
    CertificateError,
    ConnectError,
    DuplicateError,
    EmptyAnswerError,
    HTTPStatusError,
    NotFoundError,
    OutcomeUnknownError,
    RetryPolicy,
    TimeoutError,
    TransportError,
    TruncatedAnswerError,
)
from vicidial_async.protocol.registry import REGISTRY, Safety
from vicidial_async.transport.retry import AuthBreaker, Decision, RetryBudget, decide, retry_after_seconds

BASE = "https://dialer.example.com"
NON_AGENT_URL = BASE + "/vicidial/non_agent_api.php"
ADDED = "SUCCESS: add_lead LEAD HAS BEEN ADDED - 3125551212|101|2001|-5.00|apiuser\n"
CAMPAIGNS = "TESTCAMP|Test|Y|ADMIN|RATIO|1|DOWN|NEW|26|9||\n"
LOGIN_FAILED = "ERROR: Login incorrect, please try again: |apiuser|s3cretPass|BAD|\n"
LOCKED = "ERROR: Too many login attempts, try again in 15 minutes: |apiuser|LOCK|\n"
POLICY = RetryPolicy()


def ok(text: str = CAMPAIGNS) -> httpx.Response:
    return httpx.Response(200, text=text)


def status(code: int, text: str = "", **headers: str) -> httpx.Response:
    return httpx.Response(code, text=text, headers=headers)


# -- the pure decision ----------------------------------------------------------------------------

_NOT_SENT = [
    ConnectError("refused"),
    TimeoutError("connect", phase="connect"),
    TimeoutError("pool", phase="pool"),
]
_MAYBE_SENT = [
    TimeoutError("read", phase="read", maybe_sent=True),
    TimeoutError("write", phase="write", maybe_sent=True),
    TransportError("reset", maybe_sent=True),
    HTTPStatusError("500", status=500), HTTPStatusError("502", status=502),
    HTTPStatusError("503", status=503), HTTPStatusError("504", status=504),
    EmptyAnswerError("empty"), TruncatedAnswerError("cut"),
]


@pytest.mark.parametrize("safety", list(Safety))
@pytest.mark.parametrize("exc", _NOT_SENT, ids=repr)
def test_any_class_retries_what_never_reached_the_server(safety: Safety, exc: Exception) -> None:
    assert decide(safety, exc, POLICY) is Decision.RETRY


@pytest.mark.parametrize("safety", list(Safety))
@pytest.mark.parametrize(("code", "retry_after"), [(408, None), (429, None), (429, 5.0), (503, 60.0)])
def test_any_class_retries_refusals_before_work(safety: Safety, code: int, retry_after: float | None) -> None:
    assert decide(safety, HTTPStatusError("x", status=code), POLICY, retry_after) is Decision.RETRY


@pytest.mark.parametrize("exc", _MAYBE_SENT, ids=repr)
def test_maybe_sent_failures_by_class(exc: Exception) -> None:
    assert decide(Safety.READ, exc, POLICY) is Decision.RETRY
    assert decide(Safety.IDEMPOTENT_WRITE, exc, POLICY) is Decision.RETRY
    assert decide(Safety.UNSAFE, exc, POLICY) is Decision.OUTCOME_UNKNOWN


@pytest.mark.parametrize("safety", list(Safety))
def test_never_retried(safety: Safety) -> None:
    for exc in (CertificateError("bad cert"), NotFoundError("f", "NOT FOUND"),
                AuthenticationError("f", "Login incorrect"), HTTPStatusError("x", status=404),
                HTTPStatusError("x", status=429), HTTPStatusError("x", status=400)):
        retry_after = 61.0 if getattr(exc, "status", 0) == 429 else None
        assert decide(safety, exc, POLICY, retry_after) is Decision.RAISE, exc
    # 503 with a long Retry-After is not a "refused before work" for a write.
    assert decide(Safety.UNSAFE, HTTPStatusError("x", status=503), POLICY, 61.0) is Decision.OUTCOME_UNKNOWN


def test_retry_after_header() -> None:
    assert retry_after_seconds({"retry-after": " 7 "}) == 7.0
    assert retry_after_seconds({"retry-after": "Wed, 21 Oct 2026 07:28:00 GMT"}) is None
    assert retry_after_seconds({}) is None
    assert retry_after_seconds({"retry-after": "-3"}) == 0.0


@pytest.mark.parametrize(("attempt", "rand", "wait"), [(1, 0.0, 0.5), (1, 0.99, 1.49), (2, 0.0, 1.0),
                                                       (3, 0.5, 2.5), (4, 0.0, 4.0), (5, 0.0, 8.0),
                                                       (5, 1.0, 8.0), (9, 0.3, 8.0)])
def test_backoff_formula(attempt: int, rand: float, wait: float) -> None:
    assert POLICY.backoff(attempt, rand) == pytest.approx(wait)


def test_budget_spend_and_refund() -> None:
    budget = RetryBudget.from_policy(RetryPolicy(budget=12))
    assert budget.try_spend(5) and budget.try_spend(5)
    assert not budget.try_spend(5)
    assert budget.tokens == 2
    budget.refund(100)
    assert budget.tokens == 12


# -- the retry loop of the client -------------------------------------------------------------------


async def test_read_is_retried_with_backoff_then_succeeds(make_client: Callable[..., Any],
                                                         sleeps: list[float]) -> None:
    with respx.mock() as router:
        route = router.post(NON_AGENT_URL).mock(side_effect=[
            status(503), httpx.ReadTimeout("slow"), ok()])
        async with make_client(random=lambda: 0.25) as vd:
            table = await vd.call("campaigns_list")
    assert table.rows[0][0] == "TESTCAMP"
    assert route.call_count == 3
    assert sleeps == [0.75, 1.25]


@pytest.mark.parametrize("failure", [
    httpx.ReadError("reset"), httpx.WriteError("broken pipe"), httpx.RemoteProtocolError("eof"),
    httpx.ReadTimeout("slow"), httpx.WriteTimeout("slow"), status(500), status(502), status(504),
    status(503),
], ids=repr)
@pytest.mark.parametrize("function", ["campaigns_list", "update_lead"])
async def test_read_and_idempotent_write_retry_maybe_sent_failures(
        make_client: Callable[..., Any], failure: Any, function: str) -> None:
    answer = ok() if function == "campaigns_list" else ok(
        "SUCCESS: update_lead LEAD HAS BEEN UPDATED - apiuser|2001\n")
    params = {"lead_id": 2001, "first_name": "Ann"} if function == "update_lead" else {}
    with respx.mock() as router:
        route = router.post(NON_AGENT_URL).mock(side_effect=[failure, answer])
        async with make_client() as vd:
            assert REGISTRY["non_agent", function].safety is not Safety.UNSAFE
            await vd.call(function, **params)
    assert route.call_count == 2


async def test_truncated_table_is_retried(make_client: Callable[..., Any]) -> None:
    with respx.mock() as router:
        route = router.post(NON_AGENT_URL).mock(side_effect=[ok("TESTCAMP|Test|Y"), ok()])
        async with make_client() as vd:
            assert len(await vd.call("campaigns_list")) == 1
    assert route.call_count == 2


async def test_empty_version_answer_is_retried(make_client: Callable[..., Any]) -> None:
    with respx.mock() as router:
        route = router.post(NON_AGENT_URL).mock(side_effect=[ok(""), ok("VERSION: 2.14|BUILD: 1|\n")])
        async with make_client() as vd:
            assert (await vd.call("version"))["VERSION"] == "2.14"
    assert route.call_count == 2


async def test_attempts_are_limited(make_client: Callable[..., Any], sleeps: list[float]) -> None:
    with respx.mock() as router:
        route = router.post(NON_AGENT_URL).mock(side_effect=[status(502)] * 5)
        async with make_client() as vd:
            with pytest.raises(HTTPStatusError) as info:
                await vd.call("campaigns_list")
    assert info.value.status == 502 and info.value.function == "campaigns_list"
    assert route.call_count == 3 and len(sleeps) == 2


async def test_disabled_policy_makes_one_attempt(make_client: Callable[..., Any]) -> None:
    with respx.mock() as router:
        route = router.post(NON_AGENT_URL).mock(side_effect=[httpx.ConnectError("refused"), ok()])
        async with make_client(retry=RetryPolicy.disabled()) as vd:
            with pytest.raises(ConnectError):
                await vd.call("campaigns_list")
    assert route.call_count == 1


@pytest.mark.parametrize("failure", [
    httpx.ConnectError("refused"), httpx.ConnectTimeout("slow connect"), httpx.PoolTimeout("pool"),
    status(408), status(429), status(503, **{"Retry-After": "2"}),
], ids=repr)
async def test_unsafe_call_is_resent_when_it_never_reached_the_server(
        make_client: Callable[..., Any], failure: Any) -> None:
    with respx.mock() as router:
        route = router.post(NON_AGENT_URL).mock(side_effect=[failure, ok(ADDED)])
        async with make_client() as vd:
            ans = await vd.call("add_lead", phone_number="3125551212", list_id=101)
    assert ans.success[0].get("lead_id") == "2001" and not ans.recovered
    assert route.call_count == 2


@pytest.mark.parametrize("failure", [
    httpx.ReadTimeout("slow"), httpx.WriteTimeout("slow"), httpx.ReadError("reset"),
    httpx.RemoteProtocolError("eof"), status(500), status(502), status(504), status(503),
    status(503, **{"Retry-After": "120"}),
], ids=repr)
async def test_unsafe_call_is_never_resent_once_it_may_have_landed(
        make_client: Callable[..., Any], failure: Any) -> None:
    with respx.mock() as router:
        route = router.post(NON_AGENT_URL).mock(side_effect=[failure, ok(ADDED)])
        async with make_client() as vd:
            with pytest.raises(OutcomeUnknownError) as info:
                await vd.call("add_lead", phone_number="3125551212", list_id=101, first_name="Ann")
    assert route.call_count == 1
    exc = info.value
    assert exc.function == "add_lead" and exc.host == "dialer.example.com"
    assert dict(exc.params) == {"phone_number": "3125551212", "list_id": "101", "first_name": "Ann"}
    assert exc.cause_type
    assert "pass" not in exc.params


async def test_success_printed_before_http_500_is_reported(make_client: Callable[..., Any]) -> None:
    with respx.mock() as router:
        route = router.post(NON_AGENT_URL).mock(side_effect=[status(500, ADDED), ok(ADDED)])
        async with make_client() as vd:
            ans = await vd.call("add_lead", phone_number="3125551212", list_id=101)
    assert ans.success[0].get("lead_id") == "2001"
    assert route.call_count == 1


async def test_error_answers_are_never_retried(make_client: Callable[..., Any]) -> None:
    with respx.mock() as router:
        route = router.post(NON_AGENT_URL).mock(side_effect=[
            ok("ERROR: campaigns_list THIS USER HAS NO VIEWABLE CAMPAIGNS: apiuser|\n"), ok()])
        async with make_client() as vd:
            with pytest.raises(NotFoundError):
                await vd.call("campaigns_list")
    assert route.call_count == 1


async def test_certificate_failure_is_not_retried(make_client: Callable[..., Any]) -> None:
    with respx.mock() as router:
        route = router.post(NON_AGENT_URL).mock(side_effect=[
            httpx.ConnectError("[SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed"), ok()])
        async with make_client() as vd:
            with pytest.raises(CertificateError):
                await vd.call("campaigns_list")
    assert route.call_count == 1


async def test_retry_after_longer_than_backoff_is_waited(make_client: Callable[..., Any],
                                                        sleeps: list[float]) -> None:
    with respx.mock() as router:
        router.post(NON_AGENT_URL).mock(side_effect=[status(429, **{"Retry-After": "7"}), ok()])
        async with make_client() as vd:
            await vd.call("campaigns_list")
    assert sleeps == [7.0]


@pytest.mark.parametrize("code", [429, 503])
async def test_retry_after_beyond_the_limit_is_not_waited_for(make_client: Callable[..., Any],
                                                              sleeps: list[float], code: int) -> None:
    with respx.mock() as router:
        route = router.post(NON_AGENT_URL).mock(side_effect=[status(code, **{"Retry-After": "3600"}), ok()])
        async with make_client(retry=RetryPolicy(deadline=None)) as vd:
            with pytest.raises(HTTPStatusError):
                await vd.call("campaigns_list")
    assert route.call_count == 1 and sleeps == []


async def test_total_deadline_stops_retrying(make_client: Callable[..., Any], sleeps: list[float]) -> None:
    with respx.mock() as router:
        route = router.post(NON_AGENT_URL).mock(side_effect=[status(502)] * 5)
        async with make_client(retry=RetryPolicy(attempts=10, deadline=2.0)) as vd:
            with pytest.raises(HTTPStatusError):
                await vd.call("campaigns_list")
    # waits 0.5 then 1.0 (total 1.5); the next 2.0 would pass the 2 s deadline.
    assert sleeps == [0.5, 1.0] and route.call_count == 3


async def test_budget_costs_and_refunds(make_client: Callable[..., Any]) -> None:
    policy = RetryPolicy(budget=20, retry_cost=5, timeout_retry_cost=10, success_refund=1)
    with respx.mock() as router:
        router.post(NON_AGENT_URL).mock(side_effect=[
            ok(),                                     # first-try success: refund (capped at 20)
            status(502), ok(),                        # one retry: -5 -> 15
            httpx.ReadTimeout("slow"), ok(),          # timeout retry: -10 -> 5
            ok(),                                     # refund -> 6
            status(502), status(502), ok(),           # -5 -> 1; the next retry is refused
        ])
        async with make_client(retry=policy) as vd:
            budget = vd.retry_budget
            await vd.call("campaigns_list")
            assert budget.tokens == 20
            await vd.call("campaigns_list")
            assert budget.tokens == 15
            await vd.call("campaigns_list")
            assert budget.tokens == 5
            await vd.call("campaigns_list")
            assert budget.tokens == 6
            with pytest.raises(HTTPStatusError):
                await vd.call("campaigns_list")
            assert budget.tokens == 1


async def test_budget_is_per_client(make_client: Callable[..., Any]) -> None:
    async with make_client() as a, make_client() as b:
        assert a.retry_budget is not b.retry_budget


# -- add_lead duplicate_check recovery --------------------------------------------------------------

DUP_LIST = "ERROR: add_lead DUPLICATE PHONE NUMBER IN LIST - 3125551212|101|2001\n"
DUP_SYS = "ERROR: add_lead DUPLICATE PHONE NUMBER IN SYSTEM - 3125551212|101|2001|102|PHONE\n"


@pytest.mark.parametrize(("lost", "dup", "list_id"), [
    (httpx.ReadTimeout("slow"), DUP_LIST, "101"),
    (status(500), DUP_SYS, "102"),
    (httpx.RemoteProtocolError("eof"), DUP_LIST, "101"),
], ids=["timeout", "500", "protocol"])
async def test_duplicate_on_resend_is_the_lead_added_by_the_lost_attempt(
        make_client: Callable[..., Any], lost: Any, dup: str, list_id: str) -> None:
    with respx.mock() as router:
        route = router.post(NON_AGENT_URL).mock(side_effect=[lost, ok(dup)])
        async with make_client() as vd:
            ans = await vd.call("add_lead", phone_number="3125551212", list_id=101,
                                duplicate_check="DUPLIST")
    assert route.call_count == 2
    assert ans.recovered is True and ans.ok
    assert ans.success[0].get("lead_id") == "2001"
    assert ans.success[0].get("list_id") == list_id
    assert ans.success[0].get("phone_number") == "3125551212"


async def test_duplicate_on_first_attempt_is_a_real_duplicate(make_client: Callable[..., Any]) -> None:
    with respx.mock() as router:
        router.post(NON_AGENT_URL).mock(side_effect=[ok(DUP_LIST)])
        async with make_client() as vd:
            with pytest.raises(DuplicateError) as info:
                await vd.call("add_lead", phone_number="3125551212", list_id=101, duplicate_check="DUPLIST")
    assert info.value.existing_lead_id == 2001


async def test_duplicate_after_an_attempt_that_never_landed_is_a_real_duplicate(
        make_client: Callable[..., Any]) -> None:
    with respx.mock() as router:
        router.post(NON_AGENT_URL).mock(side_effect=[httpx.ConnectError("refused"), ok(DUP_LIST)])
        async with make_client() as vd:
            with pytest.raises(DuplicateError):
                await vd.call("add_lead", phone_number="3125551212", list_id=101, duplicate_check="DUPLIST")


async def test_add_lead_without_duplicate_check_stays_unsafe(make_client: Callable[..., Any]) -> None:
    with respx.mock() as router:
        route = router.post(NON_AGENT_URL).mock(side_effect=[httpx.ReadTimeout("slow"), ok(DUP_LIST)])
        async with make_client() as vd:
            with pytest.raises(OutcomeUnknownError):
                await vd.call("add_lead", phone_number="3125551212", list_id=101)
    assert route.call_count == 1


# -- authentication breaker -------------------------------------------------------------------------


async def test_auth_failure_is_not_retried_and_opens_the_breaker(make_client: Callable[..., Any]) -> None:
    with respx.mock() as router:
        route = router.post(NON_AGENT_URL).mock(side_effect=[ok(LOGIN_FAILED), ok(), ok()])
        async with make_client() as vd:
            with pytest.raises(AuthenticationError) as first:
                await vd.call("campaigns_list")
            with pytest.raises(AuthenticationError) as second:
                await vd.call("add_lead", phone_number="3125551212", list_id=101)
            assert route.call_count == 1
            assert type(second.value) is type(first.value)
            assert second.value.reason == first.value.reason
            # version needs no login: the breaker does not stop it.
            router.post(NON_AGENT_URL).mock(side_effect=[ok("VERSION: 2|\n")])
            assert (await vd.call("version"))["VERSION"] == "2"
            vd.reset_auth_breaker()
            router.post(NON_AGENT_URL).mock(side_effect=[ok()])
            await vd.call("campaigns_list")


async def test_queued_calls_fail_at_once_with_the_same_error(make_client: Callable[..., Any]) -> None:
    release = asyncio.Event()
    sent: list[str] = []

    async def answer(request: httpx.Request) -> httpx.Response:
        sent.append(request.content.decode())
        await release.wait()
        return ok(LOGIN_FAILED)

    with respx.mock() as router:
        router.post(NON_AGENT_URL).mock(side_effect=answer)
        async with make_client(max_connections=1) as vd:
            calls = [asyncio.create_task(vd.call("campaigns_list")) for _ in range(20)]
            while not sent:  # noqa: ASYNC110 (let the first call reach the server)
                await asyncio.sleep(0)
            release.set()
            results = await asyncio.gather(*calls, return_exceptions=True)
    assert len(sent) == 1
    assert all(isinstance(r, AuthenticationError) for r in results)


async def test_locked_account_breaker_opens_for_15_minutes(make_client: Callable[..., Any],
                                                           sleeps: Any) -> None:
    with respx.mock() as router:
        route = router.post(NON_AGENT_URL).mock(side_effect=[ok(LOCKED), ok()])
        async with make_client() as vd:
            with pytest.raises(AccountLockedError):
                await vd.call("campaigns_list")
            sleeps.now += 14 * 60
            with pytest.raises(AccountLockedError):
                await vd.call("campaigns_list")
            sleeps.now += 61
            await vd.call("campaigns_list")
    assert route.call_count == 2


def test_breaker_copy_does_not_extend_a_lock() -> None:
    now = [0.0]
    breaker = AuthBreaker(clock=lambda: now[0])
    breaker.trip(AccountLockedError("f", "Too many login attempts"))
    now[0] = 899.0
    with pytest.raises(AccountLockedError):
        breaker.check()
    now[0] = 900.0
    breaker.check()


# -- options that make a resendable write unsafe ----------------------------------------------------

UPDATED = "SUCCESS: update_lead LEAD HAS BEEN UPDATED - apiuser|2001\n"


@pytest.mark.parametrize(("options", "resent"), [
    ({}, True),
    ({"delete_lead": "N"}, True),
    ({"delete_lead": "Y"}, False),
    ({"delete_cf_data": "Y"}, False),
])
async def test_update_lead_is_resent_unless_it_deletes(make_client: Callable[..., Any],
                                                       options: dict[str, str], resent: bool) -> None:
    with respx.mock() as router:
        route = router.post(NON_AGENT_URL).mock(
            side_effect=[httpx.ReadTimeout("lost"), ok(UPDATED)])
        async with make_client(retry=RetryPolicy(attempts=2)) as vd:
            if resent:
                await vd.call("update_lead", lead_id=2001, first_name="Ann", **options)
            else:
                # A resend after the delete landed would answer NOT FOUND for a deleted lead.
                with pytest.raises(OutcomeUnknownError):
                    await vd.call("update_lead", lead_id=2001, first_name="Ann", **options)
    assert route.call_count == (2 if resent else 1)


def test_unsafe_options_lower_the_safety_of_one_call_only() -> None:
    spec = REGISTRY["non_agent", "update_user"]
    assert spec.safety is Safety.IDEMPOTENT_WRITE
    assert spec.safety_for({"agent_user": "1001", "agent_full_name": "Ann"}) is Safety.IDEMPOTENT_WRITE
    assert spec.safety_for({"agent_user": "1001", "reset_password": "0"}) is Safety.IDEMPOTENT_WRITE
    assert spec.safety_for({"agent_user": "1001", "reset_password": "12"}) is Safety.UNSAFE
    assert spec.safety_for({"agent_user": "1001", "delete_user": "Y"}) is Safety.UNSAFE
