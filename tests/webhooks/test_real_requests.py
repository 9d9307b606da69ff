"""Every request recorded from the real VICIdial decodes to the values its README states."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from vicidial_async.webhooks import DeadEvent, DispoEvent, StartEvent, decode_request

RECORDED = Path(__file__).resolve().parents[1] / "samples" / "real-webhooks" / "requests.jsonl"


def recorded() -> list[dict[str, Any]]:
    return [json.loads(line) for line in RECORDED.read_text().splitlines() if line.strip()]


def target(entry: dict[str, Any]) -> tuple[str, str]:
    _, url, _ = entry["raw_request_line"].split(" ")
    path, _, query = url.partition("?")
    return path, query


def by_tag(tag: str) -> list[dict[str, Any]]:
    return [e for e in recorded() if e["tag"] == tag]


def decode(entry: dict[str, Any], kind: Any) -> Any:
    path, query = target(entry)
    return decode_request(query, kind=kind, path=path)


def test_plain_sale_decodes_every_variable() -> None:
    event = decode(by_tag("var:plain:SALE")[0], "dispo")
    assert isinstance(event, DispoEvent)
    assert event.lead_id == 7165 and event.list_id == 101
    assert event.dispo == "SALE"
    assert event.dispo_name == "Sale Made"  # encoded twice by the server
    assert event.talk_time == 70
    assert event.call_notes == "Customer bought plan A"
    assert event.fields["email"] == "ann@example.com"
    assert event.fields["list_name"] == "Test List"
    assert event.entry_date == datetime(2026, 12, 4, 8, 46, 44)
    assert event.server_time == datetime(2026, 12, 5, 8, 46, 44)
    assert event.epoch == datetime.fromtimestamp(1796460404, UTC)
    assert event.uniqueid == "1796460284.7165" and event.call_id == "M2050846440000007165"
    assert event.user == "agent001" and event.campaign == "TESTCAMP"
    assert event.fields["fullname"] == "Agent One"
    assert event.callback_at is None and event.term_reason == "AGENT"
    # custom list fields by name; the unknown tag left literal by the server is left out
    assert dict(event.custom) == {"favcolor": "blue", "petname": "Rex", "notes_cf": "n/a"}
    assert "no_such_variable" not in event.fields
    # the template asked for the agent's passwords: never kept, masked in the raw query
    assert "pass" not in event.fields and "phone_pass" not in event.fields
    assert "agentpass1" not in event.raw_query and "cc100pw" not in event.raw_query
    assert "agentpass1" not in repr(event)


def test_spaces_apostrophes_and_ampersands() -> None:
    event = decode(by_tag("var:space_apos_amp:NI")[0], "dispo")
    f = event.fields
    assert f["first_name"] == "Mary Ann" and f["last_name"] == "O'Brien"
    assert f["address1"] == "Smith & Sons, 5th Ave #2"
    assert f["email"] == "mary+ann@example.com"
    assert f["comments"] == "50% off + free = deal?"
    assert event.dispo_name == "Not Interested"
    assert event.call_notes == 'Said: "no thanks" & hung up; call later?'
    assert event.custom["favcolor"] == "red & green"
    assert event.custom["petname"] == "Mr. Whiskers"
    assert event.custom["notes_cf"] == "a=b&c=d"


def test_callback_disposition() -> None:
    event = decode(by_tag("var:callback:CBHOLD")[0], "dispo")
    assert event.dispo == "CALLBK"
    assert event.dispo_name == "Call Back Hold"
    assert event.call_notes == ""  # the server's "+" for empty notes
    assert event.fields["call_notes"] == ""
    assert event.callback_at == datetime(2026, 12, 10, 14, 30, 0)
    assert event.callback_lead_status == "CALLBK"
    assert event.talk_time == 0
    assert event.custom["favcolor"] == ""  # empty, but present


def test_alternate_url_keeps_its_literal_parameter() -> None:
    event = decode(by_tag("alt:plain:SALE")[0], "dispo")
    assert event.custom["alt"] == "all"
    assert event.lead_id == 7170 and event.dispo_name == "Sale Made"


def test_short_template() -> None:
    entry = next(e for e in by_tag("var:plain:SALE") if "/status/500/" in e["raw_request_line"])
    event = decode(entry, "dispo")
    assert event.path == "/status/500/dispo"
    assert event.lead_id == 7525 and event.dispo_name == "Sale Made"
    assert event.fields["callback_datetime"] == "" and event.callback_at is None


def test_start_call_url_with_utf8_and_newlines() -> None:
    event = decode(by_tag("start:VDADcheckINCOMING")[0], "start")
    assert isinstance(event, StartEvent)
    f = event.fields
    assert f["first_name"] == "José"
    assert f["last_name"] == "O'Brien & Sons"
    assert f["address1"] == "12 Rue de l'Église"
    assert f["city"] == "São Paulo"
    assert event.comments == "start url test\nsecond line"  # the server's !N
    assert f["email"] == "jose+start@example.com"
    assert event.custom == {"favcolor": "verde & azul", "petname": "Niño", "notes_cf": "a=b"}


def test_dead_call_trigger() -> None:
    event = decode(by_tag("dead:DEADtriggerURL")[0], "dead")
    assert isinstance(event, DeadEvent)
    assert event.fields["last_name"] == "Muñoz Ærø"
    assert event.fields["address1"] == "Calle Ñandú 7"
    assert event.comments == "line one\nline two\r\nline three\ttabbed"
    assert event.dead_time == 15 and event.talk_time == 130
    assert event.custom["notes_cf"] == "multi\nline custom"


@pytest.mark.parametrize("entry", [e for e in recorded() if e["method"] == "GET"],
                         ids=lambda e: e["tag"])
def test_every_recorded_get_decodes(entry: dict[str, Any]) -> None:
    kind = {"var": "dispo", "alt": "dispo", "start": "start", "dead": "dead"}[entry["tag"].split(":")[0]]
    event = decode(entry, kind)
    assert event.kind == kind
    assert all("--A--" not in v for v in event.fields.values())
    assert event.to_json()["fields"] == dict(event.fields)
