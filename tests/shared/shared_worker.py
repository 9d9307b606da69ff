"""One worker process of the shared-budget tests: a ``VicidialClient`` with ``shared=`` Redis,
``--concurrency`` tasks calling campaigns_list in a loop for ``--seconds``.

Prints ``READY`` once its client is built, starts on a line on its standard input, and prints
one JSON line at the end:
``{"ok": n, "errors": {"ErrorName": n}, "rebooked": n, "rebooked_at": [[t, n], ...]}``, where
``rebooked_at`` samples the count of slots given up (the call woke too late for its slot: CPU
starvation) against the wall clock, which the counting server's times also use. The password comes
from ``VICIDIAL_PASS``.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
import time
from collections import Counter

import anyio
import anyio.to_thread

from vicidial_async import RateLimit, RetryPolicy, VicidialClient, VicidialError
from vicidial_async.transport.redis_coordination import FAIL_CLOSED, Fallback, RedisCoordination


async def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--url", required=True)
    p.add_argument("--user", default="6666")
    p.add_argument("--redis", required=True)
    p.add_argument("--prefix", required=True)
    p.add_argument("--rate", type=float, default=100)
    p.add_argument("--burst", type=float, default=10)
    p.add_argument("--concurrency", type=int, default=32)
    p.add_argument("--seconds", type=float, default=20)
    p.add_argument("--max-in-flight", type=int)
    p.add_argument("--lease-seconds", type=float)
    p.add_argument("--fallback", type=float, help="Fallback(fraction) instead of fail closed")
    p.add_argument("--function", default="campaigns_list")
    args = p.parse_args()
    logging.basicConfig(level=logging.WARNING, stream=sys.stderr)
    shared = RedisCoordination(
        args.redis, prefix=args.prefix, max_in_flight=args.max_in_flight,
        lease_seconds=args.lease_seconds,
        on_unavailable=Fallback(args.fallback, retry_seconds=1.0) if args.fallback else FAIL_CLOSED)
    errors: Counter[str] = Counter()
    ok = 0
    stop = 0.0
    rebooked_at: list[tuple[float, int]] = []
    async with VicidialClient(args.url, args.user, os.environ["VICIDIAL_PASS"],
                              rate_limit=RateLimit(args.rate, args.burst),
                              max_connections=args.concurrency, retry=RetryPolicy.disabled(),
                              shared=shared) as vd:
        print("READY", flush=True)
        # Start together: the load begins when every process is up (as long-running workers
        # would be), not while some are still importing.
        await anyio.to_thread.run_sync(sys.stdin.readline)
        stop = time.monotonic() + args.seconds

        async def work() -> None:
            nonlocal ok
            while time.monotonic() < stop:
                try:
                    await vd.call(args.function)
                    ok += 1
                except VicidialError as exc:
                    errors[type(exc).__name__] += 1
                    await anyio.sleep(0.05)  # an error answers at once: do not spin

        def rebooked() -> int:
            return vd._shared.rebooked if vd._shared is not None else 0

        async def sample() -> None:
            while time.monotonic() < stop:
                rebooked_at.append((time.time(), rebooked()))
                await anyio.sleep(0.1)

        async with anyio.create_task_group() as tg:
            tg.start_soon(sample)
            for _ in range(args.concurrency):
                tg.start_soon(work)
        rebooked_at.append((time.time(), rebooked()))
    await shared.aclose()
    print(json.dumps({"ok": ok, "errors": dict(errors), "rebooked": rebooked_at[-1][1],
                      "rebooked_at": rebooked_at}), flush=True)


if __name__ == "__main__":
    anyio.run(main)
