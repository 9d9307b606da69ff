"""callid_info: the call log row behind a caller code."""

from __future__ import annotations

from typing import Any

from .. import filters as f
from ..calllog import PREFIXES, call_type, find_call
from ..core import Call, handles, requires
from ..wire import line, table

NA = "non_agent"

CI_PERM = line(NA, "callid_info", "PERMISSION")
CI_INVALID = line(NA, "callid_info", "INVALID SEARCH PARAMETERS")
CI_NOT_FOUND = line(NA, "callid_info", "CALL NOT FOUND")


@handles(NA, "callid_info")
@requires(CI_PERM, 7, "view_reports")
def callid_info(call: Call) -> str:
    """callid_info: customer talk time and optional details for a call, looked up by its caller code."""
    call_id = f.alnum(call.get("call_id"))
    if not 18 <= len(call_id) <= 39 or not call_id.startswith(PREFIXES):
        return CI_INVALID(call.uname, call_id) + "\n"
    row = find_call(call, call_id)
    if row is None:
        return CI_NOT_FOUND(call.uname, call.get("agent_user")) + "\n"
    cols = ["call_id", "custtime"]
    values: list[Any] = [call_id, row["length_in_sec"]]
    if call.get("detail") == "YES":
        cols += ["call_date", "phone", "call_type", "campaign_id", "list_id", "status", "user"]
        values += [
            row["call_date"],
            row["phone_number"],
            call_type(call_id),
            row["campaign_id"],
            row["list_id"],
            row["status"],
            row["user"],
        ]
    return table(cols, [values], call.params)
