"""vd.recordings: recording rows in every stage (with and without duration), search weight, errors."""

from __future__ import annotations

import datetime as dt
import re
import sys
from pathlib import Path
from typing import Any

import pytest

from vicidial_async import InvalidParameterError, NotFoundError
from vicidial_async.errors import APIError, error_class_for_kind
from vicidial_async.models.recordings import RecordingRow
from vicidial_async.protocol.registry import REGISTRY

sys.path.insert(0, str(Path(__file__).parent))
from _canned import DELIMS, client

ROW = ["2026-11-28 15:28:29", "agent001", "23", "2010", "http://127.0.0.1/RECORDINGS/MP3/a.mp3"]


@pytest.mark.parametrize("stage", ["pipe", "csv", "tab"])
@pytest.mark.parametrize("header", [True, False])
@pytest.mark.parametrize("duration", [True, False])
async def test_recording_rows(stage: str, header: bool, duration: bool) -> None:
    d = DELIMS[stage]
    head = d.join(RecordingRow.COLUMNS) + "\n" if header else ""  # five names even with duration
    row = [*ROW[:4], "120", ROW[4]] if duration else ROW
    body = head + (d.join(row) + "\n") * 2
    vd, backend = client(body)
    res = await vd.recordings.recording_lookup(lead_id=2010, duration=duration, stage=stage,  # type: ignore[arg-type]
                                               header=header)
    assert len(res) == 2 and res.raw == body
    r = res[0]
    assert (r.start_time, r.user, r.recording_id, r.lead_id) == (
        dt.datetime(2026, 11, 28, 15, 28, 29), "agent001", 23, 2010)
    assert r.location == ROW[4] and r.duration == (120 if duration else None)
    assert backend.forms[0]["lead_id"] == "2010"


@pytest.mark.parametrize("kwargs", [
    {"lead_id": 2010}, {"uniqueid": "1795880001.1"},
    {"agent_user": "agent001", "date": dt.date(2026, 11, 28)},
    {"extension": "8600051", "date": "2026-11-28"}])
async def test_searches_heavy_enough_are_sent(kwargs: dict[str, Any]) -> None:
    vd, backend = client("\t".join(ROW) + "\n")
    res = await vd.recordings.recording_lookup(**kwargs, header=False)
    assert len(res) == 1 and len(backend.forms) == 1


@pytest.mark.parametrize(("kwargs", "parameter"), [
    ({}, "lead_id"),
    ({"agent_user": "agent001"}, "lead_id"),
    ({"date": "2026-11-28"}, "lead_id"),
    ({"lead_id": "20x"}, "lead_id"),
    ({"agent_user": "ab", "date": "2026-11-28"}, "agent_user"),
    ({"extension": "SIP/8600051", "date": "2026-11-28"}, "extension"),
    ({"uniqueid": "1795880001,1"}, "uniqueid"),
    ({"lead_id": 1, "stage": "newline"}, "stage"),
])
async def test_bad_searches_are_refused_before_sending(kwargs: dict[str, Any], parameter: str) -> None:
    vd, backend = client("should not be read\n")
    with pytest.raises(InvalidParameterError) as info:
        await vd.recordings.recording_lookup(**kwargs)
    assert info.value.parameter == parameter and info.value.sent is False
    assert backend.forms == []


async def test_reference_error_templates_raise_their_error() -> None:
    spec = REGISTRY["non_agent", "recording_lookup"]
    for error in spec.all_errors:
        vd, _ = client(re.sub(r"\{[^}]*\}", "x1", error.text) + "\n")
        with pytest.raises(APIError) as info:
            await vd.recordings.recording_lookup(lead_id=2010)
        assert type(info.value) is error_class_for_kind(error.kind), error.text


async def test_nothing_found() -> None:
    vd, _ = client("ERROR: recording_lookup NO RECORDINGS FOUND - apiuser||2010||\n")
    with pytest.raises(NotFoundError):
        await vd.recordings.recording_lookup(lead_id=2010)


async def test_recorded_answers_decode(real_answers: list[dict[str, Any]]) -> None:
    decoded = 0
    for rec in real_answers:
        if rec["function"] != "recording_lookup":
            continue
        vd, _ = client(rec["body"])
        kw: dict[str, Any] = {k: v for k, v in rec["params"].items()
                              if k not in ("user", "pass", "source", "function")}
        kw["header"] = kw.get("header") == "YES"
        kw["stage"] = kw.get("stage") if kw.get("stage") in DELIMS else "pipe"
        try:
            result = await vd.recordings.recording_lookup(**kw)
        except InvalidParameterError as exc:
            assert exc.sent or not rec["case"].startswith(("valid", "stage")), rec["case"]
            continue
        except APIError:
            assert "ERROR" in rec["body"], rec["case"]
            continue
        decoded += 1
        assert all(r.location.startswith("http") and r.lead_id == 2010 for r in result), rec["case"]
        if kw.get("duration") == "Y":
            assert [r.duration for r in result] == [120, 95]
    assert decoded >= 7
