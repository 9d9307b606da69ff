"""``Operation``: everything the library knows about calling one VICIdial function, without I/O.

An operation is the generated :class:`~vicidial_async.protocol.registry.FunctionSpec` plus what the
reference cannot say: a table of request rules (``_rules.py``), how the call may be resent, how its
answer is decoded and what typed result it becomes. The client, the bulk loader, the fake server
and the tests all use the same object::

    prepared = ADD_LEAD.prepare({"phone_number": "3125551212", "list_id": 101})
    prepared.form        # the encoded, checked form (credentials are added by the client)
    prepared.safety      # how it may be resent
    result = ADD_LEAD.interpret(answer_or_error, prepared.form)

``prepare`` raises :class:`~vicidial_async.InvalidParameterError` (``sent=False``) before anything
is sent; ``interpret`` turns a decoded answer, or the error an answer raised, into the result.
"""

from __future__ import annotations

import copy
import importlib
from collections.abc import Callable, Mapping, Sequence
from typing import Any, Generic, TypeVar, cast

import attrs

from ..errors import APIError, InvalidParameterError
from ..models._rows import TableRow, rows_of_table
from ..models._table import TableResult, table_result
from ..protocol.decode import Answer, decode
from ..protocol.lead_fields import collect_data_warnings, stop_collecting
from ..protocol.other import TextAnswer
from ..protocol.params import build_form, validate_form
from ..protocol.registry import REGISTRY, FunctionSpec, Safety
from ..protocol.tables import Table

__all__ = ["Form", "Operation", "Prepared", "ResendPolicy", "Rule", "answer_only", "declared_operation",
           "operation_for", "rows_of", "table_of", "text_of"]

A = TypeVar("A")
T = TypeVar("T")
RowT = TypeVar("RowT", bound=TableRow)
R = TypeVar("R")

Form = Mapping[str, str]
Rule = Callable[[FunctionSpec, Form, Mapping[str, Any]], None]
"""A request rule: ``(spec, encoded form, custom field values)``; raises to refuse the call."""


def answer_only(build: Callable[[A], R]) -> Callable[[A, Form], R]:
    """Adapt a result builder that needs only the answer (``AddLeadResult.from_answer``)."""
    return lambda answer, form: build(answer)


def rows_of(make_row: Callable[[dict[str, str]], T]) -> Callable[[Table, Form], TableResult[T]]:
    """The result builder of a table function: ``TableResult`` of one row model."""
    return lambda table, form: table_result(table, make_row)


def table_of(cls: type[RowT]) -> Callable[[Table, Form], TableResult[RowT]]:
    """The result builder of a table function whose rows are ``cls`` (a ``TableRow`` model)."""
    return lambda table, form: rows_of_table(cls, table)


def text_of(build: Callable[[str], R]) -> Callable[[TextAnswer, Form], R]:
    """The result builder of a text function whose text one parser reads."""
    return lambda answer, form: build(answer.text)


def _same(answer: Any, form: Form) -> Any:
    return answer


@attrs.frozen(slots=True)
class ResendPolicy:
    """How a write that is not safe to resend in general becomes safe for some calls.

    ``applies(form)`` says the call may be resent after a lost answer (add_lead with a
    ``duplicate_check``: the resend meets the lead the first attempt added); ``recover(error, form)``
    turns the error such a resend answers into the answer of the attempt that landed, or ``None``.
    """

    applies: Callable[[Form], bool]
    recover: Callable[[APIError, Form], Answer | None]


@attrs.frozen(slots=True)
class Prepared(Generic[R]):
    """One checked call, ready to send: the form (no credentials), its resend class, and the
    data warnings its checks raised (e.g. an apostrophe that breaks ``lead_all_info`` later)."""

    operation: Operation[Any, R]
    form: dict[str, str]
    safety: Safety
    warnings: tuple[Warning, ...] = ()

    @property
    def spec(self) -> FunctionSpec:
        return self.operation.spec

    def recover_resend(self, exc: APIError) -> Answer | None:
        """The answer a resend's error stands for, when this call's resend policy applies."""
        policy = self.operation.resend
        if policy is None or not policy.applies(self.form):
            return None
        return policy.recover(exc, self.form)


