"""Exactly once under every fault (issue 12), over real sockets: the fake server process with its
faults, with and without a duplicate check, SIGKILL and ``--resume``, a closed port, two resumes.

Each test checks what a user would check in the database afterwards: every row's phone has exactly
one lead of this load, no row is ``added`` with a lead that existed before the load, and the
results file names the leads the server holds.
"""

from __future__ import annotations

import csv
import json
import signal
import socket
import subprocess
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import anyio
import pytest

from vicidial_async import ConfigurationError, RetryPolicy, Timeouts, VicidialClient
from vicidial_async.bulk import BulkLeadLoader
from vicidial_async.bulk.sources import describe_change, open_source
from vicidial_async.testing import FakeServerProcess

from .conftest import API_USER, PASSWORD, USER, cli_env, load_cmd, read_results, wait_for_lines

pytestmark = pytest.mark.filterwarnings("ignore::ResourceWarning")

_block = iter(range(10, 100))


@pytest.fixture(scope="module")
def server() -> Iterator[FakeServerProcess]:
    with FakeServerProcess(seed_users=[API_USER]) as srv:
        yield srv


def fresh_phones(n: int) -> list[str]:
    """Phone numbers no other test of this module uses (the server's state is shared)."""
    block = next(_block)
    return [f"7{block:02d}555{i:04d}" for i in range(n)]


def leads_of(server: FakeServerProcess, numbers: list[str]) -> list[dict[str, Any]]:
    wanted = set(numbers)
    return [x for x in server.state()["leads"] if x["list_id"] == 101 and x["phone_number"] in wanted]


def doubled(leads: list[dict[str, Any]]) -> list[str]:
    """The phones that hold more than one of these leads."""
    return [p for p, n in Counter(x["phone_number"] for x in leads).items() if n > 1]


def seed_existing(server: FakeServerProcess, numbers: list[str]) -> set[int]:
    """Leads with these phones that exist before the load; their ids."""
    server.seed(leads=[{"phone_number": p, "list_id": 101, "first_name": "Old"} for p in numbers])
    return {x["lead_id"] for x in leads_of(server, numbers)}


def check_exactly_once(server: FakeServerProcess, numbers: list[str], results: list[dict[str, str]],
                       existing: set[int]) -> None:
    """Each row's phone has one lead of this load; rows name exactly those leads."""
    new = [x for x in leads_of(server, numbers) if x["lead_id"] not in existing]
    assert Counter(x["phone_number"] for x in new) == dict.fromkeys(numbers, 1)
    added = {int(r["lead_id"]) for r in results if r["outcome"] == "added"}
    assert not added & existing, "a lead that existed before the load was reported as added"
    assert added == {x["lead_id"] for x in new}


def client(server: FakeServerProcess, **kw: Any) -> VicidialClient:
    return VicidialClient(server.url, USER, PASSWORD, rate_limit=None, max_connections=8, **kw)


FAULTS: dict[str, dict[str, Any]] = {
    "reset_after": {"reset": "after"},
    "reset_before": {"reset": "before"},
    "http_503": {"http_status": 503},
    # The answer comes after the client's read timeout (0.4 s); the lead is stored at once.
    "hold": {"hold": 1.0},
    # The connection drops at once; the lead is stored a second later.
    "land_late": {"land_late": 1.0},
}


