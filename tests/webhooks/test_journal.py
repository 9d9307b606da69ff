"""The journal on its own: compaction keeps what it must, on open and while running."""

from __future__ import annotations

import json
from pathlib import Path

from vicidial_async.webhooks import Journal


class Clock:
    def __init__(self) -> None:
        self.now = 1_000_000.0

    def __call__(self) -> float:
        return self.now


def record(i: int, at: float) -> dict[str, object]:
    return {"id": f"e{i}", "key": f"k{i}", "at": at, "kind": "dispo", "path": "/", "query": f"lead_id={i}",
            "client": None}


def lines(path: Path) -> list[dict[str, object]]:
    return [json.loads(x) for x in path.read_text().splitlines()]


async def test_running_compaction_keeps_undone_and_recent_events(tmp_path: Path) -> None:
    clock = Clock()
    path = tmp_path / "j"
    journal = Journal(path, dedup_window=100, clock=clock, compact_every=10)
    for i in range(30):
        assert journal.claim(f"k{i}")
        await journal.append(record(i, clock.now))
        if i % 3:
            await journal.mark_done(f"e{i}")
        clock.now += 10  # events older than 100 s fall out of the replay window
    await journal.flush()
    kept = lines(path)
    ids = {r.get("id") for r in kept if "id" in r}
    undone = {f"e{i}" for i in range(30) if i % 3 == 0}
    assert undone <= ids  # every event a handler has not finished survives
    assert len(kept) < 30 + 20  # dead lines were dropped
    journal.close()
    again = Journal(path, dedup_window=100, clock=clock)
    assert {r["id"] for r in again.undone()} == undone
    assert not again.claim("k29") and again.claim("k1")  # recent key remembered, old one forgotten
    again.close()
