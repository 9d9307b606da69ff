"""``vicidial stats watch``: config handling, --once, --json lines, and the rich wallboard."""

from __future__ import annotations

import asyncio
import io
import json
from pathlib import Path
from typing import Any

import pytest
from rich.console import Console

from vicidial_async import errors
from vicidial_async.cli import build_parser, main
from vicidial_async.cli import stats as cli_stats
from vicidial_async.poll import Source, StatsPoller
from vicidial_async.poll.config import ServerConfig, WatchConfig


@pytest.fixture
def wired(monkeypatch: pytest.MonkeyPatch, tiny: Any) -> Any:
    """Make the CLI's clients talk to in-process tiny servers (one app per host)."""
    app_cls, make = tiny
    apps: dict[str, Any] = {}

    def make_client(server: ServerConfig, every: float, **kw: Any) -> Any:
        app = apps.setdefault(server.name, app_cls())
        return make(app, host=server.name, password=server.password)

    monkeypatch.setattr(cli_stats, "make_client", make_client)
    monkeypatch.setenv("VICIDIAL_PASS", "s3cretPass1")
    monkeypatch.setenv("COLUMNS", "200")   # rich would squeeze the table to 80 columns
    return apps


def test_the_command_is_registered() -> None:
    args = build_parser().parse_args(["stats", "watch", "--once", "--every", "5"])
    assert args.func is cli_stats.run_watch
    assert (args.once, args.every, args.json) == (True, 5.0, False)


def test_once_json_prints_one_line_with_each_servers_summary(wired: Any, capsys: Any) -> None:
    status = main(["stats", "watch", "--once", "--json", "--url", "http://east.test",
                   "--user", "apiuser", "--in-groups", "SALESIN", "--allow-insecure-http"])
    out = capsys.readouterr().out
    assert status == 0
    lines = out.splitlines()
    assert len(lines) == 1
    data = json.loads(lines[0])
    east = data["sources"]["east.test"]
    assert east["state"] == "ok"
    assert east["summary"]["agents"] == 4
    assert east["summary"]["agents_by_state"] == {"PAUSED": 1, "INCALL": 1, "READY": 2}
    assert east["summary"]["calls_waiting"] == 4
    assert set(east["functions"]) == {"logged_in_agents", "campaigns_list", "in_group_status:SALESIN"}
    assert "value" not in east["functions"]["logged_in_agents"]
    assert "s3cretPass1" not in out


def test_once_with_values_includes_the_answers(wired: Any, capsys: Any) -> None:
    main(["stats", "watch", "--once", "--json", "--values", "--url", "http://east.test",
          "--user", "apiuser", "--allow-insecure-http"])
    data = json.loads(capsys.readouterr().out)
    rows = data["sources"]["east.test"]["functions"]["logged_in_agents"]["value"]
    assert [r["user"] for r in rows] == ["agent001", "agent002", "agent003", "agent004"]


def test_once_table_shows_servers_in_groups_and_active_campaigns(wired: Any, capsys: Any) -> None:
    status = main(["stats", "watch", "--once", "--url", "http://east.test", "--user", "apiuser",
                   "--in-groups", "SALESIN", "--allow-insecure-http"])
    out = capsys.readouterr().out
    assert status == 0
    for text in ("east.test", "OK", "SALESIN", "Sales Campaign", "TESTCAMP"):
        assert text in out
    assert "Old Campaign" not in out           # inactive campaigns are left out


