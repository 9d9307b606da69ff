"""add_list, update_list, list_info, list_custom_fields."""

from __future__ import annotations

import datetime as dt
import importlib
import sys
from pathlib import Path
from typing import Any

import pytest

from vicidial_async import (
    AlreadyExistsError,
    APIError,
    FeatureDisabledError,
    InvalidParameterError,
    NotFoundError,
)
from vicidial_async.endpoints.lists import ALL_LISTS
from vicidial_async.models.lists import ListCustomFieldsRow, ListInfoRow

sys.path.insert(0, str(Path(__file__).parent))
support: Any = importlib.import_module("_leads_support")

DELIMS = {"pipe": "|", "csv": ",", "tab": "\t", None: "|"}


async def refused(coro: Any, parameter: str) -> None:
    with pytest.raises(InvalidParameterError) as info:
        await coro
    assert info.value.sent is False and info.value.parameter == parameter


# -- add_list ----------------------------------------------------------------------------------


async def test_add_list_sends_and_reads() -> None:
    vd, server = support.client("SUCCESS: add_list LIST HAS BEEN ADDED - 6666|1101|Spring Leads|TESTCAMP\n")
    res = await vd.lists.add_list(list_id=1101, list_name="Spring Leads", campaign_id="TESTCAMP",
                                  active=True, reset_time=["0900", dt.time(17, 30)],
                                  expiration_date=dt.date(2027, 1, 31), list_description="--BLANK--",
                                  web_form_address="https://crm.example.com/?id=--A--lead_id--B--")
    f = server.form
    assert (f["active"], f["reset_time"], f["expiration_date"]) == ("Y", "0900-1730", "2027-01-31")
    assert (res.list_id, res.list_name, res.campaign_id, res.user) == (1101, "Spring Leads", "TESTCAMP",
                                                                       "6666")


async def test_add_list_errors() -> None:
    vd, _ = support.client("ERROR: add_list LIST ALREADY EXISTS: |6666|1101\n")
    with pytest.raises(AlreadyExistsError):
        await vd.lists.add_list(list_id=1101, list_name="Spring Leads", campaign_id="TESTCAMP")
    vd, _ = support.client("ERROR: add_list CAMPAIGN DOES NOT EXIST: |6666|NOSUCH\n")
    with pytest.raises(NotFoundError):
        await vd.lists.add_list(list_id=1103, list_name="Spring Leads", campaign_id="NOSUCH")


@pytest.mark.parametrize(("kwargs", "parameter"), [
    ({"list_id": 1}, "list_id"),
    ({"list_name": "x"}, "list_name"),
    ({"list_name": "Leads, spring"}, "list_name"),
    ({"campaign_id": "TOOLONGCAMP"}, "campaign_id"),
    ({"reset_time": "2500"}, "reset_time"),
    ({"reset_time": ["0900", "99x"]}, "reset_time"),
    ({"xferconf_one": "x" * 60}, "xferconf_one"),
    ({"xferconf_two": "+13125550101"}, "xferconf_two"),
    ({"web_form_address": "https%3A%2F%2Fcrm.example.com"}, "web_form_address"),
    ({"web_form_address": "https://crm.example.com/#top"}, "web_form_address"),
    ({"script": "--BLANK--"}, "script"),
    ({"tz_method": "ZIP"}, "tz_method"),
])
async def test_add_list_refuses_before_sending(kwargs: dict[str, Any], parameter: str) -> None:
    vd, server = support.client("")
    kwargs = {"list_id": 1101, "list_name": "Spring Leads", "campaign_id": "TESTCAMP", **kwargs}
    await refused(vd.lists.add_list(**kwargs), parameter)
    assert server.forms == []


# -- update_list -------------------------------------------------------------------------------


async def test_update_list_settings_and_actions() -> None:
    body = ("SUCCESS: update_list LIST HAS BEEN UPDATED - 6666|1101\n"
            "NOTICE: update_list LEADS IN LIST HAVE BEEN RESET - 6666|1101|\n"
            "NOTICE: update_list LEADS IN LIST HAVE BEEN DELETED - 6666|1101|35\n")
    vd, server = support.client(body)
    res = await vd.lists.update_list(list_id=1101, list_name="Spring Leads B", active=False,
                                     reset_list=True, delete_leads=True, am_message="--BLANK--")
    assert (server.form["active"], server.form["reset_list"]) == ("N", "Y")
    assert res.updated and res.leads_reset and res.leads_deleted == 35 and res.list_id == 1101
    assert res.problems == ()


