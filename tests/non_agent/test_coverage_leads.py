"""Coverage of the reference by the leads/lists/dnc methods: every function has its method (same
name, on the group of its reference group), every reference parameter is accepted, enum choices are
typed, and the table row models name the reference's columns in order."""

from __future__ import annotations

import importlib
import inspect
import sys
import types
import typing
from pathlib import Path
from typing import Any, Literal, get_args, get_origin, get_type_hints

import pytest

from vicidial_async.endpoints import dnc as dnc_module
from vicidial_async.endpoints import leads as leads_module
from vicidial_async.endpoints import lists as lists_module
from vicidial_async.endpoints.dnc import Dnc
from vicidial_async.endpoints.leads import Leads
from vicidial_async.endpoints.lists import Lists
from vicidial_async.models.leads import (
    CCC_LEAD_INFO_COLUMNS,
    LEAD_ALL_INFO_COLUMNS,
    LEAD_STATUS_SEARCH_COLUMNS,
    CallbackRow,
    LeadRecord,
    LeadSearchRow,
)
from vicidial_async.models.lists import ListCustomFieldsRow, ListInfoRow
from vicidial_async.operations import leads as lead_operations
from vicidial_async.operations import lists as list_operations

sys.path.insert(0, str(Path(__file__).parent))
support: Any = importlib.import_module("_leads_support")

GROUP_CLASSES: dict[str, type] = {"leads": Leads, "lists": Lists, "dnc": Dnc}
FUNCTIONS = support.FUNCTIONS
# Required in the reference, but only for one search mode: the method checks them itself.
CONDITIONAL = {("lead_search", "phone_number"), ("lead_status_search", "status"),
               ("lead_status_search", "date")}
TABLE_COLUMNS: dict[str, tuple[str, ...]] = {
    "lead_all_info": LEAD_ALL_INFO_COLUMNS,
    "ccc_lead_info": CCC_LEAD_INFO_COLUMNS,
    "lead_status_search": LEAD_STATUS_SEARCH_COLUMNS,
    "lead_search": LeadSearchRow.COLUMNS,
    "lead_callback_info": CallbackRow.COLUMNS,
    "list_info": ListInfoRow.COLUMNS,
    "list_custom_fields": ListCustomFieldsRow.COLUMNS,
}
ROW_MODELS: dict[str, type] = {
    "lead_all_info": LeadRecord, "ccc_lead_info": LeadRecord, "lead_status_search": LeadRecord,
    "lead_search": LeadSearchRow, "lead_callback_info": CallbackRow, "list_info": ListInfoRow,
    "list_custom_fields": ListCustomFieldsRow,
}


def method(name: str) -> Any:
    group = support.function_ref(name)["group"]
    return getattr(GROUP_CLASSES[group], name)


def ids(f: dict[str, Any]) -> str:
    return str(f["name"])


def test_the_groups_hold_twenty_functions() -> None:
    assert sorted(f["name"] for f in FUNCTIONS) == sorted([
        "add_lead", "update_lead", "batch_update_lead", "lead_search", "lead_all_info",
        "lead_field_info", "lead_status_search", "ccc_lead_info", "lead_callback_info",
        "lead_dearchive", "update_log_entry", "check_phone_number", "add_list", "update_list",
        "list_info", "list_custom_fields", "add_dnc_phone", "delete_dnc_phone", "add_fpg_phone",
        "delete_fpg_phone"])


@pytest.mark.parametrize("ref", FUNCTIONS, ids=ids)
def test_every_function_has_its_async_method_on_its_group(ref: dict[str, Any]) -> None:
    fn = method(ref["name"])
    assert inspect.iscoroutinefunction(fn)
    assert fn.__doc__ and len(fn.__doc__) > 80
    others = set(GROUP_CLASSES) - {ref["group"]}
    assert not any(hasattr(GROUP_CLASSES[g], ref["name"]) for g in others)


def test_no_method_without_a_reference_function() -> None:
    names = {f["name"] for f in FUNCTIONS}
    for cls in GROUP_CLASSES.values():
        public = {n for n, v in vars(cls).items() if not n.startswith("_") and callable(v)}
        assert public <= names, public - names


