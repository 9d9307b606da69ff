"""The default backend's lanes: one request per one-connection transport, never a shared pool.

httpcore hands every request that enters its pool within a few loop passes the same idle connection;
all but one then bounce (``ConnectionNotAvailable``) and try again, which made CPU per call grow with
the number of queued callers. Lanes keep two requests from ever meeting in one pool.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

import httpx
import pytest

from vicidial_async import Timeouts
from vicidial_async.transport.backend import _Lanes

CAMPAIGNS = "TESTCAMP|Test|Y|ADMIN|RATIO|1|DOWN|NEW|26|9||\n"


def _count_per_lane(lanes: _Lanes) -> dict[int, int]:
    """Peak number of requests each lane carried at once (from send to giving the lane back)."""
    busy: dict[int, int] = {}
    peak: dict[int, int] = {}
    new_lane, give_back = lanes._new_lane, lanes.give_back

    def counted_lane(tls: bool = True) -> httpx.AsyncHTTPTransport:
        lane = new_lane(tls)
        handle = lane.handle_async_request

        async def handle_counted(request: httpx.Request) -> httpx.Response:
            busy[id(lane)] = busy.get(id(lane), 0) + 1
            peak[id(lane)] = max(peak.get(id(lane), 0), busy[id(lane)])
            return await handle(request)

        lane.handle_async_request = handle_counted  # type: ignore[method-assign]
        return lane

    def counted_give_back(lane: httpx.AsyncHTTPTransport) -> None:
        busy[id(lane)] -= 1
        give_back(lane)

    lanes._new_lane = counted_lane  # type: ignore[method-assign]
    lanes.give_back = counted_give_back  # type: ignore[method-assign]
    return peak


async def test_many_queued_callers_share_no_lane(server: Any, make_client: Callable[..., Any],
                                                 backend: str) -> None:
    # On both backends: a queued caller never waits inside the backend's pool (the pool timeout
    # of 1 ms would fail it), and four kept-alive connections carry every call.
    async with make_client(server.url, max_connections=4, timeouts=Timeouts(pool=0.001)) as vd:
        lanes = vd._backend._lanes if backend == "httpx" else None
        peak = _count_per_lane(lanes) if lanes is not None else {}
        left = 300

        async def worker() -> None:
            nonlocal left
            while left > 0:
                left -= 1
                assert (await vd.call("add_lead", phone_number="3125551212", list_id=101)).ok

        await asyncio.gather(*(worker() for _ in range(64)))
        if lanes is not None:
            assert len(lanes._lanes) == 4 and set(peak.values()) == {1}
            assert len(lanes._spare) == 4 and lanes._gate.free == 4  # every lane came back
        else:
            assert vd._backend.free == 4  # every connection came back
    assert server.app.max_in_flight <= 4
    assert len({r.client for r in server.app.received}) <= 4  # one kept-alive connection per lane


async def test_used_past_its_width_httpx_queues_then_times_out(server: Any) -> None:
    async def hang(form: dict[str, str]) -> tuple[int, str]:
        await server.app.wait_release()
        return 200, CAMPAIGNS

    server.app.handler = hang
    lanes = _Lanes(1, verify=True)
    async with httpx.AsyncClient(transport=lanes, timeout=httpx.Timeout(5, pool=0.05)) as http:
        first = asyncio.create_task(http.post(server.url, data={"a": "1"}))
        while server.app.in_flight < 1:  # noqa: ASYNC110 (a counter of the server thread)
            await asyncio.sleep(0.005)
        with pytest.raises(httpx.PoolTimeout):
            await http.post(server.url, data={"a": "2"})
        second = asyncio.create_task(http.post(server.url, data={"a": "3"},
                                               timeout=httpx.Timeout(5)))
        await asyncio.sleep(0.02)
        assert lanes._gate.waiting == 1
        server.app.release.set()
        assert (await first).status_code == 200 and (await second).status_code == 200
        assert lanes._gate.free == 1 and len(lanes._lanes) == 1


async def test_a_cancelled_request_gives_its_lane_back(server: Any) -> None:
    async def hang(form: dict[str, str]) -> tuple[int, str]:
        await server.app.wait_release()
        return 200, CAMPAIGNS

    server.app.handler = hang
    lanes = _Lanes(2, verify=True)
    async with httpx.AsyncClient(transport=lanes) as http:
        calls = [asyncio.create_task(http.post(server.url, data={"a": "1"})) for _ in range(5)]
        while server.app.in_flight < 2:  # noqa: ASYNC110
            await asyncio.sleep(0.005)
        assert lanes._gate.waiting == 3
        for task in calls:
            task.cancel()
        await asyncio.gather(*calls, return_exceptions=True)
        assert lanes._gate.free == 2 and lanes._gate.waiting == 0 and len(lanes._spare) == 2
        server.app.release.set()
        server.app.reset()
        answers = await asyncio.gather(*(http.post(server.url, data={"a": "2"}) for _ in range(6)))
        assert all(a.status_code == 200 for a in answers) and len(lanes._lanes) == 2
