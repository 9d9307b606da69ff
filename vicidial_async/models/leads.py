"""Result models of the lead functions."""

from __future__ import annotations

import attrs

from ..protocol.lines import StatusAnswer, StatusLine
from ._parse import opt_float, opt_int

__all__ = ["AddLeadResult", "CallbackOutcome", "CustomFieldsOutcome", "HopperOutcome"]


@attrs.frozen(slots=True)
class HopperOutcome:
    """What add_to_hopper did: ``added`` with ``hopper_id``, or not and ``reason``."""

    added: bool
    hopper_id: int | None = None
    reason: str = ""


@attrs.frozen(slots=True)
class CustomFieldsOutcome:
    """Whether custom field values were stored, and why not."""

    added: bool
    reason: str = ""


@attrs.frozen(slots=True)
class CallbackOutcome:
    """Whether the scheduled callback was created (the lead stays CBHOLD even when it was not)."""

    added: bool
    reason: str = ""
    callback_datetime: str = ""


@attrs.frozen(slots=True)
class AddLeadResult:
    """A lead added by ``add_lead``.

    ``recovered`` is True when the answer of the attempt that added the lead was lost and a resend
    (allowed only with ``duplicate_check``) met that same lead as a duplicate.
    """

    lead_id: int
    list_id: int | None
    phone_number: str
    gmt_offset: float | None
    user: str
    hopper: HopperOutcome | None = None
    custom_fields: CustomFieldsOutcome | None = None
    callback: CallbackOutcome | None = None
    alt_phones_loaded: int | None = None
    notices: tuple[StatusLine, ...] = ()
    recovered: bool = False
    raw: str = attrs.field(default="", repr=False)

    @classmethod
    def from_answer(cls, answer: StatusAnswer) -> AddLeadResult:
        ok = answer.success[0] if answer.success else None
        if ok is None:
            from ..errors import DecodeError
            raise DecodeError("add_lead: no SUCCESS line", function="add_lead", raw=answer.raw)
        fields = ok.fields or dict(zip(("phone_number", "list_id", "lead_id", "gmt_offset", "user"),
                                       ok.data, strict=False))
        hopper = custom = callback = None
        alt_loaded = None
        for n in answer.notices:
            r = n.reason
            if "ADDED TO HOPPER" in r and "NOT" not in r:
                hopper = HopperOutcome(True, opt_int(n.get("hopper_id")))
            elif "HOPPER" in r:
                hopper = HopperOutcome(False, None, r.removeprefix("add_lead "))
            elif "CUSTOM FIELDS VALUES ADDED" in r:
                custom = CustomFieldsOutcome(True)
            elif "CUSTOM FIELDS" in r:
                custom = CustomFieldsOutcome(False, r.removeprefix("add_lead "))
            elif "SCHEDULED CALLBACK ADDED" in r:
                callback = CallbackOutcome(True, "", n.get("callback_datetime"))
            elif "SCHEDULED CALLBACK" in r:
                callback = CallbackOutcome(False, r.removeprefix("add_lead "))
            elif "MULTI-ALT-PHONE" in r:
                alt_loaded = opt_int(n.get("alt_phones_inserted"))
        lead_id = opt_int(fields.get("lead_id"))
        if lead_id is None:
            from ..errors import DecodeError
            raise DecodeError("add_lead: SUCCESS without a lead_id", function="add_lead", raw=answer.raw)
        return cls(
            lead_id=lead_id,
            list_id=opt_int(fields.get("list_id")),
            phone_number=fields.get("phone_number", ""),
            gmt_offset=opt_float(fields.get("gmt_offset")),
            user=fields.get("user", ""),
            hopper=hopper,
            custom_fields=custom,
            callback=callback,
            alt_phones_loaded=alt_loaded,
            notices=answer.notices,
            recovered=answer.recovered,
            raw=answer.raw,
        )
