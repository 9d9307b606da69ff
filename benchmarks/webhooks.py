"""Answer latency of ``vicidial webhooks serve`` at a steady request rate (default 500/s).

VICIdial fetches the Start Call URL inside the agent's own screen request, so the receiver's answer
time is time an agent waits. This starts the receiver as the CLI runs it (uvicorn, one process,
journal fsync'd before each 200, ``--out`` events file written by the handler afterwards) and sends
full Dispo Call URL GETs the way the real server does: a new connection per request, ``Host`` and
``Connection: close`` only, on an open-loop schedule (a slow answer does not slow the sender down,
so queueing shows in the figures). Each request is a distinct call; ``--replays`` makes that share
of them replays of an earlier one (answered without a journal write).

Reported: achieved rate, answer latency percentiles (connect to status line; and request written to
status line), refusals, and how far delivery to the events file lagged behind.

Usage: ``python benchmarks/webhooks.py [--rate 500] [--seconds 10] [--replays 0.0]``
"""

from __future__ import annotations

import argparse
import asyncio
import multiprocessing as mp
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

TOKEN = "bench_0123456789abcdefghijkl"
READY = "WEBHOOKS LISTENING "


def dispo_query(lead: int) -> str:
    """A full Dispo Call URL query, as in the recorded real requests (about 1.6 KB)."""
    return (
        f"hook=dispo&token={TOKEN}&lead_id={lead}&vendor_lead_code=VLC-{lead}&source_id=bench"
        "&list_id=101&list_name=Test+List&list_description=seed+list+101&phone_code=1"
        f"&phone_number=312555{lead % 10000:04d}&title=&first_name=Jos%C3%A9&middle_initial="
        "&last_name=O%27Brien&address1=Smith+%26+Sons%2C+5th+Ave+%232&address2=&address3="
        "&city=Chicago&state=IL&province=&postal_code=60601&country_code=USA&gender=U"
        "&date_of_birth=&alt_phone=&email=ann%40example.com&security_phrase="
        "&comments=50%25+off+%2B+free+%3D+deal%3F&rank=0&owner=&entry_date=2026-12-04+08%3A46%3A44"
        "&entry_list_id=101&called_count=1&dispo=SALE&dispo_name=Sale%2BMade&talk_time=70"
        "&talk_time_ms=70000&talk_time_min=2&call_notes=Customer+bought+plan+A&callback_datetime="
        "&callback_lead_status=&term_reason=AGENT&dialed_number=3125550190&dialed_label=MAIN"
        "&user=agent001&fullname=Agent+One&user_group=AGENTS&campaign=TESTCAMP&group=TESTCAMP"
        f"&channel_group=TESTCAMP&uniqueid=1796460284.{lead}&call_id=M20508464400{lead:08d}"
        "&agent_log_id=9&closecallid=&xfercallid=&recording_id=&recording_filename="
        "&SQLdate=2026-12-05+08%3A46%3A44&epoch=1796460404&server_ip=127.0.0.1"
        "&customer_server_ip=127.0.0.1&session_id=8600051&SIPexten=cc100&phone_login=cc100"
        "&did_id=&favcolor=blue&petname=Rex&notes_cf=n%2Fa"
    )


async def one(host: str, port: int, lead: int) -> tuple[float, float, int]:
    """(connect->status seconds, written->status seconds, status) of one GET."""
    t0 = time.perf_counter()
    reader, writer = await asyncio.open_connection(host, port)
    writer.write(f"GET /vicidial?{dispo_query(lead)} HTTP/1.1\r\nHost: {host}:{port}\r\n"
                 "Connection: close\r\n\r\n".encode())
    await writer.drain()
    t1 = time.perf_counter()
    line = await reader.readline()
    t2 = time.perf_counter()
    await reader.read()
    writer.close()
    parts = line.split()
    return t2 - t0, t2 - t1, int(parts[1]) if len(parts) > 1 else 0


async def load(host: str, port: int, rate: float, seconds: float, replays: float, first: int
               ) -> tuple[list[tuple[float, float, int]], float, int]:
    results: list[tuple[float, float, int]] = []
    errors = 0
    total = int(rate * seconds)
    rng = random.Random(13)
    tasks: list[asyncio.Task[None]] = []

    async def fire(lead: int) -> None:
        nonlocal errors
        try:
            results.append(await one(host, port, lead))
        except OSError:
            errors += 1

    start = time.perf_counter()
    for i in range(total):
        due = start + i / rate
        delay = due - time.perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)
        lead = first + (rng.randrange(0, i) if i and rng.random() < replays else i)
        tasks.append(asyncio.create_task(fire(lead)))
    await asyncio.gather(*tasks)
    return results, time.perf_counter() - start, errors


def _generator(host: str, port: int, rate: float, seconds: float, replays: float, first: int,
               queue: Any) -> None:
    queue.put(asyncio.run(load(host, port, rate, seconds, replays, first)))


