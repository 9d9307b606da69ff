"""Lead reads of the Non-Agent API: lead_search, lead_all_info, lead_field_info,
lead_status_search, lead_callback_info, check_phone_number."""

from __future__ import annotations

from .. import filters as f
from ..core import Call, handles, requires
from ..leadops import scope_lists, search_method
from ..records import LEAD_COLUMNS, Callback, Lead
from ..tz import gmt_for
from ..wire import DELIMS, columns, line, table
from .add import dnc_checks, group_missing, phone_checks

NA = "non_agent"

# -- lead_search ----------------------------------------------------------------------------------

LS_PERM = line(NA, "lead_search", "PERMISSION")
LS_NO_METHOD = line(NA, "lead_search", "NO VALID SEARCH METHOD")
LS_NOT_ALLOWED = line(NA, "lead_search", "NOT AN ALLOWED LIST ID")
LS_NO_MATCH = line(NA, "lead_search", "NO MATCHES FOUND")


@handles(NA, "lead_search")
@requires(LS_PERM, 8, leads=range(1, 6))
def lead_search(call: Call) -> str:
    """lead_search: finds lead ids by phone number (or vendor lead code / lead id), reporting matches per
    search key.
    """
    user = call.uname
    st = call.state
    if (err := group_missing(call)) is not None:
        return err
    method = search_method(call, "PHONE_NUMBER")
    raw_phone = call.get("phone_number")
    phones = [p for p in f.digits_commas(raw_phone).split(",") if 6 <= len(p) <= 18]
    vlcs = [v for v in f.plain(call.get("vendor_lead_code")).split(",") if v]
    lead_id = f.digits(call.get("lead_id"))
    lead_ids = [int(x) for x in f.digits_commas(call.get("lead_ids")).split(",") if x]
    use_id = "LEAD_ID" in method and bool(lead_id)
    use_vlc = "VENDOR_LEAD_CODE" in method and bool(vlcs)
    use_phone = "PHONE_NUMBER" in method and bool(phones)
    if not (use_id or use_vlc or use_phone):
        return (
            LS_NO_METHOD(
                user, method, f"{lead_id}(0)", f"{call.get('vendor_lead_code')}(0)", f"{raw_phone}(0)"
            )
            + "\n"
        )
    raw_list = f.digits(call.get("list_id"))
    if call.user.api_list_restrict and raw_list and not call.allowed_list(int(raw_list)):
        return LS_NOT_ALLOWED(raw_phone, raw_list) + "\n"
    lists = scope_lists(call)
    records = call.int_or("records", 1000)
    archived = call.yes("archived_lead")
    table = call.lead_table()

    def keep(ids: list[int]) -> list[int]:
        out = [
            i
            for i in ids
            if (lists is None or table[i].list_id in lists)
            and (not call.user.api_list_restrict or call.allowed_list(table[i].list_id))
        ]
        return sorted(out, reverse=True)[:records]

    rows: list[tuple[str, int, str]] = []
    total = 0
    if use_id:
        total = len(keep([i for i in lead_ids if i in table]))
    # The first search key kind that finds a lead answers, one row per key.
    for column, use, keys in (("vendor_lead_code", use_vlc, vlcs), ("phone_number", use_phone, phones)):
        if total or not use:
            continue
        rows = []
        for key in keys:
            ids = keep(st.lead_ids_with(column, key, archived=archived))
            rows.append((key, len(ids), "-".join(map(str, ids))))
            total += len(ids)
    if not total:
        return LS_NO_MATCH(user, call.get("lead_id"), call.get("vendor_lead_code"), raw_phone) + "\n"
    head = "search_keyrecords_foundlead_ids\n" if call.get("header") == "YES" else ""
    if use_id and not rows:
        return head
    return head + "".join(f"{k}|{n}|{ids}\n" for k, n, ids in rows)


# -- lead_all_info ------------------------------------------------------------------------------------

