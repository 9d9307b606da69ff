"""Answers for functions without their own emulation: ``version``, the HTML pickers, and a
well-formed answer of the declared format for every other reference function."""

from __future__ import annotations

import html
import re
import time
from collections.abc import Sequence

from ..protocol.registry import REGISTRY, FunctionSpec
from . import filters as f
from .core import HANDLERS, Call, Reply, handler
from .wire import Line, common_line, line, table

__all__ = ["fallback", "agent_denied"]

_AG_DENIED_VALUE = common_line("agent", "PERMISSION TO USE THIS FUNCTION - {value}")
_AG_DENIED_USER = common_line("agent", "PERMISSION TO USE THIS FUNCTION - {user}")
_AG_DENIED_LEAD = common_line("agent", "PERMISSION TO USE THIS FUNCTION - {lead_id}")


def agent_denied(call: Call, *, echo: str = "value", value: str | None = None) -> str | None:
    """The Agent API's per-function permission refusal (api_allowed_functions), or None."""
    if call.user.allows_function(call.function):
        return None
    u = call.user
    if value is not None:
        return _AG_DENIED_VALUE(value, u.user, call.function, u.user_group) + "\n"
    if echo == "none":
        return _AG_DENIED_USER(u.user, call.function, u.user_group) + "\n"
    if echo == "lead_id":
        return _AG_DENIED_LEAD(f.digits(call.get("lead_id")), u.user, call.function, u.user_group) + "\n"
    return _AG_DENIED_VALUE(f.value(call.get("value")), u.user, call.function, u.user_group) + "\n"


_NA_VERSION = line("non_agent", "version", "VERSION:")


@handler("non_agent", "version")
def na_version(call: Call) -> str:
    """version: reports API version, build, server time and time-zone offsets."""
    st = call.state
    now = st.now()
    tz = f"{st.gmt_offset:.2f}"
    return _NA_VERSION("2.14-194", "241107-1502", st.fmt(now), int(now), 0, tz, tz) + "\n"


@handler("agent", "version")
def ag_version(call: Call) -> str:
    """version: returns the api.php version, build, server date/time and epoch."""
    st = call.state
    now = st.now()
    return f"VERSION: 2.14-81|BUILD: 240429-2220|DATE: {st.fmt(now)}|EPOCH: {int(now)}\n"


_WEBSERVER = REGISTRY["agent", "webserver"].response.success[0].text


@handler("agent", "webserver")
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
    return Line(_WEBSERVER).kw(**values) + "\n"


# -- HTML pickers ---------------------------------------------------------------------------------


def _picker_page(call: Call, rows: Sequence[tuple[str, ...]]) -> str:
    field = html.escape(f.plain(call.get("comments")))
    out = [
        "",
        "<HTML><HEAD><TITLE>Picker</TITLE>",
        "<script>function choose_file(id, field) "
        "{ parent.document.getElementById(field).value = id; }</script></HEAD><BODY>",
        "<TABLE BORDER=0 CELLPADDING=1>",
        "<tr><td>#</td><td>ID</td><td>NAME</td></tr>",
    ]
    for i, row in enumerate(rows, 1):
        rid = html.escape(row[0])
        rest = "".join(f"<td>{html.escape(c)}</td>" for c in row[1:])
        out.append(
            f"<tr><td>{i}</td><td><a href=\"javascript:choose_file('{rid}','{field}');\">"
            f"{rid}</a></td>{rest}</tr>"
        )
    out += ["</TABLE>", "</BODY></HTML>", ""]
    return "\n".join(out)


_SOUNDS_PERM = line("non_agent", "sounds_list", "PERMISSION")
_SOUNDS_OFF = line("non_agent", "sounds_list", "CENTRAL SOUND CONTROL")


@handler("non_agent", "sounds_list")
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
        return _picker_page(call, [(name, str(size)) for name, size in files])
    return ""


@handler("non_agent", "moh_list")
def moh_list(call: Call) -> str:
    """moh_list: hTML picker listing the active music-on-hold classes and their files."""
    return _picker_page(call, [("default", "Default Music On Hold")])


@handler("non_agent", "vm_list")
def vm_list(call: Call) -> str:
    """vm_list: hTML picker listing active voicemail boxes and phone voicemail ids."""
    rows = [
        (p.voicemail_id, f"{p.extension} - {p.fullname}", p.email)
        for p in call.state.phones.values()
        if p.voicemail_id
    ]
    return _picker_page(call, rows)


