"""Lead updates of the Non-Agent API: update_lead, batch_update_lead, lead_dearchive."""

from __future__ import annotations

from .. import filters as f
from ..core import Call, handles, requires
from ..leadops import (
    BLANK,
    STANDARD_FIELDS,
    callback_time,
    custom_values,
    lead_fields_from,
    new_lead,
    scope_lists,
    search_method,
)
from ..records import Lead
from ..wire import Template, line, lines
from .add import LEAD_WRITE, NA, after_insert, callback_new, group_missing, hopper_priority, notices_of


def _t(fn: str, needle: str, n: int | None = None) -> Template:
    return line(NA, fn, needle, n)


# -- update_lead -----------------------------------------------------------------------------------

_UL = "update_lead"
UL_PERM = _t(_UL, "PERMISSION TO UPDATE LEADS")
UL_NO_METHOD = _t(_UL, "NO VALID SEARCH METHOD")
UL_NA_SEARCH = _t(_UL, "NOT AN ALLOWED LIST ID, SEARCH")
UL_NA_RESULTS = _t(_UL, "NOT AN ALLOWED LIST ID, RESULTS")
UL_NA_INSERT = _t(_UL, "NOT AN ALLOWED LIST ID, INSERT")
UL_NOT_DEFINED = _t(_UL, "NOT A DEFINED LIST ID")
UL_NO_MATCH_E = _t(_UL, "ERROR: update_lead NO MATCHES FOUND")
UL_NO_MATCH_N = _t(_UL, "NOTICE: update_lead NO MATCHES FOUND")
UL_FOUND = _t(_UL, "LEADS FOUND IN THE SYSTEM")
UL_INVALID_INSERT = _t(_UL, "INVALID DATA FOR LEAD INSERTION")
UL_UPDATED = _t(_UL, "LEAD HAS BEEN UPDATED")
UL_DELETED = _t(_UL, "LEAD HAS BEEN DELETED")
UL_ADDED = _t(_UL, "SUCCESS: update_lead LEAD HAS BEEN ADDED")
UL_CF_DELETED = _t(_UL, "CUSTOM FIELDS DATA HAS BEEN DELETED")
UL_CF_UPDATED = _t(_UL, "CUSTOM FIELDS VALUES UPDATED")
UL_CB_UPDATED = _t(_UL, "SCHEDULED CALLBACK UPDATED")
UL_CB_NOFIELDS = _t(_UL, "SCHEDULED CALLBACK NOT UPDATED")
UL_CB_DELETED = _t(_UL, "SCHEDULED CALLBACK DELETED")
UL_H_ALREADY = _t(_UL, "LEAD IS ALREADY IN THE HOPPER")
UL_H_NOTFOUND = _t(_UL, "NOT ADDED TO HOPPER, LEAD NOT FOUND")
UL_H_REMOVED = _t(_UL, "REMOVED FROM HOPPER - ")
UL_H_NOT_REMOVED = _t(_UL, "NOT REMOVED FROM HOPPER - ")
UL_H_NOT_IN = _t(_UL, "LEAD IS NOT IN THE HOPPER")
UL_N = notices_of(_UL)

# update_lead/batch_update_lead: '--BLANK--' empties the text columns (their filters keep '-' and
# letters, so the PHP sees the word); gender, date_of_birth and rank filter it away instead.
_BLANKABLE = (frozenset(STANDARD_FIELDS) - {"gender", "date_of_birth", "rank"}) | {"status", "user"}


