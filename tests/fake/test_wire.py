"""The exact wire text: raw form posts against the fake compared with answers recorded from a real
VICIdial, and every function's answer checked against the reference templates."""

from __future__ import annotations

import contextlib
import json
import re
from typing import Any
from urllib.parse import parse_qsl, urlencode

import httpx
import pytest

from vicidial_async import APIError
from vicidial_async.protocol.decode import decode
from vicidial_async.protocol.lines import parse_line
from vicidial_async.protocol.registry import REGISTRY, common_errors
from vicidial_async.testing import FakeVicidial, VirtualClock

from ..conftest import load_real_answers, load_reference

# The real server's users, as far as its answers show them (passwords the tests send).
PASSWORDS = {
    "6666": "1234",
    "mgr8": "mgr8pass",
    "apiuser7": "api7pass",
    "funcrestrict": "funcpass1",
    "listrestrict": "listpass1",
    "ghostgrp": "ghostpass1",
    "apinoacc": "noaccpass1",
    "lowuser": "lowpass1",
    "badpassuser": "goodpass9",
    "agent001": "agentpass1",
}
REPLAYED = re.compile(
    r"^(common_|invalid_wrong_password|invalid_lowuser|invalid_perm_|"
    r"invalid_function_not_allowed|invalid_ghost_user_group|invalid_locked_account|"
    r"invalid_agent_not_logged_in|invalid_listrestrict)"
)
# Cases whose answer depends on something the fake does not model the same way.
NOT_REPLAYED = {
    ("agent", "webserver", "invalid_lowuser"),  # PHP answered HTTP 500 for this user
    ("agent", "send_notification", "invalid_lowuser"),  # carries the server's notification counter
    ("non_agent", "ccc_lead_info", "invalid_listrestrict"),  # needs the real call logs
}


def real_like_fake(case: str) -> FakeVicidial:
    """A fake seeded like the server the answers were recorded on."""
    fake = FakeVicidial(clock=VirtualClock(1_795_886_931.0))
    fake.seed(
        users=[
            {"user": "mgr8", "password": "mgr8pass", "user_level": 8},
            {
                "user": "apiuser7",
                "password": "api7pass",
                "user_level": 7,
                "view_reports": 0,
                "modify_leads": 0,
                "modify_campaigns": 0,
            },
            {
                "user": "funcrestrict",
                "password": "funcpass1",
                "user_level": 9,
                "api_allowed_functions": ["version"],
            },
            {
                "user": "listrestrict",
                "password": "listpass1",
                "user_level": 9,
                "api_list_restrict": True,
                "user_group": "LIMITED",
            },
            {
                "user": "ghostgrp",
                "password": "ghostpass1",
                "user_level": 9,
                "api_list_restrict": True,
                "user_group": "NOSUCHGRP",
            },
            {"user": "apinoacc", "password": "noaccpass1", "user_level": 9, "vdc_agent_api_access": 0},
            {"user": "lowuser", "password": "lowpass1", "user_level": 1, "modify_leads": 0},
            {"user": "badpassuser", "password": "goodpass9", "user_level": 9},
            {
                "user": "agent001",
                "password": "agentpass1",
                "user_level": 1,
                "vdc_agent_api_access": 0,
                "full_name": "Agent One",
                "user_group": "AGENTS",
                "custom_three": "876543",
            },
        ],
        leads=[
            {"lead_id": 2010, "phone_number": "3125550101", "first_name": "Ann", "last_name": "Lee"},
            {"lead_id": 2011, "phone_number": "7735550102", "alt_phone": "7735550199"},
            {"lead_id": 2012, "phone_number": "7275550103"},
            {"lead_id": 2013, "phone_number": "3125550104"},
        ],
        agents=[
            {
                "user": "agent001",
                "lead_id": 2010,
                "callerid": "Y1128180000000002010",
                "server_ip": "127.0.0.1",
                "session_id": "8600051",
                "sub_status": "DISPO",
                "webphone_url": "https://127.0.0.1/agc/webphone/webphone.php?phone_login=cc100&session_id=8600051",
            }
        ],
    )
    fake.state.user_groups["LIMITED"].allowed_campaigns = ("OTHER",)
    del fake.state.user_groups["NOSUCHGRP"]
    fake.state.seed_campaign({"campaign_id": "OTHER"})
    fake.state.add_callback(
        lead_id=2013, list_id=101, campaign_id="TESTCAMP", callback_time="2026-11-29 10:00:00"
    )
    if case == "invalid_locked_account":
        fake.users["badpassuser"].failed_login_count = 10
        fake.users["badpassuser"].last_login_epoch = fake.clock()
    return fake


def _replay_cases() -> list[Any]:
    cases = []
    for d in load_real_answers():
        if REPLAYED.match(d["case"]) and (d["api"], d["function"], d["case"]) not in NOT_REPLAYED:
            cases.append(pytest.param(d, id=f"{d['api']}-{d['function']}-{d['case']}"))
    return cases


def _normalize(body: str) -> str:
    return re.sub(r"UNIX_TIMESTAMP\(last_login_date\) < \d+", "UNIX_TIMESTAMP(last_login_date) < N", body)


