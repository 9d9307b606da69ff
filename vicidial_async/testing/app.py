"""``FakeVicidial``: the ASGI application that answers both VICIdial APIs from in-memory state.

>>> fake = FakeVicidial()
>>> async def demo() -> None:                                         # doctest: +SKIP
...     async with fake.client() as vd:
...         added = await vd.leads.add_lead(phone_number="3125551212", list_id=101)
...     assert fake.leads[added.lead_id].phone_number == "3125551212"

Routes: ``/vicidial/non_agent_api.php`` and ``/agc/api.php`` (GET or form POST; the query string
wins), plus the control routes ``GET /_fake/state``, ``POST /_fake/faults`` (JSON fault specs),
``DELETE /_fake/faults``, ``POST /_fake/seed`` (JSON: users, leads, lists, campaigns, agents),
``POST /_fake/agent`` (drive an agent: login, call, hangup, logout) and ``POST /_fake/clock``.
"""

from __future__ import annotations

import contextlib
import json
import socket
import struct
from collections.abc import Awaitable, Callable, Iterable, Mapping, MutableMapping
from typing import TYPE_CHECKING, Any

import anyio
import httpx

from ..protocol.registry import REGISTRY
from . import filters as f
from .core import (
    HANDLERS,
    Call,
    Reply,
    function_denied,
    load_handlers,
    login_agent,
    login_non_agent,
    source_error,
)
from .faults import Fault, Faults
from .records import Callback, Campaign, HopperEntry, Lead, LeadList, LiveAgent, User
from .state import State
from .webhook_firing import fire_pending, send_synchronous, spawn_pending
from .wire import Request, Template, common_line

if TYPE_CHECKING:
    from ..client import VicidialClient

__all__ = ["FakeVicidial", "FakeConnectionReset", "not_emulated"]

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]

NON_AGENT_PATH = "/vicidial/non_agent_api.php"
AGENT_PATH = "/agc/api.php"
_COFFEE = frozenset({"coffee", "start_coffee", "make_coffee", "brew_coffee"})
# Functions that skip the non-agent source check (reference: "source is not checked/required").
_NO_SOURCE = frozenset(
    {"sounds_list", "moh_list", "vm_list", "container_list", "call_status_stats", "call_dispo_report"}
)
_HEADERS = [
    (b"content-type", b"text/html; charset=utf-8"),
    (b"cache-control", b"no-cache, must-revalidate"),
    (b"pragma", b"no-cache"),
]
_NO_FUNCTION = "ERROR: NO FUNCTION SPECIFIED\n"
_CLOSE_LINK = "\n<a href=\"javascript:window.opener='x';window.close();\">Close This Window</a>\n"
_AG_DISABLED = common_line("agent", "System API NOT ACTIVE")
_HTML_ERROR = (
    '<!DOCTYPE HTML PUBLIC "-//IETF//DTD HTML 2.0//EN">\n<html><head>\n'
    "<title>{status} {reason}</title>\n</head><body>\n<h1>{reason}</h1>\n"
    "<p>The server encountered an internal error or misconfiguration and was unable to "
    "complete your request.</p>\n<hr>\n<address>Apache/2.4.57 (Unix) Server at fake "
    "Port 80</address>\n</body></html>\n"
)
_REASONS = {
    500: "Internal Server Error",
    502: "Bad Gateway",
    503: "Service Unavailable",
    504: "Gateway Timeout",
}


class FakeConnectionReset(httpx.ReadError):
    """Raised in-process (ASGITransport) where a real server would reset the connection.

    It is an ``httpx.ReadError``, so a client sees exactly what a reset socket gives it.
    """


def not_emulated(api: str, function: str) -> Reply:
    """The answer for a reference function the fake has no handler for: HTTP 501, said plainly,
    so a test never mistakes a made-up answer for the emulation of a function."""
    return Reply(f"ERROR: {function} IS NOT EMULATED BY THE FAKE SERVER - {api}\n", 501)


