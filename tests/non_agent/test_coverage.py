"""Every Non-Agent function of the reference has its typed method, by its VICIdial name.

For each of the 61 functions: the client's group attribute has a method of that name; every
reference parameter (wire name) is a keyword-only parameter of it and nothing else is, besides
``timeout`` and ``custom_fields``; the method is annotated with a result type, and table (and
picker) functions return rows whose ``COLUMNS`` start with the reference's columns, in order.
"""

from __future__ import annotations

import inspect
import json
import typing
from pathlib import Path
from typing import Any

import pytest

from vicidial_async import VicidialClient
from vicidial_async.models._table import TableResult

REFERENCE_FILE = Path(__file__).resolve().parents[1] / "samples/api-reference/non_agent.json"
REFERENCE = json.loads(REFERENCE_FILE.read_text())
FUNCTIONS = REFERENCE["functions"]
# blind_monitor is the only Non-Agent function of group agent_control: it lives on vd.system.
GROUP_ATTRIBUTE = {"agent_control": "system"}
NOT_ON_THE_WIRE = {"timeout", "custom_fields"}
# Optional on the server, required by the method on purpose (add_lead without list_id silently
# files the lead in list 999).
DELIBERATELY_REQUIRED = {("add_lead", "list_id")}


def _method(vd: VicidialClient, fn: dict[str, Any]) -> Any:
    group = getattr(vd, GROUP_ATTRIBUTE.get(fn["group"], fn["group"]))
    return getattr(group, fn["name"], None)


@pytest.fixture(scope="module")
def vd() -> VicidialClient:
    return VicidialClient("https://dialer.example.com", "apiuser", "s3cretPass", rate_limit=None)


def test_the_reference_has_61_functions() -> None:
    assert len(FUNCTIONS) == 61


@pytest.mark.parametrize("fn", FUNCTIONS, ids=lambda f: f["name"])
def test_method_exists_with_every_parameter(vd: VicidialClient, fn: dict[str, Any]) -> None:
    method = _method(vd, fn)
    assert callable(method), f"vd.{GROUP_ATTRIBUTE.get(fn['group'], fn['group'])}.{fn['name']} missing"
    assert inspect.iscoroutinefunction(method)
    params = inspect.signature(method).parameters
    wire = {p["name"] for p in fn["params"]}
    missing = wire - set(params)
    assert not missing, f"{fn['name']} lacks {sorted(missing)}"
    for name, p in params.items():
        assert p.kind is inspect.Parameter.KEYWORD_ONLY, f"{fn['name']}({name}) is not keyword-only"
        assert name in wire or name in NOT_ON_THE_WIRE, f"{fn['name']}({name}) is not on the wire"
        required = any(q["name"] == name and q["required"] for q in fn["params"])
        if not required and (fn["name"], name) not in DELIBERATELY_REQUIRED:
            assert p.default is not inspect.Parameter.empty, f"{fn['name']}({name}) has no default"
    assert method.__doc__ and fn["name"] in method.__doc__


def _row_type(method: Any) -> type | None:
    hints = typing.get_type_hints(method)
    result = hints.get("return")
    if typing.get_origin(result) is TableResult:
        (row,) = typing.get_args(result)
        return row  # type: ignore[no-any-return]
    return getattr(result, "ROW", None)


@pytest.mark.parametrize(
    "fn", [f for f in FUNCTIONS if f["response"]["format"] in ("table", "html")
           and f["response"].get("columns")], ids=lambda f: f["name"])
def test_table_columns_match_the_reference(vd: VicidialClient, fn: dict[str, Any]) -> None:
    method = _method(vd, fn)
    assert callable(method), fn["name"]
    row = _row_type(method)
    assert row is not None, f"{fn['name']} does not return rows"
    columns = tuple(fn["response"]["columns"])
    # A row model shared by two functions may know more columns (lead_all_info's entry_list_id
    # and lead_id after ccc_lead_info's): the reference's must come first, in order.
    assert tuple(row.COLUMNS)[:len(columns)] == columns, fn["name"]
