"""Both transport backends against real sockets: the same errors, the same ``maybe_sent``, the same
connection handling. Every test here runs once on httpx and once on aiohttp (the ``backend`` fixture).
"""

from __future__ import annotations

import asyncio
import contextlib
import socket
import ssl
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from vicidial_async import (
    CertificateError,
    ConfigurationError,
    ConnectError,
    OutcomeUnknownError,
    RetryPolicy,
    Timeouts,
    TransportError,
    VicidialClient,
)
from vicidial_async import TimeoutError as VicidialTimeout

from .conftest import PASSWORD, TLS_DIR

pytestmark = pytest.mark.usefixtures("backend")

ADD = {"phone_number": "3125551212", "list_id": 101}


async def test_keep_alive_connections_are_reused(raw_server: Any, make_client: Callable[..., Any]
                                                 ) -> None:
    async with make_client(raw_server.url) as vd:
        for _ in range(5):
            assert (await vd.call("add_lead", **ADD)).ok
    assert len(raw_server.requests) == 5 and raw_server.connections == 1


async def test_a_server_that_closes_after_each_answer(raw_server: Any, make_client: Callable[..., Any]
                                                      ) -> None:
    raw_server.mode = "close"
    async with make_client(raw_server.url, retry=RetryPolicy.disabled()) as vd:
        for _ in range(3):
            assert (await vd.call("add_lead", **ADD)).ok  # never a stale connection
    assert len(raw_server.requests) == 3 and raw_server.connections == 3


@pytest.mark.parametrize("mode", ["truncated", "drop"])
async def test_an_answer_cut_short_may_have_landed(raw_server: Any, make_client: Callable[..., Any],
                                                   mode: str) -> None:
    raw_server.mode = mode
    async with make_client(raw_server.url) as vd:
        with pytest.raises(OutcomeUnknownError) as unknown:
            await vd.call("add_lead", **ADD)            # a write: never resent
        assert len(raw_server.requests) == 1
        with pytest.raises(TransportError) as read:
            await vd.call("campaigns_list")             # a read: resent, then raised
    assert type(read.value) is TransportError and read.value.maybe_sent
    assert read.value.function == "campaigns_list" and read.value.host == "127.0.0.1"
    assert unknown.value.cause_type == "TransportError"
    assert len(raw_server.requests) == 4


async def test_connection_refused_never_reached_the_server(make_client: Callable[..., Any]) -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    async with make_client(f"http://127.0.0.1:{port}", retry=RetryPolicy.disabled()) as vd:
        with pytest.raises(ConnectError) as info:
            await vd.call("add_lead", **ADD)
    assert type(info.value) is ConnectError and not info.value.maybe_sent


