"""What one shared (Redis) token costs a call: latency and client CPU, next to the local bucket.

Starts its own ``redis-server`` on a free loopback port (it must be on the PATH) and measures,
with a rate high enough that no call ever waits for its slot:

* ``local``: the client's own ``TokenBucket`` (the figure without Redis);
* ``shared, one at a time``: one task taking tokens back to back: a Redis round trip each;
* ``shared, N at once``: N tasks taking tokens together; what a process queues while a reservation
  is on its way goes in the next script call, so one round trip serves many calls.

Reported per token: wall-clock latency and this process's CPU (``time.process_time``; Redis runs
in another process), and the ratio of shared to local CPU. Target: under 0.3 ms per shared token.

Usage: ``python benchmarks/shared_limiter.py [--tokens 20000] [--tasks 64]``
"""

from __future__ import annotations

import argparse
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Awaitable, Callable

import anyio

from vicidial_async.config import RateLimit
from vicidial_async.transport.limiter import TokenBucket
from vicidial_async.transport.redis_coordination import RedisCoordination

FAST = RateLimit(per_second=1_000_000, burst=1_000_000)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def start_redis() -> tuple[subprocess.Popen[bytes], str]:
    binary = shutil.which("redis-server")
    if binary is None:
        raise SystemExit("redis-server is not on the PATH (apt install redis-server)")
    port = _free_port()
    proc = subprocess.Popen([binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "",
                             "--appendonly", "no", "--dir", tempfile.gettempdir()],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5) as s:
                s.sendall(b"PING\r\n")
                if s.recv(16).startswith(b"+PONG"):
                    return proc, f"redis://127.0.0.1:{port}/0"
        except OSError:
            time.sleep(0.02)
    proc.kill()
    raise SystemExit("redis-server did not start")


async def measure(take: Callable[[], Awaitable[object]], tokens: int, tasks: int) -> tuple[float, float]:
    """(wall seconds, CPU seconds) per token, ``tasks`` tasks sharing ``tokens`` takes."""
    per_task = tokens // tasks

    async def worker() -> None:
        for _ in range(per_task):
            await take()

    wall, cpu = time.perf_counter(), time.process_time()
    async with anyio.create_task_group() as tg:
        for _ in range(tasks):
            tg.start_soon(worker)
    n = per_task * tasks
    return (time.perf_counter() - wall) / n, (time.process_time() - cpu) / n


async def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--tokens", type=int, default=20000)
    p.add_argument("--tasks", type=int, default=64)
    args = p.parse_args()
    proc, url = start_redis()
    try:
        bucket = TokenBucket(FAST.per_second, FAST.burst)
        local = await measure(bucket.acquire, args.tokens, args.tasks)
        shared = RedisCoordination(url, prefix="bench")
        server = shared.for_server(host="dialer.example.com", port=443, user="bench",
                                   rate_limit=FAST, lease_seconds=60)
        await measure(server.token, 500, 1)  # connect and load the script first
        one = await measure(server.token, max(1000, args.tokens // 10), 1)
        many = await measure(server.token, args.tokens, args.tasks)
        await shared.aclose()
    finally:
        proc.terminate()
        proc.wait()
    print(f"{'per token':<34}{'latency ms':>12}{'client CPU ms':>15}{'CPU vs local':>14}")
    for name, (wall, cpu) in (("local TokenBucket", local), ("shared, one at a time", one),
                              (f"shared, {args.tasks} at once", many)):
        ratio = cpu / local[1] if local[1] else float("nan")
        print(f"{name:<34}{wall * 1e3:>12.4f}{cpu * 1e3:>15.4f}{ratio:>13.1f}x")


if __name__ == "__main__":
    anyio.run(main)
