"""The aiohttp backend's direct exchange (``transport/aiohttp_exchange.py``): used where it was
checked, the same bytes on the wire as ``session.post``, and ``session.post`` everywhere else.

The whole transport matrix (``test_backends.py``, ``test_pool.py``, ``test_causes.py``, ...) runs
on both ways through the ``backend`` fixture; these tests cover what only this seam can get wrong.
"""

from __future__ import annotations

import asyncio
import errno
from collections.abc import Callable, Iterator
from typing import Any

import pytest

pytest.importorskip("aiohttp")

import aiohttp
import yarl
from aiohttp.client_proto import ResponseHandler

from vicidial_async import RetryPolicy, Timeouts, TransportError
from vicidial_async.transport import aiohttp_exchange

ADD = {"phone_number": "3125551212", "list_id": 101}


def _version() -> tuple[int, int]:
    major, minor = aiohttp.__version__.split(".")[:2]
    return int(major), int(minor)


async def test_the_direct_exchange_carries_the_calls_on_a_checked_aiohttp(
        raw_server: Any, make_client: Callable[..., Any]) -> None:
    async with make_client(raw_server.url, backend="aiohttp") as vd:
        assert (await vd.call("add_lead", **ADD)).ok
        used = vd._backend._direct is not None
    # On the versions it was checked against (CI installs one), the fast way is the one taken,
    # so the transport matrix's "aiohttp" runs test it.
    assert used == ((3, 10) <= _version() <= (3, 14))


async def test_both_ways_put_the_same_bytes_on_the_wire(
        raw_server: Any, make_client: Callable[..., Any], monkeypatch: pytest.MonkeyPatch) -> None:
    async with make_client(raw_server.url, backend="aiohttp") as vd:
        assert (await vd.call("add_lead", **ADD)).ok
    monkeypatch.setattr(aiohttp_exchange, "_RESPONSE_PARAMS", None)
    async with make_client(raw_server.url, backend="aiohttp") as vd:
        assert (await vd.call("add_lead", **ADD)).ok
        assert vd._backend._direct is None
    direct, session = raw_server.requests
    assert direct.startswith(b"POST /vicidial/non_agent_api.php HTTP/1.1\r\n")
    assert direct == session


@pytest.fixture
def transport_writes(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[bytes]]:
    """Every chunk the event loop's socket transports are asked to write, in order."""
    from asyncio import selector_events

    chunks: list[bytes] = []
    write = selector_events._SelectorSocketTransport.write

    def counted(self: Any, data: Any) -> None:
        chunks.append(bytes(data))
        write(self, data)

    monkeypatch.setattr(selector_events._SelectorSocketTransport, "write", counted)
    yield chunks


async def test_both_ways_write_a_request_in_as_many_pieces(
        raw_server: Any, make_client: Callable[..., Any], monkeypatch: pytest.MonkeyPatch,
        transport_writes: list[bytes]) -> None:
    # Where aiohttp holds the headers back to send them with the body (3.12 on), the direct
    # exchange sends them together too: one write, so one TCP segment for a small request.
    async with make_client(raw_server.url, backend="aiohttp") as vd:
        assert (await vd.call("add_lead", **ADD)).ok
    direct = list(transport_writes)
    transport_writes.clear()
    monkeypatch.setattr(aiohttp_exchange, "_RESPONSE_PARAMS", None)
    async with make_client(raw_server.url, backend="aiohttp") as vd:
        assert (await vd.call("add_lead", **ADD)).ok
    assert direct == transport_writes
    if _version() >= (3, 12):
        assert len(direct) == 1


async def test_the_requests_of_many_calls_each_reach_the_server_whole(
        raw_server: Any, make_client: Callable[..., Any]) -> None:
    # Calls started together are written together, one pass of the event loop later: each
    # request still goes out once, whole, on its own connection.
    async with make_client(raw_server.url, backend="aiohttp", max_connections=8) as vd:
        phones = [f"31255512{n:02d}" for n in range(24)]
        results = await asyncio.gather(*(
            vd.call("add_lead", phone_number=p, list_id=101) for p in phones))
    assert all(r.ok for r in results)
    sent = sorted(r.split(b"phone_number=")[1].split(b"&")[0] for r in raw_server.requests)
    assert sent == sorted(p.encode() for p in phones)
    assert raw_server.connections <= 8


@pytest.mark.parametrize("way", ["direct", "session.post"])
async def test_a_failed_write_is_a_transport_error_that_may_have_been_sent(
        raw_server: Any, make_client: Callable[..., Any], monkeypatch: pytest.MonkeyPatch,
        way: str) -> None:
    async with make_client(raw_server.url, backend="aiohttp", retry=RetryPolicy.disabled()) as vd:
        assert (await vd.call("add_lead", **ADD)).ok
        assert vd._backend._direct is not None
        if way == "session.post":
            vd._backend._direct = None

        async def broken_pipe(self: Any, chunk: Any, *, drain: bool = True) -> None:
            raise BrokenPipeError(errno.EPIPE, "Broken pipe")

        with monkeypatch.context() as patch:
            patch.setattr(aiohttp_exchange.StreamWriter, "write", broken_pipe)
            with pytest.raises(TransportError) as caught:
                await vd.call("add_lead", **ADD)
        # Part of the request may have left before the failure: never resent as unsent, and
        # told the same way whichever path wrote it.
        assert caught.value.maybe_sent is True
        assert "while sending (mid-request: it may have been received)" in str(caught.value)
        assert (await vd.call("add_lead", **ADD)).ok
    # The connection the write failed on is not handed to the next call.
    assert raw_server.connections == 2


