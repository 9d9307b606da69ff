"""What users expect of any command line: --version, -v, number checks, one-line errors (no
traceback), a quiet broken pipe, exit status 4 for a refused login, TLS options, output that is not
cut when it goes to a file, and a demo that cleans up after itself."""

from __future__ import annotations

import argparse
import csv
import io
import json
import os
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from vicidial_async.cli import _leaf_parsers, build_parser, main
from vicidial_async.cli._common import EXIT_AUTH, tls_verify
from vicidial_async.errors import ConfigurationError
from vicidial_async.testing import FakeServerProcess

pytestmark = pytest.mark.filterwarnings("ignore::ResourceWarning")

PY = [sys.executable, "-m", "vicidial_async"]


@pytest.fixture(scope="module")
def fake() -> Iterator[FakeServerProcess]:
    with FakeServerProcess() as srv:
        yield srv


def _env(password: str = "1234") -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("VICIDIAL_")}
    return {**env, "VICIDIAL_PASS": password}


def _no_traceback(text: str) -> None:
    assert "Traceback" not in text and "Exception ignored" not in text, text


# -- --version, -v, help ----------------------------------------------------------------------


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as info:
        main(["--version"])
    assert info.value.code == 0
    out = capsys.readouterr().out
    assert out.startswith("vicidial ") and out.split()[1][0].isdigit()


def test_every_command_takes_verbose() -> None:
    leaves = _leaf_parsers(build_parser())
    assert len(leaves) >= 6
    for leaf in leaves:
        assert "-v" in leaf._option_string_actions and "--verbose" in leaf._option_string_actions, \
            leaf.prog


def test_help_texts_have_no_rest_backticks() -> None:
    def all_parsers(p: argparse.ArgumentParser) -> Iterator[argparse.ArgumentParser]:
        yield p
        for action in p._actions:
            if isinstance(action, argparse._SubParsersAction):
                for child in dict.fromkeys(action.choices.values()):
                    yield from all_parsers(child)

    for p in all_parsers(build_parser()):
        assert "``" not in p.format_help(), p.prog


def test_verbose_logs_each_call_without_the_password(fake: FakeServerProcess) -> None:
    run = subprocess.run([*PY, "stats", "watch", "--once", "--json", "-v", "--url", fake.url,
                          "--user", "6666"], env=_env("1234"), capture_output=True, text=True,
                         timeout=60)
    assert run.returncode == 0, run.stderr
    assert "function=logged_in_agents" in run.stderr and "status=200" in run.stderr
    assert "1234" not in run.stderr.replace("127.0.0.1", "")


# -- numbers ----------------------------------------------------------------------------------


