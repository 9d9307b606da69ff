"""The fake as a real HTTP server process (uvicorn): sockets, resets, control from another process."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator

import httpx
import pytest

from vicidial_async import OutcomeUnknownError, VicidialClient
from vicidial_async.cli import build_parser
from vicidial_async.testing import FakeServerProcess


@pytest.fixture(scope="module")
def server() -> Iterator[FakeServerProcess]:
    with FakeServerProcess(
        seed_leads=3,
        seed_agents=["agent001"],
        virtual_clock=1_767_225_600.0,
        seed_users=[{"user": "api8", "password": "pw8", "user_level": 8}],
    ) as srv:
        yield srv


async def test_calls_over_sockets_change_the_state_seen_by_another_process(server: FakeServerProcess) -> None:
    async with VicidialClient(server.url, "6666", "1234", rate_limit=None) as vd:
        added = await vd.leads.add_lead(phone_number="3125559001", list_id=101, first_name="Sock")
    state = server.state()
    lead = next(x for x in state["leads"] if x["lead_id"] == added.lead_id)
    assert (lead["phone_number"], lead["first_name"], lead["entry_date"]) == (
        "3125559001",
        "Sock",
        "2026-01-01 00:00:00",
    )
    assert {"api8", "agent001", "6666"} <= {u["user"] for u in state["users"]}
    assert [a["user"] for a in state["agents"]] == ["agent001"]
    assert {"lists", "dnc", "campaigns", "hopper", "callbacks"} <= set(state)


async def test_reset_after_applies_the_call_then_drops_the_connection(server: FakeServerProcess) -> None:
    server.set_fault("add_lead", reset="after", times=1)
    async with VicidialClient(server.url, "6666", "1234", rate_limit=None) as vd:
        with pytest.raises(OutcomeUnknownError):
            await vd.leads.add_lead(phone_number="3125559002", list_id=101)
    phones = [x["phone_number"] for x in server.state()["leads"]]
    assert phones.count("3125559002") == 1
    # The raw exchange: no HTTP answer at all, the connection is reset.
    server.set_fault("add_lead", reset="before", times=1)
    async with httpx.AsyncClient() as http:
        with pytest.raises(httpx.TransportError):
            await http.post(
                server.url + "/vicidial/non_agent_api.php",
                data={
                    "source": "t",
                    "user": "6666",
                    "pass": "1234",
                    "function": "add_lead",
                    "phone_number": "3125559003",
                    "list_id": "101",
                },
            )
    assert "3125559003" not in [x["phone_number"] for x in server.state()["leads"]]


async def test_trickle_mid_reset_and_503_over_sockets(server: FakeServerProcess) -> None:
    form = {"source": "test", "user": "6666", "pass": "1234", "function": "version"}
    async with httpx.AsyncClient() as http:
        server.set_fault("version", trickle=0.001, trickle_chunk=8, times=1)
        resp = await http.post(server.url + "/vicidial/non_agent_api.php", data=form)
        assert resp.text.startswith("VERSION: 2.14-194|") and resp.text.endswith("|\n")
        server.set_fault("version", http_status=503, retry_after=3, times=1)
        resp = await http.post(server.url + "/vicidial/non_agent_api.php", data=form)
        assert (resp.status_code, resp.headers["retry-after"]) == (503, "3")
        server.set_fault("version", reset="mid", times=1)
        with pytest.raises(httpx.TransportError):
            await http.post(server.url + "/vicidial/non_agent_api.php", data=form)
    server.clear_faults()


def test_seed_agent_driving_and_clock_control(server: FakeServerProcess) -> None:
    server.seed(leads=[{"phone_number": "3125559100", "vendor_lead_code": "SEEDED"}])
    lead_id = next(x["lead_id"] for x in server.state()["leads"] if x["vendor_lead_code"] == "SEEDED")
    session = server.agent("call", "agent001", lead_id=lead_id)
    assert (session["status"], session["lead_id"]) == ("INCALL", lead_id)
    server.advance_clock(30)
    server.agent("dispo", "agent001", status="SALE")
    state = server.state()
    assert next(x for x in state["leads"] if x["lead_id"] == lead_id)["status"] == "SALE"
    assert state["agents"][0]["time"]["talk"] == 30


def test_cli_registers_fake_server_with_its_options() -> None:
    args = build_parser().parse_args(
        [
            "fake-server",
            "--host",
            "127.0.0.1",
            "--port",
            "0",
            "--seed-leads",
            "5",
            "--faults-json",
            json.dumps([{"function": "add_lead", "latency": 0.01}]),
        ]
    )
    assert (args.host, args.port, args.seed_leads, args.command) == ("127.0.0.1", 0, 5, "fake-server")
    out = subprocess.run(
        [sys.executable, "-m", "vicidial_async", "fake-server", "--help"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "--seed-leads" in out and "--faults-json" in out


async def test_async_context_manager_starts_and_stops(tmp_path: object) -> None:
    async with FakeServerProcess() as srv:
        assert srv.pid is not None
        async with httpx.AsyncClient() as http:
            resp = await http.get(srv.url + "/_fake/health")
            assert resp.json() == {"ok": True}
    assert srv.pid is None
