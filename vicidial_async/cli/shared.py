"""``--redis`` for the commands that talk to a server, and ``vicidial shared reset-auth``.

With ``--redis URL`` (or ``VICIDIAL_REDIS_URL``) every process that names the same Redis shares
one rate budget, one optional in-flight cap and one authentication breaker per VICIdial server
(see ``transport/redis_coordination.py``). The Redis URL may hold a password: prefer the
environment variable, since a command line is visible to other users of the machine.
"""

from __future__ import annotations

import argparse
import os
import sys
from typing import TYPE_CHECKING, Any

import anyio

from ..errors import ConfigurationError, CoordinationUnavailableError
from ._common import EXIT_FAILED, EXIT_USAGE, positive_int

if TYPE_CHECKING:
    from ..transport.redis_coordination import RedisCoordination

__all__ = ["add_redis_options", "make_coordination", "register", "run_reset_auth"]

REDIS_ENV = "VICIDIAL_REDIS_URL"


def _fraction(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number") from None
    if not 0 < value <= 1:
        raise argparse.ArgumentTypeError(f"must be in (0, 1], got {text}")
    return value


def add_redis_options(parser: Any) -> None:
    """``--redis``, ``--redis-fallback`` and ``--redis-max-in-flight`` (their own group)."""
    g = parser.add_argument_group(
        "many processes (one budget per server through Redis; needs the redis extra)")
    g.add_argument("--redis", metavar="URL",
                   help=f"share the rate, the in-flight cap and the login breaker with every process "
                        f"naming this Redis (or {REDIS_ENV}; prefer it if the URL holds a password)")
    g.add_argument("--redis-fallback", type=_fraction, metavar="FRACTION",
                   help="if Redis is unreachable, pace this process alone at FRACTION of the rate "
                        "(e.g. 0.25 for four processes); default: fail closed (send nothing)")
    g.add_argument("--redis-max-in-flight", type=positive_int, metavar="N",
                   help="at most N calls in flight to the server across every process")


def make_coordination(args: argparse.Namespace) -> RedisCoordination | None:
    """The ``RedisCoordination`` the options ask for, or ``None`` without ``--redis``."""
    url = getattr(args, "redis", None) or os.environ.get(REDIS_ENV)
    fallback = getattr(args, "redis_fallback", None)
    cap = getattr(args, "redis_max_in_flight", None)
    if not url:
        if fallback is not None or cap is not None:
            raise ConfigurationError(f"--redis-fallback and --redis-max-in-flight need --redis URL "
                                     f"(or {REDIS_ENV})")
        return None
    try:
        from ..transport.redis_coordination import FAIL_CLOSED, Fallback, RedisCoordination
    except ModuleNotFoundError as exc:
        if exc.name != "redis":
            raise
        raise ConfigurationError("--redis needs the redis package: pip install "
                                 "'vicidial-async[redis]'") from None
    return RedisCoordination(url, max_in_flight=cap,
                             on_unavailable=Fallback(fallback) if fallback is not None else FAIL_CLOSED)


def register(subparsers: Any) -> None:
    """Add ``shared reset-auth`` to the ``vicidial`` command."""
    shared = subparsers.add_parser("shared", help="the shared (Redis) budget of many processes")
    sub = shared.add_subparsers(dest="shared_command", required=True)
    r = sub.add_parser(
        "reset-auth", help="close a server's shared authentication breaker",
        description="After an authentication failure every process sharing the Redis stops calling "
                    "the server until a lockout's 15 minutes are over or this resets it. Fix the "
                    "password (or wait for the lock) first. Exit status: 0 reset, 1 it was not "
                    "open, 2 bad usage or Redis unreachable.")
    r.add_argument("--url", help="server root, e.g. https://dialer.example.com (or VICIDIAL_URL)")
    r.add_argument("--user", help="API user (or VICIDIAL_USER)")
    r.add_argument("--redis", metavar="URL", help=f"the Redis (or {REDIS_ENV})")
    r.set_defaults(func=run_reset_auth)


async def _reset(url: str, user: str, args: argparse.Namespace) -> int:
    import httpx

    parsed = httpx.URL(url)
    if parsed.scheme not in ("http", "https") or not parsed.host:
        raise ConfigurationError(f"--url must be http(s)://host, got {url!r}")
    port = parsed.port or (443 if parsed.scheme == "https" else 80)
    shared = make_coordination(args)
    if shared is None:
        raise ConfigurationError(f"give --redis URL (or set {REDIS_ENV})")
    try:
        await shared.ping()
        error = await shared.auth_error(parsed.host, port, user)
        await shared.reset_auth(parsed.host, port, user)
    finally:
        await shared.aclose()
    if error is None:
        print(f"the shared breaker of {user}@{parsed.host}:{port} was not open")
        return EXIT_FAILED
    print(f"reset the shared breaker of {user}@{parsed.host}:{port} (it held {type(error).__name__}: "
          f"{error.reason})")
    return 0


def run_reset_auth(args: argparse.Namespace) -> int:
    """``vicidial shared reset-auth``."""
    url = args.url or os.environ.get("VICIDIAL_URL")
    user = args.user or os.environ.get("VICIDIAL_USER")
    try:
        if not url or not user:
            raise ConfigurationError("give --url and --user (or set VICIDIAL_URL and VICIDIAL_USER)")
        return anyio.run(_reset, url, user, args)
    except (ConfigurationError, CoordinationUnavailableError) as exc:
        print(f"vicidial shared reset-auth: {exc}", file=sys.stderr)
        return EXIT_USAGE
