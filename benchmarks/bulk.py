"""Bulk loader benchmarks: pacing accuracy, unthrottled cost per row, and peak memory.

* ``rate``: the loader against the fake server in another process with ``RateLimit(R, burst)``.
  Every request's send time is taken from an httpx event hook; reported: achieved rate / R
  (target >= 0.98) and the largest ``count(window) - (R x window + burst)`` over all windows of
  sends (must be <= 0: never more than rate x elapsed + burst).
* ``unthrottled``: rate limit off, ``--concurrency`` workers, against the fake server process:
  rows per second and client CPU per row (``time.process_time`` of this process), beside a plain
  loop of raw ``httpx`` posts of the same forms (no validation, journal, results or decoding).
* ``bookkeeping``: the loader's own CPU per row, without HTTP: a ``VicidialClient`` whose backend
  answers every add_lead at once with a canned SUCCESS (as ``benchmarks/poll.py`` builds clients),
  the loader (journal fsynced, and ``--no-fsync``) beside ``vd.leads.add_lead`` in the same number
  of workers on the same backend, in alternating rounds; the difference is the loader's
  bookkeeping (reading, shaping, journal, results, outcomes). ``--profile`` prints a cProfile of
  one loader round instead.
* ``instructions``: the same three legs (the loader, journal fsynced; ``vd.leads.add_lead`` in as
  many workers; the raw aiohttp loop) against the sink, each in a process of its own under
  valgrind's callgrind, which counts the instructions the client runs: at ``--instr-rows`` rows and
  at 200, so that the difference divided by the extra rows is the count per row, start-up left
  out. Counts, not seconds: the same code gives the same count within about 0.5% for the typed
  call and the raw loop, and within 1-2% for the loader (its permits and checkpoints follow the
  clock), whatever else the machine is doing, where timings vary by 20-30%. Needs
  ``valgrind``; a few minutes (the client runs some 50 times slower under it, so the sink always
  has its answers ready, as when the client's CPU sets the pace).
* ``steady``: the same three legs in seconds: each in a process of its own on CPU 1 against the
  sink on CPU 0, ``--warm`` rows first (connections, caches, first-call imports), then
  ``--rows`` rows measured with ``getrusage``: user and system CPU per row, and the time spent in
  the garbage collector (``gc.callbacks``). Legs take turns for ``--rounds`` rounds; ratios are
  medians of a round's ratios. Start-up, the warm-up and a load's fixed costs are left out, so
  this is the cost per row that sets a long load's pace where the client's CPU is the limit.
* ``rss``: ``vicidial leads load`` in a subprocess on a generated file of ``--rss-rows`` rows
  (1,000,000 by default; written to a temp dir, deleted after) against a minimal "sink" server
  that answers every add_lead with SUCCESS and keeps nothing (so the client is what is measured).
  Reported: the child's peak RSS (``ru_maxrss``) and its RSS sampled along the way.

Usage: ``python benchmarks/bulk.py [rate] [unthrottled] [bookkeeping] [instructions] [steady] [rss]
[--rate 200] [--seconds 15] [--rows 6000] [--concurrency 16] [--instr-rows 2200] [--warm 2000]
[--rss-rows 1000000]``
"""

from __future__ import annotations

import argparse
import asyncio
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable, Mapping
from pathlib import Path
from typing import Literal, TypedDict
from urllib.parse import parse_qs

import anyio
import httpx

from vicidial_async import RateLimit, VicidialClient
from vicidial_async.bulk import BulkLeadLoader
from vicidial_async.testing import FakeServerProcess
from vicidial_async.transport.backend import RawResponse

# Not digits: the client masks its password wherever it appears in an answer (lead ids too).
USER, PASSWORD = "bench", "benchPass-x"
SEED = [{"user": USER, "password": PASSWORD, "user_level": 9}]

BackendName = Literal["aiohttp", "httpx"]


class LeadRow(TypedDict):
    """One generated row: the add_lead keywords it is passed as (``vd.leads.add_lead(**row)``)."""

    phone_number: str
    first_name: str
    last_name: str


