"""The split lines of one repeated call's last table answer, handed back for the lines that come
back unchanged (the poller asks the same question every few seconds)."""

from __future__ import annotations

from collections.abc import Sequence
from contextvars import ContextVar

__all__ = ["LINE_REUSE", "LineReuse"]


class LineReuse:
    """Each line of the last answer with its fields, for the next answer.

    Most lines of a wallboard answer are the same from one poll to the next. Handing back the last
    answer's field tuple for an unchanged line skips splitting it again, and the row cache
    downstream (:class:`~vicidial_async.models._rows.RowReuse`) then finds the same tuple object,
    whose strings keep their hashes, instead of a new tuple of new strings.
    """

    __slots__ = ("_by_line", "_delimiter")

    def __init__(self) -> None:
        self._delimiter = ""
        self._by_line: dict[str, tuple[str, ...]] = {}

    def split(self, lines: Sequence[str], delimiter: str) -> list[tuple[str, ...]]:
        """``[tuple(line.split(delimiter)) for line in lines]``, with the last answer's tuple
        for every line it also had."""
        last = self._by_line if delimiter == self._delimiter else {}
        now: dict[str, tuple[str, ...]] = {}
        fields: list[tuple[str, ...]] = []
        for line in lines:
            parts = last.get(line)
            if parts is None:
                parts = tuple(line.split(delimiter))
            now[line] = parts
            fields.append(parts)
        self._delimiter, self._by_line = delimiter, now
        return fields


LINE_REUSE: ContextVar[LineReuse | None] = ContextVar("vicidial_async.line_reuse", default=None)
"""The :class:`LineReuse` that table answers decoded in this context (task) draw on (the poller
sets one per polled function around each poll); ``None``: every line is split anew."""
