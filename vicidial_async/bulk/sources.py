"""Input rows, streamed: a CSV file, a JSON-lines file, or any (async) iterable of mappings.

A row that cannot be read (a JSON line that is not an object, a CSV record with more fields than
the header) is not skipped: it comes out as a :class:`BadRow`, so it still gets its own
``rejected`` outcome. Files are read lazily, one record at a time, so memory stays flat.
"""

from __future__ import annotations

import csv
import hashlib
import io
import itertools
import json
import os
from collections.abc import AsyncIterable, AsyncIterator, Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

import anyio.lowlevel
import attrs

from ..errors import ConfigurationError

__all__ = ["BadRow", "RowSource", "count_rows", "jsonl_columns", "open_source"]

Source = str | os.PathLike[str] | Iterable[Mapping[str, Any]] | AsyncIterable[Mapping[str, Any]]
_CSV_SUFFIXES = {".csv": ",", ".tsv": "\t", ".txt": ","}
_JSONL_SUFFIXES = {".jsonl", ".ndjson", ".json"}
_FINGERPRINT_BYTES = 1 << 20
# Rows read between passes through the event loop (reading never blocks for long, but the workers
# must run between chunks).
_CHUNK = 64


@attrs.frozen(slots=True)
class BadRow:
    """A record that could not be read as a row (it is reported as ``rejected``).

    ``values`` holds what could be read of it by column (a CSV record's fields under the header's
    names, as far as the header goes), ``record`` the record as text, so a load that keeps the
    input's columns loses nothing of it.
    """

    error: str
    values: Mapping[str, Any] = attrs.field(factory=dict)
    record: str = ""


def _format_of(path: Path, fmt: str | None) -> str:
    if fmt is not None:
        if fmt not in ("csv", "tsv", "jsonl"):
            raise ConfigurationError(f"format must be csv, tsv or jsonl, got {fmt!r}")
        return fmt
    suffix = path.suffix.lower()
    if suffix in _JSONL_SUFFIXES:
        return "jsonl"
    if suffix in _CSV_SUFFIXES:
        return "tsv" if suffix == ".tsv" else "csv"
    raise ConfigurationError(f"cannot tell the format of {path.name!r} from its name: use .csv, "
                             ".tsv, .jsonl or .ndjson (or pass format=)")


