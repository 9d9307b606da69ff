"""campaign functions of the Non-Agent API (``vd.campaigns``): method name = VICIdial function name.

Table answers (``campaigns_list``, ``hopper_list`` and the LIST/INFO modes of the update functions)
are asked for as ``stage="tab"`` with ``header=True`` unless told otherwise: tabs are the delimiter
least likely to occur in a name, and the header row makes the answer name its own columns.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

from ..models._table import TableResult
from ..models.campaigns import (
    AltUrlResult,
    CampaignRow,
    CidGroupResult,
    HopperRow,
    InGroupChoice,
    PresetResult,
    UpdateCampaignResult,
)
from ..operations import campaigns as ops
from ._base import EndpointGroup, Stage

__all__ = ["LIST_ORDERS", "Campaigns"]

LIST_ORDERS = ops.LIST_ORDERS
"""The lead orders ``update_campaign`` accepts (see ``operations/campaigns.py``)."""

DialMethod = Literal["MANUAL", "RATIO", "INBOUND_MAN", "ADAPT_AVERAGE", "ADAPT_HARD_LIMIT",
                     "ADAPT_TAPERED"]
ListOrderSecondary = Literal["LEAD_ASCEND", "LEAD_DESCEND", "CALLTIME_ASCEND", "CALLTIME_DESCEND",
                             "VENDOR_ASCEND", "VENDOR_DESCEND"]

class Campaigns(EndpointGroup):
    """Campaign functions: ``vd.campaigns.campaigns_list()``, ``vd.campaigns.update_campaign(...)`` ..."""

    async def campaigns_list(
        self,
        *,
        campaign_id: str | None = None,
        stage: Stage = "tab",
        header: bool = True,
        timeout: float | None = None,
    ) -> TableResult[CampaignRow]:
        """Settings of every campaign the API user may see, or of one (VICIdial ``campaigns_list``).

        Needs user_level >= 8, view_reports and vdc_agent_api_access; only the user group's
        allowed campaigns are listed (active or not). An unknown ``campaign_id`` raises
        :class:`~vicidial_async.NotFoundError`.

        >>> for c in await vd.campaigns.campaigns_list():        # doctest: +SKIP
        ...     print(c.campaign_id, c.active, c.dial_level)
        TESTCAMP True 0.0
        """
        return await self._run(ops.CAMPAIGNS_LIST, {
            "campaign_id": campaign_id, "stage": stage, "header": header}, timeout=timeout)

    async def hopper_list(
        self,
        *,
        campaign_id: str,
        search_method: Literal["BLOCK"] | None = None,
        stage: Stage = "tab",
        header: bool = True,
        timeout: float | None = None,
    ) -> TableResult[HopperRow]:
        """The READY leads waiting in a campaign's dial hopper, in dialing order (VICIdial
        ``hopper_list``; at most 10000).

        Needs user_level >= 8, view_reports and vdc_agent_api_access, and the campaign among the
        user group's allowed campaigns. ``search_method="BLOCK"`` makes the server use one joined
        query (faster, but it can lock tables). An empty hopper raises
        :class:`~vicidial_async.NotFoundError` (reason ``... NO LEADS IN THE HOPPER ...``), as
        does an unknown campaign.
        """
        return await self._run(ops.HOPPER_LIST, {
            "campaign_id": campaign_id, "search_method": search_method, "stage": stage,
            "header": header}, timeout=timeout)

    async def update_campaign(
        self,
        *,
        campaign_id: str,
        campaign_name: str | None = None,
        active: bool | None = None,
        auto_dial_level: float | str | None = None,
        adaptive_maximum_level: float | str | None = None,
        campaign_vdad_exten: str | None = None,
        hopper_level: int | None = None,
        reset_hopper: bool | None = None,
        dial_method: DialMethod | None = None,
        dial_timeout: int | None = None,
        list_order: str | None = None,
        list_order_randomize: bool | None = None,
        list_order_secondary: ListOrderSecondary | None = None,
        outbound_cid: str | None = None,
        dial_status_add: str | None = None,
        dial_status_remove: str | None = None,
        lead_filter_id: str | None = None,
        xferconf_one: str | None = None,
        xferconf_two: str | None = None,
        xferconf_three: str | None = None,
        xferconf_four: str | None = None,
        xferconf_five: str | None = None,
        dispo_call_url: str | None = None,
        webform_one: str | None = None,
        webform_two: str | None = None,
        webform_three: str | None = None,
        timeout: float | None = None,
    ) -> UpdateCampaignResult:
        """Change settings of a campaign (VICIdial ``update_campaign``).

        Needs user_level >= 8, modify_campaigns and vdc_agent_api_access, and the campaign among
        the user group's allowed campaigns. Only the settings passed are changed; passing none
        gives ``updated=False``. ``reset_hopper=True`` empties the campaign's hopper after the
        update (every time it is sent). ``dial_status_add`` appends a status to the dial statuses,
        ``dial_status_remove`` takes one out. ``list_order`` must be one of :data:`LIST_ORDERS`
        (RANDOM orders are refused by the server); ``lead_filter_id="---NONE---"`` clears the
        filter. The transfer numbers and the URLs can be emptied with ``"--BLANK--"``; the URLs
        keep only letters, digits, space and ``- % = + . : / @ ? & _`` (anything else is refused
        here, as the server would drop it), and ``dispo_call_url="ALT"`` switches to the
        alternate URLs of :meth:`update_alt_url`.
        """
        return await self._run(ops.UPDATE_CAMPAIGN, {
            "campaign_id": campaign_id, "campaign_name": campaign_name, "active": active,
            "auto_dial_level": auto_dial_level, "adaptive_maximum_level": adaptive_maximum_level,
            "campaign_vdad_exten": campaign_vdad_exten, "hopper_level": hopper_level,
            "reset_hopper": reset_hopper, "dial_method": dial_method, "dial_timeout": dial_timeout,
            "list_order": list_order, "list_order_randomize": list_order_randomize,
            "list_order_secondary": list_order_secondary, "outbound_cid": outbound_cid,
            "dial_status_add": dial_status_add, "dial_status_remove": dial_status_remove,
            "lead_filter_id": lead_filter_id, "xferconf_one": xferconf_one, "xferconf_two": xferconf_two,
            "xferconf_three": xferconf_three, "xferconf_four": xferconf_four, "xferconf_five": xferconf_five,
            "dispo_call_url": dispo_call_url, "webform_one": webform_one, "webform_two": webform_two,
            "webform_three": webform_three}, timeout=timeout)

    async def update_alt_url(
        self,
        *,
        campaign_id: str,
        entry_type: Literal["campaign", "ingroup", "list"],
        url_type: Literal["dispo", "start", "noagent", "addlead"],
        alt_url_id: int | Literal["NEW", "LIST"] | None = None,
        stage: Stage | None = None,
        header: bool | None = None,
        active: bool | None = None,
        url_rank: int | None = None,
        url_statuses: str | Sequence[str] | None = None,
        url_description: str | None = None,
        url_lists: str | Sequence[int | str] | None = None,
        url_call_length: int | None = None,
        url_address: str | None = None,
        timeout: float | None = None,
    ) -> AltUrlResult:
        """List, add or change alternate (multi) URLs of a campaign (VICIdial ``update_alt_url``).

        Needs user_level >= 8, modify_campaigns and vdc_agent_api_access. ``alt_url_id="LIST"``
        lists the entries (``stage``/``header`` apply to that mode only; tab with a header unless
        told otherwise), ``"NEW"`` adds one (a new entry on every call), a number changes that
        entry (if it matches none and the campaign has a single entry of that type, the server
        changes that one instead: the result's ``url_id`` says which). The campaign's URL setting
        of ``url_type`` must be ``ALT``. ``url_statuses`` applies to dispo URLs (``"---ALL---"``
        for every status); ``url_lists`` empty means all lists. ``url_description``,
        ``url_lists`` and ``url_address`` can be emptied with ``"--BLANK--"``.

        The server checks the campaign id against campaigns even for in-group and list entries,
        so in practice only campaign entries work. Allowed ``url_type`` per ``entry_type``:
        campaign: dispo, start, noagent; ingroup: all four; list: noagent.
        """
        return await self._run(ops.UPDATE_ALT_URL, {
            "campaign_id": campaign_id, "entry_type": entry_type, "url_type": url_type,
            "alt_url_id": alt_url_id, "stage": stage, "header": header, "active": active,
            "url_rank": url_rank, "url_statuses": url_statuses, "url_description": url_description,
            "url_lists": url_lists, "url_call_length": url_call_length,
            "url_address": url_address}, timeout=timeout)

    async def update_presets(
        self,
        *,
        campaign_id: str,
        preset_name: str | None = None,
        action: Literal["UPDATE", "NEW", "DELETE", "LIST"] | None = None,
        stage: Stage | None = None,
        header: bool | None = None,
        preset_hide_number: bool | None = None,
        preset_number: str | None = None,
        preset_dtmf: str | None = None,
        timeout: float | None = None,
    ) -> PresetResult:
        """List, add, change or delete a campaign's transfer presets (VICIdial ``update_presets``).

        Needs user_level >= 8, modify_campaigns and vdc_agent_api_access. ``action`` defaults to
        UPDATE on the server; LIST returns the presets (``stage``/``header`` apply to LIST only;
        tab with a header unless told otherwise). NEW needs at least one of ``preset_number``,
        ``preset_dtmf`` or ``preset_hide_number`` (the server otherwise adds nothing) and does
        not check for an existing name. For UPDATE and DELETE, a ``preset_name`` that matches none
        makes the server act on the campaign's only preset if it has exactly one: the result's
        ``preset_name`` says which preset was touched, and a :class:`UserWarning` is issued when
        it differs. ``preset_dtmf`` takes digits plus P (#), S (*) and Q (half-second pause) and
        can be emptied with ``"--BLANK--"``.
        """
        return await self._run(ops.UPDATE_PRESETS, {
            "campaign_id": campaign_id, "preset_name": preset_name, "action": action, "stage": stage,
            "header": header, "preset_hide_number": preset_hide_number, "preset_number": preset_number,
            "preset_dtmf": preset_dtmf}, timeout=timeout)

    async def update_cid_group_entry(
        self,
        *,
        cid_group_id: str,
        stage: Literal["INFO", "ADD", "DELETE", "UPDATE"],
        areacode: str,
        outbound_cid: str | None = None,
        cid_description: str | None = None,
        active: bool | None = None,
        timeout: float | None = None,
    ) -> CidGroupResult:
        """Show, add, delete or change areacode caller-ID entries of a CID group, or of a
        campaign's AC-CID list (VICIdial ``update_cid_group_entry``).

        Needs user_level >= 8, modify_campaigns and vdc_agent_api_access, and the group (or
        campaign) visible to the API user. ``areacode`` is an areacode (``312``), a state
        (``FL``), ``NONE`` or ``---ALL---`` (not for ADD). ``outbound_cid`` left out matches every
        CID of the areacode; ADD needs one of 4+ digits. UPDATE needs ``active`` or
        ``cid_description``. A repeated ADD raises :class:`~vicidial_async.AlreadyExistsError`.
        """
        return await self._run(ops.UPDATE_CID_GROUP_ENTRY, {
            "cid_group_id": cid_group_id, "stage": stage, "areacode": areacode, "outbound_cid": outbound_cid,
            "cid_description": cid_description, "active": active}, timeout=timeout)

    async def ingroup_list(
        self,
        *,
        comments: str | None = None,
        timeout: float | None = None,
    ) -> TableResult[InGroupChoice]:
        """Active in-groups as ``(group_id, group_name, group_color)`` rows (VICIdial
        ``ingroup_list``, an HTML picker page parsed here).

        Needs user_level >= 7 and the function in the API user's allowed functions; lists the
        in-groups of ``---ALL---`` or of the user's viewable groups. ``comments`` is the id of the
        page field the picker's JavaScript would fill: it is only echoed into the HTML.
        """
        return await self._run(ops.INGROUP_LIST, {"comments": comments}, timeout=timeout)

