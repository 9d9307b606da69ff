"""What the library knows about each VICIdial function: one :class:`FunctionSpec` per function.

``REGISTRY`` maps ``(api, function)`` tuples to specs, e.g. ``REGISTRY["non_agent", "add_lead"]``.
Endpoint methods, validation, decoders, the retry policy and the fake server all read their facts
from here, so each fact lives in one place (``_declarations.py``, generated from the reference).

>>> from vicidial_async.protocol.registry import REGISTRY, Safety
>>> spec = REGISTRY["non_agent", "add_lead"]
>>> spec.safety is Safety.UNSAFE, spec.response.format
(True, 'status')
"""

from __future__ import annotations

import enum
from collections.abc import Iterator, Mapping
from functools import cached_property
from typing import Literal, cast, get_args

import attrs

from ._declarations import DECLARATIONS
from .template import Template

__all__ = [
    "API",
    "ErrorTemplate",
    "FACETS",
    "Facet",
    "FunctionSpec",
    "ParamSpec",
    "REGISTRY",
    "Registry",
    "ResponseSpec",
    "Safety",
    "Template",
    "api_path",
    "common_errors",
    "common_params",
]

API = Literal["non_agent", "agent"]
ResponseFormat = Literal["status", "table", "key_value", "version", "html", "text"]
ParamKind = Literal["digits", "int", "text", "enum", "yn", "date", "datetime", "list", "phone", "id"]
Facet = Literal[
    "",
    # NOTICE and ERROR
    "no_updates", "nothing_found",
    # ERROR
    "list_not_found", "list_not_allowed",
    # SUCCESS
    "queued", "over_ccc", "hung_up", "added", "deleted", "updated",
    # NOTICE
    "sent_to_add_list", "field_add_sent", "field_update_sent", "field_delete_sent",
    "fields_copy_sent", "leads_deleted", "already_exists", "reset", "reset_failed",
    "campaign_ranks_updated", "ingroup_ranks_updated", "delete_refused", "recording_active",
    "not_recording", "ingroup_not_found", "playback_stopped", "date_replaced", "type_resolved",
    "not_done",
    # NOTICE of add_lead and update_lead
    "hopper_refused", "hopper_added", "hopper_removed", "custom_added", "custom_updated",
    "custom_entry_deleted", "custom_data_deleted", "custom_refused", "callback_added",
    "callback_updated", "callback_deleted", "callback_refused", "alt_phones_loaded",
    "nanpa_disabled", "leads_found",
]
"""What a SUCCESS, NOTICE or ERROR line means besides its words: the facet ``tools/gen_specs.py``
gives each reference template (``_FACET_RULES`` there says which template gets which), recorded by
the decoder on the line that matched it (``StatusLine.facet``, ``APIError.facet``). Code decides
by it, never by reason text; empty for a template no rule names and for a line no template fits.
``tests/core/test_facets.py`` checks this list against the generated declarations, and
``mypy --strict`` refuses a comparison with a word that is not in it."""
FACETS: frozenset[str] = frozenset(get_args(Facet))


class Safety(enum.Enum):
    """How a function may be resent: decided by what it does, never by the HTTP method."""

    READ = "read"
    """Changes nothing: any failure may be retried."""
    IDEMPOTENT_WRITE = "idempotent_write"
    """Changes data, but sending it twice leaves the same state: retried like a read."""
    UNSAFE = "unsafe"
    """Sending it twice may act twice (a second lead, a second call): never resent once it may
    have reached the server."""


@attrs.frozen(slots=True)
class ParamSpec:
    """One request parameter as the reference declares it (limits are the client-side guard)."""

    name: str
    kind: ParamKind
    required: bool = False
    min_len: int | None = None
    max_len: int | None = None
    min: int | None = None
    max: int | None = None
    choices: tuple[str, ...] | None = None
    default: str | None = None
    separator: str | None = None


@attrs.frozen(slots=True)
class ErrorTemplate:
    """An ERROR line of the reference and the error kind it maps to (see ``errors.py``).

    ``facet`` (see :data:`Facet`) is e.g. ``nothing_found`` (a search or listing with no rows),
    ``no_updates`` (nothing to change), ``list_not_found`` or empty; the error raised for the line
    carries it (``exc.facet``, and the ``nothing_found`` / ``no_updates`` flags).
    """

    lines: tuple[Template, ...]
    kind: str
    facet: Facet = ""

    @property
    def text(self) -> str:
        return "\n".join(t.text for t in self.lines)


def _templates(texts: list[str]) -> tuple[Template, ...]:
    return tuple(Template.compile(line) for text in texts for line in text.split("\n") if line.strip())


