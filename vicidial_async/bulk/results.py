"""The results file: one outcome per input row, in input order, as CSV or JSON lines.

Every record is exactly one physical line (values never hold a line break), so a resume can keep
the first ``k`` records a checkpoint vouches for and cut whatever a crash left after them.
"""

from __future__ import annotations

import csv
import io
import json
import os
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Any

from .._durable import fsync_dir
from ..errors import ConfigurationError
from .outcome import RESULT_COLUMNS, RowOutcome

__all__ = ["ResultsWriter", "results_format", "rewrite_results", "scan_results"]


def results_format(path: Path) -> str:
    """``jsonl`` for .jsonl/.ndjson/.json, else ``csv``."""
    return "jsonl" if path.suffix.lower() in (".jsonl", ".ndjson", ".json") else "csv"


def _csv_line(values: list[str]) -> str:
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerow(values)
    return buf.getvalue()


def format_line(outcome: RowOutcome, fmt: str) -> str:
    """One results record as a line of text (with its newline)."""
    if fmt == "jsonl":
        return json.dumps(outcome.to_record(), ensure_ascii=False, separators=(",", ":")) + "\n"
    return _csv_line(outcome.to_csv_row())


class ResultsWriter:
    """Appends outcomes to the results file (the caller writes them in input order)."""

    def __init__(self, path: Path, *, append: bool, overwrite: bool = False) -> None:
        self.path = path
        self.format = results_format(path)
        mode = "a" if append else "w" if overwrite else "x"
        try:
            self._fh = open(path, mode, encoding="utf-8", newline="")  # noqa: SIM115 - close()
        except FileExistsError:
            raise ConfigurationError(f"{path} exists: pass resume=True (--resume) to continue that "
                                     "run, or choose another results file") from None
        self._csv = csv.writer(self._fh, lineterminator="\n") if self.format == "csv" else None
        if not append and self._csv is not None:
            self._csv.writerow(RESULT_COLUMNS)

    def write(self, outcome: RowOutcome) -> None:
        """Buffer one record (see :meth:`flush`)."""
        if self._csv is not None:
            self._csv.writerow(outcome.to_csv_row())
        else:
            self._fh.write(json.dumps(outcome.to_record(), ensure_ascii=False,
                                      separators=(",", ":")) + "\n")

    def flush(self) -> None:
        """Hand everything written so far to the operating system."""
        self._fh.flush()

    def fileno(self) -> int:
        return self._fh.fileno()

    def close(self) -> None:
        if not self._fh.closed:
            self._fh.close()


def _records(path: Path) -> Iterator[tuple[int, bytes]]:
    """(end offset, line) of each complete line of the file."""
    offset = 0
    with open(path, "rb") as fh:
        for line in fh:
            if not line.endswith(b"\n"):
                return  # a torn last line
            offset += len(line)
            yield offset, line


def _parse(line: bytes, fmt: str) -> Mapping[str, Any]:
    text = line.decode("utf-8")
    if fmt == "jsonl":
        value = json.loads(text)
        if not isinstance(value, dict):
            raise ValueError("not an object")
        return value
    values = next(csv.reader([text]))
    return dict(zip(RESULT_COLUMNS, values, strict=False))


def scan_results(path: Path, keep: int, visit: Callable[[RowOutcome], None]) -> None:
    """Keep the first ``keep`` records of a results file, cut the rest, and show each kept record
    to ``visit`` (to rebuild counts and the set of lead ids this load added).

    Raises :class:`ConfigurationError` when the file holds fewer records than the journal's
    checkpoint promises (it was edited or lost data).
    """
    fmt = results_format(path)
    if keep == 0:
        # Nothing was checkpointed: start the file over (a CSV gets its header back).
        with open(path, "w", encoding="utf-8", newline="") as fh:
            if fmt == "csv":
                fh.write(_csv_line(list(RESULT_COLUMNS)))
        return
    if not path.exists():
        raise ConfigurationError(f"{path} is missing; the journal cannot be resumed without it")
    end = 0
    seen = 0
    header = fmt == "csv"
    for offset, line in _records(path):
        if header:
            header = False
            end = offset
            continue
        if seen == keep:
            break
        try:
            outcome = RowOutcome.from_record(_parse(line, fmt))
        except (ValueError, KeyError) as exc:
            raise ConfigurationError(f"{path}: record {seen + 1} is damaged ({exc})") from None
        if outcome.row != seen + 1:
            raise ConfigurationError(f"{path}: record {seen + 1} is for row {outcome.row}")
        visit(outcome)
        seen += 1
        end = offset
    if seen < keep:
        raise ConfigurationError(f"{path} holds {seen} complete records but the journal's "
                                 f"checkpoint promises {keep}: the file was changed or lost data")
    with open(path, "r+b") as fh:
        fh.truncate(end)


def rewrite_results(path: Path, overrides: Mapping[int, RowOutcome], *, fsync: bool) -> None:
    """Replace the records of the rows in ``overrides`` (1-based row -> new outcome), atomically."""
    fmt = results_format(path)
    tmp = path.with_name(path.name + ".tmp")
    header = fmt == "csv"
    row = 0
    with open(tmp, "wb") as out:
        for _, line in _records(path):
            if header:
                header = False
                out.write(line)
                continue
            row += 1
            new = overrides.get(row)
            out.write(format_line(new, fmt).encode("utf-8") if new is not None else line)
        out.flush()
        if fsync:
            os.fsync(out.fileno())
    os.replace(tmp, path)
    if fsync:
        fsync_dir(path.parent)
