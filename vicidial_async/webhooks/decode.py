"""Turn the query of a call-URL GET into a typed event, undoing VICIdial's encoding quirks.

Sans-I/O and pure: ``parse_query`` splits and percent-decodes the raw query (strictly: a broken
``%`` escape or a control character is a :class:`MalformedRequest`), ``decode_fields`` undoes the
server's quirks, ``build_event`` makes the typed event; :func:`decode_request` runs the three on
one query (drawing a fresh event id, and the time when none is given). The quirks (see
``real-webhooks`` in the project's shared facts):

- ``dispo_name`` and ``user_group`` are urlencoded twice by the server: decoded once more here.
- Empty (or one-character) ``call_notes`` arrive as ``+``: an empty string here.
- A name the server does not know stays literal (``--A--no_such_variable--B--``): left out.
- Comments carry newlines as the two characters ``!N``: newlines again here.
- Bytes that are not UTF-8 (a lead stored in latin-1) are replaced by U+FFFD, not refused: the
  server never resends, so refusing would lose the event.
"""

from __future__ import annotations

import hashlib
import re
import uuid
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from typing import Any
from urllib.parse import unquote_plus

from ..models._parse import opt_int
from ..transport.redact import MASK
from .events import EVENT_TYPES, WebhookEvent
from .templates import HOOK_PARAM, KINDS, KNOWN_VARIABLES, SECRET_VARIABLES, TOKEN_PARAM, WebhookKind

__all__ = [
    "MalformedRequest",
    "build_event",
    "decode_fields",
    "decode_request",
    "dedup_key",
    "mask_query",
    "parse_query",
    "request_kind",
]

_LITERAL_TAG = re.compile(r"--A--[A-Za-z0-9_]*--B--", re.IGNORECASE)
_BAD_ESCAPE = re.compile(rb"%(?![0-9A-Fa-f]{2})")
# Visible ASCII only: a request line with spaces or control characters is not one VICIdial sends.
_QUERY_BYTES = re.compile(rb"[\x21-\x7e]*")
_TWICE_ENCODED = ("dispo_name", "user_group")
# Variables that change when the server builds the same URL again: not part of the replay key.
_VOLATILE = frozenset({TOKEN_PARAM, "SQLdate", "epoch"})


class MalformedRequest(ValueError):
    """A request the receiver refuses with ``status`` (400, 413 or 414) and a short reason."""

    def __init__(self, reason: str, status: int = 400) -> None:
        super().__init__(reason)
        self.status = status


def parse_query(raw: bytes, *, max_bytes: int = 256 * 1024) -> list[tuple[str, str]]:
    """The ``name=value`` pairs of a raw query string, percent-decoded (``+`` is a space).

    Raises :class:`MalformedRequest` for a query over ``max_bytes`` (414), bytes outside visible
    ASCII or a broken ``%`` escape (400).
    """
    if len(raw) > max_bytes:
        raise MalformedRequest(f"query over {max_bytes} bytes", 414)
    if not _QUERY_BYTES.fullmatch(raw):
        raise MalformedRequest("query holds spaces or control characters")
    if _BAD_ESCAPE.search(raw):
        raise MalformedRequest("broken percent escape in the query")
    pairs: list[tuple[str, str]] = []
    for part in raw.decode("ascii").split("&"):
        if not part:
            continue
        name, _, value = part.partition("=")
        pairs.append((_unquote(name), _unquote(value)))
    return pairs


def _unquote(text: str) -> str:
    # Most names and many values need no decoding: skip the library call for them (a full dispo
    # URL has over a hundred of each, and this runs before the answer).
    if "%" not in text:
        return text.replace("+", " ") if "+" in text else text
    return unquote_plus(text, encoding="utf-8", errors="replace")


def request_kind(pairs: Iterable[tuple[str, str]]) -> WebhookKind:
    """The kind named by the ``hook`` parameter; :class:`MalformedRequest` if missing or unknown."""
    hooks = [v for n, v in pairs if n == HOOK_PARAM]
    if len(hooks) != 1:
        raise MalformedRequest(f"exactly one {HOOK_PARAM}= parameter expected")
    for kind in KINDS:
        if hooks[0] == kind:
            return kind
    raise MalformedRequest(f"unknown {HOOK_PARAM}={hooks[0][:40]!r}")


