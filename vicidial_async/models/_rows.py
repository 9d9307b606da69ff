"""Typed table rows built column by column from their wire text.

A row model is a frozen attrs class deriving from :class:`TableRow`. Its fields are named after
the reference's columns and typed with what the text means; :meth:`TableRow.from_row` picks each
field's parser from its resolved type hint (``int | None`` -> :func:`opt_int` ...) unless the
field names one with :func:`parsed` (seconds, percentages, lists; also a wire column named
otherwise). Columns the model does not know land in
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

import datetime as dt
from collections.abc import Callable, Mapping
from contextvars import ContextVar
from typing import Any, ClassVar, Self, TypeVar, cast, get_type_hints

import attrs

from ..protocol.lines import StatusAnswer, StatusLine
from ..protocol.other import HtmlRow
from ..protocol.tables import DELIMITERS, Table
from ._outcome import named, success_line
from ._parse import opt_date, opt_datetime, opt_float, opt_int
from ._table import TableResult

__all__ = [
    "ROW_REUSE", "LineResult", "PickerRow", "RowReuse",
    "TableRow", "int_list", "parsed", "refold", "rows_of_table", "split_list",
    "stripped", "text", "yes_no",
]

_PARSE = "vicidial_async.parse"
_COLUMN = "vicidial_async.column"
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


def int_list(sep: str) -> Parser:
    """A parser reading a ``sep``-joined list of ids as ints, skipping what is not a number."""

    def parse(value: str | None) -> tuple[int, ...]:
        return tuple(int(x) for x in (value or "").split(sep) if x.strip().isdigit())

    return parse


# The parser of a field by its resolved type (``typing.get_type_hints``, not the annotation text,
# so ``Optional[int]``, ``datetime.date | None`` or an alias spelled any other way all resolve).
_BY_TYPE: dict[Any, Parser] = {
    str: text,
    int | None: opt_int,
    float | None: opt_float,
    bool | None: yes_no,
    dt.datetime | None: opt_datetime,
    dt.date | None: opt_date,
}


def parsed(parser: Parser | None = None, *, default: Any = None, column: str | None = None) -> Any:
    """A row-model field read from its column text with ``parser`` (e.g. :func:`seconds`).

    ``column`` names the wire column when it differs from the field name; without ``parser`` the
    field's type picks one as usual.
    """
    if isinstance(default, (list, dict, set)):
        raise TypeError("use an immutable default")
    return attrs.field(default=default, metadata={_PARSE: parser, _COLUMN: column})


@attrs.frozen(slots=True)
class _Plan:
    """How one row class reads a row: (field, column, parser) per column field, the known columns,
    and the names of all its fields."""

    steps: tuple[tuple[str, str, Parser], ...]
    known: frozenset[str]
    fields: frozenset[str]


_PLANS: dict[type, _Plan] = {}


def _plan(cls: type[TableRow]) -> _Plan:
    """The class's plan, worked out once per class (type hints are resolved here, never per row)."""
    plan = _PLANS.get(cls)
    if plan is None:
        hints = get_type_hints(cls)
        fields = attrs.fields(cast("type[attrs.AttrsInstance]", cls))
        steps: list[tuple[str, str, Parser]] = []
        for f in fields:
            if f.name in cls.NOT_COLUMNS:
                continue
            parser = f.metadata.get(_PARSE)
            if parser is None:
                parser = _BY_TYPE.get(hints[f.name])
                if parser is None:
                    raise TypeError(f"{cls.__name__}.{f.name}: no parser for type {hints[f.name]!r}")
            steps.append((f.name, f.metadata.get(_COLUMN) or f.name, parser))
        plan = _PLANS[cls] = _Plan(tuple(steps), frozenset(column for _, column, _ in steps),
                                   frozenset(f.name for f in fields))
    return plan


