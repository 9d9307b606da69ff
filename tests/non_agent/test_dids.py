"""vd.dids: DID log rows in every stage, DID changes from reference templates and recorded answers,
and values refused before sending."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path
from typing import Any

import pytest

from vicidial_async import InvalidParameterError
from vicidial_async.errors import APIError, error_class_for_kind
from vicidial_async.models.dids import DidLogRow
from vicidial_async.protocol.registry import REGISTRY

sys.path.insert(0, str(Path(__file__).parent))
from _canned import DELIMS, client, render, template

ARGS: dict[str, dict[str, Any]] = {
    "did_log_export": {"phone_number": "3125550100", "date": dt.date(2026, 11, 28)},
    "add_did": {"did_pattern": "+13125550123", "did_description": "Main line DID",
                "did_route": "IN_GROUP", "group": "SALESLINE", "agent_search_method": "LB"},
    "copy_did": {"source_did_pattern": "3125550100", "new_dids": ["3125550101", "3125550102"]},
    "update_did": {"did_pattern": "+13125550123", "did_route": "CALLMENU", "menu_id": "MAINMENU"},
}


@pytest.mark.parametrize("stage", ["pipe", "csv", "tab"])
@pytest.mark.parametrize("header", [True, False])
async def test_did_log_export_puts_the_swapped_fields_back(stage: str, header: bool) -> None:
    d = DELIMS[stage]
    head = d.join(DidLogRow.COLUMNS) + "\n" if header else ""
    # As the server sends them: caller id second, call date third (the header says otherwise).
    body = head + d.join(["3125550100", "3125550101", "2026-11-28 16:28:24", "100"]) + "\n"
    vd, backend = client(body)
    (row,) = await vd.dids.did_log_export(**ARGS["did_log_export"], stage=stage,  # type: ignore[arg-type]
                                          header=header)
    assert (row.did_number, row.caller_id_number, row.length_in_sec) == ("3125550100", "3125550101", 100)
    assert row.call_date == dt.datetime(2026, 11, 28, 16, 28, 24)
    assert backend.forms[0]["date"] == "2026-11-28"


async def test_did_log_export_in_documented_order_too() -> None:
    vd, _ = client("3125550100\t2026-11-28 16:28:24\t3125550101\t0\n")
    (row,) = await vd.dids.did_log_export(**ARGS["did_log_export"], header=False)
    assert (row.caller_id_number, row.call_date) == ("3125550101", dt.datetime(2026, 11, 28, 16, 28, 24))


async def test_add_did_sends_the_plus_encoded() -> None:
    vd, backend = client(render(template("add_did", "success", 0), did_pattern="+13125550123"))
    res = await vd.dids.add_did(**ARGS["add_did"], active=True, record_call="Y_QUEUESTOP",
                                list_id=101)
    assert (res.action, res.did_pattern) == ("added", "+13125550123")
    assert backend.forms[0]["did_pattern"] == "+13125550123" and backend.forms[0]["list_id"] == "101"


@pytest.mark.parametrize(("index", "action"), [(0, "updated"), (1, "deleted")])
async def test_update_did(index: int, action: str) -> None:
    vd, _ = client(render(template("update_did", "success", index), did_pattern="3125550200",
                          did_id="23"))
    kw: dict[str, Any] = {"delete_did": True} if action == "deleted" else {"record_call": True}
    res = await vd.dids.update_did(did_pattern="3125550200", **kw)
    assert (res.action, res.did_pattern) == (action, "3125550200")
    assert res.did_id == (23 if action == "deleted" else None)


async def test_update_did_no_updates_notice() -> None:
    vd, _ = client(render(template("update_did", "notices", 0)))
    res = await vd.dids.update_did(did_pattern="3125550200")
    assert res.action == "unchanged"


async def test_copy_did_lists_added_and_existing() -> None:
    body = (render(template("copy_did", "notices", 0), new_did="3125550101")
            + render(template("copy_did", "notices", 1), new_did="3125550102",
                     source_did_pattern="3125550100", did_id="57", insert_count="1")
            + render(template("copy_did", "success", 0), source_did_pattern="3125550100",
                     inserted_count="1", error_count="1"))
    vd, backend = client(body)
    res = await vd.dids.copy_did(**ARGS["copy_did"])
    assert (res.inserted_count, res.error_count, res.already_existed) == (1, 1, ("3125550101",))
    assert [(d.did_pattern, d.did_id) for d in res.added] == [("3125550102", 57)]
    assert backend.forms[0]["new_dids"] == "3125550101,3125550102"


DIDS = [s for s in REGISTRY.for_api("non_agent") if s.group == "dids"]


@pytest.mark.parametrize("spec", DIDS, ids=lambda s: s.name)
async def test_reference_error_templates_raise_their_error(spec: Any) -> None:
    for error in spec.all_errors:
        vd, _ = client(render(error.text))
        with pytest.raises(APIError) as info:
            await getattr(vd.dids, spec.name)(**ARGS[spec.name])
        assert type(info.value) is error_class_for_kind(error.kind), error.text


@pytest.mark.parametrize(("function", "kwargs", "parameter"), [
    ("did_log_export", {"phone_number": "312-555-0100", "date": "2026-11-28"}, "phone_number"),
    ("did_log_export", {"phone_number": "3125550100", "date": "11/28/2026"}, "date"),
    ("add_did", {"did_pattern": "312 555 0123"}, "did_pattern"),
    ("add_did", {"did_pattern": "3125550123", "did_description": "Main & more"}, "did_description"),
    ("add_did", {"did_pattern": "3125550123", "did_route": "QUEUE"}, "did_route"),
    ("add_did", {"did_pattern": "3125550123", "list_id": 12}, "list_id"),
    ("add_did", {"did_pattern": "3125550123", "extension": "--BLANK--"}, "extension"),
    ("copy_did", {"source_did_pattern": "3125550100", "new_dids": ["3125550101", "312 5550102"]},
     "new_dids"),
    ("update_did", {"did_pattern": "3125550123", "delete_did": True, "active": True}, "active"),
    ("update_did", {"did_pattern": "3125550123", "agent_search_method": "XX"},
     "agent_search_method"),
])
async def test_bad_values_are_refused_before_sending(function: str, kwargs: dict[str, Any],
                                                     parameter: str) -> None:
    vd, backend = client("should not be read\n")
    with pytest.raises(InvalidParameterError) as info:
        await getattr(vd.dids, function)(**kwargs)
    assert info.value.parameter == parameter and info.value.sent is False
    assert backend.forms == []


async def test_recorded_answers_decode(real_answers: list[dict[str, Any]]) -> None:
    decoded = 0
    for rec in real_answers:
        spec = REGISTRY.get(("non_agent", rec["function"]))
        if spec is None or spec.group != "dids" or rec["http_status"] != 200:
            continue
        vd, _ = client(rec["body"])
        kw: dict[str, Any] = {k: v for k, v in rec["params"].items()
                              if k not in ("user", "pass", "source", "function")}
        if spec.response.format == "table":
            kw["header"] = kw.get("header") == "YES"
            kw["stage"] = kw.get("stage") if kw.get("stage") in DELIMS else "pipe"
        try:
            result = await getattr(vd.dids, spec.name)(**kw)
        except TypeError:
            assert "missing" in rec["case"], rec["case"]
            continue
        except InvalidParameterError as exc:
            assert exc.sent or not rec["case"].startswith(("valid", "stage")), rec["case"]
            continue
        except APIError:
            assert "ERROR" in rec["body"], rec["case"]
            continue
        decoded += 1
        assert result.raw == rec["body"], rec["case"]
        if spec.name == "did_log_export":
            assert all(r.call_date is not None for r in result), rec["case"]
    assert decoded >= 8
