"""The aiohttp backend's direct exchange (``transport/aiohttp_exchange.py``): used where it was
checked, the same bytes on the wire as ``session.post``, and ``session.post`` everywhere else.

The whole transport matrix (``test_backends.py``, ``test_pool.py``, ``test_causes.py``, ...) runs
on both ways through the ``backend`` fixture; these tests cover what only this seam can get wrong.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

import pytest

pytest.importorskip("aiohttp")

import aiohttp
import yarl
from aiohttp.client_proto import ResponseHandler

from vicidial_async import RetryPolicy, Timeouts
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

