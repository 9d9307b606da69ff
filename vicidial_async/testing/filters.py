"""The input filters of the PHP: characters outside an allow-list are silently removed.

Each function here is one ``preg_replace`` allow-list of the reference notes. The fake applies
them where the real server does, so a value comes back exactly as a real server would store it.
The lead fields' filters are not written here: they come from the table the client checks values
against (``protocol.lead_fields.FIELD_CHARS``), so the two cannot disagree.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from ..protocol.lead_fields import FIELD_CHARS

__all__ = [
    "AGENT_LEAD_FIELD_FILTERS",
    "LEAD_FIELD_FILTERS",
    "alnum",
    "digits",
    "digits_commas",
    "ident",
    "lead_field_filters",
    "plain",
    "upper",
    "phone_agent",
    "phone_code_agent",
]

_DIGITS = re.compile(r"[^0-9]")
_DIGITS_COMMAS = re.compile(r"[^0-9,]")
_ALNUM = re.compile(r"[^A-Za-z0-9]")
_IDENT = re.compile(r"[^A-Za-z0-9_\-]")
_UPPER = re.compile(r"[^A-Z]")
_PLAIN = re.compile(r"[;#\"]")
_PHONE_AGENT = re.compile(r"[^0-9*#]")
_PHONE_CODE_AGENT = re.compile(r"[^0-9X]")
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





def plain(s: str) -> str:
    """comments, vendor_lead_code, source_id: ; # and double quote removed, '+' becomes a space."""
    return _PLAIN.sub("", s.replace("+", " "))


def upper(s: str) -> str:
    """gender, detail, blended ...: upper-case letters only."""
    return _UPPER.sub("", s)





def phone_agent(s: str) -> str:
    """Agent API phone_number: digits, '*' and '#'."""
    return _PHONE_AGENT.sub("", s)


def phone_code_agent(s: str) -> str:
    """Agent API phone_code: digits and 'X'."""
    return _PHONE_CODE_AGENT.sub("", s)


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


def lead_field_filters(api: str) -> dict[str, Callable[[str], str]]:
    """Lead columns -> their input filter in ``api``: the text fields as the library's own table
    says the server treats them (``protocol.lead_fields.FIELD_CHARS``), the rest by their kind."""
    text = {name: rule.stored for name, rule in FIELD_CHARS[api].items()}
    return {**text, "date_of_birth": date, "rank": digits, "phone_code": digits,
            "gmt_offset_now": text.get("gmt_offset_now", gmt), "called_count": digits}


LEAD_FIELD_FILTERS = lead_field_filters("non_agent")
"""The Non-Agent API's filter of each lead column (add_lead, update_lead, batch_update_lead)."""
AGENT_LEAD_FIELD_FILTERS = {**lead_field_filters("agent"), "phone_code": phone_code_agent,
                            "phone_number": phone_agent}
"""The Agent API's filter of each lead column (external_add_lead, update_fields)."""
