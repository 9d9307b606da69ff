"""blind_monitor."""

from __future__ import annotations

from ..core import Call, Reply, handles
from ..shaped import shaped_answer


@handles("non_agent", "blind_monitor")
def blind_monitor(call: Call) -> str | Reply:
    """blind_monitor: a shaped answer only (not emulated yet)."""
    return shaped_answer(call)
