"""Result models of the phone functions (``vd.phones``). Every result keeps the masked answer in ``raw``."""

from __future__ import annotations

from typing import ClassVar

import attrs

from ..protocol.lines import StatusAnswer, StatusLine
from ._outcome import action_of, success_line
from ._rows import LineResult

__all__ = ["GroupAliasResult", "PhoneAliasResult", "PhoneResult"]


@attrs.frozen(slots=True)
class GroupAliasResult(LineResult):
    """A group alias created by ``add_group_alias`` (the server fills an id or name shorter than
    two characters with the caller ID number)."""

    COLUMNS: ClassVar[tuple[str, ...]] = ("user", "group_alias_id", "group_alias_name",
                                          "caller_id_number")
    group_alias_id: str
    group_alias_name: str
    caller_id_number: str
    raw: str = attrs.field(default="", repr=False)


@attrs.frozen(slots=True)
class PhoneResult:
    """What ``add_phone`` / ``update_phone`` did to the phone ``extension`` on ``server_ip``.

    ``action`` is ``added``, ``updated`` or ``deleted``; ``protocol`` and ``dialplan_number`` are
    echoed by ``add_phone`` only. The server is flagged to rebuild its configuration files.
    """

    action: str
    extension: str
    server_ip: str
    protocol: str = ""
    dialplan_number: str = ""
    notices: tuple[StatusLine, ...] = ()
    raw: str = attrs.field(default="", repr=False)

    @classmethod
    def from_answer(cls, answer: StatusAnswer) -> PhoneResult:
        ok = success_line(answer)
        return cls(action_of(ok), ok.get("extension"), ok.get("server_ip"), ok.get("protocol"),
                   ok.get("dialplan_number"), notices=answer.notices, raw=answer.raw)


@attrs.frozen(slots=True)
class PhoneAliasResult:
    """What ``add_phone_alias`` / ``update_phone_alias`` did to ``alias_id``: ``action`` is
    ``added``, ``updated``, ``deleted`` or ``unchanged`` (NO UPDATES DEFINED)."""

    action: str
    alias_id: str
    alias_name: str = ""
    phone_logins: tuple[str, ...] = ()
    notices: tuple[StatusLine, ...] = ()
    raw: str = attrs.field(default="", repr=False)

    @classmethod
    def from_answer(cls, answer: StatusAnswer, alias_id: str) -> PhoneAliasResult:
        ok = success_line(answer)
        action = action_of(ok)
        logins = tuple(x for x in ok.get("phone_logins").split(",") if x)
        return cls(action, ok.get("alias_id") or alias_id, ok.get("alias_name"), logins,
                   notices=answer.notices, raw=answer.raw)