async def test_update_list_refusals_come_back_as_problems() -> None:
    body = ("NOTICE: update_list NO UPDATES DEFINED: |mgr8|\n"
            "NOTICE: update_list USER DOES NOT HAVE PERMISSION TO DELETE LISTS: |mgr8|0\n")
    vd, _ = support.client(body)
    res = await vd.lists.update_list(list_id=1101, delete_list=True)
    assert not res.updated and res.no_updates and res.list_deleted is None
    assert [p.reason for p in res.problems] == ["update_list USER DOES NOT HAVE PERMISSION TO DELETE LISTS"]


async def test_update_list_reset_limit() -> None:
    vd, _ = support.client("NOTICE: update_list NO UPDATES DEFINED: |6666|\n"
                           "NOTICE: update_list LIST RESET FAILED, daily reset limit reached: 3 / 3 - "
                           "6666|1101\n")
    res = await vd.lists.update_list(list_id=1101, reset_list=True)
    assert res.leads_reset is False and len(res.problems) == 1


async def test_update_list_custom_field_commands() -> None:
    body = ("NOTICE: update_list ADD CUSTOM FIELD COMMAND SENT - "
            "6666|101|favcolor|SELECT|SUCCESS: Field added|\n"
            "NOTICE: update_list NO UPDATES DEFINED: |6666|\n")
    vd, server = support.client(body)
    res = await vd.lists.update_list(
        list_id=101, custom_fields_add=True, field_label="favcolor", field_name="Favourite colour",
        field_size=10, field_type="SELECT", field_rank=5, field_options=["red,Red", "blue,Blue"],
        field_rerank=True)
    assert server.form["field_options"] == "red,Red\nblue,Blue"
    assert server.form["field_rerank"] == "YES"
    (cmd,) = res.custom_field_commands
    assert (cmd.action, cmd.field_label, cmd.field_type, cmd.ok) == ("add", "favcolor", "SELECT", True)
    vd, _ = support.client("NOTICE: update_list DELETE CUSTOM FIELD COMMAND SENT - "
                           "6666|101|favcolor|12|ERROR: Field not deleted|\n"
                           "NOTICE: update_list NO UPDATES DEFINED: |6666|\n")
    res = await vd.lists.update_list(list_id=101, custom_fields_delete=True, field_label="favcolor")
    (cmd,) = res.custom_field_commands
    assert (cmd.action, cmd.field_id, cmd.ok) == ("delete", "12", False)


async def test_update_list_insert_if_not_found_goes_through_add_list() -> None:
    body = ("NOTICE: update_list LIST DOES NOT EXIST, SENDING TO add_list FUNCTION: |6666|1104\n"
            "SUCCESS: add_list LIST HAS BEEN ADDED - 6666|1104|Summer Leads|TESTCAMP\n")
    vd, _ = support.client(body)
    res = await vd.lists.update_list(list_id=1104, insert_if_not_found=True,
                                     list_name="Summer Leads", campaign_id="TESTCAMP")
    assert res.added_list is not None and res.added_list.list_name == "Summer Leads"
    assert not res.updated and res.problems == ()
    vd, _ = support.client("NOTICE: update_list LIST DOES NOT EXIST, SENDING TO add_list FUNCTION: "
                           "|6666|1104\nERROR: add_list CAMPAIGN DOES NOT EXIST: |6666|NOSUCH\n")
    with pytest.raises(NotFoundError) as info:
        await vd.lists.update_list(list_id=1104, insert_if_not_found=True,
                                   list_name="Summer Leads", campaign_id="NOSUCH")
    assert info.value.function == "add_list"


async def test_update_list_errors() -> None:
    vd, _ = support.client("ERROR: update_list LIST DOES NOT EXIST: |6666|5555\n")
    with pytest.raises(NotFoundError):
        await vd.lists.update_list(list_id=5555, list_name="Nope Nope")
    vd, _ = support.client("ERROR: update_list ACTIVE MUST BE Y OR N, THIS IS AN OPTIONAL FIELD: |6666|X\n")
    with pytest.raises(APIError):
        await vd.lists.update_list(list_id=1101, active=True)


