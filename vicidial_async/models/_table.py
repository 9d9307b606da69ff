"""The result of every table function: typed rows, the column names as sent, and the raw text.

Table functions (``lead_search``, ``list_info``, ``user_details`` ...) return ``TableResult[Row]``:
a frozen, iterable, indexable holder of row models. Each row model names the reference's columns in
order and keeps any column the reference does not know in its ``extra`` mapping, so nothing the
server sent is lost.

>>> result = TableResult(rows=("a", "b"), columns=("x",), raw="a\\nb\\n")
>>> len(result), result[0], list(result)
(2, 'a', ['a', 'b'])
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Generic, TypeVar, overload

import attrs

from ..protocol.lines import StatusLine
from ..protocol.tables import Table

__all__ = ["RowSequence", "TableResult", "extra_columns", "table_result"]

T = TypeVar("T")


class RowSequence(Generic[T]):
    """A result that is a sequence of its ``rows``: iterable, sized, indexable."""

    __slots__ = ()
    rows: tuple[T, ...]

    def __iter__(self) -> Iterator[T]:
        return iter(self.rows)

    def __len__(self) -> int:
        return len(self.rows)

    @overload
    def __getitem__(self, index: int) -> T: ...

    @overload
    def __getitem__(self, index: slice) -> tuple[T, ...]: ...

    def __getitem__(self, index: int | slice) -> T | tuple[T, ...]:
        return self.rows[index]


@attrs.frozen(slots=True)
class TableResult(RowSequence[T]):
    """Rows of one table answer.

    Attributes:
        rows: one typed row model per data row, in wire order.
        columns: the column names of the answer (the header row when one was asked for, else the
            reference's list; unnamed surplus columns are called ``extra_1``, ``extra_2`` ...).
        notices: NOTICE lines that came instead of rows (e.g. "no records found" answers that a
            function reports as a notice rather than an error).
        raw: the whole (masked) answer, for debugging.
    """

    rows: tuple[T, ...]
    columns: tuple[str, ...] = ()
    notices: tuple[StatusLine, ...] = ()
    raw: str = attrs.field(default="", repr=False)


def extra_columns(row: Mapping[str, str], known: Sequence[str]) -> dict[str, str]:
    """The values of ``row`` whose column is not in ``known`` (kept in a row model's ``extra``)."""
    names = set(known)
    return {k: v for k, v in row.items() if k not in names}


def table_result(table: Table, make_row: Callable[[dict[str, str]], T]) -> TableResult[T]:
    """Build a :class:`TableResult` from a decoded table, one ``make_row(dict)`` per row."""
    return TableResult(rows=tuple(make_row(d) for d in table.dicts()), columns=table.columns,
                       notices=table.notices, raw=table.raw)