@pytest.mark.parametrize("duplicate_check", [None, "DUPLIST"])
@pytest.mark.parametrize("fault", sorted(FAULTS))
async def test_fault_matrix_each_row_has_exactly_one_lead(server: FakeServerProcess, tmp_path: Path,
                                                          fault: str, duplicate_check: str | None) -> None:
    numbers = fresh_phones(60)
    # Every sixth phone has a lead from before the load: a lookup must never claim it.
    existing = seed_existing(server, numbers[::6])
    server.set_fault("add_lead", rate=0.15, **FAULTS[fault])
    rows = [{"phone": p} for p in numbers]
    async with client(server, timeouts=Timeouts(read=0.4)) as vd:
        try:
            first = await BulkLeadLoader(vd, list_id=101, settle=2.0, duplicate_check=duplicate_check
                                         ).run(rows, results=tmp_path / "r.csv")
            fired = next(f for f in server.state()["faults"] if f["function"] == "add_lead")["fired"]
        finally:
            server.clear_faults()
        assert fired > 0, "the fault must have been injected"
        # A row whose resend met the fault again stays unknown; a resume settles it.
        summary = await BulkLeadLoader(vd, list_id=101, settle=2.0, duplicate_check=duplicate_check
                                       ).run(rows, results=tmp_path / "r.csv", resume=True)
    assert set(first.counts) <= {"added", "duplicate", "unknown"}
    results = read_results(tmp_path / "r.csv")
    if duplicate_check:
        assert summary.counts == {"added": 50, "duplicate": 10}, summary
        check_exactly_once(server, [p for p in numbers if p not in numbers[::6]], results, existing)
    else:
        assert summary.counts == {"added": 60}, summary
        check_exactly_once(server, numbers, results, existing)


async def test_a_late_landing_request_is_not_resent_before_the_settle_time(server: FakeServerProcess,
                                                                           tmp_path: Path) -> None:
    # Fault 1 of the issue: the row was looked up before its request landed, found nothing, and was
    # sent again. The last rows' requests land 1.5 s after their answers are lost.
    numbers = fresh_phones(40)
    server.set_fault("add_lead", land_late=1.5, skip=36, times=4)
    try:
        async with client(server) as vd:
            hasty = await BulkLeadLoader(vd, list_id=101, settle=0).run(
                [{"phone": p} for p in numbers], results=tmp_path / "a.csv")
            deadline = time.monotonic() + 30   # let the late requests land
            while len(doubled(leads_of(server, numbers))) < 4 and time.monotonic() < deadline:  # noqa: ASYNC110
                await anyio.sleep(0.05)
            server.set_fault("add_lead", land_late=1.5, skip=36, times=4)
            fixed_numbers = fresh_phones(40)
            fixed = await BulkLeadLoader(vd, list_id=101, settle=2.5).run(
                [{"phone": p} for p in fixed_numbers], results=tmp_path / "b.csv")
    finally:
        server.clear_faults()
    # Without the settle wait the fault is reproduced: four phones hold two leads ...
    assert hasty.counts == {"added": 40} and len(doubled(leads_of(server, numbers))) == 4
    # ... with it, none does.
    assert fixed.counts == {"added": 40}
    check_exactly_once(server, fixed_numbers, read_results(tmp_path / "b.csv"), set())
    assert sum("reconciled" in r["detail"] for r in read_results(tmp_path / "b.csv")) == 4


async def test_a_send_that_never_connected_is_not_sent_and_never_claims_an_old_lead(
        server: FakeServerProcess, tmp_path: Path) -> None:
    # Fault 3: a failed connect was journaled as "may have landed"; the resume's phone lookup then
    # claimed a lead that existed before the load.
    numbers = fresh_phones(12)
    existing = seed_existing(server, numbers)
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        closed = f"http://127.0.0.1:{s.getsockname()[1]}"   # nothing listens once closed
    rows = [{"phone": p} for p in numbers]
    async with VicidialClient(closed, USER, PASSWORD, rate_limit=None,
                              retry=RetryPolicy.disabled()) as vd:
        first = await BulkLeadLoader(vd, list_id=101, settle=3600).run(rows, results=tmp_path / "r.csv")
    assert first.counts == {"unknown": 12} and first.sent == 0
    assert all("not sent" in r["detail"] for r in read_results(tmp_path / "r.csv"))
    async with client(server) as vd:
        # A settle time of an hour: the rows are resent at once because they were never sent.
        again = await BulkLeadLoader(vd, list_id=101, settle=3600).run(
            rows, results=tmp_path / "r.csv", resume=True)
    assert again.counts == {"added": 12} and again.complete
    check_exactly_once(server, numbers, read_results(tmp_path / "r.csv"), existing)


