"""The lead read functions: tables in every stage with and without header, text answers parsed,
validation before sending."""

from __future__ import annotations

import datetime as dt
import importlib
import sys
from pathlib import Path
from typing import Any

import pytest

from vicidial_async import (
    DNCError,
    FeatureDisabledError,
    InvalidParameterError,
    NotFoundError,
    PermissionDeniedError,
)
from vicidial_async.models.leads import (
    CCC_LEAD_INFO_COLUMNS,
    LEAD_ALL_INFO_COLUMNS,
    CallbackRow,
    LeadRecord,
    parse_lead_records,
)

sys.path.insert(0, str(Path(__file__).parent))
support: Any = importlib.import_module("_leads_support")

DELIMS = {"pipe": "|", "csv": ",", "tab": "\t", "newline": "\n", None: "|"}

LEAD = {
    "status": "SALE", "user": "agent001", "vendor_lead_code": "SEED-001", "source_id": "web",
    "list_id": "101", "gmt_offset_now": "-6.00", "phone_code": "1", "phone_number": "3125550101",
    "title": "Ms", "first_name": "Ann", "middle_initial": "B", "last_name": "Lee",
    "address1": "1 Main St", "address2": "Fl 2", "address3": "", "city": "Chicago", "state": "IL",
    "province": "Cook", "postal_code": "60601", "country_code": "USA", "gender": "F",
    "date_of_birth": "1980-01-01", "alt_phone": "", "email": "ann@example.com",
    "security_phrase": "blue", "comments": "call after 5", "called_count": "1",
    "last_local_call_time": "2026-11-28 15:28:29", "rank": "2", "owner": "agent001",
    "entry_list_id": "101", "lead_id": "2010",
}


def table(columns: tuple[str, ...], rows: list[dict[str, str]], stage: str | None, header: bool) -> str:
    d = DELIMS[stage]
    lines = []
    if header:
        lines.append(d.join(columns))
    lines += [d.join(r[c] for c in columns) for r in rows]
    return "\n".join(lines) + "\n"


def check_lead(rec: LeadRecord) -> None:
    assert (rec.status, rec.first_name, rec.last_name, rec.city) == ("SALE", "Ann", "Lee", "Chicago")
    assert rec.list_id == 101 and rec.gmt_offset_now == -6.0 and rec.phone_number == "3125550101"
    assert rec.date_of_birth == dt.date(1980, 1, 1)
    assert rec.last_local_call_time == dt.datetime(2026, 11, 28, 15, 28, 29)
    assert (rec.called_count, rec.rank) == (1, 2)
    assert rec.address3 == "" and rec.comments == "call after 5"


STAGES = ["pipe", "csv", "tab", "newline", None]


# -- lead_all_info -----------------------------------------------------------------------------


@pytest.mark.parametrize("stage", STAGES)
@pytest.mark.parametrize("header", [True, False])
async def test_lead_all_info_every_stage(stage: str | None, header: bool) -> None:
    vd, server = support.client(table(LEAD_ALL_INFO_COLUMNS, [LEAD], stage, header))
    res = await vd.leads.lead_all_info(lead_id=2010, stage=stage, header=header)  # type: ignore[arg-type]
    assert server.form.get("header") == ("YES" if header else "NO")
    (rec,) = res
    check_lead(rec)
    assert (rec.entry_list_id, rec.lead_id, rec.extra) == (101, 2010, {})
    assert res.columns[:32] == LEAD_ALL_INFO_COLUMNS


@pytest.mark.parametrize("stage", ["pipe", "csv", "tab", "newline"])
async def test_lead_all_info_custom_fields_land_in_extra(stage: str) -> None:
    cols = (*LEAD_ALL_INFO_COLUMNS, "favcolor", "petname")
    row = {**LEAD, "favcolor": "blue", "petname": "Rex"}
    vd, server = support.client(table(cols, [row], stage, True))
    res = await vd.leads.lead_all_info(lead_id=2010, custom_fields=True, stage=stage,  # type: ignore[arg-type]
                                       header=True)
    assert server.form["custom_fields"] == "Y"
    assert res[0].extra == {"favcolor": "blue", "petname": "Rex"}
    if stage == "newline":
        return  # refused without a header (see below)
    vd, _ = support.client(table(cols, [row], stage, False))
    res = await vd.leads.lead_all_info(lead_id=2010, custom_fields=True, stage=stage)  # type: ignore[arg-type]
    assert list(res[0].extra.values()) == ["blue", "Rex"]


