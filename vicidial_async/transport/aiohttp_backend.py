"""The fast backend: one ``aiohttp.ClientSession`` per server (``pip install 'vicidial-async[fast]'``).

Same contract as :class:`~vicidial_async.transport.backend.HttpxBackend`: one form POST per call,
no redirects followed, no cookies kept, no proxy or ``.netrc`` read from the environment, and every
failure translated by :func:`translate` into the library's error classes with the same
``maybe_sent`` (False only when the request cannot have reached the server). It spends about a
quarter of httpx's CPU per call (``benchmarks/transport.py``). On the aiohttp versions it was
checked against, each call goes through :class:`~.aiohttp_exchange.DirectExchange` (the session's
connector, request and response classes, past its request machinery) rather than
``session.post``; on any other, through ``session.post``.

aiohttp runs on asyncio only (the httpx backend also runs under trio).
"""

from __future__ import annotations

import asyncio
import codecs
import contextlib
import ssl
from collections.abc import Mapping
from typing import Any

import aiohttp
import yarl
from aiohttp import payload as _payload

from .. import errors
from ..config import Timeouts
from .aiohttp_exchange import DirectExchange
from .backend import RawResponse, host_and_port
from .causes import caused_by, describe_cause, describe_timeout, is_certificate_failure
from .form import encode_form
from .gate import Gate

__all__ = ["AiohttpBackend", "translate"]

_FORM_HEADERS = {"Content-Type": "application/x-www-form-urlencoded"}
# Bodies up to this size fit in the socket's send buffer and never wait to be written; larger ones
# (a big custom field, a long comment) are written under the write timeout.
_TIMED_WRITE_FROM = 64 * 1024


class _WriteTimedOut(Exception):
    """Raised inside aiohttp's body writer when the write timeout runs out (found by translate)."""


class _TimedBody(_payload.Payload):
    """A form body whose writing must finish within ``timeout`` seconds (aiohttp has no write
    timeout of its own, and starts the read timeout only once the body is written)."""

    def __init__(self, value: bytes, timeout: float) -> None:
        super().__init__(value, content_type=_FORM_HEADERS["Content-Type"])
        self._size = len(value)
        self._body = value
        self._timeout = timeout

    def decode(self, encoding: str = "utf-8", errors: str = "strict") -> str:
        return self._body.decode(encoding, errors)

    async def write(self, writer: Any) -> None:
        await self.write_with_length(writer, None)

    async def write_with_length(self, writer: Any, content_length: int | None) -> None:
        value = self._body if content_length is None else self._body[:content_length]
        try:
            async with asyncio.timeout(self._timeout):
                await writer.write(value)
        except TimeoutError:
            raise _WriteTimedOut(f"request body not written within {self._timeout} s") from None


def translate(exc: BaseException, host: str, port: int | None = None, *,
              timeouts: Timeouts | None = None, read_timeout: float | None = None
              ) -> errors.TransportError | None:
    """The library's error for an aiohttp failure (``None`` when ``exc`` is not a transport failure).

    ``maybe_sent`` is False only for failures before the request was written (connecting, TLS,
    waiting for a free connection); anything later may have reached the server. The message names
    the cause in words (``transport/causes.py``), as the httpx backend's do.
    """
    t = timeouts or Timeouts()
    phase = ("connect" if isinstance(exc, aiohttp.ConnectionTimeoutError)
             else "read" if isinstance(exc, aiohttp.SocketTimeoutError)
             else "write" if caused_by(exc, _WriteTimedOut) else "")
    if phase:
        seconds = {"connect": t.connect, "write": t.write}.get(phase, read_timeout)
        return errors.TimeoutError(host=host, port=port, phase=phase, seconds=seconds,
                                   cause=describe_timeout(phase, seconds), maybe_sent=phase != "connect")
    if isinstance(exc, aiohttp.ClientConnectorCertificateError) or (
            isinstance(exc, aiohttp.ClientConnectorError) and is_certificate_failure(exc)):
        return errors.CertificateError(host=host, port=port, cause=describe_cause(exc))
    if isinstance(exc, aiohttp.ClientConnectorError):
        return errors.ConnectError(host=host, port=port, cause=describe_cause(exc))
    if isinstance(exc, aiohttp.ClientError | TimeoutError | OSError):
        # ServerDisconnectedError, ClientPayloadError (a truncated body), ClientResponseError (a
        # malformed answer), a reset mid-exchange: the request may have been received.
        return errors.TransportError(
            host=host, port=port, cause=describe_cause(exc) + " (mid-request: it may have been received)",
            maybe_sent=True)
    return None


