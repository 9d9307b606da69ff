"""``vicidial webhooks url|install|serve``: call-URL templates, their install, and a receiver.

- ``url``: print the template of a kind (``--kind dispo --base https://hooks.example.com/vd``).
- ``install``: put it on a campaign through the API (the campaign's Dispo Call URL, or an
  alternate URL row with ``--alt``) and read it back.
- ``serve``: run :class:`~vicidial_async.webhooks.WebhookReceiver` under uvicorn and append each
  accepted event to ``--out`` (JSON lines: ``id``, ``kind``, ``received_at``, ``path``, ``client``,
  ``fields``), exactly once even across a crash.

The token comes from the environment variable named by ``--token-env`` (default
``VICIDIAL_WEBHOOK_TOKEN``), never from the command line, and is masked in what is printed except
the template itself (which must hold it). uvicorn's access log, which would print the query and so
the token, is off.
"""

from __future__ import annotations

import argparse
import asyncio
import getpass
import json
import logging
import os
import socket
import sys
from pathlib import Path
from typing import Any

from ..errors import ConfigurationError, VicidialError
from ..transport.redact import MASK, SecretFilter
from ..webhooks import KINDS, WebhookEvent, WebhookReceiver, build_template, install_webhook

__all__ = ["EventFile", "register"]

READY_PREFIX = "WEBHOOKS LISTENING "
DEFAULT_TOKEN_ENV = "VICIDIAL_WEBHOOK_TOKEN"


def register(subparsers: Any) -> None:
    """Add ``webhooks url|install|serve`` to the ``vicidial`` command."""
    hooks = subparsers.add_parser("webhooks", help="call-URL webhooks: template, install, receiver")
    sub = hooks.add_subparsers(dest="webhooks_command", required=True)

    url = sub.add_parser("url", help="print the call-URL template of a kind")
    _template_args(url)
    url.set_defaults(func=run_url)

    inst = sub.add_parser("install", help="install the template on a campaign and read it back")
    _template_args(inst)
    inst.add_argument("--campaign", required=True, help="campaign id")
    inst.add_argument("--alt", action="store_true",
                      help="an alternate URL row (update_alt_url) instead of the campaign's own "
                           "Dispo Call URL")
    inst.add_argument("--entry-type", choices=("campaign", "ingroup"), default="campaign")
    inst.add_argument("--switch-to-alt", action="store_true",
                      help="set the campaign's Dispo Call URL to ALT first (with --alt)")
    inst.add_argument("--statuses", default="", metavar="A,B", help="dispositions it fires for")
    inst.add_argument("--lists", default="", metavar="101,102", help="list ids it fires for")
    inst.add_argument("--min-call-length", type=int, default=None, metavar="SECONDS")
    srv = inst.add_argument_group("server (or VICIDIAL_URL / VICIDIAL_USER / VICIDIAL_PASS)")
    srv.add_argument("--url", help="server root, e.g. https://dialer.example.com")
    srv.add_argument("--user", help="API user")
    srv.add_argument("--password", help="API password; prefer VICIDIAL_PASS")
    srv.add_argument("--allow-insecure-http-api", action="store_true",
                     help="permit http:// to a non-loopback VICIdial (sends the password in clear)")
    inst.set_defaults(func=run_install)

    serve = sub.add_parser("serve", help="receive call-URL requests (uvicorn)")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8088, help="0 picks a free port")
    serve.add_argument("--token-env", action="append", default=None, metavar="VAR",
                       help=f"variable holding an accepted token (default {DEFAULT_TOKEN_ENV}; "
                            "repeat to accept several while rotating)")
    serve.add_argument("--journal", default="webhooks.journal", metavar="FILE",
                       help="the receiver's journal (default webhooks.journal)")
    serve.add_argument("--out", default=None, metavar="FILE",
                       help="append each accepted event to this JSON-lines file")
    serve.add_argument("--allow-ip", action="append", default=None, metavar="ADDR/NET",
                       help="source address or network allowed to call (repeatable)")
    serve.add_argument("--dedup-window", type=float, default=86400.0, metavar="SECONDS")
    serve.add_argument("--max-query-bytes", type=int, default=256 * 1024)
    serve.add_argument("--certfile", default=None, help="TLS certificate (serve HTTPS)")
    serve.add_argument("--keyfile", default=None, help="TLS key")
    serve.add_argument("--forwarded-allow-ips", default=None, metavar="IPS",
                       help="trust X-Forwarded-For from these proxies (for the allow-list)")
    serve.add_argument("--log-level", default="warning")
    serve.set_defaults(func=run_serve)


