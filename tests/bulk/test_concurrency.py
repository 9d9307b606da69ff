"""The loader's streaming core against a tiny ASGI server: concurrency is capped, order is kept."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any
from urllib.parse import parse_qs

import anyio
import httpx

from vicidial_async import VicidialClient
from vicidial_async.bulk import BulkLeadLoader, RowOutcome

Scope = MutableMapping[str, Any]


class TinyServer:
    """Answers every add_lead with SUCCESS after a short, varying delay; counts calls in flight."""

    def __init__(self) -> None:
        self.in_flight = 0
        self.max_in_flight = 0
        self.next_id = 1000
        self.calls = 0

    async def __call__(self, scope: Scope, receive: Callable[[], Awaitable[Any]],
                       send: Callable[[Any], Awaitable[None]]) -> None:
        body = b""
        while True:
            msg = await receive()
            body += msg.get("body", b"")
            if not msg.get("more_body"):
                break
        form = {k: v[0] for k, v in parse_qs(body.decode()).items()}
        if form["function"] == "lead_search":
            # The loader looks a row's phone up before its first lead exists (its watermark).
            text = f"ERROR: lead_search NO MATCHES FOUND IN THE SYSTEM: |{form['user']}|||x\n"
            await send({"type": "http.response.start", "status": 200,
                        "headers": [(b"content-type", b"text/html")]})
            await send({"type": "http.response.body", "body": text.encode()})
            return
        self.calls += 1
        self.in_flight += 1
        self.max_in_flight = max(self.max_in_flight, self.in_flight)
        try:
            # Later rows often finish first: the results must still come out in input order.
            await anyio.sleep(0.002 * (self.calls % 5))
        finally:
            self.in_flight -= 1
        self.next_id += 1
        text = (f"SUCCESS: add_lead LEAD HAS BEEN ADDED - {form['phone_number']}|{form['list_id']}|"
                f"{self.next_id}|-5|{form['user']}\n")
        await send({"type": "http.response.start", "status": 200,
                    "headers": [(b"content-type", b"text/html")]})
        await send({"type": "http.response.body", "body": text.encode()})


async def test_concurrency_is_capped_and_outcomes_keep_input_order() -> None:
    server = TinyServer()
    http = httpx.AsyncClient(transport=httpx.ASGITransport(app=server))
    rows = [{"phone": f"312555{i:04d}"} for i in range(300)]
    seen: list[RowOutcome] = []
    async with VicidialClient("http://localhost", "u1", "secret-pw", rate_limit=None,
                              max_connections=16, http_client=http) as vd:
        loader = BulkLeadLoader(vd, list_id=101, concurrency=5, window=32)
        summary = await loader.run(rows, on_outcome=seen.append)
    await http.aclose()
    assert summary.counts == {"added": 300} and server.calls == 300
    assert server.max_in_flight == 5          # reached, never exceeded
    assert [o.row for o in seen] == list(range(1, 301))
    assert len({o.lead_id for o in seen}) == 300


async def test_the_clients_connection_gate_caps_a_wider_loader() -> None:
    server = TinyServer()
    http = httpx.AsyncClient(transport=httpx.ASGITransport(app=server))
    async with VicidialClient("http://localhost", "u1", "secret-pw", rate_limit=None,
                              max_connections=3, http_client=http) as vd:
        summary = await BulkLeadLoader(vd, list_id=101, concurrency=12).run(
            [{"phone": f"312555{i:04d}"} for i in range(60)])
    await http.aclose()
    assert summary.counts == {"added": 60} and server.max_in_flight <= 3
