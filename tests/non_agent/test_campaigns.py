"""vd.campaigns: list/hopper rows in every stage, update functions from reference templates and
recorded answers, and values refused before sending."""

from __future__ import annotations

import sys
import warnings
from pathlib import Path
from typing import Any

import pytest

from vicidial_async import InvalidParameterError
from vicidial_async.errors import AlreadyExistsError, APIError, NotFoundError, error_class_for_kind
from vicidial_async.models.campaigns import AltUrlRow, CampaignRow, CidGroupEntryRow, HopperRow, PresetRow
from vicidial_async.protocol.registry import REGISTRY

sys.path.insert(0, str(Path(__file__).parent))
from _canned import DELIMS, client, render

ARGS: dict[str, dict[str, Any]] = {
    "campaigns_list": {},
    "hopper_list": {"campaign_id": "TESTCAMP"},
    "update_campaign": {"campaign_id": "TESTCAMP", "active": True},
    "update_alt_url": {"campaign_id": "TESTCAMP", "entry_type": "campaign", "url_type": "dispo",
                       "alt_url_id": 9001, "url_rank": 2},
    "update_presets": {"campaign_id": "TESTCAMP", "preset_name": "PRESET1", "preset_dtmf": "1"},
    "update_cid_group_entry": {"cid_group_id": "CIDGRP1", "stage": "INFO", "areacode": "312"},
    "ingroup_list": {},
}

CAMPAIGN_ROW = ["TESTCAMP", "Test Campaign", "Y", "---ALL---", "RATIO", "2.5", "DOWN COUNT",
                "NEW CALLBK", "60", "9", "", "8"]
HOPPER_ROW = ["0", "5", "2012", "101", "7275550103", "1", "FL", "NEW", "3", "-5.00", "7", "NONE",
              "S", "SEED-003", "src", "12", "3 HOURS  "]


@pytest.mark.parametrize("stage", ["pipe", "csv", "tab"])
@pytest.mark.parametrize("header", [True, False])
async def test_campaigns_list_in_every_stage(stage: str, header: bool) -> None:
    d = DELIMS[stage]
    body = (d.join(CampaignRow.COLUMNS) + "\n" if header else "") + d.join(CAMPAIGN_ROW) + "\n"
    vd, backend = client(body)
    (c,) = await vd.campaigns.campaigns_list(stage=stage, header=header)  # type: ignore[arg-type]
    assert (c.campaign_id, c.campaign_name, c.active, c.dial_method, c.dial_level) == (
        "TESTCAMP", "Test Campaign", True, "RATIO", 2.5)
    assert (c.dial_statuses, c.dial_timeout, c.dial_prefix, c.three_way_dial_prefix) == (
        ("NEW", "CALLBK"), 60, "9", "8")
    assert backend.forms[0]["stage"] == stage


@pytest.mark.parametrize("stage", ["pipe", "csv", "tab"])
@pytest.mark.parametrize("header", [True, False])
async def test_hopper_list_in_every_stage(stage: str, header: bool) -> None:
    d = DELIMS[stage]
    body = (d.join(HopperRow.COLUMNS) + "\n" if header else "") + (d.join(HOPPER_ROW) + "\n") * 3
    vd, backend = client(body)
    rows = await vd.campaigns.hopper_list(campaign_id="TESTCAMP", search_method="BLOCK",
                                          stage=stage, header=header)  # type: ignore[arg-type]
    assert len(rows) == 3
    h = rows[0]
    assert (h.hopper_order, h.priority, h.lead_id, h.list_id, h.count, h.gmt_offset, h.rank) == (
        0, 5, 2012, 101, 3, -5.0, 7)
    assert (h.phone_number, h.source_id, h.age_days, h.last_call_time) == (
        "7275550103", "src", 12, "3 HOURS")
    assert backend.forms[0]["search_method"] == "BLOCK"


async def test_campaign_name_holding_the_delimiter_stays_in_its_column() -> None:
    row = list(CAMPAIGN_ROW)
    row[1] = "Sales | East"
    vd, _ = client("|".join(row) + "\n")
    (c,) = await vd.campaigns.campaigns_list(stage="pipe", header=False)
    # The server does not escape the delimiter; the name is the one free-text column.
    assert (c.campaign_name, c.active, c.dial_level, c.three_way_dial_prefix) == (
        "Sales | East", True, 2.5, "8")


