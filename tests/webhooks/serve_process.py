"""``vicidial webhooks serve`` in a subprocess, for tests over real sockets (and SIGKILL)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from vicidial_async.cli.webhooks import READY_PREFIX

from .conftest import TOKEN


class ServeProcess:
    """Runs ``python -m vicidial_async webhooks serve`` with ``TOKEN`` in its environment."""

    def __init__(self, journal: Path, out: Path, *extra: str) -> None:
        self.cmd = [sys.executable, "-m", "vicidial_async", "webhooks", "serve", "--port", "0",
                    "--journal", str(journal), "--out", str(out), *extra]
        self.proc: subprocess.Popen[str] | None = None
        self.url = ""
        self._err: Any = None

    def start(self, timeout: float = 20.0) -> ServeProcess:
        env = dict(os.environ, VICIDIAL_WEBHOOK_TOKEN=TOKEN)
        self._err = tempfile.TemporaryFile(mode="w+")  # noqa: SIM115 - closed in __exit__
        self.proc = subprocess.Popen(self.cmd, stdout=subprocess.PIPE, stderr=self._err, text=True,
                                     env=env)
        assert self.proc.stdout is not None
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            line = self.proc.stdout.readline()
            if line.startswith(READY_PREFIX):
                self.url = line[len(READY_PREFIX):].strip()
                return self
            if not line and self.proc.poll() is not None:
                break
        self.stop()
        raise RuntimeError(f"webhooks serve did not start: {self.stderr()}")

    def stderr(self) -> str:
        if self._err is None:
            return ""
        self._err.seek(0)
        return str(self._err.read())

    def kill(self) -> None:
        """SIGKILL: no shutdown code runs."""
        assert self.proc is not None
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait(10)

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(10)
        if self.proc is not None and self.proc.stdout is not None:
            self.proc.stdout.close()

    def __enter__(self) -> ServeProcess:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
        if self._err is not None:
            self._err.close()
