"""Decoder for delimited table answers (``stage`` pipe/csv/tab/newline, ``header=YES`` or not).

The wire has no quoting or escaping, so a value may hold the delimiter or a line break. The known
column list of the function is what makes such rows decodable: a row with too many fields folds its
surplus into the last column (unless extra columns are expected, e.g. custom fields), a row with too
few is joined with the next line (a line break inside a value). A short last row in a body that
does not end with a line feed is a truncated answer.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

import attrs

from ..errors import TruncatedAnswerError
from .line_reuse import LINE_REUSE
from .lines import StatusLine, parse_line, raise_for_error_lines
from .registry import FunctionSpec

__all__ = ["DELIMITERS", "Table", "decode_table", "delimiter_for"]

DELIMITERS = {"pipe": "|", "csv": ",", "tab": "\t", "newline": "\n"}


@attrs.frozen(slots=True)
class Table:
    """Rows of a table answer. ``columns`` names every position, extra columns included."""

    function: str
    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    notices: tuple[StatusLine, ...] = ()
    raw: str = attrs.field(default="", repr=False)

    def __len__(self) -> int:
        return len(self.rows)

    def __iter__(self) -> Iterator[tuple[str, ...]]:
        return iter(self.rows)

    def dicts(self) -> list[dict[str, str]]:
        """Rows as dicts keyed by column name."""
        return [dict(zip(self.columns, row, strict=False)) for row in self.rows]


def delimiter_for(spec: FunctionSpec, stage: str | None) -> str:
    """The delimiter the server uses: anything but an accepted stage falls back to pipe."""
    if stage and stage in spec.response.stages and stage in DELIMITERS:
        return DELIMITERS[stage]
    return "|"


def _status_prefix(body: str) -> bool:
    head = body.lstrip()
    return head.startswith("ERROR:") or head.startswith("NOTICE:")


def decode_table(spec: FunctionSpec, body: str, *, stage: str | None = None, header: bool = False,
                 columns: Sequence[str] | None = None, extra_columns: bool = False,
                 unterminated: bool = False, delimiter: str | None = None) -> Table:
    """Decode a table answer.

    ``stage`` and ``header`` are what was sent; ``columns`` overrides the reference column list
    (e.g. agent_stats_export with group_by_campaign=YES prepends campaign_id); ``extra_columns``
    says unnamed surplus columns are expected (custom fields) rather than delimiters in a value;
    ``unterminated`` says the server never ends the last line (call_dispo_report), so a missing
    final line feed is no sign of truncation; ``delimiter`` fixes the delimiter whatever the stage.
    """
    known = tuple(columns) if columns is not None else spec.response.columns
    if _status_prefix(body):
        tagged = [p for p in (parse_line(x, spec) for x in body.split("\n") if x.strip()) if p]
        raise_for_error_lines(spec, tagged, body)
        return Table(spec.name, known, (), tuple(tagged), body)
    delim = delimiter if delimiter is not None else delimiter_for(spec, stage)
    if not body.strip():
        return Table(spec.name, known, (), (), body)
    if delim == "\n":
        return _decode_newline(spec, body, known, header)

    complete = unterminated or body.endswith("\n")
    lines = body.split("\n")
    if body.endswith("\n"):
        lines.pop()
    if "\r" in body:
        lines = [x.rstrip("\r") for x in lines]
    names = known
    if header and lines:
        # The server's header is the truth for this answer: optional columns (list_info's counts,
        # agent_status's computer_ip) come and go, so the reference list may be longer or ordered
        # for another option set.
        first = lines.pop(0)
        # lead_search prints its header names glued together ('search_keyrecords_foundlead_ids'):
        # no delimiter to split on, so the known columns stand in for it.
        names = known if known and delim not in first and first == "".join(known) else tuple(
            first.split(delim))
    n = max(len(names), 1)
    # Nearly every answer has exactly one field per column on every line: split them all at once
    # and keep the result when that holds. The loop below decides everything else (line breaks in
    # values, surplus delimiters, a cut-short last row) and gives the same rows for such answers.
    reuse = LINE_REUSE.get()
    fast = ([tuple(line.split(delim)) for line in lines] if reuse is None
            else reuse.split(lines, delim))
    if len(names) == n and all(len(parts) == n for parts in fast):
        return Table(spec.name, names, tuple(fast), (), body)
    rows: list[tuple[str, ...]] = []
    pending: list[str] | None = None
    for i, line in enumerate(lines):
        parts = line.split(delim)
        if pending is not None:
            # A line break inside the previous row's last value.
            pending[-1] += "\n" + parts[0]
            pending.extend(parts[1:])
            parts = pending
            pending = None
        if len(parts) < n:
            if i == len(lines) - 1:
                if not complete:
                    raise TruncatedAnswerError(
                        f"{spec.name}: table row cut short ({len(parts)} of {n} fields)",
                        function=spec.name, raw=body)
                if len(parts) == 1 and parts[0] == "":
                    continue
            else:
                pending = parts
                continue
        if len(parts) == n + 1 and parts[-1] == "":
            parts.pop()  # a trailing delimiter (call_status_stats ends rows with '|')
        if len(parts) > n and not (extra_columns and not header):
            parts = [*parts[:n - 1], delim.join(parts[n - 1:])]
        rows.append(tuple(parts))
    if pending is not None:
        rows.append(tuple(pending))
    width = max((len(r) for r in rows), default=n)
    if width > len(names):
        # Name surplus positions after the reference where it knows them, else extra_N.
        more = [c for c in known[len(names):width] if c not in names]
        more += [f"extra_{i + 1}" for i in range(width - len(names) - len(more))]
        names = names + tuple(more)
    return Table(spec.name, names, tuple(rows), (), body)


def _decode_newline(spec: FunctionSpec, body: str, known: tuple[str, ...], header: bool) -> Table:
    """stage=newline: one value per line, rows one after another (header names first if asked)."""
    values = body.split("\n")
    if body.endswith("\n"):
        values.pop()
    total = len(values)
    base = max(len(known), 1)
    if header:
        # Custom fields add names we do not know: the header width n is the smallest n >= the known
        # count whose remaining value count is a whole number of rows.
        n = next((k for k in range(base, total + 1) if (total - k) % k == 0), base)
        names = tuple(values[:n])
        data = values[n:]
    else:
        n = base
        names = known
        data = values
    if len(data) % n:
        if not body.endswith("\n"):
            raise TruncatedAnswerError(f"{spec.name}: newline table cut short", function=spec.name,
                                       raw=body)
        n_rows = len(data) // n + 1
        data = data + [""] * (n_rows * n - len(data))
    rows = tuple(tuple(data[i : i + n]) for i in range(0, len(data), n))
    return Table(spec.name, names, rows, (), body)
