"""The input filters of the PHP: characters outside an allow-list are silently removed.

Each function here is one ``preg_replace`` allow-list of the reference notes. The fake applies
them where the real server does, so a value comes back exactly as a real server would store it.
"""

from __future__ import annotations

import re

__all__ = [
    "address",
    "alnum",
    "digits",
    "digits_commas",
    "ident",
    "name",
    "plain",
    "upper",
    "phone_agent",
]

_DIGITS = re.compile(r"[^0-9]")
_DIGITS_COMMAS = re.compile(r"[^0-9,]")
_ALNUM = re.compile(r"[^A-Za-z0-9]")
_IDENT = re.compile(r"[^A-Za-z0-9_\-]")
_NAME = re.compile(r"[^A-Za-z0-9 \-'_.]")
_ADDRESS = re.compile(r"[^A-Za-z0-9 \-'.:/@_]")
_EMAIL = re.compile(r"[^A-Za-z0-9 \-'.:/@%_]")
_UPPER = re.compile(r"[^A-Z]")
_PLAIN = re.compile(r"[;#\"]")
_STATE = re.compile(r"[^A-Za-z0-9 \-]")
_POSTAL = re.compile(r"[^A-Za-z0-9 \-']")
_PROVINCE = re.compile(r"[^A-Za-z0-9 \-'._]")
_PHONE_AGENT = re.compile(r"[^0-9*#]")
_DATE = re.compile(r"[^0-9\-]")
_DATETIME = re.compile(r"[^0-9 +:\-_]")
_GMT = re.compile(r"[^0-9\-_.]")
_VALUE = re.compile(r"[^A-Za-z0-9_\-|]")
_LIST = re.compile(r"[^A-Za-z0-9_\-|,]")


def digits(s: str) -> str:
    """lead_id, list_id, records ...: digits only."""
    return _DIGITS.sub("", s)


def digits_commas(s: str) -> str:
    """phone_number, lead_ids: digits and commas."""
    return _DIGITS_COMMAS.sub("", s)


def alnum(s: str) -> str:
    """source, call_id, voicemail_id: letters and digits."""
    return _ALNUM.sub("", s)


def ident(s: str) -> str:
    """user, pass, campaign_id, status ...: letters, digits, '-' and '_'."""
    return _IDENT.sub("", s)


def name(s: str) -> str:
    """first_name, last_name, title, alt_phone: letters, digits, space, - ' _ ."""
    return _NAME.sub("", s.replace("+", " "))


def address(s: str) -> str:
    """address1-3, city, security_phrase, owner: letters, digits, space, - ' . : / @ _"""
    return _ADDRESS.sub("", s.replace("+", " "))


def email(s: str) -> str:
    """email: letters, digits, space, - ' . : / @ % _; '+' becomes a space."""
    return _EMAIL.sub("", s.replace("+", " "))


def plain(s: str) -> str:
    """comments, vendor_lead_code, source_id: ; # and double quote removed, '+' becomes a space."""
    return _PLAIN.sub("", s.replace("+", " "))


def upper(s: str) -> str:
    """gender, detail, blended ...: upper-case letters only."""
    return _UPPER.sub("", s)


def state(s: str) -> str:
    """state: letters, digits, space and '-'."""
    return _STATE.sub("", s)


def postal(s: str) -> str:
    """postal_code: letters, digits, space, - and '; '+' becomes a space."""
    return _POSTAL.sub("", s.replace("+", " "))


def province(s: str) -> str:
    """province: letters, digits, space, - ' . _; '+' becomes a space."""
    return _PROVINCE.sub("", s.replace("+", " "))


def phone_agent(s: str) -> str:
    """Agent API phone_number: digits, '*' and '#'."""
    return _PHONE_AGENT.sub("", s)


def date(s: str) -> str:
    """date, date_of_birth: digits and '-'."""
    return _DATE.sub("", s)


def datetime(s: str) -> str:
    """datetime_start/end, callback_datetime: digits, space, ':', '-', '_' ('+' as space)."""
    return _DATETIME.sub("", s).replace("+", " ")


def gmt(s: str) -> str:
    """gmt_offset_now: digits, '-', '_' and '.'."""
    return _GMT.sub("", s)


def value(s: str) -> str:
    """Agent API value: letters, digits, '-', '_' and '|'."""
    return _VALUE.sub("", s)


def id_list(s: str) -> str:
    """user_groups, in_groups: letters, digits, - _ | and comma."""
    return _LIST.sub("", s)


# Lead columns -> their add_lead/update_lead filter (vendor_lead_code etc. use ``plain``).
LEAD_FIELD_FILTERS = {
    "vendor_lead_code": plain,
    "source_id": plain,
    "comments": plain,
    "title": name,
    "first_name": name,
    "last_name": name,
    "alt_phone": name,
    "middle_initial": ident,
    "address1": address,
    "address2": address,
    "address3": address,
    "city": address,
    "security_phrase": address,
    "owner": address,
    "state": state,
    "province": province,
    "postal_code": postal,
    "country_code": ident,
    "gender": upper,
    "date_of_birth": date,
    "email": email,
    "rank": digits,
    "phone_code": digits,
    "gmt_offset_now": gmt,
    "called_count": digits,
}
