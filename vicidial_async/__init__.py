"""vicidial_async: a fast, safe, typed async client for VICIdial's Non-Agent and Agent APIs.

The package root holds what a program calling VICIdial needs: the client, its configuration, the
exception tree and the main result shapes. Everything else comes from its module:

- ``vicidial_async.models``: the result model of each function;
- ``vicidial_async.protocol.registry``: ``REGISTRY`` and the function specs;
- ``vicidial_async.bulk`` (the bulk loader), ``vicidial_async.poll`` (the stats poller) and
  ``vicidial_async.testing`` (the fake server), imported on first use;
- ``vicidial_async.transport.redact``: ``SecretFilter``.

>>> import vicidial_async as va
>>> va.VicidialClient.__name__
'VicidialClient'
"""

from . import errors
from .client import VicidialClient
from .config import RateLimit, RetryPolicy, Timeouts
from .endpoints.agent import AgentSession
from .errors import *  # noqa: F403  (the exception tree: every name of errors.__all__)
from .models import StatusResult, TableResult, TableRow
from .protocol.params import BLANK

__version__ = "0.1.0"

# The Redis coordination needs the optional ``redis`` package (``pip install 'vicidial-async[redis]'``),
# so it is imported on first use: ``from vicidial_async import RedisCoordination``.
_SHARED_NAMES = frozenset({"RedisCoordination", "Fallback"})
# Subpackages a program may not need at all: imported when first used (``vicidial_async.bulk``).
_LAZY_SUBPACKAGES = frozenset({"bulk", "poll", "testing", "webhooks"})
# Names the root used to export, and the module each one lives in now.
MOVED: dict[str, str] = {
    "Agents": "vicidial_async.endpoints.agent",
    "BulkLeadLoader": "vicidial_async.bulk",
    "LoadSummary": "vicidial_async.bulk",
    "Outcome": "vicidial_async.bulk",
    "RowOutcome": "vicidial_async.bulk",
    "Snapshot": "vicidial_async.poll",
    "Source": "vicidial_async.poll",
    "SourceSnapshot": "vicidial_async.poll",
    "StatsPoller": "vicidial_async.poll",
    "StatusAnswer": "vicidial_async.protocol.lines",
    "StatusLine": "vicidial_async.protocol.lines",
    "HtmlRow": "vicidial_async.protocol.other",
    "KeyValues": "vicidial_async.protocol.other",
    "Picker": "vicidial_async.protocol.other",
    "TextAnswer": "vicidial_async.protocol.other",
    "REGISTRY": "vicidial_async.protocol.registry",
    "FunctionSpec": "vicidial_async.protocol.registry",
    "ParamSpec": "vicidial_async.protocol.registry",
    "Safety": "vicidial_async.protocol.registry",
    "Table": "vicidial_async.protocol.tables",
    "SecretFilter": "vicidial_async.transport.redact",
}


class MovedNameError(ImportError):
    """A name the package root no longer exports; the message says which module has it.

    An ``ImportError`` rather than an ``AttributeError``: ``from vicidial_async import X`` replaces
    an ``AttributeError``'s message with a bare "cannot import name", and this one is the hint.
    """


def __getattr__(name: str) -> object:
    if name in _SHARED_NAMES:
        from .transport import redis_coordination

        return getattr(redis_coordination, name)
    if name in _LAZY_SUBPACKAGES:
        import importlib

        return importlib.import_module(f"{__name__}.{name}")
    if name in MOVED:
        raise MovedNameError(
            f"vicidial_async.{name} is no longer exported by the package root: "
            f"use `from {MOVED[name]} import {name}`",
            name=name,
        )
    raise AttributeError(f"module 'vicidial_async' has no attribute {name!r}")


__all__ = [
    "__version__",
    "BLANK",
    "AgentSession",
    "RateLimit",
    "RetryPolicy",
    "StatusResult",
    "TableResult",
    "TableRow",
    "Timeouts",
    "VicidialClient",
]
__all__ += errors.__all__