def rows(n: int, start: int) -> list[LeadRow]:
    return [{"phone_number": str(start + i), "first_name": "Bench", "last_name": "Load"}
            for i in range(n)]


def max_excess(times: list[float], rate: float, burst: float) -> float:
    """max over windows [t_i, t_j] of (j - i + 1) - (rate * (t_j - t_i) + burst)."""
    best = float("-inf")
    best_left = float("-inf")   # max over i <= j of rate * t_i - i
    for j, t in enumerate(sorted(times)):
        best_left = max(best_left, rate * t - j)
        best = max(best, (j + 1) - rate * t + best_left - burst)
    return best


def _count_within(ordered: list[float], i: int, width: float) -> int:
    import bisect

    return bisect.bisect_right(ordered, ordered[i] + width) - i


async def bench_rate(rate: float, seconds: float, concurrency: int) -> None:
    n = int(rate * seconds)
    sends: list[float] = []

    async def hook(request: httpx.Request) -> None:
        sends.append(time.monotonic())

    burst = float(concurrency)
    with FakeServerProcess(seed_users=SEED) as srv:
        http = httpx.AsyncClient(event_hooks={"request": [hook]},
                                 limits=httpx.Limits(max_connections=concurrency))
        async with VicidialClient(srv.url, USER, PASSWORD, http_client=http,
                                  rate_limit=RateLimit(per_second=rate, burst=burst),
                                  max_connections=concurrency) as vd:
            loader = BulkLeadLoader(vd, list_id=101, concurrency=concurrency, fsync=False)
            with tempfile.TemporaryDirectory() as tmp:
                summary = await loader.run(rows(n, 2_000_000_000), results=Path(tmp) / "r.csv")
        await http.aclose()
    span = sends[-1] - sends[0]
    achieved = (len(sends) - 1) / span
    steady = [t for t in sends if t >= sends[0] + 1.0]
    steady_rate = (len(steady) - 1) / (steady[-1] - steady[0])
    print(f"rate: {summary.counts} sends={len(sends)} over {span:.2f} s")
    print(f"  achieved {achieved:.2f}/s vs configured {rate:g}/s: ratio {achieved / rate:.4f} "
          f"(after the first second: {steady_rate / rate:.4f})")
    excess = max_excess(sends, rate, burst)
    ordered = sorted(sends)
    per_second = max(_count_within(ordered, i, 1.0) for i in range(len(ordered)))
    print(f"  max over all windows of sends - rate x window: {burst + excess:.3f} (burst {burst:g}; "
          f"excess {excess:+.3f} request)")
    print(f"  most sends in any 1-second window: {per_second} (limit {rate:g} + {burst:g})")


async def _raw_loop(url: str, forms: list[dict[str, str]], concurrency: int, backend: str) -> int:
    """A bare posting loop (no validation, journal, results or decoding): SUCCESS answers."""
    queue = iter(forms)
    ok = [0]
    if backend == "aiohttp":
        import aiohttp

        async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=concurrency)) as s:
            async def worker() -> None:
                for form in queue:
                    async with s.post(url, data=form) as resp:
                        ok[0] += (await resp.text()).startswith("SUCCESS")

            async with anyio.create_task_group() as tg:
                for _ in range(concurrency):
                    tg.start_soon(worker)
        return ok[0]
    async with httpx.AsyncClient(limits=httpx.Limits(max_connections=concurrency)) as http:
        async def hworker() -> None:
            for form in queue:
                resp = await http.post(url, data=form)
                ok[0] += resp.text.startswith("SUCCESS")

        async with anyio.create_task_group() as tg:
            for _ in range(concurrency):
                tg.start_soon(hworker)
    return ok[0]


def _raw_forms(data: list[LeadRow]) -> list[dict[str, str]]:
    """The raw loop's forms for ``data``: what the library sends for them, built by hand."""
    base = {"source": "bench", "user": USER, "pass": PASSWORD, "function": "add_lead",
            "list_id": "101", "first_name": "Bench", "last_name": "Load"}
    return [{**base, "phone_number": r["phone_number"]} for r in data]


