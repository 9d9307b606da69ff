"""Lead operations of the Non-Agent API: the request rules, resend policy and results of
add_lead, update_lead, lead_search ... (the methods of ``vd.leads`` only build the parameters)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from ..errors import APIError, DuplicateError, NotFoundError
from ..models import leads as results
from ..protocol.decode import Answer, decode
from ..protocol.lead_fields import LEAD_COLUMNS, data_warning
from ..protocol.lines import StatusAnswer, StatusLine, parse_line
from ..protocol.other import TextAnswer
from ..protocol.registry import FunctionSpec
from ..protocol.tables import Table, decode_table
from ._core import Form, Operation, ResendPolicy, answer_only, rows_of, text_of
from ._rules import (
    blank,
    digits,
    is_,
    lead_fields,
    min_int,
    needs,
    no_empty,
    pattern,
    refuse,
    refuse_if,
)

__all__ = [
    "ADD_LEAD",
    "BATCH_UPDATE_LEAD",
    "CCC_LEAD_INFO",
    "CHECK_PHONE_NUMBER",
    "LEAD_ALL_INFO",
    "LEAD_CALLBACK_INFO",
    "LEAD_DEARCHIVE",
    "LEAD_FIELD_INFO",
    "LEAD_SEARCH",
    "LEAD_STATUS_SEARCH",
    "UPDATE_LEAD",
    "UPDATE_LOG_ENTRY",
    "alt_phones",
]

# Fields whose '--BLANK--' the server turns into an empty value (per the reference notes).
_BLANKABLE_UPDATE = frozenset({
    "user_field", "status", "vendor_lead_code", "source_id", "title", "first_name", "middle_initial",
    "last_name", "address1", "address2", "address3", "city", "state", "province", "postal_code",
    "country_code", "alt_phone", "email", "security_phrase", "comments", "owner",
})
_CALL_ID_PREFIXES = ("Y", "J", "V", "M", "DC", "S", "LP", "VH", "XL")
_GMT = r"[+-]?\d{1,2}(\.\d{1,2})?"
_ALT_NOTE = re.compile(r"[A-Za-z0-9 \-:]*")
_MIN_LIST_ID = "list_id must be 3+ digits and >= 99 (the server searches the whole system otherwise)"


def alt_phones(function: str, value: Any) -> str | None:
    """Encode multi_alt_phones records as ``number_code_note`` joined by ``!``, refusing records
    the server would alter (it keeps letters, digits, space, - and : in a note)."""
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
            raise refuse(function, "multi_alt_phones",
                         f"a record is number[_code[_note]] with digits for number and code, "
                         f"got {'_'.join(parts)!r}")
        if not _ALT_NOTE.fullmatch(note):
            raise refuse(function, "multi_alt_phones",
                         f"the server would alter the note {note!r} (it keeps letters, digits, "
                         "space, - and :)")
        out.append("_".join(p for p in (number, code, note) if p) if not note else
                   f"{number}_{code}_{note}")
    return "!".join(out)


def _min_list_id(spec: FunctionSpec, form: Form, custom: Mapping[str, Any]) -> None:
    value = form.get("list_id", "")
    if value and (len(value) < 3 or int(value) < 99):
        raise refuse(spec.name, "list_id", _MIN_LIST_ID)


def _custom_labels(spec: FunctionSpec, form: Form, custom: Mapping[str, Any]) -> None:
    for label in custom:
        if label in LEAD_COLUMNS:
            raise refuse(spec.name, label, "a custom field named like a standard lead column is "
                                           "skipped by the server")


def _callback_rules(*, adding: bool) -> list[Any]:
    rules = [needs("callback_user", lambda f: f.get("callback_type") == "USERONLY"
                   and f.get("callback") == "Y", "a USERONLY callback needs callback_user")]
    if adding:
        rules.insert(0, needs("campaign_id", is_("callback", "Y"),
                              "callback=True needs campaign_id (without it the callback is refused "
                              "but the lead stays CBHOLD)"))
    return rules


_CAMPAIGN_DNC = needs("campaign_id", is_("campaign_dnc_check", "Y", "AREACODE"),
                      "campaign_dnc_check needs campaign_id")
_LIST_WITH_LOCATION = needs("list_id", is_("search_location", "LIST", "CAMPAIGN"),
                            "search_location LIST/CAMPAIGN needs list_id")


# -- add_lead ------------------------------------------------------------------------------------

def _recovered_add_lead(exc: APIError, form: Form) -> Answer | None:
    """A resent add_lead hit its own earlier attempt: report that lead as added, flagged."""
    if not isinstance(exc, DuplicateError):
        return None
    lead_id = str(exc.existing_lead_id or "")
    list_id = str(exc.existing_list_id or form.get("list_id", ""))
    phone = form.get("phone_number", "")
    fields = {"phone_number": phone, "list_id": list_id, "lead_id": lead_id}
    line = StatusLine(tag="SUCCESS", reason="add_lead LEAD HAS BEEN ADDED",
                      data=(phone, list_id, lead_id), text=exc.line, fields=fields)
    return StatusAnswer(function="add_lead", lines=(line,), other=(), raw=exc.raw, recovered=True)


ADD_LEAD = Operation(
    "add_lead",
    encode={"multi_alt_phones": alt_phones},
    rules=[
        digits("phone_number"),
        refuse_if("list_id", lambda f: not (f.get("list_id", "").isdigit()
                                            and 3 <= len(f["list_id"]) <= 12),
                  "must be 3-12 digits (the server files the lead in list 999 otherwise)"),
        refuse_if("gmt_offset_now", lambda f: "gmt_offset_now" in f,
                  "add_lead ignores gmt_offset_now and computes the offset itself; use tz_method"),
        _CAMPAIGN_DNC,
        *_callback_rules(adding=True),
        blank(),
        lead_fields(),
        _custom_labels,
    ],
    # With a duplicate check a resend after a lost answer meets the lead the first attempt added.
    resend=ResendPolicy(applies=lambda form: bool(form.get("duplicate_check")),
                        recover=_recovered_add_lead),
    result=answer_only(results.AddLeadResult.from_answer),
)


# -- update_lead ---------------------------------------------------------------------------------

def _search_key(spec: FunctionSpec, form: Form, custom: Mapping[str, Any]) -> None:
    methods = set((form.get("search_method") or "LEAD_ID").split("_"))
    keys = {"LEAD": "lead_id", "VENDOR": "vendor_lead_code", "PHONE": "phone_number"}
    wanted = [keys[m] for m in ("LEAD", "VENDOR", "PHONE") if m in methods]
    if not any(form.get(k) for k in wanted):
        raise refuse(spec.name, wanted[0], f"search_method {form.get('search_method', 'LEAD_ID')} "
                                           f"needs {' or '.join(wanted)}")


def _insert_rules(spec: FunctionSpec, form: Form, custom: Mapping[str, Any]) -> None:
    fn = spec.name
    if form.get("insert_if_not_found") == "Y":
        for need in ("phone_number", "phone_code"):
            if not form.get(need):
                raise refuse(fn, need, f"insert_if_not_found needs {need}")
        if not (form.get("list_id") or form.get("list_id_field")):
            raise refuse(fn, "list_id", "insert_if_not_found needs list_id (3+ digits)")
        return
    for only_insert in ("tz_method", "multi_alt_phones"):
        if only_insert in form:
            raise refuse(fn, only_insert, "is used only with insert_if_not_found; the server "
                                          "would ignore it")


_SCOPE = frozenset({
    "lead_id", "search_method", "search_location", "list_id", "records", "archived_lead",
    "list_exists_check", "tz_method", "hopper_priority", "hopper_local_call_time_check",
    "force_entry_list_id", "callback_status", "callback_datetime", "callback_type", "callback_user",
    "callback_comments", "campaign_id", "custom_fields"})


def _something_to_update(spec: FunctionSpec, form: Form, custom: Mapping[str, Any]) -> None:
    scope = set(_SCOPE)
    if form.get("update_phone_number") != "Y":
        scope.add("phone_number")
    if not (set(form) - scope) and not custom and form.get("custom_fields") != "Y":
        raise refuse(spec.name, "", "nothing to update: name a field to set or an option "
                                    "(no_update, delete_lead, callback, add_to_hopper ...)")
    records = form.get("records", "")
    if custom and records.isdigit() and int(records) > 1 and set(form) & (
            LEAD_COLUMNS | {"user_field", "list_id_field"}) - {"lead_id", "phone_number", "list_id"}:
        data_warning("update_lead: with custom fields the server applies the standard fields "
                     "to the first matched lead only")


def _entry_list_id(spec: FunctionSpec, form: Form, custom: Mapping[str, Any]) -> None:
    if "entry_list_id" in form and (custom or form.get("custom_fields") == "Y"):
        raise refuse(spec.name, "entry_list_id", "is not written when custom_fields is set")


UPDATE_LEAD = Operation(
    "update_lead",
    encode={"multi_alt_phones": alt_phones},
    rules=[
        _search_key,
        digits("phone_number"),
        _LIST_WITH_LOCATION,
        _min_list_id,
        _insert_rules,
        needs("phone_number", is_("update_phone_number", "Y"), "update_phone_number needs phone_number"),
        refuse_if("add_to_hopper", lambda f: f.get("add_to_hopper") == "Y"
                  and f.get("remove_from_hopper") == "Y",
                  "the server ignores add_to_hopper when remove_from_hopper is set"),
        min_int("records", 1),
        pattern("gmt_offset_now", _GMT, "an offset such as -5.00"),
        _entry_list_id,
        *_callback_rules(adding=False),
        blank(*_BLANKABLE_UPDATE),
        no_empty(_BLANKABLE_UPDATE, besides=("tz_method",)),
        lead_fields(),
        _custom_labels,
        _something_to_update,
    ],
    result=answer_only(results.UpdateLeadResult.from_answer),
)


def _lead_ids(spec: FunctionSpec, form: Form, custom: Mapping[str, Any]) -> None:
    ids = form.get("lead_ids", "").split(",")
    if not all(i.isdigit() for i in ids):
        raise refuse(spec.name, "lead_ids", f"must be lead ids (digits) joined by commas, got "
                                            f"{form.get('lead_ids', '')!r}")


BATCH_UPDATE_LEAD = Operation(
    "batch_update_lead",
    rules=[
        _lead_ids,
        min_int("records", 1),
        pattern("gmt_offset_now", _GMT, "an offset such as -5.00"),
        blank(*_BLANKABLE_UPDATE),
        no_empty(_BLANKABLE_UPDATE),
        lead_fields(),
        refuse_if("", lambda f: not set(f) - {"lead_ids", "list_exists_check", "records",
                                               "archived_lead"},
                  "nothing to update: name at least one field"),
    ],
    result=answer_only(results.BatchUpdateLeadResult.from_answer),
)

LEAD_DEARCHIVE = Operation("lead_dearchive", result=answer_only(results.LeadDearchiveResult.from_answer))

def _call_id(spec: FunctionSpec, form: Form, custom: Mapping[str, Any]) -> None:
    call_id = form.get("call_id", "")
    if not (call_id.isascii() and call_id.isalnum()):
        raise refuse(spec.name, "call_id", "the server keeps only letters and digits of a call id "
                                           f"(a uniqueid's dot is dropped), got {call_id!r}")


UPDATE_LOG_ENTRY = Operation(
    "update_log_entry",
    rules=[_call_id],
    result=answer_only(results.UpdateLogEntryResult.from_answer),
)


# -- reads ---------------------------------------------------------------------------------------

_SEARCH_KEYS = {"PHONE_NUMBER": "phone_number", "VENDOR_LEAD_CODE": "vendor_lead_code",
                "LEAD_ID": "lead_ids"}


def _first_lead_id(params: dict[str, Any]) -> None:
    """A LEAD_ID search needs lead_id set for the server to enable that method."""
    lead_ids = params.get("lead_ids")
    if params.get("search_method") == "LEAD_ID" and params.get("lead_id") is None and lead_ids:
        params["lead_id"] = lead_ids.split(",")[0] if isinstance(lead_ids, str) else lead_ids[0]


def _search_method(spec: FunctionSpec, form: Form, custom: Mapping[str, Any]) -> None:
    fn, method = spec.name, form.get("search_method") or "PHONE_NUMBER"
    key = _SEARCH_KEYS.get(method)
    if key is None:
        raise refuse(fn, "search_method", f"must be PHONE_NUMBER, VENDOR_LEAD_CODE or LEAD_ID, "
                                          f"got {method!r}")
    if not form.get(key):
        raise refuse(fn, key, f"search_method {method} needs {key}")
    for phone in filter(None, form.get("phone_number", "").split(",")):
        if not (phone.isdigit() and 6 <= len(phone) <= 18):
            raise refuse(fn, "phone_number", f"each phone number must be 6-18 digits (the server "
                                             f"drops others), got {phone!r}")
    for lid in filter(None, form.get("lead_ids", "").split(",")):
        if not lid.isdigit():
            raise refuse(fn, "lead_ids", f"lead ids must be digits, got {lid!r}")


LEAD_SEARCH = Operation(
    "lead_search",
    adjust=_first_lead_id,
    rules=[_search_method, lead_fields("vendor_lead_code"), _LIST_WITH_LOCATION, _min_list_id],
    optional=lambda f: () if (f.get("search_method") or "PHONE_NUMBER") == "PHONE_NUMBER"
    else ("phone_number",),
    result=rows_of(results.LeadSearchRow.from_row),
)


def _rows_with_skipped_leads(spec: FunctionSpec, status: int, body: str, form: Form) -> Answer:
    """lead_all_info prints LIST NOT FOUND lines for leads the user may not see, and the rows of
    the others: those lines become the table's notices; with no row at all, the error stands."""
    try:
        return decode(spec, status, body, form)
    except NotFoundError:
        lines = body.split("\n")
        data = "\n".join(x for x in lines if "ERROR: " not in x)
        if not data.strip():
            raise
    skipped = [p for p in (parse_line(x, spec) for x in lines if "ERROR: " in x) if p]
    table = decode_table(spec, data, stage=form.get("stage"), header=form.get("header") == "YES",
                         extra_columns=form.get("custom_fields") == "Y")
    return Table(table.function, table.columns, table.rows, tuple(skipped), body)