def update_fields(call: Call, *, with_phone: bool) -> dict[str, object]:
    """The column changes a lead update request carries (after filters and '--BLANK--')."""
    p = call.params
    changes: dict[str, object] = {}
    for name in STANDARD_FIELDS:
        if name in p and p[name] != "":
            raw = p[name]
            changes[name] = "" if raw == BLANK and name in _BLANKABLE else f.LEAD_FIELD_FILTERS[name](raw)
    for src, col in (("user_field", "user"), ("status", "status")):
        if p.get(src):
            raw = p[src]
            changes[col] = "" if raw == BLANK else f.ident(raw)
    if p.get("list_id_field"):
        changes["list_id"] = int(f.digits(p["list_id_field"]) or 0)
    if p.get("called_count", "") != "":
        changes["called_count"] = int(f.digits(p["called_count"]) or 0)
    if p.get("phone_code"):
        changes["phone_code"] = f.digits(p["phone_code"])
    if p.get("gmt_offset_now"):
        changes["gmt_offset_now"] = f.gmt(p["gmt_offset_now"])
    if p.get("reset_lead") == "Y":
        changes["called_since_last_reset"] = "N"
    if with_phone and p.get("update_phone_number") == "Y" and p.get("phone_number"):
        changes["phone_number"] = f.digits(p["phone_number"])
    if "rank" in changes:
        changes["rank"] = int(str(changes["rank"]) or 0)
    if p.get("entry_list_id") and p.get("custom_fields") != "Y":
        changes["entry_list_id"] = int(f.digits(p["entry_list_id"]) or 0)
    force = f.digits(p.get("force_entry_list_id", ""))
    if len(force) >= 2:
        changes["entry_list_id"] = int(force)
    return changes


def apply_changes(call: Call, lead: Lead, changes: dict[str, object], archived: bool = False) -> int:
    """Write changes; 1 when some column really changed (MySQL's affected rows), else 0."""
    changed = 0
    st = call.state
    for name, value in changes.items():
        if getattr(lead, name) != value:
            changed = 1
            if archived:
                setattr(lead, name, value)
            else:
                st.set_lead_field(lead, name, value)
    if changed:
        lead.modify_date = st.fmt()
    return changed


def _search(
    call: Call, method: str, lead_id: str, vlc: str, phone: str, lists: set[int] | None, archived: bool
) -> list[Lead]:
    st = call.state
    table = st.archived_leads if archived else st.leads
    ids: list[int] = []
    if "LEAD_ID" in method and lead_id:
        ids = [int(lead_id)] if int(lead_id) in table else []
    if not ids and "VENDOR_LEAD_CODE" in method and vlc:
        ids = st.lead_ids_with("vendor_lead_code", vlc, archived=archived)
    if not ids and "PHONE_NUMBER" in method and 6 <= len(phone) <= 18:
        ids = st.lead_ids_with("phone_number", phone, archived=archived)
    found = [table[i] for i in ids]
    if lists is not None:
        found = [x for x in found if x.list_id in lists]
    found.sort(key=lambda x: (x.entry_epoch, x.lead_id), reverse=True)
    return found