class TableRow:
    """Base of the row models: ``COLUMNS`` lists the reference's columns in wire order."""

    __slots__ = ()
    COLUMNS: ClassVar[tuple[str, ...]] = ()
    NOT_COLUMNS: ClassVar[frozenset[str]] = frozenset({"extra"})
    """Fields filled from elsewhere than a column (``extra``: the columns nobody named)."""

    @classmethod
    def _values(cls, row: Mapping[str, str]) -> dict[str, Any]:
        plan = _plan(cls)
        get = row.get
        values: dict[str, Any] = {name: parse(get(column)) for name, column, parse in plan.steps}
        if "extra" in plan.fields:
            known = plan.known
            values["extra"] = {k: v for k, v in row.items() if k not in known}
        return values

    @classmethod
    def from_row(cls, row: Mapping[str, str]) -> Self:
        """The typed row of one ``{column: text}`` mapping; unknown columns go to ``extra``."""
        return cls(**cls._values(row))


_FROM_ROW = TableRow.from_row.__func__  # type: ignore[attr-defined]
_VALUES = TableRow._values.__func__  # type: ignore[attr-defined]


class LineResult(TableRow):
    """Base of the results read from one SUCCESS line, field by field as a table row is.

    The line's values are named by the reference template that matched it, else by position as
    ``COLUMNS`` lists them. ``raw`` and ``notices``, when the model has them, come from the answer;
    :meth:`_answer_values` is where a group adds its own (the Agent API's ``queued``).
    """

    __slots__ = ()
    NOT_COLUMNS: ClassVar[frozenset[str]] = frozenset({"extra", "raw", "notices", "queued"})

    @classmethod
    def _answer_values(cls, line: StatusLine, raw: str,
                       notices: tuple[StatusLine, ...]) -> dict[str, Any]:
        return {"raw": raw, "notices": notices}

    @classmethod
    def from_line(cls, line: StatusLine, raw: str = "",
                  notices: tuple[StatusLine, ...] = ()) -> Self:
        """The result of one SUCCESS ``line`` (``raw``: the whole masked answer)."""
        values = cls._values(named(line, cls.COLUMNS))
        fields = _plan(cls).fields
        values.update((k, v) for k, v in cls._answer_values(line, raw, notices).items() if k in fields)
        return cls(**values)

    @classmethod
    def from_answer(cls, answer: StatusAnswer) -> Self:
        """The result of a status answer's first SUCCESS line (none: :class:`DecodeError`)."""
        return cls.from_line(success_line(answer), answer.raw, answer.notices)


class PickerRow(TableRow):
    """Base of the rows of an HTML picker: ``COLUMNS`` names the picked id, then the cells after
    the link cell (which repeats the id)."""

    __slots__ = ()
    NOT_COLUMNS: ClassVar[frozenset[str]] = frozenset()

    @classmethod
    def _html_values(cls, row: HtmlRow) -> dict[str, Any]:
        cells = row.cells[1:] if row.cells and row.cells[0] == row.id else row.cells
        return cls._values(dict(zip(cls.COLUMNS, (row.id, *cells), strict=False)))

    @classmethod
    def from_html_row(cls, row: HtmlRow) -> Self:
        """The typed row of one picker entry."""
        return cls(**cls._html_values(row))


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
    # Values come from splitting each line at the delimiter, so only a row longer than the
    # columns, or one whose last value holds the folded surplus, has anything to move.
    if (max(map(len, table.rows), default=0) <= n
            and delimiter not in "".join([row[-1] for row in table.rows if row])):
        return table
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
    build = _row_builder(cls, table.columns)
    if build is None:
        rows = tuple(cls.from_row(d) for d in table.dicts())
    else:
        reuse = ROW_REUSE.get()
        rows = (tuple(map(build, table.rows)) if reuse is None
                else reuse.rows(cls, table.columns, table.rows, build))
    return TableResult(rows=rows, columns=table.columns, notices=table.notices, raw=table.raw)