class RowSource:
    """An open input: iterate it (``async for row in src``) for mappings or :class:`BadRow`.

    ``columns`` is the CSV header (``None`` for JSON lines and iterables); ``fingerprint`` identifies
    a file's content (path, size, SHA-256 of the whole file) so a resume can refuse a changed input.
    """

    def __init__(self, source: Source, *, format: str | None = None,
                 shard: tuple[int, int] | None = None) -> None:
        self.path: Path | None = None
        # (i, n): only every n-th record from the i-th (1-based) on, for ``leads load --shard``.
        self.shard = shard
        self.format = "iterable"
        self.columns: tuple[str, ...] | None = None
        self._iterable: Any = None
        self._file: Any = None
        if isinstance(source, (str, os.PathLike)):
            self.path = Path(source)
            if not self.path.is_file():
                raise ConfigurationError(f"no such input file: {self.path}")
            self.format = _format_of(self.path, format)
            self._open()
        elif isinstance(source, (AsyncIterable, Iterable)) and not isinstance(source, (bytes, Mapping)):
            self._iterable = source
        else:
            raise ConfigurationError("source must be a CSV/JSONL path or an iterable of mappings")

    def _open(self) -> None:
        assert self.path is not None
        if self.format == "jsonl":
            self._file = open(self.path, encoding="utf-8-sig")  # noqa: SIM115 - closed by close()
            return
        self._file = open(self.path, encoding="utf-8-sig", newline="")  # noqa: SIM115
        reader = csv.reader(self._file, delimiter="\t" if self.format == "tsv" else ",")
        header = next(reader, None)
        if header is None:
            self.columns = ()
        else:
            self.columns = tuple(h.strip() for h in header)
            if len(set(self.columns)) != len(self.columns) or any(not c for c in self.columns):
                raise ConfigurationError(f"{self.path.name}: the header has empty or repeated "
                                         "column names")
        self._reader = reader

    def fingerprint(self) -> dict[str, Any]:
        """What identifies this input across runs: a SHA-256 of the whole file, plus a short hash
        of each MiB so that a refused resume can say where the file changed."""
        if self.path is None:
            out: dict[str, Any] = {"kind": "iterable"}
        else:
            whole = hashlib.sha256()
            parts: list[str] = []
            size = 0
            with open(self.path, "rb") as fh:
                while chunk := fh.read(_FINGERPRINT_BYTES):
                    whole.update(chunk)
                    parts.append(hashlib.sha256(chunk).hexdigest()[:16])
                    size += len(chunk)
            out = {"kind": self.format, "path": str(self.path.resolve()), "size": size,
                   "sha256": whole.hexdigest(), "mib": parts}
        if self.shard is not None:
            out["shard"] = f"{self.shard[0]}/{self.shard[1]}"
        return out

    def close(self) -> None:
        """Close the file (iterables are left alone)."""
        if self._file is not None:
            self._file.close()
            self._file = None

    def __aiter__(self) -> AsyncIterator[Mapping[str, Any] | BadRow]:
        return self._rows()

    async def _rows(self) -> AsyncIterator[Mapping[str, Any] | BadRow]:
        async for chunk in self.chunks():
            for row in chunk:
                yield row

    def chunks(self) -> AsyncIterator[list[Mapping[str, Any] | BadRow]]:
        """The rows in input order, in lists of up to 64 with a pass through the event loop
        before each (a file's, a list's or a tuple's: reading ahead in them is invisible; any
        other iterable's one per list): what the loader reads, one async step per list rather
        than per row."""
        return self._chunks() if self.shard is None else self._shard_chunks(*self.shard)

    async def _shard_chunks(self, i: int, n: int) -> AsyncIterator[list[Mapping[str, Any] | BadRow]]:
        # Records are dealt round-robin: record r (1-based, bad records included) belongs to
        # shard (r - 1) % n + 1, so record k of shard i is input record (k - 1) * n + i.
        r = 0
        async for chunk in self._chunks():
            mine = chunk[(i - 1 - r) % n::n]
            r += len(chunk)
            if mine:
                yield mine

    async def _chunks(self) -> AsyncIterator[list[Mapping[str, Any] | BadRow]]:
        if self.path is not None:
            rows: Iterator[Mapping[str, Any] | BadRow] = (
                self._csv_rows() if self.format != "jsonl" else self._jsonl_rows())
        else:
            it = self._iterable
            if isinstance(it, AsyncIterable):
                async for item in it:
                    yield [_as_row(item)]
                return
            if not isinstance(it, (list, tuple)):
                # Rows of a generator are pulled one at a time: a row pulled ahead of the window
                # would be held in memory, or taken from it and never loaded should the load stop.
                for i, item in enumerate(it):
                    if i % _CHUNK == 0:
                        await anyio.lowlevel.checkpoint()
                    yield [_as_row(item)]
                return
            rows = map(_as_row, it)
        while True:
            await anyio.lowlevel.checkpoint()
            chunk: list[Mapping[str, Any] | BadRow] = []
            try:
                chunk.extend(itertools.islice(rows, _CHUNK))   # keeps what it read, should it fail
            except Exception:
                if chunk:
                    # The rows before one that cannot be read (a file that is not UTF-8, say) go
                    # first, as they did when rows were read one at a time.
                    yield chunk
                raise
            if not chunk:
                return
            yield chunk

    def _csv_rows(self) -> Iterator[Mapping[str, Any] | BadRow]:
        columns = self.columns or ()
        width = len(columns)
        for record in self._reader:
            if not record:
                continue  # a blank line is not a row
            if len(record) > width:
                yield BadRow(f"the record has {len(record)} fields, the header {width}",
                             dict(zip(columns, record, strict=False)), _csv_text(record))
                continue
            yield dict(zip(columns, record, strict=False))

    def _jsonl_rows(self) -> Iterator[Mapping[str, Any] | BadRow]:
        for line in self._file:
            if not line.strip():
                continue
            try:
                value = json.loads(line)
            except ValueError as exc:
                yield BadRow(f"not valid JSON: {exc}", record=line.rstrip("\r\n"))
                continue
            yield _as_row(value, line.rstrip("\r\n"))


