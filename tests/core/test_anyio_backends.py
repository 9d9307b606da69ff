"""The client under both anyio backends: asyncio and trio.

The concurrency gate, the auth gate and the token bucket are built on anyio primitives only, so a
trio program can use the client with its default settings (rate limit included). These tests run
the real thing (add_lead against the fake server over sockets) under each backend, and the token
bucket on trio's virtual clock.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from typing import Any

import anyio
import pytest

from vicidial_async import AuthenticationError, VicidialClient
from vicidial_async.testing import FakeServerProcess
from vicidial_async.transport.limiter import TokenBucket

BACKENDS = ["asyncio", "trio"]


@pytest.fixture(scope="module")
def fake() -> Iterator[FakeServerProcess]:
    with FakeServerProcess() as srv:
        yield srv


@pytest.mark.parametrize("backend", BACKENDS)
def test_add_lead_with_the_default_rate_limit(fake: FakeServerProcess, backend: str) -> None:
    phones = [f"31255{backend == 'trio':1d}{n:04d}" for n in range(12)]

    async def main() -> list[int]:
        # Default settings: the token bucket (10/s, burst 10) makes the last two calls wait.
        async with VicidialClient(fake.url, "6666", "1234", max_connections=4) as vd:
            assert vd.rate_limit is not None
            results: list[int] = []

            async def add(phone: str) -> None:
                added = await vd.leads.add_lead(phone_number=phone, list_id=101)
                results.append(added.lead_id)

            async with anyio.create_task_group() as tg:
                for phone in phones:
                    tg.start_soon(add, phone)
            return results

    lead_ids = anyio.run(main, backend=backend)
    assert len(set(lead_ids)) == len(phones)
    stored = {x["phone_number"] for x in fake.state()["leads"] if x["lead_id"] in lead_ids}
    assert stored == set(phones)


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_wrong_password_costs_one_login_under_each_backend(fake: FakeServerProcess,
                                                             backend: str) -> None:
    before = fake.state()["requests"]

    async def main() -> list[BaseException]:
        errors: list[BaseException] = []
        async with VicidialClient(fake.url, "6666", "wrong1", max_connections=20) as vd:

            async def call() -> None:
                try:
                    await vd.campaigns.campaigns_list()
                except AuthenticationError as exc:
                    errors.append(exc)

            async with anyio.create_task_group() as tg:
                for _ in range(20):
                    tg.start_soon(call)
        return errors

    assert len(anyio.run(main, backend=backend)) == 20
    assert fake.state()["requests"] - before == 1
    # A good login resets the fake's failure counter for the next tests.
    asyncio.run(_good_login(fake))


async def _good_login(fake: FakeServerProcess) -> None:
    async with VicidialClient(fake.url, "6666", "1234", rate_limit=None) as vd:
        await vd.campaigns.campaigns_list()


def _admission_times(backend: str, options: dict[str, Any]) -> list[float]:
    async def main() -> list[float]:
        bucket = TokenBucket(per_second=4, burst=2)
        start = anyio.current_time()
        times: list[float] = []

        async def take() -> None:
            await bucket.acquire()
            times.append(anyio.current_time() - start)

        async with anyio.create_task_group() as tg:
            for _ in range(10):
                tg.start_soon(take)
        return times

    return anyio.run(main, backend=backend, backend_options=options)


def test_token_bucket_precision_on_trios_virtual_clock() -> None:
    from trio.testing import MockClock

    times = _admission_times("trio", {"clock": MockClock(autojump_threshold=0)})
    # A burst of two at once, then one every 1/4 s: the same schedule aiolimiter kept.
    assert times == pytest.approx([0, 0, 0.25, 0.5, 0.75, 1.0, 1.25, 1.5, 1.75, 2.0], abs=1e-6)


def test_token_bucket_serves_waiters_in_order_and_a_cancelled_one_takes_nothing() -> None:
    from trio.testing import MockClock

    async def main() -> list[tuple[str, float]]:
        bucket = TokenBucket(per_second=1, burst=1)
        start = anyio.current_time()
        order: list[tuple[str, float]] = []

        async def take(name: str) -> None:
            await bucket.acquire()
            order.append((name, anyio.current_time() - start))

        async with anyio.create_task_group() as tg:
            await bucket.acquire()
            scope = anyio.CancelScope()

            async def cancelled() -> None:
                with scope:
                    await take("cancelled")

            tg.start_soon(take, "a")
            await anyio.sleep(0.1)
            tg.start_soon(cancelled)
            await anyio.sleep(0.1)
            tg.start_soon(take, "b")
            await anyio.sleep(0.1)
            scope.cancel()
        return order

    order = anyio.run(main, backend="trio", backend_options={"clock": MockClock(autojump_threshold=0)})
    assert [name for name, _ in order] == ["a", "b"]
    assert [t for _, t in order] == pytest.approx([1.0, 2.0], abs=1e-6)
