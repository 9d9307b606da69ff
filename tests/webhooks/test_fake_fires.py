"""Round trip: template -> fake campaign -> fake agent acts -> the fake's GET -> receiver -> event."""

from __future__ import annotations

import asyncio
import json
import logging
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from vicidial_async.testing import FakeVicidial
from vicidial_async.webhooks import build_template, decode_request, install_webhook

from .conftest import TOKEN
from .serve_process import ServeProcess


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[ServeProcess, Path]]:
    out = tmp_path / "events.jsonl"
    with ServeProcess(tmp_path / "journal", out) as server:
        yield server, out


def read_events(out: Path) -> list[dict[str, Any]]:
    if not out.exists():
        return []
    return [json.loads(x) for x in out.read_text().splitlines() if x.strip()]


async def events_in(out: Path, count: int, timeout: float = 20.0) -> list[dict[str, Any]]:
    deadline = time.monotonic() + timeout
    lines = read_events(out)
    while len(lines) < count and time.monotonic() < deadline:
        await asyncio.sleep(0.05)
        lines = read_events(out)
    return lines


def seeded_fake() -> FakeVicidial:
    fake = FakeVicidial(seed_leads=[{
        "phone_number": "3125550190", "list_id": 101, "first_name": "José", "last_name": "O'Brien & Sons",
        "comments": "line one\nline two", "email": "jose+x@example.com", "entry_list_id": 101,
        "custom": {"favcolor": "red & green"}}])
    fake.login_agent("agent001", status="READY")
    return fake


async def test_dispositions_arrive_as_events(served: tuple[ServeProcess, Path],
                                             caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)  # httpx logs every request URL at INFO
    server, out = served
    fake = seeded_fake()
    lead_id = max(fake.leads)
    template = build_template("dispo", server.url + "/hooks", TOKEN, custom_fields=["favcolor"])
    async with fake.client() as vd:
        await install_webhook(vd, campaign_id="TESTCAMP", kind="dispo", template=template)
        fake.deliver_call("agent001", lead_id=lead_id)
        await vd.agent("agent001").external_status("SALE")
        fake.deliver_call("agent001", lead_id=lead_id)
        await vd.agent("agent001").external_status("NI")
    await fake.fire_webhooks()
    lines = await events_in(out, 2)
    assert [x["fields"]["dispo"] for x in lines] == ["SALE", "NI"]
    first = lines[0]["fields"]
    assert first["dispo_name"] == "Sale Made" and lines[1]["fields"]["dispo_name"] == "Not Interested"
    assert first["first_name"] == "José" and first["last_name"] == "O'Brien & Sons"
    assert first["email"] == "jose+x@example.com" and first["comments"] == "line one\nline two"
    assert first["call_notes"] == "" and first["favcolor"] == "red & green"
    assert first["lead_id"] == str(lead_id) and first["user"] == "agent001"
    assert [s["status"] for s in fake.state.webhooks_sent] == [200, 200]
    assert caplog.records and TOKEN not in caplog.text  # the install and the fake's GETs


async def test_alternate_rows_filter_by_status(served: tuple[ServeProcess, Path]) -> None:
    server, out = served
    fake = seeded_fake()
    lead_id = max(fake.leads)
    sales = build_template("dispo", server.url + "/sales", TOKEN, variables=["lead_id", "dispo"])
    every = build_template("dispo", server.url + "/all", TOKEN, variables=["lead_id", "dispo"])
    async with fake.client() as vd:
        await install_webhook(vd, campaign_id="TESTCAMP", kind="dispo", template=sales, alt=True,
                              switch_to_alt=True, statuses=["SALE"], description="sales")
        await install_webhook(vd, campaign_id="TESTCAMP", kind="dispo", template=every, alt=True,
                              description="all")
        for status in ("SALE", "NI"):
            fake.deliver_call("agent001", lead_id=lead_id)
            await vd.agent("agent001").external_status(status)
    await fake.fire_webhooks()
    lines = await events_in(out, 3)
    got = sorted((x["path"], x["fields"]["dispo"]) for x in lines)
    assert got == [("/all", "NI"), ("/all", "SALE"), ("/sales", "SALE")]


