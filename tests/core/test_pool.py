"""Against a real local server (uvicorn): pool width, timeouts, cancellation, real redirects.

Every test runs on both transport backends (httpx and aiohttp).
"""

from __future__ import annotations

import asyncio
import socket
import time
from collections.abc import Callable
from typing import Any

import pytest

from vicidial_async import (
    ConnectError,
    OutcomeUnknownError,
    RedirectError,
    RetryPolicy,
    TimeoutError,
    Timeouts,
)
from vicidial_async.protocol.tables import Table

pytestmark = pytest.mark.usefixtures("backend")

PASSWORD = "s3cretPass"
CAMPAIGNS = "TESTCAMP|Test|Y|ADMIN|RATIO|1|DOWN|NEW|26|9||\n"


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


async def test_credentials_travel_in_a_form_body_only(server: Any, make_client: Callable[..., Any]) -> None:
    async with make_client(server.url) as vd:
        ans = await vd.call("add_lead", phone_number="3125551212", list_id=101)
    assert ans.ok
    (req,) = server.app.received
    assert (req.method, req.path, req.query) == ("POST", "/vicidial/non_agent_api.php", b"")
    assert req.headers["content-type"] == "application/x-www-form-urlencoded"
    assert req.form["pass"] == PASSWORD and req.form["function"] == "add_lead"


async def test_concurrency_never_exceeds_the_pool(server: Any, make_client: Callable[..., Any]) -> None:
    deadline = time.monotonic() + 10

    async def slow(form: dict[str, str]) -> tuple[int, str]:
        # After the first call (alone: it verifies the credentials), answers wait (10 s at most in
        # all) until three calls were in flight at once: the pool's width is reached however
        # slowly this machine sends them, and a fourth would show.
        while (len(server.app.received) > 1 and server.app.max_in_flight < 3  # noqa: ASYNC110
               and time.monotonic() < deadline):
            await asyncio.sleep(0.005)
        await asyncio.sleep(0.005)
        return 200, CAMPAIGNS

    server.app.handler = slow
    # A pool timeout this short would fail any request that had to wait inside the backend's pool.
    async with make_client(server.url, max_connections=3, timeouts=Timeouts(pool=0.001),
                           retry=RetryPolicy.disabled()) as vd:
        results = await asyncio.gather(*(vd.call("campaigns_list") for _ in range(30)))
    assert all(isinstance(r, Table) for r in results)
    assert server.app.max_in_flight == 3
    assert len({r.client for r in server.app.received}) <= 3  # connections are reused


async def test_read_timeout_per_call_override(server: Any, make_client: Callable[..., Any]) -> None:
    async def hang(form: dict[str, str]) -> tuple[int, str]:
        await server.app.wait_release()
        return 200, CAMPAIGNS

    server.app.handler = hang
    async with make_client(server.url, retry=RetryPolicy.disabled()) as vd:
        with pytest.raises(TimeoutError) as info:
            await vd.call("campaigns_list", timeout=0.05)
        assert info.value.phase == "read" and info.value.maybe_sent
        assert info.value.function == "campaigns_list"
        with pytest.raises(OutcomeUnknownError) as unknown:
            await vd.call("add_lead", phone_number="3125551212", list_id=101, timeout=0.05)
        assert unknown.value.cause_type == "TimeoutError"
    assert len(server.app.received) == 2


async def test_report_functions_get_the_long_read_timeout(server: Any,
                                                          make_client: Callable[..., Any]) -> None:
    async def slowish(form: dict[str, str]) -> tuple[int, str]:
        if form["function"] == "recording_lookup":
            await asyncio.sleep(0.3)          # longer than `read`
        else:
            await server.app.wait_release()   # no answer until the test has seen the timeout
        return 200, ""

    server.app.handler = slowish
    timeouts = Timeouts(read=0.1, report_read=30)
    async with make_client(server.url, timeouts=timeouts, retry=RetryPolicy.disabled()) as vd:
        report = await vd.call("recording_lookup", agent_user="agent001")  # stats/recordings: long
        assert isinstance(report, Table)
        with pytest.raises(TimeoutError):
            await vd.call("campaigns_list")                                 # ordinary read: short
        server.app.release.set()
        assert isinstance(await vd.call("campaigns_list", timeout=5), Table)


async def test_connect_error_is_retried_then_raised(make_client: Callable[..., Any],
                                                    sleeps: list[float]) -> None:
    async with make_client(f"http://127.0.0.1:{_closed_port()}") as vd:
        with pytest.raises(ConnectError) as info:
            await vd.call("add_lead", phone_number="3125551212", list_id=101)  # even UNSAFE
    assert len(sleeps) == 2
    assert info.value.function == "add_lead" and not info.value.maybe_sent


async def test_real_redirect_is_not_followed(server: Any, make_client: Callable[..., Any]) -> None:
    async def moved(form: dict[str, str]) -> tuple[int, str, dict[str, str]]:
        return 302, "", {"location": "/elsewhere"}

    server.app.handler = moved
    async with make_client(server.url) as vd:
        with pytest.raises(RedirectError):
            await vd.call("campaigns_list")
    assert [r.path for r in server.app.received] == ["/vicidial/non_agent_api.php"]


async def test_cancelling_1000_waiting_calls_leaves_the_client_usable(
        server: Any, make_client: Callable[..., Any]) -> None:
    async def hang(form: dict[str, str]) -> tuple[int, str]:
        await server.app.wait_release()
        return 200, CAMPAIGNS

    async with make_client(server.url, max_connections=4, timeouts=Timeouts(pool=0.5),
                           retry=RetryPolicy.disabled()) as vd:
        await vd.call("campaigns_list")  # verifies the credentials: calls fan out from now on
        server.app.received.clear()
        server.app.handler = hang
        calls = [asyncio.create_task(vd.call("campaigns_list")) for _ in range(1000)]
        while server.app.in_flight < 4:  # noqa: ASYNC110 (a counter of the server thread)
            await asyncio.sleep(0.005)
        for task in calls:
            task.cancel()
        results = await asyncio.gather(*calls, return_exceptions=True)
        assert all(isinstance(r, asyncio.CancelledError) for r in results)
        assert len(server.app.received) == 4  # the 996 queued calls never went out

        # Let the server finish the abandoned requests, then check every slot came back: four
        # new calls are in flight together again.
        server.app.release.set()
        while server.app.in_flight:  # noqa: ASYNC110
            await asyncio.sleep(0.005)
        server.app.release.clear()
        server.app.received.clear()
        server.app.max_in_flight = 0
        fresh = [asyncio.create_task(vd.call("campaigns_list")) for _ in range(4)]
        while server.app.max_in_flight < 4 and not any(t.done() for t in fresh):  # noqa: ASYNC110
            await asyncio.sleep(0.005)
        server.app.release.set()
        assert all(isinstance(r, Table) for r in await asyncio.gather(*fresh))
        assert server.app.max_in_flight == 4

        server.app.handler = _quick
        more = await asyncio.gather(*(vd.call("campaigns_list") for _ in range(50)))
        assert len(more) == 50


async def _quick(form: dict[str, str]) -> tuple[int, str]:
    return 200, CAMPAIGNS
