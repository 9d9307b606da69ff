"""Send permits (the fsynced journal's batches): every send is covered by what was fsynced
before it, and after a power cut the rows a permit covers are looked up before any resend."""

from __future__ import annotations

import errno
import json
import os
import threading
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path
from urllib.parse import parse_qs

import anyio
import httpx
import pytest

from vicidial_async._durable import Boot
from vicidial_async.bulk import BulkLeadLoader
from vicidial_async.bulk import loader as loader_module
from vicidial_async.bulk.journal import JournalState
from vicidial_async.testing import FakeVicidial

from .conftest import PASSWORD, USER, lead_counts, phones, read_results


def watch_journal_fsyncs(monkeypatch: pytest.MonkeyPatch, journal: Path, durable: list[bytes],
                         before: Callable[[], None] | None = None) -> None:
    """Append to ``durable``, at each fsync of ``journal``, what that fsync made durable: the
    bytes the file held when it started (writes racing with it may or may not be covered).
    ``before`` runs first at each fsync of the journal (to hold it, or raise its failure)."""
    real_fsync = os.fsync

    def fsync(fd: int) -> None:
        try:
            is_journal = os.readlink(f"/proc/self/fd/{fd}") == str(journal)
        except OSError:
            is_journal = False
        if is_journal and before is not None:
            before()
        data = journal.read_bytes() if is_journal else b""
        real_fsync(fd)
        if is_journal:
            durable.append(data)

    monkeypatch.setattr(os, "fsync", fsync)


def records(data: bytes) -> list[dict[str, object]]:
    return [json.loads(x) for x in data.split(b"\n") if x.endswith(b"}")]


def covered(recs: list[dict[str, object]], row: int) -> bool:
    """Whether a send of ``row`` may go: its own ``s`` record or a permit covering it."""
    return any((r["t"] == "s" and r["r"] == row)
               or (r["t"] == "p" and int(str(r["r"])) <= row <= int(str(r["u"])))
               for r in recs)


pytestmark = pytest.mark.skipif(not Path("/proc/self/fd").is_dir() or not Path(
    "/proc/sys/kernel/random/boot_id").exists(), reason="permits need Linux's boot id")


async def test_every_send_is_covered_by_what_was_fsynced_before_it(fake: FakeVicidial,
                                                                   tmp_path: Path,
                                                                   monkeypatch: pytest.MonkeyPatch
                                                                   ) -> None:
    journal = tmp_path / "r.csv.journal"
    durable: list[bytes] = []
    watch_journal_fsyncs(monkeypatch, journal, durable)
    numbers = phones(400)
    row_of = {p: i + 1 for i, p in enumerate(numbers)}
    uncovered: list[int] = []

    async def check_send(request: httpx.Request) -> None:
        form = parse_qs((await request.aread()).decode())
        if form.get("function") == ["add_lead"]:
            row = row_of[form["phone_number"][0]]
            if not durable or not covered(records(durable[-1]), row):
                uncovered.append(row)

    http = httpx.AsyncClient(transport=httpx.ASGITransport(app=fake), base_url="http://localhost",
                             event_hooks={"request": [check_send]})
    async with http, fake.client(user=USER, password=PASSWORD, http_client=http) as vd:
        summary = await BulkLeadLoader(vd, list_id=101, concurrency=8).run(
            [{"phone": p} for p in numbers], results=tmp_path / "r.csv")
    assert summary.counts == {"added": 400}
    assert uncovered == []
    # Batched: one fsync per permit (and the first row's own), not one per row.
    assert 2 <= len(durable) <= 40
    assert any(r["t"] == "p" for r in records(durable[-1]))


