"""``vicidial stats watch``: a live wallboard of many servers (rich), or JSON lines for piping.

Servers come from a TOML file (``--config``, passwords from environment variables) or from
``--url/--user`` with the password from ``--password``, ``VICIDIAL_PASS`` or a prompt. The password
is never printed: errors are the library's masked messages, and a log filter scrubs it anyway.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import getpass
import json
import logging
import os
import ssl
import sys
from collections.abc import Iterator, Sequence
from typing import Any, Literal, TextIO

from ..client import VicidialClient
from ..config import RetryPolicy, Timeouts
from ..errors import AuthenticationError, ConfigurationError
from ..poll.config import ServerConfig, WatchConfig, load_config
from ..poll.poller import StatsPoller
from ..poll.snapshot import Snapshot, State
from ..poll.source import Poll, Source
from ..poll.summary import IN_GROUP_PREFIX, ServerSummary, summarize
from ..transport.redact import SecretFilter
from ._common import EXIT_AUTH, add_connection_options, positive_float, tls_verify
from .backend_option import add_backend_options, chosen_backend, say_backend
from .shared import add_redis_options, make_coordination

__all__ = ["build_parser_into", "make_client", "register", "render", "snapshot_line", "source_for"]

DEFAULT_EVERY = 2.0


def register(subparsers: Any) -> None:
    """Add ``stats watch`` to the ``vicidial`` command."""
    stats = subparsers.add_parser("stats", help="real-time stats from one or many servers")
    build_parser_into(stats)


def build_parser_into(stats: argparse.ArgumentParser) -> None:
    """The ``stats`` parser and its ``watch`` subcommand."""
    sub = stats.add_subparsers(dest="stats_command", required=True)
    w = sub.add_parser(
        "watch", help="live table of agents, calls waiting, in-groups and campaigns",
        description="Poll real-time stats from one or many VICIdial servers. Give --config "
                    "servers.toml (passwords from the environment variables it names) or --url "
                    "and --user (password from --password, VICIDIAL_PASS or a prompt).")
    src = w.add_argument_group("servers")
    src.add_argument("--config", metavar="FILE", help="TOML file naming the servers")
    src.add_argument("--url", help="server root, e.g. https://dialer.example.com (or VICIDIAL_URL)")
    src.add_argument("--user", help="API user (or VICIDIAL_USER)")
    src.add_argument("--password", help="API password; prefer VICIDIAL_PASS, since a command "
                                        "line is visible to other users of the machine")
    src.add_argument("--in-groups", default="", metavar="A,B",
                     help="in-groups to show (one in_group_status poll each)")
    src.add_argument("--user-groups", default="", metavar="A,B",
                     help="user groups for user_group_status (gives calls waiting)")
    src.add_argument("--campaigns", default="", metavar="A,B",
                     help="limit logged_in_agents to these campaigns")
    add_backend_options(src)
    src.add_argument("--allow-insecure-http", action="store_true",
                     help="permit http:// to a non-loopback host (sends the password in clear)")
    out = w.add_argument_group("output")
    add_connection_options(src)
    add_redis_options(w)
    out.add_argument("--every", type=positive_float, default=None,
                     help=f"seconds between polls (default {DEFAULT_EVERY:g}, or the file's)")
    out.add_argument("--json", action="store_true", help="one JSON line per snapshot on stdout")
    out.add_argument("--values", action="store_true",
                     help="with --json: include the full answers, not only the summary")
    out.add_argument("--once", action="store_true", help="poll once, print, and exit")
    w.set_defaults(func=run_watch)


# -- servers, clients and sources ----------------------------------------------------------------


def _names(text: str) -> tuple[str, ...]:
    return tuple(p.strip() for p in text.split(",") if p.strip())


def _servers(args: argparse.Namespace) -> WatchConfig:
    if args.config and (args.url or args.user or args.password):
        raise ConfigurationError("give either --config or --url/--user/--password, not both")
    if args.config:
        return load_config(args.config)
    url = args.url or os.environ.get("VICIDIAL_URL")
    user = args.user or os.environ.get("VICIDIAL_USER")
    if not url or not user:
        raise ConfigurationError("no servers: give --config FILE, or --url and --user "
                                 "(or VICIDIAL_URL and VICIDIAL_USER)")
    password = args.password or os.environ.get("VICIDIAL_PASS")
    if not password and sys.stdin.isatty():
        password = getpass.getpass(f"password for {user}: ")
    if not password:
        raise ConfigurationError("no password: set VICIDIAL_PASS (or give --password)")
    import httpx

    name = httpx.URL(url).host or url
    server = ServerConfig(name=name, url=url, user=user, password=password,
                          in_groups=_names(args.in_groups), user_groups=_names(args.user_groups),
                          campaigns=_names(args.campaigns),
                          allow_insecure_http=args.allow_insecure_http)
    return WatchConfig((server,))


def make_client(server: ServerConfig, every: float, *,
                backend: Literal["httpx", "aiohttp"] = "httpx", timeout: float | None = None,
                verify: bool | ssl.SSLContext | None = None, shared: Any = None) -> VicidialClient:
    """A client tuned for polling: one quick retry at most (the next tick is the real retry) and
    read timeouts of a few intervals instead of the 120 s meant for big reports (``timeout``
    overrides them). ``verify`` (from ``--ca-bundle``/``--insecure``) overrides the server's."""
    read = timeout if timeout is not None else max(10.0, 3 * every)
    return VicidialClient(
        server.url, server.user, server.password, source="vicidialwatch",
        verify=server.verify if verify is None else verify,
        allow_insecure_http=server.allow_insecure_http, max_connections=server.max_concurrent,
        retry=RetryPolicy(attempts=2, base=0.2, jitter=0.2, max_backoff=1.0, deadline=read),
        timeouts=Timeouts(connect=5.0, read=read, write=10.0, pool=read, report_read=read),
        backend=backend, shared=shared)


