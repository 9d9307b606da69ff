"""List functions of the Non-Agent API: add_list, update_list (with custom field definitions),
list_info, list_custom_fields."""

from __future__ import annotations

import re
from collections.abc import Container

from .. import filters as f
from ..core import Call, function_denied, handles, requires
from ..leads.add import group_missing
from ..records import CustomField, LeadList
from ..wire import BLANK, Setting, line, lines, read_settings, set_sent, table

NA = "non_agent"
_TZ = ("COUNTRY_AND_AREA_CODE", "POSTAL_CODE", "NANPA_PREFIX", "OWNER_TIME_ZONE_CODE")
_LIST_NAME = f.allow(r"A-Za-z0-9 \-+.:/@?&_", "list_name: letters, digits, space and - + . : / @ ? & _")
_RESET_TIME = re.compile(r"[^0-9\-_]")


AL_PERM = line(NA, "add_list", "PERMISSION TO ADD LISTS")
AL_REQUIRED = line(NA, "add_list", "REQUIRED FIELDS")
AL_CAMP = line(NA, "add_list", "CAMPAIGN DOES NOT EXIST")
AL_EXISTS = line(NA, "add_list", "LIST ALREADY EXISTS")
AL_SCRIPT = line(NA, "add_list", "SCRIPT DOES NOT EXIST")
AL_INGROUP = line(NA, "add_list", "IN-GROUP DOES NOT EXIST")
AL_RESET = line(NA, "add_list", "RESET TIME IS NOT VALID")
AL_COPY_MISSING = line(NA, "add_list", "COPY FROM DOES NOT EXIST")
AL_COPY_EMPTY = line(NA, "add_list", "COPY FROM HAS NO CUSTOM FIELDS")
AL_COPY_PERM = line(NA, "add_list", "PERMISSION TO MODIFY CUSTOM FIELDS")
AL_TZ = line(NA, "add_list", "TIME ZONE METHOD")
AL_CALL_TIME = line(NA, "add_list", "LOCAL CALL TIME")
AL_OK = line(NA, "add_list", "SUCCESS")


@handles(NA, "add_list")
@requires(AL_PERM, 8, "modify_lists")
def add_list(call: Call) -> str:
    """add_list: create a new list attached to a campaign, optionally copying custom field definitions from
    another list.
    """
    st = call.state
    user = call.uname
    list_raw = f.digits(call.get("list_id"))
    name = _LIST_NAME(call.get("list_name"))
    camp = f.ident(call.get("campaign_id"))
    if not 2 <= len(list_raw) <= 14 or not 2 <= len(name) <= 30 or not 1 <= len(camp) <= 8:
        return AL_REQUIRED(user, list_raw, name, camp) + "\n"
    if camp not in st.campaigns or not call.allowed_campaign(camp):
        return AL_CAMP(user, camp) + "\n"
    list_id = int(list_raw)
    if list_id in st.lists:
        return AL_EXISTS(user, list_id) + "\n"
    script = f.ident(call.get("script"))
    if script and script not in st.scripts:
        return AL_SCRIPT(user, script) + "\n"
    drop = f.ident(call.get("drop_inbound_group"))
    if drop and drop not in st.in_groups:
        return AL_INGROUP(user, drop) + "\n"
    reset = _RESET_TIME.sub("", call.get("reset_time"))
    if call.get("reset_time") and len(reset) < 4:
        return AL_RESET(user, reset) + "\n"
    copy = f.digits(call.get("custom_fields_copy"))
    if copy:
        src = st.lists.get(int(copy))
        if src is None:
            return AL_COPY_MISSING(user, list_id, copy, 0) + "\n"
        if not src.custom_fields:
            return AL_COPY_EMPTY(user, list_id, copy, 0) + "\n"
        if call.user.custom_fields_modify != 1:
            return AL_COPY_PERM(user, list_id, copy, 0) + "\n"
    tz = call.get("tz_method") or "COUNTRY_AND_AREA_CODE"
    if tz not in _TZ:
        return AL_TZ(user, tz) + "\n"
    call_time = f.ident(call.get("local_call_time")) or "campaign"
    if call_time != "campaign" and call_time not in st.call_times:
        return AL_CALL_TIME(user, call_time) + "\n"
    expiration = f.date(call.get("expiration_date"))
    lst = LeadList(
        list_id=list_id,
        list_name=name,
        campaign_id=camp,
        active="Y" if call.get("active") == "Y" else "N",
        list_description=call.get("list_description"),
        list_changedate=st.fmt(),
        expiration_date=expiration if len(expiration) >= 10 else "2099-12-31",
        reset_time=reset,
        local_call_time=call_time,
        time_zone_setting=tz,
        campaign_cid_override=f.digits(call.get("outbound_cid")),
        script=script,
        am_message=call.get("am_message"),
        drop_inbound_group=drop,
    )
    if copy:
        src = st.lists[int(copy)]
        lst.custom_fields = {k: _copy_field(v) for k, v in src.custom_fields.items()}
        lst.custom_table = True
    st.lists[list_id] = lst
    return AL_OK(user, list_id, name, camp) + "\n"


