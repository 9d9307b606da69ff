"""``vicidial leads load``: add every row of a CSV/JSONL file to a list, with a progress bar.

The password comes from ``--password``, ``VICIDIAL_PASS`` or a prompt and is never printed.
Ctrl-C stops taking rows, lets calls in flight finish and writes the journal (a second Ctrl-C
cancels those calls too); ``--resume`` continues. Exit status: 0 every row added or duplicate,
1 some rows rejected or unknown, 2 bad usage or settings, 3 stopped before the end of the input,
4 the login was refused (wrong password, locked account, blocked IP: fix it before running again).
"""

from __future__ import annotations

import argparse
import getpass
import json
import logging
import os
import signal
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import anyio
import anyio.to_thread

from ..bulk.shard import merge_results, parse_shard, shard_path
from ..client import VicidialClient
from ..config import RateLimit, Timeouts
from ..errors import AuthenticationError, ConfigurationError, InvalidParameterError, VicidialError
from ..transport.redact import SecretFilter
from ._common import (
    EXIT_AUTH,
    add_connection_options,
    non_negative_float,
    positive_float,
    positive_int,
    tls_verify,
)
from .backend_option import add_backend_options, chosen_backend, say_backend
from .shared import add_redis_options, make_coordination

__all__ = ["EXIT_AUTH", "EXIT_OK", "EXIT_ROWS", "EXIT_STOPPED", "EXIT_USAGE", "exit_status",
           "print_summary",
           "register", "run_load", "run_merge", "run_with_progress"]

EXIT_OK, EXIT_ROWS, EXIT_USAGE, EXIT_STOPPED = 0, 1, 2, 3
_SHOWN_REJECTIONS = 5


