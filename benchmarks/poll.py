"""Client CPU per poll cycle of ``StatsPoller``: 100 servers x 3 functions (issue 7).

Three measurements, each reported as client CPU seconds per cycle (``time.process_time`` of this
process only; the servers run in another process or are stubbed):

* ``scheduler``: the poller with clients that answer instantly with a prebuilt value; what the
  scheduling, snapshots and bookkeeping cost (virtual time, so no waiting).
* ``client``: real ``VicidialClient`` objects whose backend returns canned bodies without HTTP;
  adds form building, validation, rate limiting and decoding (virtual time).
* ``http``: real clients over real HTTP to a server in a separate process (wall-clock time, every
  2 s); what a wallboard of 100 servers costs on the machine running it. Beside it, raw aiohttp
  requests for the same answer bodies (the typed methods ask for ``stage=tab`` with a header row),
  through one session of 3 connections per server with the poller's keep-alive:

  - GETs on the poller's schedule (each function on its own grid, the server's random phase, a
    jitter of 10% per tick): the like-for-like baseline of the target;
  - the same GETs with the connect and read timeouts the library sets (aiohttp's default is one
    total timeout; a read timeout costs a timer armed, moved and cancelled per request, and the
    cancelled timers stay in the event loop's heap for a while): what the timeouts cost;
  - GETs of a server's three functions together (one wake-up for three requests), the earlier
    baseline; the difference to the first line is what the schedule itself costs;
  - form POSTs of the library's body on the poller's schedule: what a POST costs aiohttp over a GET
    (on Python < 3.12 aiohttp writes a request body from a task of its own);
  - the library's aiohttp backend alone (no ``VicidialClient``, no poller) sending that form on the
    same schedule: splits the poller's cost into the transport's and what the client and the
    poller add (checks, decoding, typed rows, scheduling, and the memory they touch per poll).

  The http modes run in alternating rounds (``--rounds``); each line is the median over the rounds,
  each ratio the median of the per-round ratios. The load average is printed before and after.
  The server's answers change from one poll to the next (one agent's ``calls_today``, the
  in-group's calls waiting), since the poller reuses the rows that come back unchanged;
  ``--fixed-answers`` serves the same bodies every time (the reuse's best case).

Usage: ``python benchmarks/poll.py [--servers 100] [--cycles 20] [--rounds 3] [--skip-http]
[--fixed-answers]``
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import gc
import itertools
import os
import random
import selectors
import socket
import statistics
import subprocess
import sys
import time
import urllib.parse
from collections.abc import Callable, Coroutine, Iterator, Mapping
from typing import Any, Literal, TypeVar

from vicidial_async import RateLimit, Timeouts, VicidialClient
from vicidial_async.poll import Poll, Source, StatsPoller
from vicidial_async.protocol.registry import REGISTRY
from vicidial_async.protocol.tables import Table
from vicidial_async.transport.aiohttp_backend import AiohttpBackend
from vicidial_async.transport.backend import RawResponse

PASSWORD = "benchPass123"
FUNCTIONS: list[str | Poll] = [
    "logged_in_agents", "campaigns_list",
    Poll("in_group_status", {"in_groups": ["SALESIN"]}, key="in_group_status:SALESIN")]

# 25 agents, 4 campaigns, one in-group: a mid-sized floor per server.
_STATES = ("READY", "INCALL", "PAUSED", "INCALL", "QUEUE")
ANSWERS = {
    "logged_in_agents": "".join(
        f"agent{i:03d}|CAMP{i % 4}|86000{i:02d}|{_STATES[i % 5]}|{2000 + i}|"
        f"M11281800020000{i:05d}|{i % 9}|Agent Number {i}|AGENTS|1\n" for i in range(25)),
    "campaigns_list": "".join(
        f"CAMP{i}|Campaign {i}|Y|---ALL---|RATIO|2.5|DOWN|NEW CALLBK|60|9||\n" for i in range(4)),
    "in_group_status": "SALESIN|7|4|2|1|1|0|0|0\n",
}


# What the typed methods (``vd.stats.logged_in_agents()`` ...) ask for unless told otherwise.
TYPED_FORM = {"stage": "tab", "header": "YES"}
JITTER = 0.1  # the poller's default

_BODIES: dict[tuple[str, str, str], str] = {}


def answer(form: Mapping[str, str]) -> str:
    """The body a server prints for ``form``: rows in the asked delimiter, header row if asked."""
    function, stage, header = form.get("function", ""), form.get("stage", ""), form.get("header", "")
    key = (function, stage, header)
    body = _BODIES.get(key)
    if body is None:
        delim = {"csv": ",", "tab": "\t"}.get(stage, "|")
        rows = [line.split("|") for line in ANSWERS[function].splitlines()]
        if header == "YES":
            columns = list(REGISTRY["non_agent", function].response.columns)
            rows.insert(0, columns[:len(rows[0])])
        body = _BODIES[key] = "".join(delim.join(r) + "\n" for r in rows)
    return body


# What changes from one answer to the next when answers change (the default of the http modes):
# one agent's calls_today and the in-group's calls waiting, as on a busy floor, so the answers a
# poller sees are not all the same text (a decoder that recognised repeated answers would
# otherwise measure its best case). ``--fixed-answers`` serves the same body every time.
_CHANGING = {"logged_in_agents": "calls_today", "in_group_status": "calls_waiting"}
_served = itertools.count(1)


def changing_answer(form: Mapping[str, str], n: int | None = None) -> str:
    """``answer(form)`` with one row's changing column set to a number that grows per answer
    (from 101: never the value it replaces); ``n``: the answer's number (default: the next)."""
    body = answer(form)
    column = _CHANGING.get(form.get("function", ""))
    if column is None:
        return body
    if n is None:
        n = next(_served)
    delim = {"csv": ",", "tab": "\t"}.get(form.get("stage", ""), "|")
    lines = body.split("\n")
    first = 1 if form.get("header") == "YES" else 0
    i = first + n % (len(lines) - 1 - first)
    fields = lines[i].split(delim)
    fields[list(REGISTRY["non_agent", form["function"]].response.columns).index(column)] = str(100 + n)
    lines[i] = delim.join(fields)
    return "\n".join(lines)