async def _typed_calls(vd: VicidialClient, data: list[LeadRow], concurrency: int) -> int:
    """``vd.leads.add_lead`` for every row, in ``concurrency`` workers; the leads added."""
    queue = iter(data)
    added = [0]

    async def worker() -> None:
        for row in queue:
            result = await vd.leads.add_lead(list_id=101, **row)
            added[0] += result.lead_id > 0

    async with anyio.create_task_group() as tg:
        for _ in range(concurrency):
            tg.start_soon(worker)
    return added[0]


async def _load(vd: VicidialClient, data: list[LeadRow], concurrency: int,
                fsync: bool) -> Mapping[str, int]:
    """The loader on ``data`` (results and journal in a temporary directory); its counts."""
    loader = BulkLeadLoader(vd, list_id=101, concurrency=concurrency, fsync=fsync)
    with tempfile.TemporaryDirectory() as tmp:
        summary = await loader.run(data, results=Path(tmp) / "r.csv")
    return summary.counts


def _start_sink() -> tuple[subprocess.Popen[str], str]:
    sink = subprocess.Popen([sys.executable, __file__, "--sink"], stdout=subprocess.PIPE, text=True)
    assert sink.stdout is not None
    return sink, f"http://127.0.0.1:{int(sink.stdout.readline())}"


async def bench_unthrottled(n: int, concurrency: int, rounds: int, server: str,
                            backends: tuple[str, ...] = ("aiohttp", "httpx"),
                            pin: bool = False) -> None:
    """Rows/s of the loader (journal fsynced, and not) on each backend, beside a raw loop of the
    same backend; the runs take turns, ``rounds`` times, and each ratio is the median of the
    ratios of neighbouring runs. ``pin``: the server on CPU 0 and this process on CPU 1, as if
    each had a machine of its own (else they share every CPU)."""
    import statistics

    sink = None
    srv = None
    if server == "sink":
        sink, url = _start_sink()
        server_pid: int | None = sink.pid
    else:
        srv = FakeServerProcess(seed_users=SEED)
        srv.start()
        url = srv.url
        server_pid = srv.pid
    if pin and server_pid is not None:
        os.sched_setaffinity(server_pid, {0})
        os.sched_setaffinity(0, {1})
    start = [2_000_000_000]

    def fresh() -> list[LeadRow]:
        start[0] += n
        return rows(n, start[0])

    async def loader_run(backend: BackendName, fsync: bool) -> tuple[float, float]:
        async with VicidialClient(url, USER, PASSWORD, rate_limit=None, max_connections=concurrency,
                                  backend=backend) as vd:
            data = fresh()
            c0, t0 = time.process_time(), time.perf_counter()
            counts = await _load(vd, data, concurrency, fsync)
            cpu, wall = time.process_time() - c0, time.perf_counter() - t0
        assert counts == {"added": n}, counts
        return n / wall, cpu / n

    async def add_lead_run(backend: BackendName) -> tuple[float, float]:
        # The typed call alone in as many workers: what the loader costs beyond it is its own.
        async with VicidialClient(url, USER, PASSWORD, rate_limit=None, max_connections=concurrency,
                                  backend=backend) as vd:
            data = fresh()
            c0, t0 = time.process_time(), time.perf_counter()
            added = await _typed_calls(vd, data, concurrency)
            cpu, wall = time.process_time() - c0, time.perf_counter() - t0
        assert added == n
        return n / wall, cpu / n

    async def raw_run(backend: BackendName) -> tuple[float, float]:
        forms = _raw_forms(fresh())
        c0, t0 = time.process_time(), time.perf_counter()
        ok = await _raw_loop(url + "/vicidial/non_agent_api.php", forms, concurrency, backend)
        cpu, wall = time.process_time() - c0, time.perf_counter() - t0
        assert ok == n
        return n / wall, cpu / n

    runs: dict[str, Callable[[], Awaitable[tuple[float, float]]]] = {
        "loader aiohttp fsync": lambda: loader_run("aiohttp", True),
        "loader aiohttp no-fsync": lambda: loader_run("aiohttp", False),
        "vd.leads.add_lead aiohttp": lambda: add_lead_run("aiohttp"),
        "raw aiohttp loop": lambda: raw_run("aiohttp"),
        "loader httpx fsync": lambda: loader_run("httpx", True),
        "loader httpx no-fsync": lambda: loader_run("httpx", False),
        "vd.leads.add_lead httpx": lambda: add_lead_run("httpx"),
        "raw httpx loop": lambda: raw_run("httpx"),
    }
    runs = {k: v for k, v in runs.items() if any(b in k for b in backends)}
    got: dict[str, list[tuple[float, float]]] = {k: [] for k in runs}
    try:
        for name in runs:  # warm-up: connections, imports, caches
            await runs[name]()
        for r in range(rounds):
            names = list(runs)
            k = r % len(names)
            for name in names[k:] + names[:k]:
                got[name].append(await runs[name]())
    finally:
        if sink is not None:
            sink.terminate()
            sink.wait()
        if srv is not None:
            srv.stop()
    print(f"unthrottled, {n} rows x {rounds} rounds, concurrency {concurrency}, server: {server}"
          f"{' on CPU 0, client on CPU 1' if pin else ''}, load average {os.getloadavg()[0]:.1f}")
    for name, vals in got.items():
        rate = statistics.median(v[0] for v in vals)
        cpu = statistics.median(v[1] for v in vals)
        print(f"  {name:<26} {rate:8,.0f} rows/s   client CPU {cpu * 1e6:6.0f} us/row")

    def ratio(a: str, b: str) -> float:
        return statistics.median(x[0] / y[0] for x, y in zip(got[a], got[b], strict=True))

    lines = [("loader (aiohttp, journal fsynced) / raw aiohttp loop", "loader aiohttp fsync",
              "raw aiohttp loop", "   (target >= 90%)"),
             ("loader (aiohttp, --no-fsync) / raw aiohttp loop", "loader aiohttp no-fsync",
              "raw aiohttp loop", ""),
             ("vd.leads.add_lead (aiohttp) / raw aiohttp loop", "vd.leads.add_lead aiohttp",
              "raw aiohttp loop", ""),
             ("loader (httpx, journal fsynced) / raw httpx loop", "loader httpx fsync",
              "raw httpx loop", ""),
             ("loader (httpx, --no-fsync) / raw httpx loop", "loader httpx no-fsync",
              "raw httpx loop", ""),
             ("vd.leads.add_lead (httpx) / raw httpx loop", "vd.leads.add_lead httpx",
              "raw httpx loop", "")]
    for text, a, b, note in lines:
        if a in got and b in got:
            print(f"  {text:<54} {ratio(a, b):5.0%}{note}")
    for backend in backends:
        print(f"  {f'--no-fsync / fsync rows/s ({backend})':<54} "
              f"{ratio(f'loader {backend} no-fsync', f'loader {backend} fsync'):5.2f}x")