class Operation(Generic[A, R]):
    """One VICIdial function: spec, request rules, resend policy, decoder and result builder.

    Args:
        function: the VICIdial function name (``api`` picks the API).
        rules: request rules run in order on the encoded form (see ``_rules.py``).
        encode: per-parameter encoders run before the generic encoding (value -> text or None).
        adjust: fills in parameters derived from others before encoding (mutates the dict).
        optional: the parameters the reference marks required that this call may leave out.
        result: ``(answer, form) -> result``; the decoded answer by default.
        recover: ``(error, form) -> result or None``: an ERROR answer that is really a result.
        decoder: replaces :func:`~vicidial_async.protocol.decode.decode` for odd answers.
        resend: see :class:`ResendPolicy`.
        reference_view: the form as the reference check sees it, when a value is one the
            reference's kind cannot express (external_dial's ``MANUALNEXT``); the form itself by
            default.
    """

    def __init__(
        self,
        function: str | FunctionSpec,
        *,
        api: str = "non_agent",
        rules: Sequence[Rule] = (),
        encode: Mapping[str, Callable[[str, Any], str | None]] | None = None,
        adjust: Callable[[dict[str, Any]], None] | None = None,
        optional: Callable[[Form], Sequence[str]] | None = None,
        result: Callable[[A, Form], R] = _same,
        recover: Callable[[APIError, Form], R | None] | None = None,
        decoder: Callable[[FunctionSpec, int, str, Form], Answer] | None = None,
        resend: ResendPolicy | None = None,
        reference_view: Callable[[Form], Form] | None = None,
    ) -> None:
        self.spec: FunctionSpec = (function if isinstance(function, FunctionSpec)
                                   else REGISTRY[api, function])
        self.name = self.spec.name
        self.rules = tuple(rules)
        self._encode = dict(encode or {})
        self._adjust = adjust
        self._optional = optional
        self._result = result
        self._recover = recover
        self._decoder = decoder or decode
        self.resend = resend
        self._reference_view = reference_view
        if not isinstance(function, FunctionSpec):
            _DECLARED[self.spec.key] = self

    def __repr__(self) -> str:
        return f"<Operation {self.spec.api}.{self.name}>"

    @property
    def generic(self) -> Operation[Answer, Answer]:
        """This function without its own rules, decoder or result, keeping its resend policy:
        what ``client.call`` and ``client.send`` run (reference checks only, the decoded answer)."""
        return Operation(self.spec, resend=self.resend)

    def with_result(self, result: Callable[[A, Form], T]) -> Operation[A, T]:
        """This operation with another result builder: the same checks, decoder and resend policy.

        The bulk loader keeps only the ids of each lead it adds, so it skips building a full
        ``AddLeadResult`` per row. An operation whose ERROR answers can be results (``recover``)
        keeps its own result type.
        """
        if self._recover is not None:
            raise TypeError(f"{self!r} turns errors into its own results: its result cannot change")
        op = cast("Operation[A, T]", copy.copy(self))
        op._result = result
        return op

    # -- request side ------------------------------------------------------------------------

    def prepare(self, params: Mapping[str, Any],
                custom_fields: Mapping[str, Any] | None = None) -> Prepared[R]:
        """Encode and check one call; raise :class:`InvalidParameterError` before sending.

        ``params`` are wire names to Python values (``None`` = not sent). ``custom_fields`` are
        sent after every standard field, with ``custom_fields=Y`` (the server reads custom values
        only with that flag, and ignores one placed first).
        """
        fn = self.name
        values: Mapping[str, Any] = params
        if self._adjust is not None:
            values = dict(params)
            self._adjust(values)
        for name, encoder in self._encode.items():
            value = values.get(name)
            if value is not None:
                # Copied only to change it: the caller's mapping is left as it was.
                values = {**values, name: encoder(fn, value)}
        form = build_form(self.spec, values)
        custom = dict(custom_fields or {})
        caught: list[Warning] = []
        token = collect_data_warnings(caught)
        try:
            for rule in self.rules:
                rule(self.spec, form, custom)
        finally:
            stop_collecting(token)
        extra = self._merge_custom(form, custom)
        optional = self._optional(form) if self._optional is not None else ()
        checked = form if self._reference_view is None else self._reference_view(form)
        validate_form(self.spec, checked, custom_fields=extra, optional=optional)
        return Prepared(self, form, self.safety_for(form), tuple(caught))

    def safety_for(self, form: Form) -> Safety:
        """How this call may be resent: the spec's class, raised by the resend policy."""
        if self.resend is not None and self.resend.applies(form):
            return Safety.IDEMPOTENT_WRITE
        return self.spec.safety_for(form)

    def _merge_custom(self, form: dict[str, str], custom: Mapping[str, Any]) -> list[str]:
        fn, spec = self.name, self.spec
        if not custom:
            return []
        if not spec.custom_fields and "custom_fields" not in spec.param_map:
            raise InvalidParameterError(fn, "does not accept custom fields",
                                        parameter="custom_fields", sent=False)
        extra: list[str] = []
        for name in custom:
            if name in spec.param_map or name in form:
                raise InvalidParameterError(
                    fn, f"custom field {name!r} has the name of a standard parameter",
                    parameter=name, sent=False)
            extra.append(name)
        form["custom_fields"] = "Y"
        for name, value in custom.items():
            if value is None:
                continue
            text = value if isinstance(value, str) else str(value)
            # The server turns '+' into a space, drops ';' and '"', and a trailing backslash.
            if any(c in text for c in '+;"') or text.endswith("\\"):
                raise InvalidParameterError(
                    fn, "custom field value holds + ; \" or a trailing backslash, which the "
                    "server would alter silently", parameter=name, sent=False)
            form[name] = text
        return extra

    # -- answer side -------------------------------------------------------------------------

    def decode(self, status: int, body: str, form: Form) -> Answer:
        """Decode one (masked) exchange: the answer, or the typed error it stands for."""
        return self._decoder(self.spec, status, body, form)

    def interpret(self, outcome: Answer | APIError, form: Form) -> R:
        """The typed result of a decoded answer, or of an ERROR answer that is really a result
        (e.g. "no updates" with the reason in NOTICE lines); other errors are raised."""
        if isinstance(outcome, APIError):
            if self._recover is not None:
                recovered = self._recover(outcome, form)
                if recovered is not None:
                    return recovered
            raise outcome
        return self._result(cast(A, outcome), form)


