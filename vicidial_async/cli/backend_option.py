"""``--backend`` and ``-v`` for the commands that talk to a server (``leads load``, ``stats watch``)."""

from __future__ import annotations

import argparse
import sys
from typing import Any, Literal

from ..transport.extras import aiohttp_available

__all__ = ["add_backend_options", "chosen_backend", "say_backend"]


def add_backend_options(group: Any) -> None:
    """Add ``--backend auto|httpx|aiohttp`` and ``-v/--verbose`` to a parser or argument group."""
    group.add_argument("--backend", choices=("auto", "httpx", "aiohttp"), default="auto",
                       help="HTTP library: aiohttp when the [fast] extra is installed (auto), "
                            "else httpx")
    group.add_argument("-v", "--verbose", action="store_true",
                       help="say which backend carries the calls (on stderr)")


def chosen_backend(args: argparse.Namespace) -> Literal["httpx", "aiohttp"]:
    """The backend to use: ``auto`` is aiohttp when it is installed (>= 3.10), else httpx."""
    choice = getattr(args, "backend", "auto") or "auto"
    if choice == "auto":
        return "aiohttp" if aiohttp_available() else "httpx"
    return "aiohttp" if choice == "aiohttp" else "httpx"


def say_backend(args: argparse.Namespace, backend: str, command: str) -> None:
    """With ``-v``: one line on stderr naming the backend (and why, for ``auto``)."""
    if getattr(args, "verbose", False):
        why = ""
        if getattr(args, "backend", "auto") == "auto":
            why = " (auto: aiohttp is installed)" if backend == "aiohttp" else \
                  " (auto: aiohttp not installed; pip install 'vicidial-async[fast]')"
        print(f"vicidial {command}: backend {backend}{why}", file=sys.stderr)
