"""did_log_export."""

from __future__ import annotations

from ..core import Call, Reply, handles
from ..shaped import shaped_answer


@handles("non_agent", "did_log_export")
def did_log_export(call: Call) -> str | Reply:
    """did_log_export: a shaped answer only (not emulated yet)."""
    return shaped_answer(call)
