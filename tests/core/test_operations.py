"""Operations: one sans-I/O object per function, used by the endpoints, the loader and the client."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from vicidial_async import errors
from vicidial_async.models.leads import added_ids
from vicidial_async.operations.leads import ADD_LEAD, LEAD_SEARCH
from vicidial_async.operations.users import UPDATE_USER
from vicidial_async.protocol.registry import REGISTRY, Safety

CLIENT = Path(__file__).resolve().parents[2] / "vicidial_async" / "client.py"


def test_prepare_checks_without_sending_and_says_how_the_call_may_be_resent() -> None:
    plain = ADD_LEAD.prepare({"phone_number": "3125550101", "list_id": 101})
    assert plain.form == {"phone_number": "3125550101", "list_id": "101"}
    assert plain.safety is Safety.UNSAFE
    checked = ADD_LEAD.prepare({"phone_number": "3125550101", "list_id": 101,
                                "duplicate_check": "DUPLIST"})
    assert checked.safety is Safety.IDEMPOTENT_WRITE
    with pytest.raises(errors.InvalidParameterError) as err:
        ADD_LEAD.prepare({"phone_number": "312,555", "list_id": 101})
    assert (err.value.parameter, err.value.sent) == ("phone_number", False)


def test_data_warnings_are_returned_with_the_form() -> None:
    prepared = ADD_LEAD.prepare({"phone_number": "3125550101", "list_id": 101, "last_name": "O'Neil"})
    assert any("apostrophe" in str(w) for w in prepared.warnings)


def test_derived_parameters_are_filled_in() -> None:
    prepared = LEAD_SEARCH.prepare({"search_method": "LEAD_ID", "lead_ids": [2001, 2002]})
    assert prepared.form["lead_id"] == "2001"


def test_prepare_leaves_the_callers_parameters_as_they_were() -> None:
    # An encoded value (alt phones as a list) and a derived one (lead_id from lead_ids) are
    # written into the form, never into the mapping the caller passed.
    params = {"phone_number": "3125550101", "list_id": 101, "multi_alt_phones": ["3125550199_1_cell"],
              "first_name": "Ann"}
    kept = dict(params)
    prepared = ADD_LEAD.prepare(params)
    assert params == kept
    assert list(prepared.form) == ["phone_number", "list_id", "multi_alt_phones", "first_name"]
    assert prepared.form["multi_alt_phones"] == "3125550199_1_cell"
    search = {"search_method": "LEAD_ID", "lead_ids": [2001, 2002]}
    LEAD_SEARCH.prepare(search)
    assert search == {"search_method": "LEAD_ID", "lead_ids": [2001, 2002]}


def test_with_result_keeps_the_checks_decoding_and_resend_policy() -> None:
    ids = ADD_LEAD.with_result(lambda answer, form: added_ids(answer))
    with pytest.raises(errors.InvalidParameterError):
        ids.prepare({"phone_number": "312,555", "list_id": 101})
    checked = ids.prepare({"phone_number": "3125550101", "list_id": 101, "duplicate_check": "DUPLIST"})
    assert checked.operation is ids and checked.safety is Safety.IDEMPOTENT_WRITE
    body = "SUCCESS: add_lead LEAD HAS BEEN ADDED - 3125550101|101|2001|-5.00|6666\n"
    answer = ids.decode(200, body, checked.form)
    assert ids.interpret(answer, checked.form) == (2001, 101)
    full = ADD_LEAD.interpret(ADD_LEAD.decode(200, body, checked.form), checked.form)
    assert (full.lead_id, full.list_id) == (2001, 101)   # the original keeps its own result
    # A resend that meets the duplicate its lost attempt made is still recovered.
    dup = "ERROR: add_lead DUPLICATE PHONE NUMBER IN LIST - 3125550101|101|2001\n"
    with pytest.raises(errors.DuplicateError) as err:
        ids.decode(200, dup, checked.form)
    recovered = checked.recover_resend(err.value)
    assert recovered is not None and recovered.recovered
    assert ids.interpret(recovered, checked.form) == (2001, 101)
    with pytest.raises(TypeError):
        UPDATE_USER.with_result(lambda answer, form: answer)


@pytest.mark.parametrize("body", [
    "SUCCESS: add_lead LEAD HAS BEEN ADDED - 3125550101|101||-5.00|6666\n",
    "NOTICE: add_lead NOT AN ADD - 3125550101|\n",
])
def test_the_ids_alone_are_refused_where_the_full_result_is(body: str) -> None:
    with pytest.raises(errors.DecodeError) as full:
        ADD_LEAD.interpret(ADD_LEAD.decode(200, body, {}), {})
    with pytest.raises(errors.DecodeError) as ids:
        added_ids(ADD_LEAD.decode(200, body, {}))
    assert str(ids.value) == str(full.value)


def test_an_error_answer_carries_its_lines_and_facet_and_may_be_a_result() -> None:
    body = ("NOTICE: update_user CAMPAIGN RANKS UPDATED - 6666|agent001|\n"
            "ERROR: update_user NO UPDATES DEFINED: |6666|UPDATE vicidial_users SET|\n")
    with pytest.raises(errors.APIError) as err:
        UPDATE_USER.decode(200, body, {"agent_user": "agent001"})
    exc = err.value
    assert exc.no_updates and not exc.nothing_found
    assert [line.tag for line in exc.lines] == ["NOTICE", "ERROR"]
    result = UPDATE_USER.interpret(exc, {"agent_user": "agent001"})
    assert result.notices == exc.notices


def test_a_nothing_found_answer_is_flagged() -> None:
    with pytest.raises(errors.NotFoundError) as err:
        LEAD_SEARCH.decode(200, "ERROR: lead_search NO MATCHES FOUND IN THE SYSTEM: |6666|||312|\n", {})
    assert err.value.nothing_found


def test_the_client_code_names_no_vicidial_function() -> None:
    """Function facts live in operations and specs: the client's code (docstrings aside) names none."""
    tree = ast.parse(CLIENT.read_text())
    strings = {node.value for node in ast.walk(tree)
               if isinstance(node, ast.Constant) and isinstance(node.value, str)}
    docs = {ast.get_docstring(node, clean=False) for node in ast.walk(tree)
            if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef))}
    code = " ".join(strings - docs)
    named = {name for _, name in REGISTRY if re.search(rf"\b{name}\b", code)}
    assert not named
