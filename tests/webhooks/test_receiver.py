"""The ASGI receiver: authentication, refusals, replays, journal before the answer, delivery."""

from __future__ import annotations

import asyncio
import json
import logging
from pathlib import Path

import pytest

from vicidial_async.webhooks import DispoEvent, WebhookEvent, WebhookReceiver

from .conftest import TOKEN, client_for, dispo_query


def journal_lines(path: Path) -> list[dict[str, object]]:
    return [json.loads(line) for line in path.read_text().splitlines()]


async def test_accepted_event_is_journaled_before_the_answer_and_delivered(
        receiver: WebhookReceiver, journal_path: Path) -> None:
    got: list[WebhookEvent] = []
    receiver.add_handler(got.append)
    async with client_for(receiver) as http:
        r = await http.get(f"/hooks?{dispo_query()}")
        assert r.status_code == 200 and r.text == "OK\n"
        # on disk by the time the answer came
        (line,) = journal_lines(journal_path)
        assert line["kind"] == "dispo" and TOKEN not in json.dumps(line)
    for _ in range(1000):
        if got:
            break
        await asyncio.sleep(0.01)
    (event,) = got
    assert isinstance(event, DispoEvent)
    assert event.dispo_name == "Sale Made" and event.fields["first_name"] == "José"
    assert event.call_notes == "" and event.client == "127.0.0.1" and event.path == "/hooks"
    assert TOKEN not in event.raw_query and TOKEN not in repr(event)


