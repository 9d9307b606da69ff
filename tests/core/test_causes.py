"""Failures say what happened: ``<function> to <host>:<port>: <cause>``, over real sockets.

Each case is a real socket doing the thing (a closed port, a TLS server with a self-signed
certificate, a plain HTTP port, a name under ``.invalid``, a server that resets, one that hangs),
and the test reads the message a user would see.
"""

from __future__ import annotations

import shutil
import socket
import ssl
import struct
import subprocess
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from vicidial_async import (
    CertificateError,
    ConnectError,
    HTTPStatusError,
    RetryPolicy,
    Timeouts,
    TransportError,
    VicidialClient,
)
from vicidial_async.errors import TimeoutError as VicidialTimeoutError

PASSWORD = "s3cretPass"
CAMPAIGNS = "TESTCAMP|Test|Y|ADMIN|RATIO|1|DOWN|NEW|26|9||\n"
NO_RETRY = RetryPolicy.disabled()


@pytest.fixture(params=["httpx", "aiohttp"])
def backend(request: pytest.FixtureRequest) -> str:
    """Both transport backends give the same messages."""
    return str(request.param)


def _client(url: str, **kw: Any) -> VicidialClient:
    kw.setdefault("rate_limit", None)
    kw.setdefault("retry", NO_RETRY)
    return VicidialClient(url, "apiuser", PASSWORD, **kw)


async def _failure(*, url: str, **kw: Any) -> TransportError:
    async with _client(url, **kw) as vd:
        with pytest.raises(TransportError) as info:
            await vd.call("campaigns_list")
    err = info.value
    assert PASSWORD not in str(err) and PASSWORD not in repr(err)
    return err


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


# -- small real servers -------------------------------------------------------------------------


class _Acceptor:
    """Accepts connections on 127.0.0.1 in a thread and hands each to ``serve(conn)``."""

    def __init__(self, serve: Callable[[socket.socket], None]) -> None:
        self._sock = socket.socket()
        self._sock.bind(("127.0.0.1", 0))
        self._sock.listen(16)
        self._sock.settimeout(0.2)
        self.port = self._sock.getsockname()[1]
        self._serve = serve
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self._sock.accept()
            except OSError:
                continue
            try:
                conn.settimeout(5)
                self._serve(conn)
            except OSError:
                pass
            finally:
                conn.close()

    def close(self) -> None:
        self._stop.set()
        self._thread.join(timeout=5)
        self._sock.close()


def _read_request(conn: socket.socket | ssl.SSLSocket) -> None:
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = conn.recv(4096)
        if not chunk:
            return
        data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    length = next((int(line.split(b":")[1]) for line in head.lower().split(b"\r\n")
                   if line.startswith(b"content-length:")), 0)
    while len(body) < length:  # read the whole body: unread bytes would make close() a reset
        chunk = conn.recv(4096)
        if not chunk:
            return
        body += chunk


def _answer(conn: socket.socket | ssl.SSLSocket) -> None:
    _read_request(conn)
    body = CAMPAIGNS.encode()
    conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nConnection: close\r\n"
                 b"Content-Length: %d\r\n\r\n%s" % (len(body), body))


@pytest.fixture(scope="module")
def certificate(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    if shutil.which("openssl") is None:
        pytest.skip("needs the openssl command to make a self-signed certificate")
    d = tmp_path_factory.mktemp("tls")
    cert, key = d / "cert.pem", d / "key.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
                    "-keyout", str(key), "-out", str(cert), "-subj", "/CN=127.0.0.1",
                    "-addext", "subjectAltName=IP:127.0.0.1"],
                   check=True, capture_output=True)
    return cert, key


@pytest.fixture(scope="module")
def tls_server(certificate: tuple[Path, Path]) -> Iterator[_Acceptor]:
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(*certificate)

    def serve(conn: socket.socket) -> None:
        with ctx.wrap_socket(conn, server_side=True) as tls:
            _answer(tls)

    acceptor = _Acceptor(serve)
    yield acceptor
    acceptor.close()


