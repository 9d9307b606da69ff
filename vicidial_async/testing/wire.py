"""Wire text of the fake: reference templates rendered with values, tables, and request parsing.

Every answer line the fake prints comes from a template of the reference (``REGISTRY``), looked up
once when a handler module is imported (so a template that is missing or misspelt fails at import,
not in the middle of a test) and rendered by the same :class:`~vicidial_async.protocol.template.
Template` object the decoders parse with.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Iterable, Mapping, Sequence
from urllib.parse import parse_qsl

import attrs

from ..protocol.params import BLANK
from ..protocol.registry import REGISTRY, common_errors
from ..protocol.template import Template
from .filters import plain

__all__ = [
    "BLANK",
    "DELIMS",
    "Request",
    "Setting",
    "Template",
    "common_line",
    "line",
    "lines",
    "picker_page",
    "read_settings",
    "set_sent",
    "table",
]

DELIMS = {"pipe": "|", "csv": ",", "tab": "\t", "newline": "\n"}


def _all_templates(api: str, function: str) -> list[Template]:
    r = REGISTRY[api, function].response
    return [*r.success, *r.notices, *(t for e in r.errors for t in e.lines)]


def _pick(templates: Iterable[Template], needle: str, n: int | None, where: str) -> Template:
    found = [t for t in templates if needle in t.text]
    if n is not None:
        found = [t for t in found if len(t.fields) == n]
    if not found:
        raise LookupError(f"no template of {where} contains {needle!r}" + (f" with {n} fields" if n else ""))
    # Prefer an exact start match, then the shortest (the base variant of a family).
    found.sort(key=lambda t: (not t.text.startswith(needle), len(t.text)))
    return found[0]


def line(api: str, function: str, needle: str, n: int | None = None) -> Template:
    """The template line of ``function`` that contains ``needle`` (with ``n`` placeholders if given)."""
    return _pick(_all_templates(api, function), needle, n, f"{api}/{function}")


def common_line(api: str, needle: str, n: int | None = None) -> Template:
    """A template line every function of ``api`` shares (login, source, permission errors)."""
    templates = [t for e in common_errors(api) for t in e.lines]
    return _pick(templates, needle, n, f"{api} common errors")


def lines(out: Iterable[str]) -> str:
    """Answer lines, each ended by a line feed."""
    return "".join(x + "\n" for x in out)


def columns(api: str, function: str) -> tuple[str, ...]:
    """The reference's column list of a table function, as the server prints it."""
    return REGISTRY[api, function].response.columns


def table(
    columns: Sequence[str],
    rows: Iterable[Sequence[object]],
    params: Mapping[str, str],
    *,
    stages: Sequence[str] = ("pipe", "csv", "tab"),
    header_param: bool = True,
    header_per_row: bool = False,
) -> str:
    """A table answer: ``stage`` picks the delimiter (unknown stages mean pipe), ``header=YES``
    (exact) adds the column names first. Values are printed raw, as the PHP does."""
    stage = params.get("stage", "")
    delim = DELIMS[stage] if stage in stages and stage in DELIMS else "|"
    want_header = header_param and params.get("header", "") == "YES"
    head = delim.join(columns) + "\n"
    out: list[str] = []
    if want_header and not header_per_row:
        out.append(head)
    for row in rows:
        if want_header and header_per_row:
            out.append(head)
        out.append(delim.join("" if v is None else str(v) for v in row) + "\n")
    return "".join(out)


def set_sent(params: Mapping[str, str], record: object, fields: Mapping[str, str]) -> bool:
    """Copy each form field sent non-empty onto its record attribute (``fields``: parameter ->
    attribute); ``--BLANK--`` empties the attribute. Whether any field was sent."""
    sent = False
    for param, attr in fields.items():
        value = params.get(param, "")
        if value:
            setattr(record, attr, "" if value == BLANK else value)
            sent = True
    return sent


def _same(value: str) -> str:
    return value


@attrs.frozen
class Setting:
    """One optional field of an update form, as the PHP checks it: sent non-empty, its value after
    ``clean`` must pass ``ok`` or the request ends with ``error`` (API user, value); else ``store``
    of the value becomes the record's ``column`` (the field's own name when empty)."""

    field: str
    error: Template
    ok: Callable[[str], bool]
    column: str = attrs.field(default="", kw_only=True)
    clean: Callable[[str], str] = attrs.field(default=_same, kw_only=True)
    store: Callable[[str], object] = attrs.field(default=_same, kw_only=True)


def read_settings(
    params: Mapping[str, str], user: str, settings: Iterable[Setting]
) -> tuple[dict[str, object], str | None]:
    """The column changes the sent settings make, checked in order; at the first refused one, the
    changes so far and its error line (with its line feed)."""
    changes: dict[str, object] = {}
    for s in settings:
        raw = params.get(s.field, "")
        if not raw:
            continue
        value = s.clean(raw)
        if not s.ok(value):
            return changes, s.error(user, value) + "\n"
        changes[s.column or s.field] = s.store(value)
    return changes, None


class Request:
    """One API request as the PHP sees it: query string values win over body values."""

    __slots__ = ("api", "body_fields", "params", "query", "raw_query")

    def __init__(self, api: str, query: str, body: str) -> None:
        self.api = api
        self.raw_query = query
        q = parse_qsl(query, keep_blank_values=True) if query else []
        b = parse_qsl(body, keep_blank_values=True) if body else []
        params: dict[str, str] = {}
        for k, v in b:
            params[k] = v
        for k, v in q:
            params[k] = v
        self.query = dict(q)
        self.body_fields = b
        self.params = params

    def get(self, name: str, default: str = "") -> str:
        """A parameter as the PHP reads it (query string first), or ``default``."""
        return self.params.get(name, default)

    @property
    def raw(self) -> str:
        """Query string and body, as the substring checks of update_fields/refresh_panel see them."""
        body = "&".join(f"{k}={v}" for k, v in self.body_fields)
        return self.raw_query + ("&" if self.raw_query and body else "") + body


def picker_page(comments: str, rows: Sequence[tuple[str, ...]]) -> str:
    """An HTML picker page (the *_list pickers): one row per item, choosing writes into ``comments``."""
    field = html.escape(plain(comments))
    out = [
        "",
        "<HTML><HEAD><TITLE>Picker</TITLE>",
        "<script>function choose_file(id, field) "
        "{ parent.document.getElementById(field).value = id; }</script></HEAD><BODY>",
        "<TABLE BORDER=0 CELLPADDING=1>",
        "<tr><td>#</td><td>ID</td><td>NAME</td></tr>",
    ]
    for i, row in enumerate(rows, 1):
        rid = html.escape(row[0])
        rest = "".join(f"<td>{html.escape(c)}</td>" for c in row[1:])
        out.append(
            f"<tr><td>{i}</td><td><a href=\"javascript:choose_file('{rid}','{field}');\">"
            f"{rid}</a></td>{rest}</tr>"
        )
    out += ["</TABLE>", "</BODY></HTML>", ""]
    return "\n".join(out)
