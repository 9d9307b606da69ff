"""The typed Agent API methods against the stateful fake server: a working day of one agent, and the
state errors a user meets when the agent is not where the command needs it."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from vicidial_async import (
    AgentStateError,
    DNCError,
    NotLoggedInError,
    NotPausedError,
    VicidialClient,
)
from vicidial_async.testing import FakeVicidial, VirtualClock

START = 1_767_225_600.0  # 2026-01-01 00:00:00 UTC


@pytest.fixture
def clock() -> VirtualClock:
    return VirtualClock(START)


@pytest.fixture
def fake(clock: VirtualClock) -> FakeVicidial:
    return FakeVicidial(clock=clock)


@pytest.fixture
async def vd(fake: FakeVicidial) -> AsyncIterator[VicidialClient]:
    async with fake.client() as client:
        yield client


async def test_pause_dial_hangup_disposition_logout(fake: FakeVicidial, clock: VirtualClock,
                                                    vd: VicidialClient) -> None:
    s = fake.login_agent("agent001")
    a = vd.agent("agent001")
    resumed = await a.external_pause("RESUME")
    assert (resumed.value, resumed.agent_user, resumed.queued) == ("RESUME", "agent001", True)
    assert s.status == "READY"
    with pytest.raises(NotPausedError):
        await a.external_dial(phone_number="3125551212", phone_code=1, search=True, preview=False,
                              focus=False)
    await a.external_pause("PAUSE")
    assert (await a.pause_code("BREAK")).queued and s.pause_code == "BREAK"
    clock.advance(30)
    dial = await a.external_dial(phone_number="3125551212", phone_code=1, search=True, preview=False,
                                 focus=False)
    assert (dial.phone_number, dial.agent_user, dial.search, dial.preview) == (
        "3125551212", "agent001", True, False)
    assert s.status == "INCALL"
    lead = fake.leads[s.lead_id]
    clock.advance(60)
    assert (await a.external_hangup()).queued
    status = await a.external_status("SALE")
    assert (status.status, status.callback_set) == ("SALE", False)
    assert lead.status == "SALE"
    logout = await a.logout()
    assert logout.value == "LOGOUT"
    assert "agent001" not in fake.agents
    with pytest.raises(NotLoggedInError):
        await a.external_pause("PAUSE")


async def test_pause_code_needs_a_paused_agent(fake: FakeVicidial, vd: VicidialClient) -> None:
    fake.login_agent("agent001")
    fake.deliver_call("agent001")
    with pytest.raises(NotPausedError) as info:
        await vd.agent("agent001").pause_code("LUNCH")
    assert isinstance(info.value, AgentStateError) and info.value.sent


async def test_add_lead_to_the_agents_campaign_and_dnc(fake: FakeVicidial, vd: VicidialClient) -> None:
    fake.state.dnc["SYSTEM_INTERNAL"].add("3125550911")
    fake.login_agent("agent001")
    a = vd.agent("agent001")
    added = await a.external_add_lead(phone_number="3125550802", phone_code=1, first_name="Bob",
                                      last_name="Smith")
    assert (added.phone_number, added.campaign_id, added.agent_user) == (
        "3125550802", "TESTCAMP", "agent001")
    lead = fake.leads[added.lead_id]
    assert (lead.first_name, lead.list_id, lead.status) == ("Bob", added.list_id, "NEW")
    with pytest.raises(DNCError):
        await a.external_add_lead("3125550911", phone_code=1, dnc_check=True)


async def test_calls_in_queue_and_agent_free_functions(fake: FakeVicidial, vd: VicidialClient) -> None:
    fake.login_agent("agent001")
    fake.queue_call()
    fake.queue_call()
    count = await vd.agent("agent001").calls_in_queue_count()
    assert count.count == 2
    version = await vd.agents.version()
    assert version.version and version.epoch is not None
    with pytest.raises(NotLoggedInError):
        await vd.agent("nobody").calls_in_queue_count()