async def test_update_campaign_success_with_hopper_reset() -> None:
    spec = REGISTRY["non_agent", "update_campaign"]
    body = render(spec.response.success[0].text, user="apiuser", campaign_id="TESTCAMP")
    body += render(spec.response.notices[1].text, user="apiuser", campaign_id="TESTCAMP",
                   affected_rows="17")
    vd, backend = client(body)
    res = await vd.campaigns.update_campaign(campaign_id="TESTCAMP", reset_hopper=True,
                                             dial_method="RATIO", auto_dial_level=2.5,
                                             list_order="DOWN COUNT 2nd NEW", xferconf_one="--BLANK--")
    assert (res.campaign_id, res.updated, res.hopper_reset, res.hopper_rows_deleted) == (
        "TESTCAMP", True, True, 17)
    sent = backend.forms[0]
    assert sent["auto_dial_level"] == "2.5" and sent["reset_hopper"] == "Y"
    assert sent["xferconf_one"] == "--BLANK--"


async def test_update_campaign_no_updates_notice() -> None:
    spec = REGISTRY["non_agent", "update_campaign"]
    vd, _ = client(render(spec.response.notices[0].text, user="apiuser", update_sql=""))
    res = await vd.campaigns.update_campaign(campaign_id="TESTCAMP")
    assert res.updated is False and res.notices


async def test_update_alt_url_add_and_update() -> None:
    spec = REGISTRY["non_agent", "update_alt_url"]
    updated, added = (t.text for t in spec.response.success[:2])
    vd, backend = client(render(added, new_url_id="9010", url_type="dispo", entry_type="campaign",
                                campaign_id="TESTCAMP"))
    res = await vd.campaigns.update_alt_url(
        campaign_id="TESTCAMP", entry_type="campaign", url_type="dispo", alt_url_id="NEW",
        active=True, url_statuses=["SALE", "NI"], url_lists=[101, 102],
        url_address="https://example.com/hook?id=1&x=--A--lead_id--B--")
    assert (res.action, res.url_id, res.campaign_id) == ("added", 9010, "TESTCAMP")
    sent = backend.forms[0]
    assert sent["url_statuses"] == "SALE NI" and sent["url_lists"] == "101 102"
    assert "stage" not in sent and "header" not in sent
    vd, _ = client(render(updated, alt_url_id="9001", url_type="dispo", entry_type="campaign",
                          campaign_id="TESTCAMP"))
    res = await vd.campaigns.update_alt_url(**ARGS["update_alt_url"])
    assert (res.action, res.url_id) == ("updated", 9001)


@pytest.mark.parametrize("header", [True, False])
async def test_update_alt_url_list(header: bool) -> None:
    row = ["9001", "TESTCAMP", "campaign", "Y", "dispo", "1", "SALE NI", "seed url", "", "0",
           "https://example.com/hook"]
    body = ("\t".join(AltUrlRow.COLUMNS) + "\n" if header else "") + "\t".join(row) + "\n"
    vd, backend = client(body)
    res = await vd.campaigns.update_alt_url(campaign_id="TESTCAMP", entry_type="campaign",
                                            url_type="dispo", alt_url_id="LIST", header=header)
    (r,) = res.rows
    assert res.action == "listed" and (r.url_id, r.active, r.url_statuses, r.url_lists) == (
        9001, True, ("SALE", "NI"), ())
    assert r.url_address == "https://example.com/hook"
    assert backend.forms[0]["stage"] == "tab"


async def test_update_alt_url_list_no_records() -> None:
    spec = REGISTRY["non_agent", "update_alt_url"]
    vd, _ = client(render(spec.response.notices[0].text))
    res = await vd.campaigns.update_alt_url(campaign_id="TESTCAMP", entry_type="campaign",
                                            url_type="dispo", alt_url_id="LIST")
    assert res.action == "listed" and res.rows == () and res.notices


async def test_update_presets_list() -> None:
    body = ",".join(PresetRow.COLUMNS) + "\nPRESET1,TESTCAMP,3125550177,N,\n"
    vd, backend = client(body)
    res = await vd.campaigns.update_presets(campaign_id="TESTCAMP", action="LIST", stage="csv")
    assert res.action == "listed" and res.rows[0].preset_number == "3125550177"
    assert res.rows[0].preset_hide_number is False and backend.forms[0]["header"] == "YES"


@pytest.mark.parametrize(("index", "action", "kwargs"), [
    (0, "updated", {"preset_dtmf": "1"}),
    (1, "added", {"action": "NEW", "preset_number": "3125550177", "preset_hide_number": False}),
    (2, "deleted", {"action": "DELETE"}),
])
async def test_update_presets_actions(index: int, action: str, kwargs: dict[str, Any]) -> None:
    spec = REGISTRY["non_agent", "update_presets"]
    vd, _ = client(render(spec.response.success[index].text, preset_name="PRESET1",
                          campaign_id="TESTCAMP"))
    res = await vd.campaigns.update_presets(campaign_id="TESTCAMP", preset_name="PRESET1", **kwargs)
    assert (res.action, res.preset_name, res.campaign_id) == (action, "PRESET1", "TESTCAMP")


