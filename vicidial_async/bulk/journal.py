"""The load journal: an append-only JSON-lines log next to the results file.

Why it exists: add_lead is not idempotent, so after a crash the loader must know, for every row,
whether it may have been sent. The rules that make a SIGKILL at any instant safe:

* A row's ``s`` (sent) record is written to the operating system **before** its add_lead is
  sent, with the wall-clock time of the attempt (``a``, in whole seconds rounded up, so that a row
  never looks sent earlier than it was) and the row's lead-id watermark (``w``).
  A row without an ``s`` record was never sent; a row with one and no outcome may have landed.
  Such a row is never resent, and never concluded "not found", until the settle time has passed
  since ``a`` (across restarts, since ``a`` is wall-clock time).
* With fsync (the default), what a power cut may take must still be told apart: before a row is
  sent, either its ``s`` record is fsynced, or a ``p`` (permit) record that covers the row is:
  rows ``r``..``u`` may be sent on a written ``s`` record alone, with watermarks of at least
  ``w``, during boot ``b`` of the machine. Written records survive a killed process, so a resume
  in the same boot trusts the ``s`` records as they are; after a reboot a row of a permit of an
  earlier boot without a record may have been sent (its ``s`` lost with the machine) and is
  looked up like one whose answer was lost. The loader uses permits for the fresh rows of a load
  that has added a lead (one fsync per batch of rows, ahead of them); a row being settled, and
  the first rows of a load, wait for their own fsynced ``s`` record.
* A send that provably never reached the server (connection refused, DNS, TLS handshake) is
  recorded as such: an ``n`` record when no earlier attempt of the row may have landed, else an
  unknown ``d`` record keeping the earlier attempts' ``m``/``w``/``a``.
* Outcomes (``d`` records) are appended when the answer arrives; losing the last few to a crash is
  harmless, since those rows then count as "sent, outcome unknown" and are looked up.
* The results file only grows in input order. A ``c`` (checkpoint) record saying "rows 1..k are in
  the results file" is written only after those records were flushed (and fsynced). On resume the
  results file is cut back to its first k records and the journal supplies everything after.
* Rows whose outcome stayed ``unknown`` are kept as ``d`` records (with the form, the lookup key and
  the lead-id watermark of their send) until a lookup settles them; the settled outcome is an
  ``x`` (override) record, folded into the results file at the end of the run.

Fsynced commits are grouped: every commit waits for one write+fsync shared with all the records
queued behind it. The journal is compacted (rewritten from the in-memory state, atomically) when
it grows, so it stays small however long the input is.
"""

from __future__ import annotations

import asyncio
import json
import os
import queue
import sys
import threading
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import anyio
import anyio.to_thread

from .._durable import fsync_dir
from ..errors import ConfigurationError
from .outcome import RESULT_COLUMNS

__all__ = ["Journal", "JournalState"]

VERSION = 3
"""The encoding of new journals. 3 added ``p`` records (an older loader would ignore them and
could resend a row a permit covers after a power cut, so it refuses them by the version)."""
_RESUMABLE = (2, 3)
_COMPACT_BYTES = 4 << 20


# One encoder for every line: json.dumps with options builds a new encoder on each call, and so
# does JSONEncoder.encode (its C scanner, about 1 us of the 3 a record takes); the C encoder is
# built once here where the interpreter has it.
_ENCODER = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))
_MAKE = getattr(json.encoder, "c_make_encoder", None)
_C_ENCODER = None if _MAKE is None else _MAKE(
    None, _ENCODER.default, json.encoder.encode_basestring, None, ":", ",", False, False, True)
_STR = json.encoder.encode_basestring


def _encode(rec: Mapping[str, Any]) -> str:
    if _C_ENCODER is None:
        return _ENCODER.encode(rec)
    return "".join(_C_ENCODER(rec, 0))