LEAD_ALL_INFO = Operation(
    "lead_all_info",
    rules=[
        refuse_if("lead_id", lambda f: "lead_id" not in f and not f.get("phone_number"),
                  "give lead_id or phone_number"),
        refuse_if("phone_number", lambda f: "lead_id" in f and bool(f.get("phone_number")),
                  "the server ignores phone_number when lead_id is given"),
        refuse_if("header", lambda f: f.get("custom_fields") == "Y" and f.get("stage") == "newline"
                  and f.get("header") not in ("YES", "Y"),
                  "with custom fields, stage newline needs header=True: the number of values per "
                  "lead is unknown otherwise"),
        digits("phone_number"),
    ],
    decoder=_rows_with_skipped_leads,
    result=answer_only(results.lead_records),
)


def _field_info(answer: TextAnswer, form: Form) -> results.LeadFieldInfo:
    value = answer.text
    masked = form.get("custom_fields") == "Y" and bool(value) and set(value) == {"X"}
    return results.LeadFieldInfo(int(form["lead_id"]), form["field_name"], value, masked, answer.raw)


LEAD_FIELD_INFO = Operation(
    "lead_field_info",
    rules=[refuse_if("list_id", lambda f: "list_id" in f and len(f["list_id"]) < 2,
                     "must be 2+ characters (the server ignores it otherwise)")],
    result=_field_info,
)


