"""calls_in_queue_count (Agent API): calls waiting that could reach the agent."""

from __future__ import annotations

from ..agent_control.common import AG, done, named, resolve, session, tpl
from ..core import Call, handles

_QC_BAD = tpl("calls_in_queue_count", "not valid")
_QC_OK = tpl("calls_in_queue_count", "SUCCESS")


@handles(AG, "calls_in_queue_count")
def calls_in_queue_count(call: Call) -> str:
    """calls_in_queue_count: counts calls (plus queued emails) waiting that could be routed to this agent."""
    out: list[str] = []
    agent = resolve(call, out)
    value = call.get("value")
    s = session(
        call, out, agent, valid=named(call, agent) and value == "DISPLAY", invalid=_QC_BAD(value, agent)
    )
    if s is None:
        return done(out)
    groups = {s.campaign_id, *s.closer_campaigns}
    count = sum(1 for c in call.state.live_calls if c.status == "LIVE" and c.campaign_id in groups)
    return done(out) + _QC_OK(count)
