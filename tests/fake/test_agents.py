"""The agent state machine behind the Agent API, and the reports computed from it."""

from __future__ import annotations

import pytest

from vicidial_async import NotLoggedInError, NotPausedError, VicidialClient
from vicidial_async.errors import AgentStateError
from vicidial_async.testing import FakeVicidial, VirtualClock

from .conftest import post


async def test_pause_resume_dial_hangup_dispo_cycle(
    fake: FakeVicidial, clock: VirtualClock, vd: VicidialClient
) -> None:
    s = fake.login_agent("agent001")
    await vd.call("external_pause", api="agent", agent_user="agent001", value="RESUME")
    assert s.status == "READY"
    with pytest.raises(NotPausedError):
        await vd.call(
            "external_dial",
            api="agent",
            agent_user="agent001",
            value="3125551212",
            phone_code=1,
            search="YES",
            preview="NO",
            focus="NO",
        )
    await vd.call("external_pause", api="agent", agent_user="agent001", value="PAUSE")
    assert s.status == "PAUSED"
    clock.advance(30)
    await vd.call(
        "external_dial",
        api="agent",
        agent_user="agent001",
        value="3125551212",
        phone_code=1,
        search="YES",
        preview="NO",
        focus="NO",
    )
    assert s.status == "INCALL" and s.callerid.startswith("M")
    lead = fake.leads[s.lead_id]
    assert (lead.phone_number, lead.list_id, lead.called_count) == ("3125551212", 998, 1)
    clock.advance(120)
    await vd.call("external_hangup", api="agent", agent_user="agent001", value="1")
    assert (s.status, s.sub_status) == ("PAUSED", "DISPO")
    clock.advance(15)
    await vd.call("external_status", api="agent", agent_user="agent001", value="SALE")
    assert (s.status, s.lead_id, lead.status) == ("READY", 0, "SALE")
    assert s.time["talk"] == 120 and s.time["dispo"] == 15 and s.time["pause"] >= 30


async def test_agent_status_and_logged_in_agents_follow_the_session(
    fake: FakeVicidial, vd: VicidialClient
) -> None:
    fake.seed(leads=[{"phone_number": "3125550101", "vendor_lead_code": "V-1"}])
    fake.login_agent("agent001", full_name="Agent One")
    fake.deliver_call("agent001", lead_id=1, inbound=True, ingroup="AGENTDIRECT")
    table = await vd.call("agent_status", agent_user="agent001", header="YES")
    row = table.dicts()[0]
    assert (row["status"], row["lead_id"], row["phone_number"], row["vendor_lead_code"]) == (
        "INCALL",
        "1",
        "3125550101",
        "V-1",
    )
    assert row["callerid"].startswith("Y")
    agents = await vd.call("logged_in_agents", show_sub_status="YES")
    assert [r[0] for r in agents.rows] == ["agent001"]
    fake.logout_agent("agent001")
    with pytest.raises(AgentStateError):
        await vd.call("agent_status", agent_user="agent001")


async def test_group_status_counts_agents_by_activity(fake: FakeVicidial, vd: VicidialClient) -> None:
    for user in ("a1", "a2", "a3", "a4"):
        fake.login_agent(user, ingroups=["SUPPORT"])
    fake.state.in_groups["SUPPORT"] = fake.state.in_groups["AGENTDIRECT"].__class__(group_id="SUPPORT")
    fake.deliver_call("a1")
    fake.deliver_call("a2")
    fake.hangup("a2")
    await vd.call("external_pause", api="agent", agent_user="a3", value="RESUME")
    fake.queue_call(ingroup="SUPPORT")
    fake.queue_call(ingroup="SUPPORT")
    ug = (await vd.call("user_group_status", user_groups=["AGENTS"], header="YES")).dicts()[0]
    assert (
        ug["agents_logged_in"],
        ug["agents_in_calls"],
        ug["agents_waiting"],
        ug["agents_paused"],
        ug["agents_in_dispo"],
        ug["calls_waiting"],
    ) == ("4", "1", "1", "1", "1", "2")
    ig = (await vd.call("in_group_status", in_groups=["SUPPORT"])).rows[0]
    assert ig[:4] == ("SUPPORT", "2", "2", "4")
    count = await vd.call("calls_in_queue_count", api="agent", agent_user="a4", value="DISPLAY")
    assert count.success[0].data == ("2",)


