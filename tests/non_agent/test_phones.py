"""vd.phones: results from reference templates and recorded answers; values refused before sending."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import pytest

from vicidial_async import InvalidParameterError
from vicidial_async.errors import APIError, PermissionDeniedError, error_class_for_kind
from vicidial_async.protocol.registry import REGISTRY

sys.path.insert(0, str(Path(__file__).parent))
from _canned import client, render, template

NEW_PHONE: dict[str, Any] = {
    "extension": "55001", "dialplan_number": "55001", "voicemail_id": "55001",
    "phone_login": "55001", "phone_pass": "pw55001", "server_ip": "10.0.0.5", "protocol": "SIP",
    "registration_password": "reg55001", "phone_full_name": "Desk 55001", "local_gmt": -5,
    "outbound_cid": "3125550100"}
ARGS: dict[str, dict[str, Any]] = {
    "add_group_alias": {"caller_id_number": "3125550100", "group_alias_id": "chicago_main",
                        "group_alias_name": "Chicago Main"},
    "add_phone": NEW_PHONE,
    "update_phone": {"extension": "55001", "server_ip": "10.0.0.5", "outbound_cid": "3125550111"},
    "add_phone_alias": {"alias_id": "desk100", "phone_logins": ["100a", "100b"],
                        "alias_name": "Desk 100 pair"},
    "update_phone_alias": {"alias_id": "desk100", "phone_logins": ["100a", "100c"]},
}


async def test_add_group_alias() -> None:
    body = render(template("add_group_alias", "success", 0), group_alias_id="chicago_main",
                  group_alias_name="Chicago Main", caller_id_number="3125550100")
    vd, backend = client(body)
    res = await vd.phones.add_group_alias(**ARGS["add_group_alias"], caller_id_name="CHICAGO",
                                          active=True)
    assert (res.group_alias_id, res.group_alias_name, res.caller_id_number) == (
        "chicago_main", "Chicago Main", "3125550100")
    assert backend.forms[0]["active"] == "Y"


async def test_add_phone_formats_the_gmt_offset() -> None:
    body = render(template("add_phone", "success", 0), extension="55001", server_ip="10.0.0.5",
                  protocol="SIP", dialplan_number="55001")
    vd, backend = client(body)
    res = await vd.phones.add_phone(**NEW_PHONE, template_id="--BLANK--", is_webphone="Y_API_LAUNCH")
    assert (res.action, res.extension, res.protocol, res.dialplan_number) == (
        "added", "55001", "SIP", "55001")
    assert backend.forms[0]["local_gmt"] == "-5.00"
    assert backend.forms[0]["template_id"] == "--BLANK--"


@pytest.mark.parametrize(("index", "action"), [(0, "updated"), (1, "deleted")])
async def test_update_phone(index: int, action: str) -> None:
    body = render(template("update_phone", "success", index), extension="55001",
                  server_ip="10.0.0.5")
    vd, backend = client(body)
    kw: dict[str, Any] = {"delete_phone": True} if action == "deleted" else {
        "phone_full_name": "--BLANK--", "local_gmt": 9.5, "phone_ring_timeout": 60}
    res = await vd.phones.update_phone(extension="55001", server_ip="10.0.0.5", **kw)
    assert (res.action, res.extension, res.server_ip) == (action, "55001", "10.0.0.5")
    if action == "updated":
        assert backend.forms[0]["local_gmt"] == "9.50"


@pytest.mark.parametrize("function", ["update_phone", "update_phone_alias"])
async def test_delete_refused_by_a_notice_raises(function: str) -> None:
    vd, _ = client(render(template(function, "notices", 0), user="mgr8", allowed_user="0"))
    kw = ({"extension": "55001", "server_ip": "10.0.0.5", "delete_phone": True}
          if function == "update_phone" else {"alias_id": "desk100", "delete_alias": True})
    with pytest.raises(PermissionDeniedError) as info:
        await getattr(vd.phones, function)(**kw)
    assert info.value.sent


async def test_phone_alias_add_update_delete_unchanged() -> None:
    body = render(template("add_phone_alias", "success", 0), alias_id="desk100",
                  alias_name="Desk 100 pair", phone_logins="100a,100b")
    vd, backend = client(body)
    res = await vd.phones.add_phone_alias(**ARGS["add_phone_alias"])
    assert (res.action, res.alias_id, res.phone_logins) == ("added", "desk100", ("100a", "100b"))
    assert backend.forms[0]["phone_logins"] == "100a,100b"
    for index, action in ((0, "updated"), (1, "deleted")):
        vd, _ = client(render(template("update_phone_alias", "success", index), alias_id="desk100"))
        kw: dict[str, Any] = {"delete_alias": True} if action == "deleted" else {"alias_name": "Pair"}
        res = await vd.phones.update_phone_alias(alias_id="desk100", **kw)
        assert (res.action, res.alias_id) == (action, "desk100")
    vd, _ = client(render(template("update_phone_alias", "notices", 1)))
    res = await vd.phones.update_phone_alias(alias_id="desk100", alias_name="Pair")
    assert res.action == "unchanged"


PHONES = [s for s in REGISTRY.for_api("non_agent") if s.group == "phones"]


@pytest.mark.parametrize("spec", PHONES, ids=lambda s: s.name)
async def test_reference_error_templates_raise_their_error(spec: Any) -> None:
    for error in spec.all_errors:
        vd, _ = client(render(error.text))
        with pytest.raises(APIError) as info:
            await getattr(vd.phones, spec.name)(**ARGS[spec.name])
        assert type(info.value) is error_class_for_kind(error.kind), error.text


@pytest.mark.parametrize(("function", "kwargs", "parameter"), [
    ("add_group_alias", {"caller_id_number": "312555"}, None),
    ("add_group_alias", {"caller_id_number": "3125"}, "caller_id_number"),
    ("add_group_alias", {"caller_id_number": "3125550100", "group_alias_id": "a"}, "group_alias_id"),
    ("add_group_alias", {"caller_id_number": "3125550100", "group_alias_id": "chi-main"},
     "group_alias_id"),
    ("add_group_alias", {"caller_id_number": "3125550100", "group_alias_name": "A+B"},
     "group_alias_name"),
    ("add_phone", {**NEW_PHONE, "local_gmt": -5.5}, "local_gmt"),
    ("add_phone", {**NEW_PHONE, "protocol": "sip"}, "protocol"),
    ("add_phone", {**NEW_PHONE, "extension": "55 001"}, "extension"),
    ("add_phone", {**NEW_PHONE, "server_ip": "10.0.0.5/24"}, "server_ip"),
    ("add_phone", {**NEW_PHONE, "outbound_cid": "+13125550100"}, "outbound_cid"),
    ("update_phone", {"extension": "55001", "server_ip": "10.0.0.5", "voicemail_id": "--BLANK--"},
     "voicemail_id"),
    ("update_phone", {"extension": "55001", "server_ip": "10.0.0.5", "delete_phone": True,
                      "active": False}, "active"),
    ("update_phone", {"extension": "55001", "server_ip": "10.0.0.5", "phone_ring_timeout": 1},
     "phone_ring_timeout"),
    ("add_phone_alias", {"alias_id": "d1", "phone_logins": ["100 a"], "alias_name": "x"},
     "phone_logins"),
    ("update_phone_alias", {"alias_id": "desk100"}, "phone_logins"),
    ("update_phone_alias", {"alias_id": "desk100", "alias_name": "A", "delete_alias": True},
     "delete_alias"),
])
async def test_bad_values_are_refused_before_sending(function: str, kwargs: dict[str, Any],
                                                     parameter: str | None) -> None:
    vd, backend = client("should not be read\n")
    if parameter is None:  # a valid call, for contrast: it is sent
        with pytest.raises(Exception):  # noqa: B017 - the canned body has no SUCCESS line
            await getattr(vd.phones, function)(**kwargs)
        assert len(backend.forms) == 1
        return
    with pytest.raises(InvalidParameterError) as info:
        await getattr(vd.phones, function)(**kwargs)
    assert info.value.parameter == parameter and info.value.sent is False
    assert backend.forms == []


async def test_recorded_answers_decode(real_answers: list[dict[str, Any]]) -> None:
    decoded = 0
    for rec in real_answers:
        spec = REGISTRY.get(("non_agent", rec["function"]))
        if spec is None or spec.group != "phones" or rec["http_status"] != 200:
            continue
        vd, _ = client(rec["body"])
        kw = {k: v for k, v in rec["params"].items() if k not in ("user", "pass", "source", "function")}
        try:
            result = await getattr(vd.phones, spec.name)(**kw)
        except TypeError:
            assert "missing" in rec["case"], rec["case"]
            continue
        except InvalidParameterError as exc:
            assert exc.sent or not rec["case"].startswith("valid"), rec["case"]
            continue
        except APIError:
            assert "ERROR" in rec["body"] or "NOTICE" in rec["body"], rec["case"]
            continue
        decoded += 1
        assert result.raw == rec["body"], rec["case"]
        assert getattr(result, "action", "added") in ("added", "updated", "deleted"), rec["case"]
    assert decoded >= 7
