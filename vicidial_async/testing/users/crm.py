"""st_login_log (Agent API): the user behind a CRM agent ID (custom_three)."""

from __future__ import annotations

from .. import filters as f
from ..agent_control.common import AG, tpl
from ..core import Call, agent_denied, handles
from ..state import State

_SL_BAD = tpl("st_login_log", "not valid")
_SL_NONE = tpl("st_login_log", "no user found")
_SL_OK = tpl("st_login_log", "SUCCESS")


def by_custom_three(st: State, value: str) -> str | None:
    for name in sorted(st.users):
        if value and st.users[name].custom_three == value:
            return name
    return None


@handles(AG, "st_login_log")
def st_login_log(call: Call) -> str:
    """st_login_log: finds the VICIdial user whose custom_three equals a CRM agent ID, stores a CRM team ID
    in its custom_four, and returns the user ID.
    """
    value, vendor = call.get("value"), f.plain(call.get("vendor_id"))
    if not value or not vendor:
        return _SL_BAD(value, vendor) + "\n"
    if (d := agent_denied(call)) is not None:
        return d
    name = by_custom_three(call.state, value)
    if name is None:
        return _SL_NONE(value) + "\n"
    call.state.users[name].custom_four = vendor
    return _SL_OK(name) + "\n"
