"""``vicidial_async.webhooks``: VICIdial's call URLs (Dispo, Start, Dead, No Agent, Add Lead).

- :func:`build_template` makes the ``VAR...--A--name--B--...`` template of a kind, pointing at
  your receiver with a secret token; :func:`check_template` checks one written by hand.
- :class:`WebhookReceiver` is an ASGI app that authenticates, journals (fsync before the 200),
  deduplicates replays and decodes the requests into typed events (:class:`DispoEvent` ...),
  delivered to handlers (``@receiver.on("dispo")``) and iterators (``receiver.events()``).
- :func:`install_webhook` installs a template as a campaign's Dispo Call URL or an alternate URL
  row and reads it back (:func:`installed_webhooks`).
- :func:`decode_request` decodes one query string without a receiver.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from .decode import (
    MalformedRequest,
    build_event,
    decode_fields,
    dedup_key,
    mask_query,
    parse_query,
    request_kind,
)
from .delivery import Delivery, Handler
from .events import (
    EVENT_TYPES,
    AddLeadEvent,
    DeadEvent,
    DispoEvent,
    NoAgentEvent,
    StartEvent,
    WebhookEvent,
)
from .install import ALT_URL_TYPES, InstalledWebhook, install_webhook, installed_webhooks
from .journal import Journal
from .receiver import WebhookReceiver
from .templates import (
    DEFAULT_VARIABLES,
    KINDS,
    KNOWN_VARIABLES,
    MAX_TEMPLATE_LENGTH,
    WebhookKind,
    build_template,
    check_template,
)

__all__ = [
    "ALT_URL_TYPES",
    "DEFAULT_VARIABLES",
    "EVENT_TYPES",
    "KINDS",
    "KNOWN_VARIABLES",
    "MAX_TEMPLATE_LENGTH",
    "AddLeadEvent",
    "DeadEvent",
    "Delivery",
    "DispoEvent",
    "Handler",
    "InstalledWebhook",
    "Journal",
    "MalformedRequest",
    "NoAgentEvent",
    "StartEvent",
    "WebhookEvent",
    "WebhookKind",
    "WebhookReceiver",
    "build_event",
    "build_template",
    "check_template",
    "decode_fields",
    "decode_request",
    "install_webhook",
    "installed_webhooks",
    "dedup_key",
    "mask_query",
    "parse_query",
    "request_kind",
]


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
