"""Every exception the library raises, in one tree.

::

    VicidialError                       base of everything below
    ├── ConfigurationError              bad client settings (also a ValueError)
    ├── CoordinationUnavailableError    the shared budget's Redis is unreachable (fail closed)
    ├── TransportError                  the HTTP exchange itself failed
    │   ├── ConnectError                never reached the server (safe to resend)
    │   │   └── CertificateError        TLS certificate verification failed (never retried)
    │   ├── TimeoutError                connect/read/write/pool timeout
    │   ├── RedirectError               the server answered 3xx (redirects are never followed)
    │   ├── HTTPStatusError             an unexpected HTTP status, e.g. 500/503 after the last retry
    │   └── OutcomeUnknownError         an UNSAFE call may have landed; it was not resent
    ├── DecodeError                     a body that fits no known shape
    │   ├── EmptyAnswerError            an empty body where the function always prints something
    │   └── TruncatedAnswerError        a body cut short (e.g. PHP died mid-table)
    └── APIError                        the server answered ``ERROR:`` (never retried)
        ├── AuthenticationError         login incorrect / invalid username or password
        │   ├── AccountLockedError      ten bad logins: locked for 15 minutes
        │   └── IPBlockedError          the API user's IP list refuses this host
        ├── PermissionDeniedError       the API user lacks a permission or list/campaign access
        ├── InvalidParameterError       a parameter was refused (by us before sending, or by the server)
        ├── NotFoundError               lead, list, user, campaign ... does not exist or is not visible
        ├── AlreadyExistsError          the record to add exists already
        │   └── DuplicateError          add_lead duplicate_check hit (existing_lead_id, existing_list_id)
        ├── DNCError                    the number is on a (campaign) DNC list
        ├── AgentStateError             the agent is not in the state the command needs
        │   ├── NotLoggedInError        the agent has no live session
        │   └── NotPausedError          the agent must be paused first
        ├── FeatureDisabledError        a system or campaign setting switches the function off
        └── UnknownFunctionError        the server does not know the function

Which :class:`APIError` subclass an answer raises is decided by the ERROR template of the reference
that the line matches (each template carries a kind; see ``protocol/_declarations.py``), not by loose
substring tests. Every message, ``repr`` and attribute here holds masked text only: the password the
server echoes in login errors is replaced by ``***`` before any error is built.
"""

from __future__ import annotations

import builtins
from collections.abc import Mapping
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .protocol.lines import StatusLine
    from .protocol.registry import Facet

from .transport.causes import describe_status

# The exception tree, and nothing else: the package root re-exports exactly these names.
# (``error_class_for_kind`` is imported by name, by the decoder and the tests.)
__all__ = [
    "APIError",
    "AccountLockedError",
    "AgentStateError",
    "AlreadyExistsError",
    "AuthenticationError",
    "CertificateError",
    "ConfigurationError",
    "ConnectError",
    "CoordinationUnavailableError",
    "DNCError",
    "DecodeError",
    "DuplicateError",
    "EmptyAnswerError",
    "FeatureDisabledError",
    "HTTPStatusError",
    "IPBlockedError",
    "InvalidParameterError",
    "NotFoundError",
    "NotLoggedInError",
    "NotPausedError",
    "OutcomeUnknownError",
    "PermissionDeniedError",
    "RedirectError",
    "TimeoutError",
    "TransportError",
    "TruncatedAnswerError",
    "UnknownFunctionError",
    "VicidialError",
]

_EMPTY: Mapping[str, str] = MappingProxyType({})


class VicidialError(Exception):
    """Base class of every error raised by vicidial_async."""


class ConfigurationError(VicidialError, ValueError):
    """The client was configured in a way that would be unsafe or cannot work."""


class CoordinationUnavailableError(VicidialError):
    """The Redis that holds the shared rate budget is unreachable and the client was told to fail
    closed (``RedisCoordination(on_unavailable="fail_closed")``): nothing was sent."""


class TransportError(VicidialError):
    """The HTTP exchange failed; ``function``, ``host`` and ``port`` say which call, never the credentials.

    ``cause`` is what happened in words (``connection refused``, ``timed out after 5s waiting for the
    answer``, ``TLS handshake failed: ...``, ``HTTP 503 Service Unavailable``); when it is set the
    message reads ``<function> to <host>:<port>: <cause>``. ``maybe_sent`` is True when the failure
    came after the request may have reached the server (a read timeout, a reset mid-answer): the
    call may have been carried out.
    """

    def __init__(self, message: str = "", *, function: str = "", host: str = "",
                 port: int | None = None, cause: str = "", maybe_sent: bool = False) -> None:
        super().__init__(message or cause)
        self.function = function
        self.host = host
        self.port = port
        self.cause = cause
        self.maybe_sent = maybe_sent

    @property
    def where(self) -> str:
        """``host:port`` (just the host when the port is unknown)."""
        if self.port is None:
            return self.host
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"{host}:{self.port}"

    def __str__(self) -> str:
        if not self.cause:
            return super().__str__()
        # Built when shown: the client fills in the function after the backend raised.
        where = self.where
        head = " to ".join(p for p in (self.function, where) if p)
        return f"{head}: {self.cause}" if head else self.cause


