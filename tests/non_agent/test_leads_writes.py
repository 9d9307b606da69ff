"""add_lead, update_lead, batch_update_lead, lead_dearchive, update_log_entry: what is sent, what is
refused before sending, and how the answers read."""

from __future__ import annotations

import datetime as dt
import importlib
import sys
import warnings
from pathlib import Path
from typing import Any

import pytest

from vicidial_async import (
    AlreadyExistsError,
    DuplicateError,
    InvalidParameterError,
    NotFoundError,
    OutcomeUnknownError,
)
from vicidial_async.endpoints.leads import BLANK
from vicidial_async.protocol.lead_fields import VicidialDataWarning

sys.path.insert(0, str(Path(__file__).parent))
support: Any = importlib.import_module("_leads_support")

ADDED = "SUCCESS: add_lead LEAD HAS BEEN ADDED - 3125551212|101|2001|-5.00|6666\n"


async def refused(coro: Any, parameter: str) -> InvalidParameterError:
    with pytest.raises(InvalidParameterError) as info:
        await coro
    assert info.value.sent is False
    assert info.value.parameter == parameter
    return info.value


# -- add_lead ----------------------------------------------------------------------------------


async def test_add_lead_sends_typed_values_and_reads_the_lead() -> None:
    vd, server = support.client(ADDED)
    lead = await vd.leads.add_lead(
        phone_number="3125551212", list_id=101, first_name="Ann", add_to_hopper=True,
        duplicate_check=["DUPLIST", "DUPSYS90DAY"], date_of_birth=dt.date(1980, 1, 2),
        callback=True, campaign_id="TESTCAMP", callback_datetime=dt.datetime(2026, 11, 29, 10, 0),
        multi_alt_phones=[("3125550193", "1", "cell"), "3125550194"], hopper_priority=-5)
    sent = server.form
    assert sent["function"] == "add_lead" and sent["add_to_hopper"] == "Y"
    assert sent["duplicate_check"] == "DUPLIST-DUPSYS90DAY"
    assert sent["date_of_birth"] == "1980-01-02"
    assert sent["callback_datetime"] == "2026-11-29 10:00:00"
    assert sent["multi_alt_phones"] == "3125550193_1_cell!3125550194"
    assert sent["hopper_priority"] == "-5"
    assert (lead.lead_id, lead.list_id, lead.phone_number, lead.gmt_offset, lead.user) == (
        2001, 101, "3125551212", -5.0, "6666")
    assert lead.raw == ADDED


async def test_add_lead_notices_become_typed_outcomes() -> None:
    body = (ADDED
            + "3125550193|1|cellNOTICE: add_lead MULTI-ALT-PHONE NUMBERS LOADED - 1|2001|6666\n"
            + "NOTICE: add_lead CUSTOM FIELDS VALUES ADDED - 3125551212|2001|101|1\n"
            + "NOTICE: add_lead ADDED TO HOPPER - 3125551212|2001|75|6666\n"
            + "NOTICE: add_lead SCHEDULED CALLBACK ADDED - "
              "2001|TESTCAMP|2026-11-29 10:00:00|ANYONE||CALLBK\n")
    vd, _ = support.client(body)
    lead = await vd.leads.add_lead(phone_number="3125551212", list_id=101)
    assert lead.alt_phones_loaded == 1
    assert lead.custom_fields is not None and lead.custom_fields.added
    assert lead.hopper is not None and lead.hopper.added and lead.hopper.hopper_id == 75
    cb = lead.callback
    assert cb is not None and cb.added and cb.callback_datetime == dt.datetime(2026, 11, 29, 10)
    assert (cb.campaign_id, cb.callback_type, cb.callback_status) == ("TESTCAMP", "ANYONE", "CALLBK")
    assert len(lead.notices) == 4