_DECLARED: dict[tuple[str, str], Operation[Any, Any]] = {}
_GENERIC: dict[tuple[str, str], Operation[Answer, Answer]] = {}


def declared_operation(spec: FunctionSpec) -> Operation[Any, Any] | None:
    """The operation its group module declares for ``spec``, or None.

    Operations register themselves when their module (``operations/<reference group>.py``) is
    imported; this imports the module of ``spec``'s group on first use.
    """
    if spec.key not in _DECLARED:
        # Non-Agent operations live in the module of their reference group, Agent API ones in one.
        module = f"{__package__}.{spec.group if spec.api == 'non_agent' else 'agent'}"
        try:
            importlib.import_module(module)
        except ModuleNotFoundError as exc:
            if exc.name != module:  # the group has no module (yet): plain operations serve it
                raise
    declared = _DECLARED.get(spec.key)
    return declared if declared is not None and declared.spec is spec else None


def operation_for(spec: FunctionSpec) -> Operation[Answer, Answer]:
    """The generic operation of ``spec`` (see :attr:`Operation.generic`): the declared operation's
    resend policy, if its group module declares one, on a plain operation otherwise."""
    found = _GENERIC.get(spec.key)
    if found is not None and found.spec is spec:
        return found
    declared = declared_operation(spec)
    op = declared.generic if declared is not None else Operation(spec)
    _GENERIC[spec.key] = op
    return op

