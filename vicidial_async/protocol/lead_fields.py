"""Characters the server keeps in each lead field, and the check that refuses silent alterations.

VICIdial filters lead fields through allow-lists and drops everything else without an error (seen
on a real server: ``José`` is stored as ``Jos``, ``&`` vanishes, ``+`` and ``%2B`` arrive as a space).
A loader that sends such a value silently stores something else, so we refuse it before sending and
name the field and the characters.
"""

from __future__ import annotations

import re
import string
import warnings
from collections.abc import Mapping
from contextvars import ContextVar, Token

import attrs

from ..errors import InvalidParameterError

__all__ = ["FIELD_CHARS", "LEAD_COLUMNS", "LEAD_FIELD_EXTRA_CHARS", "VICIDIAL_LIST_COLUMNS",
           "FieldChars", "VicidialDataWarning", "check_lead_fields"]


class VicidialDataWarning(UserWarning):
    """A value will be stored as sent but is known to cause trouble later on the server."""


# Operation.prepare collects the data warnings of its checks here: cheaper than
# warnings.catch_warnings on every call, and safe when calls run concurrently (a context variable).
_collected: ContextVar[list[Warning] | None] = ContextVar("vicidial_data_warnings", default=None)


def data_warning(message: str, *, stacklevel: int = 2) -> None:
    """Issue a :class:`VicidialDataWarning`, or hand it to the ``Operation.prepare`` collecting it."""
    sink = _collected.get()
    if sink is not None:
        sink.append(VicidialDataWarning(message))
    else:
        warnings.warn(message, VicidialDataWarning, stacklevel=stacklevel + 1)


def collect_data_warnings(sink: list[Warning] | None) -> Token[list[Warning] | None]:
    """Send the data warnings issued from now on to ``sink`` (``None``: issue them); returns the
    token that restores the previous state (``_collected.reset(token)``)."""
    return _collected.set(sink)


def stop_collecting(token: Token[list[Warning] | None]) -> None:
    """Undo :func:`collect_data_warnings`."""
    _collected.reset(token)


_NAME = " -'_."
_ADDRESS = " -'.:/@_"
# Besides ASCII letters and digits, which characters survive in each field of the Non-Agent API
# (add_lead, update_lead, batch_update_lead).
LEAD_FIELD_EXTRA_CHARS: dict[str, str] = {
    "title": _NAME,
    "first_name": _NAME,
    "last_name": _NAME,
    "middle_initial": "-_",
    "address1": _ADDRESS,
    "address2": _ADDRESS,
    "address3": _ADDRESS,
    "city": _ADDRESS,
    "security_phrase": _ADDRESS,
    "owner": _ADDRESS,
    "state": " -",
    "province": " -'._",
    "postal_code": " -'",
    "country_code": "-_",
    "alt_phone": _NAME,
    "email": " -'.:/@%_",
    # Lead-related values of add_lead / update_lead / batch_update_lead besides the lead columns.
    "status": "-_",
    "user_field": "-_",
    "callback_status": "-_",
    "callback_comments": " -+.:/@_",
    "multi_alt_phones": " -!:_",
}
# The Agent API (agc/api.php: external_add_lead, update_fields, external_status) filters these
# fields otherwise: (characters kept besides the base class, the base class). Every other field is
# filtered alike.
_AGENT_DIFFERENT: dict[str, tuple[str, str]] = {
    "middle_initial": ("", "A-Za-z0-9"),
    "postal_code": (" -", "A-Za-z0-9"),
    "country_code": ("", "A-Z"),
    "gmt_offset_now": ("-_.", "0-9"),
    "callback_comments": (" -._", "A-Za-z0-9"),
}
_BOTH: dict[str, tuple[str, str]] = {"gender": ("", "A-Z")}
# Free-text fields: everything is kept except these; the Agent API's are also refused with a
# backslash, which breaks its SQL string.
_FREE_TEXT = ("comments", "vendor_lead_code", "source_id")
_AGENT_FREE_TEXT = ("comments", "vendor_id", "vendor_lead_code", "source_id", "notification_text")
_FREE_TEXT_DROPPED = ';#"'
# Fields in which the server turns '+' (even sent as %2B) into a space.
_PLUS_TO_SPACE: dict[str, frozenset[str]] = {
    "non_agent": frozenset({"title", "first_name", "last_name", "alt_phone", "address1", "address2",
                            "address3", "city", "security_phrase", "owner", "email", "province",
                            "postal_code", *_FREE_TEXT}),
    "agent": frozenset({"notes", "callback_comments", "first_name", "last_name", "address1",
                        "address2", "address3", "city", "province", "postal_code", "alt_phone",
                        "email", "security_phrase", "owner", *_AGENT_FREE_TEXT}),
}
_WARN_APOSTROPHE = frozenset({"title", "first_name", "last_name", "address1", "address2", "address3",
                              "city", "security_phrase", "owner", "province", "postal_code",
                              "alt_phone", "email"})