@pytest.mark.parametrize(("notice", "field", "reason"), [
    ("NOTICE: add_lead NOT ADDED TO HOPPER, OUTSIDE OF LOCAL TIME - 3125551212|2001|-5.00|0|6666",
     "hopper", "NOT ADDED TO HOPPER, OUTSIDE OF LOCAL TIME"),
    ("NOTICE: add_lead CUSTOM FIELDS NOT ADDED, CUSTOM FIELDS DISABLED - 3125551212|2001|Y|0",
     "custom_fields", "CUSTOM FIELDS NOT ADDED, CUSTOM FIELDS DISABLED"),
    ("NOTICE: add_lead SCHEDULED CALLBACK NOT ADDED, CAMPAIGN NOT VALID - 2001|NOSUCH",
     "callback", "SCHEDULED CALLBACK NOT ADDED, CAMPAIGN NOT VALID"),
])
async def test_add_lead_refused_options_say_why(notice: str, field: str, reason: str) -> None:
    vd, _ = support.client(ADDED + notice + "\n")
    outcome = getattr(await vd.leads.add_lead(phone_number="3125551212", list_id=101), field)
    assert outcome.added is False and outcome.reason == reason


async def test_add_lead_nanpa_notice_before_success() -> None:
    body = "NOTICE: add_lead NANPA options disabled, NANPA prefix data not loaded - 0|6666\n" + ADDED
    vd, _ = support.client(body)
    lead = await vd.leads.add_lead(phone_number="3125551212", list_id=101)
    assert lead.nanpa_disabled and lead.lead_id == 2001


@pytest.mark.parametrize(("line", "lead_id", "list_id", "dup_type"), [
    ("DUPLICATE PHONE NUMBER IN LIST - 3125550101|101|2010", 2010, 101, None),
    ("DUPLICATE PHONE NUMBER IN LIST - 3125550101|101|2010|ALT", 2010, 101, "ALT"),
    ("DUPLICATE PHONE NUMBER IN CAMPAIGN LISTS - 3125550101|101|2010|102", 2010, 102, None),
    ("DUPLICATE PHONE NUMBER IN SYSTEM - 7735550199|101|2011|103|ALT", 2011, 103, "ALT"),
    ("DUPLICATE TITLE ALT_PHONE IN LIST - Ms|3125550798|101|900266", 900266, 101, None),
    ("DUPLICATE TITLE ALT_PHONE IN CAMPAIGN LISTS - Ms|3125550798|101|900266|102", 900266, 102, None),
    ("DUPLICATE TITLE ALT_PHONE IN SYSTEM - Ms|3125550798|101|900266|104", 900266, 104, None),
    ("DUPLICATE NAME PHONE IN LIST - Ann|Lee|3125550101|101|2010", 2010, 101, None),
    ("DUPLICATE NAME PHONE IN CAMPAIGN LISTS - Ann|Lee|3125550101|101|2010|102", 2010, 102, None),
    ("DUPLICATE NAME PHONE IN SYSTEM - Ann|Lee|3125550101|101|2010|105", 2010, 105, None),
])
async def test_add_lead_every_duplicate_family_names_the_existing_lead(
        line: str, lead_id: int, list_id: int, dup_type: str | None) -> None:
    vd, _ = support.client(f"ERROR: add_lead {line}\n")
    with pytest.raises(DuplicateError) as info:
        await vd.leads.add_lead(phone_number="3125550101", list_id=101, duplicate_check="DUPSYS")
    assert info.value.existing_lead_id == lead_id
    assert info.value.existing_list_id == list_id
    assert info.value.duplicate_type == dup_type


async def test_add_lead_custom_fields_follow_the_standard_fields() -> None:
    vd, server = support.client(ADDED)
    await vd.leads.add_lead(phone_number="3125551212", list_id=101,
                            custom_fields={"favcolor": "blue", "petname": BLANK})
    keys = list(server.form)
    assert server.form["custom_fields"] == "Y"
    assert keys.index("favcolor") > keys.index("list_id") > 0
    assert keys[-2:] == ["favcolor", "petname"] and server.form["petname"] == BLANK


