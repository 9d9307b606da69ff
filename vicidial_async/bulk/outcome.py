"""What happened to one input row: :class:`Outcome` and :class:`RowOutcome`.

Every row of a load ends with exactly one outcome: ``added`` (with the new lead_id), ``duplicate``
(the existing lead_id/list_id the server's duplicate check found), ``rejected`` (our validation or
an ``ERROR:`` answer; nothing was stored), or ``unknown`` (the call may or may not have landed).
A dry run gives ``valid`` instead of sending.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from typing import Any

import attrs

__all__ = ["RESULT_COLUMNS", "Outcome", "RowOutcome"]


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

_INT_FIELDS = ("lead_id", "list_id")


def _one_line(text: str) -> str:
    # One record per physical line keeps the results file truncatable by line count on resume.
    return text.replace("\r\n", " ").replace("\n", " ").replace("\r", " ")


@attrs.frozen(slots=True)
class RowOutcome:
    """The outcome of input row ``row`` (1-based, in input order).

    ``lead_id``/``list_id`` are the added lead's, or the existing lead's for a duplicate.
    ``error_type``/``error``/``parameter`` describe a rejection or why the outcome is unknown;
    ``detail`` carries notes such as "reconciled: found by phone_number lookup" or validation
    warnings. No field ever holds credentials.
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

    @property
    def final(self) -> bool:
        """True unless the outcome is ``unknown`` (which a resume reconciles)."""
        return self.outcome is not Outcome.UNKNOWN

    def to_record(self) -> dict[str, Any]:
        """A JSON-friendly mapping with the non-empty fields (``row`` and ``outcome`` always)."""
        out: dict[str, Any] = {"row": self.row, "outcome": self.outcome.value}
        for name in RESULT_COLUMNS[2:]:
            value = getattr(self, name)
            if value is None or value == "":
                continue
            out[name] = _one_line(value) if isinstance(value, str) else value
        return out

    def to_csv_row(self) -> list[str]:
        """The values in :data:`RESULT_COLUMNS` order, as text on a single line each."""
        rec = self.to_record()
        return [str(rec.get(name, "")) for name in RESULT_COLUMNS]

    @classmethod
    def from_record(cls, rec: Mapping[str, Any]) -> RowOutcome:
        """Rebuild from :meth:`to_record` output or a CSV results row (all text)."""
        kw: dict[str, Any] = {}
        for name in RESULT_COLUMNS[2:]:
            value = rec.get(name)
            if value is None or value == "":
                continue
            if name in _INT_FIELDS:
                kw[name] = int(value)
            else:
                kw[name] = str(value)
        return cls(row=int(rec["row"]), outcome=Outcome(str(rec["outcome"])), **kw)
