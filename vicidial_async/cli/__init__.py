"""The ``vicidial`` command: ``demo``, ``fake-server``, ``leads load``, ``stats watch``, ``webhooks``.

Each subcommand lives in its own module with a ``register(subparsers)`` function that adds its
parser and sets ``func`` (a callable taking the parsed arguments and returning an exit status).
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

__all__ = ["main"]

_SUBCOMMAND_MODULES = ("demo", "fake_server", "leads", "stats", "webhooks")
# Subcommands that draw with rich (the `cli` extra); the library and `fake-server` run without it.
_NEEDS_RICH = frozenset({"demo", "leads", "stats"})
RICH_MISSING = (
    "vicidial {command}: needs the 'cli' extra (rich), which is not installed.\n"
    "Install it with: pip install 'vicidial-async[cli]'"
)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="vicidial", description="Async VICIdial API client tools")
    sub = parser.add_subparsers(dest="command", required=True)
    for name in _SUBCOMMAND_MODULES:
        try:
            module = importlib.import_module(f"vicidial_async.cli.{name}")
        except ModuleNotFoundError as exc:
            if exc.name == f"vicidial_async.cli.{name}":
                continue  # not built yet
            raise
        module.register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``vicidial`` console script."""
    args = build_parser().parse_args(argv)
    if args.command in _NEEDS_RICH and not _has_rich():
        print(RICH_MISSING.format(command=args.command), file=sys.stderr)
        return 2
    status = args.func(args)
    return int(status or 0)


def _has_rich() -> bool:
    try:
        import rich  # noqa: F401
    except ModuleNotFoundError:
        return False
    return True


if __name__ == "__main__":
    sys.exit(main())
