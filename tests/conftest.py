"""Fixtures shared by every test folder: where the API reference and the recorded answers live."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from contextvars import ContextVar, Token
from pathlib import Path
from typing import Any, TypeVar

import pytest
from hypothesis import HealthCheck, settings

# A shared, loaded machine generates examples slowly: no deadline per example, and no "too slow"
# health check, so the property tests check the same examples however fast the machine is.
settings.register_profile("any-speed", deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("any-speed")

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = Path(__file__).resolve().parent / "samples"
# Tests read the copies kept in tests/samples, so a checkout runs its tests on its own;
# tests/test_reference_copies.py fails when a copy differs from ../shared (where that exists).
SHARED = ROOT.parent / "shared"
REFERENCE_DIR = SAMPLES / "api-reference"
REAL_ANSWERS = SAMPLES / "real_answers.jsonl"

T = TypeVar("T")


def load_reference() -> dict[str, dict[str, Any]]:
    """``{"non_agent": {...}, "agent": {...}}`` as in tests/samples/api-reference."""
    return {name: json.loads((REFERENCE_DIR / f"{name}.json").read_text()) for name in ("non_agent", "agent")}


def load_real_answers() -> list[dict[str, Any]]:
    """Recorded answers: tests/samples/real_answers.jsonl (a copy of ../shared/real-answers)."""
    return [json.loads(line) for line in REAL_ANSWERS.read_text().splitlines() if line.strip()]


@pytest.fixture(scope="session")
def reference() -> dict[str, dict[str, Any]]:
    return load_reference()


@pytest.fixture(scope="session")
def real_answers() -> list[dict[str, Any]]:
    return load_real_answers()


@pytest.fixture
def in_context() -> Iterator[Callable[[ContextVar[Any], T], T]]:
    """``in_context(var, value)``: ``var`` holds ``value`` in this test's context until it ends
    (as the poller sets its per-job caches around each poll); returns ``value``."""
    tokens: list[tuple[ContextVar[Any], Token[Any]]] = []

    def set_(var: ContextVar[Any], value: T) -> T:
        tokens.append((var, var.set(value)))
        return value

    yield set_
    for var, token in reversed(tokens):
        var.reset(token)


@pytest.fixture
def prepares(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The name of every operation prepared from now on."""
    from vicidial_async.operations import Operation

    seen: list[str] = []
    original = Operation.prepare

    def counting(self: Operation[Any, Any], *args: Any, **kwargs: Any) -> Any:
        seen.append(self.name)
        return original(self, *args, **kwargs)

    monkeypatch.setattr(Operation, "prepare", counting)
    return seen