async def test_wrong_or_missing_token_is_refused_and_never_logged(
        receiver: WebhookReceiver, journal_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    wrong = "tok_0123456789abcdefXYW"
    async with client_for(receiver) as http:
        assert (await http.get(f"/?{dispo_query(token=wrong)}")).status_code == 401
        assert (await http.get("/?hook=dispo&lead_id=1")).status_code == 401
        two = dispo_query() + f"&token={TOKEN}"
        assert (await http.get(f"/?{two}")).status_code == 401
    assert receiver.accepted == 0 and not journal_lines(journal_path)
    ours = "\n".join(r.getMessage() for r in caplog.records if r.name.startswith("vicidial_async"))
    assert "token" in ours and wrong not in ours and TOKEN not in ours


async def test_several_tokens_for_rotation(journal_path: Path) -> None:
    other = "another-token-0123456789"
    async with WebhookReceiver([TOKEN, other], journal_path) as r, client_for(r) as http:
        assert (await http.get(f"/?{dispo_query(token=other)}")).status_code == 200
        assert (await http.get(f"/?{dispo_query(lead_id=2)}")).status_code == 200


async def test_source_address_allow_list(journal_path: Path) -> None:
    async with WebhookReceiver(TOKEN, journal_path, allow_ips=["10.0.0.0/8", "::1"]) as r:
        async with client_for(r, ("10.1.2.3", 5000)) as http:
            assert (await http.get(f"/?{dispo_query()}")).status_code == 200
        async with client_for(r, ("192.0.2.7", 5000)) as http:
            assert (await http.get(f"/?{dispo_query(lead_id=2)}")).status_code == 403
        async with client_for(r, ("::ffff:10.9.9.9", 5000)) as http:
            assert (await http.get(f"/?{dispo_query(lead_id=3)}")).status_code == 200
    assert r.accepted == 2


@pytest.mark.parametrize(("query", "status"), [
    ("hook=dispo&token=" + TOKEN + "&lead_id=%zz", 400),
    ("hook=dispo&token=" + TOKEN + "&lead_id=%4", 400),
    ("hook=hangup&token=" + TOKEN, 400),
    ("token=" + TOKEN + "&lead_id=1", 400),
    ("hook=dispo&hook=start&token=" + TOKEN, 400),
])
async def test_malformed_and_oversized_requests_get_4xx(
        receiver: WebhookReceiver, query: str, status: int) -> None:
    async with client_for(receiver) as http:
        r = await http.get(f"/?{query}")
    assert r.status_code == status
    assert receiver.accepted == 0


async def test_oversized_query_gets_414(journal_path: Path) -> None:
    async with WebhookReceiver(TOKEN, journal_path, max_query_bytes=2000) as r, client_for(r) as http:
        assert (await http.get(f"/?{dispo_query()}&x={'a' * 2000}")).status_code == 414
        assert (await http.get(f"/?{dispo_query()}")).status_code == 200


async def test_other_methods_get_405(receiver: WebhookReceiver) -> None:
    async with client_for(receiver) as http:
        r = await http.post(f"/?{dispo_query()}", content=b"user=a&event=dispo_set")
        assert r.status_code == 405 and r.headers["allow"] == "GET"
        assert (await http.head(f"/?{dispo_query()}")).status_code == 405
    assert receiver.accepted == 0


async def test_replays_are_answered_but_journaled_once(
        receiver: WebhookReceiver, journal_path: Path) -> None:
    async with client_for(receiver) as http:
        first = await http.get(f"/x?{dispo_query()}")
        # the same GET again, and again with the server's clock moved on
        again = await http.get(f"/x?{dispo_query()}")
        later = await http.get(f"/x?{dispo_query().replace('epoch=1796460404', 'epoch=1796460999')}")
        # a different disposition of the same call, and the same one to another URL, are new
        other = await http.get(f"/x?{dispo_query(dispo='NI')}")
        alt = await http.get(f"/x?{dispo_query()}&alt=all")
    assert [r.status_code for r in (first, again, later, other, alt)] == [200] * 5
    assert receiver.accepted == 3 and receiver.duplicates == 2
    assert len(journal_lines(journal_path)) == 3


async def test_replay_window_survives_a_restart(journal_path: Path) -> None:
    async with WebhookReceiver(TOKEN, journal_path) as r, client_for(r) as http:
        await http.get(f"/?{dispo_query()}")
    async with WebhookReceiver(TOKEN, journal_path) as r, client_for(r) as http:
        assert (await http.get(f"/?{dispo_query()}")).text == "OK duplicate\n"
        assert r.accepted == 0 and r.duplicates == 1


async def test_failed_handler_event_is_delivered_again_after_restart(journal_path: Path) -> None:
    async with WebhookReceiver(TOKEN, journal_path) as r:
        calls: list[int | None] = []

        @r.on("dispo")
        async def flaky(event: WebhookEvent) -> None:
            calls.append(event.lead_id)
            if event.lead_id == 2:
                raise RuntimeError("downstream is down")

        async with client_for(r) as http:
            for lead in (1, 2, 3):
                await http.get(f"/?{dispo_query(lead_id=lead)}")
        for _ in range(1000):
            if len(calls) == 3:
                break
            await asyncio.sleep(0.01)
        assert calls == [1, 2, 3]
        assert r.stats["delivered"] == 2 and r.stats["failed"] == 1
    # restart: only the failed one comes again, and its replay is still refused
    async with WebhookReceiver(TOKEN, journal_path) as r:
        again: list[WebhookEvent] = []
        r.add_handler(again.append)
        for _ in range(1000):
            if again:
                break
            await asyncio.sleep(0.01)
        assert [e.lead_id for e in again] == [2]
        assert again[0].dispo_name == "Sale Made"
        async with client_for(r) as http:
            assert (await http.get(f"/?{dispo_query(lead_id=2)}")).text == "OK duplicate\n"
    async with WebhookReceiver(TOKEN, journal_path) as r:
        assert r.journal.undone() == []


async def test_events_iterator_acknowledges_on_next(journal_path: Path) -> None:
    async with WebhookReceiver(TOKEN, journal_path) as r:
        async with client_for(r) as http:
            for lead in (1, 2, 3):
                await http.get(f"/?{dispo_query(lead_id=lead)}")
        seen = []
        async for event in r.events("dispo"):
            seen.append(event.lead_id)
            if len(seen) == 2:
                break  # event 2 is left unhandled
        assert seen == [1, 2]
    async with WebhookReceiver(TOKEN, journal_path) as r:
        pending = sorted(rec["query"].split("lead_id=")[1].split("&")[0] for rec in r.journal.undone())
        assert pending == ["2", "3"]


async def test_second_receiver_on_the_same_journal_is_refused(
        receiver: WebhookReceiver, journal_path: Path) -> None:
    from vicidial_async import ConfigurationError
    with pytest.raises(ConfigurationError):
        WebhookReceiver(TOKEN, journal_path)


async def test_torn_last_line_is_cut(journal_path: Path) -> None:
    async with WebhookReceiver(TOKEN, journal_path) as r, client_for(r) as http:
        await http.get(f"/?{dispo_query(lead_id=1)}")
    with journal_path.open("ab") as fh:
        fh.write(b'{"id":"torn","key":"k')
    async with WebhookReceiver(TOKEN, journal_path) as r, client_for(r) as http:
        assert [rec["id"] for rec in r.journal.undone()] != ["torn"]
        assert (await http.get(f"/?{dispo_query(lead_id=2)}")).status_code == 200
    assert all(journal_lines(journal_path))


async def test_replay_during_a_failed_write_is_not_acknowledged(
        receiver: WebhookReceiver, journal_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # The original's write fails (disk full): a replay that came meanwhile must not get a 200,
    # or VICIdial would consider the event delivered.
    def failing_write(data: bytes, sync: bool) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(receiver.journal, "_write", failing_write)
    async with client_for(receiver) as http:
        first, replay = await asyncio.gather(http.get(f"/?{dispo_query()}"),
                                             http.get(f"/?{dispo_query()}"))
        assert sorted([first.status_code, replay.status_code]) == [503, 503]
        monkeypatch.undo()
        # once the disk is back, the event is accepted (the key was released)
        assert (await http.get(f"/?{dispo_query()}")).text == "OK\n"
    assert receiver.accepted == 1 and receiver.duplicates == 0