def _send_line(rec: Mapping[str, Any]) -> bytes | None:
    """The ``s`` record as the encoder writes it, by formatting (one per row sent, before the
    send: about 1 us instead of 3); ``None`` for a record of another shape or types."""
    if len(rec) != 6:
        return None
    try:
        r, w, a, k, q = rec["r"], rec["w"], rec["a"], rec["k"], rec["q"]
    except KeyError:
        return None
    # Exact types only: a bool is an int the encoder writes as true/false; NaN and infinities
    # (a - a is not 0.0) have spellings of their own.
    if (type(r) is not int or type(w) is not int or (type(a) is not int and type(a) is not float)
            or a - a != 0 or type(k) is not str or type(q) is not str):
        return None
    return f'{{"t":"s","r":{r},"w":{w},"a":{a!r},"k":{_STR(k)},"q":{_STR(q)}}}\n'.encode()


# The keys of an outcome record, as the encoder writes them (with the colon after).
_KEYS = {k: _STR(k) + ":" for k in RESULT_COLUMNS}


def _done_line(rec: Mapping[str, Any]) -> bytes | None:
    """The ``d`` record of an answered row as the encoder writes it, by formatting (one per row
    answered: about 1.2 us instead of 1.8); ``None`` for a record of another shape or types."""
    if len(rec) != 3:
        return None
    r, o = rec.get("r"), rec.get("o")
    if type(r) is not int or type(o) is not dict:
        return None
    parts = []
    for k, v in o.items():
        key = _KEYS.get(k)
        if key is None:
            key = _STR(k) + ":"
        t = type(v)
        if t is str:
            parts.append(key + _STR(v))
        elif t is int:
            parts.append(f"{key}{v}")
        else:
            return None   # (a bool is not an int here: the encoder writes it as true/false)
    return f'{{"t":"d","r":{r},"o":{{{",".join(parts)}}}}}\n'.encode()


def _line(rec: Mapping[str, Any]) -> bytes:
    """One journal line: the record as compact JSON (non-ASCII text as is), and a line break."""
    t = rec.get("t")
    if t == "s" or t == "d":
        line = _send_line(rec) if t == "s" else _done_line(rec)
        if line is not None:
            return line
    return (_encode(rec) + "\n").encode("utf-8")


class JournalState:
    """What a journal says, replayed: the same code keeps the live state of a run and rebuilds it
    from the file, so the two cannot disagree.

    Attributes:
        header: the ``run`` record (input fingerprint, options, marker tag).
        k: rows 1..k are in the results file.
        tail: rows > k -> their last ``s`` or ``d`` record.
        unresolved: rows <= k written as ``unknown`` and not settled yet -> their ``d`` record.
        overrides: rows <= k settled after being written -> outcome record.
        permits: the ``p`` records that cover rows > k.
        complete: the whole input was processed.
    """

    def __init__(self) -> None:
        self.header: dict[str, Any] = {}
        self.k = 0
        self.tail: dict[int, dict[str, Any]] = {}
        self.unresolved: dict[int, dict[str, Any]] = {}
        self.overrides: dict[int, dict[str, Any]] = {}
        self.permits: list[dict[str, Any]] = []
        self.complete = False

    def apply(self, rec: Mapping[str, Any]) -> None:
        """Fold one record into the state."""
        t = rec["t"]
        if t == "run":
            self.header = dict(rec)
            return
        if t == "end":
            self.complete = True
            return
        row = int(rec["r"])
        if t == "p":
            if int(rec["u"]) > self.k:
                self.permits.append(dict(rec))
        elif t == "c":
            self._checkpoint(row)
        elif row <= self.k:
            self._settled_part(t, row, rec)
        elif t == "s":
            prev = self.tail.get(row)
            if prev is None or prev["t"] == "s" or _unknown(prev):
                # Another attempt that may land: merged with what earlier attempts left.
                self.tail[row] = _merge_send(prev, rec)
        elif t == "d":
            # An unknown ``d`` already carries the merged history of the row's attempts (the
            # loader merges them), so it replaces whatever was there.
            self.tail[row] = dict(rec)
        elif t == "n":
            prev = self.tail.get(row)
            if prev is not None and prev["t"] == "s":
                del self.tail[row]
        elif t == "x":
            self.tail[row] = {**rec, "t": "d"}

    def _checkpoint(self, k: int) -> None:
        for row in [r for r in self.tail if r <= k]:
            rec = self.tail.pop(row)
            if rec["t"] == "d" and _unknown(rec):
                self.unresolved[row] = rec
        self.k = max(self.k, k)
        self.permits = [p for p in self.permits if int(p["u"]) > self.k]

    def unrecorded_send(self, row: int, boot: str | None) -> int | None:
        """For a row > k without a record: the watermark to look it up with when a permit of
        another boot than ``boot`` covers it (its ``s`` record may have been lost with the
        machine), else ``None`` (never sent)."""
        marks = [int(p["w"]) for p in self.permits
                 if int(p["r"]) <= row <= int(p["u"]) and p.get("b") != boot]
        return min(marks) if marks else None

    def _settled_part(self, t: str, row: int, rec: Mapping[str, Any]) -> None:
        if t == "s":
            if row in self.unresolved:
                self.unresolved[row] = _merge_send(self.unresolved[row], rec)
        elif t == "d" and _unknown(rec):
            self.unresolved[row] = dict(rec)
        elif t in ("d", "x"):
            self.unresolved.pop(row, None)
            self.overrides[row] = dict(rec["o"])

    def snapshot(self) -> list[dict[str, Any]]:
        """Records that replay to this state (what a compacted journal holds)."""
        out: list[dict[str, Any]] = [self.header, {"t": "c", "r": self.k}, *self.permits]
        out += [{"t": "x", "r": r, "o": o} for r, o in sorted(self.overrides.items())]
        out += [self.unresolved[r] for r in sorted(self.unresolved)]
        out += [self.tail[r] for r in sorted(self.tail)]
        if self.complete:
            out.append({"t": "end"})
        return out

    @classmethod
    def replay(cls, path: Path) -> JournalState:
        """Read a journal file (a torn last line, from a crash mid-write, is ignored)."""
        state = cls()
        with open(path, "rb") as fh:
            lines = fh.read().split(b"\n")
        last = len(lines) - 1
        for i, raw in enumerate(lines):
            if not raw.strip():
                continue
            try:
                rec = json.loads(raw)
            except ValueError:
                if i == last:
                    break  # the write the crash interrupted
                raise ConfigurationError(f"{path}: line {i + 1} is damaged") from None
            state.apply(rec)
        if not state.header or state.header.get("v") not in _RESUMABLE:
            raise ConfigurationError(f"{path} is not a load journal this version can resume")
        return state


