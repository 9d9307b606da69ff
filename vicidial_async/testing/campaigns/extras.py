"""Campaign side tables: presets (update_presets), alternate URLs (update_alt_url) and caller-ID
groups (update_cid_group_entry)."""

from __future__ import annotations

import re

from .. import filters as f
from ..core import Call, handles, requires
from ..records import Campaign
from ..wire import BLANK, Template, columns, line, table

NA = "non_agent"


def _t(fn: str, needle: str) -> Template:
    return line(NA, fn, needle)


def _campaign(call: Call, fn: str, max_len: int = 8) -> tuple[Campaign | None, str | None]:
    """The campaign of the request, or the error line ending the request."""
    cid = f.ident(call.get("campaign_id"))
    if not 2 <= len(cid) <= max_len:
        return None, _t(fn, "REQUIRED FIELDS")(call.uname, cid, "", cid) + "\n"
    camp = call.state.campaigns.get(cid)
    if camp is None or not call.allowed_campaign(cid):
        return None, _t(fn, "CAMPAIGN DOES NOT EXIST")(call.uname, cid) + "\n"
    return camp, None


# -- update_presets ------------------------------------------------------------------------------

_UP = "update_presets"
UP_LIST_NONE = _t(_UP, "No Records Found")
UP_NONE = _t(_UP, "NO UPDATES DEFINED")
UP_UPDATED = _t(_UP, "PRESET HAS BEEN UPDATED")
UP_ADDED = _t(_UP, "PRESET HAS BEEN ADDED")
UP_DELETED = _t(_UP, "PRESET HAS BEEN DELETED")
UP_MISSING = _t(_UP, "PRESET NAME DOES NOT EXIST")
UP_HIDE = _t(_UP, "PRESET HIDE NUMBER")
UP_NUMBER = _t(_UP, "PRESET NUMBER IS NOT VALID")
UP_DTMF = _t(_UP, "PRESET DTMF IS NOT VALID")
UP_COLUMNS = columns(NA, "update_presets")


@handles(NA, _UP)
@requires(_t(_UP, "PERMISSION"), 8, "modify_campaigns")
def update_presets(call: Call) -> str:
    """update_presets: list, add, change or delete a campaign's transfer presets."""
    camp, err = _campaign(call, _UP)
    if camp is None:
        return err or ""
    user = call.uname
    action = call.get("action") or "UPDATE"
    if action == "LIST":
        rows = [
            [name, camp.campaign_id, p["preset_number"], p["preset_hide_number"], p["preset_dtmf"]]
            for name, p in sorted(camp.presets.items())
        ]
        if not rows:
            return UP_LIST_NONE(user, camp.campaign_id) + "\n"
        return table(UP_COLUMNS, rows, call.params)
    name = f.label(call.get("preset_name"))
    changes: dict[str, str] = {}
    hide = call.get("preset_hide_number")
    if hide:
        if hide not in ("Y", "N"):
            return UP_HIDE(user, hide) + "\n"
        changes["preset_hide_number"] = hide
    number = re.sub(r"[^A-Za-z0-9*#._]", "", call.get("preset_number"))
    if call.get("preset_number"):
        if not 1 <= len(number) <= 50:
            return UP_NUMBER(user, number) + "\n"
        changes["preset_number"] = number
    dtmf = call.get("preset_dtmf")
    if dtmf:
        if len(dtmf) > 50:
            return UP_DTMF(user, dtmf) + "\n"
        changes["preset_dtmf"] = "" if dtmf == BLANK else dtmf
    if action == "NEW":
        if not changes:
            return UP_NONE(user, "") + "\n"
        preset = {"preset_number": "", "preset_hide_number": "N", "preset_dtmf": ""}
        preset.update(changes)
        camp.presets[name] = preset
        return UP_ADDED(user, name, camp.campaign_id) + "\n"
    if action not in ("UPDATE", "DELETE"):
        return UP_NONE(user, "") + "\n"
    if name not in camp.presets:
        if len(camp.presets) != 1:
            return UP_MISSING(user, name, camp.campaign_id, len(camp.presets)) + "\n"
        name = next(iter(camp.presets))
    if action == "DELETE":
        del camp.presets[name]
        return UP_DELETED(user, name, camp.campaign_id) + "\n"
    if not changes:
        return UP_NONE(user, "") + "\n"
    camp.presets[name].update(changes)
    return UP_UPDATED(user, name, camp.campaign_id) + "\n"


# -- update_alt_url --------------------------------------------------------------------------------