@pytest.mark.parametrize(("kwargs", "parameter"), [
    ({"list_id": 12}, "list_id"),
    ({"list_id": 101, "phone_number": "312555,1212"}, "phone_number"),
    ({"list_id": 101, "phone_number": "31255"}, "phone_number"),
    ({"list_id": 101, "first_name": "José"}, "first_name"),
    ({"list_id": 101, "comments": "a+b"}, "comments"),
    ({"list_id": 101, "email": "ann+x@example.com"}, "email"),
    ({"list_id": 101, "first_name": BLANK}, "first_name"),
    ({"list_id": 101, "gmt_offset_now": "-5.00"}, "gmt_offset_now"),
    ({"list_id": 101, "callback": True}, "campaign_id"),
    ({"list_id": 101, "callback": True, "campaign_id": "C1", "callback_type": "USERONLY"},
     "callback_user"),
    ({"list_id": 101, "campaign_dnc_check": "Y"}, "campaign_id"),
    ({"list_id": 101, "duplicate_check": "DUPNOTHING"}, "duplicate_check"),
    ({"list_id": 101, "hopper_priority": 100}, "hopper_priority"),
    ({"list_id": 101, "multi_alt_phones": "3125550193_1_a+b"}, "multi_alt_phones"),
    ({"list_id": 101, "multi_alt_phones": "12345"}, "multi_alt_phones"),
    ({"list_id": 101, "custom_fields": {"user": "x"}}, "user"),
    ({"list_id": 101, "custom_fields": {"first_name": "x"}}, "first_name"),
    ({"list_id": 101, "custom_fields": {"fav": "a;b"}}, "fav"),
])
async def test_add_lead_refuses_what_the_server_would_alter(kwargs: dict[str, Any],
                                                           parameter: str) -> None:
    vd, server = support.client(ADDED)
    kwargs = {"phone_number": "3125551212", **kwargs}
    await refused(vd.leads.add_lead(**kwargs), parameter)
    assert server.forms == []


async def test_add_lead_lost_answer_without_duplicate_check_is_not_resent() -> None:
    vd, server = support.client("", status=500, attempts=3)
    with pytest.raises(OutcomeUnknownError):
        await vd.leads.add_lead(phone_number="3125551212", list_id=101)
    assert len(server.forms) == 1


# -- update_lead -------------------------------------------------------------------------------


async def test_update_lead_one_entry_per_matched_lead() -> None:
    body = ("SUCCESS: update_lead LEAD HAS BEEN UPDATED - 6666|900264|1|||\n"
            "SUCCESS: update_lead LEAD HAS BEEN UPDATED - 6666|2011|0|||\n")
    vd, server = support.client(body)
    res = await vd.leads.update_lead(search_method="PHONE_NUMBER", phone_number="7735550102",
                                     records=5, owner="agent001")
    assert server.form["search_method"] == "PHONE_NUMBER" and server.form["records"] == "5"
    assert [(x.lead_id, x.updated, x.affected_rows) for x in res.leads] == [(900264, True, 1),
                                                                            (2011, True, 0)]
    assert res.lead_ids == (900264, 2011)


async def test_update_lead_deleted_lead_counts_callbacks() -> None:
    body = "SUCCESS: update_lead LEAD HAS BEEN DELETED 3|2 - 6666|900286|1|2|2|\n"
    vd, _ = support.client(body)
    res = await vd.leads.update_lead(lead_id=900286, delete_lead=True)
    (lead,) = res.leads
    assert lead.deleted and not lead.updated
    assert (lead.lead_id, lead.affected_rows, lead.archived_callbacks, lead.deleted_callbacks) == (
        900286, 1, 2, 3)


async def test_update_lead_callback_and_custom_notices_attach_to_their_lead() -> None:
    body = ("NOTICE: update_lead CUSTOM FIELDS DATA HAS BEEN DELETED - 6666|2012|101|1|1\n"
            "SUCCESS: update_lead LEAD HAS BEEN UPDATED - 6666|2012|1|||\n"
            "NOTICE: update_lead SCHEDULED CALLBACK UPDATED - "
            "2012|TESTCAMP|2026-11-29 11:00:00|ANYONE||CALLBK\n"
            "NOTICE: update_lead CUSTOM FIELDS VALUES UPDATED - |2012|101|101|101|1\n"
            "NOTICE: update_lead REMOVED FROM HOPPER - |2012|READY|6666\n")
    vd, _ = support.client(body)
    res = await vd.leads.update_lead(lead_id=2012, comments="x", callback=True,
                                     remove_from_hopper=True, custom_fields={"petname": "Tom"})
    (lead,) = res.leads
    assert lead.updated and lead.callback is not None and lead.callback.action == "updated"
    assert lead.custom_fields is not None and lead.custom_fields.added and lead.custom_fields.rows == 1
    assert res.hopper is not None and res.hopper.removed and res.hopper.hopper_status == "READY"


