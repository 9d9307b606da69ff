"""What went wrong with an HTTP exchange, in words a person can act on.

A transport failure reaches us as a chain of exceptions (httpx -> httpcore -> anyio -> the socket or
``ssl`` error). Only the bottom of the chain says what happened ("connection refused", "wrong
version number"), and the top one often says nothing ("All connection attempts failed"). These
helpers walk the chain and name the cause; the backend puts it in the error message as
``<function> to <host>:<port>: <cause>``.

Only exception types, errno values and the TLS library's short reason are read: never a request,
so neither the password nor the body can end up in the text.

>>> describe_timeout("connect", 5.0)
'timed out after 5s while connecting (TCP connect or TLS handshake)'
>>> describe_cause(ConnectionRefusedError(111, "Connection refused"))
'connection refused (nothing listens on that port, or a firewall rejects it)'
"""

from __future__ import annotations

import errno
import socket
import ssl
from collections.abc import Iterator
from http import HTTPStatus

__all__ = ["caused_by", "describe_cause", "describe_status", "describe_timeout", "is_certificate_failure"]

_PHASES = {
    "connect": "while connecting (TCP connect or TLS handshake)",
    "read": "waiting for the answer",
    "write": "while sending the request",
    "pool": "waiting for a free connection",
}

# TLS reasons worth a hint: the usual mistakes behind them.
_TLS_HINTS = {
    "WRONG_VERSION_NUMBER": "wrong version number: the port does not speak TLS (an https:// URL on an "
                            "http port?)",
    "UNSUPPORTED_PROTOCOL": "unsupported protocol: the server only offers an old TLS version",
    "TLSV1_ALERT_PROTOCOL_VERSION": "protocol version: client and server share no TLS version",
    "SSLV3_ALERT_HANDSHAKE_FAILURE": "handshake failure: client and server share no cipher",
    "RECORD_LAYER_FAILURE": "record layer failure: the port does not speak TLS",
    "HTTP_REQUEST": "the port speaks plain HTTP",
    "UNEXPECTED_EOF_WHILE_READING": "the server closed the connection during the handshake (not a TLS "
                                    "port?)",
}

_ERRNO_WORDS = {
    errno.ECONNREFUSED: "connection refused (nothing listens on that port, or a firewall rejects it)",
    errno.ECONNRESET: "connection reset by the server",
    errno.ECONNABORTED: "connection aborted",
    errno.EPIPE: "connection closed by the server while sending",
    errno.ETIMEDOUT: "timed out while connecting (no answer from the host)",
    errno.EHOSTUNREACH: "host unreachable",
    errno.ENETUNREACH: "network unreachable",
    errno.EADDRNOTAVAIL: "address not available",
}


def _chain(exc: BaseException) -> Iterator[BaseException]:
    """``exc`` and everything it was raised from, top first (cycles cut)."""
    seen: set[int] = set()
    cur: BaseException | None = exc
    while cur is not None and id(cur) not in seen:
        seen.add(id(cur))
        yield cur
        # aiohttp's connector errors wrap the socket's (or the certificate's) error.
        os_error = getattr(cur, "os_error", None) or getattr(cur, "certificate_error", None)
        if isinstance(cur, BaseExceptionGroup) and cur.exceptions:
            # anyio/trio may group the attempts to each address: the first says enough.
            cur = cur.exceptions[0]
        elif isinstance(os_error, BaseException) and os_error is not cur:
            cur = os_error
        else:
            cur = cur.__cause__ or cur.__context__


def caused_by(exc: BaseException, kind: type[BaseException]) -> bool:
    """True when ``exc`` or anything it was raised from is a ``kind``."""
    return any(isinstance(cur, kind) for cur in _chain(exc))


def is_certificate_failure(exc: BaseException) -> bool:
    """True when the chain holds a failed TLS certificate verification (never worth a retry)."""
    for cur in _chain(exc):
        if isinstance(cur, ssl.SSLCertVerificationError) or "CERTIFICATE_VERIFY_FAILED" in str(cur):
            return True
    return False


def _tls_words(err: ssl.SSLError) -> str:
    if isinstance(err, ssl.SSLCertVerificationError):
        # (aiohttp's ClientConnectorCertificateError is one too, holding the real one inside.)
        inner = getattr(err, "certificate_error", err)
        detail = getattr(inner, "verify_message", None) or "unknown reason"
        return f"TLS handshake failed: certificate verify failed ({detail}); pass a CA bundle for a " \
               "self-signed certificate"
    reason = getattr(err, "reason", None) or ""
    if reason in _TLS_HINTS:
        return f"TLS handshake failed: {_TLS_HINTS[reason]}"
    if "CERTIFICATE_VERIFY_FAILED" in str(err):
        return "TLS handshake failed: certificate verify failed"
    words = reason.replace("_", " ").lower() if reason else type(err).__name__
    return f"TLS handshake failed: {words}"


def describe_cause(exc: BaseException) -> str:
    """The cause of a transport failure in words, e.g. ``connection refused``.

    Falls back to the exception's class name (never its text, which for some libraries could
    quote the request).
    """
    chain = list(_chain(exc))
    tls = [cur for cur in chain if isinstance(cur, ssl.SSLError)]
    if tls:
        return _tls_words(tls[-1])  # the deepest: wrappers (aiohttp's) carry no reason
    for cur in chain:
        if isinstance(cur, socket.gaierror):
            return f"name not resolved ({cur.strerror or 'unknown host'})"
    for cur in chain:
        if isinstance(cur, ConnectionRefusedError):
            return _ERRNO_WORDS[errno.ECONNREFUSED]
        if isinstance(cur, ConnectionResetError):
            return _ERRNO_WORDS[errno.ECONNRESET]
        code = getattr(cur, "errno", None)
        if isinstance(cur, OSError) and isinstance(code, int) and code in _ERRNO_WORDS:
            return _ERRNO_WORDS[code]
    for cur in chain:
        text = str(cur)
        if "Server disconnected" in text or "peer closed connection" in text:
            return "the server closed the connection without a complete answer"
        if "Name or service not known" in text or "nodename nor servname" in text:
            return "name not resolved"
        if "Connection refused" in text or "Connect call failed" in text:
            return _ERRNO_WORDS[errno.ECONNREFUSED]
        if "Connection reset" in text:
            return _ERRNO_WORDS[errno.ECONNRESET]
    return f"connection failed ({type(chain[-1]).__name__})"


def describe_timeout(phase: str, seconds: float | None) -> str:
    """``timed out after 5s while connecting ...`` for a phase of connect/read/write/pool."""
    where = _PHASES.get(phase, phase or "")
    after = f" after {seconds:g}s" if seconds is not None else ""
    return f"timed out{after} {where}".rstrip()


def describe_status(status: int) -> str:
    """``HTTP 503 Service Unavailable`` (the phrase left out for codes Python does not know)."""
    try:
        return f"HTTP {status} {HTTPStatus(status).phrase}"
    except ValueError:
        return f"HTTP {status}"