async def test_start_and_dead_call_urls(served: tuple[ServeProcess, Path]) -> None:
    server, out = served
    fake = seeded_fake()
    lead_id = max(fake.leads)
    camp = fake.state.campaigns["TESTCAMP"]
    camp.start_call_url = build_template("start", server.url + "/start", TOKEN,
                                         custom_fields=["favcolor"])
    camp.dead_trigger_url = build_template("dead", server.url + "/dead", TOKEN)
    fake.deliver_call("agent001", lead_id=lead_id)
    # the Start Call URL is sent inside the request that gave the agent the call
    await fake.fire_webhooks()
    assert [s["kind"] for s in fake.state.webhooks_sent] == ["start"]
    fake.hangup("agent001")  # the customer hangs up first
    await fake.fire_webhooks()
    lines = await events_in(out, 2)
    start, dead = (x for x in lines)
    assert start["kind"] == "start" and dead["kind"] == "dead"
    assert start["fields"]["comments"] == "line one\nline two"  # sent as !N by the server
    assert start["fields"]["favcolor"] == "red & green"
    assert dead["fields"]["lead_id"] == str(lead_id) and "dead_time" in dead["fields"]


async def test_no_agent_and_add_lead_urls(served: tuple[ServeProcess, Path]) -> None:
    from vicidial_async.testing import InGroup

    server, out = served
    fake = seeded_fake()
    lead_id = max(fake.leads)
    fake.state.campaigns["TESTCAMP"].na_call_url = build_template(
        "no_agent", server.url + "/na", TOKEN)
    fake.state.in_groups["SUPPORT"] = InGroup(group_id="SUPPORT", add_lead_url=build_template(
        "add_lead", server.url + "/add", TOKEN))
    waiting = fake.queue_call(phone_number="3125550190")
    waiting.lead_id = lead_id
    assert fake.drop_call(status="DROP") is waiting
    assert fake.state.live_calls == [] and fake.leads[lead_id].status == "DROP"
    # an inbound call from an unknown number: the in-group adds a lead
    fake.deliver_call("agent001", phone_number="3125559876", inbound=True, ingroup="SUPPORT")
    sent = await fake.fire_webhooks()
    assert sorted(s["kind"] for s in sent) == ["add_lead", "no_agent"]
    lines = {x["kind"]: x for x in await events_in(out, 2)}
    assert lines["no_agent"]["fields"]["status"] == "DROP"
    assert lines["no_agent"]["fields"]["lead_id"] == str(lead_id)
    assert lines["no_agent"]["fields"]["first_name"] == "José"
    assert lines["add_lead"]["fields"]["phone_number"] == "3125559876"
    assert lines["add_lead"]["fields"]["group"] == "SUPPORT"


async def test_fake_sends_what_the_real_server_sends(served: tuple[ServeProcess, Path]) -> None:
    # The expanded URL, read back by our own decoder, gives the same values as a recorded request.
    from vicidial_async.testing.webhook_firing import expand, php_urlencode

    url = expand("VARhttp://h/dispo?dispo_name=--A--dispo_name--B--&x=--A--no_such_variable--B--"
                 "&n=--A--FIRST_NAME--B--", {"dispo_name": php_urlencode(php_urlencode("Sale Made")),
                                             "first_name": php_urlencode("José")})
    assert url == ("http://h/dispo?dispo_name=Sale%2BMade&x=--A--no_such_variable--B--"
                   "&n=Jos%C3%A9")
    event = decode_request(url.partition("?")[2], kind="dispo")
    assert event.fields == {"dispo_name": "Sale Made", "n": "José"}


async def test_wrong_token_is_refused_and_nothing_is_retried(served: tuple[ServeProcess, Path]) -> None:
    server, out = served
    fake = seeded_fake()
    fake.state.campaigns["TESTCAMP"].dispo_call_url = build_template(
        "dispo", server.url + "/hooks", "not-the-right-token-000", variables=["lead_id"])
    fake.deliver_call("agent001", lead_id=max(fake.leads))
    fake.dispose("agent001", "SALE")
    sent = await fake.fire_webhooks()
    assert [s["status"] for s in sent] == [401]
    assert await events_in(out, 1, timeout=0.5) == []