def register(subparsers: Any) -> None:
    """Add ``leads load`` to the ``vicidial`` command."""
    leads = subparsers.add_parser("leads", help="lead tools (bulk load)")
    sub = leads.add_subparsers(dest="leads_command", required=True)
    p = sub.add_parser(
        "load", help="add every row of a CSV/JSONL file to a list (resumable)",
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("file", metavar="FILE", help="input rows: .csv, .tsv, .jsonl or .ndjson")
    p.add_argument("--list-id", required=True, help="the list every lead goes to")
    srv = p.add_argument_group("server (or VICIDIAL_URL / VICIDIAL_USER / VICIDIAL_PASS)")
    srv.add_argument("--url", help="server root, e.g. https://dialer.example.com")
    srv.add_argument("--user", help="API user")
    srv.add_argument("--password", help="API password; prefer VICIDIAL_PASS, since a command "
                                        "line is visible to other users of the machine")
    srv.add_argument("--source", default="vicidialload", help="source label sent with each call")
    add_backend_options(srv)
    add_connection_options(srv)
    add_redis_options(p)
    srv.add_argument("--allow-insecure-http", action="store_true",
                     help="permit http:// to a non-loopback host (sends the password in clear)")
    pace = p.add_argument_group("pace")
    pace.add_argument("--rate", type=non_negative_float, default=50.0,
                      help="add_lead calls per second (0 = unthrottled; default 50)")
    pace.add_argument("--burst", type=positive_float, default=None,
                      help="calls allowed at once above the rate (default: --concurrency)")
    pace.add_argument("--concurrency", type=positive_int, default=8, help="calls in flight (default 8)")
    rows = p.add_argument_group("rows")
    rows.add_argument("--map", action="append", default=[], metavar="COLUMN=FIELD",
                      help="map an input column to an add_lead field or custom field label "
                           "(repeatable); an empty FIELD ignores the column")
    rows.add_argument("--ignore", action="append", default=[], metavar="COLUMN",
                      help="leave a column out (repeatable)")
    rows.add_argument("--custom-fields", action="store_true",
                      help="load columns that match no add_lead field as custom fields")
    rows.add_argument("--no-normalize-phone", action="store_true",
                      help="send phone numbers as they are (default: strip non-digits, split +CC)")
    rows.add_argument("--phone-code", default="1", help="country code of national numbers (1)")
    rows.add_argument("--allow-new-list", action="store_true",
                      help="load into a list that does not exist (yet); by default the load "
                           "checks the list with list_info first and stops if it is missing")
    rows.add_argument("--marker", action="store_true",
                      help="write a unique vendor_lead_code into rows without one, so a lost "
                           "answer is settled exactly")
    rows.add_argument("--format", choices=("csv", "tsv", "jsonl"), default=None,
                      help="input format (default: from the file name)")
    opts = p.add_argument_group("add_lead options (for every row)")
    opts.add_argument("--duplicate-check", metavar="CHECK", help="e.g. DUPLIST, DUPCAMP, DUPSYS90DAY")
    opts.add_argument("--dnc-check", choices=("Y", "N", "AREACODE"))
    opts.add_argument("--campaign-dnc-check", choices=("Y", "N", "AREACODE"))
    opts.add_argument("--campaign-id")
    opts.add_argument("--add-to-hopper", action="store_true")
    opts.add_argument("--hopper-priority", type=int)
    opts.add_argument("--option", action="append", default=[], metavar="NAME=VALUE",
                      help="any other add_lead option (repeatable), e.g. usacan_prefix_check=Y")
    out = p.add_argument_group("results")
    out.add_argument("--results", metavar="OUT",
                     help="results file, .csv or .jsonl (default: FILE.results.csv next to FILE; "
                          "FILE.dryrun.csv for --dry-run)")
    out.add_argument("--resume", action="store_true",
                     help="continue the run that left OUT and its journal")
    out.add_argument("--keep-columns", action="store_true",
                     help="also write each input row's own columns into its results record, all "
                          "of them in input order: as input.COLUMN after the result columns in a "
                          "CSV results file, under \"input\" in a JSONL one, so results join back "
                          "to the input by any column (a --resume must give it too)")
    out.add_argument("--dry-run", action="store_true",
                     help="validate every row and report per-row errors without sending")
    out.add_argument("--no-fsync", action="store_true",
                     help="do not fsync the journal (survives a killed process, not power loss)")
    out.add_argument("--settle", type=non_negative_float, default=120.0, metavar="SECONDS",
                     help="after an add_lead whose answer was lost, wait this long (the server's "
                          "own time limit for a request) before looking its lead up or sending it "
                          "again, since it may still land; not waited with --duplicate-check "
                          "(default 120)")
    out.add_argument("--summary-json", metavar="FILE",
                     help="also write the summary as JSON (counts per outcome, rows, rate, "
                          "elapsed, exit status ...) to FILE, for scripts")
    out.add_argument("--no-progress", action="store_true", help="no progress bar")
    many = p.add_argument_group("many processes")
    many.add_argument("--shard", metavar="I/N",
                      help="load only the I-th of N round-robin shares of FILE (rows I, I+N, ...), "
                           "with its own results file (OUT.shard-I-of-N.csv); merge the N results "
                           "with `vicidial leads merge-results FILE --shards N`")
    p.set_defaults(func=run_load)

    m = sub.add_parser(
        "merge-results", help="merge the results of `leads load --shard I/N` runs in input order",
        description="Merge the N shard results files of one input into one results file, in "
                    "input order, rows numbered as in the input. Exit status: 0 merged, 2 the "
                    "shard files are missing or do not fit together (an unfinished shard).")
    m.add_argument("file", metavar="FILE", help="the input file the shards loaded")
    m.add_argument("--shards", type=int, required=True, metavar="N", help="how many shards")
    m.add_argument("--results", metavar="OUT",
                   help="the --results given to the shards, and the merged file (default: "
                        "FILE.results.csv; shard files OUT.shard-I-of-N.csv)")
    m.add_argument("--force", action="store_true", help="replace OUT if it exists")
    m.set_defaults(func=run_merge)


# -- building the loader from arguments -----------------------------------------------------------


def _pairs(items: list[str], flag: str) -> dict[str, str]:
    out: dict[str, str] = {}
    for item in items:
        name, sep, value = item.partition("=")
        if not sep or not name.strip():
            raise ConfigurationError(f"{flag} takes NAME=VALUE, got {item!r}")
        out[name.strip()] = value.strip()
    return out


def default_results(path: Path, *, dry_run: bool = False) -> Path:
    """``leads.csv`` -> ``leads.results.csv`` (``.jsonl`` input -> ``.results.jsonl``); a dry
    run reports to ``leads.dryrun.csv`` so it never blocks the real run's results file."""
    suffix = ".jsonl" if path.suffix.lower() in (".jsonl", ".ndjson", ".json") else ".csv"
    return path.with_name(f"{path.stem}.{'dryrun' if dry_run else 'results'}{suffix}")


def add_lead_options(args: argparse.Namespace) -> dict[str, Any]:
    """The add_lead options of the command line."""
    options: dict[str, Any] = dict(_pairs(args.option, "--option"))
    for name in ("duplicate_check", "dnc_check", "campaign_dnc_check", "campaign_id",
                 "hopper_priority"):
        value = getattr(args, name)
        if value is not None:
            options[name] = value
    if args.add_to_hopper:
        options["add_to_hopper"] = True
    return options


def make_client(args: argparse.Namespace, shared: Any = None) -> VicidialClient:
    """The client, from arguments or the environment; the password is read, never shown."""
    url = args.url or os.environ.get("VICIDIAL_URL")
    user = args.user or os.environ.get("VICIDIAL_USER")
    if not url or not user:
        raise ConfigurationError("give --url and --user (or set VICIDIAL_URL and VICIDIAL_USER)")
    password = args.password or os.environ.get("VICIDIAL_PASS")
    if not password and sys.stdin.isatty():
        password = getpass.getpass(f"password for {user}: ")
    if not password:
        raise ConfigurationError("no password: set VICIDIAL_PASS (or give --password)")
    scrub = SecretFilter([password])
    for name in ("", "httpx", "httpcore", "vicidial_async"):
        logging.getLogger(name).addFilter(scrub)
    if args.concurrency < 1:
        raise ConfigurationError("--concurrency must be >= 1")
    rate = None
    if args.rate and args.rate > 0:
        rate = RateLimit(per_second=args.rate, burst=args.burst or max(1, args.concurrency))
    backend = chosen_backend(args)
    extra: dict[str, Any] = {}
    if getattr(args, "timeout", None) is not None:
        extra["timeouts"] = Timeouts(read=args.timeout)
    client = VicidialClient(url, user, password, source=args.source, rate_limit=rate,
                            max_connections=args.concurrency, verify=tls_verify(args, "leads load"),
                            allow_insecure_http=args.allow_insecure_http, backend=backend,
                            shared=shared, **extra)
    say_backend(args, client.backend, "leads load")
    return client


# -- running with a progress bar -------------------------------------------------------------------


def _counts_text(counts: dict[str, int]) -> str:
    parts = []
    for name, style in (("added", "green"), ("duplicate", "cyan"), ("rejected", "red"),
                        ("unknown", "yellow"), ("valid", "green")):
        n = counts.get(name, 0)
        if n or name in ("added", "rejected"):
            parts.append(f"[{style}]{name} {n:,}[/]")
    return "  ".join(parts)


async def run_with_progress(loader: Any, source: Any, *, console: Any, total: int | None,
                            show_progress: bool, **run_kw: Any) -> Any:
    """Run ``loader`` with a rich progress bar (rate, ETA, counts per outcome); the first Ctrl-C
    stops taking rows, the second cancels calls in flight."""
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )

    loader.progress.total = total
    bar = Progress(
        TextColumn("[bold]{task.description}"), BarColumn(), MofNCompleteColumn(),
        TextColumn("{task.fields[rate]} rows/s"), TimeElapsedColumn(), TextColumn("ETA"),
        TimeRemainingColumn(), TextColumn("{task.fields[counts]}"),
        console=console, disable=not show_progress, refresh_per_second=8)
    result: list[Any] = []

    async def watch_signals() -> None:
        with anyio.open_signal_receiver(signal.SIGINT, signal.SIGTERM) as signals:
            hits = 0
            async for _ in signals:
                hits += 1
                if hits == 1:
                    console.print("[yellow]stopping: no new rows; calls in flight finish "
                                  "(Ctrl-C again to cancel them)[/]")
                    loader.stop()
                else:
                    loader.abort()

    async def refresh(task: Any) -> None:
        while True:
            p = loader.progress
            what = f"settling {p.settling:,}" if p.settling else ("loading" if not run_kw.get(
                "dry_run") else "checking")
            bar.update(task, description=what, completed=p.done, total=p.total,
                       rate=f"{p.rate:,.0f}", counts=_counts_text(p.counts))
            await anyio.sleep(0.2)

    with bar:
        task = bar.add_task("loading" if not run_kw.get("dry_run") else "checking",
                            total=total, rate="0", counts="")
        failure: list[Exception] = []
        async with anyio.create_task_group() as tg:
            tg.start_soon(watch_signals)
            tg.start_soon(refresh, task)
            try:
                result.append(await loader.run(source, **run_kw))
            except Exception as exc:  # re-raised below, not wrapped in an exception group
                failure.append(exc)
            finally:
                tg.cancel_scope.cancel()
        if failure:
            raise failure[0]
        p = loader.progress
        bar.update(task, completed=p.done, total=p.total if p.total else p.done,
                   rate=f"{p.rate:,.0f}", counts=_counts_text(p.counts))
    return result[0]