@attrs.frozen(slots=True)
class ResponseSpec:
    """The answer's shape: its format, table layout and the exact wire templates."""

    format: ResponseFormat
    stages: tuple[str, ...]
    header_param: bool
    columns: tuple[str, ...]
    success: tuple[Template, ...]
    notices: tuple[Template, ...]
    notice_facets: tuple[Facet, ...]
    """The :data:`Facet` of each of :attr:`notices` (``no_updates``, ``reset`` ... or empty)."""
    errors: tuple[ErrorTemplate, ...]
    success_facets: tuple[Facet, ...] = ()
    """The :data:`Facet` of each of :attr:`success` (``added``, ``queued`` ... or empty)."""

    def facet_of(self, template: Template) -> Facet:
        """The facet of one of :attr:`success` or :attr:`notices` (identity, not equal text: the
        same words may be a SUCCESS of one function and a NOTICE of another)."""
        return self._facets.get(id(template), "")

    @cached_property
    def _facets(self) -> dict[int, Facet]:
        # By identity (the spec holds its templates, so their ids stay theirs); a SUCCESS
        # template's facet wins over a NOTICE one's. Not strict: a stand-in spec (an unknown
        # function) has templates but no facets.
        facets: dict[int, Facet] = {}
        for templates, of in ((self.notices, self.notice_facets), (self.success, self.success_facets)):
            facets.update((id(t), f) for t, f in zip(templates, of, strict=False))
        return facets


# Options that make a resendable write unsafe to resend once it may have landed (see safety_for).
_UNSAFE_OPTIONS: dict[tuple[str, str], tuple[str, ...]] = {
    ("non_agent", "update_lead"): ("delete_lead", "delete_cf_data"),
    ("non_agent", "update_user"): ("delete_user", "reset_password"),
    ("non_agent", "update_list"): ("delete_list", "delete_leads", "reset_list", "custom_fields_add",
                                   "custom_fields_delete"),
    ("non_agent", "update_campaign"): ("reset_hopper",),
    ("non_agent", "update_phone"): ("delete_phone",),
    ("non_agent", "update_phone_alias"): ("delete_alias",),
    ("non_agent", "update_did"): ("delete_did",),
}
# A function that hands the call over to another, which then prints its own lines: update_list
# with insert_if_not_found goes on as add_list after its "SENDING TO add_list" notice, and the
# reference lists those lines under add_list only. The decoder reads a line no template of the
# function fits against the other's templates (see FunctionSpec.handover).
_HANDOVER: dict[tuple[str, str], tuple[str, str]] = {
    ("non_agent", "update_list"): ("non_agent", "add_list"),
}
# Functions whose answer runs its messages together: send_notification prints its "Invalid
# recipient_type (X), NOTICE: ...<BR>" and date NOTICE without a line break before the next message
# (the reference's note), so the decoder splits its body into messages, not lines.
_RUN_TOGETHER = frozenset({("agent", "send_notification")})
_NO_LOGIN = frozenset({("non_agent", "version"), ("agent", "version")})
# Values that leave such an option off (reset_password takes a length: 0 means no reset).
_OFF = frozenset({"", "N", "NO", "0"})


@attrs.frozen(slots=True)
class FunctionSpec:
    """Everything the library needs to call, validate, decode and retry one VICIdial function."""

    api: API
    name: str
    group: str
    summary: str
    permissions: str
    effect: Literal["read", "write"]
    retry_safe: bool
    custom_fields: bool
    params: tuple[ParamSpec, ...]
    response: ResponseSpec

    @cached_property
    def key(self) -> tuple[str, str]:
        """The ``(api, function)`` key of this spec in ``REGISTRY``."""
        return (self.api, self.name)

    @cached_property
    def safety(self) -> Safety:
        """Resend class, from the reference's ``effect`` and ``retry_safe``."""
        if self.effect == "read":
            return Safety.READ
        return Safety.IDEMPOTENT_WRITE if self.retry_safe else Safety.UNSAFE

    def safety_for(self, form: Mapping[str, str]) -> Safety:
        """Resend class of one call: ``safety``, lowered to UNSAFE by options that are not idempotent.

        ``update_lead`` may be resent, but not with ``delete_lead=Y``: a resend after the delete
        landed answers NOT FOUND for a lead that was in fact deleted. The same holds for the other
        delete options, and a repeated reset (list, hopper, password) repeats its side effect.
        """
        options = _UNSAFE_OPTIONS.get((self.api, self.name))
        if options and any(form.get(name, "").upper() not in _OFF for name in options):
            return Safety.UNSAFE
        return self.safety

    @cached_property
    def needs_login(self) -> bool:
        """False for the functions that answer without checking the credentials (``version`` of
        either API): they neither wait for nor trip the client's authentication gate."""
        return self.key not in _NO_LOGIN

    @cached_property
    def is_report(self) -> bool:
        """Report and export functions get the long read timeout (they scan large tables).

        Only reads qualify: ``update_log_entry`` has ``_log`` in its name but is a one-row write
        whose slowness would mean trouble, not a big scan.
        """
        if self.effect != "read":
            return False
        return self.group in ("stats", "recordings") or any(
            w in self.name for w in ("export", "report", "_log")
        )

    @cached_property
    def runs_together(self) -> bool:
        """True when the answer's messages may follow each other without a line break."""
        return self.key in _RUN_TOGETHER

    @property
    def handover(self) -> FunctionSpec | None:
        """The function this one may hand the call over to (its lines then follow), or None."""
        key = _HANDOVER.get(self.key)
        return REGISTRY[key] if key is not None else None

    @cached_property
    def param_map(self) -> Mapping[str, ParamSpec]:
        return {p.name: p for p in self.params}

    @cached_property
    def required(self) -> tuple[str, ...]:
        """The parameters the reference marks required, in order (checked on every call)."""
        return tuple(p.name for p in self.params if p.required)

    @cached_property
    def all_errors(self) -> tuple[ErrorTemplate, ...]:
        """This function's ERROR templates followed by the ones every function of its API shares."""
        return self.response.errors + common_errors(self.api)

    @cached_property
    def error_lines(self) -> tuple[Template, ...]:
        """Every line template of :attr:`all_errors`, in order (what an ERROR line is matched against)."""
        return tuple(t for e in self.all_errors for t in e.lines)


