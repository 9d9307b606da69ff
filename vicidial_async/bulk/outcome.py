"""What happened to one input row: :class:`Outcome` and :class:`RowOutcome`.

Every row of a load ends with exactly one outcome: ``added`` (with the new lead_id), ``duplicate``
(the existing lead_id/list_id the server's duplicate check found), ``rejected`` (our validation or
an ``ERROR:`` answer; nothing was stored), or ``unknown`` (the call may or may not have landed).
A dry run gives ``valid`` instead of sending.

With ``keep_columns`` a record also carries the input row's own columns (:attr:`RowOutcome.input`):
under ``"input"`` in a JSON-lines results file, as ``input.<column>`` columns after
:data:`RESULT_COLUMNS` in a CSV one. The prefix keeps them apart from the result columns, whatever
the input's columns are named (an input ``phone_number`` is ``input.phone_number``, beside the
``phone_number`` the loader sent).
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from typing import Any

import attrs

__all__ = ["INPUT_PREFIX", "RESULT_COLUMNS", "Outcome", "RowOutcome"]


class Outcome(enum.StrEnum):
    """The outcome of one row."""

    ADDED = "added"
    DUPLICATE = "duplicate"
    REJECTED = "rejected"
    UNKNOWN = "unknown"
    VALID = "valid"
    """Dry run only: the row passed every client-side check and would be sent."""


RESULT_COLUMNS: tuple[str, ...] = (
    "row", "outcome", "lead_id", "list_id", "phone_code", "phone_number", "vendor_lead_code",
    "error_type", "error", "parameter", "detail",
)
"""Columns of a CSV results file (and keys of a JSONL one), in order."""

INPUT_PREFIX = "input."
"""The prefix of a kept input column in a CSV results file (``input.First Name``)."""

_INT_FIELDS = ("lead_id", "list_id")


def _one_line(text: str) -> str:
    # One record per physical line keeps the results file truncatable by line count on resume.
    return text.replace("\r\n", " ").replace("\n", " ").replace("\r", " ")


def _text(value: str) -> str:
    return _one_line(value) if "\n" in value or "\r" in value else value


def _csv_text(value: Any) -> str:
    """A field as a CSV cell: what :meth:`RowOutcome.to_record` holds for it, as text."""
    if value is None or value == "":
        return ""
    return _text(value) if isinstance(value, str) else str(value)


@attrs.frozen(slots=True)
class RowOutcome:
    """The outcome of input row ``row`` (1-based, in input order).

    ``lead_id``/``list_id`` are the added lead's, or the existing lead's for a duplicate.
    ``error_type``/``error``/``parameter`` describe a rejection or why the outcome is unknown;
    ``detail`` carries notes such as "reconciled: found by phone_number lookup" or validation
    warnings. No field ever holds credentials. ``input`` is the input row's own columns, in input
    order, when the load keeps them (``keep_columns``), else ``None``.
    """

    row: int
    outcome: Outcome
    lead_id: int | None = None
    list_id: int | None = None
    phone_code: str = ""
    phone_number: str = ""
    vendor_lead_code: str = ""
    error_type: str = ""
    error: str = ""
    parameter: str = ""
    detail: str = ""
    input: Mapping[str, Any] | None = attrs.field(default=None, hash=False)

    @property
    def final(self) -> bool:
        """True unless the outcome is ``unknown`` (which a resume reconciles)."""
        return self.outcome is not Outcome.UNKNOWN

    def to_record(self) -> dict[str, Any]:
        """A JSON-friendly mapping with the non-empty fields (``row`` and ``outcome`` always)."""
        # Written out field by field: built for every row (journal and results), where a loop
        # over the column names with getattr took twice as long.
        # ``_value_``, not ``value``: on Python 3.11 that is a property in Python, paid per row.
        out: dict[str, Any] = {"row": self.row, "outcome": self.outcome._value_}
        if self.lead_id is not None:
            out["lead_id"] = self.lead_id
        if self.list_id is not None:
            out["list_id"] = self.list_id
        if self.phone_code:
            out["phone_code"] = _text(self.phone_code)
        if self.phone_number:
            out["phone_number"] = _text(self.phone_number)
        if self.vendor_lead_code:
            out["vendor_lead_code"] = _text(self.vendor_lead_code)
        if self.error_type:
            out["error_type"] = _text(self.error_type)
        if self.error:
            out["error"] = _text(self.error)
        if self.parameter:
            out["parameter"] = _text(self.parameter)
        if self.detail:
            out["detail"] = _text(self.detail)
        if self.input is not None:
            out["input"] = dict(self.input)
        return out

    def to_csv_row(self) -> list[str]:
        """The values in :data:`RESULT_COLUMNS` order, as text on a single line each (the input's
        columns are the results writer's to add: only it knows the file's columns)."""
        return [str(self.row), self.outcome._value_, _csv_text(self.lead_id), _csv_text(self.list_id),
                _csv_text(self.phone_code), _csv_text(self.phone_number), _csv_text(self.vendor_lead_code),
                _csv_text(self.error_type), _csv_text(self.error), _csv_text(self.parameter),
                _csv_text(self.detail)]

    @classmethod
    def from_record(cls, rec: Mapping[str, Any]) -> RowOutcome:
        """Rebuild from :meth:`to_record` output or a CSV results row (all text; its
        ``input.<column>`` entries become :attr:`input`)."""
        kw: dict[str, Any] = {}
        for name in RESULT_COLUMNS[2:]:
            value = rec.get(name)
            if value is None or value == "":
                continue
            if name in _INT_FIELDS:
                kw[name] = int(value)
            else:
                kw[name] = str(value)
        kept = rec.get("input")
        if isinstance(kept, Mapping):
            kw["input"] = dict(kept)
        else:
            n = len(INPUT_PREFIX)
            flat = {k[n:]: v for k, v in rec.items() if k.startswith(INPUT_PREFIX)}
            if flat:
                kw["input"] = flat
        return cls(row=int(rec["row"]), outcome=Outcome(str(rec["outcome"])), **kw)
