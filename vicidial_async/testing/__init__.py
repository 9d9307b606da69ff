"""``vicidial_async.testing``: a stateful fake VICIdial server for tests and benchmarks.

- :class:`FakeVicidial` is an ASGI app emulating both APIs from in-memory state;
  ``fake.client()`` gives a :class:`~vicidial_async.VicidialClient` wired to it without sockets.
- :class:`FakeServerProcess` runs it under uvicorn in a subprocess (``vicidial fake-server``).
- :class:`Faults` (``fake.faults``) injects latency, error answers, HTTP errors, resets and cut
  bodies per function.
"""

from .app import FakeConnectionReset, FakeVicidial
from .faults import Fault, Faults
from .process import FakeServerProcess
from .records import (
    LEAD_COLUMNS,
    Callback,
    Campaign,
    CustomField,
    Did,
    HopperEntry,
    InGroup,
    Lead,
    LeadList,
    LiveAgent,
    LiveCall,
    Phone,
    User,
    UserGroup,
)
from .state import State, VirtualClock

__all__ = [
    "LEAD_COLUMNS",
    "LiveAgent",
    "Callback",
    "Campaign",
    "CustomField",
    "Did",
    "FakeConnectionReset",
    "FakeServerProcess",
    "FakeVicidial",
    "Fault",
    "Faults",
    "HopperEntry",
    "InGroup",
    "Lead",
    "LeadList",
    "LiveCall",
    "Phone",
    "State",
    "User",
    "UserGroup",
    "VirtualClock",
]
