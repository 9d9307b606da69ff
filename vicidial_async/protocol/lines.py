"""Decoder for status-line answers (``SUCCESS:`` / ``NOTICE:`` / ``ERROR:`` lines).

Pure functions: text in, :class:`StatusAnswer` out, or a typed :class:`~vicidial_async.APIError`.

Wire facts handled here: the tag may stand anywhere in a line (add_lead glues parsed alt-phone
records in front of a NOTICE); the data follows `` - `` or ``: |`` or ``: `` and is pipe-joined with a
trailing empty field; one answer holds several lines.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any, Literal

import attrs

from ..errors import APIError, InvalidParameterError, error_class_for_kind
from .registry import ErrorTemplate, Facet, FunctionSpec, Template, common_errors

__all__ = ["NamedFields", "StatusAnswer", "StatusLine", "decode_status", "message_lines", "parse_line",
           "raise_for_error_lines"]

Tag = Literal["SUCCESS", "NOTICE", "ERROR"]
_TAGS: tuple[tuple[Tag, str], ...] = (("SUCCESS", "SUCCESS: "), ("NOTICE", "NOTICE: "), ("ERROR", "ERROR: "))
# Where a message ends in an answer that runs them together: a line break, after "<BR>", or before
# a tag that does not continue a "..., " prefix of its own message ("Invalid recipient_type (X), ").
_MESSAGES = re.compile(r"\n|(?<=<BR>)|(?<!, )(?=(?:SUCCESS|NOTICE|ERROR): )")


class NamedFields:
    """``get(name)`` over ``fields``: a status line's values by the name its template gives them
    (status lines and the results read from them)."""

    __slots__ = ()
    fields: dict[str, str]

    def get(self, name: str, default: str = "") -> str:
        """A named field of the (SUCCESS) line, or ``default``."""
        return self.fields.get(name, default)


@attrs.frozen(slots=True)
class StatusLine(NamedFields):
    """One tagged line. ``fields`` names the values when a reference template matched."""

    tag: Tag
    reason: str
    data: tuple[str, ...]
    text: str
    prefix: str = ""
    fields: dict[str, str] = attrs.field(factory=dict, eq=False)
    template: str | None = None
    """The reference template the line matched (its text: the line's identity), or None."""
    facet: Facet = ""
    """What the line means besides its words, from the generated declarations (see
    :data:`~vicidial_async.protocol.registry.Facet`): ``added``, ``queued``, ``no_updates``,
    ``nothing_found`` ... or empty when no template fits the line."""


@attrs.frozen(slots=True)
class StatusAnswer:
    """A decoded status answer: its SUCCESS and NOTICE lines in order, plus untagged lines."""

    function: str
    lines: tuple[StatusLine, ...]
    other: tuple[str, ...]
    raw: str = attrs.field(repr=False)
    recovered: bool = False
    """True when this answer was rebuilt from a DUPLICATE error on a resend after an attempt that may
    have landed (add_lead with duplicate_check only): usually the lost attempt added that lead, but it
    may also have existed before (see ``AddLeadResult``)."""

    @property
    def success(self) -> tuple[StatusLine, ...]:
        return tuple([line for line in self.lines if line.tag == "SUCCESS"])

    @property
    def notices(self) -> tuple[StatusLine, ...]:
        return tuple([line for line in self.lines if line.tag == "NOTICE"])

    @property
    def no_updates(self) -> bool:
        """True when a NOTICE line says there was nothing to change (NO UPDATES DEFINED)."""
        return any(line.tag == "NOTICE" and line.facet == "no_updates" for line in self.lines)

    @property
    def ok(self) -> bool:
        """True when at least one SUCCESS line came back."""
        return any(line.tag == "SUCCESS" for line in self.lines)


def _find_tag(line: str) -> tuple[Tag, int] | None:
    for tag, token in _TAGS:
        # Most lines start with their tag; only one tag can start at 0, so it is the first.
        if line.startswith(token):
            return tag, 0
    best: tuple[Tag, int] | None = None
    for tag, token in _TAGS:
        i = line.find(token)
        if i >= 0 and (best is None or i < best[1]):
            best = (tag, i)
    return best


def _split_reason(rest: str) -> tuple[str, tuple[str, ...]]:
    """Split ``REASON - a|b|`` / ``REASON: |a|b|`` / ``REASON: a|b`` into reason and data."""
    # The first of the three separators wins (": |" is ": " followed by "|"). A ": " before
    # " - " may end one character into it ("a: - b"), hence cut + 1.
    cut = rest.find(" - ")
    colon = rest.find(": ", 0, cut + 1) if cut >= 0 else rest.find(": ")
    if colon >= 0:
        cut, width = colon, 3 if rest.startswith(": |", colon) else 2
    elif cut >= 0:
        width = 3
    else:
        return rest.strip(), ()
    parts = rest[cut + width :].split("|")
    if not parts[-1].strip():
        parts.pop()
    return rest[:cut].strip(), tuple(map(str.strip, parts))


def _match(templates: Iterable[Template], text: str, token: str) -> tuple[Template, re.Match[str]] | None:
    """The template that fits ``text`` best.

    Several templates can fit one line, because a placeholder also matches the separators of a
    longer variant (``...IN LIST - {phone}|{list}|{lead_id}`` fits ``...|2001|ALT``, putting
    ``2001|ALT`` in lead_id). The best fit leaves the fewest ``|`` inside values, then names the
    most fields; among equals the first template of the reference wins. Only templates holding the
    line's tag ``token`` count (a multi-line template also has untagged data lines).
    """
    fits: list[tuple[Template, re.Match[str]]] = []
    for t in templates:
        if token in t.text and (m := t.pattern.fullmatch(text)) is not None:
            fits.append((t, m))
    if len(fits) < 2:
        return fits[0] if fits else None
    # min keeps the first of equal keys: the reference's order breaks ties.
    return min(fits, key=lambda fit: (sum((v or "").count("|") for v in fit[1].groups()),
                                      -len(fit[0].fields)))


def parse_line(line: str, spec: FunctionSpec | None = None) -> StatusLine | None:
    """Parse one line; ``None`` when it carries no SUCCESS/NOTICE/ERROR tag."""
    found = _find_tag(line)
    if found is None:
        return None
    tag, i = found
    text = line[i:].rstrip("\r")
    reason, data = _split_reason(text[len(tag) + 2 :])
    fields: dict[str, str] = {}
    template: Template | None = None
    if spec is not None:
        if tag == "SUCCESS":
            candidates: tuple[Template, ...] = spec.response.success
        elif tag == "NOTICE":
            candidates = spec.response.notices
        else:
            candidates = spec.error_lines
        token = text[: len(tag) + 2]
        found_t = _match(candidates, text, token)
        if found_t is None and i:
            # A few templates start before the tag ("Invalid recipient_type (X), ERROR: ...").
            found_t = _match(candidates, line.strip(), token)
        if found_t is not None:
            template, m = found_t
            fields = {k: v.strip() for k, v in m.groupdict("").items()}
        elif spec.handover is not None:
            handed = parse_line(line, spec.handover)
            if handed is not None and handed.template is not None:
                return handed
    facet = _facet(spec, tag, template) if spec is not None and template is not None else ""
    # By position, in field order: attrs' __init__ takes them faster than keywords (every line).
    return StatusLine(tag, reason, data, text, line[:i], fields,
                      template.text if template else None, facet)


def _facet(spec: FunctionSpec, tag: Tag, template: Template) -> Facet:
    if tag == "ERROR":
        return next((e.facet for e in spec.all_errors if template in e.lines), "")
    return spec.response.facet_of(template)


def _error_template(spec: FunctionSpec, line: StatusLine) -> ErrorTemplate | None:
    if line.template is None:
        return None
    for e in spec.all_errors:
        if any(t.text == line.template for t in e.lines):
            return e
    return None


_UNKNOWN_FUNCTION = next(e for e in common_errors("non_agent") if e.kind == "unknown_function")


def error_from_line(spec: FunctionSpec, line: StatusLine, raw: str,
                    lines: tuple[StatusLine, ...] = ()) -> APIError:
    """The typed exception for one ERROR line, chosen by the reference template it matches.

    ``lines`` are every tagged line of the answer, kept on the error; the error carries the
    matched template and its facet (which also sets the ``nothing_found`` / ``no_updates`` flags).
    """
    e = _error_template(spec, line)
    if e is None and spec.handover is not None:
        e = _error_template(spec.handover, line)
        if e is not None:
            spec = spec.handover
    if e is None and any(t.parse(line.text) is not None for t in _UNKNOWN_FUNCTION.lines):
        # The Non-Agent API's unknown-function answer, whatever the spec (an Agent API one too).
        e = _UNKNOWN_FUNCTION
    cls = error_class_for_kind(e.kind) if e is not None else APIError
    kw: dict[str, Any] = {"fields": line.fields, "line": line.text, "raw": raw,
                          "lines": lines or (line,), "template": line.template or "",
                          "facet": line.facet}
    if cls is InvalidParameterError or issubclass(cls, InvalidParameterError):
        return InvalidParameterError(spec.name, line.reason, line.data, **kw)
    return cls(spec.name, line.reason, line.data, **kw)


def raise_for_error_lines(spec: FunctionSpec, lines: Iterable[StatusLine], raw: str) -> None:
    """Raise the error of the first ERROR line, if any (carrying all ``lines``)."""
    every = tuple(lines)
    for line in every:
        if line.tag == "ERROR":
            raise error_from_line(spec, line, raw, every)


def message_lines(spec: FunctionSpec, body: str) -> list[str]:
    """The body's lines, or its messages for a function that runs them together
    (:attr:`~vicidial_async.protocol.registry.FunctionSpec.runs_together`)."""
    return _MESSAGES.split(body) if spec.runs_together else body.split("\n")


def decode_status(spec: FunctionSpec, body: str) -> StatusAnswer:
    """Decode a status answer; raise the typed error of its first ERROR line.

    An empty body decodes to an answer with no lines: the server really answers that way in some
    cases (update_lead with nothing to update).
    """
    lines: list[StatusLine] = []
    other: list[str] = []
    for raw_line in message_lines(spec, body):
        if not raw_line or raw_line.isspace():
            continue
        parsed = parse_line(raw_line, spec)
        if parsed is None:
            other.append(raw_line)
        else:
            lines.append(parsed)
    every = tuple(lines)
    raise_for_error_lines(spec, every, body)
    return StatusAnswer(spec.name, every, tuple(other), body)
