"""Result models of the user functions (``vd.users``). Every result keeps the masked answer in ``raw``.

The SUCCESS lines of ``add_user`` and ``copy_user`` echo the new user's password; the models leave
it out (the caller chose it), and ``raw`` is never part of a ``repr``.
"""

from __future__ import annotations

import re
from typing import ClassVar

import attrs

from ..protocol.lines import StatusLine
from ._outcome import notice
from ._rows import LineResult, TableRow, parsed, split_list, yes_no

__all__ = [
    "AddUserResult",
    "AgentCampaignsRow",
    "AgentIngroupInfo",
    "CopyUserResult",
    "UpdateRemoteAgentResult",
    "UpdateUserResult",
    "UserDetailsRow",
]


@attrs.frozen(slots=True)
class AgentCampaignsRow(TableRow):
    """The campaigns and in-groups an agent may use (``agent_campaigns``; the server joins each
    list with ``-``)."""

    COLUMNS: ClassVar[tuple[str, ...]] = ("user", "allowed_campaigns_list", "allowed_ingroups_list")
    user: str = ""
    allowed_campaigns_list: tuple[str, ...] = parsed(split_list("-"), default=())
    allowed_ingroups_list: tuple[str, ...] = parsed(split_list("-"), default=())
    extra: dict[str, str] = attrs.field(factory=dict, eq=False)


@attrs.frozen(slots=True)
class UserDetailsRow(TableRow):
    """Basic account fields of one user (``user_details``)."""

    COLUMNS: ClassVar[tuple[str, ...]] = ("user", "full_name", "user_group", "user_level", "active")
    user: str = ""
    full_name: str = ""
    user_group: str = ""
    user_level: int | None = None
    active: bool | None = None
    extra: dict[str, str] = attrs.field(factory=dict, eq=False)


_LABEL = re.compile(r"^\s*(SELECTED INGROUPS|OUTBOUND AUTODIAL|MANAGER OVERRIDE|MANAGER):[ \t]?(.*?)"
                    r"\s*(?:<BR>)?\s*$", re.IGNORECASE | re.MULTILINE)
_AGENT_HTML = re.compile(r"Agent:\s*([^\s<]+)")


@attrs.frozen(slots=True)
class AgentIngroupInfo:
    """A logged-in agent's in-group selection (``agent_ingroup_info``).

    ``selected_ingroups`` are the in-groups the agent takes calls from; ``outbound_autodial`` is
    True when the agent is blended (also takes outbound calls); ``manager_override`` and
    ``manager`` say whether a manager set the selection and who. ``html`` holds the page for the
    ``info`` and ``change`` stages (the change form is meant for a browser).
    """

    agent_user: str
    selected_ingroups: tuple[str, ...] = ()
    outbound_autodial: bool | None = None
    manager_override: str = ""
    manager: str = ""
    html: str = attrs.field(default="", repr=False)
    raw: str = attrs.field(default="", repr=False)

    @classmethod
    def from_text(cls, text: str, agent_user: str) -> AgentIngroupInfo:
        """Parse the ``LABEL: value`` lines that both the text and the HTML views carry."""
        values = {m.group(1).upper(): m.group(2).strip() for m in _LABEL.finditer(text)}
        is_html = "<TABLE" in text.upper()
        who = agent_user
        if not is_html:
            m = re.search(r"SUCCESS:\s*-\s*([^|\s]+)", text)
            who = m.group(1) if m else agent_user
        else:
            m = _AGENT_HTML.search(text)
            who = m.group(1) if m else agent_user
        groups = tuple(g for g in values.get("SELECTED INGROUPS", "").split() if g != "-")
        return cls(agent_user=who, selected_ingroups=groups,
                   outbound_autodial=yes_no(values.get("OUTBOUND AUTODIAL")),
                   manager_override=values.get("MANAGER OVERRIDE", ""),
                   manager=values.get("MANAGER", ""), html=text if is_html else "", raw=text)


@attrs.frozen(slots=True)
class AddUserResult(LineResult):
    """A user created by ``add_user``: ``agent_user`` is the real id (the server picks one when
    asked to AUTOGENERATE)."""

    COLUMNS: ClassVar[tuple[str, ...]] = ("user", "agent_user", "agent_pass", "agent_user_level",
                                          "agent_full_name", "agent_user_group")
    agent_user: str
    agent_user_level: int | None
    agent_full_name: str
    agent_user_group: str
    raw: str = attrs.field(default="", repr=False)


@attrs.frozen(slots=True)
class CopyUserResult(LineResult):
    """A user created by ``copy_user`` from ``source_user``."""

    COLUMNS: ClassVar[tuple[str, ...]] = ("user", "agent_user", "agent_pass", "agent_full_name",
                                          "source_user")
    agent_user: str
    agent_full_name: str
    source_user: str
    raw: str = attrs.field(default="", repr=False)


@attrs.frozen(slots=True)
class UpdateUserResult:
    """What ``update_user`` did.

    ``updated``: the user row was changed (False when only ranks/grades or a password reset were
    asked for: the server then ends with NO UPDATES DEFINED, which is no error here);
    ``deleted``: the user was deleted; ``campaign_ranks_updated`` / ``ingroup_ranks_updated``:
    the rank/grade NOTICEs came back; ``password_reset`` is True when a new password was emailed,
    False when the reset failed (``notices`` say why), None when not asked.
    """

    agent_user: str
    updated: bool = False
    deleted: bool = False
    campaign_ranks_updated: bool = False
    ingroup_ranks_updated: bool = False
    password_reset: bool | None = None
    notices: tuple[StatusLine, ...] = ()
    raw: str = attrs.field(default="", repr=False)

    @classmethod
    def from_lines(cls, success: StatusLine | None, notices: tuple[StatusLine, ...], raw: str,
                   agent_user: str) -> UpdateUserResult:
        reset: bool | None = None
        if notice(notices, "reset") is not None:
            reset = True
        elif notice(notices, "reset_failed") is not None:
            reset = False
        return cls(
            agent_user=(success.get("agent_user") if success else "") or agent_user,
            updated=success is not None and success.facet == "updated",
            deleted=success is not None and success.facet == "deleted",
            campaign_ranks_updated=notice(notices, "campaign_ranks_updated") is not None,
            ingroup_ranks_updated=notice(notices, "ingroup_ranks_updated") is not None,
            password_reset=reset, notices=notices, raw=raw)


@attrs.frozen(slots=True)
class UpdateRemoteAgentResult:
    """What ``update_remote_agent`` did: ``updated``, or ``already`` holds the status the entry
    already had (the server's ALREADY notice; nothing else to change then)."""

    agent_user: str
    updated: bool
    already: str = ""
    notices: tuple[StatusLine, ...] = ()
    raw: str = attrs.field(default="", repr=False)