async def test_update_lead_callback_remove_and_refusal() -> None:
    vd, _ = support.client("NOTICE: update_lead SCHEDULED CALLBACK DELETED - 6666|2012|1|1\n")
    res = await vd.leads.update_lead(lead_id=2012, callback="REMOVE")
    cb = res.leads[0].callback
    assert cb is not None and cb.action == "deleted" and cb.deleted_count == 1
    vd, _ = support.client("NOTICE: update_lead SCHEDULED CALLBACK NOT ADDED, USER NOT VALID - "
                           "2012|TESTCAMP|nosuchuser|USERONLY\n")
    res = await vd.leads.update_lead(lead_id=2012, callback=True, campaign_id="TESTCAMP",
                                     callback_type="USERONLY", callback_user="nosuchuser")
    cb = res.leads[0].callback
    assert cb is not None and not cb.added and cb.reason.endswith("USER NOT VALID")


async def test_update_lead_no_update_reports_the_matches() -> None:
    vd, server = support.client("NOTICE: update_lead LEADS FOUND IN THE SYSTEM: "
                                "|6666|2012|VX|3125550101|101|0\n")
    res = await vd.leads.update_lead(lead_id=2012, no_update=True)
    assert server.form["no_update"] == "Y"
    assert res.leads == () and [(f.lead_id, f.list_id, f.phone_number) for f in res.found] == [
        (2012, 101, "3125550101")]


async def test_update_lead_insert_if_not_found_returns_the_new_lead() -> None:
    body = ("NOTICE: update_lead NO MATCHES FOUND IN THE SYSTEM: |6666|999999998|PRB|3125550732\n"
            "SUCCESS: update_lead LEAD HAS BEEN ADDED - 3125550732|101|900288|-6.00|6666\n"
            "3125550793|1|xNOTICE: update_lead MULTI-ALT-PHONE NUMBERS LOADED - 1|900288|6666\n"
            "NOTICE: update_lead ADDED TO HOPPER - 3125550732|900288|77|6666\n")
    vd, server = support.client(body)
    res = await vd.leads.update_lead(lead_id=999999998, insert_if_not_found=True,
                                     phone_number="3125550732", phone_code=1, list_id=101,
                                     multi_alt_phones=["3125550793_1_x"], add_to_hopper=True)
    assert res.not_found and res.leads == ()
    assert res.inserted is not None
    assert (res.inserted.lead_id, res.inserted.list_id, res.inserted.gmt_offset) == (900288, 101, -6.0)
    assert res.inserted.alt_phones_loaded == 1
    assert res.inserted.hopper is not None and res.inserted.hopper.hopper_id == 77
    assert res.lead_ids == (900288,)
    assert server.form["multi_alt_phones"] == "3125550793_1_x"


async def test_update_lead_no_match_is_not_found() -> None:
    vd, _ = support.client("ERROR: update_lead NO MATCHES FOUND IN THE SYSTEM: |6666|2012||\n")
    with pytest.raises(NotFoundError):
        await vd.leads.update_lead(lead_id=2012, first_name="Ann")


async def test_update_lead_blank_empties_the_fields_that_allow_it() -> None:
    vd, server = support.client("SUCCESS: update_lead LEAD HAS BEEN UPDATED - 6666|2012|1|||\n")
    await vd.leads.update_lead(lead_id=2012, status=BLANK, security_phrase=BLANK, comments=BLANK)
    assert server.form["status"] == server.form["comments"] == "--BLANK--"


