"""Injected failures: what the client sees, and whether the call was applied."""

from __future__ import annotations

from urllib.parse import urlencode

import httpx
import pytest

from vicidial_async import HTTPStatusError, OutcomeUnknownError, RetryPolicy, VicidialClient
from vicidial_async.testing import FakeConnectionReset, FakeVicidial

FORM = {
    "source": "test",
    "user": "6666",
    "pass": "1234",
    "function": "add_lead",
    "phone_number": "3125550142",
    "list_id": "101",
}


async def _raw(fake: FakeVicidial, form: dict[str, str] | None = None) -> httpx.Response:
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=fake), base_url="http://fake") as http:
        return await http.post(
            "/vicidial/non_agent_api.php",
            content=urlencode(form or FORM),
            headers={"content-type": "application/x-www-form-urlencoded"},
        )


async def test_reset_after_applies_the_call_and_the_client_does_not_resend(
    fake: FakeVicidial, vd: VicidialClient
) -> None:
    fake.faults.set("add_lead", reset="after", times=1)
    with pytest.raises(OutcomeUnknownError):
        await vd.leads.add_lead(phone_number="3125550142", list_id=101)
    assert [x.phone_number for x in fake.leads.values()] == ["3125550142"]
    assert fake.faults.injected == [("non_agent", "add_lead", "reset_after")]


async def test_reset_after_with_a_duplicate_check_is_recovered_from_the_resend(
    fake: FakeVicidial, vd: VicidialClient
) -> None:
    fake.faults.set("add_lead", reset="after", times=1)
    added = await vd.leads.add_lead(phone_number="3125550142", list_id=101, duplicate_check="DUPLIST")
    assert added.recovered and list(fake.leads) == [added.lead_id]


async def test_reset_before_applies_nothing(fake: FakeVicidial) -> None:
    fake.faults.set("add_lead", reset="before")
    with pytest.raises(httpx.ReadError):
        await _raw(fake)
    assert fake.leads == {}


async def test_a_read_is_retried_after_a_reset_and_a_503(fake: FakeVicidial, vd: VicidialClient) -> None:
    fake.seed(leads=[{"phone_number": "3125550101"}])
    fake.faults.set("lead_search", reset="after", times=1)
    table = await vd.call("lead_search", phone_number="3125550101")
    assert table.rows[0][1] == "1"
    fake.faults.set("lead_search", http_status=503, retry_after=0, times=2)
    table = await vd.call("lead_search", phone_number="3125550101")
    assert table.rows[0][1] == "1"
    assert [k for _, _, k in fake.faults.injected] == ["reset_after", "http_503", "http_503"]


async def test_http_status_carries_retry_after_and_applies_nothing(fake: FakeVicidial) -> None:
    fake.faults.set("add_lead", http_status=503, retry_after=2)
    resp = await _raw(fake)
    assert (resp.status_code, resp.headers["retry-after"], resp.text) == (503, "2", "")
    assert fake.leads == {}


async def test_http_500_after_applying_sends_the_success_line(fake: FakeVicidial, vd: VicidialClient) -> None:
    fake.faults.set("add_lead", http_status=500, apply=True, times=1)
    added = await vd.leads.add_lead(phone_number="3125550142", list_id=101)
    assert added.lead_id in fake.leads


async def test_html_error_page_and_error_answer_apply_nothing(fake: FakeVicidial) -> None:
    fake.faults.set("add_lead", html_error=True, http_status=502, times=1)
    resp = await _raw(fake)
    assert resp.status_code == 502 and "<h1>Bad Gateway</h1>" in resp.text
    fake.faults.set("add_lead", error=True, times=1)
    resp = await _raw(fake)
    assert (resp.status_code, resp.text) == (
        200,
        "ERROR: add_lead LEAD HAS NOT BEEN ADDED - 3125550142|101||6666\n",
    )
    assert fake.leads == {}


