"""Helpers shared by the result models of status answers (SUCCESS / NOTICE lines)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from ..errors import DecodeError
from ..protocol.lines import StatusAnswer, StatusLine, parse_line
from ..protocol.registry import Facet, FunctionSpec

__all__ = ["action_of", "lines_of", "named", "notice", "success_line"]


def success_line(answer: StatusAnswer) -> StatusLine:
    """The first SUCCESS line; an answer without one is a :class:`DecodeError`."""
    for line in answer.lines:
        if line.tag == "SUCCESS":
            return line
    raise DecodeError(f"{answer.function}: no SUCCESS line", function=answer.function,
                      raw=answer.raw)


def action_of(line: StatusLine) -> str:
    """``added``, ``deleted`` or ``updated``: what a SUCCESS line of an add/update function did,
    by its template's facet (a line no template fits counts as ``updated``)."""
    return line.facet if line.facet in ("added", "deleted") else "updated"


def named(line: StatusLine, names: Iterable[str]) -> Mapping[str, str]:
    """The line's values by name: from the matched template, else by position as ``names`` lists
    (to read: the template's are the line's own, not a copy)."""
    return line.fields or dict(zip(names, line.data, strict=False))


def notice(answer: StatusAnswer | tuple[StatusLine, ...], *facets: Facet) -> StatusLine | None:
    """The first NOTICE line whose template has one of ``facets`` (see ``registry.Facet``)."""
    lines = answer.notices if isinstance(answer, StatusAnswer) else answer
    return next((n for n in lines if n.tag == "NOTICE" and n.facet in facets), None)


def lines_of(spec: FunctionSpec, raw: str) -> tuple[StatusLine, ...]:
    """Every tagged line of a raw answer (e.g. the NOTICE lines that came before an ERROR)."""
    found = (parse_line(x, spec) for x in raw.split("\n") if x.strip())
    return tuple(line for line in found if line is not None)