# -- the loader's own bookkeeping, without HTTP ----------------------------------------------------


class CannedBackend:
    """A transport backend that answers from memory: add_lead with SUCCESS and a new lead id,
    lead_search (the loader's lookup before its first send) with "no matches". One pass through
    the event loop per call, as a real exchange has at least one."""

    def __init__(self) -> None:
        self.lead_id = 1000

    async def post(self, url: str, form: Mapping[str, str], *, read_timeout: float) -> RawResponse:
        await asyncio.sleep(0)
        function = form["function"]
        if function == "add_lead":
            self.lead_id += 1
            text = (f"SUCCESS: add_lead LEAD HAS BEEN ADDED - {form['phone_number']}|"
                    f"{form['list_id']}|{self.lead_id}|-5.00|{form['user']}\n")
        elif function == "lead_search":
            text = ("ERROR: lead_search NO MATCHES FOUND IN THE SYSTEM: |"
                    f"{form['user']}||{form.get('vendor_lead_code', '')}|"
                    f"{form.get('phone_number', '')}\n")
        else:
            raise AssertionError(f"the canned backend does not answer {function}")
        return RawResponse(200, {}, text)

    async def aclose(self) -> None:
        pass


async def bench_bookkeeping(n: int, concurrency: int, rounds: int, profile: bool = False) -> None:
    """Client CPU per row of the loader against :class:`CannedBackend` (journal fsynced, and
    not), beside ``vd.leads.add_lead`` in ``concurrency`` workers on the same backend; the runs
    take turns, ``rounds`` times; medians."""
    import statistics

    start = [2_000_000_000]

    def fresh() -> list[LeadRow]:
        start[0] += n
        return rows(n, start[0])

    def client() -> VicidialClient:
        return VicidialClient("http://127.0.0.1:9", USER, PASSWORD, rate_limit=None,
                              max_connections=concurrency, backend=CannedBackend())

    async def loader_run(fsync: bool) -> float:
        async with client() as vd:
            loader = BulkLeadLoader(vd, list_id=101, concurrency=concurrency, fsync=fsync)
            data = fresh()
            with tempfile.TemporaryDirectory() as tmp:
                c0 = time.process_time()
                summary = await loader.run(data, results=Path(tmp) / "r.csv")
                cpu = time.process_time() - c0
        assert summary.counts == {"added": n}, summary.counts
        return cpu / n

    async def add_lead_run() -> float:
        async with client() as vd:
            queue = iter(fresh())
            added = [0]

            async def worker() -> None:
                for row in queue:
                    result = await vd.leads.add_lead(list_id=101, **row)
                    added[0] += result.lead_id > 0

            c0 = time.process_time()
            async with anyio.create_task_group() as tg:
                for _ in range(concurrency):
                    tg.start_soon(worker)
            cpu = time.process_time() - c0
        assert added[0] == n
        return cpu / n

    if profile:
        import cProfile
        import pstats

        await loader_run(True)  # warm-up
        prof = cProfile.Profile(time.process_time)  # CPU time: not the waits for fsync
        prof.enable()
        await loader_run(True)
        prof.disable()
        stats = pstats.Stats(prof)
        stats.sort_stats("cumulative").print_stats(45)
        stats.sort_stats("tottime").print_stats(35)
        return

    runs: dict[str, Callable[[], Awaitable[float]]] = {
        "loader, journal fsynced": lambda: loader_run(True),
        "loader, --no-fsync": lambda: loader_run(False),
        "vd.leads.add_lead": add_lead_run,
    }
    got: dict[str, list[float]] = {k: [] for k in runs}
    for name in runs:  # warm-up
        await runs[name]()
    for r in range(rounds):
        names = list(runs)
        k = r % len(names)
        for name in names[k:] + names[:k]:
            got[name].append(await runs[name]())
    print(f"bookkeeping (canned add_lead answers, no HTTP), {n} rows x {rounds} rounds, "
          f"concurrency {concurrency}, load average {os.getloadavg()[0]:.1f}")
    for name, vals in got.items():
        print(f"  {name:<26} client CPU {statistics.median(vals) * 1e6:6.1f} us/row   "
              f"(rounds: {', '.join(f'{v * 1e6:.0f}' for v in vals)})")
    base = got["vd.leads.add_lead"]
    for name in ("loader, journal fsynced", "loader, --no-fsync"):
        extra = statistics.median(a - b for a, b in zip(got[name], base, strict=True))
        print(f"  {name} - vd.leads.add_lead: {extra * 1e6:6.1f} us/row (the loader's bookkeeping)")


