"""vd.system: version, the pickers parsed into rows, server_refresh and blind_monitor."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path
from typing import Any

import pytest

from vicidial_async import DecodeError, InvalidParameterError
from vicidial_async.errors import APIError, error_class_for_kind
from vicidial_async.protocol.registry import REGISTRY

sys.path.insert(0, str(Path(__file__).parent))
from _canned import client, render


def recorded(real_answers: list[dict[str, Any]], function: str, case: str) -> str:
    return next(r["body"] for r in real_answers if r["function"] == function and r["case"] == case)  # type: ignore[no-any-return]


MONITOR = {"phone_login": "mgr201", "session_id": "8600051", "server_ip": "127.0.0.1"}
ARGS: dict[str, dict[str, Any]] = {
    "version": {}, "sounds_list": {}, "moh_list": {}, "vm_list": {},
    "container_list": {"type": "OTHER"}, "callmenu_list": {}, "server_refresh": {},
    "blind_monitor": MONITOR,
}


async def test_version_from_the_reference_template() -> None:
    (success,) = REGISTRY["non_agent", "version"].response.success
    body = render(success.text, version="2.14-81", build="240429-2220",
                  date_time="2026-11-28 17:28:51", epoch="1795886931", dst="1", tz="-5.00",
                  tz_now="-4.00")
    vd, backend = client(body)
    v = await vd.system.version()
    assert (v.version, v.build, v.date, v.epoch, v.dst, v.tz, v.tz_now) == (
        "2.14-81", "240429-2220", dt.datetime(2026, 11, 28, 17, 28, 51), 1795886931, True, -5.0,
        -4.0)
    assert backend.forms[0]["function"] == "version"


async def test_version_of_an_older_build(real_answers: list[dict[str, Any]]) -> None:
    vd, _ = client(recorded(real_answers, "version", "valid_no_credentials"))
    v = await vd.system.version()
    assert v.version == "2.14-81" and v.dst is None and v.tz is None


@pytest.mark.parametrize(("case", "fmt", "name", "url"), [
    ("valid_format_tab_stage_name", "tab", "seed-goodbye.wav", ""),
    ("valid_format_link_stage_name", "link", "seed-goodbye.wav",
     "http://127.0.0.1/sounds_test/seed-goodbye.wav"),
    ("valid_format_selectframe_stage_date", "selectframe", "seed-goodbye.wav", ""),
])
async def test_sounds_list_in_every_format(real_answers: list[dict[str, Any]], case: str,
                                           fmt: str, name: str, url: str) -> None:
    vd, backend = client(recorded(real_answers, "sounds_list", case))
    files = await vd.system.sounds_list(format=fmt, stage="name")  # type: ignore[arg-type]
    assert len(files) == 3 and files[0].name == name and files[0].url == url
    if fmt != "link":
        assert files[0].date == dt.datetime(2026, 11, 28, 17, 6, 59) and files[0].size == 2048
    assert backend.forms[0]["format"] == fmt


async def test_sounds_list_defaults_to_a_format_that_prints_rows() -> None:
    vd, backend = client("0\ta.wav\t2026-11-28 17:06:59.\t10\t1795885619\n")
    (f,) = await vd.system.sounds_list()
    assert (backend.forms[0]["format"], backend.forms[0]["stage"]) == ("tab", "name")
    assert (f.name, f.size, f.epoch) == ("a.wav", 10, 1795885619)


async def test_pickers(real_answers: list[dict[str, Any]]) -> None:
    vd, _ = client(recorded(real_answers, "moh_list", "valid_format_tab_ignored"))
    moh = await vd.system.moh_list(comments="moh_field")
    assert [(m.moh_id, m.moh_name, m.random, m.files) for m in moh] == [
        ("default", "Default Music On Hold", False, ("conf",)), ("SEEDMOH", "Seed MOH", False, ("conf",))]
    vd, _ = client(recorded(real_answers, "vm_list", "valid"))
    boxes = await vd.system.vm_list()
    assert (boxes[0].voicemail_id, boxes[0].name, boxes[0].email) == ("8500", "Main voicemail",
                                                                     "vm@example.com")
    assert boxes[1].name == "gs102 - Test Admin Phone"
    vd, backend = client(recorded(real_answers, "container_list", "valid_type_OTHER"))
    containers = await vd.system.container_list(type="OTHER")
    assert (containers[0].container_id, containers[0].container_notes) == (
        "AGENT_CALLBACK_EMAIL", "Scheduled callback email alert settings")
    assert backend.forms[0]["type"] == "OTHER"
    vd, _ = client(recorded(real_answers, "container_list", "valid_type_no_rows"))
    assert len(await vd.system.container_list(type="NOSUCHTYPE")) == 0
    vd, _ = client(recorded(real_answers, "callmenu_list", "valid"))
    menus = await vd.system.callmenu_list(comments="field_id")
    assert (menus[1].menu_id, menus[1].menu_name) == (
        "default---agent", "agent phones restricted to only internal extensions")
    assert menus.columns == ("menu_id", "menu_name") and "choose_file" in menus.raw


async def test_server_refresh() -> None:
    (success,) = REGISTRY["non_agent", "server_refresh"].response.success
    vd, backend = client(render(success.text, servers_flagged="3"))
    res = await vd.system.server_refresh()
    assert res.servers_flagged == 3 and backend.forms[0]["stage"] == "REFRESH"


async def test_blind_monitor_lives_on_system() -> None:
    (success,) = REGISTRY["non_agent", "blind_monitor"].response.success
    assert REGISTRY["non_agent", "blind_monitor"].group == "agent_control"
    body = render(success.text, phone_login="mgr201", monitor_dialstring="127*000*000*001*08600051",
                  dialplan_number="mgr201", session_id="8600051", man_id="256", user="apiuser")
    vd, backend = client(body)
    res = await vd.system.blind_monitor(**MONITOR, stage="BARGE")
    assert (res.phone_login, res.monitor_dialstring, res.session_id, res.man_id) == (
        "mgr201", "127*000*000*001*08600051", "8600051", 256)
    assert backend.forms[0]["stage"] == "BARGE"
    assert "blind_monitor" in (type(vd.system).__doc__ or "")


async def test_blind_monitor_empty_answer_is_not_success() -> None:
    vd, _ = client("")
    with pytest.raises(DecodeError):
        await vd.system.blind_monitor(**MONITOR)


SYSTEM = [s for s in REGISTRY.for_api("non_agent") if s.group in ("system", "agent_control")]


@pytest.mark.parametrize("spec", SYSTEM, ids=lambda s: s.name)
async def test_reference_error_templates_raise_their_error(spec: Any) -> None:
    for error in spec.all_errors:
        vd, _ = client(render(error.text))
        with pytest.raises(APIError) as info:
            await getattr(vd.system, spec.name)(**ARGS[spec.name])
        assert type(info.value) is error_class_for_kind(error.kind), error.text


@pytest.mark.parametrize(("function", "kwargs", "parameter"), [
    ("sounds_list", {"comments": "a+b"}, "comments"),
    ("moh_list", {"comments": "field;x"}, "comments"),
    ("sounds_list", {"format": "TAB"}, "format"),
    ("container_list", {"type": "OTHER TYPE"}, "type"),
    ("server_refresh", {"stage": "refresh"}, "stage"),
    ("blind_monitor", {**MONITOR, "session_id": "860005"}, "session_id"),
    ("blind_monitor", {**MONITOR, "server_ip": "127.0.0.1/32"}, "server_ip"),
    ("blind_monitor", {**MONITOR, "stage": "monitor"}, "stage"),
    ("blind_monitor", {**MONITOR, "phone_login": "mgr 201"}, "phone_login"),
])
async def test_bad_values_are_refused_before_sending(function: str, kwargs: dict[str, Any],
                                                     parameter: str) -> None:
    vd, backend = client("should not be read\n")
    with pytest.raises(InvalidParameterError) as info:
        await getattr(vd.system, function)(**kwargs)
    assert info.value.parameter == parameter and info.value.sent is False
    assert backend.forms == []