def _merge_send(prev: Mapping[str, Any] | None, send: Mapping[str, Any]) -> dict[str, Any]:
    """The row's record after one more attempt that may land (``send``, an ``s`` record).

    ``m`` (may have landed) becomes true; ``w`` is the lowest watermark of the attempts that may
    have landed (a lead above it may be any of theirs); ``a`` the wall-clock time of the latest of
    them (the settle time counts from it).
    """
    if prev is None:
        return {**send, "m": True}
    if prev.get("m", True):
        return {**prev, "m": True, "w": min(int(prev["w"]), int(send["w"])),
                "a": max(float(prev.get("a", 0)), float(send.get("a", 0)))}
    return {**prev, "m": True, "w": int(send["w"]), "a": float(send.get("a", 0))}


def _unknown(rec: Mapping[str, Any]) -> bool:
    return rec.get("t") == "d" and rec.get("o", {}).get("outcome") == "unknown"


class Journal:
    """The journal file of one run, with its live :class:`JournalState`.

    ``record()`` updates the state and queues the line; ``commit()`` waits until everything
    recorded so far is written (and fsynced when ``fsync``). Run :meth:`committer` as a task.

    With ``fsync``, one thread of the journal's own does the fsyncs: ``commit()`` writes what is
    queued and hands the thread one fsync; the rows that commit while it runs wait for the next,
    which covers them all. At most one fsync is in flight and the event loop is woken once per
    fsync, not once per row (under asyncio or trio; elsewhere a worker thread per fsync).
    """

    def __init__(self, path: Path, state: JournalState, *, fsync: bool) -> None:
        self.path = path
        self.state = state
        self.fsync = fsync
        self._fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        self.size = os.fstat(self._fd).st_size
        self._buf: list[bytes] = []
        self._seq = 0
        self._durable = 0         # records on disk: written, and fsynced with ``fsync``
        # Set when the next write (+fsync) completes; made in a task when first waited for (the
        # fsync thread's completion runs as a plain loop callback, where anyio cannot make one).
        self._flushed: anyio.Event | None = None
        self._wake = anyio.Event()
        self._lock = anyio.Lock()
        self.compact_bytes = _COMPACT_BYTES
        self._syncer: _Syncer | None = None
        self._syncing = False     # an fsync by the syncer thread is in flight
        self._wanted = 0          # the highest record a commit waits for
        self._sync_error: OSError | None = None

    @classmethod
    def create(cls, path: Path, header: Mapping[str, Any], *, fsync: bool) -> Journal:
        """Start a new journal (refuses to replace an existing one)."""
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            raise ConfigurationError(f"{path} exists: a previous load left its journal; pass "
                                     "resume=True (--resume) to continue it") from None
        try:
            os.write(fd, _line({**header, "t": "run", "v": VERSION}))
            if fsync:
                os.fsync(fd)
        finally:
            os.close(fd)
        if fsync:
            fsync_dir(path.parent)
        return cls.open(path, fsync=fsync)

    @classmethod
    def open(cls, path: Path, *, fsync: bool) -> Journal:
        """Open an existing journal for appending, with its replayed state."""
        return cls(path, JournalState.replay(path), fsync=fsync)

    def record(self, rec: dict[str, Any]) -> None:
        """Apply ``rec`` to the state and queue it for writing."""
        self.state.apply(rec)
        self._buf.append(_line(rec))
        self._seq += 1

    def _event(self) -> anyio.Event:
        flushed = self._flushed
        if flushed is None:
            flushed = self._flushed = anyio.Event()
        return flushed

    def _set_flushed(self) -> None:
        flushed, self._flushed = self._flushed, None
        if flushed is not None:
            flushed.set()

    async def commit(self) -> None:
        """Return once every record so far is on disk (group commit)."""
        target = self._seq
        if self._durable >= target:
            return
        if not self.fsync and not self._lock.locked():
            # Without fsync, "on disk" means handed to the operating system, which one write does
            # at once: no round trip through the committer task (two loop passes per row).
            self.write_now()
            self._durable = target
            return
        if self.fsync and self._syncer is None:
            self._syncer = _Syncer.start(self._synced)
        if self._syncer is None or not self.fsync:
            while self._durable < target:
                flushed = self._event()
                self._wake.set()
                await flushed.wait()
            return
        self._wanted = max(self._wanted, target)
        while self._durable < target:
            if self._sync_error is not None:
                # Nothing after a failed fsync counts as durable: no row may be sent any more.
                err = self._sync_error
                raise OSError(err.errno, f"fsync of {self.path} failed: {err.strerror}")
            flushed = self._event()
            self._kick()
            await flushed.wait()

    def _kick(self) -> None:
        """Write what is queued and hand the syncer one fsync, unless one is in flight (its
        completion kicks again) or a flush or compaction holds the file."""
        if (self._syncing or self._syncer is None or self._lock.locked()
                or self._durable >= self._wanted or self._sync_error is not None):
            return
        batch, self._buf = self._buf, []
        if batch:
            data = b"".join(batch)
            _write_all(self._fd, data)
            self.size += len(data)
        self._syncing = True
        self._syncer.request(self._fd, self._seq)

    def _synced(self, upto: int, error: OSError | None) -> None:
        """The syncer's fsync of everything up to record ``upto`` returned (in the loop)."""
        self._syncing = False
        if error is None:
            self._durable = max(self._durable, upto)
        else:
            self._sync_error = error
        self._set_flushed()
        self._kick()   # the rows that committed while it ran

    async def _sync_idle(self) -> None:
        """Wait until no fsync of the syncer is in flight (before the file is closed)."""
        while self._syncing:
            await self._event().wait()

    async def committer(self) -> None:
        """Background task: write queued records whenever someone waits for them (without fsync
        while a flush or compaction holds the file, and with it where the fsync thread cannot
        report back)."""
        while True:
            await self._wake.wait()
            self._wake = anyio.Event()
            await self.flush()

    def write_now(self) -> bool:
        """Hand every queued record to the operating system now, without fsync (it survives a
        killed process, not a power cut); ``False`` when a flush or compaction holds the file
        (then ``await commit()``)."""
        if self._lock.locked():
            return False
        batch, self._buf = self._buf, []
        if batch:
            data = b"".join(batch)
            _write_all(self._fd, data)
            self.size += len(data)
        return True

    async def flush(self) -> None:
        """Write (and fsync) everything queued."""
        async with self._lock:
            batch, self._buf = self._buf, []
            upto = self._seq
            try:
                if batch:
                    data = b"".join(batch)
                    _write_all(self._fd, data)
                    self.size += len(data)
                    if self.fsync:
                        await anyio.to_thread.run_sync(os.fsync, self._fd)
                self._durable = max(self._durable, upto)
            finally:
                self._set_flushed()
        self._kick()

    async def compact(self) -> None:
        """Rewrite the journal as the snapshot of its state (atomic rename)."""
        async with self._lock:
            await self._sync_idle()   # its fsync must not meet the file closed
            self._buf = []  # their effect is in the state, hence in the snapshot
            upto = self._seq
            try:
                data = b"".join(_line(r) for r in self.state.snapshot())
                tmp = self.path.with_name(self.path.name + ".tmp")
                await anyio.to_thread.run_sync(_write_file, tmp, data, self.fsync)
                os.replace(tmp, self.path)
                if self.fsync:
                    await anyio.to_thread.run_sync(fsync_dir, self.path.parent)
                os.close(self._fd)
                self._fd = os.open(self.path, os.O_WRONLY | os.O_APPEND)
                self.size = len(data)
                self._durable = max(self._durable, upto)
            finally:
                self._set_flushed()
        self._kick()

    async def maybe_compact(self) -> None:
        """Compact once the file has grown past ``compact_bytes``."""
        if self.size > self.compact_bytes:
            await self.compact()

    async def aclose(self) -> None:
        """Write what is queued and close the file."""
        if self._fd < 0:
            return
        with anyio.CancelScope(shield=True):
            await self._sync_idle()
            await self.flush()
            await self._sync_idle()
        if self._syncer is not None:
            self._syncer.stop()
            self._syncer = None
        os.close(self._fd)
        self._fd = -1


