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

from . import decode
from .decode import *  # noqa: F403  (decode_request and its steps: every name of decode.__all__)
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
    "NoAgentEvent",
    "StartEvent",
    "WebhookEvent",
    "WebhookKind",
    "WebhookReceiver",
    "build_template",
    "check_template",
    "install_webhook",
    "installed_webhooks",
]
__all__ += decode.__all__