async def test_lead_all_info_by_phone_repeats_the_header_per_lead() -> None:
    second = {**LEAD, "lead_id": "2011", "first_name": "Bob"}
    body = table(LEAD_ALL_INFO_COLUMNS, [LEAD], None, True) + table(LEAD_ALL_INFO_COLUMNS, [second],
                                                                     None, True)
    vd, server = support.client(body)
    res = await vd.leads.lead_all_info(phone_number="3125550101", header=True)
    assert server.form["phone_number"] == "3125550101"
    assert [(r.lead_id, r.first_name) for r in res] == [(2010, "Ann"), (2011, "Bob")]


async def test_lead_all_info_keeps_rows_next_to_list_restriction_errors() -> None:
    body = ("ERROR: lead_all_info LIST NOT FOUND: lr|2099|3125550101\n"
            + table(LEAD_ALL_INFO_COLUMNS, [LEAD], None, False))
    vd, _ = support.client(body)
    res = await vd.leads.lead_all_info(phone_number="3125550101")
    assert [r.lead_id for r in res] == [2010]
    assert [n.reason for n in res.notices] == ["lead_all_info LIST NOT FOUND"]
    vd, _ = support.client("ERROR: lead_all_info LIST NOT FOUND: lr|2010|\n"
                           "ERROR: lead_all_info LIST NOT FOUND: lr|2010||101\n")
    with pytest.raises(NotFoundError):
        await vd.leads.lead_all_info(lead_id=2010)


@pytest.mark.parametrize(("kwargs", "parameter"), [
    ({}, "lead_id"),
    ({"lead_id": 5, "phone_number": "3125550101"}, "phone_number"),
    ({"phone_number": "312555,0101"}, "phone_number"),
    ({"lead_id": 5, "stage": "json"}, "stage"),
    ({"lead_id": 5, "stage": "newline", "custom_fields": True}, "header"),
])
async def test_lead_all_info_refuses_before_sending(kwargs: dict[str, Any], parameter: str) -> None:
    vd, server = support.client("")
    with pytest.raises(InvalidParameterError) as info:
        await vd.leads.lead_all_info(**kwargs)
    assert info.value.parameter == parameter and server.forms == []


# -- ccc_lead_info, lead_callback_info ----------------------------------------------------------


@pytest.mark.parametrize("stage", STAGES)
@pytest.mark.parametrize("header", [True, False])
async def test_ccc_lead_info_every_stage(stage: str | None, header: bool) -> None:
    vd, _ = support.client(table(CCC_LEAD_INFO_COLUMNS, [LEAD], stage, header))
    res = await vd.leads.ccc_lead_info(call_id="V1128150000000002010", stage=stage,  # type: ignore[arg-type]
                                       header=header)
    (rec,) = res
    check_lead(rec)
    assert rec.lead_id is None and rec.entry_list_id is None


async def test_ccc_lead_info_checks_the_call_id() -> None:
    vd, server = support.client("")
    for bad in ("Q1128150000000002010", "V11281500"):
        with pytest.raises(InvalidParameterError) as info:
            await vd.leads.ccc_lead_info(call_id=bad)
        assert info.value.parameter == "call_id"
    assert server.forms == []


CALLBACK = {
    "lead_id": "2013", "callback_type": "CURRENT", "recipient": "USERONLY",
    "callback_status": "ACTIVE", "lead_status": "CALLBK", "callback_date": "2026-11-29 17:28:29",
    "entry_date": "2026-11-28 15:58:29", "user": "agent001", "list_id": "101",
    "campaign_id": "TESTCAMP", "user_group": "AGENTS", "customer_timezone": "America/New_York",
    "customer_time": "2026-11-29 18:28:29", "comments": "call back after lunch",
}


@pytest.mark.parametrize("stage", STAGES)
@pytest.mark.parametrize("header", [True, False])
async def test_lead_callback_info_every_stage(stage: str | None, header: bool) -> None:
    archived = {**CALLBACK, "callback_type": "ARCHIVE", "callback_status": "INACTIVE"}
    vd, server = support.client(table(CallbackRow.COLUMNS, [archived, CALLBACK], stage, header))
    res = await vd.leads.lead_callback_info(lead_id=2013, search_location="ALL",
                                            stage=stage, header=header)  # type: ignore[arg-type]
    assert server.form["search_location"] == "ALL"
    assert [r.callback_type for r in res] == ["ARCHIVE", "CURRENT"]
    cb = res[1]
    assert (cb.lead_id, cb.recipient, cb.list_id, cb.comments) == (2013, "USERONLY", 101,
                                                                   "call back after lunch")
    assert cb.callback_date == dt.datetime(2026, 11, 29, 17, 28, 29)
    assert cb.customer_time == dt.datetime(2026, 11, 29, 18, 28, 29)


