"""Every answer recorded from a real server for the leads/lists/dnc functions, replayed through the
typed method called with the recorded parameters: a typed result for the valid cases, an APIError
for the error answers, or a refusal before sending where the server would have altered the call."""

from __future__ import annotations

import importlib
import sys
from pathlib import Path
from typing import Any

import pytest

from vicidial_async import APIError, InvalidParameterError, TransportError
from vicidial_async.models._table import TableResult

sys.path.insert(0, str(Path(__file__).parent))
support: Any = importlib.import_module("_leads_support")

ANSWERS = support.real_answers()

# Recorded calls our validation refuses on purpose, and why.
REFUSED = {
    ("add_lead", "valid_list_id_short_defaults_999"): "list_id '12' would silently become 999",
    ("update_lead", "notice_only_search_no_fields"): "nothing to update (empty answer)",
    ("batch_update_lead", "valid_no_fields_empty_body"): "nothing to update (empty answer)",
    ("update_list", "notice_no_updates"): "nothing to update",
    ("update_list", "notice_custom_fields_update_missing_vars"): "custom_fields_update needs field_label",
    ("update_list", "notice_custom_fields_delete_missing_vars"): "custom_fields_delete needs field_label",
}


def refusable(key: tuple[str, str]) -> bool:
    """Cases whose parameters the server would ignore or alter: a stage it does not know, a
    lower-case header flag (it falls back to its default without a word)."""
    case = key[1]
    return key in REFUSED or case.startswith(("invalid_", "common_")) or any(
        w in case for w in ("bogus", "unsupported", "lowercase"))


def test_samples_cover_every_function_of_the_groups() -> None:
    assert {a["function"] for a in ANSWERS} == {f["name"] for f in support.FUNCTIONS}
    assert len(ANSWERS) > 150


@pytest.mark.parametrize("answer", ANSWERS, ids=lambda a: f"{a['function']}.{a['case']}")
async def test_recorded_answer_through_the_method(answer: dict[str, Any]) -> None:
    function, case = answer["function"], answer["case"]
    kwargs = support.method_kwargs(function, answer["params"])
    vd, server = support.client(answer["body"], status=answer["http_status"])
    key = (function, case)
    try:
        result = await support.call(vd, function, **kwargs)
    except TypeError as exc:
        # A required parameter left out, or one the function does not have: refused by the signature.
        assert case.startswith(("invalid_", "common_")), exc
        assert "keyword" in str(exc) and server.forms == []
        return
    except InvalidParameterError as exc:
        if exc.sent is False:
            assert refusable(key), exc
            assert server.forms == []
            return
        assert case.startswith(("invalid_", "common_")), exc
        return
    except APIError as exc:
        assert key not in REFUSED
        assert case.startswith(("invalid_", "common_")), exc
        # The raw text is masked: a failed login's echoed password never comes back.
        assert exc.raw == answer["body"] or "Login incorrect" in answer["body"]
        assert not any(p in exc.raw for p in ("wrongpass1", "lowpass1"))
        return
    except TransportError:
        assert answer["http_status"] != 200
        return
    assert key not in REFUSED, "refusal expected"
    assert answer["http_status"] == 200 or "SUCCESS: " in answer["body"]
    assert not case.startswith("common_")
    raw = result.raw
    assert raw == answer["body"]
    if isinstance(result, TableResult):
        assert len(result) >= 1 or answer["body"].count("\n") <= 1