_UA = "update_alt_url"
UA_ENTRY = _t(_UA, "NO ENTRY TYPE DEFINED")
UA_TYPE = _t(_UA, "NO VALID URL TYPE DEFINED")
UA_NOT_ALT = _t(_UA, "URL IS NOT SET TO ALT")
UA_MISSING = _t(_UA, "ALT URL ID DOES NOT EXIST")
UA_LIST_NONE = _t(_UA, "No Records Found")
UA_NONE = _t(_UA, "NO UPDATES DEFINED")
UA_UPDATED = _t(_UA, "ALT URL HAS BEEN UPDATED")
UA_ADDED = _t(_UA, "ALT URL HAS BEEN ADDED")
UA_ACTIVE = _t(_UA, "ACTIVE MUST BE")
UA_ADDRESS = _t(_UA, "URL ADDRESS IS NOT VALID")
UA_DESC = _t(_UA, "URL DESCRIPTION IS NOT VALID")
UA_COLUMNS = columns(NA, "update_alt_url")
_URL_TYPES = {
    "campaign": ("dispo", "start", "noagent"),
    "ingroup": ("dispo", "start", "noagent", "addlead"),
    "list": ("noagent",),
}
_SECTION = {"campaign": "CAMPAIGNS", "ingroup": "INGROUPS", "list": "LISTS"}


@handles(NA, _UA)
@requires(_t(_UA, "PERMISSION"), 8, "modify_campaigns")
def update_alt_url(call: Call) -> str:
    """update_alt_url: list, add or change a campaign's alternate URLs."""
    camp, err = _campaign(call, _UA, max_len=20)
    if camp is None:
        return err or ""
    st = call.state
    user = call.uname
    entry, kind = call.get("entry_type"), call.get("url_type")
    cid = camp.campaign_id
    mine = {
        i: u
        for i, u in st.alt_urls.items()
        if u["campaign_id"] == cid and u["entry_type"] == entry and u["url_type"] == kind
    }
    alt_id = call.get("alt_url_id")
    if alt_id == "LIST":
        if not mine:
            return UA_LIST_NONE(user, kind, entry, cid) + "\n"
        rows = [[i, *(u[c] for c in UA_COLUMNS[1:])] for i, u in sorted(mine.items())][:1000]
        return table(UA_COLUMNS, rows, call.params)
    if entry not in _URL_TYPES:
        return UA_ENTRY(user, entry, cid) + "\n"
    if kind not in _URL_TYPES[entry]:
        return UA_TYPE(user, kind, entry, cid) + "\n"
    setting = {"dispo": camp.dispo_call_url, "start": camp.start_call_url, "noagent": camp.na_call_url}
    is_alt = kind in camp.alt_url_types or setting.get(kind) == "ALT"
    if not is_alt:
        return UA_NOT_ALT(_SECTION[entry], kind, user, kind, entry, cid) + "\n"
    changes: dict[str, str] = {}
    active = call.get("active")
    if active:
        if active not in ("Y", "N"):
            return UA_ACTIVE(user, active) + "\n"
        changes["active"] = active
    if f.digits(call.get("url_rank")):
        changes["url_rank"] = f.digits(call.get("url_rank"))
    if f.digits(call.get("url_call_length")):
        changes["url_call_length"] = f.digits(call.get("url_call_length"))
    if call.get("url_statuses"):
        changes["url_statuses"] = call.get("url_statuses")
    if call.get("url_lists"):
        changes["url_lists"] = "" if call.get("url_lists") == BLANK else call.get("url_lists")
    desc = call.get("url_description")
    if desc:
        if len(desc) > 255:
            return UA_DESC(user, desc) + "\n"
        changes["url_description"] = "" if desc == BLANK else desc
    address = call.get("url_address")
    if address:
        if address != BLANK and not 5 <= len(address) <= 65000:
            return UA_ADDRESS(user, address) + "\n"
        changes["url_address"] = "" if address == BLANK else address
    if alt_id == "NEW":
        new_id = max([9000, *st.alt_urls]) + 1
        row = {
            "campaign_id": cid,
            "entry_type": entry,
            "active": "N",
            "url_type": kind,
            "url_rank": "1",
            "url_statuses": "",
            "url_description": "",
            "url_lists": "",
            "url_call_length": "0",
            "url_address": "",
        }
        row.update(changes)
        st.alt_urls[new_id] = row
        return UA_ADDED(user, new_id, kind, entry, cid) + "\n"
    key = int(alt_id) if alt_id.isdigit() else -1
    if key not in mine:
        if len(mine) != 1:
            return UA_MISSING(user, alt_id, kind, entry, cid, len(mine)) + "\n"
        key = next(iter(mine))
    if not changes:
        return UA_NONE(user, "") + "\n"
    st.alt_urls[key].update(changes)
    return UA_UPDATED(user, key, kind, entry, cid) + "\n"


