"""Every answer recorded from a real server decodes to a result or to a library error of the family
the answer itself calls for (an ERROR line -> an APIError subclass, HTTP 5xx -> HTTPStatusError...)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from vicidial_async import APIError, DecodeError, HTTPStatusError
from vicidial_async.protocol.decode import decode
from vicidial_async.protocol.lines import StatusAnswer, parse_line
from vicidial_async.protocol.other import KeyValues, Picker, TextAnswer
from vicidial_async.protocol.registry import REGISTRY
from vicidial_async.protocol.tables import Table

# Read at collection time for parametrization (the same file as the ``real_answers`` fixture).
_SAMPLES = Path(__file__).resolve().parent.parent / "samples" / "real_answers.jsonl"
_ALL = [json.loads(line) for line in _SAMPLES.read_text().splitlines() if line.strip()]
_ANSWERS = [a for a in _ALL if (a["api"], a["function"]) in REGISTRY]
_RESULT_TYPES = {"status": StatusAnswer, "table": Table, "key_value": KeyValues, "version": KeyValues,
                 "html": Picker, "text": TextAnswer}


def _has_error_line(body: str) -> bool:
    return any((p := parse_line(x)) is not None and p.tag == "ERROR" for x in body.split("\n"))


def test_samples_match_the_fixture(real_answers: list[dict[str, Any]]) -> None:
    assert real_answers == _ALL


def test_the_samples_cover_most_functions() -> None:
    assert len(_ANSWERS) > 900
    assert len({(a["api"], a["function"]) for a in _ANSWERS}) >= 85


@pytest.mark.parametrize("answer", _ANSWERS, ids=lambda a: f"{a['api']}.{a['function']}.{a['case']}")
def test_recorded_answer_decodes_to_its_family(answer: dict[str, Any]) -> None:
    spec = REGISTRY[answer["api"], answer["function"]]
    status, body, params = answer["http_status"], answer["body"], answer["params"]
    if status != 200:
        expected: type[Exception] = HTTPStatusError if status >= 500 else DecodeError
        if status >= 500 and "SUCCESS: " in body:
            expected = StatusAnswer  # type: ignore[assignment]
        with pytest.raises(expected):
            decode(spec, status, body, params)
        return
    if _has_error_line(body) and (spec.response.format != "text" or body.lstrip().startswith("ERROR")
                                  or "ERROR: " in body[:200]):
        with pytest.raises(APIError) as info:
            decode(spec, status, body, params)
        exc = info.value
        # Every real ERROR line fits a reference template, so the class and names are specific.
        assert type(exc) is not APIError, exc.line
        assert exc.fields or "{" not in exc.line
        assert exc.function == spec.name
        return
    result = decode(spec, status, body, params)
    # An HTML function asked for stage=text (agent_ingroup_info) answers plain text.
    html_as_text = spec.response.format == "html" and params.get("stage") == "text"
    assert isinstance(result, TextAnswer if html_as_text else _RESULT_TYPES[spec.response.format])
    assert result.raw == body
    if isinstance(result, StatusAnswer):
        assert all(line.tag != "ERROR" for line in result.lines)
        if answer["case"].startswith("valid"):
            assert result.ok or result.notices or result.other or not body.strip()
    if isinstance(result, Table):
        assert len(set(result.columns)) == len(result.columns), result.columns
        assert all(len(row) <= len(result.columns) for row in result.rows)
        if answer["case"].startswith(("valid", "stage")):
            # No row swallowed the next one (a short layout read as a value with a line break).
            assert not any("\n" in v for row in result.rows for v in row), result.rows
            widths = {len(row) for row in result.rows}
            assert len(widths) <= 1, widths
