"""Test machinery of the poller: virtual time, a scripted client, and a tiny ASGI VICIdial.

* ``vrun(coro)`` runs a coroutine on an event loop whose clock jumps to the next timer when idle.
  Every sleep, timeout and token bucket (it reads ``loop.time()`` through anyio) then runs in virtual
  seconds, so cadence and backoff are checked by counting calls over N virtual seconds, exactly
  and without wall-clock timing. Only in-process I/O is allowed (no sockets).
* ``scripted``: a client class answering by name after a scripted latency, or failing on demand.
* ``tiny``: an in-process ASGI app answering the stats functions, and a factory of real
  ``VicidialClient`` objects wired to it.
"""

from __future__ import annotations

import asyncio
import selectors
from collections.abc import Callable, Coroutine
from typing import Any, TypeVar

import pytest

from vicidial_async.protocol.registry import REGISTRY
from vicidial_async.protocol.tables import Table

T = TypeVar("T")


class _VirtualSelector:
    """Wraps the loop's selector: a select() that would block advances the clock instead."""

    def __init__(self, real: selectors.BaseSelector, loop: VirtualTimeLoop) -> None:
        self._real = real
        self._loop = loop

    def select(self, timeout: float | None = None) -> list[tuple[selectors.SelectorKey, int]]:
        events = self._real.select(0)
        if events:
            return events
        if timeout is None:
            raise RuntimeError("virtual time: nothing scheduled and nothing ready (deadlock)")
        self._loop.advance(timeout)
        return []

    def __getattr__(self, name: str) -> Any:
        return getattr(self._real, name)


class VirtualTimeLoop(asyncio.SelectorEventLoop):
    """An event loop whose ``time()`` is virtual and skips ahead whenever all tasks wait."""

    def __init__(self) -> None:
        super().__init__()
        self._virtual_now = 0.0
        self._selector = _VirtualSelector(self._selector, self)  # type: ignore[has-type,assignment]

    def time(self) -> float:
        return self._virtual_now

    def advance(self, seconds: float) -> None:
        if seconds > 0:
            self._virtual_now += seconds


def run_virtual(coro: Coroutine[Any, Any, T]) -> T:
    """Run ``coro`` to completion in virtual time."""
    loop = VirtualTimeLoop()
    try:
        return loop.run_until_complete(coro)
    finally:
        loop.run_until_complete(loop.shutdown_asyncgens())
        loop.close()


@pytest.fixture(scope="session")
def vrun() -> Callable[[Coroutine[Any, Any, T]], T]:
    """``vrun(coro)`` runs a coroutine in virtual time (use from a plain, non-async test)."""
    return run_virtual


# -- a scripted client ------------------------------------------------------------------------

Failure = Callable[[str, float], BaseException | None]


class ScriptedClient:
    """Answers every function with a one-row table after ``latency`` virtual seconds.

    ``failure(function, now)`` may return an exception to raise instead (after the latency).
    Records every call's start time and tracks how many calls of a function overlap.
    """

    def __init__(self, host: str, *, latency: float | dict[str, float] = 0.05,
                 failure: Failure | None = None) -> None:
        self.host = host
        self.latency = latency
        self.failure = failure
        self.calls: list[tuple[float, str, dict[str, Any]]] = []
        self.in_flight: dict[str, int] = {}
        self.max_in_flight: dict[str, int] = {}
        self.max_concurrent = 0
        self._concurrent = 0
        self.cancelled = 0

    def starts(self, function: str) -> list[float]:
        return [t for t, f, _ in self.calls if f == function]

    async def call(self, function: str, /, **params: Any) -> Any:
        loop = asyncio.get_running_loop()
        now = loop.time()
        self.calls.append((now, function, params))
        self.in_flight[function] = self.in_flight.get(function, 0) + 1
        self.max_in_flight[function] = max(self.max_in_flight.get(function, 0),
                                           self.in_flight[function])
        self._concurrent += 1
        self.max_concurrent = max(self.max_concurrent, self._concurrent)
        try:
            latency = (self.latency.get(function, 0.05) if isinstance(self.latency, dict)
                       else self.latency)
            await asyncio.sleep(latency)
            exc = self.failure(function, now) if self.failure else None
            if exc is not None:
                raise exc
            spec = REGISTRY["non_agent", function]
            row = tuple(str(len(self.calls)) for _ in spec.response.columns)
            return Table(function, spec.response.columns, (row,))
        except asyncio.CancelledError:
            self.cancelled += 1
            raise
        finally:
            self.in_flight[function] -= 1
            self._concurrent -= 1


