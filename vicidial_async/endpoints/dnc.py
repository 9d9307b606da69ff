"""DNC and filter-phone-group functions of the Non-Agent API (``vd.dnc``).

Method name = VICIdial function name. Each call adds or deletes one number; the server also logs
every DNC change in vicidial_dnc_log. None of these is resent after a lost answer (a resend would
answer ALREADY EXISTS / DOES NOT EXIST).
"""

from __future__ import annotations

from ..errors import InvalidParameterError
from ..models.dnc import DncPhoneResult, FpgPhoneResult
from ._base import EndpointGroup, wire_params

__all__ = ["SYSTEM_DNC", "Dnc"]

SYSTEM_DNC = "SYSTEM_INTERNAL"
"""The ``campaign_id`` of the system-wide DNC list."""


def _digits(function: str, phone_number: str) -> None:
    # The server keeps commas in phone numbers; an area-code wildcard (312XXXXXXX) cannot be sent.
    if not phone_number.isdigit():
        raise InvalidParameterError(function, f"must be digits only, got {phone_number!r}",
                                    parameter="phone_number", sent=False)


class Dnc(EndpointGroup):
    """DNC lists and filter phone groups: ``vd.dnc.add_dnc_phone(...)`` ..."""

    async def add_dnc_phone(self, *, phone_number: str, campaign_id: str,
                            timeout: float | None = None) -> DncPhoneResult:
        """Add a number to a DNC list (``add_dnc_phone``).

        ``campaign_id`` names the campaign whose DNC list is used, or :data:`SYSTEM_DNC`
        (``"SYSTEM_INTERNAL"``) for the system list; the campaign is not checked for existence.
        Needs user_level >= 8 and modify_lists. A number already listed raises
        :class:`AlreadyExistsError`.

        >>> await vd.dnc.add_dnc_phone(phone_number="3125550199", campaign_id=SYSTEM_DNC)  # doctest: +SKIP
        """
        params = wire_params(locals())
        _digits("add_dnc_phone", phone_number)
        answer = await self._call("add_dnc_phone", params, timeout=timeout)
        return DncPhoneResult.from_answer(answer)

    async def delete_dnc_phone(self, *, phone_number: str, campaign_id: str,
                               timeout: float | None = None) -> DncPhoneResult:
        """Remove a number from a DNC list (``delete_dnc_phone``).

        ``campaign_id`` as in :meth:`add_dnc_phone`. Needs user_level >= 8, modify_lists and
        delete_from_dnc. A number not listed raises :class:`NotFoundError`.
        """
        params = wire_params(locals())
        _digits("delete_dnc_phone", phone_number)
        answer = await self._call("delete_dnc_phone", params, timeout=timeout)
        return DncPhoneResult.from_answer(answer)

    async def add_fpg_phone(self, *, phone_number: str, group: str,
                            timeout: float | None = None) -> FpgPhoneResult:
        """Add a number to a filter phone group (``add_fpg_phone``).

        ``group`` is an existing filter_phone_group_id. Needs user_level >= 8 and modify_lists.
        An unknown group raises :class:`NotFoundError`, a number already in it
        :class:`AlreadyExistsError`.
        """
        params = wire_params(locals())
        _digits("add_fpg_phone", phone_number)
        answer = await self._call("add_fpg_phone", params, timeout=timeout)
        return FpgPhoneResult.from_answer(answer)

    async def delete_fpg_phone(self, *, phone_number: str, group: str,
                               timeout: float | None = None) -> FpgPhoneResult:
        """Remove a number from a filter phone group (``delete_fpg_phone``).

        Needs user_level >= 8 and modify_lists. An unknown group or a number not in it raises
        :class:`NotFoundError`.
        """
        params = wire_params(locals())
        _digits("delete_fpg_phone", phone_number)
        answer = await self._call("delete_fpg_phone", params, timeout=timeout)
        return FpgPhoneResult.from_answer(answer)