LA_PERM = line(NA, "lead_all_info", "PERMISSION")
LA_NOT_FOUND = line(NA, "lead_all_info", "LEAD NOT FOUND")
LA_LIST_3 = line(NA, "lead_all_info", "LIST NOT FOUND", 3)
LA_LIST_4 = line(NA, "lead_all_info", "LIST NOT FOUND", 4)
ALL_INFO_COLUMNS = (
    *tuple(
        c
        for c in LEAD_COLUMNS
        if c not in ("lead_id", "entry_date", "modify_date", "called_since_last_reset", "entry_list_id")
    ),
    "entry_list_id",
    "lead_id",
)


def custom_labels(call: Call, list_id: int) -> list[str]:
    """The list's custom field labels shown by lead_all_info, in rank/order order."""
    lst = call.state.lists.get(list_id)
    if lst is None or not lst.custom_table:
        return []
    fields = [
        fl
        for fl in lst.custom_fields.values()
        if fl.field_type not in ("DISPLAY", "SCRIPT", "SWITCH", "BUTTON")
    ]
    fields.sort(key=lambda fl: (fl.field_rank, fl.field_order))
    return [fl.field_label for fl in fields]


@handles(NA, "lead_all_info")
@requires(LA_PERM, 7, "view_reports", leads=range(1, 6))
def lead_all_info(call: Call) -> str:
    """lead_all_info: returns all standard fields (and optionally custom fields) of a lead, or of leads
    matching a phone number.
    """
    user = call.uname
    st = call.state
    u = call.user
    lead_id = f.digits(call.get("lead_id"))
    phone = f.digits(call.get("phone_number"))
    table = call.lead_table()
    if lead_id:
        leads = [table[int(lead_id)]] if int(lead_id) in table else []
    elif phone:
        ids = st.lead_ids_with("phone_number", phone, archived=call.yes("archived_lead"))
        leads = [table[i] for i in sorted(ids, reverse=True)[:1000]]
    else:
        leads = []
    if not leads:
        return LA_NOT_FOUND(user, lead_id, phone) + "\n"
    stage = call.get("stage")
    delim = DELIMS.get(stage, "|") if stage in ("pipe", "csv", "tab", "newline") else "|"
    header = call.get("header") == "YES"
    with_custom = call.get("custom_fields") == "Y"
    force = f.digits(call.get("force_entry_list_id"))
    out: list[str] = []
    shown = 0
    for lead in leads:
        if (u.api_list_restrict and not call.allowed_list(lead.list_id)) or (
            not call.allowed_campaign(st.campaign_of_list(lead.list_id) or "")
        ):
            out.append(LA_LIST_3(user, lead.lead_id, phone) + "\n")
            continue
        cols = list(ALL_INFO_COLUMNS)
        values = [str(getattr(lead, c)) for c in ALL_INFO_COLUMNS]
        if with_custom:
            clist = int(force) if force else (lead.entry_list_id if lead.entry_list_id > 99 else lead.list_id)
            labels = custom_labels(call, clist)
            cols += labels
            values += [lead.custom.get(lab, "") for lab in labels]
        if header:
            out.append(delim.join(cols) + "\n")
        out.append(delim.join(values) + "\n")
        shown += 1
    if not shown:
        out.append(LA_LIST_4(user, lead_id, phone, leads[-1].list_id) + "\n")
    return "".join(out)


# -- lead_field_info ----------------------------------------------------------------------------------

LF_PERM = line(NA, "lead_field_info", "PERMISSION")
LF_INVALID = line(NA, "lead_field_info", "INVALID SEARCH PARAMETERS")
LF_NOT_FOUND = line(NA, "lead_field_info", "LEAD NOT FOUND")
LF_LIST = line(NA, "lead_field_info", "LIST NOT FOUND")
LF_FIELD = line(NA, "lead_field_info", "LIST FIELD NOT FOUND")