async def test_update_presets_warns_when_the_server_picks_another_preset() -> None:
    vd, _ = client("SUCCESS: update_presets PRESET HAS BEEN UPDATED - apiuser|PRESET1|TESTCAMP\n")
    with pytest.warns(UserWarning, match="PRESET1"):
        res = await vd.campaigns.update_presets(campaign_id="TESTCAMP", preset_name="NOSUCH",
                                                preset_dtmf="2")
    assert res.preset_name == "PRESET1"


async def test_update_cid_group_entry_info_rows() -> None:
    spec = REGISTRY["non_agent", "update_cid_group_entry"]
    header = render(spec.response.success[0].text, cid_group_id="CIDGRP1", areacode="---ALL---",
                    outbound_cid="", entry_count="2")
    body = header + "1|312|3125550100|Y|Chicago main|4\n2|773|7735550100|N|Chicago north|0\n"
    vd, _ = client(body)
    res = await vd.campaigns.update_cid_group_entry(cid_group_id="CIDGRP1", stage="INFO",
                                                    areacode="---ALL---")
    assert res.info is not None and res.info.entry_count == 2 and res.count == 2
    assert [(r.entry_number, r.areacode, r.active, r.call_count_today) for r in res.rows] == [
        (1, "312", True, 4), (2, "773", False, 0)]


@pytest.mark.parametrize(("function", "row"), [
    ("update_alt_url", AltUrlRow), ("update_presets", PresetRow),
    ("update_cid_group_entry", CidGroupEntryRow)])
def test_list_mode_rows_have_the_reference_columns(function: str, row: Any) -> None:
    assert tuple(REGISTRY["non_agent", function].response.columns) == row.COLUMNS


@pytest.mark.parametrize(("stage", "index", "count_name"), [
    ("ADD", 2, "insert_count"), ("DELETE", 3, "delete_count"), ("UPDATE", 4, "modify_count")])
async def test_update_cid_group_entry_changes(stage: str, index: int, count_name: str) -> None:
    spec = REGISTRY["non_agent", "update_cid_group_entry"]
    body = render(spec.response.success[index].text, cid_group_id="CIDGRP1", areacode="773",
                  outbound_cid="7735550100", **{count_name: "3"})
    vd, backend = client(body)
    res = await vd.campaigns.update_cid_group_entry(
        cid_group_id="CIDGRP1", stage=stage, areacode="773",  # type: ignore[arg-type]
        outbound_cid="7735550100", active=True, cid_description="Chicago north")
    assert (res.stage, res.count, res.outbound_cid) == (stage, 3, "7735550100")
    assert backend.forms[0]["active"] == "Y"


async def test_ingroup_list_rows(real_answers: list[dict[str, Any]]) -> None:
    body = next(r["body"] for r in real_answers if r["function"] == "ingroup_list"
                and r["case"] == "valid")
    vd, _ = client(body)
    groups = await vd.campaigns.ingroup_list(comments="field_id")
    assert [(g.group_id, g.group_name, g.group_color) for g in groups][2:] == [
        ("TESTIN", "Test Inbound", "#CCFFCC"), ("TESTIN2", "Test Inbound Two", "#FFCCCC")]


CAMPAIGNS = [s for s in REGISTRY.for_api("non_agent") if s.group == "campaigns"]


@pytest.mark.parametrize("spec", CAMPAIGNS, ids=lambda s: s.name)
async def test_reference_error_templates_raise_their_error(spec: Any) -> None:
    for error in spec.all_errors:
        vd, _ = client(render(error.text))
        with pytest.raises(APIError) as info:
            await getattr(vd.campaigns, spec.name)(**ARGS[spec.name])
        assert type(info.value) is error_class_for_kind(error.kind), error.text


async def test_typed_errors() -> None:
    vd, _ = client("ERROR: hopper_list THERE ARE NO LEADS IN THE HOPPER FOR THIS CAMPAIGN: u|TESTCAMP\n")
    with pytest.raises(NotFoundError):
        await vd.campaigns.hopper_list(campaign_id="TESTCAMP")
    vd, _ = client("ERROR: update_cid_group_entry THIS CID GROUP ENTRY ALREADY EXISTS: |u|G|773|77\n")
    with pytest.raises(AlreadyExistsError):
        await vd.campaigns.update_cid_group_entry(cid_group_id="G", stage="ADD", areacode="773",
                                                  outbound_cid="7735550100")