@handles(NA, "update_lead")
@requires(UL_PERM, 8, leads=LEAD_WRITE)
def update_lead(call: Call) -> str:
    """update_lead: find leads by lead_id, vendor_lead_code or phone_number and update, delete, reset,
    report or (optionally) insert them; also manages callbacks, hopper entries and custom field data.
    """
    user = call.uname
    st = call.state
    if (err := group_missing(call)) is not None:
        return err
    method = search_method(call, "LEAD_ID")
    lead_id = f.digits(call.get("lead_id"))
    vlc = f.plain(call.get("vendor_lead_code"))
    phone = f.digits(call.get("phone_number"))
    raw_list = f.digits(call.get("list_id"))
    usable = (
        ("LEAD_ID" in method and lead_id)
        or ("VENDOR_LEAD_CODE" in method and vlc)
        or ("PHONE_NUMBER" in method and 6 <= len(phone) <= 18)
    )
    if not usable and call.get("insert_if_not_found") != "Y":
        return UL_NO_METHOD(user, method, lead_id, vlc, phone) + "\n"
    restrict = call.user.api_list_restrict
    lists = scope_lists(call)
    if restrict and lists is not None and not call.allowed_list(int(raw_list)):
        return UL_NA_SEARCH(phone, raw_list) + "\n"
    dest = f.digits(call.get("list_id_field"))
    if dest and "Y" in call.get("list_exists_check").upper() and int(dest) not in st.lists:
        return UL_NOT_DEFINED(phone, dest) + "\n"
    archived = call.yes("archived_lead")
    records = max(1, call.int_or("records", 1))
    found = _search(call, method, lead_id, vlc, phone, lists, archived)[:records] if usable else []
    out: list[str] = []
    if not found:
        if call.get("insert_if_not_found") == "Y":
            out.append(UL_NO_MATCH_N(user, lead_id, vlc, phone))
            return lines(out) + _insert(call, phone, raw_list, dest)
        if call.get("no_update") == "Y":
            return UL_NO_MATCH_N(user, lead_id, vlc, phone) + "\n"
        return UL_NO_MATCH_E(user, lead_id, vlc, phone) + "\n"
    if restrict:
        for lead in found:
            if not call.allowed_list(lead.list_id):
                return UL_NA_RESULTS(lead.list_id) + "\n"
    if call.get("no_update") == "Y":
        for lead in found:
            out.append(UL_FOUND(user, lead.lead_id, vlc, phone, lead.list_id, lead.entry_list_id))
        _hopper_ops(call, found[0], phone, out)
        return lines(out)
    changes = update_fields(call, with_phone=True)
    for i, lead in enumerate(found):
        _update_one(call, lead, changes if i == 0 or not _cf_table(call, lead) else {}, phone, archived, out)
    _hopper_ops(call, found[0], phone, out)
    return lines(out)


def _cf_table(call: Call, lead: Lead) -> bool:
    if call.get("custom_fields") != "Y":
        return False
    lst = call.state.lists.get(_cf_list(call, lead))
    return lst is not None and lst.custom_table


def _cf_list(call: Call, lead: Lead) -> int:
    force = f.digits(call.get("force_entry_list_id"))
    if len(force) >= 2:
        return int(force)
    return lead.entry_list_id if lead.entry_list_id > 99 else lead.list_id


def _update_one(
    call: Call, lead: Lead, changes: dict[str, object], phone: str, archived: bool, out: list[str]
) -> None:
    st = call.state
    user = call.uname
    if call.get("delete_cf_data") == "Y":
        table_list = _cf_list(call, lead)
        had = 1 if lead.custom else 0
        lead.custom.clear()
        lead.entry_list_id = 0
        out.append(UL_CF_DELETED(user, lead.lead_id, table_list, 1, had))
    if call.get("delete_lead") == "Y":
        archived_cbs = st.archive_callbacks(lead.lead_id)
        if archived:
            st.archived_leads.pop(lead.lead_id, None)
        else:
            st.delete_lead(lead.lead_id)
            st.hopper.pop(lead.lead_id, None)
        out.append(UL_DELETED(archived_cbs, archived_cbs, user, lead.lead_id, 1, archived_cbs, archived_cbs))
        return
    if changes:
        affected = apply_changes(call, lead, changes, archived)
        out.append(UL_UPDATED(user, lead.lead_id, affected, "", ""))
    cb = call.get("callback")
    if cb == "Y":
        _callback_update(call, lead, out)
    elif cb == "REMOVE":
        n = st.archive_callbacks(lead.lead_id)
        out.append(UL_CB_DELETED(user, lead.lead_id, n, n))
    if call.get("custom_fields") == "Y":
        table_list = _cf_list(call, lead)
        values = custom_values(call, table_list, only_sent=True)
        if values is None:
            out.append(UL_N["cf_no_table"](phone, lead.lead_id, lead.list_id))
        else:
            affected = 1 if any(lead.custom.get(k) != v for k, v in values.items()) else 0
            lead.custom.update(values)
            out.append(
                UL_CF_UPDATED(phone, lead.lead_id, lead.list_id, lead.entry_list_id, table_list, affected)
            )


