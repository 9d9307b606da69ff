"""The poller driving real VicidialClients against a tiny in-process ASGI VICIdial (virtual time)."""

from __future__ import annotations

import asyncio
import itertools
import json
import logging
from typing import Any

import pytest

from vicidial_async import RetryPolicy, errors
from vicidial_async.poll import Poll, Source, State, StatsPoller
from vicidial_async.poll.summary import summarize

FUNCS = ["logged_in_agents", "campaigns_list",
         Poll("in_group_status", {"in_groups": ["SALESIN"]}, key="in_group_status:SALESIN")]


async def run_for(poller: StatsPoller, seconds: float) -> None:
    with pytest.raises(TimeoutError):
        async with asyncio.timeout(seconds):
            await poller.run()


def test_readings_hold_decoded_answers_and_summarize_to_wallboard_figures(vrun, tiny) -> None:
    app_cls, make = tiny
    app = app_cls()

    async def scenario() -> Any:
        async with make(app) as client:
            return await StatsPoller([Source(client, FUNCS, name="east")]).poll_once()

    snap = vrun(scenario())
    east = snap["east"]
    assert east.state is State.OK
    s = summarize(east)
    assert s.agents == 4
    assert s.agents_by_state == {"READY": 2, "PAUSED": 1, "INCALL": 1}
    assert s.calls_waiting == 4
    assert [(ig.in_group, ig.calls_waiting, ig.total_calls) for ig in s.in_groups] == [("SALESIN", 4, 7)]
    assert [(c.campaign_id, c.active, c.agents) for c in s.campaigns] == [
        ("SALES1", True, 3), ("TESTCAMP", True, 1), ("OLDCAMP", False, 0)]


def test_a_refused_login_stops_the_source_after_one_try_and_never_shows_the_password(
        vrun, tiny, caplog) -> None:
    caplog.set_level(logging.DEBUG)
    app_cls, make = tiny
    app = app_cls(password="theRealOne9")
    good_app = app_cls()

    async def scenario() -> Any:
        async with make(app, host="east.test", password="wrongPass77") as bad, \
                make(good_app, host="west.test") as good:
            snaps: list[Any] = []
            poller = StatsPoller([Source(bad, ["logged_in_agents"]), Source(good, FUNCS)],
                                 every=2.0, on_snapshot=snaps.append)
            await run_for(poller, 120.0)
            return snaps

    snaps = vrun(scenario())
    assert app.functions == ["logged_in_agents"]          # one login attempt, then silence
    last = snaps[-1]
    assert last["east.test"].state is State.STOPPED
    assert isinstance(last["east.test"].error, errors.AuthenticationError)
    assert last["west.test"].state is State.OK
    assert len(good_app.functions) >= 150                  # 3 functions x ~60 ticks
    line = json.dumps(last.to_dict(), default=str)
    assert "wrongPass77" not in line and "theRealOne9" not in line
    assert "AuthenticationError" in line
    assert "wrongPass77" not in caplog.text


def test_an_http_500_server_backs_off_then_resumes(vrun, tiny) -> None:
    app_cls, make = tiny
    app = app_cls()

    async def scenario() -> tuple[list[float], Any, Any]:
        times: list[float] = []
        async with make(app, retry=RetryPolicy.disabled()) as client:
            snaps: list[Any] = []

            def on_result(r: Any) -> None:
                times.append(asyncio.get_running_loop().time())

            poller = StatsPoller([Source(client, ["logged_in_agents"], name="east")], every=2.0,
                                 jitter=0.0, spread=False, on_snapshot=snaps.append,
                                 on_result=on_result)
            async with poller:
                await asyncio.sleep(9)
                app.http_status = 500
                await asyncio.sleep(60)
                failing = poller.snapshot()["east"]
                app.http_status = 200
                await asyncio.sleep(80)
                return times, failing, poller.snapshot()["east"]

    times, failing, recovered = vrun(scenario())
    assert failing.state is State.FAILING
    assert isinstance(failing.error, errors.HTTPStatusError)
    outage = [t for t in times if 9 < t <= 69]
    assert len(outage) <= 7                                  # 2, 4, 8, 16, 32 s apart
    assert recovered.state is State.OK
    tail = [t for t in times if t > 69 + 64]
    assert len(tail) >= 7 and all(round(b - a) == 2 for a, b in itertools.pairwise(tail))


def test_typed_methods_are_used_and_an_empty_floor_reads_as_zero_agents(vrun, tiny) -> None:
    from vicidial_async.models.stats import LoggedInAgentRow

    app_cls, make = tiny
    busy, quiet = app_cls(), app_cls()
    quiet.answers["logged_in_agents"] = "ERROR: logged_in_agents NO LOGGED IN AGENTS: apiuser|\n"

    async def scenario() -> Any:
        async with make(busy, host="busy.test") as b, make(quiet, host="quiet.test") as q:
            return await StatsPoller([Source(b, ["logged_in_agents"]),
                                      Source(q, ["logged_in_agents"])]).poll_once()

    snap = vrun(scenario())
    rows = list(snap["busy.test"]["logged_in_agents"].value)
    assert all(isinstance(r, LoggedInAgentRow) for r in rows) and len(rows) == 4
    empty = snap["quiet.test"]["logged_in_agents"]
    assert empty.state is State.OK and len(empty.value) == 0
    assert summarize(snap["quiet.test"]).agents == 0


def test_a_new_answer_changes_only_the_rows_that_changed_and_old_snapshots_keep_theirs(
        vrun, tiny) -> None:
    app_cls, make = tiny
    app = app_cls()

    async def scenario() -> Any:
        async with make(app) as client:
            poller = StatsPoller([Source(client, ["logged_in_agents"], name="east")])
            first = await poller.poll_once()
            app.answers["logged_in_agents"] = app.answers["logged_in_agents"].replace(
                "agent003|SALES1|8600053|READY|", "agent003|SALES1|8600053|INCALL|")
            second = await poller.poll_once()
            return first, second, await client.stats.logged_in_agents()

    first, second, fresh = vrun(scenario())
    before, after = first["east"].value("logged_in_agents"), second["east"].value("logged_in_agents")
    assert [a.status for a in before] == ["PAUSED", "INCALL", "READY", "READY"]
    assert [a.status for a in after] == ["PAUSED", "INCALL", "INCALL", "READY"]
    assert list(after) == list(fresh)                       # what a call outside the poller reads
    # Unchanged rows are carried over from the last answer rather than built again.
    assert [a is b for a, b in zip(before, after, strict=True)] == [True, True, False, True]


def test_each_polled_function_is_prepared_once_and_asked_the_same_every_poll(
        vrun, tiny, prepares: list[str]) -> None:
    app_cls, make = tiny
    app = app_cls()

    async def scenario() -> Any:
        async with make(app) as client:
            poller = StatsPoller([Source(client, FUNCS, name="east")])
            snaps = [await poller.poll_once() for _ in range(3)]
            # Outside the poller, every call is prepared.
            await client.stats.in_group_status(in_groups=["SALESIN"])
            await client.stats.in_group_status(in_groups=["OTHERIN"])
            return snaps

    snaps = vrun(scenario())
    assert sorted(prepares) == ["campaigns_list", "in_group_status", "in_group_status",
                                "in_group_status", "logged_in_agents"]
    assert sorted(app.functions) == sorted(["logged_in_agents", "campaigns_list",
                                            "in_group_status"] * 3 + ["in_group_status"] * 2)
    for snap in snaps:
        assert summarize(snap["east"]).agents == 4
        assert snap["east"]["in_group_status:SALESIN"].error is None
