"""did_log_export: one day of calls that arrived on a DID."""

from __future__ import annotations

from .. import filters as f
from ..core import Call, handles, requires
from ..wire import columns, line, table

NA = "non_agent"
_PERM = line(NA, "did_log_export", "PERMISSION")
_INVALID = line(NA, "did_log_export", "INVALID SEARCH PARAMETERS")
_NONE = line(NA, "did_log_export", "NO RECORDS FOUND")
_COLUMNS = columns(NA, "did_log_export")
_MAX_ROWS = 100_000


@handles(NA, "did_log_export")
@requires(_PERM, 7, "view_reports")
def did_log_export(call: Call) -> str:
    """did_log_export: the calls of one day on a DID, caller id before call date in the data rows
    (the PHP swaps them; the header row keeps the documented order)."""
    st = call.state
    number = f.digits_commas(call.get("phone_number"))
    date = f.date(call.get("date"))
    if not number or len(date) != 10:
        return _INVALID(call.uname, number, date) + "\n"
    wanted = {n for n in number.split(",") if n}
    rows = sorted(
        (r for r in st.did_log if r["did_number"] in wanted and r["call_date"][:10] == date),
        key=lambda r: r["epoch"],
    )[:_MAX_ROWS]
    if not rows:
        agent_user, lead_id = f.ident(call.get("agent_user")), f.digits(call.get("lead_id"))
        return _NONE(call.uname, agent_user, lead_id, date) + "\n"
    data = [[r["did_number"], r["caller_id_number"], r["call_date"], r["length_in_sec"]] for r in rows]
    return table(_COLUMNS, data, call.params)
