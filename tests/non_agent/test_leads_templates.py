"""The reference's success, notice and error templates of every leads/lists/dnc function, rendered into
answers, come back from the typed methods as the right result or the right error."""

from __future__ import annotations

import datetime as dt
import importlib
import sys
from pathlib import Path
from typing import Any

import pytest

from vicidial_async import APIError
from vicidial_async.errors import error_class_for_kind
from vicidial_async.models._status import StatusResult
from vicidial_async.models._table import TableResult
from vicidial_async.models.dnc import DncPhoneResult, FpgPhoneResult
from vicidial_async.models.leads import (
    AddLeadResult,
    BatchUpdateLeadResult,
    CheckPhoneNumberResult,
    LeadDearchiveResult,
    LeadFieldInfo,
    UpdateLeadResult,
    UpdateLogEntryResult,
)
from vicidial_async.models.lists import AddListResult, UpdateListResult

sys.path.insert(0, str(Path(__file__).parent))
support: Any = importlib.import_module("_leads_support")

CALLS: dict[str, dict[str, Any]] = {
    "add_lead": {"phone_number": "3125551212", "list_id": 101},
    "update_lead": {"lead_id": 2001, "status": "SALE"},
    "batch_update_lead": {"lead_ids": [2001, 2002], "status": "NEW"},
    "lead_search": {"phone_number": "3125551212"},
    "lead_all_info": {"lead_id": 2001},
    "lead_field_info": {"lead_id": 2001, "field_name": "city"},
    "lead_status_search": {"status": "SALE", "date": dt.date(2024, 3, 15)},
    "ccc_lead_info": {"call_id": "V3151430220000055012"},
    "lead_callback_info": {"lead_id": 2001},
    "lead_dearchive": {"lead_id": 40017},
    "update_log_entry": {"call_id": "V3151430220000055012", "group": "SALES1", "status": "CALLBK"},
    "check_phone_number": {"phone_number": "3125551212", "local_call_time": "9am-9pm"},
    "add_list": {"list_id": 1101, "list_name": "Spring Leads", "campaign_id": "TESTCAMP"},
    "update_list": {"list_id": 1101, "active": False},
    "list_info": {"list_id": 101},
    "list_custom_fields": {"list_id": 101},
    "add_dnc_phone": {"phone_number": "3125550199", "campaign_id": "SYSTEM_INTERNAL"},
    "delete_dnc_phone": {"phone_number": "3125550199", "campaign_id": "SYSTEM_INTERNAL"},
    "add_fpg_phone": {"phone_number": "3125550199", "group": "BLOCKED"},
    "delete_fpg_phone": {"phone_number": "3125550199", "group": "BLOCKED"},
}
RESULTS: dict[str, type] = {
    "add_lead": AddLeadResult, "update_lead": UpdateLeadResult,
    "batch_update_lead": BatchUpdateLeadResult, "lead_dearchive": LeadDearchiveResult,
    "update_log_entry": UpdateLogEntryResult, "add_list": AddListResult,
    "update_list": UpdateListResult, "add_dnc_phone": DncPhoneResult,
    "delete_dnc_phone": DncPhoneResult, "add_fpg_phone": FpgPhoneResult,
    "delete_fpg_phone": FpgPhoneResult,
}
_TAGS = ("SUCCESS: ", "NOTICE: ", "ERROR: ")


def test_every_function_of_the_groups_has_a_sample_call() -> None:
    assert set(CALLS) == {f["name"] for f in support.FUNCTIONS}
    assert len(CALLS) == 20


def _error_cases() -> list[tuple[str, str, str]]:
    common = [(e, k) for e, k in zip(support.REFERENCE["common"]["errors"],
                                     ("authentication", "locked", "ip_blocked", "permission_denied",
                                      "invalid_parameter", "not_found", "unknown_function"),
                                     strict=True)]
    out = []
    for f in support.FUNCTIONS:
        kinds = {t.lines[0].text: t.kind for t in support.spec(f["name"]).response.errors}
        out += [(f["name"], e, kinds[e.split("\n")[0]]) for e in f["response"]["errors"]]
        out += [(f["name"], e, k) for e, k in common]
    return out


