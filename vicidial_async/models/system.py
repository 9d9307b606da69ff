"""Result models of the system functions (``vd.system``): version, the HTML/tab pickers,
server_refresh and blind_monitor. Every result keeps the masked answer in ``raw``."""

from __future__ import annotations

import datetime as dt
from typing import Any, ClassVar

import attrs

from ..protocol.other import HtmlRow, KeyValues
from ._parse import opt_datetime, opt_float, opt_int
from ._rows import LineResult, PickerRow

__all__ = [
    "BlindMonitorResult",
    "CallMenuChoice",
    "ContainerChoice",
    "MohChoice",
    "ServerRefreshResult",
    "SoundFile",
    "VersionInfo",
    "VoicemailChoice",
]


@attrs.frozen(slots=True)
class VersionInfo:
    """The API's ``version`` answer: version and build, server time, time zone.

    ``tz`` is the GMT offset of an active server (None if none), ``tz_now`` that offset with
    daylight saving applied; older builds send neither, nor ``dst``.
    """

    version: str
    build: str = ""
    date: dt.datetime | None = None
    epoch: int | None = None
    dst: bool | None = None
    tz: float | None = None
    tz_now: float | None = None
    raw: str = attrs.field(default="", repr=False)

    @classmethod
    def from_values(cls, kv: KeyValues) -> VersionInfo:
        dst = kv.get("DST")
        return cls(version=kv.get("VERSION"), build=kv.get("BUILD"),
                   date=opt_datetime(kv.get("DATE")), epoch=opt_int(kv.get("EPOCH")),
                   dst=(dst == "1") if dst in ("0", "1") else None,
                   tz=opt_float(kv.get("TZ") or None), tz_now=opt_float(kv.get("TZNOW") or None),
                   raw=kv.raw)


def _date_with_dot(text: str) -> dt.datetime | None:
    """sounds_list writes ``2026-11-28 17:06:59.`` (a trailing dot)."""
    return opt_datetime(text.rstrip("."))


@attrs.frozen(slots=True)
class SoundFile:
    """One audio file of the central audio store (``sounds_list``).

    ``date``, ``size`` and ``epoch`` come with the ``tab`` and ``selectframe`` formats; ``url``
    with ``link``.
    """

    COLUMNS: ClassVar[tuple[str, ...]] = ("name", "date", "size", "epoch", "url")
    name: str
    date: dt.datetime | None = None
    size: int | None = None
    epoch: int | None = None
    url: str = ""

    @classmethod
    def from_html_row(cls, row: HtmlRow) -> SoundFile:
        cells = row.cells
        if len(cells) == 1:  # format=link: the URL, the name is the link text
            return cls(name=row.id, url=cells[0])
        if len(cells) >= 5 and cells[0].isdigit():  # format=tab: index, name, date, size, epoch
            return cls(name=cells[1], date=_date_with_dot(cells[2]), size=opt_int(cells[3]),
                       epoch=opt_int(cells[4]))
        # format=selectframe: name, date, size, PLAY
        return cls(name=cells[0] if cells else row.id,
                   date=_date_with_dot(cells[1]) if len(cells) > 1 else None,
                   size=opt_int(cells[2]) if len(cells) > 2 else None)




@attrs.frozen(slots=True)
class MohChoice(PickerRow):
    """One music-on-hold class (``moh_list``): its id, name, random order flag and files."""

    COLUMNS: ClassVar[tuple[str, ...]] = ("moh_id", "moh_name", "random", "files")
    NOT_COLUMNS: ClassVar[frozenset[str]] = frozenset({"files"})
    moh_id: str
    moh_name: str = ""
    random: bool | None = None
    files: tuple[str, ...] = ()

    @classmethod
    def _html_values(cls, row: HtmlRow) -> dict[str, Any]:
        files = [f for d in row.details for f in d.removeprefix("Files:").split()]
        return {**super()._html_values(row), "files": tuple(files)}


@attrs.frozen(slots=True)
class VoicemailChoice(PickerRow):
    """One voicemail box (``vm_list``): a voicemail box, or a phone's voicemail id (then ``name``
    reads ``extension - full name``)."""

    COLUMNS: ClassVar[tuple[str, ...]] = ("voicemail_id", "name", "email")
    voicemail_id: str
    name: str = ""
    email: str = ""


@attrs.frozen(slots=True)
class ContainerChoice(PickerRow):
    """One settings container of the asked type (``container_list``)."""

    COLUMNS: ClassVar[tuple[str, ...]] = ("container_id", "container_notes")
    container_id: str
    container_notes: str = ""


@attrs.frozen(slots=True)
class CallMenuChoice(PickerRow):
    """One call menu (``callmenu_list``)."""

    COLUMNS: ClassVar[tuple[str, ...]] = ("menu_id", "menu_name")
    menu_id: str
    menu_name: str = ""


@attrs.frozen(slots=True)
class ServerRefreshResult(LineResult):
    """``server_refresh``: how many servers were flagged to rebuild their configuration."""

    COLUMNS: ClassVar[tuple[str, ...]] = ("user", "servers_flagged")
    servers_flagged: int | None
    raw: str = attrs.field(default="", repr=False)


@attrs.frozen(slots=True)
class BlindMonitorResult(LineResult):
    """A monitoring call launched by ``blind_monitor``.

    ``monitor_dialstring`` is what the manager's phone dials into the agent's conference;
    ``man_id`` the server's originate request id.
    """

    COLUMNS: ClassVar[tuple[str, ...]] = ("phone_login", "monitor_dialstring", "dialplan_number",
                                          "session_id", "man_id", "user")
    phone_login: str
    monitor_dialstring: str
    dialplan_number: str
    session_id: str
    man_id: int | None
    user: str
    raw: str = attrs.field(default="", repr=False)
