"""Unverified credentials never fan out: one login-needing request in flight until an answer shows
the credentials are accepted; a wrong password costs the account exactly one failed login."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Iterator
from typing import Any

import anyio
import pytest

from vicidial_async import AuthenticationError, NotLoggedInError, RetryPolicy, VicidialClient
from vicidial_async.testing import FakeServerProcess
from vicidial_async.transport.auth import AuthGate

LOGIN_FAILED = "ERROR: Login incorrect, please try again: |apiuser|s3cretPass|BAD|\n"
CAMPAIGNS = "TESTCAMP|Test|Y|ADMIN|RATIO|1|DOWN|NEW|26|9||\n"


@pytest.fixture(scope="module")
def fake() -> Iterator[FakeServerProcess]:
    with FakeServerProcess(seed_agents=["agent001"]) as srv:
        yield srv


def _failed_logins(fake: FakeServerProcess, user: str = "6666") -> int:
    users = {u["user"]: u for u in fake.state()["users"]}
    return int(users[user]["failed_login_count"])


# -- against the fake server (it locks the account at ten failed logins, like VICIdial) ----------


async def test_100_concurrent_calls_with_a_wrong_password_cost_one_failed_login(
        fake: FakeServerProcess) -> None:
    before = fake.state()["requests"]
    async with VicidialClient(fake.url, "6666", "wrong1", rate_limit=None, max_connections=64) as vd:
        results = await asyncio.gather(*(vd.leads.lead_field_info(lead_id=1, field_name="first_name")
                                         for _ in range(100)), return_exceptions=True)
        assert vd.auth.error is not None and not vd.auth.verified
    assert all(isinstance(r, AuthenticationError) for r in results)
    assert all("wrong1" not in str(r) and "wrong1" not in repr(r) for r in results)
    assert fake.state()["requests"] - before == 1
    assert _failed_logins(fake) == 1
    # The right password still works: the account was never locked.
    async with VicidialClient(fake.url, "6666", "1234", rate_limit=None) as vd:
        await vd.campaigns.campaigns_list()
    assert _failed_logins(fake) == 0


async def test_agent_sessions_are_held_too(fake: FakeServerProcess) -> None:
    before = fake.state()["requests"]
    async with VicidialClient(fake.url, "6666", "wrong2", rate_limit=None, max_connections=30) as vd:
        results = await asyncio.gather(*(vd.agent("agent001").external_pause("PAUSE") for _ in range(30)),
                                       return_exceptions=True)
    assert all(isinstance(r, AuthenticationError) for r in results)
    assert fake.state()["requests"] - before == 1
    fake.seed(users=[])  # (no-op seed keeps the account as it is)


async def test_a_new_client_and_a_reset_probe_again_alone(fake: FakeServerProcess) -> None:
    before = fake.state()["requests"]
    for _ in range(2):
        async with VicidialClient(fake.url, "6666", "wrong3", rate_limit=None, max_connections=10) as vd:
            for _ in range(2):
                await asyncio.gather(*(vd.campaigns.campaigns_list() for _ in range(10)),
                                     return_exceptions=True)
                vd.reset_auth_breaker()
    assert fake.state()["requests"] - before == 4
    async with VicidialClient(fake.url, "6666", "1234", rate_limit=None) as vd:
        await vd.campaigns.campaigns_list()


async def test_version_needs_no_login_and_is_not_held(fake: FakeServerProcess) -> None:
    async with VicidialClient(fake.url, "6666", "wrong4", rate_limit=None) as vd:
        with pytest.raises(AuthenticationError):
            await vd.campaigns.campaigns_list()
        assert (await vd.call("version"))["VERSION"]
    async with VicidialClient(fake.url, "6666", "1234", rate_limit=None) as vd:
        await vd.campaigns.campaigns_list()


async def test_an_api_error_that_is_not_about_the_login_verifies_the_credentials(
        fake: FakeServerProcess) -> None:
    async with VicidialClient(fake.url, "6666", "1234", rate_limit=None) as vd:
        with pytest.raises(NotLoggedInError):
            await vd.agent("nobody").external_pause("PAUSE")
        assert vd.auth.verified


# -- against a scripted server: the order of requests -------------------------------------------


async def test_a_probe_without_an_answer_hands_over_to_the_next_caller_then_calls_fan_out(
        server: Any, make_client: Callable[..., Any]) -> None:
    seen_in_flight: list[int] = []
    deadline = time.monotonic() + 10

    async def answer(form: dict[str, str]) -> tuple[int, str]:
        seen_in_flight.append(server.app.in_flight)
        if len(seen_in_flight) == 1:
            return 500, ""
        if len(seen_in_flight) > 2:
            # After the second probe's success, answers wait (10 s at most in all) until two calls
            # were in flight at once: calls that fan out meet here however slowly this machine
            # sends them; calls that still went one by one never would.
            while server.app.max_in_flight < 2 and time.monotonic() < deadline:  # noqa: ASYNC110
                await asyncio.sleep(0.005)
        return 200, CAMPAIGNS

    server.app.handler = answer
    async with make_client(server.url, max_connections=8, retry=RetryPolicy.disabled()) as vd:
        results = await asyncio.gather(*(vd.call("campaigns_list") for _ in range(20)),
                                       return_exceptions=True)
    assert sum(isinstance(r, Exception) for r in results) == 1     # only the first probe failed
    assert seen_in_flight[:2] == [1, 1]                             # probes went out one by one
    assert server.app.max_in_flight > 1                             # then full concurrency


async def test_waiters_fail_with_the_probes_error_without_sending(
        server: Any, make_client: Callable[..., Any]) -> None:
    async def refuse(form: dict[str, str]) -> tuple[int, str]:
        await server.app.wait_release()  # the probe's answer comes once the others are seen waiting
        return 200, LOGIN_FAILED

    server.app.handler = refuse
    async with make_client(server.url, max_connections=50) as vd:
        tasks = [asyncio.create_task(vd.call("campaigns_list")) for _ in range(50)]
        while not server.app.received:  # noqa: ASYNC110 (a counter of the server thread)
            await asyncio.sleep(0.005)
        assert vd.auth.waiting == 49
        server.app.release.set()
        results = await asyncio.gather(*tasks, return_exceptions=True)
    assert len(server.app.received) == 1
    assert {type(r) for r in results} == {AuthenticationError}
    assert len({str(r) for r in results}) == 1


# -- the gate on its own (any anyio backend) -----------------------------------------------------


@pytest.mark.parametrize("backend", ["asyncio", "trio"])
def test_gate_hands_the_probe_on_when_its_holder_is_cancelled(backend: str) -> None:
    async def scenario() -> list[str]:
        gate = AuthGate()
        log: list[str] = []
        first = await gate.admit()
        assert first is not None

        async def second(scope: anyio.CancelScope) -> None:
            with scope:
                ticket = await gate.admit()
                log.append("second admitted")
                gate.release(ticket)

        async def third() -> None:
            ticket = await gate.admit()
            log.append(f"third probes={ticket is not None}")
            gate.confirm()

        async with anyio.create_task_group() as tg:
            scope = anyio.CancelScope()
            tg.start_soon(second, scope)
            await anyio.sleep(0.01)
            tg.start_soon(third)
            await anyio.sleep(0.01)
            assert gate.waiting == 2
            scope.cancel()                # "second" is cancelled while it waits ...
            gate.release(first)           # ... as the probe is handed to it: "third" gets it
        assert gate.verified and gate.waiting == 0
        assert await gate.admit() is None  # verified: no waiting at all
        return log

    assert anyio.run(scenario, backend=backend) == ["third probes=True"]


def test_stale_tickets_are_ignored_and_trip_fails_the_waiters() -> None:
    async def scenario() -> None:
        gate = AuthGate()
        ticket = await gate.admit()
        gate.reset()
        gate.release(ticket)  # stale: nothing happens
        again = await gate.admit()
        assert again is not None and again is not ticket
        error = AuthenticationError("campaigns_list", "Login incorrect")

        async def waiter() -> None:
            with pytest.raises(AuthenticationError):
                await gate.admit()

        async with anyio.create_task_group() as tg:
            tg.start_soon(waiter)
            await anyio.sleep(0.01)
            gate.trip(error)
        assert gate.error is error
        with pytest.raises(AuthenticationError):
            gate.check()

    anyio.run(scenario)
