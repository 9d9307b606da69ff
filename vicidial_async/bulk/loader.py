"""``BulkLeadLoader``: add_lead for every row of a file, rate-limited, resumable, in bounded memory.

>>> async def main() -> None:                                              # doctest: +SKIP
...     async with VicidialClient(url, user, password, rate_limit=RateLimit(50, 8)) as vd:
...         loader = BulkLeadLoader(vd, list_id=101, mapping={"Phone": "phone_number"},
...                                 duplicate_check="DUPLIST")
...         summary = await loader.run("leads.csv", results="leads.results.csv")
...         print(summary.counts)

How a run flows: a reader streams the input, shapes and validates each row (the same checks as
``vd.leads.add_lead``), and hands valid rows to ``concurrency`` workers through a bounded queue;
at most ``window`` rows are between "read" and "written to the results file", so memory does not
grow with the input. Each worker journals the row as sent, then sends it through the client (whose
token bucket and connection gate set the pace). Outcomes are written in input order.

See ``journal.py`` for the crash-consistency rules and ``reconcile.py`` for how ``unknown`` rows
are settled without ever creating a second lead.
"""

from __future__ import annotations

import math
import os
import secrets
import time
from collections import deque
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

import anyio
import anyio.to_thread
import attrs

from .. import errors
from .._durable import current_boot, fsync_dir
from ..models.leads import added_ids
from ..operations import Prepared
from ..operations.leads import ADD_LEAD
from ..protocol.lead_fields import VicidialDataWarning
from ..protocol.lines import StatusAnswer
from .journal import VERSION, Journal, JournalState
from .normalize import ROW_FIELDS, RowShaper
from .outcome import Outcome, RowOutcome
from .permits import SendPermits
from .preflight import check_input, check_server
from .reconcile import ClaimedIds, Unknowable, find_landed, matching_ids
from .results import ResultsWriter, results_format, rewrite_results, scan_results
from .runlock import RunLock
from .sources import BadRow, RowSource, Source, describe_change, jsonl_columns, open_source

if TYPE_CHECKING:
    from ..client import VicidialClient

__all__ = ["BulkLeadLoader", "LoadProgress", "LoadSummary"]

OutcomeCallback = Callable[[RowOutcome], None]

_NOT_OPTIONS = frozenset({"list_id", "phone_number", "custom_fields", "timeout"})
_FATAL = (errors.AuthenticationError, errors.PermissionDeniedError, errors.UnknownFunctionError,
          errors.NotFoundError, errors.ConfigurationError)
_SAMPLE_PHONE = "3125550100"
# Rows one send permit covers, at least (and 4 per worker; see permits.py).
_PERMIT_ROWS = 64
_B36 = "0123456789abcdefghijklmnopqrstuvwxyz"


def _base36(n: int) -> str:
    out = ""
    while True:
        n, r = divmod(n, 36)
        out = _B36[r] + out
        if not n:
            return out


class _Added(NamedTuple):
    """What a load keeps of each lead it adds."""

    lead_id: int
    list_id: int | None
    recovered: bool


def _added(answer: StatusAnswer, form: Mapping[str, str]) -> _Added:
    return _Added(*added_ids(answer), answer.recovered)


# add_lead as ``vd.leads.add_lead`` runs it (the same checks, decoding and resend policy), but
# each answer becomes its ids rather than a whole ``AddLeadResult``: a load reads nothing else
# of it, and building one per row cost about 3% of the instructions a row takes.
_ADD_ROW = ADD_LEAD.with_result(_added)


def _prepare(list_id: str, params: Mapping[str, Any],
             custom: Mapping[str, Any] | None = None) -> Prepared[_Added]:
    """add_lead's own checks on one row (the same operation ``vd.leads.add_lead`` runs)."""
    return _ADD_ROW.prepare({"list_id": list_id, **params}, custom or None)


def _is_fatal(exc: BaseException) -> bool:
    if isinstance(exc, _FATAL):
        return True
    # "NOT A DEFINED LIST ID" (or not allowed): the list itself is wrong, so every row would fail
    # the same way.
    return isinstance(exc, errors.APIError) and exc.facet in ("list_not_found", "list_not_allowed")


@attrs.define
class LoadProgress:
    """Live figures of a run (read them from another task, e.g. for a progress bar).

    ``done`` counts rows whose outcome is in the results (rows answered by an earlier run
    included); ``counts`` is per outcome over the same rows.
    """

    total: int | None = None
    done: int = 0
    resumed: int = 0
    """Rows answered by an earlier run of this results file."""
    counts: dict[str, int] = attrs.field(factory=dict)
    sent: int = 0
    """add_lead calls sent by this run (resends included)."""
    lookups: int = 0
    in_flight: int = 0
    settling: int = 0
    """Rows whose answer was lost, waiting for the settle time before their lookup."""
    started: float = attrs.field(factory=time.monotonic)

    @property
    def rate(self) -> float:
        """Rows per second answered by this run so far."""
        elapsed = time.monotonic() - self.started
        return (self.done - self.resumed) / elapsed if elapsed > 0 else 0.0


@attrs.frozen(slots=True)
class LoadSummary:
    """What a run did.

    ``counts`` is per outcome over every row in the results (earlier runs of a resumed load
    included); ``stopped`` says why a run ended before the end of the input (``"interrupted"``,
    or the fatal error), in which case ``resume=True`` continues it.
    """

    rows: int
    counts: Mapping[str, int]
    resumed: int
    """Rows an earlier run had already answered."""
    sent: int
    lookups: int
    elapsed: float
    stopped: str | None = None
    results: Path | None = None
    journal: Path | None = None
    dry_run: bool = False

    @property
    def complete(self) -> bool:
        """Every input row has its outcome."""
        return self.stopped is None

    @property
    def rate(self) -> float:
        """Rows per second answered by this run."""
        return (self.rows - self.resumed) / self.elapsed if self.elapsed > 0 else 0.0

    @property
    def ok(self) -> bool:
        """Complete, and no row was rejected or left unknown."""
        return self.complete and not self.counts.get("rejected") and not self.counts.get("unknown")