@pytest.mark.parametrize(("function", "kwargs", "parameter"), [
    ("campaigns_list", {"campaign_id": "X"}, "campaign_id"),
    ("hopper_list", {"campaign_id": "TEST CAMP"}, "campaign_id"),
    ("update_campaign", {"campaign_id": "TESTCAMP", "campaign_name": "Sales & more"},
     "campaign_name"),
    ("update_campaign", {"campaign_id": "TESTCAMP", "list_order": "RANDOM"}, "list_order"),
    ("update_campaign", {"campaign_id": "TESTCAMP", "list_order": "down count"}, "list_order"),
    ("update_campaign", {"campaign_id": "TESTCAMP", "auto_dial_level": "2,5"}, "auto_dial_level"),
    ("update_campaign", {"campaign_id": "TESTCAMP", "hopper_level": 6000}, "hopper_level"),
    ("update_campaign", {"campaign_id": "TESTCAMP", "outbound_cid": "312-555"}, "outbound_cid"),
    ("update_campaign", {"campaign_id": "TESTCAMP", "webform_one": "https://x.com/#frag"},
     "webform_one"),
    ("update_campaign", {"campaign_id": "TESTCAMP", "campaign_name": "--BLANK--"},
     "campaign_name"),
    ("update_alt_url", {**ARGS["update_alt_url"], "url_type": "addlead"}, "url_type"),
    ("update_alt_url", {**ARGS["update_alt_url"], "stage": "csv"}, "stage"),
    ("update_alt_url", {**ARGS["update_alt_url"], "url_address": "https://x.com/a,b"},
     "url_address"),
    ("update_presets", {"campaign_id": "TESTCAMP", "action": "NEW", "preset_name": "P"},
     "preset_number"),
    ("update_presets", {"campaign_id": "TESTCAMP", "action": "DELETE"}, "preset_name"),
    ("update_presets", {"campaign_id": "TESTCAMP", "preset_name": "P!", "preset_dtmf": "1"},
     "preset_name"),
    ("update_presets", {"campaign_id": "TESTCAMP", "preset_name": "P", "preset_number": "--BLANK--"},
     "preset_number"),
    ("update_cid_group_entry", {"cid_group_id": "G", "stage": "ADD", "areacode": "---ALL---",
                                "outbound_cid": "3125550100"}, "areacode"),
    ("update_cid_group_entry", {"cid_group_id": "G", "stage": "ADD", "areacode": "312"},
     "outbound_cid"),
    ("update_cid_group_entry", {"cid_group_id": "G", "stage": "UPDATE", "areacode": "312"},
     "active"),
    ("update_cid_group_entry", {"cid_group_id": "G", "stage": "INFO", "areacode": "31-2"},
     "areacode"),
])
async def test_bad_values_are_refused_before_sending(function: str, kwargs: dict[str, Any],
                                                     parameter: str) -> None:
    vd, backend = client("should not be read\n")
    with pytest.raises(InvalidParameterError) as info:
        await getattr(vd.campaigns, function)(**kwargs)
    assert info.value.parameter == parameter and info.value.sent is False
    assert backend.forms == []


def _kwargs_from_recording(spec: Any, params: dict[str, str]) -> dict[str, Any]:
    kw: dict[str, Any] = {k: v for k, v in params.items()
                          if k not in ("user", "pass", "source", "function")}
    if spec.response.format == "table" or kw.get("alt_url_id") == "LIST" or kw.get("action") == "LIST":
        kw["header"] = kw.get("header") == "YES"
        kw["stage"] = kw.get("stage") if kw.get("stage") in DELIMS else "pipe"
    return kw


async def test_recorded_answers_decode(real_answers: list[dict[str, Any]]) -> None:
    decoded = 0
    for rec in real_answers:
        spec = REGISTRY.get(("non_agent", rec["function"]))
        if spec is None or spec.group != "campaigns" or rec["http_status"] != 200:
            continue
        vd, _ = client(rec["body"])
        kw = _kwargs_from_recording(spec, rec["params"])
        try:
            with warnings.catch_warnings(record=True):  # the preset the server picked instead
                result = await getattr(vd.campaigns, spec.name)(**kw)
        except TypeError:
            assert "missing" in rec["case"], rec["case"]
            continue
        except InvalidParameterError as exc:
            assert exc.sent or not rec["case"].startswith(("valid", "stage")), rec["case"]
            continue
        except APIError:
            assert rec["body"].startswith("ERROR"), rec["case"]
            continue
        decoded += 1
        assert result.raw == rec["body"], rec["case"]
        data_lines = [x for x in rec["body"].split("\n") if x and "NOTICE" not in x]
        rows = getattr(result, "rows", None)
        if spec.response.format == "table" or kw.get("alt_url_id") == "LIST" \
                or kw.get("action") == "LIST":
            header_line = bool(kw.get("header")) and bool(data_lines)
            assert rows is not None and len(rows) == len(data_lines) - header_line, rec["case"]
    assert decoded >= 25
