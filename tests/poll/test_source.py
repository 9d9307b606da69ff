"""Sources are checked when built: only read functions, valid parameters, unique names and keys."""

from __future__ import annotations

from typing import Any

import pytest

from vicidial_async.errors import ConfigurationError
from vicidial_async.poll import Poll, Source, StatsPoller


class Untyped:
    host = "east.test"

    async def call(self, function: str, /, **params: Any) -> Any:
        return None


def test_a_write_function_cannot_be_polled() -> None:
    with pytest.raises(ConfigurationError, match="only read functions"):
        Poll("update_lead", {"lead_id": 1})


def test_an_unknown_function_is_refused() -> None:
    with pytest.raises(ConfigurationError, match="not a Non-Agent API function"):
        Source(Untyped(), ["logged_in_agent"])


def test_parameters_are_checked_before_the_first_tick() -> None:
    with pytest.raises(ConfigurationError, match="in_groups"):
        Source(Untyped(), ["in_group_status"])                       # required, missing
    with pytest.raises(ConfigurationError, match="campaign"):
        Source(Untyped(), [("logged_in_agents", {"campaign": "X"})])  # no such parameter


def test_typed_method_signatures_are_checked_too() -> None:
    from vicidial_async.testing import FakeVicidial

    client = FakeVicidial().client()
    assert Source(client, [("logged_in_agents", {"show_sub_status": True})]).is_typed(
        Poll("logged_in_agents"))
    with pytest.raises(ConfigurationError, match="logged_in_agents"):
        Source(client, [("logged_in_agents", {"colour": "red"})])


def test_names_and_keys_must_be_distinct() -> None:
    with pytest.raises(ConfigurationError, match="share the key 'agent_status'"):
        Source(Untyped(), [Poll("agent_status", {"agent_user": "a1"}),
                           Poll("agent_status", {"agent_user": "a2"})])
    two = [Source(Untyped(), ["logged_in_agents"]), Source(Untyped(), ["campaigns_list"])]
    with pytest.raises(ConfigurationError, match=r"two sources are named 'east\.test'"):
        StatsPoller(two)


def test_functions_can_be_given_as_a_mapping_and_the_name_defaults_to_the_host() -> None:
    src = Source(Untyped(), {"logged_in_agents": {}, "in_group_status": {"in_groups": ["A", "B"]}})
    assert src.name == "east.test"
    assert [p.key for p in src.polls] == ["logged_in_agents", "in_group_status"]
    assert src.polls[1].params == {"in_groups": ["A", "B"]}