def _callback_update(call: Call, lead: Lead, out: list[str]) -> None:
    st = call.state
    existing = [cb for cb in st.lead_callbacks(lead.lead_id) if cb.status in ("ACTIVE", "LIVE")]
    if not existing:
        callback_new(call, UL_N, lead, out)
        return
    cb = existing[0]
    sent = False
    if call.get("callback_datetime"):
        cb.callback_time, sent = callback_time(st, call.get("callback_datetime")), True
    if call.get("callback_status"):
        cb.lead_status, sent = f.ident(call.get("callback_status")), True
    if call.get("callback_type"):
        cb.recipient, sent = ("USERONLY" if call.get("callback_type") == "USERONLY" else "ANYONE"), True
    if call.get("callback_user"):
        cb.user, sent = f.ident(call.get("callback_user")), True
    if call.get("callback_comments"):
        cb.comments, sent = call.get("callback_comments"), True
    if call.get("campaign_id"):
        cb.campaign_id, sent = f.ident(call.get("campaign_id")), True
    if not sent:
        out.append(UL_CB_NOFIELDS(lead.lead_id, ""))
        return
    cb.modify_date = st.fmt()
    out.append(
        UL_CB_UPDATED(lead.lead_id, cb.campaign_id, cb.callback_time, cb.recipient, cb.user, cb.lead_status)
    )


def _hopper_ops(call: Call, lead: Lead, phone: str, out: list[str]) -> None:
    st = call.state
    user = call.uname
    if call.get("remove_from_hopper") == "Y":
        entry = st.hopper.get(lead.lead_id)
        if entry is None:
            out.append(UL_H_NOT_IN(phone, lead.lead_id, user))
        elif entry.status in ("INCALL", "DONE", "HOLD", "DNC"):
            out.append(UL_H_NOT_REMOVED(phone, lead.lead_id, entry.status, user))
        else:
            del st.hopper[lead.lead_id]
            out.append(UL_H_REMOVED(phone, lead.lead_id, entry.status, user))
        return
    if call.get("add_to_hopper") != "Y":
        return
    if lead.lead_id not in st.leads:
        out.append(UL_H_NOTFOUND(phone, lead.lead_id, user))
        return
    if lead.lead_id in st.hopper:
        out.append(UL_H_ALREADY(phone, lead.lead_id, user))
        return
    raw = f.digits(call.get("list_id"))
    camp = st.campaign_of_list(int(raw)) if raw else None
    camp = camp or st.campaign_of_list(lead.list_id)
    if camp is None:
        out.append(UL_N["hopper_not"](phone, lead.lead_id, "", user))
        return
    entry = st.add_hopper(lead, camp, hopper_priority(call))
    out.append(UL_N["hopper_added"](phone, lead.lead_id, entry.hopper_id, user))


def _insert(call: Call, phone: str, raw_list: str, dest: str) -> str:
    user = call.uname
    list_raw = dest or raw_list
    phone_code = f.digits(call.get("phone_code"))
    if not (6 <= len(phone) <= 18) or not phone_code or len(list_raw) < 3:
        return UL_INVALID_INSERT(user, phone, phone_code, list_raw, "Y") + "\n"
    list_id = int(list_raw)
    if call.user.api_list_restrict and not call.allowed_list(list_id):
        return UL_NA_INSERT(phone, list_id) + "\n"
    fields = lead_fields_from(call)
    changes = update_fields(call, with_phone=False)
    status = str(changes.get("status") or "NEW")
    lead = new_lead(
        call,
        phone=phone,
        phone_code=phone_code,
        list_id=list_id,
        fields=fields,
        status=status,
        tz_method=call.get("tz_method"),
    )
    for key in ("called_count", "user"):
        if key in changes:
            setattr(lead, key, changes[key])
    out = [UL_ADDED(phone, list_id, lead.lead_id, lead.gmt_offset_now, user)]
    after_insert(call, _UL, UL_N, lead, phone, out)
    return lines(out)


