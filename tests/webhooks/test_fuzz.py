"""Fuzzing the request parser: any query gets a decoded event or a 4xx, never a crash."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import quote_plus

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from vicidial_async.webhooks import (
    KINDS,
    MalformedRequest,
    WebhookReceiver,
    build_event,
    decode_fields,
    parse_query,
    request_kind,
)

from .conftest import TOKEN


def decode_or_refuse(raw: bytes) -> None:
    try:
        pairs = parse_query(raw, max_bytes=4096)
        kind = request_kind(pairs)
    except MalformedRequest as exc:
        assert exc.status in (400, 414)
        return
    fields, custom = decode_fields(pairs)
    event = build_event(kind, fields, custom, id="x", dedup_key="k",
                        received_at=datetime.now(UTC))
    assert event.kind == kind
    assert set(custom) <= set(fields)


@given(st.binary(max_size=600))
@settings(max_examples=400, deadline=None)
def test_random_bytes(raw: bytes) -> None:
    decode_or_refuse(raw)


names = st.sampled_from(["lead_id", "dispo_name", "call_notes", "comments", "epoch", "SQLdate",
                         "talk_time", "entry_date", "callback_datetime", "favcolor", "hook"])
values = st.text(max_size=30)


@given(st.sampled_from(KINDS), st.lists(st.tuples(names, values), max_size=12),
       st.lists(st.sampled_from(["%", "%4", "&&", "=", "--A--x--B--", "+", "%C3", "%FF"]), max_size=4))
@settings(max_examples=300, deadline=None)
def test_plausible_queries_with_damage(kind: str, pairs: list[tuple[str, str]], junk: list[str]) -> None:
    query = f"hook={kind}&" + "&".join(f"{n}={quote_plus(v)}" for n, v in pairs) + "".join(junk)
    decode_or_refuse(query.encode())


def test_round_trip_of_any_text_value() -> None:
    @given(st.text(max_size=40).filter(lambda v: v not in (" ",) and "!N" not in v))
    @settings(max_examples=200, deadline=None)
    def check(value: str) -> None:
        raw = f"hook=dispo&first_name={quote_plus(value)}".encode()
        fields, _ = decode_fields(parse_query(raw))
        if not re.fullmatch(r"--A--[A-Za-z0-9_]*--B--", value, flags=re.IGNORECASE):
            assert fields["first_name"] == value.encode("utf-8", "replace").decode("utf-8", "replace")
    check()


@given(st.binary(max_size=300))
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                 HealthCheck.too_slow])
async def test_receiver_answers_4xx_or_200_to_anything(tmp_path: Path, raw: bytes) -> None:
    # Through the ASGI app: the raw query as the server would pass it on.
    path = tmp_path / f"j{abs(hash(raw))}.jsonl"
    async with WebhookReceiver(TOKEN, path, max_query_bytes=200) as r:
        sent: list[dict[str, object]] = []

        async def receive() -> dict[str, object]:
            return {"type": "http.request", "body": b"", "more_body": False}

        async def send(message: dict[str, object]) -> None:
            sent.append(message)

        with_token = b"token=" + TOKEN.encode() + b"&" + raw
        for q in (raw, with_token):
            sent.clear()
            scope = {"type": "http", "method": "GET", "path": "/", "query_string": q,
                     "client": ("127.0.0.1", 1), "headers": []}
            await r(scope, receive, send)  # type: ignore[arg-type]
            assert sent[0]["status"] in (200, 400, 401, 414)
