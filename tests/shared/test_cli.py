"""``--redis`` on ``leads load`` and ``stats watch``, and ``vicidial shared reset-auth``, as a user
runs them: real processes, a real redis-server and the fake VICIdial server process."""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import anyio
import pytest

from vicidial_async import errors
from vicidial_async.cli import main
from vicidial_async.testing import FakeServerProcess
from vicidial_async.transport.redis_coordination import RedisCoordination

pytestmark = pytest.mark.filterwarnings("ignore::ResourceWarning")


@pytest.fixture(scope="module")
def fake() -> Iterator[FakeServerProcess]:
    with FakeServerProcess() as srv:
        yield srv


def _env(redis_url: str) -> dict[str, str]:
    return {**os.environ, "VICIDIAL_PASS": "1234", "VICIDIAL_REDIS_URL": redis_url}


def test_two_sharded_loaders_share_one_redis_budget(fake: FakeServerProcess, redis_server: Any,
                                                    tmp_path: Path) -> None:
    src = tmp_path / "leads.csv"
    phones = [f"31255{i:05d}" for i in range(60)]
    with open(src, "w", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["phone_number"])
        w.writerows([p] for p in phones)
    procs = [subprocess.Popen(
        [sys.executable, "-m", "vicidial_async", "leads", "load", str(src), "--list-id", "101",
         "--url", fake.url, "--user", "6666", "--no-progress", "--shard", f"{i}/2", "--rate", "40",
         "--redis-max-in-flight", "4"],
        env=_env(redis_server.url), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for i in (1, 2)]
    errs = [p.communicate(timeout=120)[1] for p in procs]
    assert [p.returncode for p in procs] == [0, 0], errs
    assert main(["leads", "merge-results", str(src), "--shards", "2"]) == 0
    with open(tmp_path / "leads.results.csv", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert [r["phone_number"] for r in rows] == phones
    loaded = Counter(x["phone_number"] for x in fake.state()["leads"] if x["list_id"] == 101)
    assert all(loaded[p] == 1 for p in phones)


def test_stats_watch_once_through_redis(fake: FakeServerProcess, redis_server: Any) -> None:
    out = subprocess.run(
        [sys.executable, "-m", "vicidial_async", "stats", "watch", "--url", fake.url, "--user", "6666",
         "--once", "--json", "--redis", redis_server.url, "--redis-fallback", "0.5"],
        env={**os.environ, "VICIDIAL_PASS": "1234"}, capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    snapshot = json.loads(out.stdout.splitlines()[0])
    assert [s["state"] for s in snapshot["sources"].values()] == ["ok"]


def test_redis_options_need_a_redis(capsys: pytest.CaptureFixture[str], tmp_path: Path,
                                    monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("VICIDIAL_REDIS_URL", raising=False)
    src = tmp_path / "x.csv"
    src.write_text("phone_number\n3125550100\n")
    status = main(["leads", "load", str(src), "--list-id", "101", "--url", "http://127.0.0.1:9",
                   "--user", "6666", "--password", "1234", "--redis-fallback", "0.5"])
    assert status == 2
    assert "--redis" in capsys.readouterr().err


def test_reset_auth_closes_the_shared_breaker(redis_server: Any,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    async def trip() -> None:
        shared = RedisCoordination(redis_server.url)
        server = shared.for_server(host="dialer.example.com", port=443, user="apiuser",
                                   rate_limit=None, lease_seconds=10)
        await server.trip(errors.AuthenticationError("version", "Login incorrect"), lock_seconds=60)
        await shared.aclose()

    anyio.run(trip)
    args = ["shared", "reset-auth", "--url", "https://dialer.example.com", "--user", "apiuser",
            "--redis", redis_server.url]
    assert main(args) == 0
    assert "AuthenticationError" in capsys.readouterr().out
    assert main(args) == 1                     # nothing left to reset
    assert main(["shared", "reset-auth", "--url", "https://dialer.example.com", "--user", "apiuser",
                 "--redis", "redis://127.0.0.1:1/0"]) == 2   # unreachable: said, not a traceback
