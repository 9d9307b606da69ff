"""Campaign operations of the Non-Agent API: campaigns_list, hopper_list, update_campaign,
update_alt_url, update_presets, update_cid_group_entry, ingroup_list."""

from __future__ import annotations

import warnings
from collections.abc import Callable, Mapping
from typing import Any

from ..errors import DecodeError
from ..models import campaigns as results
from ..models._outcome import action_of
from ..models._rows import rows_of_table
from ..models._table import TableResult
from ..protocol.decode import Answer, decode
from ..protocol.lines import StatusAnswer
from ..protocol.other import Picker
from ..protocol.registry import REGISTRY, FunctionSpec
from ..protocol.tables import Table, decode_table
from ._core import Form, Operation, table_of
from ._rules import ID_CHARS, blank, chars, needs, pattern, refuse, refuse_if

__all__ = ["CAMPAIGNS_LIST", "HOPPER_LIST", "INGROUP_LIST", "LIST_ORDERS", "UPDATE_ALT_URL",
           "UPDATE_CAMPAIGN", "UPDATE_CID_GROUP_ENTRY", "UPDATE_PRESETS"]

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
_DESCRIPTION = r"A-Za-z0-9 \-.,_"
_DESCRIPTION_WHAT = "letters, digits, space and - . , _"


def _listing_defaults(function: str, key: str) -> Callable[[dict[str, Any]], None]:
    """Listing (``key="LIST"``) asks for tab with a header unless told otherwise; stage and
    header apply only to a listing."""
    def adjust(params: dict[str, Any]) -> None:
        if params.get(key) == "LIST":
            params["stage"] = "tab" if params.get("stage") is None else params["stage"]
            params["header"] = True if params.get("header") is None else params["header"]
            return
        for name in ("stage", "header"):
            if params.get(name) is not None:
                raise refuse(function, name, f"applies only with {key}='LIST'")
    return adjust


def _listing(key: str, row: Any) -> Callable[[FunctionSpec, int, str, Form], Answer]:
    """The decoder of a function whose listing (``key="LIST"``) answers table rows of ``row``'s
    columns (or a NOTICE when there are none) and whose other calls answer status lines."""
    def decoder(spec: FunctionSpec, status: int, body: str, form: Form) -> Answer:
        if status != 200 or form.get(key) != "LIST":
            return decode(spec, status, body, form)
        return decode_table(spec, body, stage=form.get("stage"), header=form.get("header") == "YES",
                            columns=row.COLUMNS)
    return decoder


def _listed_rows(answer: StatusAnswer | Table, row: Any) -> Any:
    if not isinstance(answer, Table):
        raise _no_success(answer)
    return rows_of_table(row, answer).rows


def _no_success(answer: StatusAnswer | Table) -> DecodeError:
    return DecodeError(f"{answer.function}: no SUCCESS line", function=answer.function, raw=answer.raw)


# -- update_campaign -----------------------------------------------------------------------------

def _list_order(spec: FunctionSpec, form: Form, custom: Mapping[str, Any]) -> None:
    order = form.get("list_order")
    if order is not None and order not in LIST_ORDERS:
        raise refuse(spec.name, "list_order", f"{order!r} is not a lead order the server accepts "
                                              "(see LIST_ORDERS)")


def _campaign_result(answer: StatusAnswer, form: Form) -> results.UpdateCampaignResult:
    return results.UpdateCampaignResult.from_answer(answer, form["campaign_id"])


# -- update_alt_url ------------------------------------------------------------------------------

def _url_type(spec: FunctionSpec, form: Form, custom: Mapping[str, Any]) -> None:
    entry, url = form.get("entry_type", ""), form.get("url_type", "")
    allowed = _URL_TYPES.get(entry, ())
    if url not in allowed:
        raise refuse(spec.name, "url_type", f"{entry} entries have no {url!r} URL "
                                            f"(allowed: {', '.join(allowed)})")


def _statuses(spec: FunctionSpec, form: Form, custom: Mapping[str, Any]) -> None:
    if form.get("url_statuses") != "---ALL---":
        chars("url_statuses", ID_CHARS + " ", "status ids")(spec, form, custom)


