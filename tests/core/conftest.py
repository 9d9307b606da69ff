"""Test machinery of the core: a virtual-clock event loop and a real local HTTP server (uvicorn).

* ``virtual`` runs a coroutine on an asyncio loop whose ``time()`` is virtual: when nothing is
  ready the loop jumps to its next timer instead of sleeping. The token bucket, ``asyncio.sleep`` and
  anyio's sleep all read that clock, so rate and backoff tests take no real time.
* ``server`` is a uvicorn server in a thread serving a tiny scripted ASGI app: each test sets
  ``server.app.handler`` (an async function of the received form) to decide the answer.
* ``raw_server`` is a socket server in threads for what a well-behaved server never does
  (truncated answers, hang-ups, never reading the request), optionally over TLS.
* ``backend`` runs a test once per transport backend (httpx, aiohttp); ``make_client`` uses it
  when the test asks for it, so a module opts in with ``pytestmark = pytest.mark.usefixtures("backend")``.
"""

from __future__ import annotations

import asyncio
import contextlib
import math
import pathlib
import selectors
import socket
import ssl
import threading
import time
import urllib.parse
from collections.abc import Awaitable, Callable, Coroutine, Iterator
from typing import Any, TypeVar

import pytest
import uvicorn

T = TypeVar("T")

PASSWORD = "s3cretPass"


# -- virtual clock ------------------------------------------------------------------------------


class _VirtualSelector(selectors.DefaultSelector):
    """A selector that never blocks on a timeout: it advances the owning loop's clock instead."""

    loop: VirtualClockLoop

    def select(self, timeout: float | None = None) -> list[tuple[selectors.SelectorKey, int]]:
        events = super().select(0)
        if events or timeout is None:
            # Nothing scheduled (timeout None): wait for real I/O such as a thread's wake-up.
            return events or super().select(timeout)
        # A loop pass with ready callbacks (timeout 0) takes a nanosecond, as on a real clock:
        # A timer can be scheduled a wake-up at "now" that only makes progress once time moves.
        self.loop.advance(timeout if timeout > 0 else 1e-9)
        return events


class VirtualClockLoop(asyncio.SelectorEventLoop):
    """An event loop whose idle waits advance a virtual clock (starting at 1000.0) at once; each
    busy loop pass adds a nanosecond."""

    def __init__(self) -> None:
        selector = _VirtualSelector()
        self._now = 1000.0
        super().__init__(selector)
        selector.loop = self

    def time(self) -> float:
        return self._now

    def advance(self, seconds: float) -> None:
        # Always move on: a timer a few ulps ahead must not leave the clock (and the loop) stuck.
        self._now = max(self._now + seconds, math.nextafter(self._now, math.inf))


def run_virtual(factory: Callable[[VirtualClockLoop], Coroutine[Any, Any, T]]) -> T:
    """Run ``factory(loop)`` to completion on a fresh virtual-clock loop."""
    loop = VirtualClockLoop()
    try:
        return loop.run_until_complete(factory(loop))
    finally:
        loop.run_until_complete(loop.shutdown_asyncgens())
        loop.close()


@pytest.fixture
def virtual() -> Callable[[Callable[[VirtualClockLoop], Coroutine[Any, Any, Any]]], Any]:
    return run_virtual


# -- a scripted ASGI app served by uvicorn -------------------------------------------------------

Reply = tuple[int, str] | tuple[int, str, dict[str, str]]
Handler = Callable[[dict[str, str]], Awaitable[Reply]]


class Received:
    """One request the server received."""

    def __init__(self, method: str, path: str, query: bytes, headers: dict[str, str], body: bytes,
                 client: tuple[str, int] | None) -> None:
        self.method = method
        self.path = path
        self.query = query
        self.headers = headers
        self.body = body
        self.client = client
        self.form = dict(urllib.parse.parse_qsl(body.decode(), keep_blank_values=True))


async def _ok(form: dict[str, str]) -> Reply:
    return 200, "SUCCESS: add_lead LEAD HAS BEEN ADDED - 3125551212|101|2001|-5.00|6666\n"