def test_the_input_may_not_change_anywhere_before_a_resume(tmp_path: Path) -> None:
    # Fault 5: only the first MiB was fingerprinted.
    src = tmp_path / "in.csv"
    with open(src, "w", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["phone", "comments"])
        for i in range(600):
            w.writerow([f"312555{i:04d}", "x" * 2000])
    assert src.stat().st_size > 1 << 20
    before = open_source(src)
    fp = before.fingerprint()
    before.close()
    data = bytearray(src.read_bytes())
    at = data.index(b"3125550590")
    data[at + 9] = ord("9")                        # same size, past the first MiB
    src.write_bytes(bytes(data))
    after = open_source(src)
    fp2 = after.fingerprint()
    after.close()
    assert fp2 != fp and fp2["size"] == fp["size"]
    assert "MiB 2" in describe_change(fp, fp2)


async def test_a_resume_refuses_a_changed_file_and_names_where(server: FakeServerProcess,
                                                               tmp_path: Path) -> None:
    numbers = fresh_phones(600)
    src = tmp_path / "in.csv"
    src.write_text("phone,comments\n" + "".join(f"{p},{'x' * 2000}\n" for p in numbers))
    async with client(server) as vd:
        loader = BulkLeadLoader(vd, list_id=101, ignore=["comments"])
        await loader.run(src, results=tmp_path / "r.csv")
        data = bytearray(src.read_bytes())
        data[-10] = ord("y")                      # same size, last MiB
        src.write_bytes(bytes(data))
        with pytest.raises(ConfigurationError, match=r"input file changed.*MiB 2"):
            await BulkLeadLoader(vd, list_id=101, ignore=["comments"]).run(
                src, results=tmp_path / "r.csv", resume=True)


# -- the command line: SIGKILL during a backlog, two resumes at once ----------------------------


def write_phones(path: Path, numbers: list[str]) -> Path:
    with open(path, "w", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["Phone"])
        w.writerows([p] for p in numbers)
    return path