# -- virtual time (scheduler and client modes) ---------------------------------------------------


class _VirtualSelector:
    def __init__(self, real: selectors.BaseSelector, loop: _VirtualLoop) -> None:
        self._real, self._loop = real, loop

    def select(self, timeout: float | None = None) -> list[tuple[selectors.SelectorKey, int]]:
        events = self._real.select(0)
        if not events and timeout:
            self._loop.now += timeout
        return events

    def __getattr__(self, name: str) -> Any:
        return getattr(self._real, name)


class _VirtualLoop(asyncio.SelectorEventLoop):
    """Timers fire at once when nothing else is ready: CPU is all that is left to measure."""

    def __init__(self) -> None:
        real = selectors.DefaultSelector()  # what the loop makes when given none
        super().__init__(real)
        self.now = 0.0
        self._selector = _VirtualSelector(real, self)

    def time(self) -> float:
        return self.now


_T = TypeVar("_T")


def run_virtual(coro: Coroutine[Any, Any, _T]) -> _T:
    loop = _VirtualLoop()
    try:
        return loop.run_until_complete(coro)
    finally:
        loop.close()


class InstantClient:
    """Answers every call at once with a prebuilt table (measures the poller alone)."""

    def __init__(self, host: str) -> None:
        self.host = host
        self._tables = {fn: Table(fn, REGISTRY["non_agent", fn].response.columns,
                                  tuple(tuple(line.split("|")) for line in body.splitlines()))
                        for fn, body in ANSWERS.items()}

    async def call(self, function: str, /, **params: Any) -> Table:
        return self._tables[function]


_MADE: dict[tuple[str, ...], str] = {}


