"""Login, lock-out and permission rules of both APIs."""

from __future__ import annotations

import pytest

from vicidial_async import AccountLockedError, AuthenticationError, PermissionDeniedError, VicidialClient
from vicidial_async.testing import FakeVicidial, VirtualClock

from .conftest import post


def test_ten_failures_lock_the_account_for_fifteen_minutes(fake: FakeVicidial, clock: VirtualClock) -> None:
    for _ in range(10):
        assert post(fake, "version_check", **{"pass": "wrong1"}).startswith("ERROR: Login incorrect")
    locked = "ERROR: Too many login attempts, try again in 15 minutes: |6666|LOCK|\n"
    assert post(fake, "campaigns_list") == locked  # even the right password
    clock.advance(14 * 60)
    assert post(fake, "campaigns_list") == locked
    clock.advance(15 * 60 + 1)
    assert post(fake, "campaigns_list").startswith("TESTCAMP|Test Campaign|")
    assert fake.users["6666"].failed_login_count == 0


def test_agent_api_lock_and_bad_login_lines(fake: FakeVicidial, clock: VirtualClock) -> None:
    body = post(fake, "external_pause", api="agent", agent_user="a1", value="PAUSE", **{"pass": "bad"})
    since = int(clock()) - 900
    assert body == (
        "ERROR: Invalid Username/Password: |6666|bad|0|1|BAD|0|api|SELECT count(*) from "
        "vicidial_users where user='6666' and pass='bad' and user_level > 0 and active='Y' and "
        f"( (failed_login_count < 10) or (UNIX_TIMESTAMP(last_login_date) < {since}) );|\n"
    )
    fake.users["6666"].failed_login_count = 10
    fake.users["6666"].last_login_epoch = clock()
    assert post(fake, "external_pause", api="agent", agent_user="a1", value="PAUSE") == (
        "ERROR: Invalid Username/Password: |6666|1234|0|1|LOCK|\n"
    )


async def test_client_maps_login_errors(fake: FakeVicidial) -> None:
    async with fake.client(password="wrong") as vd:
        with pytest.raises(AuthenticationError):
            await vd.call("campaigns_list")
    fake.users["6666"].failed_login_count = 10
    fake.users["6666"].last_login_epoch = fake.clock()
    async with fake.client() as vd:
        with pytest.raises(AccountLockedError):
            await vd.call("campaigns_list")


def test_user_level_and_flags_are_enforced(fake: FakeVicidial) -> None:
    fake.seed(
        users=[
            {"user": "lvl7", "password": "pw7", "user_level": 7},
            {"user": "noleads", "password": "pw8", "user_level": 8, "modify_leads": 0},
            {"user": "inactive", "password": "pw9", "user_level": 9, "active": "N"},
        ]
    )
    assert post(fake, "add_lead", user="lvl7", phone_number="3125550101", list_id=101, **{"pass": "pw7"}) == (
        "ERROR: add_lead USER DOES NOT HAVE PERMISSION TO ADD LEADS TO THE SYSTEM: |lvl7|0|\n"
    )
    assert post(fake, "update_lead", user="noleads", lead_id=1, comments="x", **{"pass": "pw8"}) == (
        "ERROR: update_lead USER DOES NOT HAVE PERMISSION TO UPDATE LEADS IN THE SYSTEM: |noleads|0|\n"
    )
    assert post(fake, "campaigns_list", user="inactive", **{"pass": "pw9"}) == (
        "ERROR: Login incorrect, please try again: |inactive|pw9|BAD|\n"
    )
    # Level 7 may read reports.
    assert (
        post(fake, "user_details", user="lvl7", agent_user="6666", **{"pass": "pw7"})
        == "6666|Admin|ADMIN|9|Y\n"
    )


async def test_api_allowed_functions_limits_each_function(fake: FakeVicidial) -> None:
    fake.seed(
        users=[
            {
                "user": "limited",
                "password": "pw1",
                "user_level": 9,
                "api_allowed_functions": ["add_lead", "version"],
            }
        ]
    )
    async with fake.client(user="limited", password="pw1") as vd:
        added = await vd.leads.add_lead(phone_number="3125550101", list_id=101)
        assert added.lead_id in fake.leads
        with pytest.raises(PermissionDeniedError):
            await vd.call("update_lead", lead_id=added.lead_id, comments="x")
    assert post(fake, "lead_search", user="limited", phone_number="3125550101", **{"pass": "pw1"}) == (
        "ERROR: auth USER DOES NOT HAVE PERMISSION TO USE THIS FUNCTION: |limited|lead_search|\n"
    )


async def test_api_list_restrict_limits_lists_to_allowed_campaigns(fake: FakeVicidial) -> None:
    fake.seed(
        campaigns=[{"campaign_id": "OTHER"}],
        lists=[{"list_id": 201, "campaign_id": "OTHER"}],
        users=[
            {
                "user": "restricted",
                "password": "pw1",
                "user_level": 9,
                "api_list_restrict": True,
                "user_group": "TEAM",
            }
        ],
    )
    fake.state.user_groups["TEAM"].allowed_campaigns = ("OTHER",)
    async with fake.client(user="restricted", password="pw1") as vd:
        await vd.leads.add_lead(phone_number="3125550101", list_id=201)
        with pytest.raises(PermissionDeniedError):
            await vd.leads.add_lead(phone_number="3125550102", list_id=101)
    assert [x.list_id for x in fake.leads.values()] == [201]


def test_invalid_source_and_unknown_function(fake: FakeVicidial) -> None:
    assert post(fake, "add_lead", source="x") == "ERROR: Invalid Source - x\nERROR: Invalid Source: |x|\n"
    assert post(fake, "nosuchfunction") == "ERROR: NO FUNCTION SPECIFIED\n"
    assert post(fake, "nosuchfunction", api="agent") == ""
    assert post(fake, "external_pause", api="agent", source="x") == "ERROR: Invalid Source - x\n"


async def test_client_defaults_and_overrides(fake: FakeVicidial) -> None:
    async with fake.client() as vd:
        assert (vd.url, vd.user, vd.rate_limit) == ("http://localhost", "6666", None)
    fake.seed(users=[{"user": "other", "password": "pw2", "user_level": 9}])
    async with fake.client(user="other", password="pw2", source="bench") as vd2:
        assert isinstance(vd2, VicidialClient)
        added = await vd2.leads.add_lead(phone_number="3125550101", list_id=101)
        assert fake.leads[added.lead_id].user == "other"
