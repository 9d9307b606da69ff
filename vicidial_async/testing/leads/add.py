"""add_lead, and the checks and notices the other lead writes share (permission, DNC, phone
number checks, hopper, callbacks)."""

from __future__ import annotations

import re

from .. import filters as f
from ..core import Call, handles, requires
from ..leadops import (
    callback_time,
    custom_values,
    lead_fields_from,
    multi_alt_phones,
    new_lead,
)
from ..records import Lead
from ..state import SYSTEM_DNC
from ..tz import AREACODES
from ..wire import Template, line, lines

NA = "non_agent"
_UG_MISSING = line(NA, "add_lead", "user_group DOES NOT EXIST")


def _t(fn: str, needle: str, n: int | None = None) -> Template:
    return line(NA, fn, needle, n)


LEAD_WRITE = (1, 2, 3, 4)
"""The modify_leads values that let an API user write leads (the user is active: login checks it)."""


def group_missing(call: Call) -> str | None:
    """'user_group DOES NOT EXIST' for a list-restricted user whose group is gone."""
    if call.user.api_list_restrict and call.user.user_group not in call.state.user_groups:
        return _UG_MISSING(call.uname, call.user.user_group) + "\n"
    return None


# -- add_lead ---------------------------------------------------------------------------------------

_AL = "add_lead"
AL_PERM = _t(_AL, "PERMISSION TO ADD LEADS")
AL_NOT_ALLOWED = _t(_AL, "NOT AN ALLOWED LIST ID")
AL_NOT_DEFINED = _t(_AL, "NOT A DEFINED LIST ID")
AL_LENGTH = _t(_AL, "INVALID PHONE NUMBER LENGTH")
AL_PREFIX = _t(_AL, "INVALID PHONE NUMBER PREFIX")
AL_AREACODE = _t(_AL, "INVALID PHONE NUMBER AREACODE")
AL_NANPA = _t(_AL, "NANPA AREACODE PREFIX")
AL_NANPA_OFF = _t(_AL, "NANPA options disabled")
AL_DNC = _t(_AL, "PHONE NUMBER IN DNC")
AL_CAMP_DNC = _t(_AL, "PHONE NUMBER IN CAMPAIGN DNC")
AL_ADDED = _t(_AL, "SUCCESS: add_lead LEAD HAS BEEN ADDED")
# The duplicate checks in the PHP's order: duplicate_check token, kind, scope, the words of its
# answer and (where variants share them) the answer's placeholder count.
_DUPS = (
    ("DUPLIST", "PHONE", "LIST", "DUPLICATE PHONE NUMBER IN LIST", 3),
    ("DUPCAMP", "PHONE", "CAMP", "DUPLICATE PHONE NUMBER IN CAMPAIGN LISTS", 4),
    ("DUPSYS", "PHONE", "SYS", "DUPLICATE PHONE NUMBER IN SYSTEM", 4),
    ("DUPPHONEALTLIST", "PHONEALT", "LIST", "DUPLICATE PHONE NUMBER IN LIST", 4),
    ("DUPPHONEALTCAMP", "PHONEALT", "CAMP", "DUPLICATE PHONE NUMBER IN CAMPAIGN LISTS", 5),
    ("DUPPHONEALTSYS", "PHONEALT", "SYS", "DUPLICATE PHONE NUMBER IN SYSTEM", 5),
    ("DUPTITLEALTPHONELIST", "TITLEALT", "LIST", "DUPLICATE TITLE ALT_PHONE IN LIST", None),
    ("DUPTITLEALTPHONECAMP", "TITLEALT", "CAMP", "DUPLICATE TITLE ALT_PHONE IN CAMPAIGN LISTS", None),
    ("DUPTITLEALTPHONESYS", "TITLEALT", "SYS", "DUPLICATE TITLE ALT_PHONE IN SYSTEM", None),
    ("DUPNAMEPHONELIST", "NAME", "LIST", "DUPLICATE NAME PHONE IN LIST", None),
    ("DUPNAMEPHONECAMP", "NAME", "CAMP", "DUPLICATE NAME PHONE IN CAMPAIGN LISTS", None),
    ("DUPNAMEPHONESYS", "NAME", "SYS", "DUPLICATE NAME PHONE IN SYSTEM", None),
)
DUP = {(kind, scope): _t(_AL, words, n) for _, kind, scope, words, n in _DUPS}
_DUP_ORDER = tuple((token, kind, scope) for token, kind, scope, _, _ in _DUPS)
_DAY_WINDOWS = (360, 180, 90, 60, 30, 28, 21, 15, 14, 7, 3, 2, 1)
_DAY_RE = re.compile(r"(\d+)DAY")