def _csv_text(fields: list[str]) -> str:
    buf = io.StringIO()
    csv.writer(buf, lineterminator="").writerow(fields)
    return buf.getvalue()


def _as_row(item: Any, text: str | None = None) -> Mapping[str, Any] | BadRow:
    if type(item) is dict or isinstance(item, Mapping):  # a dict without the ABC's check
        return item
    return BadRow(f"a row must be a mapping of column to value, got {type(item).__name__}",
                  record=text if text is not None else repr(item))


def jsonl_columns(path: str | os.PathLike[str]) -> tuple[str, ...]:
    """Every key of a JSON-lines file's rows, in the order they first appear (the columns a CSV
    results file needs to keep each row's own columns; records that are not objects have none)."""
    seen: dict[str, None] = {}
    with open(path, encoding="utf-8-sig") as fh:
        for line in fh:
            if not line.strip():
                continue
            try:
                value = json.loads(line)
            except ValueError:
                continue
            if isinstance(value, Mapping):
                seen.update(dict.fromkeys(str(k) for k in value))
    return tuple(seen)


def open_source(source: Source, *, format: str | None = None,
                shard: tuple[int, int] | None = None) -> RowSource:
    """Open ``source`` for streaming (see :class:`RowSource`); ``shard=(i, n)`` keeps the i-th of
    n round-robin shares of its records (see :mod:`vicidial_async.bulk.shard`)."""
    return RowSource(source, format=format, shard=shard)


def count_rows(path: str | os.PathLike[str], *, format: str | None = None,
               shard: tuple[int, int] | None = None) -> int:
    """The number of rows in an input file (one quick pass; used for progress and ETA), or in
    one shard of it."""
    src = RowSource(path, format=format)
    try:
        if src.format == "jsonl":
            total = sum(1 for line in src._file if line.strip())
        else:
            total = sum(1 for record in src._reader if record)
    finally:
        src.close()
    if shard is None:
        return total
    i, n = shard
    return total // n + (1 if i <= total % n else 0)


def describe_change(old: Mapping[str, Any], new: Mapping[str, Any]) -> str:
    """Say how the input file behind fingerprint ``new`` differs from the one behind ``old``."""
    what: list[str] = []
    if old.get("path") != new.get("path"):
        what.append(f"the path ({old.get('path')} -> {new.get('path')})")
    if old.get("shard") != new.get("shard"):
        what.append(f"the shard ({old.get('shard')} -> {new.get('shard')})")
    if old.get("size") != new.get("size"):
        what.append(f"the size ({old.get('size')} -> {new.get('size')} bytes)")
    before, after = list(old.get("mib") or ()), list(new.get("mib") or ())
    changed = [i for i in range(max(len(before), len(after)))
               if i >= len(before) or i >= len(after) or before[i] != after[i]]
    if changed:
        first = changed[0]
        what.append(f"the content from byte {first * _FINGERPRINT_BYTES:,} on (MiB {first + 1}"
                    + (f" and {len(changed) - 1} more" if len(changed) > 1 else "") + ")")
    elif old.get("sha256") != new.get("sha256") or old.get("kind") != new.get("kind"):
        what.append("the content")
    return ", ".join(what) or "the file"
