"""The copies of the API reference and recorded answers in tests/samples are the shared ones.

Every test reads the copies, so a checkout without ../shared still runs its tests; this check is
what keeps the copies (and through them the package's FunctionSpec declarations) from drifting when
../shared changes. Where ../shared is absent it is skipped, loudly.
"""

from __future__ import annotations

from pathlib import Path

import pytest

SAMPLES = Path(__file__).resolve().parent / "samples"
SHARED = Path(__file__).resolve().parents[2] / "shared"

COPIES = [
    ("api-reference/non_agent.json", "api-reference/non_agent.json"),
    ("api-reference/agent.json", "api-reference/agent.json"),
    ("api-reference/README.md", "api-reference/README.md"),
    ("real-answers/answers.jsonl", "real_answers.jsonl"),
    ("real-webhooks/requests.jsonl", "real-webhooks/requests.jsonl"),
    ("real-webhooks/README.md", "real-webhooks/README.md"),
]


@pytest.mark.parametrize(("shared", "copy"), COPIES)
def test_copy_matches_the_shared_file(shared: str, copy: str) -> None:
    source = SHARED / shared
    if not source.exists():
        pytest.skip(f"{source} is not on this machine; the copy in tests/samples is used as is")
    assert (SAMPLES / copy).read_bytes() == source.read_bytes(), (
        f"tests/samples/{copy} differs from ../shared/{shared}: copy it over, then run "
        "tools/gen_specs.py and the tests")