class ScriptedApp:
    """ASGI app: records every request, answers with ``handler(form)``, counts requests in flight."""

    def __init__(self) -> None:
        self.reset()

    def reset(self) -> None:
        self.handler: Handler = _ok
        self.received: list[Received] = []
        self.in_flight = 0
        self.max_in_flight = 0
        self.release = threading.Event()

    async def wait_release(self, limit: float = 10.0) -> None:
        """Block a request until the test sets ``release`` (bounded, so a broken test cannot hang)."""
        deadline = time.monotonic() + limit
        while not self.release.is_set() and time.monotonic() < deadline:  # noqa: ASYNC110 (set by a thread)
            await asyncio.sleep(0.005)

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            return
        body = b""
        while True:
            msg = await receive()
            body += msg.get("body", b"")
            if not msg.get("more_body"):
                break
        headers = {k.decode().lower(): v.decode() for k, v in scope["headers"]}
        req = Received(scope["method"], scope["path"], scope["query_string"], headers, body,
                       scope.get("client"))
        self.received.append(req)
        self.in_flight += 1
        self.max_in_flight = max(self.max_in_flight, self.in_flight)
        try:
            reply = await self.handler(req.form)
        finally:
            self.in_flight -= 1
        status, text = reply[0], reply[1]
        extra = reply[2] if len(reply) == 3 else {}  # type: ignore[misc]
        out_headers = [(b"content-type", b"text/html; charset=utf-8")]
        out_headers += [(k.encode(), v.encode()) for k, v in extra.items()]
        await send({"type": "http.response.start", "status": status, "headers": out_headers})
        await send({"type": "http.response.body", "body": text.encode()})


class LocalServer:
    """uvicorn on 127.0.0.1 in a background thread."""

    def __init__(self) -> None:
        self.app = ScriptedApp()
        config = uvicorn.Config(self.app, host="127.0.0.1", port=0, log_level="error", lifespan="off",
                                timeout_graceful_shutdown=1, access_log=False)
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(target=self._server.run, daemon=True)
        self.port = 0

    def start(self) -> None:
        self._thread.start()
        deadline = time.monotonic() + 10
        while not self._server.started:
            if time.monotonic() > deadline or not self._thread.is_alive():
                raise RuntimeError("uvicorn did not start")
            time.sleep(0.01)
        self.port = self._server.servers[0].sockets[0].getsockname()[1]

    def stop(self) -> None:
        self.app.release.set()
        self._server.should_exit = True
        self._thread.join(timeout=10)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"


@pytest.fixture(scope="session")
def _local_server() -> Iterator[LocalServer]:
    srv = LocalServer()
    srv.start()
    yield srv
    srv.stop()


@pytest.fixture
def server(_local_server: LocalServer) -> Iterator[LocalServer]:
    _local_server.app.reset()
    yield _local_server
    _local_server.app.release.set()


# -- a client whose waits are recorded instead of slept -----------------------------------------

BASE = "https://dialer.example.com"
NON_AGENT_URL = BASE + "/vicidial/non_agent_api.php"
AGENT_URL = BASE + "/agc/api.php"


class Sleeps(list[float]):
    """Records the seconds the client asked to sleep, and advances a fake clock by them."""

    def __init__(self) -> None:
        super().__init__()
        self.now = 0.0

    async def __call__(self, seconds: float) -> None:
        self.append(seconds)
        self.now += seconds

    def clock(self) -> float:
        return self.now


@pytest.fixture
def sleeps() -> Sleeps:
    return Sleeps()