# -- instructions per row, under callgrind ------------------------------------------------------------

_LEGS = ("loader", "vd.leads.add_lead", "raw aiohttp loop")


async def run_leg(leg: str, n: int, url: str, concurrency: int, warm: int | None = None) -> None:
    """One leg of ``instructions`` or ``steady``, in this process: ``n`` rows against the sink at
    ``url``. With ``warm`` (``steady``), ``warm`` rows are run first and the ``n`` rows are
    measured and printed as one JSON line: user, system and garbage-collection time per row."""
    import gc
    import json
    import resource

    base = 2_000_000_000 + time.time_ns() % 10**9
    async with VicidialClient(url, USER, PASSWORD, rate_limit=None, max_connections=concurrency,
                              backend="aiohttp") as vd:
        async def run(data: list[LeadRow]) -> None:
            if leg == "raw aiohttp loop":
                assert await _raw_loop(url + "/vicidial/non_agent_api.php", _raw_forms(data),
                                       concurrency, "aiohttp") == len(data)
            elif leg == "loader":
                counts = await _load(vd, data, concurrency, fsync=True)
                assert counts == {"added": len(data)}, counts
            else:
                assert await _typed_calls(vd, data, concurrency) == len(data)

        if warm is None:
            await run(rows(n, base))
            return
        if warm:
            await run(rows(warm, base + n))   # connections, caches, first-call imports
        data = rows(n, base)
        collecting = [0.0, 0.0]   # time in the collector; when the running one started

        def timed(phase: str, info: Mapping[str, int]) -> None:
            now = time.perf_counter()
            if phase == "start":
                collecting[1] = now
            else:
                collecting[0] += now - collecting[1]

        gc.callbacks.append(timed)
        before = resource.getrusage(resource.RUSAGE_SELF)
        await run(data)
        after = resource.getrusage(resource.RUSAGE_SELF)
        gc.callbacks.remove(timed)
    print(json.dumps({"user": (after.ru_utime - before.ru_utime) / n,
                      "sys": (after.ru_stime - before.ru_stime) / n, "gc": collecting[0] / n}))


