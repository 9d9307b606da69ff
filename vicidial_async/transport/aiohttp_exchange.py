"""One POST through aiohttp's own connector, request and response classes, past ``session.post``.

Why: ``ClientSession._request`` walks, on every call, through machinery this library turns off:
redirects, cookies, proxies and ``.netrc``, credentials in the URL, traces, middlewares, a total
timeout, the retry of idempotent methods (a POST is not one). :class:`DirectExchange` does the
steps that remain for our calls (build the request, take a pooled connection, arm the read
timeout, send, read the answer, give the connection back) with the same aiohttp objects, and so
the same wire behaviour, for 6-14% less client CPU per typed call (``benchmarks/transport.py``
measures both ways; the figures are in the README).

Those pieces (``ClientRequest``, ``TCPConnector.connect``, ``ResponseHandler.set_response_params``,
``ClientResponse.start``) are aiohttp's, but not its documented API. Their use here follows
``ClientSession._request``, which did the same steps, with the same arguments, from 3.10 to 3.14.
:meth:`DirectExchange.for_session` gives an exchange only on those versions, and only while the
signatures still take what is passed; on any other version the backend goes through
``session.post`` (the same behaviour, at more CPU). The transport tests run both ways.
"""

from __future__ import annotations

import asyncio
import inspect
from collections.abc import Mapping
from typing import Any

import aiohttp
import yarl
from aiohttp.helpers import TimerNoop

__all__ = ["DirectExchange"]

# The versions whose ClientSession._request was read, step by step, against this module.
_CHECKED = ((3, 10), (3, 14))
# What set_response_params is given, and where the session keeps the value _request passes.
_SESSION_PARAMS = ("read_bufsize", "auto_decompress", "max_line_size", "max_field_size",
                   "max_headers")
_CALL_PARAMS = ("timer", "skip_payload", "read_until_eof", "read_timeout", "timeout_ceil_threshold")
_REQUEST_PARAMS = ("headers", "data", "loop", "response_class", "timer", "session", "ssl",
                   "traces", "trust_env")


def _version() -> tuple[int, int]:
    try:
        major, minor = aiohttp.__version__.split(".")[:2]
        return int(major), int(minor)
    except ValueError:
        return (0, 0)


def _takes(function: Any, positional: tuple[str, ...], keywords: tuple[str, ...]) -> set[str] | None:
    """The parameter names of ``function`` if it takes ``positional`` and ``keywords`` and
    requires nothing else, else ``None``."""
    try:
        params = inspect.signature(function).parameters
    except (TypeError, ValueError):
        return None
    given = {"self", *positional, *keywords}
    for name, p in params.items():
        if p.kind in (p.VAR_KEYWORD, p.VAR_POSITIONAL):
            continue
        if p.default is p.empty and name not in given:
            return None
    if not given - {"self"} <= set(params):
        return None
    return set(params)


def _check() -> frozenset[str] | None:
    """The ``set_response_params`` keywords this aiohttp takes, or ``None`` when the direct
    exchange must not be used with it."""
    if not _CHECKED[0] <= _version() <= _CHECKED[1]:
        return None
    from aiohttp.client_proto import ResponseHandler

    request = _takes(aiohttp.ClientRequest.__init__, ("method", "url"), _REQUEST_PARAMS)
    connect = _takes(aiohttp.TCPConnector.connect, ("req",), ("traces", "timeout"))
    response = _takes(ResponseHandler.set_response_params, (), _CALL_PARAMS)
    if request is None or connect is None or response is None:
        return None
    return frozenset(response)


_RESPONSE_PARAMS = _check()


class DirectExchange:
    """The POSTs of one ``aiohttp.ClientSession``, sent the way its ``post`` sends them (its
    connector, default headers and response settings), without its request machinery."""

    def __init__(self, session: aiohttp.ClientSession, accepted: frozenset[str]) -> None:
        self._session = session
        connector = session.connector
        assert isinstance(connector, aiohttp.TCPConnector)
        self._connector = connector
        self._headers = session.headers
        self._response_class = getattr(session, "_response_class", aiohttp.ClientResponse)
        self._loop = asyncio.get_running_loop()
        # The same values _request passes: the session's own settings.
        self._params: dict[str, Any] = {
            name: getattr(session, "_" + name) for name in _SESSION_PARAMS
            if name in accepted and hasattr(session, "_" + name)}
        self._params.update(skip_payload=False, read_until_eof=True,
                            timeout_ceil_threshold=connector._timeout_ceil_threshold)

    @classmethod
    def for_session(cls, session: aiohttp.ClientSession) -> DirectExchange | None:
        """An exchange for ``session``, or ``None`` on an aiohttp whose internals it was not
        checked against (then use ``session.post``)."""
        accepted = _RESPONSE_PARAMS
        if accepted is None or not isinstance(session.connector, aiohttp.TCPConnector):
            return None
        return cls(session, accepted)

    async def post(self, url: yarl.URL, data: Any, timeout: aiohttp.ClientTimeout
                   ) -> tuple[int, Mapping[str, str], bytes]:
        """POST ``data`` to ``url``: the status, headers and body of the answer. Raises what
        ``session.post`` raises for the same failure. ``timeout.total`` is not applied (the
        backend never sets one: its calls have a connect, a read and a pool timeout); redirects
        are not followed."""
        session = self._session
        if session.closed:
            raise RuntimeError("Session is closed")
        # A total timeout of None gives _request a no-op timer too.
        timer = TimerNoop()
        req = aiohttp.ClientRequest(
            "POST", url, headers=self._headers, data=data, loop=self._loop,
            response_class=self._response_class, timer=timer, session=session, ssl=True,
            traces=[], trust_env=False)
        try:
            try:
                conn = await self._connector.connect(req, traces=[], timeout=timeout)
            except TimeoutError as exc:
                raise aiohttp.ConnectionTimeoutError(
                    f"Connection timeout to host {req.url}") from exc
            assert conn.protocol is not None
            conn.protocol.set_response_params(timer=timer, read_timeout=timeout.sock_read,
                                              **self._params)
            try:
                resp = await req.send(conn)
                try:
                    await resp.start(conn)
                except BaseException:
                    resp.close()
                    raise
            except BaseException:
                conn.close()
                raise
        except aiohttp.ClientError:
            raise
        except OSError as exc:
            # As _request: a bare timeout stays one; any other OS error becomes aiohttp's.
            if exc.errno is None and isinstance(exc, TimeoutError):
                raise
            raise aiohttp.ClientOSError(*exc.args) from exc
        try:
            return resp.status, resp.headers, await resp.read()
        finally:
            # What leaving ``async with session.post(...)`` does.
            resp.release()
            await resp.wait_for_close()