def _status_and_date(spec: FunctionSpec, form: Form, custom: Mapping[str, Any]) -> None:
    if "lead_id" not in form and ("status" not in form or "date" not in form):
        missing = "status" if "status" not in form else "date"
        raise refuse(spec.name, missing, "give status and date together, or lead_id")


LEAD_STATUS_SEARCH = Operation(
    "lead_status_search",
    rules=[_status_and_date],
    optional=lambda f: ("status", "date") if "lead_id" in f else (),
    result=text_of(results.lead_status_records),
)

CCC_LEAD_INFO = Operation(
    "ccc_lead_info",
    rules=[refuse_if("call_id", lambda f: not f.get("call_id", "").startswith(_CALL_ID_PREFIXES),
                     "a caller code starts with " + ", ".join(_CALL_ID_PREFIXES))],
    result=answer_only(results.lead_records),
)

LEAD_CALLBACK_INFO = Operation(
    "lead_callback_info", result=rows_of(results.CallbackRow.from_row))


def _tz_methods(spec: FunctionSpec, form: Form, custom: Mapping[str, Any]) -> None:
    methods = form.get("tz_method", "")
    if "POSTAL" in methods and len(form.get("postal_code", "")) != 5:
        raise refuse(spec.name, "postal_code", "tz_method POSTAL needs a 5-character postal_code "
                                               "(the lookup is skipped otherwise)")
    if "TZCODE" in methods and not form.get("owner"):
        raise refuse(spec.name, "owner", "tz_method TZCODE needs owner (a time-zone code)")


CHECK_PHONE_NUMBER = Operation(
    "check_phone_number",
    rules=[digits("phone_number"), _tz_methods, _CAMPAIGN_DNC],
    result=text_of(results.CheckPhoneNumberResult.parse),
)