@pytest.mark.parametrize(("argv", "words"), [
    (["leads", "load", "x.csv", "--list-id", "101", "--rate", "-5"], "--rate: must be >= 0"),
    (["leads", "load", "x.csv", "--list-id", "101", "--settle", "-1"], "--settle: must be >= 0"),
    (["leads", "load", "x.csv", "--list-id", "101", "--concurrency", "0"], "--concurrency: must be"),
    (["leads", "load", "x.csv", "--list-id", "101", "--timeout", "0"], "--timeout: must be > 0"),
    (["demo", "--leads", "-3"], "--leads: must be a whole number >= 1"),
    (["demo", "--concurrency", "0"], "--concurrency: must be"),
    (["stats", "watch", "--every", "nan"], "--every: must be > 0"),
    (["fake-server", "--port", "70000"], "--port: must be 0-65535"),
])
def test_nonsensical_numbers_are_refused(argv: list[str], words: str,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as info:
        main(argv)
    assert info.value.code == 2
    err = capsys.readouterr().err
    assert words in err
    _no_traceback(err)


# -- one-line errors --------------------------------------------------------------------------


def test_fake_server_on_a_port_in_use_is_one_line() -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen(1)
        port = busy.getsockname()[1]
        run = subprocess.run([*PY, "fake-server", "--port", str(port)], capture_output=True,
                             text=True, timeout=60)
    assert run.returncode == 2
    assert run.stderr.strip().count("\n") == 0
    assert f"cannot listen on 127.0.0.1:{port}: already in use" in run.stderr
    _no_traceback(run.stderr)


@pytest.mark.parametrize("faults", ['[{"function": "add_lead", ', '{"function": 5, "latency": "x"}'])
def test_malformed_faults_json_is_one_line(faults: str) -> None:
    run = subprocess.run([*PY, "fake-server", "--port", "0", "--faults-json", faults],
                         capture_output=True, text=True, timeout=60)
    assert run.returncode == 2
    assert run.stderr.startswith("vicidial fake-server: --faults-json: ")
    assert run.stderr.strip().count("\n") == 0
    _no_traceback(run.stderr)


def test_fake_server_prints_its_url_and_logins() -> None:
    proc = subprocess.Popen([*PY, "fake-server", "--port", "0", "--seed-user", "apiuser:secret1:8"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert proc.stdout is not None
        lines = [proc.stdout.readline() for _ in range(5)]
    finally:
        proc.terminate()
        proc.communicate(timeout=30)
    text = "".join(lines)
    assert lines[0].startswith("FAKE-VICIDIAL LISTENING http://127.0.0.1:")
    url = lines[0].split()[-1]
    assert f"{url}/vicidial/non_agent_api.php" in text
    assert "login: 6666 / 1234" in text and "login: apiuser / secret1" in text


def test_a_closed_port_is_one_line_naming_host_port_and_cause() -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    run = subprocess.run([*PY, "stats", "watch", "--once", "--json", "--url",
                          f"http://127.0.0.1:{port}", "--user", "6666"],
                         env=_env(), capture_output=True, text=True, timeout=60)
    assert run.returncode == 1
    assert json.loads(run.stdout)["sources"]["127.0.0.1"]["state"] == "failing"
    assert f"logged_in_agents to 127.0.0.1:{port}: connection refused" in run.stdout
    _no_traceback(run.stderr)


def test_broken_pipe_exits_quietly(fake: FakeServerProcess) -> None:
    proc = subprocess.Popen([*PY, "stats", "watch", "--json", "--every", "0.1", "--url", fake.url,
                             "--user", "6666"], env=_env(), stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    assert proc.stdout is not None and proc.stderr is not None
    first = proc.stdout.readline()  # what `| head -1` does: read one line, then go away
    proc.stdout.close()
    assert proc.wait(timeout=60) == 141
    assert json.loads(first)["sources"]
    err = proc.stderr.read()
    proc.stderr.close()
    assert err == ""


# -- exit status 4 for a refused login --------------------------------------------------------


def test_stats_once_with_a_wrong_password_exits_4(fake: FakeServerProcess) -> None:
    run = subprocess.run([*PY, "stats", "watch", "--once", "--url", fake.url, "--user", "6666"],
                         env=_env("wrongpw"), capture_output=True, text=True, timeout=60)
    assert run.returncode == EXIT_AUTH == 4
    assert "wrongpw" not in run.stdout + run.stderr
    _good_login(fake)


def test_leads_load_with_a_wrong_password_exits_4(fake: FakeServerProcess, tmp_path: Path) -> None:
    src = tmp_path / "leads.csv"
    with open(src, "w", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["Phone"])
        w.writerows([[f"41555510{i:02d}"] for i in range(30)])
    before = fake.state()["requests"]
    run = subprocess.run([*PY, "leads", "load", str(src), "--list-id", "101", "--url", fake.url,
                          "--user", "6666", "--no-progress", "--concurrency", "8"],
                         env=_env("wrongpw"), capture_output=True, text=True, timeout=120)
    assert run.returncode == 4, run.stdout + run.stderr
    assert fake.state()["requests"] - before == 1   # one failed login, not eight
    assert "wrongpw" not in run.stdout + run.stderr
    _no_traceback(run.stderr)
    _good_login(fake)


def _good_login(fake: FakeServerProcess) -> None:
    # Resets the fake's failure counter, so later tests start clean.
    run = subprocess.run([*PY, "stats", "watch", "--once", "--json", "--url", fake.url, "--user",
                          "6666"], env=_env("1234"), capture_output=True, text=True, timeout=60)
    assert run.returncode == 0, run.stderr


# -- timeout and TLS options --------------------------------------------------------------------


def test_timeout_applies_to_stats_watch(fake: FakeServerProcess) -> None:
    fake.set_fault("*", latency=3.0, times=10)
    try:
        run = subprocess.run([*PY, "stats", "watch", "--once", "--json", "--timeout", "0.3",
                              "--url", fake.url, "--user", "6666"],
                             env=_env(), capture_output=True, text=True, timeout=60)
    finally:
        fake.clear_faults()
    assert run.returncode == 1
    assert "within 0.3s" in run.stdout or "after 0.3s" in run.stdout


def test_ca_bundle_and_insecure(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    ca = Path(__file__).parents[1] / "core" / "tls" / "ca.pem"
    ctx = tls_verify(argparse.Namespace(ca_bundle=str(ca), insecure=False), "stats watch")
    assert not isinstance(ctx, bool) and ctx.cert_store_stats()["x509_ca"] >= 1
    with pytest.raises(ConfigurationError, match="no such file"):
        tls_verify(argparse.Namespace(ca_bundle=str(tmp_path / "nope.pem"), insecure=False), "x")
    assert tls_verify(argparse.Namespace(ca_bundle=None, insecure=True), "stats watch") is False
    assert "WARNING: --insecure" in capsys.readouterr().err
    args = build_parser().parse_args(["leads", "load", "f.csv", "--list-id", "1", "--insecure",
                                      "--ca-bundle", "x.pem", "--timeout", "7"])
    assert (args.insecure, args.ca_bundle, args.timeout) == (True, "x.pem", 7.0)


# -- output to a file is not cut, the wallboard fits 80 columns ---------------------------------


def test_once_to_a_file_is_not_cut_to_the_terminal_width(monkeypatch: pytest.MonkeyPatch,
                                                         capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("COLUMNS", "60")
    monkeypatch.setenv("VICIDIAL_PASS", "1234")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    status = main(["stats", "watch", "--once", "--url", f"http://127.0.0.1:{port}", "--user", "6666"])
    out = capsys.readouterr().out
    assert status == 1
    assert "…" not in out
    assert "Problem" in out and f"to 127.0.0.1:{port}: connection refused" in out


def test_wallboard_at_80_columns_keeps_problems_on_one_line_each() -> None:
    from rich.console import Console

    from vicidial_async import ConnectError
    from vicidial_async.cli.stats import render
    from vicidial_async.poll.snapshot import Reading, Snapshot, SourceSnapshot

    err = ConnectError(function="logged_in_agents", host="dialer-east.example.com", port=443,
                       cause="TLS handshake failed: certificate verify failed (self-signed "
                             "certificate); pass a CA bundle for a self-signed certificate")
    snap = _snapshot(Snapshot, SourceSnapshot, Reading, err)
    buf = io.StringIO()
    console = Console(file=buf, width=80, height=24, color_system=None)
    console.print(render(snap, width=80))
    lines = buf.getvalue().splitlines()
    assert len(lines) <= 24
    assert all(len(line) <= 80 for line in lines)
    header = next(line for line in lines if "Server" in line)
    for col in ("State", "Agents", "Ready", "In call", "Paused", "Waiting"):
        assert col in header  # no column squeezed to "Wai…"
    problem = [line for line in lines if line.startswith("dialer-east.example.com: ConnectError: ")]
    assert len(problem) == 1


def _snapshot(snapshot_cls: Any, source_cls: Any, reading_cls: Any, err: BaseException) -> Any:
    from datetime import UTC, datetime

    at = datetime(2026, 1, 1, tzinfo=UTC)
    name = "dialer-east.example.com"
    reading = reading_cls(source=name, key="logged_in_agents", function="logged_in_agents",
                          value=None, taken_at=None, age=None, stale=False, error=err, error_at=at,
                          failures=3, polls=3, errors=3, skipped=0, latency=0.01)
    return snapshot_cls(1, at, {name: source_cls(name, {"logged_in_agents": reading})})


# -- demo cleans up ---------------------------------------------------------------------------


def test_demo_removes_its_temporary_directory(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    import tempfile

    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    assert main(["demo", "--leads", "30", "--no-progress", "--no-webhooks"]) == 0
    assert "removed at the end" in capsys.readouterr().out
    assert list(tmp_path.iterdir()) == []
    kept = tmp_path / "kept"
    assert main(["demo", "--leads", "30", "--no-progress", "--no-webhooks", "--dir", str(kept)]) == 0
    assert (kept / "sample_leads.csv").is_file()