def test_once_reports_a_refused_login_and_exits_4_without_printing_the_password(
        wired: Any, capsys: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    cfg = tmp_path / "servers.toml"
    cfg.write_text('[servers.east]\nurl = "http://east.test"\nuser = "apiuser"\n'
                   'password_env = "EAST_PASS"\nallow_insecure_http = true\n'
                   '[servers.west]\nurl = "http://west.test"\nuser = "apiuser"\n'
                   'password_env = "WEST_PASS"\nallow_insecure_http = true\n')
    monkeypatch.setenv("EAST_PASS", "notTheRightOne5")
    monkeypatch.setenv("WEST_PASS", "s3cretPass1")
    status = main(["stats", "watch", "--once", "--config", str(cfg)])
    captured = capsys.readouterr()
    assert status == 4  # its own status: a cron wrapper stops instead of locking the account
    assert "STOPPED" in captured.out and "AuthenticationError" in captured.out
    assert "notTheRightOne5" not in captured.out + captured.err


def test_a_password_in_the_config_file_exits_2_naming_the_key(tmp_path: Path, capsys: Any) -> None:
    cfg = tmp_path / "servers.toml"
    cfg.write_text('[servers.east]\nurl = "https://e.example"\nuser = "u"\npassword = "pw12345"\n')
    assert main(["stats", "watch", "--once", "--config", str(cfg)]) == 2
    err = capsys.readouterr().err
    assert "servers.east.password" in err and "pw12345" not in err


def test_no_servers_exits_2(capsys: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("VICIDIAL_URL", raising=False)
    monkeypatch.delenv("VICIDIAL_USER", raising=False)
    assert main(["stats", "watch", "--once"]) == 2
    assert "no servers" in capsys.readouterr().err


def test_json_mode_writes_one_line_per_snapshot(vrun: Any, tiny: Any) -> None:
    app_cls, make = tiny
    server = ServerConfig(name="east", url="http://east.test", user="apiuser", password="s3cretPass1")
    out = io.StringIO()

    async def scenario() -> None:
        async with make(app_cls(), host="east") as client:
            with pytest.raises(TimeoutError):
                async with asyncio.timeout(21):
                    await cli_stats.watch(WatchConfig((server,)), every=2.0, as_json=True,
                                          once=False, out=out, clients=[client])

    vrun(scenario())
    lines = [json.loads(line) for line in out.getvalue().splitlines()]
    assert [d["seq"] for d in lines] == list(range(1, 11))
    assert lines[-1]["sources"]["east"]["summary"]["agents"] == 4


def test_the_wallboard_marks_stale_and_failing_servers(vrun: Any, scripted: Any) -> None:
    down = scripted("down", failure=lambda fn, now: errors.ConnectError("connection refused"))
    slow = scripted("slow", latency=30.0)
    fine = scripted("fine")
    poller = StatsPoller([Source(c, ["logged_in_agents", "campaigns_list"]) for c in (down, slow, fine)],
                         every=2.0, stale_after=5.0)

    async def scenario() -> Any:
        async with poller:
            await asyncio.sleep(40)      # slow answered at ~30 s, then started again: 10 s old
            return poller.snapshot()

    snap = vrun(scenario())
    console = Console(record=True, width=160, file=io.StringIO())
    console.print(cli_stats.render(snap))
    text = console.export_text()
    rows = {line.split()[1]: line for line in text.splitlines() if line.split()[1:2] in (
        ["down"], ["slow"], ["fine"])}
    assert "FAILING" in rows["down"] and "ConnectError: connection refused" in rows["down"]
    assert "STALE" in rows["slow"]
    assert "OK" in rows["fine"]


def test_once_with_a_wrong_password_costs_one_failed_login_per_start(
        monkeypatch: pytest.MonkeyPatch, capsys: Any) -> None:
    from vicidial_async.testing import FakeServerProcess

    monkeypatch.setenv("VICIDIAL_PASS", "wrongpass")
    with FakeServerProcess() as fake:
        for start in (1, 2):
            status = main(["stats", "watch", "--once", "--json", "--url", fake.url, "--user", "6666",
                           "--in-groups", "SALESIN,SUPPORT", "--user-groups", "ADMIN"])
            assert status != 0
            users = {u["user"]: u for u in fake.state()["users"]}
            # Four polls per tick, but the first answer refused the login: nothing else was sent.
            assert users["6666"]["failed_login_count"] == start
            assert fake.state()["requests"] == start
    assert "wrongpass" not in capsys.readouterr().out