def _leg_command(leg: str, n: int, url: str, concurrency: int) -> list[str]:
    """The command that runs ``leg`` in a process of its own (see :func:`run_leg`)."""
    return [sys.executable, __file__, "--leg", leg, "--rows", str(n), "--url", url,
            "--concurrency", str(concurrency)]


def _instructions(leg: str, n: int, url: str, concurrency: int) -> int:
    """Instructions callgrind counts in a process that runs ``leg`` for ``n`` rows."""
    cmd = ["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null",
           *_leg_command(leg, n, url, concurrency)]
    # One hash seed for every leg: dict layouts, hence counts, then differ only by the code.
    done = subprocess.run(cmd, capture_output=True, text=True,
                          env={**os.environ, "PYTHONHASHSEED": "0"}, check=True)
    for line in done.stderr.splitlines():
        if "Collected :" in line:
            return int(line.rsplit(":", 1)[1].replace(",", "").strip())
    raise RuntimeError(f"no callgrind total in:\n{done.stderr[-2000:]}")


def bench_instructions(n: int, concurrency: int) -> None:
    import shutil

    if shutil.which("valgrind") is None:
        print("instructions: valgrind is not installed (apt-get install valgrind)")
        return
    sink, url = _start_sink()
    try:
        os.sched_setaffinity(sink.pid, {0})   # the client's runs go on the other CPU
        per_row: dict[str, float] = {}
        for leg in _LEGS:
            small = _instructions(leg, 200, url, concurrency)
            large = _instructions(leg, n, url, concurrency)
            per_row[leg] = (large - small) / (n - 200)
    finally:
        sink.terminate()
        sink.wait()
    raw = per_row["raw aiohttp loop"]
    print(f"instructions (callgrind), per row from {n} - 200 rows, concurrency {concurrency}, "
          "aiohttp, against the sink:")
    for leg, count in per_row.items():
        print(f"  {leg:<26} {count:10,.0f} instructions/row   {count / raw:5.3f}x the raw loop")
    print(f"  (loader rows/s at 90% of the raw loop's, where the client's CPU sets the pace, needs"
          f" at most {1 / 0.9:.3f}x)")


# -- CPU per row in steady state -------------------------------------------------------------------


def _steady_leg(leg: str, n: int, warm: int, url: str, concurrency: int) -> dict[str, float]:
    """User, system and GC seconds per row of ``leg`` in a process of its own on CPU 1."""
    import json

    cmd = [*_leg_command(leg, n, url, concurrency), "--warm", str(warm)]
    done = subprocess.run(cmd, capture_output=True, text=True, check=True,
                          preexec_fn=lambda: os.sched_setaffinity(0, {1}))
    figures: dict[str, float] = json.loads(done.stdout.splitlines()[-1])
    return figures