async def test_truncated_and_trickled_bodies_are_applied(fake: FakeVicidial) -> None:
    fake.faults.set("add_lead", truncate=0.25, times=1)
    resp = await _raw(fake)
    assert resp.text == "SUCCESS: add_lead"  # a quarter of the 70-character answer
    sleeps: list[float] = []

    async def record(seconds: float) -> None:
        sleeps.append(seconds)

    fake._sleep = record
    fake.faults.set("add_lead", trickle=0.01, trickle_chunk=10, times=1)
    resp = await _raw(fake, {**FORM, "phone_number": "3125550143"})
    assert resp.text.startswith("SUCCESS: add_lead LEAD HAS BEEN ADDED - 3125550143|101|2|")
    assert len(sleeps) == -(-len(resp.text) // 10)
    assert len(fake.leads) == 2


async def test_a_truncated_table_is_a_decode_failure_for_the_client(
    fake: FakeVicidial, vd: VicidialClient
) -> None:
    from vicidial_async import TruncatedAnswerError

    fake.seed(leads=3)
    fake.faults.set("campaigns_list", truncate=0.9)
    with pytest.raises(TruncatedAnswerError):
        await vd.call("campaigns_list", header="YES")


async def test_latency_fixed_callable_and_distribution(clock: object) -> None:
    sleeps: list[float] = []

    async def record(seconds: float) -> None:
        sleeps.append(seconds)

    fake = FakeVicidial(sleep=record)
    fake.faults.set("add_lead", latency=0.05)
    await _raw(fake)
    fake.faults.set("add_lead", latency=lambda: 0.2)
    await _raw(fake, {**FORM, "phone_number": "3125550143"})
    fake.faults.set("*", latency={"dist": "uniform", "low": 0.01, "high": 0.02})
    await _raw(fake, {**FORM, "function": "version"})
    assert sleeps[:2] == [0.05, 0.2] and 0.01 <= sleeps[2] <= 0.02
    assert len(fake.leads) == 2  # latency alone changes nothing else


async def test_rate_skip_and_times_select_which_calls_fail(fake: FakeVicidial) -> None:
    fake.faults.set("add_lead", error=True, skip=2, times=1)
    bodies = [(await _raw(fake, {**FORM, "phone_number": f"31255501{i:02d}"})).text for i in range(5)]
    assert [b.startswith("ERROR") for b in bodies] == [False, False, True, False, False]
    fake.faults.set("add_lead", error_rate=0.3)
    errors = 0
    for i in range(200):
        errors += (await _raw(fake, {**FORM, "phone_number": f"3125552{i:03d}"})).text.startswith("ERROR")
    assert 30 < errors < 90
    fake.faults.clear()
    assert (await _raw(fake, {**FORM, "phone_number": "3125559999"})).text.startswith("SUCCESS")


async def test_faults_can_be_armed_and_state_read_over_http(fake: FakeVicidial) -> None:
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=fake), base_url="http://fake") as http:
        armed = await http.post(
            "/_fake/faults", json={"function": "add_lead", "http_status": 500, "times": 1}
        )
        assert armed.json()[0]["http_status"] == 500
        seeded = await http.post(
            "/_fake/seed",
            json={
                "leads": [{"phone_number": "3125550101"}],
                "users": [{"user": "api2", "password": "pw2", "user_level": 8}],
            },
        )
        assert seeded.json()["leads"] == 1
        await http.post("/_fake/agent", json={"action": "login", "user": "agent001"})
        state = (await http.get("/_fake/state")).json()
        assert [x["phone_number"] for x in state["leads"]] == ["3125550101"]
        assert {"6666", "api2", "agent001"} <= {u["user"] for u in state["users"]}
        assert [a["user"] for a in state["agents"]] == ["agent001"]
        assert all("password" not in u for u in state["users"])
        await http.post("/_fake/clock", json={"advance": 60})
        cleared = await http.delete("/_fake/faults")
        assert cleared.json() == {"ok": True}
        bad = await http.post("/_fake/faults", json={"function": "x", "reset": "sideways"})
        assert bad.status_code == 400


async def test_client_sees_http_errors_for_unsafe_calls(fake: FakeVicidial) -> None:
    fake.faults.set("add_lead", http_status=502)
    async with fake.client(retry=RetryPolicy(attempts=1)) as vd:
        with pytest.raises((HTTPStatusError, OutcomeUnknownError)):
            await vd.leads.add_lead(phone_number="3125550142", list_id=101)
    assert fake.leads == {}


def test_in_process_reset_is_an_httpx_read_error() -> None:
    assert issubclass(FakeConnectionReset, httpx.ReadError)