def _alt_url_result(answer: StatusAnswer | Table, form: Form) -> results.AltUrlResult:
    base: dict[str, Any] = {"notices": answer.notices, "raw": answer.raw}
    url_type, entry_type, campaign_id = form["url_type"], form["entry_type"], form["campaign_id"]
    if form.get("alt_url_id") == "LIST":
        return results.AltUrlResult("listed", url_type=url_type, entry_type=entry_type,
                                    campaign_id=campaign_id,
                                    rows=_listed_rows(answer, results.AltUrlRow), **base)
    if not isinstance(answer, StatusAnswer) or not answer.success:
        if isinstance(answer, StatusAnswer) and answer.no_updates:
            return results.AltUrlResult("unchanged", url_type=url_type, entry_type=entry_type,
                                        campaign_id=campaign_id, **base)
        raise _no_success(answer)
    ok = answer.success[0]
    added = ok.facet == "added"
    url_id = ok.get("new_url_id") if added else ok.get("alt_url_id")
    return results.AltUrlResult(
        "added" if added else "updated", url_id=int(url_id) if url_id.isdigit() else None,
        url_type=ok.get("url_type") or url_type, entry_type=ok.get("entry_type") or entry_type,
        campaign_id=ok.get("campaign_id") or campaign_id, **base)


# -- update_presets ------------------------------------------------------------------------------

def _preset_name(spec: FunctionSpec, form: Form, custom: Mapping[str, Any]) -> None:
    action = form.get("action")
    if action != "LIST" and not form.get("preset_name"):
        raise refuse(spec.name, "preset_name", f"is required for {action or 'UPDATE'}")


def _preset_result(answer: StatusAnswer | Table, form: Form) -> results.PresetResult:
    base: dict[str, Any] = {"notices": answer.notices, "raw": answer.raw}
    campaign_id, preset_name = form["campaign_id"], form.get("preset_name", "")
    if form.get("action") == "LIST":
        return results.PresetResult("listed", campaign_id=campaign_id,
                                    rows=_listed_rows(answer, results.PresetRow), **base)
    if not isinstance(answer, StatusAnswer) or not answer.success:
        if isinstance(answer, StatusAnswer) and answer.no_updates:
            return results.PresetResult("unchanged", preset_name=preset_name, campaign_id=campaign_id, **base)
        raise _no_success(answer)
    ok = answer.success[0]
    done = action_of(ok)
    acted_on = ok.get("preset_name") or preset_name
    if preset_name and acted_on != preset_name and done != "added":
        warnings.warn(f"update_presets: no preset named {preset_name!r}; the server {done} "
                      f"the campaign's only preset {acted_on!r} instead", UserWarning, stacklevel=2)
    return results.PresetResult(done, preset_name=acted_on, campaign_id=ok.get("campaign_id") or campaign_id,
                                **base)


# -- update_cid_group_entry ----------------------------------------------------------------------

def _areacode(spec: FunctionSpec, form: Form, custom: Mapping[str, Any]) -> None:
    if form.get("areacode") != "---ALL---":
        chars("areacode", "A-Za-z0-9", "letters and digits")(spec, form, custom)
    elif form.get("stage") == "ADD":
        raise refuse(spec.name, "areacode", "---ALL--- cannot be used with ADD")


def _int(text: str) -> int | None:
    return int(text) if text.strip().isdigit() else None


def _cid_group_result(answer: StatusAnswer, form: Form) -> results.CidGroupResult:
    ok = answer.success[0] if answer.success else None
    if ok is None:
        raise _no_success(answer)
    cid_group_id = ok.get("cid_group_id") or form["cid_group_id"]
    if form["stage"] == "INFO":
        info = results.CidGroupInfo(cid_group_id=cid_group_id, areacode=ok.get("areacode"),
                                    outbound_cid=ok.get("outbound_cid"),
                                    entry_count=_int(ok.get("entry_count")))
        rows = answer.raw.split("\n", 1)[1] if "\n" in answer.raw else ""
        table = decode_table(REGISTRY["non_agent", answer.function], rows,
                             columns=results.CidGroupEntryRow.COLUMNS)
        return results.CidGroupResult("INFO", cid_group_id=info.cid_group_id, areacode=info.areacode,
                                      outbound_cid=info.outbound_cid, count=info.entry_count, info=info,
                                      rows=rows_of_table(results.CidGroupEntryRow, table).rows,
                                      raw=answer.raw)
    count = ok.get("insert_count") or ok.get("delete_count") or ok.get("modify_count")
    return results.CidGroupResult(form["stage"], cid_group_id=cid_group_id, areacode=ok.get("areacode"),
                                  outbound_cid=ok.get("outbound_cid"), count=_int(count), raw=answer.raw)


