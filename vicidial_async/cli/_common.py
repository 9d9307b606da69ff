"""What every ``vicidial`` command shares: option helpers, exit statuses, and failure handling.

Exit statuses (the same for every command)::

    0  success
    1  some rows were rejected / some server is failing (command specific)
    2  bad usage or configuration (one line on stderr)
    3  a run stopped before the end (``leads load``; resume it)
    4  authentication failure: wrong password, locked account or blocked IP. Do NOT retry blindly:
       ten failed logins lock the VICIdial account for 15 minutes, for everyone.
    130 interrupted (Ctrl-C); 141 the reader of stdout went away (``| head``)

Commands add their options with the helpers here (``add_connection_options`` for anything that
talks to a server), so a new option for every such command (``--backend``, ``--redis`` ...) has one
place to go.
"""

from __future__ import annotations

import argparse
import logging
import os
import ssl
import sys
from collections.abc import Callable
from typing import Any

from .. import errors

__all__ = [
    "EXIT_AUTH", "EXIT_BROKEN_PIPE", "EXIT_FAILED", "EXIT_INTERRUPTED", "EXIT_USAGE",
    "add_connection_options", "add_verbose_option", "enable_verbose_log", "non_negative_float",
    "non_negative_int", "positive_float", "positive_int", "run_command", "tls_verify",
]

EXIT_FAILED, EXIT_USAGE, EXIT_AUTH = 1, 2, 4
EXIT_INTERRUPTED, EXIT_BROKEN_PIPE = 130, 141

logger = logging.getLogger("vicidial_async")


# -- number checks (argparse types: a clear message instead of a traceback later) ---------------


def _number(kind: Callable[[str], Any], text: str, ok: Callable[[Any], bool], want: str) -> Any:
    try:
        value = kind(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number") from None
    if value != value or value in (float("inf"), float("-inf")) or not ok(value):  # NaN, inf
        raise argparse.ArgumentTypeError(f"must be {want}, got {text}")
    return value


def positive_float(text: str) -> float:
    """An argparse type: a number > 0."""
    return float(_number(float, text, lambda v: v > 0, "> 0"))


def non_negative_float(text: str) -> float:
    """An argparse type: a number >= 0."""
    return float(_number(float, text, lambda v: v >= 0, ">= 0"))


def positive_int(text: str) -> int:
    """An argparse type: a whole number >= 1."""
    return int(_number(int, text, lambda v: v >= 1, "a whole number >= 1"))


def non_negative_int(text: str) -> int:
    """An argparse type: a whole number >= 0."""
    return int(_number(int, text, lambda v: v >= 0, "a whole number >= 0"))


# -- options ---------------------------------------------------------------------------------------


def add_verbose_option(parser: argparse.ArgumentParser) -> None:
    """``-v/--verbose`` (the library's debug log on stderr), unless the command has it already."""
    if "--verbose" not in parser._option_string_actions:
        parser.add_argument("-v", "--verbose", action="store_true",
                            help="log each call on stderr (function, host, attempt, status, time; "
                                 "never a password or a body)")


def add_connection_options(group: Any, *, timeout: bool = True) -> None:
    """``--timeout``, ``--ca-bundle`` and ``--insecure`` for a command that talks to a server."""
    if timeout:
        group.add_argument("--timeout", type=positive_float, default=None, metavar="SECONDS",
                           help="seconds to wait for each answer (read timeout)")
    group.add_argument("--ca-bundle", metavar="PATH",
                       help="PEM file of the CA (or self-signed certificate) to trust for https")
    group.add_argument("--insecure", action="store_true",
                       help="do not verify the server's TLS certificate (prints a warning: anyone "
                            "on the path can read the password)")


def tls_verify(args: argparse.Namespace, command: str) -> bool | ssl.SSLContext:
    """What ``verify=`` the client gets from ``--ca-bundle`` / ``--insecure``."""
    bundle = getattr(args, "ca_bundle", None)
    insecure = getattr(args, "insecure", False)
    if bundle and insecure:
        raise errors.ConfigurationError("give --ca-bundle or --insecure, not both")
    if insecure:
        print(f"vicidial {command}: WARNING: --insecure: the server's TLS certificate is NOT "
              "verified; anyone on the network path can read the password", file=sys.stderr)
        return False
    if bundle:
        if not os.path.isfile(bundle):
            raise errors.ConfigurationError(f"--ca-bundle: no such file: {bundle}")
        try:
            return ssl.create_default_context(cafile=bundle)
        except (ssl.SSLError, OSError) as exc:
            raise errors.ConfigurationError(f"--ca-bundle: cannot load {bundle}: "
                                            f"{exc.strerror or exc}") from None
    return True


def enable_verbose_log() -> None:
    """Send the library's debug log (metadata only: function, host, attempt, status, elapsed) to
    stderr. Any password a command knows is scrubbed by its own filter on top."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(asctime)s %(name)s %(levelname)s %(message)s"))
    logger.addHandler(handler)
    logger.setLevel(logging.DEBUG)


# -- running a command --------------------------------------------------------------------------


def _one_line(exc: BaseException) -> str:
    text = " ".join(str(exc).split())
    return text or type(exc).__name__


def run_command(command: str, func: Callable[[argparse.Namespace], int | None],
                args: argparse.Namespace) -> int:
    """Run a command's function; ordinary failures become one line on stderr and an exit status,
    never a traceback."""
    try:
        return int(func(args) or 0)
    except KeyboardInterrupt:
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        _quiet_stdout()
        return EXIT_BROKEN_PIPE
    except errors.AuthenticationError as exc:
        print(f"vicidial {command}: {type(exc).__name__}: {_one_line(exc)} (not retried: ten failed "
              "logins lock the account)", file=sys.stderr)
        return EXIT_AUTH
    except (errors.ConfigurationError, errors.InvalidParameterError) as exc:
        print(f"vicidial {command}: {_one_line(exc)}", file=sys.stderr)
        return EXIT_USAGE
    except errors.VicidialError as exc:
        print(f"vicidial {command}: {type(exc).__name__}: {_one_line(exc)}", file=sys.stderr)
        return EXIT_FAILED
    except OSError as exc:
        # A port in use, a file that cannot be written, a full disk ...
        where = f" {exc.filename}" if getattr(exc, "filename", None) else ""
        print(f"vicidial {command}: {exc.strerror or _one_line(exc)}{where}", file=sys.stderr)
        return EXIT_FAILED


def _quiet_stdout() -> None:
    # The reader is gone: point stdout at /dev/null so the interpreter's final flush does not
    # print "Exception ignored ... BrokenPipeError" on the way out.
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError):
        pass