async def test_agent_stats_export_reports_booked_time(
    fake: FakeVicidial, clock: VirtualClock, vd: VicidialClient
) -> None:
    fake.login_agent("agent001", full_name="Agent One")
    clock.advance(60)
    fake.deliver_call("agent001")
    clock.advance(300)
    fake.dispose("agent001", "SALE")
    clock.advance(40)
    table = await vd.call(
        "agent_stats_export",
        datetime_start="2026-01-01 00:00:00",
        datetime_end="2026-01-01 23:59:59",
        time_format="S",
        header="YES",
    )
    row = table.dicts()[0]
    assert (row["user"], row["calls"], row["talk_time"], row["pause_time"], row["wait_time"]) == (
        "agent001",
        "1",
        "300",
        "60",
        "40",
    )
    assert row["login_time"] == "400"


async def test_pause_code_needs_a_paused_agent_and_logout_ends_the_session(
    fake: FakeVicidial, vd: VicidialClient
) -> None:
    s = fake.login_agent("agent001")
    await vd.call("pause_code", api="agent", agent_user="agent001", value="BREAK")
    assert s.pause_code == "BREAK"
    fake.deliver_call("agent001")
    with pytest.raises(NotPausedError):
        await vd.call("pause_code", api="agent", agent_user="agent001", value="LUNCH")
    await vd.call("logout", api="agent", agent_user="agent001", value="LOGOUT")
    assert "agent001" in fake.agents  # logs out once the call is dispositioned
    fake.dispose("agent001", "NI")
    assert "agent001" not in fake.agents
    with pytest.raises(NotLoggedInError):
        await vd.call("external_pause", api="agent", agent_user="agent001", value="PAUSE")


def test_manual_dial_queue_mode_refuses_a_number_already_queued(fake: FakeVicidial) -> None:
    fake.campaigns["TESTCAMP"].api_manual_dial = "QUEUE"
    s = fake.login_agent("agent001", status="READY")
    args = {
        "agent_user": "agent001",
        "value": "3125551212",
        "phone_code": "1",
        "search": "NO",
        "preview": "NO",
        "focus": "NO",
    }
    assert post(fake, "external_dial", api="agent", **args).startswith("SUCCESS: external_dial function set")
    assert post(fake, "external_dial", api="agent", **args) == (
        "ERROR: phone_number is already in this agents manual dial queue - agent001|3125551212\n"
    )
    assert s.manual_dial_queue == ["3125551212"] and s.status == "READY"


def test_preview_dial_then_dial_only(fake: FakeVicidial) -> None:
    fake.seed(leads=[{"phone_number": "3125550101"}])
    s = fake.login_agent("agent001")
    post(
        fake,
        "external_dial",
        api="agent",
        agent_user="agent001",
        value="3125550101",
        phone_code="1",
        search="YES",
        preview="YES",
        focus="NO",
    )
    assert (s.lead_id, s.sub_status, s.status) == (1, "PREVIEW", "PAUSED")
    assert post(fake, "preview_dial_action", api="agent", agent_user="agent001", value="DIALONLY") == (
        "SUCCESS: preview_dial_action function set - DIALONLY|agent001|DIALONLY\n"
    )
    assert s.status == "INCALL"