@pytest.mark.parametrize(("function", "template", "kind"), _error_cases(),
                         ids=lambda v: v if "ERROR" not in v else v[7:50])
async def test_error_template_raises_the_error_of_its_kind(function: str, template: str,
                                                           kind: str) -> None:
    body = support.render(template) + "\n"
    vd, server = support.client(body)
    with pytest.raises(APIError) as info:
        await support.call(vd, function, **CALLS[function])
    assert type(info.value) is error_class_for_kind(kind)
    assert info.value.function == function
    assert info.value.sent is True
    assert support.PASSWORD not in repr(info.value) + str(info.value) + info.value.raw
    assert len(server.forms) == 1


def _status_cases(kind: str) -> list[tuple[str, str]]:
    return [(f["name"], t) for f in support.FUNCTIONS if f["response"]["format"] == "status"
            for t in f["response"][kind]]


@pytest.mark.parametrize(("function", "template"), _status_cases("success"),
                         ids=lambda v: v if "SUCCESS" not in v else v[9:60])
async def test_success_template_gives_the_typed_result(function: str, template: str) -> None:
    body = support.render(template) + "\n"
    vd, _ = support.client(body)
    result = await support.call(vd, function, **CALLS[function])
    assert isinstance(result, RESULTS[function])
    assert result.raw == body


@pytest.mark.parametrize(("function", "template"), _status_cases("notices"),
                         ids=lambda v: v if "NOTICE" not in v else v[8:70])
async def test_notice_template_is_kept_with_the_result(function: str, template: str) -> None:
    notice = support.render(template)
    success = support.function_ref(function)["response"]["success"]
    # add_lead's notices always follow its SUCCESS line; the others may stand alone.
    body = (support.render(success[0]) + "\n" if function == "add_lead" else "") + notice + "\n"
    vd, _ = support.client(body)
    result = await support.call(vd, function, **CALLS[function])
    assert isinstance(result, RESULTS[function])
    assert [n.text for n in result.notices] == [notice]


def test_status_result_keeps_the_success_fields() -> None:
    from vicidial_async.protocol.lines import decode_status

    body = support.render(support.function_ref("add_dnc_phone")["response"]["success"][0]) + "\n"
    res = StatusResult.from_answer(decode_status(support.spec("add_dnc_phone"), body))
    assert res.get("phone_number") == "3125551212"
    assert res.data == ("6666", "3125551212", "TESTCAMP")


def test_table_result_behaves_like_a_tuple_of_rows() -> None:
    res = TableResult(rows=(1, 2, 3), columns=("n",), raw="1\n2\n3\n")
    assert list(res) == [1, 2, 3] and len(res) == 3 and res[-1] == 3 and res[:2] == (1, 2)
    assert not TableResult(rows=())
    assert "raw" not in repr(res)


def test_check_phone_number_templates_parse() -> None:
    ref = support.function_ref("check_phone_number")["response"]["success"]
    for template in ref:
        text = support.render(template, dialable="1", gmt_offset="-6.00", postal_code="60601",
                              state="IL", owner="CT")
        res = CheckPhoneNumberResult.parse(text)
        assert [c.method for c in res.checks] == [s.split(":")[0] for s in template.split("#")[:-1]]
        assert all(c.dialable and c.gmt_offset == -6.0 for c in res.checks)
        assert (res.phone_number, res.phone_code, res.postal_code, res.state, res.owner) == (
            "3125551212", "1", "60601", "IL", "CT")


async def test_lead_field_info_template_is_the_bare_value() -> None:
    template = support.function_ref("lead_field_info")["response"]["success"][0]
    vd, _ = support.client(support.render(template))
    res = await vd.leads.lead_field_info(lead_id=2001, field_name="city")
    assert isinstance(res, LeadFieldInfo) and res.value == "Chicago"


def test_tagged_templates_only_in_status_functions() -> None:
    for f in support.FUNCTIONS:
        if f["response"]["format"] != "status":
            assert not any(t.startswith(_TAGS) for t in f["response"]["success"])
