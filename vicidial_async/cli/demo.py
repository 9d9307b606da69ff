"""``vicidial demo``: a bulk load against a fake VICIdial, start to finish, in a few seconds.

It starts the fake server in-process (no network, nothing to configure), writes a few thousand
sample leads (some repeating a phone number, some holding values the server would mangle, a few on
the DNC list), loads them with the progress bar, then shows the outcome counts and a stats
snapshot of the list. Then webhooks: it installs a Dispo Call URL pointing at a
``WebhookReceiver`` on a loopback port, has fake agents disposition a few calls, and prints the
events as they arrive. Nothing leaves the machine; the files go to a temporary directory unless
``--dir`` is given.
"""

from __future__ import annotations

import argparse
import asyncio
import tempfile
from pathlib import Path
from typing import Any

import anyio

from ._common import non_negative_float, positive_int

__all__ = ["register", "run_demo"]

_DEMO_USER = "demoapi"
# Not made of digits: the client masks the password wherever it appears in an answer, and a
# numeric one would collide with lead ids.
_DEMO_PASSWORD = "demo-Loader-pw"


def register(subparsers: Any) -> None:
    """Add the ``demo`` subcommand."""
    p = subparsers.add_parser("demo", help="load sample leads into a fake VICIdial (no server needed)",
                              description=__doc__,
                              formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--leads", type=positive_int, default=3000, help="sample leads to generate (3000)")
    p.add_argument("--rate", type=non_negative_float, default=600.0,
                   help="add_lead calls per second (0 = unthrottled; default 600)")
    p.add_argument("--concurrency", type=positive_int, default=8, help="calls in flight (8)")
    p.add_argument("--dir", default=None,
                   help="keep the sample and results files here (else a temporary directory, "
                        "removed at the end)")
    p.add_argument("--no-progress", action="store_true", help="no progress bar")
    p.add_argument("--no-webhooks", action="store_true", help="skip the webhook part")
    p.set_defaults(func=run_demo)


async def _demo(args: argparse.Namespace) -> int:
    from rich.console import Console

    from ..bulk import BulkLeadLoader, normalize_phone
    from ..bulk.samples import SAMPLE_MAPPING, sample_rows, write_sample_csv
    from ..config import RateLimit, RetryPolicy
    from ..errors import InvalidParameterError
    from ..testing import FakeVicidial
    from .leads import first_rejections, print_summary, run_with_progress

    console = Console()
    work = Path(args.dir) if args.dir else Path(tempfile.mkdtemp(prefix="vicidial-demo-"))
    work.mkdir(parents=True, exist_ok=True)
    sample = work / "sample_leads.csv"
    results = work / "sample_leads.results.csv"
    for stale in (results, results.with_name(results.name + ".journal")):
        stale.unlink(missing_ok=True)
    write_sample_csv(sample, args.leads, seed=7)

    fake = FakeVicidial(seed_users=[{"user": _DEMO_USER, "password": _DEMO_PASSWORD,
                                     "user_level": 9}])
    # A little latency, and one lost answer in 200 (the lead lands, the reply does not).
    fake.faults.set("add_lead", latency={"dist": "exponential", "mean": 0.004}, reset="after",
                    rate=0.005)
    dnc = 0
    for i, row in enumerate(sample_rows(args.leads, seed=7)):
        if i % 97 == 5:
            try:
                fake.dnc["SYSTEM_INTERNAL"].add(normalize_phone(row["Phone"])[0])
                dnc += 1
            except InvalidParameterError:
                continue
    console.print(f"[bold]Fake VICIdial[/] running in-process: list 101 (campaign TESTCAMP), "
                  f"{dnc} numbers on the DNC list")
    console.print(f"sample: {sample} ({args.leads:,} rows: ~3% repeat a phone number, ~2% hold "
                  "values the server would alter)", highlight=False)
    if getattr(args, "temporary_dir", False):
        console.print("(a temporary directory, removed at the end: --dir DIR keeps the files)")
    rate = RateLimit(per_second=args.rate, burst=args.concurrency) if args.rate > 0 else None
    async with fake.client(user=_DEMO_USER, password=_DEMO_PASSWORD, rate_limit=rate,
                           max_connections=args.concurrency,
                           retry=RetryPolicy(base=0.05, jitter=0.05)) as vd:
        loader = BulkLeadLoader(vd, list_id=101, mapping=SAMPLE_MAPPING, duplicate_check="DUPLIST",
                                dnc_check="Y", concurrency=args.concurrency, fsync=False,
                                settle=0.2)
        rejections: list[Any] = []
        summary = await run_with_progress(
            loader, sample, console=console, total=args.leads,
            show_progress=not args.no_progress and console.is_terminal, results=results,
            on_outcome=first_rejections(rejections))
        print_summary(summary, console, rejections)
        info = (await vd.lists.list_info(list_id=101, leads_counts=True, dialable_count=True))[0]
        if not args.no_webhooks:
            await _webhooks(fake, vd, console, work)
    console.print(
        f"[bold]stats snapshot[/] list {info.list_id} '{info.list_name}' ({info.campaign_id}): "
        f"{info.all_leads_count:,} leads, {info.new_leads_count:,} NEW, "
        f"{info.dialable_count:,} dialable now; server answered {fake.requests:,} API requests, "
        f"{len(fake.faults.injected)} replies lost on purpose")
    console.print("Next: [bold]vicidial leads load FILE --list-id 101 --url URL --user USER[/] "
                  "(password from VICIDIAL_PASS)")
    return 0 if summary.complete else 3


_DISPOSITIONS = ("SALE", "NI", "CALLBK", "SALE", "NI")


async def _webhooks(fake: Any, vd: Any, console: Any, work: Path) -> None:
    """Dispo Call URL -> fake agents disposition calls -> the receiver prints the events."""
    import secrets
    import socket

    import uvicorn

    from ..webhooks import DispoEvent, WebhookReceiver, build_template, install_webhook

    token = secrets.token_urlsafe(24)
    journal = work / "webhooks.journal"
    for stale in (journal, journal.with_name(journal.name + ".lock")):
        stale.unlink(missing_ok=True)
    receiver = WebhookReceiver(token, journal, allow_ips=["127.0.0.1"])
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(receiver, log_level="warning", access_log=False,
                                           lifespan="on"))
    serving = asyncio.get_running_loop().create_task(server.serve(sockets=[sock]))
    try:
        while not server.started:  # noqa: ASYNC110 - uvicorn offers no event to wait on
            await asyncio.sleep(0.01)
        template = build_template("dispo", f"http://127.0.0.1:{port}/vicidial", token,
                                  variables=["lead_id", "first_name", "last_name", "dispo",
                                             "dispo_name", "talk_time", "callback_datetime",
                                             "user", "campaign", "uniqueid"])
        await install_webhook(vd, campaign_id="TESTCAMP", kind="dispo", template=template)
        console.print(f"\n[bold]webhooks[/] Dispo Call URL of TESTCAMP (update_campaign) -> "
                      f"receiver on 127.0.0.1:{port}; fake agents disposition "
                      f"{len(_DISPOSITIONS)} calls:", highlight=False)
        leads = sorted(fake.leads)[:len(_DISPOSITIONS)]
        agents = [f"agent00{i}" for i in range(1, 4)]
        for user in agents:
            fake.login_agent(user, status="READY")
        for i, (lead_id, status) in enumerate(zip(leads, _DISPOSITIONS, strict=False)):
            user = agents[i % len(agents)]
            fake.deliver_call(user, lead_id=lead_id)
            extra = {"callback_datetime": "2026-12-10 14:30:00"} if status == "CALLBK" else {}
            await vd.agent(user).external_status(status, **extra)
        got = 0
        async for event in receiver.events("dispo"):
            assert isinstance(event, DispoEvent)
            name = f"{event.first_name} {event.last_name}".strip() or "-"
            when = f", callback {event.callback_at:%Y-%m-%d %H:%M}" if event.callback_at else ""
            console.print(f"  event: lead {event.lead_id} ({name}) {event.dispo} "
                          f"'{event.dispo_name}' by {event.user}{when}", highlight=False)
            got += 1
            if got == len(leads):
                break
        console.print(f"  {receiver.stats['accepted']} dispositions received, journaled to "
                      f"{journal} before each 200", highlight=False)
    finally:
        server.should_exit = True
        await serving


def run_demo(args: argparse.Namespace) -> int:
    """``vicidial demo``: files go to ``--dir``, else to a temporary directory removed at the end."""
    if args.dir:
        return anyio.run(_demo, args)
    with tempfile.TemporaryDirectory(prefix="vicidial-demo-") as tmp:
        return anyio.run(_demo, argparse.Namespace(**{**vars(args), "dir": tmp, "temporary_dir": True}))
