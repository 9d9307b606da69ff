"""``leads load --shard I/N`` and ``leads merge-results``: N loaders split one input, and the merged
results read as if one loader had loaded it."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from vicidial_async import ConfigurationError, VicidialClient
from vicidial_async.bulk import BulkLeadLoader, merge_results, parse_shard, shard_path
from vicidial_async.bulk.sources import count_rows
from vicidial_async.cli import main
from vicidial_async.testing import FakeServerProcess, FakeVicidial

from .conftest import API_USER, PASSWORD, USER, lead_counts, phones, read_results, write_csv

pytestmark = pytest.mark.filterwarnings("ignore::ResourceWarning")


def _input(tmp_path: Path, n: int) -> Path:
    rows = [{"phone_number": p, "first_name": f"N{i}"} for i, p in enumerate(phones(n))]
    # Row 6 is refused before sending: its rejection must land on input row 6 after the merge.
    rows[5]["phone_number"] = "12"
    return write_csv(tmp_path / "leads.csv", rows, ["phone_number", "first_name"])


async def test_shards_cover_the_input_once_and_merge_in_input_order(
        fake: FakeVicidial, vd: VicidialClient, tmp_path: Path) -> None:
    src = _input(tmp_path, 23)
    out = tmp_path / "leads.results.csv"
    n = 3
    for i in range(1, n + 1):
        loader = BulkLeadLoader(vd, list_id=101)
        summary = await loader.run(src, results=shard_path(out, (i, n)), shard=(i, n))
        assert summary.rows == count_rows(src, shard=(i, n))
    merged = merge_results([shard_path(out, (i, n)) for i in range(1, n + 1)], out)
    assert merged.rows == 23 and merged.counts == {"added": 22, "rejected": 1}
    rows = read_results(out)
    assert [r["row"] for r in rows] == [str(i) for i in range(1, 24)]
    expected = phones(23)
    for r in rows:
        if r["row"] == "6":
            assert r["outcome"] == "rejected"
        else:
            assert r["outcome"] == "added"
            assert r["phone_number"] == expected[int(r["row"]) - 1]
    assert all(c == 1 for c in lead_counts(fake).values()) and len(lead_counts(fake)) == 22


async def test_merge_refuses_an_unfinished_shard(vd: VicidialClient, tmp_path: Path) -> None:
    src = _input(tmp_path, 10)
    out = tmp_path / "leads.results.csv"
    for i in (1, 2):
        await BulkLeadLoader(vd, list_id=101).run(src, results=shard_path(out, (i, 3)), shard=(i, 3))
    # Shard 3 never ran.
    with pytest.raises(ConfigurationError, match="no such shard"):
        merge_results([shard_path(out, (i, 3)) for i in (1, 2, 3)], out)
    # Shard 3 ran on a shorter input: the files cannot come from one input.
    short = write_csv(tmp_path / "short.csv", [{"phone_number": "3125559999"}], ["phone_number"])
    await BulkLeadLoader(vd, list_id=101).run(short, results=shard_path(out, (3, 3)), shard=(3, 3))
    with pytest.raises(ConfigurationError, match="finish every shard"):
        merge_results([shard_path(out, (i, 3)) for i in (1, 2, 3)], out)
    assert not out.exists()


async def test_a_shard_cannot_resume_another_shards_results(vd: VicidialClient, tmp_path: Path) -> None:
    src = _input(tmp_path, 6)
    res = tmp_path / "one.csv"
    await BulkLeadLoader(vd, list_id=101).run(src, results=res, shard=(1, 2))
    with pytest.raises(ConfigurationError, match="input file"):
        await BulkLeadLoader(vd, list_id=101).run(src, results=res, resume=True, shard=(2, 2))


@pytest.mark.parametrize("text", ["3", "0/2", "3/2", "a/b", "1/0"])
def test_bad_shard_text_is_refused(text: str) -> None:
    with pytest.raises(ConfigurationError):
        parse_shard(text)


@pytest.fixture(scope="module")
def server() -> Iterator[FakeServerProcess]:
    with FakeServerProcess(seed_users=[API_USER]) as srv:
        yield srv


def test_two_loader_processes_then_merge_from_the_command_line(server: FakeServerProcess,
                                                               tmp_path: Path) -> None:
    src = _input(tmp_path, 40)
    env = {"VICIDIAL_PASS": PASSWORD, "PATH": "/usr/bin:/bin"}
    procs = [subprocess.Popen(
        [sys.executable, "-m", "vicidial_async", "leads", "load", str(src), "--list-id", "101",
         "--url", server.url, "--user", USER, "--no-progress", "--shard", f"{i}/2"],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for i in (1, 2)]
    errs = [p.communicate(timeout=120)[1] for p in procs]
    # Input row 6 (refused) is row 3 of shard 2: only that shard reports a rejected row.
    assert [p.returncode for p in procs] == [0, 1], errs
    assert (tmp_path / "leads.results.shard-1-of-2.csv").exists()
    assert main(["leads", "merge-results", str(src), "--shards", "2"]) == 0
    rows = read_results(tmp_path / "leads.results.csv")
    assert [int(r["row"]) for r in rows] == list(range(1, 41))
    assert [r["phone_number"] for r in rows if r["outcome"] == "added"] == [
        p for i, p in enumerate(phones(40)) if i != 5]
    # A second merge does not overwrite the first without --force.
    assert main(["leads", "merge-results", str(src), "--shards", "2"]) == 2
    assert main(["leads", "merge-results", str(src), "--shards", "2", "--force"]) == 0
