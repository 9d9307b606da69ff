"""Lead functions of the Non-Agent API (``vd.leads``): method name = VICIdial function name.

Every method takes keyword-only arguments named as on the wire (``None`` = not sent), refuses
values the server would reject, ignore or silently alter before anything is sent, and returns a
typed result (see ``models/leads.py``). Table functions return ``TableResult[row model]``.
"""

from __future__ import annotations

import datetime as dt
import re
import warnings
from collections.abc import Mapping, Sequence
from typing import Any, Literal

from ..errors import InvalidParameterError, NotFoundError
from ..models._table import TableResult, table_result
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
    lead_records,
    lead_status_records,
)
from ..protocol.lead_fields import LEAD_COLUMNS, VicidialDataWarning, check_lead_fields
from ..protocol.lines import parse_line
from ..protocol.other import TextAnswer
from ..protocol.params import BLANK, build_form, check_blank
from ..protocol.tables import Table, decode_table
from ._base import EndpointGroup, wire_params

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

# Fields whose '--BLANK--' the server turns into an empty value (per the reference notes).
_BLANKABLE_UPDATE: frozenset[str] = frozenset({
    "user_field", "status", "vendor_lead_code", "source_id", "title", "first_name", "middle_initial",
    "last_name", "address1", "address2", "address3", "city", "state", "province", "postal_code",
    "country_code", "alt_phone", "email", "security_phrase", "comments", "owner",
})
_CALL_ID_PREFIXES = ("Y", "J", "V", "M", "DC", "S", "LP", "VH", "XL")
_GMT = re.compile(r"[+-]?\d{1,2}(\.\d{1,2})?")
_ALT_NOTE = re.compile(r"[A-Za-z0-9 \-:]*")


def _refuse(function: str, name: str, why: str) -> InvalidParameterError:
    return InvalidParameterError(function, why, parameter=name, sent=False)


def _digits_phone(function: str, form: Mapping[str, str], name: str = "phone_number") -> None:
    """The server keeps commas in phone numbers; one number never holds any."""
    value = form.get(name)
    if value and not value.isdigit():
        raise _refuse(function, name, f"must be digits only, got {value!r}")


def _min_list_id(function: str, form: Mapping[str, str], name: str, why: str) -> None:
    value = form.get(name, "")
    if value and (len(value) < 3 or int(value) < 99):
        raise _refuse(function, name, why)


def _alt_phones(function: str, value: AltPhone | Sequence[AltPhone] | None) -> str | None:
    """Encode multi_alt_phones records as ``number_code_note`` joined by ``!``, refusing records
    the server would alter (it keeps letters, digits, space, - and : in a note)."""
    if value is None:
        return None
    items = [value] if isinstance(value, (str, tuple)) else list(value)
    records: list[tuple[str, ...]] = []
    for item in items:
        if isinstance(item, tuple):
            records.append(tuple(str(part) for part in item))
        else:
            records.extend(tuple(rec.split("_", 2)) for rec in item.split("!") if rec)
    out: list[str] = []
    for parts in records:
        number, code, note = (*parts, "", "")[:3]
        if len(parts) > 3 or not number.isdigit() or (code and not code.isdigit()):
            raise _refuse(function, "multi_alt_phones",
                          f"a record is number[_code[_note]] with digits for number and code, "
                          f"got {'_'.join(parts)!r}")
        if not _ALT_NOTE.fullmatch(note):
            raise _refuse(function, "multi_alt_phones",
                          f"the server would alter the note {note!r} (it keeps letters, digits, "
                          "space, - and :)")
        out.append("_".join(p for p in (number, code, note) if p) if not note else
                   f"{number}_{code}_{note}")
    return "!".join(out)


def _refuse_empty(function: str, form: Mapping[str, str], blankable: frozenset[str]) -> None:
    """An empty value is taken as "not sent" by the update functions: say so instead of sending."""
    for name, text in form.items():
        if text == "" and name != "tz_method":
            hint = f"pass {BLANK} to empty it or " if name in blankable else "pass "
            raise _refuse(function, name, f"an empty value leaves the field unchanged; {hint}None "
                                          "to leave it out")


def _check_custom_labels(function: str, custom_fields: Mapping[str, Any] | None) -> None:
    for label in custom_fields or {}:
        if label in LEAD_COLUMNS:
            raise _refuse(function, label, "a custom field named like a standard lead column is "
                                           "skipped by the server")


