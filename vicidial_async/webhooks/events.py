"""Typed, frozen webhook events: one class per kind of call URL.

Every event keeps ``fields`` (every variable of the request decoded to the string VICIdial meant,
unknown literal tags left out), ``custom`` (the variables that are not standard VICIdial ones:
custom list fields and literal parameters of the template) and ``raw_query`` (the query as
received, the token and passwords masked). The typed attributes are parsed from ``fields``:
numbers as ``int``, datetimes as ``datetime`` (``server_time``/``entry_date``/``callback_at`` are
the server's local time, naive; ``epoch`` is UTC, aware), ``None`` when the variable is missing or
empty.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from types import MappingProxyType
from typing import Any, ClassVar

import attrs

from .templates import WebhookKind

__all__ = [
    "AddLeadEvent",
    "DeadEvent",
    "DispoEvent",
    "EVENT_TYPES",
    "NoAgentEvent",
    "StartEvent",
    "WebhookEvent",
]

_EMPTY: Mapping[str, str] = MappingProxyType({})


def _frozen_map(value: Mapping[str, str]) -> Mapping[str, str]:
    return MappingProxyType(dict(value))


@attrs.frozen(kw_only=True)
class WebhookEvent:
    """What every call-URL request carries. Subclasses add the variables of their kind.

    ``id`` is unique per accepted request; ``dedup_key`` is equal for replays of one request.
    """

    KIND: ClassVar[WebhookKind]

    id: str
    dedup_key: str
    received_at: datetime
    """When the receiver accepted it (UTC, aware)."""
    path: str
    client: str | None
    """The source IP address (as the ASGI server saw it)."""
    fields: Mapping[str, str] = attrs.field(converter=_frozen_map, default=_EMPTY)
    custom: Mapping[str, str] = attrs.field(converter=_frozen_map, default=_EMPTY)
    raw_query: str = ""
    lead_id: int | None = None
    list_id: int | None = None
    phone_code: str = ""
    phone_number: str = ""
    vendor_lead_code: str = ""
    first_name: str = ""
    last_name: str = ""
    comments: str = ""
    """Newlines restored (the agent screen sends them as ``!N``)."""
    entry_date: datetime | None = None
    called_count: int | None = None
    user: str = ""
    campaign: str = ""
    group: str = ""
    uniqueid: str = ""
    call_id: str = ""
    server_time: datetime | None = None
    """``SQLdate``: the server's local time when it built the URL (naive)."""
    epoch: datetime | None = None
    """``epoch`` as an aware UTC datetime."""

    @property
    def kind(self) -> WebhookKind:
        """``dispo``, ``start``, ``dead``, ``no_agent`` or ``add_lead``."""
        return self.KIND

    def to_json(self) -> dict[str, Any]:
        """The ``events.jsonl`` line of this event: ``id``, ``kind``, ``received_at`` (ISO 8601),
        ``path``, ``client`` and ``fields``."""
        return {"id": self.id, "kind": self.kind, "received_at": self.received_at.isoformat(),
                "path": self.path, "client": self.client, "fields": dict(self.fields)}


@attrs.frozen(kw_only=True)
class DispoEvent(WebhookEvent):
    """The Dispo Call URL: an agent dispositioned a call.

    For a scheduled callback ``dispo`` is the chosen status (``CALLBK``) while the lead is
    stored as ``CBHOLD``, and ``dispo_name`` is CBHOLD's name (as the real server sends it).
    """

    KIND: ClassVar[WebhookKind] = "dispo"
    dispo: str = ""
    dispo_name: str = ""
    """Decoded once more than the other fields: the server encodes it twice."""
    talk_time: int | None = None
    """Seconds of talk (``talk_sec - dead_sec``, at least 0)."""
    call_notes: str = ""
    """Empty when the server sent its ``+`` placeholder for empty (or one-character) notes."""
    callback_at: datetime | None = None
    """``callback_datetime``: when the callback is due (server local time, naive)."""
    callback_lead_status: str = ""
    term_reason: str = ""


@attrs.frozen(kw_only=True)
class StartEvent(WebhookEvent):
    """The Start Call URL: a call reached an agent (fetched inside the agent's screen request).
    For a manual dial it fires before the call is answered: ``uniqueid`` is empty."""

    KIND: ClassVar[WebhookKind] = "start"


@attrs.frozen(kw_only=True)
class DeadEvent(WebhookEvent):
    """The Dead Call Trigger URL: the customer hung up before the agent."""

    KIND: ClassVar[WebhookKind] = "dead"
    talk_time: int | None = None
    dead_time: int | None = None
    """Seconds since the customer hung up."""


@attrs.frozen(kw_only=True)
class NoAgentEvent(WebhookEvent):
    """The No Agent Call URL: a call that reached no agent (drop, no answer, ...)."""

    KIND: ClassVar[WebhookKind] = "no_agent"
    status: str = ""


@attrs.frozen(kw_only=True)
class AddLeadEvent(WebhookEvent):
    """The Add Lead URL: an in-group created a lead for an inbound call."""

    KIND: ClassVar[WebhookKind] = "add_lead"


EVENT_TYPES: dict[WebhookKind, type[WebhookEvent]] = {
    cls.KIND: cls for cls in (DispoEvent, StartEvent, DeadEvent, NoAgentEvent, AddLeadEvent)
}
"""The event class of each kind."""
