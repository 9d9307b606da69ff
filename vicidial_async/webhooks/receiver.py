"""``WebhookReceiver``: a framework-free ASGI app that accepts VICIdial's call-URL GETs.

Serve it with uvicorn (``vicidial webhooks serve``) or mount it in a Starlette, FastAPI or other
ASGI app. Each request is checked and answered at once, before any user code runs (the Start Call
URL is fetched inside the agent's own screen request, so a slow answer stalls the agent):

1. ``GET`` only (405: VICIdial sends nothing else, and a monitoring ``HEAD`` with the token must
   not become an event), from an allowed source address if an allow-list is set (403);
2. a query of at most ``max_query_bytes`` (414), well formed (400);
3. the ``token`` compared in constant time with each accepted token (401; the token is never
   logged, and stored masked);
4. ``hook=<kind>`` naming a kind (400);
5. a replay of a request already accepted within the window: answered 200, nothing new (a replay
   that arrives while the original is still being written waits for it, and fails with it);
6. otherwise the event is appended to the journal and fsync'd, then answered 200 ``OK``; the
   handlers and iterators get it afterwards (see :mod:`.delivery`).

Answers are ``text/plain``. The receiver runs on asyncio.
"""

from __future__ import annotations

import asyncio
import hmac
import ipaddress
import logging
import os
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable, Collection, Iterable, MutableMapping
from datetime import UTC, datetime
from types import TracebackType
from typing import Any, TypeVar

from .decode import (
    MalformedRequest,
    build_event,
    decode_fields,
    dedup_key,
    mask_query,
    parse_query,
    request_kind,
)
from .delivery import Delivery, Handler
from .events import WebhookEvent
from .journal import Journal, Record
from .templates import MIN_TOKEN_LENGTH, TOKEN_PARAM, WebhookKind

__all__ = ["WebhookReceiver"]

log = logging.getLogger("vicidial_async.webhooks")

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
H = TypeVar("H", bound=Handler)

IPNet = ipaddress.IPv4Network | ipaddress.IPv6Network


