"""The results file: one outcome per input row, in input order, as CSV or JSON lines.

Every record ends with a line break and the loader's own values never hold one, so a resume can
keep the first ``k`` records a checkpoint vouches for and cut whatever a crash left after them.
Kept input columns (``keep_columns``) are written exactly as read: in JSON lines a line break is
escaped, in CSV a value holding one is quoted, and a CSV record then spans lines (a record is
complete once its quotes pair up, which is how :func:`_records` reads it back).
"""

from __future__ import annotations

import csv
import io
import json
import os
from collections.abc import Callable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

import attrs

from .._durable import fsync_dir
from ..errors import ConfigurationError
from .outcome import INPUT_PREFIX, RESULT_COLUMNS, RowOutcome

__all__ = ["ResultsWriter", "kept_columns", "results_columns", "results_format", "rewrite_results",
           "scan_results"]

Kept = Sequence[str] | None
"""The input columns a results file keeps: ``None`` for none. A CSV file names them in its header;
a JSON-lines record carries its row's own, so there any sequence (even empty) means "kept"."""


def results_format(path: Path) -> str:
    """``jsonl`` for .jsonl/.ndjson/.json, else ``csv``."""
    return "jsonl" if path.suffix.lower() in (".jsonl", ".ndjson", ".json") else "csv"


def results_columns(kept: Kept = None) -> tuple[str, ...]:
    """The header of a CSV results file: :data:`RESULT_COLUMNS`, then ``input.<column>`` for each
    kept input column, in input order.

    >>> results_columns(["Phone", "outcome"])[-3:]
    ('detail', 'input.Phone', 'input.outcome')
    """
    return RESULT_COLUMNS + tuple(INPUT_PREFIX + c for c in kept or ())


def kept_columns(header: Sequence[str]) -> tuple[str, ...] | None:
    """The input columns a CSV results header keeps (``None`` for none): :func:`results_columns`
    read backwards."""
    n = len(INPUT_PREFIX)
    kept = tuple(h[n:] for h in header[len(RESULT_COLUMNS):] if h.startswith(INPUT_PREFIX))
    return kept or None


def _cell(value: Any) -> str:
    # A CSV input's values are text already; a JSON input's numbers, booleans and nested values
    # are written as JSON, so nothing of them is lost.
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False, default=str)


def _csv_line(values: Sequence[str]) -> str:
    # csv.writer with a "\n" terminator leaves a lone "\r" unquoted, which no reader can read
    # back: every value holding a separator, a quote or either line break is quoted here.
    line = ",".join(values)
    if ('"' not in line and "\n" not in line and "\r" not in line
            and line.count(",") == len(values) - 1):
        return line + "\n"   # nothing to quote (most records): one pass over the joined line
    out = []
    for v in values:
        if "," in v or '"' in v or "\n" in v or "\r" in v:
            v = '"' + v.replace('"', '""') + '"'
        out.append(v)
    return ",".join(out) + "\n"


# Built once: json.dumps with options builds an encoder per call.
_JSONL = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), default=str)


def format_line(outcome: RowOutcome, fmt: str, kept: Kept = None) -> str:
    """One results record as text (with its final newline); ``kept`` as for :class:`ResultsWriter`."""
    if fmt == "jsonl":
        return _JSONL.encode(outcome.to_record()) + "\n"
    if kept is None:
        # Most records: every field on one line as is, nothing to quote. Checked on the whole
        # line at once (to_csv_row and _csv_line look at each field), and the line kept if so.
        o = outcome
        lead_id, list_id = o.lead_id, o.list_id
        line = (f"{o.row},{o.outcome._value_},{'' if lead_id is None else lead_id},"
                f"{'' if list_id is None else list_id},{o.phone_code},{o.phone_number},"
                f"{o.vendor_lead_code},{o.error_type},{o.error},{o.parameter},{o.detail}")
        if ('"' not in line and "\n" not in line and "\r" not in line
                and line.count(",") == len(RESULT_COLUMNS) - 1):
            return line + "\n"
    values = outcome.to_csv_row()
    if kept is not None:
        row = outcome.input or {}
        values += [_cell(row.get(c)) for c in kept]
    return _csv_line(values)


class ResultsWriter:
    """Appends outcomes to the results file (the caller writes them in input order).

    ``kept``: the input columns each record keeps (a CSV file's header names them; see
    :data:`Kept`), or ``None``.
    """

    def __init__(self, path: Path, *, append: bool, overwrite: bool = False,
                 kept: Kept = None) -> None:
        self.path = path
        self.format = results_format(path)
        self.kept = tuple(kept) if kept is not None else None
        mode = "a" if append else "w" if overwrite else "x"
        try:
            self._fh = open(path, mode, encoding="utf-8", newline="")  # noqa: SIM115 - close()
        except FileExistsError:
            raise ConfigurationError(f"{path} exists: pass resume=True (--resume) to continue that "
                                     "run, or choose another results file") from None
        if not append and self.format == "csv":
            self._fh.write(_csv_line(results_columns(self.kept)))

    def write(self, outcome: RowOutcome) -> None:
        """Buffer one record (see :meth:`flush`)."""
        self._fh.write(format_line(outcome, self.format, self.kept))

    def flush(self) -> None:
        """Hand everything written so far to the operating system."""
        self._fh.flush()

    def fileno(self) -> int:
        return self._fh.fileno()

    def close(self) -> None:
        if not self._fh.closed:
            self._fh.close()