_CONTAINER_TYPE = line("non_agent", "container_list", "NO CONTAINER TYPE")


@handler("non_agent", "container_list")
def container_list(call: Call) -> str:
    """container_list: hTML picker listing settings containers of one container type."""
    kind = f.ident(call.get("type"))
    if not kind:
        return _CONTAINER_TYPE(call.uname, kind) + "\n"
    return _picker_page(call, [])


@handler("non_agent", "ingroup_list")
def ingroup_list(call: Call) -> str:
    """ingroup_list: hTML picker listing active inbound groups (group_id, group_name, group_color); parse
    the table rows to get the list programmatically.
    """
    rows = [
        (g.group_id, g.group_name, g.group_color)
        for g in call.state.in_groups.values()
        if g.user_group == "---ALL---" or call.views_group(g.user_group)
    ]
    return _picker_page(call, rows)


@handler("non_agent", "callmenu_list")
def callmenu_list(call: Call) -> str:
    """callmenu_list: hTML picker listing call menus (menu_id, menu_name); parse the table rows to get the
    list programmatically.
    """
    return _picker_page(call, sorted(call.state.call_menus.items()))


# -- everything else ----------------------------------------------------------------------------


def _fill(spec: FunctionSpec, call: Call, fields: tuple[str, ...]) -> dict[str, str]:
    values: dict[str, str] = {}
    for name in fields:
        if name == "user":
            values[name] = call.uname
        elif name in call.params:
            values[name] = f.value(call.params[name]) if spec.api == "agent" else call.params[name]
        elif name in ("epoch",):
            values[name] = str(int(call.state.now()))
        else:
            values[name] = "0" if name.endswith(("count", "_id", "rows")) else ""
    return values


_FLAGS = (
    "vdc_agent_api_access",
    "view_reports",
    "modify_users",
    "modify_campaigns",
    "modify_lists",
    "ast_admin_access",
    "modify_inbound_dids",
    "modify_remoteagents",
)
_PERMS: dict[tuple[str, str], tuple[int, tuple[str, ...], tuple[int, ...] | None, Line | None]] = {}


def _requirements(spec: FunctionSpec) -> tuple[int, tuple[str, ...], tuple[int, ...] | None, Line | None]:
    """What the reference's permission text asks of the API user, and the refusal line."""
    found = _PERMS.get(spec.key)
    if found is None:
        text = spec.permissions
        m = re.search(r"user_level (?:>= ?)?(\d)", text)
        level = int(m.group(1)) if m else 0
        flags = tuple(fl for fl in _FLAGS if f"{fl} = 1" in text or f"{fl}=1" in text)
        m2 = re.search(r"modify_leads (?:in )?(\d)-(\d)", text)
        leads = tuple(range(int(m2.group(1)), int(m2.group(2)) + 1)) if m2 else None
        refusal = next(
            (
                Line(t.text)
                for e in spec.response.errors
                for t in e.lines
                if "PERMISSION" in t.text and t.text.startswith("ERROR")
            ),
            None,
        )
        found = _PERMS[spec.key] = (level, flags, leads, refusal)
    return found


def non_agent_denied(call: Call, spec: FunctionSpec) -> str | None:
    """The function's own permission refusal when the API user lacks what the reference lists."""
    level, flags, leads, refusal = _requirements(spec)
    u = call.user
    ok = (
        u.user_level >= level
        and all(getattr(u, fl) == 1 for fl in flags)
        and (leads is None or u.modify_leads in leads)
    )
    if ok or refusal is None:
        return None
    return refusal.denied(u.user) + "\n"


def fallback(call: Call) -> str | Reply:
    """A well-formed answer of the function's declared format, filled from the request."""
    spec = REGISTRY[call.api, call.function]
    if spec.api == "agent" and (denied := agent_denied(call)) is not None:
        return denied
    if spec.api == "non_agent" and (denied := non_agent_denied(call, spec)) is not None:
        return denied
    r = spec.response
    if r.format == "table":
        row = _fill(spec, call, r.columns)
        return table(
            r.columns,
            [[row[c] for c in r.columns]],
            call.params,
            stages=r.stages or ("pipe",),
            header_param=r.header_param,
        )
    if r.format == "html":
        return _picker_page(call, [])
    if r.format in ("status", "text", "key_value") and r.success:
        t = Line(r.success[0].text)
        return t.kw(**_fill(spec, call, t.fields)) + ("" if r.format == "text" else "\n")
    return ""


for _key in REGISTRY:
    HANDLERS.setdefault(_key, fallback)
