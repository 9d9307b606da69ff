"""``vicidial fake-server``: run the fake VICIdial (both APIs) under uvicorn.

Prints ``FAKE-VICIDIAL LISTENING http://host:port`` once its socket listens (``--port 0`` picks
a free port), then the logins it knows (``6666``/``1234`` and any ``--seed-user``), then serves
until interrupted. State: ``GET /_fake/state``; faults:
``POST /_fake/faults`` (JSON) or ``--faults-json``.
"""

from __future__ import annotations

import argparse
import errno
import json
import socket
import sys
from typing import Any

from ..errors import ConfigurationError
from ._common import non_negative_int

__all__ = ["register", "run"]


def register(subparsers: Any) -> None:
    """Add the ``fake-server`` subcommand."""
    p: argparse.ArgumentParser = subparsers.add_parser(
        "fake-server",
        help="run a fake VICIdial server (both APIs) for tests and benchmarks",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1)")
    p.add_argument("--port", type=_port, default=8080, help="port (0 = any free port; default 8080)")
    p.add_argument("--seed-leads", type=non_negative_int, default=0, metavar="N",
                   help="add N generated leads to list 101")
    p.add_argument(
        "--seed-agent",
        action="append",
        default=[],
        metavar="USER",
        help="log in an agent USER (repeatable; the user is created if missing)",
    )
    p.add_argument(
        "--seed-user",
        action="append",
        default=[],
        metavar="USER:PASS:LEVEL",
        help="add an API user (repeatable), e.g. apiuser:secret1:8",
    )
    p.add_argument(
        "--seed-json",
        default=None,
        metavar="JSON",
        help='records to seed: {"users": [...], "leads": [...], "agents": [...], ...}',
    )
    p.add_argument(
        "--faults-json",
        default=None,
        metavar="JSON",
        help='faults to arm: a list of {"function": ..., "latency": ..., ...}',
    )
    p.add_argument(
        "--virtual-clock",
        type=float,
        default=None,
        metavar="EPOCH",
        help="run on a settable clock starting at EPOCH (POST /_fake/clock moves it)",
    )
    p.add_argument("--log-level", default="warning", help="uvicorn log level (default warning)")
    p.set_defaults(func=run)


def build_app(args: argparse.Namespace) -> Any:
    """The FakeVicidial the command line describes."""
    from ..testing import FakeVicidial, VirtualClock

    clock = VirtualClock(args.virtual_clock) if args.virtual_clock is not None else None
    users = []
    for spec in args.seed_user:
        name, _, rest = spec.partition(":")
        password, _, level = rest.partition(":")
        users.append({"user": name, "password": password or "pass", "user_level": int(level or 8)})
    fake = FakeVicidial(
        clock=clock, seed_users=users, seed_leads=args.seed_leads, seed_agents=args.seed_agent
    )
    if args.seed_json:
        data = _json_option("--seed-json", args.seed_json)
        if not isinstance(data, dict):
            raise ConfigurationError("--seed-json: expected a JSON object such as {\"users\": [...]}")
        try:
            fake.seed(**{k: data[k] for k in ("users", "campaigns", "lists", "leads", "agents")
                         if k in data})
        except (TypeError, ValueError, KeyError) as exc:
            raise ConfigurationError(f"--seed-json: {exc}") from None
    if args.faults_json:
        specs = _json_option("--faults-json", args.faults_json)
        try:
            fake.faults.set_many(specs if isinstance(specs, list) else [specs])
        except (TypeError, ValueError, KeyError, AttributeError) as exc:
            raise ConfigurationError(f"--faults-json: not a valid fault: {exc}") from None
    return fake


def _json_option(flag: str, text: str) -> Any:
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise ConfigurationError(f"{flag}: not valid JSON: {exc.msg} at character {exc.pos}") from None


def _port(text: str) -> int:
    port = non_negative_int(text)
    if port > 65535:
        raise argparse.ArgumentTypeError(f"must be 0-65535, got {text}")
    return port


def _logins(args: argparse.Namespace) -> list[str]:
    """The lines naming the logins a client can use (a fake server's seeded passwords are public)."""
    lines = ["  login: 6666 / 1234 (API user, level 9, every function)"]
    for spec in args.seed_user:
        name, _, rest = spec.partition(":")
        password, _, level = rest.partition(":")
        lines.append(f"  login: {name} / {password or 'pass'} (API user, level {level or 8})")
    return lines


def run(args: argparse.Namespace) -> int:
    """Serve until interrupted."""
    try:
        import uvicorn
    except ImportError:  # pragma: no cover - uvicorn is a test extra
        print("fake-server needs uvicorn: pip install uvicorn", file=sys.stderr)
        return 2
    app = build_app(args)
    family = socket.AF_INET6 if ":" in args.host else socket.AF_INET
    # proto must be IPPROTO_TCP: asyncio only sets TCP_NODELAY on such sockets, and without it every
    # answer (headers and body are two writes) waits ~40 ms for a delayed ACK.
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    try:
        sock.bind((args.host, args.port))
    except OSError as exc:
        sock.close()
        why = "already in use" if exc.errno == errno.EADDRINUSE else (exc.strerror or str(exc))
        raise ConfigurationError(f"cannot listen on {args.host}:{args.port}: {why} "
                                 "(choose another --port, or 0 for any free port)") from None
    sock.listen(2048)
    host, port = sock.getsockname()[:2]
    shown = f"[{host}]" if family == socket.AF_INET6 else host
    config = uvicorn.Config(
        app,
        log_level=args.log_level,
        access_log=False,
        lifespan="off",
        proxy_headers=False,
        server_header=False,
        date_header=False,
        timeout_keep_alive=30,
        backlog=2048,
    )
    server = uvicorn.Server(config)
    url = f"http://{shown}:{port}"
    print(f"FAKE-VICIDIAL LISTENING {url}", flush=True)
    print("\n".join([f"  Non-Agent API: {url}/vicidial/non_agent_api.php",
                     f"  Agent API:     {url}/agc/api.php", *_logins(args),
                     "  (Ctrl-C stops it)"]), flush=True)
    server.run(sockets=[sock])
    return 0
