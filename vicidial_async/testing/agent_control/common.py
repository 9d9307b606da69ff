"""What the Agent API handlers share: finding the target agent (agent_user or alt_user) and the
common error lines."""

from __future__ import annotations

from .. import filters as f
from ..core import Call
from ..records import LiveAgent
from ..wire import Template, line

__all__ = ["NOT_LOGGED", "NO_USER", "done", "live", "named", "resolve", "tpl"]

AG = "agent"

# -- Agent API helpers --------------------------------------------------------------------------------

NO_USER = line(AG, "external_hangup", "no user found")
NOT_LOGGED = line(AG, "external_hangup", "agent_user is not logged in")


def resolve(call: Call, out: list[str], *, audio: bool = False) -> str:
    """agent_user, or the user whose custom_three equals alt_user (an error line if none)."""
    agent = f.ident(call.get("agent_user"))
    alt = f.alnum(call.get("alt_user"))
    if len(alt) >= 2:
        for name in sorted(call.state.users):
            if call.state.users[name].custom_three == alt:
                return name
        if audio:
            out.append(f"ERROR: no user found - {f.ident(call.get('stage'))}|{alt}\n")
        else:
            out.append(NO_USER(alt) + "\n")
    return agent


def named(call: Call, agent: str) -> bool:
    """The validity checks accept a target named by agent_user or by alt_user."""
    return bool(agent) or bool(f.alnum(call.get("alt_user")))


def tpl(fn: str, needle: str, n: int | None = None) -> Template:
    return line(AG, fn, needle, n)


def live(call: Call, agent: str, out: list[str]) -> LiveAgent | None:
    s = call.state.agents.get(agent)
    if s is None:
        out.append(NOT_LOGGED(agent) + "\n")
    return s


def done(out: list[str]) -> str:
    return "".join(out)
