"""The ``/_fake/...`` control routes: state, faults, seeding, agent driving, clock.

They let a test in another process (the server running under uvicorn) arm faults and check
state. Every route answers JSON.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from .state import VirtualClock

if TYPE_CHECKING:
    from .app import FakeVicidial

__all__ = ["control"]


def control(fake: FakeVicidial, method: str, path: str, body: bytes) -> tuple[int, Any]:
    """Answer one control request: ``(status, json_payload)``."""
    try:
        data: Any = json.loads(body) if body.strip() else {}
    except ValueError:
        return 400, {"error": "body is not JSON"}
    route = path[len("/_fake/") :].strip("/")
    try:
        if route == "health":
            return 200, {"ok": True}
        if route == "state" and method == "GET":
            return 200, fake.state_json()
        if route == "faults":
            if method == "GET":
                return 200, fake.faults.to_json()
            if method == "DELETE":
                fake.faults.clear()
                return 200, {"ok": True}
            specs = data if isinstance(data, list) else [data]
            fake.faults.set_many(specs)
            return 200, fake.faults.to_json()
        if route == "faults/clear":
            fake.faults.clear(data.get("function") if isinstance(data, dict) else None)
            return 200, {"ok": True}
        if route == "seed" and method == "POST":
            fake.seed(**{k: data[k] for k in ("users", "campaigns", "lists", "leads", "agents") if k in data})
            return 200, {"ok": True, "leads": len(fake.leads)}
        if route == "agent" and method == "POST":
            from .agent_control.sessions import drive

            return 200, drive(fake, data)
        if route == "clock" and method == "POST":
            clock = fake.state.clock
            if not isinstance(clock, VirtualClock):
                return 409, {"error": "the server runs on the real clock"}
            if "advance" in data:
                clock.advance(float(data["advance"]))
            if "set" in data:
                clock.now = float(data["set"])
            return 200, {"now": clock.now}
    except (KeyError, TypeError, ValueError) as exc:
        return 400, {"error": f"{type(exc).__name__}: {exc}"}
    return 404, {"error": f"no route {method} {path}"}