def decode_fields(pairs: Iterable[tuple[str, str]]) -> tuple[dict[str, str], dict[str, str]]:
    """``(fields, custom)`` of a request: every variable decoded to the string VICIdial meant.

    ``fields`` holds them all (the receiver's ``hook`` and ``token`` and the password variables
    left out, literal unknown tags left out); ``custom`` the subset whose names are not standard
    VICIdial variables. A repeated name keeps its last value, as PHP would.
    """
    fields: dict[str, str] = {}
    for name, value in pairs:
        if name in (HOOK_PARAM, TOKEN_PARAM) or name.lower() in SECRET_VARIABLES:
            continue
        if _LITERAL_TAG.fullmatch(value):
            fields.pop(name, None)
            continue
        if name in _TWICE_ENCODED:
            value = _unquote(value)
        elif name == "call_notes" and value == " ":
            value = ""
        elif name == "comments":
            value = value.replace("!N", "\n")
        fields[name] = value
    custom = {n: v for n, v in fields.items() if n not in KNOWN_VARIABLES}
    return fields, custom


_SECRET_VALUE = re.compile(
    r"(?:^|(?<=&))((?i:" + "|".join(sorted(SECRET_VARIABLES)) + rf")|{TOKEN_PARAM})=[^&]*")


def mask_query(raw: bytes) -> str:
    """The raw query with the token and any password variable replaced by ``***``."""
    return _SECRET_VALUE.sub(rf"\1={MASK}", raw.decode("ascii", errors="replace"))


def dedup_key(kind: str, path: str, pairs: Iterable[tuple[str, str]]) -> str:
    """Equal for two requests that report the same thing: same kind, URL path and variables
    (the call, the lead, the disposition, the alternate URL's literal parameters ...), ignoring
    the token and the server's clock (``SQLdate``, ``epoch``)."""
    body = "\0".join(sorted(f"{n}={v}" for n, v in pairs if n not in _VOLATILE))
    return hashlib.sha256(f"{kind}\0{path}\0{body}".encode("utf-8", "surrogatepass")).hexdigest()[:32]


def _local(text: str | None) -> datetime | None:
    if not text:
        return None
    try:
        return datetime.strptime(text, "%Y-%m-%d %H:%M:%S")
    except ValueError:
        return None


def _epoch(text: str | None) -> datetime | None:
    value = opt_int(text)
    if value is None:
        return None
    try:
        return datetime.fromtimestamp(value, UTC)
    except (OverflowError, OSError, ValueError):
        return None


def build_event(
    kind: WebhookKind,
    fields: Mapping[str, str],
    custom: Mapping[str, str],
    *,
    id: str,
    dedup_key: str,
    received_at: datetime,
    path: str = "/",
    client: str | None = None,
    raw_query: str = "",
) -> WebhookEvent:
    """The typed event of ``kind`` from decoded ``fields`` (see :func:`decode_fields`)."""
    f = fields.get
    common: dict[str, Any] = dict(
        id=id, dedup_key=dedup_key, received_at=received_at, path=path, client=client,
        fields=fields, custom=custom, raw_query=raw_query,
        lead_id=opt_int(f("lead_id")), list_id=opt_int(f("list_id")),
        phone_code=f("phone_code", ""), phone_number=f("phone_number", ""),
        vendor_lead_code=f("vendor_lead_code", ""), first_name=f("first_name", ""),
        last_name=f("last_name", ""), comments=f("comments", ""),
        entry_date=_local(f("entry_date")), called_count=opt_int(f("called_count")),
        user=f("user", ""), campaign=f("campaign", ""), group=f("group", ""),
        uniqueid=f("uniqueid", ""), call_id=f("call_id", ""),
        server_time=_local(f("SQLdate")), epoch=_epoch(f("epoch")),
    )
    if kind == "dispo":
        common.update(
            dispo=f("dispo", ""), dispo_name=f("dispo_name", ""), talk_time=opt_int(f("talk_time")),
            call_notes=f("call_notes", ""), callback_at=_local(f("callback_datetime")),
            callback_lead_status=f("callback_lead_status", ""), term_reason=f("term_reason", ""))
    elif kind == "dead":
        common.update(talk_time=opt_int(f("talk_time")), dead_time=opt_int(f("dead_time")))
    elif kind == "no_agent":
        common.update(status=f("status", ""))
    return EVENT_TYPES[kind](**common)


def decode_request(query: str | bytes, *, kind: WebhookKind | None = None, path: str = "/",
                   received_at: datetime | None = None) -> WebhookEvent:
    """Decode one call-URL query string (what follows ``?``) into its typed event.

    ``kind`` defaults to the query's ``hook=`` parameter. No authentication, no journal: for tests,
    replays of logs, or your own web framework. Raises :class:`MalformedRequest`.
    """
    raw = query.encode("ascii") if isinstance(query, str) else query
    pairs = parse_query(raw)
    kind = kind or request_kind(pairs)
    fields, custom = decode_fields(pairs)
    return build_event(kind, fields, custom, id=uuid.uuid4().hex,
                       dedup_key=dedup_key(kind, path, pairs),
                       received_at=received_at or datetime.now(UTC), path=path,
                       raw_query=mask_query(raw))