@pytest.fixture
def full_backlog() -> Iterator[int]:
    """A port whose accept queue is full, so a new connection waits for its SYN to be answered."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(0)
    port = listener.getsockname()[1]
    fillers = []
    for _ in range(8):
        filler = socket.socket()
        filler.setblocking(False)
        with contextlib.suppress(BlockingIOError):
            filler.connect(("127.0.0.1", port))
        fillers.append(filler)
    yield port
    for filler in fillers:
        filler.close()
    listener.close()


async def test_connect_timeout(full_backlog: int, make_client: Callable[..., Any]) -> None:
    async with make_client(f"http://127.0.0.1:{full_backlog}", retry=RetryPolicy.disabled(),
                           timeouts=Timeouts(connect=0.2)) as vd:
        with pytest.raises(VicidialTimeout) as info:
            await vd.call("add_lead", **ADD)
    assert info.value.phase == "connect" and not info.value.maybe_sent


async def test_read_timeout(raw_server: Any, make_client: Callable[..., Any]) -> None:
    raw_server.mode = "hang"
    async with make_client(raw_server.url, retry=RetryPolicy.disabled()) as vd:
        with pytest.raises(OutcomeUnknownError):
            await vd.call("add_lead", timeout=0.2, **ADD)
        with pytest.raises(VicidialTimeout) as info:
            await vd.call("campaigns_list", timeout=0.2)
    assert info.value.phase == "read" and info.value.maybe_sent


async def test_write_timeout_for_a_body_the_server_does_not_read(
        raw_server: Any, make_client: Callable[..., Any]) -> None:
    raw_server.mode = "no_read"
    async with make_client(raw_server.url, retry=RetryPolicy.disabled(),
                           timeouts=Timeouts(write=0.3)) as vd:
        with pytest.raises(VicidialTimeout) as info:
            await vd._backend.post(raw_server.url + "/x", {"blob": "x" * 32_000_000}, read_timeout=5)
        assert info.value.phase == "write" and info.value.maybe_sent


async def test_pool_timeout_when_used_past_its_width(raw_server: Any, make_client: Callable[..., Any]
                                                     ) -> None:
    raw_server.mode = "hang"
    async with make_client(raw_server.url, max_connections=1,
                           timeouts=Timeouts(pool=0.1)) as vd:
        first = asyncio.create_task(vd._backend.post(raw_server.url + "/x", {"a": "1"},
                                                     read_timeout=0.5))
        while not raw_server.requests:  # noqa: ASYNC110 (a list of the server's thread)
            await asyncio.sleep(0.005)
        with pytest.raises(VicidialTimeout) as info:
            await vd._backend.post(raw_server.url + "/x", {"a": "2"}, read_timeout=5)
        assert info.value.phase == "pool" and not info.value.maybe_sent
        with pytest.raises(VicidialTimeout):
            await first
    assert len(raw_server.requests) == 1


async def test_tls_is_verified(tls_server: Any, make_client: Callable[..., Any],
                               sleeps: list[float]) -> None:
    async with make_client(tls_server.url) as vd:
        with pytest.raises(CertificateError) as info:
            await vd.call("campaigns_list")             # a read, and still not retried
    assert not info.value.maybe_sent and sleeps == [] and tls_server.requests == []


async def test_tls_with_a_custom_ssl_context(tls_server: Any, make_client: Callable[..., Any]) -> None:
    context = ssl.create_default_context(cafile=str(TLS_DIR / "ca.pem"))
    async with make_client(tls_server.url, verify=context) as vd:
        assert (await vd.call("add_lead", **ADD)).ok
        assert (await vd.call("add_lead", **ADD)).ok
    assert len(tls_server.requests) == 2 and tls_server.connections == 1


async def test_tls_verification_can_be_turned_off(tls_server: Any, make_client: Callable[..., Any]
                                                  ) -> None:
    async with make_client(tls_server.url, verify=False) as vd:
        assert (await vd.call("add_lead", **ADD)).ok


async def test_a_tls_context_is_built_for_https_only(raw_server: Any, tls_server: Any,
                                                     make_client: Callable[..., Any],
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    built: list[object] = []
    real = ssl.create_default_context

    def counted(*args: Any, **kw: Any) -> ssl.SSLContext:
        built.append(args)
        return real(*args, **kw)

    monkeypatch.setattr(ssl, "create_default_context", counted)  # loads the CA bundle: ~15 ms
    async with make_client(raw_server.url) as vd:
        assert (await vd.call("add_lead", **ADD)).ok
    assert built == []
    async with make_client(tls_server.url, retry=RetryPolicy.disabled()) as vd:
        with pytest.raises(CertificateError):
            await vd.call("add_lead", **ADD)
    assert len(built) == 1


async def test_aclose_closes_the_connections(raw_server: Any, make_client: Callable[..., Any]) -> None:
    vd = make_client(raw_server.url)
    assert (await vd.call("add_lead", **ADD)).ok
    await vd.aclose()
    for _ in range(1000):
        if raw_server.closed_by_peer:
            break
        await asyncio.sleep(0.01)
    assert raw_server.closed_by_peer == 1
    with pytest.raises(ConfigurationError):
        await vd.call("add_lead", **ADD)
    await vd.aclose()  # twice is fine


async def test_the_named_backend_is_used(make_client: Callable[..., Any], backend: str) -> None:
    async with make_client() as vd:
        assert vd.backend == backend


def test_a_missing_extra_is_a_clear_error(monkeypatch: pytest.MonkeyPatch, backend: str) -> None:
    import sys

    monkeypatch.setitem(sys.modules, "aiohttp", None)  # as if not installed
    if backend == "httpx":
        assert VicidialClient("https://x.example", "apiuser", PASSWORD, backend=backend).backend == "httpx"
        return
    with pytest.raises(ConfigurationError, match=r"vicidial-async\[fast\]"):
        VicidialClient("https://x.example", "apiuser", PASSWORD, backend=backend)