class RowReuse:
    """The rows of one repeated call's last answer, by their wire values, for the next answer.

    A poller asks the same question every few seconds and most rows come back unchanged (an agent
    on a call for minutes). Handing back the row object of the last answer for a row whose wire
    values are the same skips building it again, and the rows that last stay the same objects
    instead of a new set per answer that the garbage collector has to walk through.
    """

    __slots__ = ("_by_values", "_key")

    def __init__(self) -> None:
        self._key: tuple[type, tuple[str, ...]] | None = None
        self._by_values: dict[tuple[str, ...], Any] = {}

    def rows(self, cls: type[R], columns: tuple[str, ...], values: tuple[tuple[str, ...], ...],
             build: Callable[[tuple[str, ...]], R]) -> tuple[R, ...]:
        """``cls`` rows of ``values``: the last answer's row where the values are the same
        (same class and columns), a new one elsewhere."""
        key = (cls, columns)
        last = self._by_values if key == self._key else {}
        now: dict[tuple[str, ...], Any] = {}
        for v in values:
            row = last.get(v)
            now[v] = row if row is not None else build(v)
        self._key, self._by_values = key, now
        return tuple([now[v] for v in values])


ROW_REUSE: ContextVar[RowReuse | None] = ContextVar("vicidial_async.row_reuse", default=None)
"""The :class:`RowReuse` that table answers decoded in this context (task) draw on (the poller
sets one per polled function around each poll); ``None``: every row is built anew."""


# Row builders by position, one per (row class, column list): a wallboard decodes the same tables
# every few seconds, and reading each row tuple by index skips a dict per row and a lookup per
# field. The result is the same as ``cls.from_row(dict(zip(columns, row)))``.
_BUILDERS: dict[tuple[type, tuple[str, ...]], Callable[[tuple[str, ...]], Any] | None] = {}


def _row_builder(cls: type[R], columns: tuple[str, ...]) -> Callable[[tuple[str, ...]], R] | None:
    """A function turning one row tuple into ``cls``; ``None`` when ``cls`` reads rows its own
    way (an overridden ``from_row``) or the columns repeat a name (the generic path decides)."""
    key = (cls, columns)
    if key in _BUILDERS:
        return _BUILDERS[key]
    build: Callable[[tuple[str, ...]], Any] | None = None
    plain = (getattr(cls.from_row, "__func__", None) is _FROM_ROW
             and getattr(cls._values, "__func__", None) is _VALUES)
    if plain and len(set(columns)) == len(columns):
        plan = _plan(cls)
        where = {c: i for i, c in enumerate(columns)}
        names: dict[str, Any] = {"cls": cls, "pad": (None,) * len(columns)}
        value: dict[str, str] = {}
        for k, (name, column, parse) in enumerate(plan.steps):
            names[f"p{k}"] = parse
            i = where.get(column)
            if i is None:
                value[name] = f"p{k}(None)"
            elif parse is text:  # the most common parser, inlined: None (padding) reads as ""
                value[name] = f"(r[{i}] or '')"
            elif parse is opt_int:
                # Digits only (what int() reads the same with or without stripping): int() at
                # once; anything else (padding, spaces, signs, junk) goes through opt_int.
                value[name] = f"(int(v) if (v := r[{i}]) and v.isdecimal() else p{k}(v))"
            else:
                value[name] = f"p{k}(r[{i}])"
        if "extra" in plan.fields:
            extra = [(c, i) for c, i in where.items() if c not in plan.known]
            pairs = ", ".join(f"({c!r}, r[{i}])" for c, i in extra)
            # Padding stands for columns a short row lacks: absent from extra, as with zip().
            value["extra"] = (f"{{c: v for c, v in ({pairs},) if v is not None}}" if extra
                              else "{}")
        # Positional arguments while the fields come in __init__'s order (cheaper to pass than
        # keywords), keywords from the first field left out on.
        args: list[str] = []
        positional = True
        for f in attrs.fields(cast("type[attrs.AttrsInstance]", cls)):
            expr = value.get(f.name)
            if expr is None or not f.init or f.kw_only:
                positional = False
            if expr is not None:
                args.append(expr if positional else f"{f.name}={expr}")
        source = (f"def build(r):\n"
                  f"    if len(r) < {len(columns)}:\n"
                  f"        r = (*r, *pad[len(r):])\n"
                  f"    return cls({', '.join(args)})\n")
        exec(compile(source, f"<row builder {cls.__name__}>", "exec"), names)
        build = names["build"]
    if len(_BUILDERS) < 1024:
        _BUILDERS[key] = build
    return build