def bench_steady(n: int, warm: int, concurrency: int, rounds: int) -> None:
    import statistics

    sink, url = _start_sink()
    got: dict[str, list[dict[str, float]]] = {leg: [] for leg in _LEGS}
    try:
        os.sched_setaffinity(sink.pid, {0})
        for r in range(rounds):
            k = r % len(_LEGS)
            for leg in _LEGS[k:] + _LEGS[:k]:
                got[leg].append(_steady_leg(leg, n, warm, url, concurrency))
    finally:
        sink.terminate()
        sink.wait()
    print(f"steady state, {n} rows after {warm} of warm-up, x {rounds} rounds, concurrency "
          f"{concurrency}, aiohttp, sink on CPU 0, each leg a process on CPU 1 (medians):")

    def cpu(leg: str) -> list[float]:
        return [f["user"] + f["sys"] for f in got[leg]]

    for leg, figures in got.items():
        med = {key: statistics.median(f[key] for f in figures) * 1e6 for key in ("user", "sys", "gc")}
        print(f"  {leg:<26} CPU {statistics.median(cpu(leg)) * 1e6:6.1f} us/row  (user "
              f"{med['user']:6.1f}, system {med['sys']:5.1f}; garbage collection, within user: "
              f"{med['gc']:4.1f})")
    for a, b in (("vd.leads.add_lead", "raw aiohttp loop"), ("loader", "vd.leads.add_lead"),
                 ("loader", "raw aiohttp loop")):
        ratio = statistics.median(x / y for x, y in zip(cpu(a), cpu(b), strict=True))
        print(f"  {a} / {b}: {ratio:5.3f}x CPU per row ({1 / ratio:.0%} of the rows/s where the "
              "client's CPU sets the pace)")


# -- the sink server and the 1,000,000-row memory run ----------------------------------------------


async def _sink_conn(reader: asyncio.StreamReader, writer: asyncio.StreamWriter,
                     counter: list[int]) -> None:
    try:
        while True:
            head = await reader.readuntil(b"\r\n\r\n")
            length = 0
            for line in head.split(b"\r\n"):
                if line[:15].lower() == b"content-length:":
                    length = int(line[15:])
            body = await reader.readexactly(length)
            form = parse_qs(body.decode())
            counter[0] += 1
            text = (f"SUCCESS: add_lead LEAD HAS BEEN ADDED - {form['phone_number'][0]}|"
                    f"{form['list_id'][0]}|{counter[0]}|-5.00|{form['user'][0]}\n").encode()
            writer.write(b"HTTP/1.1 200 OK\r\ncontent-type: text/html; charset=utf-8\r\n"
                         b"content-length: " + str(len(text)).encode() + b"\r\n\r\n" + text)
            await writer.drain()
    except (asyncio.IncompleteReadError, ConnectionError):
        pass
    finally:
        writer.close()


def run_sink() -> None:
    """Serve on a free port; print the port; answer add_lead with SUCCESS and keep nothing."""
    async def serve() -> None:
        counter = [0]
        server = await asyncio.start_server(lambda r, w: _sink_conn(r, w, counter), "127.0.0.1", 0)
        print(server.sockets[0].getsockname()[1], flush=True)
        async with server:
            await server.serve_forever()

    asyncio.run(serve())


def write_big_csv(path: Path, n: int) -> None:
    with open(path, "w", encoding="utf-8") as fh:
        fh.write("Phone,First Name,Last Name,Email,City,State,Zip\n")
        for i in range(n):
            fh.write(f"+1 (312) {i // 10000 % 1000:03d}-{i % 10000:04d},Ann,Lee,ann{i}@example.com,"
                     f"Chicago,IL,60601\n")


