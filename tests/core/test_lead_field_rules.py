"""One table says what the server does to each lead field's text, for both APIs.

The client refuses a value exactly when the table says the server would store something else, and
the fake server stores what the same table says; so the two cannot drift apart.
"""

from __future__ import annotations

import string

import pytest

from vicidial_async.protocol.lead_fields import FIELD_CHARS
from vicidial_async.testing import filters

CHARS = string.printable.replace("\n", "").replace("\r", "") + "éß€"


@pytest.mark.parametrize(("api", "field"), [(api, name) for api, table in FIELD_CHARS.items()
                                            for name in table])
def test_the_client_refuses_exactly_what_the_server_would_alter(api: str, field: str) -> None:
    rule = FIELD_CHARS[api][field]
    for c in CHARS:
        text = f"a{c}b"
        changed = rule.stored(text) != text
        refused = bool(rule.altered(text))
        assert refused == (changed or c in rule.refused), (api, field, c)


def test_the_fake_server_filters_lead_fields_with_the_same_table() -> None:
    text = "O'Hare+1 é-x_y.z"
    for name, rule in FIELD_CHARS["non_agent"].items():
        assert filters.LEAD_FIELD_FILTERS[name](text) == rule.stored(text)
    for name, rule in FIELD_CHARS["agent"].items():
        assert filters.AGENT_LEAD_FIELD_FILTERS[name](text) == rule.stored(text)


def test_the_agent_api_keeps_less_of_some_fields_than_the_non_agent_api() -> None:
    assert FIELD_CHARS["non_agent"]["country_code"].altered("us") == []
    assert FIELD_CHARS["agent"]["country_code"].altered("us") == ["s", "u"]
    assert FIELD_CHARS["agent"]["postal_code"].altered("O'Hare") == ["'"]
