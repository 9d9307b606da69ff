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
    "Filter",
    "allow",
    "alnum",
    "date",
    "datetime",
    "decimal",
    "digits",
    "digits_commas",
    "gmt",
    "id_list",
    "ident",
    "label",
    "lead_field_filters",
    "phone_agent",
    "phone_code_agent",
    "plain",
    "upper",
    "upper_alnum",
    "value",
    "word",
]

Filter = Callable[[str], str]
"""An input filter: the value as sent -> the value as the PHP keeps it."""


def allow(chars: str, doc: str, *, plus_space: bool = False) -> Filter:
    """One ``preg_replace`` allow-list: characters outside the regex class ``chars`` are removed
    (with ``plus_space`` a '+' first becomes a space, as the PHP's ``str_replace`` does)."""
    drop = re.compile(f"[^{chars}]")

    def keep(s: str) -> str:
        return drop.sub("", s.replace("+", " ") if plus_space else s)

    keep.__doc__ = doc
    return keep


digits = allow("0-9", "lead_id, list_id, records ...: digits only.")
digits_commas = allow("0-9,", "phone_number, lead_ids: digits and commas.")
alnum = allow("A-Za-z0-9", "source, call_id, voicemail_id: letters and digits.")
ident = allow(r"A-Za-z0-9_\-", "user, pass, campaign_id, status ...: letters, digits, '-' and '_'.")
word = allow("A-Za-z0-9_", "field_label, group_alias_id: letters, digits and '_'.")
label = allow(
    r"A-Za-z0-9 \-_",
    "preset_name, group_alias_name: letters, digits, space, '-' and '_' ('+' as space).",
    plus_space=True,
)
upper = allow("A-Z", "gender, detail, blended ...: upper-case letters only.")
upper_alnum = allow("A-Z0-9", "Agent API alt_dial, preview_dial_action value: upper-case letters, digits.")
decimal = allow("0-9.", "auto_dial_level, adaptive_maximum_level, uniqueid: digits and '.'.")
phone_agent = allow("0-9*#", "Agent API phone_number: digits, '*' and '#'.")
phone_code_agent = allow("0-9X", "Agent API phone_code: digits and 'X'.")
date = allow(r"0-9\-", "date, date_of_birth: digits and '-'.")
datetime = allow(
    r"0-9 :\-_",
    "datetime_start/end, callback_datetime: digits, space, ':', '-', '_' ('+' as space).",
    plus_space=True,
)
gmt = allow(r"0-9\-_.", "gmt_offset_now: digits, '-', '_' and '.'.")
value = allow(r"A-Za-z0-9_\-|", "Agent API value: letters, digits, '-', '_' and '|'.")
id_list = allow(r"A-Za-z0-9_\-|,", "user_groups, in_groups: letters, digits, - _ | and comma.")

_PLAIN = re.compile(r"[;#\"]")


def plain(s: str) -> str:
    """comments, vendor_lead_code, source_id: ; # and double quote removed, '+' becomes a space."""
    return _PLAIN.sub("", s.replace("+", " "))


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
