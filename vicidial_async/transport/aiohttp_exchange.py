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

How a request goes out: aiohttp on Python 3.11 writes each request's body (with its buffered
headers) from a task of its own, started in the next pass of the event loop. The exchange writes
the requests that a pass prepared the same way, one pass later and in the same order, but all from
one callback instead of a task each: the same bytes in the same TCP segment, less CPU, and the
sends of a pass still leave back to back (a server on the same machine, woken by the first, takes
the others while it is awake rather than being woken for each). Bodies from 64 KiB, which are
written under the write timeout, still go through aiohttp's own task.
"""

from __future__ import annotations

import asyncio
import inspect
from collections.abc import Mapping
from typing import Any

import aiohttp
import yarl
from aiohttp.client_proto import ResponseHandler
from aiohttp.helpers import TimerNoop
from aiohttp.http_writer import StreamWriter

__all__ = ["DirectExchange"]

# The versions whose ClientSession._request was read, step by step, against this module.
_CHECKED = ((3, 10), (3, 14))
# What set_response_params is given, and where the session keeps the value _request passes.
_SESSION_PARAMS = ("read_bufsize", "auto_decompress", "max_line_size", "max_field_size",
                   "max_headers")
_CALL_PARAMS = ("timer", "skip_payload", "read_until_eof", "read_timeout", "timeout_ceil_threshold")
_REQUEST_PARAMS = ("headers", "data", "loop", "response_class", "timer", "session", "ssl",
                   "traces", "trust_env")
# What ClientRequest.send gives the response (``stream_writer`` from 3.14 on, where it is taken).
_ANSWER_PARAMS = ("writer", "continue100", "timer", "request_info", "traces", "loop", "session")


def _version() -> tuple[int, int]:
    try:
        major, minor = aiohttp.__version__.split(".")[:2]
        return int(major), int(minor)
    except ValueError:
        return (0, 0)


def _takes(function: Any, positional: tuple[str, ...], keywords: tuple[str, ...],
           optional: tuple[str, ...] = ()) -> set[str] | None:
    """The parameter names of ``function`` if it takes ``positional`` and ``keywords`` and
    requires nothing else (bar ``optional``, which it may lack), else ``None``."""
    try:
        params = inspect.signature(function).parameters
    except (TypeError, ValueError):
        return None
    given = {"self", *positional, *keywords}
    for name, p in params.items():
        if p.kind in (p.VAR_KEYWORD, p.VAR_POSITIONAL):
            continue
        if p.default is p.empty and name not in given and name not in optional:
            return None
    if not given - {"self"} <= set(params):
        return None
    return set(params)


def _check() -> frozenset[str] | None:
    """The ``set_response_params`` keywords this aiohttp takes, or ``None`` when the direct
    exchange must not be used with it."""
    if not _CHECKED[0] <= _version() <= _CHECKED[1]:
        return None
    request = _takes(aiohttp.ClientRequest.__init__, ("method", "url"), _REQUEST_PARAMS)
    connect = _takes(aiohttp.TCPConnector.connect, ("req",), ("traces", "timeout"))
    response = _takes(ResponseHandler.set_response_params, (), _CALL_PARAMS)
    answer = _takes(aiohttp.ClientResponse.__init__, ("method", "url"), _ANSWER_PARAMS,
                    optional=("stream_writer",))
    writer = _takes(StreamWriter.__init__, ("protocol", "loop"), ())
    write = _takes(StreamWriter.write, ("chunk",), ("drain",))
    if None in (request, connect, response, answer, writer, write):
        return None
    assert response is not None and answer is not None
    return frozenset(response) | frozenset(f"answer:{name}" for name in answer)


# The set_response_params keywords, and the response's as "answer:<name>"; None: do not use.
_RESPONSE_PARAMS = _check()


def _run(step: Any) -> None:
    """Run a coroutine of aiohttp's writer that has nothing to wait for (no traces, no
    compression, ``drain=False``) to its end, here and now."""
    try:
        step.send(None)
    except StopIteration:
        return
    step.close()
    raise RuntimeError("aiohttp's stream writer waited where it never does")


def _write(protocol: ResponseHandler, writer: StreamWriter, status_line: str, headers: Any,
           body: bytes) -> None:
    """Write a request's headers and body and arm its read timeout: what aiohttp's body-writer
    task does. A failure reaches the call through its response, as from that task."""
    transport = protocol.transport
    if transport is None or transport.is_closing():
        # Its call was cancelled (and closed the connection) or the connection was lost while
        # the request was queued: the response already has its outcome.
        return
    try:
        _run(writer.write_headers(status_line, headers))
        _run(writer.write(body, drain=False))
    except Exception as exc:
        failure: aiohttp.ClientError
        if isinstance(exc, OSError) and exc.errno is not None:
            failure = aiohttp.ClientOSError(exc.errno, f"Can not write the request: {exc}")
        else:
            failure = aiohttp.ClientConnectionError(
                f"Failed to send bytes into the underlying connection: {exc!r}")
        protocol.set_exception(failure, exc)
    else:
        protocol.start_timeout()


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
        self._answer_takes_writer = "answer:stream_writer" in accepted
        # Requests of this pass whose headers and body are written by _write_queued.
        self._queued: list[tuple[ResponseHandler, StreamWriter, str, Any, bytes]] = []

    @classmethod
    def for_session(cls, session: aiohttp.ClientSession) -> DirectExchange | None:
        """An exchange for ``session``, or ``None`` on an aiohttp whose internals it was not
        checked against (then use ``session.post``)."""
        accepted = _RESPONSE_PARAMS
        if accepted is None or not isinstance(session.connector, aiohttp.TCPConnector):
            return None
        return cls(session, accepted)

    def _queue(self, req: aiohttp.ClientRequest, conn: Any, body: bytes, timer: TimerNoop
               ) -> aiohttp.ClientResponse:
        """What ``req.send(conn)`` does for a form POST of ``body`` on a kept-alive HTTP/1.1
        connection, with the writing queued for :meth:`_write_queued` rather than a task."""
        protocol = conn.protocol
        writer = StreamWriter(protocol, self._loop)
        v = req.version
        status_line = f"POST {req.url.raw_path_qs} HTTP/{v.major}.{v.minor}"
        self._queued.append((protocol, writer, status_line, req.headers, body))
        if len(self._queued) == 1:
            self._loop.call_soon(self._write_queued)
        extra = {"stream_writer": writer} if self._answer_takes_writer else {}
        # writer=None: no body-writer task for the response to wait for or cancel.
        return self._response_class(
            "POST", req.original_url, writer=None, continue100=None, timer=timer,
            request_info=req.request_info, traces=[], loop=self._loop, session=self._session,
            **extra)

    def _write_queued(self) -> None:
        """Write each request queued in this pass: one callback for them all, where aiohttp
        starts a task per request."""
        queued, self._queued = self._queued, []
        for request in queued:
            _write(*request)

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
                if type(data) is bytes and not self._connector.force_close:
                    resp = self._queue(req, conn, data, timer)
                else:
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
