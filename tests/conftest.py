"""Fixtures shared by every test folder: where the API reference and the recorded answers live."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
REFERENCE_DIR = SHARED / "api-reference"
REAL_ANSWERS = SHARED / "real-answers" / "answers.jsonl"
SAMPLES = Path(__file__).resolve().parent / "samples"


def load_reference() -> dict[str, dict[str, Any]]:
    """``{"non_agent": {...}, "agent": {...}}`` as in ../shared/api-reference."""
    return {name: json.loads((REFERENCE_DIR / f"{name}.json").read_text()) for name in ("non_agent", "agent")}


def load_real_answers() -> list[dict[str, Any]]:
    """Recorded answers: tests/samples/real_answers.jsonl (a copy kept with the tests)."""
    path = SAMPLES / "real_answers.jsonl"
    return [json.loads(line) for line in path.read_text().splitlines() if line.strip()]


@pytest.fixture(scope="session")
def reference() -> dict[str, dict[str, Any]]:
    return load_reference()


@pytest.fixture(scope="session")
def real_answers() -> list[dict[str, Any]]:
    return load_real_answers()