def notices_of(fn: str) -> dict[str, Template]:
    return {
        "multi": _t(fn, "MULTI-ALT-PHONE NUMBERS LOADED"),
        "cf_added": _t(fn, "CUSTOM FIELDS VALUES ADDED"),
        "cf_no_fields": _t(fn, "CUSTOM FIELDS NOT ADDED, NO FIELDS DEFINED"),
        "cf_no_table": _t(fn, "NO CUSTOM FIELDS DEFINED FOR THIS LIST"),
        "cf_disabled": _t(fn, "CUSTOM FIELDS DISABLED"),
        "hopper_added": _t(fn, "NOTICE: " + fn + " ADDED TO HOPPER"),
        "hopper_not": _t(fn, "NOT ADDED TO HOPPER - "),
        "cb_added": _t(fn, "SCHEDULED CALLBACK ADDED"),
        "cb_user": _t(fn, "SCHEDULED CALLBACK NOT ADDED, USER NOT VALID"),
        "cb_camp": _t(fn, "SCHEDULED CALLBACK NOT ADDED, CAMPAIGN NOT VALID"),
    }


AL_N = notices_of(_AL)


def _day_window(text: str) -> int | None:
    for m in _DAY_RE.finditer(text):
        n = int(m.group(1))
        if n in _DAY_WINDOWS:
            return n
    return None


def _find_dup(
    call: Call, kind: str, scope: str, phone: str, list_id: int, fields: dict[str, str], since: float | None
) -> tuple[Lead, str] | None:
    st = call.state
    if scope == "LIST":
        lists: set[int] | None = {list_id}
    elif scope == "CAMP":
        camp = st.campaign_of_list(list_id)
        lists = (st.campaign_lists(camp) if camp else set()) | {list_id}
    else:
        lists = None
    cands: list[tuple[Lead, str]] = []
    if kind in ("PHONE", "NAME"):
        cands = [(lead, "PHONE") for lead in st.leads_with(st.by_phone, phone)]
    elif kind == "PHONEALT":
        cands = [(lead, "PHONE") for lead in st.leads_with(st.by_phone, phone)]
        cands += [(lead, "ALT") for lead in st.leads_with(st.by_alt, phone)]
    elif kind == "TITLEALT":
        alt = fields.get("alt_phone", "")
        cands = [(lead, "ALT") for lead in st.leads_with(st.by_alt, alt)] if alt else []
    best: tuple[Lead, str] | None = None
    for lead, how in cands:
        if lists is not None and lead.list_id not in lists:
            continue
        if since is not None and lead.entry_epoch < since:
            continue
        if kind == "NAME" and (
            lead.first_name != fields.get("first_name", "") or lead.last_name != fields.get("last_name", "")
        ):
            continue
        if kind == "TITLEALT" and lead.title != fields.get("title", ""):
            continue
        if best is None or lead.lead_id < best[0].lead_id:
            best = (lead, how)
    return best


def _dup_line(
    kind: str, scope: str, phone: str, list_id: int, fields: dict[str, str], lead: Lead, how: str
) -> str:
    t = DUP[kind, scope]
    if kind == "PHONE":
        return (
            t(phone, list_id, lead.lead_id)
            if scope == "LIST"
            else t(phone, list_id, lead.lead_id, lead.list_id)
        )
    if kind == "PHONEALT":
        if scope == "LIST":
            return t(phone, list_id, lead.lead_id, how)
        return t(phone, list_id, lead.lead_id, lead.list_id, how)
    if kind == "TITLEALT":
        head = (fields.get("title", ""), fields.get("alt_phone", ""), list_id, lead.lead_id)
        return t(*head) if scope == "LIST" else t(*head, lead.list_id)
    head2 = (fields.get("first_name", ""), fields.get("last_name", ""), phone, list_id, lead.lead_id)
    return t(*head2) if scope == "LIST" else t(*head2, lead.list_id)


