"""The Agent API operations are usable without a client: prepare gives the checked form.

The methods of ``vd.agent(...)`` only build parameters; what the wire carries and what is refused
is decided by the operation, so the loader, the fake server and tests can use the same object.
"""

from __future__ import annotations

import warnings

import pytest

from vicidial_async import InvalidParameterError
from vicidial_async.operations import agent as ops
from vicidial_async.protocol.lead_fields import VicidialDataWarning, check_lead_fields
from vicidial_async.protocol.registry import Safety

DIAL = {"search": True, "preview": False, "focus": False}


def test_external_dial_takes_the_number_as_value_and_lets_manualnext_through() -> None:
    form = ops.EXTERNAL_DIAL.prepare({"agent_user": "agent001", "phone_number": "3125551212",
                                      **DIAL}).form
    assert form["value"] == "3125551212" and "phone_number" not in form
    assert list(form)[-1] == "value"
    assert ops.EXTERNAL_DIAL.prepare({"agent_user": "agent001", "value": "MANUALNEXT",
                                      **DIAL}).form["value"] == "MANUALNEXT"


def test_alt_user_stands_in_for_agent_user_and_is_checked() -> None:
    prepared = ops.EXTERNAL_PAUSE.prepare({"alt_user": "crm42", "value": "PAUSE"})
    assert prepared.form == {"alt_user": "crm42", "value": "PAUSE"}
    with pytest.raises(InvalidParameterError) as info:
        ops.EXTERNAL_PAUSE.prepare({"alt_user": "crm-42", "value": "PAUSE"})
    assert info.value.parameter == "alt_user" and info.value.sent is False


def test_recording_status_may_be_resent_but_start_may_not() -> None:
    status = ops.RECORDING.prepare({"agent_user": "agent001", "value": "STATUS"})
    start = ops.RECORDING.prepare({"agent_user": "agent001", "value": "START"})
    assert status.safety is not Safety.UNSAFE and start.safety is Safety.UNSAFE


@pytest.mark.parametrize(("field", "text"), [("country_code", "us"), ("postal_code", "O'Hare"),
                                              ("middle_initial", "J-")])
def test_lead_fields_follow_the_agent_column_of_the_one_table(field: str, text: str) -> None:
    # The Non-Agent API keeps these characters, agc/api.php does not.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", VicidialDataWarning)
        check_lead_fields("add_lead", {field: text})
    with pytest.raises(InvalidParameterError) as info:
        ops.EXTERNAL_ADD_LEAD.prepare({"agent_user": "agent001", "phone_code": 1,
                                       "value": "3125550802", field: text})
    assert info.value.parameter == field