async def test_lead_callback_info_comment_with_the_delimiter_stays_whole() -> None:
    row = {**CALLBACK, "comments": "call|back|later"}
    vd, _ = support.client(table(CallbackRow.COLUMNS, [row], "pipe", False))
    res = await vd.leads.lead_callback_info(lead_id=2013)
    assert res[0].comments == "call|back|later"


# -- lead_search -------------------------------------------------------------------------------


async def test_lead_search_rows_with_the_glued_header() -> None:
    body = ("search_keyrecords_foundlead_ids\n3125550101|1|2010\n7735550102|2|900264-2011\n"
            "3125550999|0|\n")
    vd, server = support.client(body)
    res = await vd.leads.lead_search(phone_number=["3125550101", "7735550102", "3125550999"],
                                     header=True, records=50)
    assert server.form["phone_number"] == "3125550101,7735550102,3125550999"
    assert [(r.search_key, r.records_found, r.lead_ids) for r in res] == [
        ("3125550101", 1, (2010,)), ("7735550102", 2, (900264, 2011)), ("3125550999", 0, ())]


async def test_lead_search_without_header_and_by_vendor_code() -> None:
    vd, server = support.client("SEED-003|1|2012\nSEED-404|0|\n")
    res = await vd.leads.lead_search(search_method="VENDOR_LEAD_CODE",
                                     vendor_lead_code=["SEED-003", "SEED-404"])
    assert "phone_number" not in server.form
    assert [r.lead_ids for r in res] == [(2012,), ()]


async def test_lead_search_lead_id_method_fills_lead_id() -> None:
    vd, server = support.client("search_keyrecords_foundlead_ids\n")
    res = await vd.leads.lead_search(search_method="LEAD_ID", lead_ids=[2010, 2011], header=True)
    assert (server.form["lead_id"], server.form["lead_ids"]) == ("2010", "2010,2011")
    assert len(res) == 0


@pytest.mark.parametrize(("kwargs", "parameter"), [
    ({}, "phone_number"),
    ({"phone_number": "12"}, "phone_number"),
    ({"phone_number": ["3125550101", "3125x"]}, "phone_number"),
    ({"search_method": "VENDOR_LEAD_CODE"}, "vendor_lead_code"),
    ({"search_method": "VENDOR_LEAD_CODE", "vendor_lead_code": "A;B"}, "vendor_lead_code"),
    ({"search_method": "LEAD_ID"}, "lead_ids"),
    ({"phone_number": "3125550101", "search_location": "LIST", "list_id": 12}, "list_id"),
    ({"phone_number": "3125550101", "search_location": "CAMPAIGN"}, "list_id"),
])
async def test_lead_search_refuses_before_sending(kwargs: dict[str, Any], parameter: str) -> None:
    vd, server = support.client("")
    with pytest.raises(InvalidParameterError) as info:
        await vd.leads.lead_search(**kwargs)
    assert info.value.parameter == parameter and server.forms == []


# -- lead_field_info ---------------------------------------------------------------------------


async def test_lead_field_info_values() -> None:
    vd, server = support.client("Ann")
    res = await vd.leads.lead_field_info(lead_id=2010, field_name="first_name")
    assert (res.lead_id, res.field_name, res.value, res.masked) == (2010, "first_name", "Ann", False)
    assert "custom_fields" not in server.form
    vd, _ = support.client("")
    assert (await vd.leads.lead_field_info(lead_id=2010, field_name="address3")).value == ""
    vd, server = support.client("XXXX")
    res = await vd.leads.lead_field_info(lead_id=2010, field_name="ssn", custom_fields=True)
    assert res.masked and server.form["custom_fields"] == "Y"


async def test_lead_field_info_errors() -> None:
    vd, _ = support.client("ERROR: lead_field_info LIST FIELD NOT FOUND: 6666|2010\n")
    with pytest.raises(NotFoundError):
        await vd.leads.lead_field_info(lead_id=2010, field_name="nosuch")
    vd, _ = support.client("ERROR: lead_field_info USER DOES NOT HAVE PERMISSION TO GET LEAD INFO: |u7|0|\n")
    with pytest.raises(PermissionDeniedError):
        await vd.leads.lead_field_info(lead_id=2010, field_name="city")


# -- lead_status_search ------------------------------------------------------------------------

RECORD_KEYS = ("lead_id", *LEAD_ALL_INFO_COLUMNS[:-2], "entry_list_id")


def records_text(*records: dict[str, str], custom: dict[str, str] | None = None) -> str:
    out = []
    for n, rec in enumerate(records, 1):
        out.append(f";---------- START OF RECORD {n} ----------")
        out += [f"{k} => {rec[k]}" for k in RECORD_KEYS]
        out += [f"{k} => {v}" for k, v in (custom or {}).items()]
    return "\n".join(out) + "\n"


