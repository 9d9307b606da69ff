"""``leads load --keep-columns`` (``keep_columns=True``): each results record carries its input row's
own columns, so a user joins the results back to the input by any column, through every outcome,
rows refused before sending, a resume after SIGKILL, and sharded loads merged back together.
"""

from __future__ import annotations

import csv
import json
import signal
import subprocess
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from vicidial_async import ConfigurationError, VicidialClient
from vicidial_async.bulk import BulkLeadLoader, Outcome, RowOutcome, merge_results, shard_path
from vicidial_async.bulk.results import ResultsWriter, rewrite_results, scan_results
from vicidial_async.cli import main
from vicidial_async.testing import FakeServerProcess, FakeVicidial

from .conftest import API_USER, cli_env, read_results, wait_for_lines
from .conftest import load_cmd as bulk_load_cmd

pytestmark = pytest.mark.filterwarnings("ignore::ResourceWarning")

# An input whose columns clash with result columns (phone_number, outcome, lead_id), whose values
# hold what CSV must quote (a comma, a quote, a line break), and whose row 3 is refused before it
# is sent and row 5 cannot be read at all (more fields than the header).
HEADER = ["phone_number", "First Name", "outcome", "lead_id", "Customer", "Note"]
IGNORED = ["outcome", "lead_id", "Customer", "Note"]


def clash_rows(prefix: str, n: int) -> list[list[str]]:
    rows = [[f"{prefix}{i:04d}", f"Name {i}", f"was-{i}", str(9000 + i), f"C{i}", f"note {i}"]
            for i in range(n)]
    rows[0][5] = 'multi\r\nline, with "quotes"'
    rows[2][0] = "555-12"                      # too short: refused before sending
    rows[4] = [*rows[4], "surplus"]            # more fields than the header
    return rows


