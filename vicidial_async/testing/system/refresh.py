"""server_refresh: every telephony server rebuilds its configuration."""

from __future__ import annotations

from ..core import Call, handles, requires
from ..wire import line

NA = "non_agent"
SR_PERM = line(NA, "server_refresh", "PERMISSION")
SR_REQUIRED = line(NA, "server_refresh", "REQUIRED FIELDS")
SR_OK = line(NA, "server_refresh", "SUCCESS")


@handles(NA, "server_refresh")
@requires(SR_PERM, 8, "ast_admin_access")
def server_refresh(call: Call) -> str:
    """server_refresh: ask every telephony server to rebuild its configuration files."""
    st = call.state
    if "REFRESH" not in call.get("stage"):
        return SR_REQUIRED(call.uname, "", "", "") + "\n"
    for server in st.servers.values():
        server["rebuild_conf_files"] = "Y"
    return SR_OK(call.uname, len(st.servers)) + "\n"