def _copy_field(fl: CustomField) -> CustomField:
    import attrs

    return attrs.evolve(fl)


UL_PERM = line(NA, "update_list", "PERMISSION TO UPDATE LISTS")
UL_REQUIRED = line(NA, "update_list", "REQUIRED FIELDS")
UL_NOT_ALLOWED = line(NA, "update_list", "NOT AN ALLOWED LIST ID")
UL_MISSING = line(NA, "update_list", "ERROR: update_list LIST DOES NOT EXIST")
UL_TO_ADD = line(NA, "update_list", "SENDING TO add_list")
UL_CAMP = line(NA, "update_list", "CAMPAIGN DOES NOT EXIST")
UL_NAME = line(NA, "update_list", "LIST NAME MUST BE")
UL_ACTIVE = line(NA, "update_list", "ACTIVE MUST BE")
UL_CID = line(NA, "update_list", "OUTBOUND CID MUST BE")
UL_TZ = line(NA, "update_list", "TIME ZONE METHOD")
UL_CALL_TIME = line(NA, "update_list", "LOCAL CALL TIME")
UL_NONE = line(NA, "update_list", "NO UPDATES DEFINED")
UL_OK = line(NA, "update_list", "SUCCESS")
UL_RESET = line(NA, "update_list", "LEADS IN LIST HAVE BEEN RESET")
UL_RESET_LIMIT = line(NA, "update_list", "daily reset limit reached")
UL_DEL_PERM = line(NA, "update_list", "PERMISSION TO DELETE LISTS")
UL_DELETED = line(NA, "update_list", "LIST HAS BEEN DELETED")
UL_DEL_LEADS_PERM = line(NA, "update_list", "PERMISSION TO DELETE LEADS")
UL_LEADS_DELETED = line(NA, "update_list", "LEADS IN LIST HAVE BEEN DELETED")
UL_CF_PERM = line(NA, "update_list", "PERMISSION TO MODIFY CUSTOM FIELDS")
UL_CF_ADD_MISSING = line(NA, "update_list", "FIELD NOT ADDED")
UL_CF_ADDED = line(NA, "update_list", "ADD CUSTOM FIELD COMMAND SENT")
UL_CF_UPD_MISSING = line(NA, "update_list", "VARIABLES ARE MISSING, FIELD NOT UPDATED")
UL_CF_UPD_NOFIELD = line(NA, "update_list", "FIELD DOES NOT EXIST, FIELD NOT UPDATED")
UL_CF_UPDATED = line(NA, "update_list", "UPDATE CUSTOM FIELD COMMAND SENT")
UL_CF_DEL_MISSING = line(NA, "update_list", "VARIABLES ARE MISSING, FIELD NOT DELETED")
UL_CF_DEL_NOFIELD = line(NA, "update_list", "FIELD DOES NOT EXIST, FIELD NOT DELETED")
UL_CF_DELETED = line(NA, "update_list", "DELETE CUSTOM FIELD COMMAND SENT")
UL_COPY_SENT = line(NA, "update_list", "COPY CUSTOM FIELDS COMMAND SENT")
UL_COPY_MISSING = line(NA, "update_list", "COPY FROM DOES NOT EXIST")
UL_COPY_EMPTY = line(NA, "update_list", "COPY FROM HAS NO CUSTOM FIELDS")


def _settings(call_times: Container[str]) -> tuple[Setting, ...]:
    """update_list's checked settings after campaign_id, in the PHP's order."""
    return (
        Setting("list_name", UL_NAME, lambda v: 6 <= len(v) <= 30, store=_LIST_NAME),
        Setting("active", UL_ACTIVE, lambda v: v in ("Y", "N")),
        Setting(
            "outbound_cid",
            UL_CID,
            lambda v: 6 <= len(v) <= 18,
            column="campaign_cid_override",
            clean=f.digits,
        ),
        Setting("tz_method", UL_TZ, lambda v: v in _TZ, column="time_zone_setting"),
        Setting("local_call_time", UL_CALL_TIME, lambda v: v == "campaign" or v in call_times, clean=f.ident),
    )


