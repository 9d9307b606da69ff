"""Call-URL templates: the ``VAR...--A--name--B--...`` strings VICIdial expands into a GET.

VICIdial removes a leading ``VAR``, replaces each ``--A--name--B--`` with the call's value and sends
the rest as it is (the template itself is not encoded). The campaign settings that hold a template
(``dispo_call_url`` through ``update_campaign``, ``url_address`` through ``update_alt_url``) keep
only letters, digits and ``- % = + . : / @ ? & _`` (and space): any other character would silently
vanish, so the builder refuses it. ``--A--pass--B--`` and ``--A--phone_pass--B--`` would put the
agent's passwords in the URL and in the server's URL log: refused too.

>>> t = build_template("dispo", "https://hooks.example.com/vicidial", "s3cret-token-0123456789",
...                    variables=("lead_id", "dispo"))
>>> t
'VARhttps://hooks.example.com/vicidial?hook=dispo&token=s3cret-token-0123456789&lead_id=--A--lead_id--B--&dispo=--A--dispo--B--'
>>> check_template(t)
('lead_id', 'dispo')
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Iterable
from typing import Literal, get_args
from urllib.parse import urlsplit

from ..errors import InvalidParameterError

__all__ = [
    "CALL_VARIABLES",
    "DEFAULT_VARIABLES",
    "HOOK_PARAM",
    "KINDS",
    "KNOWN_VARIABLES",
    "LEAD_VARIABLES",
    "MAX_TEMPLATE_LENGTH",
    "MIN_TOKEN_LENGTH",
    "SECRET_VARIABLES",
    "TOKEN_PARAM",
    "WebhookKind",
    "build_template",
    "check_template",
]

WebhookKind = Literal["dispo", "start", "dead", "no_agent", "add_lead"]
"""Dispo Call URL, Start Call URL, Dead Call Trigger URL, No Agent Call URL, Add Lead URL."""

KINDS: tuple[WebhookKind, ...] = get_args(WebhookKind)

HOOK_PARAM = "hook"
"""The literal query parameter naming the kind (``hook=dispo``), read by the receiver."""
TOKEN_PARAM = "token"
"""The literal query parameter carrying the receiver's secret token."""

MAX_TEMPLATE_LENGTH = 65000
"""The longest ``dispo_call_url``/``url_address`` the API accepts."""
MIN_TOKEN_LENGTH = 16

SECRET_VARIABLES = frozenset({"pass", "phone_pass"})
"""Variables that expand to the agent's passwords: never in a template."""

LEAD_VARIABLES: tuple[str, ...] = (
    "lead_id", "vendor_lead_code", "source_id", "list_id", "list_name", "list_description",
    "phone_code", "phone_number", "title", "first_name", "middle_initial", "last_name",
    "address1", "address2", "address3", "city", "state", "province", "postal_code",
    "country_code", "gender", "date_of_birth", "alt_phone", "email", "security_phrase",
    "comments", "rank", "owner", "entry_date", "entry_list_id", "called_count",
)
"""The lead's own columns (PHP-urlencoded by the server)."""

CALL_VARIABLES: tuple[str, ...] = (
    "dialed_number", "dialed_label", "user", "fullname", "user_group", "campaign", "group",
    "channel_group", "uniqueid", "call_id", "agent_log_id", "closecallid", "xfercallid",
    "recording_id", "recording_filename", "SQLdate", "epoch", "server_ip", "customer_server_ip",
    "session_id", "SIPexten", "phone_login", "original_phone_login", "did_id",
)
"""The call, the agent and the server (mostly inserted raw)."""

_DISPO = ("dispo", "dispo_name", "talk_time", "talk_time_ms", "talk_time_min", "call_notes",
          "callback_datetime", "callback_lead_status", "term_reason")

DEFAULT_VARIABLES: dict[WebhookKind, tuple[str, ...]] = {
    "dispo": (*LEAD_VARIABLES, *_DISPO, *CALL_VARIABLES),
    # A Start Call URL fires before the call has a disposition or a talk time worth sending.
    "start": (*LEAD_VARIABLES, *CALL_VARIABLES),
    "dead": (*LEAD_VARIABLES, "dispo", "talk_time", "talk_time_ms", "dead_time", *CALL_VARIABLES),
    # Sent by the Perl backend: no agent, so no agent or session variables; ``status`` is the
    # call's outcome (DROP, NA, ...).
    "no_agent": (*LEAD_VARIABLES, "status", "campaign", "group", "uniqueid", "call_id", "SQLdate",
                 "epoch", "server_ip", "did_id"),
    "add_lead": (*LEAD_VARIABLES, "group", "did_id", "SQLdate", "epoch", "server_ip"),
}
"""A complete set of variables for each kind (custom list fields are added by name)."""

_EXTRA_KNOWN = (
    "status", "dead_time", "web_vars", "did_pattern", "did_description", "agent_email",
    "user_custom_one", "user_custom_two", "user_custom_three", "user_custom_four",
    "user_custom_five", "camp_custom_one", "camp_custom_two", "camp_custom_three",
    "camp_custom_four", "camp_custom_five", "ig_custom_one", "ig_custom_two", "ig_custom_three",
    "ig_custom_four", "ig_custom_five", "did_custom_one", "did_custom_two", "did_custom_three",
    "did_custom_four", "did_custom_five", "called_count",
)
KNOWN_VARIABLES: frozenset[str] = frozenset(
    {v for vs in DEFAULT_VARIABLES.values() for v in vs} | set(_EXTRA_KNOWN) | SECRET_VARIABLES
)
"""VICIdial's standard variable names; any other name in a request is a custom field or a literal."""

