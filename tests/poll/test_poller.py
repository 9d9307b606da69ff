"""StatsPoller scheduling in virtual time, with scripted clients (no HTTP)."""

from __future__ import annotations

import asyncio
import itertools
import logging
import random
from typing import Any

import pytest

from vicidial_async import errors
from vicidial_async.poll import Poll, Source, State, StatsPoller
from vicidial_async.protocol.decode import decode
from vicidial_async.protocol.registry import REGISTRY

FUNCS = ["logged_in_agents", "campaigns_list", ("in_group_status", {"in_groups": ["SALES"]})]


def login_refused() -> errors.AuthenticationError:
    return errors.AuthenticationError("campaigns_list", "Login incorrect, please try again",
                                      ("apiuser", "***", "BAD"))


def server_down() -> errors.ConnectError:
    return errors.ConnectError("connection refused", host="dead.example")


async def run_for(poller: StatsPoller, seconds: float) -> None:
    """Run the poller for ``seconds`` virtual seconds, then cancel it."""
    with pytest.raises(TimeoutError):
        async with asyncio.timeout(seconds):
            await poller.run()


def test_healthy_sources_keep_their_cadence(vrun, scripted) -> None:
    clients = [scripted(f"s{i}", latency=0.01 + 0.05 * i) for i in range(10)]
    poller = StatsPoller([Source(c, FUNCS) for c in clients], every=2.0,
                         random=random.Random(1).random)
    vrun(run_for(poller, 200.0))
    for c in clients:
        for fn in ("logged_in_agents", "campaigns_list", "in_group_status"):
            starts = c.starts(fn)
            assert 99 <= len(starts) <= 101          # 200 s / 2 s, give or take the phase
            gaps = [b - a for a, b in itertools.pairwise(starts)]
            # Every interval within 10% of the cadence (jitter is 10% of a tick, and anchored).
            assert all(1.8 <= g <= 2.2 for g in gaps), (c.host, fn, min(gaps), max(gaps))


def test_parameters_reach_the_call(vrun, scripted) -> None:
    c = scripted("east")
    poller = StatsPoller([Source(c, FUNCS)], every=2.0)
    vrun(poller.poll_once())
    assert ("in_group_status", {"in_groups": ["SALES"]}) in [(f, p) for _, f, p in c.calls]


def test_a_slow_poll_is_never_started_twice_and_skipped_ticks_are_counted(vrun, scripted) -> None:
    slow = scripted("slow", latency={"logged_in_agents": 5.0})
    fast = scripted("fast")
    poller = StatsPoller([Source(slow, ["logged_in_agents"]), Source(fast, ["logged_in_agents"])],
                         every=2.0, spread=False, jitter=0.0)
    snaps: list[Any] = []
    poller._on_snapshot = snaps.append  # type: ignore[assignment]
    vrun(run_for(poller, 59.0))
    assert slow.max_in_flight["logged_in_agents"] == 1
    # Each poll covers 3 ticks (0, 2, 4 -> next at 6): 10 polls in 60 s, 2 ticks skipped per poll.
    assert len(slow.starts("logged_in_agents")) == 10
    reading = snaps[-1]["slow"]["logged_in_agents"]
    assert reading.skipped >= 18
    assert snaps[-1]["fast"]["logged_in_agents"].skipped == 0
    assert len(fast.starts("logged_in_agents")) == 30    # the slow one never held it back


def test_a_failing_source_backs_off_and_recovers_by_itself(vrun, scripted) -> None:
    # Down from t=20 to t=140.
    def failure(fn: str, now: float) -> BaseException | None:
        return server_down() if 20 <= now < 140 else None

    flaky = scripted("flaky", failure=failure)
    healthy = scripted("healthy")
    poller = StatsPoller([Source(flaky, ["logged_in_agents"]), Source(healthy, ["logged_in_agents"])],
                         every=2.0, jitter=0.0, spread=False, max_backoff=32.0)
    snaps: list[Any] = []
    poller._on_snapshot = snaps.append  # type: ignore[assignment]
    vrun(run_for(poller, 239.0))
    starts = flaky.starts("logged_in_agents")
    down = [t for t in starts if 20 <= t < 140]
    gaps = [round(b - a) for a, b in itertools.pairwise(down)]
    assert gaps[:5] == [2, 4, 8, 16, 32]                 # exponential backoff
    assert max(gaps) == 32                               # capped
    assert len(down) < 12                                # vs 60 polls at the normal cadence
    # Recovered: back to every 2 s within one backoff interval, and stays there.
    after = [t for t in starts if t >= 140 + 32]
    assert [round(b - a) for a, b in itertools.pairwise(after)] == [2] * (len(after) - 1)
    assert len(after) >= 30
    # The healthy source never noticed.
    assert len(healthy.starts("logged_in_agents")) == 120
    # While down the reading was failing, kept its last value, and went stale.
    during = next(s for s in snaps if s.seq == 50)["flaky"]["logged_in_agents"]  # t = 100
    assert during.state is State.FAILING
    assert isinstance(during.error, errors.ConnectError)
    assert during.stale and during.value is not None
    assert snaps[-1]["flaky"]["logged_in_agents"].state is State.OK


