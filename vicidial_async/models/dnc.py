"""Result models of the DNC and filter-phone-group functions (``vd.dnc``)."""

from __future__ import annotations

import attrs

from ..errors import DecodeError
from ..protocol.lines import StatusAnswer, StatusLine

__all__ = ["DncPhoneResult", "FpgPhoneResult"]


def _ok(answer: StatusAnswer) -> StatusLine:
    if not answer.success:
        raise DecodeError(f"{answer.function}: no SUCCESS line", function=answer.function,
                          raw=answer.raw)
    return answer.success[0]


def _value(line: StatusLine, name: str, index: int) -> str:
    if line.fields:
        return line.get(name)
    return line.data[index] if len(line.data) > index else ""


@attrs.frozen(slots=True)
class DncPhoneResult:
    """A number added to or deleted from a DNC list (``campaign_id`` SYSTEM_INTERNAL = system list)."""

    phone_number: str
    campaign_id: str
    user: str
    raw: str = attrs.field(default="", repr=False)

    @property
    def system(self) -> bool:
        """True for the system-wide DNC list."""
        return self.campaign_id == "SYSTEM_INTERNAL"

    @classmethod
    def from_answer(cls, answer: StatusAnswer) -> DncPhoneResult:
        ok = _ok(answer)
        return cls(_value(ok, "phone_number", 1), _value(ok, "campaign_id", 2), _value(ok, "user", 0),
                   answer.raw)


@attrs.frozen(slots=True)
class FpgPhoneResult:
    """A number added to or deleted from a filter phone group."""

    phone_number: str
    group: str
    user: str
    raw: str = attrs.field(default="", repr=False)

    @classmethod
    def from_answer(cls, answer: StatusAnswer) -> FpgPhoneResult:
        ok = _ok(answer)
        return cls(_value(ok, "phone_number", 1), _value(ok, "group", 2), _value(ok, "user", 0),
                   answer.raw)
