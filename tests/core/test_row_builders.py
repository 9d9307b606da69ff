"""Tables are read into row models by column position, with the same result as by column name."""

from __future__ import annotations

import importlib
import pkgutil
from typing import Any

import pytest

import vicidial_async.models as models
from vicidial_async.models import TableRow
from vicidial_async.models._rows import rows_of_table
from vicidial_async.protocol.tables import Table


def _row_classes() -> list[type[TableRow]]:
    for info in pkgutil.iter_modules(models.__path__):
        importlib.import_module(f"{models.__name__}.{info.name}")
    found: list[type[TableRow]] = []
    todo = list(TableRow.__subclasses__())
    while todo:
        cls = todo.pop()
        todo.extend(cls.__subclasses__())
        if cls.COLUMNS and not cls.__name__.startswith("_"):
            found.append(cls)
    return sorted(set(found), key=lambda c: c.__name__)


def _by_name(cls: type[TableRow], table: Table) -> list[Any]:
    out: list[Any] = []
    for d in table.dicts():
        try:
            out.append(cls.from_row(d))
        except Exception as exc:
            out.append(type(exc))
    return out


def _by_position(cls: type[TableRow], table: Table) -> list[Any]:
    out: list[Any] = []
    for row in table.rows:
        try:
            out.append(rows_of_table(cls, Table(table.function, table.columns, (row,))).rows[0])
        except Exception as exc:
            out.append(type(exc))
    return out


@pytest.mark.parametrize("cls", _row_classes(), ids=lambda c: c.__name__)
def test_reading_by_position_equals_reading_by_name(cls: type[TableRow]) -> None:
    columns = (*reversed(cls.COLUMNS), "surprise")  # another order, and a column nobody named
    n = len(columns)
    values = ["7", "", "2026-11-28", "2026-11-28 10:00:00", "Y", "a b", "0:01:05", "x|y", " 42 ",
              "-3", "\u0663", "1_000", "\u00b2"]  # numbers as int() reads them, and a digit it refuses
    rows = [tuple(values[(i + k) % len(values)] for i in range(n)) for k in range(len(values))]
    rows += [rows[0][:1], rows[1][: n // 2], (*rows[2], "surplus"), ()]  # short and long rows
    table = Table(cls.__name__, columns, tuple(rows))
    by_name, by_position = _by_name(cls, table), _by_position(cls, table)
    assert by_position == by_name
    for a, b in zip(by_position, by_name, strict=True):
        assert getattr(a, "extra", None) == getattr(b, "extra", None)  # extra is not compared by ==
