"""The per-server token bucket, on a virtual clock: bursts, sustained rate, retries take tokens."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx
import pytest
import respx

from vicidial_async import RateLimit, RetryPolicy, VicidialClient

BASE = "https://dialer.example.com"
NON_AGENT_URL = BASE + "/vicidial/non_agent_api.php"
CAMPAIGNS = "TESTCAMP|Test|Y|ADMIN|RATIO|1|DOWN|NEW|26|9||\n"


def _client(loop: asyncio.AbstractEventLoop, **kw: Any) -> VicidialClient:
    kw.setdefault("random", lambda: 0.0)
    return VicidialClient(BASE, "apiuser", "s3cretPass", clock=loop.time, **kw)


def _sent_times(virtual: Any, n: int, failures: list[httpx.Response] | None = None,
                **kw: Any) -> tuple[list[float], float]:
    """Send ``n`` concurrent calls; return when each request reached the server, and the start."""
    times: list[float] = []
    pending = list(failures or [])

    async def scenario(loop: asyncio.AbstractEventLoop) -> tuple[list[float], float]:
        def answer(request: httpx.Request) -> httpx.Response:
            times.append(loop.time())
            return pending.pop(0) if pending else httpx.Response(200, text=CAMPAIGNS)

        with respx.mock() as router:
            router.post(NON_AGENT_URL).mock(side_effect=answer)
            start = loop.time()
            async with _client(loop, **kw) as vd:
                await asyncio.gather(*(vd.call("campaigns_list") for _ in range(n)))
        return times, start

    result: tuple[list[float], float] = virtual(scenario)
    return result


def _never_above_the_bucket(times: list[float], start: float, rl: RateLimit) -> bool:
    return all(i + 1 <= rl.burst + rl.per_second * (t - start) + 1e-3 for i, t in enumerate(sorted(times)))


def test_burst_then_sustained_rate(virtual: Any) -> None:
    rl = RateLimit(per_second=10, burst=5)
    times, start = _sent_times(virtual, 50, rate_limit=rl, max_connections=50)
    assert len(times) == 50
    assert sum(1 for t in times if t - start < 1e-3) == 5     # the burst goes out at once
    assert _never_above_the_bucket(times, start, rl)
    assert max(times) - start == pytest.approx(45 / rl.per_second, abs=1e-3)  # then per_second


def test_rate_holds_with_a_narrow_gate(virtual: Any) -> None:
    rl = RateLimit(per_second=4, burst=2)
    times, start = _sent_times(virtual, 20, rate_limit=rl, max_connections=3)
    assert _never_above_the_bucket(times, start, rl)
    assert max(times) - start == pytest.approx(18 / rl.per_second, abs=1e-3)


def test_no_rate_limit(virtual: Any) -> None:
    times, start = _sent_times(virtual, 40, rate_limit=None, max_connections=40)
    assert max(times) - start < 1e-3


def test_every_attempt_takes_a_token_retries_included(virtual: Any) -> None:
    rl = RateLimit(per_second=1, burst=1)
    policy = RetryPolicy(base=0.01, jitter=0.0)  # backoff far shorter than the token interval
    times, start = _sent_times(virtual, 1, failures=[httpx.Response(503), httpx.Response(502)],
                               rate_limit=rl, retry=policy)
    assert len(times) == 3
    assert [t - start for t in times] == pytest.approx([0.0, 1.0, 2.0], abs=1e-3)


def test_cancelled_waiters_do_not_use_up_tokens(virtual: Any) -> None:
    rl = RateLimit(per_second=2, burst=1)

    async def scenario(loop: asyncio.AbstractEventLoop) -> list[float]:
        times: list[float] = []

        def answer(request: httpx.Request) -> httpx.Response:
            times.append(loop.time() - start)
            return httpx.Response(200, text=CAMPAIGNS)

        with respx.mock() as router:
            router.post(NON_AGENT_URL).mock(side_effect=answer)
            start = loop.time()
            async with _client(loop, rate_limit=rl, max_connections=100) as vd:
                waiting = [asyncio.create_task(vd.call("campaigns_list")) for _ in range(100)]
                await asyncio.sleep(0.01)
                for task in waiting[1:]:
                    task.cancel()
                await asyncio.gather(*waiting, return_exceptions=True)
                await vd.call("campaigns_list")
        return times

    times = virtual(scenario)
    # One call went out at once; the next waits one interval, not 99 of them.
    assert times == pytest.approx([0.0, 0.5], abs=1e-3)
