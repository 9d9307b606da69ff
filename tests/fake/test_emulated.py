"""Which VICIdial functions the fake emulates, where each one's handler lives, and what an
unemulated function answers."""

from __future__ import annotations

import importlib
from pathlib import Path

import pytest

import vicidial_async.testing as testing_pkg
from vicidial_async.protocol.registry import REGISTRY
from vicidial_async.testing import FakeVicidial
from vicidial_async.testing.core import GROUPS, HANDLERS

from .conftest import post

# Every function the fake emulates, by reference group (``testing/<group>/`` holds its handlers).
EMULATED: dict[str, tuple[str, ...]] = {
    "agent_control": (
        "agent.audio_playback",
        "agent.call_agent",
        "agent.change_ingroups",
        "agent.external_dial",
        "agent.external_hangup",
        "agent.external_pause",
        "agent.external_status",
        "agent.force_fronter_audio_stop",
        "agent.force_fronter_leave_3way",
        "agent.logout",
        "agent.park_call",
        "agent.pause_code",
        "agent.preview_dial_action",
        "agent.ra_call_control",
        "agent.recording",
        "agent.refresh_panel",
        "agent.send_dtmf",
        "agent.send_notification",
        "agent.set_timer_action",
        "agent.st_get_agent_active_lead",
        "agent.switch_lead",
        "agent.transfer_conference",
        "agent.update_fields",
        "agent.vm_message",
        "agent.webphone_url",
        "non_agent.blind_monitor",
    ),
    "campaigns": (
        "non_agent.campaigns_list",
        "non_agent.hopper_list",
        "non_agent.ingroup_list",
        "non_agent.update_alt_url",
        "non_agent.update_campaign",
        "non_agent.update_cid_group_entry",
        "non_agent.update_presets",
    ),
    "dids": (
        "non_agent.add_did",
        "non_agent.copy_did",
        "non_agent.did_log_export",
        "non_agent.update_did",
    ),
    "dnc": (
        "non_agent.add_dnc_phone",
        "non_agent.add_fpg_phone",
        "non_agent.delete_dnc_phone",
        "non_agent.delete_fpg_phone",
    ),
    "leads": (
        "agent.external_add_lead",
        "non_agent.add_lead",
        "non_agent.batch_update_lead",
        "non_agent.ccc_lead_info",
        "non_agent.check_phone_number",
        "non_agent.lead_all_info",
        "non_agent.lead_callback_info",
        "non_agent.lead_dearchive",
        "non_agent.lead_field_info",
        "non_agent.lead_search",
        "non_agent.lead_status_search",
        "non_agent.update_lead",
        "non_agent.update_log_entry",
    ),
    "lists": (
        "non_agent.add_list",
        "non_agent.list_custom_fields",
        "non_agent.list_info",
        "non_agent.update_list",
    ),
    "phones": (
        "non_agent.add_group_alias",
        "non_agent.add_phone",
        "non_agent.add_phone_alias",
        "non_agent.update_phone",
        "non_agent.update_phone_alias",
    ),
    "recordings": ("non_agent.recording_lookup",),
    "stats": (
        "agent.calls_in_queue_count",
        "non_agent.agent_stats_export",
        "non_agent.agent_status",
        "non_agent.call_dispo_report",
        "non_agent.call_status_stats",
        "non_agent.callid_info",
        "non_agent.in_group_status",
        "non_agent.logged_in_agents",
        "non_agent.phone_number_log",
        "non_agent.user_group_status",
    ),
    "system": (
        "agent.version",
        "agent.webserver",
        "non_agent.callmenu_list",
        "non_agent.container_list",
        "non_agent.moh_list",
        "non_agent.server_refresh",
        "non_agent.sounds_list",
        "non_agent.version",
        "non_agent.vm_list",
    ),
    "users": (
        "agent.st_login_log",
        "non_agent.add_user",
        "non_agent.agent_campaigns",
        "non_agent.agent_ingroup_info",
        "non_agent.copy_user",
        "non_agent.update_remote_agent",
        "non_agent.update_user",
        "non_agent.user_details",
    ),
}


def _emulated() -> set[tuple[str, str]]:
    FakeVicidial()  # loads the handlers
    return set(HANDLERS)


def test_the_emulated_functions_are_the_listed_ones() -> None:
    listed = {tuple(name.split(".")) for names in EMULATED.values() for name in names}
    assert _emulated() == listed


def test_every_reference_function_is_emulated() -> None:
    assert set(REGISTRY) - _emulated() == set()


def test_each_handler_lives_in_the_package_of_its_reference_group() -> None:
    _emulated()
    for (api, function), handler in HANDLERS.items():
        group = handler.__module__.split(".")[2]
        assert group == REGISTRY[api, function].group, (api, function, handler.__module__)
        assert f"{api}.{function}" in EMULATED[group]


def test_each_group_package_is_loaded_and_named_after_a_reference_group() -> None:
    root = Path(testing_pkg.__file__).parent
    packages = {p.name for p in root.iterdir() if (p / "__init__.py").exists()}
    assert packages == set(GROUPS) == {spec.group for spec in REGISTRY.values()}
    for group in GROUPS:
        importlib.import_module(f"vicidial_async.testing.{group}")


def test_an_unemulated_reference_function_answers_501_saying_so(
    fake: FakeVicidial, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delitem(HANDLERS, ("non_agent", "add_did"))
    monkeypatch.delitem(HANDLERS, ("agent", "external_pause"))
    reply = fake.call("add_did", did_pattern="3125550000")
    assert (reply.status, reply.body) == (
        501,
        "ERROR: add_did IS NOT EMULATED BY THE FAKE SERVER - non_agent\n",
    )
    fake.login_agent("agent01")
    reply = fake.call("external_pause", api="agent", agent_user="agent01", value="PAUSE")
    assert (reply.status, reply.body) == (
        501,
        "ERROR: external_pause IS NOT EMULATED BY THE FAKE SERVER - agent\n",
    )


def test_a_function_outside_the_reference_still_answers_like_vicidial(fake: FakeVicidial) -> None:
    assert post(fake, "no_such_function") == "ERROR: NO FUNCTION SPECIFIED\n"
    assert post(fake, "no_such_function", api="agent") == ""