class ConnectError(TransportError):
    """The connection could not be made: the request never reached the server."""


class CertificateError(ConnectError):
    """TLS certificate verification failed: configuration, not a passing fault, so never retried."""


class TimeoutError(TransportError, builtins.TimeoutError):
    """A connect, read, write or pool timeout. ``phase`` is one of those four words, ``seconds``
    the limit that ran out (None when unknown)."""

    def __init__(self, message: str = "", *, function: str = "", host: str = "", port: int | None = None,
                 cause: str = "", phase: str = "", seconds: float | None = None,
                 maybe_sent: bool = False) -> None:
        super().__init__(message, function=function, host=host, port=port, cause=cause,
                         maybe_sent=maybe_sent)
        self.phase = phase
        self.seconds = seconds


class RedirectError(TransportError):
    """The server answered with a redirect; following it could send credentials elsewhere."""


class HTTPStatusError(TransportError):
    """An HTTP status the API never sends on purpose (5xx, 4xx other than the 418 teapot)."""

    def __init__(self, message: str = "", *, function: str = "", host: str = "", port: int | None = None,
                 status: int = 0, body: str = "", cause: str = "") -> None:
        if not message and not cause:
            cause = describe_status(status)
        super().__init__(message, function=function, host=host, port=port, cause=cause,
                         maybe_sent=status >= 500)
        self.status = status
        self.body = body


class OutcomeUnknownError(TransportError):
    """An UNSAFE call failed after the server may have received it, so it was not resent.

    ``params`` are the masked parameters that were sent: look the record up (e.g. ``lead_search``)
    before sending the call again. ``partial`` holds any SUCCESS text the server managed to print
    (PHP can print SUCCESS and then fail with HTTP 500).
    """

    def __init__(self, message: str, *, function: str = "", host: str = "", port: int | None = None,
                 params: Mapping[str, str] | None = None, partial: str = "",
                 cause: BaseException | None = None) -> None:
        super().__init__(message, function=function, host=host, port=port, maybe_sent=True)
        self.params: Mapping[str, str] = MappingProxyType(dict(params or {}))
        self.partial = partial
        self.cause_type = type(cause).__name__ if cause is not None else ""

    def __reduce__(self) -> tuple[Any, ...]:
        return (_rebuild_outcome, (self.args, _plain_state(self)))


def _rebuild_outcome(args: tuple[Any, ...], state: dict[str, Any]) -> OutcomeUnknownError:
    err = OutcomeUnknownError(*args)
    err.__dict__.update(state)
    err.params = MappingProxyType(state.get("params", {}))
    return err


class DecodeError(VicidialError):
    """The body matches no shape the function is known to answer with."""

    def __init__(self, message: str, *, function: str = "", raw: str = "") -> None:
        super().__init__(message)
        self.function = function
        self.raw = raw


class EmptyAnswerError(DecodeError):
    """An empty body from a function that always prints something (a sign of a PHP failure)."""


class TruncatedAnswerError(DecodeError):
    """A body that stops part-way (a short last table row, an unterminated block)."""


class APIError(VicidialError):
    """The server answered with an ``ERROR:`` line.

    Attributes:
        function: the VICIdial function called.
        reason: the fixed words of the error, e.g. ``add_lead INVALID PHONE NUMBER LENGTH``.
        data: the pipe-separated values after the reason, in wire order.
        fields: the same values named as in the reference template (empty if no template matched).
        line: the whole ERROR line; raw: the whole (masked) body.
        lines: every tagged line of the answer (``StatusLine``: NOTICE lines printed before the
            error, further ERROR lines), parsed once by the decoder.
        template: the reference template the ERROR line matched (empty when none did).
        facet: what that template means besides its words (``protocol.registry.Facet``, e.g.
            ``list_not_found``), from the generated declarations; empty when no template matched.
        nothing_found: the answer means "no rows / no match" (a search or listing found nothing).
        no_updates: the answer means "nothing to change" (NO UPDATES DEFINED and the like).
        sent: False when the library refused the call before sending it.
    """

    def __init__(self, function: str, reason: str, data: tuple[str, ...] = (), *,
                 fields: Mapping[str, str] | None = None, line: str = "", raw: str = "",
                 sent: bool = True, lines: tuple[StatusLine, ...] = (), template: str = "",
                 facet: Facet = "", nothing_found: bool = False, no_updates: bool = False) -> None:
        self.function = function
        self.reason = reason
        self.data = tuple(data)
        self.fields: Mapping[str, str] = MappingProxyType(dict(fields)) if fields else _EMPTY
        self.line = line
        self.raw = raw
        self.sent = sent
        self.lines = tuple(lines)
        self.template = template
        self.facet: Facet = facet
        self.nothing_found = nothing_found or facet == "nothing_found"
        self.no_updates = no_updates or facet == "no_updates"
        super().__init__(self._message())

    @property
    def notices(self) -> tuple[StatusLine, ...]:
        """The NOTICE lines of the answer (e.g. why nothing was updated)."""
        return tuple(x for x in self.lines if x.tag == "NOTICE")

    def _message(self) -> str:
        tail = "|".join(self.data)
        return f"{self.function}: {self.reason}" + (f" ({tail})" if tail else "")

    def __repr__(self) -> str:
        return (f"{type(self).__name__}(function={self.function!r}, reason={self.reason!r}, "
                f"data={self.data!r})")

    def __reduce__(self) -> tuple[Any, ...]:
        # Keyword-only attributes do not survive the default pickling of exceptions, and a
        # mappingproxy cannot be pickled at all.
        return (_rebuild, (type(self), _plain_state(self)))