def phone_checks(call: Call, fn: str, phone: str, phone_code: str, out: list[str]) -> str | None:
    """Length, prefix, areacode and NANPA checks of add_lead/check_phone_number: an ERROR or None."""
    lines = ERRS[fn]
    user = call.uname
    st = call.state
    nanpa_wanted = call.get("nanpa_ac_prefix_check") == "Y" or "NANPA" in call.get("tz_method")
    nanpa_on = len(st.nanpa_prefixes) >= 10
    if nanpa_wanted and not nanpa_on:
        msg = lines["nanpa_off"](len(st.nanpa_prefixes), user)
        if fn == "check_phone_number":
            return msg + "\n"
        out.append(msg)
    if not 6 <= len(phone) <= 16:
        return lines["length"](phone, user) + "\n"
    if call.get("usacan_prefix_check") == "Y" and (len(phone) < 4 or phone[3] in "01"):
        return lines["prefix"](phone, user) + "\n"
    if call.get("usacan_areacode_check") == "Y" and (
        phone[:3] not in AREACODES or (fn == "add_lead" and len(phone) != 10)
    ):
        return lines["areacode"](phone, user) + "\n"
    if call.get("nanpa_ac_prefix_check") == "Y" and nanpa_on and phone[:6] not in st.nanpa_prefixes:
        return lines["nanpa"](phone, user) + "\n"
    return None


def dnc_checks(call: Call, fn: str, phone: str, campaign_id: str) -> str | None:
    """dnc_check and campaign_dnc_check of add_lead/check_phone_number: an ERROR or None."""
    st = call.state
    lines = ERRS[fn]
    dnc = call.get("dnc_check")
    if dnc in ("Y", "AREACODE") and st.in_dnc(phone, SYSTEM_DNC, dnc == "AREACODE"):
        return lines["dnc"](phone, call.uname) + "\n"
    cdnc = call.get("campaign_dnc_check")
    if cdnc in ("Y", "AREACODE") and st.in_dnc(phone, st.campaign_dnc_key(campaign_id), cdnc == "AREACODE"):
        return lines["camp_dnc"](phone, campaign_id, call.uname) + "\n"
    return None


ERRS = {
    _AL: {
        "length": AL_LENGTH,
        "prefix": AL_PREFIX,
        "areacode": AL_AREACODE,
        "nanpa": AL_NANPA,
        "nanpa_off": AL_NANPA_OFF,
        "dnc": AL_DNC,
        "camp_dnc": AL_CAMP_DNC,
    },
    "check_phone_number": {
        k: _t("check_phone_number", needle)
        for k, needle in (
            ("length", "INVALID PHONE NUMBER LENGTH"),
            ("prefix", "INVALID PHONE NUMBER PREFIX"),
            ("areacode", "INVALID PHONE NUMBER AREACODE"),
            ("nanpa", "NANPA AREACODE PREFIX"),
            ("nanpa_off", "NANPA options disabled"),
            ("dnc", "PHONE NUMBER IN DNC"),
            ("camp_dnc", "PHONE NUMBER IN CAMPAIGN DNC"),
        )
    },
}


@handles(NA, "add_lead")
@requires(AL_PERM, 8, leads=LEAD_WRITE)
def add_lead(call: Call) -> str:
    """add_lead: insert one new lead into vicidial_list, with optional DNC/duplicate/number validation,
    hopper insert, scheduled callback, alternate phones and custom field data.
    """
    user = call.uname
    if (err := group_missing(call)) is not None:
        return err
    phone = f.digits_commas(call.get("phone_number")).replace(",", "")
    raw_list = f.digits(call.get("list_id"))
    if call.user.api_list_restrict and not call.allowed_list(int(raw_list or 0)):
        return AL_NOT_ALLOWED(phone, raw_list) + "\n"
    list_id = int(raw_list) if len(raw_list) >= 3 else 999
    if "Y" in call.get("list_exists_check").upper() and list_id not in call.state.lists:
        return AL_NOT_DEFINED(phone, list_id) + "\n"
    out: list[str] = []
    phone_code = f.digits(call.get("phone_code")) or "1"
    err = phone_checks(call, _AL, phone, phone_code, out)
    if err is None:
        err = dnc_checks(call, _AL, phone, f.ident(call.get("campaign_id")))
    fields = lead_fields_from(call)
    if err is None:
        err = _duplicates(call, phone, list_id, fields)
    if err is not None:
        return lines(out) + err
    callback = call.get("callback") == "Y"
    lead = new_lead(
        call,
        phone=phone,
        phone_code=phone_code,
        list_id=list_id,
        fields=fields,
        status="CBHOLD" if callback else "NEW",
        tz_method=call.get("tz_method"),
    )
    out.append(AL_ADDED(phone, list_id, lead.lead_id, lead.gmt_offset_now, user))
    after_insert(call, _AL, AL_N, lead, phone, out)
    if callback:
        callback_new(call, AL_N, lead, out)
    return lines(out)


