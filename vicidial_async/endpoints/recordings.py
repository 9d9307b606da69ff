"""recording functions of the Non-Agent API (``vd.recordings``): method name = VICIdial function name."""

from __future__ import annotations

import datetime as dt

from ..models._rows import rows_of_table
from ..models._table import TableResult
from ..models.recordings import RECORDING_COLUMNS_WITH_DURATION, RecordingRow
from ..protocol.params import build_form
from ..protocol.tables import Table, decode_table
from ._base import EndpointGroup, wire_params
from ._guards import ID_CHARS, Stage, check_chars, refuse

__all__ = ["Recordings"]


class Recordings(EndpointGroup):
    """Recording functions: ``vd.recordings.recording_lookup(...)``."""

    async def recording_lookup(
        self,
        *,
        agent_user: str | None = None,
        lead_id: int | str | None = None,
        date: dt.date | str | None = None,
        uniqueid: str | None = None,
        extension: str | None = None,
        duration: bool | None = None,
        stage: Stage = "tab",
        header: bool = True,
        timeout: float | None = None,
    ) -> TableResult[RecordingRow]:
        """Call recordings by agent, lead, day, call uniqueid or extension (VICIdial
        ``recording_lookup``; at most 100000, by start time).

        Needs user_level >= 7, view_reports and vdc_agent_api_access. The search terms are
        combined (AND) and must weigh 2 or more: ``lead_id`` or ``uniqueid`` alone (a uniqueid
        counts only if it matches a call; the part after its first ``.`` is ignored), or two of
        ``agent_user``, ``date`` and ``extension``; a lighter search is refused here. ``duration``
        adds each recording's length in seconds (the server's header then misnames the columns;
        the rows are decoded by position). Asks for ``stage="tab"`` with a header unless told
        otherwise. Nothing found raises :class:`~vicidial_async.NotFoundError`.
        """
        params = wire_params(locals())
        fn = "recording_lookup"
        weight = (2 if lead_id is not None else 0) + (2 if uniqueid is not None else 0) + sum(
            1 for v in (agent_user, date, extension) if v is not None)
        if weight < 2:
            raise refuse(fn, "lead_id", "the search needs lead_id, uniqueid, or two of "
                                        "agent_user, date and extension")
        spec = self._spec(fn)
        form = build_form(spec, params)
        check_chars(fn, form, "extension", ID_CHARS, "letters, digits, - and _")
        check_chars(fn, form, "uniqueid", r"A-Za-z0-9 .\-_", "letters, digits, space and . - _")
        table: Table = await self._call(fn, params, timeout=timeout, form=form)
        if duration and table.rows:
            # The header (if any) names five columns, the rows carry six: decode by position.
            body = table.raw.split("\n", 1)[1] if header else table.raw
            rows = decode_table(spec, body, stage=stage, header=False,
                                columns=RECORDING_COLUMNS_WITH_DURATION)
            table = Table(table.function, rows.columns, rows.rows, table.notices, table.raw)
        return rows_of_table(RecordingRow, table)
