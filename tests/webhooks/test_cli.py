"""``vicidial webhooks url`` and ``install`` (against the fake server process)."""

from __future__ import annotations

import pytest

from vicidial_async.cli import main
from vicidial_async.testing import FakeServerProcess

from .conftest import TOKEN


@pytest.fixture(autouse=True)
def token_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HOOK_TOKEN", TOKEN)


def test_url_prints_the_template(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["webhooks", "url", "--kind", "dispo", "--base", "https://h.example.com/vd",
                 "--token-env", "HOOK_TOKEN", "--var", "lead_id", "--custom-field", "favcolor"]) == 0
    assert capsys.readouterr().out.strip() == (
        f"VARhttps://h.example.com/vd?hook=dispo&token={TOKEN}&lead_id=--A--lead_id--B--"
        "&favcolor=--A--favcolor--B--")


def test_url_refusal_is_a_clear_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["webhooks", "url", "--kind", "dispo", "--base", "https://h.example.com/vd",
                 "--token-env", "HOOK_TOKEN", "--var", "pass"]) == 2
    err = capsys.readouterr().err
    assert "password" in err and TOKEN not in err


def test_url_without_token(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["webhooks", "url", "--kind", "start", "--base", "https://h.example.com/vd",
                 "--token-env", "NO_SUCH_VAR_13"]) == 2
    assert "NO_SUCH_VAR_13" in capsys.readouterr().err


def test_install_alternate_row_and_read_back(capsys: pytest.CaptureFixture[str]) -> None:
    with FakeServerProcess() as server:
        status = main(["webhooks", "install", "--campaign", "TESTCAMP", "--kind", "dispo",
                       "--base", "https://h.example.com/vd", "--token-env", "HOOK_TOKEN",
                       "--alt", "--switch-to-alt", "--statuses", "SALE,NI",
                       "--url", server.url, "--user", "6666", "--password", "1234"])
    out = capsys.readouterr().out
    assert status == 0, out
    assert "dispo URL added on campaign TESTCAMP (alt)" in out and "read back: matches" in out
    assert "statuses SALE NI" in out
    assert TOKEN not in out and "1234" not in out