def _duplicates(call: Call, phone: str, list_id: int, fields: dict[str, str]) -> str | None:
    check = call.get("duplicate_check").upper()
    if not check:
        return None
    days = _day_window(check)
    since = call.state.now() - days * 86400 if days else None
    for token, kind, scope in _DUP_ORDER:
        if token in check:
            found = _find_dup(call, kind, scope, phone, list_id, fields, since)
            if found is not None:
                return _dup_line(kind, scope, phone, list_id, fields, found[0], found[1]) + "\n"
    return None


def after_insert(call: Call, fn: str, n: dict[str, Template], lead: Lead, phone: str, out: list[str]) -> None:
    """The NOTICE lines after a new lead: alt phones, custom fields, hopper (add_lead order)."""
    user = call.uname
    glued, count = multi_alt_phones(call, lead)
    if count:
        out.append(glued + n["multi"](count, lead.lead_id, user))
    if call.get("custom_fields") == "Y":
        _custom_insert(call, n, lead, phone, out)
    if call.get("add_to_hopper") == "Y" and call.get("remove_from_hopper") != "Y":
        camp = call.state.campaign_of_list(lead.list_id)
        if camp is None:
            out.append(n["hopper_not"](phone, lead.lead_id, "", user))
        else:
            entry = call.state.add_hopper(lead, camp, hopper_priority(call))
            out.append(n["hopper_added"](phone, lead.lead_id, entry.hopper_id, user))


def _custom_insert(call: Call, n: dict[str, Template], lead: Lead, phone: str, out: list[str]) -> None:
    st = call.state
    enabled = st.settings.get("custom_fields_enabled", "0")
    if enabled != "1":
        out.append(n["cf_disabled"](phone, lead.lead_id, "Y", enabled))
        return
    values = custom_values(call, lead.list_id, only_sent=False)
    if values is None:
        out.append(n["cf_no_table"](phone, lead.lead_id, lead.list_id))
        return
    if not values:
        out.append(n["cf_no_fields"](phone, lead.lead_id, lead.list_id))
        return
    lead.custom.update(values)
    lead.entry_list_id = lead.list_id
    out.append(n["cf_added"](phone, lead.lead_id, lead.list_id, 1))


def hopper_priority(call: Call) -> int:
    """hopper_priority, kept within -99..99 (0 when missing or not a number)."""
    return max(-99, min(99, call.int_or("hopper_priority", 0)))


def callback_new(call: Call, n: dict[str, Template], lead: Lead, out: list[str]) -> None:
    st = call.state
    camp = f.ident(call.get("campaign_id"))
    if camp not in st.campaigns:
        out.append(n["cb_camp"](lead.lead_id, camp))
        return
    cb_type = "USERONLY" if call.get("callback_type") == "USERONLY" else "ANYONE"
    cb_user = f.ident(call.get("callback_user")) if cb_type == "USERONLY" else ""
    if cb_type == "USERONLY" and cb_user not in st.users:
        out.append(n["cb_user"](lead.lead_id, camp, cb_user, cb_type))
        return
    when = callback_time(st, call.get("callback_datetime"))
    status = f.ident(call.get("callback_status")) or "CALLBK"
    ugroup = st.users[cb_user].user_group if cb_user else ""
    st.add_callback(
        lead_id=lead.lead_id,
        list_id=lead.list_id,
        campaign_id=camp,
        entry_time=st.fmt(),
        callback_time=when,
        modify_date=st.fmt(),
        user=cb_user,
        recipient=cb_type,
        comments=re.sub(r"[^A-Za-z0-9 \-+.:/@_]", "", call.get("callback_comments")),
        user_group=ugroup,
        lead_status=status,
    )
    out.append(n["cb_added"](lead.lead_id, camp, when, cb_type, cb_user, status))
