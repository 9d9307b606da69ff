"""Lead functions of the Non-Agent API (``vd.leads``): method name = VICIdial function name."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any, Literal

from ..models.leads import AddLeadResult
from ..protocol.lead_fields import check_lead_fields
from ..protocol.params import build_form
from ._base import EndpointGroup, wire_params

__all__ = ["Leads"]

DuplicateCheck = str
"""One of DUPLIST, DUPCAMP, DUPSYS, DUPPHONEALT{LIST,CAMP,SYS}, DUPTITLEALTPHONE{LIST,CAMP,SYS},
DUPNAMEPHONE{LIST,CAMP,SYS}, optionally with a day window such as ``90DAY`` appended."""
YesNoArea = Literal["Y", "N", "AREACODE"]


class Leads(EndpointGroup):
    """Lead functions: ``vd.leads.add_lead(...)``, ``vd.leads.update_lead(...)`` ..."""

    async def add_lead(
        self,
        *,
        phone_number: str,
        list_id: int | str,
        phone_code: int | str | None = None,
        dnc_check: YesNoArea | None = None,
        campaign_dnc_check: YesNoArea | None = None,
        campaign_id: str | None = None,
        add_to_hopper: bool | None = None,
        hopper_priority: int | None = None,
        hopper_local_call_time_check: bool | None = None,
        duplicate_check: DuplicateCheck | Sequence[DuplicateCheck] | None = None,
        usacan_prefix_check: bool | None = None,
        usacan_areacode_check: bool | None = None,
        nanpa_ac_prefix_check: bool | None = None,
        tz_method: Literal["", "POSTAL", "TZCODE", "NANPA"] | None = None,
        callback: bool | None = None,
        callback_status: str | None = None,
        callback_datetime: dt.datetime | Literal["NOW"] | str | None = None,
        callback_type: Literal["USERONLY", "ANYONE"] | None = None,
        callback_user: str | None = None,
        callback_comments: str | None = None,
        lookup_state: bool | None = None,
        list_exists_check: bool | None = None,
        vendor_lead_code: str | None = None,
        source_id: str | None = None,
        gmt_offset_now: str | None = None,
        title: str | None = None,
        first_name: str | None = None,
        middle_initial: str | None = None,
        last_name: str | None = None,
        address1: str | None = None,
        address2: str | None = None,
        address3: str | None = None,
        city: str | None = None,
        state: str | None = None,
        province: str | None = None,
        postal_code: str | None = None,
        country_code: str | None = None,
        gender: Literal["U", "M", "F"] | None = None,
        date_of_birth: dt.date | str | None = None,
        alt_phone: str | None = None,
        email: str | None = None,
        security_phrase: str | None = None,
        comments: str | None = None,
        multi_alt_phones: str | Sequence[str] | None = None,
        rank: int | None = None,
        owner: str | None = None,
        entry_list_id: int | str | None = None,
        custom_fields: Mapping[str, Any] | None = None,
        timeout: float | None = None,
    ) -> AddLeadResult:
        """Insert one new lead (VICIdial ``add_lead``).

        Needs an API user with user_level >= 8, modify_leads 1-4 and vdc_agent_api_access. ``list_id``
        is required here: without it the server silently files the lead in list 999.

        ``duplicate_check`` takes one check or several (joined with ``-``), e.g.
        ``["DUPLIST", "DUPCAMP30DAY"]``; a hit raises :class:`DuplicateError` with the existing
        lead's id. With a ``duplicate_check`` the call may safely be resent after a lost answer: the
        resend then meets the lead the first attempt added, and the result says ``recovered=True``.
        Without one, a lost answer raises :class:`OutcomeUnknownError` instead of risking a second lead.

        Values the server would silently alter (non-ASCII letters, ``&``, ``+`` in names, ``;#"`` in
        comments ...) raise :class:`InvalidParameterError` before sending. ``custom_fields`` maps
        custom field labels of the list to values (sent after the standard fields, with
        ``custom_fields=Y``).

        >>> lead = await vd.leads.add_lead(phone_number="3125551212", list_id=101,   # doctest: +SKIP
        ...                                first_name="Ann", duplicate_check="DUPLIST")
        >>> lead.lead_id                                                             # doctest: +SKIP
        2001
        """
        params = wire_params(locals())
        check_lead_fields("add_lead", build_form(self._spec("add_lead"), params))
        answer = await self._call("add_lead", params, custom_fields=custom_fields, timeout=timeout)
        return AddLeadResult.from_answer(answer)
