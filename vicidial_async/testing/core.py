"""The request path shared by every function: context, replies, handler registry, login.

A handler is a function ``(call) -> str | Reply`` registered with ``@handles(api, *functions)``
(the only way in: ``grep -rn "@handles(" vicidial_async/testing`` lists every emulated function).
It reads the filtered parameters from ``call``, changes ``call.state`` and returns the wire text.
Handlers live in the package of their reference group (``testing/<group>/``); :func:`load_handlers`
imports those packages, which is all their import does.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Container
from typing import TYPE_CHECKING, TypeAlias, TypeVar

from . import filters as f
from .records import Lead, LeadList, User
from .wire import Request, Template, common_line

if TYPE_CHECKING:
    from .app import FakeVicidial
    from .state import State

__all__ = [
    "GROUPS",
    "HANDLERS",
    "Call",
    "Reply",
    "agent_denied",
    "function_denied",
    "handles",
    "load_handlers",
    "login_agent",
    "login_non_agent",
    "requires",
]


class Reply:
    """A non-default answer: another HTTP status, or extra headers."""

    __slots__ = ("body", "content_type", "headers", "status")

    def __init__(
        self,
        body: str,
        status: int = 200,
        *,
        content_type: str = "text/html; charset=utf-8",
        headers: tuple[tuple[str, str], ...] = (),
    ) -> None:
        self.body = body
        self.status = status
        self.content_type = content_type
        self.headers = headers


Result: TypeAlias = "str | Reply"
Handler = Callable[["Call"], Result]
HANDLERS: dict[tuple[str, str], Handler] = {}
"""Every emulated function: ``(api, function) -> handler``. A function not in it is not emulated."""

# The reference groups, one package each under testing/ (protocol.registry's FunctionSpec.group).
GROUPS = (
    "agent_control",
    "campaigns",
    "dids",
    "dnc",
    "leads",
    "lists",
    "phones",
    "recordings",
    "stats",
    "system",
    "users",
)


def handles(api: str, *functions: str) -> Callable[[Handler], Handler]:
    """Register the decorated handler for one or more functions of ``api`` (``call.function``
    tells them apart). Registering a function twice is a mistake, so it raises."""

    def deco(fn: Handler) -> Handler:
        for name in functions:
            if (api, name) in HANDLERS:
                raise RuntimeError(f"{api} {name} is emulated twice")
            HANDLERS[api, name] = fn
        return fn

    return deco


def load_handlers() -> None:
    """Import every group package, registering its handlers (idempotent)."""
    from importlib import import_module

    for group in GROUPS:
        import_module(f"{__package__}.{group}")


class Call:
    """One authenticated request: parameters, the API user and the fake's state."""

    __slots__ = ("api", "fake", "function", "params", "req", "state", "user")

    def __init__(self, fake: FakeVicidial, req: Request, function: str, user: User) -> None:
        self.fake = fake
        self.state: State = fake.state
        self.req = req
        self.api = req.api
        self.function = function
        self.params = req.params
        self.user = user

    def get(self, name: str, default: str = "") -> str:
        """A parameter as sent (query string first), or ``default``."""
        return self.params.get(name, default)

    def has(self, name: str) -> bool:
        """Whether the parameter was sent at all."""
        return name in self.params

    @property
    def uname(self) -> str:
        """The API user's ID."""
        return self.user.user

    def int_or(self, name: str, default: int) -> int:
        """An integer parameter, or ``default`` when it is missing, empty or not a number."""
        try:
            return int(self.params.get(name) or default)
        except ValueError:
            return default

    def yes(self, name: str) -> bool:
        """A Y/N flag as the PHP reads most of them: exactly ``Y``."""
        return self.params.get(name, "") == "Y"

    def allowed_campaign(self, campaign_id: str) -> bool:
        """Whether the API user's group may see the campaign (allowed_campaigns)."""
        group = self.state.user_groups.get(self.user.user_group)
        return group is not None and group.allows_campaign(campaign_id)

    def allowed_list(self, list_id: int) -> bool:
        """Under api_list_restrict: the list's campaign must be allowed for the user's group."""
        camp = self.state.campaign_of_list(list_id)
        return camp is not None and self.allowed_campaign(camp)

    def views_group(self, group: str) -> bool:
        """Whether the API user's group may view a user group (admin_viewable_groups)."""
        ug = self.state.user_groups.get(self.user.user_group)
        return ug is not None and ug.views_group(group)

    def visible_user(self, name: str) -> User | None:
        """The user called ``name`` when it exists and its group is one the API user may view."""
        target = self.state.users.get(name)
        return target if target is not None and self.views_group(target.user_group) else None

    def may_use_list(self, lst: LeadList) -> bool:
        """The list's campaign is allowed and, under api_list_restrict, so is the list."""
        return self.allowed_campaign(lst.campaign_id) and (
            not self.user.api_list_restrict or self.allowed_list(lst.list_id)
        )

    def lead_table(self) -> dict[int, Lead]:
        """The leads the request reads: vicidial_list_archive with ``archived_lead=Y``, else
        vicidial_list."""
        return self.state.archived_leads if self.yes("archived_lead") else self.state.leads

    def permits(self, level: int, *flags: str, leads: Container[int] | None = None) -> bool:
        """The Non-Agent API's permission test: user_level >= ``level``, vdc_agent_api_access and
        each named ``vicidial_users`` flag set to 1 and, given ``leads``, modify_leads among them."""
        u = self.user
        return (
            u.user_level >= level
            and u.vdc_agent_api_access == 1
            and all(getattr(u, flag) == 1 for flag in flags)
            and (leads is None or u.modify_leads in leads)
        )


