"""Result models of the Agent API (``vd.agent("agent001")`` sessions and ``vd.agents``).

Most Agent API functions only write a command into the agent's live-session row; the agent's open
browser screen picks it up on its next poll and carries it out. Their SUCCESS answer therefore
means *queued*, not *done*: the models say so in ``queued`` and never claim more than the answer
does. Answers that carry data (version, webserver, counts, the active lead, ...) get their own
model. Every result keeps the masked answer text in ``raw``.

>>> from vicidial_async.protocol.registry import REGISTRY
>>> from vicidial_async.protocol.lines import decode_status
>>> spec = REGISTRY["agent", "external_pause"]
>>> res = ExternalPauseResult.from_answer(
...     decode_status(spec, "SUCCESS: external_pause function set - PAUSE|1795886931|agent001\\n"))
>>> res.value, res.epoch, res.agent_user, res.queued
('PAUSE', 1795886931, 'agent001', True)
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterator, Mapping
from typing import Any, ClassVar

import attrs

from ..errors import DecodeError, EmptyAnswerError
from ..protocol.lines import NamedFields, StatusAnswer, StatusLine
from ..protocol.other import KeyValues, TextAnswer
from ..protocol.registry import REGISTRY
from ._outcome import named, notice, success_line
from ._parse import opt_datetime, opt_float, opt_int
from ._rows import LineResult, parsed, split_list

__all__ = [
    "RESULT_BUILDERS",
    "AgentActiveLead",
    "AgentApiVersion",
    "AgentCommandResult",
    "AudioPlaybackResult",
    "CallsInQueueCount",
    "ChangeIngroupsResult",
    "ExternalAddLeadResult",
    "ExternalDialResult",
    "ExternalPauseResult",
    "ExternalStatusResult",
    "FronterResult",
    "NotificationResult",
    "RaCallControlResult",
    "RecordingResult",
    "RefreshPanelResult",
    "SetTimerActionResult",
    "StLoginLogResult",
    "SwitchLeadResult",
    "TransferConferenceResult",
    "UpdateFieldsResult",
    "VmMessageResult",
    "WebphoneUrlResult",
    "WebserverInfo",
]

def _queued(line: StatusLine) -> bool:
    """True when the SUCCESS line says the command was handed over to be carried out later (by the
    agent's screen, or by the dialer for originate/playback requests), not carried out yet."""
    return line.facet in ("queued", "over_ccc")


def _yes(text: str | None) -> bool:
    return (text or "").strip().upper() in ("YES", "Y")


def _groups(text: str | None) -> tuple[str, ...]:
    """In-group ids of VICIdial's `` A B C -`` form."""
    return tuple(g for g in (text or "").split() if g != "-")


class _AgentLine(LineResult):
    """An Agent API result read from its SUCCESS line: ``queued`` comes from the line's words."""

    __slots__ = ()

    @classmethod
    def _answer_values(cls, line: StatusLine, raw: str,
                       notices: tuple[StatusLine, ...]) -> dict[str, Any]:
        return {"raw": raw, "notices": notices, "queued": _queued(line)}


# -- the generic "function set" answer ------------------------------------------------------------


@attrs.frozen(slots=True)
class AgentCommandResult(NamedFields):
    """A command accepted by the server (external_hangup, preview_dial_action, send_dtmf, park_call,
    call_agent, pause_code).

    ``queued`` is True when the answer says the command was *queued* ("function set/sent"): the
    agent's screen (or the dialer) carries it out on its next poll, or not at all if the agent has
    moved on by then. SUCCESS never means the call was hung up, parked, dialled ... already.

    Attributes:
        function: the VICIdial function called.
        queued: the answer says the command waits to be carried out.
        reason: the fixed words of the SUCCESS line, e.g. ``park_call function set``.
        data: its pipe-separated values in wire order.
        fields: the same values named after the reference template.
        notices: NOTICE lines that came with it.
        raw: the whole (masked) answer.
    """

    function: str
    queued: bool
    reason: str
    data: tuple[str, ...] = ()
    fields: dict[str, str] = attrs.field(factory=dict, eq=False)
    notices: tuple[StatusLine, ...] = ()
    raw: str = attrs.field(default="", repr=False)

    @property
    def agent_user(self) -> str:
        """The agent the command was queued for (as echoed by the server)."""
        return self.fields.get("agent_user", "")

    @classmethod
    def from_answer(cls, answer: StatusAnswer) -> AgentCommandResult:
        """The result of a decoded status answer; no SUCCESS line is a :class:`DecodeError`."""
        ok = success_line(answer)
        return cls(function=answer.function, queued=_queued(ok), reason=ok.reason,
                   data=ok.data, fields=dict(ok.fields), notices=answer.notices, raw=answer.raw)


# -- agent_control commands with data --------------------------------------------------------------


@attrs.frozen(slots=True)
class ExternalPauseResult(_AgentLine):
    """A PAUSE / RESUME (external_pause) or LOGOUT (logout) queued for the agent's screen.

    ``epoch`` is the server time stamped on the command (for LOGOUT it is only echoed, not stored).
    A PAUSE asked for during a call takes effect after the call; a LOGOUT after the disposition.
    Built from ``SUCCESS: external_pause function set - PAUSE|epoch|agent``.
    """

    COLUMNS: ClassVar[tuple[str, ...]] = ("value", "epoch", "agent_user")
    value: str
    epoch: int | None
    agent_user: str
    queued: bool = True
    raw: str = attrs.field(default="", repr=False)


@attrs.frozen(slots=True)
class ExternalStatusResult:
    """A disposition queued for the agent's current call.

    ``callback_set`` is True only when the server attached the callback: it does so for a
    ``callback_datetime`` of 13+ characters *and* a status flagged as scheduled callback. When
    ``callback_datetime`` was sent but ``callback_set`` is False, the status is not a callback
    status and the callback fields were dropped by the server.
    """

    status: str
    agent_user: str
    callback_set: bool = False
    callback_datetime: dt.datetime | None = None
    callback_type: str = ""
    callback_comments: str = ""
    qm_dispo_code: str = ""
    queued: bool = True
    raw: str = attrs.field(default="", repr=False)

    @classmethod
    def from_answer(cls, answer: StatusAnswer) -> ExternalStatusResult:
        """Build from ``SUCCESS: external_status function set - STATUS[!dt!type!comments!qm]|agent``."""
        ok = success_line(answer)
        # The queued value is '!'-joined; split it ourselves rather than trust which of the three
        # overlapping templates matched.
        text = "|".join(ok.data)
        command, _, agent_user = text.rpartition("|")
        parts = (command.split("!") + [""] * 5)[:5] if "!" in command else [command, "", "", "", ""]
        status, when, cb_type, comments, qm = parts
        return cls(status=status, agent_user=agent_user, callback_set=bool(when),
                   callback_datetime=opt_datetime(when), callback_type=cb_type,
                   callback_comments=comments, qm_dispo_code=qm, queued=_queued(ok),
                   raw=answer.raw)


@attrs.frozen(slots=True)
class ExternalDialResult(_AgentLine):
    """A manual dial queued on the agent's screen (or added to the agent's manual dial queue,
    depending on the campaign's api_manual_dial setting: the answer is the same).

    ``phone_number`` is what will be dialled (the lead's number when dialling by ``lead_id``, or
    ``MANUALNEXT``). ``dial_ingroup_dropped`` names a ``dial_ingroup`` the server did not find and
    ignored (the dial was queued without it).
    """

    COLUMNS: ClassVar[tuple[str, ...]] = REGISTRY["agent", "external_dial"].response.columns
    NOT_COLUMNS: ClassVar[frozenset[str]] = _AgentLine.NOT_COLUMNS | {"dial_ingroup_dropped"}
    phone_number: str = parsed(column="value", default="")
    agent_user: str = ""
    phone_code: str = ""
    search: bool = parsed(_yes, default=False)
    preview: bool = parsed(_yes, default=False)
    focus: bool = parsed(_yes, default=False)
    vendor_id: str = ""
    epoch: int | None = None
    dial_prefix: str = ""
    group_alias: str = ""
    caller_id_number: str = ""
    alt_dial: str = ""
    dial_ingroup_dropped: str = ""
    notices: tuple[StatusLine, ...] = ()
    queued: bool = True
    raw: str = attrs.field(default="", repr=False)

    @classmethod
    def _answer_values(cls, line: StatusLine, raw: str,
                       notices: tuple[StatusLine, ...]) -> dict[str, Any]:
        dropped = notice(notices, "ingroup_not_found")
        return {**super()._answer_values(line, raw, notices),
                "dial_ingroup_dropped": (dropped.get("dial_ingroup") or "|".join(dropped.data))
                if dropped else ""}


@attrs.frozen(slots=True)
class ExternalAddLeadResult:
    """A NEW lead inserted into the manual dial list of the agent's campaign (done, not queued)."""

    lead_id: int
    phone_number: str
    campaign_id: str
    list_id: int | None
    agent_user: str
    raw: str = attrs.field(default="", repr=False)

    @classmethod
    def from_answer(cls, answer: StatusAnswer) -> ExternalAddLeadResult:
        """Build from ``SUCCESS: lead added - phone|campaign|list|lead_id|agent``."""
        ok = success_line(answer)
        f = named(ok, ("phone_number", "campaign_id", "list_id", "lead_id", "agent_user"))
        lead_id = opt_int(f.get("lead_id"))
        if lead_id is None:
            raise DecodeError("external_add_lead: SUCCESS without a lead_id", function=answer.function,
                              raw=answer.raw)
        return cls(lead_id, f.get("phone_number", ""), f.get("campaign_id", ""),
                   opt_int(f.get("list_id")), f.get("agent_user", ""), answer.raw)


@attrs.frozen(slots=True)
class ChangeIngroupsResult(_AgentLine):
    """The agent's in-group selection after change_ingroups (queued for the agent's screen).

    ``ingroups`` is the resulting selection (after ADD/REMOVE, not the groups sent);
    ``set_as_default`` says the user's defaults were also written. Built from
    ``SUCCESS: change_ingroups function set - user|agent| A B -|YES|note``.
    """

    COLUMNS: ClassVar[tuple[str, ...]] = ("user", "agent_user", "ingroup_choices", "blended",
                                          "default_note")
    NOT_COLUMNS: ClassVar[frozenset[str]] = _AgentLine.NOT_COLUMNS | {"set_as_default"}
    user: str
    agent_user: str
    ingroups: tuple[str, ...] = parsed(_groups, default=(), column="ingroup_choices")
    blended: bool = parsed(_yes, default=False)
    set_as_default: bool = False
    queued: bool = True
    raw: str = attrs.field(default="", repr=False)

    @classmethod
    def _answer_values(cls, line: StatusLine, raw: str,
                       notices: tuple[StatusLine, ...]) -> dict[str, Any]:
        return {**super()._answer_values(line, raw, notices), "set_as_default": "default" in line.text}


_SQL_PAIR = re.compile(r'(\w+)="([^"]*)"')


@attrs.frozen(slots=True)
class UpdateFieldsResult:
    """Lead fields written by update_fields to the lead on the agent's screen.

    The lead record is updated at once; the screen is told to reload the fields (queued).
    ``fields`` lists the fields the server wrote and ``values`` what it wrote in them, after its
    own filtering; ``list_rows_affected`` is 0 when every value was already stored.
    """

    user: str
    agent_user: str
    lead_id: int | None
    list_rows_affected: int | None
    agent_rows_affected: int | None
    fields: tuple[str, ...]
    values: dict[str, str] = attrs.field(factory=dict, eq=False)
    raw: str = attrs.field(default="", repr=False)

    @classmethod
    def from_answer(cls, answer: StatusAnswer) -> UpdateFieldsResult:
        """Build from ``SUCCESS: update_fields lead updated - user|agent|lead|n|n|list|sql|``."""
        ok = success_line(answer)
        data = list(ok.data)
        # fields_sql may itself hold '|' in a free-text value: it is everything after the 6th field.
        head, sql = data[:6], "|".join(data[6:])
        head += [""] * (6 - len(head))
        user, agent_user, lead_id, list_rows, agent_rows, names = head
        return cls(user=user, agent_user=agent_user, lead_id=opt_int(lead_id),
                   list_rows_affected=opt_int(list_rows), agent_rows_affected=opt_int(agent_rows),
                   fields=tuple(n for n in names.split(",") if n),
                   values=dict(_SQL_PAIR.findall(sql)), raw=answer.raw)


@attrs.frozen(slots=True)
class RefreshPanelResult(_AgentLine):
    """Panels the agent's screen was asked to reload (queued), from
    ``SUCCESS: refresh_panel request sent - user|agent|rows|panels|``."""

    COLUMNS: ClassVar[tuple[str, ...]] = ("user", "agent_user", "agent_rows_affected", "panels")
    user: str
    agent_user: str
    agent_rows_affected: int | None
    panels: tuple[str, ...] = parsed(split_list(","), default=())
    queued: bool = True
    raw: str = attrs.field(default="", repr=False)


@attrs.frozen(slots=True)
class SetTimerActionResult(_AgentLine):
    """A timed action set for the agent's current call (stored on the agent's live session row,
    although the answer says "lead updated"), from
    ``SUCCESS: set_timer_action lead updated - user|agent|value|notes|rank``."""

    COLUMNS: ClassVar[tuple[str, ...]] = ("user", "agent_user", "value", "notes", "rank")
    user: str
    agent_user: str
    action: str = parsed(column="value", default="")
    notes: str = ""
    seconds: int | None = parsed(column="rank")
    raw: str = attrs.field(default="", repr=False)


@attrs.frozen(slots=True)
class RaCallControlResult:
    """A remote agent's call hung up or transferred by ra_call_control (carried out by the server).

    ``action`` is ``HANGUP`` or ``TRANSFER``; ``phone_number`` is the extension dialled by an
    EXTENSIONTRANSFER (empty for an in-group transfer).
    """

    agent_user: str
    call_id: str
    action: str
    phone_number: str = ""
    raw: str = attrs.field(default="", repr=False)

    @classmethod
    def from_answer(cls, answer: StatusAnswer) -> RaCallControlResult:
        """Build from ``ra_call_control hungup - ...|HANGUP`` or ``ra_call_control transfer - ...``."""
        ok = success_line(answer)
        data = (*ok.data, "", "", "")
        hangup = ok.facet == "hung_up"
        return cls(agent_user=data[0], call_id=data[1], action="HANGUP" if hangup else "TRANSFER",
                   phone_number="" if hangup else data[2], raw=answer.raw)


_MULTI = re.compile(r"Multi-phones:\s*(\d+)\s+(\d+)\s+(\d+)")


@attrs.frozen(slots=True)
class TransferConferenceResult:
    """A Transfer-Conf action queued on the agent's live call.

    ``call_id`` is the call it applies to. With ``multi_dial_phones``, ``multi_phones_kept`` /
    ``multi_phones_sent`` / ``multi_phones_rows`` are the server's counts (numbers it kept, numbers
    it received, rows written).
    """

    action: str
    ingroup: str
    phone_number: str
    consultative: bool
    agent_user: str
    call_id: str
    multi_phones_kept: int | None = None
    multi_phones_sent: int | None = None
    multi_phones_rows: int | None = None
    queued: bool = True
    raw: str = attrs.field(default="", repr=False)

    @classmethod
    def from_answer(cls, answer: StatusAnswer) -> TransferConferenceResult:
        """Build from ``SUCCESS: transfer_conference function set - value|group|phone|YES|agent|cid|``."""
        ok = success_line(answer)
        data = (*ok.data, "", "", "", "", "", "", "")
        m = _MULTI.search(ok.text)
        return cls(action=data[0], ingroup=data[1], phone_number=data[2], consultative=_yes(data[3]),
                   agent_user=data[4], call_id=data[5],
                   multi_phones_kept=int(m.group(1)) if m else None,
                   multi_phones_sent=int(m.group(2)) if m else None,
                   multi_phones_rows=int(m.group(3)) if m else None,
                   queued=_queued(ok), raw=answer.raw)


@attrs.frozen(slots=True)
class RecordingResult:
    """The answer of ``recording``.

    For START/STOP: ``queued`` is True (the signal was sent to the agent's screen) and
    ``recording`` is None (whether it started or stopped is known only once the screen acts;
    ask again with STATUS). For STATUS: ``recording`` says whether a recording is running, with
    its ``recording_id``, ``filename``, ``recording_server_ip`` and ``start_time``.
    ``session_id`` is the agent's conference extension; ``agent_status`` the live status.
    """

    agent_user: str
    command: str
    recording: bool | None
    agent_server_ip: str = ""
    session_id: str = ""
    agent_status: str = ""
    recording_id: str = ""
    filename: str = ""
    recording_server_ip: str = ""
    start_time: dt.datetime | None = None
    queued: bool = False
    raw: str = attrs.field(default="", repr=False)

    @classmethod
    def from_answer(cls, answer: StatusAnswer) -> RecordingResult:
        """Build from the SUCCESS line (START/STOP) or the STATUS notice."""
        if answer.success:
            ok = answer.success[0]
            d = (*ok.data, "", "", "", "", "", "", "", "")
            return cls(agent_user=d[0], command=d[1], recording=None, agent_server_ip=d[5],
                       session_id=d[6], agent_status=d[7], queued=_queued(ok), raw=answer.raw)
        n = notice(answer, "recording_active", "not_recording")
        if n is None:
            raise DecodeError("recording: neither a SUCCESS line nor a recording NOTICE",
                              function=answer.function, raw=answer.raw)
        d = (*n.data, "", "", "", "", "", "", "", "")
        active = n.facet == "recording_active"
        return cls(agent_user=d[0], command="STATUS", recording=active, recording_id=d[1],
                   filename=d[2], recording_server_ip=d[3], start_time=opt_datetime(d[4]),
                   agent_server_ip=d[5], session_id=d[6], agent_status=d[7], raw=answer.raw)


_META_URL = re.compile(r"URL=([^\"'>\s]+)", re.IGNORECASE)


@attrs.frozen(slots=True)
class WebphoneUrlResult:
    """The webphone URL of the agent's session. ``launch_page`` is True for the LAUNCH answer (an
    HTML page redirecting to ``url``)."""

    url: str
    launch_page: bool = False
    raw: str = attrs.field(default="", repr=False)

    @classmethod
    def from_answer(cls, answer: TextAnswer) -> WebphoneUrlResult:
        """The bare URL (DISPLAY) or the URL of the meta-refresh page (LAUNCH)."""
        text = answer.text.strip()
        m = _META_URL.search(text)
        if m is not None and "<" in text:
            return cls(m.group(1), True, answer.raw)
        if not text or "<" in text or any(c.isspace() for c in text):
            raise EmptyAnswerError("webphone_url: no URL in the answer", function=answer.function,
                                   raw=answer.raw)
        return cls(text, False, answer.raw)


@attrs.frozen(slots=True)
class AudioPlaybackResult(_AgentLine):
    """An audio_playback command sent to the agent's session conference (queued for the dialer),
    from ``SUCCESS: audio_playback function sent - file|stage|agent``.

    ``previous_stopped`` is True when ``dial_override`` stopped a playback that was running.
    """

    COLUMNS: ClassVar[tuple[str, ...]] = ("value", "stage", "agent_user")
    NOT_COLUMNS: ClassVar[frozenset[str]] = _AgentLine.NOT_COLUMNS | {"previous_stopped"}
    file: str = parsed(column="value", default="")
    stage: str = ""
    agent_user: str = ""
    previous_stopped: bool = False
    queued: bool = True
    raw: str = attrs.field(default="", repr=False)

    @classmethod
    def _answer_values(cls, line: StatusLine, raw: str,
                       notices: tuple[StatusLine, ...]) -> dict[str, Any]:
        return {**super()._answer_values(line, raw, notices),
                "previous_stopped": notice(notices, "playback_stopped") is not None}


@attrs.frozen(slots=True)
class SwitchLeadResult(_AgentLine):
    """The lead the agent's live inbound call was switched to (queued for the screen), from
    ``SUCCESS: switch_lead function set - agent|new|vlc|campaign|previous|``."""

    COLUMNS: ClassVar[tuple[str, ...]] = ("agent_user", "new_lead_id", "new_vendor_lead_code",
                                          "campaign_id", "previous_lead_id")
    agent_user: str
    lead_id: int | None = parsed(column="new_lead_id")
    vendor_lead_code: str = parsed(column="new_vendor_lead_code", default="")
    campaign_id: str = ""
    previous_lead_id: int | None = None
    queued: bool = True
    raw: str = attrs.field(default="", repr=False)


@attrs.frozen(slots=True)
class VmMessageResult:
    """Audio files stored for the VM button of the agent's current call."""

    agent_user: str
    lead_id: int | None
    files: tuple[str, ...]
    raw: str = attrs.field(default="", repr=False)

    @classmethod
    def from_answer(cls, answer: StatusAnswer) -> VmMessageResult:
        """Build from ``SUCCESS: vm_message function set - agent|lead|file1|file2|``."""
        ok = success_line(answer)
        data = list(ok.data)
        files = tuple(f for f in data[2:] if f)
        return cls(data[0] if data else "", opt_int(data[1]) if len(data) > 1 else None, files,
                   answer.raw)


@attrs.frozen(slots=True)
class CallsInQueueCount:
    """Calls (plus queued emails) waiting that could be routed to the agent."""

    count: int
    raw: str = attrs.field(default="", repr=False)

    @classmethod
    def from_answer(cls, answer: StatusAnswer) -> CallsInQueueCount:
        """Build from ``SUCCESS: calls_in_queue_count - 12``."""
        ok = success_line(answer)
        count = opt_int(ok.get("count") or (ok.data[0] if ok.data else None))
        if count is None:
            raise DecodeError("calls_in_queue_count: no count", function=answer.function,
                              raw=answer.raw)
        return cls(count, answer.raw)


@attrs.frozen(slots=True)
class FronterResult:
    """The answer of force_fronter_leave_3way / force_fronter_audio_stop.

    Locally, ``fronter_user`` is the other agent the command was sent to; ``over_ccc`` is True when
    it went to another cluster instead, identified by ``container_id``.
    """

    fronter_user: str
    over_ccc: bool = False
    container_id: str = ""
    value: str = ""
    stage: str = ""
    agent_user: str = ""
    queued: bool = True
    raw: str = attrs.field(default="", repr=False)

    @classmethod
    def from_answer(cls, answer: StatusAnswer) -> FronterResult:
        """Build from the local ``SENT`` / ``function sent`` line or the ``over CCC`` line."""
        ok = success_line(answer)
        if ok.facet == "over_ccc":
            return cls("", True, ok.get("container_id") or "|".join(ok.data), queued=True,
                       raw=answer.raw)
        d = (*ok.data, "", "", "", "")
        if answer.function == "force_fronter_leave_3way":
            return cls(d[0], queued=_queued(ok), raw=answer.raw)
        return cls(d[3], value=d[0], stage=d[1], agent_user=d[2], queued=_queued(ok),
                   raw=answer.raw)


# -- functions without an agent ---------------------------------------------------------------------


@attrs.frozen(slots=True)
class AgentApiVersion:
    """Version of the server's agc/api.php, and the server's clock."""

    version: str
    build: str
    date: dt.datetime | None
    epoch: int | None
    raw: str = attrs.field(default="", repr=False)

    @classmethod
    def from_answer(cls, answer: KeyValues) -> AgentApiVersion:
        """Build from ``VERSION: 2.14-81|BUILD: 240429-2220|DATE: ...|EPOCH: ...``."""
        return cls(answer.get("VERSION"), answer.get("BUILD"), opt_datetime(answer.get("DATE")),
                   opt_int(answer.get("EPOCH")), answer.raw)


def _opt_int_text(text: str) -> int | None:
    return opt_int(text) if text else None


@attrs.frozen(slots=True)
class WebserverInfo:
    """Facts about the web server (webserver).

    ``ini_available`` is False when PHP's ``date.timezone`` is not set in php.ini: the server then
    omits the seven php.ini lines (``date_timezone`` ... ``default_socket_timeout`` stay empty).
    ``values`` keeps every line by its wire key.
    """

    set_timezone: str
    abbr_timezone: str
    dst: bool | None
    uname: str
    host_name: str
    server_name: str
    php_version: str
    apache_version: str
    apache_processes: int | None
    load_average: float | None
    disk_free_bytes: int | None
    ini_available: bool
    date_timezone: str = ""
    max_execution_time: int | None = None
    max_input_time: int | None = None
    memory_limit: str = ""
    post_max_size: str = ""
    upload_max_filesize: str = ""
    default_socket_timeout: int | None = None
    values: dict[str, str] = attrs.field(factory=dict, eq=False)
    raw: str = attrs.field(default="", repr=False)

    @classmethod
    def from_answer(cls, answer: KeyValues) -> WebserverInfo:
        """Build from the ``<PRE>Webserver Data: ...</PRE>`` key/value answer."""
        v = answer.values
        g = answer.get
        if not v:
            raise DecodeError("webserver: no key/value lines", function=answer.function, raw=answer.raw)
        dst = g("dst.timezone")
        disk = opt_float(g("disk free space"))
        return cls(
            set_timezone=g("set.timezone"), abbr_timezone=g("abbr.timezone"),
            dst=(dst == "1") if dst in ("0", "1") else None, uname=g("uname"),
            host_name=g("host name"), server_name=g("server name"), php_version=g("php version"),
            apache_version=g("apache version"), apache_processes=_opt_int_text(g("apache processes")),
            load_average=opt_float(g("system load average")),
            disk_free_bytes=int(disk) if disk is not None else None,
            ini_available="ini_get not allowed" not in v,
            date_timezone=g("date.timezone"),
            max_execution_time=_opt_int_text(g("maximum execution time")),
            max_input_time=_opt_int_text(g("maximum input time")),
            memory_limit=g("memory limit"), post_max_size=g("post maximum size"),
            upload_max_filesize=g("upload maximum filesize"),
            default_socket_timeout=_opt_int_text(g("default socket timeout")),
            values=dict(v), raw=answer.raw)


@attrs.frozen(slots=True)
class StLoginLogResult(LineResult):
    """The VICIdial user whose custom_three matched the CRM agent ID (its custom_four was set),
    from ``SUCCESS: st_login_log user found - agent001``."""

    COLUMNS: ClassVar[tuple[str, ...]] = ("user_found",)
    user: str = parsed(column="user_found", default="")
    raw: str = attrs.field(default="", repr=False)


@attrs.frozen(slots=True)
class AgentActiveLead(LineResult):
    """The lead on the screen of the agent mapped from a CRM agent ID (st_get_agent_active_lead),
    from ``SUCCESS: st_get_agent_active_lead lead found - user|phone|lead|...``."""

    COLUMNS: ClassVar[tuple[str, ...]] = REGISTRY["agent", "st_get_agent_active_lead"].response.columns
    user: str = parsed(column="mapped_user", default="")
    phone_number: str = ""
    lead_id: int | None = None
    vendor_lead_code: str = ""
    province: str = ""
    security_phrase: str = ""
    source_id: str = ""
    raw: str = attrs.field(default="", repr=False)


@attrs.frozen(slots=True)
class NotificationResult:
    """A notification queued for a user, a user group or a campaign's agents.

    ``resolved_type`` is set when no valid ``recipient_type`` was sent and the server guessed it;
    ``date_replaced`` is True when the server found the ``notification_date`` invalid and used now.
    """

    recipient: str
    recipient_type: str
    notification_id: int | None
    resolved_type: str = ""
    date_replaced: bool = False
    notices: tuple[StatusLine, ...] = ()
    queued: bool = True
    raw: str = attrs.field(default="", repr=False)

    @classmethod
    def from_answer(cls, answer: StatusAnswer) -> NotificationResult:
        """Build from the messages of a send_notification answer (the decoder splits the ones the
        server runs together)."""
        ok = success_line(answer)
        f = named(ok, ("recipient", "recipient_type", "notification_id"))
        resolved = notice(answer, "type_resolved")
        return cls(f.get("recipient", ""), f.get("recipient_type", ""),
                   opt_int(f.get("notification_id")), resolved.get("resolved_type") if resolved else "",
                   notice(answer, "date_replaced") is not None, answer.notices,
                   _queued(ok), answer.raw)


class _ResultBuilders(Mapping[str, Callable[[Any], Any]]):
    """Agent API function -> builder of its typed result from a decoded answer.

    The builders have one home, the operations (``operations/agent.py``); this reads them there
    when asked, because the operations import this module.
    """

    def __getitem__(self, function: str) -> Callable[[Any], Any]:
        from ..operations._core import declared_operation

        op = declared_operation(REGISTRY["agent", function])
        if op is None:
            raise KeyError(function)
        return lambda answer: op.interpret(answer, {})

    def __iter__(self) -> Iterator[str]:
        return iter([spec.name for spec in REGISTRY.for_api("agent")])

    def __len__(self) -> int:
        return len(REGISTRY.for_api("agent"))


RESULT_BUILDERS: Mapping[str, Callable[[Any], Any]] = _ResultBuilders()
"""``RESULT_BUILDERS[function](answer)``: the typed result of an Agent API answer (e.g. from
``vd.call(..., api="agent")``), built as the typed method builds it."""
