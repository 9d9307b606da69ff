"""Every Agent API function of the reference has its typed method, by its VICIdial name.

For each of the 30 functions: ``vd.agent(...)`` has a coroutine method of that name (the five that
take no agent are also on ``vd.agents``); every reference parameter is a parameter of it (the
session fills ``agent_user``); only the main value may be positional; nothing else is in the
signature besides ``timeout`` and documented friendly names; parameters the server does not require
have defaults; the docstring names the function, says what SUCCESS means for commands, and agrees
with the reference's ``retry_safe``; the result is a frozen, slotted attrs class.
"""

from __future__ import annotations

import inspect
import json
import typing
from pathlib import Path
from typing import Any

import attrs
import pytest

from vicidial_async import VicidialClient
from vicidial_async.endpoints.agent import Agents, AgentSession
from vicidial_async.protocol.registry import REGISTRY, Safety

REFERENCE = json.loads((Path(__file__).resolve().parents[1]
                        / "samples/api-reference/agent.json").read_text())
FUNCTIONS = REFERENCE["functions"]
AGENT_FREE = {"version", "webserver", "st_login_log", "st_get_agent_active_lead", "send_notification"}
NOT_ON_THE_WIRE = {"timeout"}
# Friendly names for the wire's value (sent as value).
ALIASES = {("external_dial", "phone_number")}
# The main value, accepted positionally.
POSITIONAL = {"audio_playback": "stage", "switch_lead": "lead_id"}
# Required on the server, but one of several ways to name the target.
ALTERNATIVES = {("external_dial", "value"), ("external_add_lead", "value"), ("switch_lead", "lead_id")}


@pytest.fixture(scope="module")
def vd() -> VicidialClient:
    return VicidialClient("https://dialer.example.com", "apiuser", "s3cretPass", rate_limit=None)


def test_the_reference_has_30_functions() -> None:
    assert len(FUNCTIONS) == 30
    assert {f["name"] for f in FUNCTIONS} == {s.name for s in REGISTRY.for_api("agent")}


def test_agent_free_functions_are_the_ones_without_agent_user() -> None:
    assert {f["name"] for f in FUNCTIONS if "agent_user" not in {p["name"] for p in f["params"]}} \
        == AGENT_FREE


@pytest.mark.parametrize("fn", FUNCTIONS, ids=lambda f: f["name"])
def test_session_method_exists_with_every_parameter(vd: VicidialClient, fn: dict[str, Any]) -> None:
    name = fn["name"]
    method = getattr(vd.agent("agent001"), name, None)
    assert callable(method), f"vd.agent(...).{name} missing"
    assert inspect.iscoroutinefunction(method)
    params = inspect.signature(method).parameters
    wire = {p["name"] for p in fn["params"]} - {"agent_user"}
    missing = wire - set(params)
    assert not missing, f"{name} lacks {sorted(missing)}"
    positional = [n for n, p in params.items() if p.kind is not inspect.Parameter.KEYWORD_ONLY]
    main = POSITIONAL.get(name, "value")
    assert positional in ([], [main]), f"{name}: only {main} may be positional, got {positional}"
    if positional:
        assert main in wire
    for pname, p in params.items():
        assert pname in wire or pname in NOT_ON_THE_WIRE or (name, pname) in ALIASES, \
            f"{name}({pname}) is not on the wire"
        required = any(q["name"] == pname and q["required"] for q in fn["params"])
        if not required or (name, pname) in ALTERNATIVES:
            assert p.default is not inspect.Parameter.empty, f"{name}({pname}) has no default"
    assert "agent_user" not in params  # the session fills it


@pytest.mark.parametrize("name", sorted(AGENT_FREE))
def test_agent_free_functions_are_on_vd_agents(vd: VicidialClient, name: str) -> None:
    assert isinstance(vd.agents, Agents)
    assert not isinstance(vd.agents, AgentSession)
    assert inspect.iscoroutinefunction(getattr(vd.agents, name))


def test_vd_agents_has_no_agent_bound_function(vd: VicidialClient) -> None:
    bound = {f["name"] for f in FUNCTIONS} - AGENT_FREE
    assert not [n for n in bound if hasattr(vd.agents, n)]


@pytest.mark.parametrize("fn", FUNCTIONS, ids=lambda f: f["name"])
def test_docstring_states_safety_and_meaning(fn: dict[str, Any]) -> None:
    name = fn["name"]
    doc = " ".join((inspect.getdoc(getattr(AgentSession, name)) or "").split())
    assert f"``{name}``" in doc
    safety = REGISTRY["agent", name].safety
    if safety is Safety.UNSAFE:
        assert "never resent" in doc.lower(), name
    else:
        assert "safe to retry" in doc or "resent after a lost answer" in doc.lower(), name
    if name not in AGENT_FREE:
        assert "State:" in doc, name
    if any(w in " ".join(fn["response"]["success"]) for w in ("function set", "function sent")):
        assert "SUCCESS means" in doc and "queued" in doc, name


@pytest.mark.parametrize("fn", FUNCTIONS, ids=lambda f: f["name"])
def test_result_is_a_frozen_slotted_model(fn: dict[str, Any]) -> None:
    result = typing.get_type_hints(getattr(AgentSession, fn["name"]))["return"]
    assert attrs.has(result)
    assert "__slots__" in result.__dict__
    assert "raw" in attrs.fields_dict(result)
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        inst = result.__new__(result)
        object.__setattr__(inst, "raw", "")
        inst.raw = "x"
