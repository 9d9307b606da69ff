"""Fixtures of the fake-server tests: a fresh fake on a virtual clock, and a client wired to it."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any
from urllib.parse import urlencode

import pytest

from vicidial_async import VicidialClient
from vicidial_async.testing import FakeVicidial, VirtualClock

START = 1_767_225_600.0  # 2026-01-01 00:00:00 UTC


@pytest.fixture
def clock() -> VirtualClock:
    return VirtualClock(START)


@pytest.fixture
def fake(clock: VirtualClock) -> FakeVicidial:
    return FakeVicidial(clock=clock)


@pytest.fixture
async def vd(fake: FakeVicidial) -> AsyncIterator[VicidialClient]:
    async with fake.client() as client:
        yield client


def post(fake: FakeVicidial, function: str, api: str = "non_agent", **params: Any) -> str:
    """Answer of one raw form post (credentials 6666/1234 unless given)."""
    form = {"source": "test", "user": "6666", "pass": "1234", "function": function}
    form.update({k: str(v) for k, v in params.items()})
    reply = fake.handle(api, "", urlencode(form))
    return reply.body
