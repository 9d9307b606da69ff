"""The journal and the results file: replay, torn writes, compaction, truncation, overrides."""

from __future__ import annotations

import csv
import json
import os
import shutil
from collections import Counter
from pathlib import Path
from typing import Any

import anyio
import pytest
from hypothesis import given
from hypothesis import strategies as st

from vicidial_async import ConfigurationError
from vicidial_async.bulk import BulkLeadLoader, Outcome, RowOutcome
from vicidial_async.bulk import journal as journal_module
from vicidial_async.bulk.journal import Journal, JournalState, _line
from vicidial_async.bulk.results import (
    ResultsWriter,
    _parse,
    format_line,
    results_columns,
    rewrite_results,
    scan_results,
)
from vicidial_async.testing import FakeVicidial

from .conftest import API_USER, PASSWORD, USER

FIXTURES = Path(__file__).parent / "fixtures"

HEADER = {"input": {"kind": "iterable"}, "options": {}, "tag": "abc123"}


def unknown(row: int, w: int = 5) -> dict[str, Any]:
    o = RowOutcome(row, Outcome.UNKNOWN, phone_number="3125550101", error="reset").to_record()
    return {"t": "d", "r": row, "o": o, "f": {"phone_number": "3125550101", "list_id": "101"},
            "w": w, "k": "p", "q": "3125550101"}


def added(row: int, lead_id: int) -> dict[str, Any]:
    return {"t": "d", "r": row, "o": RowOutcome(row, Outcome.ADDED, lead_id).to_record()}


def sent(row: int, w: int = 0) -> dict[str, Any]:
    return {"t": "s", "r": row, "w": w, "k": "p", "q": str(row)}


def replay(records: list[dict[str, Any]]) -> JournalState:
    state = JournalState()
    for rec in [{"t": "run", "v": 1, **HEADER}, *records]:
        state.apply(rec)
    return state


def test_rows_sent_without_an_outcome_stay_in_the_tail_until_answered() -> None:
    state = replay([sent(1), sent(2), added(1, 10), {"t": "c", "r": 1}])
    assert state.k == 1 and set(state.tail) == {2} and state.tail[2]["t"] == "s"
    assert not state.unresolved


def test_unknown_rows_survive_checkpoints_until_an_override_settles_them() -> None:
    state = replay([unknown(1, w=7), {"t": "c", "r": 1}])
    assert list(state.unresolved) == [1] and state.unresolved[1]["f"]["phone_number"] == "3125550101"
    # A resend of an unknown row keeps the lowest watermark for the lookup.
    state.apply({"t": "s", "r": 1, "w": 9, "k": "p", "q": "3125550101"})
    assert state.unresolved[1]["w"] == 7
    state.apply({"t": "x", "r": 1, "o": RowOutcome(1, Outcome.ADDED, 12).to_record()})
    assert not state.unresolved and state.overrides[1]["lead_id"] == 12


def test_a_not_sent_record_only_clears_a_pending_send() -> None:
    state = replay([{"t": "s", "r": 1, "w": 0, "k": "p", "q": "1"}, {"t": "n", "r": 1}, unknown(2),
                    {"t": "n", "r": 2}])
    assert 1 not in state.tail and state.tail[2]["o"]["outcome"] == "unknown"


def test_the_snapshot_replays_to_the_same_state() -> None:
    settled = {"t": "x", "r": 1, "o": {"row": 1, "outcome": "added", "lead_id": 11}}
    state = replay([unknown(1), added(2, 20), {"t": "c", "r": 2}, settled, unknown(3), sent(4, 3),
                    added(5, 50), {"t": "end"}])
    again = JournalState()
    for rec in state.snapshot():
        again.apply(json.loads(json.dumps(rec)))
    for name in ("header", "k", "tail", "unresolved", "overrides", "complete"):
        assert getattr(again, name) == getattr(state, name), name


async def test_records_reach_the_file_before_commit_returns_and_a_torn_line_is_ignored(
        tmp_path: Path) -> None:
    path = tmp_path / "r.csv.journal"
    journal = Journal.create(path, HEADER, fsync=True)
    async with anyio.create_task_group() as tg:
        tg.start_soon(journal.committer)
        journal.record({"t": "s", "r": 1, "w": 0, "k": "p", "q": "1"})
        await journal.commit()
        assert b'"t":"s"' in path.read_bytes()
        tg.cancel_scope.cancel()
    await journal.aclose()
    path.write_bytes(path.read_bytes() + b'{"t":"d","r":1,"o":{"ro')   # the crash hit mid-write
    state = JournalState.replay(path)
    assert state.tail[1]["t"] == "s" and state.header["tag"] == "abc123"
    with pytest.raises(ConfigurationError, match="exists"):
        Journal.create(path, HEADER, fsync=False)