@handles(NA, "update_list")
@requires(UL_PERM, 8, "modify_lists")
def update_list(call: Call) -> str:
    """update_list: change list settings, reset/delete the list or its leads, and add/update/delete/copy
    custom field definitions; can hand off to add_list when the list is missing.
    """
    st = call.state
    user = call.uname
    if (err := group_missing(call)) is not None:
        return err
    list_raw = f.digits(call.get("list_id"))
    if not 2 <= len(list_raw) <= 14:
        return UL_REQUIRED(user, list_raw, call.get("list_name"), call.get("campaign_id")) + "\n"
    list_id = int(list_raw)
    lst = st.lists.get(list_id)
    cf_actions = any(
        call.get(k) == "Y" for k in ("custom_fields_add", "custom_fields_update", "custom_fields_delete")
    ) or call.get("custom_fields_copy")
    if lst is None:
        if call.get("insert_if_not_found") == "Y" and not cf_actions:
            return UL_TO_ADD(user, list_id) + "\n" + _as_add_list(call)
        return UL_MISSING(user, list_id) + "\n"
    if not call.may_use_list(lst):
        return UL_NOT_ALLOWED(list_id) + "\n"
    out: list[str] = []
    if cf_actions and call.get("custom_fields_copy") == "":
        if call.user.custom_fields_modify != 1:
            out.append(UL_CF_PERM(user, list_id, "", 0))
        else:
            _custom_field_ops(call, lst, out)
    p = call.params
    changes: dict[str, object] = {}
    camp = f.ident(p.get("campaign_id", ""))
    if camp:
        if camp not in st.campaigns:
            return lines(out) + UL_CAMP(user, camp) + "\n"
        changes["campaign_id"] = camp
    sent, err = read_settings(p, user, _settings(st.call_times))
    if err is not None:
        return lines(out) + err
    changes.update(sent)
    if p.get("list_description"):
        changes["list_description"] = "" if p["list_description"] == BLANK else p["list_description"]
    if p.get("reset_time"):
        changes["reset_time"] = _RESET_TIME.sub("", p["reset_time"])
    if len(p.get("expiration_date", "")) >= 10:
        changes["expiration_date"] = f.date(p["expiration_date"])
    if changes:
        old_camp = lst.campaign_id
        for k, v in changes.items():
            setattr(lst, k, v)
        lst.list_changedate = st.fmt()
        if "campaign_id" in changes and changes["campaign_id"] != old_camp:
            for lead_id in list(st.by_list.get(list_id, ())):
                h = st.hopper.get(lead_id)
                if h is not None and h.campaign_id == old_camp:
                    del st.hopper[lead_id]
        out.append(UL_OK(user, list_id))
    else:
        out.append(UL_NONE(user, ""))
    _list_actions(call, lst, out)
    return lines(out)


def _list_actions(call: Call, lst: LeadList, out: list[str]) -> None:
    st = call.state
    user = call.uname
    list_id = lst.list_id
    if call.get("reset_list") == "Y":
        if 0 <= lst.daily_reset_limit <= lst.resets_today:
            out.append(UL_RESET_LIMIT(lst.resets_today, lst.daily_reset_limit, user, list_id))
        else:
            n = 0
            for lead_id in st.by_list.get(list_id, ()):
                lead = st.leads[lead_id]
                if lead.called_since_last_reset != "N":
                    lead.called_since_last_reset = "N"
                    n += 1
            lst.resets_today += 1
            out.append(UL_RESET(user, list_id, n))
    if call.get("delete_list") == "Y":
        if call.user.delete_lists != 1:
            out.append(UL_DEL_PERM.denied(user))
        else:
            del st.lists[list_id]
            out.append(UL_DELETED(user, list_id, 1))
    if call.get("delete_leads") == "Y":
        if call.user.delete_lists != 1 or call.user.modify_leads not in (1, 2, 3, 4):
            out.append(UL_DEL_LEADS_PERM.denied(user))
        else:
            ids = list(st.by_list.get(list_id, ()))
            for lead_id in ids:
                st.delete_lead(lead_id)
                st.hopper.pop(lead_id, None)
            out.append(UL_LEADS_DELETED(user, list_id, len(ids)))
    copy = f.digits(call.get("custom_fields_copy"))
    if copy:
        src = st.lists.get(int(copy))
        method = (
            call.get("custom_copy_method")
            if call.get("custom_copy_method") in ("APPEND", "UPDATE", "REPLACE")
            else "APPEND"
        )
        if src is None:
            out.append(UL_COPY_MISSING(user, list_id, copy, 0))
        elif not src.custom_fields:
            out.append(UL_COPY_EMPTY(user, list_id, copy, 0))
        else:
            if method == "REPLACE":
                lst.custom_fields = {}
            for label, fl in src.custom_fields.items():
                if method == "APPEND" and label in lst.custom_fields:
                    continue
                if method == "UPDATE" and label not in lst.custom_fields:
                    continue
                lst.custom_fields[label] = _copy_field(fl)
            lst.custom_table = True
            out.append(UL_COPY_SENT(user, list_id, copy, method, "SUCCESS: Fields copied"))