def print_summary(summary: Any, console: Any, rejections: list[Any] | None = None) -> None:
    """The end-of-run report: counts per outcome, pace, files, and what to do next."""
    from rich.markup import escape
    from rich.table import Table

    head = "Dry run" if summary.dry_run else "Load"

    def rows(n: int) -> str:
        return f"{n:,} row" + ("" if n == 1 else "s")

    if summary.stopped:
        console.print(f"[bold yellow]{head} stopped[/] ({escape(summary.stopped)}): {rows(summary.rows)} "
                      "answered; run again with --resume to continue.")
    else:
        again = f" ({summary.resumed:,} answered before)" if summary.resumed else ""
        console.print(f"[bold]{head} complete:[/] {rows(summary.rows)}{again} in "
                      f"{summary.elapsed:.1f} s")
    table = Table(show_header=True, header_style="bold", box=None, pad_edge=False)
    table.add_column("outcome")
    table.add_column("rows", justify="right")
    order = ("valid", "added", "duplicate", "rejected", "unknown")
    for name in order:
        if name in summary.counts or (name in ("added", "rejected") and not summary.dry_run):
            table.add_row(name, f"{summary.counts.get(name, 0):,}")
    console.print(table)
    if not summary.dry_run:
        console.print(f"add_lead calls sent: {summary.sent:,}   lookups: {summary.lookups:,}   "
                      f"pace: {summary.rate:,.0f} rows/s")
    for o in rejections or []:
        console.print(f"  row {o.row}: [red]{o.error_type}[/] {escape(o.error)}", highlight=False)
    if summary.results is not None:
        console.print(f"results: {escape(str(summary.results))}", highlight=False)
    if summary.counts.get("unknown"):
        n_unknown = summary.counts["unknown"]
        verb = "has" if n_unknown == 1 else "have"
        console.print(f"[yellow]{rows(n_unknown)} {verb} an unknown outcome: run again with --resume "
                      "to look them up (nothing is sent twice).[/]")


