"""The Redis coordination on its own, against a real redis-server: several ``RedisCoordination``
objects (each with its own connections, as separate processes would have) share one budget."""

from __future__ import annotations

import logging
import time
from typing import Any

import anyio
import pytest

from vicidial_async import errors
from vicidial_async.config import RateLimit
from vicidial_async.transport.redis_coordination import Fallback, RedisCoordination, SharedServer


def _handle(url: str, prefix: str, rate: RateLimit | None = None, **kw: Any) -> tuple[RedisCoordination,
                                                                                       SharedServer]:
    lease = kw.pop("lease_seconds", 30.0)
    c = RedisCoordination(url, prefix=prefix, **kw)
    return c, c.for_server(host="dialer.example.com", port=443, user="apiuser", rate_limit=rate,
                           lease_seconds=lease)


def _within_bucket(times: list[float], rate: RateLimit) -> bool:
    """Every window [t_i, t_j] holds at most burst + rate x (t_j - t_i) calls."""
    times = sorted(times)
    return all(j - i + 1 <= rate.burst + rate.per_second * (times[j] - times[i]) + 1e-6
               for i in range(len(times)) for j in range(i, len(times)))


async def test_three_processes_share_one_bucket(redis_server: Any, prefix: str) -> None:
    rate = RateLimit(per_second=40, burst=5)
    handles = [_handle(redis_server.url, prefix, rate) for _ in range(3)]
    granted: list[float] = []
    stop = time.monotonic() + 1.5

    async def worker(h: SharedServer) -> None:
        while time.monotonic() < stop:
            await h.token()
            granted.append(time.monotonic())

    async with anyio.create_task_group() as tg:
        for _, h in handles:
            for _ in range(10):
                tg.start_soon(worker, h)
    for c, _ in handles:
        await c.aclose()
    assert _within_bucket(granted, rate)
    # Three processes together get the rate of one bucket, not three (nor a fraction of one):
    # every slot the schedule handed out between the first grant and the last was either used or
    # given up because its task woke too late for it (a loaded machine's CPU, not the budget).
    elapsed = max(granted) - min(granted)
    given_up = sum(h.rebooked for _, h in handles)
    assert len(granted) <= rate.burst + rate.per_second * elapsed + 1
    assert len(granted) - 1 + given_up >= 0.9 * rate.per_second * elapsed, (len(granted), given_up, elapsed)
    assert given_up < len(granted)


async def test_an_auth_failure_in_one_process_stops_the_others(redis_server: Any, prefix: str) -> None:
    (ca, a), (cb, b) = (_handle(redis_server.url, prefix, RateLimit(100, 10)) for _ in range(2))
    locked = errors.AccountLockedError("campaigns_list", "Too many login attempts", ("apiuser",),
                                       line="ERROR: Too many login attempts: |apiuser|")
    await a.trip(locked, lock_seconds=60)
    with pytest.raises(errors.AccountLockedError) as caught:
        await b.token()
    assert caught.value.sent is False and caught.value.reason == "Too many login attempts"
    with pytest.raises(errors.AccountLockedError):
        await b.check_breaker()
    assert isinstance(await cb.auth_error("dialer.example.com", 443, "apiuser"), errors.AccountLockedError)
    # An operator's reset opens the way again for everyone.
    assert await cb.reset_auth("dialer.example.com", 443, "apiuser")
    await b.token()
    await a.token()
    assert await ca.auth_error("dialer.example.com", 443, "apiuser") is None
    await ca.aclose()
    await cb.aclose()