@pytest.mark.parametrize("ref", FUNCTIONS, ids=ids)
def test_every_reference_parameter_is_a_keyword_of_the_method(ref: dict[str, Any]) -> None:
    sig = inspect.signature(method(ref["name"]))
    params = {n: p for n, p in sig.parameters.items() if n != "self"}
    assert all(p.kind is inspect.Parameter.KEYWORD_ONLY for p in params.values())
    wire = [p["name"] for p in ref["params"]]
    assert set(wire) <= set(params), set(wire) - set(params)
    extra = set(params) - set(wire)
    assert extra <= {"timeout", "custom_fields"}, extra
    if "custom_fields" in extra:
        assert ref["custom_fields"]
    # Keyword order follows the reference, so a newcomer finds them where the docs list them.
    # (custom_fields, a mapping of custom values in add_lead/update_lead, comes last there.)
    def ordered(names: Any) -> list[str]:
        return [n for n in names if n in wire and not (n == "custom_fields" and ref["custom_fields"])]

    assert ordered(params) == ordered(wire)
    for p in ref["params"]:
        if p["required"] and (ref["name"], p["name"]) not in CONDITIONAL:
            assert params[p["name"]].default is inspect.Parameter.empty, p["name"]
        if not p["required"] and params[p["name"]].default is inspect.Parameter.empty:
            assert (ref["name"], p["name"]) == ("add_lead", "list_id")  # 999 fallback otherwise


def _literals(annotation: Any) -> tuple[set[str], bool]:
    """String literal values in an annotation, and whether a free ``str`` is accepted."""
    values: set[str] = set()
    free = False
    stack = [annotation]
    while stack:
        a = stack.pop()
        origin = get_origin(a)
        if origin is Literal:
            values.update(str(v) for v in get_args(a))
        elif origin in (typing.Union, types.UnionType):
            stack.extend(get_args(a))
        elif a is bool:
            values.update({"Y", "N", "YES", "NO"})
        elif a is str:
            free = True
        elif origin is not None:
            stack.extend(get_args(a))
    return values, free


@pytest.mark.parametrize("ref", FUNCTIONS, ids=ids)
def test_choices_are_typed(ref: dict[str, Any]) -> None:
    module = {"leads": leads_module, "lists": lists_module, "dnc": dnc_module}[ref["group"]]
    hints = get_type_hints(method(ref["name"]), vars(module))
    for p in ref["params"]:
        if not p.get("choices") or p["name"] == "custom_fields":
            continue
        values, free = _literals(hints[p["name"]])
        if free and p["name"] == "duplicate_check":
            continue  # day windows (DUPSYS90DAY) make it open-ended
        assert not free, p["name"]
        assert set(p["choices"]) - {""} <= values, (p["name"], set(p["choices"]) - values)


@pytest.mark.parametrize("name", sorted(TABLE_COLUMNS))
def test_row_columns_match_the_reference(name: str) -> None:
    ref = support.function_ref(name)
    assert TABLE_COLUMNS[name] == tuple(ref["response"]["columns"])
    model = ROW_MODELS[name]
    fields = [a.name for a in model.__attrs_attrs__]  # type: ignore[attr-defined]
    assert fields[-1] == "extra"
    renamed = {"custom_fields_list_space_delimited": "custom_fields"}
    for column in TABLE_COLUMNS[name]:
        assert renamed.get(column, column) in fields, column


@pytest.mark.parametrize(("function", "blankable"), [
    ("update_lead", lead_operations._BLANKABLE_UPDATE),
    ("batch_update_lead", lead_operations._BLANKABLE_UPDATE),
    ("add_list", list_operations._BLANKABLE_ADD),
    ("update_list", list_operations._BLANKABLE_UPDATE),
])
def test_blank_is_allowed_exactly_where_the_reference_says_it_empties(function: str,
                                                                      blankable: frozenset[str]) -> None:
    ref = support.function_ref(function)
    honoured = {p["name"] for p in ref["params"]
                if "'--BLANK--' empties it" in p.get("note", "")}
    assert honoured == blankable & {p["name"] for p in ref["params"]}


@pytest.mark.parametrize("ref", FUNCTIONS, ids=ids)
def test_every_method_returns_a_typed_result(ref: dict[str, Any]) -> None:
    module = {"leads": leads_module, "lists": lists_module, "dnc": dnc_module}[ref["group"]]
    ret = get_type_hints(method(ref["name"]), vars(module))["return"]
    target = get_args(ret)[0] if get_origin(ret) is not None else ret
    assert hasattr(target, "__attrs_attrs__"), ret
    if ref["response"]["format"] == "table" or ref["name"] == "lead_status_search":
        assert get_origin(ret).__name__ == "TableResult"
