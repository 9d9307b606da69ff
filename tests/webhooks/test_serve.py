"""``vicidial webhooks serve`` as a real uvicorn process: events file, restart, kill -9 under load."""

from __future__ import annotations

import asyncio
import json
import time
from pathlib import Path

import httpx

from .conftest import TOKEN, dispo_query
from .serve_process import ServeProcess


def out_lines(path: Path) -> list[dict[str, object]]:
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text().splitlines() if line.strip()]


async def wait_for_lines(path: Path, count: int, timeout: float = 30.0) -> list[dict[str, object]]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        lines = out_lines(path)
        if len(lines) >= count:
            return lines
        await asyncio.sleep(0.05)
    return out_lines(path)


async def test_events_file_and_refusals_over_http(tmp_path: Path) -> None:
    out = tmp_path / "events.jsonl"
    with ServeProcess(tmp_path / "j", out) as server:
        async with httpx.AsyncClient(base_url=server.url) as http:
            # the long request line of a full dispo URL passes (h11's default limit is 16 KiB)
            long_notes = "x" * 30_000
            r = await http.get(f"/hooks?{dispo_query(call_notes=long_notes)}")
            assert r.status_code == 200, r.text
            assert (await http.get(f"/hooks?{dispo_query()}")).status_code == 200
            assert (await http.get(f"/hooks?{dispo_query()}")).text == "OK duplicate\n"
            assert (await http.get(f"/hooks?{dispo_query(token='x' * 20)}")).status_code == 401
            assert (await http.get("/hooks?hook=dispo&token=" + TOKEN + "&a=%G1")).status_code == 400
        lines = await wait_for_lines(out, 2)
        errors = server.stderr()
    assert len(lines) == 2
    fields = lines[1]["fields"]
    assert isinstance(fields, dict)
    assert fields["dispo_name"] == "Sale Made" and fields["first_name"] == "José"
    assert fields["call_notes"] == ""
    assert {"id", "kind", "received_at", "fields"} <= set(lines[1])
    assert TOKEN not in out.read_text() and TOKEN not in errors


async def test_kill_9_under_load_loses_no_accepted_event(tmp_path: Path) -> None:
    journal, out = tmp_path / "journal", tmp_path / "events.jsonl"
    accepted: set[int] = set()
    total = 600
    enough = asyncio.Event()

    async def fire(http: httpx.AsyncClient, lead: int) -> None:
        try:
            r = await http.get(f"/h?{dispo_query(lead_id=lead)}")
        except httpx.HTTPError:
            return  # refused or cut by the kill: not accepted, VICIdial would log and drop it
        if r.status_code == 200:
            accepted.add(lead)
            if len(accepted) >= 150:
                enough.set()

    server = ServeProcess(journal, out).start()
    try:
        limits = httpx.Limits(max_connections=32)
        # No pool timeout: on a slow machine the queued requests wait for a connection instead of
        # failing, so 150 are accepted however long the server takes (a PoolTimeout for most of
        # them would leave fewer than 150, and nothing to kill the server for).
        timeout = httpx.Timeout(60, pool=None)
        async with httpx.AsyncClient(base_url=server.url, limits=limits, timeout=timeout) as http:
            tasks = [asyncio.create_task(fire(http, lead)) for lead in range(1, total + 1)]
            all_done = asyncio.ensure_future(asyncio.gather(*tasks))
            waiting = asyncio.ensure_future(enough.wait())
            await asyncio.wait([all_done, waiting], return_when=asyncio.FIRST_COMPLETED)
            waiting.cancel()
            assert enough.is_set(), f"only {len(accepted)} of {total} accepted before the kill"
            server.kill()  # mid-load: requests in flight, events journaled but not yet handled
            await all_done
    finally:
        server.stop()
    assert 150 <= len(accepted) < total
    with ServeProcess(journal, out) as again:
        lines = await wait_for_lines(out, len(accepted), timeout=120)
        # replays of accepted requests after the restart are still recognised
        async with httpx.AsyncClient(base_url=again.url) as http:
            for lead in sorted(accepted)[:5]:
                assert (await http.get(f"/h?{dispo_query(lead_id=lead)}")).text == "OK duplicate\n"
    leads = [int(str(line["fields"]["lead_id"])) for line in lines  # type: ignore[index]
             if isinstance(line["fields"], dict)]
    assert len(leads) == len(set(leads)), "an event was written twice"
    assert accepted <= set(leads), f"lost: {sorted(accepted - set(leads))[:10]}"
