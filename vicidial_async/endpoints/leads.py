"""Lead functions of the Non-Agent API (``vd.leads``): method name = VICIdial function name.

Every method takes keyword-only arguments named as on the wire (``None`` = not sent) and runs the
function's operation (``operations/leads.py``), which refuses values the server would reject,
ignore or silently alter before anything is sent and builds the typed result (``models/leads.py``).
Table functions return ``TableResult[row model]``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any, Literal

from ..models._table import TableResult
from ..models.leads import (
    AddLeadResult,
    BatchUpdateLeadResult,
    CallbackRow,
    CheckPhoneNumberResult,
    LeadDearchiveResult,
    LeadFieldInfo,
    LeadRecord,
    LeadSearchRow,
    UpdateLeadResult,
    UpdateLogEntryResult,
)
from ..operations import leads as ops
from ..protocol.params import BLANK
from ._base import EndpointGroup

__all__ = ["BLANK", "Leads"]

DuplicateCheck = str
"""One of DUPLIST, DUPCAMP, DUPSYS, DUPPHONEALT{LIST,CAMP,SYS}, DUPTITLEALTPHONE{LIST,CAMP,SYS},
DUPNAMEPHONE{LIST,CAMP,SYS}, optionally with a day window such as ``90DAY`` appended."""
YesNoArea = Literal["Y", "N", "AREACODE"]
SearchMethod = Literal["LEAD_ID", "VENDOR_LEAD_CODE", "PHONE_NUMBER"]
Stage = Literal["pipe", "csv", "tab", "newline"]
TzMethod = Literal["AREACODE", "POSTAL", "TZCODE", "NANPA"]
AltPhone = str | tuple[str, ...]
"""A multi_alt_phones record: ``"3125550199_1_cell"`` or ``("3125550199", "1", "cell")``
(number, optional phone code, optional note)."""


class Leads(EndpointGroup):
    """Lead functions: ``vd.leads.add_lead(...)``, ``vd.leads.update_lead(...)`` ..."""

    # -- writes --------------------------------------------------------------------------------

    async def add_lead(
        self,
        *,
        phone_number: str,
        phone_code: int | str | None = None,
        list_id: int | str,
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
        multi_alt_phones: AltPhone | Sequence[AltPhone] | None = None,
        rank: int | None = None,
        owner: str | None = None,
        entry_list_id: int | str | None = None,
        custom_fields: Mapping[str, Any] | None = None,
        timeout: float | None = None,
    ) -> AddLeadResult:
        """Insert one new lead (VICIdial ``add_lead``).

        Needs an API user with user_level >= 8, modify_leads 1-4 and vdc_agent_api_access (with
        api_list_restrict, ``list_id`` must belong to an allowed campaign). ``list_id`` is required
        here and must have 3-12 digits: the server files a lead without one, or with a shorter one,
        in list 999.

        ``duplicate_check`` takes one check or several (joined with ``-``), e.g.
        ``["DUPLIST", "DUPCAMP30DAY"]``; a hit raises :class:`DuplicateError` with the existing
        lead's ``existing_lead_id``/``existing_list_id`` (phone, alt-phone, title/alt-phone and
        name/phone checks alike). With a ``duplicate_check`` the call may safely be resent after a
        lost answer: the resend meets the lead the first attempt added and the result says
        ``recovered=True`` (if the lost attempt never landed, that lead may instead be one that
        already existed; see :class:`AddLeadResult`). Without one, a lost answer raises
        :class:`OutcomeUnknownError`.

        ``dnc_check``/``campaign_dnc_check`` (``AREACODE`` also matches area-code wildcard
        entries) raise :class:`DNCError`; the ``usacan_*``/``nanpa_*`` checks raise
        :class:`InvalidParameterError` from the server. ``callback=True`` stores the lead as CBHOLD
        with a scheduled callback at ``callback_datetime`` (a datetime, ``"NOW"`` or ``"3DAYS"``)
        and needs ``campaign_id``. ``multi_alt_phones`` takes ``"number_code_note"`` strings or
        tuples. ``tz_method`` picks how the GMT offset is found (``gmt_offset_now`` is ignored by
        the server and refused here).

        Values the server would silently alter (non-ASCII letters, ``&``, ``+`` in names,
        ``;#"`` in comments, ``--BLANK--``, a phone number with commas ...) raise
        :class:`InvalidParameterError` before sending. ``custom_fields`` maps custom field labels of
        the list to values (sent after the standard fields, with ``custom_fields=Y``).

        >>> lead = await vd.leads.add_lead(phone_number="3125551212", list_id=101,   # doctest: +SKIP
        ...                                first_name="Ann", duplicate_check="DUPLIST")
        >>> lead.lead_id                                                             # doctest: +SKIP
        2001
        """
        return await self._run(ops.ADD_LEAD, {
            "phone_number": phone_number, "phone_code": phone_code, "list_id": list_id,
            "dnc_check": dnc_check, "campaign_dnc_check": campaign_dnc_check, "campaign_id": campaign_id,
            "add_to_hopper": add_to_hopper, "hopper_priority": hopper_priority,
            "hopper_local_call_time_check": hopper_local_call_time_check, "duplicate_check": duplicate_check,
            "usacan_prefix_check": usacan_prefix_check, "usacan_areacode_check": usacan_areacode_check,
            "nanpa_ac_prefix_check": nanpa_ac_prefix_check, "tz_method": tz_method, "callback": callback,
            "callback_status": callback_status, "callback_datetime": callback_datetime,
            "callback_type": callback_type, "callback_user": callback_user,
            "callback_comments": callback_comments, "lookup_state": lookup_state,
            "list_exists_check": list_exists_check, "vendor_lead_code": vendor_lead_code,
            "source_id": source_id, "gmt_offset_now": gmt_offset_now, "title": title,
            "first_name": first_name, "middle_initial": middle_initial, "last_name": last_name,
            "address1": address1, "address2": address2, "address3": address3, "city": city, "state": state,
            "province": province, "postal_code": postal_code, "country_code": country_code, "gender": gender,
            "date_of_birth": date_of_birth, "alt_phone": alt_phone, "email": email,
            "security_phrase": security_phrase, "comments": comments, "multi_alt_phones": multi_alt_phones,
            "rank": rank, "owner": owner, "entry_list_id": entry_list_id},
            custom_fields=custom_fields, timeout=timeout)

    async def update_lead(
        self,
        *,
        lead_id: int | str | None = None,
        phone_number: str | None = None,
        search_method: SearchMethod | Sequence[SearchMethod] | None = None,
        search_location: Literal["LIST", "CAMPAIGN", "SYSTEM"] | None = None,
        list_id: int | str | None = None,
        insert_if_not_found: bool | None = None,
        records: int | None = None,
        custom_fields: Mapping[str, Any] | bool | None = None,
        no_update: bool | None = None,
        delete_lead: bool | None = None,
        delete_cf_data: bool | None = None,
        reset_lead: bool | None = None,
        callback: bool | Literal["REMOVE"] | None = None,
        callback_status: str | None = None,
        callback_datetime: dt.datetime | Literal["NOW"] | str | None = None,
        callback_type: Literal["USERONLY", "ANYONE"] | None = None,
        callback_user: str | None = None,
        callback_comments: str | None = None,
        campaign_id: str | None = None,
        update_phone_number: bool | None = None,
        add_to_hopper: bool | None = None,
        remove_from_hopper: bool | None = None,
        hopper_priority: int | None = None,
        hopper_local_call_time_check: bool | None = None,
        list_exists_check: bool | None = None,
        archived_lead: bool | None = None,
        tz_method: Literal["", "POSTAL", "TZCODE", "NANPA"] | None = None,
        multi_alt_phones: AltPhone | Sequence[AltPhone] | None = None,
        user_field: str | None = None,
        list_id_field: int | str | None = None,
        status: str | None = None,
        vendor_lead_code: str | None = None,
        source_id: str | None = None,
        gmt_offset_now: float | str | None = None,
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
        rank: int | None = None,
        owner: str | None = None,
        called_count: int | None = None,
        phone_code: int | str | None = None,
        entry_list_id: int | str | None = None,
        force_entry_list_id: int | str | None = None,
        timeout: float | None = None,
    ) -> UpdateLeadResult:
        """Find leads and update, delete, reset, report or insert them (VICIdial ``update_lead``).

        Needs user_level >= 8, modify_leads 1-4 and vdc_agent_api_access (with
        api_list_restrict, the search list, every matched list and the insert list must be
        allowed).

        Search: ``search_method`` (default LEAD_ID; several may be combined, tried in the order
        lead id, vendor code, phone) with the matching key ``lead_id``, ``vendor_lead_code`` or
        ``phone_number``; ``search_location`` LIST/CAMPAIGN (needs ``list_id`` >= 99) or SYSTEM;
        at most ``records`` matches (default 1, newest first). Note that a non-empty
        ``vendor_lead_code`` is also written to the matched leads, and ``phone_number`` only with
        ``update_phone_number=True``. Move leads with ``list_id_field``, not ``list_id``.

        Fields to set are named as in add_lead (``user_field`` sets the lead's user). Pass
        :data:`BLANK` (``"--BLANK--"``) to empty a text field; the server cannot empty gender,
        date_of_birth, rank or gmt_offset_now, so that is refused. ``gmt_offset_now`` is written as
        sent (no lookup). ``custom_fields`` maps custom labels to values (or ``True`` to only send
        ``custom_fields=Y``, e.g. with delete_lead); with custom fields the server applies the
        standard fields to the first matched lead only (a warning says so when ``records`` > 1).

        Options: ``no_update`` only reports matches (``result.found``); ``delete_lead`` archives
        the lead's callbacks and deletes it; ``delete_cf_data`` deletes its custom-field row;
        ``callback`` True adds or updates its callback (a new one needs ``campaign_id``),
        ``"REMOVE"`` deletes them; ``add_to_hopper``/``remove_from_hopper`` act on the first match;
        ``insert_if_not_found`` adds a lead (needs ``phone_number``, ``phone_code`` and a 3+ digit
        ``list_id``; no DNC/duplicate checks; ``tz_method`` and ``multi_alt_phones`` apply only
        there). Nothing matching raises :class:`NotFoundError` unless insert_if_not_found or
        no_update is set (then ``result.not_found``).

        A request that sets nothing is refused before sending (the server would answer nothing).

        >>> res = await vd.leads.update_lead(lead_id=2001, status="SALE", comments=BLANK)  # doctest: +SKIP
        >>> [(x.lead_id, x.affected_rows) for x in res.leads]                             # doctest: +SKIP
        [(2001, 1)]
        """
        return await self._run(ops.UPDATE_LEAD, {
            "lead_id": lead_id, "phone_number": phone_number, "search_method": search_method,
            "search_location": search_location, "list_id": list_id,
            "insert_if_not_found": insert_if_not_found, "records": records,
            "no_update": no_update, "delete_lead": delete_lead, "delete_cf_data": delete_cf_data,
            "reset_lead": reset_lead, "callback": callback, "callback_status": callback_status,
            "callback_datetime": callback_datetime, "callback_type": callback_type,
            "callback_user": callback_user, "callback_comments": callback_comments,
            "campaign_id": campaign_id, "update_phone_number": update_phone_number,
            "add_to_hopper": add_to_hopper, "remove_from_hopper": remove_from_hopper,
            "hopper_priority": hopper_priority, "hopper_local_call_time_check": hopper_local_call_time_check,
            "list_exists_check": list_exists_check, "archived_lead": archived_lead, "tz_method": tz_method,
            "multi_alt_phones": multi_alt_phones, "user_field": user_field, "list_id_field": list_id_field,
            "status": status, "vendor_lead_code": vendor_lead_code, "source_id": source_id,
            "gmt_offset_now": gmt_offset_now, "title": title, "first_name": first_name,
            "middle_initial": middle_initial, "last_name": last_name, "address1": address1,
            "address2": address2, "address3": address3, "city": city, "state": state, "province": province,
            "postal_code": postal_code, "country_code": country_code, "gender": gender,
            "date_of_birth": date_of_birth, "alt_phone": alt_phone, "email": email,
            "security_phrase": security_phrase, "comments": comments, "rank": rank, "owner": owner,
            "called_count": called_count, "phone_code": phone_code, "entry_list_id": entry_list_id,
            "force_entry_list_id": force_entry_list_id,
            "custom_fields": custom_fields if isinstance(custom_fields, bool) else None},
            custom_fields=custom_fields if isinstance(custom_fields, Mapping) else None, timeout=timeout)

    async def batch_update_lead(
        self,
        *,
        lead_ids: Sequence[int | str] | str,
        list_exists_check: bool | None = None,
        reset_lead: bool | None = None,
        records: int | None = None,
        archived_lead: bool | None = None,
        user_field: str | None = None,
        list_id_field: int | str | None = None,
        status: str | None = None,
        vendor_lead_code: str | None = None,
        source_id: str | None = None,
        gmt_offset_now: float | str | None = None,
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
        rank: int | None = None,
        owner: str | None = None,
        called_count: int | None = None,
        phone_code: int | str | None = None,
        timeout: float | None = None,
    ) -> BatchUpdateLeadResult:
        """Set the same values on many leads in one UPDATE (VICIdial ``batch_update_lead``).

        Needs user_level >= 8, modify_leads 1-4 and vdc_agent_api_access (with
        api_list_restrict only leads of allowed lists are touched). ``lead_ids`` is a sequence of
        ids (or a comma-joined string); at most ``records`` leads (default 1000, highest id first)
        are updated. ``list_id_field`` moves them to another list (``list_exists_check=True``
        makes the server check that list exists); ``reset_lead`` makes them dialable again.
        :data:`BLANK` empties text fields as in update_lead. No matching lead raises
        :class:`NotFoundError`; a request that sets nothing is refused before sending.

        >>> res = await vd.leads.batch_update_lead(lead_ids=[2001, 2002], status="NEW")  # doctest: +SKIP
        >>> res.found_lead_ids                                                          # doctest: +SKIP
        (2002, 2001)
        """
        return await self._run(ops.BATCH_UPDATE_LEAD, {
            "lead_ids": lead_ids, "list_exists_check": list_exists_check, "reset_lead": reset_lead,
            "records": records, "archived_lead": archived_lead, "user_field": user_field,
            "list_id_field": list_id_field, "status": status, "vendor_lead_code": vendor_lead_code,
            "source_id": source_id, "gmt_offset_now": gmt_offset_now, "title": title,
            "first_name": first_name, "middle_initial": middle_initial, "last_name": last_name,
            "address1": address1, "address2": address2, "address3": address3, "city": city, "state": state,
            "province": province, "postal_code": postal_code, "country_code": country_code, "gender": gender,
            "date_of_birth": date_of_birth, "alt_phone": alt_phone, "email": email,
            "security_phrase": security_phrase, "comments": comments, "rank": rank, "owner": owner,
            "called_count": called_count, "phone_code": phone_code}, timeout=timeout)

    async def lead_dearchive(self, *, lead_id: int | str,
                             timeout: float | None = None) -> LeadDearchiveResult:
        """Move a lead from the archive table back into the live lead table (``lead_dearchive``).

        Needs user_level >= 8, vdc_agent_api_access and modify_leads = 1; the lead's list must
        belong to an allowed campaign. A lead that is not archived raises :class:`NotFoundError`
        (ARCHIVED LEAD NOT FOUND, also the answer to a resend after success); a lead present in both
        tables raises :class:`AlreadyExistsError`.
        """
        return await self._run(ops.LEAD_DEARCHIVE, {"lead_id": lead_id}, timeout=timeout)

    async def update_log_entry(self, *, call_id: str, group: str, status: str,
                               timeout: float | None = None) -> UpdateLogEntryResult:
        """Change the status of a call's log row (``update_log_entry``).

        Needs user_level >= 8, vdc_agent_api_access and modify_leads 1-4. ``group`` is an in-group
        (vicidial_closer_log) or a campaign (vicidial_log); ``call_id`` the 20-character call id,
        whose last 10 characters are read as the lead id (the lead's newest row in the group is
        changed). A uniqueid such as ``1795880002.1`` is refused: the server drops its dot.
        ``status`` is at most 7 characters. Setting the status the row already has raises
        :class:`NotFoundError` (NO RECORDS UPDATED).
        """
        return await self._run(ops.UPDATE_LOG_ENTRY, {
            "call_id": call_id, "group": group, "status": status}, timeout=timeout)

    # -- reads ---------------------------------------------------------------------------------

    async def lead_search(
        self,
        *,
        phone_number: str | Sequence[str] | None = None,
        search_method: SearchMethod | None = None,
        vendor_lead_code: str | Sequence[str] | None = None,
        lead_id: int | str | None = None,
        lead_ids: Sequence[int | str] | str | None = None,
        records: int | None = None,
        list_id: int | str | None = None,
        search_location: Literal["SYSTEM", "CAMPAIGN", "LIST"] | None = None,
        force_entry_list_id: int | str | None = None,
        archived_lead: bool | None = None,
        header: bool | None = None,
        timeout: float | None = None,
    ) -> TableResult[LeadSearchRow]:
        """Find lead ids by phone numbers, vendor lead codes or lead ids (``lead_search``).

        Needs user_level >= 8, vdc_agent_api_access and modify_leads 1-5 (list-restricted users
        see allowed lists only). One row per phone number / vendor code asked for, with the
        matching lead ids (newest first, at most ``records`` per key; a key with no match has
        ``records_found == 0``). No match for any key raises :class:`NotFoundError`.

        ``phone_number`` and ``vendor_lead_code`` take one value or a sequence; each phone number
        must have 6-18 digits. ``search_method`` LEAD_ID searches ``lead_ids`` (``lead_id`` is
        filled in from them when not given, as the server needs it to enable that method); note
        that the server prints no rows for a LEAD_ID search. ``search_location`` LIST/CAMPAIGN
        needs a ``list_id`` >= 99. ``force_entry_list_id`` is read by the server but changes
        nothing.
        """
        return await self._run(ops.LEAD_SEARCH, {
            "phone_number": phone_number, "search_method": search_method,
            "vendor_lead_code": vendor_lead_code, "lead_id": lead_id, "lead_ids": lead_ids,
            "records": records, "list_id": list_id, "search_location": search_location,
            "force_entry_list_id": force_entry_list_id, "archived_lead": archived_lead,
            "header": header}, timeout=timeout)

    async def lead_all_info(
        self,
        *,
        lead_id: int | str | None = None,
        phone_number: str | None = None,
        custom_fields: bool | None = None,
        force_entry_list_id: int | str | None = None,
        archived_lead: bool | None = None,
        stage: Stage | None = None,
        header: bool | None = None,
        timeout: float | None = None,
    ) -> TableResult[LeadRecord]:
        """Every field of a lead, or of the leads with a phone number (``lead_all_info``).

        Needs user_level >= 7, vdc_agent_api_access, view_reports and modify_leads 1-5. Give
        ``lead_id`` or ``phone_number`` (up to 1000 leads, newest first), not both (the server
        would ignore the phone number). ``custom_fields=True`` adds the custom field values in each
        row's ``extra`` (named by label with ``header=True``; values the user may not see come
        back as ``X``). ``force_entry_list_id`` reads custom fields of another list's table.
        ``stage`` picks the wire delimiter; the rows are the same.

        Leads a list-restricted user may not see are skipped: the answer's LIST NOT FOUND lines
        are kept in ``result.notices`` when other leads came back, and raise
        :class:`NotFoundError` when none did. An apostrophe stored in a lead field makes this call
        fail with HTTP 500 on PHP 8 servers.
        """
        return await self._run(ops.LEAD_ALL_INFO, {
            "lead_id": lead_id, "phone_number": phone_number,
            "force_entry_list_id": force_entry_list_id, "archived_lead": archived_lead, "stage": stage,
            "header": header, "custom_fields": custom_fields}, timeout=timeout)

    async def lead_field_info(
        self,
        *,
        lead_id: int | str,
        field_name: str,
        custom_fields: bool | None = None,
        list_id: int | str | None = None,
        archived_lead: bool | None = None,
        timeout: float | None = None,
    ) -> LeadFieldInfo:
        """The value of one field of a lead (``lead_field_info``).

        Needs user_level >= 7, vdc_agent_api_access and modify_leads 1-4; the lead's list must
        belong to an allowed campaign. ``field_name`` is a lead column, or with
        ``custom_fields=True`` a custom field label (read from the table of the lead's
        entry_list_id, or of ``list_id`` when given). ``result.masked`` flags a hidden custom value
        sent back as X's. An unknown field raises :class:`NotFoundError`.

        >>> (await vd.leads.lead_field_info(lead_id=2010, field_name="first_name")).value  # doctest: +SKIP
        'Ann'
        """
        return await self._run(ops.LEAD_FIELD_INFO, {
            "lead_id": lead_id, "field_name": field_name, "list_id": list_id,
            "archived_lead": archived_lead, "custom_fields": custom_fields}, timeout=timeout)

    async def lead_status_search(
        self,
        *,
        status: str | None = None,
        date: dt.date | str | None = None,
        lead_id: int | str | None = None,
        custom_fields: bool | None = None,
        archived_lead: bool | None = None,
        timeout: float | None = None,
    ) -> TableResult[LeadRecord]:
        """All fields of the leads whose calls on ``date`` got ``status``, or of one ``lead_id``
        (``lead_status_search``).

        Needs user_level >= 7, vdc_agent_api_access and modify_leads 1-4. Give ``status`` and
        ``date`` together, or ``lead_id``. Up to 1000 outbound plus 1000 inbound leads; each is one
        :class:`LeadRecord` (``custom_fields=True`` adds custom values to ``extra``). No match
        raises :class:`NotFoundError`. Servers where the user group lacks ALL-CAMPAIGNS build an
        invalid query for status/date searches (a server bug).
        """
        return await self._run(ops.LEAD_STATUS_SEARCH, {
            "status": status, "date": date, "lead_id": lead_id, "archived_lead": archived_lead,
            "custom_fields": custom_fields}, timeout=timeout)

    async def ccc_lead_info(
        self,
        *,
        call_id: str,
        stage: Stage | None = None,
        header: bool | None = None,
        timeout: float | None = None,
    ) -> TableResult[LeadRecord]:
        """The lead behind a call of the last 10 hours, for cross-cluster transfers (``ccc_lead_info``).

        Needs user_level >= 7, vdc_agent_api_access and view_reports. ``call_id`` is the caller
        code (18-39 characters starting with Y, J, V, M, DC, S, LP, VH or XL). One row, without
        the entry_list_id and lead_id columns. An unknown call raises :class:`NotFoundError`.
        """
        return await self._run(ops.CCC_LEAD_INFO, {
            "call_id": call_id, "stage": stage, "header": header}, timeout=timeout)

    async def lead_callback_info(
        self,
        *,
        lead_id: int | str,
        search_location: Literal["CURRENT", "ARCHIVE", "ALL"] | None = None,
        stage: Stage | None = None,
        header: bool | None = None,
        timeout: float | None = None,
    ) -> TableResult[CallbackRow]:
        """The scheduled callbacks of a lead (``lead_callback_info``).

        Needs user_level >= 7, vdc_agent_api_access and view_reports. ``search_location``
        CURRENT (default), ARCHIVE or ALL (archived rows first). No callback raises
        :class:`NotFoundError` (CALLBACK NOT FOUND).
        """
        return await self._run(ops.LEAD_CALLBACK_INFO, {
            "lead_id": lead_id, "search_location": search_location, "stage": stage,
            "header": header}, timeout=timeout)

    async def check_phone_number(
        self,
        *,
        phone_number: str,
        local_call_time: str,
        phone_code: int | str | None = None,
        postal_code: str | None = None,
        state: str | None = None,
        owner: str | None = None,
        dnc_check: YesNoArea | None = None,
        campaign_dnc_check: YesNoArea | None = None,
        campaign_id: str | None = None,
        usacan_prefix_check: bool | None = None,
        usacan_areacode_check: bool | None = None,
        nanpa_ac_prefix_check: bool | None = None,
        tz_method: TzMethod | Sequence[TzMethod] | None = None,
        timeout: float | None = None,
    ) -> CheckPhoneNumberResult:
        """Validate a phone number and tell whether it is dialable now (``check_phone_number``).

        Needs user_level >= 8 and vdc_agent_api_access. ``local_call_time`` is a call time id
        (e.g. ``9am-9pm``). ``tz_method`` names one or more of AREACODE (default), POSTAL (needs a
        5-character ``postal_code``, phone code 1), TZCODE (needs ``owner``, a 1-6 character
        time-zone code) and NANPA; each gives one :class:`TimeZoneCheck`. The checks raise as in
        add_lead: :class:`DNCError` for DNC hits, :class:`InvalidParameterError` for bad numbers,
        :class:`FeatureDisabledError` when NANPA data is missing.

        >>> res = await vd.leads.check_phone_number(phone_number="3125550101",   # doctest: +SKIP
        ...                                         local_call_time="9am-9pm")
        >>> res.dialable, res.gmt_offset                                          # doctest: +SKIP
        (True, -6.0)
        """
        return await self._run(ops.CHECK_PHONE_NUMBER, {
            "phone_number": phone_number, "local_call_time": local_call_time, "phone_code": phone_code,
            "postal_code": postal_code, "state": state, "owner": owner, "dnc_check": dnc_check,
            "campaign_dnc_check": campaign_dnc_check, "campaign_id": campaign_id,
            "usacan_prefix_check": usacan_prefix_check, "usacan_areacode_check": usacan_areacode_check,
            "nanpa_ac_prefix_check": nanpa_ac_prefix_check, "tz_method": tz_method}, timeout=timeout)
