"""Result models of the DNC and filter-phone-group functions (``vd.dnc``)."""

from __future__ import annotations

import attrs

from ..protocol.lines import StatusAnswer
from ._outcome import named, success_line

__all__ = ["DncPhoneResult", "FpgPhoneResult"]






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
        f = named(success_line(answer), ("user", "phone_number", "campaign_id"))
        return cls(f.get("phone_number", ""), f.get("campaign_id", ""), f.get("user", ""), answer.raw)


@attrs.frozen(slots=True)
class FpgPhoneResult:
    """A number added to or deleted from a filter phone group."""

    phone_number: str
    group: str
    user: str
    raw: str = attrs.field(default="", repr=False)

    @classmethod
    def from_answer(cls, answer: StatusAnswer) -> FpgPhoneResult:
        f = named(success_line(answer), ("user", "phone_number", "group"))
        return cls(f.get("phone_number", ""), f.get("group", ""), f.get("user", ""), answer.raw)