@pytest.fixture(scope="module")
def resetting_server() -> Iterator[_Acceptor]:
    def serve(conn: socket.socket) -> None:
        _read_request(conn)
        # Linger 0: close() sends RST instead of FIN.
        conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))

    acceptor = _Acceptor(serve)
    yield acceptor
    acceptor.close()


# -- the causes ---------------------------------------------------------------------------------


async def test_closed_port_says_connection_refused(backend: str) -> None:
    port = _free_port()
    err = await _failure(backend=backend, url=f"http://127.0.0.1:{port}")
    assert isinstance(err, ConnectError)
    assert (err.function, err.host, err.port) == ("campaigns_list", "127.0.0.1", port)
    assert str(err).startswith(f"campaigns_list to 127.0.0.1:{port}: connection refused")


async def test_unresolvable_name_says_name_not_resolved(backend: str) -> None:
    err = await _failure(backend=backend, url="https://no-such-dialer.invalid")
    assert isinstance(err, ConnectError)
    assert str(err).startswith("campaigns_list to no-such-dialer.invalid:443: name not resolved")


async def test_self_signed_certificate_says_certificate_verify_failed(
        backend: str, tls_server: _Acceptor) -> None:
    err = await _failure(backend=backend, url=f"https://127.0.0.1:{tls_server.port}")
    assert isinstance(err, CertificateError)
    assert f"to 127.0.0.1:{tls_server.port}: TLS handshake failed: certificate verify failed" in str(err)
    assert "self-signed" in str(err) or "self signed" in str(err)


async def test_the_certificate_as_ca_bundle_is_accepted(backend: str, tls_server: _Acceptor,
                                                        certificate: tuple[Path, Path]) -> None:
    ctx = ssl.create_default_context(cafile=str(certificate[0]))
    async with _client(f"https://127.0.0.1:{tls_server.port}", verify=ctx, backend=backend) as vd:
        table = await vd.call("campaigns_list")
    assert len(table) == 1


async def test_https_on_an_http_port_says_wrong_version(backend: str, server: Any) -> None:
    # uvicorn, plain HTTP
    err = await _failure(backend=backend, url=f"https://127.0.0.1:{server.port}")
    assert isinstance(err, ConnectError) and not isinstance(err, CertificateError)
    assert f"to 127.0.0.1:{server.port}: TLS handshake failed: wrong version number" in str(err)


async def test_http_on_a_tls_port_says_the_server_closed_the_connection(
        backend: str, tls_server: _Acceptor) -> None:
    err = await _failure(backend=backend, url=f"http://127.0.0.1:{tls_server.port}")
    assert f"campaigns_list to 127.0.0.1:{tls_server.port}: " in str(err)
    assert "closed the connection" in err.cause or "reset" in err.cause


async def test_reset_says_connection_reset(backend: str, resetting_server: _Acceptor) -> None:
    err = await _failure(backend=backend, url=f"http://127.0.0.1:{resetting_server.port}")
    assert err.maybe_sent
    assert str(err).startswith(f"campaigns_list to 127.0.0.1:{resetting_server.port}: connection reset")


async def test_read_timeout_names_the_phase_and_the_limit(backend: str, server: Any) -> None:
    async def hang(form: dict[str, str]) -> tuple[int, str]:
        await server.app.wait_release()
        return 200, CAMPAIGNS

    server.app.handler = hang
    err = await _failure(backend=backend, url=server.url, timeouts=Timeouts(read=0.2))
    assert isinstance(err, VicidialTimeoutError)
    assert (err.phase, err.seconds) == ("read", 0.2)
    assert str(err) == (f"campaigns_list to 127.0.0.1:{server.port}: "
                        "timed out after 0.2s waiting for the answer")


async def test_http_status_is_named(backend: str, server: Any) -> None:
    async def fail(form: dict[str, str]) -> tuple[int, str]:
        return 503, "down for maintenance, pass=" + form.get("pass", "")

    server.app.handler = fail
    err = await _failure(backend=backend, url=server.url)
    assert isinstance(err, HTTPStatusError) and err.status == 503
    assert str(err) == f"campaigns_list to 127.0.0.1:{server.port}: HTTP 503 Service Unavailable"