@pytest.fixture(params=["httpx", "aiohttp", "aiohttp-session"])
def backend(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """The transport backend under test: every test that takes it runs on both, and on aiohttp
    both ways a call can go: the direct exchange (``aiohttp_exchange.py``, used on the aiohttp
    versions it was checked against) and ``session.post`` (used on any other)."""
    if request.param == "aiohttp-session":
        from vicidial_async.transport import aiohttp_exchange

        monkeypatch.setattr(aiohttp_exchange, "_RESPONSE_PARAMS", None)
        return "aiohttp"
    return str(request.param)


@pytest.fixture
def make_client(sleeps: Sleeps, request: pytest.FixtureRequest) -> Callable[..., Any]:
    """``make_client(**kw)``: a VicidialClient on BASE with no rate limit, recorded sleeps,
    a fake clock and zero jitter (override any of them with keywords), on the test's ``backend``
    when it has one."""
    from vicidial_async import VicidialClient

    chosen = request.getfixturevalue("backend") if "backend" in request.fixturenames else None

    def factory(url: str = BASE, **kw: Any) -> VicidialClient:
        if chosen is not None and "http_client" not in kw:
            kw.setdefault("backend", chosen)
        kw.setdefault("rate_limit", None)
        kw.setdefault("sleep", sleeps)
        kw.setdefault("clock", sleeps.clock)
        kw.setdefault("random", lambda: 0.0)
        return VicidialClient(url, "apiuser", PASSWORD, **kw)

    return factory


# -- a raw socket server for misbehaving answers ----------------------------------------------------

TLS_DIR = pathlib.Path(__file__).parent / "tls"
"""A test CA (``ca.pem``) and a server certificate for 127.0.0.1/localhost it signed (valid to 2126)."""

ANSWER = b"SUCCESS: add_lead LEAD HAS BEEN ADDED - 3125551212|101|2001|-5.00|6666\n"


class RawServer:
    """HTTP/1.1 by hand on 127.0.0.1, one thread per connection; ``mode`` decides each answer.

    ``ok`` answers and keeps the connection; ``close`` answers with ``Connection: close`` and hangs
    up; ``truncated`` promises more body than it sends, then hangs up; ``drop`` reads the request
    and hangs up without answering; ``no_read`` never reads (the client's write stalls);
    ``hang`` reads the request and never answers. ``connections`` counts accepted connections,
    ``requests`` the requests read, ``closed_by_peer`` the connections the client closed.
    """

    def __init__(self, tls: bool = False) -> None:
        self.mode = "ok"
        self.connections = 0
        self.requests: list[bytes] = []
        self.closed_by_peer = 0
        self._tls: ssl.SSLContext | None = None
        if tls:
            self._tls = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
            self._tls.load_cert_chain(TLS_DIR / "server.pem", TLS_DIR / "server.key")
        self._sock = socket.create_server(("127.0.0.1", 0), backlog=64)
        self.port = self._sock.getsockname()[1]
        self._stop = threading.Event()
        self._open: list[socket.socket] = []
        self._thread = threading.Thread(target=self._accept, daemon=True)
        self._thread.start()

    @property
    def url(self) -> str:
        return f"{'https' if self._tls else 'http'}://127.0.0.1:{self.port}"

    def _accept(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self._sock.accept()
            except OSError:
                return
            self.connections += 1
            self._open.append(conn)
            threading.Thread(target=self._serve, args=(conn,), daemon=True).start()

    def _serve(self, conn: socket.socket) -> None:
        with contextlib.suppress(OSError), conn:
            if self._tls is not None:
                conn = self._tls.wrap_socket(conn, server_side=True)
                self._open.append(conn)
            buf = b""
            while not self._stop.is_set():
                if self.mode == "no_read":
                    self._stop.wait(10)
                    return
                request, buf = self._read_request(conn, buf)
                if request is None:
                    self.closed_by_peer += 1
                    return
                self.requests.append(request)
                mode = self.mode
                if mode == "drop":
                    return
                if mode == "hang":
                    self._stop.wait(10)
                    return
                head = b"HTTP/1.1 200 OK\r\ncontent-type: text/html; charset=utf-8\r\n"
                if mode == "truncated":
                    conn.sendall(head + b"content-length: %d\r\n\r\n" % (len(ANSWER) + 50)
                                 + ANSWER[:20])
                    return
                if mode == "close":
                    head += b"connection: close\r\n"
                conn.sendall(head + b"content-length: %d\r\n\r\n" % len(ANSWER) + ANSWER)
                if mode == "close":
                    return

    @staticmethod
    def _read_request(conn: socket.socket, buf: bytes) -> tuple[bytes | None, bytes]:
        while b"\r\n\r\n" not in buf:
            chunk = conn.recv(65536)
            if not chunk:
                return None, b""
            buf += chunk
        head, _, rest = buf.partition(b"\r\n\r\n")
        length = 0
        for line in head.split(b"\r\n")[1:]:
            name, _, value = line.partition(b":")
            if name.strip().lower() == b"content-length":
                length = int(value)
        while len(rest) < length:
            chunk = conn.recv(65536)
            if not chunk:
                return None, b""
            rest += chunk
        return head + b"\r\n\r\n" + rest[:length], rest[length:]

    def stop(self) -> None:
        self._stop.set()
        self._sock.close()
        for conn in self._open:
            with contextlib.suppress(OSError):
                conn.close()


@pytest.fixture
def raw_server() -> Iterator[RawServer]:
    srv = RawServer()
    yield srv
    srv.stop()


@pytest.fixture
def tls_server() -> Iterator[RawServer]:
    srv = RawServer(tls=True)
    yield srv
    srv.stop()