# update_list's custom field settings copied as sent (the numeric ones are filtered to digits).
_FIELD_TEXT = {
    k: k
    for k in (
        "field_name",
        "field_type",
        "field_default",
        "field_options",
        "field_description",
        "field_help",
        "field_required",
    )
}


def _custom_field_ops(call: Call, lst: LeadList, out: list[str]) -> None:
    st = call.state
    user = call.uname
    p = call.params
    label = f.word(p.get("field_label", ""))
    if call.get("custom_fields_add") == "Y":
        need = [p.get(k, "") for k in ("field_name", "field_size", "field_type", "field_rank")]
        if not label or not all(need):
            out.append(UL_CF_ADD_MISSING(user, lst.list_id, label, *need))
        else:
            fl = CustomField(
                field_label=label,
                field_name=p["field_name"],
                field_type=p["field_type"],
                field_size=int(f.digits(p["field_size"]) or 0),
                field_rank=int(f.digits(p["field_rank"]) or 0),
                field_order=int(f.digits(p.get("field_order", "1")) or 1),
                field_max=int(f.digits(p.get("field_max", "")) or 100),
                field_default=p.get("field_default", ""),
                field_options=p.get("field_options", ""),
                field_required=p.get("field_required", "N"),
                field_id=st.misc_id(),
            )
            exists = label in lst.custom_fields
            if not exists:
                lst.custom_fields[label] = fl
                lst.custom_table = True
            result = "ERROR: Field not added" if exists else "SUCCESS: Field added"
            out.append(UL_CF_ADDED(user, lst.list_id, label, fl.field_type, result))
    if call.get("custom_fields_update") == "Y":
        if not label:
            out.append(UL_CF_UPD_MISSING(user, lst.list_id, label))
        elif label not in lst.custom_fields:
            out.append(
                UL_CF_UPD_NOFIELD(
                    user,
                    lst.list_id,
                    label,
                    p.get("field_name", ""),
                    p.get("field_size", ""),
                    p.get("field_type", ""),
                    p.get("field_rank", ""),
                )
            )
        else:
            fl = lst.custom_fields[label]
            set_sent(p, fl, _FIELD_TEXT)
            for key in ("field_size", "field_rank", "field_order", "field_max"):
                if f.digits(p.get(key, "")):
                    setattr(fl, key, int(f.digits(p[key])))
            out.append(UL_CF_UPDATED(user, lst.list_id, label, fl.field_type, "SUCCESS: Field updated"))
    if call.get("custom_fields_delete") == "Y":
        if not label:
            out.append(UL_CF_DEL_MISSING(user, lst.list_id, label))
        elif label not in lst.custom_fields:
            out.append(UL_CF_DEL_NOFIELD(user, lst.list_id, label))
        else:
            fl = lst.custom_fields.pop(label)
            for lead_id in st.by_list.get(lst.list_id, ()):
                st.leads[lead_id].custom.pop(label, None)
            out.append(UL_CF_DELETED(user, lst.list_id, label, fl.field_id, "SUCCESS: Field deleted"))


def _as_add_list(call: Call) -> str:
    # add_list's own allowed-function check applies on this path.
    if (denied := function_denied(call.user, "add_list")) is not None:
        return denied
    result = add_list(call)
    return result if isinstance(result, str) else result.body


LI_PERM = line(NA, "list_info", "PERMISSION")
LI_REQUIRED = line(NA, "list_info", "REQUIRED FIELDS")
LI_NOT_ALLOWED = line(NA, "list_info", "NOT AN ALLOWED LIST ID")
LI_MISSING = line(NA, "list_info", "LIST DOES NOT EXIST")