R = TypeVar("R", bound="str | Reply")


def requires(
    refusal: Template, level: int, *flags: str, leads: Container[int] | None = None
) -> Callable[[Callable[[Call], R]], Callable[[Call], R | str]]:
    """Guard a handler with :meth:`Call.permits` (``level``, ``flags``, ``leads``): an API user
    without them gets the function's permission line ``refusal`` and the handler does not run."""

    def deco(fn: Callable[[Call], R]) -> Callable[[Call], R | str]:
        @functools.wraps(fn)
        def guarded(call: Call) -> R | str:
            if not call.permits(level, *flags, leads=leads):
                return refusal.denied(call.uname) + "\n"
            return fn(call)

        return guarded

    return deco


# -- login ---------------------------------------------------------------------------------------

LOCK_SECONDS = 15 * 60
_NA_LOGIN = common_line("non_agent", "Login incorrect")
_NA_LOCK = common_line("non_agent", "Too many login attempts")
_NA_SOURCE = [common_line("non_agent", "Invalid Source - "), common_line("non_agent", "Invalid Source: |")]
_AG_LOGIN = common_line("agent", "Invalid Username/Password")
_AG_SOURCE = common_line("agent", "Invalid Source")


def _authorize(state: State, name: str, password: str, min_level: int) -> tuple[User | None, str]:
    """user_authorization(): GOOD, BAD or LOCK, counting failures (ten lock the account)."""
    user = state.users.get(name)
    now = state.now()
    if user is None:
        return None, "BAD"
    if user.failed_login_count >= 10 and now - user.last_login_epoch < LOCK_SECONDS:
        user.last_login_epoch = now
        return user, "LOCK"
    if user.password != password or user.active != "Y" or user.user_level < min_level:
        if user.failed_login_count >= 10:
            user.failed_login_count = 0  # the lock expired: start counting again
        user.failed_login_count += 1
        user.last_login_epoch = now
        return user, "BAD"
    if user.failed_login_count:
        user.failed_login_count = 0
    return user, "GOOD"


def source_error(api: str, source: str) -> str | None:
    """The Invalid Source answer when ``source`` has fewer than 2 letters or digits, else None."""
    if len(f.alnum(source)) >= 2:
        return None
    s = f.alnum(source)
    if api == "non_agent":
        return "".join(t(s) + "\n" for t in _NA_SOURCE)
    return _AG_SOURCE(s) + "\n"


def login_non_agent(state: State, req: Request) -> User | str:
    """The Non-Agent API login: GOOD needs an active user of level 7 or more, not locked."""
    name, password = f.ident(req.get("user")), f.ident(req.get("pass"))
    user, code = _authorize(state, name, password, 7)
    if code == "GOOD":
        assert user is not None
        return user
    if code == "LOCK":
        return _NA_LOCK(name) + "\n"
    return _NA_LOGIN(name, password, code) + "\n"


_AG_PASS = __import__("re").compile(r"[^A-Za-z0-9\-.+/=_]")


def login_agent(state: State, req: Request) -> User | str:
    """The Agent API login: user level > 0 and vdc_agent_api_access = 1."""
    name = f.ident(req.get("user"))
    password = _AG_PASS.sub("", req.get("pass").replace("'", "").replace(" ", ""))
    user: User | None = None
    code = "BAD"
    if len(name) >= 2 and len(password) >= 2:
        user, code = _authorize(state, name, password, 1)
    elif name in state.users:
        user = state.users[name]
    auth = 1 if code == "GOOD" else 0
    api = user.vdc_agent_api_access if user is not None else 0
    if code == "GOOD" and api == 1:
        assert user is not None
        return user
    text = _AG_LOGIN(name, password, auth, api, code)
    if code == "BAD":
        since = int(state.now()) - LOCK_SECONDS
        text += (
            f"0|api|SELECT count(*) from vicidial_users where user='{name}' and pass='{password}' "
            "and user_level > 0 and active='Y' and ( (failed_login_count < 10) or "
            f"(UNIX_TIMESTAMP(last_login_date) < {since}) );|"
        )
    return text + "\n"


# -- permissions ----------------------------------------------------------------------------------

_NA_DENIED = common_line("non_agent", "auth USER DOES NOT HAVE PERMISSION")


def function_denied(user: User, function: str) -> str | None:
    """The Non-Agent API's refusal of a function outside the user's api_allowed_functions, or None."""
    if user.allows_function(function):
        return None
    return _NA_DENIED(user.user, function) + "\n"


_AG_DENIED_VALUE = common_line("agent", "PERMISSION TO USE THIS FUNCTION - {value}")
_AG_DENIED_USER = common_line("agent", "PERMISSION TO USE THIS FUNCTION - {user}")
_AG_DENIED_LEAD = common_line("agent", "PERMISSION TO USE THIS FUNCTION - {lead_id}")


def agent_denied(call: Call, *, echo: str = "value", value: str | None = None) -> str | None:
    """The Agent API's per-function permission refusal (api_allowed_functions), or None."""
    if call.user.allows_function(call.function):
        return None
    u = call.user
    if value is not None:
        return _AG_DENIED_VALUE(value, u.user, call.function, u.user_group) + "\n"
    if echo == "none":
        return _AG_DENIED_USER(u.user, call.function, u.user_group) + "\n"
    if echo == "lead_id":
        return _AG_DENIED_LEAD(f.digits(call.get("lead_id")), u.user, call.function, u.user_group) + "\n"
    return _AG_DENIED_VALUE(f.value(call.get("value")), u.user, call.function, u.user_group) + "\n"