@pytest.mark.parametrize("backend", ["asyncio", "trio"])
def test_a_commit_returns_once_an_fsync_covered_its_record_and_commits_share_fsyncs(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, backend: str) -> None:
    path = tmp_path / "j.journal"
    journal = Journal.create(path, HEADER, fsync=True)
    synced: list[int] = []          # the file's size at each fsync of it
    real_fsync = os.fsync

    def fsync(fd: int) -> None:
        size = os.fstat(fd).st_size
        real_fsync(fd)
        synced.append(size)

    monkeypatch.setattr(os, "fsync", fsync)

    async def main() -> None:
        async def send(row: int) -> None:
            for attempt in range(3):
                journal.record({"t": "s", "r": row, "w": attempt, "a": 1.5, "k": "p", "q": str(row)})
                end = path.stat().st_size + sum(map(len, journal._buf))
                await journal.commit()
                assert synced and max(synced) >= end, "commit returned before its fsync"

        async with anyio.create_task_group() as tg:
            tg.start_soon(journal.committer)
            async with anyio.create_task_group() as rows:
                for row in range(1, 17):
                    rows.start_soon(send, row)
            tg.cancel_scope.cancel()
        await journal.aclose()

    anyio.run(main, backend=backend)
    assert len(synced) < 48, "each commit had an fsync of its own"
    assert set(JournalState.replay(path).tail) == set(range(1, 17))


async def test_a_failed_fsync_fails_the_commit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    journal = Journal.create(tmp_path / "j.journal", HEADER, fsync=True)

    def fsync(fd: int) -> None:
        raise OSError(5, "Input/output error")

    monkeypatch.setattr(os, "fsync", fsync)
    journal.record(sent(1))
    with pytest.raises(OSError, match=r"fsync of .* failed: Input/output error"):
        await journal.commit()
    journal.record(sent(2))
    with pytest.raises(OSError, match="fsync"):    # and every commit after it
        await journal.commit()


async def test_without_an_fsync_thread_the_committer_task_fsyncs(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Under an event loop the journal cannot be called back from (neither asyncio nor trio).
    monkeypatch.setattr(journal_module, "_thread_safe_call_soon", lambda: None)
    path = tmp_path / "j.journal"
    journal = Journal.create(path, HEADER, fsync=True)
    async with anyio.create_task_group() as tg:
        tg.start_soon(journal.committer)
        journal.record(sent(1))
        await journal.commit()
        assert b'"r":1' in path.read_bytes()
        tg.cancel_scope.cancel()
    await journal.aclose()


async def test_commits_during_a_compaction_wait_for_it_and_land_in_the_new_file(
        tmp_path: Path) -> None:
    path = tmp_path / "j.journal"
    journal = Journal.create(path, HEADER, fsync=True)

    async def send(row: int) -> None:
        journal.record(sent(row))
        await journal.commit()
        journal.record(added(row, row))

    async with anyio.create_task_group() as tg:
        tg.start_soon(journal.committer)
        async with anyio.create_task_group() as rows:
            for row in range(1, 41):
                rows.start_soon(send, row)
                if row % 10 == 0:
                    rows.start_soon(journal.compact)
        journal.record({"t": "c", "r": 40})
        journal.record(sent(41))
        await journal.commit()
        tg.cancel_scope.cancel()
    await journal.aclose()
    state = JournalState.replay(path)
    assert state.k == 40 and list(state.tail) == [41] and not state.unresolved


async def test_compaction_keeps_what_matters_and_shrinks_the_file(tmp_path: Path) -> None:
    path = tmp_path / "j.journal"
    journal = Journal.create(path, HEADER, fsync=False)
    for row in range(1, 2001):
        journal.record({"t": "s", "r": row, "w": 0, "k": "p", "q": str(row)})
        journal.record(added(row, row) if row != 7 else unknown(row))
    journal.record({"t": "c", "r": 2000})
    journal.record({"t": "s", "r": 2001, "w": 1, "k": "p", "q": "x"})
    await journal.flush()
    big = path.stat().st_size
    await journal.compact()
    await journal.aclose()
    assert path.stat().st_size < big / 20
    state = JournalState.replay(path)
    assert state.k == 2000 and list(state.unresolved) == [7] and list(state.tail) == [2001]


def test_results_are_one_line_per_row_in_csv_and_jsonl(tmp_path: Path) -> None:
    for name in ("r.csv", "r.jsonl"):
        path = tmp_path / name
        w = ResultsWriter(path, append=False)
        w.write(RowOutcome(1, Outcome.REJECTED, error="line one\nline two", error_type="X"))
        w.write(RowOutcome(2, Outcome.ADDED, 5, 101, phone_number="3125550101"))
        w.close()
        lines = path.read_text().splitlines()
        assert len(lines) == (3 if name == "r.csv" else 2)
        seen: list[RowOutcome] = []
        scan_results(path, 2, seen.append)
        assert [o.outcome for o in seen] == [Outcome.REJECTED, Outcome.ADDED] and seen[1].lead_id == 5
        with pytest.raises(ConfigurationError, match="exists"):
            ResultsWriter(path, append=False)


def test_a_resume_cuts_the_results_back_to_the_checkpoint(tmp_path: Path) -> None:
    path = tmp_path / "r.csv"
    w = ResultsWriter(path, append=False)
    for row in range(1, 6):
        w.write(RowOutcome(row, Outcome.ADDED, row))
    w.close()
    with open(path, "a") as fh:
        fh.write("6,add")             # torn by the crash
    seen: list[RowOutcome] = []
    scan_results(path, 3, seen.append)
    assert [o.row for o in seen] == [1, 2, 3]
    assert path.read_text().splitlines()[-1].startswith("3,added")
    with pytest.raises(ConfigurationError, match="promises 9"):
        scan_results(path, 9, seen.append)


def test_overrides_replace_records_in_place(tmp_path: Path) -> None:
    path = tmp_path / "r.jsonl"
    w = ResultsWriter(path, append=False)
    for row in range(1, 4):
        w.write(RowOutcome(row, Outcome.UNKNOWN if row == 2 else Outcome.ADDED, row))
    w.close()
    rewrite_results(path, {2: RowOutcome(2, Outcome.ADDED, 99, detail="reconciled")}, fsync=True)
    records = [json.loads(x) for x in path.read_text().splitlines()]
    assert [r["outcome"] for r in records] == ["added"] * 3 and records[1]["lead_id"] == 99


# -- the encoding of journal lines and results records --------------------------------------------

_GENERIC = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))
text = st.text(st.characters(exclude_categories=["Cs"]), max_size=30)   # any text utf-8 can hold
ints = st.integers(min_value=-1, max_value=2**63)