@attrs.define(slots=True)
class _Job:
    row: int
    form: dict[str, str]
    kind: str
    key: str
    reconcile: bool = False
    maybe: bool = False
    """An earlier attempt of this row may have landed."""
    at: float = 0.0
    """Wall-clock time of the latest attempt that may have landed."""
    watermark: int = 0
    """The lowest watermark of the attempts that may have landed."""
    detail: str = ""
    prepared: Prepared[_Added] | None = None
    """The checked call of ``form``, made once and sent on every attempt."""

    def history(self) -> dict[str, Any]:
        """The journal fields that let a resume settle this row (form, key, attempts)."""
        return {"f": self.form, "w": self.watermark, "k": self.kind, "q": self.key,
                "m": self.maybe, "a": self.at}


class _MemoryJournal:
    """The journal's interface without a file (a load without a results file cannot resume)."""

    def __init__(self) -> None:
        self.state = JournalState()
        self.path: Path | None = None

    def record(self, rec: dict[str, Any]) -> None:
        self.state.apply(rec)

    async def commit(self) -> None:
        return None

    def write_now(self) -> bool:
        return True

    async def committer(self) -> None:
        await anyio.sleep_forever()

    async def maybe_compact(self) -> None:
        return None

    async def compact(self) -> None:
        return None

    async def aclose(self) -> None:
        return None


class BulkLeadLoader:
    """Loads many leads into one list with add_lead; see the module docstring.

    Args:
        client: the :class:`VicidialClient` to send through (its ``rate_limit`` paces the load);
            may be ``None`` for :meth:`run` with ``dry_run=True``.
        list_id: the list every lead goes to.
        mapping: input column -> add_lead field or custom field label (``{"Phone": "phone_number"}``).
        custom_fields: load columns that match no add_lead field as custom fields of the list.
        ignore: input columns to leave out.
        normalize_phone: strip non-digits and split a leading ``+CC`` into ``phone_code``.
        default_phone_code: the country code of national numbers (``"1"``).
        marker: write a unique ``vendor_lead_code`` into rows that have none, so an unknown
            outcome is settled exactly (opt-in: it stores a value of ours in the lead).
        concurrency: workers sending at once (default: the client's ``max_connections``).
        window: most rows read but not yet written to the results (bounds memory).
        fsync: make the journal survive power loss, not just a killed process: fsync what a
            resume needs before a row is sent (the rows being settled and the first rows one by
            one, the rest by batches: see ``journal.py``), and the results before each
            checkpoint. After a reboot, the rows of the last batches that have no record (about
            a quarter of a second of the load, 64 to 2,048 rows) are looked up, after
            ``settle``, before they are sent.
        settle: seconds after an attempt whose answer was lost before the loader looks its lead
            up or sends it again (the server's own time limit for a request: until then the
            request may still be running there and land later). Counted in wall-clock time from
            the attempt, across restarts. Not waited for with a ``duplicate_check``, which makes
            the resend safe.
        keep_columns: write each input row's own columns, all of them, in input order, into its
            results record beside the loader's columns, so results join back to the input by
            any column: as ``input.<column>`` columns after the result columns in a CSV results
            file (the prefix keeps an input ``phone_number`` apart from the result's), under
            ``"input"`` in a JSON-lines one; :attr:`RowOutcome.input` holds them for
            ``on_outcome``. A resume must use the same setting. A CSV results file needs the
            columns before the first row: a CSV input's header, every key of a JSON-lines file;
            an iterable source needs a JSON-lines results file (or none).
        **add_lead_options: add_lead parameters for every row, e.g. ``duplicate_check="DUPLIST"``,
            ``dnc_check="Y"``, ``campaign_dnc_check="Y"``, ``campaign_id=...``, ``add_to_hopper=True``.
    """

    def __init__(
        self,
        client: VicidialClient | None,
        *,
        list_id: int | str,
        mapping: Mapping[str, str | None] | None = None,
        custom_fields: bool = False,
        ignore: tuple[str, ...] | list[str] = (),
        normalize_phone: bool = True,
        default_phone_code: str | None = "1",
        marker: bool = False,
        concurrency: int | None = None,
        window: int = 4096,
        fsync: bool = True,
        settle: float = 120.0,
        checkpoint_every: float = 0.5,
        keep_columns: bool = False,
        **add_lead_options: Any,
    ) -> None:
        bad = sorted(set(add_lead_options) - (set(ROW_FIELDS) - _NOT_OPTIONS))
        if bad:
            raise errors.ConfigurationError(f"not add_lead options: {', '.join(bad)}")
        self.client = client
        self.list_id = str(list_id)
        self.options = {k: v for k, v in add_lead_options.items() if v is not None}
        # The options and the list id are checked once, with add_lead's own validation.
        probe = _prepare(self.list_id, {"phone_number": _SAMPLE_PHONE, **self.options})
        self._option_form = {k: v for k, v in probe.form.items() if k != "phone_number"}
        self.shaper = RowShaper(mapping, custom_fields=custom_fields, ignore=ignore,
                                normalize_phone=normalize_phone,
                                default_phone_code=default_phone_code)
        self.marker = marker
        default_conc = client.max_connections if client is not None else 8
        self.concurrency = concurrency or default_conc
        if self.concurrency < 1 or window < 1:
            raise errors.ConfigurationError("concurrency and window must be >= 1")
        self.window = max(window, self.concurrency * 2)
        self.fsync = fsync
        if settle < 0:
            raise errors.ConfigurationError("settle must be >= 0 seconds")
        self.settle = settle
        # With a duplicate check, a resend of a row whose first attempt lands late is refused by
        # the server as a duplicate of it: resending does not wait for the settle time.
        self.dup_safe = bool(self._option_form.get("duplicate_check"))
        self.checkpoint_every = checkpoint_every
        self.keep_columns = keep_columns
        self.progress = LoadProgress()
        self._run: _Run | None = None

    def fingerprint(self) -> dict[str, Any]:
        """The settings a resume must match (a changed setting would change what rows mean)."""
        sh = self.shaper
        out = {"list_id": self.list_id, "options": self._option_form, "mapping": sh.mapping,
               "custom_fields": sh.custom_fields, "ignore": sorted(sh.ignore),
               "normalize_phone": sh.normalize_phone, "default_phone_code": sh.default_phone_code,
               "marker": self.marker}
        if self.keep_columns:
            # Only when on, so journals written before the setting existed still resume.
            out["keep_columns"] = True
        return out

    async def preflight(self, source: Source, *, format: str | None = None,
                        allow_new_list: bool = False) -> None:
        """Check the set-up before the first row (see ``preflight.py``): the input has a phone
        column and every mapped column; the credentials work (one call); the list exists, unless
        ``allow_new_list``; every custom-field column is a custom field of the list.

        Raises :class:`~vicidial_async.bulk.preflight.PreflightError` (a ``ConfigurationError``),
        or the authentication / transport error of the check call.
        """
        src = open_source(source, format=format)
        try:
            columns = src.columns
        finally:
            src.close()
        check_input(self.shaper, columns)
        if self.client is not None:
            await check_server(self.client, list_id=self.list_id, shaper=self.shaper,
                               columns=columns, allow_new_list=allow_new_list)

    def stop(self) -> None:
        """Stop taking new rows; calls in flight finish and are recorded (Ctrl-C)."""
        if self._run is not None:
            self._run.stop("interrupted")

    def abort(self) -> None:
        """Cancel calls in flight too (a second Ctrl-C); the journal still says which may have
        landed, so a resume looks those up."""
        if self._run is not None:
            self._run.abort()

    async def run(self, source: Source, *, results: str | os.PathLike[str] | None = None,
                  journal: str | os.PathLike[str] | None = None, resume: bool = False,
                  dry_run: bool = False, format: str | None = None,
                  on_outcome: OutcomeCallback | None = None,
                  shard: tuple[int, int] | None = None) -> LoadSummary:
        """Load every row of ``source`` (a CSV/JSONL path, or an (async) iterable of mappings).

        ``results`` names the results file (``.csv`` or ``.jsonl``); its journal is
        ``journal`` or ``<results>.journal``. ``resume=True`` continues the run that left them
        (or starts one if there is none). ``dry_run`` validates every row without sending.
        ``on_outcome`` is called with each outcome in input order (a row settled later by
        reconciliation is reported again with its final outcome). ``shard=(i, n)`` loads only
        the i-th of n round-robin shares of the input; rows are then numbered within the shard
        (see :mod:`vicidial_async.bulk.shard`, which merges shard results back in input order).
        """
        if self._run is not None:
            raise errors.ConfigurationError("this loader is already running")
        if not dry_run and self.client is None:
            raise errors.ConfigurationError("a client is needed unless dry_run=True")
        self.progress = LoadProgress(total=self.progress.total)
        run = _Run(self, results=Path(results) if results is not None else None,
                   journal=Path(journal) if journal is not None else None, on_outcome=on_outcome)
        self._run = run
        try:
            if dry_run:
                if resume:
                    raise errors.ConfigurationError("a dry run cannot resume")
                return await run.dry_run(source, format, shard)
            return await run.load(source, format, resume, shard)
        finally:
            self._run = None

    # -- shaping ---------------------------------------------------------------------------

    def build(self, row: int, raw: Mapping[str, Any] | BadRow,
              tag: str) -> tuple[_Job | None, RowOutcome | None]:
        """Shape and validate one input row: a job to send, or its ``rejected`` outcome."""
        if isinstance(raw, BadRow):
            detail = "the input record could not be read"
            if self.keep_columns and raw.record:
                # Its columns cannot hold all of it: the record itself is kept, as text.
                detail += f"; the record: {raw.record}"
            return None, RowOutcome(row, Outcome.REJECTED, error_type="InvalidParameterError",
                                    error=raw.error, detail=detail)
        params: dict[str, str] = {}
        try:
            params, custom = self.shaper.shape(raw)
            if self.marker and not params.get("vendor_lead_code"):
                params["vendor_lead_code"] = f"{tag}-{_base36(row)}"
            built = _ADD_ROW.prepare({"list_id": self.list_id, **self.options, **params},
                                     custom or None)
        except errors.InvalidParameterError as exc:
            return None, _rejected(row, exc, params, detail="refused before sending")
        form = built.form
        vlc = form.get("vendor_lead_code", "")
        kind, key = ("v", vlc) if vlc and "," not in vlc else ("p", form["phone_number"])
        detail = ""
        if built.warnings:
            detail = "; ".join(str(w) for w in built.warnings if isinstance(w, VicidialDataWarning))
        return _Job(row, form, kind, key, detail=detail, prepared=built), None


