"""campaign functions of the Non-Agent API (``vd.campaigns``): method name = VICIdial function name.

Table answers (``campaigns_list``, ``hopper_list`` and the LIST/INFO modes of the update functions)
are asked for as ``stage="tab"`` with ``header=True`` unless told otherwise: tabs are the delimiter
least likely to occur in a name, and the header row makes the answer name its own columns.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from typing import Literal

from ..errors import DecodeError
from ..models._rows import rows_of_table
from ..models._table import TableResult
from ..models.campaigns import (
    AltUrlResult,
    AltUrlRow,
    CampaignRow,
    CidGroupEntryRow,
    CidGroupInfo,
    CidGroupResult,
    HopperRow,
    InGroupChoice,
    PresetResult,
    PresetRow,
    UpdateCampaignResult,
    ingroup_choices,
)
from ..protocol.lines import StatusAnswer
from ..protocol.other import Picker
from ..protocol.params import build_form, check_blank
from ..protocol.tables import decode_table
from ._base import EndpointGroup, wire_params
from ._guards import ID_CHARS, Stage, check_chars, check_pattern, refuse

__all__ = ["Campaigns"]

DialMethod = Literal["MANUAL", "RATIO", "INBOUND_MAN", "ADAPT_AVERAGE", "ADAPT_HARD_LIMIT",
                     "ADAPT_TAPERED"]
ListOrderSecondary = Literal["LEAD_ASCEND", "LEAD_DESCEND", "CALLTIME_ASCEND", "CALLTIME_DESCEND",
                             "VENDOR_ASCEND", "VENDOR_DESCEND"]

_ORDERS = ("DOWN", "UP", "DOWN PHONE", "UP PHONE", "DOWN LAST NAME", "UP LAST NAME", "DOWN COUNT",
           "UP COUNT", "DOWN LAST CALL TIME", "UP LAST CALL TIME", "DOWN RANK", "UP RANK",
           "DOWN OWNER", "UP OWNER", "DOWN TIMEZONE", "UP TIMEZONE")
LIST_ORDERS: frozenset[str] = frozenset(
    [*_ORDERS, *(f"{o} {n} NEW" for o in _ORDERS for n in ("2nd", "3rd", "4th", "5th", "6th"))])
"""The lead orders ``update_campaign`` accepts (RANDOM orders are refused by the server)."""

_URL_CHARS = r"A-Za-z0-9 \-%=+.:/@?&_"
_URL_WHAT = "letters, digits, space and - % = + . : / @ ? & _"
_URL_TYPES = {
    "campaign": ("dispo", "start", "noagent"),
    "ingroup": ("dispo", "start", "noagent", "addlead"),
    "list": ("noagent",),
}


def _table_part(answer: StatusAnswer, *, skip_first: bool = False) -> str:
    """The raw body of a status function that answered with table rows."""
    body = answer.raw
    if skip_first:
        body = body.split("\n", 1)[1] if "\n" in body else ""
    return body


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
        params = wire_params(locals())
        table = await self._call("campaigns_list", params, timeout=timeout)
        return rows_of_table(CampaignRow, table, free_text="campaign_name", stage=stage)

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
        params = wire_params(locals())
        table = await self._call("hopper_list", params, timeout=timeout)
        return rows_of_table(HopperRow, table)

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
        params = wire_params(locals())
        fn = "update_campaign"
        spec = self._spec(fn)
        form = build_form(spec, params)
        check_blank(spec, form, ("xferconf_one", "xferconf_two", "xferconf_three",
                                 "xferconf_four", "xferconf_five", "dispo_call_url",
                                 "webform_one", "webform_two", "webform_three"))
        check_chars(fn, form, "campaign_name", r"A-Za-z0-9 \-.,_",
                    "letters, digits, space and - . , _")
        for name in ("auto_dial_level", "adaptive_maximum_level"):
            check_pattern(fn, form, name, r"\d+(\.\d+)?", "a decimal number like 2.5")
        if list_order is not None and list_order not in LIST_ORDERS:
            raise refuse(fn, "list_order", f"{list_order!r} is not a lead order the server "
                                           "accepts (see LIST_ORDERS)")
        for name in ("dial_status_add", "dial_status_remove"):
            check_chars(fn, form, name, ID_CHARS, "letters, digits, - and _")
        for name in ("dispo_call_url", "webform_one", "webform_two", "webform_three"):
            check_chars(fn, form, name, _URL_CHARS, _URL_WHAT, blank=True)
        answer = await self._call(fn, params, timeout=timeout, form=form)
        return UpdateCampaignResult.from_answer(answer, campaign_id)

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
        params = wire_params(locals())
        listing = alt_url_id == "LIST"
        if listing:
            params["stage"] = stage = "tab" if stage is None else stage
            params["header"] = header = True if header is None else header
        elif stage is not None or header is not None:
            raise refuse("update_alt_url", "stage" if stage is not None else "header",
                         "applies only with alt_url_id='LIST'")
        fn = "update_alt_url"
        if url_type not in _URL_TYPES.get(entry_type, ()):
            raise refuse(fn, "url_type", f"{entry_type} entries have no {url_type!r} URL "
                                         f"(allowed: {', '.join(_URL_TYPES[entry_type])})")
        spec = self._spec(fn)
        form = build_form(spec, params)
        check_blank(spec, form, ("url_description", "url_lists", "url_address"))
        check_chars(fn, form, "url_address", _URL_CHARS, _URL_WHAT, blank=True)
        if form.get("url_statuses") != "---ALL---":
            check_chars(fn, form, "url_statuses", ID_CHARS + " ", "status ids")
        answer = await self._call(fn, params, timeout=timeout, form=form)
        ok = answer.success[0] if answer.success else None
        base = {"notices": answer.notices, "raw": answer.raw}
        if listing:
            table = decode_table(spec, answer.raw, stage=stage, header=header in (True, "YES"),
                                 columns=AltUrlRow.COLUMNS)
            return AltUrlResult("listed", url_type=url_type, entry_type=entry_type,
                                campaign_id=campaign_id,
                                rows=rows_of_table(AltUrlRow, table).rows, **base)
        if ok is None:
            if any("NO UPDATES DEFINED" in n.reason for n in answer.notices):
                return AltUrlResult("unchanged", url_type=url_type, entry_type=entry_type,
                                    campaign_id=campaign_id, **base)
            raise DecodeError(f"{fn}: no SUCCESS line", function=fn, raw=answer.raw)
        added = "ADDED" in ok.reason
        url_id = ok.get("new_url_id") if added else ok.get("alt_url_id")
        return AltUrlResult(
            "added" if added else "updated",
            url_id=int(url_id) if url_id.isdigit() else None,
            url_type=ok.get("url_type") or url_type, entry_type=ok.get("entry_type") or entry_type,
            campaign_id=ok.get("campaign_id") or campaign_id, **base)

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
        params = wire_params(locals())
        listing = action == "LIST"
        if listing:
            params["stage"] = stage = "tab" if stage is None else stage
            params["header"] = header = True if header is None else header
        elif stage is not None or header is not None:
            raise refuse("update_presets", "stage" if stage is not None else "header",
                         "applies only with action='LIST'")
        fn = "update_presets"
        if not listing and not preset_name:
            raise refuse(fn, "preset_name", f"is required for {action or 'UPDATE'}")
        if action == "NEW" and preset_number is None and preset_dtmf is None \
                and preset_hide_number is None:
            raise refuse(fn, "preset_number", "NEW needs preset_number, preset_dtmf or "
                                              "preset_hide_number (the server would add nothing)")
        spec = self._spec(fn)
        form = build_form(spec, params)
        check_blank(spec, form, ("preset_dtmf",))
        check_chars(fn, form, "preset_name", r"A-Za-z0-9 \-_", "letters, digits, space, - and _")
        check_chars(fn, form, "preset_number", r"A-Za-z0-9*#._", "letters, digits and * # . _")
        check_chars(fn, form, "preset_dtmf", r"A-Za-z0-9 \-,*#", "letters, digits, space and - , * #",
                    blank=True)
        answer = await self._call(fn, params, timeout=timeout, form=form)
        base = {"notices": answer.notices, "raw": answer.raw}
        if listing:
            table = decode_table(spec, answer.raw, stage=stage, header=header in (True, "YES"),
                                 columns=PresetRow.COLUMNS)
            return PresetResult("listed", campaign_id=campaign_id,
                                rows=rows_of_table(PresetRow, table).rows, **base)
        ok = answer.success[0] if answer.success else None
        if ok is None:
            if any("NO UPDATES DEFINED" in n.reason for n in answer.notices):
                return PresetResult("unchanged", preset_name=preset_name or "",
                                    campaign_id=campaign_id, **base)
            raise DecodeError(f"{fn}: no SUCCESS line", function=fn, raw=answer.raw)
        done = ("added" if "ADDED" in ok.reason else "deleted" if "DELETED" in ok.reason
                else "updated")
        acted_on = ok.get("preset_name") or preset_name or ""
        if preset_name and acted_on != preset_name and done != "added":
            warnings.warn(f"update_presets: no preset named {preset_name!r}; the server {done} "
                          f"the campaign's only preset {acted_on!r} instead", UserWarning,
                          stacklevel=2)
        return PresetResult(done, preset_name=acted_on,
                            campaign_id=ok.get("campaign_id") or campaign_id, **base)

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
        params = wire_params(locals())
        fn = "update_cid_group_entry"
        form = build_form(self._spec(fn), params)
        check_blank(self._spec(fn), form, ())
        if areacode != "---ALL---":
            check_chars(fn, form, "areacode", "A-Za-z0-9", "letters and digits")
        elif stage == "ADD":
            raise refuse(fn, "areacode", "---ALL--- cannot be used with ADD")
        if stage == "ADD" and (outbound_cid is None or len(outbound_cid) < 4):
            raise refuse(fn, "outbound_cid", "ADD needs a caller ID of 4 or more digits")
        if stage == "UPDATE" and active is None and cid_description is None:
            raise refuse(fn, "active", "UPDATE needs active or cid_description")
        check_chars(fn, form, "cid_description", r"A-Za-z0-9 \-.,_",
                    "letters, digits, space and - . , _")
        answer = await self._call(fn, params, timeout=timeout, form=form)
        ok = answer.success[0] if answer.success else None
        if ok is None:
            raise DecodeError(f"{fn}: no SUCCESS line", function=fn, raw=answer.raw)
        if stage == "INFO":
            info = CidGroupInfo(cid_group_id=ok.get("cid_group_id") or cid_group_id,
                                areacode=ok.get("areacode"), outbound_cid=ok.get("outbound_cid"),
                                entry_count=_int(ok.get("entry_count")))
            table = decode_table(self._spec(fn), _table_part(answer, skip_first=True),
                                 columns=CidGroupEntryRow.COLUMNS)
            return CidGroupResult("INFO", cid_group_id=info.cid_group_id, areacode=info.areacode,
                                  outbound_cid=info.outbound_cid, count=info.entry_count,
                                  info=info, rows=rows_of_table(CidGroupEntryRow, table).rows,
                                  raw=answer.raw)
        count = ok.get("insert_count") or ok.get("delete_count") or ok.get("modify_count")
        return CidGroupResult(stage, cid_group_id=ok.get("cid_group_id") or cid_group_id,
                              areacode=ok.get("areacode"), outbound_cid=ok.get("outbound_cid"),
                              count=_int(count), raw=answer.raw)

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
        params = wire_params(locals())
        picker: Picker = await self._call("ingroup_list", params, timeout=timeout)
        return TableResult(rows=ingroup_choices(picker), columns=InGroupChoice.COLUMNS,
                           raw=picker.raw)


def _int(text: str) -> int | None:
    return int(text) if text.strip().isdigit() else None