class WebhookReceiver:
    """Receives, authenticates, journals, deduplicates, decodes and delivers call-URL requests.

    ``tokens``: the accepted token (or several, to rotate one without downtime).
    ``journal``: the journal file (see :class:`~vicidial_async.webhooks.journal.Journal`).
    ``allow_ips``: addresses or networks (``"10.0.0.0/8"``) allowed to call; None allows any.
    ``dedup_window``: seconds within which a replay is refused (survives a restart).
    ``max_query_bytes``: longer queries get 414. ``concurrency``: delivery workers.

    Use as an ASGI app; the delivery workers start with the ASGI lifespan, on the first request,
    on :meth:`start` or ``async with``. :meth:`aclose` stops them and closes the journal.
    """

    def __init__(
        self,
        tokens: str | Iterable[str],
        journal: str | os.PathLike[str],
        *,
        allow_ips: Iterable[str] | None = None,
        dedup_window: float = 86400.0,
        max_query_bytes: int = 256 * 1024,
        concurrency: int = 1,
    ) -> None:
        token_list = [tokens] if isinstance(tokens, str) else list(tokens)
        if not token_list or any(len(t) < MIN_TOKEN_LENGTH for t in token_list):
            raise ValueError(f"give at least one token of {MIN_TOKEN_LENGTH}+ characters")
        self._tokens = [t.encode() for t in token_list]
        self._allow: list[IPNet] | None = (
            [ipaddress.ip_network(a, strict=False) for a in allow_ips]
            if allow_ips is not None else None)
        self._max_query = max_query_bytes
        self.journal = Journal(journal, dedup_window=dedup_window)
        self.journal.on_durable = self._durable
        self._delivery = Delivery(self.journal.mark_done, concurrency=concurrency)
        self._inflight: dict[str, asyncio.Future[bool]] = {}
        self.accepted = 0
        """Requests accepted (journaled) since start."""
        self.duplicates = 0
        """Replays answered without a new event."""
        self.refused = 0
        """Requests answered with a 4xx."""

    def __repr__(self) -> str:
        return f"WebhookReceiver(journal={str(self.journal.path)!r}, tokens=***)"

    # -- user side -------------------------------------------------------------------------------

    def on(self, *kinds: WebhookKind) -> Callable[[H], H]:
        """Decorator: ``@receiver.on("dispo")`` registers a handler for those kinds (none: all)."""
        def register(handler: H) -> H:
            self.add_handler(handler, kinds or None)
            return handler
        return register

    def add_handler(self, handler: Handler, kinds: Collection[WebhookKind] | None = None) -> None:
        """Call ``handler(event)`` (function or coroutine function) for each event of ``kinds``."""
        self._delivery.add_handler(handler, kinds)

    def events(self, *kinds: WebhookKind) -> AsyncIterator[WebhookEvent]:
        """``async for event in receiver.events("dispo"):`` every event (of those kinds)."""
        self._ensure_started()
        return self._delivery.events(kinds or None)

    @property
    def stats(self) -> dict[str, int]:
        """Counters: accepted, duplicates, refused, delivered, failed, backlog."""
        d = self._delivery
        return {"accepted": self.accepted, "duplicates": self.duplicates, "refused": self.refused,
                "delivered": d.delivered, "failed": d.failed, "backlog": d.backlog}

    async def start(self) -> None:
        """Start delivery, beginning with the events a previous run did not finish."""
        self._ensure_started()

    def _ensure_started(self) -> None:
        if self._delivery.started:
            return
        self._delivery.start()
        for record in self.journal.undone():
            event = self._event(record)
            if event is not None:
                self._delivery.submit(event)

    async def aclose(self) -> None:
        """Write what is pending, stop delivery and close the journal."""
        await self.journal.flush()
        await self._delivery.stop()
        self.journal.close()

    async def __aenter__(self) -> WebhookReceiver:
        await self.start()
        return self

    async def __aexit__(self, et: type[BaseException] | None, e: BaseException | None,
                        tb: TracebackType | None) -> None:
        await self.aclose()

    # -- ASGI ------------------------------------------------------------------------------------

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            await self._lifespan(receive, send)
            return
        if scope["type"] != "http":
            return
        self._ensure_started()
        status, body = await self._handle(scope)
        if status >= 400:
            self.refused += 1
        headers = [(b"content-type", b"text/plain; charset=utf-8"),
                   (b"content-length", str(len(body)).encode()), (b"cache-control", b"no-store")]
        if status == 405:
            headers.append((b"allow", b"GET"))
        await send({"type": "http.response.start", "status": status, "headers": headers})
        await send({"type": "http.response.body",
                    "body": body})

    async def _lifespan(self, receive: Receive, send: Send) -> None:
        while True:
            message = await receive()
            if message["type"] == "lifespan.startup":
                await self.start()
                await send({"type": "lifespan.startup.complete"})
            elif message["type"] == "lifespan.shutdown":
                await self.aclose()
                await send({"type": "lifespan.shutdown.complete"})
                return

    async def _handle(self, scope: Scope) -> tuple[int, bytes]:
        if scope.get("method") != "GET":
            return 405, b"GET only\n"
        client = scope.get("client")
        host = client[0] if client else None
        if self._allow is not None and not self._allowed(host):
            log.warning("webhook refused: source %s not allowed", host)
            return 403, b"forbidden\n"
        raw: bytes = scope.get("query_string", b"")
        try:
            pairs = parse_query(raw, max_bytes=self._max_query)
        except MalformedRequest as exc:
            return exc.status, f"{exc}\n".encode()
        if not self._token_ok(pairs):
            log.warning("webhook refused: missing or wrong token (from %s)", host)
            return 401, b"unauthorized\n"
        try:
            kind = request_kind(pairs)
        except MalformedRequest as exc:
            return exc.status, f"{exc}\n".encode()
        path = str(scope.get("path", "/"))
        key = dedup_key(kind, path, pairs)
        if not self.journal.claim(key):
            original = self._inflight.get(key)
            # Not on disk yet: answering 200 now would lose the event if that write failed.
            if original is not None and not await asyncio.shield(original):
                return 503, b"journal unavailable\n"
            self.duplicates += 1
            return 200, b"OK duplicate\n"
        record: Record = {"id": uuid.uuid4().hex, "key": key, "at": self.journal.now(),
                          "kind": kind, "path": path, "query": mask_query(raw), "client": host,
                          "_pairs": pairs}  # parsed once; "_" keys stay out of the journal
        written: asyncio.Future[bool] = asyncio.get_running_loop().create_future()
        self._inflight[key] = written
        try:
            await self.journal.append(record)
        except OSError:
            self.journal.release(key)
            written.set_result(False)
            log.exception("webhook journal write failed; answering 503")
            return 503, b"journal unavailable\n"
        finally:
            del self._inflight[key]
            if not written.done():  # cancelled: the write itself goes on and is delivered
                written.set_result(True)
        self.accepted += 1
        return 200, b"OK\n"

    def _allowed(self, host: str | None) -> bool:
        if host is None or self._allow is None:
            return self._allow is None
        try:
            addr = ipaddress.ip_address(host)
        except ValueError:
            return False
        if isinstance(addr, ipaddress.IPv6Address) and addr.ipv4_mapped is not None:
            addr = addr.ipv4_mapped
        return any(addr in net for net in self._allow)

    def _token_ok(self, pairs: list[tuple[str, str]]) -> bool:
        given = [v for n, v in pairs if n == TOKEN_PARAM]
        if len(given) != 1:
            return False
        candidate = given[0].encode("utf-8", "surrogatepass")
        ok = False
        for token in self._tokens:  # every token compared, in constant time each
            ok |= hmac.compare_digest(candidate, token)
        return ok

    # -- journal -> delivery ---------------------------------------------------------------------

    def _durable(self, record: Record) -> None:
        """The journal wrote ``record``: hand the event to delivery (even if the request that
        brought it was cancelled meanwhile: it is accepted now)."""
        event = self._event(record)
        if event is not None and self._delivery.started:
            self._delivery.submit(event)

    def _event(self, record: Record) -> WebhookEvent | None:
        try:
            pairs = record.pop("_pairs", None)
            if pairs is None:  # read back from the journal after a restart
                raw = str(record["query"]).encode("ascii")
                pairs = parse_query(raw, max_bytes=max(self._max_query, len(raw)))
            fields, custom = decode_fields(pairs)
            return build_event(
                record["kind"], fields, custom, id=record["id"], dedup_key=record["key"],
                received_at=datetime.fromtimestamp(float(record["at"]), UTC),
                path=record.get("path", "/"), client=record.get("client"),
                raw_query=record["query"])
        except (KeyError, ValueError, TypeError, MalformedRequest):
            log.exception("journal record %s cannot be decoded; skipped", record.get("id"))
            return None