class CannedBackend:
    """A transport backend that answers from memory (no sockets), changing answers unless
    ``--fixed-answers`` (64 of them per question, made once: making them is not the client's CPU)."""

    async def post(self, url: str, form: Mapping[str, str], *, read_timeout: float) -> RawResponse:
        if not CHANGING_ANSWERS:
            return RawResponse(200, {}, answer(form))
        key = (*form.values(), str(next(_served) % 64))
        body = _MADE.get(key)
        if body is None:
            body = _MADE[key] = changing_answer(form, 100 + int(key[-1]))
        return RawResponse(200, {}, body)

    async def aclose(self) -> None:
        pass


class _GcMeter:
    """CPU seconds the garbage collector took while ``on`` (a ``gc.callbacks`` hook)."""

    def __init__(self) -> None:
        self.on = False
        self.seconds = 0.0
        self._t0 = 0.0
        gc.callbacks.append(self._hook)

    def start(self) -> None:
        self.on, self.seconds = True, 0.0

    def _hook(self, phase: str, info: dict[str, Any]) -> None:
        if phase == "start":
            self._t0 = time.process_time()
        elif self.on:
            self.seconds += time.process_time() - self._t0


GC = _GcMeter()


async def _measure(sources: list[Source], cycles: int, every: float,
                   jitter: float = JITTER) -> tuple[float, int]:
    """CPU seconds and completed polls over ``cycles`` cycles (after three warm-up cycles)."""

    def polls_so_far() -> int:
        return sum(r.polls for src in poller.snapshot() for r in src)

    poller = StatsPoller(sources, every=every, jitter=jitter)
    async with poller:
        await asyncio.sleep(every * 3)          # warm up: spread phases, fill pools and caches
        polls0 = polls_so_far()
        cpu0 = time.process_time()
        GC.start()
        await asyncio.sleep(every * cycles)
        cpu = time.process_time() - cpu0
        GC.on = False
        polls = polls_so_far() - polls0
        final = poller.snapshot()
    # A benchmark of failing polls would measure the wrong thing: check every answer decoded.
    bad = [r for src in final for r in src if r.errors or r.value is None]
    agents = {len(src.value("logged_in_agents", ())) for src in final}
    if bad or agents != {25}:
        raise SystemExit(f"benchmark polls failed: {bad[:1]} agents={agents}")
    return cpu, polls


def bench_scheduler(servers: int, cycles: int) -> tuple[float, int]:
    sources = [Source(InstantClient(f"s{i}.test"), FUNCTIONS) for i in range(servers)]
    return run_virtual(_measure(sources, cycles, 2.0))


def bench_client(servers: int, cycles: int) -> tuple[float, int]:
    async def go() -> tuple[float, int]:
        clients = [VicidialClient(f"https://s{i}.test", "apiuser", PASSWORD, backend=CannedBackend())
                   for i in range(servers)]
        try:
            return await _measure([Source(c, FUNCTIONS) for c in clients], cycles, 2.0)
        finally:
            for c in clients:
                await c.aclose()

    return run_virtual(go())


# -- real HTTP to a server process -----------------------------------------------------------------


async def _app(scope: dict[str, Any], receive: Any, send: Any) -> None:
    """The server side of the http mode: canned answers, login checked."""
    if scope["type"] != "http":
        return
    body = b""
    while True:
        msg = await receive()
        body += msg.get("body", b"")
        if not msg.get("more_body"):
            break
    form = dict(urllib.parse.parse_qsl(body.decode()))
    if scope["path"].startswith("/raw/"):  # the raw aiohttp GETs: the same bodies, no login
        form = {"function": scope["path"][5:], "pass": PASSWORD, **TYPED_FORM}
    text = ((changing_answer(form) if CHANGING_ANSWERS else answer(form))
            if form.get("pass") == PASSWORD
            else "ERROR: Login incorrect, please try again: |x|***|BAD|\n")
    payload = text.encode()
    await send({"type": "http.response.start", "status": 200,
                "headers": [(b"content-type", b"text/html"),
                            (b"content-length", str(len(payload)).encode())]})
    await send({"type": "http.response.body", "body": payload})


CHANGING_ANSWERS = True


def serve(port: int, changing: bool = True) -> None:
    import uvicorn

    global CHANGING_ANSWERS
    CHANGING_ANSWERS = changing

    uvicorn.run(_app, host="127.0.0.1", port=port, log_level="error", access_log=False,
                backlog=1024)


