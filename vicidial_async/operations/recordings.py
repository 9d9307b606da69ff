"""The recording operation of the Non-Agent API: recording_lookup."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..models.recordings import RECORDING_COLUMNS_WITH_DURATION, RecordingRow
from ..protocol.decode import Answer, decode
from ..protocol.registry import FunctionSpec
from ..protocol.tables import Table, decode_table
from ._core import Form, Operation, table_of
from ._rules import ID_CHARS, chars, refuse

__all__ = ["RECORDING_LOOKUP"]


def _weight(spec: FunctionSpec, form: Form, custom: Mapping[str, Any]) -> None:
    weight = (2 if "lead_id" in form else 0) + (2 if "uniqueid" in form else 0) + sum(
        1 for k in ("agent_user", "date", "extension") if k in form)
    if weight < 2:
        raise refuse(spec.name, "lead_id", "the search needs lead_id, uniqueid, or two of "
                                           "agent_user, date and extension")


def _with_duration(spec: FunctionSpec, status: int, body: str, form: Form) -> Answer:
    """With duration the header (if any) names five columns, the rows carry six: by position."""
    table = decode(spec, status, body, form)
    if form.get("duration") != "Y" or not isinstance(table, Table) or not table.rows:
        return table
    header = form.get("header") == "YES"
    rows = decode_table(spec, body.split("\n", 1)[1] if header else body, stage=form.get("stage"),
                        header=False, columns=RECORDING_COLUMNS_WITH_DURATION)
    return Table(table.function, rows.columns, rows.rows, table.notices, table.raw)


RECORDING_LOOKUP = Operation(
    "recording_lookup",
    rules=[_weight, chars("extension", ID_CHARS, "letters, digits, - and _"),
           chars("uniqueid", r"A-Za-z0-9 .\-_", "letters, digits, space and . - _")],
    decoder=_with_duration,
    result=table_of(RecordingRow),
)
