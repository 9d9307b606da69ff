"""Delivery of accepted events to user code: per-kind handlers and ``events()`` iterators.

Events are delivered in the order they were accepted, by ``concurrency`` worker tasks. An event is
done (and marked so in the journal) once every handler returned without raising and every
iterator consumer asked for the next event. A failed handler is logged (never with the event's
fields: they hold personal data) and leaves the event undone: it is delivered again when the
receiver restarts. With neither handlers nor iterators, events wait (durably) for the first one.
"""

from __future__ import annotations

import asyncio
import contextlib
import inspect
import logging
from collections.abc import AsyncIterator, Awaitable, Callable, Collection
from typing import Any

from .events import WebhookEvent
from .templates import WebhookKind

__all__ = ["Delivery", "Handler"]

log = logging.getLogger("vicidial_async.webhooks")

Handler = Callable[[WebhookEvent], Awaitable[Any] | Any]
"""A function or coroutine function taking one event."""

_Sub = tuple[frozenset[str] | None, "asyncio.Queue[tuple[WebhookEvent, asyncio.Future[bool]]]"]


class Delivery:
    """Runs handlers and feeds iterators; ``on_done(event_id)`` is awaited once an event is done."""

    def __init__(self, on_done: Callable[[str], Awaitable[None]], *, concurrency: int = 1) -> None:
        if concurrency < 1:
            raise ValueError("concurrency must be at least 1")
        self._on_done = on_done
        self._concurrency = concurrency
        self._handlers: list[tuple[frozenset[str] | None, Handler]] = []
        self._subs: list[_Sub] = []
        self._queue: asyncio.Queue[WebhookEvent] | None = None
        self._consumer: asyncio.Event | None = None  # made in start (needs a loop)
        self._workers: list[asyncio.Task[None]] = []
        self.delivered = 0
        """Events done since start."""
        self.failed = 0
        """Deliveries that left their event undone (a handler raised or a consumer left)."""

    def add_handler(self, handler: Handler, kinds: Collection[WebhookKind] | None = None) -> None:
        """Call ``handler`` with every event (of ``kinds`` only, if given)."""
        self._handlers.append((frozenset(kinds) if kinds is not None else None, handler))
        if self._consumer is not None:
            self._consumer.set()

    @property
    def started(self) -> bool:
        """True once :meth:`start` ran."""
        return self._queue is not None

    def start(self) -> None:
        """Start the workers (in the running event loop)."""
        if self._queue is not None:
            return
        self._queue = asyncio.Queue()
        self._consumer = asyncio.Event()
        if self._handlers or self._subs:
            self._consumer.set()
        self._workers = [asyncio.create_task(self._work(), name=f"webhook-delivery-{i}")
                         for i in range(self._concurrency)]

    def submit(self, event: WebhookEvent) -> None:
        """Queue an accepted (journaled) event for delivery."""
        if self._queue is None:
            raise RuntimeError("Delivery.start() first")
        self._queue.put_nowait(event)

    @property
    def backlog(self) -> int:
        """Events queued and not yet taken by a worker."""
        return self._queue.qsize() if self._queue is not None else 0

    async def stop(self) -> None:
        """Cancel the workers (events not done stay undone in the journal)."""
        for task in self._workers:
            task.cancel()
        for task in self._workers:
            with contextlib.suppress(asyncio.CancelledError):
                await task
        self._workers = []

    async def _work(self) -> None:
        assert self._queue is not None and self._consumer is not None
        while True:
            event = await self._queue.get()
            await self._consumer.wait()
            if await self._deliver(event):
                self.delivered += 1
                await self._on_done(event.id)
            else:
                self.failed += 1

    async def _deliver(self, event: WebhookEvent) -> bool:
        ok = True
        for kinds, handler in list(self._handlers):
            if kinds is not None and event.kind not in kinds:
                continue
            try:
                result = handler(event)
                if inspect.isawaitable(result):
                    await result
            except Exception:
                ok = False
                log.exception("webhook handler %s failed on %s event %s; it will be delivered "
                              "again after a restart", getattr(handler, "__qualname__", handler),
                              event.kind, event.id)
        acks: list[asyncio.Future[bool]] = []
        loop = asyncio.get_running_loop()
        for kinds, queue in list(self._subs):
            if kinds is None or event.kind in kinds:
                fut: asyncio.Future[bool] = loop.create_future()
                queue.put_nowait((event, fut))
                acks.append(fut)
        for fut in acks:
            ok = await fut and ok
        return ok

    async def events(self, kinds: Collection[WebhookKind] | None = None
                     ) -> AsyncIterator[WebhookEvent]:
        """Iterate over events as they are accepted (of ``kinds`` only, if given).

        An event counts as handled when the loop asks for the next one; leaving the loop (break,
        exception) leaves the current event undone, so it comes again after a restart.
        """
        queue: asyncio.Queue[tuple[WebhookEvent, asyncio.Future[bool]]] = asyncio.Queue()
        sub: _Sub = (frozenset(kinds) if kinds is not None else None, queue)
        self._subs.append(sub)
        if self._consumer is not None:
            self._consumer.set()
        current: asyncio.Future[bool] | None = None
        try:
            while True:
                event, current = await queue.get()
                yield event
                current.set_result(True)
                current = None
        finally:
            self._subs.remove(sub)
            if not self._subs and not self._handlers and self._consumer is not None:
                self._consumer.clear()  # nobody left: later events wait for the next consumer
            if current is not None and not current.done():
                current.set_result(False)
            while not queue.empty():
                _, fut = queue.get_nowait()
                if not fut.done():
                    fut.set_result(False)
