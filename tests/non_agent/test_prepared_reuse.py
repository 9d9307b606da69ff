"""A repeated typed call (the poller's) is prepared once and sent the same; anything else is
prepared anew, and its checks and warnings still apply."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from vicidial_async import InvalidParameterError
from vicidial_async.endpoints._reuse import PREPARED_REUSE, PreparedReuse
from vicidial_async.protocol.lead_fields import VicidialDataWarning

sys.path.insert(0, str(Path(__file__).parent))
from _canned import client

AGENTS = "agent001|SALES1|8600051|INCALL|2001|M1128180002000002001|4|Ann Agent|AGENTS|1\n"
UPDATED = "SUCCESS: update_lead LEAD HAS BEEN UPDATED - 6666|2012|1|||\n"


@pytest.fixture
def reuse(in_context: Callable[..., Any]) -> PreparedReuse:
    """A PreparedReuse in this test's context, as the poller sets one around each poll."""
    return in_context(PREPARED_REUSE, PreparedReuse())


async def test_the_same_call_again_is_prepared_once_and_sends_the_same_form(
        reuse: PreparedReuse, prepares: list[str]) -> None:
    vd, server = client(AGENTS)
    for _ in range(3):
        agents = await vd.stats.logged_in_agents(campaigns=["SALES1"], stage="pipe", header=False)
        assert [a.user for a in agents] == ["agent001"]
    assert prepares == ["logged_in_agents"]
    assert len(server.forms) == 3
    assert server.forms[0] == server.forms[1] == server.forms[2]
    assert server.forms[0]["campaigns"] == "SALES1"


async def test_other_parameters_or_another_function_are_prepared_anew(
        reuse: PreparedReuse, prepares: list[str]) -> None:
    vd, server = client(AGENTS)
    await vd.stats.logged_in_agents(campaigns=["SALES1"], header=False)
    await vd.stats.logged_in_agents(campaigns=["SALES2"], header=False)
    await vd.stats.logged_in_agents(campaigns=["SALES2"], header=False)
    await vd.campaigns.campaigns_list(header=False)
    await vd.stats.logged_in_agents(campaigns=["SALES2"], header=False)
    assert [f["campaigns"] for f in server.forms if f["function"] == "logged_in_agents"] == [
        "SALES1", "SALES2", "SALES2", "SALES2"]
    assert prepares == ["logged_in_agents", "logged_in_agents", "campaigns_list",
                        "logged_in_agents"]


async def test_custom_fields_changed_in_place_are_sent_as_changed(reuse: PreparedReuse) -> None:
    vd, server = client(UPDATED)
    custom = {"petname": "Tom"}
    await vd.leads.update_lead(lead_id=2012, city="Chicago", custom_fields=custom)
    custom["petname"] = "Rex"
    await vd.leads.update_lead(lead_id=2012, city="Chicago", custom_fields=custom)
    assert [f["petname"] for f in server.forms] == ["Tom", "Rex"]


async def test_a_reused_call_still_gives_its_data_warnings_every_time(
        reuse: PreparedReuse, prepares: list[str]) -> None:
    vd, _ = client(UPDATED)
    for _ in range(2):
        with pytest.warns(VicidialDataWarning, match="first matched lead"):
            await vd.leads.update_lead(search_method="PHONE_NUMBER", phone_number="3125550101",
                                       records=3, city="Chicago", custom_fields={"petname": "Tom"})
    assert prepares == ["update_lead"]


async def test_a_refused_call_is_not_remembered(reuse: PreparedReuse) -> None:
    vd, server = client(AGENTS)
    for _ in range(2):
        with pytest.raises(InvalidParameterError):
            await vd.stats.logged_in_agents(campaigns=["BAD CAMPAIGN!"], header=False)
    assert server.forms == []