def exit_status(summary: Any) -> int:
    """3 stopped early, 1 rejected/unknown rows, else 0."""
    if summary.stopped:
        return EXIT_STOPPED
    if summary.counts.get("rejected") or summary.counts.get("unknown"):
        return EXIT_ROWS
    return EXIT_OK


def first_rejections(into: list[Any]) -> Callable[[Any], None]:
    """An ``on_outcome`` callback keeping the first few rejected rows (for the summary)."""
    def keep(outcome: Any) -> None:
        if len(into) < _SHOWN_REJECTIONS and outcome.outcome.value == "rejected":
            into.append(outcome)
    return keep


async def _load(args: argparse.Namespace) -> int:
    from rich.console import Console

    from ..bulk import BulkLeadLoader, count_rows

    console = Console(stderr=True)
    out = Console()
    path = Path(args.file)
    mapping: dict[str, str | None] = {k: (v or None) for k, v in _pairs(args.map, "--map").items()}
    shard = parse_shard(args.shard) if args.shard else None
    shared = None if args.dry_run else make_coordination(args)
    client = None if args.dry_run else make_client(args, shared)
    try:
        loader = BulkLeadLoader(
            client, list_id=args.list_id, mapping=mapping, custom_fields=args.custom_fields,
            ignore=args.ignore, normalize_phone=not args.no_normalize_phone,
            default_phone_code=args.phone_code or None, marker=args.marker,
            concurrency=args.concurrency, fsync=not args.no_fsync, settle=args.settle,
            keep_columns=args.keep_columns, **add_lead_options(args))
        show = not args.no_progress and console.is_terminal
        total = await anyio.to_thread.run_sync(
            lambda: count_rows(path, format=args.format, shard=shard))
        results = Path(args.results) if args.results else default_results(path, dry_run=args.dry_run)
        if shard is not None:
            results = shard_path(results, shard)
        if client is not None:
            # Before the results file is touched: a bad set-up fails once, not row by row.
            await loader.preflight(path, format=args.format, allow_new_list=args.allow_new_list)
        rejections: list[Any] = []
        summary = await run_with_progress(
            loader, path, console=console, total=total, show_progress=show, results=results,
            resume=args.resume, dry_run=args.dry_run, format=args.format,
            on_outcome=first_rejections(rejections), shard=shard)
    finally:
        if client is not None:
            await client.aclose()
        if shared is not None:
            await shared.aclose()
    print_summary(summary, out, rejections)
    # An authentication failure has its own status: a wrapper must not simply run the load again.
    auth_failed = client is not None and client.auth.error is not None
    status = EXIT_AUTH if auth_failed else exit_status(summary)
    if args.summary_json:
        write_summary_json(Path(args.summary_json), summary, status)
    return status


