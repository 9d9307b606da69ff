"""blind_monitor, recording_lookup and did_log_export against the answers of a real server: raw form
posts to a fake holding the same recordings, DID log and conference, compared byte for byte."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlencode

import pytest

from vicidial_async.testing import FakeVicidial, Phone, VirtualClock

from ..conftest import load_real_answers

FUNCTIONS = ("blind_monitor", "recording_lookup", "did_log_export")
# The real server's vicidial_manager counter: it numbers the monitor call, and is not modelled.
_MAN_ID = re.compile(r"^(SUCCESS: blind_monitor HAS BEEN LAUNCHED - (?:[^|]*\|){4})\d+")


def recorded_like_fake() -> FakeVicidial:
    """A fake holding what the server the answers were recorded on held for these functions."""
    fake = FakeVicidial(clock=VirtualClock(1_795_886_931.0))
    st = fake.state
    fake.seed(
        leads=[{"lead_id": 2010, "phone_number": "3125550101"}],
        agents=[{"user": "agent001", "server_ip": "127.0.0.1", "session_id": "8600051"}],
    )
    st.phones["mgr201", "127.0.0.1"] = Phone(
        extension="mgr201", server_ip="127.0.0.1", login="mgr201", dialplan_number="mgr201"
    )
    st.call_log.append({"uniqueid": "1795880001.1", "lead_id": 2010, "callerid": "V1128152829000002010"})
    for uniqueid, when, length, name in (
        ("1795880001.1", "2026-11-28 15:28:29", 120, "SEED_2010_out"),
        ("1795883601.1", "2026-11-28 16:28:29", 95, "SEED_2010_in"),
    ):
        st.add_recording(
            user="agent001",
            lead_id=2010,
            extension="8600051",
            server_ip="127.0.0.1",
            filename=name,
            uniqueid=uniqueid,
            start_epoch=st.parse(when),
            length_in_sec=length,
        )
    st.recording_log[0]["recording_id"], st.recording_log[1]["recording_id"] = 23, 24
    st.log_did_call("3125550100", "3125550101", epoch=st.parse("2026-11-28 16:28:24"), length_in_sec=100)
    st.log_did_call("3125550100", "4155550105", epoch=st.parse("2026-11-28 16:28:27"), length_in_sec=42)
    return fake


def _cases() -> list[Any]:
    return [
        pytest.param(d, id=f"{d['function']}-{d['case']}")
        for d in load_real_answers()
        if d["function"] in FUNCTIONS and d["params"].get("user") == "6666"
    ]


@pytest.mark.parametrize("recorded", _cases())
def test_the_fake_answers_as_the_real_server_did(recorded: dict[str, Any]) -> None:
    params = {**recorded["params"], "pass": "1234"}
    reply = recorded_like_fake().handle(recorded["api"], "", urlencode(params))
    assert reply.status == recorded["http_status"]
    assert _MAN_ID.sub(r"\1N", reply.body) == _MAN_ID.sub(r"\1N", recorded["body"])


def test_every_replayed_function_has_success_and_error_cases() -> None:
    cases = [p.values[0] for p in _cases()]
    for function in FUNCTIONS:
        kinds = {d["case"].split("_")[0] for d in cases if d["function"] == function}
        assert {"invalid"} < kinds, function


async def test_recordings_made_through_the_agent_api_are_found_with_their_length() -> None:
    clock = VirtualClock(1_795_886_931.0)
    fake = FakeVicidial(clock=clock)
    fake.login_agent("agent001")
    session = fake.deliver_call("agent001", phone_number="3125550177")
    async with fake.client() as vd:
        agent = vd.agent("agent001")
        await agent.recording("START")
        clock.advance(42)
        await agent.recording("STOP")
        (row,) = await vd.recordings.recording_lookup(lead_id=session.lead_id, duration=True)
    assert (row.user, row.lead_id, row.duration) == ("agent001", session.lead_id, 42)
    assert row.location.endswith(f"/{session.session_id}_{row.recording_id}-all.mp3")


async def test_blind_monitor_launches_a_call_into_a_live_agents_conference() -> None:
    fake = recorded_like_fake()
    async with fake.client() as vd:
        launched = await vd.system.blind_monitor(
            phone_login="mgr201", session_id="8600051", server_ip="127.0.0.1", stage="BARGE"
        )
    assert (launched.monitor_dialstring, launched.dialplan_number) == ("127*000*000*001*8600051", "mgr201")
    (monitor,) = fake.state.monitors
    assert (monitor["man_id"], monitor["stage"]) == (launched.man_id, "BARGE")


async def test_did_log_export_reads_the_calls_of_one_day_on_the_did() -> None:
    import datetime as dt

    fake = recorded_like_fake()
    fake.state.log_did_call("3125550100", "7735550199", epoch=fake.state.parse("2026-11-29 09:00:00"))
    async with fake.client() as vd:
        rows = await vd.dids.did_log_export(phone_number="3125550100", date=dt.date(2026, 11, 28))
    assert [(r.caller_id_number, r.length_in_sec) for r in rows] == [("3125550101", 100), ("4155550105", 42)]