class AiohttpBackend:
    """One ``aiohttp.ClientSession`` per server, at most ``max_connections`` connections.

    Requests queue first-in first-out at this backend's own gate (for at most the pool timeout),
    so aiohttp's connector never has a waiter; the client's gate is never wider, so calls made
    through the client never queue here either. The session is opened on the first call, inside
    the running event loop, and its TLS context is built only for an ``https://`` URL.
    """

    def __init__(self, *, max_connections: int = 10, timeouts: Timeouts | None = None,
                 verify: bool | ssl.SSLContext = True) -> None:
        self._timeouts = timeouts or Timeouts()
        self._width = max_connections
        self._verify = verify
        self._gate = Gate(max_connections)
        self._session: aiohttp.ClientSession | None = None
        self._direct: DirectExchange | None = None
        self._closed = False
        self._timeout_cache: dict[float, aiohttp.ClientTimeout] = {}
        self._charsets: dict[str, str] = {}
        self._urls: dict[str, yarl.URL] = {}

    @property
    def free(self) -> int:
        """Connections not carrying a request right now."""
        return self._gate.free

    def _open(self, url: str) -> aiohttp.ClientSession:
        if self._closed:
            raise errors.ConfigurationError("the client is closed")
        ssl_arg: ssl.SSLContext | bool
        if self._verify is False:
            ssl_arg = False
        elif isinstance(self._verify, ssl.SSLContext):
            ssl_arg = self._verify
        elif url.startswith("https:"):
            ssl_arg = ssl.create_default_context()  # loads the CA bundle: only when needed
        else:
            ssl_arg = True  # plain http: aiohttp never builds a context for it
        connector = aiohttp.TCPConnector(limit=self._width, limit_per_host=0, ssl=ssl_arg,
                                         keepalive_timeout=5.0)  # httpx's keep-alive expiry
        self._session = aiohttp.ClientSession(
            connector=connector, cookie_jar=aiohttp.DummyCookieJar(), trust_env=False,
            auto_decompress=True, raise_for_status=False,
            # Every call is a form POST: its one header is the session's, merged per request
            # from here rather than from a per-call mapping.
            headers=_FORM_HEADERS)
        # The session's requests, sent past its request machinery (see aiohttp_exchange.py).
        self._direct = DirectExchange.for_session(self._session)
        return self._session

    def _timeout(self, read_timeout: float) -> aiohttp.ClientTimeout:
        timeout = self._timeout_cache.get(read_timeout)
        if timeout is None:
            t = self._timeouts
            # connect covers name lookup, TCP and TLS; sock_read is the longest wait for data.
            timeout = aiohttp.ClientTimeout(total=None, connect=t.connect, sock_connect=t.connect,
                                            sock_read=read_timeout)
            if len(self._timeout_cache) < 64:
                self._timeout_cache[read_timeout] = timeout
        return timeout

    def _charset(self, content_type: str) -> str:
        # As httpx: the charset the answer names, else UTF-8; undecodable bytes are replaced.
        charset = self._charsets.get(content_type)
        if charset is None:
            charset = "utf-8"
            for part in content_type.split(";")[1:]:
                name, _, value = part.partition("=")
                if name.strip().lower() == "charset":
                    with contextlib.suppress(LookupError):
                        charset = codecs.lookup(value.strip().strip("\"'")).name
            if len(self._charsets) < 64:
                self._charsets[content_type] = charset
        return charset

    def _url(self, url: str) -> yarl.URL:
        # Parsed once: a client calls the same one or two URLs (non-agent and agent API) each time.
        parsed = self._urls.get(url)
        if parsed is None:
            parsed = yarl.URL(url)
            if len(self._urls) < 64:
                self._urls[url] = parsed
        return parsed

    async def post(self, url: str, form: Mapping[str, str], *, read_timeout: float) -> RawResponse:
        session = self._session or self._open(url)
        timeout = self._timeout(read_timeout)
        body = encode_form(form).encode("ascii")
        data: bytes | _TimedBody = body
        if len(body) >= _TIMED_WRITE_FROM:
            data = _TimedBody(body, self._timeouts.write)
        gate = self._gate
        if not gate.acquire_nowait():
            try:
                async with asyncio.timeout(self._timeouts.pool):
                    await gate.__aenter__()
            except TimeoutError:
                host, port = host_and_port(url)
                raise errors.TimeoutError(
                    host=host, port=port, phase="pool", seconds=self._timeouts.pool,
                    cause=describe_timeout("pool", self._timeouts.pool)) from None
        failure: errors.TransportError | None
        direct = self._direct
        try:
            if direct is not None:
                status, headers, raw = await direct.post(self._url(url), data, timeout)
            else:
                async with session.post(self._url(url), data=data, timeout=timeout,
                                        allow_redirects=False) as resp:
                    raw = await resp.read()
                    status, headers = resp.status, resp.headers
        except (aiohttp.ClientError, TimeoutError, OSError) as exc:
            host, port = host_and_port(url)
            failure = translate(exc, host, port, timeouts=self._timeouts, read_timeout=read_timeout)
            if failure is None:
                raise
            cause: BaseException = exc
        else:
            ctype = headers.get("Content-Type", "")
            return RawResponse(status, headers, raw.decode(self._charset(ctype), "replace"))
        finally:
            gate.release()
        # Raised outside the except clause, as the httpx backend does.
        raise failure from cause

    async def aclose(self) -> None:
        """Close the session and its connections."""
        self._closed = True
        session, self._session = self._session, None
        self._direct = None
        if session is not None:
            await session.close()
