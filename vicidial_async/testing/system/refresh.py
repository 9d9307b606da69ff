"""server_refresh: every telephony server rebuilds its configuration."""

from __future__ import annotations

from ..core import Call, handles
from ..phones.handlers import ast_admin
from ..wire import Template, line

NA = "non_agent"


def _t(fn: str, needle: str) -> Template:
    return line(NA, fn, needle)


SR_PERM = _t("server_refresh", "PERMISSION")
SR_REQUIRED = _t("server_refresh", "REQUIRED FIELDS")
SR_OK = _t("server_refresh", "SUCCESS")


@handles(NA, "server_refresh")
def server_refresh(call: Call) -> str:
    """server_refresh: ask every telephony server to rebuild its configuration files."""
    st = call.state
    if not ast_admin(call):
        return SR_PERM.denied(call.uname) + "\n"
    if "REFRESH" not in call.get("stage"):
        return SR_REQUIRED(call.uname, "", "", "") + "\n"
    for server in st.servers.values():
        server["rebuild_conf_files"] = "Y"
    return SR_OK(call.uname, len(st.servers)) + "\n"