async def test_update_lead_search_methods_join_with_underscore() -> None:
    vd, server = support.client("SUCCESS: update_lead LEAD HAS BEEN UPDATED - 6666|2012|1|||\n")
    await vd.leads.update_lead(search_method=["VENDOR_LEAD_CODE", "PHONE_NUMBER"],
                               vendor_lead_code="VX-77", phone_number="3125550101", rank=3)
    assert server.form["search_method"] == "VENDOR_LEAD_CODE_PHONE_NUMBER"


async def test_update_lead_custom_fields_true_sends_the_flag_only() -> None:
    vd, server = support.client("SUCCESS: update_lead LEAD HAS BEEN DELETED 0|0 - 6666|2012|1|0|0|\n"
                                "NOTICE: update_lead CUSTOM FIELDS ENTRY DELETED - "
                                "3125550101|2012|101|101|101|1\n")
    res = await vd.leads.update_lead(lead_id=2012, delete_lead=True, custom_fields=True)
    assert server.form["custom_fields"] == "Y"
    cf = res.leads[0].custom_fields
    assert cf is not None and cf.deleted and cf.rows == 1


async def test_update_lead_warns_that_custom_fields_limit_standard_updates() -> None:
    vd, _ = support.client("SUCCESS: update_lead LEAD HAS BEEN UPDATED - 6666|2012|1|||\n")
    with pytest.warns(VicidialDataWarning, match="first matched lead"):
        await vd.leads.update_lead(search_method="PHONE_NUMBER", phone_number="3125550101",
                                   records=3, city="Chicago", custom_fields={"petname": "Tom"})
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        await vd.leads.update_lead(lead_id=2012, city="Chicago", custom_fields={"petname": "Tom"})


@pytest.mark.parametrize(("kwargs", "parameter"), [
    ({"status": "SALE"}, "lead_id"),
    ({"search_method": "PHONE_NUMBER", "lead_id": 5, "status": "SALE"}, "phone_number"),
    ({"lead_id": 5}, ""),
    ({"lead_id": 5, "search_location": "LIST", "list_id": 101}, ""),
    ({"lead_id": 5, "status": "SALE", "search_location": "LIST"}, "list_id"),
    ({"lead_id": 5, "status": "SALE", "search_location": "LIST", "list_id": 12}, "list_id"),
    ({"lead_id": 5, "gender": BLANK}, "gender"),
    ({"lead_id": 5, "date_of_birth": BLANK}, "date_of_birth"),
    ({"lead_id": 5, "first_name": ""}, "first_name"),
    ({"lead_id": 5, "status": "S+1"}, "status"),
    ({"lead_id": 5, "gmt_offset_now": "EST"}, "gmt_offset_now"),
    ({"lead_id": 5, "insert_if_not_found": True, "phone_number": "3125550101", "list_id": 101},
     "phone_code"),
    ({"lead_id": 5, "insert_if_not_found": True, "phone_number": "3125550101", "phone_code": 1},
     "list_id"),
    ({"lead_id": 5, "status": "SALE", "tz_method": "POSTAL"}, "tz_method"),
    ({"lead_id": 5, "status": "SALE", "multi_alt_phones": "3125550193"}, "multi_alt_phones"),
    ({"lead_id": 5, "add_to_hopper": True, "remove_from_hopper": True}, "add_to_hopper"),
    ({"lead_id": 5, "update_phone_number": True}, "phone_number"),
    ({"lead_id": 5, "status": "SALE", "records": 0}, "records"),
    ({"lead_id": 5, "entry_list_id": 101, "custom_fields": {"a": "b"}}, "entry_list_id"),
    ({"lead_id": 5, "search_method": "LEAD", "status": "SALE"}, "search_method"),
])
async def test_update_lead_refuses_before_sending(kwargs: dict[str, Any], parameter: str) -> None:
    vd, server = support.client("")
    await refused(vd.leads.update_lead(**kwargs), parameter)
    assert server.forms == []


# -- batch_update_lead -------------------------------------------------------------------------


