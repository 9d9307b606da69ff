"""``vicidial leads load`` and ``vicidial demo`` as a user runs them, against a fake server process."""

from __future__ import annotations

import csv
import json
import os
import re
import signal
import subprocess
import sys
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest

from vicidial_async.cli import main
from vicidial_async.testing import FakeServerProcess

from .conftest import API_USER, PASSWORD, USER, cli_env, load_cmd, read_results, wait_for_lines

pytestmark = pytest.mark.filterwarnings("ignore::ResourceWarning")


@pytest.fixture(scope="module")
def server() -> Iterator[FakeServerProcess]:
    with FakeServerProcess(seed_users=[API_USER]) as srv:
        yield srv


def write_phones(path: Path, numbers: list[str], extra: dict[int, str] | None = None) -> Path:
    with open(path, "w", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["Phone", "First Name"])
        for i, p in enumerate(numbers):
            w.writerow([p, (extra or {}).get(i, "Ann")])
    return path


def leads_by_phone(server: FakeServerProcess) -> Counter[str]:
    return Counter(x["phone_number"] for x in server.state()["leads"] if x["list_id"] == 101)


def check_resumed_to_one_lead_each(server: FakeServerProcess,
                                   resumed: subprocess.CompletedProcess[str], out: Path,
                                   phones: list[str]) -> list[dict[str, str]]:
    """The resume succeeded, every phone has exactly one lead, and the results name every row, in
    order, as added; returns the results."""
    assert resumed.returncode == 0, resumed.stdout + resumed.stderr
    by_phone = leads_by_phone(server)
    assert {p: by_phone[p] for p in phones} == dict.fromkeys(phones, 1)
    results = read_results(out)
    assert [int(r["row"]) for r in results] == list(range(1, len(phones) + 1))
    assert {r["outcome"] for r in results} == {"added"}
    return results


