"""Encoding Python values into form fields, and checking them against the reference before sending.

Everything here raises :class:`~vicidial_async.InvalidParameterError` (with ``sent=False`` and the
parameter's name) before any I/O. The server silently strips or alters many values and does not
enforce most documented limits, so this is the only guard a caller has.
"""

from __future__ import annotations

import datetime as dt
import enum
import re
from collections.abc import Collection, Mapping, Sequence
from typing import Any

from ..errors import InvalidParameterError
from .registry import FunctionSpec, ParamSpec, common_params

__all__ = ["BLANK", "build_form", "check_blank", "encode_value", "validate_form", "validate_value"]

_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_DATETIME = re.compile(r"\d{4}-\d{2}-\d{2}[ +]\d{2}:\d{2}:\d{2}")
_DAY_WINDOW = re.compile(r"(\d+)DAY$")
_ID = re.compile(r"[A-Za-z0-9_\-]*")
BLANK = "--BLANK--"


def _refuse(spec: FunctionSpec, name: str, why: str) -> InvalidParameterError:
    return InvalidParameterError(spec.name, why, parameter=name, sent=False)


def encode_value(spec: FunctionSpec, name: str, value: Any) -> str:
    """The wire text of one value: bool -> Y/N (or YES/NO), dates ISO, sequences joined."""
    kind = type(value)
    if kind is str:  # most values, checked first (exact types: not a str enum, not a bool)
        return value  # type: ignore[no-any-return]
    if kind is int:
        return str(value)
    p = spec.param_map.get(name)
    if isinstance(value, bool):
        if p is not None and p.choices and "YES" in p.choices:
            return "YES" if value else "NO"
        return "Y" if value else "N"
    if isinstance(value, enum.Enum):
        return str(value.value)
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, (int, float)):
        return str(value)
    if isinstance(value, str):
        return value
    if isinstance(value, Sequence):
        sep = p.separator if p is not None and p.separator is not None else ","
        items = [encode_value(spec, name, v) for v in value]
        choices = p.choices if p is not None and p.choices else ()
        for item in items:
            # A choice may itself hold the separator (update_lead's search_method joins LEAD_ID and
            # PHONE_NUMBER with '_'); an empty separator glues names (check_phone_number's tz_method).
            if sep and sep in item and item not in choices:
                raise _refuse(spec, name, f"list item {item!r} contains the separator {sep!r}")
        return sep.join(items)
    raise _refuse(spec, name, f"cannot send a value of type {type(value).__name__}")


def _check_list_items(spec: FunctionSpec, p: ParamSpec, text: str) -> None:
    assert p.separator is not None and p.choices is not None
    if not p.separator or any(p.separator in c for c in p.choices):
        # Items cannot be split apart: the value must be choices joined by the separator.
        alts = "|".join(re.escape(c) for c in sorted(p.choices, key=len, reverse=True) if c)
        sep = re.escape(p.separator)
        if not re.fullmatch(f"(?:{alts})(?:{sep}(?:{alts}))*", text):
            raise _refuse(spec, p.name, f"{text!r} is not made of {', '.join(p.choices)} joined by "
                                        f"{p.separator!r}")
        return
    for item in text.split(p.separator):
        if item in p.choices:
            continue
        # duplicate_check accepts a day window appended to a check, e.g. DUPSYS90DAY.
        m = _DAY_WINDOW.search(item)
        if p.name == "duplicate_check" and ((m and item[: m.start()] in p.choices) or (m and m.start() == 0)):
            continue
        raise _refuse(spec, p.name, f"{item!r} is not one of {', '.join(p.choices)}")


_SHAPED = frozenset({"digits", "phone", "int", "id", "date", "datetime"})
"""The kinds whose text has a shape to check (most parameters are ``text``, ``enum`` or ``yn``)."""


def validate_value(spec: FunctionSpec, p: ParamSpec, text: str) -> None:
    """Check one encoded value against the reference's limits for that parameter."""
    # validate_form skips this call for a parameter with no shape, choices or min_len, and checks
    # its max_len inline: a new kind of limit here must be named in that test too.
    name = p.name
    if text == BLANK and not p.required and spec.effect == "write":
        return  # checked per function by the endpoint layer, which knows where it is honoured
    if text:
        if p.kind in _SHAPED:
            _check_shape(spec, p, text)
        if p.choices is not None:
            if p.kind == "list" and p.separator is not None:
                _check_list_items(spec, p, text)
            elif text not in p.choices:
                raise _refuse(spec, name, f"must be one of {', '.join(repr(c) for c in p.choices)}, "
                                          f"got {text!r}")
        if p.min_len is not None and len(text) < p.min_len:
            raise _refuse(spec, name, f"must be at least {p.min_len} characters, got {len(text)}")
    if p.max_len is not None and len(text) > p.max_len:
        raise _refuse(spec, name, f"must be at most {p.max_len} characters, got {len(text)}")