class FakeVicidial:
    """An in-memory VICIdial speaking both HTTP APIs, as an ASGI application.

    Seeded like a fresh install: API user ``6666``/``1234`` (level 9, every function), campaign
    ``TESTCAMP`` with list ``101`` (and its manual-dial list ``998``). Add more with the ``seed_*``
    arguments (records or mappings of their fields) or later with :meth:`seed`.

    Args:
        clock: POSIX-seconds clock (e.g. :class:`VirtualClock`) for entry dates, lock-outs, N-DAY
            duplicate windows and agent timers. Defaults to ``time.time``.
        seed_users, seed_agents, seed_leads, seed_lists, seed_campaigns: extra records; an int for
            ``seed_leads`` adds that many generated leads to list 101.
        gmt_offset: hours from UTC of the server's local time (dates it prints).
        sleep: how latency faults wait (defaults to ``anyio.sleep``).
        fault_seed: seed of the random draws of fault rates and latency distributions.
    """

    def __init__(
        self,
        *,
        clock: Callable[[], float] | None = None,
        seed_users: Iterable[User | Mapping[str, Any]] = (),
        seed_agents: Iterable[str | LiveAgent | Mapping[str, Any]] = (),
        seed_leads: Iterable[Lead | Mapping[str, Any]] | int = (),
        seed_lists: Iterable[LeadList | Mapping[str, Any]] = (),
        seed_campaigns: Iterable[Campaign | Mapping[str, Any]] = (),
        gmt_offset: float = 0.0,
        sleep: Callable[[float], Awaitable[None]] | None = None,
        fault_seed: int | None = 0,
    ) -> None:
        load_handlers()
        self.state = State(clock=clock, gmt_offset=gmt_offset)
        self.state.seed_defaults()
        self.faults = Faults(seed=fault_seed)
        self._sleep = sleep or anyio.sleep
        self.requests = 0
        """API requests answered (control routes not counted)."""
        self.seed(
            users=seed_users, campaigns=seed_campaigns, lists=seed_lists, leads=seed_leads, agents=seed_agents
        )

    # -- state, as tests see it ---------------------------------------------------------------

    @property
    def clock(self) -> Callable[[], float]:
        """The clock the fake reads (POSIX seconds)."""
        return self.state.clock

    @property
    def leads(self) -> dict[int, Lead]:
        """Leads by lead_id (vicidial_list)."""
        return self.state.leads

    @property
    def archived_leads(self) -> dict[int, Lead]:
        """Leads in vicidial_list_archive, by lead_id."""
        return self.state.archived_leads

    @property
    def lists(self) -> dict[int, LeadList]:
        """Lists by list_id."""
        return self.state.lists

    @property
    def campaigns(self) -> dict[str, Campaign]:
        """Campaigns by campaign_id."""
        return self.state.campaigns

    @property
    def users(self) -> dict[str, User]:
        """Users by user ID (the API users and the agents)."""
        return self.state.users

    @property
    def dnc(self) -> dict[str, set[str]]:
        """DNC numbers by list key: ``SYSTEM_INTERNAL`` or a campaign id."""
        return self.state.dnc

    @property
    def agents(self) -> dict[str, LiveAgent]:
        """Live agent sessions by user."""
        return self.state.agents

    @property
    def hopper(self) -> dict[int, HopperEntry]:
        """Hopper rows by lead_id."""
        return self.state.hopper

    @property
    def callbacks(self) -> dict[int, Callback]:
        """Scheduled callbacks by callback_id (archived ones are in ``state.archived_callbacks``)."""
        return self.state.callbacks

    def seed(
        self,
        *,
        users: Iterable[Any] = (),
        campaigns: Iterable[Any] = (),
        lists: Iterable[Any] = (),
        leads: Iterable[Any] | int = (),
        agents: Iterable[Any] = (),
    ) -> None:
        """Add records (mappings of their fields, or record objects)."""
        st = self.state
        st.seed_many("users", users)
        st.seed_many("campaigns", campaigns)
        st.seed_many("lists", lists)
        if isinstance(leads, int):
            base = 3125550000
            leads = [
                {"phone_number": str(base + i), "list_id": 101, "first_name": f"Lead{i}"}
                for i in range(leads)
            ]
        st.seed_many("leads", leads)
        st.seed_many("agents", agents)

    # -- driving agents (what an agent's screen and the dialer would do) -------------------------

    def login_agent(
        self,
        user: str,
        *,
        campaign_id: str = "TESTCAMP",
        status: str = "PAUSED",
        ingroups: Iterable[str] = (),
        **extra: Any,
    ) -> LiveAgent:
        """Log an agent in (PAUSED by default; the user is created when missing)."""
        from .agent_control.sessions import login

        return login(
            self.state, user, campaign_id=campaign_id, status=status, ingroups=list(ingroups), **extra
        )

    def deliver_call(
        self,
        user: str,
        *,
        lead_id: int | None = None,
        phone_number: str = "",
        inbound: bool = False,
        ingroup: str = "",
    ) -> LiveAgent:
        """Connect a call to the agent: INCALL with that lead (created when missing)."""
        from .agent_control.sessions import deliver_call

        return deliver_call(
            self.state, user, lead_id=lead_id, phone_number=phone_number, inbound=inbound, ingroup=ingroup
        )

    def hangup(self, user: str) -> LiveAgent:
        """The customer hangs up: the agent goes to the disposition screen (PAUSED/DISPO)."""
        from .agent_control.sessions import hangup

        return hangup(self.state, user, customer=True)

    def dispose(self, user: str, status: str) -> LiveAgent:
        """The agent dispositions the lead on screen (logs the call, back to READY)."""
        from .agent_control.sessions import dispose

        return dispose(self.state, user, status)

    async def fire_webhooks(self) -> list[dict[str, Any]]:
        """Send the call URLs queued by agent actions made outside a request (``deliver_call``,
        ``hangup``, ``dispose`` called directly) and wait for every send in flight; returns
        ``state.webhooks_sent``."""
        await fire_pending(self.state)
        return self.state.webhooks_sent

    def logout_agent(self, user: str) -> LiveAgent | None:
        """End an agent's session (totals are kept for agent_stats_export)."""
        from .agent_control.sessions import logout

        return logout(self.state, user)

    def queue_call(
        self, *, campaign_id: str = "TESTCAMP", ingroup: str = "", phone_number: str = "3125550000"
    ) -> Any:
        """A call waiting in a queue (counted as calls_waiting by the status reports)."""
        from .agent_control.sessions import queue_call

        return queue_call(self.state, campaign_id=campaign_id, ingroup=ingroup, phone_number=phone_number)

    def drop_call(self, callerid: str = "", *, status: str = "DROP") -> Any:
        """A waiting call reaches no agent (fires the No Agent Call URL); the oldest by default."""
        from .agent_control.sessions import drop_call

        return drop_call(self.state, callerid, status=status)

    def state_json(self) -> dict[str, Any]:
        """Everything tests in another process may check (what ``GET /_fake/state`` returns)."""
        st = self.state
        return {
            "leads": [lead.as_dict() for lead in st.leads.values()],
            "archived_leads": [lead.as_dict() for lead in st.archived_leads.values()],
            "lists": [lst.as_dict() for lst in st.lists.values()],
            "campaigns": [c.as_dict() for c in st.campaigns.values()],
            "users": [u.as_dict() for u in st.users.values()],
            "dnc": {k: sorted(v) for k, v in st.dnc.items()},
            "filter_phone_groups": {k: sorted(v) for k, v in st.filter_phone_groups.items()},
            "agents": [a.as_dict() for a in st.agents.values()],
            "hopper": [_vars_of(h) for h in st.hopper.values()],
            "callbacks": [_vars_of(c) for c in st.callbacks.values()],
            "phones": [_vars_of(p) for p in st.phones.values()],
            "dids": [_vars_of(d) for d in st.dids.values()],
            "faults": self.faults.to_json(),
            "requests": self.requests,
            "now": st.now(),
        }

    # -- the client ------------------------------------------------------------------------------

    def client(self, **client_kwargs: Any) -> VicidialClient:
        """A :class:`VicidialClient` wired to this app in-process (no sockets).

        Defaults: url ``http://localhost``, user ``6666``/``1234``, ``rate_limit=None``; any
        ``VicidialClient`` keyword overrides them (``user=``, ``password=``, ``retry=`` ...).
        """
        from ..client import VicidialClient

        kw: dict[str, Any] = {"rate_limit": None}
        kw.update(client_kwargs)
        url = kw.pop("url", "http://localhost")
        user = kw.pop("user", "6666")
        password = kw.pop("password", "1234")
        if "http_client" not in kw and "backend" not in kw:
            kw["http_client"] = httpx.AsyncClient(transport=httpx.ASGITransport(app=self), base_url=url)
            client = VicidialClient(url, user, password, **kw)
            _own_http_client(client, kw["http_client"])
            return client
        return VicidialClient(url, user, password, **kw)

    # -- synchronous core ---------------------------------------------------------------------

    def handle(self, api: str, query: str = "", body: str = "") -> Reply:
        """Answer one API request (no faults applied): the pure emulation, usable without ASGI."""
        req = Request(api, query, body)
        result = self._dispatch(req)
        return result if isinstance(result, Reply) else Reply(result)

    def call(self, function: str, api: str = "non_agent", **params: Any) -> Reply:
        """Answer a request built from keyword parameters (credentials default to 6666/1234)."""
        from urllib.parse import urlencode

        form = {"source": "test", "user": "6666", "pass": "1234", "function": function}
        form.update({k: str(v) for k, v in params.items()})
        return self.handle(api, "", urlencode(form))

    def _dispatch(self, req: Request) -> str | Reply:
        self.requests += 1
        function = f.ident(req.get("function"))
        api = req.api
        if function == "version":
            return HANDLERS[api, "version"](Call(self, req, function, _NOBODY))
        if function in _COFFEE:
            return Reply(f"Coffee: {function}|Error 418 I'm a teapot", 418)
        st = self.state
        if api == "non_agent":
            if function not in _NO_SOURCE:
                err = source_error(api, req.get("source"))
                if err is not None:
                    return err
            user = login_non_agent(st, req)
            if isinstance(user, str):
                return user
            fn = HANDLERS.get((api, function))
            if fn is None:
                return not_emulated(api, function) if (api, function) in REGISTRY else _NO_FUNCTION
            if (denied := function_denied(user, function)) is not None:
                return denied
            return fn(Call(self, req, function, user))
        err = source_error(api, req.get("source"))
        if err is not None:
            return err
        if "value" not in req.params and req.body_fields:
            # The Agent API reads the last body field as `value` when none was sent.
            req.params["value"] = req.body_fields[-1][1]
        user = login_agent(st, req)
        if isinstance(user, str):
            return user
        if st.settings.get("vdc_agent_api_active") != "1":
            return _AG_DISABLED() + "\n"
        fn = HANDLERS.get((api, function))
        if fn is None:
            return not_emulated(api, function) if (api, function) in REGISTRY else ""
        result = fn(Call(self, req, function, user))
        link = f.digits(req.get("close_window_link"))
        if link and int(link) > 0 and isinstance(result, str) and result.startswith("SUCCESS"):
            result += _CLOSE_LINK
        return result

    # -- ASGI ------------------------------------------------------------------------------------

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        kind = scope["type"]
        if kind == "lifespan":
            while True:
                message = await receive()
                if message["type"] == "lifespan.startup":
                    await send({"type": "lifespan.startup.complete"})
                elif message["type"] == "lifespan.shutdown":
                    await send({"type": "lifespan.shutdown.complete"})
                    return
        if kind != "http":
            return
        body = b""
        while True:
            message = await receive()
            body += message.get("body", b"")
            if not message.get("more_body"):
                break
        path: str = scope["path"]
        if path in (NON_AGENT_PATH, AGENT_PATH):
            api = "non_agent" if path == NON_AGENT_PATH else "agent"
            query = scope.get("query_string", b"").decode("latin-1")
            await self._api_request(api, query, body.decode("utf-8", "replace"), send)
            return
        if path.startswith("/_fake/"):
            from .control import control

            status, payload = control(self, scope["method"], path, body)
            await send_synchronous(self.state)
            await _send(send, status, json.dumps(payload).encode(), ctype=b"application/json")
            spawn_pending(self.state)
            return
        await _send(send, 404, b"Not Found\n")

    async def _api_request(self, api: str, query: str, body: str, send: Send) -> None:
        req = Request(api, query, body)
        decision = self.faults.decide(api, f.ident(req.get("function")))
        if decision.latency > 0:
            await self._sleep(decision.latency)
        fault = decision.fault
        if fault is None:
            result = self._dispatch(req)
            # Call URLs the request caused: Start/Dead inside it, Dispo after the answer.
            await send_synchronous(self.state)
            if isinstance(result, str):
                await _send(send, 200, result.encode())
            else:
                await _send(
                    send,
                    result.status,
                    result.body.encode(),
                    ctype=result.content_type.encode(),
                    extra=result.headers,
                )
            spawn_pending(self.state)
            return
        await self._faulty(req, fault, send)
        await send_synchronous(self.state)
        spawn_pending(self.state)

    async def _faulty(self, req: Request, fault: Fault, send: Send) -> None:
        function = f.ident(req.get("function"))
        kind = _kind(fault)
        self.faults.injected.append((req.api, function, kind))
        extra: tuple[tuple[str, str], ...] = ()
        if fault.retry_after is not None:
            extra = (("retry-after", _num(fault.retry_after)),)
        if fault.reset == "before":
            await _reset(send)
            return
        if fault.land_late is not None:
            await self._land_late(req, fault.land_late, send)
            return
        if fault.html_error:
            status = fault.http_status or 500
            if fault.apply:
                self._dispatch(req)
            page = _HTML_ERROR.format(status=status, reason=_REASONS.get(status, "Error"))
            await _send(send, status, page.encode(), extra=extra)
            return
        if fault.error:
            text = fault.error if isinstance(fault.error, str) else _error_answer(req, function)
            await _send(send, fault.http_status or 200, text.encode(), extra=extra)
            return
        if fault.http_status and not (fault.apply or fault.truncate or fault.trickle or fault.reset):
            await _send(send, fault.http_status, b"", extra=extra)
            return
        result = self._dispatch(req)
        reply = result if isinstance(result, Reply) else Reply(result)
        data = reply.body.encode()
        if fault.hold is not None:
            await self._sleep(fault.hold)
        if fault.reset == "after":
            await _reset(send)
            return
        if fault.reset == "mid":
            await _send_start(send, reply.status, len(data), extra)
            await send({"type": "http.response.body", "body": data[: len(data) // 2], "more_body": True})
            await _reset(send)
            return
        status = fault.http_status or reply.status
        if fault.truncate:
            keep = 0.5 if fault.truncate is True else float(fault.truncate)
            cut = int(len(data) * keep)
            if cut >= len(data) and data:
                cut = len(data) - 1
            data = data[:cut]
        if fault.trickle:
            await _send_start(send, status, len(data), extra)
            step = max(1, fault.trickle_chunk)
            for i in range(0, len(data), step):
                await send({"type": "http.response.body", "body": data[i : i + step], "more_body": True})
                await self._sleep(fault.trickle)
            await send({"type": "http.response.body", "body": b"", "more_body": False})
            return
        await _send(send, status, data, extra=extra)

    async def _land_late(self, req: Request, delay: float, send: Send) -> None:
        try:
            await _reset(send)
        except FakeConnectionReset:
            # In process the reset is an exception that would end this coroutine: apply first.
            await self._sleep(delay)
            self._dispatch(req)
            raise
        # The connection is gone; the request is still "on its way" and lands now.
        await self._sleep(delay)
        self._dispatch(req)


_NOBODY = User(user="", password="")


def _vars_of(obj: Any) -> dict[str, Any]:
    import attrs

    return attrs.asdict(obj)


def _own_http_client(client: VicidialClient, http_client: httpx.AsyncClient) -> None:
    """Make the client close the ASGI http client it was given by :meth:`FakeVicidial.client`."""
    original = client.aclose

    async def aclose() -> None:
        await original()
        await http_client.aclose()

    client.aclose = aclose  # type: ignore[method-assign]


def _kind(fault: Fault) -> str:
    if fault.reset:
        return f"reset_{fault.reset}"
    if fault.html_error:
        return "html_error"
    if fault.error:
        return "error"
    if fault.truncate:
        return "truncate"
    if fault.trickle:
        return "trickle"
    if fault.hold is not None:
        return "hold"
    if fault.land_late is not None:
        return "land_late"
    return f"http_{fault.http_status}"


def _num(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else str(x)


def _error_answer(req: Request, function: str) -> str:
    """A realistic failure line of the function, filled from the request's values."""
    spec = REGISTRY.get((req.api, function))
    if spec is None:
        return _NO_FUNCTION
    errors = [t for e in spec.response.errors for t in e.lines if t.text.startswith("ERROR:")]
    pick = next((t for t in errors if any(k in t.text for k in ("HAS NOT BEEN", "FAILED", "failed"))), None)
    if pick is None:
        pick = errors[-1] if errors else Template.compile(f"ERROR: {function} failed")
    values = dict(req.params)
    values.setdefault("user", f.ident(req.get("user")))
    values["pass"] = ""
    return pick.kw(**values) + "\n"


async def _send_start(
    send: Send,
    status: int,
    length: int,
    extra: Iterable[tuple[str, str]] = (),
    ctype: bytes = b"text/html; charset=utf-8",
) -> None:
    headers = [(b"content-type", ctype), *_HEADERS[1:], (b"content-length", str(length).encode())]
    headers += [(k.encode(), v.encode()) for k, v in extra]
    await send({"type": "http.response.start", "status": status, "headers": headers})


async def _send(
    send: Send,
    status: int,
    body: bytes,
    *,
    ctype: bytes = b"text/html; charset=utf-8",
    extra: Iterable[tuple[str, str]] = (),
) -> None:
    await _send_start(send, status, len(body), extra, ctype)
    await send({"type": "http.response.body", "body": body, "more_body": False})


async def _reset(send: Send) -> None:
    """Drop the connection without (the rest of) an answer: a TCP RST over real sockets."""
    transport = getattr(getattr(send, "__self__", None), "transport", None)
    if transport is not None and hasattr(transport, "abort"):
        sock = transport.get_extra_info("socket")
        if sock is not None:
            # Linger 0: close() sends RST instead of FIN, so the client sees "connection reset".
            with contextlib.suppress(OSError):
                sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        transport.abort()
        cycle = send.__self__  # type: ignore[attr-defined]
        # Tell uvicorn the exchange is over, so it logs no "returned without a response" error.
        for attr in ("response_started", "response_complete"):
            if hasattr(cycle, attr):
                setattr(cycle, attr, True)
        return
    raise FakeConnectionReset("connection reset by the fake server")