def write_rows(path: Path, rows: list[list[str]], header: list[str] = HEADER) -> Path:
    with open(path, "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(header)
        w.writerows(rows)
    return path


def expected_input(row: list[str]) -> dict[str, str]:
    return dict(zip(HEADER, row, strict=False))


# -- the library: what a record holds ---------------------------------------------------------------


async def test_every_outcome_keeps_its_rows_columns_under_prefixed_names(
        fake: FakeVicidial, vd: VicidialClient, tmp_path: Path) -> None:
    rows = clash_rows("312556", 8)
    rows[6][0] = rows[1][0]                    # the same phone again: a duplicate
    src = write_rows(tmp_path / "in.csv", rows)
    seen: list[RowOutcome] = []
    loader = BulkLeadLoader(vd, list_id=101, ignore=IGNORED, keep_columns=True,
                            duplicate_check="DUPLIST")
    summary = await loader.run(src, results=tmp_path / "out.csv", on_outcome=seen.append)
    assert summary.counts == {"added": 5, "duplicate": 1, "rejected": 2}
    results = read_results(tmp_path / "out.csv")
    header = list(results[0])
    # The result columns as always, then every input column in input order, prefixed.
    assert header[:3] == ["row", "outcome", "lead_id"]
    assert header[11:] == [f"input.{c}" for c in HEADER]
    assert [r["outcome"] for r in results] == ["added", "added", "rejected", "added", "rejected",
                                               "added", "duplicate", "added"]
    for r, row in zip(results, rows, strict=True):
        assert {k[6:]: v for k, v in r.items() if k.startswith("input.")} == expected_input(row)
    # The clash: the input's outcome and lead_id stay apart from the loader's.
    assert results[0]["input.outcome"] == "was-0" and results[0]["outcome"] == "added"
    assert results[0]["input.lead_id"] == "9000" and results[0]["lead_id"] != "9000"
    assert results[0]["input.Note"] == 'multi\r\nline, with "quotes"'   # exactly as loaded
    # The unreadable record keeps what it has by column, and all of it as text.
    assert "surplus" in results[4]["detail"] and results[4]["input.Customer"] == "C4"
    # on_outcome sees the same columns.
    assert [o.input for o in seen] == [expected_input(r) for r in rows]
    # Joined by Customer, each added row names the lead that holds its name.
    by_id = {x.lead_id: x for x in fake.leads.values()}
    for r in results:
        if r["outcome"] == "added":
            assert by_id[int(r["lead_id"])].first_name == r["input.First Name"]


async def test_jsonl_keeps_each_rows_own_keys_and_types(vd: VicidialClient, tmp_path: Path) -> None:
    src = tmp_path / "in.jsonl"
    lines = [{"phone_number": "3125570001", "score": 7, "tags": ["a", "b"], "vip": True},
             {"phone_number": "3125570002", "extra": None},
             "not an object"]
    src.write_text("".join(json.dumps(x) + "\n" for x in lines) + "{broken\n", encoding="utf-8")
    ignore = ["score", "tags", "vip", "extra"]
    await BulkLeadLoader(vd, list_id=101, ignore=ignore, keep_columns=True).run(
        src, results=tmp_path / "out.jsonl")
    records = [json.loads(x) for x in (tmp_path / "out.jsonl").read_text().splitlines()]
    assert [r["input"] for r in records] == [lines[0], lines[1], {}, {}]
    assert '"not an object"' in records[2]["detail"] and "{broken" in records[3]["detail"]
    # Into a CSV results file: every key the file has, in first-seen order; values as JSON text.
    await BulkLeadLoader(vd, list_id=101, ignore=ignore, keep_columns=True,
                         duplicate_check="DUPLIST").run(src, results=tmp_path / "out.csv")
    results = read_results(tmp_path / "out.csv")
    assert [k for k in results[0] if k.startswith("input.")] == [
        "input.phone_number", "input.score", "input.tags", "input.vip", "input.extra"]
    assert (results[0]["input.score"], results[0]["input.tags"], results[0]["input.vip"]) == (
        "7", '["a", "b"]', "true")
    assert results[1]["input.score"] == "" and results[1]["outcome"] == "duplicate"


async def test_an_iterable_needs_a_jsonl_results_file(vd: VicidialClient, tmp_path: Path) -> None:
    rows = [{"Phone": "3125580001", "ref": "a"}, {"Phone": "3125580002", "ref": "b", "more": "x"}]
    loader = BulkLeadLoader(vd, list_id=101, ignore=["ref", "more"], keep_columns=True)
    with pytest.raises(ConfigurationError, match=r"iterable source needs a \.jsonl"):
        await loader.run(rows, results=tmp_path / "out.csv")
    assert not (tmp_path / "out.csv").exists()
    seen: list[RowOutcome] = []
    await loader.run(rows, results=tmp_path / "out.jsonl", on_outcome=seen.append)
    assert [o.input for o in seen] == rows
    records = [json.loads(x) for x in (tmp_path / "out.jsonl").read_text().splitlines()]
    assert [r["input"] for r in records] == rows


async def test_a_resume_must_ask_for_the_same_shape(vd: VicidialClient, tmp_path: Path) -> None:
    src = write_rows(tmp_path / "in.csv", clash_rows("312559", 6))
    out = tmp_path / "out.csv"
    await BulkLeadLoader(vd, list_id=101, ignore=IGNORED, keep_columns=True).run(src, results=out)
    before = out.read_bytes()
    with pytest.raises(ConfigurationError, match="started with the input's columns"):
        await BulkLeadLoader(vd, list_id=101, ignore=IGNORED).run(src, results=out, resume=True)
    assert out.read_bytes() == before
    done = await BulkLeadLoader(vd, list_id=101, ignore=IGNORED, keep_columns=True).run(
        src, results=out, resume=True)
    assert done.complete and done.resumed == 6 and done.sent == 0
    assert out.read_bytes() == before
    # And the other way round.
    plain = tmp_path / "plain.csv"
    await BulkLeadLoader(vd, list_id=101, ignore=IGNORED, duplicate_check="DUPLIST").run(
        src, results=plain)
    with pytest.raises(ConfigurationError, match="started without the input's columns"):
        await BulkLeadLoader(vd, list_id=101, ignore=IGNORED, keep_columns=True,
                             duplicate_check="DUPLIST").run(src, results=plain, resume=True)


def test_a_settled_row_keeps_its_columns_and_multiline_records_resume(tmp_path: Path) -> None:
    for name in ("r.csv", "r.jsonl"):
        path = tmp_path / name
        kept = ("Phone", "Note")
        w = ResultsWriter(path, append=False, kept=kept)
        for row in range(1, 5):
            w.write(RowOutcome(row, Outcome.UNKNOWN if row == 2 else Outcome.ADDED, row,
                               input={"Phone": f"p{row}", "Note": f"line\n{row}, \"q\""}))
        w.close()
        with open(path, "a", encoding="utf-8", newline="") as fh:
            fh.write('5,added,5,,,,,,,,,p5,"torn\n')      # a crash mid-record
        seen: list[RowOutcome] = []
        scan_results(path, 3, seen.append, kept=kept)
        assert [o.input for o in seen] == [{"Phone": f"p{r}", "Note": f"line\n{r}, \"q\""}
                                           for r in (1, 2, 3)]
        # The settled outcome comes from the journal, without the columns: the record keeps its own.
        rewrite_results(path, {2: RowOutcome(2, Outcome.ADDED, 99, detail="reconciled")},
                        fsync=False, kept=kept)
        again: list[RowOutcome] = []
        scan_results(path, 3, again.append, kept=kept)
        assert again[1].outcome is Outcome.ADDED and again[1].lead_id == 99
        assert again[1].input == {"Phone": "p2", "Note": "line\n2, \"q\""}
        # A results file of the other shape is refused, not misread.
        with pytest.raises(ConfigurationError, match="written with the input's columns"):
            scan_results(path, 3, again.append)


async def test_merged_shards_keep_columns_and_mixed_shapes_are_refused(
        vd: VicidialClient, tmp_path: Path) -> None:
    rows = clash_rows("312560", 7)
    src = write_rows(tmp_path / "in.csv", rows)
    out = tmp_path / "out.csv"
    for i in (1, 2):
        await BulkLeadLoader(vd, list_id=101, ignore=IGNORED, keep_columns=True).run(
            src, results=shard_path(out, (i, 2)), shard=(i, 2))
    merged = merge_results([shard_path(out, (i, 2)) for i in (1, 2)], out)
    assert merged.rows == 7
    results = read_results(out)
    assert [int(r["row"]) for r in results] == list(range(1, 8))
    for r, row in zip(results, rows, strict=True):
        assert {k[6:]: v for k, v in r.items() if k.startswith("input.")} == expected_input(row)
    # Shard 2 loaded without --keep-columns: the merge refuses instead of dropping columns.
    other = tmp_path / "other.csv"
    await BulkLeadLoader(vd, list_id=101, ignore=IGNORED, keep_columns=True).run(
        src, results=shard_path(other, (1, 2)), shard=(1, 2))
    await BulkLeadLoader(vd, list_id=101, ignore=IGNORED).run(
        src, results=shard_path(other, (2, 2)), shard=(2, 2))
    with pytest.raises(ConfigurationError, match="shard 2 of 2 has other columns"):
        merge_results([shard_path(other, (i, 2)) for i in (1, 2)], other)
    assert not other.exists()


# -- real processes: the command line against the fake server process ------------------------------


@pytest.fixture(scope="module")
def server() -> Iterator[FakeServerProcess]:
    with FakeServerProcess(seed_users=[API_USER]) as srv:
        yield srv


def load_cmd(server: FakeServerProcess, src: Path, *extra: str) -> list[str]:
    return bulk_load_cmd(server, src, *[a for c in IGNORED for a in ("--ignore", c)], *extra)


def server_leads(server: FakeServerProcess, prefix: str) -> list[dict[str, Any]]:
    return [x for x in server.state()["leads"]
            if x["list_id"] == 101 and x["phone_number"].startswith(prefix)]


def check_joined(server: FakeServerProcess, prefix: str, results: list[dict[str, str]],
                 rows: list[list[str]]) -> None:
    """Every record carries its own row's columns, and each added row's lead holds its name."""
    assert [int(r["row"]) for r in results] == list(range(1, len(rows) + 1))
    for r, row in zip(results, rows, strict=True):
        assert {k[6:]: v for k, v in r.items() if k.startswith("input.")} == expected_input(row)
    leads = {x["lead_id"]: x for x in server_leads(server, prefix)}
    added = [r for r in results if r["outcome"] == "added"]
    assert {int(r["lead_id"]) for r in added} == set(leads), "one lead per added row, no other"
    for r in added:
        assert leads[int(r["lead_id"])]["first_name"] == r["input.First Name"]


def test_load_with_keep_columns_then_sigkill_and_resume(server: FakeServerProcess,
                                                        tmp_path: Path) -> None:
    prefix = "415561"
    rows = clash_rows(prefix, 300)
    src = write_rows(tmp_path / "leads.csv", rows)
    out = tmp_path / "leads.results.csv"
    # One add_lead in ten lands, then the connection drops: those rows are unknown, settled later.
    server.set_fault("add_lead", reset="after", rate=0.1)
    try:
        first = subprocess.Popen(load_cmd(server, src, "--keep-columns", "--rate", "100",
                                          "--settle", "0.2"),
                                 env=cli_env(), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        wait_for_lines(out, 120)
        first.send_signal(signal.SIGKILL)
        first.wait()
        assert 0 < len(server_leads(server, prefix)) < 298, "the kill must come mid-run"
        # A resume asking for another shape is refused before anything is touched.
        before = out.read_bytes()
        refused = subprocess.run(load_cmd(server, src, "--resume"), env=cli_env(), capture_output=True,
                                 text=True, timeout=60)
        assert refused.returncode == 2, refused.stdout + refused.stderr
        assert "--keep-columns" in refused.stderr
        assert out.read_bytes() == before
        resumed = subprocess.run(load_cmd(server, src, "--keep-columns", "--resume", "--rate", "400",
                                          "--settle", "0.2"),
                                 env=cli_env(), capture_output=True, text=True, timeout=120)
    finally:
        server.clear_faults()
    assert resumed.returncode == 1, resumed.stdout + resumed.stderr   # two rows rejected
    results = read_results(out)
    assert Counter(r["outcome"] for r in results) == {"added": 298, "rejected": 2}
    check_joined(server, prefix, results, rows)
    assert any("reconciled" in r["detail"] for r in results), "a lost answer must have been settled"


def test_sharded_processes_with_keep_columns_merge_in_input_order(server: FakeServerProcess,
                                                                  tmp_path: Path) -> None:
    prefix = "415562"
    rows = clash_rows(prefix, 40)
    src = write_rows(tmp_path / "leads.csv", rows)
    procs = [subprocess.Popen(load_cmd(server, src, "--keep-columns", "--rate", "0",
                                       "--shard", f"{i}/2"),
                              env=cli_env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for i in (1, 2)]
    errs = [p.communicate(timeout=120)[1] for p in procs]
    # Input rows 3 and 5 (refused) are rows 2 and 3 of shard 1.
    assert [p.returncode for p in procs] == [1, 0], errs
    assert main(["leads", "merge-results", str(src), "--shards", "2"]) == 0
    results = read_results(tmp_path / "leads.results.csv")
    check_joined(server, prefix, results, rows)
    assert set(Counter(x["phone_number"] for x in server_leads(server, prefix)).values()) == {1}


def test_jsonl_results_from_the_command_line(server: FakeServerProcess, tmp_path: Path) -> None:
    prefix = "415563"
    rows = clash_rows(prefix, 6)
    src = write_rows(tmp_path / "leads.csv", rows)
    out = tmp_path / "out.jsonl"
    done = subprocess.run(load_cmd(server, src, "--keep-columns", "--results", str(out)),
                          env=cli_env(), capture_output=True, text=True, timeout=60)
    assert done.returncode == 1, done.stdout + done.stderr
    records = [json.loads(x) for x in out.read_text(encoding="utf-8").splitlines()]
    assert [r["input"] for r in records] == [expected_input(r) for r in rows]
    assert [r["outcome"] for r in records] == ["added", "added", "rejected", "added", "rejected",
                                               "added"]