def _one_error(exc: Exception) -> Exception:
    """A failed journal write or fsync reaches every worker that was sending: the caller gets
    that one ``OSError``, not a group of copies of it."""
    if isinstance(exc, ExceptionGroup):
        leaves = [e for e in _leaves(exc) if isinstance(e, OSError)]
        if leaves and len(leaves) == sum(1 for _ in _leaves(exc)):
            return leaves[0]
    return exc


def _leaves(group: BaseExceptionGroup[BaseException]) -> Iterator[BaseException]:
    for e in group.exceptions:
        if isinstance(e, BaseExceptionGroup):
            yield from _leaves(e)
        else:
            yield e


def _rejected(row: int, exc: BaseException, form: Mapping[str, str], *, detail: str = "") -> RowOutcome:
    return RowOutcome(row, Outcome.REJECTED, phone_code=form.get("phone_code", ""),
                      phone_number=form.get("phone_number", ""),
                      vendor_lead_code=form.get("vendor_lead_code", ""),
                      error_type=type(exc).__name__, error=str(exc),
                      parameter=getattr(exc, "parameter", "") or "", detail=detail)


def _with_form(row: int, outcome: Outcome, form: Mapping[str, str], *, lead_id: int | None = None,
               list_id: int | None = None, error_type: str = "", error: str = "",
               detail: str = "") -> RowOutcome:
    # In field order, by position: attrs' __init__ takes them so in about two thirds of the time
    # keywords take, and this runs for every row.
    return RowOutcome(row, outcome, lead_id, list_id, form.get("phone_code", ""),
                      form.get("phone_number", ""), form.get("vendor_lead_code", ""), error_type,
                      error, "", detail)


