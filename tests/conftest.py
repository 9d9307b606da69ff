"""Fixtures shared by every test folder: where the API reference and the recorded answers live."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

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