def _campaigns(table: Table, form: Form) -> TableResult[results.CampaignRow]:
    return rows_of_table(results.CampaignRow, table, free_text="campaign_name", stage=form.get("stage"))


def _ingroups(picker: Picker, form: Form) -> TableResult[results.InGroupChoice]:
    return TableResult(rows=results.ingroup_choices(picker), columns=results.InGroupChoice.COLUMNS,
                       raw=picker.raw)


CAMPAIGNS_LIST = Operation("campaigns_list", result=_campaigns)
HOPPER_LIST = Operation("hopper_list", result=table_of(results.HopperRow))
INGROUP_LIST = Operation("ingroup_list", result=_ingroups)
UPDATE_CAMPAIGN = Operation(
    "update_campaign",
    rules=[
        blank("xferconf_one", "xferconf_two", "xferconf_three", "xferconf_four", "xferconf_five",
              "dispo_call_url", "webform_one", "webform_two", "webform_three"),
        chars("campaign_name", _DESCRIPTION, _DESCRIPTION_WHAT),
        *(pattern(name, r"\d+(\.\d+)?", "a decimal number like 2.5")
          for name in ("auto_dial_level", "adaptive_maximum_level")),
        _list_order,
        *(chars(name, ID_CHARS, "letters, digits, - and _")
          for name in ("dial_status_add", "dial_status_remove")),
        *(chars(name, _URL_CHARS, _URL_WHAT, blank=True)
          for name in ("dispo_call_url", "webform_one", "webform_two", "webform_three")),
    ],
    result=_campaign_result,
)
UPDATE_ALT_URL = Operation(
    "update_alt_url",
    adjust=_listing_defaults("update_alt_url", "alt_url_id"),
    decoder=_listing("alt_url_id", results.AltUrlRow),
    rules=[_url_type, blank("url_description", "url_lists", "url_address"),
           chars("url_address", _URL_CHARS, _URL_WHAT, blank=True), _statuses],
    result=_alt_url_result,
)
UPDATE_PRESETS = Operation(
    "update_presets",
    adjust=_listing_defaults("update_presets", "action"),
    decoder=_listing("action", results.PresetRow),
    rules=[
        _preset_name,
        refuse_if("preset_number", lambda f: f.get("action") == "NEW" and not {
            "preset_number", "preset_dtmf", "preset_hide_number"} & set(f),
            "NEW needs preset_number, preset_dtmf or preset_hide_number (the server would add "
            "nothing)"),
        blank("preset_dtmf"),
        chars("preset_name", r"A-Za-z0-9 \-_", "letters, digits, space, - and _"),
        chars("preset_number", r"A-Za-z0-9*#._", "letters, digits and * # . _"),
        chars("preset_dtmf", r"A-Za-z0-9 \-,*#", "letters, digits, space and - , * #", blank=True),
    ],
    result=_preset_result,
)
UPDATE_CID_GROUP_ENTRY = Operation(
    "update_cid_group_entry",
    rules=[
        blank(),
        _areacode,
        refuse_if("outbound_cid", lambda f: f.get("stage") == "ADD"
                  and len(f.get("outbound_cid", "")) < 4, "ADD needs a caller ID of 4 or more digits"),
        needs("active", lambda f: f.get("stage") == "UPDATE" and "cid_description" not in f,
              "UPDATE needs active or cid_description"),
        chars("cid_description", _DESCRIPTION, _DESCRIPTION_WHAT),
    ],
    result=_cid_group_result,
)
