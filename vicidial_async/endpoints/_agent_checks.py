"""Checks of Agent API values the reference's limits cannot express.

``agc/api.php`` keeps an allow-list of characters per parameter and drops the rest without a word
(``value`` keeps letters, digits, ``-``, ``_`` and ``|`` only), turns ``+`` into a space in many
text fields, and never honours ``--BLANK--``. Everything here raises
:class:`~vicidial_async.InvalidParameterError` (``sent=False``, naming the parameter) before
anything is sent, so a command never reaches an agent's screen altered.
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Mapping, Sequence

from ..errors import InvalidParameterError
from ..protocol.lead_fields import VicidialDataWarning
from ..protocol.params import BLANK
from ._guards import check_chars, refuse

__all__ = [
    "UPDATE_FIELD_NAMES",
    "UPDATE_FIELDS_NOCASE",
    "check_agent_form",
    "check_digits",
    "check_value",
    "ingroup_list",
    "multi_dial_phones",
    "not_with",
    "only_with",
    "refuse_update_collision",
    "trigger",
    "update_fields_collisions",
]

_AZ09 = "A-Za-z0-9"
_NAME = _AZ09 + r" \-'_."
_ADDRESS = _AZ09 + r" \-'.:/@_"

# What the server keeps of each parameter (regex class) and the same in words. From the
# reference's input-filtering notes (use_non_latin off).
_KEPT: dict[str, tuple[str, str]] = {
    "title": (_NAME, "letters, digits, space and - ' _ ."),
    "first_name": (_NAME, "letters, digits, space and - ' _ ."),
    "last_name": (_NAME, "letters, digits, space and - ' _ ."),
    "alt_phone": (_NAME, "letters, digits, space and - ' _ ."),
    "middle_initial": (_AZ09, "letters and digits"),
    "address1": (_ADDRESS, "letters, digits, space and - ' . : / @ _"),
    "address2": (_ADDRESS, "letters, digits, space and - ' . : / @ _"),
    "address3": (_ADDRESS, "letters, digits, space and - ' . : / @ _"),
    "city": (_ADDRESS, "letters, digits, space and - ' . : / @ _"),
    "security_phrase": (_ADDRESS, "letters, digits, space and - ' . : / @ _"),
    "owner": (_ADDRESS, "letters, digits, space and - ' . : / @ _"),
    "email": (_AZ09 + r" \-'.:/@%_", "letters, digits, space and - ' . : / @ % _"),
    "state": (_AZ09 + r" \-", "letters, digits, space and -"),
    "province": (_AZ09 + r" \-'._", "letters, digits, space and - ' . _"),
    "postal_code": (_AZ09 + r" \-", "letters, digits, space and -"),
    "country_code": ("A-Z", "upper-case letters"),
    "gender": ("A-Z", "upper-case letters"),
    "gmt_offset_now": (r"0-9\-_.", "digits and - _ ."),
    "notes": (_AZ09 + r" \-._", "letters, digits, space and - . _"),
    "callback_comments": (_AZ09 + r" \-._", "letters, digits, space and - . _"),
    "qm_dispo_code": (_AZ09 + r"\-._", "letters, digits and - . _"),
    "status": (_AZ09 + r"_\-", "letters, digits, - and _"),
    "outbound_cid": (_AZ09 + r"_\-", "letters, digits, - and _"),
    "dial_ingroup": (_AZ09 + r"_\-", "letters, digits, - and _"),
    "recipient": (_AZ09 + r"_\-", "letters, digits, - and _"),
    "dial_prefix": (_AZ09, "letters and digits"),
    "group_alias": (_AZ09, "letters and digits"),
    "alt_user": (_AZ09, "letters and digits"),
    "lead_id": ("0-9", "digits"),
    "text_font": (r"A-Za-z ,\-", "letters, space, ',' and '-'"),
    "text_color": (_AZ09, "letters and digits"),
    "agent_debug": (_AZ09 + r" \-.:|_", "letters, digits, space and - . : | _"),
}
# Free text: everything is kept except ';' and '#', and '+' becomes a space. A double quote or a
# backslash would break the server's SQL string, so they are refused too.
_FREE_TEXT = frozenset({"comments", "vendor_id", "vendor_lead_code", "source_id", "notification_text"})
_FREE_TEXT_BAD = ';#+"\\'
# stage (recording, force_fronter_audio_stop) only loses quotes, backslash and ';'.
_STAGE_BAD = "'\"\\;"
_APOSTROPHE_WARNED = frozenset({"title", "first_name", "last_name", "address1", "address2", "address3",
                                "city", "security_phrase", "owner", "province", "alt_phone", "email"})
_VALUE = _AZ09 + r"_\-|"
_NEGATIVE = re.compile(r"-\d+")


def check_agent_form(function: str, form: Mapping[str, str], *, lead_fields: bool = False) -> None:
    """Refuse every value of ``form`` the server would alter; warn about apostrophes in lead fields.

    ``value`` is checked by :func:`check_value`, with the character set of each function.
    """
    for name, text in form.items():
        if text == BLANK:
            raise refuse(function, name, f"the Agent API never empties a field with {BLANK}: it "
                                         "would store or mangle the text (send \"\" to empty it)")
        kept = _KEPT.get(name)
        if kept is not None:
            check_chars(function, form, name, kept[0], kept[1])
        elif name in _FREE_TEXT:
            bad = sorted({c for c in text if c in _FREE_TEXT_BAD})
            if bad:
                raise refuse(function, name, f"the server would drop or alter {''.join(bad)!r} "
                                             "(';' and '#' are removed, '+' becomes a space)")
        elif name == "stage" and any(c in _STAGE_BAD for c in text):
            raise refuse(function, name, "the server removes quotes, backslashes and ';' from stage")
        elif name == "phone_number" and text and not re.fullmatch("[0-9]+", text):
            raise refuse(function, name, f"must be digits only, got {text!r}")
        if _NEGATIVE.fullmatch(text) and name in ("rank", "text_size", "duration", "maxParticleCount",
                                                  "particleSpeed"):
            raise refuse(function, name, "the server keeps digits only, so a minus sign is dropped")
        if lead_fields and name in _APOSTROPHE_WARNED and "'" in text:
            warnings.warn(f"{function}: an apostrophe in {name} is stored, but lead_all_info then "
                          "fails for that lead on PHP 8 servers", VicidialDataWarning, stacklevel=4)


def check_value(function: str, form: Mapping[str, str], *, pipe: bool = True,
                hint: str = "") -> None:
    """Refuse a ``value`` holding characters outside letters, digits, ``-``, ``_`` (and ``|``)."""
    text = form.get("value", "")
    allowed = _VALUE if pipe else _AZ09 + r"_\-"
    bad = sorted({c for c in text if not re.fullmatch(f"[{allowed}]", c)})
    if bad:
        what = "letters, digits, - and _" + (" and |" if pipe else "")
        raise refuse(function, "value", f"the server keeps only {what} of value and would silently "
                                        f"drop {''.join(bad)!r}{hint}")


def check_digits(function: str, name: str, text: str | None) -> None:
    """Refuse a number that is not plain digits (the server keeps only the digits)."""
    if text and not re.fullmatch("[0-9]+", text):
        raise refuse(function, name, f"must be digits only, got {text!r}")


def only_with(function: str, form: Mapping[str, str], name: str, needed: str, why: str) -> None:
    """Refuse ``name`` when ``needed`` is not sent (the server would ignore ``name``)."""
    if form.get(name) and not form.get(needed):
        raise refuse(function, name, why)


def not_with(function: str, form: Mapping[str, str], name: str, other: str, why: str) -> None:
    """Refuse sending both ``name`` and ``other``."""
    if form.get(name) and form.get(other):
        raise refuse(function, name, why)


def trigger(flag: bool | None) -> str | None:
    """A reload trigger: the server reacts to the name whatever the value, so False = not sent."""
    return "1" if flag else None


def ingroup_list(function: str, groups: str | Sequence[str] | None) -> str | None:
    """In-group ids in VICIdial's `` A B C -`` form (the server skips the first space-split token, so
    the leading space matters). Takes a sequence of ids, or text of space-separated ids."""
    if groups is None:
        return None
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


def multi_dial_phones(function: str, phones: str | Sequence[str] | None) -> str | None:
    """Up to 10 numbers of 5-18 digits joined by ``,``; the server silently drops anything else
    (and a number repeated or contained in an earlier one), so such a list is refused."""
    if phones is None:
        return None
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