Post = Callable[..., object]


class _Syncer:
    """A thread that fsyncs the journal file on request and reports back to the event loop.

    Why not ``anyio.to_thread.run_sync(os.fsync, fd)`` per fsync: at a few thousand rows a second
    its capacity limiter, cancel scope and future cost the event loop about as much as the
    fsync itself, each time.
    """

    def __init__(self, post: Post, done: Callable[[int, OSError | None], None]) -> None:
        self._post = post
        self._done = done
        self._requests: queue.SimpleQueue[tuple[int, int] | None] = queue.SimpleQueue()
        self._thread = threading.Thread(target=self._run, name="vicidial-journal-fsync",
                                        daemon=True)
        self._thread.start()

    @classmethod
    def start(cls, done: Callable[[int, OSError | None], None]) -> _Syncer | None:
        """A syncer reporting to the running event loop, or ``None`` under a library whose
        thread-safe "call soon" it does not know."""
        post = _thread_safe_call_soon()
        return None if post is None else cls(post, done)

    def request(self, fd: int, upto: int) -> None:
        """fsync ``fd``, then call ``done(upto, error)`` in the event loop."""
        self._requests.put((fd, upto))

    def stop(self) -> None:
        self._requests.put(None)

    def _run(self) -> None:
        while True:
            item = self._requests.get()
            if item is None:
                return
            fd, upto = item
            error: OSError | None = None
            try:
                os.fsync(fd)
            except OSError as exc:
                error = exc
            try:
                self._post(self._done, upto, error)
            except RuntimeError:
                return   # the event loop is closed: nobody waits any more


def _thread_safe_call_soon() -> Post | None:
    try:
        return asyncio.get_running_loop().call_soon_threadsafe
    except RuntimeError:
        pass
    trio = sys.modules.get("trio")
    if trio is not None:
        try:
            post: Post = trio.lowlevel.current_trio_token().run_sync_soon
            return post
        except RuntimeError:
            pass
    return None


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        n = os.write(fd, view)
        view = view[n:]


def _write_file(path: Path, data: bytes, fsync: bool) -> None:
    with open(path, "wb") as fh:
        fh.write(data)
        fh.flush()
        if fsync:
            os.fsync(fh.fileno())
