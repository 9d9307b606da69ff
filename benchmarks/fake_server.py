"""add_lead answers per second of the out-of-process fake server (uvicorn, one process, one core).

Benchmarks of the bulk loader and the transport use the fake server; this tells them whether the
fake or the client is the bottleneck. Two load generators, both in other processes than the server:

* ``raw``: lean HTTP/1.1 keep-alive connections written with asyncio streams (no library code),
  several processes; measures what the server can answer.
* ``client``: ``VicidialClient.leads.add_lead`` (rate limit off), one process; measures the
  library's own ceiling against the same server.

Every generated lead is distinct; the server's own state is checked at the end (the lead count
must equal the SUCCESS answers). The server is pinned to CPU 0 and the generators to the other CPUs
when the machine allows it.

Usage: ``python benchmarks/fake_server.py [--seconds 5] [--connections 32] [--procs 2] [--dup]``
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import multiprocessing as mp
import os
import statistics
import sys
import time
from typing import Any
from urllib.parse import urlencode

from vicidial_async.testing import FakeServerProcess

# Not the default 1234: the client masks its password wherever it appears in an answer, and lead ids
# and phone numbers containing "1234" would be masked too.
USER, PASSWORD = "bench", "benchPass123"


def _pin(proc: int) -> None:
    """Keep load generators off CPU 0, where the server runs."""
    n = os.cpu_count() or 1
    if hasattr(os, "sched_setaffinity") and n > 1:
        with contextlib.suppress(OSError):
            os.sched_setaffinity(0, {1 + proc % (n - 1)})


async def _raw_worker(host: str, port: int, base: int, deadline: float, dup: bool, counts: list[int]) -> None:
    reader, writer = await asyncio.open_connection(host, port)
    n = 0
    while time.perf_counter() < deadline:
        form = {
            "source": "bench",
            "user": "6666",
            "pass": "1234",
            "function": "add_lead",
            "phone_number": str(base + n),
            "list_id": "101",
            "first_name": "Bench",
        }
        if dup:
            form["duplicate_check"] = "DUPLIST"
        body = urlencode(form).encode()
        writer.write(
            b"POST /vicidial/non_agent_api.php HTTP/1.1\r\nHost: bench\r\n"
            b"Content-Type: application/x-www-form-urlencoded\r\n"
            b"Content-Length: " + str(len(body)).encode() + b"\r\n\r\n" + body
        )
        head = await reader.readuntil(b"\r\n\r\n")
        length = 0
        for line in head.split(b"\r\n"):
            if line.lower().startswith(b"content-length:"):
                length = int(line.split(b":")[1])
        answer = await reader.readexactly(length)
        counts[0 if answer.startswith(b"SUCCESS") else 1] += 1
        n += 1
    writer.close()


def _raw_process(
    host: str,
    port: int,
    proc: int,
    connections: int,
    seconds: float,
    dup: bool,
    start_at: float,
    out: mp.Queue[list[int]],
) -> None:
    _pin(proc)
    counts = [0, 0]

    async def main() -> None:
        await asyncio.sleep(max(0.0, start_at - time.time()))
        deadline = time.perf_counter() + seconds
        await asyncio.gather(
            *(
                _raw_worker(host, port, 2_000_000_000 + (proc * 1000 + c) * 1_000_000, deadline, dup, counts)
                for c in range(connections)
            )
        )

    asyncio.run(main())
    out.put(counts)


def bench_raw(
    server: FakeServerProcess, seconds: float, connections: int, procs: int, dup: bool
) -> tuple[float, int]:
    ctx = mp.get_context("spawn")
    queue: mp.Queue[list[int]] = ctx.Queue()
    start_at = time.time() + 1.5
    per = max(1, connections // procs)
    workers = [
        ctx.Process(
            target=_raw_process, args=(server.host, server.port, p, per, seconds, dup, start_at, queue)
        )
        for p in range(procs)
    ]
    for w in workers:
        w.start()
    results = [queue.get() for _ in workers]
    for w in workers:
        w.join()
    ok = sum(r[0] for r in results)
    bad = sum(r[1] for r in results)
    return ok / seconds, bad


async def bench_client(url: str, seconds: float, concurrency: int) -> float:
    from vicidial_async import VicidialClient

    done = 0
    deadline = time.perf_counter() + seconds
    async with VicidialClient(url, USER, PASSWORD, rate_limit=None, max_connections=concurrency) as vd:

        async def worker(w: int) -> None:
            nonlocal done
            n = 0
            while time.perf_counter() < deadline:
                await vd.leads.add_lead(phone_number=str(3_000_000_000 + w * 1_000_000 + n), list_id=101)
                n += 1
                done += 1

        await asyncio.gather(*(worker(w) for w in range(concurrency)))
    return done / seconds


async def bench_compare(url: str, seconds: float, concurrency: int, rounds: int
                        ) -> dict[str, list[float]]:
    """add_lead answers/s at ``concurrency``: the library on the aiohttp backend (typed
    ``vd.leads.add_lead``) and a plain aiohttp posting loop of the same forms, taking turns."""
    import aiohttp

    from vicidial_async import VicidialClient

    base = [3_500_000_000]

    async def drive(call: Any) -> float:
        done = 0
        deadline = time.perf_counter() + seconds
        start = base[0]
        base[0] += 10_000_000

        async def worker(w: int) -> None:
            nonlocal done
            n = 0
            while time.perf_counter() < deadline:
                await call(str(start + w * 100_000 + n))
                n += 1
                done += 1

        await asyncio.gather(*(worker(w) for w in range(concurrency)))
        return done / seconds

    rates: dict[str, list[float]] = {"library (aiohttp backend)": [], "raw aiohttp": []}
    async with VicidialClient(url, USER, PASSWORD, rate_limit=None, max_connections=concurrency,
                              backend="aiohttp") as vd, \
            aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=concurrency)) as http:
        api = url + "/vicidial/non_agent_api.php"

        async def library(phone: str) -> None:
            await vd.leads.add_lead(phone_number=phone, list_id=101, first_name="Bench")

        async def raw(phone: str) -> None:
            form = {"source": "bench", "user": USER, "pass": PASSWORD, "function": "add_lead",
                    "phone_number": phone, "list_id": "101", "first_name": "Bench"}
            async with http.post(api, data=form) as resp:
                if not (await resp.text()).startswith("SUCCESS"):
                    raise SystemExit("raw add_lead failed")

        runs = list(zip(rates, (library, raw), strict=True))
        for _, call in runs:  # warm up: connections, imports, caches
            await call("3499999999")
        for r in range(rounds):
            for name, call in runs[r % 2:] + runs[:r % 2]:
                rates[name].append(await drive(call))
    return rates


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--seconds", type=float, default=5.0)
    ap.add_argument("--connections", type=int, default=32)
    ap.add_argument("--procs", type=int, default=2, help="load-generator processes for the raw run")
    ap.add_argument("--dup", action="store_true", help="send duplicate_check=DUPLIST with every lead")
    ap.add_argument("--seed-leads", type=int, default=100_000, help="leads loaded before measuring")
    ap.add_argument("--skip-client", action="store_true")
    ap.add_argument("--compare", action="store_true",
                    help="only: the library (aiohttp backend) against a raw aiohttp loop, concurrency 8, "
                         "server on one core, client on another (target >= 95%%)")
    ap.add_argument("--rounds", type=int, default=4, help="--compare: alternating rounds")
    args = ap.parse_args()
    users = [{"user": USER, "password": PASSWORD, "user_level": 9}]
    with FakeServerProcess(seed_leads=args.seed_leads, seed_users=users, startup_timeout=120) as server:
        if server.pid is not None and hasattr(os, "sched_setaffinity"):
            with contextlib.suppress(OSError):
                os.sched_setaffinity(server.pid, {0})
        if args.compare:
            _pin(0)
            rates = asyncio.run(bench_compare(server.url, args.seconds, 8, args.rounds))
            for name, values in rates.items():
                print(f"{name:<26} {statistics.median(values):8,.0f} add_lead/s  "
                      f"({', '.join(f'{v:,.0f}' for v in values)})")
            lib, raw = rates.values()
            ratio = statistics.median(a / b for a, b in zip(lib, raw, strict=True))
            print(f"library / raw aiohttp at concurrency 8: {ratio:.0%} (target >= 95%)")
            return 0
        rate, bad = bench_raw(server, args.seconds, args.connections, args.procs, args.dup)
        print(
            f"server: add_lead answers/s (raw HTTP, {args.connections} connections, {args.procs} procs, "
            f"{args.seed_leads} leads preloaded{', DUPLIST' if args.dup else ''}): {rate:,.0f}"
            f"{f'  ({bad} non-SUCCESS)' if bad else ''}"
        )
        if not args.skip_client:
            _pin(0)
            crate = asyncio.run(bench_client(server.url, args.seconds, 16))
            print(
                f"client: VicidialClient.leads.add_lead answers/s (one process, 16 concurrent): {crate:,.0f}"
            )
        state = server.state()
        print(f"server state: {len(state['leads']):,} leads, {state['requests']:,} API requests answered")
    return 0


if __name__ == "__main__":
    sys.exit(main())
