"""Result models of the recording functions (``vd.recordings``)."""

from __future__ import annotations

import datetime as dt
from typing import ClassVar

import attrs

from ._rows import TableRow

__all__ = ["RECORDING_COLUMNS_WITH_DURATION", "RecordingRow"]


@attrs.frozen(slots=True)
class RecordingRow(TableRow):
    """One call recording found by ``recording_lookup``.

    ``location`` is where the file is (usually a URL); ``duration`` (seconds) is filled only when
    it was asked for.
    """

    COLUMNS: ClassVar[tuple[str, ...]] = ("start_time", "user", "recording_id", "lead_id",
                                          "location")
    start_time: dt.datetime | None = None
    user: str = ""
    recording_id: int | None = None
    lead_id: int | None = None
    location: str = ""
    duration: int | None = None
    extra: dict[str, str] = attrs.field(factory=dict, eq=False)


RECORDING_COLUMNS_WITH_DURATION: tuple[str, ...] = (
    "start_time", "user", "recording_id", "lead_id", "duration", "location")
"""The data row layout with ``duration=Y`` (the server's header still lists five names)."""
