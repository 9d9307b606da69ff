"""REGISTRY holds every function of the reference, and every fact of it equals the reference JSON."""

from __future__ import annotations

from typing import Any

import pytest

from vicidial_async.protocol.registry import (
    REGISTRY,
    FunctionSpec,
    Safety,
    api_path,
    common_errors,
    common_params,
)

_PARAM_FIELDS = ("required", "kind", "min_len", "max_len", "min", "max", "default", "separator")


def _functions(reference: dict[str, dict[str, Any]]) -> list[dict[str, Any]]:
    return [fn for api in ("non_agent", "agent") for fn in reference[api]["functions"]]


def _lines(texts: list[str]) -> list[str]:
    """Template texts split into lines, as the registry compiles them (a template may span lines)."""
    return [line for text in texts for line in text.split("\n") if line.strip()]


def test_registry_has_all_91_functions(reference: dict[str, dict[str, Any]]) -> None:
    expected = {(fn["api"], fn["name"]) for fn in _functions(reference)}
    assert len(expected) == 91
    assert set(REGISTRY) == expected
    assert len(REGISTRY) == 91
    assert [s.name for s in REGISTRY.for_api("agent")] == [f["name"] for f in reference["agent"]["functions"]]


def test_api_paths_and_common_facts(reference: dict[str, dict[str, Any]]) -> None:
    for api in ("non_agent", "agent"):
        ref = reference[api]
        assert api_path(api) == ref["path"]
        assert [p.name for p in common_params(api)] == [p["name"] for p in ref["common"]["params"]]
        assert [t.text for e in common_errors(api) for t in e.lines] == _lines(ref["common"]["errors"])


@pytest.mark.parametrize("key", sorted(REGISTRY), ids=lambda k: f"{k[0]}.{k[1]}")
def test_spec_equals_reference(key: tuple[str, str], reference: dict[str, dict[str, Any]]) -> None:
    api, name = key
    ref = next(f for f in reference[api]["functions"] if f["name"] == name)
    spec: FunctionSpec = REGISTRY[key]
    resp = ref["response"]

    assert spec.group == ref["group"]
    assert spec.summary == ref["summary"]
    assert spec.permissions == ref["permissions"]
    assert spec.effect == ref["effect"]
    assert spec.retry_safe == ref["retry_safe"]
    assert spec.custom_fields == ref["custom_fields"]
    expected_safety = (Safety.READ if ref["effect"] == "read"
                       else Safety.IDEMPOTENT_WRITE if ref["retry_safe"] else Safety.UNSAFE)
    assert spec.safety is expected_safety

    assert spec.response.format == resp["format"]
    assert list(spec.response.stages) == resp.get("stages", [])
    assert spec.response.header_param == resp.get("header_param", False)
    assert list(spec.response.columns) == resp.get("columns", [])
    assert [t.text for t in spec.response.success] == _lines(resp["success"])
    assert [t.text for t in spec.response.notices] == _lines(resp.get("notices", []))
    assert [[t.text for t in e.lines] for e in spec.response.errors] == [
        _lines([e]) for e in resp["errors"]]

    assert [p.name for p in spec.params] == [p["name"] for p in ref["params"]]
    for p, rp in zip(spec.params, ref["params"], strict=True):
        for field in _PARAM_FIELDS:
            assert getattr(p, field) == rp.get(field, False if field == "required" else None), (
                p.name, field)
        assert p.choices == (tuple(rp["choices"]) if "choices" in rp else None), p.name


def test_template_fields_follow_placeholders() -> None:
    t = REGISTRY["non_agent", "add_lead"].response.success[0]
    assert t.fields == ("phone_number", "list_id", "lead_id", "gmt_offset", "user")
    m = t.pattern.fullmatch("SUCCESS: add_lead LEAD HAS BEEN ADDED - 3125551212|101|2001|-5.00|6666|")
    assert m is not None and m["lead_id"] == "2001"


def test_safety_examples() -> None:
    assert REGISTRY["non_agent", "add_lead"].safety is Safety.UNSAFE
    assert REGISTRY["non_agent", "version"].safety is Safety.READ
    assert REGISTRY["non_agent", "lead_search"].safety is Safety.READ


@pytest.mark.parametrize(("name", "is_report"), [
    ("agent_stats_export", True), ("call_dispo_report", True), ("recording_lookup", True),
    ("did_log_export", True), ("phone_number_log", True), ("user_group_status", True),
    ("add_lead", False), ("lead_search", False), ("campaigns_list", False), ("version", False),
    ("update_log_entry", False),
])
def test_report_functions_get_the_long_timeout_flag(name: str, is_report: bool) -> None:
    assert REGISTRY["non_agent", name].is_report is is_report