def summary_json(summary: Any, status: int) -> dict[str, Any]:
    """The summary of a load as JSON-friendly data (what ``--summary-json`` writes)."""
    return {
        "exit_status": status, "complete": summary.complete, "ok": summary.ok,
        "stopped": summary.stopped, "dry_run": summary.dry_run, "rows": summary.rows,
        "resumed": summary.resumed, "counts": dict(summary.counts), "sent": summary.sent,
        "lookups": summary.lookups, "elapsed": round(summary.elapsed, 3),
        "rate": round(summary.rate, 3),
        "results": str(summary.results) if summary.results is not None else None,
    }


def write_summary_json(path: Path, summary: Any, status: int) -> None:
    """Write :func:`summary_json` to ``path`` atomically (a script never reads half a file)."""
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(json.dumps(summary_json(summary, status), indent=2) + "\n", encoding="utf-8")
    os.replace(tmp, path)


def run_merge(args: argparse.Namespace) -> int:
    """``vicidial leads merge-results``."""
    try:
        if args.shards < 1:
            raise ConfigurationError("--shards must be >= 1")
        out = Path(args.results) if args.results else default_results(Path(args.file))
        shards = [shard_path(out, (i, args.shards)) for i in range(1, args.shards + 1)]
        merged = merge_results(shards, out, overwrite=args.force)
    except ConfigurationError as exc:
        print(f"vicidial leads merge-results: {exc}", file=sys.stderr)
        return EXIT_USAGE
    counts = ", ".join(f"{name} {n:,}" for name, n in sorted(merged.counts.items()))
    print(f"merged {merged.rows:,} rows from {args.shards} shards into {merged.path} ({counts or 'none'})")
    if merged.counts.get("unknown"):
        print("some rows have an unknown outcome: run `leads load --shard I/N --resume` on their "
              "shards first, then merge again", file=sys.stderr)
    return EXIT_OK


def run_load(args: argparse.Namespace) -> int:
    """``vicidial leads load``."""
    try:
        if not Path(args.file).is_file():
            raise ConfigurationError(f"no such file: {args.file}")
        return anyio.run(_load, args)
    except (ConfigurationError, InvalidParameterError) as exc:
        print(f"vicidial leads load: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except AuthenticationError as exc:
        print(f"vicidial leads load: {type(exc).__name__}: {exc}", file=sys.stderr)
        return EXIT_AUTH
    except VicidialError as exc:
        print(f"vicidial leads load: {type(exc).__name__}: {exc}", file=sys.stderr)
        return EXIT_STOPPED
