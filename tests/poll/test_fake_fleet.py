"""Fifty fake VICIdial servers in-process, mixed latencies and failures, polled in virtual time.

Each server is a ``FakeVicidial`` with its own client (and so its own limiter). The poller runs for
120 virtual seconds at a 2 s cadence; every check counts polls or measures the virtual intervals
between them, so nothing depends on how fast this machine is.
"""

from __future__ import annotations

import asyncio
import itertools
import random
from collections import defaultdict
from typing import Any

import pytest

from vicidial_async import RateLimit, errors
from vicidial_async.poll import Source, State, StatsPoller

testing = pytest.importorskip("vicidial_async.testing")

EVERY = 2.0
RUN = 120.0
OUTAGE = (10.0, 50.0)            # the flaky servers answer HTTP 500 in this window
FUNCS = ["logged_in_agents", "campaigns_list", ("in_group_status", {"in_groups": ["AGENTDIRECT"]})]

HEALTHY = range(0, 40)           # latency 10 ms .. 1.5 s, all below the cadence
FLAKY = range(40, 45)            # down during OUTAGE, then fine again
DEAD = range(45, 47)             # HTTP 500 throughout
SLOW = range(47, 49)             # 5 s per answer: longer than the cadence
LOCKED_OUT = 49                  # wrong password


def build_fleet() -> tuple[list[Any], list[Any]]:
    fakes, clients = [], []
    for i in range(50):
        fake = testing.FakeVicidial(fault_seed=i)
        fake.login_agent("agent001")
        if i in HEALTHY:
            fake.faults.set("*", latency={"dist": "uniform", "low": 0.01, "high": 0.05 + 1.45 * i / 40})
        elif i in DEAD:
            fake.faults.set("*", http_status=500)
        elif i in SLOW:
            fake.faults.set("*", latency=5.0)
        fakes.append(fake)
        password = "wrongPass99" if i == LOCKED_OUT else "1234"
        clients.append(fake.client(url=f"http://server{i}.localhost", password=password,
                                   rate_limit=RateLimit(per_second=5, burst=5)))
    return fakes, clients


async def _scenario() -> tuple[list[Any], dict[tuple[str, str], list[float]], Any]:
    fakes, clients = build_fleet()
    loop = asyncio.get_running_loop()
    times: dict[tuple[str, str], list[float]] = defaultdict(list)

    def on_result(r: Any) -> None:
        # When the poll started (its tick): completion time minus the poll's own duration.
        times[r.source, r.key].append(loop.time() - r.latency)

    # A seeded phase and jitter: every run polls on the same virtual schedule, so a failure repeats.
    poller = StatsPoller([Source(c, FUNCS, name=f"server{i}") for i, c in enumerate(clients)],
                         every=EVERY, on_result=on_result, random=random.Random(7).random)
    try:
        async with poller:
            await asyncio.sleep(OUTAGE[0])
            for i in FLAKY:
                fakes[i].faults.set("*", http_status=500)
            await asyncio.sleep(OUTAGE[1] - OUTAGE[0])
            for i in FLAKY:
                fakes[i].faults.clear()
            await asyncio.sleep(RUN - OUTAGE[1])
            final = poller.snapshot()
    finally:
        for c in clients:
            await c.aclose()
    return fakes, times, final


@pytest.fixture(scope="module")
def fleet(vrun: Any) -> tuple[list[Any], dict[tuple[str, str], list[float]], Any]:
    return vrun(_scenario())


def keys(i: int) -> list[tuple[str, str]]:
    return [(f"server{i}", k) for k in ("logged_in_agents", "campaigns_list",
                                         "in_group_status")]


def gaps(ts: list[float]) -> list[float]:
    return [b - a for a, b in itertools.pairwise(ts)]


def test_healthy_servers_keep_their_cadence_within_10_percent(fleet: Any) -> None:
    _, times, final = fleet
    for i in HEALTHY:
        assert final[f"server{i}"].state is State.OK
        for key in keys(i):
            ts = times[key]
            # 120 s / 2 s = 60; the first tick of all but one function waits for the one login
            # that verifies the credentials (up to 1.5 s here), which can cost a tick or two.
            assert 58 <= len(ts) <= 61, (key, len(ts))
            # Every interval between two polls within 10% of the cadence.
            assert all(EVERY * 0.9 <= g <= EVERY * 1.1 for g in gaps(ts[1:])), (key, gaps(ts))


def test_failing_servers_back_off_and_recovered_ones_resume(fleet: Any) -> None:
    _, times, final = fleet
    for i in FLAKY:
        for key in keys(i):
            ts = times[key]
            during = [t for t in ts if OUTAGE[0] + 1 < t < OUTAGE[1]]
            assert len(during) <= 6, (key, during)              # 2, 4, 8, 16 s apart, not 20 polls
            assert max(gaps(during)) >= 8
            after = [t for t in ts if t > OUTAGE[1] + 32 + EVERY]
            assert len(after) >= 15                              # back to the 2 s cadence
            assert all(EVERY * 0.9 <= g <= EVERY * 1.1 for g in gaps(after))
        assert final[f"server{i}"].state is State.OK
    for i in DEAD:
        src = final[f"server{i}"]
        assert src.state is State.FAILING
        assert isinstance(src.error, errors.HTTPStatusError)
        assert all(len(times[k]) <= 10 for k in keys(i))        # vs 60 at the normal cadence


def test_slow_servers_are_never_polled_twice_at_once(fleet: Any) -> None:
    _, times, final = fleet
    for i in SLOW:
        for key in keys(i):
            reading = final[key[0]][key[1]]
            assert reading.skipped >= 30                          # 2 of every 3 ticks skipped
            assert 17 <= reading.polls <= 21                      # one poll per 6 s
            assert min(gaps(times[key])) >= 5.0                  # never two at once


def test_a_refused_login_stops_only_that_server(fleet: Any) -> None:
    fakes, _, final = fleet
    src = final[f"server{LOCKED_OUT}"]
    assert src.state is State.STOPPED
    assert isinstance(src.error, errors.AuthenticationError)
    assert fakes[LOCKED_OUT].requests <= 3                        # one login per function, at most
    assert "wrongPass99" not in str(final.to_dict())
