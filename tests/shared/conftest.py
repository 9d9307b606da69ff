"""A real ``redis-server`` on a free loopback port, for the tests of the shared (Redis) budget.

Without ``redis-server`` on the PATH or the ``redis`` package these tests are skipped, except
when ``VICIDIAL_REQUIRE_REDIS=1`` (set by ``.ci/run``): then a missing piece fails the run, so CI
cannot go green without having run them.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import socket
import subprocess
import tempfile
import time
import uuid
from collections.abc import Iterator

import pytest

REQUIRE = os.environ.get("VICIDIAL_REQUIRE_REDIS") == "1"
BINARY = shutil.which("redis-server")
HAVE_PACKAGE = importlib.util.find_spec("redis") is not None
MISSING = ", ".join(name for name, ok in (("the redis-server program", BINARY is not None),
                                          ("the redis package (pip install -e '.[redis]')", HAVE_PACKAGE))
                    if not ok)

if MISSING:
    # test_requirements.py stays: it skips (or fails under VICIDIAL_REQUIRE_REDIS=1) with the reason.
    collect_ignore_glob = ["test_[!r]*.py"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


class RedisServer:
    """``redis-server`` on 127.0.0.1 (no persistence); :meth:`stop` and :meth:`start` again keep
    the port, so clients see an outage and a recovery."""

    def __init__(self) -> None:
        assert BINARY is not None
        self.port = free_port()
        self.dir = tempfile.mkdtemp(prefix="vicidial-redis-")
        self.proc: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> RedisServer:
        assert BINARY is not None
        self.proc = subprocess.Popen(
            [BINARY, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
             "--dir", self.dir, "--loglevel", "warning"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 10
        while True:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.5) as s:
                    s.sendall(b"PING\r\n")
                    if s.recv(16).startswith(b"+PONG"):
                        return self
            except OSError:
                pass
            if self.proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("redis-server did not start")
            time.sleep(0.02)

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(5)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.proc = None

    def close(self) -> None:
        self.stop()
        shutil.rmtree(self.dir, ignore_errors=True)


@pytest.fixture(scope="session")
def redis_server() -> Iterator[RedisServer]:
    """One Redis for the session; tests keep apart through their own key prefix."""
    server = RedisServer().start()
    try:
        yield server
    finally:
        server.close()


@pytest.fixture
def own_redis() -> Iterator[RedisServer]:
    """A Redis of this test alone (tests that stop it)."""
    server = RedisServer().start()
    try:
        yield server
    finally:
        server.close()


@pytest.fixture
def prefix() -> str:
    """A key prefix no other test uses."""
    return f"t{uuid.uuid4().hex[:12]}"