def test_sigkill_during_a_backlog_then_an_immediate_resume(server: FakeServerProcess,
                                                           tmp_path: Path) -> None:
    # Fault 2: the rows in flight at the kill were looked up at once on resume, before their
    # requests (stuck behind a backlog) had landed.
    numbers = fresh_phones(300)
    existing = seed_existing(server, numbers[::10])
    src = write_phones(tmp_path / "in.csv", numbers)
    out = tmp_path / "in.results.csv"
    server.set_fault("add_lead", land_late=1.0, rate=0.1)
    try:
        first = subprocess.Popen(load_cmd(server, src, "--rate", "200", "--settle", "2"), env=cli_env(),
                                 stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        wait_for_lines(out, 100)
        first.send_signal(signal.SIGKILL)
        first.wait()
        resumed = subprocess.run(load_cmd(server, src, "--rate", "400", "--settle", "2", "--resume"),
                                 env=cli_env(), capture_output=True, text=True, timeout=120)
    finally:
        server.clear_faults()
    assert resumed.returncode == 0, resumed.stdout + resumed.stderr
    results = read_results(out)
    assert [int(r["row"]) for r in results] == list(range(1, 301))
    assert {r["outcome"] for r in results} == {"added"}
    check_exactly_once(server, numbers, results, existing)


def test_two_loads_on_one_results_file_cannot_run_at_once(server: FakeServerProcess,
                                                          tmp_path: Path) -> None:
    # Fault 4: two --resume processes on one results file both sent rows.
    numbers = fresh_phones(120)
    src = write_phones(tmp_path / "in.csv", numbers)
    out = tmp_path / "in.results.csv"
    server.set_fault("add_lead", latency=0.05)
    try:
        first = subprocess.Popen(load_cmd(server, src, "--rate", "100", "--concurrency", "2"),
                                 env=cli_env(), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        wait_for_lines(out, 10)
        second = subprocess.run(load_cmd(server, src, "--resume"), env=cli_env(), capture_output=True,
                                text=True, timeout=60)
        assert first.wait(timeout=120) == 0
    finally:
        server.clear_faults()
    assert second.returncode == 2, second.stdout + second.stderr
    assert "another load is running" in second.stderr
    results = read_results(out)
    assert len(results) == 120 and {r["outcome"] for r in results} == {"added"}
    check_exactly_once(server, numbers, results, set())
    # Once the first is done, a resume is allowed (and has nothing left to do).
    again = subprocess.run(load_cmd(server, src, "--resume"), env=cli_env(), capture_output=True,
                           text=True, timeout=60)
    assert again.returncode == 0, again.stdout + again.stderr


# -- preflight: a bad set-up fails before the first row (faults 6 and 7) --------------------------


def run_load(server: FakeServerProcess, src: Path, *extra: str, url: str | None = None
             ) -> subprocess.CompletedProcess[str]:
    cmd = load_cmd(server, src, *extra)
    if url is not None:
        cmd[cmd.index("--url") + 1] = url
    return subprocess.run(cmd, env=cli_env(), capture_output=True, text=True, timeout=60)


def test_a_map_typo_or_a_missing_column_is_refused_before_any_row(server: FakeServerProcess,
                                                                  tmp_path: Path) -> None:
    numbers = fresh_phones(3)
    src = tmp_path / "in.csv"
    src.write_text("Phone,Address\n" + "".join(f"{p},1 Main St\n" for p in numbers))
    typo = run_load(server, src, "--map", "Address=adress1")
    assert typo.returncode == 2, typo.stdout + typo.stderr
    assert "'adress1': neither an add_lead field nor a custom field of list 101" in typo.stderr
    absent = run_load(server, src, "--map", "Adress=address1")
    assert absent.returncode == 2 and "'Adress', not a column of the file" in absent.stderr
    no_phone = tmp_path / "nophone.csv"
    no_phone.write_text("Name,Address\nAnn,1 Main St\n")
    refused = run_load(server, no_phone, "--map", "Name=first_name")
    assert refused.returncode == 2 and "no column of the file gives phone_number" in refused.stderr
    assert not leads_of(server, numbers)
    assert not list(tmp_path.glob("*.results.csv")), "the results file must not be created"
    good = run_load(server, src, "--map", "Address=address1", "--rate", "0",
                    "--summary-json", str(tmp_path / "summary.json"))
    assert good.returncode == 0, good.stdout + good.stderr
    summary = json.loads((tmp_path / "summary.json").read_text())
    assert summary["exit_status"] == 0 and summary["counts"] == {"added": 3} and summary["complete"]
    assert {x["address1"] for x in leads_of(server, numbers)} == {"1 Main St"}


def test_a_missing_list_or_an_unreachable_server_stops_before_any_row(server: FakeServerProcess,
                                                                      tmp_path: Path) -> None:
    numbers = fresh_phones(20)
    src = write_phones(tmp_path / "in.csv", numbers)
    cmd_list = load_cmd(server, src)
    cmd_list[cmd_list.index("--list-id") + 1] = "98765"
    missing = subprocess.run(cmd_list, env=cli_env(), capture_output=True, text=True, timeout=60)
    assert missing.returncode == 2 and "list 98765 does not exist" in missing.stderr
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        closed = f"http://127.0.0.1:{s.getsockname()[1]}"
    down = run_load(server, src, url=closed)
    assert down.returncode == 3, down.stdout + down.stderr
    assert "ConnectError" in down.stderr and "Load complete" not in down.stdout
    assert not (tmp_path / "in.results.csv").exists() and not leads_of(server, numbers)
