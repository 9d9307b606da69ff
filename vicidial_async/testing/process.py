"""``FakeServerProcess``: the fake under uvicorn in a subprocess, for tests over real sockets.

>>> with FakeServerProcess(seed_leads=100) as server:                   # doctest: +SKIP
...     vd = VicidialClient(server.url, "6666", "1234", rate_limit=None)
...     server.set_fault("add_lead", reset="after", times=1)
...     ...
...     assert len(server.state()["leads"]) == 101

It runs ``python -m vicidial_async fake-server`` with the given options, reads the URL the server
prints once its socket listens, and waits until ``GET /_fake/health`` answers. Usable as a sync
or async context manager; :meth:`stop` terminates it (SIGTERM, then SIGKILL).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterable, Mapping
from types import TracebackType
from typing import Any

__all__ = ["FakeServerProcess"]

READY_PREFIX = "FAKE-VICIDIAL LISTENING "


class FakeServerProcess:
    """A fake VICIdial server process on ``host:port`` (``port=0`` picks a free port).

    Options: ``seed_leads`` (count), ``seed_users``/``seed_agents``/``seed_lists``/
    ``seed_campaigns`` (lists of mappings, sent as JSON), ``faults`` (list of fault mappings),
    ``virtual_clock`` (start the server on a settable clock), ``workers`` is not supported (the
    state lives in one process).
    """

    def __init__(
        self,
        host: str = "127.0.0.1",
        port: int = 0,
        *,
        seed_leads: int = 0,
        seed_users: Iterable[Mapping[str, Any]] = (),
        seed_agents: Iterable[Any] = (),
        seed_lists: Iterable[Mapping[str, Any]] = (),
        seed_campaigns: Iterable[Mapping[str, Any]] = (),
        faults: Iterable[Mapping[str, Any]] = (),
        virtual_clock: float | None = None,
        startup_timeout: float = 20.0,
        extra_args: Iterable[str] = (),
        env: Mapping[str, str] | None = None,
    ) -> None:
        self.host = host
        self.port = port
        self._seed = {
            "users": list(seed_users),
            "agents": list(seed_agents),
            "lists": list(seed_lists),
            "campaigns": list(seed_campaigns),
        }
        self._seed_leads = seed_leads
        self._faults = list(faults)
        self._virtual_clock = virtual_clock
        self._timeout = startup_timeout
        self._extra = list(extra_args)
        self._env = dict(env) if env is not None else None
        self._proc: subprocess.Popen[str] | None = None
        self._stderr: Any = None
        self.url = ""

    # -- lifecycle -------------------------------------------------------------------------------

    def command(self) -> list[str]:
        """The command line that starts the server."""
        cmd = [
            sys.executable,
            "-m",
            "vicidial_async",
            "fake-server",
            "--host",
            self.host,
            "--port",
            str(self.port),
        ]
        if self._seed_leads:
            cmd += ["--seed-leads", str(self._seed_leads)]
        if any(self._seed.values()):
            cmd += ["--seed-json", json.dumps(self._seed)]
        if self._faults:
            cmd += ["--faults-json", json.dumps(self._faults)]
        if self._virtual_clock is not None:
            cmd += ["--virtual-clock", str(self._virtual_clock)]
        return cmd + self._extra

    def start(self) -> FakeServerProcess:
        """Start the process and wait until it answers."""
        if self._proc is not None:
            return self
        env = dict(os.environ if self._env is None else self._env)
        env.setdefault("PYTHONUNBUFFERED", "1")
        # stderr goes to a file: an undrained pipe would block the server once it filled up.
        self._stderr = tempfile.TemporaryFile(mode="w+")  # noqa: SIM115 - closed by stop()
        self._proc = subprocess.Popen(
            self.command(), stdout=subprocess.PIPE, stderr=self._stderr, text=True, env=env
        )
        deadline = time.monotonic() + self._timeout
        assert self._proc.stdout is not None
        while True:
            out = self._proc.stdout.readline()
            if out.startswith(READY_PREFIX):
                self.url = out[len(READY_PREFIX) :].strip()
                self.port = int(self.url.rsplit(":", 1)[1])
                break
            if not out and self._proc.poll() is not None:
                err = self.stderr_text()
                self._proc = None
                raise RuntimeError(f"fake server exited during startup: {err.strip()[-2000:]}")
            if time.monotonic() > deadline:
                self.stop()
                raise TimeoutError("fake server did not start in time")
        while True:
            try:
                self._get("/_fake/health", timeout=1.0)
                return self
            except OSError:
                if time.monotonic() > deadline:
                    self.stop()
                    raise TimeoutError("fake server did not answer in time") from None
                time.sleep(0.02)

    def stop(self) -> None:
        """Terminate the process (SIGTERM, then SIGKILL after 5 seconds)."""
        proc, self._proc = self._proc, None
        if proc is None:
            return
        proc.terminate()
        try:
            proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        if proc.stdout is not None:
            proc.stdout.close()
        if self._stderr is not None:
            self._stderr.close()
            self._stderr = None

    def stderr_text(self) -> str:
        """What the server wrote to stderr so far (uvicorn warnings, tracebacks)."""
        if self._stderr is None:
            return ""
        self._stderr.seek(0)
        return str(self._stderr.read())

    @property
    def pid(self) -> int | None:
        """The server's process id while it runs."""
        return self._proc.pid if self._proc is not None else None

    def __enter__(self) -> FakeServerProcess:
        return self.start()

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()

    async def __aenter__(self) -> FakeServerProcess:
        import anyio.to_thread

        return await anyio.to_thread.run_sync(self.start)

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        import anyio.to_thread

        await anyio.to_thread.run_sync(self.stop)

    # -- control ---------------------------------------------------------------------------------

    def _get(self, path: str, timeout: float = 10.0) -> Any:
        with urllib.request.urlopen(self.url + path, timeout=timeout) as resp:
            return json.loads(resp.read())

    def _send(self, method: str, path: str, payload: Any = None) -> Any:
        data = json.dumps(payload).encode() if payload is not None else b""
        req = urllib.request.Request(
            self.url + path, data=data, method=method, headers={"content-type": "application/json"}
        )
        with urllib.request.urlopen(req, timeout=10.0) as resp:
            return json.loads(resp.read())

    def state(self) -> dict[str, Any]:
        """``GET /_fake/state``: leads, lists, users, DNC, agents ... as JSON data."""
        return dict(self._get("/_fake/state"))

    def set_fault(self, function: str = "*", **spec: Any) -> Any:
        """Arm a fault in the server (same keywords as ``Faults.set``; latency as seconds or a
        distribution mapping such as ``{"dist": "exponential", "mean": 0.02}``)."""
        return self._send("POST", "/_fake/faults", {"function": function, **spec})

    def clear_faults(self) -> None:
        """``DELETE /_fake/faults``: disarm every fault."""
        self._send("DELETE", "/_fake/faults")

    def seed(self, **records: Any) -> Any:
        """``POST /_fake/seed``: users, campaigns, lists, leads (list or count), agents."""
        return self._send("POST", "/_fake/seed", records)

    def agent(self, action: str, user: str, **kw: Any) -> Any:
        """Drive an agent session: ``login``, ``call``, ``hangup``, ``dispo``, ``logout``."""
        return self._send("POST", "/_fake/agent", {"action": action, "user": user, **kw})

    def advance_clock(self, seconds: float) -> Any:
        """``POST /_fake/clock``: move a ``virtual_clock`` server's time forward."""
        return self._send("POST", "/_fake/clock", {"advance": seconds})