# -- batch_update_lead ----------------------------------------------------------------------------

_BU = "batch_update_lead"
BU_PERM = _t(_BU, "PERMISSION TO UPDATE LEADS")
BU_NO_LEADS = _t(_BU, "NO LEADS DEFINED")
BU_NOT_ALLOWED = _t(_BU, "NOT AN ALLOWED LIST ID")
BU_NOT_DEFINED = _t(_BU, "NOT A DEFINED LIST ID")
BU_NO_MATCH = _t(_BU, "NO MATCHES FOUND")
BU_DONE = _t(_BU, "LEADS HAVE BEEN UPDATED")


@handles(NA, "batch_update_lead")
@requires(BU_PERM, 8, leads=LEAD_WRITE)
def batch_update_lead(call: Call) -> str:
    """batch_update_lead: apply one set of field values to a comma-separated list of lead_ids in a single
    UPDATE.
    """
    user = call.uname
    st = call.state
    if (err := group_missing(call)) is not None:
        return err
    ids_text = f.digits_commas(call.get("lead_ids"))
    ids = [int(x) for x in ids_text.split(",") if x]
    if not ids:
        return BU_NO_LEADS(user, ids_text) + "\n"
    dest = f.digits(call.get("list_id_field"))
    if dest and call.user.api_list_restrict and not call.allowed_list(int(dest)):
        return BU_NOT_ALLOWED(user, dest) + "\n"
    if dest and "Y" in call.get("list_exists_check").upper() and int(dest) not in st.lists:
        return BU_NOT_DEFINED(user, dest) + "\n"
    archived = call.yes("archived_lead")
    table = call.lead_table()
    records = call.int_or("records", 1000)
    found = sorted((table[i] for i in set(ids) if i in table), key=lambda x: x.lead_id, reverse=True)
    if call.user.api_list_restrict:
        found = [x for x in found if call.allowed_list(x.list_id)]
    found = found[:records]
    if not found:
        return BU_NO_MATCH(user, ids_text) + "\n"
    changes = update_fields(call, with_phone=False)
    changes.pop("entry_list_id", None)
    if not changes:
        return ""
    affected = sum(apply_changes(call, lead, changes, archived) for lead in found)
    return BU_DONE(user, affected, len(found), ",".join(str(x.lead_id) for x in found)) + "\n"


# -- lead_dearchive ---------------------------------------------------------------------------------

_LD = "lead_dearchive"
LD_PERM = _t(_LD, "PERMISSION")
LD_INVALID = _t(_LD, "INVALID SEARCH PARAMETERS")
LD_NOT_FOUND = _t(_LD, "ARCHIVED LEAD NOT FOUND")
LD_LIVE = _t(_LD, "NON-ARCHIVED LEAD FOUND")
LD_DONE = _t(_LD, "LEAD DE-ARCHIVED")


@handles(NA, "lead_dearchive")
@requires(LD_PERM, 8, leads=(1,))
def lead_dearchive(call: Call) -> str:
    """lead_dearchive: moves a lead from vicidial_list_archive back into vicidial_list."""
    user = call.uname
    st = call.state
    raw = f.digits(call.get("lead_id"))
    if not 1 <= len(raw) <= 11:
        return LD_INVALID(user, raw) + "\n"
    lead_id = int(raw)
    lead = st.archived_leads.get(lead_id)
    if lead is None:
        return LD_NOT_FOUND(user, lead_id, call.get("stage"), call.get("search_location")) + "\n"
    if lead_id in st.leads:
        return LD_LIVE(user, lead_id, lead.list_id) + "\n"
    camp = st.campaign_of_list(lead.list_id)
    if camp is None or not call.allowed_campaign(camp):
        return LD_NOT_FOUND(user, lead_id, call.get("stage"), call.get("search_location")) + "\n"
    del st.archived_leads[lead_id]
    st.insert_lead(lead)
    return LD_DONE(user, lead_id, 1, 1) + "\n"
