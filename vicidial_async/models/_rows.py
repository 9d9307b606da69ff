"""Typed table rows built column by column from their wire text.

A row model is a frozen attrs class deriving from :class:`TableRow`. Its fields are named after
the reference's columns and typed with what the text means; :meth:`TableRow.from_row` picks each
field's parser from its annotation (``int | None`` -> :func:`opt_int` ...) unless the field names
one with :func:`parsed` (seconds, percentages, lists). Columns the model does not know land in
``extra``, so nothing the server sent is lost.

>>> import attrs
>>> from vicidial_async.models._parse import seconds
>>> @attrs.frozen(slots=True)
... class Row(TableRow):
...     COLUMNS = ("user", "calls", "talk")
...     user: str = ""
...     calls: int | None = None
...     talk: int | None = parsed(seconds)
...     extra: dict[str, str] = attrs.field(factory=dict, eq=False)
>>> Row.from_row({"user": "a1", "calls": "3", "talk": "0:01:05", "rank": "9"})
Row(user='a1', calls=3, talk=65, extra={'rank': '9'})
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, ClassVar, Self, TypeVar

import attrs

from ..protocol.tables import DELIMITERS, Table
from ._parse import opt_date, opt_datetime, opt_float, opt_int
from ._table import TableResult

__all__ = ["TableRow", "parsed", "refold", "rows_of_table", "split_list", "stripped", "text", "yes_no"]

_PARSE = "vicidial_async.parse"
Parser = Callable[[str | None], Any]
R = TypeVar("R", bound="TableRow")


def text(value: str | None) -> str:
    """The column text as sent (a missing column is empty)."""
    return value if value is not None else ""


def stripped(value: str | None) -> str:
    """The column text without the padding some columns carry (hopper_list's last_call_time)."""
    return (value or "").strip()


def yes_no(value: str | None) -> bool | None:
    """``Y``/``YES`` -> True, ``N``/``NO`` -> False, anything else (or empty) -> None."""
    v = (value or "").strip().upper()
    if v in ("Y", "YES"):
        return True
    if v in ("N", "NO"):
        return False
    return None


def split_list(sep: str = " ") -> Parser:
    """A parser splitting a column into a tuple of its non-empty items (``"NEW CALLBK"``)."""

    def parse(value: str | None) -> tuple[str, ...]:
        return tuple(item for item in (value or "").split(sep) if item)

    return parse


_BY_TYPE: dict[str, Parser] = {
    "str": text,
    "int | None": opt_int,
    "float | None": opt_float,
    "bool | None": yes_no,
    "dt.datetime | None": opt_datetime,
    "dt.date | None": opt_date,
}


def parsed(parser: Parser, *, default: Any = None) -> Any:
    """A row-model field read from its column text with ``parser`` (e.g. :func:`seconds`)."""
    if isinstance(default, (list, dict, set)):
        raise TypeError("use an immutable default")
    return attrs.field(default=default, metadata={_PARSE: parser})


_PLANS: dict[type, tuple[tuple[str, Parser], ...]] = {}


def _plan(cls: type) -> tuple[tuple[str, Parser], ...]:
    plan = _PLANS.get(cls)
    if plan is None:
        steps: list[tuple[str, Parser]] = []
        for f in attrs.fields(cls):
            if f.name == "extra":
                continue
            parser = f.metadata.get(_PARSE)
            if parser is None:
                kind = f.type if isinstance(f.type, str) else getattr(f.type, "__name__", "")
                parser = _BY_TYPE.get(kind)
                if parser is None:
                    raise TypeError(f"{cls.__name__}.{f.name}: no parser for type {kind!r}")
            steps.append((f.name, parser))
        plan = _PLANS[cls] = tuple(steps)
    return plan


class TableRow:
    """Base of the row models: ``COLUMNS`` lists the reference's columns in wire order."""

    __slots__ = ()
    COLUMNS: ClassVar[tuple[str, ...]] = ()

    @classmethod
    def from_row(cls, row: Mapping[str, str]) -> Self:
        """The typed row of one ``{column: text}`` mapping; unknown columns go to ``extra``."""
        plan = _plan(cls)
        values: dict[str, Any] = {name: parse(row.get(name)) for name, parse in plan}
        known = {name for name, _ in plan}
        values["extra"] = {k: v for k, v in row.items() if k not in known}
        return cls(**values)


def refold(table: Table, delimiter: str, column: str) -> Table:
    """Move the surplus fields of over-long rows back into the free-text ``column``.

    The server never escapes a delimiter inside a value; the table decoder folds the surplus of an
    over-long row into its last column. When the function has one free-text column (a campaign or
    an agent's full name), that is where the extra delimiters really came from.
    """
    if column not in table.columns or not delimiter:
        return table
    i = table.columns.index(column)
    n = len(table.columns)
    rows: list[tuple[str, ...]] = []
    for row in table.rows:
        parts = delimiter.join(row).split(delimiter)
        surplus = len(parts) - n
        if surplus > 0:
            row = (*parts[:i], delimiter.join(parts[i:i + surplus + 1]), *parts[i + surplus + 1:])
        rows.append(row)
    return attrs.evolve(table, rows=tuple(rows))


def rows_of_table(cls: type[R], table: Table, *, free_text: str | None = None,
                  stage: str | None = None) -> TableResult[R]:
    """A :class:`TableResult` of ``cls`` rows from a decoded table (columns, notices, raw kept).

    ``free_text`` names the one column whose values may hold the ``stage``'s delimiter.
    """
    if free_text is not None and stage is not None:
        table = refold(table, DELIMITERS.get(stage, "|"), free_text)
    return TableResult(rows=tuple(cls.from_row(d) for d in table.dicts()), columns=table.columns,
                       notices=table.notices, raw=table.raw)
