"""A shared result for status-line functions whose answer carries nothing worth its own model.

>>> from vicidial_async.protocol.registry import REGISTRY
>>> from vicidial_async.protocol.lines import decode_status
>>> spec = REGISTRY["non_agent", "add_dnc_phone"]
>>> body = "SUCCESS: add_dnc_phone DNC NUMBER HAS BEEN ADDED - 6666|3125551212|SYSTEM_INTERNAL\\n"
>>> res = StatusResult.from_answer(decode_status(spec, body))
>>> res.reason, res.get("phone_number")
('add_dnc_phone DNC NUMBER HAS BEEN ADDED', '3125551212')
"""

from __future__ import annotations

import attrs

from ..errors import DecodeError
from ..protocol.lines import NamedFields, StatusAnswer, StatusLine

__all__ = ["StatusResult"]


@attrs.frozen(slots=True)
class StatusResult(NamedFields):
    """The SUCCESS line of a status answer.

    Attributes:
        reason: the fixed words of the SUCCESS line, e.g. ``add_list LIST HAS BEEN ADDED``.
        data: its pipe-separated values in wire order.
        fields: the same values named after the reference template (empty if none matched).
        notices: the NOTICE lines that came with it.
        raw: the whole (masked) answer, for debugging.
    """

    reason: str
    data: tuple[str, ...] = ()
    fields: dict[str, str] = attrs.field(factory=dict, eq=False)
    notices: tuple[StatusLine, ...] = ()
    raw: str = attrs.field(default="", repr=False)

    @classmethod
    def from_answer(cls, answer: StatusAnswer) -> StatusResult:
        """The result of a decoded status answer; no SUCCESS line is a :class:`DecodeError`."""
        if not answer.success:
            raise DecodeError(f"{answer.function}: no SUCCESS line", function=answer.function,
                              raw=answer.raw)
        ok = answer.success[0]
        return cls(reason=ok.reason, data=ok.data, fields=dict(ok.fields), notices=answer.notices,
                   raw=answer.raw)
