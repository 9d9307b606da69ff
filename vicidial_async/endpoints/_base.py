"""What every endpoint group shares: encode, validate, send through the client, decode."""

from __future__ import annotations

import warnings
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any, ClassVar, TypeVar

from ..errors import InvalidParameterError
from ..protocol.params import build_form, validate_form
from ..protocol.registry import REGISTRY, FunctionSpec

if TYPE_CHECKING:
    from ..client import VicidialClient
    from ..operations import Operation

R = TypeVar("R")

__all__ = ["EndpointGroup", "wire_params"]

_NOT_WIRE = frozenset({"self", "timeout", "custom_fields", "__class__"})


def wire_params(local_vars: Mapping[str, Any], *, rename: Mapping[str, str] | None = None) -> dict[str, Any]:
    """The wire parameters of a method from its ``locals()`` (keyword names = wire names).

    ``None`` values are dropped later by the encoder ("not sent").
    """
    out = {k: v for k, v in local_vars.items() if k not in _NOT_WIRE}
    for src, dst in (rename or {}).items():
        if src in out:
            out[dst] = out.pop(src)
    return out


class EndpointGroup:
    """Base of ``vd.leads``, ``vd.lists`` ...: holds the client and sends validated calls."""

    _api: ClassVar[str] = "non_agent"

    def __init__(self, client: VicidialClient) -> None:
        self._client = client

    def __repr__(self) -> str:
        return f"<{type(self).__name__} of {self._client!r}>"

    async def _run(self, op: Operation[Any, R], params: Mapping[str, Any], *,
                   custom_fields: Mapping[str, Any] | None = None,
                   timeout: float | None = None) -> R:
        """Prepare ``op`` with ``params`` (raising before anything is sent), run it, return its result.

        The data warnings the checks raised are issued here, pointing at the caller's line.
        """
        prepared = op.prepare(params, custom_fields)
        for warning in prepared.warnings:
            warnings.warn(warning, stacklevel=3)
        return await self._client.run_prepared(prepared, timeout=timeout)

    def _spec(self, function: str) -> FunctionSpec:
        return REGISTRY[self._api, function]

    async def _call(self, function: str, params: Mapping[str, Any], *,
                    custom_fields: Mapping[str, Any] | None = None,
                    optional: Sequence[str] = (), timeout: float | None = None,
                    form: dict[str, str] | None = None) -> Any:
        """Encode, validate and send; return the generic decoded answer.

        ``custom_fields`` are sent after every standard field, with ``custom_fields=Y`` (the server
        only reads custom field values when that flag is set, and ignores one placed first).
        ``form`` is ``params`` already encoded by the caller (methods that check the encoded
        values first), so it is not encoded twice.
        """
        spec = self._spec(function)
        if form is None:
            form = build_form(spec, params)
        extra: list[str] = []
        if custom_fields:
            if not spec.custom_fields and "custom_fields" not in spec.param_map:
                raise InvalidParameterError(function, "does not accept custom fields",
                                            parameter="custom_fields", sent=False)
            for name in custom_fields:
                if name in spec.param_map or name in form:
                    raise InvalidParameterError(
                        function, f"custom field {name!r} has the name of a standard parameter",
                        parameter=name, sent=False)
                extra.append(name)
            form["custom_fields"] = "Y"
            for name, value in custom_fields.items():
                if value is None:
                    continue
                text = value if isinstance(value, str) else str(value)
                # The server turns '+' into a space, drops ';' and '"', and a trailing backslash.
                if any(c in text for c in '+;"') or text.endswith("\\"):
                    raise InvalidParameterError(
                        function, "custom field value holds + ; \" or a trailing backslash, which "
                        "the server would alter silently", parameter=name, sent=False)
                form[name] = text
        validate_form(spec, form, custom_fields=extra, optional=optional)
        return await self._client.send(spec, form, timeout=timeout)
