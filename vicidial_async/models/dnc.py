"""Result models of the DNC and filter-phone-group functions (``vd.dnc``)."""

from __future__ import annotations

from typing import ClassVar

import attrs

from ._rows import LineResult

__all__ = ["DncPhoneResult", "FpgPhoneResult"]


@attrs.frozen(slots=True)
class DncPhoneResult(LineResult):
    """A number added to or deleted from a DNC list (``campaign_id`` SYSTEM_INTERNAL = system list)."""

    COLUMNS: ClassVar[tuple[str, ...]] = ("user", "phone_number", "campaign_id")
    phone_number: str
    campaign_id: str
    user: str
    raw: str = attrs.field(default="", repr=False)

    @property
    def system(self) -> bool:
        """True for the system-wide DNC list."""
        return self.campaign_id == "SYSTEM_INTERNAL"


@attrs.frozen(slots=True)
class FpgPhoneResult(LineResult):
    """A number added to or deleted from a filter phone group."""

    COLUMNS: ClassVar[tuple[str, ...]] = ("user", "phone_number", "group")
    phone_number: str
    group: str
    user: str
    raw: str = attrs.field(default="", repr=False)
