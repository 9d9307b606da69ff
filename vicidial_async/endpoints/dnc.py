"""DNC and filter-phone-group functions of the Non-Agent API (``vd.dnc``).

Method name = VICIdial function name. Each call adds or deletes one number; the server also logs
every DNC change in vicidial_dnc_log. None of these is resent after a lost answer (a resend would
answer ALREADY EXISTS / DOES NOT EXIST).
"""

from __future__ import annotations

from ..models.dnc import DncPhoneResult, FpgPhoneResult
from ..operations import dnc as ops
from ._base import EndpointGroup

__all__ = ["SYSTEM_DNC", "Dnc"]

SYSTEM_DNC = "SYSTEM_INTERNAL"
"""The ``campaign_id`` of the system-wide DNC list."""


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
        return await self._run(ops.ADD_DNC_PHONE, {
            "phone_number": phone_number, "campaign_id": campaign_id}, timeout=timeout)

    async def delete_dnc_phone(self, *, phone_number: str, campaign_id: str,
                               timeout: float | None = None) -> DncPhoneResult:
        """Remove a number from a DNC list (``delete_dnc_phone``).

        ``campaign_id`` as in :meth:`add_dnc_phone`. Needs user_level >= 8, modify_lists and
        delete_from_dnc. A number not listed raises :class:`NotFoundError`.
        """
        return await self._run(ops.DELETE_DNC_PHONE, {
            "phone_number": phone_number, "campaign_id": campaign_id}, timeout=timeout)

    async def add_fpg_phone(self, *, phone_number: str, group: str,
                            timeout: float | None = None) -> FpgPhoneResult:
        """Add a number to a filter phone group (``add_fpg_phone``).

        ``group`` is an existing filter_phone_group_id. Needs user_level >= 8 and modify_lists.
        An unknown group raises :class:`NotFoundError`, a number already in it
        :class:`AlreadyExistsError`.
        """
        return await self._run(ops.ADD_FPG_PHONE, {"phone_number": phone_number, "group": group},
                               timeout=timeout)

    async def delete_fpg_phone(self, *, phone_number: str, group: str,
                               timeout: float | None = None) -> FpgPhoneResult:
        """Remove a number from a filter phone group (``delete_fpg_phone``).

        Needs user_level >= 8 and modify_lists. An unknown group or a number not in it raises
        :class:`NotFoundError`.
        """
        return await self._run(ops.DELETE_FPG_PHONE, {
            "phone_number": phone_number, "group": group}, timeout=timeout)
