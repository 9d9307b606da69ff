"""The I/O seam: a backend sends one form-encoded POST and returns status, headers and body.

Everything else (form building, retries, decoding) lives above this seam, so another HTTP library can
be plugged in by writing one small class with ``post`` and ``aclose``. Backends translate their own
exceptions into ours (``ConnectError``, ``TimeoutError``, ``TransportError``), setting ``maybe_sent``
when the request may have reached the server.
"""

from __future__ import annotations

import functools
import ssl
from collections.abc import AsyncIterator, Mapping
from typing import Protocol
from urllib.parse import urlsplit

import anyio
import attrs
import httpx

from .. import errors
from ..config import Timeouts
from .causes import describe_cause, describe_timeout, is_certificate_failure
from .gate import Gate

__all__ = ["Backend", "HttpxBackend", "RawResponse", "host_and_port"]


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


_DEFAULT_PORTS = {"http": 80, "https": 443}


@functools.lru_cache(maxsize=64)
def host_and_port(url: str) -> tuple[str, int | None]:
    """``(host, port)`` of ``url`` as the backends' errors name them (the scheme's port when the
    URL gives none). Cached: the httpx backend asks on every call."""
    parts = urlsplit(url)
    return parts.hostname or "", parts.port or _DEFAULT_PORTS.get(parts.scheme)


class HttpxBackend:
    """The default backend: one ``httpx.AsyncClient`` per server, over ``max_connections`` lanes.

    Each lane is a one-connection httpx transport that carries one request at a time (see
    ``_Lanes``); the client's own concurrency gate is never wider than the lanes, so a request never
    waits inside httpx's pool (where cancelled waiters can leak slots). A passed-in ``http_client``
    is used as it is.
    """

    def __init__(self, *, max_connections: int = 10, timeouts: Timeouts | None = None,
                 verify: bool | ssl.SSLContext = True, http_client: httpx.AsyncClient | None = None
                 ) -> None:
        t = timeouts or Timeouts()
        self._owns = http_client is None
        self._timeouts = t
        self._timeout_cache: dict[float, httpx.Timeout] = {}
        self._lanes: _Lanes | None = None
        if http_client is None:
            self._lanes = _Lanes(max_connections, verify=verify)
            http_client = httpx.AsyncClient(
                transport=self._lanes,
                timeout=httpx.Timeout(connect=t.connect, read=t.read, write=t.write, pool=t.pool),
                follow_redirects=False,
                trust_env=False,
            )
        self._client = http_client

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

    async def post(self, url: str, form: Mapping[str, str], *, read_timeout: float) -> RawResponse:
        timeout = self._timeout(read_timeout)
        host, port = host_and_port(url)
        t = self._timeouts
        failure: errors.TransportError
        cause: httpx.TransportError
        try:
            resp = await self._client.post(url, data=dict(form), timeout=timeout,
                                           follow_redirects=False)
        except httpx.TimeoutException as exc:
            # Which phase ran out decides whether the request may have reached the server.
            phase, seconds = {
                httpx.ConnectTimeout: ("connect", t.connect),
                httpx.PoolTimeout: ("pool", t.pool),
                httpx.WriteTimeout: ("write", t.write),
            }.get(type(exc), ("read", read_timeout))
            failure = errors.TimeoutError(host=host, port=port, phase=phase, seconds=seconds,
                                          cause=describe_timeout(phase, seconds),
                                          maybe_sent=phase in ("read", "write"))
            cause = exc
        except httpx.ConnectError as exc:
            kind = errors.CertificateError if is_certificate_failure(exc) else errors.ConnectError
            failure, cause = kind(host=host, port=port, cause=describe_cause(exc)), exc
        except httpx.TransportError as exc:
            # ReadError, WriteError, RemoteProtocolError...: the request may have been received.
            failure = errors.TransportError(
                host=host, port=port, cause=describe_cause(exc) + " (mid-request: it may have been received)",
                maybe_sent=True)
            cause = exc
        else:
            return RawResponse(resp.status_code, resp.headers, resp.text)
        # Raised outside the except clause so the httpx error is not kept as __context__ either.
        raise failure from _without_request(cause)

    async def aclose(self) -> None:
        if self._owns:
            await self._client.aclose()