@given(row=st.integers(1, 10**9), w=ints,
       a=st.floats(allow_nan=False, allow_infinity=False) | st.integers(0, 2**40),
       kind=st.sampled_from(["p", "v"]), key=text)
def test_a_send_record_is_written_as_json_would_write_it(row: int, w: int, a: float, kind: str,
                                                        key: str) -> None:
    rec = {"t": "s", "r": row, "w": w, "a": a, "k": kind, "q": key}
    line = _line(rec)
    assert line == (_GENERIC.encode(rec) + "\n").encode()
    assert json.loads(line) == rec


@pytest.mark.parametrize("rec", [
    {"t": "s", "r": 1, "w": True, "a": 1.5, "k": "p", "q": "1"},          # a bool is not an int
    {"t": "s", "r": 1, "w": 0, "a": float("inf"), "k": "p", "q": "1"},
    {"t": "s", "r": 1, "w": 0, "a": 2, "k": "p", "q": "1"},
    {"t": "s", "r": 1, "w": 0, "k": "p", "q": "1"},                       # no attempt time
    {"t": "s", "r": 1, "w": 0, "a": 1.0, "k": "p", "q": "1", "m": True},
    {"t": "d", "r": 2, "o": {"row": 2, "outcome": "added", "lead_id": 7, "detail": "é \"q\" \\"}},
    {"t": "d", "r": 2, "o": {"row": 2, "outcome": "unknown"}, "m": True},   # with a history
    {"t": "d", "r": 2, "o": {"row": 2, "outcome": "added", "lead_id": True}},
    {"t": "d", "r": 2, "o": {"row": 2, "outcome": "added", "input": {"Phone": "1", "n": 2.5}}},
    {"t": "d", "r": "2", "o": {"row": 2, "outcome": "added"}},
])
def test_records_of_other_shapes_are_written_as_json_would_write_them(rec: dict[str, Any]) -> None:
    assert _line(rec) == (_GENERIC.encode(rec) + "\n").encode()


outcomes = st.builds(
    RowOutcome, row=st.integers(1, 10**6), outcome=st.sampled_from(list(Outcome)),
    lead_id=st.none() | st.integers(1, 10**9), list_id=st.none() | st.integers(1, 10**9),
    phone_code=text, phone_number=text, vendor_lead_code=text, error_type=text, error=text,
    parameter=text, detail=text)


def _one_line(o: RowOutcome) -> RowOutcome:
    fields = ("phone_code", "phone_number", "vendor_lead_code", "error_type", "error", "parameter",
              "detail")
    return RowOutcome(o.row, o.outcome, o.lead_id, o.list_id, **{
        f: getattr(o, f).replace("\r\n", " ").replace("\n", " ").replace("\r", " ")
        for f in fields})


