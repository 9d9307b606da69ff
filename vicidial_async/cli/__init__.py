"""The ``vicidial`` command: ``demo``, ``fake-server``, ``leads load``, ``stats watch``, ``webhooks``.

Each subcommand lives in its own module with a ``register(subparsers)`` function that adds its
parser and sets ``func`` (a callable taking the parsed arguments and returning an exit status).
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

from ._common import add_verbose_option, enable_verbose_log, run_command

__all__ = ["main"]

_SUBCOMMAND_MODULES = ("demo", "fake_server", "leads", "shared", "stats", "webhooks")
# Subcommands that draw with rich (the `cli` extra); the library and `fake-server` run without it.
_NEEDS_RICH = frozenset({"demo", "leads", "stats"})
RICH_MISSING = (
    "vicidial {command}: needs the 'cli' extra (rich), which is not installed.\n"
    "Install it with: pip install 'vicidial-async[cli]'"
)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="vicidial", description="Async VICIdial API client tools")
    parser.add_argument("--version", action="version", version=f"%(prog)s {_version()}")
    sub = parser.add_subparsers(dest="command", required=True)
    for name in _SUBCOMMAND_MODULES:
        try:
            module = importlib.import_module(f"vicidial_async.cli.{name}")
        except ModuleNotFoundError as exc:
            if exc.name == f"vicidial_async.cli.{name}":
                continue  # not built yet
            raise
        module.register(sub)
    for leaf in _leaf_parsers(parser):
        add_verbose_option(leaf)
    _plain_help(parser)
    return parser


def _plain_help(parser: argparse.ArgumentParser) -> None:
    """Help texts come partly from docstrings: drop their reST double backticks."""
    parser.description = parser.description and parser.description.replace("``", "")
    parser.epilog = parser.epilog and parser.epilog.replace("``", "")
    for action in parser._actions:
        if action.help:
            action.help = action.help.replace("``", "")
        if isinstance(action, argparse._SubParsersAction):
            for choice in action._choices_actions:
                choice.help = choice.help and choice.help.replace("``", "")
            for child in dict.fromkeys(action.choices.values()):
                _plain_help(child)


def _leaf_parsers(parser: argparse.ArgumentParser) -> list[argparse.ArgumentParser]:
    """The parsers of the runnable commands (``leads load``, ``stats watch`` ...)."""
    subs = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    if not subs:
        return [parser]
    found: list[argparse.ArgumentParser] = []
    for action in subs:
        for child in dict.fromkeys(action.choices.values()):  # aliases map to the same parser
            found += _leaf_parsers(child)
    return found


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("vicidial-async")
    except PackageNotFoundError:  # running from a source tree that was never installed
        return "unknown"


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``vicidial`` console script (exit statuses: see ``cli/_common.py``)."""
    args = build_parser().parse_args(argv)
    if args.command in _NEEDS_RICH and not _has_rich():
        print(RICH_MISSING.format(command=args.command), file=sys.stderr)
        return 2
    if getattr(args, "verbose", False):
        enable_verbose_log()
    name = " ".join(p for p in (args.command, getattr(args, f"{args.command}_command", None)) if p)
    return run_command(name, args.func, args)


def _has_rich() -> bool:
    try:
        import rich  # noqa: F401
    except ModuleNotFoundError:
        return False
    return True


if __name__ == "__main__":
    sys.exit(main())