class _Jobs:
    """Rows handed from the reader to the workers, first in first out.

    Not an anyio memory stream: its send and its receive each pass through the event loop even
    when neither has to wait, and those passes cost more per row than the rest of the hand-off.
    Here a worker takes a queued row without yielding, and the reader, which fills the queue up to
    ``high`` rows, is woken again only once it has run down to half of that.
    """

    __slots__ = ("_getters", "_items", "_room", "closed", "high", "low")

    def __init__(self, high: int) -> None:
        self._items: deque[_Job] = deque()
        self._getters: deque[anyio.Event] = deque()
        self._room: anyio.Event | None = None
        self.high = max(high, 2)
        self.low = self.high // 2
        self.closed = False

    def put(self, job: _Job) -> bool:
        """Queue ``job``; ``True`` when the queue is full (the reader then awaits :meth:`room`)."""
        self._items.append(job)
        if self._getters:
            self._getters.popleft().set()
        return len(self._items) >= self.high

    async def room(self) -> None:
        """Wait until the workers have taken the queue down to ``low`` rows."""
        if len(self._items) > self.low:
            self._room = anyio.Event()
            await self._room.wait()

    def take(self) -> _Job | None:
        """The next row, or ``None`` when none is queued right now."""
        if not self._items:
            return None
        job = self._items.popleft()
        if self._room is not None and len(self._items) <= self.low:
            self._room.set()
            self._room = None
        return job

    async def wait(self) -> _Job | None:
        """Wait for the next row; ``None`` once the reader is done and the queue is empty."""
        while True:
            job = self.take()
            if job is not None or self.closed:
                return job
            event = anyio.Event()
            self._getters.append(event)
            try:
                await event.wait()
            finally:
                if not event.is_set():
                    self._getters.remove(event)

    def close(self) -> None:
        """No more rows: wake every waiting worker (each takes what is left, then stops)."""
        self.closed = True
        while self._getters:
            self._getters.popleft().set()


class _Window:
    """How many more rows the reader may read before the oldest is written: taken by the one
    reader, given back as rows are written (in input order).

    Not an anyio Semaphore: its acquire and release run a few calls each for waiters this one
    never has but for the reader, twice per row."""

    __slots__ = ("_room", "free")

    def __init__(self, size: int) -> None:
        self.free = size
        self._room: anyio.Event | None = None

    async def take(self) -> None:
        """Take a slot, waiting for one to be given back if none is free."""
        while not self.free:
            self._room = anyio.Event()
            await self._room.wait()
        self.free -= 1

    def give(self) -> None:
        """Give one slot back."""
        self.free += 1
        room = self._room
        if room is not None:
            self._room = None
            room.set()