async def test_after_a_power_cut_the_rows_a_permit_covers_are_looked_up_before_any_resend(
        fake: FakeVicidial, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # A power cut loses what was written after the journal's last fsync, so rows sent on a
    # permit lose their "s" records. Simulated: the journal's fsyncs after its first permit hang
    # (the rows that permit covers are sent, the next ones wait), the load is stopped, the
    # journal cut back to what the permit's fsync covered, and resumed in another boot.
    journal = tmp_path / "r.csv.journal"
    durable: list[bytes] = []
    release = threading.Event()

    def hold_after_the_first_permit() -> None:
        if durable and any(r["t"] == "p" for r in records(durable[-1])):
            release.wait(30)

    watch_journal_fsyncs(monkeypatch, journal, durable, before=hold_after_the_first_permit)
    numbers = phones(300)
    async with fake.client(user=USER, password=PASSWORD, max_connections=4) as vd:
        loader = BulkLeadLoader(vd, list_id=101, concurrency=4, settle=0)
        async with anyio.create_task_group() as tg:
            tg.start_soon(partial(loader.run, [{"phone": p} for p in numbers],
                                  results=tmp_path / "r.csv"))
            seen = -1
            while (now := sum(lead_counts(fake).values())) != seen:   # until the sends stop
                seen = now
                await anyio.sleep(0.2)
            kept = durable[-1]
            loader.abort()
            release.set()
        journal.write_bytes(kept)
        recorded = {r["r"] for r in records(kept) if r["t"] in ("s", "d")}
        landed = lead_counts(fake)
        lost = [row for row, p in enumerate(numbers, 1) if landed[p] and row not in recorded]
        assert len(lost) > 10, "the cut must lose the records of rows that landed"

        reboot = Boot("another-boot", time.time() - 600)
        monkeypatch.setattr(loader_module, "current_boot", lambda: reboot)
        again = await BulkLeadLoader(vd, list_id=101, concurrency=4, settle=0).run(
            [{"phone": p} for p in numbers], results=tmp_path / "r.csv", resume=True)
    assert again.complete
    assert lead_counts(fake) == dict.fromkeys(numbers, 1)
    results = read_results(tmp_path / "r.csv")
    assert [int(r["row"]) for r in results] == list(range(1, 301))
    assert {r["outcome"] for r in results} == {"added"}
    assert {int(r["lead_id"]) for r in results} == {
        x.lead_id for x in fake.leads.values() if x.list_id == 101}
    assert again.lookups >= len(lost)


async def test_a_resume_in_the_same_boot_trusts_the_written_records(
        fake: FakeVicidial, tmp_path: Path) -> None:
    # Aborted with two calls in flight: the permit covers many rows never sent, and only the
    # two calls in flight are looked up (a killed process loses no written record).
    started = anyio.Event()
    calls = [0]

    def latency() -> float:
        calls[0] += 1
        if calls[0] == 3:
            started.set()
        return 30.0 if calls[0] > 1 else 0.0

    fake.faults.set("add_lead", latency=latency)
    async with fake.client(user=USER, password=PASSWORD, max_connections=2) as vd:
        loader = BulkLeadLoader(vd, list_id=101, concurrency=2, settle=0)
        async with anyio.create_task_group() as tg:
            tg.start_soon(partial(loader.run, [{"phone": p} for p in phones(30)],
                                  results=tmp_path / "r.csv"))
            await started.wait()
            await anyio.sleep(0.2)
            loader.abort()
        fake.faults.clear()
        state = JournalState.replay(tmp_path / "r.csv.journal")
        assert state.permits and max(int(p["u"]) for p in state.permits) > 30
        again = await BulkLeadLoader(vd, list_id=101, settle=0).run(
            [{"phone": p} for p in phones(30)], results=tmp_path / "r.csv", resume=True)
    assert again.complete and again.lookups == 2
    assert lead_counts(fake) == dict.fromkeys(phones(30), 1)


def test_permits_replay_checkpoint_and_compact() -> None:
    state = JournalState()
    state.apply({"t": "run", "v": 2})
    state.apply({"t": "p", "r": 1, "u": 64, "w": 10, "b": "boot-a"})
    state.apply({"t": "p", "r": 65, "u": 128, "w": 30, "b": "boot-a"})
    state.apply({"t": "p", "r": 100, "u": 200, "w": 50, "b": "boot-b"})
    assert state.unrecorded_send(70, "boot-a") is None         # same boot: never sent
    assert state.unrecorded_send(70, "boot-c") == 30
    assert state.unrecorded_send(110, "boot-a") == 50          # boot-b's permit covers it
    assert state.unrecorded_send(110, "boot-c") == 30          # the lowest watermark
    assert state.unrecorded_send(201, "boot-c") is None
    assert state.unrecorded_send(5, None) == 10                # boot unknown: may have been sent
    state.apply({"t": "c", "r": 64})
    assert [p["r"] for p in state.permits] == [65, 100]
    again = JournalState()
    for rec in state.snapshot():
        again.apply(rec)
    assert again.permits == state.permits
    state.apply({"t": "c", "r": 200})
    assert state.permits == []


async def test_a_failed_fsync_of_a_permit_stops_the_sends_it_would_cover(
        fake: FakeVicidial, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    journal = tmp_path / "r.csv.journal"
    durable: list[bytes] = []

    def fail_after_the_first_permit() -> None:
        # The journal's creation, row 1's own record and the first permit; the next one fails.
        if len(durable) >= 3:
            raise OSError(errno.EIO, os.strerror(errno.EIO))

    watch_journal_fsyncs(monkeypatch, journal, durable, before=fail_after_the_first_permit)
    numbers = phones(3000)
    async with fake.client(user=USER, password=PASSWORD, max_connections=4) as vd:
        with pytest.raises(OSError, match=r"fsync of .* failed: Input/output error"):
            await BulkLeadLoader(vd, list_id=101, concurrency=4).run(
                [{"phone": p} for p in numbers], results=tmp_path / "r.csv")
    permitted = max(int(str(r["u"])) for r in records(durable[-1]) if r["t"] == "p")
    landed = lead_counts(fake)
    sent_rows = [row for row, p in enumerate(numbers, 1) if landed[p]]
    assert sent_rows and max(sent_rows) <= permitted < len(numbers)