def _words(base: str, extra: str) -> str:
    """``letters, digits, space and - ' _ .`` for what a field keeps."""
    kinds = {"A-Za-z0-9": ["letters", "digits"], "A-Z": ["upper-case letters"], "0-9": ["digits"]}[base]
    if " " in extra:
        kinds.append("space")
    rest = " ".join(c for c in extra if c != " ")
    if not rest:
        return " and ".join([", ".join(kinds[:-1]), kinds[-1]] if len(kinds) > 1 else kinds)
    return f"{', '.join(kinds)} and {rest}"


@attrs.frozen(slots=True)
class FieldChars:
    """What the server does to the text of one field: it turns ``+`` into a space where
    ``plus_to_space``, then removes every character ``dropped`` matches. ``what`` says in words what
    it keeps (empty for free text, which loses only a few characters); ``refused`` are characters it
    keeps but that break its handling of the value."""

    dropped: re.Pattern[str]
    what: str = ""
    plus_to_space: bool = False
    refused: str = ""
    warn_apostrophe: bool = False

    def stored(self, text: str) -> str:
        """What the server stores of ``text`` (the fake server's input filter)."""
        return self.dropped.sub("", text.replace("+", " ") if self.plus_to_space else text)

    def altered(self, text: str) -> list[str]:
        """The characters of ``text`` the server would drop or change (or that are refused)."""
        return sorted({c for c in text if self.dropped.match(c) or c in self.refused
                       or (c == "+" and self.plus_to_space)})


def _table(api: str) -> dict[str, FieldChars]:
    plus = _PLUS_TO_SPACE[api]
    kept = {name: (extra, "A-Za-z0-9") for name, extra in LEAD_FIELD_EXTRA_CHARS.items()}
    kept.update(_BOTH)
    if api == "agent":
        kept.update(_AGENT_DIFFERENT)
    out = {name: FieldChars(re.compile(f"[^{base}{re.escape(extra)}]"), _words(base, extra),
                            name in plus, warn_apostrophe=name in _WARN_APOSTROPHE and "'" in extra)
           for name, (extra, base) in kept.items()}
    free = re.compile(f"[{re.escape(_FREE_TEXT_DROPPED)}]")
    for name in _AGENT_FREE_TEXT if api == "agent" else _FREE_TEXT:
        out[name] = FieldChars(free, plus_to_space=True, refused="\\" if api == "agent" else "")
    return out


FIELD_CHARS: dict[str, dict[str, FieldChars]] = {api: _table(api) for api in ("non_agent", "agent")}
# The fields that keep every ASCII letter and digit: a value made of those alone needs no check.
_ALNUM_KEPT: dict[str, frozenset[str]] = {
    api: frozenset(name for name, rule in rules.items()
                   if not rule.altered(string.ascii_letters + string.digits))
    for api, rules in FIELD_CHARS.items()}
"""Per API, what the server does to each lead field's text: the one table of these rules (the
client refuses what it would alter, the fake server applies it)."""


# Columns of vicidial_list, in table order (the fake server prints leads in this order).
VICIDIAL_LIST_COLUMNS: tuple[str, ...] = (
    "lead_id", "entry_date", "modify_date", "status", "user", "vendor_lead_code", "source_id",
    "list_id", "gmt_offset_now", "called_since_last_reset", "phone_code", "phone_number", "title",
    "first_name", "middle_initial", "last_name", "address1", "address2", "address3", "city", "state",
    "province", "postal_code", "country_code", "gender", "date_of_birth", "alt_phone", "email",
    "security_phrase", "comments", "called_count", "last_local_call_time", "rank", "owner",
    "entry_list_id",
)
# A custom field with one of these labels is skipped by the server.
LEAD_COLUMNS: frozenset[str] = frozenset(VICIDIAL_LIST_COLUMNS)


def check_lead_fields(function: str, form: Mapping[str, str], *, api: str = "non_agent") -> None:
    """Refuse lead field values the server would alter; warn about apostrophes.

    >>> check_lead_fields("add_lead", {"first_name": "Ann"})
    >>> check_lead_fields("add_lead", {"first_name": "José"})  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    vicidial_async.errors.InvalidParameterError: add_lead: the server keeps only ... 'é' [first_name]
    """
    table = FIELD_CHARS[api]
    safe = _ALNUM_KEPT[api]
    for name, value in form.items():
        rule = table.get(name)
        if rule is None or value == "--BLANK--" or (
                value.isascii() and value.isalnum() and name in safe):
            continue  # plain letters and digits: kept by this field, and no apostrophe
        if (rule.dropped.search(value) is None and not (rule.plus_to_space and "+" in value)
                and not (rule.refused and any(c in value for c in rule.refused))):
            bad: list[str] = []  # nothing altered: one scan instead of a match per character
        else:
            bad = rule.altered(value)
        if bad:
            shown = " ".join(repr(c) for c in bad)
            why = (f"the server keeps only {rule.what} and would silently drop {shown}" if rule.what
                   else f"the server would drop or alter {shown} (it removes ; # and quotes, '+' "
                        "becomes a space)")
            raise InvalidParameterError(function, why, parameter=name, sent=False)
        if rule.warn_apostrophe and "'" in value:
            data_warning(f"{function}: an apostrophe in {name} is stored, but lead_all_info then "
                         "fails for that lead on PHP 8 servers", stacklevel=4)