def _records(path: Path) -> Iterator[tuple[int, bytes]]:
    """(end offset, record) of each complete record of the file.

    A JSON-lines record is one line. A CSV record is complete at the first line break outside
    quotes: a kept input value holding a line break is quoted, so the quotes of the lines read so
    far are odd until its record ends.
    """
    is_csv = results_format(path) == "csv"
    offset = 0
    parts: list[bytes] = []
    quotes = 0
    with open(path, "rb") as fh:
        for line in fh:
            if not line.endswith(b"\n"):
                return  # a torn last record
            offset += len(line)
            if is_csv:
                quotes += line.count(b'"')
                parts.append(line)
                if quotes % 2:
                    continue
                line = b"".join(parts)
                parts, quotes = [], 0
            yield offset, line


def _parse(line: bytes, fmt: str, header: Sequence[str] = RESULT_COLUMNS) -> Mapping[str, Any]:
    text = line.decode("utf-8")
    if fmt == "jsonl":
        value = json.loads(text)
        if not isinstance(value, dict):
            raise ValueError("not an object")
        return value
    values = next(csv_reader(text))
    return dict(zip(header, values, strict=False))


def csv_reader(text: str) -> Iterator[list[str]]:
    """The CSV records of ``text`` (a record may span lines)."""
    return csv.reader(io.StringIO(text, newline=""))


def read_header(path: Path) -> tuple[str, ...]:
    """The header of a CSV results file (empty for an empty file)."""
    for _, line in _records(path):
        return tuple(next(csv_reader(line.decode("utf-8")), []))
    return ()


def _shape(kept: Kept) -> str:
    return ("without the input's columns" if kept is None
            else "with the input's columns (keep_columns, --keep-columns)")


def check_header(path: Path, kept: Kept) -> None:
    """Refuse a CSV results file whose columns are not the ones this load writes."""
    header = read_header(path)
    if header == results_columns(kept):
        return
    theirs = kept_columns(header)
    if header[:len(RESULT_COLUMNS)] != RESULT_COLUMNS:
        why = "its header is not a results header"
    elif (theirs is None) != (kept is None):
        why = f"it was written {_shape(theirs)}, this load writes it {_shape(kept)}"
    else:
        why = "its input columns differ from the input's"
    raise ConfigurationError(f"cannot continue {path}: {why}")


def _check_record(path: Path, outcome: RowOutcome, kept: Kept) -> None:
    theirs = None if outcome.input is None else tuple(outcome.input)
    if (theirs is None) != (kept is None):
        raise ConfigurationError(
            f"cannot continue {path}: its record for row {outcome.row} was written "
            f"{_shape(theirs)}, this load writes it {_shape(kept)}")


def scan_results(path: Path, keep: int, visit: Callable[[RowOutcome], None], *,
                 kept: Kept = None) -> None:
    """Keep the first ``keep`` records of a results file, cut the rest, and show each kept record
    to ``visit`` (to rebuild counts and the set of lead ids this load added).

    Raises :class:`ConfigurationError` when the file holds fewer records than the journal's
    checkpoint promises (it was edited or lost data), or records of another shape than ``kept``
    (the input columns this load writes, see :class:`ResultsWriter`).
    """
    fmt = results_format(path)
    if keep == 0:
        # Nothing was checkpointed: start the file over (a CSV gets its header back).
        with open(path, "w", encoding="utf-8", newline="") as fh:
            if fmt == "csv":
                fh.write(_csv_line(results_columns(kept)))
        return
    if not path.exists():
        raise ConfigurationError(f"{path} is missing; the journal cannot be resumed without it")
    if fmt == "csv":
        check_header(path, kept)
    header = results_columns(kept)
    end = 0
    seen = 0
    first = fmt == "csv"
    for offset, line in _records(path):
        if first:
            first = False
            end = offset
            continue
        if seen == keep:
            break
        try:
            outcome = RowOutcome.from_record(_parse(line, fmt, header))
        except (ValueError, KeyError) as exc:
            raise ConfigurationError(f"{path}: record {seen + 1} is damaged ({exc})") from None
        if outcome.row != seen + 1:
            raise ConfigurationError(f"{path}: record {seen + 1} is for row {outcome.row}")
        if fmt == "jsonl":
            _check_record(path, outcome, kept)
        visit(outcome)
        seen += 1
        end = offset
    if seen < keep:
        raise ConfigurationError(f"{path} holds {seen} complete records but the journal's "
                                 f"checkpoint promises {keep}: the file was changed or lost data")
    with open(path, "r+b") as fh:
        fh.truncate(end)


def rewrite_results(path: Path, overrides: Mapping[int, RowOutcome], *, fsync: bool,
                    kept: Kept = None) -> None:
    """Replace the records of the rows in ``overrides`` (1-based row -> new outcome), atomically.

    A replaced record keeps the input columns of the record it replaces (the settled outcome
    comes from the journal, which does not hold them).
    """
    fmt = results_format(path)
    tmp = path.with_name(path.name + ".tmp")
    header = results_columns(kept)
    first = fmt == "csv"
    row = 0
    with open(tmp, "wb") as out:
        for _, line in _records(path):
            if first:
                first = False
                out.write(line)
                continue
            row += 1
            new = overrides.get(row)
            if new is None:
                out.write(line)
                continue
            if kept is not None and new.input is None:
                new = attrs.evolve(new, input=RowOutcome.from_record(_parse(line, fmt, header)).input)
            out.write(format_line(new, fmt, kept).encode("utf-8"))
        out.flush()
        if fsync:
            os.fsync(out.fileno())
    os.replace(tmp, path)
    if fsync:
        fsync_dir(path.parent)
