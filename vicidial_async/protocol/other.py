"""Decoders for the remaining answer formats: version, key_value, html pickers and plain text."""

from __future__ import annotations

import html
import re

import attrs

from ..errors import EmptyAnswerError
from .lines import parse_line, raise_for_error_lines
from .registry import FunctionSpec

__all__ = ["HtmlRow", "KeyValues", "Picker", "TextAnswer", "decode_html", "decode_key_value",
           "decode_text", "decode_version", "raise_if_error_body"]


@attrs.frozen(slots=True)
class KeyValues:
    """``KEY: value`` pairs in wire order (version and webserver answers)."""

    function: str
    values: dict[str, str]
    raw: str = attrs.field(repr=False)

    def __getitem__(self, key: str) -> str:
        return self.values[key]

    def get(self, key: str, default: str = "") -> str:
        return self.values.get(key, default)


@attrs.frozen(slots=True)
class HtmlRow:
    """One entry of an HTML picker: its id (what ``choose_file`` would pick) and the cell texts."""

    id: str
    cells: tuple[str, ...]
    details: tuple[str, ...] = ()


@attrs.frozen(slots=True)
class Picker:
    """Entries of an HTML picker page, a link list or a tab list (the *_list system functions)."""

    function: str
    headers: tuple[str, ...]
    rows: tuple[HtmlRow, ...]
    raw: str = attrs.field(repr=False)

    def __len__(self) -> int:
        return len(self.rows)


@attrs.frozen(slots=True)
class TextAnswer:
    """A bare text answer (e.g. lead_field_info's value, webphone_url's URL)."""

    function: str
    text: str
    raw: str = attrs.field(repr=False)


def raise_if_error_body(spec: FunctionSpec, body: str) -> None:
    """Raise the typed error when an answer of a non-status format is an ERROR line."""
    if "ERROR: " not in body[:200] and not body.lstrip().startswith("ERROR:"):
        return
    lines = [p for p in (parse_line(x, spec) for x in body.split("\n") if x.strip()) if p]
    raise_for_error_lines(spec, lines, body)


def decode_version(spec: FunctionSpec, body: str) -> KeyValues:
    """``VERSION: 2.14-81|BUILD: 240429-2220|DATE: ...|EPOCH: ...|`` as a mapping."""
    raise_if_error_body(spec, body)
    if not body.strip():
        raise EmptyAnswerError(f"{spec.name}: empty answer", function=spec.name, raw=body)
    values: dict[str, str] = {}
    for part in body.strip().split("|"):
        key, sep, value = part.partition(": ")
        if sep:
            values[key.strip()] = value.strip()
        elif part.endswith(":"):
            values[part[:-1].strip()] = ""
    if "VERSION" not in values:
        raise EmptyAnswerError(f"{spec.name}: no VERSION field", function=spec.name, raw=body)
    return KeyValues(spec.name, values, body)


def decode_key_value(spec: FunctionSpec, body: str) -> KeyValues:
    """``<PRE>Webserver Data:\\nkey: value\\n...</PRE>`` as a mapping."""
    raise_if_error_body(spec, body)
    if not body.strip():
        raise EmptyAnswerError(f"{spec.name}: empty answer", function=spec.name, raw=body)
    values: dict[str, str] = {}
    text = re.sub(r"</?PRE>", "", body, flags=re.IGNORECASE)
    for line in text.split("\n"):
        key, sep, value = line.partition(":")
        if sep and key.strip() and not (key.strip().endswith("Data") and not value.strip()):
            values[key.strip()] = value.strip()
    return KeyValues(spec.name, values, body)


_TAG = re.compile(r"<[^>]*>")
_ROW = re.compile(r"<tr\b[^>]*>(.*?)</tr>", re.IGNORECASE | re.DOTALL)
_CELL = re.compile(r"<td\b[^>]*>(.*?)(?=<td\b|</tr>|$)", re.IGNORECASE | re.DOTALL)
_CHOOSE = re.compile(r"choose_file\('([^']*)'")
_LINK = re.compile(r"<a href=\"([^\"]*)\">(.*?)</a>", re.IGNORECASE)


def _cell_text(fragment: str) -> str:
    return " ".join(html.unescape(_TAG.sub(" ", fragment)).split())


def decode_html(spec: FunctionSpec, body: str) -> Picker:
    """Rows of a picker page (selectframe table), of ``<a href>`` link lines, or of tab lines."""
    raise_if_error_body(spec, body)
    headers: tuple[str, ...] = ()
    rows: list[HtmlRow] = []
    if "<tr" in body.lower():
        for m in _ROW.finditer(body):
            inner = m.group(1)
            cells = tuple(_cell_text(c) for c in _CELL.findall(inner))
            pick = _CHOOSE.search(inner)
            if pick is not None:
                rows.append(HtmlRow(id=pick.group(1).strip(), cells=cells[1:] if cells else ()))
            elif not rows and not headers:
                headers = cells
            elif rows and any(cells):
                last = rows[-1]
                rows[-1] = attrs.evolve(last, details=last.details + tuple(c for c in cells if c))
    elif "<a href" in body.lower():
        for m in _LINK.finditer(body):
            rows.append(HtmlRow(id=_cell_text(m.group(2)), cells=(m.group(1),)))
    else:
        for line in body.split("\n"):
            if "\t" in line:
                parts = line.split("\t")
                rows.append(HtmlRow(id=parts[1] if len(parts) > 1 else parts[0], cells=tuple(parts)))
    return Picker(spec.name, headers, tuple(rows), body)


def decode_text(spec: FunctionSpec, body: str) -> TextAnswer:
    """A bare value; an ERROR line raises as usual. Empty text is a valid value."""
    raise_if_error_body(spec, body)
    return TextAnswer(spec.name, body, body)
