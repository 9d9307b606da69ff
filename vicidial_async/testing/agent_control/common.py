"""What the Agent API handlers share: finding the target agent (agent_user or alt_user) and the
common error lines."""

from __future__ import annotations

from .. import filters as f
from ..core import Call, agent_denied
from ..records import LiveAgent
from ..wire import Template, line

__all__ = ["NOT_LOGGED", "NO_USER", "done", "live", "named", "resolve", "session", "tpl"]

AG = "agent"

# -- Agent API helpers --------------------------------------------------------------------------------

NO_USER = line(AG, "external_hangup", "no user found")
NOT_LOGGED = line(AG, "external_hangup", "agent_user is not logged in")
_NO_USER_AUDIO = line(AG, "audio_playback", "no user found")


def resolve(call: Call, out: list[str], *, audio: bool = False) -> str:
    """agent_user, or the user whose custom_three equals alt_user (an error line if none)."""
    agent = f.ident(call.get("agent_user"))
    alt = f.alnum(call.get("alt_user"))
    if len(alt) >= 2:
        for name in sorted(call.state.users):
            if call.state.users[name].custom_three == alt:
                return name
        if audio:
            out.append(_NO_USER_AUDIO(f.ident(call.get("stage")), alt) + "\n")
        else:
            out.append(NO_USER(alt) + "\n")
    return agent


def named(call: Call, agent: str) -> bool:
    """The validity checks accept a target named by agent_user or by alt_user."""
    return bool(agent) or bool(f.alnum(call.get("alt_user")))


def tpl(fn: str, needle: str, n: int | None = None) -> Template:
    """The Agent API template line of ``fn`` that contains ``needle`` (see :func:`..wire.line`)."""
    return line(AG, fn, needle, n)


def live(call: Call, agent: str, out: list[str]) -> LiveAgent | None:
    """The agent's live session, or None after its 'not logged in' line."""
    s = call.state.agents.get(agent)
    if s is None:
        out.append(NOT_LOGGED(agent) + "\n")
    return s


def session(
    call: Call,
    out: list[str],
    agent: str,
    *,
    valid: bool,
    invalid: str,
    echo: str = "value",
    value: str | None = None,
) -> LiveAgent | None:
    """The checks a command to an agent's screen makes after reading its parameters, in the PHP's
    order: the ``invalid`` line unless ``valid``, the function-permission refusal (``echo`` and
    ``value`` as :func:`~vicidial_async.testing.core.agent_denied` takes them), then the agent's
    live session. Returns the session, or None once the line ending the request is in ``out``."""
    if not valid:
        out.append(invalid + "\n")
        return None
    if (denied := agent_denied(call, echo=echo, value=value)) is not None:
        out.append(denied)
        return None
    return live(call, agent, out)


def done(out: list[str], *last: str) -> str:
    """The answer: the lines gathered in ``out`` (each already ends as the PHP ends it), then the
    ``last`` lines, each with a line feed."""
    return "".join(out) + "".join(x + "\n" for x in last)
