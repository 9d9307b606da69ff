"""Agent API operations (``agc/api.php``): the request rules and results of every function.

``agc/api.php`` keeps an allow-list of characters per parameter and drops the rest without a word
(``value`` keeps letters, digits, ``-``, ``_`` and ``|`` only), turns ``+`` into a space in many
text fields, and never honours ``--BLANK--``. The operations here refuse such values with
:class:`~vicidial_async.InvalidParameterError` (``sent=False``, naming the parameter) before
anything is sent, so a command never reaches an agent's screen altered. The lead fields' rules are
the protocol's (:data:`~vicidial_async.protocol.lead_fields.FIELD_CHARS`); the methods of
``vd.agent(...)`` / ``vd.agents`` only build the parameters.

Every operation accepts ``alt_user`` (a CRM agent ID) instead of ``agent_user`` where the function
takes one; the session sends one or the other, never both.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Mapping, Sequence
from typing import Any, TypeVar

from ..errors import InvalidParameterError
from ..models import agent as results
from ..protocol.lead_fields import check_lead_fields
from ..protocol.params import BLANK
from ..protocol.registry import FunctionSpec
from ._core import Form, Operation, ResendPolicy, Rule, answer_only
from ._rules import chars, digits, has, is_, needs, refuse, refuse_if

__all__ = [
    "AUDIO_PLAYBACK",
    "CALLS_IN_QUEUE_COUNT",
    "CALL_AGENT",
    "CHANGE_INGROUPS",
    "EXTERNAL_ADD_LEAD",
    "EXTERNAL_DIAL",
    "EXTERNAL_HANGUP",
    "EXTERNAL_PAUSE",
    "EXTERNAL_STATUS",
    "FORCE_FRONTER_AUDIO_STOP",
    "FORCE_FRONTER_LEAVE_3WAY",
    "LOGOUT",
    "PARK_CALL",
    "PAUSE_CODE",
    "PREVIEW_DIAL_ACTION",
    "RA_CALL_CONTROL",
    "RECORDING",
    "REFRESH_PANEL",
    "SEND_DTMF",
    "SEND_NOTIFICATION",
    "SET_TIMER_ACTION",
    "ST_GET_AGENT_ACTIVE_LEAD",
    "ST_LOGIN_LOG",
    "SWITCH_LEAD",
    "TRANSFER_CONFERENCE",
    "UPDATE_FIELDS",
    "UPDATE_FIELDS_NOCASE",
    "UPDATE_FIELD_NAMES",
    "VERSION",
    "VM_MESSAGE",
    "WEBPHONE_URL",
    "WEBSERVER",
    "refuse_update_collision",
    "update_fields_collisions",
]

A = TypeVar("A")
R = TypeVar("R")

_AZ09 = "A-Za-z0-9"
# What the server keeps of the parameters that are not lead fields (regex class, in words).
_KEPT: dict[str, tuple[str, str]] = {
    "notes": (_AZ09 + r" \-._", "letters, digits, space and - . _"),
    "qm_dispo_code": (_AZ09 + r"\-._", "letters, digits and - . _"),
    "outbound_cid": (_AZ09 + r"_\-", "letters, digits, - and _"),
    "dial_ingroup": (_AZ09 + r"_\-", "letters, digits, - and _"),
    "recipient": (_AZ09 + r"_\-", "letters, digits, - and _"),
    "dial_prefix": (_AZ09, "letters and digits"),
    "group_alias": (_AZ09, "letters and digits"),
    "lead_id": ("0-9", "digits"),
    "text_font": (r"A-Za-z ,\-", "letters, space, ',' and '-'"),
    "text_color": (_AZ09, "letters and digits"),
    "agent_debug": (_AZ09 + r" \-.:|_", "letters, digits, space and - . : | _"),
}
_KEPT_RULES = tuple(chars(name, allowed, what) for name, (allowed, what) in _KEPT.items())
# stage (recording, force_fronter_audio_stop) only loses quotes, backslash and ';'.
_STAGE_BAD = "'\"\\;"
_NEGATIVE = re.compile(r"-\d+")
_DIGITS_ONLY = ("rank", "text_size", "duration", "maxParticleCount", "particleSpeed")
_DATETIME = re.compile(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}")


def _agent_form(spec: FunctionSpec, form: Form, custom: Mapping[str, Any]) -> None:
    """Refuse every value the server would alter; warn about apostrophes in lead fields."""
    fn = spec.name
    for name, text in form.items():
        if text == BLANK:
            raise refuse(fn, name, f"the Agent API never empties a field with {BLANK}: it would "
                                   "store or mangle the text (send \"\" to empty it)")
        if name == "stage" and any(c in _STAGE_BAD for c in text):
            raise refuse(fn, name, "the server removes quotes, backslashes and ';' from stage")
        if name == "phone_number" and text and not re.fullmatch("[0-9]+", text):
            raise refuse(fn, name, f"must be digits only, got {text!r}")
        if name in _DIGITS_ONLY and _NEGATIVE.fullmatch(text):
            raise refuse(fn, name, "the server keeps digits only, so a minus sign is dropped")
    for rule in _KEPT_RULES:
        rule(spec, form, custom)
    check_lead_fields(fn, form, api="agent")


def _value(*, pipe: bool = True, hint: str = "") -> Rule:
    """``value`` keeps letters, digits, ``-``, ``_`` (and ``|`` where the function splits on it)."""
    allowed = _AZ09 + (r"_\-|" if pipe else r"_\-")
    what = "letters, digits, - and _" + (" and |" if pipe else "")
    one = re.compile(f"[{allowed}]")

    def rule(spec: FunctionSpec, form: Form, custom: Mapping[str, Any]) -> None:
        bad = sorted({c for c in form.get("value", "") if not one.fullmatch(c)})
        if bad:
            raise refuse(spec.name, "value", f"the server keeps only {what} of value and would "
                                             f"silently drop {''.join(bad)!r}{hint}")
    return rule


def _alt_user(spec: FunctionSpec, form: Form, custom: Mapping[str, Any]) -> None:
    if "alt_user" in form and not re.fullmatch(r"[A-Za-z0-9]{2,}", form["alt_user"]):
        raise refuse(spec.name, "alt_user", "alt_user must be 2+ letters or digits (the server "
                                            "drops anything else and ignores a shorter one)")


def _given(form: Form, name: str) -> bool:
    """``name`` is sent with an effect (an explicit NO / N is the server's default: no effect)."""
    return form.get(name, "") not in ("", "NO", "N")


def _optional(*names: str) -> Callable[[Form], Sequence[str]]:
    """Required parameters the call may leave out: ``agent_user`` when ``alt_user`` names the
    agent, and ``names``."""
    return lambda form: (("agent_user",) if "alt_user" in form else ()) + names


def _op(function: str, build: Callable[[A], R], *rules: Rule, optional: Sequence[str] = (),
        **options: Any) -> Operation[A, R]:
    """An Agent API operation: its own rules, then the checks every Agent API call gets."""
    return Operation(function, api="agent", rules=[_alt_user, *rules, _agent_form],
                     optional=_optional(*optional), result=answer_only(build), **options)


def _number_once(function: str) -> Callable[[dict[str, Any]], None]:
    """``phone_number`` is a friendly name for the wire's ``value``: take it, once."""
    def adjust(params: dict[str, Any]) -> None:
        number = params.pop("phone_number", None)
        if number is not None:
            if params.get("value") is not None:
                raise refuse(function, "phone_number", "give the number once: phone_number or value")
            params["value"] = number
    return adjust


def _datetime(name: str) -> Callable[[str, Any], str]:
    """``YYYY-MM-DD HH:MM:SS`` of a datetime or text; anything else is refused."""
    def encode(function: str, value: dt.datetime | str) -> str:
        text = value.strftime("%Y-%m-%d %H:%M:%S") if isinstance(value, dt.datetime) else value
        if not _DATETIME.fullmatch(text):
            raise refuse(function, name, f"must be a datetime YYYY-MM-DD HH:MM:SS, got {text!r}")
        return text
    return encode


def _trigger(function: str, flag: Any) -> str | None:
    """A reload trigger: the server reacts to the name whatever the value, so False = not sent."""
    return "1" if flag else None


def _ingroups(function: str, groups: str | Sequence[str]) -> str:
    """In-group ids in VICIdial's `` A B C -`` form (the server skips the first space-split token, so
    the leading space matters). Takes a sequence of ids, or text of space-separated ids."""
    items = groups.split() if isinstance(groups, str) else [str(g) for g in groups]
    items = [g for g in items if g != "-"]
    if not items:
        raise refuse(function, "ingroup_choices", "no in-group ids given")
    for g in items:
        if not re.fullmatch(r"[A-Za-z0-9_\-]{2,}", g):
            raise refuse(function, "ingroup_choices", f"{g!r} is not an in-group id (2+ letters, "
                                                      "digits, - or _)")
    if len(set(items)) != len(items):
        raise refuse(function, "ingroup_choices", "lists an in-group twice")
    return " " + " ".join(items) + " -"


def _multi_dial_phones(function: str, phones: str | Sequence[str]) -> str:
    """Up to 10 numbers of 5-18 digits joined by ``,``; the server silently drops anything else
    (and a number repeated or contained in an earlier one), so such a list is refused."""
    items = phones.split(",") if isinstance(phones, str) else [str(p) for p in phones]
    if not 1 <= len(items) <= 10:
        raise refuse(function, "multi_dial_phones", f"takes 1 to 10 numbers, got {len(items)}")
    kept: list[str] = []
    for p in items:
        if not re.fullmatch(r"[0-9]{5,18}", p):
            raise refuse(function, "multi_dial_phones", f"{p!r} is not a number of 5-18 digits")
        if any(p in k for k in kept):
            raise refuse(function, "multi_dial_phones", f"{p!r} repeats (part of) an earlier number; "
                                                        "the server would drop it")
        kept.append(p)
    return ",".join(items)


def _audio_files(function: str, value: str | Sequence[str]) -> list[str]:
    files = value.split("|") if isinstance(value, str) else [str(v) for v in value]
    for f in files:
        if not re.fullmatch(r"[A-Za-z0-9_\-]+", f):
            raise refuse(function, "value", f"audio file name {f!r} must be letters, digits, - or _")
    return files


def _weights(function: str, value: str | Sequence[str]) -> Sequence[str]:
    return [w for w in re.split(r"[,\s]+", value) if w] if isinstance(value, str) else value


def _both(name: str, other: str, why: str) -> Rule:
    return refuse_if(name, lambda f: bool(f.get(name)) and bool(f.get(other)), why)


def _only_with(name: str, needed: str, why: str) -> Rule:
    return refuse_if(name, lambda f: bool(f.get(name)) and not f.get(needed), why)


def _two_chars(name: str) -> Rule:
    return refuse_if(name, lambda f: len(f.get(name, "xx")) < 2,
                     "is ignored by the server unless it has 2+ characters")


# -- functions without an agent ---------------------------------------------------------------------

VERSION = _op("version", results.AgentApiVersion.from_answer)
WEBSERVER = _op("webserver", results.WebserverInfo.from_answer)
ST_LOGIN_LOG = _op("st_login_log", results.StLoginLogResult.from_answer, _value())
ST_GET_AGENT_ACTIVE_LEAD = _op("st_get_agent_active_lead", results.AgentActiveLead.from_answer, _value())


def _text_weight(spec: FunctionSpec, form: Form, custom: Mapping[str, Any]) -> None:
    for item in form.get("text_weight", "").split(","):
        if item and item not in ("bold", "italic", "underline"):
            raise refuse(spec.name, "text_weight", f"{item!r} is not bold, italic or underline")


def _upper_hex(spec: FunctionSpec, form: Form, custom: Mapping[str, Any]) -> None:
    color = form.get("text_color", "")
    if re.fullmatch(r"[0-9a-fA-F]{3,6}", color) and color != color.upper():
        raise refuse(spec.name, "text_color", "write a hex colour in upper case: the server only "
                                              "treats upper-case hex as a colour code")


def _confetti_only(spec: FunctionSpec, form: Form, custom: Mapping[str, Any]) -> None:
    for name in ("duration", "maxParticleCount", "particleSpeed"):
        if name in form and form.get("show_confetti") != "Y":
            raise refuse(spec.name, name, f"{name} only applies with show_confetti=True")


SEND_NOTIFICATION = _op(
    "send_notification", results.NotificationResult.from_answer,
    needs("notification_text", lambda f: f.get("show_confetti") != "Y",
          "needs notification_text or show_confetti=True"),
    _text_weight, _upper_hex, _confetti_only,
    encode={"notification_date": _datetime("notification_date"), "text_weight": _weights},
)

# -- pause, status, hang up, log out ------------------------------------------------------------------

EXTERNAL_HANGUP = _op("external_hangup", results.AgentCommandResult.from_answer, _value())
EXTERNAL_STATUS = _op(
    "external_status", results.ExternalStatusResult.from_answer, _value(pipe=False),
    *(_only_with(name, "callback_datetime",
                 f"{name} is only used with callback_datetime (the server ignores it otherwise)")
      for name in ("callback_type", "callback_comments")),
    encode={"callback_datetime": _datetime("callback_datetime")},
)
EXTERNAL_PAUSE = _op("external_pause", results.ExternalPauseResult.from_answer, _value())
LOGOUT = _op("logout", results.ExternalPauseResult.from_answer, _value())
PAUSE_CODE = _op("pause_code", results.AgentCommandResult.from_answer, _value(pipe=False))

# -- dialling ---------------------------------------------------------------------------------------


def _dial_target(spec: FunctionSpec, form: Form, custom: Mapping[str, Any]) -> None:
    fn, number = spec.name, form.get("value", "")
    if number and number != "MANUALNEXT" and not number.isdigit():
        raise refuse(fn, "value", f"must be digits only, got {number!r}")
    if not number and not form.get("lead_id"):
        raise refuse(fn, "value", "give phone_number (or value, or \"MANUALNEXT\") or lead_id")
    if form.get("lead_id"):
        if number and form.get("alt_dial") != "SEARCH":
            raise refuse(fn, "value", "with lead_id the number is only used by alt_dial=SEARCH "
                                      "(the lead's own number is dialled)")
        if form.get("phone_code"):
            raise refuse(fn, "phone_code", "with lead_id the lead's own phone_code is used")


EXTERNAL_DIAL = _op(
    "external_dial", results.ExternalDialResult.from_answer,
    digits("lead_id"), _dial_target,
    _only_with("alt_dial", "lead_id", "alt_dial only applies when dialling a lead_id"),
    needs("value", is_("alt_dial", "SEARCH"), "alt_dial=SEARCH needs the number to look for"),
    refuse_if("value", lambda f: f.get("vtiger_callback") == "YES"
              and not f.get("value", "").startswith("99"),
              "vtiger_callback=YES needs 99 followed by the activity ID"),
    refuse_if("vendor_id", lambda f: "!" in f.get("vendor_id", ""),
              "the queued command is '!'-delimited: '!' would break it"),
    _two_chars("group_alias"), _two_chars("outbound_cid"),
    _both("outbound_cid", "group_alias", "outbound_cid forces group_alias to -FORCE-: send one of them"),
    optional=("value",), adjust=_number_once("external_dial"),
    # MANUALNEXT is no phone number: the reference check sees the call without it.
    reference_view=lambda f: {k: v for k, v in f.items() if not (k == "value" and v == "MANUALNEXT")},
)
PREVIEW_DIAL_ACTION = _op("preview_dial_action", results.AgentCommandResult.from_answer, _value())
EXTERNAL_ADD_LEAD = _op(
    "external_add_lead", results.ExternalAddLeadResult.from_answer,
    needs("value", lambda f: True, "give the phone number (value or phone_number)"),
    digits("value"),
    _both("vendor_id", "vendor_lead_code", "vendor_id replaces vendor_lead_code: send one of them"),
    adjust=_number_once("external_add_lead"),
)

# -- in-groups, fields, panels, timers --------------------------------------------------------------

CHANGE_INGROUPS = _op(
    "change_ingroups", results.ChangeIngroupsResult.from_answer,
    needs("ingroup_choices", is_("value", "ADD", "REMOVE"), "ADD and REMOVE need ingroup_choices"),
    encode={"ingroup_choices": _ingroups},
)

# update_fields updates every lead field whose name occurs anywhere in the request text (the body
# as "name=value&..."), case-sensitively for the first group and case-insensitively for the second.
_UPDATE_CASE = ("phone_code", "address1", "address2", "address3", "alt_phone", "city", "comments",
                "country_code", "date_of_birth", "email", "first_name", "gender", "gmt_offset_now",
                "last_name", "middle_initial", "phone_number")
_UPDATE_NOCASE = ("postal_code", "province", "security_phrase", "source_id", "state", "title",
                  "vendor_lead_code", "rank", "owner")
UPDATE_FIELD_NAMES: tuple[str, ...] = _UPDATE_CASE + _UPDATE_NOCASE
"""The lead fields update_fields can write."""
UPDATE_FIELDS_NOCASE: frozenset[str] = frozenset(_UPDATE_NOCASE)
"""The fields whose name the server searches for without regard to case."""
_RELOADS = ("formreload", "scriptreload", "script2reload", "emailreload", "chatreload",
            "callbacksreload")


def update_fields_collisions(form: Mapping[str, str], others: Mapping[str, str]) -> list[tuple[str, str]]:
    """``(field, where)`` for each lead field not sent whose name the server would still find in the
    request text, so that it would set that field to an empty value.

    ``others`` are the other fields of the body (function, agent_user ...); ``where`` names the
    parameter whose name or value holds the field name.
    """
    pairs = {**others, **form}
    out: list[tuple[str, str]] = []
    for field in UPDATE_FIELD_NAMES:
        if field in form:
            continue
        nocase = field in UPDATE_FIELDS_NOCASE
        needle = field.lower() if nocase else field
        for key, value in pairs.items():
            text = f"{key}={value}"
            if needle in (text.lower() if nocase else text):
                out.append((field, key))
                break
    return out


def refuse_update_collision(function: str, field: str, where: str) -> InvalidParameterError:
    """The error for a lead field the server would empty by accident."""
    return refuse(function, where, f"the server updates every lead field whose name appears anywhere "
                                   f"in the request, so {field!r} (found in {where}) would be set to "
                                   f"an empty value; send {field} too, or change {where}")


def _fields_given(spec: FunctionSpec, form: Form, custom: Mapping[str, Any]) -> None:
    if not [k for k in form if k != "agent_user" and not k.endswith("reload")]:
        raise refuse(spec.name, "first_name", "give at least one lead field (use refresh_panel to "
                                              "only reload panels)")
    for field, where in update_fields_collisions(form, {"function": spec.name}):
        raise refuse_update_collision(spec.name, field, where)


_TRIGGERS = dict.fromkeys(_RELOADS, _trigger)
UPDATE_FIELDS = _op("update_fields", results.UpdateFieldsResult.from_answer, _fields_given, encode=_TRIGGERS)
REFRESH_PANEL = _op(
    "refresh_panel", results.RefreshPanelResult.from_answer,
    refuse_if("formreload", lambda f: not any(f.get(n) for n in _RELOADS),
              "choose at least one panel to reload"),
    encode=_TRIGGERS,
)
SET_TIMER_ACTION = _op("set_timer_action", results.SetTimerActionResult.from_answer,
                       _only_with("notes", "value", "notes needs an action"))

# -- call control -----------------------------------------------------------------------------------


def _stage_target(stage: str, name: str) -> list[Rule]:
    return [needs(name, is_("stage", stage), f"{stage} needs {name}"),
            refuse_if(name, lambda f: bool(f.get(name)) and f.get("stage") != stage,
                      f"{name} is only used by {stage}")]


RA_CALL_CONTROL = _op("ra_call_control", results.RaCallControlResult.from_answer, _value(pipe=False),
                      *_stage_target("EXTENSIONTRANSFER", "phone_number"),
                      *_stage_target("INGROUPTRANSFER", "ingroup_choices"))
SEND_DTMF = _op("send_dtmf", results.AgentCommandResult.from_answer,
                _value(pipe=False, hint=" (write P for #, S for *, Q for a second of silence)"))
PARK_CALL = _op("park_call", results.AgentCommandResult.from_answer, _value())

_DIAL_VALUES = ("DIAL_WITH_CUSTOMER", "PARK_CUSTOMER_DIAL")
_HANGUP_VALUES = ("HANGUP_XFER", "HANGUP_BOTH", "LEAVE_VM", "LEAVE_3WAY_CALL")


def _transfer(spec: FunctionSpec, form: Form, custom: Mapping[str, Any]) -> None:
    fn, action = spec.name, form.get("value", "")
    consult = _given(form, "consultative")
    in_group = action == "LOCAL_CLOSER" or (action in _DIAL_VALUES and consult)
    if action in _HANGUP_VALUES:
        for name in ("phone_number", "ingroup_choices", "consultative", "dial_override",
                     "group_alias", "cid_choice", "multi_dial_phones", "md_check"):
            if _given(form, name):
                raise refuse(fn, name, f"{action} ignores {name}")
    if consult and action not in _DIAL_VALUES:
        raise refuse(fn, "consultative", "consultative only applies to DIAL_WITH_CUSTOMER and "
                                         "PARK_CUSTOMER_DIAL")
    if in_group and len(form.get("ingroup_choices", "")) < 2:
        raise refuse(fn, "ingroup_choices", f"{action} to an in-group needs ingroup_choices "
                                            "(an in-group id or DEFAULTINGROUP)")
    if form.get("ingroup_choices") and not in_group:
        raise refuse(fn, "ingroup_choices", "ingroup_choices is only used by LOCAL_CLOSER and "
                                            "consultative dials")
    if action in ("BLIND_TRANSFER", *_DIAL_VALUES) and not in_group and not form.get("phone_number"):
        raise refuse(fn, "phone_number", f"{action} needs phone_number")
    if _given(form, "dial_override") and in_group:
        raise refuse(fn, "dial_override", "dial_override is not used on the in-group path")
    if form.get("multi_dial_phones") and action not in _DIAL_VALUES:
        raise refuse(fn, "multi_dial_phones", "multi_dial_phones only applies to dials")
    if _given(form, "md_check") and not form.get("multi_dial_phones"):
        raise refuse(fn, "md_check", "md_check only applies with multi_dial_phones")


TRANSFER_CONFERENCE = _op("transfer_conference", results.TransferConferenceResult.from_answer, _transfer,
                          _two_chars("group_alias"),
                          encode={"multi_dial_phones": _multi_dial_phones})
RECORDING = _op(
    "recording", results.RecordingResult.from_answer, _value(),
    refuse_if("stage", lambda f: "stage" in f and f.get("value") != "START",
              "stage is only used with START"),
    # STATUS changes nothing: a lost answer is asked again (START/STOP are never resent).
    resend=ResendPolicy(applies=is_("value", "STATUS"), recover=lambda exc, form: None),
)
WEBPHONE_URL = _op("webphone_url", results.WebphoneUrlResult.from_answer, _value())
CALL_AGENT = _op("call_agent", results.AgentCommandResult.from_answer, _value())


def _play_only(spec: FunctionSpec, form: Form, custom: Mapping[str, Any]) -> None:
    if form.get("stage") != "PLAY":
        for name in ("value", "dial_override"):
            if _given(form, name):
                raise refuse(spec.name, name, f"{name} is only used with PLAY")


AUDIO_PLAYBACK = _op("audio_playback", results.AudioPlaybackResult.from_answer, _value(pipe=False),
                     needs("value", is_("stage", "PLAY"), "PLAY needs the audio file name"),
                     _play_only)
SWITCH_LEAD = _op(
    "switch_lead", results.SwitchLeadResult.from_answer, digits("lead_id"),
    refuse_if("lead_id", lambda f: not f.get("lead_id") and not f.get("vendor_lead_code"),
              "give lead_id or vendor_lead_code"),
    _both("lead_id", "vendor_lead_code",
          "give lead_id or vendor_lead_code, not both (the server would use vendor_lead_code)"),
    optional=("lead_id",),
)
VM_MESSAGE = _op("vm_message", results.VmMessageResult.from_answer, digits("lead_id"),
                 encode={"value": _audio_files})
CALLS_IN_QUEUE_COUNT = _op("calls_in_queue_count", results.CallsInQueueCount.from_answer, _value())


def _fronter(function: str) -> Operation[Any, results.FronterResult]:
    return _op(function, results.FronterResult.from_answer, digits("lead_id"),
               refuse_if("lead_id", lambda f: is_("value", "CCC_REMOTE")(f) != has("lead_id")(f),
                         "lead_id is required with CCC_REMOTE and only used there"))


FORCE_FRONTER_LEAVE_3WAY = _fronter("force_fronter_leave_3way")
FORCE_FRONTER_AUDIO_STOP = _fronter("force_fronter_audio_stop")