# What update_campaign/update_alt_url keep (space too, but a space cannot stand in a URL).
_URL_CHARS = re.compile(r"[A-Za-z0-9\-%=+.:/@?&_]*")
_NAME = re.compile(r"[A-Za-z0-9_]+")
_TOKEN = re.compile(r"[A-Za-z0-9_\-]+")
_TAG = re.compile(r"--A--([^-&?=]*?)--B--", re.IGNORECASE)


def _refuse(function: str, name: str, why: str) -> InvalidParameterError:
    return InvalidParameterError(function, why, parameter=name, sent=False)


def _loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def build_template(
    kind: WebhookKind,
    base_url: str,
    token: str,
    *,
    variables: Iterable[str] | None = None,
    custom_fields: Iterable[str] = (),
    allow_insecure_http: bool = False,
    max_length: int = MAX_TEMPLATE_LENGTH,
) -> str:
    """The template to install as a call URL of ``kind``, pointing at ``base_url``.

    The result is ``VAR<base_url>?hook=<kind>&token=<token>&name=--A--name--B--...`` with the
    ``variables`` asked for (default: :data:`DEFAULT_VARIABLES` of the kind) followed by the
    ``custom_fields`` (custom list field labels). The token is what the receiver authenticates:
    make it long and random (``secrets.token_urlsafe(32)``).

    Raises :class:`~vicidial_async.InvalidParameterError` (``sent=False``) for an unknown kind, a
    base URL that is not ``https://`` (``http://`` only for loopback or with
    ``allow_insecure_http``), characters the API would strip, a token shorter than 16 characters
    or outside ``A-Z a-z 0-9 - _``, the password variables, a name clash, or a template longer
    than ``max_length``.
    """
    fn = "build_template"
    if kind not in KINDS:
        raise _refuse(fn, "kind", f"{kind!r} is not one of {', '.join(KINDS)}")
    parts = urlsplit(base_url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise _refuse(fn, "base_url", "must be an absolute http(s) URL")
    if parts.scheme == "http" and not (allow_insecure_http or _loopback(parts.hostname)):
        raise _refuse(fn, "base_url", "http:// sends the token in clear text; use https:// "
                                      "(or allow_insecure_http=True)")
    if parts.fragment or "#" in base_url:
        raise _refuse(fn, "base_url", "a URL fragment (#) cannot be part of a call URL")
    if parts.username or parts.password:
        raise _refuse(fn, "base_url", "credentials in the URL would land in VICIdial's URL log; "
                                      "authenticate with the token")
    if not _URL_CHARS.fullmatch(base_url):
        bad = "".join(sorted({c for c in base_url if not _URL_CHARS.fullmatch(c)}))
        raise _refuse(fn, "base_url", f"the server strips {bad!r} from call URLs (it keeps "
                                      "letters, digits and - % = + . : / @ ? & _; "
                                      "percent-encode the rest)")
    if len(token) < MIN_TOKEN_LENGTH or not _TOKEN.fullmatch(token):
        raise _refuse(fn, "token", f"must be at least {MIN_TOKEN_LENGTH} characters of "
                                   "A-Z a-z 0-9 - _ (secrets.token_urlsafe(32) makes one)")
    names = list(DEFAULT_VARIABLES[kind] if variables is None else variables)
    names += [c for c in custom_fields if c not in names]
    if not names:
        raise _refuse(fn, "variables", "name at least one variable")
    seen: set[str] = set()
    for name in names:
        if not _NAME.fullmatch(name):
            raise _refuse(fn, "variables", f"{name!r} is not a variable name (letters, digits, _)")
        if name.lower() in SECRET_VARIABLES:
            raise _refuse(fn, "variables", f"{name!r} would put the agent's password in the URL "
                                           "and in the server's URL log")
        if name in (HOOK_PARAM, TOKEN_PARAM):
            raise _refuse(fn, "variables", f"{name!r} is the receiver's own parameter")
        if name in seen:
            raise _refuse(fn, "variables", f"{name!r} is named twice")
        seen.add(name)
    query = f"{HOOK_PARAM}={kind}&{TOKEN_PARAM}={token}&" + "&".join(
        f"{n}=--A--{n}--B--" for n in names)
    sep = "&" if parts.query else ("" if base_url.endswith("?") else "?")
    template = f"VAR{base_url}{sep}{query}"
    if len(template) > max_length:
        raise _refuse(fn, "variables", f"the template is {len(template)} characters, over the "
                                       f"{max_length} the setting holds; name fewer variables")
    return template


def check_template(template: str, *, max_length: int = MAX_TEMPLATE_LENGTH) -> tuple[str, ...]:
    """Check a template (one built here or written by hand) and return its variable names.

    Refuses (:class:`~vicidial_async.InvalidParameterError`, ``sent=False``) the password
    variables, characters ``update_campaign``/``update_alt_url`` would strip, and a template
    longer than ``max_length``. The ``VAR`` prefix is optional.
    """
    fn = "check_template"
    if len(template) > max_length:
        raise _refuse(fn, "template", f"{len(template)} characters, over the {max_length} the "
                                      "setting holds")
    if not _URL_CHARS.fullmatch(template):
        bad = "".join(sorted({c for c in template if not _URL_CHARS.fullmatch(c)}))
        raise _refuse(fn, "template", f"the server strips {bad!r} from call URLs")
    names = tuple(m.group(1) for m in _TAG.finditer(template))
    for name in names:
        if name.lower() in SECRET_VARIABLES:
            raise _refuse(fn, "template", f"--A--{name}--B-- puts the agent's password in the URL")
    return names
