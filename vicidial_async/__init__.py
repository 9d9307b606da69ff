"""vicidial_async: a fast, safe, typed async client for VICIdial's Non-Agent and Agent APIs.

>>> import vicidial_async as va
>>> ("non_agent", "add_lead") in va.REGISTRY
True
"""

from .client import VicidialClient
from .config import RateLimit, RetryPolicy, Timeouts
from .errors import (
    AccountLockedError,
    AgentStateError,
    AlreadyExistsError,
    APIError,
    AuthenticationError,
    CertificateError,
    CircuitOpenError,
    ConfigurationError,
    ConnectError,
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
from .protocol.lines import StatusAnswer, StatusLine
from .protocol.other import HtmlRow, KeyValues, Picker, TextAnswer
from .protocol.registry import REGISTRY, FunctionSpec, ParamSpec, Safety
from .protocol.tables import Table
from .transport.redact import SecretFilter

__version__ = "0.1.0"

__all__ = [
    "APIError",
    "AccountLockedError",
    "AgentStateError",
    "AlreadyExistsError",
    "AuthenticationError",
    "CertificateError",
    "CircuitOpenError",
    "ConfigurationError",
    "ConnectError",
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
    "NotFoundError",
    "NotLoggedInError",
    "NotPausedError",
    "OutcomeUnknownError",
    "ParamSpec",
    "PermissionDeniedError",
    "Picker",
    "REGISTRY",
    "RateLimit",
    "RedirectError",
    "RetryPolicy",
    "Safety",
    "SecretFilter",
    "StatusAnswer",
    "StatusLine",
    "Table",
    "TextAnswer",
    "TimeoutError",
    "Timeouts",
    "TransportError",
    "TruncatedAnswerError",
    "UnknownFunctionError",
    "VicidialClient",
    "VicidialError",
    "__version__",
]