@pytest.fixture
def scripted() -> type[ScriptedClient]:
    """The ScriptedClient class: ``scripted("east", latency=..., failure=...)``."""
    return ScriptedClient


# -- a tiny ASGI VICIdial (in-process, works in virtual time) -----------------------------------

PASSWORD = "s3cretPass1"

ANSWERS = {   # rows, pipe-joined; rendered with the stage and header asked for
    "logged_in_agents": (
        "agent001|SALES1|8600051|PAUSED|2010|Y1128180000000002010|3|Agent One|AGENTS|1\n"
        "agent002|SALES1|8600052|INCALL|2011|M1128180002000000001|5|Agent Two|AGENTS|1\n"
        "agent003|SALES1|8600053|READY|0||2|Agent Three|AGENTS|1\n"
        "agent004|TESTCAMP|8600054|READY|0||0|Agent Four|AGENTS|1\n"),
    "campaigns_list": (
        "SALES1|Sales Campaign|Y|---ALL---|RATIO|2.5|DOWN|NEW CALLBK|60|9||\n"
        "TESTCAMP|Test Campaign|Y|---ALL---|MANUAL|0|DOWN|NEW|60|9||\n"
        "OLDCAMP|Old Campaign|N|---ALL---|RATIO|1.0|DOWN|NEW|60|9||\n"),
    "in_group_status": "SALESIN|7|4|2|1|1|0|0|0\n",
    "user_group_status": "AGENTS|9|4|1|2|1|0|0|0\n",
}


def render_table(function: str, rows: str, form: dict[str, str]) -> str:
    """``rows`` as the server prints them for the ``stage`` and ``header`` of the request."""
    delim = {"csv": ",", "tab": "\t"}.get(form.get("stage", ""), "|")
    columns = list(REGISTRY["non_agent", function].response.columns)
    if function == "logged_in_agents" and form.get("show_sub_status") != "YES":
        columns = columns[:10]
    lines = [line.split("|") for line in rows.splitlines()]
    if form.get("header") == "YES":
        lines.insert(0, columns)
    return "".join(delim.join(cells) + "\n" for cells in lines)


class TinyVicidial:
    """Answers the stats functions with fixed bodies; scripted latency, HTTP status and login.

    Only the function names of requests are recorded (never the form, which holds the password).
    """

    def __init__(self, password: str = PASSWORD) -> None:
        self.password = password
        self.latency = 0.0
        self.http_status = 200
        self.answers = dict(ANSWERS)
        self.functions: list[str] = []

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        import urllib.parse

        if scope["type"] != "http":
            return
        body = b""
        more = True
        while more:
            msg = await receive()
            body += msg.get("body", b"")
            more = msg.get("more_body", False)
        form = dict(urllib.parse.parse_qsl(body.decode()))
        self.functions.append(form.get("function", ""))
        if self.latency:
            await asyncio.sleep(self.latency)
        status = 200
        if form.get("pass") != self.password:
            # What VICIdial does: echo the submitted password.
            text = f"ERROR: Login incorrect, please try again: |{form.get('user')}|{form.get('pass')}|BAD|\n"
        elif self.http_status != 200:
            status, text = self.http_status, ""
        else:
            fn = form.get("function", "")
            text = self.answers.get(fn, "")
            if text and not text.startswith("ERROR"):
                text = render_table(fn, text, form)
        payload = text.encode()
        await send({"type": "http.response.start", "status": status,
                    "headers": [(b"content-type", b"text/html; charset=utf-8"),
                                (b"content-length", str(len(payload)).encode())]})
        await send({"type": "http.response.body", "body": payload})


def tiny_client(app: TinyVicidial, host: str = "east.test", password: str = PASSWORD, **kw: Any) -> Any:
    """A real VicidialClient wired in-process to ``app``."""
    import httpx

    from vicidial_async import VicidialClient

    http = httpx.AsyncClient(transport=httpx.ASGITransport(app=app))
    return VicidialClient(f"http://{host}", "apiuser", password, http_client=http,
                          allow_insecure_http=True, **kw)


@pytest.fixture
def tiny() -> Any:
    """``(TinyVicidial, tiny_client)``: the app class and a client factory."""
    return TinyVicidial, tiny_client
