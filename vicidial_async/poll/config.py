"""The servers file of ``vicidial stats watch``: TOML naming servers, passwords from the environment.

::

    every = 2.0                              # optional, seconds between polls

    [servers.east]
    url = "https://dialer-east.example.com"
    user = "apiuser"
    password_env = "EAST_VICIDIAL_PASS"      # the password itself never goes in the file
    in_groups = ["SALES", "SUPPORT"]         # optional: one in_group_status poll per in-group
    user_groups = ["AGENTS"]                 # optional: user_group_status (calls waiting)
    campaigns = ["SALES1"]                   # optional: limit logged_in_agents to these campaigns

A password written in the file is refused with an error that names the key and never echoes the
value: config files get committed, copied and attached to tickets.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import attrs

from ..errors import ConfigurationError

__all__ = ["ServerConfig", "WatchConfig", "load_config", "parse_config"]

_SERVER_KEYS = frozenset({"url", "user", "password_env", "in_groups", "user_groups", "campaigns",
                          "verify", "allow_insecure_http", "every", "max_concurrent"})
_TOP_KEYS = frozenset({"servers", "every"})


def _looks_secret(key: str) -> bool:
    k = key.lower()
    return key != "password_env" and any(w in k for w in ("pass", "secret", "token"))


@attrs.frozen(slots=True)
class ServerConfig:
    """One server of the file (or of ``--url/--user``). ``password`` is read from the environment
    and kept out of ``repr``."""

    name: str
    url: str
    user: str
    password: str = attrs.field(repr=False)
    in_groups: tuple[str, ...] = ()
    user_groups: tuple[str, ...] = ()
    campaigns: tuple[str, ...] = ()
    verify: bool = True
    allow_insecure_http: bool = False
    every: float | None = None
    max_concurrent: int = 3


@attrs.frozen(slots=True)
class WatchConfig:
    """Everything the file says: the servers and the optional cadence."""

    servers: tuple[ServerConfig, ...]
    every: float | None = None


def _str_list(where: str, key: str, value: Any) -> tuple[str, ...]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
        raise ConfigurationError(f"{where}.{key} must be a list of names")
    return tuple(value)


def _number(where: str, key: str, value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not value > 0:
        raise ConfigurationError(f"{where + '.' if where else ''}{key} must be a number > 0")
    return float(value)


def _server(name: str, table: Any, environ: Mapping[str, str]) -> ServerConfig:
    where = f"servers.{name}"
    if not isinstance(table, dict):
        raise ConfigurationError(f"{where} must be a table ([{where}])")
    for key in table:
        if _looks_secret(key):
            raise ConfigurationError(
                f"{where}.{key}: passwords must not be written in the config file; set "
                f"password_env to the name of an environment variable that holds it")
        if key not in _SERVER_KEYS:
            raise ConfigurationError(f"{where}: unknown key {key!r}")
    for key in ("url", "user", "password_env"):
        if not isinstance(table.get(key), str) or not table[key]:
            raise ConfigurationError(f"{where}.{key} is required (a string)")
    env = table["password_env"]
    password = environ.get(env)
    if not password:
        raise ConfigurationError(f"{where}: environment variable {env} is not set")
    for key in ("verify", "allow_insecure_http"):
        if key in table and not isinstance(table[key], bool):
            raise ConfigurationError(f"{where}.{key} must be true or false")
    max_concurrent = table.get("max_concurrent", 3)
    if isinstance(max_concurrent, bool) or not isinstance(max_concurrent, int) or max_concurrent < 1:
        raise ConfigurationError(f"{where}.max_concurrent must be an integer >= 1")
    return ServerConfig(
        name=name, url=table["url"], user=table["user"], password=password,
        in_groups=_str_list(where, "in_groups", table.get("in_groups", [])),
        user_groups=_str_list(where, "user_groups", table.get("user_groups", [])),
        campaigns=_str_list(where, "campaigns", table.get("campaigns", [])),
        verify=table.get("verify", True), allow_insecure_http=table.get("allow_insecure_http", False),
        every=_number(where, "every", table["every"]) if "every" in table else None,
        max_concurrent=max_concurrent)


def parse_config(data: Mapping[str, Any], environ: Mapping[str, str] | None = None) -> WatchConfig:
    """Check a parsed TOML document and read each server's password from ``environ``."""
    env = os.environ if environ is None else environ
    for key in data:
        if _looks_secret(key):
            raise ConfigurationError(f"{key}: passwords must not be written in the config file")
        if key not in _TOP_KEYS:
            raise ConfigurationError(f"unknown top-level key {key!r} (expected [servers.NAME] tables)")
    servers = data.get("servers")
    if not isinstance(servers, dict) or not servers:
        raise ConfigurationError("the config file names no servers ([servers.NAME] tables)")
    every = _number("", "every", data["every"]) if "every" in data else None
    return WatchConfig(tuple(_server(name, table, env) for name, table in servers.items()), every)


def load_config(path: str | Path, environ: Mapping[str, str] | None = None) -> WatchConfig:
    """Read and check a servers file (see the module docstring for its layout)."""
    try:
        with open(path, "rb") as f:
            data = tomllib.load(f)
    except OSError as exc:
        raise ConfigurationError(f"cannot read {path}: {exc.strerror}") from None
    except tomllib.TOMLDecodeError as exc:
        # The decoder's message gives a line and column, never the text of the line.
        raise ConfigurationError(f"{path}: not valid TOML: {exc}") from None
    return parse_config(data, environ)
