"""Building and checking one add_lead form without sending it.

The loader must refuse exactly what ``vd.leads.add_lead`` refuses, and a dry run must run that very
validation. Rather than copying the checks, :func:`add_lead_form` runs ``Leads.add_lead`` itself
against a stand-in client whose ``send`` captures the finished form instead of doing I/O: every
check of the endpoint (list id, phone digits, characters the server would drop, custom field names,
the reference limits) runs, and the captured form is what would have gone on the wire.
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping
from typing import Any, NoReturn, cast

import attrs

from ..endpoints.leads import Leads
from ..errors import InvalidParameterError
from ..protocol.lead_fields import VicidialDataWarning
from ..protocol.registry import REGISTRY, FunctionSpec

__all__ = ["ADD_LEAD_SPEC", "AddLeadForm", "add_lead_form"]

ADD_LEAD_SPEC: FunctionSpec = REGISTRY["non_agent", "add_lead"]


class _Captured(Exception):
    def __init__(self, form: Mapping[str, str]) -> None:
        super().__init__("captured")
        self.form = dict(form)


class _CaptureClient:
    """Takes the place of ``VicidialClient`` for ``Leads``: ``send`` hands the form back."""

    async def send(self, spec: FunctionSpec, form: Mapping[str, str], *,
                   timeout: float | None = None) -> NoReturn:
        raise _Captured(form)


_LEADS = Leads(cast(Any, _CaptureClient()))


@attrs.frozen(slots=True)
class AddLeadForm:
    """A validated add_lead form (wire field -> text, credentials not included) and the
    data warnings the checks raised (e.g. an apostrophe that breaks lead_all_info later)."""

    form: dict[str, str]
    warnings: tuple[str, ...] = ()


def add_lead_form(list_id: int | str, params: Mapping[str, Any],
                  custom_fields: Mapping[str, str] | None = None) -> AddLeadForm:
    """Run add_lead's own validation on ``params`` and return the form it would send.

    Raises :class:`InvalidParameterError` (``sent=False``) exactly where ``add_lead`` would.
    """
    try:
        coro = _LEADS.add_lead(list_id=list_id, custom_fields=custom_fields or None, **params)
    except TypeError as exc:  # a parameter add_lead does not take
        raise InvalidParameterError("add_lead", str(exc), sent=False) from None
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", VicidialDataWarning)
        try:
            # add_lead awaits nothing before its send, so one step runs it to the capture.
            coro.send(None)
        except _Captured as captured:
            return AddLeadForm(captured.form, tuple(str(w.message) for w in caught
                                                    if issubclass(w.category, VicidialDataWarning)))
        finally:
            coro.close()
    raise InvalidParameterError("add_lead", "validation did not reach the send step", sent=False)