def test_sigkill_mid_run_then_resume_leaves_each_lead_exactly_once(server: FakeServerProcess,
                                                                   tmp_path: Path) -> None:
    numbers = [f"+1 (415) 555-{i:04d}" for i in range(400)]
    expected = [f"415555{i:04d}" for i in range(400)]
    src = write_phones(tmp_path / "leads.csv", numbers)
    out = tmp_path / "leads.results.csv"
    # One add_lead in ten is applied by the server, then the connection drops without an answer.
    server.set_fault("add_lead", reset="after", rate=0.1)
    try:
        first = subprocess.Popen(load_cmd(server, src, "--rate", "100", "--settle", "0.2"),
                                 env=cli_env(), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        wait_for_lines(out, 120)
        first.send_signal(signal.SIGKILL)
        first.wait()
        landed = sum(leads_by_phone(server)[p] for p in expected)
        assert 100 < landed < 400, "the kill must come mid-run"
        resumed = subprocess.run(load_cmd(server, src, "--rate", "400", "--settle", "0.2",
                                          "--resume"), env=cli_env(), capture_output=True, text=True,
                                 timeout=60)
    finally:
        server.clear_faults()
    results = check_resumed_to_one_lead_each(server, resumed, out, expected)
    state_ids = {x["lead_id"] for x in server.state()["leads"] if x["phone_number"] in set(expected)}
    assert {int(r["lead_id"]) for r in results} == state_ids
    assert any("reconciled" in r["detail"] for r in results), "a lost answer must have been looked up"
    assert "answered before" in resumed.stdout


def test_ctrl_c_lets_calls_in_flight_finish_then_resume_completes(server: FakeServerProcess,
                                                                   tmp_path: Path) -> None:
    numbers = [f"773555{i:04d}" for i in range(300)]
    src = write_phones(tmp_path / "leads.csv", numbers)
    out = tmp_path / "leads.results.csv"
    # Slow answers keep calls in flight when Ctrl-C comes: they must finish and be recorded.
    server.set_fault("add_lead", latency=0.15)
    try:
        first = subprocess.Popen(load_cmd(server, src, "--rate", "100", "--concurrency", "8"),
                                 env=cli_env(), stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        wait_for_lines(out, 40)
        first.send_signal(signal.SIGINT)
        stdout, _ = first.communicate(timeout=30)
    finally:
        server.clear_faults()
    assert first.returncode == 3, stdout  # stopped early
    assert "stopping" in stdout and "results:" in stdout  # told, then summarised
    results = read_results(out)
    assert 40 <= len(results) < 300, "Ctrl-C must stop the run before the end"
    on_server = leads_by_phone(server)
    # Every call that reached the server finished and has its row: nothing in flight was dropped.
    assert {r["phone_number"] for r in results} == {p for p in numbers if on_server[p]}
    assert {r["outcome"] for r in results} == {"added"}
    resumed = subprocess.run(load_cmd(server, src, "--rate", "400", "--resume"), env=cli_env(),
                             capture_output=True, text=True, timeout=60)
    assert resumed.returncode == 0, resumed.stdout + resumed.stderr
    on_server = leads_by_phone(server)
    assert {p: on_server[p] for p in numbers} == dict.fromkeys(numbers, 1)
    assert [int(r["row"]) for r in read_results(out)] == list(range(1, 301))


def test_rejected_rows_give_exit_status_1_and_the_password_is_never_shown(server: FakeServerProcess,
                                                                         tmp_path: Path) -> None:
    numbers = [f"646555{i:04d}" for i in range(20)]
    numbers[3] = "555-12"
    src = write_phones(tmp_path / "in.csv", numbers, {5: "José"})
    out = tmp_path / "out.jsonl"
    cmd = load_cmd(server, src, "--rate", "0", "--results", str(out), "--password", PASSWORD,
                   "--duplicate-check", "DUPLIST")
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=60, env=dict(os.environ))
    assert done.returncode == 1, done.stderr
    assert "rejected" in done.stdout and "row 4" in done.stdout and "row 6" in done.stdout
    everything = done.stdout + done.stderr + out.read_text() + Path(f"{out}.journal").read_text()
    assert PASSWORD not in everything
    again = subprocess.run(load_cmd(server, src, "--rate", "0", "--results", str(tmp_path / "o2.csv"),
                                    "--duplicate-check", "DUPLIST"),
                           capture_output=True, text=True, timeout=60, env=cli_env())
    assert again.returncode == 1
    assert Counter(r["outcome"] for r in read_results(tmp_path / "o2.csv")) == {
        "duplicate": 18, "rejected": 2}


def test_sigkill_of_a_fast_fsynced_load_then_resume_looks_up_only_what_may_have_been_sent(
        server: FakeServerProcess, tmp_path: Path) -> None:
    # Unthrottled, the rows go on fsynced send permits well ahead of them. After a killed
    # process (same boot: every written record survived), a row a permit covers but without a
    # record was never sent: the resume looks up only the rows whose answer was not recorded,
    # not the whole permit, and sends each missing lead once.
    numbers = [f"415666{i:04d}" for i in range(400)]
    src = write_phones(tmp_path / "leads.csv", numbers)
    out = tmp_path / "leads.results.csv"
    server.set_fault("add_lead", latency=0.02)
    try:
        first = subprocess.Popen(load_cmd(server, src, "--rate", "0", "--settle", "0.2",
                                          "--concurrency", "4"),
                                 env=cli_env(), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        wait_for_lines(out, 100)
        first.send_signal(signal.SIGKILL)
        first.wait()
        journal = [json.loads(x) for x in Path(f"{out}.journal").read_text().splitlines()
                   if x.endswith("}")]
        resumed = subprocess.run(load_cmd(server, src, "--settle", "0.2", "--concurrency", "4",
                                          "--resume"),
                                 env=cli_env(), capture_output=True, text=True, timeout=60)
    finally:
        server.clear_faults()
    check_resumed_to_one_lead_each(server, resumed, out, numbers)
    sent = {r["r"] for r in journal if r["t"] == "s"}
    permitted = max(r["u"] for r in journal if r["t"] == "p")
    assert permitted > max(sent) + 16, "the kill must leave permitted rows that were never sent"
    lookups = re.search(r"lookups: (\d+)", resumed.stdout)
    assert lookups is not None and int(lookups.group(1)) <= 8, resumed.stdout


def test_usage_errors_give_exit_status_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    src = tmp_path / "in.csv"
    src.write_text("Phone,Colour\n3125550101,red\n")
    os.environ.pop("VICIDIAL_URL", None)
    assert main(["leads", "load", str(src), "--list-id", "101", "--dry-run"]) == 2
    assert "Colour" in capsys.readouterr().err
    assert main(["leads", "load", str(src), "--list-id", "101", "--custom-fields"]) == 2
    assert "--url" in capsys.readouterr().err
    assert main(["leads", "load", str(tmp_path / "nope.csv"), "--list-id", "101"]) == 2


@pytest.mark.parametrize(("flag", "named"), [("auto", "aiohttp"), ("httpx", "httpx"),
                                             ("aiohttp", "aiohttp")])
def test_backend_choice_is_named_with_v(server: FakeServerProcess, tmp_path: Path,
                                        monkeypatch: pytest.MonkeyPatch,
                                        capsys: pytest.CaptureFixture[str], flag: str,
                                        named: str) -> None:
    src = write_phones(tmp_path / "in.csv", [f"31255502{i:02d}" for i in range(20)])
    monkeypatch.setenv("VICIDIAL_PASS", PASSWORD)
    assert main(["leads", "load", str(src), "--list-id", "101", "--url", server.url, "--user", USER,
                 "--no-progress", "--rate", "0", "--backend", flag, "-v"]) == 0
    assert f"backend {named}" in capsys.readouterr().err
    assert [r["outcome"] for r in read_results(tmp_path / "in.results.csv")] == ["added"] * 20


def test_backend_aiohttp_without_the_extra_is_a_usage_error(
        server: FakeServerProcess, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    src = write_phones(tmp_path / "in.csv", ["3125550301"])
    monkeypatch.setenv("VICIDIAL_PASS", PASSWORD)
    monkeypatch.setitem(sys.modules, "aiohttp", None)  # as if the [fast] extra were not installed
    args = ["leads", "load", str(src), "--list-id", "101", "--url", server.url, "--user", USER,
            "--no-progress", "-v"]
    assert main([*args, "--backend", "aiohttp"]) == 2
    assert "vicidial-async[fast]" in capsys.readouterr().err
    assert main([*args, "--backend", "auto"]) == 0
    assert "backend httpx (auto: aiohttp not installed" in capsys.readouterr().err


def test_dry_run_reports_each_row_without_a_server(tmp_path: Path,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    src = write_phones(tmp_path / "in.csv", ["3125550101", "312-555-CALL", "(312) 555-0102"])
    assert main(["leads", "load", str(src), "--list-id", "101", "--dry-run", "--no-progress"]) == 1
    results = read_results(tmp_path / "in.dryrun.csv")
    assert [r["outcome"] for r in results] == ["valid", "rejected", "valid"]
    assert "holds letters" in results[1]["error"]
    assert "valid" in capsys.readouterr().out


def test_demo_runs_end_to_end(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["demo", "--leads", "400", "--rate", "0", "--no-progress", "--dir", str(tmp_path)]) == 0
    text = capsys.readouterr().out
    assert "Load complete" in text and "duplicate" in text and "stats snapshot" in text
    # the webhook part: dispositions by fake agents arrive at the receiver as typed events
    assert "SALE 'Sale Made' by agent001" in text and "5 dispositions received" in text
    results = read_results(tmp_path / "sample_leads.results.csv")
    assert len(results) == 400
    assert {"added", "duplicate", "rejected"} <= {r["outcome"] for r in results}