class _LaneStream(httpx.AsyncByteStream):
    """A response body that gives its lane back once it is closed (httpx closes it after reading)."""

    __slots__ = ("_lane", "_lanes", "_stream")

    def __init__(self, stream: httpx.AsyncByteStream, lanes: _Lanes, lane: httpx.AsyncHTTPTransport
                 ) -> None:
        self._stream = stream
        self._lanes = lanes
        self._lane: httpx.AsyncHTTPTransport | None = lane

    async def __aiter__(self) -> AsyncIterator[bytes]:
        try:
            async for part in self._stream:
                yield part
        except BaseException:
            await self.aclose()
            raise

    async def aclose(self) -> None:
        lane, self._lane = self._lane, None
        try:
            await self._stream.aclose()
        finally:
            if lane is not None:
                self._lanes.give_back(lane)


class _Lanes(httpx.AsyncBaseTransport):
    """``width`` one-connection transports, each carrying one request at a time.

    Why not one httpx pool of ``width`` connections: httpcore (1.0) assigns every queued request to
    the first idle connection without reserving it, and the request claims it only a few event-loop
    passes later. Requests that enter the pool within those passes (the normal case once callers
    queue at the client's gate, as each freed slot admits one waiter) are all given the same
    connection; all but one then fail over with ``ConnectionNotAvailable``, re-run the assignment
    (which polls every idle socket) and wait again. At concurrency 128 that was about two bounces
    per call and half again the CPU per call of concurrency 8, with idle connections left waiting.
    A lane is taken here, before httpcore sees the request, so no two requests ever share a pool.
    Lanes are made on first need and reused most-recent first (warm connections).
    """

    def __init__(self, width: int, *, verify: bool | ssl.SSLContext) -> None:
        self._gate = Gate(width)
        self._verify = verify
        # One TLS context for every lane, built on the first https:// request: building one loads
        # the CA bundle (tens of ms), which a client of an http:// URL never needs.
        self._ssl: ssl.SSLContext | None = None
        self._spare: list[httpx.AsyncHTTPTransport] = []
        self._lanes: list[httpx.AsyncHTTPTransport] = []

    def give_back(self, lane: httpx.AsyncHTTPTransport) -> None:
        self._spare.append(lane)
        self._gate.release()

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        if not self._gate.acquire_nowait():
            # Only when httpx is used beyond the width directly (the client's gate never is):
            # queue here, in order, for at most the pool timeout.
            timeout = request.extensions.get("timeout", {}).get("pool")
            try:
                with anyio.fail_after(timeout):
                    await self._gate.__aenter__()
            except TimeoutError:
                raise httpx.PoolTimeout("no free connection", request=request) from None
        lane = self._spare.pop() if self._spare else self._new_lane(request.url.scheme == "https")
        try:
            response = await lane.handle_async_request(request)
        except BaseException:
            self.give_back(lane)
            raise
        assert isinstance(response.stream, httpx.AsyncByteStream)
        response.stream = _LaneStream(response.stream, self, lane)
        return response

    def _new_lane(self, tls: bool = True) -> httpx.AsyncHTTPTransport:
        context = _NO_TLS
        if tls or self._ssl is not None:
            if self._ssl is None:
                self._ssl = httpx.create_ssl_context(verify=self._verify, trust_env=False)
            context = self._ssl
        lane = httpx.AsyncHTTPTransport(verify=context, trust_env=False, limits=httpx.Limits(
            max_connections=1, max_keepalive_connections=1))
        self._lanes.append(lane)
        return lane

    async def aclose(self) -> None:
        lanes, self._lanes, self._spare = self._lanes, [], []
        for lane in lanes:
            await lane.aclose()


# For lanes made for plain http://: httpx wants a context, and this one (no CA loaded, verification
# on) could never complete an https handshake, so a lane made for http:// cannot weaken TLS.
_NO_TLS = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)


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