@handles(NA, "lead_field_info")
@requires(LF_PERM, 7, leads=range(1, 5))
def lead_field_info(call: Call) -> str:
    """lead_field_info: returns the raw value of one standard or custom field of a lead."""
    user = call.uname
    st = call.state
    lead_id = f.digits(call.get("lead_id"))
    field = f.ident(call.get("field_name"))
    if not lead_id or not field:
        return LF_INVALID(user, lead_id, field) + "\n"
    lead = call.lead_table().get(int(lead_id))
    if lead is None:
        return LF_NOT_FOUND(user, lead_id) + "\n"
    camp = st.campaign_of_list(lead.list_id)
    if camp is None or not call.allowed_campaign(camp):
        return LF_LIST(user, lead_id, lead.list_id) + "\n"
    if call.get("custom_fields") == "Y":
        override = f.ident(call.get("list_id"))
        clist = (
            int(override)
            if len(override) >= 2 and override.isdigit()
            else (lead.entry_list_id if lead.entry_list_id > 99 else lead.list_id)
        )
        lst = st.lists.get(clist)
        if lst is None or not lst.custom_table:
            return LF_LIST(user, lead_id, lead.list_id) + "\n"
        if field not in lst.custom_fields:
            return LF_FIELD(user, lead_id) + "\n"
        return lead.custom.get(field, "")
    if field not in LEAD_COLUMNS:
        return LF_FIELD(user, lead_id) + "\n"
    return str(getattr(lead, field))


# -- lead_status_search --------------------------------------------------------------------------------

SS_PERM = line(NA, "lead_status_search", "PERMISSION")
SS_INVALID = line(NA, "lead_status_search", "INVALID SEARCH PARAMETERS")
SS_NONE = line(NA, "lead_status_search", "NO RESULTS FOUND")
STATUS_SEARCH_COLUMNS = columns(NA, "lead_status_search")


def record_lines(call: Call, leads: list[Lead]) -> str:
    """lead_status_search's ';--- START OF RECORD n ---' blocks of 'key => value' lines."""
    out: list[str] = []
    with_custom = call.get("custom_fields") == "Y"
    for n, lead in enumerate(leads, 1):
        out.append(f";---------- START OF RECORD {n} ----------\n")
        out.extend(f"{c} => {getattr(lead, c)}\n" for c in STATUS_SEARCH_COLUMNS)
        if with_custom:
            for label, value in lead.custom.items():
                out.append(f"{label} => {value.replace(chr(9), ' -- ').replace(chr(10), '!N')}\n")
    return "".join(out)


@handles(NA, "lead_status_search")
@requires(SS_PERM, 7, leads=range(1, 5))
def lead_status_search(call: Call) -> str:
    """lead_status_search: dumps all fields of leads whose calls on a date had a given status (or of one
    lead id).
    """
    user = call.uname
    st = call.state
    u = call.user
    status = f.ident(call.get("status"))
    date = f.date(call.get("date"))
    lead_id = f.digits(call.get("lead_id"))
    table = call.lead_table()
    if status and len(date) == 10:
        ids: list[int] = []
        for row in st.call_log:
            if row["status"] == status and row["call_date"][:10] == date and row["lead_id"] not in ids:
                ids.append(row["lead_id"])
        leads = [table[i] for i in ids if i in table][:2000]
    elif lead_id:
        leads = [table[int(lead_id)]] if int(lead_id) in table else []
    else:
        return SS_INVALID(user, status, date, lead_id) + "\n"
    if u.api_list_restrict:
        leads = [x for x in leads if call.allowed_list(x.list_id)]
    if not leads:
        return SS_NONE(user, lead_id, status) + "\n"
    return record_lines(call, leads)


# -- lead_callback_info --------------------------------------------------------------------------------

CB_PERM = line(NA, "lead_callback_info", "PERMISSION")
CB_INVALID = line(NA, "lead_callback_info", "INVALID SEARCH PARAMETERS")
CB_NOT_FOUND = line(NA, "lead_callback_info", "CALLBACK NOT FOUND")
CB_RESTRICTED = line(NA, "lead_callback_info", "LEAD NOT FOUND")
CB_COLUMNS = columns(NA, "lead_callback_info")