def test_an_authentication_error_stops_the_source_and_is_reported(vrun, scripted) -> None:
    bad = scripted("bad", failure=lambda fn, now: login_refused())
    good = scripted("good")
    poller = StatsPoller([Source(bad, FUNCS), Source(good, FUNCS)], every=2.0)
    snaps: list[Any] = []
    poller._on_snapshot = snaps.append  # type: ignore[assignment]
    vrun(run_for(poller, 100.0))
    # One login attempt per function at most (they start together), then nothing more.
    assert len(bad.calls) <= 3
    src = snaps[-1]["bad"]
    assert src.state is State.STOPPED
    assert isinstance(src.error, errors.AuthenticationError)
    assert snaps[-1].to_dict()["sources"]["bad"]["error"]["type"] == "AuthenticationError"
    assert len(good.starts("logged_in_agents")) >= 49


def test_a_stopped_source_can_be_resumed(vrun, scripted) -> None:
    state = {"refuse": True}
    bad = scripted("bad", failure=lambda fn, now: login_refused() if state["refuse"] else None)

    async def scenario() -> list[Any]:
        poller = StatsPoller([Source(bad, ["logged_in_agents"])], every=2.0)
        async with poller:
            await asyncio.sleep(20)
            stopped = poller.snapshot()["bad"].state
            state["refuse"] = False
            poller.resume("bad")
            await asyncio.sleep(20)
            return [stopped, poller.snapshot()["bad"].state]

    assert vrun(scenario()) == [State.STOPPED, State.OK]
    assert len(bad.starts("logged_in_agents")) >= 10


def test_no_logged_in_agents_is_an_empty_reading_not_a_failure(vrun, scripted) -> None:
    def nobody(fn: str, now: float) -> BaseException:
        # The error the decoder raises for the real answer (it carries the nothing_found flag).
        with pytest.raises(errors.NotLoggedInError) as err:
            decode(REGISTRY["non_agent", "logged_in_agents"], 200,
                   "ERROR: logged_in_agents NO LOGGED IN AGENTS: apiuser|\n", {})
        return err.value

    c = scripted("quiet", failure=nobody)
    snap = vrun(StatsPoller([Source(c, ["logged_in_agents"])]).poll_once())
    reading = snap["quiet"]["logged_in_agents"]
    assert reading.state is State.OK
    assert len(reading.value) == 0


def test_iterating_yields_snapshots_at_the_cadence_and_cancel_stops_everything(vrun, scripted) -> None:
    slow = scripted("slow", latency=30.0)     # calls in flight at cancel time
    fast = scripted("fast")
    poller = StatsPoller([Source(slow, FUNCS), Source(fast, FUNCS)], every=2.0)

    async def consume(out: list[Any]) -> None:
        async for snap in poller:
            out.append((asyncio.get_running_loop().time(), snap))

    async def scenario() -> list[Any]:
        out: list[Any] = []
        task = asyncio.create_task(consume(out))
        await asyncio.sleep(21)
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
        calls_at_cancel = len(fast.calls) + len(slow.calls)
        await asyncio.sleep(60)
        assert len(fast.calls) + len(slow.calls) == calls_at_cancel   # nothing polls any more
        assert not poller.running
        return out

    out = vrun(scenario())
    assert [round(t) for t, _ in out] == list(range(2, 21, 2))
    assert out[-1][1]["fast"].state is State.OK
    assert out[-1][1]["slow"].state is State.PENDING
    assert slow.cancelled == 3                       # in-flight polls were cancelled, not leaked


def test_a_slow_consumer_gets_the_newest_snapshot_and_a_count_of_missed_ones(vrun, scripted) -> None:
    c = scripted("east")

    async def scenario() -> list[tuple[int, int]]:
        got = []
        async with StatsPoller([Source(c, ["logged_in_agents"])], every=2.0) as poller:
            async for snap in poller:
                got.append((snap.seq, snap.skipped_snapshots))
                await asyncio.sleep(7.3)      # slower than the cadence
                if len(got) == 5:
                    break
        return got

    # Snapshots come at t = 2, 4, 6 ...; the consumer looks at t = 2, 9.3, 16.6, 23.9, 31.2.
    assert vrun(scenario()) == [(1, 0), (4, 2), (8, 3), (11, 2), (15, 3)]


