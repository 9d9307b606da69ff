"""calls_in_queue_count (Agent API): calls waiting that could reach the agent."""

from __future__ import annotations

from ..agent_control.common import AG, done, live, named, resolve, tpl
from ..core import Call, agent_denied, handles

_QC_BAD = tpl("calls_in_queue_count", "not valid")


@handles(AG, "calls_in_queue_count")
def calls_in_queue_count(call: Call) -> str:
    """calls_in_queue_count: counts calls (plus queued emails) waiting that could be routed to this agent."""
    out: list[str] = []
    agent = resolve(call, out)
    value = call.get("value")
    if not named(call, agent) or value != "DISPLAY":
        return done([*out, _QC_BAD(value, agent) + "\n"])
    if (d := agent_denied(call)) is not None:
        return done([*out, d])
    s = live(call, agent, out)
    if s is None:
        return done(out)
    groups = {s.campaign_id, *s.closer_campaigns}
    count = sum(1 for c in call.state.live_calls if c.status == "LIVE" and c.campaign_id in groups)
    return done(out) + f"SUCCESS: calls_in_queue_count - {count}"