@handles(NA, "list_info")
@requires(LI_PERM, 8, "modify_lists")
def list_info(call: Call) -> str:
    """list_info: return one delimited row of summary data for a list, optionally with lead counts and a
    dialable count.
    """
    st = call.state
    user = call.uname
    if (err := group_missing(call)) is not None:
        return err
    raw = f.ident(call.get("list_id"))
    if not 2 <= len(raw) <= 14:
        return LI_REQUIRED(user, raw, "", "") + "\n"
    lst = st.lists.get(int(raw)) if raw.isdigit() else None
    if lst is None:
        return LI_MISSING(user, raw) + "\n"
    if not call.may_use_list(lst):
        return LI_NOT_ALLOWED(raw) + "\n"
    counts = call.get("leads_counts") == "Y"
    dialable = call.get("dialable_count") == "Y"
    cols = [
        "list_id",
        "list_name",
        "campaign_id",
        "active",
        "list_changedate",
        "list_lastcalldate",
        "expiration_date",
        "resets_today",
    ]
    row: list[object] = [
        lst.list_id,
        lst.list_name,
        lst.campaign_id,
        lst.active,
        lst.list_changedate,
        lst.list_lastcalldate,
        lst.expiration_date,
        lst.resets_today,
    ]
    table_ = call.lead_table()
    ids = (
        [x.lead_id for x in table_.values() if x.list_id == lst.list_id]
        if table_ is st.archived_leads
        else list(st.by_list.get(lst.list_id, ()))
    )
    if counts:
        cols += ["all_leads_count", "new_leads_count"]
        row += [len(ids), sum(1 for i in ids if table_[i].status == "NEW")]
    camp = st.campaigns.get(lst.campaign_id)
    statuses = set(camp.dial_statuses) if camp else set()
    if dialable:
        cols.append("dialable_count")
        row.append(
            sum(1 for i in ids if table_[i].status in statuses and table_[i].called_since_last_reset == "N")
        )
    else:
        row.append("")
    return table(cols, [row], call.params)


LC_DISABLED = line(NA, "list_custom_fields", "NOT ENABLED")
LC_PERM = line(NA, "list_custom_fields", "PERMISSION")
LC_REQUIRED = line(NA, "list_custom_fields", "REQUIRED FIELDS")
LC_NOT_ALLOWED = line(NA, "list_custom_fields", "NOT AN ALLOWED LIST ID")
LC_MISSING = line(NA, "list_custom_fields", "LIST DOES NOT EXIST")


@handles(NA, "list_custom_fields")
def list_custom_fields(call: Call) -> str:
    """list_custom_fields: return, per list, the custom field column names stored for that list (or for all
    lists).
    """
    st = call.state
    user = call.uname
    if st.settings.get("custom_fields_enabled") != "1":
        return LC_DISABLED(user, call.function) + "\n"
    if not call.permits(8, "modify_lists"):
        return LC_PERM.denied(user) + "\n"
    if (err := group_missing(call)) is not None:
        return err
    raw = call.get("list_id")
    if raw == "---ALL---":
        lists = [lst for _, lst in sorted(st.lists.items()) if call.may_use_list(lst)]
    else:
        digits = f.digits(raw)
        if not 2 <= len(digits) <= 14:
            return LC_REQUIRED(user, digits, "", "") + "\n"
        lst0 = st.lists.get(int(digits))
        if lst0 is None:
            return LC_MISSING(user, digits) + "\n"
        if not call.allowed_campaign(lst0.campaign_id):
            return LC_NOT_ALLOWED(digits) + "\n"
        lists = [lst0]
    order = call.get("custom_order")
    rows = []
    for lst in lists:
        labels = [
            fl.field_label for fl in lst.custom_fields.values() if fl.field_type not in ("DISPLAY", "SCRIPT")
        ]
        if order == "alpha_up":
            labels.sort()
        elif order == "alpha_down":
            labels.sort(reverse=True)
        rows.append(
            [
                lst.list_id,
                lst.list_name,
                lst.campaign_id,
                lst.active,
                lst.list_changedate,
                lst.list_lastcalldate,
                " ".join(labels),
            ]
        )
    cols = (
        "list_id",
        "list_name",
        "campaign_id",
        "active",
        "list_changedate",
        "list_lastcalldate",
        "custom_fields_list_space_delimited",
    )
    return table(cols, rows, call.params)