# -- update_cid_group_entry ------------------------------------------------------------------------

_CG = "update_cid_group_entry"
CG_PERM = _t(_CG, "PERMISSION")
CG_REQUIRED = _t(_CG, "REQUIRED FIELDS")
CG_MISSING = _t(_CG, "CID GROUP DOES NOT EXIST")
CG_EMPTY = _t(_CG, "HAS NO ENTRIES")
CG_AREA = _t(_CG, "DEFINE AN AREACODE")
CG_CID = _t(_CG, "DEFINE A CID NUMBER")
CG_EXISTS = _t(_CG, "ALREADY EXISTS")
CG_NONE = _t(_CG, "NO UPDATES WERE DEFINED")
CG_INFO = _t(_CG, "INFO AS FOLLOWS")
CG_ADDED = _t(_CG, "HAS BEEN ADDED")
CG_DELETED = _t(_CG, "HAVE BEEN DELETED")
CG_UPDATED = _t(_CG, "HAVE BEEN UPDATED")


@handles(NA, _CG)
@requires(CG_PERM, 8, "modify_campaigns")
def update_cid_group_entry(call: Call) -> str:
    """update_cid_group_entry: show, add, delete or change caller-ID group entries."""
    st = call.state
    user = call.uname
    gid = f.ident(call.get("cid_group_id"))
    stage = call.get("stage")
    area = call.get("areacode")
    area = area if area == "---ALL---" else f.alnum(area)
    if not 1 <= len(gid) <= 20 or not 1 <= len(area) <= 9 or not 3 <= len(stage) <= 6:
        return CG_REQUIRED(user, gid, area, stage) + "\n"
    if stage not in ("INFO", "ADD", "DELETE", "UPDATE"):
        return ""
    if gid not in st.cid_groups:
        if gid not in st.campaigns:
            return CG_MISSING(user, gid) + "\n"
        st.cid_groups[gid] = []
    entries = st.cid_groups[gid]
    raw_cid = call.get("outbound_cid")
    cid = "" if raw_cid in ("", "---ALL---") else f.digits(raw_cid)

    def matches(e: dict[str, str]) -> bool:
        return (area == "---ALL---" or e["areacode"] == area) and (not cid or e["outbound_cid"] == cid)

    if stage == "ADD":
        if area == "---ALL---":
            return CG_AREA(user, gid, area) + "\n"
        if len(cid) < 4:
            return CG_CID(user, gid, cid) + "\n"
        if any(e["areacode"] == area and e["outbound_cid"] == cid for e in entries):
            return CG_EXISTS(user, gid, area, cid) + "\n"
        entries.append(
            {
                "areacode": area,
                "outbound_cid": cid,
                "active": "Y" if call.get("active") == "Y" else "",
                "cid_description": call.get("cid_description"),
                "call_count_today": "0",
            }
        )
        return CG_ADDED(user, gid, area, cid, 1) + "\n"
    found = [e for e in entries if matches(e)]
    if stage == "UPDATE" and not (call.get("active") in ("Y", "N") or call.get("cid_description")):
        return CG_NONE(user, gid, area, cid, call.get("active"), call.get("cid_description")) + "\n"
    if not found:
        return CG_EMPTY(user, gid) + "\n"
    if stage == "INFO":
        out = [CG_INFO(gid, area, raw_cid, len(found)) + "\n"]
        out += [
            f"{i}|{e['areacode']}|{e['outbound_cid']}|{e['active'] or 'N'}|{e['cid_description']}|"
            f"{e['call_count_today']}\n"
            for i, e in enumerate(found, 1)
        ]
        return "".join(out)
    if stage == "DELETE":
        st.cid_groups[gid] = [e for e in entries if not matches(e)]
        return CG_DELETED(user, gid, area, cid, len(found)) + "\n"
    for e in found:
        if call.get("active") in ("Y", "N"):
            e["active"] = "Y" if call.get("active") == "Y" else ""
        if call.get("cid_description"):
            e["cid_description"] = call.get("cid_description")
    return CG_UPDATED(user, gid, area, cid, len(found)) + "\n"
