"""Turning an input row into add_lead parameters: column mapping, value clean-up, phone numbers.

Columns resolve in this order: an explicit ``mapping`` entry; a column named like an add_lead
parameter (ignoring case, spaces and hyphens: ``First Name`` -> ``first_name``); an ignored column;
otherwise a custom field when ``custom_fields=True``, else the column is refused (data a user
loaded is never dropped silently). ``Phone`` and ``Zip`` are accepted for phone_number and
postal_code.

Phone numbers: everything but digits is stripped; ``+CC`` or ``00CC`` in front is split off into
``phone_code`` using the E.164 country-code table (codes are prefix-free: 1 and 7 are one digit,
the two-digit codes below are two, every other code is three); a national number with the default
code in front (``1 312 555 1212`` when the default code is 1) loses it. Letters (``ext. 12``) are
refused rather than folded into the number.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

from ..errors import ConfigurationError, InvalidParameterError
from ..protocol.registry import REGISTRY

__all__ = ["ALIASES", "ROW_FIELDS", "RowShaper", "normalize_phone", "split_country_code"]

_ADD_LEAD = REGISTRY["non_agent", "add_lead"]
ROW_FIELDS: frozenset[str] = frozenset(p.name for p in _ADD_LEAD.params) - {"list_id"}
"""add_lead parameters an input row may set (``list_id`` is the loader's)."""

_TWO_DIGIT_CODES = frozenset({
    "20", "27", "30", "31", "32", "33", "34", "36", "39", "40", "41", "43", "44", "45", "46", "47",
    "48", "49", "51", "52", "53", "54", "55", "56", "57", "58", "60", "61", "62", "63", "64", "65",
    "66", "81", "82", "84", "86", "90", "91", "92", "93", "94", "95", "98",
})
# Common export headers that name an add_lead field differently.
ALIASES: dict[str, str] = {"phone": "phone_number", "zip": "postal_code", "zip_code": "postal_code"}
_TRUNK_ZERO = re.compile(r"\(\s*0\s*\)")
_KEY = re.compile(r"[\s\-]+")


def _refuse(name: str, why: str) -> InvalidParameterError:
    return InvalidParameterError("add_lead", why, parameter=name, sent=False)


def split_country_code(digits: str) -> tuple[str, str]:
    """Split an international number (digits after ``+``) into (country code, national number).

    >>> split_country_code("442079460958")
    ('44', '2079460958')
    >>> split_country_code("13125551212")
    ('1', '3125551212')
    >>> split_country_code("35312345678")
    ('353', '12345678')
    """
    if digits[:1] in ("1", "7"):
        n = 1
    elif digits[:2] in _TWO_DIGIT_CODES:
        n = 2
    else:
        n = 3
    return digits[:n], digits[n:]


def normalize_phone(value: str, phone_code: str | None = None, *,
                    default_code: str | None = "1") -> tuple[str, str | None]:
    """Clean a phone number: ``(national digits, phone_code or None)``.

    >>> normalize_phone("(312) 555-1212")
    ('3125551212', None)
    >>> normalize_phone("+44 (0)20 7946 0958")
    ('2079460958', '44')
    >>> normalize_phone("1-312-555-1212")
    ('3125551212', '1')

    A row's own ``phone_code`` must agree with a ``+CC`` prefix; a number holding letters is refused.
    """
    text = value.strip()
    if text.isdigit() and not text.startswith("00"):
        # Most numbers in a file: digits alone, national.
        code = "".join(filter(str.isdigit, phone_code)) if phone_code else None
        if (code or default_code) == "1" and len(text) == 11 and text[0] == "1":
            return text[1:], "1"
        return text, code
    text = _TRUNK_ZERO.sub("", text)
    if any(map(str.isalpha, text)):
        raise _refuse("phone_number", f"holds letters (an extension?), got {value!r}")
    code = "".join(filter(str.isdigit, phone_code)) if phone_code else None
    intl = text.startswith("+") or text.startswith("00")
    digits = "".join(filter(str.isdigit, text))
    if text.startswith("00"):
        digits = digits[2:]
    if intl:
        if not digits:
            raise _refuse("phone_number", f"no digits after the country prefix in {value!r}")
        cc, national = split_country_code(digits)
        if code and code != cc:
            raise _refuse("phone_number", f"the number's country code +{cc} disagrees with "
                                          f"phone_code {code}")
        return national, cc
    if (code or default_code) == "1" and len(digits) == 11 and digits[0] == "1":
        # A NANP number written with its country code but no '+': 1 312 555 1212.
        return digits[1:], "1"
    return digits, code


def _key(name: str) -> str:
    return _KEY.sub("_", name.strip()).lower()


class RowShaper:
    """Maps raw input rows (column -> value) to add_lead parameters and custom field values.

    Args:
        mapping: source column -> add_lead parameter (or custom field label); a target of ``None``
            or ``""`` ignores the column.
        custom_fields: send unmapped, unknown columns as custom fields of the list.
        ignore: columns to leave out.
        normalize_phone: clean ``phone_number`` (and ``phone_code``) as described above.
        default_phone_code: the code assumed for national numbers (used to drop a leading ``1``).
    """

    def __init__(self, mapping: Mapping[str, str | None] | None = None, *, custom_fields: bool = False,
                 ignore: Iterable[str] = (), normalize_phone: bool = True,
                 default_phone_code: str | None = "1") -> None:
        self.mapping = dict(mapping or {})
        self.custom_fields = custom_fields
        self.ignore = frozenset(ignore)
        self.normalize_phone = normalize_phone
        self.default_phone_code = default_phone_code
        bad = [t for t in self.mapping.values() if t == "list_id"]
        if bad:
            raise ConfigurationError("list_id is set for the whole load, not per row")
        self._targets: dict[str, tuple[str, str] | None] = {}

    def target(self, column: str) -> tuple[str, str] | None:
        """``("field"|"custom", name)`` for a column, ``None`` to drop it; raises for unknown ones."""
        hit = self._targets.get(column, False)
        if hit is not False:
            return hit  # type: ignore[return-value]
        resolved = self._resolve(column)
        self._targets[column] = resolved
        return resolved

    def _resolve(self, column: str) -> tuple[str, str] | None:
        if column in self.mapping:
            to = self.mapping[column]
            if not to:
                return None
            return ("field", to) if to in ROW_FIELDS else ("custom", to)
        if column in self.ignore:
            return None
        key = _key(column)
        key = ALIASES.get(key, key)
        if key in ROW_FIELDS:
            return ("field", key)
        if key == "list_id":
            raise ConfigurationError(f"column {column!r}: list_id is set for the whole load; "
                                     "ignore or map the column")
        if self.custom_fields:
            return ("custom", column.strip())
        raise _refuse(column, f"column {column!r} matches no add_lead field: map it (--map "
                              f"'{column}=FIELD'), ignore it, or load it as a custom field")

    def unknown_columns(self, columns: Iterable[str]) -> list[str]:
        """The columns :meth:`target` would refuse (checked once on a file's header)."""
        out = []
        for c in columns:
            try:
                self.target(c)
            except InvalidParameterError:
                out.append(c)
        return out

    def shape(self, raw: Mapping[str, Any]) -> tuple[dict[str, str], dict[str, str]]:
        """``(add_lead parameters, custom field values)`` of one row; empty values are left out."""
        params: dict[str, str] = {}
        custom: dict[str, str] = {}
        targets = self._targets
        for column, value in raw.items():
            if type(value) is str:  # every CSV cell: _text's first case, inline
                text: str | None = value.strip()
                if not text:
                    continue
            else:
                text = _text(column, value)
                if text is None:
                    continue
            where = targets[column] if column in targets else self.target(column)
            if where is None:
                continue
            kind, name = where
            dest = params if kind == "field" else custom
            if name in dest and dest[name] != text:
                raise _refuse(name, f"two columns give {name} different values")
            dest[name] = text
        if self.normalize_phone and "phone_number" in params:
            number, code = normalize_phone(params["phone_number"], params.get("phone_code"),
                                           default_code=self.default_phone_code)
            params["phone_number"] = number
            if code:
                params["phone_code"] = code
        elif self.normalize_phone and "phone_code" in params:
            params["phone_code"] = params["phone_code"].lstrip("+")
        if "phone_number" not in params:
            raise _refuse("phone_number", "the row has no phone number")
        return params, custom


def _text(column: str, value: Any) -> str | None:
    """A cell as text: stripped, ``None`` when empty; JSON numbers as integers where whole."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "Y" if value else "N"
    if isinstance(value, float):
        if value.is_integer():
            return str(int(value))
        return repr(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str):
        text = value.strip()
        return text or None
    raise _refuse(column, f"cannot load a value of type {type(value).__name__}")
