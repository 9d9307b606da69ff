"""The I/O seam: a backend sends one form-encoded POST and returns status, headers and body.

Everything else (form building, retries, decoding) lives above this seam, so another HTTP library can
be plugged in by writing one small class with ``post`` and ``aclose``. Backends translate their own
exceptions into ours (``ConnectError``, ``TimeoutError``, ``TransportError``), setting ``maybe_sent``
when the request may have reached the server.
"""

from __future__ import annotations

import ssl
from collections.abc import Mapping
from typing import Protocol

import attrs
import httpx

from .. import errors
from ..config import Timeouts

__all__ = ["Backend", "HttpxBackend", "RawResponse"]


@attrs.frozen(slots=True)
class RawResponse:
    """What came back: HTTP status, headers (lower-case names) and the body text."""

    status: int
    headers: Mapping[str, str]
    body: str


class Backend(Protocol):
    """Sends one form POST. Implementations must not follow redirects and must not log bodies."""

    async def post(self, url: str, form: Mapping[str, str], *, read_timeout: float) -> RawResponse:
        """POST ``form`` (urlencoded) to ``url``; return the raw response."""
        ...

    async def aclose(self) -> None:
        """Release connections."""
        ...


def _is_cert_error(exc: BaseException) -> bool:
    seen: set[int] = set()
    cur: BaseException | None = exc
    while cur is not None and id(cur) not in seen:
        seen.add(id(cur))
        if isinstance(cur, ssl.SSLCertVerificationError):
            return True
        if "CERTIFICATE_VERIFY_FAILED" in str(cur):
            return True
        cur = cur.__cause__ or cur.__context__
    return False


class HttpxBackend:
    """The default backend: one pooled ``httpx.AsyncClient`` per server.

    The pool gets ``max_connections`` slots; the client's own concurrency gate is never wider, so a
    request never waits inside httpx's pool (where cancelled waiters can leak slots).
    """

    def __init__(self, *, max_connections: int = 10, timeouts: Timeouts | None = None,
                 verify: bool | ssl.SSLContext = True, http_client: httpx.AsyncClient | None = None
                 ) -> None:
        t = timeouts or Timeouts()
        self._owns = http_client is None
        self._timeouts = t
        self._timeout_cache: dict[float, httpx.Timeout] = {}
        self._hosts: dict[str, str] = {}
        self._client = http_client or httpx.AsyncClient(
            limits=httpx.Limits(max_connections=max_connections,
                                max_keepalive_connections=max_connections),
            timeout=httpx.Timeout(connect=t.connect, read=t.read, write=t.write, pool=t.pool),
            follow_redirects=False,
            verify=verify,
            trust_env=False,
        )

    @property
    def http_client(self) -> httpx.AsyncClient:
        return self._client

    def _timeout(self, read_timeout: float) -> httpx.Timeout:
        # Built once per distinct read timeout: this runs on every call.
        timeout = self._timeout_cache.get(read_timeout)
        if timeout is None:
            t = self._timeouts
            timeout = httpx.Timeout(connect=t.connect, read=read_timeout, write=t.write, pool=t.pool)
            if len(self._timeout_cache) < 64:
                self._timeout_cache[read_timeout] = timeout
        return timeout

    def _host(self, url: str) -> str:
        host = self._hosts.get(url)
        if host is None:
            host = httpx.URL(url).host
            if len(self._hosts) < 64:
                self._hosts[url] = host
        return host

    async def post(self, url: str, form: Mapping[str, str], *, read_timeout: float) -> RawResponse:
        timeout = self._timeout(read_timeout)
        host = self._host(url)
        failure: errors.TransportError
        cause: httpx.TransportError
        try:
            resp = await self._client.post(url, data=dict(form), timeout=timeout,
                                           follow_redirects=False)
        except httpx.ConnectTimeout as exc:
            failure, cause = errors.TimeoutError("connect timeout", host=host, phase="connect"), exc
        except httpx.PoolTimeout as exc:
            failure, cause = errors.TimeoutError("pool timeout", host=host, phase="pool"), exc
        except httpx.ReadTimeout as exc:
            failure = errors.TimeoutError("read timeout", host=host, phase="read", maybe_sent=True)
            cause = exc
        except httpx.WriteTimeout as exc:
            failure = errors.TimeoutError("write timeout", host=host, phase="write", maybe_sent=True)
            cause = exc
        except httpx.ConnectError as exc:
            if _is_cert_error(exc):
                failure = errors.CertificateError("TLS certificate verification failed", host=host)
            else:
                failure = errors.ConnectError(f"cannot connect: {type(exc).__name__}", host=host)
            cause = exc
        except httpx.TransportError as exc:
            # ReadError, WriteError, RemoteProtocolError...: the request may have been received.
            failure = errors.TransportError(f"connection failed mid-request: {type(exc).__name__}",
                                            host=host, maybe_sent=True)
            cause = exc
        else:
            return RawResponse(resp.status_code, resp.headers, resp.text)
        # Raised outside the except clause so the httpx error is not kept as __context__ either.
        raise failure from _without_request(cause)

    async def aclose(self) -> None:
        if self._owns:
            await self._client.aclose()


def _without_request(exc: httpx.TransportError) -> BaseException:
    """A copy of an httpx error without its ``.request``, whose body holds the password.

    The copy keeps the message, the type (so ``isinstance`` checks on ``__cause__`` still work), the
    traceback and httpcore's underlying error, which carries no request.
    """
    try:
        clean: BaseException = type(exc)(str(exc))
    except Exception:  # an unusual constructor: keep only the text
        clean = RuntimeError(f"{type(exc).__name__}: {exc}")
    clean.__cause__ = exc.__cause__ if exc.__cause__ is not None else exc.__context__
    clean.__suppress_context__ = True
    return clean.with_traceback(exc.__traceback__)
