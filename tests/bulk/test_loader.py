"""The loader against the in-process fake: outcomes, order, reconciliation, stop and resume."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from vicidial_async import ConfigurationError, RetryPolicy, VicidialClient
from vicidial_async.bulk import BulkLeadLoader, Outcome, RowOutcome
from vicidial_async.testing import FakeVicidial

from .conftest import PASSWORD, USER, lead_counts, phones, read_results, write_csv


def rows_of(numbers: list[str], **extra: str) -> list[dict[str, str]]:
    return [{"phone": p, **extra} for p in numbers]


@pytest.mark.parametrize("fsync", [True, False])
async def test_every_row_gets_one_outcome_in_input_order(fake: FakeVicidial, vd: VicidialClient,
                                                         tmp_path: Path, fsync: bool) -> None:
    fake.dnc["SYSTEM_INTERNAL"].add("3125550003")
    numbers = phones(40)
    rows: list[dict[str, str]] = rows_of(numbers, first_name="Ann")
    rows[5]["phone"] = rows[2]["phone"]              # duplicate of row 3
    rows[29]["phone"] = rows[11]["phone"]            # duplicate of row 12 (rows go in input order)
    rows[9]["first_name"] = "José"                   # refused before sending
    rows[12]["phone"] = "555-12"                     # too short
    seen: list[RowOutcome] = []
    loader = BulkLeadLoader(vd, list_id=101, duplicate_check="DUPLIST", dnc_check="Y", settle=0,
                            fsync=fsync)
    summary = await loader.run(rows, results=tmp_path / "out.csv", on_outcome=seen.append)
    results = read_results(tmp_path / "out.csv")
    assert [int(r["row"]) for r in results] == list(range(1, 41)) == [o.row for o in seen]
    by_row = {int(r["row"]): r for r in results}
    assert by_row[6]["outcome"] == "duplicate" and by_row[6]["lead_id"] == by_row[3]["lead_id"]
    assert by_row[30]["outcome"] == "duplicate" and by_row[30]["lead_id"] == by_row[12]["lead_id"]
    added_ids = [int(r["lead_id"]) for r in results if r["outcome"] == "added"]
    assert added_ids == sorted(added_ids), "rows must be sent in input order"
    assert by_row[4]["outcome"] == "rejected" and by_row[4]["error_type"] == "DNCError"
    assert (by_row[10]["outcome"], by_row[10]["parameter"]) == ("rejected", "first_name")
    assert by_row[13]["outcome"] == "rejected" and "refused before sending" in by_row[13]["detail"]
    assert summary.counts == {"added": 35, "duplicate": 2, "rejected": 3} and summary.complete
    assert not summary.ok
    assert sum(lead_counts(fake).values()) == 35 and max(lead_counts(fake).values()) == 1
    added = {int(r["lead_id"]) for r in results if r["outcome"] == "added"}
    assert added == {x.lead_id for x in fake.leads.values()}


@pytest.mark.parametrize("fsync", [True, False])
async def test_rows_taken_after_the_first_lead_go_straight_to_their_send(
        fake: FakeVicidial, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fsync: bool) -> None:
    # The rows held back while the first row is sent pass one by one; a row taken meanwhile
    # would queue behind them, and the rows taken while it waits behind it: with a server that
    # answers at once that queue never drained, and every row of the load paid a pass through it.
    import vicidial_async.bulk.loader as loader_module

    queued: list[int] = []
    through_queue = loader_module._Run._send

    async def counted(self: loader_module._Run, job: loader_module._Job) -> RowOutcome | None:
        queued.append(job.row)
        return await through_queue(self, job)

    monkeypatch.setattr(loader_module._Run, "_send", counted)
    numbers = phones(400)
    async with fake.client(user=USER, password=PASSWORD, max_connections=16) as client:
        loader = BulkLeadLoader(client, list_id=101, concurrency=16, fsync=fsync)
        summary = await loader.run(rows_of(numbers), results=tmp_path / "r.csv")
    assert summary.counts == {"added": 400}
    assert len(queued) <= 16, f"{len(queued)} rows went through the queue of the first lead"
    added = [int(r["lead_id"]) for r in read_results(tmp_path / "r.csv")]
    assert added == sorted(added), "rows must be sent in input order"


async def test_a_dry_run_runs_the_same_checks_and_sends_nothing(fake: FakeVicidial, tmp_path: Path) -> None:
    rows = rows_of(["3125550101", "312", "(312) 555-0102"])
    rows[2]["email"] = "a+b@example.com"
    loader = BulkLeadLoader(None, list_id=101, duplicate_check="DUPLIST")
    summary = await loader.run(rows, results=tmp_path / "dry.jsonl", dry_run=True)
    assert summary.counts == {"valid": 1, "rejected": 2} and summary.dry_run and fake.requests == 0
    text = (tmp_path / "dry.jsonl").read_text()
    assert '"parameter":"phone_number"' in text and '"parameter":"email"' in text


async def test_lost_answers_are_looked_up_and_never_create_a_second_lead(fake: FakeVicidial,
                                                                         vd: VicidialClient,
                                                                         tmp_path: Path) -> None:
    # Without duplicate_check the client may not resend a lost add_lead: the loader settles it.
    fake.faults.set("add_lead", reset="after", rate=0.2)
    numbers = phones(60)
    summary = await BulkLeadLoader(vd, list_id=101, settle=0).run(rows_of(numbers),
                                                                  results=tmp_path / "r.csv")
    assert summary.counts == {"added": 60} and summary.lookups >= 5
    assert lead_counts(fake) == dict.fromkeys(numbers, 1)
    results = read_results(tmp_path / "r.csv")
    # Each lost answer was settled by a lookup (the other lookups ran before the first lead).
    assert sum("reconciled" in r["detail"] for r in results) == len(fake.faults.injected)
    assert {int(r["lead_id"]) for r in results} == set(fake.leads)


async def test_an_unknown_row_that_did_not_land_is_sent_again(fake: FakeVicidial, vd: VicidialClient) -> None:
    fake.faults.set("add_lead", reset="before", times=3)
    numbers = phones(10)
    summary = await BulkLeadLoader(vd, list_id=101, settle=0).run(rows_of(numbers))
    # 3 lookups settle the lost answers; 4 more ran before the first lead (one per row sent
    # while this load had no lead yet: the rows whose answer was lost, then the first added).
    assert summary.counts == {"added": 10} and summary.lookups == 3 + 4 and summary.sent == 13
    assert lead_counts(fake) == dict.fromkeys(numbers, 1)


async def test_rows_stay_unknown_when_the_lookup_fails_too(fake: FakeVicidial, vd: VicidialClient,
                                                           tmp_path: Path) -> None:
    fake.faults.set("add_lead", reset="after", times=1)
    # (skip=1: the lookup before the first send succeeds, so the lost row has its watermark.)
    fake.faults.set("lead_search", http_status=500, skip=1, times=50)
    async with fake.client(user=USER, password=PASSWORD, retry=RetryPolicy.disabled()) as once:
        summary = await BulkLeadLoader(once, list_id=101, settle=0).run(
            rows_of(phones(5)), results=tmp_path / "r.csv")
    assert summary.counts == {"added": 4, "unknown": 1}
    # The next run settles it without sending it again.
    fake.faults.clear()
    again = await BulkLeadLoader(vd, list_id=101, settle=0).run(
        rows_of(phones(5)), results=tmp_path / "r.csv", resume=True)
    assert again.counts == {"added": 5} and again.sent == 0 and again.lookups == 1
    assert lead_counts(fake) == dict.fromkeys(phones(5), 1)
    assert [r["outcome"] for r in read_results(tmp_path / "r.csv")] == ["added"] * 5


async def test_a_marker_makes_the_lookup_exact(fake: FakeVicidial, vd: VicidialClient) -> None:
    # Someone else's lead with the same phone would fool a phone lookup; the marker does not.
    fake.faults.set("add_lead", reset="after", times=2)
    seen: list[RowOutcome] = []
    summary = await BulkLeadLoader(vd, list_id=101, marker=True, settle=0).run(
        rows_of(phones(6)), on_outcome=seen.append)
    assert summary.counts == {"added": 6}
    codes = {x.vendor_lead_code for x in fake.leads.values()}
    assert len(codes) == 6 and all(c.endswith(("-1", "-2", "-3", "-4", "-5", "-6")) for c in codes)
    assert sum("vendor_lead_code lookup" in o.detail for o in seen) == 2


async def test_a_resent_call_meeting_an_older_lead_is_a_duplicate_not_an_add(fake: FakeVicidial,
                                                                             vd: VicidialClient) -> None:
    fake.seed(leads=[{"phone_number": "3125550001", "list_id": 101}])
    # The second add_lead is cut before it reaches the server; the client's resend then meets
    # the lead that was there before the load: that is a duplicate, not this row's lead.
    fake.faults.set("add_lead", reset="before", skip=1, times=1)
    seen: list[RowOutcome] = []
    await BulkLeadLoader(vd, list_id=101, duplicate_check="DUPLIST").run(
        rows_of(["3125550000", "3125550001"]), on_outcome=seen.append)
    assert [o.outcome for o in seen] == [Outcome.ADDED, Outcome.DUPLICATE]
    assert seen[1].lead_id == min(fake.leads) and "client resent" in seen[1].detail


async def test_one_phone_twice_with_both_answers_lost_is_added_once(fake: FakeVicidial,
                                                                    vd: VicidialClient) -> None:
    # Both rows are sent at once; the server applies each (an add, then a DUPLICATE) and the
    # answers are lost. Both resends meet the same new lead: only one row may claim it.
    # (The first row goes alone: the loader waits for one answer before it opens the window.)
    fake.faults.set("add_lead", reset="after", skip=1, times=2)
    seen: list[RowOutcome] = []
    summary = await BulkLeadLoader(vd, list_id=101, duplicate_check="DUPLIST", settle=0).run(
        rows_of(["3125550001", "3125550007", "3125550007"]), on_outcome=seen.append)
    assert lead_counts(fake) == {"3125550001": 1, "3125550007": 1}
    assert summary.counts == {"added": 2, "duplicate": 1}
    assert {o.lead_id for o in seen} == set(fake.leads)


async def test_custom_fields_from_unmapped_columns(fake: FakeVicidial, vd: VicidialClient,
                                                   tmp_path: Path) -> None:
    rows = [{"phone": "3125550101", "fav_color": "blue"}]
    seen: list[RowOutcome] = []
    await BulkLeadLoader(vd, list_id=101, custom_fields=True).run(rows, on_outcome=seen.append)
    assert seen[0].outcome is Outcome.ADDED
    # Without the flag a file's unknown column stops the load before anything is sent.
    src = write_csv(tmp_path / "in.csv", rows, ["phone", "fav_color"])
    with pytest.raises(ConfigurationError, match="fav_color"):
        await BulkLeadLoader(vd, list_id=101).run(src)
    assert len(fake.leads) == 1


async def test_bad_options_are_refused_before_anything_is_sent(vd: VicidialClient) -> None:
    with pytest.raises(ConfigurationError, match="not add_lead options"):
        BulkLeadLoader(vd, list_id=101, colour="red")
    with pytest.raises(Exception, match="list_id"):
        BulkLeadLoader(vd, list_id=7)
    with pytest.raises(Exception, match="duplicate_check"):
        BulkLeadLoader(vd, list_id=101, duplicate_check="DUPNOPE")


async def test_a_login_failure_stops_the_load_and_leaves_it_resumable(fake: FakeVicidial,
                                                                     tmp_path: Path) -> None:
    async with fake.client(user=USER, password="wrong-pass") as bad:
        summary = await BulkLeadLoader(bad, list_id=101).run(rows_of(phones(20)),
                                                             results=tmp_path / "r.csv")
    assert summary.stopped is not None and "AuthenticationError" in summary.stopped
    assert summary.rows == 0 and not fake.leads
    async with fake.client(user=USER, password=PASSWORD) as good:
        again = await BulkLeadLoader(good, list_id=101).run(rows_of(phones(20)),
                                                            results=tmp_path / "r.csv", resume=True)
    assert again.complete and again.counts == {"added": 20}


async def test_stop_lets_calls_finish_and_resume_completes_without_duplicates(fake: FakeVicidial,
                                                                              vd: VicidialClient,
                                                                              tmp_path: Path) -> None:
    numbers = phones(200)
    loader = BulkLeadLoader(vd, list_id=101, concurrency=4, settle=0)

    def stop_early(o: RowOutcome) -> None:
        if o.row == 30:
            loader.stop()

    first = await loader.run(rows_of(numbers), results=tmp_path / "r.csv", on_outcome=stop_early)
    assert first.stopped == "interrupted" and 30 <= first.rows < 200
    assert len(read_results(tmp_path / "r.csv")) == first.rows
    again = await BulkLeadLoader(vd, list_id=101, concurrency=4).run(
        rows_of(numbers), results=tmp_path / "r.csv", resume=True)
    assert again.complete and again.resumed == first.rows and again.counts == {"added": 200}
    assert lead_counts(fake) == dict.fromkeys(numbers, 1)
    assert [int(r["row"]) for r in read_results(tmp_path / "r.csv")] == list(range(1, 201))


async def test_abort_cancels_calls_in_flight_and_resume_looks_them_up(fake: FakeVicidial,
                                                                       tmp_path: Path) -> None:
    calls = [0]
    loaders: list[BulkLeadLoader] = []

    def latency() -> float:
        calls[0] += 1
        if calls[0] == 18:
            loaders[0].abort()        # calls 11-18 are in flight, hanging
        return 30.0 if 10 < calls[0] <= 18 else 0.0

    fake.faults.set("add_lead", latency=latency)
    numbers = phones(40)
    async with fake.client(user=USER, password=PASSWORD, max_connections=8) as vd:
        loaders.append(BulkLeadLoader(vd, list_id=101, settle=0))
        first = await loaders[0].run(rows_of(numbers), results=tmp_path / "r.csv")
        # Ten calls were answered, but not always those of rows 1-10 (concurrent workers need not
        # send in row order), so fewer rows may be in the results file.
        assert first.stopped == "interrupted" and first.sent == 18 and len(fake.leads) == 10
        assert first.rows <= 10
        again = await BulkLeadLoader(vd, list_id=101, settle=0).run(
            rows_of(numbers), results=tmp_path / "r.csv", resume=True)
    # The 8 cancelled calls were looked up (not there), then sent: each lead exactly once.
    assert again.complete and again.lookups == 8 and again.sent == 30
    assert lead_counts(fake) == dict.fromkeys(numbers, 1)


async def test_resume_refuses_other_settings_and_an_existing_results_file(vd: VicidialClient,
                                                                          tmp_path: Path) -> None:
    out = tmp_path / "r.csv"
    await BulkLeadLoader(vd, list_id=101).run(rows_of(phones(3)), results=out)
    with pytest.raises(ConfigurationError, match="exists"):
        await BulkLeadLoader(vd, list_id=101).run(rows_of(phones(3)), results=out)
    with pytest.raises(ConfigurationError, match="settings changed"):
        await BulkLeadLoader(vd, list_id=101, duplicate_check="DUPLIST").run(
            rows_of(phones(3)), results=out, resume=True)
    done = await BulkLeadLoader(vd, list_id=101).run(rows_of(phones(3)), results=out, resume=True)
    assert done.complete and done.sent == 0 and done.counts == {"added": 3}


async def test_resume_refuses_a_changed_input_file(vd: VicidialClient, tmp_path: Path) -> None:
    src = write_csv(tmp_path / "in.csv", rows_of(phones(3)), ["phone"])
    loader = BulkLeadLoader(vd, list_id=101)
    await loader.run(src, results=tmp_path / "r.csv")
    write_csv(src, rows_of(phones(3, start=5)), ["phone"])
    with pytest.raises(ConfigurationError, match="input file changed"):
        await BulkLeadLoader(vd, list_id=101).run(src, results=tmp_path / "r.csv", resume=True)


def counting(rows: list[dict[str, str]], pulled: list[int]) -> Iterator[dict[str, str]]:
    for row in rows:
        pulled[0] += 1
        yield row


async def test_memory_stays_bounded_when_one_row_is_slow(fake: FakeVicidial) -> None:
    slow = iter([0.3])
    fake.faults.set("add_lead", latency=lambda: next(slow, 0.0))
    pulled = [0]
    at_first: list[int] = []

    def first_done(o: RowOutcome) -> None:
        if o.row == 1:
            at_first.append(pulled[0])

    async with fake.client(user=USER, password=PASSWORD, max_connections=2) as vd:
        loader = BulkLeadLoader(vd, list_id=101, concurrency=2, window=16)
        summary = await loader.run(counting(rows_of(phones(300)), pulled), on_outcome=first_done)
    assert summary.counts == {"added": 300}
    # While row 1 was stuck, the reader went no further than the window (+ the queue).
    assert at_first[0] <= 16 + 2 + 2


async def test_jsonl_results_and_source(vd: VicidialClient, tmp_path: Path) -> None:
    src = tmp_path / "in.jsonl"
    src.write_text('{"phone": "+1 312 555 0001", "first_name": "Ann"}\n{"phone": 42}\n')
    summary = await BulkLeadLoader(vd, list_id=101).run(src, results=tmp_path / "out.jsonl")
    lines = (tmp_path / "out.jsonl").read_text().splitlines()
    assert summary.counts == {"added": 1, "rejected": 1} and '"outcome":"added"' in lines[0]


async def test_a_row_never_looks_sent_earlier_than_it_was(vd: VicidialClient, tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    # The settle wait before a lookup counts from the journaled attempt time: rounded down, a
    # late-landing request could be looked up (and resent) up to a second too early.
    import time

    from vicidial_async.bulk.journal import Journal

    sends: list[object] = []
    record = Journal.record

    def spy(self: Journal, rec: dict[str, object]) -> None:
        if rec["t"] == "s":
            sends.append(rec["a"])
        record(self, rec)

    monkeypatch.setattr(Journal, "record", spy)
    started = time.time()
    summary = await BulkLeadLoader(vd, list_id=101).run(rows_of(phones(20)),
                                                        results=tmp_path / "r.csv")
    assert summary.counts == {"added": 20}
    assert len(sends) == 20
    assert all(type(a) is int and started <= a <= time.time() + 1 for a in sends)
