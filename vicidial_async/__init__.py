"""vicidial_async: a fast, safe, typed async client for VICIdial's Non-Agent and Agent APIs.

>>> import vicidial_async as va
>>> ("non_agent", "add_lead") in va.REGISTRY
True
"""

from .bulk import BulkLeadLoader, LoadSummary, Outcome, RowOutcome
from .client import VicidialClient
from .config import RateLimit, RetryPolicy, Timeouts
from .endpoints.agent import Agents, AgentSession
from .errors import (
    AccountLockedError,
    AgentStateError,
    AlreadyExistsError,
    APIError,
    AuthenticationError,
    CertificateError,
    ConfigurationError,
    ConnectError,
    CoordinationUnavailableError,
    DecodeError,
    DNCError,
    DuplicateError,
    EmptyAnswerError,
    FeatureDisabledError,
    HTTPStatusError,
    InvalidParameterError,
    IPBlockedError,
    NotFoundError,
    NotLoggedInError,
    NotPausedError,
    OutcomeUnknownError,
    PermissionDeniedError,
    RedirectError,
    TimeoutError,
    TransportError,
    TruncatedAnswerError,
    UnknownFunctionError,
    VicidialError,
)
from .models import StatusResult, TableResult, TableRow
from .poll import Snapshot, Source, SourceSnapshot, StatsPoller
from .protocol.lines import StatusAnswer, StatusLine
from .protocol.other import HtmlRow, KeyValues, Picker, TextAnswer
from .protocol.params import BLANK
from .protocol.registry import REGISTRY, FunctionSpec, ParamSpec, Safety
from .protocol.tables import Table
from .transport.redact import SecretFilter

__version__ = "0.1.0"

# The Redis coordination needs the optional ``redis`` package (``pip install 'vicidial-async[redis]'``),
# so it is imported on first use: ``from vicidial_async import RedisCoordination``.
_SHARED_NAMES = frozenset({"RedisCoordination", "Fallback"})


def __getattr__(name: str) -> object:
    if name in _SHARED_NAMES:
        from .transport import redis_coordination
        return getattr(redis_coordination, name)
    raise AttributeError(f"module 'vicidial_async' has no attribute {name!r}")

__all__ = [
    "__version__",
    "APIError",
    "AccountLockedError",
    "AgentSession",
    "AgentStateError",
    "Agents",
    "AlreadyExistsError",
    "AuthenticationError",
    "BLANK",
    "BulkLeadLoader",
    "CertificateError",
    "ConfigurationError",
    "ConnectError",
    "CoordinationUnavailableError",
    "DNCError",
    "DecodeError",
    "DuplicateError",
    "EmptyAnswerError",
    "FeatureDisabledError",
    "FunctionSpec",
    "HTTPStatusError",
    "HtmlRow",
    "IPBlockedError",
    "InvalidParameterError",
    "KeyValues",
    "LoadSummary",
    "NotFoundError",
    "NotLoggedInError",
    "NotPausedError",
    "Outcome",
    "OutcomeUnknownError",
    "ParamSpec",
    "PermissionDeniedError",
    "Picker",
    "REGISTRY",
    "RateLimit",
    "RedirectError",
    "RetryPolicy",
    "RowOutcome",
    "Safety",
    "SecretFilter",
    "Snapshot",
    "Source",
    "SourceSnapshot",
    "StatsPoller",
    "StatusAnswer",
    "StatusLine",
    "StatusResult",
    "Table",
    "TableResult",
    "TableRow",
    "TextAnswer",
    "TimeoutError",
    "Timeouts",
    "TransportError",
    "TruncatedAnswerError",
    "UnknownFunctionError",
    "VicidialClient",
    "VicidialError",
]
