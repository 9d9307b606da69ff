"""recording_lookup: recordings found by agent, lead, date, uniqueid or extension."""

from __future__ import annotations

from typing import Any

from .. import filters as f
from ..core import Call, handles, requires
from ..wire import columns, line, table

NA = "non_agent"
_PERM = line(NA, "recording_lookup", "PERMISSION")
_INVALID = line(NA, "recording_lookup", "INVALID SEARCH PARAMETERS")
_NONE = line(NA, "recording_lookup", "NO RECORDINGS FOUND")
_COLUMNS = columns(NA, "recording_lookup")
_MAX_ROWS = 100_000


def _prefix(uniqueid: str) -> str:
    return uniqueid.split(".", 1)[0]


@handles(NA, "recording_lookup")
@requires(_PERM, 7, "view_reports")
def recording_lookup(call: Call) -> str:
    """recording_lookup: recordings matching every given term, which together must weigh 2 or more
    (lead_id or a known uniqueid: 2; agent_user, date, extension: 1 each)."""
    st = call.state
    agent_user = f.ident(call.get("agent_user"))
    lead_id = f.digits(call.get("lead_id"))
    date = f.date(call.get("date"))
    uniqueid = f.decimal(call.get("uniqueid"))
    extension = f.ident(call.get("extension"))
    terms: list[tuple[int, str, Any]] = []
    if len(agent_user) >= 3:
        terms.append((1, "user", agent_user))
    if lead_id:
        terms.append((2, "lead_id", int(lead_id)))
    if len(date) == 10:
        terms.append((1, "date", date))
    if len(uniqueid) >= 9 and any(
        _prefix(str(r.get("uniqueid", ""))) == _prefix(uniqueid) for r in st.call_log
    ):
        terms.append((2, "uniqueid", _prefix(uniqueid)))
    if len(extension) >= 3:
        terms.append((1, "extension", extension))
    if sum(weight for weight, _, _ in terms) < 2:
        return _INVALID(call.uname, agent_user, lead_id, date, uniqueid) + "\n"

    def matches(row: dict[str, Any]) -> bool:
        for _, key, want in terms:
            if key == "date":
                have: Any = row["start_time"][:10]
            elif key == "uniqueid":
                have = _prefix(str(row["uniqueid"]))
            else:
                have = row[key]
            if have != want:
                return False
        return True

    rows = sorted((r for r in st.recording_log if matches(r)), key=lambda r: r["start_epoch"])[:_MAX_ROWS]
    if not rows:
        return _NONE(call.uname, agent_user, lead_id, date, uniqueid) + "\n"
    duration = call.get("duration") == "Y"
    # With duration=Y the data rows get a sixth field the header row does not name (as the PHP does).
    data = []
    for r in rows:
        fields = [r["start_time"], r["user"], r["recording_id"], r["lead_id"]]
        if duration:
            fields.append(r["length_in_sec"])
        data.append([*fields, r["location"]])
    return table(_COLUMNS, data, call.params)
