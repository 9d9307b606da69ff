"""List functions of the Non-Agent API (``vd.lists``): method name = VICIdial function name."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Literal

from ..models._table import TableResult
from ..models.lists import AddListResult, ListCustomFieldsRow, ListInfoRow, UpdateListResult
from ..operations import lists as ops
from ._base import EndpointGroup

__all__ = ["ALL_LISTS", "Lists"]

ALL_LISTS = "---ALL---"
"""``list_custom_fields(list_id=ALL_LISTS)`` reports every list the API user may see."""

TzMethod = Literal["COUNTRY_AND_AREA_CODE", "POSTAL_CODE", "NANPA_PREFIX", "OWNER_TIME_ZONE_CODE"]
ResetTime = str | dt.time
"""A daily reset time: ``"0900"`` or ``datetime.time(9, 0)``."""


class Lists(EndpointGroup):
    """List functions: ``vd.lists.add_list(...)``, ``vd.lists.list_info(...)`` ..."""

    async def add_list(
        self,
        *,
        list_id: int | str,
        list_name: str,
        campaign_id: str,
        active: bool | None = None,
        list_description: str | None = None,
        outbound_cid: int | str | None = None,
        script: str | None = None,
        am_message: str | None = None,
        drop_inbound_group: str | None = None,
        web_form_address: str | None = None,
        web_form_address_two: str | None = None,
        web_form_address_three: str | None = None,
        reset_time: ResetTime | Sequence[ResetTime] | None = None,
        tz_method: TzMethod | None = None,
        local_call_time: str | None = None,
        expiration_date: dt.date | str | None = None,
        xferconf_one: str | None = None,
        xferconf_two: str | None = None,
        xferconf_three: str | None = None,
        xferconf_four: str | None = None,
        xferconf_five: str | None = None,
        custom_fields_copy: int | str | None = None,
        custom_copy_method: Literal["APPEND", "UPDATE", "REPLACE"] | None = None,
        use_internal_webserver: bool | None = None,
        timeout: float | None = None,
    ) -> AddListResult:
        """Create a list in a campaign (VICIdial ``add_list``).

        Needs user_level >= 8, modify_lists and vdc_agent_api_access; the campaign must be allowed
        for the user's group; ``custom_fields_copy`` (copy another list's custom field
        definitions, by ``custom_copy_method``) also needs custom_fields_modify. ``list_id`` has
        2-14 digits, ``list_name`` 2-30 characters. ``reset_time`` takes HHMM times (a sequence or
        ``"0900-1700"``); ``local_call_time`` is ``"campaign"`` or a call time id. An existing list
        raises :class:`AlreadyExistsError`; an unknown campaign, script, in-group or call time
        :class:`NotFoundError`. The server does not say whether the custom field copy worked.

        >>> new = await vd.lists.add_list(list_id=1101, list_name="Spring Leads",   # doctest: +SKIP
        ...                               campaign_id="TESTCAMP", active=True)
        """
        return await self._run(ops.ADD_LIST, {
            "list_id": list_id, "list_name": list_name, "campaign_id": campaign_id, "active": active,
            "list_description": list_description, "outbound_cid": outbound_cid, "script": script,
            "am_message": am_message, "drop_inbound_group": drop_inbound_group,
            "web_form_address": web_form_address, "web_form_address_two": web_form_address_two,
            "web_form_address_three": web_form_address_three, "reset_time": reset_time,
            "tz_method": tz_method, "local_call_time": local_call_time, "expiration_date": expiration_date,
            "xferconf_one": xferconf_one, "xferconf_two": xferconf_two, "xferconf_three": xferconf_three,
            "xferconf_four": xferconf_four, "xferconf_five": xferconf_five,
            "custom_fields_copy": custom_fields_copy, "custom_copy_method": custom_copy_method,
            "use_internal_webserver": use_internal_webserver}, timeout=timeout)

    async def update_list(
        self,
        *,
        list_id: int | str,
        insert_if_not_found: bool | None = None,
        reset_list: bool | None = None,
        delete_list: bool | None = None,
        delete_leads: bool | None = None,
        archived_lead: bool | None = None,
        list_name: str | None = None,
        list_description: str | None = None,
        campaign_id: str | None = None,
        active: bool | None = None,
        outbound_cid: int | str | None = None,
        script: str | None = None,
        am_message: str | None = None,
        drop_inbound_group: str | None = None,
        web_form_address: str | None = None,
        web_form_address_two: str | None = None,
        web_form_address_three: str | None = None,
        reset_time: ResetTime | Sequence[ResetTime] | None = None,
        tz_method: TzMethod | None = None,
        local_call_time: str | None = None,
        expiration_date: dt.date | str | None = None,
        xferconf_one: str | None = None,
        xferconf_two: str | None = None,
        xferconf_three: str | None = None,
        xferconf_four: str | None = None,
        xferconf_five: str | None = None,
        custom_fields_copy: int | str | None = None,
        custom_copy_method: Literal["APPEND", "UPDATE", "REPLACE"] | None = None,
        custom_fields_add: bool | None = None,
        custom_fields_update: bool | None = None,
        custom_fields_delete: bool | None = None,
        field_label: str | None = None,
        field_name: str | None = None,
        field_size: int | None = None,
        field_type: str | None = None,
        field_rank: int | None = None,
        field_order: int | None = None,
        field_rerank: bool | None = None,
        field_max: int | None = None,
        field_default: str | None = None,
        field_options: str | Sequence[str] | None = None,
        field_duplicate: bool | None = None,
        field_description: str | None = None,
        field_help: str | None = None,
        field_required: bool | None = None,
        multi_position: Literal["HORIZONTAL", "VERTICAL"] | None = None,
        name_position: Literal["TOP", "LEFT"] | None = None,
        field_encrypt: bool | None = None,
        field_show_hide: Literal["DISABLED", "X_OUT_ALL", "LAST_1", "LAST_2", "LAST_3", "LAST_4",
                                 "FIRST_1_LAST_4"] | None = None,
        use_internal_webserver: bool | None = None,
        timeout: float | None = None,
    ) -> UpdateListResult:
        """Change a list, reset or delete it or its leads, manage its custom fields (``update_list``).

        Needs user_level >= 8, modify_lists and vdc_agent_api_access; the list's campaign must be
        allowed. ``delete_list`` needs delete_lists, ``delete_leads`` also modify_leads, custom
        field actions custom_fields_modify; a missing permission comes back as a notice, listed in
        ``result.problems`` (not an exception). ``reset_list`` obeys the list's daily reset limit.

        Settings are named as in add_list (``list_name`` 6-30 characters here); pass :data:`BLANK`
        to empty the description, script, answering-machine message, drop in-group, web form
        addresses or transfer-conf numbers. ``reset_time`` and ``expiration_date`` cannot be sent
        together (the server would drop the reset time).

        Custom field definitions: ``custom_fields_add`` with ``field_label``, ``field_name``,
        ``field_size``, ``field_type`` and ``field_rank`` (plus the optional ``field_*``;
        ``field_options`` takes a sequence of option lines); ``custom_fields_update`` or
        ``custom_fields_delete`` with ``field_label``; ``custom_fields_copy`` copies another list's
        definitions. Each change is reported in ``result.custom_field_commands``.

        ``insert_if_not_found`` creates the list through add_list when it does not exist
        (``result.added_list``; errors are add_list's). An unknown list raises
        :class:`NotFoundError`.
        """
        return await self._run(ops.UPDATE_LIST, {
            "list_id": list_id, "insert_if_not_found": insert_if_not_found, "reset_list": reset_list,
            "delete_list": delete_list, "delete_leads": delete_leads, "archived_lead": archived_lead,
            "list_name": list_name, "list_description": list_description, "campaign_id": campaign_id,
            "active": active, "outbound_cid": outbound_cid, "script": script, "am_message": am_message,
            "drop_inbound_group": drop_inbound_group, "web_form_address": web_form_address,
            "web_form_address_two": web_form_address_two, "web_form_address_three": web_form_address_three,
            "reset_time": reset_time, "tz_method": tz_method, "local_call_time": local_call_time,
            "expiration_date": expiration_date, "xferconf_one": xferconf_one, "xferconf_two": xferconf_two,
            "xferconf_three": xferconf_three, "xferconf_four": xferconf_four, "xferconf_five": xferconf_five,
            "custom_fields_copy": custom_fields_copy, "custom_copy_method": custom_copy_method,
            "custom_fields_add": custom_fields_add, "custom_fields_update": custom_fields_update,
            "custom_fields_delete": custom_fields_delete, "field_label": field_label,
            "field_name": field_name, "field_size": field_size, "field_type": field_type,
            "field_rank": field_rank, "field_order": field_order, "field_rerank": field_rerank,
            "field_max": field_max, "field_default": field_default, "field_options": field_options,
            "field_duplicate": field_duplicate, "field_description": field_description,
            "field_help": field_help, "field_required": field_required, "multi_position": multi_position,
            "name_position": name_position, "field_encrypt": field_encrypt,
            "field_show_hide": field_show_hide,
            "use_internal_webserver": use_internal_webserver}, timeout=timeout)

    async def list_info(
        self,
        *,
        list_id: int | str,
        leads_counts: bool | None = None,
        dialable_count: bool | None = None,
        stage: Literal["pipe", "csv", "tab"] | None = None,
        header: bool | None = None,
        archived_lead: bool | None = None,
        timeout: float | None = None,
    ) -> TableResult[ListInfoRow]:
        """Summary of a list (``list_info``): one :class:`ListInfoRow`.

        Needs user_level >= 8, modify_lists and vdc_agent_api_access; the list's campaign must be
        allowed. ``leads_counts`` adds the total and NEW lead counts (of the archive table with
        ``archived_lead``), ``dialable_count`` the number of leads dialable now under the
        campaign's settings. An unknown list raises :class:`NotFoundError`.

        >>> info = (await vd.lists.list_info(list_id=101, leads_counts=True))[0]     # doctest: +SKIP
        >>> info.all_leads_count                                                     # doctest: +SKIP
        35
        """
        return await self._run(ops.LIST_INFO, {
            "list_id": list_id, "leads_counts": leads_counts, "dialable_count": dialable_count,
            "stage": stage, "header": header, "archived_lead": archived_lead}, timeout=timeout)

    async def list_custom_fields(
        self,
        *,
        list_id: int | str,
        stage: Literal["pipe", "csv", "tab"] | None = None,
        header: bool | None = None,
        custom_order: Literal["table_order", "alpha_up", "alpha_down"] | None = None,
        timeout: float | None = None,
    ) -> TableResult[ListCustomFieldsRow]:
        """The custom field names of a list, or of every list with ``list_id=ALL_LISTS``
        (``list_custom_fields``).

        Needs user_level >= 8, modify_lists and vdc_agent_api_access, and custom fields enabled
        on the system (else :class:`FeatureDisabledError` or an error naming it). ``custom_order``
        sorts the names (alpha_up/alpha_down carry names over between lists: a server bug).
        """
        return await self._run(ops.LIST_CUSTOM_FIELDS, {
            "list_id": list_id, "stage": stage, "header": header,
            "custom_order": custom_order}, timeout=timeout)