def source_for(server: ServerConfig, client: Any) -> Source:
    """What the wallboard polls on one server: agents, campaigns, each in-group, user groups."""
    polls = [Poll("logged_in_agents", {"campaigns": list(server.campaigns) or None}),
             Poll("campaigns_list")]
    polls += [Poll("in_group_status", {"in_groups": [ig]}, key=IN_GROUP_PREFIX + ig)
              for ig in server.in_groups]
    if server.user_groups:
        polls.append(Poll("user_group_status", {"user_groups": list(server.user_groups)}))
    return Source(client, polls, name=server.name, every=server.every,
                  max_concurrent=server.max_concurrent)


# -- output ------------------------------------------------------------------------------------


def snapshot_line(snapshot: Snapshot, *, values: bool = False) -> str:
    """One JSON line: the snapshot's per-function states plus each server's summary."""
    data = snapshot.to_dict(values=values)
    for name, src in snapshot.sources.items():
        data["sources"][name]["summary"] = summarize(src).to_dict()
    return json.dumps(data, separators=(",", ":"), default=str)


_STYLE = {State.OK: "green", State.PENDING: "dim", State.STALE: "yellow",
          State.FAILING: "red", State.STOPPED: "bold red"}
_MAIN_STATES = ("READY", "INCALL", "PAUSED")


def _num(v: int | float | None) -> str:
    return "-" if v is None else f"{v:g}" if isinstance(v, float) else str(v)


def _state_cell(s: ServerSummary) -> Any:
    from rich.text import Text

    state = State(s.state)
    label = state.value.upper()
    if state is State.STALE and s.age is not None:
        label += f" {s.age:.0f}s"
    return Text(label, style=_STYLE[state])


# Below this width the Problem column would squeeze every other column (and itself, into a tall
# wrapped block): problems go under the table instead, one line per server.
_NARROW = 120


def render(snapshot: Snapshot, *, width: int | None = None) -> Any:
    """The wallboard as a rich renderable: servers, then in-groups, then active campaigns.

    ``width`` is the screen's: when it is narrow, each server's problem is one line under the
    table (cut at the screen's edge) instead of a column."""
    from rich.console import Group
    from rich.table import Table
    from rich.text import Text

    summaries = [summarize(src) for src in snapshot]
    narrow = width is not None and width < _NARROW
    servers = Table(title=f"VICIdial - {snapshot.at:%H:%M:%S} UTC", title_justify="left",
                    expand=False)
    for col, justify in (("Server", "left"), ("State", "left"), ("Agents", "right"),
                         ("Ready", "right"), ("In call", "right"), ("Paused", "right"),
                         ("Other", "right"), ("Waiting", "right"), ("Problem", "left")):
        if col == "Problem" and narrow:
            continue
        servers.add_column(col, justify=justify)  # type: ignore[arg-type]
    for s in summaries:
        states = s.agents_by_state
        other = sum(n for k, n in states.items() if k not in _MAIN_STATES)
        known = s.agents is not None
        servers.add_row(
            s.name, _state_cell(s), _num(s.agents),
            *(_num(states.get(k, 0)) if known else "-" for k in _MAIN_STATES),
            _num(other) if known else "-", _num(s.calls_waiting),
            *(() if narrow else (Text(s.error or "", style="red"),)))
    parts: list[Any] = [servers]
    if narrow:
        parts += [Text(f"{s.name}: {s.error}", style="red", no_wrap=True, overflow="ellipsis")
                  for s in summaries if s.error]
    in_groups = [(s.name, ig) for s in summaries for ig in s.in_groups]
    if in_groups:
        t = Table(title="In-groups", title_justify="left")
        for col in ("Server", "In-group", "Waiting", "Calls", "Agents", "In call", "Waiting agents",
                    "Paused"):
            t.add_column(col, justify="left" if col in ("Server", "In-group") else "right")
        for name, ig in in_groups:
            t.add_row(name, ig.in_group, _num(ig.calls_waiting), _num(ig.total_calls),
                      _num(ig.agents_logged_in), _num(ig.agents_in_calls),
                      _num(ig.agents_waiting), _num(ig.agents_paused))
        parts.append(t)
    campaigns = [(s.name, c) for s in summaries for c in s.campaigns if c.active]
    if campaigns:
        t = Table(title="Active campaigns", title_justify="left")
        for col in ("Server", "Campaign", "Name", "Dial method", "Level", "Agents"):
            t.add_column(col, justify="right" if col in ("Level", "Agents") else "left")
        for name, c in campaigns:
            t.add_row(name, c.campaign_id, c.name, c.dial_method, _num(c.dial_level), _num(c.agents))
        parts.append(t)
    return Group(*parts)