def _template_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--kind", required=True, choices=KINDS)
    p.add_argument("--base", required=True, metavar="URL", help="the receiver's URL")
    p.add_argument("--token-env", default=DEFAULT_TOKEN_ENV, metavar="VAR",
                   help=f"environment variable holding the token (default {DEFAULT_TOKEN_ENV})")
    p.add_argument("--var", action="append", default=None, metavar="NAME",
                   help="a variable to send (repeatable; default: a complete set for the kind)")
    p.add_argument("--custom-field", action="append", default=[], metavar="NAME",
                   help="a custom list field to send (repeatable)")
    p.add_argument("--allow-insecure-http", action="store_true",
                   help="permit an http:// receiver on a non-loopback host")


def _token(var: str) -> str:
    token = os.environ.get(var, "")
    if not token:
        raise ConfigurationError(f"set the token in the environment variable {var} "
                                 "(python -c 'import secrets; print(secrets.token_urlsafe(32))')")
    return token


def _template(args: argparse.Namespace) -> tuple[str, str]:
    token = _token(args.token_env)
    return build_template(args.kind, args.base, token, variables=args.var,
                          custom_fields=args.custom_field,
                          allow_insecure_http=args.allow_insecure_http), token


def _fail(exc: BaseException, secrets: list[str]) -> int:
    text = str(exc)
    for s in secrets:
        if s:
            text = text.replace(s, MASK)
    print(f"error: {text}", file=sys.stderr)
    return 2


def run_url(args: argparse.Namespace) -> int:
    """Print the template."""
    try:
        template, _ = _template(args)
    except VicidialError as exc:
        return _fail(exc, [os.environ.get(args.token_env, "")])
    print(template)
    return 0


def run_install(args: argparse.Namespace) -> int:
    """Install the template and print what the server holds (token masked)."""
    from ..client import VicidialClient

    token = os.environ.get(args.token_env, "")
    password = ""
    try:
        template, token = _template(args)
        url = args.url or os.environ.get("VICIDIAL_URL")
        user = args.user or os.environ.get("VICIDIAL_USER")
        if not url or not user:
            raise ConfigurationError("give --url and --user (or VICIDIAL_URL and VICIDIAL_USER)")
        password = args.password or os.environ.get("VICIDIAL_PASS") or ""
        if not password and sys.stdin.isatty():
            password = getpass.getpass(f"password for {user}: ")
        if not password:
            raise ConfigurationError("no password: set VICIDIAL_PASS (or give --password)")
        scrub = SecretFilter([password, token])
        for name in ("", "httpx", "httpcore", "vicidial_async"):
            logging.getLogger(name).addFilter(scrub)

        async def go() -> Any:
            async with VicidialClient(url, user, password,
                                      allow_insecure_http=args.allow_insecure_http_api) as vd:
                return await install_webhook(
                    vd, campaign_id=args.campaign, kind=args.kind, template=template,
                    alt=args.alt, entry_type=args.entry_type, switch_to_alt=args.switch_to_alt,
                    statuses=[s for s in args.statuses.split(",") if s] or None,
                    lists=[x for x in args.lists.split(",") if x] or None,
                    min_call_length=args.min_call_length)

        done = asyncio.run(go())
    except VicidialError as exc:
        return _fail(exc, [token, password])
    print(f"{done.kind} URL {done.action} on campaign {done.campaign_id} ({done.where})")
    if done.row is not None:
        print(f"  alt url id {done.row.url_id}, active {done.row.active}, statuses "
              f"{' '.join(done.row.url_statuses) or '-'}, lists {' '.join(done.row.url_lists) or 'all'}"
              f", min length {done.row.url_call_length}")
        print(f"  address: {done.row.url_address.replace(token, MASK)}")
    print("  read back: " + ("matches" if done.verified else
                             "not possible through the API" if done.where == "campaign"
                             else "DIFFERS"))
    return 0 if done.verified or done.where == "campaign" else 1


