"""The servers file of ``vicidial stats watch``: passwords only from the environment."""

from __future__ import annotations

from pathlib import Path

import pytest

from vicidial_async.errors import ConfigurationError
from vicidial_async.poll.config import load_config

GOOD = """
every = 5

[servers.east]
url = "https://dialer-east.example.com"
user = "apiuser"
password_env = "EAST_VICIDIAL_PASS"
in_groups = ["SALES", "SUPPORT"]

[servers.west]
url = "https://dialer-west.example.com"
user = "apiuser"
password_env = "WEST_VICIDIAL_PASS"
user_groups = ["AGENTS"]
every = 10
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "servers.toml"
    path.write_text(text)
    return path


def test_servers_get_their_password_from_the_environment(tmp_path: Path) -> None:
    env = {"EAST_VICIDIAL_PASS": "eastSecret1", "WEST_VICIDIAL_PASS": "westSecret2"}
    cfg = load_config(write(tmp_path, GOOD), env)
    assert cfg.every == 5.0
    east, west = cfg.servers
    assert (east.name, east.password, east.in_groups) == ("east", "eastSecret1", ("SALES", "SUPPORT"))
    assert (west.user_groups, west.every) == (("AGENTS",), 10.0)
    assert "eastSecret1" not in repr(cfg)


@pytest.mark.parametrize("key", ["password", "pass", "api_password", "secret"])
def test_a_password_in_the_file_is_refused_naming_the_key_not_the_value(tmp_path: Path, key: str) -> None:
    text = GOOD.replace('password_env = "EAST_VICIDIAL_PASS"',
                        f'password_env = "EAST_VICIDIAL_PASS"\n{key} = "hunter2hunter"')
    with pytest.raises(ConfigurationError) as info:
        load_config(write(tmp_path, text), {"EAST_VICIDIAL_PASS": "x1", "WEST_VICIDIAL_PASS": "x2"})
    assert f"servers.east.{key}" in str(info.value)
    assert "hunter2hunter" not in str(info.value)


def test_a_missing_environment_variable_is_named(tmp_path: Path) -> None:
    with pytest.raises(ConfigurationError, match="WEST_VICIDIAL_PASS is not set"):
        load_config(write(tmp_path, GOOD), {"EAST_VICIDIAL_PASS": "x1"})


@pytest.mark.parametrize(("text", "message"), [
    ("[servers.a]\nurl = 'https://a.example'\nuser = 'u'\npassword_env = 'P'\ncolour = 'red'\n",
     "unknown key 'colour'"),
    ("[servers.a]\nurl = 'https://a.example'\npassword_env = 'P'\n", "servers.a.user is required"),
    ("[servers.a]\nurl = 'https://a.example'\nuser = 'u'\npassword_env = 'P'\nin_groups = 5\n",
     "in_groups must be a list"),
    ("every = 0\n[servers.a]\nurl = 'https://a.example'\nuser = 'u'\npassword_env = 'P'\n",
     "every must be a number > 0"),
    ("title = 'x'\n", "unknown top-level key 'title'"),
    ("[other]\n", "unknown top-level key"),
    ("servers = {}\n", "names no servers"),
    ("[servers.a\n", "not valid TOML"),
])
def test_mistakes_in_the_file_are_explained(tmp_path: Path, text: str, message: str) -> None:
    with pytest.raises(ConfigurationError, match=message):
        load_config(write(tmp_path, text), {"P": "pw1"})


def test_a_missing_file_is_a_configuration_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigurationError, match="cannot read"):
        load_config(tmp_path / "nope.toml")
