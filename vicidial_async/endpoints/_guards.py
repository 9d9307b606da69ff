"""Checks the reference's limits cannot express, shared by the endpoint groups.

The server keeps only an allow-list of characters in most fields and drops the rest without a word,
turns ``+`` into a space in many text fields, and cannot honour ``--BLANK--`` everywhere. Each
helper here raises :class:`~vicidial_async.InvalidParameterError` (``sent=False``, naming the
parameter) before anything is sent, so a value is never stored differently from what was asked.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from typing import Literal

from ..errors import InvalidParameterError
from ..protocol.params import BLANK

__all__ = [
    "BLANK",
    "ID_CHARS",
    "Stage",
    "check_chars",
    "check_items",
    "check_pattern",
    "flag01",
    "refuse",
    "time_text",
]

Stage = Literal["pipe", "csv", "tab"]
"""Delimiter of a table answer: ``|``, ``,`` or TAB."""

ID_CHARS = r"A-Za-z0-9_\-"
"""What the server keeps of an id (user, campaign, group ...)."""

_TIME = re.compile(r"([01]\d|2[0-3]):[0-5]\d:[0-5]\d")


def refuse(function: str, name: str, why: str) -> InvalidParameterError:
    """The error for a value refused before sending."""
    return InvalidParameterError(function, why, parameter=name, sent=False)


def check_chars(function: str, form: Mapping[str, str], name: str, allowed: str, what: str, *,
                blank: bool = False) -> None:
    """Refuse ``form[name]`` if it holds a character outside the regex class ``allowed``.

    ``what`` says in words what the server keeps; ``blank`` lets ``--BLANK--`` through where the
    server honours it.
    """
    text = form.get(name)
    if not text or (blank and text == BLANK):
        return
    bad = sorted({c for c in text if not re.fullmatch(f"[{allowed}]", c)})
    if bad:
        raise refuse(function, name, f"the server keeps only {what} and would silently drop "
                                     f"{''.join(bad)!r}")


def check_items(function: str, form: Mapping[str, str], name: str, sep: str, pattern: str,
                what: str) -> None:
    """Refuse a joined list whose items do not all match ``pattern`` (or that has empty items)."""
    text = form.get(name)
    if not text:
        return
    for item in text.split(sep):
        if not re.fullmatch(pattern, item):
            raise refuse(function, name, f"list item {item!r} is not {what}")


def check_pattern(function: str, form: Mapping[str, str], name: str, pattern: str,
                  what: str) -> None:
    """Refuse ``form[name]`` unless it matches ``pattern`` as a whole."""
    text = form.get(name)
    if text and not re.fullmatch(pattern, text):
        raise refuse(function, name, f"must be {what}, got {text!r}")


def time_text(function: str, name: str, value: dt.time | str | None) -> str | None:
    """``HH:MM:SS`` text of a time given as :class:`datetime.time` or text (``None`` stays)."""
    if value is None:
        return None
    text = value.strftime("%H:%M:%S") if isinstance(value, dt.time) else value
    if not _TIME.fullmatch(text):
        raise refuse(function, name, f"must be a time HH:MM:SS, got {text!r}")
    return text


def flag01(value: bool | Literal["0", "1"] | None) -> str | None:
    """A ``0``/``1`` switch from a bool (``None`` stays "not sent")."""
    if value is None or isinstance(value, str):
        return value
    return "1" if value else "0"