async def test_batch_update_lead_reads_the_matches() -> None:
    vd, server = support.client("SUCCESS: batch_update_lead LEADS HAVE BEEN UPDATED - 6666|1|2|2012,2011\n")
    res = await vd.leads.batch_update_lead(lead_ids=[2011, 2012], status="NEW", reset_lead=True)
    assert server.form["lead_ids"] == "2011,2012" and server.form["reset_lead"] == "Y"
    assert (res.affected_rows, res.found_count, res.found_lead_ids) == (1, 2, (2012, 2011))


@pytest.mark.parametrize(("kwargs", "parameter"), [
    ({"lead_ids": [2011]}, ""),
    ({"lead_ids": ["20x1"], "status": "NEW"}, "lead_ids"),
    ({"lead_ids": [2011], "rank": BLANK}, "rank"),
    ({"lead_ids": [2011], "list_id_field": 12}, "list_id_field"),
    ({"lead_ids": [2011], "records": 0, "status": "NEW"}, "records"),
])
async def test_batch_update_lead_refuses_before_sending(kwargs: dict[str, Any], parameter: str) -> None:
    vd, server = support.client("")
    await refused(vd.leads.batch_update_lead(**kwargs), parameter)
    assert server.forms == []


# -- lead_dearchive, update_log_entry ----------------------------------------------------------


async def test_lead_dearchive_reads_counts_and_knows_its_errors() -> None:
    vd, _ = support.client("SUCCESS: lead_dearchive LEAD DE-ARCHIVED: 6666|900001|1|1\n")
    res = await vd.leads.lead_dearchive(lead_id=900001)
    assert (res.lead_id, res.insert_count, res.delete_count) == (900001, 1, 1)
    vd, _ = support.client("ERROR: lead_dearchive NON-ARCHIVED LEAD FOUND: 6666|900001|101\n")
    with pytest.raises(AlreadyExistsError):
        await vd.leads.lead_dearchive(lead_id=900001)


async def test_update_log_entry_reads_old_and_new_status() -> None:
    body = ("SUCCESS: update_log_entry RECORD HAS BEEN UPDATED - "
            "6666|6666|TESTIN|Y1128180000000002010|XFER|SALE|23|\n")
    vd, _ = support.client(body)
    res = await vd.leads.update_log_entry(call_id="Y1128180000000002010", group="TESTIN", status="XFER")
    assert (res.group, res.call_id, res.status, res.old_status, res.uniqueid) == (
        "TESTIN", "Y1128180000000002010", "XFER", "SALE", "23")


@pytest.mark.parametrize(("kwargs", "parameter"), [
    ({"call_id": "1795880002.1", "group": "TESTCAMP", "status": "B"}, "call_id"),
    ({"call_id": "M1128150000000002011", "group": "TESTCAMP", "status": "LONGSTATUS"}, "status"),
])
async def test_update_log_entry_refuses_before_sending(kwargs: dict[str, Any], parameter: str) -> None:
    vd, server = support.client("")
    await refused(vd.leads.update_log_entry(**kwargs), parameter)
    assert server.forms == []


@pytest.mark.parametrize(("field", "blankable"), [("gender", False), ("city", True), ("owner", True)])
async def test_update_lead_empty_values_are_refused_with_a_hint(field: str, blankable: bool) -> None:
    vd, server = support.client("")
    err = await refused(vd.leads.update_lead(lead_id=5, **{field: ""}), field)
    assert ("--BLANK--" in str(err)) is blankable
    assert server.forms == []


async def test_add_lead_with_duplicate_check_recovers_a_lost_answer() -> None:
    vd, server = support.client("", attempts=3)
    server.replies = [(500, ""),
                      (200, "ERROR: add_lead DUPLICATE PHONE NUMBER IN LIST - 3125551212|101|2001\n")]
    lead = await vd.leads.add_lead(phone_number="3125551212", list_id=101, duplicate_check="DUPLIST")
    assert len(server.forms) == 2
    assert lead.recovered and (lead.lead_id, lead.list_id, lead.phone_number) == (2001, 101, "3125551212")