def _callback_checks(function: str, form: Mapping[str, str], *, adding: bool) -> None:
    if form.get("callback") == "Y" and adding and not form.get("campaign_id"):
        raise _refuse(function, "campaign_id", "callback=True needs campaign_id (without it the "
                                               "callback is refused but the lead stays CBHOLD)")
    if form.get("callback_type") == "USERONLY" and form.get("callback") == "Y" \
            and not form.get("callback_user"):
        raise _refuse(function, "callback_user", "a USERONLY callback needs callback_user")


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
        multi_alt_phones = _alt_phones("add_lead", multi_alt_phones)
        params = wire_params(locals())
        fn = "add_lead"
        form = build_form(self._spec(fn), params)
        _digits_phone(fn, form)
        if not (form.get("list_id", "").isdigit() and 3 <= len(form["list_id"]) <= 12):
            raise _refuse(fn, "list_id", "must be 3-12 digits (the server files the lead in list "
                                         "999 otherwise)")
        if gmt_offset_now is not None:
            raise _refuse(fn, "gmt_offset_now", "add_lead ignores gmt_offset_now and computes the "
                                                "offset itself; use tz_method")
        if form.get("campaign_dnc_check") in ("Y", "AREACODE") and not form.get("campaign_id"):
            raise _refuse(fn, "campaign_id", "campaign_dnc_check needs campaign_id")
        _callback_checks(fn, form, adding=True)
        check_blank(self._spec(fn), form, ())
        check_lead_fields(fn, form)
        _check_custom_labels(fn, custom_fields)
        answer = await self._call(fn, params, custom_fields=custom_fields, timeout=timeout, form=form)
        return AddLeadResult.from_answer(answer)

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
        multi_alt_phones = _alt_phones("update_lead", multi_alt_phones)
        params = wire_params(locals())
        fn = "update_lead"
        spec = self._spec(fn)
        cf_values = custom_fields if isinstance(custom_fields, Mapping) else None
        if custom_fields is True or custom_fields is False:
            params["custom_fields"] = custom_fields
        form = build_form(spec, params)
        methods = set((form.get("search_method") or "LEAD_ID").split("_"))
        keys = {"LEAD": "lead_id", "VENDOR": "vendor_lead_code", "PHONE": "phone_number"}
        wanted = [keys[m] for m in ("LEAD", "VENDOR", "PHONE") if m in methods]
        if not any(form.get(k) for k in wanted):
            raise _refuse(fn, wanted[0], f"search_method {form.get('search_method', 'LEAD_ID')} "
                                         f"needs {' or '.join(wanted)}")
        _digits_phone(fn, form)
        if form.get("search_location") in ("LIST", "CAMPAIGN") and not form.get("list_id"):
            raise _refuse(fn, "list_id", "search_location LIST/CAMPAIGN needs list_id")
        _min_list_id(fn, form, "list_id", "list_id must be 3+ digits and >= 99 (the server "
                                          "searches the whole system otherwise)")
        insert = form.get("insert_if_not_found") == "Y"
        if insert:
            for need in ("phone_number", "phone_code"):
                if not form.get(need):
                    raise _refuse(fn, need, f"insert_if_not_found needs {need}")
            if not (form.get("list_id") or form.get("list_id_field")):
                raise _refuse(fn, "list_id", "insert_if_not_found needs list_id (3+ digits)")
        else:
            for only_insert in ("tz_method", "multi_alt_phones"):
                if only_insert in form:
                    raise _refuse(fn, only_insert, "is used only with insert_if_not_found; the "
                                                   "server would ignore it")
        if form.get("update_phone_number") == "Y" and not form.get("phone_number"):
            raise _refuse(fn, "phone_number", "update_phone_number needs phone_number")
        if form.get("add_to_hopper") == "Y" and form.get("remove_from_hopper") == "Y":
            raise _refuse(fn, "add_to_hopper", "the server ignores add_to_hopper when "
                                               "remove_from_hopper is set")
        if records is not None and records < 1:
            raise _refuse(fn, "records", f"must be >= 1, got {records}")
        if form.get("gmt_offset_now") and not _GMT.fullmatch(form["gmt_offset_now"]):
            raise _refuse(fn, "gmt_offset_now", f"must be an offset such as -5.00, got "
                                                f"{form['gmt_offset_now']!r}")
        if "entry_list_id" in form and (cf_values or form.get("custom_fields") == "Y"):
            raise _refuse(fn, "entry_list_id", "is not written when custom_fields is set")
        _callback_checks(fn, form, adding=False)
        check_blank(spec, form, _BLANKABLE_UPDATE)
        _refuse_empty(fn, form, _BLANKABLE_UPDATE)
        check_lead_fields(fn, form)
        _check_custom_labels(fn, cf_values)
        scope = {"lead_id", "search_method", "search_location", "list_id", "records", "archived_lead",
                 "list_exists_check", "tz_method", "hopper_priority", "hopper_local_call_time_check",
                 "force_entry_list_id", "callback_status", "callback_datetime", "callback_type",
                 "callback_user", "callback_comments", "campaign_id", "custom_fields"}
        if form.get("update_phone_number") != "Y":
            scope.add("phone_number")
        if not (set(form) - scope) and not cf_values and form.get("custom_fields") != "Y":
            raise _refuse(fn, "", "nothing to update: name a field to set or an option "
                                             "(no_update, delete_lead, callback, add_to_hopper ...)")
        if cf_values and records is not None and records > 1 and set(form) & (
                LEAD_COLUMNS | {"user_field", "list_id_field"}) - {"lead_id", "phone_number", "list_id"}:
            warnings.warn("update_lead: with custom fields the server applies the standard fields "
                          "to the first matched lead only", VicidialDataWarning, stacklevel=2)
        answer = await self._call(fn, params, custom_fields=cf_values, timeout=timeout, form=form)
        return UpdateLeadResult.from_answer(answer)

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
        params = wire_params(locals())
        fn = "batch_update_lead"
        spec = self._spec(fn)
        form = build_form(spec, params)
        ids = form.get("lead_ids", "").split(",")
        if not ids or not all(i.isdigit() for i in ids):
            raise _refuse(fn, "lead_ids", f"must be lead ids (digits) joined by commas, got "
                                          f"{form.get('lead_ids', '')!r}")
        if records is not None and records < 1:
            raise _refuse(fn, "records", f"must be >= 1, got {records}")
        if form.get("gmt_offset_now") and not _GMT.fullmatch(form["gmt_offset_now"]):
            raise _refuse(fn, "gmt_offset_now", f"must be an offset such as -5.00, got "
                                                f"{form['gmt_offset_now']!r}")
        check_blank(spec, form, _BLANKABLE_UPDATE)
        _refuse_empty(fn, form, _BLANKABLE_UPDATE)
        check_lead_fields(fn, form)
        if not set(form) - {"lead_ids", "list_exists_check", "records", "archived_lead"}:
            raise _refuse(fn, "", "nothing to update: name at least one field")
        answer = await self._call(fn, params, timeout=timeout, form=form)
        return BatchUpdateLeadResult.from_answer(answer)

    async def lead_dearchive(self, *, lead_id: int | str,
                             timeout: float | None = None) -> LeadDearchiveResult:
        """Move a lead from the archive table back into the live lead table (``lead_dearchive``).

        Needs user_level >= 8, vdc_agent_api_access and modify_leads = 1; the lead's list must
        belong to an allowed campaign. A lead that is not archived raises :class:`NotFoundError`
        (ARCHIVED LEAD NOT FOUND, also the answer to a resend after success); a lead present in both
        tables raises :class:`AlreadyExistsError`.
        """
        params = wire_params(locals())
        answer = await self._call("lead_dearchive", params, timeout=timeout)
        return LeadDearchiveResult.from_answer(answer)

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
        params = wire_params(locals())
        if not (call_id.isascii() and call_id.isalnum()):
            raise _refuse("update_log_entry", "call_id", "the server keeps only letters and digits "
                          f"of a call id (a uniqueid's dot is dropped), got {call_id!r}")
        answer = await self._call("update_log_entry", params, timeout=timeout)
        return UpdateLogEntryResult.from_answer(answer)

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
        if search_method == "LEAD_ID" and lead_id is None and lead_ids:
            lead_id = lead_ids.split(",")[0] if isinstance(lead_ids, str) else lead_ids[0]
        params = wire_params(locals())
        fn = "lead_search"
        method = search_method or "PHONE_NUMBER"
        form = build_form(self._spec(fn), params)
        key = {"PHONE_NUMBER": "phone_number", "VENDOR_LEAD_CODE": "vendor_lead_code",
               "LEAD_ID": "lead_ids"}.get(method)
        if key is None:
            raise _refuse(fn, "search_method", f"must be PHONE_NUMBER, VENDOR_LEAD_CODE or LEAD_ID, "
                                               f"got {method!r}")
        if not form.get(key):
            raise _refuse(fn, key, f"search_method {method} needs {key}")
        for phone in filter(None, form.get("phone_number", "").split(",")):
            if not (phone.isdigit() and 6 <= len(phone) <= 18):
                raise _refuse(fn, "phone_number", f"each phone number must be 6-18 digits (the "
                                                  f"server drops others), got {phone!r}")
        for lid in filter(None, form.get("lead_ids", "").split(",")):
            if not lid.isdigit():
                raise _refuse(fn, "lead_ids", f"lead ids must be digits, got {lid!r}")
        check_lead_fields(fn, {"vendor_lead_code": form.get("vendor_lead_code", "")})
        if form.get("search_location") in ("LIST", "CAMPAIGN") and not form.get("list_id"):
            raise _refuse(fn, "list_id", "search_location LIST/CAMPAIGN needs list_id")
        _min_list_id(fn, form, "list_id", "list_id must be 3+ digits and >= 99 (the server "
                                          "searches the whole system otherwise)")
        optional = () if method == "PHONE_NUMBER" else ("phone_number",)
        answer = await self._call(fn, params, optional=optional, timeout=timeout, form=form)
        return table_result(answer, LeadSearchRow.from_row)

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
        params = wire_params(locals())
        fn = "lead_all_info"
        if lead_id is None and not phone_number:
            raise _refuse(fn, "lead_id", "give lead_id or phone_number")
        if lead_id is not None and phone_number:
            raise _refuse(fn, "phone_number", "the server ignores phone_number when lead_id is given")
        if custom_fields and stage == "newline" and not header:
            raise _refuse(fn, "header", "with custom fields, stage newline needs header=True: the "
                                        "number of values per lead is unknown otherwise")
        params["custom_fields"] = custom_fields
        _digits_phone(fn, build_form(self._spec(fn), params))
        try:
            answer = await self._call(fn, params, timeout=timeout)
        except NotFoundError as exc:
            answer = self._partial_lead_all_info(exc, stage, header, custom_fields)
        return lead_records(answer)

    def _partial_lead_all_info(self, exc: NotFoundError, stage: str | None, header: bool | None,
                               custom_fields: bool | None) -> Table:
        """Rows of a lead_all_info answer that also holds LIST NOT FOUND lines, or re-raise."""
        spec = self._spec("lead_all_info")
        lines = exc.raw.split("\n")
        skipped = [p for p in (parse_line(x, spec) for x in lines if "ERROR: " in x) if p]
        data = "\n".join(x for x in lines if "ERROR: " not in x)
        if not data.strip():
            raise exc
        table = decode_table(spec, data, stage=stage, header=bool(header),
                             extra_columns=bool(custom_fields))
        return Table(table.function, table.columns, table.rows, tuple(skipped), exc.raw)

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
        params = wire_params(locals())
        params["custom_fields"] = custom_fields
        if list_id is not None and len(str(list_id)) < 2:
            raise _refuse("lead_field_info", "list_id", "must be 2+ characters (the server ignores "
                                                        "it otherwise)")
        answer: TextAnswer = await self._call("lead_field_info", params, timeout=timeout)
        value = answer.text
        masked = bool(custom_fields) and bool(value) and set(value) == {"X"}
        return LeadFieldInfo(int(lead_id), field_name, value, masked, answer.raw)

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
        params = wire_params(locals())
        params["custom_fields"] = custom_fields
        if lead_id is None and (status is None or date is None):
            missing = "status" if status is None else "date"
            raise _refuse("lead_status_search", missing, "give status and date together, or lead_id")
        optional = ("status", "date") if lead_id is not None else ()
        answer: TextAnswer = await self._call("lead_status_search", params, optional=optional,
                                              timeout=timeout)
        return lead_status_records(answer.text)

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
        params = wire_params(locals())
        if not call_id.startswith(_CALL_ID_PREFIXES):
            raise _refuse("ccc_lead_info", "call_id",
                          "a caller code starts with " + ", ".join(_CALL_ID_PREFIXES))
        answer = await self._call("ccc_lead_info", params, timeout=timeout)
        return lead_records(answer)

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
        params = wire_params(locals())
        answer = await self._call("lead_callback_info", params, timeout=timeout)
        return table_result(answer, CallbackRow.from_row)

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
        params = wire_params(locals())
        fn = "check_phone_number"
        form = build_form(self._spec(fn), params)
        _digits_phone(fn, form)
        methods = form.get("tz_method", "")
        if "POSTAL" in methods and len(form.get("postal_code", "")) != 5:
            raise _refuse(fn, "postal_code", "tz_method POSTAL needs a 5-character postal_code (the "
                                             "lookup is skipped otherwise)")
        if "TZCODE" in methods and not form.get("owner"):
            raise _refuse(fn, "owner", "tz_method TZCODE needs owner (a time-zone code)")
        if form.get("campaign_dnc_check") in ("Y", "AREACODE") and not form.get("campaign_id"):
            raise _refuse(fn, "campaign_id", "campaign_dnc_check needs campaign_id")
        answer: TextAnswer = await self._call(fn, params, timeout=timeout, form=form)
        return CheckPhoneNumberResult.parse(answer.text)