@contextlib.contextmanager
def server_process(changing: bool = True) -> Iterator[str]:
    """A plain ASGI server in a child process (its CPU is not ours); ``changing``: see
    ``changing_answer``."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = subprocess.Popen([sys.executable, __file__, "--serve", str(port),
                             *([] if changing else ["--fixed-answers"])])
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                if time.monotonic() > deadline or proc.poll() is not None:
                    raise RuntimeError("the benchmark server did not start") from None
                time.sleep(0.05)
        yield f"http://127.0.0.1:{port}"
    finally:
        proc.terminate()
        proc.wait(10)


def bench_http(servers: int, cycles: int, every: float,
               backend: Literal["httpx", "aiohttp"] = "httpx",
               url: str | None = None, jitter: float = JITTER) -> tuple[float, int]:
    """Real clients over real HTTP (``backend``) to the server process at ``url``."""
    if url is None:
        with server_process() as url:
            return bench_http(servers, cycles, every, backend, url, jitter)

    async def go() -> tuple[float, int]:
        clients = [VicidialClient(url, "apiuser", PASSWORD, max_connections=3,
                                  rate_limit=RateLimit(per_second=10, burst=10), backend=backend)
                   for _ in range(servers)]
        try:
            sources = [Source(c, FUNCTIONS, name=f"server{i}")
                       for i, c in enumerate(clients)]
            return await _measure(sources, cycles, every, jitter)
        finally:
            for c in clients:
                await c.aclose()

    return asyncio.run(go())


def bench_raw_aiohttp(servers: int, cycles: int, every: float, url: str, *,
                      schedule: str = "poller", method: str = "GET",
                      timeouts: bool = False) -> tuple[float, int]:
    """The same answers fetched by plain aiohttp requests, no decoding.

    One session of 3 connections per server (the poller's pool and keep-alive). ``schedule``:
    ``"poller"`` runs each function on its own tick grid as the poller does (random phase per
    server, up to ``JITTER`` of ``every`` late per tick, a tick still running is skipped);
    ``"grouped"`` requests a server's functions together every ``every`` seconds. ``method``:
    ``"GET"`` of ``/raw/<function>``, ``"POST"`` of the form the library sends, or
    ``"backend"``: that form through the library's aiohttp backend (one per server, the poller's
    pool), without the client above it: what the library's transport costs a poll.
    ``timeouts``: the connect and read timeouts the library's clients set (aiohttp then arms,
    moves and cancels a read timer for every request), instead of aiohttp's default total one.
    """
    import aiohttp

    names = [f if isinstance(f, str) else f.function for f in FUNCTIONS]
    params = {f.function: {k: ",".join(v) for k, v in f.params.items()}
              for f in FUNCTIONS if isinstance(f, Poll)}
    headers = {"Content-Type": "application/x-www-form-urlencoded"}
    forms = {n: {"source": "vicidialasync", "user": "apiuser", "pass": PASSWORD, "function": n,
                 **params.get(n, {}), **TYPED_FORM} for n in names}
    bodies = {n: urllib.parse.urlencode(form).encode() for n, form in forms.items()}
    rng = random.Random(7)
    t = Timeouts()
    read = {name: t.report_read if spec.is_report else t.read
            for (_, name), spec in REGISTRY.items() if name in names}
    by_name = {name: aiohttp.ClientTimeout(total=None, connect=t.connect, sock_connect=t.connect,
                                           sock_read=read[name])
               for name in names if timeouts}

    async def go() -> tuple[float, int]:
        sessions = [aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=3, keepalive_timeout=5.0))
                    for _ in range(servers)]
        done = [0]
        backends = ({id(s): AiohttpBackend(max_connections=3) for s in sessions}
                    if method == "backend" else {})

        async def fetch(session: aiohttp.ClientSession, name: str) -> None:
            if method == "backend":
                raw = await backends[id(session)].post(f"{url}/vicidial/non_agent_api.php",
                                                       forms[name], read_timeout=read[name])
                if raw.body.count("\n") < 2:
                    raise SystemExit("backend request failed")
                done[0] += 1
                return
            if method == "GET":
                ctx = session.get(f"{url}/raw/{name}", timeout=by_name.get(name, session.timeout))
            else:
                ctx = session.post(f"{url}/vicidial/non_agent_api.php", data=bodies[name],
                                   headers=headers, timeout=by_name.get(name, session.timeout))
            async with ctx as resp:
                if (await resp.text()).count("\n") < 2:
                    raise SystemExit("raw request failed")
                done[0] += 1

        async def grouped(session: aiohttp.ClientSession, phase: float, stop: float) -> None:
            await asyncio.sleep(phase)  # spread the servers over the cycle, as the poller does
            while time.monotonic() < stop:
                tick = time.monotonic()
                await asyncio.gather(*(fetch(session, n) for n in names))
                await asyncio.sleep(max(0.0, every - (time.monotonic() - tick)))

        async def ticking(session: aiohttp.ClientSession, name: str, anchor: float,
                          stop: float) -> None:
            slot = 0
            while True:
                due = anchor + slot * every + rng.random() * JITTER * every
                if due >= stop:
                    return
                await asyncio.sleep(max(0.0, due - time.monotonic()))
                await fetch(session, name)
                slot = max(slot + 1, int((time.monotonic() - anchor) // every) + 1)

        try:
            start = time.monotonic()
            warm = start + every * 3
            stop = warm + every * cycles
            if schedule == "grouped":
                tasks = [asyncio.create_task(grouped(s, every * i / servers, stop))
                         for i, s in enumerate(sessions)]
            else:
                anchors = [start + rng.random() * every for _ in sessions]
                tasks = [asyncio.create_task(ticking(s, n, a, stop))
                         for s, a in zip(sessions, anchors, strict=True) for n in names]
            await asyncio.sleep(warm - time.monotonic())
            polls0, cpu0 = done[0], time.process_time()
            GC.start()
            await asyncio.sleep(stop - time.monotonic())
            cpu, polls = time.process_time() - cpu0, done[0] - polls0
            GC.on = False
            await asyncio.gather(*tasks)
            return cpu, polls
        finally:
            for s in sessions:
                await s.close()
            for b in backends.values():
                await b.aclose()

    return asyncio.run(go())


def _load() -> str:
    return "load average " + " ".join(f"{x:.2f}" for x in os.getloadavg())


HTTP_MODES: dict[str, Callable[[argparse.Namespace, str], tuple[float, int]]] = {
    "poller, httpx backend": lambda a, url: bench_http(a.servers, a.cycles, a.every, "httpx", url),
    "poller, aiohttp backend": lambda a, url: bench_http(a.servers, a.cycles, a.every, "aiohttp", url),
    "poller, aiohttp backend, jitter=0": lambda a, url: bench_http(
        a.servers, a.cycles, a.every, "aiohttp", url, jitter=0.0),
    "raw aiohttp GETs, poller's schedule": lambda a, url: bench_raw_aiohttp(
        a.servers, a.cycles, a.every, url),
    "raw aiohttp GETs, poller's schedule, library's timeouts": lambda a, url: bench_raw_aiohttp(
        a.servers, a.cycles, a.every, url, timeouts=True),
    "raw aiohttp GETs, grouped per server": lambda a, url: bench_raw_aiohttp(
        a.servers, a.cycles, a.every, url, schedule="grouped"),
    "raw aiohttp form POSTs, poller's schedule": lambda a, url: bench_raw_aiohttp(
        a.servers, a.cycles, a.every, url, method="POST"),
    "aiohttp backend alone (no client), poller's schedule": lambda a, url: bench_raw_aiohttp(
        a.servers, a.cycles, a.every, url, method="backend"),
}


def bench_http_modes(args: argparse.Namespace) -> None:
    """Every http mode once per round, in turn; medians over the rounds, ratios per round."""
    print(f"http modes, {args.rounds} alternating rounds of {args.cycles} cycles every "
          f"{args.every:g} s, {'the same answers' if args.fixed_answers else 'changing answers'}; "
          f"{_load()}")
    per_poll: dict[str, list[float]] = {label: [] for label in HTTP_MODES}
    gc_per_poll: dict[str, list[float]] = {label: [] for label in HTTP_MODES}
    with server_process(changing=not args.fixed_answers) as url:
        for n in range(args.rounds):
            for label, run in HTTP_MODES.items():
                cpu, polls = run(args, url)
                per_poll[label].append(cpu / polls * 1e6)
                gc_per_poll[label].append(GC.seconds / polls * 1e6)
            print(f"  round {n + 1}: " + ", ".join(f"{v[-1]:.0f}" for v in per_poll.values())
                  + f" us/poll; {_load()}", flush=True)
    for label, values in per_poll.items():
        print(f"{label:58s} {statistics.median(values):7.0f} us/poll (median of {len(values)}; "
              f"garbage collector {statistics.median(gc_per_poll[label]):.0f})")

    def ratio(a: str, b: str) -> float:
        return statistics.median(x / y for x, y in zip(per_poll[a], per_poll[b], strict=True))

    for base in ("raw aiohttp GETs, poller's schedule",
                 "raw aiohttp GETs, poller's schedule, library's timeouts",
                 "raw aiohttp GETs, grouped per server",
                 "raw aiohttp form POSTs, poller's schedule"):
        print(f"poller CPU per poll / {base}: aiohttp backend "
              f"{ratio('poller, aiohttp backend', base):.2f}x, httpx backend "
              f"{ratio('poller, httpx backend', base):.2f}x")
    alone, get = ("aiohttp backend alone (no client), poller's schedule",
                  "raw aiohttp GETs, poller's schedule")
    print(f"aiohttp backend alone / raw aiohttp GETs, poller's schedule: "
          f"{ratio(alone, get):.2f}x; poller / "
          f"backend alone: {ratio('poller, aiohttp backend', alone):.2f}x (what the client and "
          f"the poller add)")
    together = ratio("poller, aiohttp backend, jitter=0", "raw aiohttp GETs, grouped per server")
    print(f"poller with jitter=0 (a source's functions polled together) / raw aiohttp GETs grouped "
          f"per server: {together:.2f}x")
    print("target: aiohttp backend <= 1.5x a raw aiohttp GET of the same answer (like for like: "
          f"on the poller's schedule); {_load()}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--servers", type=int, default=100)
    parser.add_argument("--cycles", type=int, default=20)
    parser.add_argument("--every", type=float, default=2.0, help="cadence of the http mode")
    parser.add_argument("--rounds", type=int, default=3, help="alternating rounds of the http modes")
    parser.add_argument("--skip-http", action="store_true")
    parser.add_argument("--fixed-answers", action="store_true",
                        help="serve the same body for every poll (default: one row changes per answer)")
    parser.add_argument("--serve", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.serve:
        serve(args.serve, changing=not args.fixed_answers)
        return 0
    global CHANGING_ANSWERS
    CHANGING_ANSWERS = not args.fixed_answers
    per_cycle_polls = args.servers * len(FUNCTIONS)
    print(f"{args.servers} servers x {len(FUNCTIONS)} functions = {per_cycle_polls} polls per cycle; "
          f"python {sys.version.split()[0]}, {os.cpu_count()} CPUs")
    rows = [("scheduler (instant clients, virtual time)", *bench_scheduler(args.servers, args.cycles)),
            ("client (VicidialClient, canned backend, virtual time)",
             *bench_client(args.servers, args.cycles))]
    for label, cpu, polls in rows:
        per_cycle = cpu / args.cycles
        per_poll = cpu / polls * 1e6 if polls else float("nan")
        print(f"{label:58s} {per_cycle * 1e3:8.1f} ms CPU/cycle  {per_poll:7.0f} us/poll  "
              f"({polls} polls in {args.cycles} cycles; {per_cycle / 2.0:.1%} of a core at every=2 s)")
    if not args.skip_http:
        bench_http_modes(args)
    return 0


if __name__ == "__main__":
    sys.exit(main())
