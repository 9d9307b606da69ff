"""The reference's success, notice and error templates of every Agent API function, rendered into
answers, come back from the typed methods as the right result or the right error."""

from __future__ import annotations

import importlib
import sys
from pathlib import Path
from typing import Any, get_type_hints

import pytest

from vicidial_async import (
    AgentStateError,
    APIError,
    NotLoggedInError,
    NotPausedError,
)
from vicidial_async.endpoints.agent import AgentSession
from vicidial_async.errors import error_class_for_kind

sys.path.insert(0, str(Path(__file__).parent))
support: Any = importlib.import_module("_agent_support")


def _result_type(function: str) -> type:
    hints = get_type_hints(getattr(AgentSession, function))
    result: type = hints["return"]
    return result


def test_every_function_has_a_sample_call() -> None:
    assert set(support.CALLS) == {f["name"] for f in support.FUNCTIONS}
    assert len(support.CALLS) == 30


def _cases(kind: str) -> list[tuple[str, str]]:
    return [(f["name"], t) for f in support.FUNCTIONS for t in f["response"].get(kind) or []]


@pytest.mark.parametrize(("function", "template"), _cases("success"),
                         ids=lambda v: v if " " not in v else v[:60])
async def test_success_template_gives_the_typed_result(function: str, template: str) -> None:
    body = support.render(template) + "\n"
    a, server = support.session(body)
    result = await support.call(a, function)
    assert isinstance(result, _result_type(function))
    assert result.raw == body
    assert len(server.forms) == 1
    assert server.urls[0].endswith("/agc/api.php")


@pytest.mark.parametrize(("function", "template"), _cases("notices"),
                         ids=lambda v: v if " " not in v else v[:60])
async def test_notice_template_is_kept_with_the_result(function: str, template: str) -> None:
    success = support.function_ref(function)["response"]["success"][0]
    # recording's STATUS notices stand alone (no SUCCESS line); the others precede their SUCCESS.
    if function == "recording":
        a, _ = support.session(support.render(template) + "\n")
        result = await a.recording("STATUS")
        assert result.recording is template.startswith("NOTICE: recording active")
        assert result.session_id == "8600051"
        return
    glue = "" if function == "send_notification" else "\n"
    body = support.render(template) + glue + support.render(success) + "\n"
    a, _ = support.session(body)
    result = await support.call(a, function)
    assert isinstance(result, _result_type(function))
    assert result.raw == body


def _error_cases() -> list[tuple[str, str]]:
    common = support.REFERENCE["common"]["errors"]
    return [(f["name"], t) for f in support.FUNCTIONS
            for t in (f["response"].get("errors") or []) + common]


@pytest.mark.parametrize(("function", "template"), _error_cases(),
                         ids=lambda v: v if " " not in v else v[:60])
async def test_error_template_raises_the_error_of_its_kind(function: str, template: str) -> None:
    body = support.render(template) + "\n"
    a, server = support.session(body)
    with pytest.raises(APIError) as info:
        await support.call(a, function)
    assert type(info.value) is error_class_for_kind(support.kind_of(function, template))
    assert info.value.function == function
    assert info.value.sent is True
    assert support.PASSWORD not in repr(info.value) + str(info.value) + info.value.raw
    assert len(server.forms) == 1


@pytest.mark.parametrize("function", [f["name"] for f in support.FUNCTIONS
                                      if "agent_user is not logged in" in
                                      " ".join(f["response"].get("errors") or [])])
async def test_not_logged_in_is_its_own_error(function: str) -> None:
    template = next(t for t in support.function_ref(function)["response"]["errors"]
                    if "agent_user is not logged in" in t)
    a, _ = support.session(support.render(template) + "\n")
    with pytest.raises(NotLoggedInError) as info:
        await support.call(a, function)
    assert isinstance(info.value, AgentStateError)


@pytest.mark.parametrize(("function", "line"), [
    ("external_pause", "ERROR: external_pause agent is not paused - RESUME|agent001"),
    ("external_dial", "ERROR: agent_user is not paused - agent001"),
    ("preview_dial_action", "ERROR: agent_user is not paused - agent001"),
    ("pause_code", "ERROR: pause_code error - agent is not paused - agent001"),
])
async def test_not_paused_is_its_own_error(function: str, line: str) -> None:
    a, _ = support.session(line + "\n")
    with pytest.raises(NotPausedError):
        await support.call(a, function)


@pytest.mark.parametrize(("function", "line"), [
    ("transfer_conference", "ERROR: agent_user does not have a live call - agent001"),
    ("park_call", "ERROR: agent_user does not have a lead on their screen - agent001"),
    ("update_fields", "ERROR: agent_user does not have a lead on their screen - agent001"),
    ("recording", "ERROR: stop recording error - agent001|||||127.0.0.1|8600051|PAUSED"),
    ("call_agent", "ERROR: call_agent error - no session data - agent001"),
    ("webphone_url", "ERROR: webphone_url error - webphone url is empty - agent001"),
    ("switch_lead", "ERROR: agent call is not inbound - agent001|V1128150000000002010"),
])
async def test_state_errors_say_what_state_is_missing(function: str, line: str) -> None:
    a, _ = support.session(line + "\n")
    with pytest.raises(AgentStateError) as info:
        await support.call(a, function)
    assert type(info.value) is AgentStateError