class EventFile:
    """The ``--out`` handler: one JSON line per event, each id once even after a redelivery
    (ids already in the file are skipped), fdatasync'd before the event counts as handled.
    Concurrent calls share one write and one fdatasync (the receiver runs several workers)."""

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = Path(path)
        self._ids: set[str] = set()
        if self.path.exists():
            with self.path.open("rb") as fh:
                for line in fh:
                    try:
                        self._ids.add(json.loads(line)["id"])
                    except (ValueError, KeyError, TypeError):
                        continue  # a torn last line from a crash: its event comes again
        self._fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        if self.path.stat().st_size and not self._ends_with_newline():
            os.write(self._fd, b"\n")
        self._pending: list[tuple[bytes, asyncio.Future[None]]] = []
        self._writer: asyncio.Task[None] | None = None

    def _ends_with_newline(self) -> bool:
        with self.path.open("rb") as fh:
            fh.seek(-1, os.SEEK_END)
            return fh.read(1) == b"\n"

    async def __call__(self, event: WebhookEvent) -> None:
        if event.id in self._ids:
            return
        self._ids.add(event.id)  # a second delivery in flight must not write it twice
        line = json.dumps(event.to_json(), ensure_ascii=False).encode() + b"\n"
        fut: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._pending.append((line, fut))
        if self._writer is None or self._writer.done():
            self._writer = asyncio.create_task(self._drain())
        try:
            await fut
        except BaseException:
            self._ids.discard(event.id)
            raise

    async def _drain(self) -> None:
        while self._pending:
            batch, self._pending = self._pending, []
            try:
                await asyncio.to_thread(self._write, b"".join(line for line, _ in batch))
            except Exception as exc:
                for _, fut in batch:
                    if not fut.done():
                        fut.set_exception(exc)
                continue
            for _, fut in batch:
                if not fut.done():
                    fut.set_result(None)

    def _write(self, data: bytes) -> None:
        view = memoryview(data)
        while view:
            view = view[os.write(self._fd, view):]
        os.fdatasync(self._fd)

    def close(self) -> None:
        """Close the file."""
        os.close(self._fd)


def run_serve(args: argparse.Namespace) -> int:
    """Serve until interrupted (SIGINT/SIGTERM finish the requests in flight)."""
    try:
        import uvicorn
    except ImportError:  # pragma: no cover - uvicorn comes with the cli extra
        print("webhooks serve needs uvicorn: pip install 'vicidial-async[cli]'", file=sys.stderr)
        return 2
    names = args.token_env or [DEFAULT_TOKEN_ENV]
    try:
        tokens = [_token(v) for v in names]
        # Several delivery workers, so the events file can write and sync them in batches.
        receiver = WebhookReceiver(tokens, args.journal, allow_ips=args.allow_ip,
                                   dedup_window=args.dedup_window,
                                   max_query_bytes=args.max_query_bytes, concurrency=16)
    except (VicidialError, ValueError) as exc:
        return _fail(exc, [os.environ.get(v, "") for v in names])
    scrub = SecretFilter(tokens)
    for name in ("", "uvicorn", "uvicorn.error", "vicidial_async"):
        logging.getLogger(name).addFilter(scrub)
    out = EventFile(args.out) if args.out else None
    if out is not None:
        receiver.add_handler(out)
    family = socket.AF_INET6 if ":" in args.host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    sock.bind((args.host, args.port))
    sock.listen(2048)
    host, port = sock.getsockname()[:2]
    config = uvicorn.Config(
        receiver,
        log_level=args.log_level,
        access_log=False,  # it would print the query, token included
        lifespan="on",
        proxy_headers=args.forwarded_allow_ips is not None,
        forwarded_allow_ips=args.forwarded_allow_ips,
        server_header=False,
        # h11 refuses request lines over 16 KiB by default; a full dispo URL can be longer.
        h11_max_incomplete_event_size=args.max_query_bytes + 16 * 1024,
        ssl_certfile=args.certfile,
        ssl_keyfile=args.keyfile,
        backlog=2048,
    )
    server = uvicorn.Server(config)
    scheme = "https" if args.certfile else "http"
    shown = f"[{host}]" if family == socket.AF_INET6 else host
    print(f"{READY_PREFIX}{scheme}://{shown}:{port}", flush=True)
    try:
        server.run(sockets=[sock])
    finally:
        if out is not None:
            out.close()
    return 0