@handles(NA, "lead_callback_info")
@requires(CB_PERM, 7, "view_reports")
def lead_callback_info(call: Call) -> str:
    """lead_callback_info: lists scheduled callbacks (current and/or archived) for a lead."""
    user = call.uname
    st = call.state
    u = call.user
    lead_id = f.digits(call.get("lead_id"))
    if not 1 <= len(lead_id) <= 11:
        return CB_INVALID(user, lead_id) + "\n"
    where = call.get("search_location") or "CURRENT"
    header = call.get("header")
    rows: list[tuple[str, Callback]] = []
    if header in ("", "YES", "NO"):
        if where in ("ARCHIVE", "ALL"):
            rows += [("ARCHIVE", cb) for cb in st.archived_callbacks if cb.lead_id == int(lead_id)]
        if where in ("CURRENT", "ALL"):
            rows += [("CURRENT", cb) for cb in st.lead_callbacks(int(lead_id))]
    if u.api_list_restrict and any(not call.allowed_campaign(cb.campaign_id) for _, cb in rows):
        return CB_RESTRICTED(user) + "\n"
    if not rows:
        return CB_NOT_FOUND(user, lead_id, call.get("stage"), where) + "\n"
    data = []
    for kind, cb in rows:
        lead = st.leads.get(cb.lead_id)
        gmt = lead.gmt_offset_now.replace(",", "-") if lead else ""
        data.append(
            (
                cb.lead_id,
                kind,
                cb.recipient,
                cb.status,
                cb.lead_status,
                cb.callback_time,
                cb.entry_time,
                cb.user,
                cb.list_id,
                cb.campaign_id,
                cb.user_group,
                gmt,
                "",
                cb.comments,
            )
        )
    return table(CB_COLUMNS, data, call.params, stages=tuple(DELIMS))


# -- check_phone_number -------------------------------------------------------------------------------

CP_PERM = line(NA, "check_phone_number", "PERMISSION")
CP_CALL_TIME = line(NA, "check_phone_number", "NOT A VALID CALL TIME")


@handles(NA, "check_phone_number")
@requires(CP_PERM, 8)
def check_phone_number(call: Call) -> str:
    """check_phone_number: validate a phone number (length, USA/Canada and NANPA rules, DNC) and report its
    GMT offset and whether it is dialable now under a call time, per time-zone method.
    """
    user = call.uname
    st = call.state
    call_time = f.ident(call.get("local_call_time"))
    if call_time not in st.call_times:
        return CP_CALL_TIME(user, call_time) + "\n"
    phone = f.digits_commas(call.get("phone_number")).replace(",", "")
    code = f.digits(call.get("phone_code")) or "1"
    notices: list[str] = []
    err = phone_checks(call, "check_phone_number", phone, code, notices)
    if err is None:
        err = dnc_checks(call, "check_phone_number", phone, f.ident(call.get("campaign_id")))
    if err is not None:
        return err
    method = call.get("tz_method").upper() or "AREACODE"
    postal = call.get("postal_code")
    owner = call.get("owner")
    parts: list[str] = []
    if "AREACODE" in method:
        parts.append(f"AREACODE: 1|{gmt_for(phone, code)}#")
    if "POSTAL" in method:
        ok = len(postal) == 5 and code == "1"
        gmt = gmt_for(phone, code, tz_method="POSTAL", postal_code=postal) if ok else ""
        parts.append(f"POSTAL: {1 if ok else 0}|{gmt}#")
    if "TZCODE" in method:
        ok = 1 <= len(owner) <= 6
        parts.append(
            f"TZCODE: {1 if ok else 0}|{gmt_for(phone, code, tz_method='TZCODE', owner=owner) if ok else ''}#"
        )
    if "NANPA" in method:
        parts.append(f"NANPA: 1|{gmt_for(phone, code)}#")
    return "".join(parts) + f"PHONE: {phone}|{code}|{postal}|{call.get('state')}|{owner}|\n"
