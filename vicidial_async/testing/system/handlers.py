"""System functions: version, webserver and the HTML pickers (sounds, music on hold,
voicemail, containers, call menus)."""

from __future__ import annotations

import time

from ...protocol.registry import REGISTRY
from .. import filters as f
from ..core import Call, agent_denied, handles
from ..wire import line, picker_page

# The versions of the server the real answers were recorded on (non_agent_api.php, api.php).
NON_AGENT_API_VERSION = ("2.14-194", "241107-1502")
AGENT_API_VERSION = ("2.14-81", "240429-2220")
_NA_VERSION = line("non_agent", "version", "VERSION:")
_AG_VERSION = line("agent", "version", "VERSION:")


@handles("non_agent", "version")
def na_version(call: Call) -> str:
    """version: reports API version, build, server time and time-zone offsets."""
    st = call.state
    now = st.now()
    tz = f"{st.gmt_offset:.2f}"
    return _NA_VERSION(*NON_AGENT_API_VERSION, st.fmt(now), int(now), 0, tz, tz) + "\n"


@handles("agent", "version")
def ag_version(call: Call) -> str:
    """version: returns the api.php version, build, server date/time and epoch."""
    st = call.state
    now = st.now()
    return _AG_VERSION(*AGENT_API_VERSION, st.fmt(now), int(now)) + "\n"


_WEBSERVER = REGISTRY["agent", "webserver"].response.success[0]


@handles("agent", "webserver")
def webserver(call: Call) -> str:
    """webserver: dumps web server facts (timezone, uname, PHP/Apache versions, load, disk, PHP ini
    limits).
    """
    if (denied := agent_denied(call, echo="none")) is not None:
        return denied
    values = {
        "set_timezone": "UTC",
        "abbr_timezone": "UTC",
        "dst_timezone": "0",
        "uname": "Linux fake 6.1.0 x86_64",
        "host_name": "fake",
        "server_name": "localhost",
        "php_version": "8.2.0",
        "apache_version": "Apache/2.4.57",
        "apache_processes": "1",
        "system_load_average": "0.00",
        "disk_free_space": "100000000000",
        "date_timezone": "UTC",
        "maximum_execution_time": "30",
        "maximum_input_time": "60",
        "memory_limit": "128M",
        "post_maximum_size": "8M",
        "upload_maximum_filesize": "2M",
        "default_socket_timeout": "60",
    }
    return _WEBSERVER.kw(**values) + "\n"


# -- HTML pickers ---------------------------------------------------------------------------------


_SOUNDS_PERM = line("non_agent", "sounds_list", "PERMISSION")
_SOUNDS_OFF = line("non_agent", "sounds_list", "CENTRAL SOUND CONTROL")


@handles("non_agent", "sounds_list")
def sounds_list(call: Call) -> str:
    """sounds_list: lists .wav/.gsm files of the central audio store."""
    st = call.state
    if st.settings.get("sounds_central_control_active") != "1":
        return _SOUNDS_OFF(call.uname, st.settings.get("sounds_central_control_active", "0")) + "\n"
    fmt = call.get("format").lower()
    files = sorted(st.sound_files.items())
    stamp = time.strftime("%Y-%m-%d %H:%M:%S", time.gmtime(st.now()))
    if "tab" in fmt:
        return "".join(
            f"{i}\t{name}\t{stamp}.\t{size}\t{int(st.now())}\n" for i, (name, size) in enumerate(files)
        )
    if "link" in fmt:
        return "".join(f'<a href="/sounds/{name}">{name}</a><br>\n' for name, _ in files)
    if "selectframe" in fmt:
        return picker_page(call.get("comments"), [(name, str(size)) for name, size in files])
    return ""


@handles("non_agent", "moh_list")
def moh_list(call: Call) -> str:
    """moh_list: hTML picker listing the active music-on-hold classes and their files."""
    return picker_page(call.get("comments"), [("default", "Default Music On Hold")])


@handles("non_agent", "vm_list")
def vm_list(call: Call) -> str:
    """vm_list: hTML picker listing active voicemail boxes and phone voicemail ids."""
    rows = [
        (p.voicemail_id, f"{p.extension} - {p.fullname}", p.email)
        for p in call.state.phones.values()
        if p.voicemail_id
    ]
    return picker_page(call.get("comments"), rows)


_CONTAINER_TYPE = line("non_agent", "container_list", "NO CONTAINER TYPE")


@handles("non_agent", "container_list")
def container_list(call: Call) -> str:
    """container_list: hTML picker listing settings containers of one container type."""
    kind = f.ident(call.get("type"))
    if not kind:
        return _CONTAINER_TYPE(call.uname, kind) + "\n"
    return picker_page(call.get("comments"), [])


@handles("non_agent", "callmenu_list")
def callmenu_list(call: Call) -> str:
    """callmenu_list: hTML picker listing call menus (menu_id, menu_name); parse the table rows to get the
    list programmatically.
    """
    return picker_page(call.get("comments"), sorted(call.state.call_menus.items()))
