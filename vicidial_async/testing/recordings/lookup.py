"""recording_lookup."""

from __future__ import annotations

from ..core import Call, Reply, handles
from ..shaped import shaped_answer


@handles("non_agent", "recording_lookup")
def recording_lookup(call: Call) -> str | Reply:
    """recording_lookup: a shaped answer only (not emulated yet)."""
    return shaped_answer(call)
