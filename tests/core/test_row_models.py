"""Row models read their column text by resolved type hints, the same way for every table function."""

from __future__ import annotations

import datetime
import typing
from typing import Optional

import attrs
import pytest

from vicidial_async.models import (
    CallbackRow,
    LeadRecord,
    LeadSearchRow,
    ListCustomFieldsRow,
    ListInfoRow,
    TableRow,
    _rows,
)
from vicidial_async.models._rows import parsed, split_list
from vicidial_async.models.dids import DidLogRow


@attrs.frozen(slots=True)
class SpelledOtherwise(TableRow):
    """Types spelled with typing.Optional and a module-qualified date: the hints, not the text, count."""

    COLUMNS: typing.ClassVar[tuple[str, ...]] = ("calls", "day", "ratio", "tags")
    calls: Optional[int] = None  # noqa: UP045 - the spelling is what this test is about
    day: typing.Optional[datetime.date] = None  # noqa: UP045
    ratio: float | None = None
    tags: tuple[str, ...] = parsed(split_list(","), default=(), column="tag_list")
    extra: dict[str, str] = attrs.field(factory=dict, eq=False)


def test_fields_parse_by_their_resolved_type_whatever_the_spelling() -> None:
    row = SpelledOtherwise.from_row(
        {"calls": "7", "day": "2026-11-28", "ratio": "0.5", "tag_list": "a,,b", "more": "x"})
    assert row == SpelledOtherwise(7, datetime.date(2026, 11, 28), 0.5, ("a", "b"))
    assert row.extra == {"more": "x"}


def test_a_field_type_without_a_parser_is_refused_when_the_class_is_first_used() -> None:
    @attrs.frozen(slots=True)
    class Odd(TableRow):
        when: list[int] = attrs.field(factory=list)
        extra: dict[str, str] = attrs.field(factory=dict, eq=False)

    with pytest.raises(TypeError, match=r"Odd\.when"):
        Odd.from_row({"when": "1"})


def test_type_hints_are_resolved_once_per_class_not_per_row(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[type] = []
    real = _rows.get_type_hints

    def counting(cls: type) -> dict[str, typing.Any]:
        calls.append(cls)
        return real(cls)

    @attrs.frozen(slots=True)
    class Fresh(TableRow):
        n: int | None = None
        extra: dict[str, str] = attrs.field(factory=dict, eq=False)

    monkeypatch.setattr(_rows, "get_type_hints", counting)
    assert [Fresh.from_row({"n": str(i)}).n for i in range(50)] == list(range(50))
    assert calls == [Fresh]


@pytest.mark.parametrize("cls", [LeadRecord, LeadSearchRow, CallbackRow, ListInfoRow,
                                 ListCustomFieldsRow, DidLogRow])
def test_every_table_row_model_is_a_table_row_keeping_unknown_columns(cls: type[TableRow]) -> None:
    assert issubclass(cls, TableRow)
    row = cls.from_row({**{c: "" for c in cls.COLUMNS}, "surprise": "kept"})
    assert row.extra == {"surprise": "kept"}  # type: ignore[attr-defined]


def test_list_custom_fields_reads_its_wire_column() -> None:
    row = ListCustomFieldsRow.from_row({"list_id": "101", "active": "Y",
                                        "custom_fields_list_space_delimited": "a b  c"})
    assert (row.list_id, row.active, row.custom_fields, row.extra) == (101, True, ("a", "b", "c"), {})


def test_lead_search_ids_skip_what_is_not_a_number() -> None:
    row = LeadSearchRow.from_row({"search_key": "312", "records_found": "2", "lead_ids": "9-x-3"})
    assert (row.records_found, row.lead_ids) == (2, (9, 3))
