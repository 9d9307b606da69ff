"""``VicidialClient``: configuration, lifecycle, the endpoint groups, and ``call()``.

The data path of every call is one straight line::

    validate -> auth gate -> concurrency gate -> token bucket -> backend.post -> mask -> decode
                                  ^------------- retry loop (safety class, budget) ---------'

The auth gate (``transport/auth.py``) lets one call through while the credentials are unverified.
"""

from __future__ import annotations

import ipaddress
import logging
import os
import random as _random
import ssl
import time
import warnings
from collections.abc import Awaitable, Callable, Coroutine, Mapping
from functools import cached_property
from typing import TYPE_CHECKING, Any, Literal, TypeVar

import anyio
import httpx

from . import errors
from .config import RateLimit, RetryPolicy, Timeouts
from .operations import Operation, Prepared, operation_for
from .protocol.decode import Answer
from .protocol.params import build_form, validate_form
from .protocol.registry import REGISTRY, FunctionSpec, ResponseSpec, api_path
from .transport.auth import AuthGate
from .transport.backend import Backend, HttpxBackend, RawResponse
from .transport.causes import describe_status
from .transport.gate import Gate
from .transport.limiter import TokenBucket
from .transport.redact import mask_params, mask_text
from .transport.retry import (
    ACCOUNT_LOCK_SECONDS,
    Decision,
    RetryBudget,
    decide,
    next_wait,
    retry_after_seconds,
)

if TYPE_CHECKING:
    from .endpoints.agent import Agents, AgentSession
    from .endpoints.campaigns import Campaigns
    from .endpoints.dids import Dids
    from .endpoints.dnc import Dnc
    from .endpoints.leads import Leads
    from .endpoints.lists import Lists
    from .endpoints.phones import Phones
    from .endpoints.recordings import Recordings
    from .endpoints.stats import Stats
    from .endpoints.system import System
    from .endpoints.users import Users
    from .transport.redis_coordination import RedisCoordination, SharedServer

__all__ = ["DEFAULT_RATE_LIMIT", "VicidialClient"]

logger = logging.getLogger("vicidial_async")
R = TypeVar("R")

DEFAULT_RATE_LIMIT = RateLimit(per_second=10, burst=10)
_UNSET: Any = object()
# Set by the client on every call; a parameter of that name would replace the credentials.
_RESERVED = frozenset({"user", "pass", "source", "function"})

# The Non-Agent API keeps only letters, digits, '-' and '_' of a password; the Agent API also keeps
# '.', '+', '/', '='. Anything else is stripped by the server before the check, so the login fails.
_AGENT_ONLY_PASSWORD_CHARS = frozenset(".+/=")


def _is_loopback(host: str) -> bool:
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def _unknown_spec(api: str, function: str) -> FunctionSpec:
    """A stand-in for a function the registry does not know: raw text, never resent."""
    return FunctionSpec(api=api, name=function, group="unknown", summary="", permissions="",  # type: ignore[arg-type]
                        effect="write", retry_safe=False, custom_fields=True, params=(),
                        response=ResponseSpec("text", (), False, (), (), (), (), ()))