def _plain_state(exc: BaseException) -> dict[str, Any]:
    return {k: dict(v) if isinstance(v, MappingProxyType) else v for k, v in exc.__dict__.items()}


def _rebuild(cls: type[APIError], state: dict[str, Any]) -> APIError:
    err = cls.__new__(cls)
    err.__dict__.update(state)
    err.fields = MappingProxyType(err.fields) if err.fields else _EMPTY
    Exception.__init__(err, err._message())
    return err


class AuthenticationError(APIError):
    """Login refused. Never retried: ten failures lock the account for 15 minutes, so the client
    also stops sending to this server until the credentials change (see ``VicidialClient``)."""


class AccountLockedError(AuthenticationError):
    """Too many failed logins: the account is locked for 15 minutes."""


class IPBlockedError(AuthenticationError):
    """The API user's allowed-IP list does not include this host."""


class PermissionDeniedError(APIError):
    """The API user lacks the user level, a permission flag, the function, or list access."""


class InvalidParameterError(APIError, ValueError):
    """A parameter was refused. ``parameter`` names it when known.

    Raised before sending (``sent`` is False) when our validation refuses a value, and after
    sending when the server answers a "not valid"/"MUST"/"INVALID" error.
    """

    def __init__(self, function: str, reason: str, data: tuple[str, ...] = (), *,
                 parameter: str = "", **kw: Any) -> None:
        self.parameter = parameter
        super().__init__(function, reason, data, **kw)

    def _message(self) -> str:
        where = f" [{self.parameter}]" if self.parameter else ""
        return super()._message() + where


class NotFoundError(APIError):
    """The record does not exist, or the API user's groups cannot see it."""


class AlreadyExistsError(APIError):
    """The record to be added already exists."""


class DuplicateError(AlreadyExistsError):
    """add_lead's ``duplicate_check`` found the lead already loaded.

    ``existing_lead_id`` and ``existing_list_id`` say where (the list id is the requested list for
    the in-list checks); ``duplicate_type`` is PHONE or ALT when the server says which column matched.
    """

    @property
    def existing_lead_id(self) -> int | None:
        v = self.fields.get("duplicate_lead_id", "")
        return int(v) if v.isdigit() else None

    @property
    def existing_list_id(self) -> int | None:
        v = self.fields.get("duplicate_list_id") or self.fields.get("list_id", "")
        return int(v) if v.isdigit() else None

    @property
    def duplicate_type(self) -> str | None:
        return self.fields.get("duplicate_type") or None


class DNCError(APIError):
    """The phone number is on the system or campaign Do-Not-Call list."""


class AgentStateError(APIError):
    """The agent is not in the state this command needs (paused, on a live call, lead on screen)."""


class NotLoggedInError(AgentStateError):
    """The agent has no live session."""


class NotPausedError(AgentStateError):
    """The agent must be paused for this command."""


class FeatureDisabledError(APIError):
    """A system or campaign setting switches this function (or this option) off.

    For example the Agent API answers ``preview dialing not allowed on this campaign`` to an
    ``external_dial`` with ``preview=True``, and ``sounds_list`` answers ``CENTRAL SOUND CONTROL IS NOT
    ACTIVE`` when the system setting is off. Changing the setting, not the API user, fixes it.
    """


class UnknownFunctionError(APIError):
    """The server does not know the function (an older VICIdial, or a typo in ``call()``)."""


_KIND_TO_CLASS: dict[str, type[APIError]] = {
    "authentication": AuthenticationError,
    "locked": AccountLockedError,
    "ip_blocked": IPBlockedError,
    "permission_denied": PermissionDeniedError,
    "invalid_parameter": InvalidParameterError,
    "not_found": NotFoundError,
    "already_exists": AlreadyExistsError,
    "duplicate": DuplicateError,
    "dnc": DNCError,
    "agent_state": AgentStateError,
    "not_logged_in": NotLoggedInError,
    "not_paused": NotPausedError,
    "disabled": FeatureDisabledError,
    "unknown_function": UnknownFunctionError,
    "api": APIError,
}


def error_class_for_kind(kind: str) -> type[APIError]:
    """The exception class for an error kind of the declarations (unknown kinds give APIError)."""
    return _KIND_TO_CLASS.get(kind, APIError)