def generate(host: str, port: int, rate: float, seconds: float, replays: float, first: int,
             procs: int) -> tuple[list[tuple[float, float, int]], float, int]:
    """``load`` split over ``procs`` processes (one Python process cannot open 500 connections a
    second and still read its answers on time: its own lag would show as latency)."""
    ctx = mp.get_context("fork")
    queue = ctx.Queue()
    workers = [ctx.Process(target=_generator, args=(host, port, rate / procs, seconds, replays,
                                                    first + i * 10_000_000, queue))
               for i in range(procs)]
    for w in workers:
        w.start()
    parts = [queue.get() for _ in workers]
    for w in workers:
        w.join()
    results = [r for part in parts for r in part[0]]
    return results, max(p[1] for p in parts), sum(p[2] for p in parts)


def cpu_seconds(pid: int) -> tuple[float, float]:
    """(user, system) CPU seconds of a process so far (Linux /proc)."""
    with open(f"/proc/{pid}/stat") as fh:
        fields = fh.read().rsplit(")", 1)[1].split()
    tick = os.sysconf("SC_CLK_TCK")
    return int(fields[11]) / tick, int(fields[12]) / tick


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--rate", type=float, default=500.0)
    ap.add_argument("--seconds", type=float, default=10.0)
    ap.add_argument("--replays", type=float, default=0.0, help="share of replayed requests")
    ap.add_argument("--procs", type=int, default=2, help="load generator processes (2)")
    ap.add_argument("--no-out", action="store_true", help="no events file (no handler at all)")
    ap.add_argument("--warmup", type=float, default=1.0, help="seconds at the rate, not counted")
    args = ap.parse_args()
    work = Path(tempfile.mkdtemp(prefix="webhooks-bench-"))
    out = work / "events.jsonl"
    env = dict(os.environ, VICIDIAL_WEBHOOK_TOKEN=TOKEN)
    proc = subprocess.Popen(
        [sys.executable, "-m", "vicidial_async", "webhooks", "serve", "--port", "0",
         "--journal", str(work / "journal"), *([] if args.no_out else ["--out", str(out)])],
        stdout=subprocess.PIPE, text=True, env=env)
    try:
        assert proc.stdout is not None
        line = proc.stdout.readline()
        if not line.startswith(READY):
            print("receiver did not start", file=sys.stderr)
            return 1
        host, port = line[len(READY):].strip().removeprefix("http://").rsplit(":", 1)
        if args.warmup > 0:
            generate(host, int(port), args.rate, args.warmup, 0.0, 900_000_000, args.procs)
        cpu0 = cpu_seconds(proc.pid)
        results, elapsed, errors = generate(host, int(port), args.rate, args.seconds,
                                            args.replays, 100_000, args.procs)
        sent_done = time.perf_counter()
        expected = int(args.rate * args.warmup) + sum(1 for r in results if r[2] == 200)
        while not args.no_out and time.perf_counter() - sent_done < 60:
            lines = out.read_text().count("\n") if out.exists() else 0
            if lines >= expected * (1 - args.replays) - 1:
                break
            time.sleep(0.05)
        lag = time.perf_counter() - sent_done
        user, system = (b - a for a, b in zip(cpu0, cpu_seconds(proc.pid), strict=True))
        server_cpu = user + system
        written = out.read_text().count("\n") if out.exists() else 0
    finally:
        proc.terminate()
        proc.wait(10)
    full = [r[0] * 1000 for r in results]
    answer = [r[1] * 1000 for r in results]
    statuses: dict[int, int] = {}
    for r in results:
        statuses[r[2]] = statuses.get(r[2], 0) + 1
    print(f"webhooks serve, {len(results)} GETs of {len(dispo_query(1))} B query, target "
          f"{args.rate:.0f}/s, achieved {len(results) / elapsed:.0f}/s; statuses {statuses}, "
          f"connection errors {errors}")
    print(f"{'ms':>26} {'p50':>7} {'p90':>7} {'p99':>7} {'max':>7} {'mean':>7}")
    for name, vals in (("connect -> status line", full), ("request -> status line", answer)):
        print(f"{name:>26} {pct(vals, .5):7.2f} {pct(vals, .9):7.2f} {pct(vals, .99):7.2f} "
              f"{max(vals):7.2f} {statistics.fmean(vals):7.2f}")
    print(f"events file: {written} lines, complete {lag:.2f} s after the last answer")
    print(f"receiver CPU: {server_cpu / max(1, len(results)) * 1000:.2f} ms per request "
          f"({server_cpu / elapsed:.0%} of a core, {system / max(server_cpu, 1e-9):.0%} of it in the "
          f"kernel); machine load average {os.getloadavg()[0]:.1f} "
          f"on {os.cpu_count()} CPUs")
    return 0


if __name__ == "__main__":
    sys.exit(main())
