"""Result models of the DID functions (``vd.dids``). Every result keeps the masked answer in ``raw``."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import ClassVar, Self

import attrs

from ..protocol.lines import StatusAnswer, StatusLine
from ._outcome import action_of, success_line
from ._parse import opt_datetime, opt_int
from ._rows import TableRow

__all__ = ["CopiedDid", "CopyDidResult", "DidLogRow", "DidResult"]


@attrs.frozen(slots=True)
class DidLogRow(TableRow):
    """One inbound call on a DID (``did_log_export``).

    ``length_in_sec`` runs from the DID log start to the in-group call end (0 when the call never
    reached an in-group). The server swaps ``call_date`` and ``caller_id_number`` in its data rows
    (not in its header); :meth:`from_row` puts each value where it belongs.
    """

    COLUMNS: ClassVar[tuple[str, ...]] = ("did_number", "call_date", "caller_id_number",
                                          "length_in_sec")
    did_number: str = ""
    call_date: dt.datetime | None = None
    caller_id_number: str = ""
    length_in_sec: int | None = None
    extra: dict[str, str] = attrs.field(factory=dict, eq=False)

    @classmethod
    def from_row(cls, row: Mapping[str, str]) -> Self:
        """The typed row, with the swapped date and caller id put back in place."""
        date, cid = row.get("call_date", ""), row.get("caller_id_number", "")
        if opt_datetime(date) is None and opt_datetime(cid) is not None:
            row = {**row, "call_date": cid, "caller_id_number": date}
        return super().from_row(row)


@attrs.frozen(slots=True)
class DidResult:
    """What ``add_did`` / ``update_did`` did: ``action`` is ``added``, ``updated``, ``deleted``
    (with the deleted ``did_id``) or ``unchanged`` (NO UPDATES DEFINED)."""

    action: str
    did_pattern: str
    did_id: int | None = None
    notices: tuple[StatusLine, ...] = ()
    raw: str = attrs.field(default="", repr=False)

    @classmethod
    def from_answer(cls, answer: StatusAnswer, did_pattern: str) -> DidResult:
        if not answer.success and answer.no_updates:
            return cls("unchanged", did_pattern, notices=answer.notices, raw=answer.raw)
        ok = success_line(answer)
        action = action_of(ok)
        return cls(action, ok.get("did_pattern") or did_pattern, opt_int(ok.get("did_id")),
                   notices=answer.notices, raw=answer.raw)


@attrs.frozen(slots=True)
class CopiedDid:
    """One DID created by ``copy_did``."""

    did_pattern: str
    did_id: int | None


@attrs.frozen(slots=True)
class CopyDidResult:
    """What ``copy_did`` did: the DIDs ``added``, those that ``already_existed`` (skipped), and
    the server's counts."""

    source_did_pattern: str
    inserted_count: int | None
    error_count: int | None
    added: tuple[CopiedDid, ...] = ()
    already_existed: tuple[str, ...] = ()
    notices: tuple[StatusLine, ...] = ()
    raw: str = attrs.field(default="", repr=False)

    @classmethod
    def from_answer(cls, answer: StatusAnswer) -> CopyDidResult:
        ok = success_line(answer)
        added = tuple(CopiedDid(n.get("new_did"), opt_int(n.get("did_id")))
                      for n in answer.notices if n.facet == "added")
        existing = tuple(n.get("new_did") for n in answer.notices if n.facet == "already_exists")
        return cls(ok.get("source_did_pattern"), opt_int(ok.get("inserted_count")),
                   opt_int(ok.get("error_count")), added, existing, answer.notices, answer.raw)