@given(outcome=outcomes)
def test_an_answer_record_is_written_as_json_would_write_it(outcome: RowOutcome) -> None:
    rec = {"t": "d", "r": outcome.row, "o": outcome.to_record()}
    line = _line(rec)
    assert line == (_GENERIC.encode(rec) + "\n").encode()
    assert json.loads(line) == rec


@given(outcome=outcomes, fmt=st.sampled_from(["csv", "jsonl"]))
def test_a_results_record_reads_back_as_the_outcome_on_one_line(outcome: RowOutcome, fmt: str) -> None:
    line = format_line(outcome, fmt)
    assert line.endswith("\n") and "\n" not in line[:-1] and "\r" not in line
    back = RowOutcome.from_record(_parse(line.encode(), fmt, results_columns()))
    assert back == _one_line(outcome)
    assert back.to_record() == outcome.to_record()
    if fmt == "csv":
        assert next(csv.reader([line[:-1]])) == outcome.to_csv_row()


# -- journals written by earlier versions ----------------------------------------------------------


def fixture_rows() -> list[dict[str, str]]:
    with open(FIXTURES / "in.csv", newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


@pytest.mark.parametrize("name", ["v2-midrun", "v2-stopped"])
def test_a_journal_of_the_earlier_encoding_replays_alike_once_rewritten(name: str,
                                                                        tmp_path: Path) -> None:
    old = JournalState.replay(FIXTURES / name / "r.jsonl.journal")
    lines = (FIXTURES / name / "r.jsonl.journal").read_bytes().splitlines(keepends=True)
    again = tmp_path / "j"
    again.write_bytes(b"".join(_line(json.loads(x)) for x in lines))
    new = JournalState.replay(again)
    for part in ("header", "k", "tail", "unresolved", "overrides", "complete"):
        assert getattr(new, part) == getattr(old, part), part
    assert again.read_bytes() == b"".join(lines)


@pytest.mark.parametrize("name", ["v2-midrun", "v2-stopped"])
async def test_a_journal_of_the_earlier_encoding_resumes_to_one_lead_per_row(name: str,
                                                                           tmp_path: Path) -> None:
    # Made by the loader of d4e9278 (tests/bulk/fixtures/make_v2_journals.py): "midrun" as a
    # SIGKILL leaves it, rows in flight and answers lost; "stopped" compacted, unknown rows left.
    for f in ("r.jsonl", "r.jsonl.journal"):
        shutil.copyfile(FIXTURES / name / f, tmp_path / f)
    landed = json.loads((FIXTURES / name / "leads.json").read_text())
    fake = FakeVicidial(seed_users=[API_USER])
    fake.seed(leads=landed)
    rows = fixture_rows()
    async with fake.client(user=USER, password=PASSWORD, max_connections=4) as vd:
        summary = await BulkLeadLoader(vd, list_id=101, concurrency=4, settle=1).run(
            rows, results=tmp_path / "r.jsonl", resume=True)
    assert summary.complete and summary.counts == {"added": 45, "rejected": 3}
    records = [json.loads(x) for x in (tmp_path / "r.jsonl").read_text().splitlines()]
    assert [r["row"] for r in records] == list(range(1, 49))
    leads = [x for x in fake.state.leads.values() if x.list_id == 101]
    phones = [r["phone_number"] for r in records if r["outcome"] == "added"]
    assert Counter(x.phone_number for x in leads) == Counter(phones) == dict.fromkeys(phones, 1)
    assert {r["lead_id"] for r in records if r["outcome"] == "added"} == {x.lead_id for x in leads}
    # Permits are not written into a journal an older loader could resume (it would ignore them).
    journal = (tmp_path / "r.jsonl.journal").read_text()
    assert '"t":"p"' not in journal and '"v":2' in journal


@pytest.mark.parametrize("backend", ["asyncio", "trio"])
def test_a_fsynced_load_under_either_event_loop(tmp_path: Path, backend: str) -> None:
    fake = FakeVicidial(seed_users=[API_USER])
    rows = [{"phone_number": f"31255501{i:02d}"} for i in range(30)]

    async def main() -> Any:
        async with fake.client(user=USER, password=PASSWORD, max_connections=4) as vd:
            return await BulkLeadLoader(vd, list_id=101, fsync=True).run(
                rows, results=tmp_path / "r.csv")

    summary = anyio.run(main, backend=backend)
    assert summary.complete and summary.counts == {"added": 30} and len(fake.leads) == 30
    assert JournalState.replay(tmp_path / "r.csv.journal").complete
