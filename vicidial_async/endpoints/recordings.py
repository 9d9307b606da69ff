"""recording functions of the Non-Agent API (``vd.recordings``): method name = VICIdial function name."""

from __future__ import annotations

import datetime as dt

from ..models._table import TableResult
from ..models.recordings import RecordingRow
from ..operations import recordings as ops
from ._base import EndpointGroup, Stage

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
        return await self._run(ops.RECORDING_LOOKUP, {
            "agent_user": agent_user, "lead_id": lead_id, "date": date, "uniqueid": uniqueid,
            "extension": extension, "duration": duration, "stage": stage, "header": header}, timeout=timeout)