def test_external_add_lead_update_fields_and_callbacks(fake: FakeVicidial) -> None:
    fake.state.dnc["SYSTEM_INTERNAL"].add("3125550911")
    fake.state.dnc["TESTCAMP"] = {"3125550911"}
    fake.login_agent("agent001")
    # value sent empty: without it the server would read the last body field as the number.
    assert post(
        fake,
        "external_add_lead",
        api="agent",
        agent_user="agent001",
        phone_number="3125550911",
        phone_code="1",
        dnc_check="YES",
        campaign_dnc_check="YES",
        value="",
    ) == (
        "ERROR: add_lead PHONE NUMBER IN DNC - 3125550911|agent001\n"
        "ERROR: add_lead PHONE NUMBER IN CAMPAIGN DNC - 3125550911|TESTCAMP|agent001\n"
    )
    body = post(
        fake,
        "external_add_lead",
        api="agent",
        agent_user="agent001",
        value="3125550802",
        phone_code="1",
        first_name="Bob",
    )
    assert body == "SUCCESS: lead added - 3125550802|TESTCAMP|998|1|agent001\n"
    fake.deliver_call("agent001", lead_id=1)
    body = post(fake, "update_fields", api="agent", agent_user="agent001", city="Chicago", first_name="Ann")
    assert body == (
        "SUCCESS: update_fields lead updated - 6666|agent001|1|1|1|city,first_name|"
        'city="Chicago",first_name="Ann"|\n'
    )
    assert (fake.leads[1].city, fake.leads[1].first_name) == ("Chicago", "Ann")
    body = post(
        fake,
        "external_status",
        api="agent",
        agent_user="agent001",
        value="CALLBK",
        callback_datetime="2026-01-05 12:00:00",
        callback_type="USERONLY",
    )
    assert body == "SUCCESS: external_status function set - CALLBK!2026-01-05 12:00:00!USERONLY!!|agent001\n"
    (cb,) = fake.callbacks.values()
    assert (cb.lead_id, cb.user, cb.recipient, cb.callback_time) == (
        1,
        "agent001",
        "USERONLY",
        "2026-01-05 12:00:00",
    )
    assert fake.leads[1].status == "CBHOLD"


def test_change_ingroups_add_and_remove(fake: FakeVicidial) -> None:
    from vicidial_async.testing import InGroup

    for g in ("TESTIN", "TESTIN2"):
        fake.state.in_groups[g] = InGroup(group_id=g)
    s = fake.login_agent("agent001")
    assert (
        post(
            fake,
            "change_ingroups",
            api="agent",
            agent_user="agent001",
            value="CHANGE",
            blended="NO",
            ingroup_choices=" TESTIN -",
        )
        == "SUCCESS: change_ingroups function set - 6666|agent001| TESTIN -|NO|\n"
    )
    post(
        fake,
        "change_ingroups",
        api="agent",
        agent_user="agent001",
        value="ADD",
        blended="NO",
        ingroup_choices=" TESTIN2 -",
    )
    assert s.closer_campaigns == ["TESTIN", "TESTIN2"]
    assert (
        post(
            fake,
            "change_ingroups",
            api="agent",
            agent_user="agent001",
            value="ADD",
            blended="NO",
            ingroup_choices=" NOPE -",
        )
        == "ERROR: ingroup does not exist - agent001|NOPE| NOPE -\n"
    )


def test_alt_user_and_not_logged_in_lines(fake: FakeVicidial) -> None:
    fake.seed(users=[{"user": "agent001", "password": "pw", "custom_three": "876543"}])
    fake.login_agent("agent001")
    assert post(fake, "send_dtmf", api="agent", alt_user="876543", value="123") == (
        "SUCCESS: send_dtmf function set - 123|agent001\n"
    )
    assert post(fake, "external_pause", api="agent", alt_user="999111", value="PAUSE") == (
        "ERROR: no user found - 999111\nERROR: agent_user is not logged in - \n"
    )


def test_ra_call_control_without_a_call_id_answers_its_not_valid_line(fake: FakeVicidial) -> None:
    assert post(fake, "ra_call_control", api="agent", agent_user="6666", value="", stage="HANGUP") == (
        "ERROR: ra_call_control not valid - |6666|HANGUP\n"
    )
