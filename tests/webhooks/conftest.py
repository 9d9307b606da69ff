"""Helpers of the webhook tests: a token, a receiver on a temporary journal, an httpx client on it."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest

from vicidial_async.webhooks import WebhookReceiver

TOKEN = "tok_0123456789abcdefXYZ"


def dispo_query(lead_id: int = 7165, dispo: str = "SALE", token: str = TOKEN, **extra: str) -> str:
    """A Dispo Call URL query as the real server sends it (dispo_name encoded twice)."""
    q = (f"hook=dispo&token={token}&lead_id={lead_id}&dispo={dispo}&dispo_name=Sale%2BMade"
         f"&first_name=Jos%C3%A9&call_notes=+&uniqueid=1796460284.{lead_id}&epoch=1796460404")
    return q + "".join(f"&{k}={v}" for k, v in extra.items())


@pytest.fixture
def journal_path(tmp_path: Path) -> Path:
    return tmp_path / "journal.jsonl"


@pytest.fixture
async def receiver(journal_path: Path) -> AsyncIterator[WebhookReceiver]:
    r = WebhookReceiver(TOKEN, journal_path)
    yield r
    await r.aclose()


def client_for(receiver: WebhookReceiver, client: tuple[str, int] = ("127.0.0.1", 40000)
               ) -> httpx.AsyncClient:
    transport = httpx.ASGITransport(app=receiver, client=client)
    return httpx.AsyncClient(transport=transport, base_url="http://hooks.test")
