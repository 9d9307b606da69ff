"""Parsing of wire values into Python values for result models (never raises on odd input)."""

from __future__ import annotations

import datetime as dt

__all__ = ["opt_int", "opt_float", "opt_datetime", "opt_date", "seconds", "percent"]


def opt_int(text: str | None) -> int | None:
    """``"42"`` -> 42; empty or non-numeric -> None."""
    if text is None:
        return None
    text = text.strip()
    try:
        return int(text)
    except ValueError:
        return None


def opt_float(text: str | None) -> float | None:
    """``"-5.00"`` -> -5.0; empty or non-numeric -> None."""
    if text is None:
        return None
    try:
        return float(text.strip())
    except ValueError:
        return None


def opt_datetime(text: str | None) -> dt.datetime | None:
    """``"2026-11-28 15:28:29"`` -> datetime; empty, zero dates or odd input -> None."""
    if not text or text.startswith("0000"):
        return None
    try:
        return dt.datetime.strptime(text.strip().rstrip("."), "%Y-%m-%d %H:%M:%S")
    except ValueError:
        return None


def opt_date(text: str | None) -> dt.date | None:
    """``"2026-11-28"`` -> date; empty, zero dates or odd input -> None."""
    if not text or text.startswith("0000"):
        return None
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        return None


def seconds(text: str | None) -> int | None:
    """``"0:15:38"`` / ``"15:38"`` / ``"938"`` -> 938 seconds; odd input -> None."""
    if text is None or not text.strip():
        return None
    parts = text.strip().split(":")
    try:
        total = 0
        for part in parts:
            total = total * 60 + int(part)
    except ValueError:
        return None
    return total


def percent(text: str | None) -> float | None:
    """``"55.4%"`` -> 55.4; odd input -> None."""
    if text is None:
        return None
    return opt_float(text.strip().rstrip("%"))
