"""Characters the server keeps in each lead field, and the check that refuses silent alterations.

VICIdial filters lead fields through allow-lists and drops everything else without an error (seen
on a real server: ``José`` is stored as ``Jos``, ``&`` vanishes, ``+`` and ``%2B`` arrive as a space).
A loader that sends such a value silently stores something else, so we refuse it before sending and
name the field and the characters.
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Mapping

import attrs

from ..errors import InvalidParameterError

__all__ = ["FIELD_CHARS", "LEAD_COLUMNS", "LEAD_FIELD_EXTRA_CHARS", "VICIDIAL_LIST_COLUMNS",
           "FieldChars", "VicidialDataWarning", "check_lead_fields"]


class VicidialDataWarning(UserWarning):
    """A value will be stored as sent but is known to cause trouble later on the server."""


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
# fields otherwise: (characters kept besides ASCII letters and digits, whether letters are kept at
# all: False = upper-case letters only / digits only). Every other field is filtered alike.
_AGENT_DIFFERENT: dict[str, tuple[str, str]] = {
    "middle_initial": ("", "A-Za-z0-9"),
    "postal_code": (" -", "A-Za-z0-9"),
    "country_code": ("", "A-Z"),
    "gender": ("", "A-Z"),
    "gmt_offset_now": ("-_.", "0-9"),
    "callback_comments": (" -._", "A-Za-z0-9"),
}
# Free-text fields: everything is kept except these (the Agent API also trips on a backslash).
_STRIPPED_FROM_FREE_TEXT: dict[str, str] = {
    "comments": ';#"+',
    "vendor_lead_code": ';#"+',
    "source_id": ';#"+',
}
_AGENT_FREE_TEXT = ';#+"\\'
_AGENT_FREE_TEXT_FIELDS = ("comments", "vendor_id", "vendor_lead_code", "source_id", "notification_text")
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
    """What the server keeps of one field: characters of the regex class ``allowed`` (``what`` in
    words); ``stripped`` instead lists what it removes from a free-text field."""

    allowed: re.Pattern[str] | None
    what: str
    stripped: str = ""
    warn_apostrophe: bool = False


def _table(api: str) -> dict[str, FieldChars]:
    out: dict[str, FieldChars] = {}
    for name, extra in LEAD_FIELD_EXTRA_CHARS.items():
        base = "A-Za-z0-9"
        if api == "agent" and name in _AGENT_DIFFERENT:
            extra, base = _AGENT_DIFFERENT[name]
        out[name] = FieldChars(re.compile(f"[{base}{re.escape(extra)}]"), _words(base, extra),
                               warn_apostrophe=name in _WARN_APOSTROPHE and "'" in extra)
    if api == "agent":
        for name in set(_AGENT_DIFFERENT) - set(out):
            extra, base = _AGENT_DIFFERENT[name]
            out[name] = FieldChars(re.compile(f"[{base}{re.escape(extra)}]"), _words(base, extra))
        for name in _AGENT_FREE_TEXT_FIELDS:
            out[name] = FieldChars(None, "", _AGENT_FREE_TEXT)
    else:
        for name, stripped in _STRIPPED_FROM_FREE_TEXT.items():
            out[name] = FieldChars(None, "", stripped)
    return out


FIELD_CHARS: dict[str, dict[str, FieldChars]] = {api: _table(api) for api in ("non_agent", "agent")}
"""Per API, what the server keeps of each lead field (the one table of these rules)."""


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
    for name, value in form.items():
        rule = table.get(name)
        if rule is None or value == "--BLANK--":
            continue
        if rule.allowed is not None:
            allowed = rule.allowed.fullmatch
            bad = sorted({c for c in value if not allowed(c)})
            why = "the server keeps only {} and would silently drop {}"
        else:
            bad = sorted({c for c in value if c in rule.stripped})
            why = "the server would drop or alter {1} (it removes ; # and quotes, '+' becomes a space)"
        if bad:
            shown = " ".join(repr(c) for c in bad)
            raise InvalidParameterError(function, why.format(rule.what, shown), parameter=name,
                                        sent=False)
        if rule.warn_apostrophe and "'" in value:
            warnings.warn(f"{function}: an apostrophe in {name} is stored, but lead_all_info then "
                          "fails for that lead on PHP 8 servers", VicidialDataWarning, stacklevel=4)