def test_callbacks_receive_results_and_snapshots(vrun, scripted) -> None:
    c = scripted("east")
    results: list[Any] = []
    snaps: list[Any] = []

    async def on_snapshot(snap: Any) -> None:
        snaps.append(snap)

    poller = StatsPoller([Source(c, FUNCS)], every=2.0, on_result=results.append,
                         on_snapshot=on_snapshot)
    vrun(run_for(poller, 10.9))
    assert len(snaps) == 5
    assert {r.key for r in results} == {"logged_in_agents", "campaigns_list", "in_group_status"}
    assert all(r.state is State.OK for r in results)


def test_a_callback_error_stops_the_poller_and_surfaces(vrun, scripted) -> None:
    def broken(snap: Any) -> None:
        raise KeyError("display gone")

    poller = StatsPoller([Source(scripted("east"), FUNCS)], on_snapshot=broken)
    with pytest.raises(KeyError):
        vrun(poller.run())


def test_pollers_started_together_do_not_fire_in_step(vrun, scripted) -> None:
    # Fifty dashboards polling the same server, all started at t=0.
    views = [scripted("shared") for _ in range(50)]
    pollers = [StatsPoller([Source(v, ["logged_in_agents"])], every=2.0) for v in views]

    async def scenario() -> None:
        async with asyncio.timeout(2.5):
            await asyncio.gather(*(p.run() for p in pollers))

    with pytest.raises(TimeoutError):
        vrun(scenario())
    firsts = sorted(v.starts("logged_in_agents")[0] for v in views)
    # Spread over the interval: no tenth of it holds more than a quarter of the first polls.
    buckets = [sum(1 for t in firsts if k * 0.2 <= t < (k + 1) * 0.2) for k in range(11)]
    assert max(buckets) <= 12, buckets


def test_each_source_limits_its_own_concurrency(vrun, scripted) -> None:
    c = scripted("east", latency=1.0)
    funcs = [Poll("agent_status", {"agent_user": f"a{i}"}, key=f"agent {i}") for i in range(8)]
    vrun(StatsPoller([Source(c, funcs, max_concurrent=2)]).poll_once())
    assert len(c.calls) == 8
    assert c.max_concurrent == 2


def test_a_poll_timeout_is_a_failure_of_that_poll(vrun, scripted) -> None:
    c = scripted("hung", latency={"logged_in_agents": 3600.0})
    snap = vrun(StatsPoller([Source(c, ["logged_in_agents", "campaigns_list"])], timeout=5.0)
                .poll_once())
    hung = snap["hung"]["logged_in_agents"]
    assert isinstance(hung.error, errors.TimeoutError)
    assert snap["hung"]["campaigns_list"].state is State.OK


def test_memory_stays_bounded_over_a_long_run(vrun, scripted, caplog) -> None:
    import tracemalloc

    caplog.set_level(logging.CRITICAL, logger="vicidial_async.poll")  # pytest keeps log records

    def failure(fn: str, now: float) -> BaseException | None:
        return server_down() if int(now) % 7 == 0 else None

    clients = [scripted(f"s{i}", failure=failure) for i in range(3)]
    poller = StatsPoller([Source(c, FUNCS) for c in clients], every=2.0, max_backoff=4.0)
    for c in clients:
        c.calls = _Discard()   # the fake's own log would grow; the poller's must not

    async def scenario() -> list[int]:
        sizes = []
        async with poller:
            for _ in range(4):
                await asyncio.sleep(1000)
                sizes.append(tracemalloc.get_traced_memory()[0])
        return sizes

    tracemalloc.start()
    try:
        sizes = vrun(scenario())
    finally:
        tracemalloc.stop()
    # 500 cycles between samples: growth from the 2nd sample on stays under 64 KiB.
    assert sizes[-1] - sizes[1] < 64 * 1024, sizes


class _Discard(list):  # type: ignore[type-arg]
    def append(self, item: Any) -> None:
        pass

    def __len__(self) -> int:
        return 0


def test_breaking_out_of_a_bare_async_for_stops_polling(vrun, scripted) -> None:
    c = scripted("east")
    poller = StatsPoller([Source(c, ["logged_in_agents"])], every=2.0)

    async def scenario() -> None:
        async for snap in poller:
            if snap.seq == 3:
                break
        calls = len(c.calls)
        await asyncio.sleep(30)
        assert len(c.calls) == calls
        assert not poller.running

    vrun(scenario())
