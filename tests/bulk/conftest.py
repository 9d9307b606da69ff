"""Fixtures of the bulk-loader tests: a fake VICIdial with an API user whose password cannot
collide with lead ids (the client masks the password wherever it appears in an answer)."""

from __future__ import annotations

import csv
import os
import sys
import time
from collections import Counter
from collections.abc import AsyncIterator, Iterable, Mapping
from pathlib import Path
from typing import Any

import pytest

from vicidial_async import VicidialClient
from vicidial_async.testing import FakeServerProcess, FakeVicidial

USER = "bulkapi"
PASSWORD = "bulk-Secret-pw"
API_USER = {"user": USER, "password": PASSWORD, "user_level": 9}


@pytest.fixture
def fake() -> FakeVicidial:
    return FakeVicidial(seed_users=[API_USER])


@pytest.fixture
async def vd(fake: FakeVicidial) -> AsyncIterator[VicidialClient]:
    async with fake.client(user=USER, password=PASSWORD, max_connections=4) as client:
        yield client


def phones(n: int, start: int = 0) -> list[str]:
    return [f"312555{i:04d}" for i in range(start, start + n)]


def write_csv(path: Path, rows: Iterable[Mapping[str, Any]], columns: list[str]) -> Path:
    with open(path, "w", newline="", encoding="utf-8") as fh:
        w = csv.DictWriter(fh, fieldnames=columns)
        w.writeheader()
        for row in rows:
            w.writerow(row)
    return path


def read_results(path: Path) -> list[dict[str, str]]:
    with open(path, newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def lead_counts(fake: FakeVicidial, list_id: int = 101) -> Counter[str]:
    """Leads per phone number in a list of the in-process fake."""
    return Counter(x.phone_number for x in fake.leads.values() if x.list_id == list_id)


def wait_for_lines(path: Path, n: int, timeout: float = 30) -> None:
    """Wait until a results file another process writes has more than ``n`` lines."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if path.exists() and path.read_bytes().count(b"\n") > n:
            return
        time.sleep(0.05)
    raise AssertionError(f"{path} never reached {n} lines")


def load_cmd(server: FakeServerProcess, src: Path, *extra: str) -> list[str]:
    """``vicidial leads load`` of ``src`` into list 101 of the fake server process."""
    return [sys.executable, "-m", "vicidial_async", "leads", "load", str(src), "--list-id", "101",
            "--url", server.url, "--user", USER, "--no-progress", *extra]


def cli_env() -> dict[str, str]:
    """The environment of a ``vicidial`` child: the password comes from VICIDIAL_PASS."""
    return {**os.environ, "VICIDIAL_PASS": PASSWORD}