def _param_spec(d: Mapping[str, object]) -> ParamSpec:
    kw: dict[str, object] = dict(d)
    choices = kw.get("choices")
    if isinstance(choices, list):
        kw["choices"] = tuple(choices)
    return ParamSpec(**kw)  # type: ignore[arg-type]


def _function_spec(d: Mapping[str, object]) -> FunctionSpec:
    def strs(key: str) -> list[str]:
        value = d[key]
        assert isinstance(value, list)
        return [str(v) for v in value]

    errors = d["errors"]
    assert isinstance(errors, list)
    params = d["params"]
    assert isinstance(params, list)
    return FunctionSpec(
        api=d["api"],  # type: ignore[arg-type]
        name=str(d["name"]),
        group=str(d["group"]),
        summary=str(d["summary"]),
        permissions=str(d["permissions"]),
        effect=d["effect"],  # type: ignore[arg-type]
        retry_safe=bool(d["retry_safe"]),
        custom_fields=bool(d["custom_fields"]),
        params=tuple(_param_spec(p) for p in params),
        response=ResponseSpec(
            format=d["format"],  # type: ignore[arg-type]
            stages=tuple(strs("stages")),
            header_param=bool(d["header_param"]),
            columns=tuple(strs("columns")),
            success=_templates(strs("success")),
            notices=_templates(strs("notices")),
            success_facets=_facets(strs("success_facets")),
            notice_facets=_facets(strs("notice_facets")),
            errors=tuple(_error_template(*e) for e in errors),
        ),
    )


def _facet(word: str) -> Facet:
    if word not in FACETS:
        raise ValueError(f"facet {word!r} of the declarations is not in registry.Facet")
    return cast(Facet, word)


def _facets(words: list[str]) -> tuple[Facet, ...]:
    return tuple(_facet(w) for w in words)


def _error_template(text: str, kind: str, facet: str = "") -> ErrorTemplate:
    return ErrorTemplate(_templates([text]), kind, _facet(facet))


_COMMON_ERRORS: dict[str, tuple[ErrorTemplate, ...]] = {
    api: tuple(_error_template(*e) for e in decl["common_errors"])
    for api, decl in DECLARATIONS.items()
}
_COMMON_PARAMS: dict[str, tuple[ParamSpec, ...]] = {
    api: tuple(_param_spec(p) for p in decl["common_params"]) for api, decl in DECLARATIONS.items()
}
_PATHS: dict[str, str] = {api: decl["path"] for api, decl in DECLARATIONS.items()}


def common_errors(api: str) -> tuple[ErrorTemplate, ...]:
    """ERROR templates every function of ``api`` may answer (login, permission, source)."""
    return _COMMON_ERRORS[api]


def common_params(api: str) -> tuple[ParamSpec, ...]:
    """Parameters every call of ``api`` carries (user, pass, source, function, ...)."""
    return _COMMON_PARAMS[api]


def api_path(api: str) -> str:
    """The endpoint path of ``api`` below the server root."""
    return _PATHS[api]


class Registry(Mapping[tuple[str, str], FunctionSpec]):
    """Read-only mapping ``(api, function) -> FunctionSpec`` of all 91 VICIdial API functions."""

    def __init__(self, specs: list[FunctionSpec]) -> None:
        self._specs = {s.key: s for s in specs}

    def __getitem__(self, key: tuple[str, str]) -> FunctionSpec:
        return self._specs[key]

    def __iter__(self) -> Iterator[tuple[str, str]]:
        return iter(self._specs)

    def __len__(self) -> int:
        return len(self._specs)

    def __repr__(self) -> str:
        return f"<Registry of {len(self)} VICIdial functions>"

    def for_api(self, api: str) -> list[FunctionSpec]:
        """Specs of one API in reference order."""
        return [s for s in self._specs.values() if s.api == api]


REGISTRY = Registry(
    [_function_spec(fn) for decl in DECLARATIONS.values() for fn in decl["functions"]]
)