class _Run:
    """The state of one ``run()``."""

    def __init__(self, loader: BulkLeadLoader, *, results: Path | None, journal: Path | None,
                 on_outcome: OutcomeCallback | None) -> None:
        self.loader = loader
        self.progress = loader.progress
        self.results = results
        self.journal_path = journal if journal is not None else (
            results.with_name(results.name + ".journal") if results is not None else None)
        self.on_outcome = on_outcome
        self.journal: Journal | _MemoryJournal = _MemoryJournal()
        self.writer: ResultsWriter | None = None
        self.claimed = ClaimedIds()
        self.counts: dict[str, int] = self.progress.counts
        self.next_row = 1
        self.ready: dict[int, RowOutcome] = {}
        self.stopped: str | None = None
        self.input_done = False
        self.tag = ""
        self.window = _Window(loader.window)
        self.stop_event = anyio.Event()
        self.cold = anyio.Lock()
        self.cold_rows = 0
        self.cold_drained: anyio.Event | None = None   # set when cold_rows is back to 0
        self.lock: RunLock | None = None
        self.transport_failures = 0
        self.rows_read = 0
        self.unknown_rows: set[int] = set()
        # keep_columns: the input columns of the results file, the kept columns of the rows read
        # and not yet written (at most ``window``), and of the rows written as unknown (a row
        # settled later is reported to on_outcome with them again).
        self.kept: tuple[str, ...] | None = None
        self.inputs: dict[int, Mapping[str, Any]] = {}
        self.unknown_inputs: dict[int, Mapping[str, Any]] = {}
        self.reader_scope: anyio.CancelScope | None = None
        self.main_scope: anyio.CancelScope | None = None
        self.ck_lock = anyio.Lock()
        # With an fsynced journal: the permits that let fresh rows go without an fsync each.
        self.permits: SendPermits | None = None
        self.boot = current_boot()

    # -- control -------------------------------------------------------------------------------

    def stop(self, why: str) -> None:
        if self.stopped is None:
            self.stopped = why
        self.stop_event.set()
        if self.reader_scope is not None:
            self.reader_scope.cancel()

    def abort(self) -> None:
        self.stop("interrupted")
        if self.main_scope is not None:
            self.main_scope.cancel()

    # -- dry run ----------------------------------------------------------------------------------

    async def dry_run(self, source: Source, fmt: str | None,
                      shard: tuple[int, int] | None = None) -> LoadSummary:
        started = time.monotonic()
        src = open_source(source, format=fmt, shard=shard)
        try:
            await self._take_columns(src)
            if self.results is not None:
                # A dry run's report is not a load's results: it may be replaced.
                self.writer = ResultsWriter(self.results, append=False, overwrite=True,
                                            kept=self.kept)
            row = 0
            async for raw in src:
                row += 1
                self._keep(row, raw)
                job, outcome = self.loader.build(row, raw, "dryrun")
                if job is not None:
                    outcome = _with_form(row, Outcome.VALID, job.form, detail=job.detail)
                assert outcome is not None
                self._write(outcome)
        finally:
            src.close()
            if self.writer is not None:
                self.writer.close()
        return self._summary(started, dry_run=True)

    # -- the load ---------------------------------------------------------------------------------

    async def _take_columns(self, src: RowSource) -> None:
        # Both the load and the dry run refuse unknown columns before anything is written.
        self._check_columns(src.columns)
        self.kept = await self._kept_columns(src)

    def _check_columns(self, columns: tuple[str, ...] | None) -> None:
        if columns:
            unknown = self.loader.shaper.unknown_columns(columns)
            if unknown:
                raise errors.ConfigurationError(
                    f"columns {', '.join(map(repr, unknown))} match no add_lead field: map them "
                    "(mapping / --map COLUMN=FIELD), ignore them, or load them as custom fields")

    async def _kept_columns(self, src: RowSource) -> tuple[str, ...] | None:
        """The input columns the results keep (``None`` without ``keep_columns``)."""
        if not self.loader.keep_columns:
            return None
        if src.columns is not None:
            return src.columns
        if self.results is None or results_format(self.results) == "jsonl":
            return ()  # each JSON-lines record carries its row's own columns
        if src.path is not None:
            path = src.path
            return await anyio.to_thread.run_sync(lambda: jsonl_columns(path))
        raise errors.ConfigurationError(
            "keep_columns with an iterable source needs a .jsonl results file: a CSV results file "
            "needs every column in its header, before the first row")

    def _keep(self, row: int, raw: Mapping[str, Any] | BadRow) -> None:
        if self.kept is not None:
            self.inputs[row] = raw.values if isinstance(raw, BadRow) else raw

    def _open_files(self, src_fingerprint: dict[str, Any], resume: bool) -> None:
        loader = self.loader
        if self.results is None or self.journal_path is None:
            self.tag = secrets.token_hex(3)
            self.journal.record({"t": "run", "tag": self.tag})
            return
        header = {"input": src_fingerprint, "options": loader.fingerprint()}
        if resume and self.journal_path.exists():
            state = JournalState.replay(self.journal_path)
            for part in ("input", "options"):
                if state.header.get(part) != header[part]:
                    theirs = state.header.get(part) or {}
                    diff = sorted(k for k in set(theirs) | set(header[part])
                                  if theirs.get(k) != header[part].get(k))
                    if part == "input":
                        raise errors.ConfigurationError(
                            "cannot resume: the input file changed since the journal was written "
                            f"({describe_change(theirs, header[part])})")
                    if "keep_columns" in diff:
                        was = "with" if theirs.get("keep_columns") else "without"
                        raise errors.ConfigurationError(
                            f"cannot resume: {self.results} was started {was} the input's columns "
                            "(keep_columns, --keep-columns): resume with the same setting, or "
                            "load into a new results file")
                    raise errors.ConfigurationError(
                        "cannot resume: the settings changed since the journal was written "
                        f"({', '.join(diff)})")
            self.tag = str(state.header.get("tag", ""))
            scan_results(self.results, state.k, self._rescan, kept=self.kept)
            self.journal = Journal(self.journal_path, state, fsync=loader.fsync)
            self.next_row = state.k + 1
            self.progress.resumed = self.progress.done = state.k
            for rec in [*state.tail.values(), *state.unresolved.values()]:
                self._see_record(rec)
            for row, rec in state.overrides.items():
                self._see_record({"t": "d", "o": rec})
                if row in self.unknown_rows:
                    # Settled after being written; the file is fixed at the end of this run.
                    self.counts["unknown"] -= 1
                    self.counts[rec["outcome"]] = self.counts.get(rec["outcome"], 0) + 1
            self.writer = ResultsWriter(self.results, append=True, kept=self.kept)
            return
        if resume and self.results.exists():
            raise errors.ConfigurationError(f"cannot resume: {self.results} has no journal "
                                            f"({self.journal_path})")
        if self.results.exists():
            raise errors.ConfigurationError(f"{self.results} exists: pass resume=True (--resume) to "
                                            "continue that run, or choose another results file")
        self.tag = secrets.token_hex(3)
        self.journal = Journal.create(self.journal_path, {**header, "tag": self.tag},
                                      fsync=loader.fsync)
        self.writer = ResultsWriter(self.results, append=False, kept=self.kept)
        if loader.fsync:
            fsync_dir(self.results.parent)   # the file itself must survive a power cut too

    def _rescan(self, outcome: RowOutcome) -> None:
        self.counts[outcome.outcome.value] = self.counts.get(outcome.outcome.value, 0) + 1
        if outcome.outcome is Outcome.UNKNOWN:
            self.unknown_rows.add(outcome.row)
            if outcome.input is not None:
                self.unknown_inputs[outcome.row] = outcome.input
        self._see(outcome)

    def _see(self, outcome: RowOutcome) -> None:
        if outcome.lead_id is None:
            return
        if outcome.outcome is Outcome.ADDED:
            self.claimed.add(outcome.lead_id)
        else:
            self.claimed.see(outcome.lead_id)

    def _see_record(self, rec: Mapping[str, Any]) -> None:
        if rec.get("t") == "d" and "o" in rec:
            o = rec["o"]
            if o.get("outcome") == "added" and o.get("lead_id"):
                self.claimed.add(int(o["lead_id"]))
            elif o.get("lead_id"):
                self.claimed.see(int(o["lead_id"]))

    async def load(self, source: Source, fmt: str | None, resume: bool,
                   shard: tuple[int, int] | None = None) -> LoadSummary:
        started = time.monotonic()
        src = open_source(source, format=fmt, shard=shard)
        try:
            await self._take_columns(src)
            fingerprint = await anyio.to_thread.run_sync(src.fingerprint)
            if self.results is not None:
                # Before the results or the journal are opened: one load per results file.
                self.lock = RunLock(self.results)
                self.lock.acquire()
            self._open_files(fingerprint, resume)
            failure: list[Exception] = []
            async with anyio.create_task_group() as services:
                services.start_soon(self.journal.committer)
                services.start_soon(self._checkpointer)
                if (isinstance(self.journal, Journal) and self.journal.fsync and self.boot
                        and self.journal.state.header.get("v") == VERSION):
                    # (A journal of the encoding before permits keeps an fsync per row.)
                    self.permits = SendPermits(
                        self.journal, self.claimed, boot=self.boot.id,
                        min_rows=max(_PERMIT_ROWS, 4 * self.loader.concurrency),
                        after=self.journal.state.k)
                    services.start_soon(self.permits.run)
                try:
                    await self._phases(src)
                except Exception as exc:  # re-raised as itself, not as an exception group
                    failure.append(exc)
                finally:
                    with anyio.CancelScope(shield=True):
                        await self._finish()
                    services.cancel_scope.cancel()
            if failure:
                raise _one_error(failure[0])
        finally:
            src.close()
            if self.writer is not None:
                self.writer.close()
            await self.journal.aclose()
            if self.lock is not None:
                self.lock.release()
        return self._summary(started)

    async def _phases(self, src: Any) -> None:
        state = self.journal.state
        if state.unresolved:
            # Rows an earlier run left unknown are settled before anything new is sent.
            await self._reconcile_unresolved()
        if self.stopped is None and not state.complete:
            with anyio.CancelScope() as self.main_scope:
                await self._stream(src)
        if self.stopped is None and (self.input_done or state.complete):
            await self._checkpoint()
            if state.unresolved:
                await self._reconcile_unresolved(wait=True)

    async def _stream(self, src: Any) -> None:
        # Up to 8 rows per worker queued: the reader then wakes once per 4 rows per worker (the
        # window, not this queue, bounds how far reading runs ahead of the results).
        jobs = _Jobs(8 * self.loader.concurrency)
        async with anyio.create_task_group() as tg:
            for _ in range(self.loader.concurrency):
                tg.start_soon(self._worker, jobs)
            try:
                with anyio.CancelScope() as self.reader_scope:
                    await self._read(src, jobs)
            finally:
                jobs.close()

    async def _read(self, src: Any, jobs: _Jobs) -> None:
        state = self.journal.state
        skip_to = state.k
        window = self.window
        boot_id = self.boot.id if self.boot else None
        # Permits of another boot come only from the journal resumed (this run's are its own):
        # without any, no row needs the check.
        foreign = any(p.get("b") != boot_id for p in state.permits)
        row = 0
        async for chunk in src.chunks():
            for raw in chunk:
                row += 1
                if row <= skip_to:
                    continue
                if self.stopped is not None:
                    return
                self.rows_read = row
                if window.free:
                    window.free -= 1   # no pass through the event loop: the reader yields at the queue
                else:
                    await window.take()
                self._keep(row, raw)
                prev = state.tail.get(row)
                if prev is not None and prev["t"] == "d" and prev["o"].get("outcome") != "unknown":
                    # Answered before the crash: write it, do not send it again.
                    self._emit(RowOutcome.from_record(prev["o"]))
                    continue
                job, outcome = self.loader.build(row, raw, self.tag)
                if outcome is not None:
                    self._complete(outcome)
                    continue
                assert job is not None
                if prev is not None:
                    # Sent before the crash, outcome never seen: settled before any resend.
                    job.reconcile = True
                    job.maybe = bool(prev.get("m", True))
                    job.at = float(prev.get("a", 0.0))
                    job.watermark = int(prev.get("w", 0))
                elif foreign and (mark := state.unrecorded_send(row, boot_id)) is not None:
                    # A permit of an earlier boot covers the row: its ``s`` record may have been lost
                    # with the machine, and the send made before it rebooted.
                    job.reconcile = job.maybe = True
                    job.at = self.boot.started if self.boot else time.time()
                    job.watermark = mark
                if jobs.put(job):
                    await jobs.room()
        self.input_done = True

    async def _worker(self, jobs: _Jobs) -> None:
        while True:
            if self.cold_rows and self.claimed.count:
                # Rows held back until the first lead are passing the cold lock, one per pass of
                # the event loop. A row taken now would queue behind them, rows taken meanwhile
                # behind it, and so on: the queue would never drain, every later row paying a
                # pass through the lock. Taken once they are through, rows go straight on.
                await self._cold_drained()
            job = jobs.take()
            if job is None:
                job = await jobs.wait()
                if job is None:
                    return
            if self.stopped is not None:
                continue  # not sent: the row stays unanswered, a resume picks it up
            if job.reconcile or self.cold_rows or not self.claimed.count:
                outcome = await self._process(job)
            else:
                # The common case, without the layers that only rows being settled need.
                outcome = await self._attempt(job)
            if outcome is not None:
                self._complete(outcome, job)

    # -- one row ----------------------------------------------------------------------------------

    async def _process(self, job: _Job) -> RowOutcome | None:
        if job.reconcile and job.maybe:
            if not self._settled(job):
                # The request may still be running on the server: a lookup now could miss a
                # lead that lands later, and a resend would then add it twice.
                return self._deferred(job)
            found = await self._lookup(job)
            if isinstance(found, RowOutcome):
                return found
            job.detail = "; ".join(filter(None, [job.detail, "not found by lookup, sent again"]))
        return await self._send(job)

    def _settled(self, job: _Job) -> bool:
        """Whether the row may be looked up and resent (see ``settle``)."""
        return self.loader.dup_safe or time.time() >= job.at + self.loader.settle

    def _deferred(self, job: _Job) -> RowOutcome:
        when = time.strftime("%Y-%m-%d %H:%M:%S", time.gmtime(job.at))
        return _with_form(job.row, Outcome.UNKNOWN, job.form, error_type="OutcomeUnknownError",
                          error="the answer to add_lead was lost",
                          detail=(f"sent at {when} UTC, answer lost; looked up (and only then "
                                  f"resent) once {self.loader.settle:g} s have passed since"))

    async def _lookup(self, job: _Job) -> RowOutcome | None:
        client = self.loader.client
        assert client is not None
        self.progress.lookups += 1
        by = "vendor_lead_code" if job.kind == "v" else "phone_number"
        try:
            lead_id = await find_landed(client, list_id=self.loader.list_id, kind=job.kind,
                                        key=job.key, watermark=job.watermark, claimed=self.claimed)
        except (errors.TransportError, errors.DecodeError, errors.APIError) as exc:
            if _is_fatal(exc):
                self.stop(f"{type(exc).__name__}: {exc}")
            return _with_form(job.row, Outcome.UNKNOWN, job.form, error_type=type(exc).__name__,
                              error=str(exc), detail=f"lookup by {by} failed")
        except Unknowable as exc:
            return _with_form(job.row, Outcome.UNKNOWN, job.form, error_type="OutcomeUnknownError",
                              error=str(exc), detail=f"lookup by {by}")
        if lead_id is None:
            return None
        return _with_form(job.row, Outcome.ADDED, job.form, lead_id=lead_id,
                          list_id=int(self.loader.list_id),
                          detail=f"reconciled: found by {by} lookup")

    async def _watermark(self, job: _Job) -> int | RowOutcome | None:
        """The lead-id watermark of this attempt (see ``reconcile.py``): ``-1`` when none can be
        had, the row's outcome when the server cannot be reached, ``None`` when the run must stop
        (the row stays as the journal has it)."""
        watermark = self.claimed.watermark
        if self.claimed.count:
            return watermark
        # No lead of this load yet, so no bound on the ids that existed before it: the row's
        # own key is looked up first, and the highest id found is the bound.
        client = self.loader.client
        assert client is not None
        self.progress.lookups += 1
        try:
            ids = await matching_ids(client, list_id=self.loader.list_id, kind=job.kind, key=job.key)
        except (errors.AuthenticationError, errors.ConfigurationError) as exc:
            self.stop(f"{type(exc).__name__}: {exc}")
            return None
        except errors.TransportError as exc:
            if not exc.maybe_sent:
                # The server cannot be reached: the add_lead would not reach it either.
                self.transport_failures += 1
                return self._failed(job, exc, maybe=False)
            return -1
        except (errors.DecodeError, errors.APIError):
            # Sent without a bound: should its answer be lost, a matching lead cannot be
            # claimed (it may predate the load); the row then stays unknown.
            return -1
        for lead_id in ids:
            self.claimed.see(lead_id)
        return max([watermark, *ids])

    async def _send(self, job: _Job) -> RowOutcome | None:
        if not self.claimed.count:
            # Until this load has added a lead, rows go one at a time, each looked up first;
            # usually the first row is added and the rest go at full width.
            self._cold_enter()
            try:
                async with self.cold:
                    if not self.claimed.count:
                        return await self._attempt(job)
            finally:
                self._cold_exit()
        elif self.cold_rows:
            # Rows held back until the first lead was added go before this later one: rows are
            # sent in input order (the first of two rows with the same phone is the one added).
            # Rare (a row taken before the first lead, e.g. one looked up first): workers take no
            # row while held-back rows pass. Counted while queued, so that it holds them too.
            self._cold_enter()
            try:
                async with self.cold:
                    pass
            finally:
                self._cold_exit()
        return await self._attempt(job)

    def _cold_enter(self) -> None:
        if not self.cold_rows:
            self.cold_drained = anyio.Event()
        self.cold_rows += 1

    def _cold_exit(self) -> None:
        self.cold_rows -= 1
        if not self.cold_rows and self.cold_drained is not None:
            self.cold_drained.set()

    async def _cold_drained(self) -> None:
        while self.cold_rows and self.cold_drained is not None:
            await self.cold_drained.wait()

    async def _attempt(self, job: _Job) -> RowOutcome | None:
        if self.stopped is not None:
            return None
        watermark = (self.claimed.watermark if self.claimed.count
                     else await self._watermark(job))
        if isinstance(watermark, RowOutcome):
            return watermark
        if watermark is None or self.stopped is not None:
            return None
        # A lead above the lowest watermark of the attempts that may have landed may be any of
        # them (-1, no bound, stays -1).
        floor = min(watermark, job.watermark) if job.maybe else watermark
        at = time.time()
        # Whole seconds (the settle time is seconds long), rounded up: an int is written in a
        # quarter of the time a float's repr takes, once per row.
        self.journal.record({"t": "s", "r": job.row, "w": watermark, "a": math.ceil(at),
                             "k": job.kind, "q": job.key})
        permits = self.permits
        try:
            if permits is not None and not job.maybe and not job.reconcile and self.claimed.count:
                # A fresh row sent with the load's watermark: a permit covers it (see journal.py).
                if not permits.ready(job.row):
                    await permits.wait(job.row)
                if not self.journal.write_now():
                    await self.journal.commit()
            else:
                await self.journal.commit()
        except BaseException:
            # Cancelled (or the fsync failed): journaled as sent, but never sent.
            self._unsend(job)
            raise
        client = self.loader.client
        assert client is not None
        self.progress.sent += 1
        self.progress.in_flight += 1
        prepared = job.prepared
        if prepared is None:
            # A row taken back from the journal: its form was checked when it was first read.
            form = job.form
            prepared = job.prepared = Prepared(_ADD_ROW, form, _ADD_ROW.safety_for(form))
        try:
            result = await client.run_prepared(prepared)
        except errors.DuplicateError as exc:
            self.transport_failures = 0
            lead_id = exc.existing_lead_id
            if (job.maybe and lead_id is not None and floor >= 0 and lead_id > floor
                    and lead_id not in self.claimed):
                # The duplicate check met the lead an earlier attempt of this row added.
                self.claimed.add(lead_id)
                return _with_form(job.row, Outcome.ADDED, job.form, lead_id=lead_id,
                                  list_id=exc.existing_list_id, detail="; ".join(filter(None, [
                                      job.detail, "recovered: an earlier attempt of this row had "
                                      "added it (found by the duplicate check)"])))
            return _with_form(job.row, Outcome.DUPLICATE, job.form, lead_id=exc.existing_lead_id,
                              list_id=exc.existing_list_id, error_type=type(exc).__name__,
                              error=str(exc), detail=job.detail)
        except (errors.APIError, errors.ConfigurationError) as exc:
            if _is_fatal(exc):
                # Refused for every row (login, permission, list): stop; this row was not stored.
                self._unsend(job)
                self.stop(f"{type(exc).__name__}: {exc}")
                return None
            self.transport_failures = 0
            return _rejected(job.row, exc, job.form, detail=job.detail)
        except (errors.TransportError, errors.DecodeError) as exc:
            self.transport_failures += 1
            if self.transport_failures >= max(10, 2 * self.loader.concurrency):
                self.stop(f"the server keeps failing ({type(exc).__name__}: {exc})")
            maybe = isinstance(exc, errors.DecodeError) or bool(exc.maybe_sent)
            if maybe:
                job.maybe, job.at, job.watermark = True, at, floor
            return self._failed(job, exc, maybe=maybe)
        finally:
            self.progress.in_flight -= 1
        self.transport_failures = 0
        detail = job.detail
        if result.recovered:
            if floor < 0 and result.lead_id not in self.claimed:
                job.maybe, job.at, job.watermark = True, at, floor
                return _with_form(job.row, Outcome.UNKNOWN, job.form,
                                  error_type="OutcomeUnknownError",
                                  error=f"the resent call met lead {result.lead_id}, which may "
                                        "predate the load (the lookup before the send failed)")
            if result.lead_id <= floor or result.lead_id in self.claimed:
                # The resend met a lead that existed before this row was sent, or one another row
                # of this load added (the same phone twice in the input): a real duplicate.
                self.claimed.see(result.lead_id)
                return _with_form(job.row, Outcome.DUPLICATE, job.form, lead_id=result.lead_id,
                                  list_id=result.list_id, error_type="DuplicateError",
                                  detail="duplicate found when the client resent a lost call")
            detail = "; ".join(filter(None, [
                detail, "recovered: the client resent a lost call and met this lead"]))
        # The lead is claimed by ``_see`` as soon as the caller completes the row, before it
        # waits for its turn in input order: no await comes between.
        return _with_form(job.row, Outcome.ADDED, job.form, lead_id=result.lead_id,
                          list_id=result.list_id, detail=detail)

    def _failed(self, job: _Job, exc: Exception, *, maybe: bool) -> RowOutcome:
        """The ``unknown`` outcome of an attempt that failed (``maybe``: it may have landed)."""
        if maybe:
            note = "the answer was lost and the lead may have been added: looked up before any resend"
        elif job.maybe:
            note = ("this attempt never reached the server, but an earlier one may have landed: "
                    "looked up before any resend")
        else:
            note = ("not sent (the request never reached the server); sent again by the end of "
                    "the run or by a resume")
        return _with_form(job.row, Outcome.UNKNOWN, job.form, error_type=type(exc).__name__,
                          error=str(exc), detail="; ".join(filter(None, [job.detail, note])))

    def _unsend(self, job: _Job) -> None:
        """Journal that the attempt just recorded as sent was refused without being stored."""
        if job.maybe:
            # Earlier attempts may still have landed: the row keeps their history.
            self.journal.record({"t": "d", "r": job.row, **job.history(),
                                 "o": _with_form(job.row, Outcome.UNKNOWN, job.form).to_record()})
        else:
            self.journal.record({"t": "n", "r": job.row})

    # -- outcomes ---------------------------------------------------------------------------------

    def _complete(self, outcome: RowOutcome, job: _Job | None = None) -> None:
        """Journal a fresh outcome of a row still in the window, then pass it on in order."""
        rec: dict[str, Any] = {"t": "d", "r": outcome.row, "o": outcome.to_record()}
        if outcome.outcome is Outcome.UNKNOWN and job is not None:
            rec.update(job.history())
        self.journal.record(rec)
        self._emit(outcome)

    def _emit(self, outcome: RowOutcome) -> None:
        self._see(outcome)
        ready = self.ready
        due: RowOutcome | None = outcome
        if outcome.row != self.next_row or ready:
            # Out of turn, or rows wait in the table that restores input order: through it. (Most
            # rows, answered in order, are written at once.)
            ready[outcome.row] = outcome
            due = ready.pop(self.next_row, None)
        while due is not None:
            self._write(due)
            self.next_row += 1
            self.window.give()
            due = ready.pop(self.next_row, None) if ready else None

    def _write(self, outcome: RowOutcome) -> None:
        if self.kept is not None:
            # Every row written was read by this run (rows before the checkpoint are in the file
            # already), so its columns are here.
            outcome = attrs.evolve(outcome, input=self.inputs.pop(outcome.row))
            if outcome.outcome is Outcome.UNKNOWN:
                assert outcome.input is not None
                self.unknown_inputs[outcome.row] = outcome.input
        if self.writer is not None:
            self.writer.write(outcome)
        key = outcome.outcome._value_
        self.counts[key] = self.counts.get(key, 0) + 1
        self.progress.done += 1
        if self.on_outcome is not None:
            self.on_outcome(outcome)

    def _override(self, outcome: RowOutcome) -> None:
        """A row already written as unknown is settled: record it; the file is fixed at the end."""
        self.journal.record({"t": "x", "r": outcome.row, "o": outcome.to_record()})
        self._see(outcome)
        self.counts["unknown"] = self.counts.get("unknown", 0) - 1
        key = outcome.outcome.value
        self.counts[key] = self.counts.get(key, 0) + 1
        if self.on_outcome is not None:
            if self.kept is not None:
                outcome = attrs.evolve(outcome, input=self.unknown_inputs.get(outcome.row))
            self.on_outcome(outcome)
        self.unknown_inputs.pop(outcome.row, None)

    # -- settling unknown rows ----------------------------------------------------------------------

    async def _reconcile_unresolved(self, *, wait: bool = False) -> None:
        """Settle the rows written as ``unknown``; with ``wait``, wait for each row's settle time
        first (rows still within it are otherwise left for later)."""
        state = self.journal.state
        pending = sorted(state.unresolved.items())
        limit = anyio.Semaphore(self.loader.concurrency)

        async def settle(row: int, rec: dict[str, Any]) -> None:
            job = _Job(row, dict(rec["f"]), str(rec["k"]), str(rec["q"]), reconcile=True,
                       maybe=bool(rec.get("m", True)), at=float(rec.get("a", 0.0)),
                       watermark=int(rec["w"]))
            if job.maybe and not self._settled(job):
                if not wait:
                    return  # within its settle time: left for the pass that waits
                self.progress.settling += 1
                try:
                    with anyio.move_on_after(job.at + self.loader.settle - time.time()):
                        await self.stop_event.wait()
                finally:
                    self.progress.settling -= 1
            async with limit:
                if self.stopped is not None:
                    return
                outcome = await self._process(job)
                if outcome is None:
                    return
                if outcome.outcome is Outcome.UNKNOWN:
                    # Still unknown: keep it, with its attempts, for later.
                    self.journal.record({"t": "d", "r": row, "o": outcome.to_record(),
                                         **job.history()})
                    return
                self._override(outcome)

        with anyio.CancelScope() as self.main_scope:
            async with anyio.create_task_group() as tg:
                for row, rec in pending:
                    if "f" not in rec:
                        continue
                    tg.start_soon(settle, row, rec)

    # -- checkpoints and the end ----------------------------------------------------------------------

    async def _checkpointer(self) -> None:
        while True:
            await anyio.sleep(self.loader.checkpoint_every)
            await self._checkpoint()

    async def _checkpoint(self) -> None:
        async with self.ck_lock:
            written = self.next_row - 1
            if written <= self.journal.state.k:
                return
            if self.writer is not None:
                self.writer.flush()
                if self.loader.fsync:
                    await anyio.to_thread.run_sync(os.fsync, self.writer.fileno())
            self.journal.record({"t": "c", "r": written})
            await self.journal.maybe_compact()

    async def _finish(self) -> None:
        state = self.journal.state
        await self._checkpoint()
        if self.input_done and not self.ready and self.next_row - 1 == max(self.rows_read, state.k):
            self.journal.record({"t": "end"})
        results = self.results
        if state.overrides and self.writer is not None and results is not None:
            self.writer.flush()
            overrides = {row: RowOutcome.from_record(o) for row, o in state.overrides.items()}
            fsync = self.loader.fsync
            kept = self.kept
            await anyio.to_thread.run_sync(
                lambda: rewrite_results(results, overrides, fsync=fsync, kept=kept))
            self.writer.close()
            self.writer = ResultsWriter(results, append=True, kept=kept)
            state.overrides.clear()
        await self.journal.compact()

    def _summary(self, started: float, *, dry_run: bool = False) -> LoadSummary:
        counts = {k: v for k, v in self.counts.items() if v}
        stopped = None if dry_run or self.journal.state.complete else (self.stopped or "stopped")
        return LoadSummary(
            rows=self.progress.done, counts=counts, resumed=self.progress.resumed,
            sent=self.progress.sent,
            lookups=self.progress.lookups, elapsed=time.monotonic() - started,
            stopped=stopped, results=self.results,
            journal=self.journal_path if not dry_run else None, dry_run=dry_run)
