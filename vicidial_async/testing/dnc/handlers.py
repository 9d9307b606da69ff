"""DNC and filter phone groups: add_dnc_phone, delete_dnc_phone, add_fpg_phone, delete_fpg_phone."""

from __future__ import annotations

from .. import filters as f
from ..core import Call, handles
from ..wire import line

NA = "non_agent"


# -- DNC and filter phone groups ---------------------------------------------------------------


_KINDS = {  # function: (adds, filter phone group)
    "add_dnc_phone": (True, False),
    "delete_dnc_phone": (False, False),
    "add_fpg_phone": (True, True),
    "delete_fpg_phone": (False, True),
}
_LINES = {
    fn: (
        line(NA, fn, "PERMISSION"),
        line(NA, fn, "REQUIRED FIELDS"),
        line(NA, fn, "ALREADY EXISTS" if add else "NUMBER DOES NOT EXIST"),
        line(NA, fn, "SUCCESS"),
    )
    for fn, (add, _) in _KINDS.items()
}
_NO_GROUP = {fn: line(NA, fn, "FILTER PHONE GROUP DOES NOT EXIST") for fn, (_, fpg) in _KINDS.items() if fpg}


@handles(NA, "add_dnc_phone", "delete_dnc_phone", "add_fpg_phone", "delete_fpg_phone")
def dnc_phone(call: Call) -> str:
    """add/delete_dnc_phone, add/delete_fpg_phone: one number in a DNC list or a filter phone group."""
    fn = call.function
    add, fpg = _KINDS[fn]
    perm, required, clash, ok = _LINES[fn]
    st = call.state
    u = call.user
    user = call.uname
    allowed = u.user_level >= 8 and u.modify_lists == 1
    if fn == "delete_dnc_phone":
        allowed = allowed and u.delete_from_dnc == 1
    if not allowed:
        return perm.denied(user) + "\n"
    phone = f.digits_commas(call.get("phone_number")).replace(",", "")
    key = f.ident(call.get("group" if fpg else "campaign_id"))
    if not 6 <= len(phone) <= 20 or not key:
        return required(user, phone, key) + "\n"
    if fpg:
        if key not in st.filter_phone_groups:
            return _NO_GROUP[fn](user, key) + "\n"
        numbers = st.filter_phone_groups[key]
    else:
        numbers = st.dnc.setdefault(key, set())
    if add == (phone in numbers):
        return clash(user, phone, key) + "\n"
    if add:
        numbers.add(phone)
    else:
        numbers.discard(phone)
    return ok(user, phone, key) + "\n"
