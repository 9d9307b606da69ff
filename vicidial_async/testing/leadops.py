"""What add_lead, update_lead and the Agent API's external_add_lead share: building a new lead,
custom field values, the hopper and scheduled callbacks."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

from ..protocol.params import BLANK
from . import filters as f
from .records import Lead
from .tz import STATE_OF, gmt_for

if TYPE_CHECKING:
    from .core import Call
    from .state import State

__all__ = [
    "BLANK",
    "callback_time",
    "custom_values",
    "lead_fields_from",
    "new_lead",
    "scope_lists",
    "search_method",
]

STANDARD_FIELDS = (
    "vendor_lead_code",
    "source_id",
    "title",
    "first_name",
    "middle_initial",
    "last_name",
    "address1",
    "address2",
    "address3",
    "city",
    "state",
    "province",
    "postal_code",
    "country_code",
    "gender",
    "date_of_birth",
    "alt_phone",
    "email",
    "security_phrase",
    "comments",
    "rank",
    "owner",
)
_INT_FIELDS = frozenset({"rank", "called_count", "list_id", "entry_list_id"})
_DAYS = re.compile(r"^(\d+)DAYS?$")


def search_method(call: Call, default: str) -> str:
    """search_method as the lead searches read it: shorter than 6 characters means ``default``."""
    method = call.get("search_method")
    return method if len(method) >= 6 else default


def scope_lists(call: Call) -> set[int] | None:
    """search_location LIST/CAMPAIGN -> the lists searched (None = whole system)."""
    location = call.get("search_location")
    raw = f.digits(call.get("list_id"))
    if location not in ("LIST", "CAMPAIGN") or len(raw) < 3 or int(raw) < 99:
        return None
    list_id = int(raw)
    if location == "LIST":
        return {list_id}
    camp = call.state.campaign_of_list(list_id)
    return (call.state.campaign_lists(camp) if camp else set()) | {list_id}


def lead_fields_from(call: Call, names: tuple[str, ...] = STANDARD_FIELDS, *,
                     filters: Mapping[str, Callable[[str], str]] = f.LEAD_FIELD_FILTERS) -> dict[str, str]:
    """The standard lead columns sent in the request, passed through their input filters."""
    out: dict[str, str] = {}
    params = call.params
    for name in names:
        if name in params:
            out[name] = filters[name](params[name])
    return out


def new_lead(
    call: Call,
    *,
    phone: str,
    phone_code: str,
    list_id: int,
    fields: dict[str, str],
    status: str = "NEW",
    tz_method: str = "",
) -> Lead:
    """Insert a lead as add_lead does (user = API user, gmt computed from the number)."""
    st = call.state
    now = st.now()
    stamp = st.fmt(now)
    gmt = gmt_for(
        phone,
        phone_code,
        tz_method=tz_method,
        postal_code=fields.get("postal_code", ""),
        owner=fields.get("owner", ""),
    )
    kw: dict[str, Any] = {k: v for k, v in fields.items() if k not in _INT_FIELDS}
    if call.get("lookup_state") == "Y" and not fields.get("state") and phone_code == "1":
        kw["state"] = STATE_OF.get(phone[:3], "")
    if not kw.get("gender"):
        kw["gender"] = "U"
    if not kw.get("date_of_birth"):
        kw["date_of_birth"] = "0000-00-00"
    entry_list = f.digits(call.get("entry_list_id")) or "0"
    lead = Lead(
        lead_id=st.new_lead_id(),
        list_id=list_id,
        phone_number=phone,
        phone_code=phone_code,
        entry_date=stamp,
        modify_date=stamp,
        entry_epoch=now,
        status=status,
        user=call.uname,
        gmt_offset_now=gmt,
        rank=int(fields.get("rank") or 0),
        entry_list_id=int(entry_list),
        **kw,
    )
    st.insert_lead(lead)
    return lead


def multi_alt_phones(call: Call, lead: Lead) -> tuple[str, int]:
    """Parse multi_alt_phones into the lead's alt phones; the glued 'number|code|note' text and count."""
    raw = call.get("multi_alt_phones")
    if len(raw) <= 5:
        return "", 0
    raw = re.sub(r"[^A-Za-z0-9 \-+!:_]", "", raw).replace("+", " ")
    printed: list[str] = []
    for rec in raw.split("!"):
        if not rec:
            continue
        parts = rec.split("_")
        number = f.digits(parts[0])
        code = parts[1] if len(parts) > 1 and parts[1] else "1"
        note = parts[2] if len(parts) > 2 else ""
        if not number:
            continue
        lead.alt_phones.append((number, code, note))
        printed.append(f"{number}|{code}|{note}")
    return "".join(printed), len(printed)


def custom_value(raw: str) -> str:
    """A custom field value as stored: '+' to space, ; and " removed, '--BLANK--' empties."""
    v = raw.replace("+", " ").replace(";", "").replace('"', "")
    if v.endswith("\\"):
        v = v[:-1]
    return "" if v == BLANK else v


def custom_values(call: Call, list_id: int, *, only_sent: bool) -> dict[str, str] | None:
    """Values of the list's custom fields found in the request (None: the list has no table).

    A label counts only where the raw request holds ``&label=`` (the PHP searches for it, so a
    custom field sent first in the body is missed). With ``only_sent=False`` every field of the
    list gets a value (missing ones empty), as on insert.
    """
    lst = call.state.lists.get(list_id)
    if lst is None or not lst.custom_table:
        return None
    raw = "&" + call.req.raw
    out: dict[str, str] = {}
    for label, fld in lst.custom_fields.items():
        if fld.field_type in ("DISPLAY", "SCRIPT") or label in _LEAD_COLUMNS:
            continue
        if f"&{label}=" in raw and not raw.startswith(f"&{label}=") and label in call.params:
            out[label] = custom_value(call.params[label])
        elif not only_sent:
            out[label] = ""
    return out


def callback_time(state: State, raw: str) -> str:
    """callback_datetime as stored: a datetime, NOW, or nDAYS from now."""
    text = f.datetime(raw).strip()
    up = raw.strip().upper()
    if up == "NOW" or (not text and not up):
        return state.fmt()
    m = _DAYS.match(up)
    if m:
        return state.fmt(state.now() + int(m.group(1)) * 86400)
    return text


from .records import LEAD_COLUMNS as _LEAD_COLUMNS  # noqa: E402
