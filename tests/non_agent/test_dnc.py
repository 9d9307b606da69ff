"""add_dnc_phone, delete_dnc_phone, add_fpg_phone, delete_fpg_phone."""

from __future__ import annotations

import importlib
import sys
from pathlib import Path
from typing import Any

import pytest

from vicidial_async import (
    AlreadyExistsError,
    InvalidParameterError,
    NotFoundError,
    OutcomeUnknownError,
    PermissionDeniedError,
)
from vicidial_async.endpoints.dnc import SYSTEM_DNC

sys.path.insert(0, str(Path(__file__).parent))
support: Any = importlib.import_module("_leads_support")


async def test_dnc_add_and_delete() -> None:
    vd, server = support.client("SUCCESS: add_dnc_phone DNC NUMBER HAS BEEN ADDED - "
                                "6666|3125550333|SYSTEM_INTERNAL\n")
    res = await vd.dnc.add_dnc_phone(phone_number="3125550333", campaign_id=SYSTEM_DNC)
    assert server.form["campaign_id"] == "SYSTEM_INTERNAL"
    assert (res.phone_number, res.campaign_id, res.user, res.system) == (
        "3125550333", "SYSTEM_INTERNAL", "6666", True)
    vd, _ = support.client("SUCCESS: delete_dnc_phone DNC NUMBER HAS BEEN DELETED - "
                           "6666|3125550333|TESTCAMP\n")
    res = await vd.dnc.delete_dnc_phone(phone_number="3125550333", campaign_id="TESTCAMP")
    assert (res.campaign_id, res.system) == ("TESTCAMP", False)


async def test_fpg_add_and_delete() -> None:
    vd, _ = support.client("SUCCESS: add_fpg_phone FILTER PHONE GROUP NUMBER HAS BEEN ADDED - "
                           "6666|3125550337|FPGTEST\n")
    res = await vd.dnc.add_fpg_phone(phone_number="3125550337", group="FPGTEST")
    assert (res.phone_number, res.group) == ("3125550337", "FPGTEST")
    vd, _ = support.client("SUCCESS: delete_fpg_phone FILTER PHONE GROUP NUMBER HAS BEEN DELETED - "
                           "6666|3125550337|FPGTEST\n")
    res = await vd.dnc.delete_fpg_phone(phone_number="3125550337", group="FPGTEST")
    assert res.group == "FPGTEST"


@pytest.mark.parametrize(("function", "body", "error"), [
    ("add_dnc_phone", "ERROR: add_dnc_phone DNC NUMBER ALREADY EXISTS: |6666|3125550333|TESTCAMP\n",
     AlreadyExistsError),
    ("delete_dnc_phone", "ERROR: delete_dnc_phone DNC NUMBER DOES NOT EXIST: |6666|3125550333|"
     "SYSTEM_INTERNAL\n", NotFoundError),
    ("delete_dnc_phone", "ERROR: delete_dnc_phone USER DOES NOT HAVE PERMISSION TO DELETE DNC NUMBERS: "
     "|apinoacc|0\n", PermissionDeniedError),
    ("add_fpg_phone", "ERROR: add_fpg_phone FILTER PHONE GROUP DOES NOT EXIST: |6666|NOSUCHFPG\n",
     NotFoundError),
    ("delete_fpg_phone", "ERROR: delete_fpg_phone FILTER PHONE GROUP NUMBER DOES NOT EXIST: "
     "|6666|3125550337|FPGTEST\n", NotFoundError),
])
async def test_errors(function: str, body: str, error: type[Exception]) -> None:
    vd, _ = support.client(body)
    key = "campaign_id" if "dnc" in function else "group"
    with pytest.raises(error):
        await getattr(vd.dnc, function)(phone_number="3125550333", **{key: "FPGTEST"})


@pytest.mark.parametrize("function", ["add_dnc_phone", "delete_dnc_phone", "add_fpg_phone",
                                      "delete_fpg_phone"])
@pytest.mark.parametrize(("phone", "target"), [("312XXXXXXX", "C1"), ("3125,550", "C1"),
                                               ("31255", "C1"), ("3125550333", ""),
                                               ("3125550333", "X" * 31)])
async def test_refused_before_sending(function: str, phone: str, target: str) -> None:
    vd, server = support.client("")
    key = "campaign_id" if "dnc" in function else "group"
    with pytest.raises(InvalidParameterError) as info:
        await getattr(vd.dnc, function)(phone_number=phone, **{key: target})
    assert info.value.parameter == ("phone_number" if phone != "3125550333" else key)
    assert server.forms == []


async def test_a_lost_answer_is_not_resent() -> None:
    vd, server = support.client("", status=500, attempts=3)
    with pytest.raises(OutcomeUnknownError):
        await vd.dnc.add_dnc_phone(phone_number="3125550333", campaign_id=SYSTEM_DNC)
    assert len(server.forms) == 1


async def test_a_dnc_change_is_not_resent_after_a_503() -> None:
    vd, server = support.client("", status=503, attempts=3)
    with pytest.raises(OutcomeUnknownError):
        await vd.dnc.delete_fpg_phone(phone_number="3125550333", group="FPGTEST")
    assert len(server.forms) == 1