def _rss_kb(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/status") as fh:
            for line in fh:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def bench_rss(n: int, concurrency: int) -> None:
    sink = subprocess.Popen([sys.executable, __file__, "--sink"], stdout=subprocess.PIPE, text=True)
    try:
        assert sink.stdout is not None
        port = int(sink.stdout.readline())
        with tempfile.TemporaryDirectory() as tmp:
            src = Path(tmp) / "big.csv"
            t0 = time.perf_counter()
            write_big_csv(src, n)
            print(f"rss: generated {n:,} rows ({src.stat().st_size / 1e6:.0f} MB) in "
                  f"{time.perf_counter() - t0:.1f} s")
            cmd = [sys.executable, "-m", "vicidial_async", "leads", "load", str(src), "--list-id",
                   "101", "--url", f"http://127.0.0.1:{port}", "--user", USER, "--rate", "0",
                   "--concurrency", str(concurrency), "--no-progress", "--no-fsync"]
            t0 = time.perf_counter()
            log = Path(tmp) / "child.log"
            with open(log, "w") as out_fh:
                child = subprocess.Popen(cmd, env={**os.environ, "VICIDIAL_PASS": PASSWORD},
                                         stdout=out_fh, stderr=subprocess.STDOUT)
                samples: list[tuple[float, int]] = []
                next_sample = 0.0
                while True:
                    pid, status, usage = os.wait4(child.pid, os.WNOHANG)
                    if pid:
                        break
                    now = time.perf_counter() - t0
                    if now >= next_sample:
                        samples.append((now, _rss_kb(child.pid)))
                        next_sample += 5.0
                    time.sleep(0.2)
            child.returncode = os.waitstatus_to_exitcode(status)
            wall = time.perf_counter() - t0
            peak_kb = usage.ru_maxrss
            results = Path(tmp) / "big.results.csv"
            with open(results, "rb") as fh:
                lines = sum(1 for _ in fh) - 1
            output = log.read_text()
    finally:
        sink.terminate()
        sink.wait()
    print(f"  exit {child.returncode}, {lines:,} result rows in {wall:.0f} s ({n / wall:,.0f} rows/s)")
    print(f"  peak RSS {peak_kb / 1024:.1f} MB (target < 150 MB)")
    shown = ", ".join(f"{t:.0f}s {kb / 1024:.0f}MB" for t, kb in samples[:: max(1, len(samples) // 8)])
    print(f"  RSS along the run: {shown}")
    print("  " + "\n  ".join(output.strip().splitlines()[-6:]))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("what", nargs="*", default=["rate", "unthrottled", "rss"])
    parser.add_argument("--rate", type=float, default=200.0)
    parser.add_argument("--seconds", type=float, default=15.0)
    parser.add_argument("--rows", type=int, default=6000)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--rounds", type=int, default=3, help="unthrottled: alternating rounds")
    parser.add_argument("--backends", default="aiohttp,httpx", help="unthrottled: aiohttp,httpx")
    parser.add_argument("--server", choices=("sink", "fake"), default="sink",
                        help="unthrottled: the fixed-answer sink (default) or the fake VICIdial")
    parser.add_argument("--pin", action="store_true",
                        help="unthrottled: the server (sink or fake) on CPU 0, the client on CPU 1")
    parser.add_argument("--profile", action="store_true",
                        help="bookkeeping: print a cProfile of one loader round instead")
    parser.add_argument("--instr-rows", type=int, default=2200,
                        help="instructions: rows of the long run (minus the 200-row run)")
    parser.add_argument("--warm", type=int, default=None,
                        help="steady: rows each leg runs before the measured ones (2000)")
    parser.add_argument("--rss-rows", type=int, default=1_000_000)
    parser.add_argument("--sink", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--leg", choices=_LEGS, help=argparse.SUPPRESS)
    parser.add_argument("--url", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.sink:
        run_sink()
        return 0
    if args.leg:
        anyio.run(run_leg, args.leg, args.rows, args.url, args.concurrency, args.warm)
        return 0
    if "rate" in args.what:
        anyio.run(bench_rate, args.rate, args.seconds, 8)
    if "unthrottled" in args.what:
        anyio.run(bench_unthrottled, args.rows, args.concurrency, args.rounds, args.server,
                  tuple(args.backends.split(",")), args.pin)
    if "bookkeeping" in args.what:
        asyncio.run(bench_bookkeeping(args.rows, args.concurrency, args.rounds, args.profile))
    if "instructions" in args.what:
        bench_instructions(args.instr_rows, args.concurrency)
    if "steady" in args.what:
        bench_steady(args.rows, 2000 if args.warm is None else args.warm, args.concurrency,
                     args.rounds)
    if "rss" in args.what:
        bench_rss(args.rss_rows, args.concurrency)
    return 0


if __name__ == "__main__":
    sys.exit(main())