async def test_lead_status_search_records() -> None:
    second = {**LEAD, "lead_id": "2011", "comments": "line one\nline two => not a key"}
    body = records_text(LEAD, second, custom={"favcolor": "blue -- green", "notes_cf": "a!Nb"})
    vd, server = support.client(body)
    res = await vd.leads.lead_status_search(status="SALE", date=dt.date(2026, 11, 28),
                                            custom_fields=True)
    assert (server.form["status"], server.form["date"]) == ("SALE", "2026-11-28")
    check_lead(res[0])
    assert res[0].lead_id == 2010 and res[0].entry_list_id == 101
    assert res[1].comments == "line one\nline two => not a key"
    assert res[1].extra == {"favcolor": "blue -- green", "notes_cf": "a!Nb"}
    assert res.columns[0] == "lead_id"


async def test_lead_status_search_by_lead_id_and_errors() -> None:
    vd, server = support.client(records_text(LEAD))
    res = await vd.leads.lead_status_search(lead_id=2010)
    assert "status" not in server.form and res[0].lead_id == 2010
    vd, _ = support.client("ERROR: lead_status_search NO RESULTS FOUND: 6666||XFER|\n")
    with pytest.raises(NotFoundError):
        await vd.leads.lead_status_search(status="XFER", date="2001-01-01")
    vd, server = support.client("")
    with pytest.raises(InvalidParameterError) as info:
        await vd.leads.lead_status_search(status="SALE")
    assert info.value.parameter == "date" and server.forms == []
    with pytest.raises(InvalidParameterError) as info:
        await vd.leads.lead_status_search(status="SALE", date="2026-1-2")
    assert info.value.parameter == "date" and server.forms == []


def test_parse_lead_records_of_an_empty_answer() -> None:
    assert parse_lead_records("") == []


# -- check_phone_number ------------------------------------------------------------------------


async def test_check_phone_number_methods() -> None:
    body = "AREACODE: 1|-5.00#POSTAL: 0|#TZCODE: 1|-8.00#PHONE: 3125550101|1|60601|IL|PT|\n"
    vd, server = support.client(body)
    res = await vd.leads.check_phone_number(
        phone_number="3125550101", local_call_time="9am-9pm", postal_code="60601", owner="PT",
        tz_method=["AREACODE", "POSTAL", "TZCODE"], dnc_check="Y")
    assert server.form["tz_method"] == "AREACODEPOSTALTZCODE"
    assert res.dialable and res.gmt_offset == -5.0
    postal = res.check("POSTAL")
    assert postal is not None and not postal.dialable and postal.gmt_offset is None
    assert res.check("NANPA") is None
    assert (res.phone_number, res.postal_code, res.state, res.owner) == ("3125550101", "60601", "IL", "PT")


async def test_check_phone_number_postal_only_and_errors() -> None:
    vd, _ = support.client("POSTAL: 1|-5.00#PHONE: 3125550101|1|33701|||\n")
    res = await vd.leads.check_phone_number(phone_number="3125550101", local_call_time="24hours",
                                            tz_method="POSTAL", postal_code="33701")
    assert [c.method for c in res.checks] == ["POSTAL"] and res.gmt_offset == -5.0
    vd, _ = support.client("ERROR: check_phone_number PHONE NUMBER IN DNC - 3125550911|6666\n")
    with pytest.raises(DNCError):
        await vd.leads.check_phone_number(phone_number="3125550911", local_call_time="24hours",
                                          dnc_check="Y")
    vd, _ = support.client("ERROR: check_phone_number NANPA options disabled, NANPA prefix data not "
                           "loaded - 0|6666\n")
    with pytest.raises(FeatureDisabledError):
        await vd.leads.check_phone_number(phone_number="3125550101", local_call_time="24hours",
                                          nanpa_ac_prefix_check=True)


@pytest.mark.parametrize(("kwargs", "parameter"), [
    ({"tz_method": "POSTAL"}, "postal_code"),
    ({"tz_method": ["AREACODE", "TZCODE"]}, "owner"),
    ({"tz_method": "ZIP"}, "tz_method"),
    ({"campaign_dnc_check": "Y"}, "campaign_id"),
    ({"postal_code": "606"}, "postal_code"),
    ({"phone_number": "312555,0101"}, "phone_number"),
])
async def test_check_phone_number_refuses_before_sending(kwargs: dict[str, Any], parameter: str) -> None:
    vd, server = support.client("")
    kwargs = {"phone_number": "3125550101", "local_call_time": "24hours", **kwargs}
    with pytest.raises(InvalidParameterError) as info:
        await vd.leads.check_phone_number(**kwargs)
    assert info.value.parameter == parameter and server.forms == []
