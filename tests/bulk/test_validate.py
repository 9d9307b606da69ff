"""The loader refuses exactly what ``vd.leads.add_lead`` refuses: both run ``ADD_LEAD.prepare``."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from vicidial_async import InvalidParameterError, VicidialClient
from vicidial_async.operations import Prepared
from vicidial_async.operations.leads import ADD_LEAD

CASES: list[dict[str, Any]] = [
    {"phone_number": "3125550101"},
    {"phone_number": "3125550101", "first_name": "Ann", "duplicate_check": "DUPLIST"},
    {"phone_number": "312"},
    {"phone_number": "312,555"},
    {"phone_number": "3125550101", "first_name": "José"},
    {"phone_number": "3125550101", "email": "ann+x@example.com"},
    {"phone_number": "3125550101", "comments": 'say "hi"'},
    {"phone_number": "3125550101", "state": "Illinois"},
    {"phone_number": "3125550101", "gender": "X"},
    {"phone_number": "3125550101", "date_of_birth": "1/2/1990"},
    {"phone_number": "3125550101", "campaign_dnc_check": "Y"},
    {"phone_number": "3125550101", "duplicate_check": "DUPWHAT"},
    {"phone_number": "3125550101", "hopper_priority": "500"},
    {"phone_number": "3125550101", "vendor_lead_code": "--BLANK--"},
    {"phone_number": "3125550101", "gmt_offset_now": "-5"},
]


def add_lead_form(list_id: int, params: dict[str, Any],
                  custom: dict[str, Any] | None = None) -> Prepared[Any]:
    return ADD_LEAD.prepare({"list_id": list_id, **params}, custom)


class Sent(Exception):
    pass


def refuse_sending(request: httpx.Request) -> httpx.Response:
    raise Sent


@pytest.mark.parametrize("params", CASES)
async def test_add_lead_form_agrees_with_add_lead(params: dict[str, Any]) -> None:
    transport = httpx.MockTransport(refuse_sending)
    async with VicidialClient("http://localhost", "u1", "p1", rate_limit=None,
                              http_client=httpx.AsyncClient(transport=transport)) as vd:
        try:
            await vd.leads.add_lead(list_id=101, **params)
        except InvalidParameterError as exc:
            assert not exc.sent
            with pytest.raises(InvalidParameterError) as ours:
                add_lead_form(101, params)
            assert (ours.value.parameter, str(ours.value)) == (exc.parameter, str(exc))
        except Sent:
            form = add_lead_form(101, params).form
            assert form["phone_number"] == params["phone_number"] and form["list_id"] == "101"


def test_custom_fields_go_after_the_standard_ones_with_the_flag() -> None:
    built = add_lead_form(101, {"phone_number": "3125550101"}, {"fav_color": "blue"})
    assert list(built.form)[-2:] == ["custom_fields", "fav_color"]
    with pytest.raises(InvalidParameterError):
        add_lead_form(101, {"phone_number": "3125550101"}, {"first_name": "x"})


def test_data_warnings_are_returned_not_lost() -> None:
    built = add_lead_form(101, {"phone_number": "3125550101", "last_name": "O'Neil"})
    assert any("apostrophe" in str(w) for w in built.warnings)


def test_an_unknown_parameter_is_a_typed_refusal() -> None:
    with pytest.raises(InvalidParameterError) as err:
        add_lead_form(101, {"phone_number": "3125550101", "colour": "red"})
    assert not err.value.sent