@pytest.mark.parametrize(("kwargs", "parameter"), [
    ({}, ""),
    ({"archived_lead": True}, ""),
    ({"list_name": "Short"}, "list_name"),
    ({"outbound_cid": 12}, "outbound_cid"),
    ({"outbound_cid": "--BLANK--"}, "outbound_cid"),
    ({"reset_time": "--BLANK--"}, "reset_time"),
    ({"script": ""}, "script"),
    ({"reset_time": "0900", "expiration_date": dt.date(2027, 1, 1)}, "reset_time"),
    ({"custom_fields_add": True, "field_label": "fav"}, "field_name"),
    ({"custom_fields_update": True}, "field_label"),
    ({"custom_fields_delete": True, "field_label": "fav-color"}, "field_label"),
    ({"insert_if_not_found": True, "custom_fields_copy": 101}, "insert_if_not_found"),
    ({"field_show_hide": "LAST_9"}, "field_show_hide"),
])
async def test_update_list_refuses_before_sending(kwargs: dict[str, Any], parameter: str) -> None:
    vd, server = support.client("")
    await refused(vd.lists.update_list(list_id=1101, **kwargs), parameter)
    assert server.forms == []


# -- list_info ---------------------------------------------------------------------------------

BASE = ["101", "Test List", "TESTCAMP", "Y", "2026-11-28 17:06:59", "", "2099-12-31", "0"]
NAMES = list(ListInfoRow.COLUMNS[:8])


@pytest.mark.parametrize("stage", ["pipe", "csv", "tab", None])
@pytest.mark.parametrize("header", [True, False])
@pytest.mark.parametrize(("counts", "dialable"), [(False, False), (True, False), (False, True),
                                                  (True, True)])
async def test_list_info_every_stage_and_option(stage: str | None, header: bool, counts: bool,
                                                dialable: bool) -> None:
    d = DELIMS[stage]
    names = NAMES + (["all_leads_count", "new_leads_count"] if counts else []) + (
        ["dialable_count"] if dialable else [])
    # The data row always ends with the dialable field, empty when not asked for.
    values = BASE + (["35", "28"] if counts else []) + (["29"] if dialable else [""])
    body = (d.join(names) + "\n" if header else "") + d.join(values) + "\n"
    vd, server = support.client(body)
    res = await vd.lists.list_info(list_id=101, leads_counts=counts, dialable_count=dialable,
                                   stage=stage, header=header)  # type: ignore[arg-type]
    assert server.form["leads_counts"] == ("Y" if counts else "N")
    (row,) = res
    assert (row.list_id, row.list_name, row.campaign_id, row.active) == (101, "Test List", "TESTCAMP",
                                                                         True)
    assert row.list_changedate == dt.datetime(2026, 11, 28, 17, 6, 59) and row.list_lastcalldate is None
    assert row.expiration_date == dt.date(2099, 12, 31) and row.resets_today == 0
    assert (row.all_leads_count, row.new_leads_count) == ((35, 28) if counts else (None, None))
    assert row.dialable_count == (29 if dialable else None)


async def test_list_info_errors() -> None:
    vd, _ = support.client("ERROR: list_info LIST DOES NOT EXIST: |6666|5555\n")
    with pytest.raises(NotFoundError):
        await vd.lists.list_info(list_id=5555)


# -- list_custom_fields ------------------------------------------------------------------------


@pytest.mark.parametrize("stage", ["pipe", "csv", "tab", None])
@pytest.mark.parametrize("header", [True, False])
async def test_list_custom_fields_every_stage(stage: str | None, header: bool) -> None:
    d = DELIMS[stage]
    rows = [["101", "Test List", "TESTCAMP", "Y", "", "", "favcolor petname notes_cf"],
            ["102", "Second Test List", "TESTCMP2", "N", "2026-11-28 17:06:59", "", ""]]
    body = (d.join(ListCustomFieldsRow.COLUMNS) + "\n" if header else "") + "".join(
        d.join(r) + "\n" for r in rows)
    vd, server = support.client(body)
    res = await vd.lists.list_custom_fields(list_id=ALL_LISTS, stage=stage,  # type: ignore[arg-type]
                                            header=header, custom_order="alpha_up")
    assert server.form["list_id"] == "---ALL---"
    assert [(r.list_id, r.active, r.custom_fields) for r in res] == [
        (101, True, ("favcolor", "petname", "notes_cf")), (102, False, ())]
    assert res[1].list_changedate == dt.datetime(2026, 11, 28, 17, 6, 59)


async def test_list_custom_fields_disabled() -> None:
    vd, _ = support.client("ERROR: CUSTOM LIST FIELDS ARE NOT ENABLED ON THIS SYSTEM: "
                           "|6666|list_custom_fields|\n")
    with pytest.raises(FeatureDisabledError):
        await vd.lists.list_custom_fields(list_id=101)