async def test_the_login_flight_lets_one_process_at_a_time_and_stops_after_a_failure(
        redis_server: Any, prefix: str) -> None:
    handles = [_handle(redis_server.url, prefix, RateLimit(100, 10)) for _ in range(4)]
    logins: list[int] = []
    inside = 0
    most = 0

    async def login(i: int, h: SharedServer) -> None:
        nonlocal inside, most
        try:
            async with h.login_flight() as probe:
                assert probe
                inside += 1
                most = max(most, inside)
                logins.append(i)
                await anyio.sleep(0.05)
                inside -= 1
                # The first login fails: the breaker opens before the flight is handed on.
                await h.trip(errors.AuthenticationError("version", "Login incorrect"), lock_seconds=60)
        except errors.AuthenticationError:
            pass

    async with anyio.create_task_group() as tg:
        for i, (_, h) in enumerate(handles):
            tg.start_soon(login, i, h)
    assert most == 1
    assert len(logins) == 1  # the three others never sent their login
    for c, _ in handles:
        await c.aclose()


async def test_leases_cap_calls_in_flight_across_processes(redis_server: Any, prefix: str) -> None:
    handles = [_handle(redis_server.url, prefix, None, max_in_flight=3) for _ in range(2)]
    inside = 0
    most = 0

    async def call(h: SharedServer) -> None:
        nonlocal inside, most
        async with h.lease():
            inside += 1
            most = max(most, inside)
            await anyio.sleep(0.01)
            inside -= 1

    async with anyio.create_task_group() as tg:
        for _, h in handles:
            for _ in range(15):
                tg.start_soon(call, h)
    assert most == 3
    for c, _ in handles:
        await c.aclose()


async def test_leases_of_a_dead_process_expire(redis_server: Any, prefix: str) -> None:
    dead_c, dead = _handle(redis_server.url, prefix, None, max_in_flight=2, lease_seconds=0.3)
    # The "dead" process took both slots and never gave them back.
    assert await dead._acquire_lease() is not None
    assert await dead._acquire_lease() is not None
    live_c, live = _handle(redis_server.url, prefix, None, max_in_flight=2, lease_seconds=0.3)
    with anyio.fail_after(5):
        async with live.lease():
            pass
    await dead_c.aclose()
    await live_c.aclose()


async def test_fail_closed_raises_and_logs_once(own_redis: Any, prefix: str,
                                                caplog: pytest.LogCaptureFixture) -> None:
    c, h = _handle(own_redis.url, prefix, RateLimit(100, 10))
    await h.token()
    own_redis.stop()
    with caplog.at_level(logging.WARNING, logger="vicidial_async.shared"):
        for _ in range(3):
            with pytest.raises(errors.CoordinationUnavailableError) as caught:
                await h.token()
            assert "127.0.0.1" in str(caught.value)
    assert len([r for r in caplog.records if "unreachable" in r.getMessage()]) == 1
    own_redis.start()
    await h.token()
    await c.aclose()


async def test_fallback_paces_locally_at_the_fraction_and_comes_back(
        own_redis: Any, prefix: str, caplog: pytest.LogCaptureFixture) -> None:
    rate = RateLimit(per_second=40, burst=4)
    c, h = _handle(own_redis.url, prefix, rate, on_unavailable=Fallback(0.5, retry_seconds=0.5))
    await h.token()
    own_redis.stop()
    granted: list[float] = []
    with caplog.at_level(logging.WARNING, logger="vicidial_async.shared"):
        async def worker() -> None:
            for _ in range(6):
                await h.token()
                granted.append(time.monotonic())

        async with anyio.create_task_group() as tg:
            for _ in range(5):
                tg.start_soon(worker)
        assert h.in_fallback
        assert _within_bucket(granted, RateLimit(per_second=20, burst=2))
        own_redis.start()
        await anyio.sleep(0.6)
        await h.token()
        assert not h.in_fallback
    messages = [r.getMessage() for r in caplog.records]
    assert len([m for m in messages if "unreachable" in m]) == 1
    assert len([m for m in messages if "shared budget again" in m]) == 1
    await c.aclose()


def test_the_redis_password_stays_out_of_reprs_and_errors() -> None:
    c = RedisCoordination("redis://:hunter2secret@127.0.0.1:1/0")
    assert "hunter2secret" not in repr(c) and "hunter2secret" not in c.where
    with pytest.raises(errors.ConfigurationError):
        RedisCoordination("redis://127.0.0.1:1/0", max_in_flight=0)
    with pytest.raises(ValueError):
        Fallback(0)