def _waiting(servers: int, every: float) -> Any:
    from rich.text import Text

    return Text(f"polling {servers} server(s) every {every:g} s ...", style="dim")


# -- running -----------------------------------------------------------------------------------


@contextlib.contextmanager
def _routed_logs(passwords: Sequence[str], console: Any | None, level: int) -> Iterator[None]:
    """Route the library's log records above the live table (or to stderr), passwords scrubbed.

    Failing servers are already marked in the output, so only ``level`` and above are shown. The
    logger is restored on exit (``main()`` may run inside a bigger program, or a test session).
    """
    handler: logging.Handler
    if console is not None:
        from rich.logging import RichHandler

        handler = RichHandler(console=console, show_path=False)
    else:
        handler = logging.StreamHandler(sys.stderr)
    handler.addFilter(SecretFilter(passwords))
    handler.setLevel(level)
    log = logging.getLogger("vicidial_async")
    propagate = log.propagate
    log.addHandler(handler)
    log.propagate = False
    try:
        yield
    finally:
        log.removeHandler(handler)
        log.propagate = propagate


async def watch(config: WatchConfig, *, every: float, as_json: bool, once: bool,
                values: bool = False, out: TextIO | None = None,
                clients: Sequence[Any] | None = None,
                backend: Literal["httpx", "aiohttp"] = "httpx", timeout: float | None = None,
                verify: bool | ssl.SSLContext | None = None, shared: Any = None) -> int:
    """Run the wallboard until cancelled (or once). ``clients`` replaces the real ones (tests);
    ``shared`` (a ``RedisCoordination``) shares each server's budget with other processes.

    ``--once`` returns 0 when every server answered, 4 when a server refused the login, else 1."""
    stream = out or sys.stdout
    async with contextlib.AsyncExitStack() as stack:
        if shared is not None:
            stack.push_async_callback(shared.aclose)
        if clients is None:
            made = []
            for server in config.servers:
                client = make_client(server, server.every or every, backend=backend,
                                     timeout=timeout, verify=verify, shared=shared)
                stack.push_async_callback(client.aclose)
                made.append(client)
            clients = made
        sources = [source_for(s, c) for s, c in zip(config.servers, clients, strict=True)]
        poller = StatsPoller(sources, every=every,
                             timeout=max(10.0, 3 * every) if timeout is None else timeout)
        if once:
            snap = await poller.poll_once()
            if as_json:
                print(snapshot_line(snap, values=values), file=stream, flush=True)
            else:
                from rich.console import Console

                # Not to a terminal: no width to fit, so nothing is cut ("Probl…").
                tty = stream.isatty()
                console = Console(file=stream, width=None if tty else 500)
                console.print(render(snap, width=console.width if tty else None))
            if any(isinstance(s.stopped_by, AuthenticationError) for s in snap):
                return EXIT_AUTH
            return 0 if all(s.state is State.OK for s in snap) else 1
        if as_json:
            async with poller:
                async for snap in poller:
                    print(snapshot_line(snap, values=values), file=stream, flush=True)
            return 0
        from rich.console import Console
        from rich.live import Live

        console = Console(file=stream)
        with _routed_logs([s.password for s in config.servers], console, logging.ERROR), \
                Live(_waiting(len(config.servers), every), console=console, auto_refresh=False,
                     transient=False) as live:
            async with poller:
                async for snap in poller:
                    live.update(render(snap, width=console.width), refresh=True)
    return 0


def run_watch(args: argparse.Namespace) -> int:
    """``vicidial stats watch``: returns 0, 1 when ``--once`` found a server failing, 2 on bad
    configuration, 4 when ``--once`` met a refused login (stop: ten failures lock the account)."""
    try:
        config = _servers(args)
        every = args.every if args.every is not None else (config.every or DEFAULT_EVERY)
        if not every > 0:
            raise ConfigurationError("--every must be > 0")
        if args.values and not args.json:
            raise ConfigurationError("--values only applies with --json")
        # Streamed JSON keeps warnings on stderr; a one-shot report shows every error itself.
        routed = (_routed_logs([s.password for s in config.servers], None,
                               logging.CRITICAL if args.once else logging.WARNING)
                  if args.json or args.once else contextlib.nullcontext())
        backend = chosen_backend(args)
        say_backend(args, backend, "stats watch")
        with routed:
            verify = tls_verify(args, "stats watch")
            return asyncio.run(watch(config, every=every, as_json=args.json, once=args.once,
                                     values=args.values, backend=backend, timeout=args.timeout,
                                     verify=None if verify is True else verify,
                                     shared=make_coordination(args)))
    except ConfigurationError as exc:
        print(f"vicidial stats watch: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 0
