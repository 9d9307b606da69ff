"""vd.stats: typed rows from every stage, reference templates and recorded answers; validation."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path
from typing import Any

import attrs
import pytest

from vicidial_async import InvalidParameterError, NotFoundError
from vicidial_async.errors import APIError, error_class_for_kind
from vicidial_async.models._parse import percent, seconds
from vicidial_async.models.stats import (
    AgentStatsRow,
    AgentStatusRow,
    CallidInfoRow,
    InGroupStatusRow,
    LoggedInAgentRow,
    PhoneNumberLogRow,
    UserGroupStatusRow,
)
from vicidial_async.protocol.registry import REGISTRY

sys.path.insert(0, str(Path(__file__).parent))
from _canned import DELIMS, client, render

# Minimal valid arguments of each method (besides stage/header).
ARGS: dict[str, dict[str, Any]] = {
    "logged_in_agents": {},
    "agent_status": {"agent_user": "agent001"},
    "user_group_status": {"user_groups": ["AGENTS"]},
    "in_group_status": {"in_groups": ["SALES", "SUPPORT"]},
    "agent_stats_export": {"datetime_start": dt.datetime(2026, 11, 27),
                           "datetime_end": dt.datetime(2026, 11, 29, 23, 59, 59)},
    "phone_number_log": {"phone_number": ["3125550101", "4155550105"]},
    "callid_info": {"call_id": "V1128150000000002010"},
    "call_status_stats": {"campaigns": ["TESTCAMP"]},
    "call_dispo_report": {"campaigns": ["TESTCAMP"]},
}
ROWS = {
    "logged_in_agents": LoggedInAgentRow, "agent_status": AgentStatusRow,
    "user_group_status": UserGroupStatusRow, "in_group_status": InGroupStatusRow,
    "agent_stats_export": AgentStatsRow, "phone_number_log": PhoneNumberLogRow,
    "callid_info": CallidInfoRow,
}


def sample(cls: type, columns: tuple[str, ...]) -> tuple[list[str], dict[str, Any]]:
    """Wire texts for ``columns`` and the values the row model must parse them into."""
    fields = {f.name: f for f in attrs.fields(cls)}
    wire: list[str] = []
    want: dict[str, Any] = {}
    for i, name in enumerate(columns):
        f = fields[name]
        parser = f.metadata.get("vicidial_async.parse")
        if parser is seconds:
            text, value = f"1:0{i % 10}:0{i % 10}", 3600 + 61 * (i % 10)
        elif parser is percent:
            text, value = f"{i}.5%", i + 0.5
        elif f.type == "int | None":
            text, value = str(100 + i), 100 + i
        elif f.type == "float | None":
            text, value = f"-{i}.00", -float(i)
        elif f.type == "dt.datetime | None":
            text, value = f"2026-11-28 15:28:{i:02d}", dt.datetime(2026, 11, 28, 15, 28, i)
        else:
            text = value = f"v{i} {name}"
        wire.append(text)
        want[name] = value
    return wire, want


@pytest.mark.parametrize("function", sorted(ROWS))
@pytest.mark.parametrize("stage", ["pipe", "csv", "tab"])
@pytest.mark.parametrize("header", [True, False])
async def test_table_rows_decode_in_every_stage(function: str, stage: str, header: bool) -> None:
    cls = ROWS[function]
    columns = cls.COLUMNS
    wire, want = sample(cls, columns)
    delim = DELIMS[stage]
    body = (delim.join(columns) + "\n" if header else "") + (delim.join(wire) + "\n") * 2
    vd, backend = client(body)
    result = await getattr(vd.stats, function)(**ARGS[function], stage=stage, header=header)
    assert len(result) == 2 and result.raw == body
    for name, value in want.items():
        assert getattr(result[0], name) == value, name
    assert result[0].extra == {}
    sent = backend.forms[0]
    assert sent["stage"] == stage and sent["header"] == ("YES" if header else "NO")
    assert result.columns[:len(columns)] == columns


async def test_default_is_tab_with_header_and_unknown_columns_are_kept() -> None:
    cols = (*UserGroupStatusRow.COLUMNS, "agents_in_queue_future")
    body = "\t".join(cols) + "\n" + "\t".join(["AGENTS", *["3"] * 8, "9"]) + "\n"
    vd, backend = client(body)
    res = await vd.stats.user_group_status(user_groups="AGENTS")
    assert backend.forms[0]["stage"] == "tab" and backend.forms[0]["header"] == "YES"
    assert res[0].agents_logged_in == 3 and res[0].extra == {"agents_in_queue_future": "9"}


async def test_agent_stats_export_group_by_campaign_without_header() -> None:
    row = "TESTCAMP|agent001|Agent One|AGENTS|2|0|165|0|45|66.7%|420|1|0|2|210|100%|2|90|165|25|0\n"
    vd, backend = client(row)
    res = await vd.stats.agent_stats_export(
        datetime_start="2026-11-27 00:00:00", datetime_end="2026-11-29 23:59:59",
        group_by_campaign=True, time_format="S", stage="pipe", header=False)
    r = res[0]
    assert (r.campaign_id, r.user, r.calls, r.total_talk_time, r.pct_of_queue, r.dead_time) == (
        "TESTCAMP", "agent001", 2, 165, 66.7, 0)
    assert backend.forms[0]["group_by_campaign"] == "YES"
    assert backend.forms[0]["datetime_start"] == "2026-11-27 00:00:00"


async def test_agent_status_row_one_field_short_without_ip() -> None:
    header = "\t".join(AgentStatusRow.COLUMNS)
    row = "\t".join(["INCALL", "M1", "2010", "TESTCAMP", "5", "Two", "AGENTS", "1", "", "DEAD",
                     "3125550101", "SEED-001", "8600052"])
    vd, _ = client(f"{header}\n{row}\n")
    res = await vd.stats.agent_status(agent_user="agent002", include_ip=True)
    assert res[0].session_id == "8600052" and res[0].computer_ip == ""


async def test_logged_in_agents_sub_status_layout_without_header() -> None:
    rows = "agent001|TESTCAMP|8600051|PAUSED|2010|Y1|3|Agent One|AGENTS|1|LUNCH|DISPO\n"
    vd, _ = client(rows)
    res = await vd.stats.logged_in_agents(show_sub_status=True, stage="pipe", header=False)
    assert (res[0].pause_code, res[0].sub_status, res[0].user_level) == ("LUNCH", "DISPO", 1)


async def test_call_status_stats_breakdowns() -> None:
    hours = ",".join(f"{h:02d}-{h % 3}" for h in range(24))
    body = f"TESTCAMP|4|3|{hours}|CALLBK-1,NA-1,A-B-2|\nTESTIN2|0|0|{hours}||\n"
    vd, backend = client(body)
    res = await vd.stats.call_status_stats(campaigns=["TESTCAMP", "TESTCMP2"], ingroups="TESTIN",
                                           query_date=dt.date(2026, 11, 28),
                                           query_time=dt.time(8, 0), end_time="17:30:00")
    first, second = res
    assert first.campaign_id_or_ingroup == "TESTCAMP" and first.total_calls == 4
    assert first.hourly_breakdown == tuple(h % 3 for h in range(24))
    assert first.statuses == {"CALLBK": 1, "NA": 1, "A-B": 2}
    assert second.status_breakdown == () and second.extra == {}
    sent = backend.forms[0]
    assert sent["campaigns"] == "TESTCAMP-TESTCMP2" and sent["query_time"] == "08:00:00"
    assert sent["query_date"] == "2026-11-28" and "stage" not in sent


async def test_call_dispo_report_matches_counts_in_sorted_status_order() -> None:
    # The header lists NI before CALLBK (first appearance); counts come sorted by status.
    body = ("CAMPAIGN,TOTAL CALLS,NI,CALLBK\nTESTCAMP,5,2 (40.0%),3 (60.0%)\n"
            "TOTAL,5,2 (40.0%),3 (60.0%)")
    vd, backend = client(body)
    rep = await vd.stats.call_dispo_report(campaigns="TESTCAMP", status_breakdown=True,
                                           show_percentages=True)
    assert rep.status_columns == ("NI", "CALLBK")
    (row,) = rep.rows
    assert row.campaign == "TESTCAMP" and row.total_calls == 5
    assert row.statuses == {"CALLBK": 2, "NI": 3}
    assert row.percentages == {"CALLBK": 40.0, "NI": 60.0}
    assert rep.total is not None and rep.total.is_total and rep.total.total_calls == 5
    assert backend.forms[0]["status_breakdown"] == "1" and backend.forms[0]["show_percentages"] == "1"


async def test_call_dispo_report_plain() -> None:
    vd, _ = client("CAMPAIGN,TOTAL CALLS\nTESTCAMP,4\nTOTAL,4")
    rep = await vd.stats.call_dispo_report(ingroups="---ALL---")
    assert [r.total_calls for r in rep] == [4] and rep.total is not None and rep.status_columns == ()


@pytest.mark.parametrize(("function", "kwargs", "parameter"), [
    ("agent_status", {"agent_user": "bad user"}, "agent_user"),
    ("agent_status", {"agent_user": "a1", "stage": "newline"}, "stage"),
    ("user_group_status", {"user_groups": ["OK", "not ok"]}, "user_groups"),
    ("user_group_status", {"user_groups": ["A|B"]}, "user_groups"),
    ("logged_in_agents", {"campaigns": ["TEST.CAMP"]}, "campaigns"),
    ("agent_stats_export", {"datetime_start": "2026-11-27", "datetime_end": "2026-11-28 00:00:00"},
     "datetime_start"),
    ("agent_stats_export", {"datetime_start": dt.datetime(2026, 11, 28),
                            "datetime_end": dt.datetime(2026, 11, 27)}, "datetime_end"),
    ("agent_stats_export", {"datetime_start": dt.datetime(2026, 11, 27),
                            "datetime_end": dt.datetime(2026, 11, 28), "time_format": "h"},
     "time_format"),
    ("agent_stats_export", {"datetime_start": dt.datetime(2026, 11, 27),
                            "datetime_end": dt.datetime(2026, 11, 28), "campaign_id": "TOOLONGCAMP"},
     "campaign_id"),
    ("phone_number_log", {"phone_number": ["3125550101", "12"]}, "phone_number"),
    ("phone_number_log", {"phone_number": "312-555-0101"}, "phone_number"),
    ("phone_number_log", {"phone_number": "3125550101", "type": "BOTH"}, "type"),
    ("callid_info", {"call_id": "Q1128150000000002010"}, "call_id"),
    ("callid_info", {"call_id": "V1128150000.000002010"}, "call_id"),
    ("callid_info", {"call_id": "V11281"}, "call_id"),
    ("call_status_stats", {"campaigns": ["TEST-CAMP"]}, "campaigns"),
    ("call_status_stats", {"campaigns": "TESTCAMP", "query_time": "8:00"}, "query_time"),
    ("call_dispo_report", {}, "campaigns"),
    ("call_dispo_report", {"did_patterns": "312-555"}, "did_patterns"),
    ("call_dispo_report", {"campaigns": "TESTCAMP", "show_percentages": True}, "show_percentages"),
])
async def test_bad_values_are_refused_before_sending(function: str, kwargs: dict[str, Any],
                                                     parameter: str) -> None:
    vd, backend = client("should not be read\n")
    with pytest.raises(InvalidParameterError) as info:
        await getattr(vd.stats, function)(**kwargs)
    assert info.value.parameter == parameter and info.value.sent is False
    assert backend.forms == []


STATS = [s for s in REGISTRY.for_api("non_agent") if s.group == "stats"]


@pytest.mark.parametrize("spec", STATS, ids=lambda s: s.name)
async def test_reference_error_templates_raise_their_error(spec: Any) -> None:
    for error in spec.all_errors:
        vd, _ = client(render(error.text))
        with pytest.raises(APIError) as info:
            await getattr(vd.stats, spec.name)(**ARGS[spec.name])
        assert type(info.value) is error_class_for_kind(error.kind), error.text
        assert info.value.function == spec.name


async def test_phone_number_log_notice_is_an_empty_result() -> None:
    (notice,) = REGISTRY["non_agent", "phone_number_log"].response.notices
    vd, _ = client(render(notice.text))
    res = await vd.stats.phone_number_log(phone_number="3125550101")
    assert len(res) == 0 and "NO RECORDS FOUND" in res.notices[0].reason


async def test_not_found_keeps_masked_raw() -> None:
    vd, _ = client("ERROR: agent_status AGENT NOT FOUND: apiuser|nosuch\n")
    with pytest.raises(NotFoundError) as info:
        await vd.stats.agent_status(agent_user="nosuch")
    assert info.value.fields["agent_user"] == "nosuch"


def _kwargs_from_recording(spec: Any, params: dict[str, str]) -> dict[str, Any]:
    """The method arguments that reproduce a recorded request as the server understood it."""
    kw: dict[str, Any] = {k: v for k, v in params.items()
                          if k not in ("user", "pass", "source", "function")}
    if spec.response.header_param:
        # The server reads anything but exact YES as NO, and any unknown stage as pipe.
        kw["header"] = kw.get("header") == "YES"
        kw["stage"] = kw.get("stage") if kw.get("stage") in DELIMS else "pipe"
    return kw


async def test_recorded_answers_decode(real_answers: list[dict[str, Any]]) -> None:
    seen = 0
    for rec in real_answers:
        spec = REGISTRY.get(("non_agent", rec["function"]))
        if spec is None or spec.group != "stats" or rec["http_status"] != 200:
            continue
        vd, _ = client(rec["body"])
        method = getattr(vd.stats, spec.name)
        kw = _kwargs_from_recording(spec, rec["params"])
        try:
            result = await method(**kw)
        except TypeError:
            # A required argument is missing: Python refuses the call itself.
            assert "missing" in rec["case"], rec["case"]
            continue
        except InvalidParameterError as exc:
            # Refused before sending: only for requests the reference calls invalid.
            assert not exc.sent or rec["body"].startswith("ERROR"), rec["case"]
            assert exc.sent or rec["case"].startswith("invalid"), rec["case"]
            continue
        except APIError:
            assert rec["body"].startswith("ERROR"), rec["case"]
            continue
        seen += 1
        assert not rec["body"].startswith("ERROR"), rec["case"]
        lines = [x for x in rec["body"].split("\n") if x]
        expected = len(lines) - (1 if kw.get("header") else 0)
        if spec.name == "call_dispo_report":
            expected = len(lines) - 2  # header and TOTAL
        assert len(result) == expected, rec["case"]
        assert result.raw == rec["body"]
    assert seen >= 40