@pytest.mark.parametrize("version", ["3.9.5", "3.15.0", "4.0.0", "3.14.0a1", "unknown"])
def test_an_aiohttp_it_was_not_checked_against_goes_through_session_post(
        monkeypatch: pytest.MonkeyPatch, version: str) -> None:
    monkeypatch.setattr(aiohttp, "__version__", version)
    expected_on = version == "3.14.0a1"   # a pre-release of a checked minor version
    assert (aiohttp_exchange._check() is not None) == expected_on


def test_a_changed_signature_turns_the_direct_exchange_off(monkeypatch: pytest.MonkeyPatch) -> None:
    assert aiohttp_exchange._check() is not None

    def needs_more(self: Any, *, timer: Any, new_setting: int, **kw: Any) -> None:
        """A later aiohttp that requires a setting this module does not know."""

    monkeypatch.setattr(ResponseHandler, "set_response_params", needs_more)
    assert aiohttp_exchange._check() is None
    monkeypatch.undo()

    def fewer(self: Any, method: str, url: Any, *, headers: Any = None) -> None:
        """A later ClientRequest that no longer takes the session, timer, traces..."""

    monkeypatch.setattr(aiohttp.ClientRequest, "__init__", fewer)
    assert aiohttp_exchange._check() is None
    monkeypatch.undo()

    def no_drain(self: Any, chunk: bytes) -> None:
        """A later StreamWriter.write that always waits for the buffer to drain."""

    monkeypatch.setattr(aiohttp_exchange.StreamWriter, "write", no_drain)
    assert aiohttp_exchange._check() is None
    monkeypatch.undo()

    def answer_needs_more(self: Any, method: str, url: Any, *, writer: Any, continue100: Any,
                          timer: Any, request_info: Any, traces: Any, loop: Any, session: Any,
                          stream_writer: Any, upload: Any) -> None:
        """A later ClientResponse that requires an argument ClientRequest.send did not give."""

    monkeypatch.setattr(aiohttp.ClientResponse, "__init__", answer_needs_more)
    assert aiohttp_exchange._check() is None


def test_the_response_gets_the_stream_writer_only_where_it_takes_one(
        monkeypatch: pytest.MonkeyPatch) -> None:
    def before_3_14(self: Any, method: str, url: Any, *, writer: Any, continue100: Any,
                    timer: Any, request_info: Any, traces: Any, loop: Any, session: Any) -> None:
        """ClientResponse.__init__ as aiohttp 3.10 to 3.13 have it."""

    monkeypatch.setattr(aiohttp.ClientResponse, "__init__", before_3_14)
    checked = aiohttp_exchange._check()
    assert checked is not None and "answer:stream_writer" not in checked
    monkeypatch.undo()
    checked = aiohttp_exchange._check()
    assert checked is not None
    assert ("answer:stream_writer" in checked) == (_version() >= (3, 14))


async def test_a_cancelled_exchange_gives_its_connection_back(
        raw_server: Any, make_client: Callable[..., Any]) -> None:
    # A call cancelled while the server holds its answer: its connection is closed (it may still
    # carry that answer), never handed to the next call, and the pool slot comes back.
    async with make_client(raw_server.url, backend="aiohttp", max_connections=1,
                           timeouts=Timeouts(pool=1.0), retry=RetryPolicy.disabled()) as vd:
        assert (await vd.call("add_lead", **ADD)).ok
        assert vd._backend._direct is not None
        raw_server.mode = "hang"
        task = asyncio.create_task(vd.call("add_lead", **ADD))
        async with asyncio.timeout(10):  # the request, body included, reaches the server
            while len(raw_server.requests) < 2:  # noqa: ASYNC110 (a counter of the server thread)
                await asyncio.sleep(0.005)
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
        raw_server.mode = "ok"
        assert (await vd.call("add_lead", **ADD)).ok
        assert vd._backend.free == 1
    assert raw_server.connections == 2


async def test_a_closed_session_is_refused_as_session_post_refuses_it(
        raw_server: Any, make_client: Callable[..., Any]) -> None:
    async with make_client(raw_server.url, backend="aiohttp") as vd:
        assert (await vd.call("add_lead", **ADD)).ok
        direct = vd._backend._direct
        session = vd._backend._session
    assert direct is not None and session is not None and session.closed
    with pytest.raises(RuntimeError, match="Session is closed"):
        await direct.post(yarl.URL(raw_server.url), b"x=1",
                          aiohttp.ClientTimeout(total=None, sock_read=1.0))

