"""Characters the server keeps in each lead field, and the check that refuses silent alterations.

VICIdial filters lead fields through allow-lists and drops everything else without an error (seen
on a real server: ``José`` is stored as ``Jos``, ``&`` vanishes, ``+`` and ``%2B`` arrive as a space).
A loader that sends such a value silently stores something else, so we refuse it before sending and
name the field and the characters.
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping
from contextvars import ContextVar, Token

from ..errors import InvalidParameterError

__all__ = ["LEAD_COLUMNS", "LEAD_FIELD_EXTRA_CHARS", "VICIDIAL_LIST_COLUMNS", "VicidialDataWarning",
           "check_lead_fields"]


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
# Besides ASCII letters and digits, which characters survive in each field.
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
# Free-text fields: everything is kept except these.
_STRIPPED_FROM_FREE_TEXT: dict[str, str] = {
    "comments": ';#"+',
    "vendor_lead_code": ';#"+',
    "source_id": ';#"+',
}
_WARN_APOSTROPHE = frozenset({"title", "first_name", "last_name", "address1", "address2", "address3",
                              "city", "security_phrase", "owner", "province", "postal_code",
                              "alt_phone", "email"})


def _alnum_ascii(c: str) -> bool:
    return c.isascii() and c.isalnum()


def check_lead_fields(function: str, form: Mapping[str, str]) -> None:
    """Refuse lead field values the server would alter; warn about apostrophes.

    >>> check_lead_fields("add_lead", {"first_name": "Ann"})
    >>> check_lead_fields("add_lead", {"first_name": "José"})  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    vicidial_async.errors.InvalidParameterError: add_lead: the server would drop 'é' ... [first_name]
    """
    for name, value in form.items():
        if value == "--BLANK--" or (value.isascii() and value.isalnum()):
            continue  # plain letters and digits survive in every field and hold no apostrophe
        allowed = LEAD_FIELD_EXTRA_CHARS.get(name)
        if allowed is not None:
            bad = sorted({c for c in value if not (_alnum_ascii(c) or c in allowed)})
        else:
            stripped = _STRIPPED_FROM_FREE_TEXT.get(name)
            if stripped is None:
                continue
            bad = sorted({c for c in value if c in stripped})
        if bad:
            shown = " ".join(repr(c) for c in bad)
            raise InvalidParameterError(function, f"the server would drop {shown} from this value",
                                        parameter=name, sent=False)
        if name in _WARN_APOSTROPHE and "'" in value:
            data_warning(f"{function}: an apostrophe in {name} is stored, but lead_all_info then "
                         "fails for that lead on PHP 8 servers", stacklevel=4)