class VicidialClient:
    """Async client for one VICIdial server (both the Non-Agent and the Agent API).

    ``url`` is the server root, e.g. ``https://dialer.example.com``; the endpoints
    ``/vicidial/non_agent_api.php`` and ``/agc/api.php`` are added per call. Every call is a
    form-encoded POST, so credentials never appear in a URL.

    >>> async def main() -> None:                                    # doctest: +SKIP
    ...     async with VicidialClient("https://dialer.example.com", "apiuser", "secret") as vd:
    ...         found = await vd.leads.lead_search(phone_number="3125551212")
    ...         print(found[0].lead_ids)

    Args:
        source: the caller label logged by VICIdial (letters and digits only, 2-20 characters).
        rate_limit: per-server token bucket; ``None`` disables it (trusted servers, benchmarks).
        max_connections: pool size, and the width of the client's own concurrency gate.
        timeouts: connect/read/write/pool seconds; report functions use ``report_read``.
        retry: attempts, backoff, deadline and retry budget; see :class:`RetryPolicy`.
        verify: TLS verification (``True``, ``False`` or an ``ssl.SSLContext``).
        http_client: an ``httpx.AsyncClient`` to use instead of an owned one (not closed by us).
        allow_insecure_http: permit ``http://`` to a non-loopback host.
        backend: ``"httpx"`` (the default), ``"aiohttp"`` (about a quarter of the CPU per call;
            needs ``pip install 'vicidial-async[fast]'``) or a backend object of your own (see
            ``transport/backend.py``). Both named backends behave the same way.
        shared: a :class:`~vicidial_async.transport.redis_coordination.RedisCoordination`: the
            ``rate_limit`` becomes one budget for every client (in any process) that names the same
            server and Redis, with the in-flight cap, login flight and authentication breaker
            shared too (see README "Many processes"). ``None``: everything stays in this client.
        sleep, clock, random: injectable for tests (virtual time, fixed jitter).
    """

    def __init__(
        self,
        url: str,
        user: str,
        password: str,
        *,
        source: str = "vicidialasync",
        rate_limit: RateLimit | None = _UNSET,
        max_connections: int = 10,
        timeouts: Timeouts | None = None,
        retry: RetryPolicy | None = None,
        verify: bool | ssl.SSLContext = True,
        http_client: httpx.AsyncClient | None = None,
        allow_insecure_http: bool = False,
        backend: Backend | Literal["httpx", "aiohttp"] | None = None,
        sleep: Callable[[float], Awaitable[None]] | None = None,
        clock: Callable[[], float] | None = None,
        random: Callable[[], float] | None = None,
        shared: RedisCoordination | None = None,
    ) -> None:
        parsed = httpx.URL(url)
        if parsed.scheme not in ("http", "https") or not parsed.host:
            raise errors.ConfigurationError(f"url must be http(s)://host[/path], got {url!r}")
        if parsed.scheme == "http" and not (allow_insecure_http or _is_loopback(parsed.host)):
            raise errors.ConfigurationError(
                "refusing plain http:// to a non-loopback host: the password would cross the "
                "network in clear text (pass allow_insecure_http=True to override)")
        if parsed.userinfo or parsed.query:
            raise errors.ConfigurationError("url must not carry credentials or a query string")
        if not source.isascii() or not source.isalnum() or not 2 <= len(source) <= 20:
            raise errors.ConfigurationError(
                "source must be 2-20 letters or digits (the server strips everything else)")
        if not user or not all(c.isalnum() or c in "-_" for c in user):
            raise errors.ConfigurationError("user must be letters, digits, '-' or '_'")
        bad = {c for c in password if not (c.isalnum() or c in "-_")}
        if bad - _AGENT_ONLY_PASSWORD_CHARS:
            raise errors.ConfigurationError(
                "the password holds characters VICIdial strips before checking it, so every login "
                "would fail (and ten failures lock the account)")
        if bad:
            warnings.warn("the password holds '.', '+', '/' or '=': the Agent API accepts them but "
                          "the Non-Agent API strips them, so its logins will fail",
                          stacklevel=2)
        if max_connections < 1:
            raise errors.ConfigurationError("max_connections must be >= 1")

        self._base = str(parsed).rstrip("/")
        self._host = parsed.host
        self._port = parsed.port or (443 if parsed.scheme == "https" else 80)
        self._user = user
        self.__password = password
        self._source = source
        self._timeouts = timeouts or Timeouts()
        self._retry = retry or RetryPolicy()
        self._rate_limit = DEFAULT_RATE_LIMIT if rate_limit is _UNSET else rate_limit
        self._max_connections = max_connections
        self._backend: Backend = _make_backend(backend, max_connections=max_connections,
                                               timeouts=self._timeouts, verify=verify,
                                               http_client=http_client)
        self._gate = Gate(max_connections)
        self._limiter: TokenBucket | None = None
        if self._rate_limit is not None:
            rl = self._rate_limit
            self._limiter = TokenBucket(rl.per_second, rl.burst)
        self._sleep = anyio.sleep if sleep is None else sleep
        self._clock = time.monotonic if clock is None else clock
        self._random = _random.random if random is None else random
        self._budget = RetryBudget.from_policy(self._retry)
        self._auth = AuthGate(clock=self._clock)
        self._closed = False
        self._shared: SharedServer | None = None
        if shared is not None:
            t = self._timeouts
            self._shared = shared.for_server(
                host=self._host, port=self._port, user=user, rate_limit=self._rate_limit,
                lease_seconds=self._longest_call(max(t.read, t.report_read)))
            self._limiter = None  # the shared schedule paces this client

    # -- construction helpers -------------------------------------------------------------

    @classmethod
    def from_env(cls, *, prefix: str = "VICIDIAL_", **kwargs: Any) -> VicidialClient:
        """Build a client from ``VICIDIAL_URL``, ``VICIDIAL_USER`` and ``VICIDIAL_PASS``.

        >>> vd = VicidialClient.from_env(rate_limit=None)             # doctest: +SKIP
        """
        missing = [f"{prefix}{k}" for k in ("URL", "USER", "PASS") if not os.environ.get(f"{prefix}{k}")]
        if missing:
            raise errors.ConfigurationError(f"environment variables not set: {', '.join(missing)}")
        return cls(os.environ[f"{prefix}URL"], os.environ[f"{prefix}USER"],
                   os.environ[f"{prefix}PASS"], **kwargs)

    def __repr__(self) -> str:
        return f"<VicidialClient url={self._base!r} user={self._user!r}>"

    # -- properties --------------------------------------------------------------------------

    @property
    def url(self) -> str:
        """The server root this client talks to."""
        return self._base

    @property
    def host(self) -> str:
        return self._host

    @property
    def user(self) -> str:
        """The API user (the password is never exposed)."""
        return self._user

    @property
    def backend(self) -> str:
        """Which transport backend carries the calls: ``"httpx"``, ``"aiohttp"`` or a class name."""
        return _backend_name(self._backend)

    @property
    def rate_limit(self) -> RateLimit | None:
        return self._rate_limit

    @property
    def max_connections(self) -> int:
        return self._max_connections

    @property
    def retry_budget(self) -> RetryBudget:
        """This server's retry budget (read it to watch an outage being absorbed)."""
        return self._budget

    @property
    def auth(self) -> AuthGate:
        """The authentication gate: until one answer has shown the credentials are accepted, at
        most one call that needs a login is in flight; after an authentication failure every call
        fails at once with the same error (see ``transport/auth.py``)."""
        return self._auth

    def reset_auth_breaker(self) -> None:
        """Allow calls again after an authentication failure (e.g. once the account is fixed).

        The credentials count as unverified again: the next call is sent alone first.
        """
        self._auth.reset()

    def _fixed_fields_holding(self, needle: str, *, ignore_case: bool = False) -> tuple[str, ...]:
        """Names of the fields the client adds to every body (``user``, ``pass``, ``source``) whose
        value contains ``needle``.

        For server quirks that search the whole request text (the Agent API's update_fields).
        Only names come back, so the password itself never leaves the client.
        """
        fields = {"user": self._user, "pass": self.__password, "source": self._source}
        if ignore_case:
            needle = needle.lower()
            return tuple(k for k, v in fields.items() if needle in v.lower())
        return tuple(k for k, v in fields.items() if needle in v)

    # -- lifecycle -----------------------------------------------------------------------------

    async def __aenter__(self) -> VicidialClient:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        """Close the connection pool (a passed-in ``http_client`` is left open)."""
        if not self._closed:
            self._closed = True
            await self._backend.aclose()

    # -- the generic call ----------------------------------------------------------------------

    async def call(self, function: str, /, *, api: Literal["non_agent", "agent"] = "non_agent",
                   timeout: float | None = None, **params: Any) -> Answer:
        """Call any VICIdial function by name and return its decoded answer.

        Values are encoded (bool -> Y/N, dates ISO, sequences joined with the function's separator;
        ``None`` means "not sent") and validated against the reference before sending. A function
        unknown to the registry is sent as is, never resent, and answers its raw text. A name the
        function does not know raises :class:`InvalidParameterError`, except on functions with
        custom fields (update_lead ...) called with ``custom_fields=True``, where extra
        names are sent as custom field values.

        >>> ans = await vd.call("update_lead", lead_id=2001, status="SALE")  # doctest: +SKIP
        >>> ans.success[0].get("lead_id")                                  # doctest: +SKIP
        '2001'
        """
        spec = REGISTRY.get((api, function))
        if spec is None:
            spec = _unknown_spec(api, function)
            form = {k: str(v) for k, v in params.items() if v is not None}
        else:
            form = build_form(spec, params)
            # Extra names are custom fields only when the call turns custom fields on: without
            # custom_fields=Y the server ignores them, so a typo would be dropped without a word.
            custom = list(form) if spec.custom_fields and form.get("custom_fields") == "Y" else ()
            validate_form(spec, form, custom_fields=custom)
        return await self.send(spec, form, timeout=timeout)

    async def send(self, spec: FunctionSpec, form: Mapping[str, str], *,
                   timeout: float | None = None) -> Answer:
        """Send an encoded, validated form for ``spec`` and return the decoded answer (the
        function's resend policy applies; its own checks and result builder do not)."""
        op = operation_for(spec)
        prepared = Prepared(op, dict(form), op.safety_for(form))
        wire, read_timeout = self._wire(prepared, timeout)
        return await self._attempts(prepared, wire, read_timeout)

    async def run(self, op: Operation[Any, R], params: Mapping[str, Any], *,
                  custom_fields: Mapping[str, Any] | None = None, timeout: float | None = None) -> R:
        """Prepare and run one operation: ``await vd.run(ADD_LEAD, {"phone_number": ..., ...})``."""
        return await self.run_prepared(op.prepare(params, custom_fields), timeout=timeout)

    async def run_prepared(self, prepared: Prepared[R], *, timeout: float | None = None) -> R:
        """Send a prepared operation and return its typed result (endpoint methods end here)."""
        outcome: Answer | errors.APIError
        try:
            wire, read_timeout = self._wire(prepared, timeout)
            outcome = await self._attempts(prepared, wire, read_timeout)
        except errors.APIError as exc:
            outcome = exc
        return prepared.operation.interpret(outcome, prepared.form)

    def _wire(self, prepared: Prepared[Any], timeout: float | None) -> tuple[dict[str, str], float]:
        """The form as sent (credentials first) and the read timeout of one call."""
        spec, form = prepared.spec, prepared.form
        if self._closed:
            raise errors.ConfigurationError("the client is closed")
        if spec.needs_login:
            self._auth.check()
        if not _RESERVED.isdisjoint(form):   # (isdisjoint builds no set: every call passes here)
            raise errors.InvalidParameterError(
                spec.name, "is set by the client and cannot be passed as a parameter",
                parameter=min(_RESERVED.intersection(form)), sent=False)
        wire: dict[str, str] = {"source": self._source, "user": self._user,
                                "pass": self.__password, "function": spec.name}
        wire.update(form)
        if spec.api == "agent" and "value" in spec.param_map and "value" not in wire:
            # Without value the Agent API reads the last body field as value.
            wire["value"] = ""
        if timeout is None:
            timeout = self._timeouts.report_read if spec.is_report else self._timeouts.read
        elif not timeout > 0:
            raise errors.ConfigurationError(f"timeout must be > 0, got {timeout!r}")
        return wire, timeout

    def _longest_call(self, read_timeout: float) -> float:
        """How long one attempt can last: a shared lease must outlive it (plus a few seconds' slack)."""
        t = self._timeouts
        return t.connect + t.write + t.pool + read_timeout + 5

    async def _shared_post(self, url: str, wire: dict[str, str], read_timeout: float,
                           login: bool) -> RawResponse:
        """Send under the shared budget: a lease (if capped), then a token, right before sending."""
        assert self._shared is not None
        async with self._shared.lease(self._longest_call(read_timeout)):
            await self._shared.token()
            if login:
                self._auth.check()
            return await self._backend.post(url, wire, read_timeout=read_timeout)

    def _attempts(self, prepared: Prepared[Any], wire: dict[str, str],
                  read_timeout: float) -> Coroutine[Any, Any, Answer]:
        """The call's attempts, to await at once. With verified credentials (every call after the
        first) the attempt loop itself: one coroutine frame less, which every pass of the event
        loop through the call walks."""
        if prepared.spec.needs_login and not self._auth.verified:
            return self._unverified_attempts(prepared, wire, read_timeout)
        return self._attempt_loop(prepared, wire, read_timeout)

    async def _unverified_attempts(self, prepared: Prepared[Any], wire: dict[str, str],
                                   read_timeout: float) -> Answer:
        # Unverified credentials: wait (holding no slot) until this call is the only one sending
        # them, or until another call's answer has verified them.
        ticket = await self._auth.admit()
        try:
            if ticket is not None and self._shared is not None:
                # This process's one unverified call also waits for the server's shared login
                # flight: one unverified login per server and user across every process.
                async with self._shared.login_flight():
                    return await self._attempt_loop(prepared, wire, read_timeout)
            return await self._attempt_loop(prepared, wire, read_timeout)
        finally:
            self._auth.release(ticket)

    async def _attempt_loop(self, prepared: Prepared[Any], wire: dict[str, str],
                            read_timeout: float) -> Answer:
        spec, form, op = prepared.spec, prepared.form, prepared.operation
        policy = self._retry
        url = self._base + api_path(spec.api)
        secrets = (self.__password,)
        login = spec.needs_login
        started = self._clock()
        attempt = 0
        maybe_landed = False
        while True:
            attempt += 1
            t0 = self._clock()
            status: int | None = None
            headers: Mapping[str, str] = {}
            try:
                async with self._gate:
                    if login:
                        # Calls queued behind an authentication failure fail without sending.
                        self._auth.check()
                    if self._shared is not None:
                        raw = await self._shared_post(url, wire, read_timeout, login)
                    else:
                        if self._limiter is not None and not self._limiter.try_acquire():
                            await self._limiter.acquire()
                            if login:
                                self._auth.check()
                        raw = await self._backend.post(url, wire, read_timeout=read_timeout)
                status, headers = raw.status, raw.headers
                body = mask_text(raw.body, secrets)
                if 300 <= status < 400:
                    raise errors.RedirectError(
                        function=spec.name, host=self._host, port=self._port,
                        cause=f"{describe_status(status)} redirect not followed")
                result = op.decode(status, body, form)
            except errors.APIError as exc:
                if isinstance(exc, errors.AuthenticationError):
                    if status is not None:
                        # (status is None when the error is the gate's copy: do not extend a lock.)
                        self._auth.trip(exc)
                        if self._shared is not None:
                            await self._shared.trip(exc, ACCOUNT_LOCK_SECONDS)
                elif login and status is not None and not isinstance(exc, errors.UnknownFunctionError):
                    # The server logged us in before refusing (VICIdial checks the login first);
                    # an unknown function is refused before any login, so it proves nothing.
                    self._auth.confirm()
                recovered = prepared.recover_resend(exc) if maybe_landed else None
                if recovered is not None:
                    return recovered
                self._log(spec, attempt, status, t0, type(exc).__name__)
                raise
            except (errors.TransportError, errors.DecodeError) as exc:
                if isinstance(exc, errors.TransportError):
                    exc.function = exc.function or spec.name
                    if not exc.host:
                        exc.host, exc.port = self._host, self._port
                    if maybe_landed:
                        # This attempt may have failed to connect, but an earlier one may have
                        # landed: the call as a whole may have been carried out.
                        exc.maybe_sent = True
                self._log(spec, attempt, status, t0, type(exc).__name__)
                retry_after = retry_after_seconds(headers) if status is not None else None
                decision = decide(prepared.safety, exc, policy, retry_after)
                if decision is Decision.OUTCOME_UNKNOWN:
                    what = getattr(exc, "cause", "") or type(exc).__name__
                    raise errors.OutcomeUnknownError(
                        f"{spec.name} to {self._host}:{self._port}: outcome unknown after {what}; "
                        "not resent because the server may have carried it out",
                        function=spec.name, host=self._host, port=self._port, params=mask_params(form),
                        partial=getattr(exc, "body", "") or getattr(exc, "raw", ""), cause=exc,
                    ) from exc
                if decision is Decision.RAISE:
                    raise
                wait = next_wait(policy, self._budget, exc, attempt, self._clock() - started,
                                 self._random, retry_after)
                if wait is None:
                    raise
                if getattr(exc, "maybe_sent", False) or isinstance(exc, errors.DecodeError):
                    maybe_landed = True
                await self._sleep(wait)
                continue
            if login:
                self._auth.confirm()
            if attempt == 1:
                self._budget.refund(policy.success_refund)
            self._log(spec, attempt, status, t0, "ok")
            return result

    def _log(self, spec: FunctionSpec, attempt: int, status: int | None, t0: float, outcome: str) -> None:
        if logger.isEnabledFor(logging.DEBUG):
            logger.debug("function=%s host=%s attempt=%d status=%s elapsed=%.3f outcome=%s",
                         spec.name, self._host, attempt, status, self._clock() - t0, outcome)

    # -- endpoint groups -----------------------------------------------------------------------

    @cached_property
    def leads(self) -> Leads:
        """Lead functions: update_lead, lead_search, lead_all_info ... (``vd.leads.<function>``)."""
        from .endpoints.leads import Leads
        return Leads(self)

    @cached_property
    def lists(self) -> Lists:
        """List functions: add_list, update_list, list_info, list_custom_fields."""
        from .endpoints.lists import Lists
        return Lists(self)

    @cached_property
    def campaigns(self) -> Campaigns:
        """Campaign functions: campaigns_list, hopper_list, update_campaign ..."""
        from .endpoints.campaigns import Campaigns
        return Campaigns(self)

    @cached_property
    def users(self) -> Users:
        """User functions: add_user, update_user, copy_user, user_details ..."""
        from .endpoints.users import Users
        return Users(self)

    @cached_property
    def phones(self) -> Phones:
        """Phone functions: add_phone, update_phone, phone aliases, group aliases."""
        from .endpoints.phones import Phones
        return Phones(self)

    @cached_property
    def dids(self) -> Dids:
        """DID functions: add_did, copy_did, update_did, did_log_export."""
        from .endpoints.dids import Dids
        return Dids(self)

    @cached_property
    def dnc(self) -> Dnc:
        """DNC and filter-phone-group functions."""
        from .endpoints.dnc import Dnc
        return Dnc(self)

    @cached_property
    def stats(self) -> Stats:
        """Real-time status and report functions."""
        from .endpoints.stats import Stats
        return Stats(self)

    @cached_property
    def recordings(self) -> Recordings:
        """recording_lookup."""
        from .endpoints.recordings import Recordings
        return Recordings(self)

    @cached_property
    def system(self) -> System:
        """version, pickers (sounds, music on hold, voicemail ...), server_refresh, blind_monitor."""
        from .endpoints.system import System
        return System(self)

    @cached_property
    def agents(self) -> Agents:
        """Agent API functions that take no agent (version, webserver, st_login_log ...)."""
        from .endpoints.agent import Agents
        return Agents(self)

    def agent(self, agent_user: str) -> AgentSession:
        """An Agent API session bound to one agent: ``await vd.agent("agent001").external_pause("PAUSE")``."""
        from .endpoints.agent import AgentSession
        return AgentSession(self, agent_user)


def _make_backend(backend: Backend | str | None, *, max_connections: int, timeouts: Timeouts,
                  verify: bool | ssl.SSLContext, http_client: httpx.AsyncClient | None) -> Backend:
    if backend is None or backend == "httpx":
        return HttpxBackend(max_connections=max_connections, timeouts=timeouts, verify=verify,
                            http_client=http_client)
    if http_client is not None:
        raise errors.ConfigurationError("http_client is an httpx client: it needs backend='httpx'")
    if backend == "aiohttp":
        from .transport.extras import load_aiohttp_backend

        return load_aiohttp_backend()(max_connections=max_connections, timeouts=timeouts,
                                      verify=verify)
    if isinstance(backend, str):
        raise errors.ConfigurationError(f"backend must be 'httpx', 'aiohttp' or a backend object, "
                                        f"got {backend!r}")
    return backend


def _backend_name(backend: Backend) -> str:
    name = type(backend).__name__
    return {"HttpxBackend": "httpx", "AiohttpBackend": "aiohttp"}.get(name, name)