@pytest.mark.parametrize("recorded", _replay_cases())
def test_answers_match_the_real_server_byte_for_byte(recorded: dict[str, Any]) -> None:
    params = dict(recorded["params"])
    if params.get("pass") == "***":
        echoed = re.search(r"\|" + re.escape(params.get("user", "")) + r"\|([^|]*)\|", recorded["body"])
        wrong = "wrong_password" in recorded["case"] or (
            recorded["api"] == "agent" and "locked" in recorded["case"]
        )
        params["pass"] = echoed.group(1) if echoed and wrong else PASSWORDS.get(params.get("user", ""), "x")
    fake = real_like_fake(recorded["case"])
    reply = fake.handle(recorded["api"], "", urlencode(params))
    assert reply.status == recorded["http_status"]
    assert _normalize(reply.body) == _normalize(recorded["body"])


def test_the_replay_covers_the_login_and_permission_templates() -> None:
    bodies = [d["body"] for d in load_real_answers() if REPLAYED.match(d["case"])]
    wanted = [
        t
        for api in ("non_agent", "agent")
        for e in common_errors(api)
        for t in e.lines
        if not any(
            k in t.text
            for k in (
                "IPBLOCK",
                "IP Address",
                "NOT ACTIVE",
                "user_group DOES",
                "{lead_id}",
                "{user}|{function}|{user_group}",
            )
        )
    ]
    for template in wanted:
        assert any(template.pattern.fullmatch(x) for b in bodies for x in b.splitlines()), template.text
    assert len(_replay_cases()) > 200


def _examples() -> list[Any]:
    ref = load_reference()
    return [
        pytest.param(api, fn["name"], fn["example"], id=f"{api}-{fn['name']}")
        for api, doc in ref.items()
        for fn in doc["functions"]
    ]


@pytest.mark.parametrize(("api", "function", "example"), _examples())
def test_every_function_answers_in_its_declared_format_with_reference_lines(
    api: str, function: str, example: str
) -> None:
    fake = real_like_fake("")
    params = dict(parse_qsl(example, keep_blank_values=True))
    reply = fake.handle(api, "", urlencode({"source": "test", "user": "6666", "pass": "1234", **params}))
    spec = REGISTRY[api, function]
    assert reply.status == 200
    with contextlib.suppress(APIError):  # an ERROR answer is well-formed too; its line is checked below
        decode(spec, reply.status, reply.body, params)
    for raw in reply.body.splitlines():
        parsed = parse_line(raw, spec)
        if parsed is not None and not (spec.response.format == "html" and parsed.tag == "SUCCESS"):
            assert parsed.template is not None, f"{raw!r} matches no reference template"


def test_query_string_wins_over_the_body_and_get_works(fake: FakeVicidial) -> None:
    body = urlencode(
        {
            "source": "test",
            "user": "6666",
            "pass": "1234",
            "function": "add_lead",
            "phone_number": "3125550101",
            "list_id": "101",
        }
    )
    reply = fake.handle("non_agent", "list_id=102&phone_number=3125550199", body)
    assert reply.body.startswith("SUCCESS: add_lead LEAD HAS BEEN ADDED - 3125550199|102|")
    get = fake.handle("non_agent", body.replace("3125550101", "3125550102"), "")
    assert get.body.startswith("SUCCESS: add_lead LEAD HAS BEEN ADDED - 3125550102|101|")


def test_agent_api_reads_the_last_body_field_as_value(fake: FakeVicidial) -> None:
    fake.login_agent("agent001")
    body = urlencode(
        {"source": "test", "user": "6666", "pass": "1234", "function": "send_dtmf", "agent_user": "agent001"}
    )
    assert fake.handle("agent", "", body).body == "SUCCESS: send_dtmf function set - agent001|agent001\n"


async def test_errors_are_http_200_text_html_and_coffee_is_418(fake: FakeVicidial) -> None:
    transport = httpx.ASGITransport(app=fake)
    async with httpx.AsyncClient(transport=transport, base_url="http://fake") as http:
        bad = await http.post(
            "/vicidial/non_agent_api.php",
            data={"source": "test", "user": "6666", "pass": "nope", "function": "add_lead"},
        )
        assert (bad.status_code, bad.headers["content-type"]) == (200, "text/html; charset=utf-8")
        assert bad.text == "ERROR: Login incorrect, please try again: |6666|nope|BAD|\n"
        tea = await http.post("/vicidial/non_agent_api.php", data={"function": "coffee"})
        assert (tea.status_code, tea.text) == (418, "Coffee: coffee|Error 418 I'm a teapot")
        agent = await http.get("/agc/api.php", params={"function": "version"})
        assert agent.text.startswith("VERSION: 2.14-81|BUILD: 240429-2220|DATE: ")
        missing = await http.get("/nothing")
        assert missing.status_code == 404


def test_reference_examples_file_is_the_shared_one() -> None:
    ref = load_reference()
    assert sum(len(d["functions"]) for d in ref.values()) == len(REGISTRY) == 91
    assert json.dumps(ref)  # loads as JSON


def test_close_window_link_follows_a_success_line() -> None:
    recorded = next(d for d in load_real_answers() if d["case"] == "valid_close_window_link")
    fake = real_like_fake("")
    params = {**recorded["params"], "pass": "1234"}
    assert fake.handle("agent", "", urlencode(params)).body == recorded["body"]
