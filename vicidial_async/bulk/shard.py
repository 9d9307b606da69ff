"""Splitting one input among N loader processes, and merging their results back in input order.

``vicidial leads load FILE --shard I/N`` loads the I-th of N round-robin shares of FILE: input
row r (1-based) belongs to shard ``(r - 1) % N + 1``. Each shard writes its own results file
(``FILE.results.shard-I-of-N.csv``), with rows numbered within the shard, so row k of shard I is
input row ``(k - 1) * N + I``. Dealing rows round-robin needs no row count up front and gives
every shard the same share (to one row).

:func:`merge_results` reads the N shard files side by side (memory stays flat) and writes one
results file in input order, each row numbered as in the input. Shards loaded with
``keep_columns`` merge with the input's columns kept; shards of mixed shapes are refused.

>>> parse_shard("2/4")
(2, 4)
>>> shard_path(Path("leads.results.csv"), (2, 4)).name
'leads.results.shard-2-of-4.csv'
>>> input_row(3, (2, 4))
10
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Sequence
from pathlib import Path

import attrs

from ..errors import ConfigurationError
from .outcome import RowOutcome
from .results import (
    Kept,
    ResultsWriter,
    _parse,
    _records,
    kept_columns,
    read_header,
    results_columns,
    results_format,
)

__all__ = ["MergeSummary", "input_row", "merge_results", "parse_shard", "shard_path"]


def parse_shard(text: str) -> tuple[int, int]:
    """``"I/N"`` -> ``(I, N)`` with ``1 <= I <= N``; a clear error otherwise."""
    i_text, sep, n_text = text.partition("/")
    try:
        if not sep:
            raise ValueError
        i, n = int(i_text), int(n_text)
    except ValueError:
        raise ConfigurationError(f"--shard takes I/N (e.g. 2/4), got {text!r}") from None
    if not 1 <= i <= n:
        raise ConfigurationError(f"--shard I/N needs 1 <= I <= N, got {text!r}")
    return i, n


def shard_path(results: Path, shard: tuple[int, int]) -> Path:
    """The results file of one shard: ``.shard-I-of-N`` before the suffix of ``results``."""
    i, n = shard
    return results.with_name(f"{results.stem}.shard-{i}-of-{n}{results.suffix}")


def input_row(k: int, shard: tuple[int, int]) -> int:
    """The input row of row ``k`` (1-based) of a shard."""
    i, n = shard
    return (k - 1) * n + i


@attrs.frozen(slots=True)
class MergeSummary:
    """What :func:`merge_results` wrote: the rows, the count per outcome, and the file."""

    rows: int
    counts: dict[str, int]
    path: Path


def _shape(path: Path) -> Kept:
    """The input columns a CSV shard file keeps, from its header (JSON lines: per record)."""
    return kept_columns(read_header(path)) if results_format(path) == "csv" else None


def _outcomes(path: Path, kept: Kept) -> Iterator[RowOutcome]:
    fmt = results_format(path)
    header = results_columns(kept)
    first = True
    for _, line in _records(path):
        if first and fmt == "csv":
            first = False
            continue  # the header
        first = False
        try:
            yield RowOutcome.from_record(_parse(line, fmt, header))
        except (ValueError, KeyError) as exc:
            raise ConfigurationError(f"{path}: a record that is not a results row ({exc})") from None


def _kept_by(how: bool) -> str:
    return "with" if how else "without"


def merge_results(shards: Sequence[str | os.PathLike[str]], out: str | os.PathLike[str], *,
                  overwrite: bool = False) -> MergeSummary:
    """Merge the results of shards 1..N (``shards[I-1]`` is shard I's file) into ``out``, in
    input order, with input row numbers.

    Refuses shard files that do not fit together: a missing file, a row out of sequence, sizes
    that no single input could have given (an unfinished shard: ``--resume`` it first), or shards
    loaded with and without ``keep_columns`` (``--keep-columns``). The merged file keeps the input
    columns the shards kept.
    """
    paths = [Path(p) for p in shards]
    n = len(paths)
    if n < 1:
        raise ConfigurationError("merge needs at least one shard results file")
    for p in paths:
        if not p.is_file():
            raise ConfigurationError(f"no such shard results file: {p}")
    target = Path(out)
    if target.resolve() in {p.resolve() for p in paths}:
        raise ConfigurationError("the merged file must not be one of the shard files")
    if len({results_format(p) for p in paths}) > 1:
        raise ConfigurationError("the shard results files are not all CSV or all JSON lines")
    shapes = [_shape(p) for p in paths]
    for i, shape in enumerate(shapes[1:], start=2):
        if shape != shapes[0]:
            raise ConfigurationError(
                f"shard {i} of {n} has other columns than shard 1 ({_kept_by(shape is not None)} "
                f"vs {_kept_by(shapes[0] is not None)} the input's columns, --keep-columns): "
                "every shard must be loaded with the same settings")
    kept = shapes[0]
    readers = [_outcomes(p, kept) for p in paths]
    counts: dict[str, int] = {}
    # JSON lines carry the kept columns in each record: the first record sets what all must do.
    json_kept: bool | None = None
    writer = ResultsWriter(target, append=False, overwrite=overwrite, kept=kept)
    rows = 0
    try:
        k = 0
        ended: int | None = None  # the first shard that ran out, in the last round
        while True:
            k += 1
            for i, reader in enumerate(readers, start=1):
                outcome = next(reader, None)
                if outcome is None:
                    if ended is None:
                        ended = i
                    continue
                if ended is not None:
                    # Shard `ended` stopped at row k - 1 while a later one goes on: no single
                    # input deals rows like that, so a shard is unfinished or from another run.
                    raise ConfigurationError(
                        f"shard {ended} of {n} ends at row {k - 1} but shard {i} has a row {k}: "
                        "finish every shard (leads load --resume) before merging")
                if outcome.row != k:
                    raise ConfigurationError(f"{paths[i - 1]}: row {outcome.row} where row {k} was "
                                             "expected (not a complete shard results file)")
                if writer.format == "jsonl":
                    has = outcome.input is not None
                    if json_kept is None:
                        json_kept = has
                    elif has != json_kept:
                        raise ConfigurationError(
                            f"{paths[i - 1]}: row {k} is {_kept_by(has)} the input's columns, "
                            f"earlier rows {_kept_by(json_kept)} (--keep-columns): every shard "
                            "must be loaded with the same settings")
                writer.write(attrs.evolve(outcome, row=input_row(k, (i, n))))
                rows += 1
                counts[outcome.outcome.value] = counts.get(outcome.outcome.value, 0) + 1
            if ended is not None:
                break
        for i, reader in enumerate(readers, start=1):
            if next(reader, None) is not None:
                raise ConfigurationError(
                    f"shard {i} of {n} goes on after shard {ended} ended: finish every shard "
                    "(leads load --resume) before merging")
        writer.flush()
    except BaseException:
        writer.close()
        target.unlink(missing_ok=True)
        raise
    writer.close()
    return MergeSummary(rows, counts, target)
