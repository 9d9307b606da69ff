"""Declarative request rules: the checks the reference's limits cannot express, as table rows.

An operation lists its rules in order (``Operation(..., rules=[digits("phone_number"), ...])``);
each row names the parameter it refuses and says why in words the caller reads. A rule is any
callable ``(spec, form, custom_fields)`` that raises :class:`~vicidial_async.InvalidParameterError`
(``sent=False``); the constructors here cover the shapes that recur: a value the server would alter
(``chars``, ``digits``, ``pattern``), a parameter that needs another (``needs``), one the server
would ignore (``refuse_if``), ``--BLANK--`` where it is not honoured (``blank``). A one-off check is
written as a plain function next to the operation that needs it.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Collection, Mapping
from typing import Any

from ..errors import InvalidParameterError
from ..protocol.lead_fields import check_lead_fields
from ..protocol.params import BLANK, check_blank
from ..protocol.registry import FunctionSpec
from ._core import Form, Rule

__all__ = [
    "BLANK",
    "ID_CHARS",
    "blank",
    "chars",
    "deletes_alone",
    "digits",
    "flag01",
    "has",
    "is_",
    "items",
    "lead_fields",
    "min_int",
    "needs",
    "no_empty",
    "pattern",
    "refuse",
    "refuse_if",
    "time_of_day",
]

ID_CHARS = r"A-Za-z0-9_\-"
"""What the server keeps of an id (user, campaign, group ...)."""

Cond = Callable[[Form], bool]


def refuse(function: str, name: str, why: str) -> InvalidParameterError:
    """The error for a value refused before sending."""
    return InvalidParameterError(function, why, parameter=name, sent=False)


# -- encoders (value -> wire text, before the generic encoding) ---------------------------------

def flag01(function: str, value: Any) -> str:
    """A ``0``/``1`` switch from a bool (text passes as it is)."""
    return value if isinstance(value, str) else ("1" if value else "0")


_TIME = re.compile(r"([01]\d|2[0-3]):[0-5]\d:[0-5]\d")


def time_of_day(name: str) -> Callable[[str, Any], str]:
    """An encoder: ``HH:MM:SS`` text of a time given as :class:`datetime.time` or text."""
    def encode(function: str, value: Any) -> str:
        text = value.strftime("%H:%M:%S") if isinstance(value, dt.time) else value
        if not _TIME.fullmatch(text):
            raise refuse(function, name, f"must be a time HH:MM:SS, got {text!r}")
        return str(text)
    return encode


# -- conditions --------------------------------------------------------------------------------

def is_(name: str, *values: str) -> Cond:
    """The form holds ``name`` with one of ``values``."""
    return lambda form: form.get(name) in values


def has(name: str) -> Cond:
    """The form holds a non-empty ``name``."""
    return lambda form: bool(form.get(name))


# -- rules -------------------------------------------------------------------------------------

def refuse_if(name: str, when: Cond, why: str) -> Rule:
    """Refuse ``name`` with ``why`` when ``when(form)`` holds."""
    def rule(spec: FunctionSpec, form: Form, custom: Mapping[str, Any]) -> None:
        if when(form):
            raise refuse(spec.name, name, why)
    return rule


def needs(name: str, when: Cond, why: str) -> Rule:
    """``name`` must be given (non-empty) when ``when(form)`` holds."""
    return refuse_if(name, lambda form: when(form) and not form.get(name), why)


def deletes_alone(flag: str, *keys: str) -> Rule:
    """With ``flag`` set, nothing but the record's ``keys`` may be sent: the server deletes and
    ignores the rest."""
    def rule(spec: FunctionSpec, form: Form, custom: Mapping[str, Any]) -> None:
        changes = [k for k in form if k not in keys and k != flag]
        if form.get(flag) == "Y" and changes:
            raise refuse(spec.name, changes[0], f"cannot be combined with {flag} (the server "
                                                "deletes and ignores the rest)")
    return rule


def digits(name: str = "phone_number") -> Rule:
    """Digits only (the server keeps commas in phone numbers; one number never holds any)."""
    def rule(spec: FunctionSpec, form: Form, custom: Mapping[str, Any]) -> None:
        value = form.get(name)
        if value and not value.isdigit():
            raise refuse(spec.name, name, f"must be digits only, got {value!r}")
    return rule


def chars(name: str, allowed: str, what: str, *, blank: bool = False) -> Rule:
    """Refuse a value holding a character outside the regex class ``allowed``; ``what`` says in
    words what the server keeps; ``blank`` lets ``--BLANK--`` through where it is honoured."""
    one = re.compile(f"[{allowed}]")

    def rule(spec: FunctionSpec, form: Form, custom: Mapping[str, Any]) -> None:
        text = form.get(name)
        if not text or (blank and text == BLANK):
            return
        bad = sorted({c for c in text if not one.fullmatch(c)})
        if bad:
            raise refuse(spec.name, name, f"the server keeps only {what} and would silently drop "
                                          f"{''.join(bad)!r}")
    return rule


def items(name: str, sep: str, item: str, what: str) -> Rule:
    """Refuse a joined list whose items do not all match ``item`` (or that has empty items)."""
    compiled = re.compile(item)

    def rule(spec: FunctionSpec, form: Form, custom: Mapping[str, Any]) -> None:
        text = form.get(name)
        if not text:
            return
        for part in text.split(sep):
            if not compiled.fullmatch(part):
                raise refuse(spec.name, name, f"list item {part!r} is not {what}")
    return rule


def pattern(name: str, regex: str, what: str) -> Rule:
    """Refuse a value unless it matches ``regex`` as a whole."""
    compiled = re.compile(regex)

    def rule(spec: FunctionSpec, form: Form, custom: Mapping[str, Any]) -> None:
        text = form.get(name)
        if text and not compiled.fullmatch(text):
            raise refuse(spec.name, name, f"must be {what}, got {text!r}")
    return rule


def min_int(name: str, least: int) -> Rule:
    """A whole number of at least ``least``."""
    def rule(spec: FunctionSpec, form: Form, custom: Mapping[str, Any]) -> None:
        text = form.get(name, "")
        if text.lstrip("-").isdigit() and int(text) < least:
            raise refuse(spec.name, name, f"must be >= {least}, got {int(text)}")
    return rule


def blank(*honoured: str) -> Rule:
    """Refuse ``--BLANK--`` except in the ``honoured`` fields (elsewhere the text is stored)."""
    def rule(spec: FunctionSpec, form: Form, custom: Mapping[str, Any]) -> None:
        check_blank(spec, form, honoured)
    return rule


def no_empty(blankable: Collection[str], *, besides: Collection[str] = (), what: str = "field") -> Rule:
    """An empty value is taken as "not sent" by the update functions: say so instead of sending."""
    def rule(spec: FunctionSpec, form: Form, custom: Mapping[str, Any]) -> None:
        for name, text in form.items():
            if text == "" and name not in besides:
                hint = f"pass {BLANK} to empty it or " if name in blankable else "pass "
                raise refuse(spec.name, name, f"an empty value leaves the {what} unchanged; {hint}"
                                              "None to leave it out")
    return rule


def lead_fields(*names: str) -> Rule:
    """Lead field values the server would alter are refused; apostrophes warned about.
    ``names`` limits the check to those fields (all lead fields of the form by default)."""
    def rule(spec: FunctionSpec, form: Form, custom: Mapping[str, Any]) -> None:
        check_lead_fields(spec.name, {k: form.get(k, "") for k in names} if names else form)
    return rule