def _check_shape(spec: FunctionSpec, p: ParamSpec, text: str) -> None:
    name, kind = p.name, p.kind
    if kind == "digits" and not text.isdigit():
        raise _refuse(spec, name, f"must be digits only, got {text!r}")
    if kind == "phone" and not text.replace(",", "").isdigit():
        raise _refuse(spec, name, f"must be digits only, got {text!r}")
    if kind == "int":
        try:
            number = int(text)
        except ValueError:
            raise _refuse(spec, name, f"must be a whole number, got {text!r}") from None
        if p.min is not None and number < p.min:
            raise _refuse(spec, name, f"must be >= {p.min}, got {number}")
        if p.max is not None and number > p.max:
            raise _refuse(spec, name, f"must be <= {p.max}, got {number}")
    if kind == "id" and not _ID.fullmatch(text):
        raise _refuse(spec, name, f"only letters, digits, - and _ are kept by the server, got {text!r}")
    if kind == "date" and not _DATE.fullmatch(text):
        raise _refuse(spec, name, f"must be a date YYYY-MM-DD, got {text!r}")
    if kind == "datetime" and not (
        _DATETIME.fullmatch(text) or text == "NOW" or re.fullmatch(r"\d+DAYS", text)
    ):
        raise _refuse(spec, name, f"must be a datetime YYYY-MM-DD HH:MM:SS, got {text!r}")


def validate_form(spec: FunctionSpec, form: Mapping[str, str], *,
                  custom_fields: Sequence[str] = (), optional: Sequence[str] = ()) -> None:
    """Check every field of ``form`` and the presence of required ones.

    ``custom_fields`` names extra fields sent as custom field values; ``optional`` names
    parameters the reference marks required but that the call legitimately leaves out (a search by
    another key, for instance).
    """
    common = _common_names(spec.api)
    params = spec.param_map
    for name, text in form.items():
        p = params.get(name)
        if p is None:
            if name in common or name in custom_fields:
                continue
            raise _refuse(spec, name, f"unknown parameter {name!r}")
        if p.choices is None and p.min_len is None and p.kind not in _SHAPED:
            # Most parameters (names, addresses, comments) have only a longest length: checked
            # here, and only a value over it goes on to validate_value (which says why, or lets
            # --BLANK-- through where it is honoured).
            if p.max_len is not None and len(text) > p.max_len:
                validate_value(spec, p, text)
            continue
        validate_value(spec, p, text)
    for name in spec.required:
        if name not in optional and not form.get(name):
            raise _refuse(spec, name, "is required")


_COMMON_NAMES: dict[str, frozenset[str]] = {}


def _common_names(api: str) -> frozenset[str]:
    names = _COMMON_NAMES.get(api)
    if names is None:
        names = _COMMON_NAMES[api] = frozenset(p.name for p in common_params(api))
    return names


def build_form(spec: FunctionSpec, params: Mapping[str, Any]) -> dict[str, str]:
    """Encode ``params`` (``None`` meaning "not sent") in the order given."""
    # Most values are text already, kept as they are without a call each (encode_value's first case).
    return {k: v if type(v) is str else encode_value(spec, k, v)
            for k, v in params.items() if v is not None}


def check_blank(spec: FunctionSpec, form: Mapping[str, str], honoured: Collection[str]) -> None:
    """Refuse ``--BLANK--`` in every field of ``form`` except the ``honoured`` ones.

    The server empties a field sent as ``--BLANK--`` only where its code says so; elsewhere the
    text is stored as is, or its filter mangles it (``gender`` keeps upper-case letters only), so
    sending it would silently store something else than "empty".
    """
    for name, text in form.items():
        if text == BLANK and name not in honoured:
            raise _refuse(spec, name, f"{spec.name} cannot empty this field with {BLANK} (the server "
                                      "would store or alter the text)")
