"""The concurrency gate: never more holders than slots, FIFO, and cancellation never leaks a slot."""

from __future__ import annotations

import asyncio

from vicidial_async.transport.gate import Gate


async def test_holders_never_exceed_slots_and_order_is_fifo() -> None:
    gate = Gate(2)
    holding = 0
    peak = 0
    order: list[int] = []

    async def user(i: int) -> None:
        nonlocal holding, peak
        async with gate:
            order.append(i)
            holding += 1
            peak = max(peak, holding)
            await asyncio.sleep(0.001)
            holding -= 1

    await asyncio.gather(*(user(i) for i in range(20)))
    assert peak == 2
    assert order == list(range(20))
    assert gate.free == 2 and gate.waiting == 0


async def test_cancelled_waiters_leave_no_trace() -> None:
    gate = Gate(1)
    await gate.__aenter__()
    waiters = [asyncio.create_task(gate.__aenter__()) for _ in range(50)]
    await asyncio.sleep(0)
    assert gate.waiting == 50
    for t in waiters:
        t.cancel()
    await asyncio.gather(*waiters, return_exceptions=True)
    assert gate.waiting == 0
    await gate.__aexit__()
    assert gate.free == 1


async def test_a_slot_handed_to_a_cancelled_waiter_is_passed_on() -> None:
    gate = Gate(1)
    await gate.__aenter__()
    first = asyncio.create_task(gate.__aenter__())
    second = asyncio.create_task(gate.__aenter__())
    await asyncio.sleep(0)
    await gate.__aexit__()      # hands the slot to `first` ...
    first.cancel()              # ... which is cancelled before it runs
    await asyncio.gather(first, return_exceptions=True)
    await asyncio.wait_for(second, 1)  # the slot went on to `second`
    assert gate.free == 0 and gate.waiting == 0
    await gate.__aexit__()
    assert gate.free == 1


async def test_acquire_nowait_never_jumps_the_queue() -> None:
    gate = Gate(1)
    assert gate.acquire_nowait() and not gate.acquire_nowait()
    waiter = asyncio.create_task(gate.__aenter__())
    await asyncio.sleep(0)
    gate.release()              # handed to the waiter, not freed
    assert not gate.acquire_nowait()
    await asyncio.wait_for(waiter, 1)
    gate.release()
    assert gate.free == 1 and gate.acquire_nowait()
