"""Reading input rows: files are streamed and unreadable records still become rows."""

from __future__ import annotations

from collections.abc import AsyncIterator, Mapping
from pathlib import Path
from typing import Any

import pytest

from vicidial_async import ConfigurationError
from vicidial_async.bulk import BadRow, count_rows, open_source


async def collect(source: Any, **kw: Any) -> list[Mapping[str, Any] | BadRow]:
    src = open_source(source, **kw)
    try:
        return [row async for row in src]
    finally:
        src.close()


async def test_csv_rows_keep_the_header_names_skip_blank_lines_and_flag_extra_fields(tmp_path: Path) -> None:
    path = tmp_path / "in.csv"
    path.write_bytes("\ufeffPhone,Name\n3125550101,Ann\n\n3125550102,\"Lee, Bob\"\n3125550103,X,extra\n"
                     .encode())
    rows = await collect(path)
    assert rows[:2] == [{"Phone": "3125550101", "Name": "Ann"}, {"Phone": "3125550102", "Name": "Lee, Bob"}]
    assert isinstance(rows[2], BadRow) and "3 fields" in rows[2].error
    assert count_rows(path) == 3


async def test_jsonl_lines_that_are_not_objects_become_bad_rows(tmp_path: Path) -> None:
    path = tmp_path / "in.jsonl"
    path.write_text('{"phone": "3125550101"}\n\nnot json\n[1, 2]\n{"phone": 3125550102}\n')
    rows = await collect(path)
    assert len(rows) == 4 and count_rows(path) == 4
    assert rows[0] == {"phone": "3125550101"} and rows[3] == {"phone": 3125550102}
    assert isinstance(rows[1], BadRow) and "JSON" in rows[1].error
    assert isinstance(rows[2], BadRow) and "mapping" in rows[2].error


async def test_sync_and_async_iterables_are_rows_too() -> None:
    async def agen() -> AsyncIterator[Any]:
        yield {"phone": "1"}
        yield "oops"

    assert await collect([{"phone": "1"}]) == [{"phone": "1"}]
    rows = await collect(agen())
    assert rows[0] == {"phone": "1"} and isinstance(rows[1], BadRow)


def test_bad_sources_are_refused_up_front(tmp_path: Path) -> None:
    with pytest.raises(ConfigurationError, match="no such input"):
        open_source(tmp_path / "missing.csv")
    (tmp_path / "x.xlsx").write_text("")
    with pytest.raises(ConfigurationError, match="format"):
        open_source(tmp_path / "x.xlsx")
    (tmp_path / "dup.csv").write_text("a,a\n1,2\n")
    with pytest.raises(ConfigurationError, match="repeated"):
        open_source(tmp_path / "dup.csv")
    with pytest.raises(ConfigurationError):
        open_source(42)  # type: ignore[arg-type]


def test_the_fingerprint_changes_with_the_content(tmp_path: Path) -> None:
    path = tmp_path / "in.csv"
    path.write_text("phone\n3125550101\n")
    src = open_source(path)
    before = src.fingerprint()
    src.close()
    path.write_text("phone\n3125550109\n")
    src = open_source(path)
    assert src.fingerprint() != before and src.fingerprint()["size"] == before["size"]
    src.close()


async def chunks_of(source: Any, **kw: Any) -> list[list[Mapping[str, Any] | BadRow]]:
    src = open_source(source, **kw)
    try:
        return [chunk async for chunk in src.chunks()]
    finally:
        src.close()


async def test_rows_come_in_chunks_in_input_order_and_a_generator_row_by_row(tmp_path: Path) -> None:
    rows = [{"phone": str(i)} for i in range(200)]
    path = tmp_path / "in.csv"
    path.write_text("phone\n" + "".join(f"{i}\n" for i in range(200)))
    for source in (rows, tuple(rows), path):
        got = await chunks_of(source)
        assert [len(c) for c in got] == [64, 64, 64, 8]
        assert [r for c in got for r in c] == rows
    pulled: list[int] = []

    def gen() -> Any:
        for i, row in enumerate(rows):
            pulled.append(i)
            yield row

    src = open_source(gen())
    seen = 0
    async for chunk in src.chunks():
        # Nothing is taken from a generator before the loader asks for that row.
        assert len(chunk) == 1 and len(pulled) == seen + 1
        seen += 1
    assert seen == 200


@pytest.mark.parametrize("n", [1, 2, 3, 7, 64, 65, 300])
async def test_a_shard_holds_every_nth_record_whatever_the_chunks(tmp_path: Path, n: int) -> None:
    rows = [{"phone": str(i)} for i in range(1, 201)]
    for i in range(1, min(n, 8) + 1):
        got = [r for c in await chunks_of(rows, shard=(i, n)) for r in c]
        assert got == [r for k, r in enumerate(rows, 1) if (k - 1) % n == i - 1]
        assert await collect(rows, shard=(i, n)) == got


async def test_rows_before_an_unreadable_record_come_out_before_its_error(tmp_path: Path) -> None:
    path = tmp_path / "in.csv"
    huge = "x" * 200_000   # longer than the csv module's field limit: the reader raises there
    path.write_text("phone,name\n" + "".join(f"{i},a\n" for i in range(10)) + f"10,{huge}\n11,b\n")
    src = open_source(path)
    got: list[Mapping[str, Any] | BadRow] = []
    with pytest.raises(Exception, match="field larger than field limit"):
        async for chunk in src.chunks():
            got.extend(chunk)
    src.close()
    assert got == [{"phone": str(i), "name": "a"} for i in range(10)]
